// Entry header of the api layer: the object model, the codec, conversion, defaulting and
// validation (see README.md).
#ifndef DRA_API_API_H_
#define DRA_API_API_H_

#include "dra/api/codec/codec.h"
#include "dra/api/codec/json.h"
#include "dra/api/codec/yaml.h"
#include "dra/api/conversion.h"
#include "dra/api/core_types.h"
#include "dra/api/defaults.h"
#include "dra/api/field_error.h"
#include "dra/api/meta_types.h"
#include "dra/api/resource_types.h"
#include "dra/api/validation/names.h"
#include "dra/api/validation/validation.h"
#include "dra/api/value.h"
#include "dra/api/workloads.h"

#endif  // DRA_API_API_H_
