#include "services/peerreview/adapter/themes.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/server/request_fields.h"

namespace slihub::peerreview {

std::vector<v1::Theme> SeedThemes() {
  const std::pair<const char*, const char*> seeds[] = {
      {"workforce", "Workforce"},
      {"send", "SEND"},
      {"placement_sufficiency", "Placement Sufficiency"},
      {"care_leavers", "Care Leavers"},
      {"attendance", "Attendance"},
      {"anti_racist_practice", "Anti-Racist Practice"},
      {"families_first", "Families First"},
      {"outcome_3", "Outcome 3"}};
  std::vector<v1::Theme> out;
  for (const auto& [id, name] : seeds) {
    v1::Theme theme;
    theme.set_theme_id(id);
    theme.set_name(name);
    out.push_back(std::move(theme));
  }
  return out;
}

void CheckThemes(const google::protobuf::RepeatedPtrField<v1::Theme>& themes,
                 const std::string& field, FieldViolations* violations) {
  std::set<std::string> seen;
  for (int i = 0; i < themes.size(); ++i) {
    const v1::Theme& theme = themes[i];
    const std::string at = absl::StrCat(field, "[", i, "]");
    const std::string& id = theme.theme_id();
    bool snake = !id.empty() && id.size() <= 64 && id[0] >= 'a' && id[0] <= 'z';
    for (char c : id) snake = snake && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
    if (!snake) violations->Add(at + ".theme_id", "must be lower_snake_case, 1 to 64 characters");
    if (!seen.insert(id).second) violations->Add(at + ".theme_id", absl::StrCat("'", id, "' is listed twice"));
    CheckText(theme.name(), at + ".name", TextRule{100, false, true}, violations);
    CheckText(theme.description(), at + ".description", TextRule{1000, true, false}, violations);
  }
}

}  // namespace slihub::peerreview
