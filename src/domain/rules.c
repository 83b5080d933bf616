/* rules: compilation entry point of the rules language. rules_compile checks
 * the schema and the raw source (size, UTF-8), hashes the exact bytes for the
 * ruleset's version, runs the parser (rules_parse.c), fixes up the compiled
 * arrays and the report order, and runs the never-fires analysis
 * (rules_check.c). Also the small shared helpers: bounded array growth and
 * diagnostics. */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rules_int.h"
#include "util/errors.h"
#include "util/text.h"

void rules_diag(struct rules_diags *d, bool error, uint32_t line, uint32_t col, const char *fmt,
                ...)
{
    if (error)
        d->nerrors++;
    else
        d->nwarnings++;
    if (d->n >= RULES_MAX_DIAGS)
        return;
    struct rules_diag *g = &d->d[d->n++];
    g->error = error;
    g->line = line;
    g->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->text, sizeof g->text, fmt, ap);
    va_end(ap);
}

int rules_grow(void **p, size_t *cap, size_t need, size_t elem, size_t max)
{
    if (need <= *cap)
        return 0;
    if (need > max)
        return ERR_LIMIT;
    size_t ncap = *cap > 0 ? *cap : 8;
    while (ncap < need)
        ncap *= 2;
    if (ncap > max)
        ncap = max;
    void *np = reallocarray(*p, ncap, elem);
    if (np == NULL)
        return ERR_NOMEM;
    *p = np;
    *cap = ncap;
    return 0;
}

void rules_hash_source(const char *src, size_t len, char out[RULES_HASH_HEX + 1])
{
    unsigned char h[crypto_generichash_BYTES];
    crypto_generichash(h, sizeof h, (const unsigned char *)src, len, NULL, 0);
    text_hex(out, h, sizeof h);
}

/* Finds the first byte that does not start a valid UTF-8 character (or is
 * NUL) and reports its line and column. */
static int check_utf8(const char *src, size_t len, struct rules_diags *d)
{
    uint32_t line = 1, col = 1;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)src[i];
        size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (c >= 0xF8 || i + n > len || !text_utf8_valid(src + i, n)) {
            rules_diag(d, true, line, col, "the text is not valid UTF-8 or holds a NUL byte");
            return ERR_INVALID;
        }
        if (c == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        i += n;
    }
    return 0;
}

static int effect_rank(enum rules_effect e)
{
    switch (e) {
    case RULES_EFFECT_PROTECT:
        return 0;
    case RULES_EFFECT_REFUSE:
        return 1;
    case RULES_EFFECT_SECONDARY:
        return 2;
    case RULES_EFFECT_SCORE:
    default:
        return 3;
    }
}

/* True when rule a is reported before rule b. */
static bool reported_before(const struct rs_rule *a, size_t ia, const struct rs_rule *b, size_t ib)
{
    int ra = effect_rank(a->effect), rb = effect_rank(b->effect);
    if (ra != rb)
        return ra < rb;
    if (a->weight != b->weight)
        return a->weight > b->weight;
    return ia < ib;
}

int rules_finish(struct rules *rs)
{
    const char *pool = rs->pool.data;
    for (size_t i = 0; i < rs->nnodes; i++)
        rs->nodes[i].str.p = pool + rs->nodes[i].str.off;
    for (size_t i = 0; i < rs->nlists; i++)
        rs->lists[i].name.p = pool + rs->lists[i].name.off;
    for (size_t i = 0; i < rs->nitems; i++)
        rs->items[i].p = pool + rs->items[i].off;
    for (size_t i = 0; i < rs->nparts; i++)
        rs->parts[i].str.p = pool + rs->parts[i].str.off;
    for (size_t i = 0; i < rs->nrules; i++)
        rs->rules[i].name.p = pool + rs->rules[i].name.off;
    rs->order = calloc(rs->nrules + 1, sizeof *rs->order);
    if (rs->order == NULL)
        return ERR_NOMEM;
    for (size_t i = 0; i < rs->nrules; i++) {
        size_t j = i;
        while (j > 0 &&
               reported_before(&rs->rules[i], i, &rs->rules[rs->order[j - 1]], rs->order[j - 1])) {
            rs->order[j] = rs->order[j - 1];
            j--;
        }
        rs->order[j] = (uint32_t)i;
    }
    return 0;
}

/* Sorts diagnostics by position (stable), so messages read top to bottom. */
static void sort_diags(struct rules_diags *d)
{
    for (size_t i = 1; i < d->n; i++) {
        struct rules_diag g = d->d[i];
        size_t j = i;
        while (j > 0 && (d->d[j - 1].line > g.line ||
                         (d->d[j - 1].line == g.line && d->d[j - 1].col > g.col))) {
            d->d[j] = d->d[j - 1];
            j--;
        }
        d->d[j] = g;
    }
}

int rules_compile(const struct rules_schema *schema, const char *src, size_t len,
                  struct rules **out, struct rules_diags *diags)
{
    struct rules_diags *local = NULL;
    struct rules *rs = NULL;
    struct buf why;
    int r = ERR_NOMEM;
    *out = NULL;
    buf_init(&why, RULES_DIAG_TEXT - 1);
    if (diags == NULL && (diags = local = malloc(sizeof *local)) == NULL)
        goto out;
    diags->n = diags->nerrors = diags->nwarnings = 0;
    r = ERR_INVALID;
    if (rules_schema_check(schema, &why) < 0) {
        rules_diag(diags, true, 1, 1, "%s", buf_cstr(&why));
        goto out;
    }
    if (len > RULES_MAX_SOURCE) {
        rules_diag(diags, true, 1, 1, "the ruleset is larger than %u bytes", RULES_MAX_SOURCE);
        r = ERR_LIMIT;
        goto out;
    }
    if ((src == NULL && len > 0) || check_utf8(src, len, diags) < 0)
        goto out;
    r = ERR_NOMEM;
    if ((rs = calloc(1, sizeof *rs)) == NULL)
        goto out;
    rs->schema = schema;
    buf_init(&rs->pool, 2 * (size_t)RULES_MAX_SOURCE + 64);
    rules_hash_source(src != NULL ? src : "", len, rs->hash);
    r = rules_parse(rs, src != NULL ? src : "", len, diags);
    if (r == 0)
        r = rules_finish(rs);
    if (r < 0)
        goto out;
    rules_check(rs, diags);
    *out = rs;
    rs = NULL; /* transferred */
    r = 0;
out:
    if (diags != NULL)
        sort_diags(diags);
    rules_free(rs);
    free(local);
    buf_free(&why);
    return r;
}

void rules_free(struct rules *rs)
{
    if (rs == NULL)
        return;
    buf_free(&rs->pool);
    free(rs->nodes);
    free(rs->lists);
    free(rs->items);
    free(rs->rules);
    free(rs->parts);
    free(rs->order);
    free(rs);
}

const char *rules_hash(const struct rules *rs)
{
    return rs->hash;
}

const struct rules_schema *rules_schema_of(const struct rules *rs)
{
    return rs->schema;
}

size_t rules_count(const struct rules *rs)
{
    return rs->nrules;
}
