/* names: normalisation, tokenisation and pairwise scoring of personal names.
 *
 * A name is turned into tokens (folded to lowercase ASCII, other scripts
 * transliterated with ICU) and each token is classified: titles and degrees
 * (H., Hj., Drs., S.H.) are kept but ignored, particles (bin, binti, al),
 * Balinese birth-order names (Wayan, Made, Nyoman, Ketut) and the gender
 * prefixes I/Ni weigh little, initials match the tokens they abbreviate, and
 * given-name variant classes (Muhammad, Mochammad, Muh., M.) and pre-1972
 * Indonesian spellings (oe/u, dj/j, tj/c, j/y, sj/sy, nj/ny, ch/kh) fold to
 * one key. Two names are compared as bags of tokens (order is free), with
 * typos, transpositions, joined and split tokens allowed; the result carries
 * the token alignment and why each pair matched. names_score() then adds
 * birth date, nationality and document evidence and returns a score 0-100
 * with reasons. Everything here is pure: no I/O, no globals, no clock.
 * The scoring model and how to tune it are described in docs/matching.md. */
#ifndef LINTAS_DOMAIN_NAMES_H
#define LINTAS_DOMAIN_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/limits.h"

/* Default alert threshold for match and compare (score 0-100). */
#define NAMES_DEFAULT_THRESHOLD 70
/* Default number of matches returned per query. */
#define NAMES_DEFAULT_LIMIT 10

#define NAMES_TOKEN_MAX 48   /* bytes of one token key, NUL included */
#define NAMES_MAX_DOB 8      /* birth dates kept per person */
#define NAMES_MAX_NAT 4      /* nationalities kept per person */
#define NAMES_MAX_DOC 8      /* document numbers kept per person */
#define NAMES_DOC_MAX 32     /* bytes of one normalised document number */
#define NAMES_MAX_REASONS 40
#define NAMES_REASON_LEN 192

/* Token classes (flags). */
enum {
    NAMES_TF_TITLE = 1 << 0,       /* honorific or degree: ignored, reported */
    NAMES_TF_PARTICLE = 1 << 1,    /* bin, binti, ibn, al, el, van, de ... */
    NAMES_TF_BIRTH_ORDER = 1 << 2, /* Balinese birth-order name */
    NAMES_TF_GENDER = 1 << 3,      /* Balinese I / Ni before a name */
    NAMES_TF_INITIAL = 1 << 4,     /* a single letter */
    NAMES_TF_TRANSLIT = 1 << 5,    /* transliterated from a non-Latin script */
    NAMES_TF_ABJAD = 1 << 6,       /* from a script that omits short vowels */
    NAMES_TF_COMMON = 1 << 7,      /* a frequent name part */
    NAMES_TF_VCOMMON = 1 << 8,     /* a very frequent name part */
    NAMES_TF_SYLLABIC = 1 << 9,    /* from Han, Hangul or Kana: syllables */
    NAMES_TF_HANGUL = 1 << 10,     /* from Hangul: two such tokens match only exactly */
    NAMES_TF_PATRONYMIC = 1 << 11, /* East Slavic patronymic (-ovich, -ovna, -ivna) */
};

/* Old-spelling rules applied when folding (bit mask in names_token.spell). */
enum {
    NAMES_SP_OE = 1 << 0, /* oe -> u  (Soekarno / Sukarno) */
    NAMES_SP_DJ = 1 << 1, /* dj -> j  (Djoko / Joko) */
    NAMES_SP_TJ = 1 << 2, /* tj -> c  (Tjahjo / Cahyo) */
    NAMES_SP_SJ = 1 << 3, /* sj -> sy (Sjahrir / Syahrir) */
    NAMES_SP_NJ = 1 << 4, /* nj -> ny (Njoman / Nyoman) */
    NAMES_SP_CH = 1 << 5, /* ch -> kh (Achwan / Akhwan) */
    NAMES_SP_J = 1 << 6,  /* j -> y   (Jusuf / Yusuf) */
};

/* One token of a normalised name. Keys are NUL-terminated lowercase ASCII. */
struct names_token {
    char text[NAMES_TOKEN_MAX];  /* as written, folded to ASCII */
    char canon[NAMES_TOKEN_MAX]; /* variant-class head, or old-spelling fold */
    char phon[NAMES_TOKEN_MAX];  /* transliteration-tolerant key of canon */
    char skel[NAMES_TOKEN_MAX];  /* consonant skeleton of phon */
    uint16_t flags;              /* NAMES_TF_* */
    uint8_t vclass;              /* variant class id, 0 for none */
    uint8_t spell;               /* NAMES_SP_* applied to text */
    float weight;                /* evidence weight, 0 for titles */
    /* Kept by names_token_init for names_token_sim, which compares one
     * query word with many listed ones: the lengths of text and phon and
     * the letters each holds (bit c & 63 for byte c). */
    uint8_t text_len, phon_len;
    uint64_t text_letters, phon_letters;
};

/* A normalised name: at most LIMIT_NAME_TOKENS tokens, in written order. */
struct names_name {
    size_t ntok;
    bool truncated; /* more tokens were written than kept */
    struct names_token tok[LIMIT_NAME_TOKENS];
};

/* A date of birth, exact or partial (month/day 0 when unknown), or a range of
 * years (year..year_to, month and day 0). year 0 means "none". */
struct names_date {
    int16_t year;
    int16_t year_to; /* equal to year unless a range */
    int8_t month;
    int8_t day;
};

/* What a person side of a comparison brings besides the name. Countries are
 * ICAO 9303 three-letter codes; document numbers are normalised with
 * names_doc_normalise(). */
struct names_facts {
    size_t ndob;
    struct names_date dob[NAMES_MAX_DOB];
    size_t nnat;
    char nat[NAMES_MAX_NAT][4];
    /* query side only: bit i set when nat[i] is held by so large a share of
     * the watchlist that a match corroborates nothing (name_index sets it):
     * it still scores its points but does not lift a weak name's cap */
    uint8_t nat_common;
    size_t ndoc;
    char doc[NAMES_MAX_DOC][NAMES_DOC_MAX];
};

/* Why two tokens (or token groups) were aligned. */
enum names_why {
    NAMES_WHY_EXACT = 1,
    NAMES_WHY_VARIANT,  /* same given-name variant class */
    NAMES_WHY_SPELLING, /* same after old-spelling folding */
    NAMES_WHY_TRANSLIT, /* same transliteration key (doubled letters, ou/u, ...) */
    NAMES_WHY_SKELETON, /* same consonants; one side from a vowel-less script */
    NAMES_WHY_TYPO,     /* edit distance (insert, delete, substitute, transpose) */
    NAMES_WHY_PREFIX,   /* one is a truncation of the other */
    NAMES_WHY_INITIAL,  /* an initial and the token it abbreviates */
    NAMES_WHY_JOINED,   /* two tokens on one side written as one on the other */
};

/* One aligned pair: tokens q[qi..qi+qn) of the first name against
 * c[ci..ci+cn) of the second (qn or cn is 2 for a joined pair, else 1). */
struct names_pair {
    uint8_t qi, qn, ci, cn;
    uint8_t why;      /* enum names_why */
    uint8_t dist;     /* edit distance for NAMES_WHY_TYPO */
    float sim;        /* 0-1 */
};

/* The name part of a comparison. */
struct names_align {
    size_t npair;
    struct names_pair pair[LIMIT_NAME_TOKENS];
    float cov_q, cov_c;  /* weighted share of each side that was matched */
    float sim;           /* name similarity 0-1 */
    float matched_weight;/* informative weight matched (see docs) */
    float conflict;      /* unmatched name-word weight present on both sides */
    int informative_q, informative_c, informative_matched;
    bool weak;           /* mononym, single or only common tokens matched */
};

enum names_dob_kind {
    NAMES_DOB_NONE = 0,  /* one side has no date */
    NAMES_DOB_EXACT,
    NAMES_DOB_SWAP,      /* day and month swapped */
    NAMES_DOB_YEAR,      /* same year, one side year-only or same year-month */
    NAMES_DOB_RANGE,     /* inside a listed range of years */
    NAMES_DOB_NEAR,      /* same day and month, year one off; or year one off */
    NAMES_DOB_SAME_YEAR_DIFF, /* same year, different day or month */
    NAMES_DOB_MISMATCH,
};

enum names_nat_kind { NAMES_NAT_NONE = 0, NAMES_NAT_MATCH, NAMES_NAT_MISMATCH };

/* A full comparison: name alignment, other evidence, the score. */
struct names_result {
    int score;           /* 0-100 */
    int name_points;     /* name part of the score, after the cap */
    bool capped;         /* the weak-name cap applied */
    struct names_align align;
    int dob_kind, dob_points;
    struct names_date dob_q, dob_c; /* the dates that gave dob_kind */
    int nat_kind, nat_points;
    char nat[4];
    bool nat_lifts;      /* a matching nationality that lifts a weak name's cap */
    bool doc_match;
    char doc[NAMES_DOC_MAX];
};

/* Reasons in words, for people (JSON "reasons"). */
struct names_reasons {
    size_t n;
    char text[NAMES_MAX_REASONS][NAMES_REASON_LEN];
};

/* ---- Normalisation ------------------------------------------------------- */

struct names_norm; /* opaque: holds the ICU transliterators */

/* Creates a normaliser. *out is cleared on entry; free with names_norm_free.
 * ERR_NOMEM, or ERR_INTERNAL when ICU lacks the transliterator. The object
 * may be used by any number of threads at once (a small pool of ICU clones,
 * each behind its own mutex, is used only for non-Latin input). */
int names_norm_new(struct names_norm **out);
/* Frees a normaliser. NULL is a no-op. No thread may be using it. */
void names_norm_free(struct names_norm *n);

/* Normalises s[0..len) into out. ERR_LIMIT when len > LIMIT_NAME;
 * ERR_INVALID for invalid UTF-8, an embedded NUL, or a name with no letter.
 * Names with more than LIMIT_NAME_TOKENS tokens keep the first ones and set
 * out->truncated. n may be NULL: then only diacritics are stripped and other
 * non-ASCII letters are dropped, so only Latin names normalise well.
 * Thread-safe. */
int names_normalise(struct names_norm *n, const char *s, size_t len, struct names_name *out);

/* Readings kept per name: a name written in Han characters is read the
 * Chinese way (Mandarin), and also the Korean and Japanese ways where those
 * apply; a name in Hebrew letters both as ICU's consonants and in its
 * passport spelling. */
#define NAMES_MAX_READINGS 3

/* Normalises s as names_normalise does into out[0] and up to max-1 other
 * readings into out[1..]: for a name with Hebrew letters, its passport
 * spelling (names_hebrew: משה -> moshe, where out[0] holds ICU's
 * consonants, msh); for a name with Han characters, the Korean reading of
 * the characters (Hanja, through Hangul) and the Japanese reading when the
 * name dictionary reads the whole name. Returns the number of readings
 * written (1..max), or the error names_normalise gives for s.
 * Thread-safe. */
int names_normalise_readings(struct names_norm *n, const char *s, size_t len,
                             struct names_name *out, size_t max);

/* Classifies and keys one already folded ASCII token at position pos of a
 * name of ntok tokens (for tests and the index). */
void names_token_init(struct names_token *t, const char *ascii, size_t len, size_t pos,
                      size_t ntok, uint16_t script_flags);

/* Number of tokens that carry evidence (not titles). */
size_t names_informative(const struct names_name *n);

/* Writes the name as its token texts joined by spaces (titles included). */
void names_join(const struct names_name *n, char *out, size_t outsz);

/* ---- Token comparison ---------------------------------------------------- */

/* Compares two tokens; returns the similarity 0-1 and sets *why (0 when they
 * do not match) and *dist. Pure and thread-safe. */
float names_token_sim(const struct names_token *a, const struct names_token *b, uint8_t *why,
                      uint8_t *dist);

/* True when one of two tokens comes from Hangul, Han or Kana and one
 * starts with j where the other starts with y: in Korean these are
 * different consonants (Jong and Yong are different names), so the j/y
 * fold of the Indonesian spellings must not join them. */
bool names_ko_jy_clash(const struct names_token *a, const struct names_token *b);
/* The phon key of syllabic token a with Korean eo written u (Sung, Jung,
 * Hyun) into out; false (out unset) when a is not syllabic or has no eo. */
bool names_rr_u_phon(const struct names_token *a, char out[NAMES_TOKEN_MAX]);

/* Restricted Damerau-Levenshtein distance of a and b, or max+1 when it
 * exceeds max. Strings of at most NAMES_TOKEN_MAX*2 bytes. */
unsigned names_edit_distance(const char *a, size_t la, const char *b, size_t lb, unsigned max);

/* Name of a variant class id ("MUHAMMAD"), or "" for 0. */
const char *names_vclass_name(uint8_t vclass);
/* Human words for an old-spelling mask ("oe/u, dj/j"). */
void names_spell_words(uint8_t mask, char *out, size_t outsz);
/* "exact", "variant class", ... */
const char *names_why_str(int why);

/* ---- Alignment and scoring ----------------------------------------------- */

/* Aligns two names (order free) and fills *out. Pure; thread-safe. */
void names_align(const struct names_name *q, const struct names_name *c, struct names_align *out);

/* A name seen as pointers to its tokens (the index keeps tokens shared),
 * with the lengths of their text and phon (strlen, kept to spare it). */
struct names_view {
    size_t n;
    const struct names_token *t[LIMIT_NAME_TOKENS];
    uint8_t text_len[LIMIT_NAME_TOKENS], phon_len[LIMIT_NAME_TOKENS];
};

/* Fills v with pointers into n (borrowed: n must outlive v). */
void names_view_of(const struct names_name *n, struct names_view *v);

/* Like names_align on views, with the token similarities precomputed:
 * sim[i][j], why[i][j] and dist[i][j] for q->t[i] against c->t[j] (0 for
 * titles). The index caches them per query. */
void names_align_view(const struct names_view *q, const struct names_view *c,
                      const float sim[LIMIT_NAME_TOKENS][LIMIT_NAME_TOKENS],
                      const uint8_t why[LIMIT_NAME_TOKENS][LIMIT_NAME_TOKENS],
                      const uint8_t dist[LIMIT_NAME_TOKENS][LIMIT_NAME_TOKENS],
                      struct names_align *out);

/* An upper bound of the similarity (names_align.sim) that names_align_view
 * gives q and c with the same sim matrix, without aligning: every token
 * covered at its best similarity, or in full when it may be part of a
 * joined pair, less the conflict of the unmatched words that no pair can
 * cover and no near miss excuses. Cheaper than the alignment; the index
 * skips a candidate whose bound cannot alert. */
float names_align_bound(const struct names_view *q, const struct names_view *c,
                        const float sim[LIMIT_NAME_TOKENS][LIMIT_NAME_TOKENS]);

/* Combines an alignment with the facts of both sides into a score 0-100.
 * qf or cf may be NULL (no facts). Pure; thread-safe. */
void names_score_facts(const struct names_align *al, const struct names_facts *qf,
                       const struct names_facts *cf, struct names_result *out);

/* names_align + names_score_facts. */
void names_score(const struct names_name *q, const struct names_facts *qf,
                 const struct names_name *c, const struct names_facts *cf,
                 struct names_result *out);

/* names_score over every pair of readings (q[0..nq) against c[0..nc));
 * *out is the best (highest score, earliest on ties) and *qi, *ci (either
 * may be NULL) say which pair gave it. */
void names_score_readings(const struct names_name *q, size_t nq, const struct names_facts *qf,
                          const struct names_name *c, size_t nc, const struct names_facts *cf,
                          struct names_result *out, size_t *qi, size_t *ci);

/* Writes the reasons for r in words: the alignment (each pair and why), the
 * titles ignored, and the birth date, nationality and document evidence.
 * matched_name may be NULL; when given it is quoted as the listed name. */
void names_explain(const struct names_name *q, const struct names_name *c,
                   const struct names_result *r, const char *matched_name, bool weak_alias,
                   struct names_reasons *out);

/* ---- Facts --------------------------------------------------------------- */

/* Parses a birth date "YYYY", "YYYY-MM", "YYYY-MM-DD" (single-digit month
 * and day accepted; an impossible day or month reduces the precision) or a
 * range "YYYY..YYYY" / "YYYY-YYYY". ERR_INVALID otherwise. */
int names_date_parse(const char *s, struct names_date *out);
/* Like names_date_parse, but a month or day that is written must exist:
 * "1990-13-45", "1974-02-30" and "1990-00" are ERR_INVALID (partial dates
 * and ranges are accepted). For watchlist entries. */
int names_date_parse_strict(const char *s, struct names_date *out);
/* Writes "YYYY", "YYYY-MM", "YYYY-MM-DD" or "YYYY..YYYY". */
void names_date_format(const struct names_date *d, char *out, size_t outsz);
/* Compares two dates: returns a enum names_dob_kind. */
int names_date_compare(const struct names_date *a, const struct names_date *b);

/* Maps a country given as ICAO/ISO alpha-3, ISO alpha-2 or an English name
 * ("Indonesia", "Iran (Islamic Republic of)") to the ICAO three-letter code
 * in out. ERR_NOTFOUND when unknown. Thread-safe. */
int names_country_code(const char *s, char out[4]);

/* Normalises a document number: ASCII letters and digits kept (letters
 * uppercased), everything else dropped. ERR_INVALID when nothing is left or
 * it exceeds NAMES_DOC_MAX-1 characters. */
int names_doc_normalise(const char *s, char out[NAMES_DOC_MAX]);

/* The country calling code of a phone number written the national way,
 * with the trunk prefix 0: Indonesia's. */
#define NAMES_PHONE_HOME "62"

/* Normalises a phone number to the digits of its international form, so
 * that the ways one number is written agree: "+62 811-000-1234", "0062 811
 * 000 1234", "62 811 0001234", "+62 (0)811 000 1234" and the national
 * "0811 000 1234" all give "628110001234". A leading "+" or "00" starts
 * the country code; a single leading 0 is the trunk prefix of a number of
 * NAMES_PHONE_HOME; any other number is kept as its digits. Characters
 * other than digits are dropped. ERR_INVALID when no digit is left or the
 * result exceeds NAMES_DOC_MAX-1 digits. */
int names_phone_normalise(const char *s, char out[NAMES_DOC_MAX]);

/* Adds a date / nationality / document to facts, ignoring duplicates and
 * items beyond the per-person maxima. Return 0, or ERR_INVALID / ERR_NOTFOUND
 * for an unparsable value (facts unchanged). */
int names_facts_add_dob(struct names_facts *f, const char *s);
/* names_facts_add_dob with names_date_parse_strict (watchlist entries). */
int names_facts_add_dob_strict(struct names_facts *f, const char *s);
int names_facts_add_nat(struct names_facts *f, const char *s);
int names_facts_add_doc(struct names_facts *f, const char *s);

#endif
