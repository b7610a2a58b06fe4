#include "services/placement/store/placement_rows.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "common/base/civil_date.h"
#include "services/placement/domain/holds.h"
#include "services/placement/domain/matching.h"

namespace slihub::placement::rows {

absl::Time ConfirmedAt(const VacancyFacts& f, const WriteContext& w) {
  return f.last_confirmed_at == absl::InfinitePast() ? w.now : f.last_confirmed_at;
}

std::string JoinInts(const std::vector<int>& v) { return absl::StrJoin(v, ","); }

std::vector<int> SplitInts(const std::string& s) {
  std::vector<int> out;
  for (absl::string_view part : absl::StrSplit(s, ',', absl::SkipEmpty())) {
    int n = 0;
    if (absl::SimpleAtoi(part, &n)) out.push_back(n);
  }
  return out;
}

bool IsResidential(PlacementType t) {
  return t != PlacementType::kLaFosterCare && t != PlacementType::kIndependentFosteringAgency;
}

ProviderRecord ProviderFrom(const Row& r) {
  ProviderRecord p;
  p.provider_id = r.GetText("provider_id");
  p.name = r.GetText("name");
  p.kind = static_cast<int>(r.GetInt64("kind"));
  p.la_code = r.GetText("la_code");
  p.member_subjects = absl::StrSplit(r.GetText("member_subjects"), ',', absl::SkipEmpty());
  p.version = r.GetInt64("version");
  p.audit = AuditFrom(r);
  return p;
}

absl::StatusOr<std::optional<ProviderRecord>> FindProvider(Transaction& tx, const std::string& sql,
                                                           absl::Span<const Value> params) {
  absl::StatusOr<store::ResultSet> rs = tx.Query(sql, params);
  if (!rs.ok()) return rs.status();
  if (rs->empty()) return std::optional<ProviderRecord>();
  return std::optional<ProviderRecord>(ProviderFrom((*rs)[0]));
}

SettingFacts SettingFactsFrom(const Row& r) {
  SettingFacts f;
  f.setting_id = r.GetText("setting_id");
  f.provider_id = r.GetText("provider_id");
  f.ofsted_urn = r.GetText("ofsted_urn");
  f.name = r.GetText("name");
  f.placement_type = static_cast<PlacementType>(r.GetInt64("placement_type"));
  f.ofsted_grade = static_cast<OfstedGrade>(r.GetInt64("ofsted_grade"));
  f.registered_needs = SplitInts(r.GetText("registered_needs"));
  f.age_min = static_cast<int>(r.GetInt64("age_min"));
  f.age_max = static_cast<int>(r.GetInt64("age_max"));
  f.sex_accepted = static_cast<SexAccepted>(r.GetInt64("sex_accepted"));
  f.postcode_district = r.GetText("postcode_district");
  if (!r.IsNull("latitude")) {
    f.coordinates = GeoPoint{r.GetDouble("latitude"), r.GetDouble("longitude")};
  }
  f.host_la = r.GetText("host_la");
  f.region = r.GetText("region");
  f.active = r.GetInt64("active") != 0;
  return f;
}

std::vector<Value> SettingValues(const SettingRecord& s, std::vector<Value> before,
                                 std::vector<Value> after) {
  const SettingFacts& f = s.facts;
  std::vector<Value> out = std::move(before);
  for (Value& v : std::vector<Value>{
           Text(f.ofsted_urn), Text(f.name), Int(static_cast<int>(f.placement_type)),
           Int(IsResidential(f.placement_type) ? 1 : 0), Int(static_cast<int>(f.ofsted_grade)),
           Text(s.ofsted_grade_date ? DayText(*s.ofsted_grade_date) : ""),
           Text(JoinInts(f.registered_needs)), Int(f.age_min), Int(f.age_max),
           Int(static_cast<int>(f.sex_accepted)), Text(f.postcode_district),
           f.coordinates ? Real(f.coordinates->latitude) : Null(),
           f.coordinates ? Real(f.coordinates->longitude) : Null(), Text(f.host_la), Text(f.region),
           Int(s.registered_places), Int(f.active ? 1 : 0)}) {
    out.push_back(std::move(v));
  }
  for (Value& v : after) out.push_back(std::move(v));
  return out;
}

SettingRecord SettingFrom(const Row& r) {
  SettingRecord s;
  s.facts = SettingFactsFrom(r);
  if (!r.GetText("ofsted_grade_date").empty())
    s.ofsted_grade_date = DayFrom(r.GetText("ofsted_grade_date"));
  s.registered_places = static_cast<int>(r.GetInt64("registered_places"));
  s.version = r.GetInt64("setting_version");
  s.audit = AuditFrom(r);
  return s;
}

absl::StatusOr<std::optional<SettingRecord>> FindSetting(Transaction& tx, const std::string& where,
                                                         absl::Span<const Value> params) {
  absl::StatusOr<store::ResultSet> rs = tx.Query(
      absl::StrCat("SELECT ", kSettingColumns,
                   ", s.created_at, s.created_by, s.updated_at, s.updated_by, s.request_id "
                   "FROM settings s WHERE ",
                   where),
      params);
  if (!rs.ok()) return rs.status();
  if (rs->empty()) return std::optional<SettingRecord>();
  return std::optional<SettingRecord>(SettingFrom((*rs)[0]));
}

absl::Status CheckUrnFree(Transaction& tx, const SettingFacts& f, const std::string& except_id) {
  if (!IsResidential(f.placement_type)) return absl::OkStatus();
  auto clash = FindSetting(tx, "s.ofsted_urn = $1 AND s.residential = 1 AND s.setting_id <> $2",
                           {Text(f.ofsted_urn), Text(except_id)});
  if (!clash.ok()) return clash.status();
  if (!clash->has_value()) return absl::OkStatus();
  return absl::AlreadyExistsError(absl::StrCat("a residential setting with URN ", f.ofsted_urn,
                                               " is registered: ", (*clash)->facts.setting_id));
}

VacancyFacts VacancyFactsFrom(const Row& r) {
  VacancyFacts f;
  f.vacancy_id = r.GetText("vacancy_id");
  f.setting_id = r.GetText("setting_id");
  f.beds = static_cast<int>(r.GetInt64("beds"));
  f.beds_held = static_cast<int>(r.GetInt64("beds_held"));
  f.available_from = DayFrom(r.GetText("available_from"));
  f.weekly_cost_pence = r.GetInt64("weekly_cost_pence");
  f.occupancy = static_cast<Occupancy>(r.GetInt64("occupancy"));
  f.sibling_capacity = static_cast<int>(r.GetInt64("sibling_capacity"));
  f.last_confirmed_at = FromMicros(r.GetInt64("last_confirmed_at"));
  f.state = static_cast<VacancyState>(r.GetInt64("state"));
  f.version = r.GetInt64("version");
  return f;
}

VacancyRecord VacancyFrom(const Row& r) {
  VacancyRecord v;
  v.facts = VacancyFactsFrom(r);
  v.record_id = r.GetText("record_id");
  v.region = r.GetText("v_region");
  v.host_la = r.GetText("v_host_la");
  v.audit = AuditFrom(r);
  return v;
}

absl::StatusOr<std::optional<std::pair<VacancyRecord, std::string>>> FindVacancy(
    Transaction& tx, const std::string& vacancy_id) {
  absl::StatusOr<store::ResultSet> rs =
      tx.Query(absl::StrCat(kVacancySelect, "WHERE v.vacancy_id = $1"), {Text(vacancy_id)});
  if (!rs.ok()) return rs.status();
  if (rs->empty()) return std::optional<std::pair<VacancyRecord, std::string>>();
  return std::optional<std::pair<VacancyRecord, std::string>>(
      std::make_pair(VacancyFrom((*rs)[0]), (*rs)[0].GetText("last_request_id")));
}

absl::StatusOr<VacancyRecord> MustVacancy(Transaction& tx, const std::string& vacancy_id) {
  absl::StatusOr<std::optional<std::pair<VacancyRecord, std::string>>> v =
      FindVacancy(tx, vacancy_id);
  if (!v.ok()) return v.status();
  if (!v->has_value()) return NotFound("vacancy", vacancy_id);
  return (*v)->first;
}

std::vector<PlacementType> TypesFrom(const std::string& text) {
  std::vector<PlacementType> out;
  for (int t : SplitInts(text)) out.push_back(static_cast<PlacementType>(t));
  return out;
}

std::string TypesText(const std::vector<PlacementType>& types) {
  std::vector<int> ints;
  for (PlacementType t : types) ints.push_back(static_cast<int>(t));
  return JoinInts(ints);
}

std::vector<Value> ReferralValues(const ReferralRecord& r, std::vector<Value> before,
                                  std::vector<Value> after) {
  const ChildProfile& p = r.profile;
  const PlacementConstraints& c = r.constraints;
  std::vector<Value> out = std::move(before);
  for (Value& v : std::vector<Value>{
           Int(p.age_years), Int(static_cast<int>(p.sex)), Text(JoinInts(p.needs)),
           Text(JoinInts(r.extras.risks)), Int(r.extras.legal_status), Int(r.extras.uasc ? 1 : 0),
           Text(p.home_postcode_district),
           p.home_coordinates ? Real(p.home_coordinates->latitude) : Null(),
           p.home_coordinates ? Real(p.home_coordinates->longitude) : Null(),
           Int(p.sibling_group_size), Int(r.extras.urgency), Text(TypesText(c.placement_types)),
           Real(c.max_distance_miles),
           c.max_weekly_cost_pence ? Int(*c.max_weekly_cost_pence) : Null(),
           Int(static_cast<int>(c.min_ofsted_grade)), Int(c.allow_not_judged ? 1 : 0),
           Text(c.needed_by ? DayText(*c.needed_by) : ""), Int(c.solo_required ? 1 : 0),
           Int(c.keep_siblings_together ? 1 : 0)}) {
    out.push_back(std::move(v));
  }
  for (Value& v : after) out.push_back(std::move(v));
  return out;
}

ReferralRecord ReferralFrom(const Row& r) {
  ReferralRecord x;
  x.referral_id = r.GetText("referral_id");
  x.la_code = r.GetText("la_code");
  x.profile.age_years = static_cast<int>(r.GetInt64("age_years"));
  x.profile.sex = static_cast<Sex>(r.GetInt64("sex"));
  x.profile.needs = SplitInts(r.GetText("needs"));
  x.profile.home_postcode_district = r.GetText("home_district");
  if (!r.IsNull("home_latitude")) {
    x.profile.home_coordinates =
        GeoPoint{r.GetDouble("home_latitude"), r.GetDouble("home_longitude")};
  }
  x.profile.sibling_group_size = static_cast<int>(r.GetInt64("sibling_group_size"));
  x.extras.risks = SplitInts(r.GetText("risks"));
  x.extras.legal_status = static_cast<int>(r.GetInt64("legal_status"));
  x.extras.uasc = r.GetInt64("uasc") != 0;
  x.extras.urgency = static_cast<int>(r.GetInt64("urgency"));
  PlacementConstraints& c = x.constraints;
  c.placement_types = TypesFrom(r.GetText("allowed_types"));
  c.max_distance_miles = r.GetDouble("max_distance_miles");
  if (!r.IsNull("max_weekly_cost_pence"))
    c.max_weekly_cost_pence = r.GetInt64("max_weekly_cost_pence");
  c.min_ofsted_grade = static_cast<OfstedGrade>(r.GetInt64("min_ofsted_grade"));
  c.allow_not_judged = r.GetInt64("allow_not_judged") != 0;
  if (!r.GetText("needed_by").empty()) c.needed_by = DayFrom(r.GetText("needed_by"));
  c.solo_required = r.GetInt64("solo_required") != 0;
  c.keep_siblings_together = r.GetInt64("keep_siblings_together") != 0;
  x.state = static_cast<int>(r.GetInt64("state"));
  x.placement_id = r.GetText("placement_id");
  x.close_reason = static_cast<int>(r.GetInt64("close_reason"));
  x.version = r.GetInt64("version");
  x.audit = AuditFrom(r);
  return x;
}

absl::StatusOr<std::optional<ReferralRecord>> FindReferral(Transaction& tx,
                                                           const std::string& where,
                                                           absl::Span<const Value> params) {
  absl::StatusOr<store::ResultSet> rs =
      tx.Query(absl::StrCat(kReferralSelect, "WHERE ", where), params);
  if (!rs.ok()) return rs.status();
  if (rs->empty()) return std::optional<ReferralRecord>();
  return std::optional<ReferralRecord>(ReferralFrom((*rs)[0]));
}

HoldRecord HoldFrom(const Row& r) {
  HoldRecord h;
  h.hold_id = r.GetText("hold_id");
  h.vacancy_id = r.GetText("vacancy_id");
  h.referral_id = r.GetText("referral_id");
  h.la_code = r.GetText("la_code");
  h.state = static_cast<int>(r.GetInt64("state"));
  h.expire_time = FromMicros(r.GetInt64("expire_at"));
  h.placement_id = r.GetText("placement_id");
  h.release_reason = r.GetText("release_reason");
  h.version = r.GetInt64("version");
  h.audit = AuditFrom(r);
  return h;
}

absl::StatusOr<std::optional<std::pair<HoldRecord, std::string>>> FindHold(
    Transaction& tx, const std::string& where, absl::Span<const Value> params) {
  absl::StatusOr<store::ResultSet> rs =
      tx.Query(absl::StrCat("SELECT * FROM holds WHERE ", where), params);
  if (!rs.ok()) return rs.status();
  if (rs->empty()) return std::optional<std::pair<HoldRecord, std::string>>();
  return std::optional<std::pair<HoldRecord, std::string>>(
      std::make_pair(HoldFrom((*rs)[0]), (*rs)[0].GetText("last_request_id")));
}

PlacementRecord PlacementFrom(const Row& r) {
  PlacementRecord p;
  p.placement_id = r.GetText("placement_id");
  p.hold_id = r.GetText("hold_id");
  p.referral_id = r.GetText("referral_id");
  p.vacancy_id = r.GetText("vacancy_id");
  p.setting_id = r.GetText("setting_id");
  p.la_code = r.GetText("la_code");
  p.host_la = r.GetText("host_la");
  p.start_date = DayFrom(r.GetText("start_date"));
  p.weekly_cost_pence = r.GetInt64("weekly_cost_pence");
  if (!r.IsNull("distance_miles")) p.distance_miles = r.GetDouble("distance_miles");
  p.confirm_time = FromMicros(r.GetInt64("confirm_time"));
  p.created_by = r.GetText("created_by");
  return p;
}

absl::StatusOr<std::optional<PlacementRecord>> FindPlacementForHold(Transaction& tx,
                                                                    const std::string& hold_id) {
  absl::StatusOr<store::ResultSet> rs =
      tx.Query("SELECT * FROM placements WHERE hold_id = $1", {Text(hold_id)});
  if (!rs.ok()) return rs.status();
  if (rs->empty()) return std::optional<PlacementRecord>();
  return std::optional<PlacementRecord>(PlacementFrom((*rs)[0]));
}

absl::Status EndHold(Transaction& tx, const HoldRecord& hold, int state, const std::string& reason,
                     const WriteContext& w) {
  absl::StatusOr<int64_t> n = tx.Execute(
      "UPDATE holds SET state = $1, release_reason = $2, version = version + 1, updated_at = $3, "
      "updated_by = $4, last_request_id = $5 WHERE hold_id = $6 AND state = 1",
      {Int(state), Text(reason), Int(Micros(w.now)), Text(w.subject), Text(w.request_id),
       Text(hold.hold_id)});
  if (!n.ok()) return n.status();
  if (*n != 1) return absl::AbortedError("hold changed concurrently");
  n = tx.Execute(
      "UPDATE vacancies SET beds_held = beds_held - 1, version = version + 1, updated_at = $1, "
      "updated_by = $2, event_hold_id = $4 WHERE vacancy_id = $3 AND beds_held > 0",
      {Int(Micros(w.now)), Text(w.subject), Text(hold.vacancy_id), Text(hold.hold_id)});
  if (!n.ok()) return n.status();
  if (*n != 1) return absl::InternalError("vacancy had no held bed for an active hold");
  return absl::OkStatus();
}

void LaFilter(const RecordQuery& q, const std::string& column, Conditions* c) {
  if (!q.la_codes.empty()) c->In(column, q.la_codes);
}

void ProviderFilter(const RecordQuery& q, const std::string& vacancy_column, Conditions* c) {
  if (!q.provider_scoped) return;
  c->In(absl::StrCat("(SELECT s.provider_id FROM vacancies v JOIN settings s ON s.setting_id = "
                     "v.setting_id WHERE v.vacancy_id = ",
                     vacancy_column, ")"),
        q.provider_ids);
}

}  // namespace slihub::placement::rows
