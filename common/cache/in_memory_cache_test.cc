#include "common/cache/in_memory_cache.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"

namespace slihub::cache {
namespace {

// A clock the test moves by hand.
class FakeClock {
 public:
  absl::Time Now() const {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }
  InMemoryCache::Clock AsClock() {
    return [this] { return Now(); };
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ = absl::FromUnixSeconds(1700000000);
};

TEST(InMemoryCacheTest, SetGetDeleteMultiGet) {
  InMemoryCache cache;
  EXPECT_TRUE(cache.available());
  ASSERT_TRUE(cache.Set("a", "1", absl::Minutes(1)).ok());
  ASSERT_TRUE(cache.Set("b", std::string("\0b", 2), absl::Minutes(1)).ok());
  EXPECT_EQ(cache.Get("a").value(), "1");
  EXPECT_EQ(cache.Get("nope").value(), std::nullopt);
  const std::vector<std::string> keys = {"b", "nope", "a"};
  const std::vector<std::optional<std::string>> expected = {std::string("\0b", 2), std::nullopt,
                                                            "1"};
  EXPECT_EQ(cache.MultiGet(keys).value(), expected);
  const std::vector<std::string> doomed = {"a", "nope"};
  ASSERT_TRUE(cache.Delete(doomed).ok());
  EXPECT_EQ(cache.Get("a").value(), std::nullopt);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(InMemoryCacheTest, EntriesExpireByTheClock) {
  FakeClock clock;
  InMemoryCache cache(clock.AsClock());
  ASSERT_TRUE(cache.Set("short", "s", absl::Seconds(10)).ok());
  ASSERT_TRUE(cache.Set("forever", "f", absl::InfiniteDuration()).ok());
  clock.Advance(absl::Seconds(9));
  EXPECT_EQ(cache.Get("short").value(), "s");
  clock.Advance(absl::Seconds(1));
  EXPECT_EQ(cache.Get("short").value(), std::nullopt);
  clock.Advance(absl::Hours(24 * 365));
  EXPECT_EQ(cache.Get("forever").value(), "f");
  EXPECT_EQ(cache.size(), 1u);
}

TEST(InMemoryCacheTest, RejectsNonPositiveTtl) {
  InMemoryCache cache;
  EXPECT_EQ(cache.Set("k", "v", absl::ZeroDuration()).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(cache.Set("k", "v", -absl::Seconds(1)).code(), absl::StatusCode::kInvalidArgument);
}

TEST(InMemoryCacheTest, UnavailableDegradesToMissesAndNoOps) {
  InMemoryCache cache;
  ASSERT_TRUE(cache.Set("a", "1", absl::Minutes(1)).ok());
  cache.SetAvailable(false);
  EXPECT_FALSE(cache.available());
  EXPECT_FALSE(cache.last_error().empty());
  EXPECT_EQ(cache.Get("a").value(), std::nullopt);
  const std::vector<std::string> keys = {"a"};
  EXPECT_EQ(cache.MultiGet(keys).value(), std::vector<std::optional<std::string>>{std::nullopt});
  EXPECT_TRUE(cache.Set("b", "2", absl::Minutes(1)).ok());
  EXPECT_TRUE(cache.Delete(keys).ok());
  cache.SetAvailable(true);
  EXPECT_EQ(cache.Get("a").value(), "1");  // the outage neither wrote nor deleted
  EXPECT_EQ(cache.Get("b").value(), std::nullopt);
}

TEST(InMemoryCacheTest, ThreadSafe) {
  InMemoryCache cache;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 1000; ++i) {
        const std::string key = std::to_string(t * 1000 + i);
        ASSERT_TRUE(cache.Set(key, key, absl::Minutes(1)).ok());
        ASSERT_EQ(cache.Get(key).value(), key);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(cache.size(), 4000u);
}

}  // namespace
}  // namespace slihub::cache
