#include "common/base/log.h"

#include "gtest/gtest.h"

namespace slihub {
namespace {

TEST(LogTest, EscapesJsonStrings) {
  std::string out;
  AppendJsonString("a\"b\\c\nd\x01", &out);
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\u0001\"");
}

TEST(LogTest, WritesOneJsonObjectPerLine) {
  ConfigureLogging(LogLevel::kInfo, "workforce", "EE");
  ::testing::internal::CaptureStderr();
  LogInfo("call").Str("method", "/x.Y/Z").Int("code", 3).Bool("ok", false).Millis(
      "latency_ms", absl::Microseconds(1500));
  LogDebug("hidden").Str("k", "v");
  const std::string text = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(text.find("hidden"), std::string::npos);
  ASSERT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find('\n'), text.size() - 1);
  EXPECT_NE(text.find("\"service\":\"workforce\",\"hub\":\"EE\",\"event\":\"call\""),
            std::string::npos);
  EXPECT_NE(text.find("\"method\":\"/x.Y/Z\",\"code\":3,\"ok\":false,\"latency_ms\":1.500}"),
            std::string::npos);
}

TEST(LogTest, ParsesLevels) {
  LogLevel level;
  EXPECT_TRUE(ParseLogLevel("warning", &level));
  EXPECT_EQ(level, LogLevel::kWarning);
  EXPECT_FALSE(ParseLogLevel("loud", &level));
}

}  // namespace
}  // namespace slihub
