// Exact decimal numbers (unscaled x 10^-scale) and the arithmetic the data collection rules need:
// comparison, exact rescaling, rounding half away from zero. No floating point anywhere.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_DECIMAL_H_
#define SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_DECIMAL_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace slihub::datacollection {

__extension__ typedef __int128 Int128;

// The largest scale a Decimal may carry.
inline constexpr int kMaxDecimalScale = 9;

// An exact decimal: unscaled x 10^-scale. Plain value; {125,1} and {1250,2} denote the same number
// (compare with CompareDecimal, not ==).
struct Decimal {
  int64_t unscaled = 0;
  int scale = 0;
  friend bool operator==(const Decimal& a, const Decimal& b) {
    return a.unscaled == b.unscaled && a.scale == b.scale;
  }
  friend bool operator!=(const Decimal& a, const Decimal& b) { return !(a == b); }
};

// 10^exponent for 0 <= exponent <= 36.
Int128 Pow10(int exponent);

// -1, 0 or 1 as a is less than, equal to or greater than b (exact, any scales 0..kMaxDecimalScale).
int CompareDecimal(const Decimal& a, const Decimal& b);

// The places a value really carries: its scale once trailing zeros are dropped (12.50 -> 1).
int SignificantScale(const Decimal& value);

// `value` at exactly `scale` places when that loses nothing and fits in int64; nullopt otherwise.
std::optional<Decimal> RescaleExact(const Decimal& value, int scale);

// numerator / denominator at `scale` places, rounded half away from zero; nullopt when the
// denominator is zero or the result does not fit in int64.
std::optional<Decimal> DivideRounded(Int128 numerator, Int128 denominator, int scale);

// `value` at `scale` places, rounded half away from zero when places are dropped; nullopt on overflow.
std::optional<Decimal> RoundToScale(const Decimal& value, int scale);

// The unscaled digits of `value` at `scale` >= value.scale, as a 128-bit integer (exact).
Int128 ScaledTo(const Decimal& value, int scale);

// Parses a plain decimal ("12", "-3.50", ".5" is refused): optional '-', digits, optional '.'
// and 1..9 digits. InvalidArgument otherwise or when it does not fit in int64.
absl::StatusOr<Decimal> ParseDecimal(absl::string_view text);

// "12.50", "-0.5", "7": every place of the scale is printed.
std::string FormatDecimal(const Decimal& value);

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_DECIMAL_H_
