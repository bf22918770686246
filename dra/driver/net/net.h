// NIC discovery from sysfs and the `dra.net` device model of DRANET (kubernetes-sigs/dranet).
//
// DiscoverNics() reads network interfaces (class/net) and RDMA devices (class/infiniband) under
// a sysfs root; NetDriverResources() turns them into the devices DRANET publishes.
//
// Free functions over value types; thread-safe (no shared state).
#ifndef DRA_DRIVER_NET_NET_H_
#define DRA_DRIVER_NET_NET_H_

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "dra/api/resource_types.h"
#include "dra/driver/hardware.h"
#include "dra/driver/resources.h"

namespace dra::driver {

// Reads every interface of class/net/<if> under `sysfs_root` (the directory mounted at /sys):
// address, mtu, type (ARPHRD number, reported as "ether", "infiniband", "loopback", ... or
// "arphrd<N>"), operstate, speed (Mb/s; absent when unreadable or not positive). An interface
// whose resolved sysfs path lies under devices/virtual/ is virtual; otherwise the deepest PCI
// bus-ID component of that path is its PCI function, from which come vendor, device,
// sriov_totalvfs/sriov_numvfs, `physfn` (=> SR-IOV VF), numa_node (-1 => absent) and the PCIe
// root (`pciDDDD:BB` component of bus/pci/devices/<addr>'s resolved path).
// RDMA devices (class/infiniband/<dev>, `device` resolving to a PCI function) mark the netdevs
// on the same PCI function; those without a netdev are returned as PCI-only NICs
// (if_name ""). Result order: netdevs by name, then PCI-only NICs by bus ID.
// Errors: NotFound when class/net is missing; InvalidArgument naming the file for unparsable
// mtu/type/ifindex. Per-interface optional files that cannot be read are left unset.
absl::StatusOr<std::vector<NicInfo>> DiscoverNics(std::string_view sysfs_root = "/sys");

// Which NICs NetDriverResources publishes and how.
struct NetModelOptions {
  bool include_loopback = false;  // the loopback interface
  bool include_veth = false;      // virtual interfaces of kind "veth" (DRANET's default filter)
  bool include_virtual = true;    // other interfaces without a PCI function
  // Interfaces never published (DRANET's built-in ignore list).
  std::set<std::string> ignored_interfaces = {"cilium_net", "cilium_host", "docker0"};
  // Device naming. false: the interface name when it is a DNS label, else
  // net-<base32(ifName)>; PCI-only NICs `pci-<bus ID with ':' and '.' as '-'>`. true: every NIC
  // with a PCI function is named after its bus ID, as DRANET does since it started discovery
  // from PCI devices (2025-08); virtual interfaces keep the interface-based name.
  bool name_pci_nics_by_address = false;
  // Publish capacity `bandwidth` (link speed in bits/s, e.g. 400G) on NICs with a known speed
  // and mark them allowMultipleAllocations, so that claims share a NIC by requesting part of
  // its bandwidth (KEP-5075 consumable capacity). Off by default, as in DRANET.
  bool bandwidth_capacity = false;
};

// The `dra.net` devices for `nics`, sorted by device name. Attributes (domain `dra.net/`):
// ifName, pciAddress, mac, mtu (int), type, state, virtual (bool), rdma (bool), rdmaDevice,
// pciVendor, pciDevice (4 hex digits), sriov (bool), sriovVfs (int, when sriov), isSriovVf
// (only when true), numaNode (int); standard resource.kubernetes.io/pcieRoot (string) and
// resource.kubernetes.io/numaNode (int). Attributes are omitted where the value is unknown.
// NICs yielding the same device name keep the first one.
DriverResources NetDriverResources(const std::vector<NicInfo>& nics,
                                   const NetModelOptions& options = {});

// The device name DRANET gives an interface: `if_name` when it is a DNS-1123 label, else
// "net-" + lower-case RFC 4648 base32 of the name without padding.
std::string NetInterfaceDeviceName(std::string_view if_name);
// "pci-" + bus ID with ':' and '.' replaced by '-': "0000:8a:00.0" -> "pci-0000-8a-00-0".
std::string NetPciDeviceName(std::string_view bus_id);

// The DeviceClass `dra.net` (selector `device.driver == 'dra.net'`).
std::vector<api::DeviceClass> NetDeviceClasses();

inline constexpr char kNetCapacityBandwidth[] = "bandwidth";

}  // namespace dra::driver

#endif  // DRA_DRIVER_NET_NET_H_
