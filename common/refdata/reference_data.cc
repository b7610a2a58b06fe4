#include "common/refdata/reference_data.h"

#include <algorithm>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/csv.h"

namespace slihub {
namespace {

enum Column {
  kLaCode,
  kName,
  kOnsCode,
  kRegion,
  kRegionName,
  kRegionOnsCode,
  kLaType,
  kPopulation,
  kNeighbours,
  kColumnCount
};
constexpr const char* kColumnNames[kColumnCount] = {
    "la_code", "name",    "ons_code",        "region", "region_name", "region_ons_code",
    "la_type", "population_0_25", "statistical_neighbours"};

absl::Status BadValue(int line, Column column, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("reference data line ", line, ", column ",
                                                 kColumnNames[column], ": ", why));
}

}  // namespace

bool IsLaCodeSyntax(absl::string_view text) {
  return text.size() == 3 && absl::ascii_isdigit(static_cast<unsigned char>(text[0])) &&
         absl::ascii_isdigit(static_cast<unsigned char>(text[1])) &&
         absl::ascii_isdigit(static_cast<unsigned char>(text[2]));
}

absl::StatusOr<std::unique_ptr<ReferenceData>> ReferenceData::LoadFromFile(
    const std::string& path) {
  auto records = ReadCsvFile(path);
  if (!records.ok()) return records.status();
  return FromRecords(*records);
}

absl::StatusOr<std::unique_ptr<ReferenceData>> ReferenceData::LoadFromText(
    absl::string_view text) {
  auto records = ParseCsv(text);
  if (!records.ok()) return records.status();
  return FromRecords(*records);
}

absl::StatusOr<std::unique_ptr<ReferenceData>> ReferenceData::FromRecords(
    const std::vector<CsvRecord>& records) {
  if (records.empty()) return absl::InvalidArgumentError("reference data is empty");
  const CsvRecord& header = records.front();
  if (header.fields.size() != kColumnCount) {
    return absl::InvalidArgumentError(
        absl::StrCat("reference data header has ", header.fields.size(), " columns, expected ",
                     kColumnCount));
  }
  for (int c = 0; c < kColumnCount; ++c) {
    if (header.fields[c] != kColumnNames[c]) {
      return BadValue(header.line, static_cast<Column>(c),
                      absl::StrCat("header is '", header.fields[c], "'"));
    }
  }

  std::unique_ptr<ReferenceData> data(new ReferenceData());
  std::map<std::string, RegionRecord> regions;
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    const auto& f = rec.fields;
    if (f.size() != kColumnCount) {
      return absl::InvalidArgumentError(absl::StrCat("reference data line ", rec.line, " has ",
                                                     f.size(), " columns, expected ",
                                                     kColumnCount));
    }
    LocalAuthorityRecord la;
    la.la_code = f[kLaCode];
    if (!IsLaCodeSyntax(la.la_code)) return BadValue(rec.line, kLaCode, "not three digits");
    if (data->la_index_.contains(la.la_code)) return BadValue(rec.line, kLaCode, "duplicate");
    la.name = f[kName];
    if (la.name.empty()) return BadValue(rec.line, kName, "empty");
    la.ons_code = f[kOnsCode];
    if (la.ons_code.size() != 9 || la.ons_code[0] != 'E') {
      return BadValue(rec.line, kOnsCode, "not an English ONS code");
    }
    la.region_code = f[kRegion];
    if (la.region_code.empty()) return BadValue(rec.line, kRegion, "empty");
    la.la_type = f[kLaType];
    if (!f[kPopulation].empty() &&
        (!absl::SimpleAtoi(f[kPopulation], &la.population_0_25) || la.population_0_25 < 0)) {
      return BadValue(rec.line, kPopulation, "not a whole number");
    }
    for (absl::string_view n : absl::StrSplit(f[kNeighbours], ';', absl::SkipEmpty())) {
      if (!IsLaCodeSyntax(n)) return BadValue(rec.line, kNeighbours, "not three digits");
      la.statistical_neighbours.emplace_back(n);
    }

    RegionRecord& region = regions[la.region_code];
    if (region.code.empty()) {
      region.code = la.region_code;
      region.name = f[kRegionName];
      region.ons_code = f[kRegionOnsCode];
    } else if (region.name != f[kRegionName] || region.ons_code != f[kRegionOnsCode]) {
      return BadValue(rec.line, kRegionName, "disagrees with an earlier row of the region");
    }
    region.la_codes.push_back(la.la_code);
    data->la_index_[la.la_code] = data->las_.size();
    data->las_.push_back(std::move(la));
  }

  for (const LocalAuthorityRecord& la : data->las_) {
    for (const std::string& n : la.statistical_neighbours) {
      if (!data->la_index_.contains(n)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "reference data: LA ", la.la_code, " names unknown statistical neighbour ", n));
      }
    }
  }
  std::sort(data->las_.begin(), data->las_.end(),
            [](const auto& a, const auto& b) { return a.la_code < b.la_code; });
  data->la_index_.clear();
  for (size_t i = 0; i < data->las_.size(); ++i) data->la_index_[data->las_[i].la_code] = i;
  for (auto& [code, region] : regions) {
    std::sort(region.la_codes.begin(), region.la_codes.end());
    data->region_index_[code] = data->regions_.size();
    data->regions_.push_back(std::move(region));
  }
  return data;
}

const LocalAuthorityRecord* ReferenceData::FindLocalAuthority(absl::string_view la_code) const {
  auto it = la_index_.find(la_code);
  return it == la_index_.end() ? nullptr : &las_[it->second];
}

const RegionRecord* ReferenceData::FindRegion(absl::string_view code) const {
  auto it = region_index_.find(code);
  return it == region_index_.end() ? nullptr : &regions_[it->second];
}

}  // namespace slihub
