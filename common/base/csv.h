// RFC 4180 CSV parsing with line numbers, for reference data and bulk imports.
#ifndef SLIHUB_COMMON_BASE_CSV_H_
#define SLIHUB_COMMON_BASE_CSV_H_

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"

namespace slihub {

// One CSV record and the 1-based line on which it starts.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

// Parses `text`: comma-separated fields, optional double quotes with "" as an escaped quote,
// quoted fields may span lines, CRLF or LF line ends, a UTF-8 byte-order mark is skipped and
// blank lines are dropped. Returns InvalidArgument with the line for an unterminated quote or
// a stray quote inside an unquoted field.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text);

// Reads the file at `path` and parses it as ParseCsv does. NotFound when the file is missing.
absl::StatusOr<std::vector<CsvRecord>> ReadCsvFile(const std::string& path);

}  // namespace slihub

#endif  // SLIHUB_COMMON_BASE_CSV_H_
