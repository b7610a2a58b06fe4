#include "common/errors/errors.h"

#include "common/errors/grpc_status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace slihub {
namespace {

TEST(ErrorsTest, FieldViolationsBecomeBadRequestDetail) {
  FieldViolations v;
  EXPECT_TRUE(v.ToStatus().ok());
  v.Add("la_code.value", "must be three digits");
  v.AddNested("engagement", {{"start_date.month", "outside 1..12"}});
  absl::Status status = v.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "la_code.value: must be three digits (and 1 more)");
  auto got = GetFieldViolations(status);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].field, "engagement.start_date.month");
}

TEST(ErrorsTest, GrpcStatusCarriesGoogleRpcStatusDetails) {
  absl::Status status = InvalidArgumentError("bad", {{"a", "x"}, {"b", "y"}});
  SetErrorInfo(status, "VALIDATION_FAILED", {{"count", "2"}});
  grpc::Status wire = ToGrpcStatus(status);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(wire.error_message(), "bad");

  google::rpc::Status decoded;
  ASSERT_TRUE(decoded.ParseFromString(wire.error_details()));
  EXPECT_EQ(decoded.code(), 3);
  ASSERT_EQ(decoded.details_size(), 2);
  bool saw_bad_request = false;
  for (const auto& any : decoded.details()) {
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&bad_request)) {
      saw_bad_request = true;
      ASSERT_EQ(bad_request.field_violations_size(), 2);
      EXPECT_EQ(bad_request.field_violations(1).field(), "b");
    }
  }
  EXPECT_TRUE(saw_bad_request);

  absl::Status back = FromGrpcStatus(wire);
  EXPECT_EQ(back.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(back).size(), 2u);
  EXPECT_EQ(GetErrorReason(back), "VALIDATION_FAILED");
}

TEST(ErrorsTest, PreconditionFailureRoundTrips) {
  absl::Status status =
      FailedPreconditionError("no bed", {{"CAPACITY", "vacancy/7", "no beds left"}});
  absl::Status back = FromGrpcStatus(ToGrpcStatus(status));
  EXPECT_EQ(back.code(), absl::StatusCode::kFailedPrecondition);
  auto got = GetPreconditionViolations(back);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].subject, "vacancy/7");
}

TEST(ErrorsTest, PlainStatusHasNoDetails) {
  grpc::Status wire = ToGrpcStatus(absl::NotFoundError("gone"));
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(wire.error_details().empty());
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

}  // namespace
}  // namespace slihub
