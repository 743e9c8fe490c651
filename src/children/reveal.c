/* reveal.c — the one place a list reveals children's full names (children.h): each row's sealed
 * name opened where the policy allows child.read.full_name on that row's child, the masked name
 * kept elsewhere, and a staff member's reveals written to the audit log in one row. Serves the
 * place bookings and the class attendance sheet alike. */
#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/crypt.h"
#include "children/children.h"

int children_reveal_names(struct http_req *req, json_t *rows, struct err *e)
{
    json_t *r, *revealed = json_array();
    size_t i;
    int rc = 0;
    json_array_foreach(rows, i, r)
    {
        struct authz_target t = {.institution_id = json_integer_value(json_object_get(r, "institution_id")),
                                 .owner_user_id = json_integer_value(json_object_get(r, "family_user_id"))};
        const char *sealed = json_string_value(json_object_get(r, "child_name_sealed"));
        char name[256];
        if (rc == 0 && sealed && authz_allows(req, "child.read.full_name", &t)) {
            rc = crypt_open(&req->app->key, sealed, name, sizeof name, e);
            if (rc == 0)
                json_object_set_new(r, "child_name", json_string(name));
            if (rc == 0 && t.owner_user_id != req->user->id)
                json_array_append(revealed, json_object_get(r, "child_id"));
        }
        json_object_del(r, "child_name_sealed");
    }
    if (rc == 0 && json_array_size(revealed)) {
        json_t *f = json_pack("{s:O, s:s}", "child_ids", revealed, "list", req->route->pattern);
        rc = audit_staff_read(req, "child.read", "child", "list", f, e);
        json_decref(f);
    }
    json_decref(revealed);
    return rc;
}
