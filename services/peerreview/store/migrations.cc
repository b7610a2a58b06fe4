// The peer review store's schema, oldest first: SQL only (row mapping lives with the
// repositories in peerreview_store.cc and review_records_store.cc).
#include "services/peerreview/store/migrations.h"

#include "common/server/idempotency.h"

namespace slihub::peerreview {
namespace {

// The first schema; its idempotent_answers table (the service's own replay table, keeping the
// whole request) is retired by kRetireOwnReplayTable.
constexpr char kCyclesV1[] = R"sql(
CREATE TABLE cycles (
  cycle_id TEXT PRIMARY KEY,
  region TEXT NOT NULL,
  year INTEGER NOT NULL,
  state INTEGER NOT NULL,
  version INTEGER NOT NULL,
  inputs_version INTEGER NOT NULL,
  body BLOB NOT NULL,
  UNIQUE (region, year)
);
CREATE TABLE grouping_proposals (
  proposal_id TEXT PRIMARY KEY,
  cycle_id TEXT NOT NULL REFERENCES cycles (cycle_id),
  number INTEGER NOT NULL,
  inputs_version INTEGER NOT NULL,
  body BLOB NOT NULL,
  UNIQUE (cycle_id, number)
);
CREATE TABLE historical_groups (
  region TEXT NOT NULL,
  year INTEGER NOT NULL,
  group_number INTEGER NOT NULL,
  la_code TEXT NOT NULL,
  PRIMARY KEY (region, year, group_number, la_code)
);
CREATE TABLE self_assessments (
  cycle_id TEXT NOT NULL REFERENCES cycles (cycle_id),
  la_code TEXT NOT NULL,
  state INTEGER NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (cycle_id, la_code)
);
CREATE TABLE idempotent_answers (
  caller TEXT NOT NULL,
  request_id TEXT NOT NULL,
  method TEXT NOT NULL,
  request BLOB NOT NULL,
  response BLOB NOT NULL,
  PRIMARY KEY (caller, request_id)
)
)sql";

constexpr char kSelfAssessmentBodies[] = R"sql(
ALTER TABLE self_assessments ADD COLUMN body BLOB;
ALTER TABLE self_assessments ADD COLUMN content_version INTEGER NOT NULL DEFAULT 1
)sql";

constexpr char kReviewRecords[] = R"sql(
CREATE TABLE record_numbers (
  kind TEXT NOT NULL,
  scope TEXT NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (kind, scope)
);
CREATE TABLE challenge_events (
  event_id TEXT PRIMARY KEY,
  cycle_id TEXT NOT NULL REFERENCES cycles (cycle_id),
  host TEXT NOT NULL,
  day TEXT NOT NULL,
  state INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX challenge_events_by_cycle ON challenge_events (cycle_id, day, host);
CREATE TABLE thematic_reviews (
  review_id TEXT PRIMARY KEY,
  region TEXT NOT NULL,
  cycle_id TEXT NOT NULL,
  host TEXT NOT NULL,
  start_day TEXT NOT NULL,
  state INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX thematic_reviews_by_region ON thematic_reviews (region, start_day);
CREATE TABLE findings (
  findings_id TEXT PRIMARY KEY,
  cycle_id TEXT NOT NULL REFERENCES cycles (cycle_id),
  host TEXT NOT NULL,
  source_id TEXT NOT NULL UNIQUE,
  body BLOB NOT NULL
);
CREATE INDEX findings_by_cycle ON findings (cycle_id, host);
CREATE TABLE data_pack_indicators (
  host TEXT NOT NULL,
  period_id TEXT NOT NULL,
  fetched INTEGER NOT NULL,
  body BLOB NOT NULL,
  PRIMARY KEY (host, period_id)
)
)sql";

// Answers kept by the service's own replay table cannot be replayed by the common ledger (which
// keeps a request fingerprint, not the request), and the ledger's table has the same name: the
// old table goes first, then IdempotencyMigration creates the ledger's.
constexpr char kRetireOwnReplayTable[] = "DROP TABLE idempotent_answers";

}  // namespace

std::vector<store::Migration> PeerReviewMigrations() {
  return {{1, "peerreview cycles, proposals, history, self-assessments, idempotency", kCyclesV1},
          {2, "peerreview self-assessment bodies", kSelfAssessmentBodies},
          {3, "peerreview challenge events, thematic reviews, findings, data pack indicators",
           kReviewRecords},
          {4, "peerreview retires its own replay table", kRetireOwnReplayTable},
          IdempotencyMigration(5)};
}

}  // namespace slihub::peerreview
