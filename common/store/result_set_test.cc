#include "common/store/result_set.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace slihub::store {
namespace {

ResultSet OneRow() {
  ResultSet rs({"n", "d", "t", "b", "z"});
  rs.AddRow({Int(7), Real(2.5), Text("seven"), Bytes(std::string("\0\1", 2)), Null()});
  return rs;
}

TEST(ResultSetTest, TypedGettersByIndexAndName) {
  ResultSet rs = OneRow();
  ASSERT_EQ(rs.size(), 1u);
  const Row& row = rs[0];
  EXPECT_EQ(row.GetInt64(0), 7);
  EXPECT_EQ(row.GetDouble("d"), 2.5);
  EXPECT_EQ(row.GetText("t"), "seven");
  EXPECT_EQ(row.GetBlob("b"), std::string("\0\1", 2));
  EXPECT_TRUE(row.IsNull("z"));
  EXPECT_FALSE(row.IsNull(0));
  EXPECT_EQ(rs.ColumnIndex("t"), 2u);
  EXPECT_EQ(rs.ColumnIndex("missing"), std::nullopt);
}

TEST(ResultSetTest, ConversionsFollowSqlite) {
  ResultSet rs = OneRow();
  const Row& row = rs[0];
  EXPECT_EQ(row.GetDouble("n"), 7.0);
  EXPECT_EQ(row.GetInt64("d"), 2);
  EXPECT_EQ(row.GetText("b"), std::string("\0\1", 2));
  EXPECT_EQ(row.GetBlob("t"), "seven");
  EXPECT_EQ(row.GetInt64("z"), 0);
  EXPECT_EQ(row.GetText("z"), "");
  EXPECT_EQ(row.GetInt64("t"), 0);
}

TEST(ResultSetTest, RowOutlivesItsResultSet) {
  Row copy = [] { return OneRow()[0]; }();
  EXPECT_EQ(copy.GetText("t"), "seven");
  EXPECT_EQ(copy.columns().size(), 5u);
}

TEST(ResultSetDeathTest, UnknownColumnAborts) {
  ResultSet rs = OneRow();
  EXPECT_DEATH(rs[0].GetInt64("nope"), "no such column in result: nope");
  EXPECT_DEATH(rs[0].GetInt64(9), "column index out of range");
}

TEST(ValueTest, HelpersMakeTheRightAlternative) {
  EXPECT_TRUE(IsNull(Null()));
  EXPECT_TRUE(std::holds_alternative<int64_t>(Int(1)));
  EXPECT_TRUE(std::holds_alternative<double>(Real(1)));
  EXPECT_TRUE(std::holds_alternative<std::string>(Text("x")));
  EXPECT_TRUE(std::holds_alternative<Blob>(Bytes("x")));
  Value from_int = 5;
  EXPECT_TRUE(std::holds_alternative<int64_t>(from_int));
  Value from_literal = "text";
  EXPECT_TRUE(std::holds_alternative<std::string>(from_literal));
}

}  // namespace
}  // namespace slihub::store
