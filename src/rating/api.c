/* api.c — HTTP routes of quality assessment and star rating (issue 17): the district's
 * assessment schemes, public — families read what a level means, institutions what they are
 * assessed on — each with its dimensions, items, levels and every figure's basis and certainty. */
#include "app.h"
#include "base/date.h"
#include "rating/api.h"
#include "rating/store.h"

/* GET /api/v1/public/rating-schemes: every scheme version with its levels, the ones in force
 * today marked current. */
static int list_schemes(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    char today[DATE_DAY_LEN];
    date_format_day(req->now, today, sizeof today);
    json_t *items;
    if (rating_store_list(req->db, req->district, today, &items, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:o}", "items", items));
}

/* GET /api/v1/public/rating-schemes/{id}: one scheme in full. */
static int get_scheme(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct rating_scheme *s = http_alloc(req, sizeof *s);
    json_t *doc;
    if (rating_store_load(req->db, req->district, http_param_id(req, "id"), s, &doc, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, doc);
}

#define FIGURE_MEMBERS                                                                                             \
    {"basis", HTTP_STRING, HTTP_REQUIRED, "依据（文件及条款）"},                                                    \
        {"certainty", HTTP_STRING, HTTP_REQUIRED, "可靠程度：VERIFIED 已核实，UNCERTAIN 待核实（暂定）"}
static const struct http_schema LEVEL = {
    NULL, HTTP_OBJECT, 0, "等级（从高到低）",
    .members = (const struct http_schema[]){{"code", HTTP_STRING, HTTP_REQUIRED, "等级代码"},
                                            {"name", HTTP_STRING, HTTP_REQUIRED, "等级名称"},
                                            {"min_points", HTTP_NUMBER, HTTP_REQUIRED, "达到该等级的最低总分（含）"},
                                            {"meaning", HTTP_STRING, HTTP_REQUIRED, "该等级的含义"},
                                            FIGURE_MEMBERS,
                                            {NULL}}};
#define HEADER_MEMBERS                                                                                             \
    {"id", HTTP_ID, HTTP_REQUIRED, "方案编号"}, {"code", HTTP_STRING, HTTP_REQUIRED, "方案代码"},                  \
        {"name", HTTP_STRING, HTTP_REQUIRED, "方案名称"}, FIGURE_MEMBERS,                                         \
        {"combine", HTTP_STRING, HTTP_REQUIRED, "专家评分的合成：mean 平均，trimmed_mean 去掉最高、最低分后平均"}, \
        {"trim_from", HTTP_INTEGER, HTTP_REQUIRED, "去掉最高、最低分所需的最少专家人数"},                           \
        {"veto_cap", HTTP_STRING, HTTP_REQUIRED | HTTP_NULLABLE, "否决项不达标时最高可评的等级；null 为不予评级"}, \
        {"valid_from", HTTP_DATE, HTTP_REQUIRED, "版本生效日期"},                                                  \
        {"valid_to", HTTP_DATE, HTTP_REQUIRED | HTTP_NULLABLE, "版本失效日期"},                                    \
        {"levels", HTTP_ARRAY, HTTP_REQUIRED, "等级", .items = &LEVEL}
static const struct http_schema SCHEME_SUMMARY = {
    NULL, HTTP_OBJECT, 0, "评估方案的一个版本",
    .members = (const struct http_schema[]){HEADER_MEMBERS,
                                            {"current", HTTP_BOOLEAN, HTTP_REQUIRED, "今天是否在用"},
                                            {NULL}}};
static const struct http_schema SCHEMES = {
    NULL, HTTP_OBJECT, 0, "本区的评估方案（各版本，不分页）",
    .members = (const struct http_schema[]){{"items", HTTP_ARRAY, HTTP_REQUIRED, "方案", .items = &SCHEME_SUMMARY},
                                            {NULL}}};
static const struct http_schema DIMENSION = {
    NULL, HTTP_OBJECT, 0, "维度",
    .members = (const struct http_schema[]){{"code", HTTP_STRING, HTTP_REQUIRED, "维度代码"},
                                            {"name", HTTP_STRING, HTTP_REQUIRED, "维度名称"},
                                            {"points", HTTP_NUMBER, HTTP_REQUIRED, "维度满分（所含计分指标之和）"},
                                            FIGURE_MEMBERS,
                                            {NULL}}};
static const struct http_schema ITEM = {
    NULL, HTTP_OBJECT, 0, "指标",
    .members = (const struct http_schema[]){
        {"code", HTTP_STRING, HTTP_REQUIRED, "指标代码"},
        {"dimension", HTTP_STRING, HTTP_REQUIRED, "所属维度代码"},
        {"text", HTTP_STRING, HTTP_REQUIRED, "评估内容"},
        {"kind", HTTP_STRING, HTTP_REQUIRED, "points 计分；veto 否决项（达标或不达标，不达标则封顶等级）"},
        {"max_points", HTTP_NUMBER, HTTP_REQUIRED, "满分（否决项为 0）"},
        {"evidence", HTTP_STRING, HTTP_REQUIRED | HTTP_NULLABLE, "须提交的佐证材料"},
        {"maps_to", HTTP_STRING, HTTP_REQUIRED | HTTP_NULLABLE, "对应的 WS/T 821 维度"},
        FIGURE_MEMBERS,
        {NULL}}};
static const struct http_schema SCHEME = {
    NULL, HTTP_OBJECT, 0, "评估方案（完整）",
    .members = (const struct http_schema[]){HEADER_MEMBERS,
                                            {"max_points", HTTP_NUMBER, HTTP_REQUIRED, "满分"},
                                            {"dimensions", HTTP_ARRAY, HTTP_REQUIRED, "维度", .items = &DIMENSION},
                                            {"items", HTTP_ARRAY, HTTP_REQUIRED, "指标", .items = &ITEM},
                                            {NULL}}};

const struct route rating_routes[] = {
    {"GET", "/api/v1/public/rating-schemes", "public", list_schemes, NULL, &SCHEMES},
    {"GET", "/api/v1/public/rating-schemes/{id}", "public", get_scheme, NULL, &SCHEME},
    {NULL, NULL, NULL, NULL},
};
