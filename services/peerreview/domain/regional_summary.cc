#include "services/peerreview/domain/regional_summary.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/civil_date.h"
#include "common/base/html.h"

namespace slihub::peerreview {
namespace {

std::string MarkdownEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    if (std::string("\\`*_{}[]()#+-.!|<>&").find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string ThemeNames(const SummaryDocument& d, const std::vector<std::string>& ids) {
  std::vector<std::string> names;
  for (const std::string& id : ids) {
    std::string name = id;
    for (const SummaryTheme& t : d.theme_list) {
      if (t.theme_id == id) name = t.name;
    }
    names.push_back(name);
  }
  return absl::StrJoin(names, ", ");
}

}  // namespace

size_t AddStrength(std::vector<OfferedStrength>* strengths, OfferedStrength strength) {
  const std::string key = absl::AsciiStrToLower(absl::StripAsciiWhitespace(strength.text));
  for (size_t i = 0; i < strengths->size(); ++i) {
    OfferedStrength& earlier = (*strengths)[i];
    if (earlier.la_code != strength.la_code ||
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(earlier.text)) != key) {
      continue;
    }
    for (std::string& id : strength.theme_ids) {
      if (std::find(earlier.theme_ids.begin(), earlier.theme_ids.end(), id) ==
          earlier.theme_ids.end()) {
        earlier.theme_ids.push_back(std::move(id));
      }
    }
    return i;
  }
  strengths->push_back(std::move(strength));
  return strengths->size() - 1;
}

std::vector<RankedTheme> RankThemes(const std::vector<SummaryTheme>& themes,
                                    const std::vector<LaThemes>& las) {
  std::vector<RankedTheme> out;
  for (const SummaryTheme& theme : themes) {
    RankedTheme ranked;
    ranked.theme = theme;
    for (const LaThemes& la : las) {
      const bool dev = la.development.count(theme.theme_id) > 0;
      const bool prio = la.priorities.count(theme.theme_id) > 0;
      ranked.las_development += dev;
      ranked.las_priority += prio;
      if (dev || prio) ranked.la_codes.push_back(la.la_code);
    }
    std::sort(ranked.la_codes.begin(), ranked.la_codes.end());
    ranked.la_codes.erase(std::unique(ranked.la_codes.begin(), ranked.la_codes.end()), ranked.la_codes.end());
    ranked.distinct_las = static_cast<int>(ranked.la_codes.size());
    if (ranked.distinct_las > 0) out.push_back(std::move(ranked));
  }
  std::stable_sort(out.begin(), out.end(), [](const RankedTheme& a, const RankedTheme& b) {
    return a.distinct_las > b.distinct_las;
  });
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].rank = (i > 0 && out[i].distinct_las == out[i - 1].distinct_las) ? out[i - 1].rank
                                                                           : static_cast<int>(i) + 1;
  }
  return out;
}

std::vector<DueItem> ActionsDue(const std::vector<AgreedAction>& actions, absl::CivilDay as_of,
                                absl::CivilDay due_by) {
  std::vector<DueItem> out;
  for (const AgreedAction& a : actions) {
    if (a.open && a.due <= due_by) out.push_back({a, a.due < as_of});
  }
  std::sort(out.begin(), out.end(), [](const DueItem& a, const DueItem& b) {
    return std::tie(a.action.due, a.action.la_code, a.action.action_id) <
           std::tie(b.action.due, b.action.la_code, b.action.action_id);
  });
  return out;
}

std::string RenderMarkdown(const SummaryDocument& d) {
  std::string out = absl::StrCat("# Regional summary: ", MarkdownEscape(d.title), "\n\n");
  absl::StrAppend(&out, "Cycle ", MarkdownEscape(d.cycle_id), " as of ", d.as_of, ": ",
                  d.with_self_assessment, " of ", d.participating,
                  " participating LAs have a submitted self-assessment counted; ", d.with_findings,
                  " have peer findings recorded.\n\n");
  absl::StrAppend(&out, "## Shared themes\n\n",
                  "| Rank | Theme | LAs | Areas for development | Priorities | Named by |\n",
                  "|---:|---|---:|---:|---:|---|\n");
  for (const RankedTheme& t : d.themes) {
    absl::StrAppend(&out, "| ", t.rank, " | ", MarkdownEscape(t.theme.name), " | ", t.distinct_las,
                    " | ", t.las_development, " | ", t.las_priority, " | ",
                    absl::StrJoin(t.la_codes, ", "), " |\n");
  }
  absl::StrAppend(&out, "\n## Strengths to share\n\n");
  if (d.strengths.empty()) absl::StrAppend(&out, "None offered yet.\n");
  for (const OfferedStrength& s : d.strengths) {
    absl::StrAppend(&out, "- **", s.la_code, "** (", MarkdownEscape(ThemeNames(d, s.theme_ids)), "): ",
                    MarkdownEscape(s.text), "\n");
  }
  absl::StrAppend(&out, "\n## Actions due by ", d.due_by, "\n\n");
  if (d.actions_due.empty()) absl::StrAppend(&out, "None.\n");
  else absl::StrAppend(&out, "| Due | LA | Action | Owner | Overdue |\n|---|---|---|---|---|\n");
  for (const DueItem& item : d.actions_due) {
    absl::StrAppend(&out, "| ", FormatCivilDate(item.action.due), " | ", item.action.la_code, " | ",
                    MarkdownEscape(item.action.description), " | ", MarkdownEscape(item.action.owner), " | ",
                    item.overdue ? "yes" : "no", " |\n");
  }
  return out;
}

std::string RenderHtml(const SummaryDocument& d) {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Regional summary: ",
      HtmlEscape(d.title), "</title>\n<style>body{font-family:Arial,sans-serif;margin:2em;color:#0b0c0c}"
      "table{border-collapse:collapse}th,td{border:1px solid #b1b4b6;padding:4px 8px;text-align:left}"
      "td.n{text-align:right}</style>\n</head>\n<body>\n<h1>Regional summary: ",
      HtmlEscape(d.title), "</h1>\n<p>Cycle ", HtmlEscape(d.cycle_id), " as of ", d.as_of, ": ",
      d.with_self_assessment, " of ", d.participating,
      " participating LAs have a submitted self-assessment counted; ", d.with_findings,
      " have peer findings recorded.</p>\n<h2>Shared themes</h2>\n<table>\n"
      "<tr><th>Rank</th><th>Theme</th><th>LAs</th><th>Areas for development</th><th>Priorities</th>"
      "<th>Named by</th></tr>\n");
  for (const RankedTheme& t : d.themes) {
    absl::StrAppend(&out, "<tr><td class=\"n\">", t.rank, "</td><td>", HtmlEscape(t.theme.name),
                    "</td><td class=\"n\">", t.distinct_las, "</td><td class=\"n\">", t.las_development,
                    "</td><td class=\"n\">", t.las_priority, "</td><td>",
                    HtmlEscape(absl::StrJoin(t.la_codes, ", ")), "</td></tr>\n");
  }
  absl::StrAppend(&out, "</table>\n<h2>Strengths to share</h2>\n");
  if (d.strengths.empty()) absl::StrAppend(&out, "<p>None offered yet.</p>\n");
  else absl::StrAppend(&out, "<ul>\n");
  for (const OfferedStrength& s : d.strengths) {
    absl::StrAppend(&out, "<li><strong>", HtmlEscape(s.la_code), "</strong> (",
                    HtmlEscape(ThemeNames(d, s.theme_ids)), "): ", HtmlEscape(s.text), "</li>\n");
  }
  if (!d.strengths.empty()) absl::StrAppend(&out, "</ul>\n");
  absl::StrAppend(&out, "<h2>Actions due by ", d.due_by, "</h2>\n");
  if (d.actions_due.empty()) {
    absl::StrAppend(&out, "<p>None.</p>\n");
  } else {
    absl::StrAppend(&out, "<table>\n<tr><th>Due</th><th>LA</th><th>Action</th><th>Owner</th><th>Overdue</th></tr>\n");
    for (const DueItem& item : d.actions_due) {
      absl::StrAppend(&out, "<tr><td>", FormatCivilDate(item.action.due), "</td><td>",
                      HtmlEscape(item.action.la_code), "</td><td>", HtmlEscape(item.action.description),
                      "</td><td>", HtmlEscape(item.action.owner), "</td><td>", item.overdue ? "yes" : "no",
                      "</td></tr>\n");
    }
    absl::StrAppend(&out, "</table>\n");
  }
  absl::StrAppend(&out, "</body>\n</html>\n");
  return out;
}

}  // namespace slihub::peerreview
