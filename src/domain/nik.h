/* nik: the Indonesian national identity number (Nomor Induk Kependudukan),
 * 16 digits laid out PP KK CC DDMMYY SSSS: province, regency or city (01-69
 * regencies, 71 and above cities), district, birth date with 40 added to the
 * day for women, and a serial from 0001. There is no check digit, so a NIK
 * is validated by structure only: known province code, non-zero region
 * codes, a real birth date, a non-zero serial. The province is the one where
 * the NIK was first registered; a NIK never changes when its region splits,
 * so the codes of provinces that have since been divided stay valid. The
 * century is not encoded: the birth year is the most recent one not after
 * today. Pure and thread-safe: no I/O, no allocation, no clock. */
#ifndef LINTAS_DOMAIN_NIK_H
#define LINTAS_DOMAIN_NIK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NIK_LEN 16
#define NIK_ECHO_MAX 32 /* bytes of the input kept in the result */
#define NIK_MAX_ERRORS 8

enum nik_province_status {
    NIK_PROVINCE_CURRENT = 0, /* a province today */
    NIK_PROVINCE_LEGACY,      /* no longer a province; still found on older NIKs */
};

struct nik_province {
    const char *code; /* two digits, Kemendagri (Dukcapil) numbering */
    const char *name;
    enum nik_province_status status;
    /* NULL, or which newer provinces NIKs with this code may now live in
     * (e.g. 91 Papua before the 2022 split). */
    const char *split_note;
};

/* Number of province codes, and entry i (NULL past the end), in code
 * order. Borrowed from static storage. */
size_t nik_province_count(void);
const struct nik_province *nik_province_at(size_t i);
/* The province with code s[0..2), or NULL. */
const struct nik_province *nik_province_find(const char *s);
/* "current" or "legacy". Static. */
const char *nik_province_status_name(enum nik_province_status s);

enum nik_field {
    NIK_FIELD_NIK = 0,
    NIK_FIELD_PROVINCE,
    NIK_FIELD_REGENCY,
    NIK_FIELD_DISTRICT,
    NIK_FIELD_BIRTH_DATE,
    NIK_FIELD_SERIAL,
};

enum nik_code {
    NIK_CODE_LENGTH = 0,
    NIK_CODE_CHARSET,
    NIK_CODE_UNKNOWN_CODE,
    NIK_CODE_INVALID_VALUE,
    NIK_CODE_INVALID_DATE,
};

enum nik_why {
    NIK_WHY_LENGTH = 0,
    NIK_WHY_CHARSET,
    NIK_WHY_PROVINCE,
    NIK_WHY_REGENCY_ZERO,
    NIK_WHY_REGENCY_70,
    NIK_WHY_DISTRICT_ZERO,
    NIK_WHY_DAY,   /* not 01-31 (men) or 41-71 (women) */
    NIK_WHY_MONTH, /* not 01-12 */
    NIK_WHY_DATE,  /* no such calendar day in the resolved year */
    NIK_WHY_SERIAL_ZERO,
};

struct nik_error {
    enum nik_field field;
    enum nik_code code;
    enum nik_why why;
};

struct nik_result {
    bool valid;
    char input[NIK_ECHO_MAX + 1]; /* first bytes of the input, as given */
    size_t input_len;             /* full length of the input */
    bool read;                    /* 16 bytes: the fields below were read */
    char province_code[3], regency_code[5], district_code[7], serial[5];
    const struct nik_province *province; /* NULL when unknown */
    bool city;                           /* regency code 71 or above */
    char sex;                            /* 'M', 'F', or 0 when the day is unreadable */
    bool birth_valid;
    int birth_year, birth_month, birth_day;
    size_t n_errors;
    struct nik_error errors[NIK_MAX_ERRORS];
};

/* Parses s[0..len) (any bytes; no terminator is read) as a NIK, resolving
 * the century against today (days since 1970-01-01). Fills *out completely.
 * Every failure is listed. Returns 0, or ERR_INVALID when s (with len > 0)
 * or out is NULL. */
int nik_parse(const char *s, size_t len, int64_t today, struct nik_result *out);

/* CONTRACT names of a field and a code, and an English phrase for a why.
 * Static, never NULL. */
const char *nik_field_name(enum nik_field f);
const char *nik_code_name(enum nik_code c);
const char *nik_why_text(enum nik_why w);

#endif
