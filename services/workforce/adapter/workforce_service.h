// The WorkforceService gRPC adapter: validates requests, checks the caller's LA and region,
// translates to the domain and the store, and back. No rules live here.
#ifndef SLIHUB_SERVICES_WORKFORCE_ADAPTER_WORKFORCE_SERVICE_H_
#define SLIHUB_SERVICES_WORKFORCE_ADAPTER_WORKFORCE_SERVICE_H_

#include <string>

#include "common/server/service_context.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"

namespace slihub::workforce {

// Serves rule sets, employment history, register checks and CheckEngagement; every other RPC
// answers UNIMPLEMENTED (the generated base). Thread-safe; borrows the context's members.
class WorkforceServiceImpl final : public v1::WorkforceService::CallbackService {
 public:
  explicit WorkforceServiceImpl(const ServiceContext& context);

  grpc::ServerUnaryReactor* PublishRuleSet(grpc::CallbackServerContext* context,
                                           const v1::PublishRuleSetRequest* request,
                                           v1::PublishRuleSetResponse* response) override;
  grpc::ServerUnaryReactor* GetRuleSet(grpc::CallbackServerContext* context,
                                       const v1::GetRuleSetRequest* request,
                                       v1::GetRuleSetResponse* response) override;
  grpc::ServerUnaryReactor* ListRuleSets(grpc::CallbackServerContext* context,
                                         const v1::ListRuleSetsRequest* request,
                                         v1::ListRuleSetsResponse* response) override;
  grpc::ServerUnaryReactor* RecordEmploymentPeriod(
      grpc::CallbackServerContext* context, const v1::RecordEmploymentPeriodRequest* request,
      v1::RecordEmploymentPeriodResponse* response) override;
  grpc::ServerUnaryReactor* BatchRecordEmploymentPeriods(
      grpc::CallbackServerContext* context,
      const v1::BatchRecordEmploymentPeriodsRequest* request,
      v1::BatchRecordEmploymentPeriodsResponse* response) override;
  grpc::ServerUnaryReactor* RecordRegisterCheck(grpc::CallbackServerContext* context,
                                                const v1::RecordRegisterCheckRequest* request,
                                                v1::RecordRegisterCheckResponse* response) override;
  grpc::ServerUnaryReactor* CheckEngagement(grpc::CallbackServerContext* context,
                                            const v1::CheckEngagementRequest* request,
                                            v1::CheckEngagementResponse* response) override;

 private:
  ServiceContext context_;
};

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_ADAPTER_WORKFORCE_SERVICE_H_
