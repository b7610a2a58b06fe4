// The other regions' hubs one server asks: a channel and the credentials this hub presents to
// each, read from the peers file (ServerConfig::peers_file).
#ifndef SLIHUB_COMMON_FEDERATION_PEER_HUBS_H_
#define SLIHUB_COMMON_FEDERATION_PEER_HUBS_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/refdata/reference_data.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/security/credentials.h"

namespace slihub::federation {

// One configured peer: another region's server of the same service. Plain value.
struct PeerHubSpec {
  std::string region;    // its region code, e.g. "SE"
  std::string endpoint;  // host:port
  std::string token;     // the bearer token its hub issued to this hub (role hub); empty under TLS
};

// Parses peers-file text for `service` at the hub of `own_region`: CSV lines
// region,service,host:port,token_file ('#' starts a comment line), token files read relative to
// the current directory. With `certificates` (the hub runs mutual TLS and presents its
// certificate instead) the token_file column is optional and not read. Rows of other services
// are skipped; a row for `own_region` is refused. InvalidArgument naming the line for an unknown
// region, a duplicate region, a bad endpoint or an unreadable or empty token file.
absl::StatusOr<std::vector<PeerHubSpec>> ParsePeersFile(absl::string_view text,
                                                        const std::string& service,
                                                        const std::string& own_region,
                                                        const ReferenceData& refdata,
                                                        bool certificates = false);

// Channels to the configured peers. Immutable after construction; thread-safe.
class PeerHubs {
 public:
  // The credentials of the channel to `region`'s hub (mutual TLS presenting this hub's
  // certificate and checking that the callee is that region's hub); empty: plaintext.
  using CredentialsFor =
      std::function<std::shared_ptr<grpc::ChannelCredentials>(const std::string& region)>;

  // Opens one channel per spec (lazily connected by gRPC; reconnect backoff 100 ms to 1 s) with
  // `tls(region)`, or plaintext when `tls` is empty.
  explicit PeerHubs(std::vector<PeerHubSpec> specs, CredentialsFor tls = nullptr);
  // Reads `path` as ParsePeersFile does (token files optional when `tls` is set); an empty path
  // means no peers.
  static absl::StatusOr<std::unique_ptr<PeerHubs>> Load(const std::string& path,
                                                        const std::string& service,
                                                        const std::string& own_region,
                                                        const ReferenceData& refdata,
                                                        CredentialsFor tls = nullptr);

  // The configured regions, in code order.
  std::vector<std::string> Regions() const;
  // The channel to `region`'s hub, or null when none is configured.
  std::shared_ptr<grpc::Channel> Channel(absl::string_view region) const;
  // Sets `deadline` and this hub's bearer token (if it has one) for `region` on `context`.
  // False (context untouched) when `region` has no peer.
  bool Prepare(absl::string_view region, absl::Time deadline, grpc::ClientContext* context) const;

 private:
  struct Peer {
    PeerHubSpec spec;
    std::shared_ptr<grpc::Channel> channel;
  };
  std::map<std::string, Peer, std::less<>> peers_;
};

}  // namespace slihub::federation

#endif  // SLIHUB_COMMON_FEDERATION_PEER_HUBS_H_
