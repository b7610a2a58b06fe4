#include "services/peerreview/domain/icalendar.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace slihub::peerreview {
namespace {

std::string IcsDate(absl::CivilDay day) {
  return absl::StrFormat("%04d%02d%02d", day.year(), day.month(), day.day());
}

}  // namespace

std::string EscapeText(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        out += "\\n";
        break;
      case '\n': out += "\\n"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') break;  // other controls are not allowed
        out += c;
    }
  }
  return out;
}

std::string FoldLine(const std::string& line) {
  std::string out;
  size_t pos = 0;
  size_t limit = 75;  // the first line; continuations carry a leading space, so 74 more octets
  while (line.size() - pos > limit) {
    size_t cut = pos + limit;
    while (cut > pos && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line, pos, cut - pos);
    out += "\r\n ";
    pos = cut;
    limit = 74;
  }
  out.append(line, pos, std::string::npos);
  out += "\r\n";
  return out;
}

std::string RenderCalendar(const CalendarDocument& document) {
  std::string out;
  auto add = [&](const std::string& line) { out += FoldLine(line); };
  add("BEGIN:VCALENDAR");
  add("VERSION:2.0");
  add("PRODID:-//slihub//peerreview//EN");
  add("CALSCALE:GREGORIAN");
  add("METHOD:PUBLISH");
  if (!document.name.empty()) add("X-WR-CALNAME:" + EscapeText(document.name));
  const std::string stamp = absl::FormatTime("%Y%m%dT%H%M%SZ", document.stamp, absl::UTCTimeZone());
  for (const CalendarEvent& e : document.events) {
    add("BEGIN:VEVENT");
    add("UID:" + e.uid);
    add("DTSTAMP:" + stamp);
    add("DTSTART;VALUE=DATE:" + IcsDate(e.first_day));
    add("DTEND;VALUE=DATE:" + IcsDate(e.last_day + 1));  // exclusive end of an all-day event
    add(absl::StrCat("SEQUENCE:", e.sequence));
    add("SUMMARY:" + EscapeText(e.summary));
    if (!e.description.empty()) add("DESCRIPTION:" + EscapeText(e.description));
    if (!e.location.empty()) add("LOCATION:" + EscapeText(e.location));
    add(e.cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
    add("END:VEVENT");
  }
  add("END:VCALENDAR");
  return out;
}

int64_t SequenceOfVersion(int64_t version) { return version > 1 ? version - 1 : 0; }

}  // namespace slihub::peerreview
