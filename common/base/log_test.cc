#include "common/base/log.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

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

int64_t FileSize(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 ? info.st_size : -1;
}

TEST(LogTest, AFileLogRotatesBeforeItPassesItsLimitAndKeepsOnlyNFiles) {
  testing::TempDir dir;
  const std::string path = dir.Join("svc.log");
  ConfigureLogging(LogLevel::kInfo, "workforce", "EE");
  ASSERT_TRUE(ConfigureLogFile(path, 4096, 2).ok());
  // ~100 bytes a line: 1000 lines are ~100 KB, far past (2 + 1) files of 4 KB.
  for (int i = 0; i < 1000; ++i) LogInfo("call").Int("i", i).Str("pad", std::string(20, 'x'));
  ASSERT_TRUE(ConfigureLogFile("", 0, 0).ok());  // back to stderr for the other tests
  for (const std::string& p : {path + ".1", path + ".2"}) {  // full when rotated
    EXPECT_GT(FileSize(p), 3000) << p;
    EXPECT_LE(FileSize(p), 4096) << p;
  }
  EXPECT_GT(FileSize(path), 0);
  EXPECT_LE(FileSize(path), 4096);
  EXPECT_EQ(FileSize(path + ".3"), -1);
  // The newest line is last in the current file, and every line is whole.
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    EXPECT_EQ(line.front(), '{');
    EXPECT_EQ(line.back(), '}');
    last = line;
  }
  EXPECT_NE(last.find("\"i\":999,"), std::string::npos) << last;
  EXPECT_FALSE(ConfigureLogFile(dir.Join("no/such/dir/x.log"), 4096, 2).ok());
}

}  // namespace
}  // namespace slihub
