/* refdata: loads the reference data compiled into lintas (ICAO country
 * codes, NIK province codes, Indonesian immigration offices and
 * checkpoints, and the office responsible for each checkpoint) into the
 * store, and answers what it says about who works where: which checkpoints
 * a checkpoint officer or a supervisor screens at and sees. Loading is
 * idempotent: rows are inserted or updated. */
#ifndef LINTAS_SERVICES_REFDATA_H
#define LINTAS_SERVICES_REFDATA_H

#include <jansson.h>
#include <stdbool.h>

struct actor;
struct buf;
struct store;
struct store_post;

/* Loads everything in one transaction. why names the file and line of a
 * malformed embedded row, or of a checkpoint whose office is not in
 * offices.csv (a build defect). The first load that gives checkpoints their
 * offices also gives the screenings recorded before it their checkpoint's
 * office (store_dep_backfill_office). */
int refdata_load(struct store *st, struct buf *why);

/* A post as `lintas offices` and GET /api/v1/offices show it: {"code",
 * "name", "kind", "province_code", "country"}, and for a checkpoint its
 * "office" (new reference, or NULL). */
json_t *refdata_post_json(const struct store_post *p);

/* The checkpoints a user screens at and whose screenings they see. A
 * checkpoint officer has the checkpoint they are placed at; a supervisor
 * placed at a checkpoint has that checkpoint, and one placed at an office
 * every checkpoint of that office; other roles are bound to no post. */
struct post_scope {
    bool bound;       /* false: every checkpoint */
    bool office;      /* bound to the checkpoints of the office `post` */
    char post[32];    /* the user's post: a checkpoint code, or an office's */
};

/* Fills *sc for who (reads who's post from the store for a supervisor).
 * Returns 0, or a store error. */
int refdata_scope(struct store *st, const struct actor *who, struct post_scope *sc);

/* Whether the checkpoint cp (looked up by the caller) is within sc. */
bool refdata_scope_has(const struct post_scope *sc, const struct store_post *cp);

/* Whether the checkpoint code cp is within sc: *in is false for a code that
 * is no post. Returns 0, or a store error. */
int refdata_scope_has_code(struct store *st, const struct post_scope *sc, const char *cp,
                           bool *in);

/* Appends to out the codes of the checkpoints of office in parentheses,
 * ", "-separated ("(none)" when it has none), for messages that tell a
 * supervisor which checkpoints are theirs; a list longer than out's max is
 * cut short. Returns 0, or a store error. */
int refdata_office_checkpoints(struct store *st, const char *office, struct buf *out);

/* Why code cp cannot be screened at by a user of scope sc, in words an
 * officer can act on, written to why; returns the error to answer with.
 * found is store_post_get's result for cp, and post what it read. A user
 * placed at a checkpoint is told that one (ERR_FORBIDDEN) whatever cp is;
 * otherwise cp is unknown (ERR_INVALID), an office (ERR_INVALID; the
 * supervisor of an office is told the office's checkpoints, a checkpoint
 * officer placed at an office that officers are placed at checkpoints), or
 * a checkpoint outside sc (ERR_FORBIDDEN, with the office's checkpoints).
 * Single screenings and manifests answer with the same words. Another
 * negative found is returned as it is. */
int refdata_why_not_here(struct store *st, const struct post_scope *sc, const char *cp,
                         int found, const struct store_post *post, struct buf *why);

#endif
