// The adapter edge: absl::Status with payloads <-> grpc::Status with google.rpc.Status details.
#ifndef SLIHUB_COMMON_ERRORS_GRPC_STATUS_H_
#define SLIHUB_COMMON_ERRORS_GRPC_STATUS_H_

#include <cstddef>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace slihub {

// Bounds on what an error sends back, so that an error echoing a huge input still fits a
// default client's 8 KiB metadata limit (message and details travel in trailers).
inline constexpr size_t kMaxStatusMessageBytes = 512;
inline constexpr size_t kMaxStatusDetailsBytes = 3072;
inline constexpr size_t kMaxDetailStringBytes = 200;

// Converts `status` to a grpc::Status with the same canonical code and message; every payload
// becomes a google.protobuf.Any in a serialized google.rpc.Status (grpc-status-details-bin).
// The message is cut to kMaxStatusMessageBytes (on a UTF-8 boundary); when the details exceed
// kMaxStatusDetailsBytes, strings in known google.rpc payloads are cut to kMaxDetailStringBytes,
// then trailing violations are dropped and counted in the message.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The inverse, for clients and tests: code, message, and each detail back as a payload.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace slihub

#endif  // SLIHUB_COMMON_ERRORS_GRPC_STATUS_H_
