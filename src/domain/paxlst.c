/* paxlst: PAXLST message semantics on top of domain/edifact. A small state
 * machine walks the segments once: interchange (UNB/UNZ), group (UNG/UNE),
 * message (UNH/UNT) and, inside a message, header, leg (TDT + LOC/DTM),
 * person (NAD + ATT, DTM, LOC, NAT, RFF, COM, EMP) and document (DOC + DTM,
 * LOC) contexts. Segments are dispatched by tag through one table; each
 * handler reads its elements by position and stores them through
 * domain/paxlst_build, which does the cleaning and the checks. Messages that
 * share a UNH common access reference become one flight; the control counts
 * (UNT, UNE, UNZ, CNT) and the multi-part assembly are checked at the end. */
#include "domain/paxlst.h"

#include <stdlib.h>
#include <string.h>

#include "domain/edifact.h"
#include "domain/paxlst_build.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/limits.h"
#include "util/text.h"
#include "util/timeutil.h"

enum ctx { CTX_NONE, CTX_HEADER, CTX_LEG, CTX_PERSON, CTX_DOC };

/* What is kept of each message for the checks made at the end. */
struct msg {
    size_t flight;
    size_t passengers, crew;   /* persons in this message */
    int64_t cnt_pax, cnt_crew; /* CNT+42 / CNT+41, -1 when absent */
    size_t cnt_seg_pax, cnt_seg_crew;
};

struct state {
    struct paxlst_builder b;
    struct edifact_reader rd;
    struct edifact_segment seg;
    size_t segno;
    size_t offset_base; /* bytes skipped before the reader's input (BOM) */
    /* interchange and group */
    bool in_unb, in_ung, saw_unb, warned_fragment;
    char unb_ref[PAXLST_REF_MAX + 1], ung_ref[PAXLST_REF_MAX + 1];
    size_t unb_msgs, unb_groups, ung_msgs;
    /* message */
    bool in_msg;
    bool own_legs; /* this message fills its flight's legs and header */
    char msg_ref[PAXLST_REF_MAX + 1];
    size_t msg_segs;
    enum ctx ctx;
    size_t flight;             /* current flight, PAXLST_NONE outside a message */
    size_t person;             /* current person, PAXLST_NONE before the first NAD */
    size_t doc;                /* current document index of the person, or PAXLST_NONE */
    struct paxlst_leg *leg;    /* current leg, or NULL */
    struct paxlst_leg scratch; /* legs of later parts and legs beyond the maximum */
    struct msg msgs[PAXLST_MAX_MESSAGES];
    size_t nmsgs;
    char join[EDIFACT_SEGMENT_MAX + EDIFACT_MAX_COMPS + 1];
};

/* ---- small helpers ---- */

static const char *val(const struct state *st, size_t e, size_t c)
{
    return edifact_value(&st->seg, e, c);
}

static void problem(struct state *st, enum paxlst_code code, enum paxlst_field f,
                    const char *detail, const char *v, int64_t a, int64_t bb)
{
    paxlst_build_problem(&st->b, PAXLST_NONE, st->flight, 0, code, f, detail, v,
                         v != NULL ? strlen(v) : 0, a, bb);
}

static void person_problem(struct state *st, unsigned doc, enum paxlst_code code,
                           enum paxlst_field f, const char *detail, const char *v)
{
    paxlst_build_problem(&st->b, st->person, PAXLST_NONE, doc, code, f, detail, v,
                         v != NULL ? strlen(v) : 0, 0, 0);
}

static struct paxlst_person *cur_person(struct state *st)
{
    return st->person == PAXLST_NONE ? NULL : &st->b.m->persons[st->person];
}

static struct paxlst_flight *cur_flight(struct state *st)
{
    return st->flight == PAXLST_NONE ? NULL : &st->b.m->flights[st->flight];
}

static void trimmed_copy(char *dst, size_t n, const char *v)
{
    while (*v == ' ')
        v++;
    text_copy(dst, n, v);
    size_t k = strlen(dst);
    while (k > 0 && dst[k - 1] == ' ')
        dst[--k] = '\0';
}

/* Stores v into a field of the current person (doc 0) or document (doc n),
 * unless it is empty; a second, different value is reported, not stored. */
static void person_text(struct state *st, unsigned doc, enum paxlst_field f, char *dst, size_t cap,
                        const char *v)
{
    if (v[0] == '\0')
        return;
    if (dst[0] != '\0') {
        char tmp[PAXLST_NAME_MAX + 1];
        trimmed_copy(tmp, sizeof tmp, v);
        if (strcmp(tmp, dst) != 0)
            person_problem(st, doc, PAXLST_DUPLICATE, f, "only the first value is kept", v);
        return;
    }
    paxlst_build_text(&st->b, st->person, PAXLST_NONE, doc, f, dst, cap, v, strlen(v));
}

/* Stores v into a flight field; quietly when this message repeats a part
 * already read (its header is not ours to keep). */
static void flight_text(struct state *st, enum paxlst_field f, char *dst, size_t cap, const char *v)
{
    if (!st->own_legs || v[0] == '\0')
        return;
    paxlst_build_text(&st->b, PAXLST_NONE, st->flight, 0, f, dst, cap, v, strlen(v));
}

static void leg_text(struct state *st, enum paxlst_field f, char *dst, size_t cap, const char *v)
{
    if (st->leg == &st->scratch || !st->own_legs)
        text_copy(dst, cap + 1, v);
    else
        paxlst_build_text(&st->b, PAXLST_NONE, st->flight, 0, f, dst, cap, v, strlen(v));
}

/* Joins components first..last of element e with single spaces, skipping
 * empty ones, into st->join (bounded by the segment's own size). */
static const char *join(struct state *st, size_t e, size_t first, size_t last)
{
    size_t n = 0;
    for (size_t c = first; c <= last && c < edifact_ncomp(&st->seg, e); c++) {
        const char *v = val(st, e, c);
        size_t k = strlen(v);
        if (k == 0)
            continue;
        if (n > 0 && n < sizeof st->join - 1)
            st->join[n++] = ' ';
        if (k > sizeof st->join - 1 - n)
            k = sizeof st->join - 1 - n;
        memcpy(st->join + n, v, k);
        n += k;
    }
    st->join[n] = '\0';
    return st->join;
}

static bool parse_count(const char *s, int64_t *out)
{
    char tmp[24];
    size_t n = strlen(s);
    while (n > 0 && s[0] == ' ') {
        s++;
        n--;
    }
    while (n > 0 && s[n - 1] == ' ')
        n--;
    if (n == 0 || n >= sizeof tmp || s[0] == '-')
        return false;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    return text_parse_i64(tmp, 0, INT64_C(999999999999), out) == 0;
}

/* ---- dates ---- */

enum date_kind { DATE_BIRTH, DATE_NEAR };

static bool digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static void put_num(char *o, int v, size_t w)
{
    for (size_t i = w; i-- > 0; v /= 10)
        o[i] = (char)('0' + v % 10);
}

/* Reads an EDIFACT date or date-time (YYMMDD, CCYYMMDD, YYMMDDHHMM,
 * CCYYMMDDHHMM, CCYYMMDDHHMMSS, by length) into ISO text. Two-digit years:
 * birth dates are never after limit; other dates are taken within 50 years
 * of today. */
static bool edi_date(const char *v, enum date_kind kind, int64_t today, int64_t limit,
                     char out[PAXLST_DATE_MAX + 1])
{
    char s[16];
    size_t n = strlen(v);
    while (n > 0 && *v == ' ') {
        v++;
        n--;
    }
    while (n > 0 && v[n - 1] == ' ')
        n--;
    if (n != 6 && n != 8 && n != 10 && n != 12 && n != 14)
        return false;
    memcpy(s, v, n);
    bool century = n == 8 || n >= 12;
    size_t yl = century ? 4 : 2;
    int y, mo, d, hh = -1, mi = 0;
    if (!digits(s, yl, &y) || !digits(s + yl, 2, &mo) || !digits(s + yl + 2, 2, &d))
        return false;
    if (n > yl + 4 &&
        (!digits(s + yl + 4, 2, &hh) || !digits(s + yl + 6, 2, &mi) || hh > 23 || mi > 59))
        return false;
    if (!century) {
        int ty, tm, td;
        time_civil_from_days(today, &ty, &tm, &td);
        y += 2000;
        if (kind == DATE_BIRTH) {
            if (mo < 1 || mo > 12 || d < 1 || d > 31 || time_days_from_civil(y, mo, d) > limit)
                y -= 100;
        } else if (y > ty + 50) {
            y -= 100;
        } else if (y < ty - 50) {
            y += 100;
        }
    }
    if (!time_valid_date(y, mo, d))
        return false;
    put_num(out, y, 4);
    out[4] = '-';
    put_num(out + 5, mo, 2);
    out[7] = '-';
    put_num(out + 8, d, 2);
    out[10] = '\0';
    if (hh >= 0) {
        out[10] = 'T';
        put_num(out + 11, hh, 2);
        out[13] = ':';
        put_num(out + 14, mi, 2);
        out[16] = '\0';
    }
    return true;
}

/* The latest possible birth day for persons of the current flight. */
static int64_t birth_limit(struct state *st)
{
    int64_t limit = st->b.opt->today, d;
    const struct paxlst_flight *f = cur_flight(st);
    for (size_t i = 0; f != NULL && i < f->nlegs; i++)
        if (paxlst_iso_days(f->legs[i].departure_time, &d) && d < limit)
            limit = d;
    return limit;
}

/* ---- interchange, group and message envelopes ---- */

static void close_message(struct state *st)
{
    st->in_msg = false;
    st->ctx = CTX_NONE;
    st->flight = PAXLST_NONE;
    st->person = PAXLST_NONE;
    st->doc = PAXLST_NONE;
    st->leg = NULL;
}

/* Closes what is still open before a new interchange (all = true) or a new
 * message, reporting each missing trailer. */
static void end_open(struct state *st, bool all)
{
    if (st->in_msg) {
        problem(st, PAXLST_ENVELOPE, PAXLST_F_UNT,
                "UNT missing: the message ends at the next header or the end of the input", NULL, 0,
                0);
        close_message(st);
    }
    if (!all)
        return;
    if (st->in_ung)
        problem(st, PAXLST_ENVELOPE, PAXLST_F_UNE, "UNE missing after a UNG group", NULL, 0, 0);
    if (st->in_unb)
        problem(st, PAXLST_ENVELOPE, PAXLST_F_UNZ, "UNZ missing after a UNB interchange", NULL, 0,
                0);
    st->in_ung = false;
    st->in_unb = false;
}

static void note_part(struct state *st, struct paxlst_flight *f, const char *seq, const char *flag)
{
    int64_t n = 0;
    bool numbered = parse_count(seq, &n) && n >= 1 && n <= 99;
    unsigned bit = numbered ? (unsigned)n : 0;
    if (seq[0] != '\0' && !numbered)
        problem(st, PAXLST_MALFORMED, PAXLST_F_UNH, "the transfer sequence number is not 1 to 99",
                seq, 0, 0);
    uint64_t mask = UINT64_C(1) << (bit % 64);
    if (f->nparts > 0 && (f->parts_seen[bit / 64] & mask) != 0)
        problem(st, PAXLST_DUPLICATE, PAXLST_F_PARTS,
                "this part of the message was already received; both copies are kept", seq, 0, 0);
    f->parts_seen[bit / 64] |= mask;
    f->nparts++;
    if (numbered && n != 1)
        f->multipart = true;
    if (strcmp(flag, "C") == 0)
        f->multipart = true;
    else if (strcmp(flag, "F") == 0 && numbered)
        f->final_part = bit;
    else if (flag[0] != '\0')
        problem(st, PAXLST_MALFORMED, PAXLST_F_UNH, "the first/last flag is not C or F", flag, 0,
                0);
}

static void start_message(struct state *st, const char *ref, const char *car, const char *seq,
                          const char *flag)
{
    char key[PAXLST_REF_MAX + 1];
    if (st->nmsgs >= PAXLST_MAX_MESSAGES) {
        paxlst_build_fail(&st->b, ERR_LIMIT, "input: more than %u messages", PAXLST_MAX_MESSAGES);
        return;
    }
    trimmed_copy(key, sizeof key, car);
    size_t k = PAXLST_NONE;
    for (size_t i = 0; key[0] != '\0' && i < st->b.m->nflights; i++)
        if (strcmp(st->b.m->flights[i].common_ref, key) == 0)
            k = i;
    st->own_legs = k == PAXLST_NONE;
    if (k == PAXLST_NONE && (k = paxlst_build_flight(&st->b)) == PAXLST_NONE)
        return;
    st->flight = k;
    struct paxlst_flight *f = cur_flight(st);
    flight_text(st, PAXLST_F_REFERENCE, f->common_ref, PAXLST_REF_MAX, car);
    flight_text(st, PAXLST_F_REFERENCE, f->message_ref, PAXLST_REF_MAX, ref);
    note_part(st, f, seq, flag);
    st->msgs[st->nmsgs++] = (struct msg){.flight = k, .cnt_pax = -1, .cnt_crew = -1};
    trimmed_copy(st->msg_ref, sizeof st->msg_ref, ref);
    st->in_msg = true;
    st->msg_segs = 1;
    st->ctx = CTX_HEADER;
    st->person = PAXLST_NONE;
    st->doc = PAXLST_NONE;
    st->leg = NULL;
    st->ung_msgs += st->in_ung;
    st->unb_msgs += st->in_unb;
}

static enum paxlst_charset charset_of(const char *id)
{
    if (strcmp(id, "UNOA") == 0)
        return PAXLST_CS_UNOA;
    if (strcmp(id, "UNOC") == 0)
        return PAXLST_CS_LATIN1;
    if (strcmp(id, "UNOW") == 0 || strcmp(id, "UNOY") == 0)
        return PAXLST_CS_UTF8;
    if (strlen(id) == 4 && strncmp(id, "UNO", 3) == 0 && id[3] >= 'D' && id[3] <= 'K')
        return PAXLST_CS_8BIT;
    return PAXLST_CS_UNOB;
}

static void seg_una(struct state *st)
{
    end_open(st, true);
    if (st->seg.flags & EDIFACT_BAD_UNA)
        problem(st, PAXLST_MALFORMED, PAXLST_F_UNA, st->seg.una_error, NULL, 0, 0);
}

static void seg_unb(struct state *st)
{
    struct paxlst_manifest *m = st->b.m;
    end_open(st, true);
    st->in_unb = true;
    st->unb_msgs = 0;
    st->unb_groups = 0;
    trimmed_copy(st->unb_ref, sizeof st->unb_ref, val(st, 4, 0));
    char id[PAXLST_CODE_MAX + 1];
    trimmed_copy(id, sizeof id, val(st, 0, 0));
    st->b.charset = charset_of(id);
    if (st->saw_unb)
        return;
    st->saw_unb = true;
    const char *v[] = {val(st, 1, 0), val(st, 2, 0), val(st, 4, 0)};
    paxlst_build_text(&st->b, PAXLST_NONE, PAXLST_NONE, 0, PAXLST_F_UNB, m->syntax, PAXLST_CODE_MAX,
                      id, strlen(id));
    paxlst_build_text(&st->b, PAXLST_NONE, PAXLST_NONE, 0, PAXLST_F_SENDER, m->sender,
                      PAXLST_TEXT_MAX, v[0], strlen(v[0]));
    paxlst_build_text(&st->b, PAXLST_NONE, PAXLST_NONE, 0, PAXLST_F_RECIPIENT, m->recipient,
                      PAXLST_TEXT_MAX, v[1], strlen(v[1]));
    paxlst_build_text(&st->b, PAXLST_NONE, PAXLST_NONE, 0, PAXLST_F_REFERENCE, m->interchange_ref,
                      PAXLST_REF_MAX, v[2], strlen(v[2]));
}

static void seg_ung(struct state *st)
{
    struct paxlst_manifest *m = st->b.m;
    end_open(st, false);
    if (st->in_ung)
        problem(st, PAXLST_ENVELOPE, PAXLST_F_UNE, "UNE missing after a UNG group", NULL, 0, 0);
    bool first = st->unb_groups == 0 && m->group_sender[0] == '\0' && m->nflights == 0;
    st->in_ung = true;
    st->ung_msgs = 0;
    st->unb_groups++;
    trimmed_copy(st->ung_ref, sizeof st->ung_ref, val(st, 4, 0));
    if (!first)
        return;
    const char *v[] = {val(st, 1, 0), val(st, 2, 0)};
    paxlst_build_text(&st->b, PAXLST_NONE, PAXLST_NONE, 0, PAXLST_F_SENDER, m->group_sender,
                      PAXLST_TEXT_MAX, v[0], strlen(v[0]));
    paxlst_build_text(&st->b, PAXLST_NONE, PAXLST_NONE, 0, PAXLST_F_RECIPIENT, m->group_recipient,
                      PAXLST_TEXT_MAX, v[1], strlen(v[1]));
}

static void seg_unh(struct state *st)
{
    end_open(st, false);
    if (!st->saw_unb && !st->warned_fragment) {
        st->warned_fragment = true;
        problem(st, PAXLST_ENVELOPE, PAXLST_F_UNB,
                "message without an interchange header (UNB): read as a fragment", NULL, 0, 0);
    }
    const char *type = val(st, 1, 0);
    if (strcmp(type, "PAXLST") != 0)
        problem(st, PAXLST_UNKNOWN_CODE, PAXLST_F_UNH, "message type is not PAXLST; read as one",
                type, 0, 0);
    start_message(st, val(st, 0, 0), val(st, 2, 0), val(st, 3, 0), val(st, 3, 1));
}

/* Checks a trailer's count and reference against what was counted. */
static void check_trailer(struct state *st, enum paxlst_field f, int64_t counted, int64_t alt,
                          const char *header_ref, const char *ref_detail)
{
    int64_t declared;
    const char *count = val(st, 0, 0), *ref = val(st, 1, 0);
    char r[PAXLST_REF_MAX + 1];
    if (!parse_count(count, &declared))
        problem(st, PAXLST_MALFORMED, f, "the count is not a number", count, 0, 0);
    else if (declared != counted && declared != alt)
        problem(st, PAXLST_COUNT_MISMATCH, f, NULL, NULL, declared, counted);
    trimmed_copy(r, sizeof r, ref);
    if (strcmp(r, header_ref) != 0)
        problem(st, PAXLST_REFERENCE_MISMATCH, f, ref_detail, ref, 0, 0);
}

static void seg_unt(struct state *st)
{
    if (!st->in_msg) {
        problem(st, PAXLST_UNEXPECTED, PAXLST_F_UNT, "UNT without UNH; ignored", NULL, 0, 0);
        return;
    }
    check_trailer(st, PAXLST_F_UNT, (int64_t)st->msg_segs, (int64_t)st->msg_segs, st->msg_ref,
                  "does not match the UNH message reference");
    close_message(st);
}

static void seg_une(struct state *st)
{
    end_open(st, false);
    if (!st->in_ung) {
        problem(st, PAXLST_ENVELOPE, PAXLST_F_UNE, "UNE without UNG", NULL, 0, 0);
        return;
    }
    check_trailer(st, PAXLST_F_UNE, (int64_t)st->ung_msgs, (int64_t)st->ung_msgs, st->ung_ref,
                  "does not match the UNG group reference");
    st->in_ung = false;
}

static void seg_unz(struct state *st)
{
    end_open(st, false);
    if (st->in_ung) {
        problem(st, PAXLST_ENVELOPE, PAXLST_F_UNE, "UNE missing after a UNG group", NULL, 0, 0);
        st->in_ung = false;
    }
    if (!st->in_unb) {
        problem(st, PAXLST_ENVELOPE, PAXLST_F_UNZ, "UNZ without UNB", NULL, 0, 0);
    } else {
        int64_t alt = st->unb_groups > 0 ? (int64_t)st->unb_groups : (int64_t)st->unb_msgs;
        check_trailer(st, PAXLST_F_UNZ, (int64_t)st->unb_msgs, alt, st->unb_ref,
                      "does not match the UNB interchange reference");
    }
    st->in_unb = false;
    size_t junk = edifact_skip_to_start(&st->rd);
    if (junk > 0)
        problem(st, PAXLST_TRAILING_DATA, PAXLST_F_INPUT, NULL, NULL, (int64_t)junk, 0);
}

/* ---- message header and legs ---- */

static void seg_bgm(struct state *st)
{
    struct paxlst_flight *f = cur_flight(st);
    st->ctx = st->ctx == CTX_NONE ? CTX_HEADER : st->ctx;
    if (!st->own_legs)
        return;
    const char *code = val(st, 0, 0);
    flight_text(st, PAXLST_F_BGM, f->document_code, PAXLST_CODE_MAX, code);
    flight_text(st, PAXLST_F_BGM, f->document_id, PAXLST_REF_MAX, val(st, 1, 0));
    if (strcmp(f->document_code, "745") == 0)
        f->list = PAXLST_LIST_PASSENGERS;
    else if (strcmp(f->document_code, "250") == 0 || strcmp(f->document_code, "336") == 0)
        f->list = PAXLST_LIST_CREW;
    else if (f->document_code[0] != '\0')
        f->list = PAXLST_LIST_OTHER;
}

static void seg_tdt(struct state *st)
{
    struct paxlst_flight *f = cur_flight(st);
    if (st->ctx == CTX_PERSON || st->ctx == CTX_DOC)
        problem(st, PAXLST_UNEXPECTED, PAXLST_F_SEGMENT,
                "TDT after the persons; read as another leg", NULL, 0, 0);
    if (st->own_legs && f->nlegs < PAXLST_MAX_LEGS) {
        st->leg = &f->legs[f->nlegs++];
    } else {
        if (st->own_legs)
            problem(st, PAXLST_TOO_MANY, PAXLST_F_LEGS, "more legs than kept; this one ignored",
                    NULL, (int64_t)PAXLST_MAX_LEGS, 0);
        st->leg = &st->scratch;
    }
    memset(st->leg, 0, sizeof *st->leg);
    leg_text(st, PAXLST_F_FLIGHT, st->leg->flight, PAXLST_REF_MAX, val(st, 1, 0));
    leg_text(st, PAXLST_F_CARRIER, st->leg->carrier, PAXLST_CODE_MAX, val(st, 4, 0));
    st->ctx = CTX_LEG;
    st->person = PAXLST_NONE;
    st->doc = PAXLST_NONE;
}

static void leg_loc(struct state *st, const char *q, const char *code)
{
    struct paxlst_leg *l = st->leg;
    if (strcmp(q, "125") == 0) {
        leg_text(st, PAXLST_F_DEPARTURE_PORT, l->departure_port, PAXLST_CODE_MAX, code);
        l->border = true;
    } else if (strcmp(q, "87") == 0) {
        leg_text(st, PAXLST_F_ARRIVAL_PORT, l->arrival_port, PAXLST_CODE_MAX, code);
        l->border = true;
    } else if (strcmp(q, "92") == 0) {
        if (l->departure_port[0] == '\0')
            leg_text(st, PAXLST_F_DEPARTURE_PORT, l->departure_port, PAXLST_CODE_MAX, code);
        else if (l->arrival_port[0] == '\0')
            leg_text(st, PAXLST_F_ARRIVAL_PORT, l->arrival_port, PAXLST_CODE_MAX, code);
        l->routing = true;
    }
}

static void leg_dtm(struct state *st, const char *q, const char *v)
{
    struct paxlst_leg *l = st->leg;
    bool dep = strcmp(q, "189") == 0;
    bool arr = strcmp(q, "232") == 0 || (strcmp(q, "132") == 0 && l->arrival_time[0] == '\0');
    char iso[PAXLST_DATE_MAX + 1];
    if ((!dep && !arr) || v[0] == '\0')
        return;
    if (!edi_date(v, DATE_NEAR, st->b.opt->today, 0, iso)) {
        if (l != &st->scratch && st->own_legs)
            problem(st, PAXLST_INVALID_DATE, dep ? PAXLST_F_DEPARTURE_TIME : PAXLST_F_ARRIVAL_TIME,
                    NULL, v, 0, 0);
        return;
    }
    text_copy(dep ? l->departure_time : l->arrival_time, PAXLST_DATE_MAX + 1, iso);
}

/* ---- persons ---- */

static void seg_nad_ms(struct state *st)
{
    struct paxlst_flight *f = cur_flight(st);
    const char *name = join(st, 3, 0, 4);
    if (name[0] == '\0')
        name = val(st, 1, 0);
    if (f->reporting_party[0] == '\0')
        flight_text(st, PAXLST_F_REPORTING_PARTY, f->reporting_party, PAXLST_NAME_MAX, name);
}

static enum paxlst_role nad_role(struct state *st, const char *q, bool *transit, bool *known)
{
    *transit = strcmp(q, "DDU") == 0 || strcmp(q, "DDT") == 0;
    *known = true;
    if (strcmp(q, "FL") == 0 || strcmp(q, "DDU") == 0)
        return PAXLST_PASSENGER;
    if (strcmp(q, "FM") == 0 || strcmp(q, "DDT") == 0)
        return PAXLST_CREW;
    *known = false;
    return cur_flight(st)->list == PAXLST_LIST_CREW ? PAXLST_CREW : PAXLST_PASSENGER;
}

static void nad_address(struct state *st, struct paxlst_person *p)
{
    struct paxlst_address *a = &p->address;
    person_text(st, 0, PAXLST_F_STREET, a->street, PAXLST_TEXT_MAX, join(st, 4, 0, 3));
    person_text(st, 0, PAXLST_F_CITY, a->city, PAXLST_TEXT_MAX, val(st, 5, 0));
    const char *region = val(st, 6, 3)[0] != '\0' ? val(st, 6, 3) : val(st, 6, 0);
    person_text(st, 0, PAXLST_F_REGION, a->region, PAXLST_REF_MAX, region);
    person_text(st, 0, PAXLST_F_POSTCODE, a->postcode, PAXLST_REF_MAX, val(st, 7, 0));
    person_text(st, 0, PAXLST_F_ADDRESS_COUNTRY, a->country, PAXLST_CODE_MAX, val(st, 8, 0));
}

static void seg_nad(struct state *st)
{
    const char *q = val(st, 0, 0);
    if (strcmp(q, "MS") == 0) {
        seg_nad_ms(st);
        return;
    }
    bool transit, known;
    enum paxlst_role role = nad_role(st, q, &transit, &known);
    size_t i = paxlst_build_person(&st->b, st->flight, role);
    if (i == PAXLST_NONE)
        return;
    st->person = i;
    st->doc = PAXLST_NONE;
    st->ctx = CTX_PERSON;
    struct msg *mg = &st->msgs[st->nmsgs - 1];
    if (role == PAXLST_CREW)
        mg->crew++;
    else
        mg->passengers++;
    struct paxlst_person *p = cur_person(st);
    p->in_transit = transit;
    if (!known)
        person_problem(st, 0, PAXLST_UNKNOWN_CODE, PAXLST_F_ROLE,
                       "is not FL, FM, DDU or DDT; role taken from the list type", q);
    person_text(st, 0, PAXLST_F_SURNAME, p->surname, PAXLST_NAME_MAX, val(st, 3, 0));
    person_text(st, 0, PAXLST_F_GIVEN_NAMES, p->given_names, PAXLST_NAME_MAX, join(st, 3, 1, 4));
    nad_address(st, p);
}

/* Reports a person segment that came before any NAD; true when it did. */
static bool no_person(struct state *st)
{
    if (st->person != PAXLST_NONE)
        return false;
    problem(st, PAXLST_UNEXPECTED, PAXLST_F_SEGMENT, "person data before any NAD; ignored", NULL, 0,
            0);
    return true;
}

static size_t span_to(const char *s, char c)
{
    const char *e = strchr(s, c);
    return e != NULL ? (size_t)(e - s) : strlen(s);
}

static void seg_att(struct state *st)
{
    if (no_person(st) || strcmp(val(st, 0, 0), "2") != 0)
        return;
    const char *v = val(st, 2, 0);
    char first[PAXLST_CODE_MAX + 1];
    if (edifact_has_rep(&st->seg, 2, 0)) {
        /* ATT+2++M*M*M: syntax-4 repetitions of one value; they must agree */
        char rep = (char)st->rd.seps.rep;
        size_t k = span_to(v, rep);
        bool agree = true;
        for (const char *s = v + k; *s == rep;) {
            s++;
            size_t n = span_to(s, rep);
            agree = agree && n == k && memcmp(s, v, k) == 0;
            s += n;
        }
        if (!agree)
            person_problem(st, 0, PAXLST_INCONSISTENT, PAXLST_F_SEX,
                           "repeats disagree; the first is kept", v);
        text_copy(first, k + 1 < sizeof first ? k + 1 : sizeof first, v);
        v = first;
    }
    struct paxlst_person *p = cur_person(st);
    person_text(st, 0, PAXLST_F_SEX, p->sex, PAXLST_CODE_MAX, v);
}

static void person_date(struct state *st, unsigned doc, enum paxlst_field f, char *dst,
                        const char *v, enum date_kind kind)
{
    char iso[PAXLST_DATE_MAX + 1];
    if (v[0] == '\0')
        return;
    if (!edi_date(v, kind, st->b.opt->today, birth_limit(st), iso)) {
        person_problem(st, doc, PAXLST_INVALID_DATE, f, NULL, v);
        return;
    }
    iso[10] = '\0'; /* a birth or document date has no time */
    person_text(st, doc, f, dst, PAXLST_DATE_MAX, iso);
}

static void seg_dtm(struct state *st)
{
    const char *q = val(st, 0, 0), *v = val(st, 0, 1);
    if (st->ctx == CTX_LEG) {
        leg_dtm(st, q, v);
        return;
    }
    if (st->ctx != CTX_PERSON && st->ctx != CTX_DOC)
        return; /* message date and time */
    struct paxlst_person *p = cur_person(st);
    bool doc_date = strcmp(q, "36") == 0 || strcmp(q, "182") == 0;
    if (strcmp(q, "329") == 0) {
        person_date(st, 0, PAXLST_F_BIRTH_DATE, p->birth_date, v, DATE_BIRTH);
    } else if (doc_date && st->doc == PAXLST_NONE) {
        if (st->ctx == CTX_PERSON)
            problem(st, PAXLST_UNEXPECTED, PAXLST_F_SEGMENT,
                    "document date before any DOC; ignored", NULL, 0, 0);
    } else if (doc_date) {
        struct paxlst_doc *d = &p->docs[st->doc];
        bool exp = q[0] == '3';
        person_date(st, (unsigned)st->doc + 1, exp ? PAXLST_F_DOC_EXPIRY : PAXLST_F_DOC_ISSUED,
                    exp ? d->expiry : d->issued, v, DATE_NEAR);
    }
}

static void person_loc(struct state *st, const char *q, const char *code)
{
    struct paxlst_person *p = cur_person(st);
    if (strcmp(q, "91") == 0) {
        if (st->doc != PAXLST_NONE)
            person_text(st, (unsigned)st->doc + 1, PAXLST_F_DOC_ISSUER, p->docs[st->doc].issuer,
                        PAXLST_CODE_MAX, code);
        else if (st->ctx == CTX_PERSON)
            problem(st, PAXLST_UNEXPECTED, PAXLST_F_SEGMENT,
                    "document issuing state before any DOC; ignored", NULL, 0, 0);
    } else if (strcmp(q, "22") == 0) {
        person_text(st, 0, PAXLST_F_FIRST_ARRIVAL, p->first_arrival, PAXLST_CODE_MAX, code);
    } else if (strcmp(q, "174") == 0) {
        person_text(st, 0, PAXLST_F_RESIDENCE, p->residence, PAXLST_CODE_MAX, code);
    } else if (strcmp(q, "178") == 0) {
        person_text(st, 0, PAXLST_F_EMBARKATION, p->embarkation, PAXLST_CODE_MAX, code);
    } else if (strcmp(q, "179") == 0) {
        person_text(st, 0, PAXLST_F_DEBARKATION, p->debarkation, PAXLST_CODE_MAX, code);
    } else if (strcmp(q, "180") == 0) {
        const char *name = val(st, 1, 3);
        if (name[0] == '\0') {
            person_text(st, 0, PAXLST_F_BIRTH_PLACE, p->birth_place, PAXLST_TEXT_MAX, code);
            return;
        }
        person_text(st, 0, PAXLST_F_BIRTH_PLACE, p->birth_place, PAXLST_TEXT_MAX, name);
        person_text(st, 0, PAXLST_F_BIRTH_PLACE, p->birth_place_code, PAXLST_CODE_MAX, code);
    }
}

static void seg_loc(struct state *st)
{
    const char *q = val(st, 0, 0), *code = val(st, 1, 0);
    if (st->ctx == CTX_LEG)
        leg_loc(st, q, code);
    else if (st->ctx == CTX_PERSON || st->ctx == CTX_DOC)
        person_loc(st, q, code);
}

static void seg_nat(struct state *st)
{
    if (no_person(st))
        return;
    person_text(st, 0, PAXLST_F_NATIONALITY, cur_person(st)->nationality, PAXLST_CODE_MAX,
                val(st, 1, 0));
}

static void seg_rff(struct state *st)
{
    const char *q = val(st, 0, 0), *v = val(st, 0, 1);
    if (st->ctx == CTX_PERSON || st->ctx == CTX_DOC) {
        struct paxlst_person *p = cur_person(st);
        if (strcmp(q, "AVF") == 0)
            person_text(st, 0, PAXLST_F_BOOKING_REF, p->booking_ref, PAXLST_REF_MAX, v);
        else if (strcmp(q, "ABO") == 0)
            person_text(st, 0, PAXLST_F_PASSENGER_REF, p->passenger_ref, PAXLST_REF_MAX, v);
        else if (strcmp(q, "SEA") == 0)
            person_text(st, 0, PAXLST_F_SEAT, p->seat, PAXLST_REF_MAX, v);
    } else if (strcmp(q, "TN") == 0) {
        struct paxlst_flight *f = cur_flight(st);
        if (f->transaction_ref[0] == '\0')
            flight_text(st, PAXLST_F_REFERENCE, f->transaction_ref, PAXLST_REF_MAX, v);
    }
}

/* COM+number:TE+number:FX+address:EM: the first phone and e-mail are kept. */
static void seg_com(struct state *st)
{
    bool person = st->ctx == CTX_PERSON || st->ctx == CTX_DOC;
    struct paxlst_flight *f = cur_flight(st);
    for (size_t e = 0; e < st->seg.nelem; e++) {
        const char *num = val(st, e, 0), *q = val(st, e, 1);
        bool te = strcmp(q, "TE") == 0, em = strcmp(q, "EM") == 0;
        if (!te && !em)
            continue;
        if (person) {
            struct paxlst_person *p = cur_person(st);
            char *dst = te ? p->phone : p->email;
            if (dst[0] == '\0')
                person_text(st, 0, te ? PAXLST_F_PHONE : PAXLST_F_EMAIL, dst, PAXLST_TEXT_MAX, num);
        } else if (st->ctx == CTX_HEADER) {
            char *dst = te ? f->reporting_phone : f->reporting_email;
            if (dst[0] == '\0')
                flight_text(st, PAXLST_F_REPORTING_PARTY, dst, PAXLST_TEXT_MAX, num);
        }
    }
}

static void seg_emp(struct state *st)
{
    if (no_person(st))
        return;
    person_text(st, 0, PAXLST_F_CREW_FUNCTION, cur_person(st)->crew_function, PAXLST_REF_MAX,
                val(st, 1, 0));
}

static void seg_doc(struct state *st)
{
    if (no_person(st))
        return;
    struct paxlst_person *p = cur_person(st);
    st->ctx = CTX_DOC;
    if (p->ndocs >= PAXLST_MAX_DOCS) {
        st->doc = PAXLST_NONE;
        person_problem(st, 0, PAXLST_TOO_MANY, PAXLST_F_DOCUMENT,
                       "more documents than kept; this one ignored", val(st, 1, 0));
        return;
    }
    st->doc = p->ndocs++;
    unsigned dn = (unsigned)st->doc + 1;
    struct paxlst_doc *d = &p->docs[st->doc];
    person_text(st, dn, PAXLST_F_DOC_TYPE, d->type, PAXLST_CODE_MAX, val(st, 0, 0));
    person_text(st, dn, PAXLST_F_DOC_NUMBER, d->number, PAXLST_TEXT_MAX, val(st, 1, 0));
}

/* CNT+42:n (passengers) or CNT+41:n (crew); "CNT+41+8" is read too. */
static void seg_cnt(struct state *st)
{
    const char *q = val(st, 0, 0), *v = val(st, 0, 1);
    struct msg *mg = &st->msgs[st->nmsgs - 1];
    if (v[0] == '\0' && edifact_ncomp(&st->seg, 0) == 1 && val(st, 1, 0)[0] != '\0') {
        v = val(st, 1, 0);
        problem(st, PAXLST_MALFORMED, PAXLST_F_CNT,
                "uses the element separator where the component separator belongs", NULL, 0, 0);
    }
    int64_t n;
    bool pax = strcmp(q, "42") == 0, crew = strcmp(q, "41") == 0;
    if (!pax && !crew)
        return;
    if (!parse_count(v, &n)) {
        problem(st, PAXLST_MALFORMED, PAXLST_F_CNT, "the control total is not a number", v, 0, 0);
        return;
    }
    if (pax) {
        mg->cnt_pax = n;
        mg->cnt_seg_pax = st->segno;
    } else {
        mg->cnt_crew = n;
        mg->cnt_seg_crew = st->segno;
    }
    struct paxlst_flight *f = cur_flight(st);
    *(pax ? &f->declared_passengers : &f->declared_crew) = n;
}

/* ---- dispatch ---- */

struct handler {
    char tag[4];
    void (*fn)(struct state *st);
    bool body; /* belongs inside UNH..UNT */
};

static const struct handler handlers[] = {
    {"UNB", seg_unb, false}, {"UNG", seg_ung, false}, {"UNH", seg_unh, false},
    {"UNT", seg_unt, false}, {"UNE", seg_une, false}, {"UNZ", seg_unz, false},
    {"BGM", seg_bgm, true},  {"RFF", seg_rff, true},  {"DTM", seg_dtm, true},
    {"NAD", seg_nad, true},  {"COM", seg_com, true},  {"TDT", seg_tdt, true},
    {"LOC", seg_loc, true},  {"ATT", seg_att, true},  {"NAT", seg_nat, true},
    {"DOC", seg_doc, true},  {"EMP", seg_emp, true},  {"CNT", seg_cnt, true},
    {"CTA", NULL, true},     {"MEA", NULL, true},     {"GEI", NULL, true},
    {"FTX", NULL, true},     {"QTY", NULL, true},
};

static const struct handler *find_handler(const struct edifact_segment *s)
{
    if (s->flags & EDIFACT_BAD_TAG)
        return NULL;
    for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++)
        if (s->tag[0] == handlers[i].tag[0] && memcmp(s->tag, handlers[i].tag, 4) == 0)
            return &handlers[i];
    return NULL;
}

static void segment_flags(struct state *st)
{
    unsigned fl = st->seg.flags;
    if (fl & EDIFACT_BAD_TAG)
        problem(st, PAXLST_MALFORMED, PAXLST_F_SEGMENT,
                "not a segment tag (three upper-case letters or digits); segment ignored",
                st->seg.tag, 0, 0);
    if (fl & EDIFACT_TAG_SPACE)
        problem(st, PAXLST_MALFORMED, PAXLST_F_SEGMENT, "blank after the segment tag", NULL, 0, 0);
    if (fl & EDIFACT_TRUNCATED)
        problem(st, PAXLST_TOO_MANY, PAXLST_F_SEGMENT,
                "segment longer than the reader keeps; the rest was dropped", NULL,
                (int64_t)EDIFACT_SEGMENT_MAX, 0);
    if (fl & EDIFACT_TOO_MANY)
        problem(st, PAXLST_TOO_MANY, PAXLST_F_SEGMENT,
                "more data elements or components than the reader keeps; the rest was dropped",
                NULL, 0, 0);
    if (fl & EDIFACT_DANGLING_RELEASE)
        problem(st, PAXLST_MALFORMED, PAXLST_F_SEGMENT, "release character at the end of the input",
                NULL, 0, 0);
    else if (fl & EDIFACT_UNTERMINATED)
        problem(st, PAXLST_MALFORMED, PAXLST_F_SEGMENT,
                "the input ends inside this segment (no terminator)", NULL, 0, 0);
}

static void handle_segment(struct state *st)
{
    struct edifact_segment *s = &st->seg;
    st->segno++;
    st->b.segment = st->segno;
    st->b.segment_tag = (s->flags & EDIFACT_BAD_TAG) ? "?" : s->tag;
    if (s->flags & EDIFACT_UNA) {
        seg_una(st);
        return;
    }
    st->msg_segs += st->in_msg;
    segment_flags(st);
    if (s->flags & EDIFACT_BAD_TAG)
        return;
    const struct handler *h = find_handler(s);
    if (h == NULL) {
        problem(st, PAXLST_UNKNOWN_SEGMENT, PAXLST_F_SEGMENT, "segment not used in PAXLST; ignored",
                s->tag, 0, 0);
        return;
    }
    if (h->body && !st->in_msg) {
        problem(st, PAXLST_UNEXPECTED, PAXLST_F_SEGMENT,
                "segment outside UNH..UNT; a message was assumed", s->tag, 0, 0);
        start_message(st, "", "", "", "");
        if (st->b.err != 0)
            return;
    }
    if (h->fn != NULL)
        h->fn(st);
}

/* ---- checks over the whole input ---- */

static void check_cnt(struct state *st)
{
    for (size_t i = 0; i < st->nmsgs; i++) {
        const struct msg *mg = &st->msgs[i];
        const struct paxlst_flight *f = &st->b.m->flights[mg->flight];
        st->flight = mg->flight;
        st->b.segment_tag = "CNT";
        if (mg->cnt_pax >= 0 && mg->cnt_pax != (int64_t)mg->passengers &&
            mg->cnt_pax != (int64_t)f->passengers) {
            st->b.segment = mg->cnt_seg_pax;
            problem(st, PAXLST_COUNT_MISMATCH, PAXLST_F_CNT, "passengers (CNT+42)", NULL,
                    mg->cnt_pax, (int64_t)mg->passengers);
        }
        if (mg->cnt_crew >= 0 && mg->cnt_crew != (int64_t)mg->crew &&
            mg->cnt_crew != (int64_t)f->crew) {
            st->b.segment = mg->cnt_seg_crew;
            problem(st, PAXLST_COUNT_MISMATCH, PAXLST_F_CNT, "crew members (CNT+41)", NULL,
                    mg->cnt_crew, (int64_t)mg->crew);
        }
    }
}

static bool part_seen(const struct paxlst_flight *f, unsigned n)
{
    return (f->parts_seen[n / 64] >> (n % 64)) & 1u;
}

/* Lists the missing part numbers of f as ranges ("1-7, 9") into out. */
static void missing_parts(const struct paxlst_flight *f, unsigned last, char *out, size_t n)
{
    struct buf b;
    buf_init(&b, n - 1);
    for (unsigned k = 1; k <= last; k++) {
        if (part_seen(f, k))
            continue;
        unsigned e = k;
        while (e < last && !part_seen(f, e + 1))
            e++;
        if (b.len > 0)
            buf_puts(&b, ", ");
        if (e > k)
            buf_printf(&b, "%u-%u", k, e);
        else
            buf_printf(&b, "%u", k);
        k = e;
    }
    text_copy(out, n, buf_cstr(&b));
    buf_free(&b);
}

static void check_parts(struct state *st)
{
    st->b.segment = 0;
    st->b.segment_tag = NULL;
    for (size_t k = 0; k < st->b.m->nflights; k++) {
        const struct paxlst_flight *f = &st->b.m->flights[k];
        if (!f->multipart && f->final_part <= 1)
            continue;
        unsigned last = f->final_part;
        for (unsigned n = 1; n < 100; n++)
            if (part_seen(f, n) && n > last)
                last = n;
        char gaps[PAXLST_EXCERPT_MAX + 1];
        missing_parts(f, last, gaps, sizeof gaps);
        st->flight = k;
        if (f->final_part == 0)
            problem(st, PAXLST_INCOMPLETE, PAXLST_F_PARTS,
                    gaps[0] ? "multi-part message: no final part (F) received; parts missing"
                            : "multi-part message: no final part (F) received",
                    gaps, (int64_t)f->nparts, 0);
        else if (gaps[0] != '\0')
            problem(st, PAXLST_INCOMPLETE, PAXLST_F_PARTS, "multi-part message: parts missing",
                    gaps, (int64_t)f->nparts, (int64_t)f->final_part);
    }
}

/* ---- entry point ---- */

static int read_all(struct state *st, const char *data, size_t len, struct buf *why)
{
    size_t off = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        off = 3; /* UTF-8 byte order mark */
    st->offset_base = off;
    edifact_reader_init(&st->rd, data + off, len - off, 0);
    edifact_skip_to_start(&st->rd); /* teletype or mail header */
    if (st->rd.pos >= st->rd.len) {
        buf_puts(why, "input: no UNA, UNB or UNH segment found");
        return ERR_INVALID;
    }
    while (st->b.err == 0 && edifact_next(&st->rd, &st->seg))
        handle_segment(st);
    if (st->b.err != 0)
        return st->b.err;
    st->b.segment = 0;
    st->b.segment_tag = NULL;
    end_open(st, true);
    if (st->nmsgs == 0) {
        buf_puts(why, "input: no PAXLST message (UNH) found");
        return ERR_INVALID;
    }
    check_cnt(st);
    check_parts(st);
    return st->b.err;
}

int paxlst_parse(const char *data, size_t len, const struct paxlst_options *opt,
                 struct paxlst_manifest **out, struct buf *why)
{
    int r = ERR_INTERNAL;
    struct state *st = NULL;
    const char *nul = len > 0 ? memchr(data, '\0', len) : NULL;
    *out = NULL;
    if (len > LIMIT_MANIFEST) {
        buf_printf(why, "input: larger than %u bytes", LIMIT_MANIFEST);
        r = ERR_LIMIT;
        goto out;
    }
    if (nul != NULL) {
        buf_printf(why, "input: NUL byte at offset %zu", (size_t)(nul - data));
        r = ERR_INVALID;
        goto out;
    }
    st = calloc(1, sizeof *st);
    if (st == NULL || paxlst_build_init(&st->b, opt, PAXLST_FROM_EDIFACT, why) != 0) {
        r = ERR_NOMEM;
        goto out;
    }
    st->flight = st->person = st->doc = PAXLST_NONE;
    r = read_all(st, data, len, why);
    if (r == 0)
        r = paxlst_build_finish(&st->b, out);
out:
    if (st != NULL)
        paxlst_build_abort(&st->b);
    free(st);
    return r;
}
