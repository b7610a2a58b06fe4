// The workforce store's schema, in version order: SQL only (row mapping lives in
// workforce_store.cc).
#include "services/workforce/store/migrations.h"

#include "common/server/idempotency.h"

namespace slihub::workforce {
namespace {

constexpr char kSchemaV1[] = R"sql(
CREATE TABLE rule_sets (
  region TEXT NOT NULL,
  version INTEGER NOT NULL,
  effective_from TEXT NOT NULL,
  cooling_off_months INTEGER NOT NULL,
  cooling_off_exempt_reasons TEXT NOT NULL,
  min_experience_months INTEGER NOT NULL,
  references_required INTEGER NOT NULL,
  max_notice_weeks INTEGER NOT NULL,
  disabled_rules TEXT NOT NULL,
  source TEXT NOT NULL,
  create_time_us INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  request_id TEXT NOT NULL,
  PRIMARY KEY (region, version),
  UNIQUE (region, effective_from)
);
CREATE TABLE rule_set_caps (
  region TEXT NOT NULL,
  version INTEGER NOT NULL,
  job_type INTEGER NOT NULL,
  engagement_model INTEGER NOT NULL,
  hourly_cap_pence INTEGER NOT NULL,
  PRIMARY KEY (region, version, job_type, engagement_model)
);
CREATE TABLE employment_periods (
  la_code TEXT NOT NULL,
  record_id TEXT NOT NULL,
  swe_number TEXT NOT NULL,
  region TEXT NOT NULL,
  employment_type INTEGER NOT NULL,
  job_type INTEGER NOT NULL,
  local_job_title TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT,
  leaving_reason INTEGER NOT NULL,
  child_and_family INTEGER NOT NULL,
  asye INTEGER NOT NULL,
  version INTEGER NOT NULL,
  create_time_us INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  update_time_us INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  request_id TEXT NOT NULL,
  PRIMARY KEY (la_code, record_id)
);
CREATE INDEX employment_periods_by_worker ON employment_periods (swe_number, start_date);
CREATE TABLE register_checks (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  swe_number TEXT NOT NULL,
  status INTEGER NOT NULL,
  conditions TEXT NOT NULL,
  checked_at_us INTEGER NOT NULL,
  checked_by TEXT NOT NULL,
  source INTEGER NOT NULL,
  create_time_us INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  request_id TEXT NOT NULL
);
CREATE INDEX register_checks_by_worker ON register_checks (swe_number, checked_at_us);
CREATE TABLE call_replays (
  replay_key TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  response BLOB NOT NULL,
  create_time_us INTEGER NOT NULL
)
)sql";

constexpr char kSchemaV2[] = R"sql(
CREATE TABLE engagements (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  la_code TEXT NOT NULL,
  record_id TEXT NOT NULL,
  swe_number TEXT NOT NULL,
  start_date TEXT NOT NULL,
  expected_end_date TEXT,
  end_date TEXT,
  verdict INTEGER NOT NULL,
  terms BLOB NOT NULL,
  check_result BLOB NOT NULL,
  version INTEGER NOT NULL,
  create_time_us INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  update_time_us INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  request_id TEXT NOT NULL,
  UNIQUE (la_code, record_id)
);
CREATE INDEX engagements_by_start ON engagements (start_date, seq);
CREATE INDEX engagements_by_worker ON engagements (swe_number)
)sql";

constexpr char kSchemaV3[] = R"sql(
CREATE TABLE rule_exceptions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  la_code TEXT NOT NULL,
  swe_number TEXT NOT NULL,
  state INTEGER NOT NULL,
  body BLOB NOT NULL,
  version INTEGER NOT NULL,
  create_time_us INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  update_time_us INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  request_id TEXT NOT NULL
);
CREATE INDEX rule_exceptions_by_la ON rule_exceptions (la_code, state)
)sql";

constexpr char kSchemaV4[] = R"sql(
ALTER TABLE engagements ADD COLUMN reference_provided_on TEXT;
ALTER TABLE engagements ADD COLUMN cap_exception_id TEXT NOT NULL DEFAULT '';
CREATE INDEX engagements_by_la_start ON engagements (la_code, start_date, seq);
ALTER TABLE rule_exceptions ADD COLUMN expires_on TEXT NOT NULL DEFAULT '9999-12-31'
)sql";

constexpr char kSchemaV5[] = R"sql(
CREATE TABLE la_policies (
  la_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  effective_from TEXT NOT NULL,
  create_time_us INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  request_id TEXT NOT NULL,
  PRIMARY KEY (la_code, version),
  UNIQUE (la_code, effective_from)
);
CREATE TABLE la_policy_titles (
  la_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  position INTEGER NOT NULL,
  local_title TEXT NOT NULL,
  job_type INTEGER NOT NULL,
  PRIMARY KEY (la_code, version, position)
);
CREATE TABLE la_policy_notice (
  la_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  job_type INTEGER NOT NULL,
  notice_weeks INTEGER NOT NULL,
  PRIMARY KEY (la_code, version, job_type)
)
)sql";

// One row per worker holding the history CheckEngagement reads (worker_history_codec.h), kept
// in step with employment_periods and register_checks by every write to them. Workers recorded
// before this table existed get an empty blob: "derive from the rows" (see ReadWorkerHistory).
constexpr char kSchemaV6[] = R"sql(
CREATE TABLE worker_histories (
  swe_number TEXT PRIMARY KEY,
  history BLOB NOT NULL
) WITHOUT ROWID;
INSERT INTO worker_histories (swe_number, history)
  SELECT swe_number, X'' FROM employment_periods
  UNION SELECT swe_number, X'' FROM register_checks
)sql";

// Register-check tenancy, the rule set's register-check age and explicitly uncapped pay caps.
// A check recorded before its recorder was kept gets the recorder "?" (it decides no LA's
// check); every worker_histories blob is emptied so the next read derives it from the rows with
// the new column (and the next write stores it again).
constexpr char kSchemaV7[] = R"sql(
ALTER TABLE register_checks ADD COLUMN recorder_la TEXT NOT NULL DEFAULT '?';
ALTER TABLE rule_sets ADD COLUMN register_check_max_age_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rule_set_caps ADD COLUMN uncapped INTEGER NOT NULL DEFAULT 0;
UPDATE worker_histories SET history = X''
)sql";

// The service's own replay table, replaced by the shared idempotency ledger (migration 8).
constexpr char kSchemaV9[] = R"sql(
DROP TABLE call_replays
)sql";

// Where the start-up check (stored_data_repair.h) moves an engagement or exception whose blob is
// not even well-formed protobuf: the row as it was, plus why and when. Same columns as the source
// table at this version, then the two quarantine columns: a later migration adding a column to
// engagements or rule_exceptions must add it here too, before the quarantine columns' values.
constexpr char kSchemaV10[] = R"sql(
CREATE TABLE quarantined_engagements AS SELECT * FROM engagements WHERE 0;
ALTER TABLE quarantined_engagements ADD COLUMN quarantine_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE quarantined_engagements ADD COLUMN quarantine_time_us INTEGER NOT NULL DEFAULT 0;
CREATE TABLE quarantined_rule_exceptions AS SELECT * FROM rule_exceptions WHERE 0;
ALTER TABLE quarantined_rule_exceptions ADD COLUMN quarantine_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE quarantined_rule_exceptions ADD COLUMN quarantine_time_us INTEGER NOT NULL DEFAULT 0
)sql";

}  // namespace

std::vector<store::Migration> WorkforceMigrations() {
  return {store::Migration{1, "workforce rule sets, employment periods, register checks",
                           kSchemaV1},
          store::Migration{2, "workforce engagement register", kSchemaV2},
          store::Migration{3, "workforce rule exceptions", kSchemaV3},
          store::Migration{4, "workforce engagement ends, cap breaches, exception expiry",
                           kSchemaV4},
          store::Migration{5, "workforce LA policies", kSchemaV5},
          store::Migration{6, "workforce history row per worker", kSchemaV6},
          store::Migration{7, "workforce register-check recorder, check age, uncapped caps",
                           kSchemaV7},
          IdempotencyMigration(8),
          store::Migration{9, "workforce drops its own replay table", kSchemaV9},
          store::Migration{10, "workforce quarantine for unreadable engagements and exceptions",
                           kSchemaV10}};
}

}  // namespace slihub::workforce
