/* cmd_names: `lintas compare` (see cmd_names.h). Each line is decoded with
 * the bounded JSON reader, both sides are normalised and scored with
 * names_score() (a Han name in each of its readings, the best pair kept),
 * and the answer is printed at once, so output keeps input
 * order and memory stays flat. The first bad line stops the command with
 * its line number on stderr. No database is needed. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/cmd_names.h"
#include "domain/names.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/limits.h"

static const char compare_help[] =
    "usage: lintas compare [--threshold N] [--no-reasons]\n\n"
    "Reads JSON lines {\"id\", \"a\": {\"name\", \"birth_date\", \"nationality\",\n"
    "\"document_number\"}, \"b\": {...}} on stdin and prints one line per pair:\n"
    "{\"id\", \"score\" (0-100), \"match\" (score >= threshold), \"reasons\": [...]}.\n"
    "Same model and scale as `lintas match`; see docs/matching.md.\n\n"
    "  --threshold N  the match threshold (default 70)\n"
    "  --no-reasons   leave out the reasons\n";

struct side {
    struct names_name name[NAMES_MAX_READINGS]; /* a Han name has several readings */
    size_t nread;
    struct names_facts facts;
};

static int read_side(struct names_norm *norm, json_t *o, const char *key, struct side *s,
                     struct buf *why)
{
    static const char *const keys[] = {"name", "birth_date", "nationality", "document_number",
                                       NULL};
    const char *name, *dob, *nat, *doc;
    json_t *v = json_object_get(o, key);
    memset(s, 0, sizeof *s);
    if (!json_is_object(v))
        return buf_printf(why, "field '%s': must be an object", key), ERR_INVALID;
    if (json_only_keys(v, keys, why) != 0 ||
        json_get_str(v, "name", true, LIMIT_NAME, &name, why) != 0 ||
        json_get_str(v, "birth_date", false, 32, &dob, why) != 0 ||
        json_get_str(v, "nationality", false, 64, &nat, why) != 0 ||
        json_get_str(v, "document_number", false, 64, &doc, why) != 0)
        return ERR_INVALID;
    int nr = names_normalise_readings(norm, name, strlen(name), s->name, NAMES_MAX_READINGS);
    if (nr <= 0)
        return buf_printf(why, "field '%s.name': not a usable name", key), ERR_INVALID;
    s->nread = (size_t)nr;
    if (dob != NULL && dob[0] != '\0' && names_facts_add_dob(&s->facts, dob) != 0)
        return buf_printf(why, "field '%s.birth_date': not a date", key), ERR_INVALID;
    if (nat != NULL && nat[0] != '\0' && names_facts_add_nat(&s->facts, nat) != 0)
        return buf_printf(why, "field '%s.nationality': unknown country", key), ERR_INVALID;
    if (doc != NULL && doc[0] != '\0' && names_facts_add_doc(&s->facts, doc) != 0)
        return buf_printf(why, "field '%s.document_number': no letter or digit", key),
               ERR_INVALID;
    return 0;
}

static int answer(json_t *in, const struct side *a, const struct side *b, int threshold,
                  bool reasons, struct buf *out)
{
    struct names_result r;
    struct names_reasons *rs = NULL;
    json_t *o = json_object(), *arr = json_array();
    int rc = ERR_NOMEM;
    size_t ai, bi;
    names_score_readings(a->name, a->nread, &a->facts, b->name, b->nread, &b->facts, &r, &ai,
                         &bi);
    if (o == NULL || arr == NULL)
        goto out;
    json_object_set(o, "id", json_object_get(in, "id"));
    json_object_set_new(o, "score", json_integer(r.score));
    json_object_set_new(o, "match", json_boolean(r.score >= threshold));
    if (reasons) {
        rs = malloc(sizeof *rs);
        if (rs == NULL)
            goto out;
        names_explain(&a->name[ai], &b->name[bi], &r, NULL, false, rs);
        for (size_t i = 0; i < rs->n; i++)
            json_array_append_new(arr, json_string(rs->text[i]));
    }
    json_object_set(o, "reasons", arr);
    buf_reset(out);
    rc = json_dump_buf(o, out);
out:
    free(rs);
    json_decref(arr);
    json_decref(o);
    return rc;
}

static int one_line(struct names_norm *norm, const char *line, size_t len, int threshold,
                    bool reasons, struct buf *out, struct buf *why)
{
    static const char *const keys[] = {"id", "a", "b", NULL};
    json_t *in = NULL;
    struct side *s = malloc(2 * sizeof *s);
    int r = ERR_NOMEM;
    if (s == NULL)
        goto out;
    if ((r = json_decode_object(line, len, &in, why)) != 0 ||
        (r = json_only_keys(in, keys, why)) != 0)
        goto out;
    json_t *id = json_object_get(in, "id");
    if (id != NULL && !json_is_string(id) && !json_is_integer(id)) {
        buf_puts(why, "field 'id': must be a string or an integer");
        r = ERR_INVALID;
        goto out;
    }
    if ((r = read_side(norm, in, "a", &s[0], why)) != 0 ||
        (r = read_side(norm, in, "b", &s[1], why)) != 0)
        goto out;
    r = answer(in, &s[0], &s[1], threshold, reasons, out);
out:
    json_decref(in);
    free(s);
    return r;
}

static int parse_args(int argc, char **argv, int *threshold, bool *reasons)
{
    static const struct option opts[] = {{"threshold", required_argument, NULL, 't'},
                                         {"no-reasons", no_argument, NULL, 'n'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 't') {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end != '\0' || v < 0 || v > 100) {
                cli_error("compare", "--threshold must be 0-100");
                return EXIT_USAGE;
            }
            *threshold = (int)v;
        } else if (c == 'n') {
            *reasons = false;
        } else if (c == 'h') {
            fputs(compare_help, stdout);
            return EXIT_OK;
        } else {
            fputs(compare_help, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fputs(compare_help, stderr);
        return EXIT_USAGE;
    }
    return -1;
}

int cmd_compare(int argc, char **argv)
{
    int threshold = NAMES_DEFAULT_THRESHOLD, rc;
    bool reasons = true;
    struct names_norm *norm = NULL;
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    struct buf out, why;
    if ((rc = parse_args(argc, argv, &threshold, &reasons)) >= 0)
        return rc;
    if (names_norm_new(&norm) != 0) {
        cli_error("compare", "cannot create the name normaliser (ICU)");
        return EXIT_FAIL;
    }
    buf_init(&out, LIMIT_LINE * 4);
    buf_init(&why, 1024);
    rc = EXIT_OK;
    for (ssize_t n; (n = getline(&line, &cap, stdin)) >= 0;) {
        size_t len = (size_t)n;
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue;
        buf_reset(&why);
        int r = len > LIMIT_LINE ? ERR_LIMIT
                                 : one_line(norm, line, len, threshold, reasons, &out, &why);
        if (r != 0) {
            cli_error("compare", "line %zu: %s", lineno,
                      why.len > 0 ? buf_cstr(&why) : err_str(r));
            rc = EXIT_FAIL;
            break;
        }
        if (fwrite(out.data, 1, out.len, stdout) != out.len || fputc('\n', stdout) == EOF) {
            cli_error("compare", "cannot write the output");
            rc = EXIT_FAIL;
            break;
        }
    }
    if (rc == EXIT_OK && (ferror(stdin) || fflush(stdout) != 0)) {
        cli_error("compare", "read or write error");
        rc = EXIT_FAIL;
    }
    free(line);
    buf_free(&out);
    buf_free(&why);
    names_norm_free(norm);
    return rc;
}
