/* person_keys: the keys by which lintas recognises the same person across
 * screenings, applications and cases — the NIK, the document (nationality
 * and number) and the name with the birth date. Thread-safe. */
#ifndef LINTAS_SERVICES_PERSON_KEYS_H
#define LINTAS_SERVICES_PERSON_KEYS_H

#include <stddef.h>

/* "SURNAME|GIVEN|YYYY-MM-DD" in upper-case letters and digits; "" unless
 * both a name and a birth date are known (a name alone joins strangers). */
void person_name_key(const char *surname, const char *given, const char *birth_date, char *out,
                     size_t n);
/* The age band used by statistics and oversight ("0-17" ... "60+"), or ""
 * for an unknown age (age < 0). */
const char *person_age_band(long long age);
/* "NAT:NUMBER", or "" unless both are known. */
void person_doc_key(const char *nationality, const char *number, char *out, size_t n);

#endif
