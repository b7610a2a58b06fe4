#include "common/cache/redis_cache.h"

#include <hiredis/hiredis.h>
#include <signal.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/support/free_port.h"
#include "tests/support/redis_server.h"
#include "tests/support/wait_for.h"

namespace slihub::cache {
namespace {

using ::slihub::testing::PickFreePort;
using ::slihub::testing::RedisServer;
using ::slihub::testing::WaitFor;

// The bound a single call must respect: connect_timeout + io_timeout plus scheduling slack.
constexpr absl::Duration kCallBound = absl::Milliseconds(500);
// What "returns immediately" means on a loaded test machine.
constexpr absl::Duration kBypassBound = absl::Milliseconds(50);

// Records every listener call, thread-safely.
class StateLog {
 public:
  CacheStateListener Listener() {
    return [this](bool available, const std::string& detail) {
      absl::MutexLock lock(&mu_);
      events_.push_back({available, detail});
    };
  }
  std::vector<std::pair<bool, std::string>> events() const {
    absl::MutexLock lock(&mu_);
    return events_;
  }
  // True once some event has availability `available`; copies its detail.
  bool Saw(bool available, std::string* detail = nullptr) const {
    absl::MutexLock lock(&mu_);
    for (const auto& event : events_) {
      if (event.first == available) {
        if (detail != nullptr) *detail = event.second;
        return true;
      }
    }
    return false;
  }
  void Clear() {
    absl::MutexLock lock(&mu_);
    events_.clear();
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<std::pair<bool, std::string>> events_;
};

// A raw hiredis connection, to look at what the cache wrote.
class RawRedis {
 public:
  explicit RawRedis(int port) : context_(redisConnect("127.0.0.1", port)) {}
  ~RawRedis() { redisFree(context_); }
  // The reply as text: strings and statuses as is, integers in decimal, nil as "(nil)".
  std::string Run(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    for (const std::string& arg : args) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    auto* reply = static_cast<redisReply*>(
        redisCommandArgv(context_, static_cast<int>(args.size()), argv.data(), lengths.data()));
    if (reply == nullptr) return absl::StrCat("(transport error: ", context_->errstr, ")");
    std::string text;
    switch (reply->type) {
      case REDIS_REPLY_INTEGER: text = absl::StrCat(reply->integer); break;
      case REDIS_REPLY_NIL: text = "(nil)"; break;
      default: text = std::string(reply->str != nullptr ? reply->str : "", reply->len);
    }
    freeReplyObject(reply);
    return text;
  }

 private:
  redisContext* context_;
};

class RedisCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }

  RedisCacheOptions Options(const std::string& prefix = "slihub:test:") const {
    RedisCacheOptions options;
    options.port = server_->port();
    options.key_prefix = prefix;
    options.probe_interval = absl::Milliseconds(200);
    return options;
  }

  std::unique_ptr<RedisCache> NewCache(const RedisCacheOptions& options) {
    absl::StatusOr<std::unique_ptr<RedisCache>> cache = RedisCache::Create(options);
    EXPECT_TRUE(cache.ok()) << cache.status();
    return cache.ok() ? std::move(*cache) : nullptr;
  }

  std::unique_ptr<RedisServer> server_;
};

// Runs `call` and returns how long it took.
template <typename Call>
absl::Duration Time(Call call) {
  const absl::Time start = absl::Now();
  call();
  return absl::Now() - start;
}

TEST_F(RedisCacheTest, SetGetDelete) {
  auto cache = NewCache(Options());
  ASSERT_NE(cache, nullptr);
  EXPECT_TRUE(cache->available());
  ASSERT_TRUE(cache->Set("a", "one", absl::Minutes(1)).ok());
  ASSERT_TRUE(cache->Set("b", "two", absl::Minutes(1)).ok());
  EXPECT_EQ(cache->Get("a").value(), "one");
  EXPECT_EQ(cache->Get("missing").value(), std::nullopt);
  ASSERT_TRUE(cache->Set("a", "uno", absl::Minutes(1)).ok());
  EXPECT_EQ(cache->Get("a").value(), "uno");
  const std::vector<std::string> doomed = {"a", "missing"};
  ASSERT_TRUE(cache->Delete(doomed).ok());
  EXPECT_EQ(cache->Get("a").value(), std::nullopt);
  EXPECT_EQ(cache->Get("b").value(), "two");
  EXPECT_TRUE(cache->Delete({}).ok());
  EXPECT_TRUE(cache->last_error().empty()) << cache->last_error();
}

TEST_F(RedisCacheTest, EntriesExpireAfterTheirTtl) {
  auto cache = NewCache(Options("ttl:"));
  ASSERT_NE(cache, nullptr);
  RawRedis raw(server_->port());
  ASSERT_TRUE(cache->Set("short", "v", absl::Milliseconds(150)).ok());
  ASSERT_TRUE(cache->Set("long", "v", absl::Minutes(5)).ok());
  ASSERT_TRUE(cache->Set("forever", "v", absl::InfiniteDuration()).ok());
  ASSERT_TRUE(cache->Set("tiny", "v", absl::Microseconds(10)).ok());  // rounds up to 1 ms
  const int short_ttl = std::stoi(raw.Run({"PTTL", "ttl:short"}));
  EXPECT_GT(short_ttl, 0);
  EXPECT_LE(short_ttl, 150);
  const int long_ttl = std::stoi(raw.Run({"PTTL", "ttl:long"}));
  EXPECT_GT(long_ttl, 299000);
  EXPECT_LE(long_ttl, 300000);
  EXPECT_EQ(raw.Run({"PTTL", "ttl:forever"}), "-1");
  EXPECT_EQ(cache->Get("short").value(), "v");
  EXPECT_TRUE(WaitFor([&] { return !cache->Get("short").value().has_value(); },
                      absl::Seconds(5)));
  EXPECT_EQ(cache->Get("tiny").value(), std::nullopt);
  EXPECT_EQ(cache->Get("long").value(), "v");
  EXPECT_EQ(cache->Get("forever").value(), "v");
}

TEST_F(RedisCacheTest, RejectsNonPositiveTtl) {
  auto cache = NewCache(Options());
  ASSERT_NE(cache, nullptr);
  EXPECT_EQ(cache->Set("k", "v", absl::ZeroDuration()).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(cache->Set("k", "v", absl::Seconds(-1)).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(cache->Get("k").value(), std::nullopt);
}

TEST_F(RedisCacheTest, MultiGetKeepsOrderAndReportsMisses) {
  auto cache = NewCache(Options());
  ASSERT_NE(cache, nullptr);
  ASSERT_TRUE(cache->Set("x", "1", absl::Minutes(1)).ok());
  ASSERT_TRUE(cache->Set("z", "3", absl::Minutes(1)).ok());
  const std::vector<std::string> keys = {"z", "missing", "x", "x"};
  absl::StatusOr<std::vector<std::optional<std::string>>> values = cache->MultiGet(keys);
  ASSERT_TRUE(values.ok()) << values.status();
  const std::vector<std::optional<std::string>> expected = {"3", std::nullopt, "1", "1"};
  EXPECT_EQ(*values, expected);
  EXPECT_TRUE(cache->MultiGet({}).value().empty());
}

TEST_F(RedisCacheTest, ValuesAndKeysAreBinarySafe) {
  auto cache = NewCache(Options());
  ASSERT_NE(cache, nullptr);
  const std::string key("k\0ey\r\n %s", 10);
  const std::string value("\0\xff\r\n$-1\r\n%b\0", 13);
  std::string big(1 << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7);
  ASSERT_TRUE(cache->Set(key, value, absl::Minutes(1)).ok());
  ASSERT_TRUE(cache->Set("big", big, absl::Minutes(1)).ok());
  EXPECT_EQ(cache->Get(key).value(), value);
  EXPECT_EQ(cache->Get(std::string("k", 1)).value(), std::nullopt);
  EXPECT_EQ(cache->Get("big").value(), big);
  const std::vector<std::string> keys = {key, "big"};
  const std::vector<std::optional<std::string>> expected = {value, big};
  EXPECT_EQ(cache->MultiGet(keys).value(), expected);
}

TEST_F(RedisCacheTest, KeyPrefixesIsolateCaches) {
  auto east = NewCache(Options("slihub:EE:placement:"));
  auto west = NewCache(Options("slihub:NW:placement:"));
  ASSERT_NE(east, nullptr);
  ASSERT_NE(west, nullptr);
  ASSERT_TRUE(east->Set("la:873", "east", absl::Minutes(1)).ok());
  ASSERT_TRUE(west->Set("la:873", "west", absl::Minutes(1)).ok());
  EXPECT_EQ(east->Get("la:873").value(), "east");
  EXPECT_EQ(west->Get("la:873").value(), "west");
  RawRedis raw(server_->port());
  EXPECT_EQ(raw.Run({"GET", "slihub:EE:placement:la:873"}), "east");
  EXPECT_EQ(raw.Run({"GET", "la:873"}), "(nil)");
  const std::vector<std::string> keys = {"la:873"};
  ASSERT_TRUE(east->Delete(keys).ok());
  EXPECT_EQ(east->Get("la:873").value(), std::nullopt);
  EXPECT_EQ(west->Get("la:873").value(), "west");
}

TEST_F(RedisCacheTest, ErrorRepliesAreMissesNotOutages) {
  auto cache = NewCache(Options("p:"));
  ASSERT_NE(cache, nullptr);
  RawRedis raw(server_->port());
  raw.Run({"LPUSH", "p:list", "x"});
  EXPECT_EQ(cache->Get("list").value(), std::nullopt);
  EXPECT_TRUE(cache->available());
  EXPECT_TRUE(absl::StrContains(cache->last_error(), "WRONGTYPE")) << cache->last_error();
  ASSERT_TRUE(cache->Set("k", "v", absl::Minutes(1)).ok());
  EXPECT_EQ(cache->Get("k").value(), "v");
}

TEST_F(RedisCacheTest, ManyThreadsShareASmallPool) {
  RedisCacheOptions options = Options();
  options.pool_size = 2;
  options.io_timeout = absl::Seconds(2);  // so a busy pool never turns a call into a miss here
  auto cache = NewCache(options);
  ASSERT_NE(cache, nullptr);
  constexpr int kThreads = 8;
  constexpr int kRounds = 200;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        const std::string key = absl::StrCat("t", t, ":", i % 10);
        const std::string value = absl::StrCat("v", t, ":", i);
        if (!cache->Set(key, value, absl::Minutes(1)).ok()) ++wrong;
        if (cache->Get(key).value() != value) ++wrong;
        const std::vector<std::string> keys = {key, "absent"};
        const auto values = cache->MultiGet(keys).value();
        if (values[0] != value || values[1].has_value()) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_TRUE(cache->available());
}

TEST_F(RedisCacheTest, ListenerHearsCurrentStateWhenRegistered) {
  auto cache = NewCache(Options());
  ASSERT_NE(cache, nullptr);
  StateLog log;
  cache->SetStateListener(log.Listener());
  std::string detail;
  ASSERT_TRUE(WaitFor([&] { return log.Saw(true, &detail); }, absl::Seconds(5)));
  EXPECT_TRUE(absl::StrContains(detail, absl::StrCat(server_->port()))) << detail;
  EXPECT_EQ(log.events().size(), 1u);
}

// Drives calls of every kind; each must return OK (misses) within `bound`.
void ExpectDegradedCallsWithin(Cache& cache, absl::Duration bound, int rounds) {
  const std::vector<std::string> keys = {"a", "b", "c"};
  for (int i = 0; i < rounds; ++i) {
    absl::Duration took = Time([&] {
      absl::StatusOr<std::optional<std::string>> value = cache.Get("a");
      ASSERT_TRUE(value.ok());
      EXPECT_EQ(*value, std::nullopt);
    });
    EXPECT_LT(took, bound) << "Get, round " << i;
    took = Time([&] {
      absl::StatusOr<std::vector<std::optional<std::string>>> values = cache.MultiGet(keys);
      ASSERT_TRUE(values.ok());
      EXPECT_EQ(values->size(), keys.size());
      for (const auto& value : *values) EXPECT_EQ(value, std::nullopt);
    });
    EXPECT_LT(took, bound) << "MultiGet, round " << i;
    took = Time([&] { EXPECT_TRUE(cache.Set("a", "v", absl::Minutes(1)).ok()); });
    EXPECT_LT(took, bound) << "Set, round " << i;
    took = Time([&] { EXPECT_TRUE(cache.Delete(keys).ok()); });
    EXPECT_LT(took, bound) << "Delete, round " << i;
  }
}

TEST_F(RedisCacheTest, KilledRedisDegradesThenRecoversWithoutTraffic) {
  auto cache = NewCache(Options());
  ASSERT_NE(cache, nullptr);
  StateLog log;
  cache->SetStateListener(log.Listener());
  ASSERT_TRUE(cache->Set("a", "v", absl::Minutes(1)).ok());
  ASSERT_EQ(cache->Get("a").value(), "v");
  ASSERT_TRUE(WaitFor([&] { return log.Saw(true); }, absl::Seconds(5)));
  log.Clear();

  ASSERT_TRUE(server_->Kill().ok());
  // The first calls meet the dead connections: misses, within the timeout bound.
  ExpectDegradedCallsWithin(*cache, kCallBound, 1);
  ASSERT_TRUE(WaitFor([&] { return !cache->available(); }, absl::Seconds(2)));
  std::string reason;
  ASSERT_TRUE(WaitFor([&] { return log.Saw(false, &reason); }, absl::Seconds(2)));
  EXPECT_FALSE(reason.empty());
  EXPECT_TRUE(absl::StrContains(reason, absl::StrCat(server_->port()))) << reason;
  EXPECT_FALSE(cache->last_error().empty());

  // While down, over more than one backoff period: every call returns at once.
  const absl::Time start = absl::Now();
  while (absl::Now() - start < absl::Milliseconds(1500)) {
    ExpectDegradedCallsWithin(*cache, kBypassBound, 1);
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_FALSE(cache->available());

  // Redis returns on the same port; the probe notices with no traffic at all.
  log.Clear();
  ASSERT_TRUE(server_->Restart().ok());
  ASSERT_TRUE(WaitFor([&] { return cache->available(); }, absl::Seconds(3)));
  ASSERT_TRUE(WaitFor([&] { return log.Saw(true); }, absl::Seconds(3)));
  ASSERT_TRUE(cache->Set("a", "again", absl::Minutes(1)).ok());
  EXPECT_EQ(cache->Get("a").value(), "again");
  const std::vector<std::string> keys = {"a", "b"};
  const std::vector<std::optional<std::string>> expected = {"again", std::nullopt};
  EXPECT_EQ(cache->MultiGet(keys).value(), expected);
}

TEST_F(RedisCacheTest, DownIsNoticedWithoutTraffic) {
  auto cache = NewCache(Options());
  ASSERT_NE(cache, nullptr);
  StateLog log;
  cache->SetStateListener(log.Listener());
  ASSERT_TRUE(server_->Stop().ok());
  std::string reason;
  ASSERT_TRUE(WaitFor([&] { return log.Saw(false, &reason); }, absl::Seconds(3)));
  EXPECT_FALSE(cache->available());
  EXPECT_FALSE(reason.empty());
}

TEST_F(RedisCacheTest, HungRedisCostsOneTimeoutThenBypasses) {
  RedisCacheOptions options = Options();
  options.probe_interval = absl::Seconds(30);  // let a caller, not the probe, meet the hang
  auto cache = NewCache(options);
  ASSERT_NE(cache, nullptr);
  StateLog log;
  cache->SetStateListener(log.Listener());
  ASSERT_EQ(cache->Get("a").value(), std::nullopt);  // opens a pooled connection
  ASSERT_TRUE(server_->Signal(SIGSTOP).ok());

  absl::StatusOr<std::optional<std::string>> value;
  const absl::Duration took = Time([&] { value = cache->Get("a"); });
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, std::nullopt);
  EXPECT_GE(took, options.io_timeout - absl::Milliseconds(20));
  EXPECT_LT(took, kCallBound);
  EXPECT_FALSE(cache->available());
  EXPECT_TRUE(absl::StrContains(cache->last_error(), "timed out")) << cache->last_error();
  ExpectDegradedCallsWithin(*cache, kBypassBound, 20);
  EXPECT_TRUE(WaitFor([&] { return log.Saw(false); }, absl::Seconds(2)));
  ASSERT_TRUE(server_->Signal(SIGCONT).ok());
}

TEST_F(RedisCacheTest, ProbeBringsBackAHungRedis) {
  auto cache = NewCache(Options());
  ASSERT_NE(cache, nullptr);
  ASSERT_TRUE(server_->Signal(SIGSTOP).ok());
  ASSERT_TRUE(WaitFor([&] { return !cache->available(); }, absl::Seconds(3)));
  ExpectDegradedCallsWithin(*cache, kCallBound, 3);
  ASSERT_TRUE(server_->Signal(SIGCONT).ok());
  ASSERT_TRUE(WaitFor([&] { return cache->available(); }, absl::Seconds(3)));
  ASSERT_TRUE(cache->Set("k", "v", absl::Minutes(1)).ok());
  EXPECT_EQ(cache->Get("k").value(), "v");
}

TEST_F(RedisCacheTest, OneCallerReconnectsAfterTheBackoff) {
  RedisCacheOptions options = Options();
  options.probe_interval = absl::Seconds(30);  // only callers can bring it back here
  auto cache = NewCache(options);
  ASSERT_NE(cache, nullptr);
  ASSERT_TRUE(cache->Set("a", "v", absl::Minutes(1)).ok());
  ASSERT_TRUE(server_->Kill().ok());
  EXPECT_EQ(cache->Get("a").value(), std::nullopt);  // meets the dead connection
  const absl::Time failed_at = absl::Now();
  EXPECT_FALSE(cache->available());
  ASSERT_TRUE(server_->Restart().ok());
  // Within the backoff nobody connects, even though Redis is back.
  ExpectDegradedCallsWithin(*cache, kBypassBound, 1);
  if (absl::Now() - failed_at < options.retry_backoff) {
    EXPECT_FALSE(cache->available());
  }
  absl::SleepFor(failed_at + options.retry_backoff - absl::Now());
  ASSERT_TRUE(cache->Set("a", "back", absl::Minutes(1)).ok());  // the trial call
  EXPECT_TRUE(cache->available());
  EXPECT_EQ(cache->Get("a").value(), "back");
}

TEST(RedisCacheNoServerTest, NeverStartedRedisStartsDownAndAnswersMisses) {
  RedisCacheOptions options;
  options.port = PickFreePort();  // nothing listens here
  options.probe_interval = absl::Milliseconds(100);
  absl::StatusOr<std::unique_ptr<RedisCache>> cache;
  const absl::Duration took = Time([&] { cache = RedisCache::Create(options); });
  ASSERT_TRUE(cache.ok()) << cache.status();
  EXPECT_LT(took, kCallBound);
  EXPECT_FALSE((*cache)->available());
  EXPECT_TRUE(absl::StrContains((*cache)->last_error(), "refused")) << (*cache)->last_error();
  StateLog log;
  (*cache)->SetStateListener(log.Listener());
  ASSERT_TRUE(WaitFor([&] { return log.Saw(false); }, absl::Seconds(2)));
  ExpectDegradedCallsWithin(**cache, kBypassBound, 50);
  EXPECT_FALSE(log.Saw(true));

  // Starting Redis on that port later brings the cache up by itself.
  slihub::testing::RedisServerOptions server_options;
  server_options.port = options.port;
  absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Start(server_options);
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_TRUE(WaitFor([&] { return (*cache)->available(); }, absl::Seconds(3)));
  ASSERT_TRUE((*cache)->Set("k", "v", absl::Minutes(1)).ok());
  EXPECT_EQ((*cache)->Get("k").value(), "v");
}

TEST(RedisCacheOptionsTest, RejectsInvalidOptions) {
  auto code = [](auto mutate) {
    RedisCacheOptions options;
    mutate(options);
    return RedisCache::Create(options).status().code();
  };
  const auto invalid = absl::StatusCode::kInvalidArgument;
  EXPECT_EQ(code([](RedisCacheOptions& o) { o.host = ""; }), invalid);
  EXPECT_EQ(code([](RedisCacheOptions& o) { o.port = 0; }), invalid);
  EXPECT_EQ(code([](RedisCacheOptions& o) { o.port = 70000; }), invalid);
  EXPECT_EQ(code([](RedisCacheOptions& o) { o.pool_size = 0; }), invalid);
  EXPECT_EQ(code([](RedisCacheOptions& o) { o.io_timeout = absl::ZeroDuration(); }), invalid);
  EXPECT_EQ(code([](RedisCacheOptions& o) { o.connect_timeout = absl::InfiniteDuration(); }),
            invalid);
  EXPECT_EQ(code([](RedisCacheOptions& o) { o.probe_interval = absl::Seconds(-1); }), invalid);
  EXPECT_EQ(code([](RedisCacheOptions& o) { o.retry_backoff = absl::ZeroDuration(); }),
            invalid);
}

}  // namespace
}  // namespace slihub::cache
