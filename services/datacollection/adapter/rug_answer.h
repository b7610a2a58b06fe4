// The wire bytes of a GetBenchmarkResponse that holds only a rug, serialized once per computed rug
// and shared by every call that answers with it.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_RUG_ANSWER_H_
#define SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_RUG_ANSWER_H_

#include <string>

#include "common/base/worker_pool.h"
#include "slihub/datacollection/v1/benchmark.pb.h"

namespace slihub::datacollection {

// GetBenchmarkResponse{benchmark: *rug} as bytes. The rows (most of a rug) are serialized on the
// calling thread and, when `pool` is given, on helper tasks there; the bytes parse to a message
// equal to *rug. `rug` is mutated while this runs (its rows are set aside while the rest is
// serialized) and is as before when it returns; no other thread may read it meanwhile.
std::string SerializeRugAnswer(v1::Benchmark* rug, WorkerPool* pool);

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_RUG_ANSWER_H_
