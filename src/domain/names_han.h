/* names_han: the Mandarin reading of one Han character (used by names.c),
 * and the reading tables of names_han.c, generated from Unihan and the IPA
 * dictionary by scripts/gen-han-tables into names_han_tables.c (internal
 * to the names module; the sources and licences are named there). */
#ifndef LINTAS_DOMAIN_NAMES_HAN_H
#define LINTAS_DOMAIN_NAMES_HAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Korean readings of Han characters: names_han_ko_n pairs of code points
 * sorted by han. */
struct names_han_ko {
    uint32_t han;
    uint16_t hangul; /* a precomposed syllable, U+AC00-D7A3 */
};
extern const struct names_han_ko names_han_ko[];
extern const size_t names_han_ko_n;

/* Mandarin readings of Han characters: names_han_zh_syl_n syllables
 * (lowercase ASCII, NUL-terminated, sorted; entry 0 is "", no reading);
 * names_han_zh_run_n runs of code points {first, offset into names_han_zh},
 * sorted by first, the last a sentinel: the run of entry i covers the code
 * points first .. first + (next offset - offset) - 1, and names_han_zh[off +
 * (c - first)] is the syllable index of c (0: no reading). */
#define NAMES_HAN_ZH_SYL 8 /* bytes of a syllable slot, NUL included */
struct names_han_zh_run {
    uint32_t first;
    uint32_t off;
};
extern const char names_han_zh_syl[][NAMES_HAN_ZH_SYL];
extern const size_t names_han_zh_syl_n;
extern const struct names_han_zh_run names_han_zh_run[];
extern const size_t names_han_zh_run_n;
extern const uint16_t names_han_zh[];
extern const size_t names_han_zh_n;

/* Whether c is a Han ideograph: the unified blocks (BMP and beyond) and the
 * compatibility ideographs. */
bool names_han_ideograph(int32_t c);

/* Writes the Mandarin reading of the Han character c (NFKC: compatibility
 * ideographs are looked up as they are, so fold them first) into out as
 * lowercase ASCII pinyin without tones, NUL-terminated: the first value of
 * Unihan's kMandarin, ü written u (names.c folds ICU's pinyin so).
 * Returns the length written (> 0); 0 when the table has no reading for c
 * (any code point, Han or not; out[0] is then '\0' if outsz > 0);
 * ERR_LIMIT when outsz cannot hold the reading and its NUL (out[0] is then
 * '\0' if outsz > 0). Pure and thread-safe. */
int names_han_mandarin(int32_t c, char *out, size_t outsz);

/* The reading of c as the first character of a Chinese name, the surname,
 * when it differs from its usual one (曾 zeng, not ceng; 单 shan, not
 * dan; 解 xie, not jie), written as names_han_mandarin writes. Returns its
 * length, 0 when c has no such reading, ERR_LIMIT when outsz is too small
 * (out[0] then '\0' if outsz > 0). Pure and thread-safe. */
int names_han_surname(int32_t c, char *out, size_t outsz);

/* Japanese name spellings: names_han_ja_len bytes of entries
 * "surface,reading,costC;" sorted by the UTF-8 bytes of the surface (NFKC);
 * reading in katakana, cost the MeCab cost (lower is more usual), C the
 * classes the spelling has: 's' surname, 'g' given name, 'b' both. */
extern const char names_han_ja[];
extern const size_t names_han_ja_len;

#endif
