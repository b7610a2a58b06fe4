// Bearer tokens: generation and the one-way hash under which they are stored.
#ifndef SLIHUB_COMMON_IDENTITY_TOKEN_CODEC_H_
#define SLIHUB_COMMON_IDENTITY_TOKEN_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace slihub {

// A new random token: "slh_" followed by 43 base64url characters (256 bits from the OS CSPRNG).
// Returns Internal if the random source fails. Thread-safe.
absl::StatusOr<std::string> GenerateToken();

// The lowercase hex SHA-256 of `token`: the only form a token is ever stored in. A plain
// (unsalted, fast) hash is sound here because tokens are 256-bit random values, not passwords.
std::string HashToken(absl::string_view token);

// The token in an "authorization" header value "Bearer <token>" (scheme case-insensitive),
// or empty when the value has another shape.
absl::string_view BearerToken(absl::string_view authorization);

}  // namespace slihub

#endif  // SLIHUB_COMMON_IDENTITY_TOKEN_CODEC_H_
