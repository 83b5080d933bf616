/* msgtypes: the table of exchange message types (docs/PROTOCOL.md, "Message
 * types") and the schema of each type's JSON payload. One static table says
 * which types exist, whether each is data (sequenced, under the agreement) or
 * control (receipt, heartbeat), its payload limit, default lifetime, whether
 * it needs a reply-to and which reply it expects by when, and its fields with
 * their kind, limits and allowed values. Fields are listed flat by path:
 * a field of the objects in an object list is named "list.field".
 * msgtypes_check_value() validates one JSON value against a field.
 * Pure, constant data; thread-safe. */
#ifndef LINTAS_DOMAIN_MSGTYPES_H
#define LINTAS_DOMAIN_MSGTYPES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

#define MSGTYPES_NAME_MAX 32   /* bytes in a type name */
#define MSGTYPES_PATH_MAX 64   /* bytes in a field path ("victims.first_name") */
#define MSGTYPES_MAX_FIELDS 48 /* fields (paths) of one type, nested included */

enum msgtypes_kind {
    MSGTYPES_STRING = 1, /* JSON string, UTF-8, no NUL, at most max bytes */
    MSGTYPES_DATE,       /* "YYYY", "YYYY-MM" or "YYYY-MM-DD", a real date */
    MSGTYPES_INT,        /* JSON integer in [min, max] */
    MSGTYPES_BOOL,       /* true or false */
    MSGTYPES_STRINGS,    /* array of at most count strings of at most max bytes */
    MSGTYPES_OBJECTS,    /* array of at most count objects; its fields name it as parent */
};

struct msgtypes_field {
    const char *path;           /* "name", or "victims.first_name" */
    const char *name;           /* the key inside its object: "first_name" */
    int kind;                   /* enum msgtypes_kind */
    bool required;              /* must be present (not null) in its object */
    size_t max;                 /* bytes per string */
    size_t count;               /* elements of an array */
    int64_t min_int, max_int;   /* MSGTYPES_INT range */
    const char *const *values;  /* allowed strings (NULL-terminated), or NULL for any */
};

struct msgtypes_type {
    const char *name;           /* "alert.person" */
    bool control;               /* receipt, heartbeat: sequence 0, outside the agreement */
    bool needs_reply_to;        /* the envelope's reply-to must name a message */
    size_t max_payload;         /* bytes */
    int64_t lifetime_s;         /* default expires - created */
    const char *reply_type;     /* the expected reply ("answer"), or NULL */
    int64_t reply_due_s;        /* its deadline from created, 0 for none */
    const struct msgtypes_field *fields;
    size_t nfields;
    const char *summary;        /* one line for people */
};

/* The number of types, and type i (0 <= i < count) in table order. */
size_t msgtypes_count(void);
const struct msgtypes_type *msgtypes_at(size_t i);

/* The type named name[0..len), or NULL. */
const struct msgtypes_type *msgtypes_find(const char *name, size_t len);

/* Index of the field with this full path in t, or -1. */
int msgtypes_field_index(const struct msgtypes_type *t, const char *path);

/* Index of the field called key[0..len) inside the objects of field parent
 * (-1: the top level), or -1. */
int msgtypes_child_index(const struct msgtypes_type *t, int parent, const char *key, size_t len);

/* Index of the object list that field i belongs to, or -1 at the top level. */
int msgtypes_parent_index(const struct msgtypes_type *t, int i);

/* True when values like this field may be truncated (dates), masked or
 * hashed (strings, string arrays, dates). */
bool msgtypes_can_truncate(const struct msgtypes_field *f);
bool msgtypes_can_mask(const struct msgtypes_field *f);
bool msgtypes_can_hash(const struct msgtypes_field *f);

/* Checks one JSON value against field f: kind, limits, allowed values. An
 * MSGTYPES_OBJECTS value is checked only as an array of objects of at most
 * f->count elements (its members are fields of their own). null is always
 * accepted. Returns 0, or ERR_INVALID with "field 'PATH': why" in why. */
int msgtypes_check_value(const struct msgtypes_field *f, const json_t *v, struct buf *why);

/* True when s[0..len) is "YYYY", "YYYY-MM" or "YYYY-MM-DD" naming a real
 * (possibly partial) date. */
bool msgtypes_valid_date(const char *s, size_t len);

/* Checks a whole payload object against type t: every key is a field of
 * its object, every value passes msgtypes_check_value(), required fields
 * are present. Returns 0 or ERR_INVALID naming the first bad field. */
int msgtypes_check_payload(const struct msgtypes_type *t, json_t *obj, struct buf *why);

#endif
