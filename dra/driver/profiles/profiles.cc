#include "dra/driver/profiles/profiles.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "dra/base/quantity.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/driver/profiles/internal/builtin_profiles.h"

namespace dra::driver::profiles {
namespace {

std::string Child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : StrCat(path, ".", key);
}
std::string Index(const std::string& path, size_t i) { return StrCat(path, "[", i, "]"); }

// Strict field-by-field decoding of yaml-cpp nodes; every error names the source and path.
class Decoder {
 public:
  explicit Decoder(std::string source) : source_(std::move(source)) {}

  absl::Status Error(const std::string& path, std::string_view message) const {
    return absl::InvalidArgumentError(
        StrCat("profile \"", source_, "\": ", path.empty() ? "<root>" : path, ": ", message));
  }

  // `node` must be a map whose keys are all in `allowed`.
  absl::Status Map(const YAML::Node& node, const std::string& path,
                   std::initializer_list<std::string_view> allowed) const {
    if (!node.IsMap()) return Error(path, "must be a mapping");
    for (const auto& kv : node) {
      if (!kv.first.IsScalar()) return Error(path, "keys must be strings");
      const std::string key = kv.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string names;
        for (std::string_view a : allowed) names += StrCat(names.empty() ? "" : ", ", a);
        return Error(Child(path, key), StrCat("unknown field (known: ", names, ")"));
      }
    }
    return absl::OkStatus();
  }

  absl::Status Sequence(const YAML::Node& node, const std::string& path) const {
    if (!node.IsSequence()) return Error(path, "must be a list");
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> String(const YAML::Node& node, const std::string& path) const {
    if (!node.IsScalar()) return Error(path, "must be a string");
    return node.Scalar();
  }

  absl::StatusOr<int64_t> Int(const YAML::Node& node, const std::string& path, int64_t min,
                              int64_t max) const {
    if (!node.IsScalar()) return Error(path, "must be an integer");
    const std::string& s = node.Scalar();
    int64_t v = 0;
    bool neg = false;
    size_t i = 0;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
      neg = s[0] == '-';
      i = 1;
    }
    if (i == s.size()) return Error(path, StrCat("must be an integer, got \"", s, "\""));
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9' || v > (INT64_MAX - 9) / 10) {
        return Error(path, StrCat("must be an integer, got \"", s, "\""));
      }
      v = v * 10 + (s[i] - '0');
    }
    if (neg) v = -v;
    if (v < min) return Error(path, StrCat("must be >= ", min, ", got ", v));
    if (v > max) return Error(path, StrCat("must be <= ", max, ", got ", v));
    return v;
  }

  absl::StatusOr<bool> Bool(const YAML::Node& node, const std::string& path) const {
    if (node.IsScalar()) {
      if (node.Scalar() == "true") return true;
      if (node.Scalar() == "false") return false;
    }
    return Error(path, "must be true or false");
  }

  absl::StatusOr<std::vector<int64_t>> IntList(const YAML::Node& node, const std::string& path,
                                               int64_t min, int64_t max) const {
    DRA_RETURN_IF_ERROR(Sequence(node, path));
    std::vector<int64_t> out;
    for (size_t i = 0; i < node.size(); ++i) {
      DRA_ASSIGN_OR_RETURN(int64_t v, Int(node[i], Index(path, i), min, max));
      out.push_back(v);
    }
    return out;
  }

 private:
  std::string source_;
};

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// `0000:3b:00.0`: lower-case hex, 4-digit domain.
bool ValidBusId(std::string_view s) {
  if (s.size() != 12 || s[4] != ':' || s[7] != ':' || s[10] != '.') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsHex(s[i])) return false;
  }
  return s[11] >= '0' && s[11] <= '7';
}

// `pci0000:3a`.
bool ValidPcieRoot(std::string_view s) {
  if (s.size() != 10 || s.substr(0, 3) != "pci" || s[7] != ':') return false;
  for (size_t i : {3, 4, 5, 6, 8, 9}) {
    if (!IsHex(s[i])) return false;
  }
  return true;
}

bool ValidMac(std::string_view s) {
  if (s.size() != 17) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i % 3 == 2 ? s[i] != ':' : !IsHex(s[i])) return false;
  }
  return true;
}

// Deterministic identifiers for GPUs and MIG devices that a profile does not name: FNV-1a over
// the seed, formatted as a UUID.
std::string GeneratedUuid(std::string_view prefix, std::string_view seed) {
  auto fnv = [](std::string_view s, uint64_t h) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    return h;
  };
  uint64_t a = fnv(seed, 14695981039346656037ULL);
  uint64_t b = fnv(seed, a ^ 0x9e3779b97f4a7c15ULL);
  std::string out(prefix);
  auto hex = [&](uint64_t v, int digits) {
    static const char* kDigits = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; --i) out.push_back(kDigits[(v >> (4 * i)) & 0xf]);
  };
  hex(a >> 32, 8);
  out.push_back('-');
  hex((a >> 16) & 0xffff, 4);
  out.push_back('-');
  hex(a & 0xffff, 4);
  out.push_back('-');
  hex(b >> 48, 4);
  out.push_back('-');
  hex(b & 0xffffffffffffULL, 12);
  return out;
}

struct GpuModel {
  GpuInfo base;  // model-level fields
};

absl::StatusOr<MigProfile> DecodeMigProfile(const Decoder& d, const YAML::Node& n,
                                            const std::string& path) {
  DRA_RETURN_IF_ERROR(
      d.Map(n, path,
            {"name", "id", "slices", "memoryMiB", "multiprocessors", "copyEngines", "decoders",
             "encoders", "jpegEngines", "ofaEngines", "placements", "placementSize"}));
  MigProfile p;
  for (const char* required :
       {"name", "id", "slices", "memoryMiB", "multiprocessors", "placements", "placementSize"}) {
    if (!n[required]) return d.Error(Child(path, required), "Required value");
  }
  DRA_ASSIGN_OR_RETURN(p.name, d.String(n["name"], Child(path, "name")));
  if (p.name.empty()) return d.Error(Child(path, "name"), "must not be empty");
  DRA_ASSIGN_OR_RETURN(int64_t id, d.Int(n["id"], Child(path, "id"), 0, 1 << 20));
  p.gpu_instance_profile_id = static_cast<int>(id);
  DRA_ASSIGN_OR_RETURN(int64_t slices, d.Int(n["slices"], Child(path, "slices"), 1, 64));
  p.slice_count = static_cast<int>(slices);
  DRA_ASSIGN_OR_RETURN(p.memory_mib,
                       d.Int(n["memoryMiB"], Child(path, "memoryMiB"), 1, int64_t{1} << 40));
  struct IntField {
    const char* key;
    int* out;
  };
  for (IntField f :
       {IntField{"multiprocessors", &p.multiprocessors}, IntField{"copyEngines", &p.copy_engines},
        IntField{"decoders", &p.decoders}, IntField{"encoders", &p.encoders},
        IntField{"jpegEngines", &p.jpeg_engines}, IntField{"ofaEngines", &p.ofa_engines}}) {
    if (!n[f.key]) continue;
    DRA_ASSIGN_OR_RETURN(int64_t v, d.Int(n[f.key], Child(path, f.key), 0, 100000));
    *f.out = static_cast<int>(v);
  }
  DRA_ASSIGN_OR_RETURN(int64_t size,
                       d.Int(n["placementSize"], Child(path, "placementSize"), 1, 64));
  DRA_ASSIGN_OR_RETURN(std::vector<int64_t> starts,
                       d.IntList(n["placements"], Child(path, "placements"), 0, 63));
  if (starts.empty()) return d.Error(Child(path, "placements"), "must not be empty");
  for (int64_t s : starts) {
    p.placements.push_back({static_cast<int>(s), static_cast<int>(size)});
  }
  return p;
}

absl::StatusOr<GpuModel> DecodeGpuModel(const Decoder& d, const YAML::Node& n,
                                        const std::string& path) {
  DRA_RETURN_IF_ERROR(d.Map(n, path,
                            {"productName", "brand", "architecture", "cudaComputeCapability",
                             "memory", "addressingMode", "migCapable", "migProfiles"}));
  GpuModel m;
  GpuInfo& g = m.base;
  for (const char* required : {"productName", "brand", "architecture", "cudaComputeCapability"}) {
    if (!n[required]) return d.Error(Child(path, required), "Required value");
  }
  DRA_ASSIGN_OR_RETURN(g.product_name, d.String(n["productName"], Child(path, "productName")));
  DRA_ASSIGN_OR_RETURN(g.brand, d.String(n["brand"], Child(path, "brand")));
  DRA_ASSIGN_OR_RETURN(g.architecture, d.String(n["architecture"], Child(path, "architecture")));
  DRA_ASSIGN_OR_RETURN(g.cuda_compute_capability,
                       d.String(n["cudaComputeCapability"], Child(path, "cudaComputeCapability")));
  {
    const std::string& cc = g.cuda_compute_capability;
    size_t dot = cc.find('.');
    bool ok = dot != std::string::npos && dot > 0 && dot + 1 < cc.size() &&
              std::all_of(cc.begin(), cc.end(), [](char c) { return c == '.' || isdigit(c); }) &&
              cc.find('.', dot + 1) == std::string::npos;
    if (!ok) {
      return d.Error(Child(path, "cudaComputeCapability"),
                     StrCat("must be <major>.<minor>, got \"", cc, "\""));
    }
  }
  if (n["memory"]) {
    DRA_ASSIGN_OR_RETURN(std::string text, d.String(n["memory"], Child(path, "memory")));
    absl::StatusOr<Quantity> q = Quantity::Parse(text);
    if (!q.ok() || !q->AsInt64().has_value() || *q->AsInt64() <= 0) {
      return d.Error(
          Child(path, "memory"),
          StrCat("must be a positive whole number of bytes (e.g. 80Gi), got \"", text, "\""));
    }
    g.memory_bytes = *q->AsInt64();
  }
  if (n["addressingMode"]) {
    DRA_ASSIGN_OR_RETURN(std::string mode,
                         d.String(n["addressingMode"], Child(path, "addressingMode")));
    if (mode != "HMM" && mode != "ATS" && mode != "None") {
      return d.Error(Child(path, "addressingMode"),
                     StrCat("must be one of HMM, ATS, None, got \"", mode, "\""));
    }
    g.addressing_mode = mode;
  }
  if (n["migProfiles"]) {
    const std::string ppath = Child(path, "migProfiles");
    DRA_RETURN_IF_ERROR(d.Sequence(n["migProfiles"], ppath));
    std::set<std::string> names;
    std::set<int> ids;
    for (size_t i = 0; i < n["migProfiles"].size(); ++i) {
      DRA_ASSIGN_OR_RETURN(MigProfile p, DecodeMigProfile(d, n["migProfiles"][i], Index(ppath, i)));
      if (!names.insert(p.name).second) {
        return d.Error(Child(Index(ppath, i), "name"), StrCat("Duplicate value: \"", p.name, "\""));
      }
      if (!ids.insert(p.gpu_instance_profile_id).second) {
        return d.Error(Child(Index(ppath, i), "id"),
                       StrCat("Duplicate value: ", p.gpu_instance_profile_id));
      }
      g.mig_profiles.push_back(std::move(p));
    }
    std::sort(g.mig_profiles.begin(), g.mig_profiles.end(),
              [](const MigProfile& a, const MigProfile& b) {
                return std::tie(a.slice_count, a.memory_mib, a.name) <
                       std::tie(b.slice_count, b.memory_mib, b.name);
              });
  }
  g.mig_capable = !g.mig_profiles.empty();
  if (n["migCapable"]) {
    DRA_ASSIGN_OR_RETURN(g.mig_capable, d.Bool(n["migCapable"], Child(path, "migCapable")));
    if (g.mig_capable && g.mig_profiles.empty()) {
      return d.Error(Child(path, "migProfiles"), "Required value: a MIG-capable model lists them");
    }
    if (!g.mig_capable) g.mig_profiles.clear();
  }
  return m;
}

absl::StatusOr<PciLocation> DecodePci(const Decoder& d, const YAML::Node& n,
                                      const std::string& path) {
  DRA_RETURN_IF_ERROR(d.Map(n, path, {"busID", "pcieRoot", "numaNode"}));
  PciLocation pci;
  if (!n["busID"]) return d.Error(Child(path, "busID"), "Required value");
  DRA_ASSIGN_OR_RETURN(pci.bus_id, d.String(n["busID"], Child(path, "busID")));
  if (!ValidBusId(pci.bus_id)) {
    return d.Error(
        Child(path, "busID"),
        StrCat("must look like 0000:3b:00.0 (lower-case hex), got \"", pci.bus_id, "\""));
  }
  if (n["pcieRoot"]) {
    DRA_ASSIGN_OR_RETURN(std::string root, d.String(n["pcieRoot"], Child(path, "pcieRoot")));
    if (!ValidPcieRoot(root)) {
      return d.Error(Child(path, "pcieRoot"),
                     StrCat("must look like pci0000:3a (lower-case hex), got \"", root, "\""));
    }
    pci.pcie_root = root;
  }
  if (n["numaNode"]) {
    DRA_ASSIGN_OR_RETURN(int64_t numa, d.Int(n["numaNode"], Child(path, "numaNode"), 0, 1023));
    pci.numa_node = static_cast<int>(numa);
  }
  return pci;
}

struct DriverVersions {
  std::string driver = "570.133.20";
  std::string cuda = "12.8";
};

absl::Status DecodeGpus(const Decoder& d, const YAML::Node& root, const std::string& source,
                        Hardware& hw) {
  DriverVersions versions;
  if (root["driver"]) {
    DRA_RETURN_IF_ERROR(d.Map(root["driver"], "driver", {"version", "cudaVersion"}));
    if (root["driver"]["version"]) {
      DRA_ASSIGN_OR_RETURN(versions.driver, d.String(root["driver"]["version"], "driver.version"));
    }
    if (root["driver"]["cudaVersion"]) {
      DRA_ASSIGN_OR_RETURN(versions.cuda,
                           d.String(root["driver"]["cudaVersion"], "driver.cudaVersion"));
      const std::string& v = versions.cuda;
      size_t dot = v.find('.');
      if (dot == std::string::npos || dot == 0 || dot + 1 == v.size() ||
          !std::all_of(v.begin(), v.end(), [](char c) { return c == '.' || isdigit(c); }) ||
          v.find('.', dot + 1) != std::string::npos) {
        return d.Error("driver.cudaVersion", StrCat("must be <major>.<minor>, got \"", v, "\""));
      }
    }
  }
  std::map<std::string, GpuModel> models;
  if (root["gpuModels"]) {
    const YAML::Node& mn = root["gpuModels"];
    if (!mn.IsMap()) return d.Error("gpuModels", "must be a mapping of model name to model");
    for (const auto& kv : mn) {
      const std::string name = kv.first.Scalar();
      DRA_ASSIGN_OR_RETURN(GpuModel m, DecodeGpuModel(d, kv.second, Child("gpuModels", name)));
      models.emplace(name, std::move(m));
    }
  }
  if (!root["gpus"]) return absl::OkStatus();
  DRA_RETURN_IF_ERROR(d.Sequence(root["gpus"], "gpus"));
  std::set<std::string> bus_ids;
  std::set<int> minors;
  for (size_t e = 0; e < root["gpus"].size(); ++e) {
    const YAML::Node& n = root["gpus"][e];
    const std::string path = Index("gpus", e);
    DRA_RETURN_IF_ERROR(d.Map(
        n, path,
        {"model", "count", "pci", "uuids", "minors", "nvlinkDomain", "migEnabled", "migDevices"}));
    if (!n["model"]) return d.Error(Child(path, "model"), "Required value");
    DRA_ASSIGN_OR_RETURN(std::string model_name, d.String(n["model"], Child(path, "model")));
    auto model = models.find(model_name);
    if (model == models.end()) {
      return d.Error(Child(path, "model"),
                     StrCat("unknown model \"", model_name, "\" (not in gpuModels)"));
    }
    int64_t count = -1;
    if (n["count"]) {
      DRA_ASSIGN_OR_RETURN(count, d.Int(n["count"], Child(path, "count"), 1, 1024));
    }
    std::vector<PciLocation> pcis;
    if (n["pci"]) {
      DRA_RETURN_IF_ERROR(d.Sequence(n["pci"], Child(path, "pci")));
      for (size_t i = 0; i < n["pci"].size(); ++i) {
        DRA_ASSIGN_OR_RETURN(PciLocation pci,
                             DecodePci(d, n["pci"][i], Index(Child(path, "pci"), i)));
        pcis.push_back(std::move(pci));
      }
      if (count < 0) count = static_cast<int64_t>(pcis.size());
      if (static_cast<int64_t>(pcis.size()) != count) {
        return d.Error(Child(path, "pci"), StrCat("must have one entry per GPU (count ", count,
                                                  "), got ", pcis.size()));
      }
    }
    if (count < 0) count = 1;
    std::vector<std::string> uuids;
    if (n["uuids"]) {
      DRA_RETURN_IF_ERROR(d.Sequence(n["uuids"], Child(path, "uuids")));
      for (size_t i = 0; i < n["uuids"].size(); ++i) {
        DRA_ASSIGN_OR_RETURN(std::string u,
                             d.String(n["uuids"][i], Index(Child(path, "uuids"), i)));
        if (u.rfind("GPU-", 0) != 0) {
          return d.Error(Index(Child(path, "uuids"), i), "must start with \"GPU-\"");
        }
        uuids.push_back(std::move(u));
      }
      if (static_cast<int64_t>(uuids.size()) != count) {
        return d.Error(Child(path, "uuids"), StrCat("must have one entry per GPU (count ", count,
                                                    "), got ", uuids.size()));
      }
    }
    std::vector<int64_t> entry_minors;
    if (n["minors"]) {
      DRA_ASSIGN_OR_RETURN(entry_minors, d.IntList(n["minors"], Child(path, "minors"), 0, 1 << 20));
      if (static_cast<int64_t>(entry_minors.size()) != count) {
        return d.Error(Child(path, "minors"), StrCat("must have one entry per GPU (count ", count,
                                                     "), got ", entry_minors.size()));
      }
    }
    std::optional<std::string> nvlink;
    if (n["nvlinkDomain"]) {
      DRA_ASSIGN_OR_RETURN(nvlink, d.String(n["nvlinkDomain"], Child(path, "nvlinkDomain")));
    }
    bool mig_enabled = false;
    if (n["migEnabled"]) {
      DRA_ASSIGN_OR_RETURN(mig_enabled, d.Bool(n["migEnabled"], Child(path, "migEnabled")));
      if (mig_enabled && !model->second.base.mig_capable) {
        return d.Error(Child(path, "migEnabled"),
                       StrCat("model \"", model_name, "\" is not MIG-capable"));
      }
    }
    struct MigSpec {
      std::string profile;
      int start = 0;
      int gi = 0;
      int ci = 0;
      std::optional<std::string> uuid;
    };
    std::vector<MigSpec> migs;
    if (n["migDevices"]) {
      const std::string mpath = Child(path, "migDevices");
      if (!mig_enabled) return d.Error(mpath, "needs migEnabled: true");
      DRA_RETURN_IF_ERROR(d.Sequence(n["migDevices"], mpath));
      std::vector<bool> used(64, false);
      std::set<int> gis;
      for (size_t i = 0; i < n["migDevices"].size(); ++i) {
        const YAML::Node& m = n["migDevices"][i];
        const std::string ip = Index(mpath, i);
        DRA_RETURN_IF_ERROR(
            d.Map(m, ip, {"profile", "placement", "gpuInstanceId", "computeInstanceId", "uuid"}));
        for (const char* required : {"profile", "placement", "gpuInstanceId"}) {
          if (!m[required]) return d.Error(Child(ip, required), "Required value");
        }
        MigSpec spec;
        DRA_ASSIGN_OR_RETURN(spec.profile, d.String(m["profile"], Child(ip, "profile")));
        DRA_ASSIGN_OR_RETURN(int64_t start, d.Int(m["placement"], Child(ip, "placement"), 0, 63));
        DRA_ASSIGN_OR_RETURN(int64_t gi,
                             d.Int(m["gpuInstanceId"], Child(ip, "gpuInstanceId"), 0, 1 << 20));
        spec.start = static_cast<int>(start);
        spec.gi = static_cast<int>(gi);
        if (m["computeInstanceId"]) {
          DRA_ASSIGN_OR_RETURN(int64_t ci, d.Int(m["computeInstanceId"],
                                                 Child(ip, "computeInstanceId"), 0, 1 << 20));
          spec.ci = static_cast<int>(ci);
        }
        if (m["uuid"]) {
          DRA_ASSIGN_OR_RETURN(spec.uuid, d.String(m["uuid"], Child(ip, "uuid")));
          if (count != 1) return d.Error(Child(ip, "uuid"), "only allowed when count is 1");
        }
        if (!gis.insert(spec.gi).second) {
          return d.Error(Child(ip, "gpuInstanceId"), StrCat("Duplicate value: ", spec.gi));
        }
        const MigProfile* profile = nullptr;
        for (const MigProfile& p : model->second.base.mig_profiles) {
          if (p.name == spec.profile) profile = &p;
        }
        if (profile == nullptr) {
          return d.Error(Child(ip, "profile"), StrCat("unknown MIG profile \"", spec.profile,
                                                      "\" of model \"", model_name, "\""));
        }
        const MigProfile::Placement* placement = nullptr;
        for (const MigProfile::Placement& pl : profile->placements) {
          if (pl.start == spec.start) placement = &pl;
        }
        if (placement == nullptr) {
          return d.Error(Child(ip, "placement"),
                         StrCat(spec.start, " is not a placement of ", spec.profile));
        }
        for (int s = placement->start; s < placement->start + placement->size; ++s) {
          if (used[s]) {
            return d.Error(Child(ip, "placement"),
                           StrCat("memory slice ", s, " is already used by another MIG device"));
          }
          used[s] = true;
        }
        migs.push_back(std::move(spec));
      }
    }
    for (int64_t i = 0; i < count; ++i) {
      GpuInfo g = model->second.base;
      g.index = static_cast<int>(hw.gpus.size());
      g.minor = entry_minors.empty() ? g.index : static_cast<int>(entry_minors[i]);
      g.uuid = uuids.empty() ? GeneratedUuid("GPU-", StrCat(source, "/gpu/", g.index)) : uuids[i];
      g.driver_version = versions.driver;
      g.cuda_driver_version = versions.cuda;
      if (pcis.empty()) {
        char buf[16];
        snprintf(buf, sizeof(buf), "0000:%02x:00.0", (g.index + 1) & 0xff);
        g.pci.bus_id = buf;
      } else {
        g.pci = pcis[i];
      }
      const std::string gpath = pcis.empty() ? path : Index(Child(path, "pci"), i);
      if (!bus_ids.insert(g.pci.bus_id).second) {
        return d.Error(Child(gpath, pcis.empty() ? "pci" : "busID"),
                       StrCat("Duplicate PCI bus ID \"", g.pci.bus_id, "\""));
      }
      if (!minors.insert(g.minor).second) {
        return d.Error(Child(path, "minors"), StrCat("Duplicate minor ", g.minor));
      }
      g.nvlink_domain = nvlink;
      g.mig_enabled = mig_enabled;
      for (const MigSpec& spec : migs) {
        MigDevice md;
        md.profile = spec.profile;
        md.gpu_instance_id = spec.gi;
        md.compute_instance_id = spec.ci;
        for (const MigProfile& p : g.mig_profiles) {
          if (p.name != spec.profile) continue;
          for (const MigProfile::Placement& pl : p.placements) {
            if (pl.start == spec.start) md.placement = pl;
          }
        }
        md.uuid =
            spec.uuid.value_or(GeneratedUuid("MIG-", StrCat(g.uuid, "/", spec.gi, "/", spec.ci)));
        g.mig_devices.push_back(std::move(md));
      }
      std::sort(g.mig_devices.begin(), g.mig_devices.end(),
                [](const MigDevice& a, const MigDevice& b) {
                  return a.placement.start < b.placement.start;
                });
      hw.gpus.push_back(std::move(g));
    }
  }
  return absl::OkStatus();
}

absl::Status DecodeNicFields(const Decoder& d, const YAML::Node& n, const std::string& path,
                             bool is_model, NicInfo& nic) {
  if (is_model) {
    DRA_RETURN_IF_ERROR(d.Map(n, path,
                              {"mtu", "linkType", "state", "rdma", "vendor", "device", "sriov",
                               "sriovVfs", "speedMbps"}));
  } else {
    DRA_RETURN_IF_ERROR(
        d.Map(n, path,
              {"model", "ifName", "pci", "mac", "mtu", "linkType", "state", "virtual", "rdma",
               "rdmaDevice", "vendor", "device", "sriov", "sriovVfs", "sriovVf", "speedMbps"}));
  }
  if (n["ifName"]) {
    DRA_ASSIGN_OR_RETURN(nic.if_name, d.String(n["ifName"], Child(path, "ifName")));
    if (nic.if_name.size() > 15) {
      return d.Error(Child(path, "ifName"), "must be at most 15 characters (IFNAMSIZ)");
    }
  }
  if (n["pci"]) {
    DRA_ASSIGN_OR_RETURN(PciLocation pci, DecodePci(d, n["pci"], Child(path, "pci")));
    nic.pci = std::move(pci);
  }
  if (n["mac"]) {
    DRA_ASSIGN_OR_RETURN(nic.mac, d.String(n["mac"], Child(path, "mac")));
    if (!ValidMac(nic.mac)) {
      return d.Error(Child(path, "mac"),
                     StrCat("must look like aa:bb:cc:dd:ee:ff, got \"", nic.mac, "\""));
    }
  }
  if (n["mtu"]) {
    DRA_ASSIGN_OR_RETURN(int64_t mtu, d.Int(n["mtu"], Child(path, "mtu"), 68, 65536));
    nic.mtu = static_cast<int>(mtu);
  }
  if (n["linkType"]) {
    DRA_ASSIGN_OR_RETURN(nic.link_type, d.String(n["linkType"], Child(path, "linkType")));
  }
  if (n["state"]) {
    DRA_ASSIGN_OR_RETURN(nic.state, d.String(n["state"], Child(path, "state")));
    if (nic.state != "up" && nic.state != "down" && nic.state != "unknown") {
      return d.Error(Child(path, "state"), "must be up, down or unknown");
    }
  }
  if (n["virtual"]) {
    DRA_ASSIGN_OR_RETURN(nic.is_virtual, d.Bool(n["virtual"], Child(path, "virtual")));
  }
  if (n["rdma"]) {
    DRA_ASSIGN_OR_RETURN(nic.rdma, d.Bool(n["rdma"], Child(path, "rdma")));
  }
  if (n["rdmaDevice"]) {
    DRA_ASSIGN_OR_RETURN(nic.rdma_device, d.String(n["rdmaDevice"], Child(path, "rdmaDevice")));
  }
  for (const char* key : {"vendor", "device"}) {
    if (!n[key]) continue;
    DRA_ASSIGN_OR_RETURN(std::string id, d.String(n[key], Child(path, key)));
    if (id.size() != 4 || !std::all_of(id.begin(), id.end(), IsHex)) {
      return d.Error(Child(path, key), StrCat("must be 4 lower-case hex digits, got \"", id, "\""));
    }
    (std::string_view(key) == "vendor" ? nic.pci_vendor : nic.pci_device) = id;
  }
  if (n["sriov"]) {
    DRA_ASSIGN_OR_RETURN(nic.sriov, d.Bool(n["sriov"], Child(path, "sriov")));
  }
  if (n["sriovVfs"]) {
    DRA_ASSIGN_OR_RETURN(int64_t vfs, d.Int(n["sriovVfs"], Child(path, "sriovVfs"), 0, 4096));
    nic.sriov_vfs = static_cast<int>(vfs);
  }
  if (n["sriovVf"]) {
    DRA_ASSIGN_OR_RETURN(nic.is_sriov_vf, d.Bool(n["sriovVf"], Child(path, "sriovVf")));
  }
  if (n["speedMbps"]) {
    DRA_ASSIGN_OR_RETURN(nic.speed_mbps,
                         d.Int(n["speedMbps"], Child(path, "speedMbps"), 0, int64_t{1} << 40));
  }
  return absl::OkStatus();
}

absl::Status DecodeNics(const Decoder& d, const YAML::Node& root, Hardware& hw) {
  std::map<std::string, YAML::Node> models;
  if (root["nicModels"]) {
    if (!root["nicModels"].IsMap()) {
      return d.Error("nicModels", "must be a mapping of model name to model");
    }
    for (const auto& kv : root["nicModels"]) {
      NicInfo scratch;
      const std::string name = kv.first.Scalar();
      DRA_RETURN_IF_ERROR(DecodeNicFields(d, kv.second, Child("nicModels", name), true, scratch));
      models.emplace(name, kv.second);
    }
  }
  if (!root["nics"]) return absl::OkStatus();
  DRA_RETURN_IF_ERROR(d.Sequence(root["nics"], "nics"));
  std::set<std::string> names;
  for (size_t i = 0; i < root["nics"].size(); ++i) {
    const YAML::Node& n = root["nics"][i];
    const std::string path = Index("nics", i);
    NicInfo nic;
    nic.link_type = "ether";
    nic.state = "up";
    nic.mtu = 1500;
    if (n.IsMap() && n["model"]) {
      DRA_ASSIGN_OR_RETURN(std::string model, d.String(n["model"], Child(path, "model")));
      auto it = models.find(model);
      if (it == models.end()) {
        return d.Error(Child(path, "model"),
                       StrCat("unknown model \"", model, "\" (not in nicModels)"));
      }
      DRA_RETURN_IF_ERROR(DecodeNicFields(d, it->second, Child("nicModels", model), true, nic));
    }
    DRA_RETURN_IF_ERROR(DecodeNicFields(d, n, path, false, nic));
    if (nic.if_name.empty() && !nic.rdma_device.has_value()) {
      return d.Error(Child(path, "ifName"),
                     "Required value (or rdmaDevice for an RDMA-only "
                     "device)");
    }
    if (!nic.pci.has_value()) nic.is_virtual = true;
    if (!nic.if_name.empty() && !names.insert(nic.if_name).second) {
      return d.Error(Child(path, "ifName"), StrCat("Duplicate value: \"", nic.if_name, "\""));
    }
    hw.nics.push_back(std::move(nic));
  }
  return absl::OkStatus();
}

absl::Status DecodeCpus(const Decoder& d, const YAML::Node& root, Hardware& hw) {
  if (!root["cpus"]) return absl::OkStatus();
  const YAML::Node& n = root["cpus"];
  DRA_RETURN_IF_ERROR(
      d.Map(n, "cpus", {"sockets", "coresPerSocket", "threadsPerCore", "numaNodesPerSocket"}));
  for (const char* required : {"sockets", "coresPerSocket"}) {
    if (!n[required]) return d.Error(Child("cpus", required), "Required value");
  }
  DRA_ASSIGN_OR_RETURN(int64_t sockets, d.Int(n["sockets"], "cpus.sockets", 1, 64));
  DRA_ASSIGN_OR_RETURN(int64_t cores, d.Int(n["coresPerSocket"], "cpus.coresPerSocket", 1, 1024));
  int64_t threads = 1;
  if (n["threadsPerCore"]) {
    DRA_ASSIGN_OR_RETURN(threads, d.Int(n["threadsPerCore"], "cpus.threadsPerCore", 1, 8));
  }
  int64_t nps = 1;
  if (n["numaNodesPerSocket"]) {
    DRA_ASSIGN_OR_RETURN(nps, d.Int(n["numaNodesPerSocket"], "cpus.numaNodesPerSocket", 1, 16));
    if (cores % nps != 0) {
      return d.Error("cpus.numaNodesPerSocket", StrCat("must divide coresPerSocket (", cores, ")"));
    }
  }
  // Linux enumeration: first thread of every core (socket by socket), then the SMT siblings.
  for (int64_t t = 0; t < threads; ++t) {
    for (int64_t s = 0; s < sockets; ++s) {
      for (int64_t c = 0; c < cores; ++c) {
        CpuInfo cpu;
        cpu.cpu_id = static_cast<int>(t * sockets * cores + s * cores + c);
        cpu.core_id = static_cast<int>(c);
        cpu.socket_id = static_cast<int>(s);
        cpu.numa_node = static_cast<int>(s * nps + c / (cores / nps));
        cpu.l3_cache_id = static_cast<int>(s);
        hw.cpus.push_back(cpu);
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Hardware> ParseProfile(std::string_view yaml, std::string_view source) {
  Decoder d{std::string(source)};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(StrCat("profile \"", source, "\": line ", e.mark.line + 1,
                                             ", column ", e.mark.column + 1, ": ", e.msg));
  }
  if (!root.IsDefined() || root.IsNull()) return Hardware{};
  try {
    DRA_RETURN_IF_ERROR(d.Map(
        root, "", {"description", "driver", "gpuModels", "gpus", "nicModels", "nics", "cpus"}));
    Hardware hw;
    DRA_RETURN_IF_ERROR(DecodeGpus(d, root, std::string(source), hw));
    DRA_RETURN_IF_ERROR(DecodeNics(d, root, hw));
    DRA_RETURN_IF_ERROR(DecodeCpus(d, root, hw));
    return hw;
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        StrCat("profile \"", source, "\": line ", e.mark.line + 1, ": ", e.msg));
  }
}

std::vector<std::string> BuiltinProfileNames() {
  std::vector<std::string> names;
  for (const internal::BuiltinProfile& p : internal::BuiltinProfiles()) {
    names.emplace_back(p.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::optional<std::string_view> BuiltinProfileText(std::string_view name) {
  for (const internal::BuiltinProfile& p : internal::BuiltinProfiles()) {
    if (p.name == name) return p.text;
  }
  return std::nullopt;
}

absl::StatusOr<Hardware> LoadProfile(std::string_view name_or_path) {
  auto builtins = [] {
    std::string list;
    for (const std::string& n : BuiltinProfileNames()) list += StrCat(list.empty() ? "" : ", ", n);
    return list;
  };
  std::string_view name = name_or_path;
  const bool explicit_builtin = name.rfind(kBuiltinPrefix, 0) == 0;
  if (explicit_builtin) name.remove_prefix(std::string_view(kBuiltinPrefix).size());
  if (std::optional<std::string_view> text = BuiltinProfileText(name)) {
    return ParseProfile(*text, name);
  }
  if (explicit_builtin) {
    return absl::NotFoundError(
        StrCat("no builtin hardware profile \"", name, "\" (builtin: ", builtins(), ")"));
  }
  std::ifstream in{std::string(name_or_path)};
  if (!in) {
    return absl::NotFoundError(
        StrCat("hardware profile \"", name_or_path,
               "\": no such file and no such builtin profile (builtin: ", builtins(), ")"));
  }
  std::stringstream buf;
  buf << in.rdbuf();
  return ParseProfile(buf.str(), name_or_path);
}

}  // namespace dra::driver::profiles
