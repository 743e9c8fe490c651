/* main.c — the tuoyu command line: dispatches `tuoyu COMMAND ...` to the module that owns it. */
#include <stdio.h>
#include <string.h>

#include "base/cli.h"
#include "commands.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    /* one line per command, kept in this order; add yours above the end marker */
    {NULL, NULL, NULL} /* end */
};

static void usage(FILE *out)
{
    fprintf(out, "tuoyu — 瓯海区普惠托育基本公共服务平台\n\nusage: tuoyu COMMAND [options]   (tuoyu COMMAND --help for each)\n\n");
    for (const struct command *c = commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    for (const struct command *c = commands; c->name; c++)
        if (strcmp(argv[1], c->name) == 0)
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "tuoyu: unknown command '%s' (see tuoyu --help)\n", argv[1]);
    return CLI_USAGE;
}
