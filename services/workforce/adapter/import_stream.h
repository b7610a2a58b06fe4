// The ImportEmploymentPeriods client stream: any number of periods, recorded in chunks.
#ifndef SLIHUB_SERVICES_WORKFORCE_ADAPTER_IMPORT_STREAM_H_
#define SLIHUB_SERVICES_WORKFORCE_ADAPTER_IMPORT_STREAM_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/base/worker_pool.h"
#include "common/identity/principal.h"
#include "common/server/unary_call.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"

namespace slihub::workforce {

// Serves one stream: reads the client's messages and, every kChunkPeriods periods and at the
// end, records a chunk on the worker pool through `record` (the batch RPC's own logic, one
// transaction per chunk, idempotent per chunk under "<request_id>#<chunk number>", so a retried
// import replays what was recorded). Reads pause while a chunk is being recorded, so memory
// stays bounded. When the client closes the stream, answers with the counts and the rejected
// periods (indexes in stream order). A request_id that changes mid-stream ends the call with
// INVALID_ARGUMENT; a store failure ends it with that error, earlier chunks staying recorded.
// Deletes itself when gRPC is done with it.
class ImportStreamReactor final
    : public grpc::ServerReadReactor<v1::ImportEmploymentPeriodsRequest> {
 public:
  // Records one chunk as BatchRecordEmploymentPeriods would.
  using ChunkRecorder = std::function<absl::Status(
      const CallInfo& call, const v1::BatchRecordEmploymentPeriodsRequest& chunk,
      v1::BatchRecordEmploymentPeriodsResponse* result)>;
  static constexpr int kChunkPeriods = 1000;
  // The longest import: periods in all, and messages (empty ones included).
  static constexpr int kMaxPeriods = 100000;
  static constexpr int kMaxMessages = 10000;

  // Admits the caller as `method` declares and starts reading, or answers the admission error.
  ImportStreamReactor(const CallRuntime& runtime, grpc::CallbackServerContext* context,
                      const MethodSpec& method, ChunkRecorder record,
                      v1::ImportEmploymentPeriodsResponse* response);

  void OnReadDone(bool ok) override;
  void OnDone() override { delete this; }

 private:
  // On the pool: records full chunks (and, when `last`, the remainder), then reads on or answers.
  void RecordPending(bool last);
  // Queues RecordPending on the pool, or answers RESOURCE_EXHAUSTED when it is full.
  void Schedule(bool last);
  void Complete(const absl::Status& status);

  WorkerPool* pool_;
  grpc::CallbackServerContext* context_;
  const std::string method_;
  ChunkRecorder record_;
  v1::ImportEmploymentPeriodsResponse* response_;
  absl::Time start_ = absl::Now();
  std::string request_id_;  // the call's x-request-id
  std::string subject_;
  Principal principal_;
  bool seen_first_ = false;
  std::string import_id_;   // the import's idempotency key (the messages' request_id)
  v1::ImportEmploymentPeriodsRequest incoming_;
  v1::BatchRecordEmploymentPeriodsRequest pending_;
  int chunks_ = 0;
  int recorded_ = 0;  // periods before pending_ in stream order
  int messages_ = 0;  // messages read
};

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_ADAPTER_IMPORT_STREAM_H_
