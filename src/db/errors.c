/* errors.c — the errors both engines report the same way (a unique or foreign-key conflict, a
 * busy database), built in one place below db.c, sqlite.c and pg.c (db_internal.h). */
#include <stdio.h>
#include <string.h>

#include "db/db_internal.h"

int db_conflict_as(struct err *e, const char *code, const char *field, const char *fmt, ...)
{
    if (strcmp(e->code, "db_conflict") != 0)
        return -1;
    e->status = 409;
    snprintf(e->code, sizeof e->code, "%s", code);
    snprintf(e->field, sizeof e->field, "%s", field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return -1;
}

int db_err_unique(struct err *e, const char *column, const char *stop, const char *msg)
{
    char field[64] = "";
    if (column) {
        size_t n = strcspn(column, stop);
        if (n >= sizeof field)
            n = sizeof field - 1;
        memcpy(field, column, n);
        field[n] = 0;
    }
    return err_set(e, 409, "db_conflict", field, "数据冲突：记录已存在（%s）", msg);
}

int db_err_foreign_key(struct err *e, const char *msg)
{
    return err_set(e, 409, "db_conflict", "", "数据冲突：引用的记录不存在或仍被引用（%s）", msg);
}

int db_err_busy(struct err *e, const char *msg)
{
    return err_set(e, 503, "db_busy", "", "数据库繁忙，请稍后重试（%s）", msg);
}
