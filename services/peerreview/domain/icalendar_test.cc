#include "services/peerreview/domain/icalendar.h"

#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace slihub::peerreview {
namespace {

TEST(ICalendarTest, EscapesTextValues) {
  EXPECT_EQ(EscapeText("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
  EXPECT_EQ(EscapeText("plain: text"), "plain: text");
  EXPECT_EQ(EscapeText(std::string("bell\x07")), "bell");
}

TEST(ICalendarTest, FoldsAtSeventyFiveOctetsWithoutSplittingUtf8) {
  const std::string short_line(75, 'a');
  EXPECT_EQ(FoldLine(short_line), short_line + "\r\n");
  const std::string long_line(200, 'b');
  const std::string folded = FoldLine(long_line);
  std::vector<std::string> lines = absl::StrSplit(folded, "\r\n");
  ASSERT_EQ(lines.back(), "");
  lines.pop_back();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].size(), 75u);
  EXPECT_EQ(lines[1], " " + std::string(74, 'b'));
  EXPECT_EQ(lines[2], " " + std::string(200 - 75 - 74, 'b'));
  // "£" is two octets: 74 'x' then "£" would straddle octet 75, so the cut comes before it.
  const std::string pound = std::string(74, 'x') + "\xC2\xA3" + "tail";
  const std::string folded_pound = FoldLine(pound);
  EXPECT_EQ(folded_pound, std::string(74, 'x') + "\r\n \xC2\xA3tail\r\n");
  for (const std::string& line : std::vector<std::string>(absl::StrSplit(FoldLine(std::string(300, 'z') + "\xE2\x82\xAC"), "\r\n"))) {
    EXPECT_LE(line.size(), 75u);
  }
}

TEST(ICalendarTest, RendersAllDayEventsWithUidSequenceAndStatus) {
  CalendarDocument doc;
  doc.name = "EE 2025, challenge events";
  doc.stamp = absl::FromUnixSeconds(1767225600);  // 2026-01-01T00:00:00Z
  doc.events.push_back({"EE-2025-E1@peerreview.slihub", absl::CivilDay(2026, 1, 12),
                        absl::CivilDay(2026, 1, 12), "Peer challenge: 873 hosts 881, 882",
                        "Reviewers: 881; 882", "County Hall, Cambridge", 3, false});
  doc.events.push_back({"EE-2025-E2@peerreview.slihub", absl::CivilDay(2026, 1, 30),
                        absl::CivilDay(2026, 1, 31), "Cancelled one", "", "", 2, true});
  const std::string ics = RenderCalendar(doc);
  EXPECT_EQ(ics.substr(0, 17), "BEGIN:VCALENDAR\r\n");
  EXPECT_EQ(ics.substr(ics.size() - 15), "END:VCALENDAR\r\n");
  EXPECT_NE(ics.find("\r\nX-WR-CALNAME:EE 2025\\, challenge events\r\n"), std::string::npos);
  EXPECT_NE(ics.find("\r\nUID:EE-2025-E1@peerreview.slihub\r\n"), std::string::npos);
  EXPECT_NE(ics.find("\r\nDTSTAMP:20260101T000000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("\r\nDTSTART;VALUE=DATE:20260112\r\nDTEND;VALUE=DATE:20260113\r\n"), std::string::npos);
  EXPECT_NE(ics.find("\r\nDTEND;VALUE=DATE:20260201\r\n"), std::string::npos);  // exclusive end
  EXPECT_NE(ics.find("\r\nSEQUENCE:3\r\n"), std::string::npos);
  EXPECT_NE(ics.find("\r\nSUMMARY:Peer challenge: 873 hosts 881\\, 882\r\n"), std::string::npos);
  EXPECT_NE(ics.find("\r\nDESCRIPTION:Reviewers: 881\\; 882\r\n"), std::string::npos);
  EXPECT_NE(ics.find("\r\nSTATUS:CANCELLED\r\n"), std::string::npos);
  EXPECT_NE(ics.find("\r\nSTATUS:CONFIRMED\r\n"), std::string::npos);
  // Every line ends CRLF: no bare LF.
  for (size_t i = 0; i < ics.size(); ++i) {
    if (ics[i] == '\n') {
      ASSERT_GT(i, 0u);
      EXPECT_EQ(ics[i - 1], '\r');
    }
  }
}

TEST(ICalendarTest, SequenceStartsAtZeroForANewRecord) {
  EXPECT_EQ(SequenceOfVersion(1), 0);  // RFC 5545 3.8.7.4: a new event has SEQUENCE 0
  EXPECT_EQ(SequenceOfVersion(2), 1);
  EXPECT_EQ(SequenceOfVersion(0), 0);
}

}  // namespace
}  // namespace slihub::peerreview
