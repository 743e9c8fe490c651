/* scan.h — the compliance findings of every open institution in reach on a day, as the district's
 * findings list shows them and the dashboard counts them: the registry's rules, the staff records'
 * and 可视托's, one home for both. Each institution's findings are kept per process until its
 * findings stamp (migration 059), the day or the parameters move, so a repeated read costs two
 * small queries instead of the whole roster. */
#ifndef TUOYU_SUPERVISION_SCAN_H
#define TUOYU_SUPERVISION_SCAN_H

#include <stdint.h>

#include "base/err.h"
#include "db/db.h"
#include "supervision/store.h"

/* One finding, from whichever rules found it. */
struct scan_finding {
    char source[12];   /* registry (the institution's record), staff, video (可视托), care (daily care) */
    char rule[40];     /* stable code: class_size, health_cert_expired, video.none, … */
    char severity[8];  /* high | medium | low */
    char message[256]; /* Chinese */
    char basis[600];   /* the basis document, with the parameter in force */
    char subject[40];  /* class:<id>, staff:<id>, camera:<id>; "" when about the institution */
    int64_t class_id, staff_id, camera_id; /* 0 when not about one */
};

/* The institutions in reach, in id order, each with its findings: findings[first .. first+count). */
struct scan_institution {
    struct scan_head head;
    int first, count;
};
struct scan {
    struct scan_institution *institutions;
    int n;
    struct scan_finding *findings;
    int nfindings;
};

/* The open institutions of district (only town's when not NULL; only institution_id when > 0)
 * with their findings on today. 0, or -1 with e (out is then empty). Free with scan_free. */
int supervision_scan(struct db *db, const char *district, const char *town, int64_t institution_id, const char *today,
                     struct scan *out, struct err *e);
void scan_free(struct scan *s);

#endif
