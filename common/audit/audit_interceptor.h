// Records every call a server answers in its audit trail, in one place for every RPC, unary and
// streaming: a gRPC server interceptor.
#ifndef SLIHUB_COMMON_AUDIT_AUDIT_INTERCEPTOR_H_
#define SLIHUB_COMMON_AUDIT_AUDIT_INTERCEPTOR_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"

#include "absl/strings/string_view.h"
#include "common/audit/audit_entry.h"
#include "common/audit/audit_writer.h"
#include "common/identity/principal.h"
#include "common/server/unary_call.h"
#include "grpcpp/support/server_interceptor.h"

namespace slihub::audit {

// The ErrorInfo reason of a write whose audit entry could not be committed.
inline constexpr char kAuditNotRecordedReason[] = "AUDIT_NOT_RECORDED";

// How a method is audited: a write (its descriptor is not marked NO_SIDE_EFFECTS, or it is not in
// the generated descriptor pool), a read, or not at all (gRPC's own health and reflection
// services, which touch no record).
enum class MethodAudit { kWrite, kRead, kNone };

// The audit class of `method` ("/pkg.Service/Method"). Thread-safe.
MethodAudit ClassifyMethod(absl::string_view method);

// True when a read by `caller` (authenticated or not) of a request naming `las` is audited: the
// caller is of another region than `hub_region`, region-wide (no LA), or not authenticated, or
// the request names an LA other than the caller's own.
bool IsAuditedRead(const Principal* caller, const std::vector<std::string>& las,
                   absl::string_view hub_region);

// Makes one interceptor per call. It keeps the first request message's LAs and record keys
// (POST_RECV_MESSAGE), the x-request-id the request layer echoes (PRE_SEND_INITIAL_METADATA), and
// at PRE_SEND_STATUS builds the entry from the caller (AuthenticateCaller) and the final status.
// A write's status is held until its entry is committed by the writer (Proceed is then called on
// the writer's thread; no gRPC thread waits); when the entry cannot be committed, an OK status
// becomes UNAVAILABLE with ErrorInfo AUDIT_NOT_RECORDED (the write may have taken effect: the
// client retries with its idempotency key). Audited reads are queued and proceed at once.
// Register it after UnparsedRequestInterceptorFactory, so it sees the status that is sent.
// The request of a method in `raw_methods` (served with ByteBuffer requests) is parsed from its
// bytes as the descriptor's input type; any other method known to the descriptor pool is read as
// its protobuf message; requests of unknown methods are not looked into.
// Thread-safe; `runtime` and `writer` must outlive the server.
class AuditInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  AuditInterceptorFactory(const CallRuntime* runtime, AuditWriter* writer,
                          const std::vector<std::string>& raw_methods = {})
      : runtime_(runtime), writer_(writer), raw_methods_(raw_methods.begin(), raw_methods.end()) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  const CallRuntime* const runtime_;
  AuditWriter* const writer_;
  const absl::flat_hash_set<std::string> raw_methods_;
};

}  // namespace slihub::audit

#endif  // SLIHUB_COMMON_AUDIT_AUDIT_INTERCEPTOR_H_
