/* names: normalisation and tokenisation of personal names (see names.h).
 *
 * The pipeline: check size and UTF-8; pure ASCII is lowercased directly;
 * anything else goes through utf8proc (NFKC, case folding); text in other
 * scripts (Arabic, Cyrillic, Greek, ...) is transliterated with ICU
 * "Any-Latin", except Han (read with names_han.c's Mandarin table, ICU
 * only for a character the table lacks), Hangul, Khmer, Lao and Thai, which
 * lintas romanises itself (names_hangul.c, names_khmer.c, names_lao.c, names_thai.c: ICU
 * has no Khmer or Lao transliterator, and its Hangul and Thai ones do not
 * give the spellings lists and passports use), then utf8proc strips the diacritics and a small
 * table folds the Latin letters that do not decompose (ø, ł, æ). Latin text
 * never goes through ICU, which costs 5-70 microseconds a name. The ASCII result is split into words (apostrophes join,
 * other punctuation separates), dotted abbreviations are checked against the
 * title table before they are split, and each token is classified and keyed
 * by names_token_init(). ICU transliterators are not thread-safe, so the
 * normaliser keeps a small pool of clones, each behind its own mutex. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <utf8proc.h>

#include "domain/names.h"
#include "domain/names_arabic.h"
#include "domain/names_han.h"
#include "domain/names_hangul.h"
#include "domain/names_kana.h"
#include "domain/names_khmer.h"
#include "domain/names_lao.h"
#include "domain/names_thai.h"
#include "domain/names_tables.h"
#include "util/errors.h"
#include "util/text.h"

#define POOL 4
#define ASCII_MAX (LIMIT_NAME * 4)
#define CACHE_SLOTS 16384u /* transliterated words kept (direct-mapped) */
#define CACHE_WORD 48      /* longest word cached, bytes */
#define CACHE_STRIPES 64u

/* Names repeat, so words of other scripts are transliterated once and then
 * served from a cache: a direct-mapped table, each slot guarded by one of
 * CACHE_STRIPES mutexes (held for a copy of under 100 bytes). */
struct tslot {
    char key[CACHE_WORD];
    char val[CACHE_WORD];
};

struct names_norm {
    UTransliterator *tr[POOL];
    pthread_mutex_t mu[POOL];
    atomic_uint next;
    pthread_mutex_t cmu[CACHE_STRIPES];
    struct tslot cache[CACHE_SLOTS];
};

int names_norm_new(struct names_norm **out)
{
    int r = ERR_NOMEM;
    struct names_norm *n = NULL;
    UChar id[64];
    UErrorCode st = U_ZERO_ERROR;

    *out = NULL;
    n = calloc(1, sizeof *n);
    if (n == NULL)
        goto out;
    u_uastrcpy(id, "Any-Latin"); /* then utf8proc strips marks: much faster than Latin-ASCII */
    n->tr[0] = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    r = ERR_INTERNAL;
    if (U_FAILURE(st) || n->tr[0] == NULL)
        goto out;
    for (size_t i = 1; i < POOL; i++) {
        n->tr[i] = utrans_clone(n->tr[0], &st);
        if (U_FAILURE(st) || n->tr[i] == NULL)
            goto out;
    }
    for (size_t i = 0; i < POOL; i++)
        pthread_mutex_init(&n->mu[i], NULL);
    for (size_t i = 0; i < CACHE_STRIPES; i++)
        pthread_mutex_init(&n->cmu[i], NULL);
    atomic_init(&n->next, 0);
    *out = n;
    n = NULL; /* transferred */
    r = 0;
out:
    if (n != NULL) {
        for (size_t i = 0; i < POOL; i++)
            if (n->tr[i] != NULL)
                utrans_close(n->tr[i]);
        free(n);
    }
    return r;
}

void names_norm_free(struct names_norm *n)
{
    if (n == NULL)
        return;
    for (size_t i = 0; i < POOL; i++) {
        utrans_close(n->tr[i]);
        pthread_mutex_destroy(&n->mu[i]);
    }
    for (size_t i = 0; i < CACHE_STRIPES; i++)
        pthread_mutex_destroy(&n->cmu[i]);
    free(n);
}

/* Script flags for one code point: ABJAD for scripts that omit short vowels
 * (Arabic, Hebrew, Syriac, Thaana, Thai), SYLLABIC for Han, Kana and Hangul,
 * HANGUL for Hangul too, TRANSLIT for every non-Latin script. */
static uint16_t script_of(utf8proc_int32_t c)
{
    if (c < 0x250 || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2000 && c <= 0x206F))
        return 0;
    if ((c >= 0x2B0 && c <= 0x36F) || (c >= 0xFF00 && c <= 0xFF65))
        return 0; /* modifier letters, combining marks, full-width ASCII */
    if ((c >= 0x590 && c <= 0x7BF) || (c >= 0x8A0 && c <= 0x8FF) || (c >= 0xFB1D && c <= 0xFDFF) ||
        (c >= 0xFE70 && c <= 0xFEFF) || (c >= 0xE00 && c <= 0xE7F))
        return NAMES_TF_ABJAD | NAMES_TF_TRANSLIT;
    if ((c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF))
        return NAMES_TF_SYLLABIC | NAMES_TF_HANGUL | NAMES_TF_TRANSLIT;
    if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) ||
        (c >= 0xF900 && c <= 0xFAFF))
        return NAMES_TF_SYLLABIC | NAMES_TF_TRANSLIT;
    return NAMES_TF_TRANSLIT;
}

static uint16_t scripts_of(const utf8proc_uint8_t *s)
{
    uint16_t f = 0;
    utf8proc_int32_t c;
    for (utf8proc_ssize_t k; *s != 0; s += k) {
        k = utf8proc_iterate(s, -1, &c);
        if (k <= 0)
            break;
        f |= script_of(c);
    }
    return f;
}

/* Transliterates the UTF-8 string in to UTF-8 in out (size outsz) with one
 * transliterator of the pool. */
static int translit(struct names_norm *n, const char *in, char *out, size_t outsz)
{
    UChar u[LIMIT_NAME * 4];
    int32_t ulen = 0, lim, olen = 0;
    UErrorCode st = U_ZERO_ERROR;
    unsigned k = atomic_fetch_add(&n->next, 1) % POOL;

    u_strFromUTF8(u, (int32_t)(sizeof u / sizeof u[0]), &ulen, in, -1, &st);
    if (U_FAILURE(st))
        return ERR_LIMIT;
    lim = ulen;
    pthread_mutex_lock(&n->mu[k]);
    utrans_transUChars(n->tr[k], u, &ulen, (int32_t)(sizeof u / sizeof u[0]), 0, &lim, &st);
    pthread_mutex_unlock(&n->mu[k]);
    if (U_FAILURE(st))
        return ERR_LIMIT;
    u_strToUTF8(out, (int32_t)outsz - 1, &olen, u, ulen, &st);
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
        return ERR_LIMIT;
    out[olen] = '\0';
    return 0;
}

/* Whether w[0..len) is one or more Han ideographs and nothing else. */
static bool han_word(const char *w, size_t len)
{
    size_t k = 0;
    for (size_t i = 0; i < len; k++) {
        utf8proc_int32_t c;
        utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)w + i,
                                              (utf8proc_ssize_t)(len - i), &c);
        if (l <= 0 || !names_han_ideograph(c))
            return false;
        i += (size_t)l;
    }
    return k >= 1;
}

static int translit_cached(struct names_norm *n, const char *w, size_t len, char *out,
                           size_t outsz);

/* A word of Han ideographs, one character at a time, the syllables apart
 * (as ICU writes them): each from lintas's Mandarin table
 * (names_han_mandarin), and only a character the table lacks through the
 * cache and ICU, which reads it on its own as it would inside the word.
 * When *lead, the first character opens the name: a Chinese surname, read
 * as one (names_han_surname: 曾 zeng, 解 xie). */
static int translit_han(struct names_norm *n, const char *w, size_t len, char *out, size_t outsz,
                        bool *lead)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)w + i,
                                              (utf8proc_ssize_t)(len - i), &c);
        if (l <= 0 || o + 1 >= outsz)
            return ERR_LIMIT;
        if (o > 0)
            out[o++] = ' ';
        int r = *lead ? names_han_surname(c, out + o, outsz - o) : 0;
        *lead = false;
        if (r == 0)
            r = names_han_mandarin(c, out + o, outsz - o);
        if (r == 0)
            r = translit_cached(n, w + i, (size_t)l, out + o, outsz - o);
        if (r < 0)
            return r;
        o += strlen(out + o);
        i += (size_t)l;
    }
    out[o] = '\0';
    return 0;
}

/* Transliterates one word w[0..len) into out: Han, Hangul and the scripts
 * lintas romanises itself without ICU, the rest through the cache. *lead
 * says the word opens the name; it is cleared. */
static int translit_word(struct names_norm *n, const char *w, size_t len, char *out, size_t outsz,
                         bool *lead)
{
    if (han_word(w, len))
        return translit_han(n, w, len, out, outsz, lead);
    *lead = false;
    int hg = names_hangul_word(w, len, out, outsz); /* no ICU: syllable by syllable */
    if (hg != 0)
        return hg > 0 ? 0 : ERR_LIMIT;
    int kh = names_khmer_word(w, len, out, outsz); /* ICU has no Khmer-Latin */
    if (kh == 0)
        kh = names_lao_word(w, len, out, outsz); /* nor Lao-Latin */
    if (kh == 0)
        kh = names_thai_word(w, len, out, outsz); /* its Thai-Latin is not RTGS */
    if (kh == 0)
        kh = names_arabic_word(w, len, out, outsz); /* ICU's writes no short vowels */
    if (kh == 0)
        kh = names_kana_word(w, len, out, outsz); /* ICU's is not passport Hepburn */
    if (kh != 0)
        return kh > 0 ? 0 : ERR_LIMIT;
    return translit_cached(n, w, len, out, outsz);
}

/* Transliterates w[0..len) into out with ICU, through the cache. */
static int translit_cached(struct names_norm *n, const char *w, size_t len, char *out, size_t outsz)
{
    char key[CACHE_WORD];
    uint64_t h = 1469598103934665603ull;
    bool cacheable = len < CACHE_WORD;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)w[i]) * 1099511628211ull;
    size_t slot = (size_t)(h % CACHE_SLOTS);
    pthread_mutex_t *mu = &n->cmu[slot % CACHE_STRIPES];
    if (cacheable) {
        memcpy(key, w, len);
        key[len] = '\0';
        pthread_mutex_lock(mu);
        bool hit = strcmp(n->cache[slot].key, key) == 0 && strlen(n->cache[slot].val) < outsz;
        if (hit)
            memcpy(out, n->cache[slot].val, strlen(n->cache[slot].val) + 1);
        pthread_mutex_unlock(mu);
        if (hit)
            return 0;
    }
    char in[LIMIT_NAME * 4 + 1];
    if (len >= sizeof in)
        return ERR_LIMIT;
    memcpy(in, w, len);
    in[len] = '\0';
    int r = translit(n, in, out, outsz);
    if (r == 0 && cacheable && strlen(out) < CACHE_WORD) {
        pthread_mutex_lock(mu);
        memcpy(n->cache[slot].key, key, len + 1);
        memcpy(n->cache[slot].val, out, strlen(out) + 1);
        pthread_mutex_unlock(mu);
    }
    return r;
}

/* Transliterates s word by word (words are separated by spaces; ASCII words
 * are copied) into out. */
static int translit_words(struct names_norm *n, const char *s, char *out, size_t outsz)
{
    size_t o = 0;
    bool lead = true; /* no word read yet: a Han one opens with the surname */
    while (*s != '\0') {
        size_t l = strcspn(s, " ");
        bool ascii = true;
        for (size_t i = 0; i < l; i++)
            ascii = ascii && (unsigned char)s[i] < 0x80;
        if (o + l + 2 >= outsz)
            return ERR_LIMIT;
        if (ascii || l == 0) {
            memcpy(out + o, s, l);
            o += l;
            lead = lead && l == 0;
        } else {
            int r = translit_word(n, s, l, out + o, outsz - o - 1, &lead);
            if (r != 0)
                return r;
            o += strlen(out + o);
        }
        s += l;
        if (*s == ' ')
            out[o++] = ' ', s++;
    }
    out[o] = '\0';
    return 0;
}

/* Latin letters that do not decompose into ASCII + marks. */
static const char *latin_extra(utf8proc_int32_t c)
{
    switch (c) {
    case 0xF8: case 0xD8: return "o";  /* ø */
    case 0x142: case 0x141: return "l"; /* ł */
    case 0x111: case 0x110: case 0xF0: case 0xD0: return "d"; /* đ ð */
    case 0xE6: case 0xC6: return "ae";
    case 0x153: case 0x152: return "oe";
    case 0xFE: case 0xDE: return "th";
    case 0x131: return "i";
    case 0x127: return "h";
    case 0xDF: return "ss";
    case 0x1E9E: return "ss";
    case 0x138: return "k";
    case 0x14B: return "ng";
    case 0x259: return "e"; /* ə */
    default: return NULL;
    }
}

/* Keeps ASCII bytes of s, lowercased; maps the Latin letters above;
 * apostrophe-like modifier letters and quotes become '\'', dashes '-', and
 * anything else a space. */
static void keep_ascii(const char *s, char *out, size_t outsz)
{
    size_t o = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_int32_t c;
    for (utf8proc_ssize_t k; *p != 0 && o + 3 < outsz; p += k) {
        const char *x;
        k = utf8proc_iterate(p, -1, &c);
        if (k <= 0)
            break;
        if (c < 0x80)
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        else if ((x = latin_extra(c)) != NULL)
            while (*x != '\0')
                out[o++] = *x++;
        else if ((c >= 0x2B9 && c <= 0x2BF) || c == 0x2018 || c == 0x2019 || c == 0x2032)
            out[o++] = '\'';
        else if (c >= 0x2010 && c <= 0x2015)
            out[o++] = '-';
        else
            out[o++] = ' ';
    }
    out[o] = '\0';
}

/* Folds s (valid UTF-8) to lowercase ASCII in out; *sflags gets the script
 * flags of the input. */
static int fold(struct names_norm *n, const char *s, size_t len, char *out, size_t outsz,
                uint16_t *sflags)
{
    int r = ERR_NOMEM;
    utf8proc_uint8_t *m1 = NULL, *m2 = NULL;
    char *lat = NULL;
    const utf8proc_option_t o1 =
        UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE;

    *sflags = 0;
    if (utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &m1, o1) < 0)
        goto out;
    *sflags = scripts_of(m1);
    const char *src = (const char *)m1;
    if (n != NULL && *sflags != 0) { /* Latin needs no ICU: marks are stripped below */
        lat = malloc(ASCII_MAX);
        if (lat == NULL)
            goto out;
        r = translit_words(n, (const char *)m1, lat, ASCII_MAX);
        if (r != 0)
            goto out;
        src = lat;
    }
    r = ERR_NOMEM;
    if (utf8proc_map((const utf8proc_uint8_t *)src, -1, &m2,
                     o1 | UTF8PROC_NULLTERM | UTF8PROC_STRIPMARK) < 0)
        goto out;
    keep_ascii((const char *)m2, out, outsz);
    r = 0;
out:
    free(m1);
    free(m2);
    free(lat);
    return r;
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

struct rawtok {
    char text[NAMES_TOKEN_MAX];
    size_t len;
    uint16_t flags;
};

struct toks {
    size_t n;
    bool truncated;
    struct rawtok t[LIMIT_NAME_TOKENS];
};

static void push(struct toks *tk, const char *s, size_t len, uint16_t flags)
{
    bool digits = true;
    for (size_t i = 0; i < len; i++)
        digits = digits && s[i] >= '0' && s[i] <= '9';
    if (len == 0 || digits)
        return;
    if (tk->n == LIMIT_NAME_TOKENS) {
        tk->truncated = true;
        return;
    }
    struct rawtok *t = &tk->t[tk->n++];
    t->len = len < NAMES_TOKEN_MAX - 1 ? len : NAMES_TOKEN_MAX - 1;
    memcpy(t->text, s, t->len);
    t->text[t->len] = '\0';
    t->flags = flags;
}

/* One raw word w[0..len) (letters, digits, '.', '-', '\''): a dotted title
 * ("s.h.", "hj.") or degree after a comma stays one title token; otherwise
 * the word is split at '.' and '-' and apostrophes are dropped. */
static void split_word(struct toks *tk, const char *w, size_t len, bool after_comma)
{
    char strip[NAMES_TOKEN_MAX];
    size_t sl = 0;
    bool dotted = false;
    for (size_t i = 0; i < len; i++) {
        if (w[i] == '.')
            dotted = true;
        if (is_alnum(w[i]) && sl + 1 < sizeof strip)
            strip[sl++] = w[i];
    }
    uint8_t tv = names_tab_title(strip, sl);
    bool first = true;
    for (size_t i = 0; i < tk->n; i++)
        first = first && (tk->t[i].flags & NAMES_TF_TITLE) != 0;
    if ((tv == NAMES_TITLE_SUFFIX && (dotted || after_comma)) ||
        (tv == NAMES_TITLE_ANY && dotted) || (tv == NAMES_TITLE_LEADING && dotted && first)) {
        push(tk, strip, sl, NAMES_TF_TITLE);
        return;
    }
    char part[NAMES_TOKEN_MAX];
    size_t pl = 0;
    for (size_t i = 0; i <= len; i++) {
        char c = i < len ? w[i] : '.';
        if (c == '\'')
            continue;
        if (c == '.' || c == '-') {
            push(tk, part, pl, 0);
            pl = 0;
        } else if (pl + 1 < sizeof part) {
            part[pl++] = c;
        }
    }
}

static void split_words(const char *a, struct toks *tk)
{
    bool comma = false;
    size_t i = 0;
    while (a[i] != '\0') {
        char c = a[i];
        if (!is_alnum(c) && c != '.' && c != '-' && c != '\'') {
            if (c == ',' || c == ';')
                comma = true;
            i++;
            continue;
        }
        size_t j = i;
        while (is_alnum(a[j]) || a[j] == '.' || a[j] == '-' || a[j] == '\'')
            j++;
        split_word(tk, a + i, j - i, comma);
        i = j;
    }
}

/* Marks leading titles (H., Dr., Ir. before the first name word) and titles
 * valid anywhere (Drs., Haji, Sheikh, jr), unless that would leave no name. */
static void mark_titles(struct toks *tk)
{
    bool leading = true;
    size_t names = 0;
    uint16_t want[LIMIT_NAME_TOKENS];
    for (size_t i = 0; i < tk->n; i++) {
        struct rawtok *t = &tk->t[i];
        uint8_t tv = names_tab_title(t->text, t->len);
        want[i] = t->flags & NAMES_TF_TITLE;
        if (tv == NAMES_TITLE_ANY || (tv == NAMES_TITLE_LEADING && leading) ||
            (tv == NAMES_TITLE_SUFFIX && i > 0 && t->len >= 2 &&
             (strcmp(t->text, "jr") == 0 || strcmp(t->text, "sr") == 0 || t->text[0] == 'i')))
            want[i] = NAMES_TF_TITLE;
        if (want[i] == 0) {
            leading = false;
            names++;
        }
    }
    for (size_t i = 0; i < tk->n && names > 0; i++)
        tk->t[i].flags |= want[i];
}

int names_normalise(struct names_norm *n, const char *s, size_t len, struct names_name *out)
{
    int r;
    char ascii[ASCII_MAX];
    uint16_t sflags = 0;
    bool plain = true;
    struct toks tk = {0};

    memset(out, 0, sizeof *out);
    if (len > LIMIT_NAME)
        return ERR_LIMIT;
    if (!text_utf8_valid(s, len))
        return ERR_INVALID;
    for (size_t i = 0; i < len; i++)
        plain = plain && (unsigned char)s[i] < 0x80;
    if (plain) {
        for (size_t i = 0; i < len; i++)
            ascii[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
        ascii[len] = '\0';
    } else {
        r = fold(n, s, len, ascii, sizeof ascii, &sflags);
        if (r != 0)
            return r;
    }
    split_words(ascii, &tk);
    if (tk.n == 0)
        return ERR_INVALID;
    mark_titles(&tk);
    out->ntok = tk.n;
    out->truncated = tk.truncated;
    for (size_t i = 0; i < tk.n; i++)
        names_token_init(&out->tok[i], tk.t[i].text, tk.t[i].len, i, tk.n,
                         (uint16_t)(tk.t[i].flags | sflags));
    return 0;
}

size_t names_informative(const struct names_name *n)
{
    size_t k = 0;
    for (size_t i = 0; i < n->ntok; i++)
        k += (n->tok[i].flags & NAMES_TF_TITLE) == 0;
    return k;
}

void names_join(const struct names_name *n, char *out, size_t outsz)
{
    size_t o = 0;
    if (outsz == 0)
        return;
    for (size_t i = 0; i < n->ntok; i++) {
        const char *t = n->tok[i].text;
        size_t l = strlen(t);
        if (o > 0 && o + 1 < outsz)
            out[o++] = ' ';
        if (o + l >= outsz)
            l = outsz - 1 - o;
        memcpy(out + o, t, l);
        o += l;
    }
    out[o] = '\0';
}
