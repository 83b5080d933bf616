/* names_lao: romanisation of Lao names written in Lao script, without ICU.
 *
 * ICU 72's Any-Latin has no Lao transliterator: a Lao name came out
 * unchanged and had no usable token, so it matched nothing, not even the
 * same name in Lao. This follows the usual Lao spellings of names (the
 * BGN/PCGN system without its diacritics): ສົມພອນ -> somphon, ບຸນມີ ->
 * bounmi, ສີສະຫວາດ -> sisavat, ແກ້ວ -> kaeo.
 *
 * A syllable is read as: an optional vowel written before its consonant
 * (ເ ແ ໂ ໃ ໄ), the initial consonant (ຫ before a sonorant only marks the
 * tone; ອ alone carries a vowel; ຼ adds an l), the vowel signs after,
 * above or below it (tone marks are read as nothing; ອ, ວ and ຍ complete
 * some vowels), then one final consonant when the next letter does not
 * take a vowel sign of its own. Finals are written as Lao pronounces them
 * (ດ t, ບ p, ວ o, ຍ y). Pure; no allocation. */
#include <stdbool.h>
#include <string.h>

#include "domain/names_lao.h"
#include "domain/names_script.h"

#define LAO_FIRST 0x0E80
#define LAO_LAST 0x0EFF
#define MAX_CPS 64

/* Consonants U+0E80-U+0EAF (NULL: not a consonant). */
static const char *const cons[48] = {
    NULL, "k",  "kh", NULL, "kh", NULL, "kh", "ng", "ch", "ch", "x",  NULL, "ch", "ny", "ny", "t",
    "th", "th", "th", "n",  "d",  "t",  "th", "th", "th", "n",  "b",  "p",  "ph", "f",  "ph", "f",
    "ph", "m",  "y",  "r",  NULL, "l",  NULL, "v",  "s",  "s",  "s",  "h",  "l",  "",   "h",  NULL,
};

enum {
    HO = 0x0EAB,   /* ຫ */
    O = 0x0EAD,    /* ອ */
    WO = 0x0EA7,   /* ວ */
    NYO = 0x0E8D,  /* ຍ */
    LO_SUB = 0x0EBC, /* ຼ */
    E_PRE = 0x0EC0, /* ເ */
};

static const char *cons_of(unsigned c)
{
    if (c >= 0x0E80 && c <= 0x0EAF)
        return cons[c - 0x0E80];
    if (c == 0x0EDC)
        return "n";
    if (c == 0x0EDD)
        return "m";
    if (c == 0x0EDE)
        return "k";
    if (c == 0x0EDF)
        return "ny";
    return NULL;
}

static bool is_sign(unsigned c)
{
    return (c >= 0x0EB0 && c <= 0x0EBD && c != LO_SUB) || c == 0x0ECD;
}

/* Tone marks, the cancellation mark, yamakkan and the Pali virama. */
static bool is_tone(unsigned c)
{
    return (c >= 0x0EC8 && c <= 0x0ECC) || c == 0x0ECE || c == 0x0EBA;
}

static bool is_pre(unsigned c)
{
    return c >= 0x0EC0 && c <= 0x0EC4;
}

/* Sonorants whose tone a preceding ຫ marks (ຫງ ຫຍ ຫນ ຫມ ຫລ ຫວ ຫຣ). */
static bool sonorant(unsigned c)
{
    return c == 0x0E87 || c == NYO || c == 0x0E99 || c == 0x0EA1 || c == 0x0EA5 || c == WO ||
           c == 0x0EA3;
}

/* A vowel sign on its own (after a consonant, no written prefix). */
static const char *sign_of(unsigned c)
{
    switch (c) {
    case 0x0EB0: case 0x0EB1: case 0x0EB2: return "a";
    case 0x0EB3: return "am";
    case 0x0EB4: case 0x0EB5: return "i";
    case 0x0EB6: case 0x0EB7: return "ue";
    case 0x0EB8: case 0x0EB9: return "ou";
    case 0x0EBB: case 0x0ECD: return "o";
    case 0x0EBD: return "ia";
    default: return "";
    }
}

/* Sets the vowel being built (8 bytes; every vowel written here is shorter). */
static void vset(char *vowel, const char *v)
{
    memcpy(vowel, v, strlen(v) + 1);
}

/* The index of the first code point at or after i that is not a tone mark. */
static size_t skip_tones(const unsigned *c, size_t n, size_t i)
{
    while (i < n && is_tone(c[i]))
        i++;
    return i;
}

/* Whether the consonant at i starts a syllable of its own: a vowel sign or
 * ຼ follows it, ອ follows it as its vowel (ສອນ: s-o-n), or it is ຫ before a
 * sonorant. */
static bool starts_syllable(const unsigned *c, size_t n, size_t i)
{
    size_t k = skip_tones(c, n, i + 1);
    if (k < n && (is_sign(c[k]) || c[k] == LO_SUB))
        return true;
    if (k < n && c[k] == O && c[i] != O) { /* ອ as a vowel, unless a sign makes it an initial */
        size_t m = skip_tones(c, n, k + 1);
        return !(m < n && is_sign(c[m]));
    }
    return c[i] == HO && k < n && sonorant(c[k]);
}

static const char *final_of(unsigned c)
{
    switch (c) {
    case 0x0E94: return "t";  /* ດ */
    case 0x0E9A: return "p";  /* ບ */
    case WO: return "o";
    case NYO: return "y";
    case 0x0E82: case 0x0E84: return "k";
    case 0x0EAA: case 0x0E8A: return "t";
    default: return cons_of(c) != NULL ? cons_of(c) : "";
    }
}

int names_lao_word(const char *w, size_t len, char *out, size_t outsz)
{
    unsigned c[MAX_CPS];
    size_t n, o = 0;
    if (outsz == 0 || (n = names_script_decode(w, len, LAO_FIRST, LAO_LAST, c, MAX_CPS)) == 0)
        return 0;
    out[0] = '\0';
    for (size_t i = 0; i < n;) {
        unsigned pre = is_pre(c[i]) ? c[i++] : 0;
        const char *onset = "";
        char vowel[8] = "";
        i = skip_tones(c, n, i);
        if (i < n && cons_of(c[i]) != NULL) {
            size_t k = skip_tones(c, n, i + 1);
            if (c[i] == HO && k < n && sonorant(c[k])) {
                onset = cons_of(c[k]);
                i = k + 1;
            } else {
                onset = cons_of(c[i]);
                i++;
            }
        } else if (pre == 0) {
            i++; /* a sign, digit or mark with no consonant: read as nothing */
            continue;
        }
        bool lsub = false, signs[32] = {false}, any = false;
        for (i = skip_tones(c, n, i); i < n && (is_sign(c[i]) || c[i] == LO_SUB || is_tone(c[i]));
             i++) {
            if (c[i] == LO_SUB)
                lsub = true;
            else if (is_sign(c[i]))
                signs[c[i] == 0x0ECD ? 31 : c[i] - 0x0EB0] = true, any = true;
        }
        /* vowel: the written prefix with the signs after it */
        if (pre == E_PRE) {
            if (signs[0xB] && signs[2])
                vset(vowel, "ao");
            else if (signs[7]) {
                vset(vowel, "uea");
                i += i < n && c[i] == O; /* ເ◌ືອ */
            }
            else if (signs[4] || signs[5])
                vset(vowel, "oe");
            else if (!any && i < n && c[i] == NYO && !starts_syllable(c, n, i))
                vset(vowel, "ia"), i++;
            else
                vset(vowel, "e");
        } else if (pre != 0) {
            vset(vowel, pre == 0x0EC1 ? "ae" : pre == 0x0EC2 ? "o" : "ai");
        } else if (any && signs[31] && signs[2]) {
            vset(vowel, "am"); /* ຳ, as NFKC decomposes it (ໍ + າ) */
        } else if (any) {
            for (size_t s = 0; s < 32; s++) {
                if (!signs[s])
                    continue;
                const char *v = sign_of(s == 31 ? 0x0ECD : 0x0EB0 + (unsigned)s);
                if (strlen(vowel) + strlen(v) < sizeof vowel)
                    memcpy(vowel + strlen(vowel), v, strlen(v) + 1);
            }
            if ((signs[0xB] || signs[1]) && i < n && c[i] == WO && !starts_syllable(c, n, i))
                vset(vowel, "oua"), i++;
        } else if (i < n && c[i] == O && !starts_syllable(c, n, i)) {
            vset(vowel, "o"), i++;
        } else if (i < n && c[i] == WO && !starts_syllable(c, n, i) && i + 1 < n &&
                   cons_of(c[i + 1]) != NULL) {
            vset(vowel, "ua"), i++;
        } else if (i < n && cons_of(c[i]) != NULL && !starts_syllable(c, n, i)) {
            vset(vowel, "o"); /* a closed syllable without a written vowel */
        }
        const char *fin = "";
        bool closed = strcmp(vowel, "ai") == 0 || strcmp(vowel, "ao") == 0 ||
                      strcmp(vowel, "am") == 0; /* these vowels take no final */
        i = skip_tones(c, n, i);
        if (i < n && cons_of(c[i]) != NULL && !starts_syllable(c, n, i) && vowel[0] != '\0' &&
            !closed)
            fin = final_of(c[i++]);
        if (!names_script_put(out, outsz, &o, onset) || (lsub && !names_script_put(out, outsz, &o, "l")) ||
            !names_script_put(out, outsz, &o, vowel) || !names_script_put(out, outsz, &o, fin))
            return -1;
    }
    return o > 0 ? 1 : 0;
}
