#include "dra/driver/gpu/health.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::driver::gpu {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(HealthTest, XidTaints) {
  api::DeviceTaint t = XidTaint(79);
  EXPECT_EQ(t.key, "gpu.nvidia.com/xid");
  EXPECT_EQ(t.value, "79");
  EXPECT_EQ(t.effect, "NoSchedule");
  EXPECT_FALSE(t.time_added.has_value());
  for (uint64_t app : {13, 31, 43, 45, 68, 109}) {
    EXPECT_TRUE(IsApplicationXid(app));
    EXPECT_EQ(XidTaint(app).effect, "None") << app;
  }
  EXPECT_FALSE(IsApplicationXid(48));
  HealthOptions options;
  options.additional_xids_to_ignore = {48};
  EXPECT_EQ(XidTaint(48, options).effect, "None");
  EXPECT_EQ(XidTaint(48).effect, "NoSchedule");
}

TEST(HealthTest, OtherTaints) {
  EXPECT_EQ(GpuLostTaint().key, "gpu.nvidia.com/gpu-lost");
  EXPECT_EQ(GpuLostTaint().effect, "NoSchedule");
  EXPECT_EQ(GpuLostTaint().value, "");
  EXPECT_EQ(UnmonitoredTaint().key, "gpu.nvidia.com/unmonitored");
  EXPECT_EQ(UnmonitoredTaint().effect, "None");
}

TEST(HealthTest, ParseXidList) {
  EXPECT_THAT(*ParseXidList("48, 79,94"), ElementsAre(48, 79, 94));
  EXPECT_TRUE(ParseXidList("")->empty());
  EXPECT_THAT(std::string(ParseXidList("48,x").status().message()),
              HasSubstr("element 1 (\"x\") is not a number"));
  EXPECT_THAT(std::string(ParseXidList("48,,2").status().message()),
              HasSubstr("element 1 is empty"));
}

}  // namespace
}  // namespace dra::driver::gpu
