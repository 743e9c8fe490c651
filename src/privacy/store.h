/* store.h — the SQL of children's health-data consent and of retention (privacy.h). The guardian
 * who signed a paper form is sealed with the app key, a masked copy beside it. All functions run
 * on the caller's connection; writers expect the caller's transaction (with its audit row). */
#ifndef TUOYU_PRIVACY_STORE_H
#define TUOYU_PRIVACY_STORE_H

#include <stdint.h>

#include "base/crypt.h"
#include "db/db.h"
#include "privacy/privacy.h"

/* A child's live consent. */
struct privacy_consent {
    int64_t id;
    char purposes[PRIVACY_PURPOSES_LEN];
    int64_t notice_version;
    char source[8];   /* family | paper */
    char given_at[40];
};

/* The child's live consent: 1 found (into out), 0 none, -1 with e. */
int privacy_consent_live(struct db *db, int64_t child_id, struct privacy_consent *out, struct err *e);
/* 0 when a guardian's live consent of child_id covers purpose; else -1 with 422
 * health_consent_missing (e). Every route that writes a child's health data calls it inside its
 * transaction, before the write. */
int privacy_consent_require(struct db *db, int64_t child_id, const char *purpose, struct err *e);
/* Record consent r of child_id under notice_version (source "family" or "paper"); *id set. 409
 * consent_exists when the child has a live one (also when two race). */
int privacy_consent_insert(struct db *db, const struct crypt_key *key, const char *district, int64_t child_id,
                           const char *source, const struct privacy_consent_req *r, int64_t notice_version,
                           int64_t given_by, const char *now_ts, int64_t *id, struct err *e);
/* Withdraw consent id (a withdrawal form material_id, 0 none): rows changed (0 when already
 * withdrawn), -1 with e. */
int64_t privacy_consent_withdraw(struct db *db, int64_t id, int64_t by, int64_t material_id, const char *now_ts,
                                 struct err *e);
/* Every consent of child_id, newest first: [{id, purposes, notice_version, source, guardian_name
 * (masked), relation, material_id, given_at, withdrawn_at, withdrawal_material_id}]. */
int privacy_consents_json(struct db *db, int64_t child_id, json_t **out, struct err *e);
/* Is material id an active material of institution_id in the district? 1 / 0 / -1. */
int privacy_material_of(struct db *db, const char *district, int64_t id, int64_t institution_id, struct err *e);
/* Delete child_id's health data of the comma-separated purposes (a withdrawal): the rows removed
 * per kind set in counts ({"entry_checks", "health_checks", "absence_symptoms", "measurements"}). */
int privacy_delete_health(struct db *db, int64_t child_id, const char *purposes, json_t *counts, struct err *e);

/* The records of retention kind k in the district dated before cutoff: counted into *n, and
 * deleted unless dry_run. */
int privacy_purge_kind(struct db *db, const char *district, const struct privacy_retention *k, const char *cutoff,
                       int dry_run, int64_t *n, struct err *e);

#endif
