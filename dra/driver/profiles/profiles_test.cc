#include "dra/driver/profiles/profiles.h"

#include <fstream>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::driver::profiles {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ProfilesTest, BuiltinNames) {
  EXPECT_THAT(BuiltinProfileNames(), ElementsAre("a100-mig", "dgx-h100"));
}

TEST(ProfilesTest, EveryBuiltinLoads) {
  for (const std::string& name : BuiltinProfileNames()) {
    absl::StatusOr<Hardware> hw = LoadProfile(name);
    ASSERT_TRUE(hw.ok()) << name << ": " << hw.status();
    EXPECT_FALSE(hw->gpus.empty()) << name;
    absl::StatusOr<Hardware> prefixed = LoadProfile(std::string(kBuiltinPrefix) + name);
    ASSERT_TRUE(prefixed.ok()) << prefixed.status();
    EXPECT_EQ(*hw, *prefixed);
  }
}

TEST(ProfilesTest, BuiltinTextIsTheSourceFile) {
  for (const std::string& name : BuiltinProfileNames()) {
    std::ifstream in(std::string(DRA_SOURCE_DIR) + "/dra/driver/profiles/" + name + ".yaml");
    ASSERT_TRUE(in) << name;
    std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(BuiltinProfileText(name).value_or(""), file) << name;
  }
}

TEST(ProfilesTest, LoadsFromPath) {
  absl::StatusOr<Hardware> from_file =
      LoadProfile(std::string(DRA_SOURCE_DIR) + "/dra/driver/profiles/dgx-h100.yaml");
  ASSERT_TRUE(from_file.ok()) << from_file.status();
  // Generated UUIDs depend on the source name, everything else is equal.
  absl::StatusOr<Hardware> builtin = LoadProfile("dgx-h100");
  ASSERT_TRUE(builtin.ok());
  ASSERT_EQ(from_file->gpus.size(), builtin->gpus.size());
  EXPECT_EQ(from_file->nics, builtin->nics);
  EXPECT_EQ(from_file->cpus, builtin->cpus);
  EXPECT_EQ(from_file->gpus[3].pci, builtin->gpus[3].pci);
}

TEST(ProfilesTest, DgxH100) {
  absl::StatusOr<Hardware> hw = LoadProfile("dgx-h100");
  ASSERT_TRUE(hw.ok()) << hw.status();
  ASSERT_EQ(hw->gpus.size(), 8u);
  std::set<std::string> roots;
  std::set<std::string> uuids;
  for (size_t i = 0; i < hw->gpus.size(); ++i) {
    const GpuInfo& g = hw->gpus[i];
    EXPECT_EQ(g.index, static_cast<int>(i));
    EXPECT_EQ(g.minor, static_cast<int>(i));
    EXPECT_EQ(g.product_name, "NVIDIA H100 80GB HBM3");
    EXPECT_EQ(g.architecture, "Hopper");
    EXPECT_EQ(g.brand, "Nvidia");
    EXPECT_EQ(g.cuda_compute_capability, "9.0");
    EXPECT_EQ(g.memory_bytes, int64_t{80} << 30);
    EXPECT_TRUE(g.mig_capable);
    EXPECT_FALSE(g.mig_enabled);
    EXPECT_EQ(g.mig_profiles.size(), 7u);
    EXPECT_EQ(g.pci.numa_node, i < 4 ? 0 : 1);
    EXPECT_TRUE(g.nvlink_domain.has_value());
    EXPECT_EQ(g.uuid.rfind("GPU-", 0), 0u);
    EXPECT_EQ(g.uuid.size(), 40u);
    roots.insert(g.pci.pcie_root.value_or(""));
    uuids.insert(g.uuid);
  }
  EXPECT_EQ(roots.size(), 4u);
  EXPECT_EQ(uuids.size(), 8u);
  // Profiles sorted by (slices, memory, name).
  EXPECT_EQ(hw->gpus[0].mig_profiles[0].name, "1g.10gb");
  EXPECT_EQ(hw->gpus[0].mig_profiles[1].name, "1g.10gb+me");
  EXPECT_EQ(hw->gpus[0].mig_profiles[2].name, "1g.20gb");
  EXPECT_EQ(hw->gpus[0].mig_profiles[6].name, "7g.80gb");
  EXPECT_EQ(hw->gpus[0].mig_profiles[6].placements, (std::vector<MigProfile::Placement>{{0, 8}}));

  ASSERT_EQ(hw->nics.size(), 8u);
  for (size_t i = 0; i < hw->nics.size(); ++i) {
    const NicInfo& n = hw->nics[i];
    EXPECT_TRUE(n.rdma);
    EXPECT_EQ(n.rdma_device, "mlx5_" + std::to_string(i));
    EXPECT_EQ(n.speed_mbps, 400000);
    ASSERT_TRUE(n.pci.has_value());
    EXPECT_TRUE(roots.contains(n.pci->pcie_root.value_or("")));
    EXPECT_EQ(n.pci->pcie_root, hw->gpus[i].pci.pcie_root);
    EXPECT_FALSE(n.is_virtual);
  }

  ASSERT_EQ(hw->cpus.size(), 224u);
  EXPECT_TRUE(SmtEnabled(hw->cpus));
  EXPECT_EQ(hw->cpus[56].socket_id, 1);
  EXPECT_EQ(hw->cpus[56].numa_node, 1);
  EXPECT_EQ(hw->cpus[112].cpu_id, 112);
  EXPECT_EQ(hw->cpus[112].core_id, 0);  // SMT sibling of CPU 0
  EXPECT_EQ(hw->cpus[112].socket_id, 0);
}

TEST(ProfilesTest, A100Mig) {
  absl::StatusOr<Hardware> hw = LoadProfile("a100-mig");
  ASSERT_TRUE(hw.ok()) << hw.status();
  ASSERT_EQ(hw->gpus.size(), 4u);
  const GpuInfo& g0 = hw->gpus[0];
  EXPECT_TRUE(g0.mig_enabled);
  ASSERT_EQ(g0.mig_devices.size(), 3u);
  EXPECT_EQ(g0.mig_devices[0].profile, "2g.20gb");
  EXPECT_EQ(g0.mig_devices[1].profile, "1g.10gb");
  EXPECT_EQ(g0.mig_devices[2].profile, "3g.40gb");
  EXPECT_EQ(g0.mig_devices[2].placement, (MigProfile::Placement{4, 4}));
  EXPECT_EQ(g0.mig_devices[2].uuid.rfind("MIG-", 0), 0u);
  for (size_t i = 1; i < 4; ++i) {
    EXPECT_FALSE(hw->gpus[i].mig_enabled);
    EXPECT_TRUE(hw->gpus[i].mig_devices.empty());
    EXPECT_EQ(hw->gpus[i].index, static_cast<int>(i));
  }
  EXPECT_EQ(hw->cpus.size(), 256u);
}

struct BadCase {
  const char* yaml;
  const char* message;
};

class BadProfileTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadProfileTest, ErrorNamesTheField) {
  absl::StatusOr<Hardware> hw = ParseProfile(GetParam().yaml, "bad.yaml");
  ASSERT_FALSE(hw.ok());
  EXPECT_EQ(hw.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(hw.status().message()), HasSubstr("profile \"bad.yaml\": "));
  EXPECT_THAT(std::string(hw.status().message()), HasSubstr(GetParam().message));
}

constexpr char kModel[] = R"(
gpuModels:
  m:
    productName: P
    brand: Nvidia
    architecture: Hopper
    cudaComputeCapability: "9.0"
    memory: 80Gi
    migProfiles:
    - {name: 1g.10gb, id: 19, slices: 1, memoryMiB: 9984, multiprocessors: 16,
       placements: [0, 1], placementSize: 1}
    - {name: 7g.80gb, id: 0, slices: 7, memoryMiB: 81152, multiprocessors: 132,
       placements: [0], placementSize: 8}
)";

std::string WithModel(const std::string& rest) { return std::string(kModel) + rest; }

const std::string kCases[][2] = {
    {"bogus: 1\n", "bogus: unknown field"},
    {WithModel("gpus:\n- {model: m, colour: red}\n"), "gpus[0].colour: unknown field"},
    {WithModel("gpus:\n- {model: x}\n"), "gpus[0].model: unknown model \"x\""},
    {WithModel("gpus:\n- {model: m, pci: [{busID: \"0000:3B:00.0\"}]}\n"),
     "gpus[0].pci[0].busID: must look like 0000:3b:00.0"},
    {WithModel("gpus:\n- {model: m, pci: [{busID: \"0000:3b:00.0\", numaNode: -2}]}\n"),
     "gpus[0].pci[0].numaNode: must be >= 0, got -2"},
    {WithModel("gpus:\n- {model: m, pci: [{busID: \"0000:3b:00.0\", pcieRoot: root}]}\n"),
     "gpus[0].pci[0].pcieRoot: must look like pci0000:3a"},
    {WithModel("gpus:\n- {model: m, count: 2, pci: [{busID: \"0000:3b:00.0\"}]}\n"),
     "gpus[0].pci: must have one entry per GPU (count 2), got 1"},
    {WithModel("gpus:\n- {model: m, pci: [{busID: \"0000:3b:00.0\"}]}\n"
               "- {model: m, pci: [{busID: \"0000:3b:00.0\"}]}\n"),
     "gpus[1].pci[0].busID: Duplicate PCI bus ID"},
    {WithModel("gpus:\n- {model: m, migDevices: []}\n"),
     "gpus[0].migDevices: needs migEnabled: true"},
    {WithModel("gpus:\n- model: m\n  migEnabled: true\n  migDevices:\n"
               "  - {profile: 2g.20gb, placement: 0, gpuInstanceId: 1}\n"),
     "gpus[0].migDevices[0].profile: unknown MIG profile \"2g.20gb\""},
    {WithModel("gpus:\n- model: m\n  migEnabled: true\n  migDevices:\n"
               "  - {profile: 1g.10gb, placement: 5, gpuInstanceId: 1}\n"),
     "gpus[0].migDevices[0].placement: 5 is not a placement of 1g.10gb"},
    {WithModel("gpus:\n- model: m\n  migEnabled: true\n  migDevices:\n"
               "  - {profile: 7g.80gb, placement: 0, gpuInstanceId: 1}\n"
               "  - {profile: 1g.10gb, placement: 1, gpuInstanceId: 2}\n"),
     "gpus[0].migDevices[1].placement: memory slice 1 is already used"},
    {"gpuModels:\n  m: {productName: P, brand: B, architecture: A, cudaComputeCapability: x}\n",
     "gpuModels.m.cudaComputeCapability: must be <major>.<minor>"},
    {"gpuModels:\n  m: {productName: P, brand: B, architecture: A, cudaComputeCapability: "
     "\"8.0\", memory: lots}\n",
     "gpuModels.m.memory: must be a positive whole number of bytes"},
    {"gpuModels:\n  m: {productName: P, brand: B, architecture: A, cudaComputeCapability: "
     "\"8.0\", migProfiles: [{name: a, id: 1, slices: 1, memoryMiB: 1, multiprocessors: 1, "
     "placements: [0]}]}\n",
     "gpuModels.m.migProfiles[0].placementSize: Required value"},
    {"gpuModels:\n  m: {brand: B}\n", "gpuModels.m.productName: Required value"},
    {"driver: {cudaVersion: twelve}\n", "driver.cudaVersion: must be <major>.<minor>"},
    {"nics:\n- {ifName: eth0, mtu: 10}\n", "nics[0].mtu: must be >= 68, got 10"},
    {"nics:\n- {ifName: eth0, mac: zz}\n", "nics[0].mac: must look like aa:bb:cc:dd:ee:ff"},
    {"nics:\n- {ifName: eth0, model: cx}\n", "nics[0].model: unknown model \"cx\""},
    {"nics:\n- {mtu: 1500}\n", "nics[0].ifName: Required value"},
    {"nicModels:\n  cx: {ifName: eth0}\n", "nicModels.cx.ifName: unknown field"},
    {"cpus: {sockets: 2}\n", "cpus.coresPerSocket: Required value"},
    {"cpus: {sockets: 2, coresPerSocket: 10, numaNodesPerSocket: 3}\n",
     "cpus.numaNodesPerSocket: must divide coresPerSocket"},
    {"cpus: {sockets: two, coresPerSocket: 10}\n", "cpus.sockets: must be an integer"},
    {"gpus: [\n", "line "},
};

std::vector<BadCase> BadCases() {
  std::vector<BadCase> out;
  for (const auto& c : kCases) out.push_back({c[0].c_str(), c[1].c_str()});
  return out;
}

INSTANTIATE_TEST_SUITE_P(Cases, BadProfileTest, ::testing::ValuesIn(BadCases()));

TEST(ProfilesTest, MissingProfile) {
  absl::StatusOr<Hardware> hw = LoadProfile("profile:nope");
  ASSERT_FALSE(hw.ok());
  EXPECT_EQ(hw.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(hw.status().message()), HasSubstr("a100-mig, dgx-h100"));
  hw = LoadProfile("/nonexistent/profile.yaml");
  ASSERT_FALSE(hw.ok());
  EXPECT_EQ(hw.status().code(), absl::StatusCode::kNotFound);
}

TEST(ProfilesTest, EmptyProfileIsEmptyHardware) {
  absl::StatusOr<Hardware> hw = ParseProfile("", "empty.yaml");
  ASSERT_TRUE(hw.ok());
  EXPECT_EQ(*hw, Hardware{});
}

TEST(ProfilesTest, ExplicitIdentifiers) {
  absl::StatusOr<Hardware> hw = ParseProfile(
      WithModel("gpus:\n- model: m\n  uuids: [GPU-aaaa]\n  minors: [3]\n"
                "  migEnabled: true\n  migDevices:\n"
                "  - {profile: 1g.10gb, placement: 1, gpuInstanceId: 7, computeInstanceId: 0, "
                "uuid: MIG-bbbb}\n"),
      "explicit.yaml");
  ASSERT_TRUE(hw.ok()) << hw.status();
  ASSERT_EQ(hw->gpus.size(), 1u);
  EXPECT_EQ(hw->gpus[0].uuid, "GPU-aaaa");
  EXPECT_EQ(hw->gpus[0].minor, 3);
  EXPECT_EQ(hw->gpus[0].pci.bus_id, "0000:01:00.0");
  ASSERT_EQ(hw->gpus[0].mig_devices.size(), 1u);
  EXPECT_EQ(hw->gpus[0].mig_devices[0].uuid, "MIG-bbbb");
  EXPECT_EQ(hw->gpus[0].mig_devices[0].gpu_instance_id, 7);
}

}  // namespace
}  // namespace dra::driver::profiles
