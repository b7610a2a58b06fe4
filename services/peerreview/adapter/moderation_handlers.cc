// PeerReviewService's moderation handlers: the regional admin assigns a moderating LA; its peer
// reviewer (the named moderator when set) comments on and completes the moderation.
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/server/idempotency.h"
#include "common/server/proto_time.h"
#include "common/server/request_fields.h"
#include "services/peerreview/adapter/handler_support.h"
#include "services/peerreview/adapter/peerreview_methods.h"
#include "services/peerreview/adapter/peerreview_service.h"

namespace slihub::peerreview {
namespace {

struct Loaded {
  StoredCycle cycle;
  v1::SelfAssessment sa;
  int64_t content_version = 0;
};

absl::StatusOr<Loaded> LoadAssessment(store::Transaction& tx, const CallInfo& call,
                                      const std::string& cycle_id, const std::string& la,
                                      int64_t expected_version) {
  absl::StatusOr<StoredCycle> cycle = LoadCycleOfRegion(tx, call.principal(), cycle_id);
  if (!cycle.ok()) return cycle.status();
  auto found = PeerReviewStore::GetSelfAssessment(tx, cycle_id, la);
  if (!found.ok()) return found.status();
  if (!found->has_value()) {
    return absl::NotFoundError(absl::StrCat("cycle ", cycle_id, " has no self-assessment for ", la));
  }
  if (expected_version != 0 && expected_version != (*found)->first.version()) {
    return absl::AbortedError(absl::StrCat("the self-assessment is at version ", (*found)->first.version(),
                                           ", not ", expected_version, ": read it again"));
  }
  return Loaded{*std::move(cycle), (*found)->first, (*found)->second};
}

// The caller is the regional admin, or a peer reviewer of the moderating LA (the named moderator
// when one is set). FAILED_PRECONDITION when no moderator is assigned or the state is not SUBMITTED.
absl::Status CheckModerator(const Principal& p, const v1::SelfAssessment& sa) {
  const std::string subject = absl::StrCat("cycle/", sa.cycle_id(), "/la/", sa.la_code().value());
  if (sa.moderator_la().value().empty()) {
    return FailedPreconditionError("no moderator is assigned", {{"MODERATOR", subject, "no moderator assigned"}});
  }
  if (!p.HasRole(Role::kRegionalAdmin)) {
    const bool named = !sa.moderator_subject().empty();
    if (p.la_code != sa.moderator_la().value() || (named && p.subject != sa.moderator_subject())) {
      absl::Status status = absl::PermissionDeniedError("only the assigned moderator may moderate");
      SetErrorInfo(status, "NOT_MODERATOR");
      return status;
    }
  }
  if (sa.state() != v1::SELF_ASSESSMENT_STATE_SUBMITTED) {
    return FailedPreconditionError(
        absl::StrCat("the self-assessment is ", v1::SelfAssessmentState_Name(sa.state()), ", not SUBMITTED"),
        {{"STATE", subject, "only a SUBMITTED self-assessment is moderated"}});
  }
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* PeerReviewServiceImpl::AssignModerator(
    grpc::CallbackServerContext* context, const v1::AssignModeratorRequest* request,
    v1::AssignModeratorResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kAssignModerator,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    CheckKeys(*context_.reference_data, context_.config->hub_region, request->cycle_id(),
              request->la_code().value(), &v);
    ReadLaOfRegion(*context_.reference_data, request->moderator_la().value(),
                   context_.config->hub_region, "moderator_la.value", &v);
    if (request->moderator_la().value() == request->la_code().value()) {
      v.Add("moderator_la.value", "must be another LA: an LA never moderates itself");
    }
    CheckText(request->moderator_subject(), "moderator_subject", TextRule{200, false, false}, &v);
    if (!v.empty()) return v.ToStatus();
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<Loaded> loaded = LoadAssessment(tx, call, request->cycle_id(),
                                                     request->la_code().value(), request->expected_version());
      if (!loaded.ok()) return loaded.status();
      if (!IsParticipant(loaded->cycle.cycle, request->moderator_la().value())) {
        FieldViolations not_participant;
        not_participant.Add("moderator_la.value", "is not a participant of the cycle");
        return not_participant.ToStatus();
      }
      const std::string subject = absl::StrCat("cycle/", request->cycle_id(), "/la/", request->la_code().value());
      if (loaded->sa.state() >= v1::SELF_ASSESSMENT_STATE_MODERATED) {
        return FailedPreconditionError("the self-assessment is already moderated",
                                       {{"STATE", subject, "already MODERATED"}});
      }
      if (loaded->cycle.cycle.state() > v1::CYCLE_STATE_MODERATION) {
        return FailedPreconditionError("the cycle is past MODERATION",
                                       {{"STATE", absl::StrCat("cycle/", request->cycle_id()), "cycle past MODERATION"}});
      }
      v1::SelfAssessment& sa = loaded->sa;
      *sa.mutable_moderator_la() = request->moderator_la();
      sa.set_moderator_subject(request->moderator_subject());
      Touch(call, sa);
      absl::Status put = PeerReviewStore::PutSelfAssessment(tx, sa, loaded->content_version);
      if (!put.ok()) return put;
      *response->mutable_self_assessment() = sa;
      response->mutable_self_assessment()->clear_content();
      response->mutable_self_assessment()->clear_moderation_comments();
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::AddModerationComment(
    grpc::CallbackServerContext* context, const v1::AddModerationCommentRequest* request,
    v1::AddModerationCommentResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kAddModerationComment,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    CheckKeys(*context_.reference_data, context_.config->hub_region, request->cycle_id(),
              request->la_code().value(), &v);
    if (!v1::JudgementArea_IsValid(request->area())) v.Add("area", "is not a JudgementArea value");
    CheckText(request->text(), "text", TextRule{10000, true, true}, &v);
    if (!v.empty()) return v.ToStatus();
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<Loaded> loaded =
          LoadAssessment(tx, call, request->cycle_id(), request->la_code().value(), 0);
      if (!loaded.ok()) return loaded.status();
      v1::SelfAssessment& sa = loaded->sa;
      absl::Status check = CheckModerator(call.principal(), sa);
      if (!check.ok()) return check;
      v1::ModerationComment* comment = sa.add_moderation_comments();
      comment->set_comment_id(absl::StrCat("C", sa.moderation_comments_size()));
      comment->set_area(request->area());
      comment->set_text(request->text());
      *comment->mutable_moderator_la() = sa.moderator_la();
      comment->set_author(call.principal().subject);
      *comment->mutable_create_time() = ToProtoTimestamp(absl::Now());
      Touch(call, sa);
      check = PeerReviewStore::PutSelfAssessment(tx, sa, loaded->content_version);
      if (!check.ok()) return check;
      *response->mutable_comment() = *comment;
      response->set_version(sa.version());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::CompleteModeration(
    grpc::CallbackServerContext* context, const v1::CompleteModerationRequest* request,
    v1::CompleteModerationResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kCompleteModeration,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    CheckKeys(*context_.reference_data, context_.config->hub_region, request->cycle_id(),
              request->la_code().value(), &v);
    if (!v.empty()) return v.ToStatus();
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<Loaded> loaded = LoadAssessment(tx, call, request->cycle_id(),
                                                     request->la_code().value(), request->expected_version());
      if (!loaded.ok()) return loaded.status();
      v1::SelfAssessment& sa = loaded->sa;
      absl::Status check = CheckModerator(call.principal(), sa);
      if (!check.ok()) return check;
      sa.set_state(v1::SELF_ASSESSMENT_STATE_MODERATED);
      *sa.mutable_moderate_time() = ToProtoTimestamp(absl::Now());
      Touch(call, sa);
      check = PeerReviewStore::PutSelfAssessment(tx, sa, loaded->content_version);
      if (!check.ok()) return check;
      *response->mutable_self_assessment() = sa;
      response->mutable_self_assessment()->clear_content();
      response->mutable_self_assessment()->clear_moderation_comments();
      return absl::OkStatus();
    });
  });
}

}  // namespace slihub::peerreview
