#include "common/identity/token_codec.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace slihub {
namespace {

TEST(TokenCodecTest, GeneratesDistinctWellFormedTokens) {
  auto a = GenerateToken();
  auto b = GenerateToken();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(absl::StartsWith(*a, "slh_"));
  EXPECT_EQ(a->size(), 4u + 43u);
}

TEST(TokenCodecTest, HashIsSha256Hex) {
  EXPECT_EQ(HashToken("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_NE(HashToken("abd"), HashToken("abc"));
}

TEST(TokenCodecTest, ExtractsBearerToken) {
  EXPECT_EQ(BearerToken("Bearer slh_x"), "slh_x");
  EXPECT_EQ(BearerToken("bearer  slh_x "), "slh_x");
  EXPECT_EQ(BearerToken("Basic abc"), "");
  EXPECT_EQ(BearerToken("Bearer"), "");
  EXPECT_EQ(BearerToken(""), "");
}

}  // namespace
}  // namespace slihub
