/* alloc_csv.h — the CSV batch form of the allocation engine, behind `tuoyu allocate`: reads
 * programs, children and applications by header name, refuses bad input with the file, line and
 * value, runs alloc_run() and writes `child_id,program_id` for every child in the order of the
 * children file. Reading and writing are separate steps, so nothing is written unless the whole
 * input is valid.
 *
 *   programs.csv      program_id, capacity            (capacity an integer >= 0)
 *   children.csv      child_id, lottery               (unique integers; lower goes first)
 *                     [fixed_program_id]              (optional: a place already accepted)
 *   applications.csv  child_id, rank, program_id, points   (rank 1 = first choice)
 *
 * Ids are text, compared after trimming surrounding spaces; they must be non-empty and unique in
 * their file. Columns may come in any order, extra columns are ignored.
 */
#ifndef TUOYU_ALLOC_CSV_H
#define TUOYU_ALLOC_CSV_H

#include <stdio.h>

#include "alloc/alloc.h"
#include "alloc/lottery.h"

struct alloc_csv_files {
    FILE *programs, *children, *applications; /* not closed */
    const char *programs_name, *children_name, *applications_name; /* used in messages */
    /* optional: draw the lottery numbers from this seed in the order of the children file
     * (alloc_lottery); the lottery column is then not read */
    const unsigned char *seed;
};

struct alloc_csv; /* the parsed instance and, after alloc_csv_solve, its result */

/* Read and check the three files. Returns 0 and sets *out, or -1 with e filled: status 400 with
 * a message "FILE:LINE: what 'VALUE'" for bad input (missing column, empty or duplicate id,
 * non-numeric or out-of-range value, negative capacity, duplicate lottery number, unknown child
 * or program, a rank or program repeated for one child, more fixed places than seats), 500 when
 * memory runs out. */
int alloc_csv_read(const struct alloc_csv_files *in, struct alloc_csv **out, struct err *e);

/* Run the engine on what was read. Returns 0 or -1 with e filled. */
int alloc_csv_solve(struct alloc_csv *a, struct err *e);

/* `child_id,program_id` (and `,lottery` when the numbers were drawn from a seed) for every child
 * in the order of the children file, program_id empty when unassigned. Returns 0, -1 on a write
 * error. */
int alloc_csv_write(const struct alloc_csv *a, FILE *out);

/* One row per program in the order of the programs file:
 * program_id,capacity,fixed,admitted,full,cutoff_points,cutoff_lottery (the last admitted
 * child's points and lottery number, empty when nobody was admitted). Returns 0, -1 on error. */
int alloc_csv_write_cutoffs(const struct alloc_csv *a, FILE *out);

/* The engine's input and result, for callers that want more than the CSV (after solve). */
const struct alloc_input *alloc_csv_input(const struct alloc_csv *a);
const struct alloc_result *alloc_csv_result(const struct alloc_csv *a);

void alloc_csv_free(struct alloc_csv *a);

#endif
