/* gen_schemas — turns a domain's request and reply schemas, held as data in src/DIR/FILE.schemas.json,
 * into the C declarations that src/DIR/FILE.c includes as "DIR/FILE.schemas.inc" (built into
 * $(BUILD)/gen by the Makefile, never committed).
 *
 * The file is {"schemas": [declaration, …]}, each declaration one C variable of type
 * struct http_schema, in order (a declaration may use those above it):
 *   {"decl": "TASK", "type": "object", "label": "待办", "members": [member, …]}   a schema
 *   {"decl": "TASK_PAGE", "page_of": "TASK"}                                 HTTP_PAGE_OF(TASK)
 *   {"decl": "ROW_MEMBERS", "array": true, "members": [member, …]}           a member list (ROW_MEMBERS[])
 *   {"decl": "COMMON", "fragment": true, "members": [member, …]}             rows spliced by "@COMMON"
 * with "export": true for a variable other files use (declared in the domain's header; otherwise
 * static) and "note" for what a reader should know. A schema's keys are those of struct http_schema
 * (src/http/http.h): type (id, string, integer, number, boolean, date, datetime, month, object, array,
 * binary, file), flags ("required nullable trim …", each an HTTP_ flag), label, max, min_value,
 * max_value, items (a schema variable's name, here or in a header, or a schema) and members (a member-list
 * variable's name or a list). A member is a row [name, type, flags, label] with an optional fifth object of the other
 * keys; a list may also hold "@FRAGMENT", {"c": "C_MACRO"} (members a C header defines, spliced as
 * they are) and {"note": "…"}. A number may be given as {"c": "C expression"}, e.g.
 * {"c": "HTTP_MAX_OF(struct fee_item, item)"}, for a bound that follows the C type it fills.
 *
 * usage: gen_schemas IN.schemas.json > OUT.schemas.inc   (exit 1 with the place of the first error) */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *in_path;
static json_t *decls;

static void fail(const char *where, const char *what)
{
    fprintf(stderr, "%s: %s: %s\n", in_path, where, what);
    exit(1);
}

static void put_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", stdout);
        else if (*p < 0x20)
            printf("\\%03o", *p);
        else if (*p == '?' && p[1] == '?')
            fputs("\\?", stdout); /* no trigraph */
        else
            putchar(*p);
    }
    putchar('"');
}

static const char *const TYPES[] = {"id",    "string", "integer", "number", "boolean", "date", "datetime",
                                    "month", "object", "array",   "binary", "file",    NULL};

static void put_upper(const char *prefix, const char *word, size_t n)
{
    fputs(prefix, stdout);
    for (size_t i = 0; i < n; i++)
        putchar(toupper((unsigned char)word[i]));
}

static void put_type(const char *where, json_t *type)
{
    const char *t = json_string_value(type);
    for (int i = 0; t && TYPES[i]; i++)
        if (strcmp(t, TYPES[i]) == 0)
            return put_upper("HTTP_", t, strlen(t));
    fail(where, "type is not one of id string integer number boolean date datetime month object array binary file");
}

static void put_flags(const char *where, json_t *flags)
{
    const char *f = flags ? json_string_value(flags) : "";
    if (!f)
        fail(where, "flags is not a string");
    int n = 0;
    while (*f) {
        size_t len = strcspn(f, " ");
        if (len) {
            for (size_t i = 0; i < len; i++)
                if (!islower((unsigned char)f[i]) && f[i] != '_')
                    fail(where, "a flag is a lower-case word");
            if (n++)
                fputs(" | ", stdout);
            put_upper("HTTP_", f, len);
        }
        f += len + (f[len] == ' ');
    }
    if (!n)
        putchar('0');
}

/* a number: a JSON number, or {"c": "expression"} */
static void put_number(const char *where, json_t *v)
{
    if (json_is_integer(v))
        printf("%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        printf("%.17g", json_real_value(v));
    else if (json_is_object(v) && json_is_string(json_object_get(v, "c")))
        fputs(json_string_value(json_object_get(v, "c")), stdout);
    else
        fail(where, "a bound is a number or {\"c\": \"C expression\"}");
}

static json_t *find_decl(const char *name)
{
    size_t i;
    json_t *d;
    json_array_foreach(decls, i, d) if (strcmp(json_string_value(json_object_get(d, "decl")), name) == 0) return d;
    return NULL;
}

/* A note as a C comment (a note that would end the comment is refused). */
static void put_note(const char *where, const char *indent, const char *note)
{
    if (strstr(note, "*/"))
        fail(where, "a note may not hold \"*/\"");
    printf("%s/* %s */\n", indent, note);
}

static void put_members(const char *where, json_t *list);

static void put_node_rest(const char *where, json_t *node); /* max … members of a schema object */

/* a schema: {"type": …} (its name from the member row or "name") */
static void put_schema(const char *where, const char *name, json_t *node)
{
    putchar('{');
    if (name)
        put_string(name);
    else
        fputs("NULL", stdout);
    fputs(", ", stdout);
    put_type(where, json_object_get(node, "type"));
    fputs(", ", stdout);
    put_flags(where, json_object_get(node, "flags"));
    json_t *label = json_object_get(node, "label");
    if (label) {
        fputs(", ", stdout);
        if (json_is_string(label))
            put_string(json_string_value(label));
        else if (json_is_object(label) && json_is_string(json_object_get(label, "c")))
            fputs(json_string_value(json_object_get(label, "c")), stdout);
        else
            fail(where, "label is a string");
    }
    put_node_rest(where, node);
    putchar('}');
}

static void put_node_rest(const char *where, json_t *node)
{
    static const char *const BOUNDS[] = {"max", "min_value", "max_value", NULL};
    for (int i = 0; BOUNDS[i]; i++) {
        json_t *v = json_object_get(node, BOUNDS[i]);
        if (v) {
            printf(", .%s = ", BOUNDS[i]);
            put_number(where, v);
        }
    }
    json_t *items = json_object_get(node, "items");
    if (json_is_string(items)) {
        printf(", .items = &%s", json_string_value(items));
    } else if (json_is_object(items)) {
        fputs(", .items = &(const struct http_schema)", stdout);
        put_schema(where, json_string_value(json_object_get(items, "name")), items);
    } else if (items)
        fail(where, "items is a declaration's name or a schema");
    json_t *members = json_object_get(node, "members");
    if (json_is_string(members)) {
        printf(", .members = %s", json_string_value(members));
    } else if (json_is_array(members)) {
        fputs(", .members = (const struct http_schema[])", stdout);
        put_members(where, members);
    } else if (members)
        fail(where, "members is a member-list declaration's name or a list");
    const char *key;
    json_t *v;
    json_object_foreach(node, key, v)
    {
        static const char *const KNOWN[] = {"decl", "export",    "note",      "name",  "type",    "flags", "label",
                                            "max",  "min_value", "max_value", "items", "members", NULL};
        int known = 0;
        for (int i = 0; KNOWN[i]; i++)
            known |= strcmp(key, KNOWN[i]) == 0;
        if (!known)
            fail(where, key);
    }
}

static void put_rows(const char *where, json_t *list)
{
    size_t i;
    json_t *m;
    json_array_foreach(list, i, m)
    {
        char at[256];
        if (json_is_string(m) && json_string_value(m)[0] == '@') {
            json_t *frag = find_decl(json_string_value(m) + 1);
            if (!frag || !json_is_true(json_object_get(frag, "fragment")))
                fail(where, "@ names no fragment above");
            put_rows(json_string_value(m) + 1, json_object_get(frag, "members"));
        } else if (json_is_object(m) && json_is_string(json_object_get(m, "c"))) {
            printf("    %s,\n", json_string_value(json_object_get(m, "c")));
        } else if (json_is_object(m) && json_is_string(json_object_get(m, "note"))) {
            put_note(where, "    ", json_string_value(json_object_get(m, "note")));
        } else if (json_is_array(m) && (json_array_size(m) == 4 || json_array_size(m) == 5) &&
                   json_is_string(json_array_get(m, 0))) {
            snprintf(at, sizeof at, "%s.%s", where, json_string_value(json_array_get(m, 0)));
            json_t *node = json_array_size(m) == 5 ? json_deep_copy(json_array_get(m, 4)) : json_object();
            if (!json_is_object(node))
                fail(at, "a member's fifth element is an object");
            json_object_set(node, "type", json_array_get(m, 1));
            json_object_set(node, "flags", json_array_get(m, 2));
            json_object_set(node, "label", json_array_get(m, 3));
            fputs("    ", stdout);
            put_schema(at, json_string_value(json_array_get(m, 0)), node);
            fputs(",\n", stdout);
            json_decref(node);
        } else
            fail(where, "a member is [name, type, flags, label (, {…})], \"@FRAGMENT\", {\"c\": …} or {\"note\": …}");
    }
}

static void put_members(const char *where, json_t *list)
{
    fputs("{\n", stdout);
    put_rows(where, list);
    fputs("    {NULL}}", stdout);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: gen_schemas IN.schemas.json > OUT.schemas.inc\n", stderr);
        return 2;
    }
    in_path = argv[1];
    json_error_t je;
    json_t *root = json_load_file(in_path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        fprintf(stderr, "%s:%d:%d: %s\n", in_path, je.line, je.column, je.text);
        return 1;
    }
    decls = json_object_get(root, "schemas");
    if (!json_is_array(decls))
        fail("top", "{\"schemas\": [declaration, …]}");
    printf("/* generated from %s by tools/gen_schemas.c: edit that file, not this one */\n", in_path);
    size_t i;
    json_t *d;
    json_array_foreach(decls, i, d)
    {
        const char *name = json_string_value(json_object_get(d, "decl"));
        if (!name)
            fail("a declaration", "has no \"decl\"");
        for (size_t j = 0; j < i; j++)
            if (strcmp(json_string_value(json_object_get(json_array_get(decls, j), "decl")), name) == 0)
                fail(name, "declared twice");
        if (json_is_string(json_object_get(d, "note")))
            put_note(name, "", json_string_value(json_object_get(d, "note")));
        if (json_is_true(json_object_get(d, "fragment")))
            continue;
        const char *storage = json_is_true(json_object_get(d, "export")) ? "" : "static ";
        if (json_is_true(json_object_get(d, "array"))) {
            printf("%sconst struct http_schema %s[] = ", storage, name);
            put_members(name, json_object_get(d, "members"));
        } else if (json_is_string(json_object_get(d, "page_of"))) {
            printf("%sconst struct http_schema %s = HTTP_PAGE_OF(%s)", storage, name,
                   json_string_value(json_object_get(d, "page_of")));
        } else {
            printf("%sconst struct http_schema %s = ", storage, name);
            put_schema(name, json_string_value(json_object_get(d, "name")), d);
        }
        fputs(";\n", stdout);
    }
    json_decref(root);
    return ferror(stdout) ? 1 : 0;
}
