// The dra.net device model: NetDriverResources, device names, NetDeviceClasses.
#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "dra/base/quantity.h"
#include "dra/driver/net/net.h"

namespace dra::driver {
namespace {

bool IsDns1123Label(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(s.front()) || !alnum(s.back())) return false;
  for (char c : s) {
    if (!alnum(c) && c != '-') return false;
  }
  return true;
}

// RFC 4648 base32, lower case, no padding.
std::string Base32Lower(std::string_view data) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : data) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  return out;
}

api::DeviceAttribute IntAttr(int64_t v) {
  api::DeviceAttribute a;
  a.int_ = v;
  return a;
}
api::DeviceAttribute BoolAttr(bool v) {
  api::DeviceAttribute a;
  a.bool_ = v;
  return a;
}
api::DeviceAttribute StringAttr(std::string v) {
  api::DeviceAttribute a;
  a.string_ = std::move(v);
  return a;
}

bool Published(const NicInfo& nic, const NetModelOptions& options) {
  if (!nic.if_name.empty() && options.ignored_interfaces.contains(nic.if_name)) return false;
  if (nic.link_type == "loopback") return options.include_loopback;
  if (nic.pci) return true;
  if (nic.kind == "veth") return options.include_veth;
  return options.include_virtual;
}

std::string DeviceName(const NicInfo& nic, const NetModelOptions& options) {
  if (nic.pci && (nic.if_name.empty() || options.name_pci_nics_by_address)) {
    return NetPciDeviceName(nic.pci->bus_id);
  }
  return NetInterfaceDeviceName(nic.if_name);
}

}  // namespace

std::string NetInterfaceDeviceName(std::string_view if_name) {
  if (if_name.empty()) return "";
  if (IsDns1123Label(if_name)) return std::string(if_name);
  return "net-" + Base32Lower(if_name);
}

std::string NetPciDeviceName(std::string_view bus_id) {
  std::string out = "pci-";
  for (char c : bus_id) out += (c == ':' || c == '.') ? '-' : c;
  return out;
}

DriverResources NetDriverResources(const std::vector<NicInfo>& nics,
                                   const NetModelOptions& options) {
  DriverResources res;
  res.driver = kNetDriverName;
  std::set<std::string> names;
  for (const NicInfo& nic : nics) {
    if (!Published(nic, options)) continue;
    api::Device d;
    d.name = DeviceName(nic, options);
    if (d.name.empty() || !names.insert(d.name).second) continue;
    auto& a = d.attributes;
    const bool netdev = !nic.if_name.empty();
    if (netdev) {
      a["dra.net/ifName"] = StringAttr(nic.if_name);
      a["dra.net/mtu"] = IntAttr(nic.mtu);
      a["dra.net/virtual"] = BoolAttr(nic.is_virtual);
      a["dra.net/sriov"] = BoolAttr(nic.sriov);
      if (nic.sriov) a["dra.net/sriovVfs"] = IntAttr(nic.sriov_vfs);
    }
    if (!nic.mac.empty()) a["dra.net/mac"] = StringAttr(nic.mac);
    if (!nic.link_type.empty()) a["dra.net/type"] = StringAttr(nic.link_type);
    if (!nic.state.empty()) a["dra.net/state"] = StringAttr(nic.state);
    if (nic.is_sriov_vf) a["dra.net/isSriovVf"] = BoolAttr(true);
    a["dra.net/rdma"] = BoolAttr(nic.rdma);
    if (nic.rdma_device) a["dra.net/rdmaDevice"] = StringAttr(*nic.rdma_device);
    if (nic.pci_vendor) a["dra.net/pciVendor"] = StringAttr(*nic.pci_vendor);
    if (nic.pci_device) a["dra.net/pciDevice"] = StringAttr(*nic.pci_device);
    if (nic.pci) {
      a["dra.net/pciAddress"] = StringAttr(nic.pci->bus_id);
      if (nic.pci->pcie_root) a[kPcieRootAttribute] = StringAttr(*nic.pci->pcie_root);
      if (nic.pci->numa_node) {
        a["dra.net/numaNode"] = IntAttr(*nic.pci->numa_node);
        a[kNumaNodeAttribute] = IntAttr(*nic.pci->numa_node);
      }
    }
    if (options.bandwidth_capacity && nic.speed_mbps && *nic.speed_mbps > 0) {
      api::DeviceCapacity cap;
      cap.value = Quantity::FromInt64(*nic.speed_mbps * 1000000);
      d.capacity[kNetCapacityBandwidth] = std::move(cap);
      d.allow_multiple_allocations = true;
    }
    res.devices.push_back(std::move(d));
  }
  std::sort(res.devices.begin(), res.devices.end(),
            [](const api::Device& x, const api::Device& y) { return x.name < y.name; });
  return res;
}

std::vector<api::DeviceClass> NetDeviceClasses() {
  api::DeviceClass c;
  c.api_version = std::string(api::DeviceClass::kGroupVersion);
  c.kind = std::string(api::DeviceClass::kKind);
  c.metadata.name = kNetDriverName;
  api::DeviceSelector s;
  s.cel = api::CELDeviceSelector{"device.driver == 'dra.net'"};
  c.spec.selectors.push_back(std::move(s));
  return {std::move(c)};
}

}  // namespace dra::driver
