/* policy: the bilateral agreement between two nodes (docs/agreements.md).
 * An agreement file is JSON naming the two parties and, for each direction
 * and each data message type, the payload fields that may be sent, each
 * with a transform (pass, truncate, mask, hash; anything not named is
 * dropped), the retention in days, whether onward sharing is allowed and,
 * for statistics, the small-cell threshold. The agreement is identified by
 * the BLAKE2b-256 hash of the file's exact bytes, which every envelope
 * carries. Egress makes a payload fit the agreement before it is signed;
 * ingress checks a received payload against it again and names the first
 * field that does not fit. Pure; a parsed policy is immutable, so one may be
 * shared by threads. */
#ifndef LINTAS_DOMAIN_POLICY_H
#define LINTAS_DOMAIN_POLICY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct buf;
struct policy;

#define POLICY_FORMAT 1                  /* the "lintas_agreement" version */
#define POLICY_MAX_FILE (256u * 1024u)   /* bytes of an agreement file */
#define POLICY_HASH_KEY_LEN 32           /* the keyed-hash secret */
#define POLICY_ID_MAX 128                /* bytes of an agreement id */

enum policy_transform {
    POLICY_DROP = 0,  /* not sent (also every field the agreement does not name) */
    POLICY_PASS,      /* sent as is */
    POLICY_TRUNCATE,  /* a date cut to its year: "1990-05-17" -> "1990" */
    POLICY_MASK,      /* a string cut to its last 4 characters: "****902C" */
    POLICY_HASH,      /* BLAKE2b-256 keyed with the agreement's hash key, hex */
};

/* The terms for one message type in one direction. */
struct policy_terms {
    int retention_days;       /* the receiver deletes the payload after this */
    bool onward_sharing;      /* may the receiver pass it to a third party */
    int small_cell_threshold; /* stats: counts below it are suppressed; 0 for other types */
};

/* Parses an agreement file text[0..len). On success *out is a new policy
 * (free with policy_free) whose hash is that of the exact bytes. Returns
 * ERR_INVALID with a message that names the place ("directions[0].types.
 * alert.person.fields.birth_date: ...") in why, ERR_LIMIT when the file is
 * over POLICY_MAX_FILE, ERR_NOMEM. */
int policy_parse(const char *text, size_t len, struct policy **out, struct buf *why);

/* Frees p (wiping its hash key). NULL is a no-op. */
void policy_free(struct policy *p);

/* The agreement hash (BLAKE2b-256 of the file bytes; `b2sum -l 256`). */
const unsigned char *policy_hash(const struct policy *p);
/* The same as 64 hex characters and a NUL. */
void policy_hash_hex(const struct policy *p, char out[65]);
/* The agreement's id, and party i (0 or 1). Borrowed from p. */
const char *policy_id(const struct policy *p);
const char *policy_party(const struct policy *p, int i);

/* The transform name ("pass"), or NULL; and back (-1 for an unknown name). */
const char *policy_transform_name(int t);
int policy_transform_parse(const char *name);

/* Fills *terms for type in the direction from -> to. Returns 0 when the
 * agreement allows the type that way, ERR_FORBIDDEN when it does not (or
 * from/to are not its parties), ERR_INVALID for an unknown or control type. */
int policy_terms(const struct policy *p, const char *from, const char *to, const char *type,
                 struct policy_terms *terms);

/* The transform for the field at path of type in direction from -> to
 * (POLICY_DROP when not allowed), or -1 for an unknown type or path. */
int policy_field(const struct policy *p, const char *from, const char *to, const char *type,
                 const char *path);

/* The keyed hash of a value as the hash transform computes it: the value is
 * normalised (ASCII letters upper-cased; spaces, tabs, '-', '.', '/'
 * removed) and hashed with BLAKE2b-256 keyed with the agreement's hash key
 * over "lintas.match.v1" 0x00 value. Writes 64 hex characters and a NUL. */
void policy_keyed_hash(const struct policy *p, const char *value, size_t len, char out[65]);

/* Egress: makes payload json[0..len) of type fit the agreement for from ->
 * to. Fields the agreement does not allow (and fields unknown to the type)
 * are dropped and their paths appended to dropped (comma-separated, may be
 * NULL); allowed fields are transformed; statistics cells under the
 * small-cell threshold get a null count. The result (compact JSON, same key
 * order) is appended to out. Returns 0; ERR_FORBIDDEN when the type is not
 * allowed that way; ERR_INVALID when the payload is not a JSON object of the
 * type's shape (a known field of the wrong kind, a required field missing);
 * ERR_LIMIT when the result is over the type's payload limit; ERR_NOMEM.
 * why names the problem. */
int policy_egress(const struct policy *p, const char *from, const char *to, const char *type,
                  const char *json, size_t len, struct buf *out, struct buf *dropped,
                  struct buf *why);

/* Ingress: checks a received payload of type from -> to. Returns 0 and, when
 * out is not NULL, the decoded object (a new reference). Otherwise
 * ERR_FORBIDDEN or ERR_INVALID with *reason set to an envelope reason code
 * (ENVELOPE_R_TYPE_NOT_ALLOWED, _FIELD_NOT_ALLOWED, _FIELD_NOT_TRANSFORMED,
 * _SCHEMA, _SMALL_CELL, _UNKNOWN_TYPE) and why naming the field. */
int policy_ingress(const struct policy *p, const char *from, const char *to, const char *type,
                   const char *json, size_t len, json_t **out, int *reason, struct buf *why);

/* Appends an agreement file between self and peer that allows every field
 * of every data type in both directions (pass), retention 365 days, no
 * onward sharing, small-cell threshold 5, with the given id and hash key, as
 * indented JSON ending in a newline. It parses with policy_parse().
 * ERR_INVALID for a bad node id or agreement id, ERR_NOMEM, ERR_LIMIT. */
int policy_template(const char *self, const char *peer, const char *id,
                    const unsigned char hash_key[POLICY_HASH_KEY_LEN], struct buf *out);

#endif
