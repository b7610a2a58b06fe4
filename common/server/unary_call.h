// The one path every unary RPC takes: authenticate, authorize, run the body on the worker pool,
// map the absl::Status to gRPC with details, and log one line.
#ifndef SLIHUB_COMMON_SERVER_UNARY_CALL_H_
#define SLIHUB_COMMON_SERVER_UNARY_CALL_H_

#include <functional>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/base/worker_pool.h"
#include "common/identity/authenticator.h"
#include "common/identity/principal.h"
#include "common/identity/tenancy.h"
#include "common/refdata/reference_data.h"
#include "common/server/method_spec.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"

namespace slihub {

// "/<service_full_name>/<method>", e.g. ("slihub.workforce.v1.WorkforceService", "CheckEngagement").
std::string MethodName(absl::string_view service_full_name, absl::string_view method);

// The shared pieces a handler needs. Not owned; all must outlive the server. Thread-safe.
struct CallRuntime {
  const Authenticator* authenticator = nullptr;
  WorkerPool* pool = nullptr;
  std::string hub_region;  // the region this hub serves; Tenancy::kHubRegion compares with it
  // The server runs mutual TLS: machines (roles hub, service) must prove who they are with a
  // certificate, and a bearer token carrying those roles is refused.
  bool mutual_tls = false;
  std::set<std::string> peer_regions;  // regions whose hubs this server admits (its peers file)
};

// What a handler body knows of its call. Valid only while the body runs; thread-compatible.
class CallInfo {
 public:
  CallInfo(const Principal* principal, const std::string* request_id,
           grpc::CallbackServerContext* context, const std::string* method)
      : principal_(principal), request_id_(request_id), context_(context), method_(method) {}
  // The method being served, "/pkg.Service/Method".
  const std::string& method() const { return *method_; }
  // The authenticated caller.
  const Principal& principal() const { return *principal_; }
  // OK when the caller may act for `la` (tenancy.h: its own LA, or any LA of its region when
  // region-wide); PERMISSION_DENIED with ErrorInfo LA_OUT_OF_SCOPE otherwise.
  absl::Status ActsForLa(const LocalAuthorityRecord& la) const {
    return CheckActsForLa(*principal_, la.la_code, la.region_code);
  }
  // The caller's x-request-id, or one the server made up; echoed in the response metadata.
  const std::string& request_id() const { return *request_id_; }
  // True once the client cancelled, the deadline passed or the server's drain time ran out:
  // long-running bodies poll it and return early.
  bool cancelled() const { return context_->IsCancelled(); }

 private:
  const Principal* principal_;
  const std::string* request_id_;
  grpc::CallbackServerContext* context_;
  const std::string* method_;
};

// The handler body: runs on a worker thread. Whatever it returns is sent to the client
// (non-OK statuses keep their details).
using CallBody = std::function<absl::Status(const CallInfo& call)>;

// A body that tries to answer on gRPC's callback thread, from memory: it returns nullopt, having
// written nothing to the response, when answering would block (a cache miss, say).
using NonBlockingBody = std::function<std::optional<absl::Status>(const CallInfo& call)>;

// Handles one unary call of `method`: reads the x-request-id (a malformed one is refused with
// INVALID_ARGUMENT), authenticates and authorizes the caller on the calling (reaction) thread
// without blocking (AuthorizeCall: scopes, roles, LA named for LA roles, region per the spec's
// tenancy), then runs the body on the pool unless the spec says it never blocks. A well-formed
// token not yet in memory (issued since the last reload) is tried again on the pool after one
// shared, rate-limited reload of the token store, so a new token works on its first call.
// Returns the reactor to hand back
// to gRPC.
// A full pool answers RESOURCE_EXHAUSTED; an expired deadline DEADLINE_EXCEEDED, without running
// the body.
grpc::ServerUnaryReactor* HandleUnary(const CallRuntime& runtime,
                                      grpc::CallbackServerContext* context,
                                      const MethodSpec& method, CallBody body);

// As above, but first runs `try_first` on the reaction thread (saving the hop to the pool when
// the answer is in memory) and `body` on the pool only when `try_first` returns nullopt.
// `method.may_block` is ignored.
grpc::ServerUnaryReactor* HandleUnary(const CallRuntime& runtime,
                                      grpc::CallbackServerContext* context,
                                      const MethodSpec& method, NonBlockingBody try_first,
                                      CallBody body);

// Who the caller of `context` is, from its credentials alone (no authorization): the bearer
// token in its "authorization" metadata against the current token snapshot or, without a token,
// the slihub identity of its verified client certificate (security/machine_identity.h: own
// region -> "service:<service>", a peer region -> "hub:<region>"). A call with both is the
// token's (a person's system is not expected to hold a hub's certificate). Never blocks.
// UNAUTHENTICATED with ErrorInfo TOKEN_MISSING, TOKEN_UNKNOWN, TOKEN_EXPIRED,
// CERTIFICATE_IDENTITY_MALFORMED, or MACHINE_IDENTITY_REQUIRES_CERTIFICATE (a hub or service
// token under mutual TLS); PERMISSION_DENIED HUB_NOT_PEER for a hub certificate of a region
// not in runtime.peer_regions. The one place a server turns credentials into a Principal (the
// request layer and the audit trail use it).
absl::StatusOr<Principal> AuthenticateCaller(const CallRuntime& runtime,
                                             const grpc::ServerContextBase& context,
                                             absl::Time now);

// For streaming methods, what HandleUnary does before the body: sets `*request_id` to the
// caller's x-request-id (or a new one) and echoes it in the initial metadata, then authenticates
// the caller (setting `*subject`, for the log, once known) and authorizes it. Never blocks.
// Errors: INVALID_ARGUMENT for a malformed x-request-id, UNAUTHENTICATED, PERMISSION_DENIED with
// the details HandleUnary gives.
absl::StatusOr<Principal> AdmitCall(const CallRuntime& runtime,
                                    grpc::CallbackServerContext* context,
                                    const MethodSpec& method, std::string* request_id,
                                    std::string* subject);

// Logs one finished call of `method` as HandleUnary does (one "rpc" line, no personal data).
void LogCall(absl::string_view method, const std::string& request_id, const std::string& subject,
             const absl::Status& status, absl::Time start);

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_UNARY_CALL_H_
