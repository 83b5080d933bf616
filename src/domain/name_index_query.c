/* name_index_query: candidate generation and scoring for one query (see
 * name_index.h). Under the read lock:
 *
 *  1. For each name word of the query, the dictionary tokens near it are
 *     found through the transliteration key, the one-deletion neighbours,
 *     and (for vowel-less scripts) the consonant skeleton, looked up as one
 *     prefetched batch; each is checked against that word (one column of
 *     the per-query similarity memo) and its key noted as a near spelling.
 *  2. A lone shared token is weak and, unless a full birth date or the
 *     nationality lifts it, cannot alert (threshold above WEAK_UNLIFTED).
 *     So the pair keys of the near spellings of every two query words give
 *     the candidates (pair_near), and token + birth-year keys of the near
 *     spellings give those a birth date may lift (lift_near), as do token
 *     + nationality keys for the words a nationality may lift
 *     (lone_may_alert). A word's single postings are scanned only when it
 *     has more near spellings than are paired. Split- and joined-token
 *     postings are added; all are visited shortest first, a posting longer
 *     than LIMIT_QUERY_SCAN_POST or past LIMIT_QUERY_VISIT is not scanned.
 *     A candidate's shared query tokens missing from its postings come
 *     from the memo of its own tokens (no posting is probed).
 *     Lone names that nothing can lift are dropped from dense copies of
 *     their birth years and nationalities, before the name is read.
 *  3. Each candidate gets an upper bound of its score from the query tokens
 *     it shares and its own token weights; the best LIMIT_CANDIDATES by
 *     bound are scored in bound order, stopping when the bound falls below
 *     the threshold or the limit-th best score.
 *  4. The best name per entry is kept; results are copied out with their
 *     reasons before the lock is released. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/name_index_int.h"
#include "util/errors.h"

#define MAX_EVIDENCE 18     /* most points birth date + nationality add */
#define DOC_BIT 0x8000u     /* candidate found by document number or phone */
#define JOIN_BIT 0x4000u    /* the mask came from a split or joined token */
#define YEAR_BIT 0x2000u    /* found through a token + birth-year or + nationality key */
#define SINGLE_BIT 0x10000u /* item: the posting of one near token of one query word */
#define NATKEY_BIT 0x20000u /* item: a token + nationality posting (with YEAR_BIT: lifted) */
#define ROUND2_BIT 0x40000u /* item: a token + birth-year posting of visit's second round */
#define NAME_BITS 0x1FFFu
#define NAT_POINTS 6        /* NAT_MATCH_POINTS in names_match.c */
#define NAT_LIFTS 7         /* evidence_of: a matching nationality that lifts (6 points) */
#define WEAK_UNLIFTED 66    /* most a weak name scores without a full date or nationality */
#define WEAK_CAP 60.0f      /* WEAK_CAP in names_match.c */
#define STRONG_SIM 0.75f    /* STRONG_MIN_SIM in names_match.c: below, a word never counts */
#define STRONG_MIN_WEIGHT 0.9f /* in names_match.c: less matched weight is a weak name */
#define WC_SLOTS 32768u     /* query words whose near tokens are cached per scratch */
#define WC_ARENA 262144u    /* near tokens of the cached words, in a ring */
#define WC_TOKS 768u        /* near tokens kept for one cached word (more: not cached) */
#define RC_SLOTS 64u        /* scored names whose result is kept for emit (direct-mapped) */
#define FETCH_AHEAD 16u     /* candidates ahead whose dense copy or name is prefetched */
#define HOT_AHEAD 6u        /* candidates ahead whose tokens are prefetched (make_cands) */

/* The candidate table: a hash slot per name found (acc), pointing into the
 * dense array of what was found (found), read in order afterwards. */
struct acc_slot {
    uint32_t stamp, name, idx;
};

struct found {
    uint32_t name;
    uint16_t mask;
};

struct memo_slot {
    uint32_t stamp, tok, row;
};

struct memo_row {
    float sim[LIMIT_NAME_TOKENS];
    uint8_t why[LIMIT_NAME_TOKENS], dist[LIMIT_NAME_TOKENS];
    uint16_t seen; /* query tokens this dictionary token was gathered for */
    uint16_t done; /* query tokens whose column is computed */
};

struct item {
    const struct u32vec *post;
    uint32_t mask; /* query tokens (and *_BIT) the posting's names share */
};

enum { WEAK_NOT, WEAK_MAY, WEAK_SURE }; /* how a candidate's bound knows it weak */

struct cand {
    uint32_t name;
    float bound; /* name_bound, then the bound of the score */
    int16_t score;
    uint16_t mask;
    uint8_t weak;     /* WEAK_* */
    int8_t ev, lift;  /* birth-date and nationality points, and their lift (evidence_of) */
};

/* The near tokens of one query word, as gathered under index version
 * `version` (0: empty): replayed instead of looking up its keys again. */
struct wc_ent {
    uint32_t tok;
    float sim;
    uint8_t why, dist;
};

/* A cached word: its near tokens are n entries of the scratch's ring
 * from position `start` (counted from the ring's first write, so that a
 * word whose entries were written over since is told by its start). Most
 * words have a few near tokens; an Arabic Muhammad read by its consonants,
 * or a common short name at 1M, has hundreds. */
struct wc_slot {
    uint64_t version, hash;
    uint64_t start;
    char text[NAMES_TOKEN_MAX];
    uint16_t flags, n;
};

/* The result of a name scored by this query, reused when it is emitted. */
struct rc_slot {
    uint32_t stamp, name;
    struct names_result res;
};

struct scratch;

struct qctx {
    struct name_index *x;
    struct scratch *s;
    const struct name_query *q;
    struct names_name qn;
    struct names_view qv;
    struct dhot qhot[LIMIT_NAME_TOKENS]; /* of the query tokens */
    bool has_name;
    struct names_facts qf;
    float wq;        /* total query weight */
    float wq_other;  /* weight of query tokens that are not name words */
    size_t visited;
    bool year_skipped; /* a token + birth-year posting was not scanned */
    bool skipped;      /* a posting was not scanned (see visit) */
    uint16_t unscanned; /* query tokens of postings that were not scanned */
    bool memo_full;    /* gathering stopped: the memo holds LIMIT_QUERY_MEMO rows */
    bool by_pairs;     /* a weak name that nothing lifts cannot alert: see pair_near, cand_mask */
    uint16_t qnat[NAMES_MAX_NAT]; /* nx_nat_code of the query's nationalities */
    bool qnat_packed;             /* none of them is NX_NAT_MORE */
    bool nat_lifts;               /* one of them is not common (qf.nat_common) */
    size_t join_lo, join_hi; /* shortest and longest two adjacent query words joined (0: none) */
    uint16_t scan_words; /* query words whose single postings are scanned anyway */
    uint16_t near_full;  /* query words with more near spellings than LIMIT_QUERY_NEAR */
    uint16_t nat_words;  /* query words whose token + nationality keys are looked up */
    bool doc_cut;        /* by_numbers left names of entries with a query document unmarked */
    bool q_initial;      /* the query has an initial (it may match any listed word) */
    uint8_t qlen_lo, qlen_hi; /* shortest and longest query name word (key or written) */
    uint8_t nnear[LIMIT_NAME_TOKENS];
    struct wc_slot *rec; /* the word cache slot being recorded, or NULL */
    bool rec_ok;
    /* Not zeroed per query (written before read): */
    const char *near[LIMIT_NAME_TOKENS][LIMIT_QUERY_NEAR]; /* distinct near phon keys per word */
    uint64_t nearh[LIMIT_NAME_TOKENS][LIMIT_QUERY_NEAR];   /* their nx_str_hash */
    uint64_t keys[LIMIT_QUERY_KEYS];
    struct memo_row tmp;
};

struct pick {
    uint32_t name;  /* UINT32_MAX for an entry matched without a name */
    uint32_t entry;
    int score;
};

struct scratch {
    uint32_t stamp;
    struct rc_slot results[RC_SLOTS];
    struct wc_slot words[WC_SLOTS];
    struct wc_ent ring[WC_ARENA];
    uint64_t ring_pos; /* entries written to the ring so far */
    struct acc_slot acc[LIMIT_QUERY_SLOTS];
    struct found found[LIMIT_QUERY_SLOTS / 2]; /* the names found, in insertion order */
    size_t nslots;
    struct memo_slot memo[LIMIT_QUERY_MEMO * 2];
    struct memo_row rows[LIMIT_QUERY_MEMO];
    size_t nrows;
    struct item items[LIMIT_QUERY_POSTINGS];
    size_t nitems;
    struct cand cands[LIMIT_QUERY_SLOTS];
    size_t ncands;
    bool heap; /* cands is a heap, not sorted (order_cands) */
    /* kept here rather than allocated per query: a block this large,
     * malloc'd and freed per query, made malloc consolidate its small free
     * chunks every time (18% of a query at 1M) */
    struct qctx ctx;
    struct pick picks[LIMIT_CANDIDATES + 256];
    struct names_reasons reasons; /* of the match being emitted */
};


void *nx_scratch_get(struct name_index *x)
{
    void *s = NULL;
    pthread_mutex_lock(&x->pool_mu);
    if (x->npool > 0)
        s = x->pool[--x->npool];
    pthread_mutex_unlock(&x->pool_mu);
    if (s == NULL)
        s = calloc(1, sizeof(struct scratch));
    return s;
}

void nx_scratch_put(struct name_index *x, void *s)
{
    pthread_mutex_lock(&x->pool_mu);
    if (x->npool == x->cappool) {
        size_t ncap = x->cappool == 0 ? 8 : x->cappool * 2;
        void **p = reallocarray(x->pool, ncap, sizeof *p);
        if (p != NULL)
            x->pool = p, x->cappool = ncap;
    }
    if (x->npool < x->cappool) {
        x->pool[x->npool++] = s;
        s = NULL;
    }
    pthread_mutex_unlock(&x->pool_mu);
    free(s);
}

void nx_scratch_free(void *s)
{
    free(s);
}

#define NOT_WORD_FLAGS \
    (NAMES_TF_TITLE | NAMES_TF_PARTICLE | NAMES_TF_GENDER | NAMES_TF_BIRTH_ORDER | NAMES_TF_INITIAL)

static bool name_word(const struct names_token *t)
{
    return (t->flags & NOT_WORD_FLAGS) == 0;
}

/* Set bits of a 16-bit mask (__builtin_popcount is a libgcc call on the
 * x86-64 baseline). */
static inline int bits16(unsigned v)
{
    v &= 0xFFFFu;
    v = v - ((v >> 1) & 0x5555u);
    v = (v & 0x3333u) + ((v >> 2) & 0x3333u);
    v = (v + (v >> 4)) & 0x0F0Fu;
    return (int)((v + (v >> 8)) & 0x1Fu);
}

static bool hot_word(const struct dhot *t)
{
    return (t->flags & NOT_WORD_FLAGS) == 0;
}

/* Column i of a similarity row: query token i against dictionary token tok. */
static float col(struct qctx *c, struct memo_row *row, uint32_t tok, size_t i)
{
    if (!(row->done & (1u << i))) {
        const struct names_token *t = &c->x->dtoks[tok].t;
        row->why[i] = 0, row->dist[i] = 0;
        row->sim[i] = (c->qn.tok[i].flags & NAMES_TF_TITLE)
                          ? 0.0f
                          : names_token_sim(&c->qn.tok[i], t, &row->why[i], &row->dist[i]);
        row->done |= (uint16_t)(1u << i);
    }
    return row->sim[i];
}

/* The memo row of dictionary token tok, or NULL when it has none. */
static struct memo_row *row_find(const struct qctx *c, uint32_t tok)
{
    const struct scratch *s = c->s;
    uint32_t h = (tok * 2654435761u) & (LIMIT_QUERY_MEMO * 2 - 1);
    for (;; h = (h + 1) & (LIMIT_QUERY_MEMO * 2 - 1)) {
        const struct memo_slot *m = &s->memo[h];
        if (m->stamp != s->stamp)
            return NULL;
        if (m->tok == tok)
            return &c->s->rows[m->row];
    }
}

/* The memo row of tok, created empty (no column computed) when absent; a
 * temporary row when the memo is full. */
static struct memo_row *row_get(struct qctx *c, uint32_t tok)
{
    struct scratch *s = c->s;
    uint32_t h = (tok * 2654435761u) & (LIMIT_QUERY_MEMO * 2 - 1);
    for (;; h = (h + 1) & (LIMIT_QUERY_MEMO * 2 - 1)) {
        struct memo_slot *m = &s->memo[h];
        if (m->stamp != s->stamp)
            break;
        if (m->tok == tok)
            return &s->rows[m->row];
    }
    struct memo_row *row = &c->tmp;
    if (s->nrows == LIMIT_QUERY_MEMO) {
        c->memo_full = true;
    } else {
        struct memo_slot *m = &s->memo[h];
        m->stamp = s->stamp, m->tok = tok, m->row = (uint32_t)s->nrows;
        row = &s->rows[s->nrows++];
    }
    row->seen = row->done = 0;
    return row;
}

/* The full similarity row of tok against every query token. */
static const struct memo_row *row_of(struct qctx *c, uint32_t tok)
{
    struct memo_row *row = row_get(c, tok);
    for (size_t i = 0; i < c->qn.ntok; i++)
        (void)col(c, row, tok, i);
    return row;
}

static void add_item(struct qctx *c, const struct u32vec *post, uint32_t mask)
{
    if (post != NULL && post->n > 0 && c->s->nitems < LIMIT_QUERY_POSTINGS)
        c->s->items[c->s->nitems++] = (struct item){post, mask};
}

/* Records phon as a near spelling of query word i (distinct keys only);
 * past LIMIT_QUERY_NEAR the word's postings are scanned instead of paired. Only
 * spellings similar enough to count as a strong word (STRONG_SIM) are
 * noted: a candidate needs two strong words not to be weak, so a pair with
 * a consonant-skeleton match (0.72) alone never makes an alert. */
static void note_near(struct qctx *c, size_t i, const char *phon)
{
    uint64_t h = nx_str_hash(phon);
    for (size_t k = 0; k < c->nnear[i]; k++)
        if (c->nearh[i][k] == h && strcmp(c->near[i][k], phon) == 0)
            return;
    if (c->nnear[i] < LIMIT_QUERY_NEAR)
        c->nearh[i][c->nnear[i]] = h, c->near[i][c->nnear[i]++] = phon;
    else
        c->scan_words |= (uint16_t)(1u << i), c->near_full |= (uint16_t)(1u << i);
}

/* Looks the n keys up with the memory accesses of all of them in flight
 * at once (the tables are far larger than the caches, and a query makes
 * dozens of lookups): the hash slots, then the list headers, then the list
 * data are prefetched before they are read. out[k] is NULL when absent. */
static void lookup_batch(const struct name_index *x, const uint64_t *keys, size_t n,
                         const struct u32vec **out)
{
    const struct hmap *m = &x->keys;
    bool may[LIMIT_QUERY_KEYS];
    if (m->cap == 0) {
        for (size_t k = 0; k < n; k++)
            out[k] = NULL;
        return;
    }
    for (size_t k = 0; k < n; k++)
        __builtin_prefetch(hmap_bloom_word(m, keys[k]));
    for (size_t k = 0; k < n; k++) {
        may[k] = hmap_may_have(m, keys[k]);
        size_t j = keys[k] & (m->cap - 1);
        if (may[k]) {
            __builtin_prefetch(&m->keys[j]);
            __builtin_prefetch(&m->vals[j]);
        }
    }
    for (size_t k = 0; k < n; k++) {
        out[k] = may[k] ? nx_list(x, keys[k]) : NULL;
        if (out[k] != NULL)
            __builtin_prefetch(out[k]);
    }
    for (size_t k = 0; k < n; k++)
        if (out[k] != NULL && out[k]->cap != 0)
            __builtin_prefetch(out[k]->u.p);
}

/* Notes a near token of query word i in the slot being recorded. */
static void record(struct qctx *c, uint32_t tok, const struct memo_row *row, size_t i)
{
    struct wc_slot *w = c->rec;
    if (w == NULL || !c->rec_ok)
        return;
    if (w->n == WC_TOKS) {
        c->rec_ok = false;
        return;
    }
    struct scratch *s = c->s;
    s->ring[s->ring_pos++ % WC_ARENA] = (struct wc_ent){tok, row->sim[i], row->why[i], row->dist[i]};
    w->n++;
}

/* Dictionary tokens listed under the keys that match query token i. */
static void gather_tokens(struct qctx *c, const uint64_t *keys, size_t n, size_t i)
{
    const struct u32vec *ls[LIMIT_QUERY_KEYS];
    lookup_batch(c->x, keys, n, ls);
    for (size_t k = 0; k < n; k++)
        for (size_t j = 0; ls[k] != NULL && j < ls[k]->n; j++)
            __builtin_prefetch(&c->x->dtoks[u32vec_cdata(ls[k])[j]]);
    for (size_t k = 0; k < n; k++) {
        const struct u32vec *l = ls[k];
        const uint32_t *d = l != NULL ? u32vec_cdata(l) : NULL;
        for (size_t j = 0; l != NULL && j < l->n; j++) {
            if (c->s->nitems >= LIMIT_QUERY_POSTINGS || c->memo_full) {
                c->rec_ok = false;
                return;
            }
            struct memo_row *row = row_get(c, d[j]);
            if ((row->seen & (1u << i)) || col(c, row, d[j], i) <= 0.0f || c->memo_full)
                continue;
            record(c, d[j], row, i);
            row->seen |= (uint16_t)(1u << i);
            add_item(c, &c->x->dtoks[d[j]].post, (1u << i) | SINGLE_BIT);
            if (row->sim[i] >= STRONG_SIM)
                note_near(c, i, c->x->dtoks[d[j]].t.phon);
        }
    }
}

static size_t push_key(uint64_t *keys, size_t n, uint64_t key)
{
    for (size_t k = n >= 8 ? n - 8 : 0; k < n; k++) /* a doubled letter repeats a key */
        if (keys[k] == key)
            return n;
    if (n < LIMIT_QUERY_KEYS)
        keys[n++] = key;
    return n;
}

/* Dictionary tokens within the edit budget of spelling k: its own key, one
 * deletion on either side (insert, delete, substitute, transpose), and for
 * long spellings two deletions on the query side. */
static void gather_spelling(struct qctx *c, const char *k, size_t i)
{
    size_t l = strlen(k), n = 0;
    uint64_t *keys = c->keys;
    /* The keys of k with letter a left out (d), and of d with its letter b
     * left out (e), hashed from the state after their shared prefix
     * (nx_key_end): the same keys as nx_key on each spelling copied out. */
    uint64_t pp = nx_key_seed(KEY_PHON), pd = nx_key_seed(KEY_DEL);
    n = push_key(keys, n, nx_key_end(nx_fnv(pp, k, l)));
    if (l >= 4) {
        n = push_key(keys, n, nx_key_end(nx_fnv(pd, k, l)));
        for (size_t a = 0; a < l; a++) { /* pp, pd: the states after k[0..a) */
            n = push_key(keys, n, nx_key_end(nx_fnv(pp, k + a + 1, l - a - 1)));
            n = push_key(keys, n, nx_key_end(nx_fnv(pd, k + a + 1, l - a - 1)));
            uint64_t q = pd; /* after d[0..b) = k[0..a) k[a+1..b+1) */
            for (size_t b = a; l >= 8 && b + 1 < l; b++) {
                n = push_key(keys, n, nx_key_end(nx_fnv(q, k + b + 2, l - b - 2)));
                q = nx_fnv(q, k + b + 1, 1);
            }
            pp = nx_fnv(pp, k + a, 1);
            pd = nx_fnv(pd, k + a, 1);
        }
    }
    gather_tokens(c, keys, n, i);
}

static uint64_t word_hash(const struct names_token *t)
{
    uint64_t h = 1469598103934665603ull ^ t->flags;
    for (const char *p = t->text; *p != '\0'; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h | 1u;
}

/* Replays the near tokens of query word i from a cache slot: the same
 * memo columns, postings and near spellings as gather_near would give. */
static void replay(struct qctx *c, const struct wc_slot *w, size_t i)
{
    for (size_t k = 0; k < w->n; k++) {
        if (c->s->nitems >= LIMIT_QUERY_POSTINGS || c->memo_full)
            return;
        const struct wc_ent *e = &c->s->ring[(w->start + k) % WC_ARENA];
        struct memo_row *row = row_get(c, e->tok);
        if (!(row->done & (1u << i))) {
            row->sim[i] = e->sim, row->why[i] = e->why, row->dist[i] = e->dist;
            row->done |= (uint16_t)(1u << i);
        }
        if ((row->seen & (1u << i)) || c->memo_full)
            continue;
        row->seen |= (uint16_t)(1u << i);
        add_item(c, &c->x->dtoks[e->tok].post, (1u << i) | SINGLE_BIT);
        if (e->sim >= STRONG_SIM)
            note_near(c, i, c->x->dtoks[e->tok].t.phon);
    }
}

/* Whether cache slot w holds query token t (hash h) under this index
 * version, with its run of near tokens not written over since. */
static bool wc_holds(const struct qctx *c, const struct wc_slot *w, uint64_t h,
                     const struct names_token *t)
{
    return w->version == c->x->version && w->hash == h && w->flags == t->flags &&
           c->s->ring_pos - w->start <= WC_ARENA && strcmp(w->text, t->text) == 0;
}

/* Dictionary tokens near query word i: its spelling keys and skeleton,
 * looked up once per index version and scratch, then replayed (query
 * words repeat: Muhammad, Maria, ...). */
static void gather_near(struct qctx *c, size_t i)
{
    const struct names_token *t = &c->qn.tok[i];
    uint64_t h = word_hash(t);
    struct wc_slot *w = &c->s->words[h & (WC_SLOTS - 1)];
    if (wc_holds(c, w, h, t)) {
        replay(c, w, i);
        return;
    }
    w->version = 0, w->n = 0, w->start = c->s->ring_pos;
    c->rec = w, c->rec_ok = true;
    gather_spelling(c, t->phon, i);
    if (strcmp(t->text, t->phon) != 0)
        gather_spelling(c, t->text, i);
    if ((t->flags & NAMES_TF_ABJAD) && strlen(t->skel) >= 2) {
        uint64_t key = nx_key(KEY_SKEL, t->skel, NULL, 0);
        gather_tokens(c, &key, 1, i);
    }
    if (c->rec_ok && !c->memo_full) {
        w->version = c->x->version, w->hash = h, w->flags = t->flags;
        memcpy(w->text, t->text, sizeof w->text);
    }
    c->rec = NULL;
}

/* The keys of the listed words a letter longer or shorter than spelling o
 * (length lo), at most cap: o as a listed word's deletion key, and o less
 * each letter. Returns how many. */
static size_t near_keys(uint64_t *keys, size_t cap, const char *o, size_t lo)
{
    size_t n = 0;
    if (n < cap)
        keys[n++] = nx_key_end(nx_fnv(nx_key_seed(KEY_DEL), o, lo));
    uint64_t pp = nx_key_seed(KEY_PHON);
    for (size_t a = 0; a < lo && n < cap; a++) {
        keys[n++] = nx_key_end(nx_fnv(pp, o + a + 1, lo - a - 1));
        pp = nx_fnv(pp, o + a, 1);
    }
    return n;
}

/* Listed names that write query word i split with a typo in one half:
 * Abdul Rahman and Abd. Rahman for Abdurrahman, which neither the split
 * keys (both halves exact) nor the near tokens (one word) find. At each
 * split point where one half is a listed word as it stands (4 letters or
 * more), the listed words one letter longer or shorter than the other
 * half (3 or more) are paired with it through the pair keys. */
static void split_near(struct qctx *c, size_t i)
{
    const char *w = c->qn.tok[i].phon;
    size_t l = strlen(w), n = 0;
    if (l < 8)
        return;
    uint64_t keys[2 * NAMES_TOKEN_MAX];
    const struct u32vec *ls[2 * NAMES_TOKEN_MAX];
    uint8_t at[2 * NAMES_TOKEN_MAX];
    bool second[2 * NAMES_TOKEN_MAX];
    for (size_t k = 3; k + 3 <= l && n + 2 <= sizeof keys / sizeof keys[0]; k++) {
        if (l - k >= 4) /* the second half as it stands */
            keys[n] = nx_key(KEY_PHON, w + k, NULL, 0), at[n] = (uint8_t)k, second[n++] = true;
        if (k >= 4) {
            keys[n] = nx_key_end(nx_fnv(nx_key_seed(KEY_PHON), w, k));
            at[n] = (uint8_t)k, second[n++] = false;
        }
    }
    lookup_batch(c->x, keys, n, ls);
    uint64_t pk[64];
    size_t np = 0;
    for (size_t j = 0; j < n && np < sizeof pk / sizeof pk[0]; j++) {
        if (ls[j] == NULL || ls[j]->n == 0)
            continue;
        size_t k = at[j];
        const char *ex = second[j] ? w + k : NULL, *o = second[j] ? w : w + k;
        size_t lo = second[j] ? k : l - k;
        char exact[NAMES_TOKEN_MAX];
        if (ex == NULL) {
            memcpy(exact, w, k), exact[k] = '\0';
            ex = exact;
        }
        uint64_t hx = nx_str_hash(ex), nk[NAMES_TOKEN_MAX + 1];
        const struct u32vec *nl[NAMES_TOKEN_MAX + 1];
        size_t m = near_keys(nk, sizeof nk / sizeof nk[0], o, lo);
        lookup_batch(c->x, nk, m, nl);
        for (size_t q = 0; q < m; q++) {
            for (size_t t = 0; nl[q] != NULL && t < nl[q]->n && np < sizeof pk / sizeof pk[0];
                 t++) {
                const char *z = c->x->dtoks[u32vec_cdata(nl[q])[t]].t.phon;
                size_t lz = strlen(z);
                if (lz + 1 < lo || lz > lo + 1 || (lz == lo && strncmp(z, o, lo) == 0) ||
                    names_edit_distance(o, lo, z, lz, 1) != 1)
                    continue;
                pk[np++] = nx_pair_key(nx_str_hash(z), hx);
            }
        }
    }
    if (np == 0)
        return;
    lookup_batch(c->x, pk, np, ls);
    for (size_t j = 0; j < np; j++)
        add_item(c, ls[j], (uint16_t)((1u << i) | JOIN_BIT));
}

static void gather_word(struct qctx *c, size_t i)
{
    const struct names_token *t = &c->qn.tok[i];
    size_t l = strlen(t->phon);
    gather_near(c, i);
    /* a token written split (Jong Un); also with the letter at the joint
     * written by both words, once in the spelling (Daniel Lad: danielad),
     * as join_sim reads it. Looked up together. */
    uint64_t keys[2 * NAMES_TOKEN_MAX];
    const struct u32vec *ls[2 * NAMES_TOKEN_MAX];
    size_t n = 0;
    for (size_t k = 2; l >= 5 && k + 2 <= l && n + 2 <= sizeof keys / sizeof keys[0]; k++) {
        char a[NAMES_TOKEN_MAX];
        memcpy(a, t->phon, k), a[k] = '\0';
        uint64_t ha = nx_str_hash(a);
        keys[n++] = nx_pair_key(ha, nx_str_hash(t->phon + k));
        keys[n++] = nx_pair_key(ha, nx_str_hash(t->phon + k - 1));
    }
    if (n > 0) {
        lookup_batch(c->x, keys, n, ls);
        for (size_t k = 0; k < n; k++)
            add_item(c, ls[k], (uint16_t)((1u << i) | JOIN_BIT));
    }
    split_near(c, i);
}

/* Listed words one letter longer or shorter than query words i and i + 1
 * joined (cat): a split written with a typo (Abdul Rahman, Abd. Rahman ~
 * Abdurrahman), which the scorer matches (join_sim in names_match.c) and no
 * exact key finds. A letter changed is not looked for (it would double the
 * keys: 5% more instructions a query); a listed word that either query word
 * alone is as near to is left to that word's own near tokens, as the
 * scorer leaves it (the other word is then no part of it), unless the
 * other word is a particle (Al Nur ~ Annur: join_sim). */
static void join_near(struct qctx *c, size_t i, const struct names_token *cat)
{
    const char *k = cat->phon, *px = c->qn.tok[i].phon, *py = c->qn.tok[i + 1].phon;
    bool px_particle = (c->qn.tok[i].flags & NAMES_TF_PARTICLE) != 0,
         py_particle = (c->qn.tok[i + 1].flags & NAMES_TF_PARTICLE) != 0;
    size_t l = strlen(k), n, lx = strlen(px), ly = strlen(py);
    /* Kath Erin, Abd Rahman; shorter pairs are rarely one word split, but
     * for an article blended into the word (Al Nur ~ Annur) */
    if (l < (px_particle ? 5u : 7u))
        return;
    uint64_t *keys = c->keys;
    const struct u32vec *ls[2 * NAMES_TOKEN_MAX + 2];
    n = near_keys(keys, sizeof ls / sizeof ls[0], k, l);
    lookup_batch(c->x, keys, n, ls);
    uint16_t mask = (uint16_t)((1u << i) | (1u << (i + 1)) | JOIN_BIT);
    uint32_t seen[16];
    size_t nseen = 0;
    for (size_t j = 0; j < n; j++) {
        for (size_t t = 0; ls[j] != NULL && t < ls[j]->n; t++) {
            uint32_t id = u32vec_cdata(ls[j])[t];
            bool again = false;
            for (size_t q = 0; q < nseen && !again; q++)
                again = seen[q] == id;
            const char *z = c->x->dtoks[id].t.phon;
            size_t lz = strlen(z);
            if (again || lz + 1 < l || lz > l + 1 || strcmp(z, k) == 0 ||
                names_edit_distance(k, l, z, lz, 1) > 1 ||
                (!py_particle && lz <= lx + 1 && names_edit_distance(px, lx, z, lz, 1) <= 1) ||
                (!px_particle && lz <= ly + 1 && names_edit_distance(py, ly, z, lz, 1) <= 1))
                continue;
            if (nseen < sizeof seen / sizeof seen[0])
                seen[nseen++] = id;
            add_item(c, &c->x->dtoks[id].post, mask);
        }
    }
}

/* Pairs and joins. */
static void gather_multi(struct qctx *c, const size_t *w, size_t nw)
{
    const struct names_name *n = &c->qn;
    for (size_t a = 0; a < nw; a++) {
        for (size_t b = a + 1; b < nw; b++) {
            const char *pa = n->tok[w[a]].phon, *pb = n->tok[w[b]].phon;
            if (strcmp(pa, pb) != 0 && !c->by_pairs) /* else pair_near looks them up */
                add_item(c, nx_list(c->x, nx_pair_key(nx_str_hash(pa), nx_str_hash(pb))),
                         (uint16_t)((1u << w[a]) | (1u << w[b])));
        }
    }
    for (size_t i = 0; i + 1 < n->ntok; i++) { /* tokens written joined */
        const struct names_token *x = &n->tok[i], *y = &n->tok[i + 1];
        size_t lx = strlen(x->text), ly = strlen(y->text);
        if (!name_word(y) || (!name_word(x) && !(x->flags & NAMES_TF_PARTICLE)) ||
            lx + ly >= NAMES_TOKEN_MAX)
            continue;
        char buf[NAMES_TOKEN_MAX];
        struct names_token cat;
        memcpy(buf, x->text, lx);
        memcpy(buf + lx, y->text, ly);
        names_token_init(&cat, buf, lx + ly, 1, 2, 0);
        const struct u32vec *l = nx_list(c->x, nx_key(KEY_PHON, cat.phon, NULL, 0));
        for (size_t k = 0; l != NULL && k < l->n; k++)
            add_item(c, &c->x->dtoks[u32vec_cdata(l)[k]].post,
                     (uint16_t)((1u << i) | (1u << (i + 1)) | JOIN_BIT));
        join_near(c, i, &cat);
    }
}

static void acc_add(struct qctx *c, uint32_t name, uint16_t mask)
{
    struct scratch *s = c->s;
    uint32_t h = (name * 2654435761u) & (LIMIT_QUERY_SLOTS - 1);
    for (;; h = (h + 1) & (LIMIT_QUERY_SLOTS - 1)) {
        struct acc_slot *a = &s->acc[h];
        if (a->stamp != s->stamp) {
            if (s->nslots >= LIMIT_QUERY_SLOTS / 2)
                return; /* table full enough: drop new candidates */
            a->stamp = s->stamp, a->name = name, a->idx = (uint32_t)s->nslots;
            s->found[s->nslots++] = (struct found){name, mask};
            return;
        }
        if (a->name == name) {
            s->found[a->idx].mask |= mask;
            return;
        }
    }
}

static int cmp_item(const void *pa, const void *pb)
{
    const struct item *a = pa, *b = pb;
    return a->post->n < b->post->n ? -1 : a->post->n > b->post->n;
}

/* When a lone shared token cannot alert (no nationality to lift a weak
 * name, threshold above what a weak name with a birth year reaches), a
 * candidate must carry near spellings of two different query words, so
 * the pair keys of the near spellings find every one of them: their
 * postings are short even when each token is common (a name that writes
 * one name twice has the pair of that key with itself). Words with too
 * many near spellings are scanned instead. */
static void pair_near(struct qctx *c, const size_t *w, size_t nw)
{
    uint32_t masks[LIMIT_QUERY_KEYS];
    const struct u32vec *ls[LIMIT_QUERY_KEYS];
    size_t n = 0;
    for (size_t a = 0; a < nw; a++) {
        size_t i = w[a];
        for (size_t b = a + 1; b < nw; b++) {
            size_t j = w[b];
            if (n + (size_t)c->nnear[i] * c->nnear[j] > LIMIT_QUERY_KEYS) {
                /* too many to pair all: as for words with too many spellings */
                uint16_t both = (uint16_t)((1u << i) | (1u << j));
                c->scan_words |= both, c->near_full |= both;
            }
            for (size_t k = 0; k < c->nnear[i]; k++) {
                for (size_t l = 0; l < c->nnear[j] && n < LIMIT_QUERY_KEYS; l++) {
                    /* equal keys: names that write that name twice */
                    c->keys[n] = nx_pair_key(c->nearh[i][k], c->nearh[j][l]);
                    masks[n++] = (1u << i) | (1u << j);
                }
            }
        }
    }
    lookup_batch(c->x, c->keys, n, ls);
    for (size_t k = 0; k < n; k++)
        add_item(c, ls[k], masks[k]);
}

/* The most name points of a name sharing query word i alone (weak): as if
 * its own side were fully covered, capped as a lifted weak name. */
static float lone_points(const struct qctx *c, size_t i)
{
    float mq = c->wq_other;
    for (size_t j = 0; j < c->qn.ntok; j++)
        if (name_word(&c->qn.tok[j]) && strcmp(c->qn.tok[j].phon, c->qn.tok[i].phon) == 0)
            mq += c->qn.tok[j].weight;
    float covq = c->wq > 0.0f && mq < c->wq ? mq / c->wq : 1.0f;
    float pts = 100.0f * (0.6f * covq + 0.4f); /* COV_MIN_SHARE; listed side at 1 */
    return pts > WEAK_CAP + MAX_EVIDENCE ? WEAK_CAP + MAX_EVIDENCE : pts;
}

/* Whether a name sharing query word i alone may still alert when the
 * query's nationality lifts it: its lone_points plus the nationality and
 * the most birth-date points a name not found through a token + birth-year
 * key can get. Then the word's token + nationality keys are looked up. */
static bool lone_may_alert(const struct qctx *c, size_t i)
{
    if (!c->nat_lifts)
        return false;
    int dob = 0; /* a birth year one off (2); a range of years has no year key (12) */
    for (size_t d = 0; d < c->qf.ndob; d++)
        dob = c->qf.dob[d].year_to != c->qf.dob[d].year ? 12 : (dob > 2 ? dob : 2);
    return lone_points(c, i) + 6.0f + (float)dob + 0.5f >= (float)c->q->threshold;
}

/* Appends the keys of query word i and its near spellings, each with the
 * birth year or date key y and/or the nationality nat (type KEY_YEAR,
 * KEY_DATE, KEY_NAT or KEY_NATY). Keys past LIMIT_QUERY_KEYS make it a word with too many near
 * spellings (see note_near): its single postings are scanned and its lone
 * names not dropped for want of a key. */
static size_t lift_keys(struct qctx *c, uint32_t *masks, size_t n, size_t i, int type,
                        const char *nat, int32_t y)
{
    const char *own = c->qn.tok[i].phon;
    uint32_t m = (1u << i) | YEAR_BIT | (type == KEY_NAT || type == KEY_NATY ? NATKEY_BIT : 0);
    bool listed = false;
    for (size_t k = 0; k < c->nnear[i]; k++) {
        listed = listed || strcmp(c->near[i][k], own) == 0;
        if (n == LIMIT_QUERY_KEYS)
            break;
        c->keys[n] = nx_key(type, c->near[i][k], nat, y);
        masks[n++] = m;
    }
    if (!listed && n < LIMIT_QUERY_KEYS) {
        c->keys[n] = nx_key(type, own, nat, y);
        masks[n++] = m;
    } else if (n == LIMIT_QUERY_KEYS) { /* as for a word with too many near spellings */
        c->scan_words |= (uint16_t)(1u << i), c->near_full |= (uint16_t)(1u << i);
    }
    return n;
}

/* The date keys of query word i for birth date d of the query (one year).
 * A full date looks up the date, its day-month swap and the year alone,
 * which find the entries with an equal or swapped full date and those with
 * a partial date or a range over the year: the others score at most 2
 * points for their date, as a year one off does. A partial date looks up
 * the year, which finds every entry born that year. */
static size_t date_keys(struct qctx *c, uint32_t *masks, size_t n, size_t i,
                        const struct names_date *d)
{
    if (d->day == 0)
        return lift_keys(c, masks, n, i, KEY_YEAR, NULL, d->year);
    n = lift_keys(c, masks, n, i, KEY_DATE, NULL, nx_date_key(d->year, 0, 0));
    n = lift_keys(c, masks, n, i, KEY_DATE, NULL, nx_date_key(d->year, d->month, d->day));
    if (d->day <= 12 && d->day != d->month)
        n = lift_keys(c, masks, n, i, KEY_DATE, NULL, nx_date_key(d->year, d->day, d->month));
    return n;
}

/* The birth years whose token + nationality + year keys hold every name
 * that a nationality may lift (lone_may_alert): each year of the query's
 * birth dates and the years either side, and 0 (an entry with no date or
 * a range too wide to key). A name born two years or more from every
 * query date gets the mismatch (-15) and cannot alert: 66 + 6 - 15. None
 * (0 returned) when a query date is a range or there is none: then the
 * token + nationality key, of every year, is looked up. */
static size_t nat_years(const struct qctx *c, int *years)
{
    size_t n = 0;
    for (size_t d = 0; d < c->qf.ndob; d++) {
        const struct names_date *q = &c->qf.dob[d];
        if (q->year_to != q->year)
            return 0;
        for (int y = q->year - 1; y <= q->year + 1; y++) {
            bool dup = false;
            for (size_t k = 0; k < n; k++)
                dup = dup || years[k] == y;
            if (!dup)
                years[n++] = y;
        }
    }
    if (n > 0)
        years[n++] = 0;
    return n;
}

/* Token + birth-date keys of the query words and their near spellings
 * for each birth date of the query that names one year (date_keys), and
 * token + nationality (+ year) keys of the words a nationality may lift
 * (lone_may_alert): every name that a full birth date or the nationality
 * may lift through one shared word is found here, so a lone shared word
 * found otherwise can be dropped (cand_mask). A lone name whose other
 * words match only by truncation or an initial is not found here (see
 * docs/matching.md, section 5). */
static void lift_near(struct qctx *c, const size_t *w, size_t nw)
{
    uint32_t masks[LIMIT_QUERY_KEYS];
    const struct u32vec *ls[LIMIT_QUERY_KEYS];
    size_t n = 0;
    bool one_year = false;
    for (size_t d = 0; d < c->qf.ndob; d++) {
        one_year = one_year || c->qf.dob[d].year_to == c->qf.dob[d].year;
        for (size_t a = 0; a < nw && c->qf.dob[d].year_to == c->qf.dob[d].year; a++)
            n = date_keys(c, masks, n, w[a], &c->qf.dob[d]);
    }
    /* names whose birth years are a range too wide to key (year 0): the
     * nationality and the range (+4) lift them by more than lone_may_alert
     * allows for a year not keyed (+2) */
    for (size_t a = 0; a < nw && one_year && c->nat_lifts && c->by_pairs; a++)
        if (lone_points(c, w[a]) + 6.0f + 4.0f + 0.5f >= (float)c->q->threshold)
            n = lift_keys(c, masks, n, w[a], KEY_YEAR, NULL, 0);
    int years[3 * NAMES_MAX_DOB + 1];
    size_t ny = nat_years(c, years);
    for (size_t v = 0; v < c->qf.nnat; v++) {
        for (size_t a = 0; a < nw && !(c->qf.nat_common & (1u << v)); a++) {
            if (!(c->nat_words & (1u << w[a])))
                continue;
            if (ny == 0)
                n = lift_keys(c, masks, n, w[a], KEY_NAT, c->qf.nat[v], 0);
            for (size_t k = 0; k < ny; k++)
                n = lift_keys(c, masks, n, w[a], KEY_NATY, c->qf.nat[v], years[k]);
        }
    }
    lookup_batch(c->x, c->keys, n, ls);
    for (size_t k = 0; k < n; k++) {
        /* one key holds every spelling of a common word: its single
         * postings, one per spelling, are shorter and scanned instead */
        if ((masks[k] & NATKEY_BIT) && ls[k] != NULL && ls[k]->n > LIMIT_QUERY_SCAN_POST)
            c->scan_words |= (uint16_t)(masks[k] & NAME_BITS);
        else
            add_item(c, ls[k], masks[k]);
    }
}

/* Scans items[from..] shortest first within the budget. Longer postings
 * (very common tokens) are not scanned: a candidate found otherwise learns
 * the query tokens it shares from the memo (make_cands), and two common
 * tokens together are found through pair keys (pair_near). When sample
 * and nothing has been found, the shortest posting too long to scan gives
 * its first LIMIT_CANDIDATES names. */
static void scan_items(struct qctx *c, size_t from, bool sample)
{
    struct scratch *s = c->s;
    size_t big = s->nitems;
    qsort(s->items + from, s->nitems - from, sizeof s->items[0], cmp_item);
    for (size_t k = from; k < s->nitems; k++) {
        const struct u32vec *p = s->items[k].post;
        if (p->n > LIMIT_QUERY_SCAN_POST || c->visited + p->n > LIMIT_QUERY_VISIT) {
            big = k;
            break;
        }
        const uint32_t *d = u32vec_cdata(p);
        for (size_t j = 0; j < p->n; j++)
            acc_add(c, d[j], (uint16_t)s->items[k].mask);
        c->visited += p->n;
    }
    if (sample && s->nslots == 0 && big < s->nitems) {
        const struct u32vec *p = s->items[big].post;
        for (size_t j = 0; j < p->n && j < LIMIT_CANDIDATES; j++)
            acc_add(c, u32vec_cdata(p)[j], (uint16_t)s->items[big].mask);
        big++;
    }
    c->skipped = c->skipped || big < s->nitems;
    for (size_t k = big; k < s->nitems; k++) {
        uint32_t m = s->items[k].mask;
        /* a birth-year posting of the second round (visit) lifts nothing:
         * the date keys did */
        c->year_skipped = c->year_skipped || (m & (YEAR_BIT | NATKEY_BIT | ROUND2_BIT)) == YEAR_BIT;
        /* With pairs, a word's token + nationality postings serve only the
         * names that share that word alone (lone_may_alert): the pair keys
         * found every name sharing it with another word, unless the word
         * has more near spellings than were paired (then its single
         * postings are scanned, and one not scanned counts). */
        if (!c->by_pairs || !(m & (SINGLE_BIT | NATKEY_BIT)) || (m & c->near_full))
            c->unscanned |= m & NAME_BITS;
    }
}

/* Scans the postings gathered. When one was too long to scan, the token +
 * birth-year postings of every query word follow, for each full birth date
 * of the query: a name sharing a common word (or a spelling of it past
 * LIMIT_QUERY_NEAR) and another word, or a common word and the nationality, is
 * then still found when it shares the year, through the year posting of a
 * word, which is far shorter than the common word's. Its other shared
 * words come from the memo (cand_mask). */
static void visit(struct qctx *c)
{
    struct scratch *s = c->s;
    size_t n = 0;
    for (size_t k = 0; k < s->nitems; k++) { /* drop what the pair keys cover */
        uint32_t m = s->items[k].mask;
        if (!c->by_pairs || !(m & SINGLE_BIT) || (m & c->scan_words & NAME_BITS))
            s->items[n++] = s->items[k];
    }
    s->nitems = n;
    scan_items(c, 0, true);
    if (!c->skipped || c->qf.ndob == 0)
        return;
    uint32_t masks[LIMIT_QUERY_KEYS];
    const struct u32vec *ls[LIMIT_QUERY_KEYS];
    n = 0;
    for (size_t d = 0; d < c->qf.ndob; d++) {
        const struct names_date *q = &c->qf.dob[d];
        if (q->day == 0 || q->year_to != q->year) /* a partial date looked the year up */
            continue;
        for (size_t i = 0; i < c->qn.ntok && i < 13; i++)
            if (name_word(&c->qn.tok[i]))
                n = lift_keys(c, masks, n, i, KEY_YEAR, NULL, q->year);
    }
    lookup_batch(c->x, c->keys, n, ls);
    size_t from = s->nitems;
    for (size_t k = 0; k < n; k++)
        add_item(c, ls[k], masks[k] | ROUND2_BIT);
    scan_items(c, from, false);
}

/* The query tokens that name nm shares with the query, from the memo of
 * gathered near tokens (exact: no posting needs probing). */
static uint16_t shared_mask(const struct qctx *c, const struct nname *nm)
{
    uint16_t m = 0;
    for (size_t j = 0; j < nm->ntok; j++) {
        const struct memo_row *row = row_find(c, nx_tok(c->x, nm, j));
        if (row != NULL)
            m |= row->seen;
    }
    return m & NAME_BITS;
}

/* Birth-date points of dates dob[0..ndob) for this query plus nationality
 * points nat (NAT_POINTS, -NAT_POINTS or 0; NAT_LIFTS when a matching one
 * is not common), as names_score_facts() gives them (the bound needs no
 * guessing here), and in *lift the points they add to the cap of a weak
 * name: an equal or swapped full date its points, a matching nationality
 * that is not common on the list 6. */
static int evidence_of(const struct qctx *c, const struct names_date *dob, size_t ndob, int nat,
                       int *lift)
{
    static const int pts[] = {[NAMES_DOB_NONE] = 0,  [NAMES_DOB_EXACT] = 12,
                              [NAMES_DOB_SWAP] = 8,  [NAMES_DOB_YEAR] = 6,
                              [NAMES_DOB_RANGE] = 4, [NAMES_DOB_NEAR] = 2,
                              [NAMES_DOB_SAME_YEAR_DIFF] = 2, [NAMES_DOB_MISMATCH] = -15};
    int best = INT32_MIN;
    for (size_t i = 0; i < c->qf.ndob; i++)
        for (size_t j = 0; j < ndob; j++) {
            int k = names_date_compare(&c->qf.dob[i], &dob[j]);
            best = pts[k] > best ? pts[k] : best;
        }
    if (best == INT32_MIN)
        best = 0;
    /* only an equal (12) or swapped (8) date scores 8 or more */
    *lift = best >= pts[NAMES_DOB_SWAP] ? best : 0;
    *lift += nat == NAT_LIFTS ? NAT_POINTS : 0;
    return best + (nat == NAT_LIFTS ? NAT_POINTS : nat);
}

/* evidence_of for an entry, read from the entry. */
static int evidence(const struct qctx *c, const struct nentry *e, int *lift)
{
    int nat = 0;
    if (c->qf.nnat > 0 && e->facts.nnat > 0) {
        nat = -NAT_POINTS;
        for (size_t i = 0; i < c->qf.nnat; i++)
            for (size_t j = 0; j < e->facts.nnat; j++)
                if (strcmp(c->qf.nat[i], e->facts.nat[j]) == 0 && nat != NAT_LIFTS)
                    nat = c->qf.nat_common & (1u << i) ? NAT_POINTS : NAT_LIFTS;
    }
    return evidence_of(c, e->facts.dob, e->facts.ndob, nat, lift);
}

/* Whether the dense copy d tells the evidence of its entry for this query:
 * it holds all the entry's facts (NX_EXACT) and the query's nationalities
 * pack. */
static bool dense_exact(const struct qctx *c, const struct ndense *d)
{
    return (d->span_md & NX_EXACT) && c->qnat_packed;
}

/* The birth dates of the entry of a dense copy d that holds them all
 * (NX_EXACT): none, or its one full date in *one. Returns how many. */
static size_t dense_dob(const struct ndense *d, struct names_date *one)
{
    int month, day;
    if (d->ylo == 0 || !nx_one_date(d, &month, &day))
        return 0;
    *one = (struct names_date){.year = d->ylo, .year_to = d->ylo, .month = (int8_t)month,
                               .day = (int8_t)day};
    return 1;
}

/* evidence() from the dense copy, when it says all (dense_exact): the same
 * points, without reading the entry. False when it cannot tell. */
static bool dense_evidence(const struct qctx *c, const struct ndense *d, int *ev, int *lift)
{
    if (!dense_exact(c, d))
        return false;
    struct names_date one;
    size_t ndob = dense_dob(d, &one);
    int nat = 0;
    if (c->qf.nnat > 0 && d->nat[0] != NX_NAT_NONE) {
        nat = -NAT_POINTS;
        for (size_t i = 0; i < c->qf.nnat; i++)
            for (size_t k = 0; k < 2; k++)
                if (d->nat[k] != NX_NAT_NONE && d->nat[k] == c->qnat[i] && nat != NAT_LIFTS)
                    nat = c->qf.nat_common & (1u << i) ? NAT_POINTS : NAT_LIFTS;
    }
    *ev = evidence_of(c, &one, ndob, nat, lift);
    return true;
}

/* Whether dictionary token t, not gathered for any query word, may still
 * match one when the name is scored: by truncation (a shared start), by
 * consonant skeleton (vowel-less scripts), as the second half of a joined
 * pair whose first half (prev) matched, or as the word a query initial
 * stands for (told by the written letter or the variant class, which the
 * bound cannot see: any word). Errs towards yes. *words gets the query
 * name words it may match that way (an initial is not one: its weight is
 * counted as matched anyway, in wq_other). */
static size_t min_len(const struct dhot *t)
{
    return t->phon_len < t->text_len ? t->phon_len : t->text_len;
}

static size_t max_len(const struct dhot *t)
{
    return t->phon_len < t->text_len ? t->text_len : t->phon_len;
}

static bool may_match(const struct qctx *c, const struct dhot *t, const struct dhot *prev,
                      uint16_t *words)
{
    /* a join is told by lengths: the shorter of key and written form on
     * the listed side, the longer on the query side (a variant class's key
     * can be longer than the word: Kate is read katerine) */
    size_t lt = min_len(t), lp = prev != NULL ? min_len(prev) : 0;
    bool may = false;
    *words = 0;
    for (size_t i = 0; i < c->qn.ntok; i++) {
        const struct dhot *q = &c->qhot[i];
        size_t lq = q->phon_len > q->text_len ? q->phon_len : q->text_len;
        if (q->flags & NAMES_TF_INITIAL)
            may = true;
        if (!hot_word(q) || lq < 2)
            continue;
        /* equal skeletons: a hash collision only loosens the bound */
        if ((t->phon_len >= 2 && q->phon2[0] == t->phon2[0] && q->phon2[1] == t->phon2[1]) ||
            (((q->flags | t->flags) & NAMES_TF_ABJAD) && q->skel_hash == t->skel_hash) ||
            (prev != NULL && lq + 2 >= lp + lt && q->phon2[0] == prev->phon2[0])) {
            may = true;
            if (i < 13 && name_word(&c->qn.tok[i]))
                *words |= (uint16_t)(1u << i);
        }
    }
    return may;
}

/* Most weight of nm's tokens that can be matched: its name words near a
 * shared query word (the memo says which dictionary tokens were gathered
 * for which query word), those that may_match, and every token that is not
 * a name word (a particle or an initial may match without being gathered). */
struct cweight {
    float w;        /* weight of its tokens that may match */
    size_t counted; /* query words they may cover (one each, two for a join) */
    uint16_t other; /* query name words its tokens not gathered may match (may_match) */
    size_t nother;  /* those tokens */
    bool sure;      /* nothing but its gathered words can match: no initial on either
                     * side, no two of its words that may be one query word joined */
    float strong;   /* most weight of strong word pairs (names_match.c matched_weight) */
    bool exact;     /* strong is exact: every word counted was gathered, none may join */
};

/* The best strong pair of listed word t (memo row) with a query word of
 * mask: min(weights) x similarity, as the scorer counts matched weight. */
static float strong_pair(const struct qctx *c, float wt, const struct memo_row *row,
                         uint16_t mask)
{
    float best = 0.0f;
    uint16_t m = row->seen & row->done & mask & NAME_BITS;
    for (size_t i = 0; m != 0; i++, m >>= 1) {
        if (!(m & 1u) || row->sim[i] < STRONG_SIM)
            continue;
        float wq = c->qn.tok[i].weight, v = (wq < wt ? wq : wt) * row->sim[i];
        best = v > best ? v : best;
    }
    return best;
}

/* Whether initial i and word w may match as names_token_sim matches them:
 * the initial's letter starts the word or its variant-class head. */
static bool initial_of(char i, char text0, char canon0)
{
    return i != '\0' && (i == text0 || i == canon0);
}

/* The query name words a listed initial t may stand for. */
static uint16_t initial_words(const struct qctx *c, const struct dhot *t)
{
    uint16_t m = 0;
    for (size_t i = 0; i < c->qn.ntok && i < 13; i++) {
        const struct names_token *q = &c->qn.tok[i];
        if (name_word(q) && initial_of(t->text0, q->text[0], q->canon[0]))
            m |= (uint16_t)(1u << i);
    }
    return m;
}

/* Whether a query initial may stand for listed word t. */
static bool by_initial(const struct qctx *c, const struct dhot *t)
{
    for (size_t i = 0; i < c->qn.ntok; i++)
        if ((c->qn.tok[i].flags & NAMES_TF_INITIAL) &&
            initial_of(c->qn.tok[i].text[0], t->text0, t->canon0))
            return true;
    return false;
}

/* The query words of the adjacent pairs that, joined, are about as long
 * as a listed word of l letters (see join_lengths). */
static uint16_t join_words(const struct qctx *c, size_t l)
{
    uint16_t m = 0;
    for (size_t i = 0; i + 1 < c->qn.ntok && i + 1 < 13; i++) {
        const struct names_token *x = &c->qn.tok[i], *y = &c->qn.tok[i + 1];
        if ((!name_word(x) && !(x->flags & NAMES_TF_PARTICLE)) || !name_word(y))
            continue;
        size_t j = (size_t)c->qv.text_len[i] + c->qv.text_len[i + 1];
        if (l + 2 >= j && l <= j + 2)
            m |= (uint16_t)((name_word(x) ? 1u << i : 0u) | 1u << (i + 1));
    }
    return m;
}

static void cand_weight(const struct qctx *c, const struct nname *nm, uint16_t mask,
                        struct cweight *out)
{
    *out = (struct cweight){.exact = true, .sure = true};
    const struct dhot *prev = NULL, *before = NULL;
    for (size_t j = 0; j < nm->ntok; j++) {
        uint32_t tok = nx_tok(c->x, nm, j);
        const struct dhot *t = &c->x->dhot[tok];
        bool word = hot_word(t);
        if (t->flags & NAMES_TF_INITIAL) { /* it may stand for a query word */
            uint16_t m = initial_words(c, t);
            if (m != 0)
                out->sure = false, out->other |= m, out->nother++;
        } else if (c->q_initial && hot_word(t) && by_initial(c, t)) {
            out->sure = false; /* a query initial may stand for it */
        }
        if (before != NULL && min_len(before) + min_len(t) <= c->qlen_hi + 2u &&
            max_len(before) + max_len(t) + 2u >= c->qlen_lo)
            out->sure = false; /* the two may be one query word written split */
        before = t;
        const struct memo_row *row = word ? row_find(c, tok) : NULL;
        bool seen = row != NULL && (row->seen & mask & NAME_BITS) != 0;
        uint16_t words = 0;
        if (!word || seen || may_match(c, t, prev, &words)) {
            if (words != 0)
                out->other |= words, out->nother++;
            out->w += t->weight;
            out->counted++;
            if (c->join_hi > 0 && word) { /* it may stand for two joined query words */
                size_t l = t->text_len;
                if (l + 2 >= c->join_lo && l <= c->join_hi + 2) {
                    out->counted++, out->exact = false;
                    out->other |= join_words(c, l), out->nother += 2;
                }
            }
            if (seen)
                out->strong += strong_pair(c, t->weight, row, mask);
            else if (word)
                out->exact = false; /* matched otherwise (truncation, skeleton, join) */
            prev = t;
        } else {
            prev = NULL;
        }
    }
}

/* The sum of the m largest of the n weights w (sorted in place). */
static float top_sum(float *w, size_t n, size_t m)
{
    float s = 0.0f;
    for (size_t i = 0; i < m && i < n; i++) {
        size_t best = i;
        for (size_t j = i + 1; j < n; j++)
            best = w[j] > w[best] ? j : best;
        float t = w[i];
        w[i] = w[best], w[best] = t;
        s += w[i];
    }
    return s;
}

/* Upper bound of the name points of candidate nm sharing the query tokens
 * in mask (capped as a weak name could be at best when it is weak for
 * sure); *weak tells whether the name is weak (WEAK_SURE), may be
 * (WEAK_MAY: one shared word, but an initial, a truncation or a join may
 * match another), or is not. Reads the name and the memo only. */
static float name_bound(const struct qctx *c, const struct nname *nm, uint16_t mask, int *weak)
{
    bool exact = false; /* every word it may match was gathered (cand_weight) */
    *weak = WEAK_NOT;
    if (mask & DOC_BIT)
        return 100.0f;
    float mq = c->wq_other, ws[LIMIT_NAME_TOKENS];
    bool strong_short = false;
    int k = 0;
    for (size_t i = 0; i < c->qn.ntok; i++) {
        if (mask & (1u << i)) {
            mq += c->qn.tok[i].weight;
            ws[k++] = c->qn.tok[i].weight;
        }
    }
    const struct ndense *d = &c->x->dense[nm - c->x->names];
    float cc = (float)((mask & JOIN_BIT) ? 2 * k : k) * d->wmax + c->wq_other;
    if (!(mask & JOIN_BIT) && !c->memo_full) { /* tighter: the weights of its own tokens */
        struct cweight cw;
        cand_weight(c, nm, mask, &cw);
        /* query words outside the mask that its tokens not gathered may
         * match (a truncation: Mary ~ Marisol) may be covered too, the
         * heaviest one per such token, and then the name is not weak */
        float xs[LIMIT_NAME_TOKENS];
        size_t nx = 0;
        for (size_t i = 0; i < c->qn.ntok && i < 13; i++)
            if ((cw.other & ~mask) & (1u << i))
                xs[nx++] = c->qn.tok[i].weight;
        size_t add = nx < cw.nother ? nx : cw.nother;
        if (add > 0) {
            mq += top_sum(xs, nx, add);
            for (size_t j = 0; j < add; j++)
                ws[k++] = xs[j];
        }
        /* each query word covers one listed word, unless a listed word may
         * match otherwise: a listed join (Daniel Lad ~ Daniela) covers two
         * with one */
        cc = cw.exact ? (float)k * d->wmax + c->wq_other : cw.w;
        cc = cw.w < cc ? cw.w : cc;
        /* each of its tokens aligns with one query word at most: of the
         * shared query words, only its `counted` heaviest can be covered
         * (a query that writes one name twice against a name that has it
         * once covers one) */
        if (cw.counted < (size_t)k)
            mq = c->wq_other + top_sum(ws, (size_t)k, cw.counted);
        /* too little weight in strong word pairs: the scorer calls it weak */
        strong_short = cw.exact && cw.sure && cw.strong + 1e-4f < STRONG_MIN_WEIGHT;
        exact = cw.exact && cw.other == 0 && cw.sure;
    }
    float covq = c->wq > 0.0f ? mq / c->wq : 0.0f;
    float covc = d->wsum > 0.0f ? (cc < d->wsum ? cc / d->wsum : 1.0f) : 0.0f;
    covq = covq > 1.0f ? 1.0f : covq;
    float lo = covq < covc ? covq : covc, hi = covq < covc ? covc : covq;
    float pts = 100.0f * (0.6f * lo + 0.4f * hi); /* COV_MIN_SHARE in names_match.c */
    /* weak for sure: a weak alias, too little strong weight, or one shared
     * word when nothing else of the name may match (an initial on either
     * side, a truncation, or a join it was not gathered for would make
     * two) */
    if ((nm->flags & NAME_WEAK) || strong_short || (k <= 1 && !(mask & JOIN_BIT) && exact))
        *weak = WEAK_SURE;
    else if (k <= 1 && !(mask & JOIN_BIT))
        *weak = WEAK_MAY;
    if (*weak == WEAK_SURE && pts > WEAK_CAP + MAX_EVIDENCE) /* one that may be is not capped */
        pts = WEAK_CAP + MAX_EVIDENCE;
    return pts;
}

/* Whether a bound b of a score may reach the query's threshold: a score
 * is never below 0, so every name reaches a threshold of 0 (which asks
 * for the best `limit`, whatever their scores). */
static bool may_alert(const struct qctx *c, float b)
{
    return (b > 0.0f ? b : 0.0f) >= (float)c->q->threshold;
}

/* Most points birth date and nationality can add to nm, from the birth
 * years kept in the name (no entry is read): a query whose every birth
 * year is two or more years outside the entry's years gets the mismatch
 * (-15) whatever the days. */
static int evidence_cap(const struct qctx *c, int ylo, int yhi)
{
    int dob = 0, nat = c->qf.nnat > 0 ? 6 : 0;
    if (c->qf.ndob == 0 || ylo == 0)
        return nat;
    dob = -15;
    for (size_t i = 0; i < c->qf.ndob && dob < 0; i++) {
        const struct names_date *d = &c->qf.dob[i];
        if (d->year == 0 || (d->year_to > ylo - 2 && d->year < yhi + 2))
            dob = 12;
    }
    return dob + nat;
}

/* Most points birth date and nationality can add to the name whose dense
 * copy is d: the points themselves when the copy says all its entry's
 * facts (NX_EXACT), else evidence_cap. */
static int dense_cap(const struct qctx *c, const struct ndense *d)
{
    int ev, lift;
    return dense_evidence(c, d, &ev, &lift) ? ev : evidence_cap(c, d->ylo, nx_yhi(d));
}

enum { NAT_NO, NAT_YES, NAT_MAYBE };

/* Whether the entry of a name (its dense copy d) lists a nationality of the
 * query that is not common on the list (then it lifts a weak name):
 * NAT_MAYBE when only the entry can tell (a code that does not pack, or
 * more than two). */
static int nat_may(const struct qctx *c, const struct ndense *d)
{
    int r = NAT_NO;
    for (size_t i = 0; i < c->qf.nnat; i++) {
        if (c->qf.nat_common & (1u << i))
            continue; /* it lifts nothing */
        for (size_t k = 0; k < 2 && d->nat[k] != NX_NAT_NONE; k++) {
            if (d->nat[k] == NX_NAT_MORE || c->qnat[i] == NX_NAT_MORE)
                r = NAT_MAYBE;
            else if (d->nat[k] == c->qnat[i])
                return NAT_YES;
        }
    }
    return r;
}

/* Whether a birth date of the query may fall in the birth years of the
 * entry of a name (its dense copy d). */
static bool years_may_equal(const struct qctx *c, const struct ndense *d)
{
    for (size_t i = 0; i < c->qf.ndob && d->ylo != 0; i++)
        if (c->qf.dob[i].year_to >= d->ylo && c->qf.dob[i].year <= nx_yhi(d))
            return true;
    return false;
}

/* Whether a name sharing only the query words in m may have been missed by
 * the token + birth-year keys (lift_near): a year posting was not scanned,
 * or a word had more near spellings than were keyed. */
static bool year_unkeyed(const struct qctx *c, uint16_t m)
{
    return c->year_skipped || (m & c->near_full) != 0;
}

/* Whether a full birth date of the query may equal the entry's (d), or be
 * it with day and month swapped: the only dates that lift a weak name
 * (names_score_facts). Told from the dense copy when the entry has one
 * full date; an entry with no date cannot be lifted by one. */
static bool date_may_lift(const struct qctx *c, const struct ndense *d)
{
    int m, dd;
    if (d->ylo == 0)
        return false;
    if (!nx_one_date(d, &m, &dd))
        return true; /* several dates, or a partial one: the entry tells */
    for (size_t i = 0; i < c->qf.ndob; i++) {
        const struct names_date *q = &c->qf.dob[i];
        if (q->year == d->ylo && q->year_to == q->year && q->day != 0 &&
            ((q->month == m && q->day == dd) || (q->month == dd && q->day == m)))
            return true;
    }
    return false;
}

/* Whether the candidate found as a shares one query word alone and neither
 * the nationality nor a birth year missed by the year keys may lift it,
 * told without its dense copy (a query without nationality, every year
 * keyed): then it cannot alert (see may_reach). */
static bool lone_unlifted(const struct qctx *c, const struct found *a)
{
    uint16_t m = (uint16_t)((a->mask | c->unscanned) & NAME_BITS);
    return c->by_pairs && !c->nat_lifts && !c->memo_full && c->s->nitems < LIMIT_QUERY_POSTINGS &&
           !(a->mask & (DOC_BIT | JOIN_BIT | YEAR_BIT)) && c->wq > 0.0f &&
           bits16(m) <= 1 && !year_unkeyed(c, m);
}

/* Before a candidate's name is read (a cache miss per name at 1M): the
 * most name points from the query words it may share (those of its
 * postings, and of every posting not scanned), with the listed side
 * covered as far as its heaviest tokens allow, plus the most evidence its
 * birth years allow, all from the dense copy in x->dense. False when that
 * cannot reach the threshold. */
static bool may_reach(const struct qctx *c, const struct found *a)
{
    if (c->memo_full || c->s->nitems >= LIMIT_QUERY_POSTINGS || (a->mask & (DOC_BIT | JOIN_BIT)) ||
        c->wq <= 0.0f)
        return true;
    uint16_t m = (uint16_t)((a->mask | c->unscanned) & NAME_BITS);
    const struct ndense *d = &c->x->dense[a->name];
    int k = bits16(m);
    /* a lone shared token: weak, and without a lift it stays below the
     * threshold (see cand_mask); the lifts are told from the dense copy */
    if (c->by_pairs && !(a->mask & YEAR_BIT) && k <= 1 && nat_may(c, d) == NAT_NO &&
        !(year_unkeyed(c, m) && years_may_equal(c, d)))
        return false;
    /* one found through a birth-year or nationality key: the same, lifted
     * only by an equal (or swapped) full date or by the nationality */
    if (c->by_pairs && (a->mask & YEAR_BIT) && k <= 1 && nat_may(c, d) == NAT_NO &&
        !date_may_lift(c, d))
        return false;
    float mq = c->wq_other;
    for (size_t i = 0; i < c->qn.ntok; i++)
        if (m & (1u << i))
            mq += c->qn.tok[i].weight;
    float covq = mq / c->wq < 1.0f ? mq / c->wq : 1.0f;
    /* the listed side as name_bound bounds it before reading the tokens */
    float cc = (float)k * d->wmax + c->wq_other;
    float covc = d->wsum > 0.0f ? (cc < d->wsum ? cc / d->wsum : 1.0f) : 0.0f;
    float lo = covq < covc ? covq : covc, hi = covq < covc ? covc : covq;
    float pts = 100.0f * (0.6f * lo + 0.4f * hi); /* COV_MIN_SHARE */
    if (k <= 1 && pts > WEAK_CAP + MAX_EVIDENCE)
        pts = WEAK_CAP + MAX_EVIDENCE;
    /* the loose cap, not dense_cap: the name points above count only the
     * words of the mask, and a word matched by truncation or an initial
     * can add more (see docs/matching.md, section 5) */
    int ev = evidence_cap(c, d->ylo, nx_yhi(d));
    return may_alert(c, pts + (float)ev + 0.5f);
}

/* The bound of the score of candidate cd, whose evidence points are
 * known, when its name points are at most pts: the cap names_score_facts
 * gives a weak name (one that may not be weak is not capped), then the
 * evidence, and the half point of the rounding. */
static float points_bound(const struct cand *cd, float pts)
{
    if (cd->weak == WEAK_SURE && pts > WEAK_CAP + (float)cd->lift)
        pts = WEAK_CAP + (float)cd->lift;
    float b = pts + (float)cd->ev + 0.5f;
    return b > 0.0f ? b : 0.0f; /* a score is never below 0 */
}

/* Upper bound of the score of candidate nm, whose name_bound is pts;
 * -1 when even with the most evidence it cannot reach threshold. The
 * score rounds its name points (62.5 gives 63), so the bound allows the
 * half point: without it, a name tied with the limit-th best score was
 * dropped in favour of a lower one. */
static float bound_of(const struct qctx *c, const struct nname *nm, float pts, struct cand *cd)
{
    const struct ndense *d = &c->x->dense[nm - c->x->names];
    int lift, ev;
    if (!dense_evidence(c, d, &ev, &lift)) {
        if (!may_alert(c, pts + (float)evidence_cap(c, d->ylo, nx_yhi(d)) + 0.5f))
            return -1.0f;
        ev = evidence(c, &c->x->entries[nm->entry], &lift);
    }
    cd->ev = (int8_t)ev, cd->lift = (int8_t)lift;
    return points_bound(cd, pts);
}

/* Whether candidate x comes after y: a lower bound, or an equal bound and
 * a higher name id. */
static bool cand_after(const struct cand *x, const struct cand *y)
{
    return x->bound < y->bound || (x->bound == y->bound && x->name > y->name);
}

/* Sifts a[i] down the heap a[0..n) whose top is the candidate that comes
 * first. */
static void sift_down(struct cand *a, size_t i, size_t n)
{
    for (size_t k; (k = 2 * i + 1) < n; i = k) {
        if (k + 1 < n && cand_after(&a[k], &a[k + 1]))
            k++;
        if (!cand_after(&a[i], &a[k]))
            return;
        struct cand t = a[i];
        a[i] = a[k], a[k] = t;
    }
}

/* Orders the candidates for score_all, best bound first, then by name id:
 * a few dozen, mostly, sorted by insertion; more (up to LIMIT_CANDIDATES)
 * made a heap, from which score_all takes them one at a time (next_cand),
 * as it usually stops after a few dozen. Both in place: qsort's merge sort
 * allocated a buffer, and a large allocation among a manifest's many small
 * frees made malloc consolidate its free lists (2% of a manifest's time). */
static void order_cands(struct scratch *s)
{
    struct cand *a = s->cands;
    size_t n = s->ncands;
    s->heap = n > 64;
    if (s->heap) {
        for (size_t i = n / 2; i-- > 0;)
            sift_down(a, i, n);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        struct cand t = a[i];
        size_t j = i;
        for (; j > 0 && cand_after(&a[j - 1], &t); j--)
            a[j] = a[j - 1];
        a[j] = t;
    }
}

/* The place of the next candidate in order when `done` were taken: in a
 * heap, its top moves behind the heap, which shrinks by one. */
static size_t next_cand(struct scratch *s, size_t done)
{
    if (!s->heap)
        return done;
    size_t e = s->ncands - done - 1;
    struct cand t = s->cands[0];
    s->cands[0] = s->cands[e], s->cands[e] = t;
    sift_down(s->cands, 0, e);
    return e;
}

/* The place of a candidate that comes soon after the one at k (for a
 * prefetch; in a heap, one of the top's children, or the top). */
static size_t soon_cand(const struct scratch *s, size_t done, size_t k, size_t ahead)
{
    if (!s->heap)
        return k + ahead;
    size_t e = s->ncands - done - 1; /* the heap's size now */
    return ahead - 1 < e ? ahead - 1 : s->ncands;
}

/* Moves the k candidates with the highest bound to the front (quickselect). */
static void select_top(struct cand *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        float pivot = a[lo + (hi - lo) / 2].bound;
        size_t i = lo, j = hi - 1;
        while (i <= j) {
            while (a[i].bound > pivot)
                i++;
            while (a[j].bound < pivot)
                j--;
            if (i <= j) {
                struct cand t = a[i];
                a[i] = a[j], a[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j + 1;
        else if (k >= i)
            lo = i;
        else
            return;
    }
}

static bool entry_active(const struct nentry *e, int32_t today)
{
    if (!e->live)
        return false;
    if (e->valid_from != WL_NO_DATE && today < e->valid_from)
        return false;
    return e->valid_until == WL_NO_DATE || today <= e->valid_until;
}

/* The full mask of the candidate found as a, or 0 when it cannot
 * alert: a lone shared token with nothing to lift a weak name. */
static uint16_t cand_mask(const struct qctx *c, const struct found *a)
{
    uint16_t m = a->mask;
    /* a split or joined token covers two words on one side: not lone */
    bool lone = c->by_pairs && !(m & (DOC_BIT | YEAR_BIT | JOIN_BIT)) &&
                bits16(m & NAME_BITS) <= 1;
    int nat = nat_may(c, &c->x->dense[a->name]);
    /* Every posting of the other query tokens was scanned: the mask is
     * complete (the name is not read). */
    if (lone && (c->unscanned & ~m) == 0 && !year_unkeyed(c, m) && nat == NAT_NO)
        return 0;
    const struct nname *nm = &c->x->names[a->name];
    if (nm->flags & NAME_DEAD)
        return 0;
    if ((c->unscanned & ~m) || (m & JOIN_BIT)) /* a split key knows one word only */
        m |= shared_mask(c, nm);
    /* One shared token, no nationality of the entry's to corroborate and no
     * token + year key: the name stays weak and no full birth date can lift
     * it (a full date match implies the date key), so it cannot alert. */
    if (lone && bits16(m & NAME_BITS) <= 1) {
        int lift = nat == NAT_YES;
        if (!lift && (nat == NAT_MAYBE || (year_unkeyed(c, m) && years_may_equal(c, &c->x->dense[a->name]))))
            (void)evidence(c, &c->x->entries[nm->entry], &lift); /* else no entry read */
        if (!lift)
            return 0;
    }
    return m;
}

/* Whether name was found for this query (acc_add). */
static bool found_has(const struct scratch *s, uint32_t name)
{
    for (uint32_t h = (name * 2654435761u) & (LIMIT_QUERY_SLOTS - 1);;
         h = (h + 1) & (LIMIT_QUERY_SLOTS - 1)) {
        const struct acc_slot *a = &s->acc[h];
        if (a->stamp != s->stamp)
            return false;
        if (a->name == name)
            return true;
    }
}

#define FILL_SET 2048u /* entry ids add_fillers tracks: twice the most an answer holds */

/* Adds entry to the set of FILL_SET slots (ids stored + 1, 0 empty);
 * false when it was there. */
static bool set_add(uint32_t *set, uint32_t entry)
{
    for (uint32_t h = (entry * 2654435761u) & (FILL_SET - 1);; h = (h + 1) & (FILL_SET - 1)) {
        if (set[h] == entry + 1)
            return false;
        if (set[h] == 0) {
            set[h] = entry + 1;
            return true;
        }
    }
}

/* Whether name nm may be in an answer today: not removed, and its entry
 * inside its validity window. */
static bool name_live(const struct qctx *c, const struct nname *nm)
{
    return !(nm->flags & NAME_DEAD) &&
           (!(nm->flags & NAME_WINDOW) || entry_active(&c->x->entries[nm->entry], c->q->today));
}

/* At a threshold of 0 the best `limit` entries come back whatever their
 * score (CONTRACT.md), also when fewer share a key with the query. When
 * the candidates s->cands[0..n) hold fewer than `limit` entries that may
 * be answered today, names that were not found, the first live ones of the
 * index, each of an entry not yet there, join them with the loosest bound
 * (100 name points) and are scored like the others. They share no word
 * with the query and score on its other evidence. Bounded: at most
 * LIMIT_QUERY_FILL names are looked at. Returns the new n. */
static size_t add_fillers(struct qctx *c, size_t n)
{
    struct scratch *s = c->s;
    uint32_t set[FILL_SET];
    size_t want = c->q->limit > 0 ? c->q->limit : NAMES_DEFAULT_LIMIT, have = 0;
    want = want < FILL_SET / 2 ? want : FILL_SET / 2;
    memset(set, 0, sizeof set);
    for (size_t j = 0; j < n && have < want; j++) {
        const struct nname *nm = &c->x->names[s->cands[j].name];
        have += name_live(c, nm) && set_add(set, nm->entry);
    }
    for (uint32_t id = 0; id < c->x->nnames && id < LIMIT_QUERY_FILL && have < want; id++) {
        const struct nname *nm = &c->x->names[id];
        if (!name_live(c, nm) || found_has(s, id) || !set_add(set, nm->entry))
            continue;
        s->cands[n++] = (struct cand){id, 100.0f, -1, 0, WEAK_MAY, 0, 0};
        have++;
    }
    return n;
}

/* Bounds the candidates and keeps the best LIMIT_CANDIDATES, best first.
 * Each pass touches one table (names, entries, facts) for all candidates
 * after prefetching it, so the cache misses overlap. */
static void make_cands(struct qctx *c)
{
    struct scratch *s = c->s;
    size_t n = 0;
    for (size_t j = 0; j < s->nslots; j++) /* drop lone names the dense copy cannot lift */
        if (!lone_unlifted(c, &s->found[j]))
            s->found[n++] = s->found[j];
    s->nslots = n;
    n = 0;
    for (size_t j = 0; j < s->nslots && j < FETCH_AHEAD; j++)
        __builtin_prefetch(&c->x->dense[s->found[j].name]);
    for (size_t j = 0; j < s->nslots; j++) { /* drop what cannot alert, names unread */
        if (j + FETCH_AHEAD < s->nslots)
            __builtin_prefetch(&c->x->dense[s->found[j + FETCH_AHEAD].name]);
        if (may_reach(c, &s->found[j]))
            s->found[n++] = s->found[j];
    }
    s->nslots = n;
    n = 0;
    for (size_t j = 0; j < s->nslots && j < FETCH_AHEAD; j++)
        __builtin_prefetch(&c->x->names[s->found[j].name]); /* one line */
    for (size_t j = 0; j < s->nslots; j++) {
        const struct found *a = &s->found[j];
        if (j + FETCH_AHEAD < s->nslots)
            __builtin_prefetch(&c->x->names[s->found[j + FETCH_AHEAD].name]);
        if (j + HOT_AHEAD < s->nslots) { /* its name has arrived: fetch its tokens */
            const struct nname *ahead = &c->x->names[s->found[j + HOT_AHEAD].name];
            for (size_t k = 0; k < ahead->ntok; k++)
                __builtin_prefetch(&c->x->dhot[nx_tok(c->x, ahead, k)]);
        }
        uint16_t m = cand_mask(c, a);
        if (m == 0)
            continue;
        const struct nname *nm = &c->x->names[a->name];
        int weak;
        float pts = name_bound(c, nm, m, &weak);
        /* most candidates of a long pair posting end here: the name alone,
         * with the birth years kept in it, cannot reach the threshold */
        if (!(m & DOC_BIT) && !may_alert(c, pts + (float)dense_cap(c, &c->x->dense[a->name]) + 0.5f))
            continue;
        /* the entry is read only when the dense copy cannot tell its
         * evidence, or it has a validity window */
        if (!dense_exact(c, &c->x->dense[a->name]) || (nm->flags & NAME_WINDOW))
            __builtin_prefetch(&c->x->entries[nm->entry]);
        s->cands[n++] = (struct cand){a->name, pts, -1, m, (uint8_t)weak, 0, 0};
    }
    if (c->q->threshold == 0 && c->has_name)
        n = add_fillers(c, n);
    for (size_t j = 0; j < n; j++)
        if (!dense_exact(c, &c->x->dense[s->cands[j].name]))
            __builtin_prefetch(c->x->entries[c->x->names[s->cands[j].name].entry].facts.dob);
    s->ncands = 0;
    for (size_t j = 0; j < n; j++) {
        const struct nname *nm = &c->x->names[s->cands[j].name];
        if ((nm->flags & NAME_DEAD) ||
            ((nm->flags & NAME_WINDOW) && !entry_active(&c->x->entries[nm->entry], c->q->today)))
            continue;
        float b = (s->cands[j].mask & DOC_BIT) ? 100.0f
                                                : bound_of(c, nm, s->cands[j].bound,
                                                           &s->cands[j]);
        if (b < 0.0f || b < (float)c->q->threshold)
            continue;
        s->cands[s->ncands] = s->cands[j];
        s->cands[s->ncands++].bound = b;
    }
    if (s->ncands > LIMIT_CANDIDATES) {
        select_top(s->cands, s->ncands, LIMIT_CANDIDATES);
        s->ncands = LIMIT_CANDIDATES;
    }
    order_cands(s);
}

static void view_of(const struct name_index *x, const struct nname *nm, struct names_view *v)
{
    v->n = nm->ntok;
    for (size_t j = 0; j < nm->ntok; j++) {
        uint32_t tok = nx_tok(x, nm, j);
        v->t[j] = &x->dtoks[tok].t;
        v->text_len[j] = x->dhot[tok].text_len;
        v->phon_len[j] = x->dhot[tok].phon_len;
    }
}

/* The similarity matrix of the query against name nm, from the memo. */
struct simtab {
    struct names_view cv;
    float sim[LIMIT_NAME_TOKENS][LIMIT_NAME_TOKENS];
    uint8_t why[LIMIT_NAME_TOKENS][LIMIT_NAME_TOKENS], dist[LIMIT_NAME_TOKENS][LIMIT_NAME_TOKENS];
};

static void sim_table(struct qctx *c, const struct nname *nm, struct simtab *t)
{
    view_of(c->x, nm, &t->cv);
    for (size_t j = 0; j < nm->ntok; j++) {
        const struct memo_row *row = row_of(c, nx_tok(c->x, nm, j));
        for (size_t i = 0; i < c->qn.ntok; i++) {
            t->sim[i][j] = row->sim[i];
            t->why[i][j] = row->why[i];
            t->dist[i][j] = row->dist[i];
        }
    }
}

/* The facts of the entry of name: from its dense copy when that holds
 * all its birth dates and nationalities (NX_EXACT) and no document of the
 * query can be the entry's (the name was not found by one, and by_numbers
 * marked every name it found), so that the entry is not read; else from
 * the entry. */
static void name_facts(const struct qctx *c, uint32_t name, bool by_doc, struct names_facts *cf)
{
    const struct ndense *d = &c->x->dense[name];
    if (!(d->span_md & NX_EXACT) || (c->qf.ndoc > 0 && (by_doc || c->doc_cut))) {
        nx_facts(&c->x->entries[c->x->names[name].entry], cf);
        return;
    }
    cf->nnat = cf->ndoc = 0;
    cf->ndob = dense_dob(d, &cf->dob[0]);
    for (size_t k = 0; k < 2 && d->nat[k] != NX_NAT_NONE; k++)
        nx_nat_str(d->nat[k], cf->nat[cf->nnat++]);
}

/* Scores name with its similarity matrix t; by_doc: it was found by a
 * document number of the query. */
static void score_table(struct qctx *c, uint32_t name, const struct simtab *t, bool by_doc,
                        struct names_result *res)
{
    const struct nname *nm = &c->x->names[name];
    struct names_align al;
    struct names_facts cf;
    if (c->has_name) {
        names_align_view(&c->qv, &t->cv, t->sim, t->why, t->dist, &al);
    } else {
        memset(&al, 0, sizeof al);
        al.weak = true;
    }
    if (nm->flags & NAME_WEAK)
        al.weak = true;
    name_facts(c, name, by_doc, &cf);
    names_score_facts(&al, &c->qf, &cf, res);
}

static void score_name(struct qctx *c, uint32_t name, struct names_result *res)
{
    struct simtab t;
    sim_table(c, &c->x->names[name], &t);
    score_table(c, name, &t, true, res);
}

/* The running top list: distinct entries and their best scores. */
struct top {
    size_t n, cap;
    uint32_t entry[1024];
    int score[1024];
};

static int top_cutoff(const struct top *t)
{
    if (t->n < t->cap)
        return -1;
    int m = 101;
    for (size_t i = 0; i < t->n; i++)
        m = t->score[i] < m ? t->score[i] : m;
    return m;
}

static void top_add(struct top *t, uint32_t entry, int score)
{
    size_t lo = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->entry[i] == entry) {
            if (score > t->score[i])
                t->score[i] = score;
            return;
        }
        if (t->score[i] < t->score[lo])
            lo = i;
    }
    if (t->n < t->cap) {
        t->entry[t->n] = entry, t->score[t->n++] = score;
    } else if (t->n > 0 && score > t->score[lo]) {
        t->entry[lo] = entry, t->score[lo] = score;
    }
}

static size_t score_all(struct qctx *c, size_t limit)
{
    size_t scored = 0;
    struct scratch *s = c->s;
    struct top top; /* 8 KB of arrays, read only below n: not cleared */
    top.n = 0, top.cap = limit < 1024 ? limit : 1024;
    int threshold = c->q->threshold;
    for (size_t done = 0; done < s->ncands; done++) {
        int cut = top_cutoff(&top);
        /* below the threshold, or at best a tie with the limit-th best */
        size_t k = next_cand(s, done), k1 = soon_cand(s, done, k, 1),
               k2 = soon_cand(s, done, k, 2);
        float b = s->cands[k].bound;
        if (b < (float)threshold || (cut >= threshold && b <= (float)cut + 0.5f))
            break;
        uint32_t name = s->cands[k].name;
        /* the entries of the next candidates whose dense copy does not
         * hold their facts: they are read last */
        if (k2 < s->ncands && !(c->x->dense[s->cands[k2].name].span_md & NX_EXACT))
            __builtin_prefetch(&c->x->entries[c->x->names[s->cands[k2].name].entry]);
        if (k1 < s->ncands && !(c->x->dense[s->cands[k1].name].span_md & NX_EXACT)) {
            const struct nentry *e = &c->x->entries[c->x->names[s->cands[k1].name].entry];
            __builtin_prefetch(e->facts.dob);
            __builtin_prefetch(e->facts.nat);
        }
        /* a bound from the similarity matrix, before the alignment: most
         * candidates that share a word or two, misspelt, with a long name
         * end here */
        struct simtab t;
        sim_table(c, &c->x->names[name], &t);
        if (c->has_name && !(s->cands[k].mask & DOC_BIT)) {
            float tb = points_bound(&s->cands[k], 100.0f * names_align_bound(&c->qv, &t.cv, t.sim));
            /* a name that may tie the limit-th best is scored: the tie
             * goes to the lower entry id (collect) */
            if (tb < (float)threshold || (cut >= threshold && tb < (float)cut))
                continue;
        }
        struct rc_slot *rc = &s->results[name % RC_SLOTS];
        scored++;
        score_table(c, name, &t, (s->cands[k].mask & DOC_BIT) != 0, &rc->res);
        rc->stamp = s->stamp, rc->name = name;
        s->cands[k].score = rc->res.score;
        top_add(&top, c->x->names[name].entry, rc->res.score);
    }
    return scored;
}

static char *dup_str(const char *s)
{
    size_t l = strlen(s) + 1;
    char *p = malloc(l);
    if (p != NULL)
        memcpy(p, s, l);
    return p;
}


/* Copies the reasons into one allocation of their size: the fixed
 * struct is 7.7 KB, and ten of those per query, freed together, made
 * malloc consolidate its free chunks every time. */
static int pack_reasons(const struct names_reasons *rs, struct name_match *m)
{
    size_t size = rs->n * sizeof(char *);
    for (size_t k = 0; k < rs->n; k++)
        size += strlen(rs->text[k]) + 1;
    m->reasons = malloc(size > 0 ? size : 1);
    if (m->reasons == NULL)
        return ERR_NOMEM;
    char *p = (char *)(m->reasons + rs->n);
    for (size_t k = 0; k < rs->n; k++) {
        size_t l = strlen(rs->text[k]) + 1;
        memcpy(p, rs->text[k], l);
        m->reasons[k] = p;
        p += l;
    }
    m->nreasons = rs->n;
    return 0;
}

static void match_free(struct name_match *m)
{
    free(m->entry_id);
    free(m->list);
    free(m->name);
    free(m->reasons);
    memset(m, 0, sizeof *m);
}

static int cmp_pick(const void *pa, const void *pb, void *arg)
{
    const struct pick *a = pa, *b = pb;
    const struct name_index *x = arg;
    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    int c = strcmp(x->entries[a->entry].id, x->entries[b->entry].id);
    if (c != 0)
        return c;
    return a->name < b->name ? -1 : a->name > b->name;
}

/* Fills one output match from a pick, recomputing the result with reasons. */
static int emit(struct qctx *c, const struct pick *p, struct name_match *m)
{
    const struct nentry *e = &c->x->entries[p->entry];
    const struct nname *nm = p->name != UINT32_MAX ? &c->x->names[p->name] : NULL;
    memset(m, 0, sizeof *m);
    m->entry_id = dup_str(e->id);
    m->list = e->list[0] != '\0' ? dup_str(e->list) : NULL;
    m->name = dup_str(nm != NULL ? e->names[nm->name_no] : "");
    if (m->entry_id == NULL || m->name == NULL || (e->list[0] != '\0' && m->list == NULL))
        return ERR_NOMEM;
    m->weak_alias = nm != NULL && (nm->flags & NAME_WEAK);
    m->score = p->score;
    m->kind = e->kind, m->category = e->category, m->action = e->action;
    struct names_name cn = {0};
    struct names_result res;
    if (nm != NULL) {
        const struct rc_slot *rc = &c->s->results[p->name % RC_SLOTS];
        if (rc->stamp == c->s->stamp && rc->name == p->name)
            res = rc->res; /* scored by score_all: the same memo, the same result */
        else
            score_name(c, p->name, &res);
        cn.ntok = nm->ntok;
        for (size_t j = 0; j < nm->ntok; j++)
            cn.tok[j] = c->x->dtoks[nx_tok(c->x, nm, j)].t;
    } else {
        struct names_align al = {.weak = true};
        struct names_facts cf;
        nx_facts(e, &cf);
        names_score_facts(&al, &c->qf, &cf, &res);
    }
    if (e->phone[0] != '\0' && c->q->phone != NULL) {
        char ph[NAMES_DOC_MAX];
        if (names_phone_normalise(c->q->phone, ph) == 0 && strcmp(ph, e->phone) == 0)
            m->score = res.score = res.score > 90 ? res.score : 90;
    }
    if (c->q->explain) {
        struct names_reasons *rs = &c->s->reasons;
        names_explain(&c->qn, &cn, &res, m->name[0] != '\0' ? m->name : NULL,
                      m->weak_alias, rs);
        if (res.align.npair == 0 && rs->n > 0 && !c->has_name)
            rs->n = 0;
        if (m->score == 90 && !res.doc_match && rs->n < NAMES_MAX_REASONS)
            snprintf(rs->text[rs->n++], NAMES_REASON_LEN, "phone number matches exactly");
        return pack_reasons(rs, m);
    }
    return 0;
}

/* Entries found by document number or phone. */
static size_t by_numbers(struct qctx *c, struct pick *picks, size_t max)
{
    size_t n = 0;
    char ph[NAMES_DOC_MAX];
    const struct u32vec *lists[NAMES_MAX_DOC + 1];
    size_t nl = 0;
    for (size_t d = 0; d < c->qf.ndoc; d++)
        lists[nl++] = nx_list(c->x, nx_key(KEY_DOC, c->qf.doc[d], NULL, 0));
    if (c->q->phone != NULL && names_phone_normalise(c->q->phone, ph) == 0)
        lists[nl++] = nx_list(c->x, nx_key(KEY_PHONE, ph, NULL, 0));
    size_t added = 0; /* names of entries found by number: at most LIMIT_CANDIDATES */
    for (size_t k = 0; k < nl; k++) {
        size_t j = 0;
        for (; lists[k] != NULL && j < lists[k]->n && n < max; j++) {
            uint32_t slot = u32vec_cdata(lists[k])[j];
            const struct nentry *e = &c->x->entries[slot];
            if (!entry_active(e, c->q->today))
                continue;
            bool named = false;
            for (size_t i = 0; i < e->nids; i++) {
                if (e->name_ids[i] == UINT32_MAX || !c->has_name)
                    continue;
                if (added == LIMIT_CANDIDATES) {
                    c->doc_cut = true;
                    continue;
                }
                acc_add(c, e->name_ids[i], DOC_BIT);
                added++;
                named = true;
            }
            if (!named)
                picks[n++] = (struct pick){UINT32_MAX, slot, 95};
        }
        if (lists[k] != NULL && j < lists[k]->n)
            c->doc_cut = true; /* the entries past max were not looked at */
    }
    return n;
}

static int collect(struct qctx *c, struct pick *picks, size_t npicks, struct name_matches *out)
{
    struct scratch *s = c->s;
    size_t limit = c->q->limit > 0 ? c->q->limit : NAMES_DEFAULT_LIMIT;
    for (size_t k = 0; k < s->ncands; k++)
        if (s->cands[k].score >= 0 && s->cands[k].score >= c->q->threshold)
            picks[npicks++] = (struct pick){s->cands[k].name,
                                            c->x->names[s->cands[k].name].entry,
                                            s->cands[k].score};
    qsort_r(picks, npicks, sizeof picks[0], cmp_pick, c->x);
    out->m = calloc(limit < npicks ? limit : (npicks > 0 ? npicks : 1), sizeof *out->m);
    if (out->m == NULL)
        return ERR_NOMEM;
    for (size_t k = 0; k < npicks && out->n < limit; k++) {
        bool dup = false;
        for (size_t j = 0; j < out->n && !dup; j++)
            dup = strcmp(out->m[j].entry_id, c->x->entries[picks[k].entry].id) == 0;
        if (dup)
            continue;
        int r = emit(c, &picks[k], &out->m[out->n++]);
        if (r != 0)
            return r;
    }
    return 0;
}

/* The lengths of two adjacent query words written as one, as the scorer
 * tries them (join_edges in names_match.c): a listed token of about that
 * length may cover both. */
static void join_lengths(struct qctx *c)
{
    for (size_t i = 0; i + 1 < c->qn.ntok; i++) {
        const struct names_token *x = &c->qn.tok[i], *y = &c->qn.tok[i + 1];
        if ((!name_word(x) && !(x->flags & NAMES_TF_PARTICLE)) || !name_word(y))
            continue;
        size_t l = (size_t)c->qv.text_len[i] + c->qv.text_len[i + 1];
        c->join_lo = c->join_lo == 0 || l < c->join_lo ? l : c->join_lo;
        c->join_hi = l > c->join_hi ? l : c->join_hi;
    }
}

static int prepare(struct qctx *c, const struct name_query *q, const struct names_name *qn)
{
    int r;
    c->q = q;
    if (q->birth_date != NULL && q->birth_date[0] != '\0' &&
        (r = names_facts_add_dob(&c->qf, q->birth_date)) != 0)
        return r;
    if (q->nationality != NULL && q->nationality[0] != '\0')
        (void)names_facts_add_nat(&c->qf, q->nationality);
    c->qnat_packed = true;
    for (size_t i = 0; i < c->qf.nnat; i++) {
        c->qnat[i] = nx_nat_code(c->qf.nat[i]);
        c->qnat_packed = c->qnat_packed && c->qnat[i] != NX_NAT_MORE;
        if (nx_nat_common(c->x, c->qf.nat[i]))
            c->qf.nat_common |= (uint8_t)(1u << i);
        else
            c->nat_lifts = true;
    }
    c->by_pairs = q->threshold > WEAK_UNLIFTED;
    if (q->document_number != NULL && q->document_number[0] != '\0' &&
        (r = names_facts_add_doc(&c->qf, q->document_number)) != 0)
        return r;
    if (qn != NULL) {
        c->qn.ntok = qn->ntok;
        c->qn.truncated = qn->truncated;
        memcpy(c->qn.tok, qn->tok, qn->ntok * sizeof qn->tok[0]);
        c->has_name = true;
        names_view_of(&c->qn, &c->qv);
        join_lengths(c);
        for (size_t i = 0; i < c->qn.ntok; i++) {
            const struct dhot *h = &c->qhot[i];
            c->qhot[i] = nx_hot_of(&c->qn.tok[i]);
            c->wq += c->qn.tok[i].weight;
            c->q_initial = c->q_initial || (h->flags & NAMES_TF_INITIAL);
            if (!name_word(&c->qn.tok[i])) {
                c->wq_other += c->qn.tok[i].weight;
                continue;
            }
            uint8_t lo = (uint8_t)min_len(h), hi = (uint8_t)max_len(h);
            c->qlen_lo = c->qlen_lo == 0 || lo < c->qlen_lo ? lo : c->qlen_lo;
            c->qlen_hi = hi > c->qlen_hi ? hi : c->qlen_hi;
        }
    }
    if (!c->has_name && c->qf.ndoc == 0 && (q->phone == NULL || q->phone[0] == '\0'))
        return ERR_INVALID;
    return 0;
}

static void generate(struct qctx *c)
{
    size_t w[LIMIT_NAME_TOKENS], nw = 0;
    if (!c->has_name)
        return;
    for (size_t i = 0; i < c->qn.ntok && i < 13; i++) /* 13: NAME_BITS */
        if (name_word(&c->qn.tok[i]))
            w[nw++] = i;
    for (size_t k = 0; k < nw; k++) {
        gather_word(c, w[k]);
        if (c->by_pairs && lone_may_alert(c, w[k]))
            c->nat_words |= (uint16_t)(1u << w[k]);
    }
    gather_multi(c, w, nw);
    lift_near(c, w, nw);
    if (c->by_pairs)
        pair_near(c, w, nw);
    visit(c);
}

/* Runs q with the query name read as qn (NULL when the query has no name),
 * under the caller's read lock. */
static int query_reading(struct name_index *x, const struct name_query *q,
                         const struct names_name *qn, struct name_matches *out)
{
    int r;
    memset(out, 0, sizeof *out);
    struct scratch *s = nx_scratch_get(x);
    if (s == NULL)
        return ERR_NOMEM;
    struct qctx *c = &s->ctx;
    memset(c, 0, offsetof(struct qctx, near)); /* 16 KiB of key arrays left as they are */
    c->x = x;
    c->s = s;
    if ((r = prepare(c, q, qn)) != 0)
        goto out;
    if (++s->stamp == 0) {
        memset(s, 0, offsetof(struct scratch, ctx));
        s->stamp = 1;
    }
    s->nslots = s->nrows = s->nitems = s->ncands = 0;
    size_t npicks = by_numbers(c, s->picks, 256);
    generate(c);
    make_cands(c);
    out->scored = score_all(c, q->limit > 0 ? q->limit : NAMES_DEFAULT_LIMIT);
    out->candidates = s->ncands;
    r = collect(c, s->picks, npicks, out);
out:
    nx_scratch_put(x, s);
    return r;
}


static int cmp_match(const void *pa, const void *pb)
{
    const struct name_match *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    return strcmp(a->entry_id, b->entry_id);
}

/* Folds the matches of another reading of the query into acc: an entry
 * found by both keeps its better match; at most limit are kept. more is
 * emptied. */
static int merge_reading(struct name_matches *acc, struct name_matches *more, size_t limit)
{
    struct name_match *m = realloc(acc->m, (acc->n + more->n + 1) * sizeof *m);
    if (m == NULL)
        return ERR_NOMEM;
    acc->m = m;
    for (size_t k = 0; k < more->n; k++) {
        struct name_match *nm = &more->m[k], *old = NULL;
        for (size_t j = 0; j < acc->n && old == NULL; j++)
            if (strcmp(acc->m[j].entry_id, nm->entry_id) == 0)
                old = &acc->m[j];
        if (old == NULL) {
            acc->m[acc->n++] = *nm;
        } else if (nm->score > old->score) {
            match_free(old);
            *old = *nm;
        } else {
            match_free(nm);
        }
        memset(nm, 0, sizeof *nm);
    }
    qsort(acc->m, acc->n, sizeof acc->m[0], cmp_match);
    while (acc->n > limit)
        match_free(&acc->m[--acc->n]);
    acc->candidates += more->candidates;
    acc->scored += more->scored;
    more->n = 0;
    return 0;
}

int name_index_query(struct name_index *x, const struct name_query *q, struct name_matches *out)
{
    struct names_name qn[NAMES_MAX_READINGS];
    struct name_matches more;
    int nr = 0, r;
    memset(out, 0, sizeof *out);
    if (q->name != NULL && q->name[0] != '\0') {
        nr = names_normalise_readings(x->norm, q->name, strlen(q->name), qn, NAMES_MAX_READINGS);
        if (nr < 0)
            return nr;
    }
    /* every reading (a Han name read the Korean or Japanese way, a Hebrew
     * one in its passport spelling) is a query of its own, all under one
     * read lock, so that they see the same entries */
    pthread_rwlock_rdlock(&x->lock);
    r = query_reading(x, q, nr > 0 ? &qn[0] : NULL, out);
    for (int k = 1; r == 0 && k < nr; k++) {
        r = query_reading(x, q, &qn[k], &more);
        if (r == 0)
            r = merge_reading(out, &more, q->limit > 0 ? q->limit : NAMES_DEFAULT_LIMIT);
        name_matches_free(&more);
    }
    pthread_rwlock_unlock(&x->lock);
    return r;
}

void name_matches_free(struct name_matches *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->n; i++)
        match_free(&m->m[i]);
    free(m->m);
    memset(m, 0, sizeof *m);
}
