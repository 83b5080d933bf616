/* edifact: a bounded, linear reader of UN/EDIFACT interchanges as carriers
 * really send them. It finds where the interchange starts inside a teletype
 * (Type-B) or e-mail envelope, honours a UNA service string with any
 * separators, the release character and the syntax-4 repetition separator,
 * drops CR and LF wherever they occur (so hard-wrapped lines, one segment per
 * line and one long line all read the same), and hands out one segment at a
 * time with its values already unescaped. It never allocates: the reader
 * holds one segment's worth of text, and values longer than that are cut and
 * flagged, never overflowed. Every call advances through the input, so a
 * whole read is linear in the input size. Knows nothing of PAXLST. Pure;
 * a reader is used by one thread at a time. */
#ifndef LINTAS_DOMAIN_EDIFACT_H
#define LINTAS_DOMAIN_EDIFACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EDIFACT_SEGMENT_MAX 4096u /* unescaped bytes kept of one segment */
#define EDIFACT_MAX_ELEMS 24u     /* data elements kept per segment */
#define EDIFACT_MAX_COMPS 96u     /* components kept per segment, all elements together */
#define EDIFACT_TAG_MAX 8u        /* bytes of a (possibly malformed) tag kept for messages */

/* The six service characters of a UNA string. */
struct edifact_seps {
    unsigned char comp;    /* component separator, default ':' */
    unsigned char data;    /* data element separator, default '+' */
    unsigned char decimal; /* decimal mark, default '.' (not interpreted) */
    unsigned char release; /* release character, default '?' */
    unsigned char rep;     /* repetition separator, default '*' (syntax 4) */
    unsigned char term;    /* segment terminator, default '\'' */
    bool has_release;      /* false when the UNA gives a space */
    bool has_rep;          /* false when the UNA gives a space (syntax 3) or a clash */
};

/* Flags of one segment (struct edifact_segment.flags). */
enum {
    EDIFACT_UNA = 1u << 0,          /* the segment is a UNA service string advice */
    EDIFACT_BAD_UNA = 1u << 1,      /* ...that could not be used; separators unchanged */
    EDIFACT_BAD_TAG = 1u << 2,      /* the tag is not three upper-case letters or digits */
    EDIFACT_TAG_SPACE = 1u << 3,    /* blanks between the tag and the first separator */
    EDIFACT_TRUNCATED = 1u << 4,    /* more than EDIFACT_SEGMENT_MAX bytes; the rest dropped */
    EDIFACT_TOO_MANY = 1u << 5,     /* more elements or components than kept; the rest dropped */
    EDIFACT_UNTERMINATED = 1u << 6, /* the input ended before the segment terminator */
    EDIFACT_DANGLING_RELEASE = 1u << 7, /* a release character ended the input */
};

struct edifact_comp {
    uint32_t off; /* into edifact_segment.text; the value is NUL-terminated there */
    uint32_t len;
    bool rep; /* holds an unreleased repetition separator (the byte is kept) */
};

/* One segment. Values are borrowed from the reader until the next call. */
struct edifact_segment {
    char tag[EDIFACT_TAG_MAX + 1]; /* as read, blanks trimmed; 3 bytes unless BAD_TAG */
    unsigned flags;
    size_t offset; /* input offset of the segment's first byte */
    size_t nelem;  /* data elements after the tag (at most EDIFACT_MAX_ELEMS) */
    uint16_t elem_first[EDIFACT_MAX_ELEMS];
    uint16_t elem_ncomp[EDIFACT_MAX_ELEMS];
    struct edifact_comp comp[EDIFACT_MAX_COMPS];
    size_t ncomp;
    const char *text;
    const char *una_error; /* static reason when EDIFACT_BAD_UNA, else NULL */
};

struct edifact_reader {
    const unsigned char *in;
    size_t len;
    size_t pos;
    size_t no_line_start; /* no line after this offset starts an interchange */
    struct edifact_seps seps;
    unsigned char cls[256]; /* byte classes for the current separators */
    char text[EDIFACT_SEGMENT_MAX + EDIFACT_MAX_COMPS + 1];
};

/* Fills s with the level-A defaults (no UNA): ":+.? *'" with repetition. */
void edifact_default_seps(struct edifact_seps *s);

/* Reads the six service characters that follow "UNA" (c[0..5]). Returns NULL
 * and fills out when usable, else a static reason and out is untouched.
 * Separators must be printable, not letters, digits or blanks, and distinct;
 * a blank release or repetition character means "none". */
const char *edifact_parse_una(const unsigned char c[6], struct edifact_seps *out);

/* Offset of the first interchange start at or after from: a line (from
 * itself counts as a line start) whose first non-blank, non-control bytes are
 * "UNA", or "UNB", "UNG" or "UNH" not followed by a letter or digit. When no
 * line starts so, the first such tag anywhere; len when there is none. */
size_t edifact_find_start(const char *in, size_t len, size_t from);

/* Prepares r to read in[0..len) from offset start with default separators.
 * in is borrowed and must outlive the reader. */
void edifact_reader_init(struct edifact_reader *r, const char *in, size_t len, size_t start);

/* Reads the next segment into s. Blank and control bytes between segments
 * and empty segments are skipped. A UNA comes back as a segment with tag
 * "UNA" and EDIFACT_UNA set, and from then on its separators apply. Returns
 * false at the end of the input (s is then empty). */
bool edifact_next(struct edifact_reader *r, struct edifact_segment *s);

/* Moves r to the next interchange start (edifact_find_start) and restores
 * the default separators. Returns how many bytes that were neither blank nor
 * control characters were skipped (junk after UNZ, gateway footers). */
size_t edifact_skip_to_start(struct edifact_reader *r);

/* Component comp of data element elem (both from 0), or "" when absent.
 * Borrowed from the reader until the next call. */
const char *edifact_value(const struct edifact_segment *s, size_t elem, size_t comp);
/* Number of components of data element elem (0 when absent). */
size_t edifact_ncomp(const struct edifact_segment *s, size_t elem);
/* True when that component holds an unreleased repetition separator. */
bool edifact_has_rep(const struct edifact_segment *s, size_t elem, size_t comp);
/* True when the tag is t (three bytes). */
bool edifact_is(const struct edifact_segment *s, const char *t);

#endif
