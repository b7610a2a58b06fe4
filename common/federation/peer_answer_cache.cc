#include "common/federation/peer_answer_cache.h"

#include <openssl/rand.h>

#include "absl/random/random.h"
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

std::vector<std::optional<PeerEntry>> PeerAnswerCache::Read(
    const std::vector<std::string>& regions, const std::string& key) {
  std::vector<std::string> keys;
  {
    absl::MutexLock lock(&mu_);
    for (const std::string& region : regions) keys.push_back(KeyLocked(region, key));
  }
  std::vector<std::optional<PeerEntry>> entries(regions.size());
  if (keys.empty()) return entries;
  absl::StatusOr<std::vector<std::optional<std::string>>> values = cache_->MultiGet(keys);
  if (!values.ok() || values->size() != keys.size()) return entries;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!(*values)[i].has_value()) continue;
    slihub::common::v1::CachedPeerAnswer stored;
    if (!stored.ParseFromString(*(*values)[i])) continue;
    absl::StatusOr<absl::Time> as_of = FromProtoTimestamp(stored.as_of());
    if (!as_of.ok()) continue;
    entries[i] = PeerEntry{*as_of, std::move(*stored.mutable_payload())};
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
    for (const std::string& key : keys) full_keys.push_back(KeyLocked(region, key));
  }
  cache_->Delete(full_keys).IgnoreError();
  // A delete Redis may not have seen would leave a wrong entry behind for when it is back.
  if (!cache_->available()) Reset(region);
}

void PeerAnswerCache::Reset(const std::string& region) {
  absl::MutexLock lock(&mu_);
  RegionState& state = regions_[region];
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
