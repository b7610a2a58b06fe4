#include "services/placement/synthetic_register.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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

}  // namespace slihub::placement
