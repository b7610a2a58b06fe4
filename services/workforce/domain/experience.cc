#include "services/workforce/domain/experience.h"

#include <algorithm>

#include "common/base/civil_date.h"

namespace slihub::workforce {
namespace {

// Whole calendar months from span.first that fit in the span, and the leftover days.
void WholeMonths(const DaySpan& span, int* months, int* leftover_days) {
  const absl::CivilDay after = span.last + 1;
  int m = static_cast<int>((after.year() - span.first.year()) * 12 +
                           (after.month() - span.first.month()));
  if (m < 0) m = 0;
  while (m > 0 && AddMonthsClamped(span.first, m) > after) --m;
  *months = m;
  *leftover_days = static_cast<int>(after - AddMonthsClamped(span.first, m));
}

}  // namespace

ExperienceCount CountExperience(std::vector<DaySpan> spans) {
  ExperienceCount count;
  if (spans.empty()) return count;
  std::sort(spans.begin(), spans.end(),
            [](const DaySpan& a, const DaySpan& b) { return a.first < b.first; });
  std::vector<DaySpan> merged;
  for (const DaySpan& s : spans) {
    if (!merged.empty() && s.first <= merged.back().last + 1) {
      merged.back().last = std::max(merged.back().last, s.last);
    } else {
      merged.push_back(s);
    }
  }
  int leftover_total = 0;
  for (const DaySpan& s : merged) {
    count.days += static_cast<int>(s.last - s.first) + 1;
    int months = 0;
    int leftover = 0;
    WholeMonths(s, &months, &leftover);
    count.months += months;
    leftover_total += leftover;
  }
  count.months += leftover_total / 31;
  return count;
}

}  // namespace slihub::workforce
