#include "common/base/csv_writer.h"

#include "common/base/csv.h"
#include "gtest/gtest.h"

namespace slihub {
namespace {

TEST(CsvWriterTest, QuotesAsRfc4180) {
  EXPECT_EQ(CsvCell("plain"), "plain");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvCell("two\nlines"), "\"two\nlines\"");
}

TEST(CsvWriterTest, NeutralisesFormulaeButKeepsNumbers) {
  EXPECT_EQ(CsvCell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvCell("+1+2"), "'+1+2");
  EXPECT_EQ(CsvCell("-2+3"), "'-2+3");
  EXPECT_EQ(CsvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvCell("\tx"), "'\tx");
  EXPECT_EQ(CsvCell("\rx"), "\"'\rx\"");
  EXPECT_EQ(CsvCell("-12"), "-12");
  EXPECT_EQ(CsvCell("-0.5"), "-0.5");
  EXPECT_EQ(CsvCell("-"), "'-");
}

TEST(CsvWriterTest, RowsReadBackWithTheParser) {
  CsvWriter w;
  w.AddRow({"la_code", "note"});
  w.Cell("873").Cell("a, \"quoted\" note\nover lines").EndRow();
  absl::StatusOr<std::vector<CsvRecord>> parsed = ParseCsv(w.str());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[1].fields[1], "a, \"quoted\" note\nover lines");
  EXPECT_EQ(w.str().substr(0, 15), "la_code,note\r\n8");
}

}  // namespace
}  // namespace slihub
