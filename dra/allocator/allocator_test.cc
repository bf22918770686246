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

TEST(AllocatorTest, AllocatedDevicesTrackClaimsWithoutRebuilding) {
  Snapshot s;
  s.classes = {Class("cls")};
  s.slices = {Slice("s1", "p1", kTwoDevices)};
  auto allocator = Allocator::Create(s);
  ASSERT_TRUE(allocator.ok());
  AllocatedDevices devices = (*allocator)->NewAllocatedDevices();
  AllocateOptions options;
  options.allocated = &devices;
  std::vector<api::AllocationResult> held;
  for (std::string device : {"dev-a", "dev-b"}) {
    auto out = (*allocator)->Allocate(kNode, {OneDevice()}, options);
    ASSERT_TRUE(out.ok() && out->allocated());
    EXPECT_EQ(out->results[0].devices.results[0].device, device);
    devices.Add(out->results[0]);
    held.push_back(out->results[0]);
  }
  EXPECT_EQ(devices.exclusive_count(), 2);
  auto full = (*allocator)->Allocate(kNode, {OneDevice()}, options);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->kind, AllocationOutcome::Kind::kUnsatisfiable);
  // Deallocating dev-a frees it again.
  devices.Remove(held[0]);
  auto again = (*allocator)->Allocate(kNode, {OneDevice()}, options);
  ASSERT_TRUE(again.ok() && again->allocated());
  EXPECT_EQ(again->results[0].devices.results[0].device, "dev-a");
  // The state of another allocator is refused.
  auto other = Allocator::Create(s);
  ASSERT_TRUE(other.ok());
  AllocatedDevices foreign = (*other)->NewAllocatedDevices();
  options.allocated = &foreign;
  EXPECT_EQ((*allocator)->Allocate(kNode, {OneDevice()}, options).status().code(),
            absl::StatusCode::kInvalidArgument);
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

// ---------------------------------------------------------------------------------------------
// Explanations (exact texts; the format is documented in allocator.h).

api::ResourceClaim Request(const std::string& name, const std::string& request, int count,
                           const std::string& extra = "") {
  return Claim(name, "    requests:\n    - name: " + request +
                         "\n      exactly:\n        deviceClassName: cls\n"
                         "        allocationMode: ExactCount\n        count: " +
                         std::to_string(count) + "\n" + extra);
}

std::string Gpus(int n, const std::string& extra = "") {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += "  - name: gpu-" + std::to_string(i) +
           "\n    attributes: {numa: {int: " + std::to_string(i % 2) +
           "}, healthy: {bool: " + (i < 6 ? "true" : "false") + "}}\n" + extra;
  }
  return out;
}

TEST(AllocatorExplanationTest, SelectorsInUseAndTaints) {
  Snapshot s;
  s.classes = {Class("cls", "device.attributes[\"drv\"].healthy")};
  std::string devices = Gpus(8);
  // Taint gpu-3 and gpu-4.
  for (const char* name : {"gpu-3", "gpu-4"}) {
    std::string at = std::string("  - name: ") + name + "\n";
    devices.insert(devices.find(at) + at.size(),
                   "    taints: [{key: example.com/unhealthy, effect: NoSchedule}]\n");
  }
  s.slices = {Slice("s1", "p1", devices)};
  s.allocated.exclusive = {{"drv", "p1", "gpu-0"}, {"drv", "p1", "gpu-1"}, {"drv", "p1", "gpu-2"}};
  api::ResourceClaim c = Request("gpu-claim", "gpu", 2);
  c.metadata.namespace_ = "default";
  AllocationOutcome out = RunAlloc(s, {c});
  EXPECT_EQ(out.kind, AllocationOutcome::Kind::kUnsatisfiable);
  EXPECT_EQ(out.explanation,
            "claim \"default/gpu-claim\": cannot allocate request \"gpu\" (exactly 2 of class "
            "\"cls\"): 8 devices on node \"node-1\"; class \"cls\" selector #0 rejected 2 "
            "(drv/p1/gpu-6, drv/p1/gpu-7); 3 in use (drv/p1/gpu-0, drv/p1/gpu-1, drv/p1/gpu-2); "
            "2 tainted (example.com/unhealthy: drv/p1/gpu-3, drv/p1/gpu-4); 1 left, 2 needed");

  // Request selectors are numbered too; more than three devices end in "...".
  out = RunAlloc(s, {Request("c", "r", 1,
                             "        selectors:\n        - cel: {expression: 'true'}\n"
                             "        - cel: {expression: 'device.attributes[\"drv\"].numa == "
                             "7'}\n")});
  EXPECT_EQ(out.explanation,
            "claim \"c\": cannot allocate request \"r\" (exactly 1 of class \"cls\"): 8 devices "
            "on node \"node-1\"; class \"cls\" selector #0 rejected 2 (drv/p1/gpu-6, "
            "drv/p1/gpu-7); request selector #1 rejected 6 (drv/p1/gpu-0, drv/p1/gpu-1, "
            "drv/p1/gpu-2, ...); 0 left, 1 needed");
  // Allocation succeeds: no explanation.
  s.allocated.exclusive.clear();
  out = RunAlloc(s, {c});
  EXPECT_TRUE(out.allocated());
  EXPECT_EQ(out.explanation, "");
}

TEST(AllocatorExplanationTest, CountersCapacityNodeAndSubrequests) {
  Snapshot s;
  s.classes = {Class("cls")};
  api::ResourceSlice counters = Parse<api::ResourceSlice>(
      "metadata: {name: s0}\nspec:\n  driver: drv\n  pool: {name: p1, resourceSliceCount: 2, "
      "generation: 1}\n  nodeName: node-1\n  sharedCounters:\n  - name: gpu-0-counters\n"
      "    counters: {mem: {value: 8Gi}}\n");
  s.slices = {counters,
              Slice("s1", "p1",
                    "  - name: big\n    consumesCounters: [{counterSet: gpu-0-counters, "
                    "counters: {mem: {value: 16Gi}}}]\n"
                    "  - name: nic\n    allowMultipleAllocations: true\n"
                    "    capacity: {bw: {value: 10G}}\n",
                    "nodeName: node-1", 2),
              Slice("s2", "p2",
                    "  - name: far\n    nodeName: node-2\n"
                    "  - name: near\n    nodeName: node-1\n"
                    "    taints: [{key: k1, effect: NoExecute}, {key: k2, effect: NoSchedule}]\n",
                    "perDeviceNodeSelection: true")};
  api::ResourceClaim c =
      Claim("c",
            "    requests:\n    - name: r\n      firstAvailable:\n"
            "      - {name: two, deviceClassName: cls, allocationMode: ExactCount, count: 2}\n"
            "      - {name: one, deviceClassName: cls, allocationMode: ExactCount, count: 1, "
            "capacity: {requests: {bw: 20G}}}\n");
  AllocationOutcome out = RunAlloc(s, {c});
  EXPECT_EQ(out.kind, AllocationOutcome::Kind::kUnsatisfiable);
  EXPECT_EQ(out.explanation,
            "claim \"c\": cannot allocate request \"r/two\" (exactly 2 of class \"cls\"): 4 "
            "devices on node \"node-1\"; 1 not for this node (drv/p2/far); 1 tainted (k1: "
            "drv/p2/near); 1 out of shared counters (gpu-0-counters: drv/p1/big); 1 left, 2 "
            "needed\n"
            "claim \"c\": cannot allocate request \"r/one\" (exactly 1 of class \"cls\"): 4 "
            "devices on node \"node-1\"; 1 not for this node (drv/p2/far); 1 tainted (k1: "
            "drv/p2/near); 1 out of shared counters (gpu-0-counters: drv/p1/big); 1 out of "
            "capacity (drv/p1/nic); 0 left, 1 needed");
}

TEST(AllocatorExplanationTest, MatchAttributeConstraint) {
  Snapshot s;
  s.classes = {Class("cls")};
  s.slices = {Slice("s1", "p1",
                    "  - name: d0\n    attributes: {numa: {int: 0}}\n"
                    "  - name: d1\n    attributes: {numa: {int: 1}}\n"
                    "  - name: d2\n")};
  api::ResourceClaim c = Claim(
      "c",
      "    requests:\n"
      "    - {name: a, exactly: {deviceClassName: cls, allocationMode: ExactCount, count: 2}}\n"
      "    - {name: b, exactly: {deviceClassName: cls, allocationMode: ExactCount, count: 1}}\n"
      "    constraints:\n    - {requests: [a, b], matchAttribute: drv/numa}\n");
  AllocationOutcome out = RunAlloc(s, {c});
  EXPECT_EQ(out.explanation,
            "claim \"c\": constraint #0 matchAttribute \"drv/numa\" over requests \"a\", \"b\" "
            "cannot be met: no value is carried by enough candidates of every request (best: 0, "
            "on 1 of the candidates of \"a\" (2 needed), 1 of \"b\" (1 needed))");
  s.slices = {Slice("s1", "p1", "  - name: d0\n  - name: d1\n  - name: d2\n")};
  out = RunAlloc(s, {c});
  EXPECT_EQ(out.explanation,
            "claim \"c\": constraint #0 matchAttribute \"drv/numa\" over requests \"a\", \"b\" "
            "cannot be met: no candidate has the attribute");
}

TEST(AllocatorExplanationTest, DistinctAttributeConstraint) {
  Snapshot s;
  s.classes = {Class("cls")};
  s.slices = {Slice("s1", "p1",
                    "  - name: d0\n    attributes: {numa: {int: 0}}\n"
                    "  - name: d1\n    attributes: {numa: {int: 0}}\n")};
  api::ResourceClaim c = Claim(
      "c",
      "    requests:\n"
      "    - {name: a, exactly: {deviceClassName: cls, allocationMode: ExactCount, count: 2}}\n"
      "    constraints:\n    - {distinctAttribute: drv/numa}\n");
  AllocationOutcome out = RunAlloc(s, {c});
  EXPECT_EQ(out.explanation,
            "claim \"c\": constraint #0 distinctAttribute \"drv/numa\" over all requests cannot "
            "be met: 2 distinct values needed, the candidates have 1");
}

TEST(AllocatorExplanationTest, RequestsCompetingForDevices) {
  Snapshot s;
  s.classes = {Class("cls")};
  s.slices = {Slice("s1", "p1", kTwoDevices)};
  AllocationOutcome out =
      RunAlloc(s, {Request("c1", "r", 1), Request("c2", "r", 1), Request("c3", "r", 1)});
  EXPECT_EQ(out.explanation,
            "node \"node-1\": requests of claims \"c1\", \"c2\", \"c3\" (3 requests) need 3 "
            "devices together, but only 2 devices can serve them (drv/p1/dev-a, drv/p1/dev-b)");
  api::ResourceClaim two = Claim(
      "c",
      "    requests:\n"
      "    - {name: a, exactly: {deviceClassName: cls, allocationMode: ExactCount, count: 1}}\n"
      "    - {name: b, exactly: {deviceClassName: cls, allocationMode: ExactCount, count: 2}}\n");
  out = RunAlloc(s, {two});
  EXPECT_EQ(out.explanation,
            "claim \"c\": requests \"a\", \"b\" (2 requests) need 3 devices together, but only 2 "
            "devices can serve them (drv/p1/dev-a, drv/p1/dev-b)");
}

TEST(AllocatorExplanationTest, IncompleteAndInvalidPools) {
  Snapshot s;
  s.classes = {Class("cls")};
  s.slices = {Slice("s1", "p1", kTwoDevices, "nodeName: node-1", /*count=*/2)};
  AllocationOutcome out = RunAlloc(s, {OneDevice()});
  EXPECT_EQ(out.explanation,
            "node \"node-1\": pool \"drv/p1\" is incomplete (1 of 2 slices published), its "
            "devices were not considered\n"
            "claim \"claim\": cannot allocate request \"req\" (exactly 1 of class \"cls\"): 0 "
            "devices on node \"node-1\"; 0 left, 1 needed");
  s.slices = {Slice("s1", "p1", "  - name: d\n  - name: d\n")};
  out = RunAlloc(s, {OneDevice()});
  EXPECT_EQ(out.kind, AllocationOutcome::Kind::kFailedOnNode);
  EXPECT_EQ(out.explanation,
            "node \"node-1\": pool \"drv/p1\" is invalid (device \"d\" is listed twice), its "
            "devices were not considered\n"
            "claim \"claim\": cannot allocate request \"req\" (exactly 1 of class \"cls\"): 0 "
            "devices on node \"node-1\"; 0 left, 1 needed");
}

TEST(AllocatorExplanationTest, AllModeAndFallback) {
  Snapshot s;
  s.classes = {Class("cls")};
  s.slices = {Slice("s1", "p1", kTwoDevices)};
  s.allocated.exclusive = {{"drv", "p1", "dev-a"}};
  api::ResourceClaim all = Claim(
      "c",
      "    requests:\n    - {name: r, exactly: {deviceClassName: cls, allocationMode: All}}\n");
  AllocationOutcome out = RunAlloc(s, {all});
  EXPECT_EQ(out.explanation,
            "claim \"c\": cannot allocate request \"r\" (all of class \"cls\"): 2 devices on "
            "node \"node-1\"; 1 in use (drv/p1/dev-a); 1 left, 2 needed");
  // Nothing specific to say: every request line and the general reason.
  s.allocated.exclusive.clear();
  api::ResourceClaim admin =
      Claim("c",
            "    requests:\n"
            "    - {name: a, exactly: {deviceClassName: cls, allocationMode: ExactCount, count: 2, "
            "adminAccess: true}}\n"
            "    - {name: b, exactly: {deviceClassName: cls, allocationMode: ExactCount, count: 1, "
            "adminAccess: true}}\n");
  out = RunAlloc(s, {admin});
  EXPECT_EQ(out.explanation,
            "claim \"c\": request \"a\" (exactly 2 of class \"cls\", admin access): 2 devices on "
            "node \"node-1\"; 2 left, 2 needed\n"
            "claim \"c\": request \"b\" (exactly 1 of class \"cls\", admin access): 2 devices on "
            "node \"node-1\"; 2 left, 1 needed\n"
            "node \"node-1\": every request has enough candidates on its own, but no combination "
            "satisfies all requests and constraints together (devices wanted by several "
            "requests, constraints, shared counters or capacity)");
  // Explanations can be turned off.
  absl::StatusOr<std::unique_ptr<const Allocator>> a = Allocator::Create(s);
  ASSERT_TRUE(a.ok());
  absl::StatusOr<AllocationOutcome> quiet = (*a)->Allocate(kNode, {admin}, {.explain = false});
  ASSERT_TRUE(quiet.ok());
  EXPECT_EQ(quiet->kind, AllocationOutcome::Kind::kUnsatisfiable);
  EXPECT_EQ(quiet->explanation, "");
}

// ---------------------------------------------------------------------------------------------
// Pruning: unsatisfiable cases that a plain depth-first search takes exponential time on.

TEST(AllocatorPruningTest, MoreRequestsThanIdenticalDevices) {
  Snapshot s;
  s.classes = {Class("cls")};
  std::string devices;
  for (int i = 0; i < 19; ++i) devices += "  - name: d" + std::to_string(i) + "\n";
  s.slices = {Slice("s1", "p1", devices)};
  std::string requests = "    requests:\n";
  for (int i = 0; i < 20; ++i) {
    requests += "    - {name: r" + std::to_string(i) +
                ", exactly: {deviceClassName: cls, allocationMode: ExactCount, count: 1}}\n";
  }
  AllocationOutcome out = RunAlloc(s, {Claim("c", requests)});
  EXPECT_EQ(out.kind, AllocationOutcome::Kind::kUnsatisfiable);
  EXPECT_EQ(out.explanation,
            "claim \"c\": requests \"r0\", \"r1\", \"r2\", ... (20 requests) need 20 devices "
            "together, but only 19 devices can serve them (drv/p1/d0, drv/p1/d1, drv/p1/d2, ...)");
}

TEST(AllocatorPruningTest, MatchAttributeWithoutCommonValue) {
  // 35 devices, 7 for each of 5 numa values; 8 requests of 1 device that must share a value:
  // a plain search tries every ordering of 7 devices for every value.
  Snapshot s;
  s.classes = {Class("cls")};
  std::string devices;
  for (int i = 0; i < 35; ++i) {
    devices += "  - name: d" + std::to_string(i) +
               "\n    attributes: {numa: {int: " + std::to_string(i % 5) + "}}\n";
  }
  s.slices = {Slice("s1", "p1", devices)};
  std::string requests = "    requests:\n";
  for (int i = 0; i < 8; ++i) {
    requests += "    - {name: r" + std::to_string(i) +
                ", exactly: {deviceClassName: cls, allocationMode: ExactCount, count: 1}}\n";
  }
  requests += "    constraints:\n    - {matchAttribute: drv/numa}\n";
  AllocationOutcome out = RunAlloc(s, {Claim("c", requests)});
  EXPECT_EQ(out.kind, AllocationOutcome::Kind::kUnsatisfiable);
  EXPECT_EQ(out.explanation,
            "claim \"c\": constraint #0 matchAttribute \"drv/numa\" over all requests cannot be "
            "met: no value is carried by enough candidates for all requests together (best: 0, "
            "on 7 devices, 8 needed)");
}

TEST(AllocatorPruningTest, CelErrorsAreStillReported) {
  // Unsatisfiable by counting (8 requests, 7 usable devices), but the first request's selector
  // fails on the last device, which the search reaches after backtracking past the pruning
  // budget: the error is reported, as upstream reports it, not "unsatisfiable".
  Snapshot s;
  s.classes = {Class("cls")};
  std::string devices;
  for (int i = 0; i < 7; ++i) devices += "  - name: d" + std::to_string(i) + "\n";
  devices +=
      "  - name: odd\n    attributes: {bad: {int: 1}}\n"
      "    taints: [{key: k, effect: NoSchedule}]\n";
  s.slices = {Slice("s1", "p1", devices)};
  std::string requests =
      "    requests:\n    - {name: r0, exactly: {deviceClassName: cls, allocationMode: "
      "ExactCount, count: 1, selectors: [{cel: {expression: '!(\"bad\" in "
      "device.attributes[\"drv\"]) || device.attributes[\"drv\"].missing == 1'}}]}}\n";
  for (int i = 1; i < 8; ++i) {
    requests += "    - {name: r" + std::to_string(i) +
                ", exactly: {deviceClassName: cls, allocationMode: ExactCount, count: 1}}\n";
  }
  absl::Status st = RunError(s, {Claim("c", requests)});
  EXPECT_NE(std::string(st.message()).find("claim c: selector #0: CEL runtime error"),
            std::string::npos)
      << st;
}

}  // namespace
}  // namespace dra::allocator
