// `slihub health|whoami|echo|status|ref` and the per-service groups.
#include <functional>
#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "slihub/common/v1/diagnostics_service.grpc.pb.h"
#include "slihub/common/v1/reference_data_service.grpc.pb.h"
#include "tools/cli/client_options.h"
#include "tools/cli/commands.h"

namespace slihub::cli {
namespace {

namespace v1 = ::slihub::common::v1;

// Resolves the endpoint or reports the usage error. Returns false when there is none.
bool Endpoint(const ClientOptions& options, const std::string& service, std::string* out) {
  *out = ResolveEndpoint(options, service);
  if (out->empty()) {
    const StackLayout layout = LoadStackLayout();
    std::vector<std::string> regions;
    for (const auto& [region, base] : layout.base_ports) regions.push_back(region);
    std::cerr << "error: no endpoint: pass --endpoint host:port, or --region with one of the "
                 "local stack's regions ("
              << absl::StrJoin(regions, ", ") << ", from " << layout.source << ")\n";
    return false;
  }
  return true;
}

// Prints a successful `response` as JSON or through `print_table`; reports a failed call.
// Returns the exit code.
int Finish(const grpc::Status& status, const ClientOptions& options,
           const google::protobuf::Message& response, const std::function<void()>& print_table) {
  if (!status.ok()) return ReportError(status);
  if (options.json) {
    PrintJson(response);
  } else {
    print_table();
  }
  return kExitOk;
}

// Registers `command`'s callback: resolve the endpoint for `service`, then run `call` on a
// channel to it and store its exit code.
void OnRun(CLI::App* command, std::shared_ptr<ClientOptions> options,
           std::shared_ptr<std::string> service, int* exit_code,
           std::function<int(const std::shared_ptr<grpc::Channel>&)> call) {
  command->callback([=] {
    std::string endpoint;
    *exit_code = Endpoint(*options, *service, &endpoint) ? call(MakeChannel(endpoint)) : kExitUsage;
  });
}

int Health(const ClientOptions& options, const std::string& service,
           const std::string& health_name) {
  std::string endpoint;
  if (!Endpoint(options, service, &endpoint)) return kExitUsage;
  auto stub = grpc::health::v1::Health::NewStub(MakeChannel(endpoint));
  grpc::ClientContext context;
  PrepareContext(options, &context);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(health_name);
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) return ReportError(status);
  if (options.json) {
    PrintJson(response);
  } else {
    std::cout << endpoint << " "
              << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status())
              << "\n";
  }
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING ? kExitOk
                                                                              : kExitFailed;
}

int Status(const ClientOptions& options, const std::string& service) {
  std::string endpoint;
  if (!Endpoint(options, service, &endpoint)) return kExitUsage;
  auto stub = v1::DiagnosticsService::NewStub(MakeChannel(endpoint));
  grpc::ClientContext context;
  PrepareContext(options, &context);
  v1::GetServerStatusResponse response;
  grpc::Status status = stub->GetServerStatus(&context, v1::GetServerStatusRequest(), &response);
  if (!status.ok()) return ReportError(status);
  if (options.json) {
    PrintJson(response);
  } else {
    std::cout << response.service() << " (" << response.hub_region().value() << ") at "
              << endpoint << ": " << (response.serving() ? "SERVING" : "NOT_SERVING") << "\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& dep : response.dependencies()) {
      rows.push_back({dep.name(), dep.required() ? "required" : "optional",
                      std::string(absl::StripPrefix(v1::DependencyState_Name(dep.state()),
                                                    "DEPENDENCY_STATE_")),
                      dep.detail()});
    }
    PrintTable({"DEPENDENCY", "KIND", "STATE", "DETAIL"}, rows);
  }
  return response.serving() ? kExitOk : kExitFailed;
}

void AddHealthAndStatus(CLI::App* group, std::shared_ptr<ClientOptions> options,
                        std::shared_ptr<std::string> service, bool service_is_option,
                        int* exit_code) {
  auto health_name = std::make_shared<std::string>();
  CLI::App* health = group->add_subcommand("health", "gRPC health check (no token needed)");
  AddClientOptions(health, options.get());
  health->add_option("--check", *health_name,
                     "health entry to check (default: the whole server)");
  if (service_is_option) {
    health->add_option("--service", *service, "service, for the local stack's default port");
  }
  health->callback([=] { *exit_code = Health(*options, *service, *health_name); });

  CLI::App* status = group->add_subcommand("status", "server and dependency state");
  AddClientOptions(status, options.get());
  if (service_is_option) {
    status->add_option("--service", *service, "service, for the local stack's default port");
  }
  status->callback([=] { *exit_code = Status(*options, *service); });
}

}  // namespace

void AddServerCommands(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ClientOptions>();
  auto service = std::make_shared<std::string>("workforce");
  AddHealthAndStatus(&app, options, service, /*service_is_option=*/true, exit_code);

  CLI::App* whoami = app.add_subcommand("whoami", "the principal your token speaks for");
  AddClientOptions(whoami, options.get());
  OnRun(whoami, options, service, exit_code, [options](const auto& channel) {
    grpc::ClientContext context;
    PrepareContext(*options, &context);
    v1::WhoAmIResponse response;
    grpc::Status status =
        v1::DiagnosticsService::NewStub(channel)->WhoAmI(&context, v1::WhoAmIRequest(), &response);
    return Finish(status, *options, response, [&] {
      const v1::Principal& p = response.principal();
      std::vector<std::string> roles;
      for (int r : p.roles()) {
        roles.emplace_back(absl::StripPrefix(v1::Role_Name(static_cast<v1::Role>(r)), "ROLE_"));
      }
      PrintTable({"SUBJECT", "LA", "REGION", "ROLES"}, {{p.subject(), p.la_code().value(),
                                                        p.region().value(),
                                                        absl::StrJoin(roles, ",")}});
    });
  });

  auto message = std::make_shared<std::string>();
  auto delay_ms = std::make_shared<int>(0);
  CLI::App* echo = app.add_subcommand("echo", "round-trip a message (diagnostics)");
  AddClientOptions(echo, options.get());
  echo->add_option("message", *message, "text to echo")->required();
  echo->add_option("--delay-ms", *delay_ms, "server-side delay");
  OnRun(echo, options, service, exit_code, [options, message, delay_ms](const auto& channel) {
    grpc::ClientContext context;
    PrepareContext(*options, &context);
    v1::EchoRequest request;
    request.set_message(*message);
    request.mutable_delay()->set_seconds(*delay_ms / 1000);
    request.mutable_delay()->set_nanos((*delay_ms % 1000) * 1000000);
    v1::EchoResponse response;
    grpc::Status status = v1::DiagnosticsService::NewStub(channel)->Echo(&context, request, &response);
    return Finish(status, *options, response, [&] { std::cout << response.message() << "\n"; });
  });

  CLI::App* ref = app.add_subcommand("ref", "reference data: local authorities and regions");
  ref->require_subcommand(1);
  auto la_code = std::make_shared<std::string>();
  CLI::App* la = ref->add_subcommand("la", "one local authority by DfE code");
  AddClientOptions(la, options.get());
  la->add_option("la_code", *la_code, "DfE three-digit LA code")->required();
  OnRun(la, options, service, exit_code, [options, la_code](const auto& channel) {
    grpc::ClientContext context;
    PrepareContext(*options, &context);
    v1::GetLocalAuthorityRequest request;
    request.mutable_la_code()->set_value(*la_code);
    v1::GetLocalAuthorityResponse response;
    grpc::Status status =
        v1::ReferenceDataService::NewStub(channel)->GetLocalAuthority(&context, request, &response);
    return Finish(status, *options, response, [&] {
      const v1::LocalAuthority& a = response.local_authority();
      std::vector<std::string> neighbours;
      for (const auto& n : a.statistical_neighbours()) neighbours.push_back(n.value());
      PrintTable({"LA", "NAME", "ONS", "REGION", "TYPE", "NEIGHBOURS"},
                 {{a.la_code().value(), a.name(), a.ons_code(), a.region().value(), a.la_type(),
                   absl::StrJoin(neighbours, ",")}});
    });
  });

  auto list_region = std::make_shared<std::string>();
  CLI::App* list = ref->add_subcommand("list", "local authorities, optionally of one region");
  AddClientOptions(list, options.get());
  list->add_option("--of-region", *list_region, "only this region's LAs (EE, SE, ...)");
  OnRun(list, options, service, exit_code, [options, list_region](const auto& channel) {
    auto stub = v1::ReferenceDataService::NewStub(channel);
    v1::ListLocalAuthoritiesResponse all;
    std::string token;
    do {
      grpc::ClientContext context;
      PrepareContext(*options, &context);
      v1::ListLocalAuthoritiesRequest request;
      if (!list_region->empty()) request.mutable_region()->set_value(*list_region);
      request.mutable_page()->set_page_size(200);
      request.mutable_page()->set_page_token(token);
      v1::ListLocalAuthoritiesResponse page;
      grpc::Status status = stub->ListLocalAuthorities(&context, request, &page);
      if (!status.ok()) return ReportError(status);
      for (const auto& a : page.local_authorities()) *all.add_local_authorities() = a;
      *all.mutable_page() = page.page();
      token = page.page().next_page_token();
    } while (!token.empty());
    return Finish(grpc::Status::OK, *options, all, [&] {
      std::vector<std::vector<std::string>> rows;
      for (const auto& a : all.local_authorities()) {
        rows.push_back({a.la_code().value(), a.name(), a.region().value(), a.la_type()});
      }
      PrintTable({"LA", "NAME", "REGION", "TYPE"}, rows);
    });
  });

  CLI::App* regions = ref->add_subcommand("regions", "England's regions and their LAs");
  AddClientOptions(regions, options.get());
  OnRun(regions, options, service, exit_code, [options](const auto& channel) {
    grpc::ClientContext context;
    PrepareContext(*options, &context);
    v1::ListRegionsResponse response;
    grpc::Status status = v1::ReferenceDataService::NewStub(channel)->ListRegions(
        &context, v1::ListRegionsRequest(), &response);
    return Finish(status, *options, response, [&] {
      std::vector<std::vector<std::string>> rows;
      for (const auto& r : response.regions()) {
        rows.push_back(
            {r.code().value(), r.name(), r.ons_code(), absl::StrCat(r.la_codes_size())});
      }
      PrintTable({"REGION", "NAME", "ONS", "LAS"}, rows);
    });
  });
}

CLI::App* AddServiceGroup(CLI::App& app, const std::string& group, const std::string& service,
                          int* exit_code) {
  CLI::App* cmd = app.add_subcommand(group, "the " + service + " service");
  cmd->require_subcommand(1);
  AddHealthAndStatus(cmd, std::make_shared<ClientOptions>(),
                     std::make_shared<std::string>(service), /*service_is_option=*/false,
                     exit_code);
  return cmd;
}

}  // namespace slihub::cli
