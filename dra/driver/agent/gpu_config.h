// NVIDIA's opaque device configuration (group resource.nvidia.com, version v1beta1), as it
// appears in `ResourceClaim.spec.devices.config[].opaque.parameters` and DeviceClass configs
// for driver gpu.nvidia.com: kinds GpuConfig and MigDeviceConfig with their sharing settings
// (TimeSlicing with an interval, MPS with thread percentage and pinned-memory limits).
//
// Decoding is strict (unknown fields are errors, as the NVIDIA driver decodes them in
// Prepare); validation messages are NVIDIA's ("unknown GPU sharing strategy: X", "unknown
// time-slice interval: X", "active thread percentage must not be greater than 100", ...),
// prefixed with the field path.
//
// Pure functions over value types; thread-safe.
#ifndef DRA_DRIVER_AGENT_GPU_CONFIG_H_
#define DRA_DRIVER_AGENT_GPU_CONFIG_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dra/api/resource_types.h"
#include "dra/api/value.h"
#include "dra/base/quantity.h"

namespace dra::driver {

inline constexpr char kNvidiaConfigApiVersion[] = "resource.nvidia.com/v1beta1";

struct MpsConfig {
  std::optional<int64_t> default_active_thread_percentage;
  std::optional<Quantity> default_pinned_device_memory_limit;
  std::map<std::string, Quantity> default_per_device_pinned_memory_limit;  // index or UUID
};

// GpuSharing (GpuConfig) or MigDeviceSharing (MigDeviceConfig).
struct GpuSharing {
  std::string strategy;                            // "TimeSlicing" or "MPS"
  std::optional<std::string> time_slice_interval;  // Default, Short, Medium, Long
  std::optional<MpsConfig> mps;
};

struct GpuConfig {
  std::string kind;  // "GpuConfig" or "MigDeviceConfig"
  std::optional<GpuSharing> sharing;
};

// Decodes and validates `parameters` (the object with apiVersion and kind).
absl::StatusOr<GpuConfig> DecodeGpuConfig(const api::Value& parameters);

// nvidia-smi's time-slice value of an interval: Default 0, Short 1, Medium 2, Long 3.
int TimeSliceValue(const std::string& interval);

// The MPS pinned-memory limit per device UUID ("<MiB>M", NVIDIA's form) for `uuids` (in
// allocation order: a numeric key is an index into it). InvalidArgument for an unknown index or
// UUID or a limit below 1Mi.
absl::StatusOr<std::map<std::string, std::string>> NormalizePinnedMemoryLimits(
    const MpsConfig& mps, const std::vector<std::string>& uuids);

// The opaque configuration that applies to one allocated device, by NVIDIA's rule: the
// allocation's configs (class configs first, then claim configs, as the scheduler recorded them
// in status.allocation.devices.config) walked from last to first; the first for `driver` whose
// `requests` names the result's request (or its parent request "req" of "req/sub"), or that
// names no requests, wins. nullptr when none applies.
const api::OpaqueDeviceConfiguration* ConfigForResult(
    const std::vector<api::DeviceAllocationConfiguration>& configs, const std::string& driver,
    const std::string& request);

}  // namespace dra::driver

#endif  // DRA_DRIVER_AGENT_GPU_CONFIG_H_
