#include "dra/driver/agent/plugins.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <utility>

#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/driver/agent/gpu_config.h"
#include "dra/driver/resources.h"

namespace dra::driver {
namespace {

cdi::DeviceNode CharDevice(std::string path) {
  cdi::DeviceNode node;
  node.path = std::move(path);
  node.type = "c";
  return node;
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

api::Value StringArray(const std::vector<std::string>& items) {
  std::vector<api::Value> values;
  for (const std::string& item : items) values.push_back(api::Value::String(item));
  return api::Value::Array(std::move(values));
}

}  // namespace

std::string DerivedUuid(std::string_view prefix, const std::string& seed) {
  size_t a = std::hash<std::string>{}(seed);
  size_t b = std::hash<std::string>{}(seed + "#");
  char text[64];
  std::snprintf(text, sizeof(text), "%08zx-%04zx-%04zx-%04zx-%012zx", a & 0xffffffff,
                (a >> 32) & 0xffff, (a >> 48) & 0xffff, b & 0xffff, (b >> 16) & 0xffffffffffff);
  return StrCat(prefix, text);
}

// ---------------------------------------------------------------------------------------------
// gpu.nvidia.com

GpuPlugin::GpuPlugin(std::vector<GpuInfo> gpus, GpuPluginOptions options)
    : gpus_(std::move(gpus)), options_(std::move(options)) {
  for (const GpuInfo& gpu : gpus_) {
    devices_[gpu::GpuDeviceName(gpu.minor)] = DeviceRef{.gpu = &gpu};
    for (const MigDevice& mig : gpu.mig_devices) {
      for (const MigProfile& profile : gpu.mig_profiles) {
        if (profile.name != mig.profile) continue;
        devices_[gpu::MigDeviceName(gpu.minor, profile.name, profile.gpu_instance_profile_id,
                                    mig.placement.start)] = DeviceRef{.gpu = &gpu, .mig = &mig};
      }
    }
    if (gpu.mig_capable && !gpu.mig_enabled) {
      for (const MigProfile& profile : gpu.mig_profiles) {
        for (const MigProfile::Placement& placement : profile.placements) {
          devices_[gpu::MigDeviceName(gpu.minor, profile.name, profile.gpu_instance_profile_id,
                                      placement.start)] =
              DeviceRef{.gpu = &gpu, .partition = &profile, .placement_start = placement.start};
        }
      }
    }
  }
}

std::string GpuPlugin::name() const { return kGpuDriverName; }

absl::StatusOr<DriverResources> GpuPlugin::Resources() {
  return gpu::GpuDriverResources(gpus_, options_.model);
}

std::vector<api::DeviceClass> GpuPlugin::DeviceClasses() const { return gpu::GpuDeviceClasses(); }

const GpuPlugin::DeviceRef* GpuPlugin::Find(const std::string& device) const {
  auto it = devices_.find(device);
  return it == devices_.end() ? nullptr : &it->second;
}

absl::StatusOr<ClaimPreparation> GpuPlugin::Prepare(
    const api::ResourceClaim& claim,
    const std::vector<api::DeviceRequestAllocationResult>& results) {
  ClaimPreparation prep;
  std::vector<std::string> uuids;
  std::vector<api::Value> created_migs;
  std::optional<GpuSharing> sharing;
  const std::vector<api::DeviceAllocationConfiguration> no_configs;
  const std::vector<api::DeviceAllocationConfiguration>& configs =
      claim.status.allocation.has_value() ? claim.status.allocation->devices.config : no_configs;
  for (const api::DeviceRequestAllocationResult& result : results) {
    const DeviceRef* ref = Find(result.device);
    if (ref == nullptr) {
      return absl::NotFoundError(
          StrCat("device ", result.device, " of pool ", result.pool, " is not a GPU of this node"));
    }
    bool is_mig = ref->mig != nullptr || ref->partition != nullptr;
    if (const api::OpaqueDeviceConfiguration* opaque =
            ConfigForResult(configs, kGpuDriverName, result.request)) {
      absl::StatusOr<GpuConfig> config = DecodeGpuConfig(opaque->parameters);
      if (!config.ok()) {
        return absl::InvalidArgumentError(
            StrCat("request ", result.request,
                   ": invalid opaque config for gpu.nvidia.com: ", config.status().message()));
      }
      if (is_mig != (config->kind == "MigDeviceConfig")) {
        return absl::InvalidArgumentError(StrCat("request ", result.request, ": cannot apply ",
                                                 config->kind, " to ",
                                                 is_mig ? "MIG device " : "GPU ", result.device));
      }
      if (config->sharing.has_value()) sharing = config->sharing;
    }
    cdi::ContainerEdits edits;
    edits.device_nodes.push_back(CharDevice(StrCat("/dev/nvidia", ref->gpu->minor)));
    if (ref->mig != nullptr) {
      uuids.push_back(ref->mig->uuid);
      edits.device_nodes.push_back(CharDevice(StrCat("/dev/nvidia-caps/nvidia-cap", ref->gpu->minor,
                                                     "-gi", ref->mig->gpu_instance_id)));
      edits.device_nodes.push_back(
          CharDevice(StrCat("/dev/nvidia-caps/nvidia-cap", ref->gpu->minor, "-gi",
                            ref->mig->gpu_instance_id, "-ci", ref->mig->compute_instance_id)));
    } else if (ref->partition != nullptr) {
      if (!options_.simulated) {
        return absl::FailedPreconditionError(
            StrCat("device ", result.device,
                   ": creating MIG devices on a real GPU is not supported "
                   "(it would change the GPU's configuration); partition the GPU out of band"));
      }
      std::string uuid = DerivedUuid("MIG-", StrCat(claim.metadata.uid, "/", result.device));
      uuids.push_back(uuid);
      created_migs.push_back(
          api::Value::Object({{"device", api::Value::String(result.device)},
                              {"uuid", api::Value::String(uuid)},
                              {"parentUUID", api::Value::String(ref->gpu->uuid)},
                              {"profile", api::Value::String(ref->partition->name)},
                              {"placementStart", api::Value::Int(ref->placement_start)}}));
    } else {
      uuids.push_back(ref->gpu->uuid);
    }
    prep.device_edits.push_back(std::move(edits));
  }
  for (const char* node : {"/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools"}) {
    prep.common_edits.device_nodes.push_back(CharDevice(node));
  }
  prep.common_edits.env.push_back(StrCat("NVIDIA_VISIBLE_DEVICES=", Join(uuids, ",")));
  prep.common_edits.env.push_back(StrCat("CUDA_VISIBLE_DEVICES=", Join(uuids, ",")));
  std::vector<api::Value::Member> data;
  data.emplace_back("uuids", StringArray(uuids));
  if (!created_migs.empty()) data.emplace_back("migDevices", api::Value::Array(created_migs));
  if (sharing.has_value()) {
    data.emplace_back("strategy", api::Value::String(sharing->strategy));
    if (sharing->strategy == "TimeSlicing") {
      std::string interval = sharing->time_slice_interval.value_or("Default");
      data.emplace_back("timeSliceInterval", api::Value::String(interval));
    } else if (sharing->strategy == "MPS" && sharing->mps.has_value()) {
      std::filesystem::path dir =
          std::filesystem::path(options_.state_dir) / "mps" / claim.metadata.uid;
      std::error_code ec;
      std::filesystem::create_directories(dir / "pipe", ec);
      std::filesystem::create_directories(dir / "shm", ec);
      if (ec) {
        return absl::UnavailableError(
            StrCat("creating MPS directories in ", dir.string(), ": ", ec.message()));
      }
      prep.common_edits.env.push_back("CUDA_MPS_PIPE_DIRECTORY=/tmp/nvidia-mps");
      if (sharing->mps->default_active_thread_percentage.has_value()) {
        prep.common_edits.env.push_back(StrCat("CUDA_MPS_ACTIVE_THREAD_PERCENTAGE=",
                                               *sharing->mps->default_active_thread_percentage));
      }
      DRA_ASSIGN_OR_RETURN(auto limits, NormalizePinnedMemoryLimits(*sharing->mps, uuids));
      if (!limits.empty()) {
        std::vector<std::string> parts;
        for (const auto& [uuid, limit] : limits) parts.push_back(StrCat(uuid, "=", limit));
        prep.common_edits.env.push_back(
            StrCat("CUDA_MPS_PINNED_DEVICE_MEM_LIMIT=", Join(parts, ",")));
      }
      prep.common_edits.mounts.push_back(cdi::Mount{.host_path = (dir / "pipe").string(),
                                                    .container_path = "/tmp/nvidia-mps",
                                                    .options = {"rw", "nosuid", "nodev", "bind"}});
      prep.common_edits.mounts.push_back(cdi::Mount{.host_path = (dir / "shm").string(),
                                                    .container_path = "/dev/shm",
                                                    .options = {"rw", "nosuid", "nodev", "bind"}});
      data.emplace_back("mpsDirectory", api::Value::String(dir.string()));
    }
  }
  prep.driver_data = api::Value::Object(std::move(data));
  return prep;
}

absl::Status GpuPlugin::Unprepare(const std::string& claim_uid, const api::Value& driver_data) {
  (void)claim_uid;
  if (const api::Value* dir = driver_data.Find("mpsDirectory"); dir && dir->is_string()) {
    std::error_code ec;
    std::filesystem::remove_all(dir->text(), ec);
    if (ec) {
      return absl::UnavailableError(StrCat("removing ", dir->text(), ": ", ec.message()));
    }
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// dra.cpu

CpuPlugin::CpuPlugin(std::vector<CpuInfo> cpus, CpuModelOptions options)
    : cpus_(std::move(cpus)), options_(std::move(options)) {
  for (CpuDeviceGroup& group : CpuDeviceGroups(cpus_, options_)) {
    std::string name = group.name;
    groups_[name] = std::move(group);
  }
}

std::string CpuPlugin::name() const { return kCpuDriverName; }

absl::StatusOr<DriverResources> CpuPlugin::Resources() {
  return CpuDriverResources(cpus_, options_);
}

std::vector<api::DeviceClass> CpuPlugin::DeviceClasses() const { return CpuDeviceClasses(); }

absl::StatusOr<ClaimPreparation> CpuPlugin::Prepare(
    const api::ResourceClaim& claim,
    const std::vector<api::DeviceRequestAllocationResult>& results) {
  ClaimPreparation prep;
  const std::string& uid = claim.metadata.uid;
  absl::MutexLock lock(&mu_);
  std::vector<int> taken;
  auto release = [&] {
    for (int cpu : taken) cpu_owner_.erase(cpu);
  };
  for (const api::DeviceRequestAllocationResult& result : results) {
    auto group = groups_.find(result.device);
    if (group == groups_.end()) {
      release();
      return absl::NotFoundError(StrCat("device ", result.device,
                                        " is not a CPU device of "
                                        "this node"));
    }
    int64_t wanted = static_cast<int64_t>(group->second.cpus.size());
    if (auto it = result.consumed_capacity.find(kCpuCapacity);
        it != result.consumed_capacity.end()) {
      wanted = it->second.Value();
    }
    std::vector<int> cpus;
    for (int cpu : group->second.cpus) {
      if (static_cast<int64_t>(cpus.size()) >= wanted) break;
      auto owner = cpu_owner_.find(cpu);
      if (owner != cpu_owner_.end() && owner->second != uid) continue;
      cpus.push_back(cpu);
    }
    if (static_cast<int64_t>(cpus.size()) < wanted) {
      release();
      return absl::ResourceExhaustedError(StrCat("device ", result.device, ": ", wanted,
                                                 " CPUs wanted, only ", cpus.size(),
                                                 " not given to other claims"));
    }
    for (int cpu : cpus) {
      cpu_owner_[cpu] = uid;
      taken.push_back(cpu);
    }
    cdi::ContainerEdits edits;
    std::string key = uid;
    std::replace(key.begin(), key.end(), '-', '_');
    edits.env.push_back(StrCat("DRA_CPUSET_", key, "=", FormatCpuList(cpus)));
    prep.device_edits.push_back(std::move(edits));
  }
  std::vector<api::Value> cpu_values;
  for (int cpu : taken) cpu_values.push_back(api::Value::Int(cpu));
  prep.driver_data = api::Value::Object({{"cpus", api::Value::Array(std::move(cpu_values))}});
  return prep;
}

absl::Status CpuPlugin::Unprepare(const std::string& claim_uid, const api::Value& driver_data) {
  (void)driver_data;
  absl::MutexLock lock(&mu_);
  for (auto it = cpu_owner_.begin(); it != cpu_owner_.end();) {
    it = it->second == claim_uid ? cpu_owner_.erase(it) : std::next(it);
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// dra.net

NetPlugin::NetPlugin(std::vector<NicInfo> nics, NetModelOptions options)
    : nics_(std::move(nics)), options_(std::move(options)) {
  for (const NicInfo& nic : nics_) {
    std::string name;
    if (nic.if_name.empty() || (options_.name_pci_nics_by_address && nic.pci.has_value())) {
      name = nic.pci.has_value() ? NetPciDeviceName(nic.pci->bus_id) : "";
    } else {
      name = NetInterfaceDeviceName(nic.if_name);
    }
    if (!name.empty()) by_device_.emplace(name, &nic);
  }
}

std::string NetPlugin::name() const { return kNetDriverName; }

absl::StatusOr<DriverResources> NetPlugin::Resources() {
  return NetDriverResources(nics_, options_);
}

std::vector<api::DeviceClass> NetPlugin::DeviceClasses() const { return NetDeviceClasses(); }

absl::StatusOr<ClaimPreparation> NetPlugin::Prepare(
    const api::ResourceClaim& claim,
    const std::vector<api::DeviceRequestAllocationResult>& results) {
  (void)claim;
  ClaimPreparation prep;
  bool rdma = false;
  for (const api::DeviceRequestAllocationResult& result : results) {
    auto it = by_device_.find(result.device);
    if (it == by_device_.end()) {
      return absl::NotFoundError(StrCat("device ", result.device, " is not a NIC of this node"));
    }
    const NicInfo& nic = *it->second;
    cdi::ContainerEdits edits;
    std::string key = result.device;
    std::replace(key.begin(), key.end(), '-', '_');
    if (!nic.if_name.empty()) edits.env.push_back(StrCat("DRA_NET_", key, "=", nic.if_name));
    if (nic.rdma) {
      rdma = true;
      if (nic.rdma_device.has_value()) {
        edits.env.push_back(StrCat("DRA_NET_RDMA_", key, "=", *nic.rdma_device));
      }
      edits.device_nodes.push_back(
          CharDevice(StrCat("/dev/infiniband/uverbs",
                            nic.rdma_device.has_value()
                                ? nic.rdma_device->substr(nic.rdma_device->find_last_of('_') + 1)
                                : "0")));
    }
    prep.device_edits.push_back(std::move(edits));
  }
  if (rdma) prep.common_edits.device_nodes.push_back(CharDevice("/dev/infiniband/rdma_cm"));
  prep.driver_data = api::Value::Object({});
  return prep;
}

absl::Status NetPlugin::Unprepare(const std::string& claim_uid, const api::Value& driver_data) {
  (void)claim_uid;
  (void)driver_data;
  return absl::OkStatus();
}

}  // namespace dra::driver
