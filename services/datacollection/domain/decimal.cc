#include "services/datacollection/domain/decimal.h"

#include <algorithm>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace slihub::datacollection {
namespace {

bool FitsInt64(Int128 v) {
  return v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max();
}

}  // namespace

Int128 Pow10(int exponent) {
  Int128 result = 1;
  for (int i = 0; i < exponent; ++i) result *= 10;
  return result;
}

Int128 ScaledTo(const Decimal& value, int scale) {
  return static_cast<Int128>(value.unscaled) * Pow10(scale - value.scale);
}

int CompareDecimal(const Decimal& a, const Decimal& b) {
  const int scale = std::max(a.scale, b.scale);
  const Int128 x = ScaledTo(a, scale);
  const Int128 y = ScaledTo(b, scale);
  return x < y ? -1 : (x > y ? 1 : 0);
}

int SignificantScale(const Decimal& value) {
  int64_t digits = value.unscaled;
  int scale = value.scale;
  while (scale > 0 && digits % 10 == 0) {
    digits /= 10;
    --scale;
  }
  return scale;
}

std::optional<Decimal> RescaleExact(const Decimal& value, int scale) {
  if (scale < 0 || scale > kMaxDecimalScale) return std::nullopt;
  if (scale >= value.scale) {
    const Int128 v = ScaledTo(value, scale);
    if (!FitsInt64(v)) return std::nullopt;
    return Decimal{static_cast<int64_t>(v), scale};
  }
  const int64_t divisor = static_cast<int64_t>(Pow10(value.scale - scale));
  if (value.unscaled % divisor != 0) return std::nullopt;
  return Decimal{value.unscaled / divisor, scale};
}

std::optional<Decimal> DivideRounded(Int128 numerator, Int128 denominator, int scale) {
  if (denominator == 0) return std::nullopt;
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const bool negative = numerator < 0;
  const Int128 magnitude = negative ? -numerator : numerator;
  Int128 quotient = magnitude / denominator;
  const Int128 remainder = magnitude % denominator;
  if (remainder * 2 >= denominator) ++quotient;
  const Int128 result = negative ? -quotient : quotient;
  if (!FitsInt64(result)) return std::nullopt;
  return Decimal{static_cast<int64_t>(result), scale};
}

std::optional<Decimal> RoundToScale(const Decimal& value, int scale) {
  if (scale >= value.scale) return RescaleExact(value, scale);
  return DivideRounded(value.unscaled, Pow10(value.scale - scale), scale);
}

absl::StatusOr<Decimal> ParseDecimal(absl::string_view text) {
  const std::string original(text);
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("'", original, "' is not a plain decimal: ", why));
  };
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  const size_t dot = text.find('.');
  const absl::string_view whole = text.substr(0, dot);
  const absl::string_view fraction =
      dot == absl::string_view::npos ? absl::string_view() : text.substr(dot + 1);
  if (whole.empty()) return bad("digits expected before the point");
  if (dot != absl::string_view::npos && fraction.empty()) return bad("digits expected after the point");
  if (fraction.size() > kMaxDecimalScale) return bad("more than 9 decimal places");
  Int128 digits = 0;
  for (const absl::string_view part : {whole, fraction}) {
    for (char c : part) {
      if (c < '0' || c > '9') return bad("only digits, one point and a leading minus allowed");
      digits = digits * 10 + (c - '0');
      if (digits > std::numeric_limits<int64_t>::max()) return bad("too large");
    }
  }
  return Decimal{static_cast<int64_t>(negative ? -digits : digits), static_cast<int>(fraction.size())};
}

std::string FormatDecimal(const Decimal& value) {
  const bool negative = value.unscaled < 0;
  Int128 magnitude = value.unscaled;
  if (negative) magnitude = -magnitude;
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude > 0);
  if (value.scale > 0) {
    if (static_cast<int>(digits.size()) <= value.scale) {
      digits.insert(0, static_cast<size_t>(value.scale - digits.size() + 1), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(value.scale), ".");
  }
  return negative ? "-" + digits : digits;
}

}  // namespace slihub::datacollection
