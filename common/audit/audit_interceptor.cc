#include "common/audit/audit_interceptor.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "common/audit/request_keys.h"
#include "common/base/log.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"

namespace slihub::audit {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::InterceptorBatchMethods;

// See AuditInterceptorFactory. One per call; gRPC calls Intercept for one batch at a time.
class AuditInterceptor : public grpc::experimental::Interceptor {
 public:
  // `request_type`: the method's request message type, or null for a method unknown to the
  // generated pool (a generic service's: its ByteBuffers are never looked into). `raw`: the
  // method is served with ByteBuffer requests, parsed here as `request_type`.
  AuditInterceptor(const CallRuntime* runtime, AuditWriter* writer, const char* method,
                   MethodAudit audit, const google::protobuf::Descriptor* request_type, bool raw,
                   grpc::ServerContextBase* context)
      : runtime_(runtime),
        writer_(writer),
        method_(method),
        audit_(audit),
        request_type_(request_type),
        raw_(raw),
        context_(context) {}

  void Intercept(InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        request_type_ != nullptr && !have_request_) {
      // The server's parsed request (null when it could not be parsed); a client stream's first.
      void* message = methods->GetRecvMessage();
      if (message != nullptr) {
        have_request_ = true;
        if (raw_) {
          keys_ = KeysOfBytes(*static_cast<grpc::ByteBuffer*>(message));
        } else {
          keys_ = ExtractRequestKeys(*static_cast<const google::protobuf::Message*>(message));
        }
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      std::multimap<std::string, std::string>* metadata = methods->GetSendInitialMetadata();
      auto found = metadata->find("x-request-id");
      if (found != metadata->end()) request_id_ = found->second;
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      if (Finish(methods)) return;  // the writer thread proceeds once the entry is committed
    }
    methods->Proceed();
  }

 private:
  // Builds and hands over the entry; true when Proceed is left to the writer.
  bool Finish(InterceptorBatchMethods* methods) {
    const grpc::Status sent = methods->GetSendStatus();
    absl::StatusOr<Principal> caller =
        AuthenticateCaller(*runtime_, *context_, absl::Now());
    const Principal* principal = caller.ok() ? &*caller : nullptr;
    if (audit_ == MethodAudit::kRead &&
        !IsAuditedRead(principal, keys_.las, runtime_->hub_region)) {
      return false;
    }
    AuditEntry entry;
    entry.time_us = absl::ToUnixMicros(absl::Now());
    if (principal != nullptr) {
      entry.subject = principal->subject;
      for (Role role : principal->roles) entry.roles.emplace_back(RoleName(role));
      entry.principal_la = principal->la_code;
      entry.principal_region = principal->region_code;
    }
    entry.method = method_;
    entry.request_id = request_id_;
    entry.kind = audit_ == MethodAudit::kWrite ? AuditKind::kWrite : AuditKind::kRead;
    const absl::Status outcome = FromGrpcStatus(sent);
    entry.code = absl::StatusCodeToString(outcome.code());
    entry.reason = outcome.ok() ? "" : GetErrorReason(outcome);
    entry.las = std::move(keys_.las);
    entry.record_keys = std::move(keys_.record_keys);
    if (audit_ == MethodAudit::kRead) {
      writer_->Append(std::move(entry), nullptr);
      return false;
    }
    const bool succeeded = sent.ok();
    const char* method = method_;
    writer_->Append(std::move(entry), [methods, succeeded, method](const absl::Status& committed) {
      if (!committed.ok()) {
        LogError("audit_not_recorded").Str("method", method).Bool("call_succeeded", succeeded);
        if (succeeded) {
          absl::Status refused = absl::UnavailableError(
              "the call's audit entry could not be recorded; it may have taken effect: retry "
              "with the same request_id");
          SetErrorInfo(refused, kAuditNotRecordedReason, {{"method", method}});
          methods->ModifySendStatus(ToGrpcStatus(refused));
        }
      }
      methods->Proceed();  // last: the call (and this interceptor) may end once it runs
    });
    return true;
  }

  const CallRuntime* const runtime_;
  AuditWriter* const writer_;
  const char* const method_;  // owned by the server's method table, which outlives the call
  // The keys of a raw method's request, parsed from a copy of its bytes (none if it does not
  // parse: the handler answers that).
  RequestKeys KeysOfBytes(const grpc::ByteBuffer& bytes) const {
    std::vector<grpc::Slice> slices;
    if (!bytes.Dump(&slices).ok()) return {};
    std::string serialized;
    for (const grpc::Slice& slice : slices) {
      serialized.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
    const google::protobuf::Message* prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(request_type_);
    if (prototype == nullptr) return {};
    std::unique_ptr<google::protobuf::Message> request(prototype->New());
    if (!request->ParseFromString(serialized)) return {};
    return ExtractRequestKeys(*request);
  }

  const MethodAudit audit_;
  const google::protobuf::Descriptor* const request_type_;
  const bool raw_;
  grpc::ServerContextBase* const context_;
  bool have_request_ = false;
  RequestKeys keys_;
  std::string request_id_;
};

}  // namespace

namespace {

// `method`'s descriptor in the generated pool, or null.
const google::protobuf::MethodDescriptor* FindMethod(absl::string_view method) {
  if (method.size() < 2 || method[0] != '/') return nullptr;
  const std::string dotted = absl::StrReplaceAll(method.substr(1), {{"/", "."}});
  return google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(dotted);
}

}  // namespace

MethodAudit ClassifyMethod(absl::string_view method) {
  if (absl::StartsWith(method, "/grpc.health.v1.") ||
      absl::StartsWith(method, "/grpc.reflection.")) {
    return MethodAudit::kNone;
  }
  const google::protobuf::MethodDescriptor* descriptor = FindMethod(method);
  if (descriptor != nullptr &&
      descriptor->options().idempotency_level() == google::protobuf::MethodOptions::NO_SIDE_EFFECTS) {
    return MethodAudit::kRead;
  }
  return MethodAudit::kWrite;
}

bool IsAuditedRead(const Principal* caller, const std::vector<std::string>& las,
                   absl::string_view hub_region) {
  if (caller == nullptr || caller->region_code != hub_region || caller->la_code.empty()) {
    return true;
  }
  return std::any_of(las.begin(), las.end(),
                     [caller](const std::string& la) { return la != caller->la_code; });
}

grpc::experimental::Interceptor* AuditInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  if (info->method() == nullptr) return nullptr;  // no method: nothing is served
  const MethodAudit audit = ClassifyMethod(info->method());
  if (audit == MethodAudit::kNone) return nullptr;
  const google::protobuf::MethodDescriptor* descriptor = FindMethod(info->method());
  return new AuditInterceptor(runtime_, writer_, info->method(), audit,
                              descriptor == nullptr ? nullptr : descriptor->input_type(),
                              raw_methods_.contains(info->method()), info->server_context());
}

}  // namespace slihub::audit
