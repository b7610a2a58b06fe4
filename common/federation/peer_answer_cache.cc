#include "common/federation/peer_answer_cache.h"

#include <openssl/rand.h>

#include "absl/random/random.h"
#include "absl/time/clock.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/server/proto_time.h"
#include "slihub/common/v1/federation_service.pb.h"

namespace slihub::federation {

namespace {

uint64_t RandomU64() {
  uint64_t value = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&value), sizeof(value));
  return value;
}

}  // namespace

PeerAnswerCache::PeerAnswerCache(cache::Cache* cache, PeerCacheOptions options)
    : cache_(cache), options_(options), seed_(RandomU64()) {}

std::string PeerAnswerCache::KeyLocked(const std::string& region, const std::string& key) const {
  auto it = regions_.find(region);
  const uint64_t generation = it == regions_.end() ? 0 : it->second.generation;
  return absl::StrCat("fed1:", region, ":", seed_ ^ generation, ":", key);
}

std::optional<PeerEntry> PeerAnswerCache::FindMemoryLocked(const std::string& full_key,
                                                           absl::Time now) {
  auto it = index_.find(full_key);
  if (it == index_.end()) return std::nullopt;
  if (now - it->second->second.as_of > options_.stale_max) {
    DropMemoryLocked(full_key);
    return std::nullopt;
  }
  memory_.splice(memory_.begin(), memory_, it->second);
  return it->second->second;
}

void PeerAnswerCache::KeepMemoryLocked(const std::string& full_key, const PeerEntry& entry) {
  if (options_.memory_entries == 0) return;
  DropMemoryLocked(full_key);
  memory_.emplace_front(full_key, entry);
  index_[full_key] = memory_.begin();
  while (memory_.size() > options_.memory_entries) {
    index_.erase(memory_.back().first);
    memory_.pop_back();
  }
}

void PeerAnswerCache::DropMemoryLocked(const std::string& full_key) {
  auto it = index_.find(full_key);
  if (it == index_.end()) return;
  memory_.erase(it->second);
  index_.erase(it);
}

std::vector<std::optional<PeerEntry>> PeerAnswerCache::ReadMemory(
    const std::vector<std::string>& regions, const std::string& key) {
  std::vector<std::optional<PeerEntry>> entries(regions.size());
  const absl::Time now = absl::Now();
  absl::MutexLock lock(&mu_);
  for (size_t i = 0; i < regions.size(); ++i) {
    entries[i] = FindMemoryLocked(KeyLocked(regions[i], key), now);
  }
  return entries;
}

std::vector<std::optional<PeerEntry>> PeerAnswerCache::Read(
    const std::vector<std::string>& regions, const std::string& key) {
  std::vector<std::optional<PeerEntry>> entries(regions.size());
  std::vector<std::string> keys;     // the misses' full keys, for Redis
  std::vector<size_t> positions;     // and where they go
  std::vector<uint64_t> tickets;     // their regions' invalidation counts before the round trip
  {
    const absl::Time now = absl::Now();
    absl::MutexLock lock(&mu_);
    for (size_t i = 0; i < regions.size(); ++i) {
      std::string full_key = KeyLocked(regions[i], key);
      entries[i] = FindMemoryLocked(full_key, now);
      if (entries[i].has_value()) continue;
      keys.push_back(std::move(full_key));
      positions.push_back(i);
      tickets.push_back(regions_[regions[i]].invalidations);
    }
  }
  if (keys.empty()) return entries;
  absl::StatusOr<std::vector<std::optional<std::string>>> values = cache_->MultiGet(keys);
  if (!values.ok() || values->size() != keys.size()) return entries;
  for (size_t j = 0; j < keys.size(); ++j) {
    if (!(*values)[j].has_value()) continue;
    slihub::common::v1::CachedPeerAnswer stored;
    if (!stored.ParseFromString(*(*values)[j])) continue;
    absl::StatusOr<absl::Time> as_of = FromProtoTimestamp(stored.as_of());
    if (!as_of.ok()) continue;
    entries[positions[j]] = PeerEntry{*as_of, std::move(*stored.mutable_payload())};
  }
  // Redis's answers are kept in process too, unless the region saw an invalidation or a reset
  // meanwhile (the value read may predate it).
  absl::MutexLock lock(&mu_);
  for (size_t j = 0; j < keys.size(); ++j) {
    const size_t i = positions[j];
    if (entries[i].has_value() && regions_[regions[i]].invalidations == tickets[j]) {
      KeepMemoryLocked(keys[j], *entries[i]);
    }
  }
  return entries;
}

uint64_t PeerAnswerCache::Ticket(const std::string& region) const {
  absl::MutexLock lock(&mu_);
  return regions_[region].invalidations;
}

void PeerAnswerCache::Write(const std::string& region, const std::string& key,
                            const PeerEntry& entry, uint64_t ticket) {
  std::string full_key;
  {
    absl::MutexLock lock(&mu_);
    if (regions_[region].invalidations != ticket) return;
    full_key = KeyLocked(region, key);
    KeepMemoryLocked(full_key, entry);
  }
  slihub::common::v1::CachedPeerAnswer stored;
  *stored.mutable_as_of() = ToProtoTimestamp(entry.as_of);
  stored.set_payload(entry.payload);
  const double jitter = options_.ttl_jitter <= 0
                            ? 0
                            : absl::Uniform(absl::BitGen(), 0.0, options_.ttl_jitter);
  const absl::Duration ttl =
      std::max(absl::Milliseconds(1), options_.stale_max * (1.0 + jitter));
  cache_->Set(full_key, stored.SerializeAsString(), ttl).IgnoreError();
}

void PeerAnswerCache::Invalidate(const std::string& region, const std::vector<std::string>& keys) {
  if (keys.empty()) return;
  std::vector<std::string> full_keys;
  {
    absl::MutexLock lock(&mu_);
    ++regions_[region].invalidations;
    for (const std::string& key : keys) {
      full_keys.push_back(KeyLocked(region, key));
      DropMemoryLocked(full_keys.back());
    }
  }
  cache_->Delete(full_keys).IgnoreError();
  // A delete Redis may not have seen would leave a wrong entry behind for when it is back.
  if (!cache_->available()) Reset(region);
}

void PeerAnswerCache::Reset(const std::string& region) {
  absl::MutexLock lock(&mu_);
  RegionState& state = regions_[region];
  // The old generation's in-process copies can never be read again: free them now.
  const std::string old_prefix = KeyLocked(region, "");
  for (auto it = memory_.begin(); it != memory_.end();) {
    if (absl::StartsWith(it->first, old_prefix)) {
      index_.erase(it->first);
      it = memory_.erase(it);
    } else {
      ++it;
    }
  }
  ++state.generation;
  ++state.invalidations;
}

void PeerAnswerCache::SetTrusted(const std::string& region, bool trusted) {
  absl::MutexLock lock(&mu_);
  RegionState& state = regions_[region];
  if (state.trusted && !trusted) ++state.invalidations;
  state.trusted = trusted;
}

bool PeerAnswerCache::Trusted(const std::string& region) const {
  absl::MutexLock lock(&mu_);
  auto it = regions_.find(region);
  return it != regions_.end() && it->second.trusted;
}

}  // namespace slihub::federation
