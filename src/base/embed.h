/* embed.h — files compiled into the binary by tools/embed.sh (SQL migrations, the town list of the
 * province-size demonstration data). */
#ifndef TUOYU_EMBED_H
#define TUOYU_EMBED_H

struct embedded_file {
    const char *name;
    const char *text;
};

/* Numbered SQL migrations from src/db/migrations/, in name order, ended by {NULL, NULL}. */
extern const struct embedded_file db_migrations[];
/* data/divisions/zhejiang-towns.csv, for `tuoyu demo --scale province` (src/cli/demo_province.c). */
extern const struct embedded_file demo_divisions[];

#endif
