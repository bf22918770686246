#include "dra/cel/selector.h"

#include "dra/base/strings.h"
#include "dra/cel/environment.h"
#include "dra/cel/parser/parser.h"
#include "dra/cel/runtime/activation.h"

namespace dra::cel {

absl::StatusOr<std::shared_ptr<const CompiledExpression>> CompiledExpression::Compile(
    std::string_view expression) {
  auto parsed = Parse(expression);
  if (!parsed.ok()) return parsed.status();
  ProgramOptions options;
  options.cost_limit = kSelectorCostLimit;
  auto program = Program::Create(*parsed->expr, KubernetesFunctions(), options);
  if (!program.ok()) return program.status();
  return std::shared_ptr<const CompiledExpression>(
      new CompiledExpression(std::string(expression), *std::move(program)));
}

Value CompiledExpression::Evaluate(const DeviceBinding* device, int64_t* actual_cost) const {
  static const DeviceBinding* empty = [] {
    auto binding = DeviceBinding::Create("", api::Device{});
    return new DeviceBinding(*std::move(binding));
  }();
  Activation activation;
  activation.Bind("device", (device != nullptr ? device : empty)->value());
  EvalDetails details;
  Value result = program_->Evaluate(activation, &details);
  if (actual_cost != nullptr) *actual_cost = details.actual_cost;
  return result;
}

absl::StatusOr<bool> CompiledExpression::Matches(const DeviceBinding& device) const {
  Value result = Evaluate(&device);
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
  auto compiled = CompiledExpression::Compile(expression);
  absl::MutexLock lock(&mu_);
  return cache_.emplace(std::string(expression), std::move(compiled)).first->second;
}

}  // namespace dra::cel
