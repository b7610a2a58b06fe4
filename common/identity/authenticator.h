// Verifies bearer tokens against an in-memory snapshot of the hub's token table, reloaded on a
// background thread so that no gRPC thread ever waits on the store.
#ifndef SLIHUB_COMMON_IDENTITY_AUTHENTICATOR_H_
#define SLIHUB_COMMON_IDENTITY_AUTHENTICATOR_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/identity/principal.h"

namespace slihub {

// An issued, unrevoked token as stored: its hash and the principal it speaks for.
struct ActiveToken {
  std::string token_hash;
  Principal principal;
};

// Maps "authorization: Bearer <token>" to a Principal. Thread-safe. Revocations and new tokens
// take effect within one refresh interval.
class Authenticator {
 public:
  // Returns every active (unrevoked) token; called at Start() and then every `refresh`.
  using Loader = std::function<absl::StatusOr<std::vector<ActiveToken>>()>;

  Authenticator(Loader loader, absl::Duration refresh);
  ~Authenticator();
  Authenticator(const Authenticator&) = delete;
  Authenticator& operator=(const Authenticator&) = delete;

  // Loads the first snapshot (its error is returned: start-up fails fast) and starts reloading.
  absl::Status Start();

  // The principal for an authorization header value. Unauthenticated, with an ErrorInfo reason
  // (TOKEN_MISSING, TOKEN_UNKNOWN, TOKEN_EXPIRED), when there is no valid token. Never blocks.
  absl::StatusOr<Principal> Authenticate(absl::string_view authorization, absl::Time now) const;

  // Reloads the snapshot now (tests). Keeps the old one on error.
  absl::Status Reload();

  // Makes sure a reload that started at or after `asked` has finished (for a token unknown at
  // `asked`: one created since then is then known). Single flight: concurrent callers share one
  // reload; reloads start at least kMinReloadGap apart (rate limit). Blocks on the store and on
  // other callers: call on a worker thread, never on a gRPC reaction thread.
  // Const: the snapshot is a cache of the token table, and callers hold a const Authenticator.
  absl::Status ReloadSince(absl::Time asked) const;

  // The least time between two reloads' starts.
  static constexpr absl::Duration kMinReloadGap = absl::Milliseconds(25);

 private:
  using Snapshot = absl::flat_hash_map<std::string, Principal>;
  void RefreshLoop();
  absl::Status LoadSnapshot() const;  // Reload's work: replaces the snapshot, or keeps it

  const Loader loader_;
  const absl::Duration refresh_;
  mutable absl::Mutex mu_;
  mutable std::shared_ptr<const Snapshot> snapshot_ ABSL_GUARDED_BY(mu_);
  mutable absl::Mutex reload_mu_;  // held for a whole ReloadSince: one reload at a time
  mutable absl::Time last_reload_start_ ABSL_GUARDED_BY(reload_mu_) = absl::InfinitePast();
  mutable absl::Status last_reload_status_ ABSL_GUARDED_BY(reload_mu_);
  absl::Notification stop_;
  std::thread refresher_;
};

}  // namespace slihub

#endif  // SLIHUB_COMMON_IDENTITY_AUTHENTICATOR_H_
