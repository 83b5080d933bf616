/* csv: RFC 4180 reading with hard limits. */
#include "util/csv.h"

#include <string.h>

#include "util/errors.h"

void csv_open(struct csv *c, const char *data, size_t len, char sep)
{
    c->p = data;
    c->end = data + len;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        c->p += 3;
    c->line = 0;
    c->next_line = 1;
    buf_init(&c->text, LIMIT_LINE);
    c->nfields = 0;
    c->sep = sep;
}

void csv_close(struct csv *c)
{
    buf_free(&c->text);
}

static int end_field(struct csv *c, size_t start)
{
    if (c->nfields >= LIMIT_CSV_FIELDS)
        return ERR_LIMIT;
    c->off[c->nfields] = start;
    c->len[c->nfields] = c->text.len - start;
    c->nfields++;
    return buf_putc(&c->text, '\0');
}

int csv_next(struct csv *c)
{
    buf_reset(&c->text);
    c->nfields = 0;
    c->line = c->next_line;
    if (c->p >= c->end)
        return 0;
    int r = 0;
    size_t start = 0;
    bool quoted = false, after_quote = false, field_start = true;
    while (c->p < c->end) {
        char ch = *c->p++;
        if (ch == '\0')
            return ERR_INVALID;
        if (quoted) {
            if (ch == '"') {
                if (c->p < c->end && *c->p == '"') {
                    c->p++;
                    r = buf_putc(&c->text, '"');
                } else {
                    quoted = false;
                    after_quote = true;
                }
            } else {
                if (ch == '\n')
                    c->next_line++;
                r = buf_putc(&c->text, ch);
            }
        } else if (ch == c->sep) {
            r = end_field(c, start);
            start = c->text.len;
            field_start = true;
            after_quote = false;
            continue;
        } else if (ch == '\n' || ch == '\r') {
            if (ch == '\r' && c->p < c->end && *c->p == '\n')
                c->p++;
            c->next_line++;
            return end_field(c, start) < 0 ? ERR_LIMIT : 1;
        } else if (ch == '"' && field_start) {
            quoted = true;
        } else if (after_quote) {
            return ERR_INVALID; /* text after a closing quote */
        } else {
            r = buf_putc(&c->text, ch);
        }
        field_start = false;
        if (r < 0)
            return r;
    }
    if (quoted)
        return ERR_INVALID; /* unterminated quote */
    r = end_field(c, start);
    return r < 0 ? r : 1;
}

const char *csv_field(const struct csv *c, size_t i)
{
    if (i >= c->nfields)
        return "";
    return c->text.data + c->off[i];
}
