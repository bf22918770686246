// One test suite for every GpuDiscovery implementation: each must report exactly the GPUs of a
// hardware profile (NvmlGpuDiscovery through the fake libnvidia-ml serving that profile).
#include "dra/driver/gpu/gpu_discovery.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <tuple>

#include "dra/driver/gpu/gpu_devices.h"
#include "dra/driver/gpu/nvml_discovery.h"
#include "dra/driver/gpu/testdata/fake_nvml_env.h"
#include "dra/driver/profiles/profiles.h"
#include "gtest/gtest.h"

namespace dra::driver::gpu {
namespace {

struct Implementation {
  std::string name;
  // Discovery of the GPUs of builtin profile `profile`; `dir` is a fresh scratch directory.
  std::function<std::unique_ptr<GpuDiscovery>(const std::string& profile, const std::string& dir)>
      make;
};

std::vector<Implementation> Implementations() {
  return {
      {"profile",
       [](const std::string& profile, const std::string&) -> std::unique_ptr<GpuDiscovery> {
         return std::make_unique<ProfileGpuDiscovery>(profile);
       }},
      {"nvml",
       [](const std::string& profile, const std::string& dir) -> std::unique_ptr<GpuDiscovery> {
         absl::StatusOr<Hardware> hw = profiles::LoadProfile(profile);
         EXPECT_TRUE(hw.ok()) << hw.status();
         if (!hw.ok()) return nullptr;
         const std::string state = dir + "/state.yaml";
         testing::WriteFakeNvmlState(hw->gpus, state);
         testing::BuildFakeSysfs(hw->gpus, dir + "/sys");
         setenv("FAKE_NVML_STATE", state.c_str(), 1);
         NvmlOptions options;
         options.library_path = DRA_FAKE_NVML_PATH;
         options.sysfs_root = dir + "/sys";
         absl::StatusOr<std::unique_ptr<NvmlGpuDiscovery>> d = NvmlGpuDiscovery::Create(options);
         EXPECT_TRUE(d.ok()) << d.status();
         return d.ok() ? std::move(*d) : nullptr;
       }},
  };
}

class GpuDiscoveryTest : public ::testing::TestWithParam<std::tuple<Implementation, std::string>> {
 protected:
  void SetUp() override {
    const auto& [impl, profile] = GetParam();
    dir_ = ::testing::TempDir() + "/gpu_discovery_" + impl.name + "_" + profile + "_" +
           std::to_string(getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    discovery_ = impl.make(profile, dir_);
    ASSERT_NE(discovery_, nullptr);
    absl::StatusOr<Hardware> hw = profiles::LoadProfile(profile);
    ASSERT_TRUE(hw.ok()) << hw.status();
    expected_ = hw->gpus;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
  std::unique_ptr<GpuDiscovery> discovery_;
  std::vector<GpuInfo> expected_;
};

TEST_P(GpuDiscoveryTest, ReportsTheProfilesGpus) {
  absl::StatusOr<std::vector<GpuInfo>> gpus = discovery_->Discover();
  ASSERT_TRUE(gpus.ok()) << gpus.status();
  ASSERT_EQ(gpus->size(), expected_.size());
  for (size_t i = 0; i < gpus->size(); ++i) {
    const GpuInfo& got = (*gpus)[i];
    const GpuInfo& want = expected_[i];
    EXPECT_EQ(got.uuid, want.uuid) << i;
    EXPECT_EQ(got.product_name, want.product_name) << i;
    EXPECT_EQ(got.pci, want.pci) << i;
    EXPECT_EQ(got.mig_profiles, want.mig_profiles) << i;
    EXPECT_EQ(got.mig_devices, want.mig_devices) << i;
    EXPECT_EQ(got, want) << "GPU " << i;
  }
}

TEST_P(GpuDiscoveryTest, Invariants) {
  absl::StatusOr<std::vector<GpuInfo>> gpus = discovery_->Discover();
  ASSERT_TRUE(gpus.ok()) << gpus.status();
  for (size_t i = 0; i < gpus->size(); ++i) {
    const GpuInfo& g = (*gpus)[i];
    EXPECT_EQ(g.index, static_cast<int>(i));
    EXPECT_TRUE(std::is_sorted(g.mig_profiles.begin(), g.mig_profiles.end(),
                               [](const MigProfile& a, const MigProfile& b) {
                                 return std::tie(a.slice_count, a.memory_mib, a.name) <
                                        std::tie(b.slice_count, b.memory_mib, b.name);
                               }));
    EXPECT_TRUE(std::is_sorted(g.mig_devices.begin(), g.mig_devices.end(),
                               [](const MigDevice& a, const MigDevice& b) {
                                 return a.placement.start < b.placement.start;
                               }));
    EXPECT_TRUE(g.mig_enabled || g.mig_devices.empty());
    EXPECT_TRUE(g.mig_capable || g.mig_profiles.empty());
    for (const MigDevice& m : g.mig_devices) {
      EXPECT_TRUE(std::any_of(g.mig_profiles.begin(), g.mig_profiles.end(),
                              [&](const MigProfile& p) { return p.name == m.profile; }));
    }
  }
}

TEST_P(GpuDiscoveryTest, PublishesTheSameDevices) {
  absl::StatusOr<std::vector<GpuInfo>> gpus = discovery_->Discover();
  ASSERT_TRUE(gpus.ok()) << gpus.status();
  absl::StatusOr<DriverResources> got = GpuDriverResources(*gpus);
  absl::StatusOr<DriverResources> want = GpuDriverResources(expected_);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_TRUE(want.ok()) << want.status();
  EXPECT_EQ(*got, *want);
}

TEST_P(GpuDiscoveryTest, Repeatable) {
  absl::StatusOr<std::vector<GpuInfo>> first = discovery_->Discover();
  absl::StatusOr<std::vector<GpuInfo>> second = discovery_->Discover();
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*first, *second);
}

INSTANTIATE_TEST_SUITE_P(All, GpuDiscoveryTest,
                         ::testing::Combine(::testing::ValuesIn(Implementations()),
                                            ::testing::ValuesIn(profiles::BuiltinProfileNames())),
                         [](const ::testing::TestParamInfo<GpuDiscoveryTest::ParamType>& info) {
                           std::string name =
                               std::get<0>(info.param).name + "_" + std::get<1>(info.param);
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace dra::driver::gpu
