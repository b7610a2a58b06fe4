// The centroid of every GB postcode district (outward code), from the reference data file
// deploy/reference/postcode_districts.csv (ONS Postcode Directory): how a location given only as
// a district gets the coordinates that distances are measured from.
#ifndef SLIHUB_SERVICES_PLACEMENT_DOMAIN_POSTCODE_DISTRICTS_H_
#define SLIHUB_SERVICES_PLACEMENT_DOMAIN_POSTCODE_DISTRICTS_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/placement/domain/model.h"

namespace slihub::placement {

// An immutable district -> centroid table. Thread-safe (read-only after loading).
class PostcodeDistricts {
 public:
  // Parses the CSV text (header district,latitude,longitude,... ; districts upper case, unique,
  // coordinates a real WGS84 point). InvalidArgument naming the line of the first bad row.
  static absl::StatusOr<std::unique_ptr<const PostcodeDistricts>> Parse(absl::string_view text);
  // Reads and parses the file at `path`; NotFound when it is missing.
  static absl::StatusOr<std::unique_ptr<const PostcodeDistricts>> LoadFromFile(
      const std::string& path);
  // The table from the given rows, unchecked (tests and tools).
  static std::unique_ptr<const PostcodeDistricts> FromRows(
      absl::flat_hash_map<std::string, GeoPoint> rows);

  // The centroid of `district` (upper-case outward code), or nullptr when no district has it.
  const GeoPoint* Find(absl::string_view district) const;
  // How many districts the table holds.
  size_t size() const { return centroids_.size(); }

 private:
  absl::flat_hash_map<std::string, GeoPoint> centroids_;
};

// The file name of the districts table; the service reads it beside --reference-data.
inline constexpr char kPostcodeDistrictsFile[] = "postcode_districts.csv";

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_DOMAIN_POSTCODE_DISTRICTS_H_
