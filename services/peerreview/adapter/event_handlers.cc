// PeerReviewService's challenge event handlers: unavailability declarations, scheduling (through
// the domain scheduler), reading, moving, holding or cancelling events, and the iCalendar export.
#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/base/civil_date.h"
#include "common/base/england_time.h"
#include "common/errors/errors.h"
#include "common/server/idempotency.h"
#include "common/server/paging.h"
#include "common/server/proto_time.h"
#include "common/server/request_fields.h"
#include "services/peerreview/adapter/convert.h"
#include "services/peerreview/adapter/event_support.h"
#include "services/peerreview/adapter/handler_support.h"
#include "services/peerreview/adapter/peerreview_methods.h"
#include "services/peerreview/adapter/peerreview_service.h"
#include "services/peerreview/domain/event_scheduler.h"
#include "services/peerreview/domain/icalendar.h"
#include "services/peerreview/store/review_records_store.h"

namespace slihub::peerreview {
namespace {

bool Attends(const v1::ChallengeEvent& e, const std::string& la) {
  if (e.host().value() == la) return true;
  for (const auto& r : e.reviewers()) {
    if (r.value() == la) return true;
  }
  return false;
}

absl::StatusOr<v1::ChallengeEvent> LoadEvent(store::Transaction& tx, const std::string& event_id) {
  absl::StatusOr<std::optional<v1::ChallengeEvent>> found = ReviewRecordsStore::GetEvent(tx, event_id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return absl::NotFoundError(absl::StrCat("no challenge event ", event_id));
  return **std::move(found);
}

// The event and its cycle, the caller's region checked.
absl::StatusOr<std::pair<v1::ChallengeEvent, StoredCycle>> LoadEventInRegion(
    store::Transaction& tx, const CallInfo& call, const std::string& event_id) {
  absl::StatusOr<v1::ChallengeEvent> event = LoadEvent(tx, event_id);
  if (!event.ok()) return event.status();
  absl::StatusOr<StoredCycle> cycle = LoadCycleOfRegion(tx, call.principal(), event->cycle_id());
  if (!cycle.ok()) return cycle.status();
  return std::make_pair(*std::move(event), *std::move(cycle));
}

absl::Status NotScheduled(const v1::ChallengeEvent& e) {
  return FailedPreconditionError(
      absl::StrCat("event ", e.event_id(), " is ", v1::ChallengeEventState_Name(e.state()), ", not SCHEDULED"),
      {{"STATE", absl::StrCat("event/", e.event_id()), "only a SCHEDULED event changes"}});
}

// The dates and reason of a declaration (its LA is read by the handler).
void CheckUnavailability(const v1::Unavailability& u, FieldViolations* v) {
  CheckDateRange(u.dates(), "unavailability.dates", v);
  CheckText(u.reason(), "unavailability.reason", TextRule{500, true, false}, v);
}

}  // namespace

grpc::ServerUnaryReactor* PeerReviewServiceImpl::DeclareUnavailability(
    grpc::CallbackServerContext* context, const v1::DeclareUnavailabilityRequest* request,
    v1::DeclareUnavailabilityResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kDeclareUnavailability,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    CheckId(request->cycle_id(), "cycle_id", &v);
    const LocalAuthorityRecord* la_record =
        ReadLaOfRegion(*context_.reference_data, request->unavailability().la_code().value(),
                       context_.config->hub_region, "unavailability.la_code.value", &v);
    CheckUnavailability(request->unavailability(), &v);
    if (!v.empty()) return v.ToStatus();
    const std::string& la = request->unavailability().la_code().value();
    const Principal& principal = call.principal();
    if (absl::Status own = call.ActsForLa(*la_record); !own.ok()) return own;
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<StoredCycle> stored = LoadCycleOfRegion(tx, principal, request->cycle_id());
      if (!stored.ok()) return stored.status();
      v1::Cycle& cycle = stored->cycle;
      if (!IsParticipant(cycle, la)) {
        FieldViolations not_participant;
        not_participant.Add("unavailability.la_code.value",
                            absl::StrCat("'", la, "' is not a participant of cycle ", cycle.cycle_id()));
        return not_participant.ToStatus();
      }
      if (cycle.state() == v1::CYCLE_STATE_CLOSED) return CycleClosed(cycle);
      const v1::Unavailability& in = request->unavailability();
      auto* list = cycle.mutable_unavailability();
      auto it = std::find_if(list->begin(), list->end(), [&](const v1::Unavailability& u) {
        return u.la_code().value() == la && u.dates().SerializeAsString() == in.dates().SerializeAsString();
      });
      if (request->withdraw()) {
        if (it == list->end()) {
          return absl::NotFoundError(absl::StrCat("no unavailability of ", la, " with those dates"));
        }
        list->erase(it);
      } else if (it == list->end()) {
        *list->Add() = in;
      } else {
        *it = in;
      }
      Touch(call, cycle);
      absl::Status check = PeerReviewStore::UpdateCycle(tx, *stored);
      if (!check.ok()) return check;
      *response->mutable_cycle() = cycle;
      if (request->withdraw()) return absl::OkStatus();
      absl::StatusOr<std::vector<v1::ChallengeEvent>> events =
          ReviewRecordsStore::ListEvents(tx, cycle.cycle_id());
      if (!events.ok()) return events.status();
      FieldViolations ignored;
      const DayRange range = ToDayRange(in.dates(), "dates", &ignored);
      for (const v1::ChallengeEvent& e : *events) {
        const std::optional<absl::CivilDay> day = ToCivilDay(e.date(), "date", &ignored);
        if (e.state() == v1::CHALLENGE_EVENT_STATE_SCHEDULED && Attends(e, la) && day &&
            range.start <= *day && *day <= range.end) {
          response->add_clashing_event_ids(e.event_id());
        }
      }
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::ScheduleChallengeEvents(
    grpc::CallbackServerContext* context, const v1::ScheduleChallengeEventsRequest* request,
    v1::ScheduleChallengeEventsResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kScheduleChallengeEvents,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    CheckId(request->cycle_id(), "cycle_id", &v);
    const v1::SchedulingOptions& options = request->options();
    std::set<absl::CivilDay> excluded;
    for (int i = 0; i < options.excluded_dates_size(); ++i) {
      const std::string field = absl::StrCat("options.excluded_dates[", i, "]");
      std::optional<absl::CivilDay> day = RequiredDay(options.excluded_dates(i), field, &v);
      if (day) excluded.insert(*day);
    }
    if (options.max_events_per_day() < 0 || options.max_events_per_day() > 100) {
      v.Add("options.max_events_per_day", "must be between 0 (no limit) and 100");
    }
    if (!v.empty()) return v.ToStatus();
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<StoredCycle> stored = LoadCycleOfRegion(tx, call.principal(), request->cycle_id());
      if (!stored.ok()) return stored.status();
      const v1::Cycle& cycle = stored->cycle;
      const std::string subject = absl::StrCat("cycle/", cycle.cycle_id());
      std::vector<PreconditionViolation> missing;
      if (cycle.state() != v1::CYCLE_STATE_MODERATION && cycle.state() != v1::CYCLE_STATE_CHALLENGE) {
        missing.push_back({"STATE", subject, absl::StrCat("the cycle is ", v1::CycleState_Name(cycle.state()),
                                                          ", not MODERATION or CHALLENGE")});
      }
      if (cycle.groups_size() == 0) missing.push_back({"GROUPS", subject, "no groups accepted"});
      FieldViolations bad_dates;
      const DayRange phase = ToDayRange(cycle.phases().challenge_events(), "challenge_events", &bad_dates);
      if (!phase.set) missing.push_back({"PHASE_DATES", subject, "the challenge phase has no dates"});
      if (!missing.empty()) {
        return FailedPreconditionError(
            absl::StrCat("cycle ", cycle.cycle_id(), " cannot schedule challenge events yet"), missing);
      }
      absl::StatusOr<std::vector<v1::ChallengeEvent>> events =
          ReviewRecordsStore::ListEvents(tx, cycle.cycle_id());
      if (!events.ok()) return events.status();
      SchedulingRules rules = CycleRules(cycle, *events, phase);
      absl::Status booked = AddThematicReviewBookings(tx, cycle.region().value(), &rules);
      if (!booked.ok()) return booked;
      rules.allow_weekends = options.allow_weekends();
      rules.excluded = excluded;
      rules.max_events_per_day = options.max_events_per_day();
      std::set<std::string> hosts_with_live_events;
      for (const v1::ChallengeEvent& e : *events) {
        if (e.state() != v1::CHALLENGE_EVENT_STATE_CANCELLED) hosts_with_live_events.insert(e.host().value());
      }
      std::vector<ChallengeToPlace> challenges;
      for (const v1::Group& group : cycle.groups()) {
        for (const v1::Challenge& c : group.challenges()) {
          if (hosts_with_live_events.count(c.host().value()) > 0) continue;
          ChallengeToPlace place{c.host().value(), group.group_id(), {c.host().value()}};
          for (const auto& r : c.reviewers()) place.las.push_back(r.value());
          challenges.push_back(std::move(place));
        }
      }
      const ScheduleResult result = ScheduleChallenges(rules, challenges, options.seed());
      for (const PlacedChallenge& placed : result.placed) {
        const ChallengeToPlace& c = challenges[placed.index];
        v1::ChallengeEvent* e = response->add_scheduled();
        if (!request->dry_run()) {
          absl::StatusOr<int64_t> number = ReviewRecordsStore::NextNumber(tx, "E", cycle.cycle_id());
          if (!number.ok()) return number.status();
          e->set_event_id(absl::StrCat(cycle.cycle_id(), "-E", *number));
        }
        e->set_cycle_id(cycle.cycle_id());
        e->set_group_id(c.group_id);
        e->mutable_host()->set_value(c.host);
        for (size_t i = 1; i < c.las.size(); ++i) e->add_reviewers()->set_value(c.las[i]);
        *e->mutable_date() = ToProtoDate(placed.day);
        e->set_state(v1::CHALLENGE_EVENT_STATE_SCHEDULED);
        e->set_version(1);
        common::v1::AuditInfo* audit = e->mutable_audit();
        *audit->mutable_create_time() = ToProtoTimestamp(absl::Now());
        *audit->mutable_update_time() = audit->create_time();
        audit->set_created_by(call.principal().subject);
        audit->set_updated_by(call.principal().subject);
        audit->set_request_id(call.request_id());
        if (!request->dry_run()) {
          absl::Status check = ReviewRecordsStore::PutEvent(tx, *e);
          if (!check.ok()) return check;
        }
      }
      for (const UnplacedChallenge& unplaced : result.unplaced) {
        v1::UnscheduledChallenge* out = response->add_unscheduled();
        out->mutable_host()->set_value(challenges[unplaced.index].host);
        out->set_group_id(challenges[unplaced.index].group_id);
        out->set_reason(unplaced.reason);
      }
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::GetChallengeEvent(
    grpc::CallbackServerContext* context, const v1::GetChallengeEventRequest* request,
    v1::GetChallengeEventResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kGetChallengeEvent,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckId(request->event_id(), "event_id", &v);
    if (!v.empty()) return v.ToStatus();
    return context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      auto loaded = LoadEventInRegion(tx, call, request->event_id());
      if (!loaded.ok()) return loaded.status();
      *response->mutable_event() = std::move(loaded->first);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::ListChallengeEvents(
    grpc::CallbackServerContext* context, const v1::ListChallengeEventsRequest* request,
    v1::ListChallengeEventsResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kListChallengeEvents,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckId(request->cycle_id(), "cycle_id", &v);
    const std::string& la = request->la_code().value();
    if (!la.empty() && !IsLaCodeSyntax(la)) v.Add("la_code.value", "must be a DfE three-digit LA code, e.g. 873");
    std::set<int> states;
    for (int i = 0; i < request->states_size(); ++i) {
      if (request->states(i) == v1::CHALLENGE_EVENT_STATE_UNSPECIFIED ||
          !v1::ChallengeEventState_IsValid(request->states(i))) {
        v.Add(absl::StrCat("states[", i, "]"), "must be SCHEDULED, HELD or CANCELLED");
      }
      states.insert(request->states(i));
    }
    const std::string scope = absl::StrCat("events/", request->cycle_id());
    int size = 0;
    const int offset = PageOffset(request->page(), scope, &size, &v);
    if (!v.empty()) return v.ToStatus();
    return context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<StoredCycle> cycle = LoadCycleOfRegion(tx, call.principal(), request->cycle_id());
      if (!cycle.ok()) return cycle.status();
      absl::StatusOr<std::vector<v1::ChallengeEvent>> events =
          ReviewRecordsStore::ListEvents(tx, request->cycle_id());
      if (!events.ok()) return events.status();
      auto keep = [&](const v1::ChallengeEvent& e) {
        return (la.empty() || Attends(e, la)) && (states.empty() || states.count(e.state()) > 0);
      };
      PageWhere(*events, keep, offset, size, scope, response->mutable_events(), response->mutable_page());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::UpdateChallengeEvent(
    grpc::CallbackServerContext* context, const v1::UpdateChallengeEventRequest* request,
    v1::UpdateChallengeEventResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kUpdateChallengeEvent,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    const v1::ChallengeEvent& in = request->event();
    CheckId(in.event_id(), "event.event_id", &v);
    std::optional<absl::CivilDay> day = RequiredDay(in.date(), "event.date", &v);
    CheckText(in.location(), "event.location", TextRule{500, false, false}, &v);
    CheckText(in.notes(), "event.notes", TextRule{4000, true, false}, &v);
    if (!v.empty()) return v.ToStatus();
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      auto loaded = LoadEventInRegion(tx, call, in.event_id());
      if (!loaded.ok()) return loaded.status();
      auto& [event, stored] = *loaded;
      absl::Status check = CheckExpectedVersion(absl::StrCat("event ", event.event_id()), event.version(), request->expected_version());
      if (!check.ok()) return check;
      if (event.state() != v1::CHALLENGE_EVENT_STATE_SCHEDULED) return NotScheduled(event);
      absl::StatusOr<std::vector<v1::ChallengeEvent>> events =
          ReviewRecordsStore::ListEvents(tx, event.cycle_id());
      if (!events.ok()) return events.status();
      FieldViolations ignored;
      SchedulingRules rules = CycleRules(stored.cycle, *events,
                                         ToDayRange(stored.cycle.phases().challenge_events(), "", &ignored));
      rules.allow_weekends = true;  // a date chosen by hand may be any day of the phase
      check = AddThematicReviewBookings(tx, stored.cycle.region().value(), &rules);
      if (!check.ok()) return check;
      std::vector<std::string> las = {event.host().value()};
      for (const auto& r : event.reviewers()) las.push_back(r.value());
      if (std::optional<std::string> problem = DayProblem(rules, *day, las, event.event_id())) {
        return FailedPreconditionError(absl::StrCat("event ", event.event_id(), " cannot move: ", *problem),
                                       {{"DATE", absl::StrCat("event/", event.event_id()), *problem}});
      }
      *event.mutable_date() = in.date();
      event.set_location(in.location());
      event.set_notes(in.notes());
      Touch(call, event);
      check = ReviewRecordsStore::PutEvent(tx, event);
      if (!check.ok()) return check;
      *response->mutable_event() = event;
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::AdvanceChallengeEvent(
    grpc::CallbackServerContext* context, const v1::AdvanceChallengeEventRequest* request,
    v1::AdvanceChallengeEventResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kAdvanceChallengeEvent,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    CheckId(request->event_id(), "event_id", &v);
    const auto target = request->target_state();
    if (target != v1::CHALLENGE_EVENT_STATE_HELD && target != v1::CHALLENGE_EVENT_STATE_CANCELLED) {
      v.Add("target_state", "must be HELD or CANCELLED");
    }
    CheckText(request->note(), "note", TextRule{500, true, false}, &v);
    if (!v.empty()) return v.ToStatus();
    const absl::CivilDay today = TodayInEngland();
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      auto loaded = LoadEventInRegion(tx, call, request->event_id());
      if (!loaded.ok()) return loaded.status();
      v1::ChallengeEvent& event = loaded->first;
      const Principal& p = call.principal();
      if (!p.HasRole(Role::kRegionalAdmin) &&
          (target != v1::CHALLENGE_EVENT_STATE_HELD || p.la_code != event.host().value())) {
        return PermissionDenied(
            "only the regional admin, or a peer reviewer of the host recording it HELD, may do this", "NOT_HOST");
      }
      absl::Status check = CheckExpectedVersion(absl::StrCat("event ", event.event_id()), event.version(), request->expected_version());
      if (!check.ok()) return check;
      if (event.state() != v1::CHALLENGE_EVENT_STATE_SCHEDULED) return NotScheduled(event);
      const std::string subject = absl::StrCat("event/", event.event_id());
      if (target == v1::CHALLENGE_EVENT_STATE_HELD) {
        FieldViolations ignored;
        const std::optional<absl::CivilDay> day = ToCivilDay(event.date(), "date", &ignored);
        if (day && *day > today) {
          return FailedPreconditionError(
              absl::StrCat("event ", event.event_id(), " is on ", FormatCivilDate(*day), ", after today"),
              {{"DATE", subject, "an event is recorded HELD on or after its date"}});
        }
        auto sa = PeerReviewStore::GetSelfAssessment(tx, event.cycle_id(), event.host().value());
        if (!sa.ok()) return sa.status();
        if (!sa->has_value() || (*sa)->first.state() != v1::SELF_ASSESSMENT_STATE_MODERATED) {
          return FailedPreconditionError(
              absl::StrCat("the self-assessment of host ", event.host().value(), " is not MODERATED"),
              {{"SELF_ASSESSMENT", absl::StrCat("cycle/", event.cycle_id(), "/la/", event.host().value()),
                "the host's self-assessment must be MODERATED"}});
        }
        v1::SelfAssessment challenged = (*sa)->first;
        challenged.set_state(v1::SELF_ASSESSMENT_STATE_CHALLENGED);
        Touch(call, challenged);
        check = PeerReviewStore::PutSelfAssessment(tx, challenged, (*sa)->second);
        if (!check.ok()) return check;
      }
      event.set_state(target);
      if (!request->note().empty()) {
        event.set_notes(event.notes().empty() ? request->note() : absl::StrCat(event.notes(), "\n", request->note()));
      }
      Touch(call, event);
      check = ReviewRecordsStore::PutEvent(tx, event);
      if (!check.ok()) return check;
      *response->mutable_event() = event;
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::ExportCalendar(
    grpc::CallbackServerContext* context, const v1::ExportCalendarRequest* request,
    v1::ExportCalendarResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kExportCalendar,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckId(request->cycle_id(), "cycle_id", &v);
    const std::string& la = request->la_code().value();
    if (!la.empty() && !IsLaCodeSyntax(la)) v.Add("la_code.value", "must be a DfE three-digit LA code, e.g. 873");
    if (!v.empty()) return v.ToStatus();
    return context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<StoredCycle> stored = LoadCycleOfRegion(tx, call.principal(), request->cycle_id());
      if (!stored.ok()) return stored.status();
      const v1::Cycle& cycle = stored->cycle;
      absl::StatusOr<std::vector<v1::ChallengeEvent>> events =
          ReviewRecordsStore::ListEvents(tx, cycle.cycle_id());
      if (!events.ok()) return events.status();
      CalendarDocument doc;
      doc.name = absl::StrCat(cycle.name(), la.empty() ? "" : " (" + la + ")");
      doc.stamp = absl::Now();
      FieldViolations ignored;
      for (const v1::ChallengeEvent& e : *events) {
        if (!la.empty() && !Attends(e, la)) continue;
        const std::optional<absl::CivilDay> day = ToCivilDay(e.date(), "date", &ignored);
        if (!day) continue;
        std::vector<std::string> reviewers;
        for (const auto& r : e.reviewers()) reviewers.push_back(r.value());
        doc.events.push_back({absl::StrCat(e.event_id(), "@peerreview.slihub"), *day, *day,
                              absl::StrCat("Peer challenge: ", e.host().value(), " challenged by ",
                                           absl::StrJoin(reviewers, ", ")),
                              absl::StrCat(cycle.name(), ", group ", e.group_id(), ". ", e.notes()),
                              e.location(), SequenceOfVersion(e.version()),
                              e.state() == v1::CHALLENGE_EVENT_STATE_CANCELLED});
      }
      if (request->include_thematic_reviews()) {
        absl::StatusOr<std::vector<v1::ThematicReview>> reviews =
            ReviewRecordsStore::ListReviews(tx, cycle.region().value(), cycle.cycle_id());
        if (!reviews.ok()) return reviews.status();
        for (const v1::ThematicReview& r : *reviews) {
          bool attends = la.empty() || r.host().value() == la;
          for (const auto& m : r.team()) attends |= m.value() == la;
          const DayRange dates = ToDayRange(r.dates(), "dates", &ignored);
          if (!attends || !dates.set) continue;
          std::vector<std::string> team;
          for (const auto& m : r.team()) team.push_back(m.value());
          doc.events.push_back({absl::StrCat(r.review_id(), "@peerreview.slihub"), dates.start, dates.end,
                                absl::StrCat("Thematic review of ", r.host().value(), " (", r.theme_id(),
                                             ") by ", absl::StrJoin(team, ", ")),
                                r.scope(), r.location(), SequenceOfVersion(r.version()),
                                r.state() == v1::THEMATIC_REVIEW_STATE_CANCELLED});
        }
      }
      response->set_content(RenderCalendar(doc));
      response->set_content_type("text/calendar; charset=utf-8");
      response->set_file_name(absl::StrCat(cycle.cycle_id(), la.empty() ? "" : "-" + la, "-challenge.ics"));
      return absl::OkStatus();
    });
  });
}

}  // namespace slihub::peerreview
