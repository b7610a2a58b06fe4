// Choosing candidate reviewers from regions' reviewer directories (FindReviewers): a directory
// lookup, never a booking. Free of wire types.
#ifndef SLIHUB_SERVICES_PEERREVIEW_DOMAIN_REVIEWER_CHOICE_H_
#define SLIHUB_SERVICES_PEERREVIEW_DOMAIN_REVIEWER_CHOICE_H_

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"

namespace slihub::peerreview {

// One LA of a directory as the choice reads it. Plain value.
struct DirectoryLa {
  std::string la_code;
  std::string region;
  std::vector<std::pair<absl::CivilDay, absl::CivilDay>> unavailable;  // inclusive ranges
  std::set<std::string> themes_reviewed;
  int load = 0;  // challenges reviewing + live thematic reviews
};

// What the caller asks for. Plain value.
struct ReviewerQuery {
  std::string theme_id;  // empty: any
  std::optional<std::pair<absl::CivilDay, absl::CivilDay>> dates;  // free on every day of these
  std::set<std::string> excluded;  // never proposed (the caller's own LA among them)
  size_t max_candidates = 50;
};

// One candidate: the index of its DirectoryLa in the input and whether it reviewed the theme.
struct RankedReviewer {
  size_t index = 0;
  bool reviewed_theme = false;
};

// The LAs of `las` that are not excluded and (when dates are asked) not unavailable on any day of
// them, ordered: reviewed the theme first, then least load, then region and LA code; at most
// max_candidates. Deterministic; pure.
std::vector<RankedReviewer> RankReviewers(const std::vector<DirectoryLa>& las,
                                          const ReviewerQuery& query);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_DOMAIN_REVIEWER_CHOICE_H_
