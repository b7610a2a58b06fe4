// The write side of one server stream: queued messages written one at a time, and an end that
// finishes the stream exactly once, after the write in flight, however the stream ended (the
// client cancelled, a write failed, the server ended it). Templated on the sink so that the order
// of gRPC's callbacks can be tested without a server.
#ifndef SLIHUB_SERVICES_PLACEMENT_ADAPTER_WATCH_WRITER_H_
#define SLIHUB_SERVICES_PLACEMENT_ADAPTER_WATCH_WRITER_H_

#include <deque>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/support/status.h"

namespace slihub::placement {

// `Sink` has StartWrite(const Message*) and Finish(grpc::Status), as grpc::ServerWriteReactor.
// Thread-safe: called from the feeding thread and from gRPC's callbacks.
template <typename Message, typename Sink>
class WatchWriter {
 public:
  // The sink once it exists (its constructor), cleared when gRPC is done with it (OnDone).
  void Attach(Sink* sink) {
    absl::MutexLock lock(&mu_);
    sink_ = sink;
    if (finishing_ && !writing_) FinishLocked();  // ended before the sink existed
  }
  void Detach() {
    absl::MutexLock lock(&mu_);
    sink_ = nullptr;
    done_ = true;
  }

  // Queues `message` and starts writing it when no write is in flight; dropped once ending.
  void Push(Message message) {
    absl::MutexLock lock(&mu_);
    if (finishing_) return;
    queue_.push_back(std::move(message));
    PumpLocked();
  }

  // Ends the stream with `status` (after the write in flight, if any); the first end wins.
  void End(grpc::Status status) {
    absl::MutexLock lock(&mu_);
    EndLocked(std::move(status));
  }

  // The sink's write finished; `ok` false means the stream broke (cancelled or closed).
  void WriteDone(bool ok) {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) EndLocked(grpc::Status(grpc::StatusCode::CANCELLED, "the stream broke"));
    if (finishing_) {
      FinishLocked();  // also when the end came while this write was in flight
    } else {
      PumpLocked();
    }
  }

  // True once the stream is ending or gone.
  bool ended() const {
    absl::MutexLock lock(&mu_);
    return finishing_ || done_;
  }
  // Messages queued and not yet started.
  size_t queued() const {
    absl::MutexLock lock(&mu_);
    return queue_.size();
  }

 private:
  void PumpLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (writing_ || sink_ == nullptr || queue_.empty()) return;
    current_ = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    sink_->StartWrite(&current_);
  }
  void EndLocked(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finishing_) return;
    finishing_ = true;
    status_ = std::move(status);
    queue_.clear();
    if (!writing_) FinishLocked();
  }
  void FinishLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_ || sink_ == nullptr) return;
    finished_ = true;
    sink_->Finish(status_);
  }

  mutable absl::Mutex mu_;
  Sink* sink_ ABSL_GUARDED_BY(mu_) = nullptr;
  std::deque<Message> queue_ ABSL_GUARDED_BY(mu_);
  Message current_ ABSL_GUARDED_BY(mu_);  // the message in flight
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finishing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
};

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_ADAPTER_WATCH_WRITER_H_
