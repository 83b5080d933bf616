/* name_index_int: the data structures shared by name_index.c (building and
 * updating) and name_index_query.c (querying). Internal to the index.
 *
 * Tokens are interned in a dictionary (one struct names_token per distinct
 * token text and class); names refer to dictionary ids. Posting lists are
 * sorted arrays of name ids. One open-addressing table maps 64-bit key
 * hashes to list ids; keys are typed (transliteration key, one-deletion
 * neighbour, consonant skeleton -> dictionary ids; token pair, token + birth
 * year -> name ids; document number, phone -> entry ids). A hash collision
 * only adds a spurious candidate, which scoring then rejects. */
#ifndef LINTAS_DOMAIN_NAME_INDEX_INT_H
#define LINTAS_DOMAIN_NAME_INDEX_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/name_index.h"
#include "domain/names.h"

/* A vector of uint32, with two values stored inline. */
struct u32vec {
    uint32_t n, cap; /* cap 0: inline */
    union {
        uint32_t in[2];
        uint32_t *p;
    } u;
};

static inline uint32_t *u32vec_data(struct u32vec *v)
{
    return v->cap == 0 ? v->u.in : v->u.p;
}

static inline const uint32_t *u32vec_cdata(const struct u32vec *v)
{
    return v->cap == 0 ? v->u.in : v->u.p;
}

/* Open-addressing map: key hash -> value (uint32), duplicates of a hash
 * allowed (callers verify when they must). */
struct hmap {
    uint64_t *keys; /* 0 = empty */
    uint32_t *vals;
    size_t cap, n;
    uint64_t *bloom; /* cap / 8 words: a blocked Bloom filter of the keys ever put */
};

/* False when key was never put in m (no memory of the table touched): one
 * 64-bit word of the filter holds four bits of each key. Most keys a query
 * looks up (pairs of near spellings, one-deletion neighbours) are absent,
 * and the filter is an eighth of the table's size, so it stays in cache. */
static inline uint64_t hmap_bloom_bits(uint64_t key)
{
    return (1ull << ((key >> 8) & 63)) | (1ull << ((key >> 14) & 63)) |
           (1ull << ((key >> 20) & 63)) | (1ull << ((key >> 26) & 63));
}

static inline const uint64_t *hmap_bloom_word(const struct hmap *m, uint64_t key)
{
    return &m->bloom[(key >> 32) & (m->cap / 8 - 1)];
}

static inline bool hmap_may_have(const struct hmap *m, uint64_t key)
{
    if (m->cap == 0)
        return false;
    uint64_t b = hmap_bloom_bits(key);
    return (*hmap_bloom_word(m, key) & b) == b;
}

enum key_type {
    KEY_PHON = 1,  /* phon -> dictionary tokens */
    KEY_DEL,       /* phon minus one character -> dictionary tokens */
    KEY_SKEL,      /* consonant skeleton -> dictionary tokens */
    KEY_PAIR,      /* two name-word phons (sorted) -> names */
    KEY_YEAR,      /* name-word phon + birth year -> names */
    KEY_DOC,       /* document number -> entries */
    KEY_PHONE,     /* phone digits -> entries */
    KEY_TOKEN,     /* token text + flags -> dictionary id (verified) */
    KEY_ENTRY,     /* entry id -> entry slot (verified) */
    KEY_NAT,       /* name-word phon + nationality -> names */
    KEY_DATE,      /* name-word phon + birth date (nx_date_key) -> names */
    KEY_NATY,      /* name-word phon + nationality + birth year (0: none or a
                    * range too wide to key) -> names */
};

struct dtok {
    struct names_token t;
    struct u32vec post; /* names containing this token (name words only) */
    uint32_t refs;      /* names referring to it */
};

#define NAME_INLINE_TOKS 14u
#define NAME_MORE_TOKS (LIMIT_NAME_TOKENS - NAME_INLINE_TOKS)

/* What candidate bounds read of a dictionary token (make_cands), kept
 * apart from the 200-byte struct dtok: a name's tokens then cost a cache
 * line, not three each. Set when the token is interned (tokens never
 * change). skel_hash stands for the skeleton: equal hashes of different
 * skeletons only loosen a bound. */
struct dhot {
    float weight;
    uint32_t skel_hash;
    uint16_t flags;
    uint8_t phon_len, text_len;
    char phon2[2]; /* the first two bytes of phon */
    char text0, canon0; /* the first letters an initial is matched by (names_token.c) */
};

_Static_assert(sizeof(struct dhot) == 16, "a token's hot fields are 16 bytes");

#define NAME_DEAD 1u
#define NAME_WEAK 2u
#define NAME_WINDOW 4u /* the entry has a validity window (valid_from or valid_until) */

struct nname {
    uint32_t entry;
    uint8_t ntok;
    uint8_t flags; /* NAME_* */
    uint16_t name_no; /* index of the name within its entry */
    /* the first NAME_INLINE_TOKS token ids; the rest in tok_more (see
     * nx_tok). One 64-byte cache line a name: bounds read a few dozen
     * names a query at random. Birth years and token weights are in the
     * dense copy (struct ndense). */
    uint32_t tok[NAME_INLINE_TOKS];
};

/* Compact facts of an entry. */
struct nfacts {
    uint8_t ndob, nnat, ndoc;
    struct names_date *dob;
    char (*nat)[4];
    char (*doc)[NAMES_DOC_MAX];
};

struct nentry {
    char *id, *list;       /* owned (one allocation: id, list, then names) */
    char **names;          /* display names, pointers into the same block */
    uint32_t *name_ids;    /* nname slots of this entry: its names and their other readings */
    uint16_t nnames;       /* display names */
    uint16_t nids;         /* name_ids: a record per reading of each name that normalised */
    uint8_t kind, category, action, live;
    int32_t valid_from, valid_until;
    struct nfacts facts;
    char phone[32];
};

/* A nationality code of one to three letters A-Z ("D" is Germany in ICAO
 * 9303) as a slot of name_index.nat_count; NX_NAT_SLOTS for any other. */
#define NX_NAT_SLOTS (27u * 27u * 27u)
static inline unsigned nx_nat_slot(const char *code)
{
    unsigned v = 0;
    size_t i = 0;
    for (; i < 3 && code[i] != '\0'; i++) {
        if (code[i] < 'A' || code[i] > 'Z')
            return NX_NAT_SLOTS;
        v = v * 27u + (unsigned)(code[i] - 'A' + 1);
    }
    if (i == 0 || code[i] != '\0')
        return NX_NAT_SLOTS;
    for (; i < 3; i++)
        v *= 27u;
    return v;
}

/* A nationality held by more than NX_NAT_COMMON_PCT percent of the live
 * entries, counted over at least NX_NAT_COMMON_FLOOR, corroborates nothing:
 * a match on it scores its points but does not lift a weak name's cap
 * (names_facts.nat_common). On a list of Indonesian traffickers every
 * Indonesian traveller would otherwise lift every Siti or Suparman. */
#define NX_NAT_COMMON_PCT 10u
#define NX_NAT_COMMON_FLOOR 10000u

struct name_index {
    pthread_rwlock_t lock;
    struct names_norm *norm;

    struct hmap keys;          /* typed keys -> list ids */
    struct u32vec *lists;      /* list id -> values */
    size_t nlists, caplists;

    struct hmap toks;          /* KEY_TOKEN hash -> dtok id (verified) */
    struct dtok *dtoks;
    size_t ndtoks, capdtoks;
    struct dhot *dhot;         /* per dictionary token id (see struct dhot) */
    size_t capdhot;
    uint32_t *free_dtoks;
    size_t nfree_dtoks, capfree_dtoks;

    struct hmap ents;          /* KEY_ENTRY hash -> entry slot (verified) */
    struct nentry *entries;
    size_t nentries, capentries, live_entries;
    uint32_t *free_entries;
    size_t nfree_entries, capfree_entries;

    struct nname *names;       /* 64-byte aligned */
    size_t nnames, capnames, live_names;
    uint32_t (*tok_more)[NAME_MORE_TOKS]; /* per name id: tokens past NAME_INLINE_TOKS */
    size_t captok_more;
    struct ndense *dense;      /* per name id: what bounds need before the name is read */
    size_t capdense;
    uint32_t *free_names;
    size_t nfree_names, capfree_names;

    size_t bytes;              /* approximate heap held */
    /* live entries listing each nationality, by nx_nat_slot (see
     * nx_nat_common) */
    uint32_t nat_count[NX_NAT_SLOTS];
    size_t nat_floor;          /* NX_NAT_COMMON_FLOOR (tests lower it) */
    uint64_t version;          /* bumped by every update (query caches key on it) */

    pthread_mutex_t pool_mu;   /* guards the scratch pool */
    void **pool;
    size_t npool, cappool;
};

/* A dense copy of what candidate bounds need from a name's entry, read
 * before the name itself (make_cands): its lowest and highest birth year
 * (0: none), its first two nationalities as nx_nat_code values, and the
 * sum and maximum of its token weights. */
struct ndense {
    int16_t ylo;       /* lowest birth year of the entry (0: none) */
    uint16_t span_md;  /* see nx_yhi and nx_one_date */
    uint16_t nat[2];
    float wsum, wmax; /* sum and maximum of the name's token weights */
};

/* Whether nationality code is common on x (NX_NAT_COMMON_PCT). Under the
 * caller's lock. */
bool nx_nat_common(const struct name_index *x, const char *code);

_Static_assert(sizeof(struct nname) == 64, "a name record is one cache line");
_Static_assert(sizeof(struct ndense) == 16, "a dense copy is 16 bytes");

/* struct ndense span_md: bits 0-5 the highest birth year minus the lowest
 * (63: 63 or more), bits 6-9 and 10-14 the month and day of the entry's
 * birth date when it has exactly one and it is a full date (0: not so),
 * bit 15 NX_EXACT: the copy says all the entry's birth dates and
 * nationalities (none or one full date; at most two nationalities, each
 * packed), so the evidence is computed from it without reading the entry. */
#define NX_SPAN_WIDE 63u
#define NX_EXACT 0x8000u

static inline int nx_yhi(const struct ndense *d)
{
    unsigned s = d->span_md & NX_SPAN_WIDE;
    return s == NX_SPAN_WIDE ? INT16_MAX : d->ylo + (int)s;
}

/* The entry's one full birth date (year ylo): true with its month and day. */
static inline bool nx_one_date(const struct ndense *d, int *month, int *day)
{
    *month = (int)(d->span_md >> 6) & 15;
    *day = (int)(d->span_md >> 10) & 31;
    return *month != 0 && *day != 0;
}

/* Token j of name nm (j < nm->ntok). */
static inline uint32_t nx_tok(const struct name_index *x, const struct nname *nm, size_t j)
{
    return j < NAME_INLINE_TOKS ? nm->tok[j]
                                : x->tok_more[nm - x->names][j - NAME_INLINE_TOKS];
}

#define NX_NAT_NONE 0u
#define NX_NAT_MORE 0xFFFFu /* a code that does not pack, or a third nationality */

/* A three-letter nationality code packed in 15 bits (+1), NX_NAT_MORE
 * when it is not three capital letters. */
static inline uint16_t nx_nat_code(const char *code)
{
    unsigned v = 0;
    for (size_t i = 0; i < 3; i++) {
        if (code[i] < 'A' || code[i] > 'Z')
            return NX_NAT_MORE;
        v = v << 5 | (unsigned)(code[i] - 'A');
    }
    return code[3] == '\0' ? (uint16_t)(v + 1) : NX_NAT_MORE;
}

/* The three letters of a packed code (not NX_NAT_NONE or NX_NAT_MORE). */
static inline void nx_nat_str(uint16_t code, char out[4])
{
    unsigned v = (unsigned)code - 1u;
    out[0] = (char)('A' + (v >> 10 & 31u));
    out[1] = (char)('A' + (v >> 5 & 31u));
    out[2] = (char)('A' + (v & 31u));
    out[3] = '\0';
}

/* The number a KEY_DATE key carries for a birth date: year, month and
 * day of a full date (an entry with one is found by that date or its swap),
 * the year alone (month and day 0) for each year of a partial date or a
 * short range. */
static inline int32_t nx_date_key(int year, int month, int day)
{
    return (int32_t)(year * 10000 + month * 100 + day);
}

/* Hash of a typed key made of up to two strings and an integer. */
uint64_t nx_key(int type, const char *a, const char *b, int64_t n);

/* nx_key(type, a, NULL, 0) in steps, for keys that share a prefix (the
 * deletion keys of a spelling): nx_key_end(nx_fnv(nx_key_seed(type), a,
 * strlen(a))) is that key, and the state after a prefix may be continued
 * by each suffix. */
static inline uint64_t nx_key_seed(int type)
{
    return 1469598103934665603ull ^ (uint64_t)type * 0x9E3779B97F4A7C15ull;
}

static inline uint64_t nx_fnv(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

uint64_t nx_key_end(uint64_t h);

/* FNV-1a hash of a string, and the key of a pair of name words from the
 * hashes of their phon keys (symmetric: the order of the words is free). */
uint64_t nx_str_hash(const char *s);
uint64_t nx_pair_key(uint64_t ha, uint64_t hb);

/* The struct dhot of a token. */
static inline struct dhot nx_hot_of(const struct names_token *t)
{
    size_t lp = strlen(t->phon);
    return (struct dhot){.weight = t->weight,
                         .skel_hash = (uint32_t)nx_str_hash(t->skel),
                         .flags = t->flags,
                         .phon_len = (uint8_t)lp,
                         .text_len = (uint8_t)strlen(t->text),
                         .phon2 = {t->phon[0], lp > 0 ? t->phon[1] : '\0'},
                         .text0 = t->text[0],
                         .canon0 = t->canon[0]};
}

/* Map operations. hmap_put returns ERR_NOMEM or 0. */
int hmap_put(struct hmap *m, uint64_t key, uint32_t val, size_t *bytes);
/* Iterates the values stored under key: start with *pos = 0; returns true and
 * sets *val while there are more. */
bool hmap_next(const struct hmap *m, uint64_t key, size_t *pos, uint32_t *val);

/* The list stored under key (NULL when none). */
const struct u32vec *nx_list(const struct name_index *x, uint64_t key);

/* Binary search in a sorted vector. */
bool u32vec_has(const struct u32vec *v, uint32_t val);

/* Finds the entry slot for id; UINT32_MAX when absent. Caller holds a lock. */
uint32_t nx_find_entry(const struct name_index *x, const char *id);

/* Expands an entry's compact facts: counts and the used array slots only. */
void nx_facts(const struct nentry *e, struct names_facts *out);

/* Hands out / takes back per-query scratch memory (see name_index_query.c). */
void *nx_scratch_get(struct name_index *x);
void nx_scratch_put(struct name_index *x, void *s);
void nx_scratch_free(void *s);

#endif
