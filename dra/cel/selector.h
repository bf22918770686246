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
#include "dra/cel/device.h"
#include "dra/cel/runtime/interpreter.h"
#include "dra/cel/runtime/value.h"

namespace dra::cel {

// Kubernetes' runtime cost limit for one selector evaluation (CELSelectorExpressionMaxCost).
inline constexpr int64_t kSelectorCostLimit = 1'000'000;

class CompiledExpression {
 public:
  // Parses and plans `expression` in the Kubernetes DRA environment. A parse error is returned
  // as InvalidArgument with cel-go's display (`ERROR: <input>:1:3: Syntax error: ...`).
  static absl::StatusOr<std::shared_ptr<const CompiledExpression>> Compile(
      std::string_view expression);

  // Evaluates with `device` bound to the `device` variable (an empty device when null). The
  // result may borrow from `device` and from this expression: Own() it to keep it.
  Value Evaluate(const DeviceBinding* device, int64_t* actual_cost = nullptr) const;

  // Evaluates as a selector: true/false, or an error (a CEL runtime error, or a non-bool result:
  // "CEL result of type <T> could not be converted to bool").
  absl::StatusOr<bool> Matches(const DeviceBinding& device) const;

  const std::string& expression() const { return expression_; }

 private:
  CompiledExpression(std::string expression, std::unique_ptr<Program> program)
      : expression_(std::move(expression)), program_(std::move(program)) {}
  std::string expression_;
  std::unique_ptr<Program> program_;
};

// Compile once per distinct expression text.
class ExpressionCache {
 public:
  absl::StatusOr<std::shared_ptr<const CompiledExpression>> GetOrCompile(
      std::string_view expression) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, absl::StatusOr<std::shared_ptr<const CompiledExpression>>> cache_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace dra::cel

#endif  // DRA_CEL_SELECTOR_H_
