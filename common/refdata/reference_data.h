// The English local authorities and regions, loaded from a CSV data file (never from code).
#ifndef SLIHUB_COMMON_REFDATA_REFERENCE_DATA_H_
#define SLIHUB_COMMON_REFDATA_REFERENCE_DATA_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace slihub {

struct CsvRecord;

// One local authority with children's services duties.
struct LocalAuthorityRecord {
  std::string la_code;  // DfE three-digit code, the key every other record uses
  std::string name;
  std::string ons_code;
  std::string region_code;  // NE, NW, YH, EM, WM, EE, LDN, SE, SW
  std::string la_type;
  int64_t population_0_25 = 0;  // 0 when not known
  std::vector<std::string> statistical_neighbours;  // nearest first
};

// One region and its member LAs (in LA code order).
struct RegionRecord {
  std::string code;
  std::string name;
  std::string ons_code;
  std::vector<std::string> la_codes;
};

// True when `text` has the shape of a DfE LA code: exactly three ASCII digits.
bool IsLaCodeSyntax(absl::string_view text);

// Immutable reference data. Thread-safe (read-only after loading).
class ReferenceData {
 public:
  // Loads the CSV at `path` (columns as in deploy/reference/README.md). Returns
  // InvalidArgument naming the line and column of the first bad value, NotFound if missing.
  static absl::StatusOr<std::unique_ptr<ReferenceData>> LoadFromFile(const std::string& path);
  // As LoadFromFile, from CSV text.
  static absl::StatusOr<std::unique_ptr<ReferenceData>> LoadFromText(absl::string_view text);

  // The LA with `la_code`, or nullptr. The pointer lives as long as this object.
  const LocalAuthorityRecord* FindLocalAuthority(absl::string_view la_code) const;
  // The region with `code`, or nullptr.
  const RegionRecord* FindRegion(absl::string_view code) const;
  // Every LA, in LA code order.
  const std::vector<LocalAuthorityRecord>& local_authorities() const { return las_; }
  // Every region, in region code order.
  const std::vector<RegionRecord>& regions() const { return regions_; }

 private:
  ReferenceData() = default;
  static absl::StatusOr<std::unique_ptr<ReferenceData>> FromRecords(
      const std::vector<CsvRecord>& records);
  std::vector<LocalAuthorityRecord> las_;
  std::vector<RegionRecord> regions_;
  absl::flat_hash_map<std::string, size_t> la_index_;
  absl::flat_hash_map<std::string, size_t> region_index_;
};

}  // namespace slihub

#endif  // SLIHUB_COMMON_REFDATA_REFERENCE_DATA_H_
