#include "common/base/civil_date.h"

#include "gtest/gtest.h"

namespace slihub {
namespace {

TEST(CivilDateTest, ParsesAndFormatsRoundTrip) {
  auto day = ParseCivilDate("2025-10-01");
  ASSERT_TRUE(day.ok()) << day.status();
  EXPECT_EQ(*day, absl::CivilDay(2025, 10, 1));
  EXPECT_EQ(FormatCivilDate(*day), "2025-10-01");
}

TEST(CivilDateTest, RejectsMalformedAndImpossibleDates) {
  for (const char* text : {"2025-1-01", "2025/01/01", "20250101", "2025-02-29", "2024-13-01",
                           "2024-00-10", "1899-12-31", "2025-04-31", "abcd-ef-gh", ""}) {
    EXPECT_FALSE(ParseCivilDate(text).ok()) << text;
  }
  EXPECT_TRUE(ParseCivilDate("2024-02-29").ok());
}

TEST(CivilDateTest, MakeValidatesFields) {
  EXPECT_TRUE(MakeCivilDate(2025, 6, 30).ok());
  EXPECT_FALSE(MakeCivilDate(2025, 6, 31).ok());
  EXPECT_FALSE(MakeCivilDate(0, 0, 0).ok());
}

TEST(CivilDateTest, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2025, 1, 31), 1), absl::CivilDay(2025, 2, 28));
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2024, 1, 31), 1), absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2024, 2, 29), 12), absl::CivilDay(2025, 2, 28));
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2025, 11, 30), 3), absl::CivilDay(2026, 2, 28));
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2025, 5, 15), -6), absl::CivilDay(2024, 11, 15));
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2025, 3, 31), -1), absl::CivilDay(2025, 2, 28));
}

}  // namespace
}  // namespace slihub

namespace slihub {
namespace {

// printf's rendering, the reference the hand-written formatter must match.
std::string PrintfDate(absl::CivilDay day) {
  char text[32];
  std::snprintf(text, sizeof(text), "%04lld-%02d-%02d", static_cast<long long>(day.year()),
                day.month(), day.day());
  return text;
}

TEST(CivilDateFormatTest, MatchesPrintfOnEveryDayOfTwoCenturiesAndAtTheEdges) {
  for (absl::CivilDay day(1900, 1, 1); day <= absl::CivilDay(2100, 12, 31); ++day) {
    ASSERT_EQ(FormatCivilDate(day), PrintfDate(day));
  }
  for (absl::CivilDay day : {absl::CivilDay(0, 1, 1), absl::CivilDay(1, 2, 3),
                             absl::CivilDay(999, 12, 31), absl::CivilDay(9999, 12, 31),
                             absl::CivilDay(10000, 1, 1), absl::CivilDay(-1, 6, 15)}) {
    EXPECT_EQ(FormatCivilDate(day), PrintfDate(day)) << day;
  }
  EXPECT_EQ(FormatCivilDate(absl::CivilDay(2024, 2, 29)), "2024-02-29");
}

}  // namespace
}  // namespace slihub
