/* exlog: hash chaining of exchange log entries, chain verification, and
 * signed checkpoints. The entry encoding is binary and length-prefixed, so
 * that moving a byte from one field to the next changes the hash. */
#include "domain/exlog.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "domain/envelope_int.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/text.h"

static const char exlog_key[] = "lintas.exlog.v1";
static const char ckp_magic[ENVELOPE_MAGIC_LEN] = {'L', 'I', 'N', 'T', 'A',
                                                   'S', '-', 'C', 'K', 'P'};
/* Signature context: the text and its terminating NUL. */
static const char ckp_sigctx[] = "lintas-signature:checkpoint";

static const char *const kind_names[] = {
    [EXLOG_SUBMIT] = "submit",
    [EXLOG_SEND] = "send",
    [EXLOG_RECEIPT_IN] = "receipt_in",
    [EXLOG_RECEIVE] = "receive",
    [EXLOG_RECEIPT_OUT] = "receipt_out",
    [EXLOG_APPLY] = "apply",
    [EXLOG_REJECT] = "reject",
    [EXLOG_EXPIRE] = "expire",
    [EXLOG_CHECKPOINT_IN] = "checkpoint_in",
    [EXLOG_CHECKPOINT_OUT] = "checkpoint_out",
    [EXLOG_PEER] = "peer",
};
#define NKINDS (int)(sizeof kind_names / sizeof kind_names[0])

const char *exlog_kind_name(int kind)
{
    if (kind < EXLOG_SUBMIT || kind >= NKINDS)
        return "unknown";
    return kind_names[kind];
}

int exlog_kind_parse(const char *name)
{
    for (int i = EXLOG_SUBMIT; i < NKINDS; i++) {
        if (strcmp(kind_names[i], name) == 0)
            return i;
    }
    return -1;
}

/* ---- Chaining ------------------------------------------------------------- */

static void put_u32(crypto_generichash_state *st, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    crypto_generichash_update(st, b, 4);
}

static void put_u64(crypto_generichash_state *st, uint64_t v)
{
    unsigned char b[8];
    envelope_put_u64(b, v);
    crypto_generichash_update(st, b, 8);
}

static void put_text(crypto_generichash_state *st, const char *s)
{
    if (s == NULL)
        s = "";
    size_t n = strlen(s);
    put_u32(st, (uint32_t)n);
    crypto_generichash_update(st, (const unsigned char *)s, n);
}

void exlog_entry_hash(const struct exlog_entry *e, const unsigned char prev[EXLOG_HASH_LEN],
                      unsigned char out[EXLOG_HASH_LEN])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, (const unsigned char *)exlog_key, sizeof exlog_key - 1,
                            EXLOG_HASH_LEN);
    crypto_generichash_update(&st, prev, EXLOG_HASH_LEN);
    put_u64(&st, e->index);
    put_u64(&st, (uint64_t)e->time_ms);
    put_u32(&st, (uint32_t)e->kind);
    put_text(&st, e->peer);
    crypto_generichash_update(&st, e->msg_id, ENVELOPE_ID_LEN);
    put_text(&st, e->type);
    crypto_generichash_update(&st, e->hash, ENVELOPE_HASH_LEN);
    put_text(&st, e->detail);
    crypto_generichash_final(&st, out, EXLOG_HASH_LEN);
}

void exlog_verifier_init(struct exlog_verifier *v)
{
    v->next_index = 1;
    memset(v->head, 0, sizeof v->head);
}

int exlog_verifier_step(struct exlog_verifier *v, const struct exlog_entry *e,
                        const unsigned char stored[EXLOG_HASH_LEN])
{
    unsigned char h[EXLOG_HASH_LEN];
    if (e->index != v->next_index)
        return ERR_CORRUPT;
    exlog_entry_hash(e, v->head, h);
    if (sodium_memcmp(h, stored, EXLOG_HASH_LEN) != 0)
        return ERR_CORRUPT;
    memcpy(v->head, h, EXLOG_HASH_LEN);
    v->next_index++;
    return 0;
}

/* ---- Checkpoints ---------------------------------------------------------- */

static int put_checkpoint(struct buf *b, const struct exlog_checkpoint *cp,
                          const unsigned char key_id[ENVELOPE_KEYID_LEN])
{
    unsigned char ver = 1, n8[8];
    int r = buf_append(b, ckp_magic, sizeof ckp_magic);
    if (r == 0)
        r = buf_append(b, &ver, 1);
    if (r == 0)
        r = envelope_put_str8(b, cp->node);
    envelope_put_u64(n8, cp->size);
    if (r == 0)
        r = buf_append(b, n8, 8);
    if (r == 0)
        r = buf_append(b, cp->head, EXLOG_HASH_LEN);
    envelope_put_u64(n8, (uint64_t)cp->time_ms);
    if (r == 0)
        r = buf_append(b, n8, 8);
    if (r == 0)
        r = buf_append(b, key_id, ENVELOPE_KEYID_LEN);
    return r;
}

int exlog_checkpoint_sign(const struct exlog_checkpoint *cp, const struct envelope_keypair *kp,
                          struct buf *out)
{
    unsigned char key_id[ENVELOPE_KEYID_LEN], sig[ENVELOPE_SIG_LEN];
    struct buf tmp;
    buf_init(&tmp, sizeof ckp_sigctx + EXLOG_CHECKPOINT_MAX);
    size_t old = out->len;
    int r = ERR_INVALID;
    if (!envelope_text_ok(cp->node, strlen(cp->node), ENVELOPE_NODE_MAX, ENVELOPE_CLS_NODE) ||
        cp->time_ms < 0)
        goto out;
    envelope_key_id(kp->pk, key_id);
    if ((r = buf_append(&tmp, ckp_sigctx, sizeof ckp_sigctx)) < 0 ||
        (r = put_checkpoint(&tmp, cp, key_id)) < 0)
        goto out;
    crypto_sign_detached(sig, NULL, (const unsigned char *)tmp.data, tmp.len, kp->sk);
    if ((r = buf_append(out, tmp.data + sizeof ckp_sigctx, tmp.len - sizeof ckp_sigctx)) < 0 ||
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

int exlog_checkpoint_decode(const unsigned char *data, size_t len, struct exlog_checkpoint *out)
{
    struct envelope_cursor c = {.p = data, .len = len, .off = 0};
    unsigned char magic[ENVELOPE_MAGIC_LEN], ver;
    uint64_t t;
    memset(out, 0, sizeof *out);
    if (len > EXLOG_CHECKPOINT_MAX || !envelope_get(&c, magic, sizeof magic) ||
        memcmp(magic, ckp_magic, sizeof magic) != 0 || !envelope_get(&c, &ver, 1) || ver != 1 ||
        !envelope_get_str8(&c, out->node, ENVELOPE_NODE_MAX, ENVELOPE_CLS_NODE) ||
        !envelope_get_u64(&c, &out->size) || !envelope_get(&c, out->head, EXLOG_HASH_LEN) ||
        !envelope_get_u64(&c, &t) || t > INT64_MAX ||
        !envelope_get(&c, out->key_id, ENVELOPE_KEYID_LEN) || len - c.off != ENVELOPE_SIG_LEN) {
        memset(out, 0, sizeof *out);
        return ERR_INVALID;
    }
    out->time_ms = (int64_t)t;
    return 0;
}

int exlog_checkpoint_verify(const unsigned char *data, size_t len,
                            const unsigned char pk[ENVELOPE_PK_LEN], struct exlog_checkpoint *out)
{
    unsigned char m[sizeof ckp_sigctx + EXLOG_CHECKPOINT_MAX], key_id[ENVELOPE_KEYID_LEN];
    if (exlog_checkpoint_decode(data, len, out) < 0)
        return ERR_INVALID;
    envelope_key_id(pk, key_id);
    if (memcmp(key_id, out->key_id, ENVELOPE_KEYID_LEN) != 0)
        goto bad;
    size_t body = len - ENVELOPE_SIG_LEN;
    memcpy(m, ckp_sigctx, sizeof ckp_sigctx);
    memcpy(m + sizeof ckp_sigctx, data, body);
    if (crypto_sign_verify_detached(data + body, m, sizeof ckp_sigctx + body, pk) != 0) {
        memset(out, 0, sizeof *out);
        return ERR_AUTH;
    }
    return 0;
bad:
    memset(out, 0, sizeof *out);
    return ERR_INVALID;
}

int exlog_checkpoint_consistent(const struct exlog_checkpoint *older,
                                const struct exlog_checkpoint *newer)
{
    if (strcmp(older->node, newer->node) != 0 || newer->size < older->size ||
        newer->time_ms < older->time_ms)
        return ERR_CORRUPT;
    if (newer->size == older->size && memcmp(newer->head, older->head, EXLOG_HASH_LEN) != 0)
        return ERR_CORRUPT;
    return 0;
}

/* ---- Heartbeat payload ---------------------------------------------------- */

int exlog_heartbeat_encode(const unsigned char *cp, size_t len, struct buf *out)
{
    char hex[2 * EXLOG_CHECKPOINT_MAX + 1];
    if (len < 1 || len > EXLOG_CHECKPOINT_MAX)
        return ERR_INVALID;
    text_hex(hex, cp, len);
    size_t old = out->len;
    int r = buf_puts(out, "{\"checkpoint\":\"");
    if (r == 0)
        r = buf_puts(out, hex);
    if (r == 0)
        r = buf_puts(out, "\"}");
    if (r < 0 && out->data != NULL) {
        out->len = old;
        out->data[old] = '\0';
    }
    return r;
}

int exlog_heartbeat_decode(const unsigned char *json, size_t len, struct buf *cp, struct buf *why)
{
    static const char *const keys[] = {"checkpoint", NULL};
    unsigned char bin[EXLOG_CHECKPOINT_MAX];
    json_t *o = NULL;
    const char *hex;
    int r = ERR_INVALID;
    if (len > 4096) {
        buf_puts(why, "heartbeat: payload too large");
        goto out;
    }
    if (json_decode_object((const char *)json, len, &o, why) < 0 ||
        json_only_keys(o, keys, why) < 0 ||
        json_get_str(o, "checkpoint", true, 2 * EXLOG_CHECKPOINT_MAX, &hex, why) < 0)
        goto out;
    size_t n = strlen(hex) / 2;
    if (n < 1 || strlen(hex) % 2 != 0 || text_unhex(bin, n, hex) < 0) {
        buf_puts(why, "field 'checkpoint': must be hex");
        goto out;
    }
    r = buf_append(cp, bin, n);
out:
    json_decref(o);
    return r;
}
