// The CEL abstract syntax tree: what the parser produces (macros already expanded into
// comprehensions, as cel-go does), what the checker annotates and what the planner compiles.
//
// Thread-compatible value types. Every node has an id unique within its tree (ids start at 1;
// 0 means "no node"); SourceInfo maps ids to source offsets for error positions.
#ifndef DRA_CEL_AST_H_
#define DRA_CEL_AST_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace dra::cel {

// A literal. std::monostate is null; bytes are kept apart from strings.
struct Bytes {
  std::string data;
  friend bool operator==(const Bytes&, const Bytes&) = default;
};
struct Constant {
  std::variant<std::monostate, bool, int64_t, uint64_t, double, std::string, Bytes> value;
  friend bool operator==(const Constant&, const Constant&) = default;
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

// A plain or qualified-looking name: `x` (a.b.c parses as selects; the checker resolves
// qualified names against declarations and the container).
struct IdentExpr {
  std::string name;
};

// `operand.field`, or with test_only `has(operand.field)`.
struct SelectExpr {
  ExprPtr operand;
  std::string field;
  bool test_only = false;
};

// A function call: `f(args)` (target null) or `target.f(args)`. Operators are calls with the
// cel-go internal names: "_+_", "_-_", "_*_", "_/_", "_%_", "-_" (negation), "!_", "_==_",
// "_!=_", "_<_", "_<=_", "_>_", "_>=_", "_&&_", "_||_", "_?_:_", "_[_]", "@in",
// "_?._" (optional select, args: operand and a string constant), "_[?_]" (optional index),
// "@not_strictly_false" (comprehension loop conditions).
struct CallExpr {
  ExprPtr target;  // null for global calls
  std::string function;
  std::vector<ExprPtr> args;
};

// `[a, ?b]`: optional_indices lists the positions written with `?`.
struct ListExpr {
  std::vector<ExprPtr> elements;
  std::vector<int32_t> optional_indices;
};

// `{k: v, ?k2: v2}`.
struct MapEntry {
  int64_t id = 0;
  ExprPtr key;
  ExprPtr value;
  bool optional = false;
};
struct MapExpr {
  std::vector<MapEntry> entries;
};

// `Msg{f: v}`: parsed so that errors are precise; DRA has no message types, so the checker
// rejects it.
struct StructField {
  int64_t id = 0;
  std::string name;
  ExprPtr value;
  bool optional = false;
};
struct StructExpr {
  std::string message_name;
  std::vector<StructField> fields;
};

// The expansion of every macro (all, exists, exists_one, map, filter, the two-variable forms,
// transformList/transformMap..., cel.bind). Semantics as cel-spec: accu = accu_init; for each
// element (iter_var = index or key, iter_var2 = value when set) of iter_range while
// loop_condition: accu = loop_step; then result.
struct ComprehensionExpr {
  std::string iter_var;
  std::string iter_var2;  // empty for one-variable comprehensions
  ExprPtr iter_range;
  std::string accu_var;
  ExprPtr accu_init;
  ExprPtr loop_condition;
  ExprPtr loop_step;
  ExprPtr result;
};

struct Expr {
  int64_t id = 0;
  std::variant<Constant, IdentExpr, SelectExpr, CallExpr, ListExpr, MapExpr, StructExpr,
               ComprehensionExpr>
      kind;
};

// Where each node came from: offsets (in code points from the start of the expression) and
// the offsets at which lines start, for line:column rendering.
struct SourceInfo {
  std::string description = "<input>";
  std::vector<int32_t> line_offsets;     // code point offset of the start of lines 2, 3, ...
  std::map<int64_t, int32_t> positions;  // node id -> code point offset
  // For macro calls: the id of the comprehension (or call) that replaced the macro, mapped to
  // the original call as written, for unparsing and error messages.
  std::map<int64_t, std::string> macro_calls;

  // 1-based line and column of a code point offset.
  std::pair<int32_t, int32_t> LineColumn(int32_t offset) const;
};

struct ParsedExpr {
  ExprPtr expr;
  SourceInfo source_info;
};

}  // namespace dra::cel

#endif  // DRA_CEL_AST_H_
