/* audit: the tamper-evident audit trail.
 *
 * audit_append() adds one record, chained to the one before, inside the
 * caller's write transaction, so the record commits or rolls back with the
 * change it describes. audit_verify() walks the chain. */
#ifndef LINTAS_SERVICES_AUDIT_H
#define LINTAS_SERVICES_AUDIT_H

#include <jansson.h>
#include <stdint.h>

struct actor;
struct buf;
struct store;
struct store_audit_filter;

/* Appends a record for who (NULL: no user) doing action on object
 * (otype, oid) with outcome ("ok", "denied", "failed", "locked").
 * detail may be NULL. Must run inside store_begin(st, true). */
int audit_append(struct store *st, const struct actor *who, const char *action,
                 const char *otype, const char *oid, const char *outcome, const char *detail);

/* Same, with the user given by name and role (for events before a session
 * exists, such as a failed login). */
int audit_append_as(struct store *st, const char *username, const char *role,
                    const char *request_id, const char *action, const char *otype,
                    const char *oid, const char *outcome, const char *detail);

/* Walks the whole chain. Returns 0 with *checked records when intact;
 * ERR_CORRUPT with *bad_seq and why naming the first bad record otherwise. */
int audit_verify(struct store *st, int64_t *checked, int64_t *bad_seq, struct buf *why);

/* Appends the records matching f to arr (a JSON array) as objects. */
int audit_query(struct store *st, const struct store_audit_filter *f, json_t *arr);

#endif
