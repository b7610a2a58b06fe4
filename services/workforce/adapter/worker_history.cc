// Workers and their history: GetWorker, ListWorkers, ListEmploymentPeriods,
// DeleteEmploymentPeriod and ListRegisterChecks.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/england_time.h"
#include "common/identity/tenancy.h"
#include "common/server/idempotency.h"
#include "common/server/request_fields.h"
#include "common/errors/errors.h"
#include "common/federation/federation_info.h"
#include "common/federation/region_outcome.h"
#include "common/server/paging.h"
#include "services/workforce/adapter/call_helpers.h"
#include "services/workforce/adapter/workforce_methods.h"
#include "services/workforce/adapter/convert.h"
#include "services/workforce/adapter/workforce_service.h"
#include "services/workforce/store/workforce_store.h"

namespace slihub::workforce {
namespace {

// The position after which a page resumes: an index into the (small, fully read) list.
int64_t ResumeIndex(const std::string& key) {
  int64_t index = 0;
  return absl::SimpleAtoi(key, &index) && index > 0 ? index : 0;
}

constexpr char kWorkerList[] = "workers";

// `swe`'s worker record: `period_count` periods and the newest register check, if any.
absl::Status FillWorker(store::Transaction& tx, const std::string& swe, int period_count,
                        pb::Worker* out) {
  absl::StatusOr<std::vector<StoredRegisterCheck>> checks =
      WorkforceStore::ListRegisterChecks(tx, swe);
  if (!checks.ok()) return checks.status();
  out->set_swe_number(swe);
  out->set_employment_period_count(period_count);
  if (!checks->empty()) {
    ToProto(checks->front().check, out->mutable_latest_register_check());
    ToProto(checks->front().audit, out->mutable_latest_register_check()->mutable_audit());
  }
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* WorkforceServiceImpl::GetWorker(grpc::CallbackServerContext* context,
                                                          const v1::GetWorkerRequest* request,
                                                          v1::GetWorkerResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kGetWorker,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        const std::string swe = ReadSweNumber(request->swe_number(), "swe_number", &violations);
        if (!violations.empty()) return violations.ToStatus();
        return context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
          absl::StatusOr<std::vector<EmploymentPeriod>> periods =
              WorkforceStore::ListWorkerPeriods(tx, swe);
          if (!periods.ok()) return periods.status();
          absl::Status filled = FillWorker(tx, swe, static_cast<int>(periods->size()),
                                           response->mutable_worker());
          if (!filled.ok()) return filled;
          if (periods->empty() && !response->worker().has_latest_register_check()) {
            return absl::NotFoundError(absl::StrCat("no worker ", swe));
          }
          return absl::OkStatus();
        });
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::ListWorkers(grpc::CallbackServerContext* context,
                                                            const v1::ListWorkersRequest* request,
                                                            v1::ListWorkersResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kListWorkers,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        const Principal& who = call.principal();
        const LocalAuthorityRecord* la = nullptr;
        if (request->has_la_code()) {
          la = ReadLa(*context_.reference_data, request->la_code().value(), "la_code.value", &violations);
        }
        const int page_size =
            ResolvePageSize(request->page().page_size(), "page.page_size", &violations);
        const std::string after = DecodePageToken(kWorkerList, request->page().page_token(),
                                                  "page.page_token", &violations);
        if (!violations.empty()) return violations.ToStatus();
        absl::StatusOr<std::vector<std::string>> la_codes =
            ListScope(who, la, *context_.reference_data, [&](const LocalAuthorityRecord& l) {
              return CheckActsForLa(who, l.la_code, l.region_code);
            });
        if (!la_codes.ok()) return la_codes.status();
        return context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
          int64_t total = 0;
          absl::StatusOr<std::vector<WorkerSummary>> workers =
              WorkforceStore::ListWorkers(tx, *la_codes, after, page_size + 1, &total);
          if (!workers.ok()) return workers.status();
          const bool more = static_cast<int>(workers->size()) > page_size;
          if (more) workers->resize(page_size);
          for (const WorkerSummary& w : *workers) {
            absl::Status filled = FillWorker(tx, w.swe_number, w.period_count,
                                             response->add_workers());
            if (!filled.ok()) return filled;
          }
          if (more) {
            response->mutable_page()->set_next_page_token(
                EncodePageToken(kWorkerList, workers->back().swe_number));
          }
          response->mutable_page()->set_total_size(total);
          return absl::OkStatus();
        });
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::DeleteEmploymentPeriod(
    grpc::CallbackServerContext* context, const v1::DeleteEmploymentPeriodRequest* request,
    v1::DeleteEmploymentPeriodResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kDeleteEmploymentPeriod,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        CheckRequestId(request->request_id(), "request_id", &violations);
        const LocalAuthorityRecord* la =
            ReadLa(*context_.reference_data, request->la_code().value(), "la_code.value", &violations);
        if (request->record_id().empty() || request->record_id().size() > 128) {
          violations.Add("record_id", "must be 1 to 128 characters");
        }
        if (request->version() < 0) violations.Add("version", "must not be negative");
        if (!violations.empty()) return violations.ToStatus();
        absl::Status scope = call.ActsForLa(*la);
        if (!scope.ok()) return scope;
        return RunIdempotent(
            *context_.database, call, request->request_id(), "request_id", *request, response,
            [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<std::optional<StoredPeriod>> before =
                  WorkforceStore::FindPeriod(tx, la->la_code, request->record_id());
              if (!before.ok()) return before.status();
              absl::Status deleted = WorkforceStore::DeletePeriod(
                  tx, la->la_code, request->record_id(), request->version());
              if (!deleted.ok()) return deleted;
              ToProto(**before, response->mutable_period());
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::ListEmploymentPeriods(
    grpc::CallbackServerContext* context, const v1::ListEmploymentPeriodsRequest* request,
    v1::ListEmploymentPeriodsResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kListEmploymentPeriods,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        const std::string swe = ReadSweNumber(request->swe_number(), "swe_number", &violations);
        const LocalAuthorityRecord* la = nullptr;
        if (request->has_la_code()) {
          la = ReadLa(*context_.reference_data, request->la_code().value(), "la_code.value", &violations);
        }
        const int page_size =
            ResolvePageSize(request->page().page_size(), "page.page_size", &violations);
        const std::string list = absl::StrCat("employment_periods/", swe);
        const std::string after = DecodePageToken(list, request->page().page_token(),
                                                  "page.page_token", &violations);
        if (!violations.empty()) return violations.ToStatus();
        std::vector<StoredPeriod> periods;
        absl::Status read =
            context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
              absl::StatusOr<std::vector<StoredPeriod>> got =
                  WorkforceStore::ListWorkerStoredPeriods(tx, swe);
              if (got.ok()) periods = std::move(*got);
              return got.status();
            });
        if (!read.ok()) return read;
        if (periods.empty()) return absl::NotFoundError(absl::StrCat("no worker ", swe));
        std::vector<const StoredPeriod*> matching;
        for (const StoredPeriod& p : periods) {
          if (la == nullptr || p.period.la_code == la->la_code) matching.push_back(&p);
        }
        const int64_t start = ResumeIndex(after);
        const int64_t end =
            std::min<int64_t>(static_cast<int64_t>(matching.size()), start + page_size);
        for (int64_t i = start; i < end; ++i) ToProto(*matching[i], response->add_periods());
        if (end < static_cast<int64_t>(matching.size())) {
          response->mutable_page()->set_next_page_token(EncodePageToken(list, absl::StrCat(end)));
        }
        response->mutable_page()->set_total_size(static_cast<int64_t>(matching.size()));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::ListRegisterChecks(
    grpc::CallbackServerContext* context, const v1::ListRegisterChecksRequest* request,
    v1::ListRegisterChecksResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kListRegisterChecks,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        const std::string swe = ReadSweNumber(request->swe_number(), "swe_number", &violations);
        const int page_size =
            ResolvePageSize(request->page().page_size(), "page.page_size", &violations);
        const std::string list = absl::StrCat("register_checks/", swe);
        const std::string after = DecodePageToken(list, request->page().page_token(),
                                                  "page.page_token", &violations);
        if (!violations.empty()) return violations.ToStatus();
        std::vector<StoredRegisterCheck> checks;
        absl::Status read =
            context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
              absl::StatusOr<std::vector<StoredRegisterCheck>> got =
                  WorkforceStore::ListRegisterChecks(tx, swe);
              if (got.ok()) checks = std::move(*got);
              return got.status();
            });
        if (!read.ok()) return read;
        const int64_t start = ResumeIndex(after);
        const int64_t end =
            std::min<int64_t>(static_cast<int64_t>(checks.size()), start + page_size);
        for (int64_t i = start; i < end; ++i) {
          v1::RegisterCheck* out = response->add_register_checks();
          ToProto(checks[i].check, out);
          ToProto(checks[i].audit, out->mutable_audit());
        }
        if (end < static_cast<int64_t>(checks.size())) {
          response->mutable_page()->set_next_page_token(EncodePageToken(list, absl::StrCat(end)));
        }
        response->mutable_page()->set_total_size(static_cast<int64_t>(checks.size()));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::GetQualifyingExperience(
    grpc::CallbackServerContext* context, const v1::GetQualifyingExperienceRequest* request,
    v1::GetQualifyingExperienceResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kGetQualifyingExperience,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        const std::string swe = ReadSweNumber(request->swe_number(), "swe_number", &violations);
        absl::CivilDay as_of = TodayInEngland();
        if (std::optional<absl::CivilDay> day = ReadOptionalDate(
                request->as_of(), request->has_as_of(), "as_of", &violations)) {
          as_of = *day;
        }
        const cpb::RegionScope scope = request->scope() == cpb::REGION_SCOPE_UNSPECIFIED
                                           ? cpb::REGION_SCOPE_OWN_REGION
                                           : request->scope();
        if (scope != cpb::REGION_SCOPE_OWN_REGION && scope != cpb::REGION_SCOPE_NATIONAL) {
          violations.Add("scope", "must be OWN_REGION or NATIONAL");
        }
        if (!federation::IsKnownMode(request->federation_mode())) {
          violations.Add("federation_mode", "is not a federation mode");
        }
        if (!violations.empty()) return violations.ToStatus();
        const std::string& hub = context_.config->hub_region;
        std::vector<EmploymentPeriod> periods;
        absl::Status read =
            context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
              absl::StatusOr<std::vector<EmploymentPeriod>> got =
                  WorkforceStore::ListWorkerPeriods(tx, swe);
              if (got.ok()) periods = *std::move(got);
              return got.status();
            });
        if (!read.ok()) return read;
        const absl::Time now = absl::Now();
        std::vector<federation::RegionOutcome> outcomes;
        if (scope == cpb::REGION_SCOPE_NATIONAL) {
          NationalFacts others = AskOtherRegions(swe);
          if (federation::IsStrict(request->federation_mode())) {
            absl::Status every = federation::RequireEveryRegion(others.outcomes);
            if (!every.ok()) return every;
          }
          std::vector<RegisterCheck> unused;
          MergeRegionFacts(others.answered, &periods, &unused);
          std::stable_sort(periods.begin(), periods.end(),
                           [](const EmploymentPeriod& a, const EmploymentPeriod& b) {
                             return a.start_date < b.start_date;
                           });
          outcomes = std::move(others.outcomes);
        } else {
          outcomes = OwnRegionOnly(hub, {}, scope, "", now);
        }
        for (const EmploymentPeriod& p : periods) {  // in start date order
          if (p.start_date > as_of || !p.IsQualifying()) continue;
          // Callers outside the region holding a period learn that the experience exists, not
          // where it was gained.
          FillQualifying(p, call.principal().region_code != p.region, response->add_periods());
        }
        FillFederation(scope, outcomes, now, response->mutable_federation());
        return absl::OkStatus();
      });
}

}  // namespace slihub::workforce
