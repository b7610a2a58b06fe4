// The one path every unary RPC takes: authenticate, authorize, run the body on the worker pool,
// map the absl::Status to gRPC with details, and log one line.
#ifndef SLIHUB_COMMON_SERVER_UNARY_CALL_H_
#define SLIHUB_COMMON_SERVER_UNARY_CALL_H_

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/base/worker_pool.h"
#include "common/identity/authenticator.h"
#include "common/identity/principal.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"

namespace slihub {

// How a method is served. `roles`: a principal holding any of them may call it (any principal
// when empty). `may_block`: the body touches the store, the cache, a peer or sleeps, so it runs on
// the worker pool; false only for bodies that read memory and return, which then run on gRPC's
// callback thread and save the hop.
struct MethodPolicy {
  std::vector<Role> roles;
  bool may_block = true;
};

// The shared pieces a handler needs. Not owned; all must outlive the server. Thread-safe.
struct CallRuntime {
  const Authenticator* authenticator = nullptr;
  WorkerPool* pool = nullptr;
};

// What a handler body knows of its call. Valid only while the body runs; thread-compatible.
class CallInfo {
 public:
  CallInfo(const Principal* principal, const std::string* request_id,
           grpc::CallbackServerContext* context)
      : principal_(principal), request_id_(request_id), context_(context) {}
  // The authenticated caller.
  const Principal& principal() const { return *principal_; }
  // The caller's x-request-id, or one the server made up; echoed in the response metadata.
  const std::string& request_id() const { return *request_id_; }
  // True once the client cancelled, the deadline passed or the server's drain time ran out:
  // long-running bodies poll it and return early.
  bool cancelled() const { return context_->IsCancelled(); }

 private:
  const Principal* principal_;
  const std::string* request_id_;
  grpc::CallbackServerContext* context_;
};

// The handler body: runs on a worker thread. Whatever it returns is sent to the client
// (non-OK statuses keep their details).
using CallBody = std::function<absl::Status(const CallInfo& call)>;

// A body that tries to answer on gRPC's callback thread, from memory: it returns nullopt, having
// written nothing to the response, when answering would block (a cache miss, say).
using NonBlockingBody = std::function<std::optional<absl::Status>(const CallInfo& call)>;

// Handles one unary call of `method` ("/pkg.Service/Method"). Authentication and authorization
// happen on the calling (reaction) thread without blocking; the body runs on the pool unless the
// policy says it never blocks. Returns
// the reactor to hand back to gRPC. A full pool answers RESOURCE_EXHAUSTED; an expired deadline
// DEADLINE_EXCEEDED, without running the body.
grpc::ServerUnaryReactor* HandleUnary(const CallRuntime& runtime,
                                      grpc::CallbackServerContext* context, const char* method,
                                      const MethodPolicy& policy, CallBody body);

// As above, but first runs `try_first` on the reaction thread (saving the hop to the pool when
// the answer is in memory) and `body` on the pool only when `try_first` returns nullopt.
// `policy.may_block` is ignored.
grpc::ServerUnaryReactor* HandleUnary(const CallRuntime& runtime,
                                      grpc::CallbackServerContext* context, const char* method,
                                      const MethodPolicy& policy, NonBlockingBody try_first,
                                      CallBody body);

// For streaming methods, what HandleUnary does before the body: sets `*request_id` to the
// caller's x-request-id (or a new one) and echoes it in the initial metadata, then authenticates
// the caller (setting `*subject`, for the log, once known) and authorizes it. Never blocks.
// Errors: UNAUTHENTICATED, PERMISSION_DENIED with the details HandleUnary gives.
absl::StatusOr<Principal> AdmitCall(const CallRuntime& runtime,
                                    grpc::CallbackServerContext* context,
                                    const MethodPolicy& policy, std::string* request_id,
                                    std::string* subject);

// Logs one finished call of `method` as HandleUnary does (one "rpc" line, no personal data).
void LogCall(const char* method, const std::string& request_id, const std::string& subject,
             const absl::Status& status, absl::Time start);

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_UNARY_CALL_H_
