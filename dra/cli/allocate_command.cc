#include "dra/cli/allocate_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "CLI/CLI.hpp"
#include "dra/allocator/allocator.h"
#include "dra/api/codec/codec.h"
#include "dra/api/defaults.h"
#include "dra/api/validation/validation.h"
#include "dra/base/strings.h"
#include "dra/cel/validation_hook.h"
#include "dra/cli/commands.h"
#include "dra/cli/input.h"

namespace dra::cli {
namespace {

using allocator::AllocationOutcome;
using allocator::Allocator;
using allocator::NodeInfo;

// Node names listed in full in the "cannot allocate" summary, and nodes whose explanation is
// printed, before the rest are only counted.
constexpr size_t kMaxListedNodes = 20;
constexpr size_t kMaxExplainedNodes = 10;

// The objects of the input that allocation reads.
struct Inputs {
  std::vector<api::Node> nodes;
  std::vector<api::DeviceClass> classes;
  std::vector<api::ResourceSlice> slices;
  std::vector<api::ResourceClaim> allocated;  // claims with status.allocation
  std::vector<api::ResourceClaim> pending;    // the others, in input order
};

// Go's strconv.ParseBool, which Kubernetes uses for --feature-gates values.
std::optional<bool> ParseGoBool(std::string_view s) {
  for (std::string_view t : {"1", "t", "T", "TRUE", "true", "True"}) {
    if (s == t) return true;
  }
  for (std::string_view f : {"0", "f", "F", "FALSE", "false", "False"}) {
    if (s == f) return false;
  }
  return std::nullopt;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Applies "Name=bool,Name=bool" items to the all-on default; returns false after printing the
// first bad item.
bool ParseFeatureGates(const std::vector<std::string>& items, allocator::Features& features,
                       std::ostream& err) {
  for (std::string_view item : items) {
    while (!item.empty()) {
      size_t comma = item.find(',');
      std::string_view gate = Trim(item.substr(0, comma));
      item = comma == std::string_view::npos ? std::string_view() : item.substr(comma + 1);
      if (gate.empty()) continue;
      size_t eq = gate.find('=');
      if (eq == std::string_view::npos) {
        err << "error: --feature-gates: invalid item \"" << gate << "\": want Name=true|false\n";
        return false;
      }
      std::string_view name = Trim(gate.substr(0, eq));
      std::optional<bool> value = ParseGoBool(Trim(gate.substr(eq + 1)));
      if (!value.has_value()) {
        err << "error: --feature-gates: invalid value of " << name << ": \""
            << Trim(gate.substr(eq + 1)) << "\" (want true or false)\n";
        return false;
      }
      if (!features.Set(name, *value)) {
        err << "error: --feature-gates: unknown feature gate \"" << name
            << "\" (known: DRAPrioritizedList, DRAAdminAccess, DRADeviceTaints, "
               "DRAPartitionableDevices, DRAConsumableCapacity, DRADeviceBindingConditions, "
               "DRAResourceClaimDeviceStatus, DRAListTypeAttributes)\n";
        return false;
      }
    }
  }
  return true;
}

// Decodes, defaults and validates one document and files it in `inputs`. Prints problems to
// `err`; returns false if the document is invalid.
bool AddDocument(const api::Value& raw, Inputs& inputs, std::ostream& err) {
  api::DecodedDocument doc = api::DecodeDocument(raw);
  if (absl::IsNotFound(doc.status)) {
    err << "allocate: ignoring " << doc.identity.Describe() << " (" << doc.identity.api_version
        << " " << doc.identity.kind << " is not read by dra allocate)\n";
    return true;
  }
  if (!doc.status.ok()) {
    err << "error: " << doc.status.message() << "\n";
    return false;
  }
  if (!doc.object.has_value()) {
    for (const api::FieldError& e : doc.errors) {
      err << "error: " << doc.identity.Describe() << ": " << e.ToString() << "\n";
    }
    return false;
  }
  api::Object object = std::move(*doc.object);
  if (auto* claim = std::get_if<api::ResourceClaim>(&object);
      claim != nullptr && claim->metadata.namespace_.empty()) {
    claim->metadata.namespace_ = "default";
  }
  bool used = std::holds_alternative<api::Node>(object) ||
              std::holds_alternative<api::DeviceClass>(object) ||
              std::holds_alternative<api::ResourceSlice>(object) ||
              std::holds_alternative<api::ResourceClaim>(object);
  api::ObjectIdentity id = api::IdentityOf(object);
  if (!used) {
    err << "allocate: ignoring " << id.Describe() << " (dra allocate reads Nodes, DeviceClasses, "
        << "ResourceSlices and ResourceClaims)\n";
    return true;
  }
  api::ApplyDefaults(object);
  api::FieldErrorList errors = doc.errors;
  api::FieldErrorList validation_errors =
      api::ValidateObject(object, cel::SelectorValidationOptions());
  errors.insert(errors.end(), validation_errors.begin(), validation_errors.end());
  if (!errors.empty()) {
    for (const api::FieldError& e : errors) {
      err << "error: " << id.Describe() << ": " << e.ToString() << "\n";
    }
    return false;
  }
  std::visit(
      [&](auto& o) {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, api::Node>) {
          inputs.nodes.push_back(std::move(o));
        } else if constexpr (std::is_same_v<T, api::DeviceClass>) {
          inputs.classes.push_back(std::move(o));
        } else if constexpr (std::is_same_v<T, api::ResourceSlice>) {
          inputs.slices.push_back(std::move(o));
        } else if constexpr (std::is_same_v<T, api::ResourceClaim>) {
          (o.status.allocation.has_value() ? inputs.allocated : inputs.pending)
              .push_back(std::move(o));
        }
      },
      object);
  return true;
}

// The nodes to try, in name order: the Node objects, else every node a slice or a device names.
std::vector<NodeInfo> CandidateNodes(const Inputs& inputs) {
  std::map<std::string, NodeInfo> by_name;
  for (const api::Node& node : inputs.nodes) {
    by_name.try_emplace(node.metadata.name, NodeInfo::FromNode(node));
  }
  if (by_name.empty()) {
    for (const api::ResourceSlice& slice : inputs.slices) {
      if (slice.spec.node_name.has_value()) {
        by_name.try_emplace(*slice.spec.node_name, NodeInfo{.name = *slice.spec.node_name});
      }
      for (const api::Device& device : slice.spec.devices) {
        if (device.node_name.has_value()) {
          by_name.try_emplace(*device.node_name, NodeInfo{.name = *device.node_name});
        }
      }
    }
  }
  std::vector<NodeInfo> nodes;
  nodes.reserve(by_name.size());
  for (auto& [name, info] : by_name) nodes.push_back(std::move(info));
  return nodes;
}

// One node that was tried and did not fit.
struct Attempt {
  std::string node;
  AllocationOutcome outcome;
};

// Allocates `claims` on the first of `nodes` where they all fit. Returns the index of that
// node, or nullopt when none fits (the failures are appended to `attempts` when given).
absl::StatusOr<std::optional<size_t>> Search(const Allocator& alloc,
                                             const std::vector<NodeInfo>& nodes,
                                             const std::vector<api::ResourceClaim>& claims,
                                             AllocationOutcome* allocated,
                                             std::vector<Attempt>* attempts) {
  for (size_t i = 0; i < nodes.size(); ++i) {
    absl::StatusOr<AllocationOutcome> outcome = alloc.Allocate(nodes[i], claims);
    if (!outcome.ok()) return outcome.status();
    if (outcome->allocated()) {
      if (allocated != nullptr) *allocated = *std::move(outcome);
      return i;
    }
    if (attempts != nullptr) attempts->push_back({nodes[i].name, *std::move(outcome)});
  }
  return std::nullopt;
}

std::string Indent(std::string_view text, std::string_view prefix) {
  std::string out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    StrAppend(&out, prefix, line, "\n");
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  }
  return out;
}

std::string WhyNot(const AllocationOutcome& outcome) {
  if (!outcome.explanation.empty()) {
    if (outcome.message.empty() || StrContains(outcome.explanation, outcome.message)) {
      return outcome.explanation;
    }
    return StrCat(outcome.message, "\n", outcome.explanation);
  }
  if (!outcome.message.empty()) return outcome.message;
  return "cannot allocate all claims";
}

void PrintUnsatisfiable(const std::vector<Attempt>& attempts, std::ostream& err) {
  if (attempts.size() == 1) {
    err << "allocate: cannot allocate all claims on node \"" << attempts[0].node << "\":\n"
        << Indent(WhyNot(attempts[0].outcome), "  ");
    return;
  }
  std::vector<std::string> names;
  for (size_t i = 0; i < attempts.size() && i < kMaxListedNodes; ++i) {
    names.push_back(attempts[i].node);
  }
  err << "allocate: cannot allocate all claims on any of the " << attempts.size()
      << " nodes tried: " << StrJoin(names, ", ");
  if (attempts.size() > kMaxListedNodes)
    err << ", ... (" << attempts.size() - kMaxListedNodes << " more)";
  err << "\n";
  for (size_t i = 0; i < attempts.size() && i < kMaxExplainedNodes; ++i) {
    err << "node \"" << attempts[i].node << "\":\n" << Indent(WhyNot(attempts[i].outcome), "  ");
  }
  if (attempts.size() > kMaxExplainedNodes) {
    err << "(" << attempts.size() - kMaxExplainedNodes << " more nodes not explained)\n";
  }
}

// Times `runs` searches after one warm-up and prints the median and minimum per search.
void Benchmark(const Allocator& alloc, const std::vector<NodeInfo>& nodes,
               const std::vector<api::ResourceClaim>& claims, int runs, std::ostream& err) {
  using Clock = std::chrono::steady_clock;
  (void)Search(alloc, nodes, claims, nullptr, nullptr);
  std::vector<double> micros;
  micros.reserve(runs);
  for (int i = 0; i < runs; ++i) {
    Clock::time_point start = Clock::now();
    (void)Search(alloc, nodes, claims, nullptr, nullptr);
    Clock::time_point end = Clock::now();
    micros.push_back(std::chrono::duration<double, std::micro>(end - start).count());
  }
  std::sort(micros.begin(), micros.end());
  size_t n = micros.size();
  double median = n % 2 == 1 ? micros[n / 2] : (micros[n / 2 - 1] + micros[n / 2]) / 2;
  char line[128];
  std::snprintf(line, sizeof(line),
                "allocate: median %.1f \u00b5s, min %.1f \u00b5s over %d runs\n", median,
                micros.front(), runs);
  err << line;
}

}  // namespace

CLI::App* AddAllocateCommand(CLI::App& app, AllocateArgs& args) {
  CLI::App* cmd = app.add_subcommand(
      "allocate",
      "Allocate devices for ResourceClaims offline, as the scheduler would, over a cluster dump\n"
      "(Nodes, DeviceClasses, ResourceSlices, ResourceClaims; YAML or JSON, as kubectl prints\n"
      "them). Claims with status.allocation are in use; the others are allocated together, in\n"
      "input order, on --node or on the first node (by name) where all fit, and printed as a\n"
      "List with status.allocation set.\n"
      "Exit status: 0 all allocated, 1 they do not fit (why goes to stderr), 2 invalid input\n"
      "or a fatal allocator error.");
  cmd->add_option("-f,--filename", args.files,
                  "File, directory (its .yaml/.yml/.json files) or - for stdin; repeatable")
      ->required();
  cmd->add_flag("-R,--recursive", args.recursive, "Process directories recursively");
  cmd->add_option("--node", args.node,
                  "Allocate for this node (labels from the Node object of that name, if given)");
  cmd->add_option("--feature-gates", args.feature_gates,
                  "Comma-separated Name=true|false (DRAPrioritizedList, DRAAdminAccess, "
                  "DRADeviceTaints, DRAPartitionableDevices, DRAConsumableCapacity, "
                  "DRADeviceBindingConditions, DRAResourceClaimDeviceStatus, "
                  "DRAListTypeAttributes); all on by default");
  cmd->add_option("-o,--output", args.output, "Output format: yaml (default) or json")
      ->check(CLI::IsMember({"yaml", "json"}));
  cmd->add_option("--repeat", args.repeat,
                  "Afterwards, time N more allocations after one warm-up and print the median "
                  "and minimum microseconds per allocation on stderr")
      ->check(CLI::NonNegativeNumber);
  return cmd;
}

int RunAllocate(const AllocateArgs& args, std::istream& in, std::ostream& out, std::ostream& err) {
  allocator::Features features;
  if (!ParseFeatureGates(args.feature_gates, features, err)) return kExitBadInput;

  auto files = ReadInputs(args.files, args.recursive, in);
  if (!files.ok()) {
    err << "error: " << files.status().message() << "\n";
    return kExitBadInput;
  }
  Inputs inputs;
  bool valid = true;
  for (const InputFile& file : *files) {
    auto documents = api::ParseDocuments(file.content);
    if (!documents.ok()) {
      err << "error: " << file.name << ": " << documents.status().message() << "\n";
      valid = false;
      continue;
    }
    for (const api::Value& raw : *documents) valid = AddDocument(raw, inputs, err) && valid;
  }
  if (!valid) return kExitBadInput;

  std::vector<NodeInfo> nodes;
  if (!args.node.empty()) {
    NodeInfo node{.name = args.node};
    for (const api::Node& n : inputs.nodes) {
      if (n.metadata.name == args.node) {
        node = NodeInfo::FromNode(n);
        break;
      }
    }
    nodes.push_back(std::move(node));
  } else {
    nodes = CandidateNodes(inputs);
    if (nodes.empty()) {
      if (!inputs.pending.empty()) {
        err << "error: no node to allocate for: pass --node NAME, or include Node objects or "
               "ResourceSlices with a nodeName\n";
        return kExitBadInput;
      }
      nodes.push_back(NodeInfo{});
    }
  }

  allocator::Snapshot snapshot{.classes = std::move(inputs.classes),
                               .slices = std::move(inputs.slices),
                               .allocated = {},
                               .features = features};
  for (const api::ResourceClaim& claim : inputs.allocated) {
    snapshot.allocated.Add(*claim.status.allocation);
  }
  auto alloc = Allocator::Create(std::move(snapshot));
  if (!alloc.ok()) {
    err << "error: " << alloc.status().message() << "\n";
    return kExitBadInput;
  }

  AllocationOutcome outcome;
  std::vector<Attempt> attempts;
  auto found = Search(**alloc, nodes, inputs.pending, &outcome, &attempts);
  if (!found.ok()) {
    err << "error: " << found.status().message() << "\n";
    return kExitBadInput;
  }
  int exit_code = kExitOk;
  if (found->has_value()) {
    api::Value items = api::Value::Array();
    for (size_t i = 0; i < inputs.pending.size(); ++i) {
      api::ResourceClaim claim = inputs.pending[i];
      claim.status.allocation = std::move(outcome.results[i]);
      claim.status.allocation->allocation_timestamp.reset();
      items.Append(api::EncodeObject(api::Object(std::move(claim))));
    }
    api::Value list = api::Value::Object();
    list.Set("apiVersion", api::Value::String("v1"));
    list.Set("items", std::move(items));
    list.Set("kind", api::Value::String("List"));
    list.Set("metadata", api::Value::Object({{"resourceVersion", api::Value::String("")}}));
    out << api::WriteObjects(
        {list}, args.output == "json" ? api::OutputFormat::kJson : api::OutputFormat::kYaml);
  } else {
    PrintUnsatisfiable(attempts, err);
    exit_code = kExitInvalid;
  }

  if (args.repeat > 0) Benchmark(**alloc, nodes, inputs.pending, args.repeat, err);
  return exit_code;
}

}  // namespace dra::cli
