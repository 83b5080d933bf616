/* names_token: classification, keys and similarity of single name tokens.
 *
 * Each token gets three keys. canon folds a given-name variant to its class
 * head (mochammad -> muhammad) or applies the pre-1972 Indonesian spelling
 * rules (oe->u, dj->j, tj->c, sj->sy, nj->ny, ch->kh). phon adds folds that
 * romanisations disagree on (j/y, ph/f, q/k, x/ks, dh/d, th/t, gh/g, ou/u,
 * oo/u, ee/i, doubled letters, a final h after a vowel, a final y). skel is
 * phon without vowels, used when one side comes from a script that does not
 * write short vowels (Arabic, Hebrew, Thai). names_token_sim() compares two
 * tokens and says why they match; the similarity levels are the model's
 * constants and are documented in docs/matching.md. */
#include <string.h>

#include "domain/names.h"
#include "domain/names_tables.h"

/* Token weights (see docs/matching.md, "Weights"). */
#define W_GENDER 0.05f
#define W_PARTICLE 0.1f
#define W_BIRTH_ORDER 0.15f
#define W_INITIAL 0.25f
#define W_VCOMMON 0.35f
#define W_COMMON 0.6f
#define W_SHORT 0.5f
#define W_DEFAULT 1.0f

/* Similarity levels. */
#define S_EXACT 1.0f
#define S_VARIANT 0.95f
#define S_SPELLING 0.95f
#define S_SPELLING_JY 0.93f
#define S_TRANSLIT 0.92f
#define S_INITIAL 0.7f
#define S_PREFIX 0.8f
#define S_SKEL3 0.72f /* below STRONG_MIN_SIM: consonants alone never make a strong name */
#define S_SKEL2 0.6f

static void put(char *out, size_t *o, char c)
{
    if (*o + 1 < NAMES_TOKEN_MAX)
        out[(*o)++] = c;
}

/* Pre-1972 Indonesian spelling to EYD; returns the rules applied. */
static uint8_t fold_old(const char *s, char *out)
{
    uint8_t sp = 0;
    size_t o = 0;
    for (size_t i = 0; s[i] != '\0'; i++) {
        char a = s[i], b = s[i + 1];
        if (a == 'o' && b == 'e') {
            put(out, &o, 'u'), sp |= NAMES_SP_OE, i++;
        } else if (a == 'd' && b == 'j') {
            put(out, &o, 'j'), sp |= NAMES_SP_DJ, i++;
        } else if (a == 't' && b == 'j') {
            put(out, &o, 'c'), sp |= NAMES_SP_TJ, i++;
        } else if ((a == 's' || a == 'n') && b == 'j') {
            put(out, &o, a), put(out, &o, 'y'), i++;
            sp |= a == 's' ? NAMES_SP_SJ : NAMES_SP_NJ;
        } else if (a == 'c' && b == 'h') {
            put(out, &o, 'k'), put(out, &o, 'h'), sp |= NAMES_SP_CH, i++;
        } else {
            put(out, &o, a);
        }
    }
    out[o] = '\0';
    return sp;
}

static bool vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Romanisation-tolerant key of a canon string. syl: the text comes from
 * romanised syllables, where dh/th/gh are two syllables (jeong-hun), not
 * one consonant, and are kept. */
static void phon_key(const char *s, char *out, bool syl)
{
    char t[NAMES_TOKEN_MAX];
    size_t o = 0;
    for (size_t i = 0; s[i] != '\0'; i++) {
        char a = s[i], b = s[i + 1];
        if (a == 'j') {
            put(t, &o, 'y');
        } else if (a == 'p' && b == 'h') {
            put(t, &o, 'f'), i++;
        } else if (a == 'q' || (a == 'c' && b == 'k')) {
            put(t, &o, 'k'), i += a == 'c';
        } else if (a == 'x') {
            put(t, &o, 'k'), put(t, &o, 's');
        } else if ((a == 'd' || a == 't' || a == 'g') && b == 'h' && !syl) {
            put(t, &o, a), i++;
        } else if ((a == 'o' && (b == 'u' || b == 'o')) || (a == 'e' && b == 'e')) {
            put(t, &o, a == 'e' ? 'i' : 'u'), i++;
        } else {
            put(t, &o, a);
        }
    }
    t[o] = '\0';
    size_t k = 0;
    for (size_t i = 0; i < o; i++)
        if (k == 0 || t[i] != out[k - 1])
            out[k++] = t[i];
    /* Latvian adds a nominative -s: Lavrovs, Medvedevs, Sergejs (-> sergey) */
    if (k > 5 && out[k - 1] == 's' && (out[k - 3] == 'o' || out[k - 3] == 'e') &&
        (out[k - 2] == 'v' || out[k - 2] == 'y'))
        k--;
    if (k > 2 && out[k - 1] == 'h' && vowel(out[k - 2]))
        k--;
    if (k > 1 && out[k - 1] == 'y')
        out[k - 1] = 'i';
    out[k] = '\0';
}

/* Revised Romanization writes two Korean vowels eo and eu that the
 * McCune-Reischauer spellings of most lists write o and u (Jeong/Jong,
 * Eun/Un, Seong/Song): folded for tokens from a syllabic script. */
static void fold_rr(const char *s, char *out)
{
    size_t o = 0;
    for (size_t i = 0; s[i] != '\0'; i++) {
        if (s[i] == 'e' && (s[i + 1] == 'o' || s[i + 1] == 'u'))
            continue;
        put(out, &o, s[i]);
    }
    out[o] = '\0';
}

/* The other customary spelling of Korean eo: u (Sung, Jung, Hyun). True
 * when syllabic token a, so spelled, has the phon key of b. */
bool names_rr_u_phon(const struct names_token *a, char out[NAMES_TOKEN_MAX])
{
    char t[NAMES_TOKEN_MAX];
    size_t o = 0;
    if (!(a->flags & NAMES_TF_SYLLABIC) || strstr(a->canon, "eo") == NULL)
        return false;
    for (size_t i = 0; a->canon[i] != '\0'; i++) {
        if (a->canon[i] == 'e' && a->canon[i + 1] == 'o')
            put(t, &o, 'u'), i++;
        else
            put(t, &o, a->canon[i]);
    }
    t[o] = '\0';
    phon_key(t, out, true);
    return true;
}

static bool rr_u_equal(const struct names_token *a, const struct names_token *b)
{
    char k[NAMES_TOKEN_MAX];
    return names_rr_u_phon(a, k) && strcmp(k, b->phon) == 0;
}

static void skel_key(const char *phon, char *out)
{
    size_t k = 0;
    for (size_t i = 0; phon[i] != '\0'; i++) {
        char c = phon[i] == 'v' ? 'w' : phon[i];
        if (vowel(c) || c == 'w')
            continue;
        if (k == 0 || out[k - 1] != c)
            out[k++] = c;
    }
    out[k] = '\0';
}

static float weight_of(const struct names_token *t, size_t len)
{
    if (t->flags & NAMES_TF_TITLE)
        return 0.0f;
    if (t->flags & NAMES_TF_GENDER)
        return W_GENDER;
    if (t->flags & NAMES_TF_PARTICLE)
        return W_PARTICLE;
    if (t->flags & NAMES_TF_BIRTH_ORDER)
        return W_BIRTH_ORDER;
    if (t->flags & NAMES_TF_INITIAL)
        return W_INITIAL;
    if (t->flags & NAMES_TF_VCOMMON)
        return W_VCOMMON;
    if (t->flags & (NAMES_TF_COMMON | NAMES_TF_PATRONYMIC))
        return W_COMMON;
    return len <= 3 ? W_SHORT : W_DEFAULT;
}

/* East Slavic patronymics written in Latin letters: Viktorovich,
 * Oleksandrovych, Ilyich, Sergeyevna, Petrivna. They name the father, so
 * they weigh as a common name part and never match the father's own name
 * (Oleksandr / Oleksandrovych). From Cyrillic, ICU writes -ovič, which
 * loses its mark and cannot be told from a Serbian surname (Vučić). */
static bool patronymic(const char *s, size_t len)
{
    static const char *const ends[] = {"ovich", "evich", "ovych", "evych", "ovna",
                                       "evna",  "ivna",  "ilyich", "ichna"};
    if (len < 7)
        return false;
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        size_t l = strlen(ends[i]);
        if (strcmp(s + len - l, ends[i]) == 0)
            return true;
    }
    return false;
}

static uint16_t classify(const char *s, size_t len, size_t pos, size_t ntok, uint8_t *vclass)
{
    uint8_t v;
    *vclass = 0;
    if (len == 1)
        return (s[0] == 'i' && pos == 0 && ntok > 1) ? NAMES_TF_GENDER : NAMES_TF_INITIAL;
    if ((v = names_tab_particle(s, len)) != 0) {
        *vclass = v > 1 ? v : 0;
        return NAMES_TF_PARTICLE;
    }
    if ((v = names_tab_birth_order(s, len)) != 0)
        return (v == 2 && ntok > 1) ? NAMES_TF_GENDER : v == 1 ? NAMES_TF_BIRTH_ORDER : 0;
    *vclass = names_tab_vclass(s, len);
    return *vclass == 0 && patronymic(s, len) ? NAMES_TF_PATRONYMIC : 0;
}

/* The letters of s[0..n) as bits (c & 63: two bytes may share a bit,
 * which only makes two words look closer). */
static uint64_t letter_bits(const char *s, size_t n)
{
    uint64_t m = 0;
    for (size_t i = 0; i < n; i++)
        m |= 1ull << ((unsigned char)s[i] & 63u);
    return m;
}

static unsigned bits64(uint64_t v)
{
    v = v - ((v >> 1) & 0x5555555555555555ull);
    v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
    v = (v + (v >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (unsigned)((v * 0x0101010101010101ull) >> 56);
}

void names_token_init(struct names_token *t, const char *ascii, size_t len, size_t pos,
                      size_t ntok, uint16_t script_flags)
{
    memset(t, 0, sizeof *t);
    if (len > NAMES_TOKEN_MAX - 1)
        len = NAMES_TOKEN_MAX - 1;
    memcpy(t->text, ascii, len);
    t->flags = script_flags;
    if ((t->flags & NAMES_TF_TITLE) == 0)
        t->flags |= classify(t->text, len, pos, ntok, &t->vclass);
    char tmp[NAMES_TOKEN_MAX];
    t->spell = fold_old(t->text, tmp);
    bool particle = (t->flags & NAMES_TF_PARTICLE) != 0;
    if (t->vclass == 0 && !particle && t->spell != 0)
        t->vclass = names_tab_vclass(tmp, strlen(tmp));
    if (t->vclass != 0 && !particle) {
        const char *h = names_tab_vclass_head(t->vclass);
        memcpy(t->canon, h, strlen(h) + 1);
    } else {
        memcpy(t->canon, tmp, strlen(tmp) + 1);
    }
    if (t->flags & NAMES_TF_SYLLABIC) {
        fold_rr(t->canon, tmp);
        phon_key(tmp, t->phon, true);
    } else {
        phon_key(t->canon, t->phon, false);
    }
    skel_key(t->phon, t->skel);
    uint8_t c = names_tab_common(t->text, len);
    if (c == 0)
        c = names_tab_common(t->canon, strlen(t->canon));
    if (c == 2 || (c == 0 && t->vclass != 0 && t->vclass < NAMES_VCLASS_GIVEN_FIRST &&
                   (t->flags & NAMES_TF_PARTICLE) == 0))
        t->flags |= NAMES_TF_VCOMMON;
    else if (c == 1)
        t->flags |= NAMES_TF_COMMON;
    t->weight = weight_of(t, len);
    t->text_len = (uint8_t)strlen(t->text);
    t->phon_len = (uint8_t)strlen(t->phon);
    t->text_letters = letter_bits(t->text, t->text_len);
    t->phon_letters = letter_bits(t->phon, t->phon_len);
}

/* The distance names_edit_distance counts (insertions, deletions,
 * substitutions and transpositions of two adjacent letters, each letter
 * edited once) of pattern p, at most 64 bytes, and text t, computed a
 * column of the table at a time as bit vectors: bit i of vp (vm) says the
 * cell of row i + 1 is one more (less) than the one above it, and d0 that
 * the cell equals the one up and to the left. The method is Myers's
 * (1999) as Hyyro (2001) writes it, with Hyyro's transposition term: a
 * cell reaches the one two rows and two columns back, plus one, where the
 * letters cross and the diagonal between them grew. */
static unsigned osa_bits(const char *p, size_t m, const char *t, size_t n)
{
    uint64_t peq[256]; /* the rows where each letter of t stands in p */
    if (m == 0)
        return (unsigned)n;
    for (size_t j = 0; j < n; j++)
        peq[(unsigned char)t[j]] = 0;
    for (size_t i = 0; i < m; i++)
        peq[(unsigned char)p[i]] = 0;
    for (size_t i = 0; i < m; i++)
        peq[(unsigned char)p[i]] |= 1ull << i;
    uint64_t vp = ~0ull, vm = 0, d0 = 0, eq_prev = 0, last = 1ull << (m - 1);
    unsigned score = (unsigned)m; /* the bottom cell of the current column */
    for (size_t j = 0; j < n; j++) {
        uint64_t eq = peq[(unsigned char)t[j]];
        uint64_t tr = ((~d0 & eq) << 1) & eq_prev;
        d0 = (((eq & vp) + vp) ^ vp) | eq | vm | tr;
        uint64_t hp = vm | ~(d0 | vp), hm = d0 & vp;
        score += (hp & last) != 0;
        score -= (hm & last) != 0;
        hp = hp << 1 | 1u; /* the top row counts up by one a column */
        hm <<= 1;
        vp = hm | ~(d0 | hp);
        vm = hp & d0;
        eq_prev = eq;
    }
    return score;
}

/* names_edit_distance with the letters of a and b given (letter_bits). */
static unsigned edit_distance(const char *a, size_t la, uint64_t ma, const char *b, size_t lb,
                              uint64_t mb, unsigned max)
{
    unsigned d0[NAMES_TOKEN_MAX * 2 + 1], d1[NAMES_TOKEN_MAX * 2 + 1],
        d2[NAMES_TOKEN_MAX * 2 + 1];
    unsigned *pp = d0, *p = d1, *c = d2;
    if (la > NAMES_TOKEN_MAX * 2 || lb > NAMES_TOKEN_MAX * 2)
        return max + 1;
    if ((la > lb ? la - lb : lb - la) > max)
        return max + 1;
    /* Each letter of one word missing from the other takes an edit of its
     * own (a transposition brings no new letter): most pairs compared are
     * told apart here, without the table. */
    if (bits64(ma & ~mb) > max || bits64(mb & ~ma) > max)
        return max + 1;
    /* the distance is symmetric: the shorter word is the pattern */
    if ((la <= lb ? la : lb) <= 64) {
        unsigned d = la <= lb ? osa_bits(a, la, b, lb) : osa_bits(b, lb, a, la);
        return d > max ? max + 1 : d;
    }
    for (size_t j = 0; j <= lb; j++)
        p[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        unsigned rowmin;
        c[0] = (unsigned)i;
        rowmin = c[0];
        for (size_t j = 1; j <= lb; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned v = p[j - 1] + cost;
            if (p[j] + 1 < v)
                v = p[j] + 1;
            if (c[j - 1] + 1 < v)
                v = c[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
            if (v < rowmin)
                rowmin = v;
        }
        if (rowmin > max)
            return max + 1;
        unsigned *t = pp;
        pp = p, p = c, c = t;
    }
    return p[lb] > max ? max + 1 : p[lb];
}

unsigned names_edit_distance(const char *a, size_t la, const char *b, size_t lb, unsigned max)
{
    if ((la > lb ? la - lb : lb - la) > max)
        return max + 1;
    return edit_distance(a, la, letter_bits(a, la), b, lb, letter_bits(b, lb), max);
}

static unsigned allowed_edits(size_t len)
{
    return len <= 3 ? 0 : len <= 7 ? 1 : len <= 11 ? 2 : 3;
}

static bool eq_jy(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        char x = *a == 'j' ? 'y' : *a, y = *b == 'j' ? 'y' : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

static float typo_sim(const char *a, size_t la, uint64_t ma, const char *b, size_t lb,
                      uint64_t mb, bool syllabic, uint8_t *dist)
{
    size_t l = la > lb ? la : lb;
    unsigned max = allowed_edits(la < lb ? la : lb), d;
    if (syllabic && (la < 7 || lb < 7))
        max = 0; /* romanised syllables differ by one letter all the time */
    if (max == 0)
        return 0.0f;
    d = edit_distance(a, la, ma, b, lb, mb, max);
    if (d > max)
        return 0.0f;
    *dist = (uint8_t)d;
    return 0.92f - 0.6f * (float)d / (float)l;
}

static float skel_sim(const struct names_token *a, const struct names_token *b)
{
    size_t l = strlen(a->skel);
    if (((a->flags | b->flags) & NAMES_TF_ABJAD) == 0 || l == 0 || strcmp(a->skel, b->skel) != 0)
        return 0.0f;
    return l >= 3 ? S_SKEL3 : l == 2 ? S_SKEL2 : 0.0f;
}

/* Whether a's phon starts b's, a word of four letters or more. */
static bool is_prefix(const struct names_token *a, const struct names_token *b)
{
    size_t la = a->phon_len, lb = b->phon_len;
    return la >= 4 && la < lb && memcmp(a->phon, b->phon, la) == 0;
}

/* Whether patronymic p is formed from the name t (t + ovich, evna, ...). */
static bool fathers_name(const struct names_token *p, const struct names_token *t)
{
    size_t lp = p->text_len, lt = t->text_len;
    if (!(p->flags & NAMES_TF_PATRONYMIC) || (t->flags & NAMES_TF_PATRONYMIC) || lt < 3 ||
        lt >= lp || lp - lt > 6 || strncmp(p->text, t->text, lt) != 0)
        return false;
    char c = p->text[lt];
    return c == 'o' || c == 'e' || c == 'i' || c == 'y' || c == 'v';
}

/* A nickname or foreign spelling in a given-name class (Bill, Aleksandr):
 * its canon and phon are the head's (william), not its own letters. */
static bool nickname(const struct names_token *t)
{
    return t->vclass >= NAMES_VCLASS_GIVEN_FIRST && strcmp(t->text, t->canon) != 0;
}

bool names_ko_jy_clash(const struct names_token *a, const struct names_token *b)
{
    if (((a->flags | b->flags) & NAMES_TF_SYLLABIC) == 0)
        return false;
    char x = a->canon[0], y = b->canon[0];
    return (x == 'j' && y == 'y') || (x == 'y' && y == 'j');
}

float names_token_sim(const struct names_token *a, const struct names_token *b, uint8_t *why,
                      uint8_t *dist)
{
    const uint16_t weakf = NAMES_TF_PARTICLE | NAMES_TF_GENDER | NAMES_TF_BIRTH_ORDER;
    float s;
    *why = 0;
    *dist = 0;
    if ((a->flags | b->flags) & NAMES_TF_TITLE)
        return 0.0f;
    if (a->text_len == b->text_len && memcmp(a->text, b->text, a->text_len) == 0)
        return *why = NAMES_WHY_EXACT, S_EXACT;
    if (a->vclass != 0 && a->vclass == b->vclass)
        return *why = NAMES_WHY_VARIANT, S_VARIANT;
    if (a->flags & b->flags & NAMES_TF_HANGUL)
        return 0.0f; /* both written in Hangul: another letter is another syllable (종/정) */
    if ((a->flags & NAMES_TF_INITIAL) != (b->flags & NAMES_TF_INITIAL)) {
        const struct names_token *full = (a->flags & NAMES_TF_INITIAL) ? b : a;
        const struct names_token *ini = (a->flags & NAMES_TF_INITIAL) ? a : b;
        if ((full->flags & weakf) == 0 &&
            (full->text[0] == ini->text[0] || full->canon[0] == ini->text[0]))
            return *why = NAMES_WHY_INITIAL, S_INITIAL;
        return 0.0f;
    }
    if (((a->flags | b->flags) & (weakf | NAMES_TF_INITIAL)) != 0)
        return 0.0f;
    if (fathers_name(a, b) || fathers_name(b, a))
        return 0.0f; /* Oleksandrovych is Oleksandr's son, not Oleksandr */
    if (strcmp(a->canon, b->canon) == 0)
        return *why = NAMES_WHY_SPELLING, S_SPELLING;
    if (names_ko_jy_clash(a, b)) /* Korean: j and y are different consonants */
        return 0.0f;
    if (eq_jy(a->canon, b->canon))
        return *why = NAMES_WHY_SPELLING, S_SPELLING_JY;
    if ((a->phon_len == b->phon_len && memcmp(a->phon, b->phon, a->phon_len) == 0) ||
        rr_u_equal(a, b) || rr_u_equal(b, a))
        return *why = NAMES_WHY_TRANSLIT, S_TRANSLIT;
    float best = skel_sim(a, b);
    *why = best > 0.0f ? NAMES_WHY_SKELETON : 0;
    uint8_t d = 0;
    bool syl = ((a->flags | b->flags) & NAMES_TF_SYLLABIC) != 0;
    bool own = !nickname(a) && !nickname(b); /* keys spelt from the word itself */
    if ((own && (s = typo_sim(a->phon, a->phon_len, a->phon_letters, b->phon, b->phon_len,
                              b->phon_letters, syl, &d)) > best) ||
        (s = typo_sim(a->text, a->text_len, a->text_letters, b->text, b->text_len,
                      b->text_letters, syl, &d)) > best)
        best = s, *why = NAMES_WHY_TYPO, *dist = d;
    /* no truncation for a nickname: the index bounds truncation by phon */
    if (best == 0.0f && own && (is_prefix(a, b) || is_prefix(b, a)))
        best = S_PREFIX, *why = NAMES_WHY_PREFIX;
    return best;
}

const char *names_vclass_name(uint8_t vclass)
{
    return names_tab_vclass_label(vclass);
}

void names_spell_words(uint8_t mask, char *out, size_t outsz)
{
    static const char *const words[] = {"oe/u", "dj/j", "tj/c", "sj/sy", "nj/ny", "ch/kh", "j/y"};
    size_t o = 0;
    if (outsz == 0)
        return;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if ((mask & (1u << i)) == 0)
            continue;
        size_t l = strlen(words[i]);
        if (o + l + 3 > outsz)
            break;
        if (o > 0)
            out[o++] = ',', out[o++] = ' ';
        memcpy(out + o, words[i], l + 1);
        o += l;
    }
}

const char *names_why_str(int why)
{
    static const char *const s[] = {
        "",           "exact",   "variant class", "old spelling", "transliteration",
        "consonants", "typo",    "truncation",    "initial",      "joined",
    };
    return why > 0 && (size_t)why < sizeof s / sizeof s[0] ? s[why] : "";
}
