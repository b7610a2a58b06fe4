// PeerReviewService's regional summary: themes ranked from the submitted self-assessments'
// areas for development and priorities, strengths offered to the region, Markdown and HTML.
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/civil_date.h"
#include "common/base/england_time.h"
#include "common/errors/errors.h"
#include "common/server/proto_time.h"
#include "common/server/request_fields.h"
#include "services/peerreview/adapter/convert.h"
#include "services/peerreview/adapter/handler_support.h"
#include "services/peerreview/adapter/peerreview_methods.h"
#include "services/peerreview/adapter/peerreview_service.h"
#include "services/peerreview/domain/regional_summary.h"
#include "services/peerreview/store/review_records_store.h"

namespace slihub::peerreview {
namespace {

// Builds the summary of `cycle_id` for the caller: the proto and the document to render.
absl::Status BuildSummary(store::Database& db, const CallInfo& call, const std::string& cycle_id,
                          const common::v1::CivilDate& due_by, v1::RegionalSummary* summary,
                          SummaryDocument* document) {
  FieldViolations v;
  CheckId(cycle_id, "cycle_id", &v);
  std::optional<absl::CivilDay> due = ToCivilDay(due_by, "actions_due_by", &v);
  if (!v.empty()) return v.ToStatus();
  const absl::CivilDay today = TodayInEngland();
  return db.Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<StoredCycle> stored = LoadCycleOfRegion(tx, call.principal(), cycle_id);
    if (!stored.ok()) return stored.status();
    const v1::Cycle& cycle = stored->cycle;
    absl::StatusOr<std::vector<v1::SelfAssessment>> all =
        PeerReviewStore::ListSelfAssessments(tx, cycle_id, "");
    if (!all.ok()) return all.status();
    std::vector<SummaryTheme> themes;
    for (const v1::Theme& t : cycle.themes()) themes.push_back({t.theme_id(), t.name()});
    std::map<std::string, LaThemes> las;
    std::vector<v1::FindingsSource> sources;  // of document->strengths, index by index
    auto share = [&](const std::string& la, const v1::Statement& s, v1::FindingsSource source) {
      const size_t at = AddStrength(&document->strengths,
                                    {la, {s.theme_ids().begin(), s.theme_ids().end()}, s.text()});
      if (at == sources.size()) sources.push_back(source);
    };
    for (const v1::SelfAssessment& sa : *all) {
      if (sa.state() < v1::SELF_ASSESSMENT_STATE_SUBMITTED) continue;
      const std::string& code = sa.la_code().value();
      LaThemes& la = las[code];
      la.la_code = code;
      for (const auto& section : sa.content().sections()) {
        for (const auto& s : section.areas_for_development()) la.development.insert(s.theme_ids().begin(), s.theme_ids().end());
        for (const auto& s : section.strengths()) {
          if (s.share_with_region()) share(code, s, v1::FINDINGS_SOURCE_UNSPECIFIED);
        }
      }
      for (const auto& p : sa.content().priorities()) la.priorities.insert(p.theme_ids().begin(), p.theme_ids().end());
      for (const auto& offer : sa.content().asks_and_offers()) {
        if (offer.kind() != v1::ASK_OFFER_KIND_OFFER) continue;
        v1::Statement s;
        s.add_theme_ids(offer.theme_id());
        s.set_text(offer.text());
        share(code, s, v1::FINDINGS_SOURCE_UNSPECIFIED);
      }
    }
    document->with_self_assessment = static_cast<int>(las.size());
    absl::StatusOr<std::vector<v1::Findings>> findings = ReviewRecordsStore::ListFindings(tx, cycle_id);
    if (!findings.ok()) return findings.status();
    std::set<std::string> with_findings;
    std::vector<AgreedAction> actions;
    FieldViolations ignored;
    for (const v1::Findings& f : *findings) {
      const std::string& code = f.host().value();
      with_findings.insert(code);
      LaThemes& la = las[code];
      la.la_code = code;
      for (const auto& s : f.areas_for_development()) la.development.insert(s.theme_ids().begin(), s.theme_ids().end());
      for (const auto& s : f.strengths()) {
        if (s.share_with_region()) share(code, s, f.source());
      }
      for (const v1::Action& a : f.actions()) {
        const std::optional<absl::CivilDay> day = ToCivilDay(a.due_date(), "due_date", &ignored);
        if (!day) continue;
        const bool open = a.status() == v1::ACTION_STATUS_OPEN || a.status() == v1::ACTION_STATUS_IN_PROGRESS;
        actions.push_back({code, f.findings_id(), a.action_id(), a.description(), a.owner(), *day, open});
      }
    }
    for (size_t i = 0; i < document->strengths.size(); ++i) {
      const OfferedStrength& strength = document->strengths[i];
      v1::SharedStrength* shared = summary->add_strengths_to_share();
      shared->mutable_la_code()->set_value(strength.la_code);
      for (const std::string& id : strength.theme_ids) shared->add_theme_ids(id);
      shared->set_text(strength.text);
      shared->set_source(sources[i]);
    }
    const absl::CivilDay due_by = due ? *due : today + 90;
    document->actions_due = ActionsDue(actions, today, due_by);
    document->due_by = FormatCivilDate(due_by);
    document->with_findings = static_cast<int>(with_findings.size());
    summary->set_las_with_findings(document->with_findings);
    for (const DueItem& item : document->actions_due) {
      v1::DueAction* out = summary->add_actions_due();
      out->mutable_la_code()->set_value(item.action.la_code);
      out->set_findings_id(item.action.findings_id);
      out->set_overdue(item.overdue);
      for (const v1::Findings& f : *findings) {
        if (f.findings_id() != item.action.findings_id) continue;
        for (const v1::Action& a : f.actions()) {
          if (a.action_id() == item.action.action_id) *out->mutable_action() = a;
        }
      }
    }
    std::vector<LaThemes> counted;
    for (auto& [code, la] : las) counted.push_back(std::move(la));
    document->cycle_id = cycle.cycle_id();
    document->title = cycle.name();
    document->participating = cycle.participants_size();
    document->as_of = FormatCivilDate(today);
    document->theme_list = themes;
    document->themes = RankThemes(themes, counted);
    summary->set_cycle_id(cycle.cycle_id());
    *summary->mutable_region() = cycle.region();
    summary->set_year(cycle.year());
    summary->set_las_participating(cycle.participants_size());
    for (const RankedTheme& ranked : document->themes) {
      v1::ThemeRanking* out = summary->add_themes();
      out->set_rank(ranked.rank);
      for (const v1::Theme& t : cycle.themes()) {
        if (t.theme_id() == ranked.theme.theme_id) *out->mutable_theme() = t;
      }
      out->set_distinct_las(ranked.distinct_las);
      out->set_las_development(ranked.las_development);
      out->set_las_priority(ranked.las_priority);
      for (const std::string& la : ranked.la_codes) out->add_la_codes()->set_value(la);
    }
    *summary->mutable_as_of_date() = ToProtoDate(today);
    *summary->mutable_actions_due_by() = ToProtoDate(due_by);
    *summary->mutable_compute_time() = ToProtoTimestamp(absl::Now());
    return absl::OkStatus();
  });
}

}  // namespace

grpc::ServerUnaryReactor* PeerReviewServiceImpl::GetRegionalSummary(
    grpc::CallbackServerContext* context, const v1::GetRegionalSummaryRequest* request,
    v1::GetRegionalSummaryResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kGetRegionalSummary,
               [this, request, response](const CallInfo& call) -> absl::Status {
    SummaryDocument document;
    return BuildSummary(*context_.database, call, request->cycle_id(), request->actions_due_by(),
                        response->mutable_summary(), &document);
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::ExportRegionalSummary(
    grpc::CallbackServerContext* context, const v1::ExportRegionalSummaryRequest* request,
    v1::ExportRegionalSummaryResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kExportRegionalSummary,
               [this, request, response](const CallInfo& call) -> absl::Status {
    if (request->format() != v1::SUMMARY_FORMAT_MARKDOWN && request->format() != v1::SUMMARY_FORMAT_HTML) {
      FieldViolations v;
      v.Add("format", "must be MARKDOWN or HTML");
      return v.ToStatus();
    }
    v1::RegionalSummary summary;
    SummaryDocument document;
    absl::Status built = BuildSummary(*context_.database, call, request->cycle_id(),
                                      request->actions_due_by(), &summary, &document);
    if (!built.ok()) return built;
    const bool html = request->format() == v1::SUMMARY_FORMAT_HTML;
    response->set_content(html ? RenderHtml(document) : RenderMarkdown(document));
    response->set_content_type(html ? "text/html; charset=utf-8" : "text/markdown; charset=utf-8");
    response->set_file_name(absl::StrCat(request->cycle_id(), "-summary.", html ? "html" : "md"));
    return absl::OkStatus();
  });
}

}  // namespace slihub::peerreview
