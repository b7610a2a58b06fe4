#include "common/base/text.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace slihub {
namespace {

// The length of the well-formed UTF-8 sequence at `text[i]`, or 0 when it is ill-formed
// (Unicode 15, table 3-7).
size_t SequenceLength(absl::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t n = 0;
  uint8_t lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  const uint8_t b1 = byte(i + 1);
  if (b1 < lo || b1 > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

}  // namespace

std::optional<size_t> FirstInvalidUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const size_t n = SequenceLength(text, i);
    if (n == 0) return i;
    i += n;
  }
  return std::nullopt;
}

size_t CountCodePoints(absl::string_view text) {
  size_t count = 0;
  for (char c : text) {
    if ((static_cast<uint8_t>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::optional<size_t> FirstDisallowedControl(absl::string_view text, bool multiline) {
  for (size_t i = 0; i < text.size(); ++i) {
    const uint8_t b = static_cast<uint8_t>(text[i]);
    if (b < 0x20 || b == 0x7F) {
      if (multiline && (b == '\t' || b == '\n' || b == '\r')) continue;
      return i;
    }
    // C1 controls U+0080..U+009F are encoded as C2 80..C2 9F.
    if (b == 0xC2 && i + 1 < text.size()) {
      const uint8_t next = static_cast<uint8_t>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return i;
    }
  }
  return std::nullopt;
}

std::string ReplaceInvalidUtf8(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const size_t n = SequenceLength(text, i);
    if (n == 0) {
      out.append("\xEF\xBF\xBD");
      ++i;
    } else {
      out.append(text.data() + i, n);
      i += n;
    }
  }
  return out;
}

std::optional<std::string> TextProblem(absl::string_view text, size_t max_chars, bool multiline) {
  if (std::optional<size_t> bad = FirstInvalidUtf8(text)) {
    return absl::StrCat("is not valid UTF-8 (byte ", *bad + 1, ")");
  }
  if (CountCodePoints(text) > max_chars) {
    return absl::StrCat("must be at most ", max_chars, " characters");
  }
  if (std::optional<size_t> control = FirstDisallowedControl(text, multiline)) {
    return absl::StrCat("contains a control character (byte ", *control + 1, ")");
  }
  return std::nullopt;
}

}  // namespace slihub
