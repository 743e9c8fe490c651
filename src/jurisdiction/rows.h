/* rows.h — a district's row of 区县比较 (rows.c): its dashboard indicators and targets, kept per
 * district (http_kept_part_*) under its own stamps and the day, so a write in one district makes
 * that row again and the others are served as kept; and the rows of a whole province made ahead
 * (the keeper), so the first comparison of a day or of a new server does not make 90 at once. */
#ifndef TUOYU_JURISDICTION_ROWS_H
#define TUOYU_JURISDICTION_ROWS_H

#include <stdint.h>

#include "db/db.h"
#include "supervision/dashboard.h"
#include "supervision/store.h"

struct region_row {
    int on_platform; /* the district's towns are here */
    struct kpi k;
    struct kpi_targets targets;
};

/* District code's row as of today with its stamps s (supervision_store_district_stamps): kept, or
 * made (towns: DASH_MAX_TOWNS of room) and kept. 0, or -1 with e. */
int region_row(struct db *db, const char *code, const char *today, const int64_t s[5], struct town_totals *towns,
               struct region_row *row, struct err *e);

/* Every district row below code (a province or a city) for today, kept or made. 0, or -1 with e. */
int region_rows_keep(struct db *db, const char *code, const char *today, struct err *e);

/* A thread keeping the rows of the deployment's province for the current day: at once, then every
 * interval seconds (one small statement when nothing changed); stopped (joined) by
 * region_keeper_stop. NULL with e when the thread cannot start. */
struct app;
struct region_keeper *region_keeper_start(struct app *app, int interval, struct err *e);
void region_keeper_stop(struct region_keeper *k);

#endif
