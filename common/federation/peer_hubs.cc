#include "common/federation/peer_hubs.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace slihub::federation {
namespace {

absl::Status LineError(int line, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("peers file line ", line, ": ", message));
}

bool ValidEndpoint(absl::string_view endpoint) {
  const size_t colon = endpoint.rfind(':');
  if (colon == absl::string_view::npos || colon == 0) return false;
  int port = 0;
  return absl::SimpleAtoi(endpoint.substr(colon + 1), &port) && port > 0 && port < 65536;
}

absl::StatusOr<std::string> ReadToken(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read token file ", path));
  std::stringstream text;
  text << in.rdbuf();
  std::string token(absl::StripAsciiWhitespace(text.str()));
  if (token.empty()) return absl::InvalidArgumentError(absl::StrCat("token file ", path, " is empty"));
  return token;
}

}  // namespace

absl::StatusOr<std::vector<PeerHubSpec>> ParsePeersFile(absl::string_view text,
                                                        const std::string& service,
                                                        const std::string& own_region,
                                                        const ReferenceData& refdata,
                                                        bool certificates) {
  std::vector<PeerHubSpec> specs;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || absl::StartsWith(line, "#")) continue;
    std::vector<std::string> fields = absl::StrSplit(line, ',');
    if (fields.size() != 4 && !(certificates && fields.size() == 3)) {
      return LineError(line_number, "expected region,service,host:port,token_file");
    }
    for (std::string& field : fields) field = std::string(absl::StripAsciiWhitespace(field));
    if (fields[1] != service) continue;
    if (refdata.FindRegion(fields[0]) == nullptr) {
      return LineError(line_number, absl::StrCat("'", fields[0], "' is not a region"));
    }
    if (fields[0] == own_region) {
      return LineError(line_number, absl::StrCat(fields[0], " is this hub's own region"));
    }
    for (const PeerHubSpec& seen : specs) {
      if (seen.region == fields[0]) {
        return LineError(line_number, absl::StrCat("a second row for region ", fields[0]));
      }
    }
    if (!ValidEndpoint(fields[2])) {
      return LineError(line_number, absl::StrCat("'", fields[2], "' is not host:port"));
    }
    if (certificates) {
      specs.push_back(PeerHubSpec{fields[0], fields[2], ""});
      continue;
    }
    absl::StatusOr<std::string> token = ReadToken(fields[3]);
    if (!token.ok()) return LineError(line_number, token.status().message());
    specs.push_back(PeerHubSpec{fields[0], fields[2], *std::move(token)});
  }
  return specs;
}

PeerHubs::PeerHubs(std::vector<PeerHubSpec> specs, CredentialsFor tls) {
  // A peer that comes back (or starts after this hub) is reached within a second: gRPC's default
  // reconnect backoff grows to two minutes, far past the federation's freshness bounds.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  for (PeerHubSpec& spec : specs) {
    auto channel = grpc::CreateCustomChannel(
        spec.endpoint, tls ? tls(spec.region) : grpc::InsecureChannelCredentials(), args);
    std::string region = spec.region;
    peers_.emplace(std::move(region), Peer{std::move(spec), std::move(channel)});
  }
}

absl::StatusOr<std::unique_ptr<PeerHubs>> PeerHubs::Load(
    const std::string& path, const std::string& service, const std::string& own_region,
    const ReferenceData& refdata, CredentialsFor tls) {
  if (path.empty()) return std::make_unique<PeerHubs>(std::vector<PeerHubSpec>{}, tls);
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("--peers-file: cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<std::vector<PeerHubSpec>> specs =
      ParsePeersFile(text.str(), service, own_region, refdata, /*certificates=*/tls != nullptr);
  if (!specs.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--peers-file ", path, ": ",
                                                   specs.status().message()));
  }
  return std::make_unique<PeerHubs>(*std::move(specs), std::move(tls));
}

std::vector<std::string> PeerHubs::Regions() const {
  std::vector<std::string> regions;
  for (const auto& [region, peer] : peers_) regions.push_back(region);
  return regions;
}

std::shared_ptr<grpc::Channel> PeerHubs::Channel(absl::string_view region) const {
  auto it = peers_.find(region);
  return it == peers_.end() ? nullptr : it->second.channel;
}

bool PeerHubs::Prepare(absl::string_view region, absl::Time deadline,
                       grpc::ClientContext* context) const {
  auto it = peers_.find(region);
  if (it == peers_.end()) return false;
  context->set_deadline(absl::ToChronoTime(deadline));
  if (!it->second.spec.token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", it->second.spec.token));
  }
  return true;
}

}  // namespace slihub::federation
