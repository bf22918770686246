// Table printing per kind, following k8s.io/kubernetes pkg/printers/internalversion/printers.go.
// Descriptions are the swagger documentation strings upstream's column definitions use.
#include "dra/apiserver/printing/tables.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "dra/apiserver/printing/selectors.h"
#include "dra/base/strings.h"

namespace dra::apiserver {
namespace {

using api::Value;

constexpr std::string_view kNameDoc =
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name "
    "automatically. Name is primarily intended for creation idempotence and configuration "
    "definition. Cannot be updated. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
constexpr std::string_view kCreationTimestampDoc =
    "CreationTimestamp is a timestamp representing the server time when this object was "
    "created. It is not guaranteed to be set in happens-before order across separate "
    "operations. Clients may not set this value. It is represented in RFC3339 form and is in "
    "UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/"
    "api-conventions.md#metadata";
constexpr std::string_view kContainersDoc = "Names of each container in the template.";
constexpr std::string_view kImagesDoc = "Images referenced by each container in the template.";

struct Column {
  std::string_view name;
  std::string_view type;
  std::string_view format;
  std::string_view description;
  int priority = 0;
};

Column NameColumn() { return {"Name", "string", "name", kNameDoc, 0}; }
Column AgeColumn() { return {"Age", "string", "", kCreationTimestampDoc, 0}; }

// ---- Value access ---------------------------------------------------------------------------

const Value* Get(const Value& v, std::initializer_list<std::string_view> path) {
  const Value* cur = &v;
  for (std::string_view key : path) {
    if (cur == nullptr || !cur->is_object()) return nullptr;
    cur = cur->Find(key);
  }
  return cur;
}

std::string Str(const Value& v, std::initializer_list<std::string_view> path) {
  const Value* x = Get(v, path);
  if (x == nullptr || !(x->is_string() || x->is_number())) return "";
  return x->text();
}

int64_t Int(const Value& v, std::initializer_list<std::string_view> path, int64_t fallback = 0) {
  const Value* x = Get(v, path);
  if (x == nullptr || !x->is_number()) return fallback;
  return x->AsInt64().value_or(fallback);
}

bool Bool(const Value& v, std::initializer_list<std::string_view> path) {
  const Value* x = Get(v, path);
  return x != nullptr && x->is_bool() && x->bool_value();
}

const std::vector<Value>& Items(const Value& v, std::initializer_list<std::string_view> path) {
  static const std::vector<Value> kEmpty;
  const Value* x = Get(v, path);
  if (x == nullptr || !x->is_array()) return kEmpty;
  return x->items();
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// ---- Time -----------------------------------------------------------------------------------

std::optional<absl::Time> Timestamp(const Value& v, std::initializer_list<std::string_view> path) {
  const Value* x = Get(v, path);
  if (x == nullptr || !x->is_string() || x->text().empty()) return std::nullopt;
  return ParseRfc3339(x->text());
}

// translateTimestampSince: "<unknown>" for a zero (absent) timestamp.
std::string Since(std::optional<absl::Time> t, absl::Time now) {
  if (!t) return "<unknown>";
  return HumanDuration(now - *t);
}

std::string Age(const Value& obj, absl::Time now) {
  return Since(Timestamp(obj, {"metadata", "creationTimestamp"}), now);
}

std::string Name(const Value& obj) { return Str(obj, {"metadata", "name"}); }

// ---- Rows -----------------------------------------------------------------------------------

struct Row {
  std::vector<Value> cells;
  Value conditions;  // null or an array of TableRowCondition
};

// layoutContainerCells.
std::pair<std::string, std::string> ContainerCells(const std::vector<Value>& containers) {
  std::vector<std::string> names;
  std::vector<std::string> images;
  for (const Value& c : containers) {
    names.push_back(Str(c, {"name"}));
    images.push_back(Str(c, {"image"}));
  }
  return {StrJoin(names, ","), StrJoin(images, ",")};
}

std::optional<Value> ConditionWithType(const Value& obj, std::string_view path_root,
                                       std::string_view type) {
  for (const Value& c : Items(obj, {"status", path_root})) {
    if (Str(c, {"type"}) == type) return c;
  }
  return std::nullopt;
}

// ---- Pod ------------------------------------------------------------------------------------

std::vector<Column> PodColumns() {
  return {
      NameColumn(),
      {"Ready", "string", "", "The aggregate readiness state of this pod for accepting traffic.",
       0},
      {"Status", "string", "", "The aggregate status of the containers in this pod.", 0},
      {"Restarts", "string", "",
       "The number of times the containers in this pod have been restarted and when the last "
       "container in this pod has restarted.",
       0},
      AgeColumn(),
      {"IP", "string", "",
       "podIP address allocated to the pod. Routable at least within the cluster. Empty if not "
       "yet allocated.",
       1},
      {"Node", "string", "",
       "NodeName indicates in which node this pod is scheduled. If empty, this pod is a "
       "candidate for scheduling by the scheduler defined in schedulerName. Once this field is "
       "set, the kubelet for this node becomes responsible for the lifecycle of this pod. This "
       "field should not be used to express a desire for the pod to be scheduled on a specific "
       "node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename",
       1},
      {"Nominated Node", "string", "",
       "nominatedNodeName is set only when this pod preempts other pods on the node, but it "
       "cannot be scheduled right away as preemption victims receive their graceful termination "
       "periods. This field does not guarantee that the pod will be scheduled on this node. "
       "Scheduler may decide to place the pod elsewhere if other nodes become available sooner. "
       "Scheduler may also decide to give the resources on this node to a higher priority pod "
       "that is created after preemption. As a result, this field may be different than "
       "PodSpec.nodeName when the pod is scheduled.",
       1},
      {"Readiness Gates", "string", "",
       "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready "
       "when all its containers are ready AND all conditions specified in the readiness gates "
       "have status equal to \"True\" More info: "
       "https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates",
       1},
  };
}

Value RowCondition(std::string_view reason, std::string_view message) {
  return Value::Array({Value::Object({
      {"type", Value::String("Completed")},
      {"status", Value::String("True")},
      {"reason", Value::String(std::string(reason))},
      {"message", Value::String(std::string(message))},
  })});
}

bool ConditionTrue(const Value& pod, std::string_view type) {
  for (const Value& c : Items(pod, {"status", "conditions"})) {
    if (Str(c, {"type"}) == type) return Str(c, {"status"}) == "True";
  }
  return false;
}

bool HasPodReadyCondition(const Value& pod) {
  for (const Value& c : Items(pod, {"status", "conditions"})) {
    if (Str(c, {"type"}) == "Ready" && Str(c, {"status"}) == "True") return true;
  }
  return false;
}

// Keeps the later of `*latest` and the container's last termination time.
void NoteTermination(const Value& status, std::optional<absl::Time>* latest) {
  if (Get(status, {"lastState", "terminated"}) == nullptr) return;
  std::optional<absl::Time> finished = Timestamp(status, {"lastState", "terminated", "finishedAt"});
  if (finished && (!*latest || **latest < *finished)) *latest = finished;
}

std::string TerminatedReason(const Value& terminated, std::string_view prefix) {
  std::string reason = Str(terminated, {"reason"});
  if (!reason.empty()) return StrCat(prefix, reason);
  int64_t signal = Int(terminated, {"signal"});
  if (signal != 0) return StrCat(prefix, "Signal:", signal);
  return StrCat(prefix, "ExitCode:", Int(terminated, {"exitCode"}));
}

Row PrintPod(const Value& pod, absl::Time now) {
  Row row;
  int64_t restarts = 0;
  int64_t restartable_init_restarts = 0;
  int64_t total = static_cast<int64_t>(Items(pod, {"spec", "containers"}).size());
  int64_t ready = 0;
  std::optional<absl::Time> last_restart;
  std::optional<absl::Time> last_restartable_init_restart;

  const std::string phase = Str(pod, {"status", "phase"});
  std::string reason = phase;
  if (!Str(pod, {"status", "reason"}).empty()) reason = Str(pod, {"status", "reason"});
  for (const Value& c : Items(pod, {"status", "conditions"})) {
    if (Str(c, {"type"}) == "PodScheduled" && Str(c, {"reason"}) == "SchedulingGated") {
      reason = "SchedulingGated";
    }
  }
  if (phase == "Succeeded") {
    row.conditions = RowCondition("Succeeded", "The pod has completed successfully.");
  } else if (phase == "Failed") {
    row.conditions = RowCondition("Failed", "The pod failed.");
  }

  const std::vector<Value>& init_specs = Items(pod, {"spec", "initContainers"});
  std::set<std::string> restartable;
  for (const Value& c : init_specs) {
    if (Str(c, {"restartPolicy"}) == "Always") {
      restartable.insert(Str(c, {"name"}));
      ++total;
    }
  }

  bool initializing = false;
  const std::vector<Value>& init_statuses = Items(pod, {"status", "initContainerStatuses"});
  for (size_t i = 0; i < init_statuses.size(); ++i) {
    const Value& status = init_statuses[i];
    restarts += Int(status, {"restartCount"});
    NoteTermination(status, &last_restart);
    const bool is_restartable = restartable.count(Str(status, {"name"})) > 0;
    if (is_restartable) {
      restartable_init_restarts += Int(status, {"restartCount"});
      NoteTermination(status, &last_restartable_init_restart);
    }
    const Value* terminated = Get(status, {"state", "terminated"});
    const Value* waiting = Get(status, {"state", "waiting"});
    if (terminated != nullptr && Int(*terminated, {"exitCode"}) == 0) continue;
    if (is_restartable && Bool(status, {"started"})) {
      if (Bool(status, {"ready"})) ++ready;
      continue;
    }
    if (terminated != nullptr) {
      reason = TerminatedReason(*terminated, "Init:");
    } else if (waiting != nullptr && !Str(*waiting, {"reason"}).empty() &&
               Str(*waiting, {"reason"}) != "PodInitializing") {
      reason = StrCat("Init:", Str(*waiting, {"reason"}));
    } else {
      reason = StrCat("Init:", i, "/", init_specs.size());
    }
    initializing = true;
    break;
  }

  if (!initializing || ConditionTrue(pod, "Initialized")) {
    restarts = restartable_init_restarts;
    last_restart = last_restartable_init_restart;
    bool has_running = false;
    const std::vector<Value>& statuses = Items(pod, {"status", "containerStatuses"});
    for (size_t n = statuses.size(); n > 0; --n) {
      const Value& status = statuses[n - 1];
      restarts += Int(status, {"restartCount"});
      NoteTermination(status, &last_restart);
      const Value* waiting = Get(status, {"state", "waiting"});
      const Value* terminated = Get(status, {"state", "terminated"});
      if (waiting != nullptr && !Str(*waiting, {"reason"}).empty()) {
        reason = Str(*waiting, {"reason"});
      } else if (terminated != nullptr) {
        reason = TerminatedReason(*terminated, "");
      } else if (Bool(status, {"ready"}) && Get(status, {"state", "running"}) != nullptr) {
        has_running = true;
        ++ready;
      }
    }
    if (reason == "Completed" && has_running) {
      reason = HasPodReadyCondition(pod) ? "Running" : "NotReady";
    }
  }

  const bool deleting = Get(pod, {"metadata", "deletionTimestamp"}) != nullptr &&
                        !Get(pod, {"metadata", "deletionTimestamp"})->is_null();
  if (deleting && Str(pod, {"status", "reason"}) == "NodeLost") {
    reason = "Unknown";
  } else if (deleting && phase != "Failed" && phase != "Succeeded") {
    reason = "Terminating";
  }

  std::string restarts_text = StrCat(restarts);
  if (restarts != 0 && last_restart) {
    restarts_text = StrCat(restarts, " (", Since(last_restart, now), " ago)");
  }

  std::string ip;
  const std::vector<Value>& ips = Items(pod, {"status", "podIPs"});
  if (!ips.empty()) ip = Str(ips[0], {"ip"});
  if (ip.empty()) ip = "<none>";
  std::string node = Str(pod, {"spec", "nodeName"});
  if (node.empty()) node = "<none>";
  std::string nominated = Str(pod, {"status", "nominatedNodeName"});
  if (nominated.empty()) nominated = "<none>";
  std::string gates = "<none>";
  const std::vector<Value>& readiness_gates = Items(pod, {"spec", "readinessGates"});
  if (!readiness_gates.empty()) {
    int true_conditions = 0;
    for (const Value& gate : readiness_gates) {
      const std::string type = Str(gate, {"conditionType"});
      for (const Value& c : Items(pod, {"status", "conditions"})) {
        if (Str(c, {"type"}) == type) {
          if (Str(c, {"status"}) == "True") ++true_conditions;
          break;
        }
      }
    }
    gates = StrCat(true_conditions, "/", readiness_gates.size());
  }

  row.cells = {Value::String(Name(pod)),     Value::String(StrCat(ready, "/", total)),
               Value::String(reason),        Value::String(restarts_text),
               Value::String(Age(pod, now)), Value::String(ip),
               Value::String(node),          Value::String(nominated),
               Value::String(gates)};
  return row;
}

// ---- Node -----------------------------------------------------------------------------------

std::vector<Column> NodeColumns() {
  constexpr std::string_view kAddresses =
      "List of addresses reachable to the node. Queried from cloud provider, if available. More "
      "info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is "
      "declared as mergeable, but the merge key is not sufficiently unique, which can cause data "
      "corruption when it is merged. Callers should instead use a full-replacement patch. See "
      "https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change "
      "during the lifetime of a Node. However, there are some exceptions where this may not be "
      "possible, such as Pods that inherit a Node's address in its own status or consumers of "
      "the downward API (status.hostIP).";
  return {
      NameColumn(),
      {"Status", "string", "", "The status of the node", 0},
      {"Roles", "string", "", "The roles of the node", 0},
      AgeColumn(),
      {"Version", "string", "", "Kubelet Version reported by the node.", 0},
      {"Internal-IP", "string", "", kAddresses, 1},
      {"External-IP", "string", "", kAddresses, 1},
      {"OS-Image", "string", "",
       "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1},
      {"Kernel-Version", "string", "",
       "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1},
      {"Container-Runtime", "string", "",
       "ContainerRuntime Version reported by the node through runtime remote API (e.g. "
       "containerd://1.4.2).",
       1},
  };
}

std::string NodeAddress(const Value& node, std::string_view type) {
  for (const Value& a : Items(node, {"status", "addresses"})) {
    if (Str(a, {"type"}) == type) return Str(a, {"address"});
  }
  return "<none>";
}

Row PrintNode(const Value& node, absl::Time now) {
  std::vector<std::string> status;
  if (std::optional<Value> ready = ConditionWithType(node, "conditions", "Ready")) {
    status.push_back(Str(*ready, {"status"}) == "True" ? "Ready" : "NotReady");
  }
  if (status.empty()) status.push_back("Unknown");
  if (Bool(node, {"spec", "unschedulable"})) status.push_back("SchedulingDisabled");

  std::set<std::string> roles;
  const Value* labels = Get(node, {"metadata", "labels"});
  if (labels != nullptr && labels->is_object()) {
    constexpr std::string_view kRolePrefix = "node-role.kubernetes.io/";
    for (const auto& [key, value] : labels->members()) {
      std::string_view k = key;
      if (k.starts_with(kRolePrefix)) {
        if (k.size() > kRolePrefix.size()) roles.insert(std::string(k.substr(kRolePrefix.size())));
      } else if (k == "kubernetes.io/role" && value.is_string() && !value.text().empty()) {
        roles.insert(value.text());
      }
    }
  }
  std::string roles_text = StrJoin(std::vector<std::string>(roles.begin(), roles.end()), ",");
  if (roles_text.empty()) roles_text = "<none>";

  auto or_unknown = [](std::string s) { return s.empty() ? std::string("<unknown>") : s; };
  Row row;
  row.cells = {
      Value::String(Name(node)),
      Value::String(StrJoin(status, ",")),
      Value::String(roles_text),
      Value::String(Age(node, now)),
      Value::String(Str(node, {"status", "nodeInfo", "kubeletVersion"})),
      Value::String(NodeAddress(node, "InternalIP")),
      Value::String(NodeAddress(node, "ExternalIP")),
      Value::String(or_unknown(Str(node, {"status", "nodeInfo", "osImage"}))),
      Value::String(or_unknown(Str(node, {"status", "nodeInfo", "kernelVersion"}))),
      Value::String(or_unknown(Str(node, {"status", "nodeInfo", "containerRuntimeVersion"}))),
  };
  return row;
}

// ---- Namespace, Lease, resource.k8s.io -------------------------------------------------------

std::vector<Column> NamespaceColumns() {
  return {NameColumn(), {"Status", "string", "", "The status of the namespace", 0}, AgeColumn()};
}

Row PrintNamespace(const Value& ns, absl::Time now) {
  return {{Value::String(Name(ns)), Value::String(Str(ns, {"status", "phase"})),
           Value::String(Age(ns, now))},
          Value()};
}

std::vector<Column> LeaseColumns() {
  return {NameColumn(),
          {"Holder", "string", "",
           "holderIdentity contains the identity of the holder of a current lease. If "
           "Coordinated Leader Election is used, the holder identity must be equal to the "
           "elected LeaseCandidate.metadata.name field.",
           0},
          AgeColumn()};
}

Row PrintLease(const Value& lease, absl::Time now) {
  return {{Value::String(Name(lease)), Value::String(Str(lease, {"spec", "holderIdentity"})),
           Value::String(Age(lease, now))},
          Value()};
}

std::vector<Column> NameAgeColumns() { return {NameColumn(), AgeColumn()}; }

Row PrintNameAge(const Value& obj, absl::Time now) {
  return {{Value::String(Name(obj)), Value::String(Age(obj, now))}, Value()};
}

std::vector<Column> ResourceClaimColumns() {
  return {NameColumn(),
          {"State", "string", "",
           "A summary of the current state (allocated, pending, reserved, etc.).", 0},
          AgeColumn()};
}

Row PrintResourceClaim(const Value& claim, absl::Time now) {
  std::vector<std::string> states;
  const Value* deletion = Get(claim, {"metadata", "deletionTimestamp"});
  const bool deleted = deletion != nullptr && !deletion->is_null();
  const Value* allocation = Get(claim, {"status", "allocation"});
  if (deleted) states.push_back("deleted");
  if (allocation == nullptr || allocation->is_null()) {
    if (!deleted) states.push_back("pending");
  } else {
    states.push_back("allocated");
    if (!Items(claim, {"status", "reservedFor"}).empty()) states.push_back("reserved");
  }
  return {{Value::String(Name(claim)), Value::String(StrJoin(states, ",")),
           Value::String(Age(claim, now))},
          Value()};
}

std::vector<Column> ResourceSliceColumns() {
  return {
      NameColumn(),
      {"Node", "string", "",
       "NodeName identifies the node which provides the resources in this pool. A field "
       "selector can be used to list only ResourceSlice objects belonging to a certain "
       "node.\n\nThis field can be used to limit access from nodes to ResourceSlices with the "
       "same node name. It also indicates to autoscalers that adding new nodes of the same type "
       "as some old node might also make new resources available.\n\nExactly one of NodeName, "
       "NodeSelector, AllNodes, and PerDeviceNodeSelection must be set. This field is "
       "immutable.",
       0},
      {"Driver", "string", "",
       "Driver identifies the DRA driver providing the capacity information. A field selector "
       "can be used to list only ResourceSlice objects with a certain driver name.\n\nMust be a "
       "DNS subdomain and should end with a DNS domain owned by the vendor of the driver. It "
       "should use only lower case characters. This field is immutable.",
       0},
      {"Pool", "string", "",
       "Name is used to identify the pool. For node-local devices, this is often the node name, "
       "but this is not required. A field selector can be used to list only ResourceSlice "
       "objects belonging to a certain pool.\n\nIt must not be longer than 253 characters and "
       "must consist of one or more DNS sub-domains separated by slashes. This field is "
       "immutable.",
       0},
      AgeColumn(),
  };
}

Row PrintResourceSlice(const Value& slice, absl::Time now) {
  return {{Value::String(Name(slice)), Value::String(Str(slice, {"spec", "nodeName"})),
           Value::String(Str(slice, {"spec", "driver"})),
           Value::String(Str(slice, {"spec", "pool", "name"})), Value::String(Age(slice, now))},
          Value()};
}

// ---- Event ----------------------------------------------------------------------------------

std::vector<Column> EventColumns() {
  return {
      {"Last Seen", "string", "",
       "The time at which the most recent occurrence of this event was recorded.", 0},
      {"Type", "string", "",
       "Type of this event (Normal, Warning), new types could be added in the future", 0},
      {"Reason", "string", "",
       "This should be a short, machine understandable string that gives the reason for the "
       "transition into the object's current status.",
       0},
      {"Object", "string", "", "The object that this event is about.", 0},
      {"Subobject", "string", "",
       "If referring to a piece of an object instead of an entire object, this string should "
       "contain a valid JSON/Go field access statement, such as "
       "desiredState.manifest.containers[2]. For example, if the object reference is to a "
       "container within a pod, this would take on a value like: \"spec.containers{name}\" "
       "(where \"name\" refers to the name of the container that triggered the event) or if no "
       "container name is specified \"spec.containers[2]\" (container with index 2 in this "
       "pod). This syntax is chosen only to have some well-defined way of referencing a part of "
       "an object.",
       1},
      {"Source", "string", "",
       "The component reporting this event. Should be a short machine understandable string.", 1},
      {"Message", "string", "", "A human-readable description of the status of this operation.", 0},
      {"First Seen", "string", "",
       "The time at which the event was first recorded. (Time of server receipt is in "
       "TypeMeta.)",
       1},
      {"Count", "string", "", "The number of times this event has occurred.", 1},
      {"Name", "string", "name", kNameDoc, 1},
  };
}

std::string TrimSpace(std::string_view s) {
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

Row PrintEvent(const Value& event, absl::Time now) {
  std::optional<absl::Time> first_time = Timestamp(event, {"firstTimestamp"});
  std::string first =
      first_time ? Since(first_time, now) : Since(Timestamp(event, {"eventTime"}), now);
  std::optional<absl::Time> last_time = Timestamp(event, {"lastTimestamp"});
  std::string last = last_time ? Since(last_time, now) : first;
  int64_t count = Int(event, {"count"});
  const Value* series = Get(event, {"series"});
  if (series != nullptr && series->is_object()) {
    last = Since(Timestamp(*series, {"lastObservedTime"}), now);
    count = Int(*series, {"count"});
  } else if (count == 0) {
    count = 1;
  }
  const std::string kind = Lower(Str(event, {"involvedObject", "kind"}));
  const std::string name = Str(event, {"involvedObject", "name"});
  const std::string target = name.empty() ? kind : StrCat(kind, "/", name);
  std::string component = Str(event, {"source", "component"});
  if (component.empty()) component = Str(event, {"reportingComponent"});
  std::string host = Str(event, {"source", "host"});
  if (host.empty()) host = Str(event, {"reportingInstance"});
  const std::string source = host.empty() ? component : StrCat(component, ", ", host);
  Row row;
  row.cells = {Value::String(last),
               Value::String(Str(event, {"type"})),
               Value::String(Str(event, {"reason"})),
               Value::String(target),
               Value::String(Str(event, {"involvedObject", "fieldPath"})),
               Value::String(source),
               Value::String(TrimSpace(Str(event, {"message"}))),
               Value::String(first),
               Value::Int(count),
               Value::String(Name(event))};
  return row;
}

// ---- Deployment, ReplicaSet -----------------------------------------------------------------

std::vector<Column> DeploymentColumns() {
  return {
      NameColumn(),
      {"Ready", "string", "", "Number of the pod with ready state", 0},
      {"Up-to-date", "string", "",
       "Total number of non-terminating pods targeted by this deployment that have the desired "
       "template spec.",
       0},
      {"Available", "string", "",
       "Total number of available non-terminating pods (ready for at least minReadySeconds) "
       "targeted by this deployment.",
       0},
      AgeColumn(),
      {"Containers", "string", "", kContainersDoc, 1},
      {"Images", "string", "", kImagesDoc, 1},
      {"Selector", "string", "",
       "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be "
       "the ones affected by this deployment.",
       1},
  };
}

Row PrintDeployment(const Value& d, absl::Time now) {
  const int64_t desired = Int(d, {"spec", "replicas"}, 1);
  auto [names, images] = ContainerCells(Items(d, {"spec", "template", "spec", "containers"}));
  const Value* selector = Get(d, {"spec", "selector"});
  absl::StatusOr<LabelSelector> parsed =
      LabelSelector::FromLabelSelector(selector != nullptr ? *selector : Value());
  Row row;
  row.cells = {Value::String(Name(d)),
               Value::String(StrCat(Int(d, {"status", "readyReplicas"}), "/", desired)),
               Value::Int(Int(d, {"status", "updatedReplicas"})),
               Value::Int(Int(d, {"status", "availableReplicas"})),
               Value::String(Age(d, now)),
               Value::String(names),
               Value::String(images),
               Value::String(parsed.ok() ? parsed->String() : "<invalid>")};
  return row;
}

std::vector<Column> ReplicaSetColumns() {
  return {
      NameColumn(),
      {"Desired", "integer", "",
       "Replicas is the number of desired pods. This is a pointer to distinguish between "
       "explicit zero and unspecified. Defaults to 1. More info: "
       "https://kubernetes.io/docs/concepts/workloads/controllers/replicaset",
       0},
      {"Current", "integer", "",
       "Replicas is the most recently observed number of non-terminating pods. More info: "
       "https://kubernetes.io/docs/concepts/workloads/controllers/replicaset",
       0},
      {"Ready", "integer", "",
       "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.", 0},
      AgeColumn(),
      {"Containers", "string", "", kContainersDoc, 1},
      {"Images", "string", "", kImagesDoc, 1},
      {"Selector", "string", "",
       "Selector is a label query over pods that should match the replica count. If the "
       "selector is empty, it is defaulted to the labels present on the pod template. Label "
       "keys and values that must match in order to be controlled by this replica set. More "
       "info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/"
       "#label-selectors",
       1},
  };
}

Row PrintReplicaSet(const Value& rs, absl::Time now) {
  auto [names, images] = ContainerCells(Items(rs, {"spec", "template", "spec", "containers"}));
  const Value* selector = Get(rs, {"spec", "selector"});
  absl::StatusOr<LabelSelector> parsed =
      LabelSelector::FromLabelSelector(selector != nullptr ? *selector : Value());
  std::string selector_text = parsed.ok() ? parsed->String() : "<error>";
  if (selector_text.empty()) selector_text = "<none>";
  Row row;
  row.cells = {Value::String(Name(rs)),
               Value::Int(Int(rs, {"spec", "replicas"}, 1)),
               Value::Int(Int(rs, {"status", "replicas"})),
               Value::Int(Int(rs, {"status", "readyReplicas"})),
               Value::String(Age(rs, now)),
               Value::String(names),
               Value::String(images),
               Value::String(selector_text)};
  return row;
}

// ---- Default convertor ----------------------------------------------------------------------

std::vector<Column> DefaultColumns() {
  return {NameColumn(), {"Created At", "date", "", kCreationTimestampDoc, 0}};
}

Row PrintDefault(const Value& obj, absl::Time) {
  // Go's zero time for an absent timestamp.
  std::string text = "0001-01-01T00:00:00Z";
  if (std::optional<absl::Time> created = Timestamp(obj, {"metadata", "creationTimestamp"})) {
    text = absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", *created, absl::UTCTimeZone());
  }
  return {{Value::String(Name(obj)), Value::String(std::move(text))}, Value()};
}

// ---- Dispatch -------------------------------------------------------------------------------

using Printer = Row (*)(const Value&, absl::Time);

struct KindPrinter {
  std::vector<Column> columns;
  Printer print;
};

KindPrinter PrinterFor(std::string_view api_version, std::string_view kind) {
  size_t slash = api_version.find('/');
  const std::string_view group =
      slash == std::string_view::npos ? std::string_view() : api_version.substr(0, slash);
  if (group.empty()) {
    if (kind == "Pod") return {PodColumns(), PrintPod};
    if (kind == "Node") return {NodeColumns(), PrintNode};
    if (kind == "Namespace") return {NamespaceColumns(), PrintNamespace};
    if (kind == "Event") return {EventColumns(), PrintEvent};
  } else if (group == "apps") {
    if (kind == "Deployment") return {DeploymentColumns(), PrintDeployment};
    if (kind == "ReplicaSet") return {ReplicaSetColumns(), PrintReplicaSet};
  } else if (group == "coordination.k8s.io") {
    if (kind == "Lease") return {LeaseColumns(), PrintLease};
  } else if (group == "resource.k8s.io") {
    if (kind == "DeviceClass" || kind == "ResourceClaimTemplate") {
      return {NameAgeColumns(), PrintNameAge};
    }
    if (kind == "ResourceClaim") return {ResourceClaimColumns(), PrintResourceClaim};
    if (kind == "ResourceSlice") return {ResourceSliceColumns(), PrintResourceSlice};
  }
  return {DefaultColumns(), PrintDefault};
}

Value ColumnValue(const Column& c) {
  return Value::Object({
      {"name", Value::String(std::string(c.name))},
      {"type", Value::String(std::string(c.type))},
      {"format", Value::String(std::string(c.format))},
      {"description", Value::String(std::string(c.description))},
      {"priority", Value::Int(c.priority)},
  });
}

}  // namespace

absl::StatusOr<IncludeObject> ParseIncludeObject(std::string_view text) {
  if (text.empty() || text == "Metadata") return IncludeObject::kMetadata;
  if (text == "None") return IncludeObject::kNone;
  if (text == "Object") return IncludeObject::kObject;
  std::string message = StrCat("unable to parse includeObject: ", GoQuote(text),
                               " (supported values: None, Metadata, Object)");
  return absl::InvalidArgumentError(absl::string_view(message.data(), message.size()));
}

Value BuildTable(std::string_view api_version, std::string_view kind,
                 const std::vector<Value>& objects, absl::Time now, IncludeObject include,
                 const Value& list_metadata) {
  KindPrinter printer = PrinterFor(api_version, kind);
  Value metadata = Value::Object();
  for (std::string_view key : {"resourceVersion", "continue", "remainingItemCount"}) {
    const Value* v = list_metadata.is_object() ? list_metadata.Find(key) : nullptr;
    if (v == nullptr || v->is_null() || (v->is_string() && v->text().empty())) continue;
    metadata.Set(std::string(key), *v);
  }
  Value columns = Value::Array();
  for (const Column& c : printer.columns) columns.Append(ColumnValue(c));
  Value rows = Value::Array();
  for (const Value& obj : objects) {
    Row row = printer.print(obj, now);
    Value out = Value::Object({{"cells", Value::Array(std::move(row.cells))}});
    if (!row.conditions.is_null()) out.Set("conditions", std::move(row.conditions));
    if (include == IncludeObject::kMetadata) {
      const Value* meta = obj.Find("metadata");
      out.Set("object", Value::Object({
                            {"kind", Value::String("PartialObjectMetadata")},
                            {"apiVersion", Value::String("meta.k8s.io/v1")},
                            {"metadata", meta != nullptr ? *meta : Value::Object()},
                        }));
    } else if (include == IncludeObject::kObject) {
      out.Set("object", obj);
    }
    rows.Append(std::move(out));
  }
  return Value::Object({
      {"kind", Value::String("Table")},
      {"apiVersion", Value::String("meta.k8s.io/v1")},
      {"metadata", std::move(metadata)},
      {"columnDefinitions", std::move(columns)},
      {"rows", std::move(rows)},
  });
}

std::optional<absl::Time> ParseRfc3339(std::string_view text) {
  absl::Time t;
  std::string err;
  std::string copy(text);
  if (!absl::ParseTime(absl::RFC3339_full, absl::string_view(copy.data(), copy.size()), &t, &err)) {
    return std::nullopt;
  }
  return t;
}

std::string ShortHumanDuration(absl::Duration d) {
  const int64_t seconds = absl::ToInt64Seconds(d);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60) return StrCat(seconds, "s");
  const int64_t minutes = absl::ToInt64Minutes(d);
  if (minutes < 60) return StrCat(minutes, "m");
  const int64_t hours = absl::ToInt64Hours(d);
  if (hours < 24) return StrCat(hours, "h");
  if (hours < 24 * 365) return StrCat(hours / 24, "d");
  return StrCat(hours / 24 / 365, "y");
}

std::string HumanDuration(absl::Duration d) {
  const int64_t seconds = absl::ToInt64Seconds(d);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return StrCat(seconds, "s");
  const int64_t minutes = absl::ToInt64Minutes(d);
  if (minutes < 10) {
    const int64_t s = seconds % 60;
    if (s == 0) return StrCat(minutes, "m");
    return StrCat(minutes, "m", s, "s");
  }
  if (minutes < 60 * 3) return StrCat(minutes, "m");
  const int64_t hours = absl::ToInt64Hours(d);
  if (hours < 8) {
    const int64_t m = minutes % 60;
    if (m == 0) return StrCat(hours, "h");
    return StrCat(hours, "h", m, "m");
  }
  if (hours < 48) return StrCat(hours, "h");
  if (hours < 24 * 8) {
    const int64_t h = hours % 24;
    if (h == 0) return StrCat(hours / 24, "d");
    return StrCat(hours / 24, "d", h, "h");
  }
  if (hours < 24 * 365 * 2) return StrCat(hours / 24, "d");
  if (hours < 24 * 365 * 8) {
    const int64_t dy = (hours / 24) % 365;
    if (dy == 0) return StrCat(hours / 24 / 365, "y");
    return StrCat(hours / 24 / 365, "y", dy, "d");
  }
  return StrCat(hours / 24 / 365, "y");
}

}  // namespace dra::apiserver
