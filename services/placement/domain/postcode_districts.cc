#include "services/placement/domain/postcode_districts.h"

#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/csv.h"
#include "services/placement/domain/geo.h"

namespace slihub::placement {
namespace {

absl::Status BadRow(int line, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", what));
}

absl::StatusOr<std::unique_ptr<const PostcodeDistricts>> FromRecords(
    const std::vector<CsvRecord>& records) {
  if (records.empty() || records[0].fields.size() < 3 || records[0].fields[0] != "district" ||
      records[0].fields[1] != "latitude" || records[0].fields[2] != "longitude") {
    return absl::InvalidArgumentError("line 1: the header must begin district,latitude,longitude");
  }
  absl::flat_hash_map<std::string, GeoPoint> rows;
  for (size_t i = 1; i < records.size(); ++i) {
    const CsvRecord& r = records[i];
    if (r.fields.size() != records[0].fields.size()) return BadRow(r.line, "wrong column count");
    const std::string& district = r.fields[0];
    if (district.empty() || district.size() > 4 || absl::AsciiStrToUpper(district) != district) {
      return BadRow(r.line, "the district must be an upper-case outward code");
    }
    GeoPoint p;
    if (!absl::SimpleAtod(r.fields[1], &p.latitude) ||
        !absl::SimpleAtod(r.fields[2], &p.longitude) || !IsValidGeoPoint(p)) {
      return BadRow(r.line, "latitude and longitude must be a WGS84 point");
    }
    if (!rows.emplace(district, p).second) {
      return BadRow(r.line, absl::StrCat("district ", district, " is listed twice"));
    }
  }
  if (rows.empty()) return absl::InvalidArgumentError("no districts");
  return PostcodeDistricts::FromRows(std::move(rows));
}

}  // namespace

absl::StatusOr<std::unique_ptr<const PostcodeDistricts>> PostcodeDistricts::Parse(
    absl::string_view text) {
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(text);
  if (!records.ok()) return records.status();
  return FromRecords(*records);
}

absl::StatusOr<std::unique_ptr<const PostcodeDistricts>> PostcodeDistricts::LoadFromFile(
    const std::string& path) {
  absl::StatusOr<std::vector<CsvRecord>> records = ReadCsvFile(path);
  if (!records.ok()) return records.status();
  absl::StatusOr<std::unique_ptr<const PostcodeDistricts>> table = FromRecords(*records);
  if (!table.ok()) {
    return absl::Status(table.status().code(), absl::StrCat(path, ": ", table.status().message()));
  }
  return table;
}

std::unique_ptr<const PostcodeDistricts> PostcodeDistricts::FromRows(
    absl::flat_hash_map<std::string, GeoPoint> rows) {
  auto table = std::unique_ptr<PostcodeDistricts>(new PostcodeDistricts());
  table->centroids_ = std::move(rows);
  return table;
}

const GeoPoint* PostcodeDistricts::Find(absl::string_view district) const {
  auto it = centroids_.find(district);
  return it == centroids_.end() ? nullptr : &it->second;
}

}  // namespace slihub::placement
