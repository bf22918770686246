// PatchSchema and the built-in per-kind schemas, transcribed from the +listType, +listMapKey,
// +mapType, +structType and patchStrategy/patchMergeKey markers of k8s.io/api.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dra/apiserver/patch/patch.h"
#include "dra/base/strings.h"

namespace dra::apiserver {
namespace {

// Splits "spec.containers[].env" into {"spec", "containers", "[]", "env"}.
std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    std::string_view part = path.substr(start, dot == std::string_view::npos ? dot : dot - start);
    int lists = 0;
    while (part.size() >= 2 && part.substr(part.size() - 2) == "[]") {
      part.remove_suffix(2);
      ++lists;
    }
    if (!part.empty()) out.emplace_back(part);
    for (int i = 0; i < lists; ++i) out.emplace_back("[]");
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

FieldSchema MapList(std::vector<std::string> keys, std::string smp_key = "") {
  FieldSchema f;
  f.list_type = ListType::kMap;
  for (auto& k : keys) f.keys.push_back(ListMapKey{std::move(k), std::nullopt, false});
  if (!smp_key.empty()) {
    f.smp_merge = true;
    f.smp_merge_key = std::move(smp_key);
  }
  return f;
}

FieldSchema SetList(bool smp_merge) {
  FieldSchema f;
  f.list_type = ListType::kSet;
  f.smp_merge = smp_merge;
  return f;
}

// A list that is atomic for apply but merged by key for strategic merge patch.
FieldSchema AtomicSmpList(std::string smp_key) {
  FieldSchema f;
  f.smp_merge = true;
  f.smp_merge_key = std::move(smp_key);
  return f;
}

FieldSchema Atomic() {
  FieldSchema f;
  f.atomic = true;
  return f;
}

FieldSchema Conditions() { return MapList({"type"}, "type"); }

// ObjectMeta at `prefix` ("metadata" or "spec.template.metadata").
void AddObjectMeta(PatchSchema& s, const std::string& prefix) {
  s.Add(prefix + ".finalizers", SetList(/*smp_merge=*/true));
  s.Add(prefix + ".ownerReferences", MapList({"uid"}, "uid"));
  s.Add(prefix + ".ownerReferences[]", Atomic());
}

void AddLabelSelector(PatchSchema& s, const std::string& path) { s.Add(path, Atomic()); }

void AddContainer(PatchSchema& s, const std::string& c) {
  FieldSchema ports = MapList({"containerPort", "protocol"}, "containerPort");
  ports.keys[1].default_value = api::Value::String("TCP");
  s.Add(c + ".ports", ports);
  s.Add(c + ".env", MapList({"name"}, "name"));
  for (const char* ref :
       {"fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef"}) {
    s.Add(StrCat(c, ".env[].valueFrom.", ref), Atomic());
  }
  s.Add(c + ".envFrom[]", Atomic());
  s.Add(c + ".volumeMounts", MapList({"mountPath"}, "mountPath"));
  s.Add(c + ".volumeMounts[].bindMountOptions", SetList(false));
  s.Add(c + ".volumeDevices", MapList({"devicePath"}, "devicePath"));
  s.Add(c + ".resources.claims", MapList({"name"}));
  s.Add(c + ".restartPolicyRules[].exitCodes.values", SetList(false));
}

// PodSpec at `p` ("spec" for a Pod, "spec.template.spec" for workloads).
void AddPodSpec(PatchSchema& s, const std::string& p) {
  s.Add(p + ".volumes", MapList({"name"}, "name"));
  for (const char* containers : {".initContainers", ".containers", ".ephemeralContainers"}) {
    s.Add(p + containers, MapList({"name"}, "name"));
    AddContainer(s, StrCat(p, containers, "[]"));
  }
  s.Add(p + ".imagePullSecrets", MapList({"name"}, "name"));
  s.Add(p + ".imagePullSecrets[]", Atomic());
  s.Add(p + ".nodeSelector", Atomic());
  s.Add(p + ".hostAliases", MapList({"ip"}, "ip"));
  s.Add(p + ".topologySpreadConstraints",
        MapList({"topologyKey", "whenUnsatisfiable"}, "topologyKey"));
  AddLabelSelector(s, p + ".topologySpreadConstraints[].labelSelector");
  s.Add(p + ".schedulingGates", MapList({"name"}, "name"));
  s.Add(p + ".resourceClaims", MapList({"name"}, "name"));
  s.Add(p + ".resources.claims", MapList({"name"}));
  s.Add(p + ".evictionResponders", MapList({"name"}, "name"));
  s.Add(p + ".evictionResponders[]", Atomic());
  s.Add(p + ".affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution", Atomic());
  s.Add(p + ".volumes[].ephemeral.volumeClaimTemplate.spec.selector", Atomic());
  s.Add(p + ".volumes[].ephemeral.volumeClaimTemplate.spec.dataSource", Atomic());
}

void AddPodStatus(PatchSchema& s, const std::string& p) {
  s.Add(p + ".conditions", Conditions());
  s.Add(p + ".hostIPs", AtomicSmpList("ip"));
  s.Add(p + ".podIPs", MapList({"ip"}, "ip"));
  s.Add(p + ".resourceClaimStatuses", MapList({"name"}, "name"));
  s.Add(p + ".volumeHealth", MapList({"name"}));
  s.Add(p + ".nodeAllocatableResourceClaimStatuses",
        MapList({"resourceClaimName"}, "resourceClaimName"));
  s.Add(p + ".nodeAllocatableResourceClaimStatuses[].containers", SetList(false));
  s.Add(p + ".nodeAllocatableResourceClaimStatuses[].mapping", MapList({"name"}, "name"));
  s.Add(p + ".nodeAllocatableResourceClaimStatuses[].overhead", MapList({"name"}, "name"));
  for (const char* statuses :
       {".initContainerStatuses[]", ".containerStatuses[]", ".ephemeralContainerStatuses[]"}) {
    // The status lists are atomic; their items' nested lists only matter for SMP.
    s.Add(StrCat(p, statuses, ".volumeMounts"), MapList({"mountPath"}, "mountPath"));
    s.Add(StrCat(p, statuses, ".allocatedResourcesStatus"), MapList({"name"}, "name"));
    s.Add(StrCat(p, statuses, ".allocatedResourcesStatus[].resources"), MapList({"resourceID"}));
  }
}

void AddWorkload(PatchSchema& s, bool with_template) {
  AddLabelSelector(s, "spec.selector");
  if (with_template) {
    AddObjectMeta(s, "spec.template.metadata");
    AddPodSpec(s, "spec.template.spec");
  }
  s.Add("status.conditions", Conditions());
}

void AddResourceClaimStatus(PatchSchema& s, const std::string& p) {
  s.Add(p + ".reservedFor", MapList({"uid"}, "uid"));
  FieldSchema devices = MapList({"driver", "device", "pool", "shareID"});
  devices.keys[3].optional = true;
  s.Add(p + ".devices", devices);
  s.Add(p + ".devices[].conditions", MapList({"type"}));
}

void AddResourceSliceSpec(PatchSchema& s, const std::string& p) {
  s.Add(p + ".skipNodeOperations", SetList(false));
  s.Add(p + ".nodeSelector", Atomic());
}

void AddDeviceConfigParameters(PatchSchema& s, const std::string& config_list) {
  // runtime.RawExtension: opaque, replaced as a whole.
  s.Add(config_list + "[].opaque.parameters", Atomic());
}

PatchSchema BuildSchema(std::string_view group, std::string_view kind) {
  PatchSchema s;
  AddObjectMeta(s, "metadata");
  if (group.empty()) {
    if (kind == "Pod") {
      AddPodSpec(s, "spec");
      AddPodStatus(s, "status");
    } else if (kind == "PodTemplate") {
      AddObjectMeta(s, "template.metadata");
      AddPodSpec(s, "template.spec");
    } else if (kind == "ReplicationController") {
      s.Add("spec.selector", Atomic());
      AddObjectMeta(s, "spec.template.metadata");
      AddPodSpec(s, "spec.template.spec");
      s.Add("status.conditions", Conditions());
    } else if (kind == "Node") {
      s.Add("spec.podCIDRs", SetList(/*smp_merge=*/true));
      s.Add("status.conditions", Conditions());
      s.Add("status.addresses", MapList({"type"}, "type"));
    } else if (kind == "Namespace") {
      s.Add("status.conditions", Conditions());
    } else if (kind == "Service") {
      FieldSchema ports = MapList({"port", "protocol"}, "port");
      ports.keys[1].default_value = api::Value::String("TCP");
      s.Add("spec.ports", ports);
      s.Add("spec.selector", Atomic());
      s.Add("status.conditions", Conditions());
    } else if (kind == "ServiceAccount") {
      s.Add("secrets", MapList({"name"}, "name"));
      s.Add("secrets[]", Atomic());
    } else if (kind == "PersistentVolumeClaim") {
      s.Add("status.conditions", Conditions());
      AddLabelSelector(s, "spec.selector");
      s.Add("spec.dataSource", Atomic());
    }
  } else if (group == "apps") {
    if (kind == "Deployment" || kind == "ReplicaSet" || kind == "DaemonSet" ||
        kind == "StatefulSet") {
      AddWorkload(s, /*with_template=*/true);
    }
  } else if (group == "resource.k8s.io") {
    if (kind == "ResourceClaim") {
      AddDeviceConfigParameters(s, "spec.devices.config");
      AddResourceClaimStatus(s, "status");
      AddDeviceConfigParameters(s, "status.allocation.devices.config");
      s.Add("status.allocation.nodeSelector", Atomic());
      s.Add("status.devices[].data", Atomic());
    } else if (kind == "ResourceClaimTemplate") {
      AddObjectMeta(s, "spec.metadata");
      AddDeviceConfigParameters(s, "spec.spec.devices.config");
    } else if (kind == "DeviceClass") {
      AddDeviceConfigParameters(s, "spec.config");
    } else if (kind == "ResourceSlice") {
      AddResourceSliceSpec(s, "spec");
    } else if (kind == "DeviceTaintRule") {
      s.Add("status.conditions", Conditions());
    }
  }
  return s;
}

}  // namespace

const PatchSchema::Node* PatchSchema::Node::Member(std::string_view name) const {
  auto it = members.find(name);
  return it == members.end() ? nullptr : it->second.get();
}

PatchSchema::PatchSchema() : root_(std::make_unique<Node>()) {}
PatchSchema::PatchSchema(PatchSchema&&) noexcept = default;
PatchSchema& PatchSchema::operator=(PatchSchema&&) noexcept = default;
PatchSchema::~PatchSchema() = default;

PatchSchema::Node* PatchSchema::Ensure(std::string_view path) {
  Node* node = root_.get();
  for (const std::string& part : SplitPath(path)) {
    std::unique_ptr<Node>* next;
    if (part == "[]") {
      next = &node->items;
    } else {
      auto it = node->members.find(part);
      if (it == node->members.end()) it = node->members.emplace(part, nullptr).first;
      next = &it->second;
    }
    if (*next == nullptr) *next = std::make_unique<Node>();
    node = next->get();
  }
  return node;
}

PatchSchema& PatchSchema::Add(std::string_view path, FieldSchema field) {
  Ensure(path)->field = std::move(field);
  return *this;
}

const FieldSchema* PatchSchema::Find(std::string_view path) const {
  const Node* node = root_.get();
  for (const std::string& part : SplitPath(path)) {
    node = part == "[]" ? node->Items() : node->Member(part);
    if (node == nullptr) return nullptr;
  }
  return &node->field;
}

const PatchSchema& PatchSchemaFor(std::string_view api_version, std::string_view kind) {
  // Built once, on first use (thread-safe static initialisation), never modified afterwards.
  static const auto* const kSchemas = [] {
    auto* m = new std::map<std::string, PatchSchema, std::less<>>();
    const std::pair<const char*, std::vector<const char*>> kinds[] = {
        {"",
         {"Pod", "PodTemplate", "ReplicationController", "Node", "Namespace", "Event", "Service",
          "ServiceAccount", "PersistentVolumeClaim", "ConfigMap", "Secret"}},
        {"apps", {"Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"}},
        {"coordination.k8s.io", {"Lease"}},
        {"resource.k8s.io",
         {"DeviceClass", "ResourceSlice", "ResourceClaim", "ResourceClaimTemplate",
          "DeviceTaintRule"}},
    };
    for (const auto& [group, names] : kinds) {
      for (const char* name : names) {
        m->emplace(StrCat(group, "/", name), BuildSchema(group, name));
      }
    }
    m->emplace("/", BuildSchema("", ""));  // metadata only, for unknown kinds
    return m;
  }();
  std::string_view group;
  size_t slash = api_version.rfind('/');
  if (slash != std::string_view::npos) group = api_version.substr(0, slash);
  auto it = kSchemas->find(StrCat(group, "/", kind));
  if (it == kSchemas->end()) it = kSchemas->find(std::string_view("/"));
  return it->second;
}

}  // namespace dra::apiserver
