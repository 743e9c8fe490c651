/* store.h — every SQL text of enrolment (入托一件事), one function per query: programs and their
 * held places, first-come bookings and visit appointments (store.c), applications, rounds and
 * offers (store_rounds.c). Functions run on the caller's connection; writers expect the caller
 * to hold a transaction and to write the audit row in it. Reads the API serves as lists return
 * their rows as JSON objects (the handlers page, filter and add what rules decide); reads the
 * handlers decide on return structs. Rules are not here: states to move to, points and free
 * places come from enrol.c, and where a statement guards a move (… AND status = ?) the caller
 * passes the states from the transition table.
 *
 * Return values: 0 (or a count, a 1/0 "found") on success, -1 with e on error. */
#ifndef TUOYU_ENROL_STORE_H
#define TUOYU_ENROL_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "db/db.h"
#include "enrol/enrol.h"

#define ENROL_MAX_CHOICES 16 /* input sanity; the rule is the parameter enrol.max_choices */

/* ---- institutions, children, programs (store.c) ---- */

/* An institution of the district: its town and whether it is filed. 1 found, 0 not, -1. */
int enrol_store_institution(struct db *db, const char *district, int64_t id, char town[16], int *filed, struct err *e);
/* {"<id>": name} of the district's institutions into *names (new reference). */
int enrol_store_institution_names(struct db *db, const char *district, json_t **names, struct err *e);

/* A child of the district: its family's user id (0 when none), birth date and hukou town, and —
 * when band_date is not NULL — every class type's age band in force on band_date (-1 where a
 * parameter is missing), all in one statement. */
struct enrol_child {
    int found;
    int64_t owner;
    char birth[11];
    char town[16];
    struct enrol_bands bands;
};
int enrol_store_child(struct db *db, const char *district, int64_t id, const char *band_date, struct enrol_child *c,
                      struct err *e);
/* Every class type's age band in force on date (labels and forms show them); -1 with e =
 * param_missing when a band parameter is missing. */
int enrol_store_bands(struct db *db, const char *district, const char *date, struct enrol_bands *b, struct err *e);
/* Lock the child's row until commit (PostgreSQL; SQLite's BEGIN IMMEDIATE already excludes every
 * other writer, so nothing is sent there). */
int enrol_store_lock_child(struct db *db, int64_t child_id, struct err *e);

/* A program's capacity, classes and held places (active bookings + open offers), rows as
 * {"class_type", "classes", "capacity", "enrolled", "booked", "offered"} for institution inst. */
int enrol_store_programs(struct db *db, int64_t inst, json_t **rows, struct err *e);
/* Lock program (inst, class type)'s class rows until commit (PostgreSQL: SELECT … FOR UPDATE;
 * nothing on SQLite, see enrol_store_lock_child). */
int enrol_store_lock_program(struct db *db, int64_t inst, const char *class_type, struct err *e);
/* The program's capacity, enrolment and held places; call after enrol_store_lock_program when the
 * answer decides a write. */
int enrol_store_program_places(struct db *db, int64_t inst, const char *class_type, int *capacity, int *enrolled,
                               int *held, struct err *e);
/* Enrol one child in a class of the program with room (the lowest id): *class_id, or 0 when every
 * class is full. Call with the program locked. */
int enrol_store_enrol_child(struct db *db, int64_t inst, const char *class_type, int64_t child_id, const char *now_ts,
                            int64_t *class_id, struct err *e);

/* The public list of programs of filed institutions, in (institution id, class type) order after
 * the cursor (after_id 0: from the start), filtered by town and class type when not NULL; rows as
 * {"institution_id", "name", "town_code", "town_name", "class_type", "capacity", "enrolled",
 * "held", "inclusive", "lon", "lat", "monthly_fee_fen" (fees_monthly_full_day of the catalogue in
 * force on day; null when none)}. */
int enrol_store_vacancies(struct db *db, const char *district, const char *day, const char *town,
                          const char *class_type, int64_t after_id, const char *after_key, json_t **rows, struct err *e);

/* ---- first-come bookings (store.c) ---- */

/* What a booking decision needs, in one statement (one snapshot, one round trip): the child's
 * owner and birth date, class type's age band in force on first_day, the child's active bookings,
 * and the program's capacity, enrolment and held places. */
struct enrol_booking_state {
    int found;            /* the child exists in this district */
    int64_t owner;        /* its family's user id, 0 when none */
    char birth[11];
    struct enrol_bands bands; /* the band of the class type asked for (the others 0) */
    struct enrol_holding holding; /* what the child holds already (one place per child) */
    int capacity, enrolled, classes, filed;
    int64_t held;         /* the program's held places: active bookings + open offers */
};
int enrol_store_booking_state(struct db *db, const char *district, int64_t child_id, int64_t inst,
                              const char *class_type, const char *first_day, struct enrol_booking_state *bs,
                              struct err *e);
/* What child child_id holds (enrol_holding) and, when it holds a booking, that booking's
 * institution, its name, class type and start month, and the child's masked name. */
struct enrol_child_places {
    struct enrol_holding holding;
    int64_t booking_institution;
    char booking_institution_name[256], booking_class_type[24], booking_start_month[8], child_name[96];
};
int enrol_store_child_places(struct db *db, int64_t child_id, struct enrol_child_places *p, struct err *e);
/* The active accounts of institution inst's operators (to tell it of a change): at most max ids. */
int enrol_store_institution_users(struct db *db, int64_t inst, int64_t *ids, int max, int *n, struct err *e);
/* Insert an active booking; *id. A second active booking of the child (unique index) is 409
 * already_booked. */
int enrol_store_booking_insert(struct db *db, const char *district, int64_t child_id, int64_t inst,
                               const char *class_type, const char *start_month, int64_t family, const char *now_ts,
                               int64_t *id, struct err *e);
/* The family of active booking id: 1 found (*owner), 0 not, -1. */
int enrol_store_booking_owner(struct db *db, int64_t id, int64_t *owner, struct err *e);
/* Cancel active booking id: 1 cancelled, 0 when it was not active, -1. */
int enrol_store_booking_cancel(struct db *db, int64_t id, const char *now_ts, struct err *e);
/* Bookings of the district within scope, newest first, before the cursor (0: from the newest), at
 * most limit; rows as the API's booking items, with family_user_id and the child's sealed name
 * (child_name_sealed) for the handler to reveal or drop. */
int enrol_store_bookings(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope,
                         int64_t before_id, int limit, json_t **rows, struct err *e);

/* ---- visit appointments (store.c) ---- */

/* One slot as the API shows it to staff ({"id", "institution_id", "institution_name", "starts_at",
 * "ends_at", "capacity", "booked", "remaining", "note", "status"}). 1 found, 0 not, -1. */
int enrol_store_slot(struct db *db, int64_t id, json_t **slot, struct err *e);
/* Slots of institution inst starting at from_ts or later, in (starts_at, id) order after the
 * cursor, at most limit; open_only: only open slots of a filed institution (the public list). */
int enrol_store_slots(struct db *db, const char *district, int64_t inst, const char *from_ts, int open_only,
                      int64_t after_id, const char *after_key, int limit, json_t **rows, struct err *e);
/* The bookings of inst's slots from (first_key, first_id) to (last_key, last_id) in slot order,
 * rows {"slot_id", "id", "family_name" (unmasked), "visitors", "status", "created_at"}. */
int enrol_store_slot_bookings(struct db *db, int64_t inst, const char *from_ts, const char *first_key,
                              int64_t first_id, const char *last_key, int64_t last_id, json_t **rows, struct err *e);
int enrol_store_slot_insert(struct db *db, const char *district, int64_t inst, const char *starts_ts,
                            const char *ends_ts, int64_t capacity, const char *note, int64_t user, const char *now_ts,
                            int64_t *id, struct err *e);
/* An open slot of inst overlapping [starts_ts, ends_ts): 1 with its start in starts_at, 0 none, -1. */
int enrol_store_slot_overlap(struct db *db, int64_t inst, const char *starts_ts, const char *ends_ts,
                             char starts_at[DATE_TIMESTAMP_LEN], struct err *e);
/* A slot with its institution: for cancelling it, and for a booking's answer. */
/* How a family reaches an institution: 1 found, 0 not, -1. */
struct enrol_contact {
    char name[256], phone[64], address[256];
};
int enrol_store_institution_contact(struct db *db, int64_t inst, struct enrol_contact *c, struct err *e);

struct enrol_slot {
    int64_t institution_id;
    char town[16], institution_name[256], status[16], starts_at[32], ends_at[32];
    int institution_filed;
};
/* 1 found, 0 not, -1. */
int enrol_store_slot_read(struct db *db, const char *district, int64_t id, struct enrol_slot *s, struct err *e);
/* Cancel open slot id and its active bookings: *ids / *users (at most max) of the bookings
 * cancelled, *n of them. 1 cancelled, 0 when it was not open, -1. */
int enrol_store_slot_cancel(struct db *db, int64_t id, const char *now_ts, int64_t *ids, int64_t *users, int max,
                            int *n, struct err *e);
/* Take a place on open slot id not yet started (booked < capacity, one conditional update, so
 * concurrent bookings never exceed it): 1 taken, 0 not, -1. */
int enrol_store_slot_take(struct db *db, const char *district, int64_t id, const char *now_ts, struct err *e);
/* The family's active bookings of slot id. */
int enrol_store_visit_count(struct db *db, int64_t slot, int64_t family, int64_t *n, struct err *e);
/* Insert an active visit booking (child_id 0: none given); *id. A race of the same family is 409
 * already_booked. */
int enrol_store_visit_insert(struct db *db, const char *district, int64_t slot, int64_t inst, int64_t family,
                             int64_t child_id, int64_t visitors, const char *now_ts, int64_t *id, struct err *e);
/* The family of visit booking id of the district: 1 found (*owner), 0 not, -1. */
int enrol_store_visit_owner(struct db *db, const char *district, int64_t id, int64_t *owner, struct err *e);
/* Cancel active visit booking id and give its place back to an open slot: 1, 0 when it was not
 * active, -1. */
int enrol_store_visit_cancel(struct db *db, int64_t id, const char *now_ts, struct err *e);
/* Visit bookings of the district within scope, latest slot first, before the cursor, at most
 * limit; rows as the API's items with "family_name" unmasked. */
int enrol_store_visits(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope,
                       int64_t before_id, const char *before_key, int limit, json_t **rows, struct err *e);

/* ---- applications (store_rounds.c) ---- */

/* One choice of an application, with what its points depend on. */
struct enrol_choice {
    int64_t id;             /* application_choice row (0 before it is stored) */
    int64_t institution_id;
    char class_type[24];
    double points;          /* as stored */
    int program;            /* the institution is filed in the district and has the class type */
    char town[16];          /* the institution's town */
    int siblings;           /* the child's brothers and sisters attending the institution */
};
/* For choices ch[0..n) (institution_id and class_type set) of a child of family: fill program,
 * town and siblings, in one statement. */
int enrol_store_choice_programs(struct db *db, const char *district, int64_t family, int64_t child_id,
                                struct enrol_choice *ch, int n, struct err *e);

/* An application's owner, child, state and what an edit keeps. 1 found, 0 not, -1. */
struct enrol_app_head {
    int64_t family_user_id, child_id;
    char status[16], intake[8];
    char *criteria; /* JSON text, malloc'd: free it */
};
int enrol_store_app_head(struct db *db, const char *district, int64_t id, struct enrol_app_head *h, struct err *e);
/* The states the child's applications for intake are in, each once (at most max into states). */
int enrol_store_app_states(struct db *db, int64_t child_id, const char *intake, char (*states)[16], int max, int *n,
                           struct err *e);
int enrol_store_app_insert(struct db *db, const char *district, int64_t child_id, int64_t family, const char *intake,
                           const char *status, const char *criteria, const char *now_ts, int64_t *id, struct err *e);
/* Change a draft's intake and criteria: 1 changed, 0 when it is no longer a draft (status). */
int enrol_store_app_update(struct db *db, int64_t id, const char *status, const char *intake, const char *criteria,
                           const char *now_ts, struct err *e);
/* Replace the application's choices by ch[0..n) in rank order, with their points; delete_old 0
 * when it has none yet. */
int enrol_store_choices_write(struct db *db, const char *district, int64_t app_id, const struct enrol_choice *ch,
                              int n, int delete_old,
                              struct err *e);
/* The stored choices of an application (institution, class type) in rank order. */
int enrol_store_choices(struct db *db, int64_t app_id, struct enrol_choice *ch, int max, int *n, struct err *e);
/* Store a recomputed choice's points. */
int enrol_store_choice_points(struct db *db, int64_t choice_id, double points, struct err *e);
/* Lock application id's row until commit and read its state again: 1 found, 0 not, -1. */
int enrol_store_app_lock(struct db *db, int64_t id, char status[16], struct err *e);
/* Set an application's state. */
int enrol_store_app_status(struct db *db, int64_t id, const char *status, const char *now_ts, struct err *e);
/* Move the open offers (state from) of an application to state to; the count moved. */
int64_t enrol_store_app_offers_move(struct db *db, int64_t app_id, const char *from, const char *to,
                                    const char *now_ts, struct err *e);
/* The child's other applications (not except_id), id and state, at most max. */
int enrol_store_child_apps(struct db *db, int64_t child_id, int64_t except_id, int64_t *ids, char (*states)[16],
                           int max, int *n, struct err *e);

/* An application with what its points are computed from: criteria, the child's hukou town, and
 * each choice's program data (struct enrol_choice). */
struct enrol_app_points {
    int64_t id, child_id, family_user_id;
    struct enrol_criteria criteria;
    char child_town[16];
    int n;
    struct enrol_choice choices[ENROL_MAX_CHOICES];
};
/* Application id (when intake is NULL), or every application of the district's intake in state
 * status, in id order, into *apps (malloc'd: free it), *n of them; two statements (the applications
 * with their choices, and the children of their families who attend an institution). */
int enrol_store_apps_points(struct db *db, const char *district, int64_t id, const char *intake, const char *status,
                            struct enrol_app_points **apps, int *n, struct err *e);

/* The application as the API shows it: its members, "choices" (rank, institution id and name,
 * class type and name, points) and "offers"; *cutoffs the round's cut-offs (new reference, NULL
 * before a round) and *lottery its number (0 when none). 1 found, 0 not, -1. */
int enrol_store_app_json(struct db *db, const char *district, int64_t id, json_t **app, json_t **cutoffs,
                         int64_t *lottery, struct err *e);
/* Applications of the district within scope, filtered (intake, status: NULL for any; institution
 * named by a choice: 0 for any), newest first before the cursor, at most limit; each with its
 * latest offer ("offer": object or null). */
int enrol_store_apps(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope,
                     const char *intake, const char *status, int64_t inst, int64_t before_id, int limit, json_t **rows,
                     struct err *e);

/* ---- rounds and offers (store_rounds.c) ---- */

/* Lock the district's applications for intake in state status (a concurrent round waits, then
 * finds them moved on). */
int enrol_store_lock_apps(struct db *db, const char *district, const char *intake, const char *status, struct err *e);
int enrol_store_round_insert(struct db *db, const char *district, const char *intake, const char *seed,
                             const char *inputs, int64_t user, const char *now_ts, int64_t *id, struct err *e);
/* Freeze an application into a round: its round, lottery number and state. */
int enrol_store_app_freeze(struct db *db, int64_t id, int64_t round_id, int64_t lottery, const char *status,
                           const char *now_ts, struct err *e);
/* Count a re-run of round id (locking the round, and its offers so a decision in flight finishes
 * first) and read its inputs (*inputs: new reference). 1 found, 0 not, -1. */
int enrol_store_round_rerun(struct db *db, const char *district, int64_t id, json_t **inputs, struct err *e);
/* Move the round's offers in state from past their deadline (deadline < today) to state to;
 * rows [offer id, application id] into *moved (new reference). */
int enrol_store_offers_lapse(struct db *db, int64_t round_id, const char *today, const char *from, const char *to,
                             const char *now_ts, json_t **moved, struct err *e);

/* A round's application as a run sees it: state, whom to tell, and its latest offer of the round
 * that holds or took a place (offered or accepted). */
struct enrol_round_app {
    int64_t id, family_user_id;
    char status[16], intake[8], child_name[96];
    int64_t offer_id, offer_institution_id; /* 0 when none */
    char offer_class_type[24], offer_status[16];
};
/* Every application of round id in id order into *apps (malloc'd), *n; one statement. */
int enrol_store_round_apps(struct db *db, int64_t round_id, struct enrol_round_app **apps, int *n, struct err *e);
/* Insert an offer of the round to application app_id (its child and family copied); *id. */
int enrol_store_offer_insert(struct db *db, int64_t round_id, int64_t app_id, int64_t inst, const char *class_type,
                             const char *status, const char *deadline, const char *now_ts, int64_t *id, struct err *e);
/* Move offer id from state from to state to: 1 moved, 0 when it was not in state from, -1. */
int enrol_store_offer_move(struct db *db, int64_t id, const char *from, const char *to, const char *now_ts,
                           struct err *e);
/* Store a run's outputs and cut-offs (JSON texts). */
int enrol_store_round_results(struct db *db, int64_t id, const char *outputs, const char *cutoffs, const char *now_ts,
                              struct err *e);
/* The round as the API shows it (inputs, outputs, cut-offs with institution names, and its offers
 * with child and institution names). 1 found, 0 not, -1. */
int enrol_store_round_json(struct db *db, const char *district, int64_t id, json_t **round, struct err *e);
/* Rounds of the district (intake NULL: any), newest first before the cursor, at most limit, with
 * their counts of applications, open and accepted offers. */
int enrol_store_rounds(struct db *db, const char *district, const char *intake, int64_t before_id, int limit,
                       json_t **rows, struct err *e);

/* An offer with what deciding it needs. 1 found, 0 not, -1. */
struct enrol_offer {
    int64_t family_user_id, application_id, child_id, institution_id;
    char class_type[24], status[16], deadline[16];
};
int enrol_store_offer(struct db *db, const char *district, int64_t id, struct enrol_offer *o, struct err *e);
/* Lock offer id's row until commit and read its state again: 1 found, 0 not, -1. */
int enrol_store_offer_lock(struct db *db, int64_t id, char status[16], struct err *e);

#endif
