// The access matrix, enumerated over the wire: a real hub (the four services of region EE, demo
// data on) is called at every RPC of every service it registers (unary and streaming) by a token
// of every role in every tenancy (own LA, another LA of the region, another region: a person of
// SE, or SE's hub through role hub), and each answer is compared with the matrix
// (tools/access_matrix): a refusal by the request layer must be PERMISSION_DENIED with the
// matrix's ErrorInfo reason; a case the matrix allows must be neither PERMISSION_DENIED nor
// UNAUTHENTICATED; a refusal the matrix leaves to the body (the LA the call concerns) must be
// PERMISSION_DENIED with the body's reason whenever the request reaches that check, and never OK.
// Requests are built by reflection with every LA field at any depth set to the case's LA;
// kSamples gives the methods that need more to reach their check.
#include <algorithm>
#include <atomic>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "common/identity/token_store.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "slihub/common/v1/federation_service.grpc.pb.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"
#include "tests/integration/service_process.h"
#include "tools/access_matrix/matrix.h"

namespace slihub::testing {
namespace {

using access_matrix::Expected;
using access_matrix::Places;
using access_matrix::ServiceTable;
using access_matrix::Where;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The demo data's latest complete period ("2026-Q2" in December 2026): the financial quarter
// before today's, as tools/dev's previous_quarter says.
std::string PreviousQuarter() {
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  const int month = today.month();
  int year = static_cast<int>(today.year());
  int financial_year = month < 4 ? year - 1 : year;
  int quarter = ((month + 8) % 12) / 3;
  if (quarter == 0) {
    quarter = 4;
    --financial_year;
  }
  return absl::StrCat(financial_year, "-Q", quarter);
}

// Methods whose body needs more than the LA to reach its tenancy check: text-format additions
// merged into the reflected request (the LA fields, request ids and SWE numbers are set after).
const std::map<std::string, std::string>& Samples() {
  static const auto* samples = [] {
    const std::string period =
        absl::StrCat("collection_id: \"EE-core\" period_id: \"", PreviousQuarter(), "\"");
    return new std::map<std::string, std::string>{
        {"/slihub.datacollection.v1.DataCollectionService/SubmitReturn",
         period + " validate_only: true"},
        {"/slihub.datacollection.v1.DataCollectionService/GetReturn", period},
        {"/slihub.datacollection.v1.DataCollectionService/ListReturnVersions", period},
        {"/slihub.workforce.v1.WorkforceService/CheckEngagement",
         "terms { job_type: JOB_TYPE_SOCIAL_WORKER engagement_model: "
         "ENGAGEMENT_MODEL_LIMITED_COMPANY start_date { year: 2026 month: 12 day: 1 } "
         "hourly_pay_rate { pence: 4000 } hourly_charge_rate { pence: 5000 } "
         "contracted_minutes_per_week: 2220 }"},
        {"/slihub.workforce.v1.WorkforceService/RecordEmploymentPeriod",
         "period { record_id: \"access-matrix-1\" employment_type: EMPLOYMENT_TYPE_PERMANENT "
         "job_type: JOB_TYPE_SOCIAL_WORKER start_date { year: 2025 month: 1 day: 6 } "
         "child_and_family: true }"},
        {"/slihub.workforce.v1.WorkforceService/GenerateQuarterlyReturn",
         "quarter { year: 2026 quarter: 2 }"},
    };
  }();
  return *samples;
}

// A new idempotency key per call.
std::string NextRequestId() {
  static std::atomic<int> next{0};
  return absl::StrCat("access-matrix-", next++);
}

// True for a field that names the LA a call concerns: a LaCode, or a string la_code / *_la.
bool IsLaField(const FieldDescriptor* field) {
  if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
    return field->message_type()->full_name() == "slihub.common.v1.LaCode";
  }
  return field->type() == FieldDescriptor::TYPE_STRING &&
         (field->name() == "la_code" || absl::EndsWith(field->name(), "_la"));
}

// True when `type` holds an LA field within `depth` levels.
bool HoldsLaField(const Descriptor* type, int depth) {
  if (depth <= 0) return false;
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (IsLaField(field)) return true;
    if (field->type() == FieldDescriptor::TYPE_MESSAGE &&
        HoldsLaField(field->message_type(), depth - 1)) {
      return true;
    }
  }
  return false;
}

// Sets every LA field of `message` (any depth up to 4; one element of repeated ones) to `la`,
// and on the way every request_id to a new idempotency key and every swe_number to a valid one.
void SetLaFields(Message* message, const std::string& la, int depth = 4) {
  const Descriptor* type = message->GetDescriptor();
  const google::protobuf::Reflection* reflection = message->GetReflection();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (field->containing_oneof() != nullptr && !IsLaField(field) &&
        reflection->GetOneofFieldDescriptor(*message, field->containing_oneof()) != field) {
      continue;  // never switch a oneof the sample chose
    }
    if (field->type() == FieldDescriptor::TYPE_STRING && !field->is_repeated() &&
        (field->name() == "request_id" || field->name() == "swe_number")) {
      reflection->SetString(message, field,
                            field->name() == "request_id" ? NextRequestId() : "SW12345");
      continue;
    }
    if (IsLaField(field)) {
      if (field->type() == FieldDescriptor::TYPE_STRING) {
        if (field->is_repeated()) {
          reflection->AddString(message, field, la);
        } else {
          reflection->SetString(message, field, la);
        }
        continue;
      }
      Message* code = field->is_repeated() ? reflection->AddMessage(message, field)
                                           : reflection->MutableMessage(message, field);
      code->GetReflection()->SetString(code, code->GetDescriptor()->FindFieldByName("value"), la);
      continue;
    }
    if (field->type() != FieldDescriptor::TYPE_MESSAGE ||
        !HoldsLaField(field->message_type(), depth - 1)) {
      continue;
    }
    if (field->is_repeated()) {
      if (reflection->FieldSize(*message, field) == 0) reflection->AddMessage(message, field);
      for (int k = 0; k < reflection->FieldSize(*message, field); ++k) {
        SetLaFields(reflection->MutableRepeatedMessage(message, field, k), la, depth - 1);
      }
    } else {
      SetLaFields(reflection->MutableMessage(message, field), la, depth - 1);
    }
  }
}

// The request for `method` in the case whose LA is `la`.
std::unique_ptr<Message> BuildRequest(const google::protobuf::MethodDescriptor* method,
                                      const std::string& full_name, const std::string& la) {
  std::unique_ptr<Message> request(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(method->input_type())
          ->New());
  auto sample = Samples().find(full_name);
  if (sample != Samples().end()) {
    EXPECT_TRUE(google::protobuf::TextFormat::MergeFromString(sample->second, request.get()))
        << full_name;
  }
  SetLaFields(request.get(), la);
  return request;
}

// One server of the hub and the tables it serves.
struct HubServer {
  std::string service;
  std::unique_ptr<ServiceProcess> process;
  std::vector<const ServiceTable*> tables;
  std::map<std::pair<Role, bool>, std::string> tokens;  // (role, other region) -> token
};

// One call to make and check.
struct Case {
  HubServer* server;
  const MethodSpec* spec;
  const google::protobuf::MethodDescriptor* method;
  Role role;
  Where where;
  Expected expected;
};

// Calls `c`'s method as its role and tenancy; returns the final status (for a server stream,
// OK once the first response arrived).
grpc::Status Call(const Case& c, const Places& places) {
  const std::string& token =
      c.server->tokens.at({c.role, c.where == Where::kOtherRegion});
  const std::string& la = access_matrix::CaseLa(places, c.where);
  std::unique_ptr<Message> request = BuildRequest(c.method, c.spec->name, la);
  auto channel = c.server->process->NewChannel();
  grpc::ClientContext context;
  if (c.method->server_streaming()) {
    PrepareContext(&context, token, absl::Milliseconds(1500));
    if (c.spec->name == "/slihub.common.v1.FederationService/WatchChanges") {
      auto reader = common::v1::FederationService::NewStub(channel)->WatchChanges(
          &context, static_cast<const common::v1::WatchChangesRequest&>(*request));
      common::v1::WatchChangesResponse first;
      if (reader->Read(&first)) {
        context.TryCancel();
        return grpc::Status::OK;
      }
      return reader->Finish();
    }
    auto reader = placement::v1::PlacementService::NewStub(channel)->WatchVacancies(
        &context, static_cast<const placement::v1::WatchVacanciesRequest&>(*request));
    placement::v1::WatchVacanciesResponse first;
    if (reader->Read(&first)) {
      context.TryCancel();
      return grpc::Status::OK;
    }
    return reader->Finish();
  }
  PrepareContext(&context, token, absl::Seconds(10));
  if (c.method->client_streaming()) {
    workforce::v1::ImportEmploymentPeriodsResponse response;
    auto writer = workforce::v1::WorkforceService::NewStub(channel)->ImportEmploymentPeriods(
        &context, &response);
    writer->Write(static_cast<const workforce::v1::ImportEmploymentPeriodsRequest&>(*request));
    writer->WritesDone();
    return writer->Finish();
  }
  grpc::GenericStub stub(channel);
  const std::string body = request->SerializeAsString();
  grpc::Slice slice(body);
  grpc::ByteBuffer request_bytes(&slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, c.spec->name, grpc::StubOptions(), &request_bytes, &response,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  return done.get_future().get();
}

const char* WhereName(Where where) {
  switch (where) {
    case Where::kOwnLa: return "own LA";
    case Where::kOtherLa: return "other LA";
    case Where::kOtherRegion: return "other region";
  }
  return "";
}

// Why `status` contradicts `c`'s expectation, or "" when it agrees. Sets `*reached` for a
// refusal left to the body when the answer shows the check was reached.
std::string Mismatch(const Case& c, const grpc::Status& status, bool* reached) {
  const absl::Status answer = FromGrpcStatus(status);
  const std::string reason = GetErrorReason(answer);
  const bool denied = status.error_code() == grpc::StatusCode::PERMISSION_DENIED;
  const std::string got = absl::StrCat(absl::StatusCodeToString(answer.code()), " ", reason, " (",
                                       status.error_message(), ")");
  if (c.expected.allowed) {
    if (denied || status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
      return absl::StrCat("allowed by the matrix, answered ", got);
    }
    return "";
  }
  if (!c.expected.by_body) {
    if (denied && reason == c.expected.reason) return "";
    return absl::StrCat("the layer refuses with ", c.expected.reason, ", answered ", got);
  }
  if (denied) {
    *reached = true;
    if (reason == c.expected.reason) return "";
    return absl::StrCat("the body refuses with ", c.expected.reason, ", answered ", got);
  }
  if (status.ok()) {
    return absl::StrCat("the body refuses with ", c.expected.reason, ", answered OK");
  }
  return "";  // refused earlier (validation, not found): the check was not reached
}

TEST(AccessMatrixTest, EveryRpcRoleAndTenancyAnswersAsTheMatrixSays) {
  ASSERT_TRUE(access_matrix::CheckAllTables().ok()) << access_matrix::CheckAllTables();
  const Places places;
  const std::map<std::string, std::string> service_of = {
      {"slihub.workforce.v1.WorkforceService", "workforce"},
      {"slihub.placement.v1.PlacementService", "placement"},
      {"slihub.datacollection.v1.DataCollectionService", "datacollection"},
      {"slihub.peerreview.v1.PeerReviewService", "peerreview"}};
  std::vector<std::unique_ptr<HubServer>> servers;
  for (const char* name : {"workforce", "placement", "datacollection", "peerreview"}) {
    auto server = std::make_unique<HubServer>();
    server->service = name;
    ServiceProcessOptions options;
    options.service = name;
    options.region = places.hub_region;
    options.extra_args = {"--demo-data"};
    // Plaintext loopback: every role here, hub and service included, is presented as a token.
    // Under mutual TLS machines are identified by certificates instead, and a service's
    // certificate is cut further to the calls it makes (tls_test checks both).
    options.tls = false;
    server->process = std::make_unique<ServiceProcess>(options);
    ASSERT_TRUE(server->process->Start().ok()) << name;
    servers.push_back(std::move(server));
  }
  // Each server serves its own service and the common ones.
  for (const ServiceTable& table : access_matrix::AllTables()) {
    auto it = service_of.find(table.service->full_name());
    for (auto& server : servers) {
      if (it == service_of.end() || it->second == server->service) {
        server->tables.push_back(&table);
      }
    }
  }
  // A token per role in the hub's region and in another region, in every server's database.
  for (auto& server : servers) {
    auto store = TokenStore::Open(server->process->data_dir() + "/identity.db");
    ASSERT_TRUE(store.ok()) << store.status();
    for (Role role : AllRoles()) {
      for (Where where : {Where::kOwnLa, Where::kOtherRegion}) {
        const Principal who = access_matrix::CasePrincipal(places, role, where);
        TokenSpec spec;
        spec.subject = who.subject;
        spec.la_code = who.la_code;
        spec.region_code = who.region_code;
        spec.roles = who.roles;
        auto token = (*store)->Create(spec, absl::Now());
        ASSERT_TRUE(token.ok()) << token.status();
        server->tokens[{role, where == Where::kOtherRegion}] = *token;
      }
    }
  }
  absl::SleepFor(absl::Milliseconds(500));  // every server's token refresh (100 ms)

  std::vector<Case> cases;
  for (auto& server : servers) {
    for (const ServiceTable* table : server->tables) {
      for (const MethodSpec* spec : table->rows) {
        const google::protobuf::MethodDescriptor* method =
            table->service->FindMethodByName(spec->name.substr(spec->name.rfind('/') + 1));
        ASSERT_NE(method, nullptr) << spec->name;
        for (Role role : AllRoles()) {
          for (Where where : {Where::kOwnLa, Where::kOtherLa, Where::kOtherRegion}) {
            Expected expected = access_matrix::Expect(places, *spec, role, where);
            if (!expected.applies) continue;
            cases.push_back({server.get(), spec, method, role, where, expected});
          }
        }
      }
    }
  }

  std::atomic<size_t> next{0};
  std::atomic<int> body_cases{0}, body_reached{0};
  std::mutex mu;
  std::vector<std::string> mismatches;
  std::map<std::string, std::string> unreached;  // method -> how its body refusals ended instead
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&] {
      for (size_t i = next++; i < cases.size(); i = next++) {
        const Case& c = cases[i];
        const grpc::Status status = Call(c, places);
        bool reached = false;
        const std::string why = Mismatch(c, status, &reached);
        if (c.expected.by_body) {
          ++body_cases;
          if (reached) ++body_reached;
          if (!reached) {
            std::lock_guard<std::mutex> lock(mu);
            unreached[c.spec->name] = absl::StrCat(
                absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())),
                ": ", status.error_message().substr(0, 100));
          }
        }
        if (!why.empty()) {
          std::lock_guard<std::mutex> lock(mu);
          mismatches.push_back(absl::StrCat(c.server->service, " ", c.spec->name, " as ",
                                            RoleName(c.role), ", ", WhereName(c.where), ": ",
                                            why));
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::sort(mismatches.begin(), mismatches.end());
  for (const std::string& m : mismatches) ADD_FAILURE() << m;
  for (const auto& [method, answer] : unreached) {
    std::cout << "body check not reached: " << method << " (" << answer << ")\n";
  }
  std::cout << "access matrix: " << cases.size() << " RPC x role x tenancy cases checked over the "
            << "wire in " << absl::ToInt64Milliseconds(absl::Now() - start) << " ms ("
            << body_cases.load() << " refusals left to the body, " << body_reached.load()
            << " of them reached the body's check); " << mismatches.size() << " mismatches\n";
}

}  // namespace
}  // namespace slihub::testing
