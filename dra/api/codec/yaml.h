// YAML reading and writing of generic Value trees, with kubectl's (YAML 1.1) scalar rules.
//
// Reading resolves plain scalars as kubectl's YAML-to-JSON conversion does (go-yaml v2, YAML 1.1):
// y/Y/yes/on/true -> true, n/N/no/off/false -> false, ~/null/empty -> null, 0x1F/0777/1_000 ->
// integers, 1.5e3/.inf -> floats; quoted scalars are always strings. The plain text is kept on
// the Value so that a later type error can say why (`unquoted Y is a boolean in YAML 1.1`).
// Duplicate keys, anchors/aliases and merge keys (<<) are handled; errors carry line and column.
//
// Writing produces block-style YAML in kubectl's layout, quoting every string that a YAML 1.1
// reader would otherwise take for another type, so that output always reads back identically.
//
// Stateless functions; thread-safe.
#ifndef DRA_API_CODEC_YAML_H_
#define DRA_API_CODEC_YAML_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "dra/api/value.h"

namespace dra::api {

// Parses every document of a (multi-document) YAML stream. Empty documents are dropped.
absl::StatusOr<std::vector<Value>> ParseYamlDocuments(std::string_view text);

// Writes one document (no leading `---`).
std::string WriteYaml(const Value& value);

// Writes several documents separated by `---` lines.
std::string WriteYamlDocuments(const std::vector<Value>& values);

}  // namespace dra::api

#endif  // DRA_API_CODEC_YAML_H_
