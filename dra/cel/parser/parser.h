// The CEL parser: text -> ParsedExpr (dra/cel/ast.h), with macros expanded into comprehensions.
//
// A hand-written recursive-descent parser for the grammar of cel-spec doc/langdef.md that
// reproduces cel-go v0.26's parser as Kubernetes v1.34 configures it: the same AST shapes
// (balanced `&&`/`||` trees, macro expansions with the "@result" accumulator and
// @not_strictly_false loop conditions), the same node ids and source positions, the same
// limits (recursion depth, code point size) and, for the common cases, the same error text.
//
// Errors: a syntax error (or several) yields InvalidArgument whose message is cel-go's
// Errors.ToDisplayString: one block per error, sorted by position and joined by "\n":
//   ERROR: <input>:1:3: Syntax error: mismatched input '<EOF>' expecting ...
//    | a +
//    | ..^
// Deep or huge inputs always end in an error, never in unbounded recursion: nesting is
// limited by max_recursion_depth in the parser itself.
//
// Thread-safety: Parse is a pure function; it may be called concurrently.
#ifndef DRA_CEL_PARSER_PARSER_H_
#define DRA_CEL_PARSER_PARSER_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "dra/cel/ast.h"

namespace dra::cel {

struct ParseOptions {
  // Maximum nesting, checked twice as cel-go does: while parsing, per grammar rule
  // ("expression recursion limit exceeded: N") and over the operator/selection nesting of the
  // result ("max recursion depth exceeded"). -1 means unlimited (unsafe on untrusted input).
  int max_recursion_depth = 250;
  // Inputs longer than this many code points are rejected up front. -1: unlimited.
  int expression_size_code_point_limit = 100000;
  // Syntax errors beyond this count end parsing with "More than N syntax errors".
  int error_reporting_limit = 100;
  // Error recovery (skipping one unexpected token) is attempted at most this many times.
  int error_recovery_limit = 30;
  // Accepted for cel-go parity; recovery here never looks ahead more than two tokens.
  int error_recovery_token_lookahead_limit = 256;
  // `a.?b`, `a[?b]`, `[?x]`, `{?k: v}`, `Msg{?f: v}`.
  bool enable_optional_syntax = true;
  // Backtick-quoted field names (a.`b-c`); Kubernetes does not enable them.
  bool enable_ident_escape_syntax = false;
  // Standard macros: has, all, exists, exists_one, existsOne, map, filter.
  bool enable_macros = true;
  // ext.TwoVarComprehensions: all/exists/existsOne/exists_one with two variables,
  // transformList, transformMap, transformMapEntry. Requires enable_macros.
  bool enable_two_var_comprehensions = true;
  // ext.Bindings: cel.bind(var, init, expr). Requires enable_macros.
  bool enable_bindings = true;
  // Optional library macros optMap and optFlatMap. Requires enable_macros.
  bool enable_optional_macros = true;
  // Name the comprehension accumulator "@result" (cel-go's default) instead of "__result__".
  bool enable_hidden_accumulator_name = true;
  // Record each expanded macro's source text in SourceInfo::macro_calls.
  bool populate_macro_calls = true;
};

// The accumulator names cel-go uses in macro expansions.
inline constexpr std::string_view kHiddenAccumulatorName = "@result";
inline constexpr std::string_view kLegacyAccumulatorName = "__result__";

// Parses `text` (UTF-8; invalid bytes read as U+FFFD). See the file comment for errors.
absl::StatusOr<ParsedExpr> Parse(std::string_view text, const ParseOptions& options = {});

}  // namespace dra::cel

#endif  // DRA_CEL_PARSER_PARSER_H_
