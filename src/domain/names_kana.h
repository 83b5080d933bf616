/* names_kana: Japanese names in Hiragana or Katakana romanised the way
 * Japanese passports write them (internal to the names module). */
#ifndef LINTAS_DOMAIN_NAMES_KANA_H
#define LINTAS_DOMAIN_NAMES_KANA_H

#include <stddef.h>

/* When w[0..len) (UTF-8) is one word of Hiragana and/or Katakana (halfwidth
 * Katakana and iteration marks included), writes its passport Hepburn
 * romanisation to out as lowercase ASCII and returns 1: long vowels not
 * written (たろう -> "taro"), m before b, m, p ("homma"), っ doubling the
 * next consonant ("hatchobori"); the middle dot of foreign names becomes a
 * space ("jon sumisu"). Returns 0 when w holds anything else (Han, Latin,
 * malformed UTF-8, more than 64 kana), -1 when out (outsz bytes, NUL
 * included) is too small (out is then unchanged). Pure; thread-safe. */
int names_kana_word(const char *w, size_t len, char *out, size_t outsz);

#endif
