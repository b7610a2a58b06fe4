// RedisCache against a raw hiredis context on the same redis-server, in the same run: the
// difference is the cost of the pool, the state checks and the Status plumbing.
#include <hiredis/hiredis.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "common/cache/redis_cache.h"
#include "tests/support/free_port.h"
#include "tests/support/redis_server.h"

namespace slihub::cache {
namespace {

constexpr char kPrefix[] = "bench:";
constexpr int kMultiGetKeys = 16;

slihub::testing::RedisServer* g_server = nullptr;

std::vector<std::string> BenchKeys() {
  std::vector<std::string> keys;
  for (int i = 0; i < kMultiGetKeys; ++i) keys.push_back(absl::StrCat("placement:la:", 800 + i));
  return keys;
}

std::string Value() { return std::string(256, 'v'); }

std::unique_ptr<RedisCache> NewCache() {
  RedisCacheOptions options;
  options.port = g_server->port();
  options.key_prefix = kPrefix;
  absl::StatusOr<std::unique_ptr<RedisCache>> cache = RedisCache::Create(options);
  if (!cache.ok() || !(*cache)->available()) return nullptr;
  for (const std::string& key : BenchKeys()) {
    if (!(*cache)->Set(key, Value(), absl::Hours(1)).ok()) return nullptr;
  }
  return std::move(*cache);
}

void BM_CacheGetHit(benchmark::State& state) {
  std::unique_ptr<RedisCache> cache = NewCache();
  if (cache == nullptr) return state.SkipWithError("cache setup failed");
  const std::string key = BenchKeys()[0];
  for (auto _ : state) {
    absl::StatusOr<std::optional<std::string>> value = cache->Get(key);
    if (!value.ok() || !value->has_value()) return state.SkipWithError("miss");
    benchmark::DoNotOptimize(value);
  }
}
BENCHMARK(BM_CacheGetHit);

void BM_RawHiredisGetHit(benchmark::State& state) {
  redisContext* context = redisConnect("127.0.0.1", g_server->port());
  if (context == nullptr || context->err != 0) return state.SkipWithError("connect failed");
  const std::string key = absl::StrCat(kPrefix, BenchKeys()[0]);
  for (auto _ : state) {
    auto* reply =
        static_cast<redisReply*>(redisCommand(context, "GET %b", key.data(), key.size()));
    if (reply == nullptr || reply->type != REDIS_REPLY_STRING) {
      if (reply != nullptr) freeReplyObject(reply);
      redisFree(context);
      return state.SkipWithError("miss");
    }
    std::string value(reply->str, reply->len);
    benchmark::DoNotOptimize(value);
    freeReplyObject(reply);
  }
  redisFree(context);
}
BENCHMARK(BM_RawHiredisGetHit);

void BM_CacheMultiGet16(benchmark::State& state) {
  std::unique_ptr<RedisCache> cache = NewCache();
  if (cache == nullptr) return state.SkipWithError("cache setup failed");
  const std::vector<std::string> keys = BenchKeys();
  for (auto _ : state) {
    absl::StatusOr<std::vector<std::optional<std::string>>> values = cache->MultiGet(keys);
    if (!values.ok() || !(*values)[kMultiGetKeys - 1].has_value()) {
      return state.SkipWithError("miss");
    }
    benchmark::DoNotOptimize(values);
  }
  state.SetItemsProcessed(state.iterations() * kMultiGetKeys);
}
BENCHMARK(BM_CacheMultiGet16);

void BM_RawHiredisMultiGet16(benchmark::State& state) {
  redisContext* context = redisConnect("127.0.0.1", g_server->port());
  if (context == nullptr || context->err != 0) return state.SkipWithError("connect failed");
  std::vector<std::string> args = {"MGET"};
  for (const std::string& key : BenchKeys()) args.push_back(absl::StrCat(kPrefix, key));
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  for (auto _ : state) {
    auto* reply = static_cast<redisReply*>(redisCommandArgv(
        context, static_cast<int>(argv.size()), argv.data(), lengths.data()));
    if (reply == nullptr || reply->type != REDIS_REPLY_ARRAY ||
        reply->elements != kMultiGetKeys) {
      if (reply != nullptr) freeReplyObject(reply);
      redisFree(context);
      return state.SkipWithError("bad reply");
    }
    std::vector<std::optional<std::string>> values(reply->elements);
    for (size_t i = 0; i < reply->elements; ++i) {
      values[i] = std::string(reply->element[i]->str, reply->element[i]->len);
    }
    benchmark::DoNotOptimize(values);
    freeReplyObject(reply);
  }
  state.SetItemsProcessed(state.iterations() * kMultiGetKeys);
  redisFree(context);
}
BENCHMARK(BM_RawHiredisMultiGet16);

// While Redis is down every call bypasses it: the cost a caller pays during an outage.
void BM_CacheGetWhileDown(benchmark::State& state) {
  RedisCacheOptions options;
  options.port = slihub::testing::PickFreePort();  // nothing listens: connection refused
  absl::StatusOr<std::unique_ptr<RedisCache>> cache = RedisCache::Create(options);
  if (!cache.ok() || (*cache)->available()) return state.SkipWithError("expected a down cache");
  for (auto _ : state) {
    absl::StatusOr<std::optional<std::string>> value = (*cache)->Get("k");
    benchmark::DoNotOptimize(value);
  }
}
BENCHMARK(BM_CacheGetWhileDown);

}  // namespace
}  // namespace slihub::cache

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  absl::StatusOr<std::unique_ptr<slihub::testing::RedisServer>> server =
      slihub::testing::RedisServer::Start();
  if (!server.ok()) {
    std::fprintf(stderr, "cannot start redis-server: %s\n", server.status().ToString().c_str());
    return 1;
  }
  slihub::cache::g_server = server->get();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
