// The placement demo loader against a real SQLite store and the repository's reference data: the
// hand-written homes of EE stay as they were, a region without hand-written homes gets one home
// per LA at the LA's largest postcode district and two referrals, the same on every load and in
// every store, and a second load adds nothing.
#include "services/placement/demo_data.h"

#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/refdata/reference_data.h"
#include "gtest/gtest.h"
#include "services/placement/store/migrations.h"
#include "tests/support/temp_dir.h"

namespace slihub::placement {
namespace {

const std::string kReference = std::string(SLIHUB_SOURCE_DIR) + "/deploy/reference/";

// What one region's demo load left in a store.
struct Loaded {
  std::vector<SettingRecord> settings;
  std::vector<ReferralRecord> referrals;
};

class PlacementDemoDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto refdata = ReferenceData::LoadFromFile(kReference + "local_authorities.csv");
    ASSERT_TRUE(refdata.ok()) << refdata.status();
    refdata_ = *std::move(refdata);
    auto districts = PostcodeDistricts::LoadFromFile(kReference + "postcode_districts.csv");
    ASSERT_TRUE(districts.ok()) << districts.status();
    districts_ = *std::move(districts);
    auto la_districts = LargestDistrictOfEachLa(kReference + "postcode_districts.csv");
    ASSERT_TRUE(la_districts.ok()) << la_districts.status();
    la_districts_ = *std::move(la_districts);
  }

  // Loads `region`'s demo data `times` times into the store `name`, and reads it back.
  Loaded Load(const std::string& name, const std::string& region, int times = 1) {
    auto db = OpenPlacementDatabase(dir_.Join(name + ".db"));
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return {};
    for (int i = 0; i < times; ++i) {
      absl::Status loaded = LoadDemoData(**db, *districts_, *refdata_, la_districts_, region);
      EXPECT_TRUE(loaded.ok()) << loaded;
      absl::Status uasc = LoadUascDemoData(**db, *refdata_, region);
      EXPECT_TRUE(uasc.ok()) << uasc;
    }
    Loaded out;
    const PlacementStore store(region);
    EXPECT_TRUE((*db)->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      SettingQuery settings;
      settings.include_inactive = true;
      auto s = store.ListSettings(tx, settings);
      if (!s.ok()) return s.status();
      out.settings = *s;
      RecordQuery referrals;
      referrals.limit = 1000;
      auto r = store.ListReferrals(tx, referrals);
      if (!r.ok()) return r.status();
      out.referrals = *r;
      return absl::OkStatus();
    }).ok());
    return out;
  }

  testing::TempDir dir_{"slihub-placement-demo"};
  std::unique_ptr<const ReferenceData> refdata_;
  std::unique_ptr<const PostcodeDistricts> districts_;
  std::map<std::string, std::string> la_districts_;
};

TEST_F(PlacementDemoDataTest, EveryLaOfEnglandHasAKnownLargestDistrict) {
  for (const RegionRecord& region : refdata_->regions()) {
    for (const std::string& la_code : region.la_codes) {
      const LocalAuthorityRecord* la = refdata_->FindLocalAuthority(la_code);
      ASSERT_NE(la, nullptr);
      auto it = la_districts_.find(la->ons_code);
      ASSERT_NE(it, la_districts_.end()) << la->name;
      EXPECT_NE(districts_->Find(it->second), nullptr) << la->name << " " << it->second;
    }
  }
}

TEST_F(PlacementDemoDataTest, TheLargestDistrictHasTheMostPostcodesAndTiesGoToTheFirstCode) {
  const std::string path = dir_.Join("districts.csv");
  std::ofstream(path) << "district,latitude,longitude,postcodes,la_ons_code\n"
                      << "AA1,52.0,0.1,10,E1\nAA2,52.0,0.1,30,E1\nAA3,52.0,0.1,20,E1\n"
                      << "BB2,52.0,0.1,5,E2\nBB1,52.0,0.1,5,E2\n";
  auto chosen = LargestDistrictOfEachLa(path);
  ASSERT_TRUE(chosen.ok()) << chosen.status();
  EXPECT_EQ(*chosen, (std::map<std::string, std::string>{{"E1", "AA2"}, {"E2", "BB1"}}));
  std::ofstream(path) << "district,latitude,longitude\nAA1,52.0,0.1\n";
  EXPECT_EQ(LargestDistrictOfEachLa(path).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LargestDistrictOfEachLa(dir_.Join("missing.csv")).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PlacementDemoDataTest, EastOfEnglandKeepsItsHandWrittenHomes) {
  const Loaded ee = Load("ee", "EE");
  std::set<std::string> urns;
  for (const SettingRecord& s : ee.settings) urns.insert(s.facts.ofsted_urn);
  EXPECT_EQ(urns, (std::set<std::string>{"SC900001", "1900002", "SC900003", "SC900004", "1900005",
                                         "SC900006"}));
  EXPECT_EQ(ee.referrals.size(), 3u);
}

TEST_F(PlacementDemoDataTest, OtherRegionsGetOneHomePerLaAndTwoReferralsTheSameEveryTime) {
  for (const std::string region : {"NE", "LDN", "YH"}) {
    SCOPED_TRACE(region);
    const RegionRecord* record = refdata_->FindRegion(region);
    ASSERT_NE(record, nullptr);
    const Loaded once = Load(region + "-once", region);
    const Loaded twice = Load(region + "-twice", region, 2);
    ASSERT_EQ(once.settings.size(), record->la_codes.size());
    std::set<std::string> host_las;
    for (const SettingRecord& s : once.settings) {
      host_las.insert(s.facts.host_la);
      EXPECT_EQ(s.facts.region, region);
      const LocalAuthorityRecord* la = refdata_->FindLocalAuthority(s.facts.host_la);
      ASSERT_NE(la, nullptr);
      EXPECT_EQ(s.facts.postcode_district, la_districts_.at(la->ons_code));
      EXPECT_EQ(s.facts.ofsted_urn.substr(0, 3), "SC9");
    }
    EXPECT_EQ(host_las, std::set<std::string>(record->la_codes.begin(), record->la_codes.end()));
    EXPECT_EQ(once.referrals.size(), 2u);
    for (const ReferralRecord& r : once.referrals) {
      EXPECT_TRUE(host_las.count(r.la_code)) << r.la_code;
      EXPECT_NE(districts_->Find(r.profile.home_postcode_district), nullptr);
    }
    // Loaded twice (or into another store): the same homes, nothing added.
    ASSERT_EQ(twice.settings.size(), once.settings.size());
    EXPECT_EQ(twice.referrals.size(), once.referrals.size());
    for (size_t i = 0; i < once.settings.size(); ++i) {
      EXPECT_EQ(twice.settings[i].facts.ofsted_urn, once.settings[i].facts.ofsted_urn);
      EXPECT_EQ(twice.settings[i].facts.name, once.settings[i].facts.name);
      EXPECT_EQ(twice.settings[i].facts.placement_type, once.settings[i].facts.placement_type);
      EXPECT_EQ(twice.settings[i].registered_places, once.settings[i].registered_places);
    }
  }
}

}  // namespace
}  // namespace slihub::placement
