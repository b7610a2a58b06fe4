#include "tests/integration/cli_runner.h"

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_pki.h"

namespace slihub::testing {

CliResult RunCli(const std::string& output_dir, const std::vector<std::string>& args) {
  return RunCli(output_dir, args, {});
}

CliResult RunCli(const std::string& output_dir, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env) {
  static std::atomic<int> runs{0};  // output files are appended to: one pair per run
  std::vector<std::string> argv = {std::string(SLIHUB_BINARY_DIR) + "/tools/cli/slihub"};
  argv.insert(argv.end(), args.begin(), args.end());
  Subprocess cli;
  CliResult result;
  // The CLI trusts the harness's test CA (servers run TLS by default); a test of a plaintext
  // server passes SLIHUB_CA_CERT="".
  std::map<std::string, std::string> full_env = {{"SLIHUB_CA_CERT", SharedTestPki().ca_cert()}};
  for (const auto& [name, value] : env) full_env[name] = value;
  const absl::Status started = cli.Start(argv, full_env, output_dir, absl::StrCat("cli-", ++runs));
  if (!started.ok()) {
    result.err = started.ToString();
    return result;
  }
  auto exit = cli.WaitForExit(absl::Seconds(30));
  if (!exit.has_value() || exit->signaled) return result;
  result.exit_code = exit->exit_code;
  result.out = cli.ReadStdout();
  result.err = cli.ReadStderr();
  return result;
}

}  // namespace slihub::testing
