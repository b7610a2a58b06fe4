// The cost of auditing a write: one audit entry appended and committed (hashing, chaining, a
// write transaction through the writer thread) beside, as the baseline, a plain one-row insert
// transaction of the same row through the same store layer on the same kind of file. With many
// callers at once the writer commits a batch per transaction (group commit).
#include <stdlib.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/synchronization/notification.h"
#include "benchmark/benchmark.h"
#include "common/audit/audit_store.h"
#include "common/audit/audit_writer.h"
#include "common/store/sqlite_database.h"

namespace slihub::audit {
namespace {

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "benchmark setup failed: %s\n", what.c_str());
  std::exit(1);
}

AuditEntry Sample() {
  AuditEntry entry;
  entry.time_us = 1700000000000000;
  entry.subject = "873-hr-1";
  entry.roles = {"hr_officer"};
  entry.principal_la = "873";
  entry.principal_region = "EE";
  entry.method = "/slihub.workforce.v1.WorkforceService/CreateEngagement";
  entry.request_id = "0f8e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
  entry.code = "OK";
  entry.las = {"873"};
  entry.record_keys = {"engagement_id=E-1234", "swe_number=SW123456"};
  return entry;
}

// Two fresh audit stores (one for the writer, one for the baseline), removed at exit.
class Fixture {
 public:
  Fixture() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                          "/slihub-audit-bench-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) Fail("mkdtemp");
    dir_ = pattern;
    audited_ = Open(dir_ + "/audit.db");
    plain_ = Open(dir_ + "/plain.db");
    auto writer = AuditWriter::Start(audited_.get());
    if (!writer.ok()) Fail(writer.status().ToString());
    writer_ = *std::move(writer);
  }
  ~Fixture() {
    writer_.reset();
    audited_.reset();
    plain_.reset();
    std::filesystem::remove_all(dir_);
  }
  AuditWriter* writer() { return writer_.get(); }
  store::Database* plain() { return plain_.get(); }

 private:
  static std::unique_ptr<store::Database> Open(const std::string& path) {
    auto db = OpenAuditDatabase(path);
    if (!db.ok()) Fail(db.status().ToString());
    return *std::move(db);
  }
  std::string dir_;
  std::unique_ptr<store::Database> audited_;
  std::unique_ptr<store::Database> plain_;
  std::unique_ptr<AuditWriter> writer_;
};

Fixture& Shared() {
  static Fixture* const fixture = new Fixture();
  return *fixture;
}

// Baseline: the same row inserted in its own write transaction, no hash, no writer thread.
void BM_PlainInsert(benchmark::State& state) {
  store::Database* db = Shared().plain();
  static std::atomic<int64_t> sequence{0};
  AuditEntry entry = Sample();
  entry.prev_hash = GenesisHash();
  entry.entry_hash = GenesisHash();
  for (auto _ : state) {
    entry.sequence = ++sequence;
    absl::Status s = db->Run(store::TxMode::kWrite,
                             [&entry](store::Transaction& tx) { return InsertEntry(tx, entry); });
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  }
}
BENCHMARK(BM_PlainInsert)->UseRealTime()->ThreadRange(1, 16);

// An audited write's wait: append and block until the entry is committed.
void BM_AuditAppendCommitted(benchmark::State& state) {
  AuditWriter* writer = Shared().writer();
  for (auto _ : state) {
    absl::Notification done;
    writer->Append(Sample(), [&done](const absl::Status&) { done.Notify(); });
    done.WaitForNotification();
  }
}
BENCHMARK(BM_AuditAppendCommitted)->UseRealTime()->ThreadRange(1, 16);

// The hash alone.
void BM_EntryHash(benchmark::State& state) {
  AuditEntry entry = Sample();
  entry.prev_hash = GenesisHash();
  for (auto _ : state) benchmark::DoNotOptimize(ComputeEntryHash(entry));
}
BENCHMARK(BM_EntryHash);

}  // namespace
}  // namespace slihub::audit

BENCHMARK_MAIN();
