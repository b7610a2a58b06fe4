#include "services/datacollection/demo_data.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/england_time.h"
#include "services/datacollection/domain/period.h"
#include "services/datacollection/store/repository.h"

namespace slihub::datacollection {
namespace {

// One catalogue entry with the range demo figures are drawn from (in whole units).
struct Entry {
  const char* id;
  const char* name;
  const char* short_name;
  const char* definition;
  Unit unit;
  Polarity polarity;
  int places;
  const char* source;
  const char* derived_by;
  int64_t low, high;
};

const Entry kEntries[] = {
    {"CSC-REFERRAL-RATE", "Referrals to children's social care per 10,000 children", "Referrals per 10k",
     "Referrals in the quarter, annualised, per 10,000 children aged 0-17 (ONS mid-year estimate).",
     Unit::kRatePer10000, Polarity::kNeither, 1, "CIN census", "", 350, 650},
    {"CSC-REREFERRAL-12M", "Re-referrals within 12 months of a previous referral (%)", "Re-referrals 12m (%)",
     "Referrals in the quarter that were within 12 months of a previous referral, as a share of referrals.",
     Unit::kPercentage, Polarity::kLowerIsBetter, 1, "CIN census", "", 14, 28},
    {"CSC-ASSESS-45D", "Assessments completed within 45 working days (%)", "Assessments in 45 days (%)",
     "Single assessments completed in the quarter within 45 working days of referral.",
     Unit::kPercentage, Polarity::kHigherIsBetter, 1, "CIN census", "", 70, 96},
    {"CSC-CIN-RATE", "Children in need per 10,000 children", "CIN per 10k",
     "Children in need at the quarter end per 10,000 children aged 0-17.", Unit::kRatePer10000,
     Polarity::kNeither, 1, "CIN census", "", 250, 450},
    {"CSC-S47-RATE", "Section 47 enquiries per 10,000 children", "S47 per 10k",
     "Section 47 enquiries started in the quarter, annualised, per 10,000 children aged 0-17.",
     Unit::kRatePer10000, Polarity::kNeither, 1, "CIN census", "", 120, 250},
    {"CP-PLAN-RATE", "Children on a child protection plan per 10,000 children", "CP plans per 10k",
     "Children subject to a child protection plan at the quarter end per 10,000 children aged 0-17.",
     Unit::kRatePer10000, Polarity::kNeither, 1, "CIN census", "", 30, 55},
    {"CP-SECOND-PLAN", "Child protection plans that are a second or later plan (%)", "Second CP plans (%)",
     "Plans started in the quarter for a child who had a previous plan, as a share of plans started.",
     Unit::kPercentage, Polarity::kLowerIsBetter, 1, "CIN census", "", 15, 30},
    {"CP-PLAN-2YRS", "Child protection plans lasting two years or more (%)", "CP plans 2+ years (%)",
     "Plans ended in the quarter that had lasted two years or more.", Unit::kPercentage,
     Polarity::kLowerIsBetter, 1, "CIN census", "", 1, 6},
    {"CP-REVIEWS-ON-TIME", "Child protection reviews held on time (%)", "CP reviews on time (%)",
     "Review conferences in the quarter held within timescales.", Unit::kPercentage,
     Polarity::kHigherIsBetter, 1, "LA case management", "", 85, 100},
    {"CLA-RATE", "Children looked after per 10,000 children", "CLA per 10k",
     "Children looked after at the quarter end per 10,000 children aged 0-17.", Unit::kRatePer10000,
     Polarity::kNeither, 1, "SSDA903", "", 40, 80},
    {"CLA-COUNT", "Children looked after", "CLA (count)",
     "Children looked after at the quarter end, with the DfE major ethnicity groups.", Unit::kCount,
     Polarity::kNeither, 0, "SSDA903", "", 200, 1600},
    {"CLA-STABILITY-3PLUS", "Children looked after with three or more placements in the year (%)",
     "3+ placements (%)", "Children looked after at the quarter end with three or more placements in "
     "the previous 12 months.", Unit::kPercentage, Polarity::kLowerIsBetter, 1, "SSDA903", "", 6, 13},
    {"CLA-DISTANCE-20MI", "Children looked after placed more than 20 miles from home (%)",
     "Placed 20+ miles (%)", "Children looked after at the quarter end placed more than 20 miles from "
     "their home address (unknown distances excluded).", Unit::kPercentage, Polarity::kLowerIsBetter, 1,
     "SSDA903", "placement", 12, 30},
    {"CLA-UASC-COUNT", "Unaccompanied asylum-seeking children looked after", "UASC (count)",
     "Unaccompanied asylum-seeking children looked after at the quarter end.", Unit::kCount,
     Polarity::kNeither, 0, "SSDA903", "", 10, 120},
    {"CLA-HEALTH-CHECKS", "Children looked after with an annual health assessment (%)",
     "Health assessments (%)", "Children looked after for 12 months or more with an up-to-date health "
     "assessment.", Unit::kPercentage, Polarity::kHigherIsBetter, 1, "SSDA903", "", 80, 98},
    {"CL-EET", "Care leavers aged 19-21 in education, employment or training (%)", "Care leavers EET (%)",
     "Care leavers aged 19-21 in education, employment or training on their last birthday.",
     Unit::kPercentage, Polarity::kHigherIsBetter, 1, "SSDA903", "", 45, 65},
    {"CL-SUITABLE-ACCOM", "Care leavers aged 19-21 in suitable accommodation (%)",
     "Care leavers accommodation (%)", "Care leavers aged 19-21 in accommodation judged suitable.",
     Unit::kPercentage, Polarity::kHigherIsBetter, 1, "SSDA903", "", 80, 96},
    {"WF-VACANCY-RATE", "Children and family social worker vacancy rate (%)", "SW vacancy rate (%)",
     "Vacant FTE posts at the quarter end as a share of all FTE posts.", Unit::kPercentage,
     Polarity::kLowerIsBetter, 1, "LA HR", "", 8, 25},
    {"WF-AGENCY-RATE", "Agency children and family social workers (%)", "SW agency rate (%)",
     "Agency FTE at the quarter end as a share of all FTE (derived by the workforce service).",
     Unit::kPercentage, Polarity::kLowerIsBetter, 1, "slihub workforce", "workforce", 8, 30},
    {"WF-CASELOAD", "Average caseload per children and family social worker", "Caseload per SW",
     "Cases held at the quarter end divided by FTE case-holding social workers.", Unit::kRatio,
     Polarity::kLowerIsBetter, 1, "LA HR", "", 14, 22},
    {"WF-TURNOVER", "Children and family social worker turnover (%)", "SW turnover (%)",
     "Leavers in the last 12 months as a share of average FTE.", Unit::kPercentage,
     Polarity::kLowerIsBetter, 1, "LA HR", "", 10, 22},
    {"ADOPT-DAYS", "Average days from entering care to moving in with an adoptive family",
     "Days to adoption", "Average over adoptions in the last 12 months.", Unit::kDays,
     Polarity::kLowerIsBetter, 0, "SSDA903", "", 350, 600},
};

// FNV-1a: a stable hash so demo figures are the same on every machine.
uint64_t Hash(absl::string_view text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

BreakdownSpec EthnicityBreakdown(Aggregation aggregation) {
  BreakdownSpec spec;
  spec.dimension = Dimension::kEthnicityGroup;
  spec.categories = {{"WHITE", "White"},
                     {"MIXED", "Mixed or multiple ethnic groups"},
                     {"ASIAN", "Asian or Asian British"},
                     {"BLACK", "Black, Black British, Caribbean or African"},
                     {"OTHER", "Other ethnic group"},
                     {"NOT_KNOWN", "Not known or refused"}};
  spec.aggregation = aggregation;
  return spec;
}

}  // namespace

std::vector<IndicatorDef> CoreCatalogue() {
  std::vector<IndicatorDef> out;
  for (const Entry& e : kEntries) {
    IndicatorDef def;
    def.indicator_id = e.id;
    def.name = e.name;
    def.short_name = e.short_name;
    def.definition = e.definition;
    def.unit = e.unit;
    def.polarity = e.polarity;
    def.decimal_places = e.places;
    def.source = e.source;
    def.derived_by_service = e.derived_by;
    def.effective_from = "2024-04-01";
    if (def.indicator_id == "CLA-COUNT") def.breakdowns.push_back(EthnicityBreakdown(Aggregation::kSum));
    if (def.indicator_id == "CLA-RATE" || def.indicator_id == "CP-PLAN-RATE" ||
        def.indicator_id == "CSC-REFERRAL-RATE") {
      def.breakdowns.push_back(EthnicityBreakdown(Aggregation::kNone));  // each group's own rate
    }
    out.push_back(std::move(def));
  }
  return out;
}

std::string CoreCollectionId(const std::string& region) { return absl::StrCat(region, "-core"); }

std::vector<PeriodRecord> DemoPeriods(const std::string& collection_id,
                                      const std::vector<std::string>& indicator_ids, absl::Time now) {
  const absl::CivilDay today = EnglandDay(now);
  const int month = today.month();
  const int financial_year = month >= 4 ? static_cast<int>(today.year()) : static_cast<int>(today.year()) - 1;
  const int quarter = month >= 4 ? (month - 4) / 3 + 1 : 4;
  Quarter q = *ParseQuarterId(absl::StrCat(financial_year, "-Q", quarter));
  std::vector<Quarter> quarters = {q};
  for (int i = 0; i < 4; ++i) quarters.insert(quarters.begin(), PreviousQuarter(quarters.front()));
  std::vector<PeriodRecord> out;
  for (const Quarter& quarter_record : quarters) {
    PeriodRecord p;
    p.collection_id = collection_id;
    p.period_id = QuarterId(quarter_record);
    p.label = QuarterLabel(quarter_record);
    p.start_date = FormatCivilDate(quarter_record.start_date);
    p.end_date = FormatCivilDate(quarter_record.end_date);
    const absl::TimeZone england = EnglandTimeZone();
    p.open_time = absl::FromCivil(absl::CivilSecond(quarter_record.start_date), england);
    // The deadline is noon on the last day of the next month; the period closes three months on.
    const absl::CivilDay deadline_day =
        absl::CivilDay(absl::CivilMonth(quarter_record.end_date) + 2) - 1;
    p.deadline_time = absl::FromCivil(absl::CivilHour(deadline_day) + 12, england);
    const absl::CivilDay close_day = AddMonthsClamped(deadline_day, 3);
    p.close_time = absl::FromCivil(absl::CivilHour(close_day) + 12, england);
    p.indicator_ids = indicator_ids;
    if (p.close_time <= now) p.publish_time = p.close_time;  // closed quarters are published
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<IndicatorFigures> DemoFigures(const std::vector<IndicatorDef>& catalogue,
                                          const std::string& la_code, const std::string& period_id) {
  std::vector<IndicatorFigures> out;
  const int quarter_index = period_id.size() == 7 ? (period_id[3] - '0') * 4 + (period_id[6] - '0') : 0;
  for (size_t i = 0; i < catalogue.size(); ++i) {
    const IndicatorDef& def = catalogue[i];
    const Entry& e = kEntries[i];
    IndicatorFigures f;
    f.indicator_id = def.indicator_id;
    f.indicator_version = def.version;
    // An LA's level is stable; each quarter moves it a little.
    const uint64_t level = Hash(absl::StrCat(la_code, "/", def.indicator_id));
    const uint64_t wobble = Hash(absl::StrCat(la_code, "/", def.indicator_id, "/", period_id));
    const int64_t scale = def.decimal_places == 0 ? 1 : 10;
    const int64_t span = (e.high - e.low) * scale;
    int64_t v = e.low * scale + static_cast<int64_t>(level % static_cast<uint64_t>(span + 1));
    v += static_cast<int64_t>(wobble % static_cast<uint64_t>(span / 10 + 1)) - span / 20 + quarter_index % 3;
    v = std::max(e.low * scale, std::min(e.high * scale, v));
    if (wobble % 97 == 0) {
      f.total.state = ValueState::kMissing;
      f.total.note = "Not available from the case management system this quarter";
    } else if (def.unit == Unit::kCount && wobble % 89 == 0) {
      f.total.state = ValueState::kSuppressed;
      f.total.note = "Small numbers";
    } else {
      f.total.state = ValueState::kPresent;
      f.total.value = Decimal{v, def.decimal_places};
    }
    if (const BreakdownSpec* spec = def.FindBreakdown(Dimension::kEthnicityGroup);
        spec != nullptr && f.total.state == ValueState::kPresent) {
      static const int kShares[] = {72, 7, 8, 7, 3};  // percent; NOT_KNOWN takes the rest
      static const int kRateFactors[] = {900, 1600, 500, 1800, 1200};  // per mille of the overall rate
      int64_t given = 0;
      for (size_t c = 0; c < spec->categories.size(); ++c) {
        Observation o;
        o.state = ValueState::kPresent;
        if (spec->aggregation == Aggregation::kSum) {
          const int64_t part = c < 5 ? v * kShares[c] / 100 : v - given;
          given += part;
          o.value = Decimal{part, 0};
        } else if (c < 5) {
          const int64_t factor = kRateFactors[c] + static_cast<int64_t>(level % 201) - 100;
          o.value = Decimal{v * factor / 1000, def.decimal_places};
        } else {
          o.state = ValueState::kMissing;
          o.note = "Rate not calculated for unknown ethnicity";
        }
        f.breakdowns.push_back({Dimension::kEthnicityGroup, spec->categories[c].code, o});
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

absl::Status LoadDemoData(store::Database& db, const ReferenceData& refdata, const std::string& region,
                          absl::Time now) {
  const RegionRecord* region_record = refdata.FindRegion(region);
  if (region_record == nullptr) return absl::InvalidArgumentError(absl::StrCat("unknown region ", region));
  return db.Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
    const std::string collection_id = CoreCollectionId(region);
    if (repository::GetCollection(tx, collection_id).ok()) return absl::OkStatus();
    const std::vector<IndicatorDef> catalogue = CoreCatalogue();
    std::vector<std::string> ids;
    for (const IndicatorDef& def : catalogue) {
      ids.push_back(def.indicator_id);
      if (repository::GetIndicator(tx, def.indicator_id, 0).ok()) continue;
      if (absl::Status s = repository::InsertIndicator(tx, def); !s.ok()) return s;
    }
    CollectionRecord collection;
    collection.collection_id = collection_id;
    collection.region = region;
    collection.kind = 1;
    collection.name = absl::StrCat(region_record->name, " core children's social care dataset");
    collection.description = "The quarterly core dataset behind the regional tartan rug.";
    collection.indicator_ids = ids;
    if (absl::Status s = repository::InsertCollection(tx, collection); !s.ok()) return s;
    const std::vector<PeriodRecord> periods = DemoPeriods(collection_id, ids, now);
    for (size_t p = 0; p < periods.size(); ++p) {
      if (absl::Status s = repository::InsertPeriod(tx, periods[p]); !s.ok()) return s;
      if (p + 1 == periods.size()) break;  // the current quarter stays empty
      const bool latest_past = p + 2 == periods.size();
      const std::vector<std::string>& las = region_record->la_codes;
      for (size_t l = 0; l < las.size(); ++l) {
        if (latest_past && l + 1 == las.size()) continue;  // one LA has not submitted
        ReturnRecord r;
        r.la_code = las[l];
        r.collection_id = collection_id;
        r.period_id = periods[p].period_id;
        r.version = 1;
        const bool late = l == 0 && latest_past;
        r.receive_time = late ? std::min(now, periods[p].deadline_time + absl::Hours(26))
                              : periods[p].deadline_time - absl::Hours(24 * static_cast<int64_t>(1 + l % 9));
        r.timeliness = StampTimeliness(r.receive_time, periods[p].deadline_time);
        r.source = 1;
        r.submitted_by = "demo-data";
        r.comment = "Demo figures";
        r.values = DemoFigures(catalogue, las[l], periods[p].period_id);
        if (absl::Status s = repository::InsertReturn(tx, r); !s.ok()) return s;
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace slihub::datacollection
