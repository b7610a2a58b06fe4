#include "services/placement/domain/sufficiency.h"

#include <algorithm>
#include <cmath>

namespace slihub::placement {
namespace {

void AddFlows(const std::vector<const PlacementFlow*>& flows, double threshold, AreaFigures* area) {
  std::vector<std::optional<double>> distances;
  std::vector<absl::Duration> times;
  area->placements_outside_region = 0;
  for (const PlacementFlow* f : flows) {
    if (f->outside_region) ++area->placements_outside_region;
    distances.push_back(f->distance_miles);
    times.push_back(f->time_to_confirmation);
  }
  area->placements = SummariseDistances(distances, threshold);
  area->median_time_to_confirmation = NearestRankPercentile(times, 50);
  area->p90_time_to_confirmation = NearestRankPercentile(times, 90);
}

void AddStock(const VacancyStock& v, AreaFigures* area) {
  VacancyTally& t = area->vacancies[{static_cast<int>(v.placement_type), static_cast<int>(v.grade)}];
  ++t.vacancies;
  t.beds_free += v.beds_free;
  if (v.stale) ++t.stale;
  ++area->open_vacancies;
}

}  // namespace

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::optional<absl::Duration> NearestRankPercentile(std::vector<absl::Duration> values, int p) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  // Nearest rank: the ceil(p/100 * n)-th smallest value (1-based), in integer arithmetic.
  const size_t n = values.size();
  size_t rank = (static_cast<size_t>(p) * n + 99) / 100;
  rank = std::max<size_t>(1, std::min(rank, n));
  return values[rank - 1];
}

int BasisPoints(int part, int whole) {
  if (whole <= 0) return 0;
  return static_cast<int>((static_cast<int64_t>(part) * 20000 + whole) / (2 * whole));
}

DistanceSummary SummariseDistances(const std::vector<std::optional<double>>& distances,
                                   double threshold_miles) {
  DistanceSummary out;
  out.threshold_miles = threshold_miles;
  out.count = static_cast<int>(distances.size());
  std::vector<double> known;
  int within = 0;
  for (const std::optional<double>& d : distances) {
    if (!d.has_value()) {
      ++out.distance_unknown;
      continue;
    }
    known.push_back(*d);
    if (*d <= threshold_miles) ++within;
  }
  out.median_miles = Median(known);
  out.share_within_bp = BasisPoints(within, static_cast<int>(known.size()));
  return out;
}

std::pair<std::vector<AreaFigures>, std::vector<AreaFigures>> ComputeSufficiency(
    const std::vector<std::pair<std::string, std::string>>& las_with_regions,
    const std::vector<VacancyStock>& stock, const std::map<std::string, int>& open_referrals_by_la,
    const std::vector<TopMatchFlow>& top_matches, const std::vector<PlacementFlow>& placements,
    double near_threshold_miles) {
  std::vector<AreaFigures> las;
  std::map<std::string, AreaFigures> regions;
  std::map<std::string, size_t> la_index;
  for (const auto& [la, region] : las_with_regions) {
    la_index[la] = las.size();
    AreaFigures f;
    f.la_code = la;
    f.region = region;
    las.push_back(f);
    regions[region].region = region;
  }
  for (const VacancyStock& v : stock) {
    auto it = la_index.find(v.host_la);
    if (it == la_index.end()) continue;
    AddStock(v, &las[it->second]);
    AddStock(v, &regions[las[it->second].region]);
  }
  for (const auto& [la, count] : open_referrals_by_la) {
    auto it = la_index.find(la);
    if (it == la_index.end()) continue;
    las[it->second].open_referrals += count;
    regions[las[it->second].region].open_referrals += count;
  }
  std::vector<std::vector<const PlacementFlow*>> by_la(las.size());
  std::map<std::string, std::vector<const PlacementFlow*>> by_region;
  for (const PlacementFlow& p : placements) {
    auto it = la_index.find(p.la_code);
    if (it == la_index.end()) continue;
    by_la[it->second].push_back(&p);
    by_region[las[it->second].region].push_back(&p);
  }
  std::vector<std::vector<std::optional<double>>> matched_by_la(las.size());
  std::map<std::string, std::vector<std::optional<double>>> matched_by_region;
  for (const TopMatchFlow& m : top_matches) {
    auto it = la_index.find(m.la_code);
    if (it == la_index.end()) continue;
    matched_by_la[it->second].push_back(m.distance_miles);
    matched_by_region[las[it->second].region].push_back(m.distance_miles);
  }
  for (size_t i = 0; i < las.size(); ++i) {
    AddFlows(by_la[i], near_threshold_miles, &las[i]);
    las[i].matches = SummariseDistances(matched_by_la[i], near_threshold_miles);
  }
  std::vector<AreaFigures> region_list;
  for (auto& [code, figures] : regions) {
    AddFlows(by_region[code], near_threshold_miles, &figures);
    figures.matches = SummariseDistances(matched_by_region[code], near_threshold_miles);
    region_list.push_back(std::move(figures));
  }
  std::sort(las.begin(), las.end(), [](const AreaFigures& a, const AreaFigures& b) {
    return std::tie(a.region, a.la_code) < std::tie(b.region, b.la_code);
  });
  return {std::move(las), std::move(region_list)};
}

}  // namespace slihub::placement
