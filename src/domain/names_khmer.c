/* names_khmer: romanisation of Cambodian names written in Khmer script,
 * without ICU.
 *
 * ICU 72's Any-Latin has no Khmer transliterator: a Khmer name came out
 * unchanged and then had no usable token at all, so a name sent by a
 * Cambodian focal point in Khmer matched nothing, not even the same name
 * in Khmer. This follows the usual Cambodian spellings (the UNGEGN system
 * without its diacritics): ហ៊ុន សែន -> hun sen, ប៉ុល ពត -> pol pot,
 * កម្ពុជា -> kampuchea.
 *
 * Khmer is an abugida. Each consonant belongs to one of two series, which
 * decides how its vowel sign and its inherent vowel are read (a / o); the
 * musikatoan and triisap signs move a consonant to the other series. The
 * word is cut into units, each a consonant with its subscript consonants
 * (after coeng), its vowel sign and its final signs (nikahit -m, reahmuk
 * -h), or an independent vowel. A unit without a vowel sign is read as the
 * final consonant of the syllable before it when that syllable is open
 * and the unit ends the word, carries the bantoc sign, or comes before a
 * unit with a vowel of its own; otherwise it starts a syllable with the
 * inherent vowel. Aspirated finals lose their h (sokh -> sok). Pure; no
 * allocation. */
#include <stdbool.h>
#include <string.h>

#include "domain/names_khmer.h"
#include "domain/names_script.h"

#define KH_FIRST 0x1780
#define KH_LAST 0x17FF
#define MAX_UNITS 32
#define MAX_CPS 96 /* code points of one word */

/* Consonants U+1780-U+17A2: romanisation and series (1 or 2). */
static const struct {
    const char *r;
    unsigned char series;
} cons[35] = {
    {"k", 1},  {"kh", 1}, {"k", 2},  {"kh", 2}, {"ng", 2}, {"ch", 1}, {"chh", 1},
    {"ch", 2}, {"chh", 2}, {"nh", 2}, {"d", 1},  {"th", 1}, {"d", 2},  {"th", 2},
    {"n", 1},  {"t", 1},  {"th", 1}, {"t", 2},  {"th", 2}, {"n", 2},  {"b", 1},
    {"ph", 1}, {"p", 2},  {"ph", 2}, {"m", 2},  {"y", 2},  {"r", 2},  {"l", 2},
    {"v", 2},  {"s", 1},  {"s", 1},  {"s", 1},  {"h", 1},  {"l", 1},  {"", 1},
};

/* Independent vowels U+17A3-U+17B3. */
static const char *const indep[17] = {"a",  "aa", "e",   "ei", "o",  "ou", "ou", "au", "rue",
                                      "rueu", "lue", "lueu", "ae", "ai", "ao", "ao", "au"};

/* Dependent vowels U+17B6-U+17C5, first and second series. */
static const char *const vowel[16][2] = {
    {"a", "ea"},   {"e", "i"},    {"ei", "i"},  {"oe", "ue"}, {"eu", "eu"}, {"o", "u"},
    {"ou", "u"},   {"uo", "uo"},  {"aeu", "eu"}, {"oea", "oea"}, {"ie", "ie"}, {"e", "e"},
    {"e", "e"},    {"ai", "ey"},  {"ao", "o"},  {"au", "ov"},
};

struct unit {
    char onset[16];
    unsigned char series;
    signed char v;       /* dependent vowel index, -1 none */
    signed char ind;     /* independent vowel index, -1 none */
    bool nikahit, reahmuk, bantoc;
};

static bool has_vowel(const struct unit *u)
{
    return u->v >= 0 || u->ind >= 0 || u->nikahit || u->reahmuk;
}

/* Adds the mark cp to unit u; false when cp is not a mark that can follow. */
static bool add_mark(struct unit *u, unsigned cp, unsigned base)
{
    if (cp >= 0x17B6 && cp <= 0x17C5) {
        u->v = (signed char)(cp - 0x17B6);
    } else if (cp == 0x17C6) {
        u->nikahit = true;
    } else if (cp == 0x17C7 || cp == 0x17C8) {
        u->reahmuk = true;
    } else if (cp == 0x17C9) { /* musikatoan: to the first series; ba becomes pa */
        u->series = 1;
        if (base == 0x1794)
            memcpy(u->onset, "p", 2);
    } else if (cp == 0x17CA) { /* triisap: to the second series */
        u->series = 2;
    } else if (cp == 0x17CB) {
        u->bantoc = true;
    } else if (!(cp >= 0x17B4 && cp <= 0x17DD)) { /* other signs are read as nothing */
        return false;
    }
    return true;
}

/* A final consonant: aspirated finals are written without their h. */
static void final_form(const char *onset, char *f)
{
    size_t l = strlen(onset);
    memcpy(f, onset, l + 1);
    if (l >= 2 && f[l - 1] == 'h' && (f[l - 2] == 'k' || f[l - 2] == 't' || f[l - 2] == 'p'))
        f[l - 1] = '\0';
    else if (l >= 3 && strcmp(f + l - 3, "chh") == 0)
        f[l - 1] = '\0';
}

int names_khmer_word(const char *w, size_t len, char *out, size_t outsz)
{
    struct unit u[MAX_UNITS];
    unsigned cps[MAX_CPS];
    size_t n = 0, ncp = names_script_decode(w, len, KH_FIRST, KH_LAST, cps, MAX_CPS);
    bool coeng = false;
    unsigned base = 0;
    if (ncp == 0)
        return 0;
    for (size_t i = 0; i < ncp; i++) {
        unsigned cp = cps[i];
        bool sub = coeng; /* a coeng applies to the consonant right after it only */
        coeng = false;
        if (cp >= 0x1780 && cp <= 0x17A2) {
            const char *r = cons[cp - 0x1780].r;
            if (sub && n > 0) { /* a subscript consonant joins the unit */
                struct unit *v = &u[n - 1];
                if (strlen(v->onset) + strlen(r) < sizeof v->onset)
                    memcpy(v->onset + strlen(v->onset), r, strlen(r) + 1);
                continue;
            }
            if (n == MAX_UNITS)
                return 0;
            u[n] = (struct unit){.series = cons[cp - 0x1780].series, .v = -1, .ind = -1};
            memcpy(u[n].onset, r, strlen(r) + 1);
            base = cp;
            n++;
        } else if (cp >= 0x17A3 && cp <= 0x17B3) {
            if (n == MAX_UNITS)
                return 0;
            u[n++] = (struct unit){.series = 1, .v = -1, .ind = (signed char)(cp - 0x17A3)};
            base = 0;
        } else if (cp == 0x17D2) {
            coeng = n > 0;
        } else if (n > 0 && add_mark(&u[n - 1], cp, base)) {
            continue;
        }
        /* punctuation, digits and marks with nothing before them: nothing */
    }
    size_t o = 0;
    bool open = false;
    out[0] = '\0';
    for (size_t k = 0; k < n; k++) {
        const struct unit *x = &u[k];
        bool ok = true;
        if (x->ind >= 0) {
            ok = names_script_put(out, outsz, &o, indep[x->ind]);
            open = true;
        } else if (has_vowel(x)) {
            const char *vs = x->v >= 0 ? vowel[x->v][x->series - 1]
                                       : x->nikahit ? (x->series == 1 ? "a" : "u")
                                                    : (x->series == 1 ? "a" : "o");
            ok = names_script_put(out, outsz, &o, x->onset) && names_script_put(out, outsz, &o, vs) &&
                 (!x->nikahit || names_script_put(out, outsz, &o, "m")) &&
                 (!x->reahmuk || names_script_put(out, outsz, &o, "h"));
            open = !x->nikahit && !x->reahmuk;
        } else if (open && (x->bantoc || k + 1 == n || has_vowel(&u[k + 1]))) {
            char f[16];
            final_form(x->onset, f);
            ok = names_script_put(out, outsz, &o, f);
            open = false;
        } else {
            ok = names_script_put(out, outsz, &o, x->onset) &&
                 names_script_put(out, outsz, &o, x->series == 1 ? "a" : "o");
            open = true;
        }
        if (!ok)
            return -1;
    }
    return o > 0 ? 1 : 0;
}
