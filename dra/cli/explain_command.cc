#include "dra/cli/explain_command.h"

#include <algorithm>
#include <ostream>
#include <string_view>
#include <utility>

#include "CLI/CLI.hpp"
#include "dra/api/codec/json.h"
#include "dra/api/value.h"
#include "dra/base/strings.h"
#include "dra/cli/commands.h"
#include "dra/client/errors.h"
#include "dra/client/kubeconfig.h"
#include "dra/client/rest_client.h"
#include "dra/scheduler/explain.h"

namespace dra::cli {
namespace {

using api::Value;
using scheduler::Report;

// Devices listed in full per group of the text output before the rest are counted.
constexpr size_t kListedDevices = 5;

std::string DeviceList(const std::vector<std::string>& devices) {
  std::vector<std::string> shown(devices.begin(),
                                 devices.begin() + std::min(devices.size(), kListedDevices));
  std::string text = dra::StrJoin(shown, ", ");
  if (devices.size() > kListedDevices) {
    dra::StrAppend(&text, ", ... (", devices.size() - kListedDevices, " more)");
  }
  return text;
}

void PrintIndented(std::ostream& out, std::string_view text, std::string_view prefix) {
  while (!text.empty()) {
    size_t nl = text.find('\n');
    out << prefix << text.substr(0, nl) << "\n";
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  }
}

std::string ClaimState(const scheduler::ClaimReport& c) {
  if (!c.problem.empty()) return c.problem;
  std::string state;
  if (!c.allocated) {
    state = "not allocated";
  } else if (!c.nodes.empty()) {
    std::vector<std::string> quoted;
    for (const std::string& n : c.nodes) quoted.push_back(GoQuote(n));
    state = dra::StrCat("allocated on node ", dra::StrJoin(quoted, ", "));
  } else if (!c.node_selector.empty()) {
    state = dra::StrCat("allocated for nodes where ", c.node_selector);
  } else {
    state = "allocated (devices reachable from every node)";
  }
  if (!c.reserved_for.empty()) {
    dra::StrAppend(&state, ", reserved for ", dra::StrJoin(c.reserved_for, ", "));
  } else if (c.allocated) {
    dra::StrAppend(&state, ", reserved for no pod");
  }
  if (c.deleting) dra::StrAppend(&state, ", being deleted");
  return state;
}

void PrintClaim(const scheduler::ClaimReport& c, std::ostream& out) {
  out << "  " << (c.name.empty() ? std::string("(no claim yet)") : dra::StrCat(c.ns, "/", c.name));
  if (!c.source.empty()) out << " (" << c.source << ")";
  out << ": " << ClaimState(c) << "\n";
  for (const scheduler::AllocatedDevice& d : c.devices) {
    out << "    request " << GoQuote(d.request) << ": " << d.device;
    if (d.share_id.has_value()) out << " (share " << *d.share_id << ")";
    if (d.admin_access) out << " (admin access)";
    out << "\n";
    out << "      health: " << (d.health.empty() ? "not reported" : d.health);
    if (!d.health_message.empty()) out << " (" << d.health_message << ")";
    out << "\n";
    if (!d.taints.empty()) out << "      taints: " << dra::StrJoin(d.taints, ", ") << "\n";
    for (const std::string& condition : d.conditions) {
      out << "      condition: " << condition << "\n";
    }
  }
}

void PrintPending(const scheduler::PendingExplanation& p, std::ostream& out) {
  out << "\nWhy (the scheduler's decision now):\n";
  PrintIndented(out, p.verdict, "  ");
  if (!p.nodes.empty() && !p.fatal) {
    out << "\nNodes:\n";
    for (const scheduler::NodeVerdict& v : p.nodes) {
      out << "  " << v.node << ": " << (v.fits ? std::string("fits") : v.reason) << "\n";
    }
    if (p.nodes_not_examined > 0) {
      out << "  (" << p.nodes_not_examined << " more nodes not examined one by one)\n";
    }
  }
  for (const scheduler::PendingClaim& claim : p.claims) {
    out << "\nClaim " << claim.claim << ":\n";
    for (const scheduler::RequestExplanation& r : claim.requests) {
      out << "  request " << GoQuote(r.name) << ": " << r.summary << "\n";
      for (const scheduler::RequestOnNode& n : r.nodes) {
        out << "    node " << GoQuote(n.node) << ": " << n.candidates.size() << " of " << n.devices
            << " devices can serve it, "
            << (r.all ? std::string("all matching needed") : dra::StrCat(r.needed, " needed"))
            << "\n";
        for (const scheduler::DeviceGroup& g : n.rejected) {
          out << "      " << g.devices.size() << " " << g.check;
          if (!g.detail.empty()) out << " (" << g.detail << ")";
          out << ": " << DeviceList(g.devices) << "\n";
        }
        if (!n.candidates.empty()) {
          out << "      candidates: " << DeviceList(n.candidates) << "\n";
        }
      }
    }
    for (const scheduler::ConstraintExplanation& c : claim.constraints) {
      out << "  " << c.summary << "\n";
      for (const scheduler::ConstraintOnNode& n : c.nodes) {
        out << "    node " << GoQuote(n.node) << ":\n";
        for (const std::string& f : n.findings) out << "      " << f << "\n";
      }
    }
    for (const std::string& hint : claim.hints) out << "  hint: " << hint << "\n";
  }
}

void PrintText(const Report& r, std::ostream& out) {
  if (r.kind == Report::Kind::kPod) {
    out << "Pod " << r.ns << "/" << r.name << ": " << r.summary << "\n";
    if (!r.scheduled_status.empty()) {
      out << "  PodScheduled=" << r.scheduled_status;
      if (!r.scheduled_reason.empty()) out << " (" << r.scheduled_reason << ")";
      out << "\n";
      // The recorded message, unless the verdict below says the same now.
      if (!r.scheduled_message.empty() &&
          !(r.pending.has_value() && r.pending->verdict == r.scheduled_message)) {
        PrintIndented(out, r.scheduled_message, "    ");
      }
    }
    out << "\nClaims:\n";
    if (r.claims.empty()) out << "  none\n";
    for (const scheduler::ClaimReport& c : r.claims) PrintClaim(c, out);
  } else {
    out << "ResourceClaim " << r.ns << "/" << r.name << ": " << r.summary << "\n";
    for (const scheduler::ClaimReport& c : r.claims) PrintClaim(c, out);
  }
  if (r.pending.has_value()) PrintPending(*r.pending, out);
  out << "\nEvents:\n";
  if (r.events.empty()) out << "  none\n";
  for (const scheduler::EventReport& e : r.events) {
    out << "  " << e.type << " " << e.reason;
    if (e.count > 1) out << " (x" << e.count << ")";
    if (r.kind == Report::Kind::kClaim) out << " on " << e.object;
    if (!e.source.empty()) out << " from " << e.source;
    std::string_view message = e.message;
    size_t nl = message.find('\n');
    out << ": " << message.substr(0, nl) << "\n";
    if (nl != std::string_view::npos) PrintIndented(out, message.substr(nl + 1), "    ");
  }
}

Value Str(const std::string& s) { return Value::String(s); }

Value Strings(const std::vector<std::string>& list) {
  Value array = Value::Array();
  for (const std::string& s : list) array.Append(Str(s));
  return array;
}

Value ClaimJson(const scheduler::ClaimReport& c) {
  Value v = Value::Object();
  v.Set("namespace", Str(c.ns));
  v.Set("name", Str(c.name));
  if (!c.source.empty()) v.Set("source", Str(c.source));
  v.Set("found", Value::Bool(c.found));
  if (!c.problem.empty()) v.Set("problem", Str(c.problem));
  v.Set("allocated", Value::Bool(c.allocated));
  v.Set("nodes", Strings(c.nodes));
  if (!c.node_selector.empty()) v.Set("nodeSelector", Str(c.node_selector));
  Value devices = Value::Array();
  for (const scheduler::AllocatedDevice& d : c.devices) {
    Value dv = Value::Object();
    dv.Set("request", Str(d.request));
    dv.Set("device", Str(d.device));
    if (d.share_id.has_value()) dv.Set("shareID", Str(*d.share_id));
    if (d.admin_access) dv.Set("adminAccess", Value::Bool(true));
    dv.Set("health", Str(d.health));
    if (!d.health_message.empty()) dv.Set("healthMessage", Str(d.health_message));
    dv.Set("taints", Strings(d.taints));
    dv.Set("conditions", Strings(d.conditions));
    devices.Append(std::move(dv));
  }
  v.Set("devices", std::move(devices));
  v.Set("reservedFor", Strings(c.reserved_for));
  if (c.deleting) v.Set("deleting", Value::Bool(true));
  return v;
}

Value PendingJson(const scheduler::PendingExplanation& p) {
  Value v = Value::Object();
  v.Set("verdict", Str(p.verdict));
  v.Set("fits", Value::Bool(p.fits));
  if (!p.node.empty()) v.Set("node", Str(p.node));
  v.Set("fatal", Value::Bool(p.fatal));
  Value nodes = Value::Array();
  for (const scheduler::NodeVerdict& n : p.nodes) {
    Value nv = Value::Object();
    nv.Set("node", Str(n.node));
    nv.Set("fits", Value::Bool(n.fits));
    if (!n.reason.empty()) nv.Set("reason", Str(n.reason));
    if (!n.explanation.empty()) nv.Set("explanation", Str(n.explanation));
    nodes.Append(std::move(nv));
  }
  v.Set("nodes", std::move(nodes));
  if (p.nodes_not_examined > 0) {
    v.Set("nodesNotExamined", Value::Int(static_cast<int64_t>(p.nodes_not_examined)));
  }
  Value claims = Value::Array();
  for (const scheduler::PendingClaim& c : p.claims) {
    Value cv = Value::Object();
    cv.Set("claim", Str(c.claim));
    Value requests = Value::Array();
    for (const scheduler::RequestExplanation& r : c.requests) {
      Value rv = Value::Object();
      rv.Set("name", Str(r.name));
      rv.Set("summary", Str(r.summary));
      rv.Set("needed", Value::Int(r.needed));
      rv.Set("all", Value::Bool(r.all));
      Value rnodes = Value::Array();
      for (const scheduler::RequestOnNode& n : r.nodes) {
        Value nv = Value::Object();
        nv.Set("node", Str(n.node));
        nv.Set("devices", Value::Int(n.devices));
        Value rejected = Value::Array();
        for (const scheduler::DeviceGroup& g : n.rejected) {
          Value gv = Value::Object();
          gv.Set("check", Str(g.check));
          if (!g.detail.empty()) gv.Set("detail", Str(g.detail));
          gv.Set("devices", Strings(g.devices));
          rejected.Append(std::move(gv));
        }
        nv.Set("rejected", std::move(rejected));
        nv.Set("candidates", Strings(n.candidates));
        rnodes.Append(std::move(nv));
      }
      rv.Set("nodes", std::move(rnodes));
      requests.Append(std::move(rv));
    }
    cv.Set("requests", std::move(requests));
    Value constraints = Value::Array();
    for (const scheduler::ConstraintExplanation& con : c.constraints) {
      Value conv = Value::Object();
      conv.Set("summary", Str(con.summary));
      Value cnodes = Value::Array();
      for (const scheduler::ConstraintOnNode& n : con.nodes) {
        Value nv = Value::Object();
        nv.Set("node", Str(n.node));
        nv.Set("canHold", Value::Bool(n.can_hold));
        nv.Set("findings", Strings(n.findings));
        cnodes.Append(std::move(nv));
      }
      conv.Set("nodes", std::move(cnodes));
      constraints.Append(std::move(conv));
    }
    cv.Set("constraints", std::move(constraints));
    cv.Set("hints", Strings(c.hints));
    claims.Append(std::move(cv));
  }
  v.Set("claims", std::move(claims));
  return v;
}

Value ReportJson(const Report& r) {
  Value v = Value::Object();
  v.Set("kind", Str(r.kind == Report::Kind::kPod ? "Pod" : "ResourceClaim"));
  v.Set("namespace", Str(r.ns));
  v.Set("name", Str(r.name));
  v.Set("satisfied", Value::Bool(r.satisfied));
  v.Set("summary", Str(r.summary));
  if (r.kind == Report::Kind::kPod) {
    v.Set("phase", Str(r.phase));
    v.Set("node", Str(r.node));
    Value scheduled = Value::Object();
    scheduled.Set("status", Str(r.scheduled_status));
    scheduled.Set("reason", Str(r.scheduled_reason));
    scheduled.Set("message", Str(r.scheduled_message));
    v.Set("podScheduled", std::move(scheduled));
  }
  Value claims = Value::Array();
  for (const scheduler::ClaimReport& c : r.claims) claims.Append(ClaimJson(c));
  v.Set("claims", std::move(claims));
  if (r.pending.has_value()) v.Set("pending", PendingJson(*r.pending));
  Value events = Value::Array();
  for (const scheduler::EventReport& e : r.events) {
    Value ev = Value::Object();
    ev.Set("type", Str(e.type));
    ev.Set("reason", Str(e.reason));
    ev.Set("message", Str(e.message));
    ev.Set("source", Str(e.source));
    ev.Set("count", Value::Int(e.count));
    ev.Set("lastSeen", Str(e.last_seen));
    ev.Set("object", Str(e.object));
    events.Append(std::move(ev));
  }
  v.Set("events", std::move(events));
  return v;
}

// The kind of `word` ("pod", "pods", "po", "claim", "resourceclaim", ...), or nullopt.
std::optional<Report::Kind> KindOf(std::string_view word) {
  for (std::string_view w : {"pod", "pods", "po"}) {
    if (word == w) return Report::Kind::kPod;
  }
  for (std::string_view w : {"claim", "claims", "resourceclaim", "resourceclaims",
                             "resourceclaim.resource.k8s.io", "resourceclaims.resource.k8s.io"}) {
    if (word == w) return Report::Kind::kClaim;
  }
  return std::nullopt;
}

}  // namespace

CLI::App* AddExplainCommand(CLI::App& app, ExplainArgs& args) {
  CLI::App* cmd = app.add_subcommand(
      "explain",
      "Say why a pod or ResourceClaim is pending, or how it was satisfied, from the live cluster\n"
      "(any Kubernetes API server): the scheduler's verdict now, per request which selector\n"
      "rejected which devices, which devices are in use by which claim, tainted, out of shared\n"
      "counters or capacity, which constraint cannot hold and why; for allocated claims the\n"
      "devices, node, reserving pods, device health and taints, and the pod's events.\n"
      "Usage: dra explain pod|claim NAME [-n NS]   (also: kubectl dra explain ...)\n"
      "Exit status: 0 running / allocated, 1 pending, 2 bad input or not found.");
  cmd->add_option("target", args.target, "pod NAME | claim NAME | pod/NAME | resourceclaim/NAME")
      ->required()
      ->expected(1, 2);
  cmd->add_option("-n,--namespace", args.namespace_,
                  "Namespace (default: the kubeconfig context's, else default)");
  cmd->add_option("--kubeconfig", args.kubeconfig,
                  "kubeconfig of the cluster (default $KUBECONFIG or ~/.kube/config)");
  cmd->add_option("--context", args.context, "kubeconfig context (default: current-context)");
  cmd->add_option("-o,--output", args.output, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--max-nodes", args.max_nodes,
                  "Nodes examined one by one for a pending claim (default 20)")
      ->check(CLI::PositiveNumber);
  return cmd;
}

int RunExplain(const ExplainArgs& args, std::ostream& out, std::ostream& err) {
  std::string kind_word, name;
  if (args.target.size() == 2) {
    kind_word = args.target[0];
    name = args.target[1];
  } else if (size_t slash = args.target[0].find('/'); slash != std::string::npos) {
    kind_word = args.target[0].substr(0, slash);
    name = args.target[0].substr(slash + 1);
  } else {
    kind_word = args.target[0];
  }
  std::optional<Report::Kind> kind = KindOf(kind_word);
  if (!kind.has_value()) {
    err << "error: dra explain: unknown kind " << GoQuote(kind_word) << " (want pod or claim)\n";
    return kExitBadInput;
  }
  if (name.empty()) {
    err << "error: dra explain: which " << kind_word << "? Usage: dra explain " << kind_word
        << " NAME\n";
    return kExitBadInput;
  }
  std::string path = args.kubeconfig.empty() ? client::DefaultKubeconfigPath() : args.kubeconfig;
  absl::StatusOr<client::ClusterConfig> cluster = client::LoadKubeconfig(path, args.context);
  if (!cluster.ok()) {
    err << "error: " << cluster.status().message() << "\n";
    return kExitBadInput;
  }
  std::string ns = !args.namespace_.empty()              ? args.namespace_
                   : !cluster->default_namespace.empty() ? cluster->default_namespace
                                                         : "default";
  absl::StatusOr<std::unique_ptr<client::RestClient>> rest =
      client::RestClient::Create(*cluster, {.user_agent = "dra-explain"});
  if (!rest.ok()) {
    err << "error: " << rest.status().message() << "\n";
    return kExitBadInput;
  }
  absl::StatusOr<Report> report =
      scheduler::Explain(**rest, *kind, ns, name, {.max_nodes = args.max_nodes});
  if (!report.ok()) {
    std::string reason = client::ReasonOf(report.status());
    if (!reason.empty()) {
      err << "Error from server (" << reason << "): " << report.status().message() << "\n";
    } else {
      err << "error: " << report.status().message() << "\n";
    }
    return kExitBadInput;
  }
  if (args.output == "json") {
    out << api::WriteJson(ReportJson(*report), 2) << "\n";
  } else {
    PrintText(*report, out);
  }
  return report->satisfied ? kExitOk : kExitInvalid;
}

}  // namespace dra::cli
