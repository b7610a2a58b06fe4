#include "common/audit/audit_trail.h"

#include <utility>

#include "common/audit/audit_interceptor.h"
#include "common/audit/audit_store.h"
#include "common/store/sqlite_database.h"

namespace slihub::audit {

absl::StatusOr<std::unique_ptr<AuditTrail>> AuditTrail::Open(const std::string& path,
                                                             const CallRuntime* runtime) {
  absl::StatusOr<std::unique_ptr<store::Database>> db = OpenAuditDatabase(path);
  if (!db.ok()) return db.status();
  absl::StatusOr<std::unique_ptr<AuditWriter>> writer = AuditWriter::Start(db->get());
  if (!writer.ok()) return writer.status();
  return std::unique_ptr<AuditTrail>(
      new AuditTrail(*std::move(db), *std::move(writer), runtime));
}

AuditTrail::AuditTrail(std::unique_ptr<store::Database> db, std::unique_ptr<AuditWriter> writer,
                       const CallRuntime* runtime)
    : db_(std::move(db)),
      writer_(std::move(writer)),
      runtime_(runtime),
      service_(db_.get(), *runtime) {}

AuditTrail::~AuditTrail() { writer_->Stop(); }

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
AuditTrail::MakeInterceptorFactory(const std::vector<std::string>& raw_methods) {
  return std::make_unique<AuditInterceptorFactory>(runtime_, writer_.get(), raw_methods);
}

}  // namespace slihub::audit
