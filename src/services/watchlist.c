/* watchlist: entry use cases, the index built at start-up, and matching. */
#include "services/watchlist.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/countries.h"
#include "domain/names.h"
#include "services/audit.h"
#include "services/svc.h"
#include "services/watchlist_int.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/log.h"
#include "util/text.h"
#include "util/timeutil.h"

/* ---- opening: the index from the store ---- */

/* Parses a stored row into e: its body text read as it is (a JSON
 * object on one line, as the store writes it); a body that does not read
 * that way (written on several lines, say) is loaded as a tree and read
 * from that, as before. ERR_CORRUPT, why naming the entry. */
static int row_entry(const struct store_wl_row *row, struct wl_entry *e, struct buf *why)
{
    struct buf ewhy;
    buf_init(&ewhy, 512);
    int r = wl_entry_from_text(row->body, strlen(row->body), row->list, e, &ewhy);
    if (r < 0) {
        json_error_t jerr;
        json_t *o = json_loads(row->body, 0, &jerr);
        if (o != NULL) { /* the tree's reason, when there is a tree */
            buf_reset(&ewhy);
            r = wl_entry_from_json(o, row->list, e, &ewhy);
            json_decref(o);
        }
    }
    if (r < 0) {
        buf_printf(why, "watchlist entry %" PRId64 " no longer parses: %s", row->id,
                   buf_cstr(&ewhy));
        r = ERR_CORRUPT;
    }
    buf_free(&ewhy);
    return r;
}

/* At start, the stored rows are read and parsed on the opening thread
 * (which holds the snapshot) while a thread of its own puts the parsed
 * entries into the index: the two halves take about as long each. They
 * meet in a ring of LOAD_RING entries (fewer when the environment sets
 * LINTAS_TEST_LOAD_RING: the tests make it 1, so that the reader and the
 * putter wait on each other all the time). */
#define LOAD_RING 1024u

struct load_ring {
    pthread_mutex_t mu;
    pthread_cond_t more, room;
    struct watchlist *wl;
    struct wl_entry *e; /* cap of them */
    int64_t *id;
    size_t cap;
    size_t head, n; /* the next to put, and how many wait */
    bool done;      /* the reader has finished, or failed */
    int result;     /* the first error of the putter */
};

struct load_ctx {
    struct watchlist *wl;
    struct buf *why;
    struct load_ring *ring; /* NULL: the opening thread puts each entry itself */
};

static void *load_putter(void *p)
{
    struct load_ring *q = p;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (q->n == 0 && !q->done)
            pthread_cond_wait(&q->more, &q->mu);
        if (q->n == 0)
            break;
        struct wl_entry e = q->e[q->head];
        int64_t id = q->id[q->head];
        bool failed = q->result != 0;
        q->head = (q->head + 1) % q->cap;
        q->n--;
        pthread_cond_signal(&q->room);
        pthread_mutex_unlock(&q->mu);
        int r = failed ? 0 : wl_index_put(q->wl, id, &e);
        wl_entry_free(&e);
        pthread_mutex_lock(&q->mu);
        if (r < 0 && q->result == 0)
            q->result = r;
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

static int load_row(void *p, const struct store_wl_row *row)
{
    struct load_ctx *lc = p;
    struct load_ring *q = lc->ring;
    struct wl_entry e;
    int r = row_entry(row, &e, lc->why);
    if (r < 0)
        return r;
    if (q == NULL) {
        r = wl_index_put(lc->wl, row->id, &e);
        wl_entry_free(&e);
        return r;
    }
    pthread_mutex_lock(&q->mu);
    while (q->n == q->cap && q->result == 0)
        pthread_cond_wait(&q->room, &q->mu);
    r = q->result;
    if (r == 0) {
        size_t t = (q->head + q->n) % q->cap;
        q->e[t] = e; /* moved: the putter frees it */
        q->id[t] = row->id;
        q->n++;
        pthread_cond_signal(&q->more);
    }
    pthread_mutex_unlock(&q->mu);
    if (r != 0)
        wl_entry_free(&e);
    return r;
}

/* Reads every stored entry into the index (store_wl_scan under the
 * caller's snapshot), putting them on a thread of its own when one can be
 * started. */
static int load_all(struct store *st, struct load_ctx *lc)
{
    struct load_ring q = {.wl = lc->wl, .cap = LOAD_RING};
    const char *test_cap = getenv("LINTAS_TEST_LOAD_RING");
    pthread_t putter;
    int64_t cap;
    if (test_cap != NULL && text_parse_i64(test_cap, 1, LOAD_RING, &cap) == 0)
        q.cap = (size_t)cap;
    q.e = calloc(LOAD_RING, sizeof *q.e);
    q.id = calloc(LOAD_RING, sizeof *q.id);
    pthread_mutex_init(&q.mu, NULL);
    pthread_cond_init(&q.more, NULL);
    pthread_cond_init(&q.room, NULL);
    bool threaded = q.e != NULL && q.id != NULL &&
                    pthread_create(&putter, NULL, load_putter, &q) == 0;
    lc->ring = threaded ? &q : NULL;
    int r = store_wl_scan(st, load_row, lc);
    if (threaded) {
        pthread_mutex_lock(&q.mu);
        q.done = true;
        pthread_cond_signal(&q.more);
        pthread_mutex_unlock(&q.mu);
        pthread_join(putter, NULL);
        if (r == 0)
            r = q.result;
    }
    lc->ring = NULL;
    pthread_cond_destroy(&q.room);
    pthread_cond_destroy(&q.more);
    pthread_mutex_destroy(&q.mu);
    free(q.e);
    free(q.id);
    return r;
}

int watchlist_open(struct store *st, struct watchlist **out, struct buf *why)
{
    *out = NULL;
    struct watchlist *wl = calloc(1, sizeof *wl);
    if (wl == NULL)
        return ERR_NOMEM;
    wl->st = st;
    pthread_mutex_init(&wl->sync, NULL);
    int r = name_index_new(&wl->idx);
    if (r == 0)
        r = wl_docs_new(&wl->docs);
    if (r == 0) {
        struct load_ctx lc = {wl, why, NULL};
        int64_t seq = 0;
        /* The log's newest seq and the entries, in one snapshot: the index
         * then holds every change up to seq and none after it. */
        r = store_begin(st, false);
        if (r == 0) {
            r = store_wl_changes_max(st, &seq);
            if (r == 0)
                r = load_all(st, &lc);
            store_rollback(st);
        }
        atomic_store(&wl->applied, seq);
    }
    if (r < 0) {
        watchlist_close(wl);
        return r;
    }
    *out = wl;
    return 0;
}

void watchlist_close(struct watchlist *wl)
{
    if (wl == NULL)
        return;
    if (wl->bg_started)
        pthread_join(wl->bg, NULL);
    name_index_free(wl->idx);
    wl_docs_free(wl->docs);
    pthread_mutex_destroy(&wl->sync);
    free(wl);
}

void watchlist_size(struct watchlist *wl, size_t *entries, size_t *names)
{
    *entries = name_index_entries(wl->idx);
    *names = name_index_names(wl->idx);
}

/* ---- keeping the index in step with the store ----
 *
 * Every write of an entry, by any process, appends the entry's id to the
 * store's change log in its transaction. wl->applied is the newest seq the
 * index reflects. Before each match, wl_sync compares it with the log's
 * newest seq (one indexed look-up); when the log is ahead (another process,
 * such as `lintas watchlist import`, wrote entries), it re-reads each
 * changed entry and puts it into the index, or removes it when it is gone.
 * What is applied is an entry's state when it is read, at or after its
 * change, so the order of the changes does not matter and applying one
 * twice is harmless. Changes are applied under wl->sync: this process's
 * own writes put their entry right after their commit (own_change) and
 * mark their seq applied when every change before it is; a catch-up that
 * read the log after such a commit already put a state at least as new,
 * and own_change then leaves the index alone. */

#define SYNC_WAIT 20000 /* pending changes a match waits for */

struct sync_ctx {
    int64_t first; /* seq of the first change read */
    int64_t *ids;  /* entry ids of the changes, in seq order */
    size_t n, cap;
};

static int sync_row(void *p, int64_t seq, int64_t entry_id)
{
    struct sync_ctx *sc = p;
    if (sc->first == 0)
        sc->first = seq;
    if (sc->n == sc->cap) {
        size_t cap = sc->cap ? sc->cap * 2 : 64;
        int64_t *ids = reallocarray(sc->ids, cap, sizeof *ids);
        if (ids == NULL)
            return ERR_NOMEM;
        sc->ids = ids;
        sc->cap = cap;
    }
    sc->ids[sc->n++] = entry_id;
    return 0;
}

/* A changed row: put into the index. A body that no longer parses is
 * logged and the index keeps what it had (refusing every screening for one
 * bad entry would be worse); a restart would refuse it. */
static int put_row(struct watchlist *wl, const struct store_wl_row *row)
{
    struct wl_entry e;
    struct buf why;
    buf_init(&why, 256);
    int r = row_entry(row, &e, &why);
    if (r == 0) {
        r = wl_index_put(wl, row->id, &e);
        wl_entry_free(&e);
    } else {
        log_msg(LOG_ERROR, "watchlist: %s; the index keeps its former version", buf_cstr(&why));
        r = 0;
    }
    buf_free(&why);
    return r;
}

static int sync_put(void *p, const struct store_wl_row *row)
{
    return put_row(p, row);
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Re-reads each entry of ids (sorted, duplicates skipped) into the index. */
static int sync_entries(struct watchlist *wl, int64_t *ids, size_t n)
{
    int r = 0;
    qsort(ids, n, sizeof *ids, cmp_id);
    for (size_t i = 0; i < n && r == 0; i++) {
        if (i > 0 && ids[i] == ids[i - 1])
            continue;
        r = store_wl_get(wl->st, ids[i], sync_put, wl);
        if (r == ERR_NOTFOUND) {
            r = wl_index_remove(wl, ids[i]);
            r = r == ERR_NOTFOUND ? 0 : r;
        }
    }
    return r;
}

struct resync_ctx {
    struct watchlist *wl;
    struct sync_ctx ids; /* the stored ids, in id order */
};

static int resync_row(void *p, const struct store_wl_row *row)
{
    struct resync_ctx *rc = p;
    int r = put_row(rc->wl, row);
    return r < 0 ? r : sync_row(&rc->ids, 0, row->id);
}

/* Changes this index has not applied were pruned from the log (the
 * process saw no match for longer than the log keeps them): every stored
 * entry is put again, and every entry id ever indexed that is no longer
 * stored is removed. */
static int resync(struct watchlist *wl)
{
    struct resync_ctx rc = {.wl = wl};
    log_msg(LOG_WARN, "watchlist: changes not yet applied were pruned from the change log; "
                      "reloading every entry");
    int r = store_wl_scan(wl->st, resync_row, &rc);
    int64_t max = atomic_load(&wl->max_id);
    size_t k = 0;
    for (int64_t id = 1; r == 0 && id <= max; id++) {
        while (k < rc.ids.n && rc.ids.ids[k] < id)
            k++;
        if (k < rc.ids.n && rc.ids.ids[k] == id)
            continue;
        r = wl_index_remove(wl, id);
        r = r == ERR_NOTFOUND ? 0 : r;
    }
    free(rc.ids.ids);
    return r;
}

/* Applies the changes after wl->applied up to the log's newest; wl->sync
 * held. */
static int sync_locked(struct watchlist *wl)
{
    int64_t applied = atomic_load(&wl->applied), max = 0;
    struct sync_ctx sc = {0};
    int64_t t0 = time_mono_ms();
    /* store_begin refuses inside this thread's open transaction (a
     * screening reads in one): the reads then run in that transaction. */
    bool own_txn = store_begin(wl->st, false) == 0;
    int r = store_wl_changes_max(wl->st, &max);
    if (r == 0 && max > applied)
        r = store_wl_changes(wl->st, applied, max, sync_row, &sc);
    if (r == 0 && max > applied) {
        /* seq has no holes but the pruned front of the log */
        if (sc.first != applied + 1)
            r = resync(wl);
        else
            r = sync_entries(wl, sc.ids, sc.n);
    }
    if (own_txn)
        store_rollback(wl->st);
    if (r == 0 && max > applied)
        atomic_store(&wl->applied, max);
    if (sc.n > SYNC_WAIT)
        log_msg(LOG_INFO, "watchlist: caught up with %zu changes in the store in %" PRId64 " ms",
                sc.n, time_mono_ms() - t0);
    free(sc.ids);
    return r;
}

/* A big catch-up, on a thread of its own: no request pays for it. */
static void *sync_thread(void *arg)
{
    struct watchlist *wl = arg;
    pthread_mutex_lock(&wl->sync);
    if (sync_locked(wl) < 0)
        log_msg(LOG_ERROR, "watchlist: the catch-up with the change log failed; the next "
                           "match tries again");
    pthread_mutex_unlock(&wl->sync);
    atomic_store(&wl->bg_busy, false);
    return NULL;
}

/* Manifest workers match what the manifest's thread caught up with once. */
static _Thread_local bool sync_skipped;

bool watchlist_sync_skip(bool skip)
{
    bool was = sync_skipped;
    sync_skipped = skip;
    return was;
}

int watchlist_prune_changes(struct store *st)
{
    int64_t pruned = 0;
    int r = store_begin(st, true);
    if (r < 0)
        return r;
    r = store_wl_changes_prune(st, time_now_ms() - WL_CHANGES_KEEP_MS, &pruned);
    if (r == 0)
        r = store_commit(st);
    else
        store_rollback(st);
    return r;
}

int watchlist_sync(struct watchlist *wl)
{
    return wl != NULL ? wl_sync(wl, false) : 0;
}

int wl_sync(struct watchlist *wl, bool wait)
{
    int64_t max = 0, applied = atomic_load(&wl->applied);
    if (!wait && sync_skipped)
        return 0;
    int r = store_wl_changes_max(wl->st, &max);
    if (r < 0 || max <= applied)
        return r;
    if (wait || max - applied <= SYNC_WAIT) {
        pthread_mutex_lock(&wl->sync);
        r = sync_locked(wl);
        pthread_mutex_unlock(&wl->sync);
        return r;
    }
    /* a big batch (an import of many entries): applied on a thread of its
     * own while requests go on against the index as it stands */
    bool idle = false;
    if (!atomic_compare_exchange_strong(&wl->bg_busy, &idle, true))
        return 0;
    if (wl->bg_started)
        pthread_join(wl->bg, NULL); /* the last one, finished */
    wl->bg_started = pthread_create(&wl->bg, NULL, sync_thread, wl) == 0;
    if (!wl->bg_started) { /* no thread: this request applies them */
        atomic_store(&wl->bg_busy, false);
        pthread_mutex_lock(&wl->sync);
        r = sync_locked(wl);
        pthread_mutex_unlock(&wl->sync);
    }
    return r;
}

/* Puts e (removes the entry when e is NULL) that this process wrote at
 * change seq (0: unknown) and has committed (see the section comment). */
static int own_change(struct watchlist *wl, int64_t id, const struct wl_entry *e, int64_t seq)
{
    int r = 0;
    pthread_mutex_lock(&wl->sync);
    int64_t applied = atomic_load(&wl->applied);
    if (seq == 0 || seq > applied) {
        r = e != NULL ? wl_index_put(wl, id, e) : wl_index_remove(wl, id);
        r = r == ERR_NOTFOUND ? 0 : r;
        if (r == 0 && seq > 0 && applied == seq - 1)
            atomic_store(&wl->applied, seq);
    }
    pthread_mutex_unlock(&wl->sync);
    return r;
}

/* ---- finding an entry by its source id ---- */

#define FIND_MAX 16 /* entries with one source id that an answer names */

struct find_ctx {
    size_t n;
    int64_t ids[FIND_MAX];
    char lists[FIND_MAX][WL_MAX_ID + 1];
};

/* One row of store_wl_by_source (which selects by source id and list). */
static int find_row(void *p, const struct store_wl_row *row)
{
    struct find_ctx *fc = p;
    if (fc->n < FIND_MAX) {
        fc->ids[fc->n] = row->id;
        snprintf(fc->lists[fc->n], sizeof fc->lists[0], "%s", row->list);
    }
    fc->n++;
    return 0;
}

/* The entries with source id sid (in list, when not NULL), inside the
 * caller's transaction. */
static int find_source(struct svc *s, const char *sid, const char *list, struct find_ctx *fc)
{
    memset(fc, 0, sizeof *fc);
    return store_wl_by_source(s->st, sid, list, FIND_MAX + 1, find_row, fc);
}

/* ---- writing one entry ---- */

/* Writes e (existing_id > 0: update that entry; 0: insert, or replace by
 * list and source id; -1: insert only, ERR_EXISTS with *id the entry that
 * has that list and source id) with its audit record inside the open
 * transaction. *seq, when not NULL, gets the write's change-log seq. */
static int write_entry(struct svc *s, const struct actor *who, const char *action,
                       struct wl_entry *e, int64_t existing_id, int64_t *id, int64_t *seq)
{
    if (existing_id < 0) {
        struct find_ctx fc;
        int r = find_source(s, e->id, e->list ? e->list : "local", &fc);
        if (r < 0)
            return r;
        if (fc.n > 0) {
            *id = fc.ids[0];
            return ERR_EXISTS;
        }
        existing_id = 0;
    }
    if (e->created_by == NULL && who != NULL)
        wl_set_str(&e->created_by, who->username);
    json_t *body = wl_body_json(e);
    char *txt = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (txt == NULL)
        return ERR_NOMEM;
    char vu[16], oid[24];
    struct store_wl_row row;
    wl_row_from_entry(e, txt, vu, &row);
    row.created_ms = row.updated_ms = time_now_ms();
    bool created = false;
    int r = 0;
    if (existing_id > 0) {
        row.id = existing_id;
        *id = existing_id;
        r = store_wl_update(s->st, &row);
    } else {
        r = store_wl_upsert(s->st, &row, id, &created);
    }
    snprintf(oid, sizeof oid, "%" PRId64, *id);
    if (r == 0 && seq != NULL)
        r = store_wl_changes_max(s->st, seq); /* ours: writers take turns */
    if (r == 0)
        r = audit_append(s->st, who, existing_id > 0 || created ? action : "watchlist.replace",
                         "watchlist_entry", oid, "ok", e->list);
    free(txt);
    return r;
}

/* Stores e in a transaction of its own, then updates the index. */
static int store_entry(struct svc *s, const struct actor *who, const char *action,
                       struct wl_entry *e, int64_t existing_id, int64_t *id)
{
    int64_t seq = 0;
    int r = store_begin(s->st, true);
    if (r < 0)
        return r;
    r = write_entry(s, who, action, e, existing_id, id, &seq);
    if (r == 0)
        r = store_commit(s->st);
    if (r < 0) {
        store_rollback(s->st);
        return r;
    }
    return own_change(s->wl, *id, e, seq);
}

int watchlist_write_in_txn(struct svc *s, const struct actor *who, json_t *body, int64_t *id,
                           struct wl_entry *e, struct buf *why)
{
    const char *list = json_string_value(json_object_get(body, "list"));
    int r = wl_entry_from_json(body, list ? list : "local", e, why);
    if (r < 0)
        return r;
    if (e->source == NULL)
        wl_set_str(&e->source, "lintas");
    r = write_entry(s, who, "watchlist.create", e, 0, id, NULL);
    if (r < 0)
        wl_entry_free(e);
    return r;
}

/* The change is committed and in the log: catching up applies it (with
 * any other pending change, so that an entry written twice cannot be left
 * in its older state); when the log cannot be read, e is put as it is. */
void watchlist_unindex(struct svc *s, const char *entry_id)
{
    int64_t id;
    if (s->wl != NULL && wl_sync(s->wl, true) < 0) {
        if (text_parse_i64(entry_id, 1, INT64_MAX, &id) == 0)
            (void)wl_index_remove(s->wl, id);
        else
            (void)name_index_remove(s->wl->idx, entry_id);
    }
}

int watchlist_index(struct svc *s, int64_t id, const struct wl_entry *e)
{
    if (s->wl == NULL)
        return 0;
    return wl_sync(s->wl, true) == 0 ? 0 : own_change(s->wl, id, e, 0);
}

struct row_json {
    json_t *out;
};

static int row_to_json(void *p, const struct store_wl_row *row)
{
    struct row_json *rj = p;
    rj->out = wl_row_json(row);
    return rj->out ? 0 : ERR_CORRUPT;
}

/* Reads the API form of entry id inside the caller's transaction. */
static int read_entry(struct svc *s, int64_t id, json_t **out)
{
    struct row_json rj = {NULL};
    int r = store_wl_get(s->st, id, row_to_json, &rj);
    *out = rj.out;
    return r;
}

static void name_lists(const struct find_ctx *fc, struct buf *why)
{
    for (size_t i = 0; i < fc->n && i < FIND_MAX; i++)
        buf_printf(why, "%s%s (entry_id %" PRId64 ")", i ? ", " : "", fc->lists[i], fc->ids[i]);
    if (fc->n > FIND_MAX)
        buf_printf(why, " and %zu more", fc->n - FIND_MAX);
}

static int row_seen(void *p, const struct store_wl_row *row)
{
    *(int64_t *)p = row->id;
    return 0;
}

int watchlist_resolve(struct svc *s, const char *ref, const char *list, enum watchlist_ref how,
                      int64_t *id, struct buf *why)
{
    bool by_entry_id = how == WATCHLIST_REF_ENTRY_ID;
    struct find_ctx fc = {0};
    int64_t num = 0, seen = 0;
    *id = 0;
    bool numeric = text_parse_i64(ref, 1, INT64_MAX, &num) == 0;
    if (by_entry_id && !numeric) {
        buf_printf(why, "no watchlist entry with entry_id '%s'", ref);
        return ERR_NOTFOUND;
    }
    int r = store_begin(s->st, false);
    if (r < 0)
        return r;
    /* {id} is the entry's id (its source id); the store's number only with
     * by=entry_id: a number that reached an entry_id when no source id had
     * it would reach another entry once one had (a retried DELETE) */
    r = by_entry_id ? 0 : find_source(s, ref, list, &fc);
    if (r == 0 && by_entry_id) {
        r = store_wl_get(s->st, num, row_seen, &seen);
        r = r == ERR_NOTFOUND ? 0 : r;
    }
    store_rollback(s->st);
    if (r < 0)
        return r;
    if (by_entry_id) {
        *id = seen;
        if (seen == 0)
            buf_printf(why, "no watchlist entry with entry_id '%s'", ref);
        return seen != 0 ? 0 : ERR_NOTFOUND;
    }
    if (fc.n == 0) {
        buf_printf(why, "no watchlist entry with id '%s'", ref);
        if (list != NULL)
            buf_printf(why, " in list '%s'", list);
        return ERR_NOTFOUND;
    }
    if (fc.n > 1) {
        buf_printf(why, "id '%s' is in several lists: ", ref);
        name_lists(&fc, why);
        buf_puts(why, "; add ?list=NAME");
        return ERR_CONFLICT;
    }
    *id = fc.ids[0];
    return 0;
}

int watchlist_create(struct svc *s, const struct actor *who, json_t *body, json_t **out,
                     struct buf *why)
{
    struct wl_entry e;
    int64_t id = 0;
    *out = NULL;
    const char *list = json_string_value(json_object_get(body, "list"));
    int r = wl_entry_from_json(body, list ? list : "local", &e, why);
    if (r < 0)
        return r;
    if (e.source == NULL)
        wl_set_str(&e.source, "api");
    r = store_entry(s, who, "watchlist.create", &e, -1, &id);
    if (r == ERR_EXISTS)
        buf_printf(why,
                   "field 'id': list '%s' already has an entry with id '%s' (entry_id %" PRId64
                   "); change it with PATCH /api/v1/watchlist/entries/%s?list=%s",
                   e.list, e.id, id, e.id, e.list);
    wl_entry_free(&e);
    if (r == 0 && store_begin(s->st, false) == 0) {
        r = read_entry(s, id, out);
        store_rollback(s->st);
    }
    return r;
}

int watchlist_get(struct svc *s, const struct actor *who, int64_t id, json_t **out)
{
    char oid[24];
    *out = NULL;
    snprintf(oid, sizeof oid, "%" PRId64, id);
    int r = store_begin(s->st, true);
    if (r < 0)
        return r;
    r = read_entry(s, id, out);
    if (r == 0)
        r = audit_append(s->st, who, "watchlist.read", "watchlist_entry", oid, "ok", NULL);
    if (r == 0)
        r = store_commit(s->st);
    if (r < 0) {
        store_rollback(s->st);
        json_decref(*out);
        *out = NULL;
    }
    return r;
}

/* Whether the normalised number d is one of nums: a JSON array of strings,
 * or a '|'-separated string (as document_numbers is written). */
static bool number_in(const char *d, json_t *nums)
{
    char n[NAMES_DOC_MAX], part[LIMIT_NAME + 1];
    size_t i;
    json_t *it;
    if (json_is_array(nums)) {
        json_array_foreach(nums, i, it) {
            if (names_doc_normalise(json_string_value(it), n) == 0 && strcmp(n, d) == 0)
                return true;
        }
        return false;
    }
    const char *p = json_string_value(nums);
    while (p != NULL) {
        const char *bar = strchr(p, '|');
        size_t l = bar != NULL ? (size_t)(bar - p) : strlen(p);
        if (l <= LIMIT_NAME) {
            memcpy(part, p, l);
            part[l] = '\0';
            if (names_doc_normalise(part, n) == 0 && strcmp(n, d) == 0)
                return true;
        }
        p = bar != NULL ? bar + 1 : NULL;
    }
    return false;
}

/* "document_numbers" (every number) and "documents" (the same documents
 * with their type and issuer) describe one list of documents, so a PATCH
 * of one of them is applied to the other in cur, the stored entry:
 * documents alone replace the list (the stored numbers go); null
 * documents alone drop the types and issuers (the numbers stay);
 * document_numbers alone keep the stored details of the numbers still
 * listed (none when null). Both: the two as given. */
static void patch_documents(json_t *cur, json_t *patch)
{
    json_t *nums = json_object_get(patch, "document_numbers");
    json_t *docs = json_object_get(patch, "documents");
    json_t *had = json_object_get(cur, "documents");
    if (docs != NULL && nums == NULL && !json_is_null(docs))
        json_object_del(cur, "document_numbers");
    if (nums == NULL || docs != NULL || !json_is_array(had))
        return;
    json_t *keep = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(had, i, d) {
        char n[NAMES_DOC_MAX];
        const char *num = json_string_value(json_object_get(d, "number"));
        if (!json_is_null(nums) && names_doc_normalise(num, n) == 0 && number_in(n, nums))
            json_array_append(keep, d);
    }
    if (json_array_size(keep) > 0)
        json_object_set(cur, "documents", keep);
    else
        json_object_del(cur, "documents");
    json_decref(keep);
}

int watchlist_patch(struct svc *s, const struct actor *who, int64_t id, json_t *patch,
                    json_t **out, struct buf *why)
{
    json_t *cur = NULL;
    struct wl_entry e;
    *out = NULL;
    int r = store_begin(s->st, false);
    if (r < 0)
        return r;
    r = read_entry(s, id, &cur);
    store_rollback(s->st);
    if (r == ERR_NOTFOUND)
        buf_puts(why, "no such watchlist entry");
    if (r < 0)
        return r;
    static const char *const computed[] = {"entry_id", "created_at", "updated_at"};
    for (size_t i = 0; i < sizeof computed / sizeof computed[0]; i++)
        json_object_del(cur, computed[i]);
    patch_documents(cur, patch);
    const char *key;
    json_t *v;
    json_object_foreach(patch, key, v) {
        if (json_is_null(v))
            json_object_del(cur, key);
        else
            json_object_set(cur, key, v);
    }
    const char *list = json_string_value(json_object_get(cur, "list"));
    r = wl_entry_from_json(cur, list ? list : "local", &e, why);
    json_decref(cur);
    if (r < 0)
        return r;
    r = store_entry(s, who, "watchlist.update", &e, id, &id);
    wl_entry_free(&e);
    if (r == ERR_EXISTS)
        buf_puts(why, "field 'id': another entry of that list already has this id");
    if (r == 0 && store_begin(s->st, false) == 0) {
        r = read_entry(s, id, out);
        store_rollback(s->st);
    }
    return r;
}

int watchlist_delete(struct svc *s, const struct actor *who, int64_t id, struct buf *why)
{
    char oid[24];
    snprintf(oid, sizeof oid, "%" PRId64, id);
    int64_t seq = 0;
    int r = store_begin(s->st, true);
    if (r < 0)
        return r;
    r = store_wl_delete(s->st, id);
    if (r == ERR_NOTFOUND)
        buf_puts(why, "no such watchlist entry");
    if (r == 0)
        r = store_wl_changes_max(s->st, &seq);
    if (r == 0)
        r = audit_append(s->st, who, "watchlist.delete", "watchlist_entry", oid, "ok", NULL);
    if (r == 0)
        r = store_commit(s->st);
    if (r < 0) {
        store_rollback(s->st);
        return r;
    }
    return own_change(s->wl, id, NULL, seq);
}

static int row_to_array(void *p, const struct store_wl_row *row)
{
    json_t *o = wl_row_json(row);
    return o && json_array_append_new(p, o) == 0 ? 0 : ERR_CORRUPT;
}

int watchlist_search(struct svc *s, const struct actor *who, const char *text, int64_t limit,
                     json_t **out)
{
    json_t *arr = json_array();
    *out = NULL;
    int r = store_begin(s->st, true);
    if (r == 0)
        r = store_wl_search(s->st, text, limit, row_to_array, arr);
    if (r == 0)
        r = audit_append(s->st, who, "watchlist.search", "watchlist_entry", "*", "ok", NULL);
    if (r == 0)
        r = store_commit(s->st);
    if (r < 0) {
        store_rollback(s->st);
        json_decref(arr);
        return r;
    }
    *out = arr;
    return 0;
}

/* ---- matching ---- */

json_t *watchlist_facts_json(json_t *matches, bool *protect)
{
    json_t *w = json_object(), *cats = json_array(), *acts = json_array();
    size_t n = json_array_size(matches);
    *protect = false;
    json_object_set_new(w, "matches", json_integer((json_int_t)n));
    for (size_t i = 0; i < n; i++) {
        json_t *m = json_array_get(matches, i);
        const char *cat = json_string_value(json_object_get(m, "category"));
        const char *act = json_string_value(json_object_get(m, "action"));
        if (cat && *cat)
            json_array_append_new(cats, json_string(cat));
        if (act && *act)
            json_array_append_new(acts, json_string(act));
        if ((cat && strcmp(cat, "protected_victim") == 0) || (act && strcmp(act, "protect") == 0))
            *protect = true;
    }
    if (n > 0) {
        static const char *const keys[] = {"category", "action", "entry_id", "list", "name"};
        json_t *best = json_array_get(matches, 0);
        json_object_set(w, "score", json_object_get(best, "score"));
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            const char *v = json_string_value(json_object_get(best, keys[k]));
            if (v != NULL && *v != '\0')
                json_object_set_new(w, keys[k], json_string(v));
        }
    }
    json_object_set_new(w, "categories", cats);
    json_object_set_new(w, "actions", acts);
    return w;
}

/* The fields of a match query: the POST /api/v1/match body and a line of
 * `lintas match` (threshold and limit are read by the caller). */
static const char *const query_keys[] = {"id", "name", "birth_date", "nationality",
                                         "document_number", "phone", "threshold", "limit",
                                         NULL};

/* A query's birth date: YYYY, YYYY-MM or YYYY-MM-DD, and a real date. */
static bool query_date_ok(const char *s)
{
    size_t n = strlen(s);
    struct names_date d;
    if (n != 4 && n != 7 && n != 10)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return false;
    }
    return names_date_parse_strict(s, &d) == 0;
}

int watchlist_query_from_json(json_t *obj, struct name_query *q, struct buf *why)
{
    memset(q, 0, sizeof q[0]);
    json_t *id = json_object_get(obj, "id");
    int r = json_only_keys(obj, query_keys, why);
    if (r == 0 && id != NULL && !json_is_string(id) && !json_is_integer(id)) {
        buf_puts(why, "field 'id': must be a string or an integer");
        r = ERR_INVALID;
    }
    if (r == 0)
        r = json_get_str(obj, "name", false, LIMIT_NAME, &q->name, why);
    if (r == 0)
        r = json_get_str(obj, "birth_date", false, 32, &q->birth_date, why);
    if (r == 0)
        r = json_get_str(obj, "nationality", false, 64, &q->nationality, why);
    if (r == 0)
        r = json_get_str(obj, "document_number", false, 64, &q->document_number, why);
    if (r == 0)
        r = json_get_str(obj, "phone", false, 64, &q->phone, why);
    if (r == 0 && q->birth_date != NULL && *q->birth_date != '\0' &&
        !query_date_ok(q->birth_date)) {
        buf_puts(why, "field 'birth_date': expected a real date as YYYY, YYYY-MM or YYYY-MM-DD");
        r = ERR_INVALID;
    }
    if (r == 0 && q->nationality != NULL && *q->nationality != '\0' &&
        (strlen(q->nationality) != 3 || !countries_known(q->nationality))) {
        buf_puts(why, "field 'nationality': expected an ICAO 9303 three-letter country code "
                      "known to lintas (IDN, MYS, D<<, ...)");
        r = ERR_INVALID;
    }
    if (r == 0 && q->name == NULL && q->document_number == NULL && q->phone == NULL) {
        buf_puts(why, "field 'name': is required (or document_number or phone)");
        r = ERR_INVALID;
    }
    return r;
}

static json_t *match_json(const struct name_match *m)
{
    json_t *reasons = json_array();
    for (size_t k = 0; k < m->nreasons; k++)
        json_array_append_new(reasons, json_string(m->reasons[k]));
    return json_pack("{ss ss ss si so ss ss ss sb}", "entry_id", m->entry_id, "list",
                     m->list ? m->list : "", "name", m->name ? m->name : "", "score", m->score,
                     "reasons", reasons, "kind", wl_kind_str(m->kind), "category",
                     wl_category_str(m->category), "action", wl_action_str(m->action),
                     "weak_alias", m->weak_alias);
}

/* A match by the query's document number (normalised: qdoc) names the
 * listed document's type and issuer, when the entry gives them: a
 * "document" object {"number", "type", "issuer"} and, with the reasons,
 * one more reason. */
static int match_document(struct watchlist *wl, const struct name_match *nm, const char *qdoc,
                          json_t *m)
{
    char number[WL_MAX_DOC_NUMBER + 1], type[WL_MAX_DOC_TYPE + 1], issuer[4], why[320];
    int64_t id;
    if (text_parse_i64(nm->entry_id, 1, INT64_MAX, &id) != 0 ||
        !wl_docs_find(wl->docs, id, qdoc, number, type, issuer))
        return 0;
    json_t *d = json_pack("{ss}", "number", number);
    if (d == NULL)
        return ERR_NOMEM;
    if (type[0] != '\0')
        json_object_set_new(d, "type", json_string(type));
    if (issuer[0] != '\0')
        json_object_set_new(d, "issuer", json_string(issuer));
    if (json_object_set_new(m, "document", d) != 0)
        return ERR_NOMEM;
    if (nm->nreasons == 0)
        return 0;
    snprintf(why, sizeof why, "document %s: %s%s%s", number, type[0] ? type : "a document",
             issuer[0] ? " issued by " : "", issuer);
    return json_array_append_new(json_object_get(m, "reasons"), json_string(why)) == 0 ? 0
                                                                                       : ERR_NOMEM;
}

int watchlist_match(struct watchlist *wl, const struct name_query *q, json_t **out,
                    struct buf *why)
{
    char qdoc[NAMES_DOC_MAX];
    struct name_matches ms;
    *out = NULL;
    int r = wl_sync(wl, false);
    if (r < 0) {
        buf_puts(why, "watchlist: the store's change log cannot be read");
        return r;
    }
    r = name_index_query(wl->idx, q, &ms);
    if (r == ERR_INVALID || r == ERR_LIMIT) {
        buf_puts(why, r == ERR_LIMIT ? "field 'name': too long"
                                     : "query: no usable name, document or phone, or a "
                                       "birth date or nationality that does not parse");
        name_matches_free(&ms);
        return ERR_INVALID;
    }
    if (r < 0) {
        name_matches_free(&ms);
        return r;
    }
    bool by_doc = q->document_number != NULL && names_doc_normalise(q->document_number, qdoc) == 0;
    json_t *arr = json_array();
    for (size_t i = 0; i < ms.n; i++) {
        json_t *m = match_json(&ms.m[i]);
        if (m != NULL && by_doc && match_document(wl, &ms.m[i], qdoc, m) != 0) {
            json_decref(m);
            m = NULL;
        }
        if (m == NULL || json_array_append_new(arr, m) != 0) {
            r = ERR_NOMEM;
            break;
        }
    }
    name_matches_free(&ms);
    if (r < 0) {
        json_decref(arr);
        return r;
    }
    *out = arr;
    return 0;
}
