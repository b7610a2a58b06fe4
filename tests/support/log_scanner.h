// The personal-data scan of server logs: Social Work England numbers, full UK postcodes, child
// profile fields and the free text the tests send (sensitive_text.h) must never be in a log line.
#ifndef SLIHUB_TESTS_SUPPORT_LOG_SCANNER_H_
#define SLIHUB_TESTS_SUPPORT_LOG_SCANNER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace slihub::testing {

// What personal data `line` holds ("SWE number SW6001", "postcode CB2 1TN", ...), or nullopt
// when it holds none. Thread-safe.
std::optional<std::string> PersonalDataIn(absl::string_view line);

// One log line that holds personal data.
struct LogFinding {
  std::string file;
  int line = 0;
  std::string what;  // as PersonalDataIn says
};

// Scans every regular file under `dir` (recursively), line by line. Counts the files and lines
// read into `files` and `lines` when given.
std::vector<LogFinding> ScanLogDir(const std::string& dir, int* files = nullptr,
                                   long* lines = nullptr);

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_SUPPORT_LOG_SCANNER_H_
