// gRPC adapter for slihub.common.v1.ReferenceDataService over the hub's ReferenceData.
#ifndef SLIHUB_COMMON_SERVER_REFERENCE_DATA_SERVICE_H_
#define SLIHUB_COMMON_SERVER_REFERENCE_DATA_SERVICE_H_

#include <vector>

#include "common/refdata/reference_data.h"
#include "common/server/unary_call.h"
#include "slihub/common/v1/reference_data_service.grpc.pb.h"

namespace slihub {

// The service's method table (GetLocalAuthority, ListLocalAuthorities, ListRegions, in that
// order): public reference data, any principal of any region, served from memory.
const std::vector<const MethodSpec*>& ReferenceDataMethods();

// Answers reference data lookups for any authenticated principal. Thread-safe; `data` and
// `runtime`'s members must outlive it.
class ReferenceDataServiceImpl final
    : public common::v1::ReferenceDataService::CallbackService {
 public:
  ReferenceDataServiceImpl(const ReferenceData* data, CallRuntime runtime);

  grpc::ServerUnaryReactor* GetLocalAuthority(
      grpc::CallbackServerContext* context, const common::v1::GetLocalAuthorityRequest* request,
      common::v1::GetLocalAuthorityResponse* response) override;
  grpc::ServerUnaryReactor* ListLocalAuthorities(
      grpc::CallbackServerContext* context,
      const common::v1::ListLocalAuthoritiesRequest* request,
      common::v1::ListLocalAuthoritiesResponse* response) override;
  grpc::ServerUnaryReactor* ListRegions(grpc::CallbackServerContext* context,
                                        const common::v1::ListRegionsRequest* request,
                                        common::v1::ListRegionsResponse* response) override;

 private:
  const ReferenceData* data_;
  CallRuntime runtime_;
};

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_REFERENCE_DATA_SERVICE_H_
