#include "dra/driver/agent/gpu_config.h"

#include "dra/api/codec/codec.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::driver {
namespace {

using ::testing::HasSubstr;

api::Value Parse(const std::string& yaml) { return (*api::ParseDocuments(yaml))[0]; }

TEST(GpuConfigTest, DecodesTimeSlicingAndMps) {
  absl::StatusOr<GpuConfig> ts = DecodeGpuConfig(Parse(R"(
apiVersion: resource.nvidia.com/v1beta1
kind: GpuConfig
sharing:
  strategy: TimeSlicing
  timeSlicingConfig:
    interval: Long
)"));
  ASSERT_TRUE(ts.ok()) << ts.status();
  EXPECT_EQ(ts->kind, "GpuConfig");
  EXPECT_EQ(ts->sharing->strategy, "TimeSlicing");
  EXPECT_EQ(TimeSliceValue(*ts->sharing->time_slice_interval), 3);

  absl::StatusOr<GpuConfig> mps = DecodeGpuConfig(Parse(R"(
apiVersion: resource.nvidia.com/v1beta1
kind: MigDeviceConfig
sharing:
  strategy: MPS
  mpsConfig:
    defaultActiveThreadPercentage: 50
    defaultPinnedDeviceMemoryLimit: 10Gi
    defaultPerDevicePinnedMemoryLimit:
      "1": 5Gi
)"));
  ASSERT_TRUE(mps.ok()) << mps.status();
  EXPECT_EQ(mps->sharing->mps->default_active_thread_percentage, 50);
  absl::StatusOr<std::map<std::string, std::string>> limits =
      NormalizePinnedMemoryLimits(*mps->sharing->mps, {"GPU-a", "GPU-b"});
  ASSERT_TRUE(limits.ok()) << limits.status();
  EXPECT_EQ((*limits)["GPU-a"], "10240M");
  EXPECT_EQ((*limits)["GPU-b"], "5120M");
  EXPECT_THAT(
      std::string(NormalizePinnedMemoryLimits(*mps->sharing->mps, {"GPU-a"}).status().message()),
      HasSubstr("invalid device index: 1"));
}

TEST(GpuConfigTest, ErrorsAsNvidiaWordsThem) {
  struct Case {
    std::string yaml;
    std::string error;
  } cases[] = {
      {"apiVersion: resource.nvidia.com/v1beta1\nkind: GpuConfig\nsharing:\n  strategy: Magic\n",
       "sharing.strategy: unknown GPU sharing strategy: Magic"},
      {"apiVersion: resource.nvidia.com/v1beta1\nkind: GpuConfig\nsharing:\n  strategy: "
       "TimeSlicing\n  timeSlicingConfig:\n    interval: Forever\n",
       "unknown time-slice interval: Forever"},
      {"apiVersion: resource.nvidia.com/v1beta1\nkind: GpuConfig\nsharing:\n  strategy: MPS\n  "
       "mpsConfig:\n    defaultActiveThreadPercentage: 101\n",
       "active thread percentage must not be greater than 100"},
      {"apiVersion: resource.nvidia.com/v1beta1\nkind: GpuConfig\nsharing:\n  strategy: MPS\n  "
       "timeSlicingConfig: {}\n",
       "cannot use TimeSlicingConfig with the 'MPS' strategy"},
      {"apiVersion: resource.nvidia.com/v1beta1\nkind: GpuConfig\nsharring: {}\n",
       "sharring: unknown field"},
      {"apiVersion: resource.nvidia.com/v1beta1\nkind: MigDeviceConfig\nsharing:\n  strategy: "
       "TimeSlicing\n  timeSlicingConfig: {}\n",
       "sharing.timeSlicingConfig: unknown field"},
      {"apiVersion: gpu.resource.nvidia.com/v1alpha1\nkind: GpuConfig\n", "apiVersion"},
      {"apiVersion: resource.nvidia.com/v1beta1\nkind: ComputeDomain\n", "unsupported kind"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<GpuConfig> config = DecodeGpuConfig(Parse(c.yaml));
    ASSERT_FALSE(config.ok()) << c.yaml;
    EXPECT_THAT(std::string(config.status().message()), HasSubstr(c.error)) << c.yaml;
  }
}

TEST(GpuConfigTest, LastMatchingConfigWins) {
  auto config = [](std::string source, std::vector<std::string> requests, std::string driver,
                   std::string marker) {
    api::DeviceAllocationConfiguration c;
    c.source = source;
    c.requests = requests;
    c.opaque = api::OpaqueDeviceConfiguration{
        .driver = driver, .parameters = api::Value::Object({{"m", api::Value::String(marker)}})};
    return c;
  };
  std::vector<api::DeviceAllocationConfiguration> configs = {
      config("FromClass", {}, "gpu.nvidia.com", "class"),
      config("FromClaim", {"a"}, "gpu.nvidia.com", "claim-a"),
      config("FromClaim", {}, "other.example.com", "other"),
  };
  EXPECT_EQ(ConfigForResult(configs, "gpu.nvidia.com", "a")->parameters.Find("m")->text(),
            "claim-a");
  EXPECT_EQ(ConfigForResult(configs, "gpu.nvidia.com", "a/sub")->parameters.Find("m")->text(),
            "claim-a");
  EXPECT_EQ(ConfigForResult(configs, "gpu.nvidia.com", "b")->parameters.Find("m")->text(), "class");
  EXPECT_EQ(ConfigForResult(configs, "none.example.com", "b"), nullptr);
}

}  // namespace
}  // namespace dra::driver
