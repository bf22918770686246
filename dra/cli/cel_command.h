// `dra cel eval`: evaluate CEL expressions in the DRA selector environment, for users debugging
// selectors and for conformance harnesses.
//
// Thread-compatible: one call at a time per set of streams.
#ifndef DRA_CLI_CEL_COMMAND_H_
#define DRA_CLI_CEL_COMMAND_H_

#include <iosfwd>
#include <string>

namespace dra::cli {

struct CelEvalArgs {
  std::string expression;       // evaluate this one expression, or
  std::string cases_file;       // every case of a file in the k8s-libraries.yaml format
  std::string device_file;      // YAML/JSON device in the k8s-libraries.yaml `device` form
  bool selector = false;        // evaluate as a DRA selector (the result must be a bool)
  std::string output = "text";  // text | jsonl
};

// Returns the exit code: 0 evaluated (a CEL error value still exits 0 in jsonl mode, and 1 in
// text mode), 2 bad input.
int RunCelEval(const CelEvalArgs& args, std::ostream& out, std::ostream& err);

}  // namespace dra::cli

#endif  // DRA_CLI_CEL_COMMAND_H_
