// The quarterly return as CSV (GenerateQuarterlyReturn with include_csv), written with the one
// CSV writer (common/base/csv_writer.h): RFC 4180, CRLF, formula cells neutralised.
#ifndef SLIHUB_SERVICES_WORKFORCE_ADAPTER_RETURN_CSV_H_
#define SLIHUB_SERVICES_WORKFORCE_ADAPTER_RETURN_CSV_H_

#include <string>

#include "slihub/workforce/v1/quarterly_return.pb.h"

namespace slihub::workforce {

// One row per assignment of `r`, after a header row.
std::string AssignmentsCsv(const v1::QuarterlyReturn& r);

// `r`'s summary as (la_code, year, quarter, section, name, metric, value) rows, after a header.
std::string SummaryCsv(const v1::QuarterlyReturn& r);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_ADAPTER_RETURN_CSV_H_
