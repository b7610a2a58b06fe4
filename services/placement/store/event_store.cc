// PlacementStore's vacancy change log, read by WatchVacancies.
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

using sql::FromMicros;
using store::Int;
using store::Row;
using store::Transaction;
using store::Value;

using rows::VacancyFrom;

constexpr char kEventColumns[] =
    "v.vacancy_id, v.setting_id, v.record_id, v.created_at, v.created_by, v.request_id, "
    "s.region AS v_region, s.host_la AS v_host_la, ";

VacancyEventRecord EventFrom(const Row& r) {
  VacancyEventRecord e;
  e.sequence = r.GetInt64("sequence");
  e.type = static_cast<int>(r.GetInt64("type"));
  e.hold_id = r.GetText("hold_id");
  e.event_time = FromMicros(r.GetInt64("updated_at"));
  e.vacancy = VacancyFrom(r);
  e.provider_id = r.GetText("provider_id");
  e.placement_type = static_cast<int>(r.GetInt64("placement_type"));
  e.setting = rows::SettingFactsFrom(r);
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
  if (absl::Status b = ReadBounds(tx, &page); !b.ok()) return b;
  absl::StatusOr<store::ResultSet> rs =
      tx.Query(absl::StrCat("SELECT ", kEventColumns, rows::kSettingColumns, ", ", rest), params);
  if (!rs.ok()) return rs.status();
  for (const Row& r : *rs) page.events.push_back(EventFrom(r));
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

}  // namespace slihub::placement
