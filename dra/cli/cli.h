// Entry header of the cli layer: the `dra` command line (see README.md).
#ifndef DRA_CLI_CLI_H_
#define DRA_CLI_CLI_H_

#include "dra/cli/commands.h"
#include "dra/cli/input.h"

#endif  // DRA_CLI_CLI_H_
