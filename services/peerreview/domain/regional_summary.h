// The regional summary of a cycle: themes ranked by how many LAs name them as areas for
// development or priorities, strengths offered to the region, and its Markdown and HTML renderings.
#ifndef SLIHUB_SERVICES_PEERREVIEW_DOMAIN_REGIONAL_SUMMARY_H_
#define SLIHUB_SERVICES_PEERREVIEW_DOMAIN_REGIONAL_SUMMARY_H_

#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"

namespace slihub::peerreview {

// One theme of the cycle's list.
struct SummaryTheme {
  std::string theme_id;
  std::string name;
};

// A strength an LA offers the region.
struct OfferedStrength {
  std::string la_code;
  std::vector<std::string> theme_ids;
  std::string text;
};

// Adds `strength` to `strengths` unless the same LA already offers the same text (compared
// ignoring ASCII case and surrounding white space); then its theme ids join the earlier entry's
// (in order, without repeats). Returns the index of the entry that holds it.
size_t AddStrength(std::vector<OfferedStrength>* strengths, OfferedStrength strength);

// What one LA's submitted self-assessment (or findings) says, by theme.
struct LaThemes {
  std::string la_code;
  std::set<std::string> development;  // theme ids named in areas for development
  std::set<std::string> priorities;   // theme ids named in priorities
};

// One theme's place: ties share a rank, listed in theme list order.
struct RankedTheme {
  int rank = 0;
  SummaryTheme theme;
  int distinct_las = 0;
  int las_development = 0;
  int las_priority = 0;
  std::vector<std::string> la_codes;  // in LA code order
};

// Ranks the themes of `themes` that at least one LA names as an area for development or a
// priority, by distinct LAs naming it (most first; equal counts share a rank, the next rank
// skipping as in 1, 1, 3), ties in theme list order. A theme no LA names that way (one named only
// in strengths, say) is left out, not listed with 0 LAs. Unknown theme ids are ignored.
std::vector<RankedTheme> RankThemes(const std::vector<SummaryTheme>& themes,
                                    const std::vector<LaThemes>& las);

// An agreed action from a host's findings.
struct AgreedAction {
  std::string la_code;
  std::string findings_id;
  std::string action_id;
  std::string description;
  std::string owner;
  absl::CivilDay due;
  bool open = true;  // OPEN or IN_PROGRESS (false: DONE or DROPPED)
};

// An action falling due, and whether it is already overdue.
struct DueItem {
  AgreedAction action;
  bool overdue = false;  // due before as_of
};

// The open actions due on or before `due_by`, earliest first (then LA, then action id); overdue
// when due before `as_of`.
std::vector<DueItem> ActionsDue(const std::vector<AgreedAction>& actions, absl::CivilDay as_of,
                                absl::CivilDay due_by);

// The summary as people read it.
struct SummaryDocument {
  std::string cycle_id;
  std::string title;  // for example "East of England peer review 2025-26"
  int participating = 0;
  int with_self_assessment = 0;  // LAs whose submitted self-assessment is counted
  int with_findings = 0;         // LAs with findings recorded
  std::string due_by;            // "YYYY-MM-DD": actions listed are due on or before it
  std::string as_of;             // "YYYY-MM-DD"
  std::vector<RankedTheme> themes;
  std::vector<OfferedStrength> strengths;
  std::vector<SummaryTheme> theme_list;  // to name theme ids
  std::vector<DueItem> actions_due;
};

// CommonMark; text from LAs is escaped so it cannot change the document's structure.
std::string RenderMarkdown(const SummaryDocument& document);
// One self-contained HTML page (inline CSS, no scripts); all text HTML-escaped.
std::string RenderHtml(const SummaryDocument& document);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_DOMAIN_REGIONAL_SUMMARY_H_
