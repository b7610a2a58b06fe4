// The workforce service's tables and the only SQL it runs: rule set versions, employment
// periods, register checks and idempotent-call replays. Every function runs inside a
// transaction the caller opened with store::Database::Run.
#ifndef SLIHUB_SERVICES_WORKFORCE_STORE_WORKFORCE_STORE_H_
#define SLIHUB_SERVICES_WORKFORCE_STORE_WORKFORCE_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/store/database.h"
#include "common/store/migration.h"
#include "services/workforce/domain/history.h"
#include "services/workforce/domain/rule_set.h"

namespace slihub::workforce {

// The schema, in version order.
std::vector<store::Migration> WorkforceMigrations();

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

// What recording a period did.
enum class RecordResult { kCreated, kUpdated, kUnchanged };

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

  // Records `period` by (la_code, record_id): creates it, replaces it with version + 1 when the
  // content differs, or leaves it alone. `stored` receives the period as stored afterwards.
  static absl::StatusOr<RecordResult> RecordPeriod(store::Transaction& tx,
                                                   const EmploymentPeriod& period,
                                                   const WriteMeta& meta, StoredPeriod* stored);
  // Every period recorded for the worker `swe_number` (upper case), in start date order.
  static absl::StatusOr<std::vector<EmploymentPeriod>> ListWorkerPeriods(
      store::Transaction& tx, const std::string& swe_number);

  // Stores a register check and assigns its check_id ("rc-<n>").
  static absl::StatusOr<StoredRegisterCheck> RecordRegisterCheck(store::Transaction& tx,
                                                                 RegisterCheck check,
                                                                 const WriteMeta& meta);
  // Every register check of `swe_number`, newest checked_at first.
  static absl::StatusOr<std::vector<RegisterCheck>> ListRegisterChecks(
      store::Transaction& tx, const std::string& swe_number);

  // The response recorded for idempotency `key`, when any, with the fingerprint of the request
  // that produced it.
  struct Replay {
    std::string fingerprint;
    std::string response;
  };
  static absl::StatusOr<std::optional<Replay>> FindReplay(store::Transaction& tx,
                                                          const std::string& key);
  // Records the response for `key`; the key must be new in this transaction.
  static absl::Status SaveReplay(store::Transaction& tx, const std::string& key,
                                 const std::string& fingerprint, const std::string& response,
                                 absl::Time now);
};

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_STORE_WORKFORCE_STORE_H_
