/* mrz: ICAO Doc 9303 machine-readable zones. A document is first given a
 * shape (format and layout) from its line count, line lengths and document
 * code; each ICAO format is then described by a table of field positions,
 * and one reader walks that table, copying every field and recording every
 * failure. Nothing here allocates: the result is a fixed-size struct. The
 * numbers in the layout tables are 0-based columns. */
#include "domain/mrz.h"

#include <stddef.h>
#include <string.h>

#include "domain/countries.h"
#include "util/errors.h"
#include "util/timeutil.h"

/* A field position: line, first column, width. line < 0: absent. */
struct span {
    int8_t line;
    uint8_t col;
    uint8_t len;
};

#define NONE                                                                                       \
    {                                                                                              \
        -1, 0, 0                                                                                   \
    }

struct layout {
    enum mrz_format format;
    uint8_t n_lines, width;
    struct span code, state, number, number_cd, nationality, birth, birth_cd, sex, expiry,
        expiry_cd, optional, optional_cd, optional2, composite, name;
    struct span composite_parts[4];
    bool long_number; /* TD1/TD2: the number may continue in the optional data */
};

/* clang-format off */
static const struct layout td1 = {
    .format = MRZ_FORMAT_TD1, .n_lines = 3, .width = 30,
    .code = {0, 0, 2}, .state = {0, 2, 3}, .number = {0, 5, 9}, .number_cd = {0, 14, 1},
    .optional = {0, 15, 15}, .birth = {1, 0, 6}, .birth_cd = {1, 6, 1}, .sex = {1, 7, 1},
    .expiry = {1, 8, 6}, .expiry_cd = {1, 14, 1}, .nationality = {1, 15, 3},
    .optional2 = {1, 18, 11}, .composite = {1, 29, 1}, .name = {2, 0, 30},
    .optional_cd = NONE,
    .composite_parts = {{0, 5, 25}, {1, 0, 7}, {1, 8, 7}, {1, 18, 11}},
    .long_number = true,
};

static const struct layout td2 = {
    .format = MRZ_FORMAT_TD2, .n_lines = 2, .width = 36,
    .code = {0, 0, 2}, .state = {0, 2, 3}, .name = {0, 5, 31}, .number = {1, 0, 9},
    .number_cd = {1, 9, 1}, .nationality = {1, 10, 3}, .birth = {1, 13, 6},
    .birth_cd = {1, 19, 1}, .sex = {1, 20, 1}, .expiry = {1, 21, 6}, .expiry_cd = {1, 27, 1},
    .optional = {1, 28, 7}, .composite = {1, 35, 1}, .optional_cd = NONE, .optional2 = NONE,
    .composite_parts = {{1, 0, 10}, {1, 13, 7}, {1, 21, 14}, NONE},
    .long_number = true,
};

static const struct layout td3 = {
    .format = MRZ_FORMAT_TD3, .n_lines = 2, .width = 44,
    .code = {0, 0, 2}, .state = {0, 2, 3}, .name = {0, 5, 39}, .number = {1, 0, 9},
    .number_cd = {1, 9, 1}, .nationality = {1, 10, 3}, .birth = {1, 13, 6},
    .birth_cd = {1, 19, 1}, .sex = {1, 20, 1}, .expiry = {1, 21, 6}, .expiry_cd = {1, 27, 1},
    .optional = {1, 28, 14}, .optional_cd = {1, 42, 1}, .composite = {1, 43, 1},
    .optional2 = NONE,
    .composite_parts = {{1, 0, 10}, {1, 13, 7}, {1, 21, 22}, NONE},
};

static const struct layout mrva = {
    .format = MRZ_FORMAT_MRVA, .n_lines = 2, .width = 44,
    .code = {0, 0, 2}, .state = {0, 2, 3}, .name = {0, 5, 39}, .number = {1, 0, 9},
    .number_cd = {1, 9, 1}, .nationality = {1, 10, 3}, .birth = {1, 13, 6},
    .birth_cd = {1, 19, 1}, .sex = {1, 20, 1}, .expiry = {1, 21, 6}, .expiry_cd = {1, 27, 1},
    .optional = {1, 28, 16}, .optional_cd = NONE, .composite = NONE, .optional2 = NONE,
    .composite_parts = {NONE, NONE, NONE, NONE},
};

static const struct layout mrvb = {
    .format = MRZ_FORMAT_MRVB, .n_lines = 2, .width = 36,
    .code = {0, 0, 2}, .state = {0, 2, 3}, .name = {0, 5, 31}, .number = {1, 0, 9},
    .number_cd = {1, 9, 1}, .nationality = {1, 10, 3}, .birth = {1, 13, 6},
    .birth_cd = {1, 19, 1}, .sex = {1, 20, 1}, .expiry = {1, 21, 6}, .expiry_cd = {1, 27, 1},
    .optional = {1, 28, 8}, .optional_cd = NONE, .composite = NONE, .optional2 = NONE,
    .composite_parts = {NONE, NONE, NONE, NONE},
};

/* clang-format on */

/* The pre-2021 French identity card: line 1 "IDFRA", surname (25), office
 * code (6); line 2 card number (12) and its check digit, given names (14),
 * birth date and check digit, sex, then a check digit over everything. */
static const struct span fr_name1 = {0, 5, 25}, fr_office = {0, 30, 6}, fr_number = {1, 0, 12},
                         fr_number_cd = {1, 12, 1}, fr_name2 = {1, 13, 14}, fr_birth = {1, 27, 6},
                         fr_birth_cd = {1, 33, 1}, fr_sex = {1, 34, 1}, fr_composite = {1, 35, 1};

/* Working state of one parse. */
struct ctx {
    const char *line[3];
    const struct mrz_options *opt;
    int ty, tm, td; /* today */
    struct mrz_result *r;
};

static const char *at(const struct ctx *c, struct span s)
{
    return c->line[s.line] + s.col;
}

/* Records an error; returns it, or NULL when the list is full. */
static struct mrz_error *add_error(struct ctx *c, enum mrz_field f, enum mrz_code code,
                                   enum mrz_why why, char got, char want)
{
    struct mrz_result *r = c->r;
    if (r->n_errors >= MRZ_MAX_ERRORS)
        return NULL;
    struct mrz_error *e = &r->errors[r->n_errors++];
    *e = (struct mrz_error){.field = f, .code = code, .why = why, .got = got, .want = want};
    return e;
}

static bool has_error(const struct mrz_result *r, enum mrz_field f)
{
    for (size_t i = 0; i < r->n_errors; i++)
        if (r->errors[i].field == f)
            return true;
    return false;
}

/* clang-format off */
/* Check-digit value of each byte: 0-9, A-Z = 10-35, '<' = 0; -1 otherwise. */
#define V10(a) a, a + 1, a + 2, a + 3, a + 4, a + 5, a + 6, a + 7, a + 8, a + 9
#define NO8 -1, -1, -1, -1, -1, -1, -1, -1
#define NO32 NO8, NO8, NO8, NO8
static const signed char value[256] = {
    NO32, NO8, NO8,                           /* 0x00-0x2F */
    V10(0), -1, -1, 0, -1, -1, -1,            /* '0'-'9', ':' ';' '<' '=' '>' '?' */
    -1, V10(10), V10(20), 30, 31, 32, 33, 34, 35, /* '@', 'A'-'Z' */
    -1, -1, -1, -1, -1,                       /* 0x5B-0x5F */
    NO32,                                     /* 0x60-0x7F */
    NO32, NO32, NO32, NO32,                   /* 0x80-0xFF */
};

/* clang-format on */

int mrz_check_digit(const char *s, size_t len)
{
    unsigned sum = 0;
    size_t i = 0;
    int bad = 0;
    for (; i + 3 <= len; i += 3) {
        int a = value[(unsigned char)s[i]], b = value[(unsigned char)s[i + 1]],
            c = value[(unsigned char)s[i + 2]];
        bad |= a | b | c;
        sum += (unsigned)(a * 7 + b * 3 + c);
    }
    static const int weight[3] = {7, 3, 1};
    for (size_t k = 0; i < len; i++, k++) {
        int v = value[(unsigned char)s[i]];
        bad |= v;
        sum += (unsigned)(v * weight[k]);
    }
    return bad < 0 ? -1 : (int)(sum % 10);
}

static bool is_alpha(char ch)
{
    return ch >= 'A' && ch <= 'Z';
}

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Copies s[0..len) without its trailing fillers into dst (size cap). */
static void copy_stripped(char *dst, size_t cap, const char *s, size_t len)
{
    while (len > 0 && s[len - 1] == '<')
        len--;
    if (len >= cap)
        len = cap - 1;
    memcpy(dst, s, len);
    dst[len] = '\0';
}

static bool all_fillers(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != '<')
            return false;
    return true;
}

/* Verifies the check digit cd over s[0..len). Records an error against f
 * and returns false when it fails. */
static bool verify(struct ctx *c, enum mrz_field f, const char *s, size_t len, char cd)
{
    int v = mrz_check_digit(s, len);
    char want = v < 0 ? 0 : (char)('0' + v);
    if (!is_digit(cd)) {
        add_error(c, f, MRZ_CODE_CHECK_DIGIT, MRZ_WHY_CHECK_NOT_DIGIT, cd, want);
        return false;
    }
    if (v < 0) {
        add_error(c, f, MRZ_CODE_CHECK_DIGIT, MRZ_WHY_CHECK_UNCOMPUTABLE, cd, 0);
        return false;
    }
    if (cd != want) {
        add_error(c, f, MRZ_CODE_CHECK_DIGIT, MRZ_WHY_CHECK_MISMATCH, cd, want);
        return false;
    }
    return true;
}

static bool two_digits(const char *p, int *v)
{
    if (!is_digit(p[0]) || !is_digit(p[1]))
        return false;
    *v = (p[0] - '0') * 10 + (p[1] - '0');
    return true;
}

static long date_key(int y, int m, int d)
{
    return (long)y * 10000L + m * 100L + d;
}

/* Reads a birth date: YYMMDD, YYMM<<, YY<<<< or <<<<<< (unknown parts).
 * The century makes it the latest such date not after today. Returns the
 * why of the failure, or -1 when the date is acceptable. */
static int read_birth(const struct ctx *c, const char *p, struct mrz_date *d)
{
    int yy, mm = 0, dd = 0;
    memcpy(d->raw, p, 6);
    d->raw[6] = '\0';
    if (all_fillers(p, 6))
        return -1;
    bool has_month = two_digits(p + 2, &mm), has_day = two_digits(p + 4, &dd);
    if (!two_digits(p, &yy) || (!has_month && !all_fillers(p + 2, 2)) ||
        (!has_day && !all_fillers(p + 4, 2)) || (has_day && !has_month)) {
        for (int i = 0; i < 6; i++)
            if (p[i] == '<')
                return MRZ_WHY_DATE_UNKNOWN_PARTS;
        return MRZ_WHY_DATE;
    }
    int year = c->ty / 100 * 100 + yy;
    if (date_key(year, mm, dd) > date_key(c->ty, has_month ? c->tm : 0, has_day ? c->td : 0))
        year -= 100;
    if (has_day && !time_valid_date(year, mm, dd))
        return MRZ_WHY_DATE;
    if (has_month && (mm < 1 || mm > 12))
        return MRZ_WHY_DATE;
    d->year = year;
    d->month = mm;
    d->day = dd;
    d->precision = has_day ? MRZ_DATE_DAY : has_month ? MRZ_DATE_MONTH : MRZ_DATE_YEAR;
    return -1;
}

/* Reads an expiry date: YYMMDD only, the century chosen so that the date
 * lies within 50 years of today (today - 50 years inclusive, today + 50
 * years exclusive). Returns the why of the failure, or -1. */
static int read_expiry(const struct ctx *c, const char *p, struct mrz_date *d)
{
    int yy, mm, dd;
    memcpy(d->raw, p, 6);
    d->raw[6] = '\0';
    if (all_fillers(p, 6))
        return MRZ_WHY_NO_EXPIRY;
    if (!two_digits(p, &yy) || !two_digits(p + 2, &mm) || !two_digits(p + 4, &dd))
        return memchr(p, '<', 6) ? MRZ_WHY_DATE_UNKNOWN_PARTS : MRZ_WHY_DATE;
    long lo = date_key(c->ty - 50, c->tm, c->td), hi = date_key(c->ty + 50, c->tm, c->td);
    int year = (c->ty / 100 - 1) * 100 + yy;
    while (date_key(year, mm, dd) < lo)
        year += 100;
    if (date_key(year, mm, dd) >= hi || !time_valid_date(year, mm, dd))
        return MRZ_WHY_DATE;
    d->year = year;
    d->month = mm;
    d->day = dd;
    d->precision = MRZ_DATE_DAY;
    return -1;
}

/* Copies a name component, each run of '<' turned into one space, trimmed. */
static void collapse(char *dst, size_t cap, const char *s, size_t len)
{
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; i < len && o + 1 < cap; i++) {
        if (s[i] == '<') {
            space = o > 0;
            continue;
        }
        if (space && o + 2 < cap)
            dst[o++] = ' ';
        space = false;
        dst[o++] = s[i];
    }
    dst[o] = '\0';
}

/* Splits a name field at its first "<<": primary before, secondary after;
 * with no "<<" the whole name is the primary identifier. */
static void split_name(struct mrz_result *r, const char *f, size_t len)
{
    size_t i = 0;
    while (i + 1 < len && !(f[i] == '<' && f[i + 1] == '<'))
        i++;
    if (i + 1 >= len) {
        collapse(r->surname, sizeof r->surname, f, len);
        r->given_names[0] = '\0';
    } else {
        collapse(r->surname, sizeof r->surname, f, i);
        collapse(r->given_names, sizeof r->given_names, f + i + 2, len - i - 2);
    }
}

static void check_name_chars(struct ctx *c, const char *f, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (!is_alpha(f[i]) && f[i] != '<') {
            add_error(c, MRZ_FIELD_NAMES, MRZ_CODE_CHARSET, MRZ_WHY_NAME_CHARSET, f[i], 0);
            break;
        }
    }
}

/* The name field: characters A-Z and '<'; it may not start with a single
 * '<' (a leading "<<", an empty primary identifier, is accepted). */
static void read_names(struct ctx *c, struct span s)
{
    const char *f = at(c, s);
    split_name(c->r, f, s.len);
    c->r->names_truncated = f[s.len - 1] != '<';
    check_name_chars(c, f, s.len);
    if (f[0] == '<' && f[1] != '<')
        add_error(c, MRZ_FIELD_NAMES, MRZ_CODE_INVALID_VALUE, MRZ_WHY_NAME_LEADING_FILLER, 0, 0);
}

static void read_document_code(struct ctx *c, const struct layout *L)
{
    const char *p = at(c, L->code);
    copy_stripped(c->r->document_code, sizeof c->r->document_code, p, 2);
    bool ok;
    switch (L->format) {
    case MRZ_FORMAT_TD1:
    case MRZ_FORMAT_TD2:
        ok = (p[0] == 'A' || p[0] == 'C' || p[0] == 'I') && p[1] != 'V';
        break;
    case MRZ_FORMAT_TD3:
        ok = p[0] == 'P' && (is_alpha(p[1]) || p[1] == '<');
        break;
    default:
        ok = p[0] == 'V' && (is_alpha(p[1]) || p[1] == '<');
        break;
    }
    if (!ok)
        add_error(c, MRZ_FIELD_DOCUMENT_CODE, MRZ_CODE_INVALID_VALUE, MRZ_WHY_DOC_CODE, 0, 0);
}

static void read_country(struct ctx *c, struct span s, enum mrz_field f, char *dst, size_t cap)
{
    const char *p = at(c, s);
    copy_stripped(dst, cap, p, 3);
    if (countries_find(p, 3) == NULL)
        add_error(c, f, MRZ_CODE_UNKNOWN_CODE, MRZ_WHY_COUNTRY, 0, 0);
}

/* TD1/TD2 with '<' in the check-digit slot: the number continues in the
 * optional data up to its first '<'; the last character before that filler
 * is the check digit, computed over the nine characters and the
 * continuation. Genuine BEL and PRT cards include the '<' in the
 * computation: a deviation that only lenient mode accepts. */
static void read_long_number(struct ctx *c, const struct layout *L)
{
    struct mrz_result *r = c->r;
    const char *num = at(c, L->number), *opt = at(c, L->optional);
    size_t olen = L->optional.len;
    if (opt[0] == '<') {
        copy_stripped(r->document_number, sizeof r->document_number, num, 9);
        copy_stripped(r->optional_data, sizeof r->optional_data, opt, olen);
        r->check_number = '<';
        add_error(c, MRZ_FIELD_DOCUMENT_NUMBER, MRZ_CODE_CHECK_DIGIT, MRZ_WHY_LONG_NUMBER_EMPTY,
                  '<', 0);
        return;
    }
    size_t k = 0;
    while (k < olen && opt[k] != '<')
        k++;
    char full[32];
    memcpy(full, num, 9);
    memcpy(full + 9, opt, k - 1);
    copy_stripped(r->document_number, sizeof r->document_number, full, 9 + k - 1);
    copy_stripped(r->optional_data, sizeof r->optional_data, opt + k, olen - k);
    char cd = opt[k - 1];
    r->check_number = cd;
    int v = mrz_check_digit(full, 9 + k - 1);
    if (is_digit(cd) && v >= 0 && v != cd - '0') {
        char with[32];
        memcpy(with, num, 9);
        with[9] = '<';
        memcpy(with + 10, opt, k - 1);
        if (mrz_check_digit(with, 10 + k - 1) == cd - '0') {
            if (c->opt->lenient) {
                r->deviations |= MRZ_DEV_LONG_NUMBER_FILLER;
            } else {
                add_error(c, MRZ_FIELD_DOCUMENT_NUMBER, MRZ_CODE_CHECK_DIGIT,
                          MRZ_WHY_LONG_NUMBER_FILLER, cd, (char)('0' + v));
            }
            return;
        }
    }
    verify(c, MRZ_FIELD_DOCUMENT_NUMBER, full, 9 + k - 1, cd);
}

static void read_number(struct ctx *c, const struct layout *L)
{
    struct mrz_result *r = c->r;
    const char *num = at(c, L->number);
    char cd = *at(c, L->number_cd);
    if (L->long_number && cd == '<') {
        read_long_number(c, L);
    } else {
        copy_stripped(r->document_number, sizeof r->document_number, num, 9);
        if (L->optional.line >= 0 && L->optional_cd.line < 0)
            copy_stripped(r->optional_data, sizeof r->optional_data, at(c, L->optional),
                          L->optional.len);
        r->check_number = cd;
        verify(c, MRZ_FIELD_DOCUMENT_NUMBER, num, 9, cd);
    }
    if (r->document_number[0] == '\0')
        add_error(c, MRZ_FIELD_DOCUMENT_NUMBER, MRZ_CODE_INVALID_VALUE, MRZ_WHY_EMPTY_NUMBER, 0, 0);
}

static void read_dates(struct ctx *c, struct span birth, struct span birth_cd, struct span expiry,
                       struct span expiry_cd)
{
    struct mrz_result *r = c->r;
    int why = read_birth(c, at(c, birth), &r->birth);
    if (why >= 0)
        add_error(c, MRZ_FIELD_BIRTH_DATE, MRZ_CODE_INVALID_DATE, (enum mrz_why)why, 0, 0);
    r->check_birth = *at(c, birth_cd);
    verify(c, MRZ_FIELD_BIRTH_DATE, at(c, birth), 6, r->check_birth);
    if (expiry.line < 0)
        return;
    why = read_expiry(c, at(c, expiry), &r->expiry);
    if (why == MRZ_WHY_NO_EXPIRY && c->opt->lenient)
        r->deviations |= MRZ_DEV_NO_EXPIRY;
    else if (why >= 0)
        add_error(c, MRZ_FIELD_EXPIRY_DATE, MRZ_CODE_INVALID_DATE, (enum mrz_why)why, 0, 0);
    r->check_expiry = *at(c, expiry_cd);
    verify(c, MRZ_FIELD_EXPIRY_DATE, at(c, expiry), 6, r->check_expiry);
}

static void read_sex(struct ctx *c, struct span s)
{
    char sex = *at(c, s);
    c->r->sex = sex;
    if (sex == 'M' || sex == 'F' || sex == '<')
        return;
    if (sex == 'X' && c->opt->lenient)
        c->r->deviations |= MRZ_DEV_SEX_X;
    else
        add_error(c, MRZ_FIELD_SEX, MRZ_CODE_INVALID_VALUE,
                  sex == 'X' ? MRZ_WHY_SEX_X : MRZ_WHY_SEX, sex, 0);
}

/* TD3 personal number: an all-filler number may have '<' or '0' as its
 * check digit; otherwise the usual check digit. */
static void read_personal_number(struct ctx *c, const struct layout *L)
{
    struct mrz_result *r = c->r;
    const char *p = at(c, L->optional);
    char cd = *at(c, L->optional_cd);
    copy_stripped(r->optional_data, sizeof r->optional_data, p, L->optional.len);
    r->check_optional = cd;
    if (all_fillers(p, L->optional.len)) {
        if (cd != '<' && cd != '0')
            add_error(c, MRZ_FIELD_OPTIONAL_DATA, MRZ_CODE_CHECK_DIGIT, MRZ_WHY_PERSONAL_EMPTY, cd,
                      '0');
        return;
    }
    verify(c, MRZ_FIELD_OPTIONAL_DATA, p, L->optional.len, cd);
}

static void read_composite(struct ctx *c, const struct layout *L)
{
    char all[64];
    size_t n = 0;
    for (size_t i = 0; i < 4; i++) {
        struct span s = L->composite_parts[i];
        if (s.line < 0)
            continue;
        memcpy(all + n, at(c, s), s.len);
        n += s.len;
    }
    c->r->check_composite = *at(c, L->composite);
    verify(c, MRZ_FIELD_COMPOSITE, all, n, c->r->check_composite);
}

/* Reads every field of an ICAO layout. The lines have the right count and
 * width (checked by the caller). */
static void read_icao(struct ctx *c, const struct layout *L)
{
    struct mrz_result *r = c->r;
    r->format = L->format;
    read_document_code(c, L);
    read_country(c, L->state, MRZ_FIELD_ISSUING_STATE, r->issuing_state, sizeof r->issuing_state);
    read_number(c, L);
    read_country(c, L->nationality, MRZ_FIELD_NATIONALITY, r->nationality, sizeof r->nationality);
    read_dates(c, L->birth, L->birth_cd, L->expiry, L->expiry_cd);
    read_sex(c, L->sex);
    if (L->optional_cd.line >= 0)
        read_personal_number(c, L);
    if (L->optional2.line >= 0)
        copy_stripped(r->optional_data_2, sizeof r->optional_data_2, at(c, L->optional2),
                      L->optional2.len);
    if (L->composite.line >= 0)
        read_composite(c, L);
    read_names(c, L->name);
}

/* Reads the pre-2021 French identity card (lenient mode only). */
static void read_french(struct ctx *c)
{
    struct mrz_result *r = c->r;
    memcpy(r->document_code, "ID", 3);
    copy_stripped(r->issuing_state, sizeof r->issuing_state, c->line[0] + 2, 3);
    copy_stripped(r->nationality, sizeof r->nationality, c->line[0] + 2, 3);
    copy_stripped(r->document_number, sizeof r->document_number, at(c, fr_number), 12);
    r->check_number = *at(c, fr_number_cd);
    verify(c, MRZ_FIELD_DOCUMENT_NUMBER, at(c, fr_number), 12, r->check_number);
    copy_stripped(r->optional_data, sizeof r->optional_data, at(c, fr_office), 6);
    struct span no = NONE;
    read_dates(c, fr_birth, fr_birth_cd, no, no);
    read_sex(c, fr_sex);
    char all[72];
    memcpy(all, c->line[0], 36);
    memcpy(all + 36, c->line[1], 35);
    r->check_composite = *at(c, fr_composite);
    verify(c, MRZ_FIELD_COMPOSITE, all, 71, r->check_composite);
    collapse(r->surname, sizeof r->surname, at(c, fr_name1), fr_name1.len);
    collapse(r->given_names, sizeof r->given_names, at(c, fr_name2), fr_name2.len);
    r->names_truncated = at(c, fr_name2)[fr_name2.len - 1] != '<';
    check_name_chars(c, at(c, fr_name1), fr_name1.len);
    check_name_chars(c, at(c, fr_name2), fr_name2.len);
    r->deviations |= MRZ_DEV_FRENCH_ID;
}

static int passes(const char *s, size_t len, char cd)
{
    int v = mrz_check_digit(s, len);
    return v >= 0 && is_digit(cd) && v == cd - '0';
}

/* Two lines of 36 starting "IDFRA", or with digits where a TD2 has its name:
 * the French card when its own check digits pass more often than the TD2
 * ones (ties go to the French card only with the "IDFRA" prefix). */
static bool is_french_id(const char *l0, const char *l1)
{
    bool prefix = memcmp(l0, "IDFRA", 5) == 0;
    bool digits = false;
    for (int i = 30; i < 35; i++)
        digits = digits || is_digit(l0[i]);
    if (!prefix && !digits)
        return false;
    char all[72];
    memcpy(all, l0, 36);
    memcpy(all + 36, l1, 35);
    int fr = passes(l1, 12, l1[12]) + passes(l1 + 27, 6, l1[33]) + passes(all, 71, l1[35]);
    memcpy(all, l1, 10);
    memcpy(all + 10, l1 + 13, 7);
    memcpy(all + 17, l1 + 21, 14);
    int icao = passes(l1, 9, l1[9]) + passes(l1 + 13, 6, l1[19]) + passes(l1 + 21, 6, l1[27]) +
               passes(all, 31, l1[35]);
    return fr > icao || (fr == icao && prefix);
}

/* Picks the layout from the line count, the lengths and the first byte. */
static const struct layout *pick_layout(const char *const *lines, const size_t *lens, size_t n)
{
    if (n == 3 && lens[0] == 30 && lens[1] == 30 && lens[2] == 30)
        return &td1;
    if (n != 2 || lens[0] != lens[1])
        return NULL;
    if (lens[0] == 44)
        return lines[0][0] == 'V' ? &mrva : &td3;
    if (lens[0] == 36)
        return lines[0][0] == 'V' ? &mrvb : &td2;
    return NULL;
}

static void check_charset(struct ctx *c, const char *const *lines, const size_t *lens, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < lens[i]; j++) {
            char ch = lines[i][j];
            if (value[(unsigned char)ch] >= 0)
                continue;
            struct mrz_error *e =
                add_error(c, MRZ_FIELD_CHARSET, MRZ_CODE_CHARSET, MRZ_WHY_CHARSET, ch, 0);
            if (e != NULL) {
                e->line = (uint8_t)(i + 1 > 255 ? 255 : i + 1);
                e->col = (uint16_t)(j + 1 > 65535 ? 65535 : j + 1);
            }
            return;
        }
    }
}

static void parse_core(const char *const *lines, const size_t *lens, size_t n,
                       const struct mrz_options *opt, struct mrz_result *out);

/* Numeric positions of a layout, where OCR letters may stand for digits. */
static void numeric_spans(const struct layout *L, struct span s[6])
{
    s[0] = L->birth;
    s[1] = L->birth_cd;
    s[2] = L->expiry;
    s[3] = L->expiry_cd;
    s[4] = L->optional_cd;
    s[5] = L->composite;
}

static char ocr_digit(char ch)
{
    switch (ch) {
    case 'O':
        return '0';
    case 'I':
        return '1';
    case 'B':
        return '8';
    case 'S':
        return '5';
    case 'Z':
        return '2';
    default:
        return ch;
    }
}

static char ocr_letter(char ch)
{
    switch (ch) {
    case '0':
        return 'O';
    case '1':
        return 'I';
    case '8':
        return 'B';
    case '5':
        return 'S';
    case '2':
        return 'Z';
    default:
        return ch;
    }
}

static void add_suggestion(struct mrz_result *r, enum mrz_field f, const char *from, const char *to,
                           size_t len, bool verified)
{
    if (r->n_suggestions >= MRZ_MAX_SUGGESTIONS || len == 0)
        return;
    struct mrz_suggestion *s = &r->suggestions[r->n_suggestions++];
    if (len >= sizeof s->from)
        len = sizeof s->from - 1;
    s->field = f;
    memcpy(s->from, from, len);
    s->from[len] = '\0';
    memcpy(s->to, to, len);
    s->to[len] = '\0';
    s->verified = verified;
}

/* Adds a suggestion for field f when the corrected reading fixed it. The
 * suggestion shows span a and span b (its check digit) as printed and as
 * corrected. */
static void suggest_if_fixed(struct mrz_result *r, const struct mrz_result *fixed, enum mrz_field f,
                             const char *const *orig, char (*corr)[64], struct span a,
                             struct span b)
{
    if (!has_error(r, f) || has_error(fixed, f))
        return;
    char from[48], to[48];
    size_t n = 0;
    struct span parts[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        if (parts[i].line < 0 || n + parts[i].len > sizeof from)
            continue;
        memcpy(from + n, orig[parts[i].line] + parts[i].col, parts[i].len);
        memcpy(to + n, corr[parts[i].line] + parts[i].col, parts[i].len);
        n += parts[i].len;
    }
    if (n > 0 && memcmp(from, to, n) != 0)
        add_suggestion(r, f, from, to, n, true);
}

/* OCR hints for numeric fields: swaps O I B S Z for 0 1 8 5 2 in the dates
 * and check digits, re-reads the document, and reports each field that the
 * swap repairs. The data itself is left as printed. */
static void suggest_numeric(struct ctx *c, const struct layout *L)
{
    char corr[3][64];
    const char *cl[3];
    size_t lens[3];
    struct span s[6];
    bool changed = false;
    numeric_spans(L, s);
    for (size_t i = 0; i < L->n_lines; i++) {
        memcpy(corr[i], c->line[i], L->width);
        cl[i] = corr[i];
        lens[i] = L->width;
    }
    for (int k = 0; k < 6; k++) {
        for (size_t j = 0; s[k].line >= 0 && j < s[k].len; j++) {
            char *p = &corr[s[k].line][s[k].col + j];
            changed = changed || ocr_digit(*p) != *p;
            *p = ocr_digit(*p);
        }
    }
    char cd = *at(c, L->number_cd);
    if (!(L->long_number && cd == '<') && ocr_digit(cd) != cd) {
        corr[L->number_cd.line][L->number_cd.col] = ocr_digit(cd);
        changed = true;
    }
    if (!changed)
        return;
    struct mrz_options o = *c->opt;
    struct mrz_result fixed;
    parse_core(cl, lens, L->n_lines, &o, &fixed);
    struct span none = NONE;
    suggest_if_fixed(c->r, &fixed, MRZ_FIELD_DOCUMENT_NUMBER, c->line, corr, L->number,
                     L->number_cd);
    suggest_if_fixed(c->r, &fixed, MRZ_FIELD_BIRTH_DATE, c->line, corr, L->birth, L->birth_cd);
    suggest_if_fixed(c->r, &fixed, MRZ_FIELD_EXPIRY_DATE, c->line, corr, L->expiry, L->expiry_cd);
    if (L->optional_cd.line >= 0)
        suggest_if_fixed(c->r, &fixed, MRZ_FIELD_OPTIONAL_DATA, c->line, corr, L->optional,
                         L->optional_cd);
    if (L->composite.line >= 0)
        suggest_if_fixed(c->r, &fixed, MRZ_FIELD_COMPOSITE, c->line, corr, L->composite, none);
}

/* OCR hints for letter fields: a country code with 0 1 8 5 2 that becomes a
 * known code (verified against the table), and a name with those digits
 * (unverified: no check digit covers a name). */
static void suggest_letters(struct ctx *c, const struct layout *L)
{
    struct span codes[2] = {L->state, L->nationality};
    enum mrz_field fields[2] = {MRZ_FIELD_ISSUING_STATE, MRZ_FIELD_NATIONALITY};
    for (int k = 0; k < 2; k++) {
        const char *p = at(c, codes[k]);
        char to[3] = {ocr_letter(p[0]), ocr_letter(p[1]), ocr_letter(p[2])};
        if (has_error(c->r, fields[k]) && memcmp(p, to, 3) != 0 && countries_find(to, 3))
            add_suggestion(c->r, fields[k], p, to, 3, true);
    }
    const char *n = at(c, L->name);
    char to[48];
    bool changed = false, letters = true;
    for (size_t i = 0; i < L->name.len; i++) {
        to[i] = ocr_letter(n[i]);
        changed = changed || to[i] != n[i];
        letters = letters && (is_alpha(to[i]) || to[i] == '<');
    }
    size_t len = L->name.len;
    while (len > 0 && n[len - 1] == '<')
        len--;
    if (changed && letters)
        add_suggestion(c->r, MRZ_FIELD_NAMES, n, to, len, false);
}

static void parse_core(const char *const *lines, const size_t *lens, size_t n,
                       const struct mrz_options *opt, struct mrz_result *out)
{
    /* Cleared up to the error list; entries past the counts are not read. */
    memset(out, 0, offsetof(struct mrz_result, errors));
    out->n_suggestions = 0;
    struct ctx c = {.opt = opt, .r = out};
    time_civil_from_days(opt->today, &c.ty, &c.tm, &c.td);
    out->lenient = opt->lenient;
    out->n_lines = n;
    for (size_t i = 0; i < n && i < MRZ_MAX_LINE_LENS; i++)
        out->line_len[i] = lens[i];
    check_charset(&c, lines, lens, n);
    if (n == 0) {
        add_error(&c, MRZ_FIELD_LINES, MRZ_CODE_LENGTH, MRZ_WHY_NO_LINES, 0, 0);
        return;
    }
    const struct layout *L = pick_layout(lines, lens, n);
    if (L == NULL) {
        add_error(&c, MRZ_FIELD_LINES, MRZ_CODE_LENGTH, MRZ_WHY_SHAPE, 0, 0);
        return;
    }
    for (size_t i = 0; i < L->n_lines; i++)
        c.line[i] = lines[i];
    if (L->format == MRZ_FORMAT_TD2 && is_french_id(lines[0], lines[1])) {
        out->layout = MRZ_LAYOUT_FRENCH_ID;
        if (opt->lenient)
            read_french(&c);
        else
            add_error(&c, MRZ_FIELD_LINES, MRZ_CODE_INVALID_VALUE, MRZ_WHY_FRENCH_ID, 0, 0);
        return;
    }
    read_icao(&c, L);
}

int mrz_parse(const char *const *lines, const size_t *lens, size_t n_lines,
              const struct mrz_options *opt, struct mrz_result *out)
{
    if (out == NULL || opt == NULL || (n_lines > 0 && (lines == NULL || lens == NULL)))
        return ERR_INVALID;
    parse_core(lines, lens, n_lines, opt, out);
    if (out->n_errors > 0 && out->format != MRZ_FORMAT_UNKNOWN) {
        const struct layout *L = pick_layout(lines, lens, n_lines);
        struct ctx c = {.opt = opt, .r = out};
        for (size_t i = 0; i < L->n_lines; i++)
            c.line[i] = lines[i];
        suggest_numeric(&c, L);
        suggest_letters(&c, L);
    }
    out->valid = out->n_errors == 0;
    return 0;
}

const char *mrz_format_name(enum mrz_format f)
{
    switch (f) {
    case MRZ_FORMAT_TD1:
        return "TD1";
    case MRZ_FORMAT_TD2:
        return "TD2";
    case MRZ_FORMAT_TD3:
        return "TD3";
    case MRZ_FORMAT_MRVA:
        return "MRVA";
    case MRZ_FORMAT_MRVB:
        return "MRVB";
    case MRZ_FORMAT_UNKNOWN:
        break;
    }
    return "UNKNOWN";
}

const char *mrz_field_name(enum mrz_field f)
{
    static const char *const names[] = {
        [MRZ_FIELD_LINES] = "lines",
        [MRZ_FIELD_CHARSET] = "charset",
        [MRZ_FIELD_DOCUMENT_CODE] = "document_code",
        [MRZ_FIELD_ISSUING_STATE] = "issuing_state",
        [MRZ_FIELD_DOCUMENT_NUMBER] = "document_number",
        [MRZ_FIELD_NATIONALITY] = "nationality",
        [MRZ_FIELD_BIRTH_DATE] = "birth_date",
        [MRZ_FIELD_SEX] = "sex",
        [MRZ_FIELD_EXPIRY_DATE] = "expiry_date",
        [MRZ_FIELD_OPTIONAL_DATA] = "optional_data",
        [MRZ_FIELD_COMPOSITE] = "composite",
        [MRZ_FIELD_NAMES] = "names",
    };
    return (size_t)f < sizeof names / sizeof names[0] ? names[f] : "lines";
}

const char *mrz_code_name(enum mrz_code c)
{
    static const char *const names[] = {
        [MRZ_CODE_LENGTH] = "length",
        [MRZ_CODE_CHARSET] = "charset",
        [MRZ_CODE_CHECK_DIGIT] = "check_digit",
        [MRZ_CODE_INVALID_DATE] = "invalid_date",
        [MRZ_CODE_UNKNOWN_CODE] = "unknown_code",
        [MRZ_CODE_INVALID_VALUE] = "invalid_value",
    };
    return (size_t)c < sizeof names / sizeof names[0] ? names[c] : "invalid_value";
}

const char *mrz_deviation_name(enum mrz_deviation d)
{
    switch (d) {
    case MRZ_DEV_LONG_NUMBER_FILLER:
        return "long_number_check_includes_filler";
    case MRZ_DEV_NO_EXPIRY:
        return "no_expiry_date";
    case MRZ_DEV_SEX_X:
        return "sex_x";
    case MRZ_DEV_FRENCH_ID:
        return "french_national_id";
    }
    return "unknown";
}

const char *mrz_deviation_text(enum mrz_deviation d)
{
    switch (d) {
    case MRZ_DEV_LONG_NUMBER_FILLER:
        return "long document number check digit computed with the '<' of the check-digit "
               "slot included (BEL/PRT cards)";
    case MRZ_DEV_NO_EXPIRY:
        return "expiry date left as fillers (cards without an end of validity)";
    case MRZ_DEV_SEX_X:
        return "sex printed as X in the MRZ";
    case MRZ_DEV_FRENCH_ID:
        return "read as a pre-2021 French national identity card, not an ICAO layout";
    }
    return "unknown deviation";
}

const char *mrz_why_text(enum mrz_why w)
{
    static const char *const text[] = {
        [MRZ_WHY_NO_LINES] = "no MRZ lines",
        [MRZ_WHY_SHAPE] = "line count and lengths match no MRZ format (TD1 3x30, TD2 and "
                          "MRV-B 2x36, TD3 and MRV-A 2x44)",
        [MRZ_WHY_FRENCH_ID] = "pre-2021 French national identity card: a national 2x36 layout, "
                              "not an ICAO TD2 (lenient mode reads it)",
        [MRZ_WHY_CHARSET] = "character outside A-Z, 0-9 and <",
        [MRZ_WHY_CHECK_MISMATCH] = "check digit does not match",
        [MRZ_WHY_CHECK_NOT_DIGIT] = "check digit position does not hold a digit",
        [MRZ_WHY_CHECK_UNCOMPUTABLE] = "check digit cannot be computed: the field holds "
                                       "characters outside A-Z, 0-9 and <",
        [MRZ_WHY_LONG_NUMBER_EMPTY] = "check-digit slot holds '<' (long document number) but "
                                      "the optional data holds no continuation",
        [MRZ_WHY_LONG_NUMBER_FILLER] = "long document number check digit only matches with the "
                                       "'<' included, a BEL/PRT deviation from ICAO 9303 "
                                       "(accepted with --lenient)",
        [MRZ_WHY_PERSONAL_EMPTY] = "empty personal number: the check digit must be < or 0",
        [MRZ_WHY_DATE] = "not a calendar date (YYMMDD)",
        [MRZ_WHY_DATE_UNKNOWN_PARTS] = "'<' in a date where no part may be unknown (only the "
                                       "day, or the month and day, of a birth date may be <<)",
        [MRZ_WHY_NO_EXPIRY] = "expiry date is all fillers (accepted with --lenient)",
        [MRZ_WHY_SEX] = "sex must be M, F or <",
        [MRZ_WHY_SEX_X] = "sex X is not allowed in the MRZ, only M, F or < (accepted with "
                          "--lenient)",
        [MRZ_WHY_COUNTRY] = "not an ICAO 9303 country or organisation code",
        [MRZ_WHY_DOC_CODE] = "document code not allowed for this format (TD1/TD2: A, C or I "
                             "and not V second; TD3: P; visas: V)",
        [MRZ_WHY_EMPTY_NUMBER] = "document number is empty",
        [MRZ_WHY_NAME_CHARSET] = "name holds characters other than A-Z and <",
        [MRZ_WHY_NAME_LEADING_FILLER] = "name starts with a single '<'",
    };
    return (size_t)w < sizeof text / sizeof text[0] && text[w] ? text[w] : "invalid";
}
