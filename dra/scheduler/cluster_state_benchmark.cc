// Scheduling decisions on scheduler_perf's DRA cluster shape: 500 nodes with one ResourceSlice of
// 10 devices each (attributes model, family, driverVersion, pciRoot; capacity memory 1Gi),
// DeviceClass `device.driver == "test-driver.cdi.k8s.io"`, one claim of one device per pod.
// Measures ClusterState::Schedule + Assume per pod while the cluster fills up, without the API.
//
//   build/obj/dra/scheduler/cluster_state_benchmark
#include <benchmark/benchmark.h>

#include "dra/api/codec/codec.h"
#include "dra/scheduler/cluster_state.h"

namespace dra::scheduler {
namespace {

template <typename T>
T Parse(const std::string& yaml) {
  return *api::DecodeAs<T>(api::ParseDocuments(yaml)->front());
}

void BM_ScheduleOneDevicePods(benchmark::State& state) {
  const int nodes = 500;
  const int preallocated = static_cast<int>(state.range(0));
  ClusterState cluster;
  cluster.UpsertClass(Parse<api::DeviceClass>(
      "apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: test-class}\nspec:\n"
      "  selectors:\n  - cel: {expression: 'device.driver == \"test-driver.cdi.k8s.io\"'}\n"));
  for (int n = 0; n < nodes; ++n) {
    std::string name = "node-" + std::to_string(n);
    cluster.UpsertNode(
        Parse<api::Node>("apiVersion: v1\nkind: Node\nmetadata: {name: " + name + "}\n"));
    std::string devices;
    for (int d = 0; d < 10; ++d) {
      devices += "  - name: device-" + std::to_string(d) +
                 "\n    attributes: {model: {string: model-x}, family: {string: f}, "
                 "driverVersion: {version: 1.2.3}, pciRoot: {string: '" +
                 std::to_string(d % 2) + "'}}\n    capacity: {memory: {value: 1Gi}}\n";
    }
    cluster.UpsertSlice(Parse<api::ResourceSlice>(
        "apiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: " + name +
        "-slice}\nspec:\n  driver: test-driver.cdi.k8s.io\n  nodeName: " + name +
        "\n  pool: {name: " + name + ", generation: 1, resourceSliceCount: 1}\n  devices:\n" +
        devices));
  }
  int next = 0;
  auto schedule_one = [&]() -> bool {
    std::string claim_name = "claim-" + std::to_string(next);
    std::string pod_name = "pod-" + std::to_string(next);
    ++next;
    cluster.UpsertClaim(Parse<api::ResourceClaim>(
        "apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: " + claim_name +
        ", namespace: default, uid: u-" + claim_name +
        "}\nspec:\n  devices:\n    requests:\n    - name: r\n      exactly: {deviceClassName: "
        "test-class, allocationMode: ExactCount, count: 1}\n"));
    api::Pod pod;
    pod.metadata.name = pod_name;
    pod.metadata.namespace_ = "default";
    pod.metadata.uid = "u-" + pod_name;
    pod.spec.resource_claims.push_back({"r", claim_name, std::nullopt});
    absl::StatusOr<Decision> d = cluster.Schedule(pod);
    if (!d.ok() || d->kind != Decision::Kind::kScheduled) return false;
    for (const api::ResourceClaim& c : d->claims) cluster.Assume(c);
    return true;
  };
  for (int i = 0; i < preallocated; ++i) schedule_one();
  int scheduled = 0;
  for (auto _ : state) {
    if (!schedule_one()) {
      state.SkipWithError("cluster full");
      break;
    }
    ++scheduled;
    if (next >= 4990) {
      state.PauseTiming();
      // Keep the fill level: free the claims scheduled in this run.
      for (int i = preallocated; i < next; ++i) {
        cluster.DeleteClaim("default", "claim-" + std::to_string(i));
      }
      next = preallocated;
      state.ResumeTiming();
    }
  }
  state.counters["pods/s"] = benchmark::Counter(scheduled, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ScheduleOneDevicePods)->Arg(0)->Arg(2500)->Arg(4900)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace dra::scheduler

BENCHMARK_MAIN();
