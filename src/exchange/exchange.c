/* exchange.c — source ids, record fingerprints and the feed's query (exchange.h). */
#include "exchange/exchange.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"

void exchange_source_id(const char *district, int64_t id, char out[32])
{
    snprintf(out, 32, "%s:%" PRId64, district, id);
}

void exchange_record_hash(const json_t *record, char out[EXCHANGE_HASH_LEN])
{
    char *text = json_dumps(record, JSON_COMPACT | JSON_SORT_KEYS);
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)(text ? text : ""), text ? strlen(text) : 0, NULL, 0);
    free(text);
    sodium_bin2hex(out, EXCHANGE_HASH_LEN, h, sizeof h);
}

int exchange_query(const char *changed_since, const char *format, char *since, size_t since_cap, int *jsonl,
                   struct err *e)
{
    since[0] = '\0';
    *jsonl = 0;
    if (changed_since && changed_since[0]) {
        int64_t t;
        if (date_parse_timestamp(changed_since, &t) < 0)
            return err_set(e, 400, "bad_changed_since", "changed_since",
                           "changed_since 应为 UTC 时间，如 2026-12-05T08:00:00Z：%s", changed_since);
        date_format_timestamp(t, since, since_cap);
    }
    if (format && format[0]) {
        if (strcmp(format, "jsonl") == 0)
            *jsonl = 1;
        else if (strcmp(format, "json") != 0)
            return err_set(e, 400, "bad_format", "format", "format 只能是 json 或 jsonl：%s", format);
    }
    return 0;
}
