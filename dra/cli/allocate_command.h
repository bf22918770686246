// `dra allocate`: run the structured-parameters allocator offline over a cluster dump (Nodes,
// DeviceClasses, ResourceSlices and ResourceClaims, as `kubectl get -o yaml` prints them) and
// print the newly allocated claims.
//
// Thread-compatible: one call at a time per set of streams.
#ifndef DRA_CLI_ALLOCATE_COMMAND_H_
#define DRA_CLI_ALLOCATE_COMMAND_H_

#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace dra::cli {

struct AllocateArgs {
  std::vector<std::string> files;          // -f: files, directories or "-"
  bool recursive = false;                  // -R
  std::string node;                        // --node: allocate for this node only
  std::vector<std::string> feature_gates;  // --feature-gates: "Name=bool" items, comma-separated
  std::string output = "yaml";             // -o: yaml | json
  int repeat = 0;                          // --repeat: timed runs after one warm-up
};

// Registers `allocate` on `app`, storing its flags in `args` (which must outlive parsing).
CLI::App* AddAllocateCommand(CLI::App& app, AllocateArgs& args);

// Returns the exit code: 0 all pending claims allocated (printed to `out` as a List), 1 they do
// not fit (the explanation goes to `err`), 2 invalid input or a fatal allocator error.
int RunAllocate(const AllocateArgs& args, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace dra::cli

#endif  // DRA_CLI_ALLOCATE_COMMAND_H_
