#include "common/base/csv.h"

#include "gtest/gtest.h"

namespace slihub {
namespace {

TEST(CsvTest, ParsesQuotedFieldsWithCommasAndQuotes) {
  auto records = ParseCsv("a,b\n801,\"Bristol, City of\",\"say \"\"hi\"\"\"\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[1].fields,
            (std::vector<std::string>{"801", "Bristol, City of", "say \"hi\""}));
  EXPECT_EQ((*records)[1].line, 2);
}

TEST(CsvTest, HandlesCrlfBomBlankLinesAndEmptyFields) {
  auto records = ParseCsv("\xEF\xBB\xBFx,y\r\n\r\n1,\r\n,2");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[0].fields, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ((*records)[1].fields, (std::vector<std::string>{"1", ""}));
  EXPECT_EQ((*records)[1].line, 3);
  EXPECT_EQ((*records)[2].fields, (std::vector<std::string>{"", "2"}));
}

TEST(CsvTest, QuotedFieldSpanningLinesKeepsStartLine) {
  auto records = ParseCsv("h\n\"two\nlines\",x\nnext\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[1].fields[0], "two\nlines");
  EXPECT_EQ((*records)[1].line, 2);
  EXPECT_EQ((*records)[2].line, 4);
}

TEST(CsvTest, RejectsUnterminatedAndStrayQuotes) {
  auto open = ParseCsv("a\n\"never closed\n");
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.status().message().find("line 2"), std::string::npos);
  EXPECT_FALSE(ParseCsv("ab\"c\n").ok());
  EXPECT_FALSE(ParseCsv("\"ab\"c\n").ok());
}

TEST(CsvTest, MissingFileIsNotFound) {
  EXPECT_EQ(ReadCsvFile("/nonexistent/file.csv").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace slihub
