// SourceInfo::LineColumn, declared in dra/cel/ast.h.
#include <algorithm>
#include <utility>

#include "dra/cel/ast.h"

namespace dra::cel {

std::pair<int32_t, int32_t> SourceInfo::LineColumn(int32_t offset) const {
  auto it = std::upper_bound(line_offsets.begin(), line_offsets.end(), offset);
  int32_t line = static_cast<int32_t>(it - line_offsets.begin()) + 1;
  int32_t start = it == line_offsets.begin() ? 0 : *(it - 1);
  return {line, offset - start + 1};
}

}  // namespace dra::cel
