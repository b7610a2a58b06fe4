#include "common/server/unparsed_request_interceptor.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/base/log.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "google/protobuf/descriptor.h"

namespace slihub {
namespace {

using grpc::experimental::InterceptionHookPoints;

// The full name of `method`'s request message ("slihub.workforce.v1.CheckEngagementRequest"), or
// empty when the generated pool does not know the method.
std::string RequestTypeName(absl::string_view method) {
  if (method.size() < 2 || method[0] != '/') return "";
  const std::string dotted = absl::StrReplaceAll(method.substr(1), {{"/", "."}});
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(dotted);
  return descriptor == nullptr ? "" : descriptor->input_type()->full_name();
}

// See UnparsedRequestInterceptorFactory. One per call; gRPC calls it from one thread at a time.
class UnparsedRequestInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit UnparsedRequestInterceptor(const char* method) : method_(method) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    // The server hands interceptors the parsed request, or null when it could not parse it.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      unparsed_ = methods->GetRecvMessage() == nullptr;
    }
    if (unparsed_ && methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status sent = methods->GetSendStatus();
      if (sent.error_code() == grpc::StatusCode::UNIMPLEMENTED && sent.error_message().empty()) {
        const absl::Status error = UnparsedRequestError(method_);
        methods->ModifySendStatus(ToGrpcStatus(error));
        LogWarning("rpc")
            .Str("method", method_)
            .Str("code", absl::StatusCodeToString(error.code()))
            .Str("reason", kRequestNotParsedReason);
      }
    }
    methods->Proceed();
  }

 private:
  const char* const method_;  // owned by the server's method table, which outlives the call
  bool unparsed_ = false;
};

}  // namespace

absl::Status UnparsedRequestError(absl::string_view method) {
  const std::string type = RequestTypeName(method);
  absl::Status error = absl::InvalidArgumentError(absl::StrCat(
      "the request could not be parsed as ",
      type.empty() ? absl::StrCat("the request message of ", method) : type,
      " (invalid UTF-8 in a string field, or not protobuf)"));
  SetErrorInfo(error, kRequestNotParsedReason, {{"method", std::string(method)}});
  return error;
}

grpc::experimental::Interceptor* UnparsedRequestInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  using Type = grpc::experimental::ServerRpcInfo::Type;
  if (info->type() != Type::UNARY && info->type() != Type::SERVER_STREAMING) return nullptr;
  return new UnparsedRequestInterceptor(info->method());
}

}  // namespace slihub
