/* csv.c — a small streaming RFC 4180 reader and a quoting writer. */
#include "base/csv.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/err.h"

struct csv_reader {
    FILE *f;
    char name[200];
    char error[400];
    long line;       /* current physical line (1-based) */
    long row_line;   /* line where the current row began */
    int at_start;    /* BOM check pending */
    int back[4];     /* bytes read ahead and given back, last in first out */
    int nback;
    /* current row: all fields back to back, NUL-terminated */
    char *buf;
    size_t buf_len, buf_cap;
    size_t *offs;
    size_t nfields, offs_cap;
    /* header copy */
    char **header;
    size_t nheader;
};

struct csv_reader *csv_open(FILE *f, const char *name)
{
    struct csv_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->f = f;
    snprintf(r->name, sizeof r->name, "%s", name ? name : "input");
    r->line = 1;
    r->at_start = 1;
    return r;
}

void csv_close(struct csv_reader *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nheader; i++)
        free(r->header[i]);
    free(r->header);
    free(r->buf);
    free(r->offs);
    free(r);
}

static int push_char(struct csv_reader *r, char c)
{
    if (r->buf_len + 1 >= r->buf_cap) {
        size_t cap = r->buf_cap ? r->buf_cap * 2 : 256;
        char *nb = realloc(r->buf, cap);
        if (!nb)
            return -1;
        r->buf = nb;
        r->buf_cap = cap;
    }
    r->buf[r->buf_len++] = c;
    return 0;
}

static int start_field(struct csv_reader *r)
{
    if (r->nfields == r->offs_cap) {
        size_t cap = r->offs_cap ? r->offs_cap * 2 : 16;
        size_t *no = realloc(r->offs, cap * sizeof *no);
        if (!no)
            return -1;
        r->offs = no;
        r->offs_cap = cap;
    }
    r->offs[r->nfields++] = r->buf_len;
    return 0;
}

static int oom(struct csv_reader *r)
{
    snprintf(r->error, sizeof r->error, "%s：内存不足", r->name);
    return -1;
}

/* getc/ungetc with room for more than one byte given back (a non-BOM start of file) */
static int next_byte(struct csv_reader *r) { return r->nback ? r->back[--r->nback] : getc(r->f); }
static void give_back(struct csv_reader *r, int c)
{
    if (c != EOF && r->nback < 4)
        r->back[r->nback++] = c;
}

/* Read one logical row (which may span lines inside quotes). */
static int read_row(struct csv_reader *r)
{
    r->buf_len = 0;
    r->nfields = 0;
    if (r->at_start) {
        r->at_start = 0;
        int c1 = next_byte(r);
        if (c1 == 0xEF) {
            int c2 = next_byte(r), c3 = c2 == 0xBB ? next_byte(r) : EOF;
            if (!(c2 == 0xBB && c3 == 0xBF)) { /* not a BOM: a character such as "（" (EF BC 88) */
                give_back(r, c3);
                give_back(r, c2);
                give_back(r, c1);
            }
        } else {
            give_back(r, c1);
        }
    }
    int c = next_byte(r);
    if (c == EOF) {
        if (ferror(r->f)) {
            snprintf(r->error, sizeof r->error, "%s：读取错误", r->name);
            return -1;
        }
        return 0;
    }
    r->row_line = r->line;
    if (start_field(r) < 0)
        return oom(r);
    int in_quotes = 0, was_quoted = 0;
    for (;; c = next_byte(r)) {
        if (c == EOF) {
            if (ferror(r->f)) {
                snprintf(r->error, sizeof r->error, "%s：读取错误", r->name);
                return -1;
            }
            if (in_quotes) {
                snprintf(r->error, sizeof r->error, "%s：第 %ld 行开始的带引号字段缺少结束引号", r->name,
                         r->row_line);
                return -1;
            }
            break;
        }
        if (in_quotes) {
            if (c == '"') {
                int n = next_byte(r);
                if (n == '"') {
                    if (push_char(r, '"') < 0)
                        return oom(r);
                } else {
                    in_quotes = 0;
                    if (n != EOF)
                        give_back(r, n);
                }
            } else {
                if (c == '\n')
                    r->line++;
                if (push_char(r, (char)c) < 0)
                    return oom(r);
            }
            continue;
        }
        if (c == '"' && !was_quoted && r->buf_len == r->offs[r->nfields - 1]) {
            in_quotes = 1;
            was_quoted = 1;
        } else if (c == ',') {
            if (push_char(r, 0) < 0 || start_field(r) < 0)
                return oom(r);
            was_quoted = 0;
        } else if (c == '\r') {
            int n = next_byte(r);
            if (n != '\n' && n != EOF)
                give_back(r, n);
            r->line++;
            break;
        } else if (c == '\n') {
            r->line++;
            break;
        } else {
            if (push_char(r, (char)c) < 0)
                return oom(r);
        }
    }
    if (push_char(r, 0) < 0)
        return oom(r);
    return 1;
}

static int row_is_blank(const struct csv_reader *r)
{
    if (r->nfields != 1)
        return 0;
    for (const char *p = r->buf; *p; p++)
        if (!isspace((unsigned char)*p))
            return 0;
    return 1;
}

int csv_next(struct csv_reader *r)
{
    for (;;) {
        int rc = read_row(r);
        if (rc <= 0)
            return rc;
        if (!row_is_blank(r))
            return 1;
    }
}

static char *trimmed_dup(const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

int csv_read_header(struct csv_reader *r)
{
    int rc = csv_next(r);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        snprintf(r->error, sizeof r->error, "%s：文件为空，第一行须为表头", r->name);
        return -1;
    }
    r->header = calloc(r->nfields, sizeof *r->header);
    if (!r->header)
        return oom(r);
    for (size_t i = 0; i < r->nfields; i++) {
        r->header[i] = trimmed_dup(r->buf + r->offs[i]);
        if (!r->header[i])
            return oom(r);
        r->nheader = i + 1;
    }
    return 0;
}

size_t csv_count(const struct csv_reader *r) { return r->nfields; }

const char *csv_field(const struct csv_reader *r, size_t i)
{
    return i < r->nfields ? r->buf + r->offs[i] : "";
}

const char *csv_get(const struct csv_reader *r, int col)
{
    if (col < 0)
        return NULL;
    return csv_field(r, (size_t)col);
}

int csv_column(const struct csv_reader *r, const char *name)
{
    for (size_t i = 0; i < r->nheader; i++)
        if (strcasecmp(r->header[i], name) == 0)
            return (int)i;
    return -1;
}

size_t csv_header_count(const struct csv_reader *r) { return r->nheader; }
const char *csv_header_name(const struct csv_reader *r, size_t i) { return i < r->nheader ? r->header[i] : ""; }
long csv_line(const struct csv_reader *r) { return r->row_line; }
const char *csv_name(const struct csv_reader *r) { return r->name; }
const char *csv_error(const struct csv_reader *r) { return r->error; }

void csv_write_field(FILE *out, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    putc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', out);
        putc(*s, out);
    }
    putc('"', out);
}

void csv_write_row(FILE *out, const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            putc(',', out);
        csv_write_field(out, fields[i]);
    }
    putc('\n', out);
}

struct csv_reader *csv_open_with_header(FILE *f, const char *name, struct err *e)
{
    struct csv_reader *r = csv_open(f, name);
    if (!r) {
        err_set(e, 500, "oom", "", "内存不足");
        return NULL;
    }
    if (csv_read_header(r) < 0) {
        err_set(e, 400, "bad_csv", "", "%s", csv_error(r));
        csv_close(r);
        return NULL;
    }
    return r;
}
