/* names_thai: romanisation of Thai names written in Thai script, in the
 * manner of the Royal Thai General System (RTGS), without ICU.
 *
 * ICU's Thai-Latin writes ISO 11940: one letter for each Thai letter, no
 * inherent vowels, and silent letters kept (สมชาย -> s̄mchāy, วงศ์สวัสดิ์
 * -> wngṣ̄ swạs̄di̒), which matches neither the spelling in a Thai
 * passport (Somchai Wongsawat) nor any list written from one. Here:
 *
 *  - a letter under the thanthakhat (์) is silent, with a vowel sign
 *    between them and, for ร, the letter before it (จันทร์ -> chan);
 *  - a syllable is an optional vowel written before its consonant
 *    (เ แ โ ใ ไ), the initial (ห before a sonorant and อ before ย only mark
 *    the tone; ก ข ค ป พ ต with ร ล ว are clusters), the vowel signs (อ,
 *    ว, ย and า complete some vowels), then one final when the next letter
 *    does not take a vowel of its own;
 *  - a syllable with no written vowel reads o when closed (สม -> som) and
 *    a when open (ส in สวัสดิ์ -> sawat);
 *  - finals are written by their class, as RTGS does (ด ต ท ส ศ ... t,
 *    ก ข ค k, บ ป พ p, น ณ ร ล n, ย i, ว o).
 * Thai words are not split; a name written without spaces stays one
 * token. Pure; no allocation. */
#include <stdbool.h>
#include <string.h>

#include "domain/names_script.h"
#include "domain/names_thai.h"

#define MAX_CPS 64

/* Consonants U+0E01-U+0E2E: initial and final romanisation. */
static const struct {
    const char *ini, *fin;
} cons[46] = {
    {"k", "k"},   {"kh", "k"}, {"kh", "k"}, {"kh", "k"}, {"kh", "k"}, {"kh", "k"},
    {"ng", "ng"}, {"ch", "t"}, {"ch", "t"}, {"ch", "t"}, {"s", "t"},  {"ch", "t"},
    {"y", "n"},   {"d", "t"},  {"t", "t"},  {"th", "t"}, {"th", "t"}, {"th", "t"},
    {"n", "n"},   {"d", "t"},  {"t", "t"},  {"th", "t"}, {"th", "t"}, {"th", "t"},
    {"n", "n"},   {"b", "p"},  {"p", "p"},  {"ph", "p"}, {"f", "p"},  {"ph", "p"},
    {"f", "p"},   {"ph", "p"}, {"m", "m"},  {"y", "i"},  {"r", "n"},  {"rue", ""},
    {"l", "n"},   {"lue", ""}, {"w", "o"},  {"s", "t"},  {"s", "t"},  {"s", "t"},
    {"h", ""},    {"l", "n"},  {"", ""},    {"h", ""},
};

enum {
    RO = 0x0E23, LO = 0x0E25, WO = 0x0E27, YO = 0x0E22, HO = 0x0E2B, O = 0x0E2D,
    SARA_A = 0x0E30, MAI_HAN_AKAT = 0x0E31, SARA_AA = 0x0E32, SARA_AM = 0x0E33,
    SARA_I = 0x0E34, SARA_II = 0x0E35, SARA_UE = 0x0E36, SARA_UEE = 0x0E37,
    SARA_U = 0x0E38, SARA_UU = 0x0E39, E_PRE = 0x0E40, AE_PRE = 0x0E41, O_PRE = 0x0E42,
    MAITAIKHU = 0x0E47, THANTHAKHAT = 0x0E4C, NIKHAHIT = 0x0E4D,
};

static bool is_cons(unsigned c)
{
    return c >= 0x0E01 && c <= 0x0E2E;
}

static bool is_sign(unsigned c)
{
    return (c >= SARA_A && c <= 0x0E3A) || c == MAITAIKHU || c == NIKHAHIT;
}

static bool is_tone(unsigned c)
{
    return (c >= 0x0E48 && c <= 0x0E4B) || c == 0x0E4E;
}

static bool is_pre(unsigned c)
{
    return c >= E_PRE && c <= 0x0E44;
}

static bool sonorant(unsigned c)
{
    return c == 0x0E07 || c == 0x0E0D || c == 0x0E19 || c == 0x0E21 || c == YO || c == RO ||
           c == LO || c == WO;
}

/* The first consonants of true clusters (with ร, ล or ว after them). */
static bool cluster_head(unsigned c, unsigned second)
{
    if (second == RO || second == LO || second == WO)
        return c == 0x0E01 || c == 0x0E02 || c == 0x0E04 || c == 0x0E1B || c == 0x0E1E ||
               (c == 0x0E1C && second == LO) || (c == 0x0E15 && second == RO);
    return false;
}

/* Drops tone marks and the letters the thanthakhat silences, in place. */
static size_t drop_silent(unsigned *c, size_t n)
{
    bool silent[MAX_CPS] = {false};
    for (size_t k = 0; k < n; k++) {
        if (c[k] != THANTHAKHAT)
            continue;
        silent[k] = true;
        size_t j = k;
        while (j > 0 && (is_sign(c[j - 1]) || is_tone(c[j - 1]))) /* ดิ์: the sign too */
            silent[--j] = true;
        if (j > 0 && is_cons(c[j - 1])) {
            silent[--j] = true;
            if (c[j] == RO && j > 0 && is_cons(c[j - 1])) /* ทร์, ตร์ */
                silent[j - 1] = true;
        }
    }
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        if (!silent[k] && !is_tone(c[k]) && !(c[k] >= 0x0E46 && c[k] <= 0x0E4F && c[k] != MAITAIKHU &&
                                                c[k] != NIKHAHIT) &&
            !(c[k] >= 0x0E50))
            c[m++] = c[k];
    return m;
}

/* Whether the consonant at i starts a syllable: a vowel sign follows it,
 * or อ as its vowel, or it heads a cluster or a tone-marking ห. */
static bool starts_syllable(const unsigned *c, size_t n, size_t i)
{
    if (i + 1 >= n)
        return false;
    unsigned x = c[i + 1];
    if (is_sign(x))
        return true;
    if (x == O && c[i] != O)
        return !(i + 2 < n && is_sign(c[i + 2])); /* ขอ, not อ with its own vowel */
    if ((c[i] == HO && sonorant(x)) || (c[i] == O && x == YO))
        return i + 2 < n && (is_sign(c[i + 2]) || c[i + 2] == O);
    return cluster_head(c[i], x) && i + 2 < n && is_sign(c[i + 2]);
}

static const char *sign_vowel(unsigned s)
{
    switch (s) {
    case SARA_A: case MAI_HAN_AKAT: case SARA_AA: return "a";
    case SARA_AM: return "am";
    case SARA_I: case SARA_II: return "i";
    case SARA_UE: case SARA_UEE: return "ue";
    case SARA_U: case SARA_UU: return "u";
    default: return "";
    }
}

int names_thai_word(const char *w, size_t len, char *out, size_t outsz)
{
    unsigned c[MAX_CPS];
    size_t n, o = 0;
    if (outsz == 0 || (n = names_script_decode(w, len, 0x0E01, 0x0E5B, c, MAX_CPS)) == 0)
        return 0;
    n = drop_silent(c, n);
    out[0] = '\0';
    for (size_t i = 0; i < n;) {
        unsigned pre = is_pre(c[i]) ? c[i++] : 0;
        char onset[8] = "", vowel[8] = "";
        const char *fin = "";
        if (i < n && is_cons(c[i])) {
            unsigned x = c[i];
            if (((x == HO && i + 1 < n && sonorant(c[i + 1])) || (x == O && i + 1 < n && c[i + 1] == YO)) &&
                (pre != 0 || starts_syllable(c, n, i)))
                x = c[++i]; /* ห, อ: tone markers */
            memcpy(onset, cons[x - 0x0E01].ini, strlen(cons[x - 0x0E01].ini) + 1);
            i++;
            if (i < n && cluster_head(x, c[i]) && i + 1 < n && (is_sign(c[i + 1]) || pre != 0)) {
                size_t l = strlen(onset);
                onset[l] = c[i] == RO ? 'r' : c[i] == LO ? 'l' : 'w';
                onset[l + 1] = '\0';
                i++;
            }
        } else if (pre == 0) {
            i++; /* a sign or mark with no consonant: read as nothing */
            continue;
        }
        unsigned s1 = 0, s2 = 0;
        if (i < n && is_sign(c[i]))
            s1 = c[i++];
        if (i < n && is_sign(c[i]))
            s2 = c[i++];
        const char *v;
        if (pre == E_PRE) {
            if (s1 == SARA_AA && s2 == SARA_A)
                v = "o";
            else if (s1 == SARA_AA)
                v = "ao";
            else if (s1 == SARA_II && i < n && c[i] == YO)
                v = "ia", i++;
            else if (s1 == SARA_UEE && i < n && c[i] == O)
                v = "uea", i++;
            else if (s1 == SARA_I || (s1 == 0 && i < n && c[i] == O && !starts_syllable(c, n, i)))
                v = "oe", i += s1 == 0;
            else
                v = "e";
        } else if (pre == AE_PRE) {
            v = "ae";
        } else if (pre == O_PRE) {
            v = "o";
        } else if (pre != 0) {
            v = "ai";
        } else if (s1 == MAI_HAN_AKAT && i < n && c[i] == WO) {
            v = "ua", i++;
        } else if (s1 != 0) {
            v = sign_vowel(s1);
        } else if (i < n && c[i] == O && !starts_syllable(c, n, i)) {
            v = "o", i++;
        } else if (i + 1 < n && c[i] == WO && is_cons(c[i + 1]) && !starts_syllable(c, n, i)) {
            v = "ua", i++;
        } else if (i + 1 < n && c[i] == RO && c[i + 1] == RO) { /* รร: a, or an at the end */
            i += 2;
            v = i < n && is_cons(c[i]) && !starts_syllable(c, n, i) ? "a" : "an";
        } else if (i < n && is_cons(c[i]) && !starts_syllable(c, n, i)) {
            v = "o"; /* closed, no written vowel */
        } else {
            v = "a"; /* open, no written vowel */
        }
        memcpy(vowel, v, strlen(v) + 1);
        bool closed = strcmp(v, "ai") == 0 || strcmp(v, "ao") == 0 || strcmp(v, "am") == 0 ||
                      strcmp(v, "an") == 0;
        /* a consonant and ร ending the word: after a short vowel the ร is
         * silent (วัตร -> wat); after a long one they are a syllable of their
         * own (ธนาธร -> thanathon) */
        bool xr = i + 2 == n && c[i + 1] == RO && is_cons(c[i]);
        bool short_v = s1 == MAI_HAN_AKAT || s1 == SARA_I || s1 == SARA_U;
        if (i < n && is_cons(c[i]) && !starts_syllable(c, n, i) && (!xr || short_v)) {
            if (!closed)
                fin = cons[c[i] - 0x0E01].fin;
            if (!closed || c[i] == YO) /* ไทย: a silent ย after ai */
                i++;
            if (xr && !closed)
                i++;
        }
        if (!names_script_put(out, outsz, &o, onset) || !names_script_put(out, outsz, &o, vowel) ||
            !names_script_put(out, outsz, &o, fin))
            return -1;
    }
    return o > 0 ? 1 : 0;
}
