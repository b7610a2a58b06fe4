// Tells a caller that its request could not be parsed. gRPC's callback handlers (1.51) answer a
// request whose bytes do not parse as the method's request message (invalid UTF-8 in a proto3
// string field, or not protobuf at all) with UNIMPLEMENTED and an empty message, before any
// slihub code runs; this interceptor turns that answer into INVALID_ARGUMENT saying so.
#ifndef SLIHUB_COMMON_SERVER_UNPARSED_REQUEST_INTERCEPTOR_H_
#define SLIHUB_COMMON_SERVER_UNPARSED_REQUEST_INTERCEPTOR_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/server_interceptor.h"

namespace slihub {

// The ErrorInfo reason of a request that could not be parsed.
inline constexpr char kRequestNotParsedReason[] = "REQUEST_NOT_PARSED";

// INVALID_ARGUMENT for a request to `method` ("/pkg.Service/Method") that could not be parsed:
// the message names the request message type (from the generated descriptor pool) and the likely
// causes; ErrorInfo REQUEST_NOT_PARSED with the method in its metadata.
absl::Status UnparsedRequestError(absl::string_view method);

// Makes one interceptor per unary or server-streaming call (the calls whose single request
// message gRPC parses before the handler runs). It notes whether gRPC could parse the request
// and, only when it could not and gRPC answers UNIMPLEMENTED with an empty message, sends
// UnparsedRequestError instead (and logs the call). Any other answer, including UNIMPLEMENTED
// for a method the server does not serve, goes out unchanged. Thread-safe.
class UnparsedRequestInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_UNPARSED_REQUEST_INTERCEPTOR_H_
