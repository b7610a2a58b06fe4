// The writer: many threads append at once, every entry is committed once in one unbroken chain
// (group commit), a failed commit is reported to each caller and leaves the chain intact.
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/notification.h"
#include "common/audit/audit_store.h"
#include "common/audit/audit_writer.h"
#include "common/store/sqlite_database.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace slihub::audit {
namespace {

class AuditWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = OpenAuditDatabase(dir_.Join("audit.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
  }

  static AuditEntry Entry(int i) {
    AuditEntry entry;
    entry.time_us = i;
    entry.method = "/slihub.x.v1.X/Write";
    entry.request_id = "r" + std::to_string(i);
    entry.code = "OK";
    return entry;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
};

TEST_F(AuditWriterTest, ConcurrentAppendsFormOneChain) {
  auto writer = AuditWriter::Start(db_.get());
  ASSERT_TRUE(writer.ok());
  constexpr int kThreads = 8;
  constexpr int kEach = 50;
  absl::BlockingCounter pending(kThreads * kEach);
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        (*writer)->Append(Entry(t * kEach + i), [&](const absl::Status& s) {
          if (!s.ok()) failed++;
          pending.DecrementCount();
        });
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  pending.Wait();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ((*writer)->head().sequence, kThreads * kEach);
  auto verdict = VerifyTrail(*db_, (*writer)->head().sequence, (*writer)->head().hash);
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict->ok) << verdict->problem;
  EXPECT_EQ(verdict->entries_checked, kThreads * kEach);
}

TEST_F(AuditWriterTest, FailedCommitIsReportedAndTheChainStaysWhole) {
  auto writer = AuditWriter::Start(db_.get());
  ASSERT_TRUE(writer.ok());
  auto append = [&](int i) {
    absl::Status result;
    absl::Notification done;
    (*writer)->Append(Entry(i), [&](const absl::Status& s) {
      result = s;
      done.Notify();
    });
    done.WaitForNotification();
    return result;
  };
  ASSERT_TRUE(append(1).ok());
  ASSERT_TRUE(db_->Run(store::TxMode::kWrite, [](store::Transaction& tx) {
                   return tx.ExecuteScript(
                       "CREATE TRIGGER refuse BEFORE INSERT ON audit_entries BEGIN "
                       "SELECT RAISE(ABORT, 'disk says no'); END");
                 }).ok());
  EXPECT_FALSE(append(2).ok());
  EXPECT_EQ((*writer)->head().sequence, 1);
  ASSERT_TRUE(db_->Run(store::TxMode::kWrite, [](store::Transaction& tx) {
                   return tx.ExecuteScript("DROP TRIGGER refuse");
                 }).ok());
  ASSERT_TRUE(append(3).ok());
  auto verdict = VerifyTrail(*db_);
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict->ok) << verdict->problem;
  EXPECT_EQ(verdict->head_sequence, 2);
}

TEST_F(AuditWriterTest, StopCommitsWhatIsQueuedAndRefusesLaterAppends) {
  auto writer = AuditWriter::Start(db_.get());
  ASSERT_TRUE(writer.ok());
  for (int i = 0; i < 100; ++i) (*writer)->Append(Entry(i), nullptr);
  (*writer)->Stop();
  EXPECT_EQ((*writer)->head().sequence, 100);
  absl::Status late;
  (*writer)->Append(Entry(101), [&late](const absl::Status& s) { late = s; });
  EXPECT_EQ(late.code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace slihub::audit
