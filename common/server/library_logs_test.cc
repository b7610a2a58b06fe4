#include "common/server/library_logs.h"

#include <fstream>
#include <sstream>

#include "common/base/log.h"
#include "google/protobuf/stubs/logging.h"
#include "grpc/grpc.h"
#include "grpc/support/log.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace slihub {
namespace {

TEST(LibraryLogsTest, ProtobufAndGrpcMessagesBecomeJsonLines) {
  testing::TempDir dir;
  const std::string path = dir.Join("server.log");
  ConfigureLogging(LogLevel::kInfo, "workforce", "EE");
  ASSERT_TRUE(ConfigureLogFile(path, 1 << 20, 1).ok());
  RouteLibraryLogs();
  grpc_init();  // gRPC logs nothing before it is initialised (a server always is)
  GOOGLE_LOG(ERROR) << "String field 'x' contains invalid UTF-8 data";
  gpr_log(GPR_ERROR, "connection \"%s\" failed", "c1");
  grpc_shutdown();
  ASSERT_TRUE(ConfigureLogFile("", 0, 0).ok());

  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::istringstream lines(text.str());
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    EXPECT_EQ(line.front(), '{') << line;
    EXPECT_EQ(line.back(), '}') << line;
    EXPECT_NE(line.find("\"event\":\"library_log\""), std::string::npos) << line;
  }
  EXPECT_EQ(count, 2) << text.str();
  EXPECT_NE(text.str().find("\"source\":\"protobuf\""), std::string::npos);
  EXPECT_NE(text.str().find("invalid UTF-8 data"), std::string::npos);
  EXPECT_NE(text.str().find("\"source\":\"grpc\""), std::string::npos);
  EXPECT_NE(text.str().find("connection \\\"c1\\\" failed"), std::string::npos) << text.str();
}

}  // namespace
}  // namespace slihub
