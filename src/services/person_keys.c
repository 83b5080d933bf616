/* person_keys: normalised person keys. */
#include "services/person_keys.h"

#include <ctype.h>
#include <stdio.h>

void person_name_key(const char *surname, const char *given, const char *birth_date, char *out,
                     size_t n)
{
    size_t k = 0;
    const char *parts[] = {surname, "|", given, "|", birth_date};
    out[0] = '\0';
    if (surname == NULL || surname[0] == '\0' || birth_date == NULL || birth_date[0] == '\0')
        return;
    for (size_t p = 0; p < 5; p++) {
        for (const char *c = parts[p] ? parts[p] : ""; *c && k + 1 < n; c++) {
            if (isalnum((unsigned char)*c) || *c == '|' || *c == '-')
                out[k++] = (char)toupper((unsigned char)*c);
        }
    }
    out[k] = '\0';
}

const char *person_age_band(long long age)
{
    if (age < 0)
        return "";
    return age < 18 ? "0-17" : age < 25 ? "18-24" : age < 35 ? "25-34" : age < 45 ? "35-44"
                                                                  : age < 60 ? "45-59" : "60+";
}

void person_doc_key(const char *nationality, const char *number, char *out, size_t n)
{
    out[0] = '\0';
    if (nationality && nationality[0] && number && number[0])
        snprintf(out, n, "%s:%s", nationality, number);
}
