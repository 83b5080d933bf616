/* screening: departure screening at checkpoints.
 *
 * A screening reads the traveller's document (MRZ or fields) and NIK,
 * matches the traveller and the sponsor against the watchlists, gathers the
 * person's history and the group travelling with them, evaluates the active
 * departure ruleset, and records the screening, its facts and its audit
 * record in one durable transaction (group commit). The answer is a
 * recommendation — clear, secondary, refuse or protect — with every reason;
 * the officer's decision comes later as an outcome. Thread-safe. */
#ifndef LINTAS_SERVICES_SCREENING_H
#define LINTAS_SERVICES_SCREENING_H

#include <jansson.h>
#include <stdint.h>

struct actor;
struct buf;
struct svc;

/* Screens one departure. body is the POST /api/v1/departures object;
 * checkpoint, when not NULL, overrides body's (lintas screen). Officers may
 * only screen at their own post (ERR_FORBIDDEN). *out gets {"id",
 * "recommendation", "score", "reasons", "matches", "ruleset_version", ...}.
 * ERR_INVALID with why naming the field for a bad body. */
int screening_departure(struct svc *s, const struct actor *who, json_t *body,
                        const char *checkpoint, json_t **out, struct buf *why);

/* screening_departure in two steps, so that the caller need not wait for
 * the durable write (the HTTP server frees its worker meanwhile):
 * screening_departure_start screens and queues the write. On an error
 * (why set as above) nothing is pending and done is never called. On
 * success *pending is set and done(arg) follows exactly once, possibly on
 * another thread and possibly before the call returns, when the write is
 * durable or failed; then screening_departure_finish gives the result and
 * the answer and frees pending. */
struct dep_job;
int screening_departure_start(struct svc *s, const struct actor *who, json_t *body,
                              const char *checkpoint, void (*done)(void *arg), void *arg,
                              struct dep_job **pending, struct buf *why);
int screening_departure_finish(struct dep_job *pending, json_t **out);

/* Records the officer's decision on screening id: outcome "departed",
 * "intercepted" or "referred", a reason code and a note (required when the
 * outcome goes against the recommendation). */
int screening_outcome(struct svc *s, const struct actor *who, int64_t id, json_t *body,
                      json_t **out, struct buf *why);

/* The queue: screenings of one day (YYYY-MM-DD, NULL for today, in UTC) at
 * the officer's own post (an analyst or admin may name any checkpoint, or
 * none), optionally with one recommendation, grouped: those that share a
 * booking, a sponsor phone or a sponsor company, directly or through
 * others, are listed together under one group_key. *out is
 * {"departures": [...], "truncated": bool} (at most 5,000). */
int screening_queue(struct svc *s, const struct actor *who, const char *day,
                    const char *checkpoint, const char *recommendation, json_t **out,
                    struct buf *why);

/* One stored screening (audited read). */
int screening_get(struct svc *s, const struct actor *who, int64_t id, json_t **out);

#endif
