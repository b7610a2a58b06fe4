// libFuzzer target: the workforce HR history CSV import on arbitrary bytes: the CLI's reader
// (tools/cli/employment_csv.h) turns rows into employment periods, and every period it reads is
// then validated as BatchRecordEmploymentPeriods validates it on the server (ReadPeriod).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_support.h"
#include "services/workforce/adapter/convert.h"
#include "tools/cli/employment_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto rows = slihub::cli::ParseEmploymentCsv(text);
  if (!rows.ok()) {
    if (rows.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  for (const slihub::cli::ImportRow& row : *rows) {
    if (row.line < 2) std::abort();  // the header is line 1 at least
    if (!row.error.empty()) continue;
    std::vector<slihub::FieldViolation> violations;
    slihub::workforce::ReadPeriod(row.period, slihub::fuzz::Refdata(), &violations);
    for (const slihub::FieldViolation& v : violations) {
      if (v.field.empty() || v.description.empty()) std::abort();
    }
  }
  return 0;
}
