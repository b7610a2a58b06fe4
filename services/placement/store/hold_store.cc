// PlacementStore's holds and placements: the bed race, release, confirmation and expiry.
#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/base/civil_date.h"
#include "common/errors/errors.h"
#include "services/placement/domain/holds.h"
#include "services/placement/domain/matching.h"
#include "services/placement/store/placement_rows.h"
#include "services/placement/store/placement_store.h"
#include "services/placement/store/sql_helpers.h"

namespace slihub::placement {
namespace {

using sql::DayText;
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

using rows::Conditions;
using rows::EndHold;
using rows::FindHold;
using rows::FindPlacementForHold;
using rows::FindReferral;
using rows::HoldFrom;
using rows::kSettingColumns;
using rows::LaFilter;
using rows::MustVacancy;
using rows::PlacementFrom;
using rows::ProviderFilter;
using rows::ReadAll;
using rows::SettingFactsFrom;

}  // namespace

absl::Status PlacementStore::EnsurePeerReferral(Transaction& tx, const std::string& referral_id,
                                              const std::string& la_code,
                                              const WriteContext& w) const {
  absl::StatusOr<int64_t> n = tx.Execute(
      "INSERT INTO referrals(referral_id, la_code, age_years, sex, needs, risks, legal_status, "
      "uasc, home_district, sibling_group_size, urgency, allowed_types, max_distance_miles, "
      "min_ofsted_grade, allow_not_judged, solo_required, keep_siblings_together, state, version, "
      "created_at, created_by, updated_at, updated_by) VALUES ($1, $2, 0, 0, '', '', 0, 0, '', 1, "
      "0, '', 0, 0, 0, 0, 0, 1, 1, $3, $4, $3, $4) ON CONFLICT(referral_id) DO NOTHING",
      {Text(referral_id), Text(la_code), Int(Micros(w.now)), Text(w.subject)});
  if (!n.ok()) return n.status();
  if (*n == 1) return absl::OkStatus();
  auto known = FindReferral(tx, "referral_id = $1", {Text(referral_id)});
  if (!known.ok()) return known.status();
  if (known->has_value() && (*known)->la_code == la_code) return absl::OkStatus();
  absl::Status denied = absl::PermissionDeniedError(
      absl::StrCat("referral ", referral_id, " is known here for another LA"));
  SetErrorInfo(denied, "NOT_OWN_LA");
  return denied;
}

absl::StatusOr<HoldChange> PlacementStore::HoldVacancy(
    Transaction& tx, const std::string& vacancy_id, const std::string& referral_id,
    int64_t expected_version, absl::Duration duration, const WriteContext& w) const {
  HoldChange out;
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
    return Precondition("REFERRAL_NOT_OPEN", "referral/" + referral_id, "the referral is not open");
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
  return out;
}

absl::StatusOr<HoldChange> PlacementStore::ReleaseHold(Transaction& tx, const std::string& hold_id,
                                                       int64_t version, const std::string& reason,
                                                       const WriteContext& w) const {
  HoldChange out;
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
  return out;
}

absl::StatusOr<HoldChange> PlacementStore::ConfirmPlacement(Transaction& tx,
                                                            const std::string& hold_id,
                                                            int64_t version,
                                                            absl::CivilDay start_date,
                                                            const WriteContext& w) const {
  HoldChange out;
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
  absl::StatusOr<store::ResultSet> srs =
      tx.Query(absl::StrCat("SELECT ", kSettingColumns, " FROM settings s WHERE s.setting_id = $1"),
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
  return expired;
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

}  // namespace slihub::placement
