#include "dra/driver/gpu/gpu_devices.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "dra/base/quantity.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::driver::gpu {
namespace {

using AttributeMap = std::map<std::string, api::DeviceAttribute>;
using CapacityMap = std::map<std::string, api::DeviceCapacity>;
using CounterMap = std::map<std::string, api::Counter>;

api::DeviceAttribute StringAttr(std::string value) {
  api::DeviceAttribute a;
  a.string_ = std::move(value);
  return a;
}

api::DeviceAttribute IntAttr(int64_t value) {
  api::DeviceAttribute a;
  a.int_ = value;
  return a;
}

api::DeviceAttribute VersionAttr(std::string value) {
  api::DeviceAttribute a;
  a.version = std::move(value);
  return a;
}

api::DeviceCapacity IntCapacity(int64_t value) {
  api::DeviceCapacity c;
  c.value = Quantity::FromInt64(value, Quantity::Format::kBinarySI);
  return c;
}

// The capacity dimensions of a GPU instance profile, keyed by capacity name, in NVIDIA's names.
std::vector<std::pair<std::string, int64_t>> ProfileDimensions(const MigProfile& p) {
  return {
      {"multiprocessors", p.multiprocessors},
      {"copyEngines", p.copy_engines},
      {"decoders", p.decoders},
      {"encoders", p.encoders},
      {"jpegEngines", p.jpeg_engines},
      {"ofaEngines", p.ofa_engines},
      {"memory", p.memory_mib * 1024 * 1024},
  };
}

// camelCase capacity name -> kebab-case counter name ("copyEngines" -> "copy-engines").
std::string CounterName(std::string_view capacity) {
  std::string out;
  for (size_t i = 0; i < capacity.size(); ++i) {
    char c = capacity[i];
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (i > 0) out.push_back('-');
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string MemorySliceCounter(int i) { return StrCat("memory-slice-", i); }
std::string MemorySliceCapacity(int i) { return StrCat("memorySlice", i); }

CounterMap ToCounters(const CapacityMap& capacity) {
  CounterMap counters;
  for (const auto& [name, cap] : capacity) counters[CounterName(name)].value = cap.value;
  return counters;
}

void AddMemorySlices(CounterMap& counters, int start, int size) {
  for (int i = start; i < start + size; ++i) {
    counters[MemorySliceCounter(i)].value = Quantity::FromInt64(1, Quantity::Format::kBinarySI);
  }
}

absl::Status CheckLength(std::string_view what, const std::string& value,
                         const std::string& where) {
  if (static_cast<int>(value.size()) > api::kDeviceAttributeMaxValueLength) {
    return absl::InvalidArgumentError(
        StrCat(where, ": ", what, ": must have at most ", api::kDeviceAttributeMaxValueLength,
               " characters, got ", value.size(), " (\"", value, "\")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<AttributeMap> CommonAttributes(const GpuInfo& gpu, const std::string& where) {
  AttributeMap attrs;
  DRA_RETURN_IF_ERROR(CheckLength("productName", gpu.product_name, where));
  DRA_RETURN_IF_ERROR(CheckLength("brand", gpu.brand, where));
  DRA_RETURN_IF_ERROR(CheckLength("architecture", gpu.architecture, where));
  attrs["productName"] = StringAttr(gpu.product_name);
  attrs["brand"] = StringAttr(gpu.brand);
  attrs["architecture"] = StringAttr(gpu.architecture);
  struct VersionField {
    const char* name;
    const std::string* value;
  };
  for (const VersionField& f : {VersionField{"cudaComputeCapability", &gpu.cuda_compute_capability},
                                VersionField{"driverVersion", &gpu.driver_version},
                                VersionField{"cudaDriverVersion", &gpu.cuda_driver_version}}) {
    absl::StatusOr<std::string> v = CoerceSemver(*f.value);
    if (!v.ok()) {
      return absl::InvalidArgumentError(
          StrCat(where, ": ", f.name, ": ", std::string(v.status().message())));
    }
    DRA_RETURN_IF_ERROR(CheckLength(f.name, *v, where));
    attrs[f.name] = VersionAttr(*std::move(v));
  }
  if (gpu.addressing_mode.has_value()) {
    DRA_RETURN_IF_ERROR(CheckLength("addressingMode", *gpu.addressing_mode, where));
    attrs["addressingMode"] = StringAttr(*gpu.addressing_mode);
  }
  DRA_RETURN_IF_ERROR(CheckLength("pciBusID", gpu.pci.bus_id, where));
  attrs[kPciBusIdAttribute] = StringAttr(gpu.pci.bus_id);
  if (gpu.pci.pcie_root.has_value()) {
    DRA_RETURN_IF_ERROR(CheckLength("pcieRoot", *gpu.pci.pcie_root, where));
    attrs[kPcieRootAttribute] = StringAttr(*gpu.pci.pcie_root);
  }
  if (gpu.pci.numa_node.has_value()) attrs[kNumaNodeAttribute] = IntAttr(*gpu.pci.numa_node);
  return attrs;
}

AttributeMap MigAttributes(const GpuInfo& parent, const AttributeMap& common,
                           const std::string& profile, const GpuModelOptions& options) {
  AttributeMap attrs = common;
  attrs["type"] = StringAttr(kMigDeviceType);
  attrs["parentUUID"] = StringAttr(parent.uuid);
  attrs["profile"] = StringAttr(profile);
  if (options.legacy_attributes) attrs["parentIndex"] = IntAttr(parent.index);
  return attrs;
}

CapacityMap ProfileCapacity(const MigProfile& profile) {
  CapacityMap capacity;
  for (const auto& [name, value] : ProfileDimensions(profile)) capacity[name] = IntCapacity(value);
  return capacity;
}

const MigProfile* FindProfile(const GpuInfo& gpu, std::string_view name) {
  for (const MigProfile& p : gpu.mig_profiles) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

absl::Status CheckDeviceName(const std::string& name, const std::string& where) {
  if (name.empty() || name.size() > 63) {
    return absl::InvalidArgumentError(
        StrCat(where, ": device name \"", name, "\" must be a DNS label of 1 to 63 characters"));
  }
  return absl::OkStatus();
}

struct GpuOutput {
  std::string bus_id;
  std::optional<api::CounterSet> counter_set;
  std::vector<api::Device> devices;
};

// Publishes one GPU; `where` names it in errors.
absl::StatusOr<GpuOutput> PublishGpu(const GpuInfo& gpu, const GpuModelOptions& options,
                                     const std::string& where) {
  DRA_ASSIGN_OR_RETURN(AttributeMap common, CommonAttributes(gpu, where));
  GpuOutput out;
  out.bus_id = gpu.pci.bus_id;

  AttributeMap gpu_attrs = common;
  gpu_attrs["type"] = StringAttr(kGpuDeviceType);
  gpu_attrs["uuid"] = StringAttr(gpu.uuid);
  if (options.legacy_attributes) {
    gpu_attrs["index"] = IntAttr(gpu.index);
    gpu_attrs["minor"] = IntAttr(gpu.minor);
  }

  if (gpu.mig_enabled) {
    // Static MIG: only the MIG devices that exist are published.
    for (size_t i = 0; i < gpu.mig_devices.size(); ++i) {
      const MigDevice& mig = gpu.mig_devices[i];
      std::string mig_where = StrCat(where, ": migDevices[", i, "]");
      const MigProfile* profile = FindProfile(gpu, mig.profile);
      if (profile == nullptr) {
        return absl::InvalidArgumentError(
            StrCat(mig_where, ": profile: unknown MIG profile \"", mig.profile, "\""));
      }
      DRA_RETURN_IF_ERROR(CheckLength("uuid", mig.uuid, mig_where));
      DRA_RETURN_IF_ERROR(CheckLength("profile", mig.profile, mig_where));
      if (mig.uuid.empty()) {
        return absl::InvalidArgumentError(StrCat(mig_where, ": uuid: Required value"));
      }
      if (mig.placement.start < 0 || mig.placement.size <= 0) {
        return absl::InvalidArgumentError(
            StrCat(mig_where, ": placement: start must be >= 0 and size > 0"));
      }
      api::Device dev;
      dev.name = MigDeviceName(gpu.minor, profile->name, profile->gpu_instance_profile_id,
                               mig.placement.start);
      DRA_RETURN_IF_ERROR(CheckDeviceName(dev.name, mig_where));
      dev.attributes = MigAttributes(gpu, common, profile->name, options);
      dev.attributes["uuid"] = StringAttr(mig.uuid);
      dev.capacity = ProfileCapacity(*profile);
      for (int s = mig.placement.start; s < mig.placement.start + mig.placement.size; ++s) {
        dev.capacity[MemorySliceCapacity(s)] = IntCapacity(1);
      }
      out.devices.push_back(std::move(dev));
    }
    return out;
  }

  api::Device full;
  full.name = GpuDeviceName(gpu.minor);
  full.attributes = std::move(gpu_attrs);

  const bool partitionable = options.dynamic_mig && gpu.mig_capable && !gpu.mig_profiles.empty();
  if (!partitionable) {
    if (gpu.memory_bytes.has_value()) full.capacity["memory"] = IntCapacity(*gpu.memory_bytes);
    out.devices.push_back(std::move(full));
    return out;
  }

  // Dynamic MIG: the memory slice count is the largest placement size (the whole-GPU profile
  // spans every slice) and the full GPU's capacity the per-dimension maximum over the profiles.
  int mem_slices = 0;
  std::map<std::string, int64_t> max_dims;
  for (size_t i = 0; i < gpu.mig_profiles.size(); ++i) {
    const MigProfile& p = gpu.mig_profiles[i];
    if (p.placements.empty()) continue;
    for (const MigProfile::Placement& pl : p.placements) {
      if (pl.start < 0 || pl.size <= 0) {
        return absl::InvalidArgumentError(StrCat(where, ": migProfiles[", i, "] (", p.name,
                                                 "): placements: start must be >= 0 and size > 0"));
      }
      mem_slices = std::max(mem_slices, pl.size);
    }
    for (const auto& [name, value] : ProfileDimensions(p)) {
      auto [it, inserted] = max_dims.emplace(name, value);
      if (!inserted) it->second = std::max(it->second, value);
    }
  }
  if (max_dims.empty()) {
    if (gpu.memory_bytes.has_value()) full.capacity["memory"] = IntCapacity(*gpu.memory_bytes);
    out.devices.push_back(std::move(full));
    return out;
  }
  for (const auto& [name, value] : max_dims) full.capacity[name] = IntCapacity(value);

  const std::string set_name = GpuCounterSetName(gpu.minor);
  api::CounterSet set;
  set.name = set_name;
  set.counters = ToCounters(full.capacity);
  AddMemorySlices(set.counters, 0, mem_slices);

  api::DeviceCounterConsumption full_consumes;
  full_consumes.counter_set = set_name;
  full_consumes.counters = set.counters;
  full.consumes_counters.push_back(std::move(full_consumes));
  out.devices.push_back(std::move(full));

  for (size_t i = 0; i < gpu.mig_profiles.size(); ++i) {
    const MigProfile& p = gpu.mig_profiles[i];
    for (const MigProfile::Placement& pl : p.placements) {
      if (pl.start + pl.size > mem_slices) {
        return absl::InvalidArgumentError(
            StrCat(where, ": migProfiles[", i, "] (", p.name, "): placement {", pl.start,
                   "}:", pl.size, " exceeds the GPU's ", mem_slices, " memory slices"));
      }
      api::Device dev;
      dev.name = MigDeviceName(gpu.minor, p.name, p.gpu_instance_profile_id, pl.start);
      DRA_RETURN_IF_ERROR(CheckDeviceName(dev.name, where));
      DRA_RETURN_IF_ERROR(CheckLength("profile", p.name, where));
      dev.attributes = MigAttributes(gpu, common, p.name, options);
      dev.capacity = ProfileCapacity(p);
      api::DeviceCounterConsumption consumes;
      consumes.counter_set = set_name;
      consumes.counters = ToCounters(dev.capacity);
      AddMemorySlices(consumes.counters, pl.start, pl.size);
      dev.consumes_counters.push_back(std::move(consumes));
      out.devices.push_back(std::move(dev));
    }
  }
  out.counter_set = std::move(set);
  return out;
}

}  // namespace

std::string GpuDeviceName(int minor) { return StrCat("gpu-", minor); }

std::string MigDeviceName(int parent_minor, std::string_view profile, int gi_profile_id,
                          int placement_start) {
  std::string canonical;
  for (char c : profile) {
    if (c == '.') continue;
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    canonical.push_back((std::isalnum(static_cast<unsigned char>(l)) || l == '-') ? l : '-');
  }
  // Trim '-' at both ends, as Kubernetes names may not start or end with one.
  size_t b = canonical.find_first_not_of('-');
  size_t e = canonical.find_last_not_of('-');
  canonical = b == std::string::npos ? "" : canonical.substr(b, e - b + 1);
  return StrCat("gpu-", parent_minor, "-mig-", canonical, "-", gi_profile_id, "-", placement_start);
}

std::string GpuCounterSetName(int minor) { return StrCat("gpu-", minor, "-counter-set"); }

absl::StatusOr<std::string> CoerceSemver(std::string_view text) {
  auto bad = [&] {
    return absl::InvalidArgumentError(
        StrCat("\"", text, "\" is not a version (expected MAJOR[.MINOR[.PATCH]])"));
  };
  std::string_view s = text;
  if (!s.empty() && (s[0] == 'v' || s[0] == 'V')) s.remove_prefix(1);
  size_t core_end = s.find_first_of("-+");
  std::string_view core = s.substr(0, core_end);
  std::string_view rest = core_end == std::string_view::npos ? "" : s.substr(core_end);
  uint64_t parts[3] = {0, 0, 0};
  int n = 0;
  size_t pos = 0;
  while (true) {
    size_t dot = core.find('.', pos);
    std::string_view part = core.substr(pos, dot == std::string_view::npos ? dot : dot - pos);
    if (part.empty() || n == 3) return bad();
    uint64_t v = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return bad();
      if (v > (UINT64_MAX - 9) / 10) return bad();
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    parts[n++] = v;
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  // Prerelease and build: dot-separated non-empty identifiers of [0-9A-Za-z-].
  auto valid_idents = [](std::string_view ids) {
    if (ids.empty()) return false;
    size_t p = 0;
    while (true) {
      size_t d = ids.find('.', p);
      std::string_view id = ids.substr(p, d == std::string_view::npos ? d : d - p);
      if (id.empty()) return false;
      for (char c : id) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
      }
      if (d == std::string_view::npos) return true;
      p = d + 1;
    }
  };
  std::string suffix;
  if (!rest.empty()) {
    size_t plus = rest.find('+');
    if (rest[0] == '-') {
      std::string_view pre = rest.substr(1, plus == std::string_view::npos ? plus : plus - 1);
      if (!valid_idents(pre)) return bad();
      suffix = StrCat("-", pre);
    }
    if (plus != std::string_view::npos) {
      std::string_view build = rest.substr(plus + 1);
      if (!valid_idents(build)) return bad();
      suffix += StrCat("+", build);
    }
  }
  return StrCat(parts[0], ".", parts[1], ".", parts[2], suffix);
}

absl::StatusOr<DriverResources> GpuDriverResources(const std::vector<GpuInfo>& gpus,
                                                   const GpuModelOptions& options) {
  DriverResources result;
  result.driver = kGpuDriverName;
  std::set<int> minors;
  std::set<std::string> uuids;
  std::vector<GpuOutput> outputs;
  for (size_t i = 0; i < gpus.size(); ++i) {
    const GpuInfo& gpu = gpus[i];
    std::string where = StrCat("gpus[", i, "]");
    if (!gpu.uuid.empty()) where += StrCat(" (", gpu.uuid, ")");
    if (gpu.uuid.empty())
      return absl::InvalidArgumentError(StrCat(where, ": uuid: Required value"));
    DRA_RETURN_IF_ERROR(CheckLength("uuid", gpu.uuid, where));
    if (gpu.pci.bus_id.empty()) {
      return absl::InvalidArgumentError(StrCat(where, ": pci.busID: Required value"));
    }
    if (gpu.minor < 0) {
      return absl::InvalidArgumentError(StrCat(where, ": minor: must be >= 0"));
    }
    if (!minors.insert(gpu.minor).second) {
      return absl::InvalidArgumentError(StrCat(where, ": minor: Duplicate value: ", gpu.minor));
    }
    if (!uuids.insert(gpu.uuid).second) {
      return absl::InvalidArgumentError(
          StrCat(where, ": uuid: Duplicate value: \"", gpu.uuid, "\""));
    }
    DRA_ASSIGN_OR_RETURN(GpuOutput out, PublishGpu(gpu, options, where));
    outputs.push_back(std::move(out));
  }
  std::stable_sort(outputs.begin(), outputs.end(),
                   [](const GpuOutput& a, const GpuOutput& b) { return a.bus_id < b.bus_id; });
  for (GpuOutput& out : outputs) {
    if (out.counter_set.has_value()) result.shared_counters.push_back(*std::move(out.counter_set));
    std::sort(out.devices.begin(), out.devices.end(),
              [](const api::Device& a, const api::Device& b) { return a.name < b.name; });
    for (api::Device& d : out.devices) result.devices.push_back(std::move(d));
  }
  if (options.consumable_memory) {
    for (api::Device& d : result.devices) {
      auto type = d.attributes.find("type");
      auto memory = d.capacity.find("memory");
      if (type == d.attributes.end() || type->second.string_ != kGpuDeviceType ||
          memory == d.capacity.end()) {
        continue;
      }
      d.allow_multiple_allocations = true;
      api::CapacityRequestPolicy policy;
      api::CapacityRequestPolicyRange range;
      range.min = *Quantity::Parse("1Mi");
      range.step = *Quantity::Parse("1Mi");
      policy.valid_range = range;
      // A request without a memory amount takes the whole GPU, rounded down to the step
      // (validRange needs a default on the range's grid).
      constexpr int64_t kMi = int64_t{1} << 20;
      policy.default_ = Quantity::FromInt64(memory->second.value.Value() / kMi * kMi,
                                            Quantity::Format::kBinarySI);
      memory->second.request_policy = policy;
    }
  }
  return result;
}

std::vector<api::DeviceClass> GpuDeviceClasses() {
  auto make = [](const char* name, const char* type) {
    api::DeviceClass c;
    c.api_version = std::string(api::DeviceClass::kGroupVersion);
    c.kind = std::string(api::DeviceClass::kKind);
    c.metadata.name = name;
    api::DeviceSelector selector;
    selector.cel = api::CELDeviceSelector{StrCat("device.driver == '", kGpuDriverName,
                                                 "' && device.attributes['", kGpuDriverName,
                                                 "'].type == '", type, "'")};
    c.spec.selectors.push_back(std::move(selector));
    return c;
  };
  api::DeviceClass gpu = make(kGpuDeviceClassName, kGpuDeviceType);
  gpu.spec.extended_resource_name = kGpuExtendedResourceName;
  return {std::move(gpu), make(kMigDeviceClassName, kMigDeviceType)};
}

}  // namespace dra::driver::gpu
