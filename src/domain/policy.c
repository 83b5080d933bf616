/* policy: parsing of agreement files, their accessors, and the template
 * that allows everything (docs/agreements.md). Parsing is strict: unknown
 * keys, types, fields and transforms are errors that name their place in
 * the file, so a typo can never widen or silently narrow what is shared. */
#include "domain/policy.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/envelope_int.h"
#include "domain/policy_int.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/limits.h"
#include "util/text.h"

#define RETENTION_MAX 36500
#define SMALL_CELL_MAX 1000

static const char *const transform_names[] = {
    [POLICY_DROP] = "drop", [POLICY_PASS] = "pass", [POLICY_TRUNCATE] = "truncate",
    [POLICY_MASK] = "mask", [POLICY_HASH] = "hash",
};

const char *policy_transform_name(int t)
{
    if (t < POLICY_DROP || t > POLICY_HASH)
        return NULL;
    return transform_names[t];
}

int policy_transform_parse(const char *name)
{
    for (int i = POLICY_DROP; i <= POLICY_HASH; i++) {
        if (strcmp(transform_names[i], name) == 0)
            return i;
    }
    return -1;
}

int policy_direction(const struct policy *p, const char *from, const char *to)
{
    if (from == NULL || to == NULL)
        return -1;
    if (strcmp(from, p->party[0]) == 0 && strcmp(to, p->party[1]) == 0)
        return 0;
    if (strcmp(from, p->party[1]) == 0 && strcmp(to, p->party[0]) == 0)
        return 1;
    return -1;
}

const struct policy_rules *policy_rules_of(const struct policy *p, int dir,
                                           const struct msgtypes_type *t)
{
    size_t ti = (size_t)(t - msgtypes_at(0));
    return &p->rules[(size_t)dir * p->ntypes + ti];
}

void policy_free(struct policy *p)
{
    if (p == NULL)
        return;
    free(p->rules);
    sodium_memzero(p, sizeof *p);
    free(p);
}

const unsigned char *policy_hash(const struct policy *p)
{
    return p->hash;
}

void policy_hash_hex(const struct policy *p, char out[65])
{
    text_hex(out, p->hash, ENVELOPE_HASH_LEN);
}

const char *policy_id(const struct policy *p)
{
    return p->id;
}

const char *policy_party(const struct policy *p, int i)
{
    return i == 0 || i == 1 ? p->party[i] : "";
}

int policy_terms(const struct policy *p, const char *from, const char *to, const char *type,
                 struct policy_terms *terms)
{
    memset(terms, 0, sizeof *terms);
    const struct msgtypes_type *t = msgtypes_find(type, strlen(type));
    if (t == NULL || t->control)
        return ERR_INVALID;
    int dir = policy_direction(p, from, to);
    if (dir < 0)
        return ERR_FORBIDDEN;
    const struct policy_rules *r = policy_rules_of(p, dir, t);
    if (!r->allowed)
        return ERR_FORBIDDEN;
    *terms = r->terms;
    return 0;
}

int policy_field(const struct policy *p, const char *from, const char *to, const char *type,
                 const char *path)
{
    const struct msgtypes_type *t = msgtypes_find(type, strlen(type));
    if (t == NULL || t->control)
        return -1;
    int i = msgtypes_field_index(t, path);
    if (i < 0)
        return -1;
    int dir = policy_direction(p, from, to);
    if (dir < 0)
        return POLICY_DROP;
    const struct policy_rules *r = policy_rules_of(p, dir, t);
    return r->allowed ? r->xf[i] : POLICY_DROP;
}

/* ---- Parsing -------------------------------------------------------------- */

static int fail(struct buf *why, const char *where, const char *msg)
{
    buf_printf(why, "%s: %s", where, msg);
    return ERR_INVALID;
}

/* "where: 'key' msg", with the untrusted key escaped. */
static int fail_key(struct buf *why, const char *where, const char *key, const char *msg)
{
    buf_printf(why, "%s: '", where);
    text_escape(why, key, strlen(key));
    buf_printf(why, "' %s", msg);
    return ERR_INVALID;
}

static int get_node(json_t *v, char out[ENVELOPE_NODE_MAX + 1])
{
    if (!json_is_string(v))
        return ERR_INVALID;
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (!envelope_text_ok(s, n, ENVELOPE_NODE_MAX, ENVELOPE_CLS_NODE) || strlen(s) != n)
        return ERR_INVALID;
    memcpy(out, s, n + 1);
    return 0;
}

static int check_transform(const struct msgtypes_field *f, int xf)
{
    switch (xf) {
    case POLICY_TRUNCATE: return msgtypes_can_truncate(f) ? 0 : ERR_INVALID;
    case POLICY_MASK: return msgtypes_can_mask(f) ? 0 : ERR_INVALID;
    case POLICY_HASH: return msgtypes_can_hash(f) ? 0 : ERR_INVALID;
    default: return 0;
    }
}

static int parse_fields(const struct msgtypes_type *t, json_t *fields, struct policy_rules *r,
                        const char *where, struct buf *why)
{
    const char *key;
    json_t *v;
    if (!json_is_object(fields))
        return fail(why, where, "must be an object of field: transform");
    json_object_foreach(fields, key, v) {
        int i = msgtypes_field_index(t, key);
        if (i < 0)
            return fail_key(why, where, key, "is not a field of this message type");
        const struct msgtypes_field *f = &t->fields[i];
        if (f->kind == MSGTYPES_OBJECTS)
            return fail_key(why, where, key, "is a list: name its fields (list.field) instead");
        int xf = json_is_string(v) ? policy_transform_parse(json_string_value(v)) : -1;
        if (xf < 0)
            return fail_key(why, where, key, "needs one of pass, drop, truncate, mask, hash");
        if (check_transform(f, xf) < 0)
            return fail_key(why, where, key, "cannot take this transform (see docs/agreements.md)");
        r->xf[i] = (unsigned char)xf;
    }
    return 0;
}

/* A required field must be sent whenever its object is sent at all. */
static int check_required(const struct msgtypes_type *t, const struct policy_rules *r,
                          const char *where, struct buf *why)
{
    for (size_t i = 0; i < t->nfields; i++) {
        const struct msgtypes_field *f = &t->fields[i];
        if (!f->required || r->xf[i] != POLICY_DROP)
            continue;
        int parent = msgtypes_parent_index(t, (int)i);
        bool container_sent = parent < 0;
        for (size_t k = 0; k < t->nfields && !container_sent; k++)
            container_sent = msgtypes_parent_index(t, (int)k) == parent && r->xf[k] != POLICY_DROP;
        if (container_sent)
            return fail_key(why, where, f->path, "is required by the message type: allow it");
    }
    return 0;
}

static int parse_terms(const struct msgtypes_type *t, json_t *o, struct policy_rules *r,
                       const char *where, struct buf *why)
{
    static const char *const keys[] = {"fields", "retention_days", "onward_sharing",
                                       "small_cell_threshold", NULL};
    struct buf msg;
    buf_init(&msg, 1024);
    int64_t days, cell;
    int rc = ERR_INVALID;
    bool is_stats = strcmp(t->name, "stats") == 0;
    if (!json_is_object(o)) {
        rc = fail(why, where, "must be an object");
        goto out;
    }
    if (json_only_keys(o, keys, &msg) < 0 ||
        json_get_int(o, "retention_days", true, 1, RETENTION_MAX, 0, &days, &msg) < 0 ||
        json_get_bool(o, "onward_sharing", false, false, &r->terms.onward_sharing, &msg) < 0 ||
        json_get_int(o, "small_cell_threshold", is_stats, 1, SMALL_CELL_MAX, 0, &cell, &msg) < 0) {
        rc = fail(why, where, buf_cstr(&msg));
        goto out;
    }
    if (!is_stats && json_object_get(o, "small_cell_threshold") != NULL) {
        rc = fail(why, where, "small_cell_threshold is only for stats");
        goto out;
    }
    json_t *fields = json_object_get(o, "fields");
    if (fields == NULL) {
        rc = fail(why, where, "field 'fields': is required");
        goto out;
    }
    buf_reset(&msg);
    if ((rc = buf_printf(&msg, "%s.fields", where)) < 0 ||
        (rc = parse_fields(t, fields, r, buf_cstr(&msg), why)) < 0 ||
        (rc = check_required(t, r, buf_cstr(&msg), why)) < 0)
        goto out;
    r->terms.retention_days = (int)days;
    r->terms.small_cell_threshold = (int)cell;
    r->allowed = true;
    rc = 0;
out:
    buf_free(&msg);
    return rc;
}

static int parse_direction(struct policy *p, json_t *d, size_t idx, bool seen[2],
                           struct buf *why)
{
    static const char *const keys[] = {"from", "to", "types", NULL};
    char where[48], from[ENVELOPE_NODE_MAX + 1], to[ENVELOPE_NODE_MAX + 1];
    snprintf(where, sizeof where, "directions[%zu]", idx);
    struct buf msg, sub;
    buf_init(&msg, 1024);
    buf_init(&sub, 1024);
    int rc = ERR_INVALID;
    if (!json_is_object(d) || json_only_keys(d, keys, &msg) < 0) {
        rc = fail(why, where, msg.len ? buf_cstr(&msg) : "must be an object");
        goto out;
    }
    int dir = -1;
    if (get_node(json_object_get(d, "from"), from) == 0 &&
        get_node(json_object_get(d, "to"), to) == 0)
        dir = policy_direction(p, from, to);
    if (dir < 0) {
        rc = fail(why, where, "'from' and 'to' must be the two parties");
        goto out;
    }
    if (seen[dir]) {
        rc = fail(why, where, "a second entry for the same direction");
        goto out;
    }
    seen[dir] = true;
    json_t *types = json_object_get(d, "types"), *v;
    if (!json_is_object(types)) {
        rc = fail(why, where, "field 'types': must be an object of type: terms");
        goto out;
    }
    const char *key;
    json_object_foreach(types, key, v) {
        const struct msgtypes_type *t = msgtypes_find(key, strlen(key));
        buf_reset(&sub);
        if ((rc = buf_printf(&sub, "%s.types", where)) < 0)
            goto out;
        if (t == NULL) {
            rc = fail_key(why, buf_cstr(&sub), key, "is not a message type");
            goto out;
        }
        if (t->control) {
            rc = fail_key(why, buf_cstr(&sub), key, "is a control message, outside agreements");
            goto out;
        }
        struct policy_rules *r = &p->rules[(size_t)dir * p->ntypes + (size_t)(t - msgtypes_at(0))];
        if ((rc = buf_printf(&sub, ".%s", t->name)) < 0 ||
            (rc = parse_terms(t, v, r, buf_cstr(&sub), why)) < 0)
            goto out;
    }
    rc = 0;
out:
    buf_free(&msg);
    buf_free(&sub);
    return rc;
}

static int parse_header(struct policy *p, json_t *root, struct buf *why)
{
    static const char *const keys[] = {"lintas_agreement", "id", "description", "parties",
                                       "hash_key", "directions", NULL};
    struct buf msg;
    buf_init(&msg, 1024);
    const char *id, *desc, *hk;
    int64_t fmt;
    int rc = ERR_INVALID;
    if (json_only_keys(root, keys, &msg) < 0 ||
        json_get_int(root, "lintas_agreement", true, POLICY_FORMAT, POLICY_FORMAT, 0, &fmt,
                     &msg) < 0 ||
        json_get_str(root, "id", true, POLICY_ID_MAX, &id, &msg) < 0 ||
        json_get_str(root, "description", false, LIMIT_NOTE, &desc, &msg) < 0 ||
        json_get_str(root, "hash_key", true, 2 * POLICY_HASH_KEY_LEN, &hk, &msg) < 0) {
        rc = fail(why, "agreement", buf_cstr(&msg));
        goto out;
    }
    if (id[0] == '\0' || text_check_free(id, strlen(id), POLICY_ID_MAX, false) != NULL) {
        rc = fail(why, "agreement", "field 'id': must be one line of text");
        goto out;
    }
    memcpy(p->id, id, strlen(id) + 1);
    if (strlen(hk) != 2 * POLICY_HASH_KEY_LEN ||
        text_unhex(p->hash_key, POLICY_HASH_KEY_LEN, hk) < 0 ||
        sodium_is_zero(p->hash_key, POLICY_HASH_KEY_LEN)) {
        rc = fail(why, "agreement", "field 'hash_key': must be 64 hex characters of a random key");
        goto out;
    }
    json_t *parties = json_object_get(root, "parties");
    if (!json_is_array(parties) || json_array_size(parties) != 2 ||
        get_node(json_array_get(parties, 0), p->party[0]) < 0 ||
        get_node(json_array_get(parties, 1), p->party[1]) < 0 ||
        strcmp(p->party[0], p->party[1]) == 0) {
        rc = fail(why, "agreement", "field 'parties': must be two different node ids");
        goto out;
    }
    rc = 0;
out:
    buf_free(&msg);
    return rc;
}

static int parse_root(struct policy *p, json_t *root, struct buf *why)
{
    int rc = parse_header(p, root, why);
    if (rc < 0)
        return rc;
    json_t *dirs = json_object_get(root, "directions"), *d;
    if (!json_is_array(dirs) || json_array_size(dirs) > 2)
        return fail(why, "agreement", "field 'directions': must be an array of at most 2");
    bool seen[2] = {false, false};
    size_t i;
    json_array_foreach(dirs, i, d) {
        if ((rc = parse_direction(p, d, i, seen, why)) < 0)
            return rc;
    }
    return 0;
}

int policy_parse(const char *text, size_t len, struct policy **out, struct buf *why)
{
    struct policy *p = NULL;
    json_t *root = NULL;
    struct buf msg;
    buf_init(&msg, 1024);
    int rc = ERR_LIMIT;
    *out = NULL;
    if (len > POLICY_MAX_FILE) {
        buf_printf(why, "agreement: file larger than %u bytes", POLICY_MAX_FILE);
        goto out;
    }
    rc = ERR_NOMEM;
    if ((p = calloc(1, sizeof *p)) == NULL)
        goto out;
    p->ntypes = msgtypes_count();
    if ((p->rules = calloc(2 * p->ntypes, sizeof *p->rules)) == NULL)
        goto out;
    if ((rc = json_decode_object(text, len, &root, &msg)) < 0) {
        const char *m = buf_cstr(&msg);
        buf_printf(why, "agreement: %s", strncmp(m, "body: ", 6) == 0 ? m + 6 : m);
        goto out;
    }
    if ((rc = parse_root(p, root, why)) < 0)
        goto out;
    envelope_hash(text, len, p->hash);
    *out = p;
    p = NULL; /* transferred */
    rc = 0;
out:
    json_decref(root);
    buf_free(&msg);
    policy_free(p);
    return rc;
}

/* ---- Template ------------------------------------------------------------- */

static json_t *template_types(void)
{
    json_t *types = json_object();
    for (size_t i = 0; types != NULL && i < msgtypes_count(); i++) {
        const struct msgtypes_type *t = msgtypes_at(i);
        if (t->control)
            continue;
        json_t *fields = json_object();
        for (size_t k = 0; fields != NULL && k < t->nfields; k++) {
            if (t->fields[k].kind != MSGTYPES_OBJECTS)
                json_object_set_new(fields, t->fields[k].path, json_string("pass"));
        }
        json_t *terms = json_pack("{s:o, s:i, s:b}", "fields", fields, "retention_days", 365,
                                  "onward_sharing", 0);
        if (terms != NULL && strcmp(t->name, "stats") == 0)
            json_object_set_new(terms, "small_cell_threshold", json_integer(5));
        if (terms == NULL || json_object_set_new(types, t->name, terms) < 0) {
            json_decref(types);
            return NULL;
        }
    }
    return types;
}

int policy_template(const char *self, const char *peer, const char *id,
                    const unsigned char hash_key[POLICY_HASH_KEY_LEN], struct buf *out)
{
    char hk[2 * POLICY_HASH_KEY_LEN + 1];
    json_t *root = NULL;
    int rc = ERR_INVALID;
    if (!envelope_text_ok(self, strlen(self), ENVELOPE_NODE_MAX, ENVELOPE_CLS_NODE) ||
        !envelope_text_ok(peer, strlen(peer), ENVELOPE_NODE_MAX, ENVELOPE_CLS_NODE) ||
        strcmp(self, peer) == 0 ||
        id[0] == '\0' || text_check_free(id, strlen(id), POLICY_ID_MAX, false) != NULL)
        goto out;
    text_hex(hk, hash_key, POLICY_HASH_KEY_LEN);
    rc = ERR_NOMEM;
    json_t *there = template_types(), *back = template_types();
    if (there == NULL || back == NULL) {
        json_decref(there);
        json_decref(back);
        goto out;
    }
    root = json_pack("{s:i, s:s, s:s, s:[s,s], s:s, s:[{s:s, s:s, s:o}, {s:s, s:s, s:o}]}",
                     "lintas_agreement", POLICY_FORMAT, "id", id, "description",
                     "Template: every field of every message type, both ways. Edit it down "
                     "to what the agreement allows before use.",
                     "parties", self, peer, "hash_key", hk, "directions", "from", self, "to",
                     peer, "types", there, "from", peer, "to", self, "types", back);
    if (root == NULL)
        goto out;
    size_t old = out->len;
    char *text = json_dumps(root, JSON_INDENT(2));
    if (text == NULL)
        goto out;
    rc = buf_puts(out, text);
    if (rc == 0)
        rc = buf_putc(out, '\n');
    if (rc < 0 && out->data != NULL) {
        out->len = old;
        out->data[old] = '\0';
    }
    sodium_memzero(text, strlen(text));
    free(text);
out:
    sodium_memzero(hk, sizeof hk);
    json_decref(root);
    return rc;
}
