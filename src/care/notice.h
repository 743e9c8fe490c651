/* notice.h — the guardian's notice of a 晨午检 or all-day observation (notice.c), posted by the
 * check route and by the demo alike, so a family reads the same message whoever recorded the check. */
#ifndef TUOYU_CARE_NOTICE_H
#define TUOYU_CARE_NOTICE_H

#include <stdint.h>

#include "base/err.h"
#include "care/care.h"
#include "children/children.h"
#include "db/db.h"

/* Post the notice of check check_id (c, of child ch) to the inbox (and so the SMS outbox) of the
 * child's family account, due at now_ts, in the caller's transaction: kind care.health_check,
 * ref care_health_check check_id. The caller decides whether the check tells the guardian
 * (care_check_tells_guardian) and that the child has a family account. 0 or -1 with e. */
int care_check_notify(struct db *db, const char *district, const struct child *ch, const struct care_check *c,
                      int64_t check_id, const char *now_ts, struct err *e);

#endif
