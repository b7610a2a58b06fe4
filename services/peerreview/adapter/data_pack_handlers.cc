// PeerReviewService's data pack: the host's indicators with regional comparison fetched from the
// data collection service (the last fetched ones, marked STALE, when it does not answer), its
// self-grades and priorities, its reviewers and the actions of its previous cycle's findings.
#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/server/proto_time.h"
#include "common/server/request_fields.h"
#include "services/peerreview/adapter/handler_support.h"
#include "services/peerreview/adapter/peerreview_methods.h"
#include "services/peerreview/adapter/peerreview_service.h"
#include "services/peerreview/app/data_pack_indicators.h"
#include "services/peerreview/store/review_records_store.h"

namespace slihub::peerreview {
namespace {

bool Has(const std::set<std::string>& set, const std::string& la) { return set.count(la) > 0; }

// Everything of the pack but the indicators, read in one transaction, with who may read it.
struct PackBasis {
  v1::DataPack pack;
  std::string region;
  std::set<std::string> reviewers;  // of the host's challenge and thematic reviews
};

absl::Status ReadBasis(store::Transaction& tx, const CallInfo& call, const v1::GetDataPackRequest& request,
                       PackBasis* basis) {
  absl::StatusOr<StoredCycle> stored = LoadCycleOfRegion(tx, call.principal(), request.cycle_id());
  if (!stored.ok()) return stored.status();
  const v1::Cycle& cycle = stored->cycle;
  const std::string& host = request.host().value();
  if (!IsParticipant(cycle, host)) {
    return absl::NotFoundError(absl::StrCat(host, " is not a participant of cycle ", cycle.cycle_id()));
  }
  basis->region = cycle.region().value();
  v1::DataPack& pack = basis->pack;
  pack.set_cycle_id(cycle.cycle_id());
  pack.mutable_host()->set_value(host);
  std::set<std::string> group;
  for (const v1::Group& g : cycle.groups()) {
    for (const v1::Challenge& c : g.challenges()) {
      if (c.host().value() != host) continue;
      for (const auto& r : c.reviewers()) {
        pack.add_reviewers()->set_value(r.value());
        basis->reviewers.insert(r.value());
        group.insert(r.value());
      }
    }
  }
  absl::StatusOr<std::vector<v1::ThematicReview>> reviews =
      ReviewRecordsStore::ListReviews(tx, basis->region, cycle.cycle_id());
  if (!reviews.ok()) return reviews.status();
  for (const v1::ThematicReview& r : *reviews) {
    if (r.host().value() != host) continue;
    for (const auto& m : r.team()) basis->reviewers.insert(m.value());
  }
  const Principal& p = call.principal();
  if (!p.HasRole(Role::kRegionalAdmin) && p.la_code != host && !Has(basis->reviewers, p.la_code)) {
    absl::Status status =
        absl::PermissionDeniedError("only the host, its reviewers and the regional admin read its data pack");
    SetErrorInfo(status, "NOT_PARTY");
    return status;
  }
  auto sa = PeerReviewStore::GetSelfAssessment(tx, cycle.cycle_id(), host);
  if (!sa.ok()) return sa.status();
  if (sa->has_value()) {
    const v1::SelfAssessment& assessment = (*sa)->first;
    const bool readable = p.HasRole(Role::kRegionalAdmin) || p.la_code == host || Has(group, p.la_code) ||
                          assessment.moderator_la().value() == p.la_code;
    if (readable) {
      *pack.mutable_priorities() = assessment.content().priorities();
      for (const auto& section : assessment.content().sections()) {
        v1::AreaGrade* grade = pack.add_self_grades();
        grade->set_area(section.area());
        grade->set_self_grade(section.self_grade());
      }
    }
  }
  absl::StatusOr<std::vector<v1::Cycle>> previous =
      PeerReviewStore::ListCycles(tx, basis->region, 0, cycle.year(), 1);
  if (!previous.ok()) return previous.status();
  if (!previous->empty()) {
    absl::StatusOr<std::vector<v1::Findings>> findings =
        ReviewRecordsStore::ListFindings(tx, previous->front().cycle_id());
    if (!findings.ok()) return findings.status();
    for (const v1::Findings& f : *findings) {
      if (f.host().value() != host) continue;
      for (const v1::Action& a : f.actions()) *pack.add_previous_actions() = a;
    }
  }
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* PeerReviewServiceImpl::GetDataPack(grpc::CallbackServerContext* context,
                                                             const v1::GetDataPackRequest* request,
                                                             v1::GetDataPackResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kGetDataPack,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckId(request->cycle_id(), "cycle_id", &v);
    if (!IsLaCodeSyntax(request->host().value())) v.Add("host.value", "must be a DfE three-digit LA code, e.g. 873");
    CheckText(request->period_id(), "period_id", TextRule{32, false, false}, &v);
    for (int i = 0; i < request->indicator_ids_size(); ++i) {
      if (request->indicator_ids(i).empty() || request->indicator_ids(i).size() > 64) {
        v.Add(absl::StrCat("indicator_ids[", i, "]"), "must be 1 to 64 characters");
      }
    }
    const auto scope = request->scope();
    if (scope != common::v1::REGION_SCOPE_UNSPECIFIED && scope != common::v1::REGION_SCOPE_OWN_REGION &&
        scope != common::v1::REGION_SCOPE_NATIONAL) {
      v.Add("scope", "must be OWN_REGION or NATIONAL");
    }
    if (!v.empty()) return v.ToStatus();
    PackBasis basis;
    absl::Status read = context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
      return ReadBasis(tx, call, *request, &basis);
    });
    if (!read.ok()) return read;
    v1::DataPack& pack = basis.pack;
    IndicatorQuery query{basis.region, request->host().value(), request->period_id(),
                         {request->indicator_ids().begin(), request->indicator_ids().end()},
                         scope == common::v1::REGION_SCOPE_NATIONAL
                             ? scope
                             : common::v1::REGION_SCOPE_OWN_REGION};
    absl::Status added = AddIndicators(*context_.database, datacollection_, query, &pack,
                                       response->mutable_federation());
    if (!added.ok()) return added;
    *response->mutable_data_pack() = std::move(pack);
    return absl::OkStatus();
  });
}

}  // namespace slihub::peerreview
