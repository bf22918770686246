// Defaulting as the API server applies it before validation and storage.
//
// resource.k8s.io (pkg/apis/resource/v1/defaults.go and the declarative `+default` tags):
// exactly.allocationMode ExactCount and exactly.count 1 for ExactCount, firstAvailable
// subrequests likewise, toleration operator Equal (in claim specs, templates and allocation
// results), DeviceTaint.timeAdded "now" (slices and DeviceTaintRules), and
// nodeAllocatableResourceMappings[*].allocationMultiplier 1.
//
// core/v1 (pkg/apis/core/v1/defaults.go and zz_generated.defaults.go): Pod spec defaults
// (schedulerName default-scheduler, restartPolicy Always, dnsPolicy ClusterFirst,
// terminationGracePeriodSeconds 30, securityContext {}, enableServiceLinks true), container
// defaults (imagePullPolicy from the image tag, terminationMessagePath /dev/termination-log,
// terminationMessagePolicy File, port protocol TCP, probe timings), requests copied from limits,
// pod-level resource defaults, volume source defaults (emptyDir, defaultMode 0644...), hostNetwork
// host ports, quantities rounded up to milli precision; Node allocatable from capacity; Namespace
// phase Active and the kubernetes.io/metadata.name label. Event has no defaults.
//
// Defaulting is idempotent: applying it twice equals applying it once.
//
// Stateless functions; thread-safe.
#ifndef DRA_API_DEFAULTS_H_
#define DRA_API_DEFAULTS_H_

#include <optional>
#include <string>
#include <string_view>

#include "dra/api/codec/codec.h"

namespace dra::api {

struct DefaultingOptions {
  // The current time as an RFC 3339 timestamp ("2025-01-02T15:04:05Z"), used where upstream
  // defaults a field to the time of the request (DeviceTaint.timeAdded). Fractional seconds are
  // dropped, as upstream truncates to the second. Unset: such fields stay unset.
  std::optional<std::string> now;
};

// Applies the defaults of the object's kind in place.
void ApplyDefaults(Object& object, const DefaultingOptions& options = {});

void ApplyDefaults(DeviceClass& object, const DefaultingOptions& options = {});
void ApplyDefaults(ResourceSlice& object, const DefaultingOptions& options = {});
void ApplyDefaults(ResourceClaim& object, const DefaultingOptions& options = {});
void ApplyDefaults(ResourceClaimTemplate& object, const DefaultingOptions& options = {});
void ApplyDefaults(DeviceTaintRule& object, const DefaultingOptions& options = {});
void ApplyDefaults(Pod& object, const DefaultingOptions& options = {});
void ApplyDefaults(Node& object, const DefaultingOptions& options = {});
void ApplyDefaults(Namespace& object, const DefaultingOptions& options = {});
void ApplyDefaults(Event& object, const DefaultingOptions& options = {});

// The image pull policy upstream defaults a container to: "Always" when the image reference
// parses (github.com/distribution/reference ParseNormalizedNamed) and has the tag "latest" or
// neither tag nor digest, else "IfNotPresent" (also for references that do not parse).
std::string DefaultImagePullPolicy(std::string_view image);

// The effective requests (limits) of a pod's containers, as component-helpers/resource
// AggregateContainerRequests (AggregateContainerLimits) computes them without status: the sum
// over regular and restartable init (sidecar) containers, raised to the peak of any
// non-restartable init container plus the sidecars started before it.
ResourceList AggregateContainerRequests(const PodSpec& spec);
ResourceList AggregateContainerLimits(const PodSpec& spec);

}  // namespace dra::api

#endif  // DRA_API_DEFAULTS_H_
