/* store.h — SQL of the working-day calendar (tables calendar_year and calendar_day, migration
 * 014). All functions run on the caller's connection; calendar_replace_year expects the caller's
 * transaction (and its audit row in it). */
#ifndef TUOYU_CALENDAR_STORE_H
#define TUOYU_CALENDAR_STORE_H

#include "base/workdays.h"
#include "calendar/calendar.h"
#include "db/db.h"

/* The years the district's calendar holds, ascending, with their notices and counts: at most
 * cap into out, *n set. 0 or -1 with e. */
int calendar_list_years(struct db *db, const char *district, struct calendar_year_info *out, int cap, int *n,
                        struct err *e);

/* One year with its days in date order: 1 when held, 0 when not, -1 on error. */
int calendar_load_year(struct db *db, const char *district, int year, struct calendar_year *out, struct err *e);

/* The name of a listed day (春节, or the holiday an adjusted working day makes up for): 1 with
 * name filled when day is listed, 0 when not, -1 on error. */
int calendar_day_name(struct db *db, const char *district, const char *day, char *name, size_t cap, struct err *e);

/* Replace the year's days and notice by y's (the year is added when new), updated_at = now_ts. */
int calendar_replace_year(struct db *db, const char *district, const struct calendar_year *y, const char *now_ts,
                          struct err *e);

/* The district's whole calendar, built for counting (date_calendar_build); free it with
 * date_calendar_free. 0 or -1 with e. */
int calendar_load(struct db *db, const char *district, struct date_calendar *out, struct err *e);

#endif
