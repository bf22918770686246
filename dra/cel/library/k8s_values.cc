#include "dra/cel/library/k8s_values.h"

#include <string>

namespace dra::cel {
namespace k8s_internal {

// Kubernetes' CEL Quantity is a Go struct wrapping *resource.Quantity. quantity() and device
// capacities produce the struct by value, but add() and sub() return a pointer to it. Its Equal
// method only accepts the value form on the right-hand side, so `x.add(y) == q` works while
// `q == x.add(y)` (and a pointer on both sides) is "no such overload". `pointer` records which
// form a value has.
class QuantityObject final : public OpaqueValue {
 public:
  QuantityObject(const Quantity& q, bool pointer) : quantity_(q), pointer_(pointer) {}

  std::string_view TypeName() const override { return kQuantityTypeName; }
  Value Equal(const Value& other) const override {
    if (other.IsError()) return other;
    const auto* o = Cast(other);
    if (o == nullptr || o->pointer_) return ErrNoSuchOverload();
    return Value::Bool(quantity_.Compare(o->quantity_) == 0);
  }
  std::string DebugString() const override { return quantity_.ToString(); }
  const void* TypeId() const override { return &kTypeId; }

  const Quantity& quantity() const { return quantity_; }

  static const QuantityObject* Cast(const Value& v) {
    if (v.kind() != ValueKind::kOpaque || v.opaque().TypeId() != &kTypeId) return nullptr;
    return static_cast<const QuantityObject*>(&v.opaque());
  }

 private:
  static constexpr char kTypeId = 0;
  Quantity quantity_;
  bool pointer_;
};

// Kubernetes' CEL Semver: Equal accepts only another Semver and compares by precedence (blang's
// EQ, build metadata ignored).
class SemverObject final : public OpaqueValue {
 public:
  explicit SemverObject(const SemVer& s) : version_(s) {}

  std::string_view TypeName() const override { return kSemverTypeName; }
  Value Equal(const Value& other) const override {
    if (other.IsError()) return other;
    const auto* o = Cast(other);
    if (o == nullptr) return ErrNoSuchOverload();
    return Value::Bool(version_.Compare(o->version_) == 0);
  }
  std::string DebugString() const override { return version_.ToString(); }
  const void* TypeId() const override { return &kTypeId; }

  const SemVer& version() const { return version_; }

  static const SemverObject* Cast(const Value& v) {
    if (v.kind() != ValueKind::kOpaque || v.opaque().TypeId() != &kTypeId) return nullptr;
    return static_cast<const SemverObject*>(&v.opaque());
  }

 private:
  static constexpr char kTypeId = 0;
  SemVer version_;
};

// The pointer form of a quantity (results of add() and sub()); see QuantityObject. Declared
// again in kubernetes.cc, the only other user.
Value QuantityPointerValue(const Quantity& q) {
  return Value::Opaque(MakeRef<QuantityObject>(q, /*pointer=*/true));
}

}  // namespace k8s_internal

Value QuantityValue(const Quantity& q) {
  return Value::Opaque(MakeRef<k8s_internal::QuantityObject>(q, /*pointer=*/false));
}

const Quantity* AsQuantity(const Value& v) {
  const auto* o = k8s_internal::QuantityObject::Cast(v);
  return o == nullptr ? nullptr : &o->quantity();
}

Value SemverValue(const SemVer& s) { return Value::Opaque(MakeRef<k8s_internal::SemverObject>(s)); }

const SemVer* AsSemver(const Value& v) {
  const auto* o = k8s_internal::SemverObject::Cast(v);
  return o == nullptr ? nullptr : &o->version();
}

}  // namespace dra::cel
