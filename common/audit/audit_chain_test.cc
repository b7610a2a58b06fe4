// The hash chain, the verifier, and the append-only store: edits, removals, reorders and a
// truncated tail are each reported at the first broken sequence.
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "common/audit/audit_store.h"
#include "common/audit/audit_writer.h"
#include "common/audit/chain_verifier.h"
#include "common/store/sqlite_database.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace slihub::audit {
namespace {

AuditEntry Sample(int i) {
  AuditEntry entry;
  entry.time_us = 1700000000000000 + i;
  entry.subject = "873-hr-" + std::to_string(i);
  entry.roles = {"hr_officer"};
  entry.principal_la = "873";
  entry.principal_region = "EE";
  entry.method = "/slihub.workforce.v1.WorkforceService/CreateEngagement";
  entry.request_id = "req-" + std::to_string(i);
  entry.code = "OK";
  entry.las = {"873"};
  entry.record_keys = {"engagement_id=E-" + std::to_string(i)};
  return entry;
}

// A chain of `n` entries linked as the writer links them.
std::vector<AuditEntry> Chain(int n) {
  std::vector<AuditEntry> chain;
  std::string prev = GenesisHash();
  for (int i = 1; i <= n; ++i) {
    AuditEntry entry = Sample(i);
    entry.sequence = i;
    entry.prev_hash = prev;
    entry.entry_hash = ComputeEntryHash(entry);
    prev = entry.entry_hash;
    chain.push_back(entry);
  }
  return chain;
}

ChainVerdict Verify(const std::vector<AuditEntry>& chain, int64_t head_sequence = 0,
                    const std::string& head_hash = "") {
  ChainVerifier verifier(head_sequence, head_hash);
  for (const AuditEntry& entry : chain) {
    if (!verifier.Add(entry)) break;
  }
  return verifier.Finish();
}

TEST(AuditChainTest, EncodingIsUnambiguous) {
  AuditEntry a = Sample(1);
  AuditEntry b = a;
  a.subject = "ab";
  a.method = "c";
  b.subject = "a";
  b.method = "bc";
  EXPECT_NE(CanonicalEncoding(a), CanonicalEncoding(b));
  AuditEntry c = Sample(1);
  AuditEntry d = c;
  c.las = {"873", "874"};
  d.las = {"873"};
  d.record_keys.insert(d.record_keys.begin(), "874");
  EXPECT_NE(ComputeEntryHash(c), ComputeEntryHash(d));
  EXPECT_EQ(ComputeEntryHash(a).size(), kHashBytes);
}

TEST(AuditChainTest, IntactChainVerifies) {
  const std::vector<AuditEntry> chain = Chain(5);
  const ChainVerdict verdict = Verify(chain, 5, chain[4].entry_hash);
  EXPECT_TRUE(verdict.ok) << verdict.problem;
  EXPECT_EQ(verdict.entries_checked, 5);
  EXPECT_EQ(verdict.head_sequence, 5);
  EXPECT_EQ(verdict.head_hash, chain[4].entry_hash);
  EXPECT_TRUE(Verify({}).ok);
}

TEST(AuditChainTest, EditedEntryIsNamed) {
  std::vector<AuditEntry> chain = Chain(5);
  chain[2].code = "PERMISSION_DENIED";
  const ChainVerdict verdict = Verify(chain);
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.first_bad_sequence, 3);
  EXPECT_NE(verdict.problem.find("altered"), std::string::npos) << verdict.problem;
}

TEST(AuditChainTest, EditedEntryWithRecomputedHashBreaksTheNextLink) {
  std::vector<AuditEntry> chain = Chain(5);
  chain[2].subject = "someone-else";
  chain[2].entry_hash = ComputeEntryHash(chain[2]);
  const ChainVerdict verdict = Verify(chain);
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.first_bad_sequence, 4);
  EXPECT_NE(verdict.problem.find("does not link"), std::string::npos) << verdict.problem;
}

TEST(AuditChainTest, RemovedEntryIsAGap) {
  std::vector<AuditEntry> chain = Chain(5);
  chain.erase(chain.begin() + 1);
  const ChainVerdict verdict = Verify(chain);
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.first_bad_sequence, 2);
  EXPECT_NE(verdict.problem.find("missing"), std::string::npos) << verdict.problem;
}

TEST(AuditChainTest, RemovedAndRenumberedEntriesBreakTheLink) {
  std::vector<AuditEntry> chain = Chain(5);
  chain.erase(chain.begin() + 1);
  for (size_t i = 1; i < chain.size(); ++i) {
    chain[i].sequence = static_cast<int64_t>(i) + 1;
    chain[i].entry_hash = ComputeEntryHash(chain[i]);
  }
  const ChainVerdict verdict = Verify(chain);
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.first_bad_sequence, 2);
}

TEST(AuditChainTest, SwappedEntriesAreNamed) {
  std::vector<AuditEntry> chain = Chain(5);
  std::swap(chain[1].sequence, chain[2].sequence);  // rows 2 and 3 trade places
  std::swap(chain[1], chain[2]);
  const ChainVerdict verdict = Verify(chain);
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.first_bad_sequence, 2);
}

TEST(AuditChainTest, TruncatedTailNeedsTheExpectedHead) {
  const std::vector<AuditEntry> full = Chain(5);
  std::vector<AuditEntry> chain = full;
  chain.resize(3);
  EXPECT_TRUE(Verify(chain).ok);  // what a chain alone cannot see
  const ChainVerdict verdict = Verify(chain, 5, full[4].entry_hash);
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.first_bad_sequence, 4);
  EXPECT_NE(verdict.problem.find("truncated"), std::string::npos) << verdict.problem;
}

TEST(AuditChainTest, RecomputedChainDiffersFromTheExpectedHead) {
  const std::vector<AuditEntry> original = Chain(5);
  std::vector<AuditEntry> forged = Chain(5);
  forged[0].subject = "forged";
  std::string prev = GenesisHash();
  for (AuditEntry& entry : forged) {
    entry.prev_hash = prev;
    entry.entry_hash = ComputeEntryHash(entry);
    prev = entry.entry_hash;
  }
  EXPECT_TRUE(Verify(forged).ok);
  const ChainVerdict verdict = Verify(forged, 4, original[3].entry_hash);
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.first_bad_sequence, 4);
}

// The store: an append-only table (triggers), a chain written by the writer, tampering found.
class AuditStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = OpenAuditDatabase(dir_.Join("audit.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    auto writer = AuditWriter::Start(db_.get());
    ASSERT_TRUE(writer.ok()) << writer.status();
    for (int i = 1; i <= 5; ++i) {
      absl::Notification done;
      (*writer)->Append(Sample(i), [&done](const absl::Status& s) {
        EXPECT_TRUE(s.ok()) << s;
        done.Notify();
      });
      done.WaitForNotification();
    }
    head_ = (*writer)->head();
    (*writer)->Stop();
  }

  // Runs `sql` as an attacker with the file would: the triggers dropped first.
  void Tamper(const std::string& sql) {
    absl::Status done = db_->Run(store::TxMode::kWrite, [&sql](store::Transaction& tx) {
      return tx.ExecuteScript("DROP TRIGGER IF EXISTS audit_entries_no_update;"
                              "DROP TRIGGER IF EXISTS audit_entries_no_delete;" + sql);
    });
    ASSERT_TRUE(done.ok()) << done;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  ChainHead head_;
};

TEST_F(AuditStoreTest, WrittenChainVerifiesAndLists) {
  EXPECT_EQ(head_.sequence, 5);
  auto verdict = VerifyTrail(*db_, head_.sequence, head_.hash);
  ASSERT_TRUE(verdict.ok()) << verdict.status();
  EXPECT_TRUE(verdict->ok) << verdict->problem;
  EXPECT_EQ(verdict->entries_checked, 5);
  AuditFilter filter;
  auto newest = ListEntries(*db_, filter);
  ASSERT_TRUE(newest.ok());
  ASSERT_EQ(newest->size(), 5u);
  EXPECT_EQ((*newest)[0].sequence, 5);
  EXPECT_EQ((*newest)[0].record_keys, std::vector<std::string>{"engagement_id=E-5"});
  filter.record_key = "E-3";
  auto by_key = ListEntries(*db_, filter);
  ASSERT_TRUE(by_key.ok());
  ASSERT_EQ(by_key->size(), 1u);
  EXPECT_EQ((*by_key)[0].sequence, 3);
  filter = AuditFilter();
  filter.subject = "873-hr-2";
  auto by_subject = ListEntries(*db_, filter);
  ASSERT_TRUE(by_subject.ok());
  ASSERT_EQ(by_subject->size(), 1u);
  filter = AuditFilter();
  filter.oldest_first = true;
  filter.after_sequence = 2;
  filter.limit = 2;
  auto page = ListEntries(*db_, filter);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].sequence, 3);
}

TEST_F(AuditStoreTest, UpdatesAndDeletesAreRefused) {
  absl::Status update = db_->Run(store::TxMode::kWrite, [](store::Transaction& tx) {
    return tx.Execute("UPDATE audit_entries SET code = 'X' WHERE sequence = 2").status();
  });
  EXPECT_FALSE(update.ok());
  EXPECT_NE(update.message().find("append-only"), absl::string_view::npos) << update;
  absl::Status remove = db_->Run(store::TxMode::kWrite, [](store::Transaction& tx) {
    return tx.Execute("DELETE FROM audit_entries").status();
  });
  EXPECT_FALSE(remove.ok());
}

TEST_F(AuditStoreTest, EditedRowIsFound) {
  Tamper("UPDATE audit_entries SET subject = 'nobody' WHERE sequence = 3");
  auto verdict = VerifyTrail(*db_);
  ASSERT_TRUE(verdict.ok());
  EXPECT_FALSE(verdict->ok);
  EXPECT_EQ(verdict->first_bad_sequence, 3);
}

TEST_F(AuditStoreTest, DeletedRowIsFound) {
  Tamper("DELETE FROM audit_entries WHERE sequence = 2");
  auto verdict = VerifyTrail(*db_);
  ASSERT_TRUE(verdict.ok());
  EXPECT_FALSE(verdict->ok);
  EXPECT_EQ(verdict->first_bad_sequence, 2);
}

TEST_F(AuditStoreTest, ReorderedRowsAreFound) {
  Tamper("UPDATE audit_entries SET sequence = -2 WHERE sequence = 2;"
         "UPDATE audit_entries SET sequence = 2 WHERE sequence = 4;"
         "UPDATE audit_entries SET sequence = 4 WHERE sequence = -2");
  auto verdict = VerifyTrail(*db_);
  ASSERT_TRUE(verdict.ok());
  EXPECT_FALSE(verdict->ok);
  EXPECT_EQ(verdict->first_bad_sequence, 2);
}

TEST_F(AuditStoreTest, TruncatedTailIsFoundAgainstTheExpectedHead) {
  Tamper("DELETE FROM audit_entries WHERE sequence >= 4");
  auto alone = VerifyTrail(*db_);
  ASSERT_TRUE(alone.ok());
  EXPECT_TRUE(alone->ok);
  auto verdict = VerifyTrail(*db_, head_.sequence, head_.hash);
  ASSERT_TRUE(verdict.ok());
  EXPECT_FALSE(verdict->ok);
  EXPECT_EQ(verdict->first_bad_sequence, 4);
}

TEST_F(AuditStoreTest, WriterContinuesTheChainAfterRestart) {
  auto writer = AuditWriter::Start(db_.get());
  ASSERT_TRUE(writer.ok());
  EXPECT_EQ((*writer)->head().sequence, 5);
  absl::Notification done;
  (*writer)->Append(Sample(6), [&done](const absl::Status& s) {
    EXPECT_TRUE(s.ok()) << s;
    done.Notify();
  });
  done.WaitForNotification();
  (*writer)->Stop();
  auto verdict = VerifyTrail(*db_);
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict->ok) << verdict->problem;
  EXPECT_EQ(verdict->head_sequence, 6);
}

}  // namespace
}  // namespace slihub::audit
