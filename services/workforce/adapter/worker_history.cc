// Reading a worker's history: ListEmploymentPeriods and ListRegisterChecks.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/server/paging.h"
#include "services/workforce/adapter/call_helpers.h"
#include "services/workforce/adapter/convert.h"
#include "services/workforce/adapter/workforce_service.h"
#include "services/workforce/store/workforce_store.h"

namespace slihub::workforce {
namespace {

// The hub holds its own region's history: callers from another region see none of it.
absl::Status CheckHubRegion(const Principal& who, const std::string& hub) {
  if (who.region_code == hub) return absl::OkStatus();
  absl::Status status = absl::PermissionDeniedError(
      absl::StrCat("worker history at the ", hub, " hub is for its own region's callers"));
  SetErrorInfo(status, "REGION_OUT_OF_SCOPE", {{"region", hub}});
  return status;
}

// The position after which a page resumes: an index into the (small, fully read) list.
int64_t ResumeIndex(const std::string& key) {
  int64_t index = 0;
  return absl::SimpleAtoi(key, &index) && index > 0 ? index : 0;
}

}  // namespace

grpc::ServerUnaryReactor* WorkforceServiceImpl::ListEmploymentPeriods(
    grpc::CallbackServerContext* context, const v1::ListEmploymentPeriodsRequest* request,
    v1::ListEmploymentPeriodsResponse* response) {
  return HandleUnary(
      context_.runtime, context, "/slihub.workforce.v1.WorkforceService/ListEmploymentPeriods",
      MethodPolicy{{Role::kHrOfficer, Role::kRegionalAdmin}},
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        const std::string swe = ReadSweNumber(request->swe_number(), "swe_number", &violations);
        const LocalAuthorityRecord* la = nullptr;
        if (request->has_la_code()) {
          la = ReadLa(*context_.reference_data, request->la_code(), "la_code.value", &violations);
        }
        const int page_size =
            ResolvePageSize(request->page().page_size(), "page.page_size", &violations);
        const std::string list = absl::StrCat("employment_periods/", swe);
        const std::string after = DecodePageToken(list, request->page().page_token(),
                                                  "page.page_token", &violations);
        if (!violations.empty()) return violations.ToStatus();
        absl::Status scope = CheckHubRegion(call.principal(), context_.config->hub_region);
        if (!scope.ok()) return scope;
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
      context_.runtime, context, "/slihub.workforce.v1.WorkforceService/ListRegisterChecks",
      MethodPolicy{{Role::kHrOfficer, Role::kRegionalAdmin}},
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        const std::string swe = ReadSweNumber(request->swe_number(), "swe_number", &violations);
        const int page_size =
            ResolvePageSize(request->page().page_size(), "page.page_size", &violations);
        const std::string list = absl::StrCat("register_checks/", swe);
        const std::string after = DecodePageToken(list, request->page().page_token(),
                                                  "page.page_token", &violations);
        if (!violations.empty()) return violations.ToStatus();
        absl::Status scope = CheckHubRegion(call.principal(), context_.config->hub_region);
        if (!scope.ok()) return scope;
        std::vector<RegisterCheck> checks;
        absl::Status read =
            context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
              absl::StatusOr<std::vector<RegisterCheck>> got =
                  WorkforceStore::ListRegisterChecks(tx, swe);
              if (got.ok()) checks = std::move(*got);
              return got.status();
            });
        if (!read.ok()) return read;
        const int64_t start = ResumeIndex(after);
        const int64_t end =
            std::min<int64_t>(static_cast<int64_t>(checks.size()), start + page_size);
        for (int64_t i = start; i < end; ++i) ToProto(checks[i], response->add_register_checks());
        if (end < static_cast<int64_t>(checks.size())) {
          response->mutable_page()->set_next_page_token(EncodePageToken(list, absl::StrCat(end)));
        }
        response->mutable_page()->set_total_size(static_cast<int64_t>(checks.size()));
        return absl::OkStatus();
      });
}

}  // namespace slihub::workforce
