#include "services/placement/domain/geo.h"

#include <algorithm>
#include <cmath>

namespace slihub::placement {
namespace {
constexpr double kPi = 3.14159265358979323846;
double Radians(double degrees) { return degrees * kPi / 180.0; }
}  // namespace

double GreatCircleMiles(const GeoPoint& a, const GeoPoint& b) {
  const double dlat = Radians(b.latitude - a.latitude);
  const double dlon = Radians(b.longitude - a.longitude);
  const double s = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(Radians(a.latitude)) * std::cos(Radians(b.latitude)) *
                       std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusMiles * std::asin(std::min(1.0, std::sqrt(s)));
}

bool IsValidGeoPoint(const GeoPoint& p) {
  return std::isfinite(p.latitude) && std::isfinite(p.longitude) && p.latitude >= -90 &&
         p.latitude <= 90 && p.longitude >= -180 && p.longitude <= 180;
}

GeoPoint RoundToDistrict(const GeoPoint& p) {
  return GeoPoint{std::round(p.latitude * 100) / 100, std::round(p.longitude * 100) / 100};
}

}  // namespace slihub::placement
