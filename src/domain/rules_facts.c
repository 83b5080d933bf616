/* rules_facts: the value set a ruleset is evaluated over. One value per
 * schema field, each unknown until set. Strings and list items are copied
 * into a fixed arena inside the value set, so setting facts for a screening
 * allocates nothing and a value set can be reused (rules_facts_clear) from
 * one traveller to the next. Setters enforce the schema: type, range,
 * country code or enumerated values, clean UTF-8. Also the JSON form used by
 * tests and tools (rules_facts_from_json). */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rules_int.h"
#include "util/errors.h"
#include "util/text.h"

/* Value sets freed are kept, up to FACTS_SPARE, for the next ones: a set
 * is 20 KB, and glibc answers a request that large by first merging every
 * small chunk freed since the last one (malloc_consolidate). One new set
 * per screened person did that once per person, after the hundreds of
 * small frees of its match and facts (in bench_screening, 2-5% of a
 * manifest's time, within the machine's drift). */
#define FACTS_SPARE 32u
/* Under AddressSanitizer none is kept, so that it still sees a use of a
 * freed set. */
#if defined(__SANITIZE_ADDRESS__)
#define FACTS_KEEP false
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FACTS_KEEP false
#endif
#endif
#ifndef FACTS_KEEP
#define FACTS_KEEP true
#endif

static pthread_mutex_t spare_mu = PTHREAD_MUTEX_INITIALIZER;
static struct rules_facts *spare[FACTS_SPARE];
static size_t nspare;

int rules_facts_new(const struct rules_schema *schema, struct rules_facts **out)
{
    *out = NULL;
    if (rules_schema_check_once(schema) < 0)
        return ERR_INVALID;
    pthread_mutex_lock(&spare_mu);
    struct rules_facts *f = nspare > 0 ? spare[--nspare] : NULL;
    pthread_mutex_unlock(&spare_mu);
    /* Only the header is cleared: the arena and the item slots are written
     * before they are read. */
    if (f == NULL) {
        f = malloc(sizeof *f);
        if (f == NULL)
            return ERR_NOMEM;
        f->v = NULL;
        f->vcap = 0;
    }
    if (f->vcap < schema->nfields) {
        free(f->v);
        f->vcap = 0;
        f->v = malloc(schema->nfields * sizeof *f->v);
        if (f->v == NULL) {
            free(f);
            return ERR_NOMEM;
        }
        f->vcap = schema->nfields;
    }
    memset(f->v, 0, schema->nfields * sizeof *f->v);
    f->arena_used = 0;
    f->nitems = 0;
    f->schema = schema;
    *out = f;
    return 0;
}

void rules_facts_free(struct rules_facts *f)
{
    if (f == NULL)
        return;
    pthread_mutex_lock(&spare_mu);
    bool kept = FACTS_KEEP && nspare < FACTS_SPARE;
    if (kept)
        spare[nspare++] = f;
    pthread_mutex_unlock(&spare_mu);
    if (!kept) {
        free(f->v);
        free(f);
    }
}

void rules_facts_clear(struct rules_facts *f)
{
    memset(f->v, 0, f->schema->nfields * sizeof *f->v);
    f->arena_used = 0;
    f->nitems = 0;
}

/* The field at idx when it exists and has type t. */
static int slot(const struct rules_facts *f, size_t idx, enum rules_type t)
{
    if (idx >= f->schema->nfields)
        return ERR_NOTFOUND;
    return f->schema->fields[idx].type == t ? 0 : ERR_INVALID;
}

static int slot_named(const struct rules_facts *f, const char *name, enum rules_type t, size_t *idx)
{
    int i = rules_schema_find(f->schema, name);
    if (i < 0)
        return ERR_NOTFOUND;
    *idx = (size_t)i;
    return slot(f, *idx, t);
}

int rules_facts_set_num_at(struct rules_facts *f, size_t idx, int64_t v)
{
    int r = slot(f, idx, RULES_NUMBER);
    if (r < 0)
        return r;
    const struct rules_field *fd = &f->schema->fields[idx];
    if (v < fd->min || v > fd->max)
        return ERR_INVALID;
    f->v[idx].known = true;
    f->v[idx].num = v;
    return 0;
}

int rules_facts_set_bool_at(struct rules_facts *f, size_t idx, bool v)
{
    int r = slot(f, idx, RULES_BOOL);
    if (r < 0)
        return r;
    f->v[idx].known = true;
    f->v[idx].num = v;
    return 0;
}

/* Checks s against field fd and copies it, in canonical spelling, into the
 * arena. */
static int store_text(struct rules_facts *f, const struct rules_field *fd, const char *s,
                      size_t len, struct rs_str *out)
{
    if (len > RULES_MAX_STRING)
        return ERR_LIMIT;
    if (text_check_free(s, len, RULES_MAX_STRING, false) != NULL ||
        !rules_value_in_domain(fd, s, len))
        return ERR_INVALID;
    if (len + 1 > RULES_FACTS_ARENA - f->arena_used)
        return ERR_LIMIT;
    if (fd->domain == RULES_ENUM) {
        for (const char *const *p = fd->values; *p != NULL; p++)
            if (rules_str_eq(*p, strlen(*p), s, len))
                s = *p;
    }
    char *dst = f->arena + f->arena_used;
    memcpy(dst, s, len);
    dst[len] = '\0';
    if (fd->domain == RULES_COUNTRY)
        for (size_t i = 0; i < len; i++)
            if (dst[i] >= 'a' && dst[i] <= 'z')
                dst[i] = (char)(dst[i] - 'a' + 'A');
    f->arena_used += len + 1;
    out->p = dst;
    out->off = 0;
    out->len = (uint32_t)len;
    return 0;
}

int rules_facts_set_str_at(struct rules_facts *f, size_t idx, const char *s, size_t len)
{
    int r = slot(f, idx, RULES_STRING);
    if (r < 0)
        return r;
    struct rs_str v;
    r = store_text(f, &f->schema->fields[idx], s, len, &v);
    if (r < 0)
        return r;
    f->v[idx].known = true;
    f->v[idx].str = v;
    return 0;
}

int rules_facts_set_list_at(struct rules_facts *f, size_t idx, const char *const *items, size_t n)
{
    int r = slot(f, idx, RULES_LIST);
    if (r < 0)
        return r;
    if (n > RULES_MAX_FACT_ITEMS || n > RULES_FACTS_ITEMS - f->nitems)
        return ERR_LIMIT;
    size_t arena_before = f->arena_used;
    for (size_t i = 0; i < n; i++) {
        r = store_text(f, &f->schema->fields[idx], items[i], strlen(items[i]),
                       &f->items[f->nitems + i]);
        if (r < 0) {
            f->arena_used = arena_before;
            return r;
        }
    }
    f->v[idx].known = true;
    f->v[idx].first = (uint32_t)f->nitems;
    f->v[idx].n = (uint32_t)n;
    f->nitems += n;
    return 0;
}

int rules_facts_set_num(struct rules_facts *f, const char *name, int64_t v)
{
    int i = rules_schema_find(f->schema, name);
    return i < 0 ? i : rules_facts_set_num_at(f, (size_t)i, v);
}

int rules_facts_set_str(struct rules_facts *f, const char *name, const char *s)
{
    int i = rules_schema_find(f->schema, name);
    return i < 0 ? i : rules_facts_set_str_at(f, (size_t)i, s, strlen(s));
}

int rules_facts_set_bool(struct rules_facts *f, const char *name, bool v)
{
    int i = rules_schema_find(f->schema, name);
    return i < 0 ? i : rules_facts_set_bool_at(f, (size_t)i, v);
}

int rules_facts_set_list(struct rules_facts *f, const char *name, const char *const *items,
                         size_t n)
{
    int i = rules_schema_find(f->schema, name);
    return i < 0 ? i : rules_facts_set_list_at(f, (size_t)i, items, n);
}

int rules_facts_unset(struct rules_facts *f, const char *name)
{
    int i = rules_schema_find(f->schema, name);
    if (i < 0)
        return i;
    memset(&f->v[i], 0, sizeof f->v[i]);
    return 0;
}

/* The known value of name with type t, or an error. */
static int get(const struct rules_facts *f, const char *name, enum rules_type t,
               const struct rs_fval **out)
{
    size_t idx;
    int r = slot_named(f, name, t, &idx);
    if (r < 0)
        return r;
    if (!f->v[idx].known)
        return ERR_NOTFOUND;
    *out = &f->v[idx];
    return 0;
}

int rules_facts_get_num(const struct rules_facts *f, const char *name, int64_t *out)
{
    const struct rs_fval *v;
    int r = get(f, name, RULES_NUMBER, &v);
    if (r == 0)
        *out = v->num;
    return r;
}

int rules_facts_get_str(const struct rules_facts *f, const char *name, const char **out)
{
    const struct rs_fval *v;
    int r = get(f, name, RULES_STRING, &v);
    if (r == 0)
        *out = v->str.p;
    return r;
}

int rules_facts_get_bool(const struct rules_facts *f, const char *name, bool *out)
{
    const struct rs_fval *v;
    int r = get(f, name, RULES_BOOL, &v);
    if (r == 0)
        *out = v->num != 0;
    return r;
}

int rules_facts_get_list(const struct rules_facts *f, const char *name, size_t *n)
{
    const struct rs_fval *v;
    int r = get(f, name, RULES_LIST, &v);
    if (r == 0)
        *n = v->n;
    return r;
}

int rules_facts_get_list_item(const struct rules_facts *f, const char *name, size_t i,
                              const char **out)
{
    const struct rs_fval *v;
    int r = get(f, name, RULES_LIST, &v);
    if (r == 0 && i >= v->n)
        r = ERR_NOTFOUND;
    if (r == 0)
        *out = f->items[v->first + i].p;
    return r;
}

bool rules_facts_known(const struct rules_facts *f, const char *name)
{
    int i = rules_schema_find(f->schema, name);
    return i >= 0 && f->v[i].known;
}

/* ---- JSON ---- */

static int set_json_list(struct rules_facts *f, size_t idx, json_t *v, const char *name,
                         struct buf *why)
{
    const char *items[RULES_MAX_FACT_ITEMS];
    size_t n = json_array_size(v);
    if (n > RULES_MAX_FACT_ITEMS) {
        buf_printf(why, "field '%s': more than %u items", name, RULES_MAX_FACT_ITEMS);
        return ERR_LIMIT;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_string(e) || strlen(json_string_value(e)) != json_string_length(e)) {
            buf_printf(why, "field '%s': items must be texts", name);
            return ERR_INVALID;
        }
        items[i] = json_string_value(e);
    }
    return rules_facts_set_list_at(f, idx, items, n);
}

/* rules_schema_find, starting at *hint and wrapping around: a facts object
 * lists its fields mostly in schema order, so the next field is usually
 * found at once. Field names are unique (rules_schema_check), so the result
 * is the same as a search from the start. */
static int find_from(const struct rules_schema *schema, const char *name, size_t *hint)
{
    size_t n = schema->nfields, start = *hint < n ? *hint : 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = start + k < n ? start + k : start + k - n;
        if (strcmp(schema->fields[i].name, name) == 0) {
            *hint = i + 1;
            return (int)i;
        }
    }
    return ERR_NOTFOUND;
}

static int set_json(struct rules_facts *f, const char *name, json_t *v, size_t *hint,
                    struct buf *why)
{
    int i = find_from(f->schema, name, hint);
    if (i < 0) {
        buf_printf(why, "field '%s': unknown fact", name);
        return ERR_INVALID;
    }
    if (json_is_null(v))
        return 0;
    int r = ERR_INVALID;
    switch (f->schema->fields[i].type) {
    case RULES_NUMBER:
        if (json_is_integer(v))
            r = rules_facts_set_num_at(f, (size_t)i, json_integer_value(v));
        break;
    case RULES_BOOL:
        if (json_is_boolean(v))
            r = rules_facts_set_bool_at(f, (size_t)i, json_is_true(v));
        break;
    case RULES_STRING:
        if (json_is_string(v))
            r = rules_facts_set_str_at(f, (size_t)i, json_string_value(v), json_string_length(v));
        break;
    case RULES_LIST:
        if (json_is_array(v))
            return set_json_list(f, (size_t)i, v, name, why);
        break;
    }
    if (r < 0)
        buf_printf(why, "field '%s': %s", name,
                   r == ERR_LIMIT ? "value too long" : "wrong type or impossible value");
    return r;
}

/* Walks obj; keys join with '.' under prefix. */
static int walk_json(struct rules_facts *f, json_t *obj, const char *prefix, size_t *hint,
                     struct buf *why)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        char name[RULES_MAX_NAME + 1];
        size_t plen = strlen(prefix), klen = strlen(key);
        if (plen + (plen > 0) + klen > RULES_MAX_NAME) {
            buf_puts(why, "field name too long");
            return ERR_INVALID;
        }
        memcpy(name, prefix, plen);
        if (plen > 0)
            name[plen++] = '.';
        memcpy(name + plen, key, klen + 1);
        int r = json_is_object(v) ? walk_json(f, v, name, hint, why)
                                  : set_json(f, name, v, hint, why);
        if (r < 0)
            return r;
    }
    return 0;
}

int rules_facts_from_json_why(const struct rules_schema *schema, json_t *obj,
                              struct rules_facts **out, struct buf *why)
{
    struct rules_facts *f = NULL;
    struct buf local;
    int r;
    *out = NULL;
    buf_init(&local, 256);
    if (why == NULL)
        why = &local;
    if (!json_is_object(obj)) {
        buf_puts(why, "facts: must be a JSON object");
        r = ERR_INVALID;
        goto out;
    }
    r = rules_facts_new(schema, &f);
    if (r < 0)
        goto out;
    size_t hint = 0;
    r = walk_json(f, obj, "", &hint, why);
    if (r < 0)
        goto out;
    *out = f;
    f = NULL; /* transferred */
out:
    rules_facts_free(f);
    buf_free(&local);
    return r;
}

int rules_facts_from_json(const struct rules_schema *schema, json_t *obj, struct rules_facts **out)
{
    return rules_facts_from_json_why(schema, obj, out, NULL);
}
