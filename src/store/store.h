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
/* Called by the committer once the write of store_group_submit is durable
 * (result 0) or failed (fn's error, or the commit's); it must be quick and
 * must not queue writes. */
typedef void (*store_done_fn)(void *arg, int result);
/* Queues fn for the next group transaction and returns at once; done(arg,
 * result) follows on the committer thread after that transaction ended.
 * ctx and arg must stay valid until then. Returns 0, or an error (the
 * committer is stopping, or memory) and then done is never called. */
int store_group_submit(struct store_group *g, store_write_fn fn, void *ctx, store_done_fn done,
                       void *arg);
/* Tells the committer that a request which may queue a write has begun
 * (delta 1) or ended (delta -1), so that under load it waits for the writes
 * of requests under way and for no others. Thread-safe. */
void store_group_expect(struct store_group *g, int delta);
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
    char office[32];        /* a checkpoint's responsible office; "" for an office */
};

int store_country_put(struct store *st, const char *code, const char *name, const char *kind);
int store_country_known(struct store *st, const char *code);
int store_province_put(struct store *st, const char *code, const char *name, const char *status);
int store_post_put(struct store *st, const struct store_post *p);
int store_post_get(struct store *st, const char *code, struct store_post *out);
typedef int (*store_post_cb)(void *ctx, const struct store_post *p);
/* Every post, by kind, then code. cb's post is borrowed for the
 * call; a cb that returns non-zero stops the walk (a negative value is
 * returned, a positive one is 0). */
int store_post_list(struct store *st, store_post_cb cb, void *ctx);
/* The checkpoints office is responsible for, in code order; as
 * store_post_list. */
int store_office_checkpoints(struct store *st, const char *office, store_post_cb cb, void *ctx);
/* Whether any checkpoint has its office: false until the reference data
 * is first loaded into a database of schema version 10 or later. */
int store_posts_have_offices(struct store *st, bool *any);

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

/* Every write below (upsert, update, delete) also appends the entry's id
 * to the watchlist change log, in the same transaction (see
 * store_wl_changes). */

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
/* Rows whose source id is source_id exactly, in list when list is not NULL,
 * in id order, at most limit (indexed). */
int store_wl_by_source(struct store *st, const char *source_id, const char *list, int64_t limit,
                       store_wl_cb cb, void *ctx);

/* The watchlist change log: one row (seq, entry id, time) per write of an
 * entry. seq grows by one per write and never goes back: pruning removes
 * the oldest rows only, and never the newest. A reader that has applied
 * every change up to seq N brings itself up to date by re-reading the
 * entries of the changes after N (an entry that is gone was deleted).
 * These read in the caller's transaction, or in one of their own when the
 * thread has none. */

/* The newest change's seq; 0 when the log is empty. One indexed look-up. */
int store_wl_changes_max(struct store *st, int64_t *seq);
/* Calls cb for each change with after < seq <= upto, in seq order. A
 * non-zero return from cb stops the scan and is returned. */
typedef int (*store_wl_change_cb)(void *ctx, int64_t seq, int64_t entry_id);
int store_wl_changes(struct store *st, int64_t after, int64_t upto, store_wl_change_cb cb,
                     void *ctx);
/* Deletes the changes made before before_ms (ms since the epoch), oldest
 * first and never the newest; *deleted gets how many. Inside a write
 * transaction. Reads the whole log (no index on the time). */
int store_wl_changes_prune(struct store *st, int64_t before_ms, int64_t *deleted);

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
    const char *request, *flight; /* the request as received */
    bool overridden;
};
typedef int (*store_dep_cb)(void *ctx, const struct store_dep_row *d);

struct store_dep_history {
    int64_t screenings, refusals, secondaries, interceptions, referrals, protections;
};

int store_dep_insert(struct store *st, const struct store_dep *d, int64_t *id);
int store_dep_get(struct store *st, int64_t id, store_dep_cb cb, void *ctx);
/* Screenings created in [from_ms, to_ms), optionally at one checkpoint,
 * at the checkpoints of one office (as they are linked now, so that the
 * screenings recorded before checkpoints had offices count too), with one
 * recommendation (NULL: any), in id order, at most limit. */
int store_dep_queue(struct store *st, const char *checkpoint, const char *office,
                    int64_t from_ms, int64_t to_ms, const char *recommendation, int64_t limit,
                    store_dep_cb cb, void *ctx);
int store_dep_set_outcome(struct store *st, int64_t id, const char *outcome, const char *reason,
                          const char *note, const char *by, int64_t at_ms, bool overridden);
/* Gives the screenings recorded without their checkpoint's office (office
 * "", or the checkpoint's own code, as lintas wrote before checkpoints had
 * offices) their checkpoint's office, where it has one; *changed gets how
 * many. Reads the whole table: for a one-time upgrade, inside a write
 * transaction. */
int store_dep_backfill_office(struct store *st, int64_t *changed);
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

/* ---- passport applications (store_passports.c) ---- */

/* An application to insert. Strings are borrowed; NULL is stored as "". */
struct store_pp {
    int64_t created_ms;
    const char *day; /* YYYY-MM-DD of created_ms */
    const char *office, *officer, *interviewer;
    const char *nik, *name_key; /* person keys for history (as departures make them) */
    const char *sex, *age_band, *province, *purpose, *destination;
    const char *sponsor_phone, *sponsor_company; /* group keys */
    bool matched;   /* any watchlist match above threshold */
    bool postponed; /* the first answer was a postponement */
    const char *status, *recommendation;
    int64_t score;
    const char *ruleset_version;
    const char *reasons;   /* space-separated reason codes (rules fired) */
    int64_t review_due_ms; /* 0: none (approved) */
    const char *request, *answer, *facts; /* JSON */
};

/* A stored application, borrowed for the callback. Times are 0 when unset. */
struct store_pp_row {
    int64_t id, created_ms, updated_ms, score, review_due_ms, appeal_due_ms;
    const char *day, *office, *officer, *interviewer, *nik, *sex, *age_band, *province;
    const char *purpose, *destination, *status, *recommendation, *ruleset_version, *reasons;
    const char *rejected_by, *answer;
    bool postponed, extended;
};
typedef int (*store_pp_cb)(void *ctx, const struct store_pp_row *a);

int store_pp_insert(struct store *st, const struct store_pp *a, int64_t *id);
/* ERR_NOTFOUND when absent. */
int store_pp_get(struct store *st, int64_t id, store_pp_cb cb, void *ctx);
/* Writes the state that reviews and appeals change (0 clears a time). */
int store_pp_set_state(struct store *st, int64_t id, const char *status, int64_t review_due_ms,
                       bool extended, int64_t appeal_due_ms, const char *rejected_by,
                       int64_t at_ms);
/* Applications with status (NULL: any) of office (NULL: any) whose review
 * is due before due_before_ms (0: any), oldest deadline first, at most
 * limit. */
int store_pp_list(struct store *st, const char *office, const char *status,
                  int64_t due_before_ms, int64_t limit, store_pp_cb cb, void *ctx);
/* Applications of the same person (nik or name_key, "" ignored) created
 * since since_ms that were postponed. */
int store_pp_history(struct store *st, const char *nik, const char *name_key, int64_t since_ms,
                     int64_t *postponements);
/* Applications at office since since_ms sharing the sponsor phone or
 * company ("" ignored), and whether any of them matched a watchlist. */
struct store_pp_group {
    int64_t others, same_sponsor;
    bool any_matched;
};
int store_pp_group(struct store *st, const char *office, int64_t since_ms, const char *phone,
                   const char *company, struct store_pp_group *g);

/* One step in an application's life: approved, postponed, released,
 * rejected, extended, appealed, appeal_upheld, appeal_dismissed. due_ms
 * is the review deadline the step sets (0: none); late marks a review
 * decided after its deadline. Strings borrowed. */
struct store_pp_event {
    int64_t id, app_id, at_ms, due_ms;
    const char *day, *kind, *actor, *reason, *note;
    bool late;
};
typedef int (*store_pp_event_cb)(void *ctx, const struct store_pp_event *e);
int store_pp_event_insert(struct store *st, const struct store_pp_event *e);
/* The events of one application in order. */
int store_pp_events(struct store *st, int64_t app_id, store_pp_event_cb cb, void *ctx);

/* Passport settings (review_days, extend_days, appeal_days). */
int store_pp_setting_get(struct store *st, const char *key, int64_t *value);
int store_pp_setting_set(struct store *st, const char *key, int64_t value);

/* ---- statistics scans (store_stats.c) ---- */

/* Scans borrow their rows for the callback only; days are inclusive
 * YYYY-MM-DD bounds. A non-zero callback return stops the scan. */
struct store_stat_dep {
    const char *day, *checkpoint, *office, *destination, *sex, *age_band, *province;
    const char *recommendation, *rules_fired, *outcome, *outcome_reason; /* "" when none */
    bool overridden;
};
typedef int (*store_stat_dep_cb)(void *ctx, const struct store_stat_dep *d);
/* Departure screenings made on days [from_day, to_day]. */
int store_stats_departures(struct store *st, const char *from_day, const char *to_day,
                           store_stat_dep_cb cb, void *ctx);

/* An application event (or an application, or a missed deadline) with the
 * application's dimensions. */
struct store_stat_pp {
    const char *kind, *day;
    const char *office, *destination, *sex, *age_band, *province, *reasons, *status;
    bool late, postponed;
};
typedef int (*store_stat_pp_cb)(void *ctx, const struct store_stat_pp *p);
/* Events of days [from_day, to_day]. */
int store_stats_pp_events(struct store *st, const char *from_day, const char *to_day,
                          store_stat_pp_cb cb, void *ctx);
/* Review deadlines falling on days [from_day, to_day] and before now_ms
 * that passed with no review decision (kind "overdue", day the deadline's
 * day, late set when a decision came after it). */
int store_stats_pp_overdue(struct store *st, const char *from_day, const char *to_day,
                           int64_t now_ms, store_stat_pp_cb cb, void *ctx);
/* Applications made on days [from_day, to_day] (kind "application"). */
int store_stats_pp_apps(struct store *st, const char *from_day, const char *to_day,
                        store_stat_pp_cb cb, void *ctx);

/* ---- consular cases and notifications ---- */

/* A case; strings borrowed (from the caller for writes, for the callback
 * otherwise). body is the case as JSON (situation, recruitment, consent). */
struct store_case {
    int64_t id, created_ms, updated_ms;
    const char *reference, *status, *office, *officer, *country, *body, *source;
};
typedef int (*store_case_cb)(void *ctx, const struct store_case *k);
int store_case_insert(struct store *st, const struct store_case *k, int64_t *id);
int store_case_update(struct store *st, int64_t id, const char *status, const char *body,
                      int64_t now_ms);
int store_case_get(struct store *st, int64_t id, store_case_cb cb, void *ctx);
/* Cases with status (NULL: any), most recently updated first. */
int store_case_list(struct store *st, const char *status, int64_t limit, store_case_cb cb,
                    void *ctx);

struct store_case_person {
    int64_t id, case_id, watchlist_entry; /* watchlist_entry 0: none */
    const char *role, *nik, *doc_key, *name_key, *body;
    const char *case_status, *case_officer; /* filled when read */
};
typedef int (*store_case_person_cb)(void *ctx, const struct store_case_person *p);
int store_case_person_add(struct store *st, const struct store_case_person *p, int64_t *id);
int store_case_person_set_entry(struct store *st, int64_t person_id, int64_t entry);
int store_case_person_set_role(struct store *st, int64_t person_id, const char *role,
                               const char *body);
int store_case_persons(struct store *st, int64_t case_id, store_case_person_cb cb, void *ctx);
/* Persons in any case that share a key ("" keys are ignored). */
int store_case_find_person(struct store *st, const char *nik, const char *doc_key,
                           const char *name_key, store_case_person_cb cb, void *ctx);
int store_case_event_add(struct store *st, int64_t case_id, int64_t at_ms, const char *actor,
                         const char *kind, const char *status, const char *text);
typedef int (*store_case_event_cb)(void *ctx, int64_t at_ms, const char *actor,
                                   const char *kind, const char *status, const char *text);
int store_case_events(struct store *st, int64_t case_id, store_case_event_cb cb, void *ctx);

int store_notify(struct store *st, const char *recipient, const char *kind, const char *otype,
                 const char *oid, const char *text, int64_t at_ms);
typedef int (*store_notification_cb)(void *ctx, int64_t id, int64_t at_ms, const char *kind,
                                     const char *otype, const char *oid, const char *text);
int store_notifications(struct store *st, const char *recipient, int64_t limit,
                        store_notification_cb cb, void *ctx);

/* ---- exchange between nodes (store_exchange.c) ---- */

/* Settings of this node that commands read (node id, keys directory; never
 * a secret). ERR_NOTFOUND when unset. */
int store_ex_node_get(struct store *st, const char *key, char *out, size_t n);
int store_ex_node_set(struct store *st, const char *key, const char *value);

/* A peer; strings borrowed. agreement is the file text (it holds the hash
 * key: the database is as confidential as the agreement file). */
struct store_ex_peer {
    const char *node_id, *url, *public_key, *key_id, *agreement, *agreement_hash, *tls_pin;
    int64_t created_ms, updated_ms;
};
typedef int (*store_ex_peer_cb)(void *ctx, const struct store_ex_peer *p);
/* Inserts or replaces the peer with p->node_id. */
int store_ex_peer_put(struct store *st, const struct store_ex_peer *p);
int store_ex_peer_delete(struct store *st, const char *node_id);
int store_ex_peer_get(struct store *st, const char *node_id, store_ex_peer_cb cb, void *ctx);
int store_ex_peer_list(struct store *st, store_ex_peer_cb cb, void *ctx);

/* The next outgoing sequence number of the channel to peer (1, 2, ...). */
int store_ex_next_seq(struct store *st, const char *peer, int64_t *seq);
/* Records an accepted incoming data message of sequence seq from peer. */
int store_ex_channel_in(struct store *st, const char *peer, int64_t seq);

/* An outgoing (outbox) or incoming (inbox) message; strings borrowed, ids
 * and hashes as hex, envelope and receipt bytes as hex. For the inbox, peer
 * is the sender and at_ms the time received. */
struct store_ex_msg {
    int64_t id, seq, created_ms, expires_ms, at_ms, updated_ms, due_ms, answered_ms, attempts;
    const char *msg_id, *peer, *type, *reply_to, *envelope, *env_hash, *state, *reason;
    const char *detail, *receipt, *payload, *by, *result;
};
typedef int (*store_ex_msg_cb)(void *ctx, const struct store_ex_msg *m);

int store_ex_out_insert(struct store *st, const struct store_ex_msg *m);
/* Queued messages to peer in sequence order, at most limit. */
int store_ex_out_queued(struct store *st, const char *peer, int64_t limit, store_ex_msg_cb cb,
                        void *ctx);
/* Moves a queued message to a final state (delivered, rejected, expired).
 * ERR_NOTFOUND when it is not queued (any more). */
int store_ex_out_finish(struct store *st, const char *msg_id, const char *state,
                        const char *reason, const char *detail, const char *receipt,
                        int64_t now_ms);
/* Counts one more delivery attempt of the queued messages in ids. */
int store_ex_out_attempt(struct store *st, const char *msg_id, int64_t now_ms);
int store_ex_out_get(struct store *st, const char *msg_id, store_ex_msg_cb cb, void *ctx);
/* Outgoing messages with state (NULL: any), newest first, at most limit. */
int store_ex_out_list(struct store *st, const char *state, int64_t limit, store_ex_msg_cb cb,
                      void *ctx);

int store_ex_in_insert(struct store *st, const struct store_ex_msg *m, int64_t *id);
/* The inbox row of (sender, msg_id); ERR_NOTFOUND. */
int store_ex_in_get(struct store *st, const char *sender, const char *msg_id,
                    store_ex_msg_cb cb, void *ctx);
/* Incoming messages with state and type (NULL: any), oldest first after
 * after_id, at most limit. */
int store_ex_in_list(struct store *st, const char *state, const char *type, int64_t after_id,
                     int64_t limit, store_ex_msg_cb cb, void *ctx);
/* received -> applied (or rejected); ERR_NOTFOUND when not received. */
int store_ex_in_apply(struct store *st, int64_t id, const char *state, const char *result,
                      int64_t now_ms);
/* Marks the incoming query msg_id answered. ERR_NOTFOUND. */
int store_ex_in_answered(struct store *st, const char *msg_id, int64_t now_ms);

/* One exchange log entry; hex ids and hashes; strings borrowed. */
struct store_ex_log {
    int64_t idx, at_ms;
    int kind;
    const char *peer, *msg_id, *type, *hash, *detail, *entry_hash;
};
typedef int (*store_ex_log_cb)(void *ctx, const struct store_ex_log *e);
/* The last entry's index and hash (0 and 64 zeros when empty). */
int store_ex_log_head(struct store *st, int64_t *idx, char hash_hex[65]);
int store_ex_log_insert(struct store *st, const struct store_ex_log *e);
int store_ex_log_scan(struct store *st, store_ex_log_cb cb, void *ctx);

/* A checkpoint (ours: own set; a peer's otherwise), bytes as hex. */
struct store_ex_ckpt {
    int64_t id, size, at_ms;
    const char *node, *head, *bytes;
    bool own;
};
typedef int (*store_ex_ckpt_cb)(void *ctx, const struct store_ex_ckpt *c);
int store_ex_ckpt_insert(struct store *st, const struct store_ex_ckpt *c);
/* Checkpoints of node (NULL: all) in insertion order. */
int store_ex_ckpt_list(struct store *st, const char *node, store_ex_ckpt_cb cb, void *ctx);

/* A partner's alert as applied: its version and our watchlist entry. */
int store_ex_alert_get(struct store *st, const char *peer, const char *alert_id,
                       int64_t *version, int64_t *entry, bool *withdrawn);
int store_ex_alert_put(struct store *st, const char *peer, const char *alert_id,
                       int64_t version, int64_t entry, bool withdrawn);

/* Bulletin indicators; norm is the normalised value. */
struct store_ex_ind {
    const char *peer, *indicator_id, *kind, *norm, *bulletin_id, *valid_until;
    int64_t version;
    bool revoked;
};
/* The version held for (peer, indicator_id), 0 when none. */
int store_ex_ind_version(struct store *st, const char *peer, const char *indicator_id,
                         int64_t *version);
int store_ex_ind_put(struct store *st, const struct store_ex_ind *i);
/* A live (not revoked, not past valid_until on day today) indicator of
 * kind with this normalised value: its bulletin id. ERR_NOTFOUND. */
int store_ex_ind_find(struct store *st, const char *kind, const char *norm, const char *today,
                      char *bulletin, size_t n);
/* Whether any indicator is held at all, live or not. */
int store_ex_ind_any(struct store *st, bool *any);

/* The consular case opened for a partner's referral. ERR_NOTFOUND. */
int store_ex_ref_get(struct store *st, const char *peer, const char *referral_id,
                     int64_t *case_id);
int store_ex_ref_put(struct store *st, const char *peer, const char *referral_id,
                     int64_t case_id);

#endif
