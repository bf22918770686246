// DiscoverNics: network interfaces and RDMA devices from sysfs.
#include <fcntl.h>
#include <unistd.h>

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
#include "dra/driver/net/net.h"

namespace dra::driver {
namespace {

namespace fs = std::filesystem;

std::string_view Trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// The trimmed content of a small sysfs file; nullopt when it cannot be read (missing, or an
// attribute the driver refuses to report, such as `speed` of a link that is down).
std::optional<std::string> ReadOptional(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string out;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return std::string(Trim(out));
}

std::optional<int64_t> ParseInt(std::string_view s) {
  s = Trim(s);
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// An optional integer file: absent -> nullopt; present but malformed -> InvalidArgument.
absl::StatusOr<std::optional<int64_t>> ReadOptionalInt(const fs::path& path) {
  std::optional<std::string> text = ReadOptional(path);
  if (!text) return std::optional<int64_t>();
  std::optional<int64_t> v = ParseInt(*text);
  if (!v) {
    return absl::InvalidArgumentError(
        dra::StrCat(path.string(), ": not an integer: \"", *text, "\""));
  }
  return v;
}

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// "0000:3b:00.0"
bool IsPciBusId(std::string_view s) {
  if (s.size() != 12 || s[4] != ':' || s[7] != ':' || s[10] != '.') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsHex(s[i])) return false;
  }
  return s[11] >= '0' && s[11] <= '7';
}

// "pci0000:3a"
bool IsPcieRoot(std::string_view s) {
  if (s.size() != 10 || s.substr(0, 3) != "pci" || s[7] != ':') return false;
  for (size_t i : {3, 4, 5, 6, 8, 9}) {
    if (!IsHex(s[i])) return false;
  }
  return true;
}

std::optional<fs::path> Canonical(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::canonical(p, ec);
  if (ec) return std::nullopt;
  return c;
}

bool Exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(p, ec));
}

// The deepest PCI function on a resolved sysfs device path and the path up to it.
std::optional<std::pair<std::string, fs::path>> PciFunctionOf(const fs::path& resolved) {
  std::optional<std::pair<std::string, fs::path>> found;
  fs::path prefix;
  for (const fs::path& part : resolved) {
    prefix /= part;
    std::string name = part.string();
    if (IsPciBusId(name)) found = {{name, prefix}};
  }
  return found;
}

std::string StripHexPrefix(std::string s) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.erase(0, 2);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Fills the PCI facts of `nic` for PCI function `bus_id` whose directory is `dir`.
absl::Status FillPci(const fs::path& root, const std::string& bus_id, fs::path dir, NicInfo& nic) {
  if (auto bus_dir = Canonical(root / "bus/pci/devices" / bus_id)) dir = *bus_dir;
  PciLocation loc;
  loc.bus_id = bus_id;
  for (const fs::path& part : dir) {
    if (IsPcieRoot(part.string())) {
      loc.pcie_root = part.string();
      break;
    }
  }
  DRA_ASSIGN_OR_RETURN(std::optional<int64_t> numa, ReadOptionalInt(dir / "numa_node"));
  if (numa && *numa >= 0) loc.numa_node = static_cast<int>(*numa);
  nic.pci = std::move(loc);
  if (auto v = ReadOptional(dir / "vendor"); v && !v->empty()) nic.pci_vendor = StripHexPrefix(*v);
  if (auto v = ReadOptional(dir / "device"); v && !v->empty()) nic.pci_device = StripHexPrefix(*v);
  DRA_ASSIGN_OR_RETURN(std::optional<int64_t> total, ReadOptionalInt(dir / "sriov_totalvfs"));
  DRA_ASSIGN_OR_RETURN(std::optional<int64_t> num, ReadOptionalInt(dir / "sriov_numvfs"));
  nic.sriov_total_vfs = static_cast<int>(total.value_or(0));
  nic.sriov = nic.sriov_total_vfs > 0;
  nic.sriov_vfs = nic.sriov ? static_cast<int>(num.value_or(0)) : 0;
  nic.is_sriov_vf = Exists(dir / "physfn");
  return absl::OkStatus();
}

std::string LinkTypeName(int64_t arphrd) {
  switch (arphrd) {
    case 1:
      return "ether";
    case 24:
      return "ieee1394";
    case 32:
      return "infiniband";
    case 256:
      return "slip";
    case 280:
      return "can";
    case 512:
      return "ppp";
    case 768:
      return "ipip";
    case 769:
      return "tunnel6";
    case 772:
      return "loopback";
    case 776:
      return "sit";
    case 778:
      return "gre";
    case 801:
      return "ieee802.11";
    case 803:
      return "ieee802.11/radiotap";
    case 823:
      return "ip6gre";
    case 65534:
      return "none";
    default:
      return dra::StrCat("arphrd", arphrd);
  }
}

// The link kind of a virtual interface as far as sysfs reveals it (see NicInfo::kind).
std::string VirtualKind(const fs::path& dir, int64_t ifindex, int64_t iflink) {
  if (auto uevent = ReadOptional(dir / "uevent")) {
    std::string_view rest = *uevent;
    while (!rest.empty()) {
      size_t nl = rest.find('\n');
      std::string_view line = Trim(rest.substr(0, nl));
      if (line.starts_with("DEVTYPE=")) return std::string(line.substr(8));
      if (nl == std::string_view::npos) break;
      rest.remove_prefix(nl + 1);
    }
  }
  if (Exists(dir / "bridge")) return "bridge";
  if (Exists(dir / "bonding")) return "bond";
  if (Exists(dir / "tun_flags")) return "tun";
  bool has_lower = false;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename().string().starts_with("lower_")) has_lower = true;
  }
  // A veth's iflink is its peer's ifindex; stacked devices (vlan, macvlan...) link their lower
  // device with a lower_<name> entry instead.
  if (iflink > 0 && iflink != ifindex && !has_lower) return "veth";
  return "";
}

}  // namespace

absl::StatusOr<std::vector<NicInfo>> DiscoverNics(std::string_view sysfs_root) {
  const fs::path root(sysfs_root);
  const fs::path net_dir = root / "class/net";
  std::error_code ec;
  if (!fs::is_directory(net_dir, ec)) {
    return absl::NotFoundError(dra::StrCat(net_dir.string(), ": no such directory"));
  }
  const fs::path root_canon = Canonical(root).value_or(root);
  const fs::path virtual_dir = root_canon / "devices/virtual";

  std::map<std::string, NicInfo> by_name;
  for (fs::directory_iterator it(net_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const fs::path dir = net_dir / name;
    NicInfo nic;
    nic.if_name = name;
    nic.mac = ReadOptional(dir / "address").value_or("");
    nic.state = ReadOptional(dir / "operstate").value_or("");
    DRA_ASSIGN_OR_RETURN(std::optional<int64_t> mtu, ReadOptionalInt(dir / "mtu"));
    nic.mtu = static_cast<int>(mtu.value_or(0));
    DRA_ASSIGN_OR_RETURN(std::optional<int64_t> type, ReadOptionalInt(dir / "type"));
    if (type) nic.link_type = LinkTypeName(*type);
    if (auto speed = ReadOptional(dir / "speed")) {
      std::optional<int64_t> v = ParseInt(*speed);
      if (v && *v > 0) nic.speed_mbps = *v;
    }
    DRA_ASSIGN_OR_RETURN(std::optional<int64_t> ifindex, ReadOptionalInt(dir / "ifindex"));
    DRA_ASSIGN_OR_RETURN(std::optional<int64_t> iflink, ReadOptionalInt(dir / "iflink"));

    std::optional<fs::path> resolved = Canonical(dir);
    const bool is_virtual =
        resolved && resolved->lexically_relative(virtual_dir).native().rfind("..", 0) != 0;
    std::optional<std::pair<std::string, fs::path>> pci;
    if (resolved && !is_virtual) pci = PciFunctionOf(*resolved);
    if (pci) {
      DRA_RETURN_IF_ERROR(FillPci(root, pci->first, pci->second, nic));
      nic.kind = "device";
    } else {
      nic.is_virtual = true;
      nic.kind = type == 772 ? "device" : VirtualKind(dir, ifindex.value_or(0), iflink.value_or(0));
    }
    by_name.emplace(name, std::move(nic));
  }
  if (ec) {
    return absl::UnavailableError(dra::StrCat(net_dir.string(), ": ", ec.message()));
  }

  // RDMA devices: by PCI function.
  std::map<std::string, std::pair<std::string, fs::path>> rdma_by_pci;  // bus id -> (dev, dir)
  const fs::path ib_dir = root / "class/infiniband";
  for (fs::directory_iterator it(ib_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string dev = it->path().filename().string();
    std::optional<fs::path> resolved = Canonical(ib_dir / dev / "device");
    if (!resolved) continue;
    if (auto pci = PciFunctionOf(*resolved)) {
      auto [pos, inserted] = rdma_by_pci.try_emplace(pci->first, dev, pci->second);
      if (!inserted && dev < pos->second.first) pos->second = {dev, pci->second};
    }
  }

  std::vector<NicInfo> out;
  std::map<std::string, bool> pci_has_netdev;
  for (auto& [name, nic] : by_name) {
    if (nic.pci) {
      pci_has_netdev[nic.pci->bus_id] = true;
      if (auto r = rdma_by_pci.find(nic.pci->bus_id); r != rdma_by_pci.end()) {
        nic.rdma = true;
        nic.rdma_device = r->second.first;
      }
    }
    out.push_back(std::move(nic));
  }
  for (const auto& [bus_id, dev] : rdma_by_pci) {
    if (pci_has_netdev.contains(bus_id)) continue;
    NicInfo nic;
    DRA_RETURN_IF_ERROR(FillPci(root, bus_id, dev.second, nic));
    nic.rdma = true;
    nic.rdma_device = dev.first;
    nic.kind = "device";
    out.push_back(std::move(nic));
  }
  return out;
}

}  // namespace dra::driver
