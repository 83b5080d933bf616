/* names_facts: the evidence besides the name (birth dates, nationalities,
 * document numbers) and the reasons given for a score, in words.
 *
 * Birth dates may be partial (year, year-month) or ranges of years; the
 * parser is lenient about single-digit months and days and reduces the
 * precision of impossible dates ("1974-01-32" is January 1974), because
 * listed dates are often wrong in exactly that way. Countries are mapped to
 * ICAO 9303 codes from alpha-2, alpha-3 or English names. */
#include <stdio.h>
#include <string.h>

#include "domain/names.h"
#include "domain/names_tables.h"
#include "util/errors.h"
#include "util/timeutil.h"

/* Reads 1..maxd digits at *p into *v; advances *p. */
static bool digits(const char **p, int maxd, int mind, int *v)
{
    int n = 0, x = 0;
    while (n < maxd && (*p)[n] >= '0' && (*p)[n] <= '9')
        x = x * 10 + ((*p)[n] - '0'), n++;
    if (n < mind || ((*p)[n] >= '0' && (*p)[n] <= '9'))
        return false;
    *p += n;
    *v = x;
    return true;
}

static int parse_range(const char *s, struct names_date *out)
{
    const char *p = s;
    int a, b;
    if (!digits(&p, 4, 4, &a))
        return ERR_INVALID;
    if (p[0] == '.' && p[1] == '.')
        p += 2;
    else if (p[0] == '-')
        p += 1;
    else
        return ERR_INVALID;
    if (!digits(&p, 4, 4, &b) || *p != '\0' || a < 1 || b < a || b > 9999)
        return ERR_INVALID;
    *out = (struct names_date){.year = (int16_t)a, .year_to = (int16_t)b};
    return 0;
}

static int date_parse(const char *s, bool strict, struct names_date *out);
static int add_date(struct names_facts *f, const struct names_date *dp);

int names_date_parse(const char *s, struct names_date *out)
{
    return date_parse(s, false, out);
}

int names_date_parse_strict(const char *s, struct names_date *out)
{
    return date_parse(s, true, out);
}

/* strict: a month or day that is given must exist (1990-13-45 and
 * 1974-02-30 are errors, not 1990 and 1974-02). */
static int date_parse(const char *s, bool strict, struct names_date *out)
{
    const char *p = s;
    int y = 0, m = 0, d = 0;
    memset(out, 0, sizeof *out);
    if (s == NULL || strlen(s) > 16)
        return ERR_INVALID;
    if (strlen(s) == 9 || strlen(s) == 10) {
        if (parse_range(s, out) == 0)
            return 0;
    }
    if (!digits(&p, 4, 4, &y) || y < 1)
        return ERR_INVALID;
    bool has_m = false, has_d = false;
    if (*p == '-') {
        p++;
        if (!digits(&p, 2, 1, &m))
            return ERR_INVALID;
        has_m = true;
        if (*p == '-') {
            p++;
            if (!digits(&p, 2, 1, &d))
                return ERR_INVALID;
            has_d = true;
        }
    }
    if (*p != '\0')
        return ERR_INVALID;
    if (strict && ((has_m && (m < 1 || m > 12)) || (has_d && !time_valid_date(y, m, d))))
        return ERR_INVALID;
    if (m < 1 || m > 12)
        m = 0, d = 0;
    if (d != 0 && !time_valid_date(y, m, d))
        d = 0;
    *out = (struct names_date){.year = (int16_t)y, .year_to = (int16_t)y, .month = (int8_t)m,
                               .day = (int8_t)d};
    return 0;
}

/* Writes v (0-9999) as `digits` decimal digits at p; returns the end. */
static char *put_digits(char *p, int v, int digits)
{
    for (int k = digits - 1; k >= 0; k--, v /= 10)
        p[k] = (char)('0' + v % 10);
    return p + digits;
}

/* names_date_format's text for dates outside 0-9999 (never parsed). */
static void date_format_wide(const struct names_date *d, char *out, size_t outsz)
{
    if (d->year == 0)
        snprintf(out, outsz, "?");
    else if (d->year_to > d->year)
        snprintf(out, outsz, "%04d..%04d", d->year, d->year_to);
    else if (d->month == 0)
        snprintf(out, outsz, "%04d", d->year);
    else if (d->day == 0)
        snprintf(out, outsz, "%04d-%02d", d->year, d->month);
    else
        snprintf(out, outsz, "%04d-%02d-%02d", d->year, d->month, d->day);
}

void names_date_format(const struct names_date *d, char *out, size_t outsz)
{
    char buf[16], *p = buf;
    /* written by hand: snprintf took a thousand instructions a date, and
     * every match's reasons give two */
    if (d->year < 0 || d->year > 9999 || d->year_to < 0 || d->year_to > 9999 || d->month < 0 ||
        d->day < 0) {
        date_format_wide(d, out, outsz);
        return;
    }
    if (d->year == 0) {
        *p++ = '?';
    } else {
        p = put_digits(p, d->year, 4);
        if (d->year_to > d->year) {
            *p++ = '.', *p++ = '.';
            p = put_digits(p, d->year_to, 4);
        } else if (d->month != 0) {
            *p++ = '-';
            p = put_digits(p, d->month, 2 + (d->month > 99));
            if (d->day != 0) {
                *p++ = '-';
                p = put_digits(p, d->day, 2 + (d->day > 99));
            }
        }
    }
    size_t n = (size_t)(p - buf);
    if (outsz == 0)
        return;
    n = n < outsz ? n : outsz - 1;
    memcpy(out, buf, n);
    out[n] = '\0';
}

static int iabs(int x)
{
    return x < 0 ? -x : x;
}

static int compare_range(const struct names_date *a, const struct names_date *b)
{
    int lo = a->year > b->year ? a->year : b->year;
    int hi = a->year_to < b->year_to ? a->year_to : b->year_to;
    if (lo <= hi)
        return NAMES_DOB_RANGE;
    return lo - hi == 1 ? NAMES_DOB_NEAR : NAMES_DOB_MISMATCH;
}

int names_date_compare(const struct names_date *a, const struct names_date *b)
{
    if (a->year == 0 || b->year == 0)
        return NAMES_DOB_NONE;
    if (a->year_to > a->year || b->year_to > b->year)
        return compare_range(a, b);
    int dy = iabs(a->year - b->year);
    bool full = a->day != 0 && b->day != 0;
    if (full && dy == 0) {
        if (a->month == b->month && a->day == b->day)
            return NAMES_DOB_EXACT;
        if (a->month == b->day && a->day == b->month)
            return NAMES_DOB_SWAP;
        return NAMES_DOB_SAME_YEAR_DIFF;
    }
    if (dy == 0) {
        if (a->month != 0 && b->month != 0 && a->month != b->month)
            return NAMES_DOB_SAME_YEAR_DIFF;
        return NAMES_DOB_YEAR;
    }
    return dy == 1 ? NAMES_DOB_NEAR : NAMES_DOB_MISMATCH;
}

int names_country_code(const char *s, char out[4])
{
    char k[64];
    size_t n = 0;
    out[0] = '\0';
    if (s == NULL)
        return ERR_NOTFOUND;
    for (; *s != '\0' && n + 1 < sizeof k; s++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c >= 'a' && c <= 'z')
            k[n++] = c;
        else if (c == '(')
            break; /* "Iran (Islamic Republic of)": the part before "(" */
    }
    const char *a3 = names_tab_country(k, n);
    if (a3 == NULL)
        return ERR_NOTFOUND;
    memcpy(out, a3, strlen(a3) + 1);
    return 0;
}

int names_doc_normalise(const char *s, char out[NAMES_DOC_MAX])
{
    size_t n = 0;
    out[0] = '\0';
    for (; s != NULL && *s != '\0'; s++) {
        char c = *s;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            continue;
        if (n + 1 >= NAMES_DOC_MAX)
            return ERR_INVALID;
        out[n++] = c;
    }
    out[n] = '\0';
    return n == 0 ? ERR_INVALID : 0;
}

int names_phone_normalise(const char *s, char out[NAMES_DOC_MAX])
{
    char d[NAMES_DOC_MAX];
    size_t n = 0;
    bool plus = false;
    out[0] = '\0';
    for (const char *p = s; p != NULL && *p != '\0'; p++) {
        if (*p == '+' && n == 0) {
            plus = true;
        } else if (n > 0 && p[0] == '(' && p[1] == '0' && p[2] == ')') {
            p += 2; /* "+62 (0)811": the trunk prefix written after the country code */
        } else if (*p >= '0' && *p <= '9') {
            if (n + 1 >= sizeof d)
                return ERR_INVALID;
            d[n++] = *p;
        }
    }
    d[n] = '\0';
    const char *cc = "", *rest = d;
    if (!plus && d[0] == '0' && d[1] == '0')
        rest = d + 2; /* the international prefix */
    else if (!plus && d[0] == '0')
        cc = NAMES_PHONE_HOME, rest = d + 1;
    size_t lc = strlen(cc), lr = strlen(rest);
    if (lr == 0 || lc + lr + 1 > NAMES_DOC_MAX)
        return ERR_INVALID;
    memcpy(out, cc, lc);
    memcpy(out + lc, rest, lr + 1);
    return 0;
}

int names_facts_add_dob(struct names_facts *f, const char *s)
{
    struct names_date d;
    int r = names_date_parse(s, &d);
    if (r != 0)
        return r;
    return add_date(f, &d);
}

int names_facts_add_dob_strict(struct names_facts *f, const char *s)
{
    struct names_date d;
    int r = names_date_parse_strict(s, &d);
    if (r != 0)
        return r;
    return add_date(f, &d);
}

static int add_date(struct names_facts *f, const struct names_date *dp)
{
    struct names_date d = *dp;
    for (size_t i = 0; i < f->ndob; i++)
        if (memcmp(&f->dob[i], &d, sizeof d) == 0)
            return 0;
    if (f->ndob < NAMES_MAX_DOB)
        f->dob[f->ndob++] = d;
    return 0;
}

int names_facts_add_nat(struct names_facts *f, const char *s)
{
    char c[4];
    int r = names_country_code(s, c);
    if (r != 0)
        return r;
    for (size_t i = 0; i < f->nnat; i++)
        if (strcmp(f->nat[i], c) == 0)
            return 0;
    if (f->nnat < NAMES_MAX_NAT)
        memcpy(f->nat[f->nnat++], c, 4);
    return 0;
}

int names_facts_add_doc(struct names_facts *f, const char *s)
{
    char d[NAMES_DOC_MAX];
    int r = names_doc_normalise(s, d);
    if (r != 0)
        return r;
    for (size_t i = 0; i < f->ndoc; i++)
        if (strcmp(f->doc[i], d) == 0)
            return 0;
    if (f->ndoc < NAMES_MAX_DOC)
        memcpy(f->doc[f->ndoc++], d, NAMES_DOC_MAX);
    return 0;
}
