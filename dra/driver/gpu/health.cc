#include "dra/driver/gpu/health.h"

#include <string>

#include "absl/status/status.h"
#include "dra/base/strings.h"

namespace dra::driver::gpu {

bool IsApplicationXid(uint64_t xid) {
  switch (xid) {
    case 13:   // Graphics engine exception
    case 31:   // GPU memory page fault
    case 43:   // GPU stopped processing
    case 45:   // Preemptive cleanup, due to previous errors
    case 68:   // Video processor exception
    case 109:  // Context switch timeout
      return true;
    default:
      return false;
  }
}

api::DeviceTaint XidTaint(uint64_t xid, const HealthOptions& options) {
  api::DeviceTaint taint;
  taint.key = kXidTaintKey;
  taint.value = std::to_string(xid);
  const bool ignored = IsApplicationXid(xid) || options.additional_xids_to_ignore.contains(xid);
  taint.effect =
      std::string(ignored ? api::kDeviceTaintEffectNone : api::kDeviceTaintEffectNoSchedule);
  return taint;
}

api::DeviceTaint GpuLostTaint() {
  api::DeviceTaint taint;
  taint.key = kGpuLostTaintKey;
  taint.effect = std::string(api::kDeviceTaintEffectNoSchedule);
  return taint;
}

api::DeviceTaint UnmonitoredTaint() {
  api::DeviceTaint taint;
  taint.key = kUnmonitoredTaintKey;
  taint.effect = std::string(api::kDeviceTaintEffectNone);
  return taint;
}

absl::StatusOr<std::set<uint64_t>> ParseXidList(std::string_view text) {
  std::set<uint64_t> xids;
  size_t pos = 0;
  int index = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    std::string_view item =
        text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty() || comma != std::string_view::npos) {
      if (item.empty()) {
        return absl::InvalidArgumentError(StrCat("XID list element ", index, " is empty"));
      }
      uint64_t v = 0;
      for (char c : item) {
        if (c < '0' || c > '9' || v > 1'000'000'000) {
          return absl::InvalidArgumentError(
              StrCat("XID list element ", index, " (\"", item, "\") is not a number"));
        }
        v = v * 10 + static_cast<uint64_t>(c - '0');
      }
      xids.insert(v);
    }
    ++index;
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return xids;
}

}  // namespace dra::driver::gpu
