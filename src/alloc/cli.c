/* cli.c — `tuoyu allocate`: the batch form of the allocation engine (issue 5 part 4). Reads three
 * CSV files, checks them completely, runs deferred acceptance and only then writes the result, so
 * bad input leaves stdout empty. */
#include <errno.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>

#include "alloc/alloc_csv.h"
#include "alloc/lottery.h"
#include "base/cli.h"
#include "commands.h"

static const char USAGE[] =
    "usage: tuoyu allocate --programs programs.csv --children children.csv --applications apps.csv\n"
    "                      [--cutoffs cutoffs.csv] [--seed HEX64]\n"
    "  Allocate places by child-proposing deferred acceptance: each child is placed at the best\n"
    "  program on its list it can get in the child-optimal stable matching. A program takes\n"
    "  children in order of points at that program (higher first), then lottery number (lower first).\n"
    "\n"
    "  programs.csv      columns program_id, capacity (integer >= 0)\n"
    "  children.csv      columns child_id, lottery (integers, all different); optional column\n"
    "                    fixed_program_id: a place already accepted, kept (waitlist re-runs)\n"
    "  apps.csv          columns child_id, rank, program_id, points (rank 1 = first choice; points\n"
    "                    a decimal number, e.g. 12 or 2.5)\n"
    "  Columns are found by header name (any order, case-insensitive; others are ignored).\n"
    "\n"
    "  Output (stdout): CSV with header child_id,program_id and one row for every child, in the\n"
    "  order of children.csv; program_id is empty when the child got no place.\n"
    "  --cutoffs FILE    also write each program's cut-off: program_id,capacity,fixed,admitted,full,\n"
    "                    cutoff_points,cutoff_lottery (the last admitted child's points and lottery)\n"
    "  --seed HEX64      draw the lottery numbers 1..N from this 32-byte seed (64 hex digits) in the\n"
    "                    order of children.csv instead of reading them (docs/allocation.md); the\n"
    "                    output then has a third column, lottery\n"
    "\n"
    "  Exit status: 0 on success; 2 on a usage error or bad input (unknown program or child,\n"
    "  repeated rank or program for one child, negative capacity, duplicate lottery number or id,\n"
    "  non-numeric value, missing column, unreadable file), with a message naming the file, line\n"
    "  and value on stderr and nothing on stdout; 1 when memory runs out or output fails.\n";

/* --name VALUE or --name=VALUE at argv[*i]; returns 1 and sets *value when it matches */
static int option(int argc, char **argv, int *i, const char *name, const char **value, int *missing)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return 0;
    if (argv[*i][n] == '=') {
        *value = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] != 0)
        return 0;
    if (*i + 1 >= argc) {
        *missing = 1;
        return 1;
    }
    *value = argv[++*i];
    return 1;
}

int cmd_allocate(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(USAGE, stdout);
        return CLI_OK;
    }
    const char *programs = NULL, *children = NULL, *apps = NULL, *cutoffs = NULL, *seed_hex = NULL;
    for (int i = 1; i < argc; i++) {
        int missing = 0;
        if (option(argc, argv, &i, "--programs", &programs, &missing) ||
            option(argc, argv, &i, "--children", &children, &missing) ||
            option(argc, argv, &i, "--applications", &apps, &missing) ||
            option(argc, argv, &i, "--cutoffs", &cutoffs, &missing) ||
            option(argc, argv, &i, "--seed", &seed_hex, &missing)) {
            if (missing)
                return cli_usage_error("allocate", "%s needs a value", argv[i]);
            continue;
        }
        return cli_usage_error("allocate", "unknown argument '%s'", argv[i]);
    }
    if (!programs || !children || !apps)
        return cli_usage_error("allocate", "--programs, --children and --applications are required");

    struct err e = {0};
    unsigned char seed[ALLOC_SEED_BYTES];
    if (seed_hex && alloc_seed_parse(seed_hex, seed, &e) < 0)
        return cli_usage_error("allocate", "--seed: %s", e.message);

    const char *paths[3] = {programs, children, apps};
    FILE *f[3] = {NULL, NULL, NULL};
    int rc = CLI_USAGE;
    struct alloc_csv *a = NULL;
    for (int k = 0; k < 3; k++) {
        f[k] = fopen(paths[k], "rb");
        if (!f[k]) {
            fprintf(stderr, "tuoyu allocate: %s: 无法打开文件 (cannot open): %s\n", paths[k], strerror(errno));
            goto done;
        }
        /* only this thread reads these files: skip stdio's per-character locking (about a third
         * of the parsing time with the byte-at-a-time CSV reader) */
        __fsetlocking(f[k], FSETLOCKING_BYCALLER);
    }
    struct alloc_csv_files in = {f[0], f[1], f[2], programs, children, apps, seed_hex ? seed : NULL};
    if (alloc_csv_read(&in, &a, &e) < 0 || alloc_csv_solve(a, &e) < 0) {
        fprintf(stderr, "tuoyu allocate: %s\n", e.message);
        rc = e.status >= 500 ? CLI_FAIL : CLI_USAGE;
        goto done;
    }
    if (cutoffs) {
        FILE *co = fopen(cutoffs, "w");
        int bad = !co || alloc_csv_write_cutoffs(a, co) < 0;
        if (co && fclose(co) != 0)
            bad = 1;
        if (bad) {
            fprintf(stderr, "tuoyu allocate: %s: 无法写入 (cannot write)\n", cutoffs);
            rc = CLI_FAIL;
            goto done;
        }
    }
    if (alloc_csv_write(a, stdout) < 0 || fflush(stdout) != 0) {
        fprintf(stderr, "tuoyu allocate: cannot write the output\n");
        rc = CLI_FAIL;
        goto done;
    }
    rc = CLI_OK;
done:
    alloc_csv_free(a);
    for (int k = 0; k < 3; k++)
        if (f[k])
            fclose(f[k]);
    return rc;
}
