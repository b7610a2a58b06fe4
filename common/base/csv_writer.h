// Writing CSV as every slihub export does: RFC 4180 quoting, CRLF line ends, and cells that a
// spreadsheet would run as a formula neutralised (OWASP "CSV injection").
#ifndef SLIHUB_COMMON_BASE_CSV_WRITER_H_
#define SLIHUB_COMMON_BASE_CSV_WRITER_H_

#include <initializer_list>
#include <string>

#include "absl/strings/string_view.h"

namespace slihub {

// One cell as written: a cell that begins with '=', '+', '-', '@', tab or carriage return gets a
// leading apostrophe so that no spreadsheet evaluates it, unless the whole cell is a plain
// decimal number ("-12", "-0.5"), which is safe and must stay a number. The result is quoted
// (with doubled quotes) when it contains a comma, a quote, CR or LF.
std::string CsvCell(absl::string_view value);

// Builds a CSV document row by row. Thread-compatible.
class CsvWriter {
 public:
  // Appends one row of cells, each written with CsvCell, ended by CRLF.
  void AddRow(std::initializer_list<absl::string_view> cells);

  // Starts a row cell by cell: Cell() appends one cell, EndRow() ends the row.
  CsvWriter& Cell(absl::string_view value);
  void EndRow();

  // The document so far.
  const std::string& str() const { return out_; }
  std::string Release() { return std::move(out_); }

 private:
  std::string out_;
  bool row_open_ = false;
};

}  // namespace slihub

#endif  // SLIHUB_COMMON_BASE_CSV_WRITER_H_
