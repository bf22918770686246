// Field-scoped errors, as k8s.io/apimachinery/pkg/util/validation/field reports them.
//
// Decoding (unknown, duplicate and mistyped fields) and validation both produce a FieldErrorList;
// FieldError::ToString() renders exactly as upstream's field.Error.Error():
//   spec.devices.requests[0].name: Required value
//   spec.devices.requests[0].exactly.allocationMode: Unsupported value: "Some": supported values:
//   "All", "ExactCount"
// Thread-compatible value types.
#ifndef DRA_API_FIELD_ERROR_H_
#define DRA_API_FIELD_ERROR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dra::api {

// A field path such as `spec.devices.requests[0].exactly`, built by appending children.
class FieldPath {
 public:
  FieldPath() = default;
  explicit FieldPath(std::string root) : path_(std::move(root)) {}
  FieldPath Child(std::string_view name) const;
  FieldPath Index(int64_t i) const;
  // Map keys as upstream prints them: `attributes[gpu.nvidia.com/model]`.
  FieldPath Key(std::string_view key) const;
  const std::string& str() const { return path_; }
  bool empty() const { return path_.empty(); }

 private:
  std::string path_;
};

struct FieldError {
  enum class Type {
    kNotFound,
    kRequired,
    kDuplicate,
    kInvalid,
    kNotSupported,
    kForbidden,
    kTooLong,
    kTooMany,
    kInternal,
    kTypeInvalid,
    // Decoding only: a field the schema does not have (strict decoding), or a field given twice.
    kUnknownField,
    kDuplicateField,
  };

  Type type = Type::kInvalid;
  std::string field;
  // The offending value, already rendered as upstream renders it (strings quoted), or nullopt
  // when the message carries no value.
  std::optional<std::string> bad_value;
  std::string detail;

  // Upstream's text, e.g. `metadata.name: Invalid value: "A": a lowercase RFC 1123 ...`.
  std::string ToString() const;
  // Upstream's reason for the Status cause: "FieldValueInvalid", "FieldValueRequired", ...
  std::string_view Reason() const;

  friend bool operator==(const FieldError&, const FieldError&) = default;
};

using FieldErrorList = std::vector<FieldError>;

// Renders a value as upstream prints bad values: strings in Go %q quoting, numbers and booleans
// bare.
std::string QuoteValue(std::string_view s);

FieldError RequiredError(const FieldPath& path, std::string detail = "");
FieldError InvalidError(const FieldPath& path, std::string rendered_value, std::string detail);
FieldError InvalidStringError(const FieldPath& path, std::string_view value, std::string detail);
FieldError NotSupportedError(const FieldPath& path, std::string_view value,
                             const std::vector<std::string>& supported);
FieldError DuplicateError(const FieldPath& path, std::string rendered_value);
FieldError ForbiddenError(const FieldPath& path, std::string detail);
FieldError TooLongError(const FieldPath& path, int64_t max_length);
FieldError TooManyError(const FieldPath& path, int64_t actual, int64_t max);
FieldError InternalError(const FieldPath& path, std::string detail);

// "a; b; c" joining of ToString() results, for one-line summaries.
std::string JoinFieldErrors(const FieldErrorList& errors, std::string_view separator = "; ");

}  // namespace dra::api

#endif  // DRA_API_FIELD_ERROR_H_
