#include "common/refdata/reference_data.h"

#include "gtest/gtest.h"

namespace slihub {
namespace {

constexpr char kHeader[] =
    "la_code,name,ons_code,region,region_name,region_ons_code,la_type,population_0_25,"
    "statistical_neighbours\n";

TEST(ReferenceDataTest, LoadsTheShippedFileWithAll153LasAndNineRegions) {
  auto data = ReferenceData::LoadFromFile(SLIHUB_SOURCE_DIR "/deploy/reference/local_authorities.csv");
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ((*data)->local_authorities().size(), 153u);
  EXPECT_EQ((*data)->regions().size(), 9u);
  const RegionRecord* ee = (*data)->FindRegion("EE");
  ASSERT_NE(ee, nullptr);
  EXPECT_EQ(ee->la_codes.size(), 11u);
  EXPECT_EQ((*data)->FindRegion("SE")->la_codes.size(), 19u);
  const LocalAuthorityRecord* cambs = (*data)->FindLocalAuthority("873");
  ASSERT_NE(cambs, nullptr);
  EXPECT_EQ(cambs->name, "Cambridgeshire");
  EXPECT_EQ(cambs->region_code, "EE");
  EXPECT_EQ(cambs->statistical_neighbours.size(), 10u);
  EXPECT_EQ((*data)->FindLocalAuthority("801")->name, "Bristol, City of");
  EXPECT_EQ((*data)->FindLocalAuthority("942")->population_0_25, 0);
  EXPECT_EQ((*data)->FindLocalAuthority("928"), nullptr);  // legacy Northamptonshire removed
  EXPECT_EQ((*data)->FindRegion("XX"), nullptr);
}

TEST(ReferenceDataTest, OrdersLasByCode) {
  auto data = ReferenceData::LoadFromText(
      std::string(kHeader) +
      "926,Norfolk,E10000020,EE,East of England,E12000006,County,1,873\n"
      "873,Cambridgeshire,E10000003,EE,East of England,E12000006,County,2,926\n");
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ((*data)->local_authorities()[0].la_code, "873");
  EXPECT_EQ((*data)->FindRegion("EE")->la_codes, (std::vector<std::string>{"873", "926"}));
}

TEST(ReferenceDataTest, RejectsBadRowsNamingLineAndColumn) {
  struct Case {
    std::string row;
    std::string expected;
  } cases[] = {
      {"87,X,E10000003,EE,East of England,E12000006,County,1,\n", "line 2, column la_code"},
      {"873,X,W10000003,EE,East of England,E12000006,County,1,\n", "column ons_code"},
      {"873,X,E10000003,EE,East of England,E12000006,County,-4,\n", "column population_0_25"},
      {"873,X,E10000003,EE,East of England,E12000006,County,1,999\n", "unknown statistical"},
      {"873,X,E10000003,EE\n", "has 4 columns"},
  };
  for (const Case& c : cases) {
    auto data = ReferenceData::LoadFromText(std::string(kHeader) + c.row);
    ASSERT_FALSE(data.ok()) << c.row;
    EXPECT_NE(data.status().message().find(c.expected), std::string::npos)
        << data.status().message();
  }
  EXPECT_FALSE(ReferenceData::LoadFromText("la_code,name\n").ok());
  EXPECT_FALSE(ReferenceData::LoadFromText(
                   std::string(kHeader) +
                   "873,A,E10000003,EE,East of England,E12000006,County,1,\n"
                   "873,B,E10000004,EE,East of England,E12000006,County,1,\n")
                   .ok());
}

TEST(ReferenceDataTest, LaCodeSyntax) {
  EXPECT_TRUE(IsLaCodeSyntax("873"));
  EXPECT_FALSE(IsLaCodeSyntax("87"));
  EXPECT_FALSE(IsLaCodeSyntax("8731"));
  EXPECT_FALSE(IsLaCodeSyntax("87a"));
}

}  // namespace
}  // namespace slihub
