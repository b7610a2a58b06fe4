// The wire bytes of a GetBenchmarkResponse that holds only a rug, serialized once per computed rug
// and shared by every call that answers with it, and the answer of one call built around them.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_RUG_ANSWER_H_
#define SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_RUG_ANSWER_H_

#include <memory>
#include <string>

#include "common/base/worker_pool.h"
#include "grpcpp/support/byte_buffer.h"
#include "slihub/datacollection/v1/benchmark.pb.h"
#include "slihub/datacollection/v1/datacollection_service.pb.h"

namespace slihub::datacollection {

// GetBenchmarkResponse{benchmark: *rug} as bytes. The rows (most of a rug) are serialized on the
// calling thread and, when `pool` is given, on helper tasks there; the bytes parse to a message
// equal to *rug. `rug` is mutated while this runs (its rows are set aside while the rest is
// serialized) and is as before when it returns; no other thread may read it meanwhile.
std::string SerializeRugAnswer(v1::Benchmark* rug, WorkerPool* pool);

// One call's answer: `answer` (SerializeRugAnswer's bytes) with the call's own fields of
// `per_call` added, where `per_call.benchmark()` sets only fields the cached rug leaves unset
// (as_of_time); it parses to the answer merged with `per_call`. The rug goes out as ONE
// length-delimited `benchmark` field, so every protobuf decoder reads the same message
// (protobufjs, used by @grpc/proto-loader, keeps only the last occurrence of a message field
// instead of merging them). `answer` is not copied: the buffer holds `owner` (what keeps `answer`
// alive) until gRPC has sent it.
grpc::ByteBuffer RugAnswerForCall(const std::string& answer, std::shared_ptr<const void> owner,
                                  v1::GetBenchmarkResponse per_call);

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_RUG_ANSWER_H_
