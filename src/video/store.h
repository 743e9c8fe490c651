/* store.h — SQL of 可视托 (src/video/): cameras, their probe results, outages, viewings and the
 * parents' viewing grants. */
#ifndef TUOYU_VIDEO_STORE_H
#define TUOYU_VIDEO_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "db/db.h"
#include "video/video.h"

/* A camera as the prober sees it. */
struct video_target {
    int64_t id, institution_id;
    char name[128], institution_name[128];
    struct video_url url;
    struct video_liveness live;
    char failing_since[24];
};

/* The active cameras of the district (one_id > 0: only that one, active or not), by id. 0 with
 * *out (free it) and *n, or -1 with e. */
int video_store_targets(struct db *db, const char *district, int64_t one_id, struct video_target **out, size_t *n,
                        struct err *e);

/* Record one probe of t (its liveness already moved by video_after_probe to live, the event ev)
 * at now_ts: the camera's state, the day's counts, the outage opened or closed. Inside the
 * caller's transaction. The id of the outage opened or closed in *outage (0 when none). */
int video_store_probe(struct db *db, const char *district, const struct video_target *t,
                      const struct video_liveness *live, enum video_event ev, int ok, const char *reason,
                      const char *now_ts, int64_t *outage, struct err *e);

/* Who is told of an outage of an institution's camera: its operators and the supervision centre. */
int video_store_recipients(struct db *db, const char *district, int64_t institution_id, int64_t **ids, size_t *n,
                           struct err *e);

/* Cameras as JSON rows (no credentials), in the scope; filters: institution (0 any), state ("" any),
 * one_id (0 any); by id after after_id, at most limit; uptime over the days from since_day. */
struct video_camera_filter {
    int64_t institution_id, one_id, after_id;
    const char *state;
    const char *since_day;
    int limit;
};
int video_store_cameras(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                        const struct video_camera_filter *f, json_t **rows, struct err *e);

/* A camera's record as written: the fields of a POST/PUT body, validated. */
struct video_camera_record {
    char name[128], area[16];
    int64_t class_id;
    struct video_url url;
    char credentials_sealed[400], username_masked[80];
    int retention_days, active;
};
int video_store_insert(struct db *db, const char *district, int64_t institution_id, const struct video_camera_record *c,
                       const char *now_ts, int64_t *id, struct err *e);
int video_store_update(struct db *db, const char *district, int64_t id, const struct video_camera_record *c,
                       int keep_credentials, const char *now_ts, struct err *e);
/* Is class_id a class of institution_id? 1, 0, -1 with e. */
int video_store_class_of(struct db *db, int64_t institution_id, int64_t class_id, struct err *e);
/* The camera's stream address (without credentials), its sealed credentials ("" when none) and its
 * institution. 1, 0 none, -1 with e. */
int video_store_stream(struct db *db, const char *district, int64_t id, struct video_url *u, char *sealed, size_t cap,
                       int64_t *institution_id, struct err *e);

/* The findings facts of the open institutions in reach — one (institution_id > 0), a town's
 * (town not NULL) or the district's: their classes and cameras, each in institution order (the
 * names live in chunks of text; free with video_facts_free). */
struct video_facts {
    struct video_class_fact *classes;
    size_t nclasses;
    struct video_camera_fact *cameras;
    size_t ncameras;
    char *text; /* the newest chunk of text, chained to the older ones */
};
int video_store_facts(struct db *db, const char *district, const char *town, int64_t institution_id,
                      struct video_facts *f, struct err *e);
void video_facts_free(struct video_facts *f);

/* Outages as JSON rows in the scope by id after after_id, open only when open_only; at most limit. */
int video_store_outages(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                        int open_only, int64_t after_id, int limit, json_t **rows, struct err *e);

/* Viewings: start one; end the user's open viewings of a camera at now (*ended of them, *seconds in
 * all); list them (by id after after_id). */
int video_store_view_start(struct db *db, const char *district, int64_t camera_id, int64_t institution_id,
                           int64_t user_id, const char *role, const char *now_ts, int64_t *id, struct err *e);
int video_store_views_end(struct db *db, const char *district, int64_t camera_id, int64_t user_id, const char *now_ts,
                          int64_t now, int64_t *ended, int64_t *seconds, struct err *e);
int video_store_views(struct db *db, const char *district, int64_t after_id, int limit, json_t **rows, struct err *e);

/* Parents' viewing: the grant in force for institution on day (1 with from/to hours and its row
 * as JSON in *grant, 0 none), and a new grant. */
int video_store_parent_grant(struct db *db, const char *district, int64_t institution_id, const char *day,
                             json_t **grant, struct err *e);
int video_store_parent_grant_add(struct db *db, const char *district, int64_t institution_id, const char *valid_from,
                                 const char *valid_to, const char *hours_from, const char *hours_to, const char *basis,
                                 int64_t user_id, const char *now_ts, int64_t *id, struct err *e);
/* Is the family's child placed today in the class whose room camera_id covers? 1, 0, -1 with e. */
int video_store_family_child_in_room(struct db *db, int64_t family_user_id, int64_t camera_id, const char *day,
                                     struct err *e);

#endif
