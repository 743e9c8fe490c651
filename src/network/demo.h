/* demo.h — demonstration of the health guidance network at work (demo.c). */
#ifndef TUOYU_NETWORK_DEMO_H
#define TUOYU_NETWORK_DEMO_H

#include <stdint.h>

#include "base/err.h"
#include "db/db.h"

/* A year of care-group activities before today at the district's accepted stations and towns'
 * health centres (scheduled by `by`), the families parents[0..nparents) registered and attendance
 * taken, and one activity each in the coming weeks. In the caller's transaction. */
int network_demo_activities(struct db *db, const char *district, const int64_t *parents, int nparents, int64_t by,
                            const char *today, const char *now_ts, struct err *e);
/* The instructor's duties at institution_id over the year before today (the instructor assigned
 * from network_demo_assigned_from): quarterly visits, half-yearly lectures and yearly reviews,
 * some missed by serial. */
int network_demo_duties(struct db *db, const char *district, int64_t instructor, int64_t institution_id, int serial,
                        const char *today, const char *now_ts, struct err *e);
/* The first day of the demo instructor's assignments: the first day of the quarter a year before
 * today's. */
void network_demo_assigned_from(const char *today, char out[11]);

#endif
