/* store.c — storing materials (store.h): the SQL of their rows, and their content in files
 * (SQLite deployments) or chunk rows (PostgreSQL deployments). */
#include "materials/store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/fileio.h"
#include "base/parse.h"

#define CHUNK (128 * 1024) /* bytes per material_chunk row, and per read or write of a copy */

void materials_store_of(const struct db_config *cfg, struct materials_store *out)
{
    if (cfg->kind == DB_SQLITE)
        snprintf(out->dir, sizeof out->dir, "%s.materials", cfg->target);
    else
        out->dir[0] = '\0';
}

int materials_store_in_files(const struct materials_store *s) { return s->dir[0] != '\0'; }

static int make_dir(const char *path, int *made, struct err *e)
{
    *made = 0;
    if (mkdir(path, 0700) == 0) {
        *made = 1;
        return 0;
    }
    struct stat st;
    if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    return err_set(e, 500, "materials_dir", "", "无法创建附件材料目录 %s：%s", path, strerror(errno));
}

int materials_store_prepare(const struct materials_store *s, struct err *e)
{
    int made;
    return materials_store_in_files(s) ? make_dir(s->dir, &made, e) : 0;
}

/* <root>/ab/cd/<sha256> */
static void content_path(const char *root, const char *sha, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%.2s/%.2s/%s", root, sha, sha + 2, sha);
}

/* The directories <root>/ab and <root>/ab/cd of sha, made when missing (and made durable). */
static int content_dirs(const char *root, const char *sha, struct err *e)
{
    char ab[1200], cd[1200];
    int made_ab, made_cd;
    snprintf(ab, sizeof ab, "%s/%.2s", root, sha);
    snprintf(cd, sizeof cd, "%s/%.2s/%.2s", root, sha, sha + 2);
    if (make_dir(ab, &made_ab, e) < 0 || make_dir(cd, &made_cd, e) < 0)
        return -1;
    if ((made_ab && fileio_sync_dir(root) < 0) || (made_cd && fileio_sync_dir(ab) < 0))
        return err_set(e, 500, "materials_io", "", "无法写入附件材料目录 %s：%s", root, strerror(errno));
    return 0;
}

static int io_failed(struct err *e, const char *what)
{
    if (errno == ENOSPC || errno == EDQUOT)
        return err_set(e, 507, "storage_full", "file", "服务器存储空间不足，文件未保存，请稍后再试");
    return err_set(e, 500, "materials_io", "", "附件材料%s失败：%s", what, strerror(errno));
}

/* The n bytes of fd at off into buf: 0, or -1 with errno (EIO for a file that ends before). */
static int read_chunk(int fd, char *buf, size_t n, uint64_t off)
{
    ssize_t got = fileio_pread_full(fd, buf, n, off);
    if (got >= 0 && (size_t)got < n)
        errno = EIO;
    return got == (ssize_t)n ? 0 : -1;
}

/* Copy size bytes of from (from its start) to the current position of to, hashing them into sha
 * when it is not NULL. 0, -1 with errno (EIO for a file shorter than size). */
static int copy_fd(int from, int to, uint64_t size, crypto_hash_sha256_state *sha)
{
    char *buf = malloc(CHUNK);
    if (!buf)
        return -1;
    uint64_t off = 0;
    int rc = 0;
    while (off < size && rc == 0) {
        size_t want = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
        if ((rc = read_chunk(from, buf, want, off)) < 0)
            break;
        if (sha)
            crypto_hash_sha256_update(sha, (const unsigned char *)buf, want);
        rc = fileio_write_all(to, buf, want);
        off += want;
    }
    free(buf);
    return rc;
}

/* Give the unnamed file fd the name path. */
static int link_tmpfile(int fd, const char *path)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    return linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
}

/* The content of fd as the file of sha in the store: linked into place when fd is an unnamed
 * file on the store's file system, else copied into one first; durable before it returns. A file
 * already there is the same content (files only ever appear complete, by link). */
static int place_file(const struct materials_store *s, const char *sha, int fd, uint64_t size, struct err *e)
{
    char path[1200], dir[1200];
    content_path(s->dir, sha, path, sizeof path);
    snprintf(dir, sizeof dir, "%s/%.2s/%.2s", s->dir, sha, sha + 2);
    if (content_dirs(s->dir, sha, e) < 0)
        return -1;
    if (fsync(fd) < 0)
        return io_failed(e, "写入");
    int rc = link_tmpfile(fd, path);
    if (rc < 0 && errno == EXDEV) {
        int copy = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
        if (copy < 0)
            return io_failed(e, "写入");
        rc = copy_fd(fd, copy, size, NULL) < 0 || fsync(copy) < 0 ? -1 : link_tmpfile(copy, path);
        int saved = errno;
        close(copy);
        errno = saved;
    }
    if (rc < 0 && errno != EEXIST)
        return io_failed(e, "写入");
    if (fileio_sync_dir(dir) < 0)
        return io_failed(e, "写入");
    return 0;
}

int materials_stage(const struct materials_store *s, int fd, struct err *e)
{
    return materials_store_in_files(s) && fsync(fd) < 0 ? io_failed(e, "写入") : 0;
}

static int put_chunks(struct db *db, const char *district, const char *sha, int fd, uint64_t size, struct err *e)
{
    char *buf = malloc(CHUNK);
    if (!buf)
        return err_set(e, 500, "oom", "", "内存不足");
    int rc = 0;
    for (uint64_t off = 0, seq = 0; off < size && rc == 0; seq++) {
        size_t want = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
        if (read_chunk(fd, buf, want, off) < 0) {
            rc = io_failed(e, "读取");
            break;
        }
        rc = db_run(db, e, "INSERT INTO material_chunk (district_code, sha256, seq, data) VALUES (?, ?, ?, ?)",
                    "ttib", district, sha, (int64_t)seq, buf, want) < 0 ? -1 : 0;
        off += want;
    }
    free(buf);
    return rc;
}

/* Lock the row of content sha until this transaction ends (against a concurrent upload or delete of the
 * same content); 1 when it exists, 0 when not, -1 on error. */
static int64_t hold_blob(struct db *db, const char *district, const char *sha, struct err *e)
{
    return db_run(db, e, "UPDATE material_blob SET size = size WHERE district_code = ? AND sha256 = ?", "tt",
                  district, sha);
}

int materials_put(struct db *db, const struct materials_store *s, const char *district, const char *sha,
                  enum materials_type type, int fd, uint64_t size, const char *now_ts, struct err *e)
{
    /* a delete may remove the row between the two statements: then the insert is tried again */
    for (int attempt = 0; attempt < 3; attempt++) {
        int64_t inserted = db_run(db, e,
                                  "INSERT INTO material_blob (district_code, sha256, size, content_type, created_at) "
                                  "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                                  "ttitt", district, sha, (int64_t)size, materials_media_type(type), now_ts);
        if (inserted < 0)
            return -1;
        if (inserted)
            return materials_store_in_files(s) ? place_file(s, sha, fd, size, e) : put_chunks(db, district, sha, fd, size, e);
        /* kept already: hold its row against a delete until this transaction ends */
        int64_t held = hold_blob(db, district, sha, e);
        if (held < 0)
            return -1;
        if (held)
            return 0;
    }
    return err_set(e, 503, "db_busy", "", "附件材料正被同时删除，请稍后重试");
}

/* A content file found missing while its row exists was moved aside by a delete whose
 * transaction never committed (the process stopped in between): put it back. 0 when one was. */
static int put_back(const char *root, const char *sha)
{
    char dir[1200], path[1200], aside[1500];
    snprintf(dir, sizeof dir, "%s/%.2s/%.2s", root, sha, sha + 2);
    content_path(root, sha, path, sizeof path);
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int rc = -1;
    size_t n = strlen(sha);
    for (struct dirent *de; rc < 0 && (de = readdir(d));)
        if (strncmp(de->d_name, sha, n) == 0 && strncmp(de->d_name + n, ".deleting-", 10) == 0) {
            snprintf(aside, sizeof aside, "%s/%s", dir, de->d_name);
            rc = rename(aside, path);
        }
    closedir(d);
    return rc;
}

/* The content file of sha, opened read-only (-1 with errno when missing). */
static int open_content(const char *root, const char *sha)
{
    char path[1200];
    content_path(root, sha, path, sizeof path);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT && put_back(root, sha) == 0)
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    return fd;
}

int materials_file_open(const struct materials_store *s, const char *sha, uint64_t size, int *fd, struct err *e)
{
    *fd = open_content(s->dir, sha);
    struct stat st;
    if (*fd >= 0 && fstat(*fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == size)
        return 0;
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
    return err_set(e, 500, "materials_missing", "", "附件材料文件缺失或已损坏（%.16s…），请联系管理员从备份恢复", sha);
}

int materials_copy_out(struct db *db, const char *district, const char *sha, uint64_t size, int fd, struct err *e)
{
    uint64_t done = 0;
    for (int64_t seq = 0; done < size; seq++) {
        struct db_stmt *st = db_query(db, e,
                                      "SELECT data FROM material_chunk WHERE district_code = ? AND sha256 = ? "
                                      "AND seq = ?",
                                      "tti", district, sha, seq);
        int rc = db_first_row(st, e);
        if (rc <= 0)
            return rc < 0 ? -1 : err_set(e, 410, "material_gone", "", "该材料已被删除");
        size_t n = 0;
        const void *p = db_col_blob(st, 0, &n);
        if (!p || n == 0 || n > size - done)
            rc = err_set(e, 500, "materials_missing", "", "附件材料内容已损坏（%.16s…）", sha);
        else if (fileio_write_all(fd, p, n) < 0)
            rc = io_failed(e, "读取");
        db_finalize(st);
        if (rc < 0)
            return -1;
        done += n;
    }
    return 0;
}

/* ---- owners ---- */

int materials_owner_locked(struct db *db, const char *district, const char *owner_type, int64_t owner_id, int *locked,
                           struct err *e)
{
    int64_t v = db_query_int(db, e, NULL,
                             "SELECT locked FROM material_owner WHERE district_code = ? AND owner_type = ? "
                             "AND owner_id = ?",
                             "tti", district, owner_type, owner_id);
    *locked = v > 0;
    return v < 0 ? -1 : 0;
}

int materials_owner_take(struct db *db, const char *district, const char *owner_type, int64_t owner_id, int *locked,
                         struct err *e)
{
    if (db_run(db, e,
               "INSERT INTO material_owner (district_code, owner_type, owner_id) VALUES (?, ?, ?) "
               "ON CONFLICT DO NOTHING",
               "tti", district, owner_type, owner_id) < 0)
        return -1;
    int64_t v = db_query_int(db, e, NULL,
                             "UPDATE material_owner SET locked = locked WHERE district_code = ? AND owner_type = ? "
                             "AND owner_id = ? RETURNING locked",
                             "tti", district, owner_type, owner_id);
    *locked = v > 0;
    return v < 0 ? -1 : 0;
}

int materials_set_locked(struct db *db, const char *district, const char *owner_type, int64_t owner_id, int locked,
                         const char *now_ts, struct err *e)
{
    int64_t n = db_run(db, e,
                       "INSERT INTO material_owner (district_code, owner_type, owner_id, locked, locked_at) "
                       "VALUES (?, ?, ?, ?, ?) ON CONFLICT (district_code, owner_type, owner_id) "
                       "DO UPDATE SET locked = excluded.locked, locked_at = excluded.locked_at",
                       "ttiit", district, owner_type, owner_id, (int64_t)(locked ? 1 : 0), locked ? now_ts : NULL);
    return n < 0 ? -1 : 0;
}

/* ---- records ---- */

#define MATERIAL_COLUMNS                                                                                          \
    "m.id, m.owner_type, m.owner_id, m.sha256, m.size, m.content_type, m.name, m.state, m.uploaded_by, u.name, " \
    "m.uploaded_at, m.deleted_at, o.locked"
#define MATERIAL_FROM                                                                                             \
    "FROM material m JOIN app_user u ON u.id = m.uploaded_by JOIN material_owner o ON o.district_code = "         \
    "m.district_code AND o.owner_type = m.owner_type AND o.owner_id = m.owner_id "

static void read_material(struct db_stmt *st, struct material *m)
{
    memset(m, 0, sizeof *m);
    db_scan(st, DB_I64(&m->id), DB_TEXT(m->owner_type), DB_I64(&m->owner_id), DB_TEXT(m->sha256), DB_I64(&m->size));
    m->type = materials_type_of_media(db_col_text(st, 5));
    db_col_copy(st, 6, m->name, sizeof m->name);
    m->deleted = strcmp(db_col_text(st, 7), "deleted") == 0;
    db_scan_from(st, 8, DB_I64(&m->uploaded_by), DB_TEXT(m->uploaded_by_name), DB_TEXT(m->uploaded_at),
                 DB_TEXT(m->deleted_at));
    m->locked = db_col_int64(st, 12) != 0;
}

int materials_insert(struct db *db, const char *district, struct material *m, const char *now_ts, struct err *e)
{
    m->id = db_query_int(db, e, NULL,
                         "INSERT INTO material (district_code, owner_type, owner_id, sha256, size, content_type, name, "
                         "uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         "ttitittit", district, m->owner_type, m->owner_id, m->sha256, m->size,
                         materials_media_type(m->type), m->name, m->uploaded_by, now_ts);
    parse_copy_text(m->uploaded_at, sizeof m->uploaded_at, now_ts);
    return m->id < 0 ? -1 : 0;
}

int materials_load(struct db *db, const char *district, int64_t id, struct material *out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT " MATERIAL_COLUMNS " " MATERIAL_FROM "WHERE m.id = ? AND m.district_code = ?",
                                  "it", id, district);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 404, "not_found", "id", "未找到该材料");
    read_material(st, out);
    db_finalize(st);
    return 0;
}

int materials_page(struct db *db, const char *district, const char *owner_type, int64_t owner_id, int64_t after_id,
                   int max, struct material *out, int *n, struct err *e)
{
    *n = 0;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT " MATERIAL_COLUMNS " " MATERIAL_FROM
                                  "WHERE m.district_code = ? AND m.owner_type = ? AND m.owner_id = ? "
                                  "AND m.state = 'active' AND m.id > ? ORDER BY m.id LIMIT ?",
                                  "ttiii", district, owner_type, owner_id, after_id, (int64_t)max);
    if (!st)
        return -1;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW && *n < max)
        read_material(st, &out[(*n)++]);
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int materials_delete(struct db *db, const struct materials_store *s, const char *district, const struct material *m,
                     int64_t user_id, const char *now_ts, char *aside, size_t aside_cap, struct err *e)
{
    aside[0] = '\0';
    int64_t changed = db_run(db, e,
                             "UPDATE material SET state = 'deleted', deleted_by = ?, deleted_at = ? "
                             "WHERE id = ? AND district_code = ? AND state = 'active'",
                             "itit", user_id, now_ts, m->id, district);
    if (changed < 0)
        return -1;
    if (!changed)
        return err_set(e, 409, "already_deleted", "id", "该材料已被删除");
    /* the content row first (an upload of the same content waits), then who else refers to it */
    int64_t users;
    if (hold_blob(db, district, m->sha256, e) < 0 ||
        (users = db_query_int(db, e, NULL,
                              "SELECT COUNT(*) FROM material WHERE district_code = ? AND sha256 = ? "
                              "AND state = 'active'",
                              "tt", district, m->sha256)) < 0)
        return -1;
    if (users)
        return 0;
    if (db_run(db, e, "DELETE FROM material_blob WHERE district_code = ? AND sha256 = ?", "tt", district,
               m->sha256) < 0)
        return -1;
    if (!materials_store_in_files(s))
        return 0; /* its chunks went with it (ON DELETE CASCADE) */
    /* the file is shared by every district of the database that keeps the same content */
    int64_t kept = db_query_int(db, e, NULL, "SELECT 1 FROM material_blob WHERE sha256 = ? LIMIT 1", "t", m->sha256);
    if (kept != 0)
        return kept < 0 ? -1 : 0;
    char path[1200];
    unsigned char r[8];
    randombytes_buf(r, sizeof r);
    content_path(s->dir, m->sha256, path, sizeof path);
    snprintf(aside, aside_cap, "%s.deleting-%02x%02x%02x%02x%02x%02x%02x%02x", path, r[0], r[1], r[2], r[3], r[4], r[5],
             r[6], r[7]);
    if (rename(path, aside) < 0) {
        aside[0] = '\0';
        if (errno != ENOENT) /* a file already missing is not kept from being forgotten */
            return io_failed(e, "删除");
    }
    return 0;
}

void materials_delete_done(const struct materials_store *s, const char *sha, const char *aside, int committed)
{
    if (!aside[0])
        return;
    if (committed) {
        unlink(aside);
        return;
    }
    char path[1200];
    content_path(s->dir, sha, path, sizeof path);
    rename(aside, path);
}

/* ---- backups of SQLite deployments ---- */

/* Copy one content file from root to to_root, checking its size and SHA-256. */
static int copy_checked(const char *root, const char *to_root, const char *sha, uint64_t size, struct err *e)
{
    char from[1200], to[1200];
    content_path(root, sha, from, sizeof from);
    content_path(to_root, sha, to, sizeof to);
    int in = open_content(root, sha);
    if (in < 0)
        return err_set(e, 422, "materials_missing", "", "附件材料文件缺失：%s", from);
    if (content_dirs(to_root, sha, e) < 0) {
        close(in);
        return -1;
    }
    int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
        close(in);
        return err_set(e, 500, "materials_io", "", "无法写入 %s：%s", to, strerror(errno));
    }
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    struct stat st;
    int rc = fstat(in, &st) == 0 && (uint64_t)st.st_size == size ? copy_fd(in, out, size, &h) : (errno = EIO, -1);
    int saved = errno;
    if (rc == 0 && fsync(out) < 0)
        rc = -1, saved = errno;
    close(in);
    close(out);
    unsigned char digest[32];
    char hex[65];
    crypto_hash_sha256_final(&h, digest);
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    if (rc < 0 || strcmp(hex, sha) != 0) {
        unlink(to);
        if (rc < 0 && saved != EIO)
            return err_set(e, 500, "materials_io", "", "复制附件材料 %s 失败：%s", from, strerror(saved));
        return err_set(e, 422, "materials_missing", "", "附件材料文件已损坏（大小或 SHA-256 不符）：%s", from);
    }
    return 0;
}

int materials_copy_files(struct db *db, const struct materials_store *s, const char *to_dir, int64_t *count,
                         struct err *e)
{
    *count = 0;
    int made;
    struct db_stmt *st;
    if (make_dir(to_dir, &made, e) < 0 ||
        !(st = db_query(db, e, "SELECT DISTINCT sha256, size FROM material_blob ORDER BY sha256", NULL)))
        return -1;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        char sha[65];
        db_col_copy(st, 0, sha, sizeof sha);
        if (strlen(sha) != 64 || copy_checked(s->dir, to_dir, sha, (uint64_t)db_col_int64(st, 1), e) < 0) {
            if (strlen(sha) != 64)
                err_set(e, 422, "materials_missing", "", "附件材料记录的 SHA-256 无效：%s", sha);
            rc = -1;
            break;
        }
        ++*count;
    }
    db_finalize(st);
    if (rc < 0)
        return -1;
    return fileio_sync_dir(to_dir) < 0 ? err_set(e, 500, "materials_io", "", "无法写入 %s：%s", to_dir, strerror(errno)) : 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

void materials_remove_dir(const char *dir) { nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }
