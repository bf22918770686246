// `dra server`: the Kubernetes-compatible API server (see dra/apiserver/server.h).
//
// Thread-compatible: one call at a time.
#ifndef DRA_CLI_SERVER_COMMAND_H_
#define DRA_CLI_SERVER_COMMAND_H_

#include <iosfwd>
#include <string>

namespace CLI {
class App;
}  // namespace CLI

namespace dra::cli {

struct ServerArgs {
  std::string listen = "127.0.0.1:6443";
  std::string data_dir;  // default: $XDG_DATA_HOME/dra or ~/.local/share/dra
  std::string storage = "sqlite";
  std::string kubeconfig_out;
  bool insecure_http = false;
  // Run the scheduler inside the server (a client of it, as kube-scheduler is).
  bool scheduler = true;
  // Run the ResourceClaim controller (claims from templates, reservations, deallocation).
  bool controllers = true;
};

struct SchedulerArgs {
  std::string kubeconfig;  // default: $KUBECONFIG or ~/.kube/config
  std::string context;
  std::string scheduler_name = "default-scheduler";
  // Only one of several replicas schedules: the holder of Lease kube-system/<lease>.
  bool leader_elect = true;
  std::string lease = "dra-scheduler";
};

// $XDG_DATA_HOME/dra, else ~/.local/share/dra, else ./dra-data.
std::string DefaultDataDir();

CLI::App* AddServerCommand(CLI::App& app, ServerArgs& args);

// Serves until SIGINT or SIGTERM. Returns 0 after a clean shutdown, 2 when the server cannot
// start (the reason goes to `err`).
int RunServer(const ServerArgs& args, std::ostream& out, std::ostream& err);

// `dra scheduler`: the scheduler alone against any Kubernetes API server.
CLI::App* AddSchedulerCommand(CLI::App& app, SchedulerArgs& args);
// Schedules until SIGINT or SIGTERM; 0 after a clean shutdown, 2 when it cannot start.
int RunScheduler(const SchedulerArgs& args, std::ostream& out, std::ostream& err);

}  // namespace dra::cli

#endif  // DRA_CLI_SERVER_COMMAND_H_
