// The audit trail's SQLite schema and its reads and appends, through the store layer.
#ifndef SLIHUB_COMMON_AUDIT_AUDIT_STORE_H_
#define SLIHUB_COMMON_AUDIT_AUDIT_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/audit/audit_entry.h"
#include "common/audit/chain_verifier.h"
#include "common/store/database.h"

namespace slihub::audit {

// The audit store's migrations: the audit_entries table, and triggers that refuse every UPDATE
// and DELETE of it (append-only; an attacker with the file can drop them, which the hash chain
// then reveals).
const std::vector<store::Migration>& AuditMigrations();

// Opens (creating) the audit trail's SQLite file at `path` and applies AuditMigrations. Store
// errors. The one way the server, its tests and benchmarks open a trail.
absl::StatusOr<std::unique_ptr<store::Database>> OpenAuditDatabase(const std::string& path);

// The last entry's sequence and entry_hash (0 and the genesis when the trail is empty).
struct ChainHead {
  int64_t sequence = 0;
  std::string hash;
};

// Reads the head of the chain in `tx`. Store errors.
absl::StatusOr<ChainHead> ReadChainHead(store::Transaction& tx);

// Inserts `entry` (sequence and hashes already set) in the write transaction `tx`. Store errors;
// FailedPrecondition when the trail refuses it.
absl::Status InsertEntry(store::Transaction& tx, const AuditEntry& entry);

// Which entries ListEntries returns: every non-empty filter must match.
struct AuditFilter {
  std::string subject;
  std::string la;          // the caller's LA, or an LA the request named
  std::string record_key;  // a record key's value, any field
  std::string method;
  int64_t since_us = 0;    // 0: no lower bound
  int64_t until_us = 0;    // 0: no upper bound (exclusive)
  int64_t after_sequence = 0;  // resume after this sequence (in the order asked for); 0: start
  bool oldest_first = false;
  int limit = 50;
};

// The matching entries, in sequence order (descending unless oldest_first), at most limit.
// Store errors.
absl::StatusOr<std::vector<AuditEntry>> ListEntries(store::Database& db, const AuditFilter& filter);

// Walks the whole trail in one read snapshot with ChainVerifier. Store errors (a broken chain is a
// verdict, not an error).
absl::StatusOr<ChainVerdict> VerifyTrail(store::Database& db, int64_t expected_head_sequence = 0,
                                         const std::string& expected_head_hash = "");

}  // namespace slihub::audit

#endif  // SLIHUB_COMMON_AUDIT_AUDIT_STORE_H_
