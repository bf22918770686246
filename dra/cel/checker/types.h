// CEL types as the type checker sees them, with cel-go v0.26's rules for printing, assignability
// (unification with type-parameter substitution) and "most general type" joins.
//
// A Type is a small immutable value: a kind, a name (runtime type name, opaque/object name or
// type-parameter name) and parameters (list element; map key and value; opaque type
// arguments; type(T)'s T; a function's result then arguments). Types compare structurally.
//
// TypeSubstitution records the bindings of type parameters found while unifying; it is a plain
// value (copy it to try a unification and keep the copy only when it succeeds, as IsAssignable
// does).
//
// Thread-safety: all types here are value types (thread-compatible); the free functions are
// pure and thread-safe.
#ifndef DRA_CEL_CHECKER_TYPES_H_
#define DRA_CEL_CHECKER_TYPES_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace dra::cel::checker {

// The kinds of cel-go's common/types.Kind that a DRA environment can produce.
enum class TypeKind : uint8_t {
  kUnspecified,
  kDyn,
  kAny,  // google.protobuf.Any: behaves as dyn for checking, printed "any"
  kBool,
  kBytes,
  kDouble,
  kDuration,
  kError,
  kInt,
  kList,
  kMap,
  kNullType,
  kOpaque,  // optional_type(T), net.IP, net.CIDR, function types, user abstract types
  kString,
  kStruct,  // named object types: kubernetes.Quantity, kubernetes.Semver, kubernetes.DRADevice
  kTimestamp,
  kType,  // `type` (no parameter) or type(T)
  kTypeParam,
  kUint,
};

class Type {
 public:
  // The unspecified type (kind kUnspecified, prints as "").
  Type() = default;

  static Type Dyn() { return Type(TypeKind::kDyn, "dyn"); }
  static Type Any() { return Type(TypeKind::kAny, "google.protobuf.Any"); }
  static Type Bool() { return Type(TypeKind::kBool, "bool"); }
  static Type Bytes() { return Type(TypeKind::kBytes, "bytes"); }
  static Type Double() { return Type(TypeKind::kDouble, "double"); }
  static Type Duration() { return Type(TypeKind::kDuration, "google.protobuf.Duration"); }
  static Type Error() { return Type(TypeKind::kError, "error"); }
  static Type Int() { return Type(TypeKind::kInt, "int"); }
  static Type NullType() { return Type(TypeKind::kNullType, "null_type"); }
  static Type String() { return Type(TypeKind::kString, "string"); }
  static Type Timestamp() { return Type(TypeKind::kTimestamp, "google.protobuf.Timestamp"); }
  static Type Uint() { return Type(TypeKind::kUint, "uint"); }
  // `type` without a parameter (the type of type values in general).
  static Type TypeType() { return Type(TypeKind::kType, "type"); }
  // type(T): the type of the type value T.
  static Type TypeOf(Type t);
  static Type List(Type elem);
  static Type Map(Type key, Type value);
  // An abstract type with parameters, e.g. Opaque("tuple", {T, U}); net.IP is Opaque("net.IP").
  static Type Opaque(std::string name, std::vector<Type> params = {});
  // optional_type(T).
  static Type Optional(Type value);
  // A named object type (cel.ObjectType): kubernetes.Quantity, kubernetes.DRADevice...
  static Type Object(std::string name);
  // A type parameter (free type variable) named `name`.
  static Type Param(std::string name);
  // A function type: Opaque("function", {result, args...}).
  static Type Function(Type result, std::vector<Type> args);

  TypeKind kind() const { return kind_; }
  // cel-go's TypeName(): "int", "list", "map", "google.protobuf.Timestamp", "optional_type",
  // "kubernetes.Quantity", or the parameter name for type parameters.
  const std::string& name() const { return name_; }
  const std::vector<Type>& params() const { return params_; }

  // dyn or any (cel-go's checker isDyn).
  bool IsDyn() const { return kind_ == TypeKind::kDyn || kind_ == TypeKind::kAny; }
  bool IsError() const { return kind_ == TypeKind::kError; }
  bool IsDynOrError() const { return IsDyn() || IsError(); }
  bool IsOptional() const { return kind_ == TypeKind::kOpaque && name_ == "optional_type"; }

  // Same kind, name and parameters, type-parameter names included (IsExactType).
  bool IsExact(const Type& other) const;
  // As IsExact, but type parameters match any type parameter (IsEquivalentType).
  bool IsEquivalent(const Type& other) const;

  // cel-go's FormatCELType: "int", "list(int)", "map(string, dyn)", "null", "timestamp",
  // "duration", "any", "!error!", "type(int)", "optional_type(int)", "(int, string) -> bool".
  std::string ToString() const;

  friend bool operator==(const Type& a, const Type& b) { return a.IsExact(b); }

 private:
  Type(TypeKind kind, std::string name, std::vector<Type> params = {})
      : kind_(kind), name_(std::move(name)), params_(std::move(params)) {}

  TypeKind kind_ = TypeKind::kUnspecified;
  std::string name_;
  std::vector<Type> params_;
};

// The notation of the conformance cases (conformance::Decl::type, CelCase::deduced_type):
// like ToString except null_type, google.protobuf.Timestamp, google.protobuf.Duration, "*error*"
// and "function(result, args...)".
std::string DescribeType(const Type& type);

// Parses either notation (ToString's or DescribeType's): primitives, dyn, any, null/null_type,
// timestamp/duration (short or google.protobuf names), type/type(T), list(T), map(K, V),
// optional_type(T), function(R, A...), `name(params...)` abstract types; a bare name with a dot
// is an object type (net.IP and net.CIDR are opaque), a bare name without one is a type
// parameter. Wrapper types are not supported (Unimplemented).
absl::StatusOr<Type> ParseType(std::string_view text);

// Bindings of type parameters, keyed by the parameter's printed form (as cel-go's mapping).
class TypeSubstitution {
 public:
  // The binding of `t` (a type parameter); nullptr when unbound.
  const Type* Find(const Type& t) const;
  void Add(const Type& from, Type to);
  bool empty() const { return bindings_.empty(); }

 private:
  std::map<std::string, Type> bindings_;
};

// cel-go's isAssignable(m, t1, t2): whether t1 and t2 unify (t2 may be substituted for t1:
// argument types are t1, parameter types t2). On success the bindings found are added to *m;
// on failure *m is unchanged.
bool IsAssignable(TypeSubstitution* m, const Type& t1, const Type& t2);
// Element-wise IsAssignable over two lists of the same length, all-or-nothing.
bool IsAssignableList(TypeSubstitution* m, const std::vector<Type>& l1,
                      const std::vector<Type>& l2);

// Replaces bound type parameters by their bindings, recursively; unbound ones by dyn when
// `type_param_to_dyn`.
Type Substitute(const TypeSubstitution& m, const Type& t, bool type_param_to_dyn);

// The more general of two types known to unify (dyn and type parameters are more general).
Type MostGeneral(const Type& t1, const Type& t2);

// Every type parameter name occurring in `t`, appended to *names without duplicates.
void CollectTypeParams(const Type& t, std::vector<std::string>* names);

}  // namespace dra::cel::checker

#endif  // DRA_CEL_CHECKER_TYPES_H_
