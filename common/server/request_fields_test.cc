#include "common/server/request_fields.h"
#include "common/server/request_limits.h"

#include "gtest/gtest.h"

namespace slihub {
namespace {

std::string Only(const FieldViolations& v) {
  return v.violations().size() == 1
             ? v.violations()[0].field + ": " + v.violations()[0].description
             : "<" + std::to_string(v.violations().size()) + " violations>";
}

TEST(RequestFieldsTest, RequestIdsAreRequiredAndPlain) {
  EXPECT_TRUE(IsValidRequestId("3f2b9c1e-7a55-4b1a-9d0e-2c6f8e1a4b77"));
  EXPECT_FALSE(IsValidRequestId(""));
  EXPECT_FALSE(IsValidRequestId("has space"));
  EXPECT_FALSE(IsValidRequestId(std::string(129, 'a')));
  FieldViolations v;
  CheckRequestId("", "request_id", &v);
  EXPECT_EQ(Only(v), "request_id: is required (the idempotency key of this write)");
}

TEST(RequestFieldsTest, TextMustBeUtf8AndWithinItsLimit) {
  FieldViolations v;
  CheckText("caf\xE9", "note", kLongText, &v);
  EXPECT_EQ(Only(v), "note: is not valid UTF-8 (byte 4)");
  FieldViolations w;
  CheckText("", "name", kRequiredShortText, &w);
  EXPECT_EQ(Only(w), "name: is required");
  FieldViolations x;
  CheckText("two\nlines", "name", kShortText, &x);
  EXPECT_EQ(Only(x), "name: contains a control character (byte 4)");
}

TEST(RequestFieldsTest, DatesMustBeRealAndInTheWindow) {
  slihub::common::v1::CivilDate d;
  d.set_year(9999);
  d.set_month(12);
  d.set_day(31);
  FieldViolations v;
  EXPECT_FALSE(ReadDate(d, true, "start_date", &v).has_value());
  EXPECT_EQ(Only(v), "start_date.year: must be between 1950 and 2100");
  d.set_year(2026);
  d.set_month(4);
  FieldViolations w;
  EXPECT_FALSE(ReadDate(d, true, "start_date", &w).has_value());
  EXPECT_EQ(Only(w), "start_date.day: is not a day of 2026-04");
  FieldViolations x;
  EXPECT_FALSE(ReadDate(d, false, "start_date", &x).has_value());
  EXPECT_EQ(Only(x), "start_date: is required");
  FieldViolations y;
  EXPECT_FALSE(ReadOptionalDate(d, false, "end_date", &y).has_value());
  EXPECT_TRUE(y.empty());
  d.set_day(30);
  EXPECT_EQ(*ReadDate(d, true, "start_date", &y), absl::CivilDay(2026, 4, 30));
}

TEST(RequestFieldsTest, RangesNameTheirBounds) {
  FieldViolations v;
  CheckRange(-5, 0, 36500, "days", &v);
  EXPECT_EQ(Only(v), "days: must be between 0 and 36500");
}

TEST(RequestFieldsTest, CountsNameTheirLimit) {
  FieldViolations v;
  EXPECT_TRUE(CheckCount(20, 20, "exception_ids", &v));
  EXPECT_TRUE(v.empty());
  EXPECT_FALSE(CheckCount(21, 20, "exception_ids", &v));
  EXPECT_EQ(Only(v), "exception_ids: must hold at most 20 items, not 21");
}

}  // namespace
}  // namespace slihub
