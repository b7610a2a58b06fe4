// The national merge path against FakeWorkforceHubConnection: other regions' worker facts become
// domain facts with each region's outcome, and their compliance summaries become rows of the
// answer; a region that fails or answers for the wrong region is reported, never merged.
#include "services/workforce/adapter/national_merge.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "common/refdata/reference_data.h"
#include "gtest/gtest.h"
#include "services/workforce/adapter/convert.h"
#include "services/workforce/client/testing/fake_workforce_hub_connection.h"
#include "services/workforce/domain/engagement_check.h"

namespace slihub::workforce {
namespace {

using federation::RegionState;
using testing::FakeWorkforceHubConnection;

class NationalMergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto refdata = ReferenceData::LoadFromFile(std::string(SLIHUB_SOURCE_DIR) +
                                               "/deploy/reference/local_authorities.csv");
    ASSERT_TRUE(refdata.ok()) << refdata.status();
    refdata_ = *std::move(refdata);
  }

  static pb::WorkerFactPeriod FactPeriod(const std::string& la, const std::string& record) {
    pb::WorkerFactPeriod p;
    p.mutable_la_code()->set_value(la);
    p.set_record_id(record);
    p.set_employment_type(pb::EMPLOYMENT_TYPE_PERMANENT);
    p.set_job_type(pb::JOB_TYPE_SOCIAL_WORKER);
    *p.mutable_start_date() = ToProtoDate(absl::CivilDay(2019, 1, 1));
    *p.mutable_end_date() = ToProtoDate(absl::CivilDay(2020, 12, 31));
    p.set_child_and_family(true);
    return p;
  }

  static pb::LaComplianceSummary Row(const std::string& region, const std::string& la,
                                     int active) {
    pb::LaComplianceSummary row;
    row.mutable_region()->set_value(region);
    if (!la.empty()) row.mutable_la_code()->set_value(la);
    row.set_active_agency_workers(active);
    return row;
  }

  std::unique_ptr<ReferenceData> refdata_;
  FakeWorkforceHubConnection hub_;
  const std::vector<std::string> others_ = {"EE", "NW", "SE"};
};

TEST_F(NationalMergeTest, WorkerFactsOfAnsweringRegionsAreMergedAndTheOthersNamed) {
  pb::LookupWorkerFactsResponse ee;
  ee.mutable_region()->set_value("EE");
  *ee.add_periods() = FactPeriod("873", "ee-1");
  *ee.add_periods() = FactPeriod("999", "unknown-la");  // not an LA: left out
  pb::WorkerFactCheck* check = ee.add_register_checks();
  check->set_check_id("rc-1");
  check->set_status(pb::REGISTER_STATUS_SUSPENDED);
  check->mutable_checked_at()->set_seconds(1766188800);  // 20 Dec 2025
  pb::WorkerFactCheck* unreadable = ee.add_register_checks();
  unreadable->set_check_id("rc-2");  // no status: left out
  hub_.SetWorkerFacts("EE", ee, RegionState::kCached);
  hub_.SetFailure("SE", RegionState::kTimedOut, "the deadline passed");

  const NationalFacts facts =
      GatherWorkerFacts(&hub_, "LDN", others_, "SW5001", *refdata_, absl::Now());
  EXPECT_EQ(hub_.facts_asked(), std::vector<std::string>{"SW5001"});
  ASSERT_EQ(facts.outcomes.size(), 4u);
  EXPECT_EQ(facts.outcomes[0].region, "LDN");
  EXPECT_EQ(facts.outcomes[0].state, RegionState::kFresh);
  EXPECT_EQ(facts.outcomes[1].state, RegionState::kCached);
  EXPECT_EQ(facts.outcomes[2].state, RegionState::kUnavailable);  // NW: nothing set
  EXPECT_EQ(facts.outcomes[3].state, RegionState::kTimedOut);
  EXPECT_EQ(facts.outcomes[3].reason, "the deadline passed");
  EXPECT_EQ(facts.missing_regions, (std::vector<std::string>{"NW", "SE"}));
  ASSERT_EQ(facts.answered.size(), 1u);
  const RegionFacts& got = facts.answered[0];
  EXPECT_EQ(got.region, "EE");
  ASSERT_EQ(got.periods.size(), 1u);
  EXPECT_EQ(got.periods[0].la_code, "873");
  EXPECT_EQ(got.periods[0].region, "EE");  // from the reference data, not the peer's word
  EXPECT_EQ(got.periods[0].swe_number, "SW5001");
  EXPECT_TRUE(got.periods[0].IsQualifying());
  ASSERT_EQ(got.register_checks.size(), 1u);
  EXPECT_EQ(got.register_checks[0].status, RegisterStatus::kSuspended);
  EXPECT_EQ(got.register_checks[0].checked_by, "the EE hub");

  // Merged into the local history: nothing dropped, EE's period and check added.
  std::vector<EmploymentPeriod> history;
  std::vector<RegisterCheck> checks;
  EXPECT_EQ(MergeRegionFacts(facts.answered, &history, &checks), 0);
  EXPECT_EQ(history.size(), 1u);
  EXPECT_EQ(checks.size(), 1u);
}

TEST_F(NationalMergeTest, AStaleAnswerCountsAndIsNotMissing) {
  pb::LookupWorkerFactsResponse se;
  se.mutable_region()->set_value("SE");
  *se.add_periods() = FactPeriod("845", "se-1");
  hub_.SetWorkerFacts("SE", se, RegionState::kStale);
  const NationalFacts facts =
      GatherWorkerFacts(&hub_, "LDN", {"SE"}, "SW5001", *refdata_, absl::Now());
  EXPECT_TRUE(facts.missing_regions.empty());
  ASSERT_EQ(facts.answered.size(), 1u);
  EXPECT_EQ(facts.outcomes[1].state, RegionState::kStale);
}

TEST_F(NationalMergeTest, WithoutAFederationEveryOtherRegionIsUnavailable) {
  const NationalFacts facts =
      GatherWorkerFacts(nullptr, "LDN", others_, "SW5001", *refdata_, absl::Now());
  EXPECT_EQ(facts.missing_regions, others_);
  ASSERT_EQ(facts.outcomes.size(), 4u);
  EXPECT_EQ(facts.outcomes[1].reason, "this hub has no federation");
  const NationalSummaries summaries = GatherComplianceSummaries(
      nullptr, "LDN", others_, absl::CivilDay(2025, 1, 1), absl::CivilDay(2025, 3, 31),
      *refdata_, absl::Now());
  EXPECT_TRUE(summaries.answered.empty());
  EXPECT_EQ(summaries.outcomes.size(), 4u);
}

TEST_F(NationalMergeTest, ComplianceSummariesOfAnsweringRegionsBecomeRows) {
  pb::LookupComplianceSummaryResponse ee;
  ee.mutable_region()->set_value("EE");
  *ee.add_la_summaries() = Row("EE", "873", 3);
  *ee.mutable_region_total() = Row("EE", "", 3);
  hub_.SetComplianceSummary("EE", ee);
  // NW's hub answers for another region: refused, never filed under NW.
  pb::LookupComplianceSummaryResponse wrong;
  wrong.mutable_region()->set_value("SE");
  hub_.SetComplianceSummary("NW", wrong);
  // SE's rows name an LA of London: refused.
  pb::LookupComplianceSummaryResponse stray;
  stray.mutable_region()->set_value("SE");
  *stray.add_la_summaries() = Row("SE", "202", 1);
  hub_.SetComplianceSummary("SE", stray, RegionState::kStale);

  const NationalSummaries summaries = GatherComplianceSummaries(
      &hub_, "LDN", others_, absl::CivilDay(2025, 1, 1), absl::CivilDay(2025, 3, 31), *refdata_,
      absl::Now());
  EXPECT_EQ(hub_.summaries_asked(), std::vector<std::string>{"2025-01-01/2025-03-31"});
  ASSERT_EQ(summaries.outcomes.size(), 4u);
  EXPECT_EQ(summaries.outcomes[0].region, "LDN");
  EXPECT_EQ(summaries.outcomes[1].state, RegionState::kFresh);
  EXPECT_EQ(summaries.outcomes[2].state, RegionState::kUnavailable);
  EXPECT_NE(summaries.outcomes[2].reason.find("answered for 'SE'"), std::string::npos);
  EXPECT_EQ(summaries.outcomes[3].state, RegionState::kUnavailable);
  EXPECT_NE(summaries.outcomes[3].reason.find("outside its region"), std::string::npos);
  ASSERT_EQ(summaries.answered.size(), 1u);

  pb::GetComplianceSummaryResponse out;
  AddRegionSummary(summaries.answered[0], &out);
  ASSERT_EQ(out.la_summaries_size(), 1);
  EXPECT_EQ(out.la_summaries(0).la_code().value(), "873");
  ASSERT_EQ(out.region_totals_size(), 1);
  EXPECT_EQ(out.region_totals(0).region().value(), "EE");
  EXPECT_FALSE(out.region_totals(0).has_la_code());
  EXPECT_EQ(out.region_totals(0).active_agency_workers(), 3);
}

}  // namespace
}  // namespace slihub::workforce
