#include "services/datacollection/store/repository.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/refdata/reference_data.h"
#include "common/store/sqlite_database.h"
#include "gtest/gtest.h"
#include "services/datacollection/demo_data.h"
#include "services/datacollection/domain/validation.h"
#include "tests/support/temp_dir.h"

namespace slihub::datacollection {
namespace {

// 2026-11-23T12:00:00Z: the current quarter is 2026-Q3; demo figures cover 2025-Q3 .. 2026-Q2.
const absl::Time kNow = absl::FromUnixSeconds(1795435200);

// Version 2 of LA 873's 2026-Q1 return, received late at kNow, without figures.
ReturnRecord LateVersion2Of873() {
  ReturnRecord r;
  r.la_code = "873";
  r.collection_id = "EE-core";
  r.period_id = "2026-Q1";
  r.version = 2;
  r.receive_time = kNow;
  r.timeliness = Timeliness::kLate;
  return r;
}

class RepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto refdata = ReferenceData::LoadFromFile(std::string(SLIHUB_SOURCE_DIR) +
                                               "/deploy/reference/local_authorities.csv");
    ASSERT_TRUE(refdata.ok()) << refdata.status();
    refdata_ = *std::move(refdata);
    auto db = store::SqliteDatabase::Open(dir_.Join("datacollection.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ASSERT_TRUE(db_->Migrate(DataCollectionMigrations()).ok());
  }

  template <typename F>
  void Read(F body) {
    ASSERT_TRUE(db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      body(tx);
      return absl::OkStatus();
    }).ok());
  }

  slihub::testing::TempDir dir_;
  std::unique_ptr<ReferenceData> refdata_;
  std::unique_ptr<store::Database> db_;
};

TEST_F(RepositoryTest, CatalogueIsValidAndRoundTrips) {
  const std::vector<IndicatorDef> catalogue = CoreCatalogue();
  EXPECT_GE(catalogue.size(), 20u);
  for (const IndicatorDef& def : catalogue) {
    EXPECT_TRUE(ValidateIndicatorDef(def).empty()) << def.indicator_id;
  }
  ASSERT_TRUE(LoadDemoData(*db_, *refdata_, "EE", kNow).ok());
  Read([&](store::Transaction& tx) {
    auto listed = repository::ListLatestIndicators(tx);
    ASSERT_TRUE(listed.ok());
    EXPECT_EQ(listed->size(), catalogue.size());
    auto cla = repository::GetIndicator(tx, "CLA-COUNT", 0);
    ASSERT_TRUE(cla.ok());
    ASSERT_EQ(cla->breakdowns.size(), 1u);
    EXPECT_EQ(cla->breakdowns[0].categories.size(), 6u);
    EXPECT_EQ(cla->breakdowns[0].categories[3].label, "Black, Black British, Caribbean or African");
    EXPECT_EQ(cla->unit, Unit::kCount);
    EXPECT_EQ(repository::GetIndicator(tx, "NOPE", 0).status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(repository::GetIndicator(tx, "CLA-COUNT", 2).status().code(), absl::StatusCode::kNotFound);
  });
}

TEST_F(RepositoryTest, DemoFiguresPassValidation) {
  const std::vector<IndicatorDef> catalogue = CoreCatalogue();
  for (const char* la : {"873", "926", "881"}) {
    std::vector<IndicatorFigures> figures = DemoFigures(catalogue, la, "2025-Q3");
    ASSERT_EQ(figures.size(), catalogue.size());
    for (size_t i = 0; i < figures.size(); ++i) {
      EXPECT_TRUE(ValidateFigures(catalogue[i], figures[i]).empty()) << la << " " << figures[i].indicator_id;
    }
  }
}

TEST_F(RepositoryTest, DemoDataIsIdempotentWithFourPastQuartersAndOneOpen) {
  ASSERT_TRUE(LoadDemoData(*db_, *refdata_, "EE", kNow).ok());
  ASSERT_TRUE(LoadDemoData(*db_, *refdata_, "EE", kNow + absl::Hours(24 * 200)).ok());
  Read([&](store::Transaction& tx) {
    auto periods = repository::ListPeriods(tx, "EE-core");
    ASSERT_TRUE(periods.ok());
    ASSERT_EQ(periods->size(), 5u);
    EXPECT_EQ((*periods)[0].period_id, "2026-Q3");
    EXPECT_EQ((*periods)[0].previous_period_id, "2026-Q2");
    EXPECT_EQ((*periods)[4].period_id, "2025-Q3");
    EXPECT_EQ((*periods)[4].previous_period_id, "");
    auto q2 = repository::GetPeriod(tx, "EE-core", "2026-Q2");
    ASSERT_TRUE(q2.ok());
    EXPECT_EQ(q2->previous_period_id, "2026-Q1");
    EXPECT_EQ(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", q2->deadline_time, absl::UTCTimeZone()),
              "2026-10-31T12:00:00Z");  // noon GMT (British summer time has ended)
    auto latest = repository::LatestTotals(tx, "EE-core", "2026-Q2", absl::InfiniteFuture());
    ASSERT_TRUE(latest.ok());
    EXPECT_EQ(latest->size(), 10u * 22u);  // 11 LAs, one has not submitted
    auto older = repository::LatestTotals(tx, "EE-core", "2026-Q1", absl::InfiniteFuture());
    EXPECT_EQ(older->size(), 11u * 22u);
    auto current = repository::LatestTotals(tx, "EE-core", "2026-Q3", absl::InfiniteFuture());
    EXPECT_TRUE(current->empty());
    auto versions = repository::ListReturnVersions(tx, "EE-core", "2026-Q2", true);
    ASSERT_TRUE(versions.ok());
    ASSERT_EQ(versions->size(), 10u);
    EXPECT_EQ((*versions)[0].timeliness, Timeliness::kLate);
    EXPECT_EQ((*versions)[1].timeliness, Timeliness::kOnTime);
    EXPECT_EQ((*versions)[0].values.size(), 22u);
  });
}

TEST_F(RepositoryTest, NewVersionsKeepHistoryAndAsOfReproducesThePast) {
  ASSERT_TRUE(LoadDemoData(*db_, *refdata_, "EE", kNow).ok());
  ReturnRecord r = LateVersion2Of873();
  r.source = 1;
  IndicatorFigures f;
  f.indicator_id = "CLA-COUNT";
  f.indicator_version = 1;
  f.total = Observation{ValueState::kPresent, Decimal{10, 0}, std::nullopt, std::nullopt, ""};
  f.breakdowns.push_back({Dimension::kEthnicityGroup, "WHITE", {ValueState::kPresent, Decimal{9, 0}, {}, {}, ""}});
  f.breakdowns.push_back({Dimension::kEthnicityGroup, "BLACK", {ValueState::kSuppressed, {}, {}, {}, "small"}});
  r.values.push_back(f);
  ASSERT_TRUE(db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
    return repository::InsertReturn(tx, r);
  }).ok());
  Read([&](store::Transaction& tx) {
    EXPECT_EQ(*repository::LatestVersion(tx, "873", "EE-core", "2026-Q1"), 2);
    auto v2 = repository::GetReturn(tx, "873", "EE-core", "2026-Q1", 0, true);
    ASSERT_TRUE(v2.ok());
    EXPECT_TRUE(v2->latest);
    ASSERT_EQ(v2->values.size(), 1u);
    ASSERT_EQ(v2->values[0].breakdowns.size(), 2u);
    EXPECT_EQ(v2->values[0].breakdowns[0].category, "WHITE");
    EXPECT_EQ(v2->values[0].breakdowns[1].observation.state, ValueState::kSuppressed);
    EXPECT_EQ(v2->values[0].breakdowns[1].observation.note, "small");
    auto v1 = repository::GetReturn(tx, "873", "EE-core", "2026-Q1", 1, true);
    ASSERT_TRUE(v1.ok());
    EXPECT_FALSE(v1->latest);
    EXPECT_EQ(v1->values.size(), 22u);
    auto now_totals = repository::LatestTotals(tx, "EE-core", "2026-Q1", absl::InfiniteFuture());
    EXPECT_EQ(now_totals->size(), 10u * 22u + 1u);
    auto past_totals = repository::LatestTotals(tx, "EE-core", "2026-Q1", kNow - absl::Seconds(1));
    EXPECT_EQ(past_totals->size(), 11u * 22u);
  });
}

// Sorts totals by (LA, indicator) for comparison.
std::vector<std::string> Keys(std::vector<LatestTotal> totals) {
  std::vector<std::string> out;
  for (const LatestTotal& t : totals) {
    out.push_back(absl::StrCat(t.la_code, "/", t.indicator_id, "/", static_cast<int>(t.total.state), "/",
                               t.total.value ? t.total.value->unscaled : -1, "/", t.total.note, "/",
                               t.return_version, "/", static_cast<int>(t.timeliness)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_F(RepositoryTest, CurrentTotalsMatchTheReturnsAndEveryWriteBumpsTheGeneration) {
  int64_t before = 0;
  Read([&](store::Transaction& tx) { before = *repository::Generation(tx); });
  ASSERT_TRUE(LoadDemoData(*db_, *refdata_, "EE", kNow).ok());
  ReturnRecord r = LateVersion2Of873();
  IndicatorFigures f;
  f.indicator_id = "CLA-COUNT";
  f.total = Observation{ValueState::kMissing, std::nullopt, std::nullopt, std::nullopt, "system down"};
  r.values.push_back(f);
  int64_t after_demo = 0;
  Read([&](store::Transaction& tx) { after_demo = *repository::Generation(tx); });
  EXPECT_GT(after_demo, before);
  ASSERT_TRUE(db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
    // A period written before the snapshot table existed: its row is rebuilt from the returns.
    if (auto s = tx.Execute("DELETE FROM latest_totals WHERE period_id = '2026-Q1'"); !s.ok()) return s.status();
    return repository::InsertReturn(tx, r);
  }).ok());
  Read([&](store::Transaction& tx) {
    EXPECT_GT(*repository::Generation(tx), after_demo);
    for (const char* period : {"2025-Q3", "2026-Q1", "2026-Q2"}) {
      auto current = repository::CurrentTotals(tx, "EE-core", period);
      auto latest = repository::LatestTotals(tx, "EE-core", period, absl::InfiniteFuture());
      ASSERT_TRUE(current.ok() && latest.ok()) << period;
      EXPECT_EQ(Keys(*current), Keys(*latest)) << period;
    }
    EXPECT_EQ(repository::CurrentTotals(tx, "EE-core", "2026-Q1")->size(), 10u * 22u + 1u);
    EXPECT_TRUE(repository::CurrentTotals(tx, "EE-core", "2026-Q3")->empty());
  });
}

TEST_F(RepositoryTest, ASubmissionRaisesOnlyItsOwnPeriodsTotalsRevision) {
  ASSERT_TRUE(LoadDemoData(*db_, *refdata_, "EE", kNow).ok());
  ReturnRecord r = LateVersion2Of873();
  std::optional<int64_t> q1_before, other_before;
  Read([&](store::Transaction& tx) {
    q1_before = *repository::SnapshotRevision(tx, "EE-core", r.period_id);
    other_before = *repository::SnapshotRevision(tx, "EE-core", "2025-Q3");
    EXPECT_EQ(*repository::SnapshotRevision(tx, "EE-core", "2030-Q1"), std::nullopt);
  });
  ASSERT_TRUE(q1_before.has_value());
  ASSERT_TRUE(other_before.has_value());
  ASSERT_TRUE(db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
    return repository::InsertReturn(tx, r);
  }).ok());
  Read([&](store::Transaction& tx) {
    EXPECT_EQ(*repository::SnapshotRevision(tx, "EE-core", r.period_id), *q1_before + 1);
    EXPECT_EQ(*repository::SnapshotRevision(tx, "EE-core", "2025-Q3"), *other_before);
  });
}

}  // namespace
}  // namespace slihub::datacollection
