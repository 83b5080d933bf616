/* names_match: aligning two names token by token and turning the alignment
 * and the other evidence (birth date, nationality, document) into a score.
 *
 * Alignment is a greedy maximum-weight matching over candidate edges: every
 * token pair that matches (names_token_sim), and every pair of adjacent
 * tokens on one side whose concatenation matches one token on the other
 * (Abdur Rahman / Abdurrahman). Order is free. Each side's coverage is the
 * weighted share of its tokens that were matched; the name similarity is the
 * mean of the two coverages. A name is "weak" when either side is a mononym
 * or fewer than two informative tokens of enough weight matched; a weak name
 * is capped below the default threshold unless a birth date, nationality or
 * document corroborates it. The constants are documented in
 * docs/matching.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/names.h"
#include "domain/names_tables.h"

#define MAX_EDGES (LIMIT_NAME_TOKENS * LIMIT_NAME_TOKENS * 3)

/* Scoring constants (docs/matching.md, "Score"). */
#define WEAK_CAP 60
#define STRONG_MIN_WEIGHT 0.9f
#define STRONG_MIN_SIM 0.75f
#define JOIN_MIN_SIM 0.8f
#define DOC_SCORE 95
#define COV_MIN_SHARE 0.6f /* weight of the less covered side in the similarity */
#define CONFLICT_PENALTY 0.4f /* per unit of unmatched weight on both sides */
#define CONFLICT_MIN_WEIGHT 0.6f /* a different very common name is still a different name */

static const int dob_points[] = {
    [NAMES_DOB_NONE] = 0,  [NAMES_DOB_EXACT] = 12, [NAMES_DOB_SWAP] = 8,
    [NAMES_DOB_YEAR] = 6,  [NAMES_DOB_RANGE] = 4,  [NAMES_DOB_NEAR] = 2,
    [NAMES_DOB_SAME_YEAR_DIFF] = 2, [NAMES_DOB_MISMATCH] = -15,
};
/* Preference among several dates: lower is better. */
static const int dob_rank[] = {
    [NAMES_DOB_EXACT] = 0, [NAMES_DOB_SWAP] = 1, [NAMES_DOB_YEAR] = 2,
    [NAMES_DOB_RANGE] = 3, [NAMES_DOB_NEAR] = 4, [NAMES_DOB_SAME_YEAR_DIFF] = 5,
    [NAMES_DOB_MISMATCH] = 6, [NAMES_DOB_NONE] = 7,
};
#define NAT_MATCH_POINTS 6
#define NAT_MISMATCH_POINTS (-6)

struct edge {
    struct names_pair p;
    float value;
};

static bool is_title(const struct names_token *t)
{
    return (t->flags & NAMES_TF_TITLE) != 0;
}

static bool name_word(const struct names_token *t)
{
    return (t->flags & (NAMES_TF_TITLE | NAMES_TF_PARTICLE | NAMES_TF_GENDER |
                        NAMES_TF_BIRTH_ORDER | NAMES_TF_INITIAL)) == 0;
}

static float group_weight(const struct names_view *n, size_t i, size_t k)
{
    float w = 0.0f;
    for (size_t j = i; j < i + k; j++)
        w += n->t[j]->weight;
    return w;
}

/* x then y into out (NAMES_TOKEN_MAX * 2), a letter doubled at the joint
 * written once when collapse is set. Returns the length. */
static size_t concat(const char *x, const char *y, bool collapse, char *out)
{
    size_t lx = strlen(x), ly = strlen(y);
    memcpy(out, x, lx);
    if (collapse && lx > 0 && ly > 0 && x[lx - 1] == y[0])
        lx--;
    memcpy(out + lx, y, ly + 1);
    return lx + ly;
}

/* Similarity of a joined pair x+y to the single token z; 0 when none. */
static float join_sim(const struct names_token *x, const struct names_token *y,
                      const struct names_token *z, uint8_t *dist)
{
    char cat[NAMES_TOKEN_MAX * 2 + 1];
    *dist = 0;
    if ((size_t)x->text_len + y->text_len == z->text_len &&
        memcmp(x->text, z->text, x->text_len) == 0 &&
        memcmp(y->text, z->text + x->text_len, y->text_len) == 0)
        return 1.0f;
    if (x->flags & y->flags & z->flags & NAMES_TF_HANGUL)
        return 0.0f; /* all Hangul: only the same syllables (names_token_sim) */
    bool syllabic = ((x->flags | y->flags | z->flags) & NAMES_TF_SYLLABIC) != 0;
    size_t lz = z->phon_len;
    if (!syllabic) {
        /* Told apart without joining the two, as names_edit_distance would
         * tell them (the joint's doubled letter dropped leaves the letters
         * the same): a length apart by more than the budget, or letters of
         * one side missing from the other past it. Equal spellings pass. */
        bool twice = x->phon_len > 0 && y->phon_len > 0 && x->phon[x->phon_len - 1] == y->phon[0];
        size_t lj = (size_t)x->phon_len + y->phon_len - twice, mj = lj < lz ? lj : lz;
        unsigned most = mj <= 7 ? 1 : mj <= 11 ? 2 : 3;
        uint64_t lj_set = x->phon_letters | y->phon_letters;
        if ((lj > lz ? lj - lz : lz - lj) > most ||
            (unsigned)__builtin_popcountll(z->phon_letters & ~lj_set) > most ||
            (unsigned)__builtin_popcountll(lj_set & ~z->phon_letters) > most)
            return 0.0f;
    }
    size_t l = concat(x->phon, y->phon, true, cat);
    if (strcmp(cat, z->phon) == 0)
        return 0.95f;
    if (syllabic) {
        /* romanised syllables: no typo (Jeong-hun is not Jong Un), but
         * Korean eo may be written u (Ji-seong / Ji Sung) */
        char alt[NAMES_TOKEN_MAX];
        bool eq = names_rr_u_phon(z, alt) && strcmp(cat, alt) == 0;
        return eq ? 0.92f : 0.0f;
    }
    size_t m = l < lz ? l : lz;
    unsigned max = m <= 7 ? 1 : m <= 11 ? 2 : 3;
    unsigned d = names_edit_distance(cat, l, z->phon, lz, max);
    if (d > max)
        return 0.0f;
    /* Each word must bring letters of z: one alone as near to z as the
     * two joined is z misspelt, the other an extra word spent as the typo
     * (Abdurahman Lee is not a split Abdurrahman; Abdul Rahman is). Not a
     * particle: an article blended into the next consonant writes one
     * letter of its own (Al Nur ~ Annur, Al Rashid ~ Arrashid, once the
     * doubled letter is folded), so the word beside it is as near. */
    size_t lx = strlen(x->phon), ly = strlen(y->phon);
    if ((!(y->flags & NAMES_TF_PARTICLE) &&
         names_edit_distance(x->phon, lx, z->phon, lz, d) <= d) ||
        (!(x->flags & NAMES_TF_PARTICLE) &&
         names_edit_distance(y->phon, ly, z->phon, lz, d) <= d))
        return 0.0f;
    *dist = (uint8_t)d;
    return 0.92f - 0.6f * (float)d / (float)(l > lz ? l : lz);
}

/* Joined edges: adjacent a->t[i], a->t[i+1] against each b->t[j]. */
static void join_edges(const struct names_view *a, const struct names_view *b, bool a_is_q,
                       struct edge *e, size_t *ne)
{
    for (size_t i = 0; i + 1 < a->n; i++) {
        const struct names_token *x = a->t[i], *y = a->t[i + 1];
        if ((!name_word(x) && !(x->flags & NAMES_TF_PARTICLE)) || !name_word(y))
            continue;
        size_t lxy = (size_t)a->text_len[i] + a->text_len[i + 1];
        for (size_t j = 0; j < b->n && *ne < MAX_EDGES; j++) {
            const struct names_token *z = b->t[j];
            size_t lz = b->text_len[j];
            if (!name_word(z) || lz + 2 < lxy || lz > lxy + 2)
                continue;
            uint8_t dist;
            if (names_ko_jy_clash(x, z))
                continue;
            float s = join_sim(x, y, z, &dist);
            if (s < JOIN_MIN_SIM)
                continue;
            struct edge *ed = &e[(*ne)++];
            ed->p = (struct names_pair){.why = NAMES_WHY_JOINED, .dist = dist, .sim = s};
            ed->p.qi = (uint8_t)(a_is_q ? i : j), ed->p.qn = (uint8_t)(a_is_q ? 2 : 1);
            ed->p.ci = (uint8_t)(a_is_q ? j : i), ed->p.cn = (uint8_t)(a_is_q ? 1 : 2);
            ed->value = s * (x->weight + y->weight + z->weight);
        }
    }
}

static int cmp_edge(const void *pa, const void *pb)
{
    const struct edge *a = pa, *b = pb;
    if (a->value != b->value)
        return a->value < b->value ? 1 : -1;
    return (a->p.qi * 64 + a->p.ci) - (b->p.qi * 64 + b->p.ci);
}

static void pick(struct edge *e, size_t ne, struct names_align *out)
{
    bool uq[LIMIT_NAME_TOKENS] = {0}, uc[LIMIT_NAME_TOKENS] = {0};
    for (size_t i = 1; i < ne; i++) /* insertion sort: a few edges, mostly */
        for (size_t j = i; j > 0 && cmp_edge(&e[j - 1], &e[j]) > 0; j--) {
            struct edge t = e[j];
            e[j] = e[j - 1], e[j - 1] = t;
        }
    for (size_t k = 0; k < ne && out->npair < LIMIT_NAME_TOKENS; k++) {
        const struct names_pair *p = &e[k].p;
        bool free_ = true;
        for (size_t i = p->qi; i < (size_t)p->qi + p->qn; i++)
            free_ = free_ && !uq[i];
        for (size_t j = p->ci; j < (size_t)p->ci + p->cn; j++)
            free_ = free_ && !uc[j];
        if (!free_)
            continue;
        for (size_t i = p->qi; i < (size_t)p->qi + p->qn; i++)
            uq[i] = true;
        for (size_t j = p->ci; j < (size_t)p->ci + p->cn; j++)
            uc[j] = true;
        out->pair[out->npair++] = *p;
    }
}

static bool group_has(const struct names_view *n, size_t i, size_t k, uint16_t flag)
{
    for (size_t j = i; j < i + k; j++)
        if (n->t[j]->flags & flag)
            return true;
    return false;
}

static bool group_word(const struct names_view *n, size_t i, size_t k)
{
    for (size_t j = i; j < i + k; j++)
        if (name_word(n->t[j]))
            return true;
    return false;
}

/* Nasab segments (docs/matching.md): seg[i] is 0 for the tokens before
 * the first bin/ibn/binti/ben, k after the k-th. False when the name has
 * no such particle. */
static bool nasab_segments(const struct names_view *n, uint8_t *seg)
{
    uint8_t bin_class = names_tab_particle("bin", 3), k = 0;
    for (size_t i = 0; i < n->n; i++) {
        const struct names_token *t = n->t[i];
        if ((t->flags & NAMES_TF_PARTICLE) && t->vclass == bin_class && k < 255)
            k++;
        seg[i] = k;
    }
    return k > 0;
}

/* SALMAN BIN MUHAMMAD is the son of MUHAMMAD BIN SALMAN, not the same man:
 * when both names have a bin, a pair that aligns a person's own name (before
 * the first bin) with an ancestor's on the other side, together with a pair
 * doing the converse, is dropped (both tokens are then left unmatched and
 * count as a conflict). A name inverted with a comma (BIN LADIN, Usama bin
 * Muhammad) has no own-name token before its first bin, so it is not hit. */
static void drop_swapped(const struct names_view *q, const struct names_view *c,
                         struct names_align *out)
{
    uint8_t sq[LIMIT_NAME_TOKENS], sc[LIMIT_NAME_TOKENS];
    bool own_to_anc = false, anc_to_own = false;
    if (!nasab_segments(q, sq) || !nasab_segments(c, sc))
        return;
    for (size_t k = 0; k < out->npair; k++) {
        const struct names_pair *p = &out->pair[k];
        if (!group_word(q, p->qi, p->qn) || !group_word(c, p->ci, p->cn))
            continue;
        own_to_anc = own_to_anc || (sq[p->qi] == 0 && sc[p->ci] > 0);
        anc_to_own = anc_to_own || (sq[p->qi] > 0 && sc[p->ci] == 0);
    }
    if (!own_to_anc || !anc_to_own)
        return;
    size_t o = 0;
    for (size_t k = 0; k < out->npair; k++) {
        const struct names_pair *p = &out->pair[k];
        bool word = group_word(q, p->qi, p->qn) && group_word(c, p->ci, p->cn);
        if (!word || (sq[p->qi] == 0) == (sc[p->ci] == 0))
            out->pair[o++] = *p;
    }
    out->npair = o;
}

/* Counts name words and initials (a mononym has one); a token matched to
 * two joined tokens counts as two. */
static int words(const struct names_view *n, const bool *joined)
{
    int k = 0;
    for (size_t i = 0; i < n->n; i++)
        if (name_word(n->t[i]) || (n->t[i]->flags & NAMES_TF_INITIAL))
            k += joined[i] ? 2 : 1;
    return k;
}

static bool conflicting(const struct names_token *t)
{
    return name_word(t) || (t->flags & NAMES_TF_INITIAL);
}

/* Two unmatched name words that may still be one name: split at another
 * letter, one being the other with a letter more (AREFULLAHA REF /
 * AREFULLAH AREF, CHANG MYONGC-HIN / MYONG-CHIN), or cut short (DR /
 * DRISSI). A letter changed is not one (Arif / Asif, Manuel / Miguel, Hun /
 * Man are other names). */
static bool near_miss(const struct names_view *va, size_t i, const struct names_view *vb,
                      size_t j)
{
    const struct names_token *a = va->t[i], *b = vb->t[j];
    size_t la = va->phon_len[i], lb = vb->phon_len[j], m = la < lb ? la : lb;
    if (!name_word(a) || !name_word(b) || m < 2 ||
        ((a->flags | b->flags) & NAMES_TF_PATRONYMIC))
        return false;
    if (la != lb && strncmp(a->phon, b->phon, m) == 0)
        return true;
    if (la + lb < 5 || (la > lb ? la - lb : lb - la) != 1)
        return false;
    return names_edit_distance(a->phon, la, b->phon, lb, 1) == 1;
}

/* How much an unmatched token says against a match. A very common name
 * weighs little because agreeing on it proves little; disagreeing proves as
 * much as for a common name (Mohamed against Ali: another father), so it
 * counts CONFLICT_MIN_WEIGHT. A short word keeps its weight: it is often a
 * syllable spelt another way (Sok / Sko). */
static float conflict_weight(const struct names_token *t)
{
    if (name_word(t) && (t->flags & NAMES_TF_VCOMMON) && t->weight < CONFLICT_MIN_WEIGHT)
        return CONFLICT_MIN_WEIGHT;
    return t->weight;
}

/* Weight of the unmatched name words and initials of q and of c (*wq,
 * *wc), leaving out pairs that are near misses of each other. */
static void unmatched_words(const struct names_view *q, const bool *uq,
                            const struct names_view *c, const bool *uc, float *wq, float *wc)
{
    bool near_c[LIMIT_NAME_TOKENS] = {0};
    *wq = *wc = 0.0f;
    for (size_t i = 0; i < q->n; i++) {
        if (uq[i] || !conflicting(q->t[i]))
            continue;
        bool near = false;
        for (size_t j = 0; j < c->n && !near; j++)
            if (!uc[j] && !near_c[j] && near_miss(q, i, c, j))
                near = near_c[j] = true;
        if (!near)
            *wq += conflict_weight(q->t[i]);
    }
    for (size_t j = 0; j < c->n; j++)
        if (!uc[j] && !near_c[j] && conflicting(c->t[j]))
            *wc += conflict_weight(c->t[j]);
}

static void coverage(const struct names_view *q, const struct names_view *c,
                     struct names_align *out)
{
    float tq = group_weight(q, 0, q->n), tc = group_weight(c, 0, c->n);
    float cq = 0.0f, cc = 0.0f;
    int strong = 0, initials = 0;
    bool jq[LIMIT_NAME_TOKENS] = {0}, jc[LIMIT_NAME_TOKENS] = {0};
    bool uq[LIMIT_NAME_TOKENS] = {0}, uc[LIMIT_NAME_TOKENS] = {0};
    for (size_t k = 0; k < out->npair; k++) {
        const struct names_pair *p = &out->pair[k];
        float wq = group_weight(q, p->qi, p->qn), wc = group_weight(c, p->ci, p->cn);
        float m = wq < wc ? wq : wc;
        for (size_t i = p->qi; i < (size_t)p->qi + p->qn; i++)
            uq[i] = true;
        for (size_t j = p->ci; j < (size_t)p->ci + p->cn; j++)
            uc[j] = true;
        if (p->qn == 1 && p->cn == 2)
            jq[p->qi] = true;
        if (p->cn == 1 && p->qn == 2)
            jc[p->ci] = true;
        if (group_has(q, p->qi, p->qn, NAMES_TF_INITIAL) ||
            group_has(c, p->ci, p->cn, NAMES_TF_INITIAL)) {
            wq = m;
            wc = m;
            initials += p->why == NAMES_WHY_INITIAL;
        }
        cq += p->sim * wq;
        cc += p->sim * wc;
        if (p->sim >= STRONG_MIN_SIM && p->why != NAMES_WHY_INITIAL &&
            group_word(q, p->qi, p->qn) && group_word(c, p->ci, p->cn)) {
            bool joined = p->qn == 2 || p->cn == 2;
            strong += joined ? 2 : 1;
            /* a joined pair is two words on both sides (FridrichBuchenberg) */
            out->matched_weight += (joined ? (wq > wc ? wq : wc) : m) * p->sim;
        }
    }
    out->informative_q = words(q, jq);
    out->informative_c = words(c, jc);
    out->informative_matched = strong;
    out->cov_q = tq > 0.0f ? (cq < tq ? cq / tq : 1.0f) : 0.0f;
    out->cov_c = tc > 0.0f ? (cc < tc ? cc / tc : 1.0f) : 0.0f;
    float lo = out->cov_q < out->cov_c ? out->cov_q : out->cov_c;
    float hi = out->cov_q < out->cov_c ? out->cov_c : out->cov_q;
    float conflict, cw;
    unmatched_words(q, uq, c, uc, &conflict, &cw);
    conflict = conflict < cw ? conflict : cw;
    out->conflict = conflict;
    out->sim = COV_MIN_SHARE * lo + (1.0f - COV_MIN_SHARE) * hi - CONFLICT_PENALTY * conflict;
    out->sim = out->sim < 0.0f ? 0.0f : out->sim;
    bool enough = strong >= 2 || (strong == 1 && initials > 0);
    out->weak = out->informative_q <= 1 || out->informative_c <= 1 || !enough ||
                out->matched_weight < STRONG_MIN_WEIGHT;
}

/* Marks in ra and rb, with 1, the tokens of a that join_edges(a, b) may
 * pair as two joined tokens and those of b it may pair them with (the
 * lengths it tests; the similarity not computed). */
static void join_reach(const struct names_view *a, const struct names_view *b, float *ra,
                       float *rb)
{
    for (size_t i = 0; i + 1 < a->n; i++) {
        const struct names_token *x = a->t[i], *y = a->t[i + 1];
        if ((!name_word(x) && !(x->flags & NAMES_TF_PARTICLE)) || !name_word(y))
            continue;
        size_t lxy = (size_t)a->text_len[i] + a->text_len[i + 1];
        for (size_t j = 0; j < b->n; j++) {
            size_t lz = b->text_len[j];
            if (!name_word(b->t[j]) || lz + 2 < lxy || lz > lxy + 2)
                continue;
            ra[i] = ra[i + 1] = rb[j] = 1.0f;
        }
    }
}

/* The conflict weight of the tokens of a that no pair covers (reach 0)
 * and that have no near miss in b: unmatched_words counts them whatever
 * the alignment (near_miss is symmetric). */
static float sure_conflict(const struct names_view *a, const float *reach,
                           const struct names_view *b)
{
    float w = 0.0f;
    for (size_t i = 0; i < a->n; i++) {
        if (reach[i] > 0.0f || !conflicting(a->t[i]))
            continue;
        bool near = false;
        for (size_t j = 0; j < b->n && !near; j++)
            near = near_miss(a, i, b, j);
        if (!near)
            w += conflict_weight(a->t[i]);
    }
    return w;
}

float names_align_bound(const struct names_view *q, const struct names_view *c,
                        const float sim[LIMIT_NAME_TOKENS][LIMIT_NAME_TOKENS])
{
    float rq[LIMIT_NAME_TOKENS] = {0}, rc[LIMIT_NAME_TOKENS] = {0};
    for (size_t i = 0; i < q->n; i++)
        for (size_t j = 0; j < c->n; j++) {
            float s = sim[i][j];
            if (s > 0.0f) {
                rq[i] = s > rq[i] ? s : rq[i];
                rc[j] = s > rc[j] ? s : rc[j];
            }
        }
    join_reach(q, c, rq, rc);
    join_reach(c, q, rc, rq);
    /* a pair adds sim times its weight on each side (an initial's pair
     * the lesser weight), each token in one pair at most */
    float cq = 0.0f, cc = 0.0f;
    for (size_t i = 0; i < q->n; i++)
        cq += rq[i] * q->t[i]->weight;
    for (size_t j = 0; j < c->n; j++)
        cc += rc[j] * c->t[j]->weight;
    float tq = group_weight(q, 0, q->n), tc = group_weight(c, 0, c->n);
    float bq = tq > 0.0f ? (cq < tq ? cq / tq : 1.0f) : 0.0f;
    float bc = tc > 0.0f ? (cc < tc ? cc / tc : 1.0f) : 0.0f;
    float lo = bq < bc ? bq : bc, hi = bq < bc ? bc : bq;
    float fq = sure_conflict(q, rq, c), fc = sure_conflict(c, rc, q);
    float s = COV_MIN_SHARE * lo + (1.0f - COV_MIN_SHARE) * hi -
              CONFLICT_PENALTY * (fq < fc ? fq : fc);
    /* the sums above run in another order than coverage's: a hair of slack */
    return (s < 0.0f ? 0.0f : s) + 1e-4f;
}

void names_view_of(const struct names_name *n, struct names_view *v)
{
    v->n = n->ntok;
    for (size_t i = 0; i < n->ntok; i++) {
        v->t[i] = &n->tok[i];
        v->text_len[i] = (uint8_t)strlen(n->tok[i].text);
        v->phon_len[i] = (uint8_t)strlen(n->tok[i].phon);
    }
}

void names_align_view(const struct names_view *q, const struct names_view *c,
                      const float sim[LIMIT_NAME_TOKENS][LIMIT_NAME_TOKENS],
                      const uint8_t why[LIMIT_NAME_TOKENS][LIMIT_NAME_TOKENS],
                      const uint8_t dist[LIMIT_NAME_TOKENS][LIMIT_NAME_TOKENS],
                      struct names_align *out)
{
    struct edge e[MAX_EDGES];
    size_t ne = 0;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < q->n; i++) {
        for (size_t j = 0; j < c->n; j++) {
            if (sim[i][j] <= 0.0f)
                continue;
            e[ne].p = (struct names_pair){.qi = (uint8_t)i, .qn = 1, .ci = (uint8_t)j, .cn = 1,
                                          .why = why[i][j], .dist = dist[i][j], .sim = sim[i][j]};
            e[ne].value = sim[i][j] * (q->t[i]->weight + c->t[j]->weight);
            ne++;
        }
    }
    join_edges(q, c, true, e, &ne);
    join_edges(c, q, false, e, &ne);
    pick(e, ne, out);
    drop_swapped(q, c, out);
    coverage(q, c, out);
}

void names_align(const struct names_name *q, const struct names_name *c, struct names_align *out)
{
    float sim[LIMIT_NAME_TOKENS][LIMIT_NAME_TOKENS];
    uint8_t why[LIMIT_NAME_TOKENS][LIMIT_NAME_TOKENS], dist[LIMIT_NAME_TOKENS][LIMIT_NAME_TOKENS];
    struct names_view qv, cv;
    names_view_of(q, &qv);
    names_view_of(c, &cv);
    for (size_t i = 0; i < q->ntok; i++)
        for (size_t j = 0; j < c->ntok; j++)
            sim[i][j] = is_title(&q->tok[i]) || is_title(&c->tok[j])
                            ? 0.0f
                            : names_token_sim(&q->tok[i], &c->tok[j], &why[i][j], &dist[i][j]);
    names_align_view(&qv, &cv, sim, why, dist, out);
}

static void score_dob(const struct names_facts *qf, const struct names_facts *cf,
                      struct names_result *out)
{
    out->dob_kind = NAMES_DOB_NONE;
    for (size_t i = 0; i < qf->ndob; i++) {
        for (size_t j = 0; j < cf->ndob; j++) {
            int k = names_date_compare(&qf->dob[i], &cf->dob[j]);
            if (dob_rank[k] < dob_rank[out->dob_kind]) {
                out->dob_kind = k;
                out->dob_q = qf->dob[i];
                out->dob_c = cf->dob[j];
            }
        }
    }
    out->dob_points = dob_points[out->dob_kind];
}

static void score_nat(const struct names_facts *qf, const struct names_facts *cf,
                      struct names_result *out)
{
    out->nat_kind = NAMES_NAT_NONE;
    if (qf->nnat == 0 || cf->nnat == 0)
        return;
    out->nat_kind = NAMES_NAT_MISMATCH;
    memcpy(out->nat, qf->nat[0], 4);
    for (size_t i = 0; i < qf->nnat; i++)
        for (size_t j = 0; j < cf->nnat; j++)
            if (strcmp(qf->nat[i], cf->nat[j]) == 0 && !out->nat_lifts) {
                /* a match that lifts is the one told, when there is one */
                out->nat_kind = NAMES_NAT_MATCH;
                out->nat_lifts = !(qf->nat_common & (1u << i));
                memcpy(out->nat, qf->nat[i], 4);
            }
    out->nat_points = out->nat_kind == NAMES_NAT_MATCH ? NAT_MATCH_POINTS : NAT_MISMATCH_POINTS;
}

static void score_doc(const struct names_facts *qf, const struct names_facts *cf,
                      struct names_result *out)
{
    for (size_t i = 0; i < qf->ndoc; i++)
        for (size_t j = 0; j < cf->ndoc; j++)
            if (strcmp(qf->doc[i], cf->doc[j]) == 0) {
                out->doc_match = true;
                memcpy(out->doc, qf->doc[i], NAMES_DOC_MAX);
                return;
            }
}

void names_score_facts(const struct names_align *al, const struct names_facts *qf,
                       const struct names_facts *cf, struct names_result *out)
{
    static const struct names_facts none;
    memset(out, 0, sizeof *out);
    out->align = *al;
    qf = qf != NULL ? qf : &none;
    cf = cf != NULL ? cf : &none;
    score_dob(qf, cf, out);
    score_nat(qf, cf, out);
    score_doc(qf, cf, out);
    int np = (int)lroundf(100.0f * al->sim);
    /* a nationality common on the list tells no one apart: it adds nothing
     * to a weak name, neither points nor a lift (so a weak name without a
     * full date stays at WEAK_CAP plus a year's points, as the index
     * assumes), and its points to a name that is not weak */
    if (al->weak && out->nat_kind == NAMES_NAT_MATCH && !out->nat_lifts)
        out->nat_points = 0;
    if (al->weak) {
        /* Only a full birth date or a nationality lifts the cap; a year alone
         * adds its points but cannot make a mononym an alert, nor can a
         * nationality common on the list (nat_common). */
        int cap = WEAK_CAP;
        if (out->dob_kind == NAMES_DOB_EXACT || out->dob_kind == NAMES_DOB_SWAP)
            cap += out->dob_points;
        cap += out->nat_lifts ? out->nat_points : 0;
        if (np > cap) {
            np = cap;
            out->capped = true;
        }
    }
    out->name_points = np;
    int s = np + out->dob_points + out->nat_points;
    if (out->doc_match && s < DOC_SCORE)
        s = DOC_SCORE;
    out->score = s < 0 ? 0 : s > 100 ? 100 : s;
}

void names_score(const struct names_name *q, const struct names_facts *qf,
                 const struct names_name *c, const struct names_facts *cf,
                 struct names_result *out)
{
    struct names_align al;
    names_align(q, c, &al);
    names_score_facts(&al, qf, cf, out);
}

void names_score_readings(const struct names_name *q, size_t nq, const struct names_facts *qf,
                          const struct names_name *c, size_t nc, const struct names_facts *cf,
                          struct names_result *out, size_t *qi, size_t *ci)
{
    struct names_result r;
    size_t bi = 0, bj = 0;
    names_score(&q[0], qf, &c[0], cf, out);
    for (size_t i = 0; i < nq; i++)
        for (size_t j = 0; j < nc; j++) {
            if (i == 0 && j == 0)
                continue;
            names_score(&q[i], qf, &c[j], cf, &r);
            /* on a tie (two capped readings), the closer names explain it */
            if (r.score > out->score || (r.score == out->score && r.align.sim > out->align.sim)) {
                *out = r;
                bi = i, bj = j;
            }
        }
    if (qi != NULL)
        *qi = bi;
    if (ci != NULL)
        *ci = bj;
}
