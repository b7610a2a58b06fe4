#include "services/placement/domain/ofsted_urn.h"

#include "absl/strings/ascii.h"

namespace slihub::placement {
namespace {

bool AllDigits(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> NormalizeOfstedUrn(absl::string_view text) {
  if (text.size() == 7 && AllDigits(text)) return std::string(text);
  if (text.size() >= 3 && text.size() <= 12 && (text[0] == 'S' || text[0] == 's') &&
      (text[1] == 'C' || text[1] == 'c') && AllDigits(text.substr(2))) {
    return "SC" + std::string(text.substr(2));
  }
  return std::nullopt;
}

}  // namespace slihub::placement
