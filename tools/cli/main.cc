// slihub: one CLI for people and scripts. Tables for people, --json for scripts; exit status
// 0 on success, 1 when a call fails or a check does not pass, 2 on a usage error.
#include <iostream>

#include "CLI/CLI.hpp"
#include "tools/cli/client_options.h"
#include "tools/cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app("slihub: the regional children's-services hub CLI", "slihub");
  app.require_subcommand(1);
  int exit_code = slihub::cli::kExitOk;
  slihub::cli::AddTokenCommands(app, &exit_code);
  slihub::cli::AddServerCommands(app, &exit_code);
  slihub::cli::AddAuditCommands(app, &exit_code);
  slihub::cli::AddWorkforceCommands(
      *slihub::cli::AddServiceGroup(app, "workforce", "workforce", &exit_code), &exit_code);
  slihub::cli::AddPlacementCommands(
      *slihub::cli::AddServiceGroup(app, "placement", "placement", &exit_code), &exit_code);
  slihub::cli::AddDataCommands(
      *slihub::cli::AddServiceGroup(app, "data", "datacollection", &exit_code), &exit_code);
  slihub::cli::AddPeerCommands(
      *slihub::cli::AddServiceGroup(app, "peer", "peerreview", &exit_code), &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : slihub::cli::kExitUsage;
  }
  return exit_code;
}
