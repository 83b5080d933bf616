/* watchlist_json: watchlist entries to and from their JSON form, and the
 * index (names, and the documents' types and issuers) kept in step with the
 * store. */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/watchlist.h"
#include "services/watchlist_int.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/timeutil.h"

static void set_str(json_t *o, const char *key, const char *v)
{
    if (v != NULL && *v != '\0')
        json_object_set_new(o, key, json_string(v));
}

static void set_date(json_t *o, const char *key, int32_t days)
{
    if (days == WL_NO_DATE)
        return;
    char d[16];
    time_format_date(d, (int64_t)days * 86400000);
    json_object_set_new(o, key, json_string(d));
}

static void add_names(json_t *o, const struct wl_entry *e)
{
    json_t *strong = json_array(), *weak = json_array();
    for (size_t i = 1; i < e->nnames; i++)
        json_array_append_new(e->names[i].weak ? weak : strong, json_string(e->names[i].name));
    if (e->nnames > 0)
        set_str(o, "name", e->names[0].name);
    if (json_array_size(strong))
        json_object_set(o, "aliases", strong);
    if (json_array_size(weak))
        json_object_set(o, "weak_aliases", weak);
    json_decref(strong);
    json_decref(weak);
}

/* "documents": every document, with its type and issuer when known; only
 * when some document has either (new reference, or NULL). */
static json_t *docs_json(const struct wl_entry *e)
{
    bool detail = false;
    for (size_t i = 0; i < e->ndocs; i++)
        detail = detail || e->docs[i].type != NULL || e->docs[i].country[0] != '\0';
    if (!detail)
        return NULL;
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < e->ndocs; i++) {
        json_t *d = json_object();
        set_str(d, "number", e->docs[i].number);
        set_str(d, "type", e->docs[i].type);
        set_str(d, "issuer", e->docs[i].country);
        json_array_append_new(a, d);
    }
    return a;
}

/* "document_numbers": each number once (two documents of one number, from
 * two countries, show it once), as written. */
static void add_numbers(json_t *docs, const struct wl_entry *e)
{
    char seen[WL_MAX_DOCS][NAMES_DOC_MAX];
    size_t n = 0;
    for (size_t i = 0; i < e->ndocs; i++) {
        char d[NAMES_DOC_MAX];
        bool dup = false;
        if (names_doc_normalise(e->docs[i].number, d) != 0)
            continue;
        for (size_t k = 0; k < n && !dup; k++)
            dup = strcmp(seen[k], d) == 0;
        if (dup)
            continue;
        memcpy(seen[n++], d, sizeof d);
        json_array_append_new(docs, json_string(e->docs[i].number));
    }
    if (e->ndocs == 0) {
        for (size_t i = 0; i < e->facts.ndoc; i++)
            json_array_append_new(docs, json_string(e->facts.doc[i]));
    }
}

static void add_facts(json_t *o, const struct wl_entry *e)
{
    json_t *dob = json_array(), *nat = json_array(), *docs = json_array();
    for (size_t i = 0; i < e->facts.ndob; i++) {
        char d[32];
        names_date_format(&e->facts.dob[i], d, sizeof d);
        json_array_append_new(dob, json_string(d));
    }
    for (size_t i = 0; i < e->facts.nnat; i++)
        json_array_append_new(nat, json_string(e->facts.nat[i]));
    add_numbers(docs, e);
    if (json_array_size(dob))
        json_object_set(o, "birth_date", dob);
    if (json_array_size(nat))
        json_object_set(o, "nationality", nat);
    if (json_array_size(docs))
        json_object_set(o, "document_numbers", docs);
    json_t *detail = docs_json(e);
    if (detail != NULL)
        json_object_set_new(o, "documents", detail);
    json_decref(dob);
    json_decref(nat);
    json_decref(docs);
}

json_t *wl_body_json(const struct wl_entry *e)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    set_str(o, "id", e->id);
    set_str(o, "list", e->list);
    set_str(o, "source", e->source);
    set_str(o, "kind", wl_kind_str(e->kind));
    add_names(o, e);
    add_facts(o, e);
    set_str(o, "phone", e->phone);
    set_str(o, "category", wl_category_str(e->category));
    set_str(o, "action", wl_action_str(e->action));
    set_date(o, "valid_from", e->valid_from);
    set_date(o, "valid_until", e->valid_until);
    set_date(o, "review_date", e->review_date);
    set_str(o, "legal_basis", e->legal_basis);
    set_str(o, "owner", e->owner);
    set_str(o, "created_by", e->created_by);
    set_str(o, "notes", e->notes);
    return o;
}

struct one_entry {
    struct wl_entry *e;
    int n;
};

static int take_one(void *ctx, struct wl_entry *e)
{
    struct one_entry *one = ctx;
    if (one->n++ > 0)
        return ERR_INVALID;
    *one->e = *e; /* moved out */
    wl_entry_init(e);
    return 0;
}

int wl_entry_from_text(const char *text, size_t len, const char *list, struct wl_entry *e,
                       struct buf *why)
{
    struct wl_error err;
    struct one_entry one = {.e = e};
    wl_entry_init(e);
    memset(&err, 0, sizeof err);
    int r = wl_parse_jsonl(text, len, "body", list, NULL, take_one, &one, &err);
    if (r == 0 && one.n != 1) {
        r = ERR_INVALID;
        snprintf(err.message, sizeof err.message, "one JSON object expected");
    }
    if (r < 0) {
        if (err.field[0] != '\0')
            buf_printf(why, "field '%s': %s", err.field, err.message);
        else
            buf_printf(why, "entry: %s", err.message[0] ? err.message : err_str(r));
        wl_entry_free(e);
        return ERR_INVALID;
    }
    return 0;
}

int wl_entry_from_json(json_t *obj, const char *list, struct wl_entry *e, struct buf *why)
{
    struct buf line;
    buf_init(&line, LIMIT_LINE);
    if (json_dump_buf(obj, &line) < 0) {
        wl_entry_init(e);
        buf_puts(why, "body: entry too large");
        buf_free(&line);
        return ERR_INVALID;
    }
    int r = wl_entry_from_text(line.data, line.len, list, e, why);
    buf_free(&line);
    return r;
}

void wl_row_from_entry(const struct wl_entry *e, const char *bodytxt, char valid_until[16],
                       struct store_wl_row *row)
{
    memset(row, 0, sizeof *row);
    row->list = e->list ? e->list : "local";
    row->source_id = e->id;
    row->kind = wl_kind_str(e->kind);
    row->category = wl_category_str(e->category);
    row->action = wl_action_str(e->action);
    row->primary_name = e->nnames > 0 ? e->names[0].name : "";
    row->valid_until = NULL;
    if (e->valid_until != WL_NO_DATE) {
        time_format_date(valid_until, (int64_t)e->valid_until * 86400000);
        row->valid_until = valid_until;
    }
    row->body = bodytxt;
    row->created_by = e->created_by;
}

/* ---- the documents of indexed entries, for matches ----
 *
 * For each indexed entry that has a document with a type or an issuer, a
 * record keyed by its store id holds those documents, so that a match by
 * document number can name the document's type and issuer without a read
 * of the store (manifest workers match without a store connection). The
 * name index keeps only the numbers. Entries without such documents (a
 * synthetic million-entry list) cost one test of their documents. */

struct doc_rec {
    struct doc_rec *next;
    int64_t id;
    size_t n;    /* documents */
    char text[]; /* per document: normalised number, number, type, issuer, each NUL-ended */
};

struct wl_docs {
    pthread_rwlock_t lock;
    struct doc_rec **b; /* buckets, nb a power of two (0 before the first record) */
    size_t nb;
    _Atomic size_t n; /* records: puts of entries without details skip the lock at 0 */
};

int wl_docs_new(struct wl_docs **out)
{
    *out = calloc(1, sizeof **out);
    if (*out == NULL)
        return ERR_NOMEM;
    pthread_rwlock_init(&(*out)->lock, NULL);
    return 0;
}

void wl_docs_free(struct wl_docs *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->nb; i++)
        for (struct doc_rec *r = t->b[i], *next; r != NULL; r = next)
            next = r->next, free(r);
    free(t->b);
    pthread_rwlock_destroy(&t->lock);
    free(t);
}

static size_t bucket(int64_t id, size_t nb)
{
    return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 32) & (nb - 1);
}

static bool has_detail(const struct wl_document *d)
{
    return d->type != NULL || d->country[0] != '\0';
}

/* A record of e's documents with a type or issuer; NULL when none (or no
 * memory: *r is then ERR_NOMEM). */
static struct doc_rec *rec_new(int64_t id, const struct wl_entry *e, int *r)
{
    size_t len = 0, n = 0;
    *r = 0;
    for (size_t i = 0; i < e->ndocs; i++) {
        const struct wl_document *d = &e->docs[i];
        if (has_detail(d))
            len += NAMES_DOC_MAX + strlen(d->number) + (d->type ? strlen(d->type) : 0) + 8, n++;
    }
    if (n == 0)
        return NULL;
    struct doc_rec *rec = malloc(sizeof *rec + len); /* len is bounded: WL_MAX_DOCS items */
    if (rec == NULL)
        return *r = ERR_NOMEM, NULL;
    rec->next = NULL, rec->id = id, rec->n = 0;
    char *p = rec->text;
    for (size_t i = 0; i < e->ndocs; i++) {
        const struct wl_document *d = &e->docs[i];
        char norm[NAMES_DOC_MAX];
        if (!has_detail(d) || names_doc_normalise(d->number, norm) != 0)
            continue;
        const char *parts[] = {norm, d->number, d->type ? d->type : "", d->country};
        for (size_t k = 0; k < 4; k++) {
            size_t l = strlen(parts[k]) + 1;
            memcpy(p, parts[k], l);
            p += l;
        }
        rec->n++;
    }
    return rec;
}

static int grow(struct wl_docs *t)
{
    size_t nb = t->nb ? t->nb * 2 : 64;
    struct doc_rec **b = calloc(nb, sizeof *b);
    if (b == NULL)
        return ERR_NOMEM;
    for (size_t i = 0; i < t->nb; i++)
        for (struct doc_rec *r = t->b[i], *next; r != NULL; r = next) {
            next = r->next;
            size_t k = bucket(r->id, nb);
            r->next = b[k], b[k] = r;
        }
    free(t->b);
    t->b = b, t->nb = nb;
    return 0;
}

/* Replaces the record of id by rec (NULL: removes it); write lock held. */
static int docs_set(struct wl_docs *t, int64_t id, struct doc_rec *rec)
{
    if (t->nb > 0) {
        for (struct doc_rec **pp = &t->b[bucket(id, t->nb)]; *pp != NULL; pp = &(*pp)->next) {
            if ((*pp)->id != id)
                continue;
            struct doc_rec *old = *pp;
            *pp = old->next;
            free(old);
            atomic_fetch_sub(&t->n, 1);
            break;
        }
    }
    if (rec == NULL)
        return 0;
    if (atomic_load(&t->n) >= t->nb && grow(t) != 0) {
        free(rec);
        return ERR_NOMEM;
    }
    size_t k = bucket(id, t->nb);
    rec->next = t->b[k], t->b[k] = rec;
    atomic_fetch_add(&t->n, 1);
    return 0;
}

/* Keeps the documents of e (NULL: forgets those of id). Thread-safe. */
static int docs_put(struct wl_docs *t, int64_t id, const struct wl_entry *e)
{
    int r = 0;
    struct doc_rec *rec = e != NULL ? rec_new(id, e, &r) : NULL;
    if (r != 0 || (rec == NULL && atomic_load(&t->n) == 0))
        return r;
    pthread_rwlock_wrlock(&t->lock);
    r = docs_set(t, id, rec); /* rec transferred */
    pthread_rwlock_unlock(&t->lock);
    return r;
}

bool wl_docs_find(struct wl_docs *t, int64_t id, const char *norm,
                  char number[WL_MAX_DOC_NUMBER + 1], char type[WL_MAX_DOC_TYPE + 1],
                  char issuer[4])
{
    bool found = false;
    if (atomic_load(&t->n) == 0)
        return false;
    pthread_rwlock_rdlock(&t->lock);
    const struct doc_rec *r = t->nb > 0 ? t->b[bucket(id, t->nb)] : NULL;
    while (r != NULL && r->id != id)
        r = r->next;
    const char *p = r != NULL ? r->text : NULL;
    for (size_t i = 0; r != NULL && i < r->n && !found; i++) {
        const char *parts[4];
        for (size_t k = 0; k < 4; k++)
            parts[k] = p, p += strlen(p) + 1;
        if (strcmp(parts[0], norm) != 0)
            continue;
        found = true;
        snprintf(number, WL_MAX_DOC_NUMBER + 1, "%s", parts[1]);
        snprintf(type, WL_MAX_DOC_TYPE + 1, "%s", parts[2]);
        snprintf(issuer, 4, "%s", parts[3]);
    }
    pthread_rwlock_unlock(&t->lock);
    return found;
}

int wl_index_remove(struct watchlist *wl, int64_t id)
{
    char key[24];
    snprintf(key, sizeof key, "%" PRId64, id);
    int r = name_index_remove(wl->idx, key);
    int d = docs_put(wl->docs, id, NULL);
    return r != 0 ? r : d;
}

int wl_index_put(struct watchlist *wl, int64_t id, const struct wl_entry *e)
{
    /* The index knows an entry by its store id, which is also the entry_id
     * that matches report; the source id stays in the stored body. */
    char key[24];
    snprintf(key, sizeof key, "%" PRId64, id);
    struct wl_entry view = *e;
    view.id = key;
    int64_t max = atomic_load(&wl->max_id);
    while (id > max && !atomic_compare_exchange_weak(&wl->max_id, &max, id)) {
    }
    int r = name_index_put(wl->idx, &view);
    return r != 0 ? r : docs_put(wl->docs, id, e);
}

json_t *wl_row_json(const struct store_wl_row *row)
{
    json_error_t jerr;
    json_t *o = json_loads(row->body, 0, &jerr);
    if (o == NULL || !json_is_object(o)) {
        json_decref(o);
        return NULL;
    }
    char id[24], created[32], updated[32];
    snprintf(id, sizeof id, "%" PRId64, row->id);
    time_format_iso(created, row->created_ms);
    time_format_iso(updated, row->updated_ms);
    json_object_set_new(o, "entry_id", json_string(id));
    json_object_set_new(o, "list", json_string(row->list));
    json_object_set_new(o, "created_at", json_string(created));
    json_object_set_new(o, "updated_at", json_string(updated));
    if (row->created_by[0] != '\0')
        json_object_set_new(o, "created_by", json_string(row->created_by));
    return o;
}
