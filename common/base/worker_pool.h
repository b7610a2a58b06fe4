// A fixed pool of threads that runs blocking work (SQLite, Redis, peer calls) off gRPC's threads.
#ifndef SLIHUB_COMMON_BASE_WORKER_POOL_H_
#define SLIHUB_COMMON_BASE_WORKER_POOL_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace slihub {

// Runs submitted tasks on `threads` threads, first in first out, with at most `max_queued`
// tasks waiting. Thread-safe. The destructor calls Shutdown().
class WorkerPool {
 public:
  WorkerPool(size_t threads, size_t max_queued);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`. Returns false, without running it, when the queue is full or the pool is
  // shutting down: the caller answers RESOURCE_EXHAUSTED or UNAVAILABLE.
  bool TrySubmit(std::function<void()> task);

  // Stops taking tasks, runs every task already queued, and joins the threads. Idempotent;
  // call from one thread at a time, never from a task.
  void Shutdown();

  // Tasks queued but not started (for metrics and tests).
  size_t queued() const;

 private:
  void Loop();
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  const size_t max_queued_;
  std::vector<std::thread> threads_;
};

}  // namespace slihub

#endif  // SLIHUB_COMMON_BASE_WORKER_POOL_H_
