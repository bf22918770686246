// The CEL libraries of the Kubernetes DRA environment, each registered into a FunctionRegistry
// next to the standard library (see reference/cel-environment.md for what Kubernetes enables).
//
// Thread-safety: registration mutates the registry and must finish before programs are planned
// with it; the registered functions themselves are thread-safe.
#ifndef DRA_CEL_LIBRARY_LIBRARY_H_
#define DRA_CEL_LIBRARY_LIBRARY_H_

#include "absl/status/status.h"
#include "dra/cel/runtime/functions.h"

namespace dra::cel {

// cel-go's strings extension at the version Kubernetes enables: charAt, indexOf, lastIndexOf,
// lowerAscii, upperAscii, replace, split, substring, trim, join, strings.quote, format.
absl::Status RegisterStringsExtension(FunctionRegistry* registry);

// The Kubernetes IP and CIDR library: ip(), cidr(), isIP, isCIDR and their methods.
absl::Status RegisterNetworkLibrary(FunctionRegistry* registry);

// The other Kubernetes libraries: quantity, semver, lists, regex (find, findAll), url, format
// (named formats), and the cel-go extensions Kubernetes adds (sets, two-variable
// comprehension helpers where they are functions).
absl::Status RegisterKubernetesLibraries(FunctionRegistry* registry);

}  // namespace dra::cel

#endif  // DRA_CEL_LIBRARY_LIBRARY_H_
