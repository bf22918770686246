#include "dra/client/errors.h"

#include <string>
#include <utility>

#include "absl/strings/cord.h"
#include "dra/api/codec/json.h"
#include "dra/api/http_status.h"
#include "dra/base/strings.h"

namespace dra::client {
namespace {

constexpr char kPayloadUrl[] = "type.dra/client/metav1.Status";

std::string StringMember(const api::Value& doc, std::string_view key) {
  const api::Value* v = doc.Find(key);
  return v != nullptr && v->is_string() ? v->text() : std::string();
}

absl::Status WithPayload(absl::StatusCode code, std::string message, const api::Value& doc) {
  absl::Status status(code, message);
  status.SetPayload(kPayloadUrl, absl::Cord(api::WriteJson(doc)));
  return status;
}

}  // namespace

absl::Status ErrorFromResponse(int http_code, std::string_view body) {
  absl::StatusOr<api::Value> doc = api::ParseJson(body);
  if (doc.ok() && doc->is_object() && StringMember(*doc, "kind") == "Status") {
    std::string message = StringMember(*doc, "message");
    if (message.empty()) message = dra::StrCat("the server responded with HTTP ", http_code);
    return WithPayload(api::StatusCodeForHttp(http_code, StringMember(*doc, "reason")),
                       std::move(message), *doc);
  }
  std::string text(body.substr(0, 256));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  std::string message = dra::StrCat("the server responded with HTTP ", http_code);
  if (!text.empty()) dra::StrAppend(&message, ": ", text);
  return absl::Status(api::StatusCodeForHttp(http_code, ""), message);
}

absl::Status ErrorFromStatusDocument(const api::Value& status) {
  int code = 500;
  if (const api::Value* c = status.Find("code"); c != nullptr && c->is_number()) {
    code = static_cast<int>(c->AsInt64().value_or(500));
  }
  std::string message = StringMember(status, "message");
  if (message.empty()) message = dra::StrCat("the server reported an error (HTTP ", code, ")");
  return WithPayload(api::StatusCodeForHttp(code, StringMember(status, "reason")),
                     std::move(message), status);
}

std::optional<api::Value> StatusDocumentOf(const absl::Status& status) {
  auto payload = status.GetPayload(kPayloadUrl);
  if (!payload.has_value()) return std::nullopt;
  absl::StatusOr<api::Value> doc = api::ParseJson(std::string(*payload));
  if (!doc.ok()) return std::nullopt;
  return *std::move(doc);
}

std::string ReasonOf(const absl::Status& status) {
  std::optional<api::Value> doc = StatusDocumentOf(status);
  return doc.has_value() ? StringMember(*doc, "reason") : std::string();
}

int HttpCodeOf(const absl::Status& status) {
  std::optional<api::Value> doc = StatusDocumentOf(status);
  if (!doc.has_value()) return 0;
  const api::Value* c = doc->Find("code");
  return c != nullptr && c->is_number() ? static_cast<int>(c->AsInt64().value_or(0)) : 0;
}

}  // namespace dra::client
