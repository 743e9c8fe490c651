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

#endif
