// The structured-parameters allocator of Dynamic Resource Allocation (resource.k8s.io/v1), with
// the semantics of Kubernetes v1.36 (k8s.io/dynamic-resource-allocation, structured/internal/
// experimental): given DeviceClasses, ResourceSlices and what is already allocated, find devices
// for every request of every claim on one node.
//
// Usage:
//   Snapshot snapshot{.classes = ..., .slices = ..., .allocated = ..., .features = {}};
//   DRA_ASSIGN_OR_RETURN(auto allocator, Allocator::Create(std::move(snapshot)));
//   DRA_ASSIGN_OR_RETURN(AllocationOutcome outcome, allocator->Allocate(node, claims));
//
// Three outcomes, as upstream distinguishes them:
//   - a non-OK Status: a fatal problem with the input that no other node can fix (unknown class,
//     CEL compile or runtime error, a gated field used with its feature off, more than 32 devices,
//     a constraint that cannot hold in allocation mode All, an incomplete or invalid pool seen by
//     an All request). Messages follow upstream's wording ("claim NAME, request REQ: ...").
//   - kUnsatisfiable: the claims do not fit on this node (this includes incomplete pools).
//   - kFailedOnNode: they do not fit and some pool of this node is invalid ("invalid resource
//     pools were encountered"); allocation on other nodes may still work.
//   - kAllocated: one api::AllocationResult per claim, in claim order.
//
// Search order (v1.36): claims in order, requests in order, devices one slot at a time; pools
// sorted by driver then pool name with pools that have binding-condition devices last, slices of
// a pool sorted by name, devices in slice order; first fit, depth first, full backtracking.
//
// Pruning (beyond upstream): a search that has looked at 2,000 devices without an answer pauses
// once and counts, for every request, the devices it could ever get (selectors, not in use,
// taints tolerated, counters and capacity left); it answers kUnsatisfiable at once when a
// request has fewer than it needs, when requests competing for the same devices (a request and
// those whose candidates are a subset of its own; overlapping candidates) need more than there
// are, or when no value of a matchAttribute is carried by enough candidates. It never decides
// when a selector fails to evaluate or an All request is under a constraint (the search reports
// errors there), so the outcome is always the one the full search gives, only sooner.
//
// Fixes over v1.36.2 that later upstream releases made and that dra applies: counters are kept
// per (driver, pool); counters taken for a device that a taint, a constraint or a capacity check
// then rejects are given back; admin-access requests neither need nor take counters; backtracking
// over a multi-allocatable device gives its counters back.
//
// Thread-safety: an Allocator is immutable after Create. Allocate is a pure function of the
// snapshot and its arguments and may run concurrently from many threads; each call keeps its own
// search state. The only shared mutable part is the CEL compile cache, which is thread-safe.
#ifndef DRA_ALLOCATOR_ALLOCATOR_H_
#define DRA_ALLOCATOR_ALLOCATOR_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "dra/api/core_types.h"
#include "dra/api/resource_types.h"
#include "dra/base/quantity.h"

namespace dra::allocator {

// Feature gates that change allocation, by their Kubernetes names. All on by default.
struct Features {
  bool prioritized_list = true;              // DRAPrioritizedList
  bool admin_access = true;                  // DRAAdminAccess
  bool device_taints = true;                 // DRADeviceTaints
  bool partitionable_devices = true;         // DRAPartitionableDevices
  bool consumable_capacity = true;           // DRAConsumableCapacity
  bool device_binding_conditions = true;     // DRADeviceBindingConditions
  bool resource_claim_device_status = true;  // DRAResourceClaimDeviceStatus
  bool list_type_attributes = true;          // DRAListTypeAttributes

  // Everything off: the state a feature list starts from before names are switched on.
  static Features None();
  // Sets the gate called `name` (e.g. "DRAPrioritizedList"); false for an unknown name.
  bool Set(std::string_view name, bool value);
  // Binding conditions need both gates (upstream's DeviceBindingAndStatus).
  bool device_binding_and_status() const {
    return device_binding_conditions && resource_claim_device_status;
  }
};

// One device identified as in a DeviceRequestAllocationResult.
struct DeviceRef {
  std::string driver;
  std::string pool;
  std::string device;
};

// What already allocated claims hold (the scheduler's AllocatedState).
struct AllocatedState {
  // Devices allocated exclusively (admin-access results are never listed).
  std::vector<DeviceRef> exclusive;
  // One entry per shared allocation of a multi-allocatable device.
  struct Share {
    DeviceRef device;
    std::string share_id;
  };
  std::vector<Share> shares;
  // Capacity consumed on multi-allocatable devices, summed over all their shared allocations.
  struct Consumed {
    DeviceRef device;
    std::map<std::string, Quantity> capacity;
  };
  std::vector<Consumed> consumed;

  // Adds the devices of an existing allocation the way the scheduler counts them: results with
  // adminAccess are skipped, results with a shareID are shares (and add to consumed capacity),
  // all others are exclusive.
  void Add(const api::AllocationResult& allocation);
};

// The node the claims are allocated for: its name (metadata.name) and labels.
struct NodeInfo {
  std::string name;
  std::map<std::string, std::string> labels;

  static NodeInfo FromNode(const api::Node& node);
};

// Everything the allocator reads besides the node and the claims. Never modified.
struct Snapshot {
  std::vector<api::DeviceClass> classes;
  std::vector<api::ResourceSlice> slices;
  AllocatedState allocated;
  Features features;
};

struct AllocationOutcome {
  enum class Kind { kAllocated, kUnsatisfiable, kFailedOnNode };
  Kind kind = Kind::kUnsatisfiable;
  // kAllocated: results[i] is the status.allocation for claims[i] (allocationTimestamp unset).
  std::vector<api::AllocationResult> results;
  // kFailedOnNode: why ("invalid resource pools were encountered").
  std::string message;
  // kUnsatisfiable and kFailedOnNode: why, for people (empty when allocated or when
  // AllocateOptions::explain is off). Computed after the search failed, by a separate pass over
  // the node's devices at the state before this call (devices taken by other claims of the
  // same call are not "in use" there). Lines joined by "\n", in this order; <x> is a placeholder,
  // devices are named "driver/pool/device", at most 3 per list, then ", ...":
  //   node "<node>": pool "<driver>/<pool>" is incomplete (<n> of <m> slices published), its
  //     devices were not considered
  //   node "<node>": pool "<driver>/<pool>" is invalid (<why>), its devices were not considered
  // then per claim, for every request that has too few candidates on its own (each subrequest
  // of a firstAvailable request when none of them has enough):
  //   claim "<ns>/<name>": cannot allocate request "<req>[/<sub>]" (exactly <n> | all of class
  //     "<class>"[, admin access]): <n> devices on node "<node>"[; <parts>]; <k> left, <n> needed
  // where <parts>, each only when not zero, in this order, counts every device once, by the
  // first check it fails: "<n> not for this node (<devices>)" (per-device node selection),
  // "<n> with binding conditions (<devices>)" (gate off), "class "<class>" selector #<i>
  // rejected <n> (<devices>)", "class "<class>" selector #<i> failed on <n> (<devices>)" (CEL
  // error), "request selector #<i> rejected|failed on <n> (<devices>)", "<n> in use
  // (<devices>)", "<n> tainted (<taint keys>: <devices>)", "<n> out of shared counters
  // (<counter sets>: <devices>)", "<n> out of capacity (<devices>)"; an All request with no
  // matching device ends in "0 left, at least 1 needed". Then per claim, per constraint that
  // certainly cannot hold:
  //   claim "<claim>": constraint #<i> matchAttribute|distinctAttribute "<attr>" over
  //     requests "<a>", "<b>" | all requests cannot be met: <why>
  // then groups of requests that compete for too few devices:
  //   claim "<claim>": requests "<a>", "<b>", ... (<n> requests) need <n> devices together, but
  //     only <k> devices can serve them (<devices>)
  //   node "<node>": requests of claims "<c1>", "<c2>", ... (<n> requests) need ... (same)
  // and when none of these applies, every request as "claim "<claim>": request "<req>" (...):
  // ..." (same parts) followed by
  //   node "<node>": every request has enough candidates on its own, but no combination
  //     satisfies all requests and constraints together (devices wanted by several requests,
  //     constraints, shared counters or capacity)
  std::string explanation;

  bool allocated() const { return kind == Kind::kAllocated; }
};

// Per-call options of Allocator::Allocate.
class Allocator;
class AllocatedDevices;

struct AllocateOptions {
  // Fill AllocationOutcome::explanation when the claims do not fit. It costs one diagnostic pass
  // over the node's devices per request, on the failure path only; callers that try many nodes
  // and only want the one that fits (a scheduler's filter) may turn it off.
  bool explain = true;
  // When set, replaces the snapshot's allocated state for this call. It must come from the same
  // Allocator's NewAllocatedDevices() (InvalidArgument otherwise).
  const AllocatedDevices* allocated = nullptr;
};

namespace allocator_internal {
// The allocated state as the search reads it, per interned device key.
struct AllocatedIndex {
  std::vector<int> exclusive;        // exclusive allocations
  std::vector<int> any;              // exclusive allocations, shares and consumed capacity
  std::vector<int> consuming_share;  // shares that consume capacity
  absl::flat_hash_map<int, std::map<std::string, Quantity>> aggregated;  // consumed capacity
};
}  // namespace allocator_internal

// The allocated state of one Allocator, kept up to date in place as claims are allocated and
// deallocated, so that a scheduler allocating claim after claim does not rebuild the Allocator
// (which only its slices and classes need). Pass it in AllocateOptions::allocated. Counting is
// AllocatedState::Add's: adminAccess results are skipped, results with a shareID are shares
// (their consumed capacity adds up), the others are exclusive. Devices the Allocator does not
// know (from slices published after it was built) are ignored.
//
// Thread-compatible: Add and Remove must not run while an Allocate call reads the object; copy
// it to let other threads allocate against a stable state.
class AllocatedDevices {
 public:
  void Add(const api::AllocationResult& allocation);
  void Add(const AllocatedState& state);
  // Undoes Add of the same allocation.
  void Remove(const api::AllocationResult& allocation);

  // Devices held exclusively (counted once each).
  int64_t exclusive_count() const;
  const Allocator* allocator() const { return allocator_; }
  const allocator_internal::AllocatedIndex& index() const { return index_; }

 private:
  friend class Allocator;
  AllocatedDevices(const Allocator* allocator, allocator_internal::AllocatedIndex index)
      : allocator_(allocator), index_(std::move(index)) {}
  void Apply(const DeviceRef& device, const std::optional<std::string>& share_id,
             const std::map<std::string, Quantity>& consumed, int sign);

  const Allocator* allocator_;
  allocator_internal::AllocatedIndex index_;
};

class Allocator {
 public:
  // Indexes the snapshot: interns names, builds one CEL device binding per device and compiles
  // every class selector once. Never fails today; the StatusOr leaves room for input checks.
  static absl::StatusOr<std::unique_ptr<const Allocator>> Create(Snapshot snapshot);

  ~Allocator();
  Allocator(const Allocator&) = delete;
  Allocator& operator=(const Allocator&) = delete;

  // Allocates all `claims` together for `node` (see the file comment for the outcomes). Claims
  // must not have status.allocation; their spec is read, nothing is modified. Zero claims give
  // kAllocated with no results. Thread-safe.
  absl::StatusOr<AllocationOutcome> Allocate(const NodeInfo& node,
                                             const std::vector<api::ResourceClaim>& claims,
                                             const AllocateOptions& options = {}) const;

  const Snapshot& snapshot() const;

  // The snapshot's allocated state in the form AllocateOptions::allocated takes, to be updated
  // as claims are allocated and deallocated.
  AllocatedDevices NewAllocatedDevices() const;

  struct Impl;  // Private; defined in allocator.cc.

 private:
  friend class AllocatedDevices;
  explicit Allocator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Whether `node` matches `selector` as the scheduler matches node selectors (a term matches
// when all its requirements do; empty terms match nothing); InvalidArgument for requirements
// upstream rejects (unknown operator, Gt/Lt without one integer, fields other than
// metadata.name).
absl::StatusOr<bool> NodeSelectorMatches(const NodeInfo& node, const api::NodeSelector& selector);

// A fresh random (version 4) UUID in canonical form, as used for share IDs.
std::string NewShareId();

}  // namespace dra::allocator

#endif  // DRA_ALLOCATOR_ALLOCATOR_H_
