#include "dra/driver/agent/gpu_config.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "dra/base/strings.h"

namespace dra::driver {
namespace {

absl::Status FieldError(std::string_view path, std::string_view message) {
  return absl::InvalidArgumentError(StrCat(path, ": ", message));
}

// Rejects members of `object` not in `allowed` (strict decoding).
absl::Status CheckFields(const api::Value& object, std::string_view path,
                         std::initializer_list<std::string_view> allowed) {
  if (!object.is_object()) {
    return FieldError(path, StrCat("expected an object, got ", object.KindName()));
  }
  for (const api::Value::Member& member : object.members()) {
    if (std::find(allowed.begin(), allowed.end(), member.first) == allowed.end()) {
      return FieldError(path.empty() ? member.first : StrCat(path, ".", member.first),
                        "unknown field");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> StringField(const api::Value& value, std::string_view path) {
  if (!value.is_string()) {
    return FieldError(path, StrCat("expected a string, got ", value.KindName()));
  }
  return value.text();
}

absl::StatusOr<Quantity> QuantityField(const api::Value& value, std::string_view path) {
  std::string text = value.is_number() || value.is_string() ? value.text() : "";
  if (text.empty()) return FieldError(path, StrCat("expected a quantity, got ", value.KindName()));
  absl::StatusOr<Quantity> quantity = Quantity::Parse(text);
  if (!quantity.ok()) return FieldError(path, std::string(quantity.status().message()));
  return *quantity;
}

absl::StatusOr<MpsConfig> DecodeMps(const api::Value& value, std::string_view path) {
  absl::Status fields =
      CheckFields(value, path,
                  {"defaultActiveThreadPercentage", "defaultPinnedDeviceMemoryLimit",
                   "defaultPerDevicePinnedMemoryLimit"});
  if (!fields.ok()) return fields;
  MpsConfig mps;
  if (const api::Value* v = value.Find("defaultActiveThreadPercentage")) {
    std::optional<int64_t> percent = v->is_number() ? v->AsInt64() : std::nullopt;
    std::string field = StrCat(path, ".defaultActiveThreadPercentage");
    if (!percent.has_value()) return FieldError(field, "expected an integer");
    if (*percent < 0) return FieldError(field, "active thread percentage must not be negative");
    if (*percent > 100) {
      return FieldError(field, "active thread percentage must not be greater than 100");
    }
    mps.default_active_thread_percentage = percent;
  }
  if (const api::Value* v = value.Find("defaultPinnedDeviceMemoryLimit")) {
    absl::StatusOr<Quantity> q = QuantityField(*v, StrCat(path, ".defaultPinnedDeviceMemoryLimit"));
    if (!q.ok()) return q.status();
    mps.default_pinned_device_memory_limit = *q;
  }
  if (const api::Value* v = value.Find("defaultPerDevicePinnedMemoryLimit")) {
    std::string field = StrCat(path, ".defaultPerDevicePinnedMemoryLimit");
    if (!v->is_object()) return FieldError(field, "expected an object");
    for (const api::Value::Member& member : v->members()) {
      absl::StatusOr<Quantity> q =
          QuantityField(member.second, StrCat(field, "[", member.first, "]"));
      if (!q.ok()) return q.status();
      mps.default_per_device_pinned_memory_limit[member.first] = *q;
    }
  }
  return mps;
}

absl::StatusOr<GpuSharing> DecodeSharing(const api::Value& value, bool mig) {
  absl::Status fields =
      mig ? CheckFields(value, "sharing", {"strategy", "mpsConfig"})
          : CheckFields(value, "sharing", {"strategy", "timeSlicingConfig", "mpsConfig"});
  if (!fields.ok()) return fields;
  GpuSharing sharing;
  const api::Value* strategy = value.Find("strategy");
  if (strategy == nullptr) return FieldError("sharing.strategy", "Required value");
  absl::StatusOr<std::string> s = StringField(*strategy, "sharing.strategy");
  if (!s.ok()) return s.status();
  sharing.strategy = *s;
  if (sharing.strategy == "Fabric") {
    return FieldError("sharing.strategy", "fabric GPU sharing strategy is not enabled");
  }
  if (sharing.strategy != "TimeSlicing" && sharing.strategy != "MPS") {
    return FieldError("sharing.strategy",
                      StrCat("unknown GPU sharing strategy: ", sharing.strategy));
  }
  const api::Value* time_slicing = value.Find("timeSlicingConfig");
  const api::Value* mps = value.Find("mpsConfig");
  if (sharing.strategy == "TimeSlicing") {
    if (mps != nullptr && !mps->is_null()) {
      return FieldError("sharing.mpsConfig",
                        "cannot use MpsConfig with the 'TimeSlicing' strategy");
    }
    if (time_slicing != nullptr && !time_slicing->is_null()) {
      absl::Status ts = CheckFields(*time_slicing, "sharing.timeSlicingConfig", {"interval"});
      if (!ts.ok()) return ts;
      if (const api::Value* interval = time_slicing->Find("interval")) {
        absl::StatusOr<std::string> i =
            StringField(*interval, "sharing.timeSlicingConfig.interval");
        if (!i.ok()) return i.status();
        if (TimeSliceValue(*i) < 0) {
          return FieldError("sharing.timeSlicingConfig.interval",
                            StrCat("unknown time-slice interval: ", *i));
        }
        sharing.time_slice_interval = *i;
      }
    }
  } else {
    if (time_slicing != nullptr && !time_slicing->is_null()) {
      return FieldError("sharing.timeSlicingConfig",
                        "cannot use TimeSlicingConfig with the 'MPS' strategy");
    }
    if (mps != nullptr && !mps->is_null()) {
      absl::StatusOr<MpsConfig> decoded = DecodeMps(*mps, "sharing.mpsConfig");
      if (!decoded.ok()) return decoded.status();
      sharing.mps = *decoded;
    } else {
      sharing.mps = MpsConfig{};
    }
  }
  return sharing;
}

}  // namespace

int TimeSliceValue(const std::string& interval) {
  if (interval == "Default") return 0;
  if (interval == "Short") return 1;
  if (interval == "Medium") return 2;
  if (interval == "Long") return 3;
  return -1;
}

absl::StatusOr<GpuConfig> DecodeGpuConfig(const api::Value& parameters) {
  if (!parameters.is_object()) {
    return absl::InvalidArgumentError(
        StrCat("opaque parameters: expected an object, got ", parameters.KindName()));
  }
  const api::Value* api_version = parameters.Find("apiVersion");
  const api::Value* kind = parameters.Find("kind");
  if (api_version == nullptr || !api_version->is_string() ||
      api_version->text() != kNvidiaConfigApiVersion) {
    return FieldError(
        "apiVersion",
        StrCat("unsupported value: want \"", kNvidiaConfigApiVersion, "\", got \"",
               api_version && api_version->is_string() ? api_version->text() : "", "\""));
  }
  if (kind == nullptr || !kind->is_string() ||
      (kind->text() != "GpuConfig" && kind->text() != "MigDeviceConfig")) {
    return FieldError("kind",
                      StrCat("unsupported kind \"", kind && kind->is_string() ? kind->text() : "",
                             "\": want GpuConfig or MigDeviceConfig"));
  }
  absl::Status fields = CheckFields(parameters, "", {"apiVersion", "kind", "sharing"});
  if (!fields.ok()) return fields;
  GpuConfig config;
  config.kind = kind->text();
  if (const api::Value* sharing = parameters.Find("sharing"); sharing && !sharing->is_null()) {
    absl::StatusOr<GpuSharing> decoded =
        DecodeSharing(*sharing, /*mig=*/config.kind == "MigDeviceConfig");
    if (!decoded.ok()) return decoded.status();
    config.sharing = *decoded;
  }
  return config;
}

absl::StatusOr<std::map<std::string, std::string>> NormalizePinnedMemoryLimits(
    const MpsConfig& mps, const std::vector<std::string>& uuids) {
  auto megabytes = [](const Quantity& q) { return q.Value() / 1024 / 1024; };
  std::map<std::string, std::string> limits;
  if (mps.default_pinned_device_memory_limit.has_value() && !uuids.empty()) {
    int64_t mb = megabytes(*mps.default_pinned_device_memory_limit);
    if (mb <= 0) {
      return absl::InvalidArgumentError(StrCat("invalid limit: default value set too low: ",
                                               mps.default_pinned_device_memory_limit->ToString()));
    }
    for (const std::string& uuid : uuids) limits[uuid] = StrCat(mb, "M");
  }
  std::set<std::string> known(uuids.begin(), uuids.end());
  for (const auto& [key, quantity] : mps.default_per_device_pinned_memory_limit) {
    std::string uuid;
    if (known.count(key) > 0) {
      uuid = key;
    } else {
      char* end = nullptr;
      long index = std::strtol(key.c_str(), &end, 10);
      if (key.empty() || *end != '\0') {
        return absl::InvalidArgumentError(
            StrCat("invalid device: unable to parse key as an integer: ", key));
      }
      if (index < 0 || index >= static_cast<long>(uuids.size())) {
        return absl::InvalidArgumentError(StrCat("invalid device: invalid device index: ", index));
      }
      uuid = uuids[index];
    }
    int64_t mb = megabytes(quantity);
    if (mb <= 0) {
      return absl::InvalidArgumentError(
          StrCat("invalid limit: value set too low: ", key, ": ", quantity.ToString()));
    }
    limits[uuid] = StrCat(mb, "M");
  }
  return limits;
}

const api::OpaqueDeviceConfiguration* ConfigForResult(
    const std::vector<api::DeviceAllocationConfiguration>& configs, const std::string& driver,
    const std::string& request) {
  std::string parent = request.substr(0, request.find('/'));
  for (auto it = configs.rbegin(); it != configs.rend(); ++it) {
    if (!it->opaque.has_value() || it->opaque->driver != driver) continue;
    if (it->requests.empty()) return &*it->opaque;
    for (const std::string& named : it->requests) {
      if (named == request || named == parent) return &*it->opaque;
    }
  }
  return nullptr;
}

}  // namespace dra::driver
