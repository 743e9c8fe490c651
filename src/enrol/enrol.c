/* enrol.c — the rules of enrolment: free places, age bands, the application and offer
 * transition tables, priority points, the offer deadline and a round's explanation. Pure. */
#include "enrol/enrol.h"

#include <stdio.h>
#include <string.h>

int enrol_free_places(int capacity, int enrolled, int held)
{
    int n = capacity - enrolled - held;
    return n > 0 ? n : 0;
}

void enrol_class_free_places(int n, const int *capacity, const int *enrolled, int held, int *free_places)
{
    int taken = held; /* held places, then children beyond a class's capacity, fill rooms in class order */
    for (int i = 0; i < n; i++)
        if (enrolled[i] > capacity[i])
            taken += enrolled[i] - capacity[i];
    for (int i = 0; i < n; i++) {
        int room = enrol_free_places(capacity[i], enrolled[i], 0);
        int share = taken < room ? taken : room;
        taken -= share;
        free_places[i] = enrol_free_places(capacity[i], enrolled[i], share);
    }
}

/* ---- one place per child ---- */

int enrol_may_book(const struct enrol_holding *h, struct err *e)
{
    if (h->booking_id)
        return err_set(e, 409, "already_booked", "child_id", "该孩子已有有效的入托预约，请先取消后再预约");
    if (h->offers_accepted > 0)
        return err_set(e, 409, "already_placed", "child_id", "该孩子已接受入托录取，不能再预约其他托位");
    if (h->offers_open > 0)
        return err_set(e, 409, "offer_pending", "child_id",
                       "该孩子有待确认的入托录取，请先在申请详情中接受或放弃录取，再预约其他托位");
    return 0;
}

int64_t enrol_accept_releases(const struct enrol_holding *h) { return h->booking_id; }

/* ---- age bands ---- */

int enrol_bands_check(const struct enrol_bands *b, int t, const char *date, struct err *e)
{
    int first = t < 0 ? 0 : t, last = t < 0 ? CLASS_TYPE_COUNT - 1 : t;
    for (int k = first; k <= last; k++) {
        const char *bound = b->min_months[k] < 0 ? "min_months" : b->max_months[k] < 0 ? "max_months" : NULL;
        if (bound) {
            char key[64];
            snprintf(key, sizeof key, "class.%s.%s", class_type_code((enum class_type)k), bound);
            return err_set(e, 500, "param_missing", key, "参数 %s 在 %s 没有有效的数值", key, date);
        }
    }
    return 0;
}

int enrol_age_months(const char *birth_date, const char *start_month)
{
    char first[11];
    snprintf(first, sizeof first, "%.7s-01", start_month);
    if (strcmp(first, birth_date) < 0)
        return -1;
    return date_months_between(birth_date, first);
}

int enrol_band_fits(const struct enrol_bands *b, enum class_type t, int age_months)
{
    return age_months >= 0 && age_months >= b->min_months[t] && age_months < b->max_months[t];
}

/* ---- transition tables ---- */

struct move {
    const char *from, *event, *to;
};

static const struct move APP_MOVES[] = {
    {"", "create", "draft"},
    {"draft", "update", "draft"},
    {"draft", "submit", "submitted"},
    {"submitted", "freeze", "in_round"},
    {"in_round", "offer", "offered"},
    {"in_round", "waitlist", "waitlisted"},
    {"waitlisted", "offer", "offered"},
    {"offered", "offer", "offered"}, /* a re-run offers a higher choice instead */
    {"offered", "waitlist", "waitlisted"},
    {"offered", "accept", "accepted"},
    {"offered", "decline", "declined"},
    {"offered", "lapse", "lapsed"},
    {"draft", "withdraw", "withdrawn"},
    {"submitted", "withdraw", "withdrawn"},
    {"in_round", "withdraw", "withdrawn"},
    {"offered", "withdraw", "withdrawn"},
    {"waitlisted", "withdraw", "withdrawn"},
    {NULL, NULL, NULL},
};

static const struct move OFFER_MOVES[] = {
    {"", "offer", "offered"},
    {"offered", "accept", "accepted"},   {"offered", "decline", "declined"},
    {"offered", "lapse", "lapsed"},      {"offered", "withdraw", "withdrawn"},
    {"offered", "supersede", "superseded"}, {NULL, NULL, NULL},
};

const struct enrol_person_move enrol_person_moves[] = {
    {"update", "application.update"}, {"submit", "application.submit"}, {"withdraw", "application.withdraw"},
    {"accept", "offer.accept"},       {"decline", "offer.decline"},     {NULL, NULL},
};

static const char *next_of(const struct move *table, const char *state, const char *event)
{
    for (const struct move *m = table; m->from; m++)
        if (state && event && strcmp(m->from, state) == 0 && strcmp(m->event, event) == 0)
            return m->to;
    return NULL;
}

const char *enrol_app_next(const char *state, const char *event) { return next_of(APP_MOVES, state, event); }

int enrol_app_may(const char *state, const char *event) { return enrol_app_next(state, event) != NULL; }

int enrol_app_closed(const char *state)
{
    if (strcmp(state, enrol_app_next("offered", "accept")) == 0)
        return 0; /* final, and holds its place */
    for (const struct move *m = APP_MOVES; m->from; m++)
        if (strcmp(m->from, state) == 0)
            return 0; /* it can still move */
    return 1;
}

const char *enrol_offer_next(const char *state, const char *event) { return next_of(OFFER_MOVES, state, event); }

/* ---- priority points ---- */

const char *const enrol_criteria_keys[] = {"multi_child", "both_parents_working", "ouhai_residence", "disability",
                                           "hardship", NULL};

void enrol_criteria_parse(const char *json_text, struct enrol_criteria *c)
{
    memset(c, 0, sizeof *c);
    json_t *j = json_loads(json_text ? json_text : "{}", 0, NULL);
    int *dst[] = {&c->multi_child, &c->both_parents_working, &c->ouhai_residence, &c->disability, &c->hardship};
    for (int i = 0; enrol_criteria_keys[i]; i++)
        *dst[i] = json_is_true(json_object_get(j, enrol_criteria_keys[i]));
    json_decref(j);
}

int enrol_points_from_params(const struct params *p, struct enrol_points_table *t, struct err *e)
{
    double *dst[] = {&t->multi_child, &t->both_parents_working, &t->ouhai_residence, &t->disability,
                     &t->hardship, &t->sibling_at_institution, &t->same_town};
    const char *keys[] = {"multi_child", "both_parents_working", "ouhai_residence", "disability",
                          "hardship", "sibling_at_institution", "same_town"};
    for (int i = 0; i < 7; i++) {
        char key[64];
        snprintf(key, sizeof key, "enrol.points.%s", keys[i]);
        if (params_num(p, key, dst[i], e) < 0)
            return -1;
    }
    return 0;
}

double enrol_points(const struct enrol_points_table *t, const struct enrol_criteria *c, int sibling, int same_town)
{
    double p = 0;
    p += c->multi_child ? t->multi_child : 0;
    p += c->both_parents_working ? t->both_parents_working : 0;
    p += c->ouhai_residence ? t->ouhai_residence : 0;
    p += c->disability ? t->disability : 0;
    p += c->hardship ? t->hardship : 0;
    p += sibling ? t->sibling_at_institution : 0;
    p += same_town ? t->same_town : 0;
    return p;
}

double enrol_choice_points(const struct enrol_points_table *t, const struct enrol_criteria *c, int siblings,
                           const char *child_town, const char *inst_town)
{
    return enrol_points(t, c, siblings > 0, child_town && child_town[0] && inst_town && strcmp(inst_town, child_town) == 0);
}

/* ---- rounds ---- */

int enrol_offer_deadline(const struct params *p, const char *today, char deadline[DATE_DAY_LEN], struct err *e)
{
    double days;
    if (params_num(p, "enrol.offer_deadline_days", &days, e) < 0)
        return -1;
    char d[DATE_DAY_LEN];
    if (date_add_days(today, (int64_t)days, d) < 0)
        return err_set(e, 500, "bad_date", "", "日期计算失败");
    snprintf(deadline, DATE_DAY_LEN, "%s", d);
    return 0;
}

/* The cut-off of (inst, type) in a round's cutoffs, borrowed; NULL when none. */
static json_t *find_cutoff(const json_t *cutoffs, int64_t inst, const char *type)
{
    size_t i;
    json_t *c;
    json_array_foreach(cutoffs, i, c) if (json_integer_value(json_object_get(c, "institution_id")) == inst &&
                                          strcmp(json_string_value(json_object_get(c, "class_type")), type) == 0) return c;
    return NULL;
}

void enrol_explain(json_t *choices, const json_t *cutoffs, int64_t lottery)
{
    size_t i;
    json_t *ch;
    json_array_foreach(choices, i, ch)
    {
        json_t *cut = cutoffs ? find_cutoff(cutoffs, json_integer_value(json_object_get(ch, "institution_id")),
                                            json_string_value(json_object_get(ch, "class_type")))
                              : NULL;
        if (!cut)
            continue;
        json_object_set(ch, "cutoff", cut);
        /* would this child have got in here? (not full, or ahead of the last admitted) */
        double pts = json_number_value(json_object_get(ch, "points"));
        int full = json_is_true(json_object_get(cut, "full"));
        double lp = json_number_value(json_object_get(cut, "last_points"));
        int64_t ll = json_integer_value(json_object_get(cut, "last_lottery"));
        int ahead = json_is_null(json_object_get(cut, "last_application_id")) ? 0
                    : pts > lp || (pts == lp && lottery > 0 && lottery <= ll);
        json_object_set_new(ch, "within_cutoff", json_boolean(!full || ahead));
    }
}
