// JSON reading and writing of generic Value trees.
//
// Stateless functions; thread-safe.
#ifndef DRA_API_CODEC_JSON_H_
#define DRA_API_CODEC_JSON_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "dra/api/value.h"

namespace dra::api {

// Parses one JSON document. Duplicate keys in an object are an error naming the key path
// (`json: duplicate field "spec.driver"`), as the API server's strict decoding reports them.
// Errors carry line and column.
absl::StatusOr<Value> ParseJson(std::string_view text);

// Parses a stream of concatenated JSON documents (e.g. `{...}\n{...}`), as kubectl accepts.
absl::StatusOr<std::vector<Value>> ParseJsonStream(std::string_view text);

// Writes compact JSON when indent == 0, else pretty-printed with that many spaces per level.
// Object members are written in the Value's order.
std::string WriteJson(const Value& value, int indent = 0);

// Appends `s` as a quoted JSON string.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace dra::api

#endif  // DRA_API_CODEC_JSON_H_
