/* exchange: the node identity and key files, the peer cache, the exchange
 * log helper, peers (add, remove, list) and the focal point's submit: the
 * egress policy, the signed envelope, and the outbox row with its log entry
 * committed in one transaction before the message id is returned. */
#include "services/exchange.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/envelope.h"
#include "domain/exlog.h"
#include "domain/msgtypes.h"
#include "domain/policy.h"
#include "services/audit.h"
#include "services/exchange_int.h"
#include "services/svc.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/ids.h"
#include "util/log.h"
#include "util/text.h"
#include "util/timeutil.h"

/* ---- small helpers ---- */

void ex_hex(char *out, const void *p, size_t len)
{
    text_hex(out, p, len);
}

int ex_unhex_alloc(const char *hex, unsigned char **out, size_t *len)
{
    size_t n = strlen(hex);
    *out = NULL;
    *len = 0;
    if (n % 2 != 0)
        return ERR_CORRUPT;
    unsigned char *b = malloc(n / 2 + 1);
    if (b == NULL)
        return ERR_NOMEM;
    if (n > 0 && text_unhex(b, n / 2, hex) < 0) {
        free(b);
        return ERR_CORRUPT;
    }
    *out = b;
    *len = n / 2;
    return 0;
}

bool ex_node_id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > ENVELOPE_NODE_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') &&
            c != '.' && c != '_' && c != '-')
            return false;
    }
    return true;
}

int64_t ex_now(const struct exchange *ex)
{
    return time_now_ms() + (ex ? ex->clock_offset_ms : 0);
}

int ex_log(struct store *st, int64_t now_ms, int kind, const char *peer,
           const unsigned char *msg_id, const char *type, const unsigned char *hash,
           const char *detail)
{
    int64_t idx;
    char head_hex[65], id_hex[33], h_hex[65], eh_hex[65];
    unsigned char prev[EXLOG_HASH_LEN], eh[EXLOG_HASH_LEN];
    int r = store_ex_log_head(st, &idx, head_hex);
    if (r < 0)
        return r;
    if (text_unhex(prev, sizeof prev, head_hex) < 0)
        return ERR_CORRUPT;
    struct exlog_entry e = {.index = (uint64_t)idx + 1, .time_ms = now_ms, .kind = kind,
                            .peer = peer ? peer : "", .type = type ? type : "",
                            .detail = detail ? detail : ""};
    if (msg_id != NULL)
        memcpy(e.msg_id, msg_id, ENVELOPE_ID_LEN);
    if (hash != NULL)
        memcpy(e.hash, hash, ENVELOPE_HASH_LEN);
    exlog_entry_hash(&e, prev, eh);
    ex_hex(id_hex, e.msg_id, ENVELOPE_ID_LEN);
    ex_hex(h_hex, e.hash, ENVELOPE_HASH_LEN);
    ex_hex(eh_hex, eh, EXLOG_HASH_LEN);
    struct store_ex_log row = {.idx = idx + 1, .at_ms = now_ms, .kind = kind, .peer = e.peer,
                               .msg_id = id_hex, .type = e.type, .hash = h_hex,
                               .detail = e.detail, .entry_hash = eh_hex};
    return store_ex_log_insert(st, &row);
}

/* ---- key files ---- */

static int read_small_file(const char *path, char *out, size_t n, bool secret, struct buf *why)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        buf_printf(why, "%s: cannot open (%s)", path, strerror(errno));
        return ERR_IO;
    }
    struct stat sb;
    if (secret && fstat(fd, &sb) == 0 && (sb.st_mode & 077) != 0)
        log_msg(LOG_WARN, "%s: the secret key file is readable by others (chmod 600)", path);
    ssize_t got = read(fd, out, n - 1);
    close(fd);
    if (got < 0) {
        buf_printf(why, "%s: cannot read", path);
        return ERR_IO;
    }
    out[got] = '\0';
    return 0;
}

static int load_key(const char *dir, struct envelope_keypair *kp, struct buf *why)
{
    char path[1100], text[ENVELOPE_SECKEY_TEXT_MAX + 2];
    snprintf(path, sizeof path, "%s/%s", dir, EXCHANGE_SECRET_FILE);
    int r = read_small_file(path, text, sizeof text, true, why);
    if (r == 0 && envelope_seckey_parse(text, strlen(text), kp) < 0) {
        buf_printf(why, "%s: not a lintas secret key file", path);
        r = ERR_INVALID;
    }
    sodium_memzero(text, sizeof text);
    return r;
}

static int write_file(const char *path, const char *data, size_t len, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return ERR_IO;
    bool ok = write(fd, data, len) == (ssize_t)len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    return ok ? 0 : ERR_IO;
}

int exchange_keygen(const char *dir, struct buf *publine, struct buf *why)
{
    char spath[1100], ppath[1100];
    if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
        buf_printf(why, "%s: cannot create the directory (%s)", dir, strerror(errno));
        return ERR_IO;
    }
    snprintf(spath, sizeof spath, "%s/%s", dir, EXCHANGE_SECRET_FILE);
    snprintf(ppath, sizeof ppath, "%s/%s", dir, EXCHANGE_PUBLIC_FILE);
    if (access(spath, F_OK) == 0) {
        buf_printf(why, "%s exists: refusing to overwrite a node key", spath);
        return ERR_EXISTS;
    }
    struct envelope_keypair kp;
    struct buf sec, pub;
    buf_init(&sec, 256);
    buf_init(&pub, 256);
    envelope_keypair_generate(&kp);
    int r = envelope_seckey_format(&kp, &sec);
    if (r == 0)
        r = envelope_pubkey_format(kp.pk, &pub);
    if (r == 0 && (r = write_file(spath, sec.data, sec.len, 0600)) < 0)
        buf_printf(why, "%s: cannot write (%s)", spath, strerror(errno));
    if (r == 0 && buf_putc(&pub, '\n') == 0 && (r = write_file(ppath, pub.data, pub.len, 0644)) < 0)
        buf_printf(why, "%s: cannot write (%s)", ppath, strerror(errno));
    if (r == 0)
        r = buf_append(publine, pub.data, pub.len - 1);
    if (sec.data != NULL)
        sodium_memzero(sec.data, sec.len);
    buf_free(&sec);
    buf_free(&pub);
    envelope_keypair_wipe(&kp);
    return r;
}

/* ---- the peer cache ---- */

struct peer_load {
    struct exchange *ex;
    struct ex_peer fresh[EX_MAX_PEERS];
    size_t n;
    int err;
};

static struct policy *reuse_policy(struct exchange *ex, const char *hash_hex)
{
    for (size_t i = 0; i < ex->npeers; i++) {
        char h[65];
        ex_hex(h, ex->peers[i].agreement, ENVELOPE_HASH_LEN);
        if (strcmp(h, hash_hex) == 0)
            return ex->peers[i].pol;
    }
    return NULL;
}

static int load_peer(void *ctx, const struct store_ex_peer *p)
{
    struct peer_load *pl = ctx;
    if (pl->n == EX_MAX_PEERS)
        return 0;
    struct ex_peer *e = &pl->fresh[pl->n];
    memset(e, 0, sizeof *e);
    text_copy(e->id, sizeof e->id, p->node_id);
    text_copy(e->url, sizeof e->url, p->url);
    text_copy(e->tls_pin, sizeof e->tls_pin, p->tls_pin);
    if (envelope_pubkey_parse(p->public_key, strlen(p->public_key), e->pk) < 0 ||
        text_unhex(e->agreement, sizeof e->agreement, p->agreement_hash) < 0) {
        log_msg(LOG_ERROR, "exchange: peer %s: stored key or agreement hash is bad", p->node_id);
        return 0;
    }
    envelope_key_id(e->pk, e->key_id);
    e->pol = reuse_policy(pl->ex, p->agreement_hash);
    if (e->pol == NULL) {
        struct buf why;
        buf_init(&why, 512);
        if (policy_parse(p->agreement, strlen(p->agreement), &e->pol, &why) < 0) {
            log_msg(LOG_ERROR, "exchange: peer %s: agreement: %s", p->node_id, buf_cstr(&why));
            buf_free(&why);
            return 0;
        }
        buf_free(&why);
    }
    pl->n++;
    return 0;
}

/* Keeps pol for freeing at close unless one of keep[0..n) still uses it. */
static void retire(struct exchange *ex, struct policy *pol, const struct ex_peer *keep, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (keep[i].pol == pol)
            return;
    }
    for (size_t i = 0; i < ex->nretired; i++) {
        if (ex->retired[i] == pol)
            return;
    }
    if (ex->nretired == ex->cap_retired) {
        size_t cap = ex->cap_retired ? ex->cap_retired * 2 : 8;
        struct policy **p = realloc(ex->retired, cap * sizeof *p);
        if (p == NULL)
            return; /* leaked rather than freed under a reader */
        ex->retired = p;
        ex->cap_retired = cap;
    }
    ex->retired[ex->nretired++] = pol;
}

int ex_peers_refresh(struct exchange *ex, bool force)
{
    int64_t now = time_mono_ms();
    pthread_mutex_lock(&ex->lock);
    bool fresh = !force && ex->peers_loaded_ms != 0 && now - ex->peers_loaded_ms < 1000;
    pthread_mutex_unlock(&ex->lock);
    if (fresh)
        return 0;
    struct peer_load *pl = calloc(1, sizeof *pl);
    if (pl == NULL)
        return ERR_NOMEM;
    pl->ex = ex;
    pthread_mutex_lock(&ex->lock);
    int r = store_ex_peer_list(ex->svc->st, load_peer, pl);
    if (r == 0) {
        for (size_t i = 0; i < ex->npeers; i++)
            retire(ex, ex->peers[i].pol, pl->fresh, pl->n);
        memcpy(ex->peers, pl->fresh, pl->n * sizeof pl->fresh[0]);
        ex->npeers = pl->n;
        ex->peers_loaded_ms = now;
    } else {
        /* Policies parsed for this load and not kept must not leak. */
        for (size_t i = 0; i < pl->n; i++)
            retire(ex, pl->fresh[i].pol, ex->peers, ex->npeers);
    }
    pthread_mutex_unlock(&ex->lock);
    free(pl);
    return r;
}

int ex_peer_find(struct exchange *ex, const char *id, struct ex_peer *out)
{
    int r = ERR_NOTFOUND;
    pthread_mutex_lock(&ex->lock);
    for (size_t i = 0; i < ex->npeers; i++) {
        if (strcmp(ex->peers[i].id, id) == 0) {
            *out = ex->peers[i];
            r = 0;
            break;
        }
    }
    pthread_mutex_unlock(&ex->lock);
    return r;
}

void ex_kick(struct exchange *ex)
{
    pthread_mutex_lock(&ex->lock);
    ex->wake_gen++;
    pthread_cond_broadcast(&ex->wake);
    pthread_mutex_unlock(&ex->lock);
}

/* ---- open and close ---- */

static void curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_ALL);
}

static int identity(struct svc *s, struct exchange *ex, const struct exchange_opts *o,
                    struct buf *why)
{
    char dir[1024] = "", node[ENVELOPE_NODE_MAX + 1] = "";
    if (o->node_id != NULL)
        text_copy(node, sizeof node, o->node_id);
    else
        store_ex_node_get(s->st, "node_id", node, sizeof node);
    if (o->keys_dir != NULL)
        text_copy(dir, sizeof dir, o->keys_dir);
    else
        store_ex_node_get(s->st, "keys_dir", dir, sizeof dir);
    if (node[0] != '\0' && !ex_node_id_ok(node)) {
        buf_printf(why, "node id '%s': use letters, digits, '.', '_' or '-'", node);
        return ERR_USAGE;
    }
    text_copy(ex->node_id, sizeof ex->node_id, node);
    if (dir[0] != '\0') {
        int r = load_key(dir, &ex->kp, why);
        if (r < 0)
            return r;
        ex->has_key = true;
    }
    char own[ENVELOPE_PUBKEY_TEXT_MAX + 1];
    if (!ex->has_key && store_ex_node_get(s->st, "public_key", own, sizeof own) == 0)
        envelope_pubkey_parse(own, strlen(own), ex->kp.pk); /* for verifying our checkpoints */
    if (o->need_keys && (!ex->has_key || node[0] == '\0')) {
        buf_puts(why, "this node has no identity: give --node-id and --keys (or run lintas "
                      "serve with them once)");
        return ERR_USAGE;
    }
    if (o->record && node[0] != '\0' && ex->has_key) {
        char abs[1100], pub[ENVELOPE_PUBKEY_TEXT_MAX + 1];
        struct buf pb;
        buf_init(&pb, sizeof pub);
        envelope_pubkey_format(ex->kp.pk, &pb);
        text_copy(pub, sizeof pub, buf_cstr(&pb));
        buf_free(&pb);
        if (realpath(dir, abs) == NULL)
            text_copy(abs, sizeof abs, dir);
        int r = store_begin(s->st, true);
        if (r == 0)
            r = store_ex_node_set(s->st, "node_id", node);
        if (r == 0)
            r = store_ex_node_set(s->st, "keys_dir", abs);
        if (r == 0)
            r = store_ex_node_set(s->st, "public_key", pub);
        r = r == 0 ? store_commit(s->st) : r;
        if (r < 0)
            store_rollback(s->st);
        return r;
    }
    return 0;
}

int exchange_open(struct svc *s, const struct exchange_opts *o, struct buf *why)
{
    static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
    struct exchange *ex = calloc(1, sizeof *ex);
    if (ex == NULL)
        return ERR_NOMEM;
    if (sodium_init() < 0) {
        free(ex);
        return ERR_INTERNAL;
    }
    pthread_once(&curl_once, curl_init_once);
    ex->svc = s;
    ex->heartbeat_s = o->heartbeat_s > 0 ? o->heartbeat_s : 60;
    const char *off = getenv("LINTAS_TEST_CLOCK_OFFSET_MS");
    int64_t v;
    if (off != NULL && text_parse_i64(off, -(INT64_C(1) << 40), INT64_C(1) << 40, &v) == 0)
        ex->clock_offset_ms = v;
    pthread_mutex_init(&ex->lock, NULL);
    pthread_cond_init(&ex->wake, NULL);
    s->ex = ex;
    int r = identity(s, ex, o, why);
    if (r == 0)
        r = ex_peers_refresh(ex, true);
    if (r < 0)
        exchange_close(s);
    return r;
}

const char *exchange_node_id(const struct svc *s)
{
    return s->ex != NULL ? s->ex->node_id : "";
}

int exchange_start(struct svc *s)
{
    struct exchange *ex = s->ex;
    if (ex == NULL || ex->node_id[0] == '\0' || !ex->has_key)
        return ERR_USAGE;
    pthread_mutex_lock(&ex->lock);
    ex->started = true;
    pthread_mutex_unlock(&ex->lock);
    if (pthread_create(&ex->applier, NULL, ex_applier_main, ex) != 0) {
        ex->started = false;
        return ERR_NOMEM;
    }
    return ex_senders_sync(ex);
}

void exchange_close(struct svc *s)
{
    struct exchange *ex = s ? s->ex : NULL;
    if (ex == NULL)
        return;
    pthread_mutex_lock(&ex->lock);
    ex->stopping = true;
    pthread_cond_broadcast(&ex->wake);
    bool started = ex->started;
    pthread_mutex_unlock(&ex->lock);
    if (started) {
        pthread_join(ex->applier, NULL);
        ex_senders_stop(ex);
    }
    for (size_t i = 0; i < ex->npeers; i++)
        retire(ex, ex->peers[i].pol, NULL, 0);
    for (size_t i = 0; i < ex->nretired; i++)
        policy_free(ex->retired[i]);
    free(ex->retired);
    envelope_keypair_wipe(&ex->kp);
    pthread_mutex_destroy(&ex->lock);
    pthread_cond_destroy(&ex->wake);
    free(ex);
    s->ex = NULL;
}
