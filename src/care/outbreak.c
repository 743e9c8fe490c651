/* outbreak.c — the outbreak early warning engine (outbreak.h): filter the window's sick
 * child-days, expand them to (group, class, child) keys, sort, and count distinct children per
 * class and per institution. */
#include "care/outbreak.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *code, *name;
} GROUPS[OUTBREAK_GROUP_COUNT] = {
    [OUTBREAK_FEVER] = {"fever", "发热"},
    [OUTBREAK_RESPIRATORY] = {"respiratory", "呼吸道症状"},
    [OUTBREAK_RASH] = {"rash", "皮疹"},
    [OUTBREAK_HFMD] = {"hfmd", "手足口病样症状"},
    [OUTBREAK_VARICELLA] = {"varicella", "水痘样疱疹"},
    [OUTBREAK_GASTRO] = {"gastro", "消化道症状"},
    [OUTBREAK_EYE] = {"eye", "红眼病样症状"},
    [OUTBREAK_MUMPS] = {"mumps", "腮腺炎样症状"},
    [OUTBREAK_JAUNDICE] = {"jaundice", "黄疸"},
    [OUTBREAK_ILLNESS_ABSENCE] = {"illness_absence", "因病缺勤"},
};

const char *outbreak_group_code(int g) { return g >= 0 && g < OUTBREAK_GROUP_COUNT ? GROUPS[g].code : ""; }
const char *outbreak_group_name(int g) { return g >= 0 && g < OUTBREAK_GROUP_COUNT ? GROUPS[g].name : ""; }

int outbreak_group_of(const char *code)
{
    for (int g = 0; code && g < OUTBREAK_GROUP_COUNT; g++)
        if (strcmp(GROUPS[g].code, code) == 0)
            return g;
    return -1;
}

struct key {
    int group;
    int64_t class_id, child_id;
    int32_t day;
};

static int by_group_class_child(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if (x->class_id != y->class_id)
        return x->class_id < y->class_id ? -1 : 1;
    if (x->child_id != y->child_id)
        return x->child_id < y->child_id ? -1 : 1;
    return (x->day > y->day) - (x->day < y->day);
}

static int by_group_child(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if (x->child_id != y->child_id)
        return x->child_id < y->child_id ? -1 : 1;
    return (x->day > y->day) - (x->day < y->day);
}

static int alert_order(const void *a, const void *b)
{
    const struct outbreak_alert *x = a, *y = b;
    if (x->scope != y->scope)
        return x->scope < y->scope ? -1 : 1;
    if (x->class_id != y->class_id)
        return x->class_id < y->class_id ? -1 : 1;
    return (x->group > y->group) - (x->group < y->group);
}

/* The alert of keys [lo, hi) (one group, and one class when scope is a class) if it has at least
 * min distinct children: added to out (when room), counted in *count. */
static void judge(const struct key *k, size_t lo, size_t hi, enum outbreak_scope scope, int min,
                  struct outbreak_alert *out, int max, int *count)
{
    int distinct = 0;
    for (size_t i = lo; i < hi; i++)
        distinct += i == lo || k[i].child_id != k[i - 1].child_id;
    if (distinct < min)
        return;
    if (*count < max) {
        struct outbreak_alert *a = &out[*count];
        memset(a, 0, sizeof *a);
        a->group = k[lo].group;
        a->scope = scope;
        a->class_id = scope == OUTBREAK_CLASS ? k[lo].class_id : 0;
        a->first_day = k[lo].day;
        a->last_day = k[lo].day;
        for (size_t i = lo; i < hi; i++) {
            if (k[i].day < a->first_day)
                a->first_day = k[i].day;
            if (k[i].day > a->last_day)
                a->last_day = k[i].day;
            if ((i == lo || k[i].child_id != k[i - 1].child_id) && a->nchildren < OUTBREAK_MAX_CHILDREN)
                a->children[a->nchildren++] = k[i].child_id;
        }
        a->nchildren = distinct;
    }
    (*count)++;
}

int outbreak_scan(const struct outbreak_case *cases, size_t n, int32_t end_day, const struct outbreak_rules *r,
                  struct outbreak_alert *out, int max)
{
    if (r->class_cases < 1 || r->institution_cases < 1 || r->window_days < 1)
        return -1;
    int32_t first = end_day - r->window_days + 1;
    /* the scan: most days of most children have no symptom and fall outside the window */
    size_t nkeys = 0;
    for (size_t i = 0; i < n; i++)
        if (cases[i].groups && cases[i].day >= first && cases[i].day <= end_day)
            nkeys += (size_t)__builtin_popcount(cases[i].groups & ((1u << OUTBREAK_GROUP_COUNT) - 1));
    int count = 0;
    if (nkeys == 0)
        return 0;
    struct key *k = malloc(nkeys * sizeof *k);
    if (!k)
        return -1;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const struct outbreak_case *c = &cases[i];
        if (!c->groups || c->day < first || c->day > end_day)
            continue;
        for (int g = 0; g < OUTBREAK_GROUP_COUNT; g++)
            if (c->groups & (1u << g))
                k[m++] = (struct key){g, c->class_id, c->child_id, c->day};
    }
    qsort(k, m, sizeof *k, by_group_class_child);
    for (size_t lo = 0, hi; lo < m; lo = hi) {
        for (hi = lo + 1; hi < m && k[hi].group == k[lo].group && k[hi].class_id == k[lo].class_id; hi++)
            ;
        judge(k, lo, hi, OUTBREAK_CLASS, r->class_cases, out, max, &count);
    }
    qsort(k, m, sizeof *k, by_group_child);
    for (size_t lo = 0, hi; lo < m; lo = hi) {
        for (hi = lo + 1; hi < m && k[hi].group == k[lo].group; hi++)
            ;
        judge(k, lo, hi, OUTBREAK_INSTITUTION, r->institution_cases, out, max, &count);
    }
    free(k);
    qsort(out, (size_t)(count < max ? count : max), sizeof *out, alert_order);
    return count;
}
