#include "common/cache/redis_cache.h"

#include <hiredis/hiredis.h>
#include <signal.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"

namespace slihub::cache {
namespace {

// Longest expiry sent to Redis; longer TTLs are clamped (Redis rejects overflowing ones).
constexpr absl::Duration kMaxTtl = absl::Hours(24 * 365 * 100);

// A write to a socket the peer has closed raises SIGPIPE, whose default action ends the
// process; hiredis writes with write(2), so the signal must be ignored for the cache to degrade.
void IgnoreSigpipeIfDefault() {
  struct sigaction current;
  if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
    signal(SIGPIPE, SIG_IGN);
  }
}

absl::Status ValidateOptions(const RedisCacheOptions& options) {
  if (options.host.empty()) return absl::InvalidArgumentError("redis cache: empty host");
  if (options.port < 1 || options.port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("redis cache: port ", options.port, " is not in 1..65535"));
  }
  if (options.pool_size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("redis cache: pool_size ", options.pool_size, " must be at least 1"));
  }
  const std::pair<absl::string_view, absl::Duration> durations[] = {
      {"connect_timeout", options.connect_timeout},
      {"io_timeout", options.io_timeout},
      {"retry_backoff", options.retry_backoff},
      {"probe_interval", options.probe_interval}};
  for (const auto& [name, value] : durations) {
    if (value <= absl::ZeroDuration() || value == absl::InfiniteDuration()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "redis cache: ", name, " must be positive and finite, got ",
          absl::FormatDuration(value)));
    }
  }
  return absl::OkStatus();
}

std::optional<std::string> StringOrMiss(const redisReply& reply) {
  if (reply.type == REDIS_REPLY_STRING) return std::string(reply.str, reply.len);
  return std::nullopt;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisCache>> RedisCache::Create(RedisCacheOptions options) {
  if (absl::Status status = ValidateOptions(options); !status.ok()) return status;
  IgnoreSigpipeIfDefault();
  std::unique_ptr<RedisCache> cache(new RedisCache(std::move(options)));
  cache->Probe();
  cache->monitor_ = std::thread([raw = cache.get()] { raw->MonitorLoop(); });
  return cache;
}

RedisCache::RedisCache(RedisCacheOptions options) : options_(std::move(options)) {}

RedisCache::~RedisCache() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    monitor_wakeup_.SignalAll();
  }
  if (monitor_.joinable()) monitor_.join();
}

std::string RedisCache::Address() const {
  return absl::StrCat(options_.host, ":", options_.port);
}

bool RedisCache::available() const {
  absl::MutexLock lock(&mu_);
  return up_;
}

std::string RedisCache::last_error() const {
  absl::MutexLock lock(&mu_);
  return last_error_;
}

void RedisCache::SetStateListener(CacheStateListener listener) {
  absl::MutexLock lock(&mu_);
  listener_ = std::move(listener);
  events_.clear();
  if (listener_) {
    events_.push_back(
        {up_, up_ ? absl::StrCat("redis ", Address(), " is reachable") : last_error_});
    monitor_wakeup_.Signal();
  }
}

void RedisCache::MarkUpLocked() {
  if (up_) return;
  up_ = true;
  retry_at_ = absl::InfinitePast();
  if (listener_) {
    events_.push_back({true, absl::StrCat("redis ", Address(), " is reachable")});
    monitor_wakeup_.Signal();
  }
}

void RedisCache::MarkDownLocked(const std::string& reason) {
  last_error_ = absl::StrCat(reason, " (", Address(), ")");
  retry_at_ = absl::Now() + options_.retry_backoff;
  if (!up_) return;
  up_ = false;
  ++generation_;
  open_ -= static_cast<int>(idle_.size());
  idle_.clear();  // opened before the failure: probably dead too
  slot_freed_.SignalAll();
  if (listener_) {
    events_.push_back({false, last_error_});
    monitor_wakeup_.Signal();
  }
}

std::optional<RedisCache::Lease> RedisCache::Acquire() {
  bool trial = false;
  uint64_t generation;
  {
    absl::MutexLock lock(&mu_);
    if (!up_) {
      if (reconnecting_ || absl::Now() < retry_at_) return std::nullopt;
      reconnecting_ = true;
      trial = true;
    } else {
      const absl::Time deadline = absl::Now() + options_.io_timeout;
      while (up_ && idle_.empty() && open_ >= options_.pool_size) {
        if (slot_freed_.WaitWithDeadline(&mu_, deadline)) break;
      }
      if (!up_) return std::nullopt;
      if (!idle_.empty()) {
        Lease lease = std::move(idle_.back());
        idle_.pop_back();
        return lease;
      }
      if (open_ >= options_.pool_size) return std::nullopt;  // busy: a miss, not an outage
    }
    ++open_;
    generation = generation_;
  }
  absl::StatusOr<std::unique_ptr<RedisConnection>> connection = RedisConnection::Connect(
      options_.host, options_.port, options_.connect_timeout, options_.io_timeout);
  if (connection.ok()) return Lease{std::move(*connection), generation, trial};
  absl::MutexLock lock(&mu_);
  if (trial) reconnecting_ = false;
  --open_;
  slot_freed_.Signal();
  if (trial || (up_ && generation == generation_)) {
    MarkDownLocked(std::string(connection.status().message()));
  }
  return std::nullopt;
}

void RedisCache::Release(Lease lease, const absl::Status& failure) {
  std::unique_ptr<RedisConnection> discard;
  absl::MutexLock lock(&mu_);
  if (lease.trial) reconnecting_ = false;
  const bool broken = !failure.ok() || lease.connection->broken();
  if (broken && (lease.trial || (up_ && lease.generation == generation_))) {
    MarkDownLocked(failure.ok() ? "redis connection broken" : std::string(failure.message()));
  } else if (!broken && lease.trial) {
    MarkUpLocked();  // the call went through: Redis is back
  }
  if (broken || !up_ || lease.generation != generation_) {
    discard = std::move(lease.connection);
    --open_;
  } else {
    lease.trial = false;
    idle_.push_back(std::move(lease));
  }
  slot_freed_.Signal();
}

template <typename Command>
std::optional<RedisReplyPtr> RedisCache::Run(Command command) {
  std::optional<Lease> lease = Acquire();
  if (!lease) return std::nullopt;
  absl::StatusOr<RedisReplyPtr> reply = command(*lease->connection);
  Release(std::move(*lease), reply.status());
  if (!reply.ok()) return std::nullopt;
  if ((*reply)->type == REDIS_REPLY_ERROR) {
    absl::MutexLock lock(&mu_);
    last_error_ = absl::StrCat("redis error reply: ",
                               absl::string_view((*reply)->str, (*reply)->len));
    return std::nullopt;
  }
  return std::move(*reply);
}

absl::StatusOr<std::optional<std::string>> RedisCache::Get(const std::string& key) {
  const std::string full_key = PrefixedKey(key);
  std::optional<RedisReplyPtr> reply = Run([&](RedisConnection& connection) {
    return connection.Command("GET %b", full_key.data(), full_key.size());
  });
  if (!reply) return std::optional<std::string>();
  return StringOrMiss(**reply);
}

absl::StatusOr<std::vector<std::optional<std::string>>> RedisCache::MultiGet(
    absl::Span<const std::string> keys) {
  std::vector<std::optional<std::string>> values(keys.size());
  if (keys.empty()) return values;
  std::vector<std::string> full_keys;
  full_keys.reserve(keys.size());
  for (const std::string& key : keys) full_keys.push_back(PrefixedKey(key));
  std::vector<absl::string_view> args;
  args.reserve(keys.size() + 1);
  args.push_back("MGET");
  args.insert(args.end(), full_keys.begin(), full_keys.end());
  std::optional<RedisReplyPtr> reply =
      Run([&](RedisConnection& connection) { return connection.CommandArgv(args); });
  if (!reply || (*reply)->type != REDIS_REPLY_ARRAY || (*reply)->elements != keys.size()) {
    return values;
  }
  for (size_t i = 0; i < keys.size(); ++i) values[i] = StringOrMiss(*(*reply)->element[i]);
  return values;
}

absl::Status RedisCache::Set(const std::string& key, const std::string& value,
                             absl::Duration ttl) {
  if (ttl <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cache ttl must be positive, got ", absl::FormatDuration(ttl)));
  }
  const std::string full_key = PrefixedKey(key);
  if (ttl == absl::InfiniteDuration()) {
    Run([&](RedisConnection& connection) {
      return connection.Command("SET %b %b", full_key.data(), full_key.size(), value.data(),
                                value.size());
    });
    return absl::OkStatus();
  }
  const long long millis = static_cast<long long>(
      absl::ToInt64Milliseconds(absl::Ceil(std::min(ttl, kMaxTtl), absl::Milliseconds(1))));
  Run([&](RedisConnection& connection) {
    return connection.Command("SET %b %b PX %lld", full_key.data(), full_key.size(),
                              value.data(), value.size(), millis);
  });
  return absl::OkStatus();
}

absl::Status RedisCache::Delete(absl::Span<const std::string> keys) {
  if (keys.empty()) return absl::OkStatus();
  std::vector<std::string> full_keys;
  full_keys.reserve(keys.size());
  for (const std::string& key : keys) full_keys.push_back(PrefixedKey(key));
  std::vector<absl::string_view> args;
  args.reserve(keys.size() + 1);
  args.push_back("DEL");
  args.insert(args.end(), full_keys.begin(), full_keys.end());
  Run([&](RedisConnection& connection) { return connection.CommandArgv(args); });
  return absl::OkStatus();
}

void RedisCache::Probe() {
  absl::Status status;
  if (probe_connection_ == nullptr) {
    absl::StatusOr<std::unique_ptr<RedisConnection>> connection = RedisConnection::Connect(
        options_.host, options_.port, options_.connect_timeout, options_.io_timeout);
    if (connection.ok()) {
      probe_connection_ = std::move(*connection);
    } else {
      status = connection.status();
    }
  }
  if (status.ok()) {
    absl::StatusOr<RedisReplyPtr> reply = probe_connection_->Command("PING");
    if (!reply.ok()) {
      status = reply.status();
    } else if ((*reply)->type != REDIS_REPLY_STATUS) {
      status = absl::UnavailableError(absl::StrCat(
          "redis PING answered ", absl::string_view((*reply)->str, (*reply)->len)));
    }
    if (!status.ok()) probe_connection_.reset();
  }
  absl::MutexLock lock(&mu_);
  if (status.ok()) {
    MarkUpLocked();
  } else {
    // Also pushes the callers' next attempt back: the probe has just tried for them.
    MarkDownLocked(std::string(status.message()));
  }
}

void RedisCache::MonitorLoop() {
  absl::Time next_probe = absl::Now() + options_.probe_interval;
  while (true) {
    std::deque<StateEvent> events;
    CacheStateListener listener;
    {
      absl::MutexLock lock(&mu_);
      while (!stopping_ && events_.empty() && absl::Now() < next_probe) {
        monitor_wakeup_.WaitWithDeadline(&mu_, next_probe);
      }
      if (stopping_) return;
      events.swap(events_);
      listener = listener_;
    }
    if (listener) {
      for (const StateEvent& event : events) listener(event.available, event.detail);
    }
    if (absl::Now() >= next_probe) {
      Probe();
      next_probe = absl::Now() + options_.probe_interval;
    }
  }
}

}  // namespace slihub::cache
