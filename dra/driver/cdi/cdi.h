// Container Device Interface (CDI) specs: value types, JSON encoding and decoding, validation,
// the minimum cdiVersion a spec needs, transient spec file names and atomic file writes.
// Field names, version rules and name syntax follow the CDI specification
// (cncf-tags/container-device-interface, spec 1.1.0).
//
// Value types and free functions; thread-safe (no shared state). Writers of one spec file must
// be serialized by the caller (e.g. with checkpoint/FileLock).
#ifndef DRA_DRIVER_CDI_CDI_H_
#define DRA_DRIVER_CDI_CDI_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace dra::driver::cdi {

// The newest spec version this code knows; versions are "X.Y.Z" without a leading "v".
inline constexpr char kCurrentVersion[] = "1.1.0";
// Every version the specification defines, oldest first.
inline constexpr const char* kKnownVersions[] = {"0.1.0", "0.2.0", "0.3.0", "0.4.0", "0.5.0",
                                                 "0.6.0", "0.7.0", "0.8.0", "1.0.0", "1.1.0"};

struct DeviceNode {
  std::string path;                      // in the container (required)
  std::optional<std::string> host_path;  // >= 0.5.0
  std::optional<std::string> type;       // "c", "b", "u", "p"
  std::optional<int64_t> major;
  std::optional<int64_t> minor;
  std::optional<uint32_t> file_mode;       // os.FileMode bits
  std::optional<std::string> permissions;  // subset of "rwm"
  std::optional<uint32_t> uid;
  std::optional<uint32_t> gid;
  friend bool operator==(const DeviceNode&, const DeviceNode&) = default;
};

struct Mount {
  std::string host_path;       // required
  std::string container_path;  // required
  std::vector<std::string> options;
  std::optional<std::string> type;  // >= 0.4.0
  friend bool operator==(const Mount&, const Mount&) = default;
};

struct Hook {
  std::string hook_name;  // createRuntime, createContainer, startContainer, poststart, poststop
  std::string path;       // absolute
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::optional<int> timeout;
  friend bool operator==(const Hook&, const Hook&) = default;
};

struct ContainerEdits {
  std::vector<std::string> env;  // "KEY=VALUE"
  std::vector<DeviceNode> device_nodes;
  std::vector<Mount> mounts;
  std::vector<Hook> hooks;
  std::vector<uint32_t> additional_gids;  // >= 0.7.0
  bool empty() const {
    return env.empty() && device_nodes.empty() && mounts.empty() && hooks.empty() &&
           additional_gids.empty();
  }
  friend bool operator==(const ContainerEdits&, const ContainerEdits&) = default;
};

struct Device {
  std::string name;
  std::map<std::string, std::string> annotations;  // >= 0.6.0
  ContainerEdits container_edits;                  // must not be empty
  friend bool operator==(const Device&, const Device&) = default;
};

struct Spec {
  std::string cdi_version;                         // "0.5.0"
  std::string kind;                                // "<vendor>/<class>"
  std::map<std::string, std::string> annotations;  // >= 0.6.0
  std::vector<Device> devices;                     // at least one
  ContainerEdits container_edits;                  // applied when any device is requested
  friend bool operator==(const Spec&, const Spec&) = default;
};

// The lowest cdiVersion that can express `spec` (ignoring its cdi_version field): 0.3.0, raised
// to 0.4.0 by a mount type, 0.5.0 by a device node hostPath or a device name starting with a
// digit, 0.6.0 by annotations or a '.' in the class, 0.7.0 by additionalGids.
std::string MinimumCdiVersion(const Spec& spec);

// Checks what CDI consumers check before accepting a spec. InvalidArgument names the field:
// cdiVersion known and >= MinimumCdiVersion; kind `vendor/class` (vendor: letters, digits, '_',
// '-', '.', starting with a letter, ending alphanumeric; class the same); devices non-empty,
// names `[A-Za-z0-9]([A-Za-z0-9_.:-]*[A-Za-z0-9])?` and unique; each device's containerEdits
// non-empty; env entries "K=V"; device node path set and type in c/b/u/p; mount paths set;
// hook names known and hook paths absolute.
absl::Status ValidateSpec(const Spec& spec);

// Validates vendor, class and device names alone (see ValidateSpec).
absl::Status ValidateVendor(std::string_view vendor);
absl::Status ValidateClass(std::string_view cls);
absl::Status ValidateDeviceName(std::string_view name);

// "<vendor>/<class>=<name>", e.g. "k8s.gpu.nvidia.com/claim=0b5c-gpu-0".
std::string QualifiedDeviceName(std::string_view vendor, std::string_view cls,
                                std::string_view name);

// "<dir>/<vendor>-<class>_<transient_id><extension>" with '/' in transient_id replaced by '_';
// extension ".json" or ".yaml".
std::string TransientSpecPath(std::string_view dir, std::string_view vendor, std::string_view cls,
                              std::string_view transient_id, std::string_view extension = ".json");

// JSON text of `spec` with the specification's field names, empty optional fields omitted,
// indented by 2, ending in a newline. JSON is valid YAML, so the same text suits .yaml files.
std::string EncodeSpec(const Spec& spec);

// Parses a spec from JSON or YAML text. Unknown fields are rejected as CDI consumers do.
// InvalidArgument names `source` and the field path ("devices[0].containerEdits.env[1]").
absl::StatusOr<Spec> DecodeSpec(std::string_view text, std::string_view source = "<spec>");

// Validates `spec` and writes it atomically to `path` (WriteFileAtomically with temp prefix
// "spec."). The file is replaced as a whole or not at all.
absl::Status WriteSpecFile(const Spec& spec, const std::string& path);
// Reads and decodes a spec file; NotFound when it does not exist.
absl::StatusOr<Spec> ReadSpecFile(const std::string& path);
// Removes a spec file; a missing file is OK (idempotent unprepare).
absl::Status RemoveSpecFile(const std::string& path);

}  // namespace dra::driver::cdi

namespace dra::driver {

// Replaces `path` with `content` atomically: writes a temp file `<temp_prefix>XXXXXX.tmp` in
// the same directory (mode 0644), fsyncs it, renames it over `path`, then fsyncs the directory.
// On failure the temp file is removed and `path` is untouched. Errors name the path.
absl::Status WriteFileAtomically(const std::string& path, std::string_view content,
                                 std::string_view temp_prefix = "tmp.");

// The content of a file; NotFound when missing, Unavailable for other errors (naming the path).
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

}  // namespace dra::driver

#endif  // DRA_DRIVER_CDI_CDI_H_
