// cel-go's strings extension (ext.Strings) at version 2, as Kubernetes v1.29+ enables it, with
// the semantics of cel-go v0.26 (the version Kubernetes v1.34 vendors):
//  - indices are Unicode code points; invalid UTF-8 bytes count as one code point each and are
//    replaced by U+FFFD where a function rebuilds the string from code points (as Go's
//    []rune conversion does);
//  - string.format uses the pre-v4 formatter, which renders %f and %e through
//    golang.org/x/text's en-US number printer (grouping separators, "∞", "× 10ⁿ");
//  - string.reverse() (version 3) is not registered.
#include "dra/base/strings.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "dra/cel/library/library.h"
#include "dra/cel/runtime/functions.h"
#include "dra/cel/runtime/value.h"

namespace dra::cel {
namespace {

using Args = std::span<const Value>;
using K = ValueKind;

constexpr uint32_t kReplacementChar = 0xFFFD;

ArgType A(ValueKind k) { return ArgType::Of(k); }

// --- UTF-8 helpers -------------------------------------------------------------------------

// Go's []rune(s): invalid bytes decode to U+FFFD, one per byte.
std::u32string DecodeRunes(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    uint32_t r = 0;
    size_t n = DecodeUtf8(s, i, &r);
    if (n == 0) {
      r = kReplacementChar;
      n = 1;
    }
    out.push_back(r);
    i += n;
  }
  return out;
}

void AppendRune(std::string& out, uint32_t r) {
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = kReplacementChar;
  if (r < 0x80) {
    out.push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (r >> 6)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (r >> 12)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (r >> 18)));
    out.push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

std::string EncodeRunes(std::u32string_view runes) {
  std::string out;
  out.reserve(runes.size());
  for (uint32_t r : runes) AppendRune(out, r);
  return out;
}

// Width in bytes of the UTF-8 sequence at s[i] (1 for an invalid byte), as Go's
// utf8.DecodeRuneInString reports it.
size_t RuneWidth(std::string_view s, size_t i) {
  uint32_t r = 0;
  size_t n = DecodeUtf8(s, i, &r);
  return n == 0 ? 1 : n;
}

Value IndexOutOfRange(int64_t index) { return Value::Error(StrCat("index out of range: ", index)); }

// --- charAt, indexOf, lastIndexOf ----------------------------------------------------------

Value CharAt(Args a) {
  const int64_t i = a[1].int_value();
  const std::u32string runes = DecodeRunes(a[0].string_view());
  const auto n = static_cast<int64_t>(runes.size());
  if (i < 0 || i > n) return IndexOutOfRange(i);
  if (i == n) return Value::StringView("");
  return Value::String(EncodeRunes(std::u32string_view(&runes[i], 1)));
}

bool RunesMatchAt(const std::u32string& runes, const std::u32string& sub, size_t at) {
  for (size_t j = 0; j < sub.size(); ++j) {
    if (runes[at + j] != sub[j]) return false;
  }
  return true;
}

Value IndexOfOffset(std::string_view s, std::string_view sub, int64_t offset) {
  if (sub.empty()) return Value::Int(offset);
  if (offset < 0) return IndexOutOfRange(offset);
  const std::u32string runes = DecodeRunes(s);
  const std::u32string subrunes = DecodeRunes(sub);
  const auto n = static_cast<int64_t>(runes.size());
  const auto m = static_cast<int64_t>(subrunes.size());
  // cel-go v0.26 answers -1 (not an error) for an offset past the end.
  if (offset >= n) return Value::Int(-1);
  for (int64_t i = offset; i < n - (m - 1); ++i) {
    if (RunesMatchAt(runes, subrunes, static_cast<size_t>(i))) return Value::Int(i);
  }
  return Value::Int(-1);
}

Value IndexOf(Args a) { return IndexOfOffset(a[0].string_view(), a[1].string_view(), 0); }
Value IndexOfFrom(Args a) {
  return IndexOfOffset(a[0].string_view(), a[1].string_view(), a[2].int_value());
}

Value LastIndexOfOffset(std::string_view s, std::string_view sub, int64_t offset) {
  if (sub.empty()) return Value::Int(offset);
  if (offset < 0) return IndexOutOfRange(offset);
  const std::u32string runes = DecodeRunes(s);
  const std::u32string subrunes = DecodeRunes(sub);
  const auto n = static_cast<int64_t>(runes.size());
  const auto m = static_cast<int64_t>(subrunes.size());
  if (offset >= n) return Value::Int(-1);
  int64_t off = offset;
  if (off > n - m) off = n - m;
  for (int64_t i = off; i >= 0; --i) {
    if (RunesMatchAt(runes, subrunes, static_cast<size_t>(i))) return Value::Int(i);
  }
  return Value::Int(-1);
}

Value LastIndexOf(Args a) {
  std::string_view s = a[0].string_view();
  std::string_view sub = a[1].string_view();
  const int64_t n = CodePointCount(s);
  if (sub.empty()) return Value::Int(n);
  if (s.size() < sub.size()) return Value::Int(-1);
  return LastIndexOfOffset(s, sub, n - 1);
}
Value LastIndexOfFrom(Args a) {
  return LastIndexOfOffset(a[0].string_view(), a[1].string_view(), a[2].int_value());
}

// --- Case, trim ------------------------------------------------------------------------------

template <bool kUpper>
Value AsciiCase(Args a) {
  std::u32string runes = DecodeRunes(a[0].string_view());
  for (char32_t& r : runes) {
    if (kUpper && r >= 'a' && r <= 'z') r -= 'a' - 'A';
    if (!kUpper && r >= 'A' && r <= 'Z') r += 'a' - 'A';
  }
  return Value::String(EncodeRunes(runes));
}

// Go's unicode.IsSpace.
bool IsUnicodeSpace(uint32_t r) {
  switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

// Go's strings.TrimSpace (invalid bytes are not space).
Value Trim(Args a) {
  std::string_view s = a[0].string_view();
  size_t begin = 0;
  while (begin < s.size()) {
    uint32_t r = 0;
    size_t n = DecodeUtf8(s, begin, &r);
    if (n == 0 || !IsUnicodeSpace(r)) break;
    begin += n;
  }
  size_t end = s.size();
  while (end > begin) {
    // Find the start of the last sequence: step back over continuation bytes (at most 3).
    size_t start = end - 1;
    while (start > begin && end - start < 4 &&
           (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) {
      --start;
    }
    uint32_t r = 0;
    size_t n = DecodeUtf8(s, start, &r);
    if (n != end - start) break;  // invalid sequence: not space
    if (!IsUnicodeSpace(r)) break;
    end = start;
  }
  return Value::String(s.substr(begin, end - begin));
}

// --- replace, split, substring, join, quote ---------------------------------------------------

// Number of non-overlapping occurrences of `sub` in s (Go's strings.Count).
int64_t CountOccurrences(std::string_view s, std::string_view sub) {
  if (sub.empty()) return CodePointCount(s) + 1;
  int64_t count = 0;
  for (size_t pos = s.find(sub); pos != std::string_view::npos; pos = s.find(sub, pos)) {
    ++count;
    pos += sub.size();
  }
  return count;
}

// Go's strings.Replace(s, old, new, n).
std::string GoReplace(std::string_view s, std::string_view old_s, std::string_view new_s,
                      int64_t n) {
  if (old_s == new_s || n == 0) return std::string(s);
  const int64_t m = CountOccurrences(s, old_s);
  if (m == 0) return std::string(s);
  if (n < 0 || m < n) n = m;
  std::string out;
  out.reserve(s.size() + static_cast<size_t>(n) * new_s.size());
  size_t start = 0;
  for (int64_t i = 0; i < n; ++i) {
    size_t j = start;
    if (old_s.empty()) {
      if (i > 0) j += RuneWidth(s, start);
    } else {
      j = s.find(old_s, start);
    }
    out.append(s.substr(start, j - start));
    out.append(new_s);
    start = j + old_s.size();
  }
  out.append(s.substr(start));
  return out;
}

Value Replace(Args a) {
  return Value::String(GoReplace(a[0].string_view(), a[1].string_view(), a[2].string_view(), -1));
}
Value ReplaceN(Args a) {
  return Value::String(
      GoReplace(a[0].string_view(), a[1].string_view(), a[2].string_view(), a[3].int_value()));
}

Value StringList(const std::vector<std::string_view>& parts) {
  std::vector<Value> items;
  items.reserve(parts.size());
  for (std::string_view p : parts) items.push_back(Value::String(p));
  return Value::List(MakeRef<VectorListValue>(std::move(items)));
}

// Go's strings.SplitN(s, sep, n).
Value GoSplit(std::string_view s, std::string_view sep, int64_t n) {
  std::vector<std::string_view> parts;
  if (n == 0) return StringList(parts);
  if (sep.empty()) {
    // Split into UTF-8 sequences; the last part keeps the rest.
    const int64_t l = CodePointCount(s);
    if (n < 0 || n > l) n = l;
    for (int64_t i = 0; i < n - 1; ++i) {
      size_t w = RuneWidth(s, 0);
      parts.push_back(s.substr(0, w));
      s.remove_prefix(w);
    }
    if (n > 0) parts.push_back(s);
    return StringList(parts);
  }
  if (n < 0) n = CountOccurrences(s, sep) + 1;
  if (n > static_cast<int64_t>(s.size()) + 1) n = static_cast<int64_t>(s.size()) + 1;
  for (int64_t i = 0; i < n - 1; ++i) {
    size_t m = s.find(sep);
    if (m == std::string_view::npos) break;
    parts.push_back(s.substr(0, m));
    s.remove_prefix(m + sep.size());
  }
  parts.push_back(s);
  return StringList(parts);
}

Value Split(Args a) { return GoSplit(a[0].string_view(), a[1].string_view(), -1); }
Value SplitN(Args a) { return GoSplit(a[0].string_view(), a[1].string_view(), a[2].int_value()); }

Value Substring(Args a) {
  const int64_t start = a[1].int_value();
  const std::u32string runes = DecodeRunes(a[0].string_view());
  if (start < 0 || start > static_cast<int64_t>(runes.size())) return IndexOutOfRange(start);
  return Value::String(EncodeRunes(std::u32string_view(runes).substr(start)));
}

Value SubstringRange(Args a) {
  const int64_t start = a[1].int_value();
  const int64_t end = a[2].int_value();
  if (start > end) {
    return Value::Error(StrCat("invalid substring range. start: ", start, ", end: ", end));
  }
  const std::u32string runes = DecodeRunes(a[0].string_view());
  const auto l = static_cast<int64_t>(runes.size());
  if (start < 0 || start > l) return IndexOutOfRange(start);
  if (end < 0 || end > l) return IndexOutOfRange(end);
  return Value::String(EncodeRunes(std::u32string_view(runes).substr(start, end - start)));
}

// Go's %v of a CEL value, for join's error message.
std::string GoValueText(const Value& v) {
  switch (v.kind()) {
    case K::kInt:
      return StrCat(v.int_value());
    case K::kUint:
      return StrCat(v.uint_value());
    case K::kDouble:
      return std::isinf(v.double_value()) ? (v.double_value() > 0 ? "+Inf" : "-Inf")
                                          : FormatDouble(v.double_value());
    case K::kBool:
      return v.bool_value() ? "true" : "false";
    case K::kNull:
      return "NULL_VALUE";
    default:
      return v.DebugString();
  }
}

Value JoinWith(const Value& list_value, std::string_view separator) {
  const ListValue& list = list_value.list();
  std::string out;
  for (size_t i = 0; i < list.Size(); ++i) {
    Value e = list.Get(i);
    if (e.kind() != K::kString) {
      return Value::Error(StrCat("join: invalid input: ", GoValueText(e)));
    }
    if (i != 0) out.append(separator);
    out.append(e.string_view());
  }
  return Value::String(out);
}

Value Join(Args a) { return JoinWith(a[0], ""); }
Value JoinSeparator(Args a) { return JoinWith(a[0], a[1].string_view()); }

Value Quote(Args a) {
  std::string out = "\"";
  for (uint32_t r : DecodeRunes(a[0].string_view())) {
    switch (r) {
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      default:
        AppendRune(out, r);
    }
  }
  out += "\"";
  return Value::String(out);
}

// --- format ----------------------------------------------------------------------------------

std::string TypeNameOf(const Value& v) { return std::string(v.TypeName()); }

std::string IntegerInBase(const Value& v, int base, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  bool negative = false;
  uint64_t u;
  if (v.kind() == K::kInt) {
    int64_t i = v.int_value();
    negative = i < 0;
    u = negative ? (~static_cast<uint64_t>(i) + 1) : static_cast<uint64_t>(i);
  } else {
    u = v.uint_value();
  }
  std::string out;
  do {
    out.push_back(digits[u % static_cast<uint64_t>(base)]);
    u /= static_cast<uint64_t>(base);
  } while (u != 0);
  if (negative) out.push_back('-');
  std::reverse(out.begin(), out.end());
  return out;
}

// cel-go's string conversion of a scalar (the `string()` function), or an error message.
bool ScalarToString(const Value& v, std::string* out, std::string* error) {
  switch (v.kind()) {
    case K::kInt:
      *out = StrCat(v.int_value());
      return true;
    case K::kUint:
      *out = StrCat(v.uint_value());
      return true;
    case K::kDouble:
      *out = FormatDouble(v.double_value());
      return true;
    case K::kBool:
      *out = v.bool_value() ? "true" : "false";
      return true;
    case K::kString:
    case K::kType:
      *out = std::string(v.string_view());
      return true;
    case K::kBytes: {
      std::string_view b = v.string_view();
      for (size_t i = 0; i < b.size();) {
        uint32_t r = 0;
        size_t n = DecodeUtf8(b, i, &r);
        if (n == 0) {
          *error =
              StrCat("could not convert argument ",
                     GoQuote("invalid UTF-8 in bytes, cannot convert to string"), " to string");
          return false;
        }
        i += n;
      }
      *out = std::string(b);
      return true;
    }
    case K::kTimestamp:
      *out = FormatTimestamp(v.timestamp_seconds(), v.timestamp_nanos());
      return true;
    case K::kDuration:
      *out = FormatDuration(v.duration_nanos());
      return true;
    default:
      return false;
  }
}

bool FormatValueAsString(const Value& v, std::string* out, std::string* error);

// Go's fmt "%.6f" (not localized), as the list and map renderings use for doubles.
std::string GoFixed6(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  char buf[400];
  std::snprintf(buf, sizeof(buf), "%.6f", d);
  return buf;
}

// The rendering of a list or map member: clauseForType then quoteForCEL in cel-go.
bool FormatMember(const Value& v, std::string* out, std::string* error) {
  std::string text;
  switch (v.kind()) {
    case K::kInt:
    case K::kUint:
      *out = IntegerInBase(v, 10, false);
      return true;
    case K::kString:
    case K::kBytes:
      if (!ScalarToString(v, &text, error)) return false;
      *out = v.kind() == K::kString ? GoQuote(text) : StrCat("b", GoQuote(text));
      return true;
    case K::kBool:
    case K::kType:
      return ScalarToString(v, out, error);
    case K::kNull:
      *out = "null";
      return true;
    case K::kTimestamp:
    case K::kDuration:
      ScalarToString(v, &text, error);
      *out = StrCat(v.kind() == K::kTimestamp ? "timestamp(" : "duration(", GoQuote(text), ")");
      return true;
    case K::kList:
    case K::kMap:
      return FormatValueAsString(v, out, error);
    case K::kDouble: {
      const double d = v.double_value();
      text = GoFixed6(d);
      *out = std::isnan(d) || std::isinf(d) ? GoQuote(text) : text;
      return true;
    }
    default:
      *error = StrCat("no formatting function for ", TypeNameOf(v));
      return false;
  }
}

bool FormatList(const Value& v, std::string* out, std::string* error) {
  const ListValue& list = v.list();
  std::string result = "[";
  for (size_t i = 0; i < list.Size(); ++i) {
    std::string member;
    if (!FormatMember(list.Get(i), &member, error)) return false;
    if (i != 0) result += ", ";
    result += member;
  }
  result += "]";
  *out = std::move(result);
  return true;
}

bool FormatMap(const Value& v, std::string* out, std::string* error) {
  std::vector<std::pair<std::string, std::string>> pairs;
  bool ok = true;
  v.map().ForEach([&](const Value& key, const Value& value) {
    std::string key_text;
    switch (key.kind()) {
      case K::kString:
        key_text = GoQuote(key.string_view());
        break;
      case K::kBool:
        key_text = key.bool_value() ? "true" : "false";
        break;
      case K::kInt:
      case K::kUint:
        key_text = IntegerInBase(key, 10, false);
        break;
      default:
        *error = StrCat("no formatting function for map key of type ", TypeNameOf(key));
        ok = false;
        return false;
    }
    std::string value_text;
    if (!FormatMember(value, &value_text, error)) {
      ok = false;
      return false;
    }
    pairs.emplace_back(std::move(key_text), std::move(value_text));
    return true;
  });
  if (!ok) return false;
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::string result = "{";
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i != 0) result += ", ";
    StrAppend(&result, pairs[i].first, ":", pairs[i].second);
  }
  result += "}";
  *out = std::move(result);
  return true;
}

constexpr std::string_view kStringClauseError =
    "string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, "
    "durations, and timestamps, was given ";

// The %s clause (cel-go's FormatString).
bool FormatValueAsString(const Value& v, std::string* out, std::string* error) {
  switch (v.kind()) {
    case K::kList:
      return FormatList(v, out, error);
    case K::kMap:
      return FormatMap(v, out, error);
    case K::kNull:
      *out = "null";
      return true;
    default:
      if (ScalarToString(v, out, error)) return true;
      if (error->empty()) *error = StrCat(kStringClauseError, TypeNameOf(v));
      return false;
  }
}

// A number in x/text's decimal model: digits (0-9, no leading or trailing zeros) times
// 10^(exp - len(digits)), i.e. 0.d1d2d3... x 10^exp.
struct Decimal {
  std::string digits;
  int exp = 0;

  void Normalize() {
    size_t lead = 0;
    while (lead < digits.size() && digits[lead] == 0) ++lead;
    digits.erase(0, lead);
    exp -= static_cast<int>(lead);
    while (!digits.empty() && digits.back() == 0) digits.pop_back();
    if (digits.empty()) exp = 0;
  }
};

// Parses printf-style output ("123.456", "1.5e+02") into a Decimal.
Decimal ParseDecimal(std::string_view text) {
  Decimal d;
  size_t i = 0;
  bool before_dot = true;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      d.digits.push_back(static_cast<char>(c - '0'));
      if (before_dot) ++d.exp;
    } else if (c == '.') {
      before_dot = false;
    } else {
      break;
    }
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    int e = 0;
    std::from_chars(text.data() + i + (text[i + 1] == '+' ? 2 : 1), text.data() + text.size(), e);
    d.exp = e + 1;
  }
  d.Normalize();
  return d;
}

// Shortest round-trip digits of |x|.
Decimal ShortestDecimal(double x) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), x, std::chars_format::scientific);
  return ParseDecimal(std::string_view(buf, res.ptr - buf));
}

// x/text's rounding of the digits to n significant positions (ToNearestEven, including its
// habit of rounding a lone 5 up at position 0).
void RoundDecimal(Decimal& d, int n) {
  if (n >= static_cast<int>(d.digits.size())) return;
  if (n < 0) {
    d.digits.clear();
    d.exp = 0;
    return;
  }
  const char next = d.digits[n];
  const bool inc = next > 5 || (next == 5 && (static_cast<int>(d.digits.size()) > n + 1 || n == 0 ||
                                              (d.digits[n - 1] & 1) != 0));
  if (!inc) {
    d.digits.resize(n);
    d.Normalize();
    return;
  }
  int k = n;
  while (k > 0 && d.digits[k - 1] >= 9) --k;
  if (k == 0) {
    d.digits = std::string(1, 1);
    ++d.exp;
    return;
  }
  d.digits[k - 1]++;
  d.digits.resize(k);
}

// x/text en-US decimal rendering: grouped integer digits, then at least min_frac and at most
// the available fraction digits.
std::string RenderDecimal(const Decimal& d, bool negative, int min_frac) {
  std::string integer;
  if (d.exp > 0) {
    for (int i = 0; i < d.exp; ++i) {
      integer.push_back(
          static_cast<char>('0' + (i < static_cast<int>(d.digits.size()) ? d.digits[i] : 0)));
    }
  } else {
    integer = "0";
  }
  std::string grouped;
  for (size_t i = 0; i < integer.size(); ++i) {
    if (i != 0 && (integer.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(integer[i]);
  }
  std::string fraction;
  for (int pos = std::max(d.exp, 0); pos < static_cast<int>(d.digits.size()); ++pos) {
    fraction.push_back(static_cast<char>('0' + d.digits[pos]));
  }
  if (d.exp < 0) fraction.insert(0, static_cast<size_t>(-d.exp), '0');
  while (static_cast<int>(fraction.size()) < min_frac) fraction.push_back('0');
  std::string out = negative ? "-" : "";
  out += grouped;
  if (!fraction.empty()) StrAppend(&out, ".", fraction);
  return out;
}

// The x/text printer's "%.<precision>f" of x with the en-US locale.
std::string LocaleFixed(double x, int64_t precision) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "∞" : "-∞";
  // The printer stores the precision in a uint8 (minimum) and an int16 (maximum).
  const int min_frac = static_cast<int>(static_cast<uint8_t>(precision));
  const int max_frac = static_cast<int>(static_cast<int16_t>(precision));
  const bool negative = x < 0;
  const double abs = std::fabs(x);
  Decimal d;
  if (max_frac > 0) {
    std::string buf(static_cast<size_t>(max_frac) + 400, '\0');
    int n = std::snprintf(buf.data(), buf.size(), "%.*f", max_frac, abs);
    d = ParseDecimal(std::string_view(buf.data(), static_cast<size_t>(n)));
  } else {
    d = ShortestDecimal(abs);
    if (max_frac == 0) RoundDecimal(d, d.exp);
  }
  // A value that renders as zero has no sign.
  return RenderDecimal(d, negative && !d.digits.empty(), min_frac);
}

std::string Superscript(std::string_view digits_and_sign) {
  static constexpr std::string_view kDigits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string out;
  for (char c : digits_and_sign) {
    if (c == '-') {
      out += "⁻";
    } else {
      out += kDigits[c - '0'];
    }
  }
  return out;
}

// The x/text printer's "%<width>e" of x with the en-US locale (six fraction digits).
std::string LocaleScientific(double x, int64_t width) {
  std::string body;
  if (std::isnan(x)) {
    body = "NaN";
  } else if (std::isinf(x)) {
    body = x > 0 ? "∞" : "-∞";
  } else {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.6e", std::fabs(x));
    std::string_view text(buf);
    const size_t e = text.find('e');
    int exponent = 0;
    std::from_chars(text.data() + e + (text[e + 1] == '+' ? 2 : 1), text.data() + text.size(),
                    exponent);
    if (x == 0) exponent = 0;
    std::string exp_digits = StrCat(exponent < 0 ? -exponent : exponent);
    if (exp_digits.size() < 2) exp_digits.insert(0, "0");
    if (exponent < 0) exp_digits.insert(0, "-");
    // The golang.org/x/text that Kubernetes v1.34 pins prints "2.718280×10⁰⁰" (no spaces; other
    // x/text versions put U+202F around the sign).
    body = StrCat(x < 0 ? "-" : "", text.substr(0, e), "×10", Superscript(exp_digits));
  }
  const int64_t runes = CodePointCount(body);
  if (width > runes) body.insert(0, static_cast<size_t>(width - runes), ' ');
  return body;
}

// Go's format parser gives up on a width or precision once the digits read so far exceed 1e6
// before the next digit, and prints "%!(NOVERB)".
bool TooLargeForGoFormat(int64_t n) { return n / 10 > 1'000'000; }

// Whether v is a double or one of the strings "NaN", "Infinity", "-Infinity"; sets *d.
bool FloatArgument(const Value& v, double* d) {
  if (v.kind() == K::kDouble) {
    *d = v.double_value();
    return true;
  }
  if (v.kind() == K::kString) {
    std::string_view s = v.string_view();
    if (s == "NaN") {
      *d = std::numeric_limits<double>::quiet_NaN();
      return true;
    }
    if (s == "Infinity" || s == "-Infinity") {
      *d = s[0] == '-' ? -std::numeric_limits<double>::infinity()
                       : std::numeric_limits<double>::infinity();
      return true;
    }
  }
  return false;
}

// Formats one clause `verb` (with optional precision) of argument v.
bool FormatClause(char verb, std::optional<int64_t> precision, const Value& v, std::string* out,
                  std::string* error) {
  switch (verb) {
    case 's':
      return FormatValueAsString(v, out, error);
    case 'd':
      if (v.kind() != K::kInt && v.kind() != K::kUint) {
        *error = StrCat("decimal clause can only be used on integers, was given ", TypeNameOf(v));
        return false;
      }
      *out = IntegerInBase(v, 10, false);
      return true;
    case 'f': {
      double d = 0;
      if (!FloatArgument(v, &d)) {
        *error =
            StrCat("fixed-point clause can only be used on doubles, was given ", TypeNameOf(v));
        return false;
      }
      const int64_t p = precision.value_or(6);
      *out = TooLargeForGoFormat(p) ? "%!(NOVERB)" : LocaleFixed(d, p);
      return true;
    }
    case 'e': {
      double d = 0;
      if (!FloatArgument(v, &d)) {
        *error = StrCat("scientific clause can only be used on doubles, was given ", TypeNameOf(v));
        return false;
      }
      // cel-go passes its precision to the printer as the width ("%<precision>e").
      const int64_t w = precision.value_or(6);
      *out = TooLargeForGoFormat(w) ? "%!(NOVERB)" : LocaleScientific(d, w);
      return true;
    }
    case 'b':
      if (v.kind() == K::kBool) {
        *out = v.bool_value() ? "1" : "0";
        return true;
      }
      if (v.kind() != K::kInt && v.kind() != K::kUint) {
        *error =
            StrCat("only integers and bools can be formatted as binary, was given ", TypeNameOf(v));
        return false;
      }
      *out = IntegerInBase(v, 2, false);
      return true;
    case 'o':
      if (v.kind() != K::kInt && v.kind() != K::kUint) {
        *error = StrCat("octal clause can only be used on integers, was given ", TypeNameOf(v));
        return false;
      }
      *out = IntegerInBase(v, 8, false);
      return true;
    case 'x':
    case 'X': {
      const bool upper = verb == 'X';
      if (v.kind() == K::kInt || v.kind() == K::kUint) {
        *out = IntegerInBase(v, 16, upper);
        return true;
      }
      if (v.kind() != K::kString && v.kind() != K::kBytes) {
        *error =
            StrCat("only integers, byte buffers, and strings can be formatted as hex, was given ",
                   TypeNameOf(v));
        return false;
      }
      const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
      std::string hex;
      for (unsigned char c : v.string_view()) {
        hex.push_back(digits[c >> 4]);
        hex.push_back(digits[c & 0xF]);
      }
      *out = std::move(hex);
      return true;
    }
    default:
      return false;
  }
}

// Go's %c of a byte converted to a rune.
std::string ByteAsRune(unsigned char c) {
  std::string out;
  AppendRune(out, c);
  return out;
}

Value Format(Args a) {
  std::string_view fmt = a[0].string_view();
  const ListValue& args = a[1].list();
  const auto arg_count = static_cast<int64_t>(args.Size());
  std::string out;
  int64_t arg_index = 0;
  size_t i = 0;
  while (i < fmt.size()) {
    if (fmt[i] != '%') {
      out.push_back(fmt[i]);
      ++i;
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '%') {
      out.push_back('%');
      i += 2;
      continue;
    }
    if (arg_index >= arg_count) {
      return Value::Error(StrCat("index ", arg_index, " out of range"));
    }
    if (i + 1 >= fmt.size()) return Value::Error("unexpected end of string");
    const Value arg = args.Get(static_cast<size_t>(arg_index));
    // The clause: an optional precision ".digits", then the verb.
    size_t j = i + 1;
    std::optional<int64_t> precision;
    if (fmt[j] == '.') {
      ++j;
      const size_t digits_begin = j;
      while (j < fmt.size() && fmt[j] >= '0' && fmt[j] <= '9') ++j;
      if (j >= fmt.size()) {
        return Value::Error(
            "could not parse formatting clause: error while parsing precision: could not find "
            "end of precision specifier");
      }
      std::string_view digits = fmt.substr(digits_begin, j - digits_begin);
      int64_t p = 0;
      auto res = std::from_chars(digits.data(), digits.data() + digits.size(), p);
      if (digits.empty() || res.ec != std::errc()) {
        return Value::Error(
            StrCat("could not parse formatting clause: error while parsing precision: error while "
                   "converting precision to integer: strconv.Atoi: parsing ",
                   GoQuote(digits), digits.empty() ? ": invalid syntax" : ": value out of range"));
      }
      precision = p;
    }
    const char verb = fmt[j];
    if (std::string_view("sdfebxXo").find(verb) == std::string_view::npos) {
      return Value::Error(
          StrCat("could not parse formatting clause: unrecognized formatting clause \"",
                 ByteAsRune(static_cast<unsigned char>(verb)), "\""));
    }
    std::string text;
    std::string error;
    if (!FormatClause(verb, precision, arg, &text, &error)) {
      return Value::Error(StrCat("error during formatting: ", error));
    }
    out += text;
    i = j + 1;
    ++arg_index;
  }
  return Value::String(out);
}

// --- Costs -----------------------------------------------------------------------------------
// Kubernetes' CostEstimator replaces the call's cost of 1 with its own figure; the runtime adds
// 1 + the CostFunction's result, so these return the Kubernetes figure minus 1.

int64_t CeilTenth(int64_t n) { return (n + 9) / 10; }

// lowerAscii, upperAscii, substring, trim (Kubernetes), strings.quote and format (cel-go's
// default for them): ceil(size × 0.1), size in code points.
int64_t TraversalCost(Args a) { return CeilTenth(CodePointCount(a[0].string_view())) - 1; }
// replace, split: ceil(size × 2 × 0.1).
int64_t DoubleTraversalCost(Args a) {
  return CeilTenth(2 * CodePointCount(a[0].string_view())) - 1;
}
// indexOf, lastIndexOf: Kubernetes' traversalCost, floor(bytes × 0.1).
int64_t IndexCost(Args a) { return static_cast<int64_t>(a[0].string_view().size() / 10) - 1; }
// join: ceil(size(result) × 2 × 0.1); the result's size is the sum of the parts and separators.
int64_t JoinCost(Args a) {
  const ListValue& list = a[0].list();
  int64_t size = 0;
  for (size_t i = 0; i < list.Size(); ++i) {
    Value e = list.Get(i);
    if (e.kind() == K::kString) size += CodePointCount(e.string_view());
  }
  if (a.size() > 1 && list.Size() > 1) {
    size += static_cast<int64_t>(list.Size() - 1) * CodePointCount(a[1].string_view());
  }
  return CeilTenth(2 * size) - 1;
}

}  // namespace

absl::Status RegisterStringsExtension(FunctionRegistry* registry) {
  constexpr CallStyle G = CallStyle::kGlobal;
  constexpr CallStyle R = CallStyle::kReceiver;
  const ArgType s = A(K::kString);
  const ArgType i = A(K::kInt);
  const ArgType l = A(K::kList);
  absl::Status status;
  auto add = [&](std::string_view name, CallStyle style, std::vector<ArgType> args,
                 FunctionImpl impl, CostFunction cost) {
    if (status.ok()) status = registry->Add(name, style, std::move(args), impl, cost);
  };
  add("charAt", R, {s, i}, CharAt, nullptr);
  add("indexOf", R, {s, s}, IndexOf, IndexCost);
  add("indexOf", R, {s, s, i}, IndexOfFrom, IndexCost);
  add("lastIndexOf", R, {s, s}, LastIndexOf, IndexCost);
  add("lastIndexOf", R, {s, s, i}, LastIndexOfFrom, IndexCost);
  add("lowerAscii", R, {s}, AsciiCase<false>, TraversalCost);
  add("upperAscii", R, {s}, AsciiCase<true>, TraversalCost);
  add("replace", R, {s, s, s}, Replace, DoubleTraversalCost);
  add("replace", R, {s, s, s, i}, ReplaceN, DoubleTraversalCost);
  add("split", R, {s, s}, Split, DoubleTraversalCost);
  add("split", R, {s, s, i}, SplitN, DoubleTraversalCost);
  add("substring", R, {s, i}, Substring, TraversalCost);
  add("substring", R, {s, i, i}, SubstringRange, TraversalCost);
  add("trim", R, {s}, Trim, TraversalCost);
  // Version 1.
  add("format", R, {s, l}, Format, TraversalCost);
  add("strings.quote", G, {s}, Quote, TraversalCost);
  // Version 2: join over lists of strings (elements checked at run time).
  add("join", R, {l}, Join, JoinCost);
  add("join", R, {l, s}, JoinSeparator, JoinCost);
  return status;
}

}  // namespace dra::cel
