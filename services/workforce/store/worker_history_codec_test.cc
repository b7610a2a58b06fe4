#include "services/workforce/store/worker_history_codec.h"

#include "gtest/gtest.h"

namespace slihub::workforce {
namespace {

TEST(WorkerHistoryCodecTest, EveryFieldTheRulesReadSurvivesTheRoundTrip) {
  WorkerHistory in;
  EmploymentPeriod ongoing;
  ongoing.record_id = "hr-7";
  ongoing.swe_number = "SW42";
  ongoing.la_code = "873";
  ongoing.region = "EE";
  ongoing.employment_type = EmploymentType::kFixedTerm;
  ongoing.job_type = JobType::kTeamManager;
  ongoing.local_job_title = "Practice lead";
  ongoing.start_date = absl::CivilDay(1969, 12, 31);  // before the epoch: a negative day count
  ongoing.leaving_reason = LeavingReason::kUnspecified;
  ongoing.child_and_family = true;
  ongoing.asye = true;
  EmploymentPeriod ended = ongoing;
  ended.record_id = "hr-8";
  ended.employment_type = EmploymentType::kAgency;
  ended.start_date = absl::CivilDay(2024, 2, 29);
  ended.end_date = absl::CivilDay(2025, 1, 31);
  ended.leaving_reason = LeavingReason::kLeftDuringProbation;
  ended.child_and_family = false;
  ended.asye = false;
  in.periods = {ongoing, ended};
  RegisterCheck check;
  check.check_id = "rc-12";
  check.swe_number = "SW42";
  check.status = RegisterStatus::kSuspended;
  check.conditions = {"supervision weekly", "no lone working"};
  check.checked_at = absl::FromUnixMicros(1760000000123456);
  check.checked_by = "hr@873";
  check.source = 1;
  in.register_checks = {check};

  absl::StatusOr<WorkerHistory> out = DecodeWorkerHistory(EncodeWorkerHistory(in), "SW42");
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->periods.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const EmploymentPeriod& a = in.periods[i];
    const EmploymentPeriod& b = out->periods[i];
    EXPECT_EQ(b.record_id, a.record_id);
    EXPECT_EQ(b.swe_number, "SW42");
    EXPECT_EQ(b.la_code, a.la_code);
    EXPECT_EQ(b.region, a.region);
    EXPECT_TRUE(b.SameContent(a)) << i;
    EXPECT_EQ(b.end_date, a.end_date) << i;
  }
  ASSERT_EQ(out->register_checks.size(), 1u);
  const RegisterCheck& c = out->register_checks[0];
  EXPECT_EQ(c.check_id, "rc-12");
  EXPECT_EQ(c.swe_number, "SW42");
  EXPECT_EQ(c.status, RegisterStatus::kSuspended);
  EXPECT_EQ(c.conditions, check.conditions);
  EXPECT_EQ(c.checked_at, check.checked_at);
  EXPECT_EQ(c.checked_by, "hr@873");
  EXPECT_EQ(c.source, 1);
}

TEST(WorkerHistoryCodecTest, AnEmptyHistoryEncodesToNothingAndGarbageIsDataLoss) {
  EXPECT_TRUE(EncodeWorkerHistory(WorkerHistory()).empty());
  absl::StatusOr<WorkerHistory> bad = DecodeWorkerHistory("\xff\xff\xff", "SW1");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace slihub::workforce
