/* ledger.h — the subsidy ledger's rules (issue 18 item 3): the states an entitlement moves through
 * — computed → applied → reviewed → approved → batched → paid, or rejected with a reason — who
 * may move it and the four-eyes rule (whoever applied for or reviewed an entitlement does not
 * approve it), and the explanation of an amount: the rule, each input, each cap applied, the
 * basis and the parameters it was computed on. Pure: the store writes what this decides. Nothing
 * in the ledger is edited in place: a correction is a reversal row of the opposite amount. */
#ifndef TUOYU_FUNDS_LEDGER_H
#define TUOYU_FUNDS_LEDGER_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "funds/funds.h"

/* An entitlement as the rules see it. */
struct funds_row {
    char state[16];       /* computed | applied | reviewed | approved | batched | paid | rejected */
    int64_t applied_by;   /* 0 none yet */
    int64_t reviewed_by;
};

/* A move asked for by an official (events apply, review, approve, reject; batch and pay are the
 * batch's own moves). 0 with to (the new state) and the policy action the event needs in
 * *action, or -1 with e: 409 event_not_allowed (the state does not allow it), 422
 * reason_required (a rejection names why), 409 self_approval (the approver applied for or
 * reviewed it). by is the official's user id; reason may be NULL. */
int funds_move(const struct funds_row *row, const char *event, int64_t by, const char *reason, const char **to,
               const char **action, struct err *e);

/* Whether a row in state may go into a payment batch (only approved ones): 0, or -1 with e (409
 * not_approved naming the state, e.g. a rejected row). */
int funds_batchable(const char *state, struct err *e);

/* The state's Chinese name ("待复核" …), NULL for an unknown state. */
const char *funds_state_name(const char *state);

/* A ledger kind's Chinese name ("育儿补贴" …) and the basis document of its rule, for a row that
 * names none of its own; NULL for an unknown kind. */
const char *funds_kind_name(const char *kind);
const char *funds_kind_basis(const char *kind);

/* A parameter a computation read: its key, the value in force and its version's basis. */
struct funds_param_used {
    const char *key;
    double value;
    const char *valid_from;
    const char *basis;
};

/* The explanation of a construction subsidy (stored with the ledger row and shown to the finance
 * bureau): {"rule", "inputs": {ownership, investment_fen}, "steps": [...], "caps": [...],
 * "amount_fen", "params": [{key, value, valid_from, basis}]}. The caller's reference. */
json_t *funds_construction_explain(enum funds_ownership own, int64_t investment_fen,
                                   const struct funds_construction_rules *r, const struct funds_construction *c,
                                   const struct funds_param_used *params, int nparams);

#endif
