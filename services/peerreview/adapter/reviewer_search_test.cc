// FindReviewers' merge of every region's directory against the fake hub connection: what is asked
// of the peers, candidates from every answering region (STALE included), never an entry a peer
// gives for another region, never the caller's LA or the excluded ones, theme and dates honoured,
// each region's state, and strict mode naming the region that is not current.
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "common/errors/errors.h"
#include "gtest/gtest.h"
#include "services/peerreview/adapter/reviewer_search.h"
#include "services/peerreview/client/testing/fake_peerreview_hub_connection.h"

namespace slihub::peerreview {
namespace {

namespace cpb = ::slihub::common::v1;
using testing::FakePeerReviewHubConnection;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

struct Entry {
  std::string region;
  std::string la;
  int load = 0;
  std::vector<std::string> themes;
  bool busy_2031_06 = false;  // unavailable 2031-06-01..2031-06-30
};

Entry E(std::string region, std::string la, int load = 0, std::vector<std::string> themes = {},
        bool busy_2031_06 = false) {
  return Entry{std::move(region), std::move(la), load, std::move(themes), busy_2031_06};
}

v1::ListReviewerDirectoryResponse Directory(const std::string& region,
                                            const std::vector<Entry>& entries) {
  v1::ListReviewerDirectoryResponse r;
  r.mutable_directory()->mutable_region()->set_value(region);
  for (const Entry& e : entries) {
    v1::ReviewerEntry* out = r.mutable_directory()->add_entries();
    out->mutable_region()->set_value(e.region);
    out->mutable_la_code()->set_value(e.la);
    out->set_challenges_reviewing(e.load);
    for (const std::string& t : e.themes) out->add_themes_reviewed(t);
    if (e.busy_2031_06) {
      v1::DateRange* d = out->add_unavailable();
      d->mutable_start()->set_year(2031);
      d->mutable_start()->set_month(6);
      d->mutable_start()->set_day(1);
      d->mutable_end()->set_year(2031);
      d->mutable_end()->set_month(6);
      d->mutable_end()->set_day(30);
    }
  }
  return r;
}

federation::RegionOutcome Outcome(federation::RegionState state) {
  federation::RegionOutcome o;
  o.state = state;
  o.as_of = kNow - absl::Seconds(5);
  if (state == federation::RegionState::kStale) o.reason = "peer down";
  return o;
}

std::vector<std::pair<std::string, std::string>> Candidates(const v1::FindReviewersResponse& r) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& c : r.candidates()) {
    out.emplace_back(c.entry().region().value(), c.entry().la_code().value());
  }
  return out;
}

class ReviewerSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_.SetDirectory("SE", Outcome(federation::RegionState::kFresh),
                      Directory("SE", {E("SE", "826", 2), E("SE", "850", 0, {"T-EDU"}),
                                       // A peer cannot speak for another region.
                                       E("LDN", "202", 0)}));
    hub_.SetDirectory("LDN", Outcome(federation::RegionState::kStale),
                      Directory("LDN", {E("LDN", "202", 1, {}, true)}));
  }

  RegionDirectories National() {
    return GatherDirectories("EE", kNow, Directory("EE", {E("EE", "873", 1), E("EE", "881", 3)}),
                             /*national=*/true, &hub_, {"SE", "LDN", "NW"});
  }

  static v1::FindReviewersRequest Request(cpb::FederationMode mode) {
    v1::FindReviewersRequest request;
    request.set_scope(cpb::REGION_SCOPE_NATIONAL);
    request.set_federation_mode(mode);
    return request;
  }

  FakePeerReviewHubConnection hub_;  // NW never set: UNAVAILABLE
};

TEST_F(ReviewerSearchTest, NationalMergesEveryAnsweringRegionWithItsState) {
  const RegionDirectories regions = National();
  ASSERT_EQ(hub_.asked().size(), 1u);
  EXPECT_EQ(hub_.asked()[0], (std::vector<std::string>{"SE", "LDN", "NW"}));

  v1::FindReviewersResponse response;
  ASSERT_TRUE(
      AnswerFindReviewers(Request(cpb::FEDERATION_MODE_PARTIAL), "873", regions, kNow, &response)
          .ok());
  // Least loaded first, then region and LA code; the caller's own LA (873) never; SE's entry
  // naming LDN dropped; LDN's own entry kept from its STALE copy.
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"SE", "850"}, {"LDN", "202"}, {"SE", "826"}, {"EE", "881"}};
  EXPECT_EQ(Candidates(response), expected);
  const cpb::FederationInfo& info = response.federation();
  EXPECT_EQ(info.scope(), cpb::REGION_SCOPE_NATIONAL);
  ASSERT_EQ(info.regions_size(), 4);
  EXPECT_EQ(info.regions(0).region().value(), "EE");
  EXPECT_EQ(info.regions(0).state(), cpb::REGION_ANSWER_STATE_FRESH);
  EXPECT_EQ(info.regions(1).state(), cpb::REGION_ANSWER_STATE_FRESH);
  EXPECT_EQ(info.regions(2).state(), cpb::REGION_ANSWER_STATE_STALE);
  EXPECT_EQ(info.regions(2).reason(), "peer down");
  EXPECT_EQ(info.regions(3).region().value(), "NW");
  EXPECT_EQ(info.regions(3).state(), cpb::REGION_ANSWER_STATE_UNAVAILABLE);
  EXPECT_TRUE(info.partial());
}

TEST_F(ReviewerSearchTest, ThemeDatesAndExclusionsApplyAcrossRegions) {
  const RegionDirectories regions = National();
  v1::FindReviewersRequest request = Request(cpb::FEDERATION_MODE_PARTIAL);
  request.set_theme_id("T-EDU");
  request.add_excluded()->set_value("826");
  request.mutable_dates()->mutable_start()->set_year(2031);
  request.mutable_dates()->mutable_start()->set_month(6);
  request.mutable_dates()->mutable_start()->set_day(2);
  request.mutable_dates()->mutable_end()->set_year(2031);
  request.mutable_dates()->mutable_end()->set_month(6);
  request.mutable_dates()->mutable_end()->set_day(3);
  request.set_max_candidates(2);
  v1::FindReviewersResponse response;
  ASSERT_TRUE(AnswerFindReviewers(request, "", regions, kNow, &response).ok());
  // 850 reviewed the theme (first); 202 is away; 826 excluded; then the least loaded: 873.
  EXPECT_EQ(Candidates(response),
            (std::vector<std::pair<std::string, std::string>>{{"SE", "850"}, {"EE", "873"}}));
  EXPECT_TRUE(response.candidates(0).reviewed_theme());
  EXPECT_FALSE(response.candidates(1).reviewed_theme());
}

TEST_F(ReviewerSearchTest, StrictFailsNamingEveryRegionNotCurrent) {
  const RegionDirectories regions = National();
  v1::FindReviewersResponse response;
  const absl::Status strict = AnswerFindReviewers(Request(cpb::FEDERATION_MODE_STRICT), "",
                                                  regions, kNow, &response);
  EXPECT_EQ(strict.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(strict.message(), "LDN STALE")) << strict;
  EXPECT_TRUE(absl::StrContains(strict.message(), "NW UNAVAILABLE")) << strict;
  EXPECT_FALSE(absl::StrContains(strict.message(), "SE")) << strict;
  EXPECT_EQ(GetErrorReason(strict), "REGION_UNAVAILABLE");
  EXPECT_EQ(response.candidates_size(), 0);
  EXPECT_FALSE(response.has_federation());
}

TEST_F(ReviewerSearchTest, OwnRegionAsksNoPeerAndNoFederationMarksEveryOtherRegionUnavailable) {
  const RegionDirectories own = GatherDirectories(
      "EE", kNow, Directory("EE", {E("EE", "873")}), /*national=*/false, &hub_, {"SE"});
  EXPECT_TRUE(hub_.asked().empty());
  v1::FindReviewersRequest request;
  v1::FindReviewersResponse response;
  ASSERT_TRUE(AnswerFindReviewers(request, "", own, kNow, &response).ok());
  EXPECT_EQ(response.federation().scope(), cpb::REGION_SCOPE_OWN_REGION);
  EXPECT_EQ(response.federation().regions_size(), 1);
  EXPECT_EQ(response.candidates_size(), 1);

  const RegionDirectories alone = GatherDirectories(
      "EE", kNow, Directory("EE", {E("EE", "873")}), /*national=*/true, nullptr, {"SE", "LDN"});
  ASSERT_EQ(alone.outcomes.size(), 3u);
  EXPECT_EQ(alone.outcomes[1].state, federation::RegionState::kUnavailable);
  EXPECT_EQ(alone.outcomes[1].reason, "this hub has no federation");
  EXPECT_FALSE(alone.directories[2].has_value());
}

}  // namespace
}  // namespace slihub::peerreview
