/* store.h — storing materials: their rows (material, material_owner) and their content, kept once
 * per district by SHA-256 (material_blob) — in files beside the database for SQLite deployments,
 * in the database (material_chunk) for PostgreSQL ones (docs/decisions.md "Materials"). Every
 * function runs on the caller's connection; writers expect the caller's transaction (with the
 * audit row in it). Also the copy of the content files that `tuoyu backup` and `tuoyu restore`
 * carry beside a SQLite copy. */
#ifndef TUOYU_MATERIALS_STORE_H
#define TUOYU_MATERIALS_STORE_H

#include <stdint.h>

#include "db/db.h"
#include "materials/materials.h"

/* Where content lives: dir for SQLite deployments ("<db path>.materials"), "" when it lives in
 * the (PostgreSQL) database. */
struct materials_store {
    char dir[1100];
};

/* The store of a database: files in "<path>.materials" beside a SQLite file, the database itself
 * for PostgreSQL. */
void materials_store_of(const struct db_config *cfg, struct materials_store *out);
/* 1 when content lives in files (SQLite). */
int materials_store_in_files(const struct materials_store *s);
/* Make the directory (0700) when content lives in files and it is missing: 0, or -1 with e. */
int materials_store_prepare(const struct materials_store *s, struct err *e);

/* ---- owners ---- */

/* Whether the owner's materials are locked (0 for an owner never seen). */
int materials_owner_locked(struct db *db, const char *district, const char *owner_type, int64_t owner_id, int *locked,
                           struct err *e);
/* The owner's row, made when missing and locked (row lock) until the caller's transaction ends,
 * so that an upload or delete and a submission that locks the owner never interleave; *locked
 * says whether it is locked. */
int materials_owner_take(struct db *db, const char *district, const char *owner_type, int64_t owner_id, int *locked,
                         struct err *e);
/* Lock (1) or unlock (0) an owner's materials — what the cases engine calls, in its transaction,
 * when a case is submitted or sent back: while locked, none is added or deleted. */
int materials_set_locked(struct db *db, const char *district, const char *owner_type, int64_t owner_id, int locked,
                         const char *now_ts, struct err *e);

/* ---- content ---- */

/* Before the transaction: make an upload's bytes durable when they are to become a file (SQLite
 * deployments; nothing for PostgreSQL), so the transaction does not hold the write lock through
 * the fsync. */
int materials_stage(const struct materials_store *s, int fd, struct err *e);
/* Keep the content of fd (size bytes, SHA-256 sha) once: when the district has it already
 * nothing is written (its row is locked against a concurrent delete until the caller's
 * transaction ends); otherwise the file is linked into place (SQLite: fd must be an O_TMPFILE on
 * the store's file system, else it is copied; fsynced first) or written to material_chunk in
 * 128 KiB rows (PostgreSQL). */
int materials_put(struct db *db, const struct materials_store *s, const char *district, const char *sha,
                  enum materials_type type, int fd, uint64_t size, const char *now_ts, struct err *e);

/* SQLite deployments: the content file opened read-only, checked to be size bytes (500
 * materials_missing otherwise). */
int materials_file_open(const struct materials_store *s, const char *sha, uint64_t size, int *fd, struct err *e);
/* PostgreSQL deployments: write the content to fd, chunk by chunk (410 material_gone when it went
 * meanwhile). */
int materials_copy_out(struct db *db, const char *district, const char *sha, uint64_t size, int fd, struct err *e);

/* ---- records ---- */

/* Insert m (owner, sha256, size, type, name, uploaded_by set) as active; sets m->id. */
int materials_insert(struct db *db, const char *district, struct material *m, const char *now_ts, struct err *e);
/* The material id of the district (deleted ones too), with the uploader's name and its owner's
 * lock: 0, or -1 with e = 404 not_found. */
int materials_load(struct db *db, const char *district, int64_t id, struct material *out, struct err *e);
/* The active materials of an owner with an id above after_id, in id order: at most max into out. */
int materials_page(struct db *db, const char *district, const char *owner_type, int64_t owner_id, int64_t after_id,
                   int max, struct material *out, int *n, struct err *e);

/* Mark m deleted by user_id and, when no active material of the district refers to its content
 * any more, remove the content (PostgreSQL: its rows; SQLite: its file is moved aside to
 * `aside`, to be removed by materials_delete_done once the transaction's fate is known; "" when
 * nothing was moved). 409 already_deleted when it was deleted before. */
int materials_delete(struct db *db, const struct materials_store *s, const char *district, const struct material *m,
                     int64_t user_id, const char *now_ts, char *aside, size_t aside_cap, struct err *e);
/* After the delete's transaction: the file moved aside is removed (committed) or put back. */
void materials_delete_done(const struct materials_store *s, const char *sha, const char *aside, int committed);

/* ---- backups of SQLite deployments ---- */

/* Copy the content file of every blob the database db holds (a backup copy, or a copy being
 * restored) from the store s to the directory to_dir (made 0700 when missing; files 0600, never
 * over an existing one), each checked against its size and SHA-256 as it is copied. *count is
 * the number of files. 422 materials_missing when one is absent or does not match. */
int materials_copy_files(struct db *db, const struct materials_store *s, const char *to_dir, int64_t *count,
                         struct err *e);
/* Remove a directory materials_copy_files made, with everything in it (a failed backup or
 * restore leaves nothing behind). */
void materials_remove_dir(const char *dir);

#endif
