/* names_hangul: romanisation of Korean names written in Hangul, without ICU.
 *
 * ICU's Hangul-Latin writes a whole word in Revised Romanization as one
 * token ("김정은" -> "gimjeong-eun"), which matches neither the customary
 * spellings of surnames (Kim, Lee, Park) nor the syllable-wise way lists
 * write given names (KIM JONG UN, PAK PONG JU). Here each syllable is
 * decomposed arithmetically (Unicode: S = 0xAC00 + (L * 21 + V) * 28 + T)
 * and written in Revised Romanization. The first syllable of a word of
 * three or more syllables (surname + given name written together) is a
 * token of its own, the given name stays one token (its syllables are an
 * ordered pair drawn from a small pool: split, Eun-yeong would match
 * Yeong-eun); a leading surname, or a word of one syllable, is written in
 * its customary spelling when it has one. Lists that write the given name
 * split (Jong Un, Jong-un) match through joined-token edges. The McCune-Reischauer vowels that
 * Revised Romanization writes eo/eu (Jong/Jeong, Un/Eun) are folded in the
 * token keys (names_token.c), and variant classes join Kim/Gim, Lee/Yi/Ri,
 * Park/Pak/Bak (names_tables.c). Pure; no allocation. */
#include <string.h>

#include "domain/names_hangul.h"
#include "domain/names_script.h"

#define SYL_FIRST 0xAC00
#define SYL_LAST 0xD7A3

static const char *const lead[19] = {"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s",
                                     "ss", "",  "j", "jj", "ch", "k", "t", "p", "h"};
static const char *const vowel[21] = {"a",  "ae", "ya", "yae", "eo", "e",  "yeo",
                                      "ye", "o",  "wa", "wae", "oe", "yo", "u",
                                      "wo", "we", "wi", "yu",  "eu", "ui", "i"};
static const char *const tail[28] = {"",  "k", "k", "k", "n", "n", "n",  "t", "l", "k",
                                     "m", "l", "l", "l", "p", "l", "m",  "p", "p", "t",
                                     "t", "ng", "t", "t", "k", "t", "p", "t"};

/* Customary spellings of frequent surnames (syllable code point order). */
static const struct {
    unsigned cp;
    const char *w;
} surnames[] = {
    {0xAC15, "kang"}, {0xACE0, "ko"}, {0xACF5, "kong"}, {0xACFD, "kwak"}, {0xAD6C, "koo"},
    {0xAD8C, "kwon"}, {0xAE40, "kim"}, {0xB0A8, "nam"}, {0xB178, "noh"}, {0xB958, "ryu"},
    {0xB9AC, "ri"}, {0xBB38, "moon"}, {0xBBFC, "min"}, {0xBC15, "park"}, {0xBC29, "bang"},
    {0xBC30, "bae"}, {0xBC31, "baek"}, {0xBCC0, "byun"}, {0xC11C, "seo"}, {0xC131, "sung"},
    {0xC190, "son"}, {0xC1A1, "song"}, {0xC2E0, "shin"}, {0xC2EC, "shim"}, {0xC548, "ahn"},
    {0xC591, "yang"}, {0xC5C4, "eom"}, {0xC624, "oh"}, {0xC6B0, "woo"}, {0xC6D0, "won"},
    {0xC720, "yoo"}, {0xC724, "yoon"}, {0xC774, "lee"}, {0xC784, "lim"}, {0xC7A5, "jang"},
    {0xC804, "jeon"}, {0xC815, "jeong"}, {0xC870, "cho"}, {0xC8FC, "joo"}, {0xC9C4, "jin"},
    {0xCC28, "cha"}, {0xCC44, "chae"}, {0xCC9C, "cheon"}, {0xCD5C, "choi"}, {0xD558, "ha"},
    {0xD55C, "han"}, {0xD568, "ham"}, {0xD5C8, "heo"}, {0xD604, "hyun"}, {0xD64D, "hong"},
    {0xD669, "hwang"},
};

static const char *surname(unsigned cp)
{
    size_t lo = 0, hi = sizeof surnames / sizeof surnames[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (surnames[mid].cp == cp)
            return surnames[mid].w;
        if (surnames[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int names_hangul_word(const char *w, size_t len, char *out, size_t outsz)
{
    unsigned cps[16];
    size_t n = names_script_decode(w, len, SYL_FIRST, SYL_LAST, cps, sizeof cps / sizeof cps[0]);
    size_t o = 0;
    if (n == 0 || outsz == 0)
        return 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        unsigned s = cps[i] - SYL_FIRST;
        bool lead_sur = i == 0 && (n == 1 || n >= 3);
        const char *sur = lead_sur ? surname(cps[i]) : NULL;
        bool ok = !(i == 1 && n >= 3) || names_script_put(out, outsz, &o, " ");
        if (sur != NULL)
            ok = ok && names_script_put(out, outsz, &o, sur);
        else
            ok = ok && names_script_put(out, outsz, &o, lead[s / 588]) &&
                 names_script_put(out, outsz, &o, vowel[s / 28 % 21]) &&
                 names_script_put(out, outsz, &o, tail[s % 28]);
        if (!ok)
            return -1;
    }
    return 1;
}
