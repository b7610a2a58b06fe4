#include "services/placement/demo_data.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/csv.h"
#include "common/base/england_time.h"
#include "services/placement/domain/geo.h"

namespace slihub::placement {
namespace {

// One demo setting with one vacancy.
struct DemoHome {
  std::string la;
  std::string urn;
  std::string name;
  PlacementType type;
  OfstedGrade grade;
  std::vector<int> needs;
  int age_min, age_max;
  std::string district;
  double lat, lon;
  int beds;
  int64_t weekly_cost_pence;
  Occupancy occupancy;
  int sibling_capacity;
};

std::vector<DemoHome> HomesOf(const std::string& region) {
  using PT = PlacementType;
  using G = OfstedGrade;
  if (region == "EE") {
    return {
        {"926",
         "SC900001",
         "Demo Norwich House",
         PT::kChildrensHomePrivate,
         G::kGood,
         {1, 2, 7, 8},
         10,
         17,
         "NR2",
         52.63,
         1.28,
         2,
         395000,
         Occupancy::kShared,
         1},
        {"926",
         "1900002",
         "Demo Broads Fostering",
         PT::kIndependentFosteringAgency,
         G::kOutstanding,
         {1, 7, 12},
         0,
         17,
         "NR7",
         52.64,
         1.35,
         3,
         82000,
         Occupancy::kShared,
         3},
        {"935",
         "SC900003",
         "Demo Ipswich Lodge",
         PT::kChildrensHomeLa,
         G::kRequiresImprovement,
         {1, 3, 9},
         8,
         17,
         "IP4",
         52.06,
         1.18,
         1,
         360000,
         Occupancy::kSolo,
         1},
        {"873",
         "SC900004",
         "Demo Fen Edge Home",
         PT::kChildrensHomeVoluntary,
         G::kGood,
         {1, 2, 6},
         11,
         17,
         "CB4",
         52.22,
         0.14,
         2,
         410000,
         Occupancy::kShared,
         2},
        {"881",
         "1900005",
         "Demo Chelmer Supported Living",
         PT::kSupportedAccommodation,
         G::kNotJudged,
         {1, 12},
         16,
         17,
         "CM1",
         51.74,
         0.47,
         4,
         150000,
         Occupancy::kShared,
         1},
        {"919",
         "SC900006",
         "Demo Hertford View",
         PT::kChildrensHomePrivate,
         G::kInadequate,
         {1, 8, 10},
         12,
         17,
         "SG14",
         51.80,
         -0.08,
         1,
         450000,
         Occupancy::kSolo,
         1},
    };
  }
  if (region == "SE") {
    return {
        {"886",
         "SC910001",
         "Demo Medway Rise",
         PT::kChildrensHomePrivate,
         G::kGood,
         {1, 2, 8},
         10,
         17,
         "ME4",
         51.38,
         0.53,
         2,
         405000,
         Occupancy::kShared,
         1},
        {"845",
         "1910002",
         "Demo Downs Fostering",
         PT::kIndependentFosteringAgency,
         G::kGood,
         {1, 7},
         0,
         17,
         "BN7",
         50.87,
         0.01,
         2,
         85000,
         Occupancy::kShared,
         2},
        {"936",
         "SC910003",
         "Demo Guildford Court",
         PT::kChildrensHomeLa,
         G::kOutstanding,
         {1, 3, 9},
         8,
         17,
         "GU1",
         51.24,
         -0.57,
         1,
         370000,
         Occupancy::kSolo,
         1},
        {"850",
         "SC910004",
         "Demo Solent House",
         PT::kSecureChildrensHome,
         G::kGood,
         {1, 2, 10, 11},
         10,
         17,
         "SO16",
         50.93,
         -1.43,
         1,
         720000,
         Occupancy::kSolo,
         1},
    };
  }
  return {};
}

// FNV-1a: a stable hash of reference data (the same on every machine and build).
uint64_t StableHash(absl::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// The region's position among the reference data's region codes in code order (EE 0 ... YH 8).
int RegionIndex(const ReferenceData& refdata, const std::string& region) {
  int index = 0;
  for (const RegionRecord& r : refdata.regions()) index += r.code < region ? 1 : 0;
  return index;
}

// One home per LA of `region`, generated from the reference data (for the regions without
// hand-written demo homes): its type, grade, needs, beds and cost follow from a hash of the LA
// code, its district is the LA's largest postcode district (`la_districts`).
std::vector<DemoHome> GeneratedHomes(const ReferenceData& refdata,
                                     const std::map<std::string, std::string>& la_districts,
                                     const PostcodeDistricts& districts,
                                     const std::string& region) {
  using PT = PlacementType;
  using G = OfstedGrade;
  const RegionRecord* record = refdata.FindRegion(region);
  if (record == nullptr) return {};
  const PT kTypes[] = {PT::kChildrensHomePrivate, PT::kIndependentFosteringAgency,
                       PT::kChildrensHomeLa, PT::kChildrensHomeVoluntary,
                       PT::kSupportedAccommodation};
  const G kGrades[] = {G::kGood, G::kOutstanding, G::kGood, G::kRequiresImprovement};
  const int block = RegionIndex(refdata, region);
  std::vector<DemoHome> out;
  for (const std::string& la_code : record->la_codes) {
    const LocalAuthorityRecord* la = refdata.FindLocalAuthority(la_code);
    auto district = la == nullptr ? la_districts.end() : la_districts.find(la->ons_code);
    if (district == la_districts.end()) continue;
    const GeoPoint* at = districts.Find(district->second);
    if (at == nullptr) continue;
    const uint64_t h = StableHash(la_code);
    DemoHome home;
    home.la = la_code;
    home.urn = absl::StrCat("SC9", block, la_code);
    home.type = kTypes[h % 5];
    home.grade = kGrades[(h / 5) % 4];
    const int second_need = 2 + static_cast<int>((h >> 8) % (kMaxNeedCategory - 1));
    home.needs = {1, second_need};
    home.beds = 1 + static_cast<int>((h >> 12) % 3);
    home.district = district->second;
    home.lat = at->latitude;
    home.lon = at->longitude;
    home.occupancy = home.beds == 1 ? Occupancy::kSolo : Occupancy::kShared;
    home.sibling_capacity = 1;
    switch (home.type) {
      case PT::kIndependentFosteringAgency:
        home.name = absl::StrCat("Demo ", la->name, " Fostering");
        home.age_min = 0;
        home.age_max = 17;
        home.weekly_cost_pence = 80000 + static_cast<int64_t>((h >> 16) % 6) * 2500;
        home.sibling_capacity = home.beds;
        break;
      case PT::kSupportedAccommodation:
        home.name = absl::StrCat("Demo ", la->name, " Supported Living");
        home.age_min = 16;
        home.age_max = 17;
        home.grade = G::kNotJudged;
        home.weekly_cost_pence = 150000;
        break;
      default:
        home.name = absl::StrCat("Demo ", la->name, " House");
        home.age_min = 10;
        home.age_max = 17;
        home.weekly_cost_pence = 360000 + static_cast<int64_t>((h >> 16) % 10) * 10000;
        break;
    }
    out.push_back(std::move(home));
  }
  return out;
}

// One anonymised demo referral: an age, a sex, needs and a home district; no name, date of
// birth or full postcode.
struct DemoReferral {
  std::string request_id;
  std::string la;
  int age;
  Sex sex;
  std::vector<int> needs;
  std::string home_district;
  int urgency;  // Urgency number
  double max_miles;
};

std::vector<DemoReferral> ReferralsOf(const std::string& region) {
  if (region == "EE") {
    return {
        {"demo-referral-1", "926", 13, Sex::kMale, {1, 7}, "NR2", 2, 40},
        {"demo-referral-2", "935", 9, Sex::kFemale, {1, 3}, "IP4", 3, 60},
        {"demo-referral-3", "873", 16, Sex::kNotStated, {1}, "CB4", 1, 0},
    };
  }
  if (region == "SE") {
    return {
        {"demo-referral-1", "886", 14, Sex::kMale, {1, 2}, "ME4", 2, 40},
        {"demo-referral-2", "936", 10, Sex::kFemale, {1, 3}, "GU1", 3, 60},
    };
  }
  return {};
}

// Two referrals for a region without hand-written ones, from its first two generated homes' LAs
// and districts (the second with the needs its LA's home is registered for).
std::vector<DemoReferral> GeneratedReferrals(const std::vector<DemoHome>& homes) {
  std::vector<DemoReferral> out;
  if (homes.size() >= 1) {
    out.push_back({"demo-referral-1", homes[0].la, 12, Sex::kFemale, {1}, homes[0].district, 2,
                   50});
  }
  if (homes.size() >= 2) {
    out.push_back({"demo-referral-2", homes[1].la, 15, Sex::kMale, homes[1].needs,
                   homes[1].district, 3, 0});
  }
  return out;
}

// Loads `referrals` into `tx`, each once (keyed by its audit request id).
absl::Status LoadDemoReferrals(store::Transaction& tx, const PlacementStore& store,
                               const PostcodeDistricts& districts,
                               const std::vector<DemoReferral>& referrals, absl::Time now) {
  for (const DemoReferral& d : referrals) {
    RecordQuery q;
    q.la_codes = {d.la};
    q.limit = 1000;
    absl::StatusOr<std::vector<ReferralRecord>> existing = store.ListReferrals(tx, q);
    if (!existing.ok()) return existing.status();
    if (std::any_of(existing->begin(), existing->end(), [&](const ReferralRecord& r) {
          return r.audit.created_by == "demo-data" && r.audit.request_id == d.request_id;
        })) {
      continue;
    }
    ReferralRecord r;
    r.la_code = d.la;
    r.profile.age_years = d.age;
    r.profile.sex = d.sex;
    r.profile.needs = d.needs;
    r.profile.home_postcode_district = d.home_district;
    const GeoPoint* home = districts.Find(d.home_district);
    if (home == nullptr) {
      return absl::InternalError(absl::StrCat("demo district ", d.home_district, " is unknown"));
    }
    r.profile.home_coordinates = RoundToDistrict(*home);
    r.profile.sibling_group_size = 1;
    r.extras.urgency = d.urgency;
    r.extras.legal_status = 3;  // CARE_ORDER
    r.constraints.max_distance_miles = d.max_miles;
    absl::StatusOr<ReferralRecord> made =
        store.CreateReferral(tx, r, {"demo-data", d.request_id, now});
    if (!made.ok()) return made.status();
  }
  return absl::OkStatus();
}

// The demo provider of `hub_region` (its member subject is "<region>-provider-demo"), made once.
absl::StatusOr<std::string> DemoProvider(store::Transaction& tx, const PlacementStore& store,
                                         const std::string& hub_region, absl::Time now) {
  const std::string member = absl::StrCat(hub_region, "-provider-demo");
  absl::StatusOr<std::vector<std::string>> mine = store.ProvidersOfMember(tx, member);
  if (!mine.ok()) return mine.status();
  if (!mine->empty()) return mine->front();
  ProviderRecord provider;
  provider.name = absl::StrCat("Demo Care Group (", hub_region, ")");
  provider.kind = 2;  // PRIVATE
  provider.member_subjects = {member};
  absl::StatusOr<ProviderRecord> made =
      store.CreateProvider(tx, provider, {"demo-data", "demo-provider", now});
  if (!made.ok()) return made.status();
  return made->provider_id;
}

}  // namespace

absl::StatusOr<std::map<std::string, std::string>> LargestDistrictOfEachLa(
    const std::string& districts_path) {
  absl::StatusOr<std::vector<CsvRecord>> records = ReadCsvFile(districts_path);
  if (!records.ok()) return records.status();
  if (records->empty()) return absl::InvalidArgumentError(absl::StrCat(districts_path, ": empty"));
  const std::vector<std::string>& header = records->front().fields;
  const auto column = [&](absl::string_view name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const size_t district = column("district"), postcodes = column("postcodes"),
               la = column("la_ons_code");
  if (district == header.size() || postcodes == header.size() || la == header.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        districts_path, ": the header needs district, postcodes and la_ons_code columns"));
  }
  std::map<std::string, std::pair<int64_t, std::string>> best;  // LA -> (postcodes, district)
  for (size_t i = 1; i < records->size(); ++i) {
    const std::vector<std::string>& f = (*records)[i].fields;
    if (f.size() != header.size()) continue;
    int64_t count = 0;
    if (!absl::SimpleAtoi(f[postcodes], &count)) continue;
    auto [it, inserted] = best.try_emplace(f[la], count, f[district]);
    // The most postcodes wins; a tie goes to the district that sorts first.
    if (!inserted && (count > it->second.first ||
                      (count == it->second.first && f[district] < it->second.second))) {
      it->second = {count, f[district]};
    }
  }
  std::map<std::string, std::string> out;
  for (const auto& [code, chosen] : best) out[code] = chosen.second;
  return out;
}

absl::Status LoadDemoData(store::Database& db, const PostcodeDistricts& districts,
                          const ReferenceData& refdata,
                          const std::map<std::string, std::string>& la_districts,
                          const std::string& hub_region) {
  std::vector<DemoHome> homes = HomesOf(hub_region);
  std::vector<DemoReferral> referrals = ReferralsOf(hub_region);
  if (homes.empty()) {
    homes = GeneratedHomes(refdata, la_districts, districts, hub_region);
    referrals = GeneratedReferrals(homes);
  }
  if (homes.empty()) return absl::OkStatus();
  const PlacementStore store(hub_region);
  const absl::Time now = absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()));
  return db.Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::string> provider_id = DemoProvider(tx, store, hub_region, now);
    if (!provider_id.ok()) return provider_id.status();
    const absl::CivilDay today = TodayInEngland();
    for (size_t i = 0; i < homes.size(); ++i) {
      const DemoHome& h = homes[i];
      SettingQuery q;
      q.ofsted_urn = h.urn;
      q.include_inactive = true;
      absl::StatusOr<std::vector<SettingRecord>> existing = store.ListSettings(tx, q);
      if (!existing.ok()) return existing.status();
      std::string setting_id;
      if (!existing->empty()) {
        setting_id = existing->front().facts.setting_id;
      } else {
        SettingRecord s;
        s.facts.provider_id = *provider_id;
        s.facts.ofsted_urn = h.urn;
        s.facts.name = h.name;
        s.facts.placement_type = h.type;
        s.facts.ofsted_grade = h.grade;
        s.facts.registered_needs = h.needs;
        s.facts.age_min = h.age_min;
        s.facts.age_max = h.age_max;
        s.facts.sex_accepted = SexAccepted::kAny;
        s.facts.postcode_district = h.district;
        s.facts.coordinates = GeoPoint{h.lat, h.lon};
        s.facts.host_la = h.la;
        s.facts.region = hub_region;
        s.facts.active = true;
        s.registered_places = h.beds + 2;
        absl::StatusOr<SettingRecord> setting =
            store.CreateSetting(tx, s, {"demo-data", absl::StrCat("demo-setting-", i), now});
        if (!setting.ok()) return setting.status();
        setting_id = setting->facts.setting_id;
      }
      VacancyRecord v;
      v.facts.setting_id = setting_id;
      v.record_id = "demo-1";
      v.facts.beds = h.beds;
      v.facts.available_from = today - (today.day() - 1);  // the first of this month: stable
      v.facts.weekly_cost_pence = h.weekly_cost_pence;
      v.facts.occupancy = h.occupancy;
      v.facts.sibling_capacity = h.sibling_capacity;
      absl::StatusOr<std::pair<VacancyRecord, bool>> published =
          store.PublishVacancy(tx, v, {"demo-data", "", now});
      // A demo vacancy changed through the API since the last start keeps its new terms.
      if (!published.ok() && published.status().code() != absl::StatusCode::kAlreadyExists) {
        return published.status();
      }
    }
    return LoadDemoReferrals(tx, store, districts, referrals, now);
  });
}

absl::Status LoadUascDemoData(store::Database& db, const ReferenceData& refdata,
                              const std::string& hub_region) {
  const UascStore uasc(hub_region);
  return db.Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
    const RegionRecord* region = refdata.FindRegion(hub_region);
    if (region == nullptr) return absl::OkStatus();
    const absl::Time now = absl::Now();
    const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
    absl::CivilDay as_of(today.year(), 3, 31);
    if (as_of > today) as_of = absl::CivilDay(today.year() - 1, 3, 31);
    // UASC count as a percentage of the 0.1% threshold, cycling over the region's LAs.
    const int kShareOfThreshold[] = {45, 80, 100, 130, 60, 115, 95, 70, 120, 85, 50};
    std::vector<UascPosition> positions;
    for (size_t i = 0; i < region->la_codes.size(); ++i) {
      const LocalAuthorityRecord* la = refdata.FindLocalAuthority(region->la_codes[i]);
      if (la == nullptr || la->population_0_25 <= 0) continue;
      // Under-18s as about 70% of the 0-25 population, in whole thousands (so 100% is exact).
      const int64_t under18 = std::max<int64_t>(1000, la->population_0_25 * 7 / 10 / 1000 * 1000);
      const int share = kShareOfThreshold[i % (sizeof(kShareOfThreshold) / sizeof(int))];
      const UascFigures figures{la->la_code, as_of, under18, under18 * share / 100000};
      absl::StatusOr<UascPopulationRecord> stored =
          uasc.SubmitPopulation(tx, figures, {"demo-data", "", now});
      if (!stored.ok()) return stored.status();
      positions.push_back(EvaluateUasc(figures, 100));
    }
    const UascRota rota = BuildUascRota(positions);
    auto referring = std::min_element(rota.not_receiving.begin(), rota.not_receiving.end(),
                                      [](const UascPosition& a, const UascPosition& b) {
                                        return a.headroom_scaled < b.headroom_scaled;
                                      });
    if (rota.receiving.empty() || referring == rota.not_receiving.end() ||
        !referring->may_refer_out) {
      return absl::OkStatus();
    }
    absl::StatusOr<std::vector<absl::CivilDay>> holidays = uasc.BankHolidays(tx);
    if (!holidays.ok()) return holidays.status();
    struct DemoTransfer {
      const char* record_id;
      int days_ago;
      bool from_hotel;
    };
    for (const DemoTransfer& d :
         {DemoTransfer{"demo-transfer-1", 2, true}, DemoTransfer{"demo-transfer-2", 30, false}}) {
      UascTransferRecord t;
      t.record_id = d.record_id;
      t.referring_la = referring->la_code;
      t.receiving_la = rota.receiving.front().la_code;
      t.referred_on = today - d.days_ago;
      t.from_hotel = d.from_hotel;
      t.deadline = TransferDeadline(t.referred_on, t.from_hotel, *holidays);
      absl::StatusOr<UascTransferRecord> made = uasc.RecordTransfer(tx, t, {"demo-data", "", now});
      // Recorded on an earlier start (on another day): keep it.
      if (!made.ok() && made.status().code() != absl::StatusCode::kAlreadyExists) {
        return made.status();
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace slihub::placement
