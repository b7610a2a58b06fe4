#include "services/peerreview/adapter/convert.h"

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/server/proto_time.h"

namespace slihub::peerreview {

std::optional<absl::CivilDay> ToCivilDay(const common::v1::CivilDate& date, const std::string& field,
                                         FieldViolations* violations) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) return std::nullopt;
  absl::StatusOr<absl::CivilDay> day = MakeCivilDate(date.year(), date.month(), date.day());
  if (!day.ok()) {
    violations->Add(field, std::string(day.status().message()));
    return std::nullopt;
  }
  return *day;
}

common::v1::CivilDate ToProtoDate(absl::CivilDay day) {
  common::v1::CivilDate out;
  out.set_year(static_cast<int32_t>(day.year()));
  out.set_month(day.month());
  out.set_day(day.day());
  return out;
}

PhaseDates ToPhaseDates(const v1::PhaseDates& p, const std::string& prefix,
                        FieldViolations* violations) {
  PhaseDates d;
  d.self_assessment_due = ToCivilDay(p.self_assessment_due(), prefix + ".self_assessment_due", violations);
  d.moderation_start = ToCivilDay(p.moderation().start(), prefix + ".moderation.start", violations);
  d.moderation_end = ToCivilDay(p.moderation().end(), prefix + ".moderation.end", violations);
  d.challenge_start = ToCivilDay(p.challenge_events().start(), prefix + ".challenge_events.start", violations);
  d.challenge_end = ToCivilDay(p.challenge_events().end(), prefix + ".challenge_events.end", violations);
  d.summary_due = ToCivilDay(p.summary_due(), prefix + ".summary_due", violations);
  return d;
}

std::string ConstraintKindName(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::kNoSelfReview:
      return "NO_SELF_REVIEW";
    case ConstraintKind::kHostOnce:
      return "HOST_ONCE";
    case ConstraintKind::kGroupSize:
      return "GROUP_SIZE";
    case ConstraintKind::kNoRepeat:
      return "NO_REPEAT";
    case ConstraintKind::kConflictOfInterest:
      return "CONFLICT_OF_INTEREST";
    case ConstraintKind::kPinnedPair:
      return "PINNED_PAIR";
  }
  return "CONSTRAINT";
}

namespace {

void ToProto(const AimResult& aim, v1::AimScore* out) {
  out->set_aim(static_cast<v1::GroupingAim>(aim.aim));
  out->set_weight(aim.weight);
  out->set_component(aim.component);
  out->set_weighted(aim.weighted);
  out->set_detail(aim.detail);
}

}  // namespace

void ToProto(const ConstraintResult& c, v1::ConstraintStatus* out) {
  out->set_kind(static_cast<v1::ConstraintKind>(c.kind));
  out->set_state(static_cast<v1::ConstraintState>(c.state));
  for (const std::string& la : c.la_codes) out->add_la_codes()->set_value(la);
  out->set_detail(c.detail);
}

void ToProto(const GroupResult& group, v1::Group* out) {
  out->set_group_id(group.group_id);
  for (const std::string& la : group.members) out->add_members()->set_value(la);
  for (const std::string& host : group.members) {
    v1::Challenge* challenge = out->add_challenges();
    challenge->mutable_host()->set_value(host);
    for (const std::string& reviewer : group.members) {
      if (reviewer != host) challenge->add_reviewers()->set_value(reviewer);
    }
  }
  out->mutable_rationale()->set_summary(group.summary);
  for (const AimResult& aim : group.aims) ToProto(aim, out->mutable_rationale()->add_aims());
}

void ToProto(const GroupingResult& result, v1::GroupingProposal* proposal) {
  proposal->set_outcome(static_cast<v1::ProposalOutcome>(result.outcome));
  for (const GroupResult& group : result.groups) ToProto(group, proposal->add_groups());
  proposal->set_score(result.score);
  proposal->set_max_score(result.max_score);
  for (const AimResult& aim : result.aims) ToProto(aim, proposal->add_aims());
  for (const ConstraintResult& c : result.constraints) ToProto(c, proposal->add_constraints());
  for (const ConstraintResult& c : result.conflicting_constraints) {
    ToProto(c, proposal->add_conflicting_constraints());
  }
  v1::SolverStats* stats = proposal->mutable_stats();
  stats->set_method(static_cast<v1::SolverMethod>(result.stats.method));
  stats->set_proven_optimal(result.stats.proven_optimal);
  stats->set_nodes_explored(result.stats.nodes_explored);
  const int64_t micros = absl::ToInt64Microseconds(result.stats.elapsed);
  stats->mutable_elapsed()->set_seconds(micros / 1000000);
  stats->mutable_elapsed()->set_nanos(static_cast<int32_t>((micros % 1000000) * 1000));
}

}  // namespace slihub::peerreview
