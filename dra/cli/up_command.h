// `dra up`: a whole DRA cluster in one process for a laptop: the control plane of `dra server`
// (API server on embedded storage, scheduler, controllers) and node agents on simulated hardware
// profiles (or this machine's own hardware), with the state in a data directory that survives
// restarts. `--demo` applies the scenario examples, waits for their pods, prints which claim got
// which devices, and exits.
//
// Thread-compatible: one call at a time.
#ifndef DRA_CLI_UP_COMMAND_H_
#define DRA_CLI_UP_COMMAND_H_

#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace dra::cli {

struct UpArgs {
  std::string data_dir;  // default: <dra server's default>/up; --demo: a temporary directory
  std::string listen = "127.0.0.1:6443";
  int nodes = 3;
  // Comma-separated hardware per node, used in turn: a builtin profile name or file, with
  // "+shared" for GPUs shared by memory and NICs by bandwidth; or "auto" (this machine).
  std::string profile = "dgx-h100,a100-mig";
  bool insecure_http = false;
  bool demo = false;
  // Scenarios (examples/scenarios/<name>.yaml, embedded) the demo applies.
  std::vector<std::string> demo_scenarios = {"01-gpu-basics", "02-deployment", "03-topology"};
  int demo_timeout_seconds = 60;
};

CLI::App* AddUpCommand(CLI::App& app, UpArgs& args);

// Serves until SIGINT or SIGTERM (0), or with --demo runs the demo and returns 0 when every demo
// pod runs, 1 when some stayed pending; 2 when the cluster cannot start.
int RunUp(const UpArgs& args, std::ostream& out, std::ostream& err);

}  // namespace dra::cli

#endif  // DRA_CLI_UP_COMMAND_H_
