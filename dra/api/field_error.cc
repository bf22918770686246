#include "dra/api/field_error.h"

#include "dra/base/strings.h"

namespace dra::api {

FieldPath FieldPath::Child(std::string_view name) const {
  if (path_.empty()) return FieldPath(std::string(name));
  return FieldPath(dra::StrCat(path_, ".", name));
}

FieldPath FieldPath::Index(int64_t i) const { return FieldPath(dra::StrCat(path_, "[", i, "]")); }

FieldPath FieldPath::Key(std::string_view key) const {
  return FieldPath(dra::StrCat(path_, "[", key, "]"));
}

std::string QuoteValue(std::string_view s) { return GoQuote(s); }

namespace {

std::string_view TypeText(FieldError::Type type) {
  switch (type) {
    case FieldError::Type::kNotFound:
      return "Not found";
    case FieldError::Type::kRequired:
      return "Required value";
    case FieldError::Type::kDuplicate:
      return "Duplicate value";
    case FieldError::Type::kInvalid:
    case FieldError::Type::kTypeInvalid:
      return "Invalid value";
    case FieldError::Type::kNotSupported:
      return "Unsupported value";
    case FieldError::Type::kForbidden:
      return "Forbidden";
    case FieldError::Type::kTooLong:
      return "Too long";
    case FieldError::Type::kTooMany:
      return "Too many";
    case FieldError::Type::kInternal:
      return "Internal error";
    case FieldError::Type::kUnknownField:
      return "unknown field";
    case FieldError::Type::kDuplicateField:
      return "duplicate field";
  }
  return "Invalid value";
}

}  // namespace

std::string FieldError::ToString() const {
  if (type == Type::kUnknownField || type == Type::kDuplicateField) {
    // Strict decoding's wording: `unknown field "spec.foo"`.
    std::string s = dra::StrCat(TypeText(type), " ", QuoteValue(field));
    if (!detail.empty()) dra::StrAppend(&s, ": ", detail);
    return s;
  }
  std::string s = dra::StrCat(field, ": ", TypeText(type));
  if (bad_value.has_value()) dra::StrAppend(&s, ": ", *bad_value);
  if (!detail.empty()) dra::StrAppend(&s, ": ", detail);
  return s;
}

std::string_view FieldError::Reason() const {
  switch (type) {
    case Type::kNotFound:
      return "FieldValueNotFound";
    case Type::kRequired:
      return "FieldValueRequired";
    case Type::kDuplicate:
    case Type::kDuplicateField:
      return "FieldValueDuplicate";
    case Type::kInvalid:
      return "FieldValueInvalid";
    case Type::kNotSupported:
      return "FieldValueNotSupported";
    case Type::kForbidden:
      return "FieldValueForbidden";
    case Type::kTooLong:
      return "FieldValueTooLong";
    case Type::kTooMany:
      return "FieldValueTooMany";
    case Type::kInternal:
      return "InternalError";
    case Type::kTypeInvalid:
      return "FieldValueTypeInvalid";
    case Type::kUnknownField:
      return "FieldValueUnknown";
  }
  return "FieldValueInvalid";
}

FieldError RequiredError(const FieldPath& path, std::string detail) {
  return FieldError{FieldError::Type::kRequired, path.str(), std::nullopt, std::move(detail)};
}

FieldError InvalidError(const FieldPath& path, std::string rendered_value, std::string detail) {
  return FieldError{FieldError::Type::kInvalid, path.str(), std::move(rendered_value),
                    std::move(detail)};
}

FieldError InvalidStringError(const FieldPath& path, std::string_view value, std::string detail) {
  return InvalidError(path, QuoteValue(value), std::move(detail));
}

FieldError NotSupportedError(const FieldPath& path, std::string_view value,
                             const std::vector<std::string>& supported) {
  std::vector<std::string> quoted;
  quoted.reserve(supported.size());
  for (const auto& s : supported) quoted.push_back(QuoteValue(s));
  std::string detail;
  if (!quoted.empty()) detail = dra::StrCat("supported values: ", dra::StrJoin(quoted, ", "));
  return FieldError{FieldError::Type::kNotSupported, path.str(), QuoteValue(value),
                    std::move(detail)};
}

FieldError DuplicateError(const FieldPath& path, std::string rendered_value) {
  return FieldError{FieldError::Type::kDuplicate, path.str(), std::move(rendered_value), ""};
}

FieldError ForbiddenError(const FieldPath& path, std::string detail) {
  return FieldError{FieldError::Type::kForbidden, path.str(), std::nullopt, std::move(detail)};
}

FieldError TooLongError(const FieldPath& path, int64_t max_length) {
  return FieldError{
      FieldError::Type::kTooLong, path.str(), std::nullopt,
      dra::StrCat("may not be more than ", max_length, max_length == 1 ? " byte" : " bytes")};
}

FieldError TooManyError(const FieldPath& path, int64_t actual, int64_t max) {
  return FieldError{FieldError::Type::kTooMany, path.str(), dra::StrCat(actual),
                    dra::StrCat("must have at most ", max, " items")};
}

FieldError InternalError(const FieldPath& path, std::string detail) {
  return FieldError{FieldError::Type::kInternal, path.str(), std::nullopt, std::move(detail)};
}

std::string JoinFieldErrors(const FieldErrorList& errors, std::string_view separator) {
  std::vector<std::string> parts;
  parts.reserve(errors.size());
  for (const auto& e : errors) parts.push_back(e.ToString());
  return dra::StrJoin(parts, separator);
}

}  // namespace dra::api
