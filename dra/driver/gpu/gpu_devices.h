// The GPU device model: what NVIDIA's gpu-kubelet-plugin (driver gpu.nvidia.com) publishes for a
// node's GPUs, computed from discovered GpuInfo values, plus the DeviceClasses its Helm chart
// installs.
//
// Published devices (attribute names without a domain belong to gpu.nvidia.com):
//  - a GPU not in MIG mode: `gpu-<minor>` with type "gpu", uuid, productName, brand,
//    architecture, cudaComputeCapability/driverVersion/cudaDriverVersion (versions, coerced to
//    semver: "9.0" -> "9.0.0"), addressingMode (when reported), the standard
//    resource.kubernetes.io/pciBusID, pcieRoot (when known) and numaNode (int, when known);
//    capacity `memory` (bytes, BinarySI) when NVML reports it.
//  - a GPU in MIG mode: not published itself; each existing MIG device is published as
//    `gpu-<minor>-mig-<profile>-<giProfileId>-<placementStart>` with type "mig", uuid,
//    parentUUID, profile and the parent's common attributes; capacities multiprocessors,
//    copyEngines, decoders, encoders, jpegEngines, ofaEngines, memory and memorySlice<N> = 1 for
//    each memory slice of its placement.
//  - a MIG-capable GPU not in MIG mode with `dynamic_mig`: the full GPU plus one device per
//    (MIG profile, placement), all consuming from one CounterSet `gpu-<minor>-counter-set`
//    (KEP-4815 partitionable devices), as NVIDIA's DynamicMIG feature does. The full GPU's
//    capacity is the per-dimension maximum over the profiles and it consumes every counter.
//
// Legacy attributes (`legacy_attributes`, on by default): `index` and `minor` (int) on full
// GPUs and `parentIndex` (int) on MIG devices, which NVIDIA's driver published up to v25.8 and
// which users' CEL selectors still use.
//
// Devices are sorted by their GPU's PCI bus ID, then by name; counter sets by their GPU's PCI
// bus ID. Everything returned passes ResourceSlice validation once split into slices the way
// resource.k8s.io/v1 requires (counter sets and devices in separate slices, at most 8 counter sets
// and 64 devices with counter consumption per slice).
//
// Stateless functions; thread-safe.
#ifndef DRA_DRIVER_GPU_GPU_DEVICES_H_
#define DRA_DRIVER_GPU_GPU_DEVICES_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "dra/api/resource_types.h"
#include "dra/driver/hardware.h"
#include "dra/driver/resources.h"

namespace dra::driver::gpu {

// Device types (the `type` attribute).
inline constexpr char kGpuDeviceType[] = "gpu";
inline constexpr char kMigDeviceType[] = "mig";

// DeviceClass names installed by NVIDIA's Helm chart.
inline constexpr char kGpuDeviceClassName[] = "gpu.nvidia.com";
inline constexpr char kMigDeviceClassName[] = "mig.nvidia.com";
// Extended resource name the gpu.nvidia.com class may satisfy (DRAExtendedResource).
inline constexpr char kGpuExtendedResourceName[] = "nvidia.com/gpu";

struct GpuModelOptions {
  // Publish partitionable devices (full GPU + every MIG profile placement, sharing one counter
  // set) for MIG-capable GPUs that are not in MIG mode. Off: such GPUs are published as plain
  // full GPUs.
  bool dynamic_mig = true;
  // Publish `index`/`minor` on full GPUs and `parentIndex` on MIG devices (v25.8 compatibility).
  bool legacy_attributes = true;
  // Full GPUs allow multiple allocations that share the `memory` capacity (KEP-5075 consumable
  // capacity, NVIDIA's `--consumable-shares=memory`): requests take a range of at least 1Mi in
  // steps of 1Mi; a request without a capacity takes the whole GPU. Callers should turn
  // `dynamic_mig` off with it (a partition and a shared full GPU would both count on one GPU).
  bool consumable_memory = false;
};

// The devices and counter sets of `gpus` (see the file comment). Fails with InvalidArgument,
// naming the GPU (`gpus[2] (GPU-...)`) and field, on input that cannot be published: duplicate
// minors or UUIDs, an empty UUID or PCI bus ID, a version that cannot be coerced to semver,
// strings longer than 64 characters, a MIG device naming an unknown profile, a placement
// outside the GPU's memory slices.
absl::StatusOr<DriverResources> GpuDriverResources(const std::vector<GpuInfo>& gpus,
                                                   const GpuModelOptions& options = {});

// The DeviceClasses gpu.nvidia.com (type 'gpu', extendedResourceName nvidia.com/gpu) and
// mig.nvidia.com (type 'mig'), as resource.k8s.io/v1 objects.
std::vector<api::DeviceClass> GpuDeviceClasses();

// `gpu-<minor>`.
std::string GpuDeviceName(int minor);
// `gpu-<minor>-mig-<canonical profile>-<giProfileId>-<placementStart>`, the profile lower-cased
// without dots and with characters outside [a-z0-9-] replaced by '-' ("1g.10gb+me" ->
// "1g10gb-me").
std::string MigDeviceName(int parent_minor, std::string_view profile, int gi_profile_id,
                          int placement_start);
// `gpu-<minor>-counter-set`.
std::string GpuCounterSetName(int minor);

// Semver coercion as github.com/Masterminds/semver's NewVersion + String() does for the
// versions NVML reports: "9.0" -> "9.0.0", "570.133.20" -> "570.133.20", "595.58.03" ->
// "595.58.3", "12" -> "12.0.0". InvalidArgument when `text` is not 1 to 3 dot-separated
// numbers, optionally followed by a semver prerelease/build suffix.
absl::StatusOr<std::string> CoerceSemver(std::string_view text);

}  // namespace dra::driver::gpu

#endif  // DRA_DRIVER_GPU_GPU_DEVICES_H_
