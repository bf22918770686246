#include "dra/cel/selector.h"

#include <map>

#include "dra/base/strings.h"
#include "dra/cel/checker/checker.h"
#include "dra/cel/checker/k8s_decls.h"
#include "dra/cel/environment.h"
#include "dra/cel/parser/parser.h"
#include "dra/cel/runtime/activation.h"

namespace dra::cel {

namespace {

// The checker environments, built once per combination of options.
absl::StatusOr<const checker::Env*> SelectorEnv(const CompileOptions& options) {
  static absl::Mutex mu;
  static auto* envs =
      new std::map<std::pair<bool, bool>, absl::StatusOr<std::shared_ptr<const checker::Env>>>();
  absl::MutexLock lock(&mu);
  auto key = std::make_pair(options.new_expressions, options.consumable_capacity);
  auto it = envs->find(key);
  if (it == envs->end()) {
    checker::DraEnvOptions env_options;
    env_options.new_expressions = options.new_expressions;
    env_options.consumable_capacity = options.consumable_capacity;
    it = envs->emplace(key, checker::NewDraSelectorEnv(env_options)).first;
  }
  if (!it->second.ok()) return it->second.status();
  return it->second->get();
}

}  // namespace

absl::StatusOr<std::shared_ptr<const CompiledExpression>> CompiledExpression::Compile(
    std::string_view expression, const CompileOptions& options) {
  auto parsed = Parse(expression);
  if (!parsed.ok()) return parsed.status();
  auto env = SelectorEnv(options);
  if (!env.ok()) return env.status();
  auto checked = checker::Check(*parsed, **env, expression);
  if (!checked.ok()) return checked.status();
  if (options.selector) {
    const checker::Type& type = checked->result_type;
    if (type.kind() != checker::TypeKind::kBool && !type.IsDyn()) {
      return absl::InvalidArgumentError(
          StrCat("must evaluate to bool or the unknown type, not ", type.ToString()));
    }
  }
  auto estimate = EstimateCost(*parsed, *checked);
  if (!estimate.ok()) return estimate.status();
  ProgramOptions program_options;
  program_options.cost_limit = kSelectorCostLimit;
  program_options.declared_variables = std::vector<std::string>{"device"};
  program_options.constant_error_functions = {"int",     "uint", "double",   "string",
                                              "bytes",   "bool", "duration", "timestamp",
                                              "matches", "find", "findAll",  "format"};
  auto program = Program::Create(*parsed->expr, KubernetesFunctions(), program_options);
  if (!program.ok()) return program.status();
  return std::shared_ptr<const CompiledExpression>(
      new CompiledExpression(std::string(expression), *std::move(program), *estimate));
}

namespace {

const DeviceBinding& EmptyDevice() {
  static const DeviceBinding* empty = new DeviceBinding(*DeviceBinding::Create("", api::Device{}));
  return *empty;
}

}  // namespace

Value CompiledExpression::Evaluate(const DeviceBinding* device, int64_t* actual_cost) const {
  Activation activation;
  activation.Bind("device", (device != nullptr ? *device : EmptyDevice()).value());
  if (actual_cost == nullptr) return program_->Evaluate(activation);
  EvalDetails details;
  Value result = program_->Evaluate(activation, &details);
  *actual_cost = details.actual_cost;
  return result;
}

absl::StatusOr<bool> CompiledExpression::Matches(const DeviceBinding& device) const {
  // One activation per thread, rebound each time: selectors run millions of times in the
  // allocator's inner loop and setting one up is a measurable part of a short selector.
  thread_local Activation activation;
  activation.Bind("device", device.value());
  Value result = program_->Evaluate(activation);
  if (result.kind() == ValueKind::kBool) return result.bool_value();
  if (result.kind() == ValueKind::kError) {
    return absl::InvalidArgumentError(result.error_message());
  }
  return absl::InvalidArgumentError(
      StrCat("CEL result of type ", result.TypeName(), " could not be converted to bool"));
}

absl::StatusOr<std::shared_ptr<const CompiledExpression>> ExpressionCache::GetOrCompile(
    std::string_view expression) {
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(absl::string_view(expression.data(), expression.size()));
    if (it != cache_.end()) return it->second;
  }
  auto compiled = CompiledExpression::Compile(expression, options_);
  absl::MutexLock lock(&mu_);
  return cache_.emplace(std::string(expression), std::move(compiled)).first->second;
}

}  // namespace dra::cel
