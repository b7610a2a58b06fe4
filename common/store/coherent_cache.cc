#include "common/store/coherent_cache.h"

#include "absl/hash/hash.h"

namespace slihub::store {
namespace {

// What an entry costs beyond its key and value: list node, index slot, control block.
constexpr size_t kEntryOverheadBytes = 128;

}  // namespace

CoherentCacheCore::CoherentCacheCore(Database* database, std::string channel,
                                     size_t capacity_bytes)
    : database_(database), shard_capacity_(capacity_bytes / kShards) {
  database_->AddChangeListener(std::move(channel), this);
}

CoherentCacheCore::~CoherentCacheCore() { database_->RemoveChangeListener(this); }

CoherentCacheCore::Shard& CoherentCacheCore::ShardOf(absl::string_view key) {
  return shards_[absl::HashOf(key) % kShards];
}

void CoherentCacheCore::Erase(Shard& shard, absl::string_view key) {
  auto it = shard.index.find(key);
  if (it == shard.index.end()) return;
  shard.bytes -= it->second->bytes;
  const std::list<Node>::iterator node = it->second;
  shard.index.erase(it);
  shard.lru.erase(node);
}

std::shared_ptr<const void> CoherentCacheCore::Find(absl::string_view key) {
  Shard& shard = ShardOf(key);
  absl::MutexLock lock(&shard.mu);
  auto it = shard.index.find(key);
  if (it == shard.index.end()) return nullptr;
  shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
  return it->second->value;
}

CacheTicket CoherentCacheCore::Ticket(absl::string_view key) {
  Shard& shard = ShardOf(key);
  absl::MutexLock lock(&shard.mu);
  return CacheTicket{shard.epoch};
}

bool CoherentCacheCore::Offer(absl::string_view key, CacheTicket ticket,
                              std::shared_ptr<const void> value, size_t bytes) {
  bytes += key.size() + kEntryOverheadBytes;
  if (bytes > shard_capacity_) return false;
  Shard& shard = ShardOf(key);
  absl::MutexLock lock(&shard.mu);
  if (shard.epoch != ticket.epoch || shard.changing.contains(key)) return false;
  Erase(shard, key);
  shard.lru.push_front(Node{std::string(key), std::move(value), bytes});
  shard.index.emplace(shard.lru.front().key, shard.lru.begin());
  shard.bytes += bytes;
  while (shard.bytes > shard_capacity_) Erase(shard, shard.lru.back().key);
  return true;
}

size_t CoherentCacheCore::entries() {
  size_t total = 0;
  for (Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mu);
    total += shard.index.size();
  }
  return total;
}

size_t CoherentCacheCore::bytes() {
  size_t total = 0;
  for (Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mu);
    total += shard.bytes;
  }
  return total;
}

void CoherentCacheCore::Changing(std::string_view changed) {
  const absl::string_view key(changed.data(), changed.size());
  Shard& shard = ShardOf(key);
  absl::MutexLock lock(&shard.mu);
  Erase(shard, key);
  ++shard.changing[std::string(key)];
  ++shard.epoch;
}

void CoherentCacheCore::Settled(std::string_view settled, bool /*committed*/) {
  // Rolled back or not, the key was dropped at Changing; the next reader loads it again.
  const absl::string_view key(settled.data(), settled.size());
  Shard& shard = ShardOf(key);
  absl::MutexLock lock(&shard.mu);
  auto it = shard.changing.find(key);
  if (it != shard.changing.end() && --it->second == 0) shard.changing.erase(it);
  ++shard.epoch;
}

}  // namespace slihub::store
