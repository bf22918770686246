// CEL runtime values.
//
// A Value is a 24-byte tagged union: null, bool, int (int64), uint (uint64), double, string,
// bytes, list, map, type, optional, timestamp, duration, opaque (library types such as the
// Kubernetes Quantity and Semver) and error. Scalars, timestamps and durations are stored inline;
// copying them never allocates.
//
// OWNERSHIP RULES
// - Borrowed ("view") values: Value::StringView, BytesView, ListView, MapView, OpaqueView and
//   TypeValue keep a non-owning pointer. The referenced data must outlive every copy of the
//   Value. This is how host data (device attributes, program constants) enters evaluation
//   without copies or allocation. A Program's constants are borrowed views into the Program, and
//   a Value produced by Program::Evaluate may borrow from the Program and from the Activation's
//   data: keep both alive while using the result, or call Value::Own() to detach it.
// - Owned values: Value::String, Bytes, List, Map, Opaque, OptionalOf and Error(message) hold an
//   intrusive reference count (atomic) on an immutable heap object; copies share it.
// - Cheap values: Null/Bool/Int/Uint/Double/Timestamp/Duration, OptionalNone and the static
//   errors returned by the Err* helpers below never allocate.
//
// THREAD-SAFETY: Values are immutable after construction. Copying, destroying and reading the
// same Value (or copies of it) from several threads is safe (reference counts are atomic).
// ListValue/MapValue/OpaqueValue implementations must be safe for concurrent const calls.
#ifndef DRA_CEL_RUNTIME_VALUE_H_
#define DRA_CEL_RUNTIME_VALUE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/time/time.h"

namespace dra::cel {

class Value;

// Base of every heap object a Value can own. The count starts at 1 (held by the creator).
class RefCounted {
 public:
  RefCounted() = default;
  RefCounted(const RefCounted&) = delete;
  RefCounted& operator=(const RefCounted&) = delete;

  void Ref() const { refs_.fetch_add(1, std::memory_order_relaxed); }
  void Unref() const {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) Destroy();
  }

 protected:
  virtual ~RefCounted() = default;
  // Frees the object; overridden by objects with a custom layout.
  virtual void Destroy() const { delete this; }

 private:
  mutable std::atomic<int32_t> refs_{1};
};

// A smart pointer for RefCounted objects (adopts the initial reference of `new T`).
template <typename T>
class RefPtr {
 public:
  RefPtr() = default;
  // Adopts one reference held by the caller.
  static RefPtr Adopt(T* p) {
    RefPtr r;
    r.p_ = p;
    return r;
  }
  RefPtr(const RefPtr& o) : p_(o.p_) {
    if (p_) p_->Ref();
  }
  RefPtr(RefPtr&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  // Upcast from a derived pointer.
  template <typename U>
  requires std::is_convertible_v<U*, T*> RefPtr(RefPtr<U>&& o)
  noexcept : p_(o.release()) {}  // NOLINT(google-explicit-constructor)
  RefPtr& operator=(RefPtr o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~RefPtr() {
    if (p_) p_->Unref();
  }
  T* get() const { return p_; }
  T* operator->() const { return p_; }
  T& operator*() const { return *p_; }
  explicit operator bool() const { return p_ != nullptr; }
  // Gives up ownership of the reference.
  T* release() { return std::exchange(p_, nullptr); }

 private:
  T* p_ = nullptr;
};

template <typename T, typename... Args>
RefPtr<T> MakeRef(Args&&... args) {
  return RefPtr<T>::Adopt(new T(std::forward<Args>(args)...));
}

// A CEL list. Implementations are immutable and thread-safe for const calls.
class ListValue : public RefCounted {
 public:
  virtual size_t Size() const = 0;
  // Precondition: i < Size().
  virtual Value Get(size_t i) const = 0;
};

// A CEL map. Keys are bool, int, uint or string. Lookups follow CEL's heterogeneous numeric key
// rule: an int, uint or integral double key finds the entry whose numeric key has the same value
// (1 == 1u == 1.0). Implementations are immutable and thread-safe for const calls; host-backed
// maps (e.g. a device's attributes) implement this interface directly, without copying.
class MapValue : public RefCounted {
 public:
  virtual size_t Size() const = 0;
  // The value for `key`, or nullopt when absent (also when the key's type cannot be a key).
  virtual std::optional<Value> Find(const Value& key) const = 0;
  // Lookup by a string key (field selection `m.f`). Default: Find(StringView(name)).
  virtual std::optional<Value> FindField(std::string_view name) const;
  // Membership for `key in map`. Default: Find(key) has a value. Maps that answer Find for
  // absent keys with a default (the DRA device's attribute domains) override it.
  virtual bool Contains(const Value& key) const;
  // Calls fn(key, value) for each entry in a stable order until fn returns false.
  virtual void ForEach(absl::FunctionRef<bool(const Value& key, const Value& value)> fn) const = 0;
};

// Library-defined value types (Kubernetes Quantity, Semver, URL, IP, ...).
class OpaqueValue : public RefCounted {
 public:
  // The CEL type name, e.g. "kubernetes.Quantity". The storage must be static.
  virtual std::string_view TypeName() const = 0;
  // CEL `==` against any other value: Bool, or an error value (e.g. no such overload when the
  // other value's type is not supported, as Kubernetes types do).
  virtual Value Equal(const Value& other) const = 0;
  // Human-readable form for debugging and printing.
  virtual std::string DebugString() const = 0;
  // A stable id (the address of a static) used to test the dynamic type cheaply.
  virtual const void* TypeId() const = 0;
};

enum class ValueKind : uint8_t {
  kNull,
  kBool,
  kInt,
  kUint,
  kDouble,
  kString,
  kBytes,
  kList,
  kMap,
  kType,
  kOptional,
  kTimestamp,
  kDuration,
  kOpaque,
  kError,
};

// The CEL type name of a kind ("int", "list", "google.protobuf.Timestamp", ...). Opaque values
// report their own name through Value::TypeName().
std::string_view KindName(ValueKind kind);

// The error carried by an error Value.
class ErrorValue : public RefCounted {
 public:
  explicit ErrorValue(std::string message) : message_(std::move(message)) {}
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

class Value {
 public:
  // Null.
  Value() : kind_(ValueKind::kNull), owned_(false) {
    rep_.u = 0;
    rep_.n = 0;
  }
  Value(const Value& o) : kind_(o.kind_), owned_(o.owned_), rep_(o.rep_) {
    if (owned_) RefOwned();
  }
  Value(Value&& o) noexcept : kind_(o.kind_), owned_(o.owned_), rep_(o.rep_) { o.owned_ = false; }
  Value& operator=(const Value& o) {
    if (this != &o) {
      if (o.owned_) o.RefOwned();
      if (owned_) UnrefOwned();
      kind_ = o.kind_;
      owned_ = o.owned_;
      rep_ = o.rep_;
    }
    return *this;
  }
  Value& operator=(Value&& o) noexcept {
    if (this != &o) {
      if (owned_) UnrefOwned();
      kind_ = o.kind_;
      owned_ = o.owned_;
      rep_ = o.rep_;
      o.owned_ = false;
    }
    return *this;
  }
  ~Value() {
    if (owned_) UnrefOwned();
  }

  // --- Construction -------------------------------------------------------------------------
  static Value Null() { return Value(); }
  static Value Bool(bool b) {
    Value v(ValueKind::kBool);
    v.rep_.u = b ? 1 : 0;
    return v;
  }
  static Value Int(int64_t i) {
    Value v(ValueKind::kInt);
    v.rep_.i = i;
    return v;
  }
  static Value Uint(uint64_t u) {
    Value v(ValueKind::kUint);
    v.rep_.u = u;
    return v;
  }
  static Value Double(double d) {
    Value v(ValueKind::kDouble);
    v.rep_.d = d;
    return v;
  }
  // Borrowed string: `s` must outlive the Value and its copies.
  static Value StringView(std::string_view s) { return View(ValueKind::kString, s); }
  // Owned copy of `s`.
  static Value String(std::string_view s) { return Owned(ValueKind::kString, s); }
  static Value BytesView(std::string_view s) { return View(ValueKind::kBytes, s); }
  static Value Bytes(std::string_view s) { return Owned(ValueKind::kBytes, s); }
  // A type value; `name` must have static storage duration (or outlive the Value).
  static Value TypeValue(std::string_view name) { return View(ValueKind::kType, name); }
  static Value List(RefPtr<ListValue> list) {
    return Object(ValueKind::kList, list.release(), true);
  }
  static Value ListView(const ListValue* list) { return Object(ValueKind::kList, list, false); }
  static Value Map(RefPtr<MapValue> map) { return Object(ValueKind::kMap, map.release(), true); }
  static Value MapView(const MapValue* map) { return Object(ValueKind::kMap, map, false); }
  static Value Opaque(RefPtr<OpaqueValue> o) {
    return Object(ValueKind::kOpaque, o.release(), true);
  }
  static Value OpaqueView(const OpaqueValue* o) { return Object(ValueKind::kOpaque, o, false); }
  static Value OptionalNone() { return Object(ValueKind::kOptional, nullptr, false); }
  static Value OptionalOf(Value v);
  // An error with an owned message.
  static Value Error(std::string message);
  // An error borrowing a long-lived ErrorValue (no allocation, no reference counting).
  static Value ErrorView(const ErrorValue* e) { return Object(ValueKind::kError, e, false); }
  // Timestamps: seconds since the Unix epoch and nanos in [0, 1e9). Range-checked constructors
  // return an error value outside 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999999Z.
  static Value Timestamp(int64_t seconds, int32_t nanos);
  static Value Timestamp(absl::Time t);
  // Durations: int64 nanoseconds (as cel-go's time.Duration).
  static Value Duration(int64_t nanos) {
    Value v(ValueKind::kDuration);
    v.rep_.i = nanos;
    return v;
  }

  // --- Inspection ---------------------------------------------------------------------------
  ValueKind kind() const { return kind_; }
  bool IsError() const { return kind_ == ValueKind::kError; }
  bool IsBool() const { return kind_ == ValueKind::kBool; }
  bool IsTrue() const { return kind_ == ValueKind::kBool && rep_.u != 0; }
  bool IsFalse() const { return kind_ == ValueKind::kBool && rep_.u == 0; }
  bool IsString() const { return kind_ == ValueKind::kString; }
  bool IsNumber() const {
    return kind_ == ValueKind::kInt || kind_ == ValueKind::kUint || kind_ == ValueKind::kDouble;
  }

  // Accessors: precondition, the matching kind.
  bool bool_value() const { return rep_.u != 0; }
  int64_t int_value() const { return rep_.i; }
  uint64_t uint_value() const { return rep_.u; }
  double double_value() const { return rep_.d; }
  // kString, kBytes and kType.
  std::string_view string_view() const { return std::string_view(rep_.s, rep_.n); }
  const ListValue& list() const { return *static_cast<const ListValue*>(rep_.obj); }
  const MapValue& map() const { return *static_cast<const MapValue*>(rep_.obj); }
  const OpaqueValue& opaque() const { return *static_cast<const OpaqueValue*>(rep_.obj); }
  // kOptional.
  bool optional_has_value() const { return rep_.obj != nullptr; }
  // Precondition: optional_has_value().
  const Value& optional_value() const;
  // kError.
  const std::string& error_message() const {
    return static_cast<const ErrorValue*>(rep_.obj)->message();
  }
  // kTimestamp.
  int64_t timestamp_seconds() const { return rep_.i; }
  int32_t timestamp_nanos() const { return static_cast<int32_t>(rep_.n); }
  absl::Time timestamp() const {
    return absl::FromUnixSeconds(rep_.i) + absl::Nanoseconds(static_cast<int64_t>(rep_.n));
  }
  // kDuration.
  int64_t duration_nanos() const { return rep_.i; }

  // The CEL type name ("int", "map", "kubernetes.Quantity", "optional_type", ...).
  std::string_view TypeName() const;
  // A deep copy that borrows nothing (views become owned). Lists and maps are copied only when
  // they contain or are borrowed values.
  Value Own() const;
  // A readable rendering (strings quoted, maps in iteration order), for tests and debugging.
  std::string DebugString() const;

 private:
  friend struct ValueInternal;
  explicit Value(ValueKind k) : kind_(k), owned_(false) {
    rep_.u = 0;
    rep_.n = 0;
  }
  static Value View(ValueKind k, std::string_view s) {
    Value v(k);
    v.rep_.s = s.data();
    v.rep_.n = s.size();
    return v;
  }
  static Value Owned(ValueKind k, std::string_view s);
  static Value Object(ValueKind k, const RefCounted* o, bool owned) {
    Value v(k);
    v.rep_.obj = o;
    v.owned_ = owned;
    return v;
  }
  void RefOwned() const;
  void UnrefOwned() const;

  ValueKind kind_;
  bool owned_;  // holds a reference on a heap object
  struct Rep {
    union {
      int64_t i;
      uint64_t u;
      double d;
      const char* s;
      const RefCounted* obj;
    };
    size_t n;  // string size; timestamp nanos
  } rep_;
};

static_assert(sizeof(Value) == 24, "Value should stay three words");

// --- Concrete containers ---------------------------------------------------------------------

// A list backed by a vector of values.
class VectorListValue final : public ListValue {
 public:
  explicit VectorListValue(std::vector<Value> elements) : elements_(std::move(elements)) {}
  size_t Size() const override { return elements_.size(); }
  Value Get(size_t i) const override { return elements_[i]; }
  const std::vector<Value>& elements() const { return elements_; }

 private:
  std::vector<Value> elements_;
};

// A map kept in insertion order, with CEL key lookup (linear for small maps, hashed otherwise).
class VectorMapValue final : public MapValue {
 public:
  VectorMapValue() = default;
  // Inserts or replaces (the last write for a key wins, as cel-go's map literals do). Keys must
  // be valid map keys (see IsValidMapKey).
  void Put(Value key, Value value);
  size_t Size() const override { return entries_.size(); }
  std::optional<Value> Find(const Value& key) const override;
  std::optional<Value> FindField(std::string_view name) const override;
  void ForEach(absl::FunctionRef<bool(const Value&, const Value&)> fn) const override;

 private:
  std::optional<size_t> IndexOf(const Value& key) const;
  std::vector<std::pair<Value, Value>> entries_;
  // Hash indexes from keys to entries, kept once the map grows past a few entries. String keys
  // are views into the entries' keys (their character data never moves).
  std::unordered_map<std::string_view, size_t> string_index_;
  // Non-string keys by canonical form: (0, bool), (1, int64 bits) for ints and uints that fit
  // int64, (2, uint64) for larger uints.
  std::map<std::pair<int, uint64_t>, size_t> other_index_;
  bool indexed_ = false;
};

// --- Semantics shared by the runtime and libraries --------------------------------------------

// bool, int, uint and string values can be map keys.
bool IsValidMapKey(const Value& key);
// Whether two (valid or numeric) keys denote the same map entry: equal strings or bools, or
// numerically equal int/uint/double.
bool MapKeysEqual(const Value& a, const Value& b);

// CEL `==`: Bool, or an error (error operands propagate; opaque types may refuse other types).
Value Equal(const Value& a, const Value& b);
// Three-way ordering for `<` and friends: -1, 0, 1 as Int, or an error (no such overload across
// kinds, "NaN values cannot be ordered").
Value Compare(const Value& a, const Value& b);

// Frequently used errors (static, allocation-free).
Value ErrNoSuchOverload();
Value ErrDivisionByZero();
Value ErrModulusByZero();
Value ErrIntOverflow();
Value ErrUintOverflow();
Value ErrNoSuchKey(const Value& key);
Value ErrIndexOutOfBounds(int64_t index);
Value ErrTimestampRange();
Value ErrDurationRange();

// Formats a double as cel-go's string(double) (Go strconv 'g' with shortest precision):
// 1.5 -> "1.5", 1e6 -> "1e+06", 1e-7 -> "1e-07", inf -> "+Inf", nan -> "NaN".
std::string FormatDouble(double d);
// RFC 3339 with nanoseconds trimmed as Go's time.RFC3339Nano, always UTC ("Z").
std::string FormatTimestamp(int64_t seconds, int32_t nanos);
// Go-style protobuf duration rendering used by string(duration): "3600s", "1.5s".
std::string FormatDuration(int64_t nanos);

}  // namespace dra::cel

#endif  // DRA_CEL_RUNTIME_VALUE_H_
