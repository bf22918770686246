// How the node agent learns about its GPUs: one interface, two implementations that report
// identical GpuInfo for identical hardware (a shared test suite checks it):
//  - NvmlGpuDiscovery (nvml_discovery.h): the real GPUs, through libnvidia-ml loaded at run
//    time;
//  - ProfileGpuDiscovery (below): the GPUs of a simulated hardware profile (profiles/).
//
// Thread-safety: implementations say.
#ifndef DRA_DRIVER_GPU_GPU_DISCOVERY_H_
#define DRA_DRIVER_GPU_GPU_DISCOVERY_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "dra/driver/hardware.h"

namespace dra::driver::gpu {

class GpuDiscovery {
 public:
  virtual ~GpuDiscovery() = default;

  // Every GPU of the node in NVML index order, mig_profiles and mig_devices in the order
  // hardware.h documents. An error says why nothing could be discovered (library missing,
  // driver not loaded, bad profile); a node without GPUs is an empty list.
  virtual absl::StatusOr<std::vector<GpuInfo>> Discover() = 0;
};

// The GPUs of a hardware profile: a builtin name ("dgx-h100"), "profile:<name>" or a file path,
// loaded on each Discover() call. Thread-safe.
class ProfileGpuDiscovery : public GpuDiscovery {
 public:
  explicit ProfileGpuDiscovery(std::string name_or_path) : name_or_path_(std::move(name_or_path)) {}

  absl::StatusOr<std::vector<GpuInfo>> Discover() override;

 private:
  const std::string name_or_path_;
};

}  // namespace dra::driver::gpu

#endif  // DRA_DRIVER_GPU_GPU_DISCOVERY_H_
