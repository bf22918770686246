// Compiling CEL selectors during API validation, as the API server does: installs the CEL layer
// into api::ValidationOptions so that DeviceClass and ResourceClaim selectors that do not
// compile are rejected with the compile error and its position.
//
// Thread-safety: the returned options are safe to use from many threads.
#ifndef DRA_CEL_VALIDATION_HOOK_H_
#define DRA_CEL_VALIDATION_HOOK_H_

#include "dra/api/validation/validation.h"

namespace dra::cel {

// Validation options whose check_cel_selector compiles each selector (with a shared cache) and
// reports `<path>: Invalid value: "<expr>": compilation failed: ERROR: <input>:L:C: ...`.
api::ValidationOptions SelectorValidationOptions();

}  // namespace dra::cel

#endif  // DRA_CEL_VALIDATION_HOOK_H_
