/* roster.h — an institution's children roster from a file (issue 21 item 3; base/sheet.h): one
 * child a row — 姓名, 性别 (男/女 or 1/2), 出生日期, 身份证号 or 出生医学证明编号, 户籍镇街 (name or code),
 * and, to place the child, 班级 (the class's name at the institution) with 入班日期 (today when
 * blank). Every row is checked as POST /api/v1/children checks a body; any error and nothing is
 * written, every error reported with the row, the column as the file writes it, the value and the
 * reason. */
#ifndef TUOYU_CHILDREN_ROSTER_H
#define TUOYU_CHILDREN_ROSTER_H

#include <jansson.h>

#include "base/sheet.h"
#include "base/xlsx.h"
#include "http/http.h"

enum roster_col { ROSTER_NAME, ROSTER_SEX, ROSTER_BIRTH, ROSTER_ID, ROSTER_CERT, ROSTER_HUKOU, ROSTER_CLASS, ROSTER_START,
                  ROSTER_COLS };
#define ROSTER_MAX_ROWS 2000
extern const struct sheet_column roster_columns[ROSTER_COLS];

/* The template's example row (a fill, audit/export.h) and a sheet of notes. */
int roster_template(struct xlsx_sheet *x, void *ctx, struct err *e);

/* The roster's routes: POST /api/v1/institutions/{id}/children/import, GET
 * /api/v1/children/import-template (roster.c). */
extern const struct route roster_routes[];

#endif
