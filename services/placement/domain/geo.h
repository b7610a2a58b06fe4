// Great-circle distances between WGS84 points.
#ifndef SLIHUB_SERVICES_PLACEMENT_DOMAIN_GEO_H_
#define SLIHUB_SERVICES_PLACEMENT_DOMAIN_GEO_H_

#include "services/placement/domain/model.h"

namespace slihub::placement {

// The mean Earth radius in statute miles used for every distance.
inline constexpr double kEarthRadiusMiles = 3958.8;

// The haversine (great-circle) distance between `a` and `b`, in miles. Symmetric, 0 for equal points.
double GreatCircleMiles(const GeoPoint& a, const GeoPoint& b);

// True when `p` is a real WGS84 point (latitude -90..90, longitude -180..180, finite).
bool IsValidGeoPoint(const GeoPoint& p);

// `p` rounded to 0.01 degree (about half a mile): the precision kept for a child's home area.
GeoPoint RoundToDistrict(const GeoPoint& p);

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_DOMAIN_GEO_H_
