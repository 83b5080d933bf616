/* policy_apply: the agreement at work. Egress builds a new payload that
 * holds only the allowed fields, transformed (default deny: a field that is
 * not named, or unknown to the message type, is dropped and reported).
 * Ingress checks a received payload field by field: a field that is not
 * allowed, or not in its agreed form, rejects the message and is named. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/policy.h"
#include "domain/policy_int.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/limits.h"
#include "util/text.h"

#define MASK_KEEP 4      /* characters a mask keeps */
#define DROPPED_MAX 4096 /* bytes of the dropped-fields list */

static const char match_ctx[] = "lintas.match.v1"; /* hashed with its NUL */

struct apply {
    const struct policy *p;
    const struct msgtypes_type *t;
    const struct policy_rules *r;
    struct buf *dropped; /* may be NULL */
    struct buf *why;
    int reason;          /* ingress: the envelope reason of the failure */
};

/* ---- Transforms ----------------------------------------------------------- */

static bool norm_skip(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '/';
}

void policy_keyed_hash(const struct policy *p, const char *value, size_t len, char out[65])
{
    crypto_generichash_state st;
    unsigned char chunk[256], h[32];
    size_t n = 0;
    crypto_generichash_init(&st, p->hash_key, POLICY_HASH_KEY_LEN, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)match_ctx, sizeof match_ctx);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)value[i];
        if (norm_skip(c))
            continue;
        chunk[n++] = (c >= 'a' && c <= 'z') ? (unsigned char)(c - 'a' + 'A') : c;
        if (n == sizeof chunk) {
            crypto_generichash_update(&st, chunk, n);
            n = 0;
        }
    }
    crypto_generichash_update(&st, chunk, n);
    crypto_generichash_final(&st, h, sizeof h);
    text_hex(out, h, sizeof h);
    sodium_memzero(&st, sizeof st);
}

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static json_t *mask(const char *s, size_t len)
{
    char out[4 + 4 * MASK_KEEP];
    memcpy(out, "****", 4);
    size_t n = utf8_chars(s, len), tail = len;
    if (n <= MASK_KEEP)
        return json_stringn(out, 4);
    for (size_t keep = 0; keep < MASK_KEEP;) {
        tail--;
        keep += ((unsigned char)s[tail] & 0xC0) != 0x80;
    }
    memcpy(out + 4, s + tail, len - tail);
    return json_stringn(out, 4 + len - tail);
}

static json_t *xf_string(const struct apply *a, int xf, json_t *v)
{
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    char hex[65];
    switch (xf) {
    case POLICY_TRUNCATE: return json_stringn(s, 4); /* a checked date: "YYYY..." */
    case POLICY_MASK: return mask(s, len);
    case POLICY_HASH: policy_keyed_hash(a->p, s, len, hex); return json_string(hex);
    default: return json_incref(v);
    }
}

/* The transformed copy of a checked leaf value v (a new reference). */
static json_t *xf_value(const struct apply *a, const struct msgtypes_field *f, int xf,
                        json_t *v)
{
    if (xf == POLICY_PASS || json_is_null(v))
        return json_incref(v);
    if (f->kind != MSGTYPES_STRINGS)
        return xf_string(a, xf, v);
    json_t *arr = json_array(), *e;
    size_t i;
    json_array_foreach(v, i, e) {
        if (arr == NULL || json_array_append_new(arr, xf_string(a, xf, e)) < 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

/* ---- Helpers -------------------------------------------------------------- */

static bool field_sent(const struct apply *a, int i)
{
    if (a->t->fields[i].kind != MSGTYPES_OBJECTS)
        return a->r->xf[i] != POLICY_DROP;
    for (size_t k = 0; k < a->t->nfields; k++) {
        if (msgtypes_parent_index(a->t, (int)k) == i && a->r->xf[k] != POLICY_DROP)
            return true;
    }
    return false;
}

/* Appends "parent.key" to the dropped list once (escaped, bounded). */
static void note_drop(struct apply *a, int parent, const char *key)
{
    struct buf path;
    buf_init(&path, 512);
    if (parent >= 0) {
        buf_puts(&path, a->t->fields[parent].path);
        buf_putc(&path, '.');
    }
    text_escape(&path, key, strlen(key));
    if (a->dropped != NULL && path.len > 0) {
        const char *have = buf_cstr(a->dropped);
        size_t n = path.len;
        bool dup = false;
        for (const char *q = have; !dup && (q = strstr(q, buf_cstr(&path))) != NULL; q += n)
            dup = (q == have || q[-1] == ',') && (q[n] == ',' || q[n] == '\0');
        if (!dup && a->dropped->len + n + 1 <= DROPPED_MAX) {
            if (a->dropped->len > 0)
                buf_putc(a->dropped, ',');
            buf_append(a->dropped, path.data, path.len);
        }
    }
    buf_free(&path);
}

/* "field 'victims[2].gender'" style names for messages. */
static void where(struct buf *b, const struct apply *a, int parent, size_t idx, const char *key)
{
    buf_puts(b, "field '");
    if (parent >= 0)
        buf_printf(b, "%s[%zu].", a->t->fields[parent].path, idx);
    text_escape(b, key, strlen(key));
    buf_puts(b, "'");
}

static int check_required(struct apply *a, int parent, size_t idx, json_t *obj)
{
    for (size_t i = 0; i < a->t->nfields; i++) {
        const struct msgtypes_field *f = &a->t->fields[i];
        if (!f->required || msgtypes_parent_index(a->t, (int)i) != parent)
            continue;
        json_t *v = json_object_get(obj, f->name);
        if (v == NULL || json_is_null(v)) {
            where(a->why, a, parent, idx, f->name);
            buf_puts(a->why, ": is required");
            a->reason = ENVELOPE_R_SCHEMA;
            return ERR_INVALID;
        }
    }
    return 0;
}

/* ---- Egress --------------------------------------------------------------- */

static int egress_object(struct apply *a, int parent, size_t idx, json_t *in, json_t **out);

static int egress_list(struct apply *a, int i, json_t *v, json_t **out)
{
    json_t *arr = json_array(), *e, *sub;
    size_t k;
    if (arr == NULL)
        return ERR_NOMEM;
    json_array_foreach(v, k, e) {
        int rc = egress_object(a, i, k, e, &sub);
        if (rc < 0 || json_array_append_new(arr, sub) < 0) {
            json_decref(arr);
            return rc < 0 ? rc : ERR_NOMEM;
        }
    }
    *out = arr;
    return 0;
}

static int egress_object(struct apply *a, int parent, size_t idx, json_t *in, json_t **out)
{
    json_t *o = json_object(), *v, *nv = NULL;
    const char *key;
    int rc = ERR_NOMEM;
    *out = NULL;
    if (o == NULL)
        goto out;
    json_object_foreach(in, key, v) {
        int i = msgtypes_child_index(a->t, parent, key, strlen(key));
        if (i < 0 || !field_sent(a, i)) {
            note_drop(a, parent, key);
            continue;
        }
        const struct msgtypes_field *f = &a->t->fields[i];
        if ((rc = msgtypes_check_value(f, v, a->why)) < 0)
            goto out;
        if (f->kind == MSGTYPES_OBJECTS && !json_is_null(v)) {
            if ((rc = egress_list(a, i, v, &nv)) < 0)
                goto out;
        } else if ((nv = xf_value(a, f, a->r->xf[i], v)) == NULL) {
            rc = ERR_NOMEM;
            goto out;
        }
        if (json_object_set_new(o, key, nv) < 0) {
            rc = ERR_NOMEM;
            goto out;
        }
    }
    if ((rc = check_required(a, parent, idx, in)) < 0)
        goto out;
    *out = o;
    o = NULL; /* transferred */
    rc = 0;
out:
    json_decref(o);
    return rc;
}

/* Statistics: counts from 1 to threshold - 1 become null. */
static void suppress_small_cells(json_t *o, int threshold)
{
    json_t *cells = json_object_get(o, "cells"), *c;
    size_t i;
    if (!json_is_array(cells))
        return;
    json_array_foreach(cells, i, c) {
        json_t *n = json_object_get(c, "count");
        if (json_is_integer(n) && json_integer_value(n) >= 1 &&
            json_integer_value(n) < threshold)
            json_object_set_new(c, "count", json_null());
    }
}

/* Finds type and rules for from -> to; ERR_FORBIDDEN / ERR_INVALID with why. */
static int setup(struct apply *a, const struct policy *p, const char *from, const char *to,
                 const char *type, struct buf *why)
{
    memset(a, 0, sizeof *a);
    a->p = p;
    a->why = why;
    a->t = msgtypes_find(type, strlen(type));
    if (a->t == NULL || a->t->control) {
        buf_puts(why, "message type: unknown, or a control type outside agreements");
        a->reason = ENVELOPE_R_UNKNOWN_TYPE;
        return ERR_INVALID;
    }
    int dir = policy_direction(p, from, to);
    if (dir < 0 || !(a->r = policy_rules_of(p, dir, a->t))->allowed) {
        buf_printf(why, "message type '%s': not allowed from '%s' to '%s' by agreement '%s'",
                   a->t->name, from, to, p->id);
        a->reason = ENVELOPE_R_TYPE_NOT_ALLOWED;
        return ERR_FORBIDDEN;
    }
    return 0;
}

int policy_egress(const struct policy *p, const char *from, const char *to, const char *type,
                  const char *json, size_t len, struct buf *out, struct buf *dropped,
                  struct buf *why)
{
    struct apply a;
    json_t *in = NULL, *res = NULL;
    struct buf tmp;
    int rc = setup(&a, p, from, to, type, why);
    buf_init(&tmp, rc == 0 ? a.t->max_payload : 0);
    if (rc < 0)
        goto out;
    a.dropped = dropped;
    rc = ERR_LIMIT;
    if (len > LIMIT_MESSAGE) {
        buf_puts(why, "payload: too large");
        goto out;
    }
    if ((rc = json_decode_object(json, len, &in, why)) < 0 ||
        (rc = egress_object(&a, -1, 0, in, &res)) < 0)
        goto out;
    if (a.r->terms.small_cell_threshold > 1)
        suppress_small_cells(res, a.r->terms.small_cell_threshold);
    if ((rc = json_dump_buf(res, &tmp)) < 0) {
        buf_printf(why, "payload: larger than %zu bytes after the agreement", a.t->max_payload);
        goto out;
    }
    rc = buf_append(out, tmp.data, tmp.len);
out:
    json_decref(in);
    json_decref(res);
    buf_free(&tmp);
    return rc;
}

/* ---- Ingress -------------------------------------------------------------- */

static bool is_hash(const json_t *v)
{
    if (!json_is_string(v) || json_string_length(v) != 64)
        return false;
    for (const char *s = json_string_value(v); *s != '\0'; s++) {
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return false;
    }
    return true;
}

static bool is_masked(const json_t *v)
{
    if (!json_is_string(v))
        return false;
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (len < 4 || memcmp(s, "****", 4) != 0 || strlen(s) != len)
        return false;
    size_t n = utf8_chars(s + 4, len - 4);
    return n == 0 || n == MASK_KEEP;
}

static bool is_year(const json_t *v)
{
    if (!json_is_string(v) || json_string_length(v) != 4)
        return false;
    return msgtypes_valid_date(json_string_value(v), 4);
}

static bool in_form(int xf, const json_t *v)
{
    switch (xf) {
    case POLICY_TRUNCATE: return is_year(v);
    case POLICY_MASK: return is_masked(v);
    case POLICY_HASH: return is_hash(v);
    default: return false;
    }
}

static int ingress_leaf(struct apply *a, const struct msgtypes_field *f, int xf, json_t *v)
{
    if (xf == POLICY_PASS || json_is_null(v))
        return msgtypes_check_value(f, v, a->why) < 0 ? ENVELOPE_R_SCHEMA : ENVELOPE_OK;
    if (f->kind != MSGTYPES_STRINGS)
        return in_form(xf, v) ? ENVELOPE_OK : ENVELOPE_R_FIELD_NOT_TRANSFORMED;
    if (!json_is_array(v) || json_array_size(v) > f->count)
        return ENVELOPE_R_SCHEMA;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
        if (!in_form(xf, e))
            return ENVELOPE_R_FIELD_NOT_TRANSFORMED;
    }
    return ENVELOPE_OK;
}

static int ingress_object(struct apply *a, int parent, size_t idx, json_t *in)
{
    json_t *v, *e;
    const char *key;
    json_object_foreach(in, key, v) {
        int i = msgtypes_child_index(a->t, parent, key, strlen(key));
        if (i < 0 || !field_sent(a, i)) {
            where(a->why, a, parent, idx, key);
            buf_printf(a->why, ": not allowed by agreement '%s' for %s", a->p->id, a->t->name);
            a->reason = ENVELOPE_R_FIELD_NOT_ALLOWED;
            return ERR_FORBIDDEN;
        }
        const struct msgtypes_field *f = &a->t->fields[i];
        if (f->kind == MSGTYPES_OBJECTS) {
            if (msgtypes_check_value(f, v, a->why) < 0) {
                a->reason = ENVELOPE_R_SCHEMA;
                return ERR_INVALID;
            }
            size_t k;
            json_array_foreach(v, k, e) {
                int rc = ingress_object(a, i, k, e);
                if (rc < 0)
                    return rc;
            }
            continue;
        }
        a->reason = ingress_leaf(a, f, a->r->xf[i], v);
        if (a->reason == ENVELOPE_R_FIELD_NOT_TRANSFORMED) {
            where(a->why, a, parent, idx, key);
            buf_printf(a->why, ": not in the agreed form (%s)", policy_transform_name(a->r->xf[i]));
            return ERR_FORBIDDEN;
        }
        if (a->reason != ENVELOPE_OK) {
            if (a->why->len == 0) {
                where(a->why, a, parent, idx, key);
                buf_puts(a->why, ": must be an array of at most its count");
            }
            return ERR_INVALID;
        }
    }
    return check_required(a, parent, idx, in);
}

static int check_small_cells(struct apply *a, json_t *o)
{
    json_t *cells = json_object_get(o, "cells"), *c;
    size_t i;
    int threshold = a->r->terms.small_cell_threshold;
    if (!json_is_array(cells) || threshold <= 1)
        return 0;
    json_array_foreach(cells, i, c) {
        json_t *n = json_object_get(c, "count");
        if (json_is_integer(n) && json_integer_value(n) >= 1 &&
            json_integer_value(n) < threshold) {
            buf_printf(a->why, "field 'cells[%zu].count': below the small-cell threshold %d", i,
                       threshold);
            a->reason = ENVELOPE_R_SMALL_CELL;
            return ERR_FORBIDDEN;
        }
    }
    return 0;
}

int policy_ingress(const struct policy *p, const char *from, const char *to, const char *type,
                   const char *json, size_t len, json_t **out, int *reason, struct buf *why)
{
    struct apply a;
    json_t *in = NULL;
    if (out != NULL)
        *out = NULL;
    int rc = setup(&a, p, from, to, type, why);
    if (rc < 0)
        goto out;
    a.reason = ENVELOPE_R_SCHEMA;
    rc = ERR_INVALID;
    if (len > LIMIT_MESSAGE) {
        buf_puts(why, "payload: too large");
        goto out;
    }
    if ((rc = json_decode_object(json, len, &in, why)) < 0)
        goto out;
    a.reason = ENVELOPE_OK;
    if ((rc = ingress_object(&a, -1, 0, in)) < 0 || (rc = check_small_cells(&a, in)) < 0)
        goto out;
    if (out != NULL) {
        *out = in;
        in = NULL; /* transferred */
    }
    rc = 0;
out:
    *reason = rc == 0 ? ENVELOPE_OK : a.reason;
    json_decref(in);
    return rc;
}
