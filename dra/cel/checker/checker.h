// The CEL type checker: ParsedExpr + Env -> the type of every node and the resolution of every
// identifier and call, as cel-go v0.26's checker does it under the Kubernetes DRA environment
// (see decls.h for the environment and its options; k8s_decls.h for the DRA environment).
//
// The AST is not rewritten (cel-go rewrites it); instead the references tell the planner what
// cel-go's rewrite would have produced:
//  - an IdentExpr, or a SelectExpr chain `a.b.c` that resolved as a whole to a declared
//    qualified variable, has Reference::name = the variable's fully qualified name; for such a
//    SelectExpr the operand nodes are not checked (they have no type) and must not be
//    evaluated: the node is a variable lookup;
//  - a CallExpr has Reference::name = the resolved function name (container-qualified) and
//    the overload ids that may apply; when `namespaced` is set, the call was written
//    `ns.f(args)` for the global function "ns.f" and its target must be ignored;
//  - `_?._` calls reference "select_optional_field".
//
// Errors: InvalidArgument whose message is cel-go's Errors.ToDisplayString, one block per
// error sorted by position:
//   ERROR: <input>:1:3: found no matching overload for '_+_' applied to '(int, string)'
//    | 1 + "a"
//    | ..^
// The source line and caret are printed only when the source text is given.
//
// Thread-safety: Check is a pure function of its inputs; concurrent calls are safe.
#ifndef DRA_CEL_CHECKER_CHECKER_H_
#define DRA_CEL_CHECKER_CHECKER_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "dra/cel/ast.h"
#include "dra/cel/checker/decls.h"
#include "dra/cel/checker/types.h"
#include "dra/cel/parser/parser.h"

namespace dra::cel::checker {

struct Reference {
  std::string name;                       // resolved variable or function name
  std::vector<std::string> overload_ids;  // calls only, in declaration order
  bool namespaced = false;                // calls only: `target.f()` was the global `target.f`
};

// The checker's output for one ParsedExpr; node ids refer to that ParsedExpr, which the caller
// keeps.
struct CheckedExpr {
  std::map<int64_t, Type> types;  // every checked node; type parameters resolved (or dyn)
  std::map<int64_t, Reference> references;
  Type result_type;  // the type of the root expression

  // The type of node `id`; the unspecified type when the node has none.
  const Type& TypeOf(int64_t id) const;
  // The reference of node `id`; nullptr when none.
  const Reference* ReferenceOf(int64_t id) const;
};

// Type-checks `parsed` against `env`. `source` is the expression text (for the snippet lines
// of error messages; may be empty).
absl::StatusOr<CheckedExpr> Check(const ParsedExpr& parsed, const Env& env,
                                  std::string_view source = {});

// Parse followed by Check, for callers that do not keep the text apart.
struct CheckedAst {
  ParsedExpr parsed;
  CheckedExpr checked;
};
absl::StatusOr<CheckedAst> Compile(std::string_view text, const Env& env,
                                   const ParseOptions& options = {});

}  // namespace dra::cel::checker

#endif  // DRA_CEL_CHECKER_CHECKER_H_
