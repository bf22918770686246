// Compiles a CEL expression into an evaluable Program and evaluates it.
//
// The input is the parser's AST (dra/cel/ast.h), unchecked: every call is dispatched at run time
// on the dynamic types of its arguments. Planning resolves comprehension variables to slots,
// functions to overload candidate lists, select chains on variables to one attribute lookup, and
// `==`/`!=` to a direct comparison, so evaluation is a walk over a tree of small nodes that does
// not allocate unless the expression itself builds values (string concatenation, lists, maps,
// errors with messages, optionals). Constant folding is not done yet.
//
// Semantics follow cel-spec and cel-go v0.26 as Kubernetes configures it: commutative error
// absorption in && and ||, one-branch ternaries, comprehensions (one and two variables, the
// accumulator named by the AST), lazy cel.bind initializers, optional chaining (`_?._`,
// `_[?_]`, select/index on an optional value), has() on maps, @not_strictly_false,
// heterogeneous numeric map keys, and a runtime cost counter with a limit.
//
// Thread-safety: a Program is immutable after Create and may be evaluated concurrently from any
// number of threads, each with its own Activation. The FunctionRegistry passed to Create must
// outlive the Program. Values returned by Evaluate may borrow from the Program (constants) and
// from the Activation's data (see value.h): keep both alive while using the result, or Own() it.
#ifndef DRA_CEL_RUNTIME_INTERPRETER_H_
#define DRA_CEL_RUNTIME_INTERPRETER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dra/cel/ast.h"
#include "dra/cel/runtime/activation.h"
#include "dra/cel/runtime/functions.h"
#include "dra/cel/runtime/value.h"

namespace dra::cel {

struct ProgramOptions {
  // Abort evaluation with "operation cancelled: actual cost limit exceeded" once the runtime
  // cost exceeds this. Negative: unlimited. Kubernetes DRA selectors use 1,000,000.
  int64_t cost_limit = -1;
  // The namespace for resolving variable names (cel-go's container): with "a.b", `y` refers to
  // "a.b.y", else "a.y", else "y". A leading dot (`.y`) names the root namespace.
  std::string container;
  // When set, the only variable names the activation can bind (what the checker declared):
  // qualified-name resolution then skips lookups of names that cannot exist.
  std::optional<std::vector<std::string>> declared_variables;
  // Functions whose calls with all-constant arguments are evaluated when the program is
  // planned, an error then failing Create (cel-go's OptOptimize folding of literal
  // conversions, constant regexes, format strings, timestamp/duration literals).
  std::vector<std::string> constant_error_functions;
};

// Per-evaluation results besides the value.
struct EvalDetails {
  // Runtime cost, counted as cel-go's cost tracker does (simplified): 1 per variable or field
  // access and index, 1 per function call plus the function's own cost (string traversal, ...),
  // 0 for constants and has(), 10 per list and 30 per map literal built.
  int64_t actual_cost = 0;
};

namespace internal {
class Node;
}  // namespace internal

class Program {
 public:
  // Plans `expr`. Calls to functions the registry does not know evaluate to a "no such
  // overload" error (as unchecked cel-go programs do; the checker rejects them before). Fails
  // (InvalidArgument) for message construction (DRA has no message types) and malformed ASTs. The
  // AST is not referenced after Create returns.
  static absl::StatusOr<std::unique_ptr<Program>> Create(
      const Expr& expr, const FunctionRegistry& registry = FunctionRegistry::Standard(),
      ProgramOptions options = {});

  ~Program();
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  // Evaluates against `activation`. Errors are error Values (never a Status): a CEL evaluation
  // error, or the cost-limit error.
  Value Evaluate(const Activation& activation, EvalDetails* details = nullptr) const;

  const ProgramOptions& options() const { return options_; }

 private:
  Program() = default;

  ProgramOptions options_;
  std::unique_ptr<internal::Node> root_;
  int num_slots_ = 0;
  // Nodes are owned by their parents; this keeps planning-time storage (constant strings).
  std::vector<std::unique_ptr<std::string>> strings_;
};

}  // namespace dra::cel

#endif  // DRA_CEL_RUNTIME_INTERPRETER_H_
