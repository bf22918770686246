#include "dra/driver/hardware.h"

#include <set>
#include <utility>

namespace dra::driver {

bool SmtEnabled(const std::vector<CpuInfo>& cpus) {
  std::set<std::pair<int, int>> cores;
  for (const CpuInfo& cpu : cpus) {
    if (!cores.insert({cpu.socket_id, cpu.core_id}).second) return true;
  }
  return false;
}

}  // namespace dra::driver
