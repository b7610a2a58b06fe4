// Runs the real `slihub` CLI binary from an integration test.
#ifndef SLIHUB_TESTS_INTEGRATION_CLI_RUNNER_H_
#define SLIHUB_TESTS_INTEGRATION_CLI_RUNNER_H_

#include <map>
#include <string>
#include <vector>

namespace slihub::testing {

// What one run of the CLI printed and returned.
struct CliResult {
  int exit_code = -1;  // -1 when it could not start, was killed, or ran past 30 s
  std::string out;
  std::string err;
};

// Runs build/tools/cli/slihub with `args` and SLIHUB_CA_CERT set to the shared test CA,
// capturing its output in files under `output_dir`.
// Thread-compatible; blocks until the CLI exits (at most 30 s).
CliResult RunCli(const std::string& output_dir, const std::vector<std::string>& args);

// As above, with `env` added to (and overriding) the test's environment.
CliResult RunCli(const std::string& output_dir, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env);

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_INTEGRATION_CLI_RUNNER_H_
