// Validation of API objects with the API server's rules, limits and messages.
//
// Every function returns the complete list of problems (never stops at the first), each with the
// field path and upstream's message, e.g.
//   spec.devices.requests[0].exactly.deviceClassName: Required value
// Objects are expected to be defaulted first (see defaults.h), as the API server does.
//
// Stateless functions; thread-safe as long as the options' callbacks are.
#ifndef DRA_API_VALIDATION_VALIDATION_H_
#define DRA_API_VALIDATION_VALIDATION_H_

#include <functional>
#include <string_view>

#include "dra/api/codec/codec.h"
#include "dra/api/core_types.h"
#include "dra/api/field_error.h"
#include "dra/api/resource_types.h"

namespace dra::api {

struct ValidationOptions {
  // Checks one CEL selector expression (compiles and type-checks it) and returns its errors with
  // `path` as the field. Unset: only the length limit is checked. The CEL layer installs this.
  std::function<FieldErrorList(std::string_view expression, const FieldPath& path)>
      check_cel_selector;
};

// Dispatches on the object's kind.
FieldErrorList ValidateObject(const Object& object, const ValidationOptions& options = {});

FieldErrorList ValidateDeviceClass(const DeviceClass& object, const ValidationOptions& options = {});
FieldErrorList ValidateResourceSlice(const ResourceSlice& object,
                                     const ValidationOptions& options = {});
FieldErrorList ValidateResourceClaim(const ResourceClaim& object,
                                     const ValidationOptions& options = {});
FieldErrorList ValidateResourceClaimTemplate(const ResourceClaimTemplate& object,
                                             const ValidationOptions& options = {});
FieldErrorList ValidateDeviceTaintRule(const DeviceTaintRule& object,
                                       const ValidationOptions& options = {});
FieldErrorList ValidatePod(const Pod& object, const ValidationOptions& options = {});
FieldErrorList ValidateNode(const Node& object, const ValidationOptions& options = {});
FieldErrorList ValidateNamespace(const Namespace& object, const ValidationOptions& options = {});
FieldErrorList ValidateEvent(const Event& object, const ValidationOptions& options = {});

// Update rules (immutability) as the API server applies them on update, in addition to
// validating `updated` itself.
FieldErrorList ValidateResourceClaimUpdate(const ResourceClaim& updated, const ResourceClaim& old,
                                           const ValidationOptions& options = {});
// Status updates of a claim: allocation may be set once and not changed while set, reservedFor
// needs an allocation, at most 256 consumers, device statuses must name allocated devices.
FieldErrorList ValidateResourceClaimStatusUpdate(const ResourceClaim& updated,
                                                 const ResourceClaim& old,
                                                 const ValidationOptions& options = {});
FieldErrorList ValidateResourceSliceUpdate(const ResourceSlice& updated, const ResourceSlice& old,
                                           const ValidationOptions& options = {});
FieldErrorList ValidateResourceClaimTemplateUpdate(const ResourceClaimTemplate& updated,
                                                   const ResourceClaimTemplate& old,
                                                   const ValidationOptions& options = {});

}  // namespace dra::api

#endif  // DRA_API_VALIDATION_VALIDATION_H_
