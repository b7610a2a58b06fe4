#include "services/datacollection/store/totals_snapshot.h"

#include "gtest/gtest.h"

namespace slihub::datacollection {
namespace {

LatestTotal Total(const std::string& la, const std::string& id, ValueState state, std::optional<Decimal> value,
                  int64_t version) {
  LatestTotal t;
  t.la_code = la;
  t.indicator_id = id;
  t.total.state = state;
  t.total.value = value;
  t.return_version = version;
  t.timeliness = Timeliness::kOnTime;
  return t;
}

TEST(TotalsSnapshotTest, RoundTripsEveryField) {
  std::vector<LatestTotal> totals = {Total("873", "CLA-RATE", ValueState::kPresent, Decimal{-1234567890123, 3}, 2),
                                     Total("874", "CLA-RATE", ValueState::kMissing, std::nullopt, 1),
                                     Total("873", "CLA-COUNT", ValueState::kSuppressed, std::nullopt, 300)};
  totals[0].total.numerator = Decimal{17, 0};
  totals[0].total.denominator = Decimal{40000, 0};
  totals[1].total.note = "not available, \"system\" down";
  totals[2].timeliness = Timeliness::kLate;
  auto decoded = DecodeTotals(EncodeTotals(totals));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_EQ(decoded->size(), 3u);
  for (size_t i = 0; i < totals.size(); ++i) {
    const LatestTotal& a = totals[i];
    const LatestTotal& b = (*decoded)[i];
    EXPECT_EQ(a.la_code, b.la_code);
    EXPECT_EQ(a.indicator_id, b.indicator_id);
    EXPECT_EQ(a.total.state, b.total.state);
    EXPECT_EQ(a.total.value, b.total.value);
    EXPECT_EQ(a.total.numerator, b.total.numerator);
    EXPECT_EQ(a.total.denominator, b.total.denominator);
    EXPECT_EQ(a.total.note, b.total.note);
    EXPECT_EQ(a.return_version, b.return_version);
    EXPECT_EQ(a.timeliness, b.timeliness);
  }
  EXPECT_TRUE(DecodeTotals(EncodeTotals({}))->empty());
}

TEST(TotalsSnapshotTest, CorruptOrTruncatedBytesAreDataLoss) {
  const std::string bytes = EncodeTotals({Total("873", "CLA-RATE", ValueState::kPresent, Decimal{5, 1}, 1)});
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_EQ(DecodeTotals(bytes.substr(0, n)).status().code(), absl::StatusCode::kDataLoss) << n;
  }
  EXPECT_EQ(DecodeTotals(bytes + "x").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeTotals("not a snapshot").status().code(), absl::StatusCode::kDataLoss);
}

TEST(TotalsSnapshotTest, ReplaceSwapsOnlyThatLasFigures) {
  std::vector<LatestTotal> totals = {Total("873", "A", ValueState::kPresent, Decimal{1, 0}, 1),
                                     Total("873", "B", ValueState::kPresent, Decimal{2, 0}, 1),
                                     Total("874", "A", ValueState::kPresent, Decimal{3, 0}, 4)};
  IndicatorFigures a;
  a.indicator_id = "A";
  a.total.state = ValueState::kMissing;
  const std::vector<LatestTotal> out = ReplaceLaTotals(totals, "873", {a}, 2, Timeliness::kLate);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].la_code, "874");
  EXPECT_EQ(out[0].return_version, 4);
  EXPECT_EQ(out[1].la_code, "873");
  EXPECT_EQ(out[1].indicator_id, "A");
  EXPECT_EQ(out[1].total.state, ValueState::kMissing);
  EXPECT_EQ(out[1].return_version, 2);
  EXPECT_EQ(out[1].timeliness, Timeliness::kLate);
}

}  // namespace
}  // namespace slihub::datacollection
