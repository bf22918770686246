// The manifests of examples/scenarios/*.yaml, embedded in the binary (for `dra up --demo`).
#ifndef DRA_CLI_INTERNAL_SCENARIOS_H_
#define DRA_CLI_INTERNAL_SCENARIOS_H_

#include <string_view>
#include <vector>

namespace dra::cli::internal {

struct EmbeddedScenario {
  std::string_view name;  // file name without .yaml: "01-gpu-basics"
  std::string_view text;
};

// Sorted by name.
const std::vector<EmbeddedScenario>& EmbeddedScenarios();

}  // namespace dra::cli::internal

#endif  // DRA_CLI_INTERNAL_SCENARIOS_H_
