// Conversion between the served versions of resource.k8s.io, performed on generic document trees
// (the object exactly as `kubectl get -o yaml` prints it at its version), the way the Kubernetes
// API server (v1.34 to v1.36) converts them.
//
// Versions and kinds:
// - resource.k8s.io/v1 is the hub for DeviceClass, ResourceSlice, ResourceClaim and
//   ResourceClaimTemplate; v1beta2 has exactly the same shape, v1beta1 differs in two places:
//   * a v1beta1 DeviceRequest carries the ExactDeviceRequest fields (deviceClassName, selectors,
//     allocationMode, count, adminAccess, tolerations, capacity) inline next to name and
//     firstAvailable; v1 nests them under `exactly`. Like upstream, any of them being set (Go
//     zero-value semantics: "" / 0 / null count as unset, an empty list counts as set) yields an
//     `exactly`, even next to firstAvailable: a request with both is converted, not refused, and
//     validation reports it. Writing v1beta1 always emits `deviceClassName` (no omitempty).
//   * a v1beta1 Device wraps everything but `name` in `basic`; v1 has those fields on the device.
//     Writing v1beta1 always emits `basic` (upstream sets it even when empty).
//   * ResourceSliceSpec nodeName and allNodes are a string and a bool in v1beta1 and pointers in
//     v1: "" / false are dropped in both directions.
//   Everything else (DeviceCapacity is `{value, requestPolicy}` in all three, status, config,
//   constraints, sub-requests) is identical and passes through unchanged.
// - DeviceTaintRule is not served at v1 or v1beta1 in v1.36: its hub is
//   kDeviceTaintRuleGroupVersion (resource.k8s.io/v1beta2), and v1alpha3 has the same shape
//   (v1alpha3's deviceSelector.deviceClassName and .selectors, removed in v1.35, are refused).
// - Lists (`<Kind>List` with items) are converted item by item.
//
// Errors are InvalidArgument with messages of the form `<field path>: <detail>` (the caller adds
// the object's identity): the detail names the kind and version and says how to fix it.
//
// Stateless functions; thread-safe.
#ifndef DRA_API_CONVERSION_H_
#define DRA_API_CONVERSION_H_

#include <string_view>

#include "absl/status/status.h"
#include "dra/api/value.h"

namespace dra::api {

// Converts `object` (any served resource.k8s.io version, see CheckServedVersion) to its hub
// version in place: resource.k8s.io/v1, or kDeviceTaintRuleGroupVersion for DeviceTaintRule.
// Sets apiVersion. On error `object` may be partly converted.
absl::Status ConvertToV1(Value& object);

// Converts a hub-version object (as ConvertToV1 leaves it) to `target_version`
// ("resource.k8s.io/v1beta1", "resource.k8s.io/v1beta2", "resource.k8s.io/v1"; v1alpha3 and
// v1beta2 for DeviceTaintRule) in place and sets apiVersion. Fails when the kind is not served at
// `target_version`. On error `object` may be partly converted.
//
// For every object x as printed at a served version V:
//   ConvertToV1(x); ConvertFromV1(x, V)  leaves x == original (Value's operator==),
// except for what the v1beta1 serialization itself normalizes (see the file comment).
absl::Status ConvertFromV1(Value& object, std::string_view target_version);

// OK when a Kubernetes v1.34 to v1.36 API server serves `kind` at `api_version` (a
// "resource.k8s.io/..." group/version; also OK for v1alpha3 ResourcePoolStatusRequest, which has
// no hub form). Otherwise InvalidArgument saying since when it is not served and what replaced
// it, e.g. `resource.k8s.io/v1alpha2 is no longer served (...); ResourceClass was replaced by
// DeviceClass (resource.k8s.io/v1): ...`, or kubectl's `no matches for kind "X" in version
// "resource.k8s.io/v1"` for kinds that never existed there.
absl::Status CheckServedVersion(std::string_view api_version, std::string_view kind);

}  // namespace dra::api

#endif  // DRA_API_CONVERSION_H_
