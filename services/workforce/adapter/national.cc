// Federation of the workforce service: LookupWorkerFacts (what other regions' hubs ask this one)
// and the national fan-out that asks them (AskOtherRegions), with the conversions between the
// lookup's minimal facts and the domain's periods and checks.
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

// A peer's answer as domain facts of `region`. A period whose LA is unknown here or whose dates
// do not read is left out (MergeRegionFacts then keeps only `region`'s LAs' periods), as is a
// check with an unreadable time or status.
RegionFacts FromFacts(const std::string& region, const pb::LookupWorkerFactsResponse& in,
                      const std::string& swe, const ReferenceData& refdata) {
  RegionFacts out;
  out.region = region;
  for (const pb::WorkerFactPeriod& f : in.periods()) {
    const LocalAuthorityRecord* la = refdata.FindLocalAuthority(f.la_code().value());
    if (la == nullptr || f.employment_type() < 0 || f.employment_type() > kMaxEmploymentType ||
        f.job_type() < 0 || f.job_type() > kMaxJobType || f.leaving_reason() < 0 ||
        f.leaving_reason() > kMaxLeavingReason) {
      continue;
    }
    FieldViolations ignored;
    std::optional<absl::CivilDay> start =
        ReadDate(f.start_date(), f.has_start_date(), "start_date", &ignored);
    std::optional<absl::CivilDay> end =
        ReadOptionalDate(f.end_date(), f.has_end_date(), "end_date", &ignored);
    if (!start.has_value() || !ignored.empty() || (end.has_value() && *end < *start)) continue;
    EmploymentPeriod p;
    p.record_id = f.record_id();
    p.swe_number = swe;
    p.la_code = la->la_code;
    p.region = la->region_code;
    p.employment_type = static_cast<EmploymentType>(f.employment_type());
    p.job_type = static_cast<JobType>(f.job_type());
    p.start_date = *start;
    p.end_date = end;
    p.leaving_reason = static_cast<LeavingReason>(f.leaving_reason());
    p.child_and_family = f.child_and_family();
    p.asye = f.asye();
    out.periods.push_back(std::move(p));
  }
  for (const pb::WorkerFactCheck& f : in.register_checks()) {
    absl::StatusOr<absl::Time> at = FromProtoTimestamp(f.checked_at());
    if (!at.ok() || f.status() <= 0 || f.status() > kMaxRegisterStatus) continue;
    RegisterCheck c;
    c.check_id = f.check_id();
    c.swe_number = swe;
    c.status = static_cast<RegisterStatus>(f.status());
    c.checked_at = *at;
    c.checked_by = absl::StrCat("the ", region, " hub");
    c.source = f.source();
    c.recorder_la = f.recorder_la();
    for (int i = 0; i < f.condition_count() && i < 100; ++i) {
      c.conditions.push_back(absl::StrCat("a condition of practice recorded at ", region));
    }
    out.register_checks.push_back(std::move(c));
  }
  return out;
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
  // The owner's side: every committed change to a worker's history reaches the peers' caches.
  context_.federation->change_log().Follow(context_.database, kWorkerHistoryChannel);
  for (const std::string& region : context_.federation->peers().Regions()) {
    peer_stubs_.emplace(region,
                        v1::WorkforceService::NewStub(context_.federation->peers().Channel(region)));
  }
}

WorkforceServiceImpl::NationalFacts WorkforceServiceImpl::AskOtherRegions(
    const std::string& swe) const {
  NationalFacts out;
  const absl::Time now = absl::Now();
  if (context_.federation == nullptr) {
    out.outcomes = OwnRegionOnly(context_.config->hub_region, OtherRegions(),
                                 cpb::REGION_SCOPE_NATIONAL, "this hub has no federation", now);
    for (size_t i = 1; i < out.outcomes.size(); ++i) {
      out.missing_regions.push_back(out.outcomes[i].region);
    }
    return out;
  }
  federation::Federation& fed = *context_.federation;
  out.outcomes.push_back(federation::LocalOutcome(fed.hub_region(), now));
  federation::StartCall<pb::LookupWorkerFactsResponse> start =
      [this, swe](const std::string& region, grpc::ClientContext* ctx,
                  pb::LookupWorkerFactsResponse* reply, std::function<void(grpc::Status)> done) {
        auto stub = peer_stubs_.find(region);
        if (stub == peer_stubs_.end()) {
          done(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                            absl::StrCat("no peer hub is configured for ", region)));
          return;
        }
        auto request = std::make_shared<pb::LookupWorkerFactsRequest>();
        request->set_swe_number(swe);
        stub->second->async()->LookupWorkerFacts(
            ctx, request.get(), reply,
            [request, done = std::move(done)](grpc::Status status) { done(status); });
      };
  auto parts = fed.Ask<pb::LookupWorkerFactsResponse>(
      fed.other_regions(), federation::FeedKey(kWorkerHistoryChannel, swe), std::move(start));
  for (auto& part : parts) {
    if (part.outcome.has_answer() && part.reply.has_value()) {
      out.answered.push_back(
          FromFacts(part.outcome.region, *part.reply, swe, *context_.reference_data));
    } else {
      out.missing_regions.push_back(part.outcome.region);
    }
    out.outcomes.push_back(std::move(part.outcome));
  }
  return out;
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
