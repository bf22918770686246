// Why a pod or a ResourceClaim is pending, or how it was satisfied, from the live state of a
// cluster (`dra explain`, the `kubectl dra` plugin).
//
// For claims that are not allocated, the verdict is the scheduler's own: the pod is run through
// ClusterState::Schedule over the cluster's nodes, slices, classes and claims ("0/N nodes are
// available: ..." followed by the allocator's explanation for one node), and once per node over
// that node alone, so that every node gets its own reason. A claim without a pod is run through
// the allocator on every node. Where the allocation was tried on a node, every request is then
// broken down device by device in the allocator's order of checks (node selection, class
// selectors, request selectors, in use, taints, shared counters, capacity), naming the selector
// expression, the claim that holds a device, the taint, the counter or the capacity, and every
// matchAttribute/distinctAttribute constraint with the attribute values the candidates carry.
//
// For allocated claims: the devices, the node of the allocation, the consumers in
// status.reservedFor, the devices' taints, their health as the node agent reported it in the
// consumer pods' status.containerStatuses[].allocatedResourcesStatus, and the pods' Events
// (FailedPrepareDynamicResources and the like).
//
// Thread-compatible functions: they read the cluster through a thread-safe RestClient and keep no
// state between calls.
#ifndef DRA_SCHEDULER_EXPLAIN_H_
#define DRA_SCHEDULER_EXPLAIN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "dra/api/core_types.h"
#include "dra/api/resource_types.h"
#include "dra/client/rest_client.h"

namespace dra::scheduler {

// What the explanation reads of the cluster.
struct ClusterObjects {
  std::vector<api::Node> nodes;
  std::vector<api::ResourceSlice> slices;
  std::vector<api::DeviceClass> classes;
  std::vector<api::ResourceClaim> claims;  // every namespace
};

// Devices of one node that one check of a request rejected.
struct DeviceGroup {
  // What rejected them, in the allocator's order of checks: `not for this node`, `rejected by
  // class "gpu.nvidia.com" selector #0`, `failed to evaluate request selector #0` (CEL runtime
  // error), `rejected by request selector #1`, `in use by claim "ns/name"`, `tainted`, `out of
  // shared counters`, `out of capacity`.
  std::string check;
  // The selector expression, the CEL error, the taint ("key=value:effect"), the counter
  // ("set/counter: needs N, M left") or the capacity; empty when there is nothing to add.
  std::string detail;
  std::vector<std::string> devices;  // "driver/pool/device"
};

// One request (or subrequest of a firstAvailable request) on one node.
struct RequestOnNode {
  std::string node;
  int64_t devices = 0;                  // devices the node sees
  std::vector<DeviceGroup> rejected;    // in the order of the checks
  std::vector<std::string> candidates;  // devices that pass every check
};

struct RequestExplanation {
  std::string name;     // "gpus", or "gpu/h100" for a subrequest
  std::string summary;  // `exactly 9 of class "gpu.nvidia.com"`, `all of class "x"`
  int64_t needed = 0;   // 0 for allocation mode All
  bool all = false;
  std::vector<RequestOnNode> nodes;
};

// One matchAttribute or distinctAttribute constraint on one node.
struct ConstraintOnNode {
  std::string node;
  bool can_hold = true;
  // "request "gpu": pci0000:00 (gpu-0, gpu-1); pci0000:10 (gpu-2)" per request, and the verdict.
  std::vector<std::string> findings;
};

struct ConstraintExplanation {
  // `matchAttribute "resource.kubernetes.io/pcieRoot" over requests "gpu", "nic"`.
  std::string summary;
  std::vector<ConstraintOnNode> nodes;
};

// The analysis of one claim that is not allocated.
struct PendingClaim {
  std::string claim;  // "ns/name"
  std::vector<RequestExplanation> requests;
  std::vector<ConstraintExplanation> constraints;
  // Advice, e.g. the attributes the devices do have when a selector names one they lack.
  std::vector<std::string> hints;
};

// One node's own verdict.
struct NodeVerdict {
  std::string node;
  bool fits = false;
  // "cannot allocate all claims", "didn't match Pod's node affinity/selector", "had untolerated
  // taint {key: value}", ... (the scheduler's reason for this node); empty when it fits.
  std::string reason;
  // The allocator's explanation for this node, lines joined by "\n" (see allocator.h).
  std::string explanation;
};

struct PendingExplanation {
  // The scheduler's message for the pod ("0/N nodes are available: ..."), or for a claim alone
  // "cannot allocate claim ... on any of the N nodes", or a fatal error (CEL runtime error,
  // unknown class) as the scheduler reports it.
  std::string verdict;
  bool fits = false;  // the claims fit now, on `node`
  std::string node;
  bool fatal = false;  // `verdict` is an error no node can fix
  std::vector<NodeVerdict> nodes;
  size_t nodes_not_examined = 0;  // beyond ExplainOptions::max_nodes
  std::vector<PendingClaim> claims;
};

struct ExplainOptions {
  // Nodes examined one by one (in name order); the overall verdict covers all of them.
  size_t max_nodes = 20;
};

// Analyses `pending` (claims without status.allocation) against `cluster`: for `pod` (may be
// null) through the scheduler's decision, else through the allocator on every node. A Status
// only for a problem with the input that is not the claims' own (e.g. a node selector the
// scheduler rejects).
absl::StatusOr<PendingExplanation> ExplainPending(const ClusterObjects& cluster,
                                                  const api::Pod* pod,
                                                  const std::vector<api::ResourceClaim>& pending,
                                                  const ExplainOptions& options = {});

// One allocated device and what is known about it.
struct AllocatedDevice {
  std::string request;
  std::string device;  // "driver/pool/device"
  std::optional<std::string> share_id;
  bool admin_access = false;
  std::vector<std::string> taints;  // "key=value:effect" of the device in its slice
  // From the consumer pods' allocatedResourcesStatus ("Healthy", "Unhealthy", "Unknown"); empty
  // when no pod reported it.
  std::string health;
  std::string health_message;
  // From the claim's status.devices: "Type=Status (reason: message)".
  std::vector<std::string> conditions;
};

// A claim of a pod (or the claim asked about), allocated or not.
struct ClaimReport {
  std::string ns;
  std::string name;  // empty when the claim does not exist yet
  // How the pod refers to it: `pod claim "gpu"`, `pod claim "gpu", from template "tpl"`,
  // "extended resources"; empty for `explain claim`.
  std::string source;
  bool found = false;
  std::string problem;  // why it is missing or unusable ("resourceclaim "x" not found")
  bool allocated = false;
  std::vector<std::string> nodes;  // from the allocation's node selector; empty: any node
  std::string node_selector;       // the selector as text when it is not a list of names
  std::vector<AllocatedDevice> devices;
  std::vector<std::string> reserved_for;  // "pods/name"
  bool deleting = false;
};

struct EventReport {
  std::string type;  // Normal, Warning
  std::string reason;
  std::string message;
  std::string source;  // reporting component
  int64_t count = 1;
  std::string last_seen;  // RFC 3339
  std::string object;     // "pod/name" the event is about
};

struct Report {
  enum class Kind { kPod, kClaim };
  Kind kind = Kind::kPod;
  std::string ns;
  std::string name;
  // kPod: phase, node, the PodScheduled condition.
  std::string phase;
  std::string node;
  std::string scheduled_status;  // "True", "False", "" when absent
  std::string scheduled_reason;
  std::string scheduled_message;
  std::vector<ClaimReport> claims;  // kClaim: exactly one
  std::vector<EventReport> events;
  // Set when some claim is not allocated.
  std::optional<PendingExplanation> pending;
  // Satisfied: a pod Running or Succeeded, or an allocated claim.
  bool satisfied = false;
  // One line on the state: "Running on node "n"", "Pending: not scheduled", ...
  std::string summary;
};

// Reads the cluster through `client` and explains pod `ns/name` (kPod) or claim `ns/name`
// (kClaim). NotFound (the server's message, e.g. `pods "x" not found`) when it does not exist;
// other errors as the client reports them.
absl::StatusOr<Report> Explain(client::RestClient& client, Report::Kind kind, std::string_view ns,
                               std::string_view name, const ExplainOptions& options = {});

// Reads the nodes, slices, classes and claims of the cluster.
absl::StatusOr<ClusterObjects> ReadCluster(client::RestClient& client);

}  // namespace dra::scheduler

#endif  // DRA_SCHEDULER_EXPLAIN_H_
