// The HR history (employment periods) CSV export that `slihub workforce import` reads: one
// period per row, columns found by header name. Pure parsing, no I/O; thread-compatible.
#ifndef SLIHUB_TOOLS_CLI_EMPLOYMENT_CSV_H_
#define SLIHUB_TOOLS_CLI_EMPLOYMENT_CSV_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "slihub/common/v1/types.pb.h"
#include "slihub/workforce/v1/workforce_service.pb.h"

namespace slihub::cli {

// Parses an enum value named as in the proto without its prefix, in any case, with '-' or ' '
// for '_' ("social-worker" for JOB_TYPE_SOCIAL_WORKER). False when unknown or unspecified.
template <typename E, typename Parse>
bool ParseEnumName(const std::string& text, const std::string& prefix, Parse parse, E* out) {
  std::string name = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  for (char& ch : name) {
    if (ch == '-' || ch == ' ') ch = '_';
  }
  return !name.empty() && parse(prefix + name, out) && static_cast<int>(*out) != 0;
}

// A date as YYYY-MM-DD or, as UK HR systems write it, DD/MM/YYYY; nullopt otherwise.
std::optional<slihub::common::v1::CivilDate> ParseDate(const std::string& text);

// "yes"/"no", "true"/"false", "y"/"n", "1"/"0"; empty is no; nullopt otherwise.
std::optional<bool> ParseYesNo(const std::string& text);

// One CSV row read as a period, or why it could not be.
struct ImportRow {
  int line = 0;
  slihub::workforce::v1::EmploymentPeriod period;
  std::string error;  // "column: why" when the row was not read, else empty
};

// Reads an HR export: a header row naming at least record_id, swe_number, la_code,
// employment_type and start_date (any case; spaces or '-' for '_'), then one period per row.
// InvalidArgument for text that is not CSV, an empty file or a missing column; a bad row is
// returned with its error, not refused.
absl::StatusOr<std::vector<ImportRow>> ParseEmploymentCsv(absl::string_view text);

}  // namespace slihub::cli

#endif  // SLIHUB_TOOLS_CLI_EMPLOYMENT_CSV_H_
