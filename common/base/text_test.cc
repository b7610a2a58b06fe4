#include "common/base/text.h"

#include "gtest/gtest.h"

namespace slihub {
namespace {

TEST(TextTest, AcceptsWellFormedUtf8) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII"));
  EXPECT_TRUE(IsValidUtf8("en \xE2\x80\x93 dash, O\xE2\x80\x99Neill, \xF0\x9F\x98\x80"));
  EXPECT_EQ(CountCodePoints("O\xE2\x80\x99Neill"), 7u);
}

TEST(TextTest, FindsTheFirstIllFormedByte) {
  // Latin-1 "café" and a Windows-1252 en dash (0x96) are not UTF-8.
  EXPECT_EQ(FirstInvalidUtf8("caf\xE9"), 3u);
  EXPECT_EQ(FirstInvalidUtf8("a \x96 b"), 2u);
  // Overlong '/', a UTF-16 surrogate, above U+10FFFF, a truncated sequence.
  EXPECT_EQ(FirstInvalidUtf8("\xC0\xAF"), 0u);
  EXPECT_EQ(FirstInvalidUtf8("x\xED\xA0\x80"), 1u);
  EXPECT_EQ(FirstInvalidUtf8("\xF4\x90\x80\x80"), 0u);
  EXPECT_EQ(FirstInvalidUtf8("ab\xE2\x80"), 2u);
}

TEST(TextTest, RepairsByReplacingEachBadByte) {
  EXPECT_EQ(ReplaceInvalidUtf8("caf\xE9!"), "caf\xEF\xBF\xBD!");
  EXPECT_EQ(ReplaceInvalidUtf8("fine \xE2\x80\x93"), "fine \xE2\x80\x93");
}

TEST(TextTest, ControlCharactersOnlyWhereLinesAreAllowed) {
  EXPECT_EQ(FirstDisallowedControl("a\nb", /*multiline=*/false), 1u);
  EXPECT_FALSE(FirstDisallowedControl("a\r\n\tb", /*multiline=*/true).has_value());
  EXPECT_EQ(FirstDisallowedControl(std::string("a\0b", 3), true), 1u);
  EXPECT_EQ(FirstDisallowedControl("x\xC2\x85", true), 1u);  // NEL, a C1 control
  EXPECT_FALSE(FirstDisallowedControl("\xC2\xA3 5", false).has_value());  // the pound sign
}

TEST(TextTest, ProblemNamesWhatIsWrong) {
  EXPECT_FALSE(TextProblem("\xC2\xA3\xC2\xA3", 2, false).has_value());
  EXPECT_EQ(*TextProblem("\xC2\xA3\xC2\xA3\xC2\xA3", 2, false), "must be at most 2 characters");
  EXPECT_EQ(*TextProblem("ab\xFF", 10, false), "is not valid UTF-8 (byte 3)");
  EXPECT_EQ(*TextProblem("a\x01", 10, true), "contains a control character (byte 2)");
}

}  // namespace
}  // namespace slihub
