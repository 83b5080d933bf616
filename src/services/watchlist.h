/* watchlist: the watchlist use cases — entries created, read, changed,
 * deleted, searched and imported, each audited in the transaction that
 * changes the store — and the in-memory name index that screening queries.
 *
 * The index is built from the store when the watchlist is opened and is
 * updated right after each committed change, so a change is visible to the
 * very next screening, with no restart and no "sync". Changes that another
 * process wrote to the same store (`lintas watchlist import` while `lintas
 * serve` runs) reach the index through the store's change log, which
 * watchlist_match reads before it queries the index. Entries are stored as
 * one JSON object each, in the CSV field names of CONTRACT.md. An entry has
 * "id", its source id (unique within its list), and "entry_id", the store's
 * id, which is what a match returns. Thread-safe. */
#ifndef LINTAS_SERVICES_WATCHLIST_H
#define LINTAS_SERVICES_WATCHLIST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct actor;
struct buf;
struct name_query;
struct store;
struct svc;
struct watchlist;

/* Builds the index from every stored entry, and notes the change log's
 * newest seq in the same snapshot. st is borrowed and must outlive the
 * watchlist. ERR_CORRUPT (why names the entry) when a stored body no longer
 * parses. */
int watchlist_open(struct store *st, struct watchlist **out, struct buf *why);
void watchlist_close(struct watchlist *wl);
/* Brings the index up to date with the store's change log (what another
 * process wrote), as every match does first; a batch of more than 20,000
 * changes is applied on a thread of its own. */
int watchlist_sync(struct watchlist *wl);
/* Makes this thread's matches skip that step (skip true) or not, and
 * returns what it was: the threads that match a manifest's persons, after
 * the manifest's own thread synced once, so they open no store connection;
 * a sponsor's matches, after the traveller's match synced. */
bool watchlist_sync_skip(bool skip);
/* Deletes the change log's rows older than seven days (not the newest): a
 * server started later rebuilds its index from the entries. serve does it
 * at start, imports in their own transaction. */
int watchlist_prune_changes(struct store *st);
/* Entries and names in the index. */
void watchlist_size(struct watchlist *wl, size_t *entries, size_t *names);

/* Creates an entry from a JSON object with the CSV fields (list defaults to
 * "local"). *out gets the stored entry. ERR_INVALID with why naming the
 * field; ERR_EXISTS, why naming the entry, when the list already has an
 * entry with that id (watchlist_patch changes it). */
int watchlist_create(struct svc *s, const struct actor *who, json_t *body, json_t **out,
                     struct buf *why);
/* How watchlist_resolve reads the {id} of /watchlist/entries/{id}. */
enum watchlist_ref {
    WATCHLIST_REF_ANY,      /* the source id (no ?by=) */
    WATCHLIST_REF_ID,       /* the source id (?by=id) */
    WATCHLIST_REF_ENTRY_ID, /* the entry_id only */
};

/* Finds the entry that ref names. By source id: the entry whose "id" is
 * ref, in list when list is not NULL, else in any list; by entry_id
 * (WATCHLIST_REF_ENTRY_ID) the store's number. ERR_NOTFOUND; ERR_CONFLICT
 * when ref names several entries (why names their lists and entry_ids).
 * *id gets the entry_id. */
int watchlist_resolve(struct svc *s, const char *ref, const char *list, enum watchlist_ref how,
                      int64_t *id, struct buf *why);
/* Reads one entry by entry_id (audited). ERR_NOTFOUND. */
int watchlist_get(struct svc *s, const struct actor *who, int64_t id, json_t **out);
/* Applies the fields of patch (null removes a field). */
int watchlist_patch(struct svc *s, const struct actor *who, int64_t id, json_t *patch,
                    json_t **out, struct buf *why);
int watchlist_delete(struct svc *s, const struct actor *who, int64_t id, struct buf *why);
/* Entries whose name, id or any field contains text (audited); a JSON
 * array, at most limit. */
int watchlist_search(struct svc *s, const struct actor *who, const char *text, int64_t limit,
                     json_t **out);

struct watchlist_file {
    const char *name; /* for error messages and the audit record */
    const char *data;
    size_t len;
};

struct watchlist_import_counts {
    size_t created, updated;
};

/* True for the formats watchlist_import knows: csv, jsonl, ofac, un. */
bool watchlist_import_format_known(const char *format);

/* Imports files in format "csv", "jsonl", "ofac" (files: the SDN file, then
 * optionally the alias and address files, each recognised by its name
 * ending in sdn.csv, alt.csv or add.csv, letter case ignored, else by its
 * rows of 12, 5 or 6 fields) or "un" (XML). All or nothing: one bad row
 * imports nothing and why names file, line and field ("file: message" for
 * an error about a whole file, the bare message for one about none). The
 * import's transaction also prunes the store's change log of changes older
 * than seven days. After the commit the index (when s->wl is not NULL)
 * catches up with the change log. */
int watchlist_import(struct svc *s, const struct actor *who, const char *format,
                     const char *list, const struct watchlist_file *files, size_t nfiles,
                     struct watchlist_import_counts *counts, struct buf *why);

struct wl_entry;
/* For other services that keep watchlist entries in step with their own
 * records (consular cases): writes the entry of body (list defaults to
 * "local") inside the caller's open write transaction, with an audit
 * record, and leaves the parsed entry in *e (wl_entry_free it). After the
 * caller commits, watchlist_index() makes it visible to screening (it
 * catches the index up with the store's change log, which the write
 * appended to; e is put as it is only when the log cannot be read). */
int watchlist_write_in_txn(struct svc *s, const struct actor *who, json_t *body, int64_t *id,
                           struct wl_entry *e, struct buf *why);
int watchlist_index(struct svc *s, int64_t id, const struct wl_entry *e);
/* Removes an entry (deleted inside the caller's committed transaction)
 * from the index. */
void watchlist_unindex(struct svc *s, const char *entry_id);

/* Matches one query; *out gets a JSON array of {"entry_id", "list", "name",
 * "score", "reasons", "kind", "category", "action", "weak_alias"}, highest
 * score first. ERR_INVALID (why says why) for an unusable query.
 * First brings the index up to the store's change log: one indexed look-up
 * when nothing changed; else the changed entries are read again (a batch of
 * over 20,000 changes that another thread is already applying is not
 * waited for). The look-up runs in the calling thread's open read
 * transaction, if any; never call this inside a write transaction. An error
 * reading the log is returned (the index may be behind the store). */
int watchlist_match(struct watchlist *wl, const struct name_query *q, json_t **out,
                    struct buf *why);

/* The `watchlist` rule facts from a watchlist_match answer (borrowed): the
 * number of matches, the best match's score, category, action, entry id,
 * list and name, and the categories and actions of all. *protect is set
 * when any match is a protected person. New reference. */
json_t *watchlist_facts_json(json_t *matches, bool *protect);

/* Decodes and checks a match query: the one validation of POST
 * /api/v1/match and `lintas match`. obj holds {"id" (a string or an
 * integer), "name", "birth_date" (YYYY, YYYY-MM or YYYY-MM-DD, a real date),
 * "nationality" (an ICAO 9303 code that countries_known() knows),
 * "document_number", "phone"} and may hold "threshold" and "limit", which
 * the caller reads; any other key is refused. A name, document_number or
 * phone is required. ERR_INVALID with why naming the field. Strings are
 * borrowed from obj. */
int watchlist_query_from_json(json_t *obj, struct name_query *q, struct buf *why);

#endif
