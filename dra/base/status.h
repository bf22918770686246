// Status helpers shared by every layer.
//
// Errors cross layer boundaries as absl::Status / absl::StatusOr<T>; nothing throws across a
// layer. Codes map 1:1 to HTTP: NotFound 404, AlreadyExists 409, Aborted 409 (Conflict on a
// stale resourceVersion), InvalidArgument 422, Unavailable 503.
#ifndef DRA_BASE_STATUS_H_
#define DRA_BASE_STATUS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define DRA_STATUS_CONCAT_INNER_(a, b) a##b
#define DRA_STATUS_CONCAT_(a, b) DRA_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function when `expr` (an absl::Status) is not OK.
#define DRA_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::absl::Status dra_status_ = (expr);       \
    if (!dra_status_.ok()) return dra_status_; \
  } while (false)

// `lhs = value of rexpr` where rexpr is an absl::StatusOr<T>; returns its status when not OK.
#define DRA_ASSIGN_OR_RETURN(lhs, rexpr) \
  DRA_ASSIGN_OR_RETURN_IMPL_(DRA_STATUS_CONCAT_(dra_statusor_, __LINE__), lhs, rexpr)

#define DRA_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr)   \
  auto statusor = (rexpr);                                 \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()

#endif  // DRA_BASE_STATUS_H_
