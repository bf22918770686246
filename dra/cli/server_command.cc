#include "dra/cli/server_command.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "CLI/CLI.hpp"
#include "dra/apiserver/server.h"
#include "dra/base/strings.h"
#include "dra/cli/cli.h"
#include "dra/cli/control_plane.h"
#include "dra/client/kubeconfig.h"
#include "dra/client/leader_election.h"
#include "dra/client/rest_client.h"
#include "dra/controllers/device_taint_eviction.h"
#include "dra/controllers/resourceclaim_controller.h"
#include "dra/controllers/workload_controllers.h"
#include "dra/scheduler/scheduler.h"

namespace dra::cli {
namespace {

sigset_t BlockShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return signals;
}

}  // namespace

std::string DefaultDataDir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    return (std::filesystem::path(xdg) / "dra").string();
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return (std::filesystem::path(home) / ".local" / "share" / "dra").string();
  }
  return "dra-data";
}

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
  cmd->add_flag("--scheduler,!--no-scheduler", args.scheduler,
                "Run the DRA-aware scheduler in the server (default on)");
  cmd->add_flag(
      "--controllers,!--no-controllers", args.controllers,
      "Run the ResourceClaim, device taint eviction, ReplicaSet and Deployment controllers in the\n"
      "server (default on)");
  return cmd;
}

CLI::App* AddSchedulerCommand(CLI::App& app, SchedulerArgs& args) {
  CLI::App* cmd = app.add_subcommand(
      "scheduler",
      "Schedule pods with DRA claims against any Kubernetes API server (a secondary scheduler:\n"
      "pods whose spec.schedulerName is --scheduler-name).");
  cmd->add_option("--kubeconfig", args.kubeconfig,
                  "kubeconfig of the cluster (default $KUBECONFIG or ~/.kube/config)");
  cmd->add_option("--context", args.context, "kubeconfig context (default: current-context)");
  cmd->add_option("--scheduler-name", args.scheduler_name,
                  "spec.schedulerName of the pods to schedule (default default-scheduler)");
  cmd->add_flag("--leader-elect,!--no-leader-elect", args.leader_elect,
                "With several replicas, only the holder of a Lease schedules (default on)");
  cmd->add_option("--leader-elect-lease", args.lease,
                  "Name of the Lease in kube-system (default dra-scheduler)");
  return cmd;
}

int RunServer(const ServerArgs& args, std::ostream& out, std::ostream& err) {
  // Block the shutdown signals in every thread; this one waits for them.
  sigset_t signals = BlockShutdownSignals();

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
  absl::StatusOr<std::unique_ptr<ControlPlane>> plane = ControlPlane::Start(
      {.server = config, .scheduler = args.scheduler, .controllers = args.controllers});
  if (!plane.ok()) {
    err << "dra server: " << plane.status().message() << "\n";
    return kExitBadInput;
  }
  apiserver::ApiServer* server = &(*plane)->server();
  out << "dra server: ready at " << server->url() << " (data " << config.data_dir
      << "); kubeconfig: " << server->kubeconfig_path()
      << "  (export KUBECONFIG=" << server->kubeconfig_path() << ")" << std::endl;
  out << "dra server: web UI at " << server->ui_url() << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  out << "dra server: shutting down (signal " << received << ")" << std::endl;
  (*plane)->Stop();
  return kExitOk;
}

int RunScheduler(const SchedulerArgs& args, std::ostream& out, std::ostream& err) {
  sigset_t signals = BlockShutdownSignals();
  std::string path = args.kubeconfig.empty() ? client::DefaultKubeconfigPath() : args.kubeconfig;
  absl::StatusOr<client::ClusterConfig> cluster = client::LoadKubeconfig(path, args.context);
  if (!cluster.ok()) {
    err << "dra scheduler: " << cluster.status().message() << "\n";
    return kExitBadInput;
  }
  absl::StatusOr<std::unique_ptr<client::RestClient>> rest =
      client::RestClient::Create(*cluster, {.user_agent = "dra-scheduler"});
  if (!rest.ok()) {
    err << "dra scheduler: " << rest.status().message() << "\n";
    return kExitBadInput;
  }
  std::unique_ptr<client::LeaderElector> elector;
  std::atomic<bool> lost{false};
  if (args.leader_elect) {
    char host[256] = {0};
    gethostname(host, sizeof(host) - 1);
    client::LeaderElectionOptions election;
    election.lease_name = args.lease;
    election.identity = dra::StrCat(host, "_", std::to_string(::getpid()));
    elector = std::make_unique<client::LeaderElector>(rest->get(), election);
    out << "dra scheduler: waiting to lead (Lease kube-system/" << args.lease << ", identity "
        << election.identity << ")" << std::endl;
    // SIGINT/SIGTERM while waiting: a watcher thread turns them into `stop`.
    std::atomic<bool> stop{false};
    std::atomic<bool> acquired{false};
    std::thread waiter([&] {
      int sig = 0;
      while (!acquired.load()) {
        timespec timeout{0, 100 * 1000 * 1000};
        sig = sigtimedwait(&signals, nullptr, &timeout);
        if (sig > 0) {
          stop = true;
          return;
        }
      }
    });
    absl::Status led = elector->Acquire(stop);
    acquired = true;
    waiter.join();
    if (!led.ok()) return kExitOk;
    elector->StartRenewing([&lost] {
      lost = true;
      kill(::getpid(), SIGTERM);
    });
  }
  scheduler::Scheduler scheduler(rest->get(), {.scheduler_name = args.scheduler_name});
  if (absl::Status started = scheduler.Start(); !started.ok()) {
    err << "dra scheduler: " << started.message() << "\n";
    return kExitBadInput;
  }
  out << "dra scheduler: scheduling pods of " << GoQuote(args.scheduler_name) << " on "
      << cluster->server << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  scheduler.Stop();
  if (lost.load()) {
    err << "dra scheduler: lost the Lease kube-system/" << args.lease << "; exiting\n";
    return 1;
  }
  out << "dra scheduler: shutting down (signal " << received << ")" << std::endl;
  if (elector != nullptr) elector->Release();
  return kExitOk;
}

}  // namespace dra::cli
