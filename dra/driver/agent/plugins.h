// The node agent's drivers: gpu.nvidia.com (GPUs, MIG devices and MIG partitions), dra.cpu and
// dra.net, each a DriverPlugin over discovered (or simulated) hardware.
//
// What a prepared claim gets (one CDI spec per claim and driver, devices named
// `<claimUID>-<device>`):
// - gpu.nvidia.com (vendor k8s.gpu.nvidia.com, class claim): spec-level device nodes
//   /dev/nvidiactl, /dev/nvidia-uvm, /dev/nvidia-uvm-tools and env NVIDIA_VISIBLE_DEVICES /
//   CUDA_VISIBLE_DEVICES with the UUIDs of the claim's devices; per device /dev/nvidia<minor>
//   (MIG devices add /dev/nvidia-caps/nvidia-cap<N> of their GPU and compute instance).
//   Opaque GpuConfig / MigDeviceConfig (gpu_config.h) is applied by NVIDIA's rule: a GpuConfig
//   on a MIG device (or the reverse) fails the prepare. MPS sharing adds
//   CUDA_MPS_PIPE_DIRECTORY=/tmp/nvidia-mps, CUDA_MPS_ACTIVE_THREAD_PERCENTAGE and
//   CUDA_MPS_PINNED_DEVICE_MEM_LIMIT and mounts a per-claim pipe and shm directory under the
//   state directory; TimeSlicing is recorded in the spec annotation
//   `gpu.nvidia.com/sharing`. The GPU's own settings are never changed (no nvidia-smi, no
//   MPS control daemon, no compute-mode change): on real hardware sharing works as the
//   default time-sliced GPU. A MIG partition (DynamicMIG) is "created" only on simulated
//   hardware (a MIG UUID derived from the claim); on real GPUs preparing one fails, since that
//   would change the GPU's configuration.
// - dra.cpu (vendor dra.k8s.io, class cpu): env DRA_CPUSET_<claim UID with '-' as '_'>=<cpus>,
//   the CPUs of the device (grouped devices: as many of the group's CPUs as the consumed
//   `dra.cpu/cpu` capacity, not given to another claim yet; individual devices: the CPU).
// - dra.net (vendor dra.net, class claim): RDMA NICs get /dev/infiniband/uverbs* and rdma_cm
//   device nodes and env DRA_NET_<device>=<ifName>; moving the netdev into the pod's network
//   namespace needs an NRI plugin, which dra does not have.
//
// Thread-safe.
#ifndef DRA_DRIVER_AGENT_PLUGINS_H_
#define DRA_DRIVER_AGENT_PLUGINS_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "dra/driver/agent/driver_plugin.h"
#include "dra/driver/cpu/cpu.h"
#include "dra/driver/gpu/gpu_devices.h"
#include "dra/driver/hardware.h"
#include "dra/driver/net/net.h"

namespace dra::driver {

// A UUID-shaped identifier ("<prefix>xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx") derived from `seed`,
// the same for the same seed (simulated MIG devices, per-node simulated GPUs).
std::string DerivedUuid(std::string_view prefix, const std::string& seed);

struct GpuPluginOptions {
  gpu::GpuModelOptions model;
  // The GPUs are simulated (a profile): MIG partitions may be "created".
  bool simulated = false;
  // Per-claim MPS directories go below <state_dir>/mps/<claim UID>/.
  std::string state_dir = "/var/lib/dra-node";
};

class GpuPlugin : public DriverPlugin {
 public:
  GpuPlugin(std::vector<GpuInfo> gpus, GpuPluginOptions options);

  std::string name() const override;
  std::string cdi_vendor() const override { return "k8s.gpu.nvidia.com"; }
  std::string cdi_class() const override { return "claim"; }
  absl::StatusOr<DriverResources> Resources() override;
  std::vector<api::DeviceClass> DeviceClasses() const override;
  absl::StatusOr<ClaimPreparation> Prepare(
      const api::ResourceClaim& claim,
      const std::vector<api::DeviceRequestAllocationResult>& results) override;
  absl::Status Unprepare(const std::string& claim_uid, const api::Value& driver_data) override;

 private:
  // What a published device name stands for.
  struct DeviceRef {
    const GpuInfo* gpu = nullptr;
    const MigDevice* mig = nullptr;         // an existing MIG device
    const MigProfile* partition = nullptr;  // a MIG partition (DynamicMIG)
    int placement_start = 0;
  };
  const DeviceRef* Find(const std::string& device) const;

  const std::vector<GpuInfo> gpus_;
  const GpuPluginOptions options_;
  std::map<std::string, DeviceRef> devices_;
};

class CpuPlugin : public DriverPlugin {
 public:
  CpuPlugin(std::vector<CpuInfo> cpus, CpuModelOptions options);

  std::string name() const override;
  std::string cdi_vendor() const override { return "dra.k8s.io"; }
  std::string cdi_class() const override { return "cpu"; }
  absl::StatusOr<DriverResources> Resources() override;
  std::vector<api::DeviceClass> DeviceClasses() const override;
  absl::StatusOr<ClaimPreparation> Prepare(
      const api::ResourceClaim& claim,
      const std::vector<api::DeviceRequestAllocationResult>& results) override;
  absl::Status Unprepare(const std::string& claim_uid, const api::Value& driver_data) override;

 private:
  const std::vector<CpuInfo> cpus_;
  const CpuModelOptions options_;
  std::map<std::string, CpuDeviceGroup> groups_;
  absl::Mutex mu_;
  std::map<int, std::string> cpu_owner_ ABSL_GUARDED_BY(mu_);  // cpu -> claim UID
};

class NetPlugin : public DriverPlugin {
 public:
  NetPlugin(std::vector<NicInfo> nics, NetModelOptions options);

  std::string name() const override;
  std::string cdi_vendor() const override { return "dra.net"; }
  std::string cdi_class() const override { return "claim"; }
  absl::StatusOr<DriverResources> Resources() override;
  std::vector<api::DeviceClass> DeviceClasses() const override;
  absl::StatusOr<ClaimPreparation> Prepare(
      const api::ResourceClaim& claim,
      const std::vector<api::DeviceRequestAllocationResult>& results) override;
  absl::Status Unprepare(const std::string& claim_uid, const api::Value& driver_data) override;

 private:
  const std::vector<NicInfo> nics_;
  const NetModelOptions options_;
  std::map<std::string, const NicInfo*> by_device_;
};

}  // namespace dra::driver

#endif  // DRA_DRIVER_AGENT_PLUGINS_H_
