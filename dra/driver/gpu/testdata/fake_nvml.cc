// A fake libnvidia-ml for tests: implements the NVML query functions NvmlGpuDiscovery calls,
// serving the GPUs described by the YAML state file named in $FAKE_NVML_STATE (read when NVML
// goes from uninitialized to initialized). It implements no function that changes device state.
//
// State file:
//   driverVersion: "570.133.20"
//   cudaDriverVersion: 12080
//   initError: 9                 # optional: nvmlInitWithFlags fails with this code
//   gpus:
//   - minor: 0
//     uuid: GPU-...
//     name: NVIDIA H100 80GB HBM3
//     brand: 14                  # nvmlBrandType_t
//     architecture: 9            # nvmlDeviceArchitecture_t
//     ccMajor: 9
//     ccMinor: 0
//     memory: 85899345920        # bytes; absent: NVML_ERROR_NOT_SUPPORTED
//     busId: "00000000:18:00.0"
//     addressingMode: 1          # absent: NOT_SUPPORTED
//     fabric: {clusterUuid: 5f2e9a3c-..., cliqueId: 1}   # absent: fabric probe not supported
//     migMode: 0                 # absent: not MIG-capable
//     eventsUnsupported: true    # XID events cannot be registered
//     profiles:                  # GPU instance profiles by NVML profile index
//     - {index: 0, id: 19, slices: 1, memoryMiB: 9984, sm: 16, ce: 1, dec: 1, enc: 0,
//        jpeg: 1, ofa: 0, placements: [[0, 1], [1, 1]]}
//     migDevices:
//     - {uuid: MIG-..., gi: 1, ci: 0, profileId: 9, start: 4, size: 4}
//
// Test hooks (extern "C"): FakeNvmlInjectXid(uuid, xid, gi, ci) queues an XID event for
// nvmlEventSetWait_v2, FakeNvmlInjectGpuLost() makes the next wait fail with
// NVML_ERROR_GPU_IS_LOST, FakeNvmlInitCount() is NVML's current reference count.
//
// Thread-safe: one mutex guards all state.
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "dra/driver/gpu/internal/nvml_api.h"

namespace {

using namespace dra::driver::gpu;  // NOLINT: nvml:: constants.

struct FakeProfile {
  unsigned int index = 0;
  nvmlGpuInstanceProfileInfo_t info = {};
  std::vector<nvmlGpuInstancePlacement_t> placements;
};

struct FakeDevice;

struct FakeGpuInstance {
  FakeDevice* parent = nullptr;
  unsigned int id = 0;
  unsigned int profile_id = 0;
  nvmlGpuInstancePlacement_t placement = {};
};

struct FakeDevice {
  bool is_mig = false;
  FakeDevice* parent = nullptr;
  unsigned int minor = 0;
  std::string uuid;
  std::string name;
  unsigned int brand = 0;
  unsigned int architecture = 0;
  int cc_major = 0;
  int cc_minor = 0;
  std::optional<unsigned long long> memory;
  std::string bus_id;
  std::optional<unsigned int> addressing_mode;
  std::optional<std::string> fabric_cluster;
  unsigned int fabric_clique = 0;
  std::optional<unsigned int> mig_mode;
  bool events_unsupported = false;
  std::vector<FakeProfile> profiles;
  std::deque<FakeDevice> migs;                // is_mig children
  std::deque<FakeGpuInstance> gpu_instances;  // one per MIG device
  unsigned int gi = 0;                        // MIG devices
  unsigned int ci = 0;
};

struct PendingEvent {
  nvmlEventData_t data = {};
  bool gpu_lost = false;
};

struct State {
  std::mutex mu;
  std::condition_variable cv;
  int init_count = 0;
  std::string driver_version;
  int cuda_driver_version = 0;
  std::deque<FakeDevice> gpus;
  std::deque<PendingEvent> events;
};

State& S() {
  static State* s = new State();
  return *s;
}

bool ParseUuidBytes(const std::string& text, unsigned char out[16]) {
  int n = 0;
  for (size_t i = 0; i < text.size() && n < 32; ++i) {
    char c = text[i];
    if (c == '-') continue;
    int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (v < 0) return false;
    if (n % 2 == 0)
      out[n / 2] = static_cast<unsigned char>(v << 4);
    else
      out[n / 2] |= static_cast<unsigned char>(v);
    ++n;
  }
  return n == 32;
}

nvmlReturn_t Load(State& s) {
  const char* path = std::getenv("FAKE_NVML_STATE");
  if (path == nullptr) return nvml::kErrorDriverNotLoaded;
  try {
    YAML::Node root = YAML::LoadFile(path);
    if (root["initError"]) return root["initError"].as<int>();
    s.gpus.clear();
    s.events.clear();
    s.driver_version = root["driverVersion"].as<std::string>("");
    s.cuda_driver_version = root["cudaDriverVersion"].as<int>(0);
    for (const YAML::Node& g : root["gpus"]) {
      FakeDevice& d = s.gpus.emplace_back();
      d.minor = g["minor"].as<unsigned int>();
      d.uuid = g["uuid"].as<std::string>();
      d.name = g["name"].as<std::string>();
      d.brand = g["brand"].as<unsigned int>();
      d.architecture = g["architecture"].as<unsigned int>();
      d.cc_major = g["ccMajor"].as<int>();
      d.cc_minor = g["ccMinor"].as<int>();
      if (g["memory"]) d.memory = g["memory"].as<unsigned long long>();
      d.bus_id = g["busId"].as<std::string>();
      if (g["addressingMode"]) d.addressing_mode = g["addressingMode"].as<unsigned int>();
      if (g["fabric"]) {
        d.fabric_cluster = g["fabric"]["clusterUuid"].as<std::string>();
        d.fabric_clique = g["fabric"]["cliqueId"].as<unsigned int>();
      }
      if (g["migMode"]) d.mig_mode = g["migMode"].as<unsigned int>();
      d.events_unsupported = g["eventsUnsupported"].as<bool>(false);
      for (const YAML::Node& p : g["profiles"]) {
        FakeProfile& fp = d.profiles.emplace_back();
        fp.index = p["index"].as<unsigned int>();
        fp.info.id = p["id"].as<unsigned int>();
        fp.info.sliceCount = p["slices"].as<unsigned int>();
        fp.info.instanceCount = static_cast<unsigned int>(p["placements"].size());
        fp.info.memorySizeMB = p["memoryMiB"].as<unsigned long long>();
        fp.info.multiprocessorCount = p["sm"].as<unsigned int>();
        fp.info.copyEngineCount = p["ce"].as<unsigned int>();
        fp.info.decoderCount = p["dec"].as<unsigned int>();
        fp.info.encoderCount = p["enc"].as<unsigned int>();
        fp.info.jpegCount = p["jpeg"].as<unsigned int>();
        fp.info.ofaCount = p["ofa"].as<unsigned int>();
        for (const YAML::Node& pl : p["placements"]) {
          fp.placements.push_back({pl[0].as<unsigned int>(), pl[1].as<unsigned int>()});
        }
      }
      for (const YAML::Node& m : g["migDevices"]) {
        FakeDevice& md = d.migs.emplace_back();
        md.is_mig = true;
        md.parent = &d;
        md.uuid = m["uuid"].as<std::string>();
        md.gi = m["gi"].as<unsigned int>();
        md.ci = m["ci"].as<unsigned int>();
        FakeGpuInstance& gi = d.gpu_instances.emplace_back();
        gi.parent = &d;
        gi.id = md.gi;
        gi.profile_id = m["profileId"].as<unsigned int>();
        gi.placement = {m["start"].as<unsigned int>(), m["size"].as<unsigned int>()};
      }
    }
  } catch (const YAML::Exception&) {
    return nvml::kErrorUnknown;
  }
  return nvml::kSuccess;
}

FakeDevice* Dev(nvmlDevice_t h) { return reinterpret_cast<FakeDevice*>(h); }
nvmlDevice_t Handle(FakeDevice* d) { return reinterpret_cast<nvmlDevice_t>(d); }

nvmlReturn_t CopyString(const std::string& s, char* out, unsigned int length) {
  if (out == nullptr) return nvml::kErrorInvalidArgument;
  if (s.size() + 1 > length) return nvml::kErrorInsufficientSize;
  std::memcpy(out, s.c_str(), s.size() + 1);
  return nvml::kSuccess;
}

#define FAKE_REQUIRE_INIT(s)                \
  std::lock_guard<std::mutex> lock((s).mu); \
  if ((s).init_count == 0) return nvml::kErrorUninitialized

}  // namespace

extern "C" {

__attribute__((visibility("default"))) nvmlReturn_t nvmlInitWithFlags(unsigned int) {
  State& s = S();
  std::lock_guard<std::mutex> lock(s.mu);
  if (s.init_count == 0) {
    nvmlReturn_t ret = Load(s);
    if (ret != nvml::kSuccess) return ret;
  }
  ++s.init_count;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlShutdown() {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  --s.init_count;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) const char* nvmlErrorString(nvmlReturn_t ret) {
  switch (ret) {
    case 0:
      return "Success";
    case 1:
      return "Uninitialized";
    case 2:
      return "Invalid Argument";
    case 3:
      return "Not Supported";
    case 6:
      return "Not Found";
    case 9:
      return "Driver Not Loaded";
    case 10:
      return "Timeout";
    case 15:
      return "GPU is lost";
    default:
      return "Unknown Error";
  }
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlSystemGetDriverVersion(
    char* version, unsigned int length) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  return CopyString(s.driver_version, version, length);
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlSystemGetCudaDriverVersion_v2(int* v) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  *v = s.cuda_driver_version;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int* count) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  *count = static_cast<unsigned int>(s.gpus.size());
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(
    unsigned int index, nvmlDevice_t* device) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  if (index >= s.gpus.size()) return nvml::kErrorInvalidArgument;
  *device = Handle(&s.gpus[index]);
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetMinorNumber(nvmlDevice_t d,
                                                                             unsigned int* m) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  if (Dev(d)->is_mig) return nvml::kErrorNotSupported;
  *m = Dev(d)->minor;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t d, char* uuid,
                                                                      unsigned int length) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  return CopyString(Dev(d)->uuid, uuid, length);
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t d, char* name,
                                                                      unsigned int length) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  return CopyString(Dev(d)->name, name, length);
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetBrand(nvmlDevice_t d,
                                                                       unsigned int* brand) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  *brand = Dev(d)->brand;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetArchitecture(nvmlDevice_t d,
                                                                              unsigned int* arch) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  *arch = Dev(d)->architecture;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetCudaComputeCapability(
    nvmlDevice_t d, int* major, int* minor) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  *major = Dev(d)->cc_major;
  *minor = Dev(d)->cc_minor;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t d,
                                                                            nvmlMemory_t* m) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  if (!Dev(d)->memory.has_value()) return nvml::kErrorNotSupported;
  m->total = *Dev(d)->memory;
  m->free = m->total;
  m->used = 0;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t d,
                                                                            nvmlPciInfo_t* pci) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  std::memset(pci, 0, sizeof(*pci));
  return CopyString(Dev(d)->bus_id, pci->busId, sizeof(pci->busId));
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetAddressingMode(
    nvmlDevice_t d, nvmlDeviceAddressingMode_t* mode) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  if (mode->version != nvml::kDeviceAddressingModeV1) return 25;  // ARGUMENT_VERSION_MISMATCH
  if (!Dev(d)->addressing_mode.has_value()) return nvml::kErrorNotSupported;
  mode->value = *Dev(d)->addressing_mode;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetGpuFabricInfo(
    nvmlDevice_t d, nvmlGpuFabricInfo_t* info) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  std::memset(info, 0, sizeof(*info));
  if (!Dev(d)->fabric_cluster.has_value()) return nvml::kErrorNotSupported;
  if (!ParseUuidBytes(*Dev(d)->fabric_cluster, info->clusterUuid)) return nvml::kErrorUnknown;
  info->cliqueId = Dev(d)->fabric_clique;
  info->status = nvml::kSuccess;
  info->state = nvml::kGpuFabricStateCompleted;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t d,
                                                                         unsigned int* current,
                                                                         unsigned int* pending) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  if (!Dev(d)->mig_mode.has_value()) return nvml::kErrorNotSupported;
  *current = *pending = *Dev(d)->mig_mode;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetGpuInstanceProfileInfo(
    nvmlDevice_t d, unsigned int profile, nvmlGpuInstanceProfileInfo_t* info) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  if (!Dev(d)->mig_mode.has_value()) return nvml::kErrorNotSupported;
  if (profile >= nvml::kGpuInstanceProfileCount) return nvml::kErrorInvalidArgument;
  for (const FakeProfile& p : Dev(d)->profiles) {
    if (p.index == profile) {
      *info = p.info;
      return nvml::kSuccess;
    }
  }
  return nvml::kErrorNotSupported;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetGpuInstancePossiblePlacements_v2(
    nvmlDevice_t d, unsigned int profile_id, nvmlGpuInstancePlacement_t* placements,
    unsigned int* count) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  for (const FakeProfile& p : Dev(d)->profiles) {
    if (p.info.id != profile_id) continue;
    if (placements == nullptr) {
      *count = static_cast<unsigned int>(p.placements.size());
      return nvml::kSuccess;
    }
    if (*count < p.placements.size()) return nvml::kErrorInsufficientSize;
    for (size_t i = 0; i < p.placements.size(); ++i) placements[i] = p.placements[i];
    *count = static_cast<unsigned int>(p.placements.size());
    return nvml::kSuccess;
  }
  return nvml::kErrorInvalidArgument;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(
    nvmlDevice_t d, unsigned int* count) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  if (!Dev(d)->mig_mode.has_value()) return nvml::kErrorNotSupported;
  *count = 7;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(
    nvmlDevice_t d, unsigned int index, nvmlDevice_t* mig) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  if (Dev(d)->mig_mode.value_or(0) != nvml::kDeviceMigEnable) return nvml::kErrorNotSupported;
  // Leave a hole at index 0 when there is room, as NVML does after a MIG device is destroyed.
  const unsigned int offset = Dev(d)->migs.size() < 7 ? 1 : 0;
  if (index < offset || index - offset >= Dev(d)->migs.size()) return nvml::kErrorNotFound;
  *mig = Handle(&Dev(d)->migs[index - offset]);
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetGpuInstanceId(nvmlDevice_t d,
                                                                               unsigned int* id) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  if (!Dev(d)->is_mig) return nvml::kErrorInvalidArgument;
  *id = Dev(d)->gi;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetComputeInstanceId(
    nvmlDevice_t d, unsigned int* id) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  if (!Dev(d)->is_mig) return nvml::kErrorInvalidArgument;
  *id = Dev(d)->ci;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetGpuInstanceById(
    nvmlDevice_t d, unsigned int id, nvmlGpuInstance_t* gi) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  for (FakeGpuInstance& g : Dev(d)->gpu_instances) {
    if (g.id == id) {
      *gi = reinterpret_cast<nvmlGpuInstance_t>(&g);
      return nvml::kSuccess;
    }
  }
  return nvml::kErrorNotFound;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlGpuInstanceGetInfo(
    nvmlGpuInstance_t gi, nvmlGpuInstanceInfo_t* info) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  const FakeGpuInstance* g = reinterpret_cast<const FakeGpuInstance*>(gi);
  info->device = Handle(g->parent);
  info->id = g->id;
  info->profileId = g->profile_id;
  info->placement = g->placement;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlEventSetCreate(nvmlEventSet_t* set) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  *set = reinterpret_cast<nvmlEventSet_t>(new int(0));
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlEventSetFree(nvmlEventSet_t set) {
  delete reinterpret_cast<int*>(set);
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetSupportedEventTypes(
    nvmlDevice_t d, unsigned long long* types) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  *types = Dev(d)->events_unsupported ? 0 : nvml::kEventTypeXidCriticalError;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceRegisterEvents(
    nvmlDevice_t d, unsigned long long types, nvmlEventSet_t) {
  State& s = S();
  FAKE_REQUIRE_INIT(s);
  if (Dev(d)->events_unsupported || types != nvml::kEventTypeXidCriticalError) {
    return nvml::kErrorNotSupported;
  }
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvmlReturn_t nvmlEventSetWait_v2(nvmlEventSet_t,
                                                                        nvmlEventData_t* data,
                                                                        unsigned int timeout_ms) {
  State& s = S();
  std::unique_lock<std::mutex> lock(s.mu);
  if (s.init_count == 0) return nvml::kErrorUninitialized;
  if (!s.cv.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                     [&] { return !s.events.empty(); })) {
    return nvml::kErrorTimeout;
  }
  PendingEvent e = s.events.front();
  s.events.pop_front();
  if (e.gpu_lost) return nvml::kErrorGpuIsLost;
  *data = e.data;
  return nvml::kSuccess;
}

// Test hooks.

__attribute__((visibility("default"))) int FakeNvmlInjectXid(const char* uuid,
                                                             unsigned long long xid,
                                                             unsigned int gi, unsigned int ci) {
  State& s = S();
  std::lock_guard<std::mutex> lock(s.mu);
  for (FakeDevice& d : s.gpus) {
    if (d.uuid != uuid) continue;
    PendingEvent e;
    e.data.device = Handle(&d);
    e.data.eventType = nvml::kEventTypeXidCriticalError;
    e.data.eventData = xid;
    e.data.gpuInstanceId = gi;
    e.data.computeInstanceId = ci;
    s.events.push_back(e);
    s.cv.notify_all();
    return 0;
  }
  return -1;
}

__attribute__((visibility("default"))) void FakeNvmlInjectGpuLost() {
  State& s = S();
  std::lock_guard<std::mutex> lock(s.mu);
  PendingEvent e;
  e.gpu_lost = true;
  s.events.push_back(e);
  s.cv.notify_all();
}

__attribute__((visibility("default"))) int FakeNvmlInitCount() {
  State& s = S();
  std::lock_guard<std::mutex> lock(s.mu);
  return s.init_count;
}

}  // extern "C"
