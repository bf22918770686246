// Runtime values of the Kubernetes CEL types: kubernetes.Quantity (quantity()) and
// kubernetes.Semver (semver()), as opaque runtime values.
//
// Thread-safety: the values are immutable once created; functions are thread-safe.
#ifndef DRA_CEL_LIBRARY_K8S_VALUES_H_
#define DRA_CEL_LIBRARY_K8S_VALUES_H_

#include "dra/base/quantity.h"
#include "dra/base/semver.h"
#include "dra/cel/runtime/value.h"

namespace dra::cel {

inline constexpr std::string_view kQuantityTypeName = "kubernetes.Quantity";
inline constexpr std::string_view kSemverTypeName = "kubernetes.Semver";

// An owning runtime value holding `q` (type name kQuantityTypeName; DebugString() is the
// canonical form, q.ToString()).
Value QuantityValue(const Quantity& q);
// The quantity held by `v`, or null when `v` is not a quantity value.
const Quantity* AsQuantity(const Value& v);

// An owning runtime value holding `s` (type name kSemverTypeName; DebugString() is
// s.ToString()).
Value SemverValue(const SemVer& s);
// The version held by `v`, or null when `v` is not a semver value.
const SemVer* AsSemver(const Value& v);

namespace k8s_internal {
// The pointer form of a quantity, which add() and sub() return: Kubernetes' Quantity equality
// accepts only the value form on its right-hand side, so `x.add(y) == q` works while
// `q == x.add(y)` is "no such overload" (kept on purpose).
Value QuantityPointerValue(const Quantity& q);
}  // namespace k8s_internal

}  // namespace dra::cel

#endif  // DRA_CEL_LIBRARY_K8S_VALUES_H_
