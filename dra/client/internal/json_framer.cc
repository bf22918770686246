#include "dra/client/internal/json_framer.h"

#include <utility>

namespace dra::client::internal {

bool JsonFramer::Feed(std::string_view data, std::vector<std::string>* out) {
  if (failed_) return false;
  size_t start = 0;  // start of the not-yet-copied part of `data` within a value
  for (size_t i = 0; i < data.size(); ++i) {
    char c = data[i];
    if (depth_ == 0) {
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
      if (c != '{' && c != '[') {
        failed_ = true;
        return false;
      }
      depth_ = 1;
      start = i;
      continue;
    }
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        in_string_ = false;
      }
      continue;
    }
    if (c == '"') {
      in_string_ = true;
    } else if (c == '{' || c == '[') {
      ++depth_;
    } else if (c == '}' || c == ']') {
      if (--depth_ == 0) {
        current_.append(data.substr(start, i + 1 - start));
        out->push_back(std::move(current_));
        current_.clear();
      }
    }
  }
  if (depth_ > 0) {
    // The value continues in the next chunk. `start` is 0 when it began in an earlier chunk.
    current_.append(data.substr(start));
  }
  return true;
}

}  // namespace dra::client::internal
