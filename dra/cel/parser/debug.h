// A stable, readable rendering of a CEL AST, modelled on cel-go's common/debug printer, for
// tests and diagnostics. Calls print as `fn(\n  arg,\n  arg\n)` (receiver calls as
// `target.fn(...)`), selections as `a.b` (presence tests `a.b~test-only~`), literals as cel-go
// prints them (`1`, `1u`, `1.5`, `"s"`, `b"\xff"`, `true`, `null`), lists `[...]` with `?`
// before optional elements, maps `{k:v}`, messages `Name{f:v}`, and comprehensions as
// `__comprehension__(// Variable ..., // Target ..., // Accumulator ..., // Init ...,
// // LoopCondition ..., // LoopStep ..., // Result ...)`, two spaces of indentation per level.
//
// Stateless functions; thread-safe.
#ifndef DRA_CEL_PARSER_DEBUG_H_
#define DRA_CEL_PARSER_DEBUG_H_

#include <string>

#include "dra/cel/ast.h"

namespace dra::cel {

// The plain rendering.
std::string DebugString(const Expr& expr);

// The same, with every node (and map entry / struct field) followed by `^#id#`.
std::string AdornedDebugString(const Expr& expr);

// A constant as the debug printer writes it (also useful in error messages).
std::string FormatConstant(const Constant& c);

}  // namespace dra::cel

#endif  // DRA_CEL_PARSER_DEBUG_H_
