// The mapping between HTTP status codes of the Kubernetes API (with the metav1.Status reason)
// and absl status codes, shared by the API server and its clients:
//   400, 406, 415 InvalidArgument; 401 Unauthenticated; 403 PermissionDenied; 404 NotFound;
//   405 Unimplemented; 409 AlreadyExists (reason "AlreadyExists") or Aborted (Conflict);
//   410 OutOfRange (Expired, Gone); 413, 429 ResourceExhausted; 422 FailedPrecondition (Invalid);
//   500 Internal; 502, 503 Unavailable; 504 DeadlineExceeded; anything else Unknown.
//
// Stateless functions; thread-safe.
#ifndef DRA_API_HTTP_STATUS_H_
#define DRA_API_HTTP_STATUS_H_

#include <string_view>

#include "absl/status/status.h"

namespace dra::api {

absl::StatusCode StatusCodeForHttp(int http_code, std::string_view reason = "");

}  // namespace dra::api

#endif  // DRA_API_HTTP_STATUS_H_
