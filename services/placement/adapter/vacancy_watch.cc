#include "services/placement/adapter/vacancy_watch.h"

#include <algorithm>
#include <limits>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "common/server/proto_time.h"
#include "services/placement/adapter/convert.h"
#include "services/placement/adapter/watch_writer.h"
#include "services/placement/store/transactions.h"

namespace slihub::placement {

using Response = v1::WatchVacanciesResponse;

// One watch: its filters and cursor (the feeding thread's alone) and its outgoing queue (a
// WatchWriter, shared with gRPC's callbacks).
class WatchState {
 public:
  WatchState(v1::WatchVacanciesRequest request, Principal principal)
      : request(std::move(request)), principal(std::move(principal)) {}

  // Set by the reactor once it exists, cleared in OnDone.
  void Attach(grpc::ServerWriteReactor<Response>* reactor) { writer_.Attach(reactor); }
  // Queues `message` and starts writing it when no write is in flight.
  void Push(Response message) { writer_.Push(std::move(message)); }
  // Ends the watch with `status` (after the write in flight, if any).
  void End(grpc::Status status) { writer_.End(std::move(status)); }
  void WriteDone(bool ok) { writer_.WriteDone(ok); }
  void Done() { writer_.Detach(); }
  // True once the watch ended (the feeding thread drops it).
  bool ended() const { return writer_.ended(); }
  // True when enough is queued that the feeding thread should wait for the client.
  bool backlogged(int limit) const { return static_cast<int>(writer_.queued()) >= limit; }

  // Whether `e` passes the watch's filters and the caller's scope.
  bool Matches(const VacancyEventRecord& e) const {
    if (!request.host_la().value().empty() && e.vacancy.host_la != request.host_la().value()) {
      return false;
    }
    if (!request.placement_types().empty() &&
        std::find(request.placement_types().begin(), request.placement_types().end(),
                  e.placement_type) == request.placement_types().end()) {
      return false;
    }
    if (!request.setting_ids().empty() &&
        std::find(request.setting_ids().begin(), request.setting_ids().end(),
                  e.vacancy.facts.setting_id) == request.setting_ids().end()) {
      return false;
    }
    return !providers_only || providers.count(e.provider_id) > 0;
  }

  // Feeding-thread state.
  const v1::WatchVacanciesRequest request;
  const Principal principal;
  bool begun = false;
  int64_t cursor = 0;  // every event up to this sequence has been handled
  absl::Time last_push = absl::Now();
  bool providers_only = false;  // a provider sees only its own providers' vacancies
  std::set<std::string> providers;

 private:
  WatchWriter<Response, grpc::ServerWriteReactor<Response>> writer_;
};

namespace {

// The reactor gRPC drives; everything it knows lives in the shared WatchState.
class WatchReactor final : public grpc::ServerWriteReactor<Response> {
 public:
  explicit WatchReactor(std::shared_ptr<WatchState> state) : state_(std::move(state)) {
    state_->Attach(this);
  }
  void OnWriteDone(bool ok) override { state_->WriteDone(ok); }
  void OnCancel() override { state_->End(grpc::Status::CANCELLED); }
  void OnDone() override {
    state_->Done();
    delete this;
  }

 private:
  std::shared_ptr<WatchState> state_;
};

class RefusedWatch final : public grpc::ServerWriteReactor<Response> {
 public:
  explicit RefusedWatch(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

// Appends the events of `page` that `watch` has not seen and wants, in messages of at most
// `per_message` events, and advances its cursor to page.read_upto.
std::vector<Response> Messages(WatchState& watch, const VacancyEventPage& page, int per_message,
                               absl::Duration stale_after) {
  std::vector<Response> out;
  const absl::Time now = absl::Now();
  for (const VacancyEventRecord& e : page.events) {
    if (e.sequence <= watch.cursor || !watch.Matches(e)) continue;
    if (out.empty() || out.back().events_size() >= per_message) out.emplace_back();
    v1::VacancyEvent* event = out.back().add_events();
    event->set_sequence(e.sequence);
    event->set_type(static_cast<v1::VacancyEventType>(e.type));
    *event->mutable_vacancy() = ToProto(e.vacancy, now, stale_after);
    *event->mutable_event_time() = ToProtoTimestamp(e.event_time);
    event->set_hold_id(e.hold_id);
    // Another region's hub gets no staff identities (the audit's subjects).
    if (watch.principal.HasRole(Role::kHub)) event->mutable_vacancy()->clear_audit();
    if (watch.request.include_settings()) {
      SettingRecord setting;
      setting.facts = e.setting;
      FillSetting(setting, event->mutable_setting());
      event->mutable_setting()->clear_audit();
      event->mutable_setting()->clear_version();
    }
    out.back().set_last_sequence(e.sequence);
  }
  watch.cursor = std::max(watch.cursor, page.read_upto);
  if (!out.empty()) out.back().set_last_sequence(watch.cursor);
  return out;
}

}  // namespace

grpc::ServerWriteReactor<Response>* RefuseWatch(const grpc::Status& status) {
  return new RefusedWatch(status);
}

VacancyWatchHub::VacancyWatchHub(store::Database* db, const PlacementStore* store,
                                 WatchOptions options)
    : db_(db), store_(store), options_(options) {
  thread_ = std::thread([this] { Loop(); });
}

VacancyWatchHub::~VacancyWatchHub() {
  std::vector<std::shared_ptr<WatchState>> open;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
  {
    absl::MutexLock lock(&mu_);
    open.swap(watches_);
  }
  for (const auto& w : open) {
    w->End(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down"));
  }
}

grpc::ServerWriteReactor<Response>* VacancyWatchHub::Watch(const v1::WatchVacanciesRequest& request,
                                                           const Principal& principal) {
  auto state = std::make_shared<WatchState>(request, principal);
  auto* reactor = new WatchReactor(state);
  absl::MutexLock lock(&mu_);
  if (stopping_) {
    state->End(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down"));
  } else {
    watches_.push_back(std::move(state));
  }
  return reactor;
}

size_t VacancyWatchHub::watchers() const {
  absl::MutexLock lock(&mu_);
  return watches_.size();
}

void VacancyWatchHub::Loop() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.poll_interval);
    if (stopping_) break;
    mu_.Unlock();
    Step();
    mu_.Lock();
  }
}

void VacancyWatchHub::Begin(WatchState& watch) {
  watch.begun = true;
  const Principal& who = watch.principal;
  if (who.HasRole(Role::kProvider) &&
      !who.HasAnyRole({Role::kPlacementOfficer, Role::kRegionalAdmin, Role::kService})) {
    absl::StatusOr<std::vector<std::string>> mine = InReadTransaction(
        *db_, [&](store::Transaction& tx) { return store_->ProvidersOfMember(tx, who.subject); });
    if (!mine.ok()) return watch.End(ToGrpcStatus(mine.status()));
    watch.providers_only = true;
    watch.providers.insert(mine->begin(), mine->end());
  }
  if (watch.request.include_snapshot()) {
    absl::StatusOr<VacancyEventPage> snapshot = InReadTransaction(
        *db_, [&](store::Transaction& tx) { return store_->LoadVacancySnapshot(tx); });
    if (!snapshot.ok()) return watch.End(ToGrpcStatus(snapshot.status()));
    std::vector<Response> messages =
        Messages(watch, *snapshot, options_.events_per_message, options_.stale_after);
    if (messages.empty()) messages.emplace_back().set_last_sequence(watch.cursor);
    messages.back().set_snapshot_complete(true);
    for (Response& m : messages) watch.Push(std::move(m));
    return;
  }
  absl::StatusOr<VacancyEventPage> bounds = InReadTransaction(
      *db_, [&](store::Transaction& tx) { return store_->LoadVacancyEvents(tx, 0, 0); });
  if (!bounds.ok()) return watch.End(ToGrpcStatus(bounds.status()));
  const int64_t resume = watch.request.resume_after_sequence();
  if (resume == 0) {
    watch.cursor = bounds->latest;
  } else if (resume > bounds->latest) {
    watch.End(ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat(
        "resume_after_sequence ", resume, " is ahead of the stream (", bounds->latest, ")"))));
  } else if (resume < bounds->floor) {
    absl::Status gone =
        absl::OutOfRangeError(absl::StrCat("history before sequence ", bounds->floor,
                                           " is not retained: resubscribe with include_snapshot"));
    SetErrorInfo(gone, "HISTORY_NOT_RETAINED");
    watch.End(ToGrpcStatus(gone));
  } else {
    watch.cursor = resume;
  }
}

void VacancyWatchHub::Step() {
  std::vector<std::shared_ptr<WatchState>> watches;
  {
    absl::MutexLock lock(&mu_);
    watches_.erase(
        std::remove_if(watches_.begin(), watches_.end(), [](const auto& w) { return w->ended(); }),
        watches_.end());
    watches = watches_;
  }
  for (const auto& w : watches) {
    if (!w->begun) Begin(*w);
  }
  int64_t from = std::numeric_limits<int64_t>::max();
  for (const auto& w : watches) {
    if (!w->ended() && !w->backlogged(options_.max_queued_messages))
      from = std::min(from, w->cursor);
  }
  const absl::Time now = absl::Now();
  if (from != std::numeric_limits<int64_t>::max()) {
    absl::StatusOr<VacancyEventPage> page = InReadTransaction(*db_, [&](store::Transaction& tx) {
      return store_->LoadVacancyEvents(tx, from, options_.events_per_read);
    });
    if (!page.ok()) {
      LogWarning("vacancy_watch_read_failed").Str("error", page.status().ToString());
      return;
    }
    for (const auto& w : watches) {
      if (w->ended() || w->backlogged(options_.max_queued_messages)) continue;
      for (Response& m : Messages(*w, *page, options_.events_per_message, options_.stale_after)) {
        w->Push(std::move(m));
        w->last_push = now;
      }
    }
  }
  for (const auto& w : watches) {
    const absl::Duration every =
        w->request.has_heartbeat()
            ? absl::Seconds(w->request.heartbeat().seconds()) +
                  absl::Nanoseconds(w->request.heartbeat().nanos())
            : options_.heartbeat;
    if (w->ended() || now - w->last_push < every) continue;
    Response heartbeat;
    heartbeat.set_last_sequence(w->cursor);
    w->Push(std::move(heartbeat));
    w->last_push = now;
  }
}

}  // namespace slihub::placement
