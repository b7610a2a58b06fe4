#include "common/server/peer_clients.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/base/log.h"
#include "common/security/machine_identity.h"
#include "common/security/tls_credentials.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "slihub/common/v1/diagnostics_service.grpc.pb.h"

namespace slihub {
namespace {

std::string PeerName(const std::string& service) { return absl::StrCat("peer.", service); }

// The token in the file at `path` (whitespace stripped), or "" when unreadable or empty.
std::string ReadToken(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return "";
  return std::string(absl::StripAsciiWhitespace(text.str()));
}

}  // namespace

absl::StatusOr<std::unique_ptr<PeerClients>> PeerClients::Create(const ServerConfig& config,
                                                                 DependencyMonitor* monitor) {
  auto peers = std::make_unique<PeerClients>();
  peers->deadline_ = absl::Milliseconds(config.peer_deadline_ms);
  if (config.service_endpoints.empty()) return peers;
  // Under TLS this server's certificate is its identity (a service token would be refused).
  if (!config.tls_enabled()) {
    peers->token_file_ = config.service_token_file;
    peers->token_stamp_ = peers->StampOf();
    const std::string token = ReadToken(config.service_token_file);
    if (token.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--service-token-file: cannot read a token from '", config.service_token_file, "'"));
    }
    absl::MutexLock lock(&peers->mu_);
    peers->authorization_ = absl::StrCat("Bearer ", token);
  }
  // Under TLS each callee must present its own certificate: this hub's region, that service.
  for (const auto& [service, address] : config.service_endpoints) {
    peers->channels_[service] = grpc::CreateChannel(
        address, config.tls_enabled()
                     ? security::MakeChannelCredentials(
                           security::TlsFilesOf(config),
                           security::MachineUri({config.hub_region, service}))
                     : grpc::InsecureChannelCredentials());
  }
  if (monitor != nullptr) {
    for (const auto& entry : peers->channels_) monitor->Register(PeerName(entry.first), false);
    const absl::Duration interval = absl::Milliseconds(config.health_probe_ms);
    PeerClients* self = peers.get();
    peers->probe_ = std::thread([self, monitor, interval] { self->ProbeLoop(monitor, interval); });
  }
  return peers;
}

PeerClients::~PeerClients() {
  stop_.Notify();
  if (probe_.joinable()) probe_.join();
}

std::shared_ptr<grpc::Channel> PeerClients::Channel(absl::string_view service) const {
  auto it = channels_.find(service);
  return it == channels_.end() ? nullptr : it->second;
}

void PeerClients::Prepare(grpc::ClientContext* context) const { Prepare(context, deadline_); }

void PeerClients::Prepare(grpc::ClientContext* context, absl::Duration deadline) const {
  context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  const std::string token = authorization();
  if (!token.empty()) context->AddMetadata("authorization", token);
}

std::string PeerClients::authorization() const {
  absl::MutexLock lock(&mu_);
  return authorization_;
}

PeerClients::FileStamp PeerClients::StampOf() const {
  struct stat info;
  if (stat(token_file_.c_str(), &info) != 0) return FileStamp();
  FileStamp stamp;
  stamp.mtime_ns = static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
  stamp.size = static_cast<int64_t>(info.st_size);
  stamp.inode = static_cast<uint64_t>(info.st_ino);
  return stamp;
}

void PeerClients::ReloadTokenIfChanged() {
  const FileStamp stamp = StampOf();
  if (stamp.mtime_ns < 0 || stamp == token_stamp_) return;
  const std::string token = ReadToken(token_file_);
  if (token.empty()) return;  // mid-write or removed: keep the token in use, look again later
  token_stamp_ = stamp;
  const std::string authorization = absl::StrCat("Bearer ", token);
  {
    absl::MutexLock lock(&mu_);
    if (authorization_ == authorization) return;
    authorization_ = authorization;
  }
  LogLine(LogLevel::kInfo, "service_token_reloaded").Str("file", token_file_);
}

// Up when `channel`'s server is SERVING and accepts the service token (or, under TLS, this
// server's certificate); otherwise the reason.
absl::Status PeerClients::ProbeOnce(const std::shared_ptr<grpc::Channel>& channel) const {
  grpc::ClientContext health_context;
  health_context.set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
  grpc::health::v1::HealthCheckResponse health;
  const grpc::Status reached = grpc::health::v1::Health::NewStub(channel)->Check(
      &health_context, grpc::health::v1::HealthCheckRequest(), &health);
  if (!reached.ok()) {
    return absl::UnavailableError(absl::StrCat("unreachable: ", reached.error_message()));
  }
  if (health.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
    return absl::UnavailableError("not serving");
  }
  grpc::ClientContext who_context;
  Prepare(&who_context);
  common::v1::WhoAmIResponse who;
  const grpc::Status accepted = common::v1::DiagnosticsService::NewStub(channel)->WhoAmI(
      &who_context, common::v1::WhoAmIRequest(), &who);
  if (!accepted.ok()) {
    bool by_token = false;
    {
      absl::MutexLock lock(&mu_);
      by_token = !authorization_.empty();
    }
    return absl::PermissionDeniedError(absl::StrCat(
        by_token ? "service token refused: " : "service certificate refused: ",
        accepted.error_message()));
  }
  return absl::OkStatus();
}

void PeerClients::ProbeLoop(DependencyMonitor* monitor, absl::Duration interval) {
  do {
    ReloadTokenIfChanged();
    for (const auto& [service, channel] : channels_) {
      const absl::Status probe = ProbeOnce(channel);
      monitor->Set(PeerName(service), probe.ok() ? DependencyState::kUp : DependencyState::kDegraded,
                   std::string(probe.message()));
    }
  } while (!stop_.WaitForNotificationWithTimeout(interval));
}

}  // namespace slihub
