/* names_kana: Japanese names written in Hiragana or Katakana romanised the
 * way Japanese passports write them (Hepburn as the Ministry of Foreign
 * Affairs applies it), without ICU, whose Katakana-Latin marks long vowels
 * with macrons and writes ん before a vowel as n'.
 *
 * The word is decoded to code points (Katakana folds onto Hiragana; the
 * halfwidth Katakana that NFKC would have widened are widened here, with
 * their separate voicing marks), iteration marks (ゝゞヽヾ) repeat the
 * kana before them, and each kana is written from one table (し shi, ち
 * chi, つ tsu, ふ fu, じ and ぢ ji, ず and づ zu, を o, ゐ i, ゑ e). Then the
 * passport rules: long vowels are not written (ou and oo give o, uu gives
 * u, ー is dropped; ei, ii and aa stay, as passports keep them; う before
 * え is read as the start of うえ, as in Inoue); ん is n,
 * but m before b, m and p (Homma, Sampei), and never n'; っ doubles the
 * next consonant (t before ch: Hatchobori); small ゃゅょ join the syllable
 * before (kyo, sha, cho, ja); small ぁぃぅぇぉ replace its vowel for the
 * loanword sounds (fa, ti, che, wi; ヴ is v). The middle dot ・ and ゠
 * between the parts of a foreign name become spaces. A word of more than
 * KANA_MAX code points, or holding anything but kana (Han included), is
 * left to the caller. Pure; no allocation. */
#include <stdbool.h>
#include <string.h>

#include "domain/names_kana.h"
#include "domain/names_script.h"

#define KANA_MAX 64 /* code points of one word */
#define HIRA_FIRST 0x3041
#define HIRA_LAST 0x3096
#define KATA_SHIFT 0x60 /* ア - あ */

/* Special code points after folding (outside the Hiragana table). */
enum {
    K_LONG = 0x30FC, /* ー */
    K_DOT = 0x30FB,  /* ・ */
    K_DASH = 0x30A0, /* ゠ */
    K_TSU = 0x3063,  /* っ */
    K_N = 0x3093,    /* ん */
    K_U = 0x3046,    /* う */
    K_O = 0x304A,    /* お */
};

/* Romanisation of U+3041..U+3096. "_x" marks a small vowel or small y/w
 * kana that joins the syllable before. */
static const char *const hira[HIRA_LAST - HIRA_FIRST + 1] = {
    "_a",  "a",  "_i",  "i",  "_u",  "u",   "_e", "e",  "_o", "o",        /* ぁ-お */
    "ka",  "ga", "ki",  "gi", "ku",  "gu",  "ke", "ge", "ko", "go",       /* か-ご */
    "sa",  "za", "shi", "ji", "su",  "zu",  "se", "ze", "so", "zo",       /* さ-ぞ */
    "ta",  "da", "chi", "ji", "",    "tsu", "zu", "te", "de", "to", "do", /* た-ど */
    "na",  "ni", "nu",  "ne", "no",                                       /* な-の */
    "ha",  "ba", "pa",  "hi", "bi",  "pi",  "fu", "bu", "pu",             /* は-ぷ */
    "he",  "be", "pe",  "ho", "bo",  "po",                                /* へ-ぽ */
    "ma",  "mi", "mu",  "me", "mo",                                       /* ま-も */
    "_ya", "ya", "_yu", "yu", "_yo", "yo",                                /* ゃ-よ */
    "ra",  "ri", "ru",  "re", "ro",                                       /* ら-ろ */
    "_wa", "wa", "i",   "e",  "o",   "n",   "vu", "ka", "ke",             /* ゎ-ゖ */
};

/* Halfwidth Katakana U+FF66..U+FF9D as fullwidth code points. */
static const unsigned short half[0xFF9D - 0xFF66 + 1] = {
    0x30F2, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30E3, 0x30E5, 0x30E7, 0x30C3, /* ｦ-ｯ */
    0x30FC, 0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA, 0x30AB, 0x30AD, 0x30AF, 0x30B1, /* ｰ-ｹ */
    0x30B3, 0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD, 0x30BF, 0x30C1, 0x30C4, 0x30C6, /* ｺ-ﾃ */
    0x30C8, 0x30CA, 0x30CB, 0x30CC, 0x30CD, 0x30CE, 0x30CF, 0x30D2, 0x30D5, 0x30D8, /* ﾄ-ﾍ */
    0x30DB, 0x30DE, 0x30DF, 0x30E0, 0x30E1, 0x30E2, 0x30E4, 0x30E6, 0x30E8, 0x30E9, /* ﾎ-ﾗ */
    0x30EA, 0x30EB, 0x30EC, 0x30ED, 0x30EF, 0x30F3,                                 /* ﾘ-ﾝ */
};

/* Whether Hiragana h has a voiced form at h + 1 (か..ぢ rows, つ..ど, は..ほ)
 * and a semi-voiced one at h + 2 (は..ほ). */
static bool voices(unsigned h)
{
    return (h >= 0x304B && h <= 0x3062 && h % 2 == 1) ||
           (h >= 0x3064 && h <= 0x3068 && h % 2 == 0) ||
           (h >= 0x306F && h <= 0x307B && (h - 0x306F) % 3 == 0);
}

/* Folds Katakana onto Hiragana; keeps the specials; 0 for anything else. */
static unsigned fold(unsigned c)
{
    if (c >= HIRA_FIRST && c <= HIRA_LAST)
        return c;
    if (c >= HIRA_FIRST + KATA_SHIFT && c <= HIRA_LAST + KATA_SHIFT)
        return c - KATA_SHIFT;
    if (c == K_LONG || c == K_DOT || c == K_DASH || c == 0x309D || c == 0x309E || c == 0x30FD ||
        c == 0x30FE || (c >= 0x30F7 && c <= 0x30FA))
        return c;
    return 0;
}

/* Decodes w into Hiragana-folded code points in cps (at most KANA_MAX):
 * widens halfwidth Katakana and applies their voicing marks and the
 * iteration marks. Returns the number, or 0 when w is not a kana word. */
static size_t decode(const char *w, size_t len, unsigned *cps)
{
    unsigned raw[KANA_MAX];
    size_t nr = names_script_decode(w, len, 0x3041, 0xFF9F, raw, KANA_MAX), n = 0;
    for (size_t i = 0; i < nr; i++) {
        unsigned c = raw[i], p = n > 0 ? cps[n - 1] : 0;
        bool mark = c == 0xFF9E || c == 0xFF9F;
        if (c >= 0xFF66 && c <= 0xFF9D)
            c = half[c - 0xFF66];
        if (mark && p >= HIRA_FIRST && p <= HIRA_LAST && voices(p) &&
            (c == 0xFF9E || (p >= 0x306F && p <= 0x307B))) {
            cps[n - 1] = p + (c == 0xFF9E ? 1u : 2u); /* ｶﾞ -> が, ﾊﾟ -> ぱ */
            continue;
        }
        if (mark && p == K_U) { /* ｳﾞ -> ゔ */
            cps[n - 1] = 0x3094;
            continue;
        }
        c = mark ? 0 : fold(c);
        if (c == 0)
            return 0;
        if (c == 0x309D || c == 0x309E || c == 0x30FD || c == 0x30FE) { /* ゝ ゞ ヽ ヾ */
            if (!(p >= HIRA_FIRST && p <= HIRA_LAST))
                return 0;
            c = (c == 0x309E || c == 0x30FE) && voices(p) ? p + 1 : p;
        }
        cps[n++] = c;
    }
    return n;
}

/* The romaji of folded code point c ("" for っ; NULL for ー). */
static const char *romaji(unsigned c)
{
    static const char *const v[4] = {"va", "vi", "ve", "vo"}; /* ヷ ヸ ヹ ヺ */
    if (c >= HIRA_FIRST && c <= HIRA_LAST)
        return hira[c - HIRA_FIRST];
    if (c >= 0x30F7 && c <= 0x30FA)
        return v[c - 0x30F7];
    return NULL;
}

static bool vowel(char c)
{
    return c == 'a' || c == 'i' || c == 'u' || c == 'e' || c == 'o';
}

/* Output being built: buf[0..o), the last syllable starting at syl (or
 * none), an ん written at nat (or none), a pending っ. */
struct kout {
    char buf[KANA_MAX * 4 + 1];
    size_t o, syl, nat;
    bool has_syl, has_n, tsu;
};

static void put(struct kout *k, const char *s)
{
    size_t l = strlen(s);
    memcpy(k->buf + k->o, s, l); /* KANA_MAX * 4: no kana writes more than 4 bytes */
    k->o += l;
}

/* A small kana (s = "_ya", "_a", ...) after the last syllable. */
static void join_small(struct kout *k, const char *s)
{
    const char *last = k->buf + k->syl;
    size_t ll = k->o - k->syl;
    bool cv = k->has_syl && ll >= 2 && vowel(last[ll - 1]) && !vowel(last[0]);
    if (s[1] == 'y' && cv && last[ll - 1] == 'i') { /* kyo, sha, cho, ja */
        k->o--;
        bool palatal = (ll == 3 && (last[1] == 'h')) || (ll == 2 && last[0] == 'j');
        put(k, palatal ? s + 2 : s + 1);
    } else if (s[1] != 'y' && s[1] != 'w' && cv) { /* fa, ti, che, tsa */
        k->buf[k->o - 1] = s[1];
    } else if (s[1] != 'y' && s[1] != 'w' && k->has_syl && ll == 1 &&
               (last[0] == 'u' || last[0] == 'i') && s[1] != last[0]) { /* wi, we, ye */
        k->buf[k->o - 1] = last[0] == 'u' ? 'w' : 'y';
        put(k, s + 1);
    } else {
        k->syl = k->o, k->has_syl = true;
        put(k, s + 1);
    }
}

/* Whether kana c, with next after it (0 at the end), only lengthens the
 * vowel written before (ou, oo, uu). */
static bool long_vowel(const struct kout *k, unsigned c, unsigned next)
{
    if (!k->has_syl || k->tsu || (c != K_U && c != K_O) || k->o == k->syl)
        return false;
    const char *s = romaji(next);
    if (s != NULL && s[0] == '_')
        return false; /* ウィ, ウォ: a syllable of its own */
    if (c == K_U && next == 0x3048)
        return false; /* うえ is a word of its own: いのうえ is Inoue */
    char v = k->buf[k->o - 1];
    return v == 'o' || (v == 'u' && c == K_U);
}

/* A full syllable s: っ and ん before it, then s. */
static void put_syllable(struct kout *k, const char *s)
{
    if (k->tsu && !vowel(s[0]) && s[0] != 'n') {
        char d[2] = {s[0] == 'c' ? 't' : s[0], '\0'};
        put(k, d);
    } else if (k->tsu && s[0] == 'n' && s[1] != '\0') {
        put(k, "n");
    }
    k->tsu = false;
    if (k->has_n && (s[0] == 'b' || s[0] == 'm' || s[0] == 'p'))
        k->buf[k->nat] = 'm';
    k->has_n = false;
    k->syl = k->o, k->has_syl = true;
    put(k, s);
}

int names_kana_word(const char *w, size_t len, char *out, size_t outsz)
{
    unsigned cps[KANA_MAX];
    struct kout k = {.o = 0};
    size_t n = decode(w, len, cps);
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = cps[i];
        const char *s = romaji(c);
        if (c == K_LONG)
            continue;
        if (c == K_DOT || c == K_DASH) {
            put(&k, " ");
            k.has_syl = k.has_n = k.tsu = false;
        } else if (c == K_TSU) {
            k.tsu = true;
        } else if (long_vowel(&k, c, i + 1 < n ? cps[i + 1] : 0)) {
            continue;
        } else if (s[0] == '_') {
            k.tsu = k.has_n = false;
            join_small(&k, s);
        } else if (c == K_N) {
            put_syllable(&k, "n");
            k.nat = k.o - 1, k.has_n = true, k.has_syl = false;
        } else {
            put_syllable(&k, s);
        }
    }
    if (k.o + 1 > outsz)
        return -1;
    memcpy(out, k.buf, k.o);
    out[k.o] = '\0';
    return 1;
}
