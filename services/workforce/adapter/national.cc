// Federation of the workforce service: LookupWorkerFacts and LookupComplianceSummary (what other
// regions' hubs ask this one) and the national fan-out that asks them (AskOtherRegions, through
// the WorkforceHubConnection; the merge itself is in national_merge.cc).
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/federation/change_log.h"
#include "common/federation/federation.h"
#include "common/server/proto_time.h"
#include "common/server/request_fields.h"
#include "services/workforce/adapter/call_helpers.h"
#include "services/workforce/adapter/convert.h"
#include "services/workforce/adapter/workforce_methods.h"
#include "services/workforce/adapter/workforce_service.h"
#include "services/workforce/store/workforce_store.h"

namespace slihub::workforce {
namespace {

void ToFact(const EmploymentPeriod& p, pb::WorkerFactPeriod* out) {
  out->mutable_la_code()->set_value(p.la_code);
  out->mutable_region()->set_value(p.region);
  out->set_record_id(p.record_id);
  out->set_employment_type(static_cast<pb::EmploymentType>(p.employment_type));
  out->set_job_type(static_cast<pb::JobType>(p.job_type));
  *out->mutable_start_date() = ToProtoDate(p.start_date);
  if (p.end_date.has_value()) *out->mutable_end_date() = ToProtoDate(*p.end_date);
  out->set_leaving_reason(static_cast<pb::LeavingReason>(p.leaving_reason));
  out->set_child_and_family(p.child_and_family);
  out->set_asye(p.asye);
}

void ToFact(const RegisterCheck& c, pb::WorkerFactCheck* out) {
  out->set_check_id(c.check_id);
  out->set_status(static_cast<pb::RegisterStatus>(c.status));
  *out->mutable_checked_at() = ToProtoTimestamp(c.checked_at);
  out->set_condition_count(static_cast<int32_t>(c.conditions.size()));
  out->set_source(static_cast<pb::RegisterCheckSource>(c.source));
  out->set_recorder_la(c.recorder_la);
}

}  // namespace

std::vector<std::string> WorkforceServiceImpl::OtherRegions() const {
  if (context_.federation != nullptr) return context_.federation->other_regions();
  std::vector<std::string> others;
  for (const RegionRecord& region : context_.reference_data->regions()) {
    if (region.code != context_.config->hub_region) others.push_back(region.code);
  }
  std::sort(others.begin(), others.end());
  return others;
}

void WorkforceServiceImpl::StartFederation() {
  if (context_.federation == nullptr) return;
  // The owner's side: every committed change to a worker's history, and to what a compliance
  // summary reads, reaches the peers' caches.
  context_.federation->change_log().Follow(context_.database, kWorkerHistoryChannel);
  compliance_feed_ = std::make_unique<ComplianceFeed>(&context_.federation->change_log());
  compliance_feed_->Follow(context_.database);
  hub_ = MakeWorkforceHubConnection(context_.federation);
}

NationalFacts WorkforceServiceImpl::AskOtherRegions(const std::string& swe) const {
  return GatherWorkerFacts(hub_.get(), context_.config->hub_region, OtherRegions(), swe,
                           *context_.reference_data, absl::Now());
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::LookupWorkerFacts(
    grpc::CallbackServerContext* context, const v1::LookupWorkerFactsRequest* request,
    v1::LookupWorkerFactsResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kLookupWorkerFacts,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        const std::string swe = ReadSweNumber(request->swe_number(), "swe_number", &violations);
        if (!violations.empty()) return violations.ToStatus();
        // The coherent cache when it holds the worker (a peer's burst of national checks), else
        // one read of the worker's history row.
        const store::CacheTicket ticket = histories_.Ticket(swe);
        std::shared_ptr<const WorkerHistory> history = histories_.Find(swe);
        if (history == nullptr) {
          absl::Status read =
              context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
                absl::StatusOr<std::shared_ptr<const WorkerHistory>> got =
                    histories_.LoadAndOffer(swe, ticket, [&] {
                      return WorkforceStore::ReadWorkerHistory(tx, swe);
                    });
                if (got.ok()) history = *std::move(got);
                return got.status();
              });
          if (!read.ok()) return read;
        }
        response->mutable_region()->set_value(context_.config->hub_region);
        for (const EmploymentPeriod& p : history->periods) ToFact(p, response->add_periods());
        for (const RegisterCheck& c : history->register_checks) {
          ToFact(c, response->add_register_checks());
        }
        return absl::OkStatus();
      });
}

}  // namespace slihub::workforce
