/* exchange_send: one sender thread per peer. It drains the peer's outbox in
 * sequence order, up to ENVELOPE_BATCH_MAX envelopes per HTTP POST (libcurl),
 * verifies each receipt (the peer's signature, the message id it answers
 * and the hash of the exact bytes sent), and commits the outcome with its
 * log entries. A failed POST, a 503, or a receipt that does not check out
 * leaves the messages queued: the thread retries with exponential backoff
 * and jitter until a receipt or the message's expiry, when it becomes a
 * dead letter (state expired, logged). Every heartbeat period it signs a
 * checkpoint of the log and sends it in a heartbeat. */
#include <curl/curl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/envelope.h"
#include "domain/exlog.h"
#include "domain/msgtypes.h"
#include "services/exchange.h"
#include "services/exchange_int.h"
#include "services/svc.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/ids.h"
#include "util/log.h"
#include "util/text.h"
#include "util/timeutil.h"

#define BACKOFF_MIN_MS 200
#define BACKOFF_MAX_MS 30000
#define IDLE_POLL_MS 200

struct ex_sender {
    struct exchange *ex;
    char peer_id[ENVELOPE_NODE_MAX + 1];
    pthread_t thread;
    struct ex_sender *next;
    CURL *curl;
    int64_t last_hb_ms;
};

struct out_msg {
    char id_hex[33];
    unsigned char id[ENVELOPE_ID_LEN];
    unsigned char hash[ENVELOPE_HASH_LEN];
    unsigned char *env;
    size_t len;
    int64_t expires_ms, attempts;
    char type[ENVELOPE_TYPE_MAX + 1];
    /* the outcome */
    int state; /* 0 undecided, 1 delivered, 2 rejected, 3 expired */
    char reason[32], detail[ENVELOPE_DETAIL_MAX + 1];
    struct buf receipt;
};

struct out_batch {
    struct out_msg m[ENVELOPE_BATCH_MAX];
    size_t n;
    int64_t now;
    const char *peer;
};

static void batch_free(struct out_batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->m[i].env);
        buf_free(&b->m[i].receipt);
    }
    b->n = 0;
}

static int take_queued(void *ctx, const struct store_ex_msg *row)
{
    struct out_batch *b = ctx;
    struct out_msg *m = &b->m[b->n];
    memset(m, 0, sizeof *m);
    text_copy(m->id_hex, sizeof m->id_hex, row->msg_id);
    text_copy(m->type, sizeof m->type, row->type);
    m->expires_ms = row->expires_ms;
    m->attempts = row->attempts;
    buf_init(&m->receipt, 8192);
    if (envelope_id_parse(row->msg_id, m->id) < 0 ||
        text_unhex(m->hash, sizeof m->hash, row->env_hash) < 0 ||
        ex_unhex_alloc(row->envelope, &m->env, &m->len) < 0) {
        buf_free(&m->receipt);
        return ERR_CORRUPT;
    }
    if (m->expires_ms <= b->now)
        m->state = 3;
    b->n++;
    return 0;
}

/* ---- committing outcomes ---- */

static int write_outcomes(struct store *st, void *ctx)
{
    struct out_batch *b = ctx;
    static const char *const names[] = {"queued", "delivered", "rejected", "expired"};
    int r = 0;
    for (size_t i = 0; r == 0 && i < b->n; i++) {
        struct out_msg *m = &b->m[i];
        if (m->state == 0) {
            r = store_ex_out_attempt(st, m->id_hex, b->now);
            continue;
        }
        char *rc = malloc(m->receipt.len * 2 + 1);
        if (rc == NULL)
            return ERR_NOMEM;
        ex_hex(rc, m->receipt.data ? m->receipt.data : "", m->receipt.len);
        r = store_ex_out_finish(st, m->id_hex, names[m->state], m->reason, m->detail, rc, b->now);
        free(rc);
        if (r == ERR_NOTFOUND) { /* finished meanwhile (another run): nothing to log */
            r = 0;
            continue;
        }
        if (r == 0 && m->state == 3) {
            r = ex_log(st, b->now, EXLOG_EXPIRE, b->peer, m->id, m->type, m->hash, "dead letter");
            continue;
        }
        char att[32];
        snprintf(att, sizeof att, "attempt %" PRId64, m->attempts + 1);
        unsigned char rh[ENVELOPE_HASH_LEN];
        envelope_hash(m->receipt.data, m->receipt.len, rh);
        if (r == 0)
            r = ex_log(st, b->now, EXLOG_SEND, b->peer, m->id, m->type, m->hash, att);
        if (r == 0)
            r = ex_log(st, b->now, EXLOG_RECEIPT_IN, b->peer, m->id, m->type, rh,
                       m->state == 1 ? "accepted" : m->reason);
        if (r == 0 && m->state == 2)
            r = ex_log(st, b->now, EXLOG_REJECT, b->peer, m->id, m->type, m->hash, m->reason);
    }
    return r;
}

/* ---- HTTP ---- */

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
    struct buf *b = ctx;
    return buf_append(b, p, size * n) == 0 ? size * n : 0;
}

static void inbound_url(const struct ex_peer *p, char *out, size_t n)
{
    size_t l = strlen(p->url), pl = strlen(EXCHANGE_INBOUND_PATH);
    if (l >= pl && strcmp(p->url + l - pl, EXCHANGE_INBOUND_PATH) == 0) {
        text_copy(out, n, p->url);
        return;
    }
    while (l > 0 && p->url[l - 1] == '/')
        l--;
    snprintf(out, n, "%.*s%s", (int)l, p->url, EXCHANGE_INBOUND_PATH);
}

/* POSTs frame to the peer; *answer gets the body of a 200. */
static int post(struct ex_sender *sd, const struct ex_peer *p, const struct buf *frame,
                struct buf *answer)
{
    char url[EX_URL_MAX + 64];
    long code = 0;
    inbound_url(p, url, sizeof url);
    CURL *c = sd->curl;
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/x-lintas-batch");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, frame->data);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)frame->len);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, answer);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
    if (strncmp(p->url, "https://", 8) == 0 && p->tls_pin[0] != '\0') {
        /* A partner's node is trusted by the pin of its key (from its
         * keygen), not by a certificate authority. */
        curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, p->tls_pin);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    buf_reset(answer);
    CURLcode cc = curl_easy_perform(c);
    if (cc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(h);
    if (cc != CURLE_OK || code != 200) {
        log_msg(LOG_DEBUG, "exchange: POST to %s: %s", p->id,
                cc != CURLE_OK ? curl_easy_strerror(cc) : "not 200");
        return ERR_IO;
    }
    return 0;
}

/* ---- receipts ---- */

static int receipt_lookup(void *ctx, const char *sender, const unsigned char key_id[8],
                          struct envelope_peer *peer)
{
    const struct ex_peer *p = ctx;
    if (strcmp(sender, p->id) != 0)
        return ENVELOPE_R_UNKNOWN_SENDER;
    if (memcmp(key_id, p->key_id, ENVELOPE_KEYID_LEN) != 0)
        return ENVELOPE_R_UNKNOWN_KEY;
    memcpy(peer->pk, p->pk, ENVELOPE_PK_LEN);
    peer->check_agreement = false;
    return ENVELOPE_OK;
}

/* Checks one receipt for m; sets m's outcome when it is a valid answer. */
static void take_receipt(struct exchange *ex, const struct ex_peer *p, struct out_msg *m,
                         const struct envelope_slice *rs)
{
    struct envelope e;
    struct envelope_receipt rc;
    struct buf why;
    int reason;
    struct ex_peer pc = *p;
    struct envelope_verify_opts o = {.self = ex->node_id, .now_ms = ex_now(ex),
                                     .skip_time_checks = true, .lookup = receipt_lookup,
                                     .ctx = &pc};
    if (envelope_verify(rs->data, rs->len, &o, &e, &reason) < 0 ||
        strcmp(e.type, "receipt") != 0 || memcmp(e.reply_to, m->id, ENVELOPE_ID_LEN) != 0) {
        log_msg(LOG_WARN, "exchange: a receipt from %s for %s does not verify (%s)", p->id,
                m->id_hex, envelope_reason_name(reason));
        return;
    }
    buf_init(&why, 256);
    int r = envelope_receipt_parse(e.payload, e.payload_len, &rc, &why);
    buf_free(&why);
    if (r < 0 || memcmp(rc.envelope_hash, m->hash, ENVELOPE_HASH_LEN) != 0)
        return; /* an answer about other bytes (damaged in transit): send again */
    m->state = rc.status == ENVELOPE_REJECTED ? 2 : 1;
    text_copy(m->reason, sizeof m->reason, envelope_reason_name(rc.reason));
    text_copy(m->detail, sizeof m->detail, rc.detail);
    buf_append(&m->receipt, rs->data, rs->len);
}

/* Sends the undecided messages of b; 0 when the peer answered. */
static int deliver(struct ex_sender *sd, const struct ex_peer *p, struct out_batch *b)
{
    struct envelope_slice items[ENVELOPE_BATCH_MAX], rs[ENVELOPE_BATCH_MAX];
    struct out_msg *which[ENVELOPE_BATCH_MAX];
    size_t k = 0, nr = 0;
    for (size_t i = 0; i < b->n; i++) {
        if (b->m[i].state != 0)
            continue;
        items[k] = (struct envelope_slice){b->m[i].env, b->m[i].len};
        which[k++] = &b->m[i];
    }
    if (k == 0)
        return 0;
    struct buf frame, ans;
    char sender[ENVELOPE_NODE_MAX + 1];
    buf_init(&frame, ENVELOPE_BATCH_MAX_BYTES);
    buf_init(&ans, ENVELOPE_BATCH_MAX_BYTES);
    int r = envelope_batch_encode(sd->ex->node_id, items, k, &frame);
    if (r == 0)
        r = post(sd, p, &frame, &ans);
    if (r == 0 && (envelope_batch_decode((const unsigned char *)ans.data, ans.len, sender, rs,
                                         &nr) < 0 ||
                   nr != k))
        r = ERR_IO;
    for (size_t i = 0; r == 0 && i < k; i++)
        take_receipt(sd->ex, p, which[i], &rs[i]);
    buf_free(&frame);
    buf_free(&ans);
    return r;
}

/* ---- heartbeats ---- */

struct hb {
    struct exchange *ex;
    struct buf cp;
};

static int write_checkpoint(struct store *st, void *ctx)
{
    struct hb *h = ctx;
    int64_t idx;
    char head_hex[65];
    struct exlog_checkpoint cp = {.time_ms = ex_now(h->ex)};
    int r = store_ex_log_head(st, &idx, head_hex);
    if (r < 0)
        return r;
    text_copy(cp.node, sizeof cp.node, h->ex->node_id);
    cp.size = (uint64_t)idx;
    if (idx > 0 && text_unhex(cp.head, sizeof cp.head, head_hex) < 0)
        return ERR_CORRUPT;
    buf_reset(&h->cp);
    r = exlog_checkpoint_sign(&cp, &h->ex->kp, &h->cp);
    char *hex = r == 0 ? malloc(h->cp.len * 2 + 1) : NULL;
    if (r == 0 && hex == NULL)
        r = ERR_NOMEM;
    if (r == 0) {
        ex_hex(hex, h->cp.data, h->cp.len);
        struct store_ex_ckpt k = {.node = cp.node, .own = true, .size = idx,
                                  .head = idx > 0 ? head_hex : head_hex, .at_ms = cp.time_ms,
                                  .bytes = hex};
        r = store_ex_ckpt_insert(st, &k);
    }
    char detail[48];
    snprintf(detail, sizeof detail, "size %" PRId64, idx);
    if (r == 0)
        r = ex_log(st, cp.time_ms, EXLOG_CHECKPOINT_OUT, "", NULL, "", NULL, detail);
    free(hex);
    return r;
}

static void heartbeat(struct ex_sender *sd, const struct ex_peer *p)
{
    struct exchange *ex = sd->ex;
    struct hb h = {.ex = ex};
    struct buf payload, env, frame, ans;
    buf_init(&h.cp, EXLOG_CHECKPOINT_MAX + 16);
    buf_init(&payload, 4096);
    buf_init(&env, 8192);
    buf_init(&frame, 16384);
    buf_init(&ans, 65536);
    int r = svc_write(ex->svc, write_checkpoint, &h);
    if (r == 0)
        r = exlog_heartbeat_encode((const unsigned char *)h.cp.data, h.cp.len, &payload);
    struct envelope e = {.created_ms = ex_now(ex)};
    e.expires_ms = e.created_ms + 3600 * 1000;
    text_copy(e.sender, sizeof e.sender, ex->node_id);
    text_copy(e.recipient, sizeof e.recipient, p->id);
    text_copy(e.type, sizeof e.type, "heartbeat");
    ids_random(e.msg_id, ENVELOPE_ID_LEN);
    memcpy(e.agreement, p->agreement, ENVELOPE_HASH_LEN);
    e.payload = (const unsigned char *)payload.data;
    e.payload_len = payload.len;
    if (r == 0)
        r = envelope_sign(&e, &ex->kp, &env);
    struct envelope_slice it = {(const unsigned char *)env.data, env.len};
    if (r == 0)
        r = envelope_batch_encode(ex->node_id, &it, 1, &frame);
    if (r == 0)
        r = post(sd, p, &frame, &ans);
    if (r < 0)
        log_msg(LOG_DEBUG, "exchange: heartbeat to %s not delivered", p->id);
    buf_free(&h.cp);
    buf_free(&payload);
    buf_free(&env);
    buf_free(&frame);
    buf_free(&ans);
}

/* ---- the thread ---- */

/* Waits up to ms or until kicked or stopping; returns false when stopping. */
bool ex_wait(struct exchange *ex, int64_t ms, uint64_t *gen)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t ns = ts.tv_nsec + (ms % 1000) * 1000000;
    ts.tv_sec += ms / 1000 + ns / 1000000000;
    ts.tv_nsec = ns % 1000000000;
    pthread_mutex_lock(&ex->lock);
    while (!ex->stopping && ex->wake_gen == *gen) {
        if (pthread_cond_timedwait(&ex->wake, &ex->lock, &ts) != 0)
            break;
    }
    *gen = ex->wake_gen;
    bool go = !ex->stopping;
    pthread_mutex_unlock(&ex->lock);
    return go;
}

static int64_t next_backoff(int64_t b)
{
    b = b == 0 ? BACKOFF_MIN_MS : b * 2;
    return b > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : b;
}

static int64_t jitter(int64_t b)
{
    uint32_t x;
    ids_random(&x, sizeof x);
    return b / 2 + (int64_t)(x % (uint32_t)(b / 2 + 1));
}

/* One round: expire, send a batch, commit outcomes. >0 when work was done. */
static int round_once(struct ex_sender *sd, const struct ex_peer *p, struct out_batch *b)
{
    struct exchange *ex = sd->ex;
    b->now = ex_now(ex);
    b->peer = p->id;
    int r = store_ex_out_queued(ex->svc->st, p->id, ENVELOPE_BATCH_MAX, take_queued, b);
    if (r < 0 || b->n == 0) {
        batch_free(b);
        return r < 0 ? r : 0;
    }
    int sent = deliver(sd, p, b);
    b->now = ex_now(ex);
    for (size_t i = 0; i < b->n; i++) {
        if (b->m[i].state == 3)
            log_msg(LOG_WARN, "exchange: dead letter: %s %s to %s expired undelivered",
                    b->m[i].type, b->m[i].id_hex, p->id);
    }
    r = svc_write(ex->svc, write_outcomes, b);
    bool progress = false;
    for (size_t i = 0; i < b->n; i++)
        progress = progress || b->m[i].state != 0;
    batch_free(b);
    if (r < 0)
        return r;
    return sent == 0 && progress ? 1 : progress ? 2 : ERR_IO;
}

static void *sender_main(void *arg)
{
    struct ex_sender *sd = arg;
    struct exchange *ex = sd->ex;
    struct out_batch *b = calloc(1, sizeof *b);
    uint64_t gen = 0;
    int64_t backoff = 0;
    sd->curl = curl_easy_init();
    sd->last_hb_ms = time_mono_ms() - (int64_t)ex->heartbeat_s * 1000 + 500;
    while (b != NULL && sd->curl != NULL) {
        struct ex_peer p;
        ex_peers_refresh(ex, false);
        if (ex_peer_find(ex, sd->peer_id, &p) < 0) {
            if (!ex_wait(ex, 1000, &gen))
                break;
            continue;
        }
        int r = round_once(sd, &p, b);
        if (time_mono_ms() - sd->last_hb_ms >= (int64_t)ex->heartbeat_s * 1000) {
            sd->last_hb_ms = time_mono_ms();
            heartbeat(sd, &p);
        }
        int64_t wait_ms = IDLE_POLL_MS;
        if (r < 0) {
            backoff = next_backoff(backoff);
            wait_ms = jitter(backoff);
        } else {
            backoff = 0;
            wait_ms = r > 0 ? 0 : IDLE_POLL_MS;
        }
        if (wait_ms > 0 && !ex_wait(ex, wait_ms, &gen))
            break;
        if (wait_ms == 0 && ex->stopping)
            break;
    }
    if (sd->curl != NULL)
        curl_easy_cleanup(sd->curl);
    free(b);
    return NULL;
}

int ex_senders_sync(struct exchange *ex)
{
    ex_peers_refresh(ex, false);
    pthread_mutex_lock(&ex->lock);
    int r = 0;
    for (size_t i = 0; r == 0 && i < ex->npeers && !ex->stopping; i++) {
        struct ex_sender *sd = ex->senders;
        while (sd != NULL && strcmp(sd->peer_id, ex->peers[i].id) != 0)
            sd = sd->next;
        if (sd != NULL)
            continue;
        sd = calloc(1, sizeof *sd);
        if (sd == NULL) {
            r = ERR_NOMEM;
            break;
        }
        sd->ex = ex;
        text_copy(sd->peer_id, sizeof sd->peer_id, ex->peers[i].id);
        if (pthread_create(&sd->thread, NULL, sender_main, sd) != 0) {
            free(sd);
            r = ERR_NOMEM;
            break;
        }
        sd->next = ex->senders;
        ex->senders = sd;
        log_msg(LOG_INFO, "exchange: sender for %s started", sd->peer_id);
    }
    pthread_mutex_unlock(&ex->lock);
    return r;
}

void ex_senders_stop(struct exchange *ex)
{
    pthread_mutex_lock(&ex->lock);
    struct ex_sender *sd = ex->senders;
    ex->senders = NULL;
    pthread_mutex_unlock(&ex->lock);
    while (sd != NULL) {
        struct ex_sender *next = sd->next;
        pthread_join(sd->thread, NULL);
        free(sd);
        sd = next;
    }
}
