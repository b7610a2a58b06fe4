#include "common/federation/change_log.h"

#include <openssl/rand.h>

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace slihub::federation {

namespace cpb = ::slihub::common::v1;

std::string FeedKey(absl::string_view channel, absl::string_view key) {
  return absl::StrCat(channel, "/", key);
}

namespace {

std::string NewEpoch() {
  unsigned char bytes[8] = {};
  RAND_bytes(bytes, sizeof(bytes));
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

}  // namespace

// Hears one store channel and publishes its committed keys.
class ChangeLog::Follower final : public store::ChangeListener {
 public:
  Follower(ChangeLog* log, store::Database* db, std::string channel)
      : log_(log), db_(db), channel_(std::move(channel)) {
    db_->AddChangeListener(channel_, this);
  }
  ~Follower() override { db_->RemoveChangeListener(this); }
  void Changing(std::string_view) override {}
  void Settled(std::string_view key, bool committed) override {
    if (committed) log_->Publish(FeedKey(channel_, absl::string_view(key.data(), key.size())));
  }

 private:
  ChangeLog* const log_;
  store::Database* const db_;
  const std::string channel_;
};

// One subscriber's stream. Owned by gRPC until OnDone, which deletes it; its state lives in the
// log under the log's mutex.
class ChangeWatch final : public grpc::ServerWriteReactor<cpb::WatchChangesResponse> {
 public:
  explicit ChangeWatch(ChangeLog* log) : log_(log) {}
  void OnWriteDone(bool ok) override { log_->WriteDone(this, ok); }
  void OnCancel() override { log_->Cancelled(this); }
  void OnDone() override {
    log_->Remove(this);
    delete this;
  }
  // The message in flight; touched only by the thread that starts its write.
  cpb::WatchChangesResponse out;

 private:
  ChangeLog* const log_;
};

ChangeLog::ChangeLog(ChangeLogOptions options)
    : options_(options), epoch_(NewEpoch()), heartbeat_([this] { HeartbeatLoop(); }) {}

ChangeLog::~ChangeLog() {
  followers_.clear();  // no more Publish from store writes
  std::vector<ChangeWatch*> open;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    for (auto& [watch, state] : watches_) {
      state.finished = true;
      if (!state.writing && !state.finish_called) {
        state.finish_called = true;
        open.push_back(watch);
      }
    }
  }
  for (ChangeWatch* watch : open) {
    watch->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is stopping"));
  }
  {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(
                             +[](std::map<ChangeWatch*, WatchState>* w) { return w->empty(); },
                             &watches_),
                         absl::Seconds(5));
  }
  heartbeat_.join();
}

void ChangeLog::Follow(store::Database* db, const std::string& channel) {
  followers_.push_back(std::make_unique<Follower>(this, db, channel));
}

void ChangeLog::Publish(std::string key) {
  std::vector<ChangeWatch*> idle;
  {
    absl::MutexLock lock(&mu_);
    entries_.emplace_back(++last_sequence_, std::move(key));
    while (entries_.size() > options_.capacity) entries_.pop_front();
    for (const auto& [watch, state] : watches_) {
      if (!state.writing && !state.finished) idle.push_back(watch);
    }
  }
  for (ChangeWatch* watch : idle) Pump(watch, /*force=*/false);
}

int64_t ChangeLog::last_sequence() const {
  absl::MutexLock lock(&mu_);
  return last_sequence_;
}

grpc::ServerWriteReactor<cpb::WatchChangesResponse>* ChangeLog::Watch(const std::string& epoch,
                                                                      int64_t after) {
  auto* watch = new ChangeWatch(this);
  {
    absl::MutexLock lock(&mu_);
    WatchState state;
    const int64_t oldest_held = entries_.empty() ? last_sequence_ + 1 : entries_.front().first;
    // Resumable only within this epoch, from a point whose later changes are all still held.
    if (epoch == epoch_ && after <= last_sequence_ && after >= oldest_held - 1) {
      state.sent_up_to = after;
    } else {
      state.sent_up_to = last_sequence_;
      state.reset = true;
    }
    watches_.emplace(watch, state);
  }
  Pump(watch, /*force=*/true);
  return watch;
}

void ChangeLog::Pump(ChangeWatch* watch, bool force) {
  {
    absl::MutexLock lock(&mu_);
    auto it = watches_.find(watch);
    if (it == watches_.end()) return;
    WatchState& state = it->second;
    if (state.writing || state.finished) return;
    watch->out.Clear();
    watch->out.set_epoch(epoch_);
    watch->out.set_reset(state.reset);
    int64_t up_to = state.sent_up_to;
    // Entries are in sequence order: skip to the first unseen one.
    auto entry = std::lower_bound(
        entries_.begin(), entries_.end(), state.sent_up_to + 1,
        [](const std::pair<int64_t, std::string>& e, int64_t seq) { return e.first < seq; });
    for (; entry != entries_.end() && watch->out.keys_size() < options_.keys_per_message;
         ++entry) {
      watch->out.add_keys(entry->second);
      up_to = entry->first;
    }
    if (watch->out.keys_size() == 0 && !state.reset && !force) return;
    if (watch->out.keys_size() == 0) up_to = std::max(up_to, last_sequence_);
    watch->out.set_last_sequence(up_to);
    state.sent_up_to = up_to;
    state.reset = false;
    state.writing = true;
  }
  watch->StartWrite(&watch->out);
}

void ChangeLog::WriteDone(ChangeWatch* watch, bool ok) {
  bool finish = false;
  {
    absl::MutexLock lock(&mu_);
    auto it = watches_.find(watch);
    if (it == watches_.end()) return;
    WatchState& state = it->second;
    state.writing = false;
    if (!ok) state.finished = true;
    if (state.finished && !state.finish_called) {
      state.finish_called = true;
      finish = true;
    }
  }
  if (finish) {
    watch->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the change stream ended"));
    return;
  }
  Pump(watch, /*force=*/false);
}

void ChangeLog::Cancelled(ChangeWatch* watch) {
  bool finish = false;
  {
    absl::MutexLock lock(&mu_);
    auto it = watches_.find(watch);
    if (it == watches_.end()) return;
    it->second.finished = true;
    if (!it->second.writing && !it->second.finish_called) {
      it->second.finish_called = true;
      finish = true;
    }
  }
  if (finish) watch->Finish(grpc::Status::CANCELLED);
}

void ChangeLog::Remove(ChangeWatch* watch) {
  absl::MutexLock lock(&mu_);
  watches_.erase(watch);
}

void ChangeLog::HeartbeatLoop() {
  while (true) {
    std::vector<ChangeWatch*> idle;
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.heartbeat);
      if (stopping_) return;
      for (const auto& [watch, state] : watches_) {
        if (!state.writing && !state.finished) idle.push_back(watch);
      }
    }
    for (ChangeWatch* watch : idle) Pump(watch, /*force=*/true);
  }
}

}  // namespace slihub::federation
