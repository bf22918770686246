#include "dra/api/codec/protobuf.h"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "dra/api/codec/json.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::api {
namespace {

// ---------------------------------------------------------------------------------------------
// Schema table.

enum class FieldKind : uint8_t { kString, kBytes, kBool, kInt32, kInt64, kMessage };

// FieldSchema::flags.
constexpr uint8_t kRepeated = 1;  // repeated field (JSON array)
constexpr uint8_t kMap = 2;       // map<string, V> (JSON object); kind/message describe V
constexpr uint8_t kPointer = 4;   // Go pointer field: present zero values are kept
constexpr uint8_t kInline = 8;    // embedded Go struct whose fields JSON inlines into the parent

// Messages whose JSON form is not an object of their fields.
enum class Special : uint8_t {
  kNone,
  kTime,
  kMicroTime,
  kDuration,
  kRawJson,
  kQuantity,
  kIntOrString
};

struct FieldSchema {
  int32_t number;
  const char* json_name;  // "" for kInline
  FieldKind kind;
  uint8_t flags;
  const char* message;  // full proto name for kMessage, else nullptr
};

bool IsVarintKind(FieldKind kind) {
  return kind == FieldKind::kBool || kind == FieldKind::kInt32 || kind == FieldKind::kInt64;
}

struct MessageSchema {
  const char* name;                     // full proto name, e.g. "k8s.io.api.core.v1.PodSpec"
  std::span<const FieldSchema> fields;  // sorted by number
  Special special;
};

// The generated table below is a transcription of upstream's generated.proto files (field
// numbers, types, repeated/map) joined by field number with the Go structs' tags (json names,
// pointer fields, embedded structs), for every message reachable from the supported kinds.
// Produced by a small script over kubernetes/api and kubernetes/apimachinery at
// 10b39a39b / eed236ce; regenerate rather than hand-edit when adding kinds.
// BEGIN GENERATED SCHEMA (from generated.proto + types.go json tags)
constexpr FieldSchema kapi_apps_v1_Deployment[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.apps.v1.DeploymentSpec"},
    {3, "status", FieldKind::kMessage, 0, "k8s.io.api.apps.v1.DeploymentStatus"},
};
constexpr FieldSchema kapi_apps_v1_DeploymentCondition[] = {
    {1, "type", FieldKind::kString, 0, nullptr},
    {2, "status", FieldKind::kString, 0, nullptr},
    {4, "reason", FieldKind::kString, 0, nullptr},
    {5, "message", FieldKind::kString, 0, nullptr},
    {6, "lastUpdateTime", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
    {7, "lastTransitionTime", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
};
constexpr FieldSchema kapi_apps_v1_DeploymentSpec[] = {
    {1, "replicas", FieldKind::kInt32, kPointer, nullptr},
    {2, "selector", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector"},
    {3, "template", FieldKind::kMessage, 0, "k8s.io.api.core.v1.PodTemplateSpec"},
    {4, "strategy", FieldKind::kMessage, 0, "k8s.io.api.apps.v1.DeploymentStrategy"},
    {5, "minReadySeconds", FieldKind::kInt32, 0, nullptr},
    {6, "revisionHistoryLimit", FieldKind::kInt32, kPointer, nullptr},
    {7, "paused", FieldKind::kBool, 0, nullptr},
    {9, "progressDeadlineSeconds", FieldKind::kInt32, kPointer, nullptr},
};
constexpr FieldSchema kapi_apps_v1_DeploymentStatus[] = {
    {1, "observedGeneration", FieldKind::kInt64, 0, nullptr},
    {2, "replicas", FieldKind::kInt32, 0, nullptr},
    {3, "updatedReplicas", FieldKind::kInt32, 0, nullptr},
    {4, "availableReplicas", FieldKind::kInt32, 0, nullptr},
    {5, "unavailableReplicas", FieldKind::kInt32, 0, nullptr},
    {6, "conditions", FieldKind::kMessage, kRepeated, "k8s.io.api.apps.v1.DeploymentCondition"},
    {7, "readyReplicas", FieldKind::kInt32, 0, nullptr},
    {8, "collisionCount", FieldKind::kInt32, kPointer, nullptr},
    {9, "terminatingReplicas", FieldKind::kInt32, kPointer, nullptr},
};
constexpr FieldSchema kapi_apps_v1_DeploymentStrategy[] = {
    {1, "type", FieldKind::kString, 0, nullptr},
    {2, "rollingUpdate", FieldKind::kMessage, kPointer,
     "k8s.io.api.apps.v1.RollingUpdateDeployment"},
};
constexpr FieldSchema kapi_apps_v1_ReplicaSet[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.apps.v1.ReplicaSetSpec"},
    {3, "status", FieldKind::kMessage, 0, "k8s.io.api.apps.v1.ReplicaSetStatus"},
};
constexpr FieldSchema kapi_apps_v1_ReplicaSetCondition[] = {
    {1, "type", FieldKind::kString, 0, nullptr},
    {2, "status", FieldKind::kString, 0, nullptr},
    {3, "lastTransitionTime", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
    {4, "reason", FieldKind::kString, 0, nullptr},
    {5, "message", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_apps_v1_ReplicaSetSpec[] = {
    {1, "replicas", FieldKind::kInt32, kPointer, nullptr},
    {2, "selector", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector"},
    {3, "template", FieldKind::kMessage, 0, "k8s.io.api.core.v1.PodTemplateSpec"},
    {4, "minReadySeconds", FieldKind::kInt32, 0, nullptr},
};
constexpr FieldSchema kapi_apps_v1_ReplicaSetStatus[] = {
    {1, "replicas", FieldKind::kInt32, 0, nullptr},
    {2, "fullyLabeledReplicas", FieldKind::kInt32, 0, nullptr},
    {3, "observedGeneration", FieldKind::kInt64, 0, nullptr},
    {4, "readyReplicas", FieldKind::kInt32, 0, nullptr},
    {5, "availableReplicas", FieldKind::kInt32, 0, nullptr},
    {6, "conditions", FieldKind::kMessage, kRepeated, "k8s.io.api.apps.v1.ReplicaSetCondition"},
    {7, "terminatingReplicas", FieldKind::kInt32, kPointer, nullptr},
};
constexpr FieldSchema kapi_apps_v1_RollingUpdateDeployment[] = {
    {1, "maxUnavailable", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.util.intstr.IntOrString"},
    {2, "maxSurge", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.util.intstr.IntOrString"},
};
constexpr FieldSchema kapi_coordination_v1_Lease[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.coordination.v1.LeaseSpec"},
};
constexpr FieldSchema kapi_coordination_v1_LeaseSpec[] = {
    {1, "holderIdentity", FieldKind::kString, kPointer, nullptr},
    {2, "leaseDurationSeconds", FieldKind::kInt32, kPointer, nullptr},
    {3, "acquireTime", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime"},
    {4, "renewTime", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime"},
    {5, "leaseTransitions", FieldKind::kInt32, kPointer, nullptr},
    {6, "strategy", FieldKind::kString, kPointer, nullptr},
    {7, "preferredHolder", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_AWSElasticBlockStoreVolumeSource[] = {
    {1, "volumeID", FieldKind::kString, 0, nullptr},
    {2, "fsType", FieldKind::kString, 0, nullptr},
    {3, "partition", FieldKind::kInt32, 0, nullptr},
    {4, "readOnly", FieldKind::kBool, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_Affinity[] = {
    {1, "nodeAffinity", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NodeAffinity"},
    {2, "podAffinity", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.PodAffinity"},
    {3, "podAntiAffinity", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.PodAntiAffinity"},
};
constexpr FieldSchema kapi_core_v1_AppArmorProfile[] = {
    {1, "type", FieldKind::kString, 0, nullptr},
    {2, "localhostProfile", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_AttachedVolume[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "devicePath", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_AzureDiskVolumeSource[] = {
    {1, "diskName", FieldKind::kString, 0, nullptr},
    {2, "diskURI", FieldKind::kString, 0, nullptr},
    {3, "cachingMode", FieldKind::kString, kPointer, nullptr},
    {4, "fsType", FieldKind::kString, kPointer, nullptr},
    {5, "readOnly", FieldKind::kBool, kPointer, nullptr},
    {6, "kind", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_AzureFileVolumeSource[] = {
    {1, "secretName", FieldKind::kString, 0, nullptr},
    {2, "shareName", FieldKind::kString, 0, nullptr},
    {3, "readOnly", FieldKind::kBool, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_Binding[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "target", FieldKind::kMessage, 0, "k8s.io.api.core.v1.ObjectReference"},
};
constexpr FieldSchema kapi_core_v1_CSIVolumeSource[] = {
    {1, "driver", FieldKind::kString, 0, nullptr},
    {2, "readOnly", FieldKind::kBool, kPointer, nullptr},
    {3, "fsType", FieldKind::kString, kPointer, nullptr},
    {4, "volumeAttributes", FieldKind::kString, kMap, nullptr},
    {5, "nodePublishSecretRef", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.LocalObjectReference"},
};
constexpr FieldSchema kapi_core_v1_Capabilities[] = {
    {1, "add", FieldKind::kString, kRepeated, nullptr},
    {2, "drop", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_core_v1_CephFSVolumeSource[] = {
    {1, "monitors", FieldKind::kString, kRepeated, nullptr},
    {2, "path", FieldKind::kString, 0, nullptr},
    {3, "user", FieldKind::kString, 0, nullptr},
    {4, "secretFile", FieldKind::kString, 0, nullptr},
    {5, "secretRef", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.LocalObjectReference"},
    {6, "readOnly", FieldKind::kBool, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_CinderVolumeSource[] = {
    {1, "volumeID", FieldKind::kString, 0, nullptr},
    {2, "fsType", FieldKind::kString, 0, nullptr},
    {3, "readOnly", FieldKind::kBool, 0, nullptr},
    {4, "secretRef", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.LocalObjectReference"},
};
constexpr FieldSchema kapi_core_v1_ClusterTrustBundleProjection[] = {
    {1, "name", FieldKind::kString, kPointer, nullptr},
    {2, "signerName", FieldKind::kString, kPointer, nullptr},
    {3, "labelSelector", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector"},
    {4, "path", FieldKind::kString, 0, nullptr},
    {5, "optional", FieldKind::kBool, kPointer, nullptr},
    {6, "user", FieldKind::kInt64, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_ConfigMap[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "data", FieldKind::kString, kMap, nullptr},
    {3, "binaryData", FieldKind::kBytes, kMap, nullptr},
    {4, "immutable", FieldKind::kBool, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_ConfigMapEnvSource[] = {
    {1, "", FieldKind::kMessage, kInline, "k8s.io.api.core.v1.LocalObjectReference"},
    {2, "optional", FieldKind::kBool, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_ConfigMapKeySelector[] = {
    {1, "", FieldKind::kMessage, kInline, "k8s.io.api.core.v1.LocalObjectReference"},
    {2, "key", FieldKind::kString, 0, nullptr},
    {3, "optional", FieldKind::kBool, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_ConfigMapNodeConfigSource[] = {
    {1, "namespace", FieldKind::kString, 0, nullptr},
    {2, "name", FieldKind::kString, 0, nullptr},
    {3, "uid", FieldKind::kString, 0, nullptr},
    {4, "resourceVersion", FieldKind::kString, 0, nullptr},
    {5, "kubeletConfigKey", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_ConfigMapProjection[] = {
    {1, "", FieldKind::kMessage, kInline, "k8s.io.api.core.v1.LocalObjectReference"},
    {2, "items", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.KeyToPath"},
    {4, "optional", FieldKind::kBool, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_ConfigMapVolumeSource[] = {
    {1, "", FieldKind::kMessage, kInline, "k8s.io.api.core.v1.LocalObjectReference"},
    {2, "items", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.KeyToPath"},
    {3, "defaultMode", FieldKind::kInt32, kPointer, nullptr},
    {4, "optional", FieldKind::kBool, kPointer, nullptr},
    {5, "defaultUser", FieldKind::kInt64, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_Container[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "image", FieldKind::kString, 0, nullptr},
    {3, "command", FieldKind::kString, kRepeated, nullptr},
    {4, "args", FieldKind::kString, kRepeated, nullptr},
    {5, "workingDir", FieldKind::kString, 0, nullptr},
    {6, "ports", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.ContainerPort"},
    {7, "env", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.EnvVar"},
    {8, "resources", FieldKind::kMessage, 0, "k8s.io.api.core.v1.ResourceRequirements"},
    {9, "volumeMounts", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.VolumeMount"},
    {10, "livenessProbe", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.Probe"},
    {11, "readinessProbe", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.Probe"},
    {12, "lifecycle", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.Lifecycle"},
    {13, "terminationMessagePath", FieldKind::kString, 0, nullptr},
    {14, "imagePullPolicy", FieldKind::kString, 0, nullptr},
    {15, "securityContext", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.SecurityContext"},
    {16, "stdin", FieldKind::kBool, 0, nullptr},
    {17, "stdinOnce", FieldKind::kBool, 0, nullptr},
    {18, "tty", FieldKind::kBool, 0, nullptr},
    {19, "envFrom", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.EnvFromSource"},
    {20, "terminationMessagePolicy", FieldKind::kString, 0, nullptr},
    {21, "volumeDevices", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.VolumeDevice"},
    {22, "startupProbe", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.Probe"},
    {23, "resizePolicy", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.ContainerResizePolicy"},
    {24, "restartPolicy", FieldKind::kString, kPointer, nullptr},
    {25, "restartPolicyRules", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.ContainerRestartRule"},
};
constexpr FieldSchema kapi_core_v1_ContainerExtendedResourceRequest[] = {
    {1, "containerName", FieldKind::kString, 0, nullptr},
    {2, "resourceName", FieldKind::kString, 0, nullptr},
    {3, "requestName", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_ContainerImage[] = {
    {1, "names", FieldKind::kString, kRepeated, nullptr},
    {2, "sizeBytes", FieldKind::kInt64, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_ContainerPort[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "hostPort", FieldKind::kInt32, 0, nullptr},
    {3, "containerPort", FieldKind::kInt32, 0, nullptr},
    {4, "protocol", FieldKind::kString, 0, nullptr},
    {5, "hostIP", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_ContainerResizePolicy[] = {
    {1, "resourceName", FieldKind::kString, 0, nullptr},
    {2, "restartPolicy", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_ContainerRestartRule[] = {
    {1, "action", FieldKind::kString, 0, nullptr},
    {2, "exitCodes", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.ContainerRestartRuleOnExitCodes"},
};
constexpr FieldSchema kapi_core_v1_ContainerRestartRuleOnExitCodes[] = {
    {1, "operator", FieldKind::kString, 0, nullptr},
    {2, "values", FieldKind::kInt32, kRepeated, nullptr},
};
constexpr FieldSchema kapi_core_v1_ContainerState[] = {
    {1, "waiting", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ContainerStateWaiting"},
    {2, "running", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ContainerStateRunning"},
    {3, "terminated", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ContainerStateTerminated"},
};
constexpr FieldSchema kapi_core_v1_ContainerStateRunning[] = {
    {1, "startedAt", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
};
constexpr FieldSchema kapi_core_v1_ContainerStateTerminated[] = {
    {1, "exitCode", FieldKind::kInt32, 0, nullptr},
    {2, "signal", FieldKind::kInt32, 0, nullptr},
    {3, "reason", FieldKind::kString, 0, nullptr},
    {4, "message", FieldKind::kString, 0, nullptr},
    {5, "startedAt", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
    {6, "finishedAt", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
    {7, "containerID", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_ContainerStateWaiting[] = {
    {1, "reason", FieldKind::kString, 0, nullptr},
    {2, "message", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_ContainerStatus[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "state", FieldKind::kMessage, 0, "k8s.io.api.core.v1.ContainerState"},
    {3, "lastState", FieldKind::kMessage, 0, "k8s.io.api.core.v1.ContainerState"},
    {4, "ready", FieldKind::kBool, 0, nullptr},
    {5, "restartCount", FieldKind::kInt32, 0, nullptr},
    {6, "image", FieldKind::kString, 0, nullptr},
    {7, "imageID", FieldKind::kString, 0, nullptr},
    {8, "containerID", FieldKind::kString, 0, nullptr},
    {9, "started", FieldKind::kBool, kPointer, nullptr},
    {10, "allocatedResources", FieldKind::kMessage, kMap,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {11, "resources", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ResourceRequirements"},
    {12, "volumeMounts", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.VolumeMountStatus"},
    {13, "user", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ContainerUser"},
    {14, "allocatedResourcesStatus", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.ResourceStatus"},
    {15, "stopSignal", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_ContainerUser[] = {
    {1, "linux", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.LinuxContainerUser"},
};
constexpr FieldSchema kapi_core_v1_DaemonEndpoint[] = {
    {1, "Port", FieldKind::kInt32, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_DownwardAPIProjection[] = {
    {1, "items", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.DownwardAPIVolumeFile"},
};
constexpr FieldSchema kapi_core_v1_DownwardAPIVolumeFile[] = {
    {1, "path", FieldKind::kString, 0, nullptr},
    {2, "fieldRef", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ObjectFieldSelector"},
    {3, "resourceFieldRef", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.ResourceFieldSelector"},
    {4, "mode", FieldKind::kInt32, kPointer, nullptr},
    {5, "user", FieldKind::kInt64, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_DownwardAPIVolumeSource[] = {
    {1, "items", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.DownwardAPIVolumeFile"},
    {2, "defaultMode", FieldKind::kInt32, kPointer, nullptr},
    {3, "defaultUser", FieldKind::kInt64, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_EmptyDirVolumeSource[] = {
    {1, "medium", FieldKind::kString, 0, nullptr},
    {2, "sizeLimit", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {3, "mode", FieldKind::kInt32, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_EnvFromSource[] = {
    {1, "prefix", FieldKind::kString, 0, nullptr},
    {2, "configMapRef", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ConfigMapEnvSource"},
    {3, "secretRef", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.SecretEnvSource"},
};
constexpr FieldSchema kapi_core_v1_EnvVar[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "value", FieldKind::kString, 0, nullptr},
    {3, "valueFrom", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.EnvVarSource"},
};
constexpr FieldSchema kapi_core_v1_EnvVarSource[] = {
    {1, "fieldRef", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ObjectFieldSelector"},
    {2, "resourceFieldRef", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.ResourceFieldSelector"},
    {3, "configMapKeyRef", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.ConfigMapKeySelector"},
    {4, "secretKeyRef", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.SecretKeySelector"},
    {5, "fileKeyRef", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.FileKeySelector"},
};
constexpr FieldSchema kapi_core_v1_EphemeralContainer[] = {
    {1, "", FieldKind::kMessage, kInline, "k8s.io.api.core.v1.EphemeralContainerCommon"},
    {2, "targetContainerName", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_EphemeralContainerCommon[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "image", FieldKind::kString, 0, nullptr},
    {3, "command", FieldKind::kString, kRepeated, nullptr},
    {4, "args", FieldKind::kString, kRepeated, nullptr},
    {5, "workingDir", FieldKind::kString, 0, nullptr},
    {6, "ports", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.ContainerPort"},
    {7, "env", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.EnvVar"},
    {8, "resources", FieldKind::kMessage, 0, "k8s.io.api.core.v1.ResourceRequirements"},
    {9, "volumeMounts", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.VolumeMount"},
    {10, "livenessProbe", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.Probe"},
    {11, "readinessProbe", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.Probe"},
    {12, "lifecycle", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.Lifecycle"},
    {13, "terminationMessagePath", FieldKind::kString, 0, nullptr},
    {14, "imagePullPolicy", FieldKind::kString, 0, nullptr},
    {15, "securityContext", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.SecurityContext"},
    {16, "stdin", FieldKind::kBool, 0, nullptr},
    {17, "stdinOnce", FieldKind::kBool, 0, nullptr},
    {18, "tty", FieldKind::kBool, 0, nullptr},
    {19, "envFrom", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.EnvFromSource"},
    {20, "terminationMessagePolicy", FieldKind::kString, 0, nullptr},
    {21, "volumeDevices", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.VolumeDevice"},
    {22, "startupProbe", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.Probe"},
    {23, "resizePolicy", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.ContainerResizePolicy"},
    {24, "restartPolicy", FieldKind::kString, kPointer, nullptr},
    {25, "restartPolicyRules", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.ContainerRestartRule"},
};
constexpr FieldSchema kapi_core_v1_EphemeralVolumeSource[] = {
    {1, "volumeClaimTemplate", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.PersistentVolumeClaimTemplate"},
};
constexpr FieldSchema kapi_core_v1_Event[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "involvedObject", FieldKind::kMessage, 0, "k8s.io.api.core.v1.ObjectReference"},
    {3, "reason", FieldKind::kString, 0, nullptr},
    {4, "message", FieldKind::kString, 0, nullptr},
    {5, "source", FieldKind::kMessage, 0, "k8s.io.api.core.v1.EventSource"},
    {6, "firstTimestamp", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
    {7, "lastTimestamp", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
    {8, "count", FieldKind::kInt32, 0, nullptr},
    {9, "type", FieldKind::kString, 0, nullptr},
    {10, "eventTime", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime"},
    {11, "series", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.EventSeries"},
    {12, "action", FieldKind::kString, 0, nullptr},
    {13, "related", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ObjectReference"},
    {14, "reportingComponent", FieldKind::kString, 0, nullptr},
    {15, "reportingInstance", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_EventSeries[] = {
    {1, "count", FieldKind::kInt32, 0, nullptr},
    {2, "lastObservedTime", FieldKind::kMessage, 0,
     "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime"},
};
constexpr FieldSchema kapi_core_v1_EventSource[] = {
    {1, "component", FieldKind::kString, 0, nullptr},
    {2, "host", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_EvictionResponder[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "priority", FieldKind::kInt32, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_ExecAction[] = {
    {1, "command", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_core_v1_FCVolumeSource[] = {
    {1, "targetWWNs", FieldKind::kString, kRepeated, nullptr},
    {2, "lun", FieldKind::kInt32, kPointer, nullptr},
    {3, "fsType", FieldKind::kString, 0, nullptr},
    {4, "readOnly", FieldKind::kBool, 0, nullptr},
    {5, "wwids", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_core_v1_FileKeySelector[] = {
    {1, "volumeName", FieldKind::kString, 0, nullptr},
    {2, "path", FieldKind::kString, 0, nullptr},
    {3, "key", FieldKind::kString, 0, nullptr},
    {4, "optional", FieldKind::kBool, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_FlexVolumeSource[] = {
    {1, "driver", FieldKind::kString, 0, nullptr},
    {2, "fsType", FieldKind::kString, 0, nullptr},
    {3, "secretRef", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.LocalObjectReference"},
    {4, "readOnly", FieldKind::kBool, 0, nullptr},
    {5, "options", FieldKind::kString, kMap, nullptr},
};
constexpr FieldSchema kapi_core_v1_FlockerVolumeSource[] = {
    {1, "datasetName", FieldKind::kString, 0, nullptr},
    {2, "datasetUUID", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_GCEPersistentDiskVolumeSource[] = {
    {1, "pdName", FieldKind::kString, 0, nullptr},
    {2, "fsType", FieldKind::kString, 0, nullptr},
    {3, "partition", FieldKind::kInt32, 0, nullptr},
    {4, "readOnly", FieldKind::kBool, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_GRPCAction[] = {
    {1, "port", FieldKind::kInt32, 0, nullptr},
    {2, "service", FieldKind::kString, kPointer, nullptr},
    {3, "mode", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_GitRepoVolumeSource[] = {
    {1, "repository", FieldKind::kString, 0, nullptr},
    {2, "revision", FieldKind::kString, 0, nullptr},
    {3, "directory", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_GlusterfsVolumeSource[] = {
    {1, "endpoints", FieldKind::kString, 0, nullptr},
    {2, "path", FieldKind::kString, 0, nullptr},
    {3, "readOnly", FieldKind::kBool, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_HTTPGetAction[] = {
    {1, "path", FieldKind::kString, 0, nullptr},
    {2, "port", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.util.intstr.IntOrString"},
    {3, "host", FieldKind::kString, 0, nullptr},
    {4, "scheme", FieldKind::kString, 0, nullptr},
    {5, "httpHeaders", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.HTTPHeader"},
    {6, "protocol", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_HTTPHeader[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "value", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_HostAlias[] = {
    {1, "ip", FieldKind::kString, 0, nullptr},
    {2, "hostnames", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_core_v1_HostIP[] = {
    {1, "ip", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_HostPathVolumeSource[] = {
    {1, "path", FieldKind::kString, 0, nullptr},
    {2, "type", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_ISCSIVolumeSource[] = {
    {1, "targetPortal", FieldKind::kString, 0, nullptr},
    {2, "iqn", FieldKind::kString, 0, nullptr},
    {3, "lun", FieldKind::kInt32, 0, nullptr},
    {4, "iscsiInterface", FieldKind::kString, 0, nullptr},
    {5, "fsType", FieldKind::kString, 0, nullptr},
    {6, "readOnly", FieldKind::kBool, 0, nullptr},
    {7, "portals", FieldKind::kString, kRepeated, nullptr},
    {8, "chapAuthDiscovery", FieldKind::kBool, 0, nullptr},
    {10, "secretRef", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.LocalObjectReference"},
    {11, "chapAuthSession", FieldKind::kBool, 0, nullptr},
    {12, "initiatorName", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_ImageVolumeSource[] = {
    {1, "reference", FieldKind::kString, 0, nullptr},
    {2, "pullPolicy", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_ImageVolumeStatus[] = {
    {1, "imageRef", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_KeyToPath[] = {
    {1, "key", FieldKind::kString, 0, nullptr},
    {2, "path", FieldKind::kString, 0, nullptr},
    {3, "mode", FieldKind::kInt32, kPointer, nullptr},
    {4, "user", FieldKind::kInt64, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_Lifecycle[] = {
    {1, "postStart", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.LifecycleHandler"},
    {2, "preStop", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.LifecycleHandler"},
    {3, "stopSignal", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_LifecycleHandler[] = {
    {1, "exec", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ExecAction"},
    {2, "httpGet", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.HTTPGetAction"},
    {3, "tcpSocket", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.TCPSocketAction"},
    {4, "sleep", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.SleepAction"},
};
constexpr FieldSchema kapi_core_v1_LinuxContainerUser[] = {
    {1, "uid", FieldKind::kInt64, 0, nullptr},
    {2, "gid", FieldKind::kInt64, 0, nullptr},
    {3, "supplementalGroups", FieldKind::kInt64, kRepeated, nullptr},
};
constexpr FieldSchema kapi_core_v1_LocalObjectReference[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_NFSVolumeSource[] = {
    {1, "server", FieldKind::kString, 0, nullptr},
    {2, "path", FieldKind::kString, 0, nullptr},
    {3, "readOnly", FieldKind::kBool, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_Namespace[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.core.v1.NamespaceSpec"},
    {3, "status", FieldKind::kMessage, 0, "k8s.io.api.core.v1.NamespaceStatus"},
};
constexpr FieldSchema kapi_core_v1_NamespaceCondition[] = {
    {1, "type", FieldKind::kString, 0, nullptr},
    {2, "status", FieldKind::kString, 0, nullptr},
    {4, "lastTransitionTime", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
    {5, "reason", FieldKind::kString, 0, nullptr},
    {6, "message", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_NamespaceSpec[] = {
    {1, "finalizers", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_core_v1_NamespaceStatus[] = {
    {1, "phase", FieldKind::kString, 0, nullptr},
    {2, "conditions", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.NamespaceCondition"},
};
constexpr FieldSchema kapi_core_v1_Node[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.core.v1.NodeSpec"},
    {3, "status", FieldKind::kMessage, 0, "k8s.io.api.core.v1.NodeStatus"},
};
constexpr FieldSchema kapi_core_v1_NodeAddress[] = {
    {1, "type", FieldKind::kString, 0, nullptr},
    {2, "address", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_NodeAffinity[] = {
    {1, "requiredDuringSchedulingIgnoredDuringExecution", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.NodeSelector"},
    {2, "preferredDuringSchedulingIgnoredDuringExecution", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.PreferredSchedulingTerm"},
};
constexpr FieldSchema kapi_core_v1_NodeAllocatableMappedResources[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "quantity", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_core_v1_NodeAllocatableOverheadResources[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "perPod", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {3, "perContainer", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_core_v1_NodeAllocatableResourceClaimStatus[] = {
    {1, "resourceClaimName", FieldKind::kString, 0, nullptr},
    {2, "containers", FieldKind::kString, kRepeated, nullptr},
    {4, "mapping", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.NodeAllocatableMappedResources"},
    {5, "overhead", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.NodeAllocatableOverheadResources"},
};
constexpr FieldSchema kapi_core_v1_NodeCondition[] = {
    {1, "type", FieldKind::kString, 0, nullptr},
    {2, "status", FieldKind::kString, 0, nullptr},
    {3, "lastHeartbeatTime", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
    {4, "lastTransitionTime", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
    {5, "reason", FieldKind::kString, 0, nullptr},
    {6, "message", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_NodeConfigSource[] = {
    {2, "configMap", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ConfigMapNodeConfigSource"},
};
constexpr FieldSchema kapi_core_v1_NodeConfigStatus[] = {
    {1, "assigned", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NodeConfigSource"},
    {2, "active", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NodeConfigSource"},
    {3, "lastKnownGood", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NodeConfigSource"},
    {4, "error", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_NodeDaemonEndpoints[] = {
    {1, "kubeletEndpoint", FieldKind::kMessage, 0, "k8s.io.api.core.v1.DaemonEndpoint"},
};
constexpr FieldSchema kapi_core_v1_NodeFeatures[] = {
    {1, "supplementalGroupsPolicy", FieldKind::kBool, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_NodePodPreemptionPolicy[] = {
    {1, "disableResizePreemption", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_core_v1_NodeRuntimeHandler[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "features", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NodeRuntimeHandlerFeatures"},
};
constexpr FieldSchema kapi_core_v1_NodeRuntimeHandlerFeatures[] = {
    {1, "recursiveReadOnlyMounts", FieldKind::kBool, kPointer, nullptr},
    {2, "userNamespaces", FieldKind::kBool, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_NodeSelector[] = {
    {1, "nodeSelectorTerms", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.NodeSelectorTerm"},
};
constexpr FieldSchema kapi_core_v1_NodeSelectorRequirement[] = {
    {1, "key", FieldKind::kString, 0, nullptr},
    {2, "operator", FieldKind::kString, 0, nullptr},
    {3, "values", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_core_v1_NodeSelectorTerm[] = {
    {1, "matchExpressions", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.NodeSelectorRequirement"},
    {2, "matchFields", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.NodeSelectorRequirement"},
};
constexpr FieldSchema kapi_core_v1_NodeSpec[] = {
    {1, "podCIDR", FieldKind::kString, 0, nullptr},
    {2, "externalID", FieldKind::kString, 0, nullptr},
    {3, "providerID", FieldKind::kString, 0, nullptr},
    {4, "unschedulable", FieldKind::kBool, 0, nullptr},
    {5, "taints", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.Taint"},
    {6, "configSource", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NodeConfigSource"},
    {7, "podCIDRs", FieldKind::kString, kRepeated, nullptr},
    {8, "podPreemptionPolicy", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.NodePodPreemptionPolicy"},
};
constexpr FieldSchema kapi_core_v1_NodeStatus[] = {
    {1, "capacity", FieldKind::kMessage, kMap, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {2, "allocatable", FieldKind::kMessage, kMap, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {3, "phase", FieldKind::kString, 0, nullptr},
    {4, "conditions", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.NodeCondition"},
    {5, "addresses", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.NodeAddress"},
    {6, "daemonEndpoints", FieldKind::kMessage, 0, "k8s.io.api.core.v1.NodeDaemonEndpoints"},
    {7, "nodeInfo", FieldKind::kMessage, 0, "k8s.io.api.core.v1.NodeSystemInfo"},
    {8, "images", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.ContainerImage"},
    {9, "volumesInUse", FieldKind::kString, kRepeated, nullptr},
    {10, "volumesAttached", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.AttachedVolume"},
    {11, "config", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NodeConfigStatus"},
    {12, "runtimeHandlers", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.NodeRuntimeHandler"},
    {13, "features", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NodeFeatures"},
    {14, "declaredFeatures", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_core_v1_NodeSwapStatus[] = {
    {1, "capacity", FieldKind::kInt64, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_NodeSystemInfo[] = {
    {1, "machineID", FieldKind::kString, 0, nullptr},
    {2, "systemUUID", FieldKind::kString, 0, nullptr},
    {3, "bootID", FieldKind::kString, 0, nullptr},
    {4, "kernelVersion", FieldKind::kString, 0, nullptr},
    {5, "osImage", FieldKind::kString, 0, nullptr},
    {6, "containerRuntimeVersion", FieldKind::kString, 0, nullptr},
    {7, "kubeletVersion", FieldKind::kString, 0, nullptr},
    {8, "kubeProxyVersion", FieldKind::kString, 0, nullptr},
    {9, "operatingSystem", FieldKind::kString, 0, nullptr},
    {10, "architecture", FieldKind::kString, 0, nullptr},
    {11, "swap", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NodeSwapStatus"},
};
constexpr FieldSchema kapi_core_v1_ObjectFieldSelector[] = {
    {1, "apiVersion", FieldKind::kString, 0, nullptr},
    {2, "fieldPath", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_ObjectReference[] = {
    {1, "kind", FieldKind::kString, 0, nullptr},
    {2, "namespace", FieldKind::kString, 0, nullptr},
    {3, "name", FieldKind::kString, 0, nullptr},
    {4, "uid", FieldKind::kString, 0, nullptr},
    {5, "apiVersion", FieldKind::kString, 0, nullptr},
    {6, "resourceVersion", FieldKind::kString, 0, nullptr},
    {7, "fieldPath", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_PersistentVolumeClaimSpec[] = {
    {1, "accessModes", FieldKind::kString, kRepeated, nullptr},
    {2, "resources", FieldKind::kMessage, 0, "k8s.io.api.core.v1.VolumeResourceRequirements"},
    {3, "volumeName", FieldKind::kString, 0, nullptr},
    {4, "selector", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector"},
    {5, "storageClassName", FieldKind::kString, kPointer, nullptr},
    {6, "volumeMode", FieldKind::kString, kPointer, nullptr},
    {7, "dataSource", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.TypedLocalObjectReference"},
    {8, "dataSourceRef", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.TypedObjectReference"},
    {9, "volumeAttributesClassName", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_PersistentVolumeClaimTemplate[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.core.v1.PersistentVolumeClaimSpec"},
};
constexpr FieldSchema kapi_core_v1_PersistentVolumeClaimVolumeSource[] = {
    {1, "claimName", FieldKind::kString, 0, nullptr},
    {2, "readOnly", FieldKind::kBool, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_PhotonPersistentDiskVolumeSource[] = {
    {1, "pdID", FieldKind::kString, 0, nullptr},
    {2, "fsType", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_Pod[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.core.v1.PodSpec"},
    {3, "status", FieldKind::kMessage, 0, "k8s.io.api.core.v1.PodStatus"},
};
constexpr FieldSchema kapi_core_v1_PodAffinity[] = {
    {1, "requiredDuringSchedulingIgnoredDuringExecution", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.PodAffinityTerm"},
    {2, "preferredDuringSchedulingIgnoredDuringExecution", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.WeightedPodAffinityTerm"},
};
constexpr FieldSchema kapi_core_v1_PodAffinityTerm[] = {
    {1, "labelSelector", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector"},
    {2, "namespaces", FieldKind::kString, kRepeated, nullptr},
    {3, "topologyKey", FieldKind::kString, 0, nullptr},
    {4, "namespaceSelector", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector"},
    {5, "matchLabelKeys", FieldKind::kString, kRepeated, nullptr},
    {6, "mismatchLabelKeys", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_core_v1_PodAntiAffinity[] = {
    {1, "requiredDuringSchedulingIgnoredDuringExecution", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.PodAffinityTerm"},
    {2, "preferredDuringSchedulingIgnoredDuringExecution", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.WeightedPodAffinityTerm"},
};
constexpr FieldSchema kapi_core_v1_PodCertificateProjection[] = {
    {1, "signerName", FieldKind::kString, 0, nullptr},
    {2, "keyType", FieldKind::kString, 0, nullptr},
    {3, "maxExpirationSeconds", FieldKind::kInt32, kPointer, nullptr},
    {4, "credentialBundlePath", FieldKind::kString, 0, nullptr},
    {5, "keyPath", FieldKind::kString, 0, nullptr},
    {6, "certificateChainPath", FieldKind::kString, 0, nullptr},
    {7, "userAnnotations", FieldKind::kString, kMap, nullptr},
    {8, "user", FieldKind::kInt64, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_PodCondition[] = {
    {1, "type", FieldKind::kString, 0, nullptr},
    {2, "status", FieldKind::kString, 0, nullptr},
    {3, "lastProbeTime", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
    {4, "lastTransitionTime", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
    {5, "reason", FieldKind::kString, 0, nullptr},
    {6, "message", FieldKind::kString, 0, nullptr},
    {7, "observedGeneration", FieldKind::kInt64, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_PodDNSConfig[] = {
    {1, "nameservers", FieldKind::kString, kRepeated, nullptr},
    {2, "searches", FieldKind::kString, kRepeated, nullptr},
    {3, "options", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.PodDNSConfigOption"},
};
constexpr FieldSchema kapi_core_v1_PodDNSConfigOption[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "value", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_PodExtendedResourceClaimStatus[] = {
    {1, "requestMappings", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.ContainerExtendedResourceRequest"},
    {2, "resourceClaimName", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_PodIP[] = {
    {1, "ip", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_PodOS[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_PodReadinessGate[] = {
    {1, "conditionType", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_PodResourceClaim[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {3, "resourceClaimName", FieldKind::kString, kPointer, nullptr},
    {4, "resourceClaimTemplateName", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_PodResourceClaimStatus[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "resourceClaimName", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_PodSchedulingGate[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_PodSchedulingGroup[] = {
    {1, "podGroupName", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_PodSecurityContext[] = {
    {1, "seLinuxOptions", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.SELinuxOptions"},
    {2, "runAsUser", FieldKind::kInt64, kPointer, nullptr},
    {3, "runAsNonRoot", FieldKind::kBool, kPointer, nullptr},
    {4, "supplementalGroups", FieldKind::kInt64, kRepeated, nullptr},
    {5, "fsGroup", FieldKind::kInt64, kPointer, nullptr},
    {6, "runAsGroup", FieldKind::kInt64, kPointer, nullptr},
    {7, "sysctls", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.Sysctl"},
    {8, "windowsOptions", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.WindowsSecurityContextOptions"},
    {9, "fsGroupChangePolicy", FieldKind::kString, kPointer, nullptr},
    {10, "seccompProfile", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.SeccompProfile"},
    {11, "appArmorProfile", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.AppArmorProfile"},
    {12, "supplementalGroupsPolicy", FieldKind::kString, kPointer, nullptr},
    {13, "seLinuxChangePolicy", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_PodSpec[] = {
    {1, "volumes", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.Volume"},
    {2, "containers", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.Container"},
    {3, "restartPolicy", FieldKind::kString, 0, nullptr},
    {4, "terminationGracePeriodSeconds", FieldKind::kInt64, kPointer, nullptr},
    {5, "activeDeadlineSeconds", FieldKind::kInt64, kPointer, nullptr},
    {6, "dnsPolicy", FieldKind::kString, 0, nullptr},
    {7, "nodeSelector", FieldKind::kString, kMap, nullptr},
    {8, "serviceAccountName", FieldKind::kString, 0, nullptr},
    {9, "serviceAccount", FieldKind::kString, 0, nullptr},
    {10, "nodeName", FieldKind::kString, 0, nullptr},
    {11, "hostNetwork", FieldKind::kBool, 0, nullptr},
    {12, "hostPID", FieldKind::kBool, 0, nullptr},
    {13, "hostIPC", FieldKind::kBool, 0, nullptr},
    {14, "securityContext", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.PodSecurityContext"},
    {15, "imagePullSecrets", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.LocalObjectReference"},
    {16, "hostname", FieldKind::kString, 0, nullptr},
    {17, "subdomain", FieldKind::kString, 0, nullptr},
    {18, "affinity", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.Affinity"},
    {19, "schedulerName", FieldKind::kString, 0, nullptr},
    {20, "initContainers", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.Container"},
    {21, "automountServiceAccountToken", FieldKind::kBool, kPointer, nullptr},
    {22, "tolerations", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.Toleration"},
    {23, "hostAliases", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.HostAlias"},
    {24, "priorityClassName", FieldKind::kString, 0, nullptr},
    {25, "priority", FieldKind::kInt32, kPointer, nullptr},
    {26, "dnsConfig", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.PodDNSConfig"},
    {27, "shareProcessNamespace", FieldKind::kBool, kPointer, nullptr},
    {28, "readinessGates", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.PodReadinessGate"},
    {29, "runtimeClassName", FieldKind::kString, kPointer, nullptr},
    {30, "enableServiceLinks", FieldKind::kBool, kPointer, nullptr},
    {31, "preemptionPolicy", FieldKind::kString, kPointer, nullptr},
    {32, "overhead", FieldKind::kMessage, kMap, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {33, "topologySpreadConstraints", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.TopologySpreadConstraint"},
    {34, "ephemeralContainers", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.EphemeralContainer"},
    {35, "setHostnameAsFQDN", FieldKind::kBool, kPointer, nullptr},
    {36, "os", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.PodOS"},
    {37, "hostUsers", FieldKind::kBool, kPointer, nullptr},
    {38, "schedulingGates", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.PodSchedulingGate"},
    {39, "resourceClaims", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.PodResourceClaim"},
    {40, "resources", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ResourceRequirements"},
    {41, "hostnameOverride", FieldKind::kString, kPointer, nullptr},
    {43, "schedulingGroup", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.PodSchedulingGroup"},
    {44, "evictionResponders", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.EvictionResponder"},
};
constexpr FieldSchema kapi_core_v1_PodStatus[] = {
    {1, "phase", FieldKind::kString, 0, nullptr},
    {2, "conditions", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.PodCondition"},
    {3, "message", FieldKind::kString, 0, nullptr},
    {4, "reason", FieldKind::kString, 0, nullptr},
    {5, "hostIP", FieldKind::kString, 0, nullptr},
    {6, "podIP", FieldKind::kString, 0, nullptr},
    {7, "startTime", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
    {8, "containerStatuses", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.ContainerStatus"},
    {9, "qosClass", FieldKind::kString, 0, nullptr},
    {10, "initContainerStatuses", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.ContainerStatus"},
    {11, "nominatedNodeName", FieldKind::kString, 0, nullptr},
    {12, "podIPs", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.PodIP"},
    {13, "ephemeralContainerStatuses", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.ContainerStatus"},
    {14, "resize", FieldKind::kString, 0, nullptr},
    {15, "resourceClaimStatuses", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.PodResourceClaimStatus"},
    {16, "hostIPs", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.HostIP"},
    {17, "observedGeneration", FieldKind::kInt64, 0, nullptr},
    {18, "extendedResourceClaimStatus", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.PodExtendedResourceClaimStatus"},
    {19, "allocatedResources", FieldKind::kMessage, kMap,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {20, "resources", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ResourceRequirements"},
    {21, "nodeAllocatableResourceClaimStatuses", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.NodeAllocatableResourceClaimStatus"},
    {22, "volumeHealth", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.PodVolumeHealth"},
};
constexpr FieldSchema kapi_core_v1_PodTemplateSpec[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.core.v1.PodSpec"},
};
constexpr FieldSchema kapi_core_v1_PodVolumeHealth[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "healthConditions", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.VolumeHealthCondition"},
    {3, "lastTransitionTime", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
};
constexpr FieldSchema kapi_core_v1_PortworxVolumeSource[] = {
    {1, "volumeID", FieldKind::kString, 0, nullptr},
    {2, "fsType", FieldKind::kString, 0, nullptr},
    {3, "readOnly", FieldKind::kBool, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_PreferredSchedulingTerm[] = {
    {1, "weight", FieldKind::kInt32, 0, nullptr},
    {2, "preference", FieldKind::kMessage, 0, "k8s.io.api.core.v1.NodeSelectorTerm"},
};
constexpr FieldSchema kapi_core_v1_Probe[] = {
    {1, "", FieldKind::kMessage, kInline, "k8s.io.api.core.v1.ProbeHandler"},
    {2, "initialDelaySeconds", FieldKind::kInt32, 0, nullptr},
    {3, "timeoutSeconds", FieldKind::kInt32, 0, nullptr},
    {4, "periodSeconds", FieldKind::kInt32, 0, nullptr},
    {5, "successThreshold", FieldKind::kInt32, 0, nullptr},
    {6, "failureThreshold", FieldKind::kInt32, 0, nullptr},
    {7, "terminationGracePeriodSeconds", FieldKind::kInt64, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_ProbeHandler[] = {
    {1, "exec", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ExecAction"},
    {2, "httpGet", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.HTTPGetAction"},
    {3, "tcpSocket", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.TCPSocketAction"},
    {4, "grpc", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.GRPCAction"},
};
constexpr FieldSchema kapi_core_v1_ProjectedVolumeSource[] = {
    {1, "sources", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.VolumeProjection"},
    {2, "defaultMode", FieldKind::kInt32, kPointer, nullptr},
    {3, "defaultUser", FieldKind::kInt64, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_QuobyteVolumeSource[] = {
    {1, "registry", FieldKind::kString, 0, nullptr}, {2, "volume", FieldKind::kString, 0, nullptr},
    {3, "readOnly", FieldKind::kBool, 0, nullptr},   {4, "user", FieldKind::kString, 0, nullptr},
    {5, "group", FieldKind::kString, 0, nullptr},    {6, "tenant", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_RBDVolumeSource[] = {
    {1, "monitors", FieldKind::kString, kRepeated, nullptr},
    {2, "image", FieldKind::kString, 0, nullptr},
    {3, "fsType", FieldKind::kString, 0, nullptr},
    {4, "pool", FieldKind::kString, 0, nullptr},
    {5, "user", FieldKind::kString, 0, nullptr},
    {6, "keyring", FieldKind::kString, 0, nullptr},
    {7, "secretRef", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.LocalObjectReference"},
    {8, "readOnly", FieldKind::kBool, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_ResourceClaim[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "request", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_ResourceFieldSelector[] = {
    {1, "containerName", FieldKind::kString, 0, nullptr},
    {2, "resource", FieldKind::kString, 0, nullptr},
    {3, "divisor", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_core_v1_ResourceHealth[] = {
    {1, "resourceID", FieldKind::kString, 0, nullptr},
    {2, "health", FieldKind::kString, 0, nullptr},
    {6, "message", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_ResourceRequirements[] = {
    {1, "limits", FieldKind::kMessage, kMap, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {2, "requests", FieldKind::kMessage, kMap, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {3, "claims", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.ResourceClaim"},
};
constexpr FieldSchema kapi_core_v1_ResourceStatus[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "resources", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.ResourceHealth"},
};
constexpr FieldSchema kapi_core_v1_SELinuxOptions[] = {
    {1, "user", FieldKind::kString, 0, nullptr},
    {2, "role", FieldKind::kString, 0, nullptr},
    {3, "type", FieldKind::kString, 0, nullptr},
    {4, "level", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_ScaleIOVolumeSource[] = {
    {1, "gateway", FieldKind::kString, 0, nullptr},
    {2, "system", FieldKind::kString, 0, nullptr},
    {3, "secretRef", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.LocalObjectReference"},
    {4, "sslEnabled", FieldKind::kBool, 0, nullptr},
    {5, "protectionDomain", FieldKind::kString, 0, nullptr},
    {6, "storagePool", FieldKind::kString, 0, nullptr},
    {7, "storageMode", FieldKind::kString, 0, nullptr},
    {8, "volumeName", FieldKind::kString, 0, nullptr},
    {9, "fsType", FieldKind::kString, 0, nullptr},
    {10, "readOnly", FieldKind::kBool, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_SeccompProfile[] = {
    {1, "type", FieldKind::kString, 0, nullptr},
    {2, "localhostProfile", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_Secret[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "data", FieldKind::kBytes, kMap, nullptr},
    {3, "type", FieldKind::kString, 0, nullptr},
    {4, "stringData", FieldKind::kString, kMap, nullptr},
    {5, "immutable", FieldKind::kBool, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_SecretEnvSource[] = {
    {1, "", FieldKind::kMessage, kInline, "k8s.io.api.core.v1.LocalObjectReference"},
    {2, "optional", FieldKind::kBool, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_SecretKeySelector[] = {
    {1, "", FieldKind::kMessage, kInline, "k8s.io.api.core.v1.LocalObjectReference"},
    {2, "key", FieldKind::kString, 0, nullptr},
    {3, "optional", FieldKind::kBool, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_SecretProjection[] = {
    {1, "", FieldKind::kMessage, kInline, "k8s.io.api.core.v1.LocalObjectReference"},
    {2, "items", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.KeyToPath"},
    {4, "optional", FieldKind::kBool, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_SecretVolumeSource[] = {
    {1, "secretName", FieldKind::kString, 0, nullptr},
    {2, "items", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.KeyToPath"},
    {3, "defaultMode", FieldKind::kInt32, kPointer, nullptr},
    {4, "optional", FieldKind::kBool, kPointer, nullptr},
    {5, "defaultUser", FieldKind::kInt64, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_SecurityContext[] = {
    {1, "capabilities", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.Capabilities"},
    {2, "privileged", FieldKind::kBool, kPointer, nullptr},
    {3, "seLinuxOptions", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.SELinuxOptions"},
    {4, "runAsUser", FieldKind::kInt64, kPointer, nullptr},
    {5, "runAsNonRoot", FieldKind::kBool, kPointer, nullptr},
    {6, "readOnlyRootFilesystem", FieldKind::kBool, kPointer, nullptr},
    {7, "allowPrivilegeEscalation", FieldKind::kBool, kPointer, nullptr},
    {8, "runAsGroup", FieldKind::kInt64, kPointer, nullptr},
    {9, "procMount", FieldKind::kString, kPointer, nullptr},
    {10, "windowsOptions", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.WindowsSecurityContextOptions"},
    {11, "seccompProfile", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.SeccompProfile"},
    {12, "appArmorProfile", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.AppArmorProfile"},
};
constexpr FieldSchema kapi_core_v1_ServiceAccount[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "secrets", FieldKind::kMessage, kRepeated, "k8s.io.api.core.v1.ObjectReference"},
    {3, "imagePullSecrets", FieldKind::kMessage, kRepeated,
     "k8s.io.api.core.v1.LocalObjectReference"},
    {4, "automountServiceAccountToken", FieldKind::kBool, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_ServiceAccountTokenProjection[] = {
    {1, "audience", FieldKind::kString, 0, nullptr},
    {2, "expirationSeconds", FieldKind::kInt64, kPointer, nullptr},
    {3, "path", FieldKind::kString, 0, nullptr},
    {4, "user", FieldKind::kInt64, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_SleepAction[] = {
    {1, "seconds", FieldKind::kInt64, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_StorageOSVolumeSource[] = {
    {1, "volumeName", FieldKind::kString, 0, nullptr},
    {2, "volumeNamespace", FieldKind::kString, 0, nullptr},
    {3, "fsType", FieldKind::kString, 0, nullptr},
    {4, "readOnly", FieldKind::kBool, 0, nullptr},
    {5, "secretRef", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.LocalObjectReference"},
};
constexpr FieldSchema kapi_core_v1_Sysctl[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "value", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_TCPSocketAction[] = {
    {1, "port", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.util.intstr.IntOrString"},
    {2, "host", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_Taint[] = {
    {1, "key", FieldKind::kString, 0, nullptr},
    {2, "value", FieldKind::kString, 0, nullptr},
    {3, "effect", FieldKind::kString, 0, nullptr},
    {4, "timeAdded", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
};
constexpr FieldSchema kapi_core_v1_Toleration[] = {
    {1, "key", FieldKind::kString, 0, nullptr},
    {2, "operator", FieldKind::kString, 0, nullptr},
    {3, "value", FieldKind::kString, 0, nullptr},
    {4, "effect", FieldKind::kString, 0, nullptr},
    {5, "tolerationSeconds", FieldKind::kInt64, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_TopologySpreadConstraint[] = {
    {1, "maxSkew", FieldKind::kInt32, 0, nullptr},
    {2, "topologyKey", FieldKind::kString, 0, nullptr},
    {3, "whenUnsatisfiable", FieldKind::kString, 0, nullptr},
    {4, "labelSelector", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector"},
    {5, "minDomains", FieldKind::kInt32, kPointer, nullptr},
    {6, "nodeAffinityPolicy", FieldKind::kString, kPointer, nullptr},
    {7, "nodeTaintsPolicy", FieldKind::kString, kPointer, nullptr},
    {8, "matchLabelKeys", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_core_v1_TypedLocalObjectReference[] = {
    {1, "apiGroup", FieldKind::kString, kPointer, nullptr},
    {2, "kind", FieldKind::kString, 0, nullptr},
    {3, "name", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_TypedObjectReference[] = {
    {1, "apiGroup", FieldKind::kString, kPointer, nullptr},
    {2, "kind", FieldKind::kString, 0, nullptr},
    {3, "name", FieldKind::kString, 0, nullptr},
    {4, "namespace", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_core_v1_Volume[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "", FieldKind::kMessage, kInline, "k8s.io.api.core.v1.VolumeSource"},
};
constexpr FieldSchema kapi_core_v1_VolumeDevice[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "devicePath", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_VolumeHealthCondition[] = {
    {1, "status", FieldKind::kString, 0, nullptr},
    {2, "reason", FieldKind::kString, 0, nullptr},
    {3, "message", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_VolumeMount[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "readOnly", FieldKind::kBool, 0, nullptr},
    {3, "mountPath", FieldKind::kString, 0, nullptr},
    {4, "subPath", FieldKind::kString, 0, nullptr},
    {5, "mountPropagation", FieldKind::kString, kPointer, nullptr},
    {6, "subPathExpr", FieldKind::kString, 0, nullptr},
    {7, "recursiveReadOnly", FieldKind::kString, kPointer, nullptr},
    {8, "bindMountOptions", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_core_v1_VolumeMountStatus[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "mountPath", FieldKind::kString, 0, nullptr},
    {3, "readOnly", FieldKind::kBool, 0, nullptr},
    {4, "recursiveReadOnly", FieldKind::kString, kPointer, nullptr},
    {5, "volumeStatus", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.VolumeStatus"},
};
constexpr FieldSchema kapi_core_v1_VolumeProjection[] = {
    {1, "secret", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.SecretProjection"},
    {2, "downwardAPI", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.DownwardAPIProjection"},
    {3, "configMap", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ConfigMapProjection"},
    {4, "serviceAccountToken", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.ServiceAccountTokenProjection"},
    {5, "clusterTrustBundle", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.ClusterTrustBundleProjection"},
    {6, "podCertificate", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.PodCertificateProjection"},
};
constexpr FieldSchema kapi_core_v1_VolumeResourceRequirements[] = {
    {1, "limits", FieldKind::kMessage, kMap, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {2, "requests", FieldKind::kMessage, kMap, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_core_v1_VolumeSource[] = {
    {1, "hostPath", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.HostPathVolumeSource"},
    {2, "emptyDir", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.EmptyDirVolumeSource"},
    {3, "gcePersistentDisk", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.GCEPersistentDiskVolumeSource"},
    {4, "awsElasticBlockStore", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.AWSElasticBlockStoreVolumeSource"},
    {5, "gitRepo", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.GitRepoVolumeSource"},
    {6, "secret", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.SecretVolumeSource"},
    {7, "nfs", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NFSVolumeSource"},
    {8, "iscsi", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ISCSIVolumeSource"},
    {9, "glusterfs", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.GlusterfsVolumeSource"},
    {10, "persistentVolumeClaim", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.PersistentVolumeClaimVolumeSource"},
    {11, "rbd", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.RBDVolumeSource"},
    {12, "flexVolume", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.FlexVolumeSource"},
    {13, "cinder", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.CinderVolumeSource"},
    {14, "cephfs", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.CephFSVolumeSource"},
    {15, "flocker", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.FlockerVolumeSource"},
    {16, "downwardAPI", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.DownwardAPIVolumeSource"},
    {17, "fc", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.FCVolumeSource"},
    {18, "azureFile", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.AzureFileVolumeSource"},
    {19, "configMap", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ConfigMapVolumeSource"},
    {20, "vsphereVolume", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.VsphereVirtualDiskVolumeSource"},
    {21, "quobyte", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.QuobyteVolumeSource"},
    {22, "azureDisk", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.AzureDiskVolumeSource"},
    {23, "photonPersistentDisk", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.PhotonPersistentDiskVolumeSource"},
    {24, "portworxVolume", FieldKind::kMessage, kPointer,
     "k8s.io.api.core.v1.PortworxVolumeSource"},
    {25, "scaleIO", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ScaleIOVolumeSource"},
    {26, "projected", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ProjectedVolumeSource"},
    {27, "storageos", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.StorageOSVolumeSource"},
    {28, "csi", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.CSIVolumeSource"},
    {29, "ephemeral", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.EphemeralVolumeSource"},
    {30, "image", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ImageVolumeSource"},
};
constexpr FieldSchema kapi_core_v1_VolumeStatus[] = {
    {1, "image", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.ImageVolumeStatus"},
};
constexpr FieldSchema kapi_core_v1_VsphereVirtualDiskVolumeSource[] = {
    {1, "volumePath", FieldKind::kString, 0, nullptr},
    {2, "fsType", FieldKind::kString, 0, nullptr},
    {3, "storagePolicyName", FieldKind::kString, 0, nullptr},
    {4, "storagePolicyID", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_core_v1_WeightedPodAffinityTerm[] = {
    {1, "weight", FieldKind::kInt32, 0, nullptr},
    {2, "podAffinityTerm", FieldKind::kMessage, 0, "k8s.io.api.core.v1.PodAffinityTerm"},
};
constexpr FieldSchema kapi_core_v1_WindowsSecurityContextOptions[] = {
    {1, "gmsaCredentialSpecName", FieldKind::kString, kPointer, nullptr},
    {2, "gmsaCredentialSpec", FieldKind::kString, kPointer, nullptr},
    {3, "runAsUserName", FieldKind::kString, kPointer, nullptr},
    {4, "hostProcess", FieldKind::kBool, kPointer, nullptr},
};
constexpr FieldSchema kapi_resource_v1_AllocatedDeviceStatus[] = {
    {1, "driver", FieldKind::kString, 0, nullptr},
    {2, "pool", FieldKind::kString, 0, nullptr},
    {3, "device", FieldKind::kString, 0, nullptr},
    {4, "conditions", FieldKind::kMessage, kRepeated,
     "k8s.io.apimachinery.pkg.apis.meta.v1.Condition"},
    {5, "data", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.runtime.RawExtension"},
    {6, "networkData", FieldKind::kMessage, kPointer, "k8s.io.api.resource.v1.NetworkDeviceData"},
    {7, "shareID", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_resource_v1_AllocationResult[] = {
    {1, "devices", FieldKind::kMessage, 0, "k8s.io.api.resource.v1.DeviceAllocationResult"},
    {3, "nodeSelector", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NodeSelector"},
    {5, "allocationTimestamp", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
};
constexpr FieldSchema kapi_resource_v1_CELDeviceSelector[] = {
    {1, "expression", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_resource_v1_CapacityRequestPolicy[] = {
    {1, "default", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {3, "validValues", FieldKind::kMessage, kRepeated,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {4, "validRange", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1.CapacityRequestPolicyRange"},
};
constexpr FieldSchema kapi_resource_v1_CapacityRequestPolicyRange[] = {
    {1, "min", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {2, "max", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {3, "step", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_resource_v1_CapacityRequirements[] = {
    {1, "requests", FieldKind::kMessage, kMap, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_resource_v1_Counter[] = {
    {1, "value", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_resource_v1_CounterSet[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "counters", FieldKind::kMessage, kMap, "k8s.io.api.resource.v1.Counter"},
};
constexpr FieldSchema kapi_resource_v1_Device[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "attributes", FieldKind::kMessage, kMap, "k8s.io.api.resource.v1.DeviceAttribute"},
    {3, "capacity", FieldKind::kMessage, kMap, "k8s.io.api.resource.v1.DeviceCapacity"},
    {4, "consumesCounters", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1.DeviceCounterConsumption"},
    {5, "nodeName", FieldKind::kString, kPointer, nullptr},
    {6, "nodeSelector", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NodeSelector"},
    {7, "allNodes", FieldKind::kBool, kPointer, nullptr},
    {8, "taints", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1.DeviceTaint"},
    {9, "bindsToNode", FieldKind::kBool, kPointer, nullptr},
    {10, "bindingConditions", FieldKind::kString, kRepeated, nullptr},
    {11, "bindingFailureConditions", FieldKind::kString, kRepeated, nullptr},
    {12, "allowMultipleAllocations", FieldKind::kBool, kPointer, nullptr},
    {14, "nodeAllocatableResources", FieldKind::kMessage, kMap,
     "k8s.io.api.resource.v1.NodeAllocatableResource"},
};
constexpr FieldSchema kapi_resource_v1_DeviceAllocationConfiguration[] = {
    {1, "source", FieldKind::kString, 0, nullptr},
    {2, "requests", FieldKind::kString, kRepeated, nullptr},
    {3, "", FieldKind::kMessage, kInline, "k8s.io.api.resource.v1.DeviceConfiguration"},
};
constexpr FieldSchema kapi_resource_v1_DeviceAllocationResult[] = {
    {1, "results", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1.DeviceRequestAllocationResult"},
    {2, "config", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1.DeviceAllocationConfiguration"},
};
constexpr FieldSchema kapi_resource_v1_DeviceAttribute[] = {
    {2, "int", FieldKind::kInt64, kPointer, nullptr},
    {3, "bool", FieldKind::kBool, kPointer, nullptr},
    {4, "string", FieldKind::kString, kPointer, nullptr},
    {5, "version", FieldKind::kString, kPointer, nullptr},
    {6, "ints", FieldKind::kInt64, kRepeated, nullptr},
    {7, "bools", FieldKind::kBool, kRepeated, nullptr},
    {8, "strings", FieldKind::kString, kRepeated, nullptr},
    {9, "versions", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_resource_v1_DeviceCapacity[] = {
    {1, "value", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {2, "requestPolicy", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1.CapacityRequestPolicy"},
};
constexpr FieldSchema kapi_resource_v1_DeviceClaim[] = {
    {1, "requests", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1.DeviceRequest"},
    {2, "constraints", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1.DeviceConstraint"},
    {3, "config", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1.DeviceClaimConfiguration"},
};
constexpr FieldSchema kapi_resource_v1_DeviceClaimConfiguration[] = {
    {1, "requests", FieldKind::kString, kRepeated, nullptr},
    {2, "", FieldKind::kMessage, kInline, "k8s.io.api.resource.v1.DeviceConfiguration"},
};
constexpr FieldSchema kapi_resource_v1_DeviceClass[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.resource.v1.DeviceClassSpec"},
};
constexpr FieldSchema kapi_resource_v1_DeviceClassConfiguration[] = {
    {1, "", FieldKind::kMessage, kInline, "k8s.io.api.resource.v1.DeviceConfiguration"},
};
constexpr FieldSchema kapi_resource_v1_DeviceClassSpec[] = {
    {1, "selectors", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1.DeviceSelector"},
    {2, "config", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1.DeviceClassConfiguration"},
    {4, "extendedResourceName", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_resource_v1_DeviceConfiguration[] = {
    {1, "opaque", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1.OpaqueDeviceConfiguration"},
};
constexpr FieldSchema kapi_resource_v1_DeviceConstraint[] = {
    {1, "requests", FieldKind::kString, kRepeated, nullptr},
    {2, "matchAttribute", FieldKind::kString, kPointer, nullptr},
    {3, "distinctAttribute", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_resource_v1_DeviceCounterConsumption[] = {
    {1, "counterSet", FieldKind::kString, 0, nullptr},
    {2, "counters", FieldKind::kMessage, kMap, "k8s.io.api.resource.v1.Counter"},
};
constexpr FieldSchema kapi_resource_v1_DeviceRequest[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "exactly", FieldKind::kMessage, kPointer, "k8s.io.api.resource.v1.ExactDeviceRequest"},
    {3, "firstAvailable", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1.DeviceSubRequest"},
};
constexpr FieldSchema kapi_resource_v1_DeviceRequestAllocationResult[] = {
    {1, "request", FieldKind::kString, 0, nullptr},
    {2, "driver", FieldKind::kString, 0, nullptr},
    {3, "pool", FieldKind::kString, 0, nullptr},
    {4, "device", FieldKind::kString, 0, nullptr},
    {5, "adminAccess", FieldKind::kBool, kPointer, nullptr},
    {6, "tolerations", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1.DeviceToleration"},
    {7, "bindingConditions", FieldKind::kString, kRepeated, nullptr},
    {8, "bindingFailureConditions", FieldKind::kString, kRepeated, nullptr},
    {9, "shareID", FieldKind::kString, kPointer, nullptr},
    {10, "consumedCapacity", FieldKind::kMessage, kMap,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {11, "skipNodeOperations", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_resource_v1_DeviceSelector[] = {
    {1, "cel", FieldKind::kMessage, kPointer, "k8s.io.api.resource.v1.CELDeviceSelector"},
};
constexpr FieldSchema kapi_resource_v1_DeviceSubRequest[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "deviceClassName", FieldKind::kString, 0, nullptr},
    {3, "selectors", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1.DeviceSelector"},
    {4, "allocationMode", FieldKind::kString, 0, nullptr},
    {5, "count", FieldKind::kInt64, 0, nullptr},
    {6, "tolerations", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1.DeviceToleration"},
    {7, "capacity", FieldKind::kMessage, kPointer, "k8s.io.api.resource.v1.CapacityRequirements"},
};
constexpr FieldSchema kapi_resource_v1_DeviceTaint[] = {
    {1, "key", FieldKind::kString, 0, nullptr},
    {2, "value", FieldKind::kString, 0, nullptr},
    {3, "effect", FieldKind::kString, 0, nullptr},
    {4, "timeAdded", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
};
constexpr FieldSchema kapi_resource_v1_DeviceToleration[] = {
    {1, "key", FieldKind::kString, 0, nullptr},
    {2, "operator", FieldKind::kString, 0, nullptr},
    {3, "value", FieldKind::kString, 0, nullptr},
    {4, "effect", FieldKind::kString, 0, nullptr},
    {5, "tolerationSeconds", FieldKind::kInt64, kPointer, nullptr},
};
constexpr FieldSchema kapi_resource_v1_ExactDeviceRequest[] = {
    {1, "deviceClassName", FieldKind::kString, 0, nullptr},
    {2, "selectors", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1.DeviceSelector"},
    {3, "allocationMode", FieldKind::kString, 0, nullptr},
    {4, "count", FieldKind::kInt64, 0, nullptr},
    {5, "adminAccess", FieldKind::kBool, kPointer, nullptr},
    {6, "tolerations", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1.DeviceToleration"},
    {7, "capacity", FieldKind::kMessage, kPointer, "k8s.io.api.resource.v1.CapacityRequirements"},
};
constexpr FieldSchema kapi_resource_v1_NetworkDeviceData[] = {
    {1, "interfaceName", FieldKind::kString, 0, nullptr},
    {2, "ips", FieldKind::kString, kRepeated, nullptr},
    {3, "hardwareAddress", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_resource_v1_NodeAllocatableMapping[] = {
    {1, "capacityKey", FieldKind::kString, kPointer, nullptr},
    {2, "capacityMultiplier", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {3, "deviceMultiplier", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_resource_v1_NodeAllocatableOverhead[] = {
    {1, "perPod", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {2, "perContainer", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_resource_v1_NodeAllocatableResource[] = {
    {3, "mapping", FieldKind::kMessage, kPointer, "k8s.io.api.resource.v1.NodeAllocatableMapping"},
    {4, "overhead", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1.NodeAllocatableOverhead"},
};
constexpr FieldSchema kapi_resource_v1_OpaqueDeviceConfiguration[] = {
    {1, "driver", FieldKind::kString, 0, nullptr},
    {2, "parameters", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.runtime.RawExtension"},
};
constexpr FieldSchema kapi_resource_v1_ResourceClaim[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.resource.v1.ResourceClaimSpec"},
    {3, "status", FieldKind::kMessage, 0, "k8s.io.api.resource.v1.ResourceClaimStatus"},
};
constexpr FieldSchema kapi_resource_v1_ResourceClaimConsumerReference[] = {
    {1, "apiGroup", FieldKind::kString, 0, nullptr},
    {3, "resource", FieldKind::kString, 0, nullptr},
    {4, "name", FieldKind::kString, 0, nullptr},
    {5, "uid", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_resource_v1_ResourceClaimSpec[] = {
    {1, "devices", FieldKind::kMessage, 0, "k8s.io.api.resource.v1.DeviceClaim"},
};
constexpr FieldSchema kapi_resource_v1_ResourceClaimStatus[] = {
    {1, "allocation", FieldKind::kMessage, kPointer, "k8s.io.api.resource.v1.AllocationResult"},
    {2, "reservedFor", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1.ResourceClaimConsumerReference"},
    {4, "devices", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1.AllocatedDeviceStatus"},
};
constexpr FieldSchema kapi_resource_v1_ResourceClaimTemplate[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.resource.v1.ResourceClaimTemplateSpec"},
};
constexpr FieldSchema kapi_resource_v1_ResourceClaimTemplateSpec[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.resource.v1.ResourceClaimSpec"},
};
constexpr FieldSchema kapi_resource_v1_ResourcePool[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "generation", FieldKind::kInt64, 0, nullptr},
    {3, "resourceSliceCount", FieldKind::kInt64, 0, nullptr},
};
constexpr FieldSchema kapi_resource_v1_ResourceSlice[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.resource.v1.ResourceSliceSpec"},
};
constexpr FieldSchema kapi_resource_v1_ResourceSliceSpec[] = {
    {1, "driver", FieldKind::kString, 0, nullptr},
    {2, "pool", FieldKind::kMessage, 0, "k8s.io.api.resource.v1.ResourcePool"},
    {3, "nodeName", FieldKind::kString, kPointer, nullptr},
    {4, "nodeSelector", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NodeSelector"},
    {5, "allNodes", FieldKind::kBool, kPointer, nullptr},
    {6, "devices", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1.Device"},
    {7, "perDeviceNodeSelection", FieldKind::kBool, kPointer, nullptr},
    {8, "sharedCounters", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1.CounterSet"},
    {9, "partitionTypeAttribute", FieldKind::kString, kPointer, nullptr},
    {10, "skipNodeOperations", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta1_AllocatedDeviceStatus[] = {
    {1, "driver", FieldKind::kString, 0, nullptr},
    {2, "pool", FieldKind::kString, 0, nullptr},
    {3, "device", FieldKind::kString, 0, nullptr},
    {4, "conditions", FieldKind::kMessage, kRepeated,
     "k8s.io.apimachinery.pkg.apis.meta.v1.Condition"},
    {5, "data", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.runtime.RawExtension"},
    {6, "networkData", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta1.NetworkDeviceData"},
    {7, "shareID", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta1_AllocationResult[] = {
    {1, "devices", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta1.DeviceAllocationResult"},
    {3, "nodeSelector", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NodeSelector"},
    {5, "allocationTimestamp", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
};
constexpr FieldSchema kapi_resource_v1beta1_BasicDevice[] = {
    {1, "attributes", FieldKind::kMessage, kMap, "k8s.io.api.resource.v1beta1.DeviceAttribute"},
    {2, "capacity", FieldKind::kMessage, kMap, "k8s.io.api.resource.v1beta1.DeviceCapacity"},
    {3, "consumesCounters", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta1.DeviceCounterConsumption"},
    {4, "nodeName", FieldKind::kString, kPointer, nullptr},
    {5, "nodeSelector", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NodeSelector"},
    {6, "allNodes", FieldKind::kBool, kPointer, nullptr},
    {7, "taints", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1beta1.DeviceTaint"},
    {8, "bindsToNode", FieldKind::kBool, kPointer, nullptr},
    {9, "bindingConditions", FieldKind::kString, kRepeated, nullptr},
    {10, "bindingFailureConditions", FieldKind::kString, kRepeated, nullptr},
    {11, "allowMultipleAllocations", FieldKind::kBool, kPointer, nullptr},
    {14, "nodeAllocatableResources", FieldKind::kMessage, kMap,
     "k8s.io.api.resource.v1beta1.NodeAllocatableResource"},
};
constexpr FieldSchema kapi_resource_v1beta1_CELDeviceSelector[] = {
    {1, "expression", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta1_CapacityRequestPolicy[] = {
    {1, "default", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {3, "validValues", FieldKind::kMessage, kRepeated,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {4, "validRange", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta1.CapacityRequestPolicyRange"},
};
constexpr FieldSchema kapi_resource_v1beta1_CapacityRequestPolicyRange[] = {
    {1, "min", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {2, "max", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {3, "step", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_resource_v1beta1_CapacityRequirements[] = {
    {1, "requests", FieldKind::kMessage, kMap, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_resource_v1beta1_Counter[] = {
    {1, "value", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_resource_v1beta1_CounterSet[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "counters", FieldKind::kMessage, kMap, "k8s.io.api.resource.v1beta1.Counter"},
};
constexpr FieldSchema kapi_resource_v1beta1_Device[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "basic", FieldKind::kMessage, kPointer, "k8s.io.api.resource.v1beta1.BasicDevice"},
};
constexpr FieldSchema kapi_resource_v1beta1_DeviceAllocationConfiguration[] = {
    {1, "source", FieldKind::kString, 0, nullptr},
    {2, "requests", FieldKind::kString, kRepeated, nullptr},
    {3, "", FieldKind::kMessage, kInline, "k8s.io.api.resource.v1beta1.DeviceConfiguration"},
};
constexpr FieldSchema kapi_resource_v1beta1_DeviceAllocationResult[] = {
    {1, "results", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta1.DeviceRequestAllocationResult"},
    {2, "config", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta1.DeviceAllocationConfiguration"},
};
constexpr FieldSchema kapi_resource_v1beta1_DeviceAttribute[] = {
    {2, "int", FieldKind::kInt64, kPointer, nullptr},
    {3, "bool", FieldKind::kBool, kPointer, nullptr},
    {4, "string", FieldKind::kString, kPointer, nullptr},
    {5, "version", FieldKind::kString, kPointer, nullptr},
    {6, "ints", FieldKind::kInt64, kRepeated, nullptr},
    {7, "bools", FieldKind::kBool, kRepeated, nullptr},
    {8, "strings", FieldKind::kString, kRepeated, nullptr},
    {9, "versions", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta1_DeviceCapacity[] = {
    {1, "value", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {2, "requestPolicy", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta1.CapacityRequestPolicy"},
};
constexpr FieldSchema kapi_resource_v1beta1_DeviceClaim[] = {
    {1, "requests", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1beta1.DeviceRequest"},
    {2, "constraints", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta1.DeviceConstraint"},
    {3, "config", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta1.DeviceClaimConfiguration"},
};
constexpr FieldSchema kapi_resource_v1beta1_DeviceClaimConfiguration[] = {
    {1, "requests", FieldKind::kString, kRepeated, nullptr},
    {2, "", FieldKind::kMessage, kInline, "k8s.io.api.resource.v1beta1.DeviceConfiguration"},
};
constexpr FieldSchema kapi_resource_v1beta1_DeviceClass[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta1.DeviceClassSpec"},
};
constexpr FieldSchema kapi_resource_v1beta1_DeviceClassConfiguration[] = {
    {1, "", FieldKind::kMessage, kInline, "k8s.io.api.resource.v1beta1.DeviceConfiguration"},
};
constexpr FieldSchema kapi_resource_v1beta1_DeviceClassSpec[] = {
    {1, "selectors", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1beta1.DeviceSelector"},
    {2, "config", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta1.DeviceClassConfiguration"},
    {4, "extendedResourceName", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta1_DeviceConfiguration[] = {
    {1, "opaque", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta1.OpaqueDeviceConfiguration"},
};
constexpr FieldSchema kapi_resource_v1beta1_DeviceConstraint[] = {
    {1, "requests", FieldKind::kString, kRepeated, nullptr},
    {2, "matchAttribute", FieldKind::kString, kPointer, nullptr},
    {3, "distinctAttribute", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta1_DeviceCounterConsumption[] = {
    {1, "counterSet", FieldKind::kString, 0, nullptr},
    {2, "counters", FieldKind::kMessage, kMap, "k8s.io.api.resource.v1beta1.Counter"},
};
constexpr FieldSchema kapi_resource_v1beta1_DeviceRequest[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "deviceClassName", FieldKind::kString, 0, nullptr},
    {3, "selectors", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1beta1.DeviceSelector"},
    {4, "allocationMode", FieldKind::kString, 0, nullptr},
    {5, "count", FieldKind::kInt64, 0, nullptr},
    {6, "adminAccess", FieldKind::kBool, kPointer, nullptr},
    {7, "firstAvailable", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta1.DeviceSubRequest"},
    {8, "tolerations", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta1.DeviceToleration"},
    {9, "capacity", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta1.CapacityRequirements"},
};
constexpr FieldSchema kapi_resource_v1beta1_DeviceRequestAllocationResult[] = {
    {1, "request", FieldKind::kString, 0, nullptr},
    {2, "driver", FieldKind::kString, 0, nullptr},
    {3, "pool", FieldKind::kString, 0, nullptr},
    {4, "device", FieldKind::kString, 0, nullptr},
    {5, "adminAccess", FieldKind::kBool, kPointer, nullptr},
    {6, "tolerations", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta1.DeviceToleration"},
    {7, "bindingConditions", FieldKind::kString, kRepeated, nullptr},
    {8, "bindingFailureConditions", FieldKind::kString, kRepeated, nullptr},
    {9, "shareID", FieldKind::kString, kPointer, nullptr},
    {10, "consumedCapacity", FieldKind::kMessage, kMap,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {11, "skipNodeOperations", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta1_DeviceSelector[] = {
    {1, "cel", FieldKind::kMessage, kPointer, "k8s.io.api.resource.v1beta1.CELDeviceSelector"},
};
constexpr FieldSchema kapi_resource_v1beta1_DeviceSubRequest[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "deviceClassName", FieldKind::kString, 0, nullptr},
    {3, "selectors", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1beta1.DeviceSelector"},
    {4, "allocationMode", FieldKind::kString, 0, nullptr},
    {5, "count", FieldKind::kInt64, 0, nullptr},
    {7, "tolerations", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta1.DeviceToleration"},
    {8, "capacity", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta1.CapacityRequirements"},
};
constexpr FieldSchema kapi_resource_v1beta1_DeviceTaint[] = {
    {1, "key", FieldKind::kString, 0, nullptr},
    {2, "value", FieldKind::kString, 0, nullptr},
    {3, "effect", FieldKind::kString, 0, nullptr},
    {4, "timeAdded", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
};
constexpr FieldSchema kapi_resource_v1beta1_DeviceToleration[] = {
    {1, "key", FieldKind::kString, 0, nullptr},
    {2, "operator", FieldKind::kString, 0, nullptr},
    {3, "value", FieldKind::kString, 0, nullptr},
    {4, "effect", FieldKind::kString, 0, nullptr},
    {5, "tolerationSeconds", FieldKind::kInt64, kPointer, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta1_NetworkDeviceData[] = {
    {1, "interfaceName", FieldKind::kString, 0, nullptr},
    {2, "ips", FieldKind::kString, kRepeated, nullptr},
    {3, "hardwareAddress", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta1_NodeAllocatableMapping[] = {
    {1, "capacityKey", FieldKind::kString, kPointer, nullptr},
    {2, "capacityMultiplier", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {3, "deviceMultiplier", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_resource_v1beta1_NodeAllocatableOverhead[] = {
    {1, "perPod", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {2, "perContainer", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_resource_v1beta1_NodeAllocatableResource[] = {
    {3, "mapping", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta1.NodeAllocatableMapping"},
    {4, "overhead", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta1.NodeAllocatableOverhead"},
};
constexpr FieldSchema kapi_resource_v1beta1_OpaqueDeviceConfiguration[] = {
    {1, "driver", FieldKind::kString, 0, nullptr},
    {2, "parameters", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.runtime.RawExtension"},
};
constexpr FieldSchema kapi_resource_v1beta1_ResourceClaim[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta1.ResourceClaimSpec"},
    {3, "status", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta1.ResourceClaimStatus"},
};
constexpr FieldSchema kapi_resource_v1beta1_ResourceClaimConsumerReference[] = {
    {1, "apiGroup", FieldKind::kString, 0, nullptr},
    {3, "resource", FieldKind::kString, 0, nullptr},
    {4, "name", FieldKind::kString, 0, nullptr},
    {5, "uid", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta1_ResourceClaimSpec[] = {
    {1, "devices", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta1.DeviceClaim"},
};
constexpr FieldSchema kapi_resource_v1beta1_ResourceClaimStatus[] = {
    {1, "allocation", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta1.AllocationResult"},
    {2, "reservedFor", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta1.ResourceClaimConsumerReference"},
    {4, "devices", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta1.AllocatedDeviceStatus"},
};
constexpr FieldSchema kapi_resource_v1beta1_ResourceClaimTemplate[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta1.ResourceClaimTemplateSpec"},
};
constexpr FieldSchema kapi_resource_v1beta1_ResourceClaimTemplateSpec[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta1.ResourceClaimSpec"},
};
constexpr FieldSchema kapi_resource_v1beta1_ResourcePool[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "generation", FieldKind::kInt64, 0, nullptr},
    {3, "resourceSliceCount", FieldKind::kInt64, 0, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta1_ResourceSlice[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta1.ResourceSliceSpec"},
};
constexpr FieldSchema kapi_resource_v1beta1_ResourceSliceSpec[] = {
    {1, "driver", FieldKind::kString, 0, nullptr},
    {2, "pool", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta1.ResourcePool"},
    {3, "nodeName", FieldKind::kString, 0, nullptr},
    {4, "nodeSelector", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NodeSelector"},
    {5, "allNodes", FieldKind::kBool, 0, nullptr},
    {6, "devices", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1beta1.Device"},
    {7, "perDeviceNodeSelection", FieldKind::kBool, kPointer, nullptr},
    {8, "sharedCounters", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1beta1.CounterSet"},
    {9, "partitionTypeAttribute", FieldKind::kString, kPointer, nullptr},
    {10, "skipNodeOperations", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta2_AllocatedDeviceStatus[] = {
    {1, "driver", FieldKind::kString, 0, nullptr},
    {2, "pool", FieldKind::kString, 0, nullptr},
    {3, "device", FieldKind::kString, 0, nullptr},
    {4, "conditions", FieldKind::kMessage, kRepeated,
     "k8s.io.apimachinery.pkg.apis.meta.v1.Condition"},
    {5, "data", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.runtime.RawExtension"},
    {6, "networkData", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta2.NetworkDeviceData"},
    {7, "shareID", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta2_AllocationResult[] = {
    {1, "devices", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta2.DeviceAllocationResult"},
    {3, "nodeSelector", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NodeSelector"},
    {5, "allocationTimestamp", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
};
constexpr FieldSchema kapi_resource_v1beta2_CELDeviceSelector[] = {
    {1, "expression", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta2_CapacityRequestPolicy[] = {
    {1, "default", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {3, "validValues", FieldKind::kMessage, kRepeated,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {4, "validRange", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta2.CapacityRequestPolicyRange"},
};
constexpr FieldSchema kapi_resource_v1beta2_CapacityRequestPolicyRange[] = {
    {1, "min", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {2, "max", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {3, "step", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_resource_v1beta2_CapacityRequirements[] = {
    {1, "requests", FieldKind::kMessage, kMap, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_resource_v1beta2_Counter[] = {
    {1, "value", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_resource_v1beta2_CounterSet[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "counters", FieldKind::kMessage, kMap, "k8s.io.api.resource.v1beta2.Counter"},
};
constexpr FieldSchema kapi_resource_v1beta2_Device[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "attributes", FieldKind::kMessage, kMap, "k8s.io.api.resource.v1beta2.DeviceAttribute"},
    {3, "capacity", FieldKind::kMessage, kMap, "k8s.io.api.resource.v1beta2.DeviceCapacity"},
    {4, "consumesCounters", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta2.DeviceCounterConsumption"},
    {5, "nodeName", FieldKind::kString, kPointer, nullptr},
    {6, "nodeSelector", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NodeSelector"},
    {7, "allNodes", FieldKind::kBool, kPointer, nullptr},
    {8, "taints", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1beta2.DeviceTaint"},
    {9, "bindsToNode", FieldKind::kBool, kPointer, nullptr},
    {10, "bindingConditions", FieldKind::kString, kRepeated, nullptr},
    {11, "bindingFailureConditions", FieldKind::kString, kRepeated, nullptr},
    {12, "allowMultipleAllocations", FieldKind::kBool, kPointer, nullptr},
    {14, "nodeAllocatableResources", FieldKind::kMessage, kMap,
     "k8s.io.api.resource.v1beta2.NodeAllocatableResource"},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceAllocationConfiguration[] = {
    {1, "source", FieldKind::kString, 0, nullptr},
    {2, "requests", FieldKind::kString, kRepeated, nullptr},
    {3, "", FieldKind::kMessage, kInline, "k8s.io.api.resource.v1beta2.DeviceConfiguration"},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceAllocationResult[] = {
    {1, "results", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta2.DeviceRequestAllocationResult"},
    {2, "config", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta2.DeviceAllocationConfiguration"},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceAttribute[] = {
    {2, "int", FieldKind::kInt64, kPointer, nullptr},
    {3, "bool", FieldKind::kBool, kPointer, nullptr},
    {4, "string", FieldKind::kString, kPointer, nullptr},
    {5, "version", FieldKind::kString, kPointer, nullptr},
    {6, "ints", FieldKind::kInt64, kRepeated, nullptr},
    {7, "bools", FieldKind::kBool, kRepeated, nullptr},
    {8, "strings", FieldKind::kString, kRepeated, nullptr},
    {9, "versions", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceCapacity[] = {
    {1, "value", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {2, "requestPolicy", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta2.CapacityRequestPolicy"},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceClaim[] = {
    {1, "requests", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1beta2.DeviceRequest"},
    {2, "constraints", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta2.DeviceConstraint"},
    {3, "config", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta2.DeviceClaimConfiguration"},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceClaimConfiguration[] = {
    {1, "requests", FieldKind::kString, kRepeated, nullptr},
    {2, "", FieldKind::kMessage, kInline, "k8s.io.api.resource.v1beta2.DeviceConfiguration"},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceClass[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta2.DeviceClassSpec"},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceClassConfiguration[] = {
    {1, "", FieldKind::kMessage, kInline, "k8s.io.api.resource.v1beta2.DeviceConfiguration"},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceClassSpec[] = {
    {1, "selectors", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1beta2.DeviceSelector"},
    {2, "config", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta2.DeviceClassConfiguration"},
    {4, "extendedResourceName", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceConfiguration[] = {
    {1, "opaque", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta2.OpaqueDeviceConfiguration"},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceConstraint[] = {
    {1, "requests", FieldKind::kString, kRepeated, nullptr},
    {2, "matchAttribute", FieldKind::kString, kPointer, nullptr},
    {3, "distinctAttribute", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceCounterConsumption[] = {
    {1, "counterSet", FieldKind::kString, 0, nullptr},
    {2, "counters", FieldKind::kMessage, kMap, "k8s.io.api.resource.v1beta2.Counter"},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceRequest[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "exactly", FieldKind::kMessage, kPointer, "k8s.io.api.resource.v1beta2.ExactDeviceRequest"},
    {3, "firstAvailable", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta2.DeviceSubRequest"},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceRequestAllocationResult[] = {
    {1, "request", FieldKind::kString, 0, nullptr},
    {2, "driver", FieldKind::kString, 0, nullptr},
    {3, "pool", FieldKind::kString, 0, nullptr},
    {4, "device", FieldKind::kString, 0, nullptr},
    {5, "adminAccess", FieldKind::kBool, kPointer, nullptr},
    {6, "tolerations", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta2.DeviceToleration"},
    {7, "bindingConditions", FieldKind::kString, kRepeated, nullptr},
    {8, "bindingFailureConditions", FieldKind::kString, kRepeated, nullptr},
    {9, "shareID", FieldKind::kString, kPointer, nullptr},
    {10, "consumedCapacity", FieldKind::kMessage, kMap,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {11, "skipNodeOperations", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceSelector[] = {
    {1, "cel", FieldKind::kMessage, kPointer, "k8s.io.api.resource.v1beta2.CELDeviceSelector"},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceSubRequest[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "deviceClassName", FieldKind::kString, 0, nullptr},
    {3, "selectors", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1beta2.DeviceSelector"},
    {4, "allocationMode", FieldKind::kString, 0, nullptr},
    {5, "count", FieldKind::kInt64, 0, nullptr},
    {6, "tolerations", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta2.DeviceToleration"},
    {7, "capacity", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta2.CapacityRequirements"},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceTaint[] = {
    {1, "key", FieldKind::kString, 0, nullptr},
    {2, "value", FieldKind::kString, 0, nullptr},
    {3, "effect", FieldKind::kString, 0, nullptr},
    {4, "timeAdded", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceTaintRule[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta2.DeviceTaintRuleSpec"},
    {3, "status", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta2.DeviceTaintRuleStatus"},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceTaintRuleSpec[] = {
    {1, "deviceSelector", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta2.DeviceTaintSelector"},
    {2, "taint", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta2.DeviceTaint"},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceTaintRuleStatus[] = {
    {1, "conditions", FieldKind::kMessage, kRepeated,
     "k8s.io.apimachinery.pkg.apis.meta.v1.Condition"},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceTaintSelector[] = {
    {2, "driver", FieldKind::kString, kPointer, nullptr},
    {3, "pool", FieldKind::kString, kPointer, nullptr},
    {4, "device", FieldKind::kString, kPointer, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta2_DeviceToleration[] = {
    {1, "key", FieldKind::kString, 0, nullptr},
    {2, "operator", FieldKind::kString, 0, nullptr},
    {3, "value", FieldKind::kString, 0, nullptr},
    {4, "effect", FieldKind::kString, 0, nullptr},
    {5, "tolerationSeconds", FieldKind::kInt64, kPointer, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta2_ExactDeviceRequest[] = {
    {1, "deviceClassName", FieldKind::kString, 0, nullptr},
    {2, "selectors", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1beta2.DeviceSelector"},
    {3, "allocationMode", FieldKind::kString, 0, nullptr},
    {4, "count", FieldKind::kInt64, 0, nullptr},
    {5, "adminAccess", FieldKind::kBool, kPointer, nullptr},
    {6, "tolerations", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta2.DeviceToleration"},
    {7, "capacity", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta2.CapacityRequirements"},
};
constexpr FieldSchema kapi_resource_v1beta2_NetworkDeviceData[] = {
    {1, "interfaceName", FieldKind::kString, 0, nullptr},
    {2, "ips", FieldKind::kString, kRepeated, nullptr},
    {3, "hardwareAddress", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta2_NodeAllocatableMapping[] = {
    {1, "capacityKey", FieldKind::kString, kPointer, nullptr},
    {2, "capacityMultiplier", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {3, "deviceMultiplier", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_resource_v1beta2_NodeAllocatableOverhead[] = {
    {1, "perPod", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.api.resource.Quantity"},
    {2, "perContainer", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.api.resource.Quantity"},
};
constexpr FieldSchema kapi_resource_v1beta2_NodeAllocatableResource[] = {
    {3, "mapping", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta2.NodeAllocatableMapping"},
    {4, "overhead", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta2.NodeAllocatableOverhead"},
};
constexpr FieldSchema kapi_resource_v1beta2_OpaqueDeviceConfiguration[] = {
    {1, "driver", FieldKind::kString, 0, nullptr},
    {2, "parameters", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.runtime.RawExtension"},
};
constexpr FieldSchema kapi_resource_v1beta2_ResourceClaim[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta2.ResourceClaimSpec"},
    {3, "status", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta2.ResourceClaimStatus"},
};
constexpr FieldSchema kapi_resource_v1beta2_ResourceClaimConsumerReference[] = {
    {1, "apiGroup", FieldKind::kString, 0, nullptr},
    {3, "resource", FieldKind::kString, 0, nullptr},
    {4, "name", FieldKind::kString, 0, nullptr},
    {5, "uid", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta2_ResourceClaimSpec[] = {
    {1, "devices", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta2.DeviceClaim"},
};
constexpr FieldSchema kapi_resource_v1beta2_ResourceClaimStatus[] = {
    {1, "allocation", FieldKind::kMessage, kPointer,
     "k8s.io.api.resource.v1beta2.AllocationResult"},
    {2, "reservedFor", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta2.ResourceClaimConsumerReference"},
    {4, "devices", FieldKind::kMessage, kRepeated,
     "k8s.io.api.resource.v1beta2.AllocatedDeviceStatus"},
};
constexpr FieldSchema kapi_resource_v1beta2_ResourceClaimTemplate[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta2.ResourceClaimTemplateSpec"},
};
constexpr FieldSchema kapi_resource_v1beta2_ResourceClaimTemplateSpec[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta2.ResourceClaimSpec"},
};
constexpr FieldSchema kapi_resource_v1beta2_ResourcePool[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "generation", FieldKind::kInt64, 0, nullptr},
    {3, "resourceSliceCount", FieldKind::kInt64, 0, nullptr},
};
constexpr FieldSchema kapi_resource_v1beta2_ResourceSlice[] = {
    {1, "metadata", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    {2, "spec", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta2.ResourceSliceSpec"},
};
constexpr FieldSchema kapi_resource_v1beta2_ResourceSliceSpec[] = {
    {1, "driver", FieldKind::kString, 0, nullptr},
    {2, "pool", FieldKind::kMessage, 0, "k8s.io.api.resource.v1beta2.ResourcePool"},
    {3, "nodeName", FieldKind::kString, kPointer, nullptr},
    {4, "nodeSelector", FieldKind::kMessage, kPointer, "k8s.io.api.core.v1.NodeSelector"},
    {5, "allNodes", FieldKind::kBool, kPointer, nullptr},
    {6, "devices", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1beta2.Device"},
    {7, "perDeviceNodeSelection", FieldKind::kBool, kPointer, nullptr},
    {8, "sharedCounters", FieldKind::kMessage, kRepeated, "k8s.io.api.resource.v1beta2.CounterSet"},
    {9, "partitionTypeAttribute", FieldKind::kString, kPointer, nullptr},
    {10, "skipNodeOperations", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapimachinery_pkg_apis_meta_v1_Condition[] = {
    {1, "type", FieldKind::kString, 0, nullptr},
    {2, "status", FieldKind::kString, 0, nullptr},
    {3, "observedGeneration", FieldKind::kInt64, 0, nullptr},
    {4, "lastTransitionTime", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
    {5, "reason", FieldKind::kString, 0, nullptr},
    {6, "message", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapimachinery_pkg_apis_meta_v1_DeleteOptions[] = {
    {1, "gracePeriodSeconds", FieldKind::kInt64, kPointer, nullptr},
    {2, "preconditions", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.apis.meta.v1.Preconditions"},
    {3, "orphanDependents", FieldKind::kBool, kPointer, nullptr},
    {4, "propagationPolicy", FieldKind::kString, kPointer, nullptr},
    {5, "dryRun", FieldKind::kString, kRepeated, nullptr},
    {6, "ignoreStoreReadErrorWithClusterBreakingPotential", FieldKind::kBool, kPointer, nullptr},
};
constexpr FieldSchema kapimachinery_pkg_apis_meta_v1_LabelSelector[] = {
    {1, "matchLabels", FieldKind::kString, kMap, nullptr},
    {2, "matchExpressions", FieldKind::kMessage, kRepeated,
     "k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement"},
};
constexpr FieldSchema kapimachinery_pkg_apis_meta_v1_LabelSelectorRequirement[] = {
    {1, "key", FieldKind::kString, 0, nullptr},
    {2, "operator", FieldKind::kString, 0, nullptr},
    {3, "values", FieldKind::kString, kRepeated, nullptr},
};
constexpr FieldSchema kapimachinery_pkg_apis_meta_v1_ManagedFieldsEntry[] = {
    {1, "manager", FieldKind::kString, 0, nullptr},
    {2, "operation", FieldKind::kString, 0, nullptr},
    {3, "apiVersion", FieldKind::kString, 0, nullptr},
    {4, "time", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
    {6, "fieldsType", FieldKind::kString, 0, nullptr},
    {7, "fieldsV1", FieldKind::kMessage, kPointer, "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1"},
    {8, "subresource", FieldKind::kString, 0, nullptr},
};
constexpr FieldSchema kapimachinery_pkg_apis_meta_v1_ObjectMeta[] = {
    {1, "name", FieldKind::kString, 0, nullptr},
    {2, "generateName", FieldKind::kString, 0, nullptr},
    {3, "namespace", FieldKind::kString, 0, nullptr},
    {4, "selfLink", FieldKind::kString, 0, nullptr},
    {5, "uid", FieldKind::kString, 0, nullptr},
    {6, "resourceVersion", FieldKind::kString, 0, nullptr},
    {7, "generation", FieldKind::kInt64, 0, nullptr},
    {8, "creationTimestamp", FieldKind::kMessage, 0, "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
    {9, "deletionTimestamp", FieldKind::kMessage, kPointer,
     "k8s.io.apimachinery.pkg.apis.meta.v1.Time"},
    {10, "deletionGracePeriodSeconds", FieldKind::kInt64, kPointer, nullptr},
    {11, "labels", FieldKind::kString, kMap, nullptr},
    {12, "annotations", FieldKind::kString, kMap, nullptr},
    {13, "ownerReferences", FieldKind::kMessage, kRepeated,
     "k8s.io.apimachinery.pkg.apis.meta.v1.OwnerReference"},
    {14, "finalizers", FieldKind::kString, kRepeated, nullptr},
    {17, "managedFields", FieldKind::kMessage, kRepeated,
     "k8s.io.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry"},
};
constexpr FieldSchema kapimachinery_pkg_apis_meta_v1_OwnerReference[] = {
    {1, "kind", FieldKind::kString, 0, nullptr},
    {3, "name", FieldKind::kString, 0, nullptr},
    {4, "uid", FieldKind::kString, 0, nullptr},
    {5, "apiVersion", FieldKind::kString, 0, nullptr},
    {6, "controller", FieldKind::kBool, kPointer, nullptr},
    {7, "blockOwnerDeletion", FieldKind::kBool, kPointer, nullptr},
};
constexpr FieldSchema kapimachinery_pkg_apis_meta_v1_Preconditions[] = {
    {1, "uid", FieldKind::kString, kPointer, nullptr},
    {2, "resourceVersion", FieldKind::kString, kPointer, nullptr},
};
constexpr MessageSchema kMessages[] = {
    {"k8s.io.api.apps.v1.Deployment", kapi_apps_v1_Deployment, Special::kNone},
    {"k8s.io.api.apps.v1.DeploymentCondition", kapi_apps_v1_DeploymentCondition, Special::kNone},
    {"k8s.io.api.apps.v1.DeploymentSpec", kapi_apps_v1_DeploymentSpec, Special::kNone},
    {"k8s.io.api.apps.v1.DeploymentStatus", kapi_apps_v1_DeploymentStatus, Special::kNone},
    {"k8s.io.api.apps.v1.DeploymentStrategy", kapi_apps_v1_DeploymentStrategy, Special::kNone},
    {"k8s.io.api.apps.v1.ReplicaSet", kapi_apps_v1_ReplicaSet, Special::kNone},
    {"k8s.io.api.apps.v1.ReplicaSetCondition", kapi_apps_v1_ReplicaSetCondition, Special::kNone},
    {"k8s.io.api.apps.v1.ReplicaSetSpec", kapi_apps_v1_ReplicaSetSpec, Special::kNone},
    {"k8s.io.api.apps.v1.ReplicaSetStatus", kapi_apps_v1_ReplicaSetStatus, Special::kNone},
    {"k8s.io.api.apps.v1.RollingUpdateDeployment", kapi_apps_v1_RollingUpdateDeployment,
     Special::kNone},
    {"k8s.io.api.coordination.v1.Lease", kapi_coordination_v1_Lease, Special::kNone},
    {"k8s.io.api.coordination.v1.LeaseSpec", kapi_coordination_v1_LeaseSpec, Special::kNone},
    {"k8s.io.api.core.v1.AWSElasticBlockStoreVolumeSource",
     kapi_core_v1_AWSElasticBlockStoreVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.Affinity", kapi_core_v1_Affinity, Special::kNone},
    {"k8s.io.api.core.v1.AppArmorProfile", kapi_core_v1_AppArmorProfile, Special::kNone},
    {"k8s.io.api.core.v1.AttachedVolume", kapi_core_v1_AttachedVolume, Special::kNone},
    {"k8s.io.api.core.v1.AzureDiskVolumeSource", kapi_core_v1_AzureDiskVolumeSource,
     Special::kNone},
    {"k8s.io.api.core.v1.AzureFileVolumeSource", kapi_core_v1_AzureFileVolumeSource,
     Special::kNone},
    {"k8s.io.api.core.v1.Binding", kapi_core_v1_Binding, Special::kNone},
    {"k8s.io.api.core.v1.CSIVolumeSource", kapi_core_v1_CSIVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.Capabilities", kapi_core_v1_Capabilities, Special::kNone},
    {"k8s.io.api.core.v1.CephFSVolumeSource", kapi_core_v1_CephFSVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.CinderVolumeSource", kapi_core_v1_CinderVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.ClusterTrustBundleProjection", kapi_core_v1_ClusterTrustBundleProjection,
     Special::kNone},
    {"k8s.io.api.core.v1.ConfigMap", kapi_core_v1_ConfigMap, Special::kNone},
    {"k8s.io.api.core.v1.ConfigMapEnvSource", kapi_core_v1_ConfigMapEnvSource, Special::kNone},
    {"k8s.io.api.core.v1.ConfigMapKeySelector", kapi_core_v1_ConfigMapKeySelector, Special::kNone},
    {"k8s.io.api.core.v1.ConfigMapNodeConfigSource", kapi_core_v1_ConfigMapNodeConfigSource,
     Special::kNone},
    {"k8s.io.api.core.v1.ConfigMapProjection", kapi_core_v1_ConfigMapProjection, Special::kNone},
    {"k8s.io.api.core.v1.ConfigMapVolumeSource", kapi_core_v1_ConfigMapVolumeSource,
     Special::kNone},
    {"k8s.io.api.core.v1.Container", kapi_core_v1_Container, Special::kNone},
    {"k8s.io.api.core.v1.ContainerExtendedResourceRequest",
     kapi_core_v1_ContainerExtendedResourceRequest, Special::kNone},
    {"k8s.io.api.core.v1.ContainerImage", kapi_core_v1_ContainerImage, Special::kNone},
    {"k8s.io.api.core.v1.ContainerPort", kapi_core_v1_ContainerPort, Special::kNone},
    {"k8s.io.api.core.v1.ContainerResizePolicy", kapi_core_v1_ContainerResizePolicy,
     Special::kNone},
    {"k8s.io.api.core.v1.ContainerRestartRule", kapi_core_v1_ContainerRestartRule, Special::kNone},
    {"k8s.io.api.core.v1.ContainerRestartRuleOnExitCodes",
     kapi_core_v1_ContainerRestartRuleOnExitCodes, Special::kNone},
    {"k8s.io.api.core.v1.ContainerState", kapi_core_v1_ContainerState, Special::kNone},
    {"k8s.io.api.core.v1.ContainerStateRunning", kapi_core_v1_ContainerStateRunning,
     Special::kNone},
    {"k8s.io.api.core.v1.ContainerStateTerminated", kapi_core_v1_ContainerStateTerminated,
     Special::kNone},
    {"k8s.io.api.core.v1.ContainerStateWaiting", kapi_core_v1_ContainerStateWaiting,
     Special::kNone},
    {"k8s.io.api.core.v1.ContainerStatus", kapi_core_v1_ContainerStatus, Special::kNone},
    {"k8s.io.api.core.v1.ContainerUser", kapi_core_v1_ContainerUser, Special::kNone},
    {"k8s.io.api.core.v1.DaemonEndpoint", kapi_core_v1_DaemonEndpoint, Special::kNone},
    {"k8s.io.api.core.v1.DownwardAPIProjection", kapi_core_v1_DownwardAPIProjection,
     Special::kNone},
    {"k8s.io.api.core.v1.DownwardAPIVolumeFile", kapi_core_v1_DownwardAPIVolumeFile,
     Special::kNone},
    {"k8s.io.api.core.v1.DownwardAPIVolumeSource", kapi_core_v1_DownwardAPIVolumeSource,
     Special::kNone},
    {"k8s.io.api.core.v1.EmptyDirVolumeSource", kapi_core_v1_EmptyDirVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.EnvFromSource", kapi_core_v1_EnvFromSource, Special::kNone},
    {"k8s.io.api.core.v1.EnvVar", kapi_core_v1_EnvVar, Special::kNone},
    {"k8s.io.api.core.v1.EnvVarSource", kapi_core_v1_EnvVarSource, Special::kNone},
    {"k8s.io.api.core.v1.EphemeralContainer", kapi_core_v1_EphemeralContainer, Special::kNone},
    {"k8s.io.api.core.v1.EphemeralContainerCommon", kapi_core_v1_EphemeralContainerCommon,
     Special::kNone},
    {"k8s.io.api.core.v1.EphemeralVolumeSource", kapi_core_v1_EphemeralVolumeSource,
     Special::kNone},
    {"k8s.io.api.core.v1.Event", kapi_core_v1_Event, Special::kNone},
    {"k8s.io.api.core.v1.EventSeries", kapi_core_v1_EventSeries, Special::kNone},
    {"k8s.io.api.core.v1.EventSource", kapi_core_v1_EventSource, Special::kNone},
    {"k8s.io.api.core.v1.EvictionResponder", kapi_core_v1_EvictionResponder, Special::kNone},
    {"k8s.io.api.core.v1.ExecAction", kapi_core_v1_ExecAction, Special::kNone},
    {"k8s.io.api.core.v1.FCVolumeSource", kapi_core_v1_FCVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.FileKeySelector", kapi_core_v1_FileKeySelector, Special::kNone},
    {"k8s.io.api.core.v1.FlexVolumeSource", kapi_core_v1_FlexVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.FlockerVolumeSource", kapi_core_v1_FlockerVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.GCEPersistentDiskVolumeSource", kapi_core_v1_GCEPersistentDiskVolumeSource,
     Special::kNone},
    {"k8s.io.api.core.v1.GRPCAction", kapi_core_v1_GRPCAction, Special::kNone},
    {"k8s.io.api.core.v1.GitRepoVolumeSource", kapi_core_v1_GitRepoVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.GlusterfsVolumeSource", kapi_core_v1_GlusterfsVolumeSource,
     Special::kNone},
    {"k8s.io.api.core.v1.HTTPGetAction", kapi_core_v1_HTTPGetAction, Special::kNone},
    {"k8s.io.api.core.v1.HTTPHeader", kapi_core_v1_HTTPHeader, Special::kNone},
    {"k8s.io.api.core.v1.HostAlias", kapi_core_v1_HostAlias, Special::kNone},
    {"k8s.io.api.core.v1.HostIP", kapi_core_v1_HostIP, Special::kNone},
    {"k8s.io.api.core.v1.HostPathVolumeSource", kapi_core_v1_HostPathVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.ISCSIVolumeSource", kapi_core_v1_ISCSIVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.ImageVolumeSource", kapi_core_v1_ImageVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.ImageVolumeStatus", kapi_core_v1_ImageVolumeStatus, Special::kNone},
    {"k8s.io.api.core.v1.KeyToPath", kapi_core_v1_KeyToPath, Special::kNone},
    {"k8s.io.api.core.v1.Lifecycle", kapi_core_v1_Lifecycle, Special::kNone},
    {"k8s.io.api.core.v1.LifecycleHandler", kapi_core_v1_LifecycleHandler, Special::kNone},
    {"k8s.io.api.core.v1.LinuxContainerUser", kapi_core_v1_LinuxContainerUser, Special::kNone},
    {"k8s.io.api.core.v1.LocalObjectReference", kapi_core_v1_LocalObjectReference, Special::kNone},
    {"k8s.io.api.core.v1.NFSVolumeSource", kapi_core_v1_NFSVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.Namespace", kapi_core_v1_Namespace, Special::kNone},
    {"k8s.io.api.core.v1.NamespaceCondition", kapi_core_v1_NamespaceCondition, Special::kNone},
    {"k8s.io.api.core.v1.NamespaceSpec", kapi_core_v1_NamespaceSpec, Special::kNone},
    {"k8s.io.api.core.v1.NamespaceStatus", kapi_core_v1_NamespaceStatus, Special::kNone},
    {"k8s.io.api.core.v1.Node", kapi_core_v1_Node, Special::kNone},
    {"k8s.io.api.core.v1.NodeAddress", kapi_core_v1_NodeAddress, Special::kNone},
    {"k8s.io.api.core.v1.NodeAffinity", kapi_core_v1_NodeAffinity, Special::kNone},
    {"k8s.io.api.core.v1.NodeAllocatableMappedResources",
     kapi_core_v1_NodeAllocatableMappedResources, Special::kNone},
    {"k8s.io.api.core.v1.NodeAllocatableOverheadResources",
     kapi_core_v1_NodeAllocatableOverheadResources, Special::kNone},
    {"k8s.io.api.core.v1.NodeAllocatableResourceClaimStatus",
     kapi_core_v1_NodeAllocatableResourceClaimStatus, Special::kNone},
    {"k8s.io.api.core.v1.NodeCondition", kapi_core_v1_NodeCondition, Special::kNone},
    {"k8s.io.api.core.v1.NodeConfigSource", kapi_core_v1_NodeConfigSource, Special::kNone},
    {"k8s.io.api.core.v1.NodeConfigStatus", kapi_core_v1_NodeConfigStatus, Special::kNone},
    {"k8s.io.api.core.v1.NodeDaemonEndpoints", kapi_core_v1_NodeDaemonEndpoints, Special::kNone},
    {"k8s.io.api.core.v1.NodeFeatures", kapi_core_v1_NodeFeatures, Special::kNone},
    {"k8s.io.api.core.v1.NodePodPreemptionPolicy", kapi_core_v1_NodePodPreemptionPolicy,
     Special::kNone},
    {"k8s.io.api.core.v1.NodeRuntimeHandler", kapi_core_v1_NodeRuntimeHandler, Special::kNone},
    {"k8s.io.api.core.v1.NodeRuntimeHandlerFeatures", kapi_core_v1_NodeRuntimeHandlerFeatures,
     Special::kNone},
    {"k8s.io.api.core.v1.NodeSelector", kapi_core_v1_NodeSelector, Special::kNone},
    {"k8s.io.api.core.v1.NodeSelectorRequirement", kapi_core_v1_NodeSelectorRequirement,
     Special::kNone},
    {"k8s.io.api.core.v1.NodeSelectorTerm", kapi_core_v1_NodeSelectorTerm, Special::kNone},
    {"k8s.io.api.core.v1.NodeSpec", kapi_core_v1_NodeSpec, Special::kNone},
    {"k8s.io.api.core.v1.NodeStatus", kapi_core_v1_NodeStatus, Special::kNone},
    {"k8s.io.api.core.v1.NodeSwapStatus", kapi_core_v1_NodeSwapStatus, Special::kNone},
    {"k8s.io.api.core.v1.NodeSystemInfo", kapi_core_v1_NodeSystemInfo, Special::kNone},
    {"k8s.io.api.core.v1.ObjectFieldSelector", kapi_core_v1_ObjectFieldSelector, Special::kNone},
    {"k8s.io.api.core.v1.ObjectReference", kapi_core_v1_ObjectReference, Special::kNone},
    {"k8s.io.api.core.v1.PersistentVolumeClaimSpec", kapi_core_v1_PersistentVolumeClaimSpec,
     Special::kNone},
    {"k8s.io.api.core.v1.PersistentVolumeClaimTemplate", kapi_core_v1_PersistentVolumeClaimTemplate,
     Special::kNone},
    {"k8s.io.api.core.v1.PersistentVolumeClaimVolumeSource",
     kapi_core_v1_PersistentVolumeClaimVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.PhotonPersistentDiskVolumeSource",
     kapi_core_v1_PhotonPersistentDiskVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.Pod", kapi_core_v1_Pod, Special::kNone},
    {"k8s.io.api.core.v1.PodAffinity", kapi_core_v1_PodAffinity, Special::kNone},
    {"k8s.io.api.core.v1.PodAffinityTerm", kapi_core_v1_PodAffinityTerm, Special::kNone},
    {"k8s.io.api.core.v1.PodAntiAffinity", kapi_core_v1_PodAntiAffinity, Special::kNone},
    {"k8s.io.api.core.v1.PodCertificateProjection", kapi_core_v1_PodCertificateProjection,
     Special::kNone},
    {"k8s.io.api.core.v1.PodCondition", kapi_core_v1_PodCondition, Special::kNone},
    {"k8s.io.api.core.v1.PodDNSConfig", kapi_core_v1_PodDNSConfig, Special::kNone},
    {"k8s.io.api.core.v1.PodDNSConfigOption", kapi_core_v1_PodDNSConfigOption, Special::kNone},
    {"k8s.io.api.core.v1.PodExtendedResourceClaimStatus",
     kapi_core_v1_PodExtendedResourceClaimStatus, Special::kNone},
    {"k8s.io.api.core.v1.PodIP", kapi_core_v1_PodIP, Special::kNone},
    {"k8s.io.api.core.v1.PodOS", kapi_core_v1_PodOS, Special::kNone},
    {"k8s.io.api.core.v1.PodReadinessGate", kapi_core_v1_PodReadinessGate, Special::kNone},
    {"k8s.io.api.core.v1.PodResourceClaim", kapi_core_v1_PodResourceClaim, Special::kNone},
    {"k8s.io.api.core.v1.PodResourceClaimStatus", kapi_core_v1_PodResourceClaimStatus,
     Special::kNone},
    {"k8s.io.api.core.v1.PodSchedulingGate", kapi_core_v1_PodSchedulingGate, Special::kNone},
    {"k8s.io.api.core.v1.PodSchedulingGroup", kapi_core_v1_PodSchedulingGroup, Special::kNone},
    {"k8s.io.api.core.v1.PodSecurityContext", kapi_core_v1_PodSecurityContext, Special::kNone},
    {"k8s.io.api.core.v1.PodSpec", kapi_core_v1_PodSpec, Special::kNone},
    {"k8s.io.api.core.v1.PodStatus", kapi_core_v1_PodStatus, Special::kNone},
    {"k8s.io.api.core.v1.PodTemplateSpec", kapi_core_v1_PodTemplateSpec, Special::kNone},
    {"k8s.io.api.core.v1.PodVolumeHealth", kapi_core_v1_PodVolumeHealth, Special::kNone},
    {"k8s.io.api.core.v1.PortworxVolumeSource", kapi_core_v1_PortworxVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.PreferredSchedulingTerm", kapi_core_v1_PreferredSchedulingTerm,
     Special::kNone},
    {"k8s.io.api.core.v1.Probe", kapi_core_v1_Probe, Special::kNone},
    {"k8s.io.api.core.v1.ProbeHandler", kapi_core_v1_ProbeHandler, Special::kNone},
    {"k8s.io.api.core.v1.ProjectedVolumeSource", kapi_core_v1_ProjectedVolumeSource,
     Special::kNone},
    {"k8s.io.api.core.v1.QuobyteVolumeSource", kapi_core_v1_QuobyteVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.RBDVolumeSource", kapi_core_v1_RBDVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.ResourceClaim", kapi_core_v1_ResourceClaim, Special::kNone},
    {"k8s.io.api.core.v1.ResourceFieldSelector", kapi_core_v1_ResourceFieldSelector,
     Special::kNone},
    {"k8s.io.api.core.v1.ResourceHealth", kapi_core_v1_ResourceHealth, Special::kNone},
    {"k8s.io.api.core.v1.ResourceRequirements", kapi_core_v1_ResourceRequirements, Special::kNone},
    {"k8s.io.api.core.v1.ResourceStatus", kapi_core_v1_ResourceStatus, Special::kNone},
    {"k8s.io.api.core.v1.SELinuxOptions", kapi_core_v1_SELinuxOptions, Special::kNone},
    {"k8s.io.api.core.v1.ScaleIOVolumeSource", kapi_core_v1_ScaleIOVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.SeccompProfile", kapi_core_v1_SeccompProfile, Special::kNone},
    {"k8s.io.api.core.v1.Secret", kapi_core_v1_Secret, Special::kNone},
    {"k8s.io.api.core.v1.SecretEnvSource", kapi_core_v1_SecretEnvSource, Special::kNone},
    {"k8s.io.api.core.v1.SecretKeySelector", kapi_core_v1_SecretKeySelector, Special::kNone},
    {"k8s.io.api.core.v1.SecretProjection", kapi_core_v1_SecretProjection, Special::kNone},
    {"k8s.io.api.core.v1.SecretVolumeSource", kapi_core_v1_SecretVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.SecurityContext", kapi_core_v1_SecurityContext, Special::kNone},
    {"k8s.io.api.core.v1.ServiceAccount", kapi_core_v1_ServiceAccount, Special::kNone},
    {"k8s.io.api.core.v1.ServiceAccountTokenProjection", kapi_core_v1_ServiceAccountTokenProjection,
     Special::kNone},
    {"k8s.io.api.core.v1.SleepAction", kapi_core_v1_SleepAction, Special::kNone},
    {"k8s.io.api.core.v1.StorageOSVolumeSource", kapi_core_v1_StorageOSVolumeSource,
     Special::kNone},
    {"k8s.io.api.core.v1.Sysctl", kapi_core_v1_Sysctl, Special::kNone},
    {"k8s.io.api.core.v1.TCPSocketAction", kapi_core_v1_TCPSocketAction, Special::kNone},
    {"k8s.io.api.core.v1.Taint", kapi_core_v1_Taint, Special::kNone},
    {"k8s.io.api.core.v1.Toleration", kapi_core_v1_Toleration, Special::kNone},
    {"k8s.io.api.core.v1.TopologySpreadConstraint", kapi_core_v1_TopologySpreadConstraint,
     Special::kNone},
    {"k8s.io.api.core.v1.TypedLocalObjectReference", kapi_core_v1_TypedLocalObjectReference,
     Special::kNone},
    {"k8s.io.api.core.v1.TypedObjectReference", kapi_core_v1_TypedObjectReference, Special::kNone},
    {"k8s.io.api.core.v1.Volume", kapi_core_v1_Volume, Special::kNone},
    {"k8s.io.api.core.v1.VolumeDevice", kapi_core_v1_VolumeDevice, Special::kNone},
    {"k8s.io.api.core.v1.VolumeHealthCondition", kapi_core_v1_VolumeHealthCondition,
     Special::kNone},
    {"k8s.io.api.core.v1.VolumeMount", kapi_core_v1_VolumeMount, Special::kNone},
    {"k8s.io.api.core.v1.VolumeMountStatus", kapi_core_v1_VolumeMountStatus, Special::kNone},
    {"k8s.io.api.core.v1.VolumeProjection", kapi_core_v1_VolumeProjection, Special::kNone},
    {"k8s.io.api.core.v1.VolumeResourceRequirements", kapi_core_v1_VolumeResourceRequirements,
     Special::kNone},
    {"k8s.io.api.core.v1.VolumeSource", kapi_core_v1_VolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.VolumeStatus", kapi_core_v1_VolumeStatus, Special::kNone},
    {"k8s.io.api.core.v1.VsphereVirtualDiskVolumeSource",
     kapi_core_v1_VsphereVirtualDiskVolumeSource, Special::kNone},
    {"k8s.io.api.core.v1.WeightedPodAffinityTerm", kapi_core_v1_WeightedPodAffinityTerm,
     Special::kNone},
    {"k8s.io.api.core.v1.WindowsSecurityContextOptions", kapi_core_v1_WindowsSecurityContextOptions,
     Special::kNone},
    {"k8s.io.api.resource.v1.AllocatedDeviceStatus", kapi_resource_v1_AllocatedDeviceStatus,
     Special::kNone},
    {"k8s.io.api.resource.v1.AllocationResult", kapi_resource_v1_AllocationResult, Special::kNone},
    {"k8s.io.api.resource.v1.CELDeviceSelector", kapi_resource_v1_CELDeviceSelector,
     Special::kNone},
    {"k8s.io.api.resource.v1.CapacityRequestPolicy", kapi_resource_v1_CapacityRequestPolicy,
     Special::kNone},
    {"k8s.io.api.resource.v1.CapacityRequestPolicyRange",
     kapi_resource_v1_CapacityRequestPolicyRange, Special::kNone},
    {"k8s.io.api.resource.v1.CapacityRequirements", kapi_resource_v1_CapacityRequirements,
     Special::kNone},
    {"k8s.io.api.resource.v1.Counter", kapi_resource_v1_Counter, Special::kNone},
    {"k8s.io.api.resource.v1.CounterSet", kapi_resource_v1_CounterSet, Special::kNone},
    {"k8s.io.api.resource.v1.Device", kapi_resource_v1_Device, Special::kNone},
    {"k8s.io.api.resource.v1.DeviceAllocationConfiguration",
     kapi_resource_v1_DeviceAllocationConfiguration, Special::kNone},
    {"k8s.io.api.resource.v1.DeviceAllocationResult", kapi_resource_v1_DeviceAllocationResult,
     Special::kNone},
    {"k8s.io.api.resource.v1.DeviceAttribute", kapi_resource_v1_DeviceAttribute, Special::kNone},
    {"k8s.io.api.resource.v1.DeviceCapacity", kapi_resource_v1_DeviceCapacity, Special::kNone},
    {"k8s.io.api.resource.v1.DeviceClaim", kapi_resource_v1_DeviceClaim, Special::kNone},
    {"k8s.io.api.resource.v1.DeviceClaimConfiguration", kapi_resource_v1_DeviceClaimConfiguration,
     Special::kNone},
    {"k8s.io.api.resource.v1.DeviceClass", kapi_resource_v1_DeviceClass, Special::kNone},
    {"k8s.io.api.resource.v1.DeviceClassConfiguration", kapi_resource_v1_DeviceClassConfiguration,
     Special::kNone},
    {"k8s.io.api.resource.v1.DeviceClassSpec", kapi_resource_v1_DeviceClassSpec, Special::kNone},
    {"k8s.io.api.resource.v1.DeviceConfiguration", kapi_resource_v1_DeviceConfiguration,
     Special::kNone},
    {"k8s.io.api.resource.v1.DeviceConstraint", kapi_resource_v1_DeviceConstraint, Special::kNone},
    {"k8s.io.api.resource.v1.DeviceCounterConsumption", kapi_resource_v1_DeviceCounterConsumption,
     Special::kNone},
    {"k8s.io.api.resource.v1.DeviceRequest", kapi_resource_v1_DeviceRequest, Special::kNone},
    {"k8s.io.api.resource.v1.DeviceRequestAllocationResult",
     kapi_resource_v1_DeviceRequestAllocationResult, Special::kNone},
    {"k8s.io.api.resource.v1.DeviceSelector", kapi_resource_v1_DeviceSelector, Special::kNone},
    {"k8s.io.api.resource.v1.DeviceSubRequest", kapi_resource_v1_DeviceSubRequest, Special::kNone},
    {"k8s.io.api.resource.v1.DeviceTaint", kapi_resource_v1_DeviceTaint, Special::kNone},
    {"k8s.io.api.resource.v1.DeviceToleration", kapi_resource_v1_DeviceToleration, Special::kNone},
    {"k8s.io.api.resource.v1.ExactDeviceRequest", kapi_resource_v1_ExactDeviceRequest,
     Special::kNone},
    {"k8s.io.api.resource.v1.NetworkDeviceData", kapi_resource_v1_NetworkDeviceData,
     Special::kNone},
    {"k8s.io.api.resource.v1.NodeAllocatableMapping", kapi_resource_v1_NodeAllocatableMapping,
     Special::kNone},
    {"k8s.io.api.resource.v1.NodeAllocatableOverhead", kapi_resource_v1_NodeAllocatableOverhead,
     Special::kNone},
    {"k8s.io.api.resource.v1.NodeAllocatableResource", kapi_resource_v1_NodeAllocatableResource,
     Special::kNone},
    {"k8s.io.api.resource.v1.OpaqueDeviceConfiguration", kapi_resource_v1_OpaqueDeviceConfiguration,
     Special::kNone},
    {"k8s.io.api.resource.v1.ResourceClaim", kapi_resource_v1_ResourceClaim, Special::kNone},
    {"k8s.io.api.resource.v1.ResourceClaimConsumerReference",
     kapi_resource_v1_ResourceClaimConsumerReference, Special::kNone},
    {"k8s.io.api.resource.v1.ResourceClaimSpec", kapi_resource_v1_ResourceClaimSpec,
     Special::kNone},
    {"k8s.io.api.resource.v1.ResourceClaimStatus", kapi_resource_v1_ResourceClaimStatus,
     Special::kNone},
    {"k8s.io.api.resource.v1.ResourceClaimTemplate", kapi_resource_v1_ResourceClaimTemplate,
     Special::kNone},
    {"k8s.io.api.resource.v1.ResourceClaimTemplateSpec", kapi_resource_v1_ResourceClaimTemplateSpec,
     Special::kNone},
    {"k8s.io.api.resource.v1.ResourcePool", kapi_resource_v1_ResourcePool, Special::kNone},
    {"k8s.io.api.resource.v1.ResourceSlice", kapi_resource_v1_ResourceSlice, Special::kNone},
    {"k8s.io.api.resource.v1.ResourceSliceSpec", kapi_resource_v1_ResourceSliceSpec,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.AllocatedDeviceStatus",
     kapi_resource_v1beta1_AllocatedDeviceStatus, Special::kNone},
    {"k8s.io.api.resource.v1beta1.AllocationResult", kapi_resource_v1beta1_AllocationResult,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.BasicDevice", kapi_resource_v1beta1_BasicDevice, Special::kNone},
    {"k8s.io.api.resource.v1beta1.CELDeviceSelector", kapi_resource_v1beta1_CELDeviceSelector,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.CapacityRequestPolicy",
     kapi_resource_v1beta1_CapacityRequestPolicy, Special::kNone},
    {"k8s.io.api.resource.v1beta1.CapacityRequestPolicyRange",
     kapi_resource_v1beta1_CapacityRequestPolicyRange, Special::kNone},
    {"k8s.io.api.resource.v1beta1.CapacityRequirements", kapi_resource_v1beta1_CapacityRequirements,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.Counter", kapi_resource_v1beta1_Counter, Special::kNone},
    {"k8s.io.api.resource.v1beta1.CounterSet", kapi_resource_v1beta1_CounterSet, Special::kNone},
    {"k8s.io.api.resource.v1beta1.Device", kapi_resource_v1beta1_Device, Special::kNone},
    {"k8s.io.api.resource.v1beta1.DeviceAllocationConfiguration",
     kapi_resource_v1beta1_DeviceAllocationConfiguration, Special::kNone},
    {"k8s.io.api.resource.v1beta1.DeviceAllocationResult",
     kapi_resource_v1beta1_DeviceAllocationResult, Special::kNone},
    {"k8s.io.api.resource.v1beta1.DeviceAttribute", kapi_resource_v1beta1_DeviceAttribute,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.DeviceCapacity", kapi_resource_v1beta1_DeviceCapacity,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.DeviceClaim", kapi_resource_v1beta1_DeviceClaim, Special::kNone},
    {"k8s.io.api.resource.v1beta1.DeviceClaimConfiguration",
     kapi_resource_v1beta1_DeviceClaimConfiguration, Special::kNone},
    {"k8s.io.api.resource.v1beta1.DeviceClass", kapi_resource_v1beta1_DeviceClass, Special::kNone},
    {"k8s.io.api.resource.v1beta1.DeviceClassConfiguration",
     kapi_resource_v1beta1_DeviceClassConfiguration, Special::kNone},
    {"k8s.io.api.resource.v1beta1.DeviceClassSpec", kapi_resource_v1beta1_DeviceClassSpec,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.DeviceConfiguration", kapi_resource_v1beta1_DeviceConfiguration,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.DeviceConstraint", kapi_resource_v1beta1_DeviceConstraint,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.DeviceCounterConsumption",
     kapi_resource_v1beta1_DeviceCounterConsumption, Special::kNone},
    {"k8s.io.api.resource.v1beta1.DeviceRequest", kapi_resource_v1beta1_DeviceRequest,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.DeviceRequestAllocationResult",
     kapi_resource_v1beta1_DeviceRequestAllocationResult, Special::kNone},
    {"k8s.io.api.resource.v1beta1.DeviceSelector", kapi_resource_v1beta1_DeviceSelector,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.DeviceSubRequest", kapi_resource_v1beta1_DeviceSubRequest,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.DeviceTaint", kapi_resource_v1beta1_DeviceTaint, Special::kNone},
    {"k8s.io.api.resource.v1beta1.DeviceToleration", kapi_resource_v1beta1_DeviceToleration,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.NetworkDeviceData", kapi_resource_v1beta1_NetworkDeviceData,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.NodeAllocatableMapping",
     kapi_resource_v1beta1_NodeAllocatableMapping, Special::kNone},
    {"k8s.io.api.resource.v1beta1.NodeAllocatableOverhead",
     kapi_resource_v1beta1_NodeAllocatableOverhead, Special::kNone},
    {"k8s.io.api.resource.v1beta1.NodeAllocatableResource",
     kapi_resource_v1beta1_NodeAllocatableResource, Special::kNone},
    {"k8s.io.api.resource.v1beta1.OpaqueDeviceConfiguration",
     kapi_resource_v1beta1_OpaqueDeviceConfiguration, Special::kNone},
    {"k8s.io.api.resource.v1beta1.ResourceClaim", kapi_resource_v1beta1_ResourceClaim,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.ResourceClaimConsumerReference",
     kapi_resource_v1beta1_ResourceClaimConsumerReference, Special::kNone},
    {"k8s.io.api.resource.v1beta1.ResourceClaimSpec", kapi_resource_v1beta1_ResourceClaimSpec,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.ResourceClaimStatus", kapi_resource_v1beta1_ResourceClaimStatus,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.ResourceClaimTemplate",
     kapi_resource_v1beta1_ResourceClaimTemplate, Special::kNone},
    {"k8s.io.api.resource.v1beta1.ResourceClaimTemplateSpec",
     kapi_resource_v1beta1_ResourceClaimTemplateSpec, Special::kNone},
    {"k8s.io.api.resource.v1beta1.ResourcePool", kapi_resource_v1beta1_ResourcePool,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.ResourceSlice", kapi_resource_v1beta1_ResourceSlice,
     Special::kNone},
    {"k8s.io.api.resource.v1beta1.ResourceSliceSpec", kapi_resource_v1beta1_ResourceSliceSpec,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.AllocatedDeviceStatus",
     kapi_resource_v1beta2_AllocatedDeviceStatus, Special::kNone},
    {"k8s.io.api.resource.v1beta2.AllocationResult", kapi_resource_v1beta2_AllocationResult,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.CELDeviceSelector", kapi_resource_v1beta2_CELDeviceSelector,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.CapacityRequestPolicy",
     kapi_resource_v1beta2_CapacityRequestPolicy, Special::kNone},
    {"k8s.io.api.resource.v1beta2.CapacityRequestPolicyRange",
     kapi_resource_v1beta2_CapacityRequestPolicyRange, Special::kNone},
    {"k8s.io.api.resource.v1beta2.CapacityRequirements", kapi_resource_v1beta2_CapacityRequirements,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.Counter", kapi_resource_v1beta2_Counter, Special::kNone},
    {"k8s.io.api.resource.v1beta2.CounterSet", kapi_resource_v1beta2_CounterSet, Special::kNone},
    {"k8s.io.api.resource.v1beta2.Device", kapi_resource_v1beta2_Device, Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceAllocationConfiguration",
     kapi_resource_v1beta2_DeviceAllocationConfiguration, Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceAllocationResult",
     kapi_resource_v1beta2_DeviceAllocationResult, Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceAttribute", kapi_resource_v1beta2_DeviceAttribute,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceCapacity", kapi_resource_v1beta2_DeviceCapacity,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceClaim", kapi_resource_v1beta2_DeviceClaim, Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceClaimConfiguration",
     kapi_resource_v1beta2_DeviceClaimConfiguration, Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceClass", kapi_resource_v1beta2_DeviceClass, Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceClassConfiguration",
     kapi_resource_v1beta2_DeviceClassConfiguration, Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceClassSpec", kapi_resource_v1beta2_DeviceClassSpec,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceConfiguration", kapi_resource_v1beta2_DeviceConfiguration,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceConstraint", kapi_resource_v1beta2_DeviceConstraint,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceCounterConsumption",
     kapi_resource_v1beta2_DeviceCounterConsumption, Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceRequest", kapi_resource_v1beta2_DeviceRequest,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceRequestAllocationResult",
     kapi_resource_v1beta2_DeviceRequestAllocationResult, Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceSelector", kapi_resource_v1beta2_DeviceSelector,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceSubRequest", kapi_resource_v1beta2_DeviceSubRequest,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceTaint", kapi_resource_v1beta2_DeviceTaint, Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceTaintRule", kapi_resource_v1beta2_DeviceTaintRule,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceTaintRuleSpec", kapi_resource_v1beta2_DeviceTaintRuleSpec,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceTaintRuleStatus",
     kapi_resource_v1beta2_DeviceTaintRuleStatus, Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceTaintSelector", kapi_resource_v1beta2_DeviceTaintSelector,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.DeviceToleration", kapi_resource_v1beta2_DeviceToleration,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.ExactDeviceRequest", kapi_resource_v1beta2_ExactDeviceRequest,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.NetworkDeviceData", kapi_resource_v1beta2_NetworkDeviceData,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.NodeAllocatableMapping",
     kapi_resource_v1beta2_NodeAllocatableMapping, Special::kNone},
    {"k8s.io.api.resource.v1beta2.NodeAllocatableOverhead",
     kapi_resource_v1beta2_NodeAllocatableOverhead, Special::kNone},
    {"k8s.io.api.resource.v1beta2.NodeAllocatableResource",
     kapi_resource_v1beta2_NodeAllocatableResource, Special::kNone},
    {"k8s.io.api.resource.v1beta2.OpaqueDeviceConfiguration",
     kapi_resource_v1beta2_OpaqueDeviceConfiguration, Special::kNone},
    {"k8s.io.api.resource.v1beta2.ResourceClaim", kapi_resource_v1beta2_ResourceClaim,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.ResourceClaimConsumerReference",
     kapi_resource_v1beta2_ResourceClaimConsumerReference, Special::kNone},
    {"k8s.io.api.resource.v1beta2.ResourceClaimSpec", kapi_resource_v1beta2_ResourceClaimSpec,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.ResourceClaimStatus", kapi_resource_v1beta2_ResourceClaimStatus,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.ResourceClaimTemplate",
     kapi_resource_v1beta2_ResourceClaimTemplate, Special::kNone},
    {"k8s.io.api.resource.v1beta2.ResourceClaimTemplateSpec",
     kapi_resource_v1beta2_ResourceClaimTemplateSpec, Special::kNone},
    {"k8s.io.api.resource.v1beta2.ResourcePool", kapi_resource_v1beta2_ResourcePool,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.ResourceSlice", kapi_resource_v1beta2_ResourceSlice,
     Special::kNone},
    {"k8s.io.api.resource.v1beta2.ResourceSliceSpec", kapi_resource_v1beta2_ResourceSliceSpec,
     Special::kNone},
    {"k8s.io.apimachinery.pkg.api.resource.Quantity", {}, Special::kQuantity},
    {"k8s.io.apimachinery.pkg.apis.meta.v1.Condition", kapimachinery_pkg_apis_meta_v1_Condition,
     Special::kNone},
    {"k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions",
     kapimachinery_pkg_apis_meta_v1_DeleteOptions, Special::kNone},
    {"k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1", {}, Special::kRawJson},
    {"k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector",
     kapimachinery_pkg_apis_meta_v1_LabelSelector, Special::kNone},
    {"k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement",
     kapimachinery_pkg_apis_meta_v1_LabelSelectorRequirement, Special::kNone},
    {"k8s.io.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry",
     kapimachinery_pkg_apis_meta_v1_ManagedFieldsEntry, Special::kNone},
    {"k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime", {}, Special::kMicroTime},
    {"k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta", kapimachinery_pkg_apis_meta_v1_ObjectMeta,
     Special::kNone},
    {"k8s.io.apimachinery.pkg.apis.meta.v1.OwnerReference",
     kapimachinery_pkg_apis_meta_v1_OwnerReference, Special::kNone},
    {"k8s.io.apimachinery.pkg.apis.meta.v1.Preconditions",
     kapimachinery_pkg_apis_meta_v1_Preconditions, Special::kNone},
    {"k8s.io.apimachinery.pkg.apis.meta.v1.Time", {}, Special::kTime},
    {"k8s.io.apimachinery.pkg.runtime.RawExtension", {}, Special::kRawJson},
    {"k8s.io.apimachinery.pkg.util.intstr.IntOrString", {}, Special::kIntOrString},
};
// END GENERATED SCHEMA

struct KindSchema {
  const char* api_version;  // nullptr: any (DeleteOptions is registered in every group version)
  const char* kind;
  const char* message;
};

constexpr KindSchema kKinds[] = {
    {"v1", "Namespace", "k8s.io.api.core.v1.Namespace"},
    {"v1", "Pod", "k8s.io.api.core.v1.Pod"},
    {"v1", "Node", "k8s.io.api.core.v1.Node"},
    {"v1", "Event", "k8s.io.api.core.v1.Event"},
    {"v1", "Binding", "k8s.io.api.core.v1.Binding"},
    {"v1", "ConfigMap", "k8s.io.api.core.v1.ConfigMap"},
    {"v1", "Secret", "k8s.io.api.core.v1.Secret"},
    {"v1", "ServiceAccount", "k8s.io.api.core.v1.ServiceAccount"},
    {"apps/v1", "Deployment", "k8s.io.api.apps.v1.Deployment"},
    {"apps/v1", "ReplicaSet", "k8s.io.api.apps.v1.ReplicaSet"},
    {"coordination.k8s.io/v1", "Lease", "k8s.io.api.coordination.v1.Lease"},
    {"resource.k8s.io/v1", "DeviceClass", "k8s.io.api.resource.v1.DeviceClass"},
    {"resource.k8s.io/v1", "ResourceClaim", "k8s.io.api.resource.v1.ResourceClaim"},
    {"resource.k8s.io/v1", "ResourceClaimTemplate", "k8s.io.api.resource.v1.ResourceClaimTemplate"},
    {"resource.k8s.io/v1", "ResourceSlice", "k8s.io.api.resource.v1.ResourceSlice"},
    {"resource.k8s.io/v1beta1", "DeviceClass", "k8s.io.api.resource.v1beta1.DeviceClass"},
    {"resource.k8s.io/v1beta1", "ResourceClaim", "k8s.io.api.resource.v1beta1.ResourceClaim"},
    {"resource.k8s.io/v1beta1", "ResourceClaimTemplate",
     "k8s.io.api.resource.v1beta1.ResourceClaimTemplate"},
    {"resource.k8s.io/v1beta1", "ResourceSlice", "k8s.io.api.resource.v1beta1.ResourceSlice"},
    {"resource.k8s.io/v1beta2", "DeviceClass", "k8s.io.api.resource.v1beta2.DeviceClass"},
    {"resource.k8s.io/v1beta2", "ResourceClaim", "k8s.io.api.resource.v1beta2.ResourceClaim"},
    {"resource.k8s.io/v1beta2", "ResourceClaimTemplate",
     "k8s.io.api.resource.v1beta2.ResourceClaimTemplate"},
    {"resource.k8s.io/v1beta2", "ResourceSlice", "k8s.io.api.resource.v1beta2.ResourceSlice"},
    {"resource.k8s.io/v1beta2", "DeviceTaintRule", "k8s.io.api.resource.v1beta2.DeviceTaintRule"},
    {nullptr, "DeleteOptions", "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions"},
};

constexpr std::string_view kMagic("k8s\0", 4);
constexpr int kMaxDepth = 100;

const MessageSchema* FindMessage(std::string_view name) {
  const auto* it = std::lower_bound(
      std::begin(kMessages), std::end(kMessages), name,
      [](const MessageSchema& m, std::string_view n) { return std::string_view(m.name) < n; });
  if (it == std::end(kMessages) || std::string_view(it->name) != name) return nullptr;
  return it;
}

const KindSchema* FindKind(std::string_view api_version, std::string_view kind) {
  for (const KindSchema& k : kKinds) {
    if (kind == k.kind && (k.api_version == nullptr || api_version == k.api_version)) return &k;
  }
  return nullptr;
}

const FieldSchema* FindField(const MessageSchema& m, uint64_t number) {
  for (const FieldSchema& f : m.fields) {
    if (static_cast<uint64_t>(f.number) == number) return &f;
  }
  return nullptr;
}

// "k8s.io.api.core.v1.PodSpec" -> "io.k8s.api.core.v1.PodSpec", the OpenAPI name users see.
std::string DisplayName(std::string_view proto_name) {
  constexpr std::string_view kPrefix = "k8s.io.";
  if (proto_name.substr(0, kPrefix.size()) == kPrefix) {
    return dra::StrCat("io.k8s.", proto_name.substr(kPrefix.size()));
  }
  return std::string(proto_name);
}

std::string SupportedKinds() {
  std::string out;
  std::string_view last_version;
  for (const KindSchema& k : kKinds) {
    std::string_view version = k.api_version == nullptr ? "" : k.api_version;
    if (!out.empty()) out += version == last_version ? ", " : "; ";
    if (out.empty() || version != last_version) {
      if (!version.empty()) dra::StrAppend(&out, version, " ");
    }
    out += k.kind;
    last_version = version;
  }
  return out;
}

absl::Status Invalid(std::string message) {
  return absl::InvalidArgumentError(dra::StrCat("protobuf: ", message));
}

std::string AtPath(std::string_view path) {
  return path.empty() ? std::string() : dra::StrCat(" at ", path);
}

// "spec.containers[2]" for the next element of a list at "spec.containers".
std::string ElementPath(std::string_view path, const Value& list) {
  return dra::StrCat(path, "[", list.items().size(), "]");
}

std::string JoinPath(std::string_view path, std::string_view name) {
  if (path.empty()) return std::string(name);
  return dra::StrCat(path, ".", name);
}

bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    uint32_t rune;
    size_t n = dra::DecodeUtf8(s, i, &rune);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string Base64(std::string_view bytes) {
  return absl::Base64Escape(absl::string_view(bytes.data(), bytes.size()));
}

// ---------------------------------------------------------------------------------------------
// Times. metav1.Time and MicroTime are google.protobuf.Timestamp-shaped {seconds = 1,
// nanos = 2}; their JSON form is RFC 3339 in UTC.

// Seconds since the epoch of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years Go's
// RFC 3339 formatting accepts.
constexpr int64_t kMinSeconds = -62167219200;
constexpr int64_t kMaxSeconds = 253402300799;
// Go's zero time.Time (0001-01-01T00:00:00Z), which marshals as JSON null.
constexpr int64_t kZeroTimeSeconds = -62135596800;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, int64_t* m, int64_t* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

void AppendDigits(std::string& out, int64_t v, int width) {
  std::string digits = std::to_string(v);
  if (static_cast<int>(digits.size()) < width) out.append(width - digits.size(), '0');
  out += digits;
}

// RFC 3339 in UTC; with `micros`, six fractional digits (MicroTime's format).
absl::StatusOr<std::string> FormatTime(int64_t seconds, int32_t nanos, bool micros) {
  if (seconds < kMinSeconds || seconds > kMaxSeconds) {
    return Invalid(dra::StrCat("timestamp ", seconds, " is out of range"));
  }
  if (nanos < 0 || nanos > 999999999) {
    return Invalid(dra::StrCat("timestamp nanos ", nanos, " is out of range"));
  }
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  int64_t y, mo, d;
  CivilFromDays(days, &y, &mo, &d);
  std::string out;
  AppendDigits(out, y, 4);
  out += '-';
  AppendDigits(out, mo, 2);
  out += '-';
  AppendDigits(out, d, 2);
  out += 'T';
  AppendDigits(out, rem / 3600, 2);
  out += ':';
  AppendDigits(out, rem / 60 % 60, 2);
  out += ':';
  AppendDigits(out, rem % 60, 2);
  if (micros) {
    out += '.';
    AppendDigits(out, nanos / 1000, 6);
  }
  out += 'Z';
  return out;
}

// Parses RFC 3339 ("2006-01-02T15:04:05[.999999999](Z|+07:00)").
absl::Status ParseTime(std::string_view s, int64_t* seconds, int32_t* nanos) {
  auto bad = [&] { return Invalid(dra::StrCat("invalid RFC 3339 time ", dra::GoQuote(s))); };
  size_t i = 0;
  auto number = [&](int digits, int64_t* out) {
    if (i + digits > s.size()) return false;
    int64_t v = 0;
    for (int k = 0; k < digits; ++k) {
      char c = s[i + k];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    i += digits;
    *out = v;
    return true;
  };
  auto expect = [&](char c) {
    if (i >= s.size() || s[i] != c) return false;
    ++i;
    return true;
  };
  int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!number(4, &y) || !expect('-') || !number(2, &mo) || !expect('-') || !number(2, &d) ||
      !expect('T') || !number(2, &h) || !expect(':') || !number(2, &mi) || !expect(':') ||
      !number(2, &sec)) {
    return bad();
  }
  static constexpr int kDaysIn[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDaysIn[mo - 1] || h > 23 || mi > 59 || sec > 59) {
    return bad();
  }
  if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) return bad();
  int64_t frac = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (digits < 9) frac = frac * 10 + (s[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0) return bad();
    for (int k = digits; k < 9; ++k) frac *= 10;
  }
  int64_t offset = 0;
  if (expect('Z')) {
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int64_t sign = s[i] == '-' ? -1 : 1;
    ++i;
    int64_t oh = 0, om = 0;
    if (!number(2, &oh) || !expect(':') || !number(2, &om) || oh > 23 || om > 59) return bad();
    offset = sign * (oh * 3600 + om * 60);
  } else {
    return bad();
  }
  if (i != s.size()) return bad();
  *seconds = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
  *nanos = static_cast<int32_t>(frac);
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Wire format.

enum WireType : int {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

std::string_view WireTypeName(int wire_type) {
  switch (wire_type) {
    case kVarint:
      return "varint";
    case kFixed64:
      return "64-bit";
    case kLengthDelimited:
      return "length-delimited";
    case kStartGroup:
    case kEndGroup:
      return "group";
    case kFixed32:
      return "32-bit";
  }
  return "invalid";
}

// One field read off the wire.
struct WireField {
  uint64_t number = 0;
  int wire_type = 0;
  uint64_t scalar = 0;     // kVarint, kFixed64, kFixed32
  std::string_view bytes;  // kLengthDelimited
};

// Reads protobuf wire format. Every read checks bounds; errors are InvalidArgument.
class Reader {
 public:
  // `message` and `path` (where the message is in the document) are for error messages.
  Reader(std::string_view data, std::string_view message, std::string_view path = "")
      : data_(data), message_(message), path_(path) {}

  bool done() const { return pos_ >= data_.size(); }

  absl::Status ReadVarint(uint64_t* out) {
    uint64_t v = 0;
    for (int i = 0; i < 10; ++i) {
      if (pos_ >= data_.size()) return Error("truncated varint");
      auto b = static_cast<uint8_t>(data_[pos_++]);
      if (i == 9 && b > 1) return Error("varint overflows 64 bits");
      v |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        *out = v;
        return absl::OkStatus();
      }
    }
    return Error("varint longer than 10 bytes");
  }

  absl::Status ReadFixed(int size, uint64_t* out) {
    if (data_.size() - pos_ < static_cast<size_t>(size)) {
      return Error(dra::StrCat("truncated ", size * 8, "-bit value"));
    }
    uint64_t v = 0;
    for (int i = 0; i < size; ++i)
      v |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
    pos_ += size;
    *out = v;
    return absl::OkStatus();
  }

  absl::Status ReadLengthDelimited(std::string_view* out) {
    uint64_t len = 0;
    DRA_RETURN_IF_ERROR(ReadVarint(&len));
    if (len > data_.size() - pos_) {
      return Error(dra::StrCat("length ", len, " runs past the end of the message (",
                               data_.size() - pos_, " bytes left)"));
    }
    *out = data_.substr(pos_, len);
    pos_ += len;
    return absl::OkStatus();
  }

  // Reads a tag and its value. Groups (deprecated in proto2, never used by Kubernetes) and
  // invalid wire types are errors.
  absl::Status ReadField(WireField* f) {
    uint64_t tag = 0;
    DRA_RETURN_IF_ERROR(ReadVarint(&tag));
    f->number = tag >> 3;
    f->wire_type = static_cast<int>(tag & 7);
    if (f->number == 0 || f->number > 536870911) {
      return Error(dra::StrCat("invalid field number ", f->number));
    }
    switch (f->wire_type) {
      case kVarint:
        return ReadVarint(&f->scalar);
      case kFixed64:
        return ReadFixed(8, &f->scalar);
      case kLengthDelimited:
        return ReadLengthDelimited(&f->bytes);
      case kFixed32:
        return ReadFixed(4, &f->scalar);
      case kStartGroup:
      case kEndGroup:
        return Error(dra::StrCat("field ", f->number, " is a group; groups are not supported"));
    }
    return Error(dra::StrCat("field ", f->number, " has invalid wire type ", f->wire_type));
  }

 private:
  absl::Status Error(std::string what) const {
    return Invalid(dra::StrCat(DisplayName(message_), ": ", what, " at byte ", pos_,
                               path_.empty() ? "" : " of ", path_));
  }

  std::string_view data_;
  std::string_view message_;
  std::string_view path_;
  size_t pos_ = 0;
};

void AppendVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

void AppendTag(std::string& out, int number, int wire_type) {
  AppendVarint(out, (static_cast<uint64_t>(number) << 3) | static_cast<uint64_t>(wire_type));
}

void AppendLengthDelimited(std::string& out, int number, std::string_view bytes) {
  AppendTag(out, number, kLengthDelimited);
  AppendVarint(out, bytes.size());
  out.append(bytes);
}

// ---------------------------------------------------------------------------------------------
// Decoding.

absl::Status CheckWireType(const MessageSchema& m, const FieldSchema& f, const WireField& w,
                           int want, std::string_view path) {
  if (w.wire_type == want) return absl::OkStatus();
  return Invalid(dra::StrCat(DisplayName(m.name), ".", f.json_name[0] ? f.json_name : "(inline)",
                             " (field ", f.number, "): wire type ", WireTypeName(w.wire_type),
                             ", want ", WireTypeName(want), AtPath(path)));
}

class Decoder {
 public:
  // Decodes message `m` from `data`, merging its fields into the object `*out`.
  absl::Status DecodeMessage(const MessageSchema& m, std::string_view data, Value* out,
                             const std::string& path, int depth) {
    if (depth > kMaxDepth) return Invalid(dra::StrCat("message nesting too deep", AtPath(path)));
    Reader r(data, m.name, path);
    while (!r.done()) {
      WireField w;
      DRA_RETURN_IF_ERROR(r.ReadField(&w));
      const FieldSchema* f = FindField(m, w.number);
      if (f == nullptr) {
        return Invalid(
            dra::StrCat(DisplayName(m.name), ": unknown protobuf field ", w.number, AtPath(path)));
      }
      DRA_RETURN_IF_ERROR(DecodeField(m, *f, w, out, path, depth));
    }
    return absl::OkStatus();
  }

 private:
  absl::Status DecodeField(const MessageSchema& m, const FieldSchema& f, const WireField& w,
                           Value* out, const std::string& path, int depth) {
    if (f.flags & kInline) {
      DRA_RETURN_IF_ERROR(CheckWireType(m, f, w, kLengthDelimited, path));
      DRA_ASSIGN_OR_RETURN(const MessageSchema* sub, Schema(f.message));
      return DecodeMessage(*sub, w.bytes, out, path, depth + 1);
    }
    const std::string field_path = JoinPath(path, f.json_name);
    if (f.flags & kMap) {
      DRA_RETURN_IF_ERROR(CheckWireType(m, f, w, kLengthDelimited, path));
      Value* map = out->FindMutable(f.json_name);
      if (map == nullptr || !map->is_object()) map = &out->Set(f.json_name, Value::Object());
      return DecodeMapEntry(m, f, w.bytes, map, field_path, depth);
    }
    if (f.flags & kRepeated) {
      Value* list = out->FindMutable(f.json_name);
      if (list == nullptr || !list->is_array()) list = &out->Set(f.json_name, Value::Array());
      if (IsVarintKind(f.kind) && w.wire_type == kLengthDelimited) {  // packed
        Reader packed(w.bytes, m.name, field_path);
        while (!packed.done()) {
          WireField element{.number = w.number, .wire_type = kVarint};
          DRA_RETURN_IF_ERROR(packed.ReadVarint(&element.scalar));
          DRA_ASSIGN_OR_RETURN(std::optional<Value> v,
                               DecodeValue(m, f, element, ElementPath(field_path, *list), depth));
          list->Append(std::move(*v));
        }
        return absl::OkStatus();
      }
      DRA_ASSIGN_OR_RETURN(std::optional<Value> v,
                           DecodeValue(m, f, w, ElementPath(field_path, *list), depth));
      list->Append(v.has_value() ? std::move(*v) : Value::Null());
      return absl::OkStatus();
    }
    if (f.kind == FieldKind::kMessage) {
      DRA_RETURN_IF_ERROR(CheckWireType(m, f, w, kLengthDelimited, path));
      DRA_ASSIGN_OR_RETURN(const MessageSchema* sub, Schema(f.message));
      if (sub->special == Special::kNone) {
        // A message field seen twice merges, as protobuf specifies.
        Value* existing = out->FindMutable(f.json_name);
        if (existing == nullptr || !existing->is_object()) {
          existing = &out->Set(f.json_name, Value::Object());
        }
        return DecodeMessage(*sub, w.bytes, existing, field_path, depth + 1);
      }
    }
    DRA_ASSIGN_OR_RETURN(std::optional<Value> v, DecodeValue(m, f, w, field_path, depth));
    if (!v.has_value() || (!(f.flags & kPointer) && IsZeroScalar(*v))) {
      out->Remove(f.json_name);  // omitted like omitempty (and a later zero overrides)
    } else {
      out->Set(f.json_name, std::move(*v));
    }
    return absl::OkStatus();
  }

  static bool IsZeroScalar(const Value& v) {
    switch (v.kind()) {
      case Value::Kind::kString:
        return v.text().empty();
      case Value::Kind::kBool:
        return !v.bool_value();
      case Value::Kind::kNumber:
        return v.text() == "0";
      default:
        return false;
    }
  }

  static absl::StatusOr<const MessageSchema*> Schema(const char* name) {
    const MessageSchema* m = FindMessage(name);
    if (m == nullptr) return absl::InternalError(dra::StrCat("protobuf: no schema for ", name));
    return m;
  }

  // One value of field `f` (the element type for repeated fields and the value type for maps).
  // nullopt: a special message in its zero form (zero time, empty raw extension), omitted.
  absl::StatusOr<std::optional<Value>> DecodeValue(const MessageSchema& m, const FieldSchema& f,
                                                   const WireField& w, const std::string& path,
                                                   int depth) {
    switch (f.kind) {
      case FieldKind::kString:
        DRA_RETURN_IF_ERROR(CheckWireType(m, f, w, kLengthDelimited, path));
        if (!ValidUtf8(w.bytes)) {
          return Invalid(dra::StrCat(DisplayName(m.name), ".", f.json_name,
                                     ": string is not valid UTF-8", AtPath(path)));
        }
        return Value::String(std::string(w.bytes));
      case FieldKind::kBytes:
        DRA_RETURN_IF_ERROR(CheckWireType(m, f, w, kLengthDelimited, path));
        return Value::String(Base64(w.bytes));
      case FieldKind::kBool:
        DRA_RETURN_IF_ERROR(CheckWireType(m, f, w, kVarint, path));
        return Value::Bool(w.scalar != 0);
      case FieldKind::kInt32:
        DRA_RETURN_IF_ERROR(CheckWireType(m, f, w, kVarint, path));
        return Value::Int(static_cast<int32_t>(static_cast<uint32_t>(w.scalar)));
      case FieldKind::kInt64:
        DRA_RETURN_IF_ERROR(CheckWireType(m, f, w, kVarint, path));
        return Value::Int(static_cast<int64_t>(w.scalar));
      case FieldKind::kMessage: {
        DRA_RETURN_IF_ERROR(CheckWireType(m, f, w, kLengthDelimited, path));
        DRA_ASSIGN_OR_RETURN(const MessageSchema* sub, Schema(f.message));
        if (sub->special != Special::kNone) return DecodeSpecial(*sub, w.bytes, path);
        Value obj = Value::Object();
        DRA_RETURN_IF_ERROR(DecodeMessage(*sub, w.bytes, &obj, path, depth + 1));
        return obj;
      }
    }
    return absl::InternalError("protobuf: bad field kind");
  }

  absl::Status DecodeMapEntry(const MessageSchema& m, const FieldSchema& f, std::string_view data,
                              Value* map, const std::string& path, int depth) {
    // A map entry is a message {key = 1; value = 2}.
    std::string entry_name = dra::StrCat(m.name, ".", f.json_name, " map entry");
    Reader r(data, entry_name, path);
    std::string key;
    std::optional<Value> value;
    bool has_value = false;
    while (!r.done()) {
      WireField w;
      DRA_RETURN_IF_ERROR(r.ReadField(&w));
      if (w.number == 1) {
        if (w.wire_type != kLengthDelimited || !ValidUtf8(w.bytes)) {
          return Invalid(dra::StrCat("invalid key in map ", f.json_name, AtPath(path)));
        }
        key = std::string(w.bytes);
      } else if (w.number == 2) {
        DRA_ASSIGN_OR_RETURN(value, DecodeValue(m, f, w, path, depth + 1));
        has_value = true;
      } else {
        return Invalid(dra::StrCat("map ", f.json_name, ": unknown protobuf field ", w.number,
                                   " in map entry", AtPath(path)));
      }
    }
    if (!has_value) {  // absent value: the value type's zero
      const WireField zero{.number = 2,
                           .wire_type = IsVarintKind(f.kind) ? kVarint : kLengthDelimited};
      DRA_ASSIGN_OR_RETURN(value, DecodeValue(m, f, zero, path, depth + 1));
    }
    map->Set(std::move(key), value.has_value() ? std::move(*value) : Value::Null());
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<Value>> DecodeSpecial(const MessageSchema& m, std::string_view data,
                                                     const std::string& path) {
    Reader r(data, m.name, path);
    std::vector<WireField> fields;
    while (!r.done()) {
      WireField w;
      DRA_RETURN_IF_ERROR(r.ReadField(&w));
      fields.push_back(w);
    }
    // Last occurrence wins; every field number and wire type is checked.
    auto want = [&](std::initializer_list<std::pair<uint64_t, int>> allowed) -> absl::Status {
      for (const WireField& w : fields) {
        bool ok = false;
        for (const auto& [number, wire_type] : allowed) {
          if (w.number == number) {
            if (w.wire_type != wire_type) {
              return Invalid(dra::StrCat(DisplayName(m.name), " field ", w.number, ": wire type ",
                                         WireTypeName(w.wire_type), ", want ",
                                         WireTypeName(wire_type), AtPath(path)));
            }
            ok = true;
          }
        }
        if (!ok) {
          return Invalid(dra::StrCat(DisplayName(m.name), ": unknown protobuf field ", w.number,
                                     AtPath(path)));
        }
      }
      return absl::OkStatus();
    };
    auto last = [&](uint64_t number) -> const WireField* {
      const WireField* found = nullptr;
      for (const WireField& w : fields) {
        if (w.number == number) found = &w;
      }
      return found;
    };
    switch (m.special) {
      case Special::kTime:
      case Special::kMicroTime: {
        DRA_RETURN_IF_ERROR(want({{1, kVarint}, {2, kVarint}}));
        if (fields.empty()) return std::nullopt;  // upstream marshals the zero time as empty
        const WireField* s = last(1);
        const WireField* n = last(2);
        int64_t seconds = s == nullptr ? 0 : static_cast<int64_t>(s->scalar);
        int32_t nanos = n == nullptr ? 0 : static_cast<int32_t>(static_cast<uint32_t>(n->scalar));
        bool micro = m.special == Special::kMicroTime;
        if (!micro) nanos = 0;  // metav1.Time keeps seconds only, as upstream's decoder does
        if (seconds == kZeroTimeSeconds && nanos == 0) return std::nullopt;
        auto text = FormatTime(seconds, nanos, micro);
        if (!text.ok()) {
          return Invalid(
              dra::StrCat(DisplayName(m.name), ": ", text.status().message(), AtPath(path)));
        }
        return Value::String(*std::move(text));
      }
      case Special::kDuration: {  // {int64 duration = 1} in nanoseconds; not in any kind yet
        DRA_RETURN_IF_ERROR(want({{1, kVarint}}));
        return Invalid(dra::StrCat(DisplayName(m.name), " is not supported", AtPath(path)));
      }
      case Special::kQuantity: {
        DRA_RETURN_IF_ERROR(want({{1, kLengthDelimited}}));
        const WireField* s = last(1);
        if (s == nullptr || s->bytes.empty()) return Value::String("0");
        if (!ValidUtf8(s->bytes)) return Invalid(dra::StrCat("invalid quantity", AtPath(path)));
        return Value::String(std::string(s->bytes));
      }
      case Special::kIntOrString: {
        DRA_RETURN_IF_ERROR(want({{1, kVarint}, {2, kVarint}, {3, kLengthDelimited}}));
        const WireField* type = last(1);
        if (type == nullptr || type->scalar == 0) {
          const WireField* v = last(2);
          return Value::Int(v == nullptr ? 0
                                         : static_cast<int32_t>(static_cast<uint32_t>(v->scalar)));
        }
        if (type->scalar == 1) {
          const WireField* v = last(3);
          std::string_view s = v == nullptr ? std::string_view() : v->bytes;
          if (!ValidUtf8(s)) return Invalid(dra::StrCat("invalid IntOrString", AtPath(path)));
          return Value::String(std::string(s));
        }
        return Invalid(
            dra::StrCat(DisplayName(m.name), ": invalid type ", type->scalar, AtPath(path)));
      }
      case Special::kRawJson: {
        DRA_RETURN_IF_ERROR(want({{1, kLengthDelimited}}));
        const WireField* raw = last(1);
        if (raw == nullptr || raw->bytes.empty()) return std::nullopt;
        auto parsed = ParseJson(raw->bytes);
        if (!parsed.ok()) {
          return Invalid(dra::StrCat(DisplayName(m.name), ": raw bytes are not JSON (",
                                     parsed.status().message(), ")", AtPath(path)));
        }
        return *std::move(parsed);
      }
      case Special::kNone:
        break;
    }
    return absl::InternalError("protobuf: not a special message");
  }
};

// ---------------------------------------------------------------------------------------------
// Encoding.

class Encoder {
 public:
  // Encodes the object `in` as message `m` (its members that belong to `m`, inlined structs
  // included). With `check_members`, members `m` does not know are errors, except those in
  // `ignore` (apiVersion and kind at the top level).
  absl::Status EncodeMessage(const MessageSchema& m, const Value& in, std::string& out,
                             const std::string& path, int depth, bool check_members,
                             std::span<const std::string_view> ignore = {}) {
    if (depth > kMaxDepth) return Invalid(dra::StrCat("document nesting too deep", AtPath(path)));
    if (!in.is_object()) {
      return Invalid(dra::StrCat("want an object for ", DisplayName(m.name), ", got ",
                                 in.KindName(), AtPath(path)));
    }
    if (check_members) {
      for (const Value::Member& member : in.members()) {
        if (std::find(ignore.begin(), ignore.end(), member.first) != ignore.end()) continue;
        DRA_ASSIGN_OR_RETURN(bool known, Knows(m, member.first));
        if (!known) {
          return Invalid(dra::StrCat("unknown field ", dra::GoQuote(member.first), " in ",
                                     DisplayName(m.name), AtPath(path)));
        }
      }
    }
    for (const FieldSchema& f : m.fields) {
      if (f.flags & kInline) {
        DRA_ASSIGN_OR_RETURN(const MessageSchema* sub, Schema(f.message));
        std::string body;
        DRA_RETURN_IF_ERROR(EncodeMessage(*sub, in, body, path, depth + 1, false));
        AppendLengthDelimited(out, f.number, body);
        continue;
      }
      const Value* v = in.Find(f.json_name);
      if (v == nullptr || v->is_null()) continue;
      const std::string field_path = JoinPath(path, f.json_name);
      if (f.flags & kMap) {
        if (!v->is_object()) return TypeError(*v, "object", field_path);
        std::vector<const Value::Member*> entries;
        for (const Value::Member& e : v->members()) entries.push_back(&e);
        std::sort(
            entries.begin(), entries.end(),
            [](const Value::Member* a, const Value::Member* b) { return a->first < b->first; });
        for (const Value::Member* e : entries) {
          std::string entry;
          AppendLengthDelimited(entry, 1, e->first);
          DRA_RETURN_IF_ERROR(
              EncodeValue(f, 2, e->second, entry, JoinPath(field_path, e->first), depth));
          AppendLengthDelimited(out, f.number, entry);
        }
      } else if (f.flags & kRepeated) {
        if (!v->is_array()) return TypeError(*v, "array", field_path);
        for (size_t i = 0; i < v->items().size(); ++i) {
          DRA_RETURN_IF_ERROR(EncodeValue(f, f.number, v->items()[i], out,
                                          dra::StrCat(field_path, "[", i, "]"), depth));
        }
      } else {
        DRA_RETURN_IF_ERROR(EncodeValue(f, f.number, *v, out, field_path, depth));
      }
    }
    return absl::OkStatus();
  }

 private:
  static absl::StatusOr<const MessageSchema*> Schema(const char* name) {
    const MessageSchema* m = FindMessage(name);
    if (m == nullptr) return absl::InternalError(dra::StrCat("protobuf: no schema for ", name));
    return m;
  }

  static absl::StatusOr<bool> Knows(const MessageSchema& m, std::string_view name) {
    for (const FieldSchema& f : m.fields) {
      if (f.flags & kInline) {
        DRA_ASSIGN_OR_RETURN(const MessageSchema* sub, Schema(f.message));
        DRA_ASSIGN_OR_RETURN(bool known, Knows(*sub, name));
        if (known) return true;
      } else if (name == f.json_name) {
        return true;
      }
    }
    return false;
  }

  static absl::Status TypeError(const Value& v, std::string_view want, const std::string& path) {
    return Invalid(dra::StrCat("want ", want, ", got ", v.KindName(), AtPath(path)));
  }

  // Appends field `number` holding value `v` of the field's (element/value) type.
  absl::Status EncodeValue(const FieldSchema& f, int number, const Value& v, std::string& out,
                           const std::string& path, int depth) {
    switch (f.kind) {
      case FieldKind::kString:
        if (!v.is_string()) return TypeError(v, "string", path);
        AppendLengthDelimited(out, number, v.text());
        return absl::OkStatus();
      case FieldKind::kBytes: {
        if (!v.is_string()) return TypeError(v, "base64 string", path);
        std::string bytes;
        if (!absl::Base64Unescape(absl::string_view(v.text().data(), v.text().size()), &bytes)) {
          return Invalid(dra::StrCat("invalid base64", AtPath(path)));
        }
        AppendLengthDelimited(out, number, bytes);
        return absl::OkStatus();
      }
      case FieldKind::kBool:
        if (!v.is_bool()) return TypeError(v, "boolean", path);
        AppendTag(out, number, kVarint);
        AppendVarint(out, v.bool_value() ? 1 : 0);
        return absl::OkStatus();
      case FieldKind::kInt32:
      case FieldKind::kInt64: {
        std::optional<int64_t> i = v.is_number() ? v.AsInt64() : std::nullopt;
        bool is32 = f.kind == FieldKind::kInt32;
        if (!i.has_value() || (is32 && (*i < INT32_MIN || *i > INT32_MAX))) {
          return TypeError(v, is32 ? "32-bit integer" : "64-bit integer", path);
        }
        AppendTag(out, number, kVarint);
        AppendVarint(out, static_cast<uint64_t>(*i));  // negative int32: sign-extended
        return absl::OkStatus();
      }
      case FieldKind::kMessage: {
        DRA_ASSIGN_OR_RETURN(const MessageSchema* sub, Schema(f.message));
        std::string body;
        if (sub->special == Special::kNone) {
          DRA_RETURN_IF_ERROR(EncodeMessage(*sub, v, body, path, depth + 1, true));
        } else {
          DRA_RETURN_IF_ERROR(EncodeSpecial(*sub, v, body, path));
        }
        AppendLengthDelimited(out, number, body);
        return absl::OkStatus();
      }
    }
    return absl::InternalError("protobuf: bad field kind");
  }

  absl::Status EncodeSpecial(const MessageSchema& m, const Value& v, std::string& out,
                             const std::string& path) {
    switch (m.special) {
      case Special::kTime:
      case Special::kMicroTime: {
        if (!v.is_string())
          return Invalid(dra::StrCat("want an RFC 3339 time string", AtPath(path)));
        int64_t seconds = 0;
        int32_t nanos = 0;
        DRA_RETURN_IF_ERROR(ParseTime(v.text(), &seconds, &nanos));
        if (m.special == Special::kTime) {
          nanos = 0;  // metav1.Time has second precision on the wire
        } else {
          nanos -= nanos % 1000;
        }
        AppendTag(out, 1, kVarint);
        AppendVarint(out, static_cast<uint64_t>(seconds));
        AppendTag(out, 2, kVarint);
        AppendVarint(out, static_cast<uint64_t>(static_cast<int64_t>(nanos)));
        return absl::OkStatus();
      }
      case Special::kQuantity:
        if (v.is_string() || v.is_number()) {
          AppendLengthDelimited(out, 1, v.text());
          return absl::OkStatus();
        }
        return Invalid(dra::StrCat("want a quantity string, got ", v.KindName(), AtPath(path)));
      case Special::kIntOrString:
        if (v.is_string()) {
          AppendTag(out, 1, kVarint);
          AppendVarint(out, 1);
          AppendTag(out, 2, kVarint);
          AppendVarint(out, 0);
          AppendLengthDelimited(out, 3, v.text());
          return absl::OkStatus();
        }
        if (v.is_number()) {
          std::optional<int64_t> i = v.AsInt64();
          if (!i.has_value() || *i < INT32_MIN || *i > INT32_MAX) {
            return Invalid(dra::StrCat("want a 32-bit integer or a string", AtPath(path)));
          }
          AppendTag(out, 1, kVarint);
          AppendVarint(out, 0);
          AppendTag(out, 2, kVarint);
          AppendVarint(out, static_cast<uint64_t>(*i));
          AppendLengthDelimited(out, 3, "");
          return absl::OkStatus();
        }
        return Invalid(
            dra::StrCat("want an integer or a string, got ", v.KindName(), AtPath(path)));
      case Special::kRawJson:
        AppendLengthDelimited(out, 1, WriteJson(v));
        return absl::OkStatus();
      case Special::kDuration:
        return Invalid(dra::StrCat(DisplayName(m.name), " is not supported", AtPath(path)));
      case Special::kNone:
        break;
    }
    return absl::InternalError("protobuf: not a special message");
  }
};

// Sample values for every field, recursively (see MakeSampleDocument).
Value SampleValue(const FieldSchema& f, int depth, int& counter);

Value SampleMessage(const MessageSchema& m, int depth, int& counter) {
  switch (m.special) {
    case Special::kTime:
      return Value::String("2024-02-29T13:14:15Z");
    case Special::kMicroTime:
      return Value::String("1969-07-20T20:17:40.123456Z");
    case Special::kQuantity:
      return Value::String(++counter % 2 ? "1500m" : "2Gi");
    case Special::kIntOrString:
      return ++counter % 2 ? Value::Int(8080) : Value::String("http");
    case Special::kRawJson:
      return Value::Object({{"a", Value::Array({Value::Int(1), Value::String("x")})}});
    case Special::kDuration:
    case Special::kNone:
      break;
  }
  Value obj = Value::Object();
  if (depth > 40) return obj;
  for (const FieldSchema& f : m.fields) {
    if (f.flags & kInline) {
      Value inner = SampleMessage(*FindMessage(f.message), depth + 1, counter);
      for (Value::Member& member : inner.mutable_members()) {
        obj.Set(std::move(member.first), std::move(member.second));
      }
      continue;
    }
    Value v = SampleValue(f, depth, counter);
    if (f.flags & kMap) {
      v = Value::Object({{"example.com/key", std::move(v)}, {"b", SampleValue(f, depth, counter)}});
    } else if (f.flags & kRepeated) {
      v = Value::Array({std::move(v), SampleValue(f, depth, counter)});
    }
    obj.Set(f.json_name, std::move(v));
  }
  return obj;
}

Value SampleValue(const FieldSchema& f, int depth, int& counter) {
  ++counter;
  switch (f.kind) {
    case FieldKind::kString:
      return Value::String(dra::StrCat("s", counter, "-\xc3\xa9"));
    case FieldKind::kBytes:
      return Value::String(Base64(dra::StrCat(std::string_view("b\0\xff", 3), counter)));
    case FieldKind::kBool:
      return Value::Bool(true);
    case FieldKind::kInt32:
      return Value::Int(counter % 3 == 0 ? -counter : counter);
    case FieldKind::kInt64:
      return Value::Int(counter % 3 == 0 ? -int64_t{1} << 40 : int64_t{counter} << 33);
    case FieldKind::kMessage:
      return SampleMessage(*FindMessage(f.message), depth + 1, counter);
  }
  return Value();
}

}  // namespace

bool IsKubernetesProtobuf(std::string_view bytes) { return bytes.substr(0, 4) == kMagic; }

absl::StatusOr<Value> DecodeKubernetesProtobuf(std::string_view bytes) {
  if (!IsKubernetesProtobuf(bytes)) {
    return Invalid("body does not start with the Kubernetes protobuf magic \"k8s\\x00\"");
  }
  constexpr std::string_view kUnknown = "k8s.io.apimachinery.pkg.runtime.Unknown";
  constexpr std::string_view kTypeMeta = "k8s.io.apimachinery.pkg.runtime.TypeMeta";
  Reader envelope(bytes.substr(kMagic.size()), kUnknown);
  std::string api_version, kind, content_encoding, content_type;
  std::string_view raw;
  auto string_field = [](const WireField& w, std::string_view message, std::string_view name,
                         std::string* out) -> absl::Status {
    if (w.wire_type != kLengthDelimited || !ValidUtf8(w.bytes)) {
      return Invalid(dra::StrCat(DisplayName(message), ".", name, ": want a UTF-8 string"));
    }
    *out = std::string(w.bytes);
    return absl::OkStatus();
  };
  while (!envelope.done()) {
    WireField w;
    DRA_RETURN_IF_ERROR(envelope.ReadField(&w));
    switch (w.number) {
      case 1: {  // typeMeta
        if (w.wire_type != kLengthDelimited) {
          return Invalid(dra::StrCat(DisplayName(kUnknown), ".typeMeta: want a message"));
        }
        Reader type_meta(w.bytes, kTypeMeta);
        while (!type_meta.done()) {
          WireField t;
          DRA_RETURN_IF_ERROR(type_meta.ReadField(&t));
          if (t.number == 1) {
            DRA_RETURN_IF_ERROR(string_field(t, kTypeMeta, "apiVersion", &api_version));
          } else if (t.number == 2) {
            DRA_RETURN_IF_ERROR(string_field(t, kTypeMeta, "kind", &kind));
          } else {
            return Invalid(
                dra::StrCat(DisplayName(kTypeMeta), ": unknown protobuf field ", t.number));
          }
        }
        break;
      }
      case 2:
        if (w.wire_type != kLengthDelimited) {
          return Invalid(dra::StrCat(DisplayName(kUnknown), ".raw: want bytes"));
        }
        raw = w.bytes;
        break;
      case 3:
        DRA_RETURN_IF_ERROR(string_field(w, kUnknown, "contentEncoding", &content_encoding));
        break;
      case 4:
        DRA_RETURN_IF_ERROR(string_field(w, kUnknown, "contentType", &content_type));
        break;
      default:
        return Invalid(dra::StrCat(DisplayName(kUnknown), ": unknown protobuf field ", w.number));
    }
  }
  if (!content_encoding.empty()) {
    return Invalid(dra::StrCat("unsupported contentEncoding ", dra::GoQuote(content_encoding)));
  }
  if (!content_type.empty() && content_type != kKubernetesProtobufMediaType) {
    return Invalid(dra::StrCat("unsupported contentType ", dra::GoQuote(content_type)));
  }
  if (kind.empty()) return Invalid("envelope has no kind (typeMeta.kind is empty)");
  const KindSchema* k = FindKind(api_version, kind);
  if (k == nullptr) {
    return absl::InvalidArgumentError(dra::StrCat(
        "protobuf request bodies are supported for ", SupportedKinds(), "; send JSON or YAML for ",
        api_version.empty() ? "" : api_version + " ", kind));
  }
  const MessageSchema* m = FindMessage(k->message);
  if (m == nullptr) return absl::InternalError(dra::StrCat("protobuf: no schema for ", k->message));
  Value doc = Value::Object();
  if (!api_version.empty()) doc.Set("apiVersion", Value::String(api_version));
  doc.Set("kind", Value::String(kind));
  DRA_RETURN_IF_ERROR(Decoder().DecodeMessage(*m, raw, &doc, "", 0));
  return doc;
}

absl::StatusOr<std::string> EncodeKubernetesProtobuf(const Value& document) {
  const Value* api_version = document.Find("apiVersion");
  const Value* kind = document.Find("kind");
  if (!document.is_object() || kind == nullptr || !kind->is_string() ||
      (api_version != nullptr && !api_version->is_string())) {
    return Invalid("document needs string apiVersion and kind members");
  }
  std::string version = api_version == nullptr ? "" : api_version->text();
  const KindSchema* k = FindKind(version, kind->text());
  if (k == nullptr) {
    return absl::InvalidArgumentError(dra::StrCat("protobuf encoding is supported for ",
                                                  SupportedKinds(), "; not for ", version, " ",
                                                  kind->text()));
  }
  const MessageSchema* m = FindMessage(k->message);
  if (m == nullptr) return absl::InternalError(dra::StrCat("protobuf: no schema for ", k->message));
  constexpr std::string_view kIgnore[] = {"apiVersion", "kind"};
  std::string raw;
  DRA_RETURN_IF_ERROR(Encoder().EncodeMessage(*m, document, raw, "", 0, true, kIgnore));
  std::string type_meta;
  AppendLengthDelimited(type_meta, 1, version);
  AppendLengthDelimited(type_meta, 2, kind->text());
  std::string out(kMagic);
  AppendLengthDelimited(out, 1, type_meta);
  AppendLengthDelimited(out, 2, raw);
  AppendLengthDelimited(out, 3, "");  // contentEncoding
  AppendLengthDelimited(out, 4, "");  // contentType
  return out;
}

namespace protobuf_internal {

absl::Status ValidateSchemaTable() {
  for (size_t i = 0; i < std::size(kMessages); ++i) {
    const MessageSchema& m = kMessages[i];
    if (i > 0 && !(std::string_view(kMessages[i - 1].name) < m.name)) {
      return absl::InternalError(dra::StrCat("schema table not sorted at ", m.name));
    }
    int last = 0;
    for (const FieldSchema& f : m.fields) {
      if (f.number <= last) {
        return absl::InternalError(dra::StrCat(m.name, ": fields not sorted at ", f.number));
      }
      last = f.number;
      if ((f.kind == FieldKind::kMessage) != (f.message != nullptr)) {
        return absl::InternalError(dra::StrCat(m.name, ".", f.json_name, ": bad message ref"));
      }
      if (f.message != nullptr && FindMessage(f.message) == nullptr) {
        return absl::InternalError(dra::StrCat(m.name, ": no schema for ", f.message));
      }
      if ((f.flags & kInline) && (f.kind != FieldKind::kMessage || f.json_name[0] != '\0')) {
        return absl::InternalError(dra::StrCat(m.name, ": bad inline field ", f.number));
      }
    }
  }
  for (const KindSchema& k : kKinds) {
    if (FindMessage(k.message) == nullptr) {
      return absl::InternalError(dra::StrCat("no schema for kind ", k.kind));
    }
  }
  return absl::OkStatus();
}

std::vector<std::pair<std::string, std::string>> SupportedKindList() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const KindSchema& k : kKinds) {
    out.emplace_back(k.api_version == nullptr ? "meta.k8s.io/v1" : k.api_version, k.kind);
  }
  return out;
}

Value MakeSampleDocument(std::string_view api_version, std::string_view kind) {
  const KindSchema* k = FindKind(api_version, kind);
  if (k == nullptr) return Value();
  int counter = 0;
  Value doc = Value::Object({{"apiVersion", Value::String(std::string(api_version))},
                             {"kind", Value::String(std::string(kind))}});
  Value body = SampleMessage(*FindMessage(k->message), 0, counter);
  for (Value::Member& member : body.mutable_members()) {
    doc.Set(std::move(member.first), std::move(member.second));
  }
  return doc;
}

}  // namespace protobuf_internal
}  // namespace dra::api
