#include "dra/driver/net/net.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "dra/driver/net/sysfs_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::driver {
namespace {

using ::testing::ElementsAre;
using testing::FakeSysfs;

void AddNetdev(const FakeSysfs& fs, const std::string& device_dir, const std::string& name,
               int ifindex, int type, const std::string& state, const std::string& speed) {
  const std::string dir = device_dir + "/net/" + name;
  fs.Write(dir + "/address", "0c:42:a1:00:00:" + std::to_string(10 + ifindex) + "\n");
  fs.Write(dir + "/mtu", type == 772 ? "65536\n" : "9000\n");
  fs.Write(dir + "/type", std::to_string(type) + "\n");
  fs.Write(dir + "/operstate", state + "\n");
  fs.Write(dir + "/ifindex", std::to_string(ifindex) + "\n");
  fs.Write(dir + "/iflink", std::to_string(ifindex) + "\n");
  fs.Write(dir + "/uevent", "INTERFACE=" + name + "\nIFINDEX=" + std::to_string(ifindex) + "\n");
  if (!speed.empty()) fs.Write(dir + "/speed", speed + "\n");
  fs.Link("class/net/" + name, "../../" + dir);
}

void AddPciFunction(const FakeSysfs& fs, const std::string& dir, const std::string& bus_id,
                    const std::string& vendor, const std::string& device, int numa) {
  fs.Write(dir + "/vendor", vendor + "\n");
  fs.Write(dir + "/device", device + "\n");
  fs.Write(dir + "/numa_node", std::to_string(numa) + "\n");
  // bus/pci/devices/<addr> -> ../../../devices/...
  fs.Link("bus/pci/devices/" + bus_id, "../../../" + dir);
}

// A node with:
//  eth0: ConnectX PF 0000:3b:00.0 under root pci0000:3a, NUMA 1, SR-IOV 8 total / 2 enabled,
//        RDMA mlx5_0, 400 Gb/s.
//  eth1: its VF 0000:3b:00.2 (physfn), numa_node -1, RDMA mlx5_2.
//  ib-only RDMA function 0000:8a:00.0 (mlx5_1) without a netdev, NUMA 0.
//  eth2: virtio NIC (netdev below a virtio bus device below PCI 0000:00:03.0, as in VMs).
//  lo, veth0 (peer index 9), br0 (bridge), dummy_0 (not a DNS label).
void BuildNode(const FakeSysfs& fs) {
  const std::string pf = "devices/pci0000:3a/0000:3a:00.0/0000:3b:00.0";
  AddPciFunction(fs, pf, "0000:3b:00.0", "0x15b3", "0x1021", 1);
  fs.Write(pf + "/sriov_totalvfs", "8\n");
  fs.Write(pf + "/sriov_numvfs", "2\n");
  AddNetdev(fs, pf, "eth0", 2, 1, "up", "400000");
  fs.Link(pf + "/net/eth0/device", "../../../0000:3b:00.0");
  fs.MkDir(pf + "/infiniband/mlx5_0");
  fs.Link(pf + "/infiniband/mlx5_0/device", "../../../0000:3b:00.0");
  fs.Link("class/infiniband/mlx5_0", "../../" + pf + "/infiniband/mlx5_0");

  const std::string vf = "devices/pci0000:3a/0000:3a:00.0/0000:3b:00.2";
  AddPciFunction(fs, vf, "0000:3b:00.2", "0x15b3", "0x101e", -1);
  fs.Link(vf + "/physfn", "../0000:3b:00.0");
  AddNetdev(fs, vf, "eth1", 3, 1, "down", "-1");
  fs.Link(vf + "/net/eth1/device", "../../../0000:3b:00.2");
  fs.MkDir(vf + "/infiniband/mlx5_2");
  fs.Link(vf + "/infiniband/mlx5_2/device", "../../../0000:3b:00.2");
  fs.Link("class/infiniband/mlx5_2", "../../" + vf + "/infiniband/mlx5_2");

  const std::string ib = "devices/pci0000:89/0000:89:00.0/0000:8a:00.0";
  AddPciFunction(fs, ib, "0000:8a:00.0", "0x15b3", "0x1021", 0);
  fs.MkDir(ib + "/infiniband/mlx5_1");
  fs.Link(ib + "/infiniband/mlx5_1/device", "../../../0000:8a:00.0");
  fs.Link("class/infiniband/mlx5_1", "../../" + ib + "/infiniband/mlx5_1");

  const std::string virtio = "devices/pci0000:00/0000:00:03.0";
  AddPciFunction(fs, virtio, "0000:00:03.0", "0x1af4", "0x1000", -1);
  AddNetdev(fs, virtio + "/virtio2", "eth2", 4, 1, "up", "");
  fs.Link(virtio + "/virtio2/net/eth2/device", "../../../virtio2");

  AddNetdev(fs, "devices/virtual", "lo", 1, 772, "unknown", "");
  AddNetdev(fs, "devices/virtual", "veth0", 8, 1, "up", "10000");
  fs.Write("devices/virtual/net/veth0/iflink", "9\n");
  AddNetdev(fs, "devices/virtual", "br0", 10, 1, "up", "");
  fs.Write("devices/virtual/net/br0/uevent", "DEVTYPE=bridge\nINTERFACE=br0\nIFINDEX=10\n");
  fs.MkDir("devices/virtual/net/br0/bridge");
  AddNetdev(fs, "devices/virtual", "dummy_0", 11, 1, "unknown", "");
}

// ---------------------------------------------------------------------------------------------
// Shared suite over the fake tree and this machine's /sys.

enum class Backend { kFakeNode, kRealSys };

class NetDiscoverySuite : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kFakeNode) {
      BuildNode(fake_);
      root_ = fake_.root();
    } else {
      root_ = "/sys";
    }
  }
  FakeSysfs fake_;
  std::string root_;
};

bool IsDnsLabel(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return s.front() != '-' && s.back() != '-';
}

TEST_P(NetDiscoverySuite, Invariants) {
  absl::StatusOr<std::vector<NicInfo>> nics = DiscoverNics(root_);
  ASSERT_TRUE(nics.ok()) << nics.status();
  for (const NicInfo& nic : *nics) {
    EXPECT_EQ(nic.is_virtual, !nic.pci.has_value()) << nic.if_name;
    if (nic.if_name.empty()) {
      EXPECT_TRUE(nic.rdma);
    }
    if (nic.pci) {
      EXPECT_EQ(nic.pci->bus_id.size(), 12u);
    }
  }
  for (bool by_address : {false, true}) {
    NetModelOptions opts;
    opts.name_pci_nics_by_address = by_address;
    opts.include_loopback = true;
    opts.include_veth = true;
    opts.bandwidth_capacity = true;
    opts.ignored_interfaces.clear();
    DriverResources res = NetDriverResources(*nics, opts);
    EXPECT_EQ(res.driver, "dra.net");
    std::set<std::string> names;
    for (const api::Device& d : res.devices) {
      EXPECT_TRUE(IsDnsLabel(d.name)) << d.name;
      EXPECT_TRUE(names.insert(d.name).second) << d.name;
      EXPECT_LE(d.attributes.size() + d.capacity.size(), 32u);
    }
    // Only NICs sharing one PCI function (named by address) can collapse into one device.
    if (!by_address) {
      EXPECT_EQ(res.devices.size(), nics->size());
    }
    EXPECT_LE(res.devices.size(), nics->size());
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, NetDiscoverySuite,
                         ::testing::Values(Backend::kFakeNode, Backend::kRealSys),
                         [](const auto& info) {
                           return std::string(info.param == Backend::kFakeNode ? "FakeNode"
                                                                               : "RealSys");
                         });

// ---------------------------------------------------------------------------------------------
// Fake-tree specifics.

std::map<std::string, NicInfo> ByName(const std::vector<NicInfo>& nics) {
  std::map<std::string, NicInfo> out;
  for (const NicInfo& n : nics) out[n.if_name.empty() ? *n.rdma_device : n.if_name] = n;
  return out;
}

TEST(DiscoverNicsTest, FakeNode) {
  FakeSysfs fs;
  BuildNode(fs);
  absl::StatusOr<std::vector<NicInfo>> nics = DiscoverNics(fs.root());
  ASSERT_TRUE(nics.ok()) << nics.status();
  ASSERT_EQ(nics->size(), 8u);
  // Netdevs by name, then the PCI-only RDMA function.
  EXPECT_EQ(nics->back().if_name, "");
  std::map<std::string, NicInfo> by = ByName(*nics);

  const NicInfo& eth0 = by["eth0"];
  EXPECT_EQ(eth0.pci, (PciLocation{"0000:3b:00.0", "pci0000:3a", 1}));
  EXPECT_EQ(eth0.mac, "0c:42:a1:00:00:12");
  EXPECT_EQ(eth0.mtu, 9000);
  EXPECT_EQ(eth0.link_type, "ether");
  EXPECT_EQ(eth0.state, "up");
  EXPECT_FALSE(eth0.is_virtual);
  EXPECT_TRUE(eth0.rdma);
  EXPECT_EQ(eth0.rdma_device, "mlx5_0");
  EXPECT_EQ(eth0.pci_vendor, "15b3");
  EXPECT_EQ(eth0.pci_device, "1021");
  EXPECT_TRUE(eth0.sriov);
  EXPECT_EQ(eth0.sriov_vfs, 2);
  EXPECT_EQ(eth0.sriov_total_vfs, 8);
  EXPECT_FALSE(eth0.is_sriov_vf);
  EXPECT_EQ(eth0.speed_mbps, 400000);
  EXPECT_EQ(eth0.kind, "device");

  const NicInfo& eth1 = by["eth1"];
  EXPECT_EQ(eth1.pci, (PciLocation{"0000:3b:00.2", "pci0000:3a", std::nullopt}));
  EXPECT_TRUE(eth1.is_sriov_vf);
  EXPECT_FALSE(eth1.sriov);
  EXPECT_EQ(eth1.rdma_device, "mlx5_2");
  EXPECT_EQ(eth1.speed_mbps, std::nullopt);

  const NicInfo& ib = by["mlx5_1"];
  EXPECT_EQ(ib.pci, (PciLocation{"0000:8a:00.0", "pci0000:89", 0}));
  EXPECT_TRUE(ib.rdma);
  EXPECT_FALSE(ib.is_virtual);

  const NicInfo& eth2 = by["eth2"];
  EXPECT_EQ(eth2.pci, (PciLocation{"0000:00:03.0", "pci0000:00", std::nullopt}));
  EXPECT_EQ(eth2.pci_vendor, "1af4");
  EXPECT_FALSE(eth2.rdma);

  EXPECT_EQ(by["lo"].link_type, "loopback");
  EXPECT_TRUE(by["lo"].is_virtual);
  EXPECT_EQ(by["veth0"].kind, "veth");
  EXPECT_EQ(by["br0"].kind, "bridge");
  EXPECT_EQ(by["dummy_0"].kind, "");
}

TEST(DiscoverNicsTest, Errors) {
  FakeSysfs fs;
  absl::StatusOr<std::vector<NicInfo>> missing = DiscoverNics(fs.root());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()), ::testing::HasSubstr("class/net"));

  BuildNode(fs);
  fs.Write("devices/virtual/net/br0/mtu", "big\n");
  absl::StatusOr<std::vector<NicInfo>> bad = DiscoverNics(fs.root());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), ::testing::HasSubstr("br0/mtu"));
}

// ---------------------------------------------------------------------------------------------
// Device model.

TEST(NetModelTest, DeviceNames) {
  EXPECT_EQ(NetInterfaceDeviceName("eth0"), "eth0");
  EXPECT_EQ(NetInterfaceDeviceName("dummy_0"), "net-mr2w23lzl4ya");
  EXPECT_EQ(NetInterfaceDeviceName("eth0.100"), "net-mv2gqmbogeyda");
  EXPECT_EQ(NetInterfaceDeviceName("Eth0"), "net-iv2gqma");
  EXPECT_EQ(NetPciDeviceName("0000:8a:00.0"), "pci-0000-8a-00-0");
}

TEST(NetModelTest, DefaultFilterAndAttributes) {
  FakeSysfs fs;
  BuildNode(fs);
  DriverResources res = NetDriverResources(*DiscoverNics(fs.root()));
  std::vector<std::string> names;
  for (const api::Device& d : res.devices) names.push_back(d.name);
  EXPECT_THAT(names,
              ElementsAre("br0", "eth0", "eth1", "eth2", "net-mr2w23lzl4ya", "pci-0000-8a-00-0"));

  const api::Device& eth0 = res.devices[1];
  const auto& a = eth0.attributes;
  EXPECT_EQ(a.at("dra.net/ifName").string_, "eth0");
  EXPECT_EQ(a.at("dra.net/pciAddress").string_, "0000:3b:00.0");
  EXPECT_EQ(a.at("dra.net/mac").string_, "0c:42:a1:00:00:12");
  EXPECT_EQ(a.at("dra.net/mtu").int_, 9000);
  EXPECT_EQ(a.at("dra.net/type").string_, "ether");
  EXPECT_EQ(a.at("dra.net/state").string_, "up");
  EXPECT_EQ(a.at("dra.net/virtual").bool_, false);
  EXPECT_EQ(a.at("dra.net/rdma").bool_, true);
  EXPECT_EQ(a.at("dra.net/rdmaDevice").string_, "mlx5_0");
  EXPECT_EQ(a.at("dra.net/pciVendor").string_, "15b3");
  EXPECT_EQ(a.at("dra.net/pciDevice").string_, "1021");
  EXPECT_EQ(a.at("dra.net/sriov").bool_, true);
  EXPECT_EQ(a.at("dra.net/sriovVfs").int_, 2);
  EXPECT_FALSE(a.contains("dra.net/isSriovVf"));
  EXPECT_EQ(a.at("dra.net/numaNode").int_, 1);
  EXPECT_EQ(a.at("resource.kubernetes.io/numaNode").int_, 1);
  EXPECT_EQ(a.at("resource.kubernetes.io/pcieRoot").string_, "pci0000:3a");
  EXPECT_TRUE(eth0.capacity.empty());
  EXPECT_FALSE(eth0.allow_multiple_allocations.has_value());

  EXPECT_EQ(res.devices[2].attributes.at("dra.net/isSriovVf").bool_, true);
  EXPECT_FALSE(res.devices[2].attributes.contains("dra.net/numaNode"));

  const api::Device& ib = res.devices[5];
  EXPECT_FALSE(ib.attributes.contains("dra.net/ifName"));
  EXPECT_EQ(ib.attributes.at("dra.net/rdmaDevice").string_, "mlx5_1");
  EXPECT_EQ(ib.attributes.at("dra.net/pciAddress").string_, "0000:8a:00.0");
}

TEST(NetModelTest, OptionsNamingAndBandwidth) {
  FakeSysfs fs;
  BuildNode(fs);
  std::vector<NicInfo> nics = *DiscoverNics(fs.root());
  NetModelOptions opts;
  opts.name_pci_nics_by_address = true;
  opts.bandwidth_capacity = true;
  opts.include_loopback = true;
  opts.include_veth = true;
  opts.ignored_interfaces = {"br0"};
  DriverResources res = NetDriverResources(nics, opts);
  std::map<std::string, api::Device> by;
  for (const api::Device& d : res.devices) by[d.name] = d;
  EXPECT_TRUE(by.contains("lo"));
  EXPECT_TRUE(by.contains("veth0"));
  EXPECT_FALSE(by.contains("br0"));
  ASSERT_TRUE(by.contains("pci-0000-3b-00-0"));
  const api::Device& eth0 = by["pci-0000-3b-00-0"];
  EXPECT_EQ(eth0.attributes.at("dra.net/ifName").string_, "eth0");
  EXPECT_EQ(eth0.capacity.at("bandwidth").value.ToString(), "400G");
  EXPECT_EQ(eth0.allow_multiple_allocations, true);
  EXPECT_FALSE(by["pci-0000-3b-00-2"].capacity.contains("bandwidth"));  // speed unknown
}

TEST(NetModelTest, DeviceClass) {
  std::vector<api::DeviceClass> classes = NetDeviceClasses();
  ASSERT_EQ(classes.size(), 1u);
  EXPECT_EQ(classes[0].metadata.name, "dra.net");
  EXPECT_EQ(classes[0].spec.selectors.at(0).cel->expression, "device.driver == 'dra.net'");
}

}  // namespace
}  // namespace dra::driver
