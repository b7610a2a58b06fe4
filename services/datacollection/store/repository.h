// Row mapping for the data collection store: indicators, collections, periods, return versions with
// their figures, and period publication (the schema is in migrations.h). Every function runs inside
// a transaction the caller opened (store::Database::Run), so a caller composes several into one
// atomic change. Thread-compatible: a transaction is used by one thread.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_STORE_REPOSITORY_H_
#define SLIHUB_SERVICES_DATACOLLECTION_STORE_REPOSITORY_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/store/database.h"
#include "services/datacollection/domain/indicator.h"
#include "services/datacollection/store/migrations.h"
#include "services/datacollection/store/records.h"

namespace slihub::datacollection {

// Reads and writes one hub's data collection tables inside the caller's transaction `tx` (opened
// with store::Database::Run or RunIdempotent); none of these opens or ends a transaction.
namespace repository {

// The change channel of what other regions' hubs cache (GetPublishedAggregates): every write that
// may change a period's published figures (a return, the period's publication or its indicator
// list) announces the period id on it with Transaction::Notify, which the service's change log
// follows (federation::ChangeLog::Follow).
inline constexpr char kPublishedChannel[] = "datacollection.published";

// Inserts one indicator version; AlreadyExists when (id, version) is stored.
absl::Status InsertIndicator(store::Transaction& tx, const IndicatorDef& def);
// The latest version of every indicator, in id order.
absl::StatusOr<std::vector<IndicatorDef>> ListLatestIndicators(store::Transaction& tx);
// One version (0: the latest); NotFound when absent.
absl::StatusOr<IndicatorDef> GetIndicator(store::Transaction& tx, const std::string& id,
                                          int64_t version);
// Every indicator's highest version, by id (versions are never rewritten, so (id, version)
// names one definition for ever: the key of a definition cache).
absl::StatusOr<absl::flat_hash_map<std::string, int64_t>> LatestIndicatorVersions(
    store::Transaction& tx);

// Inserts a collection; AlreadyExists when the id is taken.
absl::Status InsertCollection(store::Transaction& tx, const CollectionRecord& c);
absl::StatusOr<std::vector<CollectionRecord>> ListCollections(store::Transaction& tx,
                                                              const std::string& region);
// NotFound when absent.
absl::StatusOr<CollectionRecord> GetCollection(store::Transaction& tx,
                                               const std::string& collection_id);

// Replaces the collection's name, description, indicators and LAs, storing `c.version` + 1
// (`c.version` is the version being replaced); Aborted when the stored version is not `c.version`.
absl::Status UpdateCollection(store::Transaction& tx, const CollectionRecord& c);

// Inserts a period; AlreadyExists when taken.
absl::Status InsertPeriod(store::Transaction& tx, const PeriodRecord& p);
// A collection's periods, latest start_date first, each with its previous_period_id.
absl::StatusOr<std::vector<PeriodRecord>> ListPeriods(store::Transaction& tx,
                                                      const std::string& collection_id);
// NotFound when absent.
absl::StatusOr<PeriodRecord> GetPeriod(store::Transaction& tx, const std::string& collection_id,
                                       const std::string& period_id);

// Replaces the period's label, times and indicators, storing `p.version` + 1 (`p.version` is the
// version being replaced); Aborted when the stored version is not `p.version`.
absl::Status UpdatePeriod(store::Transaction& tx, const PeriodRecord& p);
// Marks the period published at `when` unless it already is (the first publication stands).
// NotFound when absent.
absl::Status PublishPeriod(store::Transaction& tx, const std::string& collection_id,
                           const std::string& period_id, absl::Time when);
// The periods of every collection of `region` with id `period_id`.
absl::StatusOr<std::vector<PeriodRecord>> PeriodsWithId(store::Transaction& tx,
                                                        const std::string& region,
                                                        const std::string& period_id);

// The latest version number of an LA's return for a period (0 when none).
absl::StatusOr<int64_t> LatestVersion(store::Transaction& tx, const std::string& la_code,
                                      const std::string& collection_id,
                                      const std::string& period_id);
// Inserts `r` (its version must be the next one) with every figure, and updates the period's
// latest totals.
absl::Status InsertReturn(store::Transaction& tx, const ReturnRecord& r);
// One version (0: the latest) with its figures when `with_values`; NotFound when absent.
absl::StatusOr<ReturnRecord> GetReturn(store::Transaction& tx, const std::string& la_code,
                                       const std::string& collection_id,
                                       const std::string& period_id, int64_t version,
                                       bool with_values);
// Every version of every LA for a period, without figures, in (LA, version) order; each version's
// given indicator ids are put in `values` as figures with only indicator_id and total.state set.
absl::StatusOr<std::vector<ReturnRecord>> ListReturnVersions(store::Transaction& tx,
                                                             const std::string& collection_id,
                                                             const std::string& period_id,
                                                             bool with_given_indicators);
// The total figures of each LA's latest version received at or before `as_of`.
absl::StatusOr<std::vector<LatestTotal>> LatestTotals(store::Transaction& tx,
                                                      const std::string& collection_id,
                                                      const std::string& period_id,
                                                      absl::Time as_of);

// The revision of the period's latest-totals row (raised whenever CurrentTotals' answer changes),
// or nullopt when the period has no row (it is read from returns).
absl::StatusOr<std::optional<int64_t>> SnapshotRevision(store::Transaction& tx,
                                                        const std::string& collection_id,
                                                        const std::string& period_id);
// The same as LatestTotals(collection_id, period_id, InfiniteFuture) from the period's
// latest_totals row (one indexed read), or from the returns when the period has no such row.
absl::StatusOr<std::vector<LatestTotal>> CurrentTotals(store::Transaction& tx,
                                                       const std::string& collection_id,
                                                       const std::string& period_id);

// A number that every write through this class increases (in the writer's transaction): equal
// generations read in two transactions mean equal data.
absl::StatusOr<int64_t> Generation(store::Transaction& tx);

// The `dimension` breakdown figures of `indicator_id` in each LA's latest version received at or
// before `as_of`.
absl::StatusOr<std::vector<LatestBreakdown>> LatestBreakdowns(
    store::Transaction& tx, const std::string& collection_id, const std::string& period_id,
    const std::string& indicator_id, Dimension dimension, absl::Time as_of);

}  // namespace repository

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_STORE_REPOSITORY_H_
