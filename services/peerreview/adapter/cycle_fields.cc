#include "services/peerreview/adapter/cycle_fields.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/server/request_fields.h"
#include "services/peerreview/adapter/convert.h"
#include "services/peerreview/adapter/handler_support.h"
#include "services/peerreview/adapter/themes.h"

namespace slihub::peerreview {

void CheckEditableFields(const v1::Cycle& in, const ReferenceData& refdata,
                         const std::string& region, FieldViolations* v) {
  CheckText(in.name(), "cycle.name", TextRule{200, false, false}, v);
  std::set<std::string> seen;
  for (int i = 0; i < in.participants_size(); ++i) {
    const auto& p = in.participants(i);
    const std::string field = absl::StrCat("cycle.participants[", i, "]");
    ReadLaOfRegion(refdata, p.la_code().value(), region, field + ".la_code.value", v);
    if (!seen.insert(p.la_code().value()).second) v->Add(field + ".la_code.value", "is listed twice");
    if (!v1::OfstedGrade_IsValid(p.latest_ilacs_grade())) {
      v->Add(field + ".latest_ilacs_grade", "is not an OfstedGrade value");
    }
    ToCivilDay(p.latest_ilacs_date(), field + ".latest_ilacs_date", v);
  }
  const PhaseDates phases = ToPhaseDates(in.phases(), "cycle.phases", v);
  for (const FieldViolation& order : CheckPhaseOrder(phases)) {
    v->Add("cycle.phases." + order.field, order.description);
  }
  CheckThemes(in.themes(), "cycle.themes", v);
}

void SetParticipantsSorted(const v1::Cycle& in, v1::Cycle* out) {
  std::vector<v1::Participant> participants(in.participants().begin(), in.participants().end());
  std::sort(participants.begin(), participants.end(), [](const auto& a, const auto& b) {
    return a.la_code().value() < b.la_code().value();
  });
  out->clear_participants();
  for (auto& p : participants) *out->add_participants() = std::move(p);
}

void CollectThemeIds(const v1::SelfAssessment& sa, std::set<std::string>* ids) {
  for (const auto& section : sa.content().sections()) {
    for (const auto& s : section.strengths()) ids->insert(s.theme_ids().begin(), s.theme_ids().end());
    for (const auto& s : section.areas_for_development()) ids->insert(s.theme_ids().begin(), s.theme_ids().end());
  }
  for (const auto& p : sa.content().priorities()) ids->insert(p.theme_ids().begin(), p.theme_ids().end());
  for (const auto& a : sa.content().asks_and_offers()) ids->insert(a.theme_id());
}

void CollectThemeIds(const v1::Findings& f, std::set<std::string>* ids) {
  for (const auto& s : f.strengths()) ids->insert(s.theme_ids().begin(), s.theme_ids().end());
  for (const auto& s : f.areas_for_development()) ids->insert(s.theme_ids().begin(), s.theme_ids().end());
  for (const auto& a : f.actions()) ids->insert(a.theme_ids().begin(), a.theme_ids().end());
}

}  // namespace slihub::peerreview
