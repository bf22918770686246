#include "dra/driver/gpu/nvml_discovery.h"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/driver/gpu/internal/nvml_api.h"

namespace dra::driver::gpu {
namespace internal {

// A dlopen()ed NVML and the functions this file calls. Immutable after Load(); thread-safe.
class NvmlLibrary {
 public:
  static absl::StatusOr<std::shared_ptr<NvmlLibrary>> Load(const std::string& path) {
    dlerror();
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* err = dlerror();
      return absl::NotFoundError(StrCat("NVML library \"", path, "\" cannot be loaded (",
                                        err ? err : "unknown error",
                                        "); is the NVIDIA driver installed on this node?"));
    }
    auto lib = std::shared_ptr<NvmlLibrary>(new NvmlLibrary(handle, path));
    DRA_RETURN_IF_ERROR(lib->Resolve());
    return lib;
  }

  ~NvmlLibrary() { dlclose(handle_); }

  std::string Error(nvmlReturn_t ret) const {
    const char* s = ErrorString != nullptr ? ErrorString(ret) : nullptr;
    return s != nullptr ? StrCat(s, " (", ret, ")") : StrCat("NVML error ", ret);
  }

  // Required.
  nvmlReturn_t (*InitWithFlags)(unsigned int) = nullptr;
  nvmlReturn_t (*Shutdown)() = nullptr;
  const char* (*ErrorString)(nvmlReturn_t) = nullptr;
  nvmlReturn_t (*SystemGetDriverVersion)(char*, unsigned int) = nullptr;
  nvmlReturn_t (*SystemGetCudaDriverVersion_v2)(int*) = nullptr;
  nvmlReturn_t (*DeviceGetCount_v2)(unsigned int*) = nullptr;
  nvmlReturn_t (*DeviceGetHandleByIndex_v2)(unsigned int, nvmlDevice_t*) = nullptr;
  nvmlReturn_t (*DeviceGetMinorNumber)(nvmlDevice_t, unsigned int*) = nullptr;
  nvmlReturn_t (*DeviceGetUUID)(nvmlDevice_t, char*, unsigned int) = nullptr;
  nvmlReturn_t (*DeviceGetName)(nvmlDevice_t, char*, unsigned int) = nullptr;
  nvmlReturn_t (*DeviceGetBrand)(nvmlDevice_t, unsigned int*) = nullptr;
  nvmlReturn_t (*DeviceGetArchitecture)(nvmlDevice_t, unsigned int*) = nullptr;
  nvmlReturn_t (*DeviceGetCudaComputeCapability)(nvmlDevice_t, int*, int*) = nullptr;
  nvmlReturn_t (*DeviceGetMemoryInfo)(nvmlDevice_t, nvmlMemory_t*) = nullptr;
  nvmlReturn_t (*DeviceGetPciInfo_v3)(nvmlDevice_t, nvmlPciInfo_t*) = nullptr;
  nvmlReturn_t (*DeviceGetMigMode)(nvmlDevice_t, unsigned int*, unsigned int*) = nullptr;
  nvmlReturn_t (*DeviceGetGpuInstanceProfileInfo)(nvmlDevice_t, unsigned int,
                                                  nvmlGpuInstanceProfileInfo_t*) = nullptr;
  nvmlReturn_t (*DeviceGetGpuInstancePossiblePlacements_v2)(nvmlDevice_t, unsigned int,
                                                            nvmlGpuInstancePlacement_t*,
                                                            unsigned int*) = nullptr;
  nvmlReturn_t (*DeviceGetMaxMigDeviceCount)(nvmlDevice_t, unsigned int*) = nullptr;
  nvmlReturn_t (*DeviceGetMigDeviceHandleByIndex)(nvmlDevice_t, unsigned int,
                                                  nvmlDevice_t*) = nullptr;
  nvmlReturn_t (*DeviceGetGpuInstanceId)(nvmlDevice_t, unsigned int*) = nullptr;
  nvmlReturn_t (*DeviceGetComputeInstanceId)(nvmlDevice_t, unsigned int*) = nullptr;
  nvmlReturn_t (*DeviceGetGpuInstanceById)(nvmlDevice_t, unsigned int,
                                           nvmlGpuInstance_t*) = nullptr;
  nvmlReturn_t (*GpuInstanceGetInfo)(nvmlGpuInstance_t, nvmlGpuInstanceInfo_t*) = nullptr;
  nvmlReturn_t (*EventSetCreate)(nvmlEventSet_t*) = nullptr;
  nvmlReturn_t (*DeviceGetSupportedEventTypes)(nvmlDevice_t, unsigned long long*) = nullptr;
  nvmlReturn_t (*DeviceRegisterEvents)(nvmlDevice_t, unsigned long long, nvmlEventSet_t) = nullptr;
  nvmlReturn_t (*EventSetWait_v2)(nvmlEventSet_t, nvmlEventData_t*, unsigned int) = nullptr;
  nvmlReturn_t (*EventSetFree)(nvmlEventSet_t) = nullptr;
  // Optional (newer drivers).
  nvmlReturn_t (*DeviceGetAddressingMode)(nvmlDevice_t, nvmlDeviceAddressingMode_t*) = nullptr;
  nvmlReturn_t (*DeviceGetGpuFabricInfo)(nvmlDevice_t, nvmlGpuFabricInfo_t*) = nullptr;

 private:
  NvmlLibrary(void* handle, std::string path) : handle_(handle), path_(std::move(path)) {}

  template <typename F>
  absl::Status Required(F& fn, const char* name) {
    fn = reinterpret_cast<F>(dlsym(handle_, name));
    if (fn == nullptr) {
      return absl::FailedPreconditionError(
          StrCat("NVML library \"", path_, "\" has no function ", name,
                 "; the NVIDIA driver is too old (R450 or newer is needed)"));
    }
    return absl::OkStatus();
  }
  template <typename F>
  void Optional(F& fn, const char* name) {
    fn = reinterpret_cast<F>(dlsym(handle_, name));
  }

  absl::Status Resolve() {
#define DRA_NVML_REQUIRED(fn) DRA_RETURN_IF_ERROR(Required(fn, "nvml" #fn))
    DRA_NVML_REQUIRED(InitWithFlags);
    DRA_NVML_REQUIRED(Shutdown);
    DRA_NVML_REQUIRED(ErrorString);
    DRA_NVML_REQUIRED(SystemGetDriverVersion);
    DRA_NVML_REQUIRED(SystemGetCudaDriverVersion_v2);
    DRA_NVML_REQUIRED(DeviceGetCount_v2);
    DRA_NVML_REQUIRED(DeviceGetHandleByIndex_v2);
    DRA_NVML_REQUIRED(DeviceGetMinorNumber);
    DRA_NVML_REQUIRED(DeviceGetUUID);
    DRA_NVML_REQUIRED(DeviceGetName);
    DRA_NVML_REQUIRED(DeviceGetBrand);
    DRA_NVML_REQUIRED(DeviceGetArchitecture);
    DRA_NVML_REQUIRED(DeviceGetCudaComputeCapability);
    DRA_NVML_REQUIRED(DeviceGetMemoryInfo);
    DRA_NVML_REQUIRED(DeviceGetPciInfo_v3);
    DRA_NVML_REQUIRED(DeviceGetMigMode);
    DRA_NVML_REQUIRED(DeviceGetGpuInstanceProfileInfo);
    DRA_NVML_REQUIRED(DeviceGetGpuInstancePossiblePlacements_v2);
    DRA_NVML_REQUIRED(DeviceGetMaxMigDeviceCount);
    DRA_NVML_REQUIRED(DeviceGetMigDeviceHandleByIndex);
    DRA_NVML_REQUIRED(DeviceGetGpuInstanceId);
    DRA_NVML_REQUIRED(DeviceGetComputeInstanceId);
    DRA_NVML_REQUIRED(DeviceGetGpuInstanceById);
    DRA_NVML_REQUIRED(GpuInstanceGetInfo);
    DRA_NVML_REQUIRED(EventSetCreate);
    DRA_NVML_REQUIRED(DeviceGetSupportedEventTypes);
    DRA_NVML_REQUIRED(DeviceRegisterEvents);
    DRA_NVML_REQUIRED(EventSetWait_v2);
    DRA_NVML_REQUIRED(EventSetFree);
#undef DRA_NVML_REQUIRED
    Optional(DeviceGetAddressingMode, "nvmlDeviceGetAddressingMode");
    Optional(DeviceGetGpuFabricInfo, "nvmlDeviceGetGpuFabricInfo");
    return absl::OkStatus();
  }

  void* handle_;
  std::string path_;
};

}  // namespace internal

namespace {

using internal::NvmlLibrary;

// nvmlInitWithFlags on construction, nvmlShutdown on destruction (NVML reference-counts).
class NvmlSession {
 public:
  static absl::StatusOr<std::unique_ptr<NvmlSession>> Open(const NvmlLibrary& lib) {
    nvmlReturn_t ret = lib.InitWithFlags(nvml::kInitFlagNoGpus);
    if (ret != nvml::kSuccess) {
      return absl::UnavailableError(StrCat(
          "NVML initialization failed: ", lib.Error(ret),
          ret == nvml::kErrorDriverNotLoaded ? "; the NVIDIA kernel driver is not loaded" : ""));
    }
    return std::unique_ptr<NvmlSession>(new NvmlSession(lib));
  }
  ~NvmlSession() { lib_.Shutdown(); }

 private:
  explicit NvmlSession(const NvmlLibrary& lib) : lib_(lib) {}
  const NvmlLibrary& lib_;
};

std::string CString(const char* buf, size_t size) {
  size_t n = 0;
  while (n < size && buf[n] != '\0') ++n;
  return std::string(buf, n);
}

std::string FormatUuid(const unsigned char bytes[16]) {
  char out[40];
  std::snprintf(out, sizeof(out),
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return out;
}

// Queries one GPU; `where` ("GPU 3") names it in errors.
class GpuQuery {
 public:
  GpuQuery(const NvmlLibrary& lib, nvmlDevice_t dev, std::string where)
      : lib_(lib), dev_(dev), where_(std::move(where)) {}

  absl::Status Fail(const char* fn, nvmlReturn_t ret) const {
    return absl::InternalError(StrCat("NVML: ", where_, ": nvml", fn, ": ", lib_.Error(ret)));
  }

  absl::StatusOr<std::string> Uuid(nvmlDevice_t dev) const {
    char buf[nvml::kUuidBufferSize] = {};
    nvmlReturn_t ret = lib_.DeviceGetUUID(dev, buf, sizeof(buf));
    if (ret != nvml::kSuccess) return Fail("DeviceGetUUID", ret);
    return CString(buf, sizeof(buf));
  }

  absl::Status Fill(GpuInfo& g) const {
    unsigned int minor = 0;
    nvmlReturn_t ret = lib_.DeviceGetMinorNumber(dev_, &minor);
    if (ret != nvml::kSuccess) return Fail("DeviceGetMinorNumber", ret);
    g.minor = static_cast<int>(minor);
    DRA_ASSIGN_OR_RETURN(g.uuid, Uuid(dev_));

    char name[nvml::kNameBufferSize] = {};
    ret = lib_.DeviceGetName(dev_, name, sizeof(name));
    if (ret != nvml::kSuccess) return Fail("DeviceGetName", ret);
    g.product_name = CString(name, sizeof(name));

    unsigned int brand = 0;
    ret = lib_.DeviceGetBrand(dev_, &brand);
    if (ret != nvml::kSuccess) return Fail("DeviceGetBrand", ret);
    g.brand = nvml::BrandName(brand);
    if (g.brand.empty()) g.brand = StrCat("Unknown(", brand, ")");

    unsigned int arch = 0;
    ret = lib_.DeviceGetArchitecture(dev_, &arch);
    if (ret != nvml::kSuccess) return Fail("DeviceGetArchitecture", ret);
    g.architecture = nvml::ArchitectureName(arch);

    int major = 0, minor_cc = 0;
    ret = lib_.DeviceGetCudaComputeCapability(dev_, &major, &minor_cc);
    if (ret != nvml::kSuccess) return Fail("DeviceGetCudaComputeCapability", ret);
    g.cuda_compute_capability = StrCat(major, ".", minor_cc);

    nvmlMemory_t memory = {};
    ret = lib_.DeviceGetMemoryInfo(dev_, &memory);
    if (ret == nvml::kSuccess) {
      g.memory_bytes = static_cast<int64_t>(memory.total);
    } else if (ret != nvml::kErrorNotSupported) {
      return Fail("DeviceGetMemoryInfo", ret);
    }

    nvmlPciInfo_t pci = {};
    ret = lib_.DeviceGetPciInfo_v3(dev_, &pci);
    if (ret != nvml::kSuccess) return Fail("DeviceGetPciInfo_v3", ret);
    g.pci.bus_id = NormalizePciBusId(CString(pci.busId, sizeof(pci.busId)));

    if (lib_.DeviceGetAddressingMode != nullptr) {
      nvmlDeviceAddressingMode_t mode = {};
      mode.version = nvml::kDeviceAddressingModeV1;
      ret = lib_.DeviceGetAddressingMode(dev_, &mode);
      if (ret == nvml::kSuccess) {
        switch (mode.value) {
          case nvml::kDeviceAddressingModeHmm:
            g.addressing_mode = "HMM";
            break;
          case nvml::kDeviceAddressingModeAts:
            g.addressing_mode = "ATS";
            break;
          default:
            g.addressing_mode = "None";
        }
      } else if (ret != nvml::kErrorNotSupported && ret != nvml::kErrorFunctionNotFound) {
        return Fail("DeviceGetAddressingMode", ret);
      }
    }

    if (lib_.DeviceGetGpuFabricInfo != nullptr) {
      nvmlGpuFabricInfo_t fabric = {};
      ret = lib_.DeviceGetGpuFabricInfo(dev_, &fabric);
      if (ret == nvml::kSuccess && fabric.state == nvml::kGpuFabricStateCompleted &&
          fabric.status == nvml::kSuccess) {
        g.nvlink_domain = StrCat(FormatUuid(fabric.clusterUuid), ".", fabric.cliqueId);
      }
    }

    unsigned int current = 0, pending = 0;
    ret = lib_.DeviceGetMigMode(dev_, &current, &pending);
    if (ret == nvml::kSuccess) {
      g.mig_capable = true;
      g.mig_enabled = current == nvml::kDeviceMigEnable;
    } else if (ret != nvml::kErrorNotSupported) {
      return Fail("DeviceGetMigMode", ret);
    }
    if (g.mig_capable) {
      DRA_RETURN_IF_ERROR(FillMigProfiles(g));
      if (g.mig_enabled) DRA_RETURN_IF_ERROR(FillMigDevices(g));
    }
    return absl::OkStatus();
  }

 private:
  absl::Status FillMigProfiles(GpuInfo& g) const {
    for (unsigned int index = 0; index < nvml::kGpuInstanceProfileCount; ++index) {
      nvmlGpuInstanceProfileInfo_t info = {};
      nvmlReturn_t ret = lib_.DeviceGetGpuInstanceProfileInfo(dev_, index, &info);
      if (ret == nvml::kErrorNotSupported || ret == nvml::kErrorInvalidArgument) continue;
      if (ret != nvml::kSuccess) return Fail("DeviceGetGpuInstanceProfileInfo", ret);
      unsigned int count = 0;
      ret = lib_.DeviceGetGpuInstancePossiblePlacements_v2(dev_, info.id, nullptr, &count);
      if (ret == nvml::kErrorNotSupported || ret == nvml::kErrorInvalidArgument) continue;
      if (ret != nvml::kSuccess) return Fail("DeviceGetGpuInstancePossiblePlacements_v2", ret);
      std::vector<nvmlGpuInstancePlacement_t> placements(count);
      if (count > 0) {
        ret = lib_.DeviceGetGpuInstancePossiblePlacements_v2(dev_, info.id, placements.data(),
                                                             &count);
        if (ret != nvml::kSuccess) return Fail("DeviceGetGpuInstancePossiblePlacements_v2", ret);
        placements.resize(count);
      }
      MigProfile p;
      p.name = nvml::MigProfileName(
          index, info.sliceCount, info.memorySizeMB,
          g.memory_bytes.has_value() ? static_cast<unsigned long long>(*g.memory_bytes) : 0);
      p.gpu_instance_profile_id = static_cast<int>(info.id);
      p.slice_count = static_cast<int>(info.sliceCount);
      p.memory_mib = static_cast<int64_t>(info.memorySizeMB);
      p.multiprocessors = static_cast<int>(info.multiprocessorCount);
      p.copy_engines = static_cast<int>(info.copyEngineCount);
      p.decoders = static_cast<int>(info.decoderCount);
      p.encoders = static_cast<int>(info.encoderCount);
      p.jpeg_engines = static_cast<int>(info.jpegCount);
      p.ofa_engines = static_cast<int>(info.ofaCount);
      for (const nvmlGpuInstancePlacement_t& pl : placements) {
        p.placements.push_back({static_cast<int>(pl.start), static_cast<int>(pl.size)});
      }
      g.mig_profiles.push_back(std::move(p));
    }
    std::sort(g.mig_profiles.begin(), g.mig_profiles.end(),
              [](const MigProfile& a, const MigProfile& b) {
                return std::tie(a.slice_count, a.memory_mib, a.name) <
                       std::tie(b.slice_count, b.memory_mib, b.name);
              });
    return absl::OkStatus();
  }

  absl::Status FillMigDevices(GpuInfo& g) const {
    unsigned int max = 0;
    nvmlReturn_t ret = lib_.DeviceGetMaxMigDeviceCount(dev_, &max);
    if (ret != nvml::kSuccess) return Fail("DeviceGetMaxMigDeviceCount", ret);
    for (unsigned int i = 0; i < max; ++i) {
      nvmlDevice_t mig = nullptr;
      ret = lib_.DeviceGetMigDeviceHandleByIndex(dev_, i, &mig);
      if (ret == nvml::kErrorNotFound || ret == nvml::kErrorInvalidArgument) continue;
      if (ret != nvml::kSuccess) return Fail("DeviceGetMigDeviceHandleByIndex", ret);
      MigDevice md;
      DRA_ASSIGN_OR_RETURN(md.uuid, Uuid(mig));
      unsigned int gi = 0, ci = 0;
      ret = lib_.DeviceGetGpuInstanceId(mig, &gi);
      if (ret != nvml::kSuccess) return Fail("DeviceGetGpuInstanceId", ret);
      ret = lib_.DeviceGetComputeInstanceId(mig, &ci);
      if (ret != nvml::kSuccess) return Fail("DeviceGetComputeInstanceId", ret);
      nvmlGpuInstance_t instance = nullptr;
      ret = lib_.DeviceGetGpuInstanceById(dev_, gi, &instance);
      if (ret != nvml::kSuccess) return Fail("DeviceGetGpuInstanceById", ret);
      nvmlGpuInstanceInfo_t info = {};
      ret = lib_.GpuInstanceGetInfo(instance, &info);
      if (ret != nvml::kSuccess) return Fail("GpuInstanceGetInfo", ret);
      md.gpu_instance_id = static_cast<int>(gi);
      md.compute_instance_id = static_cast<int>(ci);
      md.placement = {static_cast<int>(info.placement.start),
                      static_cast<int>(info.placement.size)};
      for (const MigProfile& p : g.mig_profiles) {
        if (p.gpu_instance_profile_id == static_cast<int>(info.profileId)) md.profile = p.name;
      }
      if (md.profile.empty()) {
        return absl::InternalError(StrCat("NVML: ", where_, ": MIG device ", md.uuid,
                                          " has GPU instance profile ", info.profileId,
                                          ", which the GPU does not list"));
      }
      g.mig_devices.push_back(std::move(md));
    }
    std::sort(g.mig_devices.begin(), g.mig_devices.end(),
              [](const MigDevice& a, const MigDevice& b) {
                return a.placement.start < b.placement.start;
              });
    return absl::OkStatus();
  }

  const NvmlLibrary& lib_;
  nvmlDevice_t dev_;
  std::string where_;
};

}  // namespace

std::string NormalizePciBusId(const std::string& nvml_bus_id) {
  std::string lower;
  for (char c : nvml_bus_id) lower.push_back(static_cast<char>(std::tolower(c)));
  // "00000000:3b:00.0": keep the last four digits of an 8-digit domain.
  size_t colon = lower.find(':');
  if (colon != std::string::npos && colon > 4) {
    std::string domain = lower.substr(0, colon);
    if (domain.find_first_not_of('0') >= colon - 4) lower = lower.substr(colon - 4);
  }
  return lower;
}

std::optional<std::string> PcieRootFromSysfs(const std::string& sysfs_root,
                                             const std::string& bus_id) {
  std::error_code ec;
  std::filesystem::path real = std::filesystem::canonical(
      std::filesystem::path(sysfs_root) / "bus" / "pci" / "devices" / bus_id, ec);
  if (ec) return std::nullopt;
  for (const std::filesystem::path& part : real) {
    const std::string s = part.string();
    if (s.size() > 3 && s.rfind("pci", 0) == 0 && s.find(':') != std::string::npos) return s;
  }
  return std::nullopt;
}

std::optional<int> NumaNodeFromSysfs(const std::string& sysfs_root, const std::string& bus_id) {
  std::ifstream in(std::filesystem::path(sysfs_root) / "bus" / "pci" / "devices" / bus_id /
                   "numa_node");
  int node = -1;
  if (!(in >> node) || node < 0) return std::nullopt;
  return node;
}

NvmlGpuDiscovery::~NvmlGpuDiscovery() = default;

absl::StatusOr<std::unique_ptr<NvmlGpuDiscovery>> NvmlGpuDiscovery::Create(NvmlOptions options) {
  DRA_ASSIGN_OR_RETURN(std::shared_ptr<NvmlLibrary> lib, NvmlLibrary::Load(options.library_path));
  return std::unique_ptr<NvmlGpuDiscovery>(new NvmlGpuDiscovery(std::move(lib), options));
}

absl::StatusOr<std::vector<GpuInfo>> NvmlGpuDiscovery::Discover() {
  const NvmlLibrary& lib = *lib_;
  DRA_ASSIGN_OR_RETURN(std::unique_ptr<NvmlSession> session, NvmlSession::Open(lib));

  char version[nvml::kDriverVersionBufferSize] = {};
  nvmlReturn_t ret = lib.SystemGetDriverVersion(version, sizeof(version));
  if (ret != nvml::kSuccess) {
    return absl::InternalError(StrCat("NVML: nvmlSystemGetDriverVersion: ", lib.Error(ret)));
  }
  int cuda = 0;
  ret = lib.SystemGetCudaDriverVersion_v2(&cuda);
  if (ret != nvml::kSuccess) {
    return absl::InternalError(StrCat("NVML: nvmlSystemGetCudaDriverVersion_v2: ", lib.Error(ret)));
  }
  const std::string driver_version = CString(version, sizeof(version));
  const std::string cuda_version = StrCat(cuda / 1000, ".", (cuda % 1000) / 10);

  unsigned int count = 0;
  ret = lib.DeviceGetCount_v2(&count);
  if (ret != nvml::kSuccess) {
    return absl::InternalError(StrCat("NVML: nvmlDeviceGetCount_v2: ", lib.Error(ret)));
  }
  std::vector<GpuInfo> gpus;
  for (unsigned int i = 0; i < count; ++i) {
    nvmlDevice_t dev = nullptr;
    ret = lib.DeviceGetHandleByIndex_v2(i, &dev);
    if (ret != nvml::kSuccess) {
      return absl::InternalError(
          StrCat("NVML: GPU ", i, ": nvmlDeviceGetHandleByIndex_v2: ", lib.Error(ret)));
    }
    GpuInfo g;
    g.index = static_cast<int>(i);
    g.driver_version = driver_version;
    g.cuda_driver_version = cuda_version;
    DRA_RETURN_IF_ERROR(GpuQuery(lib, dev, StrCat("GPU ", i)).Fill(g));
    g.pci.pcie_root = PcieRootFromSysfs(options_.sysfs_root, g.pci.bus_id);
    g.pci.numa_node = NumaNodeFromSysfs(options_.sysfs_root, g.pci.bus_id);
    gpus.push_back(std::move(g));
  }
  return gpus;
}

absl::StatusOr<std::unique_ptr<NvmlXidWatcher>> NvmlGpuDiscovery::WatchXids(
    std::function<void(const GpuHealthEvent&)> callback, int wait_timeout_ms) {
  std::shared_ptr<NvmlLibrary> lib = lib_;
  DRA_ASSIGN_OR_RETURN(std::unique_ptr<NvmlSession> session, NvmlSession::Open(*lib));
  nvmlEventSet_t set = nullptr;
  nvmlReturn_t ret = lib->EventSetCreate(&set);
  if (ret != nvml::kSuccess) {
    return absl::InternalError(StrCat("NVML: nvmlEventSetCreate: ", lib->Error(ret)));
  }
  unsigned int count = 0;
  ret = lib->DeviceGetCount_v2(&count);
  if (ret != nvml::kSuccess) {
    lib->EventSetFree(set);
    return absl::InternalError(StrCat("NVML: nvmlDeviceGetCount_v2: ", lib->Error(ret)));
  }
  std::vector<GpuHealthEvent> unmonitored;
  for (unsigned int i = 0; i < count; ++i) {
    nvmlDevice_t dev = nullptr;
    if (lib->DeviceGetHandleByIndex_v2(i, &dev) != nvml::kSuccess) continue;
    char uuid[nvml::kUuidBufferSize] = {};
    if (lib->DeviceGetUUID(dev, uuid, sizeof(uuid)) != nvml::kSuccess) continue;
    unsigned long long supported = 0;
    ret = lib->DeviceGetSupportedEventTypes(dev, &supported);
    if (ret == nvml::kSuccess && (supported & nvml::kEventTypeXidCriticalError) != 0) {
      ret = lib->DeviceRegisterEvents(dev, nvml::kEventTypeXidCriticalError, set);
    }
    if (ret != nvml::kSuccess || (supported & nvml::kEventTypeXidCriticalError) == 0) {
      GpuHealthEvent e;
      e.kind = GpuHealthEvent::Kind::kUnmonitored;
      e.gpu_uuid = CString(uuid, sizeof(uuid));
      unmonitored.push_back(std::move(e));
    }
  }
  auto watcher = std::unique_ptr<NvmlXidWatcher>(new NvmlXidWatcher());
  watcher->lib_ = lib;
  NvmlXidWatcher* w = watcher.get();
  std::lock_guard<std::mutex> lock(watcher->join_mu_);
  watcher->thread_ = std::thread([w, lib, set, session = std::move(session),
                                  callback = std::move(callback), unmonitored, wait_timeout_ms] {
    for (const GpuHealthEvent& e : unmonitored) callback(e);
    while (!w->stop_.load()) {
      nvmlEventData_t data = {};
      nvmlReturn_t r = lib->EventSetWait_v2(set, &data, static_cast<unsigned int>(wait_timeout_ms));
      if (r == nvml::kErrorTimeout) continue;
      if (r == nvml::kErrorGpuIsLost) {
        GpuHealthEvent e;
        e.kind = GpuHealthEvent::Kind::kGpuLost;
        callback(e);
        continue;
      }
      if (r != nvml::kSuccess) {
        // Transient failure: back off briefly instead of spinning.
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(wait_timeout_ms, 100)));
        continue;
      }
      if ((data.eventType & nvml::kEventTypeXidCriticalError) == 0) continue;
      char uuid[nvml::kUuidBufferSize] = {};
      GpuHealthEvent e;
      e.kind = GpuHealthEvent::Kind::kXid;
      if (lib->DeviceGetUUID(data.device, uuid, sizeof(uuid)) == nvml::kSuccess) {
        e.gpu_uuid = CString(uuid, sizeof(uuid));
      }
      e.xid.gpu_uuid = e.gpu_uuid;
      e.xid.xid = data.eventData;
      e.xid.gpu_instance_id = data.gpuInstanceId;
      e.xid.compute_instance_id = data.computeInstanceId;
      callback(e);
    }
    lib->EventSetFree(set);
  });
  return watcher;
}

NvmlXidWatcher::~NvmlXidWatcher() { Stop(); }

void NvmlXidWatcher::Stop() {
  stop_.store(true);
  std::lock_guard<std::mutex> lock(join_mu_);
  if (thread_.joinable()) thread_.join();
}

}  // namespace dra::driver::gpu
