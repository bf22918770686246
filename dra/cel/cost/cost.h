// Static (worst-case) cost estimation of checked CEL expressions, as the Kubernetes API server
// computes it when validating DRA device selectors.
//
// Reproduces cel-go v0.26's checker.Cost (checker/cost.go) with the cost options Kubernetes
// installs (PresenceTestHasCost(false); the ext.Lists v3 and ext.Sets overload estimators), the
// Kubernetes library estimator (k8s.io/apiserver pkg/cel/library/cost.go: library.CostEstimator)
// and the size estimates that k8s.io/dynamic-resource-allocation cel/compile.go declares for the
// `device` variable (driver <= 63 characters; attributes and capacity: at most 32 domains of at
// most 32 entries, domains <= 63 and ids <= 32 characters, attribute values <= 64; bool 1).
//
// The estimate is a [min, max] range of abstract cost units with saturating uint64 arithmetic:
// max == kUnboundedCost (18446744073709551615) means "unbounded" (for example a loop over a
// list whose size nothing bounds). Quirks of the upstream estimator are reproduced on purpose,
// because the estimate decides which selectors the API accepts: e.g. `!=` on Quantity values is
// unbounded while `==` costs 1, and the global form `matches(s, re)` costs 1.
//
// API validation compares the max against kSelectorMaxCost (resourceapi.
// CELSelectorExpressionMaxCost) and rejects larger estimates with CostLimitExceededError.
//
// Thread-safety: EstimateCost is a pure function of its inputs (no shared state); concurrent
// calls are safe. The value types are thread-compatible.
#ifndef DRA_CEL_COST_COST_H_
#define DRA_CEL_COST_COST_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "dra/api/field_error.h"
#include "dra/cel/ast.h"
#include "dra/cel/checker/checker.h"

namespace dra::cel {

// The "unbounded" value of estimates and sizes (cel-go's math.MaxUint64).
inline constexpr uint64_t kUnboundedCost = UINT64_MAX;

// resourceapi.CELSelectorExpressionMaxCost: the largest estimated (and runtime) cost a DRA
// selector may have.
inline constexpr uint64_t kSelectorMaxCost = 1000000;

// The detail of the validation error for selectors whose estimate exceeds kSelectorMaxCost.
inline constexpr std::string_view kCostLimitExceededDetail = "too complex, exceeds cost limit";

// A cost range (cel-go checker.CostEstimate).
struct CostEstimate {
  uint64_t min = 0;
  uint64_t max = 0;
  friend bool operator==(const CostEstimate&, const CostEstimate&) = default;
};

struct CostOptions {
  // Size estimates for everything reachable from the DRA `device` variable (the
  // sizeEstimator of dynamic-resource-allocation cel/compile.go). Without them, sizes of
  // device fields are unknown (unbounded).
  bool dra_device_sizes = true;
  // The per-function estimates of the Kubernetes CEL libraries (library.CostEstimator). Off
  // gives plain cel-go estimates for the standard functions (Kubernetes functions cost 1).
  bool kubernetes_library_costs = true;
  // cel-go's PresenceTestHasCost: Kubernetes sets it to false (has() costs 0).
  bool presence_test_has_cost = false;
};

// Estimates the cost of `parsed` as type-checked into `checked` (node ids of `checked` refer to
// `parsed`). Returns InvalidArgument when `parsed` has no expression; otherwise the estimate.
// Calls whose node has no reference (unchecked) contribute 0, as in cel-go.
absl::StatusOr<CostEstimate> EstimateCost(const ParsedExpr& parsed,
                                          const checker::CheckedExpr& checked,
                                          const CostOptions& options = {});

// The validation error upstream's validateCELSelector reports for a selector whose estimated
// max cost exceeds kSelectorMaxCost: field.Forbidden(<path>, "too complex, exceeds cost limit"),
// rendered `<path>: Forbidden: too complex, exceeds cost limit`. `expression_path` is the path of
// the selector's `expression` field, e.g. spec.selectors[0].cel.expression.
api::FieldError CostLimitExceededError(const api::FieldPath& expression_path);

// CostLimitExceededError(expression_path) when estimate.max > kSelectorMaxCost (the limit
// itself is allowed), nullopt otherwise.
std::optional<api::FieldError> CheckSelectorCost(const api::FieldPath& expression_path,
                                                 const CostEstimate& estimate);

}  // namespace dra::cel

#endif  // DRA_CEL_COST_COST_H_
