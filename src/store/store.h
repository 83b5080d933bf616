/* store: persistence for lintas behind one interface.
 *
 * A struct store is opened from a URL (an SQLite file path, or later a
 * postgres:// URL) and is shared by all threads; each thread gets its own
 * connection on first use. Calls that change data are made between
 * store_begin(st, true) and store_commit(st) on the calling thread;
 * store_commit returns only once the change is durable (SQLite WAL with
 * synchronous=FULL by default). No SQLite or libpq type appears here.
 *
 * Strings in result structs are copied into fixed arrays, so results own
 * nothing. Functions return 0 or a negative ERR_* code; ERR_NOTFOUND when a
 * looked-up row is absent, ERR_EXISTS on a uniqueness violation. */
#ifndef LINTAS_STORE_STORE_H
#define LINTAS_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/limits.h"

struct buf;
struct store;

struct store_opts {
    const char *synchronous; /* "full" (default), "extra" or "normal" */
    int busy_timeout_ms;     /* default 10000 */
};

/* Opens the store at url (a file path for SQLite). Creates the file when
 * absent. The first connection is opened to check the URL. */
int store_open(const char *url, const struct store_opts *opts, struct store **out,
               struct buf *why);
/* Closes every connection. Call after all threads using st have stopped. */
void store_close(struct store *st);
/* Backend name ("sqlite"). */
const char *store_backend(const struct store *st);

/* Applies the numbered migrations not yet applied, each in its own
 * transaction. *applied gets how many ran. Idempotent. */
int store_migrate(struct store *st, int *applied, struct buf *why);
/* Highest applied migration (0 for a new database). */
int store_schema_version(struct store *st, int *version);
/* Highest migration this binary knows. */
int store_schema_latest(const struct store *st);

int store_begin(struct store *st, bool write);
int store_commit(struct store *st);
/* Rolls back the open transaction of this thread, if any. */
void store_rollback(struct store *st);
/* The last backend error message of this thread's connection (borrowed). */
const char *store_errmsg(struct store *st);
/* Runs the backend's integrity check; out gets "ok" when sound. */
int store_integrity(struct store *st, struct buf *out);

/* ---- group commit ---- */

struct store_group;
/* A write run by the group committer: it uses the store functions on st
 * (the committer's connection, already inside a transaction; it must not
 * call store_begin or store_commit) and returns 0 or an error, which undoes
 * its own changes only. */
typedef int (*store_write_fn)(struct store *st, void *ctx);
/* Creates a committer for st (its thread starts with the first write). */
struct store_group *store_group_new(struct store *st);
/* Runs fn in the next group transaction and waits until that transaction
 * has committed durably. Returns fn's result, or the commit's error.
 * Thread-safe; ctx must stay valid until the call returns. */
int store_group_write(struct store_group *g, store_write_fn fn, void *ctx);
/* Stops the committer after the queued writes; NULL is a no-op. */
void store_group_free(struct store_group *g);
/* Transactions and writes committed so far. */
void store_group_stats(struct store_group *g, uint64_t *batches, uint64_t *jobs);

/* Writes a consistent copy of the whole database to path, which must not
 * exist, while the store stays in use (SQLite: VACUUM INTO). */
int store_backup(struct store *st, const char *path);

/* ---- reference data: countries, provinces, offices and checkpoints ---- */

struct store_post {
    char code[32];
    char name[128];
    char kind[16];          /* office, airport, seaport, land */
    char province_code[8];  /* "" when abroad */
    char country[4];
};

int store_country_put(struct store *st, const char *code, const char *name, const char *kind);
int store_country_known(struct store *st, const char *code);
int store_province_put(struct store *st, const char *code, const char *name, const char *status);
int store_post_put(struct store *st, const struct store_post *p);
int store_post_get(struct store *st, const char *code, struct store_post *out);
typedef int (*store_post_cb)(void *ctx, const struct store_post *p);
int store_post_list(struct store *st, store_post_cb cb, void *ctx);

/* ---- users ---- */

struct store_user {
    int64_t id;
    char username[LIMIT_USERNAME + 1];
    char display_name[LIMIT_DISPLAY_NAME + 1];
    char role[24];
    char office[32];    /* "" for none */
    char pwhash[160];   /* libsodium crypto_pwhash_str output */
    bool disabled;
    int failed_logins;
    int64_t locked_until_ms;
    int64_t created_ms;
    int64_t updated_ms;
};

/* Inserts u (its id is ignored); *id gets the new id. ERR_EXISTS when the
 * username is taken. */
int store_user_insert(struct store *st, const struct store_user *u, int64_t *id);
int store_user_get(struct store *st, int64_t id, struct store_user *out);
int store_user_get_by_name(struct store *st, const char *username, struct store_user *out);
/* Writes every mutable field of u (by u->id). */
int store_user_update(struct store *st, const struct store_user *u);
typedef int (*store_user_cb)(void *ctx, const struct store_user *u);
int store_user_list(struct store *st, store_user_cb cb, void *ctx);

/* ---- sessions: only the hash of a token is stored ---- */

struct store_session {
    char token_hash[65];
    int64_t user_id;
    int64_t created_ms;
    int64_t expires_ms;
    bool revoked;
};

int store_session_insert(struct store *st, const struct store_session *s);
/* ERR_NOTFOUND when absent. */
int store_session_get(struct store *st, const char *token_hash, struct store_session *out);
int store_session_revoke(struct store *st, const char *token_hash);
/* Revokes every session of a user (after a password change or disabling). */
int store_session_revoke_user(struct store *st, int64_t user_id);

/* ---- audit trail ---- */

struct audit_record;

struct store_audit_row {
    int64_t seq;
    int64_t ts_ms;
    const char *username, *role, *action, *object_type, *object_id, *request_id, *outcome,
        *detail;
    const char *prev_hash; /* hex */
    const char *hash;      /* hex */
};

/* The newest record's seq and hash (hex); seq 0 and 64 zeros when empty.
 * Call inside a write transaction so that the chain head cannot move. */
int store_audit_head(struct store *st, int64_t *seq, char hash_hex[65]);
int store_audit_insert(struct store *st, const struct audit_record *r, const char *prev_hex,
                       const char *hash_hex);

struct store_audit_filter {
    const char *username;    /* NULL: any */
    const char *object_type; /* NULL: any */
    const char *object_id;   /* NULL: any */
    int64_t from_ms, to_ms;  /* 0: unbounded */
    int64_t after_seq;       /* records with seq > after_seq */
    int64_t limit;           /* 0: unlimited */
};

/* Calls cb for each matching record in seq order; the row is borrowed for
 * the call only. A non-zero return from cb stops the scan and is returned. */
typedef int (*store_audit_cb)(void *ctx, const struct store_audit_row *row);
int store_audit_scan(struct store *st, const struct store_audit_filter *f, store_audit_cb cb,
                     void *ctx);

/* ---- watchlist entries ---- */

/* One stored entry. body is the whole entry as one JSON object (the
 * services layer owns its shape); the other columns are copies of body's
 * fields that the store needs to find and bound entries. Strings are
 * borrowed: for writes, from the caller; in callbacks, for the call only. */
struct store_wl_row {
    int64_t id;
    const char *list, *source_id, *kind, *category, *action, *primary_name;
    const char *valid_until; /* "YYYY-MM-DD" or NULL */
    const char *body, *created_by;
    int64_t created_ms, updated_ms;
};

/* Inserts a row, or updates the row with the same (list, source_id).
 * *id gets the row id, *created whether it was new. */
int store_wl_upsert(struct store *st, const struct store_wl_row *row, int64_t *id,
                    bool *created);
/* Rewrites the row with row->id (list and source_id may change). */
int store_wl_update(struct store *st, const struct store_wl_row *row);
int store_wl_delete(struct store *st, int64_t id);
typedef int (*store_wl_cb)(void *ctx, const struct store_wl_row *row);
/* Calls cb with the row (ERR_NOTFOUND when absent). */
int store_wl_get(struct store *st, int64_t id, store_wl_cb cb, void *ctx);
/* Calls cb for every row in id order (start-up index build). */
int store_wl_scan(struct store *st, store_wl_cb cb, void *ctx);
/* Rows whose primary name or source id contains text (case-insensitive
 * for ASCII), at most limit, in id order. */
int store_wl_search(struct store *st, const char *text, int64_t limit, store_wl_cb cb,
                    void *ctx);

/* ---- departure screenings ---- */

/* A screening to insert. Strings are borrowed; NULL is stored as "". */
struct store_dep {
    int64_t created_ms;
    const char *day;       /* YYYY-MM-DD of created_ms, for statistics */
    const char *checkpoint, *office, *officer;
    const char *nik, *doc_key, *name_key; /* person keys for history */
    const char *nationality, *sex, *age_band, *province;
    const char *destination, *final_destination, *flight;
    const char *booking_ref, *sponsor_phone, *sponsor_company; /* group keys */
    bool matched;          /* any watchlist match above threshold */
    const char *recommendation;
    int64_t score;
    const char *ruleset_version;
    const char *rules_fired; /* space-separated rule names */
    const char *request, *answer; /* JSON */
    const char *facts;            /* JSON: the rule facts, for backtests */
};

/* A stored screening, borrowed for the callback. */
struct store_dep_row {
    int64_t id, created_ms, score, outcome_ms;
    const char *checkpoint, *office, *officer, *recommendation, *ruleset_version, *answer;
    const char *outcome, *outcome_reason, *outcome_note, *outcome_by; /* "" when none */
    const char *booking_ref, *sponsor_phone, *sponsor_company, *rules_fired;
};
typedef int (*store_dep_cb)(void *ctx, const struct store_dep_row *d);

struct store_dep_history {
    int64_t screenings, refusals, secondaries, interceptions, referrals, protections;
};

int store_dep_insert(struct store *st, const struct store_dep *d, int64_t *id);
int store_dep_get(struct store *st, int64_t id, store_dep_cb cb, void *ctx);
/* Screenings created in [from_ms, to_ms), optionally at one checkpoint, of
 * one office, with one recommendation (NULL: any), grouped by booking
 * reference or sponsor phone, at most limit. */
int store_dep_queue(struct store *st, const char *checkpoint, const char *office,
                    int64_t from_ms, int64_t to_ms, const char *recommendation, int64_t limit,
                    store_dep_cb cb, void *ctx);
int store_dep_set_outcome(struct store *st, int64_t id, const char *outcome, const char *reason,
                          const char *note, const char *by, int64_t at_ms, bool overridden);
/* Counts earlier screenings of the same person (any key that is not "")
 * since since_ms. */
int store_dep_history(struct store *st, const char *nik, const char *doc_key,
                      const char *name_key, int64_t since_ms, struct store_dep_history *h);
/* Screenings at checkpoint since since_ms sharing a booking reference, a
 * sponsor phone or a sponsor company (keys that are "" are ignored), and
 * whether any of them matched a watchlist. */
struct store_dep_group {
    int64_t others, same_booking, same_sponsor;
    bool any_matched;
};
int store_dep_group(struct store *st, const char *checkpoint, int64_t since_ms,
                    const char *booking_ref, const char *phone, const char *company,
                    struct store_dep_group *g);

/* Calls cb(ctx, id, recommendation, facts JSON) for each screening created
 * in [from_ms, to_ms), in id order (backtests of a candidate ruleset). */
typedef int (*store_facts_cb)(void *ctx, int64_t id, const char *recommendation,
                              const char *facts);
int store_dep_scan_facts(struct store *st, int64_t from_ms, int64_t to_ms, const char *kind,
                         store_facts_cb cb, void *ctx);

/* ---- rulesets: analysts upload candidates, supervisors activate ---- */

struct store_ruleset_row {
    int64_t id, uploaded_ms, activated_ms;
    const char *kind, *hash, *source, *state, *uploaded_by, *activated_by, *note;
};
typedef int (*store_ruleset_cb)(void *ctx, const struct store_ruleset_row *r);

/* Stores a candidate (idempotent by kind and content hash); *id gets its id. */
int store_ruleset_put(struct store *st, const char *kind, const char *hash, const char *source,
                      const char *by, int64_t at_ms, const char *note, int64_t *id);
/* Makes id the active ruleset of its kind; the previous one is retired. */
int store_ruleset_activate(struct store *st, int64_t id, const char *by, int64_t at_ms);
int store_ruleset_get(struct store *st, int64_t id, store_ruleset_cb cb, void *ctx);
/* The active ruleset of kind (ERR_NOTFOUND when none). */
int store_ruleset_active(struct store *st, const char *kind, store_ruleset_cb cb, void *ctx);
int store_ruleset_list(struct store *st, const char *kind, store_ruleset_cb cb, void *ctx);

#endif
