// The one thread that appends to a server's audit trail: entries queue from any thread and are
// committed in batches (one write transaction per batch: group commit).
#ifndef SLIHUB_COMMON_AUDIT_AUDIT_WRITER_H_
#define SLIHUB_COMMON_AUDIT_AUDIT_WRITER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/audit/audit_entry.h"
#include "common/audit/audit_store.h"
#include "common/store/database.h"

namespace slihub::audit {

// Tuning for AuditWriter. Plain data.
struct AuditWriterOptions {
  int max_batch = 512;            // entries committed in one transaction at most
  int64_t head_log_every = 1000;  // log the chain head every this many entries (and at Stop)
};

// Appends entries to the trail in `db` (migrated with AuditMigrations; not owned, must outlive
// the writer), assigning each its sequence, prev_hash and entry_hash. Thread-safe.
class AuditWriter {
 public:
  // Called once an entry is committed (OK) or could not be (the store's error), on the writer's
  // thread; must not block and must not call Append.
  using Done = std::function<void(const absl::Status&)>;

  // Reads the chain head and starts the thread. Store errors.
  static absl::StatusOr<std::unique_ptr<AuditWriter>> Start(store::Database* db,
                                                            AuditWriterOptions options = {});
  // Stops as Stop does.
  ~AuditWriter();

  // Queues `entry` (its sequence and hashes are overwritten); never blocks on the store. `done`
  // (may be empty) hears the outcome; after Stop it hears Unavailable at once.
  void Append(AuditEntry entry, Done done);

  // Commits everything queued, logs the chain head, and joins the thread. Idempotent.
  void Stop();

  // The head as last committed.
  ChainHead head() const;

 private:
  struct Pending {
    AuditEntry entry;
    Done done;
  };
  AuditWriter(store::Database* db, AuditWriterOptions options, ChainHead head);
  void Run();
  void CommitBatch(std::deque<Pending>* batch);
  void LogHead(const char* event) const;

  store::Database* const db_;
  const AuditWriterOptions options_;
  mutable absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  ChainHead head_ ABSL_GUARDED_BY(mu_);  // written only by the writer thread
  int64_t logged_at_ = 0;                // writer thread only
  std::thread thread_;
};

}  // namespace slihub::audit

#endif  // SLIHUB_COMMON_AUDIT_AUDIT_WRITER_H_
