// The CEL function registry and the standard library.
//
// A function has one or more overloads. An overload names the function ("_+_", "size",
// "optional.of", "isGreaterThan"), says whether it is called as a global function, as a method
// (receiver style: the receiver is args[0]) or both, lists the argument types it accepts
// (including the receiver) and points at its implementation. Calls are dispatched at run time on
// the dynamic kinds of the arguments (CEL's dyn dispatch): the first registered overload whose
// argument types match wins.
//
// Strictness: unless an overload is registered non-strict, an error argument is returned as the
// call's result without calling the implementation (the first error, left to right).
//
// Thread-safety: a FunctionRegistry is thread-compatible while being built and thread-safe once
// built (only const methods are used by Programs). Programs keep pointers to Overloads, so the
// registry must outlive every Program compiled against it. FunctionRegistry::Standard() is a
// process-wide immutable registry holding the standard library.
#ifndef DRA_CEL_RUNTIME_FUNCTIONS_H_
#define DRA_CEL_RUNTIME_FUNCTIONS_H_

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "dra/cel/runtime/value.h"

namespace dra::cel {

// An argument type pattern.
struct ArgType {
  bool any = false;
  ValueKind kind = ValueKind::kNull;
  // For kind == kOpaque: the required OpaqueValue::TypeName(); empty matches any opaque value.
  std::string_view opaque_type;

  static ArgType Any() { return ArgType{true, ValueKind::kNull, {}}; }
  static ArgType Of(ValueKind k) { return ArgType{false, k, {}}; }
  // `type_name` must have static storage duration.
  static ArgType Opaque(std::string_view type_name) {
    return ArgType{false, ValueKind::kOpaque, type_name};
  }
  bool Matches(const Value& v) const {
    if (any) return true;
    if (v.kind() != kind) return false;
    return kind != ValueKind::kOpaque || opaque_type.empty() ||
           v.opaque().TypeName() == opaque_type;
  }
};

// Implementation of an overload; args.size() equals the overload's arity.
using FunctionImpl = Value (*)(std::span<const Value> args);
// Runtime cost of one call beyond the base cost of 1 (e.g. string traversal), from the
// arguments. Null means 0.
using CostFunction = int64_t (*)(std::span<const Value> args);

enum class CallStyle : uint8_t { kGlobal, kReceiver, kBoth };

struct Overload {
  std::string name;  // function name, e.g. "_+_", "size", "optional.of"
  CallStyle style = CallStyle::kGlobal;
  std::vector<ArgType> args;  // receiver first for receiver-style calls
  FunctionImpl impl = nullptr;
  bool strict = true;
  CostFunction cost = nullptr;

  bool Matches(std::span<const Value> values) const {
    for (size_t i = 0; i < args.size(); ++i) {
      if (!args[i].Matches(values[i])) return false;
    }
    return true;
  }
};

class FunctionRegistry {
 public:
  FunctionRegistry() = default;
  FunctionRegistry(const FunctionRegistry&) = delete;
  FunctionRegistry& operator=(const FunctionRegistry&) = delete;

  // Adds an overload. Fails if name is empty, impl is null, or a receiver-style overload has no
  // arguments.
  absl::Status Add(Overload overload);
  // Convenience wrapper.
  absl::Status Add(std::string_view name, CallStyle style, std::vector<ArgType> args,
                   FunctionImpl impl, CostFunction cost = nullptr);

  // Overloads callable with this shape, in registration order (arity includes the receiver).
  std::vector<const Overload*> Find(std::string_view name, bool receiver_style, size_t arity) const;
  // Whether any overload has this name (any style and arity).
  bool HasFunction(std::string_view name) const;

  // The standard library (immutable, process-wide).
  static const FunctionRegistry& Standard();

 private:
  std::deque<Overload> overloads_;  // stable addresses
  std::unordered_map<std::string, std::vector<const Overload*>> by_name_;
};

// Registers the CEL standard library (operators, size, string functions, conversions,
// timestamps and durations, optional library) into `registry`.
absl::Status RegisterStandardFunctions(FunctionRegistry* registry);

// Dynamic dispatch: the first candidate matching the argument values, or null.
inline const Overload* Dispatch(std::span<const Overload* const> candidates,
                                std::span<const Value> args) {
  for (const Overload* o : candidates) {
    if (o->Matches(args)) return o;
  }
  return nullptr;
}

// The "no such overload: name(type, type)" error for a failed dispatch.
Value NoMatchingOverload(std::string_view name, std::span<const Value> args);

// Semantics helpers shared with libraries.
// Size of a string in Unicode code points (invalid UTF-8 bytes count one each).
int64_t CodePointCount(std::string_view s);
// `value in container` for lists (CEL equality) and maps (key presence).
Value In(const Value& element, const Value& container);
// Whether `v` is the zero value of its type (for optional.ofNonZeroValue).
bool IsZeroValue(const Value& v);

}  // namespace dra::cel

#endif  // DRA_CEL_RUNTIME_FUNCTIONS_H_
