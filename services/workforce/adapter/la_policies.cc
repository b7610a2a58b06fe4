// LA workforce policies: PublishLaWorkforcePolicy, GetLaWorkforcePolicy and
// ListLaWorkforcePolicies.
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
#include "common/base/civil_date.h"
#include "common/errors/errors.h"
#include "common/server/paging.h"
#include "services/workforce/adapter/call_helpers.h"
#include "services/workforce/adapter/workforce_methods.h"
#include "services/workforce/adapter/convert.h"
#include "services/workforce/adapter/workforce_service.h"
#include "services/workforce/store/workforce_store.h"

namespace slihub::workforce {

grpc::ServerUnaryReactor* WorkforceServiceImpl::PublishLaWorkforcePolicy(
    grpc::CallbackServerContext* context, const v1::PublishLaWorkforcePolicyRequest* request,
    v1::PublishLaWorkforcePolicyResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kPublishLaWorkforcePolicy,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        CheckRequestId(request->request_id(), "request_id", &violations);
        if (!request->has_policy()) violations.Add("policy", "is required");
        LaPolicy policy = ReadLaPolicy(request->policy(), *context_.reference_data,
                                       context_.config->hub_region, "policy", &violations);
        if (!violations.empty()) return violations.ToStatus();
        absl::Status scope =
            call.ActsForLa(*context_.reference_data->FindLocalAuthority(policy.la_code));
        if (!scope.ok()) return scope;
        return RunIdempotent(
            *context_.database, call, request->request_id(), "request_id", *request, response,
            [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<StoredLaPolicy> stored = WorkforceStore::PublishLaPolicy(
                  tx, policy, Meta(call, request->request_id()));
              if (!stored.ok()) return stored.status();
              ToProto(*stored, response->mutable_policy());
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::GetLaWorkforcePolicy(
    grpc::CallbackServerContext* context, const v1::GetLaWorkforcePolicyRequest* request,
    v1::GetLaWorkforcePolicyResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kGetLaWorkforcePolicy,
      [this, request, response](const CallInfo&) -> absl::Status {
        FieldViolations violations;
        const LocalAuthorityRecord* la =
            ReadLa(*context_.reference_data, request->la_code().value(), "la_code.value", &violations);
        std::optional<absl::CivilDay> on;
        int64_t version = 0;
        ReadVersionSelector(*request, TodayInEngland(), &version, &on, &violations);
        if (!violations.empty()) return violations.ToStatus();
        const StoredLaPolicy* found = nullptr;
        const store::CacheTicket ticket = la_policies_.Ticket(la->la_code);
        return context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
          absl::StatusOr<LaPolicyList> versions = LaPolicies(tx, la->la_code, ticket);
          if (!versions.ok()) return versions.status();
          for (const StoredLaPolicy& s : **versions) {
            // Versions are in effective_from order: the last match is in force.
            if (version > 0 ? s.policy.version == version : s.policy.effective_from <= *on) {
              found = &s;
            }
          }
          if (found == nullptr) {
            return absl::NotFoundError(
                version > 0 ? absl::StrCat("LA ", la->la_code, "'s policy has no version ",
                                           version)
                            : absl::StrCat("no policy of LA ", la->la_code, " is in force on ",
                                           FormatCivilDate(*on)));
          }
          ToProto(*found, response->mutable_policy());
          return absl::OkStatus();
        });
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::ListLaWorkforcePolicies(
    grpc::CallbackServerContext* context, const v1::ListLaWorkforcePoliciesRequest* request,
    v1::ListLaWorkforcePoliciesResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kListLaWorkforcePolicies,
      [this, request, response](const CallInfo&) -> absl::Status {
        FieldViolations violations;
        const LocalAuthorityRecord* la =
            ReadLa(*context_.reference_data, request->la_code().value(), "la_code.value", &violations);
        const int page_size =
            ResolvePageSize(request->page().page_size(), "page.page_size", &violations);
        const std::string list = absl::StrCat("la_policies/", request->la_code().value());
        const std::string after = DecodePageToken(list, request->page().page_token(),
                                                  "page.page_token", &violations);
        int64_t after_version = 0;
        if (!after.empty() && !absl::SimpleAtoi(after, &after_version)) {
          violations.Add("page.page_token", "is not a token this list made");
        }
        if (!violations.empty()) return violations.ToStatus();
        const store::CacheTicket ticket = la_policies_.Ticket(la->la_code);
        return context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
          absl::StatusOr<LaPolicyList> versions = LaPolicies(tx, la->la_code, ticket);
          if (!versions.ok()) return versions.status();
          response->mutable_page()->set_total_size(static_cast<int64_t>((*versions)->size()));
          for (const StoredLaPolicy& s : **versions) {
            if (s.policy.version <= after_version) continue;
            if (response->policies_size() == page_size) {
              response->mutable_page()->set_next_page_token(EncodePageToken(
                  list, absl::StrCat(response->policies(page_size - 1).version())));
              break;
            }
            ToProto(s, response->add_policies());
          }
          return absl::OkStatus();
        });
      });
}

}  // namespace slihub::workforce
