/* envelope: the signed message of the lintas exchange protocol
 * (docs/PROTOCOL.md): Ed25519 keys and their text forms, the binary
 * envelope with its encoder/signer, decoder and verifier (one reason code
 * per failure), the batch frame that carries several envelopes in one HTTP
 * request, and the receipt a receiver signs for each envelope. Signatures
 * are made and checked over the exact bytes, with a domain prefix; the JSON
 * payload is carried as opaque bytes. Pure: no I/O and no clock (callers
 * pass "now"); thread-safe once sodium_init() has run. */
#ifndef LINTAS_DOMAIN_ENVELOPE_H
#define LINTAS_DOMAIN_ENVELOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

#define ENVELOPE_VERSION 1
#define ENVELOPE_NS_DEFAULT "lintas-exchange"
#define ENVELOPE_ID_LEN 16        /* message id bytes */
#define ENVELOPE_HASH_LEN 32      /* BLAKE2b-256 */
#define ENVELOPE_KEYID_LEN 8
#define ENVELOPE_PK_LEN 32        /* Ed25519 public key */
#define ENVELOPE_SK_LEN 64        /* libsodium Ed25519 secret key (seed || public key) */
#define ENVELOPE_SEED_LEN 32
#define ENVELOPE_SIG_LEN 64
#define ENVELOPE_NODE_MAX 64      /* bytes of a node id */
#define ENVELOPE_NS_MAX 64        /* bytes of a namespace */
#define ENVELOPE_TYPE_MAX 32      /* bytes of a type name (MSGTYPES_NAME_MAX) */
#define ENVELOPE_FIXED_LEN 179    /* every field but the variable texts and the payload */
#define ENVELOPE_BATCH_MAX 64     /* envelopes in one batch frame */
#define ENVELOPE_BATCH_MAX_BYTES (16u * 1024u * 1024u)
#define ENVELOPE_DETAIL_MAX 512   /* bytes of a receipt's detail text */
#define ENVELOPE_PUBKEY_TEXT_MAX 64
#define ENVELOPE_SECKEY_TEXT_MAX 128

/* Reason codes (docs/PROTOCOL.md, "Reason codes"). The numbers are stable;
 * receipts carry the names. */
enum envelope_reason {
    ENVELOPE_OK = 0,
    ENVELOPE_R_MALFORMED = 1,
    ENVELOPE_R_BAD_MAGIC = 2,
    ENVELOPE_R_UNKNOWN_VERSION = 3,
    ENVELOPE_R_TRAILING_DATA = 4,
    ENVELOPE_R_TOO_LARGE = 5,
    ENVELOPE_R_WRONG_NAMESPACE = 6,
    ENVELOPE_R_WRONG_RECIPIENT = 7,
    ENVELOPE_R_UNKNOWN_SENDER = 8,
    ENVELOPE_R_UNKNOWN_KEY = 9,
    ENVELOPE_R_BAD_SIGNATURE = 10,
    ENVELOPE_R_UNKNOWN_TYPE = 11,
    ENVELOPE_R_AGREEMENT_MISMATCH = 12,
    ENVELOPE_R_CLOCK_SKEW = 13,
    ENVELOPE_R_EXPIRED = 14,
    ENVELOPE_R_SCHEMA = 15,
    ENVELOPE_R_TYPE_NOT_ALLOWED = 16,
    ENVELOPE_R_FIELD_NOT_ALLOWED = 17,
    ENVELOPE_R_FIELD_NOT_TRANSFORMED = 18,
    ENVELOPE_R_SMALL_CELL = 19,
    ENVELOPE_R_COUNT
};

/* The stable name of a reason ("bad_signature"); "unknown" when out of range. */
const char *envelope_reason_name(int reason);
/* The reason with this name, or -1. */
int envelope_reason_parse(const char *name);

/* ---- Keys ---------------------------------------------------------------- */

struct envelope_keypair {
    unsigned char pk[ENVELOPE_PK_LEN];
    unsigned char sk[ENVELOPE_SK_LEN]; /* secret: wipe with envelope_keypair_wipe() */
};

/* Derives the key pair from a 32-byte seed (RFC 8032 private key). */
void envelope_keypair_from_seed(struct envelope_keypair *kp,
                                const unsigned char seed[ENVELOPE_SEED_LEN]);
/* Makes a new key pair from libsodium's CSPRNG. */
void envelope_keypair_generate(struct envelope_keypair *kp);
/* Zeroes the key pair (sodium_memzero). */
void envelope_keypair_wipe(struct envelope_keypair *kp);

/* The key id: the first 8 bytes of BLAKE2b-256 keyed "lintas.keyid.v1" over pk. */
void envelope_key_id(const unsigned char pk[ENVELOPE_PK_LEN], unsigned char id[ENVELOPE_KEYID_LEN]);
/* The key id as 16 hex characters and a NUL. */
void envelope_key_id_hex(const unsigned char pk[ENVELOPE_PK_LEN], char out[17]);

/* Appends "lintas-ed25519:<base64>" (no newline) to out. ERR_LIMIT/ERR_NOMEM. */
int envelope_pubkey_format(const unsigned char pk[ENVELOPE_PK_LEN], struct buf *out);
/* Parses exactly that text (no spaces, no newline) into pk; the point must
 * be a valid Ed25519 public key. ERR_INVALID otherwise. */
int envelope_pubkey_parse(const char *s, size_t len, unsigned char pk[ENVELOPE_PK_LEN]);

/* Appends the secret key file text "lintas-ed25519-secret-v1:<base64 seed>\n"
 * to out. The caller wipes out (sodium_memzero on out->data) when done. */
int envelope_seckey_format(const struct envelope_keypair *kp, struct buf *out);
/* Parses the secret key file text (the final newline is optional) and
 * derives the key pair. ERR_INVALID otherwise; kp is wiped on error. */
int envelope_seckey_parse(const char *s, size_t len, struct envelope_keypair *kp);

/* ---- Envelope ------------------------------------------------------------ */

/* A decoded envelope, or the fields of one to encode. Texts are NUL-
 * terminated copies; payload is borrowed (from the caller when encoding,
 * from the decoded bytes when decoding: valid while those bytes are). */
struct envelope {
    char ns[ENVELOPE_NS_MAX + 1];
    unsigned char msg_id[ENVELOPE_ID_LEN];
    char sender[ENVELOPE_NODE_MAX + 1];
    char recipient[ENVELOPE_NODE_MAX + 1];
    uint64_t seq;
    int64_t created_ms;
    int64_t expires_ms;
    unsigned char agreement[ENVELOPE_HASH_LEN];
    unsigned char reply_to[ENVELOPE_ID_LEN]; /* all zero: none */
    char type[ENVELOPE_TYPE_MAX + 1];
    unsigned char key_id[ENVELOPE_KEYID_LEN]; /* decoded; envelope_sign() uses kp's */
    const unsigned char *payload;
    size_t payload_len;
};

/* True when id is all zero (no message). */
bool envelope_id_is_zero(const unsigned char id[ENVELOPE_ID_LEN]);
/* Writes the id as 32 hex characters and a NUL. */
void envelope_id_hex(const unsigned char id[ENVELOPE_ID_LEN], char out[33]);
/* Parses 32 hex characters. ERR_INVALID otherwise. */
int envelope_id_parse(const char *s, unsigned char id[ENVELOPE_ID_LEN]);

/* H(data): BLAKE2b-256 of the exact bytes (what `b2sum -l 256` prints). */
void envelope_hash(const void *data, size_t len, unsigned char out[ENVELOPE_HASH_LEN]);

/* Checks the fields of e (character sets, lengths, created < expires, a
 * non-zero id, the payload size within LIMIT_MESSAGE), writes kp's key id,
 * and appends the signed envelope bytes to out. An empty e->ns means
 * ENVELOPE_NS_DEFAULT. The type must be in
 * the msgtypes table and its limits (sequence, reply-to, payload size) hold.
 * Returns 0, ERR_INVALID (a field is wrong), ERR_LIMIT or ERR_NOMEM; out is
 * unchanged on error. e is not modified. */
int envelope_sign(const struct envelope *e, const struct envelope_keypair *kp, struct buf *out);

/* Decodes data[0..len) (steps 1-5 of "Verification": size, magic, version,
 * fields, trailing data) into out without checking the signature. Returns
 * 0, or ERR_INVALID with *reason set. out->payload points into data. */
int envelope_decode(const unsigned char *data, size_t len, struct envelope *out, int *reason);

/* What the verifier knows about the sender, filled in by the lookup. */
struct envelope_peer {
    unsigned char pk[ENVELOPE_PK_LEN];
    unsigned char agreement[ENVELOPE_HASH_LEN]; /* the agreement hash in force */
    bool check_agreement;                       /* false: accept any agreement hash */
};

struct envelope_verify_opts {
    const char *self;       /* our node id: the recipient must equal it */
    const char *ns;         /* the namespace; NULL means ENVELOPE_NS_DEFAULT */
    int64_t now_ms;         /* the receiver's clock */
    int64_t skew_ms;        /* allowed clock skew; 0 means LIMIT_CLOCK_SKEW_S */
    bool skip_time_checks;  /* re-verifying stored evidence: no skew or expiry check */
    /* Finds sender's key with key_id. Returns ENVELOPE_OK and fills peer, or
     * ENVELOPE_R_UNKNOWN_SENDER / ENVELOPE_R_UNKNOWN_KEY. Called once. */
    int (*lookup)(void *ctx, const char *sender, const unsigned char key_id[ENVELOPE_KEYID_LEN],
                  struct envelope_peer *peer);
    void *ctx;
};

/* Decodes and verifies data[0..len) in the order of docs/PROTOCOL.md
 * ("Verification", steps 1-15). Returns 0 when the envelope is good, or
 * ERR_INVALID with *reason naming the first failed check, or ERR_NOMEM
 * when no decision could be made (answer "try later"); out holds the
 * decoded fields whenever decoding got that far (for addressing a
 * rejection receipt), and is zeroed otherwise. */
int envelope_verify(const unsigned char *data, size_t len, const struct envelope_verify_opts *o,
                    struct envelope *out, int *reason);

/* ---- Batches ------------------------------------------------------------- */

struct envelope_slice {
    const unsigned char *data;
    size_t len;
};

/* Appends a batch frame with sender and items[0..n) (1 <= n <=
 * ENVELOPE_BATCH_MAX) to out. ERR_INVALID (bad sender, n, or an empty or
 * oversized item), ERR_LIMIT (frame over ENVELOPE_BATCH_MAX_BYTES), ERR_NOMEM. */
int envelope_batch_encode(const char *sender, const struct envelope_slice *items, size_t n,
                          struct buf *out);
/* Decodes a batch frame: sender (a NUL-terminated copy) and up to
 * ENVELOPE_BATCH_MAX items borrowed from data. ERR_INVALID for a frame that
 * is malformed, has trailing data or is over its limits (nothing is
 * returned then). Items are not decoded as envelopes. */
int envelope_batch_decode(const unsigned char *data, size_t len,
                          char sender[ENVELOPE_NODE_MAX + 1],
                          struct envelope_slice items[ENVELOPE_BATCH_MAX], size_t *n);

/* ---- Receipts ------------------------------------------------------------ */

enum envelope_receipt_status {
    ENVELOPE_ACCEPTED = 1,
    ENVELOPE_DUPLICATE = 2,
    ENVELOPE_REJECTED = 3,
};

struct envelope_receipt {
    int status;                                   /* enum envelope_receipt_status */
    int reason;                                   /* enum envelope_reason; OK if accepted */
    char detail[ENVELOPE_DETAIL_MAX + 1];         /* UTF-8 text, "" for none */
    unsigned char envelope_hash[ENVELOPE_HASH_LEN]; /* H(exact bytes received) */
    int64_t received_ms;
    uint64_t log_size;
    unsigned char log_head[ENVELOPE_HASH_LEN];
};

/* Appends the receipt's JSON payload (docs/PROTOCOL.md, "Receipts"; keys in
 * that order) to out. An invalid detail (not UTF-8, control characters) is
 * replaced by its escaped form, cut to ENVELOPE_DETAIL_MAX bytes. ERR_INVALID
 * for a bad status/reason pair, ERR_LIMIT, ERR_NOMEM. */
int envelope_receipt_payload(const struct envelope_receipt *r, struct buf *out);
/* Parses a receipt payload strictly (only its keys, each of its kind).
 * ERR_INVALID with a message in why. */
int envelope_receipt_parse(const unsigned char *json, size_t len, struct envelope_receipt *out,
                           struct buf *why);

/* The message id of the receipt for an envelope with this hash. */
void envelope_receipt_id(const unsigned char envelope_hash[ENVELOPE_HASH_LEN],
                         unsigned char id[ENVELOPE_ID_LEN]);

/* What a receipt envelope is addressed with. */
struct envelope_receipt_addr {
    const char *ns;        /* NULL: ENVELOPE_NS_DEFAULT */
    const char *self;      /* the receiver (signer of the receipt) */
    const char *to;        /* the sender of the answered envelope */
    const unsigned char *reply_to;  /* its message id, or NULL when unknown */
    const unsigned char *agreement; /* the hash in force with that peer, or NULL */
    int64_t now_ms;
};

/* Builds and signs the receipt envelope for r (id from r->envelope_hash,
 * sequence 0, expiry from the type table) and appends it to out. */
int envelope_receipt_sign(const struct envelope_receipt *r, const struct envelope_receipt_addr *a,
                          const struct envelope_keypair *kp, struct buf *out);

#endif
