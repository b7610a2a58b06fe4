// The data collection store's schema, in order: SQL only (row mapping is in repository.cc).
#include "services/datacollection/store/migrations.h"

#include "common/server/idempotency.h"

namespace slihub::datacollection {
namespace {

constexpr char kSchemaV1[] = R"sql(
CREATE TABLE indicators (
  indicator_id TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, short_name TEXT NOT NULL,
  definition TEXT NOT NULL, unit INTEGER NOT NULL, polarity INTEGER NOT NULL,
  min_unscaled INTEGER, min_scale INTEGER, max_unscaled INTEGER, max_scale INTEGER,
  decimal_places INTEGER NOT NULL, source TEXT NOT NULL, derived_by_service TEXT NOT NULL,
  effective_from TEXT NOT NULL, retired INTEGER NOT NULL,
  PRIMARY KEY (indicator_id, version)) WITHOUT ROWID;
CREATE TABLE indicator_breakdowns (
  indicator_id TEXT NOT NULL, version INTEGER NOT NULL, dimension INTEGER NOT NULL,
  aggregation INTEGER NOT NULL, tolerance_unscaled INTEGER, tolerance_scale INTEGER,
  required INTEGER NOT NULL, categories TEXT NOT NULL,
  PRIMARY KEY (indicator_id, version, dimension)) WITHOUT ROWID;
CREATE TABLE collections (
  collection_id TEXT PRIMARY KEY, region TEXT NOT NULL, kind INTEGER NOT NULL, name TEXT NOT NULL,
  description TEXT NOT NULL, indicator_ids TEXT NOT NULL, la_codes TEXT NOT NULL,
  version INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE periods (
  collection_id TEXT NOT NULL REFERENCES collections(collection_id), period_id TEXT NOT NULL,
  label TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL, open_us INTEGER NOT NULL,
  deadline_us INTEGER NOT NULL, close_us INTEGER NOT NULL, indicator_ids TEXT NOT NULL,
  version INTEGER NOT NULL, PRIMARY KEY (collection_id, period_id)) WITHOUT ROWID;
CREATE TABLE returns (
  la_code TEXT NOT NULL, collection_id TEXT NOT NULL, period_id TEXT NOT NULL, version INTEGER NOT NULL,
  timeliness INTEGER NOT NULL, source INTEGER NOT NULL, receive_us INTEGER NOT NULL,
  comment TEXT NOT NULL, submitted_by TEXT NOT NULL, value_count INTEGER NOT NULL,
  PRIMARY KEY (collection_id, period_id, la_code, version),
  FOREIGN KEY (collection_id, period_id) REFERENCES periods(collection_id, period_id)) WITHOUT ROWID;
CREATE TABLE return_values (
  collection_id TEXT NOT NULL, period_id TEXT NOT NULL, la_code TEXT NOT NULL, version INTEGER NOT NULL,
  indicator_id TEXT NOT NULL, dimension INTEGER NOT NULL, category TEXT NOT NULL,
  indicator_version INTEGER NOT NULL, state INTEGER NOT NULL,
  value_unscaled INTEGER, value_scale INTEGER, numerator_unscaled INTEGER, numerator_scale INTEGER,
  denominator_unscaled INTEGER, denominator_scale INTEGER, note TEXT NOT NULL, position INTEGER NOT NULL,
  PRIMARY KEY (collection_id, period_id, la_code, version, indicator_id, dimension, category)) WITHOUT ROWID;
CREATE TABLE submit_requests (
  caller TEXT NOT NULL, request_id TEXT NOT NULL, request_hash TEXT NOT NULL, la_code TEXT NOT NULL,
  collection_id TEXT NOT NULL, period_id TEXT NOT NULL, version INTEGER NOT NULL,
  PRIMARY KEY (caller, request_id)) WITHOUT ROWID;
)sql";

constexpr char kSchemaV2[] = R"sql(
CREATE TABLE import_requests (
  caller TEXT NOT NULL, request_id TEXT NOT NULL, request_hash TEXT NOT NULL, response BLOB NOT NULL,
  PRIMARY KEY (caller, request_id)) WITHOUT ROWID;
)sql";

// latest_totals: each (collection, period)'s latest total figures in one row (totals_snapshot.h),
// kept in step with returns by InsertReturn; a period written before this migration has no row and
// is read from returns until its next return. store_generation: bumped by every write, so a cached
// answer keyed by it can never be stale.
constexpr char kSchemaV3[] = R"sql(
CREATE TABLE latest_totals (
  collection_id TEXT NOT NULL, period_id TEXT NOT NULL, totals BLOB NOT NULL,
  PRIMARY KEY (collection_id, period_id)) WITHOUT ROWID;
CREATE TABLE store_generation (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL);
INSERT INTO store_generation (id, generation) VALUES (1, 0);
)sql";

// latest_totals.revision: raised by every rewrite of the row, so decoded totals cached under it
// are exactly the row's.
constexpr char kSchemaV4[] = R"sql(
ALTER TABLE latest_totals ADD COLUMN revision INTEGER NOT NULL DEFAULT 1
)sql";

// publish_us: when the regional admin published the period to the region's councils (NULL while
// unpublished).
constexpr char kSchemaV5[] = R"sql(
ALTER TABLE periods ADD COLUMN publish_us INTEGER
)sql";

// Idempotency moved to the common ledger (migration 6): the service's own replay tables go.
constexpr char kSchemaV7[] = R"sql(
DROP TABLE submit_requests;
DROP TABLE import_requests;
)sql";

// text_quarantine: stored text that was not valid UTF-8 when the service started, kept byte for
// byte (hex) beside the repaired row, so nothing is lost and nothing broken is served.
constexpr char kSchemaV8[] = R"sql(
CREATE TABLE text_quarantine (
  id INTEGER PRIMARY KEY, table_name TEXT NOT NULL, row_key TEXT NOT NULL, column_name TEXT NOT NULL,
  original_hex TEXT NOT NULL, repaired_us INTEGER NOT NULL)
)sql";

}  // namespace

std::vector<store::Migration> DataCollectionMigrations() {
  return {store::Migration{1, "indicators, collections, periods, returns", kSchemaV1},
          store::Migration{2, "CSV import idempotency keys", kSchemaV2},
          store::Migration{3, "latest totals per period, store generation", kSchemaV3},
          store::Migration{4, "latest totals revision", kSchemaV4},
          store::Migration{5, "period publication", kSchemaV5},
          IdempotencyMigration(6),
          store::Migration{7, "drop the service's own replay tables", kSchemaV7},
          store::Migration{8, "quarantined text", kSchemaV8}};
}

}  // namespace slihub::datacollection
