#include "dra/driver/gpu/nvml_discovery.h"

#include <dlfcn.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <vector>

#include "dra/api/validation/validation.h"
#include "dra/driver/gpu/gpu_devices.h"
#include "dra/driver/gpu/internal/nvml_api.h"
#include "dra/driver/gpu/testdata/fake_nvml_env.h"
#include "dra/driver/profiles/profiles.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::driver::gpu {
namespace {

using ::testing::HasSubstr;

// The fake library's test hooks.
struct FakeHooks {
  FakeHooks() {
    handle = dlopen(DRA_FAKE_NVML_PATH, RTLD_NOW | RTLD_LOCAL);
    inject_xid =
        reinterpret_cast<int (*)(const char*, unsigned long long, unsigned int, unsigned int)>(
            dlsym(handle, "FakeNvmlInjectXid"));
    inject_lost = reinterpret_cast<void (*)()>(dlsym(handle, "FakeNvmlInjectGpuLost"));
    init_count = reinterpret_cast<int (*)()>(dlsym(handle, "FakeNvmlInitCount"));
  }
  ~FakeHooks() { dlclose(handle); }
  void* handle;
  int (*inject_xid)(const char*, unsigned long long, unsigned int, unsigned int);
  void (*inject_lost)();
  int (*init_count)();
};

class NvmlDiscoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/nvml_discovery_" + std::to_string(getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    absl::StatusOr<Hardware> hw = profiles::LoadProfile("a100-mig");
    ASSERT_TRUE(hw.ok());
    gpus_ = hw->gpus;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<NvmlGpuDiscovery> Make(const std::vector<int>& events_unsupported = {}) {
    testing::WriteFakeNvmlState(gpus_, dir_ + "/state.yaml", events_unsupported);
    testing::BuildFakeSysfs(gpus_, dir_ + "/sys");
    setenv("FAKE_NVML_STATE", (dir_ + "/state.yaml").c_str(), 1);
    NvmlOptions options;
    options.library_path = DRA_FAKE_NVML_PATH;
    options.sysfs_root = dir_ + "/sys";
    absl::StatusOr<std::unique_ptr<NvmlGpuDiscovery>> d = NvmlGpuDiscovery::Create(options);
    EXPECT_TRUE(d.ok()) << d.status();
    return d.ok() ? std::move(*d) : nullptr;
  }

  std::string dir_;
  std::vector<GpuInfo> gpus_;
};

TEST_F(NvmlDiscoveryTest, MissingLibraryIsNotFound) {
  NvmlOptions options;
  options.library_path = dir_ + "/libnvidia-ml.so.1";
  absl::StatusOr<std::unique_ptr<NvmlGpuDiscovery>> d = NvmlGpuDiscovery::Create(options);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(d.status().message()), HasSubstr("NVML library"));
  EXPECT_THAT(std::string(d.status().message()), HasSubstr("NVIDIA driver installed"));
}

TEST_F(NvmlDiscoveryTest, LibraryWithoutNvmlIsFailedPrecondition) {
  NvmlOptions options;
  options.library_path = "libm.so.6";
  absl::StatusOr<std::unique_ptr<NvmlGpuDiscovery>> d = NvmlGpuDiscovery::Create(options);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(d.status().message()), HasSubstr("has no function nvmlInitWithFlags"));
}

TEST_F(NvmlDiscoveryTest, InitFailureIsUnavailable) {
  std::unique_ptr<NvmlGpuDiscovery> d = Make();
  ASSERT_NE(d, nullptr);
  std::ofstream(dir_ + "/state.yaml") << "initError: 9\n";
  absl::StatusOr<std::vector<GpuInfo>> gpus = d->Discover();
  ASSERT_FALSE(gpus.ok());
  EXPECT_EQ(gpus.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(gpus.status().message()), HasSubstr("kernel driver is not loaded"));
}

TEST_F(NvmlDiscoveryTest, NoGpus) {
  gpus_.clear();
  std::unique_ptr<NvmlGpuDiscovery> d = Make();
  ASSERT_NE(d, nullptr);
  absl::StatusOr<std::vector<GpuInfo>> gpus = d->Discover();
  ASSERT_TRUE(gpus.ok()) << gpus.status();
  EXPECT_TRUE(gpus->empty());
}

TEST_F(NvmlDiscoveryTest, OptionalQueriesAndSysfs) {
  gpus_.resize(2);
  gpus_[0].addressing_mode = "HMM";
  gpus_[0].memory_bytes.reset();
  gpus_[0].mig_capable = false;
  gpus_[0].mig_enabled = false;
  gpus_[0].mig_profiles.clear();
  gpus_[0].mig_devices.clear();
  gpus_[0].nvlink_domain = "5f2e9a3c-1b7d-4e8a-9c61-2d4b8f0a7e13.7";
  gpus_[1].pci.pcie_root.reset();  // not in sysfs: no root, no NUMA node
  gpus_[1].pci.numa_node.reset();
  std::unique_ptr<NvmlGpuDiscovery> d = Make();
  ASSERT_NE(d, nullptr);
  absl::StatusOr<std::vector<GpuInfo>> gpus = d->Discover();
  ASSERT_TRUE(gpus.ok()) << gpus.status();
  ASSERT_EQ(gpus->size(), 2u);
  EXPECT_EQ((*gpus)[0], gpus_[0]);
  EXPECT_EQ((*gpus)[1], gpus_[1]);
}

TEST_F(NvmlDiscoveryTest, SessionsAreBalanced) {
  FakeHooks hooks;
  std::unique_ptr<NvmlGpuDiscovery> d = Make();
  ASSERT_NE(d, nullptr);
  ASSERT_TRUE(d->Discover().ok());
  EXPECT_EQ(hooks.init_count(), 0);
}

TEST_F(NvmlDiscoveryTest, XidWatcher) {
  FakeHooks hooks;
  std::unique_ptr<NvmlGpuDiscovery> d = Make(/*events_unsupported=*/{3});
  ASSERT_NE(d, nullptr);
  std::mutex mu;
  std::condition_variable cv;
  std::vector<GpuHealthEvent> events;
  auto watcher = d->WatchXids(
      [&](const GpuHealthEvent& e) {
        std::lock_guard<std::mutex> lock(mu);
        events.push_back(e);
        cv.notify_all();
      },
      /*wait_timeout_ms=*/20);
  ASSERT_TRUE(watcher.ok()) << watcher.status();
  ASSERT_EQ(hooks.inject_xid(gpus_[1].uuid.c_str(), 79, kNoInstanceId, kNoInstanceId), 0);
  ASSERT_EQ(hooks.inject_xid(gpus_[0].uuid.c_str(), 31, 2, 0), 0);
  hooks.inject_lost();
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return events.size() >= 4; }));
  }
  (*watcher)->Stop();
  (*watcher)->Stop();  // idempotent
  EXPECT_EQ(hooks.init_count(), 0);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].kind, GpuHealthEvent::Kind::kUnmonitored);
  EXPECT_EQ(events[0].gpu_uuid, gpus_[3].uuid);
  EXPECT_EQ(events[1].kind, GpuHealthEvent::Kind::kXid);
  EXPECT_EQ(events[1].xid, (XidEvent{gpus_[1].uuid, 79, kNoInstanceId, kNoInstanceId}));
  EXPECT_EQ(XidTaint(events[1].xid.xid).effect, "NoSchedule");
  EXPECT_EQ(events[2].xid, (XidEvent{gpus_[0].uuid, 31, 2, 0}));
  EXPECT_EQ(XidTaint(events[2].xid.xid).effect, "None");
  EXPECT_EQ(events[3].kind, GpuHealthEvent::Kind::kGpuLost);
}

TEST(NvmlHelpersTest, BusIdAndSysfs) {
  EXPECT_EQ(NormalizePciBusId("00000000:3B:00.0"), "0000:3b:00.0");
  EXPECT_EQ(NormalizePciBusId("0000:3b:00.0"), "0000:3b:00.0");
  EXPECT_EQ(NormalizePciBusId("00010000:3B:00.0"), "00010000:3b:00.0");
  EXPECT_EQ(PcieRootFromSysfs("/nonexistent", "0000:3b:00.0"), std::nullopt);
  EXPECT_EQ(NumaNodeFromSysfs("/nonexistent", "0000:3b:00.0"), std::nullopt);
}

TEST(NvmlHelpersTest, ProfileNames) {
  // H100 80GB (NVML total 80Gi), A100 40GB and A100 80GB as nvidia-smi names them.
  const unsigned long long gib = 1ULL << 30;
  EXPECT_EQ(nvml::MigProfileName(0, 1, 9984, 80 * gib), "1g.10gb");
  EXPECT_EQ(nvml::MigProfileName(7, 1, 9984, 80 * gib), "1g.10gb+me");
  EXPECT_EQ(nvml::MigProfileName(9, 1, 20096, 80 * gib), "1g.20gb");
  EXPECT_EQ(nvml::MigProfileName(4, 7, 81152, 80 * gib), "7g.80gb");
  EXPECT_EQ(nvml::MigProfileName(0, 1, 4864, 40 * gib), "1g.5gb");
  EXPECT_EQ(nvml::MigProfileName(2, 3, 19968, 40 * gib), "3g.20gb");
  EXPECT_EQ(nvml::MigProfileName(4, 7, 40192, 40 * gib), "7g.40gb");
  EXPECT_EQ(nvml::MigProfileName(13, 1, 9984, 80 * gib), "1g.10gb-me");
  EXPECT_EQ(nvml::MigProfileName(15, 1, 9984, 80 * gib), "1g.10gb+me.all");
  EXPECT_STREQ(nvml::BrandName(14), "Nvidia");
  EXPECT_STREQ(nvml::BrandName(2), "Tesla");
  EXPECT_STREQ(nvml::ArchitectureName(8), "Ada Lovelace");
  EXPECT_STREQ(nvml::ArchitectureName(0xffffffff), "Unknown");
}

// The real NVML, on machines that have it (ctest label "gpu"); skipped elsewhere.
TEST(RealNvmlTest, DiscoversAndPublishes) {
  absl::StatusOr<std::unique_ptr<NvmlGpuDiscovery>> d = NvmlGpuDiscovery::Create();
  if (!d.ok() && d.status().code() == absl::StatusCode::kNotFound) {
    GTEST_SKIP() << "no NVIDIA driver here: " << d.status();
  }
  ASSERT_TRUE(d.ok()) << d.status();
  absl::StatusOr<std::vector<GpuInfo>> gpus = (*d)->Discover();
  if (!gpus.ok() && gpus.status().code() == absl::StatusCode::kUnavailable) {
    GTEST_SKIP() << "NVML library present but unusable: " << gpus.status();
  }
  ASSERT_TRUE(gpus.ok()) << gpus.status();
  for (const GpuInfo& g : *gpus) {
    std::cout << "GPU " << g.index << ": " << g.product_name << " " << g.uuid << " " << g.pci.bus_id
              << " root " << g.pci.pcie_root.value_or("-") << " cc " << g.cuda_compute_capability
              << " arch " << g.architecture << " brand " << g.brand << " MIG "
              << (g.mig_capable ? (g.mig_enabled ? "on" : "off") : "n/a") << " with "
              << g.mig_profiles.size() << " profiles\n";
    for (const MigProfile& p : g.mig_profiles) {
      std::cout << "  " << p.name << " id " << p.gpu_instance_profile_id << " slices "
                << p.slice_count << " " << p.memory_mib << "MiB sm " << p.multiprocessors
                << " placements " << p.placements.size() << "\n";
    }
  }
  absl::StatusOr<DriverResources> r = GpuDriverResources(*gpus);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->devices.empty(), gpus->empty());
}

}  // namespace
}  // namespace dra::driver::gpu
