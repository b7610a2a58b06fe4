#include "common/audit/audit_entry.h"

#include <openssl/sha.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"

namespace slihub::audit {
namespace {

constexpr char kVersionTag[] = "slihub.audit.v1";

void PutU64(uint64_t value, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

void PutBytes(absl::string_view bytes, std::string* out) {
  PutU64(bytes.size(), out);
  out->append(bytes.data(), bytes.size());
}

void PutList(const std::vector<std::string>& list, std::string* out) {
  PutU64(list.size(), out);
  for (const std::string& item : list) PutBytes(item, out);
}

}  // namespace

bool operator==(const AuditEntry& a, const AuditEntry& b) {
  return a.sequence == b.sequence && a.time_us == b.time_us && a.subject == b.subject &&
         a.roles == b.roles && a.principal_la == b.principal_la &&
         a.principal_region == b.principal_region && a.method == b.method &&
         a.request_id == b.request_id && a.kind == b.kind && a.code == b.code &&
         a.reason == b.reason && a.las == b.las && a.record_keys == b.record_keys &&
         a.prev_hash == b.prev_hash && a.entry_hash == b.entry_hash;
}

const std::string& GenesisHash() {
  static const std::string* const genesis = new std::string(kHashBytes, '\0');
  return *genesis;
}

std::string CanonicalEncoding(const AuditEntry& entry) {
  std::string out;
  out.reserve(256);
  PutBytes(entry.prev_hash, &out);
  PutBytes(kVersionTag, &out);
  PutU64(static_cast<uint64_t>(entry.sequence), &out);
  PutU64(static_cast<uint64_t>(entry.time_us), &out);
  PutBytes(entry.subject, &out);
  PutList(entry.roles, &out);
  PutBytes(entry.principal_la, &out);
  PutBytes(entry.principal_region, &out);
  PutBytes(entry.method, &out);
  PutBytes(entry.request_id, &out);
  PutU64(static_cast<uint64_t>(entry.kind), &out);
  PutBytes(entry.code, &out);
  PutBytes(entry.reason, &out);
  PutList(entry.las, &out);
  PutList(entry.record_keys, &out);
  return out;
}

std::string ComputeEntryHash(const AuditEntry& entry) {
  const std::string encoded = CanonicalEncoding(entry);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(encoded.data()), encoded.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

std::string HexOf(absl::string_view bytes) { return absl::BytesToHexString(bytes); }

bool BytesOfHex(absl::string_view hex, std::string* bytes) {
  if (hex.size() % 2 != 0) return false;
  for (char c : hex) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  *bytes = absl::HexStringToBytes(hex);
  return true;
}

}  // namespace slihub::audit
