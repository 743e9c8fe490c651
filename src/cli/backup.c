/* backup.c — `tuoyu backup` and `tuoyu restore`: a copy of the database always travels with its
 * key file (or is made without it only on request) and, for SQLite, with the content files of its
 * materials (FILE.materials/, each checked against its SHA-256); a copy is put in place only after
 * its integrity, its key and its materials were checked, so a restored database can always read
 * what it holds. SQLite copies go through the backup API; PostgreSQL through pg_dump /
 * pg_restore in custom format (db/pg_tools.c), which carry the materials (they live in the
 * database there). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app_key/app_key.h"
#include "app_setup.h"
#include "base/cli.h"
#include "commands.h"
#include "materials/store.h"

/* Print the error; refusals (a key that does not fit, a copy that is not sound, a target that
 * exists) exit 2, other failures 1. */
static int failed(const char *cmd, const struct err *e)
{
    fprintf(stderr, "tuoyu %s: %s\n", cmd, e->message);
    return app_key_refusal(e) || e->status == 409 || e->status == 422 ? CLI_USAGE : CLI_FAIL;
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static const char BACKUP_USAGE[] =
    "usage: tuoyu backup --to FILE [--db PATH | --pg CONNINFO] [--key KEYFILE] [--no-key]\n"
    "  Consistent copy of the database, also while the server runs, to a new file FILE (mode 0600):\n"
    "  SQLite through its backup API, PostgreSQL through pg_dump in custom format (-Fc; pg_dump from PATH).\n"
    "  The key file is checked against the database and written beside the copy as FILE.key (0600):\n"
    "  without it the personal data in the copy (children's names, ID numbers) cannot be read.\n"
    "  When the key file cannot be found the backup is refused; --no-key copies the database alone\n"
    "  (keep the key safe elsewhere: tuoyu restore needs it). SQLite: the files of the materials\n"
    "  (attachments, kept beside the database in PATH.materials) are copied to FILE.materials, each\n"
    "  checked against its SHA-256 (PostgreSQL keeps them in the database). Put a copy back with\n"
    "  tuoyu restore.\n";

/* SQLite: the content files of the materials the copy at `to` refers to, from the live store to
 * dir, each checked; the copy is read through its own connection and left in journal mode
 * DELETE, one self-contained file as db_backup wrote it. On failure dir is removed. */
static int backup_materials(const struct db_config *live, const char *to, const char *dir, int64_t *files,
                            struct err *e)
{
    struct materials_store store;
    materials_store_of(live, &store);
    struct db_config c = {.kind = DB_SQLITE};
    snprintf(c.target, sizeof c.target, "%s", to);
    struct db *copy;
    if (db_open(&c, &copy, e) < 0)
        return -1;
    int rc = materials_copy_files(copy, &store, dir, files, e);
    if (db_exec(copy, "PRAGMA journal_mode=DELETE", rc < 0 ? NULL : e) < 0)
        rc = -1;
    db_close(copy);
    if (rc < 0) {
        materials_remove_dir(dir);
        if (strcmp(e->code, "materials_missing") == 0) /* deleted meanwhile, or damaged: say what to do */
            snprintf(e->message + strlen(e->message), sizeof e->message - strlen(e->message),
                     "（备份未完成：若该材料恰在备份时被删除，请重新备份；否则请从上一次备份恢复该文件 / backup not made）");
    }
    return rc;
}

int cmd_backup(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(BACKUP_USAGE, stdout);
        return CLI_OK;
    }
    struct app_options o;
    app_options_defaults(&o);
    const char *to = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--to") == 0 && i + 1 < argc) {
            to = argv[++i];
            continue;
        }
        if (strcmp(argv[i], "--no-key") == 0) {
            o.no_key = 1;
            continue;
        }
        int r = app_parse_db_option(&o, argc, argv, &i);
        if (r <= 0)
            return cli_usage_error("backup", "unknown argument or missing value: %s", argv[i]);
    }
    if (!to)
        return cli_usage_error("backup", "--to FILE is required");
    char key_path[1100], key_to[1100], materials_to[1100];
    app_key_path(&o, key_path, sizeof key_path);
    if ((size_t)snprintf(key_to, sizeof key_to, "%s.key", to) >= sizeof key_to ||
        (size_t)snprintf(materials_to, sizeof materials_to, "%s.materials", to) >= sizeof materials_to)
        return cli_usage_error("backup", "--to: path too long");
    struct err e = {0};
    if (o.db.kind == DB_SQLITE && exists(materials_to)) {
        err_set(&e, 409, "backup_exists", "to", "备份目标已存在：%s", materials_to);
        return failed("backup", &e);
    }
    if (!o.no_key) {
        struct crypt_key k;
        int rc = crypt_load_key(key_path, &k, &e);
        crypt_key_wipe(&k);
        if (rc < 0)
            return failed("backup", &e);
        if (rc == 1) {
            fprintf(stderr,
                    "tuoyu backup: 密钥文件 %s 不存在，没有密钥的备份无法恢复个人数据，拒绝备份：请用 --key 指定密钥文件，"
                    "或加 --no-key 只备份数据库（密钥须另行保管） / key file not found: a backup without its key "
                    "cannot restore personal data; refused: give --key KEYFILE, or --no-key to copy the database "
                    "alone (keep the key elsewhere)\n",
                    key_path);
            return CLI_USAGE;
        }
        if (exists(key_to)) {
            err_set(&e, 409, "backup_exists", "to", "备份目标文件已存在：%s", key_to);
            return failed("backup", &e);
        }
    }
    static struct app app;
    struct db *db;
    if (app_open(&app, &o, &db, &e) < 0) /* checks the key against the database */
        return app_open_failed("backup", &e);
    int rc = db_backup(db, to, &e);
    db_close(db);
    int64_t files = 0;
    if (rc == 0 && o.db.kind == DB_SQLITE && backup_materials(&o.db, to, materials_to, &files, &e) < 0) {
        unlink(to); /* never a copy without its materials */
        rc = -1;
    }
    if (rc == 0 && !o.no_key && crypt_save_key(key_to, &app.key, &e) < 0) {
        unlink(to); /* never a copy without its key by accident */
        materials_remove_dir(materials_to);
        rc = -1;
    }
    crypt_key_wipe(&app.key);
    if (rc < 0)
        return failed("backup", &e);
    if (o.db.kind == DB_SQLITE)
        fprintf(stderr, "tuoyu backup: copied %lld materials file(s) to %s (SHA-256 checked / 附件材料已复制并校验)\n",
                (long long)files, materials_to);
    if (o.no_key)
        fprintf(stderr,
                "tuoyu backup: wrote %s WITHOUT its key (--no-key) / 备份不含密钥：其中的个人数据只能用密钥文件 %s 读取，"
                "请另行妥善保管该密钥\n",
                to, key_path);
    else
        fprintf(stderr, "tuoyu backup: wrote %s and its key %s (keep them together and safe / 两者须一起妥善保管)\n", to,
                key_to);
    return CLI_OK;
}

static const char RESTORE_USAGE[] =
    "usage: tuoyu restore --from FILE [--from-key KEYFILE] (--db PATH [--replace] | --pg CONNINFO) [--key KEYFILE]\n"
    "  Put a copy made by tuoyu backup in place after checking it: its integrity (SQLite: PRAGMA\n"
    "  integrity_check; PostgreSQL: pg_restore reads the whole archive), its key (FILE.key, or\n"
    "  --from-key) against the copy's key check value and, for SQLite, the files of its materials\n"
    "  (FILE.materials, each against its SHA-256). Nothing is replaced when a check fails.\n"
    "  --db PATH      SQLite target (default var/tuoyu.db); the key goes to --key (default PATH.key).\n"
    "  --replace      replace an existing PATH; refused while a process has it open (stop the server).\n"
    "                 The old database, its materials and a different old key are kept as\n"
    "                 PATH.replaced-TIME, PATH.materials.replaced-TIME and KEYFILE.replaced-TIME.\n"
    "  --pg CONNINFO  PostgreSQL target: an empty database (createdb first), restored in one transaction\n"
    "                 with pg_restore (objects owned by the connecting role); key to --key (default\n"
    "                 ./tuoyu.key).\n";

/* The key check value in a PostgreSQL archive: 1 found, 0 the archive has none, -1 error. */
static int archive_check_value(const char *from, char enc[CRYPT_LOOKUP_HEX_LEN], char lookup[CRYPT_LOOKUP_HEX_LEN],
                               struct err *e)
{
    char *columns, *rows;
    if (db_archive_rows(from, "key_check", &columns, &rows, e) < 0)
        return -1;
    /* columns "id, enc_check, lookup_check, created_at"; the first row's values in that order, tab-separated */
    int found = 0;
    const char *name = columns, *value = rows;
    while (rows[0] && *name) {
        size_t nlen = strcspn(name, ","), vlen = strcspn(value, "\t\n");
        if (nlen == strlen("enc_check") && strncmp(name, "enc_check", nlen) == 0) {
            snprintf(enc, CRYPT_LOOKUP_HEX_LEN, "%.*s", (int)vlen, value);
            found |= 1;
        } else if (nlen == strlen("lookup_check") && strncmp(name, "lookup_check", nlen) == 0) {
            snprintf(lookup, CRYPT_LOOKUP_HEX_LEN, "%.*s", (int)vlen, value);
            found |= 2;
        }
        name += nlen + strspn(name + nlen, ", ");
        value += vlen + (value[vlen] == '\t');
    }
    free(columns);
    free(rows);
    return found == 3;
}

/* SQLite: take the target flock()ed exclusive (every tuoyu process holds it shared while it has
 * the database open, app_open) and make sure no -wal/-shm lies beside it: opening and closing it
 * alone folds a crashed process's WAL back in and removes both, and a stale WAL left beside a
 * missing file would be applied to the restored one. *fd stays open (the lock) until closed. */
static int lock_idle(const char *path, int *fd, struct err *e)
{
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0 && errno != ENOENT)
        return err_set(e, 500, "restore_failed", "db", "无法打开 %s：%s", path, strerror(errno));
    if (*fd >= 0 && flock(*fd, LOCK_EX | LOCK_NB) < 0)
        return err_set(e, 409, "restore_in_use", "db",
                       "数据库 %s 正在被使用，未恢复：请先停止服务 / the database is open in another process; nothing "
                       "restored: stop the server first",
                       path);
    if (*fd >= 0) {
        struct db_config c = {.kind = DB_SQLITE};
        snprintf(c.target, sizeof c.target, "%s", path);
        struct db *db;
        if (db_open(&c, &db, e) < 0)
            return -1;
        db_close(db);
    }
    char wal[1100], shm[1100];
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(shm, sizeof shm, "%s-shm", path);
    if (exists(wal) || exists(shm))
        return err_set(e, 409, "restore_in_use", "db",
                       "%s 旁边有 -wal/-shm 文件，未恢复：请先停止服务 / -wal/-shm files lie beside the database; "
                       "nothing restored: stop the server first",
                       path);
    return 0;
}

/* SQLite: the checked copy at tmp (and its materials at materials_tmp) replaces (or becomes) the
 * database at o->db.target and its materials directory. */
static int put_in_place(const char *tmp, const char *materials_tmp, const struct app_options *o, const char *key_path,
                        const struct crypt_key *k, int write_key, int old_key, const char *stamp, struct err *e)
{
    const char *path = o->db.target;
    char aside[1200], key_aside[1200], materials[1200], materials_aside[1300];
    snprintf(aside, sizeof aside, "%s.replaced-%s", path, stamp);
    snprintf(key_aside, sizeof key_aside, "%s.replaced-%s", key_path, stamp);
    snprintf(materials, sizeof materials, "%s.materials", path);
    snprintf(materials_aside, sizeof materials_aside, "%s.replaced-%s", materials, stamp);
    int old_materials = exists(materials);
    if (exists(path) && link(path, aside) < 0)
        return err_set(e, 500, "restore_failed", "", "无法保留原数据库为 %s：%s", aside, strerror(errno));
    if (old_materials && rename(materials, materials_aside) < 0)
        return err_set(e, 500, "restore_failed", "", "无法保留原附件材料目录为 %s：%s", materials_aside, strerror(errno));
    if (rename(materials_tmp, materials) < 0) {
        err_set(e, 500, "restore_failed", "", "无法把恢复的附件材料放到 %s：%s", materials, strerror(errno));
        goto materials_back;
    }
    if (old_key && (link(key_path, key_aside) < 0 || unlink(key_path) < 0)) {
        err_set(e, 500, "restore_failed", "", "无法保留原密钥文件为 %s：%s", key_aside, strerror(errno));
        goto materials_out;
    }
    if (write_key && crypt_save_key(key_path, k, e) < 0)
        goto key_back;
    if (rename(tmp, path) < 0) { /* atomic: the old file stays reachable under its aside name */
        err_set(e, 500, "restore_failed", "", "无法把恢复的数据库放到 %s：%s", path, strerror(errno));
        if (write_key)
            unlink(key_path);
        goto key_back;
    }
    return 0;
key_back:
    if (old_key && link(key_aside, key_path) == 0)
        unlink(key_aside);
materials_out:
    rename(materials, materials_tmp);
materials_back:
    if (old_materials)
        rename(materials_aside, materials);
    return -1;
}

static int restore_sqlite(const struct app_options *o, const char *from, const char *from_key_path,
                          const struct crypt_key *k, const char *key_path, int replace, struct err *e)
{
    const char *path = o->db.target;
    /* the key at the target: the same key stays, another one is replaced only with --replace */
    struct crypt_key old;
    int key_state = crypt_load_key(key_path, &old, e); /* 0 present, 1 absent */
    int same_key = key_state == 0 && memcmp(&old, k, sizeof old) == 0;
    crypt_key_wipe(&old);
    if (key_state < 0)
        return -1;
    if ((exists(path) || (key_state == 0 && !same_key)) && !replace)
        return err_set(e, 409, "restore_exists", "db",
                       "%s 已存在，未恢复：要替换请加 --replace（原文件会保留） / %s exists; nothing restored: "
                       "add --replace to replace it (the old files are kept)",
                       exists(path) ? path : key_path, exists(path) ? path : key_path);

    struct db_config c = {.kind = DB_SQLITE};
    char stamp[32];
    time_t now = time(NULL);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", gmtime(&now));
    const char *tmp = c.target;
    char materials_tmp[1100];
    struct materials_store from_materials;
    if ((size_t)snprintf(c.target, sizeof c.target, "%s.restore-%ld", path, (long)getpid()) >= sizeof c.target ||
        (size_t)snprintf(materials_tmp, sizeof materials_tmp, "%s.materials.restore-%ld", path, (long)getpid()) >=
            sizeof materials_tmp ||
        (size_t)snprintf(from_materials.dir, sizeof from_materials.dir, "%s.materials", from) >= sizeof from_materials.dir)
        return err_set(e, 422, "restore_failed", "db", "路径过长：%s", path);
    int lock_fd;
    if (lock_idle(path, &lock_fd, e) < 0 || db_restore_sqlite(from, tmp, e) < 0) { /* integrity_check */
        if (lock_fd >= 0)
            close(lock_fd);
        return -1;
    }
    /* the key against the copy: the same binding a start does (the copy is migrated like one) */
    struct crypt_key bound = *k;
    struct db *db;
    int64_t files = 0;
    int rc = db_open(&c, &db, e);
    if (rc == 0) {
        rc = db_migrate(db, e) < 0 ? -1 : app_key_bind(db, &bound, 1, from_key_path, e);
        /* the materials files the copy refers to, each checked, into a new directory */
        if (rc == 0)
            rc = materials_copy_files(db, &from_materials, materials_tmp, &files, e);
        db_close(db);
    }
    crypt_key_wipe(&bound);
    int kept = exists(path) || (key_state == 0 && !same_key);
    if (rc == 0)
        rc = put_in_place(tmp, materials_tmp, o, key_path, k, key_state == 1 || !same_key, key_state == 0 && !same_key,
                          stamp, e);
    if (lock_fd >= 0)
        close(lock_fd);
    if (rc < 0) {
        unlink(tmp);
        materials_remove_dir(materials_tmp);
        return -1;
    }
    fprintf(stderr, "tuoyu restore: %lld materials file(s) checked and restored\n", (long long)files);
    if (kept)
        fprintf(stderr, "tuoyu restore: the previous files are kept with the suffix .replaced-%s\n", stamp);
    return 0;
}

static int restore_pg(const struct app_options *o, const char *from, const char *from_key_path,
                      const struct crypt_key *k, const char *key_path, struct err *e)
{
    struct crypt_key old;
    int key_state = crypt_load_key(key_path, &old, e);
    int same_key = key_state == 0 && memcmp(&old, k, sizeof old) == 0;
    crypt_key_wipe(&old);
    if (key_state < 0)
        return -1;
    if (key_state == 0 && !same_key)
        return err_set(e, 409, "restore_exists", "key",
                       "密钥文件 %s 已存在且是另一把密钥，未恢复：请移走它或用 --key 指定新路径 / another key file "
                       "exists there; nothing restored: move it away or give --key NEWPATH",
                       key_path);
    /* the key against the archive's check value, before the database is touched */
    char enc[CRYPT_LOOKUP_HEX_LEN] = "", lookup[CRYPT_LOOKUP_HEX_LEN] = "";
    int has_check = archive_check_value(from, enc, lookup, e);
    if (has_check < 0 || (has_check && app_key_compare(k, enc, lookup, from_key_path, e) < 0))
        return -1;
    struct db *db;
    if (db_open(&o->db, &db, e) < 0)
        return -1;
    int rc = db_restore_pg(db, from, e); /* reads the whole archive first; refuses a non-empty database */
    struct crypt_key bound = *k;
    if (rc == 0)
        rc = db_migrate(db, e) < 0 ? -1 : 0;
    if (rc == 0 && app_key_bind(db, &bound, 1, from_key_path, e) < 0) {
        /* only an archive without a check value (made before migration 012) gets here */
        char msg[sizeof e->message];
        snprintf(msg, sizeof msg, "%s", e->message);
        snprintf(e->message, sizeof e->message, "已恢复，但密钥不符，请删除该数据库 / restored, but the key does not fit: drop "
                 "that database — %.300s", msg);
        rc = -1;
    }
    crypt_key_wipe(&bound);
    db_close(db);
    if (rc == 0 && key_state == 1 && crypt_save_key(key_path, k, e) < 0)
        return -1;
    return rc;
}

int cmd_restore(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(RESTORE_USAGE, stdout);
        return CLI_OK;
    }
    struct app_options o;
    app_options_defaults(&o);
    const char *from = NULL, *from_key = NULL;
    int replace = 0, target = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--from") == 0 && i + 1 < argc) {
            from = argv[++i];
            continue;
        }
        if (strcmp(argv[i], "--from-key") == 0 && i + 1 < argc) {
            from_key = argv[++i];
            continue;
        }
        if (strcmp(argv[i], "--replace") == 0) {
            replace = 1;
            continue;
        }
        target |= strcmp(argv[i], "--db") == 0 || strcmp(argv[i], "--pg") == 0;
        int r = app_parse_db_option(&o, argc, argv, &i);
        if (r <= 0)
            return cli_usage_error("restore", "unknown argument or missing value: %s", argv[i]);
    }
    if (!from)
        return cli_usage_error("restore", "--from FILE is required");
    if (!target)
        return cli_usage_error("restore", "name the target: --db PATH or --pg CONNINFO");
    if (replace && o.db.kind != DB_SQLITE)
        return cli_usage_error("restore", "--replace is for SQLite; restore PostgreSQL into a new empty database");
    char from_key_path[1100], key_path[1100];
    snprintf(from_key_path, sizeof from_key_path, "%s%s", from_key ? from_key : from, from_key ? "" : ".key");
    app_key_path(&o, key_path, sizeof key_path);

    if (!exists(from))
        return cli_usage_error("restore", "no such file: %s", from);
    struct err e = {0};
    struct crypt_key k;
    int rc = crypt_load_key(from_key_path, &k, &e);
    if (rc < 0)
        return failed("restore", &e);
    if (rc == 1) {
        fprintf(stderr,
                "tuoyu restore: 找不到备份的密钥文件 %s，未恢复：请用 --from-key 指定 / the backup's key file was not "
                "found; nothing restored: give --from-key KEYFILE\n",
                from_key_path);
        return CLI_USAGE;
    }
    rc = o.db.kind == DB_SQLITE ? restore_sqlite(&o, from, from_key_path, &k, key_path, replace, &e)
                                : restore_pg(&o, from, from_key_path, &k, key_path, &e);
    crypt_key_wipe(&k);
    if (rc < 0)
        return failed("restore", &e);
    fprintf(stderr, "tuoyu restore: restored %s (integrity and key checked) to %s, key %s\n", from,
            o.db.kind == DB_SQLITE ? o.db.target : "PostgreSQL", key_path);
    return CLI_OK;
}
