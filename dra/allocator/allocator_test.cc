#include "dra/allocator/allocator.h"

#include <string>
#include <thread>
#include <vector>

#include "dra/api/codec/reflect.h"
#include "dra/api/codec/yaml.h"
#include "gtest/gtest.h"

namespace dra::allocator {
namespace {

template <typename T>
T Parse(const std::string& yaml) {
  absl::StatusOr<std::vector<api::Value>> docs = api::ParseYamlDocuments(yaml);
  EXPECT_TRUE(docs.ok()) << docs.status();
  T out;
  EXPECT_TRUE(api::DecodeValue((*docs)[0], out, /*strict=*/false).empty()) << yaml;
  return out;
}

api::DeviceClass Class(const std::string& name, const std::string& expr = "") {
  api::DeviceClass c;
  c.metadata.name = name;
  if (!expr.empty()) c.spec.selectors.push_back(api::DeviceSelector{api::CELDeviceSelector{expr}});
  return c;
}

// A slice on node-1 (or the given node selection YAML) with the given devices YAML.
api::ResourceSlice Slice(const std::string& name, const std::string& pool,
                         const std::string& devices, const std::string& node = "nodeName: node-1",
                         int count = 1, int generation = 1, const std::string& driver = "drv") {
  return Parse<api::ResourceSlice>(
      "metadata: {name: " + name + "}\nspec:\n  driver: " + driver + "\n  pool: {name: " + pool +
      ", resourceSliceCount: " + std::to_string(count) +
      ", generation: " + std::to_string(generation) + "}\n  " + node + "\n  devices:\n" + devices);
}

api::ResourceClaim Claim(const std::string& name, const std::string& devices) {
  return Parse<api::ResourceClaim>("metadata: {name: " + name + "}\nspec:\n  devices:\n" + devices);
}

const char* kTwoDevices =
    "  - name: dev-a\n    attributes: {model: {string: a}, numa: {int: 0}}\n"
    "  - name: dev-b\n    attributes: {model: {string: b}, numa: {int: 1}}\n";

api::ResourceClaim OneDevice(const std::string& name = "claim", const std::string& extra = "") {
  return Claim(name,
               "    requests:\n    - name: req\n      exactly:\n        deviceClassName: cls\n"
               "        allocationMode: ExactCount\n        count: 1\n" +
                   extra);
}

const NodeInfo kNode{"node-1", {{"zone", "z1"}}};

AllocationOutcome RunAlloc(Snapshot snapshot, const std::vector<api::ResourceClaim>& claims,
                           const NodeInfo& node = kNode) {
  absl::StatusOr<std::unique_ptr<const Allocator>> a = Allocator::Create(std::move(snapshot));
  EXPECT_TRUE(a.ok());
  absl::StatusOr<AllocationOutcome> out = (*a)->Allocate(node, claims);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? *out : AllocationOutcome{};
}

absl::Status RunError(Snapshot snapshot, const std::vector<api::ResourceClaim>& claims) {
  absl::StatusOr<std::unique_ptr<const Allocator>> a = Allocator::Create(std::move(snapshot));
  EXPECT_TRUE(a.ok());
  return (*a)->Allocate(kNode, claims).status();
}

TEST(AllocatorTest, FirstFitWithNodeLocalSelector) {
  Snapshot s;
  s.classes = {Class("cls", "device.driver == \"drv\"")};
  s.slices = {Slice("s1", "p1", kTwoDevices)};
  AllocationOutcome out = RunAlloc(s, {OneDevice()});
  ASSERT_TRUE(out.allocated());
  ASSERT_EQ(out.results.size(), 1u);
  ASSERT_EQ(out.results[0].devices.results.size(), 1u);
  EXPECT_EQ(out.results[0].devices.results[0].device, "dev-a");
  ASSERT_TRUE(out.results[0].node_selector.has_value());
  EXPECT_EQ(out.results[0].node_selector->node_selector_terms[0].match_fields[0].values[0],
            "node-1");
}

TEST(AllocatorTest, NoClaimsIsAllocatedAndEmpty) {
  AllocationOutcome out = RunAlloc(Snapshot{}, {});
  EXPECT_TRUE(out.allocated());
  EXPECT_TRUE(out.results.empty());
}

TEST(AllocatorTest, UnknownClassIsFatal) {
  absl::Status st = RunError(Snapshot{}, {OneDevice()});
  EXPECT_NE(std::string(st.message()).find("could not retrieve device class cls"),
            std::string::npos)
      << st;
}

TEST(AllocatorTest, AllocatedDevicesAreSkippedAndExhaustionIsUnsatisfiable) {
  Snapshot s;
  s.classes = {Class("cls")};
  s.slices = {Slice("s1", "p1", kTwoDevices)};
  s.allocated.exclusive = {{"drv", "p1", "dev-a"}};
  AllocationOutcome out = RunAlloc(s, {OneDevice("c1"), OneDevice("c2")});
  EXPECT_EQ(out.kind, AllocationOutcome::Kind::kUnsatisfiable);
  out = RunAlloc(s, {OneDevice("c1")});
  ASSERT_TRUE(out.allocated());
  EXPECT_EQ(out.results[0].devices.results[0].device, "dev-b");
}

TEST(AllocatorTest, RequestSelectorAndCelRuntimeError) {
  Snapshot s;
  s.classes = {Class("cls")};
  s.slices = {Slice("s1", "p1", kTwoDevices)};
  AllocationOutcome out =
      RunAlloc(s, {OneDevice("c",
                             "        selectors:\n        - cel: {expression: "
                             "'device.attributes[\"drv\"].model == \"b\"'}\n")});
  ASSERT_TRUE(out.allocated());
  EXPECT_EQ(out.results[0].devices.results[0].device, "dev-b");
  absl::Status st = RunError(s, {OneDevice("c",
                                           "        selectors:\n        - cel: {expression: "
                                           "'device.attributes[\"drv\"].nope == 1'}\n")});
  EXPECT_NE(std::string(st.message()).find("claim c: selector #0: CEL runtime error"),
            std::string::npos)
      << st;
}

TEST(AllocatorTest, FirstAvailableBacktracksToLaterSubrequest) {
  Snapshot s;
  s.classes = {Class("cls")};
  s.slices = {Slice("s1", "p1", kTwoDevices)};
  api::ResourceClaim c =
      Claim("c",
            "    requests:\n    - name: r\n      firstAvailable:\n"
            "      - {name: two, deviceClassName: cls, allocationMode: ExactCount, count: 3}\n"
            "      - {name: one, deviceClassName: cls, allocationMode: ExactCount, count: 1}\n");
  AllocationOutcome out = RunAlloc(s, {c});
  ASSERT_TRUE(out.allocated());
  EXPECT_EQ(out.results[0].devices.results[0].request, "r/one");
  s.features.prioritized_list = false;
  EXPECT_NE(std::string(RunError(s, {c}).message()).find("DRAPrioritizedList feature is disabled"),
            std::string::npos);
}

TEST(AllocatorTest, MatchAttributeBacktracksAcrossRequests) {
  Snapshot s;
  s.classes = {Class("cls")};
  s.slices = {Slice("s1", "p1",
                    "  - name: d0\n    attributes: {numa: {int: 0}}\n"
                    "  - name: d1\n    attributes: {numa: {int: 1}}\n"
                    "  - name: d2\n    attributes: {numa: {int: 1}}\n")};
  api::ResourceClaim c = Claim(
      "c",
      "    requests:\n"
      "    - {name: a, exactly: {deviceClassName: cls, allocationMode: ExactCount, count: 1}}\n"
      "    - {name: b, exactly: {deviceClassName: cls, allocationMode: ExactCount, count: 1}}\n"
      "    constraints:\n    - {matchAttribute: drv/numa}\n");
  AllocationOutcome out = RunAlloc(s, {c});
  ASSERT_TRUE(out.allocated());
  EXPECT_EQ(out.results[0].devices.results[0].device, "d1");
  EXPECT_EQ(out.results[0].devices.results[1].device, "d2");
}

TEST(AllocatorTest, AdminAccessIgnoresAllocatedButNotTaints) {
  Snapshot s;
  s.classes = {Class("cls")};
  s.slices = {Slice("s1", "p1", "  - name: d0\n")};
  s.allocated.exclusive = {{"drv", "p1", "d0"}};
  AllocationOutcome out = RunAlloc(s, {OneDevice("c", "        adminAccess: true\n")});
  ASSERT_TRUE(out.allocated());
  EXPECT_EQ(out.results[0].devices.results[0].admin_access, std::optional<bool>(true));
  s.slices = {
      Slice("s1", "p1", "  - name: d0\n    taints: [{key: k, value: v, effect: NoSchedule}]\n")};
  EXPECT_FALSE(RunAlloc(s, {OneDevice("c", "        adminAccess: true\n")}).allocated());
  out =
      RunAlloc(s, {OneDevice("c",
                             "        adminAccess: true\n        tolerations: [{key: k, operator: "
                             "Exists}]\n")});
  EXPECT_TRUE(out.allocated());
  s.features.admin_access = false;
  EXPECT_FALSE(RunError(s, {OneDevice("c", "        adminAccess: false\n")}).ok());
}

TEST(AllocatorTest, SharedCountersLimitPartitions) {
  Snapshot s;
  s.classes = {Class("cls")};
  api::ResourceSlice counters = Parse<api::ResourceSlice>(
      "metadata: {name: s0}\nspec:\n  driver: drv\n  pool: {name: p1, resourceSliceCount: 2, "
      "generation: 1}\n  nodeName: node-1\n  sharedCounters:\n  - name: gpu\n    counters: "
      "{mem: {value: 8Gi}}\n");
  s.slices = {counters,
              Slice("s1", "p1",
                    "  - name: big\n    consumesCounters: [{counterSet: gpu, counters: {mem: "
                    "{value: 6Gi}}}]\n"
                    "  - name: small\n    consumesCounters: [{counterSet: gpu, counters: {mem: "
                    "{value: 4Gi}}}]\n",
                    "nodeName: node-1", 2)};
  EXPECT_FALSE(RunAlloc(s, {OneDevice("c1"), OneDevice("c2")}).allocated());
  api::ResourceClaim two =
      Claim("c",
            "    requests:\n    - {name: r, exactly: {deviceClassName: cls, allocationMode: "
            "ExactCount, count: 1}}\n");
  EXPECT_TRUE(RunAlloc(s, {two}).allocated());
}

TEST(AllocatorTest, IncompleteAndInvalidPools) {
  Snapshot s;
  s.classes = {Class("cls")};
  s.slices = {Slice("s1", "p1", kTwoDevices, "nodeName: node-1", /*count=*/2)};
  EXPECT_EQ(RunAlloc(s, {OneDevice()}).kind, AllocationOutcome::Kind::kUnsatisfiable);
  api::ResourceClaim all = Claim(
      "c",
      "    requests:\n    - {name: r, exactly: {deviceClassName: cls, allocationMode: All}}\n");
  EXPECT_NE(std::string(RunError(s, {all}).message()).find("is currently being updated"),
            std::string::npos);
  s.slices = {Slice("s1", "p1", "  - name: d\n  - name: d\n")};
  AllocationOutcome out = RunAlloc(s, {OneDevice()});
  EXPECT_EQ(out.kind, AllocationOutcome::Kind::kFailedOnNode);
  EXPECT_EQ(out.message, "invalid resource pools were encountered");
}

TEST(AllocatorTest, ObsoleteGenerationIsIgnored) {
  Snapshot s;
  s.classes = {Class("cls")};
  s.slices = {Slice("old", "p1", "  - name: stale\n", "nodeName: node-1", 2, 1),
              Slice("new", "p1", "  - name: fresh\n", "nodeName: node-2", 1, 2)};
  EXPECT_EQ(RunAlloc(s, {OneDevice()}).kind, AllocationOutcome::Kind::kUnsatisfiable);
}

TEST(AllocatorTest, TooManyDevices) {
  Snapshot s;
  s.classes = {Class("cls")};
  api::ResourceClaim c =
      Claim("c",
            "    requests:\n    - {name: r, exactly: {deviceClassName: cls, allocationMode: "
            "ExactCount, count: 33}}\n");
  EXPECT_NE(std::string(RunError(s, {c}).message())
                .find("number of requested devices 33 exceeds the claim limit of 32"),
            std::string::npos);
}

TEST(AllocatorTest, PoolsSortedByDriverThenNameBindingConditionsLast) {
  Snapshot s;
  s.classes = {Class("cls")};
  s.slices = {Slice("s1", "pool-b", "  - name: b\n"), Slice("s2", "pool-a", "  - name: a\n"),
              Slice("s3", "pool-0",
                    "  - name: z\n    bindingConditions: [c]\n"
                    "    bindingFailureConditions: [f]\n")};
  AllocationOutcome out = RunAlloc(s, {OneDevice()});
  ASSERT_TRUE(out.allocated());
  EXPECT_EQ(out.results[0].devices.results[0].pool, "pool-a");
}

TEST(AllocatorTest, MultiAllocatableDeviceSharesCapacity) {
  Snapshot s;
  s.classes = {Class("cls")};
  s.slices = {Slice("s1", "p1",
                    "  - name: nic\n    allowMultipleAllocations: true\n"
                    "    capacity: {bw: {value: 10G}}\n")};
  std::string cap = "        capacity: {requests: {bw: 4G}}\n";
  AllocationOutcome out = RunAlloc(s, {OneDevice("c1", cap), OneDevice("c2", cap)});
  ASSERT_TRUE(out.allocated());
  const auto& r0 = out.results[0].devices.results[0];
  const auto& r1 = out.results[1].devices.results[0];
  ASSERT_TRUE(r0.share_id.has_value() && r1.share_id.has_value());
  EXPECT_NE(*r0.share_id, *r1.share_id);
  EXPECT_EQ(r0.consumed_capacity.at("bw"), *Quantity::Parse("4G"));
  EXPECT_FALSE(
      RunAlloc(s, {OneDevice("c1", cap), OneDevice("c2", cap), OneDevice("c3", cap)}).allocated());
}

TEST(AllocatorTest, ConcurrentAllocateIsDeterministic) {
  Snapshot s;
  s.classes = {Class("cls", "device.driver == \"drv\"")};
  s.slices = {Slice("s1", "p1", kTwoDevices)};
  absl::StatusOr<std::unique_ptr<const Allocator>> a = Allocator::Create(s);
  ASSERT_TRUE(a.ok());
  std::vector<api::ResourceClaim> claims = {OneDevice("c1"), OneDevice("c2")};
  std::vector<std::thread> threads;
  std::vector<int> ok(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        absl::StatusOr<AllocationOutcome> out = (*a)->Allocate(kNode, claims);
        if (out.ok() && out->allocated() && out->results[1].devices.results[0].device == "dev-b") {
          ++ok[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(ok[t], 50);
}

TEST(AllocatorTest, AllocatedStateAddSkipsAdminAccess) {
  api::AllocationResult r;
  r.devices.results.push_back({.request = "a", .driver = "d", .pool = "p", .device = "x"});
  r.devices.results.push_back(
      {.request = "b", .driver = "d", .pool = "p", .device = "y", .admin_access = true});
  r.devices.results.push_back(
      {.request = "c", .driver = "d", .pool = "p", .device = "z", .share_id = "u"});
  AllocatedState st;
  st.Add(r);
  EXPECT_EQ(st.exclusive.size(), 1u);
  EXPECT_EQ(st.shares.size(), 1u);
}

}  // namespace
}  // namespace dra::allocator
