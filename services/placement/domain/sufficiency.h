// Sufficiency figures: open vacancies by type and grade, open referrals, distance from home of
// confirmed placements and time to confirmation, per LA and per region. Pure aggregation.
#ifndef SLIHUB_SERVICES_PLACEMENT_DOMAIN_SUFFICIENCY_H_
#define SLIHUB_SERVICES_PLACEMENT_DOMAIN_SUFFICIENCY_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "services/placement/domain/model.h"

namespace slihub::placement {

// One open vacancy as sufficiency counts it. Plain data.
struct VacancyStock {
  std::string host_la;
  std::string region;
  PlacementType placement_type = PlacementType::kUnspecified;
  OfstedGrade grade = OfstedGrade::kUnspecified;
  int beds_free = 0;
  bool stale = false;
};

// One placement confirmed in the period. Plain data.
struct PlacementFlow {
  std::string la_code;  // the placing LA
  std::optional<double> distance_miles;
  absl::Duration time_to_confirmation;  // referral creation to confirmation
  bool outside_region = false;  // in another region's setting (confirmed through its hub)
};

// The top-ranked match of one referral made in the period, as recorded when it was matched.
// Plain data.
struct TopMatchFlow {
  std::string la_code;  // the referring LA
  std::optional<double> distance_miles;
};

// Open vacancies of one type and grade in an area.
struct VacancyTally {
  int vacancies = 0;
  int beds_free = 0;
  int stale = 0;
};

// Distances of a set of children from home.
struct DistanceSummary {
  int count = 0;
  int distance_unknown = 0;
  double median_miles = 0;        // over known distances; 0 when none
  int share_within_bp = 0;        // known distances <= threshold, in basis points, rounded half up
  double threshold_miles = 20;
};

// The figures of one LA (la_code set) or one region (la_code empty).
struct AreaFigures {
  std::string la_code;
  std::string region;
  std::map<std::pair<int, int>, VacancyTally> vacancies;  // by (placement type, grade)
  int open_vacancies = 0;
  int open_referrals = 0;
  DistanceSummary matches;  // the top-ranked match of each referral made in the period
  DistanceSummary placements;
  int placements_outside_region = 0;  // of placements, those in another region's settings
  std::optional<absl::Duration> median_time_to_confirmation;
  std::optional<absl::Duration> p90_time_to_confirmation;
};

// The median of `values` (the mean of the middle two for an even count); 0 when empty.
double Median(std::vector<double> values);
// The nearest-rank percentile `p` (0 < p <= 100) of `values`; nullopt when empty.
std::optional<absl::Duration> NearestRankPercentile(std::vector<absl::Duration> values, int p);
// `part` of `whole` in basis points, rounded half up; 0 when whole is 0.
int BasisPoints(int part, int whole);
// The distance summary of `distances` (nullopt: unknown) against `threshold_miles`.
DistanceSummary SummariseDistances(const std::vector<std::optional<double>>& distances,
                                   double threshold_miles);

// The figures of each LA in `la_codes` (with `region_of` giving each LA's region) and of each
// region of them, from the register's stock and the period's flows (top matches and placements).
std::pair<std::vector<AreaFigures>, std::vector<AreaFigures>> ComputeSufficiency(
    const std::vector<std::pair<std::string, std::string>>& las_with_regions,
    const std::vector<VacancyStock>& stock, const std::map<std::string, int>& open_referrals_by_la,
    const std::vector<TopMatchFlow>& top_matches, const std::vector<PlacementFlow>& placements,
    double near_threshold_miles);

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_DOMAIN_SUFFICIENCY_H_
