/* parse.h — strict parsing of numbers from text (CSV cells, query strings, CLI flags), and the
 * percent-encoding of text for URIs. The number parsers return 0 on success, -1 when the whole
 * string is not a valid number (leading/trailing spaces are allowed; empty is invalid). */
#ifndef TUOYU_PARSE_H
#define TUOYU_PARSE_H

#include <stddef.h>
#include <stdint.h>

int parse_double(const char *s, double *out);
int parse_int64(const char *s, int64_t *out);
/* 1 when s is NULL or only whitespace */
int parse_is_blank(const char *s);
/* The value of one hexadecimal digit (0-9, a-f, A-F), or -1 for any other character. */
int parse_hex_digit(int c);
/* s (NULL: "") into out of cap bytes; text that does not fit is cut before the UTF-8 character
 * that would not fit whole, never inside one (a cut "托育" must stay valid UTF-8 for JSON).
 * Returns 1 when s was cut, else 0. */
int parse_copy_text(char *out, size_t cap, const char *s);

/* Percent-encode s (RFC 3986: unreserved characters kept, every other byte %XX) at out + *o,
 * advancing *o and keeping room for a NUL: 0, or -1 when it does not fit (a URI, a file name in
 * a Content-Disposition header's filename*). */
int parse_percent_encode(const char *s, char *out, size_t outsz, size_t *o);

#endif
