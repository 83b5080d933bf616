/* names_han: the reading tables of names_han.c, generated from Unihan and
 * the IPA dictionary by scripts/gen-han-tables into names_han_tables.c
 * (internal to the names module; the sources and licences are named there). */
#ifndef LINTAS_DOMAIN_NAMES_HAN_H
#define LINTAS_DOMAIN_NAMES_HAN_H

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

/* Japanese name spellings: names_han_ja_len bytes of entries
 * "surface,reading,costC;" sorted by the UTF-8 bytes of the surface (NFKC);
 * reading in katakana, cost the MeCab cost (lower is more usual), C the
 * classes the spelling has: 's' surname, 'g' given name, 'b' both. */
extern const char names_han_ja[];
extern const size_t names_han_ja_len;

#endif
