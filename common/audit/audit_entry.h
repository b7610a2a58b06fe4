// One entry of a server's audit trail and the hash that chains it to the entry before.
#ifndef SLIHUB_COMMON_AUDIT_AUDIT_ENTRY_H_
#define SLIHUB_COMMON_AUDIT_AUDIT_ENTRY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace slihub::audit {

// A write (the method is not marked NO_SIDE_EFFECTS) or a read; numbered as
// slihub.common.v1.AuditKind.
enum class AuditKind { kWrite = 1, kRead = 2 };

// SHA-256 digests are this long.
inline constexpr size_t kHashBytes = 32;

// One audited call. Plain value type. List members never hold empty strings nor '\n'.
struct AuditEntry {
  int64_t sequence = 0;              // 1, 2, 3, ... assigned by the writer
  int64_t time_us = 0;               // Unix microseconds when the call finished
  std::string subject;               // token subject; empty when unauthenticated
  std::vector<std::string> roles;    // role names
  std::string principal_la;          // empty for region-wide principals
  std::string principal_region;
  std::string method;                // "/pkg.Service/Method"
  std::string request_id;            // the call's x-request-id
  AuditKind kind = AuditKind::kWrite;
  std::string code;                  // canonical code name, "OK", "NOT_FOUND", ...
  std::string reason;                // ErrorInfo reason, or empty
  std::vector<std::string> las;      // LA codes the request named
  std::vector<std::string> record_keys;  // "field=value" keys the request named
  std::string prev_hash;             // kHashBytes raw bytes: the previous entry's entry_hash
  std::string entry_hash;            // kHashBytes raw bytes

  friend bool operator==(const AuditEntry& a, const AuditEntry& b);
};

// The hash the first entry chains to: kHashBytes zero bytes.
const std::string& GenesisHash();

// The unambiguous encoding of every field of `entry` but entry_hash, prev_hash first: a version
// tag, then each field as an 8-byte big-endian length (or value, for integers) and its bytes;
// lists as their count and each element so. Two different entries never encode alike.
std::string CanonicalEncoding(const AuditEntry& entry);

// SHA-256 of CanonicalEncoding(entry) (which starts with prev_hash): the entry's entry_hash.
std::string ComputeEntryHash(const AuditEntry& entry);

// Lower-case hex of `bytes`, for logs and the CLI.
std::string HexOf(absl::string_view bytes);
// The bytes of lower-case or upper-case hex `hex`; false when it is not hex.
bool BytesOfHex(absl::string_view hex, std::string* bytes);

}  // namespace slihub::audit

#endif  // SLIHUB_COMMON_AUDIT_AUDIT_ENTRY_H_
