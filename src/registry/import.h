/* import.h — institutions from a table (issue 21 item 1; docs/exchange.md): an .xlsx or CSV (any
 * encoding, base/sheet.h) with the template's Chinese headings or the English keys, values as
 * people write them (社会机构市场办 or market, 公办/民办, 是/否, 托大班, a town by name or code,
 * money in yuan), classes and fees as rows of their own — a row with the institution's name (or
 * a blank name) under that institution adds a class and/or a fee to it. Every row is checked as a
 * request body is (registry_schema, registry_from_json); any error and nothing is written, every
 * error reported with the row, the column as the file writes it, the value and the reason. */
#ifndef TUOYU_REGISTRY_IMPORT_H
#define TUOYU_REGISTRY_IMPORT_H

#include <jansson.h>

#include "base/sheet.h"
#include "base/xlsx.h"
#include "db/db.h"
#include "registry/registry.h"

/* The template's columns, in order. */
enum registry_import_col {
    IMP_NAME, IMP_USCC, IMP_TOWN, IMP_ADDRESS, IMP_LON, IMP_LAT, IMP_MODEL, IMP_OWNERSHIP, IMP_INCLUSIVE,
    IMP_STATUS, IMP_TENURE, IMP_LEASE_START, IMP_LEASE_END, IMP_FLOOR, IMP_HEALTH_ROOM, IMP_WINDOW_RATIO,
    IMP_HEALTH_WORKERS, IMP_HOURS, IMP_PHONE, IMP_DIRECTOR, IMP_CLASS_TYPE, IMP_CLASS_NAME, IMP_CAPACITY, IMP_ENROLLED, IMP_CAREGIVERS, IMP_FEE_ITEM,
    IMP_FEE_CATEGORY, IMP_FEE_YUAN, IMP_FEE_UNIT, REGISTRY_IMPORT_COLS
};
#define REGISTRY_IMPORT_MAX_ROWS 20000
#define REGISTRY_IMPORT_MAX_BYTES (32u << 20) /* a workbook of that many rows, with room */
extern const struct sheet_column registry_import_columns[REGISTRY_IMPORT_COLS];
/* The import template (.xlsx): its headings and column widths, and a fill (audit/export.h) writing
 * its example — one institution with two classes and two fees, the second row continuing the
 * first —, drop-downs of the words the import understands (towns from ctx: the district's rows
 * {code, name}, or NULL for none) and a sheet of notes on filling it in. */
void registry_import_heads(const char *heads[REGISTRY_IMPORT_COLS], double widths[REGISTRY_IMPORT_COLS]);
int registry_import_example(struct xlsx_sheet *x, void *ctx, struct err *e);

/* Institutions out in the template's form, so the file imports back as it is: a fill
 * (audit/export.h) of ctx, a struct registry_export — every institution of the district, read a
 * page at a time, and its towns (rows {code, name}: a town is written by its name). Fields the
 * template has no column for (service types, 普惠 date and basis, 示范, the star level, which a
 * rating gives) are not in it. */
struct registry_export {
    struct db *db;
    const char *district;
    const json_t *towns;
    const char *today; /* the day whose fee catalogues are exported */
};
int registry_export_rows(struct xlsx_sheet *x, void *ctx, struct err *e);

/* The report of a checked file: its rows by the template's columns with every cell at fault
 * marked, and a last column (错误说明) of each row's faults — a fill (audit/export.h) of ctx, a
 * struct registry_report: the table and registry_import's errors. */
struct registry_report {
    const struct sheet_table *t;
    const json_t *errors;
};
int registry_import_report(struct xlsx_sheet *x, void *ctx, struct err *e);

/* Check the table t of district's towns (rows {code, name} of registry_towns) and write its
 * institutions with registry_insert in the caller's transaction — unless errors (an array) gained
 * a row {row, field, value, code, reason}: then the caller rolls back. created gets {id, name,
 * town_code, places} of each (with dry_run nothing is written and ids are null: a preview).
 * 0, or -1 with e on a failure that is not the file's (the database). */
int registry_import(struct db *db, const char *district, const struct registry_rules *rules, const json_t *towns,
                    const struct sheet_table *t, const char *today, const char *now_ts, int dry_run, json_t *errors,
                    json_t *created, struct err *e);

#endif
