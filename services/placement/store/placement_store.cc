#include "services/placement/store/placement_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/base/civil_date.h"
#include "common/errors/errors.h"
#include "services/placement/domain/holds.h"
#include "services/placement/domain/matching.h"
#include "services/placement/store/sql_helpers.h"

namespace slihub::placement {
namespace {

// When the provider says it confirmed `f`: its stated last_confirmed_at, or the write's time.
absl::Time ConfirmedAt(const VacancyFacts& f, const WriteContext& w) {
  return f.last_confirmed_at == absl::InfinitePast() ? w.now : f.last_confirmed_at;
}

using sql::AuditFrom;
using sql::DayFrom;
using sql::DayText;
using sql::FromMicros;
using sql::Micros;
using sql::NextId;
using sql::NotFound;
using sql::Precondition;
using sql::ReadById;
using sql::Stale;
using store::Int;
using store::Null;
using store::Real;
using store::Row;
using store::Text;
using store::Transaction;
using store::TxMode;
using store::Value;

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

// --- providers ---

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

// --- settings ---

constexpr char kSettingColumns[] =
    "s.setting_id, s.provider_id, s.ofsted_urn, s.name, s.placement_type, s.ofsted_grade, "
    "s.ofsted_grade_date, s.registered_needs, s.age_min, s.age_max, s.sex_accepted, "
    "s.postcode_district, s.latitude, s.longitude, s.host_la, s.region, s.registered_places, "
    "s.active, s.version AS setting_version";

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

// `before`, then the setting's columns ofsted_urn .. active (table order), then `after`.
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

// AlreadyExists when `f` is residential and another residential setting (not `except_id`) has
// its URN.
absl::Status CheckUrnFree(Transaction& tx, const SettingFacts& f, const std::string& except_id) {
  if (!IsResidential(f.placement_type)) return absl::OkStatus();
  auto clash = FindSetting(tx, "s.ofsted_urn = $1 AND s.residential = 1 AND s.setting_id <> $2",
                           {Text(f.ofsted_urn), Text(except_id)});
  if (!clash.ok()) return clash.status();
  if (!clash->has_value()) return absl::OkStatus();
  return absl::AlreadyExistsError(absl::StrCat("a residential setting with URN ", f.ofsted_urn,
                                               " is registered: ", (*clash)->facts.setting_id));
}

// --- vacancies ---

constexpr char kVacancySelect[] =
    "SELECT v.vacancy_id, v.setting_id, v.record_id, v.beds, v.beds_held, v.available_from, "
    "v.weekly_cost_pence, v.occupancy, v.sibling_capacity, v.last_confirmed_at, v.state, "
    "v.version, v.created_at, v.created_by, v.updated_at, v.updated_by, v.request_id, "
    "v.last_request_id, s.region AS v_region, s.host_la AS v_host_la FROM vacancies v "
    "JOIN settings s ON s.setting_id = v.setting_id ";

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

// --- referrals ---

constexpr char kReferralSelect[] = "SELECT * FROM referrals ";

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

// `before`, then r's profile and constraint columns (age_years .. keep_siblings_together, in
// table order), then `after`: the parameters of the referral INSERT and UPDATE.
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

// --- holds and placements ---

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

// Marks one active hold as ended (state) and returns its bed to the vacancy.
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

}  // namespace

PlacementStore::PlacementStore(std::string hub_region) : region_(std::move(hub_region)) {}

absl::StatusOr<ProviderRecord> PlacementStore::CreateProvider(Transaction& tx,
                                                              const ProviderRecord& draft,
                                                              const WriteContext& w) const {
  ProviderRecord out;
  absl::Status st = [&]() -> absl::Status {
    absl::StatusOr<std::string> id = NextId(tx, region_, "p");
    if (!id.ok()) return id.status();
    absl::StatusOr<int64_t> n = tx.Execute(
        "INSERT INTO providers(provider_id, name, kind, la_code, member_subjects, version, "
        "created_at, created_by, updated_at, updated_by, request_id) "
        "VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $6, $7, $8)",
        {Text(*id), Text(draft.name), Int(draft.kind), Text(draft.la_code),
         Text(absl::StrJoin(draft.member_subjects, ",")), Int(Micros(w.now)), Text(w.subject),
         Text(w.request_id)});
    if (!n.ok()) return n.status();
    auto made = FindProvider(tx, "SELECT * FROM providers WHERE provider_id = $1", {Text(*id)});
    if (!made.ok()) return made.status();
    out = **made;
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<ProviderRecord> PlacementStore::GetProvider(Transaction& tx,
                                                           const std::string& provider_id) const {
  return ReadById<ProviderRecord>(tx, "provider", provider_id, [&](Transaction& tx) {
    return FindProvider(tx, "SELECT * FROM providers WHERE provider_id = $1", {Text(provider_id)});
  });
}

absl::StatusOr<ProviderRecord> PlacementStore::UpdateProvider(Transaction& tx,
                                                              const ProviderRecord& next,
                                                              const WriteContext& w) const {
  ProviderRecord out;
  absl::Status st = [&]() -> absl::Status {
    absl::StatusOr<store::ResultSet> rs =
        tx.Query("SELECT * FROM providers WHERE provider_id = $1", {Text(next.provider_id)});
    if (!rs.ok()) return rs.status();
    if (rs->empty()) return NotFound("provider", next.provider_id);
    const ProviderRecord cur = ProviderFrom((*rs)[0]);
    const std::string subject = "provider/" + next.provider_id;
    if (cur.version != next.version) return Stale(subject, next.version, cur.version);
    absl::StatusOr<int64_t> n = tx.Execute(
        "UPDATE providers SET name = $1, kind = $2, la_code = $3, member_subjects = $4, "
        "version = version + 1, updated_at = $5, updated_by = $6, last_request_id = $7 "
        "WHERE provider_id = $8 AND version = $9",
        {Text(next.name), Int(next.kind), Text(next.la_code),
         Text(absl::StrJoin(next.member_subjects, ",")), Int(Micros(w.now)), Text(w.subject),
         Text(w.request_id), Text(next.provider_id), Int(next.version)});
    if (!n.ok()) return n.status();
    if (*n != 1) return Stale(subject, next.version, cur.version + 1);
    auto now = FindProvider(tx, "SELECT * FROM providers WHERE provider_id = $1",
                            {Text(next.provider_id)});
    if (!now.ok()) return now.status();
    out = **now;
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<SettingRecord> PlacementStore::CreateSetting(Transaction& tx,
                                                            const SettingRecord& draft,
                                                            const WriteContext& w) const {
  SettingRecord out;
  absl::Status st = [&]() -> absl::Status {
    auto provider = FindProvider(tx, "SELECT * FROM providers WHERE provider_id = $1",
                                 {Text(draft.facts.provider_id)});
    if (!provider.ok()) return provider.status();
    if (!provider->has_value()) return NotFound("provider", draft.facts.provider_id);
    const SettingFacts& f = draft.facts;
    if (absl::Status free = CheckUrnFree(tx, f, ""); !free.ok()) return free;
    absl::StatusOr<std::string> id = NextId(tx, region_, "s");
    if (!id.ok()) return id.status();
    absl::StatusOr<int64_t> n = tx.Execute(
        "INSERT INTO settings(setting_id, provider_id, ofsted_urn, name, placement_type, "
        "residential, "
        "ofsted_grade, ofsted_grade_date, registered_needs, age_min, age_max, sex_accepted, "
        "postcode_district, latitude, longitude, host_la, region, registered_places, active, "
        "version, created_at, created_by, updated_at, updated_by, request_id) VALUES ($1, $2, $3, "
        "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 1, $20, $21, "
        "$20, $21, $22)",
        SettingValues(draft, {Text(*id), Text(f.provider_id)},
                      {Int(Micros(w.now)), Text(w.subject), Text(w.request_id)}));
    if (!n.ok()) return n.status();
    auto made = FindSetting(tx, "s.setting_id = $1", {Text(*id)});
    if (!made.ok()) return made.status();
    out = **made;
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<SettingRecord> PlacementStore::UpdateSetting(Transaction& tx,
                                                            const SettingRecord& next,
                                                            const WriteContext& w) const {
  SettingRecord out;
  const std::string& id = next.facts.setting_id;
  absl::Status st = [&]() -> absl::Status {
    absl::StatusOr<store::ResultSet> rs =
        tx.Query("SELECT version, last_request_id FROM settings WHERE setting_id = $1", {Text(id)});
    if (!rs.ok()) return rs.status();
    if (rs->empty()) return NotFound("setting", id);
    const int64_t version = (*rs)[0].GetInt64("version");
    const std::string subject = "setting/" + id;
    if (version != next.version) return Stale(subject, next.version, version);
    if (absl::Status free = CheckUrnFree(tx, next.facts, id); !free.ok()) return free;
    absl::StatusOr<int64_t> n = tx.Execute(
        "UPDATE settings SET ofsted_urn = $1, name = $2, placement_type = $3, residential = $4, "
        "ofsted_grade = $5, ofsted_grade_date = $6, registered_needs = $7, age_min = $8, "
        "age_max = $9, sex_accepted = $10, postcode_district = $11, latitude = $12, "
        "longitude = $13, host_la = $14, region = $15, registered_places = $16, active = $17, "
        "version = version + 1, updated_at = $18, updated_by = $19, last_request_id = $20 "
        "WHERE setting_id = $21 AND version = $22",
        SettingValues(next, {},
                      {Int(Micros(w.now)), Text(w.subject), Text(w.request_id), Text(id),
                       Int(next.version)}));
    if (!n.ok()) return n.status();
    if (*n != 1) return Stale(subject, next.version, version + 1);
    // Each vacancy of the setting takes a new change number, so matching and watchers see it.
    n = tx.Execute("UPDATE vacancies SET updated_at = $1, updated_by = $2 WHERE setting_id = $3",
                   {Int(Micros(w.now)), Text(w.subject), Text(id)});
    if (!n.ok()) return n.status();
    auto now = FindSetting(tx, "s.setting_id = $1", {Text(id)});
    if (!now.ok()) return now.status();
    out = **now;
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<SettingRecord> PlacementStore::GetSetting(Transaction& tx,
                                                         const std::string& setting_id) const {
  return ReadById<SettingRecord>(tx, "setting", setting_id, [&](Transaction& tx) {
    return FindSetting(tx, "s.setting_id = $1", {Text(setting_id)});
  });
}

absl::StatusOr<std::pair<VacancyRecord, bool>> PlacementStore::PublishVacancy(
    Transaction& tx, const VacancyRecord& draft, const WriteContext& w) const {
  std::pair<VacancyRecord, bool> out;
  absl::Status st = [&]() -> absl::Status {
    auto setting = FindSetting(tx, "s.setting_id = $1", {Text(draft.facts.setting_id)});
    if (!setting.ok()) return setting.status();
    if (!setting->has_value()) return NotFound("setting", draft.facts.setting_id);
    if (!(*setting)->facts.active) {
      return Precondition("SETTING_INACTIVE", "setting/" + draft.facts.setting_id,
                          "the setting is inactive and takes no vacancies");
    }
    const VacancyFacts& f = draft.facts;
    absl::StatusOr<store::ResultSet> prior =
        tx.Query(absl::StrCat(kVacancySelect, "WHERE v.setting_id = $1 AND v.record_id = $2"),
                 {Text(f.setting_id), Text(draft.record_id)});
    if (!prior.ok()) return prior.status();
    if (!prior->empty()) {
      VacancyRecord existing = VacancyFrom((*prior)[0]);
      const VacancyFacts& e = existing.facts;
      if (e.beds != f.beds || e.available_from != f.available_from ||
          e.weekly_cost_pence != f.weekly_cost_pence || e.occupancy != f.occupancy ||
          e.sibling_capacity != f.sibling_capacity) {
        return absl::AlreadyExistsError(
            absl::StrCat("record_id ", draft.record_id,
                         " is already published with different terms as ", e.vacancy_id));
      }
      absl::StatusOr<int64_t> n = tx.Execute(
          "UPDATE vacancies SET last_confirmed_at = MAX(last_confirmed_at, $4), updated_at = $1, "
          "updated_by = $2, version = version + 1 WHERE vacancy_id = $3 AND state = 1",
          {Int(Micros(w.now)), Text(w.subject), Text(e.vacancy_id),
           Int(Micros(ConfirmedAt(f, w)))});
      if (!n.ok()) return n.status();
      absl::StatusOr<VacancyRecord> now = MustVacancy(tx, e.vacancy_id);
      if (!now.ok()) return now.status();
      out = {*now, false};
      return absl::OkStatus();
    }
    absl::StatusOr<std::string> id = NextId(tx, region_, "v");
    if (!id.ok()) return id.status();
    absl::StatusOr<int64_t> n = tx.Execute(
        "INSERT INTO vacancies(vacancy_id, setting_id, record_id, beds, beds_held, available_from, "
        "weekly_cost_pence, occupancy, sibling_capacity, last_confirmed_at, state, version, "
        "created_at, created_by, updated_at, updated_by, request_id) VALUES ($1, $2, $3, $4, 0, "
        "$5, "
        "$6, $7, $8, $12, 1, 1, $9, $10, $9, $10, $11)",
        {Text(*id), Text(f.setting_id), Text(draft.record_id), Int(f.beds),
         Text(DayText(f.available_from)), Int(f.weekly_cost_pence),
         Int(static_cast<int>(f.occupancy)), Int(f.sibling_capacity), Int(Micros(w.now)),
         Text(w.subject), Text(w.request_id), Int(Micros(ConfirmedAt(f, w)))});
    if (!n.ok()) return n.status();
    absl::StatusOr<VacancyRecord> made = MustVacancy(tx, *id);
    if (!made.ok()) return made.status();
    out = {*made, true};
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<VacancyRecord> PlacementStore::UpdateVacancy(Transaction& tx,
                                                            const VacancyRecord& terms,
                                                            const WriteContext& w) const {
  VacancyRecord out;
  const VacancyFacts& f = terms.facts;
  absl::Status st = [&]() -> absl::Status {
    auto found = FindVacancy(tx, f.vacancy_id);
    if (!found.ok()) return found.status();
    if (!found->has_value()) return NotFound("vacancy", f.vacancy_id);
    const VacancyRecord& cur = (*found)->first;
    const std::string subject = "vacancy/" + f.vacancy_id;
    if (cur.facts.version != f.version) return Stale(subject, f.version, cur.facts.version);
    if (cur.facts.state != VacancyState::kOpen) {
      return Precondition("VACANCY_NOT_OPEN", subject, "the vacancy is filled or withdrawn");
    }
    if (f.beds < cur.facts.beds_held) {
      return Precondition(
          "BEDS_BELOW_HELD", subject,
          absl::StrCat("beds ", f.beds, " would be below the ", cur.facts.beds_held, " beds held"));
    }
    absl::StatusOr<int64_t> n = tx.Execute(
        "UPDATE vacancies SET beds = $1, available_from = $2, weekly_cost_pence = $3, "
        "occupancy = $4, sibling_capacity = $5, last_confirmed_at = MAX(last_confirmed_at, $11), "
        "updated_at = $6, updated_by = $7, last_request_id = $8, version = version + 1 "
        "WHERE vacancy_id = $9 AND version = $10 AND beds_held <= $1",
        {Int(f.beds), Text(DayText(f.available_from)), Int(f.weekly_cost_pence),
         Int(static_cast<int>(f.occupancy)), Int(f.sibling_capacity), Int(Micros(w.now)),
         Text(w.subject), Text(w.request_id), Text(f.vacancy_id), Int(f.version),
         Int(Micros(ConfirmedAt(f, w)))});
    if (!n.ok()) return n.status();
    if (*n != 1) return Stale(subject, f.version, cur.facts.version + 1);
    absl::StatusOr<VacancyRecord> now = MustVacancy(tx, f.vacancy_id);
    if (!now.ok()) return now.status();
    out = *now;
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<VacancyRecord> PlacementStore::GetVacancy(Transaction& tx,
                                                         const std::string& vacancy_id) const {
  VacancyRecord out;
  absl::Status st = [&]() -> absl::Status {
    absl::StatusOr<VacancyRecord> v = MustVacancy(tx, vacancy_id);
    if (!v.ok()) return v.status();
    out = *v;
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<std::vector<VacancyRecord>> PlacementStore::ListVacancies(
    Transaction& tx, const VacancyQuery& q) const {
  std::string where = "WHERE v.vacancy_id > $1";
  std::vector<Value> params = {Text(q.after_id)};
  auto add = [&](const std::string& clause, Value value) {
    params.push_back(std::move(value));
    absl::StrAppend(&where, " AND ",
                    absl::StrReplaceAll(clause, {{"$?", absl::StrCat("$", params.size())}}));
  };
  if (!q.setting_id.empty()) add("v.setting_id = $?", Text(q.setting_id));
  if (!q.provider_id.empty()) add("s.provider_id = $?", Text(q.provider_id));
  if (!q.host_la.empty()) add("s.host_la = $?", Text(q.host_la));
  if (!q.region.empty()) add("s.region = $?", Text(q.region));
  if (!q.member_subject.empty()) {
    add("s.provider_id IN (SELECT provider_id FROM providers WHERE instr(',' || member_subjects "
        "|| ',', ',' || $? || ',') > 0)",
        Text(q.member_subject));
  }
  if (q.available_by.has_value()) add("v.available_from <= $?", Text(DayText(*q.available_by)));
  const std::vector<int> states = q.states.empty() ? std::vector<int>{1} : q.states;
  absl::StrAppend(&where, " AND v.state IN (", JoinInts(states), ")");
  if (!q.placement_types.empty()) {
    absl::StrAppend(&where, " AND s.placement_type IN (", JoinInts(q.placement_types), ")");
  }
  params.push_back(Int(q.limit));
  std::vector<VacancyRecord> out;
  absl::Status st = [&]() -> absl::Status {
    absl::StatusOr<store::ResultSet> rs = tx.Query(
        absl::StrCat(kVacancySelect, where, " ORDER BY v.vacancy_id LIMIT $", params.size()),
        params);
    if (!rs.ok()) return rs.status();
    for (const Row& r : *rs) out.push_back(VacancyFrom(r));
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<VacancyRecord> PlacementStore::ConfirmVacancy(Transaction& tx,
                                                             const std::string& vacancy_id,
                                                             int64_t version, const WriteContext& w,
                                                             absl::Time confirmed_at) const {
  VacancyRecord out;
  absl::Status st = [&]() -> absl::Status {
    auto found = FindVacancy(tx, vacancy_id);
    if (!found.ok()) return found.status();
    if (!found->has_value()) return NotFound("vacancy", vacancy_id);
    const VacancyRecord& cur = (*found)->first;
    const std::string subject = "vacancy/" + vacancy_id;
    if (version != 0 && cur.facts.version != version)
      return Stale(subject, version, cur.facts.version);
    if (cur.facts.state != VacancyState::kOpen) {
      return Precondition("VACANCY_NOT_OPEN", subject, "the vacancy is filled or withdrawn");
    }
    absl::StatusOr<int64_t> n = tx.Execute(
        "UPDATE vacancies SET last_confirmed_at = MAX(last_confirmed_at, $5), updated_at = $1, "
        "updated_by = $2, last_request_id = $3, version = version + 1 "
        "WHERE vacancy_id = $4 AND state = 1",
        {Int(Micros(w.now)), Text(w.subject), Text(w.request_id), Text(vacancy_id),
         Int(Micros(confirmed_at == absl::InfinitePast() ? w.now : confirmed_at))});
    if (!n.ok()) return n.status();
    absl::StatusOr<VacancyRecord> now = MustVacancy(tx, vacancy_id);
    if (!now.ok()) return now.status();
    out = *now;
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<VacancyRecord> PlacementStore::WithdrawVacancy(Transaction& tx,
                                                              const std::string& vacancy_id,
                                                              int64_t version,
                                                              const WriteContext& w) const {
  VacancyRecord out;
  absl::Status st = [&]() -> absl::Status {
    auto found = FindVacancy(tx, vacancy_id);
    if (!found.ok()) return found.status();
    if (!found->has_value()) return NotFound("vacancy", vacancy_id);
    const VacancyRecord& cur = (*found)->first;
    const std::string subject = "vacancy/" + vacancy_id;
    if (cur.facts.version != version) return Stale(subject, version, cur.facts.version);
    if (cur.facts.state != VacancyState::kOpen) {
      return Precondition("VACANCY_NOT_OPEN", subject,
                          "the vacancy is already filled or withdrawn");
    }
    if (cur.facts.beds_held > 0) {
      return Precondition("ACTIVE_HOLDS", subject,
                          absl::StrCat(cur.facts.beds_held, " beds are held; release them first"));
    }
    absl::StatusOr<int64_t> n = tx.Execute(
        "UPDATE vacancies SET state = 3, updated_at = $1, updated_by = $2, last_request_id = $3, "
        "version = version + 1 WHERE vacancy_id = $4 AND version = $5 AND beds_held = 0",
        {Int(Micros(w.now)), Text(w.subject), Text(w.request_id), Text(vacancy_id), Int(version)});
    if (!n.ok()) return n.status();
    if (*n != 1) return Stale(subject, version, cur.facts.version + 1);
    absl::StatusOr<VacancyRecord> now = MustVacancy(tx, vacancy_id);
    if (!now.ok()) return now.status();
    out = *now;
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<std::vector<Candidate>> PlacementStore::LoadCandidates(
    Transaction& tx, Scope scope, const std::string& la_code, const std::string& region) const {
  std::string where = "WHERE v.state = 1";
  std::vector<Value> params;
  if (scope == Scope::kOwnLa) {
    where += " AND s.host_la = $1";
    params.push_back(Text(la_code));
  } else if (scope != Scope::kNational) {
    where += " AND s.region = $1";
    params.push_back(Text(region));
  }
  std::vector<Candidate> out;
  absl::Status st = [&]() -> absl::Status {
    absl::StatusOr<store::ResultSet> rs = tx.Query(
        absl::StrCat("SELECT v.vacancy_id, v.setting_id, v.beds, v.beds_held, v.available_from, "
                     "v.weekly_cost_pence, v.occupancy, v.sibling_capacity, v.last_confirmed_at, "
                     "v.state, v.version, ",
                     kSettingColumns,
                     " FROM vacancies v JOIN settings s ON s.setting_id = v.setting_id ", where,
                     " ORDER BY v.vacancy_id"),
        params);
    if (!rs.ok()) return rs.status();
    out.reserve(rs->size());
    for (const Row& r : *rs) out.push_back(Candidate{SettingFactsFrom(r), VacancyFactsFrom(r)});
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<CandidateChanges> PlacementStore::LoadCandidateChanges(
    Transaction& tx, int64_t after_sequence) const {
  CandidateChanges out;
  absl::Status st = [&]() -> absl::Status {
    absl::StatusOr<store::ResultSet> seq =
        tx.Query("SELECT next FROM id_counters WHERE kind = 'change'");
    if (!seq.ok()) return seq.status();
    out.sequence = seq->empty() ? 0 : (*seq)[0].GetInt64(0);
    if (out.sequence <= after_sequence) return absl::OkStatus();
    absl::StatusOr<store::ResultSet> rs = tx.Query(
        absl::StrCat("SELECT v.vacancy_id, v.setting_id, v.beds, v.beds_held, v.available_from, "
                     "v.weekly_cost_pence, v.occupancy, v.sibling_capacity, v.last_confirmed_at, "
                     "v.state, v.version, ",
                     kSettingColumns,
                     " FROM vacancies v JOIN settings s ON s.setting_id = v.setting_id "
                     "WHERE v.change_seq > $1 ORDER BY v.change_seq"),
        {Int(after_sequence)});
    if (!rs.ok()) return rs.status();
    out.changed.reserve(rs->size());
    for (const Row& r : *rs)
      out.changed.push_back(Candidate{SettingFactsFrom(r), VacancyFactsFrom(r)});
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<Candidate> PlacementStore::LoadCandidate(Transaction& tx,
                                                        const std::string& vacancy_id) const {
  std::optional<Candidate> out;
  absl::Status st = [&]() -> absl::Status {
    absl::StatusOr<store::ResultSet> rs = tx.Query(
        absl::StrCat("SELECT v.vacancy_id, v.setting_id, v.beds, v.beds_held, v.available_from, "
                     "v.weekly_cost_pence, v.occupancy, v.sibling_capacity, v.last_confirmed_at, "
                     "v.state, v.version, ",
                     kSettingColumns,
                     " FROM vacancies v JOIN settings s ON s.setting_id = v.setting_id "
                     "WHERE v.vacancy_id = $1"),
        {Text(vacancy_id)});
    if (!rs.ok()) return rs.status();
    if (!rs->empty()) out = Candidate{SettingFactsFrom((*rs)[0]), VacancyFactsFrom((*rs)[0])};
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  if (!out.has_value()) return NotFound("vacancy", vacancy_id);
  return *out;
}

absl::StatusOr<ReferralRecord> PlacementStore::CreateReferral(Transaction& tx,
                                                              const ReferralRecord& draft,
                                                              const WriteContext& w) const {
  ReferralRecord out;
  absl::Status st = [&]() -> absl::Status {
    absl::StatusOr<std::string> id = NextId(tx, region_, "r");
    if (!id.ok()) return id.status();
    absl::StatusOr<int64_t> n = tx.Execute(
        "INSERT INTO referrals(referral_id, la_code, age_years, sex, needs, risks, legal_status, "
        "uasc, home_district, home_latitude, home_longitude, sibling_group_size, urgency, "
        "allowed_types, max_distance_miles, max_weekly_cost_pence, min_ofsted_grade, "
        "allow_not_judged, needed_by, solo_required, keep_siblings_together, state, version, "
        "created_at, created_by, updated_at, updated_by, request_id) VALUES ($1, $2, $3, $4, $5, "
        "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, 1, 1, $22, "
        "$23, $22, $23, $24)",
        ReferralValues(draft, {Text(*id), Text(draft.la_code)},
                       {Int(Micros(w.now)), Text(w.subject), Text(w.request_id)}));
    if (!n.ok()) return n.status();
    auto made = FindReferral(tx, "referral_id = $1", {Text(*id)});
    if (!made.ok()) return made.status();
    out = **made;
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<ReferralRecord> PlacementStore::GetReferral(Transaction& tx,
                                                           const std::string& referral_id) const {
  return ReadById<ReferralRecord>(tx, "referral", referral_id, [&](Transaction& tx) {
    return FindReferral(tx, "referral_id = $1", {Text(referral_id)});
  });
}

absl::StatusOr<ReferralRecord> PlacementStore::UpdateReferral(Transaction& tx,
                                                              const std::string& referral_id,
                                                              int64_t version,
                                                              const ReferralRecord& next,
                                                              const WriteContext& w) const {
  ReferralRecord out;
  absl::Status st = [&]() -> absl::Status {
    absl::StatusOr<store::ResultSet> rs =
        tx.Query("SELECT * FROM referrals WHERE referral_id = $1", {Text(referral_id)});
    if (!rs.ok()) return rs.status();
    if (rs->empty()) return NotFound("referral", referral_id);
    const ReferralRecord cur = ReferralFrom((*rs)[0]);
    const std::string subject = "referral/" + referral_id;
    if (cur.version != version) return Stale(subject, version, cur.version);
    if (cur.state != kReferralOpen) {
      return Precondition("REFERRAL_NOT_OPEN", subject, "the referral is already placed or closed");
    }
    absl::StatusOr<int64_t> n = tx.Execute(
        "UPDATE referrals SET age_years = $1, sex = $2, needs = $3, risks = $4, "
        "legal_status = $5, uasc = $6, home_district = $7, home_latitude = $8, "
        "home_longitude = $9, sibling_group_size = $10, urgency = $11, allowed_types = $12, "
        "max_distance_miles = $13, max_weekly_cost_pence = $14, min_ofsted_grade = $15, "
        "allow_not_judged = $16, needed_by = $17, solo_required = $18, "
        "keep_siblings_together = $19, version = version + 1, updated_at = $20, "
        "updated_by = $21, last_request_id = $22 WHERE referral_id = $23 AND version = $24",
        ReferralValues(next, {},
                       {Int(Micros(w.now)), Text(w.subject), Text(w.request_id), Text(referral_id),
                        Int(version)}));
    if (!n.ok()) return n.status();
    if (*n != 1) return Stale(subject, version, cur.version + 1);
    auto now = FindReferral(tx, "referral_id = $1", {Text(referral_id)});
    if (!now.ok()) return now.status();
    out = **now;
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<ReferralRecord> PlacementStore::CloseReferral(Transaction& tx,
                                                             const std::string& referral_id,
                                                             int64_t version, int close_reason,
                                                             const WriteContext& w) const {
  ReferralRecord out;
  absl::Status st = [&]() -> absl::Status {
    absl::StatusOr<store::ResultSet> rs =
        tx.Query("SELECT * FROM referrals WHERE referral_id = $1", {Text(referral_id)});
    if (!rs.ok()) return rs.status();
    if (rs->empty()) return NotFound("referral", referral_id);
    const ReferralRecord cur = ReferralFrom((*rs)[0]);
    const std::string subject = "referral/" + referral_id;
    if (cur.version != version) return Stale(subject, version, cur.version);
    if (cur.state != kReferralOpen) {
      return Precondition("REFERRAL_NOT_OPEN", subject, "the referral is already placed or closed");
    }
    absl::StatusOr<int64_t> n = tx.Execute(
        "UPDATE referrals SET state = 3, close_reason = $1, version = version + 1, updated_at = "
        "$2, "
        "updated_by = $3, last_request_id = $4 WHERE referral_id = $5 AND version = $6",
        {Int(close_reason), Int(Micros(w.now)), Text(w.subject), Text(w.request_id),
         Text(referral_id), Int(version)});
    if (!n.ok()) return n.status();
    if (*n != 1) return Stale(subject, version, cur.version + 1);
    absl::StatusOr<store::ResultSet> holds =
        tx.Query("SELECT * FROM holds WHERE referral_id = $1 AND state = 1", {Text(referral_id)});
    if (!holds.ok()) return holds.status();
    for (const Row& r : *holds) {
      absl::Status ended = EndHold(tx, HoldFrom(r), kHoldReleased, "referral closed", w);
      if (!ended.ok()) return ended;
    }
    auto now = FindReferral(tx, "referral_id = $1", {Text(referral_id)});
    if (!now.ok()) return now.status();
    out = **now;
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<HoldChange> PlacementStore::HoldVacancy(
    Transaction& tx, const std::string& vacancy_id, const std::string& referral_id,
    int64_t expected_version, absl::Duration duration, const WriteContext& w) const {
  HoldChange out;
  absl::Status st = [&]() -> absl::Status {
    auto referral = FindReferral(tx, "referral_id = $1", {Text(referral_id)});
    if (!referral.ok()) return referral.status();
    if (!referral->has_value()) return NotFound("referral", referral_id);
    absl::StatusOr<VacancyRecord> vacancy = MustVacancy(tx, vacancy_id);
    if (!vacancy.ok()) return vacancy.status();
    const std::string subject = "vacancy/" + vacancy_id;
    if (expected_version != 0 && vacancy->facts.version != expected_version) {
      return Stale(subject, expected_version, vacancy->facts.version);
    }
    if ((*referral)->state != kReferralOpen) {
      return Precondition("REFERRAL_NOT_OPEN", "referral/" + referral_id,
                          "the referral is not open");
    }
    if (vacancy->facts.state != VacancyState::kOpen) {
      return Precondition("VACANCY_NOT_OPEN", subject, "the vacancy is filled or withdrawn");
    }
    if (vacancy->facts.beds_free() < 1) {
      return Precondition("NO_FREE_BED", subject,
                          absl::StrCat("no free bed: ", vacancy->facts.beds_held, " of ",
                                       vacancy->facts.beds, " beds are held"));
    }
    auto existing = FindHold(tx, "vacancy_id = $1 AND referral_id = $2 AND state = 1",
                             {Text(vacancy_id), Text(referral_id)});
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return Precondition(
          "ALREADY_HELD", subject,
          absl::StrCat("the referral already holds this vacancy: ", (*existing)->first.hold_id));
    }
    // The bed is taken only if it is still free (and the version unchanged) at the moment of the
    // write: this conditional update is what makes double booking impossible.
    absl::StatusOr<std::string> id = NextId(tx, region_, "h");
    if (!id.ok()) return id.status();
    absl::StatusOr<int64_t> n = tx.Execute(
        "UPDATE vacancies SET beds_held = beds_held + 1, version = version + 1, updated_at = $1, "
        "updated_by = $2, event_hold_id = $5 WHERE vacancy_id = $3 AND state = 1 "
        "AND beds_held < beds AND ($4 = 0 OR version = $4)",
        {Int(Micros(w.now)), Text(w.subject), Text(vacancy_id), Int(expected_version), Text(*id)});
    if (!n.ok()) return n.status();
    if (*n != 1) {
      absl::Status lost = absl::AbortedError("lost the race for the last free bed");
      SetErrorInfo(lost, "LOST_RACE");
      return lost;
    }
    n = tx.Execute(
        "INSERT INTO holds(hold_id, vacancy_id, referral_id, la_code, state, expire_at, version, "
        "created_at, created_by, updated_at, updated_by, request_id) VALUES ($1, $2, $3, $4, 1, "
        "$5, "
        "1, $6, $7, $6, $7, $8)",
        {Text(*id), Text(vacancy_id), Text(referral_id), Text((*referral)->la_code),
         Int(Micros(w.now + duration)), Int(Micros(w.now)), Text(w.subject), Text(w.request_id)});
    if (!n.ok()) return n.status();
    auto made = FindHold(tx, "hold_id = $1", {Text(*id)});
    if (!made.ok()) return made.status();
    out.hold = (*made)->first;
    absl::StatusOr<VacancyRecord> after = MustVacancy(tx, vacancy_id);
    if (!after.ok()) return after.status();
    out.vacancy = *after;
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<HoldChange> PlacementStore::ReleaseHold(Transaction& tx, const std::string& hold_id,
                                                       int64_t version, const std::string& reason,
                                                       const WriteContext& w) const {
  HoldChange out;
  absl::Status st = [&]() -> absl::Status {
    auto found = FindHold(tx, "hold_id = $1", {Text(hold_id)});
    if (!found.ok()) return found.status();
    if (!found->has_value()) return NotFound("hold", hold_id);
    const HoldRecord& hold = (*found)->first;
    const std::string subject = "hold/" + hold_id;
    if (hold.version != version) return Stale(subject, version, hold.version);
    if (hold.state != kHoldActive) {
      return Precondition("HOLD_NOT_ACTIVE", subject, "the hold is confirmed, released or expired");
    }
    if (HoldLapsed(hold.expire_time, w.now)) {
      // The sweep (ExpireHolds) frees its bed; this write changes nothing.
      return Precondition("HOLD_EXPIRED", subject, "the hold had expired; its bed is free again");
    }
    absl::Status ended = EndHold(tx, hold, kHoldReleased, reason, w);
    if (!ended.ok()) return ended;
    auto now = FindHold(tx, "hold_id = $1", {Text(hold_id)});
    if (!now.ok()) return now.status();
    out.hold = (*now)->first;
    absl::StatusOr<VacancyRecord> v = MustVacancy(tx, out.hold.vacancy_id);
    if (!v.ok()) return v.status();
    out.vacancy = *v;
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<HoldChange> PlacementStore::ConfirmPlacement(Transaction& tx,
                                                            const std::string& hold_id,
                                                            int64_t version,
                                                            absl::CivilDay start_date,
                                                            const WriteContext& w) const {
  HoldChange out;
  absl::Status st = [&]() -> absl::Status {
    auto found = FindHold(tx, "hold_id = $1", {Text(hold_id)});
    if (!found.ok()) return found.status();
    if (!found->has_value()) return NotFound("hold", hold_id);
    const HoldRecord hold = (*found)->first;
    const std::string subject = "hold/" + hold_id;
    if (hold.version != version) return Stale(subject, version, hold.version);
    if (hold.state != kHoldActive) {
      return Precondition("HOLD_NOT_ACTIVE", subject, "the hold is confirmed, released or expired");
    }
    if (HoldLapsed(hold.expire_time, w.now)) {
      // The sweep (ExpireHolds) frees its bed; this write changes nothing.
      return Precondition("HOLD_EXPIRED", subject, "the hold had expired; its bed is free again");
    }
    absl::StatusOr<VacancyRecord> vacancy = MustVacancy(tx, hold.vacancy_id);
    if (!vacancy.ok()) return vacancy.status();
    if (start_date < vacancy->facts.available_from) {
      return Precondition("START_BEFORE_AVAILABLE", "vacancy/" + hold.vacancy_id,
                          absl::StrCat("the start date is before the vacancy is available (",
                                       DayText(vacancy->facts.available_from), ")"));
    }
    auto referral = FindReferral(tx, "referral_id = $1", {Text(hold.referral_id)});
    if (!referral.ok()) return referral.status();
    if (!referral->has_value() || (*referral)->state != kReferralOpen) {
      return Precondition("REFERRAL_NOT_OPEN", "referral/" + hold.referral_id,
                          "the referral is not open");
    }
    absl::StatusOr<store::ResultSet> srs = tx.Query(
        absl::StrCat("SELECT ", kSettingColumns, " FROM settings s WHERE s.setting_id = $1"),
        {Text(vacancy->facts.setting_id)});
    if (!srs.ok()) return srs.status();
    const SettingFacts setting = SettingFactsFrom((*srs)[0]);
    const std::optional<double> distance = DistanceMiles((*referral)->profile, setting);
    absl::StatusOr<std::string> pid = NextId(tx, region_, "pl");
    if (!pid.ok()) return pid.status();
    absl::StatusOr<int64_t> n = tx.Execute(
        "UPDATE holds SET state = 2, placement_id = $1, version = version + 1, updated_at = $2, "
        "updated_by = $3, last_request_id = $4 WHERE hold_id = $5 AND state = 1 AND version = $6",
        {Text(*pid), Int(Micros(w.now)), Text(w.subject), Text(w.request_id), Text(hold_id),
         Int(version)});
    if (!n.ok()) return n.status();
    if (*n != 1) return Stale(subject, version, hold.version + 1);
    n = tx.Execute(
        "UPDATE vacancies SET beds = beds - 1, beds_held = beds_held - 1, "
        "state = CASE WHEN beds - 1 = 0 THEN 2 ELSE state END, version = version + 1, "
        "updated_at = $1, updated_by = $2, event_hold_id = $4 WHERE vacancy_id = $3 "
        "AND beds_held > 0",
        {Int(Micros(w.now)), Text(w.subject), Text(hold.vacancy_id), Text(hold_id)});
    if (!n.ok()) return n.status();
    if (*n != 1) return absl::InternalError("vacancy had no held bed for an active hold");
    n = tx.Execute(
        "UPDATE referrals SET state = 2, placement_id = $1, version = version + 1, updated_at = "
        "$2, "
        "updated_by = $3 WHERE referral_id = $4 AND state = 1",
        {Text(*pid), Int(Micros(w.now)), Text(w.subject), Text(hold.referral_id)});
    if (!n.ok()) return n.status();
    n = tx.Execute(
        "INSERT INTO placements(placement_id, hold_id, referral_id, vacancy_id, setting_id, "
        "la_code, host_la, start_date, weekly_cost_pence, distance_miles, confirm_time, "
        "created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        {Text(*pid), Text(hold_id), Text(hold.referral_id), Text(hold.vacancy_id),
         Text(setting.setting_id), Text(hold.la_code), Text(setting.host_la),
         Text(DayText(start_date)), Int(vacancy->facts.weekly_cost_pence),
         distance ? Real(*distance) : Null(), Int(Micros(w.now)), Text(w.subject)});
    if (!n.ok()) return n.status();
    // Other active holds of this referral are released: the child is placed.
    absl::StatusOr<store::ResultSet> others = tx.Query(
        "SELECT * FROM holds WHERE referral_id = $1 AND state = 1", {Text(hold.referral_id)});
    if (!others.ok()) return others.status();
    for (const Row& r : *others) {
      absl::Status ended = EndHold(tx, HoldFrom(r), kHoldReleased, "referral placed elsewhere", w);
      if (!ended.ok()) return ended;
    }
    auto now = FindHold(tx, "hold_id = $1", {Text(hold_id)});
    if (!now.ok()) return now.status();
    out.hold = (*now)->first;
    absl::StatusOr<VacancyRecord> v = MustVacancy(tx, out.hold.vacancy_id);
    if (!v.ok()) return v.status();
    out.vacancy = *v;
    auto placement = FindPlacementForHold(tx, hold_id);
    if (!placement.ok()) return placement.status();
    out.placement = *placement;
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<HoldRecord> PlacementStore::GetHold(Transaction& tx,
                                                   const std::string& hold_id) const {
  return ReadById<HoldRecord>(tx, "hold", hold_id,
                              [&](Transaction& tx) -> absl::StatusOr<std::optional<HoldRecord>> {
                                auto h = FindHold(tx, "hold_id = $1", {Text(hold_id)});
                                if (!h.ok()) return h.status();
                                if (!h->has_value()) return std::nullopt;
                                return (*h)->first;
                              });
}

absl::Status PlacementStore::RecordTopMatch(Transaction& tx, const std::string& referral_id,
                                            const std::string& la_code,
                                            const std::string& vacancy_id,
                                            std::optional<double> distance_miles,
                                            absl::Time now) const {
  return [&]() -> absl::Status {
    absl::StatusOr<int64_t> n = tx.Execute(
        "INSERT INTO referral_top_matches(referral_id, la_code, vacancy_id, distance_miles, "
        "matched_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT(referral_id) DO UPDATE SET "
        "la_code = excluded.la_code, vacancy_id = excluded.vacancy_id, "
        "distance_miles = excluded.distance_miles, matched_at = excluded.matched_at",
        {Text(referral_id), Text(la_code), Text(vacancy_id),
         distance_miles.has_value() ? Real(*distance_miles) : Null(), Int(Micros(now))});
    return n.status();
  }();
}

absl::StatusOr<SufficiencyData> PlacementStore::LoadSufficiencyData(
    Transaction& tx, absl::Time period_start, absl::Time period_end, absl::Time now,
    absl::Duration stale_after) const {
  SufficiencyData out;
  absl::Status st = [&]() -> absl::Status {
    absl::StatusOr<store::ResultSet> stock = tx.Query(
        "SELECT s.host_la, s.region, s.placement_type, s.ofsted_grade, v.beds - v.beds_held AS "
        "free, "
        "v.last_confirmed_at FROM vacancies v JOIN settings s ON s.setting_id = v.setting_id "
        "WHERE v.state = 1");
    if (!stock.ok()) return stock.status();
    for (const Row& r : *stock) {
      out.stock.push_back(
          VacancyStock{r.GetText("host_la"), r.GetText("region"),
                       static_cast<PlacementType>(r.GetInt64("placement_type")),
                       static_cast<OfstedGrade>(r.GetInt64("ofsted_grade")),
                       static_cast<int>(r.GetInt64("free")),
                       now - FromMicros(r.GetInt64("last_confirmed_at")) > stale_after});
    }
    absl::StatusOr<store::ResultSet> open = tx.Query(
        "SELECT la_code, count(*) AS n FROM referrals WHERE created_at < $1 "
        "AND (state = 1 OR updated_at >= $1) GROUP BY la_code",
        {Int(Micros(period_end))});
    if (!open.ok()) return open.status();
    for (const Row& r : *open)
      out.open_referrals_by_la[r.GetText("la_code")] = static_cast<int>(r.GetInt64("n"));
    absl::StatusOr<store::ResultSet> placed = tx.Query(
        "SELECT p.la_code, p.distance_miles, p.confirm_time, r.created_at FROM placements p "
        "JOIN referrals r ON r.referral_id = p.referral_id "
        "WHERE p.confirm_time >= $1 AND p.confirm_time < $2",
        {Int(Micros(period_start)), Int(Micros(period_end))});
    if (!placed.ok()) return placed.status();
    for (const Row& r : *placed) {
      PlacementFlow f;
      f.la_code = r.GetText("la_code");
      if (!r.IsNull("distance_miles")) f.distance_miles = r.GetDouble("distance_miles");
      f.time_to_confirmation =
          FromMicros(r.GetInt64("confirm_time")) - FromMicros(r.GetInt64("created_at"));
      out.placements.push_back(std::move(f));
    }
    absl::StatusOr<store::ResultSet> top = tx.Query(
        "SELECT t.la_code, t.distance_miles FROM referral_top_matches t "
        "JOIN referrals r ON r.referral_id = t.referral_id "
        "WHERE r.created_at >= $1 AND r.created_at < $2",
        {Int(Micros(period_start)), Int(Micros(period_end))});
    if (!top.ok()) return top.status();
    for (const Row& r : *top) {
      TopMatchFlow m;
      m.la_code = r.GetText("la_code");
      if (!r.IsNull("distance_miles")) m.distance_miles = r.GetDouble("distance_miles");
      out.top_matches.push_back(std::move(m));
    }
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<PlacementRecord> PlacementStore::GetPlacement(
    Transaction& tx, const std::string& placement_id) const {
  return ReadById<PlacementRecord>(
      tx, "placement", placement_id,
      [&](Transaction& tx) -> absl::StatusOr<std::optional<PlacementRecord>> {
        absl::StatusOr<store::ResultSet> rs =
            tx.Query("SELECT * FROM placements WHERE placement_id = $1", {Text(placement_id)});
        if (!rs.ok()) return rs.status();
        if (rs->empty()) return std::nullopt;
        return PlacementFrom((*rs)[0]);
      });
}

absl::StatusOr<int> PlacementStore::ExpireHolds(Transaction& tx, absl::Time now) const {
  int expired = 0;
  absl::Status st = [&]() -> absl::Status {
    absl::StatusOr<store::ResultSet> rs = tx.Query(
        "SELECT * FROM holds WHERE state = 1 AND expire_at <= $1 ORDER BY expire_at LIMIT 500",
        {Int(Micros(now))});
    if (!rs.ok()) return rs.status();
    const WriteContext w{"system:hold-expiry", "", now};
    for (const Row& r : *rs) {
      absl::Status ended = EndHold(tx, HoldFrom(r), kHoldExpired, "", w);
      if (!ended.ok()) return ended;
      ++expired;
    }
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return expired;
}

namespace {

constexpr char kEventColumns[] =
    "v.vacancy_id, v.setting_id, v.record_id, v.created_at, v.created_by, v.request_id, "
    "s.region AS v_region, s.host_la AS v_host_la, s.provider_id, s.placement_type, ";

VacancyEventRecord EventFrom(const Row& r) {
  VacancyEventRecord e;
  e.sequence = r.GetInt64("sequence");
  e.type = static_cast<int>(r.GetInt64("type"));
  e.hold_id = r.GetText("hold_id");
  e.event_time = FromMicros(r.GetInt64("updated_at"));
  e.vacancy = VacancyFrom(r);
  e.provider_id = r.GetText("provider_id");
  e.placement_type = static_cast<int>(r.GetInt64("placement_type"));
  return e;
}

// Fills page->floor and page->latest from the change counters.
absl::Status ReadBounds(Transaction& tx, VacancyEventPage* page) {
  absl::StatusOr<store::ResultSet> rs =
      tx.Query("SELECT kind, next FROM id_counters WHERE kind IN ('change', 'events_floor')");
  if (!rs.ok()) return rs.status();
  for (const Row& r : *rs) {
    (r.GetText("kind") == "change" ? page->latest : page->floor) = r.GetInt64("next");
  }
  return absl::OkStatus();
}

// The bounds and the events "SELECT <kEventColumns> <rest>" reads, in `tx`.
absl::StatusOr<VacancyEventPage> ReadEventPage(Transaction& tx, absl::string_view rest,
                                               std::vector<Value> params) {
  VacancyEventPage page;
  absl::Status st = [&]() -> absl::Status {
    if (absl::Status b = ReadBounds(tx, &page); !b.ok()) return b;
    absl::StatusOr<store::ResultSet> rs =
        tx.Query(absl::StrCat("SELECT ", kEventColumns, rest), params);
    if (!rs.ok()) return rs.status();
    for (const Row& r : *rs) page.events.push_back(EventFrom(r));
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return page;
}

}  // namespace

absl::StatusOr<VacancyEventPage> PlacementStore::LoadVacancyEvents(Transaction& tx,
                                                                   int64_t after_sequence,
                                                                   int limit) const {
  absl::StatusOr<VacancyEventPage> page = ReadEventPage(
      tx,
      "e.sequence, e.type, e.hold_id, e.event_time AS updated_at, e.updated_by, e.beds, "
      "e.beds_held, e.available_from, e.weekly_cost_pence, e.occupancy, e.sibling_capacity, "
      "e.last_confirmed_at, e.state, e.version FROM vacancy_events e "
      "JOIN vacancies v ON v.vacancy_id = e.vacancy_id JOIN settings s ON s.setting_id = "
      "v.setting_id "
      "WHERE e.sequence > $1 ORDER BY e.sequence LIMIT $2",
      {Int(after_sequence), Int(limit)});
  if (!page.ok()) return page;
  const bool full = limit > 0 && static_cast<int>(page->events.size()) == limit;
  page->read_upto = full ? page->events.back().sequence : std::max(page->latest, after_sequence);
  return page;
}

absl::StatusOr<VacancyEventPage> PlacementStore::LoadVacancySnapshot(Transaction& tx) const {
  absl::StatusOr<VacancyEventPage> page = ReadEventPage(
      tx,
      "v.change_seq AS sequence, 1 AS type, '' AS hold_id, v.updated_at, v.updated_by, v.beds, "
      "v.beds_held, v.available_from, v.weekly_cost_pence, v.occupancy, v.sibling_capacity, "
      "v.last_confirmed_at, v.state, v.version FROM vacancies v "
      "JOIN settings s ON s.setting_id = v.setting_id WHERE v.state = 1 ORDER BY v.change_seq",
      {});
  if (page.ok()) page->read_upto = page->latest;
  return page;
}

absl::StatusOr<std::vector<std::string>> PlacementStore::ProvidersOfMember(
    Transaction& tx, const std::string& subject) const {
  std::vector<std::string> out;
  absl::Status st = [&]() -> absl::Status {
    absl::StatusOr<store::ResultSet> rs = tx.Query(
        "SELECT provider_id FROM providers WHERE instr(',' || member_subjects || ',', "
        "',' || $1 || ',') > 0 ORDER BY provider_id",
        {Text(subject)});
    if (!rs.ok()) return rs.status();
    for (const Row& r : *rs) out.push_back(r.GetText("provider_id"));
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> PlacementStore::LoadRuleParameters(
    Transaction& tx) const {
  std::vector<std::pair<std::string, std::string>> out;
  absl::Status st = [&]() -> absl::Status {
    absl::StatusOr<store::ResultSet> rs =
        tx.Query("SELECT name, value FROM rule_parameters ORDER BY name");
    if (!rs.ok()) return rs.status();
    for (const Row& r : *rs) out.emplace_back(r.GetText("name"), r.GetText("value"));
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

namespace {

// A WHERE clause built from optional filters, with its parameters numbered in order.
class Conditions {
 public:
  // Adds `sql` with "$?" standing for the next parameter, bound to `value`.
  void Add(const std::string& sql, Value value) {
    params_.push_back(std::move(value));
    conds_.push_back(absl::StrReplaceAll(sql, {{"$?", absl::StrCat("$", params_.size())}}));
  }
  // Adds "<column> IN (...)" over `values` (an empty list matches nothing).
  void In(const std::string& column, const std::vector<std::string>& values) {
    std::vector<std::string> marks;
    for (const std::string& v : values) {
      params_.push_back(Text(v));
      marks.push_back(absl::StrCat("$", params_.size()));
    }
    conds_.push_back(
        values.empty() ? "0" : absl::StrCat(column, " IN (", absl::StrJoin(marks, ", "), ")"));
  }
  // Adds the keyset condition "(time, id) < before" for newest-first pages.
  void Before(const std::string& time_col, const std::string& id_col,
              const std::optional<std::pair<int64_t, std::string>>& before) {
    if (!before.has_value()) return;
    params_.push_back(Int(before->first));
    const std::string t = absl::StrCat("$", params_.size());
    params_.push_back(Text(before->second));
    conds_.push_back(absl::StrCat("(", time_col, " < ", t, " OR (", time_col, " = ", t, " AND ",
                                  id_col, " < $", params_.size(), "))"));
  }
  // " WHERE ... ORDER BY time DESC, id DESC LIMIT n".
  std::string Tail(const std::string& time_col, const std::string& id_col, int limit) {
    params_.push_back(Int(limit));
    return absl::StrCat(conds_.empty() ? "" : " WHERE ", absl::StrJoin(conds_, " AND "),
                        " ORDER BY ", time_col, " DESC, ", id_col, " DESC LIMIT $", params_.size());
  }
  const std::vector<Value>& params() const { return params_; }
  // " WHERE ..." (empty without conditions).
  std::string Where() const {
    return conds_.empty() ? "" : absl::StrCat(" WHERE ", absl::StrJoin(conds_, " AND "));
  }
  // Adds a condition whose placeholders were bound with Bind.
  void Raw(std::string sql) { conds_.push_back(std::move(sql)); }
  // Binds `value` as the next parameter and returns its placeholder.
  std::string Bind(Value value) {
    params_.push_back(std::move(value));
    return absl::StrCat("$", params_.size());
  }

 private:
  std::vector<std::string> conds_;
  std::vector<Value> params_;
};

// Runs `sql` with `params` in `tx` and converts each row with `from`.
template <typename Record, typename From>
absl::StatusOr<std::vector<Record>> ReadAll(Transaction& tx, const std::string& sql,
                                            const std::vector<Value>& params, From from) {
  std::vector<Record> out;
  absl::Status st = [&]() -> absl::Status {
    absl::StatusOr<store::ResultSet> rs = tx.Query(sql, params);
    if (!rs.ok()) return rs.status();
    for (const Row& r : *rs) out.push_back(from(r));
    return absl::OkStatus();
  }();
  if (!st.ok()) return st;
  return out;
}

// The placing-LA filter of `q` on `column`.
void LaFilter(const RecordQuery& q, const std::string& column, Conditions* c) {
  if (!q.la_codes.empty()) c->In(column, q.la_codes);
}

// The provider scope of `q`: vacancies whose settings belong to its providers.
void ProviderFilter(const RecordQuery& q, const std::string& vacancy_column, Conditions* c) {
  if (!q.provider_scoped) return;
  c->In(absl::StrCat("(SELECT s.provider_id FROM vacancies v JOIN settings s ON s.setting_id = "
                     "v.setting_id WHERE v.vacancy_id = ",
                     vacancy_column, ")"),
        q.provider_ids);
}

}  // namespace

absl::StatusOr<std::vector<ReferralRecord>> PlacementStore::ListReferrals(
    Transaction& tx, const RecordQuery& q) const {
  Conditions c;
  LaFilter(q, "la_code", &c);
  if (q.state != 0) c.Add("state = $?", Int(q.state));
  c.Before("created_at", "referral_id", q.before);
  const std::string sql =
      absl::StrCat(kReferralSelect, c.Tail("created_at", "referral_id", q.limit));
  return ReadAll<ReferralRecord>(tx, sql, c.params(), ReferralFrom);
}

absl::StatusOr<std::vector<HoldRecord>> PlacementStore::ListHolds(Transaction& tx,
                                                                  const RecordQuery& q) const {
  Conditions c;
  LaFilter(q, "la_code", &c);
  ProviderFilter(q, "holds.vacancy_id", &c);
  if (!q.vacancy_id.empty()) c.Add("vacancy_id = $?", Text(q.vacancy_id));
  if (!q.referral_id.empty()) c.Add("referral_id = $?", Text(q.referral_id));
  if (q.state != 0) c.Add("state = $?", Int(q.state));
  c.Before("created_at", "hold_id", q.before);
  const std::string sql =
      absl::StrCat("SELECT * FROM holds", c.Tail("created_at", "hold_id", q.limit));
  return ReadAll<HoldRecord>(tx, sql, c.params(), HoldFrom);
}

absl::StatusOr<std::vector<PlacementRecord>> PlacementStore::ListPlacements(
    Transaction& tx, const RecordQuery& q) const {
  Conditions c;
  LaFilter(q, "la_code", &c);
  ProviderFilter(q, "placements.vacancy_id", &c);
  if (!q.setting_id.empty()) c.Add("setting_id = $?", Text(q.setting_id));
  if (!q.host_la.empty()) c.Add("host_la = $?", Text(q.host_la));
  if (q.start_from.has_value()) c.Add("start_date >= $?", Text(DayText(*q.start_from)));
  if (q.start_to.has_value()) c.Add("start_date <= $?", Text(DayText(*q.start_to)));
  c.Before("confirm_time", "placement_id", q.before);
  const std::string sql =
      absl::StrCat("SELECT * FROM placements", c.Tail("confirm_time", "placement_id", q.limit));
  return ReadAll<PlacementRecord>(tx, sql, c.params(), PlacementFrom);
}

absl::StatusOr<std::vector<ProviderRecord>> PlacementStore::ListProviders(
    Transaction& tx, const ProviderQuery& q) const {
  Conditions c;
  if (q.kind != 0) c.Add("kind = $?", Int(q.kind));
  if (!q.la_code.empty()) c.Add("la_code = $?", Text(q.la_code));
  if (q.after.has_value()) {
    const std::string name = c.Bind(Text(q.after->first));
    const std::string id = c.Bind(Text(q.after->second));
    c.Raw(absl::StrCat("(name > ", name, " OR (name = ", name, " AND provider_id > ", id, "))"));
  }
  const std::string limit = c.Bind(Int(q.limit));
  return ReadAll<ProviderRecord>(tx,
                                 absl::StrCat("SELECT * FROM providers", c.Where(),
                                              " ORDER BY name, provider_id LIMIT ", limit),
                                 c.params(), ProviderFrom);
}

absl::StatusOr<std::vector<SettingRecord>> PlacementStore::ListSettings(
    Transaction& tx, const SettingQuery& q) const {
  Conditions c;
  if (!q.include_inactive) c.Add("s.active = $?", Int(1));
  if (!q.provider_id.empty()) c.Add("s.provider_id = $?", Text(q.provider_id));
  if (!q.host_la.empty()) c.Add("s.host_la = $?", Text(q.host_la));
  if (!q.region.empty()) c.Add("s.region = $?", Text(q.region));
  if (!q.ofsted_urn.empty()) c.Add("s.ofsted_urn = $?", Text(q.ofsted_urn));
  if (!q.placement_types.empty()) {
    std::vector<std::string> types;
    for (int t : q.placement_types) types.push_back(absl::StrCat(t));
    c.In("CAST(s.placement_type AS TEXT)", types);
  }
  if (q.provider_scoped) c.In("s.provider_id", q.provider_ids);
  c.Add("s.setting_id > $?", Text(q.after_id));
  const std::string limit = c.Bind(Int(q.limit));
  return ReadAll<SettingRecord>(
      tx,
      absl::StrCat("SELECT ", kSettingColumns,
                   ", s.created_at, s.created_by, s.updated_at, s.updated_by, s.request_id "
                   "FROM settings s",
                   c.Where(), " ORDER BY s.setting_id LIMIT ", limit),
      c.params(), SettingFrom);
}

}  // namespace slihub::placement
