#include "services/peerreview/adapter/event_support.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/server/proto_time.h"
#include "services/peerreview/adapter/convert.h"
#include "services/peerreview/adapter/handler_support.h"
#include "services/peerreview/store/review_records_store.h"

namespace slihub::peerreview {
namespace {

// The longest date range a request may give (unavailability, thematic review, reviewer search):
// two years, so one range cannot book or search every day of the calendar.
constexpr int kMaxDateRangeDays = 731;

}  // namespace

DayRange ToDayRange(const v1::DateRange& range, const std::string& field, FieldViolations* v) {
  DayRange out;
  const std::optional<absl::CivilDay> start = ToCivilDay(range.start(), field + ".start", v);
  const std::optional<absl::CivilDay> end = ToCivilDay(range.end(), field + ".end", v);
  if (start && end) out = {true, *start, *end};
  return out;
}

std::optional<absl::CivilDay> RequiredDay(const common::v1::CivilDate& date, const std::string& field,
                                          FieldViolations* v) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) {
    v->Add(field, "is required");
    return std::nullopt;
  }
  return ToCivilDay(date, field, v);
}

void CheckDateRange(const v1::DateRange& range, const std::string& field, FieldViolations* v) {
  FieldViolations own;
  const DayRange days = ToDayRange(range, field, &own);
  if (!own.empty()) {
    for (const FieldViolation& violation : own.violations()) v->Add(violation.field, violation.description);
    return;
  }
  if (!days.set) {
    v->Add(field, "needs a start and an end date");
  } else if (days.end < days.start) {
    v->Add(field + ".end", "must not be before the start");
  } else if (days.end - days.start > kMaxDateRangeDays) {
    v->Add(field + ".end", absl::StrCat("must be at most ", kMaxDateRangeDays,
                                        " days after the start (a range spans at most two years)"));
  }
}

SchedulingRules CycleRules(const v1::Cycle& cycle, const std::vector<v1::ChallengeEvent>& events,
                           const DayRange& phase) {
  SchedulingRules rules;
  rules.start = phase.start;
  rules.end = phase.set ? phase.end : phase.start - 1;
  FieldViolations ignored;
  for (const v1::Unavailability& u : cycle.unavailability()) {
    const DayRange dates = ToDayRange(u.dates(), "dates", &ignored);
    if (dates.set) rules.unavailable.push_back({u.la_code().value(), dates.start, dates.end, u.reason()});
  }
  for (const v1::ChallengeEvent& e : events) {
    if (e.state() == v1::CHALLENGE_EVENT_STATE_CANCELLED) continue;
    const std::optional<absl::CivilDay> day = ToCivilDay(e.date(), "date", &ignored);
    if (!day) continue;
    ExistingBooking booking{e.event_id(), e.host().value(), *day, {e.host().value()}};
    for (const auto& r : e.reviewers()) booking.la_codes.push_back(r.value());
    rules.bookings.push_back(std::move(booking));
  }
  return rules;
}

absl::Status AddThematicReviewBookings(store::Transaction& tx, const std::string& region,
                                       SchedulingRules* rules) {
  absl::StatusOr<std::vector<v1::ThematicReview>> reviews =
      ReviewRecordsStore::ListReviews(tx, region, "");
  if (!reviews.ok()) return reviews.status();
  for (const v1::ThematicReview& r : *reviews) {
    if (r.state() == v1::THEMATIC_REVIEW_STATE_CONFIRMED ||
        r.state() == v1::THEMATIC_REVIEW_STATE_COMPLETED) {
      BookReview(r, rules);
    }
  }
  return absl::OkStatus();
}

void BookReview(const v1::ThematicReview& review, SchedulingRules* rules) {
  FieldViolations ignored;
  const DayRange span = ToDayRange(review.dates(), "dates", &ignored);
  if (!span.set) return;
  ExistingBooking booking{review.review_id(), review.host().value(), span.start,
                          {review.host().value()}};
  for (const auto& m : review.team()) booking.la_codes.push_back(m.value());
  for (absl::CivilDay day = span.start; day <= span.end; ++day) {
    booking.day = day;
    rules->bookings.push_back(booking);
  }
}

absl::Status CancelScheduledEvents(store::Transaction& tx, const CallInfo& call,
                                   const std::string& cycle_id, std::vector<std::string>* ids) {
  absl::StatusOr<std::vector<v1::ChallengeEvent>> events = ReviewRecordsStore::ListEvents(tx, cycle_id);
  if (!events.ok()) return events.status();
  for (v1::ChallengeEvent& e : *events) {
    if (e.state() != v1::CHALLENGE_EVENT_STATE_SCHEDULED) continue;
    e.set_state(v1::CHALLENGE_EVENT_STATE_CANCELLED);
    Touch(call, e);
    absl::Status put = ReviewRecordsStore::PutEvent(tx, e);
    if (!put.ok()) return put;
    ids->push_back(e.event_id());
  }
  return absl::OkStatus();
}

absl::Status GatherEventReadiness(store::Transaction& tx, const std::string& cycle_id,
                                  CycleReadiness* readiness) {
  absl::StatusOr<std::vector<v1::ChallengeEvent>> events = ReviewRecordsStore::ListEvents(tx, cycle_id);
  if (!events.ok()) return events.status();
  absl::StatusOr<std::vector<v1::Findings>> findings = ReviewRecordsStore::ListFindings(tx, cycle_id);
  if (!findings.ok()) return findings.status();
  std::set<std::string> with_findings;
  for (const v1::Findings& f : *findings) with_findings.insert(f.challenge_event_id());
  for (const v1::ChallengeEvent& e : *events) {
    if (e.state() == v1::CHALLENGE_EVENT_STATE_SCHEDULED) readiness->open_events.push_back(e.event_id());
    if (e.state() == v1::CHALLENGE_EVENT_STATE_HELD && with_findings.count(e.event_id()) == 0) {
      readiness->hosts_without_findings.push_back(e.host().value());
    }
  }
  return absl::OkStatus();
}

absl::Status CycleClosed(const v1::Cycle& cycle) {
  return FailedPreconditionError(absl::StrCat("cycle ", cycle.cycle_id(), " is CLOSED and read-only"),
                                 {{"STATE", absl::StrCat("cycle/", cycle.cycle_id()), "cycle CLOSED"}});
}

}  // namespace slihub::peerreview
