// PeerReviewService's reviewer directory: ListReviewerDirectory (what other regions' hubs ask of
// this one: directory facts of the current cycle's participating LAs, never free text or names)
// and FindReviewers (candidate reviewer LAs from this region's directory or, NATIONAL, every
// region's through the typed PeerReviewHubConnection, cached and invalidated by the owners' change
// feeds).
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/federation/change_log.h"
#include "common/federation/federation.h"
#include "common/federation/federation_info.h"
#include "common/server/proto_time.h"
#include "common/server/request_fields.h"
#include "services/peerreview/adapter/event_support.h"
#include "services/peerreview/adapter/handler_support.h"
#include "services/peerreview/adapter/peerreview_methods.h"
#include "services/peerreview/adapter/peerreview_service.h"
#include "services/peerreview/adapter/reviewer_search.h"
#include "services/peerreview/domain/reviewer_choice.h"
#include "services/peerreview/store/peerreview_store.h"
#include "services/peerreview/store/review_records_store.h"

namespace slihub::peerreview {
namespace {

namespace cpb = ::slihub::common::v1;

bool InProgress(v1::CycleState state) {
  return state >= v1::CYCLE_STATE_SELF_ASSESSMENT && state <= v1::CYCLE_STATE_SUMMARY;
}

// The directory facts of `cycle` and the region's thematic `reviews` (of every cycle).
void FillDirectory(const v1::Cycle& cycle, const std::vector<v1::ThematicReview>& reviews,
                   v1::ReviewerDirectory* out) {
  out->set_cycle_id(cycle.cycle_id());
  out->set_year(cycle.year());
  out->set_cycle_state(cycle.state());
  for (const v1::Theme& t : cycle.themes()) {
    v1::Theme* theme = out->add_themes();
    theme->set_theme_id(t.theme_id());
    theme->set_name(t.name());
  }
  std::map<std::string, int> challenges;
  for (const v1::Group& g : cycle.groups()) {
    for (const v1::Challenge& c : g.challenges()) {
      for (const auto& r : c.reviewers()) ++challenges[r.value()];
    }
  }
  std::map<std::string, std::set<std::string>> themes;
  std::map<std::string, int> live;
  for (const v1::ThematicReview& r : reviews) {
    const bool done = r.state() == v1::THEMATIC_REVIEW_STATE_CONFIRMED ||
                      r.state() == v1::THEMATIC_REVIEW_STATE_COMPLETED;
    const bool is_live = r.state() == v1::THEMATIC_REVIEW_STATE_PROPOSED ||
                         r.state() == v1::THEMATIC_REVIEW_STATE_CONFIRMED;
    for (const auto& m : r.team()) {
      if (done) themes[m.value()].insert(r.theme_id());
      if (is_live) ++live[m.value()];
    }
  }
  std::vector<const v1::Participant*> participants;
  for (const v1::Participant& p : cycle.participants()) participants.push_back(&p);
  std::sort(participants.begin(), participants.end(), [](const auto* a, const auto* b) {
    return a->la_code().value() < b->la_code().value();
  });
  for (const v1::Participant* p : participants) {
    const std::string& la = p->la_code().value();
    v1::ReviewerEntry* e = out->add_entries();
    e->mutable_la_code()->set_value(la);
    *e->mutable_region() = out->region();
    e->set_latest_ilacs_grade(p->latest_ilacs_grade());
    if (p->has_latest_ilacs_date()) *e->mutable_latest_ilacs_date() = p->latest_ilacs_date();
    for (const v1::Unavailability& u : cycle.unavailability()) {
      if (u.la_code().value() == la) *e->add_unavailable() = u.dates();  // never the reason
    }
    for (const std::string& theme : themes[la]) e->add_themes_reviewed(theme);
    e->set_challenges_reviewing(challenges[la]);
    e->set_thematic_reviews_live(live[la]);
  }
}

}  // namespace

absl::Status PeerReviewServiceImpl::ReadReviewerDirectory(const std::string& cycle_id,
                                                          v1::ReviewerDirectory* out) {
  const std::string& hub = context_.config->hub_region;
  out->mutable_region()->set_value(hub);
  *out->mutable_as_of_time() = ToProtoTimestamp(absl::Now());
  return context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
    std::optional<v1::Cycle> cycle;
    if (!cycle_id.empty()) {
      absl::StatusOr<std::optional<StoredCycle>> found = PeerReviewStore::GetCycle(tx, cycle_id);
      if (!found.ok()) return found.status();
      if (!found->has_value() || (*found)->cycle.region().value() != hub) {
        return absl::NotFoundError(absl::StrCat("no cycle ", cycle_id, " in region ", hub));
      }
      cycle = std::move((*found)->cycle);
    } else {
      absl::StatusOr<std::vector<v1::Cycle>> cycles = PeerReviewStore::ListCycles(tx, hub, 0, 0, 1000);
      if (!cycles.ok()) return cycles.status();
      for (v1::Cycle& c : *cycles) {  // latest year first
        if (InProgress(c.state())) {
          cycle = std::move(c);
          break;
        }
      }
      if (!cycle.has_value() && !cycles->empty()) cycle = std::move(cycles->front());
    }
    if (!cycle.has_value()) return absl::OkStatus();
    absl::StatusOr<std::vector<v1::ThematicReview>> reviews = ReviewRecordsStore::ListReviews(tx, hub, "");
    if (!reviews.ok()) return reviews.status();
    FillDirectory(*cycle, *reviews, out);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::ListReviewerDirectory(
    grpc::CallbackServerContext* context, const v1::ListReviewerDirectoryRequest* request,
    v1::ListReviewerDirectoryResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kListReviewerDirectory,
                     [this, request, response](const CallInfo&) -> absl::Status {
    FieldViolations v;
    if (!request->cycle_id().empty()) CheckId(request->cycle_id(), "cycle_id", &v);
    if (!v.empty()) return v.ToStatus();
    return ReadReviewerDirectory(request->cycle_id(), response->mutable_directory());
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::FindReviewers(
    grpc::CallbackServerContext* context, const v1::FindReviewersRequest* request,
    v1::FindReviewersResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kFindReviewers,
                     [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    const cpb::RegionScope scope = request->scope();
    if (scope != cpb::REGION_SCOPE_UNSPECIFIED && scope != cpb::REGION_SCOPE_OWN_REGION &&
        scope != cpb::REGION_SCOPE_NATIONAL) {
      v.Add("scope", "must be OWN_REGION or NATIONAL");
    }
    if (!request->theme_id().empty()) CheckId(request->theme_id(), "theme_id", &v);
    if (request->has_dates()) CheckDateRange(request->dates(), "dates", &v);
    for (int i = 0; i < request->excluded_size(); ++i) {
      if (!IsLaCodeSyntax(request->excluded(i).value())) {
        v.Add(absl::StrCat("excluded[", i, "].value"), "must be a DfE three-digit LA code, e.g. 873");
      }
    }
    if (request->max_candidates() < 0 || request->max_candidates() > 500) {
      v.Add("max_candidates", "must be 0 to 500");
    }
    if (!federation::IsKnownMode(request->federation_mode())) {
      v.Add("federation_mode", "must be a FederationMode");
    }
    if (!v.empty()) return v.ToStatus();
    const bool national = scope == cpb::REGION_SCOPE_NATIONAL;

    // Every asked region's directory, this hub's own first.
    const absl::Time now = absl::Now();
    v1::ListReviewerDirectoryResponse local;
    if (absl::Status read = ReadReviewerDirectory("", local.mutable_directory()); !read.ok()) {
      return read;
    }
    std::vector<std::string> others;
    if (context_.federation != nullptr) {
      others = context_.federation->other_regions();
    } else {
      for (const RegionRecord& region : context_.reference_data->regions()) {
        if (region.code != context_.config->hub_region) others.push_back(region.code);
      }
    }
    const RegionDirectories regions = GatherDirectories(
        context_.config->hub_region, now, std::move(local), national, hub_.get(), others);
    return AnswerFindReviewers(*request, call.principal().la_code, regions, now, response);
  });
}

}  // namespace slihub::peerreview
