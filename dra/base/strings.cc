#include "dra/base/strings.h"

#include <cstdio>
#include <cstdlib>

namespace dra {
namespace strings_internal {

void AppendDouble(std::string& out, double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  // Shortest form that reads back: try fewer digits first.
  for (int precision = 1; precision <= 17; ++precision) {
    char trial[32];
    std::snprintf(trial, sizeof(trial), "%.*g", precision, v);
    if (std::strtod(trial, nullptr) == v) {
      out.append(trial);
      return;
    }
  }
  out.append(buf);
}

}  // namespace strings_internal

std::string StrReplaceAll(
    std::string_view s,
    std::initializer_list<std::pair<std::string_view, std::string_view>> replacements) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    bool replaced = false;
    for (const auto& [from, to] : replacements) {
      if (!from.empty() && s.substr(i, from.size()) == from) {
        out.append(to);
        i += from.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(s[i++]);
  }
  return out;
}

std::string StrJoin(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out.append(separator);
    out.append(parts[i]);
  }
  return out;
}

}  // namespace dra
