// A server's audit trail as RunServiceMain wires it: the store file, its writer, the interceptor
// and AuditService.
#ifndef SLIHUB_COMMON_AUDIT_AUDIT_TRAIL_H_
#define SLIHUB_COMMON_AUDIT_AUDIT_TRAIL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/audit/audit_service.h"
#include "common/audit/audit_writer.h"
#include "common/server/unary_call.h"
#include "common/store/database.h"
#include "grpcpp/support/server_interceptor.h"

namespace slihub::audit {

// Owns the audit store and writer of one server. Thread-safe.
class AuditTrail {
 public:
  // Opens (creating) the SQLite file at `path`, migrates it and starts the writer. `runtime` must
  // outlive the trail. Store errors.
  static absl::StatusOr<std::unique_ptr<AuditTrail>> Open(const std::string& path,
                                                          const CallRuntime* runtime);
  // Stops the writer (see Stop).
  ~AuditTrail();

  // A new interceptor factory writing to this trail, for ServerBuilder; `raw_methods` as
  // AuditInterceptorFactory takes them.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeInterceptorFactory(
      const std::vector<std::string>& raw_methods);

  // The AuditService serving this trail, for ServerBuilder::RegisterService.
  AuditServiceImpl* service() { return &service_; }

  // Commits what is queued and stops the writer; call after the server has stopped (a write
  // call's status waits for its entry). Idempotent.
  void Stop() { writer_->Stop(); }

 private:
  AuditTrail(std::unique_ptr<store::Database> db, std::unique_ptr<AuditWriter> writer,
             const CallRuntime* runtime);

  std::unique_ptr<store::Database> db_;
  std::unique_ptr<AuditWriter> writer_;
  const CallRuntime* const runtime_;
  AuditServiceImpl service_;
};

}  // namespace slihub::audit

#endif  // SLIHUB_COMMON_AUDIT_AUDIT_TRAIL_H_
