// Where the integration tests keep the logs of the servers they ran, for the personal-data log
// scan (tests/integration/log_scan.cc): SLIHUB_TEST_LOG_DIR/<test binary>/<pid>-<n>-<name>.log.
#ifndef SLIHUB_TESTS_SUPPORT_TEST_LOGS_H_
#define SLIHUB_TESTS_SUPPORT_TEST_LOGS_H_

#include <string>

namespace slihub::testing {

// This test binary's log directory, emptied (of this binary's files only) and created the first
// time this process asks. Thread-safe.
std::string TestLogDir();

// Appends the file at `path` (a server's captured stderr or stdout) to TestLogDir() as
// "<pid>-<n>-<name>.log". A missing or empty file is skipped. Thread-safe.
void KeepTestLog(const std::string& path, const std::string& name);

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_SUPPORT_TEST_LOGS_H_
