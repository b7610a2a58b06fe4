#include "services/workforce/adapter/import_stream.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/server/request_fields.h"
#include "common/errors/grpc_status.h"

namespace slihub::workforce {
namespace {

// The longest request_id of a stream: its chunks add ":<n>" within kMaxRequestIdLength.
constexpr size_t kMaxStreamIdLength = kMaxRequestIdLength - 12;

}  // namespace

ImportStreamReactor::ImportStreamReactor(const CallRuntime& runtime,
                                         grpc::CallbackServerContext* context,
                                         const MethodSpec& method,
                                         ChunkRecorder record,
                                         v1::ImportEmploymentPeriodsResponse* response)
    : pool_(runtime.pool),
      context_(context),
      method_(method.name),
      record_(std::move(record)),
      response_(response) {
  absl::StatusOr<Principal> admitted =
      AdmitCall(runtime, context, method, &request_id_, &subject_);
  if (!admitted.ok()) {
    Complete(admitted.status());
    return;
  }
  principal_ = *std::move(admitted);
  response_->mutable_counts();
  StartRead(&incoming_);
}

void ImportStreamReactor::OnReadDone(bool ok) {
  if (!ok) {
    if (context_->IsCancelled()) {
      Complete(absl::CancelledError("the client cancelled the import"));
    } else {
      Schedule(/*last=*/true);
    }
    return;
  }
  if (!seen_first_) {
    seen_first_ = true;
    import_id_ = incoming_.request_id();
    // Each chunk is idempotent under "<request_id>:<n>", so the stream's id leaves room for it.
    FieldViolations violations;
    CheckRequestId(import_id_, "request_id", &violations);
    if (violations.empty() && import_id_.size() > kMaxStreamIdLength) {
      violations.Add("request_id", absl::StrCat("must be at most ", kMaxStreamIdLength,
                                                " characters in a stream"));
    }
    if (!violations.empty()) {
      Complete(violations.ToStatus());
      return;
    }
  } else if (incoming_.request_id() != import_id_) {
    Complete(InvalidArgumentError(
        "request_id changed mid-stream",
        {{"request_id", "must be the same in every message of the stream"}}));
    return;
  }
  // Checked before anything of this message is recorded: a stream over a limit ends here, and
  // only chunks recorded before it stay (each its own transaction, replayed by a retry).
  ++messages_;
  const int64_t periods = int64_t{recorded_} + pending_.periods_size() + incoming_.periods_size();
  if (messages_ > kMaxMessages || periods > kMaxPeriods) {
    Complete(InvalidArgumentError(
        "the import is too long",
        {{"periods", absl::StrCat("an import holds at most ", kMaxPeriods, " periods in at most ",
                                  kMaxMessages, " messages; split the file over several imports")}}));
    return;
  }
  for (v1::EmploymentPeriod& period : *incoming_.mutable_periods()) {
    *pending_.add_periods() = std::move(period);
  }
  incoming_.Clear();
  if (pending_.periods_size() >= kChunkPeriods) {
    Schedule(/*last=*/false);
  } else {
    StartRead(&incoming_);
  }
}

void ImportStreamReactor::Schedule(bool last) {
  if (!pool_->TrySubmit([this, last] { RecordPending(last); })) {
    absl::Status busy = absl::ResourceExhaustedError("the server is busy; retry with backoff");
    SetErrorInfo(busy, "SERVER_BUSY");
    Complete(busy);
  }
}

void ImportStreamReactor::RecordPending(bool last) {
  const CallInfo call(&principal_, &request_id_, context_, &method_);
  while (pending_.periods_size() >= kChunkPeriods ||
         (last && pending_.periods_size() > 0)) {
    if (call.cancelled()) {
      Complete(absl::CancelledError("the client cancelled the import"));
      return;
    }
    const int n = std::min(pending_.periods_size(), kChunkPeriods);
    v1::BatchRecordEmploymentPeriodsRequest chunk;
    chunk.set_request_id(absl::StrCat(import_id_, ":", chunks_));
    auto* periods = pending_.mutable_periods();
    for (int i = 0; i < n; ++i) *chunk.add_periods() = std::move(*periods->Mutable(i));
    periods->DeleteSubrange(0, n);
    v1::BatchRecordEmploymentPeriodsResponse result;
    if (absl::Status recorded = record_(call, chunk, &result); !recorded.ok()) {
      Complete(recorded);
      return;
    }
    v1::RecordCounts* counts = response_->mutable_counts();
    counts->set_created(counts->created() + result.counts().created());
    counts->set_updated(counts->updated() + result.counts().updated());
    counts->set_unchanged(counts->unchanged() + result.counts().unchanged());
    counts->set_rejected(counts->rejected() + result.counts().rejected());
    for (v1::EmploymentPeriodResult& r : *result.mutable_results()) {
      if (r.outcome() != v1::RECORD_OUTCOME_REJECTED) continue;
      r.set_index(r.index() + recorded_);
      *response_->add_rejected() = std::move(r);
    }
    recorded_ += n;
    ++chunks_;
  }
  if (last) {
    Complete(absl::OkStatus());
  } else {
    StartRead(&incoming_);
  }
}

void ImportStreamReactor::Complete(const absl::Status& status) {
  // Logged first: once Finish is called gRPC may destroy this reactor at any moment.
  LogCall(method_, request_id_, subject_, status, start_);
  Finish(ToGrpcStatus(status));
}

}  // namespace slihub::workforce
