#include "services/placement/synthetic_register.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/placement/domain/matching.h"
#include "services/placement/domain/model.h"

namespace slihub::placement {
namespace {

struct LaRegion {
  const char* la;
  const char* region;
};
constexpr LaRegion kLas[] = {{"926", "EE"}, {"935", "EE"}, {"873", "EE"}, {"881", "EE"},
                             {"919", "EE"}, {"886", "SE"}, {"936", "SE"}, {"845", "SE"},
                             {"850", "SE"}, {"938", "SE"}, {"202", "LDN"}, {"209", "LDN"},
                             {"330", "WM"}, {"350", "NW"}, {"373", "YH"}, {"908", "SW"}};


// The same filters and score as one SQL statement ($1..$3: home latitude, longitude, and the
// cost ceiling), ranked and limited as the first page of MatchPlacements.
constexpr char kSqlMatch[] = R"sql(
WITH c AS (
  SELECT v.vacancy_id, v.weekly_cost_pence AS cost, v.last_confirmed_at, s.ofsted_grade AS grade,
         s.registered_needs, s.host_la, s.region,
         2 * 3958.8 * asin(min(1, sqrt(
           pow(sin(radians(s.latitude - $1) / 2), 2) +
           cos(radians($1)) * cos(radians(s.latitude)) * pow(sin(radians(s.longitude - $2) / 2), 2))))
           AS d
  FROM vacancies v JOIN settings s ON s.setting_id = v.setting_id
  WHERE v.state = 1 AND v.beds - v.beds_held >= 1 AND s.active = 1
    AND s.placement_type <> 9
    AND instr(',' || s.registered_needs || ',', ',1,') > 0
    AND instr(',' || s.registered_needs || ',', ',7,') > 0
    AND s.age_min <= 14 AND s.age_max >= 14
    AND s.sex_accepted IN (0, 1, 2)
    AND s.ofsted_grade BETWEEN 1 AND 3
    AND v.available_from <= '2026-12-31'
    AND v.weekly_cost_pence <= $3
    AND s.latitude IS NOT NULL)
SELECT vacancy_id, d, cost,
  0.30 * max(0.0, 1.0 - d / 60.0) + 0.15 * max(0.0, 1.0 - cost * 1.0 / $3)
  + 0.20 * (CASE grade WHEN 1 THEN 1.0 WHEN 2 THEN 0.75 WHEN 3 THEN 0.4 ELSE 0.0 END)
  + 0.10 * min(1.0, 3.0 / (length(registered_needs) - length(replace(registered_needs, ',', '')) + 2))
  + 0.10 * (host_la = '926') + 0.05 * (region = 'EE') + 0.05
  + 0.05 * ($4 - last_confirmed_at <= $5) AS score
FROM c WHERE d <= 60
ORDER BY score DESC, d, cost, vacancy_id LIMIT 50
)sql";

}  // namespace

absl::Status SeedSyntheticRegister(store::Database& db, int n, absl::Time now) {
  std::mt19937 rng(42);
  auto uniform = [&](double lo, double hi) {
    return lo + (hi - lo) * (static_cast<double>(rng()) / static_cast<double>(rng.max()));
  };
  return db.Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
    auto r = tx.Execute(
        "INSERT INTO providers(provider_id, name, kind, version, created_at, created_by, "
        "updated_at, updated_by) VALUES ('EE-p-1', 'Bench', 2, 1, 0, 'bench', 0, 'bench')");
    if (!r.ok()) return r.status();
    for (int i = 0; i < n; ++i) {
      const LaRegion& la = kLas[rng() % (sizeof(kLas) / sizeof(kLas[0]))];
      std::vector<int> needs;
      for (int need = 1; need <= kMaxNeedCategory; ++need) {
        if (rng() % 3 == 0) needs.push_back(need);
      }
      const int type = 1 + static_cast<int>(rng() % 9);
      const int age_min = static_cast<int>(rng() % 12);
      const std::string setting_id = absl::StrCat("EE-s-", i);
      const std::string needs_text = [&] {
        std::string t;
        for (size_t k = 0; k < needs.size(); ++k) absl::StrAppend(&t, k ? "," : "", needs[k]);
        return t;
      }();
      r = tx.Execute(
          "INSERT INTO settings(setting_id, provider_id, ofsted_urn, name, placement_type, "
          "residential, ofsted_grade, registered_needs, age_min, age_max, sex_accepted, "
          "postcode_district, latitude, longitude, host_la, region, registered_places, active, "
          "version, created_at, created_by, updated_at, updated_by) VALUES ($1, 'EE-p-1', $2, "
          "'home', $3, 0, $4, $5, $6, 17, $7, 'NR1', $8, $9, $10, $11, 4, 1, 1, 0, 'bench', 0, "
          "'bench')",
          {store::Text(setting_id), store::Text(absl::StrCat("SC", 100000 + i)), store::Int(type),
           store::Int(1 + static_cast<int>(rng() % 5)), store::Text(needs_text), store::Int(age_min),
           store::Int(1 + static_cast<int>(rng() % 3)), store::Real(uniform(50.5, 55.0)),
           store::Real(uniform(-3.0, 1.7)), store::Text(la.la), store::Text(la.region)});
      if (!r.ok()) return r.status();
      const int beds = 1 + static_cast<int>(rng() % 3);
      r = tx.Execute(
          "INSERT INTO vacancies(vacancy_id, setting_id, record_id, beds, beds_held, "
          "available_from, weekly_cost_pence, occupancy, sibling_capacity, last_confirmed_at, "
          "state, version, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, 'r', "
          "$3, $4, $5, $6, $7, $8, $9, 1, 1, 0, 'bench', 0, 'bench')",
          {store::Text(absl::StrCat("EE-v-", i)), store::Text(setting_id), store::Int(beds),
           store::Int(rng() % 5 == 0 ? beds : 0),
           store::Text(absl::StrCat("2026-", 10 + rng() % 3, "-", 10 + rng() % 18)),
           store::Int(80000 + static_cast<int64_t>(rng() % 600000)),
           store::Int(1 + static_cast<int>(rng() % 2)), store::Int(1 + static_cast<int>(rng() % 3)),
           store::Int(absl::ToUnixMicros(now - absl::Hours(rng() % (24 * 30))))});
      if (!r.ok()) return r.status();
    }
    return absl::OkStatus();
  });
}

const std::vector<std::string>& SyntheticRegions() {
  static const std::vector<std::string> kRegions = {"EE", "EM", "LDN", "NE", "NW",
                                                    "SE", "SW", "WM", "YH"};
  return kRegions;
}

absl::Status SeedSyntheticNation(store::Database& db, int n, absl::Time now,
                                 const std::string& only_region) {
  // Three LAs of each region, in SyntheticRegions() order.
  static const char* const kRegionLas[9][3] = {
      {"926", "935", "873"}, {"830", "891", "855"}, {"202", "209", "203"},
      {"390", "391", "392"}, {"350", "340", "341"}, {"886", "845", "850"},
      {"908", "800", "802"}, {"330", "331", "332"}, {"373", "370", "380"}};
  const std::vector<std::string>& regions = SyntheticRegions();
  std::mt19937 rng(42);
  auto uniform = [&](double lo, double hi) {
    return lo + (hi - lo) * (static_cast<double>(rng()) / static_cast<double>(rng.max()));
  };
  return db.Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
    for (const std::string& region : regions) {
      if (!only_region.empty() && region != only_region) continue;
      auto r = tx.Execute(
          "INSERT INTO providers(provider_id, name, kind, version, created_at, created_by, "
          "updated_at, updated_by) VALUES ($1, 'Bench', 2, 1, 0, 'bench', 0, 'bench')",
          {store::Text(region + "-p-1")});
      if (!r.ok()) return r.status();
    }
    for (int i = 0; i < n; ++i) {
      const size_t ri = static_cast<size_t>(i) % regions.size();
      const std::string& region = regions[ri];
      const char* la = kRegionLas[ri][rng() % 3];
      std::string needs_text;
      for (int need = 1; need <= kMaxNeedCategory; ++need) {
        if (rng() % 3 == 0) absl::StrAppend(&needs_text, needs_text.empty() ? "" : ",", need);
      }
      const int type = 1 + static_cast<int>(rng() % 9);
      const int age_min = static_cast<int>(rng() % 12);
      const int grade = 1 + static_cast<int>(rng() % 5);
      const int sex = 1 + static_cast<int>(rng() % 3);
      const double lat = uniform(50.5, 55.0);
      const double lon = uniform(-3.0, 1.7);
      const int beds = 1 + static_cast<int>(rng() % 3);
      const int held = rng() % 5 == 0 ? beds : 0;
      const std::string available = absl::StrCat("2026-", 10 + rng() % 3, "-", 10 + rng() % 18);
      const int64_t cost = 80000 + static_cast<int64_t>(rng() % 600000);
      const int occupancy = 1 + static_cast<int>(rng() % 2);
      const int siblings = 1 + static_cast<int>(rng() % 3);
      const int64_t confirmed = absl::ToUnixMicros(now - absl::Hours(rng() % (24 * 30)));
      if (!only_region.empty() && region != only_region) continue;
      const std::string setting_id = absl::StrCat(region, "-s-", i);
      auto r = tx.Execute(
          "INSERT INTO settings(setting_id, provider_id, ofsted_urn, name, placement_type, "
          "residential, ofsted_grade, registered_needs, age_min, age_max, sex_accepted, "
          "postcode_district, latitude, longitude, host_la, region, registered_places, active, "
          "version, created_at, created_by, updated_at, updated_by) VALUES ($1, $12, $2, "
          "'home', $3, 0, $4, $5, $6, 17, $7, 'NR1', $8, $9, $10, $11, 4, 1, 1, 0, 'bench', 0, "
          "'bench')",
          {store::Text(setting_id), store::Text(absl::StrCat("SC", 100000 + i)), store::Int(type),
           store::Int(grade), store::Text(needs_text), store::Int(age_min), store::Int(sex),
           store::Real(lat), store::Real(lon), store::Text(la), store::Text(region),
           store::Text(region + "-p-1")});
      if (!r.ok()) return r.status();
      r = tx.Execute(
          "INSERT INTO vacancies(vacancy_id, setting_id, record_id, beds, beds_held, "
          "available_from, weekly_cost_pence, occupancy, sibling_capacity, last_confirmed_at, "
          "state, version, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, 'r', "
          "$3, $4, $5, $6, $7, $8, $9, 1, 1, 0, 'bench', 0, 'bench')",
          {store::Text(absl::StrCat(region, "-v-", i)), store::Text(setting_id), store::Int(beds),
           store::Int(held), store::Text(available), store::Int(cost), store::Int(occupancy),
           store::Int(siblings), store::Int(confirmed)});
      if (!r.ok()) return r.status();
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<size_t> RunSyntheticMatchSql(store::Database& db, absl::Time now) {
  size_t rows = 0;
  absl::Status st = db.Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
    auto rs = tx.Query(kSqlMatch, {store::Real(52.63), store::Real(1.30), store::Int(500000),
                                   store::Int(absl::ToUnixMicros(now)),
                                   store::Int(absl::ToInt64Microseconds(MatchConfig().stale_after))});
    if (!rs.ok()) return rs.status();
    rows = rs->size();
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return rows;
}

}  // namespace slihub::placement
