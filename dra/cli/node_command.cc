#include "dra/cli/node_command.h"

#include <httplib.h>
#include <signal.h>

#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include "CLI/CLI.hpp"
#include "absl/strings/str_split.h"
#include "dra/base/metrics.h"
#include "dra/base/strings.h"
#include "dra/cli/cli.h"
#include "dra/client/kubeconfig.h"
#include "dra/client/rest_client.h"
#include "dra/driver/agent/node_agent.h"
#include "dra/driver/gpu/health.h"

namespace dra::cli {

CLI::App* AddNodeCommand(CLI::App& app, NodeArgs& args, NodeFaultArgs& fault_args,
                         CLI::App** fault_cmd) {
  CLI::App* cmd = app.add_subcommand(
      "node",
      "Run the node agent: the DRA drivers gpu.nvidia.com (NVML or a simulated hardware\n"
      "profile), dra.cpu and dra.net publish this node's devices as ResourceSlices, prepare the\n"
      "claims allocated to them (CDI specs, checkpoint) and serve the kubelet's DRA gRPC API.");
  cmd->add_option("--kubeconfig", args.kubeconfig,
                  "kubeconfig of the cluster (default $KUBECONFIG or ~/.kube/config)");
  cmd->add_option("--context", args.context, "kubeconfig context (default: the current one)");
  cmd->add_flag("--in-cluster", args.in_cluster,
                "Use the pod's service account instead of a kubeconfig");
  cmd->add_option("--node-name", args.node_name, "This node's name (the pool name; required)");
  cmd->add_option("--pod-uid", args.pod_uid,
                  "UID of the agent's pod: socket names for rolling updates (kubelet >= 1.33)");
  cmd->add_option("--drivers", args.drivers, "Comma-separated drivers: gpu,cpu,net (default all)");
  cmd->add_option("--gpu-source", args.gpu_source,
                  "auto (NVML when libnvidia-ml.so.1 loads, else no GPUs), nvml, none, or\n"
                  "profile:NAME / a profile file (simulated hardware: GPUs, NICs and CPUs)");
  cmd->add_option("--nvidia-driver-root", args.nvidia_driver_root,
                  "Root of the NVIDIA driver installation holding libnvidia-ml.so.1 (default /)");
  cmd->add_option("--reserved-cpus", args.reserved_cpus, "CPUs kept out of dra.cpu (e.g. 0-1)");
  cmd->add_flag("--consumable-capacity", args.consumable_capacity,
                "Share GPUs by memory and NICs by bandwidth between claims (KEP-5075); GPUs then\n"
                "publish no MIG partitions");
  cmd->add_option("--cdi-dir", args.cdi_dir, "Where CDI specs are written (default /var/run/cdi)");
  cmd->add_option("--state-dir", args.state_dir,
                  "Checkpoint, per-claim state and faults (default /var/lib/dra-node)");
  cmd->add_option("--kubelet-plugins-dir", args.kubelet_plugins_dir,
                  "The kubelet's plugins directory (default /var/lib/kubelet/plugins)");
  cmd->add_option("--kubelet-registry-dir", args.kubelet_registry_dir,
                  "The kubelet's plugin registry (default /var/lib/kubelet/plugins_registry)");
  cmd->add_flag("--kubelet-grpc,!--no-kubelet-grpc", args.kubelet_grpc,
                "Serve the kubelet plugin sockets (default on)");
  cmd->add_flag("--simulate-kubelet", args.simulate_kubelet,
                "Do the kubelet's DRA part for pods bound to this node (for dra server, which has\n"
                "no kubelet): prepare claims, report pods Running with device health");
  cmd->add_flag("--register-node", args.register_node,
                "Create the Node object when it does not exist (clusters without a kubelet)");
  cmd->add_flag("--install-device-classes", args.install_device_classes,
                "Create the drivers' DeviceClasses when they do not exist");

  cmd->add_option("--metrics-listen", args.metrics_listen,
                  "host:port to serve Prometheus /metrics on (prepare/unprepare latency and\n"
                  "errors, prepared claims, health events); not served by default");

  *fault_cmd = cmd->add_subcommand(
      "fault",
      "Inject (or clear) a device fault in the agent using --state-dir: the device gets a taint\n"
      "in its ResourceSlice and reports Unhealthy. E.g. dra node fault --device gpu-0 --xid 79");
  CLI::App* f = *fault_cmd;
  f->add_option("--state-dir", fault_args.state_dir, "The agent's --state-dir");
  f->add_option("--driver", fault_args.driver, "Driver of the device (default gpu.nvidia.com)");
  f->add_option("--device", fault_args.device, "Device name (e.g. gpu-0)");
  f->add_option("--xid", fault_args.xid, "A GPU XID error: taint gpu.nvidia.com/xid=<xid>");
  f->add_option("--key", fault_args.key, "Taint key (instead of --xid)");
  f->add_option("--value", fault_args.value, "Taint value");
  f->add_option("--effect", fault_args.effect,
                "NoSchedule (default), NoExecute (evicts pods using the device) or None")
      ->check(CLI::IsMember({"NoSchedule", "NoExecute", "None"}));
  f->add_flag("--clear", fault_args.clear,
              "Remove the faults of --device (of every device when none is given)");
  return cmd;
}

int RunNodeFault(const NodeFaultArgs& args, std::ostream& out, std::ostream& err) {
  if (args.clear) {
    absl::Status cleared = driver::ClearFaults(args.state_dir, args.driver, args.device);
    if (!cleared.ok()) {
      err << "dra node fault: " << cleared.message() << "\n";
      return kExitBadInput;
    }
    out << "faults cleared\n";
    return kExitOk;
  }
  if (args.device.empty()) {
    err << "dra node fault: --device is required\n";
    return kExitBadInput;
  }
  driver::DeviceFault fault{.driver = args.driver, .device = args.device};
  if (!args.xid.empty()) {
    char* end = nullptr;
    unsigned long long xid = std::strtoull(args.xid.c_str(), &end, 10);
    if (*end != '\0') {
      err << "dra node fault: --xid: not a number: " << args.xid << "\n";
      return kExitBadInput;
    }
    fault.taint = driver::gpu::XidTaint(xid);
  } else if (!args.key.empty()) {
    fault.taint.key = args.key;
    fault.taint.value = args.value;
    fault.taint.effect = "NoSchedule";
  } else {
    err << "dra node fault: give --xid or --key\n";
    return kExitBadInput;
  }
  if (!args.effect.empty()) fault.taint.effect = args.effect;
  absl::Status added = driver::AddFault(args.state_dir, fault);
  if (!added.ok()) {
    err << "dra node fault: " << added.message() << "\n";
    return kExitBadInput;
  }
  out << "device " << args.driver << "/" << args.device << " tainted " << fault.taint.key << "="
      << fault.taint.value << ":" << fault.taint.effect << "\n";
  return kExitOk;
}

int RunNode(const NodeArgs& args, std::ostream& out, std::ostream& err) {
  if (args.node_name.empty()) {
    err << "dra node: --node-name is required\n";
    return kExitBadInput;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  absl::StatusOr<client::ClusterConfig> cluster =
      args.in_cluster
          ? client::InClusterConfig()
          : client::LoadKubeconfig(
                args.kubeconfig.empty() ? client::DefaultKubeconfigPath() : args.kubeconfig,
                args.context);
  if (!cluster.ok()) {
    err << "dra node: " << cluster.status().message() << "\n";
    return kExitBadInput;
  }
  absl::StatusOr<std::unique_ptr<client::RestClient>> rest =
      client::RestClient::Create(*cluster, {.user_agent = "dra-node"});
  if (!rest.ok()) {
    err << "dra node: " << rest.status().message() << "\n";
    return kExitBadInput;
  }
  driver::NodeAgentOptions options;
  options.node_name = args.node_name;
  options.drivers.clear();
  for (const absl::string_view d : absl::StrSplit(args.drivers, ',', absl::SkipEmpty())) {
    options.drivers.emplace_back(d.data(), d.size());
  }
  options.gpu_source = args.gpu_source;
  for (const char* dir : {"usr/lib/x86_64-linux-gnu", "usr/lib64", "usr/lib"}) {
    std::filesystem::path lib =
        std::filesystem::path(args.nvidia_driver_root) / dir / "libnvidia-ml.so.1";
    if (args.nvidia_driver_root != "/" && std::filesystem::exists(lib)) {
      options.nvml_library = lib.string();
      break;
    }
  }
  options.reserved_cpus = args.reserved_cpus;
  options.consumable_capacity = args.consumable_capacity;
  options.cdi_dir = args.cdi_dir;
  options.state_dir = args.state_dir;
  options.serve_kubelet_grpc = args.kubelet_grpc;
  options.kubelet_plugins_dir = args.kubelet_plugins_dir;
  options.kubelet_registry_dir = args.kubelet_registry_dir;
  options.pod_uid = args.pod_uid;
  options.simulate_kubelet = args.simulate_kubelet;
  options.register_node = args.register_node;
  options.install_device_classes = args.install_device_classes;
  absl::StatusOr<std::unique_ptr<driver::NodeAgent>> agent =
      driver::NodeAgent::Start(rest->get(), options);
  if (!agent.ok()) {
    err << "dra node: " << agent.status().message() << "\n";
    return kExitBadInput;
  }
  for (const std::string& line : (*agent)->report()) out << "dra node: " << line << std::endl;
  std::ostringstream drivers;
  for (const std::string& name : (*agent)->driver_names()) drivers << " " << name;
  out << "dra node: node " << args.node_name << " serving drivers" << drivers.str() << std::endl;
  httplib::Server metrics_server;
  std::thread metrics_thread;
  if (!args.metrics_listen.empty()) {
    size_t colon = args.metrics_listen.rfind(':');
    std::string host = colon == std::string::npos ? "" : args.metrics_listen.substr(0, colon);
    int port = colon == std::string::npos ? 0 : std::atoi(args.metrics_listen.c_str() + colon + 1);
    metrics_server.Get("/metrics", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(metrics::Render(), "text/plain; version=0.0.4; charset=utf-8");
    });
    int bound =
        port == 0
            ? metrics_server.bind_to_any_port(host.empty() ? "0.0.0.0" : host)
            : (metrics_server.bind_to_port(host.empty() ? "0.0.0.0" : host, port) ? port : -1);
    if (bound <= 0) {
      err << "dra node: --metrics-listen " << args.metrics_listen << ": cannot listen\n";
      (*agent)->Stop();
      return kExitBadInput;
    }
    out << "dra node: metrics at http://" << (host.empty() ? "0.0.0.0" : host) << ":" << bound
        << "/metrics" << std::endl;
    metrics_thread = std::thread([&] { metrics_server.listen_after_bind(); });
  }
  int sig = 0;
  sigwait(&signals, &sig);
  if (metrics_thread.joinable()) {
    metrics_server.stop();
    metrics_thread.join();
  }
  (*agent)->Stop();
  out << "dra node: stopped" << std::endl;
  return kExitOk;
}

}  // namespace dra::cli
