#include "common/base/england_time.h"

#include <cstdio>
#include <cstdlib>

namespace slihub {

absl::TimeZone EnglandTimeZone() {
  static const absl::TimeZone* const zone = [] {
    auto* tz = new absl::TimeZone;
    if (!absl::LoadTimeZone("Europe/London", tz)) {
      std::fprintf(stderr, "fatal: the Europe/London time zone is missing (install tzdata)\n");
      std::abort();
    }
    return tz;
  }();
  return *zone;
}

absl::CivilDay EnglandDay(absl::Time now) {
  return absl::ToCivilDay(now, EnglandTimeZone());
}

absl::Time StartOfEnglandDay(absl::CivilDay day) {
  return absl::FromCivil(day, EnglandTimeZone());
}

absl::Time EndOfEnglandDay(absl::CivilDay day) {
  return StartOfEnglandDay(day + 1) - absl::Microseconds(1);
}

}  // namespace slihub
