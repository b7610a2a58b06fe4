// libFuzzer target: ParseCsv (common/base/csv.h) on arbitrary bytes. A parse either fails with
// InvalidArgument or gives records whose lines rise and whose fields all came from the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "common/base/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto records = slihub::ParseCsv(text);
  if (!records.ok()) {
    if (records.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  int previous_line = 0;
  size_t field_bytes = 0;
  for (const slihub::CsvRecord& record : *records) {
    if (record.line <= previous_line) std::abort();  // lines rise
    previous_line = record.line;
    for (const std::string& field : record.fields) field_bytes += field.size();
  }
  if (field_bytes > size) std::abort();  // fields never hold more than the input
  return 0;
}
