// Runs conformance cases (cases.h) through the parser and the runtime, and converts between the
// runtime's values and the neutral expected values.
//
// Stateless functions; thread-safe.
#ifndef DRA_CEL_CONFORMANCE_RUNNER_H_
#define DRA_CEL_CONFORMANCE_RUNNER_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "dra/api/resource_types.h"
#include "dra/cel/conformance/cases.h"
#include "dra/cel/runtime/functions.h"
#include "dra/cel/runtime/value.h"

namespace dra::cel::conformance {

struct CaseResult {
  enum class Status {
    kPass,
    kFail,
    // The case needs something the layer does not have yet (the type checker for check_only
    // cases); reported apart, never counted as passed.
    kUnsupported,
  };
  Status status = Status::kFail;
  // What happened, for failure listings: the actual value or error.
  std::string detail;
};

// Parses, plans (with the functions of `registry`) and evaluates `c` with its bindings, and
// compares with its expected outcome.
CaseResult RunCase(const CelCase& c, const FunctionRegistry& registry);

// Runs a Kubernetes case (k8s-libraries.yaml, generated.yaml) in the DRA environment: with its
// `device` bound, and as a selector when `selector` is set.
CaseResult RunKubernetesCase(const CelCase& c);

// The device of a case's `device` input (driver, attributes, capacity,
// allowMultipleAllocations), as an API device and its driver.
absl::StatusOr<std::pair<std::string, api::Device>> DeviceFromCaseInput(const api::Value& input);

// The runtime value as an expected value; nullopt for values the conformance data cannot
// express (errors, opaque library values other than quantity and semver).
std::optional<ExpectedValue> ToExpected(const Value& value);

// A runtime value (owning all its data) for a binding.
Value FromExpected(const ExpectedValue& value);

}  // namespace dra::cel::conformance

#endif  // DRA_CEL_CONFORMANCE_RUNNER_H_
