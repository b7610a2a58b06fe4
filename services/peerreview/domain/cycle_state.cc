#include "services/peerreview/domain/cycle_state.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace slihub::peerreview {

std::string CycleStateName(CycleState state) {
  switch (state) {
    case CycleState::kSetup:
      return "SETUP";
    case CycleState::kSelfAssessment:
      return "SELF_ASSESSMENT";
    case CycleState::kModeration:
      return "MODERATION";
    case CycleState::kChallenge:
      return "CHALLENGE";
    case CycleState::kSummary:
      return "SUMMARY";
    case CycleState::kClosed:
      return "CLOSED";
  }
  return "UNSPECIFIED";
}

bool IsCycleState(int value) { return value >= 1 && value <= 6; }

std::vector<FieldViolation> CheckPhaseOrder(const PhaseDates& d) {
  struct Point {
    const std::optional<absl::CivilDay>* day;
    const char* field;
  };
  const Point points[] = {{&d.self_assessment_due, "self_assessment_due"},
                          {&d.moderation_start, "moderation.start"},
                          {&d.moderation_end, "moderation.end"},
                          {&d.challenge_start, "challenge_events.start"},
                          {&d.challenge_end, "challenge_events.end"},
                          {&d.summary_due, "summary_due"}};
  std::vector<FieldViolation> out;
  const Point* previous = nullptr;
  for (const Point& point : points) {
    if (!point.day->has_value()) continue;
    if (previous != nullptr && **point.day < **previous->day) {
      out.push_back({point.field, absl::StrCat("must not be before ", previous->field)});
    }
    previous = &point;
  }
  return out;
}

bool PhaseDatesComplete(const PhaseDates& d) {
  return d.self_assessment_due && d.moderation_start && d.moderation_end && d.challenge_start &&
         d.challenge_end && d.summary_due;
}

absl::Status CheckCycleAdvance(const std::string& subject, CycleState from, CycleState to,
                               const CycleReadiness& r) {
  const std::string cycle = absl::StrCat("cycle/", subject);
  if (from == CycleState::kClosed) {
    return FailedPreconditionError(
        absl::StrCat("cycle ", subject, " is CLOSED and cannot move"),
        {{"STATE", cycle, "the cycle is CLOSED (read-only)"}});
  }
  if (static_cast<int>(to) != static_cast<int>(from) + 1) {
    const CycleState next = static_cast<CycleState>(static_cast<int>(from) + 1);
    const char* how = static_cast<int>(to) <= static_cast<int>(from) ? "cycles only move forward"
                                                                     : "cycles move one state at a time";
    return FailedPreconditionError(
        absl::StrCat("cycle ", subject, " is ", CycleStateName(from), ": it can move only to ",
                     CycleStateName(next), ", not ", CycleStateName(to), " (", how, ")"),
        {{"STATE", cycle,
          absl::StrCat("current state ", CycleStateName(from), "; next state ", CycleStateName(next))}});
  }
  std::vector<PreconditionViolation> outstanding;
  switch (to) {
    case CycleState::kSelfAssessment: {
      if (r.participants < 2) {
        outstanding.push_back({"PARTICIPANTS", cycle,
                               absl::StrCat("needs at least 2 participants, has ", r.participants)});
      }
      if (!PhaseDatesComplete(r.phases)) {
        outstanding.push_back({"PHASE_DATES", cycle, "every phase date must be set"});
      }
      for (const FieldViolation& v : CheckPhaseOrder(r.phases)) {
        outstanding.push_back({"PHASE_DATES", cycle, absl::StrCat("phases.", v.field, " ", v.description)});
      }
      break;
    }
    case CycleState::kModeration:
      for (const std::string& la : r.not_submitted) {
        outstanding.push_back({"SELF_ASSESSMENT", absl::StrCat(cycle, "/la/", la),
                               absl::StrCat(la, "'s self-assessment is not submitted")});
      }
      break;
    case CycleState::kChallenge:
      for (const std::string& la : r.not_moderated) {
        outstanding.push_back({"SELF_ASSESSMENT", absl::StrCat(cycle, "/la/", la),
                               absl::StrCat(la, "'s self-assessment is not moderated")});
      }
      if (!r.groups_accepted) {
        outstanding.push_back({"GROUPS", cycle, "no groups have been accepted"});
      }
      break;
    case CycleState::kSummary:
      for (const std::string& event : r.open_events) {
        outstanding.push_back({"EVENT", absl::StrCat("event/", event),
                               "challenge event is neither held nor cancelled"});
      }
      for (const std::string& la : r.hosts_without_findings) {
        outstanding.push_back({"FINDINGS", absl::StrCat(cycle, "/la/", la),
                               absl::StrCat("no findings recorded for host ", la)});
      }
      break;
    default:
      break;
  }
  if (outstanding.empty()) return absl::OkStatus();
  std::vector<std::string> what;
  for (const auto& v : outstanding) what.push_back(v.description);
  if (what.size() > 3) what.resize(3), what.push_back("...");
  return FailedPreconditionError(
      absl::StrCat("cycle ", subject, " cannot move to ", CycleStateName(to), ": ",
                   outstanding.size(), " item(s) outstanding: ", absl::StrJoin(what, "; ")),
      outstanding);
}

}  // namespace slihub::peerreview
