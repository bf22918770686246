// Entry header of the base layer: Status helpers, Quantity and semantic Version value types.
#ifndef DRA_BASE_BASE_H_
#define DRA_BASE_BASE_H_

#include "dra/base/quantity.h"
#include "dra/base/semver.h"
#include "dra/base/status.h"

#endif  // DRA_BASE_BASE_H_
