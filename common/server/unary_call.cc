#include "common/server/unary_call.h"

#include <openssl/rand.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "common/security/machine_identity.h"
#include "common/server/authorize.h"
#include "common/server/request_fields.h"

namespace slihub {
namespace {

std::string MetadataValue(const grpc::ServerContextBase* context, const char* key) {
  const auto& metadata = context->client_metadata();
  auto it = metadata.find(key);
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

std::string NewRequestId() {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return absl::StrCat(absl::ToUnixNanos(absl::Now()));
  }
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(bytes), sizeof(bytes)));
}

// One call's bookkeeping: finishes the reactor and logs the outcome exactly once.
struct CallState {
  grpc::ServerUnaryReactor* reactor;
  std::string method;
  std::string request_id;
  std::string subject;
  absl::Time start;

  void Finish(const absl::Status& status) {
    reactor->Finish(ToGrpcStatus(status));
    LogCall(method, request_id, subject, status, start);
  }
};

}  // namespace

absl::StatusOr<Principal> AuthenticateCaller(const CallRuntime& runtime,
                                             const grpc::ServerContextBase& context,
                                             absl::Time now) {
  const std::string authorization = MetadataValue(&context, "authorization");
  if (!authorization.empty() || !runtime.mutual_tls) {
    absl::StatusOr<Principal> principal = runtime.authenticator->Authenticate(authorization, now);
    if (principal.ok() && runtime.mutual_tls &&
        principal->HasAnyRole({Role::kHub, Role::kService})) {
      absl::Status status = absl::UnauthenticatedError(
          "hubs and services prove who they are with a client certificate under mutual TLS, "
          "not a bearer token");
      SetErrorInfo(status, "MACHINE_IDENTITY_REQUIRES_CERTIFICATE");
      return status;
    }
    return principal;
  }
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  absl::StatusOr<std::optional<security::MachineIdentity>> machine =
      auth == nullptr ? std::optional<security::MachineIdentity>()
                      : security::PeerMachineIdentity(*auth);
  if (!machine.ok()) return machine.status();
  if (!machine->has_value()) return runtime.authenticator->Authenticate("", now);
  return security::MachinePrincipal(**machine, runtime.hub_region, runtime.peer_regions);
}

std::string MethodName(absl::string_view service_full_name, absl::string_view method) {
  return absl::StrCat("/", service_full_name, "/", method);
}

void LogCall(absl::string_view method, const std::string& request_id, const std::string& subject,
             const absl::Status& status, absl::Time start) {
  LogLine(status.ok() || status.code() == absl::StatusCode::kNotFound ? LogLevel::kInfo
                                                                      : LogLevel::kWarning,
          "rpc")
      .Str("method", method)
      .Str("request_id", request_id)
      .Str("principal", subject)
      .Str("code", absl::StatusCodeToString(status.code()))
      .Millis("latency_ms", absl::Now() - start);
}

namespace {

// The x-request-id step of AdmitCall: sets `*request_id` (offered or new), echoes it, and refuses
// a malformed one.
absl::Status ReadRequestId(grpc::CallbackServerContext* context, std::string* request_id) {
  std::string offered = MetadataValue(context, "x-request-id");
  const bool offered_ok = offered.empty() || IsValidRequestId(offered);
  *request_id = !offered.empty() && offered_ok ? std::move(offered) : NewRequestId();
  context->AddInitialMetadata("x-request-id", *request_id);
  if (!offered_ok) {
    return InvalidArgumentError(
        "the x-request-id header is malformed",
        {{"x-request-id", "must be 1 to 128 characters from A-Z, a-z, 0-9 and - _ . : /"}});
  }
  return absl::OkStatus();
}

// The authentication and authorization steps of AdmitCall, against the current token snapshot.
absl::StatusOr<Principal> Identify(const CallRuntime& runtime,
                                   grpc::CallbackServerContext* context, const MethodSpec& method,
                                   std::string* subject) {
  absl::StatusOr<Principal> principal = AuthenticateCaller(runtime, *context, absl::Now());
  if (!principal.ok()) return principal.status();
  *subject = principal->subject;
  if (absl::Status allowed = AuthorizeCall(runtime.hub_region, *principal, method); !allowed.ok()) {
    return allowed;
  }
  return principal;
}

// True for a well-formed bearer token that the snapshot does not hold: it may have been issued
// since the last reload.
bool MayBeNewToken(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnauthenticated &&
         GetErrorReason(status) == "TOKEN_UNKNOWN";
}

}  // namespace

absl::StatusOr<Principal> AdmitCall(const CallRuntime& runtime,
                                    grpc::CallbackServerContext* context,
                                    const MethodSpec& method, std::string* request_id,
                                    std::string* subject) {
  if (absl::Status read = ReadRequestId(context, request_id); !read.ok()) return read;
  absl::StatusOr<Principal> principal = Identify(runtime, context, method, subject);
  if (!principal.ok() && MayBeNewToken(principal.status()) && runtime.pool != nullptr) {
    // A stream cannot wait here; reload in the background so that the caller's retry succeeds.
    (void)runtime.pool->TrySubmit(
        [auth = runtime.authenticator, asked = absl::Now()] { (void)auth->ReloadSince(asked); });
  }
  return principal;
}

namespace {

// Finishes `call` without running a body when the client has gone or the deadline has passed;
// returns whether it did.
bool FinishIfTooLate(CallState& call, grpc::CallbackServerContext* context) {
  if (context->IsCancelled()) {
    call.Finish(absl::CancelledError("the call was cancelled before it ran"));
    return true;
  }
  if (context->deadline() <= std::chrono::system_clock::now()) {
    call.Finish(absl::DeadlineExceededError("the deadline passed before the call ran"));
    return true;
  }
  return false;
}

// Submits `task` to the pool, or finishes `call` with SERVER_BUSY when the pool is full.
void SubmitOrRefuse(const CallRuntime& runtime, CallState& call, std::function<void()> task) {
  if (!runtime.pool->TrySubmit(std::move(task))) {
    absl::Status busy = absl::ResourceExhaustedError("the server is busy; retry with backoff");
    SetErrorInfo(busy, "SERVER_BUSY");
    call.Finish(busy);
  }
}

grpc::ServerUnaryReactor* Handle(const CallRuntime& runtime, grpc::CallbackServerContext* context,
                                 const MethodSpec& method, const NonBlockingBody* try_first,
                                 CallBody body) {
  auto call = std::make_shared<CallState>();
  call->reactor = context->DefaultReactor();
  call->method = method.name;
  call->start = absl::Now();
  if (absl::Status read = ReadRequestId(context, &call->request_id); !read.ok()) {
    call->Finish(read);
    return call->reactor;
  }
  absl::StatusOr<Principal> principal = Identify(runtime, context, method, &call->subject);
  if (!principal.ok() && MayBeNewToken(principal.status())) {
    // A token issued since the last reload: reload on a worker (never here, on gRPC's thread),
    // then authenticate again and run the body there.
    SubmitOrRefuse(runtime, *call,
                   [call, context, rt = runtime, spec = method, body = std::move(body),
                    asked = call->start]() {
                     if (FinishIfTooLate(*call, context)) return;
                     (void)rt.authenticator->ReloadSince(asked);
                     absl::StatusOr<Principal> who =
                         Identify(rt, context, spec, &call->subject);
                     if (!who.ok()) return call->Finish(who.status());
                     const CallInfo info(&*who, &call->request_id, context, &call->method);
                     call->Finish(body(info));
                   });
    return call->reactor;
  }
  if (!principal.ok()) {
    call->Finish(principal.status());
    return call->reactor;
  }
  if (try_first != nullptr) {
    if (FinishIfTooLate(*call, context)) return call->reactor;
    const CallInfo info(&*principal, &call->request_id, context, &call->method);
    if (std::optional<absl::Status> answered = (*try_first)(info)) {
      call->Finish(*answered);
      return call->reactor;
    }
  }

  auto task = [call, context, body = std::move(body), who = *std::move(principal)]() {
    if (FinishIfTooLate(*call, context)) return;
    const CallInfo info(&who, &call->request_id, context, &call->method);
    call->Finish(body(info));
  };
  if (!method.may_block && try_first == nullptr) {
    task();
  } else {
    SubmitOrRefuse(runtime, *call, std::move(task));
  }
  return call->reactor;
}

}  // namespace

grpc::ServerUnaryReactor* HandleUnary(const CallRuntime& runtime,
                                      grpc::CallbackServerContext* context,
                                      const MethodSpec& method, CallBody body) {
  return Handle(runtime, context, method, nullptr, std::move(body));
}

grpc::ServerUnaryReactor* HandleUnary(const CallRuntime& runtime,
                                      grpc::CallbackServerContext* context,
                                      const MethodSpec& method, NonBlockingBody try_first,
                                      CallBody body) {
  return Handle(runtime, context, method, &try_first, std::move(body));
}

}  // namespace slihub
