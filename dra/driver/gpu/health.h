// GPU health as device taints (KEP-5055), the way NVIDIA's gpu-kubelet-plugin surfaces it:
//  - an XID error event taints the affected device with key `gpu.nvidia.com/xid`, value the XID
//    number, effect NoSchedule; "application" XIDs (13, 31, 43, 45, 68, 109) and any XIDs the
//    operator chose to ignore get effect None (recorded, not acted upon);
//  - a GPU that fell off the bus (NVML_ERROR_GPU_IS_LOST) gets `gpu.nvidia.com/gpu-lost`,
//    NoSchedule;
//  - a GPU whose events cannot be registered gets `gpu.nvidia.com/unmonitored`, None.
// Taints carry no timeAdded: the API server sets it.
//
// Stateless functions and value types; thread-safe.
#ifndef DRA_DRIVER_GPU_HEALTH_H_
#define DRA_DRIVER_GPU_HEALTH_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "dra/api/resource_types.h"

namespace dra::driver::gpu {

inline constexpr char kXidTaintKey[] = "gpu.nvidia.com/xid";
inline constexpr char kGpuLostTaintKey[] = "gpu.nvidia.com/gpu-lost";
inline constexpr char kUnmonitoredTaintKey[] = "gpu.nvidia.com/unmonitored";

// NVML's marker for "not attributable to a GPU/compute instance".
inline constexpr uint32_t kNoInstanceId = 0xFFFFFFFFu;

// One XID critical error event as NVML reports it (nvmlEventData_t).
struct XidEvent {
  std::string gpu_uuid;  // the physical GPU the event came from
  uint64_t xid = 0;
  // The MIG GPU/compute instance the event is attributable to, kNoInstanceId when it concerns
  // the whole GPU.
  uint32_t gpu_instance_id = kNoInstanceId;
  uint32_t compute_instance_id = kNoInstanceId;
  friend bool operator==(const XidEvent&, const XidEvent&) = default;
};

struct HealthOptions {
  // XIDs treated like the application XIDs (effect None), e.g. from
  // `--additional-xids-to-ignore`.
  std::set<uint64_t> additional_xids_to_ignore;
};

// True for the XIDs NVIDIA attributes to applications rather than hardware: 13, 31, 43, 45, 68,
// 109.
bool IsApplicationXid(uint64_t xid);

// The taint for an XID event: key gpu.nvidia.com/xid, value the decimal XID, effect None for
// application and ignored XIDs, NoSchedule otherwise.
api::DeviceTaint XidTaint(uint64_t xid, const HealthOptions& options = {});
api::DeviceTaint GpuLostTaint();
api::DeviceTaint UnmonitoredTaint();

// Parses a comma-separated XID list ("48, 79") as `--additional-xids-to-ignore` takes it;
// InvalidArgument naming the bad element.
absl::StatusOr<std::set<uint64_t>> ParseXidList(std::string_view text);

}  // namespace dra::driver::gpu

#endif  // DRA_DRIVER_GPU_HEALTH_H_
