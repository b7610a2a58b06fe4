#include "common/server/reference_data_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/server/paging.h"

namespace slihub {
namespace {

namespace v1 = ::slihub::common::v1;

// The row of `index` in ReferenceDataMethods() (0 GetLocalAuthority, 1 ListLocalAuthorities,
// 2 ListRegions).
const MethodSpec& InMemory(size_t index) { return *ReferenceDataMethods()[index]; }

void ToProto(const LocalAuthorityRecord& la, v1::LocalAuthority* out) {
  out->mutable_la_code()->set_value(la.la_code);
  out->set_name(la.name);
  out->set_ons_code(la.ons_code);
  out->mutable_region()->set_value(la.region_code);
  out->set_la_type(la.la_type);
  out->set_population_0_25(la.population_0_25);
  for (const std::string& n : la.statistical_neighbours) {
    out->add_statistical_neighbours()->set_value(n);
  }
}

}  // namespace

const std::vector<const MethodSpec*>& ReferenceDataMethods() {
  static const auto* all = [] {
    auto* specs = new std::vector<const MethodSpec*>();
    for (const char* method : {"GetLocalAuthority", "ListLocalAuthorities", "ListRegions"}) {
      specs->push_back(new MethodSpec{
          MethodName("slihub.common.v1.ReferenceDataService", method), {}, Tenancy::kAnyRegion,
          /*may_block=*/false, LaScope::kNone, "LA_OUT_OF_SCOPE",
          "public reference data: LA codes, names, regions"});
    }
    return specs;
  }();
  return *all;
}

ReferenceDataServiceImpl::ReferenceDataServiceImpl(const ReferenceData* data, CallRuntime runtime)
    : data_(data), runtime_(runtime) {}

grpc::ServerUnaryReactor* ReferenceDataServiceImpl::GetLocalAuthority(
    grpc::CallbackServerContext* context, const v1::GetLocalAuthorityRequest* request,
    v1::GetLocalAuthorityResponse* response) {
  return HandleUnary(
      runtime_, context, InMemory(0),
      [this, request, response](const CallInfo&) -> absl::Status {
        const std::string& code = request->la_code().value();
        if (!IsLaCodeSyntax(code)) {
          FieldViolations violations;
          violations.Add("la_code.value", "must be a DfE three-digit LA code, e.g. 873");
          return violations.ToStatus();
        }
        const LocalAuthorityRecord* la = data_->FindLocalAuthority(code);
        if (la == nullptr) return absl::NotFoundError(absl::StrCat("no LA with code ", code));
        ToProto(*la, response->mutable_local_authority());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* ReferenceDataServiceImpl::ListLocalAuthorities(
    grpc::CallbackServerContext* context, const v1::ListLocalAuthoritiesRequest* request,
    v1::ListLocalAuthoritiesResponse* response) {
  return HandleUnary(
      runtime_, context, InMemory(1),
      [this, request, response](const CallInfo&) -> absl::Status {
        FieldViolations violations;
        const std::string& region = request->region().value();
        if (request->has_region() && data_->FindRegion(region) == nullptr) {
          violations.Add("region.value", absl::StrCat("'", region, "' is not a region key"));
        }
        const int page_size =
            ResolvePageSize(request->page().page_size(), "page.page_size", &violations);
        const std::string after = DecodePageToken("local_authorities",
                                                  request->page().page_token(),
                                                  "page.page_token", &violations);
        if (!violations.empty()) return violations.ToStatus();

        const auto& las = data_->local_authorities();
        auto it = std::upper_bound(
            las.begin(), las.end(), after,
            [](const std::string& key, const LocalAuthorityRecord& la) { return key < la.la_code; });
        int64_t total = 0;
        for (const auto& la : las) total += (region.empty() || la.region_code == region);
        std::string last;
        for (; it != las.end(); ++it) {
          if (!region.empty() && it->region_code != region) continue;
          if (response->local_authorities_size() == page_size) {
            response->mutable_page()->set_next_page_token(
                EncodePageToken("local_authorities", last));
            break;
          }
          ToProto(*it, response->add_local_authorities());
          last = it->la_code;
        }
        response->mutable_page()->set_total_size(total);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* ReferenceDataServiceImpl::ListRegions(
    grpc::CallbackServerContext* context, const v1::ListRegionsRequest* request,
    v1::ListRegionsResponse* response) {
  return HandleUnary(runtime_, context, InMemory(2),
                     [this, response](const CallInfo&) -> absl::Status {
                       for (const RegionRecord& r : data_->regions()) {
                         v1::Region* out = response->add_regions();
                         out->mutable_code()->set_value(r.code);
                         out->set_name(r.name);
                         out->set_ons_code(r.ons_code);
                         for (const std::string& la : r.la_codes) {
                           out->add_la_codes()->set_value(la);
                         }
                       }
                       return absl::OkStatus();
                     });
}

}  // namespace slihub
