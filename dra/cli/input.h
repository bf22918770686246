// Reading the files named by -f arguments, as kubectl does: a file, a directory (its .yaml,
// .yml and .json files, in name order; subdirectories with --recursive), or "-" for stdin.
//
// Stateless functions; thread-compatible (reads std::cin for "-").
#ifndef DRA_CLI_INPUT_H_
#define DRA_CLI_INPUT_H_

#include <istream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace dra::cli {

struct InputFile {
  std::string name;  // path as given, or "<stdin>"
  std::string content;
};

absl::StatusOr<std::vector<InputFile>> ReadInputs(const std::vector<std::string>& paths,
                                                  bool recursive, std::istream& stdin_stream);

}  // namespace dra::cli

#endif  // DRA_CLI_INPUT_H_
