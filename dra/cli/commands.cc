#include "dra/cli/commands.h"

#include <algorithm>
#include <iostream>
#include <string_view>

#include "CLI/CLI.hpp"
#include "dra/api/api.h"
#include "dra/base/strings.h"
#include "dra/cel/validation_hook.h"
#include "dra/cli/allocate_command.h"
#include "dra/cli/bench_command.h"
#include "dra/cli/cel_command.h"
#include "dra/cli/explain_command.h"
#include "dra/cli/input.h"
#include "dra/cli/node_command.h"
#include "dra/cli/server_command.h"
#include "dra/cli/up_command.h"

namespace dra::cli {
namespace {

using api::DecodedDocument;
using api::FieldError;

struct ValidateArgs {
  std::vector<std::string> files;
  bool recursive = false;
  bool quiet = false;
  std::string namespace_ = "default";
};

// Namespaced objects without a namespace get `namespace_`, as kubectl apply does.
void DefaultNamespace(api::Object& object, const std::string& namespace_) {
  std::visit(
      [&](auto& o) {
        if (std::decay_t<decltype(o)>::kNamespaced && o.metadata.namespace_.empty()) {
          o.metadata.namespace_ = namespace_;
        }
      },
      object);
}

// Attribute names people write without their domain, and the standard name they mean.
constexpr std::pair<std::string_view, std::string_view> kStandardAttributes[] = {
    {"pcieRoot", "resource.kubernetes.io/pcieRoot"},
    {"pciBusID", "resource.kubernetes.io/pciBusID"},
};

// A line of advice for errors whose upstream message does not say what to write, or "".
std::string HintFor(const FieldError& e) {
  if (e.field.ends_with(".cel.expression") &&
      (StrContains(e.detail, "'map(string, kubernetes.Quantity)") ||
       StrContains(e.detail, "'map(string, any)"))) {
    return StrCat("hint: ", e.field,
                  ": device.attributes and device.capacity are indexed by domain, then by name: "
                  "device.capacity['gpu.nvidia.com'].memory, "
                  "device.attributes['resource.kubernetes.io'].pcieRoot");
  }
  bool attribute_name =
      e.field.ends_with(".matchAttribute") || e.field.ends_with(".distinctAttribute");
  if (!attribute_name || !e.bad_value.has_value() || StrContains(*e.bad_value, "/")) return "";
  for (const auto& [bare, qualified] : kStandardAttributes) {
    if (*e.bad_value == api::QuoteValue(bare)) {
      return StrCat("hint: ", e.field, ": write ", qualified, " (the standard attribute)");
    }
  }
  return StrCat("hint: ", e.field,
                ": qualify the attribute with its driver's domain, e.g. gpu.nvidia.com/",
                e.bad_value->substr(1, e.bad_value->size() - 2));
}

struct ConvertArgs {
  std::vector<std::string> files;
  bool recursive = false;
  std::string to = "resource.k8s.io/v1";
  std::string output = "yaml";
};

// Prints one line per error of a document that could not be decoded; returns false if any.
void PrintDecodeProblems(const DecodedDocument& doc, std::ostream& out) {
  std::string who = doc.identity.Describe();
  if (!doc.status.ok()) {
    out << doc.status.message() << "\n";
    return;
  }
  for (const FieldError& e : doc.errors) out << who << ": " << e.ToString() << "\n";
}

// Validates one decoded document and prints the outcome; returns the exit code it implies.
// `workload` is set when `doc` is the pod template of that workload, `path` the template's path.
int ValidateDocument(DecodedDocument& doc, const ValidateArgs& args,
                     const api::ObjectIdentity* workload, const std::string& path,
                     std::ostream& out) {
  auto describe = [&](const api::ObjectIdentity& id) {
    return workload != nullptr ? workload->Describe() : id.Describe();
  };
  auto field = [&](FieldError e) {
    if (!path.empty()) e.field = e.field.empty() ? path : StrCat(path, ".", e.field);
    return e;
  };
  if (!doc.object.has_value()) {
    if (!doc.status.ok()) {
      out << doc.status.message() << "\n";
    } else {
      for (const FieldError& e : doc.errors) {
        out << describe(doc.identity) << ": " << field(e).ToString() << "\n";
      }
    }
    return kExitInvalid;
  }
  api::Object object = std::move(*doc.object);
  DefaultNamespace(object, args.namespace_);
  api::ApplyDefaults(object);
  api::FieldErrorList errors = doc.errors;
  api::FieldErrorList validation_errors =
      api::ValidateObject(object, cel::SelectorValidationOptions());
  errors.insert(errors.end(), validation_errors.begin(), validation_errors.end());
  api::ObjectIdentity id = api::IdentityOf(object);
  if (workload != nullptr) {
    // The workload's identity, with the namespace its pods get.
    api::ObjectIdentity shown = *workload;
    shown.namespace_ = id.namespace_;
    id = shown;
  }
  bool converted = workload == nullptr && doc.identity.api_version != id.api_version;
  if (errors.empty()) {
    if (!args.quiet) {
      out << id.kind << " \"" << id.name << "\" valid";
      if (converted) {
        out << " (converted from " << doc.identity.api_version << " to " << id.api_version << ")";
      }
      if (workload != nullptr) out << " (pod template checked)";
      out << "\n";
    }
    return kExitOk;
  }
  if (converted) {
    out << id.Describe() << ": converted from " << doc.identity.api_version << " to "
        << id.api_version << "\n";
  }
  for (const FieldError& e : errors) {
    FieldError shown = field(e);
    out << id.Describe() << ": " << shown.ToString() << "\n";
    if (std::string hint = HintFor(shown); !hint.empty()) out << "  " << hint << "\n";
  }
  return kExitInvalid;
}

int RunValidate(const ValidateArgs& args, std::istream& in, std::ostream& out, std::ostream& err) {
  auto inputs = ReadInputs(args.files, args.recursive, in);
  if (!inputs.ok()) {
    err << "error: " << inputs.status().message() << "\n";
    return kExitBadInput;
  }
  int exit_code = kExitOk;
  for (const auto& file : *inputs) {
    auto documents = api::ParseDocuments(file.content);
    if (!documents.ok()) {
      err << "error: " << file.name << ": " << documents.status().message() << "\n";
      exit_code = kExitBadInput;
      continue;
    }
    for (const api::Value& raw : *documents) {
      DecodedDocument doc = api::DecodeDocument(raw);
      if (absl::IsNotFound(doc.status)) {
        if (auto pod_template = api::PodTemplateOf(raw)) {
          DecodedDocument pod = api::DecodeDocument(pod_template->pod);
          exit_code = std::max(exit_code,
                               ValidateDocument(pod, args, &doc.identity, pod_template->path, out));
        } else if (!args.quiet) {
          out << doc.identity.Describe() << " skipped: dra does not validate "
              << doc.identity.api_version << " " << doc.identity.kind << "\n";
        }
        continue;
      }
      exit_code = std::max(exit_code, ValidateDocument(doc, args, nullptr, "", out));
    }
  }
  return exit_code;
}

int RunConvert(const ConvertArgs& args, std::istream& in, std::ostream& out, std::ostream& err) {
  auto inputs = ReadInputs(args.files, args.recursive, in);
  if (!inputs.ok()) {
    err << "error: " << inputs.status().message() << "\n";
    return kExitBadInput;
  }
  std::vector<api::Value> converted;
  int exit_code = kExitOk;
  for (const auto& file : *inputs) {
    auto documents = api::DecodeAll(file.content);
    if (!documents.ok()) {
      err << "error: " << file.name << ": " << documents.status().message() << "\n";
      exit_code = kExitBadInput;
      continue;
    }
    for (auto& doc : *documents) {
      if (!doc.ok()) {
        PrintDecodeProblems(doc, err);
        exit_code = std::max(exit_code, kExitInvalid);
        continue;
      }
      api::Object object = std::move(*doc.object);
      api::ApplyDefaults(object);
      api::Value encoded = api::EncodeObject(object);
      const api::Value* version = encoded.Find("apiVersion");
      // Only resource.k8s.io objects change version; the others (Pods...) pass through.
      bool resource_group = version != nullptr && version->text().starts_with("resource.k8s.io/");
      if (resource_group && version->text() != args.to) {
        if (version->text() != "resource.k8s.io/v1") {
          err << "error: " << api::IdentityOf(object).Describe() << ": cannot convert "
              << version->text() << " to " << args.to << "\n";
          exit_code = std::max(exit_code, kExitInvalid);
          continue;
        }
        if (auto s = api::ConvertFromV1(encoded, args.to); !s.ok()) {
          err << "error: " << api::IdentityOf(object).Describe() << ": " << s.message() << "\n";
          exit_code = std::max(exit_code, kExitInvalid);
          continue;
        }
      }
      converted.push_back(std::move(encoded));
    }
  }
  out << api::WriteObjects(
      converted, args.output == "json" ? api::OutputFormat::kJson : api::OutputFormat::kYaml);
  return exit_code;
}

}  // namespace

int RunMain(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
            std::ostream& err) {
  CLI::App app{
      "dra: Kubernetes Dynamic Resource Allocation (resource.k8s.io/v1).\n"
      "Validates and converts DRA manifests the way the Kubernetes API server does."};
  app.name("dra");
  app.require_subcommand(1);

  ValidateArgs validate;
  CLI::App* validate_cmd = app.add_subcommand(
      "validate",
      "Decode, default and validate manifests as the API server would.\n"
      "Prints `<kind> \"<name>\" valid` per valid object, or each error as\n"
      "`<kind> \"<namespace/name>\": <field path>: <message>`.\n"
      "Exit status: 0 all valid, 1 some object invalid, 2 a file cannot be read or parsed.");
  validate_cmd
      ->add_option("-f,--filename", validate.files,
                   "File, directory (its .yaml/.yml/.json files) or - for stdin; repeatable")
      ->required();
  validate_cmd->add_flag("-R,--recursive", validate.recursive, "Process directories recursively");
  validate_cmd->add_flag("-q,--quiet", validate.quiet, "Print only errors");
  validate_cmd->add_option("-n,--namespace", validate.namespace_,
                           "Namespace for namespaced objects that name none (default: default)");

  ConvertArgs convert;
  CLI::App* convert_cmd = app.add_subcommand(
      "convert",
      "Convert manifests between resource.k8s.io versions (v1beta1, v1beta2, v1) and print\n"
      "them defaulted, as the API server would store and serve them.");
  convert_cmd
      ->add_option("-f,--filename", convert.files,
                   "File, directory (its .yaml/.yml/.json files) or - for stdin; repeatable")
      ->required();
  convert_cmd->add_flag("-R,--recursive", convert.recursive, "Process directories recursively");
  convert_cmd->add_option("--to", convert.to, "Target API version (default resource.k8s.io/v1)")
      ->check(CLI::IsMember(
          {"resource.k8s.io/v1", "resource.k8s.io/v1beta2", "resource.k8s.io/v1beta1"}));
  convert_cmd->add_option("-o,--output", convert.output, "Output format: yaml (default) or json")
      ->check(CLI::IsMember({"yaml", "json"}));

  CelEvalArgs cel_eval;
  CLI::App* cel_cmd = app.add_subcommand("cel", "Work with CEL device selectors.");
  cel_cmd->require_subcommand(1);
  CLI::App* cel_eval_cmd = cel_cmd->add_subcommand(
      "eval",
      "Evaluate a CEL expression in the DRA selector environment (quantity(), semver(), the\n"
      "Kubernetes libraries, the `device` variable) and print its value.");
  cel_eval_cmd->add_option("expression", cel_eval.expression, "The CEL expression");
  cel_eval_cmd->add_option("--device", cel_eval.device_file,
                           "YAML/JSON file with the device: driver, attributes "
                           "({name: {int|bool|string|version: v}}), capacity ({name: quantity}), "
                           "allowMultipleAllocations");
  cel_eval_cmd->add_flag("--selector", cel_eval.selector,
                         "Evaluate as a device selector: the result must be a bool");
  cel_eval_cmd->add_option("--cases", cel_eval.cases_file,
                           "Evaluate every case of a file in the k8s-libraries.yaml format");
  cel_eval_cmd->add_option("-o,--output", cel_eval.output, "text (default) or jsonl")
      ->check(CLI::IsMember({"text", "jsonl"}));

  AllocateArgs allocate;
  CLI::App* allocate_cmd = AddAllocateCommand(app, allocate);

  ServerArgs server;
  CLI::App* server_cmd = AddServerCommand(app, server);
  SchedulerArgs scheduler;
  CLI::App* scheduler_cmd = AddSchedulerCommand(app, scheduler);
  BenchArgs bench;
  CLI::App* bench_cmd = AddBenchCommand(app, bench);
  NodeArgs node;
  NodeFaultArgs node_fault;
  CLI::App* node_fault_cmd = nullptr;
  CLI::App* node_cmd = AddNodeCommand(app, node, node_fault, &node_fault_cmd);
  ExplainArgs explain;
  CLI::App* explain_cmd = AddExplainCommand(app, explain);
  UpArgs up;
  CLI::App* up_cmd = AddUpCommand(app, up);

  std::vector<const char*> argv;
  argv.reserve(args.size());
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    // Help requests exit 0 with the help of the (sub)command asked about; errors exit 2.
    int rc = app.exit(e, out, err);
    if (rc == 0) return kExitOk;
    err << "Run 'dra --help' for usage.\n";
    return kExitBadInput;
  }
  if (validate_cmd->parsed()) return RunValidate(validate, in, out, err);
  if (convert_cmd->parsed()) return RunConvert(convert, in, out, err);
  if (cel_eval_cmd->parsed()) return RunCelEval(cel_eval, out, err);
  if (allocate_cmd->parsed()) return RunAllocate(allocate, in, out, err);
  if (server_cmd->parsed()) return RunServer(server, out, err);
  if (scheduler_cmd->parsed()) return RunScheduler(scheduler, out, err);
  if (bench_cmd->parsed()) return RunBench(bench, out, err);
  if (node_fault_cmd->parsed()) return RunNodeFault(node_fault, out, err);
  if (node_cmd->parsed()) return RunNode(node, out, err);
  if (explain_cmd->parsed()) return RunExplain(explain, out, err);
  if (up_cmd->parsed()) return RunUp(up, out, err);
  out << app.help();
  return kExitBadInput;
}

}  // namespace dra::cli
