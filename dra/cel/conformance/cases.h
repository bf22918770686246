// The CEL conformance cases as data, independent of any evaluator.
//
// Two sources share one model, CelCase:
//  - google/cel-spec "simple" textprotos (../shared/conformance/cel/*.textproto), with the scope
//    of each test from scope.tsv;
//  - the Kubernetes YAML cases (k8s-libraries.yaml, generated.yaml; schema in the header of
//    k8s-libraries.yaml).
// An expected result is an ExpectedValue tree; its JSON form (EncodeExpectedAsJson) is the one
// `dra cel eval --cases FILE -o jsonl` prints, i.e. the YAML `expect` encoding, and
// ExpectedFromYaml reads either back.
//
// Everything here is a value type (thread-compatible); the loaders are stateless and thread-safe.
#ifndef DRA_CEL_CONFORMANCE_CASES_H_
#define DRA_CEL_CONFORMANCE_CASES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "dra/api/value.h"
#include "dra/cel/conformance/textproto.h"

namespace dra::cel::conformance {

struct ExpectedMapEntry;

// An expected CEL value.
struct ExpectedValue {
  enum class Kind {
    kNull,
    kBool,
    kInt,
    kUint,
    kDouble,
    kString,
    kBytes,
    kList,      // items
    kMap,       // entries
    kType,      // text: the type name as CEL prints it ("int", "list", "google.protobuf.Duration")
    kOptional,  // items: empty for optional.none(), one element for optional.of(x)
    kQuantity,  // text: the quantity as written ("1Gi"); compared numerically
    kSemver,    // text: the version as written ("1.2.3"); compared as semver values
    kObject,    // a protobuf message or enum (out of scope for DRA): text = type name,
                // object_text = its text-format body
  };

  Kind kind = Kind::kNull;
  bool bool_value = false;
  int64_t int_value = 0;
  uint64_t uint_value = 0;
  double double_value = 0;
  std::string text;  // string, bytes, type name, quantity, semver, object type
  std::string object_text;
  std::vector<ExpectedValue> items;
  std::vector<ExpectedMapEntry> entries;

  // Special members are out of line: ExpectedMapEntry is incomplete here.
  ExpectedValue();
  ExpectedValue(const ExpectedValue&);
  ExpectedValue(ExpectedValue&&) noexcept;
  ExpectedValue& operator=(const ExpectedValue&);
  ExpectedValue& operator=(ExpectedValue&&) noexcept;
  ~ExpectedValue();

  static ExpectedValue Null();
  static ExpectedValue Bool(bool v);
  static ExpectedValue Int(int64_t v);
  static ExpectedValue Uint(uint64_t v);
  static ExpectedValue Double(double v);
  static ExpectedValue String(std::string v);
  static ExpectedValue Bytes(std::string v);
  static ExpectedValue List(std::vector<ExpectedValue> items = {});
  static ExpectedValue Map(std::vector<ExpectedMapEntry> entries);
  static ExpectedValue Type(std::string name);
  static ExpectedValue OptionalNone();
  static ExpectedValue OptionalOf(ExpectedValue v);
  static ExpectedValue Quantity(std::string text);
  static ExpectedValue Semver(std::string text);
  static ExpectedValue Object(std::string type_name, std::string body);

  // The expected-result comparison of the conformance suites: kinds must be equal (int 1, uint 1
  // and double 1.0 differ), NaN equals NaN, maps compare as sets of entries, quantities by numeric
  // value and semvers by precedence (build metadata ignored) when both parse, otherwise by text.
  friend bool operator==(const ExpectedValue& a, const ExpectedValue& b);
};

struct ExpectedMapEntry {
  ExpectedValue key;
  ExpectedValue value;
};

// CEL-like rendering for messages: null, true, 1, 1u, 1.5, "s", b"\xff", [1, 2], {"k": 1},
// type(int) shown as `int`, optional.of(1), optional.none(), quantity("1Gi"), semver("1.2.3").
std::string ToString(const ExpectedValue& value);

// The YAML `expect` encoding as one line of JSON: null, booleans, int as a number, double as a
// number with a '.' or exponent (NaN, Infinity, -Infinity as bare tokens, as Python's json
// writes them), strings; {"uint": n}, {"bytes": s}, {"type": name}, {"quantity": s},
// {"semver": s}, {"optional": "none"} / {"optional": v}; lists as arrays, maps as objects.
// Lossy where JSON/YAML cannot say more: map keys that are not strings are written as their text
// (1, 1u -> "1", true -> "true"); bytes that are not UTF-8 are written one \u00XX per invalid
// byte; objects as {"object": "type { body }"}.
std::string EncodeExpectedAsJson(const ExpectedValue& value);

// Decodes the YAML `expect` encoding (also what EncodeExpectedAsJson writes, read with the JSON
// reader). Numbers written with '.', an exponent, or .inf/.nan are doubles, other numbers int64;
// {optional: none} is optional.none(); a map with exactly one key among uint, bytes, type,
// quantity, semver, optional is that wrapper, any other map is a CEL map with string keys.
absl::StatusOr<ExpectedValue> ExpectedFromYaml(const api::Value& value);

// A declaration from a textproto `type_env` (cel.expr.Decl).
struct Decl {
  enum class Kind { kIdent, kFunction };
  Kind kind = Kind::kIdent;
  std::string name;
  // kIdent: the type ("int", "list(string)", "map(string, dyn)"); kFunction: its overloads,
  // "id(param, ...) -> result" joined by "; " (receiver-style ones start "receiver ").
  std::string type;
  TextMessage raw;  // the Decl message as written
};

// One activation binding: variable name -> value.
struct Binding {
  std::string name;
  ExpectedValue value;
};

// One conformance case, whichever file it came from.
struct CelCase {
  enum class Outcome {
    kValue,         // evaluates to `value` (and, when deduced_type is set, has that static type)
    kEvalError,     // compiles, then evaluation fails
    kCompileError,  // parse / type-check failure
    kAnyError,      // any error (YAML error_kind: program: compile, program build or eval)
    kTypeOnly,      // check_only: compare the deduced static type only
  };

  // textproto: "file/section/test", with "#2", "#3"... appended for the second and later tests
  // of a repeated name (see ScopeTable); YAML: the case name.
  std::string id;
  std::string source;  // file name, e.g. "basic.textproto"
  std::string section;
  std::string name;  // textproto test name; YAML case name
  std::string description;
  std::string expr;  // the CEL source text

  // Textproto options.
  bool disable_check = false;
  bool check_only = false;
  bool disable_macros = false;
  std::string container;
  std::vector<Binding> bindings;
  std::vector<Decl> type_env;

  Outcome outcome = Outcome::kValue;
  std::optional<ExpectedValue> value;  // for kValue
  std::string error_substring;         // expected error text (a hint), when given
  std::string deduced_type;            // static type, same notation as Decl::type; may be empty

  // From scope.tsv (textprotos only; empty when the test has no row).
  std::string scope;
  std::string scope_note;
  bool reference_passes = false;  // column reference_k8s_v1.34 is "pass"

  // YAML extras.
  bool selector = false;
  std::optional<api::Value> device;  // the `device` input, validated; string fields as written
  std::string env;                   // "" (StoredExpressions) or "NewExpressions"
  bool consumable_capacity = true;
  // cel-go's estimate is a uint64; unbounded expressions estimate 18446744073709551615.
  std::optional<uint64_t> estimated_cost;
  std::string error_kind;  // "compile" | "program" | "eval" for YAML errors
  std::string note;
};

std::string_view OutcomeName(CelCase::Outcome outcome);

// One row of scope.tsv.
struct ScopeRow {
  std::string file;  // textproto name without extension ("basic")
  std::string section;
  std::string test;
  std::string scope;  // core, k8s-compile-error, k8s-differs, not-in-k8s, checker, ...
  bool reference_passes = false;
  bool disable_check = false;
  std::string note;
};

// scope.tsv, keyed by "file/section/test". Test names are unique only within a section, and
// not even there: upstream string_ext has two tests "index_of/empty_index" (and two more pairs).
// Such keys have one row per test, in file order.
struct ScopeTable {
  std::map<std::string, std::vector<ScopeRow>> rows;
  // The row of the `occurrence`-th (0-based) test with this key; nullptr when there is none.
  const ScopeRow* Find(std::string_view key, size_t occurrence = 0) const;
  // Number of rows.
  size_t size() const;
};

// Reads scope.tsv (tab-separated; '#' lines are comments). Rows with the wrong number of columns
// or bad pass/fail, yes/no columns are errors.
absl::StatusOr<ScopeTable> LoadScope(const std::string& path);

// Reads one SimpleTestFile textproto. Every test becomes a case whose id is
// "<file stem>/<section>/<test>" (see CelCase::id), with scope from `scope` when it has a row.
// Unknown fields, unsupported matchers (unknown, any_unknowns) and malformed values are errors
// naming the line.
absl::StatusOr<std::vector<CelCase>> LoadTextprotoCases(const std::string& path,
                                                        const ScopeTable& scope);
// Same, from text; `file_name` is the file's base name ("basic.textproto").
absl::StatusOr<std::vector<CelCase>> ParseTextprotoCases(std::string_view text,
                                                         std::string_view file_name,
                                                         const ScopeTable& scope);

// Reads a YAML case file (`cases:` list, schema in the header of k8s-libraries.yaml). Unknown
// keys, duplicate names, a case with both or neither of expect/error, unknown error kinds and
// malformed devices are errors naming the case.
absl::StatusOr<std::vector<CelCase>> LoadYamlCases(const std::string& path);
absl::StatusOr<std::vector<CelCase>> ParseYamlCases(std::string_view text,
                                                    std::string_view file_name);

// The type notation of Decl::type for a cel.expr.Type message.
absl::StatusOr<std::string> DescribeType(const TextMessage& type);

}  // namespace dra::cel::conformance

#endif  // DRA_CEL_CONFORMANCE_CASES_H_
