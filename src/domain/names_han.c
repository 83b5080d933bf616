/* names_han: the Mandarin reading of Han characters (names_han_mandarin,
 * used by names.c), and the Korean and Japanese readings of names written
 * in Han characters (names_normalise_readings, see names.h), which also
 * gives a name in Hebrew letters its passport spelling as a second reading
 * (names_hebrew.c; the first is ICU's consonants, which keep comparisons
 * within Hebrew script, misspellings included, as they were).
 *
 * Mandarin: names_normalise reads each Han character on its own with the
 * first value of Unihan's kMandarin field (the customary reading), tones
 * and diacritics stripped as names.c strips ICU's pinyin (吕 lǚ -> lu,
 * 女 nǚ -> nu), from a table of 41,419 characters (BMP and beyond); only a
 * character the table lacks still goes to ICU's Any-Latin, which costs
 * 2-20 us a character the first time. ICU 72's Han-Latin and kMandarin
 * agree, after that folding, on 41,418 of those 41,419 characters and on
 * all 650 Han characters of the shared lists (the one difference: 呒, an
 * interjection, ICU fu, kMandarin wu). Both read surnames with their
 * common-word reading where it differs from the surname's (曾 ceng not
 * Zeng, 单 dan not Shan, 区 qu not Ou, 解 jie not Xie, 仇 chou not Qiu,
 * 朴 pu not Piao); the table keeps ICU's behaviour rather than guess from
 * a character alone whether it is a surname, so matching is unchanged.
 *
 * Reading Han the Chinese way is right for Chinese names but gives
 * nothing a list would write for a
 * Korean name in Hanja (金正恩, Kim Jong Un) or a Japanese one in kanji
 * (山田太郎, Yamada Taro). Here a name with Han characters gets up to two
 * more readings, each built as a string in another script and then put
 * through names_normalise, so it is tokenised, keyed and flagged exactly
 * as the same name typed in that script would be:
 *
 *  - Korean: each Han character becomes its Hangul syllable (Unihan
 *    kHangul, the personal-name reading preferred: 金 -> 김, not 금), and
 *    the existing Hangul romaniser reads the result. A word of two Han
 *    characters is written as two Hangul words (surname, one-syllable
 *    given name: 李明 -> 이 명 -> "ri myeong"), since Hangul romanisation
 *    keeps a two-syllable word whole. Only when every Han character has a
 *    reading, the name holds no kana, and it has at most KO_MAX_HAN Han
 *    characters (a Korean name is a one- or two-syllable surname and a
 *    one- or two-syllable given name; longer Han names are Japanese or
 *    Chinese, and a needless reading costs the query a third pass). The
 *    initial-sound rule of South
 *    Korea (리 -> 이, 림 -> 임) is not applied: variant classes join
 *    Lee/Ri, and watchlists mostly write the northern forms.
 *  - Japanese: each word is segmented into at most two spellings of the
 *    IPA dictionary's surnames and given names (or runs of kana, read as
 *    they are) by the cheapest path over the dictionary costs, a surname
 *    being expected first and given names after it (more segments would
 *    read most Chinese and Korean names as strings of Japanese names); the katakana readings are
 *    joined with spaces (山田太郎 -> ヤマダ タロウ -> "yamada taro") and
 *    romanised by names_kana.c in passport Hepburn. Only when every word
 *    is read whole (ASCII words are kept as they are).
 *
 * Limits: the dictionary holds one reading per spelling (the most usual;
 * 明 is always Akira, never Akemi), names outside it get no Japanese
 * reading, words longer than HAN_WORD_MAX code points are not segmented,
 * and no reading longer than LIMIT_NAME bytes is made. A name without a
 * Han character costs one byte scan (no allocation, no ICU). Pure and
 * thread-safe: the tables are constant (names_han_tables.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "domain/names.h"
#include "domain/names_han.h"
#include "domain/names_hebrew.h"
#include "util/errors.h"

#define HAN_WORD_MAX 24   /* code points of one word segmented the Japanese way */
#define JA_SPELL_MAX 8    /* code points of one dictionary spelling looked up */
#define JA_SEG_MAX 2      /* segments of one word: surname and given name */
#define JA_KANA_COST 9000 /* a run of kana read as written, as dear as a rare name */
#define JA_ROLE_COST 3000 /* a given name first, or a surname after the first */
#define READ_MAX LIMIT_NAME

bool names_han_ideograph(int32_t c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/* A Han ideograph, or 々, which repeats the one before it in a name. */
static bool is_han(int32_t c)
{
    return names_han_ideograph(c) || c == 0x3005;
}

static bool is_kana(int32_t c)
{
    return (c >= 0x3041 && c <= 0x309F) || (c >= 0x30A0 && c <= 0x30FF);
}

/* Whether s[0..len) may hold a Han ideograph, from the lead bytes alone:
 * U+3400-3FFF (E3 90..BF), U+4000-9FFF (E4..E9), U+F900-FAFF (EF A4..AB),
 * U+20000-3FFFF (F0 A0..BF). Latin names stop at the first test. */
static bool has_han(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i + 1 < len; i++) {
        unsigned b = p[i], b1 = p[i + 1];
        if (b < 0xE3)
            continue;
        if ((b == 0xE3 && b1 >= 0x90) || (b >= 0xE4 && b <= 0xE9) ||
            (b == 0xEF && b1 >= 0xA4 && b1 <= 0xAB) || (b == 0xF0 && b1 >= 0xA0))
            return true;
    }
    return false;
}

/* Whether s[0..len) may hold a Hebrew letter: a code point of the Hebrew
 * block (U+0590..U+05FF) or of the presentation forms NFKC folds into it
 * (U+FB1D..U+FB4F; the Latin ligatures before them are let through too). */
static bool has_hebrew(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i + 1 < len; i++)
        if ((u[i] == 0xD6 && u[i + 1] >= 0x90) || u[i] == 0xD7 ||
            (u[i] == 0xEF && (u[i + 1] == 0xAC || u[i + 1] == 0xAD)))
            return true;
    return false;
}

/* Appends s[0..l) to buf (READ_MAX + 1 bytes, *o used); false when full. */
static bool put(char *buf, size_t *o, const char *s, size_t l)
{
    if (l > READ_MAX - *o)
        return false;
    memcpy(buf + *o, s, l);
    *o += l;
    buf[*o] = '\0';
    return true;
}

/* ---- Mandarin ------------------------------------------------------------ */

int names_han_mandarin(int32_t c, char *out, size_t outsz)
{
    size_t lo = 0, hi = names_han_zh_run_n - 1; /* the last run is a sentinel */
    unsigned v = 0;
    if (outsz > 0)
        out[0] = '\0';
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (names_han_zh_run[mid + 1].first <= (uint32_t)c)
            lo = mid + 1;
        else
            hi = mid;
    }
    const struct names_han_zh_run *r = &names_han_zh_run[lo];
    if (c >= 0 && lo + 1 < names_han_zh_run_n && (uint32_t)c >= r->first &&
        (uint32_t)c - r->first < r[1].off - r->off)
        v = names_han_zh[r->off + ((uint32_t)c - r->first)];
    if (v == 0 || v >= names_han_zh_syl_n)
        return 0;
    size_t l = strlen(names_han_zh_syl[v]);
    if (l >= outsz)
        return ERR_LIMIT;
    memcpy(out, names_han_zh_syl[v], l + 1);
    return (int)l;
}

/* Characters read otherwise as a surname than in their usual sense (the
 * first kMandarin value), simplified and traditional forms. From
 * the standard readings of Chinese surnames (百家姓): 曾 Zeng, 单 Shan,
 * 区 Ou, 解 Xie, 仇 Qiu, 朴 Piao, 查 Zha, 盖 Ge, 乐 Yue, 覃 Qin, 缪 Miao,
 * 翟 Zhai, 召 Shao, 种 Chong, 员 Yun, 繁 Po, 秘 Bi. */
static const struct {
    uint32_t han;
    const char *py;
} surnames[] = {
    {0x4EC7, "qiu"},   /* 仇 */
    {0x4E50, "yue"},   /* 乐 */
    {0x5355, "shan"},  /* 单 */
    {0x533A, "ou"},    /* 区 */
    {0x5340, "ou"},    /* 區 */
    {0x53EC, "shao"},  /* 召 */
    {0x54E1, "yun"},   /* 員 */
    {0x5458, "yun"},   /* 员 */
    {0x55AE, "shan"},  /* 單 */
    {0x6A02, "yue"},   /* 樂 */
    {0x6734, "piao"},  /* 朴 */
    {0x66FE, "zeng"},  /* 曾 */
    {0x67E5, "zha"},   /* 查 */
    {0x76D6, "ge"},    /* 盖 */
    {0x79CD, "chong"}, /* 种 */
    {0x79D8, "bi"},    /* 秘 */
    {0x7A2E, "chong"}, /* 種 */
    {0x7E41, "po"},    /* 繁 */
    {0x7E46, "miao"},  /* 繆 */
    {0x7F2A, "miao"},  /* 缪 */
    {0x7FDF, "zhai"},  /* 翟 */
    {0x8983, "qin"},   /* 覃 */
    {0x89E3, "xie"},   /* 解 */
    {0x84CB, "ge"},    /* 蓋 */
};

int names_han_surname(int32_t c, char *out, size_t outsz)
{
    if (outsz > 0)
        out[0] = '\0';
    for (size_t i = 0; i < sizeof surnames / sizeof surnames[0]; i++) {
        if (c < 0 || surnames[i].han != (uint32_t)c)
            continue;
        size_t l = strlen(surnames[i].py);
        if (l >= outsz)
            return ERR_LIMIT;
        memcpy(out, surnames[i].py, l + 1);
        return (int)l;
    }
    return 0;
}

/* ---- Korean -------------------------------------------------------------- */

static unsigned hangul_of(int32_t c)
{
    size_t lo = 0, hi = names_han_ko_n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (names_han_ko[mid].han == (uint32_t)c)
            return names_han_ko[mid].hangul;
        if (names_han_ko[mid].han < (uint32_t)c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Number of code points of w[0..len) when all are Han, else 0. */
static size_t han_count(const char *w, size_t len)
{
    size_t k = 0;
    for (size_t i = 0; i < len; k++) {
        int32_t c;
        utf8proc_ssize_t l =
            utf8proc_iterate((const utf8proc_uint8_t *)w + i, (utf8proc_ssize_t)(len - i), &c);
        if (l <= 0 || !is_han(c))
            return 0;
        i += (size_t)l;
    }
    return k;
}

#define KO_MAX_HAN 4 /* Han characters of the longest Korean name read */

/* The Hangul spelling of s (NFKC, NUL-terminated) into buf; false when a
 * Han character has no reading, s holds kana, or more than KO_MAX_HAN Han
 * characters. */
static bool korean(const char *s, char *buf)
{
    size_t o = 0, nhan = 0;
    buf[0] = '\0';
    while (*s != '\0') {
        size_t wl = strcspn(s, " ");
        bool two = han_count(s, wl) == 2; /* surname and given name: apart */
        for (size_t i = 0; i < wl;) {
            int32_t c;
            utf8proc_ssize_t l =
                utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(wl - i), &c);
            if (l <= 0 || is_kana(c))
                return false;
            if (is_han(c)) {
                unsigned h = hangul_of(c);
                if (++nhan > KO_MAX_HAN)
                    return false;
                char u[4] = {(char)(0xE0 | h >> 12), (char)(0x80 | (h >> 6 & 0x3F)),
                             (char)(0x80 | (h & 0x3F)), ' '};
                if (h == 0 || !put(buf, &o, u, two && i == 0 ? 4 : 3))
                    return false;
            } else if (!put(buf, &o, s + i, (size_t)l)) {
                return false;
            }
            i += (size_t)l;
        }
        s += wl;
        for (; *s == ' '; s++)
            if (!put(buf, &o, " ", 1))
                return false;
    }
    return true;
}

/* ---- Japanese ------------------------------------------------------------ */

/* One entry of names_han_ja. */
struct ja_entry {
    const char *reading;
    size_t rlen;
    int32_t cost;
    char cls; /* 's', 'g' or 'b' */
};

/* Parses the entry starting at names_han_ja[at]; *end gets the offset
 * after its ';'. The table is generated, so a malformed entry is our bug:
 * it then reads as an empty surface that matches nothing. */
static size_t ja_parse(size_t at, struct ja_entry *e, size_t *end)
{
    const char *t = names_han_ja, *p = t + at, *lim = t + names_han_ja_len;
    const char *comma = memchr(p, ',', (size_t)(lim - p));
    const char *semi = memchr(p, ';', (size_t)(lim - p));
    *end = semi != NULL ? (size_t)(semi - t) + 1 : names_han_ja_len;
    memset(e, 0, sizeof *e);
    if (comma == NULL || semi == NULL || comma > semi)
        return 0;
    const char *r = comma + 1, *rc = memchr(r, ',', (size_t)(semi - r));
    if (rc == NULL)
        return 0;
    e->reading = r;
    e->rlen = (size_t)(rc - r);
    for (const char *d = rc + 1; d < semi && *d >= '0' && *d <= '9' && e->cost < 1000000; d++)
        e->cost = e->cost * 10 + (*d - '0');
    e->cls = semi[-1];
    return (size_t)(comma - p);
}

/* Looks the spelling w[0..len) up: binary search over the bytes of the
 * table, each probe moved back to the start of its entry. Returns 1 when
 * found (*e set), 0 when not but a longer spelling starts with it, -1 when
 * none does (no longer spelling from here can match). */
static int ja_find(const char *w, size_t len, struct ja_entry *e)
{
    size_t lo = 0, hi = names_han_ja_len, end, sl;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        while (mid > lo && names_han_ja[mid - 1] != ';')
            mid--;
        sl = ja_parse(mid, e, &end);
        int c = memcmp(w, names_han_ja + mid, len < sl ? len : sl);
        if (c == 0)
            c = len < sl ? -1 : len > sl;
        if (c == 0 && sl > 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = end;
    }
    if (lo >= names_han_ja_len)
        return -1;
    sl = ja_parse(lo, e, &end); /* the first spelling after w */
    return sl > len && memcmp(w, names_han_ja + lo, len) == 0 ? 0 : -1;
}

/* The best way found to read the first i code points of a word in s
 * segments. */
struct ja_step {
    int32_t cost;   /* INT32_MAX: no way yet */
    uint8_t from;   /* start of the last segment */
    const char *rd; /* its reading (table or the word's own kana) */
    size_t rlen;
};

/* Extends every way of reading up to i by the segment i..j. */
static void relax(struct ja_step st[][JA_SEG_MAX + 1], size_t i, size_t j, int32_t add,
                  const char *rd, size_t rlen)
{
    for (size_t s = 0; s < JA_SEG_MAX; s++) {
        if (st[i][s].cost == INT32_MAX || st[i][s].cost + add >= st[j][s + 1].cost)
            continue;
        st[j][s + 1] = (struct ja_step){
            .cost = st[i][s].cost + add, .from = (uint8_t)i, .rd = rd, .rlen = rlen};
    }
}

/* Reads one word w[0..len) (Han and kana) into buf as at most JA_SEG_MAX
 * katakana and kana segments separated by spaces; first: the word opens
 * the name (a surname is expected first). */
static bool japanese_word(const char *w, size_t len, bool first, char *buf, size_t *o)
{
    size_t off[HAN_WORD_MAX + 1], n = 0;
    bool kana[HAN_WORD_MAX];
    struct ja_step st[HAN_WORD_MAX + 1][JA_SEG_MAX + 1];
    for (size_t i = 0; i < len; n++) {
        int32_t c;
        utf8proc_ssize_t l =
            utf8proc_iterate((const utf8proc_uint8_t *)w + i, (utf8proc_ssize_t)(len - i), &c);
        if (l <= 0 || n == HAN_WORD_MAX || !(is_han(c) || is_kana(c)))
            return false;
        off[n] = i;
        kana[n] = is_kana(c);
        i += (size_t)l;
    }
    off[n] = len;
    for (size_t i = 0; i <= n; i++)
        for (size_t s = 0; s <= JA_SEG_MAX; s++)
            st[i][s] = (struct ja_step){.cost = i == 0 && s == 0 ? 0 : INT32_MAX};
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j <= n && j - i <= JA_SPELL_MAX; j++) {
            struct ja_entry e;
            int f = ja_find(w + off[i], off[j] - off[i], &e);
            if (f < 0)
                break;
            if (f == 0)
                continue;
            bool role = (first && i == 0) ? e.cls == 'g' : e.cls == 's';
            relax(st, i, j, e.cost + (role ? JA_ROLE_COST : 0), e.reading, e.rlen);
        }
        if (kana[i]) {
            size_t j = i;
            while (j < n && kana[j])
                j++;
            relax(st, i, j, JA_KANA_COST, w + off[i], off[j] - off[i]);
        }
    }
    size_t best = 0;
    for (size_t s = 1; s <= JA_SEG_MAX; s++)
        if (st[n][s].cost < st[n][best].cost)
            best = s;
    if (best == 0)
        return false;
    size_t seg[JA_SEG_MAX], ns = 0;
    for (size_t j = n, s = best; s > 0; j = st[j][s].from, s--)
        seg[ns++] = j;
    for (size_t k = ns; k-- > 0;) {
        const struct ja_step *t = &st[seg[k]][ns - k];
        if ((k + 1 < ns && !put(buf, o, " ", 1)) || !put(buf, o, t->rd, t->rlen))
            return false;
    }
    return true;
}

/* The Japanese reading of s (NFKC, NUL-terminated) into buf; false when a
 * word is not read whole. */
static bool japanese(const char *s, char *buf)
{
    size_t o = 0;
    bool first = true;
    buf[0] = '\0';
    while (*s != '\0') {
        size_t wl = strcspn(s, " ");
        bool ascii = true;
        for (size_t i = 0; i < wl; i++)
            ascii = ascii && (unsigned char)s[i] < 0x80;
        if (ascii ? !put(buf, &o, s, wl) : !japanese_word(s, wl, first, buf, &o))
            return false;
        first = first && wl == 0;
        s += wl;
        for (; *s == ' '; s++)
            if (!put(buf, &o, " ", 1))
                return false;
    }
    return true;
}

/* ---- Readings ------------------------------------------------------------ */

static bool same_name(const struct names_name *a, const struct names_name *b)
{
    if (a->ntok != b->ntok)
        return false;
    for (size_t i = 0; i < a->ntok; i++)
        if (strcmp(a->tok[i].text, b->tok[i].text) != 0)
            return false;
    return true;
}

/* Normalises the reading r into out[*k] and keeps it unless it failed or
 * repeats an earlier one. */
static void add_reading(struct names_norm *n, const char *r, struct names_name *out, size_t *k)
{
    if (names_normalise(n, r, strlen(r), &out[*k]) != 0)
        return;
    for (size_t i = 0; i < *k; i++)
        if (same_name(&out[i], &out[*k]))
            return;
    (*k)++;
}

int names_normalise_readings(struct names_norm *n, const char *s, size_t len,
                             struct names_name *out, size_t max)
{
    utf8proc_uint8_t *m = NULL;
    char buf[READ_MAX + 1];
    size_t k = 1;
    if (max == 0)
        return ERR_LIMIT;
    int r = names_normalise(n, s, len, &out[0]);
    if (r != 0)
        return r;
    if (max == 1 || n == NULL || !(has_han(s, len) || has_hebrew(s, len)))
        return 1;
    const utf8proc_option_t nfkc = UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE;
    if (utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &m, nfkc) < 0)
        return 1; /* out of memory: the first reading alone */
    /* Hebrew: the first reading is ICU's consonants, which meet the same
     * name written in Hebrew (misspelt too); this one, the passport
     * spelling of names_hebrew, meets the name written in Latin letters */
    if (names_hebrew_reading((const char *)m, strlen((const char *)m), buf, sizeof buf) > 0)
        add_reading(n, buf, out, &k);
    if (!has_han(s, len)) {
        free(m);
        return (int)k;
    }
    if (k < max && korean((const char *)m, buf))
        add_reading(n, buf, out, &k);
    if (k < max && japanese((const char *)m, buf))
        add_reading(n, buf, out, &k);
    free(m);
    return (int)k;
}
