// DiscoverCpus and the CPU list parser.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/driver/cpu/cpu.h"

namespace dra::driver {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxCpuId = 1 << 20;

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\n' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Reads a whole (small) sysfs file. NotFound when it does not exist, Unavailable for other
// read errors; the message names the file.
absl::StatusOr<std::string> ReadFile(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    std::string msg = dra::StrCat(path.string(), ": ", std::strerror(err));
    if (err == ENOENT || err == ENOTDIR) return absl::NotFoundError(msg);
    return absl::UnavailableError(msg);
  }
  std::string out;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return absl::UnavailableError(dra::StrCat(path.string(), ": ", std::strerror(err)));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

std::optional<int64_t> ParseInt(std::string_view s) {
  s = Trim(s);
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

absl::StatusOr<int> ReadIntFile(const fs::path& path) {
  DRA_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  std::optional<int64_t> v = ParseInt(text);
  if (!v || *v < INT32_MIN || *v > INT32_MAX) {
    return absl::InvalidArgumentError(
        dra::StrCat(path.string(), ": not an integer: \"", Trim(text), "\""));
  }
  return static_cast<int>(*v);
}

absl::StatusOr<std::vector<int>> ReadCpuListFile(const fs::path& path) {
  DRA_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  absl::StatusOr<std::vector<int>> cpus = ParseCpuList(text);
  if (!cpus.ok()) {
    return absl::InvalidArgumentError(
        dra::StrCat(path.string(), ": ", std::string(cpus.status().message())));
  }
  return cpus;
}

// Entries of `dir` whose name starts with `prefix` followed by a decimal number, by number.
std::map<int, fs::path> NumberedEntries(const fs::path& dir, std::string_view prefix) {
  std::map<int, fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    std::optional<int64_t> n = ParseInt(std::string_view(name).substr(prefix.size()));
    if (!n || *n < 0 || *n > kMaxCpuId) continue;
    out.emplace(static_cast<int>(*n), it->path());
  }
  return out;
}

bool Exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

// The L3 cache id of one CPU, if sysfs describes an L3 cache for it.
absl::StatusOr<std::optional<int>> L3CacheId(const fs::path& cpu_dir) {
  for (const auto& [index, dir] : NumberedEntries(cpu_dir / "cache", "index")) {
    absl::StatusOr<std::string> level = ReadFile(dir / "level");
    if (!level.ok() || Trim(*level) != "3") continue;
    if (Exists(dir / "id")) {
      DRA_ASSIGN_OR_RETURN(int id, ReadIntFile(dir / "id"));
      return std::optional<int>(id);
    }
    if (Exists(dir / "shared_cpu_list")) {
      DRA_ASSIGN_OR_RETURN(std::vector<int> shared, ReadCpuListFile(dir / "shared_cpu_list"));
      if (!shared.empty()) return std::optional<int>(shared.front());
    }
    return std::optional<int>();
  }
  return std::optional<int>();
}

// cpu id -> core type for hybrid CPUs; empty when the CPU is not hybrid.
absl::StatusOr<std::map<int, std::string>> HybridCoreTypes(const fs::path& root) {
  std::map<int, std::string> types;
  const fs::path atom = root / "devices/cpu_atom/cpus";
  const fs::path core = root / "devices/cpu_core/cpus";
  if (Exists(atom) || Exists(core)) {
    if (Exists(core)) {
      DRA_ASSIGN_OR_RETURN(std::vector<int> cpus, ReadCpuListFile(core));
      for (int c : cpus) types[c] = "p-core";
    }
    if (Exists(atom)) {
      DRA_ASSIGN_OR_RETURN(std::vector<int> cpus, ReadCpuListFile(atom));
      for (int c : cpus) types[c] = "e-core";
    }
    types.emplace(-1, "p-core");  // default for CPUs listed nowhere
    return types;
  }
  const fs::path types_dir = root / "devices/system/cpu/types";
  std::error_code ec;
  bool any = false;
  for (fs::directory_iterator it(types_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path list = it->path() / "cpulist";
    if (!Exists(list)) continue;
    any = true;
    std::string name = it->path().filename().string();
    const char* type = name.find("atom") != std::string::npos ? "e-core" : "p-core";
    DRA_ASSIGN_OR_RETURN(std::vector<int> cpus, ReadCpuListFile(list));
    for (int c : cpus) types[c] = type;
  }
  if (any) types.emplace(-1, "p-core");
  return types;
}

}  // namespace

absl::StatusOr<std::vector<int>> ParseCpuList(std::string_view text) {
  text = Trim(text);
  std::vector<int> out;
  if (text.empty()) return out;
  auto parse_id = [](std::string_view s, std::string_view element) -> absl::StatusOr<int> {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string_view::npos) {
      return absl::InvalidArgumentError(
          dra::StrCat("invalid CPU id \"", s, "\" in element \"", element, "\""));
    }
    std::optional<int64_t> v = ParseInt(s);
    if (!v || *v > kMaxCpuId) {
      return absl::InvalidArgumentError(
          dra::StrCat("CPU id \"", s, "\" out of range in element \"", element, "\""));
    }
    return static_cast<int>(*v);
  };
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view element = Trim(text.substr(pos, comma - pos));
    if (element.empty()) {
      return absl::InvalidArgumentError(
          dra::StrCat("invalid CPU list \"", text, "\": empty element"));
    }
    size_t dash = element.find('-');
    if (dash == std::string_view::npos) {
      DRA_ASSIGN_OR_RETURN(int id, parse_id(element, element));
      out.push_back(id);
    } else {
      DRA_ASSIGN_OR_RETURN(int first, parse_id(element.substr(0, dash), element));
      DRA_ASSIGN_OR_RETURN(int last, parse_id(element.substr(dash + 1), element));
      if (first > last) {
        return absl::InvalidArgumentError(
            dra::StrCat("invalid CPU range \"", element, "\": start after end"));
      }
      for (int c = first; c <= last; ++c) out.push_back(c);
    }
    pos = comma + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string FormatCpuList(std::vector<int> cpus) {
  std::sort(cpus.begin(), cpus.end());
  cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
  std::string out;
  for (size_t i = 0; i < cpus.size();) {
    size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(cpus[i]);
    if (j > i) dra::StrAppend(&out, "-", cpus[j]);
    i = j + 1;
  }
  return out;
}

absl::StatusOr<std::vector<CpuInfo>> DiscoverCpus(std::string_view sysfs_root) {
  const fs::path root(sysfs_root);
  const fs::path cpu_root = root / "devices/system/cpu";
  DRA_ASSIGN_OR_RETURN(std::vector<int> online, ReadCpuListFile(cpu_root / "online"));

  // NUMA: devices/system/node/nodeN/cpulist; a kernel without NUMA has no such directory.
  std::map<int, int> numa_of;
  for (const auto& [node, dir] : NumberedEntries(root / "devices/system/node", "node")) {
    if (!Exists(dir / "cpulist")) continue;
    DRA_ASSIGN_OR_RETURN(std::vector<int> cpus, ReadCpuListFile(dir / "cpulist"));
    for (int c : cpus) numa_of.emplace(c, node);
  }
  DRA_ASSIGN_OR_RETURN(auto core_types, HybridCoreTypes(root));

  std::vector<CpuInfo> out;
  out.reserve(online.size());
  for (int id : online) {
    const fs::path dir = cpu_root / dra::StrCat("cpu", id);
    CpuInfo info;
    info.cpu_id = id;
    DRA_ASSIGN_OR_RETURN(info.core_id, ReadIntFile(dir / "topology/core_id"));
    DRA_ASSIGN_OR_RETURN(info.socket_id, ReadIntFile(dir / "topology/physical_package_id"));
    if (info.socket_id < 0) info.socket_id = 0;  // the kernel's "unknown package"
    if (auto it = numa_of.find(id); it != numa_of.end()) {
      info.numa_node = it->second;
    } else {
      // Older layouts only link cpuN/nodeM.
      auto nodes = NumberedEntries(dir, "node");
      info.numa_node = nodes.empty() ? 0 : nodes.begin()->first;
    }
    DRA_ASSIGN_OR_RETURN(info.l3_cache_id, L3CacheId(dir));
    if (!core_types.empty()) {
      auto it = core_types.find(id);
      info.core_type = it != core_types.end() ? it->second : core_types.at(-1);
    }
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace dra::driver
