/* name_index: building and updating the in-memory watchlist index (see
 * name_index.h for the design and the locking, name_index_int.h for the
 * data structures). Names are normalised before the write lock is taken,
 * so the critical section of an update is the interning of its tokens and
 * the insertion of its postings. Dictionary tokens are never freed (the
 * vocabulary only grows); entry and name slots are reused. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "domain/name_index_int.h"
#include "util/errors.h"

#define HUGE_PAGE ((size_t)2 << 20)
#define MAX_PAIR_WORDS 8
#define MAX_YEARS 8
#define MAX_RANGE_YEARS 5

static const uint64_t TOMB = 1;

/* The end of a key: the mix of its integer n into h (the state after its
 * strings), spread, and kept clear of the empty and tombstone marks. */
static uint64_t key_mix(uint64_t h, int64_t n)
{
    h ^= (uint64_t)n * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
    h *= 0x94D049BB133111EBull;
    h ^= h >> 29;
    return h > TOMB ? h : h + 2;
}

uint64_t nx_key(int type, const char *a, const char *b, int64_t n)
{
    uint64_t h = nx_key_seed(type);
    for (const char *p = a; p != NULL && *p != '\0'; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    h = (h ^ 0xFF) * 1099511628211ull;
    for (const char *p = b; p != NULL && *p != '\0'; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return key_mix(h, n);
}

uint64_t nx_key_end(uint64_t h)
{
    return key_mix((h ^ 0xFF) * 1099511628211ull, 0);
}

uint64_t nx_str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

uint64_t nx_pair_key(uint64_t ha, uint64_t hb)
{
    uint64_t lo = ha < hb ? ha : hb, hi = ha < hb ? hb : ha;
    uint64_t h = (lo ^ (uint64_t)KEY_PAIR * 0x9E3779B97F4A7C15ull) * 0xBF58476D1CE4E5B9ull;
    h ^= (hi << 29 | hi >> 35) * 0x94D049BB133111EBull;
    h ^= h >> 31;
    h *= 0xD6E8FEB86659FD93ull;
    h ^= h >> 32;
    return h > TOMB ? h : h + 2;
}

/* Asks the kernel to back a large array with 2 MiB pages: queries read
 * the name, dense and key tables at random, and with 4 KiB pages nearly
 * every such read also misses the TLB. Advice only; failure is harmless. */
static void huge_advise(void *p, size_t bytes)
{
    uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    uintptr_t hi = ((uintptr_t)p + bytes) & ~(uintptr_t)(HUGE_PAGE - 1);
    if (bytes >= 2 * HUGE_PAGE && hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
}

static int hmap_grow(struct hmap *m, size_t *bytes)
{
    size_t ncap = m->cap == 0 ? 1024 : m->cap * 2;
    uint64_t *k = calloc(ncap, sizeof *k);
    uint32_t *v = malloc(ncap * sizeof *v);
    uint64_t *bl = calloc(ncap / 8, sizeof *bl);
    if (k == NULL || v == NULL || bl == NULL) {
        free(k);
        free(v);
        free(bl);
        return ERR_NOMEM;
    }
    huge_advise(k, ncap * sizeof *k);
    huge_advise(v, ncap * sizeof *v);
    huge_advise(bl, ncap / 8 * sizeof *bl);
    size_t n = 0;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] <= TOMB)
            continue;
        size_t j = m->keys[i] & (ncap - 1);
        while (k[j] != 0)
            j = (j + 1) & (ncap - 1);
        k[j] = m->keys[i];
        v[j] = m->vals[i];
        bl[(k[j] >> 32) & (ncap / 8 - 1)] |= hmap_bloom_bits(k[j]);
        n++;
    }
    *bytes += (ncap - m->cap) * (sizeof *k + sizeof *v + sizeof *bl / 8);
    free(m->keys);
    free(m->vals);
    free(m->bloom);
    m->keys = k, m->vals = v, m->bloom = bl, m->cap = ncap, m->n = n;
    return 0;
}

int hmap_put(struct hmap *m, uint64_t key, uint32_t val, size_t *bytes)
{
    if ((m->n + 1) * 10 >= m->cap * 7 && hmap_grow(m, bytes) != 0)
        return ERR_NOMEM;
    size_t j = key & (m->cap - 1);
    while (m->keys[j] != 0)
        j = (j + 1) & (m->cap - 1);
    m->keys[j] = key;
    m->vals[j] = val;
    m->bloom[(key >> 32) & (m->cap / 8 - 1)] |= hmap_bloom_bits(key);
    m->n++;
    return 0;
}

bool hmap_next(const struct hmap *m, uint64_t key, size_t *pos, uint32_t *val)
{
    if (m->cap == 0)
        return false;
    size_t start = key & (m->cap - 1);
    for (size_t k = *pos; k < m->cap; k++) {
        size_t j = (start + k) & (m->cap - 1);
        if (m->keys[j] == 0)
            return false;
        if (m->keys[j] == key) {
            *val = m->vals[j];
            *pos = k + 1;
            return true;
        }
    }
    return false;
}

static void hmap_del(struct hmap *m, uint64_t key, uint32_t val)
{
    if (m->cap == 0)
        return;
    for (size_t j = key & (m->cap - 1); m->keys[j] != 0; j = (j + 1) & (m->cap - 1)) {
        if (m->keys[j] == key && m->vals[j] == val) {
            m->keys[j] = TOMB; /* still occupied for probing; dropped on growth */
            return;
        }
    }
}

bool u32vec_has(const struct u32vec *v, uint32_t val)
{
    const uint32_t *d = u32vec_cdata(v);
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d[mid] == val)
            return true;
        if (d[mid] < val)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static int u32vec_insert(struct u32vec *v, uint32_t val, size_t *bytes)
{
    uint32_t *d = u32vec_data(v);
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d[mid] == val)
            return 0;
        if (d[mid] < val)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t cap = v->cap == 0 ? 2 : v->cap;
    if (v->n == cap) {
        size_t ncap = cap * 2;
        uint32_t *p = malloc(ncap * sizeof *p);
        if (p == NULL)
            return ERR_NOMEM;
        memcpy(p, d, v->n * sizeof *p);
        if (v->cap != 0)
            free(v->u.p);
        *bytes += (ncap - (v->cap == 0 ? 0 : v->cap)) * sizeof *p;
        v->u.p = p;
        v->cap = (uint32_t)ncap;
        d = p;
    }
    memmove(d + lo + 1, d + lo, (v->n - lo) * sizeof *d);
    d[lo] = val;
    v->n++;
    return 0;
}

static void u32vec_remove(struct u32vec *v, uint32_t val)
{
    uint32_t *d = u32vec_data(v);
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d[mid] == val) {
            memmove(d + mid, d + mid + 1, (v->n - mid - 1) * sizeof *d);
            v->n--;
            return;
        }
        if (d[mid] < val)
            lo = mid + 1;
        else
            hi = mid;
    }
}

/* Grows an array of n elements of size sz to hold one more. Arrays start
 * on a cache line (a name record is one line) and large ones on fresh
 * pages, so that they can be huge pages. */
static int grow(void **p, size_t *cap, size_t n, size_t sz, size_t *bytes)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap == 0 ? 64 : *cap * 2;
    if (ncap > SIZE_MAX / sz - 64)
        return ERR_NOMEM;
    size_t total = (ncap * sz + 63) & ~(size_t)63;
    void *q = aligned_alloc(64, total);
    if (q == NULL)
        return ERR_NOMEM;
    huge_advise(q, total);
    if (*cap > 0)
        memcpy(q, *p, *cap * sz);
    free(*p);
    *bytes += (ncap - *cap) * sz;
    *p = q;
    *cap = ncap;
    return 0;
}

const struct u32vec *nx_list(const struct name_index *x, uint64_t key)
{
    size_t pos = 0;
    uint32_t id;
    if (!hmap_may_have(&x->keys, key) || !hmap_next(&x->keys, key, &pos, &id))
        return NULL;
    return &x->lists[id];
}

static int list_add(struct name_index *x, uint64_t key, uint32_t val)
{
    size_t pos = 0;
    uint32_t id;
    if (!hmap_next(&x->keys, key, &pos, &id)) {
        if (grow((void **)&x->lists, &x->caplists, x->nlists, sizeof *x->lists, &x->bytes) != 0)
            return ERR_NOMEM;
        id = (uint32_t)x->nlists;
        memset(&x->lists[id], 0, sizeof x->lists[id]);
        if (hmap_put(&x->keys, key, id, &x->bytes) != 0)
            return ERR_NOMEM;
        x->nlists++;
    }
    return u32vec_insert(&x->lists[id], val, &x->bytes);
}

static void list_remove(struct name_index *x, uint64_t key, uint32_t val)
{
    size_t pos = 0;
    uint32_t id;
    if (hmap_next(&x->keys, key, &pos, &id))
        u32vec_remove(&x->lists[id], val);
}

int name_index_new(struct name_index **out)
{
    int r;
    struct name_index *x = calloc(1, sizeof *x);
    *out = NULL;
    if (x == NULL)
        return ERR_NOMEM;
    r = names_norm_new(&x->norm);
    if (r != 0) {
        free(x);
        return r;
    }
    pthread_rwlockattr_t a;
    pthread_rwlockattr_init(&a);
    pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&x->lock, &a);
    pthread_rwlockattr_destroy(&a);
    pthread_mutex_init(&x->pool_mu, NULL);
    x->version = 1;
    x->nat_floor = NX_NAT_COMMON_FLOOR;
    *out = x;
    return 0;
}

/* Adds d (1 or -1) to the counts of e's nationalities (distinct, as
 * names_facts_add_nat keeps them). */
static void count_nats(struct name_index *x, const struct nentry *e, int d)
{
    for (size_t i = 0; i < e->facts.nnat; i++) {
        unsigned v = nx_nat_slot(e->facts.nat[i]);
        if (v < NX_NAT_SLOTS)
            x->nat_count[v] += (uint32_t)d;
    }
}

bool nx_nat_common(const struct name_index *x, const char *code)
{
    unsigned v = nx_nat_slot(code);
    size_t of = x->live_entries > x->nat_floor ? x->live_entries : x->nat_floor;
    return v < NX_NAT_SLOTS && (size_t)x->nat_count[v] * 100u > of * NX_NAT_COMMON_PCT;
}

static void free_entry_data(struct nentry *e)
{
    free(e->id);
    free(e->names);
    free(e->name_ids);
    free(e->facts.dob);
    memset(e, 0, sizeof *e);
}

void name_index_free(struct name_index *x)
{
    if (x == NULL)
        return;
    for (size_t i = 0; i < x->nlists; i++)
        if (x->lists[i].cap != 0)
            free(x->lists[i].u.p);
    for (size_t i = 0; i < x->ndtoks; i++)
        if (x->dtoks[i].post.cap != 0)
            free(x->dtoks[i].post.u.p);
    for (size_t i = 0; i < x->nentries; i++)
        free_entry_data(&x->entries[i]);
    for (size_t i = 0; i < x->npool; i++)
        nx_scratch_free(x->pool[i]);
    free(x->pool);
    free(x->lists);
    free(x->dtoks);
    free(x->dhot);
    free(x->free_dtoks);
    free(x->entries);
    free(x->free_entries);
    free(x->names);
    free(x->tok_more);
    free(x->dense);
    free(x->free_names);
    free(x->keys.keys), free(x->keys.vals), free(x->keys.bloom);
    free(x->toks.keys), free(x->toks.vals), free(x->toks.bloom);
    free(x->ents.keys), free(x->ents.vals), free(x->ents.bloom);
    names_norm_free(x->norm);
    pthread_rwlock_destroy(&x->lock);
    pthread_mutex_destroy(&x->pool_mu);
    free(x);
}

uint32_t nx_find_entry(const struct name_index *x, const char *id)
{
    uint64_t k = nx_key(KEY_ENTRY, id, NULL, 0);
    size_t pos = 0;
    uint32_t v;
    while (hmap_next(&x->ents, k, &pos, &v))
        if (x->entries[v].live && strcmp(x->entries[v].id, id) == 0)
            return v;
    return UINT32_MAX;
}

void nx_facts(const struct nentry *e, struct names_facts *out)
{
    out->ndob = e->facts.ndob;
    out->nnat = e->facts.nnat;
    out->ndoc = e->facts.ndoc;
    if (out->ndob > 0)
        memcpy(out->dob, e->facts.dob, out->ndob * sizeof out->dob[0]);
    if (out->nnat > 0)
        memcpy(out->nat, e->facts.nat, out->nnat * sizeof out->nat[0]);
    if (out->ndoc > 0)
        memcpy(out->doc, e->facts.doc, out->ndoc * sizeof out->doc[0]);
}

static bool name_word(const struct names_token *t)
{
    return (t->flags & (NAMES_TF_TITLE | NAMES_TF_PARTICLE | NAMES_TF_GENDER |
                        NAMES_TF_BIRTH_ORDER | NAMES_TF_INITIAL)) == 0;
}

/* The key of a token spelling and its one-deletion neighbours. */
static int add_keys(struct name_index *x, const char *k, uint32_t id)
{
    int r = list_add(x, nx_key(KEY_PHON, k, NULL, 0), id);
    size_t l = strlen(k);
    for (size_t i = 0; r == 0 && l >= 4 && i < l; i++) {
        char d[NAMES_TOKEN_MAX];
        memcpy(d, k, i);
        memcpy(d + i, k + i + 1, l - i);
        r = list_add(x, nx_key(KEY_DEL, d, NULL, 0), id);
    }
    return r;
}

/* Interns a token; returns its dictionary id or UINT32_MAX (no memory). */
static uint32_t intern(struct name_index *x, const struct names_token *t)
{
    uint64_t k = nx_key(KEY_TOKEN, t->text, NULL, t->flags);
    size_t pos = 0;
    uint32_t id;
    while (hmap_next(&x->toks, k, &pos, &id))
        if (x->dtoks[id].t.flags == t->flags && strcmp(x->dtoks[id].t.text, t->text) == 0)
            return id;
    if (grow((void **)&x->dtoks, &x->capdtoks, x->ndtoks, sizeof *x->dtoks, &x->bytes) != 0 ||
        grow((void **)&x->dhot, &x->capdhot, x->ndtoks, sizeof *x->dhot, &x->bytes) != 0)
        return UINT32_MAX;
    id = (uint32_t)x->ndtoks;
    memset(&x->dtoks[id], 0, sizeof x->dtoks[id]);
    x->dtoks[id].t = *t;
    x->dhot[id] = nx_hot_of(t);
    if (hmap_put(&x->toks, k, id, &x->bytes) != 0)
        return UINT32_MAX;
    x->ndtoks++;
    if (!name_word(t))
        return id;
    int r = add_keys(x, t->phon, id);
    if (r == 0 && strcmp(t->text, t->phon) != 0) /* typos of the written form too */
        r = add_keys(x, t->text, id);
    if (r == 0 && strlen(t->skel) >= 2)
        r = list_add(x, nx_key(KEY_SKEL, t->skel, NULL, 0), id);
    return r == 0 ? id : UINT32_MAX;
}

/* Adds v to the set a of *n values (at most MAX_YEARS); false when full. */
static bool int_add(int32_t *a, size_t *n, int32_t v)
{
    for (size_t k = 0; k < *n; k++)
        if (a[k] == v)
            return true;
    if (*n == MAX_YEARS)
        return false;
    a[(*n)++] = v;
    return true;
}

/* Blocking keys of a name that point at names: pairs of name words, name
 * word + birth year, name word + birth date (see nx_date_key), name word +
 * nationality, and name word + nationality + birth year. */
static size_t name_keys(const struct name_index *x, const struct nname *nm,
                        const struct nentry *e, uint64_t *keys, size_t max)
{
    const char *ph[MAX_PAIR_WORDS];
    size_t nph = 0, nk = 0, ny = 0;
    int32_t years[MAX_YEARS], dates[MAX_YEARS]; /* birth years; nx_date_key values */
    size_t nd = 0;
    const char *twice = NULL; /* a name word written twice pairs with itself */
    for (size_t j = 0; j < nm->ntok && nph < MAX_PAIR_WORDS; j++) {
        const struct names_token *t = &x->dtoks[nx_tok(x, nm, j)].t;
        bool dup = !name_word(t);
        for (size_t k = 0; k < nph && !dup; k++)
            if (strcmp(ph[k], t->phon) == 0)
                dup = true, twice = twice != NULL ? twice : ph[k];
        if (!dup)
            ph[nph++] = t->phon;
    }
    if (twice != NULL && nk < max)
        keys[nk++] = nx_pair_key(nx_str_hash(twice), nx_str_hash(twice));
    for (size_t a = 0; a < nph; a++)
        for (size_t b = a + 1; b < nph && nk < max; b++)
            keys[nk++] = nx_pair_key(nx_str_hash(ph[a]), nx_str_hash(ph[b]));
    bool wide = false; /* a range too wide to key year by year */
    for (size_t d = 0; d < e->facts.ndob; d++) {
        const struct names_date *dt = &e->facts.dob[d];
        if (dt->year_to - dt->year > MAX_RANGE_YEARS) {
            wide = true;
            continue;
        }
        bool full = dt->day != 0 && dt->year_to == dt->year;
        for (int y = dt->year; y <= dt->year_to; y++) {
            if (!int_add(years, &ny, y) || !int_add(dates, &nd, full ? nx_date_key(y, dt->month, dt->day)
                                                                : nx_date_key(y, 0, 0)))
                wide = true; /* more years than keys: keyed as a wide range, which
                              * only the nationality's lift looks up (a rare gap) */
        }
    }
    for (size_t a = 0; a < nph; a++) {
        for (size_t k = 0; k < ny && nk < max; k++)
            keys[nk++] = nx_key(KEY_YEAR, ph[a], NULL, years[k]);
        for (size_t k = 0; k < nd && nk < max; k++)
            keys[nk++] = nx_key(KEY_DATE, ph[a], NULL, dates[k]);
        if (wide && nk < max) /* year 0: a range any query year may fall in (+4) */
            keys[nk++] = nx_key(KEY_YEAR, ph[a], NULL, 0);
    }
    for (size_t a = 0; a < nph; a++) {
        for (size_t k = 0; k < e->facts.nnat && nk < max; k++) {
            keys[nk++] = nx_key(KEY_NAT, ph[a], e->facts.nat[k], 0);
            /* and by birth year: year 0 for no date or a range too wide */
            for (size_t y = 0; y < ny && nk < max; y++)
                keys[nk++] = nx_key(KEY_NATY, ph[a], e->facts.nat[k], years[y]);
            if ((ny == 0 || wide) && nk < max)
                keys[nk++] = nx_key(KEY_NATY, ph[a], e->facts.nat[k], 0);
        }
    }
    return nk;
}

#define MAX_NAME_KEYS                                                                      \
    (MAX_PAIR_WORDS * MAX_PAIR_WORDS / 2 + MAX_PAIR_WORDS * (2 * MAX_YEARS + 1) +             \
     MAX_PAIR_WORDS * NAMES_MAX_NAT * (MAX_YEARS + 2) + 1)

static void remove_slot(struct name_index *x, uint32_t slot)
{
    struct nentry *e = &x->entries[slot];
    uint64_t keys[MAX_NAME_KEYS];
    for (size_t i = 0; i < e->nids; i++) {
        uint32_t nid = e->name_ids[i];
        if (nid == UINT32_MAX || (x->names[nid].flags & NAME_DEAD))
            continue;
        struct nname *nm = &x->names[nid];
        size_t nk = name_keys(x, nm, e, keys, MAX_NAME_KEYS);
        for (size_t k = 0; k < nk; k++)
            list_remove(x, keys[k], nid);
        for (size_t j = 0; j < nm->ntok; j++) {
            struct dtok *d = &x->dtoks[nx_tok(x, nm, j)];
            d->refs--;
            if (name_word(&d->t))
                u32vec_remove(&d->post, nid);
        }
        nm->flags = NAME_DEAD;
        x->live_names--;
        if (grow((void **)&x->free_names, &x->capfree_names, x->nfree_names,
                 sizeof *x->free_names, &x->bytes) == 0)
            x->free_names[x->nfree_names++] = nid;
    }
    for (size_t d = 0; d < e->facts.ndoc; d++)
        list_remove(x, nx_key(KEY_DOC, e->facts.doc[d], NULL, 0), slot);
    if (e->phone[0] != '\0')
        list_remove(x, nx_key(KEY_PHONE, e->phone, NULL, 0), slot);
    hmap_del(&x->ents, nx_key(KEY_ENTRY, e->id, NULL, 0), slot);
    count_nats(x, e, -1);
    free_entry_data(e);
    x->live_entries--;
    if (grow((void **)&x->free_entries, &x->capfree_entries, x->nfree_entries,
             sizeof *x->free_entries, &x->bytes) == 0)
        x->free_entries[x->nfree_entries++] = slot;
}

/* Indexes n, a reading of display name no of the entry in slot, as the
 * entry's name record number at. */
static int add_name(struct name_index *x, uint32_t slot, const struct names_name *n, size_t no,
                    size_t at, bool weak)
{
    uint32_t nid;
    if (x->nfree_names > 0) {
        nid = x->free_names[--x->nfree_names];
    } else {
        if (grow((void **)&x->names, &x->capnames, x->nnames, sizeof *x->names, &x->bytes) != 0)
            return ERR_NOMEM;
        nid = (uint32_t)x->nnames++;
    }
    if (grow((void **)&x->dense, &x->capdense, nid, sizeof *x->dense, &x->bytes) != 0)
        return ERR_NOMEM;
    struct nname *nm = &x->names[nid];
    struct nentry *e = &x->entries[slot];
    memset(nm, 0, sizeof *nm);
    nm->entry = slot;
    nm->flags = (uint8_t)((weak ? NAME_WEAK : 0) |
                          (e->valid_from != WL_NO_DATE || e->valid_until != WL_NO_DATE
                               ? NAME_WINDOW
                               : 0));
    nm->name_no = (uint16_t)no;
    struct ndense *dn = &x->dense[nid];
    memset(dn, 0, sizeof *dn);
    int yhi = 0;
    for (size_t d = 0; d < e->facts.ndob; d++) { /* for bounds without reading the entry */
        const struct names_date *dt = &e->facts.dob[d];
        if (dt->year == 0)
            continue;
        dn->ylo = dn->ylo == 0 || dt->year < dn->ylo ? dt->year : dn->ylo;
        yhi = dt->year_to > yhi ? dt->year_to : yhi;
    }
    if (dn->ylo != 0) {
        const struct names_date *d0 = &e->facts.dob[0];
        unsigned span = (unsigned)(yhi - dn->ylo);
        dn->span_md = (uint16_t)(span < NX_SPAN_WIDE ? span : NX_SPAN_WIDE);
        if (e->facts.ndob == 1 && d0->year_to == d0->year && d0->month > 0 && d0->month <= 12 &&
            d0->day > 0 && d0->day <= 31)
            dn->span_md |= (uint16_t)((unsigned)d0->month << 6 | (unsigned)d0->day << 10);
    }
    dn->nat[0] = e->facts.nnat > 0 ? nx_nat_code(e->facts.nat[0]) : NX_NAT_NONE;
    dn->nat[1] = e->facts.nnat > 1 ? nx_nat_code(e->facts.nat[1]) : NX_NAT_NONE;
    if (e->facts.nnat > 2)
        dn->nat[1] = NX_NAT_MORE;
    bool one_date = e->facts.ndob == 1 && (dn->span_md & ~NX_SPAN_WIDE) != 0;
    if ((e->facts.ndob == 0 || one_date) && dn->nat[0] != NX_NAT_MORE &&
        dn->nat[1] != NX_NAT_MORE)
        dn->span_md |= NX_EXACT;
    e->name_ids[at] = nid;
    x->live_names++;
    while (n->ntok > NAME_INLINE_TOKS && x->captok_more <= nid)
        if (grow((void **)&x->tok_more, &x->captok_more, x->captok_more, sizeof *x->tok_more,
                 &x->bytes) != 0)
            return ERR_NOMEM;
    for (size_t j = 0; j < n->ntok; j++) {
        uint32_t id = intern(x, &n->tok[j]);
        if (id == UINT32_MAX)
            return ERR_NOMEM;
        if (j < NAME_INLINE_TOKS)
            nm->tok[j] = id;
        else
            x->tok_more[nid][j - NAME_INLINE_TOKS] = id;
        nm->ntok++;
        dn->wsum += n->tok[j].weight;
        if (n->tok[j].weight > dn->wmax)
            dn->wmax = n->tok[j].weight;
        x->dtoks[id].refs++;
        if (name_word(&n->tok[j]) && u32vec_insert(&x->dtoks[id].post, nid, &x->bytes) != 0)
            return ERR_NOMEM;
    }
    uint64_t keys[MAX_NAME_KEYS];
    size_t nk = name_keys(x, nm, e, keys, MAX_NAME_KEYS);
    for (size_t k = 0; k < nk; k++)
        if (list_add(x, keys[k], nid) != 0)
            return ERR_NOMEM;
    return 0;
}

/* Fills slot from src: one block for id, list and display names; one for
 * the facts. */
static int fill_entry(struct name_index *x, struct nentry *e, const struct wl_entry *src,
                      size_t nids)
{
    size_t total = strlen(src->id) + 1 + (src->list ? strlen(src->list) : 0) + 1;
    for (size_t i = 0; i < src->nnames; i++)
        total += strlen(src->names[i].name) + 1;
    const struct names_facts *f = &src->facts;
    size_t fsz = f->ndob * sizeof f->dob[0] + f->nnat * 4 + f->ndoc * NAMES_DOC_MAX;
    char *blk = malloc(total);
    char *fb = malloc(fsz > 0 ? fsz : 1);
    e->names = calloc(src->nnames + 1, sizeof *e->names);
    e->name_ids = malloc((nids + 1) * sizeof *e->name_ids);
    e->id = blk;
    e->facts.dob = (struct names_date *)(void *)fb;
    if (blk == NULL || fb == NULL || e->names == NULL || e->name_ids == NULL)
        return ERR_NOMEM;
    x->bytes += total + fsz + (src->nnames + 1) * sizeof *e->names +
                (nids + 1) * sizeof *e->name_ids;
    char *p = blk;
    size_t l = strlen(src->id) + 1;
    memcpy(p, src->id, l), p += l;
    e->list = p;
    l = (src->list ? strlen(src->list) : 0) + 1;
    memcpy(p, src->list ? src->list : "", l), p += l;
    for (size_t i = 0; i < src->nnames; i++) {
        e->names[i] = p;
        l = strlen(src->names[i].name) + 1;
        memcpy(p, src->names[i].name, l), p += l;
    }
    for (size_t i = 0; i < nids; i++)
        e->name_ids[i] = UINT32_MAX;
    e->nnames = (uint16_t)src->nnames;
    e->nids = (uint16_t)nids;
    e->facts.ndob = (uint8_t)f->ndob, e->facts.nnat = (uint8_t)f->nnat;
    e->facts.ndoc = (uint8_t)f->ndoc;
    memcpy(fb, f->dob, f->ndob * sizeof f->dob[0]);
    e->facts.nat = (char(*)[4])(fb + f->ndob * sizeof f->dob[0]);
    memcpy(e->facts.nat, f->nat, f->nnat * 4);
    e->facts.doc = (char(*)[NAMES_DOC_MAX])((char *)e->facts.nat + f->nnat * 4);
    memcpy(e->facts.doc, f->doc, f->ndoc * NAMES_DOC_MAX);
    e->kind = (uint8_t)src->kind, e->category = (uint8_t)src->category;
    e->action = (uint8_t)src->action;
    e->valid_from = src->valid_from, e->valid_until = src->valid_until;
    if (src->phone != NULL)
        (void)names_phone_normalise(src->phone, e->phone);
    count_nats(x, e, 1);
    return 0;
}

static int alloc_slot(struct name_index *x, uint32_t *slot)
{
    if (x->nfree_entries > 0) {
        *slot = x->free_entries[--x->nfree_entries];
        return 0;
    }
    if (grow((void **)&x->entries, &x->capentries, x->nentries, sizeof *x->entries, &x->bytes))
        return ERR_NOMEM;
    *slot = (uint32_t)x->nentries++;
    memset(&x->entries[*slot], 0, sizeof x->entries[*slot]);
    return 0;
}

/* nn[0..nids) are the readings of src's names: nn[k] reads name no[k]. */
static int put_locked(struct name_index *x, const struct wl_entry *src,
                      const struct names_name *nn, const uint16_t *no, size_t nids)
{
    uint32_t slot, old = nx_find_entry(x, src->id);
    int r;
    if (old != UINT32_MAX)
        remove_slot(x, old);
    if ((r = alloc_slot(x, &slot)) != 0)
        return r;
    struct nentry *e = &x->entries[slot];
    e->live = 1;
    x->live_entries++;
    r = fill_entry(x, e, src, nids);
    if (r == 0)
        r = hmap_put(&x->ents, nx_key(KEY_ENTRY, src->id, NULL, 0), slot, &x->bytes);
    for (size_t k = 0; r == 0 && k < nids; k++)
        r = add_name(x, slot, &nn[k], no[k], k, src->names[no[k]].weak);
    for (size_t d = 0; r == 0 && d < e->facts.ndoc; d++)
        r = list_add(x, nx_key(KEY_DOC, e->facts.doc[d], NULL, 0), slot);
    if (r == 0 && e->phone[0] != '\0')
        r = list_add(x, nx_key(KEY_PHONE, e->phone, NULL, 0), slot);
    if (r != 0 && e->id != NULL) {
        remove_slot(x, slot);
    } else if (r != 0) {
        free_entry_data(e);
        x->live_entries--;
    }
    return r;
}

int name_index_put(struct name_index *x, const struct wl_entry *e)
{
    int r = ERR_NOMEM;
    struct names_name *nn = NULL;
    uint16_t *no = NULL;
    size_t nids = 0;
    if (e->id == NULL || e->id[0] == '\0')
        return ERR_INVALID;
    if (e->nnames > 0) { /* a name that does not normalise is kept for display only */
        nn = malloc(e->nnames * NAMES_MAX_READINGS * sizeof *nn);
        no = malloc(e->nnames * NAMES_MAX_READINGS * sizeof *no);
        if (nn == NULL || no == NULL)
            goto out;
    }
    for (size_t i = 0; i < e->nnames; i++) {
        int k = names_normalise_readings(x->norm, e->names[i].name, strlen(e->names[i].name),
                                         &nn[nids], NAMES_MAX_READINGS);
        for (int j = 0; j < k; j++)
            no[nids++] = (uint16_t)i;
    }
    pthread_rwlock_wrlock(&x->lock);
    r = put_locked(x, e, nn, no, nids);
    x->version++;
    pthread_rwlock_unlock(&x->lock);
out:
    free(nn);
    free(no);
    return r;
}

int name_index_remove(struct name_index *x, const char *id)
{
    int r = ERR_NOTFOUND;
    pthread_rwlock_wrlock(&x->lock);
    uint32_t slot = nx_find_entry(x, id);
    if (slot != UINT32_MAX) {
        remove_slot(x, slot);
        x->version++;
        r = 0;
    }
    pthread_rwlock_unlock(&x->lock);
    return r;
}

size_t name_index_entries(struct name_index *x)
{
    pthread_rwlock_rdlock(&x->lock);
    size_t n = x->live_entries;
    pthread_rwlock_unlock(&x->lock);
    return n;
}

size_t name_index_names(struct name_index *x)
{
    pthread_rwlock_rdlock(&x->lock);
    size_t n = x->live_names;
    pthread_rwlock_unlock(&x->lock);
    return n;
}

size_t name_index_memory(struct name_index *x)
{
    pthread_rwlock_rdlock(&x->lock);
    size_t n = x->bytes + sizeof *x;
    pthread_rwlock_unlock(&x->lock);
    return n;
}
