#include "common/federation/change_feeds.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "slihub/common/v1/federation_service.grpc.pb.h"

namespace slihub::federation {

namespace cpb = ::slihub::common::v1;

ChangeFeeds::ChangeFeeds(const PeerHubs* peers, PeerAnswerCache* cache,
                         DependencyMonitor* monitor, ChangeFeedOptions options)
    : peers_(peers), cache_(cache), monitor_(monitor), options_(options) {
  const std::vector<std::string> regions = peers_->Regions();
  {
    absl::MutexLock lock(&mu_);
    for (const std::string& region : regions) {
      feeds_[region].region = region;
      cache_->SetTrusted(region, false);
    }
  }
  for (const std::string& region : regions) {
    if (monitor_ != nullptr) {
      monitor_->Register("hub." + region, /*required=*/false);
      monitor_->Set("hub." + region, DependencyState::kDegraded, "change feed not yet connected");
    }
    threads_.emplace_back([this, region] { Follow(region); });
  }
  if (!regions.empty()) threads_.emplace_back([this] { Watchdog(); });
}

ChangeFeeds::~ChangeFeeds() { Stop(); }

void ChangeFeeds::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    for (auto& [region, feed] : feeds_) {
      if (feed.context != nullptr) feed.context->TryCancel();
    }
  }
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

bool ChangeFeeds::InSync(const std::string& region) const {
  absl::MutexLock lock(&mu_);
  auto it = feeds_.find(region);
  return it != feeds_.end() && it->second.in_sync;
}

bool ChangeFeeds::AwaitAllInSync(absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto all = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (const auto& [region, feed] : feeds_) {
      if (!feed.in_sync) return false;
    }
    return true;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&all), timeout);
}

void ChangeFeeds::MarkOutOfSyncLocked(Feed& feed, const std::string& reason) {
  // Distrust first: from here on no entry of the region is served without asking it.
  cache_->SetTrusted(feed.region, false);
  if (!feed.in_sync) return;
  feed.in_sync = false;
  if (monitor_ != nullptr && !stopping_) {
    monitor_->Set("hub." + feed.region, DependencyState::kDegraded,
                  absl::StrCat("change feed lost: ", reason));
  }
}

void ChangeFeeds::Follow(const std::string& region) {
  auto stub = cpb::FederationService::NewStub(peers_->Channel(region));
  absl::Duration backoff = options_.min_backoff;
  while (true) {
    grpc::ClientContext context;
    cpb::WatchChangesRequest request;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      Feed& feed = feeds_[region];
      request.set_epoch(feed.epoch);
      request.set_after_sequence(feed.last_sequence);
      // A long-lived stream; the watchdog ends it when it falls silent.
      peers_->Prepare(region, absl::Now() + absl::Hours(24), &context);
      feed.context = &context;
      feed.last_message = absl::Now();
    }
    std::unique_ptr<grpc::ClientReader<cpb::WatchChangesResponse>> reader =
        stub->WatchChanges(&context, request);
    cpb::WatchChangesResponse message;
    while (reader->Read(&message)) {
      std::vector<std::string> keys(message.keys().begin(), message.keys().end());
      // The keys are applied before the region can be trusted again (below).
      if (message.reset()) cache_->Reset(region);
      cache_->Invalidate(region, keys);
      absl::MutexLock lock(&mu_);
      Feed& feed = feeds_[region];
      feed.last_message = absl::Now();
      feed.epoch = message.epoch();
      feed.last_sequence = message.last_sequence();
      if (!feed.in_sync) {
        feed.in_sync = true;
        backoff = options_.min_backoff;
        cache_->SetTrusted(region, true);
        if (monitor_ != nullptr && !stopping_) {
          monitor_->Set("hub." + region, DependencyState::kUp, "");
        }
      }
    }
    grpc::Status status = reader->Finish();
    absl::MutexLock lock(&mu_);
    Feed& feed = feeds_[region];
    feed.context = nullptr;
    MarkOutOfSyncLocked(feed, absl::StrCat(status.error_code(), " ", status.error_message()));
    if (stopping_) return;
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), backoff);
    if (stopping_) return;
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

void ChangeFeeds::Watchdog() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.silence_limit / 4);
    const absl::Time now = absl::Now();
    for (auto& [region, feed] : feeds_) {
      if (feed.context == nullptr || now - feed.last_message <= options_.silence_limit) continue;
      MarkOutOfSyncLocked(feed, "no message within the silence limit");
      feed.context->TryCancel();
      feed.last_message = now;  // cancel once
    }
  }
}

}  // namespace slihub::federation
