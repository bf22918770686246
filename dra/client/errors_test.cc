#include "dra/client/errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "dra/api/codec/json.h"

namespace dra::client {
namespace {

std::string StatusBody(int code, std::string_view reason, std::string_view message) {
  return std::string(R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)") +
         R"("message":")" + std::string(message) + R"(","reason":")" + std::string(reason) +
         R"(","code":)" + std::to_string(code) + "}";
}

TEST(ErrorsTest, HttpCodesMapToAbslCodes) {
  struct Case {
    int http;
    std::string_view reason;
    absl::StatusCode code;
  };
  for (const Case& c : std::vector<Case>{
           {400, "BadRequest", absl::StatusCode::kInvalidArgument},
           {401, "Unauthorized", absl::StatusCode::kUnauthenticated},
           {403, "Forbidden", absl::StatusCode::kPermissionDenied},
           {404, "NotFound", absl::StatusCode::kNotFound},
           {405, "MethodNotAllowed", absl::StatusCode::kUnimplemented},
           {409, "AlreadyExists", absl::StatusCode::kAlreadyExists},
           {409, "Conflict", absl::StatusCode::kAborted},
           {410, "Expired", absl::StatusCode::kOutOfRange},
           {415, "UnsupportedMediaType", absl::StatusCode::kInvalidArgument},
           {422, "Invalid", absl::StatusCode::kFailedPrecondition},
           {429, "TooManyRequests", absl::StatusCode::kResourceExhausted},
           {500, "InternalError", absl::StatusCode::kInternal},
           {503, "ServiceUnavailable", absl::StatusCode::kUnavailable},
           {504, "Timeout", absl::StatusCode::kDeadlineExceeded},
           {418, "Teapot", absl::StatusCode::kUnknown},
       }) {
    absl::Status s = ErrorFromResponse(c.http, StatusBody(c.http, c.reason, "the message"));
    EXPECT_EQ(s.code(), c.code) << c.http << " " << c.reason;
    EXPECT_EQ(s.message(), "the message");
    EXPECT_EQ(ReasonOf(s), c.reason);
    EXPECT_EQ(HttpCodeOf(s), c.http);
  }
}

TEST(ErrorsTest, BodyThatIsNotAStatus) {
  absl::Status s = ErrorFromResponse(502, "Bad Gateway\n");
  EXPECT_TRUE(absl::IsUnavailable(s));
  EXPECT_EQ(s.message(), "the server responded with HTTP 502: Bad Gateway");
  EXPECT_FALSE(StatusDocumentOf(s).has_value());
  EXPECT_EQ(ReasonOf(s), "");
  EXPECT_EQ(HttpCodeOf(s), 0);
  EXPECT_EQ(ErrorFromResponse(404, "").message(), "the server responded with HTTP 404");
}

TEST(ErrorsTest, StatusDocumentOfAWatchError) {
  absl::StatusOr<api::Value> doc = api::ParseJson(StatusBody(410, "Expired", "too old"));
  ASSERT_TRUE(doc.ok());
  absl::Status s = ErrorFromStatusDocument(*doc);
  EXPECT_TRUE(absl::IsOutOfRange(s));
  EXPECT_EQ(s.message(), "too old");
  std::optional<api::Value> back = StatusDocumentOf(s);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, *doc);
  // Without a code: 500.
  EXPECT_TRUE(absl::IsInternal(ErrorFromStatusDocument(api::Value::Object())));
}

}  // namespace
}  // namespace dra::client
