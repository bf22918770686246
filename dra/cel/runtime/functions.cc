#include "dra/cel/runtime/functions.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <list>
#include <memory>
#include <mutex>
#include <utility>

#include "absl/time/time.h"
#include "dra/base/strings.h"
#include "re2/re2.h"

namespace dra::cel {
namespace {

using Args = std::span<const Value>;
using K = ValueKind;

ArgType A(ValueKind k) { return ArgType::Of(k); }
ArgType Any() { return ArgType::Any(); }

// --- Arithmetic -------------------------------------------------------------------------------

Value AddInt(Args a) {
  int64_t r;
  if (__builtin_add_overflow(a[0].int_value(), a[1].int_value(), &r)) return ErrIntOverflow();
  return Value::Int(r);
}
Value SubInt(Args a) {
  int64_t r;
  if (__builtin_sub_overflow(a[0].int_value(), a[1].int_value(), &r)) return ErrIntOverflow();
  return Value::Int(r);
}
Value MulInt(Args a) {
  int64_t r;
  if (__builtin_mul_overflow(a[0].int_value(), a[1].int_value(), &r)) return ErrIntOverflow();
  return Value::Int(r);
}
Value DivInt(Args a) {
  int64_t x = a[0].int_value(), y = a[1].int_value();
  if (y == 0) return ErrDivisionByZero();
  if (x == std::numeric_limits<int64_t>::min() && y == -1) return ErrIntOverflow();
  return Value::Int(x / y);
}
Value ModInt(Args a) {
  int64_t x = a[0].int_value(), y = a[1].int_value();
  if (y == 0) return ErrModulusByZero();
  if (x == std::numeric_limits<int64_t>::min() && y == -1) return ErrIntOverflow();
  return Value::Int(x % y);
}
Value NegInt(Args a) {
  if (a[0].int_value() == std::numeric_limits<int64_t>::min()) return ErrIntOverflow();
  return Value::Int(-a[0].int_value());
}
Value AddUint(Args a) {
  uint64_t r;
  if (__builtin_add_overflow(a[0].uint_value(), a[1].uint_value(), &r)) return ErrUintOverflow();
  return Value::Uint(r);
}
Value SubUint(Args a) {
  uint64_t r;
  if (__builtin_sub_overflow(a[0].uint_value(), a[1].uint_value(), &r)) return ErrUintOverflow();
  return Value::Uint(r);
}
Value MulUint(Args a) {
  uint64_t r;
  if (__builtin_mul_overflow(a[0].uint_value(), a[1].uint_value(), &r)) return ErrUintOverflow();
  return Value::Uint(r);
}
Value DivUint(Args a) {
  if (a[1].uint_value() == 0) return ErrDivisionByZero();
  return Value::Uint(a[0].uint_value() / a[1].uint_value());
}
Value ModUint(Args a) {
  if (a[1].uint_value() == 0) return ErrModulusByZero();
  return Value::Uint(a[0].uint_value() % a[1].uint_value());
}
Value AddDouble(Args a) { return Value::Double(a[0].double_value() + a[1].double_value()); }
Value SubDouble(Args a) { return Value::Double(a[0].double_value() - a[1].double_value()); }
Value MulDouble(Args a) { return Value::Double(a[0].double_value() * a[1].double_value()); }
Value DivDouble(Args a) { return Value::Double(a[0].double_value() / a[1].double_value()); }
Value NegDouble(Args a) { return Value::Double(-a[0].double_value()); }

Value ConcatString(Args a) {
  std::string_view x = a[0].string_view(), y = a[1].string_view();
  if (y.empty()) return a[0];
  if (x.empty()) return a[1];
  std::string s;
  s.reserve(x.size() + y.size());
  s.append(x).append(y);
  return a[0].kind() == K::kString ? Value::String(s) : Value::Bytes(s);
}
Value ConcatList(Args a) {
  const ListValue& x = a[0].list();
  const ListValue& y = a[1].list();
  if (y.Size() == 0) return a[0];
  if (x.Size() == 0) return a[1];
  std::vector<Value> out;
  out.reserve(x.Size() + y.Size());
  for (size_t i = 0; i < x.Size(); ++i) out.push_back(x.Get(i));
  for (size_t i = 0; i < y.Size(); ++i) out.push_back(y.Get(i));
  return Value::List(MakeRef<VectorListValue>(std::move(out)));
}

// Durations and timestamps.
Value AddDurations(Args a) {
  int64_t r;
  if (__builtin_add_overflow(a[0].duration_nanos(), a[1].duration_nanos(), &r)) {
    return ErrIntOverflow();
  }
  return Value::Duration(r);
}
Value SubDurations(Args a) {
  int64_t r;
  if (__builtin_sub_overflow(a[0].duration_nanos(), a[1].duration_nanos(), &r)) {
    return ErrIntOverflow();
  }
  return Value::Duration(r);
}
Value TimestampPlus(const Value& ts, int64_t nanos) {
  int64_t secs = ts.timestamp_seconds() + nanos / 1000000000;
  int64_t ns = ts.timestamp_nanos() + nanos % 1000000000;
  return Value::Timestamp(secs, static_cast<int32_t>(ns));
}
Value AddTimestampDuration(Args a) { return TimestampPlus(a[0], a[1].duration_nanos()); }
Value AddDurationTimestamp(Args a) { return TimestampPlus(a[1], a[0].duration_nanos()); }
Value SubTimestampDuration(Args a) {
  if (a[1].duration_nanos() == std::numeric_limits<int64_t>::min()) return ErrIntOverflow();
  return TimestampPlus(a[0], -a[1].duration_nanos());
}
Value SubTimestamps(Args a) {
  int64_t secs = a[0].timestamp_seconds() - a[1].timestamp_seconds();
  int64_t ns = int64_t{a[0].timestamp_nanos()} - a[1].timestamp_nanos();
  int64_t r;
  if (__builtin_mul_overflow(secs, int64_t{1000000000}, &r) || __builtin_add_overflow(r, ns, &r)) {
    return ErrIntOverflow();
  }
  return Value::Duration(r);
}

// --- Logic and comparison ----------------------------------------------------------------------

Value Not(Args a) { return Value::Bool(!a[0].bool_value()); }
Value EqualFn(Args a) { return Equal(a[0], a[1]); }
Value NotEqualFn(Args a) {
  Value eq = Equal(a[0], a[1]);
  if (eq.IsError()) return eq;
  return Value::Bool(!eq.bool_value());
}
template <bool (*Pred)(int64_t)>
Value Ordering(Args a) {
  Value c = Compare(a[0], a[1]);
  if (c.IsError()) return c;
  return Value::Bool(Pred(c.int_value()));
}
bool IsLess(int64_t c) { return c < 0; }
bool IsLessEq(int64_t c) { return c <= 0; }
bool IsGreater(int64_t c) { return c > 0; }
bool IsGreaterEq(int64_t c) { return c >= 0; }

Value InFn(Args a) { return In(a[0], a[1]); }

// --- Strings ------------------------------------------------------------------------------------

int64_t StringCost(Args a) {
  if (a[0].kind() != K::kString && a[0].kind() != K::kBytes) return 0;
  return static_cast<int64_t>((a[0].string_view().size() + 9) / 10);
}

Value SizeString(Args a) { return Value::Int(CodePointCount(a[0].string_view())); }
Value SizeBytes(Args a) { return Value::Int(static_cast<int64_t>(a[0].string_view().size())); }
Value SizeList(Args a) { return Value::Int(static_cast<int64_t>(a[0].list().Size())); }
Value SizeMap(Args a) { return Value::Int(static_cast<int64_t>(a[0].map().Size())); }
Value Contains(Args a) {
  return Value::Bool(a[0].string_view().find(a[1].string_view()) != std::string_view::npos);
}
Value StartsWith(Args a) { return Value::Bool(a[0].string_view().starts_with(a[1].string_view())); }
Value EndsWith(Args a) { return Value::Bool(a[0].string_view().ends_with(a[1].string_view())); }

// A small per-thread cache of compiled patterns (selectors reuse a handful of patterns).
class RegexCache {
 public:
  const RE2* Get(std::string_view pattern) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first == pattern) {
        if (it != entries_.begin()) entries_.splice(entries_.begin(), entries_, it);
        return entries_.front().second.get();
      }
    }
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
    entries_.emplace_front(std::string(pattern), std::move(re));
    if (entries_.size() > kCapacity) entries_.pop_back();
    return entries_.front().second.get();
  }

 private:
  static constexpr size_t kCapacity = 32;
  std::list<std::pair<std::string, std::unique_ptr<RE2>>> entries_;
};

Value Matches(Args a) {
  thread_local RegexCache cache;
  const RE2* re = cache.Get(a[1].string_view());
  if (!re->ok()) {
    return Value::Error(StrCat("invalid regular expression: ", re->error()));
  }
  std::string_view s = a[0].string_view();
  return Value::Bool(RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *re));
}
int64_t MatchesCost(Args a) {
  double s = std::ceil((1.0 + static_cast<double>(a[0].string_view().size())) * 0.1);
  double r = std::ceil(static_cast<double>(a[1].string_view().size()) * 0.25);
  return static_cast<int64_t>(s * r);
}

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < s.size()) {
    unsigned char c = p[i];
    int n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (int k = 1; k <= n; ++k) {
      if (i + k >= s.size() || (p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

// --- Conversions -------------------------------------------------------------------------------

Value Identity(Args a) { return a[0]; }
Value TypeOf(Args a) {
  if (a[0].kind() == K::kOpaque) return Value::TypeValue(a[0].opaque().TypeName());
  return Value::TypeValue(KindName(a[0].kind()));
}

Value IntFromUint(Args a) {
  if (a[0].uint_value() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return ErrIntOverflow();
  }
  return Value::Int(static_cast<int64_t>(a[0].uint_value()));
}
Value IntFromDouble(Args a) {
  double d = a[0].double_value();
  if (std::isnan(d) || d <= -9223372036854775808.0 || d >= 9223372036854775808.0) {
    return ErrIntOverflow();
  }
  return Value::Int(static_cast<int64_t>(d));
}
Value IntFromString(Args a) {
  std::string_view s = a[0].string_view();
  int64_t v = 0;
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  if (!s.empty() && s[0] == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, v, 10);
  if (s.empty() || begin == end || ec == std::errc::invalid_argument || ptr != end ||
      (s.size() > 1 && s[0] == '+' && s[1] == '-')) {
    return Value::Error(StrCat("strconv.ParseInt: parsing \"", s, "\": invalid syntax"));
  }
  if (ec == std::errc::result_out_of_range) {
    return Value::Error(StrCat("strconv.ParseInt: parsing \"", s, "\": value out of range"));
  }
  return Value::Int(v);
}
Value IntFromTimestamp(Args a) { return Value::Int(a[0].timestamp_seconds()); }
Value IntFromDuration(Args a) { return Value::Int(a[0].duration_nanos()); }

Value UintFromInt(Args a) {
  if (a[0].int_value() < 0) return ErrUintOverflow();
  return Value::Uint(static_cast<uint64_t>(a[0].int_value()));
}
Value UintFromDouble(Args a) {
  double d = a[0].double_value();
  if (std::isnan(d) || d < 0 || d >= 18446744073709551616.0) return ErrUintOverflow();
  return Value::Uint(static_cast<uint64_t>(d));
}
Value UintFromString(Args a) {
  std::string_view s = a[0].string_view();
  uint64_t v = 0;
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  if (!s.empty() && s[0] == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, v, 10);
  if (s.empty() || begin == end || ec == std::errc::invalid_argument || ptr != end) {
    return Value::Error(StrCat("strconv.ParseUint: parsing \"", s, "\": invalid syntax"));
  }
  if (ec == std::errc::result_out_of_range) {
    return Value::Error(StrCat("strconv.ParseUint: parsing \"", s, "\": value out of range"));
  }
  return Value::Uint(v);
}

Value DoubleFromInt(Args a) { return Value::Double(static_cast<double>(a[0].int_value())); }
Value DoubleFromUint(Args a) { return Value::Double(static_cast<double>(a[0].uint_value())); }
Value DoubleFromString(Args a) {
  std::string s(a[0].string_view());
  auto bad = [&] {
    return Value::Error(StrCat("strconv.ParseFloat: parsing \"", s, "\": invalid syntax"));
  };
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return bad();
  // Go accepts "inf", "infinity", "nan" in any case, with an optional sign.
  std::string lower;
  for (char c : s) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  std::string_view body = lower;
  bool neg = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == "inf" || body == "infinity") {
    return Value::Double(neg ? -std::numeric_limits<double>::infinity()
                             : std::numeric_limits<double>::infinity());
  }
  if (body == "nan") {
    if (lower[0] == '+' || lower[0] == '-') return bad();
    return Value::Double(std::numeric_limits<double>::quiet_NaN());
  }
  if (body.find_first_not_of("0123456789.e+-_x") != std::string_view::npos &&
      !body.starts_with("0x")) {
    return bad();
  }
  char* end = nullptr;
  errno = 0;
  double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return bad();
  if (errno == ERANGE && std::isinf(d)) {
    return Value::Error(StrCat("strconv.ParseFloat: parsing \"", s, "\": value out of range"));
  }
  return Value::Double(d);
}

Value StringFromInt(Args a) { return Value::String(std::to_string(a[0].int_value())); }
Value StringFromUint(Args a) { return Value::String(std::to_string(a[0].uint_value())); }
Value StringFromDouble(Args a) { return Value::String(FormatDouble(a[0].double_value())); }
Value StringFromBool(Args a) {
  return Value::StringView(a[0].bool_value() ? std::string_view("true") : "false");
}
Value StringFromBytes(Args a) {
  if (!ValidUtf8(a[0].string_view()))
    return Value::Error("invalid UTF-8 in bytes, cannot convert to string");
  if (a[0].string_view().empty()) return Value::StringView("");
  return Value::String(a[0].string_view());
}
Value StringFromTimestamp(Args a) {
  return Value::String(FormatTimestamp(a[0].timestamp_seconds(), a[0].timestamp_nanos()));
}
Value StringFromDuration(Args a) { return Value::String(FormatDuration(a[0].duration_nanos())); }
Value BytesFromString(Args a) {
  if (a[0].string_view().empty()) return Value::BytesView("");
  return Value::Bytes(a[0].string_view());
}
Value BoolFromString(Args a) {
  std::string_view s = a[0].string_view();
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") {
    return Value::Bool(true);
  }
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False") {
    return Value::Bool(false);
  }
  return Value::Error(StrCat("strconv.ParseBool: parsing \"", s, "\": invalid syntax"));
}

// --- Timestamps and durations ----------------------------------------------------------------

Value TimestampFromString(Args a) {
  std::string s(a[0].string_view());
  absl::Time t;
  std::string err;
  // Go's time.RFC3339 layout: date, 'T', time with optional fraction, 'Z' or a numeric offset.
  bool ok = s.size() >= 20 && (s[10] == 'T' || s[10] == 't') &&
            absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*S%Ez", s, &t, &err);
  if (!ok) {
    return Value::Error(StrCat("cannot parse \"", s, "\" as a timestamp (RFC 3339)"));
  }
  return Value::Timestamp(t);
}
Value TimestampFromInt(Args a) { return Value::Timestamp(a[0].int_value(), 0); }

// Go's time.ParseDuration.
Value DurationFromString(Args a) {
  std::string_view s = a[0].string_view();
  std::string_view orig = s;
  auto bad = [&] { return Value::Error(StrCat("time: invalid duration \"", orig, "\"")); };
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return Value::Duration(0);
  if (s.empty()) return bad();
  // Accumulate in long double-free integer arithmetic: value in nanoseconds as unsigned.
  unsigned __int128 total = 0;
  while (!s.empty()) {
    unsigned __int128 whole = 0;
    size_t i = 0;
    bool digits = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      whole = whole * 10 + static_cast<unsigned>(s[i] - '0');
      if (whole > (static_cast<unsigned __int128>(1) << 64)) return bad();
      ++i;
      digits = true;
    }
    unsigned __int128 frac = 0, scale = 1;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        if (scale < static_cast<unsigned __int128>(1000000000000000000ULL)) {
          frac = frac * 10 + static_cast<unsigned>(s[i] - '0');
          scale *= 10;
        }
        ++i;
        digits = true;
      }
    }
    if (!digits) return bad();
    size_t u = i;
    while (u < s.size() && s[u] != '.' && !(s[u] >= '0' && s[u] <= '9')) ++u;
    std::string_view unit = s.substr(i, u - i);
    uint64_t mult;
    if (unit == "ns") {
      mult = 1;
    } else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") {
      mult = 1000;
    } else if (unit == "ms") {
      mult = 1000000;
    } else if (unit == "s") {
      mult = 1000000000;
    } else if (unit == "m") {
      mult = 60ULL * 1000000000;
    } else if (unit == "h") {
      mult = 3600ULL * 1000000000;
    } else {
      return bad();
    }
    total += whole * mult + frac * mult / scale;
    if (total > static_cast<unsigned __int128>(1) << 63) return bad();
    s.remove_prefix(u);
  }
  if (!neg && total > static_cast<unsigned __int128>(std::numeric_limits<int64_t>::max())) {
    return bad();
  }
  int64_t n =
      neg ? static_cast<int64_t>(-static_cast<__int128>(total)) : static_cast<int64_t>(total);
  return Value::Duration(n);
}
Value DurationFromInt(Args a) { return Value::Duration(a[0].int_value()); }

// Resolves a CEL time zone argument: an IANA name or a fixed offset "[+-]HH:MM".
bool ResolveZone(std::string_view tz, absl::TimeZone* zone) {
  if (!tz.empty() && (tz[0] == '+' || tz[0] == '-' || (tz[0] >= '0' && tz[0] <= '9'))) {
    int sign = 1;
    std::string_view rest = tz;
    if (rest[0] == '+' || rest[0] == '-') {
      sign = rest[0] == '-' ? -1 : 1;
      rest.remove_prefix(1);
    }
    size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return false;
    int h = 0, m = 0;
    auto r1 = std::from_chars(rest.data(), rest.data() + colon, h);
    auto r2 = std::from_chars(rest.data() + colon + 1, rest.data() + rest.size(), m);
    if (r1.ec != std::errc() || r2.ec != std::errc() || r1.ptr != rest.data() + colon ||
        r2.ptr != rest.data() + rest.size()) {
      return false;
    }
    *zone = absl::FixedTimeZone(sign * (h * 3600 + m * 60));
    return true;
  }
  if (tz == "UTC" || tz.empty()) {
    *zone = absl::UTCTimeZone();
    return true;
  }
  return absl::LoadTimeZone(std::string(tz), zone);
}

enum class TsPart {
  kYear,
  kMonth,
  kDayOfYear,
  kDayOfMonth,
  kDate,
  kDayOfWeek,
  kHours,
  kMinutes,
  kSeconds,
  kMillis
};

template <TsPart P>
Value TimestampGetter(Args a) {
  absl::TimeZone zone = absl::UTCTimeZone();
  if (a.size() > 1 && !ResolveZone(a[1].string_view(), &zone)) {
    return Value::Error(StrCat("unknown time zone: '", a[1].string_view(), "'"));
  }
  absl::Time t = a[0].timestamp();
  absl::TimeZone::CivilInfo ci = zone.At(t);
  const absl::CivilSecond& cs = ci.cs;
  switch (P) {
    case TsPart::kYear:
      return Value::Int(cs.year());
    case TsPart::kMonth:
      return Value::Int(cs.month() - 1);
    case TsPart::kDayOfYear:
      return Value::Int(absl::GetYearDay(absl::CivilDay(cs)) - 1);
    case TsPart::kDayOfMonth:
      return Value::Int(cs.day() - 1);
    case TsPart::kDate:
      return Value::Int(cs.day());
    case TsPart::kDayOfWeek: {
      // absl: Monday=0 ... Sunday=6; CEL: Sunday=0.
      int wd = static_cast<int>(absl::GetWeekday(absl::CivilDay(cs)));
      return Value::Int((wd + 1) % 7);
    }
    case TsPart::kHours:
      return Value::Int(cs.hour());
    case TsPart::kMinutes:
      return Value::Int(cs.minute());
    case TsPart::kSeconds:
      return Value::Int(cs.second());
    case TsPart::kMillis:
      return Value::Int(absl::ToInt64Milliseconds(ci.subsecond));
  }
  return ErrNoSuchOverload();
}

template <int64_t kUnitNanos>
Value DurationGetter(Args a) {
  return Value::Int(a[0].duration_nanos() / kUnitNanos);
}

// --- Optionals --------------------------------------------------------------------------------

Value OptionalOfFn(Args a) { return Value::OptionalOf(a[0]); }
Value OptionalNoneFn(Args) { return Value::OptionalNone(); }
Value OptionalOfNonZero(Args a) {
  if (IsZeroValue(a[0])) return Value::OptionalNone();
  return Value::OptionalOf(a[0]);
}
Value OptionalHasValue(Args a) { return Value::Bool(a[0].optional_has_value()); }
Value OptionalValueFn(Args a) {
  if (!a[0].optional_has_value()) return Value::Error("optional.none() dereference");
  return a[0].optional_value();
}
Value OptionalOr(Args a) { return a[0].optional_has_value() ? a[0] : a[1]; }
Value OptionalOrValue(Args a) { return a[0].optional_has_value() ? a[0].optional_value() : a[1]; }
Value ListFirst(Args a) {
  if (a[0].list().Size() == 0) return Value::OptionalNone();
  return Value::OptionalOf(a[0].list().Get(0));
}
Value ListLast(Args a) {
  size_t n = a[0].list().Size();
  if (n == 0) return Value::OptionalNone();
  return Value::OptionalOf(a[0].list().Get(n - 1));
}
Value OptionalUnwrap(Args a) {
  const ListValue& l = a[0].list();
  std::vector<Value> out;
  for (size_t i = 0; i < l.Size(); ++i) {
    Value e = l.Get(i);
    if (e.kind() != K::kOptional) {
      return Value::Error(
          StrCat("optional.unwrap: list element is not an optional: ", e.TypeName()));
    }
    if (e.optional_has_value()) out.push_back(e.optional_value());
  }
  return Value::List(MakeRef<VectorListValue>(std::move(out)));
}

// cel.@mapInsert(map, key, value) and cel.@mapInsert(map, map): the accumulator step of
// transformMap / transformMapEntry. A repeated key is an error.
Value MapInsertEntry(Args a) {
  const Value& key = a[1];
  if (!IsValidMapKey(key)) return Value::Error(StrCat("unsupported key type: ", key.TypeName()));
  if (a[0].map().Find(key).has_value()) {
    return Value::Error(StrCat("insert failed: key ", key.DebugString(), " already exists"));
  }
  auto m = MakeRef<VectorMapValue>();
  a[0].map().ForEach([&](const Value& k, const Value& v) {
    m->Put(k, v);
    return true;
  });
  m->Put(key, a[2]);
  return Value::Map(std::move(m));
}
Value MapInsertMap(Args a) {
  auto m = MakeRef<VectorMapValue>();
  a[0].map().ForEach([&](const Value& k, const Value& v) {
    m->Put(k, v);
    return true;
  });
  Value error;
  a[1].map().ForEach([&](const Value& k, const Value& v) {
    if (m->Find(k).has_value()) {
      error = Value::Error(StrCat("insert failed: key ", k.DebugString(), " already exists"));
      return false;
    }
    m->Put(k, v);
    return true;
  });
  if (error.IsError()) return error;
  return Value::Map(std::move(m));
}

int64_t ListSizeCost(Args a) {
  if (a.size() > 1 && a[1].kind() == K::kList) return static_cast<int64_t>(a[1].list().Size());
  return 0;
}

absl::Status RegisterAll(FunctionRegistry* r) {
  constexpr CallStyle G = CallStyle::kGlobal;
  constexpr CallStyle R = CallStyle::kReceiver;
  constexpr CallStyle B = CallStyle::kBoth;
  absl::Status s;
  auto add = [&](std::string_view name, CallStyle style, std::vector<ArgType> args,
                 FunctionImpl impl, CostFunction cost = nullptr) {
    if (s.ok()) s = r->Add(name, style, std::move(args), impl, cost);
  };
  // Arithmetic.
  add("_+_", G, {A(K::kInt), A(K::kInt)}, AddInt);
  add("_+_", G, {A(K::kUint), A(K::kUint)}, AddUint);
  add("_+_", G, {A(K::kDouble), A(K::kDouble)}, AddDouble);
  add("_+_", G, {A(K::kString), A(K::kString)}, ConcatString, StringCost);
  add("_+_", G, {A(K::kBytes), A(K::kBytes)}, ConcatString, StringCost);
  add("_+_", G, {A(K::kList), A(K::kList)}, ConcatList);
  add("_+_", G, {A(K::kDuration), A(K::kDuration)}, AddDurations);
  add("_+_", G, {A(K::kTimestamp), A(K::kDuration)}, AddTimestampDuration);
  add("_+_", G, {A(K::kDuration), A(K::kTimestamp)}, AddDurationTimestamp);
  add("_-_", G, {A(K::kInt), A(K::kInt)}, SubInt);
  add("_-_", G, {A(K::kUint), A(K::kUint)}, SubUint);
  add("_-_", G, {A(K::kDouble), A(K::kDouble)}, SubDouble);
  add("_-_", G, {A(K::kDuration), A(K::kDuration)}, SubDurations);
  add("_-_", G, {A(K::kTimestamp), A(K::kDuration)}, SubTimestampDuration);
  add("_-_", G, {A(K::kTimestamp), A(K::kTimestamp)}, SubTimestamps);
  add("_*_", G, {A(K::kInt), A(K::kInt)}, MulInt);
  add("_*_", G, {A(K::kUint), A(K::kUint)}, MulUint);
  add("_*_", G, {A(K::kDouble), A(K::kDouble)}, MulDouble);
  add("_/_", G, {A(K::kInt), A(K::kInt)}, DivInt);
  add("_/_", G, {A(K::kUint), A(K::kUint)}, DivUint);
  add("_/_", G, {A(K::kDouble), A(K::kDouble)}, DivDouble);
  add("_%_", G, {A(K::kInt), A(K::kInt)}, ModInt);
  add("_%_", G, {A(K::kUint), A(K::kUint)}, ModUint);
  add("-_", G, {A(K::kInt)}, NegInt);
  add("-_", G, {A(K::kDouble)}, NegDouble);
  // Logic and comparison.
  add("!_", G, {A(K::kBool)}, Not);
  add("_==_", G, {Any(), Any()}, EqualFn, StringCost);
  add("_!=_", G, {Any(), Any()}, NotEqualFn);
  add("_<_", G, {Any(), Any()}, Ordering<IsLess>);
  add("_<=_", G, {Any(), Any()}, Ordering<IsLessEq>);
  add("_>_", G, {Any(), Any()}, Ordering<IsGreater>);
  add("_>=_", G, {Any(), Any()}, Ordering<IsGreaterEq>);
  add("@in", G, {Any(), A(K::kList)}, InFn, ListSizeCost);
  add("@in", G, {Any(), A(K::kMap)}, InFn);
  // Size and strings.
  add("size", B, {A(K::kString)}, SizeString);
  add("size", B, {A(K::kBytes)}, SizeBytes);
  add("size", B, {A(K::kList)}, SizeList);
  add("size", B, {A(K::kMap)}, SizeMap);
  add("contains", R, {A(K::kString), A(K::kString)}, Contains, StringCost);
  add("startsWith", R, {A(K::kString), A(K::kString)}, StartsWith, StringCost);
  add("endsWith", R, {A(K::kString), A(K::kString)}, EndsWith, StringCost);
  add("matches", B, {A(K::kString), A(K::kString)}, Matches, MatchesCost);
  // Conversions.
  add("dyn", G, {Any()}, Identity);
  add("type", G, {Any()}, TypeOf);
  add("int", G, {A(K::kInt)}, Identity);
  add("int", G, {A(K::kUint)}, IntFromUint);
  add("int", G, {A(K::kDouble)}, IntFromDouble);
  add("int", G, {A(K::kString)}, IntFromString);
  add("int", G, {A(K::kTimestamp)}, IntFromTimestamp);
  add("int", G, {A(K::kDuration)}, IntFromDuration);
  add("uint", G, {A(K::kUint)}, Identity);
  add("uint", G, {A(K::kInt)}, UintFromInt);
  add("uint", G, {A(K::kDouble)}, UintFromDouble);
  add("uint", G, {A(K::kString)}, UintFromString);
  add("double", G, {A(K::kDouble)}, Identity);
  add("double", G, {A(K::kInt)}, DoubleFromInt);
  add("double", G, {A(K::kUint)}, DoubleFromUint);
  add("double", G, {A(K::kString)}, DoubleFromString);
  add("string", G, {A(K::kString)}, Identity);
  add("string", G, {A(K::kInt)}, StringFromInt);
  add("string", G, {A(K::kUint)}, StringFromUint);
  add("string", G, {A(K::kDouble)}, StringFromDouble);
  add("string", G, {A(K::kBool)}, StringFromBool);
  add("string", G, {A(K::kBytes)}, StringFromBytes);
  add("string", G, {A(K::kTimestamp)}, StringFromTimestamp);
  add("string", G, {A(K::kDuration)}, StringFromDuration);
  add("bytes", G, {A(K::kBytes)}, Identity);
  add("bytes", G, {A(K::kString)}, BytesFromString);
  add("bool", G, {A(K::kBool)}, Identity);
  add("bool", G, {A(K::kString)}, BoolFromString);
  add("timestamp", G, {A(K::kTimestamp)}, Identity);
  add("timestamp", G, {A(K::kString)}, TimestampFromString);
  add("timestamp", G, {A(K::kInt)}, TimestampFromInt);
  add("duration", G, {A(K::kDuration)}, Identity);
  add("duration", G, {A(K::kString)}, DurationFromString);
  add("duration", G, {A(K::kInt)}, DurationFromInt);
  // Timestamp accessors, with and without a time zone.
  struct TsGetter {
    const char* name;
    FunctionImpl impl;
  };
  const TsGetter ts_getters[] = {
      {"getFullYear", TimestampGetter<TsPart::kYear>},
      {"getMonth", TimestampGetter<TsPart::kMonth>},
      {"getDayOfYear", TimestampGetter<TsPart::kDayOfYear>},
      {"getDayOfMonth", TimestampGetter<TsPart::kDayOfMonth>},
      {"getDate", TimestampGetter<TsPart::kDate>},
      {"getDayOfWeek", TimestampGetter<TsPart::kDayOfWeek>},
      {"getHours", TimestampGetter<TsPart::kHours>},
      {"getMinutes", TimestampGetter<TsPart::kMinutes>},
      {"getSeconds", TimestampGetter<TsPart::kSeconds>},
      {"getMilliseconds", TimestampGetter<TsPart::kMillis>},
  };
  for (const TsGetter& g : ts_getters) {
    add(g.name, R, {A(K::kTimestamp)}, g.impl);
    add(g.name, R, {A(K::kTimestamp), A(K::kString)}, g.impl);
  }
  add("getHours", R, {A(K::kDuration)}, DurationGetter<3600LL * 1000000000>);
  add("getMinutes", R, {A(K::kDuration)}, DurationGetter<60LL * 1000000000>);
  add("getSeconds", R, {A(K::kDuration)}, DurationGetter<1000000000>);
  add("getMilliseconds", R, {A(K::kDuration)}, DurationGetter<1000000>);
  // Optional library.
  add("optional.of", G, {Any()}, OptionalOfFn);
  add("optional.none", G, {}, OptionalNoneFn);
  add("optional.ofNonZeroValue", G, {Any()}, OptionalOfNonZero);
  add("hasValue", R, {A(K::kOptional)}, OptionalHasValue);
  add("value", R, {A(K::kOptional)}, OptionalValueFn);
  add("or", R, {A(K::kOptional), A(K::kOptional)}, OptionalOr);
  add("orValue", R, {A(K::kOptional), Any()}, OptionalOrValue);
  add("first", R, {A(K::kList)}, ListFirst);
  add("last", R, {A(K::kList)}, ListLast);
  add("optional.unwrap", G, {A(K::kList)}, OptionalUnwrap);
  add("unwrapOpt", R, {A(K::kList)}, OptionalUnwrap);
  // Internal helpers of macro expansions.
  add("cel.@mapInsert", G, {A(K::kMap), Any(), Any()}, MapInsertEntry);
  add("cel.@mapInsert", G, {A(K::kMap), A(K::kMap)}, MapInsertMap);
  return s;
}

}  // namespace

absl::Status FunctionRegistry::Add(Overload overload) {
  if (overload.name.empty() || overload.impl == nullptr) {
    return absl::InvalidArgumentError("overload needs a name and an implementation");
  }
  if (overload.style != CallStyle::kGlobal && overload.args.empty()) {
    return absl::InvalidArgumentError(
        StrCat("receiver-style overload of ", overload.name, " has no receiver"));
  }
  overloads_.push_back(std::move(overload));
  const Overload* o = &overloads_.back();
  by_name_[o->name].push_back(o);
  return absl::OkStatus();
}

absl::Status FunctionRegistry::Add(std::string_view name, CallStyle style,
                                   std::vector<ArgType> args, FunctionImpl impl,
                                   CostFunction cost) {
  Overload o;
  o.name = std::string(name);
  o.style = style;
  o.args = std::move(args);
  o.impl = impl;
  o.cost = cost;
  return Add(std::move(o));
}

std::vector<const Overload*> FunctionRegistry::Find(std::string_view name, bool receiver_style,
                                                    size_t arity) const {
  std::vector<const Overload*> out;
  auto it = by_name_.find(std::string(name));
  if (it == by_name_.end()) return out;
  for (const Overload* o : it->second) {
    if (o->args.size() != arity) continue;
    bool style_ok =
        o->style == CallStyle::kBoth ||
        (receiver_style ? o->style == CallStyle::kReceiver : o->style == CallStyle::kGlobal);
    if (style_ok) out.push_back(o);
  }
  return out;
}

bool FunctionRegistry::HasFunction(std::string_view name) const {
  return by_name_.find(std::string(name)) != by_name_.end();
}

const FunctionRegistry& FunctionRegistry::Standard() {
  static const FunctionRegistry* const kRegistry = [] {
    auto* r = new FunctionRegistry();
    absl::Status s = RegisterStandardFunctions(r);
    if (!s.ok()) std::abort();
    return r;
  }();
  return *kRegistry;
}

absl::Status RegisterStandardFunctions(FunctionRegistry* registry) { return RegisterAll(registry); }

Value NoMatchingOverload(std::string_view name, std::span<const Value> args) {
  std::string sig;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) sig += ", ";
    sig.append(args[i].TypeName());
  }
  return Value::Error(StrCat("no such overload: ", name, "(", sig, ")"));
}

int64_t CodePointCount(std::string_view s) {
  int64_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

Value In(const Value& element, const Value& container) {
  if (element.IsError()) return element;
  if (container.kind() == K::kList) {
    const ListValue& l = container.list();
    Value first_error;
    bool has_error = false;
    for (size_t i = 0; i < l.Size(); ++i) {
      Value eq = Equal(element, l.Get(i));  // element first, as cel-go's Contains does
      if (eq.IsTrue()) return eq;
      if (eq.IsError() && !has_error) {
        has_error = true;
        first_error = std::move(eq);
      }
    }
    return has_error ? first_error : Value::Bool(false);
  }
  if (container.kind() == K::kMap) return Value::Bool(container.map().Contains(element));
  if (container.IsError()) return container;
  return ErrNoSuchOverload();
}

bool IsZeroValue(const Value& v) {
  switch (v.kind()) {
    case K::kNull:
      return true;
    case K::kBool:
      return !v.bool_value();
    case K::kInt:
      return v.int_value() == 0;
    case K::kUint:
      return v.uint_value() == 0;
    case K::kDouble:
      return v.double_value() == 0;
    case K::kString:
    case K::kBytes:
      return v.string_view().empty();
    case K::kList:
      return v.list().Size() == 0;
    case K::kMap:
      return v.map().Size() == 0;
    case K::kDuration:
      return v.duration_nanos() == 0;
    case K::kTimestamp:
      return v.timestamp_seconds() == 0 && v.timestamp_nanos() == 0;
    case K::kOptional:
      return !v.optional_has_value();
    default:
      return false;
  }
}

}  // namespace dra::cel
