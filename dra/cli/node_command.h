// `dra node`: the node agent (dra/driver/agent/node_agent.h) against any Kubernetes API server,
// and `dra node fault` / `dra node clear-faults` to inject device faults into a running agent
// (through its state directory).
//
// Thread-compatible: one call at a time.
#ifndef DRA_CLI_NODE_COMMAND_H_
#define DRA_CLI_NODE_COMMAND_H_

#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace dra::cli {

struct NodeArgs {
  std::string kubeconfig;  // default: $KUBECONFIG or ~/.kube/config
  std::string context;
  bool in_cluster = false;
  std::string node_name;
  std::string pod_uid;
  std::string drivers = "gpu,cpu,net";
  std::string gpu_source = "auto";
  std::string nvidia_driver_root = "/";
  std::string reserved_cpus;
  bool consumable_capacity = false;
  std::string cdi_dir = "/var/run/cdi";
  std::string state_dir = "/var/lib/dra-node";
  std::string kubelet_plugins_dir = "/var/lib/kubelet/plugins";
  std::string kubelet_registry_dir = "/var/lib/kubelet/plugins_registry";
  bool kubelet_grpc = true;
  bool simulate_kubelet = false;
  bool register_node = false;
  bool install_device_classes = false;
  std::string metrics_listen;  // host:port of /metrics; "" = not served
};

struct NodeFaultArgs {
  std::string state_dir = "/var/lib/dra-node";
  std::string driver = "gpu.nvidia.com";
  std::string device;
  std::string xid;  // a GPU XID: taint gpu.nvidia.com/xid=<xid>
  std::string key;
  std::string value;
  std::string effect;  // default: NoSchedule (None for application XIDs)
  bool clear = false;
};

// Adds `node` (with its `fault` subcommand) to `app`.
CLI::App* AddNodeCommand(CLI::App& app, NodeArgs& args, NodeFaultArgs& fault_args,
                         CLI::App** fault_cmd);

// Runs the agent until SIGINT or SIGTERM; 0 after a clean shutdown, 2 when it cannot start.
int RunNode(const NodeArgs& args, std::ostream& out, std::ostream& err);
// Edits the fault list of the agent using --state-dir; 0 on success, 2 on bad input.
int RunNodeFault(const NodeFaultArgs& args, std::ostream& out, std::ostream& err);

}  // namespace dra::cli

#endif  // DRA_CLI_NODE_COMMAND_H_
