// Errors as kube-apiserver reports them: metav1.Status documents with the HTTP code, reason,
// message and details (kind, group, name, causes with field paths).
//
// Inside the apiserver every failure is an absl::Status. Functions here build Statuses that carry
// the complete metav1.Status as a payload, so that the HTTP layer answers exactly what upstream
// would; a plain absl::Status without the payload is mapped by its code (InvalidArgument 400
// BadRequest, FailedPrecondition 422, NotFound 404, AlreadyExists 409, Aborted 409 Conflict,
// OutOfRange 410 Expired, ResourceExhausted 429, Unauthenticated 401, PermissionDenied 403,
// Unimplemented 405, DeadlineExceeded 504, anything else 500).
//
// Stateless functions; thread-safe.
#ifndef DRA_APISERVER_ERRORS_H_
#define DRA_APISERVER_ERRORS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "dra/api/field_error.h"
#include "dra/api/value.h"
#include "dra/apiserver/resources.h"

namespace dra::apiserver {

// The metav1.Status document for `status` (an error), see the file comment.
api::Value StatusDocument(const absl::Status& status);
// The HTTP code StatusDocument reports.
int HttpCode(const absl::Status& status);

// A Status with an explicit HTTP code, reason and message (details optional: an object with
// name/group/kind/causes...).
absl::Status ApiError(int code, std::string_view reason, std::string_view message,
                      api::Value details = api::Value());

// 404: `resourceclaims.resource.k8s.io "x" not found`.
absl::Status NotFoundError(const ResourceType& type, std::string_view name);
// 409 AlreadyExists: `resourceclaims.resource.k8s.io "x" already exists`.
absl::Status AlreadyExistsError(const ResourceType& type, std::string_view name);
// 409 Conflict: `Operation cannot be fulfilled on resourceclaims.resource.k8s.io "x": <detail>`.
absl::Status ConflictError(const ResourceType& type, std::string_view name,
                           std::string_view detail);
// 422 Invalid: `ResourceClaim.resource.k8s.io "x" is invalid: [a: ..., b: ...]` with causes.
absl::Status InvalidError(const ResourceType& type, std::string_view name,
                          const api::FieldErrorList& errors);
// 400 BadRequest with `message`.
absl::Status BadRequestError(std::string_view message);
// 403 Forbidden: `<resource> "x" is forbidden: <detail>`.
absl::Status ForbiddenError(const ResourceType& type, std::string_view name,
                            std::string_view detail);
// 410 Expired / Gone with `message`.
absl::Status GoneError(std::string_view message);
// 405 MethodNotAllowed.
absl::Status MethodNotAllowedError(std::string_view message);
// 404 with upstream's text for a path that does not exist: "the server could not find the
// requested resource".
absl::Status PathNotFoundError();

}  // namespace dra::apiserver

#endif  // DRA_APISERVER_ERRORS_H_
