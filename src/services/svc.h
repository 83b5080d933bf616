/* svc: what every service needs — the store, the configuration that
 * services read, and the actor on whose behalf a call is made.
 *
 * A struct svc is created once at start-up and shared read-only by all
 * threads. A struct actor is filled per request (from the bearer token) or
 * per command (the local operator). */
#ifndef LINTAS_SERVICES_SVC_H
#define LINTAS_SERVICES_SVC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/roles.h"
#include "util/limits.h"

struct store;
struct store_group;
struct rulesets;
struct watchlist;
struct exchange;

struct svc_config {
    int64_t session_ttl_s;       /* bearer token lifetime; default 12 h */
    int lockout_attempts;        /* failed logins before a lock; default 5 */
    int64_t lockout_s;           /* lock duration; default 15 min */
    unsigned long long pw_ops;   /* Argon2id opslimit */
    size_t pw_mem;               /* Argon2id memlimit, bytes */
};

struct svc {
    struct store *st;     /* borrowed; outlives the svc */
    struct rulesets *rs;  /* cache of compiled active rulesets */
    struct watchlist *wl; /* the in-memory name index; NULL until opened */
    struct store_group *group; /* group committer of the server; NULL in commands */
    struct exchange *ex;  /* this node's exchange state (services/exchange.h); NULL when none */
    struct svc_config cfg;
    /* Whether bulletin indicators may exist (SVC_IND_*): screening skips
     * their look-ups while none do; set when one is stored. */
    atomic_int indicators;
};

enum { SVC_IND_UNKNOWN = 0, SVC_IND_NONE = 1, SVC_IND_SOME = 2 };

struct actor {
    int64_t user_id;               /* 0 for the local operator */
    char username[LIMIT_USERNAME + 8];
    enum role role;
    char office[32];               /* "" when none */
    char request_id[40];           /* "" outside HTTP */
};

/* Runs fn in a write transaction: through the group committer when the
 * svc has one (the server), else in a transaction of its own. Returns once
 * the write is durable. */
int svc_write(struct svc *s, int (*fn)(struct store *st, void *ctx), void *ctx);

/* Like svc_write, but returns at once when the svc has a group committer:
 * done(arg, result) follows on the committer thread once the write is
 * durable (0) or failed; it must be quick and must not write. Without a
 * group committer the write runs here and done is called before the
 * return. Returns 0, or an error with which done is never called. ctx and
 * arg must stay valid until done. */
int svc_write_async(struct svc *s, int (*fn)(struct store *st, void *ctx), void *ctx,
                    void (*done)(void *arg, int result), void *arg);

/* Marks the start (delta 1) and the end (delta -1) of a request that may
 * write through svc_write, so that the group committer waits for it under
 * load rather than for writes that will not come; a no-op without a group
 * committer. Calls must pair. */
void svc_write_expect(struct svc *s, int delta);

/* Fills cfg with the defaults above. */
void svc_config_defaults(struct svc_config *cfg);
/* The actor used by command-line tools run by the operator on the server:
 * username "(cli)", role admin. */
void svc_cli_actor(struct actor *a);

#endif
