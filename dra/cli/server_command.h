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
};

CLI::App* AddServerCommand(CLI::App& app, ServerArgs& args);

// Serves until SIGINT or SIGTERM. Returns 0 after a clean shutdown, 2 when the server cannot
// start (the reason goes to `err`).
int RunServer(const ServerArgs& args, std::ostream& out, std::ostream& err);

}  // namespace dra::cli

#endif  // DRA_CLI_SERVER_COMMAND_H_
