// PeerReviewService's thematic review handlers: a host asks for a review on a theme and gets a
// proposed team of other LAs (domain ChooseReviewTeam); the admin edits, confirms, completes or
// cancels it.
#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/civil_date.h"
#include "common/base/england_time.h"
#include "common/errors/errors.h"
#include "common/server/idempotency.h"
#include "common/server/paging.h"
#include "common/server/proto_time.h"
#include "common/server/request_fields.h"
#include "services/peerreview/adapter/event_support.h"
#include "services/peerreview/adapter/handler_support.h"
#include "services/peerreview/adapter/peerreview_methods.h"
#include "services/peerreview/adapter/peerreview_service.h"
#include "services/peerreview/domain/review_team.h"
#include "services/peerreview/store/review_records_store.h"

namespace slihub::peerreview {
namespace {

bool Live(const v1::ThematicReview& r) {
  return r.state() == v1::THEMATIC_REVIEW_STATE_PROPOSED || r.state() == v1::THEMATIC_REVIEW_STATE_CONFIRMED;
}

bool OnTeam(const v1::ThematicReview& r, const std::string& la) {
  return std::any_of(r.team().begin(), r.team().end(), [&](const auto& m) { return m.value() == la; });
}

bool MayRead(const Principal& p, const v1::ThematicReview& r) {
  return p.HasRole(Role::kRegionalAdmin) ||
         (!p.la_code.empty() && (r.host().value() == p.la_code || OnTeam(r, p.la_code)));
}

// What the team rules read for a review of `host` over `dates` in `cycle`, other than the review
// `ignore_id` itself: conflicts, unavailability, live events and reviews, reviewing load.
absl::StatusOr<TeamRequest> BuildTeamRequest(store::Transaction& tx, const v1::Cycle& cycle,
                                             const std::string& host, const DayRange& dates,
                                             const std::string& ignore_id) {
  TeamRequest request;
  request.host = host;
  request.first_day = dates.start;
  request.last_day = dates.end;
  for (const auto& p : cycle.participants()) request.candidates.push_back(p.la_code().value());
  for (const auto& c : cycle.conflicts_of_interest()) {
    request.conflicts.push_back({c.pair().first().value(), c.pair().second().value()});
  }
  absl::StatusOr<std::vector<v1::ChallengeEvent>> events = ReviewRecordsStore::ListEvents(tx, cycle.cycle_id());
  if (!events.ok()) return events.status();
  request.rules = CycleRules(cycle, *events, dates);
  for (const v1::ChallengeEvent& e : *events) {
    if (e.state() == v1::CHALLENGE_EVENT_STATE_CANCELLED) continue;
    for (const auto& r : e.reviewers()) ++request.load[r.value()];
  }
  absl::StatusOr<std::vector<v1::ThematicReview>> reviews =
      ReviewRecordsStore::ListReviews(tx, cycle.region().value(), "");
  if (!reviews.ok()) return reviews.status();
  for (const v1::ThematicReview& r : *reviews) {
    if (!Live(r) || r.review_id() == ignore_id) continue;
    for (const auto& m : r.team()) ++request.load[m.value()];
    BookReview(r, &request.rules);
  }
  return request;
}

absl::StatusOr<std::pair<v1::ThematicReview, StoredCycle>> LoadReview(store::Transaction& tx, const CallInfo& call,
                                                                      const std::string& review_id) {
  absl::StatusOr<std::optional<v1::ThematicReview>> found = ReviewRecordsStore::GetReview(tx, review_id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return absl::NotFoundError(absl::StrCat("no thematic review ", review_id));
  absl::StatusOr<StoredCycle> cycle = LoadCycleOfRegion(tx, call.principal(), (*found)->cycle_id());
  if (!cycle.ok()) return cycle.status();
  return std::make_pair(**std::move(found), *std::move(cycle));
}

std::vector<PreconditionViolation> Exclusions(const std::map<std::string, std::string>& excluded) {
  std::vector<PreconditionViolation> out;
  for (const auto& [la, why] : excluded) out.push_back({"TEAM_MEMBER", absl::StrCat("la/", la), why});
  return out;
}

}  // namespace

grpc::ServerUnaryReactor* PeerReviewServiceImpl::RequestThematicReview(
    grpc::CallbackServerContext* context, const v1::RequestThematicReviewRequest* request,
    v1::RequestThematicReviewResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kRequestThematicReview,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    const std::string& host = request->host().value();
    if (!IsLaCodeSyntax(host)) v.Add("host.value", "must be a DfE three-digit LA code, e.g. 873");
    CheckId(request->theme_id(), "theme_id", &v);
    CheckText(request->scope(), "scope", TextRule{2000, true, false}, &v);
    CheckDateRange(request->dates(), "dates", &v);
    if (request->reviewer_count() < 1 || request->reviewer_count() > 6) v.Add("reviewer_count", "must be 1 to 6");
    for (int i = 0; i < request->excluded_size(); ++i) {
      if (!IsLaCodeSyntax(request->excluded(i).value())) {
        v.Add(absl::StrCat("excluded[", i, "].value"), "must be a DfE three-digit LA code, e.g. 873");
      }
    }
    if (!v.empty()) return v.ToStatus();
    const Principal& p = call.principal();
    if (!p.HasRole(Role::kRegionalAdmin) && p.la_code != host) {
      return PermissionDenied("a peer reviewer may request a thematic review of its own LA only", "NOT_PARTY");
    }
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      std::string cycle_id = request->cycle_id();
      if (cycle_id.empty()) {
        absl::StatusOr<std::vector<v1::Cycle>> latest = PeerReviewStore::ListCycles(tx, p.region_code, 0, 0, 1);
        if (!latest.ok()) return latest.status();
        if (latest->empty()) return absl::NotFoundError(absl::StrCat("region ", p.region_code, " has no cycle"));
        cycle_id = latest->front().cycle_id();
      }
      absl::StatusOr<StoredCycle> stored = LoadCycleOfRegion(tx, p, cycle_id);
      if (!stored.ok()) return stored.status();
      const v1::Cycle& cycle = stored->cycle;
      FieldViolations late;
      if (!IsParticipant(cycle, host)) late.Add("host.value", absl::StrCat("is not a participant of cycle ", cycle_id));
      if (std::none_of(cycle.themes().begin(), cycle.themes().end(),
                       [&](const v1::Theme& t) { return t.theme_id() == request->theme_id(); })) {
        late.Add("theme_id", absl::StrCat("'", request->theme_id(), "' is not a theme of cycle ", cycle_id));
      }
      if (!late.empty()) return late.ToStatus();
      if (cycle.state() == v1::CYCLE_STATE_CLOSED) return CycleClosed(cycle);
      FieldViolations ignored;
      const DayRange dates = ToDayRange(request->dates(), "dates", &ignored);
      absl::StatusOr<TeamRequest> team_request = BuildTeamRequest(tx, cycle, host, dates, "");
      if (!team_request.ok()) return team_request.status();
      team_request->size = request->reviewer_count();
      team_request->seed = request->seed();
      for (const auto& la : request->excluded()) team_request->excluded.insert(la.value());
      const TeamResult team = ChooseReviewTeam(*team_request);
      if (static_cast<int>(team.team.size()) < request->reviewer_count()) {
        return FailedPreconditionError(
            absl::StrCat("only ", team.team.size(), " of the ", request->reviewer_count(),
                         " reviewing LAs asked for are eligible"),
            Exclusions(team.excluded));
      }
      absl::StatusOr<int64_t> number = ReviewRecordsStore::NextNumber(tx, "T", cycle_id);
      if (!number.ok()) return number.status();
      v1::ThematicReview* r = response->mutable_review();
      r->set_review_id(absl::StrCat(cycle_id, "-T", *number));
      *r->mutable_region() = cycle.region();
      r->set_cycle_id(cycle_id);
      r->mutable_host()->set_value(host);
      r->set_theme_id(request->theme_id());
      r->set_scope(request->scope());
      *r->mutable_dates() = request->dates();
      r->set_reviewer_count(request->reviewer_count());
      for (const std::string& la : team.team) r->add_team()->set_value(la);
      r->set_team_rationale(team.rationale);
      r->set_state(v1::THEMATIC_REVIEW_STATE_PROPOSED);
      r->set_version(1);
      common::v1::AuditInfo* audit = r->mutable_audit();
      *audit->mutable_create_time() = ToProtoTimestamp(absl::Now());
      *audit->mutable_update_time() = audit->create_time();
      audit->set_created_by(p.subject);
      audit->set_updated_by(p.subject);
      audit->set_request_id(call.request_id());
      return ReviewRecordsStore::PutReview(tx, *r);
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::GetThematicReview(
    grpc::CallbackServerContext* context, const v1::GetThematicReviewRequest* request,
    v1::GetThematicReviewResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kGetThematicReview,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckId(request->review_id(), "review_id", &v);
    if (!v.empty()) return v.ToStatus();
    return context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      auto loaded = LoadReview(tx, call, request->review_id());
      if (!loaded.ok()) return loaded.status();
      if (!MayRead(call.principal(), loaded->first)) {
        return PermissionDenied("only the host, its team and the regional admin read this review", "NOT_PARTY");
      }
      *response->mutable_review() = std::move(loaded->first);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::ListThematicReviews(
    grpc::CallbackServerContext* context, const v1::ListThematicReviewsRequest* request,
    v1::ListThematicReviewsResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kListThematicReviews,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    const std::string& host = request->host().value();
    if (!host.empty() && !IsLaCodeSyntax(host)) v.Add("host.value", "must be a DfE three-digit LA code, e.g. 873");
    std::set<int> states;
    for (int i = 0; i < request->states_size(); ++i) {
      if (request->states(i) == v1::THEMATIC_REVIEW_STATE_UNSPECIFIED ||
          !v1::ThematicReviewState_IsValid(request->states(i))) {
        v.Add(absl::StrCat("states[", i, "]"), "must be a ThematicReviewState");
      }
      states.insert(request->states(i));
    }
    const std::string scope = absl::StrCat("reviews/", request->cycle_id());
    int size = 0;
    const int offset = PageOffset(request->page(), scope, &size, &v);
    if (!v.empty()) return v.ToStatus();
    return context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<std::vector<v1::ThematicReview>> all =
          ReviewRecordsStore::ListReviews(tx, call.principal().region_code, request->cycle_id());
      if (!all.ok()) return all.status();
      auto keep = [&](const v1::ThematicReview& r) {
        return (host.empty() || r.host().value() == host) && (states.empty() || states.count(r.state()) > 0) &&
               MayRead(call.principal(), r);
      };
      PageWhere(*all, keep, offset, size, scope, response->mutable_reviews(), response->mutable_page());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::UpdateThematicReview(
    grpc::CallbackServerContext* context, const v1::UpdateThematicReviewRequest* request,
    v1::UpdateThematicReviewResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kUpdateThematicReview,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    const v1::ThematicReview& in = request->review();
    CheckId(in.review_id(), "review.review_id", &v);
    CheckText(in.scope(), "review.scope", TextRule{2000, true, false}, &v);
    CheckText(in.location(), "review.location", TextRule{500, false, false}, &v);
    CheckDateRange(in.dates(), "review.dates", &v);
    std::set<std::string> members;
    for (int i = 0; i < in.team_size(); ++i) {
      const std::string field = absl::StrCat("review.team[", i, "].value");
      if (!IsLaCodeSyntax(in.team(i).value())) v.Add(field, "must be a DfE three-digit LA code, e.g. 873");
      if (!members.insert(in.team(i).value()).second) v.Add(field, "is listed twice");
    }
    if (in.team_size() > 6) v.Add("review.team", "holds at most 6 LAs");
    if (!v.empty()) return v.ToStatus();
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      auto loaded = LoadReview(tx, call, in.review_id());
      if (!loaded.ok()) return loaded.status();
      auto& [review, stored] = *loaded;
      absl::Status check = CheckExpectedVersion(absl::StrCat("thematic review ", review.review_id()), review.version(), request->expected_version());
      if (!check.ok()) return check;
      const std::string subject = absl::StrCat("review/", review.review_id());
      if (review.state() != v1::THEMATIC_REVIEW_STATE_PROPOSED) {
        return FailedPreconditionError(absl::StrCat("thematic review ", review.review_id(), " is not PROPOSED"),
                                       {{"STATE", subject, "only a PROPOSED review changes"}});
      }
      FieldViolations ignored;
      const DayRange dates = ToDayRange(in.dates(), "dates", &ignored);
      absl::StatusOr<TeamRequest> rules =
          BuildTeamRequest(tx, stored.cycle, review.host().value(), dates, review.review_id());
      if (!rules.ok()) return rules.status();
      std::vector<PreconditionViolation> problems;
      std::vector<std::string> so_far;
      for (const auto& m : in.team()) {
        std::string problem = TeamMemberProblem(*rules, m.value(), so_far);
        if (problem.empty() && !IsParticipant(stored.cycle, m.value())) problem = "is not a participant of the cycle";
        if (!problem.empty()) problems.push_back({"TEAM_MEMBER", absl::StrCat("la/", m.value()), problem});
        so_far.push_back(m.value());
      }
      if (!problems.empty()) {
        return FailedPreconditionError(absl::StrCat(problems.size(), " team member(s) cannot serve"), problems);
      }
      review.set_scope(in.scope());
      *review.mutable_dates() = in.dates();
      review.set_location(in.location());
      *review.mutable_team() = in.team();
      review.set_team_rationale("Team set by the regional admin.");
      Touch(call, review);
      check = ReviewRecordsStore::PutReview(tx, review);
      if (!check.ok()) return check;
      *response->mutable_review() = review;
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::AdvanceThematicReview(
    grpc::CallbackServerContext* context, const v1::AdvanceThematicReviewRequest* request,
    v1::AdvanceThematicReviewResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kAdvanceThematicReview,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    CheckId(request->review_id(), "review_id", &v);
    const auto target = request->target_state();
    if (target != v1::THEMATIC_REVIEW_STATE_CONFIRMED && target != v1::THEMATIC_REVIEW_STATE_COMPLETED &&
        target != v1::THEMATIC_REVIEW_STATE_CANCELLED) {
      v.Add("target_state", "must be CONFIRMED, COMPLETED or CANCELLED");
    }
    CheckText(request->note(), "note", TextRule{500, true, false}, &v);
    if (!v.empty()) return v.ToStatus();
    const absl::CivilDay today = TodayInEngland();
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      auto loaded = LoadReview(tx, call, request->review_id());
      if (!loaded.ok()) return loaded.status();
      v1::ThematicReview& review = loaded->first;
      const Principal& p = call.principal();
      if (!p.HasRole(Role::kRegionalAdmin) &&
          (target != v1::THEMATIC_REVIEW_STATE_CANCELLED || p.la_code != review.host().value())) {
        return PermissionDenied("only the regional admin moves a review; the host may cancel its own request", "NOT_PARTY");
      }
      absl::Status check = CheckExpectedVersion(absl::StrCat("thematic review ", review.review_id()), review.version(), request->expected_version());
      if (!check.ok()) return check;
      const bool forward =
          (review.state() == v1::THEMATIC_REVIEW_STATE_PROPOSED && target != v1::THEMATIC_REVIEW_STATE_COMPLETED) ||
          (review.state() == v1::THEMATIC_REVIEW_STATE_CONFIRMED && target != v1::THEMATIC_REVIEW_STATE_CONFIRMED);
      if (!forward) {
        FieldViolations backwards;
        backwards.Add("target_state", absl::StrCat("is not a forward move from ",
                                                   v1::ThematicReviewState_Name(review.state())));
        return backwards.ToStatus();
      }
      const std::string subject = absl::StrCat("review/", review.review_id());
      if (target == v1::THEMATIC_REVIEW_STATE_CONFIRMED && review.team_size() < review.reviewer_count()) {
        return FailedPreconditionError(
            absl::StrCat("the team has ", review.team_size(), " of ", review.reviewer_count(), " LAs"),
            {{"TEAM", subject, "the team is incomplete"}});
      }
      FieldViolations ignored;
      const DayRange dates = ToDayRange(review.dates(), "dates", &ignored);
      if (target == v1::THEMATIC_REVIEW_STATE_COMPLETED && dates.set && dates.start > today) {
        return FailedPreconditionError(
            absl::StrCat("the review starts on ", FormatCivilDate(dates.start), ", after today"),
            {{"DATE", subject, "a review is COMPLETED on or after its start date"}});
      }
      review.set_state(target);
      Touch(call, review);
      check = ReviewRecordsStore::PutReview(tx, review);
      if (!check.ok()) return check;
      *response->mutable_review() = review;
      return absl::OkStatus();
    });
  });
}

}  // namespace slihub::peerreview
