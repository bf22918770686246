#include "dra/driver/cdi/cdi.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <set>
#include <string>
#include <utility>

#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "nlohmann/json.hpp"
#include "yaml-cpp/yaml.h"

namespace dra::driver {

namespace {

std::string ErrnoMessage(std::string_view what, const std::string& path, int err) {
  return dra::StrCat(what, " ", path, ": ", std::strerror(err));
}

absl::Status WriteAll(int fd, std::string_view content, const std::string& path) {
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(ErrnoMessage("write", path, errno));
    }
    content.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteFileAtomically(const std::string& path, std::string_view content,
                                 std::string_view temp_prefix) {
  const std::filesystem::path target(path);
  std::filesystem::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmpl = (dir / dra::StrCat(temp_prefix, "XXXXXX.tmp")).string();
  int fd = ::mkstemps(tmpl.data(), 4);
  if (fd < 0) return absl::UnavailableError(ErrnoMessage("create temp file for", path, errno));
  absl::Status st = WriteAll(fd, content, tmpl);
  if (st.ok() && ::fchmod(fd, 0644) != 0) {
    st = absl::UnavailableError(ErrnoMessage("chmod", tmpl, errno));
  }
  if (st.ok() && ::fsync(fd) != 0) st = absl::UnavailableError(ErrnoMessage("fsync", tmpl, errno));
  if (::close(fd) != 0 && st.ok()) {
    st = absl::UnavailableError(ErrnoMessage("close", tmpl, errno));
  }
  if (st.ok() && ::rename(tmpl.c_str(), path.c_str()) != 0) {
    st = absl::UnavailableError(ErrnoMessage("rename temp file onto", path, errno));
  }
  if (!st.ok()) {
    ::unlink(tmpl.c_str());
    return st;
  }
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return absl::UnavailableError(ErrnoMessage("open directory", dir.string(), errno));
  int rc = ::fsync(dfd);
  int err = errno;
  ::close(dfd);
  if (rc != 0) return absl::UnavailableError(ErrnoMessage("fsync directory", dir.string(), err));
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return absl::NotFoundError(ErrnoMessage("open", path, err));
    return absl::UnavailableError(ErrnoMessage("open", path, err));
  }
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return absl::UnavailableError(ErrnoMessage("read", path, err));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

}  // namespace dra::driver

namespace dra::driver::cdi {
namespace {

using Json = nlohmann::json;
using OJson = nlohmann::ordered_json;

int VersionIndex(std::string_view v) {
  if (v.starts_with("v")) v.remove_prefix(1);
  for (size_t i = 0; i < std::size(kKnownVersions); ++i) {
    if (v == kKnownVersions[i]) return static_cast<int>(i);
  }
  return -1;
}

bool IsLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsAlnum(char c) { return IsLetter(c) || (c >= '0' && c <= '9'); }

absl::Status ValidateVendorOrClass(std::string_view what, std::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError(dra::StrCat("invalid ", what, ": empty"));
  if (!IsLetter(name.front())) {
    return absl::InvalidArgumentError(
        dra::StrCat("invalid ", what, " \"", name, "\": must start with a letter"));
  }
  for (size_t i = 1; i + 1 < name.size(); ++i) {
    char c = name[i];
    if (!IsAlnum(c) && c != '_' && c != '-' && c != '.') {
      return absl::InvalidArgumentError(dra::StrCat(
          "invalid ", what, " \"", name, "\": invalid character '", std::string(1, c), "'"));
    }
  }
  if (!IsAlnum(name.back())) {
    return absl::InvalidArgumentError(
        dra::StrCat("invalid ", what, " \"", name, "\": must end with a letter or digit"));
  }
  return absl::OkStatus();
}

void AddEdits(OJson& out, const ContainerEdits& e) {
  if (!e.env.empty()) out["env"] = e.env;
  if (!e.device_nodes.empty()) {
    OJson nodes = OJson::array();
    for (const DeviceNode& n : e.device_nodes) {
      OJson j;
      j["path"] = n.path;
      if (n.host_path) j["hostPath"] = *n.host_path;
      if (n.type) j["type"] = *n.type;
      if (n.major) j["major"] = *n.major;
      if (n.minor) j["minor"] = *n.minor;
      if (n.file_mode) j["fileMode"] = *n.file_mode;
      if (n.permissions) j["permissions"] = *n.permissions;
      if (n.uid) j["uid"] = *n.uid;
      if (n.gid) j["gid"] = *n.gid;
      nodes.push_back(std::move(j));
    }
    out["deviceNodes"] = std::move(nodes);
  }
  if (!e.hooks.empty()) {
    OJson hooks = OJson::array();
    for (const Hook& h : e.hooks) {
      OJson j;
      j["hookName"] = h.hook_name;
      j["path"] = h.path;
      if (!h.args.empty()) j["args"] = h.args;
      if (!h.env.empty()) j["env"] = h.env;
      if (h.timeout) j["timeout"] = *h.timeout;
      hooks.push_back(std::move(j));
    }
    out["hooks"] = std::move(hooks);
  }
  if (!e.mounts.empty()) {
    OJson mounts = OJson::array();
    for (const Mount& m : e.mounts) {
      OJson j;
      j["hostPath"] = m.host_path;
      j["containerPath"] = m.container_path;
      if (!m.options.empty()) j["options"] = m.options;
      if (m.type) j["type"] = *m.type;
      mounts.push_back(std::move(j));
    }
    out["mounts"] = std::move(mounts);
  }
  if (!e.additional_gids.empty()) out["additionalGids"] = e.additional_gids;
}

// --- Decoding -------------------------------------------------------------------------------

class Decoder {
 public:
  explicit Decoder(std::string_view source) : source_(source) {}

  absl::Status Error(const std::string& path, std::string_view what) const {
    return absl::InvalidArgumentError(dra::StrCat(source_, ": ", path, ": ", what));
  }

  absl::Status Object(const Json& j, const std::string& path,
                      std::initializer_list<std::string_view> allowed) const {
    if (!j.is_object()) return Error(path, "expected an object");
    for (const auto& [key, value] : j.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        return Error(path.empty() ? key : dra::StrCat(path, ".", key), "unknown field");
      }
    }
    return absl::OkStatus();
  }

  absl::Status String(const Json& j, const std::string& path, std::string& out) const {
    if (!j.is_string()) return Error(path, "expected a string");
    out = j.get<std::string>();
    return absl::OkStatus();
  }
  absl::Status Int(const Json& j, const std::string& path, int64_t min, int64_t max,
                   int64_t& out) const {
    if (j.is_number_unsigned()) {
      uint64_t v = j.get<uint64_t>();
      if (v > static_cast<uint64_t>(max)) return Error(path, "integer out of range");
      out = static_cast<int64_t>(v);
    } else if (j.is_number_integer()) {
      out = j.get<int64_t>();
    } else {
      return Error(path, "expected an integer");
    }
    if (out < min || out > max) return Error(path, "integer out of range");
    return absl::OkStatus();
  }
  absl::Status Strings(const Json& j, const std::string& path,
                       std::vector<std::string>& out) const {
    if (j.is_null()) return absl::OkStatus();
    if (!j.is_array()) return Error(path, "expected an array of strings");
    for (size_t i = 0; i < j.size(); ++i) {
      std::string s;
      DRA_RETURN_IF_ERROR(String(j[i], dra::StrCat(path, "[", i, "]"), s));
      out.push_back(std::move(s));
    }
    return absl::OkStatus();
  }
  absl::Status StringMap(const Json& j, const std::string& path,
                         std::map<std::string, std::string>& out) const {
    if (j.is_null()) return absl::OkStatus();
    if (!j.is_object()) return Error(path, "expected an object of strings");
    for (const auto& [k, v] : j.items()) {
      DRA_RETURN_IF_ERROR(String(v, dra::StrCat(path, ".", k), out[k]));
    }
    return absl::OkStatus();
  }
  template <typename F>
  absl::Status Array(const Json& j, const std::string& path, F each) const {
    if (j.is_null()) return absl::OkStatus();
    if (!j.is_array()) return Error(path, "expected an array");
    for (size_t i = 0; i < j.size(); ++i) {
      DRA_RETURN_IF_ERROR(each(j[i], dra::StrCat(path, "[", i, "]")));
    }
    return absl::OkStatus();
  }

  absl::Status Edits(const Json& j, const std::string& path, ContainerEdits& e) const {
    if (j.is_null()) return absl::OkStatus();
    DRA_RETURN_IF_ERROR(Object(
        j, path,
        {"env", "deviceNodes", "hooks", "mounts", "additionalGids", "intelRdt", "netDevices"}));
    if (j.contains("intelRdt") || j.contains("netDevices")) {
      return Error(path, "intelRdt and netDevices are not supported");
    }
    auto sub = [&](std::string_view k) { return dra::StrCat(path, ".", k); };
    if (j.contains("env")) DRA_RETURN_IF_ERROR(Strings(j["env"], sub("env"), e.env));
    if (j.contains("deviceNodes")) {
      DRA_RETURN_IF_ERROR(Array(j["deviceNodes"], sub("deviceNodes"),
                                [&](const Json& n, const std::string& p) -> absl::Status {
                                  DeviceNode d;
                                  DRA_RETURN_IF_ERROR(DeviceNodeOf(n, p, d));
                                  e.device_nodes.push_back(std::move(d));
                                  return absl::OkStatus();
                                }));
    }
    if (j.contains("hooks")) {
      DRA_RETURN_IF_ERROR(
          Array(j["hooks"], sub("hooks"), [&](const Json& n, const std::string& p) -> absl::Status {
            Hook h;
            DRA_RETURN_IF_ERROR(Object(n, p, {"hookName", "path", "args", "env", "timeout"}));
            if (n.contains("hookName")) {
              DRA_RETURN_IF_ERROR(String(n["hookName"], p + ".hookName", h.hook_name));
            }
            if (n.contains("path")) {
              DRA_RETURN_IF_ERROR(String(n["path"], p + ".path", h.path));
            }
            if (n.contains("args")) {
              DRA_RETURN_IF_ERROR(Strings(n["args"], p + ".args", h.args));
            }
            if (n.contains("env")) {
              DRA_RETURN_IF_ERROR(Strings(n["env"], p + ".env", h.env));
            }
            if (n.contains("timeout") && !n["timeout"].is_null()) {
              int64_t t = 0;
              DRA_RETURN_IF_ERROR(Int(n["timeout"], p + ".timeout", std::numeric_limits<int>::min(),
                                      std::numeric_limits<int>::max(), t));
              h.timeout = static_cast<int>(t);
            }
            e.hooks.push_back(std::move(h));
            return absl::OkStatus();
          }));
    }
    if (j.contains("mounts")) {
      DRA_RETURN_IF_ERROR(Array(
          j["mounts"], sub("mounts"), [&](const Json& n, const std::string& p) -> absl::Status {
            Mount m;
            DRA_RETURN_IF_ERROR(Object(n, p, {"hostPath", "containerPath", "options", "type"}));
            if (n.contains("hostPath")) {
              DRA_RETURN_IF_ERROR(String(n["hostPath"], p + ".hostPath", m.host_path));
            }
            if (n.contains("containerPath")) {
              DRA_RETURN_IF_ERROR(
                  String(n["containerPath"], p + ".containerPath", m.container_path));
            }
            if (n.contains("options")) {
              DRA_RETURN_IF_ERROR(Strings(n["options"], p + ".options", m.options));
            }
            if (n.contains("type")) {
              std::string t;
              DRA_RETURN_IF_ERROR(String(n["type"], p + ".type", t));
              if (!t.empty()) m.type = t;
            }
            e.mounts.push_back(std::move(m));
            return absl::OkStatus();
          }));
    }
    if (j.contains("additionalGids")) {
      DRA_RETURN_IF_ERROR(Array(j["additionalGids"], sub("additionalGids"),
                                [&](const Json& n, const std::string& p) -> absl::Status {
                                  int64_t v = 0;
                                  DRA_RETURN_IF_ERROR(Int(n, p, 0, UINT32_MAX, v));
                                  e.additional_gids.push_back(static_cast<uint32_t>(v));
                                  return absl::OkStatus();
                                }));
    }
    return absl::OkStatus();
  }

  absl::Status DeviceNodeOf(const Json& n, const std::string& p, DeviceNode& d) const {
    DRA_RETURN_IF_ERROR(Object(
        n, p,
        {"path", "hostPath", "type", "major", "minor", "fileMode", "permissions", "uid", "gid"}));
    auto opt_string = [&](const char* key, std::optional<std::string>& out) -> absl::Status {
      if (!n.contains(key) || n[key].is_null()) return absl::OkStatus();
      std::string s;
      DRA_RETURN_IF_ERROR(String(n[key], dra::StrCat(p, ".", key), s));
      if (!s.empty()) out = std::move(s);
      return absl::OkStatus();
    };
    auto opt_int = [&](const char* key, int64_t min, int64_t max,
                       std::optional<int64_t>& out) -> absl::Status {
      if (!n.contains(key) || n[key].is_null()) return absl::OkStatus();
      int64_t v = 0;
      DRA_RETURN_IF_ERROR(Int(n[key], dra::StrCat(p, ".", key), min, max, v));
      out = v;
      return absl::OkStatus();
    };
    if (n.contains("path")) DRA_RETURN_IF_ERROR(String(n["path"], p + ".path", d.path));
    DRA_RETURN_IF_ERROR(opt_string("hostPath", d.host_path));
    DRA_RETURN_IF_ERROR(opt_string("type", d.type));
    DRA_RETURN_IF_ERROR(opt_string("permissions", d.permissions));
    constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
    DRA_RETURN_IF_ERROR(opt_int("major", kMin, kMax, d.major));
    DRA_RETURN_IF_ERROR(opt_int("minor", kMin, kMax, d.minor));
    std::optional<int64_t> mode, uid, gid;
    DRA_RETURN_IF_ERROR(opt_int("fileMode", 0, UINT32_MAX, mode));
    DRA_RETURN_IF_ERROR(opt_int("uid", 0, UINT32_MAX, uid));
    DRA_RETURN_IF_ERROR(opt_int("gid", 0, UINT32_MAX, gid));
    if (mode) d.file_mode = static_cast<uint32_t>(*mode);
    if (uid) d.uid = static_cast<uint32_t>(*uid);
    if (gid) d.gid = static_cast<uint32_t>(*gid);
    return absl::OkStatus();
  }

  absl::StatusOr<Spec> SpecOf(const Json& j) const {
    Spec s;
    DRA_RETURN_IF_ERROR(
        Object(j, "", {"cdiVersion", "kind", "annotations", "devices", "containerEdits"}));
    if (!j.contains("cdiVersion")) return Error("cdiVersion", "required");
    DRA_RETURN_IF_ERROR(String(j["cdiVersion"], "cdiVersion", s.cdi_version));
    if (!j.contains("kind")) return Error("kind", "required");
    DRA_RETURN_IF_ERROR(String(j["kind"], "kind", s.kind));
    if (j.contains("annotations")) {
      DRA_RETURN_IF_ERROR(StringMap(j["annotations"], "annotations", s.annotations));
    }
    if (j.contains("containerEdits")) {
      DRA_RETURN_IF_ERROR(Edits(j["containerEdits"], "containerEdits", s.container_edits));
    }
    if (j.contains("devices")) {
      DRA_RETURN_IF_ERROR(
          Array(j["devices"], "devices", [&](const Json& n, const std::string& p) -> absl::Status {
            Device d;
            DRA_RETURN_IF_ERROR(Object(n, p, {"name", "annotations", "containerEdits"}));
            if (n.contains("name")) DRA_RETURN_IF_ERROR(String(n["name"], p + ".name", d.name));
            if (n.contains("annotations")) {
              DRA_RETURN_IF_ERROR(StringMap(n["annotations"], p + ".annotations", d.annotations));
            }
            if (n.contains("containerEdits")) {
              DRA_RETURN_IF_ERROR(
                  Edits(n["containerEdits"], p + ".containerEdits", d.container_edits));
            }
            s.devices.push_back(std::move(d));
            return absl::OkStatus();
          }));
    }
    return s;
  }

 private:
  std::string source_;
};

// YAML -> JSON: plain scalars become null, booleans or integers where they read as such;
// quoted scalars stay strings.
absl::StatusOr<Json> YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return Json(nullptr);
    case YAML::NodeType::Scalar: {
      const std::string& v = node.Scalar();
      if (node.Tag() == "!") return Json(v);  // quoted
      if (v == "~" || v == "null" || v == "Null" || v == "NULL") return Json(nullptr);
      if (v == "true" || v == "True" || v == "TRUE") return Json(true);
      if (v == "false" || v == "False" || v == "FALSE") return Json(false);
      if (!v.empty() && v.find_first_not_of("+-0123456789") == std::string::npos) {
        Json parsed = Json::parse(v, nullptr, /*allow_exceptions=*/false);
        if (parsed.is_number_integer()) return parsed;
      }
      return Json(v);
    }
    case YAML::NodeType::Sequence: {
      Json arr = Json::array();
      for (const YAML::Node& item : node) {
        DRA_ASSIGN_OR_RETURN(Json j, YamlToJson(item));
        arr.push_back(std::move(j));
      }
      return arr;
    }
    case YAML::NodeType::Map: {
      Json obj = Json::object();
      for (const auto& kv : node) {
        DRA_ASSIGN_OR_RETURN(Json j, YamlToJson(kv.second));
        obj[kv.first.as<std::string>()] = std::move(j);
      }
      return obj;
    }
  }
  return Json(nullptr);
}

}  // namespace

std::string MinimumCdiVersion(const Spec& spec) {
  std::vector<const ContainerEdits*> edits = {&spec.container_edits};
  for (const Device& d : spec.devices) edits.push_back(&d.container_edits);
  auto any_edit = [&](auto pred) {
    return std::any_of(edits.begin(), edits.end(),
                       [&](const ContainerEdits* e) { return pred(*e); });
  };
  if (any_edit([](const ContainerEdits& e) { return !e.additional_gids.empty(); })) return "0.7.0";
  bool annotations = !spec.annotations.empty();
  for (const Device& d : spec.devices) annotations = annotations || !d.annotations.empty();
  size_t slash = spec.kind.find('/');
  if (annotations ||
      (slash != std::string::npos && spec.kind.find('.', slash) != std::string::npos)) {
    return "0.6.0";
  }
  for (const Device& d : spec.devices) {
    if (!d.name.empty() && d.name[0] >= '0' && d.name[0] <= '9') return "0.5.0";
  }
  if (any_edit([](const ContainerEdits& e) {
        return std::any_of(e.device_nodes.begin(), e.device_nodes.end(),
                           [](const DeviceNode& n) { return n.host_path.has_value(); });
      })) {
    return "0.5.0";
  }
  if (any_edit([](const ContainerEdits& e) {
        return std::any_of(e.mounts.begin(), e.mounts.end(),
                           [](const Mount& m) { return m.type.has_value(); });
      })) {
    return "0.4.0";
  }
  return "0.3.0";
}

absl::Status ValidateVendor(std::string_view vendor) {
  return ValidateVendorOrClass("vendor", vendor);
}
absl::Status ValidateClass(std::string_view cls) { return ValidateVendorOrClass("class", cls); }

absl::Status ValidateDeviceName(std::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("invalid device name: empty");
  if (!IsAlnum(name.front()) || !IsAlnum(name.back())) {
    return absl::InvalidArgumentError(dra::StrCat("invalid device name \"", name,
                                                  "\": must start and end with a letter or digit"));
  }
  for (char c : name) {
    if (!IsAlnum(c) && c != '_' && c != '-' && c != '.' && c != ':') {
      return absl::InvalidArgumentError(dra::StrCat(
          "invalid device name \"", name, "\": invalid character '", std::string(1, c), "'"));
    }
  }
  return absl::OkStatus();
}

namespace {

absl::Status ValidateEdits(const ContainerEdits& e, const std::string& path) {
  auto err = [&](const std::string& field, std::string_view what) {
    return absl::InvalidArgumentError(dra::StrCat(path, ".", field, ": ", what));
  };
  for (size_t i = 0; i < e.env.size(); ++i) {
    if (e.env[i].find('=') == std::string::npos || e.env[i].front() == '=') {
      return err(dra::StrCat("env[", i, "]"), dra::StrCat("\"", e.env[i], "\" is not KEY=VALUE"));
    }
  }
  for (size_t i = 0; i < e.device_nodes.size(); ++i) {
    const DeviceNode& n = e.device_nodes[i];
    if (n.path.empty()) return err(dra::StrCat("deviceNodes[", i, "].path"), "required");
    if (n.type && *n.type != "c" && *n.type != "b" && *n.type != "u" && *n.type != "p") {
      return err(dra::StrCat("deviceNodes[", i, "].type"),
                 dra::StrCat("\"", *n.type, "\" is not one of c, b, u, p"));
    }
    if (n.permissions && n.permissions->find_first_not_of("rwm") != std::string::npos) {
      return err(dra::StrCat("deviceNodes[", i, "].permissions"),
                 dra::StrCat("\"", *n.permissions, "\" is not a subset of rwm"));
    }
  }
  for (size_t i = 0; i < e.mounts.size(); ++i) {
    if (e.mounts[i].host_path.empty())
      return err(dra::StrCat("mounts[", i, "].hostPath"), "required");
    if (e.mounts[i].container_path.empty()) {
      return err(dra::StrCat("mounts[", i, "].containerPath"), "required");
    }
  }
  static const std::set<std::string> kHookNames = {
      "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"};
  for (size_t i = 0; i < e.hooks.size(); ++i) {
    const Hook& h = e.hooks[i];
    if (!kHookNames.contains(h.hook_name)) {
      return err(dra::StrCat("hooks[", i, "].hookName"),
                 dra::StrCat("unknown hook \"", h.hook_name, "\""));
    }
    if (h.path.empty() || h.path.front() != '/') {
      return err(dra::StrCat("hooks[", i, "].path"),
                 dra::StrCat("\"", h.path, "\" is not an absolute path"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateSpec(const Spec& spec) {
  auto prefix = [&](const absl::Status& st, std::string_view field) {
    return absl::InvalidArgumentError(
        dra::StrCat("CDI spec \"", spec.kind, "\": ", field, ": ", std::string(st.message())));
  };
  int declared = VersionIndex(spec.cdi_version);
  if (declared < 0) {
    return prefix(
        absl::InvalidArgumentError(dra::StrCat("unknown version \"", spec.cdi_version, "\"")),
        "cdiVersion");
  }
  std::string minimum = MinimumCdiVersion(spec);
  if (declared < VersionIndex(minimum)) {
    return prefix(absl::InvalidArgumentError(dra::StrCat(
                      "version ", spec.cdi_version, " too low, the spec needs at least ", minimum)),
                  "cdiVersion");
  }
  size_t slash = spec.kind.find('/');
  if (slash == std::string::npos) {
    return prefix(absl::InvalidArgumentError("must be <vendor>/<class>"), "kind");
  }
  if (absl::Status st = ValidateVendor(spec.kind.substr(0, slash)); !st.ok()) {
    return prefix(st, "kind");
  }
  if (absl::Status st = ValidateClass(spec.kind.substr(slash + 1)); !st.ok()) {
    return prefix(st, "kind");
  }
  if (spec.devices.empty()) {
    return prefix(absl::InvalidArgumentError("at least one device is required"), "devices");
  }
  if (absl::Status st = ValidateEdits(spec.container_edits, "containerEdits"); !st.ok()) {
    return prefix(st, "spec");
  }
  std::set<std::string> names;
  for (size_t i = 0; i < spec.devices.size(); ++i) {
    const Device& d = spec.devices[i];
    const std::string field = dra::StrCat("devices[", i, "]");
    if (absl::Status st = ValidateDeviceName(d.name); !st.ok()) return prefix(st, field + ".name");
    if (!names.insert(d.name).second) {
      return prefix(absl::InvalidArgumentError(dra::StrCat("duplicate device \"", d.name, "\"")),
                    field + ".name");
    }
    if (d.container_edits.empty()) {
      return prefix(absl::InvalidArgumentError(
                        dra::StrCat("invalid device \"", d.name, "\", empty device edits")),
                    field + ".containerEdits");
    }
    if (absl::Status st = ValidateEdits(d.container_edits, field + ".containerEdits"); !st.ok()) {
      return prefix(st, "spec");
    }
  }
  return absl::OkStatus();
}

std::string QualifiedDeviceName(std::string_view vendor, std::string_view cls,
                                std::string_view name) {
  return dra::StrCat(vendor, "/", cls, "=", name);
}

std::string TransientSpecPath(std::string_view dir, std::string_view vendor, std::string_view cls,
                              std::string_view transient_id, std::string_view extension) {
  std::string id(transient_id);
  std::replace(id.begin(), id.end(), '/', '_');
  std::string file = dra::StrCat(vendor, "-", cls, "_", id, extension);
  return (std::filesystem::path(dir) / file).string();
}

std::string EncodeSpec(const Spec& spec) {
  OJson j;
  j["cdiVersion"] = spec.cdi_version;
  j["kind"] = spec.kind;
  if (!spec.annotations.empty()) j["annotations"] = spec.annotations;
  OJson devices = OJson::array();
  for (const Device& d : spec.devices) {
    OJson dj;
    dj["name"] = d.name;
    if (!d.annotations.empty()) dj["annotations"] = d.annotations;
    OJson edits = OJson::object();
    AddEdits(edits, d.container_edits);
    dj["containerEdits"] = std::move(edits);
    devices.push_back(std::move(dj));
  }
  j["devices"] = std::move(devices);
  if (!spec.container_edits.empty()) {
    OJson edits = OJson::object();
    AddEdits(edits, spec.container_edits);
    j["containerEdits"] = std::move(edits);
  }
  return j.dump(2) + "\n";
}

absl::StatusOr<Spec> DecodeSpec(std::string_view text, std::string_view source) {
  Json j;
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      return absl::InvalidArgumentError(dra::StrCat(source, ": invalid JSON"));
    }
  } else {
    try {
      YAML::Node node = YAML::Load(std::string(text));
      DRA_ASSIGN_OR_RETURN(j, YamlToJson(node));
    } catch (const YAML::Exception& e) {
      return absl::InvalidArgumentError(dra::StrCat(source, ": invalid YAML: ", e.what()));
    }
  }
  return Decoder(source).SpecOf(j);
}

absl::Status WriteSpecFile(const Spec& spec, const std::string& path) {
  DRA_RETURN_IF_ERROR(ValidateSpec(spec));
  return WriteFileAtomically(path, EncodeSpec(spec), "spec.");
}

absl::StatusOr<Spec> ReadSpecFile(const std::string& path) {
  DRA_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  return DecodeSpec(text, path);
}

absl::Status RemoveSpecFile(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return absl::UnavailableError(dra::StrCat("remove ", path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace dra::driver::cdi
