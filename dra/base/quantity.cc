#include "dra/base/quantity.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace dra {
namespace {

constexpr int64_t kMostNegative = std::numeric_limits<int64_t>::min();
constexpr std::string_view kMostPositiveDigits = "9223372036854775807";

// Upper bound on the digits of the decimal form (see quantity.h).
constexpr int64_t kMaxDigits = int64_t{1} << 20;
// Above this many integer digits, BinarySI formatting falls back to DecimalSI rather than
// dividing out powers of 1024 digit by digit (upstream would be just as slow or run out of memory).
constexpr int64_t kMaxBinaryFormatDigits = 4096;

constexpr std::string_view kSplitRegexp = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

absl::Status FormatWrongError() {
  return absl::InvalidArgumentError(
      absl::StrCat("quantities must match the regular expression '",
                   absl::string_view(kSplitRegexp.data(), kSplitRegexp.size()), "'"));
}
absl::Status NumericError() {
  return absl::InvalidArgumentError("unable to parse numeric part of quantity");
}
absl::Status SuffixError() {
  return absl::InvalidArgumentError("unable to parse quantity's suffix");
}
absl::Status TooLargeError() {
  return absl::InvalidArgumentError(
      absl::StrCat("quantity too large: it would need more than ", kMaxDigits, " decimal digits"));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Two's-complement wrapping arithmetic, as Go's int64 operators behave.
int64_t WrapMul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
}
int64_t WrapNeg(int64_t a) { return static_cast<int64_t>(0 - static_cast<uint64_t>(a)); }
int32_t WrapInt32(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); }

int64_t Pow10Int64(int64_t n) {
  int64_t r = 1;
  for (int64_t i = 0; i < n; ++i) r *= 10;
  return r;
}

struct Checked {
  int64_t value;
  bool ok;
};

// int64Multiply: a*b or !ok on overflow.
Checked Int64Multiply(int64_t a, int64_t b) {
  if (a == 0 || b == 0 || a == 1 || b == 1) return {WrapMul(a, b), true};
  if (a == kMostNegative || b == kMostNegative) return {0, false};
  const int64_t c = WrapMul(a, b);
  return {c, c / b == a};
}

// int64MultiplyScale*: a*b for b > 1. On overflow the wrapped product comes back with !ok (callers
// of positiveScaleInt64 upstream use that value).
Checked Int64MultiplyScale(int64_t a, int64_t b) {
  if (a == 0 || a == 1) return {a * b, true};
  if (a == kMostNegative) return {0, false};
  const int64_t c = WrapMul(a, b);
  return {c, c / b == a};
}

// positiveScaleInt64: base * 10^scale.
Checked PositiveScaleInt64(int64_t base, int64_t scale) {
  switch (scale) {
    case 0:
      return {base, true};
    case 1:
      return Int64MultiplyScale(base, 10);
    case 2:
      return Int64MultiplyScale(base, 100);
    case 3:
      return Int64MultiplyScale(base, 1000);
    case 6:
      return Int64MultiplyScale(base, 1000000);
    case 9:
      return Int64MultiplyScale(base, 1000000000);
    default: {
      if (base == 0) return {0, true};
      int64_t value = base;
      for (int64_t i = 0; i < scale; ++i) {
        const Checked c = Int64MultiplyScale(value, 10);
        if (!c.ok) return {0, false};
        value = c.value;
      }
      return {value, true};
    }
  }
}

// negativeScaleInt64: base / 10^scale rounded away from zero; ok when exact.
Checked NegativeScaleInt64(int64_t base, int64_t scale) {
  if (scale == 0) return {base, true};
  int64_t value = base;
  bool fraction = false;
  for (int64_t i = 0; i < scale; ++i) {
    if (!fraction && value % 10 != 0) fraction = true;
    value /= 10;
    if (value == 0) {
      if (fraction) return {base > 0 ? 1 : -1, false};
      return {0, true};
    }
  }
  if (fraction) {
    if (base > 0) {
      ++value;
    } else {
      --value;
    }
  }
  return {value, !fraction};
}

// ---- Unsigned decimal digit strings: no leading zeros, "0" for zero. ----

bool MagIsZero(const std::string& d) { return d.size() == 1 && d[0] == '0'; }

void StripLeadingZeros(std::string& d) {
  size_t i = 0;
  while (i + 1 < d.size() && d[i] == '0') ++i;
  if (i > 0) d.erase(0, i);
  if (d.empty()) d.push_back('0');
}

std::string MagFromUint64(uint64_t v) { return std::to_string(v); }

uint64_t AbsUint64(int64_t v) {
  return v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
}

// Compares a*10^ea with b*10^eb.
int MagCompare(const std::string& a, int64_t ea, const std::string& b, int64_t eb) {
  const bool za = MagIsZero(a);
  const bool zb = MagIsZero(b);
  if (za || zb) return za && zb ? 0 : (za ? -1 : 1);
  const int64_t top_a = static_cast<int64_t>(a.size()) + ea;
  const int64_t top_b = static_cast<int64_t>(b.size()) + eb;
  if (top_a != top_b) return top_a < top_b ? -1 : 1;
  const size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const char ca = i < a.size() ? a[i] : '0';
    const char cb = i < b.size() ? b[i] : '0';
    if (ca != cb) return ca < cb ? -1 : 1;
  }
  return 0;
}

// d + 1.
void MagIncrement(std::string& d) {
  size_t i = d.size();
  while (i > 0) {
    --i;
    if (d[i] == '9') {
      d[i] = '0';
    } else {
      ++d[i];
      return;
    }
  }
  d.insert(d.begin(), '1');
}

// d * m for m < 2^32.
void MagMulSmall(std::string& d, uint64_t m) {
  if (MagIsZero(d)) return;
  uint64_t carry = 0;
  for (size_t i = d.size(); i > 0; --i) {
    const uint64_t t = static_cast<uint64_t>(d[i - 1] - '0') * m + carry;
    d[i - 1] = static_cast<char>('0' + t % 10);
    carry = t / 10;
  }
  std::string prefix;
  while (carry > 0) {
    prefix.push_back(static_cast<char>('0' + carry % 10));
    carry /= 10;
  }
  d.insert(0, std::string(prefix.rbegin(), prefix.rend()));
}

// d / m for 0 < m <= 2^30; returns the remainder.
uint64_t MagDivSmall(std::string& d, uint64_t m) {
  uint64_t rem = 0;
  for (char& c : d) {
    const uint64_t t = rem * 10 + static_cast<uint64_t>(c - '0');
    c = static_cast<char>('0' + t / m);
    rem = t % m;
  }
  StripLeadingZeros(d);
  return rem;
}

// d mod 2^bits, bits <= 32, looking only at the last `bits` digits (10^bits is a multiple of
// 2^bits).
uint64_t MagModPow2(const std::string& d, int bits) {
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  const size_t start = d.size() > static_cast<size_t>(bits) ? d.size() - bits : 0;
  uint64_t r = 0;
  for (size_t i = start; i < d.size(); ++i) r = (r * 10 + static_cast<uint64_t>(d[i] - '0')) & mask;
  return r;
}

// (d * 10^zeros) mod 2^64.
uint64_t MagLow64(std::string_view d, int64_t zeros) {
  uint64_t r = 0;
  for (char c : d) r = r * 10 + static_cast<uint64_t>(c - '0');
  uint64_t base = 10;
  uint64_t p = 1;
  for (uint64_t e = static_cast<uint64_t>(zeros); e > 0; e >>= 1) {
    if (e & 1) p *= base;
    base *= base;
  }
  return r * p;
}

// a + b, both aligned to the same exponent, any lengths.
std::string MagAddAligned(const std::string& a, const std::string& b) {
  std::string r;
  r.resize(std::max(a.size(), b.size()) + 1);
  int carry = 0;
  size_t ia = a.size();
  size_t ib = b.size();
  size_t ir = r.size();
  while (ir > 0) {
    int s = carry;
    if (ia > 0) s += a[--ia] - '0';
    if (ib > 0) s += b[--ib] - '0';
    r[--ir] = static_cast<char>('0' + s % 10);
    carry = s / 10;
  }
  StripLeadingZeros(r);
  return r;
}

// a - b for a >= b, both aligned to the same exponent.
std::string MagSubAligned(const std::string& a, const std::string& b) {
  std::string r = a;
  int borrow = 0;
  size_t ib = b.size();
  for (size_t i = r.size(); i > 0; --i) {
    int s = (r[i - 1] - '0') - borrow;
    if (ib > 0) s -= b[--ib] - '0';
    borrow = s < 0 ? 1 : 0;
    if (s < 0) s += 10;
    r[i - 1] = static_cast<char>('0' + s);
  }
  StripLeadingZeros(r);
  return r;
}

// A signed decimal: (neg ? -1 : 1) * digits * 10^exp.
struct Dec {
  bool neg = false;
  std::string digits = "0";
  int64_t exp = 0;

  bool IsZero() const { return MagIsZero(digits); }
  int64_t Top() const { return static_cast<int64_t>(digits.size()) + exp; }
};

int DecCompare(const Dec& a, const Dec& b) {
  const int sa = a.IsZero() ? 0 : (a.neg ? -1 : 1);
  const int sb = b.IsZero() ? 0 : (b.neg ? -1 : 1);
  if (sa != sb) return sa < sb ? -1 : 1;
  if (sa == 0) return 0;
  const int m = MagCompare(a.digits, a.exp, b.digits, b.exp);
  return sa > 0 ? m : -m;
}

// Digits of `d` rewritten at exponent `e`: zeros appended when e < d.exp, low digits dropped
// (truncated) when e > d.exp.
std::string DigitsAt(const Dec& d, int64_t e) {
  if (d.IsZero()) return d.digits;
  if (e <= d.exp) return d.digits + std::string(static_cast<size_t>(d.exp - e), '0');
  const int64_t drop = e - d.exp;
  if (drop >= static_cast<int64_t>(d.digits.size())) return "0";
  std::string r = d.digits.substr(0, d.digits.size() - static_cast<size_t>(drop));
  StripLeadingZeros(r);
  return r;
}

// Exact a + b at the smaller exponent (inf.Dec.Add); beyond kMaxDigits the low digits go.
Dec DecAdd(const Dec& a, const Dec& b) {
  int64_t e = std::min(a.exp, b.exp);
  const int64_t top = std::max(a.Top(), b.Top());
  const bool capped = top - e > kMaxDigits;
  if (capped) e = top - kMaxDigits;
  const std::string da = DigitsAt(a, e);
  const std::string db = DigitsAt(b, e);
  Dec r;
  r.exp = e;
  if (a.neg == b.neg) {
    r.digits = MagAddAligned(da, db);
    r.neg = a.neg;
  } else {
    const int c = MagCompare(da, 0, db, 0);
    if (c >= 0) {
      r.digits = MagSubAligned(da, db);
      r.neg = a.neg;
    } else {
      r.digits = MagSubAligned(db, da);
      r.neg = b.neg;
    }
  }
  if (r.IsZero()) r.neg = false;
  if (capped && !r.IsZero()) {
    // Precision was dropped anyway; keep the representation compact.
    size_t zeros = 0;
    while (r.digits[r.digits.size() - 1 - zeros] == '0') ++zeros;
    r.digits.resize(r.digits.size() - zeros);
    r.exp += static_cast<int64_t>(zeros);
  }
  return r;
}

Dec DecFromInt(int64_t value, int64_t scale) {
  Dec d;
  d.neg = value < 0;
  d.digits = MagFromUint64(AbsUint64(value));
  d.exp = scale;
  return d;
}

// Go's math.Pow10, table for table, so that products round as upstream's do.
double GoPow10(int64_t n) {
  static constexpr double kTab[] = {1e00, 1e01, 1e02, 1e03, 1e04, 1e05, 1e06, 1e07,
                                    1e08, 1e09, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23,
                                    1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31};
  static constexpr double kPosTab32[] = {1e00,  1e32,  1e64,  1e96,  1e128,
                                         1e160, 1e192, 1e224, 1e256, 1e288};
  static constexpr double kNegTab32[] = {1e-00,  1e-32,  1e-64,  1e-96,  1e-128, 1e-160,
                                         1e-192, 1e-224, 1e-256, 1e-288, 1e-320};
  if (0 <= n && n <= 308) return kPosTab32[n / 32] * kTab[n % 32];
  if (-323 <= n && n <= 0) return kNegTab32[-n / 32] / kTab[-n % 32];
  if (n > 0) return std::numeric_limits<double>::infinity();
  return 0;
}

// Correctly rounded conversion of an integer digit string (as big.Float.Float64()).
double MagToDouble(const std::string& d) {
  // Any integer of more than 309 digits exceeds the largest double.
  if (d.size() > 320) return std::numeric_limits<double>::infinity();
  return std::strtod(d.c_str(), nullptr);
}

// The SI suffix for 10^exponent; none (so upstream prints the bare mantissa) off the table.
std::string_view DecimalSuffix(int64_t exponent) {
  switch (exponent) {
    case -9:
      return "n";
    case -6:
      return "u";
    case -3:
      return "m";
    case 0:
      return "";
    case 3:
      return "k";
    case 6:
      return "M";
    case 9:
      return "G";
    case 12:
      return "T";
    case 15:
      return "P";
    case 18:
      return "E";
    default:
      return "";
  }
}

std::string_view BinarySuffix(int64_t exponent) {
  switch (exponent) {
    case 10:
      return "Ki";
    case 20:
      return "Mi";
    case 30:
      return "Gi";
    case 40:
      return "Ti";
    case 50:
      return "Pi";
    case 60:
      return "Ei";
    default:
      return "";  // Upstream constructs no suffix here (and so prints just the mantissa).
  }
}

// Result of scanning the text as upstream's parseQuantityString does.
struct Scanned {
  bool positive = true;
  std::string_view value;
  std::string_view num;
  std::string_view denom;
  std::string_view suffix;
};

bool IsSuffixChar(char c) {
  switch (c) {
    case 'e':
    case 'E':
    case 'i':
    case 'n':
    case 'u':
    case 'm':
    case 'k':
    case 'K':
    case 'M':
    case 'G':
    case 'T':
    case 'P':
      return true;
    default:
      return false;
  }
}

absl::StatusOr<Scanned> ScanQuantity(std::string_view s) {
  Scanned r;
  size_t pos = 0;
  const size_t end = s.size();
  if (pos < end) {
    if (s[0] == '-') {
      r.positive = false;
      ++pos;
    } else if (s[0] == '+') {
      ++pos;
    }
  }
  // Leading zeros.
  for (size_t i = pos;; ++i) {
    if (i >= end) {
      r.num = "0";
      r.value = r.num;
      return r;
    }
    if (s[i] != '0') break;
    ++pos;
  }
  // Integer digits.
  for (size_t i = pos;; ++i) {
    if (i >= end) {
      r.num = s.substr(pos);
      r.value = s;
      return r;
    }
    if (!IsDigit(s[i])) {
      r.num = s.substr(pos, i - pos);
      pos = i;
      break;
    }
  }
  if (r.num.empty()) r.num = "0";
  // Fraction digits.
  if (pos < end && s[pos] == '.') {
    ++pos;
    for (size_t i = pos;; ++i) {
      if (i >= end) {
        r.denom = s.substr(pos);
        r.value = s;
        return r;
      }
      if (!IsDigit(s[i])) {
        r.denom = s.substr(pos, i - pos);
        pos = i;
        break;
      }
    }
  }
  r.value = s.substr(0, pos);
  // Suffix: letters, then an optional sign and digits.
  const size_t suffix_start = pos;
  for (size_t i = pos;; ++i) {
    if (i >= end) {
      r.suffix = s.substr(suffix_start);
      return r;
    }
    if (!IsSuffixChar(s[i])) {
      pos = i;
      break;
    }
  }
  if (pos < end && (s[pos] == '-' || s[pos] == '+')) ++pos;
  for (size_t i = pos;; ++i) {
    if (i >= end) {
      r.suffix = s.substr(suffix_start);
      return r;
    }
    if (!IsDigit(s[i])) break;
  }
  return FormatWrongError();
}

// strconv.ParseInt(s, 10, 64).
bool ParseGoInt64(std::string_view s, int64_t* out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  const uint64_t limit = neg ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  uint64_t v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return false;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (limit - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = neg ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  return true;
}

struct SuffixInfo {
  int base = 10;
  int32_t exponent = 0;
  Quantity::Format format = Quantity::Format::kDecimalSI;
};

bool InterpretSuffix(std::string_view s, SuffixInfo* info) {
  using Format = Quantity::Format;
  struct Entry {
    std::string_view suffix;
    int base;
    int32_t exponent;
    Format format;
  };
  static constexpr Entry kTable[] = {
      {"", 10, 0, Format::kDecimalSI},   {"n", 10, -9, Format::kDecimalSI},
      {"u", 10, -6, Format::kDecimalSI}, {"m", 10, -3, Format::kDecimalSI},
      {"k", 10, 3, Format::kDecimalSI},  {"M", 10, 6, Format::kDecimalSI},
      {"G", 10, 9, Format::kDecimalSI},  {"T", 10, 12, Format::kDecimalSI},
      {"P", 10, 15, Format::kDecimalSI}, {"E", 10, 18, Format::kDecimalSI},
      {"Ki", 2, 10, Format::kBinarySI},  {"Mi", 2, 20, Format::kBinarySI},
      {"Gi", 2, 30, Format::kBinarySI},  {"Ti", 2, 40, Format::kBinarySI},
      {"Pi", 2, 50, Format::kBinarySI},  {"Ei", 2, 60, Format::kBinarySI},
  };
  for (const Entry& e : kTable) {
    if (e.suffix == s) {
      *info = {e.base, e.exponent, e.format};
      return true;
    }
  }
  if (s.size() > 1 && (s[0] == 'e' || s[0] == 'E')) {
    int64_t parsed = 0;
    if (!ParseGoInt64(s.substr(1), &parsed)) return false;
    // Upstream converts with int32(parsed), which wraps.
    *info = {10, WrapInt32(parsed), Format::kDecimalExponent};
    return true;
  }
  return false;
}

}  // namespace

struct QuantityInternal {
  static Dec ToDec(const Quantity& q) {
    if (!q.is_decimal_) return DecFromInt(q.int_value_, q.int_scale_);
    Dec d;
    d.neg = q.negative_;
    d.digits = q.digits_;
    d.exp = q.exponent_;
    return d;
  }

  static void SetDec(Quantity& q, Dec d) {
    q.is_decimal_ = true;
    q.int_value_ = 0;
    q.int_scale_ = 0;
    q.negative_ = d.IsZero() ? false : d.neg;
    q.digits_ = std::move(d.digits);
    q.exponent_ = d.exp;
  }

  // int64Amount.Add: false (and `q` unchanged) on overflow.
  static bool IntAdd(Quantity& q, int64_t b_value, int32_t b_scale) {
    if (b_value == 0) return true;
    if (q.int_value_ == 0) {
      q.int_value_ = b_value;
      q.int_scale_ = b_scale;
      return true;
    }
    int64_t sum = 0;
    if (q.int_scale_ == b_scale) {
      if (__builtin_add_overflow(q.int_value_, b_value, &sum)) return false;
      q.int_value_ = sum;
    } else if (q.int_scale_ > b_scale) {
      const Checked c =
          PositiveScaleInt64(q.int_value_, WrapInt32(int64_t{q.int_scale_} - b_scale));
      if (!c.ok || __builtin_add_overflow(c.value, b_value, &sum)) return false;
      q.int_scale_ = b_scale;
      q.int_value_ = sum;
    } else {
      const Checked c = PositiveScaleInt64(b_value, WrapInt32(int64_t{b_scale} - q.int_scale_));
      if (!c.ok || __builtin_add_overflow(q.int_value_, c.value, &sum)) return false;
      q.int_value_ = sum;
    }
    return true;
  }

  static std::string DecimalCanonical(Dec d, Quantity::Format format, bool int_form) {
    // Move factors of ten into the exponent, then lower the exponent to a multiple of three.
    // The exponent is an int32 upstream, and wraps.
    size_t zeros = 0;
    while (zeros + 1 < d.digits.size() && d.digits[d.digits.size() - 1 - zeros] == '0') ++zeros;
    d.digits.resize(d.digits.size() - zeros);
    int32_t exp = WrapInt32(WrapInt32(d.exp) + static_cast<int64_t>(zeros));
    // The int64 path adjusts once (by 1 or 2) when the mantissa still fits; the decimal path
    // loops. They differ only when the exponent wraps.
    const int step = exp % 3 == 1 || exp % 3 == -2 ? 1 : (exp % 3 == 0 ? 0 : 2);
    if (int_form && step > 0 &&
        MagCompare(d.digits, step, std::string(kMostPositiveDigits), 0) <= 0) {
      d.digits.append(static_cast<size_t>(step), '0');
      exp = WrapInt32(int64_t{exp} - step);
    } else {
      while (exp % 3 != 0) {
        d.digits.push_back('0');
        exp = WrapInt32(int64_t{exp} - 1);
      }
    }
    d.exp = exp;
    std::string out = d.neg ? "-" : "";
    out += d.digits;
    if (format == Quantity::Format::kDecimalExponent) {
      if (d.exp != 0) absl::StrAppend(&out, "e", d.exp);
    } else {
      out += DecimalSuffix(d.exp);
    }
    return out;
  }

  // `d` is a whole number; formats it as mantissa * 1024^k.
  static std::string BinaryCanonical(const Dec& d) {
    std::string n = DigitsAt(d, 0);
    int64_t k = 0;
    while (!MagIsZero(n)) {
      if (n.size() > 9 && MagModPow2(n, 30) == 0) {
        MagDivSmall(n, uint64_t{1} << 30);
        k += 3;
      } else if (MagModPow2(n, 10) == 0) {
        MagDivSmall(n, 1024);
        k += 1;
      } else {
        break;
      }
    }
    std::string out = d.neg ? "-" : "";
    out += n;
    out += BinarySuffix(k * 10);
    return out;
  }
};

Quantity::Quantity() = default;

absl::StatusOr<Quantity> Quantity::Parse(std::string_view str) {
  if (str.empty()) return FormatWrongError();
  if (str == "0") {
    Quantity q;
    q.cached_.assign(1, '0');
    return q;
  }
  absl::StatusOr<Scanned> scanned = ScanQuantity(str);
  if (!scanned.ok()) return scanned.status();
  const Scanned& s = *scanned;
  SuffixInfo sfx;
  if (!InterpretSuffix(s.suffix, &sfx)) return SuffixError();
  Format format = sfx.format;

  // Fast path: the value fits an int64 amount.
  int64_t precision = 0;
  int32_t scale = 0;
  int64_t mantissa = 1;
  switch (format) {
    case Format::kDecimalExponent:
    case Format::kDecimalSI:
      scale = sfx.exponent;
      precision = 18 - static_cast<int64_t>(s.num.size() + s.denom.size());
      break;
    case Format::kBinarySI:
      scale = 0;
      if (sfx.exponent >= 0 && s.denom.empty()) {
        mantissa = int64_t{1} << sfx.exponent;
        // Upstream estimates the decimal digits of 2^exponent in float32 arithmetic.
        const auto digits = static_cast<int32_t>(static_cast<float>(sfx.exponent) * 3.0f / 10.0f);
        precision = 15 - static_cast<int64_t>(s.num.size()) - digits - 1;
      } else {
        precision = -1;
      }
      break;
  }
  if (precision >= 0) {
    scale = WrapInt32(int64_t{scale} - static_cast<int64_t>(s.denom.size()));
    if (scale >= -9) {
      const std::string shifted = std::string(s.num) + std::string(s.denom);
      int64_t value = 0;
      if (!ParseGoInt64(shifted, &value)) return NumericError();
      const Checked product = Int64Multiply(value, mantissa);
      if (product.ok) {
        Quantity q;
        q.int_value_ = s.positive ? product.value : -product.value;
        q.int_scale_ = scale;
        q.format_ = format;
        // Upstream reuses the input as the string form when it looks canonical.
        bool reuse = false;
        if (format == Format::kBinarySI) {
          reuse = sfx.exponent % 10 == 0 && (value & 0x07) != 0;
        } else {
          reuse = scale % 3 == 0 &&
                  !(shifted.size() >= 3 && shifted.compare(shifted.size() - 3, 3, "000") == 0) &&
                  shifted[0] != '0';
        }
        if (reuse) q.cached_ = std::string(str);
        return q;
      }
    }
  }

  // Arbitrary precision path (inf.Dec.SetString of the numeric part).
  Dec amount;
  {
    std::string_view v = s.value;
    if (!v.empty() && (v[0] == '+' || v[0] == '-')) {
      amount.neg = v[0] == '-';
      v.remove_prefix(1);
    }
    std::string digits;
    int64_t fraction_digits = 0;
    bool seen_point = false;
    for (char c : v) {
      if (c == '.') {
        seen_point = true;
        continue;
      }
      digits.push_back(c);
      if (seen_point) ++fraction_digits;
    }
    if (digits.empty()) return NumericError();
    StripLeadingZeros(digits);
    amount.digits = std::move(digits);
    // inf.Dec keeps a "scale" (negated exponent) in an int32; mirror its wrapping.
    int32_t inf_scale = WrapInt32(fraction_digits);
    if (sfx.base == 10) {
      inf_scale = WrapInt32(int64_t{inf_scale} + WrapInt32(-int64_t{sfx.exponent}));
    } else {
      // Multiply by 2^exponent (exponent <= 60) in steps that keep the carries in 64 bits.
      for (int32_t left = sfx.exponent; left > 0; left -= 30) {
        MagMulSmall(amount.digits, uint64_t{1} << std::min<int32_t>(left, 30));
      }
    }
    amount.exp = -int64_t{inf_scale};
  }
  if (amount.IsZero()) amount.neg = false;
  const bool negative = amount.neg;
  amount.neg = false;

  // Round non-zero values up to the next 1n (inf.RoundUp at scale 9).
  if (!amount.IsZero()) {
    if (amount.exp >= -9) {
      const int64_t pad = amount.exp + 9;
      if (static_cast<int64_t>(amount.digits.size()) + pad > kMaxDigits) return TooLargeError();
      amount.digits.append(static_cast<size_t>(pad), '0');
    } else {
      const int64_t drop = -9 - amount.exp;
      bool dropped_nonzero = false;
      if (drop >= static_cast<int64_t>(amount.digits.size())) {
        amount.digits.assign(1, '0');
        dropped_nonzero = true;
      } else {
        const size_t keep = amount.digits.size() - static_cast<size_t>(drop);
        for (size_t i = keep; i < amount.digits.size(); ++i) {
          if (amount.digits[i] != '0') dropped_nonzero = true;
        }
        amount.digits.resize(keep);
        StripLeadingZeros(amount.digits);
      }
      if (dropped_nonzero) MagIncrement(amount.digits);
      StripLeadingZeros(amount.digits);
    }
    amount.exp = -9;
  }
  if (static_cast<int64_t>(amount.digits.size()) > kMaxDigits) return TooLargeError();

  if (format == Format::kBinarySI) {
    // Cap at the largest int64.
    if (MagCompare(amount.digits, amount.exp, std::string(kMostPositiveDigits), 0) > 0) {
      amount.digits = std::string(kMostPositiveDigits);
      amount.exp = 0;
    }
    // 0 < amount < 1 is shown in DecimalSI.
    if (!amount.IsZero() && amount.Top() <= 0) format = Format::kDecimalSI;
  }
  amount.neg = negative;

  Quantity q;
  q.format_ = format;
  QuantityInternal::SetDec(q, std::move(amount));
  return q;
}

Quantity Quantity::FromInt64(int64_t value, Format format) { return FromScaled(value, 0, format); }

Quantity Quantity::FromScaled(int64_t value, int32_t scale, Format format) {
  Quantity q;
  q.int_value_ = value;
  q.int_scale_ = scale;
  q.format_ = format;
  return q;
}

std::string Quantity::ToString() const {
  if (!cached_.empty()) return cached_;
  if (IsZero()) return "0";
  const Dec d = QuantityInternal::ToDec(*this);
  Format format = format_;
  if (format == Format::kBinarySI) {
    const Dec lo = DecFromInt(-1024, 0);
    const Dec hi = DecFromInt(1024, 0);
    if (DecCompare(d, lo) > 0 && DecCompare(d, hi) < 0) {
      format = Format::kDecimalSI;
    } else {
      // Only whole numbers are shown with binary suffixes.
      bool whole = true;
      if (d.exp < 0) {
        const int64_t frac = -d.exp;
        const size_t n = d.digits.size();
        for (size_t i = frac >= static_cast<int64_t>(n) ? 0 : n - static_cast<size_t>(frac); i < n;
             ++i) {
          if (d.digits[i] != '0') whole = false;
        }
      }
      if (!whole || d.Top() > kMaxBinaryFormatDigits) format = Format::kDecimalSI;
    }
  }
  if (format == Format::kBinarySI) {
    // Upstream's int64 path cannot negate -2^63 to strip factors of 1024, so prints it bare.
    if (!is_decimal_ && int_scale_ == 0 && int_value_ == kMostNegative)
      return absl::StrCat("-", DigitsAt(d, 0));
    return QuantityInternal::BinaryCanonical(d);
  }
  return QuantityInternal::DecimalCanonical(d, format, !is_decimal_);
}

int Quantity::Compare(const Quantity& other) const {
  if (!is_decimal_ && !other.is_decimal_ && int_scale_ == other.int_scale_) {
    return int_value_ < other.int_value_ ? -1 : (int_value_ > other.int_value_ ? 1 : 0);
  }
  return DecCompare(QuantityInternal::ToDec(*this), QuantityInternal::ToDec(other));
}

int Quantity::Sign() const {
  if (!is_decimal_) return int_value_ < 0 ? -1 : (int_value_ > 0 ? 1 : 0);
  if (MagIsZero(digits_)) return 0;
  return negative_ ? -1 : 1;
}

Quantity Quantity::Add(const Quantity& other) const {
  Quantity q = *this;
  q.cached_.clear();
  if (!q.is_decimal_ && !other.is_decimal_) {
    if (q.int_value_ == 0) q.format_ = other.format_;
    if (QuantityInternal::IntAdd(q, other.int_value_, other.int_scale_)) return q;
  } else if (q.IsZero()) {
    q.format_ = other.format_;
  }
  QuantityInternal::SetDec(q, DecAdd(QuantityInternal::ToDec(q), QuantityInternal::ToDec(other)));
  return q;
}

Quantity Quantity::Sub(const Quantity& other) const {
  Quantity q = *this;
  q.cached_.clear();
  if (q.IsZero()) q.format_ = other.format_;
  // Upstream negates the int64 value with wrapping, so subtracting -2^63 adds it instead.
  if (!q.is_decimal_ && !other.is_decimal_ &&
      QuantityInternal::IntAdd(q, WrapNeg(other.int_value_), other.int_scale_)) {
    return q;
  }
  Dec b = QuantityInternal::ToDec(other);
  if (!b.IsZero()) b.neg = !b.neg;
  QuantityInternal::SetDec(q, DecAdd(QuantityInternal::ToDec(q), b));
  return q;
}

Quantity Quantity::Neg() const {
  Quantity q = *this;
  q.cached_.clear();
  if (!q.is_decimal_) {
    q.int_value_ = WrapNeg(q.int_value_);
  } else if (!MagIsZero(q.digits_)) {
    q.negative_ = !q.negative_;
  }
  return q;
}

int64_t Quantity::Value() const { return ScaledValue(0); }

int64_t Quantity::MilliValue() const { return ScaledValue(-3); }

int64_t Quantity::ScaledValue(int32_t scale) const {
  if (!is_decimal_) {
    // int64Amount.AsScaledInt64: rounds away from zero; on overflow whatever upstream computes.
    // Scale differences wrap in int32 as upstream's Scale arithmetic does.
    if (int_scale_ < scale) {
      return NegativeScaleInt64(int_value_, WrapInt32(int64_t{scale} - int_scale_)).value;
    }
    return PositiveScaleInt64(int_value_, WrapInt32(int64_t{int_scale_} - scale)).value;
  }
  // scaledValue(unscaled, scale, newScale) over the inf.Dec representation.
  const auto signed_low64 = [](std::string_view digits, int64_t zeros, bool neg) {
    const uint64_t low = MagLow64(digits, zeros);
    return static_cast<int64_t>(neg ? 0 - low : low);
  };
  const int64_t dif = int64_t{scale} - exponent_;
  if (dif == 0) return signed_low64(digits_, 0, negative_);
  if (dif < 0) {
    // unscaled.Int64() * int64(math.Pow10(-dif)); the conversion of 1e19 and above gives
    // math.MinInt64 on amd64.
    const int64_t factor = -dif <= 18 ? Pow10Int64(-dif) : kMostNegative;
    return WrapMul(signed_low64(digits_, 0, negative_), factor);
  }
  const bool below_max =
      negative_ || MagCompare(digits_, 0, std::string(kMostPositiveDigits), 0) < 0;
  if (below_max && dif < 19) {
    const int64_t unscaled = signed_low64(digits_, 0, negative_);
    const int64_t divide = Pow10Int64(dif);
    const int64_t result = unscaled / divide;
    return unscaled % divide != 0 ? result + 1 : result;
  }
  // Euclidean division, then +1 when inexact: the ceiling.
  const size_t n = digits_.size();
  std::string_view truncated = "0";
  bool remainder = false;
  if (dif < static_cast<int64_t>(n)) {
    truncated = std::string_view(digits_).substr(0, n - static_cast<size_t>(dif));
    for (size_t i = n - static_cast<size_t>(dif); i < n; ++i) remainder |= digits_[i] != '0';
  } else {
    remainder = !MagIsZero(digits_);
  }
  uint64_t low = MagLow64(truncated, 0);
  if (negative_) return static_cast<int64_t>(0 - low);
  if (remainder) ++low;
  return static_cast<int64_t>(low);
}

std::optional<int64_t> Quantity::AsInt64() const {
  if (is_decimal_) return std::nullopt;
  if (int_scale_ == 0) return int_value_;
  if (int_scale_ < 0) return std::nullopt;
  const Checked c = PositiveScaleInt64(int_value_, int_scale_);
  if (!c.ok) return std::nullopt;
  return c.value;
}

bool Quantity::IsInteger() const { return AsInt64().has_value(); }

double Quantity::AsApproximateFloat64() const {
  double base = 0;
  int64_t exponent = 0;
  if (is_decimal_) {
    base = MagToDouble(digits_);
    if (negative_) base = -base;
    // Go computes int(-scale) with the negation in int32.
    exponent = WrapInt32(exponent_);
  } else {
    base = static_cast<double>(int_value_);
    exponent = int_scale_;
  }
  if (exponent == 0) return base;
  return base * GoPow10(exponent);
}

}  // namespace dra
