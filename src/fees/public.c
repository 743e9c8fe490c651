/* public.c — what the public institution page shows of fees (public.h): the price guidance that
 * applies and the changes announced but not yet in force. Kept apart from the fee routes (api.c),
 * which take the institution through the registry's routes, so that the registry's public page can
 * call this without the two including each other. */
#include "fees/public.h"

#include <string.h>

#include "app.h"
#include "fees/store.h"
#include "params/api.h"
#include "params/params.h"

/* The guidance that applies to in, from the parameters in force today. */
int fees_guidance_for(struct http_req *req, const struct institution *in, struct fee_guidance *g, struct err *e)
{
    const struct params *p = params_of_request(req, e);
    return !p || fees_guidance(p, in->ownership, in->inclusive, g, e) < 0 ? -1 : 0;
}

int fees_public(struct http_req *req, const struct institution *in, json_t *o, struct err *e)
{
    json_t *changes;
    if (fees_store_history(req->db, in->id, req->today, &changes, e) < 0)
        return -1;
    int rc = fees_public_from(req, in, changes, o, e);
    json_decref(changes);
    return rc;
}

int fees_public_histories(struct http_req *req, json_t **by_inst, struct err *e)
{
    return fees_store_histories(req->db, req->district, req->today, by_inst, e);
}

int fees_public_from(struct http_req *req, const struct institution *in, const json_t *changes, json_t *o,
                     struct err *e)
{
    struct fee_guidance g;
    if (fees_guidance_for(req, in, &g, e) < 0)
        return -1;
    json_t *announced = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(changes, i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "state")), "announced") == 0)
            json_array_append_new(announced, json_pack("{s:O, s:O, s:O}", "effective_from",
                                                       json_object_get(c, "effective_from"), "note",
                                                       json_object_get(c, "note"), "items", json_object_get(c, "items")));
    }
    json_object_set_new(o, "fee_guidance", fees_guidance_json(&g));
    json_object_set_new(o, "fees_announced", announced);
    return 0;
}
