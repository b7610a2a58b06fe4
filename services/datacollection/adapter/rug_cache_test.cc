#include "services/datacollection/adapter/rug_cache.h"
#include "services/datacollection/adapter/indicator_cache.h"
#include "services/datacollection/adapter/period_totals_cache.h"

#include "gtest/gtest.h"

namespace slihub::datacollection {
namespace {

std::shared_ptr<const CachedRug> Rug(const std::string& period) {
  auto cached = std::make_shared<CachedRug>();
  cached->arena = std::make_shared<google::protobuf::Arena>();
  auto* rug = google::protobuf::Arena::CreateMessage<v1::Benchmark>(cached->arena.get());
  rug->set_period_id(period);
  cached->rug = rug;
  return cached;
}

TEST(RugCacheTest, KeysDifferByGenerationAndEveryQueryField) {
  RugQuery q;
  q.region = "EE";
  q.period_id = "2025-Q2";
  const std::string base = RugCacheKey(q, 7);
  EXPECT_EQ(base, RugCacheKey(q, 7));
  EXPECT_NE(base, RugCacheKey(q, 8));
  RugQuery other = q;
  other.indicator_ids = {"CLA-RATE"};
  EXPECT_NE(base, RugCacheKey(other, 7));
  other = q;
  other.only_la = "873";
  EXPECT_NE(base, RugCacheKey(other, 7));
  other = q;
  other.include_disproportionality = true;
  EXPECT_NE(base, RugCacheKey(other, 7));
  other = q;
  other.as_of = absl::FromUnixSeconds(1);
  EXPECT_NE(base, RugCacheKey(other, 7));
  other = q;
  other.previous_period_id = "2024-Q4";
  EXPECT_NE(base, RugCacheKey(other, 7));
}

TEST(RugCacheTest, EvictsTheLeastRecentlyUsed) {
  RugCache cache(2);
  EXPECT_EQ(cache.Find("a"), nullptr);
  cache.Put("a", Rug("A"));
  cache.Put("b", Rug("B"));
  ASSERT_NE(cache.Find("a"), nullptr);  // a is now the most recent
  cache.Put("c", Rug("C"));
  EXPECT_EQ(cache.Find("b"), nullptr);
  EXPECT_EQ(cache.Find("a")->rug->period_id(), "A");
  EXPECT_EQ(cache.Find("c")->rug->period_id(), "C");
  cache.Put("c", Rug("C2"));
  EXPECT_EQ(cache.Find("c")->rug->period_id(), "C2");
}

}  // namespace
}  // namespace slihub::datacollection

namespace slihub::datacollection {
namespace {

TEST(IndicatorDefCacheTest, DefinitionsAreKeptPerVersion) {
  IndicatorDefCache cache;
  IndicatorDef v1;
  v1.indicator_id = "cla_rate";
  v1.version = 1;
  v1.name = "first";
  cache.Put(v1);
  IndicatorDef v2 = v1;
  v2.version = 2;
  v2.name = "second";
  EXPECT_EQ(cache.Find("cla_rate", 2), nullptr);
  cache.Put(v2);
  ASSERT_NE(cache.Find("cla_rate", 1), nullptr);
  EXPECT_EQ(cache.Find("cla_rate", 1)->name, "first");
  EXPECT_EQ(cache.Find("cla_rate", 2)->name, "second");
  EXPECT_EQ(cache.Find("other", 1), nullptr);
}

TEST(PeriodTotalsCacheTest, EntriesAreKeyedByRevisionAndTheLeastRecentlyUsedGoes) {
  PeriodTotalsCache cache(2);
  auto totals = [](const char* la) {
    LatestTotal t;
    t.la_code = la;
    return std::make_shared<const std::vector<LatestTotal>>(std::vector<LatestTotal>{t});
  };
  cache.Put("EE-core", "2025-Q1", 1, totals("873"));
  cache.Put("EE-core", "2025-Q2", 4, totals("926"));
  EXPECT_EQ(cache.Find("EE-core", "2025-Q1", 2), nullptr);  // a later revision is another entry
  ASSERT_NE(cache.Find("EE-core", "2025-Q1", 1), nullptr);  // now the most recently used
  cache.Put("EE-core", "2025-Q3", 1, totals("935"));        // evicts 2025-Q2
  EXPECT_EQ(cache.Find("EE-core", "2025-Q2", 4), nullptr);
  EXPECT_EQ(cache.Find("EE-core", "2025-Q1", 1)->front().la_code, "873");
  EXPECT_EQ(cache.Find("EE-core", "2025-Q3", 1)->front().la_code, "935");
}

}  // namespace
}  // namespace slihub::datacollection
