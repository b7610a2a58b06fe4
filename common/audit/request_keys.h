// The LAs and record keys a request names, found by protobuf reflection, for the audit trail.
#ifndef SLIHUB_COMMON_AUDIT_REQUEST_KEYS_H_
#define SLIHUB_COMMON_AUDIT_REQUEST_KEYS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace slihub::audit {

// Bounds on what one request contributes to its audit entry.
inline constexpr size_t kMaxKeyCount = 16;   // LAs, and record keys, each at most this many
inline constexpr size_t kMaxKeyLength = 64;  // longer values are left out
inline constexpr int kMaxRepeatedScanned = 8;  // elements of a repeated field looked at

// What ExtractRequestKeys found. Plain value type; no duplicates, in field order.
struct RequestKeys {
  std::vector<std::string> las;          // LA codes
  std::vector<std::string> record_keys;  // "field=value"
};

// True when a string field called `field_name` holds the key of a record: la_code, and names
// ending in _id, _ids, _reference, reference, _code, _codes, _urn, and urn and swe_number
// exactly. Free text, names, dates of birth, postcodes and phone numbers never match.
bool IsKeyFieldName(absl::string_view field_name);

// The LAs and record keys `request` names: every slihub.common.v1.LaCode field and string field
// called la_code (LAs); every RegionCode field (as "field=value") and string field IsKeyFieldName
// accepts (record keys), at the top level and one nested message level down, the first
// kMaxRepeatedScanned elements of repeated fields. Values must be 1..kMaxKeyLength characters of
// A-Z a-z 0-9 - _ . : / (others are left out); each list stops at kMaxKeyCount. Thread-safe.
RequestKeys ExtractRequestKeys(const google::protobuf::Message& request);

}  // namespace slihub::audit

#endif  // SLIHUB_COMMON_AUDIT_REQUEST_KEYS_H_
