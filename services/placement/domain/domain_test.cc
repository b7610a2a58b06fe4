// Unit tests of the placement domain: URNs, distances, hold durations.
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "services/placement/domain/geo.h"
#include "services/placement/domain/holds.h"
#include "services/placement/domain/ofsted_urn.h"

namespace slihub::placement {
namespace {

TEST(OfstedUrnTest, AcceptsScPrefixAndSevenDigitsAsStrings) {
  EXPECT_EQ(NormalizeOfstedUrn("SC040123"), "SC040123");
  EXPECT_EQ(NormalizeOfstedUrn("sc040123"), "SC040123");
  EXPECT_EQ(NormalizeOfstedUrn("Sc1"), "SC1");
  EXPECT_EQ(NormalizeOfstedUrn("0123456"), "0123456");  // leading zero kept
  EXPECT_EQ(NormalizeOfstedUrn("2526789"), "2526789");
}

TEST(OfstedUrnTest, RejectsOtherShapes) {
  for (const char* bad : {"", "SC", "SC12a4", "123456", "12345678", "S1234567", "XC123456",
                          "SC 123456", " 1234567", "SC12345678901", "1234567 ", "SC-12345"}) {
    EXPECT_FALSE(NormalizeOfstedUrn(bad).has_value()) << bad;
  }
}

TEST(GeoTest, GreatCircleDistancesMatchKnownFigures) {
  const GeoPoint norwich{52.6309, 1.2974};
  const GeoPoint cambridge{52.2053, 0.1218};
  const GeoPoint london{51.5074, -0.1278};
  EXPECT_NEAR(GreatCircleMiles(norwich, cambridge), 57.6, 0.5);
  EXPECT_NEAR(GreatCircleMiles(cambridge, london), 49.5, 1.0);
  EXPECT_DOUBLE_EQ(GreatCircleMiles(london, london), 0.0);
  EXPECT_DOUBLE_EQ(GreatCircleMiles(norwich, london), GreatCircleMiles(london, norwich));
  // Antipodes: half the circumference.
  EXPECT_NEAR(GreatCircleMiles({0, 0}, {0, 180}), 3.14159265358979323846 * kEarthRadiusMiles, 1e-6);
}

TEST(GeoTest, ValidatesAndRoundsPoints) {
  EXPECT_TRUE(IsValidGeoPoint({90, 180}));
  EXPECT_TRUE(IsValidGeoPoint({-90, -180}));
  EXPECT_FALSE(IsValidGeoPoint({90.0001, 0}));
  EXPECT_FALSE(IsValidGeoPoint({0, -180.5}));
  const GeoPoint rounded = RoundToDistrict({52.63094, 1.29749});
  EXPECT_DOUBLE_EQ(rounded.latitude, 52.63);
  EXPECT_DOUBLE_EQ(rounded.longitude, 1.30);
}

TEST(HoldPolicyTest, ZeroMeansTheMaximumAndBoundsAreInclusive) {
  HoldPolicy policy;
  EXPECT_EQ(*ResolveHoldDuration(absl::ZeroDuration(), policy), absl::Hours(72));
  EXPECT_EQ(*ResolveHoldDuration(absl::Hours(72), policy), absl::Hours(72));
  EXPECT_EQ(*ResolveHoldDuration(absl::Seconds(1), policy), absl::Seconds(1));
  EXPECT_FALSE(ResolveHoldDuration(absl::Hours(72) + absl::Seconds(1), policy).ok());
  EXPECT_FALSE(ResolveHoldDuration(absl::Milliseconds(999), policy).ok());
  EXPECT_FALSE(ResolveHoldDuration(absl::Seconds(-5), policy).ok());
  policy.max_duration = absl::Hours(24);
  EXPECT_EQ(*ResolveHoldDuration(absl::ZeroDuration(), policy), absl::Hours(24));
  EXPECT_FALSE(ResolveHoldDuration(absl::Hours(25), policy).ok());
}

TEST(HoldPolicyTest, ExpiryIsInclusive) {
  const absl::Time t = absl::FromUnixSeconds(1000);
  EXPECT_FALSE(HoldLapsed(t, t - absl::Nanoseconds(1)));
  EXPECT_TRUE(HoldLapsed(t, t));
  EXPECT_TRUE(HoldLapsed(t, t + absl::Seconds(1)));
}

}  // namespace
}  // namespace slihub::placement
