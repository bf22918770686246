#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "dra/cli/cli.h"

// `dra`, also installed as the kubectl plugin `kubectl-dra` (a symbolic link to dra on PATH):
// kubectl runs it with every argument after `kubectl dra`, so both names run the same commands.
int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  if (!args.empty()) {
    std::string_view program = args[0];
    if (size_t slash = program.rfind('/'); slash != std::string_view::npos) {
      program.remove_prefix(slash + 1);
    }
    if (program == "kubectl-dra") args[0] = "dra";
  }
  return dra::cli::RunMain(args, std::cin, std::cout, std::cerr);
}
