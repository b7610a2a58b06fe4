// The cycle's forward-only state machine and its phase-date rules.
#ifndef SLIHUB_SERVICES_PEERREVIEW_DOMAIN_CYCLE_STATE_H_
#define SLIHUB_SERVICES_PEERREVIEW_DOMAIN_CYCLE_STATE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/errors/errors.h"

namespace slihub::peerreview {

// A cycle's phase; numbered as CycleState.
enum class CycleState {
  kSetup = 1,
  kSelfAssessment = 2,
  kModeration = 3,
  kChallenge = 4,
  kSummary = 5,
  kClosed = 6,
};

// "SETUP", "SELF_ASSESSMENT", ... as in the proto without its prefix.
std::string CycleStateName(CycleState state);

// True for the six states above.
bool IsCycleState(int value);

// The phase dates; unset dates are nullopt.
struct PhaseDates {
  std::optional<absl::CivilDay> self_assessment_due;
  std::optional<absl::CivilDay> moderation_start;
  std::optional<absl::CivilDay> moderation_end;
  std::optional<absl::CivilDay> challenge_start;
  std::optional<absl::CivilDay> challenge_end;
  std::optional<absl::CivilDay> summary_due;
};

// Violations of the order rule (each phase starts no earlier than the previous one ends; a range
// ends no earlier than it starts), with paths relative to PhaseDates ("moderation.end").
std::vector<FieldViolation> CheckPhaseOrder(const PhaseDates& dates);

// True when every date is set.
bool PhaseDatesComplete(const PhaseDates& dates);

// What the move checks look at, gathered by the caller from the store.
struct CycleReadiness {
  int participants = 0;
  PhaseDates phases;
  std::vector<std::string> not_submitted;   // LAs whose self-assessment is still DRAFT
  std::vector<std::string> not_moderated;   // LAs whose self-assessment is not yet MODERATED
  bool groups_accepted = false;
  std::vector<std::string> open_events;             // events neither HELD nor CANCELLED
  std::vector<std::string> hosts_without_findings;  // hosts of HELD events without findings
};

// OK when cycle `subject` may move from `from` to `to`. FailedPrecondition (with a
// PreconditionFailure naming each outstanding item) when `to` is not the state right after `from`
// (backwards, the same, skipping, or beyond CLOSED) or a check of the move fails:
//   SETUP -> SELF_ASSESSMENT: at least 2 participants, every phase date set and in order.
//   SELF_ASSESSMENT -> MODERATION: every self-assessment submitted.
//   MODERATION -> CHALLENGE: every self-assessment moderated and groups accepted.
//   CHALLENGE -> SUMMARY: every event held or cancelled; findings for every held event's host.
//   SUMMARY -> CLOSED: nothing.
absl::Status CheckCycleAdvance(const std::string& subject, CycleState from, CycleState to,
                               const CycleReadiness& readiness);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_DOMAIN_CYCLE_STATE_H_
