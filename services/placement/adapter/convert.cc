#include "services/placement/adapter/convert.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/server/proto_time.h"
#include "common/server/request_fields.h"
#include "common/server/request_limits.h"
#include "services/placement/domain/geo.h"
#include "services/placement/domain/ofsted_urn.h"
#include "services/placement/domain/postcode_districts.h"

namespace slihub::placement {
namespace {

// The most member subjects (provider staff tokens) one provider may list.
constexpr int kMaxMemberSubjects = 100;

}  // namespace
namespace {

std::string F(const std::string& prefix, const std::string& field) {
  return prefix.empty() ? field : prefix + "." + field;
}

std::optional<GeoPoint> PointFromProto(const pb::Location& loc, const std::string& field,
                                       FieldViolations* violations) {
  if (!loc.has_coordinates()) return std::nullopt;
  const GeoPoint p{loc.coordinates().latitude(), loc.coordinates().longitude()};
  if (!IsValidGeoPoint(p)) {
    violations->Add(field, "latitude must be -90..90 and longitude -180..180");
    return std::nullopt;
  }
  return p;
}

std::vector<int> NeedsFromProto(const google::protobuf::RepeatedField<int>& needs,
                                const std::string& field, FieldViolations* violations) {
  std::vector<int> out;
  for (int i = 0; i < needs.size(); ++i) {
    if (needs[i] < 1 || needs[i] > kMaxNeedCategory) {
      violations->Add(absl::StrCat(field, "[", i, "]"), "unknown need category");
    } else {
      out.push_back(needs[i]);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void FillLocation(const std::string& district, const std::optional<GeoPoint>& p,
                  pb::Location* out) {
  out->set_postcode_district(district);
  if (p.has_value()) {
    out->mutable_coordinates()->set_latitude(p->latitude);
    out->mutable_coordinates()->set_longitude(p->longitude);
  }
}

}  // namespace

std::optional<GeoPoint> LocationFromProto(const pb::Location& loc,
                                          const PostcodeDistricts& districts,
                                          const std::string& field, bool required,
                                          std::string* district, FieldViolations* violations) {
  const std::string district_field = F(field, "postcode_district");
  if (loc.postcode_district().empty()) {
    if (required) {
      violations->Add(district_field,
                      "required: a postcode district (outward code) such as \"NR1\"");
    }
  } else if (!NormalizePostcodeDistrict(loc.postcode_district(), district)) {
    violations->Add(
        district_field,
        "must be a postcode district (outward code) such as \"NR1\", never a full postcode");
  } else if (districts.Find(*district) == nullptr) {
    violations->Add(district_field, absl::StrCat("no GB postcode district is ", *district));
  }
  std::optional<GeoPoint> p = PointFromProto(loc, F(field, "coordinates"), violations);
  if (p.has_value()) return p;
  if (district->empty()) return std::nullopt;
  const GeoPoint* centroid = districts.Find(*district);
  if (centroid == nullptr) return std::nullopt;
  return *centroid;
}

std::optional<absl::CivilDay> DateFromProto(const common::v1::CivilDate& d,
                                            const std::string& field, FieldViolations* violations) {
  if (d.year() == 0 && d.month() == 0 && d.day() == 0) return std::nullopt;
  absl::StatusOr<absl::CivilDay> day = MakeCivilDate(d.year(), d.month(), d.day());
  if (!day.ok()) {
    violations->Add(field, std::string(day.status().message()));
    return std::nullopt;
  }
  return *day;
}

common::v1::CivilDate DateToProto(absl::CivilDay d) {
  common::v1::CivilDate out;
  out.set_year(static_cast<int>(d.year()));
  out.set_month(d.month());
  out.set_day(d.day());
  return out;
}

void FillAudit(const Audit& a, common::v1::AuditInfo* out) {
  *out->mutable_create_time() = ToProtoTimestamp(a.create_time);
  out->set_created_by(a.created_by);
  *out->mutable_update_time() = ToProtoTimestamp(a.update_time);
  out->set_updated_by(a.updated_by);
  out->set_request_id(a.request_id);
}

bool NormalizePostcodeDistrict(const std::string& text, std::string* out) {
  const std::string s = absl::AsciiStrToUpper(text);
  // Outward code: A9, A99, AA9, AA99, A9A, AA9A.
  if (s.size() < 2 || s.size() > 4) return false;
  size_t i = 0;
  while (i < s.size() && i < 2 && absl::ascii_isalpha(static_cast<unsigned char>(s[i]))) ++i;
  if (i == 0 || i >= s.size() || !absl::ascii_isdigit(static_cast<unsigned char>(s[i])))
    return false;
  ++i;
  if (i < s.size()) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(s[i]))) return false;
    ++i;
  }
  if (i != s.size()) return false;
  *out = s;
  return true;
}

ProviderRecord ProviderFromProto(const pb::Provider& p, const ReferenceData& refdata,
                                 const std::string& prefix, FieldViolations* violations) {
  ProviderRecord out;
  out.name = std::string(absl::StripAsciiWhitespace(p.name()));
  CheckText(out.name, F(prefix, "name"), kRequiredShortText, violations);
  if (p.kind() < pb::PROVIDER_KIND_LOCAL_AUTHORITY || p.kind() > pb::PROVIDER_KIND_VOLUNTARY) {
    violations->Add(F(prefix, "kind"), "required: LOCAL_AUTHORITY, PRIVATE or VOLUNTARY");
  }
  out.kind = p.kind();
  out.la_code = p.la_code().value();
  if (p.kind() == pb::PROVIDER_KIND_LOCAL_AUTHORITY && out.la_code.empty()) {
    violations->Add(F(prefix, "la_code.value"), "required for an LA provider");
  } else if (!out.la_code.empty() && refdata.FindLocalAuthority(out.la_code) == nullptr) {
    violations->Add(F(prefix, "la_code.value"), "not a known LA code");
  }
  const bool few_enough =
      CheckCount(p.member_subjects_size(), kMaxMemberSubjects, F(prefix, "member_subjects"), violations);
  for (int i = 0; few_enough && i < p.member_subjects_size(); ++i) {
    if (p.member_subjects(i).empty() || p.member_subjects(i).find(',') != std::string::npos) {
      violations->Add(absl::StrCat(F(prefix, "member_subjects"), "[", i, "]"),
                      "must be a non-empty token subject without commas");
    } else {
      out.member_subjects.push_back(p.member_subjects(i));
    }
  }
  return out;
}

SettingRecord SettingFromProto(const pb::Setting& s, const ReferenceData& refdata,
                               const PostcodeDistricts& districts, const std::string& prefix,
                               FieldViolations* violations) {
  SettingRecord out;
  SettingFacts& f = out.facts;
  f.provider_id = s.provider_id();
  if (f.provider_id.empty()) violations->Add(F(prefix, "provider_id"), "required");
  std::optional<std::string> urn = NormalizeOfstedUrn(s.ofsted_urn());
  if (!urn.has_value()) {
    violations->Add(F(prefix, "ofsted_urn"), "must be \"SC\" followed by digits, or 7 digits");
  } else {
    f.ofsted_urn = *urn;
  }
  f.name = std::string(absl::StripAsciiWhitespace(s.name()));
  CheckText(f.name, F(prefix, "name"), kRequiredShortText, violations);
  if (s.placement_type() < 1 || s.placement_type() > kMaxPlacementType) {
    violations->Add(F(prefix, "placement_type"), "required: a known placement type");
  }
  f.placement_type = static_cast<PlacementType>(s.placement_type());
  if (s.ofsted_grade() < pb::OFSTED_GRADE_OUTSTANDING ||
      s.ofsted_grade() > pb::OFSTED_GRADE_NOT_JUDGED) {
    violations->Add(F(prefix, "ofsted_grade"), "required: OUTSTANDING..INADEQUATE or NOT_JUDGED");
  }
  f.ofsted_grade = static_cast<OfstedGrade>(s.ofsted_grade());
  out.ofsted_grade_date =
      DateFromProto(s.ofsted_grade_date(), F(prefix, "ofsted_grade_date"), violations);
  f.registered_needs =
      NeedsFromProto(s.registered_needs(), F(prefix, "registered_needs"), violations);
  f.age_min = s.age_range().min_years();
  f.age_max = s.age_range().max_years();
  if (f.age_min < 0 || f.age_min > 17) {
    violations->Add(F(prefix, "age_range.min_years"), "must be 0..17");
  }
  if (f.age_max < f.age_min || f.age_max > 25) {
    violations->Add(F(prefix, "age_range.max_years"), "must be min_years..25");
  }
  if (s.sex_accepted() < pb::SEX_ACCEPTED_ANY || s.sex_accepted() > pb::SEX_ACCEPTED_MALE_ONLY) {
    violations->Add(F(prefix, "sex_accepted"), "required: ANY, FEMALE_ONLY or MALE_ONLY");
  }
  f.sex_accepted = static_cast<SexAccepted>(s.sex_accepted());
  f.coordinates = LocationFromProto(s.location(), districts, F(prefix, "location"), true,
                                    &f.postcode_district, violations);
  f.host_la = s.host_la().value();
  const LocalAuthorityRecord* la = refdata.FindLocalAuthority(f.host_la);
  if (la == nullptr) {
    violations->Add(F(prefix, "host_la.value"), "not a known LA code");
  } else {
    f.region = la->region_code;
  }
  if (s.registered_places() < 0)
    violations->Add(F(prefix, "registered_places"), "must not be negative");
  out.registered_places = s.registered_places();
  f.active = s.active();
  return out;
}

VacancyRecord VacancyTermsFromProto(const pb::Vacancy& v, const std::string& prefix,
                                    FieldViolations* violations) {
  VacancyRecord out;
  VacancyFacts& f = out.facts;
  f.vacancy_id = v.vacancy_id();
  f.setting_id = v.setting_id();
  out.record_id = v.record_id();
  f.version = v.version();
  f.beds = v.beds();
  if (f.beds < 1 || f.beds > 100) violations->Add(F(prefix, "beds"), "must be 1..100");
  std::optional<absl::CivilDay> from =
      DateFromProto(v.available_from(), F(prefix, "available_from"), violations);
  if (!v.has_available_from()) violations->Add(F(prefix, "available_from"), "required");
  if (from.has_value()) f.available_from = *from;
  f.weekly_cost_pence = v.weekly_cost().pence();
  if (!v.has_weekly_cost()) {
    violations->Add(F(prefix, "weekly_cost"), "required");
  } else if (f.weekly_cost_pence < 0) {
    violations->Add(F(prefix, "weekly_cost.pence"), "must not be negative");
  }
  if (v.occupancy() != pb::OCCUPANCY_SOLO && v.occupancy() != pb::OCCUPANCY_SHARED) {
    violations->Add(F(prefix, "occupancy"), "required: SOLO or SHARED");
  }
  f.occupancy = static_cast<Occupancy>(v.occupancy());
  f.sibling_capacity = v.sibling_capacity();
  if (f.sibling_capacity < 0 || f.sibling_capacity > 10) {
    violations->Add(F(prefix, "sibling_capacity"), "must be 0..10");
  }
  return out;
}

void ProfileFromProto(const pb::ChildProfile& p, const PostcodeDistricts& districts,
                      const std::string& prefix, FieldViolations* violations, ChildProfile* profile,
                      ReferralExtras* extras) {
  profile->age_years = p.age_years();
  if (p.age_years() < 0 || p.age_years() > 17)
    violations->Add(F(prefix, "age_years"), "must be 0..17");
  if (p.sex() < pb::SEX_FEMALE || p.sex() > pb::SEX_NOT_STATED) {
    violations->Add(F(prefix, "sex"), "required: FEMALE, MALE or NOT_STATED");
  }
  profile->sex = static_cast<Sex>(p.sex());
  profile->needs = NeedsFromProto(p.needs(), F(prefix, "needs"), violations);
  for (int i = 0; i < p.risks_size(); ++i) {
    if (p.risks(i) < 1 || p.risks(i) > pb::RiskCategory_MAX) {
      violations->Add(absl::StrCat(F(prefix, "risks"), "[", i, "]"), "unknown risk category");
    } else {
      extras->risks.push_back(p.risks(i));
    }
  }
  if (!pb::LegalStatus_IsValid(p.legal_status())) {
    violations->Add(F(prefix, "legal_status"), "unknown legal status");
  }
  extras->legal_status = p.legal_status();
  extras->uasc = p.uasc();
  if (!pb::Urgency_IsValid(p.urgency())) violations->Add(F(prefix, "urgency"), "unknown urgency");
  extras->urgency = p.urgency();
  std::optional<GeoPoint> home =
      LocationFromProto(p.home_location(), districts, F(prefix, "home_location"), false,
                        &profile->home_postcode_district, violations);
  if (home.has_value()) profile->home_coordinates = RoundToDistrict(*home);
  profile->sibling_group_size = p.sibling_group_size() == 0 ? 1 : p.sibling_group_size();
  if (p.sibling_group_size() < 0 || p.sibling_group_size() > 10) {
    violations->Add(F(prefix, "sibling_group_size"), "must be 1..10 (0 means 1)");
  }
}

PlacementConstraints ConstraintsFromProto(const pb::PlacementConstraints& c,
                                          const std::string& prefix, FieldViolations* violations) {
  PlacementConstraints out;
  for (int i = 0; i < c.placement_types_size(); ++i) {
    if (c.placement_types(i) < 1 || c.placement_types(i) > kMaxPlacementType) {
      violations->Add(absl::StrCat(F(prefix, "placement_types"), "[", i, "]"),
                      "unknown placement type");
    } else {
      out.placement_types.push_back(static_cast<PlacementType>(c.placement_types(i)));
    }
  }
  out.max_distance_miles = c.max_distance_miles();
  if (!std::isfinite(c.max_distance_miles()) || c.max_distance_miles() < 0 ||
      c.max_distance_miles() > 1000) {
    violations->Add(F(prefix, "max_distance_miles"), "must be 0..1000 (0 means no limit)");
  }
  if (c.has_max_weekly_cost()) {
    if (c.max_weekly_cost().pence() < 0) {
      violations->Add(F(prefix, "max_weekly_cost.pence"), "must not be negative");
    }
    out.max_weekly_cost_pence = c.max_weekly_cost().pence();
  }
  if (c.min_ofsted_grade() < 0 || c.min_ofsted_grade() > pb::OFSTED_GRADE_INADEQUATE) {
    violations->Add(F(prefix, "min_ofsted_grade"), "must be OUTSTANDING..INADEQUATE or unset");
  }
  out.min_ofsted_grade = static_cast<OfstedGrade>(c.min_ofsted_grade());
  out.allow_not_judged = c.allow_not_judged();
  out.needed_by = DateFromProto(c.needed_by(), F(prefix, "needed_by"), violations);
  out.solo_required = c.solo_required();
  out.keep_siblings_together = c.keep_siblings_together();
  return out;
}

absl::Time ReadConfirmTime(const google::protobuf::Timestamp& time, bool present, absl::Time now,
                           const std::string& field, FieldViolations* violations) {
  if (!present) return absl::InfinitePast();
  absl::StatusOr<absl::Time> t = FromProtoTimestamp(time);
  if (!t.ok()) {
    violations->Add(field, "not a valid timestamp");
    return absl::InfinitePast();
  }
  const absl::Time micros = absl::FromUnixMicros(absl::ToUnixMicros(*t));
  if (micros > now) {
    violations->Add(field, "must not be in the future");
    return absl::InfinitePast();
  }
  if (micros < now - kMaxConfirmationAge) {
    violations->Add(field, "must be within the last 366 days");
    return absl::InfinitePast();
  }
  return micros;
}

void CheckDistanceLimit(const ChildProfile& profile, const PlacementConstraints& constraints,
                        const std::string& prefix, FieldViolations* violations) {
  if (constraints.max_distance_miles > 0 && !profile.home_coordinates.has_value()) {
    violations->Add(F(prefix, "max_distance_miles"),
                    "a distance limit needs the child's home_location (a postcode district)");
  }
}

pb::Provider ToProto(const ProviderRecord& p) {
  pb::Provider out;
  out.set_provider_id(p.provider_id);
  out.set_name(p.name);
  out.set_kind(static_cast<pb::ProviderKind>(p.kind));
  if (!p.la_code.empty()) out.mutable_la_code()->set_value(p.la_code);
  for (const std::string& s : p.member_subjects) out.add_member_subjects(s);
  out.set_version(p.version);
  FillAudit(p.audit, out.mutable_audit());
  return out;
}

pb::Setting ToProto(const SettingRecord& s) {
  pb::Setting out;
  FillSetting(s, &out);
  return out;
}

void FillSetting(const SettingRecord& s, pb::Setting* p) {
  pb::Setting& out = *p;
  const SettingFacts& f = s.facts;
  out.set_setting_id(f.setting_id);
  out.set_provider_id(f.provider_id);
  out.set_ofsted_urn(f.ofsted_urn);
  out.set_name(f.name);
  out.set_placement_type(static_cast<pb::PlacementType>(f.placement_type));
  out.set_ofsted_grade(static_cast<pb::OfstedGrade>(f.ofsted_grade));
  if (s.ofsted_grade_date.has_value())
    *out.mutable_ofsted_grade_date() = DateToProto(*s.ofsted_grade_date);
  for (int n : f.registered_needs) out.add_registered_needs(static_cast<pb::NeedCategory>(n));
  out.mutable_age_range()->set_min_years(f.age_min);
  out.mutable_age_range()->set_max_years(f.age_max);
  out.set_sex_accepted(static_cast<pb::SexAccepted>(f.sex_accepted));
  FillLocation(f.postcode_district, f.coordinates, out.mutable_location());
  out.mutable_host_la()->set_value(f.host_la);
  out.mutable_region()->set_value(f.region);
  out.set_registered_places(s.registered_places);
  out.set_active(f.active);
  out.set_version(s.version);
  FillAudit(s.audit, out.mutable_audit());
}

pb::Vacancy ToProto(const VacancyRecord& v, absl::Time now, absl::Duration stale_after) {
  pb::Vacancy out;
  FillVacancy(v, now, stale_after, &out);
  return out;
}

void FillVacancy(const VacancyRecord& v, absl::Time now, absl::Duration stale_after,
                 pb::Vacancy* p) {
  pb::Vacancy& out = *p;
  const VacancyFacts& f = v.facts;
  out.set_vacancy_id(f.vacancy_id);
  out.set_setting_id(f.setting_id);
  out.set_record_id(v.record_id);
  out.set_beds(f.beds);
  out.set_beds_held(f.beds_held);
  out.set_beds_free(f.beds_free());
  *out.mutable_available_from() = DateToProto(f.available_from);
  out.mutable_weekly_cost()->set_pence(f.weekly_cost_pence);
  out.set_occupancy(static_cast<pb::Occupancy>(f.occupancy));
  out.set_sibling_capacity(f.sibling_capacity);
  *out.mutable_last_confirmed_at() = ToProtoTimestamp(f.last_confirmed_at);
  out.set_stale(now - f.last_confirmed_at > stale_after);
  out.set_state(static_cast<pb::VacancyState>(f.state));
  out.set_version(f.version);
  out.mutable_region()->set_value(v.region);
  FillAudit(v.audit, out.mutable_audit());
}

pb::Referral ToProto(const ReferralRecord& r) {
  pb::Referral out;
  out.set_referral_id(r.referral_id);
  out.mutable_la_code()->set_value(r.la_code);
  pb::ChildProfile* p = out.mutable_profile();
  p->set_age_years(r.profile.age_years);
  p->set_sex(static_cast<pb::Sex>(r.profile.sex));
  for (int n : r.profile.needs) p->add_needs(static_cast<pb::NeedCategory>(n));
  for (int n : r.extras.risks) p->add_risks(static_cast<pb::RiskCategory>(n));
  p->set_legal_status(static_cast<pb::LegalStatus>(r.extras.legal_status));
  p->set_uasc(r.extras.uasc);
  FillLocation(r.profile.home_postcode_district, r.profile.home_coordinates,
               p->mutable_home_location());
  p->set_sibling_group_size(r.profile.sibling_group_size);
  p->set_urgency(static_cast<pb::Urgency>(r.extras.urgency));
  pb::PlacementConstraints* c = out.mutable_constraints();
  for (PlacementType t : r.constraints.placement_types) {
    c->add_placement_types(static_cast<pb::PlacementType>(t));
  }
  c->set_max_distance_miles(r.constraints.max_distance_miles);
  if (r.constraints.max_weekly_cost_pence.has_value()) {
    c->mutable_max_weekly_cost()->set_pence(*r.constraints.max_weekly_cost_pence);
  }
  c->set_min_ofsted_grade(static_cast<pb::OfstedGrade>(r.constraints.min_ofsted_grade));
  c->set_allow_not_judged(r.constraints.allow_not_judged);
  if (r.constraints.needed_by.has_value())
    *c->mutable_needed_by() = DateToProto(*r.constraints.needed_by);
  c->set_solo_required(r.constraints.solo_required);
  c->set_keep_siblings_together(r.constraints.keep_siblings_together);
  out.set_state(static_cast<pb::ReferralState>(r.state));
  out.set_placement_id(r.placement_id);
  out.set_close_reason(static_cast<pb::CloseReason>(r.close_reason));
  out.set_version(r.version);
  FillAudit(r.audit, out.mutable_audit());
  return out;
}

pb::Hold ToProto(const HoldRecord& h) {
  pb::Hold out;
  out.set_hold_id(h.hold_id);
  out.set_vacancy_id(h.vacancy_id);
  out.set_referral_id(h.referral_id);
  out.mutable_la_code()->set_value(h.la_code);
  out.set_state(static_cast<pb::HoldState>(h.state));
  *out.mutable_expire_time() = ToProtoTimestamp(h.expire_time);
  out.set_placement_id(h.placement_id);
  out.set_release_reason(h.release_reason);
  out.set_version(h.version);
  FillAudit(h.audit, out.mutable_audit());
  return out;
}

pb::Placement ToProto(const PlacementRecord& p) {
  pb::Placement out;
  out.set_placement_id(p.placement_id);
  out.set_hold_id(p.hold_id);
  out.set_referral_id(p.referral_id);
  out.set_vacancy_id(p.vacancy_id);
  out.set_setting_id(p.setting_id);
  out.mutable_la_code()->set_value(p.la_code);
  out.mutable_host_la()->set_value(p.host_la);
  *out.mutable_start_date() = DateToProto(p.start_date);
  out.mutable_weekly_cost()->set_pence(p.weekly_cost_pence);
  out.set_distance_known(p.distance_miles.has_value());
  out.set_distance_miles(p.distance_miles.value_or(0));
  *out.mutable_confirm_time() = ToProtoTimestamp(p.confirm_time);
  out.mutable_audit()->set_created_by(p.created_by);
  *out.mutable_audit()->mutable_create_time() = ToProtoTimestamp(p.confirm_time);
  return out;
}

pb::FilterResult ToProto(const FilterVerdict& v) {
  pb::FilterResult out;
  out.set_filter(static_cast<pb::MatchFilter>(v.filter));
  out.set_passed(v.passed);
  out.set_explanation(v.explanation);
  return out;
}

void FillMatch(const ScoredMatch& m, const Candidate& c, pb::Match* out) {
  out->set_rank(m.rank);
  out->set_score(m.score);
  for (const ScorePart& part : m.components) {
    pb::ScoreComponent* sc = out->add_components();
    sc->set_kind(static_cast<pb::ScoreComponentKind>(part.component));
    sc->set_value(part.value);
    sc->set_weight(part.weight);
    sc->set_contribution(part.contribution);
    sc->set_detail(part.detail);
  }
  for (const FilterVerdict& v : m.passed_filters) *out->add_passed_filters() = ToProto(v);
  out->set_distance_known(m.distance_miles.has_value());
  out->set_distance_miles(m.distance_miles.value_or(0));
  out->set_in_la(m.in_la);
  out->set_in_region(m.in_region);
  out->mutable_region()->set_value(c.setting.region);
}

}  // namespace slihub::placement
