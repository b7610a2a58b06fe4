#include "services/workforce/domain/la_policy.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace slihub::workforce {
namespace {

std::string TitleKey(const std::string& title) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(title));
}

}  // namespace

std::optional<JobType> LaPolicy::MapTitle(const std::string& title) const {
  const std::string key = TitleKey(title);
  for (const TitleMapping& m : mappings) {
    if (TitleKey(m.local_title) == key) return m.job_type;
  }
  return std::nullopt;
}

std::optional<int> LaPolicy::NoticeFor(JobType job_type) const {
  for (const PermanentNotice& n : notice) {
    if (n.job_type == job_type) return n.notice_weeks;
  }
  return std::nullopt;
}

void ValidateLaPolicy(const LaPolicy& policy, FieldViolations* violations) {
  if (policy.mappings.size() > 500) {
    violations->Add("job_title_mappings", "must hold at most 500 titles");
  }
  std::set<std::string> titles;
  for (size_t i = 0; i < policy.mappings.size(); ++i) {
    const TitleMapping& m = policy.mappings[i];
    const std::string path = absl::StrCat("job_title_mappings[", i, "]");
    const std::string key = TitleKey(m.local_title);
    if (key.empty() || m.local_title.size() > 200) {
      violations->Add(path + ".local_title", "must be 1 to 200 characters");
    } else if (!titles.insert(key).second) {
      violations->Add(path + ".local_title", "duplicates an earlier title (case is ignored)");
    }
    const int job = static_cast<int>(m.job_type);
    if (job <= 0 || job > kMaxJobType) violations->Add(path + ".job_type", "must be set");
  }
  std::set<int> jobs;
  for (size_t i = 0; i < policy.notice.size(); ++i) {
    const PermanentNotice& n = policy.notice[i];
    const std::string path = absl::StrCat("permanent_notice[", i, "]");
    const int job = static_cast<int>(n.job_type);
    if (job <= 0 || job > kMaxJobType) {
      violations->Add(path + ".job_type", "must be set");
    } else if (!jobs.insert(job).second) {
      violations->Add(path + ".job_type", "is listed twice");
    }
    if (n.notice_weeks < 1 || n.notice_weeks > 52) {
      violations->Add(path + ".notice_weeks", "must be 1 to 52");
    }
  }
}

const LaPolicy* PolicyInForce(const std::vector<LaPolicy>& versions, absl::CivilDay day) {
  const LaPolicy* best = nullptr;
  for (const LaPolicy& v : versions) {
    if (v.effective_from > day) continue;
    if (best == nullptr || v.effective_from > best->effective_from) best = &v;
  }
  return best;
}

}  // namespace slihub::workforce
