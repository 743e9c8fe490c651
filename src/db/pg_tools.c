/* pg_tools.c — PostgreSQL backup and restore through the client programs: pg_dump in custom
 * format (-Fc) into a new 0600 file, pg_restore to read an archive whole, to list one table's
 * rows, and to restore it into an empty database in one transaction. The programs come from
 * PATH; the connection's parameters (PQconninfo, password included) reach them through their
 * environment (PGHOST, PGPASSWORD, …), never on a command line another user could read. */
#include "db/db_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* environ without PG* variables, plus the connection's parameters as PG* variables (malloc'd
 * array and strings; free with free_env). Without conn: environ as it is. */
static char **tool_env(PGconn *conn)
{
    size_t n = 0;
    while (environ[n])
        n++;
    PQconninfoOption *opts = conn ? PQconninfo(conn) : NULL;
    size_t extra = 0;
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        extra++;
    char **env = calloc(n + extra + 1, sizeof *env);
    if (!env) {
        PQconninfoFree(opts);
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!conn || strncmp(environ[i], "PG", 2) != 0)
            env[k++] = strdup(environ[i]);
    for (PQconninfoOption *o = opts; o && o->keyword; o++) {
        if (!o->envvar || !o->val)
            continue;
        size_t len = strlen(o->envvar) + strlen(o->val) + 2;
        char *v = malloc(len);
        if (v)
            snprintf(v, len, "%s=%s", o->envvar, o->val);
        env[k++] = v;
    }
    PQconninfoFree(opts);
    for (size_t i = 0; i < k; i++)
        if (!env[i]) { /* out of memory on one string: give up on all */
            for (size_t j = 0; j < k; j++)
                free(env[j]);
            free(env);
            return NULL;
        }
    return env;
}

static void free_env(char **env)
{
    for (size_t i = 0; env && env[i]; i++) {
        explicit_bzero(env[i], strlen(env[i]));
        free(env[i]);
    }
    free(env);
}

/* Run argv (argv[0] found on PATH) with stdout to out_fd (-1: /dev/null) and conn's parameters in
 * its environment; 0 when it exits 0, else -1 with code (status 500) and the last line it wrote
 * to stderr. */
static int run_tool(char *const argv[], PGconn *conn, int out_fd, const char *code, struct err *e)
{
    FILE *errf = tmpfile();
    int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    char **env = tool_env(conn);
    posix_spawn_file_actions_t fa;
    int rc = -1;
    if (!errf || null_fd < 0 || !env || posix_spawn_file_actions_init(&fa) != 0) {
        err_set(e, 500, code, "", "无法运行 %s：%s", argv[0], strerror(errno ? errno : ENOMEM));
        goto out;
    }
    posix_spawn_file_actions_adddup2(&fa, null_fd, 0);
    posix_spawn_file_actions_adddup2(&fa, out_fd >= 0 ? out_fd : null_fd, 1);
    posix_spawn_file_actions_adddup2(&fa, fileno(errf), 2);
    pid_t pid;
    int sp = posix_spawnp(&pid, argv[0], &fa, NULL, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    if (sp != 0) {
        if (sp == ENOENT)
            err_set(e, 500, code, "", "找不到 %s：请安装 PostgreSQL 客户端（Debian: postgresql-client） / %s not found: "
                    "install the PostgreSQL client programs", argv[0], argv[0]);
        else
            err_set(e, 500, code, "", "无法运行 %s：%s", argv[0], strerror(sp));
        goto out;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        rc = 0;
        goto out;
    }
    char line[300] = "", last[300] = "";
    rewind(errf);
    while (fgets(line, sizeof line, errf))
        if (line[0] != '\n')
            snprintf(last, sizeof last, "%s", line);
    last[strcspn(last, "\n")] = 0;
    err_set(e, 500, code, "", "%s 失败：%s", argv[0], last[0] ? last : "(没有输出)");
out:
    free_env(env);
    if (null_fd >= 0)
        close(null_fd);
    if (errf)
        fclose(errf);
    return rc;
}

int dbpg_backup(struct db *db, const char *to_path, struct err *e)
{
    /* O_EXCL: never overwrite, even if the file appears between a check and the dump */
    int fd = open(to_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return err_set(e, 409, "backup_exists", "to", "备份目标文件已存在：%s", to_path);
        return err_set(e, 500, "backup_failed", "to", "无法创建备份文件 %s：%s", to_path, strerror(errno));
    }
    char *argv[] = {"pg_dump", "--format=custom", "--no-password", NULL};
    int rc = run_tool(argv, db->pg, fd, "backup_failed", e);
    if (rc == 0 && fsync(fd) < 0)
        rc = err_set(e, 500, "backup_failed", "", "备份失败：%s", strerror(errno));
    if (close(fd) < 0 && rc == 0)
        rc = err_set(e, 500, "backup_failed", "", "备份失败：%s", strerror(errno));
    if (rc < 0)
        unlink(to_path);
    return rc;
}

int db_restore_pg(struct db *db, const char *from, struct err *e)
{
    if (db->kind != DB_PG)
        return err_set(e, 500, "db_error", "", "db_restore_pg 只用于 PostgreSQL");
    if (access(from, R_OK) < 0)
        return err_set(e, 422, "backup_invalid", "from", "无法读取备份 %s：%s", from, strerror(errno));
    /* the whole archive, every data block, must read back before anything is restored */
    char *check[] = {"pg_restore", "--file=/dev/null", (char *)from, NULL};
    if (run_tool(check, NULL, -1, "backup_invalid", e) < 0) {
        e->status = 422;
        return -1;
    }
    /* libpq directly: this file is part of the PostgreSQL engine, under db.c */
    PGresult *res = PQexec(db->pg, "SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                   "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
                                   "AND n.nspname NOT LIKE 'pg_toast%'");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        err_set(e, 500, "db_error", "", "数据库错误：%s", PQerrorMessage(db->pg));
        PQclear(res);
        return -1;
    }
    long long relations = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    if (relations > 0)
        return err_set(e, 409, "restore_not_empty", "pg",
                       "目标数据库 %s 不是空的（已有 %lld 个表或其他对象），未恢复：请恢复到新建的空数据库 / the target "
                       "database is not empty; nothing restored: restore into a new, empty database",
                       PQdb(db->pg), relations);
    /* dbname as a conninfo value, quoted; everything else (password too) comes from the environment */
    const char *name = PQdb(db->pg);
    size_t len = strlen(name);
    char *dbarg = malloc(2 * len + 16);
    if (!dbarg)
        return err_set(e, 500, "oom", "", "内存不足");
    char *w = dbarg + sprintf(dbarg, "dbname='");
    for (const char *p = name; *p; p++) {
        if (*p == '\'' || *p == '\\')
            *w++ = '\\';
        *w++ = *p;
    }
    strcpy(w, "'");
    char *argv[] = {"pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                    "--no-password", "--dbname", dbarg, (char *)from, NULL};
    int rc = run_tool(argv, db->pg, -1, "restore_failed", e);
    free(dbarg);
    return rc;
}

int db_archive_rows(const char *from, const char *table, char **columns, char **rows, struct err *e)
{
    *columns = *rows = NULL;
    FILE *out = tmpfile();
    if (!out)
        return err_set(e, 500, "backup_invalid", "", "无法创建临时文件：%s", strerror(errno));
    char table_arg[200];
    snprintf(table_arg, sizeof table_arg, "--table=%s", table);
    char *argv[] = {"pg_restore", "--data-only", table_arg, "--file=-", (char *)from, NULL};
    if (run_tool(argv, NULL, fileno(out), "backup_invalid", e) < 0) {
        fclose(out);
        e->status = 422;
        return -1;
    }
    /* COPY public.key_check (id, enc_check, …) FROM stdin;\n rows \n\.\n */
    char *text = NULL;
    long size = (fseek(out, 0, SEEK_END) == 0) ? ftell(out) : -1;
    rewind(out);
    if (size >= 0) {
        text = malloc((size_t)size + 1);
        if (text && fread(text, 1, (size_t)size, out) == (size_t)size)
            text[size] = 0;
        else {
            free(text);
            text = NULL;
        }
    }
    fclose(out);
    if (!text)
        return err_set(e, 500, "oom", "", "内存不足");
    int rc = 0;
    char *copy = strstr(text, "\nCOPY ");
    char *open_paren = copy ? strchr(copy, '(') : NULL;
    char *close_paren = open_paren ? strstr(open_paren, ") FROM stdin;\n") : NULL;
    if (!close_paren) {
        *columns = strdup("");
        *rows = strdup("");
    } else {
        *columns = strndup(open_paren + 1, (size_t)(close_paren - open_paren - 1));
        char *data = close_paren + strlen(") FROM stdin;\n");
        char *end = strstr(data, "\\.\n");
        *rows = strndup(data, end ? (size_t)(end - data) : 0);
    }
    if (!*columns || !*rows) {
        free(*columns);
        free(*rows);
        *columns = *rows = NULL;
        rc = err_set(e, 500, "oom", "", "内存不足");
    }
    free(text);
    return rc;
}
