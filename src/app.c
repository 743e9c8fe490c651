/* app.c — building the server-wide context from command-line options (database, key file,
 * clock), shared by `tuoyu serve` and the admin commands. */
#include "app.h"

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

int64_t app_now(const struct app *app) { return (int64_t)time(NULL) + app->clock_offset; }

int app_parse_db_option(struct app_options *o, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    if (strcmp(arg, "--db") == 0 || strcmp(arg, "--pg") == 0 || strcmp(arg, "--key") == 0) {
        if (*i + 1 >= argc)
            return -1;
        const char *v = argv[++*i];
        if (strcmp(arg, "--key") == 0) {
            o->key_path = v;
        } else {
            o->db.kind = arg[2] == 'd' ? DB_SQLITE : DB_PG;
            snprintf(o->db.target, sizeof o->db.target, "%s", v);
        }
        return 1;
    }
    return 0;
}

void app_options_defaults(struct app_options *o)
{
    memset(o, 0, sizeof *o);
    o->db.kind = DB_SQLITE;
    snprintf(o->db.target, sizeof o->db.target, "var/tuoyu.db");
}

void app_key_path(const struct app_options *o, char *out, size_t n)
{
    if (o->key_path)
        snprintf(out, n, "%s", o->key_path);
    else if (o->db.kind == DB_SQLITE)
        snprintf(out, n, "%s.key", o->db.target);
    else
        snprintf(out, n, "tuoyu.key");
}

/* One line on stderr when an existing database file lets group or others read it. */
static void warn_open_modes(const char *db_path)
{
    static const char *const suffix[] = {"", "-wal", "-shm"};
    char list[3200] = "", path[1100];
    mode_t mode = 0;
    for (int i = 0; i < 3; i++) {
        struct stat st;
        snprintf(path, sizeof path, "%s%s", db_path, suffix[i]);
        if (stat(path, &st) == 0 && (st.st_mode & 077)) {
            mode |= st.st_mode & 0777;
            size_t len = strlen(list);
            snprintf(list + len, sizeof list - len, " %s", path);
        }
    }
    if (list[0])
        fprintf(stderr,
                "tuoyu: 警告：数据库文件可被组或其他用户读取（权限 %04o），其中有密码哈希和个人数据，请执行 chmod 600%s"
                " / warning: database files are readable by group or others (mode %04o); run chmod 600%s\n",
                (unsigned)mode, list, (unsigned)mode, list);
}

/* Hold the SQLite file flock()ed shared until the process exits (restore takes it exclusive). */
static int lock_shared(const char *path, int *fd, struct err *e)
{
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0)
        return err_set(e, 500, "db_error", "db", "无法打开数据库 %s：%s", path, strerror(errno));
    if (flock(*fd, LOCK_SH | LOCK_NB) == 0)
        return 0;
    close(*fd);
    *fd = -1;
    return err_set(e, 409, "db_restoring", "db", "数据库 %s 正在恢复，请稍后再试 / the database is being restored", path);
}

int app_open(struct app *app, const struct app_options *o, struct db **db, struct err *e)
{
    memset(app, 0, sizeof *app);
    app->db = o->db;
    snprintf(app->district_code, sizeof app->district_code, "330304");
    char key_path[1100];
    app_key_path(o, key_path, sizeof key_path);
    int key_state = o->no_key ? 0 : crypt_load_key(key_path, &app->key, e); /* 1: no file */
    if (key_state < 0)
        return -1;
    if (o->db.kind == DB_SQLITE)
        warn_open_modes(o->db.target);
    app->db_lock_fd = -1;
    if (db_open(&app->db, db, e) < 0)
        return -1;
    if ((o->db.kind == DB_SQLITE && lock_shared(o->db.target, &app->db_lock_fd, e) < 0) || db_migrate(*db, e) < 0 ||
        (!o->no_key && app_key_bind(*db, &app->key, key_state == 0, key_path, e) < 0)) {
        db_close(*db);
        *db = NULL;
        crypt_key_wipe(&app->key);
        if (app->db_lock_fd >= 0)
            close(app->db_lock_fd);
        app->db_lock_fd = -1;
        return -1;
    }
    return 0;
}

int app_open_failed(const char *cmd, const struct err *e)
{
    fprintf(stderr, "tuoyu %s: %s\n", cmd, e->message);
    return app_key_refusal(e) ? CLI_USAGE : CLI_FAIL;
}
