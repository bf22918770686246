#include "dra/cel/runtime/value.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <new>

#include "dra/base/strings.h"

namespace dra::cel {
namespace {

constexpr int64_t kMinTimestampSeconds = -62135596800;  // 0001-01-01T00:00:00Z
constexpr int64_t kMaxTimestampSeconds = 253402300799;  // 9999-12-31T23:59:59Z

// Owned string storage: a header followed by the characters (and a NUL).
class StringRep final : public RefCounted {
 public:
  static const char* Create(std::string_view s) {
    void* mem = ::operator new(sizeof(StringRep) + s.size() + 1);
    auto* rep = new (mem) StringRep();
    char* data = reinterpret_cast<char*>(rep + 1);
    if (!s.empty()) std::memcpy(data, s.data(), s.size());
    data[s.size()] = '\0';
    return data;
  }
  static const StringRep* FromData(const char* data) {
    // Integer arithmetic: the header precedes the characters in the same allocation.
    return reinterpret_cast<const StringRep*>(reinterpret_cast<uintptr_t>(data) -
                                              sizeof(StringRep));
  }

 private:
  void Destroy() const override {
    this->~StringRep();
    ::operator delete(const_cast<StringRep*>(this));
  }
};

class OptionalRep final : public RefCounted {
 public:
  explicit OptionalRep(Value v) : value(std::move(v)) {}
  Value value;
};

bool IsOwnedString(ValueKind k) {
  return k == ValueKind::kString || k == ValueKind::kBytes || k == ValueKind::kType;
}

// The numeric value of a key as (int64 fits, value) for the canonical index.
bool CanonicalNumericKey(const Value& v, std::pair<int, uint64_t>* out) {
  switch (v.kind()) {
    case ValueKind::kBool:
      *out = {0, v.bool_value() ? 1u : 0u};
      return true;
    case ValueKind::kInt:
      *out = {1, static_cast<uint64_t>(v.int_value())};
      return true;
    case ValueKind::kUint:
      if (v.uint_value() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        *out = {1, v.uint_value()};
      } else {
        *out = {2, v.uint_value()};
      }
      return true;
    case ValueKind::kDouble: {
      double d = v.double_value();
      if (d != std::trunc(d)) return false;
      if (d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
        *out = {1, static_cast<uint64_t>(static_cast<int64_t>(d))};
        return true;
      }
      if (d >= 0 && d < 18446744073709551616.0) {
        *out = {2, static_cast<uint64_t>(d)};
        return true;
      }
      return false;
    }
    default:
      return false;
  }
}

int CompareInts(int64_t a, int64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }
int CompareUints(uint64_t a, uint64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }

Value StaticError(const char* message) {
  // Leaked deliberately: static errors live for the whole process.
  return Value::ErrorView(new ErrorValue(message));
}

void AppendQuoted(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        out.push_back(c);
    }
  }
  out.push_back('"');
}

}  // namespace

bool MapValue::Contains(const Value& key) const { return Find(key).has_value(); }

std::optional<Value> MapValue::FindField(std::string_view name) const {
  return Find(Value::StringView(name));
}

std::string_view KindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNull:
      return "null_type";
    case ValueKind::kBool:
      return "bool";
    case ValueKind::kInt:
      return "int";
    case ValueKind::kUint:
      return "uint";
    case ValueKind::kDouble:
      return "double";
    case ValueKind::kString:
      return "string";
    case ValueKind::kBytes:
      return "bytes";
    case ValueKind::kList:
      return "list";
    case ValueKind::kMap:
      return "map";
    case ValueKind::kType:
      return "type";
    case ValueKind::kOptional:
      return "optional_type";
    case ValueKind::kTimestamp:
      return "google.protobuf.Timestamp";
    case ValueKind::kDuration:
      return "google.protobuf.Duration";
    case ValueKind::kOpaque:
      return "opaque";
    case ValueKind::kError:
      return "error";
  }
  return "unknown";
}

Value Value::Owned(ValueKind k, std::string_view s) {
  Value v(k);
  v.rep_.s = StringRep::Create(s);
  v.rep_.n = s.size();
  v.owned_ = true;
  return v;
}

void Value::RefOwned() const {
  if (IsOwnedString(kind_)) {
    StringRep::FromData(rep_.s)->Ref();
  } else {
    rep_.obj->Ref();
  }
}

void Value::UnrefOwned() const {
  if (IsOwnedString(kind_)) {
    StringRep::FromData(rep_.s)->Unref();
  } else {
    rep_.obj->Unref();
  }
}

Value Value::OptionalOf(Value v) {
  return Object(ValueKind::kOptional, new OptionalRep(std::move(v)), true);
}

const Value& Value::optional_value() const {
  return static_cast<const OptionalRep*>(rep_.obj)->value;
}

Value Value::Error(std::string message) {
  return Object(ValueKind::kError, new ErrorValue(std::move(message)), true);
}

Value Value::Timestamp(int64_t seconds, int32_t nanos) {
  if (nanos < 0 || nanos >= 1000000000) {
    seconds += nanos / 1000000000;
    nanos %= 1000000000;
    if (nanos < 0) {
      nanos += 1000000000;
      seconds -= 1;
    }
  }
  if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds) {
    return ErrTimestampRange();
  }
  Value v(ValueKind::kTimestamp);
  v.rep_.i = seconds;
  v.rep_.n = static_cast<size_t>(nanos);
  return v;
}

Value Value::Timestamp(absl::Time t) {
  if (t < absl::FromUnixSeconds(kMinTimestampSeconds) ||
      t >= absl::FromUnixSeconds(kMaxTimestampSeconds + 1)) {
    return ErrTimestampRange();
  }
  int64_t seconds = absl::ToUnixSeconds(t);
  absl::Duration rem = t - absl::FromUnixSeconds(seconds);
  if (rem < absl::ZeroDuration()) {
    seconds -= 1;
    rem += absl::Seconds(1);
  }
  return Timestamp(seconds, static_cast<int32_t>(absl::ToInt64Nanoseconds(rem)));
}

std::string_view Value::TypeName() const {
  if (kind_ == ValueKind::kOpaque) return opaque().TypeName();
  return KindName(kind_);
}

Value Value::Own() const {
  switch (kind_) {
    case ValueKind::kString:
    case ValueKind::kBytes:
      return owned_ ? *this : Owned(kind_, string_view());
    case ValueKind::kList: {
      std::vector<Value> elements;
      const ListValue& l = list();
      elements.reserve(l.Size());
      for (size_t i = 0; i < l.Size(); ++i) elements.push_back(l.Get(i).Own());
      return List(MakeRef<VectorListValue>(std::move(elements)));
    }
    case ValueKind::kMap: {
      auto m = MakeRef<VectorMapValue>();
      map().ForEach([&](const Value& k, const Value& v) {
        m->Put(k.Own(), v.Own());
        return true;
      });
      return Map(std::move(m));
    }
    case ValueKind::kOptional:
      if (!optional_has_value()) return *this;
      return OptionalOf(optional_value().Own());
    case ValueKind::kOpaque:
      // Opaque views are documented as borrowed; library types are owned in practice.
      return *this;
    default:
      return *this;
  }
}

std::string Value::DebugString() const {
  std::string out;
  switch (kind_) {
    case ValueKind::kNull:
      return "null";
    case ValueKind::kBool:
      return bool_value() ? "true" : "false";
    case ValueKind::kInt:
      return std::to_string(int_value());
    case ValueKind::kUint:
      return StrCat(uint_value(), "u");
    case ValueKind::kDouble:
      return FormatDouble(double_value());
    case ValueKind::kString:
      AppendQuoted(out, string_view());
      return out;
    case ValueKind::kBytes:
      out = "b";
      AppendQuoted(out, string_view());
      return out;
    case ValueKind::kType:
      return StrCat("type(", string_view(), ")");
    case ValueKind::kList: {
      out = "[";
      const ListValue& l = list();
      for (size_t i = 0; i < l.Size(); ++i) {
        if (i > 0) out += ", ";
        out += l.Get(i).DebugString();
      }
      out += "]";
      return out;
    }
    case ValueKind::kMap: {
      out = "{";
      bool first = true;
      map().ForEach([&](const Value& k, const Value& v) {
        if (!first) out += ", ";
        first = false;
        StrAppend(&out, k.DebugString(), ": ", v.DebugString());
        return true;
      });
      out += "}";
      return out;
    }
    case ValueKind::kOptional:
      if (!optional_has_value()) return "optional.none()";
      return StrCat("optional.of(", optional_value().DebugString(), ")");
    case ValueKind::kTimestamp:
      return StrCat("timestamp(\"", FormatTimestamp(timestamp_seconds(), timestamp_nanos()), "\")");
    case ValueKind::kDuration:
      return StrCat("duration(\"", FormatDuration(duration_nanos()), "\")");
    case ValueKind::kOpaque:
      return opaque().DebugString();
    case ValueKind::kError:
      return StrCat("error(", error_message(), ")");
  }
  return "?";
}

// --- VectorMapValue ----------------------------------------------------------------------------

namespace {
constexpr size_t kIndexThreshold = 8;
}  // namespace

std::optional<size_t> VectorMapValue::IndexOf(const Value& key) const {
  if (indexed_) {
    if (key.kind() == ValueKind::kString) {
      auto it = string_index_.find(key.string_view());
      if (it == string_index_.end()) return std::nullopt;
      return it->second;
    }
    std::pair<int, uint64_t> canon;
    if (!CanonicalNumericKey(key, &canon)) return std::nullopt;
    if (key.kind() == ValueKind::kBool) canon.first = 0;
    auto it = other_index_.find(canon);
    if (it == other_index_.end()) return std::nullopt;
    // A double or numeric key must not find a bool entry and vice versa.
    if ((entries_[it->second].first.kind() == ValueKind::kBool) !=
        (key.kind() == ValueKind::kBool)) {
      return std::nullopt;
    }
    return it->second;
  }
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (MapKeysEqual(entries_[i].first, key)) return i;
  }
  return std::nullopt;
}

void VectorMapValue::Put(Value key, Value value) {
  if (std::optional<size_t> i = IndexOf(key)) {
    entries_[*i].second = std::move(value);
    return;
  }
  entries_.emplace_back(std::move(key), std::move(value));
  auto add_to_index = [this](size_t i) {
    const Value& k = entries_[i].first;
    if (k.kind() == ValueKind::kString) {
      string_index_.emplace(k.string_view(), i);
    } else {
      std::pair<int, uint64_t> canon;
      if (CanonicalNumericKey(k, &canon)) other_index_.emplace(canon, i);
    }
  };
  if (indexed_) {
    add_to_index(entries_.size() - 1);
  } else if (entries_.size() > kIndexThreshold) {
    indexed_ = true;
    for (size_t i = 0; i < entries_.size(); ++i) add_to_index(i);
  }
}

std::optional<Value> VectorMapValue::Find(const Value& key) const {
  std::optional<size_t> i = IndexOf(key);
  if (!i) return std::nullopt;
  return entries_[*i].second;
}

std::optional<Value> VectorMapValue::FindField(std::string_view name) const {
  if (indexed_) {
    auto it = string_index_.find(name);
    if (it == string_index_.end()) return std::nullopt;
    return entries_[it->second].second;
  }
  for (const auto& [k, v] : entries_) {
    if (k.kind() == ValueKind::kString && k.string_view() == name) return v;
  }
  return std::nullopt;
}

void VectorMapValue::ForEach(absl::FunctionRef<bool(const Value&, const Value&)> fn) const {
  for (const auto& [k, v] : entries_) {
    if (!fn(k, v)) return;
  }
}

// --- Semantics -----------------------------------------------------------------------------------

bool IsValidMapKey(const Value& key) {
  switch (key.kind()) {
    case ValueKind::kBool:
    case ValueKind::kInt:
    case ValueKind::kUint:
    case ValueKind::kString:
      return true;
    default:
      return false;
  }
}

bool MapKeysEqual(const Value& a, const Value& b) {
  if (a.kind() == ValueKind::kString || b.kind() == ValueKind::kString) {
    return a.kind() == b.kind() && a.string_view() == b.string_view();
  }
  if (a.kind() == ValueKind::kBool || b.kind() == ValueKind::kBool) {
    return a.kind() == b.kind() && a.bool_value() == b.bool_value();
  }
  std::pair<int, uint64_t> ca, cb;
  return CanonicalNumericKey(a, &ca) && CanonicalNumericKey(b, &cb) && ca == cb;
}

namespace {

// Numeric comparison across int, uint and double; nullopt for NaN.
std::optional<int> CompareNumbers(const Value& a, const Value& b) {
  ValueKind ka = a.kind(), kb = b.kind();
  if (ka == ValueKind::kInt && kb == ValueKind::kInt)
    return CompareInts(a.int_value(), b.int_value());
  if (ka == ValueKind::kUint && kb == ValueKind::kUint) {
    return CompareUints(a.uint_value(), b.uint_value());
  }
  if (ka == ValueKind::kInt && kb == ValueKind::kUint) {
    if (a.int_value() < 0) return -1;
    return CompareUints(static_cast<uint64_t>(a.int_value()), b.uint_value());
  }
  if (ka == ValueKind::kUint && kb == ValueKind::kInt) {
    if (b.int_value() < 0) return 1;
    return CompareUints(a.uint_value(), static_cast<uint64_t>(b.int_value()));
  }
  double da = ka == ValueKind::kDouble ? a.double_value()
              : ka == ValueKind::kInt  ? static_cast<double>(a.int_value())
                                       : static_cast<double>(a.uint_value());
  double db = kb == ValueKind::kDouble ? b.double_value()
              : kb == ValueKind::kInt  ? static_cast<double>(b.int_value())
                                       : static_cast<double>(b.uint_value());
  if (std::isnan(da) || std::isnan(db)) return std::nullopt;
  return da < db ? -1 : (da > db ? 1 : 0);
}

int CompareStrings(std::string_view a, std::string_view b) {
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

Value Equal(const Value& a, const Value& b) {
  if (a.IsError()) return a;
  if (b.IsError()) return b;
  if (a.IsNumber() && b.IsNumber()) {
    std::optional<int> c = CompareNumbers(a, b);
    return Value::Bool(c.has_value() && *c == 0);
  }
  if (a.kind() == ValueKind::kOpaque) return a.opaque().Equal(b);
  if (a.kind() != b.kind()) return Value::Bool(false);
  switch (a.kind()) {
    case ValueKind::kNull:
      return Value::Bool(true);
    case ValueKind::kBool:
      return Value::Bool(a.bool_value() == b.bool_value());
    case ValueKind::kString:
    case ValueKind::kBytes:
    case ValueKind::kType:
      return Value::Bool(a.string_view() == b.string_view());
    case ValueKind::kTimestamp:
      return Value::Bool(a.timestamp_seconds() == b.timestamp_seconds() &&
                         a.timestamp_nanos() == b.timestamp_nanos());
    case ValueKind::kDuration:
      return Value::Bool(a.duration_nanos() == b.duration_nanos());
    case ValueKind::kOptional:
      if (a.optional_has_value() != b.optional_has_value()) return Value::Bool(false);
      if (!a.optional_has_value()) return Value::Bool(true);
      return Equal(a.optional_value(), b.optional_value());
    case ValueKind::kList: {
      const ListValue& la = a.list();
      const ListValue& lb = b.list();
      if (la.Size() != lb.Size()) return Value::Bool(false);
      Value error;
      bool has_error = false;
      for (size_t i = 0; i < la.Size(); ++i) {
        Value eq = Equal(la.Get(i), lb.Get(i));
        if (eq.IsFalse()) return eq;
        if (eq.IsError() && !has_error) {
          has_error = true;
          error = std::move(eq);
        }
      }
      return has_error ? error : Value::Bool(true);
    }
    case ValueKind::kMap: {
      const MapValue& ma = a.map();
      const MapValue& mb = b.map();
      if (ma.Size() != mb.Size()) return Value::Bool(false);
      Value result = Value::Bool(true);
      ma.ForEach([&](const Value& k, const Value& v) {
        std::optional<Value> other = mb.Find(k);
        if (!other.has_value()) {
          result = Value::Bool(false);
          return false;
        }
        Value eq = Equal(v, *other);
        if (eq.IsFalse()) {
          result = std::move(eq);
          return false;
        }
        if (eq.IsError() && !result.IsError()) result = std::move(eq);
        return true;
      });
      return result;
    }
    default:
      return Value::Bool(false);
  }
}

Value Compare(const Value& a, const Value& b) {
  if (a.IsError()) return a;
  if (b.IsError()) return b;
  if (a.IsNumber() && b.IsNumber()) {
    std::optional<int> c = CompareNumbers(a, b);
    if (!c.has_value()) {
      static const Value* const kNaN = new Value(StaticError("NaN values cannot be ordered"));
      return *kNaN;
    }
    return Value::Int(*c);
  }
  if (a.kind() != b.kind()) return ErrNoSuchOverload();
  switch (a.kind()) {
    case ValueKind::kBool:
      return Value::Int(static_cast<int>(a.bool_value()) - static_cast<int>(b.bool_value()));
    case ValueKind::kString:
    case ValueKind::kBytes:
      return Value::Int(CompareStrings(a.string_view(), b.string_view()));
    case ValueKind::kTimestamp: {
      int c = CompareInts(a.timestamp_seconds(), b.timestamp_seconds());
      if (c == 0) c = CompareInts(a.timestamp_nanos(), b.timestamp_nanos());
      return Value::Int(c);
    }
    case ValueKind::kDuration:
      return Value::Int(CompareInts(a.duration_nanos(), b.duration_nanos()));
    default:
      return ErrNoSuchOverload();
  }
}

#define DRA_CEL_STATIC_ERROR(name, text)                             \
  Value name() {                                                     \
    static const Value* const kError = new Value(StaticError(text)); \
    return *kError;                                                  \
  }

DRA_CEL_STATIC_ERROR(ErrNoSuchOverload, "no such overload")
DRA_CEL_STATIC_ERROR(ErrDivisionByZero, "division by zero")
DRA_CEL_STATIC_ERROR(ErrModulusByZero, "modulus by zero")
DRA_CEL_STATIC_ERROR(ErrIntOverflow, "integer overflow")
DRA_CEL_STATIC_ERROR(ErrUintOverflow, "unsigned integer overflow")
DRA_CEL_STATIC_ERROR(ErrTimestampRange, "timestamp out of range")
DRA_CEL_STATIC_ERROR(ErrDurationRange, "duration out of range")

#undef DRA_CEL_STATIC_ERROR

Value ErrNoSuchKey(const Value& key) {
  if (key.kind() == ValueKind::kString) {
    return Value::Error(StrCat("no such key: ", key.string_view()));
  }
  return Value::Error(StrCat("no such key: ", key.DebugString()));
}

Value ErrIndexOutOfBounds(int64_t index) {
  return Value::Error(StrCat("index out of bounds: ", index));
}

// --- Formatting ------------------------------------------------------------------------------

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  // Shortest round-trip digits in scientific form: [-]d[.ddd]e[+-]XX.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  std::string_view sci(buf, res.ptr - buf);
  bool negative = sci.front() == '-';
  if (negative) sci.remove_prefix(1);
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exp = 0;
  std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exp);
  std::string out = negative ? "-" : "";
  if (exp < -4 || exp >= 6) {
    // %e with the shortest digits, exponent at least two digits.
    out.push_back(digits[0]);
    if (digits.size() > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out.push_back('e');
    out.push_back(exp < 0 ? '-' : '+');
    int ax = exp < 0 ? -exp : exp;
    if (ax < 10) out.push_back('0');
    out.append(std::to_string(ax));
    return out;
  }
  // %f with as many decimals as needed.
  int nd = static_cast<int>(digits.size());
  int dp = exp + 1;  // position of the decimal point within digits
  if (dp <= 0) {
    out.append("0.");
    out.append(static_cast<size_t>(-dp), '0');
    out.append(digits);
  } else if (dp >= nd) {
    out.append(digits);
    out.append(static_cast<size_t>(dp - nd), '0');
  } else {
    out.append(digits, 0, static_cast<size_t>(dp));
    out.push_back('.');
    out.append(digits, static_cast<size_t>(dp));
  }
  return out;
}

std::string FormatTimestamp(int64_t seconds, int32_t nanos) {
  absl::Time t = absl::FromUnixSeconds(seconds);
  std::string out = absl::FormatTime("%Y-%m-%dT%H:%M:%S", t, absl::UTCTimeZone());
  if (nanos != 0) {
    char frac[16];
    std::snprintf(frac, sizeof(frac), ".%09d", nanos);
    std::string f(frac);
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  out += "Z";
  return out;
}

std::string FormatDuration(int64_t nanos) {
  // Seconds with up to 9 fractional digits, trailing zeros trimmed.
  std::string out;
  uint64_t abs = nanos < 0 ? static_cast<uint64_t>(-(nanos + 1)) + 1 : static_cast<uint64_t>(nanos);
  if (nanos < 0) out.push_back('-');
  out += std::to_string(abs / 1000000000);
  uint64_t frac = abs % 1000000000;
  if (frac != 0) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), ".%09llu", static_cast<unsigned long long>(frac));
    std::string f(buf);
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  out += "s";
  return out;
}

}  // namespace dra::cel
