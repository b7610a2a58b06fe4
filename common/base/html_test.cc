#include "common/base/html.h"

#include "gtest/gtest.h"

namespace slihub {
namespace {

TEST(HtmlTest, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(HtmlEscape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  EXPECT_EQ(HtmlEscape("Bedford \xE2\x80\x93 873"), "Bedford \xE2\x80\x93 873");
}

}  // namespace
}  // namespace slihub
