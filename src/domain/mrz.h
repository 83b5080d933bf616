/* mrz: reads and checks the machine-readable zone of a travel document as
 * ICAO Doc 9303 defines it: TD1 (3x30), TD2 (2x36), TD3 passports (2x44)
 * and the MRV-A (2x44) and MRV-B (2x36) visas. It tells the format from the
 * line count, the line lengths and the document code; reads every field at
 * its ICAO position even when the document is invalid; and lists every
 * failure with the field it concerns, not only the first. Strict ICAO by
 * default; the lenient option accepts a few known national deviations and
 * records which one it applied. It also recognises the pre-2021 French
 * identity card, whose 2x36 lines are not a TD2, and suggests OCR
 * corrections (O->0, I->1, B->8, S->5, Z->2 in numeric fields) that make a
 * check digit pass, without ever applying them to the data.
 *
 * Pure: no I/O, no allocation, no clock (the caller passes today's date), no
 * mutable state. Every function is thread-safe. docs/documents.md describes
 * the rules. */
#ifndef LINTAS_DOMAIN_MRZ_H
#define LINTAS_DOMAIN_MRZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MRZ_MAX_ERRORS 24
#define MRZ_MAX_SUGGESTIONS 8
#define MRZ_MAX_DEVIATIONS 4
#define MRZ_MAX_LINE_LENS 4 /* line lengths kept for the report on a bad shape */

enum mrz_format {
    MRZ_FORMAT_UNKNOWN = 0,
    MRZ_FORMAT_TD1,
    MRZ_FORMAT_TD2,
    MRZ_FORMAT_TD3,
    MRZ_FORMAT_MRVA,
    MRZ_FORMAT_MRVB,
};

enum mrz_layout {
    MRZ_LAYOUT_ICAO = 0,
    MRZ_LAYOUT_FRENCH_ID, /* pre-2021 French national identity card (2x36) */
};

/* The field an error concerns; names are CONTRACT.md's vocabulary. */
enum mrz_field {
    MRZ_FIELD_LINES = 0,
    MRZ_FIELD_CHARSET,
    MRZ_FIELD_DOCUMENT_CODE,
    MRZ_FIELD_ISSUING_STATE,
    MRZ_FIELD_DOCUMENT_NUMBER,
    MRZ_FIELD_NATIONALITY,
    MRZ_FIELD_BIRTH_DATE,
    MRZ_FIELD_SEX,
    MRZ_FIELD_EXPIRY_DATE,
    MRZ_FIELD_OPTIONAL_DATA,
    MRZ_FIELD_COMPOSITE,
    MRZ_FIELD_NAMES,
};

enum mrz_code {
    MRZ_CODE_LENGTH = 0,
    MRZ_CODE_CHARSET,
    MRZ_CODE_CHECK_DIGIT,
    MRZ_CODE_INVALID_DATE,
    MRZ_CODE_UNKNOWN_CODE,
    MRZ_CODE_INVALID_VALUE,
};

/* Why an error was raised: selects the message. */
enum mrz_why {
    MRZ_WHY_NO_LINES = 0,
    MRZ_WHY_SHAPE,               /* line count and lengths match no format */
    MRZ_WHY_FRENCH_ID,           /* pre-2021 French identity card layout */
    MRZ_WHY_CHARSET,             /* a byte outside A-Z 0-9 < */
    MRZ_WHY_CHECK_MISMATCH,      /* computed check digit differs */
    MRZ_WHY_CHECK_NOT_DIGIT,     /* check-digit position holds no digit */
    MRZ_WHY_CHECK_UNCOMPUTABLE,  /* the checked field holds bytes outside A-Z 0-9 < */
    MRZ_WHY_LONG_NUMBER_EMPTY,   /* '<' in the check-digit slot, no continuation */
    MRZ_WHY_LONG_NUMBER_FILLER,  /* check digit only matches with the '<' included */
    MRZ_WHY_PERSONAL_EMPTY,      /* empty personal number: check digit must be < or 0 */
    MRZ_WHY_DATE,                /* not a calendar date */
    MRZ_WHY_DATE_UNKNOWN_PARTS,  /* '<' where the date may not have unknown parts */
    MRZ_WHY_NO_EXPIRY,           /* expiry all fillers */
    MRZ_WHY_SEX,                 /* not M, F or < */
    MRZ_WHY_SEX_X,               /* X: allowed in the visual zone, not in the MRZ */
    MRZ_WHY_COUNTRY,             /* not an ICAO 9303 code */
    MRZ_WHY_DOC_CODE,            /* wrong document code for the format */
    MRZ_WHY_EMPTY_NUMBER,        /* document number is all fillers */
    MRZ_WHY_NAME_CHARSET,        /* name holds bytes other than A-Z < */
    MRZ_WHY_NAME_LEADING_FILLER, /* name starts with a single '<' */
};

struct mrz_error {
    enum mrz_field field;
    enum mrz_code code;
    enum mrz_why why;
    char got;     /* the check digit printed, or the bad byte (MRZ_WHY_CHARSET) */
    char want;    /* the check digit computed, else 0 */
    uint8_t line; /* MRZ_WHY_CHARSET: 1-based line of the first bad byte */
    uint16_t col; /* MRZ_WHY_CHARSET: its 1-based column */
};

/* Deviations from ICAO 9303 that lenient mode accepts (bit flags). */
enum mrz_deviation {
    MRZ_DEV_LONG_NUMBER_FILLER = 1u << 0, /* BEL/PRT: long-number check digit includes the '<' */
    MRZ_DEV_NO_EXPIRY = 1u << 1,          /* expiry '<<<<<<' on cards without an end date */
    MRZ_DEV_SEX_X = 1u << 2,              /* sex X in the MRZ */
    MRZ_DEV_FRENCH_ID = 1u << 3,          /* read as the pre-2021 French identity card */
};

enum mrz_precision {
    MRZ_DATE_NONE = 0, /* not a date, or every part unknown */
    MRZ_DATE_YEAR,     /* YY<<<< (birth only) */
    MRZ_DATE_MONTH,    /* YYMM<< (birth only) */
    MRZ_DATE_DAY,
};

struct mrz_date {
    char raw[7]; /* the six characters as printed */
    enum mrz_precision precision;
    int year, month, day; /* meaningful up to precision; century resolved */
};

/* An OCR correction that would make a field pass. Never applied. */
struct mrz_suggestion {
    enum mrz_field field;
    char from[48]; /* the characters as printed (field and its check digit) */
    char to[48];   /* the same with the letters swapped */
    bool verified; /* a check digit or the code table confirms it */
};

struct mrz_options {
    bool lenient;
    int64_t today; /* days since 1970-01-01: resolves two-digit years */
};

/* Everything read from one document. Strings are NUL-terminated copies of
 * the bytes at the ICAO positions (fillers removed as documented), so they
 * may hold bytes outside A-Z 0-9 < when the input did; escape before output.
 * For format UNKNOWN the ICAO fields are empty. Only the first n_errors
 * errors and n_suggestions suggestions are meaningful. */
struct mrz_result {
    enum mrz_format format;
    enum mrz_layout layout;
    bool valid;
    bool lenient; /* the options asked for lenient mode */
    size_t n_lines;
    size_t line_len[MRZ_MAX_LINE_LENS];
    char document_code[3];
    char issuing_state[4];
    char nationality[4];
    char document_number[32];
    char sex; /* as printed; 0 when not read */
    struct mrz_date birth, expiry;
    char surname[48];
    char given_names[48];
    bool names_truncated; /* the name field is full to its last position */
    char optional_data[24];
    char optional_data_2[16];
    /* Check digits as printed; 0 when the format has none at that place. */
    char check_number, check_birth, check_expiry, check_optional, check_composite;
    unsigned deviations; /* enum mrz_deviation bits applied (lenient mode) */
    size_t n_errors;
    struct mrz_error errors[MRZ_MAX_ERRORS];
    size_t n_suggestions;
    struct mrz_suggestion suggestions[MRZ_MAX_SUGGESTIONS];
};

/* Parses one document of n_lines lines; line i is lines[i][0..lens[i]) and
 * may hold any bytes, NUL included (no terminator is read). Fills *out
 * (cleared first, except error and suggestion entries past their counts).
 * Returns 0, or ERR_INVALID when lines or lens is NULL while n_lines > 0,
 * or out or opt is NULL. Any number of lines of any length is accepted;
 * only their count and lengths are looked at when they match no format.
 * Takes under a microsecond for a valid document (bench/bench_mrz). */
int mrz_parse(const char *const *lines, const size_t *lens, size_t n_lines,
              const struct mrz_options *opt, struct mrz_result *out);

/* ICAO 9303 check digit (weights 7,3,1; 0-9, A-Z = 10-35, '<' = 0) of
 * s[0..len); -1 when s holds any other byte. */
int mrz_check_digit(const char *s, size_t len);

/* Static names: "TD1"..."MRVB", "UNKNOWN"; CONTRACT field and code names;
 * the deviation's stable name ("long_number_check_includes_filler", ...);
 * an English phrase for a why. Never NULL. */
const char *mrz_format_name(enum mrz_format f);
const char *mrz_field_name(enum mrz_field f);
const char *mrz_code_name(enum mrz_code c);
const char *mrz_deviation_name(enum mrz_deviation d);
const char *mrz_deviation_text(enum mrz_deviation d);
const char *mrz_why_text(enum mrz_why w);

#endif
