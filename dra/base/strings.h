// String helpers that accept std::string_view.
//
// Debian's abseil is built with its own absl::string_view (ABSL_OPTION_USE_STD_STRING_VIEW 0),
// which std::string_view does not convert to, so absl::StrCat and friends cannot take the
// std::string_view values our code passes around. These small equivalents can. Pieces may be
// std::string, std::string_view, absl::string_view, const char*, integers and doubles.
//
// Stateless functions; thread-safe.
#ifndef DRA_BASE_STRINGS_H_
#define DRA_BASE_STRINGS_H_

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace dra {
namespace strings_internal {

inline void AppendPiece(std::string& out, std::string_view s) { out.append(s); }
inline void AppendPiece(std::string& out, const char* s) { out.append(s); }
inline void AppendPiece(std::string& out, const std::string& s) { out.append(s); }
inline void AppendPiece(std::string& out, absl::string_view s) { out.append(s.data(), s.size()); }
template <typename T>
requires(std::integral<T> && !std::same_as<T, bool> &&
         !std::same_as<T, char>) void AppendPiece(std::string& out, T v) {
  out.append(std::to_string(v));
}
void AppendDouble(std::string& out, double v);
// Appends prefix and `value` as `digits` lowercase hex digits.
void AppendHex(std::string& out, std::string_view prefix, uint32_t value, int digits);
inline void AppendPiece(std::string& out, double v) { AppendDouble(out, v); }

}  // namespace strings_internal

template <typename... Args>
void StrAppend(std::string* out, const Args&... args) {
  (strings_internal::AppendPiece(*out, args), ...);
}

template <typename... Args>
std::string StrCat(const Args&... args) {
  std::string out;
  StrAppend(&out, args...);
  return out;
}

inline bool StrContains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// Replaces every occurrence of each `from` with its `to`, left to right, in one pass.
std::string StrReplaceAll(
    std::string_view s,
    std::initializer_list<std::pair<std::string_view, std::string_view>> replacements);

std::string StrJoin(const std::vector<std::string>& parts, std::string_view separator);

// Decodes one UTF-8 sequence at s[i] (i < s.size()) into *rune; returns its length in bytes, or
// 0 when the bytes there are not well-formed UTF-8 (overlong forms and surrogates included).
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t* rune);

// Go's %q (strconv.Quote) of a string, as Kubernetes prints values in error messages: printable
// characters as they are, \a \b \f \n \r \t \v \\ \", \xNN for control bytes and invalid UTF-8,
// \uNNNN for non-printing code points.
std::string GoQuote(std::string_view s);

}  // namespace dra

#endif  // DRA_BASE_STRINGS_H_
