#include "dra/cli/server_command.h"

#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "CLI/CLI.hpp"
#include "dra/apiserver/server.h"
#include "dra/cli/cli.h"

namespace dra::cli {
namespace {

std::string DefaultDataDir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    return (std::filesystem::path(xdg) / "dra").string();
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return (std::filesystem::path(home) / ".local" / "share" / "dra").string();
  }
  return "dra-data";
}

}  // namespace

CLI::App* AddServerCommand(CLI::App& app, ServerArgs& args) {
  CLI::App* cmd = app.add_subcommand(
      "server",
      "Serve the Kubernetes API for DRA (resource.k8s.io v1/v1beta2/v1beta1, core v1 namespaces,\n"
      "nodes, pods, events, coordination.k8s.io leases, apps deployments and replicasets) over\n"
      "HTTPS with embedded storage. kubectl works against it with the kubeconfig it writes.");
  cmd->add_option("--listen", args.listen, "host:port to listen on (default 127.0.0.1:6443)");
  cmd->add_option("--data-dir", args.data_dir,
                  "Directory for the database, certificates and kubeconfig "
                  "(default $XDG_DATA_HOME/dra or ~/.local/share/dra)");
  cmd->add_option("--storage", args.storage,
                  "sqlite (default: a file in --data-dir) or etcd://host:port[,host:port...]");
  cmd->add_option("--kubeconfig-out", args.kubeconfig_out,
                  "Where to write the admin kubeconfig (default <data-dir>/kubeconfig, mode 0600)");
  cmd->add_flag("--insecure-http", args.insecure_http,
                "Serve plain HTTP without authentication (local experiments only)");
  return cmd;
}

int RunServer(const ServerArgs& args, std::ostream& out, std::ostream& err) {
  // Block the shutdown signals in every thread; this one waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  apiserver::ServerConfig config;
  config.listen = args.listen;
  config.data_dir = args.data_dir.empty() ? DefaultDataDir() : args.data_dir;
  config.storage = args.storage;
  config.kubeconfig_out = args.kubeconfig_out;
  config.insecure_http = args.insecure_http;
  if (config.insecure_http) {
    err << "WARNING: --insecure-http: serving plain HTTP WITHOUT authentication or encryption; "
           "anyone who can reach "
        << config.listen << " has full control. Use it only for local experiments.\n";
  }
  absl::StatusOr<std::unique_ptr<apiserver::ApiServer>> server =
      apiserver::ApiServer::Start(config);
  if (!server.ok()) {
    err << "dra server: " << server.status().message() << "\n";
    return kExitBadInput;
  }
  out << "dra server: ready at " << (*server)->url() << " (data " << config.data_dir
      << "); kubeconfig: " << (*server)->kubeconfig_path()
      << "  (export KUBECONFIG=" << (*server)->kubeconfig_path() << ")" << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  out << "dra server: shutting down (signal " << received << ")" << std::endl;
  (*server)->Stop();
  return kExitOk;
}

}  // namespace dra::cli
