// Errors of a Kubernetes API server as absl::Status values.
//
// A failed response carries a metav1.Status document. ErrorFromResponse turns it into an
// absl::Status whose message is the Status's `message` and whose code follows the HTTP code
// (and, for 409, the reason):
//
//   400 BadRequest, 406, 415    InvalidArgument
//   401 Unauthorized            Unauthenticated
//   403 Forbidden               PermissionDenied
//   404 NotFound                NotFound
//   405 MethodNotAllowed        Unimplemented
//   409 reason AlreadyExists    AlreadyExists
//   409 (Conflict, other)       Aborted            (stale resourceVersion: re-read and retry)
//   410 Gone / Expired          OutOfRange         (history compacted: re-list)
//   413, 429 TooManyRequests    ResourceExhausted
//   422 Invalid                 FailedPrecondition (validation failed; causes in the payload)
//   500 InternalError           Internal
//   503, 502                    Unavailable
//   504 Timeout                 DeadlineExceeded
//   anything else               Unknown
//
// The whole Status document is kept as a payload of the absl::Status (StatusDocumentOf reads it
// back), so that callers can inspect `reason`, `details.causes`, `details.retryAfterSeconds`.
// Transport failures (connection refused, TLS, timeouts) are Unavailable or DeadlineExceeded
// without a payload.
//
// Stateless functions; thread-safe.
#ifndef DRA_CLIENT_ERRORS_H_
#define DRA_CLIENT_ERRORS_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "dra/api/value.h"

namespace dra::client {

// The error for a failed response (`http_code` >= 300) with `body`. When the body is a
// metav1.Status its message and reason are used and it becomes the payload; otherwise the
// message is `the server responded with HTTP <code>: <body, truncated>`.
absl::Status ErrorFromResponse(int http_code, std::string_view body);

// The error for a metav1.Status document (as found in a watch ERROR event); its `code` picks the
// absl code (500 when absent).
absl::Status ErrorFromStatusDocument(const api::Value& status);

// The metav1.Status document carried by `status`, if it came from the server.
std::optional<api::Value> StatusDocumentOf(const absl::Status& status);
// Its `reason` ("AlreadyExists", "Conflict", "Expired"...), or "" when there is none.
std::string ReasonOf(const absl::Status& status);
// Its `code` (the HTTP code), or 0 when there is none.
int HttpCodeOf(const absl::Status& status);

}  // namespace dra::client

#endif  // DRA_CLIENT_ERRORS_H_
