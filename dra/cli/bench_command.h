// `dra bench scheduler`: upstream scheduler_perf's DRA workloads end to end on an in-process
// `dra server`: the pods are created (and deleted) by a client through the HTTP API; the claim
// controller and the scheduler reach the server through the loopback transport, as in
// `dra server`.
//
// Workloads (each on a fresh server; nodes with one ResourceSlice each, DeviceClass
// `device.driver == "test-driver.cdi.k8s.io"`, pods with a ResourceClaimTemplate):
// - 5000pods_500nodes: 500 nodes x 10 devices, 2,500 claims pre-allocated, then 2,500 pods at once
//   (SchedulingWithResourceClaimTemplate).
// - empty, half, full: 500 nodes x 10 devices, 0 / 2,500 / 4,990 claims pre-allocated, then 10
//   pods in flight for --duration seconds: every scheduled pod is deleted and replaced by a new
//   one (SteadyStateClusterResourceClaimTemplate).
// - selector_empty: as empty, the request with a CEL selector on driverVersion and memory.
// - match_empty: as empty, 5 one-device requests with matchAttribute on the pciRoot attribute
//   (devices alternate between two roots).
// - inventory_5000nodes: 5,000 nodes x 8 devices, no pods: peak RSS of the server with its
//   controllers and scheduler synced.
//
// Thread-compatible: one call at a time.
#ifndef DRA_CLI_BENCH_COMMAND_H_
#define DRA_CLI_BENCH_COMMAND_H_

#include <iosfwd>
#include <string>

namespace CLI {
class App;
}  // namespace CLI

namespace dra::cli {

struct BenchArgs {
  // A workload name, or "all".
  std::string workload = "all";
  // Overrides of the workload's parameters (-1: the workload's own).
  int nodes = -1;
  int devices_per_node = -1;
  int preallocated = -1;
  int pods = -1;
  // Steady-state workloads: how long pods are created and measured.
  double duration_s = 10;
};

CLI::App* AddBenchCommand(CLI::App& app, BenchArgs& args);
// Prints, per workload, pods/s (average and p50/p90/p99 over one-second samples), CPU time and
// peak RSS; 0 when every workload completed, 1 when one did not schedule its pods in time, 2 when
// the arguments or the setup failed.
int RunBench(const BenchArgs& args, std::ostream& out, std::ostream& err);

}  // namespace dra::cli

#endif  // DRA_CLI_BENCH_COMMAND_H_
