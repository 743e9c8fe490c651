/* cli.c — `tuoyu zscore [--who2007] [--classes] < in.csv > out.csv`: WHO z-scores,
 * flags and percentiles for a file of measurements (the batch form of the growth engine). */
#include <stdio.h>
#include <string.h>

#include "base/cli.h"
#include "commands.h"
#include "growth/zscore_csv.h"

static const char USAGE[] =
    "usage: tuoyu zscore [--who2007] [--classes] < in.csv > out.csv\n"
    "  WHO growth z-scores for every row of a CSV file read from standard input, written as CSV\n"
    "  to standard output. Default: WHO Child Growth Standards 2006 (0-5 years), computed as\n"
    "  WHO's anthro 1.1 does. --who2007: WHO Growth Reference 2007 (60-228 months; weight-for-age\n"
    "  to 120 months), computed as WHO's anthroplus does. --classes: add WHO classes and the\n"
    "  WS/T 423-2022 five grades (default cut-offs -3/-2 SD, +2/+3 SD; 5-19 y BMI +1/+2 SD;\n"
    "  grades at -2, -1, +1, +2 SD).\n"
    "  Exit status 0 unless the input cannot be read at all (1: empty input, no header row, or\n"
    "  broken CSV quoting; rows before the break are written), or on a usage error (2).\n";

int cmd_zscore(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(USAGE, stdout);
        fputs(GROWTH_CSV_HELP, stdout);
        return CLI_OK;
    }
    int flags = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--who2007") == 0)
            flags |= GROWTH_CSV_2007;
        else if (strcmp(argv[i], "--classes") == 0)
            flags |= GROWTH_CSV_CLASSES;
        else
            return cli_usage_error("zscore", "unknown argument '%s'", argv[i]);
    }
    struct err e;
    long rows = growth_csv_run(stdin, "stdin", stdout, flags, &e);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "tuoyu zscore: cannot write the output\n");
        return CLI_FAIL;
    }
    if (rows < 0) {
        fprintf(stderr, "tuoyu zscore: %s\n", e.message);
        return CLI_FAIL;
    }
    return CLI_OK;
}
