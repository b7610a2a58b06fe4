#include "common/store/coherent_cache.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "common/store/sqlite_database.h"
#include "tests/support/temp_dir.h"

namespace slihub::store {
namespace {

// Records what a listener hears, in order.
class RecordingListener final : public ChangeListener {
 public:
  void Changing(std::string_view key) override {
    heard.push_back(std::string("changing ").append(key));
  }
  void Settled(std::string_view key, bool committed) override {
    heard.push_back(std::string(committed ? "committed " : "rolled back ").append(key));
  }
  std::vector<std::string> heard;
};

size_t Eight(const int64_t&) { return 8; }

class CoherentCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Database>> db =
        SqliteDatabase::Open(dir_.Join("cache.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ASSERT_TRUE(db_->Run(TxMode::kWrite, [](Transaction& tx) {
                     return tx.ExecuteScript(
                         "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER);"
                         "INSERT INTO counters VALUES ('a', 0), ('b', 0)");
                   }).ok());
  }

  // Sets counter `name` to `value` in one write transaction announcing it on "test.counters".
  absl::Status Write(const std::string& name, int64_t value, bool commit = true) {
    return db_->Run(TxMode::kWrite, [&](Transaction& tx) -> absl::Status {
      absl::StatusOr<int64_t> n = tx.Execute("UPDATE counters SET value = $2 WHERE name = $1",
                                             {Text(name), Int(value)});
      if (!n.ok()) return n.status();
      tx.Notify("test.counters", name);
      return commit ? absl::OkStatus() : absl::AbortedError("rolled back on purpose");
    });
  }

  // Counter `name` through `cache`: the cached copy, or a read offered to the cache.
  std::shared_ptr<const int64_t> ReadThrough(CoherentCache<int64_t>& cache,
                                             const std::string& name, bool* hit = nullptr) {
    bool loaded = false;
    absl::StatusOr<std::shared_ptr<const int64_t>> value =
        cache.FindOrLoad(name, cache.Ticket(name), [&]() -> absl::StatusOr<int64_t> {
          loaded = true;
          return Read(name);
        });
    EXPECT_TRUE(value.ok());
    if (hit != nullptr) *hit = !loaded;
    return *value;
  }

  int64_t Read(const std::string& name) {
    int64_t value = -1;
    EXPECT_TRUE(db_->Run(TxMode::kRead, [&](Transaction& tx) -> absl::Status {
                     absl::StatusOr<ResultSet> rows = tx.Query(
                         "SELECT value FROM counters WHERE name = $1", {Text(name)});
                     if (!rows.ok()) return rows.status();
                     value = (*rows)[0].GetInt64(size_t{0});
                     return absl::OkStatus();
                   }).ok());
    return value;
  }

  testing::TempDir dir_{"coherent-cache"};
  std::unique_ptr<Database> db_;
};

TEST_F(CoherentCacheTest, ListenersHearChangesOnTheirChannelWhenTheTransactionEnds) {
  RecordingListener counters, other;
  db_->AddChangeListener("test.counters", &counters);
  db_->AddChangeListener("test.other", &other);
  ASSERT_TRUE(db_->Run(TxMode::kWrite, [&](Transaction& tx) {
                   tx.Notify("test.counters", "a");
                   EXPECT_EQ(counters.heard, std::vector<std::string>{"changing a"});
                   return absl::OkStatus();
                 }).ok());
  EXPECT_EQ(counters.heard, (std::vector<std::string>{"changing a", "committed a"}));
  EXPECT_FALSE(Write("b", 5, /*commit=*/false).ok());
  EXPECT_EQ(counters.heard.back(), "rolled back b");
  EXPECT_TRUE(other.heard.empty());

  // A read transaction changes nothing, so it tells nobody.
  ASSERT_TRUE(db_->Run(TxMode::kRead, [&](Transaction& tx) {
                   tx.Notify("test.counters", "a");
                   return absl::OkStatus();
                 }).ok());
  EXPECT_EQ(counters.heard.size(), 4u);

  db_->RemoveChangeListener(&counters);
  ASSERT_TRUE(Write("a", 1).ok());
  EXPECT_EQ(counters.heard.size(), 4u);
  db_->RemoveChangeListener(&other);
}

TEST_F(CoherentCacheTest, FindsWhatWasOfferedUntilAChangeIsAnnounced) {
  CoherentCache<int64_t> cache(db_.get(), "test.counters", 1 << 20, Eight);
  EXPECT_EQ(cache.Find("a"), nullptr);
  CacheTicket ticket = cache.Ticket("a");
  EXPECT_TRUE(cache.Offer("a", ticket, std::make_shared<const int64_t>(Read("a")), 8));
  ASSERT_NE(cache.Find("a"), nullptr);
  EXPECT_EQ(*cache.Find("a"), 0);

  ASSERT_TRUE(Write("a", 7).ok());
  EXPECT_EQ(cache.Find("a"), nullptr);
  ticket = cache.Ticket("a");
  EXPECT_TRUE(cache.Offer("a", ticket, std::make_shared<const int64_t>(Read("a")), 8));
  EXPECT_EQ(*cache.Find("a"), 7);

  // A rolled-back change still drops the copy: the next reader loads the unchanged value.
  EXPECT_FALSE(Write("a", 9, /*commit=*/false).ok());
  EXPECT_EQ(cache.Find("a"), nullptr);
  EXPECT_EQ(Read("a"), 7);
}

TEST_F(CoherentCacheTest, RefusesAValueReadBeforeOrDuringAChange) {
  CoherentCache<int64_t> cache(db_.get(), "test.counters", 1 << 20, Eight);
  // Read before a write committed, offered after: refused.
  const CacheTicket before = cache.Ticket("a");
  const int64_t stale = Read("a");
  ASSERT_TRUE(Write("a", 3).ok());
  EXPECT_FALSE(cache.Offer("a", before, std::make_shared<const int64_t>(stale), 8));
  EXPECT_EQ(cache.Find("a"), nullptr);

  // Offered while a write transaction that announced the key is still open: refused, even with
  // a ticket taken after the announcement.
  ASSERT_TRUE(db_->Run(TxMode::kWrite, [&](Transaction& tx) {
                   tx.Notify("test.counters", "a");
                   const CacheTicket during = cache.Ticket("a");
                   EXPECT_FALSE(cache.Offer("a", during, std::make_shared<const int64_t>(3), 8));
                   return tx.Execute("UPDATE counters SET value = 4 WHERE name = 'a'").status();
                 }).ok());
  EXPECT_EQ(cache.Find("a"), nullptr);
  const CacheTicket after = cache.Ticket("a");
  EXPECT_TRUE(cache.Offer("a", after, std::make_shared<const int64_t>(Read("a")), 8));
  EXPECT_EQ(*cache.Find("a"), 4);
}

TEST_F(CoherentCacheTest, EvictsTheLeastRecentlyUsedPastItsCapacity) {
  // 16 shards of 4 KB: entries of ~1 KB, so a shard holds at most three.
  CoherentCache<std::string> cache(db_.get(), "test.counters", 16 * 4096,
                                   [](const std::string& v) { return v.size(); });
  const int kKeys = 400;
  for (int i = 0; i < kKeys; ++i) {
    const std::string key = absl::StrCat("k", i);
    ASSERT_TRUE(cache.Offer(key, cache.Ticket(key),
                            std::make_shared<const std::string>(900, 'x'), 900));
    ASSERT_NE(cache.Find("k0"), nullptr) << "k0 is used every time, so it is never the oldest";
  }
  EXPECT_LE(cache.bytes(), 16u * 4096);
  EXPECT_LT(cache.entries(), 16u * 4);
  EXPECT_GE(cache.entries(), 16u);
  EXPECT_EQ(cache.Find("k1"), nullptr);
  EXPECT_NE(cache.Find(absl::StrCat("k", kKeys - 1)), nullptr);

  EXPECT_FALSE(cache.Offer("huge", cache.Ticket("huge"),
                           std::make_shared<const std::string>(8000, 'x'), 8000));
  CoherentCache<int64_t> off(db_.get(), "test.counters", 0, Eight);
  EXPECT_FALSE(off.Offer("a", off.Ticket("a"), std::make_shared<const int64_t>(1), 8));
  EXPECT_EQ(off.Find("a"), nullptr);
}

// Writers keep raising two counters while readers read through the cache. A reader must never
// see a value below the one the last write acknowledged before its read began.
TEST_F(CoherentCacheTest, ReadersNeverSeeAValueOlderThanTheLastAcknowledgedWrite) {
  CoherentCache<int64_t> cache(db_.get(), "test.counters", 1 << 20, Eight);
  std::atomic<int64_t> acknowledged[2] = {0, 0};
  std::atomic<bool> stop{false};
  std::atomic<int> hits{0}, violations{0};
  const std::string names[2] = {"a", "b"};
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    for (int64_t v = 1; v <= 300; ++v) {
      for (int k = 0; k < 2; ++k) {
        if (!Write(names[k], v).ok()) violations++;
        acknowledged[k].store(v);
      }
    }
    stop.store(true);
  });
  for (int r = 0; r < 3; ++r) {
    threads.emplace_back([&, r] {
      for (int i = 0; !stop.load(); ++i) {
        const int k = (i + r) % 2;
        const int64_t floor = acknowledged[k].load();
        bool hit = false;
        if (*ReadThrough(cache, names[k], &hit) < floor) violations++;
        if (hit) hits++;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(violations.load(), 0);
  EXPECT_GT(hits.load(), 0) << "the readers should have been served from the cache sometimes";
  EXPECT_EQ(*ReadThrough(cache, "a"), 300);
  EXPECT_EQ(*ReadThrough(cache, "b"), 300);
}

}  // namespace
}  // namespace slihub::store
