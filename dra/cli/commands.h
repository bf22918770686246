// The `dra` command line: argument parsing and printing only; the work is done by the layers.
//
// Thread-compatible: one call at a time per set of streams.
#ifndef DRA_CLI_COMMANDS_H_
#define DRA_CLI_COMMANDS_H_

#include <iosfwd>
#include <string>
#include <vector>

namespace dra::cli {

// Exit codes shared by the commands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;   // some object is invalid
inline constexpr int kExitBadInput = 2;  // a file cannot be read or parsed, or bad usage

// Runs `dra` with `args` (args[0] is the program name). Output goes to `out`, diagnostics to
// `err`; "-" inputs read `in`. Returns the process exit code.
int RunMain(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
            std::ostream& err);

}  // namespace dra::cli

#endif  // DRA_CLI_COMMANDS_H_
