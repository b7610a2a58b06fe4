#include "services/workforce/store/workforce_store.h"

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

#include "common/store/sqlite_database.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace slihub::workforce {
namespace {

using D = absl::CivilDay;

// The keys announced on one channel by committed transactions, in order of commit.
class HeardKeys final : public store::ChangeListener {
 public:
  void Changing(std::string_view) override {}
  void Settled(std::string_view key, bool committed) override {
    if (committed) heard_.emplace_back(key);
  }
  // What was heard since the last call.
  std::vector<std::string> Take() { return std::exchange(heard_, {}); }

 private:
  std::vector<std::string> heard_;
};

class WorkforceStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::SqliteDatabase::Open(dir_.path() + "/workforce.db");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate(WorkforceMigrations()).ok());
  }

  RuleSet Rules(D from, int64_t cap) {
    RuleSet r;
    r.region = "EE";
    r.effective_from = from;
    r.pay_caps = {{JobType::kSocialWorker, EngagementModel::kLimitedCompany, cap},
                  {JobType::kTeamManager, EngagementModel::kAgencyPaye, cap + 1000}};
    r.cooling_off_months = 3;
    r.cooling_off_exempt_reasons = {LeavingReason::kRedundant, LeavingReason::kMovedToPermanentRole};
    r.min_experience_months = 36;
    r.references_required = 2;
    r.max_notice_weeks = 4;
    r.disabled_rules = {Rule::kProjectTeam};
    r.source = "test memorandum";
    return r;
  }

  absl::StatusOr<StoredRuleSet> Publish(const RuleSet& r) {
    absl::StatusOr<StoredRuleSet> out;
    absl::Status s = db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
      out = WorkforceStore::PublishRuleSet(tx, r, meta_);
      return out.status();
    });
    if (!s.ok()) return s;
    return out;
  }

  EmploymentPeriod Period(std::string id) {
    EmploymentPeriod p;
    p.record_id = std::move(id);
    p.swe_number = "SW42";
    p.la_code = "873";
    p.region = "EE";
    p.employment_type = EmploymentType::kPermanent;
    p.job_type = JobType::kSocialWorker;
    p.start_date = D(2020, 1, 1);
    p.end_date = D(2023, 6, 30);
    p.leaving_reason = LeavingReason::kResigned;
    p.child_and_family = true;
    return p;
  }

  absl::StatusOr<RecordResult> Record(const EmploymentPeriod& p, StoredPeriod* stored) {
    absl::StatusOr<RecordResult> out;
    absl::Status s = db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
      out = WorkforceStore::RecordPeriod(tx, p, meta_, stored);
      return out.status();
    });
    if (!s.ok()) return s;
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  WriteMeta meta_{"ee-admin", "req-1", absl::FromUnixSeconds(1760000000)};
};

TEST_F(WorkforceStoreTest, RuleSetsRoundTripAndNumberVersionsInOrder) {
  HeardKeys heard;
  db_->AddChangeListener(kRuleSetsChannel, &heard);
  ASSERT_TRUE(Publish(Rules(D(2016, 1, 1), 2800)).ok());
  absl::StatusOr<StoredRuleSet> v2 = Publish(Rules(D(2025, 10, 1), 4000));
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ(v2->rule_set.version, 2);
  EXPECT_EQ(heard.Take(), (std::vector<std::string>{"EE", "EE"}));
  db_->RemoveChangeListener(&heard);

  std::vector<StoredRuleSet> listed;
  ASSERT_TRUE(db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
                   auto got = WorkforceStore::ListRuleSets(tx, "EE");
                   if (got.ok()) listed = *got;
                   return got.status();
                 }).ok());
  ASSERT_EQ(listed.size(), 2u);
  const RuleSet& r = listed[1].rule_set;
  EXPECT_EQ(r.version, 2);
  EXPECT_EQ(r.effective_from, D(2025, 10, 1));
  ASSERT_EQ(r.pay_caps.size(), 2u);
  EXPECT_EQ(r.FindCap(JobType::kTeamManager, EngagementModel::kAgencyPaye)->hourly_cap_pence, 5000);
  EXPECT_TRUE(r.IsCoolingOffExempt(LeavingReason::kMovedToPermanentRole));
  EXPECT_FALSE(r.IsCoolingOffExempt(LeavingReason::kLeftDuringProbation));
  EXPECT_TRUE(r.IsDisabled(Rule::kProjectTeam));
  EXPECT_EQ(r.source, "test memorandum");
  EXPECT_EQ(listed[0].audit.created_by, "ee-admin");
}

TEST_F(WorkforceStoreTest, PublishingNeverRewritesHistory) {
  ASSERT_TRUE(Publish(Rules(D(2025, 10, 1), 4000)).ok());
  EXPECT_EQ(Publish(Rules(D(2025, 10, 1), 4100)).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Publish(Rules(D(2024, 1, 1), 3000)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  RuleSet other = Rules(D(2024, 1, 1), 3000);
  other.region = "SE";
  EXPECT_TRUE(Publish(other).ok());
}

TEST_F(WorkforceStoreTest, RecordingAPeriodIsIdempotentByLaAndRecordId) {
  StoredPeriod stored;
  EXPECT_EQ(*Record(Period("hr-1"), &stored), RecordResult::kCreated);
  EXPECT_EQ(stored.version, 1);
  EXPECT_EQ(*Record(Period("hr-1"), &stored), RecordResult::kUnchanged);
  EXPECT_EQ(stored.version, 1);
  EmploymentPeriod corrected = Period("hr-1");
  corrected.end_date = D(2023, 7, 31);
  EXPECT_EQ(*Record(corrected, &stored), RecordResult::kUpdated);
  EXPECT_EQ(stored.version, 2);
  EmploymentPeriod ongoing = Period("hr-2");
  ongoing.start_date = D(2024, 1, 1);
  ongoing.end_date.reset();
  ongoing.leaving_reason = LeavingReason::kUnspecified;
  ongoing.asye = true;
  EXPECT_EQ(*Record(ongoing, &stored), RecordResult::kCreated);

  std::vector<EmploymentPeriod> periods;
  ASSERT_TRUE(db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
                   auto got = WorkforceStore::ListWorkerPeriods(tx, "SW42");
                   if (got.ok()) periods = *got;
                   return got.status();
                 }).ok());
  ASSERT_EQ(periods.size(), 2u);
  EXPECT_TRUE(periods[0].SameContent(corrected));
  EXPECT_TRUE(periods[1].SameContent(ongoing));
  EXPECT_FALSE(periods[1].end_date.has_value());
}

TEST_F(WorkforceStoreTest, RegisterChecksNewestFirstWithRecorderAndAudit) {
  RegisterCheck c;
  c.swe_number = "SW42";
  c.status = RegisterStatus::kRegistered;
  c.conditions = {"supervised practice", "no lone working"};
  c.checked_at = absl::FromUnixSeconds(1700000000);
  c.checked_by = "873-hr-1";
  c.recorder_la = "873";
  std::vector<StoredRegisterCheck> checks;
  WorkerHistory history;
  ASSERT_TRUE(db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
                   auto first = WorkforceStore::RecordRegisterCheck(tx, c, meta_);
                   if (!first.ok()) return first.status();
                   EXPECT_EQ(first->check.check_id, "rc-1");
                   c.checked_at = absl::FromUnixSeconds(1710000000);
                   c.status = RegisterStatus::kSuspended;
                   c.conditions.clear();
                   auto second = WorkforceStore::RecordRegisterCheck(tx, c, meta_);
                   if (!second.ok()) return second.status();
                   auto got = WorkforceStore::ListRegisterChecks(tx, "SW42");
                   if (!got.ok()) return got.status();
                   checks = *got;
                   auto read = WorkforceStore::ReadWorkerHistory(tx, "SW42");
                   if (!read.ok()) return read.status();
                   history = *read;
                   return absl::OkStatus();
                 }).ok());
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[0].check.check_id, "rc-2");
  EXPECT_EQ(checks[0].check.status, RegisterStatus::kSuspended);
  EXPECT_EQ(checks[1].check.conditions, (std::vector<std::string>{"supervised practice",
                                                                   "no lone working"}));
  EXPECT_EQ(checks[0].check.recorder_la, "873");
  EXPECT_EQ(checks[0].audit.created_by, meta_.principal);
  EXPECT_EQ(checks[0].audit.request_id, meta_.request_id);
  ASSERT_EQ(history.register_checks.size(), 2u);
  EXPECT_EQ(history.register_checks[0].recorder_la, "873");
}

TEST_F(WorkforceStoreTest, EngagementsListInStartDateOrderWithFiltersAndKeys) {
  ASSERT_TRUE(db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
                   for (int i = 0; i < 5; ++i) {
                     EngagementRow row;
                     row.la_code = i < 4 ? "873" : "926";
                     row.record_id = absl::StrCat("e", i);
                     row.swe_number = i % 2 == 0 ? "SW42" : "SW43";
                     row.start_date = D(2026, 1, 10 - i);
                     row.verdict = 1;
                     row.terms = "t";
                     row.check = "c";
                     auto inserted = WorkforceStore::InsertEngagement(tx, row, meta_);
                     if (!inserted.ok()) return inserted.status();
                   }
                   EngagementRow dup;
                   dup.la_code = "873";
                   dup.record_id = "e0";
                   EXPECT_EQ(WorkforceStore::InsertEngagement(tx, dup, meta_).status().code(),
                             absl::StatusCode::kAlreadyExists);
                   return absl::OkStatus();
                 }).ok());
  EngagementFilter filter;
  filter.la_codes = {"873"};
  filter.today = D(2026, 1, 8);
  std::vector<std::string> seen;
  std::string after;
  int64_t total = 0;
  for (int page = 0; page < 3; ++page) {
    std::vector<EngagementRow> rows;
    ASSERT_TRUE(db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
                     auto got = WorkforceStore::ListEngagements(tx, filter, after, 3, &total);
                     if (got.ok()) rows = *got;
                     return got.status();
                   }).ok());
    for (const auto& r : rows) seen.push_back(r.record_id);
    if (rows.size() < 3) break;
    after = WorkforceStore::EngagementKey(rows.back());
  }
  EXPECT_EQ(total, 4);
  EXPECT_EQ(seen, (std::vector<std::string>{"e3", "e2", "e1", "e0"}));

  filter.state = 1;  // planned: starts after 8 Jan
  filter.swe_number = "SW42";
  std::vector<EngagementRow> planned;
  ASSERT_TRUE(db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
                   auto got = WorkforceStore::ListEngagements(tx, filter, "", 10, &total);
                   if (got.ok()) planned = *got;
                   return got.status();
                 }).ok());
  ASSERT_EQ(planned.size(), 1u);
  EXPECT_EQ(planned[0].record_id, "e0");
  EXPECT_EQ(planned[0].terms, "t");
}

TEST_F(WorkforceStoreTest, ExceptionsUpdateOnlyFromTheVersionLastRead) {
  ExceptionRow row;
  row.la_code = "873";
  row.swe_number = "SW42";
  row.state = 1;
  ASSERT_TRUE(db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
                   auto inserted = WorkforceStore::InsertException(
                       tx, row, meta_, [](const std::string& id, int64_t version) {
                         return absl::StrCat(id, "@", version);
                       });
                   if (!inserted.ok()) return inserted.status();
                   row = *inserted;
                   return absl::OkStatus();
                 }).ok());
  EXPECT_EQ(row.exception_id, "ex-1");
  EXPECT_EQ(row.body, "ex-1@1");
  row.state = 2;
  row.body = "approved";
  absl::StatusOr<int64_t> version;
  ASSERT_TRUE(db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
                   version = WorkforceStore::UpdateException(tx, row, meta_);
                   return version.status();
                 }).ok());
  EXPECT_EQ(*version, 2);
  // A second writer still holding version 1 loses.
  absl::Status stale = db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
    return WorkforceStore::UpdateException(tx, row, meta_).status();
  });
  EXPECT_EQ(stale.code(), absl::StatusCode::kAborted);
  std::optional<ExceptionRow> found;
  ASSERT_TRUE(db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
                   auto got = WorkforceStore::FindException(tx, "ex-1");
                   if (got.ok()) found = *got;
                   return got.status();
                 }).ok());
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->state, 2);
  EXPECT_EQ(found->body, "approved");
  EXPECT_EQ(found->version, 2);
  ASSERT_TRUE(db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
                   auto got = WorkforceStore::FindException(tx, "ex-99");
                   EXPECT_TRUE(got.ok() && !got->has_value());
                   auto bad = WorkforceStore::FindException(tx, "nonsense");
                   EXPECT_TRUE(bad.ok() && !bad->has_value());
                   return absl::OkStatus();
                 }).ok());
}

TEST_F(WorkforceStoreTest, ExceptionListsApplyExpiryToTheStateFilter) {
  ASSERT_TRUE(db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
                   // ex-1 pending until 31 Jan, ex-2 approved until 31 Mar, ex-3 rejected.
                   const std::vector<std::pair<int, D>> rows = {
                       {1, D(2026, 1, 31)}, {2, D(2026, 3, 31)}, {3, D(2026, 1, 1)}};
                   for (const auto& [state, expires] : rows) {
                     ExceptionRow row;
                     row.la_code = "873";
                     row.swe_number = "SW42";
                     row.state = state;
                     row.expires_on = expires;
                     auto inserted = WorkforceStore::InsertException(
                         tx, row, meta_, [](const std::string& id, int64_t) { return id; });
                     if (!inserted.ok()) return inserted.status();
                   }
                   return absl::OkStatus();
                 }).ok());
  auto list = [&](int state, D today, const std::string& after = "", int limit = 10) {
    ExceptionFilter filter;
    filter.la_codes = {"873"};
    filter.state = state;
    filter.today = today;
    std::vector<std::string> ids;
    int64_t total = 0;
    EXPECT_TRUE(db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
                     auto got = WorkforceStore::ListExceptions(tx, filter, after, limit, &total);
                     if (got.ok()) {
                       for (const ExceptionRow& r : *got) ids.push_back(r.exception_id);
                     }
                     return got.status();
                   }).ok());
    return ids;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(list(0, D(2026, 1, 31)), (V{"ex-3", "ex-2", "ex-1"}));  // newest first
  EXPECT_EQ(list(1, D(2026, 1, 31)), (V{"ex-1"}));  // its last day: still pending
  EXPECT_EQ(list(1, D(2026, 2, 1)), V{});
  EXPECT_EQ(list(4, D(2026, 2, 1)), (V{"ex-1"}));
  EXPECT_EQ(list(4, D(2026, 4, 1)), (V{"ex-2", "ex-1"}));
  EXPECT_EQ(list(3, D(2026, 4, 1)), (V{"ex-3"}));  // rejected never expires
  EXPECT_EQ(list(0, D(2026, 1, 1), "ex-3", 1), (V{"ex-2"}));
}

TEST_F(WorkforceStoreTest, EngagementUpdatesQuoteTheVersionAndFilterByPeriod) {
  EngagementRow row;
  row.la_code = "873";
  row.record_id = "e1";
  row.swe_number = "SW42";
  row.start_date = D(2026, 2, 1);
  row.verdict = 3;
  row.cap_exception_id = "ex-7";
  ASSERT_TRUE(db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
                   auto inserted = WorkforceStore::InsertEngagement(tx, row, meta_);
                   if (inserted.ok()) row = *inserted;
                   return inserted.status();
                 }).ok());
  EngagementRow ended = row;
  ended.end_date = D(2026, 3, 15);
  ended.reference_provided_on = D(2026, 3, 14);
  ASSERT_TRUE(db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
                   auto updated = WorkforceStore::UpdateEngagement(tx, ended, meta_);
                   if (updated.ok()) {
                     EXPECT_EQ(updated->version, 2);
                   }
                   return updated.status();
                 }).ok());
  EXPECT_EQ(db_->Run(store::TxMode::kWrite,
                     [&](store::Transaction& tx) {
                       return WorkforceStore::UpdateEngagement(tx, ended, meta_).status();
                     })
                .code(),
            absl::StatusCode::kAborted);
  auto count = [&](EngagementFilter filter) {
    int64_t total = 0;
    std::vector<EngagementRow> rows;
    EXPECT_TRUE(db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
                     auto got = WorkforceStore::ListEngagements(tx, filter, "", 10, &total);
                     if (got.ok()) rows = *got;
                     return got.status();
                   }).ok());
    if (!rows.empty()) {
      EXPECT_EQ(rows[0].reference_provided_on, D(2026, 3, 14));
      EXPECT_EQ(rows[0].cap_exception_id, "ex-7");
    }
    return total;
  };
  EngagementFilter q1;
  q1.active_from = D(2026, 1, 1);
  q1.active_to = D(2026, 3, 31);
  EXPECT_EQ(count(q1), 1);
  EngagementFilter q2;
  q2.active_from = D(2026, 4, 1);
  q2.active_to = D(2026, 6, 30);
  EXPECT_EQ(count(q2), 0);  // ended on 15 Mar
  EngagementFilter breaches;
  breaches.cap_breaches_only = true;
  breaches.start_from = D(2026, 2, 1);
  breaches.start_to = D(2026, 2, 1);
  EXPECT_EQ(count(breaches), 1);
  breaches.start_from = D(2026, 2, 2);
  EXPECT_EQ(count(breaches), 0);
}

TEST_F(WorkforceStoreTest, LaPoliciesAreVersionedAndNeverRewritten) {
  LaPolicy policy;
  policy.la_code = "873";
  policy.effective_from = D(2025, 4, 1);
  policy.mappings = {{"Social Worker L2", JobType::kSocialWorker},
                     {"ATM", JobType::kAdvancedPractitioner}};
  policy.notice = {{JobType::kSocialWorker, 4}, {JobType::kTeamManager, 12}};
  auto publish = [&](const LaPolicy& p) {
    return db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
      return WorkforceStore::PublishLaPolicy(tx, p, meta_).status();
    });
  };
  HeardKeys heard;
  db_->AddChangeListener(kLaPoliciesChannel, &heard);
  ASSERT_TRUE(publish(policy).ok());
  EXPECT_EQ(heard.Take(), std::vector<std::string>{"873"});
  EXPECT_EQ(publish(policy).code(), absl::StatusCode::kAlreadyExists);
  db_->RemoveChangeListener(&heard);
  LaPolicy later = policy;
  later.effective_from = D(2026, 4, 1);
  later.notice = {{JobType::kSocialWorker, 2}};
  ASSERT_TRUE(publish(later).ok());
  LaPolicy earlier = policy;
  earlier.effective_from = D(2025, 1, 1);
  EXPECT_EQ(publish(earlier).code(), absl::StatusCode::kFailedPrecondition);
  std::vector<StoredLaPolicy> versions;
  ASSERT_TRUE(db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
                   auto got = WorkforceStore::ListLaPolicies(tx, "873");
                   if (got.ok()) versions = *got;
                   return got.status();
                 }).ok());
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].policy.version, 1);
  EXPECT_EQ(versions[0].policy.mappings.size(), 2u);
  EXPECT_EQ(versions[0].policy.mappings[1].local_title, "ATM");
  EXPECT_EQ(versions[0].policy.NoticeFor(JobType::kTeamManager), 12);
  EXPECT_EQ(versions[1].policy.version, 2);
  EXPECT_EQ(versions[1].policy.NoticeFor(JobType::kSocialWorker), 2);
  EXPECT_EQ(versions[1].policy.mappings.size(), 2u);
}

TEST_F(WorkforceStoreTest, PeriodsAreDeletedByVersionAndWorkersListedInOrder) {
  ASSERT_TRUE(db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
                   for (const auto& [id, swe, la] :
                        std::vector<std::tuple<std::string, std::string, std::string>>{
                            {"a", "SW42", "873"}, {"b", "SW42", "926"}, {"c", "SW7", "873"},
                            {"d", "SW99", "926"}}) {
                     EmploymentPeriod p = Period(id);
                     p.swe_number = swe;
                     p.la_code = la;
                     StoredPeriod stored;
                     auto r = WorkforceStore::RecordPeriod(tx, p, meta_, &stored);
                     if (!r.ok()) return r.status();
                   }
                   return absl::OkStatus();
                 }).ok());
  auto workers = [&](std::vector<std::string> las, std::string after, int limit) {
    std::vector<std::string> out;
    int64_t total = 0;
    EXPECT_TRUE(db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
                     auto got = WorkforceStore::ListWorkers(tx, las, after, limit, &total);
                     if (got.ok()) {
                       for (const WorkerSummary& w : *got) {
                         out.push_back(absl::StrCat(w.swe_number, "/", w.period_count));
                       }
                     }
                     return got.status();
                   }).ok());
    out.push_back(absl::StrCat("total ", total));
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(workers({"873"}, "", 10), (V{"SW42/2", "SW7/1", "total 2"}));
  EXPECT_EQ(workers({}, "SW42", 1), (V{"SW7/1", "total 3"}));
  auto remove = [&](const std::string& la, const std::string& id, int64_t version) {
    return db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
      return WorkforceStore::DeletePeriod(tx, la, id, version);
    });
  };
  EXPECT_EQ(remove("873", "a", 2).code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(remove("873", "a", 1).ok());
  EXPECT_EQ(remove("873", "a", 0).code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(remove("873", "c", 0).ok());
  EXPECT_EQ(workers({"873"}, "", 10), (V{"total 0"}));
}

// The history row CheckEngagement reads, as "record_id@la start..end" and "rc-n:status".
std::vector<std::string> Describe(const WorkerHistory& h) {
  std::vector<std::string> out;
  for (const EmploymentPeriod& p : h.periods) {
    const std::string end =
        p.end_date ? absl::StrCat("..", absl::FormatCivilTime(*p.end_date)) : std::string("..");
    out.push_back(
        absl::StrCat(p.record_id, "@", p.la_code, " ", absl::FormatCivilTime(p.start_date), end));
  }
  for (const RegisterCheck& c : h.register_checks) {
    out.push_back(absl::StrCat(c.check_id, ":", static_cast<int>(c.status)));
  }
  return out;
}

TEST_F(WorkforceStoreTest, TheHistoryRowFollowsEveryWriteToPeriodsAndChecks) {
  auto history = [&](const std::string& swe) {
    WorkerHistory out;
    EXPECT_TRUE(db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
                     absl::StatusOr<WorkerHistory> read =
                         WorkforceStore::ReadWorkerHistory(tx, swe);
                     if (read.ok()) out = *read;
                     return read.status();
                   }).ok());
    return Describe(out);
  };
  using V = std::vector<std::string>;
  // Every write announces each worker whose history it rewrites, for in-process caches.
  HeardKeys heard;
  db_->AddChangeListener(kWorkerHistoryChannel, &heard);
  EmploymentPeriod late = Period("late");
  late.start_date = D(2024, 1, 1);
  late.end_date.reset();
  EmploymentPeriod early = Period("early");
  early.la_code = "926";
  StoredPeriod stored;
  ASSERT_TRUE(Record(late, &stored).ok());
  ASSERT_TRUE(Record(early, &stored).ok());
  EXPECT_EQ(heard.Take(), (V{"SW42", "SW42"}));
  EXPECT_EQ(history("SW42"), (V{"early@926 2020-01-01..2023-06-30", "late@873 2024-01-01.."}));

  // A bulk write rewrites each worker once, with every period of the batch in it.
  EmploymentPeriod moved = late;
  moved.swe_number = "SW7";  // the LA corrected the worker of its record "late"
  EmploymentPeriod other = Period("other");
  other.swe_number = "SW7";
  other.start_date = D(2019, 5, 1);
  ASSERT_TRUE(db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
                   std::vector<const EmploymentPeriod*> batch = {&moved, &other};
                   return WorkforceStore::RecordPeriods(tx, batch, meta_).status();
                 }).ok());
  EXPECT_EQ(history("SW42"), (V{"early@926 2020-01-01..2023-06-30"}));
  EXPECT_EQ(history("SW7"), (V{"other@873 2019-05-01..2023-06-30", "late@873 2024-01-01.."}));
  std::vector<std::string> moved_between = heard.Take();
  std::sort(moved_between.begin(), moved_between.end());
  EXPECT_EQ(moved_between, (V{"SW42", "SW7"}));

  for (auto [status, at] : std::vector<std::pair<RegisterStatus, int64_t>>{
           {RegisterStatus::kRegistered, 100}, {RegisterStatus::kSuspended, 200}}) {
    RegisterCheck check;
    check.swe_number = "SW42";
    check.status = status;
    check.checked_at = absl::FromUnixSeconds(at);
    check.checked_by = "hr";
    ASSERT_TRUE(db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
                     return WorkforceStore::RecordRegisterCheck(tx, check, meta_).status();
                   }).ok());
  }
  EXPECT_EQ(history("SW42"), (V{"early@926 2020-01-01..2023-06-30", "rc-2:2", "rc-1:1"}));
  EXPECT_EQ(heard.Take(), (V{"SW42", "SW42"}));

  ASSERT_TRUE(db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
                   return WorkforceStore::DeletePeriod(tx, "926", "early", 0);
                 }).ok());
  EXPECT_EQ(history("SW42"), (V{"rc-2:2", "rc-1:1"}));
  ASSERT_TRUE(db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
                   absl::Status late = WorkforceStore::DeletePeriod(tx, "873", "late", 0);
                   if (!late.ok()) return late;
                   return WorkforceStore::DeletePeriod(tx, "873", "other", 0);
                 }).ok());
  EXPECT_EQ(history("SW7"), V{});
  EXPECT_EQ(heard.Take(), (V{"SW42", "SW7", "SW7"}));
  db_->RemoveChangeListener(&heard);
  ASSERT_TRUE(db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
                   absl::StatusOr<store::ResultSet> rows = tx.Query(
                       "SELECT swe_number FROM worker_histories ORDER BY swe_number", {});
                   if (!rows.ok()) return rows.status();
                   EXPECT_EQ(rows->size(), 1u);  // SW7 has nothing left, so no row
                   return absl::OkStatus();
                 }).ok());
}

TEST(WorkforceStoreMigrationTest, WorkersRecordedBeforeTheHistoryRowAreReadFromTheirRows) {
  testing::TempDir dir;
  auto db = store::SqliteDatabase::Open(dir.path() + "/workforce.db");
  ASSERT_TRUE(db.ok()) << db.status();
  std::vector<store::Migration> all = WorkforceMigrations();
  std::vector<store::Migration> before(all.begin(), all.begin() + 5);
  ASSERT_EQ(before.back().version, 5);
  ASSERT_TRUE((*db)->Migrate(before).ok());
  ASSERT_TRUE((*db)->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
                  return tx.ExecuteScript(
                      "INSERT INTO employment_periods VALUES ('873', 'old-1', 'SW5', 'EE', 1, 1, "
                      "'', '2018-04-01', '2021-03-31', 1, 1, 0, 1, 0, 'hr', 0, 'hr', 'r1');"
                      "INSERT INTO register_checks (swe_number, status, conditions, "
                      "checked_at_us, checked_by, source, create_time_us, created_by, request_id) "
                      "VALUES ('SW6', 1, '', 5, 'hr', 1, 5, 'hr', 'r2')");
                }).ok());
  ASSERT_TRUE((*db)->Migrate(all).ok());

  auto read = [&](const std::string& swe) {
    WorkerHistory out;
    EXPECT_TRUE((*db)->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
                    absl::StatusOr<WorkerHistory> read =
                        WorkforceStore::ReadWorkerHistory(tx, swe);
                    if (!read.ok()) return read.status();
                    out = *std::move(read);
                    return absl::OkStatus();
                  }).ok());
    return Describe(out);
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(read("SW5"), (V{"old-1@873 2018-04-01..2021-03-31"}));
  EXPECT_EQ(read("SW6"), (V{"rc-1:1"}));
  // A check recorded before the recorder was kept decides no LA's check.
  ASSERT_TRUE((*db)->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
                  absl::StatusOr<WorkerHistory> h = WorkforceStore::ReadWorkerHistory(tx, "SW6");
                  if (!h.ok()) return h.status();
                  EXPECT_EQ(h->register_checks.at(0).recorder_la, kUnknownRecorder);
                  return absl::OkStatus();
                }).ok());
  EXPECT_EQ(read("SW404"), V{});

  // The next write to the worker stores the whole history, old rows included.
  EmploymentPeriod next;
  next.record_id = "new-1";
  next.swe_number = "SW5";
  next.la_code = "926";
  next.region = "EE";
  next.employment_type = EmploymentType::kAgency;
  next.job_type = JobType::kSocialWorker;
  next.start_date = D(2022, 1, 1);
  StoredPeriod stored;
  ASSERT_TRUE((*db)->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
                  return WorkforceStore::RecordPeriod(tx, next, {"hr", "r3", absl::Now()}, &stored)
                      .status();
                }).ok());
  ASSERT_TRUE((*db)->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
                  absl::StatusOr<store::ResultSet> rows = tx.Query(
                      "SELECT length(history) FROM worker_histories WHERE swe_number = 'SW5'", {});
                  if (!rows.ok()) return rows.status();
                  EXPECT_GT((*rows)[0].GetInt64(size_t{0}), 0);
                  return absl::OkStatus();
                }).ok());
  EXPECT_EQ(read("SW5"),
            (V{"old-1@873 2018-04-01..2021-03-31", "new-1@926 2022-01-01.."}));
}

}  // namespace
}  // namespace slihub::workforce
