#include "common/identity/authenticator.h"

#include <utility>

#include "absl/status/status.h"
#include "common/base/log.h"
#include "common/errors/errors.h"
#include "common/identity/token_codec.h"

namespace slihub {
namespace {

absl::Status Unauthenticated(absl::string_view message, absl::string_view reason) {
  absl::Status status = absl::UnauthenticatedError(message);
  SetErrorInfo(status, reason);
  return status;
}

}  // namespace

Authenticator::Authenticator(Loader loader, absl::Duration refresh)
    : loader_(std::move(loader)), refresh_(refresh), snapshot_(std::make_shared<Snapshot>()) {}

Authenticator::~Authenticator() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (refresher_.joinable()) refresher_.join();
}

absl::Status Authenticator::Start() {
  absl::Status status = ReloadSince(absl::Now());
  if (!status.ok()) return status;
  refresher_ = std::thread([this] { RefreshLoop(); });
  return absl::OkStatus();
}

absl::Status Authenticator::Reload() { return LoadSnapshot(); }

absl::Status Authenticator::LoadSnapshot() const {
  absl::StatusOr<std::vector<ActiveToken>> tokens = loader_();
  if (!tokens.ok()) return tokens.status();
  auto next = std::make_shared<Snapshot>();
  for (ActiveToken& token : *tokens) {
    (*next)[std::move(token.token_hash)] = std::move(token.principal);
  }
  absl::MutexLock lock(&mu_);
  snapshot_ = std::move(next);
  return absl::OkStatus();
}

absl::Status Authenticator::ReloadSince(absl::Time asked) const {
  absl::MutexLock lock(&reload_mu_);
  if (last_reload_start_ >= asked) return last_reload_status_;  // a later reload has finished
  const absl::Duration wait = last_reload_start_ + kMinReloadGap - absl::Now();
  if (wait > absl::ZeroDuration()) absl::SleepFor(wait);
  last_reload_start_ = absl::Now();
  last_reload_status_ = LoadSnapshot();
  return last_reload_status_;
}

void Authenticator::RefreshLoop() {
  while (!stop_.WaitForNotificationWithTimeout(refresh_)) {
    absl::Status status = ReloadSince(absl::Now());
    if (!status.ok()) {
      LogWarning("token_reload_failed").Str("error", status.ToString());
    }
  }
}

absl::StatusOr<Principal> Authenticator::Authenticate(absl::string_view authorization,
                                                      absl::Time now) const {
  if (authorization.empty()) {
    return Unauthenticated("no authorization: send 'authorization: Bearer <token>'",
                           "TOKEN_MISSING");
  }
  absl::string_view token = BearerToken(authorization);
  if (token.empty()) {
    return Unauthenticated("authorization must be 'Bearer <token>'", "TOKEN_MISSING");
  }
  std::shared_ptr<const Snapshot> snapshot;
  {
    absl::MutexLock lock(&mu_);
    snapshot = snapshot_;
  }
  auto it = snapshot->find(HashToken(token));
  if (it == snapshot->end()) {
    return Unauthenticated("the token is unknown or revoked", "TOKEN_UNKNOWN");
  }
  if (it->second.expire_time <= now) {
    return Unauthenticated("the token has expired", "TOKEN_EXPIRED");
  }
  return it->second;
}

}  // namespace slihub
