#include "common/errors/errors.h"

#include "common/errors/grpc_status.h"
#include "absl/strings/str_cat.h"
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

TEST(ErrorsTest, HugeMessageIsCutOnACharacterBoundary) {
  std::string message;
  for (int i = 0; i < 1000; ++i) message += "\xc3\xa9";  // U+00E9, two bytes each
  grpc::Status wire = ToGrpcStatus(absl::NotFoundError(message));
  EXPECT_LE(wire.error_message().size(), kMaxStatusMessageBytes);
  EXPECT_EQ(wire.error_message().substr(wire.error_message().size() - 3), "...");
  const std::string kept = wire.error_message().substr(0, wire.error_message().size() - 3);
  EXPECT_EQ(kept.size() % 2, 0u) << "a character was split";
}

TEST(ErrorsTest, HugeDetailsAreBoundedKeepingTheFirstViolations) {
  FieldViolations v;
  for (int i = 0; i < 100; ++i) {
    v.Add(absl::StrCat("values[", i, "].indicator_id"),
          absl::StrCat("unknown indicator '", std::string(70000, 'x'), "'"));
  }
  grpc::Status wire = ToGrpcStatus(v.ToStatus());
  EXPECT_LE(wire.error_details().size(), kMaxStatusDetailsBytes);
  EXPECT_NE(wire.error_message().find("more not listed)"), std::string::npos)
      << wire.error_message();
  auto back = GetFieldViolations(FromGrpcStatus(wire));
  ASSERT_GE(back.size(), 5u);
  EXPECT_LT(back.size(), 100u);
  EXPECT_EQ(back[0].field, "values[0].indicator_id");
  EXPECT_EQ(back[4].field, "values[4].indicator_id");
  EXPECT_LE(back[0].description.size(), kMaxDetailStringBytes);
  EXPECT_EQ(back[0].description.substr(0, 19), "unknown indicator '");
}

TEST(ErrorsTest, SmallDetailsAreUntouched) {
  FieldViolations v;
  v.Add("la_code.value", std::string(300, 'y'));
  grpc::Status wire = ToGrpcStatus(v.ToStatus());
  auto back = GetFieldViolations(FromGrpcStatus(wire));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].description, std::string(300, 'y'));
}

TEST(ErrorsTest, PlainStatusHasNoDetails) {
  grpc::Status wire = ToGrpcStatus(absl::NotFoundError("gone"));
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(wire.error_details().empty());
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

}  // namespace
}  // namespace slihub
