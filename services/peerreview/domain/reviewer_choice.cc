#include "services/peerreview/domain/reviewer_choice.h"

#include <algorithm>
#include <tuple>

namespace slihub::peerreview {

std::vector<RankedReviewer> RankReviewers(const std::vector<DirectoryLa>& las,
                                          const ReviewerQuery& query) {
  std::vector<RankedReviewer> out;
  for (size_t i = 0; i < las.size(); ++i) {
    const DirectoryLa& la = las[i];
    if (query.excluded.count(la.la_code)) continue;
    if (query.dates.has_value()) {
      // Plain names, not a structured binding: clang 14 cannot capture those in a lambda.
      const auto first = query.dates->first;
      const auto last = query.dates->second;
      const bool clash = std::any_of(la.unavailable.begin(), la.unavailable.end(),
                                     [&](const auto& r) { return r.first <= last && first <= r.second; });
      if (clash) continue;
    }
    out.push_back({i, !query.theme_id.empty() && la.themes_reviewed.count(query.theme_id) > 0});
  }
  std::sort(out.begin(), out.end(), [&](const RankedReviewer& a, const RankedReviewer& b) {
    const DirectoryLa& x = las[a.index];
    const DirectoryLa& y = las[b.index];
    return std::make_tuple(!a.reviewed_theme, x.load, x.region, x.la_code) <
           std::make_tuple(!b.reviewed_theme, y.load, y.region, y.la_code);
  });
  if (out.size() > query.max_candidates) out.resize(query.max_candidates);
  return out;
}

}  // namespace slihub::peerreview
