/* exlog: the pure pieces of the exchange log (docs/PROTOCOL.md, "The
 * exchange log"): the hash that chains one log entry to the one before
 * (BLAKE2b-256 keyed "lintas.exlog.v1" over the previous hash and a fixed,
 * length-prefixed encoding of the entry), a verifier that walks a chain and
 * names the first bad entry, and signed checkpoints ("my log has N entries
 * and head H") with their consistency rule and the heartbeat payload that
 * carries them. Pure; thread-safe once sodium_init() has run. */
#ifndef LINTAS_DOMAIN_EXLOG_H
#define LINTAS_DOMAIN_EXLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/envelope.h"

struct buf;

#define EXLOG_HASH_LEN 32
#define EXLOG_CHECKPOINT_MAX (10 + 1 + 1 + ENVELOPE_NODE_MAX + 8 + 32 + 8 + 8 + 64)

/* What happened. The numbers are part of the chained encoding: never renumber. */
enum exlog_kind {
    EXLOG_SUBMIT = 1,         /* a focal point submitted; the outbox row exists */
    EXLOG_SEND = 2,           /* an envelope was handed to the transport */
    EXLOG_RECEIPT_IN = 3,     /* a peer's receipt for one of ours was verified */
    EXLOG_RECEIVE = 4,        /* a peer's envelope was verified and stored */
    EXLOG_RECEIPT_OUT = 5,    /* we answered an envelope with a receipt */
    EXLOG_APPLY = 6,          /* a received message took effect */
    EXLOG_REJECT = 7,         /* an envelope (ours or theirs) was rejected */
    EXLOG_EXPIRE = 8,         /* an outgoing message expired undelivered */
    EXLOG_CHECKPOINT_IN = 9,  /* a peer's checkpoint was verified and kept */
    EXLOG_CHECKPOINT_OUT = 10,/* we signed a checkpoint */
    EXLOG_PEER = 11,          /* a peer, its key or its agreement changed */
};

/* Name of a kind ("submit"), "unknown" when out of range; and back (-1). */
const char *exlog_kind_name(int kind);
int exlog_kind_parse(const char *name);

/* One entry. Texts are borrowed, NUL-terminated; NULL counts as "". */
struct exlog_entry {
    uint64_t index;                          /* 1, 2, 3, ... */
    int64_t time_ms;
    int kind;                                /* enum exlog_kind */
    const char *peer;                        /* node id, or "" */
    unsigned char msg_id[ENVELOPE_ID_LEN];   /* zero for none */
    const char *type;                        /* message type, or "" */
    unsigned char hash[ENVELOPE_HASH_LEN];   /* H(envelope bytes), zero for none */
    const char *detail;                      /* short text, or "" */
};

/* entry_hash = BLAKE2b-256(key "lintas.exlog.v1", prev || encode(e)); prev is
 * all zero before the first entry. */
void exlog_entry_hash(const struct exlog_entry *e, const unsigned char prev[EXLOG_HASH_LEN],
                      unsigned char out[EXLOG_HASH_LEN]);

/* Walks a chain entry by entry. Start with exlog_verifier_init(), then feed
 * each entry with the hash stored for it. */
struct exlog_verifier {
    uint64_t next_index;                /* the index the next entry must have */
    unsigned char head[EXLOG_HASH_LEN]; /* hash of the last good entry */
};

void exlog_verifier_init(struct exlog_verifier *v);
/* Checks that e has the next index and that stored equals its chained hash.
 * Returns 0 and advances, or ERR_CORRUPT (v is unchanged: v->next_index
 * names the first bad entry). */
int exlog_verifier_step(struct exlog_verifier *v, const struct exlog_entry *e,
                        const unsigned char stored[EXLOG_HASH_LEN]);

/* ---- Checkpoints ---------------------------------------------------------- */

struct exlog_checkpoint {
    char node[ENVELOPE_NODE_MAX + 1];
    uint64_t size;                          /* entries in the log */
    unsigned char head[EXLOG_HASH_LEN];     /* hash of entry `size`; zero when size is 0 */
    int64_t time_ms;
    unsigned char key_id[ENVELOPE_KEYID_LEN]; /* set by exlog_checkpoint_sign() */
};

/* Encodes and signs cp with kp and appends the bytes to out. ERR_INVALID
 * for a bad node id or negative time, ERR_NOMEM, ERR_LIMIT. */
int exlog_checkpoint_sign(const struct exlog_checkpoint *cp, const struct envelope_keypair *kp,
                          struct buf *out);
/* Decodes without checking the signature (to find node and key id).
 * ERR_INVALID for bad magic, version, fields or trailing data. */
int exlog_checkpoint_decode(const unsigned char *data, size_t len, struct exlog_checkpoint *out);
/* Decodes and checks the signature with pk: 0, ERR_INVALID (malformed, or
 * pk's key id is not the one named), ERR_AUTH (bad signature). */
int exlog_checkpoint_verify(const unsigned char *data, size_t len,
                            const unsigned char pk[ENVELOPE_PK_LEN], struct exlog_checkpoint *out);

/* Checks two checkpoints of one node, older first: same node, time and
 * size never go back, and equal sizes have equal heads. 0 or ERR_CORRUPT. */
int exlog_checkpoint_consistent(const struct exlog_checkpoint *older,
                                const struct exlog_checkpoint *newer);

/* The heartbeat payload {"checkpoint":"<hex>"} for checkpoint bytes. */
int exlog_heartbeat_encode(const unsigned char *cp, size_t len, struct buf *out);
/* Parses a heartbeat payload strictly and appends the checkpoint bytes to
 * cp. ERR_INVALID with why. */
int exlog_heartbeat_decode(const unsigned char *json, size_t len, struct buf *cp, struct buf *why);

#endif
