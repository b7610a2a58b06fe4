// Conversions between absl time types and google.protobuf Timestamp / Duration.
#ifndef SLIHUB_COMMON_SERVER_PROTO_TIME_H_
#define SLIHUB_COMMON_SERVER_PROTO_TIME_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace slihub {

// `time` as a Timestamp (truncated to nanoseconds).
google::protobuf::Timestamp ToProtoTimestamp(absl::Time time);
// A valid Timestamp as absl::Time; InvalidArgument when nanos are outside 0..999999999.
absl::StatusOr<absl::Time> FromProtoTimestamp(const google::protobuf::Timestamp& timestamp);
// A valid Duration as absl::Duration; InvalidArgument when nanos are out of range or their
// sign disagrees with seconds.
absl::StatusOr<absl::Duration> FromProtoDuration(const google::protobuf::Duration& duration);
// A finite `duration` as a Duration (truncated to nanoseconds; seconds and nanos share a sign).
google::protobuf::Duration ToProtoDuration(absl::Duration duration);

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_PROTO_TIME_H_
