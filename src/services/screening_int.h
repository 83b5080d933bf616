/* screening_int: the parsed departure request that the screening files
 * share (internal to services/). */
#ifndef LINTAS_SERVICES_SCREENING_INT_H
#define LINTAS_SERVICES_SCREENING_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct actor;
struct buf;
struct svc;

#include "domain/nik.h"
#include "services/documents.h"

#define DEP_MAX_TRANSIT 8

struct dep_req {
    char checkpoint[32];
    /* traveller */
    char doc_number[32], surname[128], given[128], birth_date[16], sex[2], nationality[4];
    char nik[20];
    int64_t doc_issued_days; /* -1: unknown */
    int first_passport;      /* -1 unknown, 0, 1 */
    bool pmi;
    json_t *document;        /* the MRZ reading (new ref), or NULL */
    struct documents_person docp; /* what the MRZ says of its holder */
    bool has_nik;
    struct nik_result nikr;
    json_t *nik_flags;       /* soft NIK-document flags (new ref) or NULL */
    /* trip */
    char destination[4], final_destination[4], transit[DEP_MAX_TRANSIT][4];
    size_t ntransit;
    char purpose[16], carrier[64], flight[16], booking_ref[32];
    int64_t departure_days;
    int return_ticket; /* -1 unknown, 0, 1 */
    /* sponsor */
    char sponsor_name[128], sponsor_company[128], sponsor_phone[32];
};

#include "store/store.h"

/* What a manifest learns of one person before screening it: the watchlist
 * matches of the traveller and their sponsor (found on every core), the
 * group keys the screening will record, and what the persons ahead of it
 * in the same manifest add to its group (they are recorded in the same
 * transaction, after every person was screened). */
struct dep_matches {
    json_t *matches, *sponsor_matches; /* owned; NULL: not found (the screening matches) */
    int64_t day; /* the departure day they were matched for (entries' validity) */
    bool parsed; /* the request parsed: the keys below are set */
    char booking_ref[32], sponsor_phone[32], sponsor_company[128];
    bool has_ahead;
    struct store_dep_group ahead; /* added to the group found in the store */
    const struct store_post *post; /* the manifest's checkpoint, looked up once, or NULL */
};

/* Matches the person of departure request body as screening would (today:
 * days since the epoch). Safe to call from several threads at once. Leaves
 * *out empty when the body does not parse or matching fails: the screening
 * then matches and reports the error itself, as it does when its own
 * departure day differs (a manifest screened across midnight). An entry
 * changed while a manifest is being matched takes effect from the next
 * request, as for a screening already under way. */
void screening_prematch(struct svc *s, json_t *body, int64_t today, struct dep_matches *out);
void dep_matches_free(struct dep_matches *m);

/* A screening evaluated but not yet recorded. */
struct dep_job;

/* Screens body up to its record, outside any write transaction: history,
 * group (plus pre->ahead), rules and answer. pre (may be NULL) holds what
 * screening_prematch found. Thread-safe: a manifest prepares its persons
 * on every core. On success *job is set; on an error why says why. */
int screening_prepare(struct svc *s, const struct actor *who, json_t *body,
                      const char *checkpoint, const struct dep_matches *pre,
                      struct dep_job **job, struct buf *why);
/* The answer job will give, without its id and time (borrowed). */
json_t *screening_answer(const struct dep_job *job);
/* Records job (its screening row and audit record) in the write
 * transaction open on this thread. */
int screening_record(struct store *st, struct dep_job *job);
/* The id of job's screening, once screening_record has written it. */
int64_t screening_id(const struct dep_job *job);
/* After the transaction committed, the answer (with its id) goes to *out;
 * out may be NULL (the transaction failed). Frees job. */
void screening_done(struct dep_job *job, json_t **out);

/* Parses and validates body into q (today: days since the epoch). */
int dep_req_parse(json_t *body, int64_t today, struct dep_req *q, struct buf *why);
void dep_req_free(struct dep_req *q);

#endif
