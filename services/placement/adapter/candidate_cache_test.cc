// The candidate cache follows every kind of change (beds held, withdrawn, setting moved to another
// LA and region, reopened), rebuilds only the groups a change touches, and matches as a plain
// match over the store's candidates does.
#include "services/placement/adapter/candidate_cache.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/placement/store/migrations.h"
#include "services/placement/store/transactions.h"
#include "services/placement/synthetic_register.h"
#include "tests/support/temp_dir.h"

namespace slihub::placement {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1795000000);

class CandidateCacheTest : public ::testing::Test {
 protected:
  // Calls the repository's `method` in one write transaction of db_, as the service does.
  template <typename Method, typename... Args>
  auto Do(Method method, Args&&... args) {
    return InWriteTransaction(*db_, [&](store::Transaction& tx) {
      return ((*store_).*method)(tx, std::forward<Args>(args)...);
    });
  }

  void SetUp() override {
    auto db = OpenPlacementDatabase(dir_.Join("placement.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    store_ = std::make_unique<PlacementStore>("EE");
    ASSERT_TRUE(SeedSyntheticRegister(*db_, 1500, kNow).ok());
  }

  void Sql(const std::string& sql) {
    ASSERT_TRUE(db_->Run(store::TxMode::kWrite,
                         [&](store::Transaction& tx) { return tx.Execute(sql).status(); })
                    .ok())
        << sql;
  }

  // The snapshot holds exactly the store's open candidates, each in its own area's group, and
  // matches as Match over them for requests in every scope.
  void ExpectAgreesWithStore(const CandidateSnapshot& snapshot) {
    auto stored = Do(&PlacementStore::LoadCandidates, Scope::kNational, "", "");
    ASSERT_TRUE(stored.ok());
    ASSERT_EQ(snapshot.index.size(), stored->size());
    std::map<std::string, const Candidate*> by_id;
    for (const auto& group : snapshot.index.groups()) {
      for (const Candidate* c : group->candidates) {
        EXPECT_EQ(c->setting.region, group->region);
        EXPECT_EQ(c->setting.host_la, group->host_la);
        by_id[c->vacancy.vacancy_id] = c;
      }
    }
    for (const Candidate& c : *stored) {
      auto it = by_id.find(c.vacancy.vacancy_id);
      ASSERT_NE(it, by_id.end()) << c.vacancy.vacancy_id;
      EXPECT_EQ(it->second->vacancy.beds_held, c.vacancy.beds_held);
      EXPECT_EQ(it->second->setting.host_la, c.setting.host_la);
    }
    for (Scope scope : {Scope::kOwnLa, Scope::kOwnRegion, Scope::kNational}) {
      MatchRequest r;
      r.la_code = "926";
      r.region = "EE";
      r.scope = scope;
      r.profile.age_years = 14;
      r.profile.sex = Sex::kFemale;
      r.profile.needs = {1};
      r.profile.home_coordinates = GeoPoint{52.63, 1.30};
      r.constraints.max_distance_miles = 120;
      const MatchOutcome slow = Match(r, *stored, kNow, MatchConfig());
      const MatchOutcome fast = MatchByKeys(r, snapshot.index, kNow, MatchConfig(), 20, 20);
      ASSERT_EQ(fast.candidates, slow.candidates);
      ASSERT_EQ(fast.excluded_by, slow.excluded_by);
      ASSERT_EQ(fast.matched, slow.matches.size());
      EXPECT_GT(fast.matched, 0u);
      for (size_t i = 0; i < fast.matches.size(); ++i) {
        EXPECT_EQ(fast.matches[i].vacancy_id, slow.matches[i].vacancy_id);
        EXPECT_EQ(snapshot.index.candidate(fast.matches[i].candidate_index).vacancy.vacancy_id,
                  fast.matches[i].vacancy_id);
      }
    }
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<PlacementStore> store_;
};

TEST_F(CandidateCacheTest, FollowsChangesAndRebuildsOnlyTheirGroups) {
  CandidateCache cache(db_.get(), store_.get());
  auto first = cache.Current();
  ASSERT_TRUE(first.ok()) << first.status();
  ExpectAgreesWithStore(**first);
  auto again = cache.Current();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get(), first->get());  // nothing changed: the same snapshot

  // Setting 1's vacancy: all beds held. Vacancy 2: withdrawn. Setting 3 moves to Westminster (LDN),
  // touching its vacancy as a setting update does.
  std::set<std::pair<std::string, std::string>> touched;  // areas before and after
  for (const char* id : {"EE-v-1", "EE-v-2", "EE-v-3"}) {
    auto c = Do(&PlacementStore::LoadCandidate, id);
    ASSERT_TRUE(c.ok());
    touched.insert({c->setting.region, c->setting.host_la});
  }
  Sql("UPDATE vacancies SET beds_held = beds WHERE vacancy_id = 'EE-v-1'");
  Sql("UPDATE vacancies SET state = 3 WHERE vacancy_id = 'EE-v-2'");
  Sql("UPDATE settings SET host_la = '213', region = 'LDN' WHERE setting_id = 'EE-s-3'");
  Sql("UPDATE vacancies SET sibling_capacity = sibling_capacity WHERE vacancy_id = 'EE-v-3'");
  auto second = cache.Current();
  ASSERT_TRUE(second.ok());
  EXPECT_GT((*second)->sequence, (*first)->sequence);
  ExpectAgreesWithStore(**second);

  // Groups no change touched are shared with the first snapshot; touched ones are new.
  for (const char* id : {"EE-v-1", "EE-v-2", "EE-v-3"}) {
    auto c = Do(&PlacementStore::LoadCandidate, id);
    ASSERT_TRUE(c.ok());
    touched.insert({c->setting.region, c->setting.host_la});
  }
  std::map<std::pair<std::string, std::string>, const KeyGroup*> before;
  for (const auto& g : (*first)->index.groups()) before[{g->region, g->host_la}] = g.get();
  int shared = 0;
  for (const auto& g : (*second)->index.groups()) {
    const std::pair<std::string, std::string> area{g->region, g->host_la};
    auto it = before.find(area);
    if (touched.count(area) == 0 && it != before.end()) {
      EXPECT_EQ(it->second, g.get()) << area.first << "/" << area.second;
      ++shared;
    } else if (it != before.end()) {
      EXPECT_NE(it->second, g.get()) << area.first << "/" << area.second;
    }
  }
  EXPECT_GT(shared, 5);

  // Reopening the withdrawn vacancy brings it back; withdrawing a whole area empties its group.
  Sql("UPDATE vacancies SET state = 1 WHERE vacancy_id = 'EE-v-2'");
  Sql("UPDATE vacancies SET state = 3 WHERE setting_id IN "
      "(SELECT setting_id FROM settings WHERE host_la = '908')");
  auto third = cache.Current();
  ASSERT_TRUE(third.ok());
  ExpectAgreesWithStore(**third);
  for (const auto& g : (*third)->index.groups()) EXPECT_NE(g->host_la, "908");
}

}  // namespace
}  // namespace slihub::placement
