// gRPC adapter for slihub.common.v1.DiagnosticsService: Echo, WhoAmI, GetServerStatus.
#ifndef SLIHUB_COMMON_SERVER_DIAGNOSTICS_SERVICE_H_
#define SLIHUB_COMMON_SERVER_DIAGNOSTICS_SERVICE_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/server/dependency_monitor.h"
#include "common/server/unary_call.h"
#include "slihub/common/v1/diagnostics_service.grpc.pb.h"

namespace slihub {

// Identity of the running server, reported by GetServerStatus.
struct ServerIdentity {
  std::string service;
  std::string hub_region;
  absl::Time start_time;
  std::string version;
};

// The service's method table (Echo, WhoAmI, GetServerStatus, in that order), for the access
// matrix and the handlers.
const std::vector<const MethodSpec*>& DiagnosticsMethods();

// Echo and WhoAmI serve any authenticated principal; GetServerStatus needs the regional admin

// or service role. Thread-safe; `monitor` and `runtime`'s members must outlive it.
class DiagnosticsServiceImpl final : public common::v1::DiagnosticsService::CallbackService {
 public:
  DiagnosticsServiceImpl(ServerIdentity identity, const DependencyMonitor* monitor,
                         CallRuntime runtime);

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const common::v1::EchoRequest* request,
                                 common::v1::EchoResponse* response) override;
  grpc::ServerUnaryReactor* WhoAmI(grpc::CallbackServerContext* context,
                                   const common::v1::WhoAmIRequest* request,
                                   common::v1::WhoAmIResponse* response) override;
  grpc::ServerUnaryReactor* GetServerStatus(
      grpc::CallbackServerContext* context, const common::v1::GetServerStatusRequest* request,
      common::v1::GetServerStatusResponse* response) override;

 private:
  const ServerIdentity identity_;
  const DependencyMonitor* monitor_;
  CallRuntime runtime_;
};

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_DIAGNOSTICS_SERVICE_H_
