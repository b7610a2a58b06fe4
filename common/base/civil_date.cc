#include "common/base/civil_date.h"

#include <cstdio>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace slihub {
namespace {

int DaysInMonth(int64_t year, int month) {
  const absl::CivilMonth next = absl::CivilMonth(year, month) + 1;
  return static_cast<int>(absl::CivilDay(next) - absl::CivilDay(absl::CivilMonth(year, month)));
}

bool AllDigits(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !text.empty();
}

}  // namespace

absl::StatusOr<absl::CivilDay> MakeCivilDate(int year, int month, int day) {
  if (year < 1900 || year > 9999) {
    return absl::InvalidArgumentError(absl::StrCat("year ", year, " is outside 1900..9999"));
  }
  if (month < 1 || month > 12) {
    return absl::InvalidArgumentError(absl::StrCat("month ", month, " is outside 1..12"));
  }
  const int last = DaysInMonth(year, month);
  if (day < 1 || day > last) {
    return absl::InvalidArgumentError(
        absl::StrCat("day ", day, " is outside 1..", last, " for ", year, "-", month));
  }
  return absl::CivilDay(year, month, day);
}

absl::StatusOr<absl::CivilDay> ParseCivilDate(absl::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !AllDigits(text.substr(0, 4)) ||
      !AllDigits(text.substr(5, 2)) || !AllDigits(text.substr(8, 2))) {
    return absl::InvalidArgumentError("a date must be written YYYY-MM-DD");
  }
  auto number = [&](size_t pos, size_t len) {
    int value = 0;
    for (size_t i = pos; i < pos + len; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  return MakeCivilDate(number(0, 4), number(5, 2), number(8, 2));
}

std::string FormatCivilDate(absl::CivilDay day) {
  const int64_t year = day.year();
  if (year < 0 || year > 9999) {  // rare: printf handles the sign and the width
    char text[32];
    std::snprintf(text, sizeof(text), "%04lld-%02d-%02d", static_cast<long long>(year),
                  day.month(), day.day());
    return text;
  }
  // The common case by hand: this runs several times in every engagement check.
  std::string text = "0000-00-00";
  for (int i = 3, y = static_cast<int>(year); i >= 0; --i, y /= 10) {
    text[i] = static_cast<char>('0' + y % 10);
  }
  text[5] = static_cast<char>('0' + day.month() / 10);
  text[6] = static_cast<char>('0' + day.month() % 10);
  text[8] = static_cast<char>('0' + day.day() / 10);
  text[9] = static_cast<char>('0' + day.day() % 10);
  return text;
}

absl::CivilDay AddMonthsClamped(absl::CivilDay day, int months) {
  const absl::CivilMonth target = absl::CivilMonth(day) + months;
  const int last = DaysInMonth(target.year(), target.month());
  return absl::CivilDay(target.year(), target.month(), day.day() > last ? last : day.day());
}

}  // namespace slihub
