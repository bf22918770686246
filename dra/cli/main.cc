#include <iostream>
#include <string>
#include <vector>

#include "dra/cli/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  return dra::cli::RunMain(args, std::cin, std::cout, std::cerr);
}
