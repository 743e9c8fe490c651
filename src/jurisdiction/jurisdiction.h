/* jurisdiction.h — the tree above the towns: province → city → district (tables jurisdiction and
 * jurisdiction_ancestor, migration 067, GB/T 2260 codes); a district's towns are its rows of
 * `town`. What is set at a level applies to the districts below it unless a nearer level sets
 * its own: parameters (src/params/params.c), and the stamps that version the kept answers
 * depending on them (src/supervision/store.c). */
#ifndef TUOYU_JURISDICTION_H
#define TUOYU_JURISDICTION_H

/* A district and the levels above it as rows (code, distance): the district itself at 0 — also
 * when the tree does not list it — then its city at 1 and its province at 2. Two placeholders,
 * both the district's code. Join it and order by distance: the nearest level first. */
#define JURISDICTION_LEVELS_SQL                                                                                       \
    "(SELECT CAST(? AS TEXT) AS code, 0 AS distance UNION ALL "                                                     \
    "SELECT ancestor, distance FROM jurisdiction_ancestor WHERE code = ? AND distance > 0)"

#endif
