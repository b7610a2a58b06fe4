// PlacementStore's providers and settings.
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

using sql::Micros;
using sql::NextId;
using sql::NotFound;
using sql::ReadById;
using sql::Stale;
using store::Int;
using store::Row;
using store::Text;
using store::Transaction;

using rows::CheckUrnFree;
using rows::Conditions;
using rows::FindProvider;
using rows::FindSetting;
using rows::kSettingColumns;
using rows::ProviderFrom;
using rows::ReadAll;
using rows::SettingFrom;
using rows::SettingValues;

}  // namespace

absl::StatusOr<ProviderRecord> PlacementStore::CreateProvider(Transaction& tx,
                                                              const ProviderRecord& draft,
                                                              const WriteContext& w) const {
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
  return **made;
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
  auto now =
      FindProvider(tx, "SELECT * FROM providers WHERE provider_id = $1", {Text(next.provider_id)});
  if (!now.ok()) return now.status();
  return **now;
}

absl::StatusOr<SettingRecord> PlacementStore::CreateSetting(Transaction& tx,
                                                            const SettingRecord& draft,
                                                            const WriteContext& w) const {
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
  return **made;
}

absl::StatusOr<SettingRecord> PlacementStore::UpdateSetting(Transaction& tx,
                                                            const SettingRecord& next,
                                                            const WriteContext& w) const {
  const std::string& id = next.facts.setting_id;
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
      SettingValues(
          next, {},
          {Int(Micros(w.now)), Text(w.subject), Text(w.request_id), Text(id), Int(next.version)}));
  if (!n.ok()) return n.status();
  if (*n != 1) return Stale(subject, next.version, version + 1);
  // Each vacancy of the setting takes a new change number, so matching and watchers see it.
  n = tx.Execute("UPDATE vacancies SET updated_at = $1, updated_by = $2 WHERE setting_id = $3",
                 {Int(Micros(w.now)), Text(w.subject), Text(id)});
  if (!n.ok()) return n.status();
  auto now = FindSetting(tx, "s.setting_id = $1", {Text(id)});
  if (!now.ok()) return now.status();
  return **now;
}

absl::StatusOr<SettingRecord> PlacementStore::GetSetting(Transaction& tx,
                                                         const std::string& setting_id) const {
  return ReadById<SettingRecord>(tx, "setting", setting_id, [&](Transaction& tx) {
    return FindSetting(tx, "s.setting_id = $1", {Text(setting_id)});
  });
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

absl::StatusOr<std::vector<std::string>> PlacementStore::ProvidersOfMember(
    Transaction& tx, const std::string& subject) const {
  std::vector<std::string> out;
  absl::StatusOr<store::ResultSet> rs = tx.Query(
      "SELECT provider_id FROM providers WHERE instr(',' || member_subjects || ',', "
      "',' || $1 || ',') > 0 ORDER BY provider_id",
      {Text(subject)});
  if (!rs.ok()) return rs.status();
  for (const Row& r : *rs) out.push_back(r.GetText("provider_id"));
  return out;
}

}  // namespace slihub::placement
