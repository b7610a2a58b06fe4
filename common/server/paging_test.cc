#include "common/server/paging.h"

#include "gtest/gtest.h"

namespace slihub {
namespace {

TEST(PagingTest, TokenRoundTripsAndIsBoundToItsList) {
  FieldViolations violations;
  const std::string token = EncodePageToken("local_authorities", "873");
  EXPECT_EQ(DecodePageToken("local_authorities", token, "page.page_token", &violations), "873");
  EXPECT_TRUE(violations.empty());
  EXPECT_EQ(DecodePageToken("local_authorities", "", "page.page_token", &violations), "");
  EXPECT_TRUE(violations.empty());

  DecodePageToken("vacancies", token, "page.page_token", &violations);
  DecodePageToken("local_authorities", "not-a-token!", "page.page_token", &violations);
  ASSERT_EQ(violations.violations().size(), 2u);
  EXPECT_EQ(violations.violations()[0].field, "page.page_token");
}

TEST(PagingTest, PageSizeDefaultsAndBounds) {
  FieldViolations violations;
  EXPECT_EQ(ResolvePageSize(0, "page.page_size", &violations), kDefaultPageSize);
  EXPECT_EQ(ResolvePageSize(7, "page.page_size", &violations), 7);
  EXPECT_TRUE(violations.empty());
  ResolvePageSize(-1, "page.page_size", &violations);
  ResolvePageSize(kMaxPageSize + 1, "page.page_size", &violations);
  EXPECT_EQ(violations.violations().size(), 2u);
}

}  // namespace
}  // namespace slihub
