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
  // kUnsatisfiable (and kFailedOnNode): why, per claim and request, for people: what each
  // selector rejected, what was in use, tainted, out of counters or capacity, which constraint
  // failed, which pool was incomplete. Multi-line text; empty when not computed.
  std::string explanation;

  bool allocated() const { return kind == Kind::kAllocated; }
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
                                             const std::vector<api::ResourceClaim>& claims) const;

  const Snapshot& snapshot() const;

  struct Impl;  // Private; defined in allocator.cc.

 private:
  explicit Allocator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A fresh random (version 4) UUID in canonical form, as used for share IDs.
std::string NewShareId();

}  // namespace dra::allocator

#endif  // DRA_ALLOCATOR_ALLOCATOR_H_
