// The rows a query returns, fully materialised, with typed access by index or column name.
#ifndef SLIHUB_COMMON_STORE_RESULT_SET_H_
#define SLIHUB_COMMON_STORE_RESULT_SET_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/store/value.h"

namespace slihub::store {

// One result row. Owns its values and shares its column names with its ResultSet, so it stays
// valid when copied out. Thread-compatible.
//
// Typed getters convert only between close types: NULL gives 0, 0.0 or "", an integer reads as
// a double and a double as an integer (truncated toward zero), TEXT and BLOB read as each other;
// any other mismatch gives the zero value. Use value() to see the exact stored type. An index
// out of range or an unknown column name is a programming error and aborts the process with a
// message naming the column.
class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values);

  size_t size() const { return values_.size(); }
  const std::vector<std::string>& columns() const { return *columns_; }

  const Value& value(size_t i) const;
  bool IsNull(size_t i) const;
  int64_t GetInt64(size_t i) const;
  double GetDouble(size_t i) const;
  const std::string& GetText(size_t i) const;
  const std::string& GetBlob(size_t i) const;

  const Value& value(std::string_view column) const { return value(IndexOf(column)); }
  bool IsNull(std::string_view column) const { return IsNull(IndexOf(column)); }
  int64_t GetInt64(std::string_view column) const { return GetInt64(IndexOf(column)); }
  double GetDouble(std::string_view column) const { return GetDouble(IndexOf(column)); }
  const std::string& GetText(std::string_view column) const { return GetText(IndexOf(column)); }
  const std::string& GetBlob(std::string_view column) const { return GetBlob(IndexOf(column)); }

 private:
  size_t IndexOf(std::string_view column) const;

  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> values_;
};

// The column names and rows of one query, in the order the database returned them.
// Thread-compatible; built by store backends with AddRow.
class ResultSet {
 public:
  ResultSet();
  explicit ResultSet(std::vector<std::string> columns);

  const std::vector<std::string>& columns() const { return *columns_; }
  const std::vector<Row>& rows() const { return rows_; }
  size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  const Row& operator[](size_t i) const { return rows_[i]; }
  std::vector<Row>::const_iterator begin() const { return rows_.begin(); }
  std::vector<Row>::const_iterator end() const { return rows_.end(); }

  // The index of `column`, or nullopt when the result has no such column.
  std::optional<size_t> ColumnIndex(std::string_view column) const;

  // Appends a row; `values` must have one value per column (aborts otherwise).
  void AddRow(std::vector<Value> values);

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Row> rows_;
};

}  // namespace slihub::store

#endif  // SLIHUB_COMMON_STORE_RESULT_SET_H_
