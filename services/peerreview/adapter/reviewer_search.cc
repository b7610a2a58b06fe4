#include "services/peerreview/adapter/reviewer_search.h"

#include <utility>

#include "common/errors/errors.h"
#include "common/federation/federation_info.h"
#include "services/peerreview/adapter/event_support.h"
#include "services/peerreview/domain/reviewer_choice.h"

namespace slihub::peerreview {
namespace {

namespace cpb = ::slihub::common::v1;

DirectoryLa ToDirectoryLa(const v1::ReviewerEntry& e) {
  DirectoryLa la;
  la.la_code = e.la_code().value();
  la.region = e.region().value();
  for (const v1::DateRange& range : e.unavailable()) {
    FieldViolations ignored;
    const DayRange days = ToDayRange(range, "unavailable", &ignored);
    if (days.set) la.unavailable.emplace_back(days.start, days.end);
  }
  la.themes_reviewed.insert(e.themes_reviewed().begin(), e.themes_reviewed().end());
  la.load = e.challenges_reviewing() + e.thematic_reviews_live();
  return la;
}

}  // namespace

RegionDirectories GatherDirectories(const std::string& hub_region, absl::Time now,
                                    v1::ListReviewerDirectoryResponse local, bool national,
                                    PeerReviewHubConnection* hub,
                                    const std::vector<std::string>& other_regions) {
  RegionDirectories out;
  out.outcomes.push_back(federation::LocalOutcome(hub_region, now));
  out.directories.emplace_back(std::move(local));
  if (!national) return out;
  if (hub == nullptr) {
    for (const std::string& region : other_regions) {
      federation::RegionOutcome none;
      none.region = region;
      none.reason = "this hub has no federation";
      out.outcomes.push_back(std::move(none));
      out.directories.emplace_back();
    }
    return out;
  }
  for (auto& part : hub->ListReviewerDirectory(other_regions)) {
    out.outcomes.push_back(std::move(part.outcome));
    out.directories.push_back(std::move(part.reply));
  }
  return out;
}

absl::Status AnswerFindReviewers(const v1::FindReviewersRequest& request,
                                 const std::string& caller_la, const RegionDirectories& regions,
                                 absl::Time now, v1::FindReviewersResponse* response) {
  if (federation::IsStrict(request.federation_mode())) {
    if (absl::Status every = federation::RequireEveryRegion(regions.outcomes); !every.ok()) {
      return every;
    }
  }
  // A region's entries count only from the region it names (a peer cannot speak for another).
  std::vector<const v1::ReviewerEntry*> entries;
  std::vector<DirectoryLa> las;
  for (size_t r = 0; r < regions.directories.size() && r < regions.outcomes.size(); ++r) {
    const auto& directory = regions.directories[r];
    if (!directory.has_value() || !regions.outcomes[r].has_answer()) continue;
    for (const v1::ReviewerEntry& e : directory->directory().entries()) {
      if (e.region().value() != regions.outcomes[r].region) continue;
      entries.push_back(&e);
      las.push_back(ToDirectoryLa(e));
    }
  }
  ReviewerQuery query;
  query.theme_id = request.theme_id();
  if (request.has_dates()) {
    FieldViolations ignored;
    const DayRange days = ToDayRange(request.dates(), "dates", &ignored);
    if (days.set) query.dates = std::make_pair(days.start, days.end);
  }
  for (const auto& la : request.excluded()) query.excluded.insert(la.value());
  if (!caller_la.empty()) query.excluded.insert(caller_la);
  query.max_candidates = request.max_candidates() == 0 ? 50 : request.max_candidates();
  for (const RankedReviewer& ranked : RankReviewers(las, query)) {
    v1::ReviewerCandidate* c = response->add_candidates();
    *c->mutable_entry() = *entries[ranked.index];
    c->set_reviewed_theme(ranked.reviewed_theme);
  }
  const bool national = request.scope() == cpb::REGION_SCOPE_NATIONAL;
  federation::FillFederationInfo(
      national ? cpb::REGION_SCOPE_NATIONAL : cpb::REGION_SCOPE_OWN_REGION, regions.outcomes, now,
      response->mutable_federation());
  return absl::OkStatus();
}

}  // namespace slihub::peerreview
