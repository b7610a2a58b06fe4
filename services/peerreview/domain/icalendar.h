// iCalendar (RFC 5545) export of all-day events: CRLF line ends, lines folded at 75 octets
// (never inside a UTF-8 character), TEXT values escaped, a stable UID and SEQUENCE per event.
#ifndef SLIHUB_SERVICES_PEERREVIEW_DOMAIN_ICALENDAR_H_
#define SLIHUB_SERVICES_PEERREVIEW_DOMAIN_ICALENDAR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace slihub::peerreview {

// One all-day event spanning first_day..last_day (inclusive).
struct CalendarEvent {
  std::string uid;  // stable across exports, e.g. "EE-2025-E3@peerreview.slihub"
  absl::CivilDay first_day;
  absl::CivilDay last_day;
  std::string summary;
  std::string description;
  std::string location;
  int64_t sequence = 0;    // 0 when created, bumped on every change (RFC 5545 3.8.7.4)
  bool cancelled = false;  // STATUS:CANCELLED instead of CONFIRMED
};

// The SEQUENCE of a record at `version` (1 when created, +1 per change): version - 1, since
// RFC 5545 starts a new event at 0; never negative.
int64_t SequenceOfVersion(int64_t version);

// The calendar's name and events.
struct CalendarDocument {
  std::string name;    // X-WR-CALNAME
  absl::Time stamp;    // DTSTAMP of every event (UTC)
  std::vector<CalendarEvent> events;
};

// A TEXT value with backslash, semicolon, comma and newlines escaped (RFC 5545 3.3.11).
std::string EscapeText(const std::string& text);
// `line` folded into CRLF-terminated lines of at most 75 octets, continuations starting with a
// space; a multi-byte UTF-8 character is never split.
std::string FoldLine(const std::string& line);
// The VCALENDAR text.
std::string RenderCalendar(const CalendarDocument& document);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_DOMAIN_ICALENDAR_H_
