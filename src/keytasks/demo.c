/* demo.c — the demonstration key-task plan (demo.h): tasks of the pilot plan (瓯海区普惠托育基本公共服务
 * 试点工作方案 四) with the owners the plan names, deadlines from 150 days ago to 200 days ahead, their
 * milestones, and progress reported — done ones with a note (their evidence is a file, which the
 * demo does not make: they are marked done through the store, as history). */
#include "keytasks/demo.h"

#include <stdio.h>
#include <string.h>

#include "keytasks/store.h"

struct demo_task {
    const char *item, *title, *owner_kind, *owner_code;
    int due;           /* days from today */
    const char *state; /* planned | in_progress | done */
    const char *note;
    const char *milestones[3]; /* titles, due evenly before the deadline */
};

static const struct demo_task TASKS[] = {
    {"四(一)1", "建立普惠托育服务标准体系，形成普惠托育服务价格", "department", "development", -150, "done",
     "会同区卫健局、区财政局完成成本测算，普惠托育服务指导价已公布。", {"完成成本调查", "价格听证", NULL}},
    {"四(一)2", "新建社区按每千人10个以上托位配置托育设施", "town", "330304001", 120, "in_progress",
     "已排查社区 14 个，3 个新建社区托育用房纳入配套。", {"完成社区托位排查", "制定增配方案", "新增托位验收"}},
    {"四(一)2", "已建成社区通过改建、置换、租赁增配托育设施", "town", "330304002", -20, "in_progress",
     "2 个社区已签订场地租赁意向，尚未开工。", {"确定增配社区", "签订场地协议", NULL}},
    {"四(一)3", "推动机关企事业单位为职工提供福利性托育服务", "department", "human_resources", 90, "planned", NULL,
     {"摸排用人单位需求", NULL, NULL}},
    {"四(二)4", "建成瓯海区托育综合服务中心（民生实事项目）", "district", "", 60, "in_progress",
     "主体装修完成，设备采购招标中。", {"完成装修", "设备到位", "对外开放"}},
    {"四(二)5", "出台《关于加强婴幼儿成长驿站建设的实施意见》并推进驿站建设", "district", "", -60, "done",
     "实施意见已印发，首批 6 个驿站通过验收。", {"起草实施意见", "首批驿站验收", NULL}},
    {"四(二)7", "开展托育机构星级评定", "district", "", 150, "in_progress", "评定细则已发布，机构自评进行中。",
     {"发布评定细则", "机构自评", "专家评审"}},
    {"四(三)8", "小区新建配套幼儿园每园至少规划2个托班", "department", "education", 200, "planned", NULL,
     {"梳理在建配套幼儿园", NULL, NULL}},
    {"四(三)9", "公办婴幼儿照护服务收费实行政府指导价管理", "department", "development", 45, "in_progress",
     "指导价方案已征求意见。", {"形成方案", "征求意见", NULL}},
    {"四(四)13", "“可视托”视频监控接入婴幼儿照护管理中心", "district", "", 30, "in_progress",
     "已接入机构 11 家。", {"完成招标", "全部机构接入", NULL}},
    {"四(五)15", "制定婴幼儿照护服务机构生均保育经费补助标准", "department", "finance", -90, "done",
     "补助标准已印发并纳入年度预算。", {"测算补助标准", NULL, NULL}},
    {"四(五)16", "依托实训基地开展托育从业人员培训", "town", "330304001", 100, "planned", NULL,
     {"制定年度培训计划", NULL, NULL}},
};

int keytasks_demo(struct db *db, const char *district, int64_t admin_id, const char *today, const char *now_ts,
                  struct err *e)
{
    for (size_t i = 0; i < sizeof TASKS / sizeof *TASKS; i++) {
        const struct demo_task *d = &TASKS[i];
        struct keytask t = {0};
        snprintf(t.item, sizeof t.item, "%s", d->item);
        snprintf(t.title, sizeof t.title, "%s", d->title);
        snprintf(t.owner_kind, sizeof t.owner_kind, "%s", d->owner_kind);
        snprintf(t.owner_code, sizeof t.owner_code, "%s", d->owner_code);
        date_add_days(today, d->due, t.due_on);
        int n = 0;
        while (n < 3 && d->milestones[n])
            n++;
        for (int k = 0; k < n; k++) {
            snprintf(t.milestones[k].title, sizeof t.milestones[k].title, "%s", d->milestones[k]);
            /* the deadline's span of 180 days split evenly among the milestones */
            date_add_days(t.due_on, -180 * (n - 1 - k) / n, t.milestones[k].due_on);
        }
        t.nmilestones = n;
        int64_t id;
        if (keytasks_store_insert(db, district, &t, admin_id, now_ts, &id, e) < 0)
            return -1;
        if (!d->note)
            continue;
        /* the milestones already past are done; all of them when the task is */
        int done[3], ndone = 0;
        for (int k = 0; k < n; k++)
            if (strcmp(d->state, "done") == 0 || strcmp(t.milestones[k].due_on, today) < 0)
                done[ndone++] = k;
        char day[DATE_DAY_LEN];
        snprintf(day, sizeof day, "%s", strcmp(d->state, "done") == 0 ? t.due_on : today);
        if (keytasks_store_report(db, id, d->state, d->note, done, ndone, day, admin_id, now_ts, e) < 0)
            return -1;
    }
    return 0;
}
