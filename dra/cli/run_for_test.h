// Test helper: runs the `dra` command line in-process and captures what it prints.
//
// Thread-compatible.
#ifndef DRA_CLI_RUN_FOR_TEST_H_
#define DRA_CLI_RUN_FOR_TEST_H_

#include <sstream>
#include <string>
#include <vector>

#include "dra/cli/commands.h"

namespace dra::cli {

struct RunResult {
  int exit_code;
  std::string out;
  std::string err;
};

// Runs `dra ARGS...` with `stdin_text` on standard input.
inline RunResult RunDra(std::vector<std::string> args, const std::string& stdin_text = "") {
  args.insert(args.begin(), "dra");
  std::istringstream in(stdin_text);
  std::ostringstream out;
  std::ostringstream err;
  int rc = RunMain(args, in, out, err);
  return {rc, out.str(), err.str()};
}

}  // namespace dra::cli

#endif  // DRA_CLI_RUN_FOR_TEST_H_
