#include "common/store/result_set.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

namespace slihub::store {
namespace {

const std::string& EmptyString() {
  static const std::string* const kEmpty = new std::string();
  return *kEmpty;
}

[[noreturn]] void Die(const char* what, std::string_view detail) {
  std::fprintf(stderr, "slihub::store: %s: %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

}  // namespace

Row::Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
    : columns_(std::move(columns)), values_(std::move(values)) {}

const Value& Row::value(size_t i) const {
  if (i >= values_.size()) {
    Die("column index out of range", std::to_string(i) + " of " + std::to_string(size()));
  }
  return values_[i];
}

bool Row::IsNull(size_t i) const { return store::IsNull(value(i)); }

int64_t Row::GetInt64(size_t i) const {
  const Value& v = value(i);
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  return 0;
}

double Row::GetDouble(size_t i) const {
  const Value& v = value(i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  return 0.0;
}

const std::string& Row::GetText(size_t i) const {
  const Value& v = value(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* b = std::get_if<Blob>(&v)) return b->bytes;
  return EmptyString();
}

const std::string& Row::GetBlob(size_t i) const {
  const Value& v = value(i);
  if (const auto* b = std::get_if<Blob>(&v)) return b->bytes;
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return EmptyString();
}

size_t Row::IndexOf(std::string_view column) const {
  for (size_t i = 0; i < columns_->size(); ++i) {
    if ((*columns_)[i] == column) return i;
  }
  Die("no such column in result", column);
}

ResultSet::ResultSet() : ResultSet(std::vector<std::string>()) {}

ResultSet::ResultSet(std::vector<std::string> columns)
    : columns_(std::make_shared<const std::vector<std::string>>(std::move(columns))) {}

std::optional<size_t> ResultSet::ColumnIndex(std::string_view column) const {
  for (size_t i = 0; i < columns_->size(); ++i) {
    if ((*columns_)[i] == column) return i;
  }
  return std::nullopt;
}

void ResultSet::AddRow(std::vector<Value> values) {
  if (values.size() != columns_->size()) {
    Die("row width differs from column count",
        std::to_string(values.size()) + " != " + std::to_string(columns_->size()));
  }
  rows_.emplace_back(columns_, std::move(values));
}

}  // namespace slihub::store
