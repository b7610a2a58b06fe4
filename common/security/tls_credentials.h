// TLS credentials for a server's listeners and for the channels it opens to other services and
// hubs, built from the PEM files of its configuration and re-read periodically (no restart).
#ifndef SLIHUB_COMMON_SECURITY_TLS_CREDENTIALS_H_
#define SLIHUB_COMMON_SECURITY_TLS_CREDENTIALS_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "common/config/server_config.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"

namespace slihub::security {

// The files of one TLS identity and its trust anchors. Plain value.
struct TlsFiles {
  std::string cert;  // PEM certificate chain, leaf first
  std::string key;   // PEM private key of the leaf
  std::string ca;    // PEM CA certificates trusted for peers
  int reload_s = 60;  // how often the files are re-read
};

// The TLS files of `config` (empty paths when TLS is not configured).
TlsFiles TlsFilesOf(const ServerConfig& config);

// Checks at start-up that the three files are readable PEM, that the key matches the
// certificate, and that the certificate is currently valid. InvalidArgument naming the file
// otherwise (one line). Thread-safe.
absl::Status CheckTlsFiles(const TlsFiles& files);

// Server credentials: this identity, client certificates requested and verified against the CA
// when presented (GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY), the files re-read every
// files.reload_s seconds. Call CheckTlsFiles first: a bad file is only logged by gRPC.
std::shared_ptr<grpc::ServerCredentials> MakeServerCredentials(const TlsFiles& files);

// Channel credentials for this server's outgoing calls: presents this identity as its client
// certificate and verifies the server's certificate chain to the CA, the files re-read every
// files.reload_s seconds. With `callee_uri` (a MachineUri), the callee's certificate must name
// exactly that slihub identity (a peer endpoint answering with another region's or service's
// certificate fails the handshake); without it, the target's host name is checked instead.
std::shared_ptr<grpc::ChannelCredentials> MakeChannelCredentials(const TlsFiles& files,
                                                                 const std::string& callee_uri = "");

}  // namespace slihub::security

#endif  // SLIHUB_COMMON_SECURITY_TLS_CREDENTIALS_H_
