// Plain domain types of the placement service: settings, vacancies, child profiles and constraints.
// Enum values mirror the numbers of slihub.placement.v1 so the adapter converts with a cast.
#ifndef SLIHUB_SERVICES_PLACEMENT_DOMAIN_MODEL_H_
#define SLIHUB_SERVICES_PLACEMENT_DOMAIN_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace slihub::placement {

// The kind of placement a setting offers (slihub.placement.v1.PlacementType).
enum class PlacementType {
  kUnspecified = 0,
  kLaFosterCare = 1,
  kIndependentFosteringAgency = 2,
  kChildrensHomeLa = 3,
  kChildrensHomePrivate = 4,
  kChildrensHomeVoluntary = 5,
  kSecureChildrensHome = 6,
  kResidentialSpecialSchool = 7,
  kParentAndChild = 8,
  kSupportedAccommodation = 9,
};
inline constexpr int kMaxPlacementType = 9;

// Ofsted's overall grade, numbered as Ofsted numbers them (5: registered, not yet judged).
enum class OfstedGrade {
  kUnspecified = 0,
  kOutstanding = 1,
  kGood = 2,
  kRequiresImprovement = 3,
  kInadequate = 4,
  kNotJudged = 5,
};

// A child's sex as the profile states it.
enum class Sex { kUnspecified = 0, kFemale = 1, kMale = 2, kNotStated = 3 };

// Which children a setting accepts by sex.
enum class SexAccepted { kUnspecified = 0, kAny = 1, kFemaleOnly = 2, kMaleOnly = 3 };

// Whether a placement would be the only child in the setting.
enum class Occupancy { kUnspecified = 0, kSolo = 1, kShared = 2 };

// The lifecycle of a vacancy.
enum class VacancyState { kUnspecified = 0, kOpen = 1, kFilled = 2, kWithdrawn = 3 };

// Need categories are slihub.placement.v1.NeedCategory numbers (1..kMaxNeedCategory).
inline constexpr int kMaxNeedCategory = 13;

// The scope a match searches (slihub.common.v1.RegionScope).
enum class Scope { kUnspecified = 0, kOwnLa = 1, kOwnRegion = 2, kNational = 3 };

// A point in WGS84 degrees.
struct GeoPoint {
  double latitude = 0;
  double longitude = 0;
};

// The matching-relevant facts of a registered setting. Plain data.
struct SettingFacts {
  std::string setting_id;
  std::string provider_id;
  std::string ofsted_urn;
  std::string name;
  PlacementType placement_type = PlacementType::kUnspecified;
  OfstedGrade ofsted_grade = OfstedGrade::kUnspecified;
  std::vector<int> registered_needs;  // NeedCategory numbers, sorted, distinct
  int age_min = 0;
  int age_max = 17;
  SexAccepted sex_accepted = SexAccepted::kAny;
  std::string postcode_district;
  std::optional<GeoPoint> coordinates;
  std::string host_la;
  std::string region;
  bool active = true;
};

// The matching-relevant facts of a vacancy. Plain data.
struct VacancyFacts {
  std::string vacancy_id;
  std::string setting_id;
  int beds = 0;
  int beds_held = 0;
  absl::CivilDay available_from;
  int64_t weekly_cost_pence = 0;
  Occupancy occupancy = Occupancy::kShared;
  int sibling_capacity = 1;
  absl::Time last_confirmed_at = absl::InfinitePast();
  VacancyState state = VacancyState::kOpen;
  int64_t version = 0;

  int beds_free() const { return beds - beds_held; }
};

// A vacancy with its setting: one candidate of a match. Plain data.
struct Candidate {
  SettingFacts setting;
  VacancyFacts vacancy;
};

// The anonymised profile of a child: no name, date of birth or full postcode. Plain data.
struct ChildProfile {
  int age_years = 0;
  Sex sex = Sex::kUnspecified;
  std::vector<int> needs;  // NeedCategory numbers
  std::string home_postcode_district;
  std::optional<GeoPoint> home_coordinates;  // district-level (rounded to 0.01 degree)
  int sibling_group_size = 1;
};

// What the placing LA requires: the hard filters. Plain data.
struct PlacementConstraints {
  std::vector<PlacementType> placement_types;  // empty: any type suitable for the child's age
  double max_distance_miles = 0;               // 0: no limit
  std::optional<int64_t> max_weekly_cost_pence;  // unset: no limit
  // The worst acceptable grade; kUnspecified means Requires improvement (Inadequate excluded).
  OfstedGrade min_ofsted_grade = OfstedGrade::kUnspecified;
  bool allow_not_judged = false;
  std::optional<absl::CivilDay> needed_by;  // unset: any availability date
  bool solo_required = false;
  bool keep_siblings_together = false;
};

// A referral as matching sees it. Plain data.
struct MatchRequest {
  std::string la_code;  // the placing LA
  std::string region;   // the placing LA's region
  ChildProfile profile;
  PlacementConstraints constraints;
  Scope scope = Scope::kOwnRegion;
};

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_DOMAIN_MODEL_H_
