// The workforce demo loader against real SQLite stores, one per region as on the local stack:
// each region's workers have SWE numbers of their own (EE's the README's SW900001-3), and the
// touring worker SW990001 has six consecutive months in each region, each hub holding its own.
#include "services/workforce/demo_data.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/config/server_config.h"
#include "common/refdata/reference_data.h"
#include "common/store/sqlite_database.h"
#include "gtest/gtest.h"
#include "services/workforce/store/migrations.h"
#include "services/workforce/store/workforce_store.h"
#include "tests/support/temp_dir.h"

namespace slihub::workforce {
namespace {

class WorkforceDemoDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto refdata = ReferenceData::LoadFromFile(std::string(SLIHUB_SOURCE_DIR) +
                                               "/deploy/reference/local_authorities.csv");
    ASSERT_TRUE(refdata.ok()) << refdata.status();
    refdata_ = *std::move(refdata);
  }

  // Loads `region`'s demo data (twice: the second load must add nothing) into a store of its
  // own and returns the periods of `swe` there.
  std::vector<EmploymentPeriod> LoadAndRead(const std::string& region, const std::string& swe) {
    auto db = store::SqliteDatabase::Open(dir_.Join(region + ".db"));
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return {};
    EXPECT_TRUE((*db)->Migrate(WorkforceMigrations()).ok());
    ServerConfig config;
    config.hub_region = region;
    ServiceContext context;
    context.config = &config;
    context.reference_data = refdata_.get();
    context.database = db->get();
    for (int i = 0; i < 2; ++i) {
      absl::Status loaded = LoadWorkforceDemoData(context);
      EXPECT_TRUE(loaded.ok()) << loaded;
    }
    std::vector<EmploymentPeriod> periods;
    EXPECT_TRUE((*db)->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      auto got = WorkforceStore::ListWorkerPeriods(tx, swe);
      if (!got.ok()) return got.status();
      periods = *got;
      return absl::OkStatus();
    }).ok());
    return periods;
  }

  testing::TempDir dir_{"slihub-workforce-demo"};
  std::unique_ptr<const ReferenceData> refdata_;
};

TEST_F(WorkforceDemoDataTest, EachRegionHasWorkersOfItsOwn) {
  EXPECT_EQ(DemoSweNumber(*refdata_, "EE", 1), "SW900001");
  EXPECT_EQ(DemoSweNumber(*refdata_, "SE", 3), "SW950003");
  EXPECT_EQ(DemoSweNumber(*refdata_, "YH", 2), "SW980002");
  std::set<std::string> numbers;
  for (const RegionRecord& region : refdata_->regions()) {
    for (int n = 1; n <= 3; ++n) numbers.insert(DemoSweNumber(*refdata_, region.code, n));
  }
  EXPECT_EQ(numbers.size(), 3 * refdata_->regions().size());
  EXPECT_EQ(numbers.count(kDemoTouringWorker), 0u);

  const std::vector<EmploymentPeriod> ldn = LoadAndRead("LDN", DemoSweNumber(*refdata_, "LDN", 1));
  ASSERT_EQ(ldn.size(), 1u);
  EXPECT_EQ(ldn[0].region, "LDN");
}

TEST_F(WorkforceDemoDataTest, TheTouringWorkerHasSixMonthsInEachRegionEndToEnd) {
  std::vector<std::string> codes;
  for (const RegionRecord& region : refdata_->regions()) codes.push_back(region.code);
  std::sort(codes.begin(), codes.end());
  ASSERT_EQ(codes.size(), 9u);
  absl::CivilDay next(2019, 1, 1);
  for (const std::string& region : codes) {
    SCOPED_TRACE(region);
    const std::vector<EmploymentPeriod> periods = LoadAndRead(region, kDemoTouringWorker);
    ASSERT_EQ(periods.size(), 1u);  // only its own region's part, once
    const EmploymentPeriod& p = periods[0];
    EXPECT_EQ(p.region, region);
    EXPECT_EQ(p.la_code, refdata_->FindRegion(region)->la_codes[0]);
    EXPECT_EQ(p.start_date, next);
    ASSERT_TRUE(p.end_date.has_value());
    EXPECT_EQ(absl::CivilDay(absl::CivilMonth(p.start_date) + 6) - 1, *p.end_date);
    next = *p.end_date + 1;
  }
  EXPECT_EQ(next, absl::CivilDay(2023, 7, 1));  // 54 months from January 2019
}

}  // namespace
}  // namespace slihub::workforce
