// Every large or cached answer decodes the same in the most used Node stack (@grpc/grpc-js with
// @grpc/proto-loader, installed from npm by tools/dev into tools/node_modules) as in the C++
// client: the rug (GetBenchmark, with and without as_of_time), the peer review data pack, the
// regional summary, a match page and the quarterly return, each read by read_answer.js from the
// real servers of one hub. The script prints the answer's bytes as they arrived and its own
// decoding of them encoded again; the C++ parse of the first must equal the second, field for
// field (MessageDifferencer). A field sent in pieces that a protobufjs decoder does not merge
// (the rug did this) shows as a difference.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "slihub/peerreview/v1/peerreview_service.grpc.pb.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"
#include "tests/integration/any_client/four_services.h"
#include "tests/integration/service_process.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_pki.h"

namespace slihub::testing {
namespace {

namespace dc = ::slihub::datacollection::v1;
namespace pb = ::slihub::placement::v1;
namespace pr = ::slihub::peerreview::v1;
namespace wf = ::slihub::workforce::v1;

using google::protobuf::Message;
using google::protobuf::util::MessageDifferencer;

// What the Node client made of one answer.
struct NodeReading {
  std::string wire;     // the answer's bytes as they arrived
  std::string decoded;  // the Node client's decoding, encoded again
};

class NodeClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = new FourServices();
    ASSERT_TRUE(hub_->Start().ok());
  }
  static void TearDownTestSuite() {
    delete hub_;
    hub_ = nullptr;
  }

  // Calls `method` ("/pkg.Service/Method") of `server` with `request` through read_answer.js.
  static absl::StatusOr<NodeReading> ReadWithNode(ServiceProcess& server, const std::string& method,
                                                  const std::string& token,
                                                  const Message& request) {
    TempDir out;
    Subprocess node;
    const std::string script =
        std::string(SLIHUB_SOURCE_DIR) + "/tests/integration/any_client/read_answer.js";
    std::vector<std::string> argv = {"node", script, "--node-modules",
                                     std::string(SLIHUB_SOURCE_DIR) + "/tools/node_modules",
                                     "--protos", std::string(SLIHUB_SOURCE_DIR) + "/protos",
                                     "--endpoint", server.endpoint(), "--method", method,
                                     "--token", token, "--request-base64",
                                     absl::Base64Escape(request.SerializeAsString())};
    if (server.options().tls) {
      argv.insert(argv.end(), {"--ca-cert", SharedTestPki().ca_cert()});
    }
    if (absl::Status s = node.Start(argv, {}, out.path(), "node"); !s.ok()) {
      return s;
    }
    const std::optional<ExitStatus> exit = node.WaitForExit(absl::Seconds(60));
    if (!exit.has_value() || !exit->success()) {
      return absl::InternalError(absl::StrCat(method, ": node ",
                                              exit ? exit->ToString() : "ran past 60 s", ": ",
                                              node.ReadStderr()));
    }
    const std::vector<std::string> lines =
        absl::StrSplit(node.ReadStdout(), '\n', absl::SkipEmpty());
    NodeReading reading;
    if (lines.size() != 2 || !absl::Base64Unescape(lines[0], &reading.wire) ||
        !absl::Base64Unescape(lines[1], &reading.decoded)) {
      return absl::InternalError(absl::StrCat(method, ": unexpected output: ", node.ReadStdout()));
    }
    return reading;
  }

  // Reads `method`'s answer to `request` with Node and checks that the C++ parse of the same
  // bytes (into `cpp`) equals the Node client's reading, field for field.
  static void ExpectSameReading(ServiceProcess& server, const std::string& method,
                                const std::string& token, const Message& request, Message* cpp) {
    absl::StatusOr<NodeReading> reading = ReadWithNode(server, method, token, request);
    ASSERT_TRUE(reading.ok()) << reading.status();
    ASSERT_TRUE(cpp->ParseFromString(reading->wire)) << method << ": C++ cannot parse the answer";
    std::unique_ptr<Message> node(cpp->New());
    ASSERT_TRUE(node->ParseFromString(reading->decoded)) << method;
    std::string differences;
    MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&differences);
    EXPECT_TRUE(differencer.Compare(*cpp, *node))
        << method << ": the Node client read the answer differently:\n"
        << differences.substr(0, 4000);
    EXPECT_TRUE(MessageDifferencer::Equals(*cpp, *node)) << method;
  }

  // "/<service>/<method>".
  static std::string Path(const char* service, const char* method) {
    return absl::StrCat("/", service, "/", method);
  }

  static inline FourServices* hub_ = nullptr;
};

TEST_F(NodeClientTest, TheRugReadsTheSameWithAndWithoutAsOfTime) {
  ServiceProcess& server = hub_->datacollection();
  const std::string admin = server.IssueToken("ee-admin", {Role::kRegionalAdmin});
  auto stub = dc::DataCollectionService::NewStub(server.NewChannel());
  dc::ListCollectionPeriodsRequest periods_request;
  periods_request.set_collection_id("EE-core");
  periods_request.set_state(dc::PERIOD_STATE_LATE);
  dc::ListCollectionPeriodsResponse periods;
  grpc::ClientContext context;
  PrepareContext(&context, admin);
  ASSERT_TRUE(stub->ListCollectionPeriods(&context, periods_request, &periods).ok());
  ASSERT_GT(periods.periods_size(), 0);

  dc::GetBenchmarkRequest request;
  request.mutable_query()->mutable_region()->set_value("EE");
  request.mutable_query()->set_collection_id("EE-core");
  request.mutable_query()->set_period_id(periods.periods(0).period_id());
  request.mutable_query()->set_include_disproportionality(true);
  const std::string method = Path(dc::DataCollectionService::service_full_name(), "GetBenchmark");
  // Twice without as_of_time (computed, then from the cache), once with it.
  for (int round = 0; round < 3; ++round) {
    if (round == 2) {
      request.mutable_query()->mutable_as_of_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
    }
    SCOPED_TRACE(absl::StrCat("round ", round));
    dc::GetBenchmarkResponse cpp;
    ExpectSameReading(server, method, admin, request, &cpp);
    EXPECT_GT(cpp.benchmark().rows_size(), 5);
    EXPECT_GT(cpp.benchmark().la_codes_size(), 5);
    EXPECT_TRUE(cpp.benchmark().has_as_of_time());
    EXPECT_TRUE(cpp.has_federation());
  }
}

TEST_F(NodeClientTest, TheDataPackAndTheRegionalSummaryReadTheSame) {
  ServiceProcess& server = hub_->peerreview();
  const std::string admin = server.IssueToken("ee-admin", {Role::kRegionalAdmin});
  auto stub = pr::PeerReviewService::NewStub(server.NewChannel());
  pr::ListCyclesRequest cycles_request;
  cycles_request.set_state(pr::CYCLE_STATE_CHALLENGE);
  pr::ListCyclesResponse cycles;
  grpc::ClientContext context;
  PrepareContext(&context, admin);
  ASSERT_TRUE(stub->ListCycles(&context, cycles_request, &cycles).ok());
  ASSERT_GT(cycles.cycles_size(), 0);
  const pr::Cycle& cycle = cycles.cycles(0);
  ASSERT_GT(cycle.participants_size(), 0);

  pr::GetDataPackRequest pack_request;
  pack_request.set_cycle_id(cycle.cycle_id());
  *pack_request.mutable_host() = cycle.participants(0).la_code();
  pr::GetDataPackResponse pack;
  ExpectSameReading(server, Path(pr::PeerReviewService::service_full_name(), "GetDataPack"), admin,
                    pack_request, &pack);
  EXPECT_EQ(pack.data_pack().data_source_state(), pr::DATA_SOURCE_STATE_AVAILABLE)
      << pack.data_pack().data_source_detail();
  EXPECT_GT(pack.data_pack().items_size(), 5);

  pr::GetRegionalSummaryRequest summary_request;
  summary_request.set_cycle_id(cycle.cycle_id());
  pr::GetRegionalSummaryResponse summary;
  ExpectSameReading(server, Path(pr::PeerReviewService::service_full_name(), "GetRegionalSummary"),
                    admin, summary_request, &summary);
  EXPECT_GT(summary.summary().themes_size(), 0);
  EXPECT_GT(summary.summary().actions_due_size(), 0);
}

TEST_F(NodeClientTest, AMatchPageReadsTheSame) {
  ServiceProcess& server = hub_->placement();
  const std::string officer = server.IssueToken("926-po", {Role::kPlacementOfficer}, "926");
  auto stub = pb::PlacementService::NewStub(server.NewChannel());
  pb::CreateReferralRequest create;
  create.set_request_id("node-client-referral-1");
  pb::Referral* referral = create.mutable_referral();
  referral->mutable_la_code()->set_value("926");
  pb::ChildProfile* child = referral->mutable_profile();
  child->set_age_years(13);
  child->set_sex(pb::SEX_MALE);
  child->add_needs(pb::NEED_CATEGORY_EMOTIONAL_BEHAVIOURAL);
  child->mutable_home_location()->set_postcode_district("NR2");
  child->mutable_home_location()->mutable_coordinates()->set_latitude(52.63);
  child->mutable_home_location()->mutable_coordinates()->set_longitude(1.29);
  child->set_sibling_group_size(1);
  child->set_urgency(pb::URGENCY_URGENT);
  pb::CreateReferralResponse created;
  grpc::ClientContext context;
  PrepareContext(&context, officer);
  const grpc::Status made = stub->CreateReferral(&context, create, &created);
  ASSERT_TRUE(made.ok()) << made.error_message();

  pb::MatchPlacementsRequest request;
  request.set_referral_id(created.referral().referral_id());
  request.set_scope(slihub::common::v1::REGION_SCOPE_OWN_REGION);
  request.mutable_page()->set_page_size(50);
  pb::MatchPlacementsResponse page;
  ExpectSameReading(server, Path(pb::PlacementService::service_full_name(), "MatchPlacements"),
                    officer, request, &page);
  EXPECT_GT(page.matches_size(), 0);
}

TEST_F(NodeClientTest, TheQuarterlyReturnReadsTheSame) {
  ServiceProcess& server = hub_->workforce();
  const std::string hr = server.IssueToken("873-hr-1", {Role::kHrOfficer}, "873");
  // The last calendar quarter that has ended.
  const absl::CivilMonth month(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()));
  const absl::CivilMonth last_quarter_month = month - (month.month() - 1) % 3 - 1;
  wf::GenerateQuarterlyReturnRequest request;
  request.mutable_la_code()->set_value("873");
  request.mutable_quarter()->set_year(static_cast<int>(last_quarter_month.year()));
  request.mutable_quarter()->set_quarter((last_quarter_month.month() - 1) / 3 + 1);
  request.set_include_csv(true);
  wf::GenerateQuarterlyReturnResponse answer;
  ExpectSameReading(server,
                    Path(wf::WorkforceService::service_full_name(), "GenerateQuarterlyReturn"), hr,
                    request, &answer);
  EXPECT_GT(answer.quarterly_return().summary().rule_compliance_size(), 0);
  EXPECT_FALSE(answer.assignments_csv().empty());
}

}  // namespace
}  // namespace slihub::testing
