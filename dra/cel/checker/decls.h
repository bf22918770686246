// Declarations for the CEL type checker: variables, functions with overloads, object types with
// fields, and the options that change checking (container, homogeneous aggregate literals,
// cross-type numeric comparisons). Mirrors cel-go v0.26's checker.Env and common/decls.
//
// Building: create an Env, add declarations (AddVariable, AddFunction, AddStructType) and
// libraries (AddStandardLibrary, AddOptionalLibrary, and the Kubernetes ones in k8s_decls.h),
// then share it as `std::shared_ptr<const Env>`. An Env may extend a parent (NewChild): lookups
// fall through to the parent, so per-expression variables can be layered over a shared library
// environment cheaply.
//
// Thread-safety: thread-compatible while being built; once built it is not modified, and all
// const methods may be called concurrently (the checker only reads it).
#ifndef DRA_CEL_CHECKER_DECLS_H_
#define DRA_CEL_CHECKER_DECLS_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "dra/cel/checker/types.h"

namespace dra::cel::checker {

// One overload of a function. For receiver-style overloads (`member`), arg_types[0] is the
// receiver type. Type parameters are the kTypeParam types occurring in the signature; they are
// instantiated with fresh type variables at each call.
struct OverloadDecl {
  std::string id;
  bool member = false;
  std::vector<Type> arg_types;
  Type result;

  // "(int, string) -> bool", or "int.(string) -> bool" for members.
  std::string Signature() const;
};

struct FunctionDecl {
  std::string name;
  std::vector<OverloadDecl> overloads;  // in declaration order (resolution order)
};

struct VariableDecl {
  std::string name;
  Type type;
};

// Options of the checking environment, with the values the Kubernetes DRA environment uses.
struct EnvOptions {
  // Names are resolved relative to this container (namespace), e.g. "com.example".
  std::string container;
  // cel.HomogeneousAggregateLiterals / ValidateHomogeneousAggregateLiterals: after a successful
  // check, every list literal's elements (and map literal's keys and values) must have
  // equivalent types: "expected type 'int' but found 'string'". Literals nested anywhere inside
  // a call to one of `homogeneous_exempt_functions` are exempt.
  bool homogeneous_aggregate_literals = true;
  std::vector<std::string> homogeneous_exempt_functions = {"format"};
  // cel.CrossTypeNumericComparisons: `<`, `<=`, `>`, `>=` across int, uint and double.
  bool cross_type_numeric_comparisons = true;
};

class Env {
 public:
  Env() = default;
  explicit Env(EnvOptions options) : options_(std::move(options)) {}

  // A new, empty environment whose lookups fall through to `parent` (and which inherits the
  // parent's options unless replaced with set_options).
  static std::shared_ptr<Env> NewChild(std::shared_ptr<const Env> parent);

  const EnvOptions& options() const { return options_; }
  void set_options(EnvOptions options) { options_ = std::move(options); }
  void set_container(std::string container) { options_.container = std::move(container); }

  // Declares a variable. Redeclaring a name with the same type is a no-op; with another type it
  // is AlreadyExists ("overlapping identifier for name 'x'").
  absl::Status AddVariable(std::string name, Type type);

  // Declares a function or adds overloads to an existing one (also one declared in a parent).
  // An overload id already present with the same signature is skipped; with a different
  // signature it is AlreadyExists. Receiver-style overloads must have a receiver argument.
  absl::Status AddFunction(FunctionDecl fn);
  // Shorthand: AddFunction({name, overloads}).
  absl::Status AddFunction(std::string name, std::vector<OverloadDecl> overloads);

  // Declares an object type with its fields (field selection on it yields the field's type;
  // other fields are "undefined field 'f'"). Also declares the type name as an identifier of
  // type type(T), as cel-go does for registered struct types.
  absl::Status AddStructType(std::string name, std::map<std::string, Type> fields);

  // Declares `name` as a type identifier: a variable of type type(t) (`int`, `list`...).
  absl::Status AddTypeIdentifier(const Type& t);

  // Exact-name lookups (no container resolution), this env first, then its ancestors.
  const VariableDecl* FindVariable(std::string_view name) const;
  const FunctionDecl* FindFunction(std::string_view name) const;
  const std::map<std::string, Type>* FindStructType(std::string_view name) const;

  // Candidate names for `name` in the container, most qualified first: in container "a.b",
  // "x" -> "a.b.x", "a.x", "x"; a leading dot (".x") means exactly "x".
  std::vector<std::string> ResolveCandidateNames(std::string_view name) const;

 private:
  EnvOptions options_;
  std::shared_ptr<const Env> parent_;
  std::map<std::string, VariableDecl, std::less<>> variables_;
  std::map<std::string, FunctionDecl, std::less<>> functions_;
  std::map<std::string, std::map<std::string, Type>, std::less<>> struct_types_;
};

// cel-go's standard library declarations (common/stdlib): the type identifiers (bool, bytes,
// double, google.protobuf.Duration, int, list, map, null_type, string,
// google.protobuf.Timestamp, type, uint), every operator and function with cel-go's overload
// ids and order, and the two-variable comprehension helper cel.@mapInsert.
absl::Status AddStandardLibrary(Env* env);

// cel-go's optional library, version 2 (what cel.OptionalTypes() gives): optional.of,
// optional.ofNonZeroValue, optional.none, value, hasValue, or, orValue, _?._, _[?_], optional
// _[_] overloads, first, last, optional.unwrap, unwrapOpt; and the optional_type identifier.
absl::Status AddOptionalLibrary(Env* env);

}  // namespace dra::cel::checker

#endif  // DRA_CEL_CHECKER_DECLS_H_
