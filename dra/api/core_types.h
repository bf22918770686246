// Object model for the core/v1 subset that Dynamic Resource Allocation works with: node
// selectors, Pod, Node, Namespace and Event.
//
// Conventions are those of meta_types.h. Parts of Pod and Node that DRA never interprets
// (volumes, probes, security contexts, affinity, container state...) are kept as free-form
// dra::api::Value so that objects read from a real cluster survive a decode/encode round trip
// unchanged; the parts the scheduler, the claim controllers and the node agent use are typed.
// All types are thread-compatible value types.
#ifndef DRA_API_CORE_TYPES_H_
#define DRA_API_CORE_TYPES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dra/api/meta_types.h"
#include "dra/api/value.h"
#include "dra/base/quantity.h"

namespace dra::api {

// core/v1 ResourceList: resource name ("cpu", "memory", "example.com/gpu") to quantity.
using ResourceList = std::map<std::string, Quantity>;

inline constexpr std::string_view kNodeSelectorOpIn = "In";
inline constexpr std::string_view kNodeSelectorOpNotIn = "NotIn";
inline constexpr std::string_view kNodeSelectorOpExists = "Exists";
inline constexpr std::string_view kNodeSelectorOpDoesNotExist = "DoesNotExist";
inline constexpr std::string_view kNodeSelectorOpGt = "Gt";
inline constexpr std::string_view kNodeSelectorOpLt = "Lt";

inline constexpr std::string_view kTaintEffectNoSchedule = "NoSchedule";
inline constexpr std::string_view kTaintEffectPreferNoSchedule = "PreferNoSchedule";
inline constexpr std::string_view kTaintEffectNoExecute = "NoExecute";

inline constexpr std::string_view kTolerationOpExists = "Exists";
inline constexpr std::string_view kTolerationOpEqual = "Equal";
inline constexpr std::string_view kTolerationOpLt = "Lt";
inline constexpr std::string_view kTolerationOpGt = "Gt";

inline constexpr std::string_view kPodPending = "Pending";
inline constexpr std::string_view kPodRunning = "Running";
inline constexpr std::string_view kPodSucceeded = "Succeeded";
inline constexpr std::string_view kPodFailed = "Failed";
inline constexpr std::string_view kPodUnknown = "Unknown";

inline constexpr std::string_view kPodConditionContainersReady = "ContainersReady";
inline constexpr std::string_view kPodConditionInitialized = "Initialized";
inline constexpr std::string_view kPodConditionReady = "Ready";
inline constexpr std::string_view kPodConditionPodScheduled = "PodScheduled";
inline constexpr std::string_view kPodConditionDisruptionTarget = "DisruptionTarget";
inline constexpr std::string_view kPodConditionReadyToStartContainers = "PodReadyToStartContainers";
inline constexpr std::string_view kPodConditionResizePending = "PodResizePending";
inline constexpr std::string_view kPodConditionResizeInProgress = "PodResizeInProgress";

inline constexpr std::string_view kPodReasonUnschedulable = "Unschedulable";
inline constexpr std::string_view kPodReasonSchedulingGated = "SchedulingGated";

inline constexpr std::string_view kRestartPolicyAlways = "Always";
inline constexpr std::string_view kRestartPolicyOnFailure = "OnFailure";
inline constexpr std::string_view kRestartPolicyNever = "Never";

inline constexpr std::string_view kResourceHealthStatusHealthy = "Healthy";
inline constexpr std::string_view kResourceHealthStatusUnhealthy = "Unhealthy";
inline constexpr std::string_view kResourceHealthStatusUnknown = "Unknown";

inline constexpr std::string_view kNamespaceActive = "Active";
inline constexpr std::string_view kNamespaceTerminating = "Terminating";
inline constexpr std::string_view kFinalizerKubernetes = "kubernetes";

inline constexpr std::string_view kEventTypeNormal = "Normal";
inline constexpr std::string_view kEventTypeWarning = "Warning";

inline constexpr std::string_view kDefaultSchedulerName = "default-scheduler";

inline constexpr std::string_view kResourceCPU = "cpu";
inline constexpr std::string_view kResourceMemory = "memory";
inline constexpr std::string_view kResourcePods = "pods";

// ---------------------------------------------------------------------------------------------
// Node selection

// One requirement on a node label (match_expressions) or node field (match_fields).
struct NodeSelectorRequirement {
  std::string key;
  std::string operator_;
  std::vector<std::string> values;

  template <typename V>
  void VisitFields(V& v) {
    v("key", key, kEmitEmpty);
    v("operator", operator_, kEmitEmpty);
    v("values", values);
  }
  friend bool operator==(const NodeSelectorRequirement&, const NodeSelectorRequirement&) = default;
};

// A conjunction of requirements. An empty term matches no node.
struct NodeSelectorTerm {
  std::vector<NodeSelectorRequirement> match_expressions;
  std::vector<NodeSelectorRequirement> match_fields;

  template <typename V>
  void VisitFields(V& v) {
    v("matchExpressions", match_expressions);
    v("matchFields", match_fields);
  }
  friend bool operator==(const NodeSelectorTerm&, const NodeSelectorTerm&) = default;
};

// A disjunction of terms: a node matches when any term matches.
struct NodeSelector {
  std::vector<NodeSelectorTerm> node_selector_terms;

  template <typename V>
  void VisitFields(V& v) {
    v("nodeSelectorTerms", node_selector_terms, kEmitEmpty);
  }
  friend bool operator==(const NodeSelector&, const NodeSelector&) = default;
};

// A node taint (core/v1 Taint).
struct Taint {
  std::string key;
  std::string value;
  std::string effect;
  std::optional<std::string> time_added;

  template <typename V>
  void VisitFields(V& v) {
    v("key", key, kEmitEmpty);
    v("value", value);
    v("effect", effect, kEmitEmpty);
    v("timeAdded", time_added);
  }
  friend bool operator==(const Taint&, const Taint&) = default;
};

// A pod toleration of node taints (core/v1 Toleration).
struct Toleration {
  std::string key;
  std::string operator_;
  std::string value;
  std::string effect;
  std::optional<int64_t> toleration_seconds;

  template <typename V>
  void VisitFields(V& v) {
    v("key", key);
    v("operator", operator_);
    v("value", value);
    v("effect", effect);
    v("tolerationSeconds", toleration_seconds);
  }
  friend bool operator==(const Toleration&, const Toleration&) = default;
};

// A reference to any object (core/v1 ObjectReference), as used by Event.involvedObject.
struct ObjectReference {
  std::string kind;
  std::string namespace_;
  std::string name;
  std::string uid;
  std::string api_version;
  std::string resource_version;
  std::string field_path;

  template <typename V>
  void VisitFields(V& v) {
    v("kind", kind);
    v("namespace", namespace_);
    v("name", name);
    v("uid", uid);
    v("apiVersion", api_version);
    v("resourceVersion", resource_version);
    v("fieldPath", field_path);
  }
  friend bool operator==(const ObjectReference&, const ObjectReference&) = default;
};

// ---------------------------------------------------------------------------------------------
// Pod

// An environment variable of a container; value_from (secret, config map, field references) is
// kept free-form.
struct EnvVar {
  std::string name;
  std::string value;
  std::optional<Value> value_from;

  template <typename V>
  void VisitFields(V& v) {
    v("name", name, kEmitEmpty);
    v("value", value);
    v("valueFrom", value_from);
  }
  friend bool operator==(const EnvVar&, const EnvVar&) = default;
};

// One entry of container.resources.claims: a pod-level claim name (pod.spec.resourceClaims[].name)
// and optionally one request of that claim. Upstream calls this type core/v1 ResourceClaim; it is
// renamed here because ResourceClaim names the resource.k8s.io kind.
struct ContainerResourceClaim {
  std::string name;
  std::string request;

  template <typename V>
  void VisitFields(V& v) {
    v("name", name, kEmitEmpty);
    v("request", request);
  }
  friend bool operator==(const ContainerResourceClaim&, const ContainerResourceClaim&) = default;
};

// Compute resources of a container or pod: limits, requests and the DRA claims it uses.
struct ResourceRequirements {
  ResourceList limits;
  ResourceList requests;
  std::vector<ContainerResourceClaim> claims;

  template <typename V>
  void VisitFields(V& v) {
    v("limits", limits);
    v("requests", requests);
    v("claims", claims);
  }
  friend bool operator==(const ResourceRequirements&, const ResourceRequirements&) = default;
};

// A container (used for both containers and initContainers).
struct Container {
  std::string name;
  std::string image;
  std::vector<std::string> command;
  std::vector<std::string> args;
  std::string working_dir;
  std::vector<Value> ports;
  std::vector<Value> env_from;
  std::vector<EnvVar> env;
  ResourceRequirements resources;
  std::vector<Value> resize_policy;
  std::optional<std::string> restart_policy;
  std::vector<Value> restart_policy_rules;
  std::vector<Value> volume_mounts;
  std::vector<Value> volume_devices;
  std::optional<Value> liveness_probe;
  std::optional<Value> readiness_probe;
  std::optional<Value> startup_probe;
  std::optional<Value> lifecycle;
  std::string termination_message_path;
  std::string termination_message_policy;
  std::string image_pull_policy;
  std::optional<Value> security_context;
  bool stdin_ = false;  // `stdin` is a <cstdio> macro on some C libraries.
  bool stdin_once = false;
  bool tty = false;

  template <typename V>
  void VisitFields(V& v) {
    v("name", name, kEmitEmpty);
    v("image", image);
    v("command", command);
    v("args", args);
    v("workingDir", working_dir);
    v("ports", ports);
    v("envFrom", env_from);
    v("env", env);
    v("resources", resources, kEmitEmpty);
    v("resizePolicy", resize_policy);
    v("restartPolicy", restart_policy);
    v("restartPolicyRules", restart_policy_rules);
    v("volumeMounts", volume_mounts);
    v("volumeDevices", volume_devices);
    v("livenessProbe", liveness_probe);
    v("readinessProbe", readiness_probe);
    v("startupProbe", startup_probe);
    v("lifecycle", lifecycle);
    v("terminationMessagePath", termination_message_path);
    v("terminationMessagePolicy", termination_message_policy);
    v("imagePullPolicy", image_pull_policy);
    v("securityContext", security_context);
    v("stdin", stdin_);
    v("stdinOnce", stdin_once);
    v("tty", tty);
  }
  friend bool operator==(const Container&, const Container&) = default;
};

// A pod-level reference to a ResourceClaim: exactly one of resource_claim_name (an existing claim)
// and resource_claim_template_name (a claim generated per pod) is set.
struct PodResourceClaim {
  std::string name;
  std::optional<std::string> resource_claim_name;
  std::optional<std::string> resource_claim_template_name;

  template <typename V>
  void VisitFields(V& v) {
    v("name", name, kEmitEmpty);
    v("resourceClaimName", resource_claim_name);
    v("resourceClaimTemplateName", resource_claim_template_name);
  }
  friend bool operator==(const PodResourceClaim&, const PodResourceClaim&) = default;
};

// A scheduling gate; the pod is not scheduled while any gate remains.
struct PodSchedulingGate {
  std::string name;

  template <typename V>
  void VisitFields(V& v) {
    v("name", name, kEmitEmpty);
  }
  friend bool operator==(const PodSchedulingGate&, const PodSchedulingGate&) = default;
};

// The pod group a pod is scheduled with (spec.schedulingGroup).
struct PodSchedulingGroup {
  std::optional<std::string> pod_group_name;

  template <typename V>
  void VisitFields(V& v) {
    v("podGroupName", pod_group_name);
  }
  friend bool operator==(const PodSchedulingGroup&, const PodSchedulingGroup&) = default;
};

// Desired state of a pod.
struct PodSpec {
  std::vector<Value> volumes;
  std::vector<Container> init_containers;
  std::vector<Container> containers;
  std::vector<Value> ephemeral_containers;
  std::string restart_policy;
  std::optional<int64_t> termination_grace_period_seconds;
  std::optional<int64_t> active_deadline_seconds;
  std::string dns_policy;
  std::map<std::string, std::string> node_selector;
  std::string service_account_name;
  std::string service_account;
  std::optional<bool> automount_service_account_token;
  std::string node_name;
  bool host_network = false;
  bool host_pid = false;
  bool host_ipc = false;
  std::optional<bool> share_process_namespace;
  std::optional<Value> security_context;
  std::vector<Value> image_pull_secrets;
  std::string hostname;
  std::string subdomain;
  std::optional<Value> affinity;
  std::string scheduler_name;
  std::vector<Toleration> tolerations;
  std::vector<Value> host_aliases;
  std::string priority_class_name;
  std::optional<int32_t> priority;
  std::optional<Value> dns_config;
  std::vector<Value> readiness_gates;
  std::optional<std::string> runtime_class_name;
  std::optional<bool> enable_service_links;
  std::optional<std::string> preemption_policy;
  ResourceList overhead;
  std::vector<Value> topology_spread_constraints;
  std::optional<bool> set_hostname_as_fqdn;
  std::optional<Value> os;
  std::optional<bool> host_users;
  std::vector<PodSchedulingGate> scheduling_gates;
  std::vector<PodResourceClaim> resource_claims;
  std::optional<ResourceRequirements> resources;
  std::optional<std::string> hostname_override;
  std::optional<PodSchedulingGroup> scheduling_group;

  template <typename V>
  void VisitFields(V& v) {
    v("volumes", volumes);
    v("initContainers", init_containers);
    v("containers", containers, kEmitEmpty);
    v("ephemeralContainers", ephemeral_containers);
    v("restartPolicy", restart_policy);
    v("terminationGracePeriodSeconds", termination_grace_period_seconds);
    v("activeDeadlineSeconds", active_deadline_seconds);
    v("dnsPolicy", dns_policy);
    v("nodeSelector", node_selector);
    v("serviceAccountName", service_account_name);
    v("serviceAccount", service_account);
    v("automountServiceAccountToken", automount_service_account_token);
    v("nodeName", node_name);
    v("hostNetwork", host_network);
    v("hostPID", host_pid);
    v("hostIPC", host_ipc);
    v("shareProcessNamespace", share_process_namespace);
    v("securityContext", security_context);
    v("imagePullSecrets", image_pull_secrets);
    v("hostname", hostname);
    v("subdomain", subdomain);
    v("affinity", affinity);
    v("schedulerName", scheduler_name);
    v("tolerations", tolerations);
    v("hostAliases", host_aliases);
    v("priorityClassName", priority_class_name);
    v("priority", priority);
    v("dnsConfig", dns_config);
    v("readinessGates", readiness_gates);
    v("runtimeClassName", runtime_class_name);
    v("enableServiceLinks", enable_service_links);
    v("preemptionPolicy", preemption_policy);
    v("overhead", overhead);
    v("topologySpreadConstraints", topology_spread_constraints);
    v("setHostnameAsFQDN", set_hostname_as_fqdn);
    v("os", os);
    v("hostUsers", host_users);
    v("schedulingGates", scheduling_gates);
    v("resourceClaims", resource_claims);
    v("resources", resources);
    v("hostnameOverride", hostname_override);
    v("schedulingGroup", scheduling_group);
  }
  friend bool operator==(const PodSpec&, const PodSpec&) = default;
};

// A pod condition (status.conditions[]).
struct PodCondition {
  std::string type;
  int64_t observed_generation = 0;
  std::string status;
  std::string last_probe_time;
  std::string last_transition_time;
  std::string reason;
  std::string message;

  template <typename V>
  void VisitFields(V& v) {
    v("type", type, kEmitEmpty);
    v("observedGeneration", observed_generation);
    v("status", status, kEmitEmpty);
    v("lastProbeTime", last_probe_time);
    v("lastTransitionTime", last_transition_time);
    v("reason", reason);
    v("message", message);
  }
  friend bool operator==(const PodCondition&, const PodCondition&) = default;
};

// The ResourceClaim generated (or chosen) for one pod.spec.resourceClaims entry. An unset
// resource_claim_name means no claim was needed.
struct PodResourceClaimStatus {
  std::string name;
  std::optional<std::string> resource_claim_name;

  template <typename V>
  void VisitFields(V& v) {
    v("name", name, kEmitEmpty);
    v("resourceClaimName", resource_claim_name);
  }
  friend bool operator==(const PodResourceClaimStatus&, const PodResourceClaimStatus&) = default;
};

// Maps one container's extended resource to the request of the special claim that backs it with
// DRA.
struct ContainerExtendedResourceRequest {
  std::string container_name;
  std::string resource_name;
  std::string request_name;

  template <typename V>
  void VisitFields(V& v) {
    v("containerName", container_name, kEmitEmpty);
    v("resourceName", resource_name, kEmitEmpty);
    v("requestName", request_name, kEmitEmpty);
  }
  friend bool operator==(const ContainerExtendedResourceRequest&,
                         const ContainerExtendedResourceRequest&) = default;
};

// The claim generated for a pod's extended resources backed by DRA (DRAExtendedResource).
struct PodExtendedResourceClaimStatus {
  std::vector<ContainerExtendedResourceRequest> request_mappings;
  std::string resource_claim_name;

  template <typename V>
  void VisitFields(V& v) {
    v("requestMappings", request_mappings, kEmitEmpty);
    v("resourceClaimName", resource_claim_name, kEmitEmpty);
  }
  friend bool operator==(const PodExtendedResourceClaimStatus&,
                         const PodExtendedResourceClaimStatus&) = default;
};

// Node-allocatable resources (cpu, memory...) allocated to a pod through one claim
// (DRANodeAllocatableResources).
struct NodeAllocatableResourceClaimStatus {
  std::string resource_claim_name;
  std::vector<std::string> containers;
  ResourceList resources;

  template <typename V>
  void VisitFields(V& v) {
    v("resourceClaimName", resource_claim_name, kEmitEmpty);
    v("containers", containers);
    v("resources", resources, kEmitEmpty);
  }
  friend bool operator==(const NodeAllocatableResourceClaimStatus&,
                         const NodeAllocatableResourceClaimStatus&) = default;
};

// Health of one allocated resource instance. For DRA devices resource_id is
// "<driver>/<pool>/<device>".
struct ResourceHealth {
  std::string resource_id;
  std::string health;
  std::optional<std::string> message;

  template <typename V>
  void VisitFields(V& v) {
    v("resourceID", resource_id, kEmitEmpty);
    v("health", health);
    v("message", message);
  }
  friend bool operator==(const ResourceHealth&, const ResourceHealth&) = default;
};

// Health of the resources behind one resource name; for DRA the name is
// "claim:<claim name>/<request>".
struct ResourceStatus {
  std::string name;
  std::vector<ResourceHealth> resources;

  template <typename V>
  void VisitFields(V& v) {
    v("name", name, kEmitEmpty);
    v("resources", resources);
  }
  friend bool operator==(const ResourceStatus&, const ResourceStatus&) = default;
};

// Observed state of one container. state and last_state are kept free-form.
struct ContainerStatus {
  std::string name;
  Value state;
  Value last_state;
  bool ready = false;
  int32_t restart_count = 0;
  std::string image;
  std::string image_id;
  std::string container_id;
  std::optional<bool> started;
  ResourceList allocated_resources;
  std::optional<ResourceRequirements> resources;
  std::vector<Value> volume_mounts;
  std::optional<Value> user;
  std::vector<ResourceStatus> allocated_resources_status;
  std::optional<std::string> stop_signal;

  template <typename V>
  void VisitFields(V& v) {
    v("name", name, kEmitEmpty);
    v("state", state);
    v("lastState", last_state);
    v("ready", ready, kEmitEmpty);
    v("restartCount", restart_count, kEmitEmpty);
    v("image", image, kEmitEmpty);
    v("imageID", image_id, kEmitEmpty);
    v("containerID", container_id);
    v("started", started);
    v("allocatedResources", allocated_resources);
    v("resources", resources);
    v("volumeMounts", volume_mounts);
    v("user", user);
    v("allocatedResourcesStatus", allocated_resources_status);
    v("stopSignal", stop_signal);
  }
  friend bool operator==(const ContainerStatus&, const ContainerStatus&) = default;
};

// An IP address of the pod's host (status.hostIPs[]).
struct HostIP {
  std::string ip;

  template <typename V>
  void VisitFields(V& v) {
    v("ip", ip, kEmitEmpty);
  }
  friend bool operator==(const HostIP&, const HostIP&) = default;
};

// An IP address of the pod (status.podIPs[]).
struct PodIP {
  std::string ip;

  template <typename V>
  void VisitFields(V& v) {
    v("ip", ip, kEmitEmpty);
  }
  friend bool operator==(const PodIP&, const PodIP&) = default;
};

// Observed state of a pod.
struct PodStatus {
  int64_t observed_generation = 0;
  std::string phase;
  std::vector<PodCondition> conditions;
  std::string message;
  std::string reason;
  std::string nominated_node_name;
  std::string host_ip;
  std::vector<HostIP> host_ips;
  std::string pod_ip;
  std::vector<PodIP> pod_ips;
  std::optional<std::string> start_time;
  std::vector<ContainerStatus> init_container_statuses;
  std::vector<ContainerStatus> container_statuses;
  std::string qos_class;
  std::vector<ContainerStatus> ephemeral_container_statuses;
  std::string resize;
  std::vector<PodResourceClaimStatus> resource_claim_statuses;
  std::optional<PodExtendedResourceClaimStatus> extended_resource_claim_status;
  ResourceList allocated_resources;
  std::optional<ResourceRequirements> resources;
  std::vector<NodeAllocatableResourceClaimStatus> node_allocatable_resource_claim_statuses;

  template <typename V>
  void VisitFields(V& v) {
    v("observedGeneration", observed_generation);
    v("phase", phase);
    v("conditions", conditions);
    v("message", message);
    v("reason", reason);
    v("nominatedNodeName", nominated_node_name);
    v("hostIP", host_ip);
    v("hostIPs", host_ips);
    v("podIP", pod_ip);
    v("podIPs", pod_ips);
    v("startTime", start_time);
    v("initContainerStatuses", init_container_statuses);
    v("containerStatuses", container_statuses);
    v("qosClass", qos_class);
    v("ephemeralContainerStatuses", ephemeral_container_statuses);
    v("resize", resize);
    v("resourceClaimStatuses", resource_claim_statuses);
    v("extendedResourceClaimStatus", extended_resource_claim_status);
    v("allocatedResources", allocated_resources);
    v("resources", resources);
    v("nodeAllocatableResourceClaimStatuses", node_allocatable_resource_claim_statuses);
  }
  friend bool operator==(const PodStatus&, const PodStatus&) = default;
};

// A pod (core/v1 Pod).
struct Pod {
  static constexpr std::string_view kKind = "Pod";
  static constexpr std::string_view kGroupVersion = "v1";
  static constexpr std::string_view kResource = "pods";
  static constexpr bool kNamespaced = true;

  std::string api_version;
  std::string kind;
  ObjectMeta metadata;
  PodSpec spec;
  PodStatus status;

  template <typename V>
  void VisitFields(V& v) {
    v("apiVersion", api_version);
    v("kind", kind);
    v("metadata", metadata, kEmitEmpty);
    v("spec", spec, kEmitEmpty);
    v("status", status, kEmitEmpty);
  }
  friend bool operator==(const Pod&, const Pod&) = default;
};

// ---------------------------------------------------------------------------------------------
// Node

// Desired state of a node. config_source is kept free-form.
struct NodeSpec {
  std::string pod_cidr;
  std::vector<std::string> pod_cidrs;
  std::string provider_id;
  bool unschedulable = false;
  std::vector<Taint> taints;
  std::optional<Value> config_source;
  std::string external_id;

  template <typename V>
  void VisitFields(V& v) {
    v("podCIDR", pod_cidr);
    v("podCIDRs", pod_cidrs);
    v("providerID", provider_id);
    v("unschedulable", unschedulable);
    v("taints", taints);
    v("configSource", config_source);
    v("externalID", external_id);
  }
  friend bool operator==(const NodeSpec&, const NodeSpec&) = default;
};

// A node condition (status.conditions[]).
struct NodeCondition {
  std::string type;
  std::string status;
  std::string last_heartbeat_time;
  std::string last_transition_time;
  std::string reason;
  std::string message;

  template <typename V>
  void VisitFields(V& v) {
    v("type", type, kEmitEmpty);
    v("status", status, kEmitEmpty);
    v("lastHeartbeatTime", last_heartbeat_time);
    v("lastTransitionTime", last_transition_time);
    v("reason", reason);
    v("message", message);
  }
  friend bool operator==(const NodeCondition&, const NodeCondition&) = default;
};

// An address of a node (status.addresses[]).
struct NodeAddress {
  std::string type;
  std::string address;

  template <typename V>
  void VisitFields(V& v) {
    v("type", type, kEmitEmpty);
    v("address", address, kEmitEmpty);
  }
  friend bool operator==(const NodeAddress&, const NodeAddress&) = default;
};

// Observed state of a node. Parts DRA does not use are kept free-form.
struct NodeStatus {
  ResourceList capacity;
  ResourceList allocatable;
  std::string phase;
  std::vector<NodeCondition> conditions;
  std::vector<NodeAddress> addresses;
  Value daemon_endpoints;
  Value node_info;
  std::vector<Value> images;
  std::vector<std::string> volumes_in_use;
  std::vector<Value> volumes_attached;
  std::optional<Value> config;
  std::vector<Value> runtime_handlers;
  std::optional<Value> features;
  std::vector<std::string> declared_features;

  template <typename V>
  void VisitFields(V& v) {
    v("capacity", capacity);
    v("allocatable", allocatable);
    v("phase", phase);
    v("conditions", conditions);
    v("addresses", addresses);
    v("daemonEndpoints", daemon_endpoints);
    v("nodeInfo", node_info);
    v("images", images);
    v("volumesInUse", volumes_in_use);
    v("volumesAttached", volumes_attached);
    v("config", config);
    v("runtimeHandlers", runtime_handlers);
    v("features", features);
    v("declaredFeatures", declared_features);
  }
  friend bool operator==(const NodeStatus&, const NodeStatus&) = default;
};

// A node (core/v1 Node).
struct Node {
  static constexpr std::string_view kKind = "Node";
  static constexpr std::string_view kGroupVersion = "v1";
  static constexpr std::string_view kResource = "nodes";
  static constexpr bool kNamespaced = false;

  std::string api_version;
  std::string kind;
  ObjectMeta metadata;
  NodeSpec spec;
  NodeStatus status;

  template <typename V>
  void VisitFields(V& v) {
    v("apiVersion", api_version);
    v("kind", kind);
    v("metadata", metadata, kEmitEmpty);
    v("spec", spec, kEmitEmpty);
    v("status", status, kEmitEmpty);
  }
  friend bool operator==(const Node&, const Node&) = default;
};

// ---------------------------------------------------------------------------------------------
// Namespace

// Desired state of a namespace: the finalizers that must run before it is removed.
struct NamespaceSpec {
  std::vector<std::string> finalizers;

  template <typename V>
  void VisitFields(V& v) {
    v("finalizers", finalizers);
  }
  friend bool operator==(const NamespaceSpec&, const NamespaceSpec&) = default;
};

// A namespace condition (status.conditions[]).
struct NamespaceCondition {
  std::string type;
  std::string status;
  std::string last_transition_time;
  std::string reason;
  std::string message;

  template <typename V>
  void VisitFields(V& v) {
    v("type", type, kEmitEmpty);
    v("status", status, kEmitEmpty);
    v("lastTransitionTime", last_transition_time);
    v("reason", reason);
    v("message", message);
  }
  friend bool operator==(const NamespaceCondition&, const NamespaceCondition&) = default;
};

// phase is "Active" or "Terminating".
struct NamespaceStatus {
  std::string phase;
  std::vector<NamespaceCondition> conditions;

  template <typename V>
  void VisitFields(V& v) {
    v("phase", phase);
    v("conditions", conditions);
  }
  friend bool operator==(const NamespaceStatus&, const NamespaceStatus&) = default;
};

// A namespace (core/v1 Namespace).
struct Namespace {
  static constexpr std::string_view kKind = "Namespace";
  static constexpr std::string_view kGroupVersion = "v1";
  static constexpr std::string_view kResource = "namespaces";
  static constexpr bool kNamespaced = false;

  std::string api_version;
  std::string kind;
  ObjectMeta metadata;
  NamespaceSpec spec;
  NamespaceStatus status;

  template <typename V>
  void VisitFields(V& v) {
    v("apiVersion", api_version);
    v("kind", kind);
    v("metadata", metadata, kEmitEmpty);
    v("spec", spec, kEmitEmpty);
    v("status", status, kEmitEmpty);
  }
  friend bool operator==(const Namespace&, const Namespace&) = default;
};

// ---------------------------------------------------------------------------------------------
// Event

// The component (and host) that reported an event.
struct EventSource {
  std::string component;
  std::string host;

  template <typename V>
  void VisitFields(V& v) {
    v("component", component);
    v("host", host);
  }
  friend bool operator==(const EventSource&, const EventSource&) = default;
};

// Data about a series of repeated events; last_observed_time is a MicroTime (RFC 3339 with
// microseconds).
struct EventSeries {
  int32_t count = 0;
  std::string last_observed_time;

  template <typename V>
  void VisitFields(V& v) {
    v("count", count);
    v("lastObservedTime", last_observed_time);
  }
  friend bool operator==(const EventSeries&, const EventSeries&) = default;
};

// A core/v1 Event. Its fields are top level (there is no spec). event_time is a MicroTime.
struct Event {
  static constexpr std::string_view kKind = "Event";
  static constexpr std::string_view kGroupVersion = "v1";
  static constexpr std::string_view kResource = "events";
  static constexpr bool kNamespaced = true;

  std::string api_version;
  std::string kind;
  ObjectMeta metadata;
  ObjectReference involved_object;
  std::string reason;
  std::string message;
  EventSource source;
  std::string first_timestamp;
  std::string last_timestamp;
  int32_t count = 0;
  std::string type;
  std::string event_time;
  std::optional<EventSeries> series;
  std::string action;
  std::optional<ObjectReference> related;
  std::string reporting_component;
  std::string reporting_instance;

  template <typename V>
  void VisitFields(V& v) {
    v("apiVersion", api_version);
    v("kind", kind);
    v("metadata", metadata, kEmitEmpty);
    v("involvedObject", involved_object, kEmitEmpty);
    v("reason", reason);
    v("message", message);
    v("source", source, kEmitEmpty);
    v("firstTimestamp", first_timestamp);
    v("lastTimestamp", last_timestamp);
    v("count", count);
    v("type", type);
    v("eventTime", event_time);
    v("series", series);
    v("action", action);
    v("related", related);
    v("reportingComponent", reporting_component, kEmitEmpty);
    v("reportingInstance", reporting_instance, kEmitEmpty);
  }
  friend bool operator==(const Event&, const Event&) = default;
};

}  // namespace dra::api

#endif  // DRA_API_CORE_TYPES_H_
