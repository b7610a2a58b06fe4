// PeerReviewService's UpdateCycle: replaces a cycle's name, phase dates, themes and participants'
// grades; participants change only in SETUP, themes in use stay.
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/server/idempotency.h"
#include "common/server/request_fields.h"
#include "services/peerreview/adapter/cycle_fields.h"
#include "services/peerreview/adapter/event_support.h"
#include "services/peerreview/adapter/handler_support.h"
#include "services/peerreview/adapter/peerreview_methods.h"
#include "services/peerreview/adapter/peerreview_service.h"
#include "services/peerreview/store/review_records_store.h"

namespace slihub::peerreview {
namespace {

std::set<std::string> Members(const v1::Cycle& cycle) {
  std::set<std::string> out;
  for (const auto& p : cycle.participants()) out.insert(p.la_code().value());
  return out;
}

std::string ParticipantBytes(const v1::Cycle& cycle) {
  std::string out;
  for (const auto& p : cycle.participants()) out += p.SerializeAsString();
  return out;
}

// Theme ids named by the cycle's self-assessments, findings and thematic reviews.
absl::StatusOr<std::set<std::string>> ThemesInUse(store::Transaction& tx, const v1::Cycle& cycle) {
  std::set<std::string> ids;
  absl::StatusOr<std::vector<v1::SelfAssessment>> assessments =
      PeerReviewStore::ListSelfAssessments(tx, cycle.cycle_id(), "");
  if (!assessments.ok()) return assessments.status();
  for (const v1::SelfAssessment& sa : *assessments) CollectThemeIds(sa, &ids);
  absl::StatusOr<std::vector<v1::Findings>> findings = ReviewRecordsStore::ListFindings(tx, cycle.cycle_id());
  if (!findings.ok()) return findings.status();
  for (const v1::Findings& f : *findings) CollectThemeIds(f, &ids);
  absl::StatusOr<std::vector<v1::ThematicReview>> reviews =
      ReviewRecordsStore::ListReviews(tx, cycle.region().value(), cycle.cycle_id());
  if (!reviews.ok()) return reviews.status();
  for (const v1::ThematicReview& r : *reviews) ids.insert(r.theme_id());
  return ids;
}

}  // namespace

grpc::ServerUnaryReactor* PeerReviewServiceImpl::UpdateCycle(grpc::CallbackServerContext* context,
                                                             const v1::UpdateCycleRequest* request,
                                                             v1::UpdateCycleResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kUpdateCycle,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    const v1::Cycle& in = request->cycle();
    CheckId(in.cycle_id(), "cycle.cycle_id", &v);
    CheckEditableFields(in, *context_.reference_data, context_.config->hub_region, &v);
    if (in.themes_size() == 0) v.Add("cycle.themes", "must hold at least one theme");
    if (!v.empty()) return v.ToStatus();
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<StoredCycle> stored = LoadCycleOfRegion(tx, call.principal(), in.cycle_id());
      if (!stored.ok()) return stored.status();
      v1::Cycle& cycle = stored->cycle;
      absl::Status check = CheckVersion(cycle, request->expected_version());
      if (!check.ok()) return check;
      if (cycle.state() == v1::CYCLE_STATE_CLOSED) return CycleClosed(cycle);
      const std::string subject = absl::StrCat("cycle/", cycle.cycle_id());
      std::vector<PreconditionViolation> refused;
      const bool members_changed = Members(cycle) != Members(in);
      if (members_changed && cycle.state() != v1::CYCLE_STATE_SETUP) {
        refused.push_back({"PARTICIPANTS", subject, absl::StrCat("participants change only in SETUP; the cycle is ",
                                                                 v1::CycleState_Name(cycle.state()))});
      }
      absl::StatusOr<std::set<std::string>> in_use = ThemesInUse(tx, cycle);
      if (!in_use.ok()) return in_use.status();
      std::set<std::string> kept;
      for (const v1::Theme& t : in.themes()) kept.insert(t.theme_id());
      for (const std::string& id : *in_use) {
        if (kept.count(id) == 0) refused.push_back({"THEME_IN_USE", absl::StrCat(subject, "/theme/", id),
                                                    absl::StrCat("theme '", id, "' is in use and cannot be removed")});
      }
      if (!refused.empty()) {
        return FailedPreconditionError(absl::StrCat("cycle ", cycle.cycle_id(), " cannot change this way"), refused);
      }
      v1::Cycle before = cycle;
      if (!in.name().empty()) cycle.set_name(in.name());
      *cycle.mutable_phases() = in.phases();
      *cycle.mutable_themes() = in.themes();
      SetParticipantsSorted(in, &cycle);
      if (ParticipantBytes(cycle) != ParticipantBytes(before)) {
        ++stored->inputs_version;  // grades or members feed the grouping: earlier proposals go stale
      }
      Touch(call, cycle);
      check = PeerReviewStore::UpdateCycle(tx, *stored);
      if (!check.ok()) return check;
      *response->mutable_cycle() = cycle;
      return absl::OkStatus();
    });
  });
}

}  // namespace slihub::peerreview
