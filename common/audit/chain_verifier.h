// Checks an audit trail's hash chain, entry by entry, wherever the entries come from (the server's
// store, the SQLite file offline, or entries fetched over gRPC).
#ifndef SLIHUB_COMMON_AUDIT_CHAIN_VERIFIER_H_
#define SLIHUB_COMMON_AUDIT_CHAIN_VERIFIER_H_

#include <cstdint>
#include <string>

#include "common/audit/audit_entry.h"

namespace slihub::audit {

// What a walk of the chain found. Plain value type.
struct ChainVerdict {
  bool ok = true;
  int64_t entries_checked = 0;
  int64_t first_bad_sequence = 0;  // 0 when ok
  std::string problem;             // why the chain breaks there; empty when ok
  int64_t head_sequence = 0;       // the last entry fed (0: none)
  std::string head_hash;           // its entry_hash (the genesis when none)
};

// Walks a chain fed in ascending sequence order. Detects an edited entry (its entry_hash does not
// match its contents), a removed one (a gap in the sequence), reordered or re-linked ones (a
// prev_hash that is not the previous entry's hash), and, given an expected head (a sequence and
// hash recorded earlier, e.g. from the server's log), a truncated tail or a chain rewritten from
// before that head. What it cannot detect: a whole chain recomputed after the last head an
// auditor kept. Thread-compatible.
class ChainVerifier {
 public:
  // `expected_head_sequence` 0: no expected head.
  explicit ChainVerifier(int64_t expected_head_sequence = 0, std::string expected_head_hash = "");

  // Checks the next entry. Returns false once the chain is broken (further entries are ignored).
  bool Add(const AuditEntry& entry);

  // The verdict over every entry fed (checks the expected head was seen).
  ChainVerdict Finish() const;

 private:
  void Break(int64_t sequence, std::string problem);

  const int64_t expected_head_sequence_;
  const std::string expected_head_hash_;
  ChainVerdict verdict_;
};

}  // namespace slihub::audit

#endif  // SLIHUB_COMMON_AUDIT_CHAIN_VERIFIER_H_
