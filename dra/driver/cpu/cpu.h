// CPU discovery from sysfs and the `dra.cpu` device model of kubernetes-sigs/dra-driver-cpu.
//
// DiscoverCpus() reads the topology of the online CPUs under a sysfs root; CpuDriverResources()
// turns it into the devices that driver publishes: one shareable device per NUMA node (default),
// socket or machine with consumable capacity `dra.cpu/cpu`, or one device per CPU.
//
// Free functions over value types; thread-safe (no shared state).
#ifndef DRA_DRIVER_CPU_CPU_H_
#define DRA_DRIVER_CPU_CPU_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "dra/api/resource_types.h"
#include "dra/driver/hardware.h"
#include "dra/driver/resources.h"

namespace dra::driver {

// Parses a kernel CPU list ("0-3,8,10-11", as in devices/system/cpu/online) into ascending,
// de-duplicated CPU ids. Surrounding whitespace (the trailing newline of a sysfs file) is
// ignored and an empty list is valid. Errors (InvalidArgument) name the offending element:
// empty elements, non-decimal ids, reversed ranges ("5-3"), ids above 1<<20.
absl::StatusOr<std::vector<int>> ParseCpuList(std::string_view text);

// The canonical kernel form of `cpus` (any order, duplicates allowed): "0-3,8,10-11"; "" when
// empty.
std::string FormatCpuList(std::vector<int> cpus);

// Reads the online CPUs under `sysfs_root` (the directory mounted at /sys):
//   devices/system/cpu/online                         which CPUs exist (required)
//   devices/system/cpu/cpuN/topology/core_id           (required per CPU)
//   devices/system/cpu/cpuN/topology/physical_package_id (required; -1 reads as 0)
//   devices/system/cpu/cpuN/cache/index*/{level,id,shared_cpu_list}  L3 id (optional; without
//                                                       `id` the lowest CPU sharing the cache)
//   devices/system/node/nodeN/cpulist                   NUMA node (node 0 when absent)
//   devices/cpu_atom/cpus, devices/cpu_core/cpus        hybrid core types (Intel PMU lists;
//   or devices/system/cpu/types/<type>/cpulist          "*atom*" -> e-core, others -> p-core)
// Returns the CPUs in ascending cpu_id order. A missing required file is NotFound and
// unparsable content InvalidArgument; both name the file.
absl::StatusOr<std::vector<CpuInfo>> DiscoverCpus(std::string_view sysfs_root = "/sys");

enum class CpuDeviceMode { kGrouped, kIndividual };
enum class CpuGroupBy { kNumaNode, kSocket, kMachine };

// How CpuDriverResources models the CPUs (the flags of dra-driver-cpu).
struct CpuModelOptions {
  CpuDeviceMode mode = CpuDeviceMode::kGrouped;  // --cpu-device-mode
  CpuGroupBy group_by = CpuGroupBy::kNumaNode;   // --group-by
  // CPUs kept for the system (--reserved-cpus, parse with ParseCpuList); never published.
  std::vector<int> reserved_cpus;
  // Adds nodeAllocatableResourceMappings {cpu: ...} (KEP-5517): grouped devices map the
  // consumed `dra.cpu/cpu` capacity, individual devices count 1 CPU each.
  bool node_allocatable_mapping = false;
};

// One published device and the CPUs behind it, for Prepare to resolve device names.
struct CpuDeviceGroup {
  std::string name;       // cpudevnuma000, cpudevsocket001, cpudevmachine, cpudev007
  std::vector<int> cpus;  // ascending
  int socket_id = -1;     // -1 where the group spans sockets (machine)
  int numa_node = -1;     // -1 where the group is not one NUMA node (socket, machine)
  friend bool operator==(const CpuDeviceGroup&, const CpuDeviceGroup&) = default;
};

// The device names and CPU sets CpuDriverResources publishes, in the same order.
//  - grouped by NUMA node / socket: `cpudevnuma%03d` / `cpudevsocket%03d` of the node / socket
//    id, ascending; groups whose CPUs are all reserved are left out.
//  - grouped by machine: one `cpudevmachine` with all unreserved CPUs.
//  - individual: `cpudev%03d` numbered consecutively over unreserved CPUs ordered by core (a CPU
//    is followed by its unreserved SMT siblings), cores ordered by their lowest CPU id.
std::vector<CpuDeviceGroup> CpuDeviceGroups(const std::vector<CpuInfo>& cpus,
                                            const CpuModelOptions& options);

// The `dra.cpu` devices for `cpus` (see CpuDeviceGroups for names and order).
// Grouped devices: allowMultipleAllocations, capacity `dra.cpu/cpu` = #unreserved CPUs,
// attributes `dra.cpu/numCPUs` int, `dra.cpu/smtEnabled` bool, plus by NUMA node
// `resource.kubernetes.io/numaNode`, `dra.cpu/socketID`, and the compatibility attributes
// `dra.cpu/numaNodeID` and `dra.net/numaNode`; by socket `dra.cpu/socketID`.
// Individual devices: `dra.cpu/cpuID`, `coreID`, `coreType`, `cacheL3ID` (-1 when unknown),
// `socketID`, `smtEnabled`, `resource.kubernetes.io/numaNode` and the compatibility attributes.
// smtEnabled is SmtEnabled(cpus) over all discovered CPUs.
DriverResources CpuDriverResources(const std::vector<CpuInfo>& cpus,
                                   const CpuModelOptions& options = {});

// The DeviceClass `dra.cpu` (selector `device.driver == 'dra.cpu'`).
std::vector<api::DeviceClass> CpuDeviceClasses();

// Attribute and capacity names.
inline constexpr char kCpuCapacity[] = "dra.cpu/cpu";
inline constexpr char kCpuAttrSocketId[] = "dra.cpu/socketID";
inline constexpr char kCpuAttrSmtEnabled[] = "dra.cpu/smtEnabled";
inline constexpr char kCpuAttrCacheL3Id[] = "dra.cpu/cacheL3ID";
inline constexpr char kCpuAttrCoreType[] = "dra.cpu/coreType";
inline constexpr char kCpuAttrCoreId[] = "dra.cpu/coreID";
inline constexpr char kCpuAttrCpuId[] = "dra.cpu/cpuID";
inline constexpr char kCpuAttrNumCpus[] = "dra.cpu/numCPUs";
inline constexpr char kCpuAttrNumaNodeId[] = "dra.cpu/numaNodeID";  // deprecated compat
inline constexpr char kCpuAttrNetNumaNode[] = "dra.net/numaNode";   // cross-driver compat

}  // namespace dra::driver

#endif  // DRA_DRIVER_CPU_CPU_H_
