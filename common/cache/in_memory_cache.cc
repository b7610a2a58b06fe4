#include "common/cache/in_memory_cache.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace slihub::cache {

InMemoryCache::InMemoryCache(Clock clock)
    : clock_(clock ? std::move(clock) : Clock([] { return absl::Now(); })) {}

std::optional<std::string> InMemoryCache::Lookup(const std::string& key, absl::Time now) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.expires <= now) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.value;
}

absl::StatusOr<std::optional<std::string>> InMemoryCache::Get(const std::string& key) {
  const absl::Time now = clock_();
  absl::MutexLock lock(&mu_);
  if (!available_) return std::optional<std::string>();
  return Lookup(key, now);
}

absl::StatusOr<std::vector<std::optional<std::string>>> InMemoryCache::MultiGet(
    absl::Span<const std::string> keys) {
  const absl::Time now = clock_();
  std::vector<std::optional<std::string>> values(keys.size());
  absl::MutexLock lock(&mu_);
  if (!available_) return values;
  for (size_t i = 0; i < keys.size(); ++i) values[i] = Lookup(keys[i], now);
  return values;
}

absl::Status InMemoryCache::Set(const std::string& key, const std::string& value,
                                absl::Duration ttl) {
  if (ttl <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cache ttl must be positive, got ", absl::FormatDuration(ttl)));
  }
  const absl::Time now = clock_();
  absl::MutexLock lock(&mu_);
  if (!available_) return absl::OkStatus();
  entries_[key] = Entry{value, now + ttl};
  return absl::OkStatus();
}

absl::Status InMemoryCache::Delete(absl::Span<const std::string> keys) {
  absl::MutexLock lock(&mu_);
  if (!available_) return absl::OkStatus();
  for (const std::string& key : keys) entries_.erase(key);
  return absl::OkStatus();
}

bool InMemoryCache::available() const {
  absl::MutexLock lock(&mu_);
  return available_;
}

std::string InMemoryCache::last_error() const {
  absl::MutexLock lock(&mu_);
  return available_ ? "" : "in-memory cache set unavailable";
}

void InMemoryCache::SetAvailable(bool available) {
  absl::MutexLock lock(&mu_);
  available_ = available;
}

size_t InMemoryCache::size() const {
  const absl::Time now = clock_();
  absl::MutexLock lock(&mu_);
  size_t live = 0;
  for (const auto& [key, entry] : entries_) {
    if (entry.expires > now) ++live;
  }
  return live;
}

}  // namespace slihub::cache
