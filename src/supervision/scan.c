/* scan.c — the findings of the open institutions in reach (scan.h): each institution's findings of
 * a day kept in a process-wide table keyed by its id, its findings stamp (moved by triggers on
 * every write to what they are computed from, migrations 059 and 076) and the parameters' stamp;
 * any institution whose key no longer matches is recomputed from the registry's rules, the staff
 * rules (staff_institution_findings, as each institution's own findings page makes them), 可视托's
 * (video_findings_in, as its video page does) and daily care's outdoor time (care_outdoor_findings
 * over the days before today, as the outdoor page marks them). */
#include "supervision/scan.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "care/outdoor.h"
#include "care/store_outdoor.h"
#include "registry/registry.h"
#include "registry/store.h"
#include "staff/staff.h"
#include "staff/store.h"
#include "video/api.h"

/* One institution's findings as computed for its key; a slot holds the last one whose id maps to
 * it (a collision replaces it: the next read recomputes). */
#define SCAN_CACHE_SLOTS 4096
/* Up to this many institutions to compute are each loaded alone; more, with their whole reach. */
#define SCAN_FEW 4
struct slot {
    int64_t id, stamp, params[2];
    char day[DATE_DAY_LEN];
    int count;
    struct scan_finding *findings;
};
static struct slot cache[SCAN_CACHE_SLOTS];
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static int slot_matches(const struct slot *s, const struct scan_head *h, const int64_t params[2], const char *day)
{
    return s->findings && s->id == h->id && s->stamp == h->stamp && s->params[0] == params[0] &&
           s->params[1] == params[1] && strcmp(s->day, day) == 0;
}

/* Room for one more finding in out; NULL when out of memory. */
static struct scan_finding *next_finding(struct scan *out, int *cap)
{
    if (out->nfindings == *cap) {
        int grown_cap = *cap ? *cap * 2 : 256;
        struct scan_finding *grown = realloc(out->findings, (size_t)grown_cap * sizeof *grown);
        if (!grown)
            return NULL;
        out->findings = grown;
        *cap = grown_cap;
    }
    return &out->findings[out->nfindings++];
}

/* Copy n findings to the end of out as institution k's. */
static int append(struct scan *out, int *cap, int k, const struct scan_finding *f, int n)
{
    out->institutions[k].first = out->nfindings;
    out->institutions[k].count = n;
    for (int i = 0; i < n; i++) {
        struct scan_finding *to = next_finding(out, cap);
        if (!to)
            return -1;
        *to = f[i];
    }
    return 0;
}

/* Keep institution h's findings f[0..n) under its key. */
static void remember(const struct scan_head *h, const int64_t params[2], const char *day,
                     const struct scan_finding *f, int n)
{
    struct scan_finding *copy = malloc((size_t)(n ? n : 1) * sizeof *copy);
    if (!copy)
        return; /* not kept: the next read computes it again */
    memcpy(copy, f, (size_t)n * sizeof *copy);
    pthread_mutex_lock(&cache_lock);
    struct slot *s = &cache[(uint64_t)h->id % SCAN_CACHE_SLOTS];
    free(s->findings);
    *s = (struct slot){.id = h->id, .stamp = h->stamp, .params = {params[0], params[1]}, .count = n, .findings = copy};
    snprintf(s->day, sizeof s->day, "%s", day);
    pthread_mutex_unlock(&cache_lock);
}

/* What institutions' findings are computed from, loaded for the reach once any is not kept. */
struct facts {
    struct registry_rules rules;
    char basis[RULE_COUNT][160];
    const char *basis_ptr[RULE_COUNT];
    struct staff_rules srules;
    struct institution *list;
    int n;
    struct staff *roster;
    int nstaff;
    json_t *video;
    struct care_outdoor_rules outdoor_rules;
    struct care_outdoor_day *outdoor; /* the days of care before today, by institution */
    int noutdoor;
    struct finding found[STAFF_MAX_FINDINGS];
    struct scan_finding made[STAFF_MAX_FINDINGS * 2];
};

static void facts_free(struct facts *f)
{
    free(f->list);
    free(f->roster);
    free(f->outdoor);
    json_decref(f->video);
    free(f);
}

static struct facts *facts_load(struct db *db, const char *district, const char *town, int64_t institution_id,
                                const char *today, struct err *e)
{
    struct facts *f = calloc(1, sizeof *f);
    if (!f) {
        err_set(e, 500, "oom", "", "内存不足");
        return NULL;
    }
    for (int i = 0; i < RULE_COUNT; i++)
        f->basis_ptr[i] = f->basis[i];
    struct registry_filter rf = {.town = town, .open_only = 1, .inclusive = -1, .day = today,
                                 .after_id = institution_id ? institution_id - 1 : 0, .limit = institution_id ? 1 : 0};
    struct staff_filter sf = {.town = town, .institution_id = institution_id};
    char first[DATE_DAY_LEN] = "", last[DATE_DAY_LEN] = "";
    if (care_outdoor_rules_load(db, district, today, &f->outdoor_rules, e) < 0 ||
        date_add_days(today, -f->outdoor_rules.review_days, first) < 0 || date_add_days(today, -1, last) < 0 ||
        care_outdoor_care_days(db, district, town, institution_id, first, last, &f->outdoor, &f->noutdoor, e) < 0) {
        facts_free(f);
        return NULL;
    }
    if (registry_rules_from_params(db, district, today, &f->rules, f->basis, e) < 0 ||
        staff_rules_from_params(db, district, today, &f->srules, e) < 0 ||
        registry_load_filtered(db, district, &rf, &f->list, &f->n, e) < 0 ||
        staff_roster(db, NULL, district, &sf, &f->roster, &f->nstaff, e) < 0 ||
        video_findings_in(db, district, town, institution_id, today, &f->video, e) < 0) {
        facts_free(f);
        return NULL;
    }
    return f;
}

static void subject_of(char out[40], const char *kind, int64_t id)
{
    if (id)
        snprintf(out, 40, "%s:%lld", kind, (long long)id);
    else
        out[0] = 0;
}

/* Finding x of the rules of source as the scan keeps it, its subject the person or the class. */
static void made_from(struct scan_finding *y, const char *source, const struct finding *x)
{
    memset(y, 0, sizeof *y);
    snprintf(y->source, sizeof y->source, "%s", source);
    snprintf(y->rule, sizeof y->rule, "%s", x->rule);
    snprintf(y->severity, sizeof y->severity, "%s", x->severity);
    snprintf(y->message, sizeof y->message, "%s", x->message);
    snprintf(y->basis, sizeof y->basis, "%s", x->basis);
    if (x->staff_id)
        subject_of(y->subject, "staff", x->staff_id);
    else
        subject_of(y->subject, "class", x->class_id);
    y->class_id = x->class_id;
    y->staff_id = x->staff_id;
}

/* The findings of in from f into f->made; their number. */
static int compute(struct facts *f, struct institution *in, const char *today)
{
    int n = 0;
    int nf = staff_institution_findings(in, f->roster, f->nstaff, &f->rules, f->basis_ptr, &f->srules, today, f->found,
                                        STAFF_MAX_FINDINGS);
    for (int k = 0; k < nf; k++)
        made_from(&f->made[n++], f->found[k].staff_id ? "staff" : "registry", &f->found[k]);
    /* 可视托: a children's room without a camera, recordings kept too briefly */
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)in->id);
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(f->video, id), k, v) {
        if (n == STAFF_MAX_FINDINGS * 2)
            break;
        struct scan_finding *y = &f->made[n++];
        memset(y, 0, sizeof *y);
        y->class_id = json_integer_value(json_object_get(v, "class_id"));
        y->camera_id = json_integer_value(json_object_get(v, "camera_id"));
        snprintf(y->source, sizeof y->source, "video");
        snprintf(y->rule, sizeof y->rule, "%s", json_string_value(json_object_get(v, "rule")));
        snprintf(y->severity, sizeof y->severity, "%s", json_string_value(json_object_get(v, "severity")));
        snprintf(y->message, sizeof y->message, "%s", json_string_value(json_object_get(v, "message")));
        snprintf(y->basis, sizeof y->basis, "%s", json_string_value(json_object_get(v, "basis")));
        if (y->class_id)
            subject_of(y->subject, "class", y->class_id);
        else
            subject_of(y->subject, "camera", y->camera_id);
    }
    /* 管理规范 第十八条: full-day care's outdoor time, over the days before today */
    if (in->service_types & (1u << SERVICE_FULL_DAY)) {
        int lo = 0, hi = f->noutdoor;
        while (lo < hi) { /* the institution's first day */
            int mid = (lo + hi) / 2;
            if (f->outdoor[mid].institution_id < in->id)
                lo = mid + 1;
            else
                hi = mid;
        }
        int end = lo;
        while (end < f->noutdoor && f->outdoor[end].institution_id == in->id)
            end++;
        int room = STAFF_MAX_FINDINGS * 2 - n;
        int ncare = care_outdoor_findings(f->outdoor + lo, end - lo, &f->outdoor_rules, f->found,
                                          room < STAFF_MAX_FINDINGS ? room : STAFF_MAX_FINDINGS);
        for (int c = 0; c < ncare; c++)
            made_from(&f->made[n++], "care", &f->found[c]);
    }
    return n;
}

/* Compute and keep the findings of each institution of out not yet filled that the facts of the
 * reach (town, institution_id) hold. */
static int fill(struct db *db, const char *district, const char *town, int64_t institution_id, const char *today,
                const int64_t params[2], struct scan *out, int *cap, struct err *e)
{
    struct facts *f = facts_load(db, district, town, institution_id, today, e);
    if (!f)
        return -1;
    int rc = 0;
    for (int i = 0, at = 0; rc == 0 && i < out->n; i++) {
        struct scan_institution *si = &out->institutions[i];
        if (si->count >= 0)
            continue;
        while (at < f->n && f->list[at].id < si->head.id)
            at++;
        if (at == f->n || f->list[at].id != si->head.id)
            continue;
        int n = compute(f, &f->list[at], today);
        rc = append(out, cap, i, f->made, n);
        if (rc == 0)
            remember(&si->head, params, today, f->made, n);
    }
    facts_free(f);
    return rc;
}

int supervision_scan(struct db *db, const char *district, const char *town, int64_t institution_id, const char *today,
                     struct scan *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct scan_head *heads;
    int nheads, cap = 0;
    int64_t params[2];
    if (supervision_store_heads(db, district, town, institution_id, &heads, &nheads, params, e) < 0)
        return -1;
    out->institutions = calloc((size_t)(nheads ? nheads : 1), sizeof *out->institutions);
    if (!out->institutions) {
        free(heads);
        return err_set(e, 500, "oom", "", "内存不足");
    }
    out->n = nheads;
    int misses = 0, rc = 0;
    /* the kept ones */
    pthread_mutex_lock(&cache_lock);
    for (int i = 0; i < nheads && rc == 0; i++) {
        out->institutions[i].head = heads[i];
        const struct slot *s = &cache[(uint64_t)heads[i].id % SCAN_CACHE_SLOTS];
        if (slot_matches(s, &heads[i], params, today))
            rc = append(out, &cap, i, s->findings, s->count);
        else
            out->institutions[i].count = -1, misses++;
    }
    pthread_mutex_unlock(&cache_lock);
    free(heads);
    /* the others: a few, each from its own facts; more, from the facts of the whole reach (as cheap
     * as a few institutions') */
    for (int i = 0; rc == 0 && misses > 0 && misses <= SCAN_FEW && i < out->n; i++)
        if (out->institutions[i].count < 0)
            rc = fill(db, district, NULL, out->institutions[i].head.id, today, params, out, &cap, e);
    if (rc == 0 && misses > SCAN_FEW)
        rc = fill(db, district, town, institution_id, today, params, out, &cap, e);
    for (int i = 0; rc == 0 && i < out->n; i++)
        if (out->institutions[i].count < 0)
            out->institutions[i].count = 0; /* closed since its head was read: nothing to show, nothing kept */
    if (rc < 0) {
        if (!e->code[0])
            err_set(e, 500, "oom", "", "内存不足");
        scan_free(out);
        return -1;
    }
    return 0;
}

void scan_free(struct scan *s)
{
    free(s->institutions);
    free(s->findings);
    memset(s, 0, sizeof *s);
}
