/* name_index: the in-memory watchlist index, built from the store at
 * start-up and kept current entry by entry.
 *
 * Matching is two-stage. Candidate generation looks up blocking keys of the
 * query: each name token's transliteration key, its one-edit neighbours (a
 * deletion index), its consonant skeleton (for Arabic, Hebrew and Thai
 * input), tokens split and joined, pairs of the near spellings of two
 * query words, and token + birth year; when a lone shared token cannot
 * alert, candidates come from the pair keys only, otherwise single-token
 * postings are scanned up to a cap (very common tokens are never scanned),
 * so no query scans the list, and at most LIMIT_CANDIDATES names are
 * scored. Scoring is names_score() with per-query caching of token
 * similarities.
 *
 * Concurrency: one reader-writer lock that prefers writers. A query holds
 * the read lock while it generates, scores and copies out its results
 * (tens of microseconds); add, replace and remove hold the write lock only
 * for the update of one entry (its keys and postings). Readers therefore
 * never wait longer than one single-entry update, and an update is visible
 * to the next query. Copy-on-write was rejected because a 1M-entry index
 * cannot be copied per update. Per-query scratch memory comes from a pool
 * inside the index (a mutex held for a pointer swap). */
#ifndef LINTAS_DOMAIN_NAME_INDEX_H
#define LINTAS_DOMAIN_NAME_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/names.h"
#include "domain/watchlist.h"

struct name_index; /* opaque */

/* Creates an empty index. *out cleared on entry. ERR_NOMEM, ERR_INTERNAL
 * (ICU). Free with name_index_free. */
int name_index_new(struct name_index **out);
/* Frees the index. NULL is a no-op. No thread may be using it. */
void name_index_free(struct name_index *x);

/* Adds e, or replaces the entry with the same id (e->id). The index keeps
 * what it needs (copies); e stays the caller's. Entries of every kind are
 * accepted: names are indexed for persons and organisations (and any other
 * entry that has names), document numbers and phones for all. Names that do
 * not normalise (no letter) are skipped. ERR_INVALID when e has no id,
 * ERR_NOMEM. Thread-safe (write lock). */
int name_index_put(struct name_index *x, const struct wl_entry *e);
/* Removes the entry with this id. ERR_NOTFOUND when absent. Thread-safe. */
int name_index_remove(struct name_index *x, const char *id);

/* Number of live entries and of indexed names. Thread-safe. */
size_t name_index_entries(struct name_index *x);
size_t name_index_names(struct name_index *x);
/* Bytes of memory the index holds (approximate: allocations it made). */
size_t name_index_memory(struct name_index *x);

/* A query. name is required unless document_number or phone is given. */
struct name_query {
    const char *name;
    const char *birth_date;      /* ISO partial date, may be NULL */
    const char *nationality;     /* ICAO/ISO code or English name, may be NULL */
    const char *document_number; /* may be NULL */
    const char *phone;           /* may be NULL */
    int threshold;               /* 0-100; 0 returns the best `limit` */
    size_t limit;                /* 1..; 0 means NAMES_DEFAULT_LIMIT */
    int32_t today;               /* days since 1970-01-01: expired entries skipped */
    bool explain;                /* fill reasons (costs a few microseconds a match) */
};

/* One match. Strings are owned by the name_matches that holds it. */
struct name_match {
    char *entry_id;
    char *list;        /* may be NULL */
    char *name;        /* the listed name or alias that matched, or "" */
    bool weak_alias;
    int score;         /* 0-100 */
    int kind, category, action;
    /* the reasons, NULL unless explain: nreasons strings in one
     * allocation (the pointers, then the texts), freed with the match */
    char **reasons;
    size_t nreasons;
};

struct name_matches {
    size_t n;
    struct name_match *m; /* sorted by score, highest first, then entry id */
    size_t candidates;    /* candidate names kept after generation (<= LIMIT_CANDIDATES for
                           * each reading of the query name; summed over them) */
    size_t scored;        /* names actually scored (the rest were pruned by their bound) */
};

/* Runs a query. *out is cleared on entry and owned by the caller
 * (name_matches_free), also on error. ERR_INVALID when the query has no
 * usable name, document or phone, or its birth date or nationality does not
 * parse (a nationality that is unknown is ignored, not an error);
 * ERR_LIMIT for a name over LIMIT_NAME; ERR_NOMEM. Thread-safe (read lock). */
int name_index_query(struct name_index *x, const struct name_query *q, struct name_matches *out);
/* Frees the matches. NULL is a no-op. */
void name_matches_free(struct name_matches *m);

#endif
