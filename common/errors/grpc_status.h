// The adapter edge: absl::Status with payloads <-> grpc::Status with google.rpc.Status details.
#ifndef SLIHUB_COMMON_ERRORS_GRPC_STATUS_H_
#define SLIHUB_COMMON_ERRORS_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace slihub {

// Converts `status` to a grpc::Status with the same canonical code and message; every payload
// becomes a google.protobuf.Any in a serialized google.rpc.Status (grpc-status-details-bin).
grpc::Status ToGrpcStatus(const absl::Status& status);

// The inverse, for clients and tests: code, message, and each detail back as a payload.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace slihub

#endif  // SLIHUB_COMMON_ERRORS_GRPC_STATUS_H_
