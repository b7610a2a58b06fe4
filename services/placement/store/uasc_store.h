// The UASC National Transfer Scheme's repository: threshold rules, submitted populations, transfers
// and the bank-holiday calendar, over the placement service's database. Thread-safe (each call runs
// its own transaction). Errors as PlacementStore's.
#ifndef SLIHUB_SERVICES_PLACEMENT_STORE_UASC_STORE_H_
#define SLIHUB_SERVICES_PLACEMENT_STORE_UASC_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/store/database.h"
#include "services/placement/domain/uasc.h"
#include "services/placement/store/placement_store.h"

namespace slihub::placement {

// A published threshold rule. Plain data.
struct UascThresholdRecord {
  UascThreshold rule;
  Audit audit;
};

// An LA's submitted figures as at a date. Plain data.
struct UascPopulationRecord {
  UascFigures figures;
  Audit audit;
};

// A transfer under the scheme (slihub.placement.v1.UascTransfer). Plain data; identifies no child.
struct UascTransferRecord {
  std::string transfer_id;
  std::string record_id;
  std::string referring_la;
  std::string receiving_la;
  absl::CivilDay referred_on;
  bool from_hotel = false;
  absl::CivilDay deadline;
  int state = kTransferPending;
  std::optional<absl::CivilDay> transferred_on;
  std::string cancel_reason;
  std::optional<absl::Time> cancel_time;
  int64_t version = 0;
  Audit audit;
};

// What an LA's status is computed from, read in one snapshot. Plain data.
struct UascInputs {
  std::vector<UascThreshold> rules;
  std::map<std::string, UascPopulationRecord> latest;  // per LA: latest figures on or before as_of
};

// Filters of ListTransfers; empty fields match everything. Plain data.
struct UascTransferQuery {
  std::vector<std::string> la_codes;         // transfers where one of these LAs refers or receives
  int state = 0;                             // 0: any
  std::optional<absl::CivilDay> overdue_on;  // only transfers overdue on this day
  std::string after_deadline;                // keyset: (deadline, transfer_id) after these
  std::string after_id;
  int limit = 50;
};

// The UASC repository: every function runs in the caller's transaction (as PlacementStore's) and
// never opens one; `hub_region` prefixes every new id. Thread-safe.
class UascStore {
 public:
  explicit UascStore(std::string hub_region);

  // Inserts a rule with the next version. AlreadyExists when a rule has this effective_from.
  absl::StatusOr<UascThresholdRecord> PublishThresholdRule(store::Transaction& tx,
                                                           const UascThreshold& draft,
                                                           const WriteContext& w) const;
  // Up to `limit` rules with effective_from after `after_day` ("" for the first), oldest first.
  absl::StatusOr<std::vector<UascThresholdRecord>> ListThresholdRules(store::Transaction& tx,
                                                                      const std::string& after_day,
                                                                      int limit) const;
  // Stores the LA's figures as at figures.as_of, replacing an earlier submission for that date.
  absl::StatusOr<UascPopulationRecord> SubmitPopulation(store::Transaction& tx,
                                                        const UascFigures& figures,
                                                        const WriteContext& w) const;
  // Every rule, and for each of `la_codes` its latest figures on or before `as_of`.
  absl::StatusOr<UascInputs> LoadInputs(store::Transaction& tx,
                                        const std::vector<std::string>& la_codes,
                                        absl::CivilDay as_of) const;
  // The bank holidays the deadlines exclude, ascending.
  absl::StatusOr<std::vector<absl::CivilDay>> BankHolidays(store::Transaction& tx) const;

  // Inserts a pending transfer (deadline already computed). Idempotent by (referring_la,
  // record_id): the same content returns the stored transfer; different content is AlreadyExists.
  absl::StatusOr<UascTransferRecord> RecordTransfer(store::Transaction& tx,
                                                    const UascTransferRecord& draft,
                                                    const WriteContext& w) const;
  // Marks a pending transfer COMPLETED on `transferred_on`. Aborted for a stale version;
  // FailedPrecondition TRANSFER_NOT_PENDING.
  absl::StatusOr<UascTransferRecord> CompleteTransfer(store::Transaction& tx,
                                                      const std::string& transfer_id,
                                                      int64_t version,
                                                      absl::CivilDay transferred_on,
                                                      const WriteContext& w) const;
  // Marks a pending transfer CANCELLED with `reason`. Errors and replay as CompleteTransfer.
  absl::StatusOr<UascTransferRecord> CancelTransfer(store::Transaction& tx,
                                                    const std::string& transfer_id, int64_t version,
                                                    const std::string& reason,
                                                    const WriteContext& w) const;
  absl::StatusOr<UascTransferRecord> GetTransfer(store::Transaction& tx,
                                                 const std::string& transfer_id) const;
  // The transfer `referring_la` recorded as `record_id`, if any.
  absl::StatusOr<std::optional<UascTransferRecord>> GetTransferByRecord(
      store::Transaction& tx, const std::string& referring_la, const std::string& record_id) const;
  // Up to query.limit transfers matching `query`, in (deadline, transfer_id) order.
  absl::StatusOr<std::vector<UascTransferRecord>> ListTransfers(
      store::Transaction& tx, const UascTransferQuery& query) const;

 private:
  // Moves a pending transfer to `state`, setting `assignments` ("col = $n" with params from $6).
  absl::StatusOr<UascTransferRecord> EndTransfer(store::Transaction& tx,
                                                 const std::string& transfer_id, int64_t version,
                                                 int state, const std::string& assignments,
                                                 std::vector<store::Value> params,
                                                 const WriteContext& w) const;

  std::string region_;
};

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_STORE_UASC_STORE_H_
