/* geo.c — the near/radius search parameter (the distance is inline in geo.h). */
#include "base/geo.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/parse.h"

int geo_parse_near(const char *near, const char *radius_km, int *present, double *lon, double *lat,
                   double *radius, struct err *e)
{
    *present = 0;
    if (!near || !near[0])
        return 0;
    char lon_s[32], lat_s[32];
    const char *comma = strchr(near, ',');
    if (!comma || comma - near >= 31 || strlen(comma + 1) >= 31)
        return err_set(e, 400, "bad_point", "near", "位置格式应为 经度,纬度");
    snprintf(lon_s, sizeof lon_s, "%.*s", (int)(comma - near), near);
    snprintf(lat_s, sizeof lat_s, "%s", comma + 1);
    if (parse_double(lon_s, lon) < 0 || parse_double(lat_s, lat) < 0 || fabs(*lon) > 180 || fabs(*lat) > 90)
        return err_set(e, 400, "bad_point", "near", "位置坐标无效：%s", near);
    *radius = 5;
    if (radius_km && radius_km[0] && (parse_double(radius_km, radius) < 0 || *radius <= 0 || *radius > 100))
        return err_set(e, 400, "bad_radius", "radius_km", "距离范围应在 0 到 100 公里之间");
    *present = 1;
    return 0;
}
