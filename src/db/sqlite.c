/* sqlite.c — the SQLite implementation of db.h: new files 0600, WAL, foreign keys,
 * synchronous=FULL, 5 s busy timeout, BEGIN IMMEDIATE, a small per-connection cache of prepared
 * statements keyed by SQL text, error mapping (unique/foreign key → db_conflict 409, locked →
 * db_busy 503), online backup and checked restore. A connection is used by one thread at a time
 * (opened SQLITE_OPEN_NOMUTEX). */
#include "db/db_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Fill e from the connection's last error; always returns -1. */
static int sq_err(sqlite3 *h, int rc, struct err *e)
{
    const char *msg = sqlite3_errmsg(h);
    int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        return db_err_busy(e, msg);
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        /* "UNIQUE constraint failed: app_user.login[, app_user.x]" → field "login" */
        const char *p = strstr(msg, "failed: ");
        if (p) {
            p += 8;
            const char *dot = strchr(p, '.');
            if (dot)
                p = dot + 1;
        }
        return db_err_unique(e, p, ", ", msg);
    }
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return db_err_foreign_key(e, msg);
    return err_set(e, 500, "db_error", "", "数据库错误：%s", msg);
}

int dbsq_open(const char *path, struct db *db, struct err *e)
{
    /* a new database is created here with mode 0600 whatever the umask: it holds password
     * hashes and personal data, and SQLite gives its -wal and -shm files the main file's mode */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0)
        close(fd);
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        err_set(e, 500, "db_error", "", "无法打开数据库 %s：%s", path, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close(h);
        return -1;
    }
    sqlite3_extended_result_codes(h, 1);
    sqlite3_busy_timeout(h, 5000);
    db->sq = h;
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(h, "PRAGMA journal_mode=WAL", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sq_err(h, rc, e);
        goto fail;
    }
    const char *mode = (const char *)sqlite3_column_text(st, 0);
    if (!mode || (strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0)) {
        err_set(e, 500, "db_error", "", "数据库 %s 无法切换到 WAL 模式（%s）", path, mode ? mode : "?");
        goto fail;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (dbsq_exec(db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;", e) < 0)
        goto fail;
    return 0;
fail:
    sqlite3_finalize(st);
    sqlite3_close(h);
    db->sq = NULL;
    return -1;
}

void dbsq_close(struct db *db)
{
    for (int i = 0; i < DB_SQ_CACHE; i++) {
        sqlite3_finalize(db->sq_cache[i].sq);
        free(db->sq_cache[i].sql);
    }
    sqlite3_close_v2(db->sq); /* a statement the caller forgot keeps it alive until finalized */
}

int dbsq_exec(struct db *db, const char *sql, struct err *e)
{
    int rc = sqlite3_exec(db->sq, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : sq_err(db->sq, rc, e);
}

int dbsq_in_tx(struct db *db) { return !sqlite3_get_autocommit(db->sq); }

int dbsq_begin(struct db *db, struct err *e)
{
    if (dbsq_in_tx(db))
        return err_set(e, 500, "db_error", "", "数据库错误：事务已开启");
    return dbsq_exec(db, "BEGIN IMMEDIATE", e);
}

int dbsq_commit(struct db *db, struct err *e)
{
    if (!dbsq_in_tx(db))
        return err_set(e, 500, "db_error", "", "数据库错误：没有进行中的事务");
    if (dbsq_exec(db, "COMMIT", e) == 0)
        return 0;
    dbsq_rollback(db); /* never leave the connection inside a failed transaction */
    return -1;
}

int dbsq_rollback(struct db *db)
{
    if (!dbsq_in_tx(db))
        return 0;
    return sqlite3_exec(db->sq, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static unsigned fnv1a(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Only whitespace, semicolons and comments left after the first statement? */
static int tail_empty(const char *p)
{
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ';')
            p++;
        if (p[0] == '-' && p[1] == '-') {
            p += strcspn(p, "\n");
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            if (!end)
                return 1;
            p = end + 2;
        } else {
            return *p == 0;
        }
    }
}

int dbsq_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *e)
{
    unsigned h = fnv1a(sql);
    for (int i = 0; i < DB_SQ_CACHE; i++) {
        struct db_stmt *c = &db->sq_cache[i];
        if (c->sq && c->hash == h && !c->in_use && strcmp(c->sql, sql) == 0) {
            c->in_use = 1;
            c->stepped = 0;
            *out = c;
            return 0;
        }
    }
    sqlite3_stmt *s = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v3(db->sq, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, &tail);
    if (rc != SQLITE_OK)
        return sq_err(db->sq, rc, e);
    if (!s)
        return err_set(e, 500, "db_error", "", "数据库错误：空的 SQL 语句");
    if (tail && !tail_empty(tail)) {
        sqlite3_finalize(s);
        return err_set(e, 500, "db_error", "", "数据库错误：db_prepare 只接受一条语句");
    }
    /* a free cache slot (clock order), else an uncached statement */
    for (int k = 0; k < DB_SQ_CACHE; k++) {
        int i = (db->sq_clock + k) % DB_SQ_CACHE;
        struct db_stmt *c = &db->sq_cache[i];
        if (c->in_use)
            continue;
        char *copy = strdup(sql);
        if (!copy)
            break;
        sqlite3_finalize(c->sq);
        free(c->sql);
        memset(c, 0, sizeof *c);
        c->db = db;
        c->sq = s;
        c->sql = copy;
        c->hash = h;
        c->cached = 1;
        c->in_use = 1;
        db->sq_clock = (i + 1) % DB_SQ_CACHE;
        *out = c;
        return 0;
    }
    struct db_stmt *st = calloc(1, sizeof *st);
    if (!st) {
        sqlite3_finalize(s);
        return err_set(e, 500, "oom", "", "内存不足");
    }
    st->db = db;
    st->sq = s;
    *out = st;
    return 0;
}

int dbsq_step(struct db_stmt *st, struct err *e)
{
    int rc = sqlite3_step(st->sq);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    return sq_err(st->db->sq, rc, e);
}

void dbsq_finalize(struct db_stmt *st)
{
    if (st->cached) {
        sqlite3_reset(st->sq);
        sqlite3_clear_bindings(st->sq);
        st->in_use = 0;
        st->stepped = 0;
        return;
    }
    sqlite3_finalize(st->sq);
    free(st);
}

int dbsq_backup(struct db *db, const char *to_path, struct err *e)
{
    /* O_EXCL: never overwrite, even if the file appears between a check and the copy */
    int fd = open(to_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return err_set(e, 409, "backup_exists", "to", "备份目标文件已存在：%s", to_path);
        return err_set(e, 500, "backup_failed", "to", "无法创建备份文件 %s：%s", to_path, strerror(errno));
    }
    close(fd);
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(to_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(dst, 5000);
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", db->sq, "main");
        if (!b) {
            rc = sqlite3_errcode(dst);
        } else {
            for (int tries = 0; tries < 100; tries++) {
                rc = sqlite3_backup_step(b, -1); /* all pages under one read snapshot */
                if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
                    break;
                sqlite3_sleep(50);
            }
            int frc = sqlite3_backup_finish(b);
            if (rc == SQLITE_DONE)
                rc = frc;
        }
    }
    if (rc == SQLITE_OK) /* a single self-contained file; db_open turns WAL back on */
        rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        err_set(e, 500, "backup_failed", "", "备份失败：%s", dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
        sqlite3_close(dst);
        unlink(to_path);
        return -1;
    }
    if (sqlite3_close(dst) != SQLITE_OK) {
        unlink(to_path);
        return err_set(e, 500, "backup_failed", "", "备份失败：无法关闭目标文件");
    }
    return 0;
}

int db_restore_sqlite(const char *from, const char *to, struct err *e)
{
    sqlite3 *src = NULL, *dst = NULL;
    int fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return err_set(e, errno == EEXIST ? 409 : 500, "restore_failed", "to", "无法创建文件 %s：%s", to,
                       strerror(errno));
    close(fd);
    int rc = sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
        if (!b) {
            rc = sqlite3_errcode(dst);
        } else {
            rc = sqlite3_backup_step(b, -1);
            int frc = sqlite3_backup_finish(b);
            rc = rc == SQLITE_DONE ? frc : rc;
        }
    }
    char problem[200] = "";
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK && (rc = sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &st, NULL)) == SQLITE_OK) {
        rc = sqlite3_step(st);
        const char *first = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
        if (first && strcmp(first, "ok") != 0) {
            snprintf(problem, sizeof problem, "%s", first);
            for (char *p = problem; (p = strchr(p, '\n'));) /* one line */
                *p = ' ';
        }
        rc = rc == SQLITE_ROW ? SQLITE_OK : rc;
        sqlite3_finalize(st);
    }
    if (rc != SQLITE_OK || problem[0]) {
        sqlite3 *h = dst && sqlite3_errcode(dst) != SQLITE_OK ? dst : src;
        err_set(e, 422, "backup_invalid", "from", "备份 %s 未通过完整性检查 / failed the integrity check: %s", from,
                problem[0] ? problem : h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close(src);
        sqlite3_close(dst);
        unlink(to);
        return -1;
    }
    sqlite3_close(src);
    if (sqlite3_close(dst) != SQLITE_OK) {
        unlink(to);
        return err_set(e, 500, "restore_failed", "", "恢复失败：无法关闭 %s", to);
    }
    return 0;
}
