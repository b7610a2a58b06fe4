// PeerReviewService's self-assessment handlers: read (by the LA, its moderator, its group, the
// regional admin), replace a draft's content, sign off, submit.
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/server/idempotency.h"
#include "common/server/paging.h"
#include "common/server/proto_time.h"
#include "common/server/request_fields.h"
#include "services/peerreview/adapter/handler_support.h"
#include "services/peerreview/adapter/peerreview_methods.h"
#include "services/peerreview/adapter/peerreview_service.h"
#include "services/peerreview/domain/self_assessment_rules.h"

namespace slihub::peerreview {
namespace {

using StoredAssessment = std::pair<v1::SelfAssessment, int64_t>;

bool SameGroup(const v1::Cycle& cycle, const std::string& a, const std::string& b) {
  for (const v1::Group& group : cycle.groups()) {
    int found = 0;
    for (const auto& m : group.members()) found += m.value() == a || m.value() == b;
    if (found == 2) return true;
  }
  return false;
}

bool MayRead(const Principal& p, const v1::Cycle& cycle, const v1::SelfAssessment& sa) {
  if (p.HasRole(Role::kRegionalAdmin)) return true;
  if (!p.HasRole(Role::kPeerReviewer) || p.la_code.empty()) return false;
  const std::string& la = sa.la_code().value();
  return p.la_code == la || sa.moderator_la().value() == p.la_code || SameGroup(cycle, p.la_code, la);
}

void ApplyView(v1::SelfAssessmentView view, v1::SelfAssessment* sa) {
  if (view != v1::SELF_ASSESSMENT_VIEW_FULL) {
    sa->clear_content();
    sa->clear_moderation_comments();
  }
}

// Free text of at most `limit` characters, lines allowed (request_fields.h CheckText).
void CheckLongText(const std::string& text, size_t limit, const std::string& field,
                   FieldViolations* v) {
  CheckText(text, field, TextRule{limit, true, false}, v);
}

void CheckThemeIds(const google::protobuf::RepeatedPtrField<std::string>& ids,
                   const std::set<std::string>& themes, const std::string& field, FieldViolations* v) {
  for (int k = 0; k < ids.size(); ++k) {
    if (themes.count(ids[k]) == 0) {
      v->Add(absl::StrCat(field, "[", k, "]"), absl::StrCat("'", ids[k], "' is not a theme of the cycle"));
    }
  }
}

// Field checks of a draft's content against the cycle's theme list.
void CheckContent(const v1::SelfAssessmentContent& c, const std::set<std::string>& themes,
                  FieldViolations* v) {
  std::set<int> areas;
  for (int i = 0; i < c.sections_size(); ++i) {
    const v1::JudgementSection& s = c.sections(i);
    const std::string at = absl::StrCat("content.sections[", i, "]");
    if (s.area() == v1::JUDGEMENT_AREA_UNSPECIFIED || !v1::JudgementArea_IsValid(s.area())) {
      v->Add(at + ".area", "must be a judgement area");
    } else if (!areas.insert(s.area()).second) {
      v->Add(at + ".area", "has a section already: one section per area");
    }
    if (!v1::OfstedGrade_IsValid(s.self_grade())) v->Add(at + ".self_grade", "is not an OfstedGrade value");
    CheckLongText(s.narrative(), 20000, at + ".narrative", v);
    for (const auto& [list, name] : {std::make_pair(&s.strengths(), "strengths"),
                                     std::make_pair(&s.areas_for_development(), "areas_for_development")}) {
      for (int j = 0; j < list->size(); ++j) {
        const std::string item = absl::StrCat(at, ".", name, "[", j, "]");
        CheckLongText((*list)[j].text(), 4000, item + ".text", v);
        CheckThemeIds((*list)[j].theme_ids(), themes, item + ".theme_ids", v);
      }
    }
    for (int j = 0; j < s.evidence_size(); ++j) {
      CheckLongText(s.evidence(j).title(), 500, absl::StrCat(at, ".evidence[", j, "].title"), v);
      CheckLongText(s.evidence(j).description(), 4000,
                    absl::StrCat(at, ".evidence[", j, "].description"), v);
    }
  }
  CheckLongText(c.ofsted_questions().what_do_you_know(), 20000,
                "content.ofsted_questions.what_do_you_know", v);
  CheckLongText(c.ofsted_questions().how_do_you_know(), 20000,
                "content.ofsted_questions.how_do_you_know", v);
  CheckLongText(c.ofsted_questions().what_are_your_plans(), 20000,
            "content.ofsted_questions.what_are_your_plans", v);
  for (int i = 0; i < c.priorities_size(); ++i) {
    const std::string at = absl::StrCat("content.priorities[", i, "]");
    if (c.priorities(i).title().empty()) v->Add(at + ".title", "is required");
    CheckLongText(c.priorities(i).title(), 500, at + ".title", v);
    CheckLongText(c.priorities(i).description(), 4000, at + ".description", v);
    if (c.priorities(i).theme_ids().empty()) v->Add(at + ".theme_ids", "needs at least one theme");
    CheckThemeIds(c.priorities(i).theme_ids(), themes, at + ".theme_ids", v);
  }
  for (int i = 0; i < c.asks_and_offers_size(); ++i) {
    const v1::AskOrOffer& a = c.asks_and_offers(i);
    const std::string at = absl::StrCat("content.asks_and_offers[", i, "]");
    if (a.kind() == v1::ASK_OFFER_KIND_UNSPECIFIED || !v1::AskOfferKind_IsValid(a.kind())) {
      v->Add(at + ".kind", "must be ASK or OFFER");
    }
    if (themes.count(a.theme_id()) == 0) v->Add(at + ".theme_id", "is not a theme of the cycle");
    CheckLongText(a.text(), 4000, at + ".text", v);
  }
}

SubmissionFacts Facts(const v1::SelfAssessment& sa, int64_t content_version) {
  SubmissionFacts f;
  f.content_version = content_version;
  for (const auto& s : sa.content().sections()) {
    f.sections.insert(static_cast<Area>(s.area()));
    if (s.self_grade() != v1::OFSTED_GRADE_UNSPECIFIED) f.graded.insert(static_cast<Area>(s.area()));
  }
  const auto& q = sa.content().ofsted_questions();
  f.knows = !q.what_do_you_know().empty();
  f.how = !q.how_do_you_know().empty();
  f.plans = !q.what_are_your_plans().empty();
  for (const auto& s : sa.sign_offs()) f.sign_offs[static_cast<Signatory>(s.signatory_role())] = s.signed_version();
  return f;
}

// Loads a DRAFT the caller's LA may change, in a cycle in SELF_ASSESSMENT, at `expected_version`.
absl::StatusOr<std::pair<StoredCycle, StoredAssessment>> LoadDraft(
    store::Transaction& tx, const CallInfo& call, const std::string& cycle_id, const std::string& la,
    int64_t expected_version) {
  absl::StatusOr<StoredCycle> cycle = LoadCycleOfRegion(tx, call.principal(), cycle_id);
  if (!cycle.ok()) return cycle.status();
  absl::StatusOr<std::optional<StoredAssessment>> found = PeerReviewStore::GetSelfAssessment(tx, cycle_id, la);
  if (!found.ok()) return found.status();
  if (!found->has_value()) {
    return absl::NotFoundError(absl::StrCat("cycle ", cycle_id, " has no self-assessment for ", la));
  }
  const v1::SelfAssessment& sa = (*found)->first;
  const std::string subject = absl::StrCat("cycle/", cycle_id, "/la/", la);
  if (expected_version != 0 && expected_version != sa.version()) {
    return absl::AbortedError(absl::StrCat("the self-assessment is at version ", sa.version(), ", not ",
                                           expected_version, ": read it again"));
  }
  if (sa.state() != v1::SELF_ASSESSMENT_STATE_DRAFT) {
    return FailedPreconditionError(
        absl::StrCat("the self-assessment of ", la, " is ", v1::SelfAssessmentState_Name(sa.state()),
                     ", not DRAFT"),
        {{"STATE", subject, "only a DRAFT can change"}});
  }
  if (cycle->cycle.state() != v1::CYCLE_STATE_SELF_ASSESSMENT) {
    return FailedPreconditionError(
        absl::StrCat("cycle ", cycle_id, " is in ", v1::CycleState_Name(cycle->cycle.state()),
                     ", not SELF_ASSESSMENT"),
        {{"STATE", absl::StrCat("cycle/", cycle_id), "self-assessments change only in SELF_ASSESSMENT"}});
  }
  return std::make_pair(*std::move(cycle), **std::move(found));
}

}  // namespace

grpc::ServerUnaryReactor* PeerReviewServiceImpl::GetSelfAssessment(
    grpc::CallbackServerContext* context, const v1::GetSelfAssessmentRequest* request,
    v1::GetSelfAssessmentResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kGetSelfAssessment,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckKeys(*context_.reference_data, context_.config->hub_region, request->cycle_id(),
              request->la_code().value(), &v);
    if (!v1::SelfAssessmentView_IsValid(request->view())) v.Add("view", "is not a SelfAssessmentView value");
    if (!v.empty()) return v.ToStatus();
    return context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<StoredCycle> cycle = LoadCycleOfRegion(tx, call.principal(), request->cycle_id());
      if (!cycle.ok()) return cycle.status();
      absl::StatusOr<std::optional<StoredAssessment>> found =
          PeerReviewStore::GetSelfAssessment(tx, request->cycle_id(), request->la_code().value());
      if (!found.ok()) return found.status();
      if (!found->has_value()) {
        return absl::NotFoundError(absl::StrCat("cycle ", request->cycle_id(), " has no self-assessment for ",
                                                request->la_code().value()));
      }
      if (!MayRead(call.principal(), cycle->cycle, (*found)->first)) {
        return absl::PermissionDeniedError(
            "only the LA, its moderator, its group and the regional admin may read a self-assessment");
      }
      *response->mutable_self_assessment() = std::move((*found)->first);
      ApplyView(request->view(), response->mutable_self_assessment());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::ListSelfAssessments(
    grpc::CallbackServerContext* context, const v1::ListSelfAssessmentsRequest* request,
    v1::ListSelfAssessmentsResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kListSelfAssessments,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckId(request->cycle_id(), "cycle_id", &v);
    for (int i = 0; i < request->states_size(); ++i) {
      if (!v1::SelfAssessmentState_IsValid(request->states(i))) {
        v.Add(absl::StrCat("states[", i, "]"), "is not a SelfAssessmentState value");
      }
    }
    if (!v1::SelfAssessmentView_IsValid(request->view())) v.Add("view", "is not a SelfAssessmentView value");
    const int size = ResolvePageSize(request->page().page_size(), "page.page_size", &v);
    const std::string list = absl::StrCat("self_assessments/", request->cycle_id());
    const std::string after = DecodePageToken(list, request->page().page_token(), "page.page_token", &v);
    if (!v.empty()) return v.ToStatus();
    const std::set<int> states(request->states().begin(), request->states().end());
    return context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<StoredCycle> cycle = LoadCycleOfRegion(tx, call.principal(), request->cycle_id());
      if (!cycle.ok()) return cycle.status();
      absl::StatusOr<std::vector<v1::SelfAssessment>> all =
          PeerReviewStore::ListSelfAssessments(tx, request->cycle_id(), after);
      if (!all.ok()) return all.status();
      for (v1::SelfAssessment& sa : *all) {
        if (!MayRead(call.principal(), cycle->cycle, sa)) continue;
        if (!states.empty() && states.count(sa.state()) == 0) continue;
        if (response->self_assessments_size() == size) {
          const auto& last = response->self_assessments(size - 1).la_code().value();
          response->mutable_page()->set_next_page_token(EncodePageToken(list, last));
          break;
        }
        ApplyView(request->view(), &sa);
        *response->add_self_assessments() = std::move(sa);
      }
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::UpdateSelfAssessment(
    grpc::CallbackServerContext* context, const v1::UpdateSelfAssessmentRequest* request,
    v1::UpdateSelfAssessmentResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kUpdateSelfAssessment,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    const LocalAuthorityRecord* la_record =
        CheckKeys(*context_.reference_data, context_.config->hub_region, request->cycle_id(),
                  request->la_code().value(), &v);
    if (!v.empty()) return v.ToStatus();
    const std::string& la = request->la_code().value();
    if (absl::Status own = call.ActsForLa(*la_record); !own.ok()) return own;
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      auto draft = LoadDraft(tx, call, request->cycle_id(), la, request->expected_version());
      if (!draft.ok()) return draft.status();
      std::set<std::string> themes;
      for (const auto& t : draft->first.cycle.themes()) themes.insert(t.theme_id());
      FieldViolations content;
      CheckContent(request->content(), themes, &content);
      if (!content.empty()) return content.ToStatus();
      v1::SelfAssessment& sa = draft->second.first;
      *sa.mutable_content() = request->content();
      sa.clear_sign_offs();
      Touch(call, sa);
      absl::Status put = PeerReviewStore::PutSelfAssessment(tx, sa, sa.version());
      if (!put.ok()) return put;
      *response->mutable_self_assessment() = sa;
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::SignOffSelfAssessment(
    grpc::CallbackServerContext* context, const v1::SignOffSelfAssessmentRequest* request,
    v1::SignOffSelfAssessmentResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kSignOffSelfAssessment,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    const LocalAuthorityRecord* la_record =
        CheckKeys(*context_.reference_data, context_.config->hub_region, request->cycle_id(),
                  request->la_code().value(), &v);
    if (request->signatory_role() == v1::SIGNATORY_ROLE_UNSPECIFIED ||
        !v1::SignatoryRole_IsValid(request->signatory_role())) {
      v.Add("signatory_role", "must be DCS, CHIEF_EXECUTIVE or LEAD_MEMBER");
    }
    CheckText(request->signatory_name(), "signatory_name", kRequiredShortText, &v);
    if (request->expected_version() <= 0) {
      v.Add("expected_version", "is required: the version the signatory read");
    }
    if (!v.empty()) return v.ToStatus();
    const std::string& la = request->la_code().value();
    if (absl::Status own = call.ActsForLa(*la_record); !own.ok()) return own;
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      auto draft = LoadDraft(tx, call, request->cycle_id(), la, request->expected_version());
      if (!draft.ok()) return draft.status();
      v1::SelfAssessment& sa = draft->second.first;
      auto* sign_offs = sa.mutable_sign_offs();
      for (int i = sign_offs->size() - 1; i >= 0; --i) {
        if ((*sign_offs)[i].signatory_role() == request->signatory_role()) sign_offs->DeleteSubrange(i, 1);
      }
      v1::SignOff* sign_off = sa.add_sign_offs();
      sign_off->set_signatory_role(request->signatory_role());
      sign_off->set_signatory_name(request->signatory_name());
      sign_off->set_signed_by(call.principal().subject);
      *sign_off->mutable_sign_time() = ToProtoTimestamp(absl::Now());
      sign_off->set_signed_version(sa.version());
      Touch(call, sa);
      absl::Status put = PeerReviewStore::PutSelfAssessment(tx, sa, draft->second.second);
      if (!put.ok()) return put;
      *response->mutable_self_assessment() = sa;
      ApplyView(v1::SELF_ASSESSMENT_VIEW_BASIC, response->mutable_self_assessment());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::SubmitSelfAssessment(
    grpc::CallbackServerContext* context, const v1::SubmitSelfAssessmentRequest* request,
    v1::SubmitSelfAssessmentResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kSubmitSelfAssessment,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    const LocalAuthorityRecord* la_record =
        CheckKeys(*context_.reference_data, context_.config->hub_region, request->cycle_id(),
                  request->la_code().value(), &v);
    if (!v.empty()) return v.ToStatus();
    const std::string& la = request->la_code().value();
    if (absl::Status own = call.ActsForLa(*la_record); !own.ok()) return own;
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      auto draft = LoadDraft(tx, call, request->cycle_id(), la, request->expected_version());
      if (!draft.ok()) return draft.status();
      v1::SelfAssessment& sa = draft->second.first;
      const std::vector<PreconditionViolation> missing = CheckSubmission(
          absl::StrCat("cycle/", request->cycle_id(), "/la/", la), Facts(sa, draft->second.second));
      if (!missing.empty()) {
        return FailedPreconditionError(
            absl::StrCat("the self-assessment of ", la, " cannot be submitted: ", missing.size(),
                         " item(s) outstanding, first: ", missing[0].description),
            missing);
      }
      sa.set_state(v1::SELF_ASSESSMENT_STATE_SUBMITTED);
      *sa.mutable_submit_time() = ToProtoTimestamp(absl::Now());
      Touch(call, sa);
      absl::Status put = PeerReviewStore::PutSelfAssessment(tx, sa, draft->second.second);
      if (!put.ok()) return put;
      *response->mutable_self_assessment() = sa;
      ApplyView(v1::SELF_ASSESSMENT_VIEW_BASIC, response->mutable_self_assessment());
      return absl::OkStatus();
    });
  });
}

}  // namespace slihub::peerreview
