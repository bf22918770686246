// What one driver publishes for one node: its devices (in allocation-preference order) and the
// shared counter sets they consume from. The publisher (agent/) splits them into ResourceSlices
// of one pool named after the node.
//
// Value type; thread-compatible.
#ifndef DRA_DRIVER_RESOURCES_H_
#define DRA_DRIVER_RESOURCES_H_

#include <string>
#include <vector>

#include "dra/api/resource_types.h"

namespace dra::driver {

inline constexpr char kGpuDriverName[] = "gpu.nvidia.com";
inline constexpr char kCpuDriverName[] = "dra.cpu";
inline constexpr char kNetDriverName[] = "dra.net";

// Standard attribute names (resource.kubernetes.io domain), shared by every driver so that
// matchAttribute works across drivers.
inline constexpr char kPcieRootAttribute[] = "resource.kubernetes.io/pcieRoot";
inline constexpr char kPciBusIdAttribute[] = "resource.kubernetes.io/pciBusID";
inline constexpr char kNumaNodeAttribute[] = "resource.kubernetes.io/numaNode";

struct DriverResources {
  std::string driver;
  std::vector<api::CounterSet> shared_counters;
  std::vector<api::Device> devices;
  friend bool operator==(const DriverResources&, const DriverResources&) = default;
};

}  // namespace dra::driver

#endif  // DRA_DRIVER_RESOURCES_H_
