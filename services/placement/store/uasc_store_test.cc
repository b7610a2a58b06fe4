// Tests of the UASC repository against a real SQLite file: the seeded rules and bank holidays,
// effective-dated figures, transfers (idempotent recording, version checks, the overdue list).
#include "services/placement/store/uasc_store.h"

#include "gtest/gtest.h"
#include "services/placement/store/migrations.h"
#include "services/placement/store/transactions.h"
#include "tests/support/temp_dir.h"

namespace slihub::placement {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1790000000);
absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

class UascStoreTest : public ::testing::Test {
 protected:
  // Runs `work(tx)` in one write transaction of db_, as the service does.
  template <typename Work>
  auto Tx(Work work) {
    return InWriteTransaction(*db_, work);
  }

  void SetUp() override {
    auto db = OpenPlacementDatabase(dir_.Join("placement.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    store_ = std::make_unique<UascStore>("EE");
  }

  static WriteContext W(const std::string& rid) { return WriteContext{"ee-admin", rid, kT0}; }

  UascTransferRecord Draft(const std::string& record_id, absl::CivilDay deadline) {
    UascTransferRecord t;
    t.record_id = record_id;
    t.referring_la = "926";
    t.receiving_la = "935";
    t.referred_on = D(2025, 3, 3);
    t.deadline = deadline;
    return t;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<UascStore> store_;
};

TEST_F(UascStoreTest, SeededRulesAndBankHolidays) {
  auto rules = Tx([&](store::Transaction& tx) { return store_->ListThresholdRules(tx, "", 10); });
  ASSERT_TRUE(rules.ok()) << rules.status();
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_EQ((*rules)[0].rule.effective_from, D(2016, 7, 1));
  EXPECT_EQ((*rules)[0].rule.rate_per_100000, 70);
  EXPECT_EQ((*rules)[1].rule.effective_from, D(2022, 8, 24));
  EXPECT_EQ((*rules)[1].rule.rate_per_100000, 100);
  auto holidays = Tx([&](store::Transaction& tx) { return store_->BankHolidays(tx); });
  ASSERT_TRUE(holidays.ok());
  std::map<int, int> per_year;
  for (absl::CivilDay d : *holidays) ++per_year[static_cast<int>(d.year())];
  for (int y = 2022; y <= 2027; ++y) EXPECT_GE(per_year[y], 8) << y;
  for (absl::CivilDay d : {D(2022, 9, 19), D(2023, 5, 8), D(2026, 12, 28), D(2027, 3, 26)}) {
    EXPECT_TRUE(std::binary_search(holidays->begin(), holidays->end(), d)) << d;
  }
  for (absl::CivilDay d : *holidays) {
    EXPECT_NE(absl::GetWeekday(d), absl::Weekday::saturday) << d;
    EXPECT_NE(absl::GetWeekday(d), absl::Weekday::sunday) << d;
  }
}

TEST_F(UascStoreTest, PublishRuleVersionsAndDuplicates) {
  auto made = Tx([&](store::Transaction& tx) {
    return store_->PublishThresholdRule(tx, {0, D(2030, 4, 1), 120}, W("rule-1"));
  });
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(made->rule.version, 3);
  // Replays are the request layer's (RunIdempotent); the store refuses a second rule for the day.
  EXPECT_EQ(Tx([&](store::Transaction& tx) {
              return store_->PublishThresholdRule(tx, {0, D(2030, 4, 1), 90}, W("rule-2"));
            })
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);
  auto page =
      Tx([&](store::Transaction& tx) { return store_->ListThresholdRules(tx, "2016-07-01", 1); });
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].rule.version, 2);
}

TEST_F(UascStoreTest, LatestFiguresOnOrBeforeTheDateAndCorrections) {
  ASSERT_TRUE(Tx([&](store::Transaction& tx) {
                return store_->SubmitPopulation(tx, {"926", D(2024, 3, 31), 180000, 150}, W("a"));
              }).ok());
  ASSERT_TRUE(Tx([&](store::Transaction& tx) {
                return store_->SubmitPopulation(tx, {"926", D(2025, 3, 31), 181000, 170}, W("b"));
              }).ok());
  ASSERT_TRUE(Tx([&](store::Transaction& tx) {
                return store_->SubmitPopulation(tx, {"935", D(2025, 3, 31), 150000, 90}, W("c"));
              }).ok());
  auto corrected = Tx([&](store::Transaction& tx) {
    return store_->SubmitPopulation(tx, {"935", D(2025, 3, 31), 150000, 95}, W("d"));
  });
  ASSERT_TRUE(corrected.ok());
  EXPECT_EQ(corrected->figures.uasc_count, 95);

  auto before = Tx([&](store::Transaction& tx) {
    return store_->LoadInputs(tx, {"926", "935", "873"}, D(2025, 3, 30));
  });
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->rules.size(), 2u);
  ASSERT_EQ(before->latest.count("926"), 1u);
  EXPECT_EQ(before->latest.at("926").figures.uasc_count, 150);
  EXPECT_EQ(before->latest.count("935"), 0u);
  auto on = Tx([&](store::Transaction& tx) {
    return store_->LoadInputs(tx, {"926", "935", "873"}, D(2025, 3, 31));
  });
  ASSERT_TRUE(on.ok());
  EXPECT_EQ(on->latest.at("926").figures.uasc_count, 170);
  EXPECT_EQ(on->latest.at("935").figures.uasc_count, 95);
  EXPECT_EQ(on->latest.count("873"), 0u);
}

TEST_F(UascStoreTest, TransfersAreIdempotentVersionedAndListedByDeadline) {
  auto first = Tx([&](store::Transaction& tx) {
    return store_->RecordTransfer(tx, Draft("t-1", D(2025, 3, 17)), W("r1"));
  });
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->state, kTransferPending);
  EXPECT_EQ(first->version, 1);
  auto same = Tx([&](store::Transaction& tx) {
    return store_->RecordTransfer(tx, Draft("t-1", D(2025, 3, 17)), W("r1-again"));
  });
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->transfer_id, first->transfer_id);
  UascTransferRecord other = Draft("t-1", D(2025, 3, 17));
  other.receiving_la = "873";
  EXPECT_EQ(Tx([&](store::Transaction& tx) { return store_->RecordTransfer(tx, other, W("r2")); })
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);
  auto second = Tx([&](store::Transaction& tx) {
    return store_->RecordTransfer(tx, Draft("t-2", D(2025, 3, 10)), W("r3"));
  });
  ASSERT_TRUE(second.ok());

  EXPECT_EQ(Tx([&](store::Transaction& tx) {
              return store_->CompleteTransfer(tx, first->transfer_id, 7, D(2025, 3, 20), W("c0"));
            })
                .status()
                .code(),
            absl::StatusCode::kAborted);
  auto done = Tx([&](store::Transaction& tx) {
    return store_->CompleteTransfer(tx, first->transfer_id, 1, D(2025, 3, 20), W("c1"));
  });
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->state, kTransferCompleted);
  EXPECT_EQ(done->version, 2);
  auto twice = Tx([&](store::Transaction& tx) {
    return store_->CompleteTransfer(tx, first->transfer_id, 1, D(2025, 3, 20), W("c1"));
  });
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kAborted);  // replays: RunIdempotent's
  EXPECT_EQ(Tx([&](store::Transaction& tx) {
              return store_->CancelTransfer(tx, first->transfer_id, 2, "no", W("x"));
            })
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);

  UascTransferQuery all;
  auto listed = Tx([&](store::Transaction& tx) { return store_->ListTransfers(tx, all); });
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].transfer_id, second->transfer_id);  // earlier deadline first
  UascTransferQuery overdue;
  overdue.overdue_on = D(2025, 3, 12);
  auto late = Tx([&](store::Transaction& tx) { return store_->ListTransfers(tx, overdue); });
  ASSERT_TRUE(late.ok());
  ASSERT_EQ(late->size(), 2u);  // t-2 pending past 10 Mar; t-1 completed after 17 Mar
  overdue.overdue_on = D(2025, 3, 10);
  late = Tx([&](store::Transaction& tx) { return store_->ListTransfers(tx, overdue); });
  ASSERT_EQ(late->size(), 1u);
  EXPECT_EQ((*late)[0].transfer_id, first->transfer_id);
  UascTransferQuery page;
  page.limit = 1;
  page.after_deadline = "2025-03-10";
  page.after_id = second->transfer_id;
  page.la_codes = {"935"};
  auto next = Tx([&](store::Transaction& tx) { return store_->ListTransfers(tx, page); });
  ASSERT_EQ(next->size(), 1u);
  EXPECT_EQ((*next)[0].transfer_id, first->transfer_id);
  page.la_codes = {"873"};
  EXPECT_TRUE(Tx([&](store::Transaction& tx) { return store_->ListTransfers(tx, page); })->empty());
}

}  // namespace
}  // namespace slihub::placement
