/* passports: passport applications screened like departures and postponed
 * with reasons, a review deadline and an appeal — the ETIAS structure of
 * automated rules first, a human review of every hit before a deadline,
 * reasoned decisions, and appeal (docs/passports.md).
 *
 * A passport officer submits an application at their office (applicant,
 * purpose, destination, sponsor, PMI registration, earlier passports, the
 * interview record). The NIK is validated, the applicant and sponsor are
 * matched against the watchlists, the person's history (earlier
 * postponements, departures, interceptions) and the sponsor's other
 * applicants are gathered, and the active "application" ruleset is
 * evaluated. A recommendation of refuse or protect postpones issuance;
 * clear and secondary approve it (secondary reasons are returned as
 * advice to the officer). A postponement gets a review deadline.
 *
 * A supervisor reviews a postponement: release (issue), reject (with a
 * reason; opens the appeal window) or extend (once, with a reason); a note
 * is always required, and a supervisor may not review an application of
 * their own office whose applicant they interviewed. An appeal records the
 * applicant's statement; a supervisor other than the one who rejected
 * decides it (uphold: the passport is issued; dismiss). Every step is an
 * event with its day (statistics count them) and an audit record written in
 * the same transaction. Thread-safe. */
#ifndef LINTAS_SERVICES_PASSPORTS_H
#define LINTAS_SERVICES_PASSPORTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct actor;
struct buf;
struct svc;

/* Default periods, in days; the stored settings override them. */
#define PASSPORTS_REVIEW_DAYS 14
#define PASSPORTS_EXTEND_DAYS 14
#define PASSPORTS_APPEAL_DAYS 30

/* Screens and records one application (the POST body, borrowed). *out
 * gets {"id", "status": "approved"|"postponed", "reasons": [{"code",
 * "text", "weight", "effect"}], "review_due", "recommendation", "score",
 * "ruleset_version", "matches", ...}. ERR_INVALID with why naming the
 * field; ERR_FORBIDDEN when an officer names another office. */
int passports_apply(struct svc *s, const struct actor *who, json_t *body, json_t **out,
                    struct buf *why);

/* A supervisor's review: {"decision": "release"|"reject"|"extend", "note",
 * "reason"}. ERR_FORBIDDEN (own office and interviewed, or another
 * office), ERR_CONFLICT (not postponed, or extended already),
 * ERR_NOTFOUND, ERR_INVALID. *out gets the application. */
int passports_review(struct svc *s, const struct actor *who, int64_t id, json_t *body,
                     json_t **out, struct buf *why);

/* Records the applicant's appeal {"statement"} against a rejection, within
 * the appeal window (ERR_CONFLICT otherwise). */
int passports_appeal(struct svc *s, const struct actor *who, int64_t id, json_t *body,
                     json_t **out, struct buf *why);

/* Decides an appeal {"decision": "uphold"|"dismiss", "note"}: a supervisor
 * other than the one who rejected and than the interviewer. */
int passports_appeal_decide(struct svc *s, const struct actor *who, int64_t id, json_t *body,
                            json_t **out, struct buf *why);

/* One application with its events (audited read). Office-bound roles see
 * their own office only (ERR_FORBIDDEN). */
int passports_get(struct svc *s, const struct actor *who, int64_t id, json_t **out);

/* A queue: "review" (postponed, awaiting review), "overdue" (postponed,
 * deadline passed), "appeals" (appeal awaiting a decision); the office of an
 * office-bound actor, or office (NULL: all) for others. *out is an array. */
int passports_queue(struct svc *s, const struct actor *who, const char *queue,
                    const char *office, json_t **out, struct buf *why);

/* The settings {"review_days", "extend_days", "appeal_days"}, and their
 * change (admin; each 0..365, 0 making a review due at once). */
int passports_settings(struct svc *s, json_t **out);
int passports_settings_set(struct svc *s, const struct actor *who, json_t *body, json_t **out,
                           struct buf *why);

/* Maps an API purpose onto the rules schema's (umrah and hajj are
 * "pilgrimage"); NULL for an unknown purpose. Static. */
const char *passports_rules_purpose(const char *purpose);

/* The person key shared with departure screening: upper-case letters and
 * digits of surname|given|birth_date; "" without a surname or birth date. */
void passports_name_key(const char *surname, const char *given, const char *birth_date,
                        char *out, size_t n);

#endif
