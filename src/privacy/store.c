/* store.c — SQL of health-data consent and retention (store.h). */
#include "privacy/store.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"

int privacy_consent_live(struct db *db, int64_t child_id, struct privacy_consent *out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, purposes, notice_version, source, given_at FROM child_consent "
                                  "WHERE child_id = ? AND withdrawn_at IS NULL",
                                  "i", child_id);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc;
    db_scan(st, DB_I64(&out->id), DB_TEXT(out->purposes), DB_I64(&out->notice_version), DB_TEXT(out->source),
            DB_TEXT(out->given_at));
    db_finalize(st);
    return 1;
}

int privacy_consent_require(struct db *db, int64_t child_id, const char *purpose, struct err *e)
{
    struct privacy_consent c;
    int found = privacy_consent_live(db, child_id, &c, e);
    if (found < 0)
        return -1;
    if (found && privacy_purposes_cover(c.purposes, purpose))
        return 0;
    const char *what = "";
    for (int k = 0; privacy_purposes[k].code; k++)
        if (strcmp(privacy_purposes[k].code, purpose) == 0)
            what = privacy_purposes[k].name;
    return err_set(e, 422, "health_consent_missing", "",
                   "尚未取得监护人对处理该婴幼儿健康信息（%s）的同意，或同意已撤回：请家长在“我的”页面同意，或由机构上传监护人签字的同意书后登记",
                   what);
}

int privacy_consent_insert(struct db *db, const struct crypt_key *key, const char *district, int64_t child_id,
                           const char *source, const struct privacy_consent_req *r, int64_t notice_version,
                           int64_t given_by, const char *now_ts, int64_t *id, struct err *e)
{
    char sealed[256] = "", masked[96] = "";
    if (r->guardian_name) {
        if (crypt_seal(key, r->guardian_name, sealed, sizeof sealed, e) < 0)
            return -1;
        mask_name(r->guardian_name, masked, sizeof masked);
    }
    *id = db_query_int(
        db, e, NULL,
        "INSERT INTO child_consent (district_code, child_id, purposes, notice_version, source, guardian_name_sealed, "
        "guardian_name_masked, relation, material_id, given_by, given_at) "
        "VALUES (?, ?, ?, ?, ?, NULLIF(?, ''), NULLIF(?, ''), ?, NULLIF(?, 0), NULLIF(?, 0), ?) RETURNING id",
        "titittttiit", district, child_id, r->purposes, notice_version, source, sealed, masked, r->relation,
        r->material_id, given_by, now_ts);
    return *id < 0 ? db_conflict_as(e, "consent_exists", "", "该婴幼儿已有有效的同意记录；如需更改，请先撤回") : 0;
}

int64_t privacy_consent_withdraw(struct db *db, int64_t id, int64_t by, int64_t material_id, const char *now_ts,
                                 struct err *e)
{
    return db_run(db, e,
                  "UPDATE child_consent SET withdrawn_at = ?, withdrawn_by = ?, withdrawal_material_id = NULLIF(?, 0) "
                  "WHERE id = ? AND withdrawn_at IS NULL",
                  "tiii", now_ts, by, material_id, id);
}

static json_t *consent_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:I, s:o, s:I, s:s, s:o, s:o, s:o, s:s, s:o, s:o}", "id", (json_int_t)db_col_int64(st, 0),
                     "purposes", privacy_purposes_json(db_col_text(st, 1)), "notice_version",
                     (json_int_t)db_col_int64(st, 2), "source", db_col_text(st, 3), "guardian_name",
                     db_col_json_text(st, 4), "relation", db_col_json_text(st, 5), "material_id", db_col_json_id(st, 6),
                     "given_at", db_col_text(st, 7), "withdrawn_at", db_col_json_text(st, 8), "withdrawal_material_id",
                     db_col_json_id(st, 9));
}

int privacy_consents_json(struct db *db, int64_t child_id, json_t **out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, purposes, notice_version, source, guardian_name_masked, relation, "
                                  "material_id, given_at, withdrawn_at, withdrawal_material_id FROM child_consent "
                                  "WHERE child_id = ? ORDER BY id DESC",
                                  "i", child_id);
    return db_rows_json(st, e, consent_row, NULL, out);
}

int privacy_material_of(struct db *db, const char *district, int64_t id, int64_t institution_id, struct err *e)
{
    int found;
    int64_t v = db_query_int(db, e, &found,
                             "SELECT 1 FROM material WHERE id = ? AND district_code = ? AND state = 'active' "
                             "AND owner_type = 'institution' AND owner_id = ?",
                             "iti", id, district, institution_id);
    return v < 0 ? -1 : found;
}

/* What a withdrawal deletes, per purpose. */
static const struct {
    const char *purpose, *count_key, *sql;
} HEALTH_DATA[] = {
    {PRIVACY_CARE_HEALTH, "entry_checks", "DELETE FROM care_entry_check WHERE child_id = ?"},
    {PRIVACY_CARE_HEALTH, "health_checks", "DELETE FROM care_health_check WHERE child_id = ?"},
    {PRIVACY_CARE_HEALTH, "absence_symptoms",
     "UPDATE care_attendance SET symptom = NULL WHERE child_id = ? AND symptom IS NOT NULL"},
    {PRIVACY_CARE_HEALTH, "checkups", "DELETE FROM checkup_record WHERE child_id = ?"},
    {PRIVACY_CARE_HEALTH, "screenings", "DELETE FROM checkup_screening WHERE child_id = ?"},
    {PRIVACY_GROWTH, "measurements", "DELETE FROM measurement WHERE child_id = ?"},
};

int privacy_delete_health(struct db *db, int64_t child_id, const char *purposes, json_t *counts, struct err *e)
{
    for (size_t i = 0; i < sizeof HEALTH_DATA / sizeof HEALTH_DATA[0]; i++) {
        if (!privacy_purposes_cover(purposes, HEALTH_DATA[i].purpose))
            continue;
        int64_t n = db_run(db, e, HEALTH_DATA[i].sql, "i", child_id);
        if (n < 0)
            return -1;
        json_object_set_new(counts, HEALTH_DATA[i].count_key, json_integer(n));
    }
    return 0;
}

/* Where each retention kind's records live and how their date is compared with the cut-off
 * (a day; the SMS codes' unix seconds against the cut-off day's start). */
static const struct {
    const char *kind, *table, *where;
    int unix_seconds;
} PURGE[] = {
    {"attendance", "care_attendance", "district_code = ? AND day < ?", 0},
    {"health_check", "care_health_check", "district_code = ? AND day < ?", 0},
    {"entry_check", "care_entry_check", "district_code = ? AND checked_on < ?", 0},
    {"growth", "measurement", "district_code = ? AND measured_on < ?", 0},
    {"checkup", "checkup_record", "district_code = ? AND checked_on < ?", 0},
    {"screening", "checkup_screening", "district_code = ? AND screened_on < ?", 0},
    {"sms_code", "sms_code", "district_code = ? AND created_at < ?", 1},
    {"sms_sent", "sms_queue", "district_code = ? AND sent_at IS NOT NULL AND sent_at < ?", 0},
};

int privacy_purge_kind(struct db *db, const char *district, const struct privacy_retention *k, const char *cutoff,
                       int dry_run, int64_t *n, struct err *e)
{
    size_t i = 0;
    while (i < sizeof PURGE / sizeof PURGE[0] && strcmp(PURGE[i].kind, k->kind))
        i++;
    if (i == sizeof PURGE / sizeof PURGE[0])
        return err_set(e, 500, "unknown_kind", "", "未知的记录类别：%s", k->kind);
    char sql[256];
    int64_t start = 0;
    if (PURGE[i].unix_seconds && date_day_start(cutoff, &start) < 0)
        return err_set(e, 500, "bad_date", "", "截止日期无效：%s", cutoff);
    /* the table and condition are constants of this file; the values are bound */
    snprintf(sql, sizeof sql, "%s FROM %s WHERE %s", dry_run ? "SELECT COUNT(*)" : "DELETE", PURGE[i].table,
             PURGE[i].where);
    int found;
    if (dry_run)
        *n = PURGE[i].unix_seconds ? db_query_int(db, e, &found, sql, "ti", district, start)
                                   : db_query_int(db, e, &found, sql, "tt", district, cutoff);
    else
        *n = PURGE[i].unix_seconds ? db_run(db, e, sql, "ti", district, start) : db_run(db, e, sql, "tt", district, cutoff);
    return *n < 0 ? -1 : 0;
}
