// Checker declarations of the Kubernetes DRA selector environment (Kubernetes v1.34; see
// ../shared/reference/cel-environment.md): the Kubernetes CEL libraries (quantity, semver,
// lists, regex, url, ip, cidr, format, authz), the cel-go extensions Kubernetes enables
// (strings v2, sets, lists v3), and the `device` variable. Only declarations: the runtime side
// of each function lives in dra/cel/library/, keyed by the same overload ids.
//
// Thread-safety: the Add* functions mutate the Env they are given (build time only); the
// returned environments are immutable and may be shared across threads.
#ifndef DRA_CEL_CHECKER_K8S_DECLS_H_
#define DRA_CEL_CHECKER_K8S_DECLS_H_

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dra/cel/checker/decls.h"
#include "dra/cel/checker/types.h"

namespace dra::cel::checker {

// The Kubernetes CEL types.
Type QuantityType();     // object type kubernetes.Quantity
Type SemverType();       // object type kubernetes.Semver
Type UrlType();          // object type kubernetes.URL
Type NamedFormatType();  // object type kubernetes.NamedFormat
Type IpType();           // opaque type net.IP
Type CidrType();         // opaque type net.CIDR
Type DraDeviceType();    // object type kubernetes.DRADevice

struct KubernetesLibraryOptions {
  // ext.Lists(v3): slice, flatten, sort, sortBy's helper, lists.range, reverse, distinct.
  // Part of StoredExpressions at 1.34, absent from NewExpressions (compatibility 1.33).
  bool ext_lists = true;
};

// Every library of the Kubernetes base environment, in the order Kubernetes adds them (which
// fixes the order of overloads sharing a function name): URLs, Regex, Lists, Authz, Quantity,
// ext.Strings(v2), ext.Sets, IP, CIDR, Format, AuthzSelectors, SemverLib(v1), ext.Lists(v3).
// Requires the standard library in `env` or a parent.
absl::Status AddKubernetesLibraries(Env* env, const KubernetesLibraryOptions& options = {});

// Declares the kubernetes.DRADevice object type and the `device` variable:
//   driver string; attributes map(string, map(string, any));
//   capacity map(string, map(string, kubernetes.Quantity)); allowMultipleAllocations bool
//   (only when `allow_multiple_allocations`).
absl::Status AddDraDeviceVariable(Env* env, bool allow_multiple_allocations = true);

struct DraEnvOptions {
  // NewExpressions (API server, new or changed selectors, compatibility version 1.33) instead
  // of StoredExpressions (kube-scheduler): no ext.Lists v3.
  bool new_expressions = false;
  // Feature gate DRAConsumableCapacity; matters only for NewExpressions (StoredExpressions
  // always declares device.allowMultipleAllocations).
  bool consumable_capacity = true;
};

// The complete DRA selector environment: standard library, optional types, the Kubernetes
// libraries and the device variable, with homogeneous aggregate literals and cross-type numeric
// comparisons on.
absl::StatusOr<std::shared_ptr<const Env>> NewDraSelectorEnv(const DraEnvOptions& options = {});

}  // namespace dra::cel::checker

#endif  // DRA_CEL_CHECKER_K8S_DECLS_H_
