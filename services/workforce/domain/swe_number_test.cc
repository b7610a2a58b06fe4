#include "services/workforce/domain/swe_number.h"

#include "gtest/gtest.h"

namespace slihub::workforce {
namespace {

TEST(SweNumberTest, AcceptsAnyCaseAndStoresUpperCase) {
  EXPECT_EQ(*NormaliseSweNumber("SW1"), "SW1");
  EXPECT_EQ(*NormaliseSweNumber("sw123456"), "SW123456");
  EXPECT_EQ(*NormaliseSweNumber("Sw90"), "SW90");
  EXPECT_EQ(*NormaliseSweNumber("sW100000"), "SW100000");
}

TEST(SweNumberTest, RefusesEverythingElse) {
  for (const char* bad : {"", "SW", "SW0", "SW01", "SW1234567", "S123", "XW123", "SW12a",
                          " SW123", "SW123 ", "SW-123", "123456", "SW１２"}) {
    absl::StatusOr<std::string> got = NormaliseSweNumber(bad);
    EXPECT_FALSE(got.ok()) << bad;
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace slihub::workforce
