// integration_log_scan: after every integration test (ctest fixture integration_logs), reads every
// server log the tests kept under SLIHUB_TEST_LOG_DIR (tests/support/test_logs.h) and fails on any
// line holding personal data (tests/support/log_scanner.h), naming the file, line and kind; it
// also fails when there are no logs to read, so a broken keeper cannot pass it.
#include <iostream>

#include "tests/support/log_scanner.h"

int main() {
  int files = 0;
  long lines = 0;
  const std::vector<slihub::testing::LogFinding> findings =
      slihub::testing::ScanLogDir(SLIHUB_TEST_LOG_DIR, &files, &lines);
  for (const slihub::testing::LogFinding& f : findings) {
    std::cerr << f.file << ":" << f.line << ": " << f.what << "\n";
  }
  std::cout << "log scan: " << files << " server logs, " << lines << " lines, " << findings.size()
            << " with personal data\n";
  if (files == 0) {
    std::cerr << "no server logs under " << SLIHUB_TEST_LOG_DIR << ": run the integration tests\n";
    return 1;
  }
  return findings.empty() ? 0 : 1;
}
