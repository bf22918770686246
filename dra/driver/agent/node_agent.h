// The node agent (`dra node`): runs the node's DRA drivers (gpu.nvidia.com, dra.cpu, dra.net)
// against any Kubernetes API server.
//
// Start():
// - discovers the hardware: GPUs from NVML (`gpu_source` "nvml"; "auto" uses NVML when
//   libnvidia-ml loads and publishes no GPUs otherwise) or from a simulated hardware profile
//   ("profile:<name>" or a file; the profile's NICs and CPUs are then used as well); CPUs and
//   NICs of the machine from sysfs otherwise;
// - optionally registers the Node object (for clusters without a kubelet) and installs the
//   drivers' DeviceClasses when they do not exist;
// - publishes every driver's devices (SlicePublisher), with the device taints of the faults
//   in effect, and republishes when the faults change (checked every `resync_interval`; the
//   stored slices are also compared every `republish_interval`, repairing others' changes);
// - opens, per driver, a ClaimPreparer (checkpoint, CDI specs) and, when `serve_kubelet_grpc`,
//   the kubelet plugin sockets (registration, DRAPlugin v1/v1beta1, DRAResourceHealth);
// - when `simulate_kubelet`, does the kubelet's DRA part for pods bound to the node
//   (KubeletSimulator): prepare, pod Running with device health, unprepare.
//
// Health of real GPUs: with NVML, XID critical errors become taints as NVIDIA's driver reports
// them (gpu.nvidia.com/xid=<xid>, NoSchedule; None for application XIDs; gpu-lost; unmonitored
// when events cannot be registered), on the GPU device and its MIG devices, until the agent
// restarts.
// Faults (injected): `<state_dir>/faults.json` lists device taints to add,
// {"faults": [{"driver", "device", "key", "value", "effect"}]}; `dra node fault` edits it
// (AddFault/ClearFaults below), the agent picks changes up within `resync_interval`. A GPU
// fault also applies to the MIG devices and partitions of that GPU. A device with a
// NoSchedule or NoExecute taint is Unhealthy in DRAResourceHealth and in pod status.
//
// Thread-safe: Stop() from any thread.
#ifndef DRA_DRIVER_AGENT_NODE_AGENT_H_
#define DRA_DRIVER_AGENT_NODE_AGENT_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "dra/api/resource_types.h"
#include "dra/client/rest_client.h"
#include "dra/driver/agent/claim_preparer.h"
#include "dra/driver/agent/driver_plugin.h"
#include "dra/driver/agent/kubelet_simulator.h"
#include "dra/driver/agent/slice_publisher.h"
#include "dra/driver/gpu/nvml_discovery.h"
#include "dra/driver/grpc/health_publisher.h"
#include "dra/driver/grpc/kubelet_plugin_server.h"

namespace dra::driver {

struct NodeAgentOptions {
  std::string node_name;
  std::vector<std::string> drivers = {"gpu", "cpu", "net"};
  std::string gpu_source = "auto";  // auto, nvml, none, profile:<name>, or a profile file
  std::string nvml_library = "libnvidia-ml.so.1";
  std::string sysfs_root = "/sys";
  std::string proc_root = "/proc";
  std::string reserved_cpus;  // cpu list kept out of dra.cpu
  // GPUs shared by memory and NICs by bandwidth (KEP-5075 consumable capacity); no MIG
  // partitions then.
  bool consumable_capacity = false;
  std::string cdi_dir = "/var/run/cdi";
  std::string state_dir = "/var/lib/dra-node";
  bool serve_kubelet_grpc = true;
  std::string kubelet_plugins_dir = "/var/lib/kubelet/plugins";
  std::string kubelet_registry_dir = "/var/lib/kubelet/plugins_registry";
  std::string pod_uid;  // rolling-update socket names when set
  bool simulate_kubelet = false;
  bool register_node = false;
  bool install_device_classes = false;
  // Node labels when registering the Node.
  std::map<std::string, std::string> node_labels;
  absl::Duration resync_interval = absl::Seconds(1);
  // How often the stored slices are compared with what should be published even when nothing
  // changed here (repairs slices others changed or deleted).
  absl::Duration republish_interval = absl::Seconds(30);
};

// One fault: a taint on a device of a driver.
struct DeviceFault {
  std::string driver;
  std::string device;
  api::DeviceTaint taint;
  friend bool operator==(const DeviceFault&, const DeviceFault&) = default;
};

// Reads / writes `<state_dir>/faults.json` (missing file: no faults).
absl::StatusOr<std::vector<DeviceFault>> ReadFaults(const std::string& state_dir);
absl::Status WriteFaults(const std::string& state_dir, const std::vector<DeviceFault>& faults);
// Adds a fault (replacing one with the same driver, device and key).
absl::Status AddFault(const std::string& state_dir, DeviceFault fault);
// Removes the faults of `device` ("" = every device) of `driver` ("" = every driver).
absl::Status ClearFaults(const std::string& state_dir, const std::string& driver,
                         const std::string& device);

class NodeAgent {
 public:
  // `client` must outlive the agent.
  static absl::StatusOr<std::unique_ptr<NodeAgent>> Start(client::RestClient* client,
                                                          NodeAgentOptions options);
  ~NodeAgent();

  void Stop();

  // Driver names run by this agent.
  std::vector<std::string> driver_names() const;
  // Startup findings (checkpoint recovery, discovery fallbacks), one line each.
  std::vector<std::string> report() const;
  // The kubelet sockets of a driver (nullptr when not served).
  const KubeletPluginServer* kubelet_server(const std::string& driver) const;
  // The claim preparer of a driver (nullptr when the driver is not run).
  ClaimPreparer* preparer(const std::string& driver) const;
  // Publishes now (faults re-read); what the periodic loop does.
  absl::Status Resync();

 private:
  struct Driver {
    std::unique_ptr<DriverPlugin> plugin;
    std::unique_ptr<ClaimPreparer> preparer;
    std::unique_ptr<DeviceHealthPublisher> health;
    std::unique_ptr<KubeletPluginServer> server;
    std::unique_ptr<SlicePublisher> publisher;
    DriverResources base;                      // devices without fault taints
    std::optional<DriverResources> published;  // what the last successful Publish wrote
    absl::Time next_full_publish;
  };

  NodeAgent(client::RestClient* client, NodeAgentOptions options)
      : client_(client), options_(std::move(options)) {}

  absl::Status Init();
  absl::Status RegisterNode();
  void InstallDeviceClasses(const DriverPlugin& plugin);
  std::string DeviceHealth(const std::string& driver, const std::string& device) const;
  void Run();
  void OnGpuHealthEvent(const gpu::GpuHealthEvent& event);

  client::RestClient* const client_;
  const NodeAgentOptions options_;
  std::map<std::string, Driver> drivers_;
  std::vector<std::string> report_;
  std::unique_ptr<KubeletSimulator> simulator_;
  Hardware hardware_;
  std::unique_ptr<gpu::NvmlGpuDiscovery> nvml_;
  std::unique_ptr<gpu::NvmlXidWatcher> xid_watcher_;

  mutable absl::Mutex mu_;
  std::vector<DeviceFault> faults_ ABSL_GUARDED_BY(mu_);
  // Faults reported by NVML (XID events), in addition to the file's.
  std::vector<DeviceFault> gpu_events_ ABSL_GUARDED_BY(mu_);
  bool faults_loaded_ ABSL_GUARDED_BY(mu_) = false;
  // driver -> device -> health ("Healthy", "Unhealthy").
  std::map<std::string, std::map<std::string, std::string>> health_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::Mutex resync_mu_;  // one Resync at a time (publishers are thread-compatible)
  std::vector<DeviceFault> seen_faults_ ABSL_GUARDED_BY(resync_mu_);
  std::thread loop_;
};

}  // namespace dra::driver

#endif  // DRA_DRIVER_AGENT_NODE_AGENT_H_
