/* watchlist: the watchlist entry, its validation, and the parsers of the
 * CSV and JSON-lines import formats of CONTRACT.md ("lintas watchlist
 * import"). An entry is a person, organisation, document, phone or address
 * with a primary name and aliases (each strong or weak), birth dates (exact,
 * partial or ranges), nationalities, documents, and the administrative
 * fields (category, action, list, source, legal basis, owner, validity,
 * review date, notes). Parsers work on bytes in memory, hand each entry to a
 * caller's sink, and stop at the first bad row with an error that names the
 * file, the line and the field. Pure: no I/O, no clock (pass "today"). */
#ifndef LINTAS_DOMAIN_WATCHLIST_H
#define LINTAS_DOMAIN_WATCHLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/names.h"

enum wl_kind {
    WL_KIND_NONE = 0,
    WL_KIND_PERSON,
    WL_KIND_ORGANIZATION,
    WL_KIND_DOCUMENT,
    WL_KIND_PHONE,
    WL_KIND_ADDRESS,
};

enum wl_category {
    WL_CAT_NONE = 0,
    WL_CAT_TRAFFICKER,
    WL_CAT_RECRUITER,
    WL_CAT_FACILITATOR,
    WL_CAT_PROTECTED_VICTIM,
    WL_CAT_LOST_STOLEN_DOCUMENT,
    WL_CAT_WANTED,
    WL_CAT_SANCTIONED,
    WL_CAT_OTHER,
};

enum wl_action {
    WL_ACT_NONE = 0,
    WL_ACT_REFUSE_DEPARTURE,
    WL_ACT_SECONDARY_INSPECTION,
    WL_ACT_NOTIFY_FOCAL_POINT,
    WL_ACT_PROTECT,
};

/* "no date" for valid_from, valid_until and review_date. */
#define WL_NO_DATE INT32_MIN

#define WL_MAX_NAMES 64   /* primary + aliases kept per entry */
#define WL_MAX_FIELD 4096 /* bytes of one free-text field (LIMIT_NOTE) */
#define WL_MAX_ID 128     /* bytes of a source id or list name */
#define WL_MAX_DOCS 16    /* documents kept per entry (distinct numbers: NAMES_MAX_DOC) */
#define WL_MAX_DOC_TYPE 128   /* bytes of a document type */
#define WL_MAX_DOC_NUMBER 128 /* bytes of a document number as written */

struct wl_name {
    char *name; /* owned, UTF-8 */
    bool weak;  /* a weak alias (OFAC "weak a.k.a.", UN quality "Low") */
};

/* One identity document of an entry. */
struct wl_document {
    char *type;      /* owned, may be NULL: free text as the source gives it ("Passport",
                      * "National ID No.", "P"), at most WL_MAX_DOC_TYPE bytes */
    char *number;    /* owned, as written, at most WL_MAX_DOC_NUMBER bytes */
    char country[4]; /* issuing country: ICAO 9303 code, or "" when unknown */
};

/* One entry. All pointers are owned by the entry (wl_entry_free). names[0]
 * is the primary name (for a document entry it may be absent). */
struct wl_entry {
    char *id;          /* source id, required */
    char *list;        /* list name ("UN", "OFAC", "local"), may be NULL */
    char *source;      /* where it came from ("csv", "ofac", "un", ...), may be NULL */
    int kind;          /* enum wl_kind */
    int category;      /* enum wl_category */
    int action;        /* enum wl_action */
    size_t nnames;
    struct wl_name *names;
    struct names_facts facts; /* birth dates, nationalities, document numbers */
    size_t ndocs;             /* at most WL_MAX_DOCS */
    struct wl_document *docs; /* every document number, with its type and country */
    char *phone;       /* digits only, for phone entries; may be NULL */
    char *legal_basis, *owner, *created_by, *notes; /* may be NULL */
    int32_t valid_from, valid_until, review_date;  /* days since 1970-01-01 or WL_NO_DATE */
};

/* Clears e to an empty entry (dates WL_NO_DATE). */
void wl_entry_init(struct wl_entry *e);
/* Frees what e owns and re-initialises it. NULL is a no-op. */
void wl_entry_free(struct wl_entry *e);
/* Deep copy of src into dst (dst is overwritten, not freed). ERR_NOMEM. */
int wl_entry_copy(struct wl_entry *dst, const struct wl_entry *src);

/* Adds a name (copied). Empty names are ignored; ERR_LIMIT past
 * WL_MAX_NAMES or a name longer than LIMIT_NAME; ERR_INVALID for bad UTF-8. */
int wl_entry_add_name(struct wl_entry *e, const char *name, bool weak);
/* Adds a document (copied; number normalised into facts too). type may be
 * NULL or ""; country may be NULL, "" or anything names_country_code()
 * reads ("IDN", "Indonesia"), and is kept as "" when it cannot be read. A
 * number already held (the same once normalised) whose type and country
 * do not conflict with these (equal, letter case aside, or one empty) is
 * the same document: its empty parts are filled in; otherwise it is one
 * more document. Documents past WL_MAX_DOCS and numbers past NAMES_MAX_DOC
 * are ignored (neither kept nor matched). A number written with more than
 * WL_MAX_DOC_NUMBER bytes is kept in its normal form. ERR_INVALID when the
 * number is not printable text or has no letter or digit or too many
 * (NAMES_DOC_MAX), or the type is not printable text; ERR_LIMIT for a type
 * over WL_MAX_DOC_TYPE bytes; ERR_NOMEM. */
int wl_entry_add_doc(struct wl_entry *e, const char *type, const char *number,
                     const char *country);
/* Sets *field to a copy of s (NULL or "" clears). ERR_NOMEM. */
int wl_set_str(char **field, const char *s);

/* Enum text, as in CONTRACT.md; "" for 0. */
const char *wl_kind_str(int kind);
const char *wl_category_str(int category);
const char *wl_action_str(int action);
/* Parses the text; 0 with *out set, or ERR_INVALID. */
int wl_kind_parse(const char *s, int *out);
int wl_category_parse(const char *s, int *out);
int wl_action_parse(const char *s, int *out);

/* Checks an entry: id present and at most WL_MAX_ID bytes of printable
 * text; kind set; a name for persons and organisations; a document number
 * for documents; a phone for phones; valid_from <= valid_until. Returns 0 or
 * ERR_INVALID with the offending field name in *field (static string). */
int wl_entry_validate(const struct wl_entry *e, const char **field);

/* True when the entry is in force on day today (days since the epoch):
 * valid_from <= today <= valid_until, missing bounds open. */
bool wl_entry_active(const struct wl_entry *e, int32_t today);

/* Error of a parser: file, line (1-based, 0 when not tied to a line), field
 * (may be ""), and a message. */
struct wl_error {
    char file[256];
    size_t line;
    char field[64];
    char message[256];
};

/* Formats "file:line: field 'x': message" into out. */
void wl_error_format(const struct wl_error *err, char *out, size_t outsz);

/* Receives each parsed entry. e is borrowed for the call (the sink copies
 * what it keeps, or moves it out and leaves e initialised). A non-zero
 * return stops the parse and is returned by the parser. */
typedef int (*wl_sink_fn)(void *ctx, struct wl_entry *e);

/* Parses a CSV import (CONTRACT.md columns; header required, order free,
 * unknown columns an error) from data[0..len). file names the file in
 * errors; list and source, when not NULL, are set on each entry. Returns 0,
 * or ERR_INVALID/ERR_LIMIT with err filled, or the sink's error. */
int wl_parse_csv(const char *data, size_t len, const char *file, const char *list,
                 const char *source, wl_sink_fn sink, void *ctx, struct wl_error *err);
/* Same for JSON lines: one object per line with the CSV field names;
 * "aliases" and "document_numbers" may also be arrays, "birth_date" and
 * "nationality" may be arrays; "documents" may be an array of objects
 * {"number", "type", "issuer"} (or of "TYPE:ISSUER:NUMBER" strings); blank
 * lines are skipped.
 *
 * The "documents" column (CSV) or string (JSON) is '|'-separated items
 * TYPE:ISSUER:NUMBER: the number after the last ':', the issuer before it,
 * the type the rest (so a type may hold ':'); type and issuer may be empty.
 * The issuer is an ICAO 9303 code, as a nationality is. */
int wl_parse_jsonl(const char *data, size_t len, const char *file, const char *list,
                   const char *source, wl_sink_fn sink, void *ctx, struct wl_error *err);

#endif
