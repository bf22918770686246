// Allocator benchmarks shaped after upstream's scheduler_perf DRA workloads
// (test/integration/scheduler_perf/dra): 500 nodes with one node-local pool each, driver
// test-driver.cdi.k8s.io, class selector `device.driver == "test-driver.cdi.k8s.io"`.
//
//   BM_SingleClaim           one 1-device claim on one node (resourceslice-basic-devices).
//   BM_SingleClaimSelector   the same with a request selector over driverVersion and memory.
//   BM_MatchAttribute        5 one-device requests with matchAttribute on pciRoot, which
//                            alternates 0/1 between the devices of a slice.
//   BM_PartitionableBacktrack  upstream's partitionable backtracking case: per node a counter
//                            slice (cpu1..cpu8 = 1 each, mem = 70Gi) and a device slice of 8
//                            devices; device-1 consumes 20Gi, device-2..8 10Gi each. A claim for
//                            7 devices first takes device-1, which leaves 50Gi for the other 6,
//                            so every subset containing device-1 fails and the search backtracks
//                            until device-2..8 (7 x 10Gi = 70Gi) are chosen.
//   BM_ClusterSearch         5,000 devices with 4,990 allocated: Allocate on each node in name
//                            order until one succeeds; the node with the free devices is the
//                            last in name order (middle:0, the worst case, 500 calls) or the
//                            middle one (middle:1, 251 calls); explain:0 turns the explanation of
//                            the failing nodes off, as a scheduler's filter would.
//
// The Allocator is created once outside the timed loop; only Allocate is measured.
// Run: build/obj/dra/allocator/allocator_benchmark --benchmark_repetitions=3
//        --benchmark_report_aggregates_only=true

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "dra/allocator/allocator.h"
#include "dra/api/resource_types.h"
#include "dra/base/quantity.h"
#include "dra/base/strings.h"

namespace dra::allocator {
namespace {

constexpr int kNumNodes = 500;
constexpr int kDevicesPerNode = 10;
constexpr char kDriver[] = "test-driver.cdi.k8s.io";
constexpr char kClass[] = "test-class";

Quantity Q(std::string_view text) {
  absl::StatusOr<Quantity> q = Quantity::Parse(text);
  if (!q.ok()) {
    std::cerr << "bad quantity " << text << "\n";
    std::abort();
  }
  return *q;
}

std::string NodeName(int i) { return StrCat("scheduler-perf-dra-", i); }

api::DeviceClass TestClass() {
  api::DeviceClass c;
  c.metadata.name = kClass;
  c.spec.selectors.push_back(
      api::DeviceSelector{api::CELDeviceSelector{StrCat("device.driver == \"", kDriver, "\"")}});
  return c;
}

api::DeviceAttribute StringAttr(std::string s) {
  api::DeviceAttribute a;
  a.string_ = std::move(s);
  return a;
}

// resourceslice-basic-devices.yaml, with pciRoot alternating "0"/"1".
api::ResourceSlice BasicSlice(int node) {
  api::ResourceSlice s;
  s.metadata.name = StrCat("resourceslice-", node);
  s.spec.driver = kDriver;
  s.spec.pool.name = StrCat("resourceslice-", node);
  s.spec.pool.generation = 1;
  s.spec.pool.resource_slice_count = 1;
  s.spec.node_name = NodeName(node);
  for (int j = 0; j < kDevicesPerNode; ++j) {
    api::Device d;
    d.name = StrCat("basic-device-", j);
    d.attributes["model"] = StringAttr("A100");
    d.attributes["family"] = StringAttr("GPU");
    api::DeviceAttribute version;
    version.version = "1.2.3";
    d.attributes["driverVersion"] = version;
    d.attributes["resource.k8s.io/pciRoot"] = StringAttr(StrCat(j % 2));
    d.capacity["memory"] = api::DeviceCapacity{Q("1Gi"), std::nullopt};
    s.spec.devices.push_back(std::move(d));
  }
  return s;
}

Snapshot BasicSnapshot() {
  Snapshot snap;
  snap.classes.push_back(TestClass());
  for (int i = 0; i < kNumNodes; ++i) snap.slices.push_back(BasicSlice(i));
  return snap;
}

api::DeviceRequest Request(std::string name, int64_t count, std::string selector = "") {
  api::DeviceRequest r;
  r.name = std::move(name);
  r.exactly.emplace();
  r.exactly->device_class_name = kClass;
  r.exactly->allocation_mode = std::string(api::kDeviceAllocationModeExactCount);
  r.exactly->count = count;
  if (!selector.empty()) {
    r.exactly->selectors.push_back(api::DeviceSelector{api::CELDeviceSelector{selector}});
  }
  return r;
}

api::ResourceClaim Claim(std::vector<api::DeviceRequest> requests) {
  api::ResourceClaim c;
  c.metadata.name = "test-claim";
  c.metadata.namespace_ = "default";
  c.spec.devices.requests = std::move(requests);
  return c;
}

std::unique_ptr<const Allocator> MustCreate(Snapshot snap) {
  absl::StatusOr<std::unique_ptr<const Allocator>> a = Allocator::Create(std::move(snap));
  if (!a.ok()) {
    std::cerr << a.status() << "\n";
    std::abort();
  }
  return *std::move(a);
}

// Runs Allocate in the timed loop; fails the benchmark unless it allocates `want_devices`.
void RunAllocate(benchmark::State& state, const Allocator& allocator, const NodeInfo& node,
                 const std::vector<api::ResourceClaim>& claims, size_t want_devices) {
  absl::StatusOr<AllocationOutcome> check = allocator.Allocate(node, claims);
  if (!check.ok() || !check->allocated() ||
      check->results[0].devices.results.size() != want_devices) {
    state.SkipWithError("allocation did not succeed as expected");
    return;
  }
  for (auto _ : state) {
    absl::StatusOr<AllocationOutcome> out = allocator.Allocate(node, claims);
    benchmark::DoNotOptimize(out);
  }
}

void BM_SingleClaim(benchmark::State& state) {
  static const Allocator* allocator = MustCreate(BasicSnapshot()).release();
  const NodeInfo node{NodeName(kNumNodes / 2), {}};
  const std::vector<api::ResourceClaim> claims = {Claim({Request("req-0", 1)})};
  RunAllocate(state, *allocator, node, claims, 1);
}
BENCHMARK(BM_SingleClaim);

void BM_SingleClaimSelector(benchmark::State& state) {
  static const Allocator* allocator = MustCreate(BasicSnapshot()).release();
  const NodeInfo node{NodeName(kNumNodes / 2), {}};
  const std::string selector = StrCat("device.attributes[\"", kDriver,
                                      "\"].driverVersion.major() >= 1 && device.capacity[\"",
                                      kDriver, "\"].memory.isGreaterThan(quantity(\"1Mi\"))");
  const std::vector<api::ResourceClaim> claims = {Claim({Request("req-0", 1, selector)})};
  RunAllocate(state, *allocator, node, claims, 1);
}
BENCHMARK(BM_SingleClaimSelector);

void BM_MatchAttribute(benchmark::State& state) {
  static const Allocator* allocator = MustCreate(BasicSnapshot()).release();
  const NodeInfo node{NodeName(kNumNodes / 2), {}};
  std::vector<api::DeviceRequest> requests;
  for (int i = 0; i < 5; ++i) requests.push_back(Request(StrCat("req-", i), 1));
  api::ResourceClaim claim = Claim(std::move(requests));
  api::DeviceConstraint match;
  match.match_attribute = "resource.k8s.io/pciRoot";
  claim.spec.devices.constraints.push_back(match);
  RunAllocate(state, *allocator, node, {claim}, 5);
}
BENCHMARK(BM_MatchAttribute);

// resourceslice-partitionable-backtracking-{countersets,devices}.yaml for one node.
void AddPartitionableSlices(int node, std::vector<api::ResourceSlice>& out) {
  const std::string pool = StrCat("resourceslice-", node);
  api::ResourceSlice counters;
  counters.metadata.name = StrCat("resourceslice-countersets-", node);
  counters.spec.driver = kDriver;
  counters.spec.pool = api::ResourcePool{pool, 1, 2};
  counters.spec.node_name = NodeName(node);
  api::CounterSet cpu{"counter-set-for-cpu", {}};
  for (int i = 1; i <= 8; ++i) cpu.counters[StrCat("cpu", i)] = api::Counter{Q("1")};
  api::CounterSet mem{"counter-set-for-mem", {{"mem", api::Counter{Q("70Gi")}}}};
  counters.spec.shared_counters = {cpu, mem};
  out.push_back(std::move(counters));

  api::ResourceSlice devices;
  devices.metadata.name = StrCat("resourceslice-devices-", node);
  devices.spec.driver = kDriver;
  devices.spec.pool = api::ResourcePool{pool, 1, 2};
  devices.spec.node_name = NodeName(node);
  for (int i = 1; i <= 8; ++i) {
    api::Device d;
    d.name = StrCat("device-", i);
    d.consumes_counters.push_back(
        api::DeviceCounterConsumption{"counter-set-for-cpu", {{StrCat("cpu", i), {Q("1")}}}});
    d.consumes_counters.push_back(api::DeviceCounterConsumption{
        "counter-set-for-mem", {{"mem", {Q(i == 1 ? "20Gi" : "10Gi")}}}});
    devices.spec.devices.push_back(std::move(d));
  }
  out.push_back(std::move(devices));
}

void BM_PartitionableBacktrack(benchmark::State& state) {
  static const Allocator* allocator = [] {
    Snapshot snap;
    snap.classes.push_back(TestClass());
    for (int i = 0; i < kNumNodes; ++i) AddPartitionableSlices(i, snap.slices);
    return MustCreate(std::move(snap)).release();
  }();
  const NodeInfo node{NodeName(kNumNodes / 2), {}};
  const std::vector<api::ResourceClaim> claims = {Claim({Request("req-0", 7)})};
  RunAllocate(state, *allocator, node, claims, 7);
}
BENCHMARK(BM_PartitionableBacktrack);

void BM_ClusterSearch(benchmark::State& state) {
  std::vector<std::string> names;
  for (int i = 0; i < kNumNodes; ++i) names.push_back(NodeName(i));
  std::sort(names.begin(), names.end());
  const std::string free_node = state.range(0) == 0 ? names.back() : names[names.size() / 2];
  Snapshot snap = BasicSnapshot();
  for (const api::ResourceSlice& s : snap.slices) {
    if (*s.spec.node_name == free_node) continue;
    for (const api::Device& d : s.spec.devices) {
      snap.allocated.exclusive.push_back(DeviceRef{kDriver, s.spec.pool.name, d.name});
    }
  }
  if (snap.allocated.exclusive.size() != kNumNodes * kDevicesPerNode - kDevicesPerNode) {
    state.SkipWithError("wrong allocated state");
    return;
  }
  std::unique_ptr<const Allocator> allocator = MustCreate(std::move(snap));
  std::vector<NodeInfo> nodes;
  for (const std::string& n : names) nodes.push_back(NodeInfo{n, {}});
  const std::vector<api::ResourceClaim> claims = {Claim({Request("req-0", 1)})};
  const AllocateOptions options{.explain = state.range(1) != 0};
  auto search = [&]() -> const NodeInfo* {
    for (const NodeInfo& node : nodes) {
      absl::StatusOr<AllocationOutcome> out = allocator->Allocate(node, claims, options);
      if (!out.ok()) return nullptr;
      if (out->allocated()) return &node;
    }
    return nullptr;
  };
  const NodeInfo* found = search();
  if (found == nullptr || found->name != free_node) {
    state.SkipWithError("search did not find the free node");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(search());
  }
  state.SetLabel(StrCat("free node at position ", (found - nodes.data()) + 1, " of ", kNumNodes));
}
BENCHMARK(BM_ClusterSearch)
    ->ArgNames({"middle", "explain"})
    ->ArgsProduct({{0, 1}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace dra::allocator

BENCHMARK_MAIN();
