// Text as slihub accepts it: valid UTF-8, measured in characters (code points), free of control
// characters other than tab and line ends where a field allows several lines.
#ifndef SLIHUB_COMMON_BASE_TEXT_H_
#define SLIHUB_COMMON_BASE_TEXT_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace slihub {

// Where `text` stops being valid UTF-8: the byte offset of the first byte that does not begin a
// well-formed sequence (overlong forms, surrogates and code points above U+10FFFF are
// ill-formed), or nullopt when all of it is valid.
std::optional<size_t> FirstInvalidUtf8(absl::string_view text);

// True when `text` is valid UTF-8 throughout.
inline bool IsValidUtf8(absl::string_view text) { return !FirstInvalidUtf8(text).has_value(); }

// The number of code points in `text`, which must be valid UTF-8.
size_t CountCodePoints(absl::string_view text);

// The first code point of `text` that is a control character (C0, DEL or C1) not allowed in a
// field: tab, CR and LF are allowed when `multiline`. Returns its byte offset, or nullopt.
// `text` must be valid UTF-8.
std::optional<size_t> FirstDisallowedControl(absl::string_view text, bool multiline);

// `text` with every ill-formed byte replaced by U+FFFD, for repairing stored data; valid input
// comes back unchanged.
std::string ReplaceInvalidUtf8(absl::string_view text);

// Why `text` is not acceptable as a field of at most `max_chars` characters ("is not valid UTF-8
// (byte 12)", "must be at most 200 characters", "contains a control character (byte 3)"), or
// nullopt when it is. Empty text is acceptable here; requiredness is the caller's rule.
std::optional<std::string> TextProblem(absl::string_view text, size_t max_chars, bool multiline);

}  // namespace slihub

#endif  // SLIHUB_COMMON_BASE_TEXT_H_
