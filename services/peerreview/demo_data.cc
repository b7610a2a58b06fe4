#include "services/peerreview/demo_data.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/england_time.h"
#include "common/server/proto_time.h"
#include "services/peerreview/adapter/convert.h"
#include "services/peerreview/adapter/handler_support.h"
#include "services/peerreview/adapter/themes.h"
#include "services/peerreview/store/peerreview_store.h"
#include "services/peerreview/store/review_records_store.h"

namespace slihub::peerreview {
namespace {

constexpr char kDemo[] = "demo-data";
// The year of the cycle in set-up, whose id (EE-2025, SE-2025) the README's and CLI tests'
// `peer groups propose` examples use; the current cycle is the year before, the last one two.
// Only the years are fixed: every date follows the day of loading.
constexpr int kPlanningYear = 2025;
using Groups = std::vector<std::vector<std::string>>;

// An area for development of the demo, with the action agreed on it.
struct Development {
  const char* theme;
  const char* finding;
  const char* action;
  const char* owner;
};
const Development kDevelopments[] = {
    {"workforce", "Reliance on agency social workers remains above the regional median.",
     "Agree a recruitment and retention plan with the regional workforce group.", "Head of Service, Workforce"},
    {"placement_sufficiency", "Too many children in care live more than 20 miles from home.",
     "Review local placement sufficiency with commissioners.", "Head of Commissioning"},
    {"care_leavers", "Care leavers' access to suitable accommodation is inconsistent.",
     "Publish a refreshed local offer for care leavers.", "Service Manager, Care Leavers"},
    {"send", "Too few education, health and care plans are completed within 20 weeks.",
     "Agree joint plan timeliness targets with education and health.", "Assistant Director, SEND"}};
// The development each position names (LA in the region, or event in the cycle): not a flat ranking.
const int kDevelopmentOf[] = {0, 1, 0, 2, 3, 0, 1};

const Development& DevelopmentAt(size_t position, int shift = 0) {
  return kDevelopments[(kDevelopmentOf[position % 7] + shift) % 4];
}

// A strength of the demo.
struct Strength {
  const char* theme;
  const char* text;
};
const Strength kStrengths[] = {
    {"families_first", "Strong multi-agency front door with consistent thresholds."},
    {"care_leavers", "Personal advisers stay in touch with almost every care leaver."},
    {"attendance", "Virtual school tracking has lifted the attendance of children in care."},
    {"anti_racist_practice", "Practice standards address identity and racism in every assessment."}};

void StampDemo(common::v1::AuditInfo* audit) {
  *audit->mutable_create_time() = ToProtoTimestamp(absl::Now());
  *audit->mutable_update_time() = audit->create_time();
  audit->set_created_by(kDemo);
  audit->set_updated_by(kDemo);
  audit->set_request_id(kDemo);
}

// The first weekday on or after `day`.
absl::CivilDay Weekday(absl::CivilDay day) {
  while (absl::GetWeekday(day) == absl::Weekday::saturday || absl::GetWeekday(day) == absl::Weekday::sunday) ++day;
  return day;
}

// Consecutive LAs from `offset` (wrapping) in threes, the last group taking a remainder of one.
Groups Triads(const std::vector<std::string>& las, size_t offset) {
  Groups groups;
  for (size_t i = 0; i < las.size(); ++i) {
    if (i % 3 == 0 && las.size() - i >= 2) groups.emplace_back();
    groups.back().push_back(las[(i + offset) % las.size()]);
  }
  for (auto& g : groups) std::sort(g.begin(), g.end());
  return groups;
}

v1::Statement Said(const std::string& text, const std::string& theme, bool share) {
  v1::Statement s;
  s.set_text(text);
  s.add_theme_ids(theme);
  s.set_share_with_region(share);
  return s;
}

// A cycle of the region's LAs in `state` with the seed themes, `groups` accepted and `phases`;
// `label` names it for people.
v1::Cycle DemoCycle(const RegionRecord& region, int year, const std::string& label, v1::CycleState state,
                    const Groups& groups, const v1::PhaseDates& phases) {
  const v1::OfstedGrade grades[] = {v1::OFSTED_GRADE_GOOD, v1::OFSTED_GRADE_REQUIRES_IMPROVEMENT,
                                    v1::OFSTED_GRADE_GOOD, v1::OFSTED_GRADE_OUTSTANDING,
                                    v1::OFSTED_GRADE_GOOD, v1::OFSTED_GRADE_INADEQUATE,
                                    v1::OFSTED_GRADE_REQUIRES_IMPROVEMENT};
  v1::Cycle cycle;
  cycle.set_cycle_id(absl::StrCat(region.code, "-", year));
  cycle.mutable_region()->set_value(region.code);
  cycle.set_year(year);
  cycle.set_name(absl::StrCat(region.name, " peer review: ", label, " (demo data)"));
  cycle.set_state(state);
  for (size_t i = 0; i < region.la_codes.size(); ++i) {
    v1::Participant* p = cycle.add_participants();
    p->mutable_la_code()->set_value(region.la_codes[i]);
    p->set_latest_ilacs_grade(grades[i % (sizeof(grades) / sizeof(grades[0]))]);
  }
  *cycle.mutable_phases() = phases;
  for (const v1::Theme& theme : SeedThemes()) *cycle.add_themes() = theme;
  for (size_t g = 0; g < groups.size(); ++g) {
    v1::Group* group = cycle.add_groups();
    group->set_group_id(absl::StrCat("G", g + 1));
    for (const std::string& la : groups[g]) group->add_members()->set_value(la);
    for (const std::string& host : groups[g]) {
      v1::Challenge* c = group->add_challenges();
      c->mutable_host()->set_value(host);
      for (const std::string& r : groups[g]) {
        if (r != host) c->add_reviewers()->set_value(r);
      }
    }
    group->mutable_rationale()->set_summary("Demo group: neighbouring LAs in the region's list.");
  }
  for (int s = v1::CYCLE_STATE_SETUP; s < state; ++s) {
    v1::CycleTransition* t = cycle.add_history();
    t->set_from_state(static_cast<v1::CycleState>(s));
    t->set_to_state(static_cast<v1::CycleState>(s + 1));
    *t->mutable_transition_time() = ToProtoTimestamp(absl::Now());
    t->set_moved_by(kDemo);
  }
  cycle.set_version(1);
  StampDemo(cycle.mutable_audit());
  return cycle;
}

// The phases of a cycle whose challenge events run from `start` to `end`.
v1::PhaseDates Phases(absl::CivilDay start, absl::CivilDay end) {
  v1::PhaseDates phases;
  *phases.mutable_self_assessment_due() = ToProtoDate(start - 70);
  *phases.mutable_moderation()->mutable_start() = ToProtoDate(start - 66);
  *phases.mutable_moderation()->mutable_end() = ToProtoDate(start - 14);
  *phases.mutable_challenge_events()->mutable_start() = ToProtoDate(start);
  *phases.mutable_challenge_events()->mutable_end() = ToProtoDate(end);
  *phases.mutable_summary_due() = ToProtoDate(end + 35);
  return phases;
}

// The LA's moderated self-assessment, naming its position's themes.
v1::SelfAssessment DemoSelfAssessment(const v1::Cycle& cycle, size_t i, v1::SelfAssessmentState state) {
  const std::string& la = cycle.participants(i).la_code().value();
  const Development& development = DevelopmentAt(i);
  const Strength& strength = kStrengths[i % 4];
  v1::SelfAssessment sa;
  sa.set_cycle_id(cycle.cycle_id());
  sa.mutable_la_code()->set_value(la);
  sa.set_state(state);
  sa.set_version(3);
  const v1::JudgementArea areas[] = {v1::JUDGEMENT_AREA_LEADERSHIP, v1::JUDGEMENT_AREA_HELP_AND_PROTECTION,
                                     v1::JUDGEMENT_AREA_CHILDREN_IN_CARE, v1::JUDGEMENT_AREA_CARE_LEAVERS};
  for (v1::JudgementArea area : areas) {
    v1::JudgementSection* section = sa.mutable_content()->add_sections();
    section->set_area(area);
    section->set_self_grade(cycle.participants(i).latest_ilacs_grade());
    *section->add_strengths() = Said(strength.text, strength.theme, area == v1::JUDGEMENT_AREA_LEADERSHIP);
    *section->add_areas_for_development() = Said(development.finding, development.theme, false);
  }
  sa.mutable_content()->mutable_ofsted_questions()->set_what_do_you_know("Audits, performance data and feedback.");
  v1::Priority* priority = sa.mutable_content()->add_priorities();
  priority->set_title("Grow our own social workers");
  priority->add_theme_ids(development.theme);
  if (i % 2 == 0) priority->add_theme_ids("placement_sufficiency");
  v1::AskOrOffer* offer = sa.mutable_content()->add_asks_and_offers();
  offer->set_kind(v1::ASK_OFFER_KIND_OFFER);
  offer->set_theme_id(strength.theme);
  offer->set_text("We can host a practice visit to share how we did this.");
  sa.mutable_moderator_la()->set_value(cycle.participants((i + 1) % cycle.participants_size()).la_code().value());
  *sa.mutable_submit_time() = ToProtoTimestamp(absl::Now());
  *sa.mutable_moderate_time() = sa.submit_time();
  StampDemo(sa.mutable_audit());
  return sa;
}

// Agreed actions for the `n`th host: on its area for development, due `overdue_by` days before
// `today` (none when 0); on another, in progress and due after; on a third, done.
void AddActions(v1::Findings& f, size_t n, absl::CivilDay today, int overdue_by) {
  auto add = [&](const Development& d, absl::CivilDay due, v1::ActionStatus status) {
    v1::Action* a = f.add_actions();
    a->set_action_id(absl::StrCat("A", f.actions_size()));
    a->set_description(d.action);
    a->set_owner(d.owner);
    *a->mutable_due_date() = ToProtoDate(due);
    a->add_theme_ids(d.theme);
    a->set_status(status);
  };
  if (overdue_by > 0) add(DevelopmentAt(n), today - overdue_by, v1::ACTION_STATUS_OPEN);
  add(DevelopmentAt(n, 1), today + 20 + 7 * static_cast<int>(n % 5), v1::ACTION_STATUS_IN_PROGRESS);
  add(DevelopmentAt(n, 2), today - 30, v1::ACTION_STATUS_DONE);
}

// A held event challenges its host's moderated self-assessment.
absl::Status MarkChallenged(store::Transaction& tx, const std::string& cycle_id, const std::string& host) {
  auto sa = PeerReviewStore::GetSelfAssessment(tx, cycle_id, host);
  if (!sa.ok()) return sa.status();
  if (!sa->has_value() || (*sa)->first.state() != v1::SELF_ASSESSMENT_STATE_MODERATED) return absl::OkStatus();
  v1::SelfAssessment challenged = (*sa)->first;
  challenged.set_state(v1::SELF_ASSESSMENT_STATE_CHALLENGED);
  challenged.set_version(challenged.version() + 1);
  *challenged.mutable_challenge_time() = ToProtoTimestamp(absl::Now());
  return PeerReviewStore::PutSelfAssessment(tx, challenged, (*sa)->second);
}

// The cycle's events, one per challenge from `first` every third day, HELD before `today` (with
// findings whose actions are relative to `actions_today`) and SCHEDULED from then on.
absl::Status WriteEvents(store::Transaction& tx, const v1::Cycle& cycle, absl::CivilDay first, absl::CivilDay today,
                         absl::CivilDay actions_today) {
  size_t n = 0;
  for (const v1::Group& group : cycle.groups()) {
    for (const v1::Challenge& c : group.challenges()) {
      absl::StatusOr<int64_t> number = ReviewRecordsStore::NextNumber(tx, "E", cycle.cycle_id());
      if (!number.ok()) return number.status();
      v1::ChallengeEvent e;
      e.set_event_id(absl::StrCat(cycle.cycle_id(), "-E", *number));
      e.set_cycle_id(cycle.cycle_id());
      e.set_group_id(group.group_id());
      *e.mutable_host() = c.host();
      *e.mutable_reviewers() = c.reviewers();
      const absl::CivilDay day = Weekday(first + 3 * static_cast<int>(n));
      *e.mutable_date() = ToProtoDate(day);
      e.set_location(n % 2 == 0 ? "Host's offices" : "online");
      e.set_state(day < today ? v1::CHALLENGE_EVENT_STATE_HELD : v1::CHALLENGE_EVENT_STATE_SCHEDULED);
      e.set_version(e.state() == v1::CHALLENGE_EVENT_STATE_HELD ? 2 : 1);
      StampDemo(e.mutable_audit());
      absl::Status put = ReviewRecordsStore::PutEvent(tx, e);
      if (!put.ok()) return put;
      if (e.state() == v1::CHALLENGE_EVENT_STATE_HELD) {
        put = MarkChallenged(tx, cycle.cycle_id(), e.host().value());
        if (!put.ok()) return put;
        absl::StatusOr<int64_t> fn = ReviewRecordsStore::NextNumber(tx, "F", cycle.cycle_id());
        if (!fn.ok()) return fn.status();
        v1::Findings f;
        f.set_findings_id(absl::StrCat(cycle.cycle_id(), "-F", *fn));
        f.set_cycle_id(cycle.cycle_id());
        *f.mutable_host() = e.host();
        f.set_source(v1::FINDINGS_SOURCE_CHALLENGE_EVENT);
        f.set_challenge_event_id(e.event_id());
        *f.mutable_reviewers() = e.reviewers();
        f.set_summary("Thank you for an open and well-prepared challenge day.");
        const Strength& strength = kStrengths[(n + 1) % 4];
        *f.add_strengths() = Said(strength.text, strength.theme, n % 2 == 0);
        *f.add_areas_for_development() = Said(DevelopmentAt(n).finding, DevelopmentAt(n).theme, false);
        AddActions(f, n, actions_today, n % 2 == 0 ? 7 + 7 * static_cast<int>(n % 3) : 0);
        f.set_version(1);
        StampDemo(f.mutable_audit());
        put = ReviewRecordsStore::PutFindings(tx, f);
        if (!put.ok()) return put;
      }
      ++n;
    }
  }
  return absl::OkStatus();
}

// Inserts `cycle` with its self-assessments in `sa_state` (none for UNSPECIFIED) and its
// groups' events, unless a cycle with its id exists.
absl::Status InsertOnce(store::Transaction& tx, const v1::Cycle& cycle, v1::SelfAssessmentState sa_state,
                        absl::CivilDay first_event, absl::CivilDay today, absl::CivilDay actions_today) {
  absl::StatusOr<std::optional<StoredCycle>> existing = PeerReviewStore::GetCycle(tx, cycle.cycle_id());
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) return absl::OkStatus();
  absl::Status status = PeerReviewStore::InsertCycle(tx, {cycle, 1});
  if (!status.ok()) return status;
  std::vector<std::string> las;
  for (const v1::Participant& p : cycle.participants()) las.push_back(p.la_code().value());
  if (sa_state == v1::SELF_ASSESSMENT_STATE_UNSPECIFIED) return absl::OkStatus();
  status = PeerReviewStore::CreateDraftSelfAssessments(tx, cycle.cycle_id(), las);
  if (!status.ok()) return status;
  for (int i = 0; i < cycle.participants_size(); ++i) {
    const v1::SelfAssessment sa = DemoSelfAssessment(cycle, i, sa_state);
    status = PeerReviewStore::PutSelfAssessment(tx, sa, sa.version());
    if (!status.ok()) return status;
  }
  return WriteEvents(tx, cycle, first_event, today, actions_today);
}

}  // namespace

absl::Status LoadPeerReviewDemoDataAsOf(const ServiceContext& context, absl::CivilDay today) {
  const RegionRecord* region = context.reference_data->FindRegion(context.config->hub_region);
  if (region == nullptr || region->la_codes.size() < 2) return absl::OkStatus();
  const std::vector<std::string>& las = region->la_codes;
  const int span = 3 * static_cast<int>(las.size()) + 14;
  // The current cycle: about half its events held before today, the rest from today on.
  const int held = static_cast<int>((las.size() + 1) / 2);
  const absl::CivilDay first = today - 3 * held;
  const v1::Cycle current = DemoCycle(*region, kPlanningYear - 1, "current cycle", v1::CYCLE_STATE_CHALLENGE,
                                      Triads(las, 1), Phases(first - 1, first + span));
  // The last cycle: closed, its events held ten months before.
  const absl::CivilDay earlier = Weekday(first - 300);
  const v1::Cycle previous = DemoCycle(*region, kPlanningYear - 2, "last cycle", v1::CYCLE_STATE_CLOSED,
                                       Triads(las, 0), Phases(earlier, earlier + span));
  // The next cycle, in set-up: participants and dates, no groups yet.
  const v1::Cycle next = DemoCycle(*region, kPlanningYear, "next cycle, in set-up", v1::CYCLE_STATE_SETUP, {},
                                   Phases(first + 300, first + 300 + span));
  return context.database->Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
    absl::Status status = PeerReviewStore::ReplaceHistory(tx, region->code, kPlanningYear - 3, Triads(las, 2));
    if (!status.ok()) return status;
    status = InsertOnce(tx, previous, v1::SELF_ASSESSMENT_STATE_MODERATED, earlier, today, earlier + 120);
    if (!status.ok()) return status;
    status = InsertOnce(tx, current, v1::SELF_ASSESSMENT_STATE_MODERATED, first, today, today);
    if (!status.ok()) return status;
    return InsertOnce(tx, next, v1::SELF_ASSESSMENT_STATE_UNSPECIFIED, first, today, today);
  });
}

absl::Status LoadPeerReviewDemoData(const ServiceContext& context) {
  return LoadPeerReviewDemoDataAsOf(context, TodayInEngland());
}

}  // namespace slihub::peerreview
