/* test_inbox.c — messages to users (src/inbox/inbox.h): Beijing local time in words in message texts, and
 * in a scratch SQLite database, that a reminder is withdrawn only while it is not yet due (a
 * message already shown stays), only for its own record and kind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/date.h"
#include "db/db.h"
#include "inbox/inbox.h"

/* Message texts give times in Beijing, in words, to the minute (date_words_minute). */
static void local_time_is_beijing(void **state)
{
    (void)state;
    char out[DATE_WORDS_LEN];
    int64_t t;
    assert_int_equal(date_parse_timestamp("2026-06-02T16:30:00Z", &t), 0);
    assert_string_equal(date_words_minute(t, out, sizeof out), "2026年6月3日 00:30"); /* past midnight in Beijing: the next day */
    assert_int_equal(date_parse_timestamp("2026-12-31T23:59:59+08:00", &t), 0);
    assert_string_equal(date_words_minute(t, out, sizeof out), "2026年12月31日 23:59");
}

static int64_t count(struct db *db, const char *sql)
{
    struct db_stmt *st;
    struct err e = {0};
    assert_int_equal(db_prepare(db, sql, &st, &e), 0);
    assert_int_equal(db_step(st, &e), DB_ROW);
    int64_t n = db_col_int64(st, 0);
    db_finalize(st);
    return n;
}

static void withdraw_only_pending(void **state)
{
    (void)state;
    struct db_config cfg = {.kind = DB_SQLITE};
    snprintf(cfg.target, sizeof cfg.target, "/tmp/tuoyu-test-inbox-%d.db", (int)getpid());
    unlink(cfg.target);
    struct db *db = NULL;
    struct err e = {0};
    assert_int_equal(db_open(&cfg, &db, &e), 0);
    assert_true(db_migrate(db, &e) > 0);
    struct db_stmt *st;
    assert_int_equal(db_prepare(db,
                                "INSERT INTO app_user (district_code, login, name, role, password_hash, created_at, "
                                "updated_at) VALUES ('330304', 'f', '家长', 'family', 'x', 'now', 'now')",
                                &st, &e),
                     0);
    assert_int_equal(db_step(st, &e), DB_DONE);
    db_finalize(st);
    const char *now = "2026-06-01T02:00:00Z";
    struct inbox_message shown = {.user_id = 1, .kind = "visit.booked", .subject = "s", .body = "b",
                                  .ref_type = "visit_booking", .ref_id = 7, .due_at = now};
    struct inbox_message later = shown, other = shown;
    later.kind = "visit.reminder";
    later.due_at = "2026-06-02T01:00:00Z";
    other.ref_id = 8;
    other.kind = "visit.reminder";
    other.due_at = "2026-06-02T01:00:00Z";
    assert_int_equal(inbox_post(db, "330304", &shown, now, &e), 0);
    assert_int_equal(inbox_post(db, "330304", &later, now, &e), 0);
    assert_int_equal(inbox_post(db, "330304", &other, now, &e), 0);
    /* a kind that does not match withdraws nothing */
    assert_int_equal(inbox_withdraw(db, "visit_booking", 7, "offer.reminder", now, &e), 0);
    /* booking 7: the pending reminder goes; the confirmation already due stays */
    assert_int_equal(inbox_withdraw(db, "visit_booking", 7, NULL, now, &e), 1);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM outbox WHERE cancelled_at IS NULL"), 2);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM outbox WHERE ref_id = 8 AND cancelled_at IS NULL"), 1);
    /* withdrawing twice changes nothing more */
    assert_int_equal(inbox_withdraw(db, "visit_booking", 7, NULL, now, &e), 0);
    db_close(db);
    unlink(cfg.target);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(local_time_is_beijing),
        cmocka_unit_test(withdraw_only_pending),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
