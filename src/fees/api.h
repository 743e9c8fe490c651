/* api.h — the fee catalogues' routes (api.c) and the public page's part of them. */
#ifndef TUOYU_FEES_API_H
#define TUOYU_FEES_API_H

#include <jansson.h>

#include "http/http.h"
#include "registry/registry.h"

extern const struct route fees_routes[];

/* Add to the public detail o of institution in: fee_guidance (the price guidance that applies:
 * fees_guidance_json) and fees_announced ([{effective_from, note, items}]: changes published and
 * not yet in force). 0, or -1 with e. */
int fees_public(struct http_req *req, const struct institution *in, json_t *o, struct err *e);

#endif
