// The `slihub` CLI's command groups. Each Add* registers subcommands on `app`; the chosen
// command's callback stores the process exit code in `*exit_code`.
#ifndef SLIHUB_TOOLS_CLI_COMMANDS_H_
#define SLIHUB_TOOLS_CLI_COMMANDS_H_

#include <string>

#include "CLI/CLI.hpp"

namespace slihub::cli {

// `slihub token create|list|revoke`: administration of a hub's identity database (local file).
void AddTokenCommands(CLI::App& app, int* exit_code);

// `slihub health|whoami|echo|status` against any server, and `slihub ref ...` lookups.
void AddServerCommands(CLI::App& app, int* exit_code);

// `slihub <group> health|status` for one service: groups workforce, placement, data, peer.
// Returns the group, for the service's own commands.
CLI::App* AddServiceGroup(CLI::App& app, const std::string& group, const std::string& service,
                          int* exit_code);

// `slihub workforce check|import` on the `workforce` group.
void AddWorkforceCommands(CLI::App& group, int* exit_code);

// `slihub placement referral create|match|hold|confirm|release|uasc` on the `placement` group.
void AddPlacementCommands(CLI::App& group, int* exit_code);

// `slihub data rug|status|submit` on the `data` group (`returns` is an alias of `status`).
void AddDataCommands(CLI::App& group, int* exit_code);

// `slihub peer groups propose|summary` on the `peer` group.
void AddPeerCommands(CLI::App& group, int* exit_code);

// `slihub audit list|verify`: a server's audit trail (online), or its audit trail file (offline).
void AddAuditCommands(CLI::App& app, int* exit_code);

}  // namespace slihub::cli

#endif  // SLIHUB_TOOLS_CLI_COMMANDS_H_
