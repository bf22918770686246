// The function environment of DRA device selectors: the CEL standard library plus every library
// Kubernetes v1.34 enables for them (strings extension, quantity, semver, lists, regex, url,
// ip/cidr, ...; see ../shared/reference/cel-environment.md).
//
// Thread-safety: the registry is built once, on first use, and immutable afterwards.
#ifndef DRA_CEL_ENVIRONMENT_H_
#define DRA_CEL_ENVIRONMENT_H_

#include "dra/cel/runtime/functions.h"

namespace dra::cel {

const FunctionRegistry& KubernetesFunctions();

}  // namespace dra::cel

#endif  // DRA_CEL_ENVIRONMENT_H_
