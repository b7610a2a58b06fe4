#include "common/base/parallel_for.h"

#include <atomic>
#include <memory>
#include <thread>

#include "absl/synchronization/mutex.h"

namespace slihub {
namespace {

// Shared by the caller and its helpers; outlives the call when a helper starts late.
struct LoopState {
  LoopState(size_t n, absl::FunctionRef<void(size_t)>* fn) : n(n), fn(fn) {}

  // Takes iterations until none are left; `fn` is only touched for an iteration taken, which the
  // caller is still waiting for.
  void Work() {
    size_t finished = 0;
    for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
      (*fn)(i);
      ++finished;
    }
    if (finished == 0) return;
    absl::MutexLock lock(&mu);
    done += finished;
  }

  const size_t n;
  absl::FunctionRef<void(size_t)>* const fn;
  std::atomic<size_t> next{0};
  absl::Mutex mu;
  size_t done ABSL_GUARDED_BY(mu) = 0;
};

}  // namespace

void ParallelFor(WorkerPool* pool, size_t helpers, size_t n, absl::FunctionRef<void(size_t)> fn) {
  if (n == 0) return;
  auto state = std::make_shared<LoopState>(n, &fn);
  if (pool != nullptr) {
    for (size_t h = 0; h < helpers && h + 1 < n; ++h) {
      if (!pool->TrySubmit([state] { state->Work(); })) break;
    }
  }
  state->Work();
  absl::MutexLock lock(&state->mu);
  state->mu.Await(absl::Condition(
      +[](LoopState* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu) { return s->done == s->n; },
      state.get()));
}

size_t SpareCores() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores > 1 ? cores - 1 : 0;
}

}  // namespace slihub
