/* rulesets: upload, activation, the cache of compiled active rulesets, and
 * backtests. */
#include "services/rulesets.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rules.h"
#include "services/audit.h"
#include "services/svc.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/limits.h"
#include "util/refdata_files.h"
#include "util/text.h"
#include "util/timeutil.h"

#define N_KINDS 2
static const char *const kinds[N_KINDS] = {"departure", "application"};

struct ruleset_ref {
    struct rules *rules;
    char version[RULES_HASH_HEX + 1];
    atomic_int refs;
};

/* The active ruleset is read from the store at most once a second per
 * kind; an activation through this process takes effect at once, one made
 * by another process (lintas on the command line) within a second. */
#define RECHECK_MS 1000

struct rulesets {
    pthread_mutex_t lock;
    struct ruleset_ref *active[N_KINDS];
    int64_t checked_ms[N_KINDS];
};

static int kind_index(const char *kind)
{
    for (int i = 0; i < N_KINDS; i++) {
        if (strcmp(kinds[i], kind) == 0)
            return i;
    }
    return -1;
}

static const struct rules_schema *kind_schema(const char *kind)
{
    return strcmp(kind, "application") == 0 ? rules_schema_application()
                                            : rules_schema_departure();
}

int rulesets_new(struct rulesets **out)
{
    struct rulesets *rs = calloc(1, sizeof *rs);
    if (rs == NULL)
        return ERR_NOMEM;
    pthread_mutex_init(&rs->lock, NULL);
    *out = rs;
    return 0;
}

void rulesets_release(struct ruleset_ref *ref)
{
    if (ref != NULL && atomic_fetch_sub(&ref->refs, 1) == 1) {
        rules_free(ref->rules);
        free(ref);
    }
}

void rulesets_free(struct rulesets *rs)
{
    if (rs == NULL)
        return;
    for (int i = 0; i < N_KINDS; i++)
        rulesets_release(rs->active[i]);
    pthread_mutex_destroy(&rs->lock);
    free(rs);
}

const struct rules *ruleset_rules(const struct ruleset_ref *ref)
{
    return ref->rules;
}

const char *ruleset_version(const struct ruleset_ref *ref)
{
    return ref->version;
}

/* ---- reading stored rulesets ---- */

struct row_copy {
    int64_t id;
    char hash[RULES_HASH_HEX + 1];
    char kind[16];
    char state[16];
    char *source; /* malloc'd */
    size_t len;
};

static int copy_row(void *p, const struct store_ruleset_row *row)
{
    struct row_copy *c = p;
    c->id = row->id;
    text_copy(c->hash, sizeof c->hash, row->hash);
    text_copy(c->kind, sizeof c->kind, row->kind);
    text_copy(c->state, sizeof c->state, row->state);
    c->len = strlen(row->source);
    c->source = strdup(row->source);
    return c->source ? 0 : ERR_NOMEM;
}

static int compile_ref(const char *kind, const char *src, size_t len, struct ruleset_ref **out)
{
    struct ruleset_ref *ref = calloc(1, sizeof *ref);
    struct rules_diags diags;
    if (ref == NULL)
        return ERR_NOMEM;
    int r = rules_compile(kind_schema(kind), src, len, &ref->rules, &diags);
    if (r < 0) {
        free(ref);
        return ERR_CORRUPT; /* a stored ruleset that no longer compiles */
    }
    text_copy(ref->version, sizeof ref->version, rules_hash(ref->rules));
    atomic_init(&ref->refs, 1);
    *out = ref;
    return 0;
}

int rulesets_active(struct svc *s, const char *kind, struct ruleset_ref **ref)
{
    *ref = NULL;
    int k = kind_index(kind);
    if (k < 0)
        return ERR_INVALID;
    struct rulesets *rs = s->rs;
    int64_t now = time_mono_ms();
    pthread_mutex_lock(&rs->lock);
    if (rs->active[k] != NULL && now - rs->checked_ms[k] < RECHECK_MS) {
        atomic_fetch_add(&rs->active[k]->refs, 1);
        *ref = rs->active[k];
        pthread_mutex_unlock(&rs->lock);
        return 0;
    }
    pthread_mutex_unlock(&rs->lock);
    struct row_copy row = {0};
    int r = store_ruleset_active(s->st, kind, copy_row, &row);
    if (r < 0) {
        free(row.source);
        return r;
    }
    pthread_mutex_lock(&rs->lock);
    rs->checked_ms[k] = now;
    struct ruleset_ref *cur = rs->active[k];
    if (cur == NULL || strcmp(cur->version, row.hash) != 0) {
        struct ruleset_ref *fresh;
        r = compile_ref(kind, row.source, row.len, &fresh);
        if (r == 0) {
            rulesets_release(cur);
            rs->active[k] = cur = fresh;
        }
    }
    if (r == 0) {
        atomic_fetch_add(&cur->refs, 1);
        *ref = cur;
    }
    pthread_mutex_unlock(&rs->lock);
    free(row.source);
    return r;
}

/* ---- defaults ---- */

int rulesets_install_defaults(struct store *st, struct buf *why)
{
    int r = 0;
    for (int k = 0; k < N_KINDS && r == 0; k++) {
        char file[32];
        snprintf(file, sizeof file, "%s.rules", kinds[k]);
        const struct refdata_file *f = refdata_file_find(file);
        struct row_copy row = {0};
        if (f == NULL) {
            buf_printf(why, "%s: not embedded", file);
            return ERR_INTERNAL;
        }
        r = store_begin(st, true);
        if (r < 0)
            return r;
        r = store_ruleset_active(st, kinds[k], copy_row, &row);
        free(row.source);
        if (r == ERR_NOTFOUND) {
            char hash[RULES_HASH_HEX + 1], oid[24];
            int64_t id = 0;
            rules_hash_source(f->data, f->len, hash);
            r = store_ruleset_put(st, kinds[k], hash, f->data, "(lintas)", time_now_ms(),
                                  "default ruleset shipped with lintas", &id);
            if (r == 0)
                r = store_ruleset_activate(st, id, "(lintas)", time_now_ms());
            snprintf(oid, sizeof oid, "%" PRId64, id);
            if (r == 0)
                r = audit_append_as(st, "(lintas)", "", "", "ruleset.activate", "ruleset", oid,
                                    "ok", kinds[k]);
        }
        if (r == 0)
            r = store_commit(st);
        else
            store_rollback(st);
    }
    if (r < 0 && why->len == 0)
        buf_printf(why, "installing the default rulesets: %s", err_str(r));
    return r;
}

/* ---- upload, activate, list ---- */

static json_t *diags_json(const struct rules_diags *d, bool errors)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < d->n; i++) {
        if (d->d[i].error != errors)
            continue;
        char line[RULES_DIAG_TEXT + 32];
        snprintf(line, sizeof line, "%u:%u: %s", d->d[i].line, d->d[i].col, d->d[i].text);
        json_array_append_new(arr, json_string(line));
    }
    return arr;
}

/* A ruleset of the same kind with the same content hash, if any. */
struct same_source {
    const char *hash;
    int64_t id;
    char state[16];
    char note[LIMIT_NOTE + 1];
};

static int find_hash(void *p, const struct store_ruleset_row *row)
{
    struct same_source *f = p;
    if (f->id == 0 && strcmp(row->hash, f->hash) == 0) {
        f->id = row->id;
        text_copy(f->state, sizeof f->state, row->state);
        text_copy(f->note, sizeof f->note, row->note ? row->note : "");
    }
    return 0;
}

int rulesets_upload(struct svc *s, const struct actor *who, const char *kind, const char *src,
                    size_t len, const char *note, json_t **out, struct buf *why)
{
    struct rules *rules = NULL;
    struct rules_diags diags;
    *out = NULL;
    if (kind_index(kind) < 0) {
        buf_puts(why, "field 'kind': must be departure or application");
        return ERR_INVALID;
    }
    int r = rules_compile(kind_schema(kind), src, len, &rules, &diags);
    if (r < 0) {
        struct buf d;
        buf_init(&d, 8192);
        rules_diags_format(&diags, &d);
        buf_printf(why, "field 'source': the ruleset does not compile\n%s", buf_cstr(&d));
        buf_free(&d);
        return ERR_INVALID;
    }
    char hash[RULES_HASH_HEX + 1], oid[24];
    text_copy(hash, sizeof hash, rules_hash(rules));
    size_t nrules = rules_count(rules);
    rules_free(rules);
    int64_t id = 0;
    struct same_source same = {.hash = hash};
    r = store_begin(s->st, true);
    if (r == 0) /* the same source uploaded before is that ruleset, as it is */
        r = store_ruleset_list(s->st, kind, find_hash, &same);
    if (r == 0 && same.id == 0)
        r = store_ruleset_put(s->st, kind, hash, src, who->username, time_now_ms(), note, &id);
    if (same.id != 0)
        id = same.id;
    snprintf(oid, sizeof oid, "%" PRId64, id);
    if (r == 0)
        r = audit_append(s->st, who, "ruleset.upload", "ruleset", oid, "ok",
                         same.id != 0 ? "already uploaded" : kind);
    if (r == 0)
        r = store_commit(s->st);
    if (r < 0) {
        store_rollback(s->st);
        return r;
    }
    *out = json_pack("{sI ss ss ss sI so}", "id", (json_int_t)id, "kind", kind, "version", hash,
                     "state", same.id != 0 ? same.state : "candidate", "rules",
                     (json_int_t)nrules, "warnings", diags_json(&diags, false));
    if (*out != NULL && same.id != 0) {
        json_object_set_new(*out, "already_uploaded", json_true());
        json_object_set_new(*out, "note", json_string(same.note));
    }
    return *out ? 0 : ERR_NOMEM;
}

int rulesets_activate(struct svc *s, const struct actor *who, int64_t id, struct buf *why)
{
    char oid[24];
    struct row_copy row = {0};
    snprintf(oid, sizeof oid, "%" PRId64, id);
    int r = store_begin(s->st, true);
    if (r < 0)
        return r;
    r = store_ruleset_get(s->st, id, copy_row, &row);
    if (r == ERR_NOTFOUND)
        buf_puts(why, "no such ruleset");
    if (r == 0)
        r = store_ruleset_activate(s->st, id, who->username, time_now_ms());
    if (r == 0)
        r = audit_append(s->st, who, "ruleset.activate", "ruleset", oid, "ok", row.kind);
    if (r == 0)
        r = store_commit(s->st);
    if (r < 0)
        store_rollback(s->st);
    if (r == 0) {
        pthread_mutex_lock(&s->rs->lock);
        memset(s->rs->checked_ms, 0, sizeof s->rs->checked_ms); /* re-read at once */
        pthread_mutex_unlock(&s->rs->lock);
    }
    free(row.source);
    return r;
}

static json_t *ruleset_json(const struct store_ruleset_row *row, bool with_source)
{
    char up[32], act[32];
    time_format_iso(up, row->uploaded_ms);
    json_t *o = json_pack("{sI ss ss ss ss ss ss}", "id", (json_int_t)row->id, "kind", row->kind,
                          "version", row->hash, "state", row->state, "uploaded_by",
                          row->uploaded_by, "uploaded_at", up, "note", row->note);
    if (o != NULL && row->activated_ms > 0) {
        time_format_iso(act, row->activated_ms);
        json_object_set_new(o, "activated_by", json_string(row->activated_by));
        json_object_set_new(o, "activated_at", json_string(act));
    }
    if (o != NULL && with_source)
        json_object_set_new(o, "source", json_string(row->source));
    return o;
}

static int list_row(void *p, const struct store_ruleset_row *row)
{
    json_t *o = ruleset_json(row, false);
    return o && json_array_append_new(p, o) == 0 ? 0 : ERR_NOMEM;
}

int rulesets_list(struct svc *s, const char *kind, json_t **out)
{
    json_t *arr = json_array();
    int r = store_ruleset_list(s->st, kind, list_row, arr);
    if (r < 0) {
        json_decref(arr);
        arr = NULL;
    }
    *out = arr;
    return r;
}

static int get_row(void *p, const struct store_ruleset_row *row)
{
    json_t **o = p;
    *o = ruleset_json(row, true);
    return *o ? 0 : ERR_NOMEM;
}

int rulesets_get(struct svc *s, int64_t id, json_t **out)
{
    *out = NULL;
    return store_ruleset_get(s->st, id, get_row, out);
}
