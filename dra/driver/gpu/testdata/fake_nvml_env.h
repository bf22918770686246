// Test support: turns GpuInfo values into what the fake libnvidia-ml (fake_nvml.cc) serves and
// into a fake sysfs tree, so that NVML discovery over them can be compared with the input.
//
// Single-threaded test helpers.
#ifndef DRA_DRIVER_GPU_TESTDATA_FAKE_NVML_ENV_H_
#define DRA_DRIVER_GPU_TESTDATA_FAKE_NVML_ENV_H_

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "dra/driver/gpu/internal/nvml_api.h"
#include "dra/driver/hardware.h"

namespace dra::driver::gpu::testing {

// The NVML GPU instance profile index of `p` among `all`: variants by suffix, otherwise the
// N-slice index, and REV2 for the larger of two plain 1-slice profiles.
inline unsigned int NvmlProfileIndex(const MigProfile& p, const std::vector<MigProfile>& all) {
  auto ends_with = [&](const std::string& suffix) {
    return p.name.size() >= suffix.size() &&
           p.name.compare(p.name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  const bool two = p.slice_count == 2;
  if (ends_with("+me.all")) {
    return two ? nvml::kGpuInstanceProfile2SliceAllMe : nvml::kGpuInstanceProfile1SliceAllMe;
  }
  if (ends_with("+me")) {
    return two ? nvml::kGpuInstanceProfile2SliceRev1 : nvml::kGpuInstanceProfile1SliceRev1;
  }
  if (ends_with("-me")) {
    return two ? nvml::kGpuInstanceProfile2SliceNoMe : nvml::kGpuInstanceProfile1SliceNoMe;
  }
  switch (p.slice_count) {
    case 1:
      for (const MigProfile& o : all) {
        if (o.slice_count == 1 && o.name.find_first_of("+-") == std::string::npos &&
            o.memory_mib < p.memory_mib) {
          return nvml::kGpuInstanceProfile1SliceRev2;
        }
      }
      return nvml::kGpuInstanceProfile1Slice;
    case 2:
      return nvml::kGpuInstanceProfile2Slice;
    case 3:
      return nvml::kGpuInstanceProfile3Slice;
    case 4:
      return nvml::kGpuInstanceProfile4Slice;
    case 6:
      return nvml::kGpuInstanceProfile6Slice;
    case 7:
      return nvml::kGpuInstanceProfile7Slice;
    default:
      return nvml::kGpuInstanceProfile8Slice;
  }
}

// Writes the fake library's state file for `gpus` (all GPUs share the first GPU's driver
// versions). `events_unsupported` lists GPU indices whose XID events cannot be registered.
inline void WriteFakeNvmlState(const std::vector<GpuInfo>& gpus, const std::string& path,
                               const std::vector<int>& events_unsupported = {}) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  if (!gpus.empty()) {
    out << YAML::Key << "driverVersion" << YAML::Value << gpus[0].driver_version;
    const std::string& cuda = gpus[0].cuda_driver_version;
    const size_t dot = cuda.find('.');
    out << YAML::Key << "cudaDriverVersion" << YAML::Value
        << std::stoi(cuda.substr(0, dot)) * 1000 + std::stoi(cuda.substr(dot + 1)) * 10;
  }
  out << YAML::Key << "gpus" << YAML::Value << YAML::BeginSeq;
  for (const GpuInfo& g : gpus) {
    out << YAML::BeginMap;
    out << YAML::Key << "minor" << YAML::Value << g.minor;
    out << YAML::Key << "uuid" << YAML::Value << g.uuid;
    out << YAML::Key << "name" << YAML::Value << g.product_name;
    out << YAML::Key << "brand" << YAML::Value << nvml::BrandValue(g.brand.c_str());
    out << YAML::Key << "architecture" << YAML::Value
        << nvml::ArchitectureValue(g.architecture.c_str());
    const size_t dot = g.cuda_compute_capability.find('.');
    out << YAML::Key << "ccMajor" << YAML::Value
        << std::stoi(g.cuda_compute_capability.substr(0, dot));
    out << YAML::Key << "ccMinor" << YAML::Value
        << std::stoi(g.cuda_compute_capability.substr(dot + 1));
    if (g.memory_bytes) out << YAML::Key << "memory" << YAML::Value << *g.memory_bytes;
    // NVML prints an 8-digit domain in upper case.
    std::string bus = "0000" + g.pci.bus_id;
    for (char& c : bus) c = static_cast<char>(std::toupper(c));
    out << YAML::Key << "busId" << YAML::Value << bus;
    if (g.addressing_mode) {
      out << YAML::Key << "addressingMode" << YAML::Value
          << (*g.addressing_mode == "HMM"   ? 1
              : *g.addressing_mode == "ATS" ? 2
                                            : 0);
    }
    if (g.nvlink_domain) {
      const size_t d = g.nvlink_domain->rfind('.');
      out << YAML::Key << "fabric" << YAML::Value << YAML::BeginMap << YAML::Key << "clusterUuid"
          << YAML::Value << g.nvlink_domain->substr(0, d) << YAML::Key << "cliqueId" << YAML::Value
          << std::stoul(g.nvlink_domain->substr(d + 1)) << YAML::EndMap;
    }
    for (int u : events_unsupported) {
      if (u == g.index) out << YAML::Key << "eventsUnsupported" << YAML::Value << true;
    }
    if (g.mig_capable) {
      out << YAML::Key << "migMode" << YAML::Value << (g.mig_enabled ? 1 : 0);
      out << YAML::Key << "profiles" << YAML::Value << YAML::BeginSeq;
      for (const MigProfile& p : g.mig_profiles) {
        out << YAML::Flow << YAML::BeginMap;
        out << YAML::Key << "index" << YAML::Value << NvmlProfileIndex(p, g.mig_profiles);
        out << YAML::Key << "id" << YAML::Value << p.gpu_instance_profile_id;
        out << YAML::Key << "slices" << YAML::Value << p.slice_count;
        out << YAML::Key << "memoryMiB" << YAML::Value << p.memory_mib;
        out << YAML::Key << "sm" << YAML::Value << p.multiprocessors;
        out << YAML::Key << "ce" << YAML::Value << p.copy_engines;
        out << YAML::Key << "dec" << YAML::Value << p.decoders;
        out << YAML::Key << "enc" << YAML::Value << p.encoders;
        out << YAML::Key << "jpeg" << YAML::Value << p.jpeg_engines;
        out << YAML::Key << "ofa" << YAML::Value << p.ofa_engines;
        out << YAML::Key << "placements" << YAML::Value << YAML::BeginSeq;
        for (const MigProfile::Placement& pl : p.placements) {
          out << YAML::Flow << YAML::BeginSeq << pl.start << pl.size << YAML::EndSeq;
        }
        out << YAML::EndSeq << YAML::EndMap;
      }
      out << YAML::EndSeq;
      out << YAML::Key << "migDevices" << YAML::Value << YAML::BeginSeq;
      // Reverse order: discovery must sort by placement whatever NVML's order.
      for (auto it = g.mig_devices.rbegin(); it != g.mig_devices.rend(); ++it) {
        int profile_id = -1;
        for (const MigProfile& p : g.mig_profiles) {
          if (p.name == it->profile) profile_id = p.gpu_instance_profile_id;
        }
        out << YAML::Flow << YAML::BeginMap << YAML::Key << "uuid" << YAML::Value << it->uuid
            << YAML::Key << "gi" << YAML::Value << it->gpu_instance_id << YAML::Key << "ci"
            << YAML::Value << it->compute_instance_id << YAML::Key << "profileId" << YAML::Value
            << profile_id << YAML::Key << "start" << YAML::Value << it->placement.start << YAML::Key
            << "size" << YAML::Value << it->placement.size << YAML::EndMap;
      }
      out << YAML::EndSeq;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  std::ofstream(path) << out.c_str() << "\n";
}

// Builds <root>/bus/pci/devices/<bus id> -> <root>/devices/<pcie root>/<bus id> with a
// numa_node file (-1 when the GPU has none); GPUs without a PCIe root get no sysfs entry.
inline void BuildFakeSysfs(const std::vector<GpuInfo>& gpus, const std::string& root) {
  namespace fs = std::filesystem;
  fs::create_directories(fs::path(root) / "bus" / "pci" / "devices");
  for (const GpuInfo& g : gpus) {
    if (!g.pci.pcie_root) continue;
    const fs::path dir = fs::path(root) / "devices" / *g.pci.pcie_root / g.pci.bus_id;
    fs::create_directories(dir);
    std::ofstream(dir / "numa_node") << g.pci.numa_node.value_or(-1) << "\n";
    const fs::path link = fs::path(root) / "bus" / "pci" / "devices" / g.pci.bus_id;
    std::error_code ec;
    fs::remove(link, ec);
    fs::create_directory_symlink(fs::path("../../../devices") / *g.pci.pcie_root / g.pci.bus_id,
                                 link);
  }
}

}  // namespace dra::driver::gpu::testing

#endif  // DRA_DRIVER_GPU_TESTDATA_FAKE_NVML_ENV_H_
