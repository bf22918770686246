#include "dra/apiserver/errors.h"

#include <optional>
#include <utility>

#include "absl/strings/cord.h"
#include "dra/api/codec/json.h"
#include "dra/api/http_status.h"
#include "dra/base/strings.h"

namespace dra::apiserver {
namespace {

constexpr char kPayloadUrl[] = "type.dra/metav1.Status";

api::Value Str(std::string_view s) { return api::Value::String(std::string(s)); }

struct CodeInfo {
  int http;
  std::string_view reason;
};

CodeInfo InfoFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
      return {400, "BadRequest"};
    case absl::StatusCode::kFailedPrecondition:
      return {422, "Invalid"};
    case absl::StatusCode::kNotFound:
      return {404, "NotFound"};
    case absl::StatusCode::kAlreadyExists:
      return {409, "AlreadyExists"};
    case absl::StatusCode::kAborted:
      return {409, "Conflict"};
    case absl::StatusCode::kOutOfRange:
      return {410, "Expired"};
    case absl::StatusCode::kResourceExhausted:
      return {429, "TooManyRequests"};
    case absl::StatusCode::kUnauthenticated:
      return {401, "Unauthorized"};
    case absl::StatusCode::kPermissionDenied:
      return {403, "Forbidden"};
    case absl::StatusCode::kUnimplemented:
      return {405, "MethodNotAllowed"};
    case absl::StatusCode::kDeadlineExceeded:
      return {504, "Timeout"};
    case absl::StatusCode::kUnavailable:
      return {503, "ServiceUnavailable"};
    default:
      return {500, "InternalError"};
  }
}

api::Value BuildStatus(int code, std::string_view reason, std::string_view message,
                       api::Value details) {
  api::Value doc = api::Value::Object();
  doc.Set("kind", Str("Status"));
  doc.Set("apiVersion", Str("v1"));
  doc.Set("metadata", api::Value::Object());
  doc.Set("status", Str("Failure"));
  doc.Set("message", Str(message));
  if (!reason.empty()) doc.Set("reason", Str(reason));
  if (details.is_object() && !details.members().empty()) doc.Set("details", std::move(details));
  doc.Set("code", api::Value::Int(code));
  return doc;
}

api::Value NameDetails(const ResourceType& type, std::string_view name) {
  api::Value d = api::Value::Object();
  if (!name.empty()) d.Set("name", Str(name));
  if (!type.group.empty()) d.Set("group", Str(type.group));
  d.Set("kind", Str(type.plural));
  return d;
}

}  // namespace

absl::Status ApiError(int code, std::string_view reason, std::string_view message,
                      api::Value details) {
  api::Value doc = BuildStatus(code, reason, message, std::move(details));
  absl::Status status(api::StatusCodeForHttp(code, reason), std::string(message));
  status.SetPayload(kPayloadUrl, absl::Cord(api::WriteJson(doc)));
  return status;
}

api::Value StatusDocument(const absl::Status& status) {
  if (auto payload = status.GetPayload(kPayloadUrl); payload.has_value()) {
    absl::StatusOr<api::Value> doc = api::ParseJson(std::string(*payload));
    if (doc.ok()) return *std::move(doc);
  }
  CodeInfo info = InfoFor(status.code());
  return BuildStatus(info.http, info.reason, std::string(status.message()), api::Value());
}

int HttpCode(const absl::Status& status) {
  api::Value doc = StatusDocument(status);
  const api::Value* code = doc.Find("code");
  return code != nullptr ? static_cast<int>(code->AsInt64().value_or(500)) : 500;
}

absl::Status NotFoundError(const ResourceType& type, std::string_view name) {
  return ApiError(404, "NotFound", dra::StrCat(type.GroupResource(), " \"", name, "\" not found"),
                  NameDetails(type, name));
}

absl::Status AlreadyExistsError(const ResourceType& type, std::string_view name) {
  return ApiError(409, "AlreadyExists",
                  dra::StrCat(type.GroupResource(), " \"", name, "\" already exists"),
                  NameDetails(type, name));
}

absl::Status ConflictError(const ResourceType& type, std::string_view name,
                           std::string_view detail) {
  return ApiError(409, "Conflict",
                  dra::StrCat("Operation cannot be fulfilled on ", type.GroupResource(), " \"",
                              name, "\": ", detail),
                  NameDetails(type, name));
}

absl::Status InvalidError(const ResourceType& type, std::string_view name,
                          const api::FieldErrorList& errors) {
  std::string aggregate;
  if (errors.size() == 1) {
    aggregate = errors.front().ToString();
  } else {
    aggregate = "[";
    for (size_t i = 0; i < errors.size(); ++i) {
      if (i > 0) aggregate += ", ";
      aggregate += errors[i].ToString();
    }
    aggregate += "]";
  }
  api::Value details = api::Value::Object();
  if (!name.empty()) details.Set("name", Str(name));
  if (!type.group.empty()) details.Set("group", Str(type.group));
  details.Set("kind", Str(type.kind));
  api::Value causes = api::Value::Array();
  for (const api::FieldError& e : errors) {
    api::Value cause = api::Value::Object();
    cause.Set("reason", Str(e.Reason()));
    std::string message = e.ToString();
    // The cause message is the error without its field prefix.
    if (!e.field.empty() && message.starts_with(e.field + ": ")) {
      message = message.substr(e.field.size() + 2);
    }
    cause.Set("message", Str(message));
    cause.Set("field", Str(e.field));
    causes.Append(std::move(cause));
  }
  details.Set("causes", std::move(causes));
  return ApiError(422, "Invalid",
                  dra::StrCat(type.GroupKind(), " \"", name, "\" is invalid: ", aggregate),
                  std::move(details));
}

absl::Status BadRequestError(std::string_view message) {
  return ApiError(400, "BadRequest", message);
}

absl::Status ForbiddenError(const ResourceType& type, std::string_view name,
                            std::string_view detail) {
  return ApiError(403, "Forbidden",
                  dra::StrCat(type.GroupResource(), " \"", name, "\" is forbidden: ", detail),
                  NameDetails(type, name));
}

absl::Status GoneError(std::string_view message) { return ApiError(410, "Expired", message); }

absl::Status MethodNotAllowedError(std::string_view message) {
  return ApiError(405, "MethodNotAllowed", message);
}

absl::Status PathNotFoundError() {
  return ApiError(404, "NotFound", "the server could not find the requested resource");
}

}  // namespace dra::apiserver
