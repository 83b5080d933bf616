/* paxlst_build: how the front ends (domain/paxlst.c for EDIFACT,
 * domain/manifest_json.c for JSON) fill a struct paxlst_manifest, and the
 * checks both share: values are trimmed, converted to UTF-8 from the
 * declared character set, checked against its repertoire and cut to their
 * field; problems are attached with per-person and per-manifest caps; and
 * paxlst_build_finish() runs the checks that need the whole manifest
 * (missing data, country codes, date plausibility, duplicate documents,
 * carrier and main leg) before sorting problems by person. Not for callers
 * outside domain/. One builder per thread. */
#ifndef LINTAS_DOMAIN_PAXLST_BUILD_H
#define LINTAS_DOMAIN_PAXLST_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/paxlst.h"

struct buf;

/* Character set of incoming text (from UNB S001, or JSON). */
enum paxlst_charset {
    PAXLST_CS_UNOA =
        0, /* level A: upper case, digits, space and . , - ( ) / = ' + : ? ! " % & * ; < > */
    PAXLST_CS_UNOB,   /* level B: printable ASCII */
    PAXLST_CS_LATIN1, /* UNOC: ISO 8859-1, converted to UTF-8 */
    PAXLST_CS_8BIT,   /* UNOD..UNOK: other ISO 8859 parts; bytes >= 0x80 are not decoded */
    PAXLST_CS_UTF8,   /* UNOW, UNOY, and JSON */
};

struct paxlst_builder {
    struct paxlst_manifest *m;        /* owned until finish or abort */
    const struct paxlst_options *opt; /* borrowed */
    struct buf *why;                  /* borrowed: reason of a fatal error */
    enum paxlst_charset charset;
    size_t segment;          /* current segment number, 0 for none */
    const char *segment_tag; /* current segment tag for messages, or NULL */
    int err;                 /* first fatal error, 0 while fine */
};

/* Starts a manifest. ERR_NOMEM. */
int paxlst_build_init(struct paxlst_builder *b, const struct paxlst_options *opt,
                      enum paxlst_source source, struct buf *why);
/* Frees the manifest under construction. Safe after a failed init. */
void paxlst_build_abort(struct paxlst_builder *b);

/* Records a fatal error (the first one wins) with a printf-style reason. */
void paxlst_build_fail(struct paxlst_builder *b, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends a zeroed flight (CNT declarations -1) and returns its index, or
 * PAXLST_NONE with b->err set (ERR_NOMEM, ERR_LIMIT past PAXLST_MAX_MESSAGES). */
size_t paxlst_build_flight(struct paxlst_builder *b);
/* Appends a zeroed person on flight with role and returns its index, or
 * PAXLST_NONE with b->err set (ERR_NOMEM; ERR_LIMIT past LIMIT_MANIFEST_PERSONS).
 * Pointers into m->persons are invalidated by the next call. */
size_t paxlst_build_person(struct paxlst_builder *b, size_t flight, enum paxlst_role role);

/* Attaches a problem to person (or PAXLST_NONE; the person's flight is then
 * used) and flight (or PAXLST_NONE), at the current segment. detail is a
 * static phrase (or NULL) that completes the message; value[0..vlen) is
 * quoted (cut, made valid UTF-8); a and bb are the numbers of enum
 * paxlst_code. Over the caps it is only counted in problems_dropped.
 * ERR_NOMEM goes to b->err. */
void paxlst_build_problem(struct paxlst_builder *b, size_t person, size_t flight, unsigned doc,
                          enum paxlst_code code, enum paxlst_field field, const char *detail,
                          const char *value, size_t vlen, int64_t a, int64_t bb);

/* Stores src[0..len) into dst (cap bytes plus a NUL): blanks trimmed,
 * converted to UTF-8, control characters turned into spaces. Flags charset
 * (bytes outside the repertoire; with strict_charset a fatal ERR_INVALID
 * instead) and over_long (more characters than the field's standard length,
 * or cut to cap) against person/flight/doc. Returns true when dst is not
 * empty. */
bool paxlst_build_text(struct paxlst_builder *b, size_t person, size_t flight, unsigned doc,
                       enum paxlst_field f, char *dst, size_t cap, const char *src, size_t len);

/* Days since the epoch of an ISO "YYYY-MM-DD..." prefix; false when s does
 * not start with a full valid date. */
bool paxlst_iso_days(const char *s, int64_t *days);

/* Runs the whole-manifest checks, sorts problems, and hands the manifest to
 * *out (the builder then owns nothing). Returns b->err (manifest freed,
 * *out NULL) when a fatal error was recorded. */
int paxlst_build_finish(struct paxlst_builder *b, struct paxlst_manifest **out);

#endif
