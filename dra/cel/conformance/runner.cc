#include "dra/cel/conformance/runner.h"

#include <vector>

#include "dra/api/codec/reflect.h"
#include "dra/base/strings.h"
#include "dra/cel/device.h"
#include "dra/cel/parser/parser.h"
#include "dra/cel/runtime/activation.h"
#include "dra/cel/runtime/interpreter.h"
#include "dra/cel/selector.h"

namespace dra::cel::conformance {

std::optional<ExpectedValue> ToExpected(const Value& value) {
  switch (value.kind()) {
    case ValueKind::kNull:
      return ExpectedValue::Null();
    case ValueKind::kBool:
      return ExpectedValue::Bool(value.bool_value());
    case ValueKind::kInt:
      return ExpectedValue::Int(value.int_value());
    case ValueKind::kUint:
      return ExpectedValue::Uint(value.uint_value());
    case ValueKind::kDouble:
      return ExpectedValue::Double(value.double_value());
    case ValueKind::kString:
      return ExpectedValue::String(std::string(value.string_view()));
    case ValueKind::kBytes:
      return ExpectedValue::Bytes(std::string(value.string_view()));
    case ValueKind::kType:
      return ExpectedValue::Type(std::string(value.string_view()));
    case ValueKind::kList: {
      std::vector<ExpectedValue> items;
      const ListValue& list = value.list();
      for (size_t i = 0; i < list.Size(); ++i) {
        auto item = ToExpected(list.Get(i));
        if (!item.has_value()) return std::nullopt;
        items.push_back(*std::move(item));
      }
      return ExpectedValue::List(std::move(items));
    }
    case ValueKind::kMap: {
      std::vector<ExpectedMapEntry> entries;
      bool ok = true;
      value.map().ForEach([&](const Value& k, const Value& v) {
        auto key = ToExpected(k);
        auto item = ToExpected(v);
        if (!key.has_value() || !item.has_value()) {
          ok = false;
          return false;
        }
        entries.push_back(ExpectedMapEntry{*std::move(key), *std::move(item)});
        return true;
      });
      if (!ok) return std::nullopt;
      return ExpectedValue::Map(std::move(entries));
    }
    case ValueKind::kOptional: {
      if (!value.optional_has_value()) return ExpectedValue::OptionalNone();
      auto inner = ToExpected(value.optional_value());
      if (!inner.has_value()) return std::nullopt;
      return ExpectedValue::OptionalOf(*std::move(inner));
    }
    case ValueKind::kTimestamp:
    case ValueKind::kDuration:
      // The conformance data writes these as protobuf messages (objects): compare by text.
      return ExpectedValue::Object(std::string(value.TypeName()), value.DebugString());
    case ValueKind::kOpaque:
      if (value.TypeName() == "kubernetes.Quantity") {
        return ExpectedValue::Quantity(value.opaque().DebugString());
      }
      if (value.TypeName() == "kubernetes.Semver") {
        return ExpectedValue::Semver(value.opaque().DebugString());
      }
      return std::nullopt;
    case ValueKind::kError:
      return std::nullopt;
  }
  return std::nullopt;
}

Value FromExpected(const ExpectedValue& value) {
  using Kind = ExpectedValue::Kind;
  switch (value.kind) {
    case Kind::kNull:
      return Value::Null();
    case Kind::kBool:
      return Value::Bool(value.bool_value);
    case Kind::kInt:
      return Value::Int(value.int_value);
    case Kind::kUint:
      return Value::Uint(value.uint_value);
    case Kind::kDouble:
      return Value::Double(value.double_value);
    case Kind::kString:
      return Value::String(value.text);
    case Kind::kBytes:
      return Value::Bytes(value.text);
    case Kind::kType:
      return Value::TypeValue(value.text).Own();
    case Kind::kList: {
      std::vector<Value> items;
      items.reserve(value.items.size());
      for (const auto& item : value.items) items.push_back(FromExpected(item));
      return Value::List(MakeRef<VectorListValue>(std::move(items)));
    }
    case Kind::kMap: {
      auto map = MakeRef<VectorMapValue>();
      for (const auto& entry : value.entries) {
        map->Put(FromExpected(entry.key), FromExpected(entry.value));
      }
      return Value::Map(std::move(map));
    }
    case Kind::kOptional:
      if (value.items.empty()) return Value::OptionalNone();
      return Value::OptionalOf(FromExpected(value.items[0]));
    case Kind::kQuantity:
    case Kind::kSemver:
    case Kind::kObject:
      return Value::Error(StrCat("cannot bind a ", ToString(value), " in this runner"));
  }
  return Value::Null();
}

namespace {

// Whether an evaluation error is the expected outcome (an expected compile error is not met by
// an evaluation error).
bool ExpectsError(CelCase::Outcome outcome) {
  return outcome == CelCase::Outcome::kEvalError || outcome == CelCase::Outcome::kAnyError;
}

CaseResult Result(CaseResult::Status status, std::string detail) {
  return CaseResult{status, std::move(detail)};
}

}  // namespace

CaseResult RunCase(const CelCase& c, const FunctionRegistry& registry) {
  using Status = CaseResult::Status;
  if (c.outcome == CelCase::Outcome::kTypeOnly) {
    return Result(Status::kUnsupported, "needs the type checker");
  }
  ParseOptions parse_options;
  parse_options.enable_macros = !c.disable_macros;
  auto parsed = Parse(c.expr, parse_options);
  if (!parsed.ok()) {
    std::string message(parsed.status().message());
    if (c.outcome == CelCase::Outcome::kCompileError || c.outcome == CelCase::Outcome::kAnyError) {
      return Result(Status::kPass, message);
    }
    return Result(Status::kFail, StrCat("parse error: ", message));
  }
  ProgramOptions program_options;
  program_options.container = c.container;
  auto program = Program::Create(*parsed->expr, registry, program_options);
  if (!program.ok()) {
    std::string message(program.status().message());
    if (c.outcome == CelCase::Outcome::kCompileError || c.outcome == CelCase::Outcome::kAnyError) {
      return Result(Status::kPass, message);
    }
    return Result(Status::kFail, StrCat("program error: ", message));
  }
  std::vector<Value> bound;
  bound.reserve(c.bindings.size());
  Activation activation;
  for (const Binding& b : c.bindings) {
    bound.push_back(FromExpected(b.value));
    activation.Bind(b.name, bound.back());
  }
  Value result = (*program)->Evaluate(activation);
  if (result.kind() == ValueKind::kError) {
    if (ExpectsError(c.outcome)) return Result(Status::kPass, result.error_message());
    return Result(Status::kFail, StrCat("error: ", result.error_message()));
  }
  if (ExpectsError(c.outcome) || c.outcome == CelCase::Outcome::kCompileError) {
    return Result(Status::kFail, StrCat("expected an error, got ", result.DebugString()));
  }
  auto actual = ToExpected(result);
  if (!actual.has_value()) {
    return Result(Status::kFail, StrCat("unrepresentable result ", result.DebugString()));
  }
  if (c.value.has_value() && *actual == *c.value) return Result(Status::kPass, "");
  return Result(Status::kFail, StrCat("got ", ToString(*actual), ", want ",
                                      c.value.has_value() ? ToString(*c.value) : "?"));
}

absl::StatusOr<std::pair<std::string, api::Device>> DeviceFromCaseInput(const api::Value& input) {
  std::string driver;
  api::Device device;
  device.name = "device";
  if (const api::Value* v = input.Find("driver"); v != nullptr && v->is_string()) {
    driver = v->text();
  }
  if (const api::Value* v = input.Find("attributes"); v != nullptr) {
    api::FieldErrorList errors = api::DecodeValue(*v, device.attributes);
    if (!errors.empty()) return absl::InvalidArgumentError(api::JoinFieldErrors(errors));
  }
  if (const api::Value* v = input.Find("capacity"); v != nullptr && v->is_object()) {
    for (const auto& [name, q] : v->members()) {
      auto quantity = Quantity::Parse(q.text());
      if (!quantity.ok()) return quantity.status();
      device.capacity[name].value = *quantity;
    }
  }
  if (const api::Value* v = input.Find("allowMultipleAllocations"); v != nullptr && v->is_bool()) {
    device.allow_multiple_allocations = v->bool_value();
  }
  return std::make_pair(std::move(driver), std::move(device));
}

CaseResult RunKubernetesCase(const CelCase& c) {
  using Status = CaseResult::Status;
  bool expects_compile =
      c.outcome == CelCase::Outcome::kCompileError || c.outcome == CelCase::Outcome::kAnyError;
  CompileOptions options;
  options.selector = c.selector;
  options.new_expressions = c.env == "NewExpressions";
  options.consumable_capacity = c.consumable_capacity;
  auto compiled = CompiledExpression::Compile(c.expr, options);
  if (!compiled.ok()) {
    if (expects_compile) return Result(Status::kPass, std::string(compiled.status().message()));
    return Result(Status::kFail, StrCat("compile error: ", compiled.status().message()));
  }
  if (c.estimated_cost.has_value() && (*compiled)->cost_estimate().max != *c.estimated_cost) {
    return Result(Status::kFail, StrCat("estimated cost ", (*compiled)->cost_estimate().max,
                                        ", want ", *c.estimated_cost));
  }
  std::optional<DeviceBinding> binding;
  if (c.device.has_value()) {
    auto input = DeviceFromCaseInput(*c.device);
    if (!input.ok()) return Result(Status::kFail, StrCat("bad device: ", input.status().message()));
    auto created = DeviceBinding::Create(input->first, input->second);
    if (!created.ok()) {
      // Upstream fails before any CEL runs: a runtime error of the selector.
      if (ExpectsError(c.outcome))
        return Result(Status::kPass, std::string(created.status().message()));
      return Result(Status::kFail, StrCat("device: ", created.status().message()));
    }
    binding = *std::move(created);
  }
  Value result = (*compiled)->Evaluate(binding.has_value() ? &*binding : nullptr);
  if (c.selector && result.kind() != ValueKind::kBool && result.kind() != ValueKind::kError) {
    result = Value::Error(
        StrCat("CEL result of type ", result.TypeName(), " could not be converted to bool"));
  }
  if (result.kind() == ValueKind::kError) {
    if (ExpectsError(c.outcome)) return Result(Status::kPass, result.error_message());
    return Result(Status::kFail, StrCat("error: ", result.error_message()));
  }
  if (ExpectsError(c.outcome) || c.outcome == CelCase::Outcome::kCompileError) {
    return Result(Status::kFail, StrCat("expected an error, got ", result.DebugString()));
  }
  auto actual = ToExpected(result);
  if (!actual.has_value()) {
    return Result(Status::kFail, StrCat("unrepresentable result ", result.DebugString()));
  }
  if (c.value.has_value() && *actual == *c.value) return Result(Status::kPass, "");
  return Result(Status::kFail, StrCat("got ", ToString(*actual), ", want ",
                                      c.value.has_value() ? ToString(*c.value) : "?"));
}

}  // namespace dra::cel::conformance
