// The builtin hardware profiles: the YAML files of dra/driver/profiles/, embedded at build time
// (CMake generates the definition from the files, which stay the source of truth).
//
// Immutable data; thread-safe.
#ifndef DRA_DRIVER_PROFILES_INTERNAL_BUILTIN_PROFILES_H_
#define DRA_DRIVER_PROFILES_INTERNAL_BUILTIN_PROFILES_H_

#include <string_view>
#include <vector>

namespace dra::driver::profiles::internal {

struct BuiltinProfile {
  std::string_view name;  // file name without ".yaml"
  std::string_view text;  // file content
};

// Every builtin profile, in file-name order.
const std::vector<BuiltinProfile>& BuiltinProfiles();

}  // namespace dra::driver::profiles::internal

#endif  // DRA_DRIVER_PROFILES_INTERNAL_BUILTIN_PROFILES_H_
