// The owner's side of other regions' cached compliance summaries. A summary covers a period, so
// peers cache it per period (FeedKey(kComplianceSummaryFeed, ComplianceSummaryKey(period))), and
// a write cannot name the periods it changes. This hub therefore remembers the periods peers have
// asked of it (the most recent `capacity` of them) and, whenever an engagement or exception write
// commits (the store's kComplianceChannel), publishes every remembered period's key into the
// change log that peers follow: their cached summaries are dropped within the change feed's bound
// (as a worker's facts are). A period pushed out of the memory is published once as it leaves,
// so no peer keeps an entry this hub can no longer invalidate.
#ifndef SLIHUB_SERVICES_WORKFORCE_ADAPTER_COMPLIANCE_FEED_H_
#define SLIHUB_SERVICES_WORKFORCE_ADAPTER_COMPLIANCE_FEED_H_

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/federation/change_log.h"
#include "common/store/database.h"

namespace slihub::workforce {

// Thread-safe; never blocks (ChangeLog::Publish does not wait for subscribers). `log` and the
// followed database must outlive it.
class ComplianceFeed final : public store::ChangeListener {
 public:
  explicit ComplianceFeed(federation::ChangeLog* log, size_t capacity = 64);
  ~ComplianceFeed() override;
  ComplianceFeed(const ComplianceFeed&) = delete;
  ComplianceFeed& operator=(const ComplianceFeed&) = delete;

  // Listens to `db`'s kComplianceChannel. Call once, at start-up.
  void Follow(store::Database* db);
  // A peer asks for the summary of `period_key` (ComplianceSummaryKey). Call BEFORE reading the
  // summary: a write committed after the read began is then announced for it.
  void Asked(const std::string& period_key);
  // The remembered periods, least recently asked first (for tests).
  std::vector<std::string> Remembered() const;

  void Changing(std::string_view) override {}
  // A committed write publishes every remembered period's key.
  void Settled(std::string_view key, bool committed) override;

 private:
  federation::ChangeLog* const log_;
  const size_t capacity_;
  store::Database* db_ = nullptr;
  mutable absl::Mutex mu_;
  std::deque<std::string> periods_ ABSL_GUARDED_BY(mu_);  // least recently asked first
};

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_ADAPTER_COMPLIANCE_FEED_H_
