// The tenancy of figures and notes, rule by rule.
#include "services/datacollection/adapter/figure_access.h"

#include "absl/time/time.h"
#include "common/errors/errors.h"
#include "gtest/gtest.h"

namespace slihub::datacollection {
namespace {

Principal Of(Role role, const std::string& la) {
  Principal p;
  p.subject = "test";
  p.region_code = "EE";
  p.la_code = la;
  p.roles = {role};
  return p;
}

PeriodRecord Period(bool published) {
  PeriodRecord p;
  p.collection_id = "EE-core";
  p.period_id = "2026-Q1";
  if (published) p.publish_time = absl::FromUnixSeconds(1);
  return p;
}

TEST(FigureAccessTest, TheHubSeesEverythingAlways) {
  for (Role role : {Role::kRegionalAdmin, Role::kService}) {
    const FigureView view = ViewOf(Of(role, ""));
    EXPECT_TRUE(SeesFigures(view, "926", Period(false)));
    EXPECT_TRUE(SeesNotes(view, "926"));
    EXPECT_TRUE(CheckRegionFiguresVisible(view, Period(false)).ok());
  }
}

TEST(FigureAccessTest, AnLaSeesItsOwnAlwaysAndOthersFiguresOnlyOncePublishedNeverTheirNotes) {
  for (Role role : {Role::kDataOfficer, Role::kReader}) {
    const FigureView view = ViewOf(Of(role, "873"));
    EXPECT_TRUE(SeesFigures(view, "873", Period(false)));
    EXPECT_TRUE(SeesNotes(view, "873"));
    EXPECT_FALSE(SeesFigures(view, "926", Period(false)));
    EXPECT_TRUE(SeesFigures(view, "926", Period(true)));
    EXPECT_FALSE(SeesNotes(view, "926"));
    const absl::Status unpublished = CheckRegionFiguresVisible(view, Period(false));
    EXPECT_EQ(unpublished.code(), absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(GetErrorReason(unpublished), "PERIOD_NOT_PUBLISHED");
    EXPECT_TRUE(CheckRegionFiguresVisible(view, Period(true)).ok());
  }
}

TEST(FigureAccessTest, APrincipalOfNoLaSeesOnlyPublishedFiguresAndNoNotes) {
  const FigureView view = ViewOf(Of(Role::kReader, ""));
  EXPECT_FALSE(SeesFigures(view, "", Period(false)));
  EXPECT_TRUE(SeesFigures(view, "873", Period(true)));
  EXPECT_FALSE(SeesNotes(view, ""));
  EXPECT_FALSE(SeesNotes(view, "873"));
}

TEST(FigureAccessTest, StripNotesClearsTheTotalAndEveryBreakdown) {
  IndicatorFigures f;
  f.total.note = "a";
  f.breakdowns.push_back(
      {Dimension::kSex, "F", Observation{ValueState::kSuppressed, {}, {}, {}, "b"}});
  StripNotes(f);
  EXPECT_EQ(f.total.note, "");
  EXPECT_EQ(f.breakdowns[0].observation.note, "");
}

}  // namespace
}  // namespace slihub::datacollection
