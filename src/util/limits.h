/* limits: every size and count limit of lintas, in one place.
 *
 * Parsers and handlers take their maxima from here. Limits that apply before
 * authentication are stricter. Nothing preallocates from a count that a
 * client declares. */
#ifndef LINTAS_UTIL_LIMITS_H
#define LINTAS_UTIL_LIMITS_H

/* HTTP */
#define LIMIT_BODY_DEFAULT (1024u * 1024u)    /* request body, configurable */
#define LIMIT_BODY_UNAUTH (16u * 1024u)       /* body of unauthenticated routes */
#define LIMIT_BODY_MAX (64u * 1024u * 1024u)  /* ceiling for the configured body limit */
#define LIMIT_URL 2048u                       /* request path and query string */
#define LIMIT_RESPONSE (256u * 1024u * 1024u) /* one response body */
#define LIMIT_JSON_DEPTH 32u                  /* nesting of JSON values */
#define LIMIT_QUERY_PARAMS 32u

/* Accounts */
#define LIMIT_USERNAME 64u       /* bytes */
#define LIMIT_DISPLAY_NAME 256u  /* bytes of UTF-8 */
#define LIMIT_PASSWORD_MIN 12u
#define LIMIT_PASSWORD_MAX 1024u
#define LIMIT_NOTE 4096u         /* free-text notes and reasons */

/* Files and lines */
#define LIMIT_LINE (64u * 1024u)          /* one line of a JSON-lines or CSV input */
#define LIMIT_CSV_FIELDS 64u              /* columns in one CSV row */
#define LIMIT_CONFIG_FILE (64u * 1024u)   /* configuration file */
#define LIMIT_LOG_LINE (8u * 1024u)       /* one access or event log line */

/* Names and matching */
#define LIMIT_NAME 512u                   /* bytes in one personal name */
#define LIMIT_NAME_TOKENS 16u             /* tokens per name */
#define LIMIT_CANDIDATES 2048u            /* candidates scored per query */
/* The work of one name query (name_index_query.c; docs/matching.md, 5) */
#define LIMIT_QUERY_SLOTS 32768u          /* names found (power of two; half > VISIT + 2 * 2048) */
#define LIMIT_QUERY_VISIT 8000u           /* postings entries scanned */
#define LIMIT_QUERY_SCAN_POST 1000u       /* longer postings are not scanned */
#define LIMIT_QUERY_MEMO 8192u            /* cached token similarity rows */
#define LIMIT_QUERY_POSTINGS 1024u        /* postings gathered */
#define LIMIT_QUERY_KEYS 2048u            /* keys looked up at once (47 letters: 1,177) */
#define LIMIT_QUERY_NEAR 64u              /* near spellings of one query word paired */
#define LIMIT_QUERY_FILL 4096u            /* names looked at to fill a threshold-0 answer */

/* Documents and manifests */
#define LIMIT_MRZ_INPUT 4096u             /* bytes of one MRZ document */
#define LIMIT_MANIFEST (8u * 1024u * 1024u)
#define LIMIT_MANIFEST_PERSONS 5000u

/* Exchange */
#define LIMIT_MESSAGE (1024u * 1024u)
#define LIMIT_CLOCK_SKEW_S 300

/* Audit queries */
#define LIMIT_AUDIT_PAGE 1000u

#endif
