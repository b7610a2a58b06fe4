#include "common/audit/audit_writer.h"

#include <utility>
#include <vector>

#include "common/base/log.h"

namespace slihub::audit {

absl::StatusOr<std::unique_ptr<AuditWriter>> AuditWriter::Start(store::Database* db,
                                                                AuditWriterOptions options) {
  ChainHead head;
  absl::Status read = db->Run(store::TxMode::kRead, [&head](store::Transaction& tx) {
    absl::StatusOr<ChainHead> found = ReadChainHead(tx);
    if (!found.ok()) return found.status();
    head = *std::move(found);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  std::unique_ptr<AuditWriter> writer(new AuditWriter(db, options, std::move(head)));
  writer->LogHead("audit_chain_head_at_start");
  writer->thread_ = std::thread([w = writer.get()] { w->Run(); });
  return writer;
}

AuditWriter::AuditWriter(store::Database* db, AuditWriterOptions options, ChainHead head)
    : db_(db), options_(options), head_(std::move(head)) {
  logged_at_ = head_.sequence;
}

AuditWriter::~AuditWriter() { Stop(); }

void AuditWriter::Append(AuditEntry entry, Done done) {
  {
    absl::MutexLock lock(&mu_);
    if (!stopping_) {
      queue_.push_back(Pending{std::move(entry), std::move(done)});
      return;
    }
  }
  if (done) done(absl::UnavailableError("the audit trail is closed: the server is stopping"));
}

void AuditWriter::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  if (thread_.joinable()) {
    thread_.join();
    LogHead("audit_chain_head_at_stop");
  }
}

ChainHead AuditWriter::head() const {
  absl::MutexLock lock(&mu_);
  return head_;
}

void AuditWriter::LogHead(const char* event) const {
  const ChainHead now = head();
  LogInfo(event).Int("sequence", now.sequence).Str("hash", HexOf(now.hash));
}

void AuditWriter::Run() {
  while (true) {
    std::deque<Pending> batch;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](AuditWriter* w) ABSL_EXCLUSIVE_LOCKS_REQUIRED(w->mu_) {
            return w->stopping_ || !w->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping, and everything queued is committed
      const size_t take = std::min(queue_.size(), static_cast<size_t>(options_.max_batch));
      for (size_t i = 0; i < take; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    CommitBatch(&batch);
  }
}

void AuditWriter::CommitBatch(std::deque<Pending>* batch) {
  ChainHead head = this->head();
  absl::Status committed = db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
    ChainHead next = head;
    for (Pending& pending : *batch) {
      AuditEntry& entry = pending.entry;
      entry.sequence = next.sequence + 1;
      entry.prev_hash = next.hash;
      entry.entry_hash = ComputeEntryHash(entry);
      if (absl::Status inserted = InsertEntry(tx, entry); !inserted.ok()) return inserted;
      next = ChainHead{entry.sequence, entry.entry_hash};
    }
    head = next;
    return absl::OkStatus();
  });
  if (committed.ok()) {
    absl::MutexLock lock(&mu_);
    head_ = head;
  } else {
    LogError("audit_append_failed")
        .Int("entries", static_cast<int64_t>(batch->size()))
        .Str("error", committed.ToString());
  }
  for (Pending& pending : *batch) {
    if (pending.done) pending.done(committed);
  }
  if (committed.ok() && options_.head_log_every > 0 &&
      head.sequence - logged_at_ >= options_.head_log_every) {
    logged_at_ = head.sequence;
    LogHead("audit_chain_head");
  }
}

}  // namespace slihub::audit
