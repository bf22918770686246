// GPU discovery through NVML, loaded at run time with dlopen so that one binary runs on nodes
// with and without NVIDIA GPUs, and an XID event watcher for health.
//
// Only query functions are called; no device state is ever changed (no MIG mode, compute mode
// or instance changes). The functions resolved and called:
//   nvmlInitWithFlags (NVML_INIT_FLAG_NO_GPUS), nvmlShutdown, nvmlErrorString,
//   nvmlSystemGetDriverVersion, nvmlSystemGetCudaDriverVersion_v2,
//   nvmlDeviceGetCount_v2, nvmlDeviceGetHandleByIndex_v2, nvmlDeviceGetMinorNumber,
//   nvmlDeviceGetUUID, nvmlDeviceGetName, nvmlDeviceGetBrand, nvmlDeviceGetArchitecture,
//   nvmlDeviceGetCudaComputeCapability, nvmlDeviceGetMemoryInfo, nvmlDeviceGetPciInfo_v3,
//   nvmlDeviceGetMigMode, nvmlDeviceGetGpuInstanceProfileInfo,
//   nvmlDeviceGetGpuInstancePossiblePlacements_v2, nvmlDeviceGetMaxMigDeviceCount,
//   nvmlDeviceGetMigDeviceHandleByIndex, nvmlDeviceGetGpuInstanceId,
//   nvmlDeviceGetComputeInstanceId, nvmlDeviceGetGpuInstanceById, nvmlGpuInstanceGetInfo,
//   and, when the library has them, nvmlDeviceGetAddressingMode and nvmlDeviceGetGpuFabricInfo;
// for events: nvmlEventSetCreate, nvmlDeviceGetSupportedEventTypes, nvmlDeviceRegisterEvents,
//   nvmlEventSetWait_v2, nvmlEventSetFree.
//
// The PCIe root complex and NUMA node of each GPU come from sysfs:
// `<sysfs_root>/bus/pci/devices/<bus id>` resolved to its real path (the `pci<domain>:<bus>`
// component is the root) and its `numa_node` file (-1 or missing: no NUMA node).
//
// Error mapping: library missing -> NotFound; required symbol missing -> FailedPrecondition;
// NVML driver not loaded / init failure -> Unavailable; a failing query on a GPU -> Internal
// naming the GPU and the function. Messages start with "NVML".
//
// Thread-safety: NvmlGpuDiscovery is thread-safe (NVML is, and each Discover() call is
// independent). NvmlXidWatcher is thread-safe; its callback runs on the watcher's own thread.
#ifndef DRA_DRIVER_GPU_NVML_DISCOVERY_H_
#define DRA_DRIVER_GPU_NVML_DISCOVERY_H_

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "dra/driver/gpu/gpu_discovery.h"
#include "dra/driver/gpu/health.h"
#include "dra/driver/hardware.h"

namespace dra::driver::gpu {

namespace internal {
class NvmlLibrary;
}  // namespace internal

struct NvmlOptions {
  // dlopen()ed as given: a bare name searches the loader path, a path with '/' is used as is
  // (e.g. "<driver root>/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1").
  std::string library_path = "libnvidia-ml.so.1";
  // Root of the sysfs tree used for PCIe root and NUMA lookups.
  std::string sysfs_root = "/sys";
};

// What the XID watcher reports.
struct GpuHealthEvent {
  enum class Kind {
    kXid,          // an XID critical error on `xid.gpu_uuid`
    kGpuLost,      // NVML reports the GPU lost; empty gpu_uuid: every GPU is affected
    kUnmonitored,  // events cannot be registered for `gpu_uuid`
  };
  Kind kind = Kind::kXid;
  std::string gpu_uuid;
  XidEvent xid;  // kXid only
};

class NvmlXidWatcher;

class NvmlGpuDiscovery : public GpuDiscovery {
 public:
  // Loads the library and resolves its functions; NVML is initialized per Discover() call.
  static absl::StatusOr<std::unique_ptr<NvmlGpuDiscovery>> Create(NvmlOptions options = {});
  ~NvmlGpuDiscovery() override;

  absl::StatusOr<std::vector<GpuInfo>> Discover() override;

  // Starts watching XID critical errors on every GPU; `callback` gets each event (and one
  // kUnmonitored per GPU whose events cannot be registered). `wait_timeout_ms` bounds how long
  // Stop() may take. The watcher keeps the library loaded while it runs.
  absl::StatusOr<std::unique_ptr<NvmlXidWatcher>> WatchXids(
      std::function<void(const GpuHealthEvent&)> callback, int wait_timeout_ms = 5000);

 private:
  NvmlGpuDiscovery(std::shared_ptr<internal::NvmlLibrary> lib, NvmlOptions options)
      : lib_(std::move(lib)), options_(std::move(options)) {}

  std::shared_ptr<internal::NvmlLibrary> lib_;
  const NvmlOptions options_;
};

// A running XID watcher; stops (and joins its thread) on Stop() or destruction.
class NvmlXidWatcher {
 public:
  ~NvmlXidWatcher();
  NvmlXidWatcher(const NvmlXidWatcher&) = delete;
  NvmlXidWatcher& operator=(const NvmlXidWatcher&) = delete;

  // Idempotent; returns once the watcher thread has exited and NVML's event set is freed.
  void Stop();

 private:
  friend class NvmlGpuDiscovery;
  NvmlXidWatcher() = default;

  std::shared_ptr<internal::NvmlLibrary> lib_;
  std::atomic<bool> stop_{false};
  std::mutex join_mu_;
  std::thread thread_ ABSL_GUARDED_BY(join_mu_);
};

// PCIe root (`pci0000:3a`) of the PCI function `bus_id` under `sysfs_root`, nullopt when sysfs
// does not know the device.
std::optional<std::string> PcieRootFromSysfs(const std::string& sysfs_root,
                                             const std::string& bus_id);
// NUMA node of `bus_id` from sysfs, nullopt when missing or -1.
std::optional<int> NumaNodeFromSysfs(const std::string& sysfs_root, const std::string& bus_id);
// NVML's "00000000:3B:00.0" as the lower-case, 4-digit-domain form "0000:3b:00.0".
std::string NormalizePciBusId(const std::string& nvml_bus_id);

}  // namespace dra::driver::gpu

#endif  // DRA_DRIVER_GPU_NVML_DISCOVERY_H_
