/* watchlist: the watchlist use cases — entries created, read, changed,
 * deleted, searched and imported, each audited in the transaction that
 * changes the store — and the in-memory name index that screening queries.
 *
 * The index is built from the store when the watchlist is opened and is
 * updated right after each committed change, so a change is visible to the
 * very next screening, with no restart and no "sync". Entries are stored as
 * one JSON object each, in the CSV field names of CONTRACT.md. In the API an
 * entry is known by "entry_id" (the store's id, also what a match returns);
 * "id" is the source id. Thread-safe. */
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

/* Builds the index from every stored entry. ERR_CORRUPT (why names the
 * entry) when a stored body no longer parses. */
int watchlist_open(struct store *st, struct watchlist **out, struct buf *why);
void watchlist_close(struct watchlist *wl);
/* Entries and names in the index. */
void watchlist_size(struct watchlist *wl, size_t *entries, size_t *names);

/* Creates an entry from a JSON object with the CSV fields (list defaults to
 * "local"); a second entry with the same list and id replaces the first.
 * *out gets the stored entry. ERR_INVALID with why naming the field. */
int watchlist_create(struct svc *s, const struct actor *who, json_t *body, json_t **out,
                     struct buf *why);
/* Reads one entry (audited). ERR_NOTFOUND. */
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

/* Imports files in format "csv", "jsonl", "ofac" (files: sdn.csv, then
 * optionally alt.csv and add.csv, recognised by name) or "un" (XML). All or
 * nothing: one bad row imports nothing and why names file, line and field. */
int watchlist_import(struct svc *s, const struct actor *who, const char *format,
                     const char *list, const struct watchlist_file *files, size_t nfiles,
                     struct watchlist_import_counts *counts, struct buf *why);

struct wl_entry;
/* For other services that keep watchlist entries in step with their own
 * records (consular cases): writes the entry of body (list defaults to
 * "local") inside the caller's open write transaction, with an audit
 * record, and leaves the parsed entry in *e (wl_entry_free it). After the
 * caller commits, watchlist_index() makes it visible to screening. */
int watchlist_write_in_txn(struct svc *s, const struct actor *who, json_t *body, int64_t *id,
                           struct wl_entry *e, struct buf *why);
int watchlist_index(struct svc *s, int64_t id, const struct wl_entry *e);
/* Removes an entry (deleted inside the caller's committed transaction)
 * from the index. */
void watchlist_unindex(struct svc *s, const char *entry_id);

/* Matches one query; *out gets a JSON array of {"entry_id", "list", "name",
 * "score", "reasons", "kind", "category", "action", "weak_alias"}, highest
 * score first. ERR_INVALID (why says why) for an unusable query. */
int watchlist_match(struct watchlist *wl, const struct name_query *q, json_t **out,
                    struct buf *why);

/* The `watchlist` rule facts from a watchlist_match answer (borrowed): the
 * number of matches, the best match's score, category, action, entry id,
 * list and name, and the categories and actions of all. *protect is set
 * when any match is a protected person. New reference. */
json_t *watchlist_facts_json(json_t *matches, bool *protect);

/* Decodes a match query from JSON ({"name", "birth_date", "nationality",
 * "document_number", "phone"}; strings borrowed from obj). */
int watchlist_query_from_json(json_t *obj, struct name_query *q, struct buf *why);

#endif
