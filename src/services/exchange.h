/* exchange: this node's side of the exchange between lintas nodes
 * (docs/PROTOCOL.md, docs/exchange.md). It holds the node's identity (node
 * id and Ed25519 key, read from the keys directory, never stored in the
 * database), its peers and their agreements, and runs the message flow:
 * a focal point's submit is filtered by the agreement (egress), signed and
 * queued (outbox row and log entry in one transaction); a sender thread per
 * peer delivers the queue in sequence order, in batches, with backoff,
 * until a signed receipt or expiry; the receiver verifies each envelope,
 * checks the agreement again (ingress), commits inbox row, log entry and
 * channel state, and only then answers with a signed receipt; an applier
 * thread turns received messages into effect (partner watchlist entries,
 * consular cases, bulletin indicators, the focal point's query queue).
 * Every step is in the hash-chained exchange log; checkpoints of it travel
 * in heartbeats. Thread-safe once opened. */
#ifndef LINTAS_SERVICES_EXCHANGE_H
#define LINTAS_SERVICES_EXCHANGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct actor;
struct buf;
struct exchange;
struct store;
struct svc;

#define EXCHANGE_SECRET_FILE "node.key"     /* in the keys directory, mode 0600 */
#define EXCHANGE_PUBLIC_FILE "node.pub"     /* the public key line */
#define EXCHANGE_INBOUND_PATH "/api/v1/exchange/inbound"

/* Makes a new key pair in dir (created 0700 when absent; refuses to
 * overwrite a key) and appends the public key line to publine. */
int exchange_keygen(const char *dir, struct buf *publine, struct buf *why);

struct exchange_opts {
    const char *node_id;  /* NULL: the id recorded by the last lintas serve */
    const char *keys_dir; /* NULL: the directory recorded by the last lintas serve */
    int heartbeat_s;      /* heartbeat period of the senders; 0: 60 */
    bool record;          /* remember node id and keys directory in the database */
    bool need_keys;       /* fail when there is no key (sending needs one) */
};

/* Loads the node identity and the peers and sets s->ex. Starts no thread. */
int exchange_open(struct svc *s, const struct exchange_opts *o, struct buf *why);
/* Starts the sender threads (one per peer, also for peers added later) and
 * the applier thread. */
int exchange_start(struct svc *s);
/* Stops the threads and frees s->ex (the key is wiped). NULL is a no-op. */
void exchange_close(struct svc *s);
/* This node's id ("" when none). */
const char *exchange_node_id(const struct svc *s);

/* ---- peers (administrator, command line) ---- */

struct exchange_peer_in {
    const char *node_id, *url, *public_key, *tls_pin; /* tls_pin may be NULL */
    const char *agreement;                            /* the file text */
    size_t agreement_len;
};
/* Adds or replaces a peer after checking the key line and the agreement
 * (whose parties must be this node and the peer). Logged and audited. */
int exchange_peer_add(struct svc *s, const struct actor *who, const struct exchange_peer_in *p,
                      struct buf *why);
int exchange_peer_remove(struct svc *s, const struct actor *who, const char *node_id,
                         struct buf *why);
/* A JSON array of {"node_id", "url", "public_key", "key_id", "agreement_hash", "tls_pin"}. */
int exchange_peer_list(struct svc *s, json_t **out);

/* ---- messages ---- */

struct exchange_msg_in {
    const char *to, *type;
    const char *payload; /* JSON object text */
    size_t len;
    const char *reply_to;  /* 32 hex, or NULL */
    int64_t lifetime_s;    /* 0: the type's default */
};
/* Submits a message: egress policy, sign, outbox row and log entry in one
 * transaction. msg_id gets the 32-hex id once that has committed. */
int exchange_submit(struct svc *s, const struct actor *who, const struct exchange_msg_in *m,
                    char msg_id[33], struct buf *why);

/* The inbound endpoint: body is a batch frame. Appends the answer (a batch
 * of receipts) to out and sets *status (200, 400, 413, 503). */
void exchange_receive(struct svc *s, const unsigned char *body, size_t len, struct buf *out,
                      int *status);

/* JSON objects {"id", "direction", "peer", "type", "state", ...} of the
 * outbox ("out"), the inbox ("in") or both (NULL), appended to arr; state
 * filters when not NULL. Oldest first. */
int exchange_list(struct svc *s, const char *direction, const char *state, json_t *arr);
/* Queries received, with their deadline and whether they are overdue. */
int exchange_queries(struct svc *s, bool open_only, json_t *arr);

/* Records a focal point's read (action "exchange.list", ...) in the audit trail. */
int exchange_audit(struct svc *s, const struct actor *who, const char *action, const char *oid);
/* The sender of the query msg_id (for its answer). ERR_NOTFOUND. */
int exchange_query_sender(struct svc *s, const char *msg_id, char peer[65]);

/* Checks the exchange log chain, our checkpoints against it, and each
 * peer's checkpoints against each other. 0, or ERR_CORRUPT with why naming
 * the first bad entry. report gets a one-line summary. */
int exchange_verify(struct svc *s, struct buf *report, struct buf *why);

/* For screening: whether the sponsor's name, company or phone is a live
 * bulletin indicator. *out gets {"sponsor_name", "sponsor_company",
 * "sponsor_phone"} booleans and "bulletin" when one matched. Strings may be
 * NULL or "". While the database holds no indicator at all (known from
 * s->indicators, learnt once and set when a bulletin stores one) no
 * look-up is made. */
int exchange_indicator_facts(struct svc *s, const char *name, const char *company,
                             const char *phone, json_t **out);

#endif
