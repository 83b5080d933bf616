/* documents: the identity-document use case shared by the command line and
 * the HTTP API. It runs the pure readers of domain/mrz and domain/nik and
 * renders their results as the JSON objects of CONTRACT.md (`lintas mrz`,
 * `lintas nik`, POST /api/v1/documents/parse), with messages for every
 * error, the deviations lenient mode applied, OCR suggestions and the soft
 * flags of a NIK-to-document cross-check. Text read from a document is
 * escaped for JSON: any byte outside printable ASCII is shown as '?'.
 * No I/O and no clock (callers pass today); thread-safe. */
#ifndef LINTAS_SERVICES_DOCUMENTS_H
#define LINTAS_SERVICES_DOCUMENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/mrz.h"
#include "domain/nik.h"

struct buf;

/* Most lines one MRZ document may have in an API body. */
#define DOCUMENTS_MAX_MRZ_LINES 16u
/* Most bytes of a NIK string in an API body. */
#define DOCUMENTS_MAX_NIK 256u

/* What a travel document says about its holder, for the cross-check. */
struct documents_person {
    enum mrz_precision precision; /* MRZ_DATE_NONE: birth date unknown */
    int year, month, day;
    char sex; /* 'M', 'F', or anything else for unknown */
};

/* The `lintas mrz` object for r: CONTRACT fields plus "lenient",
 * "layout" (only for a recognised national layout), "names_truncated",
 * "birth_date_raw", "expiry_date_raw", "check_digits", "issuing_state_name",
 * "nationality_name", "deviations" and "suggestions". Returns a new
 * reference, or NULL when memory runs out. */
json_t *documents_mrz_json(const struct mrz_result *r);

/* The `lintas nik` object for r: CONTRACT fields plus "regency_kind" and
 * "province_note" (when the province was split). New reference or NULL. */
json_t *documents_nik_json(const struct nik_result *r);

/* Fills *p from an MRZ result (birth date and sex). */
void documents_person_from_mrz(const struct mrz_result *r, struct documents_person *p);

/* Soft flags from comparing a NIK with document data: "birth_date_mismatch"
 * and "sex_mismatch" objects {"code", "field", "message", "nik",
 * "document"}. A NIK does not encode the century, so years that differ by a
 * multiple of 100 agree; unknown parts are not compared. Never an error.
 * Returns a new array (possibly empty), or NULL when memory runs out. */
json_t *documents_cross_check(const struct nik_result *nik, const struct documents_person *doc);

/* Parses one MRZ document and renders it: *out is a new reference. 0, or
 * ERR_NOMEM (then *out is NULL). Arguments as mrz_parse(). */
int documents_mrz(const char *const *lines, const size_t *lens, size_t n_lines, bool lenient,
                  int64_t today, json_t **out);

/* Parses one NIK and renders it: *out is a new reference. 0 or ERR_NOMEM. */
int documents_nik(const char *s, size_t len, int64_t today, json_t **out);

/* Answers a POST /api/v1/documents/parse body (borrowed):
 *   {"mrz": ["line", ...], "lenient": bool}  -> the `lintas mrz` object;
 *   {"nik": "...", "birth_date": "YYYY[-MM[-DD]]", "sex": "M"|"F"|"X"|"<"}
 *                                            -> the `lintas nik` object, with
 *      "flags" when birth_date or sex was given to cross-check;
 *   {"mrz": [...], "nik": "...", "lenient": bool}
 *                                            -> the `lintas mrz` object with
 *      "nik" (the `lintas nik` object) and "flags" (the cross-check).
 * An invalid document is a normal answer ("valid": false). On success *out
 * is a new reference and 0 is returned. A malformed body gives ERR_INVALID
 * with why naming the field ("field 'mrz': must be an array of strings");
 * ERR_NOMEM when memory runs out. *out is NULL on error. */
int documents_parse_request(json_t *body, int64_t today_days, json_t **out, struct buf *why);

#endif
