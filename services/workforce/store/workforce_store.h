// The workforce service's tables and the only SQL it runs: rule set versions, employment
// periods, register checks, engagements and exceptions. Every function runs inside a
// transaction the caller opened with store::Database::Run.
#ifndef SLIHUB_SERVICES_WORKFORCE_STORE_WORKFORCE_STORE_H_
#define SLIHUB_SERVICES_WORKFORCE_STORE_WORKFORCE_STORE_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/store/database.h"
#include "common/store/migration.h"
#include "services/workforce/domain/history.h"
#include "services/workforce/domain/la_policy.h"
#include "services/workforce/domain/rule_set.h"
#include "services/workforce/store/migrations.h"
#include "services/workforce/store/worker_history_codec.h"

namespace slihub::workforce {


// Who writes, when, under which request id. Plain data.
struct WriteMeta {
  std::string principal;
  std::string request_id;
  absl::Time now;
};

// Who wrote a stored record and when. Plain data.
struct Audit {
  absl::Time create_time;
  std::string created_by;
  absl::Time update_time;
  std::string updated_by;
  std::string request_id;
};

// A published rule set version with its audit.
struct StoredRuleSet {
  RuleSet rule_set;
  Audit audit;
};

// A published LA policy version with its audit.
struct StoredLaPolicy {
  LaPolicy policy;
  Audit audit;
};

// A worker as the hub knows them: periods on record and the latest register check.
struct WorkerSummary {
  std::string swe_number;
  int period_count = 0;
};

// A recorded employment period with its version and audit.
struct StoredPeriod {
  EmploymentPeriod period;
  int64_t version = 0;
  Audit audit;
};

// A recorded register check with its audit.
struct StoredRegisterCheck {
  RegisterCheck check;
  Audit audit;
};

// One engagement in the register. The terms and the check are kept as the adapter's encoded
// messages (opaque bytes here); the columns beside them are what lists filter on.
struct EngagementRow {
  std::string engagement_id;  // "eng-<n>", assigned on insert
  std::string la_code;
  std::string record_id;
  std::string swe_number;
  absl::CivilDay start_date;
  std::optional<absl::CivilDay> expected_end_date;
  std::optional<absl::CivilDay> end_date;  // set by ending the engagement
  // The day the LA gave a reference on the national template, set by ending the engagement.
  std::optional<absl::CivilDay> reference_provided_on;
  // The approved exception covering a failed pay cap, when any (the cap breach to report).
  std::string cap_exception_id;
  int verdict = 0;
  std::string terms;  // encoded EngagementTerms
  std::string check;  // encoded EngagementCheck
  int64_t version = 0;
  Audit audit;
};

// Which engagements a list returns; unset members match everything.
struct EngagementFilter {
  std::vector<std::string> la_codes;  // empty: any LA
  std::string swe_number;
  std::string record_id;
  std::optional<absl::CivilDay> active_on;  // started on or before, not ended before
  // Engaged on at least one day of [active_from, active_to]; both set or neither.
  std::optional<absl::CivilDay> active_from;
  std::optional<absl::CivilDay> active_to;
  std::optional<absl::CivilDay> start_from;  // started on or after
  std::optional<absl::CivilDay> start_to;    // started on or before
  bool cap_breaches_only = false;            // only rows with a cap_exception_id
  // Lifecycle relative to `today`: 1 planned, 2 active, 3 ended; 0 any.
  int state = 0;
  absl::CivilDay today;
};

// One rule exception. Its full content is the adapter's encoded message; the columns beside it
// are what lookups need.
struct ExceptionRow {
  std::string exception_id;  // "ex-<n>", assigned on insert
  std::string la_code;
  std::string swe_number;
  int state = 0;
  absl::CivilDay expires_on;
  std::string body;  // encoded RuleException
  int64_t version = 0;
};

// Which exceptions a list returns; unset members match everything.
struct ExceptionFilter {
  std::vector<std::string> la_codes;  // empty: any LA
  std::string swe_number;
  // State as of `today` (pending or approved past expires_on counts as expired, 4); 0 any.
  int state = 0;
  absl::CivilDay today;
};

// What recording a period did.
enum class RecordResult { kCreated, kUpdated, kUnchanged };

// The change channels the store's writes announce (store::Transaction::Notify), keyed by the
// SWE number, the region and the LA code: in-process caches of them listen there.
inline constexpr char kWorkerHistoryChannel[] = "workforce.worker_history";
inline constexpr char kRuleSetsChannel[] = "workforce.rule_sets";
inline constexpr char kLaPoliciesChannel[] = "workforce.la_policies";
// Every committed engagement or exception write, keyed by its LA code: what a compliance summary
// reads changed (the federation's compliance feed follows it; see adapter/compliance_feed.h).
inline constexpr char kComplianceChannel[] = "workforce.compliance";

// Stateless SQL over one transaction at a time; thread-safe (holds nothing).
class WorkforceStore {
 public:
  // A region's rule set versions, oldest effective_from first.
  static absl::StatusOr<std::vector<StoredRuleSet>> ListRuleSets(store::Transaction& tx,
                                                                 const std::string& region);
  // Stores `rule_set` as the region's next version (1, 2, ...) and returns it as stored.
  // AlreadyExists when a version has the same effective_from; FailedPrecondition when a
  // version has a later effective_from (publishing would rewrite history).
  static absl::StatusOr<StoredRuleSet> PublishRuleSet(store::Transaction& tx, RuleSet rule_set,
                                                      const WriteMeta& meta);

  // An LA's policy versions, oldest effective_from first.
  static absl::StatusOr<std::vector<StoredLaPolicy>> ListLaPolicies(store::Transaction& tx,
                                                                    const std::string& la_code);
  // Stores `policy` as the LA's next version, with the same history rules as PublishRuleSet.
  static absl::StatusOr<StoredLaPolicy> PublishLaPolicy(store::Transaction& tx, LaPolicy policy,
                                                        const WriteMeta& meta);

  // Records `period` by (la_code, record_id): creates it, replaces it with version + 1 when the
  // content differs, or leaves it alone. `stored` receives the period as stored afterwards.
  static absl::StatusOr<RecordResult> RecordPeriod(store::Transaction& tx,
                                                   const EmploymentPeriod& period,
                                                   const WriteMeta& meta, StoredPeriod* stored);
  // What RecordPeriods did with one period. Plain data.
  struct PeriodRecord {
    RecordResult result = RecordResult::kUnchanged;
    StoredPeriod stored;
  };
  // Records each of `periods` (non-null; distinct (la_code, record_id)) as RecordPeriod does, in
  // order, rewriting each touched worker's history row once: the bulk path.
  static absl::StatusOr<std::vector<PeriodRecord>> RecordPeriods(
      store::Transaction& tx, absl::Span<const EmploymentPeriod* const> periods,
      const WriteMeta& meta);
  // Every period recorded for the worker `swe_number` (upper case), in start date order.
  static absl::StatusOr<std::vector<EmploymentPeriod>> ListWorkerPeriods(
      store::Transaction& tx, const std::string& swe_number);

  // The period (la_code, record_id), or nullopt.
  static absl::StatusOr<std::optional<StoredPeriod>> FindPeriod(store::Transaction& tx,
                                                                const std::string& la_code,
                                                                const std::string& record_id);
  // Deletes the period (la_code, record_id) if its version is `version` (any when 0). NotFound
  // when absent; Aborted when the version is stale.
  static absl::Status DeletePeriod(store::Transaction& tx, const std::string& la_code,
                                   const std::string& record_id, int64_t version);
  // Up to `limit` workers with a period recorded by one of `la_codes` (any LA when empty), in
  // SWE number order after `after`; each with every period the hub holds for them counted.
  // `total` receives the number matching.
  static absl::StatusOr<std::vector<WorkerSummary>> ListWorkers(
      store::Transaction& tx, const std::vector<std::string>& la_codes, const std::string& after,
      int limit, int64_t* total);

  // As ListWorkerPeriods, with each period's version and audit.
  static absl::StatusOr<std::vector<StoredPeriod>> ListWorkerStoredPeriods(
      store::Transaction& tx, const std::string& swe_number);

  // Stores a register check (with its recorder_la) and assigns its check_id ("rc-<n>").
  static absl::StatusOr<StoredRegisterCheck> RecordRegisterCheck(store::Transaction& tx,
                                                                 RegisterCheck check,
                                                                 const WriteMeta& meta);
  // Every register check of `swe_number` with its audit, newest checked_at first.
  static absl::StatusOr<std::vector<StoredRegisterCheck>> ListRegisterChecks(
      store::Transaction& tx, const std::string& swe_number);
  // Rewrites the worker's worker_histories row from employment_periods and register_checks (the
  // tables it is derived from), or removes it when they hold nothing for the worker.
  static absl::Status RebuildWorkerHistory(store::Transaction& tx, const std::string& swe_number);
  // The worker's periods and register checks together (both empty for an unknown worker), from
  // the worker's one history row.
  static absl::StatusOr<WorkerHistory> ReadWorkerHistory(store::Transaction& tx,
                                                         const std::string& swe_number);


  // Inserts `row` (version 1) and assigns its engagement_id. AlreadyExists when the LA already
  // has an engagement with the same record_id.
  static absl::StatusOr<EngagementRow> InsertEngagement(store::Transaction& tx, EngagementRow row,
                                                        const WriteMeta& meta);
  // The engagement with `engagement_id`, or nullopt.
  static absl::StatusOr<std::optional<EngagementRow>> FindEngagement(
      store::Transaction& tx, const std::string& engagement_id);
  // The LA's engagement with the caller's `record_id`, or nullopt.
  static absl::StatusOr<std::optional<EngagementRow>> FindEngagementByRecord(
      store::Transaction& tx, const std::string& la_code, const std::string& record_id);
  // Up to `limit` engagements matching `filter` after the key (start date, sequence) in that
  // order; `after` empty starts at the beginning. `total` receives the number matching.
  static absl::StatusOr<std::vector<EngagementRow>> ListEngagements(
      store::Transaction& tx, const EngagementFilter& filter, const std::string& after, int limit,
      int64_t* total);
  // Replaces the mutable columns of `row` (dates, verdict, terms, check, cap exception) if its
  // stored version is still `row.version`, and returns the row as stored (version + 1).
  // Aborted when another write came first.
  static absl::StatusOr<EngagementRow> UpdateEngagement(store::Transaction& tx, EngagementRow row,
                                                        const WriteMeta& meta);
  // The resume key of `row` for ListEngagements.
  static std::string EngagementKey(const EngagementRow& row);

  // Inserts `row` (version 1) and assigns its exception_id; `encode` receives the assigned id
  // and version and returns the body to store.
  static absl::StatusOr<ExceptionRow> InsertException(
      store::Transaction& tx, ExceptionRow row, const WriteMeta& meta,
      absl::FunctionRef<std::string(const std::string& id, int64_t version)> encode);
  // The exception with `exception_id`, or nullopt.
  static absl::StatusOr<std::optional<ExceptionRow>> FindException(
      store::Transaction& tx, const std::string& exception_id);
  // Up to `limit` exceptions matching `filter`, newest first, after the id `after` (empty: from
  // the newest). `total` receives the number matching.
  static absl::StatusOr<std::vector<ExceptionRow>> ListExceptions(store::Transaction& tx,
                                                                  const ExceptionFilter& filter,
                                                                  const std::string& after,
                                                                  int limit, int64_t* total);
  // Replaces the state and body of `row` if its stored version is still `row.version`, and
  // bumps the version (returned). Aborted when another write came first.
  static absl::StatusOr<int64_t> UpdateException(store::Transaction& tx, const ExceptionRow& row,
                                                 const WriteMeta& meta);

 private:
  // RecordPeriod without the history rewrite: adds each worker whose history changed to
  // `touched`, for the caller to rewrite before commit.
  static absl::StatusOr<RecordResult> RecordPeriodRow(store::Transaction& tx,
                                                      const EmploymentPeriod& period,
                                                      const WriteMeta& meta, StoredPeriod* stored,
                                                      std::set<std::string>* touched);
};

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_STORE_WORKFORCE_STORE_H_
