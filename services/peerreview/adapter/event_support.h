// Pieces the event, thematic review and findings handlers share: date ranges, the scheduling
// rules of a cycle, the CLOSED check and in-memory paging.
#ifndef SLIHUB_SERVICES_PEERREVIEW_ADAPTER_EVENT_SUPPORT_H_
#define SLIHUB_SERVICES_PEERREVIEW_ADAPTER_EVENT_SUPPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/errors/errors.h"
#include "common/server/paging.h"
#include "common/server/unary_call.h"
#include "common/store/database.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "services/peerreview/domain/cycle_state.h"
#include "services/peerreview/domain/event_scheduler.h"
#include "slihub/common/v1/types.pb.h"
#include "slihub/peerreview/v1/cycle.pb.h"
#include "slihub/peerreview/v1/event.pb.h"

namespace slihub::peerreview {

// A date range as civil days; `set` only when both ends are set and real.
struct DayRange {
  bool set = false;
  absl::CivilDay start;
  absl::CivilDay end;
};

// The range (violations of a bad date under `field`.start / .end).
DayRange ToDayRange(const v1::DateRange& range, const std::string& field, FieldViolations* v);
// A required date: "is required" when unset, the violation when not a real day.
std::optional<absl::CivilDay> RequiredDay(const common::v1::CivilDate& date, const std::string& field,
                                          FieldViolations* v);
// Both ends required, real, end not before start and at most 731 days (two years) after it.
void CheckDateRange(const v1::DateRange& range, const std::string& field, FieldViolations* v);

// The rules events of `cycle` are checked against: `phase`, the cycle's declared unavailability
// and the bookings of its live (SCHEDULED or HELD) `events`. Weekends excluded.
SchedulingRules CycleRules(const v1::Cycle& cycle, const std::vector<v1::ChallengeEvent>& events,
                           const DayRange& phase);

// Adds to `rules` the bookings of every CONFIRMED or COMPLETED thematic review of `region`: its
// host and team are busy on each day of its dates, so no challenge event puts one of them in two
// live events on one day.
absl::Status AddThematicReviewBookings(store::Transaction& tx, const std::string& region,
                                       SchedulingRules* rules);

// Books `review`'s host and team on each day of its dates (nothing when its dates are unset).
void BookReview(const v1::ThematicReview& review, SchedulingRules* rules);

// Cancels every SCHEDULED event of `cycle_id` (their groups were replaced), appending their ids.
absl::Status CancelScheduledEvents(store::Transaction& tx, const CallInfo& call,
                                   const std::string& cycle_id, std::vector<std::string>* ids);

// Fills readiness.open_events (neither HELD nor CANCELLED) and hosts_without_findings (hosts of
// HELD events without findings from them) for the cycle's move to SUMMARY.
absl::Status GatherEventReadiness(store::Transaction& tx, const std::string& cycle_id,
                                  CycleReadiness* readiness);

// FAILED_PRECONDITION: the cycle is CLOSED and read-only.
absl::Status CycleClosed(const v1::Cycle& cycle);

// Of the `items` that `keep`, copies those at [offset, offset + size) into `out` and sets the
// page's next token (the offset of the next page, scoped to `scope`) and total size.
template <typename T, typename Keep>
void PageWhere(std::vector<T>& items, Keep keep, int offset, int size, const std::string& scope,
               google::protobuf::RepeatedPtrField<T>* out, common::v1::PageResponse* page) {
  int n = 0;
  for (T& item : items) {
    if (!keep(item)) continue;
    if (n >= offset && n < offset + size) *out->Add() = std::move(item);
    ++n;
  }
  if (offset + size < n) page->set_next_page_token(EncodePageToken(scope, absl::StrCat(offset + size)));
  page->set_total_size(n);
}

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_ADAPTER_EVENT_SUPPORT_H_
