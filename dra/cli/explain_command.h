// `dra explain pod|claim NAME`: why a pod or ResourceClaim is pending, or how it was satisfied,
// from the live state of any Kubernetes API server (see dra/scheduler/explain.h). Also what
// `kubectl dra explain ...` runs when the binary is installed as the kubectl plugin `kubectl-dra`
// (kubectl passes every argument after the plugin name, so the command takes --kubeconfig,
// --context and -n/--namespace itself).
//
// Thread-compatible: one call at a time per set of streams.
#ifndef DRA_CLI_EXPLAIN_COMMAND_H_
#define DRA_CLI_EXPLAIN_COMMAND_H_

#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace dra::cli {

struct ExplainArgs {
  // "pod NAME", "claim NAME", or "pod/NAME" / "resourceclaim/NAME" (kubectl's TYPE/NAME).
  std::vector<std::string> target;
  std::string namespace_;  // default: the context's namespace, else "default"
  std::string kubeconfig;  // default: $KUBECONFIG or ~/.kube/config
  std::string context;
  std::string output = "text";  // text | json
  size_t max_nodes = 20;
};

CLI::App* AddExplainCommand(CLI::App& app, ExplainArgs& args);

// Exit status: 0 the pod is Running (or Succeeded) or the claim is allocated, 1 pending (the
// reason is printed), 2 bad input: usage, an unreadable kubeconfig, an unknown pod or claim
// (the server's NotFound message on `err`), or the server cannot be reached.
int RunExplain(const ExplainArgs& args, std::ostream& out, std::ostream& err);

}  // namespace dra::cli

#endif  // DRA_CLI_EXPLAIN_COMMAND_H_
