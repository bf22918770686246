// The subset of NVML's C API (nvml.h) that discovery and the XID watcher use, declared here
// because no NVML header is packaged for the build. Layouts and values match nvml.h (NVML API
// version 12/13, x86-64 and aarch64 LP64 ABIs); functions are resolved with dlsym, never
// linked. The fake library in ../testdata implements the same declarations.
//
// Types and constants only; thread-safe.
#ifndef DRA_DRIVER_GPU_INTERNAL_NVML_API_H_
#define DRA_DRIVER_GPU_INTERNAL_NVML_API_H_

#include <cstdint>
#include <string>

extern "C" {

typedef int nvmlReturn_t;  // enum nvmlReturn_enum
typedef struct nvmlDevice_st* nvmlDevice_t;
typedef struct nvmlGpuInstance_st* nvmlGpuInstance_t;
typedef struct nvmlEventSet_st* nvmlEventSet_t;

typedef struct nvmlMemory_st {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
} nvmlMemory_t;

typedef struct nvmlPciInfo_st {
  char busIdLegacy[16];  // NVML_DEVICE_PCI_BUS_ID_BUFFER_V2_SIZE
  unsigned int domain;
  unsigned int bus;
  unsigned int device;
  unsigned int pciDeviceId;
  unsigned int pciSubSystemId;
  char busId[32];  // NVML_DEVICE_PCI_BUS_ID_BUFFER_SIZE: "00000000:3B:00.0"
} nvmlPciInfo_t;

typedef struct nvmlGpuInstancePlacement_st {
  unsigned int start;
  unsigned int size;
} nvmlGpuInstancePlacement_t;

typedef struct nvmlGpuInstanceProfileInfo_st {
  unsigned int id;
  unsigned int isP2pSupported;
  unsigned int sliceCount;
  unsigned int instanceCount;
  unsigned int multiprocessorCount;
  unsigned int copyEngineCount;
  unsigned int decoderCount;
  unsigned int encoderCount;
  unsigned int jpegCount;
  unsigned int ofaCount;
  unsigned long long memorySizeMB;  // MiB
} nvmlGpuInstanceProfileInfo_t;

typedef struct nvmlGpuInstanceInfo_st {
  nvmlDevice_t device;
  unsigned int id;
  unsigned int profileId;
  nvmlGpuInstancePlacement_t placement;
} nvmlGpuInstanceInfo_t;

typedef struct nvmlEventData_st {
  nvmlDevice_t device;
  unsigned long long eventType;
  unsigned long long eventData;  // the XID for nvmlEventTypeXidCriticalError
  unsigned int gpuInstanceId;
  unsigned int computeInstanceId;
} nvmlEventData_t;

typedef struct {
  unsigned char clusterUuid[16];  // NVML_GPU_FABRIC_UUID_LEN
  nvmlReturn_t status;
  unsigned int cliqueId;
  unsigned char state;  // nvmlGpuFabricState_t
} nvmlGpuFabricInfo_t;

typedef struct {
  unsigned int version;  // nvmlDeviceAddressingMode_v1
  unsigned int value;
} nvmlDeviceAddressingMode_t;

}  // extern "C"

namespace dra::driver::gpu::nvml {

inline constexpr nvmlReturn_t kSuccess = 0;
inline constexpr nvmlReturn_t kErrorUninitialized = 1;
inline constexpr nvmlReturn_t kErrorInvalidArgument = 2;
inline constexpr nvmlReturn_t kErrorNotSupported = 3;
inline constexpr nvmlReturn_t kErrorNoPermission = 4;
inline constexpr nvmlReturn_t kErrorNotFound = 6;
inline constexpr nvmlReturn_t kErrorInsufficientSize = 7;
inline constexpr nvmlReturn_t kErrorDriverNotLoaded = 9;
inline constexpr nvmlReturn_t kErrorTimeout = 10;
inline constexpr nvmlReturn_t kErrorFunctionNotFound = 13;
inline constexpr nvmlReturn_t kErrorGpuIsLost = 15;
inline constexpr nvmlReturn_t kErrorUnknown = 999;

inline constexpr unsigned int kInitFlagNoGpus = 1;
inline constexpr unsigned int kDeviceMigEnable = 1;
inline constexpr unsigned long long kEventTypeXidCriticalError = 0x8ULL;

// NVML_GPU_INSTANCE_PROFILE_* (indices into a device's GPU instance profile table).
inline constexpr unsigned int kGpuInstanceProfile1Slice = 0x0;
inline constexpr unsigned int kGpuInstanceProfile2Slice = 0x1;
inline constexpr unsigned int kGpuInstanceProfile3Slice = 0x2;
inline constexpr unsigned int kGpuInstanceProfile4Slice = 0x3;
inline constexpr unsigned int kGpuInstanceProfile7Slice = 0x4;
inline constexpr unsigned int kGpuInstanceProfile8Slice = 0x5;
inline constexpr unsigned int kGpuInstanceProfile6Slice = 0x6;
inline constexpr unsigned int kGpuInstanceProfile1SliceRev1 = 0x7;
inline constexpr unsigned int kGpuInstanceProfile2SliceRev1 = 0x8;
inline constexpr unsigned int kGpuInstanceProfile1SliceRev2 = 0x9;
inline constexpr unsigned int kGpuInstanceProfile1SliceGfx = 0xA;
inline constexpr unsigned int kGpuInstanceProfile2SliceGfx = 0xB;
inline constexpr unsigned int kGpuInstanceProfile4SliceGfx = 0xC;
inline constexpr unsigned int kGpuInstanceProfile1SliceNoMe = 0xD;
inline constexpr unsigned int kGpuInstanceProfile2SliceNoMe = 0xE;
inline constexpr unsigned int kGpuInstanceProfile1SliceAllMe = 0xF;
inline constexpr unsigned int kGpuInstanceProfile2SliceAllMe = 0x10;
inline constexpr unsigned int kGpuInstanceProfile3SliceGfx = 0x11;
inline constexpr unsigned int kGpuInstanceProfileCount = 0x12;

inline constexpr unsigned char kGpuFabricStateCompleted = 3;

inline constexpr unsigned int kDeviceAddressingModeNone = 0;
inline constexpr unsigned int kDeviceAddressingModeHmm = 1;
inline constexpr unsigned int kDeviceAddressingModeAts = 2;
// nvmlDeviceAddressingMode_v1: sizeof(struct) | 1 << 24.
inline constexpr unsigned int kDeviceAddressingModeV1 =
    static_cast<unsigned int>(sizeof(nvmlDeviceAddressingMode_t)) | (1u << 24);

// NVML_DEVICE_*_BUFFER_SIZE values.
inline constexpr unsigned int kUuidBufferSize = 96;
inline constexpr unsigned int kNameBufferSize = 96;
inline constexpr unsigned int kDriverVersionBufferSize = 80;

// nvmlBrandType_t values 0..16 as go-nvlib names them (GetBrandAsString), "" when unknown.
const char* BrandName(unsigned int brand);
// nvmlDeviceArchitecture_t as go-nvlib names it ("Hopper", "Ada Lovelace", "Unknown").
const char* ArchitectureName(unsigned int arch);
// Inverses, for the fake library's state files; -1 when there is no such name.
long long BrandValue(const char* name);
long long ArchitectureValue(const char* name);

// The suffix go-nvlib appends to the name of the GPU instance profile at `profile_index`:
// "+me" (REV1), "+gfx", "-me" (NO_ME), "+me.all" (ALL_ME) or "".
const char* ProfileSuffix(unsigned int profile_index);

// The MIG profile name go-nvlib prints: "<g>g.<gb>gb" plus ProfileSuffix(). <gb> is the
// profile's memory as a fraction of the GPU's memory rounded up to eighths, times the GPU's
// memory in GiB (rounded up), rounded to the nearest integer.
std::string MigProfileName(unsigned int profile_index, unsigned int slice_count,
                           unsigned long long memory_mib, unsigned long long total_memory_bytes);

}  // namespace dra::driver::gpu::nvml

#endif  // DRA_DRIVER_GPU_INTERNAL_NVML_API_H_
