// The regional summary of a cycle: themes ranked by how many LAs name them as areas for
// development or priorities, strengths offered to the region, and its Markdown and HTML renderings.
#ifndef SLIHUB_SERVICES_PEERREVIEW_DOMAIN_REGIONAL_SUMMARY_H_
#define SLIHUB_SERVICES_PEERREVIEW_DOMAIN_REGIONAL_SUMMARY_H_

#include <set>
#include <string>
#include <vector>

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

// Ranks every theme of `themes` by distinct LAs naming it (most first; equal counts share a rank,
// the next rank skipping as in 1, 1, 3), ties in theme list order. Unknown theme ids are ignored.
std::vector<RankedTheme> RankThemes(const std::vector<SummaryTheme>& themes,
                                    const std::vector<LaThemes>& las);

// The summary as people read it.
struct SummaryDocument {
  std::string cycle_id;
  std::string title;  // for example "East of England peer review 2025-26"
  int participating = 0;
  int with_self_assessment = 0;  // LAs whose submitted self-assessment is counted
  std::string as_of;             // "YYYY-MM-DD"
  std::vector<RankedTheme> themes;
  std::vector<OfferedStrength> strengths;
  std::vector<SummaryTheme> theme_list;  // to name theme ids
};

// CommonMark; text from LAs is escaped so it cannot change the document's structure.
std::string RenderMarkdown(const SummaryDocument& document);
// One self-contained HTML page (inline CSS, no scripts); all text HTML-escaped.
std::string RenderHtml(const SummaryDocument& document);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_DOMAIN_REGIONAL_SUMMARY_H_
