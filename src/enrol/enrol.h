/* enrol.h — the rules of enrolment (入托一件事), pure: no database, no clock, no HTTP.
 *   - a program is an institution's class type; its free places are capacity − enrolled − held
 *     (active first-come bookings and open offers);
 *   - a child fits a class type by its completed months on the first day of the start month, within
 *     the type's age band (parameters class.<type>.min_months / max_months);
 *   - an application, and an offer, move between states only along one transition table; the API
 *     shows each application the moves its reader may make now;
 *   - priority points weigh the criteria a family declares, and two the data decides (a sibling at
 *     the institution, the child's town being the institution's), by the dated points table;
 *   - a round's explanation: whether a child was within each choice's cut-off.
 * The figures come from the parameters in force (params.h), loaded once per request. */
#ifndef TUOYU_ENROL_H
#define TUOYU_ENROL_H

#include <jansson.h>

#include "base/date.h"
#include "base/err.h"
#include "params/params.h"
#include "registry/registry.h"

/* What a family brings to start at an institution: the child's birth certificate and household
 * register (or residence permit) for identity and residence, the vaccination certificate and the
 * health check before entering care that 《托儿所幼儿园卫生保健管理办法》（卫生部、教育部令第76号）
 * 第十五条 requires of every child. */
#define ENROL_DOCUMENTS "孩子的出生医学证明、户口簿（或居住证）、预防接种证和入托（园）健康检查表"

/* ---- places and age bands ---- */

/* Free places of a program: capacity − enrolled − held, never below 0. */
int enrol_free_places(int capacity, int enrolled, int held);
/* Each class's own free places among the n classes of one program (capacity[i], enrolled[i], in
 * the order enrolment fills them: class id ascending) into free_places[i]. The program's held
 * places, and children a class holds beyond its capacity, take the room of the classes in that
 * order, so the classes' free places add up to enrol_free_places of the program's sums. */
void enrol_class_free_places(int n, const int *capacity, const int *enrolled, int held, int *free_places);

/* ---- one place per child ----
 * A child holds at most one place. A booking, an accepted offer and an offer waiting for the
 * family's answer each hold one. Booking a free place is refused while the child holds any of
 * them; accepting an offer is the family's choice of that place over a booking made earlier, so
 * the booking is released (the family and the booked institution are told). An offer may reach a
 * child that holds a booking (a round does not look at bookings): until the family answers, the
 * child holds two places; its answer settles it. */
struct enrol_holding {
    int64_t booking_id;      /* the child's active booking, 0 when none */
    int64_t offers_open;     /* its offers waiting for the family's answer */
    int64_t offers_accepted; /* its accepted offers */
};
/* 0 when the child may book a free place; else -1 with e (409 already_booked, already_placed or
 * offer_pending). */
int enrol_may_book(const struct enrol_holding *h, struct err *e);
/* The booking that accepting an offer releases (0: none). */
int64_t enrol_accept_releases(const struct enrol_holding *h);

/* Age bands by class type in months [min, max); -1 where the parameter is missing or not a
 * number. */
struct enrol_bands {
    int min_months[CLASS_TYPE_COUNT];
    int max_months[CLASS_TYPE_COUNT];
};
/* 0 when class type t's band (every type's when t < 0) is known; otherwise -1 with e = 500
 * param_missing naming the first missing parameter and date (the day the bands were read for). */
int enrol_bands_check(const struct enrol_bands *b, int t, const char *date, struct err *e);
/* Completed months of age on the first day of start_month (YYYY-MM); -1 when not yet born. */
int enrol_age_months(const char *birth_date, const char *start_month);
/* 1 when a child of age_months may join a class of type t. */
int enrol_band_fits(const struct enrol_bands *b, enum class_type t, int age_months);

/* ---- applications and offers: the transition tables ----
 * Application: (none) -create-> draft -submit-> submitted -freeze-> in_round -offer-> offered
 * -accept|decline|lapse-> accepted | declined | lapsed; in_round -waitlist-> waitlisted -offer->
 * offered (a re-run); a re-run may replace an offer (offered -offer-> offered); a draft may be
 * edited (update); withdraw from any state before a final one. "" names "no application yet".
 * Offer: (none) -offer-> offered -accept|decline|lapse|withdraw|supersede-> accepted | declined |
 * lapsed | withdrawn | superseded. */

/* The state an application in state moves to on event, or NULL when the table has no such move. */
const char *enrol_app_next(const char *state, const char *event);
/* 1 when enrol_app_next(state, event) is a move. */
int enrol_app_may(const char *state, const char *event);
/* 1 when an application in state has no place and no way to one (declined, lapsed, withdrawn):
 * the child may apply for the intake again. */
int enrol_app_closed(const char *state);
/* The state an offer in state moves to on event, or NULL. */
const char *enrol_offer_next(const char *state, const char *event);

/* The moves a person makes (the others are the round's: freeze, offer, waitlist, lapse), each
 * with the policy action it takes; ended by {NULL, NULL}. */
struct enrol_person_move {
    const char *event;  /* "update", "submit", "withdraw", "accept", "decline" */
    const char *action; /* "application.update", …, "offer.accept", "offer.decline" */
};
extern const struct enrol_person_move enrol_person_moves[];

/* ---- priority points ---- */

/* The criteria a family declares (1 = applies). */
struct enrol_criteria {
    int multi_child;          /* 多孩家庭 */
    int both_parents_working; /* 父母双方在职 */
    int ouhai_residence;      /* 瓯海户籍或社保 */
    int disability;           /* 残疾 */
    int hardship;             /* 低保、低边、特困 */
};
/* The criteria keys in the order of struct enrol_criteria, NULL-terminated. */
extern const char *const enrol_criteria_keys[];
/* The declared criteria from their stored JSON text (true values count; anything else does not). */
void enrol_criteria_parse(const char *json_text, struct enrol_criteria *c);

/* Points of each criterion (parameters enrol.points.<criterion>). */
struct enrol_points_table {
    double multi_child, both_parents_working, ouhai_residence, disability, hardship;
    double sibling_at_institution, same_town;
};
/* The points table in the parameters p. 0, or -1 with e (500 param_missing). */
int enrol_points_from_params(const struct params *p, struct enrol_points_table *t, struct err *e);
/* A child's points at one program: the sum of the points of every criterion that applies. */
double enrol_points(const struct enrol_points_table *t, const struct enrol_criteria *c, int sibling, int same_town);
/* The same for one choice, from the data: siblings = the child's brothers and sisters attending
 * the institution, child_town = the child's hukou town ("" when unknown), inst_town = the
 * institution's town. */
double enrol_choice_points(const struct enrol_points_table *t, const struct enrol_criteria *c, int siblings,
                           const char *child_town, const char *inst_town);

/* ---- rounds ---- */

/* The last day to accept an offer made on today: today + enrol.offer_deadline_days (parameters
 * p). 0, or -1 with e. */
int enrol_offer_deadline(const struct params *p, const char *today, char deadline[DATE_DAY_LEN], struct err *e);
/* Explain an application after a round: to each member of choices (objects with institution_id,
 * class_type, points) add its program's "cutoff" from the round's cutoffs (an array, may be NULL)
 * and "within_cutoff": the program was not full, or this child (points, lottery number; 0 when
 * none) ranks with or ahead of the last one admitted there. */
void enrol_explain(json_t *choices, const json_t *cutoffs, int64_t lottery);

#endif
