/* geo.h — geometry on WGS-84 coordinates (degrees) shared by the planning engine and the
 * domains: the great-circle distance, and the public search's "near=lon,lat&radius_km=R"
 * parameter. Pure: no I/O. */
#ifndef TUOYU_GEO_H
#define TUOYU_GEO_H

#include <math.h>

#include "base/err.h"

/* The mean Earth radius (IUGG R1) every distance of the platform uses. */
#define GEO_EARTH_RADIUS_M 6371008.8

/* Great-circle distance in metres between two points, haversine formula with
 * R = GEO_EARTH_RADIUS_M. Symmetric bit for bit. Inline: it runs in the planning engine's
 * inner loops (edge lengths, snapping), where a call per distance costs measurably. */
static inline double geo_haversine_m(double lat1, double lon1, double lat2, double lon2)
{
    const double deg = M_PI / 180.0;
    double p1 = lat1 * deg, p2 = lat2 * deg;
    double dp = (lat2 - lat1) * deg, dl = (lon2 - lon1) * deg;
    double sp = sin(dp / 2), sl = sin(dl / 2);
    double a = sp * sp + cos(p1) * cos(p2) * sl * sl;
    if (a > 1)
        a = 1;
    return 2 * GEO_EARTH_RADIUS_M * asin(sqrt(a));
}

/* The search point of a public list: near is "lon,lat" (NULL or "" = no point: *present 0,
 * nothing else set), radius_km the search radius (NULL or "" = 5 km; at most 100). On success
 * *present is 1 and lon, lat and radius are set. Errors (status 400): "bad_point" (field near)
 * when near is not two numbers within ±180 / ±90, "bad_radius" (field radius_km) when the
 * radius is not a number in (0, 100]. */
int geo_parse_near(const char *near, const char *radius_km, int *present, double *lon, double *lat,
                   double *radius, struct err *e);

#endif
