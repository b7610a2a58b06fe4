#include "services/workforce/adapter/compliance_feed.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "services/workforce/client/workforce_hub_connection.h"
#include "services/workforce/store/workforce_store.h"

namespace slihub::workforce {

ComplianceFeed::ComplianceFeed(federation::ChangeLog* log, size_t capacity)
    : log_(log), capacity_(std::max<size_t>(capacity, 1)) {}

ComplianceFeed::~ComplianceFeed() {
  if (db_ != nullptr) db_->RemoveChangeListener(this);
}

void ComplianceFeed::Follow(store::Database* db) {
  db_ = db;
  db_->AddChangeListener(kComplianceChannel, this);
}

void ComplianceFeed::Asked(const std::string& period_key) {
  std::optional<std::string> evicted;
  {
    absl::MutexLock lock(&mu_);
    auto it = std::find(periods_.begin(), periods_.end(), period_key);
    if (it != periods_.end()) periods_.erase(it);
    periods_.push_back(period_key);
    if (periods_.size() > capacity_) {
      evicted = std::move(periods_.front());
      periods_.pop_front();
    }
  }
  if (evicted.has_value()) log_->Publish(federation::FeedKey(kComplianceSummaryFeed, *evicted));
}

std::vector<std::string> ComplianceFeed::Remembered() const {
  absl::MutexLock lock(&mu_);
  return {periods_.begin(), periods_.end()};
}

void ComplianceFeed::Settled(std::string_view, bool committed) {
  if (!committed) return;
  for (const std::string& period : Remembered()) {
    log_->Publish(federation::FeedKey(kComplianceSummaryFeed, period));
  }
}

}  // namespace slihub::workforce
