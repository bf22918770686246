// What a node's hardware looks like, as discovery backends report it: GPUs as NVML describes
// them, NICs and CPUs as sysfs does. Real discovery (nvml/, cpu/, net/) and simulated hardware
// profiles (profiles/) both produce these values; the device models (gpu/, cpu/, net/) turn
// them into ResourceSlice devices, so a profile and real hardware publish identical shapes.
//
// Value types; thread-compatible.
#ifndef DRA_DRIVER_HARDWARE_H_
#define DRA_DRIVER_HARDWARE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dra::driver {

// Where a PCI function sits: bus ID `0000:3b:00.0` (lower case, 4-digit domain), its PCIe root
// complex `pci0000:3a` and NUMA node (absent when sysfs says -1 or nothing).
struct PciLocation {
  std::string bus_id;
  std::optional<std::string> pcie_root;
  std::optional<int> numa_node;
  friend bool operator==(const PciLocation&, const PciLocation&) = default;
};

// One GPU instance profile a MIG-capable GPU supports (nvmlGpuInstanceProfileInfo_t plus the
// profile name as go-nvlib prints it, e.g. "1g.10gb", "1g.10gb+me", "7g.80gb"), with the
// placements it can take (start slot and size in memory slices).
struct MigProfile {
  std::string name;
  int gpu_instance_profile_id = 0;  // NVML_GPU_INSTANCE_PROFILE_* value
  int slice_count = 0;              // GPU slices (the "g" of the name)
  int64_t memory_mib = 0;
  int multiprocessors = 0;
  int copy_engines = 0;
  int decoders = 0;
  int encoders = 0;
  int jpeg_engines = 0;
  int ofa_engines = 0;
  struct Placement {
    int start = 0;
    int size = 0;
    friend bool operator==(const Placement&, const Placement&) = default;
  };
  std::vector<Placement> placements;
  friend bool operator==(const MigProfile&, const MigProfile&) = default;
};

// A MIG device that exists on a GPU (created out of band, e.g. by mig-parted).
struct MigDevice {
  std::string uuid;     // MIG-...
  std::string profile;  // as in MigProfile::name
  int gpu_instance_id = 0;
  int compute_instance_id = 0;
  MigProfile::Placement placement;
  friend bool operator==(const MigDevice&, const MigDevice&) = default;
};

// One physical GPU as NVML reports it.
struct GpuInfo {
  int index = 0;                               // NVML index
  int minor = 0;                               // /dev/nvidia<minor>; device names use it
  std::string uuid;                            // GPU-...
  std::string product_name;                    // "NVIDIA H100 80GB HBM3"
  std::string brand;                           // "Tesla", "Nvidia", "GeForce", "NvidiaRTX", ...
  std::string architecture;                    // "Ampere", "Hopper", ...
  std::string cuda_compute_capability;         // "9.0"
  std::string driver_version;                  // "570.133.20"
  std::string cuda_driver_version;             // "12.8"
  std::optional<std::string> addressing_mode;  // "HMM", "ATS", "None"
  std::optional<int64_t> memory_bytes;         // absent when NVML says NOT_SUPPORTED
  PciLocation pci;
  bool mig_capable = false;
  bool mig_enabled = false;
  // What the GPU can be cut into (mig_capable only): one entry per GPU instance profile whose
  // compute instance spans the whole instance, sorted by (slice_count, memory_mib, name).
  std::vector<MigProfile> mig_profiles;
  // MIG devices that exist now (mig_enabled only), sorted by placement start; each names one of
  // mig_profiles.
  std::vector<MigDevice> mig_devices;
  std::optional<std::string> nvlink_domain;  // fabric clique "<clusterUUID>.<cliqueId>"
  friend bool operator==(const GpuInfo&, const GpuInfo&) = default;
};

// One network interface (or an RDMA-only PCI function) as sysfs reports it.
struct NicInfo {
  std::string if_name;             // "" for an RDMA device without a netdev
  std::optional<PciLocation> pci;  // absent for virtual interfaces
  std::string mac;                 // "aa:bb:cc:dd:ee:ff"
  int mtu = 0;
  std::string link_type;    // "ether", "infiniband", "loopback", ...
  std::string state;        // operstate: "up", "down", "unknown"
  bool is_virtual = false;  // no PCI device behind it
  bool rdma = false;
  std::optional<std::string> rdma_device;  // "mlx5_0"
  std::optional<std::string> pci_vendor;   // "15b3"
  std::optional<std::string> pci_device;   // "1021"
  bool sriov = false;
  int sriov_vfs = 0;
  bool is_sriov_vf = false;
  std::optional<int64_t> speed_mbps;  // link speed when known
  // Link kind where sysfs reveals it: "device" (backed by hardware), "veth", "bridge", "bond",
  // "vlan", "tun", "macvlan", "dummy" ...; "" when unknown.
  std::string kind;
  int sriov_total_vfs = 0;  // sriov_totalvfs of the PCI function (0: not SR-IOV capable)
  friend bool operator==(const NicInfo&, const NicInfo&) = default;
};

// One logical CPU as sysfs reports it.
struct CpuInfo {
  int cpu_id = 0;
  int core_id = 0;
  int socket_id = 0;
  int numa_node = 0;
  std::optional<int> l3_cache_id;
  std::string core_type = "standard";  // "standard", "p-core", "e-core"
  friend bool operator==(const CpuInfo&, const CpuInfo&) = default;
};

// Everything discovered on one node.
struct Hardware {
  std::vector<GpuInfo> gpus;
  std::vector<NicInfo> nics;
  std::vector<CpuInfo> cpus;
  friend bool operator==(const Hardware&, const Hardware&) = default;
};

// True when a SMT sibling shares a core with another CPU of `cpus`.
bool SmtEnabled(const std::vector<CpuInfo>& cpus);

}  // namespace dra::driver

#endif  // DRA_DRIVER_HARDWARE_H_
