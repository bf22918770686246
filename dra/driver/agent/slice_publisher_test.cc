#include "dra/driver/agent/slice_publisher.h"

#include <string>
#include <vector>

#include "dra/api/codec/codec.h"
#include "dra/api/validation/validation.h"
#include "dra/base/strings.h"
#include "dra/client/internal/test_server.h"
#include "dra/client/resource_ref.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::driver {
namespace {

using ::testing::SizeIs;

api::Device MakeDevice(int i, bool counters = false) {
  api::Device device;
  device.name = StrCat("dev-", i);
  device.attributes["index"].int_ = i;
  if (counters) {
    api::DeviceCounterConsumption consumption;
    consumption.counter_set = StrCat("set-", i % 4);
    consumption.counters["memory"].value = *Quantity::Parse("1Gi");
    device.consumes_counters.push_back(consumption);
  }
  return device;
}

DriverResources MakeResources(int devices, int counter_sets) {
  DriverResources resources;
  resources.driver = "test.example.com";
  for (int i = 0; i < counter_sets; ++i) {
    api::CounterSet set;
    set.name = StrCat("set-", i);
    set.counters["memory"].value = *Quantity::Parse("80Gi");
    resources.shared_counters.push_back(set);
  }
  for (int i = 0; i < devices; ++i) resources.devices.push_back(MakeDevice(i, counter_sets > 0));
  return resources;
}

TEST(SplitIntoSlicesTest, LimitsAndSeparateCounterSlices) {
  std::vector<api::ResourceSliceSpec> plain = SplitIntoSlices(MakeResources(300, 0), "node-1");
  ASSERT_THAT(plain, SizeIs(3));
  EXPECT_THAT(plain[0].devices, SizeIs(128));
  EXPECT_THAT(plain[2].devices, SizeIs(44));
  EXPECT_EQ(plain[1].pool.name, "node-1");
  EXPECT_EQ(plain[1].pool.resource_slice_count, 3);
  EXPECT_EQ(plain[1].node_name, "node-1");

  std::vector<api::ResourceSliceSpec> partitioned =
      SplitIntoSlices(MakeResources(100, 10), "node-1");
  ASSERT_THAT(partitioned, SizeIs(4));  // 8 + 2 counter sets, then 64 + 36 devices
  EXPECT_THAT(partitioned[0].shared_counters, SizeIs(8));
  EXPECT_TRUE(partitioned[0].devices.empty());
  EXPECT_THAT(partitioned[1].shared_counters, SizeIs(2));
  EXPECT_THAT(partitioned[2].devices, SizeIs(64));
  EXPECT_TRUE(partitioned[2].shared_counters.empty());

  std::vector<api::ResourceSliceSpec> empty = SplitIntoSlices(MakeResources(0, 0), "node-1");
  ASSERT_THAT(empty, SizeIs(1));
  EXPECT_TRUE(empty[0].devices.empty());
}

TEST(SplitIntoSlicesTest, SlicesPassValidation) {
  std::vector<api::ResourceSliceSpec> specs = SplitIntoSlices(MakeResources(100, 10), "node-1");
  for (size_t i = 0; i < specs.size(); ++i) {
    api::ResourceSlice slice;
    slice.metadata.name =
        StrCat(SliceNamePrefix(static_cast<int>(i), "test.example.com", "node-1"), "abcde");
    slice.spec = specs[i];
    slice.spec.pool.generation = 1;
    EXPECT_TRUE(api::ValidateResourceSlice(slice).empty())
        << api::ValidateResourceSlice(slice).front().ToString();
  }
  EXPECT_EQ(SliceNamePrefix(10, "gpu.nvidia.com", "n1"), "0000a-gpu.nvidia.com-n1-");
}

class SlicePublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.status().ok()) << server_.status();
    client_ = server_.Client();
    ASSERT_NE(client_, nullptr);
    api::Node node;
    node.metadata.name = "node-1";
    absl::StatusOr<api::Value> created =
        client_->Create(client::Nodes(), "", api::EncodeObject(node));
    ASSERT_TRUE(created.ok()) << created.status();
  }

  std::vector<api::ResourceSlice> Slices() {
    absl::StatusOr<client::ListResult> list = client_->List(client::ResourceSlices(), "");
    EXPECT_TRUE(list.ok()) << list.status();
    std::vector<api::ResourceSlice> slices;
    if (!list.ok()) return slices;
    for (const api::Value& item : list->items) {
      slices.push_back(*api::DecodeAs<api::ResourceSlice>(item));
    }
    return slices;
  }

  client::testing::TestServer server_;
  std::unique_ptr<client::RestClient> client_;
};

TEST_F(SlicePublisherTest, CreatesUpdatesShrinksAndIsIdempotent) {
  SlicePublisher publisher(client_.get(), {.node_name = "node-1"});
  absl::StatusOr<PublishResult> first = publisher.Publish(MakeResources(200, 0));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->created, 2);
  EXPECT_EQ(first->generation, 1);
  std::vector<api::ResourceSlice> slices = Slices();
  ASSERT_THAT(slices, SizeIs(2));
  for (const api::ResourceSlice& slice : slices) {
    EXPECT_EQ(slice.spec.pool.generation, 1);
    EXPECT_EQ(slice.spec.pool.resource_slice_count, 2);
    ASSERT_THAT(slice.metadata.owner_references, SizeIs(1));
    EXPECT_EQ(slice.metadata.owner_references[0].kind, "Node");
    EXPECT_EQ(slice.metadata.owner_references[0].name, "node-1");
    EXPECT_FALSE(slice.metadata.owner_references[0].uid.empty());
  }
  // Sorted by name, the slices list the devices in order.
  EXPECT_EQ(slices[0].spec.devices[0].name, "dev-0");
  EXPECT_EQ(slices[1].spec.devices[0].name, "dev-128");

  absl::StatusOr<PublishResult> again = publisher.Publish(MakeResources(200, 0));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->changed());
  EXPECT_EQ(again->generation, 1);

  // A fresh publisher (agent restart) also finds nothing to do.
  SlicePublisher restarted(client_.get(), {.node_name = "node-1"});
  absl::StatusOr<PublishResult> after_restart = restarted.Publish(MakeResources(200, 0));
  ASSERT_TRUE(after_restart.ok());
  EXPECT_FALSE(after_restart->changed());

  absl::StatusOr<PublishResult> shrunk = publisher.Publish(MakeResources(10, 0));
  ASSERT_TRUE(shrunk.ok()) << shrunk.status();
  EXPECT_EQ(shrunk->deleted, 1);
  EXPECT_EQ(shrunk->updated, 1);
  EXPECT_EQ(shrunk->generation, 2);
  slices = Slices();
  ASSERT_THAT(slices, SizeIs(1));
  EXPECT_THAT(slices[0].spec.devices, SizeIs(10));
  EXPECT_EQ(slices[0].spec.pool.resource_slice_count, 1);

  ASSERT_TRUE(publisher.Unpublish("test.example.com").ok());
  EXPECT_TRUE(Slices().empty());
}

TEST_F(SlicePublisherTest, TaintsRepublishOnlyWhenTheyChange) {
  SlicePublisher publisher(client_.get(), {.node_name = "node-1"});
  DriverResources resources = MakeResources(4, 0);
  ASSERT_TRUE(publisher.Publish(resources).ok());
  resources.devices[1].taints.push_back(
      {.key = "gpu.nvidia.com/xid", .value = "79", .effect = "NoSchedule"});
  absl::StatusOr<PublishResult> tainted = publisher.Publish(resources);
  ASSERT_TRUE(tainted.ok()) << tainted.status();
  EXPECT_TRUE(tainted->changed());
  EXPECT_EQ(tainted->generation, 2);
  std::vector<api::ResourceSlice> slices = Slices();
  ASSERT_THAT(slices, SizeIs(1));
  ASSERT_THAT(slices[0].spec.devices[1].taints, SizeIs(1));
  EXPECT_TRUE(slices[0].spec.devices[1].taints[0].time_added.has_value());
  // The server filled in timeAdded: publishing the same taint again writes nothing.
  absl::StatusOr<PublishResult> same = publisher.Publish(resources);
  ASSERT_TRUE(same.ok());
  EXPECT_FALSE(same->changed());
}

TEST_F(SlicePublisherTest, ForeignAndStaleSlicesAreReplaced) {
  // A slice of this driver and node with a name the publisher did not choose (e.g. written by
  // an older agent) is obsolete; another node's slices are left alone.
  for (const char* node : {"node-1", "node-2"}) {
    api::ResourceSlice slice;
    slice.metadata.name = StrCat(node, "-test.example.com-old");
    slice.spec.driver = "test.example.com";
    slice.spec.node_name = node;
    slice.spec.pool = {.name = node, .generation = 7, .resource_slice_count = 1};
    ASSERT_TRUE(client_->Create(client::ResourceSlices(), "", api::EncodeObject(slice)).ok());
  }
  SlicePublisher publisher(client_.get(), {.node_name = "node-1"});
  absl::StatusOr<PublishResult> result = publisher.Publish(MakeResources(3, 0));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->deleted, 1);
  EXPECT_EQ(result->created, 1);
  EXPECT_EQ(result->generation, 8);
  std::vector<api::ResourceSlice> slices = Slices();
  ASSERT_THAT(slices, SizeIs(2));
  EXPECT_EQ(slices[0].metadata.name.substr(0, 6), "00000-");
  EXPECT_EQ(slices[1].metadata.name, "node-2-test.example.com-old");
}

TEST_F(SlicePublisherTest, WithoutNodeNoOwnerReference) {
  SlicePublisher publisher(client_.get(), {.node_name = "ghost"});
  ASSERT_TRUE(publisher.Publish(MakeResources(1, 0)).ok());
  std::vector<api::ResourceSlice> slices = Slices();
  ASSERT_THAT(slices, SizeIs(1));
  EXPECT_TRUE(slices[0].metadata.owner_references.empty());
}

}  // namespace
}  // namespace dra::driver
