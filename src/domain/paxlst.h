/* paxlst: passenger and crew manifests (UN/EDIFACT PAXLST, and the JSON form
 * of domain/manifest_json.h) read into one model that screening consumes.
 *
 * A manifest is a list of flights, a list of persons (each on one flight)
 * and a list of problems. Parsing is lenient about what real carriers send
 * and strict about bounds: wrong control counts, unknown codes, bytes outside
 * the declared character set, over-long values and missing data become
 * problems attached to the person or to the manifest, never a failure; only
 * input that holds no manifest at all, a NUL byte, or a limit (size,
 * persons, messages) fails the parse (and, on request, a byte outside the
 * declared character set). Values are copied into fixed fields of
 * known size (longer ones are cut and flagged), so memory is bounded by
 * LIMIT_MANIFEST_PERSONS and the maxima below, and the work is linear in the
 * input. Every text field is valid UTF-8 without control characters; "" means
 * absent. Dates are ISO 8601: "YYYY-MM-DD" (birth dates from JSON may be
 * reduced to "YYYY" or "YYYY-MM"), times "YYYY-MM-DDTHH:MM" in the local time
 * of the airport concerned. Pure: no I/O, no clock (today is an option);
 * different manifests may be used from different threads. */
#ifndef LINTAS_DOMAIN_PAXLST_H
#define LINTAS_DOMAIN_PAXLST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/* Module-local maxima (bytes exclude the NUL). */
#define PAXLST_NAME_MAX 128u           /* surname, given names, reporting party */
#define PAXLST_TEXT_MAX 70u            /* document number, address line, place, phone, e-mail */
#define PAXLST_REF_MAX 35u             /* references, flight number, seat, postcode */
#define PAXLST_CODE_MAX 15u            /* codes: country, port, sex, document type */
#define PAXLST_DATE_MAX 16u            /* "YYYY-MM-DDTHH:MM" */
#define PAXLST_STD_LEN 35u             /* values longer than this are flagged over_long */
#define PAXLST_EXCERPT_MAX 40u         /* bytes of an offending value kept in a problem */
#define PAXLST_MAX_DOCS 4u             /* documents kept per person */
#define PAXLST_MAX_LEGS 10u            /* TDT legs kept per flight (the MIG allows 10) */
#define PAXLST_MAX_MESSAGES 256u       /* UNH messages per input */
#define PAXLST_MAX_PERSON_PROBLEMS 32u /* problems kept per person */
#define PAXLST_MAX_MANIFEST_PROBLEMS 256u
#define PAXLST_NONE ((size_t)-1) /* "no person" / "no flight" in a problem */

enum paxlst_role {
    PAXLST_PASSENGER = 0,
    PAXLST_CREW,
};

/* What a flight's list is, from BGM (or the JSON form). */
enum paxlst_list {
    PAXLST_LIST_UNKNOWN = 0,
    PAXLST_LIST_PASSENGERS, /* BGM 745 */
    PAXLST_LIST_CREW,       /* BGM 250, 336 (master crew list) */
    PAXLST_LIST_OTHER,      /* any other document code (266 flight status, 655, ACE 10 ...) */
};

/* Problem codes. Stable names: paxlst_code_name(). */
enum paxlst_code {
    PAXLST_MISSING = 0,        /* required data absent */
    PAXLST_INVALID_DATE,       /* not a date, or not a real calendar date */
    PAXLST_IMPLAUSIBLE_DATE,   /* a real date that cannot be right (birth in the future, ...) */
    PAXLST_EXPIRED,            /* document expired before the departure */
    PAXLST_INCONSISTENT,       /* two values contradict each other */
    PAXLST_UNKNOWN_CODE,       /* not an ICAO 9303 country code, not M/F/U/X, ... */
    PAXLST_INVALID_VALUE,      /* malformed value (port not three letters, ...) */
    PAXLST_CHARSET,            /* bytes outside the declared character repertoire */
    PAXLST_OVER_LONG,          /* longer than the standard allows (a = length, b = limit) */
    PAXLST_DUPLICATE,          /* same document in another person, a value given twice */
    PAXLST_COUNT_MISMATCH,     /* UNT/UNE/UNZ/CNT count differs (a = declared, b = counted) */
    PAXLST_REFERENCE_MISMATCH, /* UNT/UNE/UNZ reference differs from its header */
    PAXLST_INCOMPLETE,         /* parts of a multi-part message missing (a = received) */
    PAXLST_MALFORMED,          /* segment syntax broken, but read */
    PAXLST_UNEXPECTED,         /* segment out of place */
    PAXLST_UNKNOWN_SEGMENT,    /* tag not used in PAXLST; ignored */
    PAXLST_TOO_MANY,           /* more legs, documents or problems than kept */
    PAXLST_ENVELOPE,           /* UNB/UNZ/UNG/UNE missing or unpaired */
    PAXLST_TRAILING_DATA,      /* bytes after the interchange ignored (a = count) */
    PAXLST_CODE_COUNT
};

/* Fields named by problems. Stable names: paxlst_field_name(). The person
 * fields come first (and are below 64). */
enum paxlst_field {
    PAXLST_F_ROLE = 0,
    PAXLST_F_SURNAME,
    PAXLST_F_GIVEN_NAMES,
    PAXLST_F_SEX,
    PAXLST_F_BIRTH_DATE,
    PAXLST_F_NATIONALITY,
    PAXLST_F_BIRTH_PLACE,
    PAXLST_F_RESIDENCE,
    PAXLST_F_EMBARKATION,
    PAXLST_F_DEBARKATION,
    PAXLST_F_FIRST_ARRIVAL,
    PAXLST_F_BOOKING_REF,
    PAXLST_F_PASSENGER_REF,
    PAXLST_F_SEAT,
    PAXLST_F_CREW_FUNCTION,
    PAXLST_F_PHONE,
    PAXLST_F_EMAIL,
    PAXLST_F_STREET,
    PAXLST_F_CITY,
    PAXLST_F_REGION,
    PAXLST_F_POSTCODE,
    PAXLST_F_ADDRESS_COUNTRY,
    PAXLST_F_DOCUMENT, /* the person has no travel document at all */
    PAXLST_F_DOC_TYPE,
    PAXLST_F_DOC_NUMBER,
    PAXLST_F_DOC_ISSUER,
    PAXLST_F_DOC_EXPIRY,
    PAXLST_F_DOC_ISSUED,
    PAXLST_F_PERSON_LAST = PAXLST_F_DOC_ISSUED,
    /* flight */
    PAXLST_F_FLIGHT,
    PAXLST_F_CARRIER,
    PAXLST_F_DEPARTURE_PORT,
    PAXLST_F_ARRIVAL_PORT,
    PAXLST_F_DEPARTURE_TIME,
    PAXLST_F_ARRIVAL_TIME,
    PAXLST_F_REPORTING_PARTY,
    PAXLST_F_REFERENCE, /* common access reference, transaction reference */
    PAXLST_F_PARTS,     /* multi-part assembly */
    PAXLST_F_LEGS,
    /* interchange and structure */
    PAXLST_F_SENDER,
    PAXLST_F_RECIPIENT,
    PAXLST_F_UNA,
    PAXLST_F_UNB,
    PAXLST_F_UNG,
    PAXLST_F_UNH,
    PAXLST_F_BGM,
    PAXLST_F_CNT,
    PAXLST_F_UNT,
    PAXLST_F_UNE,
    PAXLST_F_UNZ,
    PAXLST_F_SEGMENT, /* a segment as a whole (syntax, position, unknown tag) */
    PAXLST_F_INPUT,   /* the input as a whole (trailing data, envelope) */
    PAXLST_F_PERSONS, /* the person list (problems dropped, ...) */
    PAXLST_F_COUNT
};

struct paxlst_problem {
    enum paxlst_code code;
    enum paxlst_field field;
    size_t person;      /* index into persons, or PAXLST_NONE for the manifest */
    size_t flight;      /* index into flights, or PAXLST_NONE */
    unsigned doc;       /* 1-based document of the person, 0 when not about one */
    size_t segment;     /* 1-based segment number in the input (EDIFACT), 0 when none */
    char tag[4];        /* that segment's tag, "" when none */
    const char *detail; /* static phrase completing the message, or NULL */
    int64_t a, b;       /* numbers quoted by the message (see enum paxlst_code) */
    bool truncated;     /* over_long: the stored value was cut */
    char value[PAXLST_EXCERPT_MAX + 1]; /* the offending value, cut, valid UTF-8; may be "" */
};

struct paxlst_doc {
    char type[PAXLST_CODE_MAX + 1]; /* P, V, I, A, C, AC, IP, T, F, L, ... as sent */
    char number[PAXLST_TEXT_MAX + 1];
    char issuer[PAXLST_CODE_MAX + 1]; /* issuing state (LOC+91) */
    char expiry[PAXLST_DATE_MAX + 1]; /* DTM+36 */
    char issued[PAXLST_DATE_MAX + 1]; /* DTM+182 */
};

struct paxlst_address {
    char street[PAXLST_TEXT_MAX + 1];
    char city[PAXLST_TEXT_MAX + 1];
    char region[PAXLST_REF_MAX + 1];
    char postcode[PAXLST_REF_MAX + 1];
    char country[PAXLST_CODE_MAX + 1];
};

struct paxlst_person {
    enum paxlst_role role;
    bool in_transit; /* NAD+DDU / NAD+DDT */
    size_t flight;   /* index into the manifest's flights */
    char surname[PAXLST_NAME_MAX + 1];
    char given_names[PAXLST_NAME_MAX + 1]; /* given and second given names, one space apart */
    char sex[PAXLST_CODE_MAX + 1];         /* M, F, U, X, or as sent when unknown */
    char birth_date[PAXLST_DATE_MAX + 1];
    char nationality[PAXLST_CODE_MAX + 1];
    char birth_place[PAXLST_TEXT_MAX + 1]; /* LOC+180 free text, else its code */
    char birth_place_code[PAXLST_CODE_MAX + 1];
    char residence[PAXLST_CODE_MAX + 1];     /* LOC+174 country of residence */
    char embarkation[PAXLST_CODE_MAX + 1];   /* LOC+178 */
    char debarkation[PAXLST_CODE_MAX + 1];   /* LOC+179 */
    char first_arrival[PAXLST_CODE_MAX + 1]; /* LOC+22 */
    char booking_ref[PAXLST_REF_MAX + 1];    /* RFF+AVF */
    char passenger_ref[PAXLST_REF_MAX + 1];  /* RFF+ABO */
    char seat[PAXLST_REF_MAX + 1];           /* RFF+SEA */
    char crew_function[PAXLST_REF_MAX + 1];  /* EMP */
    char phone[PAXLST_TEXT_MAX + 1];
    char email[PAXLST_TEXT_MAX + 1];
    struct paxlst_address address;
    struct paxlst_doc docs[PAXLST_MAX_DOCS]; /* docs[0] is the primary document */
    size_t ndocs;
    size_t segment;       /* segment number of its NAD; 0 for JSON */
    size_t problem_first; /* this person's problems: problems[first..first+count) */
    size_t problem_count;
    uint64_t flagged; /* internal: bit per field that already has a problem */
    size_t nproblems; /* internal: problems offered, kept or not */
};

struct paxlst_leg {
    char flight[PAXLST_REF_MAX + 1];
    char carrier[PAXLST_CODE_MAX + 1];
    char departure_port[PAXLST_CODE_MAX + 1];
    char arrival_port[PAXLST_CODE_MAX + 1];
    char departure_time[PAXLST_DATE_MAX + 1];
    char arrival_time[PAXLST_DATE_MAX + 1];
    bool routing; /* ports given as LOC+92 (progressive routing) */
    bool border;  /* ports given as LOC+125 / LOC+87 */
};

struct paxlst_flight {
    char carrier[PAXLST_CODE_MAX + 1]; /* TDT carrier, else the flight number's designator */
    char flight[PAXLST_REF_MAX + 1];   /* of the main leg */
    char departure_port[PAXLST_CODE_MAX + 1];
    char arrival_port[PAXLST_CODE_MAX + 1];
    char departure_time[PAXLST_DATE_MAX + 1];
    char arrival_time[PAXLST_DATE_MAX + 1];
    struct paxlst_leg legs[PAXLST_MAX_LEGS];
    size_t nlegs;
    size_t main_leg; /* the first LOC+125/87 leg, else the first */
    enum paxlst_list list;
    char document_code[PAXLST_CODE_MAX + 1];   /* BGM 1001: 745, 250, ... */
    char document_id[PAXLST_REF_MAX + 1];      /* BGM 1004: C, CP, XR, ... */
    char common_ref[PAXLST_REF_MAX + 1];       /* UNH common access reference */
    char message_ref[PAXLST_REF_MAX + 1];      /* UNH reference of the first message */
    char transaction_ref[PAXLST_REF_MAX + 1];  /* RFF+TN */
    char reporting_party[PAXLST_NAME_MAX + 1]; /* NAD+MS name, else its party id */
    char reporting_phone[PAXLST_TEXT_MAX + 1];
    char reporting_email[PAXLST_TEXT_MAX + 1];
    uint64_t parts_seen[2];      /* bit n: part n (1..99) received; bit 0: no number */
    unsigned nparts;             /* messages received for this flight */
    unsigned final_part;         /* sequence number flagged F, 0 when none */
    bool multipart;              /* a part number other than 1, or a C flag, seen */
    int64_t declared_passengers; /* CNT+42 of the last part, -1 when absent */
    int64_t declared_crew;       /* CNT+41, -1 when absent */
    size_t passengers;           /* persons on this flight, by role */
    size_t crew;
};

enum paxlst_source {
    PAXLST_FROM_EDIFACT = 0,
    PAXLST_FROM_JSON,
};

struct paxlst_manifest {
    enum paxlst_source source;
    char syntax[PAXLST_CODE_MAX + 1]; /* UNB character set: UNOA, UNOB, UNOC, UNOY, ... */
    char sender[PAXLST_TEXT_MAX + 1]; /* UNB */
    char recipient[PAXLST_TEXT_MAX + 1];
    char interchange_ref[PAXLST_REF_MAX + 1];
    char group_sender[PAXLST_TEXT_MAX + 1]; /* UNG */
    char group_recipient[PAXLST_TEXT_MAX + 1];
    struct paxlst_flight *flights;
    size_t nflights;
    struct paxlst_person *persons; /* in input order */
    size_t npersons;
    struct paxlst_problem *problems; /* manifest problems first, then each person's */
    size_t nproblems;
    size_t manifest_problems; /* problems[0..manifest_problems) have no person */
    size_t problems_dropped;  /* beyond the per-person and manifest maxima */
    size_t cap_flights, cap_persons, cap_problems; /* internal */
};

struct paxlst_options {
    int64_t today;       /* days since 1970-01-01 (UTC): century of 2-digit years, checks */
    bool strict_charset; /* fail (ERR_INVALID) on bytes outside the declared repertoire
                          * instead of keeping them and flagging a charset problem */
};

/* Parses a PAXLST interchange (or several, or a fragment from UNH on) from
 * data[0..len), which may be wrapped in a teletype or e-mail envelope and
 * start with a UTF-8 BOM. Messages that share a common access reference are
 * assembled into one flight. opt->today is used for the century of two-digit
 * years (birth dates are never after the departure or today; other dates
 * fall within 50 years of today) and, without a flight date, as the day
 * documents must be valid on. On success *out is a new manifest (free with
 * paxlst_free) and 0 is returned. Errors, with a reason in why: ERR_LIMIT
 * (more than LIMIT_MANIFEST bytes, LIMIT_MANIFEST_PERSONS persons or
 * PAXLST_MAX_MESSAGES messages), ERR_INVALID (a NUL byte, no interchange or
 * no message found, or with strict_charset a byte outside the repertoire),
 * ERR_NOMEM. A UNA that cannot be used is a problem, not an error: the
 * separators in force stay. *out is NULL on error. data is borrowed. */
int paxlst_parse(const char *data, size_t len, const struct paxlst_options *opt,
                 struct paxlst_manifest **out, struct buf *why);

/* Frees m and everything in it. NULL is a no-op. */
void paxlst_free(struct paxlst_manifest *m);

/* The primary document of p (docs[0]) or NULL when it has none. Borrowed. */
const struct paxlst_doc *paxlst_primary_doc(const struct paxlst_person *p);

/* Stable names: "passenger"/"crew"; "passengers"/"crew"/"other"/"unknown";
 * "missing", "invalid_date", ...; "surname", "document_expiry", "UNT", ...
 * Static strings, never NULL. */
const char *paxlst_role_name(enum paxlst_role r);
const char *paxlst_list_name(enum paxlst_list l);
const char *paxlst_code_name(enum paxlst_code c);
const char *paxlst_field_name(enum paxlst_field f);

/* Writes a one-line English explanation of p into out (size n >= 1), cut to
 * fit and always NUL-terminated; it names the segment when known. */
void paxlst_problem_message(const struct paxlst_problem *p, char *out, size_t n);

#endif
