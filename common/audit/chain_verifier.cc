#include "common/audit/chain_verifier.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace slihub::audit {

ChainVerifier::ChainVerifier(int64_t expected_head_sequence, std::string expected_head_hash)
    : expected_head_sequence_(expected_head_sequence),
      expected_head_hash_(std::move(expected_head_hash)) {
  verdict_.head_hash = GenesisHash();
}

void ChainVerifier::Break(int64_t sequence, std::string problem) {
  verdict_.ok = false;
  verdict_.first_bad_sequence = sequence;
  verdict_.problem = std::move(problem);
}

bool ChainVerifier::Add(const AuditEntry& entry) {
  if (!verdict_.ok) return false;
  const int64_t expected = verdict_.head_sequence + 1;
  if (entry.sequence != expected) {
    if (entry.sequence > expected) {
      Break(expected, absl::StrCat("entry ", expected, " is missing (entry ", entry.sequence,
                                   " follows entry ", verdict_.head_sequence, ")"));
    } else {
      Break(entry.sequence, absl::StrCat("entry ", entry.sequence, " is out of order (after entry ",
                                         verdict_.head_sequence, ")"));
    }
    return false;
  }
  if (ComputeEntryHash(entry) != entry.entry_hash) {
    Break(entry.sequence, absl::StrCat("entry ", entry.sequence,
                                       " was altered: its entry_hash does not match its contents"));
    return false;
  }
  if (entry.prev_hash != verdict_.head_hash) {
    Break(entry.sequence,
          absl::StrCat("entry ", entry.sequence, " does not link to entry ",
                       verdict_.head_sequence,
                       ": its prev_hash differs (an entry was removed, reordered or rewritten)"));
    return false;
  }
  if (expected_head_sequence_ == entry.sequence && expected_head_hash_ != entry.entry_hash) {
    Break(entry.sequence, absl::StrCat("entry ", entry.sequence,
                                       " differs from the expected head: the chain was rewritten"));
    return false;
  }
  verdict_.head_sequence = entry.sequence;
  verdict_.head_hash = entry.entry_hash;
  ++verdict_.entries_checked;
  return true;
}

ChainVerdict ChainVerifier::Finish() const {
  ChainVerdict verdict = verdict_;
  if (verdict.ok && expected_head_sequence_ > verdict.head_sequence) {
    verdict.ok = false;
    verdict.first_bad_sequence = verdict.head_sequence + 1;
    verdict.problem = absl::StrCat("the chain ends at entry ", verdict.head_sequence,
                                   ", before the expected head ", expected_head_sequence_,
                                   ": its tail was truncated");
  }
  return verdict;
}

}  // namespace slihub::audit
