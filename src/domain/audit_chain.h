/* audit_chain: the hash that links one audit record to the one before.
 *
 * hash = BLAKE2b-256(key = "lintas.audit.v1", prev_hash || encode(record)),
 * where encode() writes each field as an 8-byte big-endian length followed
 * by its bytes (integers as their decimal text), in the order of struct
 * audit_record. The keyed hash separates this domain from every other use
 * of BLAKE2b in lintas. Pure; thread-safe. */
#ifndef LINTAS_DOMAIN_AUDIT_CHAIN_H
#define LINTAS_DOMAIN_AUDIT_CHAIN_H

#include <stdint.h>

#define AUDIT_HASH_LEN 32

struct audit_record {
    int64_t seq;            /* 1, 2, 3, ... */
    int64_t ts_ms;          /* time of the record */
    const char *username;   /* "" for none (e.g. failed login of an unknown user) */
    const char *role;       /* "" for none */
    const char *action;     /* e.g. "user.add", "session.create" */
    const char *object_type;
    const char *object_id;
    const char *request_id; /* "" outside HTTP */
    const char *outcome;    /* "ok", "denied", "failed", ... */
    const char *detail;     /* short JSON or text, may be "" */
};

/* Computes the hash of rec chained to prev (AUDIT_HASH_LEN bytes; all zero
 * for the first record) into out. */
void audit_chain_hash(const struct audit_record *rec, const unsigned char prev[AUDIT_HASH_LEN],
                      unsigned char out[AUDIT_HASH_LEN]);

#endif
