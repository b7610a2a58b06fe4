// ComplianceFeed: the periods peers asked are published on every committed summary-changing
// write (through a real SQLite store's change notifications), a rolled-back write publishes
// nothing, and a period pushed out of the bounded memory is published once as it leaves.
#include "services/workforce/adapter/compliance_feed.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/store/sqlite_database.h"
#include "gtest/gtest.h"
#include "services/workforce/store/migrations.h"
#include "services/workforce/store/workforce_store.h"
#include "tests/support/temp_dir.h"

namespace slihub::workforce {
namespace {

TEST(ComplianceFeedTest, CommittedWritesPublishEveryRememberedPeriod) {
  ::slihub::testing::TempDir dir("slihub-compliance-feed");
  auto db = store::SqliteDatabase::Open(dir.Join("wf.db"));
  ASSERT_TRUE(db.ok()) << db.status();
  federation::ChangeLog log;
  ComplianceFeed feed(&log, /*capacity=*/2);  // destroyed before the database it follows
  feed.Follow(db->get());
  auto write = [&](bool commit) {
    return (*db)->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
      tx.Notify(kComplianceChannel, "873");
      return commit ? absl::OkStatus() : absl::AbortedError("rolled back");
    });
  };

  // Nothing asked yet: nothing to announce.
  ASSERT_TRUE(write(true).ok());
  EXPECT_EQ(log.last_sequence(), 0);

  feed.Asked("2025-01-01/2025-03-31");
  feed.Asked("2025-04-01/2025-06-30");
  feed.Asked("2025-01-01/2025-03-31");  // asked again: most recent now
  EXPECT_EQ(feed.Remembered(),
            (std::vector<std::string>{"2025-04-01/2025-06-30", "2025-01-01/2025-03-31"}));
  EXPECT_EQ(log.last_sequence(), 0);
  ASSERT_TRUE(write(true).ok());
  EXPECT_EQ(log.last_sequence(), 2);  // both periods
  EXPECT_FALSE(write(false).ok());
  EXPECT_EQ(log.last_sequence(), 2);  // a rollback changes nothing

  // A third period pushes out the least recently asked, which is published as it leaves.
  feed.Asked("2025-07-01/2025-09-30");
  EXPECT_EQ(log.last_sequence(), 3);
  EXPECT_EQ(feed.Remembered(),
            (std::vector<std::string>{"2025-01-01/2025-03-31", "2025-07-01/2025-09-30"}));
}

}  // namespace
}  // namespace slihub::workforce
