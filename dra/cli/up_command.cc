#include "dra/cli/up_command.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "CLI/CLI.hpp"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "dra/api/codec/codec.h"
#include "dra/base/strings.h"
#include "dra/cli/cli.h"
#include "dra/cli/control_plane.h"
#include "dra/cli/internal/scenarios.h"
#include "dra/cli/server_command.h"
#include "dra/client/resource_ref.h"
#include "dra/driver/agent/node_agent.h"

namespace dra::cli {
namespace {

namespace fs = std::filesystem;

struct NodeSpec {
  std::string name;
  std::string hardware;  // profile name, or "auto"
  bool shared = false;
};

absl::StatusOr<std::vector<NodeSpec>> PlanNodes(const UpArgs& args) {
  std::vector<std::string> profiles;
  for (absl::string_view p : absl::StrSplit(args.profile, ',', absl::SkipEmpty())) {
    profiles.emplace_back(p.data(), p.size());
  }
  if (profiles.empty()) return absl::InvalidArgumentError("--profile: no profile given");
  if (args.nodes < 1) return absl::InvalidArgumentError("--nodes: must be at least 1");
  std::vector<NodeSpec> nodes;
  std::map<std::string, int> count;
  for (int i = 0; i < args.nodes; ++i) {
    NodeSpec node;
    std::string profile = profiles[i % profiles.size()];
    if (profile.size() > 7 && profile.substr(profile.size() - 7) == "+shared") {
      node.shared = true;
      profile.resize(profile.size() - 7);
    }
    node.hardware = profile;
    if (profile == "auto") {
      if (args.nodes != 1) {
        return absl::InvalidArgumentError("--profile auto: this machine is one node (--nodes 1)");
      }
      char host[256] = {0};
      gethostname(host, sizeof(host) - 1);
      node.name = host[0] != '\0' ? host : "localhost";
      std::transform(node.name.begin(), node.name.end(), node.name.begin(), ::tolower);
    } else {
      std::string base = fs::path(profile).stem().string();
      node.name =
          StrCat(base, node.shared ? "-shared-" : "-", ++count[profile + (node.shared ? "+" : "")]);
    }
    nodes.push_back(node);
  }
  return nodes;
}

// Creates every object of a scenario; objects that exist already are left as they are.
absl::Status ApplyScenario(client::RestClient& client, std::string_view text,
                           std::string_view name) {
  absl::StatusOr<std::vector<api::Value>> docs = api::ParseDocuments(text);
  if (!docs.ok()) return absl::InvalidArgumentError(StrCat(name, ": ", docs.status().message()));
  for (const api::Value& doc : *docs) {
    api::ObjectIdentity id = api::IdentityOf(doc);
    std::optional<client::ResourceRef> ref = client::ResourceRefForKind(id.api_version, id.kind);
    if (!ref.has_value()) {
      return absl::InvalidArgumentError(StrCat(name, ": kind ", id.kind, " is not applied"));
    }
    absl::StatusOr<api::Value> created = client.Create(*ref, id.namespace_, doc);
    if (!created.ok() && !absl::IsAlreadyExists(created.status())) {
      return absl::Status(created.status().code(),
                          StrCat(name, ": ", id.Describe(), ": ", created.status().message()));
    }
  }
  return absl::OkStatus();
}

// The namespaces a scenario creates, and the pods it will have (pods, plus Deployment replicas).
std::set<std::string> ScenarioNamespaces(std::string_view text, size_t* pods) {
  std::set<std::string> namespaces;
  absl::StatusOr<std::vector<api::Value>> docs = api::ParseDocuments(text);
  if (!docs.ok()) return namespaces;
  for (const api::Value& doc : *docs) {
    api::ObjectIdentity id = api::IdentityOf(doc);
    if (id.kind == "Namespace") namespaces.insert(id.name);
    if (id.kind == "Pod") ++*pods;
    if (id.kind == "Deployment") {
      const api::Value* spec = doc.Find("spec");
      const api::Value* replicas = spec != nullptr ? spec->Find("replicas") : nullptr;
      *pods += replicas != nullptr && replicas->is_number() ? replicas->AsInt64().value_or(1) : 1;
    }
  }
  return namespaces;
}

struct PodRow {
  std::string ns, pod, node, claims, devices;
  bool running = false;
};

// The demo pods and their devices, from the API.
std::vector<PodRow> DemoRows(client::RestClient& client, const std::set<std::string>& namespaces) {
  std::vector<PodRow> rows;
  for (const std::string& ns : namespaces) {
    absl::StatusOr<client::ListResult> pods = client.List(client::Pods(), ns);
    absl::StatusOr<client::ListResult> claims = client.List(client::ResourceClaims(), ns);
    if (!pods.ok() || !claims.ok()) continue;
    std::map<std::string, api::ResourceClaim> by_name;
    for (const api::Value& item : claims->items) {
      absl::StatusOr<api::ResourceClaim> claim =
          api::DecodeAs<api::ResourceClaim>(item, {.strict = false});
      if (claim.ok()) by_name[claim->metadata.name] = *claim;
    }
    for (const api::Value& item : pods->items) {
      absl::StatusOr<api::Pod> pod = api::DecodeAs<api::Pod>(item, {.strict = false});
      if (!pod.ok()) continue;
      PodRow row{.ns = ns, .pod = pod->metadata.name, .node = pod->spec.node_name};
      row.running = pod->status.phase == "Running";
      std::vector<std::string> claim_names, devices;
      for (const api::PodResourceClaim& ref : pod->spec.resource_claims) {
        std::string claim_name = ref.resource_claim_name.value_or("");
        for (const api::PodResourceClaimStatus& st : pod->status.resource_claim_statuses) {
          if (st.name == ref.name) claim_name = st.resource_claim_name.value_or("");
        }
        if (claim_name.empty()) continue;
        claim_names.push_back(claim_name);
        auto it = by_name.find(claim_name);
        if (it == by_name.end() || !it->second.status.allocation.has_value()) continue;
        for (const api::DeviceRequestAllocationResult& r :
             it->second.status.allocation->devices.results) {
          devices.push_back(StrCat(r.driver, "/", r.device));
        }
      }
      std::ostringstream c, d;
      for (size_t i = 0; i < claim_names.size(); ++i) c << (i ? "," : "") << claim_names[i];
      for (size_t i = 0; i < devices.size(); ++i) d << (i ? "," : "") << devices[i];
      row.claims = c.str();
      row.devices = d.str();
      if (!row.running) {
        for (const api::PodCondition& cond : pod->status.conditions) {
          if (cond.type == "PodScheduled" && cond.status == "False") {
            row.devices = StrCat("pending: ", cond.message.substr(0, cond.message.find('\n')));
          }
        }
        if (row.node.empty()) row.node = "<none>";
      }
      rows.push_back(row);
    }
  }
  return rows;
}

void PrintTable(const std::vector<PodRow>& rows, std::ostream& out) {
  size_t w[4] = {9, 3, 4, 5};
  for (const PodRow& r : rows) {
    w[0] = std::max(w[0], r.ns.size());
    w[1] = std::max(w[1], r.pod.size());
    w[2] = std::max(w[2], r.node.size());
    w[3] = std::max(w[3], r.claims.size());
  }
  auto cell = [&](const std::string& s, size_t width) {
    out << std::left << std::setw(static_cast<int>(width + 3)) << s;
  };
  cell("NAMESPACE", w[0]);
  cell("POD", w[1]);
  cell("NODE", w[2]);
  cell("CLAIM", w[3]);
  out << "DEVICES\n";
  for (const PodRow& r : rows) {
    cell(r.ns, w[0]);
    cell(r.pod, w[1]);
    cell(r.node, w[2]);
    cell(r.claims, w[3]);
    out << r.devices << "\n";
  }
}

}  // namespace

CLI::App* AddUpCommand(CLI::App& app, UpArgs& args) {
  CLI::App* cmd = app.add_subcommand(
      "up",
      "Run a whole DRA cluster in this process: the API server (embedded storage), scheduler and\n"
      "controllers of `dra server`, and node agents on simulated GPU nodes (or this machine's\n"
      "hardware with --profile auto). kubectl works against it with the kubeconfig it prints.");
  cmd->add_option("--data-dir", args.data_dir,
                  "State (database, credentials, node checkpoints); kept across restarts\n"
                  "(default <XDG data dir>/dra/up; with --demo a temporary directory)");
  cmd->add_option("--listen", args.listen, "host:port of the API server (default 127.0.0.1:6443)");
  cmd->add_option("--nodes", args.nodes, "Number of node agents (default 3)");
  cmd->add_option("--profile", args.profile,
                  "Hardware of the nodes, used in turn: builtin profiles (dgx-h100, a100-mig) or\n"
                  "profile files, NAME+shared for GPUs shared by memory and NICs by bandwidth,\n"
                  "or auto for this machine (default dgx-h100,a100-mig)");
  cmd->add_flag("--insecure-http", args.insecure_http,
                "Serve plain HTTP without authentication (local experiments only)");
  cmd->add_flag("--demo", args.demo,
                "Apply the scenario examples, wait for their pods, print which claim got which\n"
                "devices, and exit");
  cmd->add_option("--demo-timeout", args.demo_timeout_seconds,
                  "Seconds the demo waits for its pods (default 60)");
  return cmd;
}

int RunUp(const UpArgs& args, std::ostream& out, std::ostream& err) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  absl::StatusOr<std::vector<NodeSpec>> nodes = PlanNodes(args);
  if (!nodes.ok()) {
    err << "dra up: " << nodes.status().message() << "\n";
    return kExitBadInput;
  }
  std::string data_dir = args.data_dir;
  bool temporary = false;
  if (data_dir.empty() && args.demo) {
    std::string pattern = (fs::temp_directory_path() / "dra-demo-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      err << "dra up: cannot create a temporary directory\n";
      return kExitBadInput;
    }
    data_dir = pattern;
    temporary = true;
  } else if (data_dir.empty()) {
    data_dir = (fs::path(DefaultDataDir()) / "up").string();
  }
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ec;
      if (!dir.empty()) fs::remove_all(dir, ec);
    }
  } cleanup{temporary ? data_dir : ""};

  apiserver::ServerConfig config;
  config.listen = args.listen;
  config.data_dir = (fs::path(data_dir) / "server").string();
  config.insecure_http = args.insecure_http;
  absl::StatusOr<std::unique_ptr<ControlPlane>> plane = ControlPlane::Start({.server = config});
  if (!plane.ok()) {
    err << "dra up: " << plane.status().message() << "\n";
    return kExitBadInput;
  }
  std::vector<std::unique_ptr<client::RestClient>> clients;
  std::vector<std::unique_ptr<driver::NodeAgent>> agents;
  auto stop = [&] {
    for (auto& agent : agents) agent->Stop();
    agents.clear();
    clients.clear();
    (*plane)->Stop();
  };
  std::ostringstream summary;
  for (const NodeSpec& node : *nodes) {
    // The agents run in this process too: they reach the server in-process, as the
    // controllers do.
    absl::StatusOr<std::unique_ptr<client::RestClient>> client =
        (*plane)->NewLoopbackClient(StrCat("dra-node/", node.name));
    if (!client.ok()) {
      err << "dra up: " << client.status().message() << "\n";
      stop();
      return kExitBadInput;
    }
    driver::NodeAgentOptions options;
    options.node_name = node.name;
    options.gpu_source = node.hardware == "auto" ? "auto" : StrCat("profile:", node.hardware);
    if (node.hardware != "auto" && fs::exists(node.hardware)) options.gpu_source = node.hardware;
    fs::path dir = fs::path(data_dir) / "nodes" / node.name;
    options.cdi_dir = (dir / "cdi").string();
    options.state_dir = (dir / "state").string();
    options.serve_kubelet_grpc = false;
    options.simulate_kubelet = true;
    options.register_node = true;
    options.install_device_classes = true;
    options.consumable_capacity = node.shared;
    absl::StatusOr<std::unique_ptr<driver::NodeAgent>> agent =
        driver::NodeAgent::Start(client->get(), options);
    if (!agent.ok()) {
      err << "dra up: node " << node.name << ": " << agent.status().message() << "\n";
      stop();
      return kExitBadInput;
    }
    for (const std::string& line : (*agent)->report()) {
      out << "dra up: node " << node.name << ": " << line << "\n";
    }
    summary << (agents.empty() ? "" : ", ") << node.name << " (" << node.hardware
            << (node.shared ? ", shared" : "") << ")";
    clients.push_back(*std::move(client));
    agents.push_back(*std::move(agent));
  }
  apiserver::ApiServer& server = (*plane)->server();
  out << "dra up: ready at " << server.url() << " with " << agents.size()
      << " nodes: " << summary.str() << " (data " << data_dir << ")\n"
      << "dra up: web UI at " << server.ui_url() << "\n"
      << "dra up: kubeconfig: " << server.kubeconfig_path() << "\n"
      << "export KUBECONFIG=" << server.kubeconfig_path() << std::endl;

  if (!args.demo) {
    int received = 0;
    sigwait(&signals, &received);
    out << "dra up: shutting down (signal " << received << ")" << std::endl;
    stop();
    return kExitOk;
  }

  absl::StatusOr<std::unique_ptr<client::RestClient>> demo = (*plane)->NewClient("dra-up-demo");
  if (!demo.ok()) {
    err << "dra up: " << demo.status().message() << "\n";
    stop();
    return kExitBadInput;
  }
  std::set<std::string> namespaces;
  size_t expected_pods = 0;
  for (const std::string& wanted : args.demo_scenarios) {
    bool found = false;
    for (const internal::EmbeddedScenario& scenario : internal::EmbeddedScenarios()) {
      if (scenario.name != wanted) continue;
      found = true;
      out << "dra up: applying examples/scenarios/" << scenario.name << ".yaml" << std::endl;
      absl::Status applied = ApplyScenario(**demo, scenario.text, scenario.name);
      if (!applied.ok()) {
        err << "dra up: " << applied.message() << "\n";
        stop();
        return kExitBadInput;
      }
      for (const std::string& ns : ScenarioNamespaces(scenario.text, &expected_pods)) {
        namespaces.insert(ns);
      }
    }
    if (!found) {
      err << "dra up: no scenario " << wanted << "\n";
      stop();
      return kExitBadInput;
    }
  }
  absl::Time deadline = absl::Now() + absl::Seconds(args.demo_timeout_seconds);
  std::vector<PodRow> rows;
  while (true) {
    rows = DemoRows(**demo, namespaces);
    bool all_running =
        rows.size() >= expected_pods &&
        std::all_of(rows.begin(), rows.end(), [](const PodRow& r) { return r.running; });
    if (all_running || absl::Now() >= deadline) break;
    sigset_t pending;
    sigpending(&pending);
    if (sigismember(&pending, SIGINT) || sigismember(&pending, SIGTERM)) break;
    absl::SleepFor(absl::Milliseconds(200));
  }
  out << "\n";
  PrintTable(rows, out);
  bool all_running =
      rows.size() >= expected_pods &&
      std::all_of(rows.begin(), rows.end(), [](const PodRow& r) { return r.running; });
  demo->reset();
  stop();
  return all_running ? kExitOk : kExitInvalid;
}

}  // namespace dra::cli
