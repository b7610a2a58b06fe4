#include "common/server/method_table.h"

#include "gtest/gtest.h"
#include "slihub/common/v1/diagnostics_service.grpc.pb.h"

namespace slihub {
namespace {

const google::protobuf::ServiceDescriptor& Diagnostics() {
  return *slihub::common::v1::EchoRequest::descriptor()->file()->FindServiceByName(
      "DiagnosticsService");
}

MethodSpec Row(const char* method) {
  return MethodSpec{MethodName("slihub.common.v1.DiagnosticsService", method), {}};
}

TEST(MethodTableTest, AcceptsExactlyOneRowPerRpc) {
  const MethodSpec echo = Row("Echo"), who = Row("WhoAmI"), status = Row("GetServerStatus");
  EXPECT_TRUE(CheckMethodTable(Diagnostics(), {&echo, &who, &status}).ok());
}

TEST(MethodTableTest, NamesMissingTwiceAndForeignRows) {
  const MethodSpec echo = Row("Echo"), who = Row("WhoAmI"), stray = Row("Reboot");
  absl::Status status = CheckMethodTable(Diagnostics(), {&echo, &echo, &who, &stray});
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  const std::string message(status.message());
  EXPECT_NE(message.find("GetServerStatus has no row"), std::string::npos) << message;
  EXPECT_NE(message.find("Echo has 2 rows"), std::string::npos) << message;
  EXPECT_NE(message.find("Reboot is not an RPC"), std::string::npos) << message;
}

}  // namespace
}  // namespace slihub
