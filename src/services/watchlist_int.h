/* watchlist_int: what the watchlist service files share (internal). */
#ifndef LINTAS_SERVICES_WATCHLIST_INT_H
#define LINTAS_SERVICES_WATCHLIST_INT_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/name_index.h"
#include "domain/watchlist.h"
#include "store/store.h"

struct wl_docs; /* documents with a type or issuer, by entry id (watchlist_json.c) */

struct watchlist {
    struct name_index *idx;
    struct wl_docs *docs;    /* kept in step with idx by wl_index_put/remove */
    struct store *st;        /* borrowed: where the change log is read */
    _Atomic int64_t applied; /* the change-log seq the index is up to date with */
    _Atomic int64_t max_id;  /* highest entry id ever put (for a resync) */
    pthread_mutex_t sync;    /* held to apply changes: catch-ups, own writes */
    atomic_bool bg_busy;     /* a big catch-up runs on bg */
    bool bg_started;         /* bg was created (joined before the next, and at close) */
    pthread_t bg;
};

/* The stored body of e: a JSON object with the CSV field names. New ref. */
json_t *wl_body_json(const struct wl_entry *e);
/* Parses a body (or an API object) into e via the JSON-lines reader, so the
 * API, imports and the store share one set of rules. why gets
 * "field 'x': message". */
int wl_entry_from_json(json_t *obj, const char *list, struct wl_entry *e, struct buf *why);
/* The same from the JSON text of one object (a stored row's body, which
 * the store keeps on one line), without building the tree first. */
int wl_entry_from_text(const char *text, size_t len, const char *list, struct wl_entry *e,
                       struct buf *why);
/* Fills a store row from e (strings borrowed from e, body from bodytxt). */
void wl_row_from_entry(const struct wl_entry *e, const char *bodytxt, char valid_until[16],
                       struct store_wl_row *row);
/* Puts e into the index under the store id. Thread-safe; callers that
 * apply a change of the store hold wl->sync (see watchlist.c). */
int wl_index_put(struct watchlist *wl, int64_t id, const struct wl_entry *e);
/* Removes the entry with store id id from the index (ERR_NOTFOUND when it
 * was not there). Thread-safe, as wl_index_put. */
int wl_index_remove(struct watchlist *wl, int64_t id);

/* The table of documents with a type or issuer. *out cleared on entry;
 * ERR_NOMEM. wl_docs_free(NULL) is a no-op; no thread may be using it. */
int wl_docs_new(struct wl_docs **out);
void wl_docs_free(struct wl_docs *t);
/* Whether entry id has a document whose normalised number
 * (names_doc_normalise) is norm and that has a type or an issuer; copies
 * its number as written, type ("" when none) and issuer ("" when none).
 * Thread-safe (read lock). */
bool wl_docs_find(struct wl_docs *t, int64_t id, const char *norm,
                  char number[WL_MAX_DOC_NUMBER + 1], char type[WL_MAX_DOC_TYPE + 1],
                  char issuer[4]);

/* The API form of a stored row: the body plus entry_id, created_at, ... */
json_t *wl_row_json(const struct store_wl_row *row);

/* Changes older than this may be pruned from the store's change log. */
#define WL_CHANGES_KEEP_MS (7 * 86400 * 1000LL)

/* Brings the index up to the store's change log: the entries that any
 * process wrote since the index last caught up are read again and put, or
 * removed when gone. One indexed look-up when nothing changed. Reads in the
 * thread's open transaction, if any (never call it inside a write
 * transaction). When more than 20,000 changes are pending and another
 * thread is applying them, returns 0 at once unless wait is set. */
int wl_sync(struct watchlist *wl, bool wait);

#endif
