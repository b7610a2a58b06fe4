#include "tools/cli/client_options.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace slihub::cli {
namespace {

// The CA file of --ca-cert, once parsed (MakeChannel's callers do not carry the options).
std::string& CaCertPath() {
  static auto* path = new std::string;
  return *path;
}

constexpr char kDefaultLayout[] = "the default layout";

const std::map<std::string, int>& ServiceOffsets() {
  static const auto* offsets = new std::map<std::string, int>{
      {"workforce", 1}, {"placement", 2}, {"datacollection", 3}, {"peerreview", 4}};
  return *offsets;
}

}  // namespace

void AddClientOptions(CLI::App* command, ClientOptions* options) {
  command->add_option("--endpoint", options->endpoint, "server host:port")
      ->envname("SLIHUB_ENDPOINT");
  command->add_option("--region", options->region,
                      "local stack region; ports from $SLIHUB_STATE_DIR/stack.conf "
                      "(tools/dev up), else EE 7100, SE 7200")
      ->envname("SLIHUB_REGION")
      ->capture_default_str();
  command->add_option("--token", options->token, "bearer token")->envname("SLIHUB_TOKEN");
  command->add_option("--timeout-ms", options->timeout_ms, "deadline of each call")
      ->check(CLI::Range(1, 600000))
      ->capture_default_str();
  command->add_flag("--json", options->json, "print JSON for scripts");
  command->add_option("--ca-cert", options->ca_cert, "PEM CA certificate: connect with TLS")
      ->envname("SLIHUB_CA_CERT")
      ->each([](const std::string& path) { CaCertPath() = path; });
}

StackLayout LoadStackLayout() {
  const char* state_dir = std::getenv("SLIHUB_STATE_DIR");
  const std::string path =
      absl::StrCat(state_dir != nullptr && *state_dir != '\0' ? state_dir : "state",
                   "/stack.conf");
  std::ifstream in(path);
  if (!in) return StackLayout{{{"EE", 7100}, {"SE", 7200}}, kDefaultLayout};
  StackLayout layout{{}, path};
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view entry = absl::StripAsciiWhitespace(line);
    if (!absl::ConsumePrefix(&entry, "region.")) continue;
    const size_t eq = entry.find('=');
    int port = 0;
    if (eq == absl::string_view::npos || !absl::SimpleAtoi(entry.substr(eq + 1), &port)) continue;
    layout.base_ports[std::string(entry.substr(0, eq))] = port;
  }
  return layout;
}

std::string DefaultReferenceDataPath() {
  constexpr char kRelative[] = "deploy/reference/local_authorities.csv";
  std::error_code error;
  std::filesystem::path dir = std::filesystem::read_symlink("/proc/self/exe", error);
  for (int up = 0; !error && up < 6 && dir.has_parent_path() && dir != dir.root_path(); ++up) {
    dir = dir.parent_path();
    std::error_code missing;
    if (std::filesystem::is_regular_file(dir / kRelative, missing)) return dir / kRelative;
  }
  std::error_code missing;
  return std::filesystem::is_regular_file(kRelative, missing) ? kRelative : "";
}

std::string ResolveEndpoint(const ClientOptions& options, const std::string& service) {
  if (!options.endpoint.empty()) return options.endpoint;
  const StackLayout layout = LoadStackLayout();
  auto base = layout.base_ports.find(options.region);
  auto offset = ServiceOffsets().find(service);
  if (base == layout.base_ports.end() || offset == ServiceOffsets().end()) return "";
  return absl::StrCat("127.0.0.1:", base->second + offset->second);
}

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& endpoint) {
  std::string path = CaCertPath();
  const char* from_env = std::getenv("SLIHUB_CA_CERT");
  if (path.empty() && from_env != nullptr) path = from_env;
  if (path.empty()) return grpc::CreateChannel(endpoint, grpc::InsecureChannelCredentials());
  std::ifstream in(path);
  std::stringstream pem;
  pem << in.rdbuf();
  if (!in || pem.str().empty()) {
    std::cerr << "error: --ca-cert: cannot read " << path << "\n";
    std::exit(kExitUsage);
  }
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = pem.str();
  return grpc::CreateChannel(endpoint, grpc::SslCredentials(ssl));
}

void PrepareContext(const ClientOptions& options, grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::milliseconds(options.timeout_ms));
  if (!options.token.empty()) context->AddMetadata("authorization", "Bearer " + options.token);
}

int ReportError(const grpc::Status& status) {
  const absl::Status error = FromGrpcStatus(status);
  std::cerr << "error: " << absl::StatusCodeToString(error.code()) << ": " << error.message()
            << "\n";
  for (const FieldViolation& v : GetFieldViolations(error)) {
    std::cerr << "  field " << v.field << ": " << v.description << "\n";
  }
  for (const PreconditionViolation& v : GetPreconditionViolations(error)) {
    std::cerr << "  " << v.type << " " << v.subject << ": " << v.description << "\n";
  }
  return kExitFailed;
}

int WriteOutput(const std::string& path, const std::string& content) {
  if (path.empty() || path == "-") {
    std::cout << content;
    return kExitOk;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out.good()) {
    std::cerr << "error: cannot write " << path << "\n";
    return kExitFailed;
  }
  std::cerr << "wrote " << path << " (" << content.size() << " bytes)\n";
  return kExitOk;
}

void PrintJson(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = true;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  std::cout << out;
  if (out.empty() || out.back() != '\n') std::cout << "\n";
}

void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
  std::vector<size_t> widths(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  };
  measure(header);
  for (const auto& row : rows) measure(row);
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << line << "\n";
  };
  print(header);
  for (const auto& row : rows) print(row);
}

void PrintRegionStates(const slihub::common::v1::FederationInfo& federation, std::ostream& out) {
  namespace cv1 = ::slihub::common::v1;
  if (federation.regions_size() == 0) return;
  auto without = [](std::string name, absl::string_view prefix) {
    return std::string(absl::StripPrefix(name, prefix));
  };
  out << "regions (" << without(cv1::RegionScope_Name(federation.scope()), "REGION_SCOPE_")
      << (federation.partial() ? ", partial" : ", complete") << "):\n";
  std::vector<std::vector<std::string>> rows;
  for (const cv1::RegionAnswer& a : federation.regions()) {
    const bool answered = a.state() == cv1::REGION_ANSWER_STATE_FRESH ||
                          a.state() == cv1::REGION_ANSWER_STATE_CACHED ||
                          a.state() == cv1::REGION_ANSWER_STATE_STALE;
    std::string age;
    if (answered && a.has_age()) {
      const int64_t ms = a.age().seconds() * 1000 + a.age().nanos() / 1000000;
      age = ms < 1000 ? absl::StrCat(ms, "ms") : absl::StrFormat("%.1fs", ms / 1000.0);
    }
    rows.push_back({a.region().value(),
                    without(cv1::RegionAnswerState_Name(a.state()), "REGION_ANSWER_STATE_"), age,
                    a.reason()});
  }
  PrintTable({"REGION", "STATE", "AGE", "REASON"}, rows, out);
  out << "\n";
}

}  // namespace slihub::cli
