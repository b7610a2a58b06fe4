#include "common/audit/audit_store.h"

#include "common/store/sqlite_database.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace slihub::audit {
namespace {

constexpr char kColumns[] =
    "sequence, time_us, subject, roles, principal_la, principal_region, method, request_id, kind,"
    " code, reason, las, record_keys, prev_hash, entry_hash";

constexpr int kVerifyPage = 1000;

std::string JoinList(const std::vector<std::string>& list) { return absl::StrJoin(list, "\n"); }

std::vector<std::string> SplitList(const std::string& joined) {
  if (joined.empty()) return {};
  return absl::StrSplit(joined, '\n');
}

AuditEntry EntryOfRow(const store::Row& row) {
  AuditEntry entry;
  entry.sequence = row.GetInt64(0);
  entry.time_us = row.GetInt64(1);
  entry.subject = row.GetText(2);
  entry.roles = SplitList(row.GetText(3));
  entry.principal_la = row.GetText(4);
  entry.principal_region = row.GetText(5);
  entry.method = row.GetText(6);
  entry.request_id = row.GetText(7);
  entry.kind = static_cast<AuditKind>(row.GetInt64(8));
  entry.code = row.GetText(9);
  entry.reason = row.GetText(10);
  entry.las = SplitList(row.GetText(11));
  entry.record_keys = SplitList(row.GetText(12));
  entry.prev_hash = row.GetBlob(13);
  entry.entry_hash = row.GetBlob(14);
  return entry;
}

}  // namespace

const std::vector<store::Migration>& AuditMigrations() {
  static const std::vector<store::Migration>* const migrations = new std::vector<store::Migration>{
      {1, "audit_entries",
       R"sql(
CREATE TABLE audit_entries (
  sequence INTEGER PRIMARY KEY,
  time_us INTEGER NOT NULL,
  subject TEXT NOT NULL,
  roles TEXT NOT NULL,
  principal_la TEXT NOT NULL,
  principal_region TEXT NOT NULL,
  method TEXT NOT NULL,
  request_id TEXT NOT NULL,
  kind INTEGER NOT NULL,
  code TEXT NOT NULL,
  reason TEXT NOT NULL,
  las TEXT NOT NULL,
  record_keys TEXT NOT NULL,
  prev_hash BLOB NOT NULL,
  entry_hash BLOB NOT NULL
);
CREATE INDEX audit_entries_by_subject ON audit_entries (subject, sequence);
CREATE INDEX audit_entries_by_time ON audit_entries (time_us);
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
)sql"}};
  return *migrations;
}

absl::StatusOr<ChainHead> ReadChainHead(store::Transaction& tx) {
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      "SELECT sequence, entry_hash FROM audit_entries ORDER BY sequence DESC LIMIT 1");
  if (!rows.ok()) return rows.status();
  ChainHead head{0, GenesisHash()};
  if (!rows->rows().empty()) {
    head.sequence = rows->rows()[0].GetInt64(0);
    head.hash = rows->rows()[0].GetBlob(1);
  }
  return head;
}

absl::Status InsertEntry(store::Transaction& tx, const AuditEntry& entry) {
  return tx
      .Execute(
          "INSERT INTO audit_entries (sequence, time_us, subject, roles, principal_la,"
          " principal_region, method, request_id, kind, code, reason, las, record_keys,"
          " prev_hash, entry_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
          " $13, $14, $15)",
          {store::Int(entry.sequence), store::Int(entry.time_us), store::Text(entry.subject),
           store::Text(JoinList(entry.roles)), store::Text(entry.principal_la),
           store::Text(entry.principal_region), store::Text(entry.method),
           store::Text(entry.request_id), store::Int(static_cast<int64_t>(entry.kind)),
           store::Text(entry.code), store::Text(entry.reason), store::Text(JoinList(entry.las)),
           store::Text(JoinList(entry.record_keys)), store::Bytes(entry.prev_hash),
           store::Bytes(entry.entry_hash)})
      .status();
}

absl::StatusOr<std::vector<AuditEntry>> ListEntries(store::Database& db,
                                                     const AuditFilter& filter) {
  std::string sql = absl::StrCat("SELECT ", kColumns, " FROM audit_entries WHERE 1 = 1");
  std::vector<store::Value> params;
  auto bind = [&params](store::Value value) {
    params.push_back(std::move(value));
    return absl::StrCat("$", params.size());
  };
  if (!filter.subject.empty()) sql += " AND subject = " + bind(store::Text(filter.subject));
  if (!filter.method.empty()) sql += " AND method = " + bind(store::Text(filter.method));
  if (!filter.la.empty()) {
    const std::string la = bind(store::Text(filter.la));
    sql += absl::StrCat(" AND (principal_la = ", la, " OR instr(char(10) || las || char(10),",
                        " char(10) || ", la, " || char(10)) > 0)");
  }
  if (!filter.record_key.empty()) {
    sql += absl::StrCat(" AND instr(record_keys || char(10), '=' || ",
                        bind(store::Text(filter.record_key)), " || char(10)) > 0");
  }
  if (filter.since_us != 0) sql += " AND time_us >= " + bind(store::Int(filter.since_us));
  if (filter.until_us != 0) sql += " AND time_us < " + bind(store::Int(filter.until_us));
  if (filter.after_sequence != 0) {
    sql += absl::StrCat(" AND sequence ", filter.oldest_first ? ">" : "<", " ",
                        bind(store::Int(filter.after_sequence)));
  }
  sql += absl::StrCat(" ORDER BY sequence ", filter.oldest_first ? "ASC" : "DESC", " LIMIT ",
                      bind(store::Int(filter.limit)));
  std::vector<AuditEntry> entries;
  absl::Status read = db.Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<store::ResultSet> rows = tx.Query(sql, params);
    if (!rows.ok()) return rows.status();
    for (const store::Row& row : rows->rows()) entries.push_back(EntryOfRow(row));
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  return entries;
}

absl::StatusOr<ChainVerdict> VerifyTrail(store::Database& db, int64_t expected_head_sequence,
                                         const std::string& expected_head_hash) {
  ChainVerifier verifier(expected_head_sequence, expected_head_hash);
  absl::Status read = db.Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
    // Every row in sequence order (a forged sequence 0 or below included), a page at a time
    // within one snapshot.
    bool first_page = true;
    int64_t after = 0;
    while (true) {
      absl::StatusOr<store::ResultSet> rows = tx.Query(
          absl::StrCat("SELECT ", kColumns, " FROM audit_entries WHERE $1 OR sequence > $2",
                       " ORDER BY sequence LIMIT $3"),
          {store::Int(first_page ? 1 : 0), store::Int(after), store::Int(kVerifyPage)});
      first_page = false;
      if (!rows.ok()) return rows.status();
      for (const store::Row& row : rows->rows()) {
        const AuditEntry entry = EntryOfRow(row);
        after = entry.sequence;
        if (!verifier.Add(entry)) return absl::OkStatus();
      }
      if (static_cast<int>(rows->rows().size()) < kVerifyPage) return absl::OkStatus();
    }
  });
  if (!read.ok()) return read;
  return verifier.Finish();
}

absl::StatusOr<std::unique_ptr<store::Database>> OpenAuditDatabase(const std::string& path) {
  absl::StatusOr<std::unique_ptr<store::Database>> db = store::SqliteDatabase::Open(path);
  if (!db.ok()) return db.status();
  if (absl::Status migrated = (*db)->Migrate(AuditMigrations()); !migrated.ok()) return migrated;
  return db;
}

}  // namespace slihub::audit
