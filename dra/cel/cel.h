// Entry header of the cel layer: compiled DRA selectors and the `device` variable (see
// README.md). The stages (parser/, checker/, cost/, runtime/, library/) have their own headers
// for callers that need one of them alone.
#ifndef DRA_CEL_CEL_H_
#define DRA_CEL_CEL_H_

#include "dra/cel/device.h"
#include "dra/cel/environment.h"
#include "dra/cel/selector.h"
#include "dra/cel/validation_hook.h"

#endif  // DRA_CEL_CEL_H_
