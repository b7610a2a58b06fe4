#include "services/workforce/adapter/return_csv.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace slihub::workforce {
namespace {

namespace pb = ::slihub::workforce::v1;

pb::QuarterlyReturn Return() {
  pb::QuarterlyReturn r;
  r.mutable_la_code()->set_value("873");
  r.mutable_quarter()->set_year(2026);
  r.mutable_quarter()->set_quarter(4);
  pb::AssignmentRow* a = r.add_assignments();
  a->set_engagement_id("eng-1");
  a->set_swe_number("SW1001");
  a->set_job_type(pb::JOB_TYPE_SOCIAL_WORKER);
  a->set_engagement_model(pb::ENGAGEMENT_MODEL_LIMITED_COMPANY);
  a->mutable_hourly_pay_rate()->set_pence(-150);
  a->mutable_start_date()->set_year(2026);
  a->mutable_start_date()->set_month(10);
  a->mutable_start_date()->set_day(1);
  a->set_agency_name("=HYPERLINK(\"http://x\",\"Acme, Ltd\")");
  a->set_verdict(pb::VERDICT_COMPLIANT);
  pb::AgencyConcern* concern = r.mutable_summary()->add_agency_concerns();
  concern->set_agency_name("@Acme");
  concern->set_concern("-2+3");
  pb::MonthlyAgencyCost* cost = r.mutable_summary()->add_monthly_costs();
  cost->set_year(2026);
  cost->set_month(10);
  cost->mutable_cost()->set_pence(-42);
  return r;
}

// A free-text cell that a spreadsheet would run as a formula is neutralised (and quoted, as it
// holds a comma and quotes); a negative number stays a number.
TEST(ReturnCsvTest, FormulaTextIsNeutralisedAndNegativeNumbersStayNumbers) {
  const std::vector<std::string> rows =
      absl::StrSplit(AssignmentsCsv(Return()), "\r\n", absl::SkipEmpty());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1],
            "873,2026,4,eng-1,SW1001,social worker,limited company,-150,2026-10-01,,no,"
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"Acme, Ltd\"\")\",compliant");
  const std::string summary = SummaryCsv(Return());
  EXPECT_TRUE(absl::StrContains(summary, "873,2026,4,agency_concern,'@Acme,concern,'-2+3\r\n"))
      << summary;
  EXPECT_TRUE(absl::StrContains(summary, "873,2026,4,monthly_cost,2026-10,cost_pence,-42\r\n"))
      << summary;
  EXPECT_TRUE(absl::StartsWith(summary, "la_code,year,quarter,section,name,metric,value\r\n"));
}

}  // namespace
}  // namespace slihub::workforce
