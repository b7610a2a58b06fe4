// `slihub placement ...`: the placement service's commands for people and scripts.
#include "tools/cli/commands.h"

namespace slihub::cli {

void AddPlacementCommands(CLI::App& group, int* exit_code) {
  (void)group;
  (void)exit_code;
}

}  // namespace slihub::cli
