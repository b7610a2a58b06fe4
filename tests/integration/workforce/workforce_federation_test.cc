// Workforce federation through real processes: three regions' workforce hubs (East of England,
// South East, London) as each other's peers and a real redis-server. A worker whose experience
// was gained in EE and SE is checked in London at NATIONAL scope: the experience rule counts both
// regions; with the SE hub dead it is INCONCLUSIVE naming SE (never FAIL) and strict mode fails
// UNAVAILABLE naming SE; without Redis answers stay right; a change at SE reaches London's cache
// through the change feed within a measured bound. The national compliance summary at London
// carries SE's and EE's own figures, follows a new SE engagement within the feed's bound, and is
// partial naming SE with SE dead.
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "gtest/gtest.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"
#include "tests/integration/cli_runner.h"
#include "tests/integration/hub_cluster.h"
#include "tests/integration/service_process.h"
#include "tests/integration/workforce/workforce_fixtures.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

constexpr char kSpanning[] = "SW5001";    // 24 months at EE, 12 at SE: 36 in all
constexpr char kUnasked[] = "SW5002";     // the same, never asked before SE dies
constexpr int kDeadlineMs = 1500;         // the hubs' --federation-deadline-ms (the default)

const wf::RuleResult& Experience(const wf::CheckEngagementResponse& r) {
  return r.check().results(2);  // rules in Rule order: PAY_CAP, COOLING_OFF, EXPERIENCE, ...
}

const cv1::RegionAnswer* RegionOf(const wf::CheckEngagementResponse& r, const std::string& code) {
  for (const cv1::RegionAnswer& a : r.federation().regions()) {
    if (a.region().value() == code) return &a;
  }
  return nullptr;
}

std::string StateOf(const wf::CheckEngagementResponse& r, const std::string& code) {
  const cv1::RegionAnswer* a = RegionOf(r, code);
  return a == nullptr ? "absent" : cv1::RegionAnswerState_Name(a->state());
}

// True when `code`'s part is in the answer and current (FRESH or CACHED).
bool Current(const wf::CheckEngagementResponse& r, const std::string& code) {
  const std::string state = StateOf(r, code);
  return state == "REGION_ANSWER_STATE_FRESH" || state == "REGION_ANSWER_STATE_CACHED";
}

class WorkforceFederationTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    cli_dir_ = new TempDir("slihub-workforce-federation-cli");
    HubClusterOptions options;
    options.service = "workforce";
    options.regions = {"EE", "SE", "LDN"};
    options.start_redis = true;
    // Redis as the only cache tier, so that CACHED here means Redis (the in-process tier in
    // front of it is covered by common/federation/federation_test.cc).
    options.extra_args = {absl::StrCat("--federation-deadline-ms=", kDeadlineMs),
                          "--federation-memory-entries=0"};
    cluster_ = new HubCluster(options);
    absl::Status started = cluster_->Start();
    ASSERT_TRUE(started.ok()) << started;
    ldn_hr_ = new std::string(cluster_->hub("LDN").IssueToken("202-hr", {Role::kHrOfficer}, "202"));
    ee_hr_ = new std::string(cluster_->hub("EE").IssueToken("873-hr", {Role::kHrOfficer}, "873"));
    se_hr_ = new std::string(cluster_->hub("SE").IssueToken("845-hr", {Role::kHrOfficer}, "845"));
    admins_ = new std::map<std::string, std::string>(cluster_->IssueAdminTokens());
    {
      grpc::Status status = PublishRules("LDN");
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    for (const char* swe : {kSpanning, kUnasked}) {
      ASSERT_TRUE(RecordPeriod("EE", *ee_hr_,
                               Period(absl::StrCat("ee-", swe), swe, "873", Date(2019, 1, 1),
                                      Date(2020, 12, 31))));
      ASSERT_TRUE(RecordPeriod("SE", *se_hr_,
                               Period(absl::StrCat("se-", swe), swe, "845", Date(2021, 1, 1),
                                      Date(2021, 12, 31))));
      grpc::Status status = RecordRegistered("LDN", *ldn_hr_, swe);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
  }
  static void TearDownTestSuite() {
    delete cluster_;
    delete admins_;
    delete cli_dir_;
    delete ldn_hr_;
    delete ee_hr_;
    delete se_hr_;
  }

  static HubCluster& Cluster() { return *cluster_; }
  // The regional admin token of `region`'s hub.
  static const std::string& Admin(const std::string& region) { return admins_->at(region); }
  static std::unique_ptr<wf::WorkforceService::Stub> Stub(const std::string& region) {
    return wf::WorkforceService::NewStub(cluster_->hub(region).NewChannel());
  }

  // Publishes EasternRules(31 Oct 2024, 4500) as `region`'s rule set at its hub, as its regional
  // admin.
  static grpc::Status PublishRules(const std::string& region) {
    wf::RuleSet rules = EasternRules(Date(2024, 10, 31), 4500);
    rules.mutable_region()->set_value(region);
    grpc::ClientContext context;
    PrepareContext(&context, Admin(region));
    wf::PublishRuleSetRequest request;
    request.set_request_id(NewRequestId());
    *request.mutable_rule_set() = rules;
    wf::PublishRuleSetResponse response;
    return Stub(region)->PublishRuleSet(&context, request, &response);
  }

  // Records at `region`'s hub, as `token`, that `swe` was found registered on 30 Nov 2025.
  static grpc::Status RecordRegistered(const std::string& region, const std::string& token,
                                       const std::string& swe) {
    grpc::ClientContext context;
    PrepareContext(&context, token);
    wf::RecordRegisterCheckRequest request;
    request.set_request_id(NewRequestId());
    request.set_swe_number(swe);
    request.set_status(wf::REGISTER_STATUS_REGISTERED);
    request.mutable_checked_at()->set_seconds(1764547200);  // 30 Nov 2025
    wf::RecordRegisterCheckResponse response;
    return Stub(region)->RecordRegisterCheck(&context, request, &response);
  }

  static bool RecordPeriod(const std::string& region, const std::string& token,
                           const wf::EmploymentPeriod& period) {
    grpc::ClientContext context;
    PrepareContext(&context, token);
    wf::BatchRecordEmploymentPeriodsRequest request;
    request.set_request_id(NewRequestId());
    *request.add_periods() = period;
    wf::BatchRecordEmploymentPeriodsResponse response;
    grpc::Status status = Stub(region)->BatchRecordEmploymentPeriods(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return status.ok() && response.counts().created() + response.counts().updated() == 1;
  }

  // CheckEngagement at the London hub by an HR officer of Camden (202).
  static grpc::Status Check(const std::string& swe, cv1::RegionScope scope,
                            cv1::FederationMode mode, wf::CheckEngagementResponse* response) {
    grpc::ClientContext context;
    PrepareContext(&context, *ldn_hr_);
    wf::CheckEngagementRequest request;
    *request.mutable_terms() = Terms(swe);
    request.mutable_terms()->mutable_la_code()->set_value("202");
    request.set_scope(scope);
    request.set_federation_mode(mode);
    return Stub("LDN")->CheckEngagement(&context, request, response);
  }

  // `slihub workforce check` of `swe`'s terms at the London hub, with `extra` arguments.
  static CliResult RunCheckCli(const std::string& swe, std::vector<std::string> extra) {
    std::vector<std::string> argv = {
        "workforce", "check", "--swe", swe, "--la", "202", "--job-type", "social-worker",
        "--model", "limited-company", "--start", "2026-01-05", "--pay-pence", "3900",
        "--notice-weeks", "4", "--reference", "la,la=926,practice,template,received=2025-12-01",
        "--reference", "la,la=935,practice,received=2025-12-01",
        "--endpoint=" + cluster_->hub("LDN").endpoint(), "--token=" + *ldn_hr_};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return RunCli(cli_dir_->path(), argv);
  }

  static TempDir* cli_dir_;
  static HubCluster* cluster_;
  static std::map<std::string, std::string>* admins_;
  static std::string* ldn_hr_;
  static std::string* ee_hr_;
  static std::string* se_hr_;
};

TempDir* WorkforceFederationTest::cli_dir_ = nullptr;
HubCluster* WorkforceFederationTest::cluster_ = nullptr;
std::map<std::string, std::string>* WorkforceFederationTest::admins_ = nullptr;
std::string* WorkforceFederationTest::ldn_hr_ = nullptr;
std::string* WorkforceFederationTest::ee_hr_ = nullptr;
std::string* WorkforceFederationTest::se_hr_ = nullptr;

TEST_F(WorkforceFederationTest, ExperienceFromTwoRegionsPassesInTheThird) {
  // London alone holds nothing: 0 months, FAIL, and only London in the answer.
  wf::CheckEngagementResponse own;
  grpc::Status status = Check(kSpanning, cv1::REGION_SCOPE_OWN_REGION,
                              cv1::FEDERATION_MODE_UNSPECIFIED, &own);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(Experience(own).outcome(), wf::RULE_OUTCOME_FAIL);
  EXPECT_EQ(Experience(own).experience().counted_months(), 0);
  ASSERT_EQ(own.federation().regions_size(), 1);
  EXPECT_EQ(own.federation().regions(0).region().value(), "LDN");
  EXPECT_FALSE(own.federation().partial());

  // The hubs started one after another: London's channel to a hub that was not yet listening
  // fails fast until gRPC's reconnect backoff (about a second) lets it try again.
  wf::CheckEngagementResponse national;
  ASSERT_TRUE(WaitFor(
      [&] {
        national.Clear();
        status = Check(kSpanning, cv1::REGION_SCOPE_NATIONAL, cv1::FEDERATION_MODE_UNSPECIFIED,
                       &national);
        return status.ok() && Current(national, "EE") && Current(national, "SE");
      },
      absl::Seconds(10), absl::Milliseconds(100)))
      << status.error_message() << national.federation().DebugString();
  EXPECT_EQ(Experience(national).outcome(), wf::RULE_OUTCOME_PASS)
      << Experience(national).explanation() << "\n" << national.federation().DebugString();
  EXPECT_EQ(Experience(national).experience().counted_months(), 36);
  ASSERT_EQ(Experience(national).experience().periods_used_size(), 2);
  for (const wf::QualifyingPeriod& p : Experience(national).experience().periods_used()) {
    EXPECT_TRUE(p.la_code().value().empty());  // where it was gained stays with that region
    EXPECT_TRUE(p.record_id().empty());
  }
  EXPECT_EQ(Experience(national).experience().periods_used(0).region().value(), "EE");
  EXPECT_EQ(Experience(national).experience().periods_used(1).region().value(), "SE");
  EXPECT_EQ(national.check().verdict(), wf::VERDICT_COMPLIANT);
  // Every region of England, London first; EE and SE answered; the six regions without a hub
  // here are reported missing, so the answer is partial.
  ASSERT_EQ(national.federation().regions_size(), 9);
  EXPECT_EQ(national.federation().regions(0).region().value(), "LDN");
  EXPECT_EQ(StateOf(national, "SE"), "REGION_ANSWER_STATE_FRESH");  // asked once it answered
  EXPECT_EQ(StateOf(national, "NW"), "REGION_ANSWER_STATE_UNAVAILABLE");
  EXPECT_FALSE(RegionOf(national, "NW")->reason().empty());
  EXPECT_TRUE(national.federation().partial());

  // The CLI shows each rule and each region's state.
  CliResult cli = RunCheckCli(kSpanning, {"--scope", "national"});
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_TRUE(absl::StrContains(cli.out, "verdict: COMPLIANT")) << cli.out;
  EXPECT_TRUE(absl::StrContains(cli.out, "EXPERIENCE")) << cli.out;
  EXPECT_TRUE(absl::StrContains(cli.out, "REGION")) << cli.out;
  EXPECT_TRUE(absl::StrContains(cli.out, "no peer hub is configured for region NW")) << cli.out;
  EXPECT_TRUE(absl::StrContains(cli.out, "regions (NATIONAL, partial):")) << cli.out;

  // GetQualifyingExperience at NATIONAL scope lists both regions' periods.
  grpc::ClientContext context;
  PrepareContext(&context, *ldn_hr_);
  wf::GetQualifyingExperienceRequest request;
  request.set_swe_number(kSpanning);
  request.set_scope(cv1::REGION_SCOPE_NATIONAL);
  wf::GetQualifyingExperienceResponse experience;
  status = Stub("LDN")->GetQualifyingExperience(&context, request, &experience);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(experience.periods_size(), 2);
  EXPECT_EQ(experience.periods(0).region().value(), "EE");
  EXPECT_EQ(experience.periods(1).region().value(), "SE");
  EXPECT_EQ(experience.federation().regions_size(), 9);

  // Strict: the regions without a hub fail it, but EE and SE are not among them.
  wf::CheckEngagementResponse strict;
  status = Check(kSpanning, cv1::REGION_SCOPE_NATIONAL, cv1::FEDERATION_MODE_STRICT, &strict);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(status.error_message().find("NW UNAVAILABLE"), std::string::npos);
  EXPECT_EQ(status.error_message().find("SE "), std::string::npos) << status.error_message();
  EXPECT_EQ(status.error_message().find("EE "), std::string::npos) << status.error_message();
  EXPECT_EQ(GetErrorReason(FromGrpcStatus(status)), "REGION_UNAVAILABLE");
}

TEST_F(WorkforceFederationTest, AChangeAtTheOwnerReachesTheCacheThroughTheChangeFeed) {
  // Asked again, SE's part comes from Redis (CACHED) once SE's change feed is in sync.
  wf::CheckEngagementResponse response;
  ASSERT_TRUE(WaitFor(
      [&] {
        response.Clear();
        return Check(kSpanning, cv1::REGION_SCOPE_NATIONAL, cv1::FEDERATION_MODE_UNSPECIFIED,
                     &response)
                   .ok() &&
               StateOf(response, "SE") == "REGION_ANSWER_STATE_CACHED";
      },
      absl::Seconds(10)));
  EXPECT_EQ(Experience(response).experience().counted_months(), 36);
  EXPECT_GT(RegionOf(response, "SE")->age().seconds() + RegionOf(response, "SE")->age().nanos(),
            0);

  // SE records six more months. Without invalidation London would serve the cached 36 months
  // for --federation-fresh-ms (5 minutes); the change feed must bring 42 within a second.
  ASSERT_TRUE(RecordPeriod("SE", *se_hr_,
                           Period("se-extra", kSpanning, "845", Date(2022, 1, 1),
                                  Date(2022, 6, 30))));
  const absl::Time written = absl::Now();
  int months = 0;
  bool seen = WaitFor(
      [&] {
        response.Clear();
        if (!Check(kSpanning, cv1::REGION_SCOPE_NATIONAL, cv1::FEDERATION_MODE_UNSPECIFIED,
                   &response)
                 .ok()) {
          return false;
        }
        months = Experience(response).experience().counted_months();
        return months == 42;
      },
      absl::Seconds(5), absl::Milliseconds(5));
  const absl::Duration bound = absl::Now() - written;
  std::printf("[federation] a change at SE seen at LDN after %.1f ms\n",
              absl::ToDoubleMilliseconds(bound));
  ASSERT_TRUE(seen) << "still " << months << " months";
  EXPECT_LT(bound, absl::Seconds(1));
}

TEST_F(WorkforceFederationTest, WithSouthEastDeadTheRuleIsInconclusiveNamingIt) {
  ASSERT_TRUE(cluster_->hub("SE").process().Kill().ok());

  // A worker London never asked about: SE's part is missing, 24 months found of 36.
  wf::CheckEngagementResponse response;
  const absl::Time asked = absl::Now();
  grpc::Status status = Check(kUnasked, cv1::REGION_SCOPE_NATIONAL,
                              cv1::FEDERATION_MODE_UNSPECIFIED, &response);
  const absl::Duration took = absl::Now() - asked;
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_LT(took, absl::Milliseconds(kDeadlineMs + 1000));
  EXPECT_EQ(Experience(response).outcome(), wf::RULE_OUTCOME_INCONCLUSIVE)
      << Experience(response).explanation();
  EXPECT_NE(Experience(response).explanation().find("SE"), std::string::npos);
  EXPECT_EQ(Experience(response).experience().counted_months(), 24);
  EXPECT_EQ(response.check().verdict(), wf::VERDICT_INCONCLUSIVE);
  EXPECT_TRUE(StateOf(response, "SE") == "REGION_ANSWER_STATE_UNAVAILABLE" ||
              StateOf(response, "SE") == "REGION_ANSWER_STATE_TIMED_OUT")
      << StateOf(response, "SE");
  EXPECT_FALSE(RegionOf(response, "SE")->reason().empty());
  EXPECT_EQ(StateOf(response, "EE"), "REGION_ANSWER_STATE_FRESH");
  EXPECT_TRUE(response.federation().partial());

  // Strict mode refuses, naming SE.
  wf::CheckEngagementResponse strict;
  status = Check(kUnasked, cv1::REGION_SCOPE_NATIONAL, cv1::FEDERATION_MODE_STRICT, &strict);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(status.error_message().find("SE UNAVAILABLE") != std::string::npos ||
              status.error_message().find("SE TIMED_OUT") != std::string::npos)
      << status.error_message();

  CliResult cli = RunCheckCli(kUnasked, {"--scope", "national"});
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_TRUE(absl::StrContains(cli.out, "INCONCLUSIVE")) << cli.out;
  EXPECT_TRUE(absl::StrContains(cli.out, "verdict: INCONCLUSIVE")) << cli.out;
  cli = RunCheckCli(kUnasked, {"--scope", "national", "--strict"});
  EXPECT_EQ(cli.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(cli.err, "UNAVAILABLE: strict federation")) << cli.err;
  EXPECT_TRUE(absl::StrContains(cli.err, "SE ")) << cli.err;

  // The worker London asked about before: SE's last answer is served STALE (partial), so the
  // months it held still count; strict mode still refuses a stale region.
  wf::CheckEngagementResponse stale;
  status = Check(kSpanning, cv1::REGION_SCOPE_NATIONAL, cv1::FEDERATION_MODE_UNSPECIFIED, &stale);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(StateOf(stale, "SE"), "REGION_ANSWER_STATE_STALE");
  EXPECT_EQ(Experience(stale).outcome(), wf::RULE_OUTCOME_PASS);
  EXPECT_TRUE(stale.federation().partial());
  status = Check(kSpanning, cv1::REGION_SCOPE_NATIONAL, cv1::FEDERATION_MODE_STRICT, &strict);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(status.error_message().find("SE STALE"), std::string::npos) << status.error_message();

  ASSERT_TRUE(cluster_->Restart("SE").ok());
  ASSERT_TRUE(WaitFor(
      [&] {
        response.Clear();
        return Check(kUnasked, cv1::REGION_SCOPE_NATIONAL, cv1::FEDERATION_MODE_UNSPECIFIED,
                     &response)
                   .ok() &&
               Experience(response).outcome() == wf::RULE_OUTCOME_PASS;
      },
      absl::Seconds(10)));
}

TEST_F(WorkforceFederationTest, WithoutRedisAnswersStayRightAndTheCacheReturnsWithIt) {
  ASSERT_TRUE(cluster_->redis()->Stop().ok());
  for (int i = 0; i < 2; ++i) {
    wf::CheckEngagementResponse response;
    grpc::Status status = Check(kSpanning, cv1::REGION_SCOPE_NATIONAL,
                                cv1::FEDERATION_MODE_UNSPECIFIED, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(Experience(response).outcome(), wf::RULE_OUTCOME_PASS);
    EXPECT_EQ(Experience(response).experience().counted_months(), 42);
    // Nothing to serve from: every lookup goes to the peer.
    EXPECT_EQ(StateOf(response, "SE"), "REGION_ANSWER_STATE_FRESH");
    EXPECT_EQ(StateOf(response, "EE"), "REGION_ANSWER_STATE_FRESH");
  }
  ASSERT_TRUE(cluster_->redis()->Restart().ok());
  wf::CheckEngagementResponse response;
  ASSERT_TRUE(WaitFor(
      [&] {
        response.Clear();
        return Check(kSpanning, cv1::REGION_SCOPE_NATIONAL, cv1::FEDERATION_MODE_UNSPECIFIED,
                     &response)
                   .ok() &&
               StateOf(response, "SE") == "REGION_ANSWER_STATE_CACHED" &&
               StateOf(response, "EE") == "REGION_ANSWER_STATE_CACHED";
      },
      absl::Seconds(15)));
  EXPECT_EQ(Experience(response).experience().counted_months(), 42);
  EXPECT_EQ(Experience(response).outcome(), wf::RULE_OUTCOME_PASS);
}

TEST_F(WorkforceFederationTest, ThePeerLookupServesHubsButRefusesOtherRegionsPeople) {
  // SE's hub (its certificate: role hub, region SE) at London reads the facts; an EE HR
  // officer's token has no business at London's hub.
  auto as_se_hub =
      wf::WorkforceService::NewStub(cluster_->hub("LDN").NewMachineChannel("SE", "workforce"));
  grpc::ClientContext context;
  PrepareContext(&context, "");
  wf::LookupWorkerFactsRequest request;
  request.set_swe_number(kSpanning);
  wf::LookupWorkerFactsResponse response;
  grpc::Status status = as_se_hub->LookupWorkerFacts(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.region().value(), "LDN");
  EXPECT_EQ(response.periods_size(), 0);
  ASSERT_EQ(response.register_checks_size(), 1);
  EXPECT_EQ(response.register_checks(0).recorder_la(), "202");

  grpc::ClientContext hr_context;
  PrepareContext(&hr_context, *ldn_hr_);
  wf::LookupWorkerFactsResponse refused;
  status = Stub("LDN")->LookupWorkerFacts(&hr_context, request, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}


// --- The national compliance summary ---

// GetComplianceSummary over Q1 2026 at `region`'s hub by its regional admin.
grpc::Status Summary(const std::string& region, cv1::RegionScope scope, cv1::FederationMode mode,
                     cv1::CivilDate first, cv1::CivilDate last,
                     wf::GetComplianceSummaryResponse* response) {
  grpc::ClientContext context;
  PrepareContext(&context, WorkforceFederationTest::Admin(region));
  wf::GetComplianceSummaryRequest request;
  *request.mutable_period_start() = first;
  *request.mutable_period_end() = last;
  request.set_scope(scope);
  request.set_federation_mode(mode);
  return WorkforceFederationTest::Stub(region)->GetComplianceSummary(&context, request, response);
}

std::string SummaryStateOf(const wf::GetComplianceSummaryResponse& r, const std::string& code) {
  for (const cv1::RegionAnswer& a : r.federation().regions()) {
    if (a.region().value() == code) return cv1::RegionAnswerState_Name(a.state());
  }
  return "absent";
}

// `region`'s rows of a summary (its LAs' rows, then its total), serialized for comparison.
std::vector<std::string> RowsOf(const wf::GetComplianceSummaryResponse& r,
                                const std::string& region) {
  std::vector<std::string> rows;
  for (const wf::LaComplianceSummary& row : r.la_summaries()) {
    if (row.region().value() == region) rows.push_back(row.SerializeAsString());
  }
  for (const wf::LaComplianceSummary& row : r.region_totals()) {
    if (row.region().value() == region) rows.push_back("total:" + row.SerializeAsString());
  }
  return rows;
}

int ActiveAt(const wf::GetComplianceSummaryResponse& r, const std::string& region) {
  for (const wf::LaComplianceSummary& row : r.region_totals()) {
    if (row.region().value() == region) return row.active_agency_workers();
  }
  return -1;
}

TEST_F(WorkforceFederationTest, NationalComplianceSummaryCarriesEachRegionsOwnFigures) {
  const cv1::CivilDate first = Date(2026, 1, 1);
  const cv1::CivilDate last = Date(2026, 3, 31);
  // SE engages a worker with 48 months at East Sussex, so its summary is not all zeros.
  {
    grpc::Status status = PublishRules("SE");
    ASSERT_TRUE(status.ok() || status.error_code() == grpc::StatusCode::ALREADY_EXISTS)
        << status.error_message();
  }
  auto engage_at_se = [&](const std::string& swe) {
    ASSERT_TRUE(RecordPeriod("SE", *se_hr_,
                             Period(absl::StrCat("se-perm-", swe), swe, "845", Date(2018, 1, 1),
                                    Date(2021, 12, 31))));
    {
      grpc::Status status = RecordRegistered("SE", *se_hr_, swe);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    grpc::ClientContext context;
    PrepareContext(&context, *se_hr_);
    wf::CreateEngagementRequest request;
    request.set_request_id(NewRequestId());
    request.set_record_id(absl::StrCat("se-eng-", swe));
    *request.mutable_terms() = Terms(swe);
    request.mutable_terms()->mutable_la_code()->set_value("845");
    request.mutable_terms()->set_contracted_minutes_per_week(2250);
    wf::CreateEngagementResponse response;
    grpc::Status status = Stub("SE")->CreateEngagement(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  };
  engage_at_se("SW5101");

  // The national summary at London: every LA row and the total of SE and EE, equal to what each
  // hub reports for itself.
  wf::GetComplianceSummaryResponse national;
  grpc::Status status;
  ASSERT_TRUE(WaitFor(
      [&] {
        national.Clear();
        status = Summary("LDN", cv1::REGION_SCOPE_NATIONAL, cv1::FEDERATION_MODE_UNSPECIFIED,
                         first, last, &national);
        // FRESH or CACHED: run alone, one hub may answer (and be cached) before the other.
        auto current = [&](const char* region) {
          const std::string state = SummaryStateOf(national, region);
          return state == "REGION_ANSWER_STATE_FRESH" || state == "REGION_ANSWER_STATE_CACHED";
        };
        return status.ok() && current("SE") && current("EE");
      },
      absl::Seconds(10), absl::Milliseconds(100)))
      << status.error_message() << national.federation().DebugString();
  for (const char* region : {"SE", "EE"}) {
    wf::GetComplianceSummaryResponse local;
    status = Summary(region, cv1::REGION_SCOPE_OWN_REGION, cv1::FEDERATION_MODE_UNSPECIFIED,
                     first, last, &local);
    ASSERT_TRUE(status.ok()) << status.error_message();
    const std::vector<std::string> rows = RowsOf(local, region);
    EXPECT_GT(rows.size(), 1u) << region;
    EXPECT_EQ(RowsOf(national, region), rows) << region;
  }
  EXPECT_EQ(ActiveAt(national, "SE"), 1);
  EXPECT_EQ(ActiveAt(national, "EE"), 0);
  EXPECT_EQ(ActiveAt(national, "LDN"), 0);
  // Region then LA code order; London's own region answered locally, first in federation.
  ASSERT_EQ(national.region_totals_size(), 3);
  EXPECT_EQ(national.region_totals(0).region().value(), "EE");
  EXPECT_EQ(national.region_totals(1).region().value(), "LDN");
  EXPECT_EQ(national.region_totals(2).region().value(), "SE");
  ASSERT_EQ(national.federation().regions_size(), 9);
  EXPECT_EQ(national.federation().regions(0).region().value(), "LDN");
  EXPECT_TRUE(national.federation().partial());  // six regions have no hub here
  EXPECT_EQ(SummaryStateOf(national, "NW"), "REGION_ANSWER_STATE_UNAVAILABLE");

  // Asked again, SE's part comes from Redis; a new engagement at SE reaches London's cache
  // through SE's change feed (the compliance feed publishes the periods peers asked).
  ASSERT_TRUE(WaitFor(
      [&] {
        national.Clear();
        return Summary("LDN", cv1::REGION_SCOPE_NATIONAL, cv1::FEDERATION_MODE_UNSPECIFIED,
                       first, last, &national)
                   .ok() &&
               SummaryStateOf(national, "SE") == "REGION_ANSWER_STATE_CACHED";
      },
      absl::Seconds(10)));
  EXPECT_EQ(ActiveAt(national, "SE"), 1);
  engage_at_se("SW5102");
  const absl::Time written = absl::Now();
  int active = 0;
  const bool seen = WaitFor(
      [&] {
        national.Clear();
        if (!Summary("LDN", cv1::REGION_SCOPE_NATIONAL, cv1::FEDERATION_MODE_UNSPECIFIED, first,
                     last, &national)
                 .ok()) {
          return false;
        }
        active = ActiveAt(national, "SE");
        return active == 2;
      },
      absl::Seconds(5), absl::Milliseconds(5));
  const absl::Duration bound = absl::Now() - written;
  std::printf("[federation] an engagement at SE seen in London's national summary after %.1f ms\n",
              absl::ToDoubleMilliseconds(bound));
  ASSERT_TRUE(seen) << "still " << active << " active at SE";
  EXPECT_LT(bound, absl::Seconds(1));

  // Strict: the regions without a hub fail it, EE and SE are not among them.
  wf::GetComplianceSummaryResponse strict;
  status = Summary("LDN", cv1::REGION_SCOPE_NATIONAL, cv1::FEDERATION_MODE_STRICT, first, last,
                   &strict);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(status.error_message().find("NW UNAVAILABLE"), std::string::npos);
  EXPECT_EQ(status.error_message().find("SE "), std::string::npos) << status.error_message();

  // SE killed: a period London never asked is partial, naming SE, with no SE rows; EE's rows
  // are still there. The period it asked before is served STALE (partial). Strict names SE.
  ASSERT_TRUE(cluster_->hub("SE").process().Kill().ok());
  wf::GetComplianceSummaryResponse partial;
  const absl::Time asked = absl::Now();
  status = Summary("LDN", cv1::REGION_SCOPE_NATIONAL, cv1::FEDERATION_MODE_UNSPECIFIED,
                   Date(2026, 4, 1), Date(2026, 6, 30), &partial);
  EXPECT_LT(absl::Now() - asked, absl::Milliseconds(kDeadlineMs + 1000));
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(partial.federation().partial());
  const std::string se_state = SummaryStateOf(partial, "SE");
  EXPECT_TRUE(se_state == "REGION_ANSWER_STATE_UNAVAILABLE" ||
              se_state == "REGION_ANSWER_STATE_TIMED_OUT")
      << se_state;
  EXPECT_TRUE(RowsOf(partial, "SE").empty());
  EXPECT_FALSE(RowsOf(partial, "EE").empty());
  EXPECT_EQ(SummaryStateOf(partial, "EE"), "REGION_ANSWER_STATE_FRESH");
  wf::GetComplianceSummaryResponse stale;
  status = Summary("LDN", cv1::REGION_SCOPE_NATIONAL, cv1::FEDERATION_MODE_UNSPECIFIED, first,
                   last, &stale);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(SummaryStateOf(stale, "SE"), "REGION_ANSWER_STATE_STALE");
  EXPECT_EQ(ActiveAt(stale, "SE"), 2);
  EXPECT_TRUE(stale.federation().partial());
  status = Summary("LDN", cv1::REGION_SCOPE_NATIONAL, cv1::FEDERATION_MODE_STRICT,
                   Date(2026, 4, 1), Date(2026, 6, 30), &strict);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(status.error_message().find("SE UNAVAILABLE") != std::string::npos ||
              status.error_message().find("SE TIMED_OUT") != std::string::npos)
      << status.error_message();
  ASSERT_TRUE(cluster_->Restart("SE").ok());
}

TEST_F(WorkforceFederationTest, TheSummaryLookupServesHubsAggregatesOnly) {
  auto as_ee_hub =
      wf::WorkforceService::NewStub(cluster_->hub("LDN").NewMachineChannel("EE", "workforce"));
  grpc::ClientContext context;
  PrepareContext(&context, "");
  wf::LookupComplianceSummaryRequest request;
  *request.mutable_period_start() = Date(2026, 1, 1);
  *request.mutable_period_end() = Date(2026, 3, 31);
  wf::LookupComplianceSummaryResponse response;
  grpc::Status status = as_ee_hub->LookupComplianceSummary(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.region().value(), "LDN");
  EXPECT_EQ(response.la_summaries_size(), 33);  // London's LAs
  EXPECT_EQ(response.region_total().region().value(), "LDN");

  grpc::ClientContext hr_context;
  PrepareContext(&hr_context, *ldn_hr_);
  wf::LookupComplianceSummaryResponse refused;
  status = Stub("LDN")->LookupComplianceSummary(&hr_context, request, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  grpc::ClientContext bad_context;
  PrepareContext(&bad_context, "");
  request.clear_period_end();
  status = as_ee_hub->LookupComplianceSummary(&bad_context, request, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace slihub::testing
