/* zscore_csv.h — batch z-scores over CSV: the body of `tuoyu zscore`, kept apart from the
 * command so tests and the fuzz target can drive it with in-memory streams.
 *
 * Input: a CSV with a header; columns found by name (any order, case-insensitive, others
 * ignored). Output: a CSV with a header, one row per input row, in input order. A row whose
 * values are unusable gets a stable code in column `error` and no z-scores; the following
 * rows are still processed. See GROWTH_CSV_HELP for the exact columns and codes. */
#ifndef TUOYU_GROWTH_ZSCORE_CSV_H
#define TUOYU_GROWTH_ZSCORE_CSV_H

#include <stdio.h>

#include "base/err.h"

/* The column and error-code documentation printed by `tuoyu zscore --help`. */
extern const char GROWTH_CSV_HELP[];

enum {
    GROWTH_CSV_2007 = 1,     /* WHO 2007 reference (anthroplus) instead of the 2006 standards */
    GROWTH_CSV_CLASSES = 2   /* append WHO class and WS/T 423 grade columns */
};

/* Read measurements from in (name is used in messages), write results to out.
 * flags: GROWTH_CSV_* bits. Returns the number of data rows written (>= 0), or -1 with e
 * filled when the input cannot be read (empty, no header, malformed CSV, out of memory);
 * rows already written stay written. */
long growth_csv_run(FILE *in, const char *name, FILE *out, int flags, struct err *e);

#endif
