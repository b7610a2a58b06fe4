#include "services/placement/store/migrations.h"

#include "absl/strings/str_cat.h"
#include "common/server/idempotency.h"
#include "common/store/sqlite_database.h"

namespace slihub::placement {
namespace {

// A trigger body's start: the vacancy takes the next change number and an event row begins with
// its sequence and vacancy id.
constexpr char kLogChange[] = R"sql(
  UPDATE id_counters SET next = next + 1 WHERE kind = 'change';
  UPDATE vacancies SET change_seq = (SELECT next FROM id_counters WHERE kind = 'change')
    WHERE vacancy_id = NEW.vacancy_id;
  INSERT INTO vacancy_events(sequence, vacancy_id, type, hold_id, event_time, updated_by, beds,
    beds_held, available_from, weekly_cost_pence, occupancy, sibling_capacity, last_confirmed_at,
    state, version)
  VALUES ((SELECT next FROM id_counters WHERE kind = 'change'), NEW.vacancy_id,)sql";

// The rest of the update trigger (after kLogChange): the event's type, hold and vacancy state.
constexpr char kVacancyUpdateEvent[] = R"sql(
    CASE
      WHEN NEW.state = 3 AND OLD.state <> 3 THEN 9
      WHEN NEW.beds_held < OLD.beds_held AND NEW.beds < OLD.beds THEN 8
      WHEN NEW.beds_held > OLD.beds_held THEN 6
      WHEN NEW.beds_held < OLD.beds_held THEN 7
      WHEN NEW.beds = OLD.beds AND NEW.available_from = OLD.available_from
        AND NEW.weekly_cost_pence = OLD.weekly_cost_pence AND NEW.occupancy = OLD.occupancy
        AND NEW.sibling_capacity = OLD.sibling_capacity
        AND NEW.last_confirmed_at <> OLD.last_confirmed_at THEN 4
      ELSE 3
    END,
    CASE WHEN NEW.beds_held <> OLD.beds_held THEN NEW.event_hold_id ELSE '' END,
    NEW.updated_at, NEW.updated_by, NEW.beds, NEW.beds_held, NEW.available_from, NEW.weekly_cost_pence, NEW.occupancy, NEW.sibling_capacity, NEW.last_confirmed_at, NEW.state, NEW.version);
END)sql";

// Every update of a vacancy takes the next change sequence number and logs a vacancy event with
// the type the change amounts to (WITHDRAWN, FILLED, HELD, HOLD_RELEASED, CONFIRMED when only
// the confirmation time moved, else UPDATED), the hold concerned and the vacancy's new state.
std::string VacancyUpdateTrigger() {
  return absl::StrCat(
      "\nCREATE TRIGGER vacancies_change_on_update AFTER UPDATE ON vacancies\n"
      "WHEN NEW.change_seq = OLD.change_seq BEGIN",
      kLogChange, kVacancyUpdateEvent);
}

}  // namespace

const std::vector<store::Migration>& PlacementMigrations() {
  static const std::vector<store::Migration>* const kMigrations = new std::vector<store::Migration>{
      {1, "providers settings vacancies referrals holds placements", R"sql(
CREATE TABLE id_counters (kind TEXT PRIMARY KEY, next INTEGER NOT NULL);
CREATE TABLE providers (
  provider_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  la_code TEXT NOT NULL DEFAULT '',
  member_subjects TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL,
  request_id TEXT NOT NULL DEFAULT '');
CREATE UNIQUE INDEX providers_request ON providers(created_by, request_id) WHERE request_id <> '';
CREATE TABLE settings (
  setting_id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers(provider_id),
  ofsted_urn TEXT NOT NULL,
  name TEXT NOT NULL,
  placement_type INTEGER NOT NULL,
  residential INTEGER NOT NULL,
  ofsted_grade INTEGER NOT NULL,
  ofsted_grade_date TEXT NOT NULL DEFAULT '',
  registered_needs TEXT NOT NULL,
  age_min INTEGER NOT NULL, age_max INTEGER NOT NULL,
  sex_accepted INTEGER NOT NULL,
  postcode_district TEXT NOT NULL,
  latitude REAL, longitude REAL,
  host_la TEXT NOT NULL,
  region TEXT NOT NULL,
  registered_places INTEGER NOT NULL,
  active INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL,
  request_id TEXT NOT NULL DEFAULT '');
CREATE UNIQUE INDEX settings_request ON settings(created_by, request_id) WHERE request_id <> '';
CREATE UNIQUE INDEX settings_residential_urn ON settings(ofsted_urn) WHERE residential = 1;
CREATE INDEX settings_region ON settings(region, host_la);
CREATE TABLE vacancies (
  vacancy_id TEXT PRIMARY KEY,
  setting_id TEXT NOT NULL REFERENCES settings(setting_id),
  record_id TEXT NOT NULL,
  beds INTEGER NOT NULL,
  beds_held INTEGER NOT NULL DEFAULT 0,
  available_from TEXT NOT NULL,
  weekly_cost_pence INTEGER NOT NULL,
  occupancy INTEGER NOT NULL,
  sibling_capacity INTEGER NOT NULL,
  last_confirmed_at INTEGER NOT NULL,
  state INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL,
  request_id TEXT NOT NULL DEFAULT '',
  last_request_id TEXT NOT NULL DEFAULT '',
  UNIQUE (setting_id, record_id),
  CHECK (beds_held >= 0 AND beds_held <= beds AND beds >= 0));
CREATE INDEX vacancies_state ON vacancies(state, setting_id);
CREATE TABLE referrals (
  referral_id TEXT PRIMARY KEY,
  la_code TEXT NOT NULL,
  age_years INTEGER NOT NULL,
  sex INTEGER NOT NULL,
  needs TEXT NOT NULL,
  risks TEXT NOT NULL,
  legal_status INTEGER NOT NULL,
  uasc INTEGER NOT NULL,
  home_district TEXT NOT NULL,
  home_latitude REAL, home_longitude REAL,
  sibling_group_size INTEGER NOT NULL,
  urgency INTEGER NOT NULL,
  allowed_types TEXT NOT NULL,
  max_distance_miles REAL NOT NULL,
  max_weekly_cost_pence INTEGER,
  min_ofsted_grade INTEGER NOT NULL,
  allow_not_judged INTEGER NOT NULL,
  needed_by TEXT NOT NULL DEFAULT '',
  solo_required INTEGER NOT NULL,
  keep_siblings_together INTEGER NOT NULL,
  state INTEGER NOT NULL,
  placement_id TEXT NOT NULL DEFAULT '',
  close_reason INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL,
  request_id TEXT NOT NULL DEFAULT '');
CREATE UNIQUE INDEX referrals_request ON referrals(created_by, request_id) WHERE request_id <> '';
CREATE TABLE holds (
  hold_id TEXT PRIMARY KEY,
  vacancy_id TEXT NOT NULL REFERENCES vacancies(vacancy_id),
  referral_id TEXT NOT NULL REFERENCES referrals(referral_id),
  la_code TEXT NOT NULL,
  state INTEGER NOT NULL,
  expire_at INTEGER NOT NULL,
  placement_id TEXT NOT NULL DEFAULT '',
  release_reason TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL,
  request_id TEXT NOT NULL DEFAULT '',
  last_request_id TEXT NOT NULL DEFAULT '');
CREATE UNIQUE INDEX holds_request ON holds(created_by, request_id) WHERE request_id <> '';
CREATE UNIQUE INDEX holds_active_pair ON holds(vacancy_id, referral_id) WHERE state = 1;
CREATE INDEX holds_active_expiry ON holds(expire_at) WHERE state = 1;
CREATE TABLE placements (
  placement_id TEXT PRIMARY KEY,
  hold_id TEXT NOT NULL UNIQUE REFERENCES holds(hold_id),
  referral_id TEXT NOT NULL,
  vacancy_id TEXT NOT NULL,
  setting_id TEXT NOT NULL,
  la_code TEXT NOT NULL,
  host_la TEXT NOT NULL,
  start_date TEXT NOT NULL,
  weekly_cost_pence INTEGER NOT NULL,
  distance_miles REAL,
  confirm_time INTEGER NOT NULL,
  created_by TEXT NOT NULL)
)sql"},
      {2, "vacancy change sequence", R"sql(
ALTER TABLE vacancies ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
UPDATE vacancies SET change_seq = rowid;
INSERT INTO id_counters(kind, next) VALUES ('change', 0) ON CONFLICT(kind) DO NOTHING;
UPDATE id_counters SET next = (SELECT coalesce(max(change_seq), 0) FROM vacancies)
  WHERE kind = 'change';
CREATE INDEX vacancies_change_seq ON vacancies(change_seq);
CREATE TRIGGER vacancies_change_on_insert AFTER INSERT ON vacancies BEGIN
  UPDATE id_counters SET next = next + 1 WHERE kind = 'change';
  UPDATE vacancies SET change_seq = (SELECT next FROM id_counters WHERE kind = 'change')
    WHERE vacancy_id = NEW.vacancy_id;
END;
CREATE TRIGGER vacancies_change_on_update AFTER UPDATE ON vacancies
WHEN NEW.change_seq = OLD.change_seq BEGIN
  UPDATE id_counters SET next = next + 1 WHERE kind = 'change';
  UPDATE vacancies SET change_seq = (SELECT next FROM id_counters WHERE kind = 'change')
    WHERE vacancy_id = NEW.vacancy_id;
END
)sql"},
      {3, "referral last request id", R"sql(
ALTER TABLE referrals ADD COLUMN last_request_id TEXT NOT NULL DEFAULT ''
)sql"},
      {4, "uasc threshold rules, populations, transfers, bank holidays", R"sql(
CREATE TABLE uasc_threshold_rules (
  version INTEGER PRIMARY KEY,
  effective_from TEXT NOT NULL UNIQUE,
  rate_per_100000 INTEGER NOT NULL CHECK (rate_per_100000 > 0),
  created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
  request_id TEXT NOT NULL DEFAULT '');
CREATE UNIQUE INDEX uasc_rules_request ON uasc_threshold_rules(created_by, request_id)
  WHERE request_id <> '';
INSERT INTO uasc_threshold_rules(version, effective_from, rate_per_100000, created_at, created_by)
  VALUES (1, '2016-07-01', 70, 0, 'migration'), (2, '2022-08-24', 100, 0, 'migration');
CREATE TABLE uasc_populations (
  la_code TEXT NOT NULL,
  as_of TEXT NOT NULL,
  under18_population INTEGER NOT NULL CHECK (under18_population >= 0),
  uasc_count INTEGER NOT NULL CHECK (uasc_count >= 0),
  created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL,
  request_id TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (la_code, as_of));
CREATE TABLE uasc_transfers (
  transfer_id TEXT PRIMARY KEY,
  record_id TEXT NOT NULL,
  referring_la TEXT NOT NULL,
  receiving_la TEXT NOT NULL,
  referred_on TEXT NOT NULL,
  from_hotel INTEGER NOT NULL,
  deadline TEXT NOT NULL,
  state INTEGER NOT NULL,
  transferred_on TEXT NOT NULL DEFAULT '',
  cancel_reason TEXT NOT NULL DEFAULT '',
  cancel_time INTEGER,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL,
  request_id TEXT NOT NULL DEFAULT '',
  last_request_id TEXT NOT NULL DEFAULT '',
  UNIQUE (referring_la, record_id));
CREATE INDEX uasc_transfers_deadline ON uasc_transfers(deadline, transfer_id);
CREATE TABLE bank_holidays (day TEXT PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO bank_holidays(day, name) VALUES
  ('2022-01-03', 'New Year''s Day (substitute)'),
  ('2022-04-15', 'Good Friday'),
  ('2022-04-18', 'Easter Monday'),
  ('2022-05-02', 'Early May bank holiday'),
  ('2022-06-02', 'Spring bank holiday'),
  ('2022-06-03', 'Platinum Jubilee bank holiday'),
  ('2022-08-29', 'Summer bank holiday'),
  ('2022-09-19', 'State Funeral of Queen Elizabeth II'),
  ('2022-12-26', 'Boxing Day'),
  ('2022-12-27', 'Christmas Day (substitute)'),
  ('2023-01-02', 'New Year''s Day (substitute)'),
  ('2023-04-07', 'Good Friday'),
  ('2023-04-10', 'Easter Monday'),
  ('2023-05-01', 'Early May bank holiday'),
  ('2023-05-08', 'Bank holiday for the coronation of King Charles III'),
  ('2023-05-29', 'Spring bank holiday'),
  ('2023-08-28', 'Summer bank holiday'),
  ('2023-12-25', 'Christmas Day'),
  ('2023-12-26', 'Boxing Day'),
  ('2024-01-01', 'New Year''s Day'),
  ('2024-03-29', 'Good Friday'),
  ('2024-04-01', 'Easter Monday'),
  ('2024-05-06', 'Early May bank holiday'),
  ('2024-05-27', 'Spring bank holiday'),
  ('2024-08-26', 'Summer bank holiday'),
  ('2024-12-25', 'Christmas Day'),
  ('2024-12-26', 'Boxing Day'),
  ('2025-01-01', 'New Year''s Day'),
  ('2025-04-18', 'Good Friday'),
  ('2025-04-21', 'Easter Monday'),
  ('2025-05-05', 'Early May bank holiday'),
  ('2025-05-26', 'Spring bank holiday'),
  ('2025-08-25', 'Summer bank holiday'),
  ('2025-12-25', 'Christmas Day'),
  ('2025-12-26', 'Boxing Day'),
  ('2026-01-01', 'New Year''s Day'),
  ('2026-04-03', 'Good Friday'),
  ('2026-04-06', 'Easter Monday'),
  ('2026-05-04', 'Early May bank holiday'),
  ('2026-05-25', 'Spring bank holiday'),
  ('2026-08-31', 'Summer bank holiday'),
  ('2026-12-25', 'Christmas Day'),
  ('2026-12-28', 'Boxing Day (substitute)'),
  ('2027-01-01', 'New Year''s Day'),
  ('2027-03-26', 'Good Friday'),
  ('2027-03-29', 'Easter Monday'),
  ('2027-05-03', 'Early May bank holiday'),
  ('2027-05-31', 'Spring bank holiday'),
  ('2027-08-30', 'Summer bank holiday'),
  ('2027-12-27', 'Christmas Day (substitute)'),
  ('2027-12-28', 'Boxing Day (substitute)')
)sql"},
      {5, "vacancy event log for WatchVacancies", absl::StrCat(R"sql(
ALTER TABLE vacancies ADD COLUMN event_hold_id TEXT NOT NULL DEFAULT '';
CREATE TABLE vacancy_events (
  sequence INTEGER PRIMARY KEY,
  vacancy_id TEXT NOT NULL,
  type INTEGER NOT NULL,
  hold_id TEXT NOT NULL,
  event_time INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  beds INTEGER NOT NULL, beds_held INTEGER NOT NULL, available_from TEXT NOT NULL,
  weekly_cost_pence INTEGER NOT NULL, occupancy INTEGER NOT NULL, sibling_capacity INTEGER NOT NULL,
  last_confirmed_at INTEGER NOT NULL, state INTEGER NOT NULL, version INTEGER NOT NULL);
INSERT INTO id_counters(kind, next)
  SELECT 'events_floor', coalesce((SELECT next FROM id_counters WHERE kind = 'change'), 0)
  WHERE true ON CONFLICT(kind) DO NOTHING;
DROP TRIGGER vacancies_change_on_insert;
DROP TRIGGER vacancies_change_on_update;
CREATE TRIGGER vacancies_change_on_insert AFTER INSERT ON vacancies BEGIN)sql", kLogChange, R"sql( 2, '',
    NEW.updated_at, NEW.updated_by, NEW.beds, NEW.beds_held, NEW.available_from, NEW.weekly_cost_pence, NEW.occupancy, NEW.sibling_capacity, NEW.last_confirmed_at, NEW.state, NEW.version);
END;
)sql", VacancyUpdateTrigger())},
      {6, "rule parameters", R"sql(
CREATE TABLE rule_parameters (name TEXT PRIMARY KEY, value TEXT NOT NULL, note TEXT NOT NULL);
INSERT INTO rule_parameters(name, value, note) VALUES
  ('hold_max_hours', '72', 'the longest a bed may be held (1..168)'),
  ('stale_after_days', '14', 'a vacancy not confirmed for this long is stale, ranked down (1..365)'),
  ('distance_horizon_miles', '60', 'distance score falls from 1 at home to 0 here'),
  ('cost_horizon_pence', '600000', 'cost score falls from 1 at zero to 0 at this weekly cost'),
  ('near_home_miles', '20', 'within this distance a placement counts as near home'),
  ('weight.distance', '0.30', 'score weight (0..100)'),
  ('weight.cost', '0.15', 'score weight (0..100)'),
  ('weight.ofsted_grade', '0.20', 'score weight (0..100)'),
  ('weight.needs_fit', '0.10', 'score weight (0..100)'),
  ('weight.in_la', '0.10', 'score weight (0..100)'),
  ('weight.in_region', '0.05', 'score weight (0..100)'),
  ('weight.sibling_capacity', '0.05', 'score weight (0..100)'),
  ('weight.staleness', '0.05', 'score weight (0..100)')
)sql"},
      {7, "provider last request id", R"sql(
ALTER TABLE providers ADD COLUMN last_request_id TEXT NOT NULL DEFAULT ''
)sql"},
      {8, "setting last request id; vacancy events UPDATED unless only the confirmation moved", absl::StrCat(
          "ALTER TABLE settings ADD COLUMN last_request_id TEXT NOT NULL DEFAULT '';\n"
          "DROP TRIGGER vacancies_change_on_update;\n",
          VacancyUpdateTrigger())},
      {9, "the top-ranked match of each referral, for the sufficiency figures", R"sql(
CREATE TABLE referral_top_matches (
  referral_id TEXT PRIMARY KEY REFERENCES referrals(referral_id),
  la_code TEXT NOT NULL,
  vacancy_id TEXT NOT NULL,
  distance_miles REAL,
  matched_at INTEGER NOT NULL
)
)sql"},
      // The one idempotency ledger (common/server/idempotency.h): the kept answers of every
      // write RPC. The older per-record last_request_id columns are no longer read.
      IdempotencyMigration(10),
      {11, "per-record replay keys retired: idempotency is idempotent_answers' alone", R"sql(
DROP INDEX providers_request;
DROP INDEX settings_request;
DROP INDEX referrals_request;
DROP INDEX holds_request
)sql"},
      // The holds other regions' hubs made for this hub's referrals (forwarded HoldVacancy): the
      // owner's ids and hold version, so that closing the referral releases them there, and, once
      // confirmed there, the placement's facts this hub's figures need (its distance worked out
      // here from the child's home and the setting's published location; nothing else crosses).
      {12, "holds and placements at other regions' hubs for this hub's referrals", R"sql(
CREATE TABLE peer_holds (
  hold_id TEXT PRIMARY KEY,
  region TEXT NOT NULL,
  referral_id TEXT NOT NULL REFERENCES referrals(referral_id),
  la_code TEXT NOT NULL,
  vacancy_id TEXT NOT NULL,
  state INTEGER NOT NULL,
  version INTEGER NOT NULL,
  placement_id TEXT NOT NULL DEFAULT '',
  start_date TEXT NOT NULL DEFAULT '',
  weekly_cost_pence INTEGER NOT NULL DEFAULT 0,
  distance_miles REAL,
  confirm_time INTEGER,
  reason TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL);
CREATE INDEX peer_holds_referral ON peer_holds(referral_id, state)
)sql"},
  };
  return *kMigrations;
}

absl::StatusOr<std::unique_ptr<store::Database>> OpenPlacementDatabase(const std::string& path) {
  auto db = store::SqliteDatabase::Open(path);
  if (!db.ok()) return db.status();
  if (absl::Status st = (*db)->Migrate(PlacementMigrations()); !st.ok()) return st;
  return std::unique_ptr<store::Database>(std::move(*db));
}

}  // namespace slihub::placement
