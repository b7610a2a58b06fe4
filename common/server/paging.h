// Page tokens and page sizes for List methods (keyset pagination: the token names the last key).
#ifndef SLIHUB_COMMON_SERVER_PAGING_H_
#define SLIHUB_COMMON_SERVER_PAGING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/errors/errors.h"

namespace slihub {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// An opaque token that resumes a list after `last_key`, bound to `list_name` so a token from
// one list is refused by another.
std::string EncodePageToken(absl::string_view list_name, absl::string_view last_key);

// The last key inside `token` (empty token: empty key, the first page). Adds a violation for
// `field` and returns empty when the token is not one EncodePageToken made for `list_name`.
std::string DecodePageToken(absl::string_view list_name, absl::string_view token,
                            const std::string& field, FieldViolations* violations);

// The page size to use: `requested` or the default for 0. Adds a violation for `field` when
// outside 0..kMaxPageSize.
int ResolvePageSize(int requested, const std::string& field, FieldViolations* violations);

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_PAGING_H_
