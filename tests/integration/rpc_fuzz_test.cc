// Every unary RPC of every service, called through a real server with randomly filled requests
// (built by protobuf reflection from the service's own descriptors) and with raw garbage bytes:
// the server never crashes, answers only canonical codes that blame the caller or the state
// (never UNKNOWN, INTERNAL or DATA_LOSS), gives every INVALID_ARGUMENT a google.rpc.BadRequest
// with field violations, keeps every error small enough for a default client to read, and stays
// SERVING. SLIHUB_FUZZ_SEED and SLIHUB_FUZZ_ROUNDS override
// the fixed seed and the number of requests per method. Garbage bytes that do not parse as the
// request must be answered INVALID_ARGUMENT with ErrorInfo REQUEST_NOT_PARSED.
#include <cmath>
#include <cstdlib>
#include <future>
#include <iostream>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "slihub/peerreview/v1/peerreview_service.grpc.pb.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"
#include "tests/integration/service_process.h"

namespace slihub::testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

int EnvInt(const char* name, int fallback) {
  const char* text = std::getenv(name);
  int value = 0;
  return text != nullptr && absl::SimpleAtoi(text, &value) ? value : fallback;
}

// Fills messages with values chosen to hit edges: empty, huge, negative, unknown enum numbers,
// plausible identifiers of this domain, injection-shaped and non-ASCII text.
class RandomFiller {
 public:
  explicit RandomFiller(uint32_t seed) : rng_(seed) {}

  void Fill(Message* message, int depth) {
    const Descriptor* descriptor = message->GetDescriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const FieldDescriptor* field = descriptor->field(i);
      if (!Chance(0.7)) continue;
      if (field->is_repeated()) {
        const int n = Pick(4);
        for (int k = 0; k < n; ++k) AddOne(message, field, depth);
      } else {
        SetOne(message, field, depth);
      }
    }
  }

 private:
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  int64_t Integer() {
    static const int64_t kEdges[] = {0, 1, -1, 2, 3, 4, 7, 12, 31, 100, 1000, 2025, 2026, 65535,
                                     std::numeric_limits<int32_t>::max(),
                                     std::numeric_limits<int32_t>::min(),
                                     std::numeric_limits<int64_t>::max(),
                                     std::numeric_limits<int64_t>::min()};
    if (Chance(0.7)) return kEdges[Pick(sizeof(kEdges) / sizeof(kEdges[0]))];
    return std::uniform_int_distribution<int64_t>(-100000, 100000)(rng_);
  }

  double Real() {
    static const double kEdges[] = {0.0, -0.0, 1.0, -1.0, 52.6, 1.3, 1e308, -1e308,
                                    std::numeric_limits<double>::quiet_NaN(),
                                    std::numeric_limits<double>::infinity(),
                                    -std::numeric_limits<double>::infinity(),
                                    std::numeric_limits<double>::denorm_min()};
    return kEdges[Pick(sizeof(kEdges) / sizeof(kEdges[0]))];
  }

  std::string Text() {
    static const char* const kTexts[] = {
        "", "873", "926", "EE", "SE", "LDN", "999", "SW1001", "sw1001", "SW0", "EE-2025",
        "EE-core", "2025-Q2", "2026-Q3", "CLA-COUNT", "NR2", "SC123456", "1234567",
        "' OR 1=1 --", "../../etc/passwd", "%s%n%x", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
        "a\tb\nc", "null", "-1", "1e9", "0x10", "2025-02-29", "2024-02-29", "1900-01-01"};
    if (Chance(0.85)) return kTexts[Pick(sizeof(kTexts) / sizeof(kTexts[0]))];
    return std::string(static_cast<size_t>(Pick(3) == 0 ? 70000 : Pick(300)), 'x');
  }

  int EnumNumber(const FieldDescriptor* field) {
    const auto* type = field->enum_type();
    if (Chance(0.15)) return static_cast<int>(Integer() % 1000);  // unknown numbers too
    return type->value(Pick(type->value_count()))->number();
  }

  void SetOne(Message* message, const FieldDescriptor* field, int depth) {
    const Reflection* r = message->GetReflection();
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32: r->SetInt32(message, field, static_cast<int32_t>(Integer())); break;
      case FieldDescriptor::CPPTYPE_INT64: r->SetInt64(message, field, Integer()); break;
      case FieldDescriptor::CPPTYPE_UINT32: r->SetUInt32(message, field, static_cast<uint32_t>(Integer())); break;
      case FieldDescriptor::CPPTYPE_UINT64: r->SetUInt64(message, field, static_cast<uint64_t>(Integer())); break;
      case FieldDescriptor::CPPTYPE_DOUBLE: r->SetDouble(message, field, Real()); break;
      case FieldDescriptor::CPPTYPE_FLOAT: r->SetFloat(message, field, static_cast<float>(Real())); break;
      case FieldDescriptor::CPPTYPE_BOOL: r->SetBool(message, field, Chance(0.5)); break;
      case FieldDescriptor::CPPTYPE_ENUM: r->SetEnumValue(message, field, EnumNumber(field)); break;
      case FieldDescriptor::CPPTYPE_STRING: r->SetString(message, field, Text()); break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (depth < 4) Fill(r->MutableMessage(message, field), depth + 1);
        break;
    }
  }

  void AddOne(Message* message, const FieldDescriptor* field, int depth) {
    const Reflection* r = message->GetReflection();
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32: r->AddInt32(message, field, static_cast<int32_t>(Integer())); break;
      case FieldDescriptor::CPPTYPE_INT64: r->AddInt64(message, field, Integer()); break;
      case FieldDescriptor::CPPTYPE_UINT32: r->AddUInt32(message, field, static_cast<uint32_t>(Integer())); break;
      case FieldDescriptor::CPPTYPE_UINT64: r->AddUInt64(message, field, static_cast<uint64_t>(Integer())); break;
      case FieldDescriptor::CPPTYPE_DOUBLE: r->AddDouble(message, field, Real()); break;
      case FieldDescriptor::CPPTYPE_FLOAT: r->AddFloat(message, field, static_cast<float>(Real())); break;
      case FieldDescriptor::CPPTYPE_BOOL: r->AddBool(message, field, Chance(0.5)); break;
      case FieldDescriptor::CPPTYPE_ENUM: r->AddEnumValue(message, field, EnumNumber(field)); break;
      case FieldDescriptor::CPPTYPE_STRING: r->AddString(message, field, Text()); break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (depth < 4) Fill(r->AddMessage(message, field), depth + 1);
        break;
    }
  }

  std::mt19937 rng_;
};

// Calls `method` (a full "/pkg.Service/Method" path) with `body` as the serialized request.
grpc::Status CallRaw(grpc::GenericStub& stub, const std::string& method, const std::string& body,
                     const std::string& token) {
  grpc::Slice slice(body);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::ClientContext context;
  PrepareContext(&context, token, absl::Seconds(20));
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  return done.get_future().get();
}

// Why `status` breaks the error contract, or "" when it keeps it.
std::string ContractBreach(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::DATA_LOSS:
      return absl::StrCat("code ", status.error_code(), ": ", status.error_message());
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      if (status.error_message().find("metadata size exceeds limit") != std::string::npos) {
        return "the error did not fit the client's metadata limit";
      }
      return "";
    case grpc::StatusCode::INVALID_ARGUMENT: {
      google::rpc::Status details;
      if (!details.ParseFromString(status.error_details())) return "details do not parse";
      for (const auto& any : details.details()) {
        google::rpc::BadRequest bad_request;
        if (any.UnpackTo(&bad_request) && bad_request.field_violations_size() > 0) {
          for (const auto& v : bad_request.field_violations()) {
            if (v.field().empty() || v.description().empty()) {
              return "a field violation without a field or a description";
            }
          }
          return "";
        }
      }
      return absl::StrCat("INVALID_ARGUMENT without field violations: ", status.error_message());
    }
    default:
      return "";
  }
}

// Touches one message of each service's file, so that the linker keeps the generated
// descriptors and the generated pool can find the services by name.
void LinkServiceDescriptors() {
  (void)slihub::workforce::v1::CheckEngagementRequest::descriptor();
  (void)slihub::placement::v1::MatchPlacementsRequest::descriptor();
  (void)slihub::datacollection::v1::SubmitReturnRequest::descriptor();
  (void)slihub::peerreview::v1::ProposeGroupsRequest::descriptor();
}

class RpcFuzzTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RpcFuzzTest, EveryUnaryMethodKeepsTheErrorContractAndTheServerUp) {
  const std::string service_name = GetParam();
  LinkServiceDescriptors();
  const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      service_name);
  ASSERT_NE(service, nullptr) << service_name;
  const std::string binary = service_name == "slihub.workforce.v1.WorkforceService"     ? "workforce"
                             : service_name == "slihub.placement.v1.PlacementService"   ? "placement"
                             : service_name == "slihub.peerreview.v1.PeerReviewService" ? "peerreview"
                                                                                        : "datacollection";
  ServiceProcessOptions options;
  options.service = binary;
  options.extra_args = {"--demo-data"};
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  // A regional principal with every role, and an LA principal with every LA role.
  const std::vector<std::string> tokens = {
      server.IssueToken("fuzz-region", {Role::kRegionalAdmin, Role::kReader,
                                        Role::kDcs, Role::kChiefExecutive}),
      server.IssueToken("fuzz-873", {Role::kHrOfficer, Role::kPlacementOfficer, Role::kProvider,
                                     Role::kDataOfficer, Role::kPeerReviewer, Role::kReader,
                                     Role::kDcs, Role::kChiefExecutive},
                        "873")};
  auto channel = server.NewChannel();
  grpc::GenericStub stub(channel);
  google::protobuf::DynamicMessageFactory factory;
  const uint32_t seed = static_cast<uint32_t>(EnvInt("SLIHUB_FUZZ_SEED", 20261124));
  const int rounds = EnvInt("SLIHUB_FUZZ_ROUNDS", 100);
  RandomFiller filler(seed);
  std::mt19937 bytes_rng(seed);
  int calls = 0;
  int breaches = 0;
  std::map<int, int> codes;  // code -> how many answers, printed so a reader sees the reach
  for (int m = 0; m < service->method_count(); ++m) {
    const auto* method = service->method(m);
    if (method->client_streaming() || method->server_streaming()) continue;
    const std::string path = absl::StrCat("/", service_name, "/", method->name());
    const Message* prototype = factory.GetPrototype(method->input_type());
    const Message* generated =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(method->input_type());
    for (int round = 0; round < rounds; ++round) {
      std::string body;
      if (round % 10 == 9) {  // garbage that is not a valid message: the server must survive
        body.resize(static_cast<size_t>(bytes_rng() % 64));
        for (char& c : body) c = static_cast<char>(bytes_rng());
      } else {
        std::unique_ptr<Message> request(prototype->New());
        if (round > 0) filler.Fill(request.get(), 0);  // round 0: the empty request
        body = request->SerializeAsString();
      }
      const grpc::Status status = CallRaw(stub, path, body, tokens[round % 2]);
      ++calls;
      if (round % 10 == 9) {  // bytes that do not parse are answered as such, not UNIMPLEMENTED
        std::unique_ptr<Message> parsed(generated->New());
        if (!parsed->ParseFromString(body) &&
            (status.error_code() != grpc::StatusCode::INVALID_ARGUMENT ||
             GetErrorReason(FromGrpcStatus(status)) != "REQUEST_NOT_PARSED") &&
            ++breaches <= 25) {
          ADD_FAILURE() << path << " (seed " << seed << ", round " << round
                        << "): unparsable bytes answered " << status.error_code() << ": "
                        << status.error_message();
        }
        continue;
      }
      ++codes[status.error_code()];
      const std::string breach = ContractBreach(status);
      if (!breach.empty() && ++breaches <= 25) {
        ADD_FAILURE() << path << " (seed " << seed << ", round " << round << "): " << breach;
      }
    }
    ASSERT_TRUE(server.process().running()) << "the server died during " << path;
  }
  std::string histogram;
  for (const auto& [code, count] : codes) absl::StrAppend(&histogram, " code", code, "=", count);
  std::cout << service_name << ": " << calls << " calls;" << histogram << "\n";
  EXPECT_EQ(breaches, 0);
  EXPECT_GT(calls, 0);
  EXPECT_EQ(HealthStatus(channel), "SERVING");
}

INSTANTIATE_TEST_SUITE_P(AllServices, RpcFuzzTest,
                         ::testing::Values(std::string(slihub::workforce::v1::WorkforceService::service_full_name()),
                                           std::string(slihub::placement::v1::PlacementService::service_full_name()),
                                           std::string(slihub::datacollection::v1::DataCollectionService::service_full_name()),
                                           std::string(slihub::peerreview::v1::PeerReviewService::service_full_name())),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param.substr(info.param.rfind('.') + 1);
                         });

}  // namespace
}  // namespace slihub::testing
