// Simulated hardware profiles: a node's GPUs, NICs and CPUs described in YAML (format in
// docs/profiles.md), turned into the same Hardware value real discovery produces, so that the
// node agent publishes identical ResourceSlices for a profile and for the machine it describes.
//
// Builtin profiles (profiles/*.yaml, compiled into the binary): "dgx-h100", "a100-mig".
//
// Decoding is strict: unknown fields, wrong types, out-of-range values and inconsistent
// references are InvalidArgument errors that name the source and the field path, e.g.
//   profile "my.yaml": gpus[0].pci[3].numaNode: must be >= 0, got -2
//
// Stateless functions; thread-safe.
#ifndef DRA_DRIVER_PROFILES_PROFILES_H_
#define DRA_DRIVER_PROFILES_PROFILES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "dra/driver/hardware.h"

namespace dra::driver::profiles {

// Prefix that selects a builtin profile explicitly ("profile:dgx-h100").
inline constexpr char kBuiltinPrefix[] = "profile:";

// Loads "profile:<name>" or a bare builtin name from the builtin profiles, anything else as a
// file path. NotFound when no such builtin or file exists (the message lists the builtins),
// InvalidArgument for a bad profile.
absl::StatusOr<Hardware> LoadProfile(std::string_view name_or_path);

// Parses profile text; `source` names it in error messages (a file path or builtin name).
absl::StatusOr<Hardware> ParseProfile(std::string_view yaml, std::string_view source);

// Names of the builtin profiles, sorted.
std::vector<std::string> BuiltinProfileNames();

// The YAML text of a builtin profile, nullopt when there is none of that name.
std::optional<std::string_view> BuiltinProfileText(std::string_view name);

}  // namespace dra::driver::profiles

#endif  // DRA_DRIVER_PROFILES_PROFILES_H_
