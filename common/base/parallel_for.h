// Splits a loop of independent iterations between the calling thread and a worker pool, for
// CPU-bound work inside one request (a rug's rows) that would otherwise run on one core.
#ifndef SLIHUB_COMMON_BASE_PARALLEL_FOR_H_
#define SLIHUB_COMMON_BASE_PARALLEL_FOR_H_

#include <cstddef>

#include "absl/functional/function_ref.h"
#include "common/base/worker_pool.h"

namespace slihub {

// Runs fn(i) once for every i in [0, n) and returns when all have returned. The calling thread
// takes iterations itself and queues up to `helpers` tasks on `pool` (none when `pool` is null)
// that take iterations too; a helper that starts after the loop is finished does nothing, so a
// busy or full pool only means the caller does more of the work, never that it waits for a queue.
// `fn` must be safe to call concurrently for distinct i. Never call from a task that `pool` would
// need in order to finish (it does not wait for queued tasks, only for running iterations).
void ParallelFor(WorkerPool* pool, size_t helpers, size_t n, absl::FunctionRef<void(size_t)> fn);

// One helper per core beyond the calling thread's (0 on one core): the usual `helpers`.
size_t SpareCores();

}  // namespace slihub

#endif  // SLIHUB_COMMON_BASE_PARALLEL_FOR_H_
