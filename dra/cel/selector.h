// Compiled CEL expressions for DRA: device selectors (which must yield a bool) and plain
// expressions, compiled once and evaluated many times, with a thread-safe compile cache.
//
// Thread-safety: a CompiledExpression is immutable and may be evaluated concurrently;
// ExpressionCache is thread-safe.
#ifndef DRA_CEL_SELECTOR_H_
#define DRA_CEL_SELECTOR_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "dra/cel/cost/cost.h"
#include "dra/cel/device.h"
#include "dra/cel/runtime/interpreter.h"
#include "dra/cel/runtime/value.h"

namespace dra::cel {

// Kubernetes' runtime cost limit for one selector evaluation (CELSelectorExpressionMaxCost).
inline constexpr int64_t kSelectorCostLimit = 1'000'000;

struct CompileOptions {
  // A device selector: its type must be bool or dyn ("must evaluate to bool or the unknown
  // type, not <T>"). Plain expressions may have any type.
  bool selector = true;
  // The API server's environment for new or changed selectors (Kubernetes compatibility
  // version 1.33: no ext.Lists v3) instead of the scheduler's (StoredExpressions).
  bool new_expressions = false;
  // Feature gate DRAConsumableCapacity (only matters with new_expressions).
  bool consumable_capacity = true;
};

class CompiledExpression {
 public:
  // Parses, type-checks and plans `expression` in the Kubernetes DRA environment. Parse and
  // type errors are InvalidArgument with cel-go's display, e.g.
  //   ERROR: <input>:1:3: Syntax error: ...
  //   ERROR: <input>:1:3: found no matching overload for '_+_' applied to '(int, string)'
  static absl::StatusOr<std::shared_ptr<const CompiledExpression>> Compile(
      std::string_view expression, const CompileOptions& options = {});

  // Evaluates with `device` bound to the `device` variable (an empty device when null). The
  // result may borrow from `device` and from this expression: Own() it to keep it.
  Value Evaluate(const DeviceBinding* device, int64_t* actual_cost = nullptr) const;

  // Evaluates as a selector: true/false, or an error (a CEL runtime error, or a non-bool result:
  // "CEL result of type <T> could not be converted to bool").
  absl::StatusOr<bool> Matches(const DeviceBinding& device) const;

  const std::string& expression() const { return expression_; }
  // The static cost estimate (cel-go's EstimateCost with the Kubernetes estimators and DRA
  // size estimates); API validation rejects selectors whose max exceeds kSelectorMaxCost.
  const CostEstimate& cost_estimate() const { return cost_estimate_; }

 private:
  CompiledExpression(std::string expression, std::unique_ptr<Program> program,
                     CostEstimate cost_estimate)
      : expression_(std::move(expression)),
        program_(std::move(program)),
        cost_estimate_(cost_estimate) {}
  std::string expression_;
  std::unique_ptr<Program> program_;
  CostEstimate cost_estimate_;
};

// Compile once per distinct expression text, all with the same options.
class ExpressionCache {
 public:
  explicit ExpressionCache(CompileOptions options = {}) : options_(options) {}

  absl::StatusOr<std::shared_ptr<const CompiledExpression>> GetOrCompile(
      std::string_view expression) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const CompileOptions options_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, absl::StatusOr<std::shared_ptr<const CompiledExpression>>> cache_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace dra::cel

#endif  // DRA_CEL_SELECTOR_H_
