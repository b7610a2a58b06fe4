// The personal-data log scan finds what it must (planted lines) and passes ordinary log lines.
#include "tests/support/log_scanner.h"

#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace slihub::testing {
namespace {

TEST(LogScannerTest, FindsEachKindOfPersonalData) {
  const char* const planted[] = {
      R"({"event":"engagement_checked","swe":"SW6001"})",
      R"({"event":"x","detail":"worker sw12345 not found"})",
      R"({"event":"referral","home":"CB2 1TN"})",
      R"({"event":"referral","profile":{"age_years":14}})",
      R"({"event":"referral","risk":"RISK_CATEGORY_SELF_HARM"})",
      R"({"event":"exception","reason":"Court deadline; no permanent worker available."})",
      R"({"event":"return","comment":"Submitted by the 926 data team"})",
  };
  for (const char* line : planted) {
    EXPECT_TRUE(PersonalDataIn(line).has_value()) << line;
  }
  EXPECT_EQ(*PersonalDataIn(R"({"swe":"SW6001"})"), "SWE number SW6001");
  EXPECT_EQ(*PersonalDataIn(R"({"home":"NR1 3QU"})"), "postcode NR1 3QU");
}

TEST(LogScannerTest, PassesOrdinaryLogLines) {
  const char* const clean[] = {
      R"({"time":"2026-01-05T10:00:00Z","level":"info","event":"rpc","method":"/slihub.workforce.v1.WorkforceService/CheckEngagement","code":"OK","ms":3})",
      R"({"event":"server_started","address":"127.0.0.1:7201","region":"SW","cycle":"SW-2026"})",
      R"({"event":"peer","district":"SW1A","other":"SW19","la":"873"})",
      R"({"event":"rpc","request_id":"req-6001","subject":"it-hr-873"})",
  };
  for (const char* line : clean) {
    EXPECT_FALSE(PersonalDataIn(line).has_value()) << line << ": " << *PersonalDataIn(line);
  }
}

TEST(LogScannerTest, ScanLogDirNamesTheFileAndLineOfAPlantedLine) {
  TempDir dir;
  std::ofstream(dir.Join("a.log")) << R"({"event":"ok"})" << "\n"
                                   << R"({"event":"leak","swe":"SW777"})" << "\n";
  std::ofstream(dir.Join("b.log")) << R"({"event":"ok"})" << "\n";
  int files = 0;
  long lines = 0;
  const std::vector<LogFinding> findings = ScanLogDir(dir.path(), &files, &lines);
  EXPECT_EQ(files, 2);
  EXPECT_EQ(lines, 3);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].file, dir.Join("a.log"));
  EXPECT_EQ(findings[0].line, 2);
  EXPECT_EQ(findings[0].what, "SWE number SW777");
}

}  // namespace
}  // namespace slihub::testing
