// gRPC adapter for slihub.common.v1.AuditService: the server's own audit trail, for the regional
// admin of the hub's region.
#ifndef SLIHUB_COMMON_AUDIT_AUDIT_SERVICE_H_
#define SLIHUB_COMMON_AUDIT_AUDIT_SERVICE_H_

#include <vector>

#include "common/server/unary_call.h"
#include "common/store/database.h"
#include "slihub/common/v1/audit_service.grpc.pb.h"

namespace slihub::audit {

// The AuditService method table (REGIONAL_ADMIN, the hub's own region; both read the store).
const std::vector<const MethodSpec*>& AuditMethods();

// Serves ListAuditEntries and VerifyAuditTrail from `db` (the audit store; not owned, must
// outlive the service). Thread-safe.
class AuditServiceImpl final : public common::v1::AuditService::CallbackService {
 public:
  AuditServiceImpl(store::Database* db, CallRuntime runtime) : db_(db), runtime_(runtime) {}

  grpc::ServerUnaryReactor* ListAuditEntries(
      grpc::CallbackServerContext* context, const common::v1::ListAuditEntriesRequest* request,
      common::v1::ListAuditEntriesResponse* response) override;
  grpc::ServerUnaryReactor* VerifyAuditTrail(
      grpc::CallbackServerContext* context, const common::v1::VerifyAuditTrailRequest* request,
      common::v1::VerifyAuditTrailResponse* response) override;

 private:
  store::Database* const db_;
  const CallRuntime runtime_;
};

}  // namespace slihub::audit

#endif  // SLIHUB_COMMON_AUDIT_AUDIT_SERVICE_H_
