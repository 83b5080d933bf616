/* cases: consular cases of citizens trafficked abroad, tracked until they
 * are home, and protected afterwards (role consular_officer).
 *
 * A case holds the persons concerned (one person may be a victim in one case
 * and a suspect in another), the place and situation, the recruitment
 * method and methods of control, consent to share personal data, a status
 * (reported, located, in_shelter, exit_permit_pending, repatriated,
 * closed), a timeline and its referrals. Field names follow IOM's Human
 * Trafficking Case Data Standard where it has them (docs/cases.md).
 *
 * Protection: when a case reaches repatriated, each victim becomes a
 * protected-person watchlist entry (action protect), so screening routes
 * them to protection; a suspect becomes a watchlist entry as soon as they
 * are added. When a person of a case is screened again, the case officer
 * is notified. Everything is audited. Thread-safe. */
#ifndef LINTAS_SERVICES_CASES_H
#define LINTAS_SERVICES_CASES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct actor;
struct buf;
struct store;
struct svc;

int cases_create(struct svc *s, const struct actor *who, json_t *body, json_t **out,
                 struct buf *why);
/* The case with its persons and timeline (audited read). */
int cases_get(struct svc *s, const struct actor *who, int64_t id, json_t **out);
int cases_list(struct svc *s, const struct actor *who, const char *status, json_t **out,
               struct buf *why);
/* Changes status and/or case fields; "note" adds a timeline entry. */
int cases_update(struct svc *s, const struct actor *who, int64_t id, json_t *patch,
                 json_t **out, struct buf *why);
int cases_add_person(struct svc *s, const struct actor *who, int64_t id, json_t *person,
                     json_t **out, struct buf *why);
/* Changes the role of person pid in case id (e.g. a rescued person found to
 * be a recruiter): the watchlist entry of the old role is removed and the
 * new role gets its own. */
int cases_set_role(struct svc *s, const struct actor *who, int64_t id, int64_t pid,
                   const char *role, json_t **out, struct buf *why);
/* The caller's notifications, newest first. */
int cases_notifications(struct svc *s, const struct actor *who, json_t **out);

/* What screening needs to know about a person from the cases. */
struct cases_person_facts {
    bool open_case;   /* a victim in a case not yet repatriated or closed */
    bool past_victim; /* a victim in a case that reached repatriated or closed */
};
/* Looks the person up by NIK, document key or name key ("" ignored). */
int cases_person_facts(struct store *st, const char *nik, const char *doc_key,
                       const char *name_key, struct cases_person_facts *f);
/* Inside a write transaction: notifies the officers of cases where this
 * person appears that they were screened ("what" says where and how). */
int cases_notify_screened(struct store *st, const char *nik, const char *doc_key,
                          const char *name_key, const char *what);

#endif
