// `slihub workforce ...`: the workforce service's commands for people and scripts.
#include "tools/cli/commands.h"

namespace slihub::cli {

void AddWorkforceCommands(CLI::App& group, int* exit_code) {
  (void)group;
  (void)exit_code;
}

}  // namespace slihub::cli
