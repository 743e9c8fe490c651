/* mclp_exact.c — the maximal covering location problem solved exactly as an integer program
 * with GLPK:  max Σ w_i y_i  s.t.  y_i − Σ_{c covers i} x_c ≤ 0,  Σ x_c ≤ k,
 * x_c ∈ {0,1}, 0 ≤ y_i ≤ 1. Used by the tests to check the heuristic, and by
 * `tuoyu plan sites --exact`. */
#include "plan/mclp.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int plan_mclp_exact(const struct plan_mclp *in, int time_limit_ms, struct plan_mclp_result *out,
                    int *proven, struct err *e)
{
    size_t n = in->k < in->n_cand ? in->k : in->n_cand;
    out->n_chosen = n;
    out->total = 0;
    *proven = 1;
    if (n == 0)
        return 0;
    /* rows only for demand with weight and at least one covering candidate */
    int *row_of = calloc(in->n_demand ? in->n_demand : 1, sizeof *row_of);
    if (!row_of)
        return err_set(e, 500, "out_of_memory", "", "内存不足");
    int rows = 1; /* row 1: cardinality */
    size_t nnz = in->n_cand;
    for (uint32_t c = 0; c < in->n_cand; c++)
        for (size_t k = in->cover_off[c]; k < in->cover_off[c + 1]; k++) {
            uint32_t i = in->cover[k];
            if (in->weight[i] <= 0)
                continue;
            if (!row_of[i])
                row_of[i] = ++rows;
            nnz++;
        }
    nnz += (size_t)(rows - 1);
    int *ia = malloc((nnz + 1) * sizeof *ia), *ja = malloc((nnz + 1) * sizeof *ja);
    double *ar = malloc((nnz + 1) * sizeof *ar);
    uint32_t *ydemand = malloc((size_t)rows * sizeof *ydemand);
    if (!ia || !ja || !ar || !ydemand) {
        free(row_of), free(ia), free(ja), free(ar), free(ydemand);
        return err_set(e, 500, "out_of_memory", "", "内存不足");
    }
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MAX);
    glp_add_rows(lp, rows);
    glp_set_row_bnds(lp, 1, GLP_UP, 0, (double)n);
    for (int r = 2; r <= rows; r++)
        glp_set_row_bnds(lp, r, GLP_UP, 0, 0);
    int ncols = (int)in->n_cand + rows - 1;
    glp_add_cols(lp, ncols);
    for (uint32_t c = 0; c < in->n_cand; c++) {
        glp_set_col_kind(lp, (int)c + 1, GLP_BV);
        glp_set_obj_coef(lp, (int)c + 1, 0);
    }
    for (size_t i = 0; i < in->n_demand; i++)
        if (row_of[i]) {
            int col = (int)in->n_cand + row_of[i] - 1;
            ydemand[row_of[i] - 1] = (uint32_t)i;
            glp_set_col_bnds(lp, col, GLP_DB, 0, 1);
            glp_set_obj_coef(lp, col, in->weight[i]);
        }
    size_t t = 0;
    for (uint32_t c = 0; c < in->n_cand; c++) {
        t++, ia[t] = 1, ja[t] = (int)c + 1, ar[t] = 1;
        for (size_t k = in->cover_off[c]; k < in->cover_off[c + 1]; k++) {
            uint32_t i = in->cover[k];
            if (in->weight[i] <= 0)
                continue;
            t++, ia[t] = row_of[i], ja[t] = (int)c + 1, ar[t] = -1;
        }
    }
    for (int r = 2; r <= rows; r++)
        t++, ia[t] = r, ja[t] = (int)in->n_cand + r - 1, ar[t] = 1;
    glp_load_matrix(lp, (int)t, ia, ja, ar);

    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.presolve = GLP_ON;
    parm.msg_lev = GLP_MSG_OFF;
    if (time_limit_ms > 0)
        parm.tm_lim = time_limit_ms;
    int rc = glp_intopt(lp, &parm);
    int status = glp_mip_status(lp);
    int result = 0;
    if ((rc != 0 && rc != GLP_ETMLIM) || (status != GLP_OPT && status != GLP_FEAS)) {
        result = err_set(e, 500, "solver_failed", "", "整数规划求解失败（GLPK %d/%d）", rc, status);
    } else {
        *proven = status == GLP_OPT && rc == 0;
        size_t m = 0;
        for (uint32_t c = 0; c < in->n_cand && m < n; c++)
            if (glp_mip_col_val(lp, (int)c + 1) > 0.5)
                out->chosen[m++] = c;
        /* fill up to n with the lowest unchosen indices (they add nothing) */
        for (uint32_t c = 0; c < in->n_cand && m < n; c++) {
            int used = 0;
            for (size_t q = 0; q < m; q++)
                if (out->chosen[q] == c)
                    used = 1;
            if (!used)
                out->chosen[m++] = c;
        }
        /* rank by greedy marginal gain within the set */
        uint8_t *seen = calloc(in->n_demand ? in->n_demand : 1, 1);
        if (!seen) {
            result = err_set(e, 500, "out_of_memory", "", "内存不足");
        } else {
            for (size_t r = 0; r < n; r++) {
                size_t best = r;
                double bg = -1;
                for (size_t q = r; q < n; q++) {
                    uint32_t c = out->chosen[q];
                    double g = 0;
                    for (size_t k = in->cover_off[c]; k < in->cover_off[c + 1]; k++)
                        if (!seen[in->cover[k]])
                            g += in->weight[in->cover[k]];
                    if (g > bg + 1e-9 || (fabs(g - bg) <= 1e-9 && c < out->chosen[best])) {
                        bg = g;
                        best = q;
                    }
                }
                uint32_t tmp = out->chosen[r];
                out->chosen[r] = out->chosen[best];
                out->chosen[best] = tmp;
                uint32_t c = out->chosen[r];
                for (size_t k = in->cover_off[c]; k < in->cover_off[c + 1]; k++)
                    seen[in->cover[k]] = 1;
                out->added[r] = bg;
                out->total += bg;
            }
            free(seen);
        }
    }
    glp_delete_prob(lp);
    free(row_of), free(ia), free(ja), free(ar), free(ydemand);
    return result;
}
