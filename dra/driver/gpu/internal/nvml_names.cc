#include <cmath>
#include <cstring>
#include <string>

#include "dra/driver/gpu/internal/nvml_api.h"

namespace dra::driver::gpu::nvml {
namespace {

// Indexed by nvmlBrandType_t.
constexpr const char* kBrands[] = {
    "Unknown",   "Quadro",      "Tesla",     "NVS",        "Grid",      "GeForce",
    "Titan",     "NvidiaVApps", "NvidiaVPC", "NvidiaVCS",  "NvidiaVWS", "NvidiaCloudGaming",
    "QuadroRTX", "NvidiaRTX",   "Nvidia",    "GeForceRTX", "TitanRTX",
};

struct Arch {
  unsigned int value;
  const char* name;
};
constexpr Arch kArchitectures[] = {
    {2, "Kepler"}, {3, "Maxwell"},      {4, "Pascal"}, {5, "Volta"},      {6, "Turing"},
    {7, "Ampere"}, {8, "Ada Lovelace"}, {9, "Hopper"}, {10, "Blackwell"}, {13, "Rubin"},
};

}  // namespace

const char* BrandName(unsigned int brand) {
  return brand < sizeof(kBrands) / sizeof(kBrands[0]) ? kBrands[brand] : "";
}

const char* ArchitectureName(unsigned int arch) {
  for (const Arch& a : kArchitectures) {
    if (a.value == arch) return a.name;
  }
  return "Unknown";
}

long long BrandValue(const char* name) {
  for (size_t i = 0; i < sizeof(kBrands) / sizeof(kBrands[0]); ++i) {
    if (std::strcmp(kBrands[i], name) == 0) return static_cast<long long>(i);
  }
  return -1;
}

long long ArchitectureValue(const char* name) {
  for (const Arch& a : kArchitectures) {
    if (std::strcmp(a.name, name) == 0) return a.value;
  }
  if (std::strcmp(name, "Unknown") == 0) return 0xffffffffLL;
  return -1;
}

const char* ProfileSuffix(unsigned int profile_index) {
  switch (profile_index) {
    case kGpuInstanceProfile1SliceRev1:
    case kGpuInstanceProfile2SliceRev1:
      return "+me";
    case kGpuInstanceProfile1SliceGfx:
    case kGpuInstanceProfile2SliceGfx:
    case kGpuInstanceProfile4SliceGfx:
    case kGpuInstanceProfile3SliceGfx:
      return "+gfx";
    case kGpuInstanceProfile1SliceNoMe:
    case kGpuInstanceProfile2SliceNoMe:
      return "-me";
    case kGpuInstanceProfile1SliceAllMe:
    case kGpuInstanceProfile2SliceAllMe:
      return "+me.all";
    default:
      return "";
  }
}

std::string MigProfileName(unsigned int profile_index, unsigned int slice_count,
                           unsigned long long memory_mib, unsigned long long total_memory_bytes) {
  constexpr double kMiB = 1024.0 * 1024.0;
  constexpr unsigned long long kGiB = 1024ULL * 1024ULL * 1024ULL;
  unsigned long long gb = 0;
  if (total_memory_bytes > 0) {
    double fraction =
        static_cast<double>(memory_mib) * kMiB / static_cast<double>(total_memory_bytes);
    fraction = std::ceil(fraction * 8) / 8;
    double total_gb = static_cast<double>((total_memory_bytes + kGiB - 1) / kGiB);
    gb = static_cast<unsigned long long>(std::round(fraction * total_gb));
  }
  return std::to_string(slice_count) + "g." + std::to_string(gb) + "gb" +
         ProfileSuffix(profile_index);
}

}  // namespace dra::driver::gpu::nvml
