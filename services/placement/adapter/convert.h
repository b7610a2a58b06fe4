// Translation between slihub.placement.v1 messages and the placement domain and store records,
// with field validation that names proto field paths. No business rules here.
#ifndef SLIHUB_SERVICES_PLACEMENT_ADAPTER_CONVERT_H_
#define SLIHUB_SERVICES_PLACEMENT_ADAPTER_CONVERT_H_

#include <optional>
#include <string>

#include "common/errors/errors.h"
#include "common/refdata/reference_data.h"
#include "services/placement/domain/matching.h"
#include "services/placement/domain/postcode_districts.h"
#include "services/placement/store/placement_store.h"
#include "slihub/placement/v1/hold.pb.h"
#include "slihub/placement/v1/matching.pb.h"
#include "slihub/placement/v1/referral.pb.h"
#include "slihub/placement/v1/setting.pb.h"
#include "slihub/placement/v1/vacancy.pb.h"

namespace slihub::placement {

namespace pb = ::slihub::placement::v1;

// The date in `d`, or nullopt when unset (all zero); adds a violation for `field` when not a real
// day.
std::optional<absl::CivilDay> DateFromProto(const common::v1::CivilDate& d,
                                            const std::string& field, FieldViolations* violations);
common::v1::CivilDate DateToProto(absl::CivilDay d);
void FillAudit(const Audit& a, common::v1::AuditInfo* out);

// Validates a provider for CreateProvider (fields under `prefix`) and converts it.
ProviderRecord ProviderFromProto(const pb::Provider& p, const ReferenceData& refdata,
                                 const std::string& prefix, FieldViolations* violations);
// Validates a setting for CreateSetting and converts it; the region comes from host_la.
// Its coordinates are derived from its postcode district when not given (LocationFromProto).
SettingRecord SettingFromProto(const pb::Setting& s, const ReferenceData& refdata,
                               const PostcodeDistricts& districts, const std::string& prefix,
                               FieldViolations* violations);
// Validates a vacancy's terms for PublishVacancy / UpdateVacancy and converts them.
VacancyRecord VacancyTermsFromProto(const pb::Vacancy& v, const std::string& prefix,
                                    FieldViolations* violations);
// Validates a profile (no name, date of birth or full postcode: districts only) and converts it;
// home coordinates (given, or derived from the home district) are rounded to 0.01 degree.
void ProfileFromProto(const pb::ChildProfile& p, const PostcodeDistricts& districts,
                      const std::string& prefix, FieldViolations* violations, ChildProfile* profile,
                      ReferralExtras* extras);
// Validates a location at `field` and returns its coordinates: the given ones, else the centroid
// of its postcode district (normalised into `district`). A district no GB district table lists is
// a violation; so is a missing district when `required`. nullopt when neither is known.
std::optional<GeoPoint> LocationFromProto(const pb::Location& loc,
                                          const PostcodeDistricts& districts,
                                          const std::string& field, bool required,
                                          std::string* district, FieldViolations* violations);
// Validates constraints and converts them.
PlacementConstraints ConstraintsFromProto(const pb::PlacementConstraints& c,
                                          const std::string& prefix, FieldViolations* violations);
// A distance limit needs a home to measure from: adds a violation at `prefix`.max_distance_miles
// when `constraints` set one and `profile` has no home location.
void CheckDistanceLimit(const ChildProfile& profile, const PlacementConstraints& constraints,
                        const std::string& prefix, FieldViolations* violations);
// The oldest confirmation time a provider may state for a vacancy, before now.
inline constexpr absl::Duration kMaxConfirmationAge = absl::Hours(24 * 366);
// A confirmation time the provider states (`present`), truncated to microseconds: not after
// `now`, not older than kMaxConfirmationAge (else a violation at `field`). InfinitePast when
// unset or invalid, which the store reads as "now".
absl::Time ReadConfirmTime(const google::protobuf::Timestamp& time, bool present, absl::Time now,
                           const std::string& field, FieldViolations* violations);
// True when `text` is a postcode outward code ("NR1", "CB24", "EC1A"), upper-casing it into `out`.
bool NormalizePostcodeDistrict(const std::string& text, std::string* out);

pb::Provider ToProto(const ProviderRecord& p);
pb::Setting ToProto(const SettingRecord& s);
// ToProto(s) written into `out` (on its arena, if any), which must be empty.
void FillSetting(const SettingRecord& s, pb::Setting* out);
// `stale_after` decides the stale flag at `now`.
pb::Vacancy ToProto(const VacancyRecord& v, absl::Time now, absl::Duration stale_after);
// ToProto(v, now, stale_after) written into `out` (on its arena, if any), which must be empty.
void FillVacancy(const VacancyRecord& v, absl::Time now, absl::Duration stale_after,
                 pb::Vacancy* out);
pb::Referral ToProto(const ReferralRecord& r);
pb::Hold ToProto(const HoldRecord& h);
pb::Placement ToProto(const PlacementRecord& p);
// One filter verdict / scored match as the API reports them.
pb::FilterResult ToProto(const FilterVerdict& v);
void FillMatch(const ScoredMatch& m, const Candidate& c, pb::Match* out);

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_ADAPTER_CONVERT_H_
