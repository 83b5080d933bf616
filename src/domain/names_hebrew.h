/* names_hebrew: personal names written in Hebrew script romanised to the
 * Latin spelling seen in passports and lists, without ICU (internal to the
 * names module; see names_hebrew.c). */
#ifndef LINTAS_DOMAIN_NAMES_HEBREW_H
#define LINTAS_DOMAIN_NAMES_HEBREW_H

#include <stddef.h>

/* Writes into out a Latin reading of s[0..len) (UTF-8, already
 * NFKC-normalised; may hold several words separated by spaces, and words in
 * other scripts) in which every Hebrew word is replaced by its usual Latin
 * spelling, lower case ASCII; everything that is not Hebrew is copied
 * unchanged. Maqaf and Hebrew punctuation become spaces; Hebrew marks with
 * no letter before them are dropped.
 * Returns 1 when s holds at least one Hebrew letter and out was written
 * (NUL-terminated), 0 when s holds no Hebrew letter (out untouched), -1
 * when out (outsz bytes, NUL included) is too small or a Hebrew word has
 * more than 64 letters (out is then the empty string when outsz > 0).
 * Pure, thread-safe, no allocation. */
int names_hebrew_reading(const char *s, size_t len, char *out, size_t outsz);

#endif
