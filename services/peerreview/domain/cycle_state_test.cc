#include "services/peerreview/domain/cycle_state.h"

#include "gtest/gtest.h"

namespace slihub::peerreview {
namespace {

CycleReadiness Ready() {
  CycleReadiness r;
  r.participants = 11;
  r.phases = {absl::CivilDay(2025, 10, 31), absl::CivilDay(2025, 11, 3), absl::CivilDay(2025, 11, 28),
              absl::CivilDay(2026, 1, 5),   absl::CivilDay(2026, 3, 27), absl::CivilDay(2026, 4, 30)};
  r.groups_accepted = true;
  return r;
}

std::vector<std::string> Descriptions(const absl::Status& status) {
  std::vector<std::string> out;
  for (const auto& v : GetPreconditionViolations(status)) out.push_back(v.description);
  return out;
}

TEST(CycleStateTest, EachForwardMoveSucceedsWhenReady) {
  for (int s = 1; s < 6; ++s) {
    EXPECT_TRUE(CheckCycleAdvance("EE-2025", static_cast<CycleState>(s),
                                  static_cast<CycleState>(s + 1), Ready()).ok())
        << s;
  }
}

TEST(CycleStateTest, BackwardsSameAndSkippingMovesAreFailedPrecondition) {
  for (int from = 1; from <= 6; ++from) {
    for (int to = 1; to <= 6; ++to) {
      if (to == from + 1) continue;
      const absl::Status status = CheckCycleAdvance("EE-2025", static_cast<CycleState>(from),
                                                    static_cast<CycleState>(to), Ready());
      EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << from << "->" << to;
      ASSERT_EQ(GetPreconditionViolations(status).size(), 1u);
      EXPECT_EQ(GetPreconditionViolations(status)[0].type, "STATE");
    }
  }
  const absl::Status back =
      CheckCycleAdvance("EE-2025", CycleState::kModeration, CycleState::kSelfAssessment, Ready());
  EXPECT_NE(back.message().find("only move forward"), std::string::npos);
  const absl::Status skip =
      CheckCycleAdvance("EE-2025", CycleState::kSetup, CycleState::kModeration, Ready());
  EXPECT_NE(skip.message().find("one state at a time"), std::string::npos);
}

TEST(CycleStateTest, SetupNeedsTwoParticipantsAndOrderedDates) {
  CycleReadiness r = Ready();
  r.participants = 1;
  r.phases.summary_due.reset();
  r.phases.moderation_end = absl::CivilDay(2025, 10, 1);
  const absl::Status status =
      CheckCycleAdvance("EE-2025", CycleState::kSetup, CycleState::kSelfAssessment, r);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  const auto violations = GetPreconditionViolations(status);
  ASSERT_EQ(violations.size(), 3u);
  EXPECT_EQ(violations[0].type, "PARTICIPANTS");
  EXPECT_EQ(violations[1].description, "every phase date must be set");
  EXPECT_EQ(violations[2].description, "phases.moderation.end must not be before moderation.start");
}

TEST(CycleStateTest, ModerationNeedsEverySubmissionAndNamesTheOutstandingLas) {
  CycleReadiness r = Ready();
  r.not_submitted = {"873", "881"};
  const absl::Status status =
      CheckCycleAdvance("EE-2025", CycleState::kSelfAssessment, CycleState::kModeration, r);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Descriptions(status), (std::vector<std::string>{"873's self-assessment is not submitted",
                                                            "881's self-assessment is not submitted"}));
  EXPECT_EQ(GetPreconditionViolations(status)[0].subject, "cycle/EE-2025/la/873");
}

TEST(CycleStateTest, ChallengeNeedsModerationAndAcceptedGroups) {
  CycleReadiness r = Ready();
  r.not_moderated = {"935"};
  r.groups_accepted = false;
  const absl::Status status =
      CheckCycleAdvance("EE-2025", CycleState::kModeration, CycleState::kChallenge, r);
  EXPECT_EQ(Descriptions(status), (std::vector<std::string>{"935's self-assessment is not moderated",
                                                            "no groups have been accepted"}));
}

TEST(CycleStateTest, SummaryNeedsEventsClosedAndFindings) {
  CycleReadiness r = Ready();
  r.open_events = {"EE-2025-E3"};
  r.hosts_without_findings = {"873"};
  const absl::Status status =
      CheckCycleAdvance("EE-2025", CycleState::kChallenge, CycleState::kSummary, r);
  EXPECT_EQ(GetPreconditionViolations(status).size(), 2u);
  EXPECT_EQ(GetPreconditionViolations(status)[0].subject, "event/EE-2025-E3");
}

TEST(CycleStateTest, ClosedCyclesNeverMove) {
  const absl::Status status =
      CheckCycleAdvance("EE-2025", CycleState::kClosed, CycleState::kSetup, Ready());
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("CLOSED"), std::string::npos);
}

TEST(CycleStateTest, PhaseOrderAllowsEqualDatesAndSkipsUnsetOnes) {
  PhaseDates d;
  d.self_assessment_due = absl::CivilDay(2025, 11, 1);
  d.moderation_start = absl::CivilDay(2025, 11, 1);
  d.challenge_end = absl::CivilDay(2025, 10, 1);
  const auto violations = CheckPhaseOrder(d);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "challenge_events.end");
  EXPECT_FALSE(PhaseDatesComplete(d));
  EXPECT_TRUE(IsCycleState(6));
  EXPECT_FALSE(IsCycleState(0));
  EXPECT_FALSE(IsCycleState(7));
}

}  // namespace
}  // namespace slihub::peerreview
