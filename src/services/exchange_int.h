/* exchange_int: what the exchange files share — the node state, the peer
 * cache, the log append helper and hex conversion. Internal to
 * services/exchange*.c. */
#ifndef LINTAS_SERVICES_EXCHANGE_INT_H
#define LINTAS_SERVICES_EXCHANGE_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/envelope.h"
#include "services/exchange.h"

struct policy;
struct svc;

#define EX_MAX_PEERS 32
#define EX_URL_MAX 512

/* One peer as the threads see it; copied out of the cache under its lock. */
struct ex_peer {
    char id[ENVELOPE_NODE_MAX + 1];
    char url[EX_URL_MAX];
    char tls_pin[128];
    unsigned char pk[ENVELOPE_PK_LEN];
    unsigned char key_id[ENVELOPE_KEYID_LEN];
    unsigned char agreement[ENVELOPE_HASH_LEN];
    struct policy *pol; /* owned by the cache; never freed before exchange_close */
};

struct ex_sender;

struct exchange {
    struct svc *svc;
    char node_id[ENVELOPE_NODE_MAX + 1];
    bool has_key;
    struct envelope_keypair kp; /* secret: wiped at close */
    int heartbeat_s;
    int64_t clock_offset_ms;    /* tests only: LINTAS_TEST_CLOCK_OFFSET_MS */

    pthread_mutex_t lock;       /* the cache, the thread list and the flags */
    pthread_cond_t wake;        /* work for the applier, or stopping */
    struct ex_peer peers[EX_MAX_PEERS];
    size_t npeers;
    int64_t peers_loaded_ms;
    struct policy **retired;    /* policies replaced while serving */
    size_t nretired, cap_retired;

    bool stopping, started;
    uint64_t wake_gen;          /* bumped by exchange_kick() */
    pthread_t applier;
    struct ex_sender *senders;  /* one per peer id, linked */
};

/* True for a node id: 1-64 of A-Z a-z 0-9 . _ - */
bool ex_node_id_ok(const char *s);
/* The exchange's clock (now plus the test offset). */
int64_t ex_now(const struct exchange *ex);
/* Reloads the peer cache when older than a second (or force). */
int ex_peers_refresh(struct exchange *ex, bool force);
/* Copies the peer with this id into out. ERR_NOTFOUND. */
int ex_peer_find(struct exchange *ex, const char *id, struct ex_peer *out);
/* Waits up to ms or until kicked or stopping; false when stopping. */
bool ex_wait(struct exchange *ex, int64_t ms, uint64_t *gen);
/* Wakes the applier and the senders. */
void ex_kick(struct exchange *ex);

/* Appends one log entry inside the caller's write transaction. msg_id and
 * hash may be NULL (zero). */
int ex_log(struct store *st, int64_t now_ms, int kind, const char *peer,
           const unsigned char *msg_id, const char *type, const unsigned char *hash,
           const char *detail);

/* Hex helpers: out gets 2*len characters and a NUL (caller-sized). */
void ex_hex(char *out, const void *p, size_t len);
/* Decodes hex text into a new buffer (*out, freed by the caller). */
int ex_unhex_alloc(const char *hex, unsigned char **out, size_t *len);

/* The sender threads (exchange_net.c). */
int ex_senders_sync(struct exchange *ex);
void ex_senders_stop(struct exchange *ex);
/* The applier thread body (exchange_apply.c). */
void *ex_applier_main(void *arg);

#endif
