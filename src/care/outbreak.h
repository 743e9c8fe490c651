/* outbreak.h — the outbreak early warning (issue 15 item 6, requirements C3.3): a pure engine
 * over one institution's sick child-days — the 晨午检 checks with their symptom groups and the
 * illness absences — that raises an alert when at least class_cases children of one class, or
 * institution_cases children of the institution, show the same symptom group within window_days
 * days ending on a day. No database, no clock; the figures come from the parameters
 * care.outbreak.* (store the rule that fired and its basis with the alert). */
#ifndef TUOYU_CARE_OUTBREAK_H
#define TUOYU_CARE_OUTBREAK_H

#include <stddef.h>
#include <stdint.h>

/* The symptom groups counted (bit i of a case's groups), in care.c's symptom table order of
 * groups, and the illness absence as a group of its own. */
enum outbreak_group {
    OUTBREAK_FEVER, OUTBREAK_RESPIRATORY, OUTBREAK_RASH, OUTBREAK_HFMD, OUTBREAK_VARICELLA, OUTBREAK_GASTRO,
    OUTBREAK_EYE, OUTBREAK_MUMPS, OUTBREAK_JAUNDICE, OUTBREAK_ILLNESS_ABSENCE, OUTBREAK_GROUP_COUNT
};
/* The group's code ("hfmd") and Chinese name; outbreak_group_of("hfmd") → OUTBREAK_HFMD, -1 when
 * the code is not a group the warning counts (injury, other). */
const char *outbreak_group_code(int g);
const char *outbreak_group_name(int g);
int outbreak_group_of(const char *code);

/* One sick child-day: a check with symptoms, or an illness absence. */
struct outbreak_case {
    int64_t child_id;
    int64_t class_id;
    int32_t day;       /* date_to_days */
    uint32_t groups;   /* bit g set: the child showed group g that day */
};

struct outbreak_rules {
    int class_cases;        /* children of one class … */
    int institution_cases;  /* … or of the institution … */
    int window_days;        /* … with the same group within this many days, the last day included */
};

#define OUTBREAK_MAX_CHILDREN 64 /* children an alert lists (the count goes on) */

enum outbreak_scope { OUTBREAK_CLASS, OUTBREAK_INSTITUTION };

struct outbreak_alert {
    int group;
    enum outbreak_scope scope;
    int64_t class_id;            /* OUTBREAK_CLASS: the class; 0 for the institution */
    int32_t first_day, last_day; /* the cases' days */
    int nchildren;               /* distinct children */
    int64_t children[OUTBREAK_MAX_CHILDREN]; /* ascending, the first OUTBREAK_MAX_CHILDREN */
};

/* The alerts of n cases (one institution's, any order) for the window ending on end_day: for
 * each group, every class with class_cases or more distinct children and the institution when it
 * has institution_cases or more (an institution alert is raised besides the class alerts). Up
 * to max into out, sorted: class alerts by class id then group, then the institution's by group
 * (when there are more than max, class alerts are kept before the institution's); returns how
 * many there are (may exceed max), or -1 when rules are not positive or memory runs out. */
int outbreak_scan(const struct outbreak_case *cases, size_t n, int32_t end_day, const struct outbreak_rules *r,
                  struct outbreak_alert *out, int max);

#endif
