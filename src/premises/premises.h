/* premises.h — the register of idle state premises (国有闲置房源, requirements C1.4; 瓯海区
 * 三岁以下婴幼儿照护服务发展实施方案 四(一)2: state-owned idle premises offered with rent relief,
 * first to 普惠 institutions). Its pure part: the record, parsing and validating an entry, the
 * status an entry shows, and the rule of who may apply. No database (store.c), no HTTP (api.c).
 *
 * An entry is available, allocated (to one institution, by a case of the "premises" process on the
 * cases engine) or withdrawn (by the district or its town). "applied" is not stored: an available
 * entry with an application submitted and not yet decided shows as applied. */
#ifndef TUOYU_PREMISES_H
#define TUOYU_PREMISES_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "http/http.h"

struct premises {
    int64_t id;
    char town_code[16];
    char address[200];
    double lon, lat;      /* WGS-84 */
    double area_m2;       /* 建筑面积 */
    int floor;            /* 所在楼层 (negative: underground; no floor 0) */
    char owner_unit[128]; /* 产权单位 */
    char relief_terms[500]; /* 减免租金条款 (text as the owner unit offers it) */
    int rent_free_months; /* 免租期（月）, 0 none */
    char status[12];      /* available | allocated | withdrawn */
    int64_t institution_id; /* allocated to (0 none) */
    int64_t case_id;        /* the case that allocated it (0 none) */
    char allocated_on[11];
    char withdrawn_reason[200];
    int open_applications;  /* submitted applications not yet decided */
    int64_t version;
    char created_at[32], updated_at[32];
};

/* The district's bounding box the coordinates must fall in (params geo.bbox.*). */
struct premises_bounds {
    double min_lon, max_lon, min_lat, max_lat;
};

/* The body of POST /api/v1/premises and PUT /api/v1/premises/{id}. */
extern const struct http_schema premises_schema;

/* Parse body (admitted by premises_schema) onto out (the stored entry when editing; its id,
 * status and allocation stay): 0, or -1 with e = 422 outside_district (lon / lat), bad_floor. */
int premises_from_json(const json_t *body, const struct premises_bounds *b, struct premises *out, struct err *e);

/* The status an entry shows: "applied" for an available one with open applications. */
const char *premises_status_shown(const struct premises *p);
/* Its name in Chinese (可申请, 已有申请, 已分配, 已撤回); NULL for an unknown code. */
const char *premises_status_name(const char *code);

/* The entry as JSON (town_name and institution_name may be NULL). */
json_t *premises_to_json(const struct premises *p, const char *town_name, const char *institution_name);

/* May an institution that is inclusive (普惠) apply for entry p? 0, or -1 with e:
 *   422 not_inclusive (field institution_id) when it is not 普惠: the policy offers the premises to
 *       普惠 institutions only;
 *   409 premises_unavailable (field id) when the entry is allocated or withdrawn. */
int premises_may_apply(const struct premises *p, int inclusive, struct err *e);

/* May entry p be allocated to an institution that is inclusive (the outcome of a case)? As
 * premises_may_apply, with 409 premises_allocated when it went to another institution already. */
int premises_may_allocate(const struct premises *p, int inclusive, struct err *e);

/* May entry p be edited or withdrawn? 0, or 409 premises_closed when allocated or withdrawn. */
int premises_may_change(const struct premises *p, struct err *e);

#endif
