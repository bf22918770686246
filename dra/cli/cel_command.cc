#include "dra/cli/cel_command.h"

#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>

#include "dra/api/codec/codec.h"
#include "dra/api/codec/json.h"
#include "dra/api/codec/yaml.h"
#include "dra/base/strings.h"
#include "dra/cel/conformance/cases.h"
#include "dra/cel/conformance/runner.h"
#include "dra/cel/device.h"
#include "dra/cel/selector.h"
#include "dra/cli/commands.h"

namespace dra::cli {
namespace {

using cel::CompiledExpression;
using cel::DeviceBinding;
using cel::Value;
using cel::ValueKind;

struct Outcome {
  std::optional<Value> value;  // owned
  std::string error;
  std::string kind;  // "compile" | "eval" when error is set
};

Outcome Evaluate(const std::string& expression, const DeviceBinding* device,
                 const cel::CompileOptions& options) {
  bool selector = options.selector;
  auto compiled = CompiledExpression::Compile(expression, options);
  if (!compiled.ok()) return {std::nullopt, std::string(compiled.status().message()), "compile"};
  Value result = (*compiled)->Evaluate(device);
  if (selector && result.kind() != ValueKind::kBool && result.kind() != ValueKind::kError) {
    return {std::nullopt,
            StrCat("CEL result of type ", result.TypeName(), " could not be converted to bool"),
            "eval"};
  }
  if (result.kind() == ValueKind::kError) return {std::nullopt, result.error_message(), "eval"};
  return {result.Own(), "", ""};
}

absl::StatusOr<DeviceBinding> DeviceFromValue(const api::Value& input) {
  auto device = cel::conformance::DeviceFromCaseInput(input);
  if (!device.ok()) return device.status();
  return DeviceBinding::Create(device->first, device->second);
}

std::string JsonLine(const std::string& name, const Outcome& o) {
  std::string line = "{\"name\": ";
  api::AppendJsonString(line, name);
  if (o.value.has_value()) {
    auto expected = cel::conformance::ToExpected(*o.value);
    line += ", \"value\": ";
    line += expected.has_value() ? cel::conformance::EncodeExpectedAsJson(*expected) : "null";
  } else {
    line += ", \"error\": ";
    api::AppendJsonString(line, o.error);
    line += ", \"kind\": ";
    api::AppendJsonString(line, o.kind);
  }
  return line + "}";
}

}  // namespace

int RunCelEval(const CelEvalArgs& args, std::ostream& out, std::ostream& err) {
  if (!args.cases_file.empty()) {
    auto cases = cel::conformance::LoadYamlCases(args.cases_file);
    if (!cases.ok()) {
      err << "error: " << cases.status().message() << "\n";
      return kExitBadInput;
    }
    for (const auto& c : *cases) {
      std::optional<DeviceBinding> device;
      Outcome o;
      if (c.device.has_value()) {
        auto binding = DeviceFromValue(*c.device);
        if (!binding.ok()) {
          o = {std::nullopt, std::string(binding.status().message()), "eval"};
          out << JsonLine(c.name, o) << "\n";
          continue;
        }
        device = *std::move(binding);
      }
      cel::CompileOptions options;
      options.selector = c.selector;
      options.new_expressions = c.env == "NewExpressions";
      options.consumable_capacity = c.consumable_capacity;
      o = Evaluate(c.expr, device.has_value() ? &*device : nullptr, options);
      if (args.output == "jsonl") {
        out << JsonLine(c.name, o) << "\n";
      } else {
        out << c.name << ": "
            << (o.value.has_value() ? o.value->DebugString() : o.kind + " error: " + o.error)
            << "\n";
      }
    }
    return kExitOk;
  }
  if (args.expression.empty()) {
    err << "error: give an expression or --cases FILE\n";
    return kExitBadInput;
  }
  std::optional<DeviceBinding> device;
  if (!args.device_file.empty()) {
    std::ifstream in(args.device_file);
    if (!in) {
      err << "error: the path \"" << args.device_file << "\" cannot be read\n";
      return kExitBadInput;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto docs = api::ParseDocuments(buffer.str());
    if (!docs.ok() || docs->size() != 1) {
      err << "error: " << args.device_file << ": "
          << (docs.ok() ? "expected one device document" : std::string(docs.status().message()))
          << "\n";
      return kExitBadInput;
    }
    const api::Value& doc = (*docs)[0];
    const api::Value* input = doc.Find("device") != nullptr ? doc.Find("device") : &doc;
    auto binding = DeviceFromValue(*input);
    if (!binding.ok()) {
      err << "error: " << args.device_file << ": " << binding.status().message() << "\n";
      return kExitBadInput;
    }
    device = *std::move(binding);
  }
  cel::CompileOptions options;
  options.selector = args.selector;
  Outcome o = Evaluate(args.expression, device.has_value() ? &*device : nullptr, options);
  if (args.output == "jsonl") {
    out << JsonLine("expression", o) << "\n";
    return kExitOk;
  }
  if (!o.value.has_value()) {
    err << o.kind << " error: " << o.error << "\n";
    return kExitInvalid;
  }
  out << o.value->DebugString() << "\n";
  return kExitOk;
}

}  // namespace dra::cli
