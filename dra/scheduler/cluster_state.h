// The scheduler's in-memory view of the cluster and its scheduling decision for one pod.
//
// ClusterState is fed incrementally with the objects the scheduler watches (nodes, slices, device
// classes, claims) and keeps, next to them, one allocator::Allocator for the current slices and
// classes (rebuilt lazily when they change) and the allocated state of every claim as an
// allocator::AllocatedDevices updated in place, so that scheduling a pod costs allocator calls,
// not a rebuild. Allocations the scheduler has decided but not yet seen written back are
// "assumed": they count as allocated until the claim is observed with them, or forgotten.
//
// Extended resources (KEP-5004): a container limit such as `nvidia.com/gpu: 1` on a resource that
// a DeviceClass names in spec.extendedResourceName (or
// `deviceclass.resource.kubernetes.io/<class>`) becomes a request of a special claim, allocated
// with the pod's other claims, so device-plugin style pods and DRA pods share one inventory. Nodes
// are not checked for device-plugin capacity: dra's nodes have none.
//
// Schedule(pod) mirrors kube-scheduler with the DRA plugin for what dra supports: node name,
// nodeSelector and required node affinity, taints and tolerations (NoSchedule, NoExecute),
// unschedulable nodes; claims resolved through pod.status.resourceClaimStatuses for templates;
// allocated claims restrict the nodes to their allocation's nodeSelector; a claim reserved by
// 256 other consumers is unusable; unallocated claims are allocated together on each candidate
// node. Among the nodes that fit, the one whose allocation leaves the fewest free devices on it is
// chosen (bin packing keeps whole nodes free for large claims), ties by node name.
//
// Thread-compatible: one scheduling thread updates and queries it.
#ifndef DRA_SCHEDULER_CLUSTER_STATE_H_
#define DRA_SCHEDULER_CLUSTER_STATE_H_

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "dra/allocator/allocator.h"
#include "dra/api/core_types.h"
#include "dra/api/resource_types.h"

namespace dra::scheduler {

// The most consumers a claim may have in status.reservedFor (upstream's
// ResourceClaimReservedForMaxSize).
inline constexpr size_t kReservedForMaxSize = 256;

struct Decision {
  enum class Kind {
    kScheduled,      // bind to `node` after writing `claims`
    kUnschedulable,  // no node fits now; `message` says why (PodScheduled=False)
    kWaiting,        // a claim is not there yet (retry when it appears)
  };
  Kind kind = Kind::kUnschedulable;
  // kWaiting: "ns/name" of the claim that is not there yet; empty when the pod status does not
  // name the claim of a template yet (the pod's own update brings it back).
  std::string waiting_for;
  std::string node;
  // Claims to write before binding: newly allocated ones with status.allocation set, and every
  // claim of the pod with the pod added to status.reservedFor.
  std::vector<api::ResourceClaim> claims;
  std::string message;
  // Extended resources backed by DRA (DRAExtendedResource): the special claim to create
  // (generateName `<pod>-extended-resources-`, owned by the pod, annotated
  // resource.kubernetes.io/extended-resource-claim: "true") with its allocation and reservation,
  // and the pod's status.extendedResourceClaimStatus mappings. Unset when the pod asks for none or
  // its claim exists already (then it is in `claims`).
  std::optional<api::ResourceClaim> extended_claim;
  std::vector<api::ContainerExtendedResourceRequest> extended_mappings;
};

class ClusterState {
 public:
  explicit ClusterState(allocator::Features features = {});

  void UpsertNode(const api::Node& node);
  void DeleteNode(std::string_view name);
  void UpsertSlice(const api::ResourceSlice& slice);
  void DeleteSlice(std::string_view name);
  // DeviceTaintRules add their taint to the devices they select, as if the slice had it.
  void UpsertTaintRule(const api::DeviceTaintRule& rule);
  void DeleteTaintRule(std::string_view name);
  void UpsertClass(const api::DeviceClass& device_class);
  void DeleteClass(std::string_view name);
  void UpsertClaim(const api::ResourceClaim& claim);
  void DeleteClaim(std::string_view ns, std::string_view name);

  // Records `claim` (with its new allocation and reservation) as written by the scheduler
  // before the write is observed: later decisions see its devices taken. An UpsertClaim of the
  // same claim with an allocation (or without one and a newer resourceVersion) replaces it.
  void Assume(const api::ResourceClaim& claim);
  // Drops an assumed claim whose write failed.
  void Forget(std::string_view ns, std::string_view name);

  // The claim as the scheduler sees it (assumed first), or nullptr.
  const api::ResourceClaim* FindClaim(std::string_view ns, std::string_view name) const;

  absl::StatusOr<Decision> Schedule(const api::Pod& pod);

  size_t node_count() const { return nodes_.size(); }

 private:
  struct ClaimEntry {
    api::ResourceClaim observed;
    std::optional<api::ResourceClaim> assumed;
    const api::ResourceClaim& effective() const { return assumed ? *assumed : observed; }
  };

  // An allocation outcome on one node, kept while nothing it depends on changed: the
  // allocator's inputs (global generation), the node and the devices of its slices (node
  // generation), and the claims to allocate (namespaces and specs).
  struct AllocationMemo {
    uint64_t global_generation = 0;
    uint64_t node_generation = 0;
    std::vector<std::pair<std::string, api::ResourceClaimSpec>> claims;
    bool allocated = false;
    std::vector<api::AllocationResult> results;
    // Derived from `results`: devices taken on the node's own slices, and the sum of the
    // positions of the chosen subrequests in their firstAvailable lists.
    int64_t local_devices = 0;
    int64_t subrequest_rank = 0;
  };

  // Fills the memo's derived figures.
  void ScoreResults(AllocationMemo& memo, const std::vector<api::ResourceClaim>& to_allocate) const;
  absl::Status EnsureAllocator();
  void CountAllocation(const api::ResourceClaim& claim, int sign);
  void NodeChanged(const std::string& node) { ++node_generation_[node]; }
  uint64_t NodeGeneration(const std::string& node) const;
  // Free devices on the node's own slices after `extra` more are taken.
  int64_t FreeDevices(const std::string& node, int64_t extra) const;

  allocator::Features features_;
  std::map<std::string, api::Node> nodes_;
  std::map<std::string, api::ResourceSlice> slices_;
  std::map<std::string, api::DeviceTaintRule> taint_rules_;
  std::map<std::string, api::DeviceClass> classes_;
  std::map<std::string, ClaimEntry> claims_;  // "ns/name"
  // Devices on each node's own slices, and how many of them are allocated.
  std::map<std::string, int64_t> node_devices_;
  std::map<std::string, int64_t> node_allocated_;
  // driver/pool/device -> node, for the devices of node-local slices.
  std::map<std::string, std::string> device_node_;

  std::unique_ptr<const allocator::Allocator> allocator_;
  std::optional<allocator::AllocatedDevices> allocated_;
  bool allocator_stale_ = true;
  // Where the next pod's node scan starts (spreads the scans like upstream's
  // nextStartNodeIndex).
  size_t next_start_ = 0;
  // Allocation outcomes by node: pods with the same claims (e.g. from one template) reuse the
  // outcome on every node nothing changed on since (the one the previous pod took did).
  uint64_t global_generation_ = 0;
  std::map<std::string, uint64_t> node_generation_;
  std::map<std::string, AllocationMemo> memo_;
};

}  // namespace dra::scheduler

#endif  // DRA_SCHEDULER_CLUSTER_STATE_H_
