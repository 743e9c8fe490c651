/* api.c — routes of materials (附件材料): upload to an owner record (streamed, checked by content,
 * stored once by SHA-256), the owner's list, one material, its download (attachment, never
 * inline; every staff download audited) and delete (refused while the owner is locked). Who may
 * is the policy's material.* actions on the owner record (api.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "audit/audit.h"
#include "base/fileio.h"
#include "base/date.h"
#include "cases/api.h"
#include "keytasks/api.h"
#include "materials/api.h"
#include "materials/materials.h"
#include "materials/store.h"
#include "params/params.h"
#include "progress/api.h"
#include "registry/store.h"

/* ---- owners ---- */

static int institution_target(struct http_req *req, int64_t id, struct authz_target *t, struct err *e)
{
    struct institution *in = http_alloc(req, sizeof *in);
    if (registry_load(req->db, req->district, id, req->today, in, e) < 0)
        return -1;
    t->town_code = in->town_code;
    t->institution_id = in->id;
    return 0;
}

static const struct materials_owner INSTITUTION = {"institution", institution_target};

/* Every record type that owns materials (api.h says how to add one). */
static const struct materials_owner *const OWNERS[] = {&INSTITUTION, &cases_materials_owner, &progress_materials_owner,
                                                       &keytasks_materials_owner, NULL};

/* action on owner record id; uploader (0 = none) reaches the materials it uploaded when the owner's
 * target names no person. */
static int owner_require(struct http_req *req, const struct materials_owner *o, int64_t id, const char *action,
                         int64_t uploader, struct err *e)
{
    struct authz_target t = {0};
    if (o->target(req, id, &t, e) < 0)
        return -1;
    if (!t.owner_user_id)
        t.owner_user_id = uploader;
    return authz_require(req, action, &t, e);
}

static int owner_locked_error(struct http_reply *rep)
{
    return http_reply_error(rep, 409, "owner_locked", "", "所属记录已提交，材料已锁定，不能添加或删除");
}

/* ---- upload ---- */

int materials_upload_begin(struct http_req *req, struct http_reply *rep, const struct materials_owner *o, int64_t id)
{
    struct err e = {0};
    int locked;
    double max;
    if (owner_require(req, o, id, "material.upload", 0, &e) < 0 ||
        materials_owner_locked(req->db, req->district, o->type, id, &locked, &e) < 0 ||
        params_get(req->db, req->district, "materials.max_file_bytes", req->today, &max, &e) < 0)
        return http_reply_err(rep, &e);
    if (locked)
        return owner_locked_error(rep);
    http_upload_limit(req, max > 0 ? (uint64_t)max : 0);
    return 0;
}

static long read_fd(void *ctx, uint64_t off, void *buf, size_t n)
{
    return (long)fileio_pread_full(*(const int *)ctx, buf, n, off);
}

int materials_upload(struct http_req *req, struct http_reply *rep, const struct materials_owner *o, int64_t id)
{
    struct err e = {0};
    const struct http_upload *up = http_upload(req);
    if (!up)
        return http_reply_error(rep, 500, "internal", "", "服务器内部错误：没有上传的文件");
    int fd = up->fd;
    struct materials_upload u;
    /* the owner again: the body took a while, the record may have moved */
    if (owner_require(req, o, id, "material.upload", 0, &e) < 0 ||
        materials_check(up->filename, up->size, read_fd, &fd, &u, &e) < 0)
        return http_reply_err(rep, &e);
    struct materials_store s;
    materials_store_of(&req->app->db, &s);
    struct material m = {.owner_id = id, .size = (int64_t)up->size, .type = u.type, .uploaded_by = req->user->id};
    snprintf(m.owner_type, sizeof m.owner_type, "%s", o->type);
    snprintf(m.sha256, sizeof m.sha256, "%s", up->sha256_hex);
    snprintf(m.name, sizeof m.name, "%s", u.name);
    snprintf(m.uploaded_by_name, sizeof m.uploaded_by_name, "%s", req->user->name);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    int locked = 0;
    if (materials_stage(&s, fd, &e) < 0 || db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (materials_owner_take(req->db, req->district, o->type, id, &locked, &e) < 0 || locked ||
        materials_put(req->db, &s, req->district, m.sha256, m.type, fd, up->size, now_ts, &e) < 0 ||
        materials_insert(req->db, req->district, &m, now_ts, &e) < 0) {
        db_rollback(req->db);
        return locked ? owner_locked_error(rep) : http_reply_err(rep, &e);
    }
    json_t *f = json_pack("{s:s, s:I, s:s, s:I, s:s, s:s}", "owner_type", o->type, "owner_id", (json_int_t)id, "name",
                          m.name, "size", (json_int_t)m.size, "type", materials_type_code(m.type), "sha256", m.sha256);
    if (audit_write_commit(req, "material.upload", "material", m.id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, materials_to_json(&m));
}

int materials_list(struct http_req *req, struct http_reply *rep, const struct materials_owner *o, int64_t id)
{
    struct err e = {0};
    struct http_page page;
    if (owner_require(req, o, id, "material.read", 0, &e) < 0 || http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    struct material *rows = http_alloc(req, (size_t)(page.limit + 1) * sizeof *rows);
    int n;
    if (materials_page(req->db, req->district, o->type, id, page.after_id, page.limit + 1, rows, &n, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = json_array();
    for (int i = 0; i < n && http_page_take(req, &page, rows[i].id, NULL); i++)
        json_array_append_new(items, materials_to_json(&rows[i]));
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

/* ---- one material ---- */

/* The material of the path, with action checked on its owner. */
static struct material *load_for(struct http_req *req, const char *action, struct err *e)
{
    struct material *m = http_alloc(req, sizeof *m);
    if (materials_load(req->db, req->district, http_param_id(req, "id"), m, e) < 0)
        return NULL;
    const struct materials_owner *const *o = OWNERS;
    while (*o && strcmp((*o)->type, m->owner_type) != 0)
        o++;
    if (!*o) {
        err_set(e, 500, "internal", "", "材料所属的记录类型未知：%s", m->owner_type);
        return NULL;
    }
    return owner_require(req, *o, m->owner_id, action, m->uploaded_by, e) < 0 ? NULL : m;
}

static int get_material(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct material *m = load_for(req, "material.read", &e);
    return m ? http_reply_json(rep, 200, materials_to_json(m)) : http_reply_err(rep, &e);
}

static int download(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct material *m = load_for(req, "material.read", &e);
    if (!m)
        return http_reply_err(rep, &e);
    if (m->deleted)
        return http_reply_error(rep, 410, "material_gone", "", "该材料已被删除");
    struct materials_store s;
    materials_store_of(&req->app->db, &s);
    int fd = -1;
    if (materials_store_in_files(&s)) {
        if (materials_file_open(&s, m->sha256, (uint64_t)m->size, &fd, &e) < 0)
            return http_reply_err(rep, &e);
    } else {
        /* PostgreSQL: the chunks to an unnamed file first, which the server then streams */
        if ((fd = http_temp_file(req)) < 0)
            return http_reply_error(rep, 500, "materials_io", "", "无法创建临时文件：%s", strerror(errno));
        if (materials_copy_out(req->db, req->district, m->sha256, (uint64_t)m->size, fd, &e) < 0) {
            close(fd);
            return http_reply_err(rep, &e);
        }
    }
    json_t *f = json_pack("{s:s, s:s}", "name", m->name, "sha256", m->sha256);
    int rc = audit_staff_read(req, "material.download", "material", http_printf(req, "%" PRId64, m->id), f, &e);
    json_decref(f);
    if (rc < 0) {
        close(fd);
        return http_reply_err(rep, &e);
    }
    char name[MATERIALS_NAME_MAX + 8], fallback[48];
    char *disposition = http_alloc(req, MATERIALS_DISPOSITION_MAX);
    materials_download_name(m->name, m->type, name, sizeof name);
    snprintf(fallback, sizeof fallback, "material-%" PRId64 "%s", m->id, materials_extension(m->type));
    materials_disposition(name, fallback, disposition, MATERIALS_DISPOSITION_MAX);
    http_reply_header(rep, "Content-Disposition", disposition);
    /* should anything render it after all: no scripts, no plugins, no same-origin access */
    http_reply_header(rep, "Content-Security-Policy", "sandbox");
    return http_reply_file(rep, 200, fd, (uint64_t)m->size, materials_media_type(m->type));
}

static int delete_material(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct material *m = load_for(req, "material.delete", &e);
    if (!m)
        return http_reply_err(rep, &e);
    struct materials_store s;
    materials_store_of(&req->app->db, &s);
    char now_ts[DATE_TIMESTAMP_LEN], aside[1300];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    int locked = 0;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (materials_owner_take(req->db, req->district, m->owner_type, m->owner_id, &locked, &e) < 0 || locked ||
        materials_delete(req->db, &s, req->district, m, req->user->id, now_ts, aside, sizeof aside, &e) < 0) {
        db_rollback(req->db);
        return locked ? owner_locked_error(rep) : http_reply_err(rep, &e);
    }
    json_t *f = json_pack("{s:s, s:I, s:s, s:s}", "owner_type", m->owner_type, "owner_id", (json_int_t)m->owner_id, "name",
                          m->name, "sha256", m->sha256);
    int rc = audit_request_commit(req, "material.delete", "material", http_printf(req, "%" PRId64, m->id), f, &e);
    json_decref(f);
    materials_delete_done(&s, m->sha256, aside, rc == 0);
    if (rc < 0)
        return http_reply_err(rep, &e);
    m->deleted = 1;
    snprintf(m->deleted_at, sizeof m->deleted_at, "%s", now_ts);
    return http_reply_json(rep, 200, materials_to_json(m));
}

/* ---- routes ---- */

static int begin_institution(struct http_req *req, struct http_reply *rep)
{
    return materials_upload_begin(req, rep, &INSTITUTION, http_param_id(req, "id"));
}
static int upload_institution(struct http_req *req, struct http_reply *rep)
{
    return materials_upload(req, rep, &INSTITUTION, http_param_id(req, "id"));
}
static int list_institution(struct http_req *req, struct http_reply *rep)
{
    return materials_list(req, rep, &INSTITUTION, http_param_id(req, "id"));
}

#include "materials/api.schemas.inc"

const struct route materials_routes[] = {
    {"POST", "/api/v1/institutions/{id}/materials", "material.upload", upload_institution, &materials_upload_schema,
     &materials_schema, 201, .begin = begin_institution},
    {"GET", "/api/v1/institutions/{id}/materials", "material.read", list_institution, NULL, &materials_page_schema},
    {"GET", "/api/v1/materials/{id}", "material.read", get_material, NULL, &materials_schema},
    {"GET", "/api/v1/materials/{id}/content", "material.read", download, NULL, &CONTENT},
    {"DELETE", "/api/v1/materials/{id}", "material.delete", delete_material, NULL, &materials_schema},
    {NULL, NULL, NULL, NULL},
};
