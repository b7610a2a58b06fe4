// Peer review federation with real processes: East of England, South East and London peer review
// hubs (demo data: each has a current cycle) sharing a real Redis. EE's NATIONAL FindReviewers
// lists the reviewer LAs of all three regions' directories with each region's state; another
// region's hub may read the directory and nothing else; an unavailability declared at SE reaches
// EE's answer through the change feed within a measured bound (under one second, with a freshness
// bound of 5 s so that only the feed can explain it) and its reason never crosses; with SE killed
// the answer comes back within the deadline with SE STALE, then UNAVAILABLE, and STRICT fails
// UNAVAILABLE naming SE.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "gtest/gtest.h"
#include "slihub/peerreview/v1/peerreview_service.grpc.pb.h"
#include "tests/integration/cli_runner.h"
#include "tests/integration/hub_cluster.h"
#include "tests/support/temp_dir.h"

namespace slihub::testing {
namespace {

namespace pr = ::slihub::peerreview::v1;
namespace cpb = ::slihub::common::v1;

const std::vector<std::string> kRegions = {"EE", "SE", "LDN"};

cpb::CivilDate Date(absl::CivilDay day) {
  cpb::CivilDate d;
  d.set_year(static_cast<int>(day.year()));
  d.set_month(day.month());
  d.set_day(day.day());
  return d;
}

class PeerReviewFederationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HubClusterOptions options;
    options.service = "peerreview";
    options.regions = kRegions;
    options.start_redis = true;
    options.extra_args = {"--demo-data", "--federation-fresh-ms=5000",
                          "--federation-stale-max-ms=6000"};
    cluster_ = std::make_unique<HubCluster>(options);
    const absl::Status started = cluster_->Start();
    ASSERT_TRUE(started.ok()) << started;
    admins_ = cluster_->IssueAdminTokens();
  }

  // A stub to `region`'s hub; with `as_hub`, presenting the certificate of that region's hub.
  std::unique_ptr<pr::PeerReviewService::Stub> Stub(const std::string& region,
                                                   const std::string& as_hub = "") {
    return pr::PeerReviewService::NewStub(
        as_hub.empty() ? cluster_->hub(region).NewChannel()
                       : cluster_->hub(region).NewMachineChannel(as_hub, "peerreview"));
  }

  // The directory of `region` as `token` reads it, or (with `as_hub`) as that region's hub.
  absl::StatusOr<pr::ReviewerDirectory> Directory(const std::string& region,
                                                  const std::string& token,
                                                  const std::string& as_hub = "") {
    pr::ListReviewerDirectoryRequest request;
    pr::ListReviewerDirectoryResponse response;
    grpc::ClientContext context;
    PrepareContext(&context, token, absl::Seconds(20));
    const grpc::Status status =
        Stub(region, as_hub)->ListReviewerDirectory(&context, request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    return response.directory();
  }

  absl::StatusOr<pr::FindReviewersResponse> Find(cpb::FederationMode mode,
                                                 const std::optional<absl::CivilDay>& day = {},
                                                 const std::string& token = "",
                                                 const std::string& as_hub = "") {
    pr::FindReviewersRequest request;
    request.set_scope(cpb::REGION_SCOPE_NATIONAL);
    request.set_federation_mode(mode);
    request.set_max_candidates(500);
    if (day.has_value()) {
      *request.mutable_dates()->mutable_start() = Date(*day);
      *request.mutable_dates()->mutable_end() = Date(*day + 1);
    }
    pr::FindReviewersResponse response;
    grpc::ClientContext context;
    PrepareContext(&context, token.empty() && as_hub.empty() ? admins_["EE"] : token,
                   absl::Seconds(20));
    const grpc::Status status = Stub("EE", as_hub)->FindReviewers(&context, request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    return response;
  }

  static const cpb::RegionAnswer* AnswerOf(const pr::FindReviewersResponse& r,
                                           const std::string& region) {
    for (const cpb::RegionAnswer& a : r.federation().regions()) {
      if (a.region().value() == region) return &a;
    }
    return nullptr;
  }

  static bool Current(const cpb::RegionAnswer* a) {
    return a != nullptr && (a->state() == cpb::REGION_ANSWER_STATE_FRESH ||
                            a->state() == cpb::REGION_ANSWER_STATE_CACHED);
  }

  static std::set<std::pair<std::string, std::string>> Candidates(
      const pr::FindReviewersResponse& r) {
    std::set<std::pair<std::string, std::string>> out;
    for (const pr::ReviewerCandidate& c : r.candidates()) {
      out.emplace(c.entry().region().value(), c.entry().la_code().value());
    }
    return out;
  }

  // Waits (hubs reconnect with backoff) until EE's national answer has SE and LDN current.
  void WaitForPeers() {
    const absl::Time start = absl::Now();
    while (absl::Now() - start < absl::Seconds(20)) {
      auto national = Find(cpb::FEDERATION_MODE_PARTIAL);
      ASSERT_TRUE(national.ok()) << national.status();
      if (Current(AnswerOf(*national, "SE")) && Current(AnswerOf(*national, "LDN"))) return;
      absl::SleepFor(absl::Milliseconds(200));
    }
    FAIL() << "EE never reached SE and LDN";
  }

  std::unique_ptr<HubCluster> cluster_;
  std::map<std::string, std::string> admins_;
};

TEST_F(PeerReviewFederationTest, NationalReviewersComeFromEveryRegionWithEachRegionsState) {
  // Another region's hub may read the directory, and nothing else.
  auto ee_by_se = Directory("EE", "", /*as_hub=*/"SE");
  ASSERT_TRUE(ee_by_se.ok()) << ee_by_se.status();
  EXPECT_EQ(ee_by_se->region().value(), "EE");
  EXPECT_FALSE(ee_by_se->cycle_id().empty());
  EXPECT_GT(ee_by_se->entries_size(), 5);
  {
    pr::ListCyclesRequest request;
    pr::ListCyclesResponse response;
    grpc::ClientContext context;
    PrepareContext(&context, "");
    EXPECT_EQ(Stub("EE", "SE")->ListCycles(&context, request, &response).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    auto find = Find(cpb::FEDERATION_MODE_PARTIAL, {}, "", /*as_hub=*/"SE");
    EXPECT_EQ(find.status().code(), absl::StatusCode::kPermissionDenied) << find.status();
  }

  // Each region's own directory, as its admin reads it: what EE's national answer must hold.
  std::set<std::pair<std::string, std::string>> expected;
  std::map<std::string, std::string> cycle_of;
  for (const std::string& region : kRegions) {
    auto own = Directory(region, admins_[region]);
    ASSERT_TRUE(own.ok()) << region << ": " << own.status();
    EXPECT_EQ(own->cycle_state(), pr::CYCLE_STATE_CHALLENGE) << region;
    cycle_of[region] = own->cycle_id();
    for (const pr::ReviewerEntry& e : own->entries()) {
      EXPECT_EQ(e.region().value(), region);
      expected.emplace(region, e.la_code().value());
    }
  }

  // The hubs started one after another: wait until EE reaches SE and LDN (reconnect backoff).
  const absl::Time start = absl::Now();
  absl::StatusOr<pr::FindReviewersResponse> national;
  bool peers_up = false;
  while (!peers_up && absl::Now() - start < absl::Seconds(20)) {
    national = Find(cpb::FEDERATION_MODE_PARTIAL);
    ASSERT_TRUE(national.ok()) << national.status();
    peers_up = Current(AnswerOf(*national, "SE")) && Current(AnswerOf(*national, "LDN"));
    if (!peers_up) absl::SleepFor(absl::Milliseconds(200));
  }
  ASSERT_TRUE(peers_up) << "EE never reached SE and LDN";
  EXPECT_EQ(Candidates(*national), expected);
  EXPECT_EQ(national->federation().scope(), cpb::REGION_SCOPE_NATIONAL);
  EXPECT_EQ(national->federation().regions_size(), 9);
  EXPECT_EQ(national->federation().regions(0).region().value(), "EE");
  EXPECT_EQ(national->federation().regions(0).state(), cpb::REGION_ANSWER_STATE_FRESH);
  ASSERT_NE(AnswerOf(*national, "NW"), nullptr);
  EXPECT_EQ(AnswerOf(*national, "NW")->state(), cpb::REGION_ANSWER_STATE_UNAVAILABLE);
  EXPECT_TRUE(national->federation().partial());
  // Once EE follows SE's and LDN's change feeds (they reconnect with backoff too), answers come
  // from Redis.
  absl::StatusOr<pr::FindReviewersResponse> cached;
  bool from_cache = false;
  while (!from_cache && absl::Now() - start < absl::Seconds(30)) {
    cached = Find(cpb::FEDERATION_MODE_PARTIAL);
    ASSERT_TRUE(cached.ok()) << cached.status();
    from_cache = AnswerOf(*cached, "SE")->state() == cpb::REGION_ANSWER_STATE_CACHED &&
                 AnswerOf(*cached, "LDN")->state() == cpb::REGION_ANSWER_STATE_CACHED;
    if (!from_cache) absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_TRUE(from_cache) << "EE never served SE's and LDN's directories from its cache";
  EXPECT_EQ(Candidates(*cached), expected);

  // A peer reviewer is never offered its own LA.
  const std::string ee_la = ee_by_se->entries(0).la_code().value();
  const std::string reviewer =
      cluster_->hub("EE").IssueToken("ee-reviewer", {Role::kPeerReviewer}, ee_la);
  auto as_reviewer = Find(cpb::FEDERATION_MODE_PARTIAL, {}, reviewer);
  ASSERT_TRUE(as_reviewer.ok()) << as_reviewer.status();
  EXPECT_EQ(Candidates(*as_reviewer).count({"EE", ee_la}), 0u);
  EXPECT_EQ(Candidates(*as_reviewer).size(), expected.size() - 1);

  // Strict: the regions without a hub are named; the three running ones are not.
  auto strict = Find(cpb::FEDERATION_MODE_STRICT);
  ASSERT_EQ(strict.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(strict.status().message(), "NW")) << strict.status();
  EXPECT_FALSE(absl::StrContains(strict.status().message(), "SE ")) << strict.status();
  EXPECT_EQ(GetErrorReason(strict.status()), "REGION_UNAVAILABLE");

  // An unavailability declared at SE reaches EE's cached answer through the change feed.
  std::string se_la;
  for (const auto& [region, la] : expected) {
    if (region == "SE" && se_la.empty()) se_la = la;
  }
  ASSERT_FALSE(se_la.empty());
  const absl::CivilDay day = absl::CivilDay(2031, 6, 2);
  auto before = Find(cpb::FEDERATION_MODE_PARTIAL, day);
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_EQ(Candidates(*before).count({"SE", se_la}), 1u);
  auto before_cached = Find(cpb::FEDERATION_MODE_PARTIAL, day);
  ASSERT_TRUE(before_cached.ok());
  ASSERT_EQ(AnswerOf(*before_cached, "SE")->state(), cpb::REGION_ANSWER_STATE_CACHED)
      << "the measured bound must be the change feed's, not a cache miss";
  {
    pr::DeclareUnavailabilityRequest request;
    request.set_request_id("fed-unavailable-1");
    request.set_cycle_id(cycle_of["SE"]);
    request.mutable_unavailability()->mutable_la_code()->set_value(se_la);
    *request.mutable_unavailability()->mutable_dates()->mutable_start() = Date(day);
    *request.mutable_unavailability()->mutable_dates()->mutable_end() = Date(day + 4);
    request.mutable_unavailability()->set_reason("private-reason-text");
    pr::DeclareUnavailabilityResponse response;
    grpc::ClientContext context;
    PrepareContext(&context, admins_["SE"]);
    const grpc::Status status = Stub("SE")->DeclareUnavailability(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  const absl::Time changed = absl::Now();
  absl::Duration bound = absl::InfiniteDuration();
  pr::FindReviewersResponse after;
  while (absl::Now() - changed < absl::Seconds(5)) {
    auto again = Find(cpb::FEDERATION_MODE_PARTIAL, day);
    ASSERT_TRUE(again.ok()) << again.status();
    if (Candidates(*again).count({"SE", se_la}) == 0) {
      bound = absl::Now() - changed;
      after = *std::move(again);
      break;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  std::cerr << "SE's unavailability seen in EE's national answer after " << bound << "\n";
  EXPECT_LT(bound, absl::Seconds(1)) << "the change feed did not invalidate EE's cached copy";
  EXPECT_EQ(Candidates(after).size(), expected.size() - 1);
  // The dates cross, the reason never does.
  auto se_seen = Find(cpb::FEDERATION_MODE_PARTIAL);
  ASSERT_TRUE(se_seen.ok());
  bool dates_seen = false;
  for (const pr::ReviewerCandidate& c : se_seen->candidates()) {
    if (c.entry().la_code().value() != se_la) continue;
    for (const pr::DateRange& r : c.entry().unavailable()) {
      dates_seen |= r.start().year() == 2031 && r.start().month() == 6 && r.start().day() == 2;
    }
  }
  EXPECT_TRUE(dates_seen);
  EXPECT_FALSE(absl::StrContains(se_seen->SerializeAsString(), "private-reason-text"));
  auto se_by_ee = Directory("SE", "", /*as_hub=*/"EE");
  ASSERT_TRUE(se_by_ee.ok()) << se_by_ee.status();
  EXPECT_FALSE(absl::StrContains(se_by_ee->SerializeAsString(), "private-reason-text"));

  // SE killed: within the deadline, SE's cached directory is used and marked STALE.
  ASSERT_TRUE(cluster_->hub("SE").process().Kill().ok());
  absl::Time asked = absl::Now();
  auto stale = Find(cpb::FEDERATION_MODE_PARTIAL);
  absl::Duration took = absl::Now() - asked;
  ASSERT_TRUE(stale.ok()) << stale.status();
  EXPECT_LT(took, absl::Milliseconds(1500 + 1000)) << "one federation deadline, not more";
  ASSERT_NE(AnswerOf(*stale, "SE"), nullptr);
  EXPECT_EQ(AnswerOf(*stale, "SE")->state(), cpb::REGION_ANSWER_STATE_STALE);
  EXPECT_FALSE(AnswerOf(*stale, "SE")->reason().empty());
  EXPECT_TRUE(Current(AnswerOf(*stale, "LDN")));
  EXPECT_EQ(Candidates(*stale), expected);
  auto strict_stale = Find(cpb::FEDERATION_MODE_STRICT);
  EXPECT_EQ(strict_stale.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(strict_stale.status().message(), "SE STALE"))
      << strict_stale.status();

  // Past --federation-stale-max-ms SE's part is dropped: UNAVAILABLE, its LAs gone, the rest kept.
  absl::SleepFor(absl::Milliseconds(6200));
  asked = absl::Now();
  auto missing = Find(cpb::FEDERATION_MODE_PARTIAL);
  took = absl::Now() - asked;
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_LT(took, absl::Milliseconds(1500 + 1000)) << "one federation deadline, not more";
  const cpb::RegionAnswer* se = AnswerOf(*missing, "SE");
  ASSERT_NE(se, nullptr);
  EXPECT_TRUE(se->state() == cpb::REGION_ANSWER_STATE_UNAVAILABLE ||
              se->state() == cpb::REGION_ANSWER_STATE_TIMED_OUT)
      << se->state();
  std::set<std::pair<std::string, std::string>> without_se;
  for (const auto& p : expected) {
    if (p.first != "SE") without_se.insert(p);
  }
  EXPECT_EQ(Candidates(*missing), without_se);
  auto strict_missing = Find(cpb::FEDERATION_MODE_STRICT);
  EXPECT_EQ(strict_missing.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(strict_missing.status().message(), "SE UNAVAILABLE") ||
              absl::StrContains(strict_missing.status().message(), "SE TIMED_OUT"))
      << strict_missing.status();
}

// The line of `table` (the CLI's output) that starts with `first`, or empty.
std::string LineOf(const std::string& table, const std::string& first) {
  for (absl::string_view line : absl::StrSplit(table, '\n')) {
    if (absl::StartsWith(line, first + " ")) return std::string(line);
  }
  return "";
}

TEST_F(PeerReviewFederationTest, CliPrintsEachRegionsStateAboveTheCandidates) {
  WaitForPeers();
  auto national = Find(cpb::FEDERATION_MODE_PARTIAL);
  ASSERT_TRUE(national.ok()) << national.status();
  TempDir dir;
  const std::vector<std::string> base = {"peer", "reviewers", "--scope=national", "--max=500",
                                         "--endpoint=" + cluster_->hub("EE").endpoint(),
                                         "--token=" + admins_["EE"]};
  const CliResult cli = RunCli(dir.path(), base);
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  std::cerr << "slihub peer reviewers --scope=national:\n" << cli.out;
  EXPECT_TRUE(absl::StartsWith(cli.out, "regions (NATIONAL, partial):")) << cli.out;
  EXPECT_TRUE(absl::StrContains(LineOf(cli.out, "EE"), "FRESH")) << cli.out;
  for (const std::string region : {"SE", "LDN"}) {
    const std::string line = LineOf(cli.out, region);
    EXPECT_TRUE(absl::StrContains(line, "FRESH") || absl::StrContains(line, "CACHED")) << cli.out;
  }
  EXPECT_TRUE(absl::StrContains(LineOf(cli.out, "NW"), "UNAVAILABLE")) << cli.out;
  EXPECT_TRUE(absl::StrContains(LineOf(cli.out, "NW"), "no peer hub is configured")) << cli.out;
  // The states come above the candidates, and every candidate of the service's answer is listed.
  const size_t candidates_at = cli.out.find("candidate reviewer LAs");
  ASSERT_NE(candidates_at, std::string::npos) << cli.out;
  EXPECT_LT(cli.out.find("NW "), candidates_at);
  EXPECT_TRUE(absl::StrContains(cli.out, absl::StrCat(national->candidates_size(),
                                                      " candidate reviewer LAs")))
      << cli.out;
  std::set<std::string> regions_listed;
  for (const pr::ReviewerCandidate& c : national->candidates()) {
    bool found = false;
    for (absl::string_view line : absl::StrSplit(cli.out.substr(candidates_at), '\n')) {
      const std::vector<absl::string_view> cells =
          absl::StrSplit(line, ' ', absl::SkipEmpty());
      if (cells.size() >= 3 && cells[1] == c.entry().region().value() &&
          cells[2] == c.entry().la_code().value()) {
        found = true;
      }
    }
    EXPECT_TRUE(found) << c.entry().region().value() << " " << c.entry().la_code().value() << "\n"
                       << cli.out;
    regions_listed.insert(c.entry().region().value());
  }
  EXPECT_EQ(regions_listed, (std::set<std::string>{"EE", "SE", "LDN"}));

  // Strict: exit 1, the missing regions named.
  std::vector<std::string> strict_args = base;
  strict_args.push_back("--strict");
  const CliResult strict = RunCli(dir.path(), strict_args);
  EXPECT_EQ(strict.exit_code, 1) << strict.out;
  EXPECT_TRUE(absl::StrContains(strict.err, "UNAVAILABLE")) << strict.err;
  EXPECT_TRUE(absl::StrContains(strict.err, "NW")) << strict.err;

  // LDN killed: its cached directory is used and the CLI says so (STALE, with the reason).
  ASSERT_TRUE(cluster_->hub("LDN").process().Kill().ok());
  const CliResult stale = RunCli(dir.path(), base);
  ASSERT_EQ(stale.exit_code, 0) << stale.err;
  const std::string ldn = LineOf(stale.out, "LDN");
  EXPECT_TRUE(absl::StrContains(ldn, "STALE")) << stale.out;
  EXPECT_GT(ldn.size(), std::string("LDN STALE").size() + 10) << "age and reason shown: " << ldn;
}

}  // namespace
}  // namespace slihub::testing
