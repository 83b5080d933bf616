/* envelope: encoding, signing, decoding and verification of one envelope
 * (docs/PROTOCOL.md, "The envelope" and "Verification"). The decoder walks
 * a bounded cursor over the bytes and copies the short texts out; the
 * payload stays where it is. */
#include "domain/envelope.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "domain/envelope_int.h"
#include "domain/msgtypes.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/limits.h"
#include "util/text.h"

static const char env_magic[ENVELOPE_MAGIC_LEN] = {'L', 'I', 'N', 'T', 'A',
                                                   'S', '-', 'M', 'S', 'G'};
/* Signature context: the text and its terminating NUL (26 bytes). */
static const char env_sigctx[] = "lintas-signature:envelope";

static const char *const reason_names[ENVELOPE_R_COUNT] = {
    [ENVELOPE_OK] = "ok",
    [ENVELOPE_R_MALFORMED] = "malformed",
    [ENVELOPE_R_BAD_MAGIC] = "bad_magic",
    [ENVELOPE_R_UNKNOWN_VERSION] = "unknown_version",
    [ENVELOPE_R_TRAILING_DATA] = "trailing_data",
    [ENVELOPE_R_TOO_LARGE] = "too_large",
    [ENVELOPE_R_WRONG_NAMESPACE] = "wrong_namespace",
    [ENVELOPE_R_WRONG_RECIPIENT] = "wrong_recipient",
    [ENVELOPE_R_UNKNOWN_SENDER] = "unknown_sender",
    [ENVELOPE_R_UNKNOWN_KEY] = "unknown_key",
    [ENVELOPE_R_BAD_SIGNATURE] = "bad_signature",
    [ENVELOPE_R_UNKNOWN_TYPE] = "unknown_type",
    [ENVELOPE_R_AGREEMENT_MISMATCH] = "agreement_mismatch",
    [ENVELOPE_R_CLOCK_SKEW] = "clock_skew",
    [ENVELOPE_R_EXPIRED] = "expired",
    [ENVELOPE_R_SCHEMA] = "schema",
    [ENVELOPE_R_TYPE_NOT_ALLOWED] = "type_not_allowed",
    [ENVELOPE_R_FIELD_NOT_ALLOWED] = "field_not_allowed",
    [ENVELOPE_R_FIELD_NOT_TRANSFORMED] = "field_not_transformed",
    [ENVELOPE_R_SMALL_CELL] = "small_cell",
};

const char *envelope_reason_name(int reason)
{
    if (reason < 0 || reason >= ENVELOPE_R_COUNT)
        return "unknown";
    return reason_names[reason];
}

int envelope_reason_parse(const char *name)
{
    for (int i = 0; i < ENVELOPE_R_COUNT; i++) {
        if (strcmp(reason_names[i], name) == 0)
            return i;
    }
    return -1;
}

bool envelope_id_is_zero(const unsigned char id[ENVELOPE_ID_LEN])
{
    return sodium_is_zero(id, ENVELOPE_ID_LEN) == 1;
}

void envelope_id_hex(const unsigned char id[ENVELOPE_ID_LEN], char out[33])
{
    text_hex(out, id, ENVELOPE_ID_LEN);
}

int envelope_id_parse(const char *s, unsigned char id[ENVELOPE_ID_LEN])
{
    if (strlen(s) != 2 * ENVELOPE_ID_LEN)
        return ERR_INVALID;
    return text_unhex(id, ENVELOPE_ID_LEN, s);
}

void envelope_hash(const void *data, size_t len, unsigned char out[ENVELOPE_HASH_LEN])
{
    crypto_generichash(out, ENVELOPE_HASH_LEN, data, len, NULL, 0);
}

bool envelope_text_ok(const char *s, size_t len, size_t max, int cls)
{
    if (len < 1 || len > max)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
        if (cls == ENVELOPE_CLS_NODE)
            ok = ok || (c >= 'A' && c <= 'Z') || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

void envelope_put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (unsigned char)(v & 0xFF);
        v >>= 8;
    }
}

int envelope_put_str8(struct buf *b, const char *s)
{
    size_t n = strlen(s);
    unsigned char len = (unsigned char)n;
    int r = buf_append(b, &len, 1);
    return r < 0 ? r : buf_append(b, s, n);
}

/* ---- Cursor --------------------------------------------------------------- */

bool envelope_get(struct envelope_cursor *c, void *out, size_t n)
{
    if (c->len - c->off < n)
        return false;
    memcpy(out, c->p + c->off, n);
    c->off += n;
    return true;
}

bool envelope_get_u64(struct envelope_cursor *c, uint64_t *v)
{
    unsigned char b[8];
    if (!envelope_get(c, b, 8))
        return false;
    *v = 0;
    for (int i = 0; i < 8; i++)
        *v = (*v << 8) | b[i];
    return true;
}

bool envelope_get_u32(struct envelope_cursor *c, uint32_t *v)
{
    unsigned char b[4];
    if (!envelope_get(c, b, 4))
        return false;
    *v = ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
    return true;
}

bool envelope_get_str8(struct envelope_cursor *c, char *out, size_t max, int cls)
{
    unsigned char n;
    if (!envelope_get(c, &n, 1) || n > max || !envelope_get(c, out, n))
        return false;
    out[n] = '\0';
    return envelope_text_ok(out, n, max, cls);
}

/* ---- Encoding ------------------------------------------------------------- */

static int check_fields(const struct envelope *e, const char *ns)
{
    if (!envelope_text_ok(ns, strlen(ns), ENVELOPE_NS_MAX, ENVELOPE_CLS_NODE) ||
        !envelope_text_ok(e->sender, strlen(e->sender), ENVELOPE_NODE_MAX, ENVELOPE_CLS_NODE) ||
        !envelope_text_ok(e->recipient, strlen(e->recipient), ENVELOPE_NODE_MAX,
                          ENVELOPE_CLS_NODE))
        return ERR_INVALID;
    const struct msgtypes_type *t = msgtypes_find(e->type, strlen(e->type));
    if (t == NULL || envelope_id_is_zero(e->msg_id))
        return ERR_INVALID;
    if (e->created_ms < 0 || e->expires_ms <= e->created_ms)
        return ERR_INVALID;
    if ((t->control && e->seq != 0) || (!t->control && e->seq == 0))
        return ERR_INVALID;
    if (t->needs_reply_to && envelope_id_is_zero(e->reply_to))
        return ERR_INVALID;
    if (e->payload_len > t->max_payload || (e->payload_len > 0 && e->payload == NULL))
        return ERR_LIMIT;
    return 0;
}

/* Appends fields 1-14 to b. */
static int put_fields(struct buf *b, const struct envelope *e, const char *ns,
                      const unsigned char key_id[ENVELOPE_KEYID_LEN])
{
    unsigned char ver = ENVELOPE_VERSION, n8[8], n4[4];
    int r = buf_append(b, env_magic, sizeof env_magic);
    if (r == 0)
        r = buf_append(b, &ver, 1);
    if (r == 0)
        r = envelope_put_str8(b, ns);
    if (r == 0)
        r = buf_append(b, e->msg_id, ENVELOPE_ID_LEN);
    if (r == 0)
        r = envelope_put_str8(b, e->sender);
    if (r == 0)
        r = envelope_put_str8(b, e->recipient);
    uint64_t nums[3] = {e->seq, (uint64_t)e->created_ms, (uint64_t)e->expires_ms};
    for (int i = 0; i < 3 && r == 0; i++) {
        envelope_put_u64(n8, nums[i]);
        r = buf_append(b, n8, 8);
    }
    if (r == 0)
        r = buf_append(b, e->agreement, ENVELOPE_HASH_LEN);
    if (r == 0)
        r = buf_append(b, e->reply_to, ENVELOPE_ID_LEN);
    if (r == 0)
        r = envelope_put_str8(b, e->type);
    if (r == 0)
        r = buf_append(b, key_id, ENVELOPE_KEYID_LEN);
    uint32_t pl = (uint32_t)e->payload_len;
    n4[0] = (unsigned char)(pl >> 24);
    n4[1] = (unsigned char)(pl >> 16);
    n4[2] = (unsigned char)(pl >> 8);
    n4[3] = (unsigned char)pl;
    if (r == 0)
        r = buf_append(b, n4, 4);
    if (r == 0)
        r = buf_append(b, e->payload, e->payload_len);
    return r;
}

int envelope_sign(const struct envelope *e, const struct envelope_keypair *kp, struct buf *out)
{
    const char *ns = e->ns[0] != '\0' ? e->ns : ENVELOPE_NS_DEFAULT;
    unsigned char key_id[ENVELOPE_KEYID_LEN], sig[ENVELOPE_SIG_LEN];
    struct buf tmp;
    buf_init(&tmp, LIMIT_MESSAGE + sizeof env_sigctx);
    size_t old = out->len;
    int r = check_fields(e, ns);
    if (r < 0)
        goto out;
    envelope_key_id(kp->pk, key_id);
    if ((r = buf_append(&tmp, env_sigctx, sizeof env_sigctx)) < 0 ||
        (r = put_fields(&tmp, e, ns, key_id)) < 0)
        goto out;
    if (tmp.len - sizeof env_sigctx + ENVELOPE_SIG_LEN > LIMIT_MESSAGE) {
        r = ERR_LIMIT;
        goto out;
    }
    crypto_sign_detached(sig, NULL, (const unsigned char *)tmp.data, tmp.len, kp->sk);
    if ((r = buf_append(out, tmp.data + sizeof env_sigctx, tmp.len - sizeof env_sigctx)) < 0 ||
        (r = buf_append(out, sig, sizeof sig)) < 0)
        goto out;
    r = 0;
out:
    if (r < 0 && out->data != NULL) {
        out->len = old;
        out->data[old] = '\0';
    }
    buf_free(&tmp);
    return r;
}

/* ---- Decoding ------------------------------------------------------------- */

static int decode_fields(struct envelope_cursor *c, struct envelope *e)
{
    uint64_t created, expires;
    uint32_t plen;
    if (!envelope_get_str8(c, e->ns, ENVELOPE_NS_MAX, ENVELOPE_CLS_NODE) ||
        !envelope_get(c, e->msg_id, ENVELOPE_ID_LEN) ||
        !envelope_get_str8(c, e->sender, ENVELOPE_NODE_MAX, ENVELOPE_CLS_NODE) ||
        !envelope_get_str8(c, e->recipient, ENVELOPE_NODE_MAX, ENVELOPE_CLS_NODE) ||
        !envelope_get_u64(c, &e->seq) || !envelope_get_u64(c, &created) ||
        !envelope_get_u64(c, &expires) || !envelope_get(c, e->agreement, ENVELOPE_HASH_LEN) ||
        !envelope_get(c, e->reply_to, ENVELOPE_ID_LEN) ||
        !envelope_get_str8(c, e->type, ENVELOPE_TYPE_MAX, ENVELOPE_CLS_TYPE) ||
        !envelope_get(c, e->key_id, ENVELOPE_KEYID_LEN) || !envelope_get_u32(c, &plen))
        return ENVELOPE_R_MALFORMED;
    if (created > INT64_MAX || expires > INT64_MAX || expires <= created ||
        envelope_id_is_zero(e->msg_id))
        return ENVELOPE_R_MALFORMED;
    e->created_ms = (int64_t)created;
    e->expires_ms = (int64_t)expires;
    if (c->len - c->off < ENVELOPE_SIG_LEN || c->len - c->off - ENVELOPE_SIG_LEN < plen)
        return ENVELOPE_R_MALFORMED;
    e->payload = c->p + c->off;
    e->payload_len = plen;
    c->off += plen;
    if (c->len - c->off > ENVELOPE_SIG_LEN)
        return ENVELOPE_R_TRAILING_DATA;
    return ENVELOPE_OK;
}

int envelope_decode(const unsigned char *data, size_t len, struct envelope *out, int *reason)
{
    memset(out, 0, sizeof *out);
    int why = ENVELOPE_OK;
    if (len > LIMIT_MESSAGE) {
        why = ENVELOPE_R_TOO_LARGE;
    } else if (len < ENVELOPE_MAGIC_LEN) {
        why = memcmp(data, env_magic, len) == 0 ? ENVELOPE_R_MALFORMED : ENVELOPE_R_BAD_MAGIC;
    } else if (memcmp(data, env_magic, ENVELOPE_MAGIC_LEN) != 0) {
        why = ENVELOPE_R_BAD_MAGIC;
    } else if (len < ENVELOPE_MAGIC_LEN + 1) {
        why = ENVELOPE_R_MALFORMED;
    } else if (data[ENVELOPE_MAGIC_LEN] != ENVELOPE_VERSION) {
        why = ENVELOPE_R_UNKNOWN_VERSION;
    } else {
        struct envelope_cursor c = {.p = data, .len = len, .off = ENVELOPE_MAGIC_LEN + 1};
        why = decode_fields(&c, out);
    }
    *reason = why;
    if (why != ENVELOPE_OK) {
        memset(out, 0, sizeof *out);
        return ERR_INVALID;
    }
    return 0;
}

/* ---- Verification --------------------------------------------------------- */

static int check_signature(const unsigned char *data, size_t len, const unsigned char *pk)
{
    unsigned char small[4096];
    size_t body = len - ENVELOPE_SIG_LEN, mlen = sizeof env_sigctx + body;
    unsigned char *m = mlen <= sizeof small ? small : malloc(mlen);
    if (m == NULL)
        return ERR_NOMEM;
    memcpy(m, env_sigctx, sizeof env_sigctx);
    memcpy(m + sizeof env_sigctx, data, body);
    int ok = crypto_sign_verify_detached(data + body, m, mlen, pk);
    if (m != small)
        free(m);
    return ok == 0 ? 0 : ERR_AUTH;
}

/* Steps 11-15: what the signature vouches for. */
static int check_signed(const struct envelope *e, const struct envelope_peer *peer,
                        const struct envelope_verify_opts *o)
{
    const struct msgtypes_type *t = msgtypes_find(e->type, strlen(e->type));
    if (t == NULL)
        return ENVELOPE_R_UNKNOWN_TYPE;
    if (e->payload_len > t->max_payload)
        return ENVELOPE_R_TOO_LARGE;
    if ((t->control && e->seq != 0) || (!t->control && e->seq == 0))
        return ENVELOPE_R_MALFORMED;
    if (t->needs_reply_to && envelope_id_is_zero(e->reply_to))
        return ENVELOPE_R_SCHEMA;
    if (!t->control && peer->check_agreement &&
        memcmp(e->agreement, peer->agreement, ENVELOPE_HASH_LEN) != 0)
        return ENVELOPE_R_AGREEMENT_MISMATCH;
    if (o->skip_time_checks)
        return ENVELOPE_OK;
    int64_t skew = o->skew_ms > 0 ? o->skew_ms : (int64_t)LIMIT_CLOCK_SKEW_S * 1000;
    if (e->created_ms > o->now_ms && e->created_ms - o->now_ms > skew)
        return ENVELOPE_R_CLOCK_SKEW;
    if (o->now_ms > e->expires_ms)
        return ENVELOPE_R_EXPIRED;
    return ENVELOPE_OK;
}

int envelope_verify(const unsigned char *data, size_t len, const struct envelope_verify_opts *o,
                    struct envelope *out, int *reason)
{
    struct envelope_peer peer;
    memset(&peer, 0, sizeof peer);
    int why, r = 0;
    if (envelope_decode(data, len, out, &why) < 0)
        goto out;
    const char *ns = o->ns != NULL ? o->ns : ENVELOPE_NS_DEFAULT;
    if (strcmp(out->ns, ns) != 0) {
        why = ENVELOPE_R_WRONG_NAMESPACE;
    } else if (o->self == NULL || strcmp(out->recipient, o->self) != 0) {
        why = ENVELOPE_R_WRONG_RECIPIENT;
    } else if (o->lookup == NULL) {
        why = ENVELOPE_R_UNKNOWN_SENDER;
    } else if ((why = o->lookup(o->ctx, out->sender, out->key_id, &peer)) != ENVELOPE_OK) {
        if (why != ENVELOPE_R_UNKNOWN_KEY)
            why = ENVELOPE_R_UNKNOWN_SENDER;
    } else if ((r = check_signature(data, len, peer.pk)) < 0) {
        why = ENVELOPE_R_BAD_SIGNATURE;
    } else {
        why = check_signed(out, &peer, o);
    }
out:
    sodium_memzero(&peer, sizeof peer);
    *reason = why;
    if (r == ERR_NOMEM)
        return ERR_NOMEM;
    return why == ENVELOPE_OK ? 0 : ERR_INVALID;
}
