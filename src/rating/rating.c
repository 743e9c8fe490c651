/* rating.c — the quality assessment and star-rating engine (rating.h): a scheme's coherence, a
 * sheet's completeness, experts' sheets combined, and the level from the points and vetoes. */
#include "rating/rating.h"

#include <stdio.h>
#include <stdlib.h>

int rating_scheme_check(const struct rating_scheme *s, struct err *e)
{
    if (s->ndimensions < 1 || s->ndimensions > RATING_MAX_DIMENSIONS)
        return err_set(e, 422, "bad_scheme", "dimensions", "评估方案须有 1 至 %d 个维度", RATING_MAX_DIMENSIONS);
    if (s->nitems < 1 || s->nitems > RATING_MAX_ITEMS)
        return err_set(e, 422, "bad_scheme", "items", "评估方案须有 1 至 %d 个指标", RATING_MAX_ITEMS);
    int total = 0;
    char field[32];
    for (int i = 0; i < s->nitems; i++) {
        const struct rating_item *it = &s->items[i];
        snprintf(field, sizeof field, "items[%d]", i);
        if (it->dimension < 0 || it->dimension >= s->ndimensions)
            return err_set(e, 422, "bad_scheme", field, "指标所属的维度不存在");
        if (it->kind == RATING_POINTS && it->max_tenths <= 0)
            return err_set(e, 422, "bad_scheme", field, "计分指标的满分须大于 0");
        if (it->kind == RATING_VETO && it->max_tenths != 0)
            return err_set(e, 422, "bad_scheme", field, "否决指标不计分");
        total += it->max_tenths;
    }
    if (s->nlevels < 1 || s->nlevels > RATING_MAX_LEVELS)
        return err_set(e, 422, "bad_scheme", "levels", "评估方案须有 1 至 %d 个等级", RATING_MAX_LEVELS);
    for (int l = 0; l < s->nlevels; l++) {
        snprintf(field, sizeof field, "levels[%d]", l);
        if (s->levels[l].min_tenths < 0 || s->levels[l].min_tenths > total)
            return err_set(e, 422, "bad_scheme", field, "等级分数线须在 0 与满分 %d.%d 分之间", total / 10, total % 10);
        if (l > 0 && s->levels[l].min_tenths >= s->levels[l - 1].min_tenths)
            return err_set(e, 422, "bad_scheme", field, "等级须从高到低排列，分数线逐级降低");
    }
    if (s->veto_cap < 0 || s->veto_cap > s->nlevels)
        return err_set(e, 422, "bad_scheme", "veto_cap", "否决后的等级不存在");
    if (s->combine == RATING_TRIMMED_MEAN && s->trim_from < 3)
        return err_set(e, 422, "bad_scheme", "trim_from", "去掉最高、最低分至少需要 3 名专家");
    return 0;
}

int rating_sheet_check(const struct rating_scheme *s, const struct rating_sheet *sheet, int partial, struct err *e)
{
    char field[32];
    for (int i = 0; i < s->nitems; i++) {
        const struct rating_item *it = &s->items[i];
        int v = sheet->score[i];
        snprintf(field, sizeof field, "items[%d]", i);
        if (v == RATING_UNSCORED) {
            if (partial)
                continue;
            return err_set(e, 422, "item_unscored", field, "该指标尚未评分");
        }
        if (it->kind == RATING_VETO) {
            if (v != RATING_MET && v != RATING_NOT_MET)
                return err_set(e, 422, "bad_veto", field, "否决指标只能判定为达标或不达标");
            continue;
        }
        if (v < 0)
            return err_set(e, 422, "score_negative", field, "得分不能为负");
        if (v > it->max_tenths)
            return err_set(e, 422, "score_above_max", field, "得分 %d.%d 超过该指标满分 %d.%d", v / 10, v % 10,
                           it->max_tenths / 10, it->max_tenths % 10);
    }
    return 0;
}

static int compare_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* sum / count rounded half up (both non-negative, count positive) */
static int mean_half_up(int sum, int count)
{
    return (2 * sum + count) / (2 * count);
}

int rating_combine_sheets(const struct rating_scheme *s, const struct rating_sheet *sheets, int n,
                          struct rating_sheet *out, struct err *e)
{
    if (n < 1 || n > RATING_MAX_EXPERTS)
        return err_set(e, 422, "bad_expert_count", "experts", "专家人数须在 1 至 %d 之间", RATING_MAX_EXPERTS);
    for (int k = 0; k < n; k++)
        if (rating_sheet_check(s, &sheets[k], 0, e) < 0)
            return -1;
    int trim = s->combine == RATING_TRIMMED_MEAN && n >= s->trim_from;
    for (int i = 0; i < s->nitems; i++) {
        int v[RATING_MAX_EXPERTS];
        for (int k = 0; k < n; k++)
            v[k] = sheets[k].score[i];
        if (s->items[i].kind == RATING_VETO) {
            out->score[i] = RATING_MET;
            for (int k = 0; k < n; k++)
                if (v[k] == RATING_NOT_MET)
                    out->score[i] = RATING_NOT_MET;
            continue;
        }
        qsort(v, (size_t)n, sizeof v[0], compare_int);
        int from = trim ? 1 : 0, to = trim ? n - 1 : n, sum = 0;
        for (int k = from; k < to; k++)
            sum += v[k];
        out->score[i] = mean_half_up(sum, to - from);
    }
    return 0;
}

int rating_judge(const struct rating_scheme *s, const struct rating_sheet *sheet, struct rating_result *out,
                 struct err *e)
{
    if (rating_sheet_check(s, sheet, 0, e) < 0)
        return -1;
    *out = (struct rating_result){0};
    for (int i = 0; i < s->nitems; i++) {
        const struct rating_item *it = &s->items[i];
        out->max_tenths += it->max_tenths;
        if (it->kind == RATING_VETO) {
            if (sheet->score[i] == RATING_NOT_MET)
                out->vetoes_failed[out->nvetoes_failed++] = i;
            continue;
        }
        out->dimension_tenths[it->dimension] += sheet->score[i];
        out->total_tenths += sheet->score[i];
    }
    out->points_level = RATING_NO_LEVEL;
    for (int l = 0; l < s->nlevels && out->points_level == RATING_NO_LEVEL; l++)
        if (out->total_tenths >= s->levels[l].min_tenths)
            out->points_level = l;
    out->level = out->points_level;
    if (out->nvetoes_failed > 0 && out->level != RATING_NO_LEVEL && out->level < s->veto_cap)
        out->level = s->veto_cap == s->nlevels ? RATING_NO_LEVEL : s->veto_cap;
    return 0;
}
