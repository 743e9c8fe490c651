/* api.h — the routes of materials, and what another domain uses to let its records own materials.
 *
 * A record type that owns materials is a struct materials_owner: its type (stored as
 * material.owner_type) and how to find a record's place in the jurisdiction tree. The policy
 * actions are the same for every owner — material.upload, material.read, material.delete —
 * asked of the owner record's target (authz_require), so who may act on an institution's
 * materials is who the policy lets act on that institution. The uploader of a material reaches it
 * through authz_target.owner_user_id when the owner's target names no person.
 *
 * To attach materials to a new record type (the cases engine: "case"):
 *   1. a struct materials_owner with its target function, added to OWNERS in src/materials/api.c
 *      (the routes by material id find an owner through it);
 *   2. in the domain's route table, an upload route (body materials_upload_schema, reply
 *      materials_schema) whose begin hook calls materials_upload_begin and whose handler calls
 *      materials_upload, and a list route (reply materials_page_schema) calling materials_list,
 *      each with the owner and the record id of the path;
 *   3. materials_set_locked (store.h) in the transaction that submits the record (and unlocks it
 *      when it is sent back), so its materials can be neither added nor deleted meanwhile. */
#ifndef TUOYU_MATERIALS_API_H
#define TUOYU_MATERIALS_API_H

#include <stdint.h>

#include "auth/auth.h"
#include "http/http.h"

struct materials_owner {
    const char *type; /* material.owner_type, e.g. "institution" */
    /* The owner record's place in the jurisdiction tree: 0, or -1 with e = 404 not_found when the
     * district has no such record. */
    int (*target)(struct http_req *req, int64_t id, struct authz_target *t, struct err *e);
};

/* The begin hook of an upload to owner record id: material.upload on it, not locked (409
 * owner_locked), the size limit from the parameter materials.max_file_bytes. */
int materials_upload_begin(struct http_req *req, struct http_reply *rep, const struct materials_owner *o, int64_t id);
/* The handler of that upload: the file checked (name, not empty, type by content), stored once
 * by content, its record and audit row in one transaction; 201 with the material. */
int materials_upload(struct http_req *req, struct http_reply *rep, const struct materials_owner *o, int64_t id);
/* The active materials of owner record id (material.read on it), as a page. */
int materials_list(struct http_req *req, struct http_reply *rep, const struct materials_owner *o, int64_t id);

/* The schemas of those routes: the uploaded file, a material, a page of materials. */
extern const struct http_schema materials_upload_schema, materials_schema, materials_page_schema;

extern const struct route materials_routes[];

#endif
