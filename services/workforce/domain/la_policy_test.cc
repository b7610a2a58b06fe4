#include "services/workforce/domain/la_policy.h"

#include "gtest/gtest.h"

namespace slihub::workforce {
namespace {

using D = absl::CivilDay;

LaPolicy Policy(D from, int sw_notice) {
  LaPolicy p;
  p.la_code = "873";
  p.effective_from = from;
  p.mappings = {{"Social Worker (Level 2)", JobType::kSocialWorker},
                {"Practice Supervisor", JobType::kAdvancedPractitioner}};
  p.notice = {{JobType::kSocialWorker, sw_notice}, {JobType::kTeamManager, 12}};
  return p;
}

std::vector<std::string> Fields(const LaPolicy& p) {
  FieldViolations v;
  ValidateLaPolicy(p, &v);
  std::vector<std::string> out;
  for (const FieldViolation& f : v.violations()) out.push_back(f.field);
  return out;
}

TEST(LaPolicyTest, MapsTitlesIgnoringCaseAndSpaces) {
  const LaPolicy p = Policy(D(2025, 4, 1), 4);
  EXPECT_EQ(p.MapTitle("  social worker (level 2) "), JobType::kSocialWorker);
  EXPECT_EQ(p.MapTitle("PRACTICE SUPERVISOR"), JobType::kAdvancedPractitioner);
  EXPECT_FALSE(p.MapTitle("Social Worker").has_value());
  EXPECT_EQ(p.NoticeFor(JobType::kTeamManager), 12);
  EXPECT_FALSE(p.NoticeFor(JobType::kIroCpChair).has_value());
}

TEST(LaPolicyTest, ValidationNamesTheField) {
  EXPECT_TRUE(Fields(Policy(D(2025, 4, 1), 4)).empty());
  LaPolicy p = Policy(D(2025, 4, 1), 0);
  p.mappings.push_back({"PRACTICE supervisor ", JobType::kTeamManager});
  p.mappings.push_back({" ", JobType::kUnspecified});
  p.notice.push_back({JobType::kSocialWorker, 53});
  EXPECT_EQ(Fields(p), (std::vector<std::string>{
                           "job_title_mappings[2].local_title",
                           "job_title_mappings[3].local_title", "job_title_mappings[3].job_type",
                           "permanent_notice[0].notice_weeks", "permanent_notice[2].job_type",
                           "permanent_notice[2].notice_weeks"}));
}

TEST(LaPolicyTest, TheVersionInForceOnADay) {
  const std::vector<LaPolicy> versions = {Policy(D(2026, 4, 1), 2), Policy(D(2025, 4, 1), 4)};
  EXPECT_EQ(PolicyInForce(versions, D(2025, 3, 31)), nullptr);
  EXPECT_EQ(PolicyInForce(versions, D(2025, 4, 1))->NoticeFor(JobType::kSocialWorker), 4);
  EXPECT_EQ(PolicyInForce(versions, D(2026, 3, 31))->NoticeFor(JobType::kSocialWorker), 4);
  EXPECT_EQ(PolicyInForce(versions, D(2026, 4, 1))->NoticeFor(JobType::kSocialWorker), 2);
}

}  // namespace
}  // namespace slihub::workforce
