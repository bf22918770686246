// The Kubernetes CEL libraries of the DRA StoredExpressions environment (Kubernetes v1.34):
// quantity, semver (v1, with normalization), lists, regex, URLs, named formats, and the cel-go
// extensions sets and lists (v3). See reference/cel-environment.md section 5.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "dra/api/validation/names.h"
#include "dra/base/quantity.h"
#include "dra/base/semver.h"
#include "dra/base/strings.h"
#include "dra/cel/library/k8s_values.h"
#include "dra/cel/library/library.h"
#include "dra/cel/runtime/functions.h"
#include "dra/cel/runtime/value.h"
#include "re2/re2.h"

namespace dra::cel {
namespace {

using Args = std::span<const Value>;
using K = ValueKind;

constexpr std::string_view kUrlTypeName = "kubernetes.URL";
constexpr std::string_view kFormatTypeName = "kubernetes.NamedFormat";

ArgType A(K kind) { return ArgType::Of(kind); }
ArgType Q() { return ArgType::Opaque(kQuantityTypeName); }
ArgType S() { return ArgType::Opaque(kSemverTypeName); }

Value StringList(std::vector<std::string> items) {
  std::vector<Value> values;
  values.reserve(items.size());
  for (std::string& s : items) values.push_back(Value::String(s));
  return Value::List(MakeRef<VectorListValue>(std::move(values)));
}

Value ListOf(std::vector<Value> items) {
  return Value::List(MakeRef<VectorListValue>(std::move(items)));
}

int64_t CeilTenth(size_t n) { return static_cast<int64_t>((n + 9) / 10); }
int64_t StringArgCost(Args a) { return CeilTenth(a[0].string_view().size()); }
int64_t ListSizeCost(Args a) { return static_cast<int64_t>(a[0].list().Size()); }

// --- Quantity ----------------------------------------------------------------------------------

Value QuantityFromString(Args a) {
  absl::StatusOr<Quantity> q = Quantity::Parse(a[0].string_view());
  if (!q.ok()) return Value::Error(std::string(q.status().message()));
  return QuantityValue(*q);
}
Value IsQuantity(Args a) { return Value::Bool(Quantity::Parse(a[0].string_view()).ok()); }
Value QuantitySign(Args a) { return Value::Int(AsQuantity(a[0])->Sign()); }
Value QuantityIsGreaterThan(Args a) {
  return Value::Bool(AsQuantity(a[0])->Compare(*AsQuantity(a[1])) == 1);
}
Value QuantityIsLessThan(Args a) {
  return Value::Bool(AsQuantity(a[0])->Compare(*AsQuantity(a[1])) == -1);
}
Value QuantityCompareTo(Args a) { return Value::Int(AsQuantity(a[0])->Compare(*AsQuantity(a[1]))); }
Value QuantityAsApproximateFloat(Args a) {
  return Value::Double(AsQuantity(a[0])->AsApproximateFloat64());
}
Value QuantityAsInteger(Args a) {
  std::optional<int64_t> v = AsQuantity(a[0])->AsInt64();
  if (!v.has_value()) return Value::Error("cannot convert value to integer");
  return Value::Int(*v);
}
Value QuantityIsInteger(Args a) { return Value::Bool(AsQuantity(a[0])->IsInteger()); }
Value QuantityAdd(Args a) {
  return k8s_internal::QuantityPointerValue(AsQuantity(a[0])->Add(*AsQuantity(a[1])));
}
Value QuantityAddInt(Args a) {
  Quantity other = Quantity::FromInt64(a[1].int_value(), Quantity::Format::kDecimalExponent);
  return k8s_internal::QuantityPointerValue(AsQuantity(a[0])->Add(other));
}
Value QuantitySub(Args a) {
  return k8s_internal::QuantityPointerValue(AsQuantity(a[0])->Sub(*AsQuantity(a[1])));
}
Value QuantitySubInt(Args a) {
  Quantity other = Quantity::FromInt64(a[1].int_value(), Quantity::Format::kDecimalExponent);
  return k8s_internal::QuantityPointerValue(AsQuantity(a[0])->Sub(other));
}

// --- Semver ------------------------------------------------------------------------------------

absl::StatusOr<SemVer> ParseSemver(std::string_view s, bool normalize) {
  return normalize ? SemVer::ParseNormalized(s) : SemVer::Parse(s);
}
Value SemverFromString(Args a) {
  bool normalize = a.size() > 1 && a[1].bool_value();
  absl::StatusOr<SemVer> v = ParseSemver(a[0].string_view(), normalize);
  if (!v.ok()) return Value::Error(std::string(v.status().message()));
  return SemverValue(*v);
}
Value IsSemver(Args a) {
  bool normalize = a.size() > 1 && a[1].bool_value();
  return Value::Bool(ParseSemver(a[0].string_view(), normalize).ok());
}
Value SemverMajor(Args a) { return Value::Int(static_cast<int64_t>(AsSemver(a[0])->major())); }
Value SemverMinor(Args a) { return Value::Int(static_cast<int64_t>(AsSemver(a[0])->minor())); }
Value SemverPatch(Args a) { return Value::Int(static_cast<int64_t>(AsSemver(a[0])->patch())); }
Value SemverIsGreaterThan(Args a) {
  return Value::Bool(AsSemver(a[0])->Compare(*AsSemver(a[1])) == 1);
}
Value SemverIsLessThan(Args a) {
  return Value::Bool(AsSemver(a[0])->Compare(*AsSemver(a[1])) == -1);
}
Value SemverCompareTo(Args a) { return Value::Int(AsSemver(a[0])->Compare(*AsSemver(a[1]))); }

// --- Kubernetes lists library --------------------------------------------------------------------

bool IsComparableKind(K k) {
  switch (k) {
    case K::kInt:
    case K::kUint:
    case K::kDouble:
    case K::kBool:
    case K::kDuration:
    case K::kTimestamp:
    case K::kString:
    case K::kBytes:
      return true;
    default:
      return false;
  }
}

bool IsSummableKind(K k) {
  return k == K::kInt || k == K::kUint || k == K::kDouble || k == K::kDuration;
}

// Whether Compare(a, b) is the int `want`; ordering errors (NaN, mixed kinds) count as "no".
bool CompareIs(const Value& a, const Value& b, int64_t want) {
  Value c = Compare(a, b);
  return c.kind() == K::kInt && c.int_value() == want;
}

Value ListIsSorted(Args a) {
  const ListValue& list = a[0].list();
  for (size_t i = 0; i < list.Size(); ++i) {
    Value next = list.Get(i);
    if (!IsComparableKind(next.kind())) return NoMatchingOverload("isSorted", a);
    if (i > 0 && CompareIs(list.Get(i - 1), next, 1)) return Value::Bool(false);
  }
  return Value::Bool(true);
}

Value AddSameKind(const Value& x, const Value& y) {
  switch (x.kind()) {
    case K::kInt: {
      int64_t r;
      if (__builtin_add_overflow(x.int_value(), y.int_value(), &r)) return ErrIntOverflow();
      return Value::Int(r);
    }
    case K::kUint: {
      uint64_t r;
      if (__builtin_add_overflow(x.uint_value(), y.uint_value(), &r)) return ErrUintOverflow();
      return Value::Uint(r);
    }
    case K::kDouble:
      return Value::Double(x.double_value() + y.double_value());
    case K::kDuration: {
      int64_t r;
      if (__builtin_add_overflow(x.duration_nanos(), y.duration_nanos(), &r)) {
        return ErrIntOverflow();
      }
      return Value::Duration(r);
    }
    default:
      return ErrNoSuchOverload();
  }
}

Value ListSum(Args a) {
  const ListValue& list = a[0].list();
  if (list.Size() == 0) return Value::Int(0);
  Value acc = list.Get(0);
  if (!IsSummableKind(acc.kind())) return NoMatchingOverload("sum", a);
  for (size_t i = 1; i < list.Size(); ++i) {
    Value next = list.Get(i);
    if (next.kind() != acc.kind()) return ErrNoSuchOverload();
    acc = AddSameKind(acc, next);
    if (acc.IsError()) return acc;
  }
  return acc;
}

// min (prefer = 1: replace the result when it compares greater) and max (prefer = -1).
Value ListExtreme(Args a, std::string_view name, int64_t prefer) {
  const ListValue& list = a[0].list();
  std::optional<Value> result;
  for (size_t i = 0; i < list.Size(); ++i) {
    Value next = list.Get(i);
    if (!IsComparableKind(next.kind())) return NoMatchingOverload(name, a);
    if (!result.has_value()) {
      result = next;
    } else if (CompareIs(*result, next, prefer)) {
      result = next;
    }
  }
  if (!result.has_value()) return Value::Error(StrCat(name, " called on empty list"));
  return *result;
}
Value ListMin(Args a) { return ListExtreme(a, "min", 1); }
Value ListMax(Args a) { return ListExtreme(a, "max", -1); }

Value ListIndexOf(Args a) {
  const ListValue& list = a[0].list();
  for (size_t i = 0; i < list.Size(); ++i) {
    if (Equal(list.Get(i), a[1]).IsTrue()) return Value::Int(static_cast<int64_t>(i));
  }
  return Value::Int(-1);
}
Value ListLastIndexOf(Args a) {
  const ListValue& list = a[0].list();
  for (size_t i = list.Size(); i > 0; --i) {
    if (Equal(list.Get(i - 1), a[1]).IsTrue()) return Value::Int(static_cast<int64_t>(i - 1));
  }
  return Value::Int(-1);
}

// --- cel-go lists extension (v3) -----------------------------------------------------------------

Value ListSlice(Args a) {
  const ListValue& list = a[0].list();
  int64_t start = a[1].int_value();
  int64_t end = a[2].int_value();
  int64_t size = static_cast<int64_t>(list.Size());
  if (start < 0 || end < 0) {
    return Value::Error(
        StrCat("cannot slice(", start, ", ", end, "), negative indexes not supported"));
  }
  if (start > end) {
    return Value::Error(StrCat("cannot slice(", start, ", ", end,
                               "), start index must be less than or equal to end index"));
  }
  if (size < end) {
    return Value::Error(StrCat("cannot slice(", start, ", ", end, "), list is length ", size));
  }
  std::vector<Value> out;
  out.reserve(static_cast<size_t>(end - start));
  for (int64_t i = start; i < end; ++i) out.push_back(list.Get(static_cast<size_t>(i)));
  return ListOf(std::move(out));
}

void FlattenInto(const ListValue& list, int64_t depth, std::vector<Value>* out) {
  for (size_t i = 0; i < list.Size(); ++i) {
    Value v = list.Get(i);
    if (v.kind() != K::kList || depth == 0) {
      out->push_back(std::move(v));
    } else {
      FlattenInto(v.list(), depth - 1, out);
    }
  }
}
Value ListFlatten(Args a) {
  int64_t depth = a.size() > 1 ? a[1].int_value() : 1;
  if (depth < 0) return Value::Error("level must be non-negative");
  std::vector<Value> out;
  FlattenInto(a[0].list(), depth, &out);
  return ListOf(std::move(out));
}

// Orders `list` by `keys` (same size), as cel-go's sortByAssociatedKeys: keys must be comparable
// and all of the first key's type. A merge sort, so an inconsistent order (NaN) stays safe.
Value SortByKeys(const Value& list_value, const ListValue& keys) {
  const ListValue& list = list_value.list();
  if (list.Size() != keys.Size()) {
    return Value::Error(
        StrCat("@sortByAssociatedKeys() expected a list of the same size as the "
               "associated keys list, but got ",
               list.Size(), " and ", keys.Size(), " elements respectively"));
  }
  if (list.Size() == 0) return list_value;
  std::vector<Value> key_values;
  key_values.reserve(keys.Size());
  for (size_t i = 0; i < keys.Size(); ++i) key_values.push_back(keys.Get(i));
  K kind = key_values[0].kind();
  if (!IsComparableKind(kind)) return Value::Error("list elements must be comparable");
  bool type_error = false;
  auto less = [&](size_t i, size_t j) {
    if (key_values[i].kind() != kind || key_values[j].kind() != kind) {
      type_error = true;
      return false;
    }
    return CompareIs(key_values[i], key_values[j], -1);
  };
  std::vector<size_t> order(list.Size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::vector<size_t> buffer(order.size());
  for (size_t width = 1; width < order.size(); width *= 2) {
    for (size_t lo = 0; lo < order.size(); lo += 2 * width) {
      size_t mid = std::min(lo + width, order.size());
      size_t hi = std::min(lo + 2 * width, order.size());
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) buffer[k++] = less(order[j], order[i]) ? order[j++] : order[i++];
      while (i < mid) buffer[k++] = order[i++];
      while (j < hi) buffer[k++] = order[j++];
    }
    order.swap(buffer);
  }
  if (type_error) return Value::Error("list elements must have the same type");
  std::vector<Value> out;
  out.reserve(order.size());
  for (size_t i : order) out.push_back(list.Get(i));
  return ListOf(std::move(out));
}
Value ListSort(Args a) { return SortByKeys(a[0], a[0].list()); }
Value ListSortByAssociatedKeys(Args a) { return SortByKeys(a[0], a[1].list()); }

Value ListsRange(Args a) {
  constexpr int64_t kMaxRangeSize = 10'000'000;
  int64_t n = a[0].int_value();
  if (n < 0) return Value::Error(StrCat("lists.range: size must be non-negative, got ", n));
  if (n > kMaxRangeSize) {
    return Value::Error(
        StrCat("lists.range: size ", n, " exceeds maximum allowed (", kMaxRangeSize, ")"));
  }
  std::vector<Value> out;
  out.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) out.push_back(Value::Int(i));
  return ListOf(std::move(out));
}

Value ListReverse(Args a) {
  const ListValue& list = a[0].list();
  std::vector<Value> out;
  out.reserve(list.Size());
  for (size_t i = list.Size(); i > 0; --i) out.push_back(list.Get(i - 1));
  return ListOf(std::move(out));
}

Value ListDistinct(Args a) {
  const ListValue& list = a[0].list();
  if (list.Size() == 0) return a[0];
  std::vector<Value> out;
  for (size_t i = 0; i < list.Size(); ++i) {
    Value v = list.Get(i);
    bool seen = false;
    for (const Value& u : out) {
      if (Equal(v, u).IsTrue()) {
        seen = true;
        break;
      }
    }
    if (!seen) out.push_back(std::move(v));
  }
  return ListOf(std::move(out));
}

int64_t SquareCost(Args a) {
  auto n = static_cast<int64_t>(a[0].list().Size());
  return n * n;
}

// --- Sets extension ------------------------------------------------------------------------------

bool ListContains(const ListValue& list, const Value& element) {
  for (size_t i = 0; i < list.Size(); ++i) {
    if (Equal(element, list.Get(i)).IsTrue()) return true;
  }
  return false;
}
bool ContainsAll(const ListValue& list, const ListValue& sublist) {
  for (size_t i = 0; i < sublist.Size(); ++i) {
    if (!ListContains(list, sublist.Get(i))) return false;
  }
  return true;
}
Value SetsContains(Args a) { return Value::Bool(ContainsAll(a[0].list(), a[1].list())); }
Value SetsEquivalent(Args a) {
  return Value::Bool(ContainsAll(a[0].list(), a[1].list()) &&
                     ContainsAll(a[1].list(), a[0].list()));
}
Value SetsIntersects(Args a) {
  const ListValue& first = a[0].list();
  for (size_t i = 0; i < first.Size(); ++i) {
    if (ListContains(a[1].list(), first.Get(i))) return Value::Bool(true);
  }
  return Value::Bool(false);
}
int64_t TwoListCost(Args a) {
  return static_cast<int64_t>(a[0].list().Size() * std::max<size_t>(1, a[1].list().Size()));
}

// --- Regex ---------------------------------------------------------------------------------------

// Go's regexp/syntax error text for an RE2 parse error.
std::string GoRegexError(const RE2& re) {
  std::string_view code;
  switch (re.error_code()) {
    case RE2::ErrorBadEscape:
      code = "invalid escape sequence";
      break;
    case RE2::ErrorBadCharClass:
      code = "invalid character class";
      break;
    case RE2::ErrorBadCharRange:
      code = "invalid character class range";
      break;
    case RE2::ErrorMissingBracket:
      code = "missing closing ]";
      break;
    case RE2::ErrorMissingParen:
      code = "missing closing )";
      break;
    case RE2::ErrorUnexpectedParen:
      code = "unexpected )";
      break;
    case RE2::ErrorTrailingBackslash:
      code = "trailing backslash at end of expression";
      break;
    case RE2::ErrorRepeatArgument:
      code = "missing argument to repetition operator";
      break;
    case RE2::ErrorRepeatSize:
      code = "invalid repeat count";
      break;
    case RE2::ErrorRepeatOp:
      code = "invalid nested repetition operator";
      break;
    case RE2::ErrorBadPerlOp:
      code = "invalid or unsupported Perl syntax";
      break;
    case RE2::ErrorBadUTF8:
      code = "invalid UTF-8";
      break;
    case RE2::ErrorBadNamedCapture:
      code = "invalid named capture";
      break;
    case RE2::ErrorPatternTooLarge:
      code = "expression too large";
      break;
    default:
      code = "regexp/syntax: internal error";
      break;
  }
  return StrCat("error parsing regexp: ", code, ": `", re.error_arg(), "`");
}

// A small per-thread cache of compiled patterns.
const RE2* CompiledPattern(std::string_view pattern) {
  constexpr size_t kCapacity = 16;
  thread_local std::list<std::pair<std::string, std::unique_ptr<RE2>>> cache;
  for (auto it = cache.begin(); it != cache.end(); ++it) {
    if (it->first == pattern) {
      cache.splice(cache.begin(), cache, it);
      return cache.front().second.get();
    }
  }
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  cache.emplace_front(std::string(pattern), std::move(re));
  if (cache.size() > kCapacity) cache.pop_back();
  return cache.front().second.get();
}

// Go's regexp FindAllString(s, n): non-overlapping leftmost-first matches; an empty match right
// after the previous match is skipped; n < 0 means all.
std::vector<std::string> FindAll(const RE2& re, std::string_view s, int64_t n) {
  std::vector<std::string> out;
  if (n < 0) n = static_cast<int64_t>(s.size()) + 1;
  re2::StringPiece text(s.data(), s.size());
  size_t pos = 0;
  std::optional<size_t> prev_end;
  while (static_cast<int64_t>(out.size()) < n && pos <= s.size()) {
    re2::StringPiece m;
    if (!re.Match(text, pos, s.size(), RE2::UNANCHORED, &m, 1)) break;
    size_t start = static_cast<size_t>(m.data() - s.data());
    size_t end = start + m.size();
    bool accept = true;
    if (end == pos) {
      if (prev_end.has_value() && start == *prev_end) accept = false;
      if (pos >= s.size()) {
        pos = s.size() + 1;
      } else {
        uint32_t rune;
        size_t width = DecodeUtf8(s, pos, &rune);
        pos += width == 0 ? 1 : width;
      }
    } else {
      pos = end;
    }
    prev_end = end;
    if (accept) out.emplace_back(s.substr(start, end - start));
  }
  return out;
}

Value Find(Args a) {
  const RE2* re = CompiledPattern(a[1].string_view());
  if (!re->ok()) return Value::Error(StrCat("Illegal regex: ", GoRegexError(*re)));
  std::vector<std::string> found = FindAll(*re, a[0].string_view(), 1);
  return Value::String(found.empty() ? std::string_view() : std::string_view(found[0]));
}
Value FindAllFn(Args a) {
  const RE2* re = CompiledPattern(a[1].string_view());
  if (!re->ok()) return Value::Error(StrCat("Illegal regex: ", GoRegexError(*re)));
  int64_t n = a.size() > 2 ? a[2].int_value() : -1;
  return StringList(FindAll(*re, a[0].string_view(), n));
}
int64_t RegexCost(Args a) {
  double s = std::ceil((1.0 + static_cast<double>(a[0].string_view().size())) * 0.1);
  double r = std::ceil(static_cast<double>(a[1].string_view().size()) * 0.25);
  return static_cast<int64_t>(s * r);
}

// --- URLs (Go net/url semantics) -----------------------------------------------------------------

enum class UrlEncoding { kPath, kHost, kUserPassword, kQueryComponent, kFragment };

bool IsAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool IsHex(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int Unhex(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

bool ShouldEscape(unsigned char c, UrlEncoding mode) {
  if (IsAlnum(c)) return false;
  if (mode == UrlEncoding::kHost) {
    switch (c) {
      case '!':
      case '$':
      case '&':
      case '\'':
      case '(':
      case ')':
      case '*':
      case '+':
      case ',':
      case ';':
      case '=':
      case ':':
      case '[':
      case ']':
      case '<':
      case '>':
      case '"':
        return false;
      default:
        break;
    }
  }
  switch (c) {
    case '-':
    case '_':
    case '.':
    case '~':
      return false;
    case '$':
    case '&':
    case '+':
    case ',':
    case '/':
    case ':':
    case ';':
    case '=':
    case '?':
    case '@':
      switch (mode) {
        case UrlEncoding::kPath:
          return c == '?';
        case UrlEncoding::kUserPassword:
          return c == '@' || c == '/' || c == '?' || c == ':';
        case UrlEncoding::kQueryComponent:
          return true;
        case UrlEncoding::kFragment:
          return false;
        default:
          break;
      }
      break;
    default:
      break;
  }
  if (mode == UrlEncoding::kFragment) {
    switch (c) {
      case '!':
      case '(':
      case ')':
      case '*':
        return false;
      default:
        break;
    }
  }
  return true;
}

// Go's url.unescape; on failure sets *error to Go's message.
bool Unescape(std::string_view s, UrlEncoding mode, std::string* out, std::string* error) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      if (i + 2 >= s.size() || !IsHex(s[i + 1]) || !IsHex(s[i + 2])) {
        *error = StrCat("invalid URL escape ", GoQuote(s.substr(i, 3)));
        return false;
      }
      if (mode == UrlEncoding::kHost && Unhex(s[i + 1]) < 8 && s.substr(i, 3) != "%25") {
        *error = StrCat("invalid URL escape ", GoQuote(s.substr(i, 3)));
        return false;
      }
      i += 3;
    } else {
      if (mode == UrlEncoding::kHost && c < 0x80 && ShouldEscape(c, mode)) {
        *error = StrCat("invalid character ", GoQuote(s.substr(i, 1)), " in host name");
        return false;
      }
      ++i;
    }
  }
  out->clear();
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      out->push_back(static_cast<char>(Unhex(s[i + 1]) << 4 | Unhex(s[i + 2])));
      i += 2;
    } else if (s[i] == '+' && mode == UrlEncoding::kQueryComponent) {
      out->push_back(' ');
    } else {
      out->push_back(s[i]);
    }
  }
  return true;
}

std::string Escape(std::string_view s, UrlEncoding mode) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (!ShouldEscape(c, mode)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

bool ValidEncoded(std::string_view s, UrlEncoding mode) {
  for (char ch : s) {
    switch (ch) {
      case '!':
      case '$':
      case '&':
      case '\'':
      case '(':
      case ')':
      case '*':
      case '+':
      case ',':
      case ';':
      case '=':
      case ':':
      case '@':
      case '[':
      case ']':
      case '%':
        break;
      default:
        if (ShouldEscape(static_cast<unsigned char>(ch), mode)) return false;
    }
  }
  return true;
}

bool ValidOptionalPort(std::string_view port) {
  if (port.empty()) return true;
  if (port[0] != ':') return false;
  for (char c : port.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

struct ParsedUrl {
  std::string scheme;
  std::string opaque;
  bool has_user = false;
  std::string user;  // as written (still escaped)
  std::string host;
  std::string path;
  std::string raw_path;
  bool force_query = false;
  std::string raw_query;
  std::string fragment;
  std::string raw_fragment;
  bool omit_host = false;

  std::string EscapedPath() const {
    if (!raw_path.empty() && ValidEncoded(raw_path, UrlEncoding::kPath)) {
      std::string p, error;
      if (Unescape(raw_path, UrlEncoding::kPath, &p, &error) && p == path) return raw_path;
    }
    if (path == "*") return "*";
    return Escape(path, UrlEncoding::kPath);
  }

  // Go's URL.String(), for equality (userinfo and fragment kept as written).
  std::string ToString() const {
    std::string out;
    if (!scheme.empty()) StrAppend(&out, scheme, ":");
    if (!opaque.empty()) {
      out += opaque;
    } else {
      if (!scheme.empty() || !host.empty() || has_user) {
        if (!(omit_host && host.empty() && !has_user)) {
          if (!host.empty() || !path.empty() || has_user) out += "//";
          if (has_user) StrAppend(&out, user, "@");
          out += Escape(host, UrlEncoding::kHost);
        }
      }
      std::string p = EscapedPath();
      if (!p.empty() && p[0] != '/' && !host.empty()) out += "/";
      if (out.empty()) {
        std::string_view segment = std::string_view(p).substr(0, p.find('/'));
        if (segment.find(':') != std::string_view::npos) out += "./";
      }
      out += p;
    }
    if (force_query || !raw_query.empty()) StrAppend(&out, "?", raw_query);
    if (!fragment.empty()) StrAppend(&out, "#", raw_fragment);
    return out;
  }
};

bool ParseHost(std::string_view host, std::string* out, std::string* error) {
  if (!host.empty() && host[0] == '[') {
    size_t i = host.rfind(']');
    if (i == std::string_view::npos) {
      *error = "missing ']' in host";
      return false;
    }
    std::string_view colon_port = host.substr(i + 1);
    if (!ValidOptionalPort(colon_port)) {
      *error = StrCat("invalid port ", GoQuote(colon_port), " after host");
      return false;
    }
  } else if (size_t i = host.rfind(':'); i != std::string_view::npos) {
    std::string_view colon_port = host.substr(i);
    if (!ValidOptionalPort(colon_port)) {
      *error = StrCat("invalid port ", GoQuote(colon_port), " after host");
      return false;
    }
  }
  return Unescape(host, UrlEncoding::kHost, out, error);
}

bool ValidUserinfo(std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (IsAlnum(c)) continue;
    switch (c) {
      case '-':
      case '.':
      case '_':
      case ':':
      case '~':
      case '!':
      case '$':
      case '&':
      case '\'':
      case '(':
      case ')':
      case '*':
      case '+':
      case ',':
      case ';':
      case '=':
      case '%':
      case '@':
        continue;
      default:
        return false;
    }
  }
  return true;
}

bool ParseAuthority(std::string_view authority, ParsedUrl* u, std::string* error) {
  size_t at = authority.rfind('@');
  std::string_view host = at == std::string_view::npos ? authority : authority.substr(at + 1);
  if (!ParseHost(host, &u->host, error)) return false;
  if (at == std::string_view::npos) return true;
  std::string_view userinfo = authority.substr(0, at);
  if (!ValidUserinfo(userinfo)) {
    *error = "net/url: invalid userinfo";
    return false;
  }
  std::string unused;
  size_t colon = userinfo.find(':');
  if (!Unescape(userinfo.substr(0, colon), UrlEncoding::kUserPassword, &unused, error)) {
    return false;
  }
  if (colon != std::string_view::npos &&
      !Unescape(userinfo.substr(colon + 1), UrlEncoding::kUserPassword, &unused, error)) {
    return false;
  }
  u->has_user = true;
  u->user = std::string(userinfo);
  return true;
}

// Go's url.parse(rawURL, viaRequest) without the "parse %q: " wrapping.
bool ParseUrlInternal(std::string_view raw, bool via_request, ParsedUrl* u, std::string* error) {
  for (char c : raw) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      *error = "net/url: invalid control character in URL";
      return false;
    }
  }
  if (raw.empty() && via_request) {
    *error = "empty url";
    return false;
  }
  if (raw == "*") {
    u->path = "*";
    return true;
  }
  std::string_view rest = raw;
  for (size_t i = 0; i < raw.size(); ++i) {
    auto c = static_cast<unsigned char>(raw[i]);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) {
        *error = "missing protocol scheme";
        return false;
      }
      u->scheme = std::string(raw.substr(0, i));
      for (char& ch : u->scheme) {
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      }
      rest = raw.substr(i + 1);
    }
    break;
  }
  if (!rest.empty() && rest.back() == '?' && std::count(rest.begin(), rest.end(), '?') == 1) {
    u->force_query = true;
    rest.remove_suffix(1);
  } else if (size_t q = rest.find('?'); q != std::string_view::npos) {
    u->raw_query = std::string(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  if (rest.empty() || rest[0] != '/') {
    if (!u->scheme.empty()) {
      u->opaque = std::string(rest);
      return true;
    }
    if (via_request) {
      *error = "invalid URI for request";
      return false;
    }
    std::string_view segment = rest.substr(0, rest.find('/'));
    if (segment.find(':') != std::string_view::npos) {
      *error = "first path segment in URL cannot contain colon";
      return false;
    }
  }
  if ((!u->scheme.empty() || (!via_request && !rest.starts_with("///"))) &&
      rest.starts_with("//")) {
    std::string_view authority = rest.substr(2);
    rest = std::string_view();
    if (size_t slash = authority.find('/'); slash != std::string_view::npos) {
      rest = authority.substr(slash);
      authority = authority.substr(0, slash);
    }
    if (!ParseAuthority(authority, u, error)) return false;
  } else if (!u->scheme.empty() && rest.starts_with("/")) {
    u->omit_host = true;
  }
  if (!Unescape(rest, UrlEncoding::kPath, &u->path, error)) return false;
  u->raw_path = Escape(u->path, UrlEncoding::kPath) == rest ? "" : std::string(rest);
  return true;
}

// url.ParseRequestURI.
bool ParseRequestUri(std::string_view raw, ParsedUrl* u, std::string* error) {
  std::string e;
  if (ParseUrlInternal(raw, /*via_request=*/true, u, &e)) return true;
  *error = StrCat("parse ", GoQuote(raw), ": ", e);
  return false;
}

// url.Parse (splits off the fragment).
bool ParseUrl(std::string_view raw, ParsedUrl* u, std::string* error) {
  size_t hash = raw.find('#');
  std::string_view head = raw.substr(0, hash);
  std::string e;
  if (!ParseUrlInternal(head, /*via_request=*/false, u, &e)) {
    *error = StrCat("parse ", GoQuote(head), ": ", e);
    return false;
  }
  if (hash == std::string_view::npos) return true;
  std::string_view frag = raw.substr(hash + 1);
  if (!Unescape(frag, UrlEncoding::kFragment, &u->fragment, &e)) {
    *error = StrCat("parse ", GoQuote(raw), ": ", e);
    return false;
  }
  u->raw_fragment = std::string(frag);
  return true;
}

class UrlObject final : public OpaqueValue {
 public:
  explicit UrlObject(ParsedUrl url) : url_(std::move(url)) {}
  std::string_view TypeName() const override { return kUrlTypeName; }
  Value Equal(const Value& other) const override {
    if (other.IsError()) return other;
    const UrlObject* o = Cast(other);
    if (o == nullptr) return ErrNoSuchOverload();
    return Value::Bool(url_.ToString() == o->url_.ToString());
  }
  std::string DebugString() const override { return url_.ToString(); }
  const void* TypeId() const override { return &kTypeId; }
  const ParsedUrl& url() const { return url_; }

  static const UrlObject* Cast(const Value& v) {
    if (v.kind() != K::kOpaque || v.opaque().TypeId() != &kTypeId) return nullptr;
    return static_cast<const UrlObject*>(&v.opaque());
  }

 private:
  static constexpr char kTypeId = 0;
  ParsedUrl url_;
};

const ParsedUrl& UrlOf(const Value& v) { return UrlObject::Cast(v)->url(); }

Value UrlFromString(Args a) {
  std::string_view s = a[0].string_view();
  ParsedUrl check;
  std::string error;
  if (!ParseRequestUri(s, &check, &error)) {
    return Value::Error(StrCat("URL parse error during conversion from string: ", error));
  }
  ParsedUrl u;
  if (!ParseUrl(s, &u, &error)) {
    return Value::Error(StrCat("URL parse error during conversion from string: ", error));
  }
  return Value::Opaque(MakeRef<UrlObject>(std::move(u)));
}
Value IsUrl(Args a) {
  ParsedUrl u;
  std::string error;
  return Value::Bool(ParseRequestUri(a[0].string_view(), &u, &error));
}
Value UrlGetScheme(Args a) { return Value::String(UrlOf(a[0]).scheme); }
Value UrlGetHost(Args a) { return Value::String(UrlOf(a[0]).host); }

// Go's splitHostPort as URL.Hostname() and URL.Port() use it.
std::pair<std::string_view, std::string_view> SplitHostPort(std::string_view host_port) {
  std::string_view host = host_port;
  std::string_view port;
  size_t colon = host.rfind(':');
  if (colon != std::string_view::npos && ValidOptionalPort(host.substr(colon))) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return {host, port};
}
Value UrlGetHostname(Args a) { return Value::String(SplitHostPort(UrlOf(a[0]).host).first); }
Value UrlGetPort(Args a) { return Value::String(SplitHostPort(UrlOf(a[0]).host).second); }
Value UrlGetEscapedPath(Args a) { return Value::String(UrlOf(a[0]).EscapedPath()); }

// Go's url.ParseQuery, ignoring the pairs it reports errors for.
Value UrlGetQuery(Args a) {
  std::vector<std::pair<std::string, std::vector<std::string>>> entries;
  std::string_view query = UrlOf(a[0]).raw_query;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.find(';') != std::string_view::npos || pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key, value, error;
    if (!Unescape(pair.substr(0, eq), UrlEncoding::kQueryComponent, &key, &error)) continue;
    if (eq != std::string_view::npos &&
        !Unescape(pair.substr(eq + 1), UrlEncoding::kQueryComponent, &value, &error)) {
      continue;
    }
    auto it =
        std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.first == key; });
    if (it == entries.end()) {
      entries.emplace_back(std::move(key), std::vector<std::string>{std::move(value)});
    } else {
      it->second.push_back(std::move(value));
    }
  }
  auto map = MakeRef<VectorMapValue>();
  for (auto& [key, values] : entries) map->Put(Value::String(key), StringList(std::move(values)));
  return Value::Map(std::move(map));
}

// --- Named formats -------------------------------------------------------------------------------

constexpr std::string_view kDns1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
constexpr std::string_view kDns1035LabelErrMsg =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character";

bool FullMatch(std::string_view s, std::string_view pattern) {
  const RE2* re = CompiledPattern(pattern);
  return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), *re);
}

// apimachinery's validation.RegexError.
std::string RegexError(std::string_view msg, std::string_view fmt,
                       std::initializer_list<std::string_view> examples) {
  std::string out(msg);
  if (examples.size() == 0) return StrCat(out, " (regex used for validation is '", fmt, "')");
  out += " (e.g. ";
  bool first = true;
  for (std::string_view e : examples) {
    if (!first) out += " or ";
    first = false;
    StrAppend(&out, "'", e, "', ");
  }
  StrAppend(&out, "regex used for validation is '", fmt, "')");
  return out;
}
std::string MaxLenError(int n) { return StrCat("must be no more than ", n, " characters"); }

std::vector<std::string> IsDns1035Label(std::string_view v) {
  std::vector<std::string> errs;
  if (v.size() > 63) errs.push_back(MaxLenError(63));
  if (!FullMatch(v, kDns1035LabelFmt)) {
    errs.push_back(RegexError(kDns1035LabelErrMsg, kDns1035LabelFmt, {"my-name", "abc-123"}));
  }
  return errs;
}
// The name formats the API validation also checks: one implementation (dra/api/validation).
std::vector<std::string> IsDns1123Label(std::string_view v) { return api::IsDNS1123Label(v); }
std::vector<std::string> IsDns1123Subdomain(std::string_view v) {
  return api::IsDNS1123Subdomain(v);
}
std::vector<std::string> IsQualifiedName(std::string_view v) { return api::IsQualifiedName(v); }
std::vector<std::string> IsLabelValue(std::string_view v) { return api::IsValidLabelValue(v); }

// apimachinery's maskTrailingDash, used for the *Prefix formats (generateName prefixes).
std::string MaskTrailingDash(std::string_view name) {
  if (name.size() > 1 && name.back() == '-') {
    return StrCat(name.substr(0, name.size() - 2), "a");
  }
  return std::string(name);
}
std::vector<std::string> IsUri(std::string_view v) {
  ParsedUrl u;
  std::string error;
  if (ParseRequestUri(v, &u, &error)) return {};
  return {error};
}
std::vector<std::string> IsUuid(std::string_view v) {
  if (FullMatch(v,
                "(?i)(^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$)|"
                "(^[0-9a-f]{32}$)")) {
    return {};
  }
  return {"does not match the UUID format"};
}
// Go's base64.StdEncoding.DecodeString succeeds (padding required; CR and LF ignored).
bool IsStdBase64(std::string_view v) {
  std::string s;
  for (char c : v) {
    if (c != '\r' && c != '\n') s.push_back(c);
  }
  if (s.size() % 4 != 0) return false;
  size_t pad = 0;
  while (pad < 2 && pad < s.size() && s[s.size() - 1 - pad] == '=') ++pad;
  for (size_t i = 0; i < s.size() - pad; ++i) {
    char c = s[i];
    if (!IsAlnum(static_cast<unsigned char>(c)) && c != '+' && c != '/') return false;
  }
  return true;
}
std::vector<std::string> IsByte(std::string_view v) {
  if (IsStdBase64(v)) return {};
  return {"invalid base64"};
}
// time.Parse("2006-01-02", s) succeeds.
bool IsFullDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  int day = (s[8] - '0') * 10 + (s[9] - '0');
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max_day = kDays[month - 1];
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && leap) max_day = 29;
  return day <= max_day;
}
std::vector<std::string> IsDate(std::string_view v) {
  if (IsFullDate(v)) return {};
  return {"invalid date"};
}
// kube-openapi strfmt IsDateTime: a full date, 't', then a time matching its pattern.
std::vector<std::string> IsDateTime(std::string_view v) {
  std::string lower(v);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  bool ok = false;
  size_t t = lower.find('t');
  if (lower.size() >= 4 && t != std::string::npos &&
      IsFullDate(std::string_view(lower).substr(0, t))) {
    std::string_view rest = std::string_view(lower).substr(t + 1);
    rest = rest.substr(0, rest.find('t'));
    std::string hh, mm, ss;
    if (RE2::PartialMatch(
            re2::StringPiece(rest.data(), rest.size()),
            *CompiledPattern(
                "^([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.[0-9]+)?(?:z|[+-][0-9]{2}:[0-9]{2})$"),
            &hh, &mm, &ss)) {
      ok = hh <= "23" && mm <= "59" && ss <= "59";
    }
  }
  if (ok) return {};
  return {"invalid datetime"};
}

using FormatValidator = std::vector<std::string> (*)(std::string_view);

struct NamedFormat {
  std::string_view key;   // as in format.named() and format.<key>()
  std::string_view name;  // Format.Name, used by ==
  FormatValidator validate;
};

std::vector<std::string> ValidateDns1123LabelPrefix(std::string_view v) {
  return IsDns1123Label(MaskTrailingDash(v));
}
std::vector<std::string> ValidateDns1123SubdomainPrefix(std::string_view v) {
  return IsDns1123Subdomain(MaskTrailingDash(v));
}
std::vector<std::string> ValidateDns1035LabelPrefix(std::string_view v) {
  return IsDns1035Label(MaskTrailingDash(v));
}

constexpr NamedFormat kFormats[] = {
    {"dns1123Label", "DNS1123Label", IsDns1123Label},
    {"dns1123Subdomain", "DNS1123Subdomain", IsDns1123Subdomain},
    {"dns1035Label", "DNS1035Label", IsDns1035Label},
    {"qualifiedName", "QualifiedName", IsQualifiedName},
    {"dns1123LabelPrefix", "DNS1123LabelPrefix", ValidateDns1123LabelPrefix},
    {"dns1123SubdomainPrefix", "DNS1123SubdomainPrefix", ValidateDns1123SubdomainPrefix},
    {"dns1035LabelPrefix", "DNS1035LabelPrefix", ValidateDns1035LabelPrefix},
    {"labelValue", "LabelValue", IsLabelValue},
    {"uri", "URI", IsUri},
    {"uuid", "uuid", IsUuid},
    {"byte", "byte", IsByte},
    {"date", "date", IsDate},
    {"datetime", "datetime", IsDateTime},
};
constexpr size_t kNumFormats = sizeof(kFormats) / sizeof(kFormats[0]);

// One static object per named format (borrowed by the values, never freed).
class FormatObject final : public OpaqueValue {
 public:
  explicit FormatObject(const NamedFormat* format) : format_(format) {}
  std::string_view TypeName() const override { return kFormatTypeName; }
  Value Equal(const Value& other) const override {
    if (other.IsError()) return other;
    const FormatObject* o = Cast(other);
    if (o == nullptr) return ErrNoSuchOverload();
    return Value::Bool(format_->name == o->format_->name);
  }
  std::string DebugString() const override { return StrCat("format.", format_->key, "()"); }
  const void* TypeId() const override { return &kTypeId; }
  const NamedFormat& format() const { return *format_; }

  static const FormatObject* Cast(const Value& v) {
    if (v.kind() != K::kOpaque || v.opaque().TypeId() != &kTypeId) return nullptr;
    return static_cast<const FormatObject*>(&v.opaque());
  }

 private:
  static constexpr char kTypeId = 0;
  const NamedFormat* format_;
};

const FormatObject& FormatAt(size_t i) {
  static const std::vector<const FormatObject*>* const kObjects = [] {
    auto* v = new std::vector<const FormatObject*>();
    for (const NamedFormat& f : kFormats) v->push_back(new FormatObject(&f));
    return v;
  }();
  return *(*kObjects)[i];
}

template <size_t I>
Value FormatConstant(Args) {
  return Value::OpaqueView(&FormatAt(I));
}

template <size_t... I>
constexpr std::array<FunctionImpl, sizeof...(I)> MakeFormatConstants(std::index_sequence<I...>) {
  return {&FormatConstant<I>...};
}
constexpr auto kFormatConstants = MakeFormatConstants(std::make_index_sequence<kNumFormats>());

Value FormatNamed(Args a) {
  for (size_t i = 0; i < kNumFormats; ++i) {
    if (kFormats[i].key == a[0].string_view()) {
      return Value::OptionalOf(Value::OpaqueView(&FormatAt(i)));
    }
  }
  return Value::OptionalNone();
}

Value FormatValidate(Args a) {
  const FormatObject* f = FormatObject::Cast(a[0]);
  std::vector<std::string> errs = f->format().validate(a[1].string_view());
  if (errs.empty()) return Value::OptionalNone();
  return Value::OptionalOf(StringList(std::move(errs)));
}

}  // namespace

absl::Status RegisterKubernetesLibraries(FunctionRegistry* registry) {
  constexpr CallStyle G = CallStyle::kGlobal;
  constexpr CallStyle R = CallStyle::kReceiver;
  absl::Status status;
  auto add = [&](std::string_view name, CallStyle style, std::vector<ArgType> args,
                 FunctionImpl impl, CostFunction cost = nullptr) {
    if (status.ok()) status = registry->Add(name, style, std::move(args), impl, cost);
  };
  const ArgType str = A(K::kString);
  const ArgType list = A(K::kList);
  const ArgType integer = A(K::kInt);

  // Quantity. sign() is global only, as upstream declares it.
  add("quantity", G, {str}, QuantityFromString, StringArgCost);
  add("isQuantity", G, {str}, IsQuantity, StringArgCost);
  add("sign", G, {Q()}, QuantitySign);
  add("isGreaterThan", R, {Q(), Q()}, QuantityIsGreaterThan);
  add("isLessThan", R, {Q(), Q()}, QuantityIsLessThan);
  add("compareTo", R, {Q(), Q()}, QuantityCompareTo);
  add("asApproximateFloat", R, {Q()}, QuantityAsApproximateFloat);
  add("asInteger", R, {Q()}, QuantityAsInteger);
  add("isInteger", R, {Q()}, QuantityIsInteger);
  add("add", R, {Q(), Q()}, QuantityAdd);
  add("add", R, {Q(), integer}, QuantityAddInt);
  add("sub", R, {Q(), Q()}, QuantitySub);
  add("sub", R, {Q(), integer}, QuantitySubInt);

  // Semver (library version 1: normalize overloads).
  add("semver", G, {str}, SemverFromString, StringArgCost);
  add("semver", G, {str, A(K::kBool)}, SemverFromString, StringArgCost);
  add("isSemver", G, {str}, IsSemver, StringArgCost);
  add("isSemver", G, {str, A(K::kBool)}, IsSemver, StringArgCost);
  add("isGreaterThan", R, {S(), S()}, SemverIsGreaterThan);
  add("isLessThan", R, {S(), S()}, SemverIsLessThan);
  add("compareTo", R, {S(), S()}, SemverCompareTo);
  add("major", R, {S()}, SemverMajor);
  add("minor", R, {S()}, SemverMinor);
  add("patch", R, {S()}, SemverPatch);

  // Kubernetes lists.
  add("isSorted", R, {list}, ListIsSorted, ListSizeCost);
  add("sum", R, {list}, ListSum, ListSizeCost);
  add("min", R, {list}, ListMin, ListSizeCost);
  add("max", R, {list}, ListMax, ListSizeCost);
  add("indexOf", R, {list, ArgType::Any()}, ListIndexOf, ListSizeCost);
  add("lastIndexOf", R, {list, ArgType::Any()}, ListLastIndexOf, ListSizeCost);

  // cel-go lists extension, version 3.
  add("slice", R, {list, integer, integer}, ListSlice, ListSizeCost);
  add("flatten", R, {list}, ListFlatten, ListSizeCost);
  add("flatten", R, {list, integer}, ListFlatten, ListSizeCost);
  add("sort", R, {list}, ListSort, SquareCost);
  add("@sortByAssociatedKeys", R, {list, list}, ListSortByAssociatedKeys, SquareCost);
  add("lists.range", G, {integer}, ListsRange);
  add("reverse", R, {list}, ListReverse, ListSizeCost);
  add("distinct", R, {list}, ListDistinct, SquareCost);

  // Sets extension.
  add("sets.contains", G, {list, list}, SetsContains, TwoListCost);
  add("sets.equivalent", G, {list, list}, SetsEquivalent, TwoListCost);
  add("sets.intersects", G, {list, list}, SetsIntersects, TwoListCost);

  // Regex.
  add("find", R, {str, str}, Find, RegexCost);
  add("findAll", R, {str, str}, FindAllFn, RegexCost);
  add("findAll", R, {str, str, integer}, FindAllFn, RegexCost);

  // URLs.
  const ArgType url = ArgType::Opaque(kUrlTypeName);
  add("url", G, {str}, UrlFromString, StringArgCost);
  add("isURL", G, {str}, IsUrl, StringArgCost);
  add("getScheme", R, {url}, UrlGetScheme);
  add("getHost", R, {url}, UrlGetHost);
  add("getHostname", R, {url}, UrlGetHostname);
  add("getPort", R, {url}, UrlGetPort);
  add("getEscapedPath", R, {url}, UrlGetEscapedPath);
  add("getQuery", R, {url}, UrlGetQuery);

  // Named formats.
  add("format.named", G, {str}, FormatNamed);
  add("validate", R, {ArgType::Opaque(kFormatTypeName), str}, FormatValidate, StringArgCost);
  for (size_t i = 0; i < kNumFormats; ++i) {
    add(StrCat("format.", kFormats[i].key), G, {}, kFormatConstants[i]);
  }
  return status;
}

}  // namespace dra::cel
