// `dra bench scheduler`: upstream scheduler_perf's DRA workloads end to end through the HTTP API
// of an in-process `dra server` (its scheduler and claim controller included).
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
  std::string workload = "5000pods_500nodes";
  int nodes = 500;
  int devices_per_node = 10;
  int preallocated = 2500;
  int pods = 2500;
};

CLI::App* AddBenchCommand(CLI::App& app, BenchArgs& args);
// Prints pods/s (average and p50/p90/p99 over one-second samples) and peak RSS; 0 when every pod
// was scheduled, 1 when some were not within the time limit, 2 when the setup failed.
int RunBench(const BenchArgs& args, std::ostream& out, std::ostream& err);

}  // namespace dra::cli

#endif  // DRA_CLI_BENCH_COMMAND_H_
