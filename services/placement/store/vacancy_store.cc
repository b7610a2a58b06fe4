// PlacementStore's vacancies and the candidates a match reads.
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
using sql::Stale;
using store::Int;
using store::Row;
using store::Text;
using store::Transaction;
using store::Value;

using rows::ConfirmedAt;
using rows::FindSetting;
using rows::FindVacancy;
using rows::JoinInts;
using rows::kSettingColumns;
using rows::kVacancySelect;
using rows::MustVacancy;
using rows::SettingFactsFrom;
using rows::VacancyFactsFrom;
using rows::VacancyFrom;

}  // namespace

absl::StatusOr<std::pair<VacancyRecord, bool>> PlacementStore::PublishVacancy(
    Transaction& tx, const VacancyRecord& draft, const WriteContext& w) const {
  std::pair<VacancyRecord, bool> out;
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
      return absl::AlreadyExistsError(absl::StrCat("record_id ", draft.record_id,
                                                   " is already published with different terms as ",
                                                   e.vacancy_id));
    }
    absl::StatusOr<int64_t> n = tx.Execute(
        "UPDATE vacancies SET last_confirmed_at = MAX(last_confirmed_at, $4), updated_at = $1, "
        "updated_by = $2, version = version + 1 WHERE vacancy_id = $3 AND state = 1",
        {Int(Micros(w.now)), Text(w.subject), Text(e.vacancy_id), Int(Micros(ConfirmedAt(f, w)))});
    if (!n.ok()) return n.status();
    absl::StatusOr<VacancyRecord> now = MustVacancy(tx, e.vacancy_id);
    if (!now.ok()) return now.status();
    out = {*now, false};
    return out;
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
  return out;
}

absl::StatusOr<VacancyRecord> PlacementStore::UpdateVacancy(Transaction& tx,
                                                            const VacancyRecord& terms,
                                                            const WriteContext& w) const {
  const VacancyFacts& f = terms.facts;
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
  return *now;
}

absl::StatusOr<VacancyRecord> PlacementStore::GetVacancy(Transaction& tx,
                                                         const std::string& vacancy_id) const {
  absl::StatusOr<VacancyRecord> v = MustVacancy(tx, vacancy_id);
  if (!v.ok()) return v.status();
  return *v;
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
  absl::StatusOr<store::ResultSet> rs = tx.Query(
      absl::StrCat(kVacancySelect, where, " ORDER BY v.vacancy_id LIMIT $", params.size()), params);
  if (!rs.ok()) return rs.status();
  for (const Row& r : *rs) out.push_back(VacancyFrom(r));
  return out;
}

absl::StatusOr<VacancyRecord> PlacementStore::ConfirmVacancy(Transaction& tx,
                                                             const std::string& vacancy_id,
                                                             int64_t version, const WriteContext& w,
                                                             absl::Time confirmed_at) const {
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
  return *now;
}

absl::StatusOr<VacancyRecord> PlacementStore::WithdrawVacancy(Transaction& tx,
                                                              const std::string& vacancy_id,
                                                              int64_t version,
                                                              const WriteContext& w) const {
  auto found = FindVacancy(tx, vacancy_id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return NotFound("vacancy", vacancy_id);
  const VacancyRecord& cur = (*found)->first;
  const std::string subject = "vacancy/" + vacancy_id;
  if (cur.facts.version != version) return Stale(subject, version, cur.facts.version);
  if (cur.facts.state != VacancyState::kOpen) {
    return Precondition("VACANCY_NOT_OPEN", subject, "the vacancy is already filled or withdrawn");
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
  return *now;
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
  return out;
}

absl::StatusOr<CandidateChanges> PlacementStore::LoadCandidateChanges(
    Transaction& tx, int64_t after_sequence) const {
  CandidateChanges out;
  absl::StatusOr<store::ResultSet> seq =
      tx.Query("SELECT next FROM id_counters WHERE kind = 'change'");
  if (!seq.ok()) return seq.status();
  out.sequence = seq->empty() ? 0 : (*seq)[0].GetInt64(0);
  if (out.sequence <= after_sequence) return out;
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
  return out;
}

absl::StatusOr<Candidate> PlacementStore::LoadCandidate(Transaction& tx,
                                                        const std::string& vacancy_id) const {
  absl::StatusOr<store::ResultSet> rs = tx.Query(
      absl::StrCat("SELECT v.vacancy_id, v.setting_id, v.beds, v.beds_held, v.available_from, "
                   "v.weekly_cost_pence, v.occupancy, v.sibling_capacity, v.last_confirmed_at, "
                   "v.state, v.version, ",
                   kSettingColumns,
                   " FROM vacancies v JOIN settings s ON s.setting_id = v.setting_id "
                   "WHERE v.vacancy_id = $1"),
      {Text(vacancy_id)});
  if (!rs.ok()) return rs.status();
  if (rs->empty()) return NotFound("vacancy", vacancy_id);
  return Candidate{SettingFactsFrom((*rs)[0]), VacancyFactsFrom((*rs)[0])};
}

}  // namespace slihub::placement
