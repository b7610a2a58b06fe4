// PeerReviewService's findings handlers: record (create or replace) the findings of a held
// challenge event or a confirmed or completed thematic review, read them, and track actions.
#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
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
#include "services/peerreview/store/review_records_store.h"

namespace slihub::peerreview {
namespace {

void CheckStatements(const google::protobuf::RepeatedPtrField<v1::Statement>& list, const std::string& field,
                     FieldViolations* v) {
  for (int i = 0; i < list.size(); ++i) {
    const std::string at = absl::StrCat(field, "[", i, "]");
    if (list[i].text().empty()) v->Add(at + ".text", "is required");
    CheckText(list[i].text(), at + ".text", TextRule{4000, true, false}, v);
  }
}

// Field checks that need no stored record.
void CheckFindings(const v1::Findings& f, FieldViolations* v) {
  if (f.source() == v1::FINDINGS_SOURCE_CHALLENGE_EVENT) {
    CheckId(f.challenge_event_id(), "findings.challenge_event_id", v);
  } else if (f.source() == v1::FINDINGS_SOURCE_THEMATIC_REVIEW) {
    CheckId(f.thematic_review_id(), "findings.thematic_review_id", v);
  } else if (f.findings_id().empty()) {
    v->Add("findings.source", "must be CHALLENGE_EVENT or THEMATIC_REVIEW");
  }
  CheckText(f.summary(), "findings.summary", TextRule{20000, true, false}, v);
  CheckStatements(f.strengths(), "findings.strengths", v);
  CheckStatements(f.areas_for_development(), "findings.areas_for_development", v);
  std::set<std::string> ids;
  for (int i = 0; i < f.actions_size(); ++i) {
    const v1::Action& a = f.actions(i);
    const std::string at = absl::StrCat("findings.actions[", i, "]");
    CheckText(a.description(), at + ".description", TextRule{4000, true, true}, v);
    CheckText(a.owner(), at + ".owner", kRequiredShortText, v);
    RequiredDay(a.due_date(), at + ".due_date", v);
    if (!v1::ActionStatus_IsValid(a.status())) v->Add(at + ".status", "is not an ActionStatus value");
    CheckText(a.progress_note(), at + ".progress_note", TextRule{2000, true, false}, v);
    if (!a.action_id().empty() && !ids.insert(a.action_id()).second) v->Add(at + ".action_id", "is listed twice");
  }
}

// Theme ids of every statement and action against the cycle's list.
void CheckThemes(const v1::Findings& f, const v1::Cycle& cycle, FieldViolations* v) {
  std::set<std::string> themes;
  for (const v1::Theme& t : cycle.themes()) themes.insert(t.theme_id());
  auto check = [&](const google::protobuf::RepeatedPtrField<std::string>& ids, const std::string& at) {
    for (int k = 0; k < ids.size(); ++k) {
      if (themes.count(ids[k]) == 0) {
        v->Add(absl::StrCat(at, ".theme_ids[", k, "]"), absl::StrCat("'", ids[k], "' is not a theme of the cycle"));
      }
    }
  };
  for (int i = 0; i < f.strengths_size(); ++i) check(f.strengths(i).theme_ids(), absl::StrCat("findings.strengths[", i, "]"));
  for (int i = 0; i < f.areas_for_development_size(); ++i) {
    check(f.areas_for_development(i).theme_ids(), absl::StrCat("findings.areas_for_development[", i, "]"));
  }
  for (int i = 0; i < f.actions_size(); ++i) check(f.actions(i).theme_ids(), absl::StrCat("findings.actions[", i, "]"));
}

bool Lists(const google::protobuf::RepeatedPtrField<common::v1::LaCode>& las, const std::string& la) {
  return std::any_of(las.begin(), las.end(), [&](const common::v1::LaCode& c) { return c.value() == la; });
}

bool MayRead(const Principal& p, const v1::Findings& f) {
  return p.HasRole(Role::kRegionalAdmin) ||
         (!p.la_code.empty() && (p.la_code == f.host().value() || Lists(f.reviewers(), p.la_code)));
}

// The findings and their cycle, the caller's region checked.
absl::StatusOr<std::pair<v1::Findings, StoredCycle>> LoadFindings(store::Transaction& tx, const CallInfo& call,
                                                                  const std::string& findings_id) {
  absl::StatusOr<std::optional<v1::Findings>> found = ReviewRecordsStore::GetFindings(tx, findings_id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return absl::NotFoundError(absl::StrCat("no findings ", findings_id));
  absl::StatusOr<StoredCycle> cycle = LoadCycleOfRegion(tx, call.principal(), (*found)->cycle_id());
  if (!cycle.ok()) return cycle.status();
  return std::make_pair(**std::move(found), *std::move(cycle));
}

// Fills host, reviewers and cycle from the source, checking its state.
absl::Status FromSource(store::Transaction& tx, v1::Findings& f) {
  if (f.source() == v1::FINDINGS_SOURCE_CHALLENGE_EVENT) {
    absl::StatusOr<std::optional<v1::ChallengeEvent>> e = ReviewRecordsStore::GetEvent(tx, f.challenge_event_id());
    if (!e.ok()) return e.status();
    if (!e->has_value()) return absl::NotFoundError(absl::StrCat("no challenge event ", f.challenge_event_id()));
    const v1::ChallengeEvent& event = **e;
    if (event.state() != v1::CHALLENGE_EVENT_STATE_HELD) {
      return FailedPreconditionError(
          absl::StrCat("event ", event.event_id(), " is ", v1::ChallengeEventState_Name(event.state()), ", not HELD"),
          {{"STATE", absl::StrCat("event/", event.event_id()), "findings follow a HELD event"}});
    }
    f.set_cycle_id(event.cycle_id());
    *f.mutable_host() = event.host();
    *f.mutable_reviewers() = event.reviewers();
    f.clear_thematic_review_id();
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<v1::ThematicReview>> r = ReviewRecordsStore::GetReview(tx, f.thematic_review_id());
  if (!r.ok()) return r.status();
  if (!r->has_value()) return absl::NotFoundError(absl::StrCat("no thematic review ", f.thematic_review_id()));
  const v1::ThematicReview& review = **r;
  if (review.state() != v1::THEMATIC_REVIEW_STATE_CONFIRMED && review.state() != v1::THEMATIC_REVIEW_STATE_COMPLETED) {
    return FailedPreconditionError(
        absl::StrCat("thematic review ", review.review_id(), " is ", v1::ThematicReviewState_Name(review.state())),
        {{"STATE", absl::StrCat("review/", review.review_id()), "findings follow a CONFIRMED or COMPLETED review"}});
  }
  f.set_cycle_id(review.cycle_id());
  *f.mutable_host() = review.host();
  *f.mutable_reviewers() = review.team();
  f.clear_challenge_event_id();
  return absl::OkStatus();
}

// Keeps given action ids, numbers new ones after the highest "A<n>" in `previous` and `f`.
void AssignActionIds(const v1::Findings* previous, v1::Findings& f) {
  int64_t highest = 0;
  auto note = [&](const std::string& id) {
    int64_t n = 0;
    if (id.size() > 1 && id[0] == 'A' && absl::SimpleAtoi(id.substr(1), &n)) highest = std::max(highest, n);
  };
  if (previous != nullptr) {
    for (const v1::Action& a : previous->actions()) note(a.action_id());
  }
  for (const v1::Action& a : f.actions()) note(a.action_id());
  for (v1::Action& a : *f.mutable_actions()) {
    if (a.action_id().empty()) a.set_action_id(absl::StrCat("A", ++highest));
    if (a.status() == v1::ACTION_STATUS_UNSPECIFIED) a.set_status(v1::ACTION_STATUS_OPEN);
  }
}

void Stamp(const CallInfo& call, v1::Findings& f, const v1::Findings* previous) {
  common::v1::AuditInfo* audit = f.mutable_audit();
  if (previous != nullptr) {
    *audit = previous->audit();
  } else {
    audit->Clear();
    *audit->mutable_create_time() = ToProtoTimestamp(absl::Now());
    audit->set_created_by(call.principal().subject);
  }
  *audit->mutable_update_time() = ToProtoTimestamp(absl::Now());
  audit->set_updated_by(call.principal().subject);
  audit->set_request_id(call.request_id());
  f.set_version(previous == nullptr ? 1 : previous->version() + 1);
}

}  // namespace

grpc::ServerUnaryReactor* PeerReviewServiceImpl::RecordFindings(grpc::CallbackServerContext* context,
                                                                const v1::RecordFindingsRequest* request,
                                                                v1::RecordFindingsResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kRecordFindings,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    CheckFindings(request->findings(), &v);
    if (!v.empty()) return v.ToStatus();
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      v1::Findings f = request->findings();
      std::optional<v1::Findings> previous;
      if (!f.findings_id().empty()) {
        auto loaded = LoadFindings(tx, call, f.findings_id());
        if (!loaded.ok()) return loaded.status();
        absl::Status version = CheckExpectedVersion(absl::StrCat("findings ", loaded->first.findings_id()), loaded->first.version(), request->expected_version());
        if (!version.ok()) return version;
        previous = loaded->first;
        f.set_source(previous->source());
        f.set_challenge_event_id(previous->challenge_event_id());
        f.set_thematic_review_id(previous->thematic_review_id());
      }
      absl::Status source = FromSource(tx, f);
      if (!source.ok()) return source;
      absl::StatusOr<StoredCycle> cycle = LoadCycleOfRegion(tx, call.principal(), f.cycle_id());
      if (!cycle.ok()) return cycle.status();
      const Principal& p = call.principal();
      if (!p.HasRole(Role::kRegionalAdmin) && !Lists(f.reviewers(), p.la_code)) {
        return PermissionDenied("only a peer reviewer of a reviewing LA, or the regional admin, records findings", "NOT_PARTY");
      }
      if (cycle->cycle.state() == v1::CYCLE_STATE_CLOSED) return CycleClosed(cycle->cycle);
      FieldViolations themes;
      CheckThemes(f, cycle->cycle, &themes);
      if (!themes.empty()) return themes.ToStatus();
      if (!previous) {
        absl::StatusOr<int64_t> number = ReviewRecordsStore::NextNumber(tx, "F", f.cycle_id());
        if (!number.ok()) return number.status();
        f.set_findings_id(absl::StrCat(f.cycle_id(), "-F", *number));
      }
      AssignActionIds(previous ? &*previous : nullptr, f);
      Stamp(call, f, previous ? &*previous : nullptr);
      absl::Status check = ReviewRecordsStore::PutFindings(tx, f);
      if (absl::IsAlreadyExists(check)) {
        return absl::AlreadyExistsError(absl::StrCat(
            "findings are already recorded for this ", f.source() == v1::FINDINGS_SOURCE_CHALLENGE_EVENT
                                                           ? "event: replace them by findings_id"
                                                           : "review: replace them by findings_id"));
      }
      if (!check.ok()) return check;
      *response->mutable_findings() = f;
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::GetFindings(grpc::CallbackServerContext* context,
                                                             const v1::GetFindingsRequest* request,
                                                             v1::GetFindingsResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kGetFindings,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckId(request->findings_id(), "findings_id", &v);
    if (!v.empty()) return v.ToStatus();
    return context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      auto loaded = LoadFindings(tx, call, request->findings_id());
      if (!loaded.ok()) return loaded.status();
      if (!MayRead(call.principal(), loaded->first)) {
        return PermissionDenied("only the host, its reviewers and the regional admin read these findings", "NOT_PARTY");
      }
      *response->mutable_findings() = std::move(loaded->first);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::ListFindings(grpc::CallbackServerContext* context,
                                                              const v1::ListFindingsRequest* request,
                                                              v1::ListFindingsResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kListFindings,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckId(request->cycle_id(), "cycle_id", &v);
    const std::string& host = request->host().value();
    if (!host.empty() && !IsLaCodeSyntax(host)) v.Add("host.value", "must be a DfE three-digit LA code, e.g. 873");
    if (!v1::FindingsSource_IsValid(request->source())) v.Add("source", "is not a FindingsSource value");
    const std::string scope = absl::StrCat("findings/", request->cycle_id());
    int size = 0;
    const int offset = PageOffset(request->page(), scope, &size, &v);
    if (!v.empty()) return v.ToStatus();
    return context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<StoredCycle> cycle = LoadCycleOfRegion(tx, call.principal(), request->cycle_id());
      if (!cycle.ok()) return cycle.status();
      absl::StatusOr<std::vector<v1::Findings>> all = ReviewRecordsStore::ListFindings(tx, request->cycle_id());
      if (!all.ok()) return all.status();
      auto keep = [&](const v1::Findings& f) {
        return (host.empty() || f.host().value() == host) &&
               (request->source() == v1::FINDINGS_SOURCE_UNSPECIFIED || f.source() == request->source()) &&
               MayRead(call.principal(), f);
      };
      PageWhere(*all, keep, offset, size, scope, response->mutable_findings(), response->mutable_page());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::UpdateActionStatus(
    grpc::CallbackServerContext* context, const v1::UpdateActionStatusRequest* request,
    v1::UpdateActionStatusResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kUpdateActionStatus,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    CheckId(request->findings_id(), "findings_id", &v);
    CheckId(request->action_id(), "action_id", &v);
    if (request->status() == v1::ACTION_STATUS_UNSPECIFIED || !v1::ActionStatus_IsValid(request->status())) {
      v.Add("status", "must be OPEN, IN_PROGRESS, DONE or DROPPED");
    }
    CheckText(request->progress_note(), "progress_note", TextRule{2000, true, false}, &v);
    if (!v.empty()) return v.ToStatus();
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      auto loaded = LoadFindings(tx, call, request->findings_id());
      if (!loaded.ok()) return loaded.status();
      v1::Findings& f = loaded->first;
      const Principal& p = call.principal();
      if (!p.HasRole(Role::kRegionalAdmin) && p.la_code != f.host().value()) {
        return PermissionDenied("only the host's peer reviewer, or the regional admin, updates its actions", "NOT_PARTY");
      }
      absl::Status check = CheckExpectedVersion(absl::StrCat("findings ", f.findings_id()), f.version(), request->expected_version());
      if (!check.ok()) return check;
      auto it = std::find_if(f.mutable_actions()->begin(), f.mutable_actions()->end(),
                             [&](const v1::Action& a) { return a.action_id() == request->action_id(); });
      if (it == f.mutable_actions()->end()) {
        return absl::NotFoundError(absl::StrCat("findings ", f.findings_id(), " have no action ", request->action_id()));
      }
      it->set_status(request->status());
      it->set_progress_note(request->progress_note());
      const v1::Findings previous = f;
      Stamp(call, f, &previous);
      check = ReviewRecordsStore::PutFindings(tx, f);
      if (!check.ok()) return check;
      *response->mutable_findings() = f;
      return absl::OkStatus();
    });
  });
}

}  // namespace slihub::peerreview
