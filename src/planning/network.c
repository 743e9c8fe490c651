/* network.c — importing an OSM file as the district's road network and loading it back. */
#include "planning/network.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "audit/audit.h"
#include "base/date.h"
#include "plan/osm.h"
#include "planning/store.h"

static int write_temp(const void *bytes, size_t len, const char *suffix, char path[64], struct err *e)
{
    snprintf(path, 64, "/tmp/tuoyu-net-XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0)
        return err_set(e, 500, "tmp_failed", "", "无法创建临时文件");
    const char *p = bytes;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w <= 0) {
            close(fd);
            unlink(path);
            return err_set(e, 500, "tmp_failed", "", "无法写入临时文件");
        }
        p += w;
        left -= (size_t)w;
    }
    close(fd);
    return 0;
}

int planning_network_import(struct db *db, struct http_req *req, const char *district, int64_t now,
                            const char *name, const char *path, const void *bytes, size_t len,
                            struct planning_network *out, struct err *e)
{
    size_t pl = strlen(path);
    struct plan_graph *g = NULL;
    if (plan_osm_load_as(path, req ? "（上传的文件）" : path, &g, e) < 0) { /* never the server's temp path */
        if (!e->status || e->status == 500)
            e->status = 422;
        return -1;
    }
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", name);
    snprintf(out->format, sizeof out->format, "%s", pl > 4 && strcmp(path + pl - 4, ".pbf") == 0 ? "pbf" : "osm");
    out->size_bytes = (int64_t)len;
    out->nodes = (int64_t)g->n;
    out->edges = (int64_t)g->edges;
    out->min_lon = g->min_lon, out->max_lon = g->max_lon, out->min_lat = g->min_lat, out->max_lat = g->max_lat;
    date_format_timestamp(now, out->created_at, sizeof out->created_at);
    plan_graph_free(g);
    if (db_begin(db, e) < 0)
        return -1;
    if (planning_store_add_network(db, district, out, bytes, len, e) < 0)
        goto fail;
    json_t *f = json_pack("{s:s, s:s, s:I, s:I, s:I}", "name", out->name, "format", out->format, "size_bytes",
                          (json_int_t)out->size_bytes, "nodes", (json_int_t)out->nodes, "edges",
                          (json_int_t)out->edges);
    char id[32];
    snprintf(id, sizeof id, "%" PRId64, out->id);
    int rc;
    if (req) {
        rc = audit_request(req, "planning.network.create", "road_network", id, f, e);
    } else {
        struct audit_entry a = {.district_code = district, .at = now, .login = "cli",
                                .action = "planning.network.create", .target_type = "road_network",
                                .target_id = id, .fields = f};
        rc = audit_append(db, &a, e);
    }
    json_decref(f);
    if (rc < 0 || db_commit(db, e) < 0)
        goto fail;
    return 0;
fail:
    db_rollback(db);
    return -1;
}

int planning_network_upload(struct http_req *req, const char *name, const void *bytes, size_t len,
                            struct planning_network *out, struct err *e)
{
    const char *b = bytes;
    size_t skip = 0;
    while (skip < len && (b[skip] == ' ' || b[skip] == '\n' || b[skip] == '\r' || b[skip] == '\t'))
        skip++;
    const char *suffix;
    if (len - skip >= 1 && b[skip] == '<')
        suffix = ".osm";
    else if (len >= 13 && memmem(b, len < 64 ? len : 64, "OSMHeader", 9))
        suffix = ".osm.pbf";
    else
        return err_set(e, 422, "network_unreadable", "network",
                       "请求体应为 OpenStreetMap 文件（.osm 或 .osm.pbf 原始字节）");
    char path[64];
    if (write_temp(bytes, len, suffix, path, e) < 0)
        return -1;
    int rc = planning_network_import(req->db, req, req->district, req->now, name, path, bytes, len, out, e);
    unlink(path);
    return rc;
}

int planning_network_graph(struct db *db, const char *district, int64_t id, struct plan_graph **g, struct err *e)
{
    *g = NULL;
    if (!id)
        return 0;
    char format[8], path[64];
    void *data;
    size_t len;
    if (planning_store_network_file(db, district, id, format, &data, &len, e) < 0)
        return -1;
    int rc = write_temp(data, len, strcmp(format, "pbf") == 0 ? ".osm.pbf" : ".osm", path, e);
    free(data);
    if (rc < 0)
        return -1;
    rc = plan_osm_load_as(path, "（已存储的路网）", g, e);
    unlink(path);
    return rc;
}
