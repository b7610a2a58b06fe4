// What every `slihub` subcommand that talks to a server shares: endpoint, token, deadline,
// output format, and the printing of results and errors.
#ifndef SLIHUB_TOOLS_CLI_CLIENT_OPTIONS_H_
#define SLIHUB_TOOLS_CLI_CLIENT_OPTIONS_H_

#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "slihub/common/v1/types.pb.h"

namespace slihub::cli {

// Exit codes of the CLI.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // an RPC failed or a check did not pass
inline constexpr int kExitUsage = 2;

// Connection and output settings, from flags or SLIHUB_ENDPOINT / SLIHUB_REGION / SLIHUB_TOKEN.
struct ClientOptions {
  std::string endpoint;      // host:port; empty: the local stack's port for region + service
  std::string region = "EE";
  std::string token;
  int timeout_ms = 5000;     // every RPC's deadline
  bool json = false;         // print protobuf JSON instead of a table
  std::string ca_cert;       // --ca-cert / SLIHUB_CA_CERT: PEM CA; set: TLS to the servers
};

// Adds --endpoint, --region, --token, --timeout-ms, --json and --ca-cert to `command`.
void AddClientOptions(CLI::App* command, ClientOptions* options);

// The endpoint to call for `service` ("workforce", ...): --endpoint, or the local stack's port
// for --region (LoadStackLayout; by default EE 7101..7104, SE 7201..7204). Empty when neither
// applies.
std::string ResolveEndpoint(const ClientOptions& options, const std::string& service);

// The local stack's layout: each region's base port (service ports are base+1..base+4), read
// from <state dir>/stack.conf as `tools/dev up` writes it (state dir: $SLIHUB_STATE_DIR, else
// ./state); the default layout (EE 7100, SE 7200) when there is no such file.
struct StackLayout {
  std::map<std::string, int> base_ports;
  std::string source;  // the file read, or "the default layout"
};
StackLayout LoadStackLayout();

// deploy/reference/local_authorities.csv of the repository this binary was built from (looked
// for above the binary's directory, then under the working directory); "" when not found.
std::string DefaultReferenceDataPath();

// A channel to `endpoint`: server-authenticated TLS verified against the CA of --ca-cert (or
// $SLIHUB_CA_CERT) when one is given, plaintext otherwise. Exits with kExitUsage and a message
// when the CA file cannot be read.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& endpoint);

// Sets the deadline and, when a token is known, "authorization: Bearer <token>".
void PrepareContext(const ClientOptions& options, grpc::ClientContext* context);

// Prints `status` to stderr with its code, message and every field or precondition violation;
// returns kExitFailed.
int ReportError(const grpc::Status& status);

// Writes `content` to `path` ("-" or empty: stdout); for a file, says "wrote <path> (<n> bytes)"
// on stderr. kExitOk, or kExitFailed with a message when the file cannot be written.
int WriteOutput(const std::string& path, const std::string& content);

// Prints `message` as JSON (proto field names) on stdout.
void PrintJson(const google::protobuf::Message& message);

// Prints an aligned table with a header row on `out` (stdout by default).
void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows, std::ostream& out = std::cout);

// Prints which regions a scoped answer rests on, for people: "regions (NATIONAL, partial):" then
// one row per region with its state, age ("340ms", "1.2s"; empty without an answer) and reason,
// then a blank line. Nothing when the answer lists no region.
void PrintRegionStates(const slihub::common::v1::FederationInfo& federation,
                       std::ostream& out = std::cout);

}  // namespace slihub::cli

#endif  // SLIHUB_TOOLS_CLI_CLIENT_OPTIONS_H_
