/* rulesets: versioned screening rulesets. An analyst uploads a candidate
 * (compiled first: errors come back with line and column), a supervisor
 * activates it, and both are audited. Each ruleset is known by the content
 * hash of its source, which every screening records. A backtest runs a
 * candidate over the stored facts of past screenings and reports how the
 * recommendations would change, before anyone activates it.
 *
 * The compiled active ruleset of each kind is cached; a handle stays valid
 * until released even if another ruleset is activated meanwhile.
 * Thread-safe. */
#ifndef LINTAS_SERVICES_RULESETS_H
#define LINTAS_SERVICES_RULESETS_H

#include <jansson.h>
#include <stdint.h>

struct actor;
struct buf;
struct rules;
struct store;
struct svc;
struct rulesets;
struct ruleset_ref;

int rulesets_new(struct rulesets **out);
void rulesets_free(struct rulesets *rs);

/* Stores and activates the default rulesets compiled into lintas for each
 * kind ("departure", "application") that has no active ruleset yet. */
int rulesets_install_defaults(struct store *st, struct buf *why);

/* The active ruleset of kind, compiled: *ref must be released with
 * rulesets_release. ERR_NOTFOUND when the kind has none. */
int rulesets_active(struct svc *s, const char *kind, struct ruleset_ref **ref);
const struct rules *ruleset_rules(const struct ruleset_ref *ref);
/* "sha256-like" content hash: 64 hex characters. */
const char *ruleset_version(const struct ruleset_ref *ref);
void rulesets_release(struct ruleset_ref *ref);

/* Compiles source and stores it as a candidate. On success *out is
 * {"id", "kind", "version", "state", "warnings": [...]}; a source that does
 * not compile gives ERR_INVALID with why listing "line:col: message". */
int rulesets_upload(struct svc *s, const struct actor *who, const char *kind, const char *src,
                    size_t len, const char *note, json_t **out, struct buf *why);
/* Activates ruleset id (its kind's previous active one is retired). */
int rulesets_activate(struct svc *s, const struct actor *who, int64_t id, struct buf *why);
/* All rulesets of kind, newest last: [{"id", "version", "state", ...}]. */
int rulesets_list(struct svc *s, const char *kind, json_t **out);
/* One ruleset with its source. */
int rulesets_get(struct svc *s, int64_t id, json_t **out);
/* Runs candidate id over the departure screenings of [from_ms, to_ms):
 * {"screenings", "changed", "transitions": {"clear->secondary": n, ...},
 *  "sample": [{"departure_id", "was", "would_be", "rules": [...]}]}. */
int rulesets_backtest(struct svc *s, const struct actor *who, int64_t id, int64_t from_ms,
                      int64_t to_ms, json_t **out, struct buf *why);

#endif
