// Splits a byte stream of concatenated JSON values (a watch response body) into whole values,
// however the bytes are chunked. Whitespace between values (the newlines kube-apiserver writes
// after each event and the keepalive newlines dra writes) is skipped.
//
// Thread-compatible.
#ifndef DRA_CLIENT_INTERNAL_JSON_FRAMER_H_
#define DRA_CLIENT_INTERNAL_JSON_FRAMER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dra::client::internal {

class JsonFramer {
 public:
  // Appends `data` and moves every value completed by it into *out (in order). Only objects and
  // arrays are framed; a stray scalar byte outside a value makes the framer fail (returns false,
  // and stays failed).
  bool Feed(std::string_view data, std::vector<std::string>* out);

  // Bytes of an incomplete value held back.
  size_t buffered() const { return current_.size(); }

 private:
  std::string current_;
  int depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
  bool failed_ = false;
};

}  // namespace dra::client::internal

#endif  // DRA_CLIENT_INTERNAL_JSON_FRAMER_H_
