// Publishes one driver's devices on one node as the ResourceSlices of a pool named after the
// node, the way k8s.io/dynamic-resource-allocation's resourceslice controller does (v1.36):
//
// - Splitting (SplitIntoSlices): shared counter sets go into their own slices (at most 8 sets
//   per slice; Kubernetes v1.35+ forbids devices and sharedCounters in one slice), then the
//   devices in their order, at most 128 per slice, or 64 when any device uses taints, counters,
//   binding conditions or multiple allocations.
// - Naming: generateName `<index as 5 hex digits>-<driver>-<node>-`; existing slices are matched
//   to the desired ones by that index, so the API server's slice order (by name) is the order
//   of the devices and so the allocator's preference.
// - Generation: when anything differs from what is stored, every slice is written with the
//   pool generation one above the highest stored one and the new resourceSliceCount
//   (consumers use only the slices of the highest generation); obsolete slices are deleted
//   first (with UID preconditions, NotFound ignored), then slices are updated, then created.
//   Nothing is written when the stored slices already say the same thing.
// - Ownership: a controller owner reference to the Node (its UID looked up when not given), so
//   the slices are garbage-collected with the node.
//
// Thread-compatible: one caller at a time (the node agent serializes publications per driver).
#ifndef DRA_DRIVER_AGENT_SLICE_PUBLISHER_H_
#define DRA_DRIVER_AGENT_SLICE_PUBLISHER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dra/api/resource_types.h"
#include "dra/client/rest_client.h"
#include "dra/driver/resources.h"

namespace dra::driver {

inline constexpr int kMaxDevicesPerSlice = 128;
inline constexpr int kMaxAdvancedDevicesPerSlice = 64;
inline constexpr int kMaxCounterSetsPerSlice = 8;

// The specs of the slices `resources` needs on `node_name` (pool name = node name, generation
// and resourceSliceCount left 0 for the publisher to fill in). At least one slice, even with
// no devices, so that consumers see the pool.
std::vector<api::ResourceSliceSpec> SplitIntoSlices(const DriverResources& resources,
                                                    std::string_view node_name);

// The generateName prefix of slice `index`: "00000-gpu.nvidia.com-node-1-".
std::string SliceNamePrefix(int index, std::string_view driver, std::string_view node_name);

struct SlicePublisherOptions {
  std::string node_name;
  // UID of the Node for the owner reference; looked up with a GET when empty. When the Node
  // does not exist the slices are published without an owner reference.
  std::string node_uid;
  std::string field_manager = "dra-node";
};

// What one Publish call did.
struct PublishResult {
  int created = 0;
  int updated = 0;
  int deleted = 0;
  int64_t generation = 0;  // the pool generation now stored
  bool changed() const { return created + updated + deleted > 0; }
};

class SlicePublisher {
 public:
  SlicePublisher(client::RestClient* client, SlicePublisherOptions options);

  // Makes the stored slices of `resources.driver` on this node say `resources`. Errors of the
  // API calls are returned as they are (the caller retries; a partial publication converges on
  // the next call).
  absl::StatusOr<PublishResult> Publish(const DriverResources& resources);

  // Deletes every slice of `driver` on this node.
  absl::Status Unpublish(std::string_view driver);

 private:
  absl::StatusOr<std::vector<api::ResourceSlice>> ListOwnSlices(std::string_view driver);
  absl::Status EnsureNodeUid();

  client::RestClient* client_;
  SlicePublisherOptions options_;
};

}  // namespace dra::driver

#endif  // DRA_DRIVER_AGENT_SLICE_PUBLISHER_H_
