/* test_staff.c — the staff record engine: JSON validation with field paths (its schema, then the
 * record: GB 11643 ID numbers, dates in order, certificates that fit the role, classes only for
 * caregivers), the staffing an institution's classes read from its roster (caregivers assigned
 * and on duty), and the findings about people (health certificate, no-criminal-record
 * certificate, qualifications lapsing, a director present), with figures passed in as the
 * parameter table gives them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "staff/staff.h"

static const struct staff_rules RULES = {
    .health_check_months = 12, .warning_days = 30, .no_crime_required = 1, .director_required = 1,
    .certified_posts = 1, .basis_health = "管理规范 第二十八条", .basis_no_crime = "无犯罪记录",
    .basis_director = "设置标准 第十八条", .basis_certified = "试点方案 四(五)16",
};
static const char *TODAY = "2026-06-01";

/* 11010519491231002X is GB 11643's own example of a valid number */
static const char *VALID_JSON =
    "{\"name\":\"林晓燕\",\"id_number\":\"11010519491231002x\",\"role\":\"caregiver\",\"employment\":\"full_time\","
    "\"start_date\":\"2024-09-01\",\"health_cert_date\":\"2026-03-01\",\"no_crime_cert_date\":\"2024-08-20\","
    "\"class_ids\":[7],\"certificates\":[{\"kind\":\"childcare_worker\",\"grade\":4,\"number\":\"BYS-1\","
    "\"issuer\":\"温州市人社局\",\"issue_date\":\"2024-06-30\",\"expiry_date\":\"2029-06-29\"}]}";

/* As the server does: the body against staff_schema, then the record. */
static int parse(const char *text, struct staff *s, struct err *e)
{
    json_t *j = http_json_check(&staff_schema, text, strlen(text), e);
    memset(s, 0, sizeof *s);
    int rc = j ? staff_from_json(j, &RULES, TODAY, 1, s, e) : -1;
    json_decref(j);
    return rc;
}

/* VALID_JSON with the first occurrence of from replaced by to. */
static int parse_with(const char *from, const char *to, struct staff *s, struct err *e)
{
    char text[2048];
    const char *at = strstr(VALID_JSON, from);
    assert_non_null(at);
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - VALID_JSON), VALID_JSON, to, at + strlen(from));
    return parse(text, s, e);
}

static void test_valid_record_parses(void **state)
{
    (void)state;
    struct staff s;
    struct err e = {0};
    assert_int_equal(parse(VALID_JSON, &s, &e), 0);
    assert_string_equal(s.id_number, "11010519491231002X");
    assert_int_equal(s.role, STAFF_CAREGIVER);
    assert_string_equal(s.health_cert_expiry, "2027-02-28");
    assert_int_equal(s.nclasses, 1);
    assert_int_equal(s.ncerts, 1);
    assert_int_equal(s.certs[0].grade, 4);
}

static void test_errors_name_the_field(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to, *field, *code;
    } cases[] = {
        {"1002x", "10021", "id_number", "id_checksum"},
        {"\"caregiver\"", "\"teacher\"", "role", "bad_role"},
        {"\"full_time\"", "\"casual\"", "employment", "bad_employment"},
        {"\"2029-06-29\"", "\"2024-06-30\"", "certificates[0].expiry_date", "expiry_before_issue"},
        {"\"2024-06-30\",", "\"2026-06-02\",", "certificates[0].issue_date", "future_date"},
        {"\"childcare_worker\"", "\"nurse\"", "certificates[0].kind", "cert_role_mismatch"},
        {"\"childcare_worker\"", "\"pilot\"", "certificates[0].kind", "bad_cert_kind"},
        {"\"grade\":4,", "", "certificates[0].grade", "required"},
        {"\"caregiver\"", "\"cook\"", "class_ids", "class_for_caregiver"},
        {"[7]", "[7,7]", "class_ids", "duplicate_class"},
        {"\"start_date\":\"2024-09-01\"", "\"start_date\":\"2024-09-01\",\"end_date\":\"2024-08-31\"", "end_date",
         "end_before_start"},
        {"\"2026-03-01\"", "\"2026-06-02\"", "health_cert_date", "future_date"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct staff s;
        struct err e = {0};
        assert_int_equal(parse_with(cases[i].from, cases[i].to, &s, &e), -1);
        assert_string_equal(e.field, cases[i].field);
        assert_string_equal(e.code, cases[i].code);
    }
    /* a new record needs its ID number; an update keeps the stored one when none is sent */
    json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "name", "周建华", "role", "cook", "employment", "part_time",
                          "start_date", "2024-01-01");
    struct staff s = {0};
    struct err e = {0};
    assert_int_equal(staff_from_json(j, &RULES, TODAY, 1, &s, &e), -1);
    assert_string_equal(e.field, "id_number");
    assert_int_equal(staff_from_json(j, &RULES, TODAY, 0, &s, &e), 0);
    json_decref(j);
}

static void test_certificates_fit_roles(void **state)
{
    (void)state;
    assert_true(staff_cert_fits_role("nurse", STAFF_HEALTH));
    assert_false(staff_cert_fits_role("nurse", STAFF_SECURITY));
    assert_true(staff_cert_fits_role("security_guard", STAFF_SECURITY));
    assert_true(staff_cert_fits_role("infant_carer", STAFF_DIRECTOR));
    assert_false(staff_cert_fits_role("director_training", STAFF_CAREGIVER));
    assert_false(staff_cert_fits_role("unknown", STAFF_OTHER));
}

static struct staff person(int64_t id, enum staff_role role, const char *start, const char *end)
{
    struct staff s = {.id = id, .institution_id = 1, .role = role};
    snprintf(s.name_masked, sizeof s.name_masked, "林*燕");
    snprintf(s.employment, sizeof s.employment, "full_time");
    snprintf(s.start_date, sizeof s.start_date, "%s", start);
    snprintf(s.end_date, sizeof s.end_date, "%s", end);
    snprintf(s.health_cert_expiry, sizeof s.health_cert_expiry, "2027-01-01");
    snprintf(s.no_crime_cert_date, sizeof s.no_crime_cert_date, "2024-01-01");
    return s;
}

static void test_staffing_counts_caregivers_assigned_and_on_duty(void **state)
{
    (void)state;
    struct institution in = {.id = 1, .nclasses = 2};
    in.classes[0] = (struct inst_class){.id = 10, .type = CLASS_TODDLER_OLD, .enrolled = 14, .caregivers = 9};
    in.classes[1] = (struct inst_class){.id = 11, .type = CLASS_INFANT, .enrolled = 3, .caregivers = 9};
    in.health_workers = 5; /* typed counts are replaced */
    struct staff list[5] = {
        person(1, STAFF_CAREGIVER, "2024-01-01", ""),           person(2, STAFF_CAREGIVER, "2024-01-01", "2026-05-31"),
        person(3, STAFF_CAREGIVER, "2026-06-02", ""),           person(4, STAFF_HEALTH, "2024-01-01", ""),
        person(5, STAFF_HEALTH, "2024-01-01", ""),
    };
    list[0].class_ids[0] = 10, list[0].class_ids[1] = 11, list[0].nclasses = 2;
    list[1].class_ids[0] = 10, list[1].nclasses = 1; /* left yesterday */
    list[2].class_ids[0] = 10, list[2].nclasses = 1; /* starts tomorrow */
    snprintf(list[4].employment, sizeof list[4].employment, "part_time");
    staff_apply_staffing(&in, list, 5, TODAY);
    assert_int_equal(in.classes[0].caregivers, 1);
    assert_int_equal(in.classes[1].caregivers, 1);
    assert_int_equal(in.health_workers, 1); /* the full-time one */
}

static int count(const struct finding *f, int n, const char *rule)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        k += strcmp(f[i].rule, rule) == 0;
    return k;
}

static void test_findings_about_people(void **state)
{
    (void)state;
    struct staff list[4] = {
        person(1, STAFF_DIRECTOR, "2024-01-01", ""), person(2, STAFF_CAREGIVER, "2024-01-01", ""),
        person(3, STAFF_HEALTH, "2024-01-01", ""), person(4, STAFF_COOK, "2020-01-01", "2025-12-31"),
    };
    struct finding f[32];
    assert_int_equal(staff_findings(list, 4, &RULES, TODAY, f, 32), 0);
    /* lapsed yesterday, expiring on the 30th day, and the 31st day is not yet a finding */
    snprintf(list[1].health_cert_expiry, 11, "2026-05-31");
    snprintf(list[2].health_cert_expiry, 11, "2026-07-01");
    list[0].certs[0] = (struct staff_cert){.kind = "director_training", .number = "FZR-9", .expiry_date = "2026-07-02"};
    list[0].ncerts = 1;
    list[1].no_crime_cert_date[0] = 0;
    list[3].health_cert_expiry[0] = 0; /* off duty: not counted */
    int n = staff_findings(list, 4, &RULES, TODAY, f, 32);
    assert_int_equal(n, 3);
    assert_int_equal(count(f, n, "health_cert_lapsed"), 1);
    assert_int_equal(count(f, n, "health_cert_expiring"), 1);
    assert_int_equal(count(f, n, "no_crime_record_missing"), 1);
    assert_non_null(strstr(f[0].message, "林*燕"));
    assert_string_equal(f[0].basis, "管理规范 第二十八条");
    assert_int_equal(f[0].staff_id, 2);
    snprintf(list[0].certs[0].expiry_date, 11, "2026-05-01");
    n = staff_findings(list, 4, &RULES, TODAY, f, 32);
    assert_int_equal(count(f, n, "certificate_lapsed"), 1);
    /* the director leaves: nobody leads */
    snprintf(list[0].end_date, 11, "2026-05-31");
    n = staff_findings(list, 4, &RULES, TODAY, f, 32);
    assert_int_equal(count(f, n, "director_missing"), 1);
    assert_int_equal(count(f, n, "certificate_lapsed"), 0);
}

/* 岗前培训: everyone on duty without a pre-job session attended is named, when the rule is on */
static void test_prejob_finding(void **state)
{
    (void)state;
    struct staff list[2] = {person(1, STAFF_DIRECTOR, "2024-01-01", ""), person(2, STAFF_CAREGIVER, "2024-01-01", "")};
    snprintf(list[0].prejob_date, 11, "2023-12-20");
    struct staff_rules r = RULES;
    struct finding f[8];
    assert_int_equal(count(f, staff_findings(list, 2, &r, TODAY, f, 8), "prejob_training_missing"), 0);
    r.prejob_required = 1;
    snprintf(r.basis_prejob, sizeof r.basis_prejob, "试点方案 四(五)16");
    int n = staff_findings(list, 2, &r, TODAY, f, 8);
    assert_int_equal(n, 1);
    assert_string_equal(f[0].rule, "prejob_training_missing");
    assert_int_equal(f[0].staff_id, 2);
    assert_string_equal(f[0].basis, "试点方案 四(五)16");
    assert_non_null(strstr(f[0].message, "林*燕"));
    /* off duty: not counted */
    snprintf(list[1].end_date, 11, "2026-05-31");
    assert_int_equal(staff_findings(list, 2, &r, TODAY, f, 8), 0);
}

static void test_reminders(void **state)
{
    (void)state;
    struct staff s = person(1, STAFF_CAREGIVER, "2024-01-01", "");
    snprintf(s.health_cert_expiry, 11, "2026-06-20"); /* within the 30 days */
    s.certs[0] = (struct staff_cert){.kind = "infant_carer", .grade = 4, .number = "YY-1", .expiry_date = "2026-09-30"};
    s.certs[1] = (struct staff_cert){.kind = "teacher", .number = "JS-1"}; /* does not expire */
    s.ncerts = 2;
    struct staff_reminder m[8];
    int n = staff_reminders(NULL, &s, &RULES, TODAY, m, 8);
    assert_int_equal(n, 4);
    assert_string_equal(m[0].kind, "staff.cert_expiring");
    assert_string_equal(m[0].day, TODAY); /* already within the warning period: today */
    assert_string_equal(m[1].kind, "staff.cert_lapsed");
    assert_string_equal(m[1].day, "2026-06-21");
    assert_string_equal(m[2].day, "2026-08-31"); /* 30 days before 2026-09-30 */
    assert_non_null(strstr(m[2].body, "育婴员（YY-1）"));
    assert_non_null(strstr(m[0].subject, "林*燕"));
    /* an update that keeps the certificates does not repeat what has come due; the future ones are queued again */
    struct staff before = s;
    n = staff_reminders(&before, &s, &RULES, TODAY, m, 8);
    assert_int_equal(n, 3);
    assert_string_equal(m[0].kind, "staff.cert_lapsed");
    /* a person leaving before the expiry: nothing */
    snprintf(s.end_date, 11, "2026-06-10");
    s.ncerts = 0;
    assert_int_equal(staff_reminders(NULL, &s, &RULES, TODAY, m, 8), 0);
}

static void test_post_month(void **state)
{
    (void)state;
    struct staff s = person(1, STAFF_CAREGIVER, "2025-03-10", "");
    s.certs[0] = (struct staff_cert){.kind = "infant_carer", .grade = 4, .issue_date = "2024-01-01", .expiry_date = "2026-04-15"};
    s.certs[1] = (struct staff_cert){.kind = "childcare_worker", .grade = 3, .issue_date = "2026-04-20"};
    s.ncerts = 2;
    struct staff_post_month pm;
    /* March 2025: from the 10th, 22 days, no whole month yet; 育婴员 四级 */
    assert_int_equal(staff_post_month(&s, "2025-03", &pm), 1);
    assert_int_equal(pm.days, 22);
    assert_int_equal(pm.months, 0);
    assert_int_equal(pm.grade, 4);
    assert_string_equal(pm.kind, "infant_carer");
    /* April 2026: the 育婴员 certificate lapsed on the 15th, the 保育师 三级 holds at the month's end */
    assert_int_equal(staff_post_month(&s, "2026-04", &pm), 1);
    assert_int_equal(pm.grade, 3);
    assert_int_equal(pm.months, 13);
    assert_int_equal(pm.days, 30);
    /* before the start, after leaving, and not a caregiver: no row */
    assert_int_equal(staff_post_month(&s, "2025-02", &pm), 0);
    snprintf(s.end_date, 11, "2026-05-05");
    assert_int_equal(staff_post_month(&s, "2026-05", &pm), 1);
    assert_int_equal(pm.days, 5);
    assert_int_equal(staff_post_month(&s, "2026-06", &pm), 0);
    s.role = STAFF_COOK;
    assert_int_equal(staff_post_month(&s, "2026-05", &pm), 0);
    /* several certificates valid in the month: the highest grade (the smallest number) is paid, in any order */
    struct staff t = person(2, STAFF_CAREGIVER, "2025-01-01", "");
    t.certs[0] = (struct staff_cert){.kind = "infant_carer", .grade = 4, .issue_date = "2024-01-01"};
    t.certs[1] = (struct staff_cert){.kind = "childcare_worker", .grade = 2, .issue_date = "2024-06-01"};
    t.certs[2] = (struct staff_cert){.kind = "childcare_worker", .grade = 3, .issue_date = "2024-03-01"};
    t.ncerts = 3;
    assert_int_equal(staff_post_month(&t, "2025-06", &pm), 1);
    assert_int_equal(pm.grade, 2);
    assert_string_equal(pm.kind, "childcare_worker");
}

static void test_import_rows(void **state)
{
    (void)state;
    struct institution in = {.id = 1, .nclasses = 1};
    in.classes[0] = (struct inst_class){.id = 10, .type = CLASS_TODDLER_OLD, .name = "托大一班"};
    const char *row[STAFF_IMPORT_COLS] = {
        " 林晓燕 ", "11010519491231002x", "保育人员", "全职", "2024/9/1", "", "托大一班", "46082", "2024-08-20",
        "保育师", "四级", "BYS-1", "温州市人社局", "2024-06-30", "2029-06-29"};
    struct staff s = {0}, more = {0};
    struct err e = {0};
    int col = -1;
    assert_int_equal(staff_import_row(row, &in, &RULES, TODAY, &s, &col, &e), 0);
    assert_string_equal(s.name, "林晓燕");
    assert_string_equal(s.start_date, "2024-09-01");
    assert_string_equal(s.health_cert_date, "2026-03-01"); /* a date cell's serial */
    assert_int_equal(s.class_ids[0], 10);
    assert_int_equal(s.certs[0].grade, 4);
    /* errors name their column */
    row[STAFF_COL_CLASSES] = "小熊班";
    assert_int_equal(staff_import_row(row, &in, &RULES, TODAY, &more, &col, &e), -1);
    assert_int_equal(col, STAFF_COL_CLASSES);
    row[STAFF_COL_CLASSES] = "";
    row[STAFF_COL_EXPIRY] = "2020-01-01";
    assert_int_equal(staff_import_row(row, &in, &RULES, TODAY, &more, &col, &e), -1);
    assert_int_equal(col, STAFF_COL_EXPIRY);
    assert_string_equal(e.code, "expiry_before_issue");
    /* a second row of the same person: its blank person columns filled, its certificate merged */
    char *first[STAFF_IMPORT_COLS] = {"林晓燕", "11010519491231002X", "保育人员", "全职", "2024-09-01"};
    char *second[STAFF_IMPORT_COLS] = {NULL, " 11010519491231002x"};
    assert_true(staff_import_same_person((const char *const *)first, (const char *const *)second));
    staff_import_fill(first, second);
    assert_string_equal(second[STAFF_COL_NAME], "林晓燕");
    for (int c = 0; c < STAFF_IMPORT_COLS; c++)
        if (second[c] != first[c] && c != STAFF_COL_ID)
            free(second[c]);
    more = s;
    snprintf(more.certs[0].kind, sizeof more.certs[0].kind, "security_guard");
    assert_int_equal(staff_import_merge(&s, &more, &e), -1);
    assert_string_equal(e.code, "cert_role_mismatch");
    snprintf(more.certs[0].kind, sizeof more.certs[0].kind, "teacher");
    assert_int_equal(staff_import_merge(&s, &more, &e), 0);
    assert_int_equal(s.ncerts, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_record_parses),
        cmocka_unit_test(test_errors_name_the_field),
        cmocka_unit_test(test_certificates_fit_roles),
        cmocka_unit_test(test_staffing_counts_caregivers_assigned_and_on_duty),
        cmocka_unit_test(test_findings_about_people),
        cmocka_unit_test(test_prejob_finding),
        cmocka_unit_test(test_reminders),
        cmocka_unit_test(test_post_month),
        cmocka_unit_test(test_import_rows),
    };
    return cmocka_run_group_tests_name("staff", tests, NULL, NULL);
}
