// The peer review service's records beyond cycles and self-assessments: challenge events,
// thematic reviews, findings and the last fetched data pack indicators. Same conventions as
// PeerReviewStore: serialized messages beside the columns queries need, the caller's transaction.
#ifndef SLIHUB_SERVICES_PEERREVIEW_STORE_REVIEW_RECORDS_STORE_H_
#define SLIHUB_SERVICES_PEERREVIEW_STORE_REVIEW_RECORDS_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/store/database.h"
#include "common/store/migration.h"
#include "slihub/peerreview/v1/event.pb.h"
#include "slihub/peerreview/v1/finding.pb.h"
#include "slihub/peerreview/v1/summary.pb.h"

namespace slihub::peerreview {

// A data pack's indicators as last fetched (items and period), with when.
struct CachedIndicators {
  std::string period_id;
  std::string items;  // serialized DataPack holding only items, period_id and fetch_time
};

// Stateless; every function runs in the transaction it is given.
class ReviewRecordsStore {
 public:
  // The next number of a record kind ("E" events, "T" thematic reviews, "F" findings) within
  // `scope` (a cycle id or, for reviews, a region): 1, 2, ...
  static absl::StatusOr<int64_t> NextNumber(store::Transaction& tx, const std::string& kind,
                                            const std::string& scope);

  // Inserts or replaces an event.
  static absl::Status PutEvent(store::Transaction& tx, const v1::ChallengeEvent& event);
  static absl::StatusOr<std::optional<v1::ChallengeEvent>> GetEvent(store::Transaction& tx,
                                                                    const std::string& event_id);
  // A cycle's events by date, then host, then id.
  static absl::StatusOr<std::vector<v1::ChallengeEvent>> ListEvents(store::Transaction& tx,
                                                                    const std::string& cycle_id);

  // Inserts or replaces a thematic review.
  static absl::Status PutReview(store::Transaction& tx, const v1::ThematicReview& review);
  static absl::StatusOr<std::optional<v1::ThematicReview>> GetReview(store::Transaction& tx,
                                                                     const std::string& review_id);
  // A region's reviews (only `cycle_id`'s when not empty) by start date, then id.
  static absl::StatusOr<std::vector<v1::ThematicReview>> ListReviews(store::Transaction& tx,
                                                                     const std::string& region,
                                                                     const std::string& cycle_id);

  // Inserts or replaces findings; AlreadyExists when another findings record has the same source.
  static absl::Status PutFindings(store::Transaction& tx, const v1::Findings& findings);
  static absl::StatusOr<std::optional<v1::Findings>> GetFindings(store::Transaction& tx,
                                                                 const std::string& findings_id);
  // A cycle's findings by host, then id.
  static absl::StatusOr<std::vector<v1::Findings>> ListFindings(store::Transaction& tx,
                                                                const std::string& cycle_id);

  // Remembers the indicators fetched for `host` (replacing earlier ones); the `fetched` column
  // holds items.fetch_time in microseconds since the Unix epoch (UTC).
  static absl::Status PutIndicators(store::Transaction& tx, const std::string& host,
                                    const v1::DataPack& items);
  // The last remembered indicators for `host` and `period_id` (empty: any period), or nullopt.
  static absl::StatusOr<std::optional<v1::DataPack>> GetIndicators(store::Transaction& tx,
                                                                   const std::string& host,
                                                                   const std::string& period_id);
};

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_STORE_REVIEW_RECORDS_STORE_H_
