// slihub.common.v1.FederationService, served by every slihub server: the change feed of its
// ChangeLog for the other regions' hubs (and this hub's services).
#ifndef SLIHUB_COMMON_FEDERATION_FEDERATION_SERVICE_H_
#define SLIHUB_COMMON_FEDERATION_FEDERATION_SERVICE_H_

#include "common/federation/change_log.h"
#include "common/server/unary_call.h"
#include "slihub/common/v1/federation_service.grpc.pb.h"

namespace slihub::federation {

// The declared method (roles hub and service, Tenancy::kPeerHubs).
const MethodSpec& WatchChangesMethod();

// Borrows `log` and `runtime`'s members, which must outlive the server. Thread-safe.
class FederationServiceImpl final : public slihub::common::v1::FederationService::CallbackService {
 public:
  FederationServiceImpl(ChangeLog* log, CallRuntime runtime) : log_(log), runtime_(runtime) {}

  grpc::ServerWriteReactor<slihub::common::v1::WatchChangesResponse>* WatchChanges(
      grpc::CallbackServerContext* context,
      const slihub::common::v1::WatchChangesRequest* request) override;

 private:
  ChangeLog* const log_;
  const CallRuntime runtime_;
};

}  // namespace slihub::federation

#endif  // SLIHUB_COMMON_FEDERATION_FEDERATION_SERVICE_H_
