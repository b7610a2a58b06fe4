#include "services/workforce/store/stored_data_repair.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/base/text.h"
#include "services/workforce/store/proto_utf8_repair.h"
#include "services/workforce/store/worker_history_codec.h"
#include "services/workforce/store/workforce_store.h"
#include "slihub/workforce/v1/engagement.pb.h"
#include "slihub/workforce/v1/exception.pb.h"

namespace slihub::workforce {
namespace {

using store::Int;
using store::Text;

// One table's text columns, and the column whose value names what a repair changed: the
// worker (whose history is rebuilt) or the key announced on `channel`.
struct TextTable {
  const char* table;
  std::vector<const char*> columns;
  const char* key;
  const char* channel;  // nullptr: the key is a worker's SWE number, or nothing is cached
};

const std::vector<TextTable>& TextTables() {
  static const std::vector<TextTable> tables = {
      {"rule_sets", {"source", "created_by", "request_id"}, "region", kRuleSetsChannel},
      {"employment_periods",
       {"local_job_title", "created_by", "updated_by", "request_id"},
       "swe_number",
       nullptr},
      {"register_checks",
       {"conditions", "checked_by", "created_by", "request_id"},
       "swe_number",
       nullptr},
      {"la_policies", {"created_by", "request_id"}, "la_code", kLaPoliciesChannel},
      {"la_policy_titles", {"local_title"}, "la_code", kLaPoliciesChannel},
      {"engagements", {"created_by", "updated_by", "request_id"}, "la_code", nullptr},
      {"rule_exceptions", {"created_by", "updated_by", "request_id"}, "la_code", nullptr},
  };
  return tables;
}

// Repairs `t`'s text cells; adds the workers of repaired employment and register rows to
// `workers`.
absl::Status RepairText(store::Transaction& tx, const TextTable& t, std::set<std::string>* workers,
                        StoredDataRepair* out) {
  absl::StatusOr<store::ResultSet> rows =
      tx.Query(absl::StrCat("SELECT rowid, ", t.key, ", ", absl::StrJoin(t.columns, ", "),
                            " FROM ", t.table));
  if (!rows.ok()) return rows.status();
  for (const store::Row& row : *rows) {
    for (size_t i = 0; i < t.columns.size(); ++i) {
      const std::string& value = row.GetText(i + 2);
      if (IsValidUtf8(value)) continue;
      absl::StatusOr<int64_t> updated = tx.Execute(
          absl::StrCat("UPDATE ", t.table, " SET ", t.columns[i], " = $1 WHERE rowid = $2"),
          {Text(ReplaceInvalidUtf8(value)), Int(row.GetInt64(size_t{0}))});
      if (!updated.ok()) return updated.status();
      ++out->text_cells_repaired;
      if (t.channel != nullptr) {
        tx.Notify(t.channel, row.GetText(size_t{1}));
      } else if (std::string(t.key) == "swe_number") {
        workers->insert(row.GetText(size_t{1}));
      }
    }
  }
  return absl::OkStatus();
}

// Rebuilds every worker_histories blob that does not decode, and those of `workers`.
absl::Status RepairHistories(store::Transaction& tx, std::set<std::string> workers,
                             StoredDataRepair* out) {
  absl::StatusOr<store::ResultSet> rows =
      tx.Query("SELECT swe_number, history FROM worker_histories");
  if (!rows.ok()) return rows.status();
  for (const store::Row& row : *rows) {
    const std::string& blob = row.GetBlob(size_t{1});
    if (blob.empty()) continue;  // derived from the rows when read
    if (!DecodeWorkerHistory(blob, row.GetText(size_t{0})).ok()) {
      workers.insert(row.GetText(size_t{0}));
    }
  }
  for (const std::string& swe : workers) {
    if (absl::Status s = WorkforceStore::RebuildWorkerHistory(tx, swe); !s.ok()) return s;
    ++out->histories_rebuilt;
  }
  return absl::OkStatus();
}

// One blob column and the message it holds.
struct BlobColumn {
  const char* column;
  const google::protobuf::Message* prototype;
};

// Repairs the blobs of `table` (rows keyed by seq) that do not parse; a row whose blob is not
// well-formed is moved to quarantined_<table>.
absl::Status RepairBlobs(store::Transaction& tx, const char* table,
                         const std::vector<BlobColumn>& blobs, StoredDataRepair* out) {
  std::vector<std::string> names;
  for (const BlobColumn& b : blobs) names.push_back(b.column);
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      absl::StrCat("SELECT seq, ", absl::StrJoin(names, ", "), " FROM ", table));
  if (!rows.ok()) return rows.status();
  for (const store::Row& row : *rows) {
    const int64_t seq = row.GetInt64(size_t{0});
    for (size_t i = 0; i < blobs.size(); ++i) {
      const std::string& blob = row.GetBlob(i + 1);
      std::unique_ptr<google::protobuf::Message> message(blobs[i].prototype->New());
      if (message->ParseFromString(blob)) continue;
      int64_t strings = 0;
      absl::StatusOr<std::string> repaired =
          RepairProtoUtf8(*message->GetDescriptor(), blob, &strings);
      if (repaired.ok() && message->ParseFromString(*repaired)) {
        absl::StatusOr<int64_t> updated =
            tx.Execute(absl::StrCat("UPDATE ", table, " SET ", blobs[i].column,
                                    " = $1 WHERE seq = $2"),
                       {store::Bytes(*std::move(repaired)), Int(seq)});
        if (!updated.ok()) return updated.status();
        ++out->blobs_repaired;
        continue;
      }
      const std::string reason = absl::StrCat(blobs[i].column, " does not parse as ",
                                              message->GetDescriptor()->full_name());
      absl::StatusOr<int64_t> kept = tx.Execute(
          absl::StrCat("INSERT INTO quarantined_", table, " SELECT *, $2, $3 FROM ", table,
                       " WHERE seq = $1"),
          {Int(seq), Text(reason), Int(absl::ToUnixMicros(absl::Now()))});
      if (!kept.ok()) return kept.status();
      absl::StatusOr<int64_t> removed =
          tx.Execute(absl::StrCat("DELETE FROM ", table, " WHERE seq = $1"), {Int(seq)});
      if (!removed.ok()) return removed.status();
      ++out->rows_quarantined;
      break;  // the row is gone
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<StoredDataRepair> RepairStoredData(store::Transaction& tx) {
  StoredDataRepair out;
  std::set<std::string> workers;
  for (const TextTable& t : TextTables()) {
    if (absl::Status s = RepairText(tx, t, &workers, &out); !s.ok()) return s;
  }
  if (absl::Status s = RepairHistories(tx, std::move(workers), &out); !s.ok()) return s;
  if (absl::Status s = RepairBlobs(tx, "engagements",
                                   {{"terms", &v1::EngagementTerms::default_instance()},
                                    {"check_result", &v1::EngagementCheck::default_instance()}},
                                   &out);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = RepairBlobs(tx, "rule_exceptions",
                                   {{"body", &v1::RuleException::default_instance()}}, &out);
      !s.ok()) {
    return s;
  }
  return out;
}

absl::Status CheckStoredData(store::Database& db) {
  const absl::Time start = absl::Now();
  StoredDataRepair repair;
  absl::Status status = db.Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
    absl::StatusOr<StoredDataRepair> done = RepairStoredData(tx);
    if (!done.ok()) return done.status();
    repair = *done;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  LogLine line(repair.changed() ? LogLevel::kWarning : LogLevel::kInfo, "stored_data_checked");
  line.Int("text_cells_repaired", repair.text_cells_repaired)
      .Int("histories_rebuilt", repair.histories_rebuilt)
      .Int("blobs_repaired", repair.blobs_repaired)
      .Int("rows_quarantined", repair.rows_quarantined)
      .Millis("duration_ms", absl::Now() - start);
  return absl::OkStatus();
}

}  // namespace slihub::workforce
