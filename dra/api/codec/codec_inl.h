// Template definitions for codec.h. Include codec.h, not this file.
#ifndef DRA_API_CODEC_CODEC_INL_H_
#define DRA_API_CODEC_CODEC_INL_H_

#include "dra/api/codec/reflect.h"
#include "dra/base/strings.h"

namespace dra::api {

template <typename T>
absl::StatusOr<T> DecodeAs(const Value& document, const DecodeOptions& options) {
  DecodedDocument decoded = DecodeDocument(document, options);
  if (!decoded.status.ok()) return decoded.status;
  if (!decoded.errors.empty()) {
    return absl::InvalidArgumentError(
        dra::StrCat(decoded.identity.Describe(), ": ", JoinFieldErrors(decoded.errors)));
  }
  if (!decoded.object.has_value() || !std::holds_alternative<T>(*decoded.object)) {
    return absl::InvalidArgumentError(
        dra::StrCat("expected kind ", T::kKind, ", got ", decoded.identity.kind));
  }
  return std::get<T>(*std::move(decoded.object));
}

}  // namespace dra::api

#endif  // DRA_API_CODEC_CODEC_INL_H_
