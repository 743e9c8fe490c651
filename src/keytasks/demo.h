/* demo.h — the demonstration key-task plan (src/keytasks/demo.c). */
#ifndef TUOYU_KEYTASKS_DEMO_H
#define TUOYU_KEYTASKS_DEMO_H

#include <stdint.h>

#include "base/err.h"
#include "db/db.h"

/* The pilot plan's key tasks (四(一)1 … 四(五)18) with owners and deadlines around today, some
 * done, some under way, one overdue; written by the district admin admin_id. */
int keytasks_demo(struct db *db, const char *district, int64_t admin_id, const char *today, const char *now_ts,
                  struct err *e);

#endif
