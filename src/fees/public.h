/* public.h — the fee part of the public institution page (public.c) and the guidance lookup the
 * fee routes share. */
#ifndef TUOYU_FEES_PUBLIC_H
#define TUOYU_FEES_PUBLIC_H

#include <jansson.h>

#include "fees/fees.h"
#include "http/http.h"
#include "registry/registry.h"

/* The price guidance that applies to in, from the parameters in force today. 0, or -1 with e. */
int fees_guidance_for(struct http_req *req, const struct institution *in, struct fee_guidance *g, struct err *e);
/* Add to the public detail o of institution in: fee_guidance (the price guidance that applies:
 * fees_guidance_json) and fees_announced ([{effective_from, note, items}]: changes published and
 * not yet in force). 0, or -1 with e. */
int fees_public(struct http_req *req, const struct institution *in, json_t *o, struct err *e);
/* The fee histories of every institution of the district in one read: {"<institution id>": [change, …]}
 * (fees_store_histories), for fees_public_from. */
int fees_public_histories(struct http_req *req, json_t **by_inst, struct err *e);
/* fees_public from in's changes already read (its list in fees_public_histories; NULL: none). */
int fees_public_from(struct http_req *req, const struct institution *in, const json_t *changes, json_t *o,
                     struct err *e);

#endif
