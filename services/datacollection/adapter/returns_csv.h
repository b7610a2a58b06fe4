// The returns CSV of ImportReturnsCsv read before the store is touched: the file's size, UTF-8,
// RFC 4180 and header checks, and each row's own columns. Pure functions; thread-compatible.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_RETURNS_CSV_H_
#define SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_RETURNS_CSV_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/base/csv.h"
#include "common/errors/errors.h"
#include "services/datacollection/domain/indicator.h"

namespace slihub::datacollection {

inline constexpr size_t kMaxReturnsCsvBytes = 4u << 20;

// A parsed returns file: records[0] is the header row.
struct ReturnsCsv {
  std::vector<CsvRecord> records;
  std::map<std::string, size_t> columns;  // lower-cased, stripped header name -> field index

  // The stripped value of column `name` in records[row], or "" when it has none.
  std::string Get(size_t row, const char* name) const;
};

// Reads `csv`: at most kMaxReturnsCsvBytes, UTF-8, RFC 4180, a header naming la_code, period_id
// (unless `period_given`), indicator_id and value. Adds violations on "csv" to `violations` (the
// records are then not to be used).
ReturnsCsv ReadReturnsCsv(absl::string_view csv, bool period_given, FieldViolations* violations);

// One good row's figure.
struct CsvFigure {
  int64_t line = 0;
  Dimension dimension = Dimension::kTotal;
  std::string category;
  Observation observation;
};

// Why a row was refused: the column (may be empty) and the message.
struct CsvRowProblem {
  std::string column;
  std::string message;
};

// Reads row `row`'s breakdown, state, value, numerator, denominator, note and category into
// `out`, or returns the first bad column.
std::optional<CsvRowProblem> ReadReturnsCsvFigure(const ReturnsCsv& csv, size_t row,
                                                  CsvFigure* out);

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_RETURNS_CSV_H_
