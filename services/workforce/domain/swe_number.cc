#include "services/workforce/domain/swe_number.h"

#include "absl/strings/ascii.h"

namespace slihub::workforce {

absl::StatusOr<std::string> NormaliseSweNumber(absl::string_view text) {
  const auto invalid = [] {
    return absl::InvalidArgumentError(
        "must be a Social Work England number: SW and 1-6 digits without a leading zero, e.g. "
        "SW123456");
  };
  if (text.size() < 3 || text.size() > 8) return invalid();
  if (absl::ascii_toupper(static_cast<unsigned char>(text[0])) != 'S' ||
      absl::ascii_toupper(static_cast<unsigned char>(text[1])) != 'W') {
    return invalid();
  }
  if (text[2] < '1' || text[2] > '9') return invalid();
  for (size_t i = 3; i < text.size(); ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) return invalid();
  }
  std::string out(text);
  out[0] = 'S';
  out[1] = 'W';
  return out;
}

}  // namespace slihub::workforce
