/* edifact: the segment reader. One pass over the input: a cursor that only
 * moves forward, a fixed text area for the current segment, and counters
 * that stop storing (but keep consuming) when a segment is too big. The
 * search for an interchange start remembers where a line-start search has
 * already failed, so repeated searches stay linear. */
#include "domain/edifact.h"

#include <string.h>

static bool is_alnum(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Blank or control: never part of a tag, skipped between segments. */
static bool is_gap(unsigned char c)
{
    return c <= 0x20 || c == 0x7F;
}

static bool is_eol(unsigned char c)
{
    return c == '\r' || c == '\n';
}

enum { CLS_PLAIN = 0, CLS_DATA, CLS_COMP, CLS_TERM, CLS_RELEASE, CLS_REP, CLS_EOL };

/* Fills r->cls from r->seps, so the inner loops classify a byte with one
 * table load. */
static void set_seps(struct edifact_reader *r, const struct edifact_seps *s)
{
    r->seps = *s;
    memset(r->cls, CLS_PLAIN, sizeof r->cls);
    r->cls['\r'] = CLS_EOL;
    r->cls['\n'] = CLS_EOL;
    if (s->has_rep)
        r->cls[s->rep] = CLS_REP;
    if (s->has_release)
        r->cls[s->release] = CLS_RELEASE;
    r->cls[s->comp] = CLS_COMP;
    r->cls[s->data] = CLS_DATA;
    r->cls[s->term] = CLS_TERM;
}

void edifact_default_seps(struct edifact_seps *s)
{
    *s = (struct edifact_seps){.comp = ':',
                               .data = '+',
                               .decimal = '.',
                               .release = '?',
                               .rep = '*',
                               .term = '\'',
                               .has_release = true,
                               .has_rep = true};
}

static bool usable_sep(unsigned char c)
{
    return c > 0x20 && c < 0x7F && !is_alnum(c);
}

const char *edifact_parse_una(const unsigned char c[6], struct edifact_seps *out)
{
    struct edifact_seps s = {
        .comp = c[0], .data = c[1], .decimal = c[2], .release = c[3], .rep = c[4], .term = c[5]};
    if (!usable_sep(s.comp) || !usable_sep(s.data) || !usable_sep(s.term))
        return "a separator or the terminator is a letter, digit, blank or control byte";
    if (s.comp == s.data || s.comp == s.term || s.data == s.term)
        return "two of the separators and the terminator are the same character";
    s.has_release = usable_sep(s.release);
    if (!s.has_release && s.release != ' ')
        return "the release character is a letter, digit or control byte";
    if (s.has_release && (s.release == s.comp || s.release == s.data || s.release == s.term))
        return "the release character is also a separator";
    s.has_rep = usable_sep(s.rep) && s.rep != s.comp && s.rep != s.data && s.rep != s.term &&
                !(s.has_release && s.rep == s.release);
    *out = s;
    return NULL;
}

/* True when p[0..n) opens an interchange: a usable UNA, or UNB/UNG/UNH
 * followed by a byte that cannot continue a tag. */
static bool opens_interchange(const unsigned char *p, size_t n)
{
    if (n < 4 || p[0] != 'U' || p[1] != 'N')
        return false;
    if (p[2] == 'A') {
        struct edifact_seps s;
        return n >= 9 && edifact_parse_una(p + 3, &s) == NULL;
    }
    return (p[2] == 'B' || p[2] == 'G' || p[2] == 'H') && !is_alnum(p[3]) && !is_eol(p[3]);
}

/* First line start at or after from (which counts as one) that opens an
 * interchange; len when none. */
static size_t find_line_start(const unsigned char *in, size_t len, size_t from)
{
    size_t i = from;
    bool at_start = true;
    while (i < len) {
        if (at_start) {
            while (i < len && is_gap(in[i]) && !is_eol(in[i]))
                i++;
            if (i < len && opens_interchange(in + i, len - i))
                return i;
            at_start = false;
            continue;
        }
        if (is_eol(in[i]))
            at_start = true;
        i++;
    }
    return len;
}

static size_t find_anywhere(const unsigned char *in, size_t len, size_t from)
{
    for (size_t i = from; i + 4 <= len; i++)
        if (in[i] == 'U' && opens_interchange(in + i, len - i))
            return i;
    return len;
}

size_t edifact_find_start(const char *in, size_t len, size_t from)
{
    const unsigned char *u = (const unsigned char *)in;
    size_t at = find_line_start(u, len, from);
    return at < len ? at : find_anywhere(u, len, from);
}

void edifact_reader_init(struct edifact_reader *r, const char *in, size_t len, size_t start)
{
    r->in = (const unsigned char *)in;
    r->len = len;
    r->pos = start < len ? start : len;
    r->no_line_start = len;
    struct edifact_seps d;
    edifact_default_seps(&d);
    set_seps(r, &d);
    r->text[0] = '\0';
}

size_t edifact_skip_to_start(struct edifact_reader *r)
{
    size_t at = r->len;
    if (r->pos < r->no_line_start) {
        at = find_line_start(r->in, r->len, r->pos);
        if (at == r->len)
            r->no_line_start = r->pos;
    }
    if (at == r->len)
        at = find_anywhere(r->in, r->len, r->pos);
    size_t junk = 0;
    for (size_t i = r->pos; i < at; i++)
        junk += !is_gap(r->in[i]);
    r->pos = at;
    struct edifact_seps d;
    edifact_default_seps(&d);
    set_seps(r, &d);
    return junk;
}

/* Building the current segment's values. */
struct seg_builder {
    struct edifact_segment *s;
    char *text;
    size_t tlen;              /* bytes used in text, NULs included */
    size_t data;              /* value bytes stored */
    bool open;                /* a component is open and receiving bytes */
    bool full;                /* an element or component did not fit: keep nothing more */
    struct edifact_comp *cur; /* the open component */
};

static void close_comp(struct seg_builder *b)
{
    if (b->open) {
        b->text[b->tlen++] = '\0';
        b->open = false;
    }
}

static void open_comp(struct seg_builder *b, bool new_elem)
{
    struct edifact_segment *s = b->s;
    close_comp(b);
    if (s->nelem == 0)
        new_elem = true; /* a component separator right after the tag */
    if (b->full || s->ncomp >= EDIFACT_MAX_COMPS || (new_elem && s->nelem >= EDIFACT_MAX_ELEMS)) {
        b->full = true; /* everything after this is consumed but not kept */
        s->flags |= EDIFACT_TOO_MANY;
        return;
    }
    if (new_elem) {
        s->elem_first[s->nelem] = (uint16_t)s->ncomp;
        s->elem_ncomp[s->nelem] = 0;
        s->nelem++;
    }
    b->cur = &s->comp[s->ncomp];
    *b->cur = (struct edifact_comp){.off = (uint32_t)b->tlen, .len = 0, .rep = false};
    s->ncomp++;
    s->elem_ncomp[s->nelem - 1]++;
    b->open = true;
}

static void append(struct seg_builder *b, unsigned char c, bool rep)
{
    if (!b->open)
        return;
    if (b->data >= EDIFACT_SEGMENT_MAX) {
        b->s->flags |= EDIFACT_TRUNCATED;
        return;
    }
    b->text[b->tlen++] = (char)c;
    b->data++;
    b->cur->len++;
    b->cur->rep = b->cur->rep || rep;
}

static void read_una(struct edifact_reader *r, struct edifact_segment *s)
{
    memcpy(s->tag, "UNA", 4);
    s->flags |= EDIFACT_UNA;
    if (r->len - r->pos < 9) {
        s->flags |= EDIFACT_BAD_UNA;
        s->una_error = "the input ends inside the UNA service string";
        r->pos = r->len;
        return;
    }
    struct edifact_seps seps;
    s->una_error = edifact_parse_una(r->in + r->pos + 3, &seps);
    if (s->una_error != NULL)
        s->flags |= EDIFACT_BAD_UNA;
    else
        set_seps(r, &seps);
    r->pos += 9;
}

static void read_tag(struct edifact_reader *r, struct edifact_segment *s)
{
    const struct edifact_seps *sp = &r->seps;
    size_t n = 0, total = 0;
    bool blank = false, bad = false;
    while (r->pos < r->len) {
        unsigned char c = r->in[r->pos];
        if (c == sp->data || c == sp->comp || c == sp->term)
            break;
        r->pos++;
        if (is_eol(c))
            continue;
        if (c == ' ' || c == '\t') {
            blank = total > 0;
            continue;
        }
        if (blank || !((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            bad = true;
        total++;
        if (n < EDIFACT_TAG_MAX)
            s->tag[n++] = (char)c;
    }
    s->tag[n] = '\0';
    if (bad || total != 3)
        s->flags |= EDIFACT_BAD_TAG;
    else if (blank)
        s->flags |= EDIFACT_TAG_SPACE;
}

static void read_body(struct edifact_reader *r, struct edifact_segment *s)
{
    struct seg_builder b = {.s = s, .text = r->text};
    for (;;) {
        if (r->pos >= r->len) {
            s->flags |= EDIFACT_UNTERMINATED;
            break;
        }
        unsigned char c = r->in[r->pos++];
        switch (r->cls[c]) {
        case CLS_PLAIN:
            append(&b, c, false);
            continue;
        case CLS_TERM:
            break;
        case CLS_EOL:
            continue;
        case CLS_DATA:
            open_comp(&b, true);
            continue;
        case CLS_COMP:
            open_comp(&b, false);
            continue;
        case CLS_REP:
            append(&b, c, true);
            continue;
        default: /* CLS_RELEASE: the next byte (line breaks skipped) is data */
            while (r->pos < r->len && r->cls[r->in[r->pos]] == CLS_EOL)
                r->pos++;
            if (r->pos >= r->len) {
                s->flags |= EDIFACT_DANGLING_RELEASE | EDIFACT_UNTERMINATED;
                break;
            }
            append(&b, r->in[r->pos++], false);
            continue;
        }
        break;
    }
    close_comp(&b);
}

bool edifact_next(struct edifact_reader *r, struct edifact_segment *s)
{
    memset(s->tag, 0, sizeof s->tag);
    s->flags = 0;
    s->nelem = 0;
    s->ncomp = 0;
    s->text = r->text;
    s->una_error = NULL;
    r->text[0] = '\0';
    while (r->pos < r->len && (is_gap(r->in[r->pos]) || r->in[r->pos] == r->seps.term))
        r->pos++;
    s->offset = r->pos;
    if (r->pos >= r->len)
        return false;
    if (r->len - r->pos >= 3 && memcmp(r->in + r->pos, "UNA", 3) == 0) {
        read_una(r, s);
        return true;
    }
    read_tag(r, s);
    read_body(r, s);
    return true;
}

const char *edifact_value(const struct edifact_segment *s, size_t elem, size_t comp)
{
    if (elem >= s->nelem || comp >= s->elem_ncomp[elem])
        return "";
    return s->text + s->comp[s->elem_first[elem] + comp].off;
}

size_t edifact_ncomp(const struct edifact_segment *s, size_t elem)
{
    return elem < s->nelem ? s->elem_ncomp[elem] : 0;
}

bool edifact_has_rep(const struct edifact_segment *s, size_t elem, size_t comp)
{
    if (elem >= s->nelem || comp >= s->elem_ncomp[elem])
        return false;
    return s->comp[s->elem_first[elem] + comp].rep;
}

bool edifact_is(const struct edifact_segment *s, const char *t)
{
    return (s->flags & EDIFACT_BAD_TAG) == 0 && memcmp(s->tag, t, 4) == 0;
}
