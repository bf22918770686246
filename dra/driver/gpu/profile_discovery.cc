#include <utility>

#include "dra/base/status.h"
#include "dra/driver/gpu/gpu_discovery.h"
#include "dra/driver/profiles/profiles.h"

namespace dra::driver::gpu {

absl::StatusOr<std::vector<GpuInfo>> ProfileGpuDiscovery::Discover() {
  DRA_ASSIGN_OR_RETURN(Hardware hw, profiles::LoadProfile(name_or_path_));
  return std::move(hw.gpus);
}

}  // namespace dra::driver::gpu
