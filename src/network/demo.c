/* demo.c — demonstration of the 医育结合 network at work (demo.h; issue 16 item 7): a year of
 * 养育照护小组活动 (seed 四(二)5: ≥ 200 a year) held by the accepted growth stations and the towns'
 * health centres, with families registered and attendance taken, and the coming weeks' activities
 * open for registration; and the health instructor's year at the institutions assigned to them —
 * quarterly visits with findings and advice, half-yearly lectures, the yearly review — with a few
 * quarters missed, so that overdue duties show. Written through the stores, deterministic. */
#include "network/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "network/network.h"
#include "network/store.h"

static const char *const TOPICS[] = {
    "婴幼儿辅食添加与喂养", "婴幼儿睡眠习惯养成", "亲子阅读与语言发展", "婴幼儿常见病预防与家庭护理",
    "大运动发展亲子游戏",   "入托前的分离焦虑",   "婴幼儿意外伤害预防", "情绪与社会性发展",
    "精细动作与手眼协调",   "如厕训练",           "口腔保健与乳牙护理", "音乐律动亲子活动",
};
#define NTOPICS (int)(sizeof TOPICS / sizeof *TOPICS)
static const char *const BANDS[] = {"0_12", "12_24", "24_36", "0_36"};

/* The UTC timestamp of day at hh:mm Beijing time. */
static void beijing(const char *day, int hh, int mm, char out[DATE_TIMESTAMP_LEN])
{
    int64_t t = 0;
    date_day_start(day, &t);
    date_format_timestamp(t + hh * 3600 + mm * 60, out, DATE_TIMESTAMP_LEN);
}

/* Activity k of host h on day, with families registered (past ones: attendance taken). */
static int one_activity(struct db *db, const char *district, const struct network_host *h, int k, const char *day, int past,
                        const int64_t *parents, int nparents, int64_t by, const char *now_ts, struct err *e)
{
    struct network_activity x = {.topic = TOPICS[k % NTOPICS], .age_band = BANDS[k % 4], .place = h->place,
                                 .host = h->name, .town_code = h->town_code, .capacity = 10 + 2 * (k % 6)};
    beijing(day, k % 2 ? 15 : 9, 30, x.starts_at);
    /* scheduled three weeks before, families registering in the days after */
    char created_day[DATE_DAY_LEN], created_ts[DATE_TIMESTAMP_LEN];
    date_add_days(day, -21, created_day);
    beijing(created_day, 10, 0, created_ts);
    if (strcmp(created_ts, now_ts) > 0)
        snprintf(created_ts, sizeof created_ts, "%s", now_ts);
    int64_t id;
    if (network_activity_insert(db, district, h->town_code, h->institution_id, &x, by, created_ts, &id, e) < 0)
        return -1;
    int want = past ? 4 + (k * 7) % 9 : (k * 3) % 5;
    if (want > x.capacity)
        want = (int)x.capacity;
    if (want > nparents)
        want = nparents;
    int64_t regs[16];
    int nregs = 0;
    for (int r = 0; r < want && nregs < 16; r++) {
        int64_t reg;
        if (network_registration_insert(db, district, id, parents[(k * 5 + r) % nparents], created_ts, &reg, e) < 0)
            return -1;
        int taken = network_activity_take(db, district, id, created_ts, e);
        if (taken < 0)
            return -1;
        regs[nregs++] = reg;
    }
    if (!past || nregs == 0)
        return 0;
    /* the host's attendance after it: most came, one in five did not */
    int64_t came[16];
    int ncame = 0;
    for (int r = 0; r < nregs; r++)
        if ((k + r) % 5 != 4)
            came[ncame++] = regs[r];
    char marked[DATE_TIMESTAMP_LEN];
    beijing(day, 17, 0, marked);
    return network_attendance_mark(db, id, came, ncame, marked, e);
}

int network_demo_activities(struct db *db, const char *district, const int64_t *parents, int nparents, int64_t by,
                            const char *today, const char *now_ts, struct err *e)
{
    struct network_host hosts[64];
    int nhosts;
    if (nparents <= 0 || network_store_hosts(db, district, hosts, 64, &nhosts, e) < 0)
        return nparents <= 0 ? 0 : -1;
    int k = 0;
    for (int i = 0; i < nhosts; i++) {
        const struct network_host *h = &hosts[i];
        /* a station once a month, a health centre every other month, over the year before today */
        int step = h->institution_id ? 1 : 2;
        for (int m = 12; m >= 1; m -= step, k++) {
            char month[DATE_DAY_LEN], day[DATE_DAY_LEN];
            date_add_months(today, -m, month);
            date_add_days(month, (i * 3 + m) % 20, day);
            if (strcmp(day, today) >= 0)
                continue;
            if (one_activity(db, district, h, k, day, 1, parents, nparents, by, now_ts, e) < 0)
                return -1;
        }
        /* and one in the coming weeks, open for registration */
        char day[DATE_DAY_LEN];
        date_add_days(today, 3 + (i * 2) % 18, day);
        if (one_activity(db, district, h, k++, day, 0, parents, nparents, by, now_ts, e) < 0)
            return -1;
    }
    return 0;
}

/* The first day of the quarter of day into out. */
static void quarter_of(const char *day, char out[DATE_DAY_LEN])
{
    int first_month = ((atoi(day + 5) - 1) / 3) * 3 + 1; /* 1, 4, 7 or 10 */
    snprintf(out, DATE_DAY_LEN, "%.4s-%02u-01", day, (unsigned)first_month % 100u);
}

void network_demo_assigned_from(const char *today, char out[11])
{
    char q[DATE_DAY_LEN];
    quarter_of(today, q);
    date_add_months(q, -12, out);
}

/* The quarters' visits, the half years' lectures and the year's review of the instructor at one
 * institution over the year before today: a visit in the middle of each past quarter but those
 * skipped (every seventh institution misses the last one), nothing yet this quarter. */
int network_demo_duties(struct db *db, const char *district, int64_t instructor, int64_t institution_id, int serial,
                        const char *today, const char *now_ts, struct err *e)
{
    static const char *const FINDINGS[] = {"晨午检记录完整；个别班级饮用水未加盖", "消毒记录齐全；保健室药品未分类存放",
                                           "膳食营养计算已开展；户外活动时间不足两小时", "体检资料齐全；传染病登记表未及时填写"};
    static const char *const ADVICE[] = {"饮用水桶加盖，每日消毒", "药品按内服、外用分类并标明有效期",
                                         "调整一日作息，保证户外活动两小时", "发现病例当日登记，按规定报告"};
    char quarter_start[DATE_DAY_LEN];
    quarter_of(today, quarter_start);
    for (int q = 4; q >= 1; q--) {
        if (q == 1 && serial % 7 == 3)
            continue; /* last quarter's visit missed: overdue */
        char start[DATE_DAY_LEN], day[DATE_DAY_LEN];
        date_add_months(quarter_start, -3 * q, start);
        date_add_days(start, 40 + serial % 20, day);
        struct network_duty d = {.kind = NETWORK_VISIT, .content = "卫生保健工作实地指导", .findings = FINDINGS[(serial + q) % 4],
                                 .advice = ADVICE[(serial + q) % 4], .follow_up = "", .follow_up_by = NULL};
        snprintf(d.done_on, sizeof d.done_on, "%s", day);
        int64_t id;
        if (network_duty_insert(db, district, institution_id, instructor, &d, now_ts, &id, e) < 0)
            return -1;
    }
    /* a lecture in each of the two half years before this one's; the review of last year, this
     * year's still to come */
    for (int h = 1; h <= 3; h++) {
        char day[DATE_DAY_LEN];
        date_add_months(quarter_start, h == 3 ? -10 : -6 * h + 1, day);
        struct network_duty d = {.kind = h == 3 ? NETWORK_REVIEW : NETWORK_LECTURE,
                                 .content = h == 1 ? "婴幼儿常见传染病预防" : h == 2 ? "婴幼儿膳食营养与喂养" : "年度卫生保健工作梳理",
                                 .findings = h == 3 ? "卫生保健制度齐全，晨午检和全日观察落实" : "",
                                 .advice = h == 3 ? "加强传染病登记和报告的时效" : "", .follow_up = "", .follow_up_by = NULL};
        snprintf(d.done_on, sizeof d.done_on, "%s", day);
        int64_t id;
        if (network_duty_insert(db, district, institution_id, instructor, &d, now_ts, &id, e) < 0)
            return -1;
    }
    return 0;
}
