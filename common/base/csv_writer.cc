#include "common/base/csv_writer.h"

#include <utility>

namespace slihub {
namespace {

bool IsPlainNumber(absl::string_view v) {
  size_t i = 0;
  if (i < v.size() && (v[i] == '-' || v[i] == '+')) ++i;
  const size_t digits_from = i;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
  if (i == digits_from) return false;
  if (i < v.size() && v[i] == '.') {
    ++i;
    const size_t fraction_from = i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
    if (i == fraction_from) return false;
  }
  return i == v.size();
}

bool IsFormulaTrigger(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

}  // namespace

std::string CsvCell(absl::string_view value) {
  std::string cell;
  if (!value.empty() && IsFormulaTrigger(value.front()) && !IsPlainNumber(value)) {
    cell.push_back('\'');
  }
  cell.append(value.data(), value.size());
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

void CsvWriter::AddRow(std::initializer_list<absl::string_view> cells) {
  for (absl::string_view c : cells) Cell(c);
  EndRow();
}

CsvWriter& CsvWriter::Cell(absl::string_view value) {
  if (row_open_) out_.push_back(',');
  out_.append(CsvCell(value));
  row_open_ = true;
  return *this;
}

void CsvWriter::EndRow() {
  out_.append("\r\n");
  row_open_ = false;
}

}  // namespace slihub
