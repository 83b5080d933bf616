/* cmd_names: `lintas match` and `lintas compare`, the name matcher in batch
 * (JSON lines in, JSON lines out). Both share one line loop: each line is
 * decoded with the bounded JSON reader and answered at once, so output keeps
 * input order and memory stays flat. A line that cannot be answered gets an
 * error line {"id", "error": "line N: ..."} in its place and the loop goes
 * on; the exit status is then 1. `match` checks a query with the same
 * function as POST /api/v1/match (watchlist_query_from_json) and scores it
 * against the in-memory index; `compare` normalises both sides of a pair and
 * scores them with names_score() (a Han name in each of its readings, the
 * best pair kept) and needs no database. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/cmd_names.h"
#include "cli/common.h"
#include "domain/name_index.h"
#include "domain/names.h"
#include "services/watchlist.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/limits.h"
#include "util/text.h"
#include "util/timeutil.h"

/* The most matches one query may ask for, on the command line and over HTTP
 * (h_match); no bench or test needs more. */
#define MATCH_LIMIT_MAX 100

static const char compare_help[] =
    "usage: lintas compare [--threshold N] [--no-reasons]\n\n"
    "Reads JSON lines {\"id\", \"a\": {\"name\", \"birth_date\", \"nationality\",\n"
    "\"document_number\"}, \"b\": {...}} on stdin and prints one line per pair:\n"
    "{\"id\", \"score\" (0-100), \"match\" (score >= threshold), \"reasons\": [...]}.\n"
    "Same model and scale as `lintas match`; see docs/matching.md. \"id\" (optional)\n"
    "is a string or an integer, echoed as given. A line that is not a usable pair\n"
    "prints {\"id\", \"error\": \"line N: ...\"} in its place and the next lines are\n"
    "still scored; the exit status is then 1 (0 when every line was scored).\n\n"
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

/* ---- the line loop shared by match and compare ---- */

/* Answers one decoded line into out (a JSON object, no newline). Returns 0,
 * ERR_INVALID (or another negative code) with why saying what is wrong. */
typedef int (*line_fn)(void *ctx, json_t *in, struct buf *out, struct buf *why);

/* The id to echo for a line: its "id" when a string or an integer, else
 * null. Borrowed from in (or the static null). */
static json_t *line_id(json_t *in)
{
    json_t *id = in != NULL ? json_object_get(in, "id") : NULL;
    return json_is_string(id) || json_is_integer(id) ? id : json_null();
}

/* Checks the "id" of a line: a string or an integer; required or not. */
static int check_id(json_t *in, bool required, struct buf *why)
{
    json_t *id = json_object_get(in, "id");
    if (id == NULL && required) {
        buf_puts(why, "field 'id': is required (a string or an integer)");
        return ERR_INVALID;
    }
    if (id != NULL && !json_is_string(id) && !json_is_integer(id)) {
        buf_puts(why, "field 'id': must be a string or an integer");
        return ERR_INVALID;
    }
    return 0;
}

/* Writes {"id", "error": "line N: why"} into out. */
static int error_line(json_t *in, size_t lineno, const char *why, struct buf *out)
{
    struct buf msg;
    buf_init(&msg, LIMIT_LINE * 2);
    buf_printf(&msg, "line %zu: %s", lineno, why);
    json_t *o = json_pack("{sOss}", "id", line_id(in), "error", buf_cstr(&msg));
    buf_reset(out);
    int r = o != NULL ? json_dump_buf(o, out) : ERR_NOMEM;
    json_decref(o);
    buf_free(&msg);
    return r;
}

/* Decodes and answers one line; out gets the answer or the error line.
 * Returns 0, 1 for a bad line, or a negative code when no line could be
 * written at all (memory). */
static int one_line(line_fn fn, void *ctx, const char *line, size_t len, size_t lineno,
                    struct buf *out, struct buf *why)
{
    json_t *in = NULL;
    buf_reset(why);
    buf_reset(out);
    int r;
    if (len > LIMIT_LINE) {
        buf_printf(why, "line longer than %u bytes", LIMIT_LINE);
        r = ERR_LIMIT;
    } else if ((r = json_decode_object(line, len, &in, why)) == 0) {
        r = fn(ctx, in, out, why);
    }
    if (r != 0) {
        const char *msg = why->len > 0 ? buf_cstr(why) : err_str(r);
        int e = error_line(in, lineno, msg, out);
        r = e < 0 ? e : 1;
    }
    json_decref(in);
    return r;
}

/* Reads JSON lines on stdin until the end and prints an answer or an error
 * line for each. Returns the exit status: 0 when every line was answered,
 * 1 when a line was bad (counted and named on stderr at the end) or on an
 * I/O error. */
static int run_lines(const char *cmd, line_fn fn, void *ctx)
{
    char *line = NULL, first[1200] = "";
    size_t cap = 0, lineno = 0, bad = 0, total = 0;
    struct buf out, why;
    int rc = EXIT_OK;
    buf_init(&out, LIMIT_RESPONSE);
    buf_init(&why, 1024);
    for (ssize_t n; (n = getline(&line, &cap, stdin)) >= 0;) {
        size_t len = (size_t)n;
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue;
        total++;
        int r = one_line(fn, ctx, line, len, lineno, &out, &why);
        if (r < 0) {
            cli_error(cmd, "line %zu: %s", lineno, err_str(r));
            rc = EXIT_FAIL;
            break;
        }
        if (r > 0 && bad++ == 0)
            snprintf(first, sizeof first, "line %zu: %s", lineno,
                     why.len > 0 ? buf_cstr(&why) : "not usable");
        if (fwrite(out.data, 1, out.len, stdout) != out.len || fputc('\n', stdout) == EOF) {
            cli_error(cmd, "cannot write the output");
            rc = EXIT_FAIL;
            break;
        }
    }
    if (rc == EXIT_OK && (ferror(stdin) || fflush(stdout) != 0)) {
        cli_error(cmd, "read or write error");
        rc = EXIT_FAIL;
    }
    if (rc == EXIT_OK && bad > 0) {
        cli_error(cmd, "%zu of %zu lines were not usable, each answered by an error line; "
                       "first %s",
                  bad, total, first);
        rc = EXIT_FAIL;
    }
    free(line);
    buf_free(&out);
    buf_free(&why);
    return rc;
}

/* ---- lintas compare ---- */

struct compare_ctx {
    struct names_norm *norm;
    int threshold;
    bool reasons;
};

static int compare_line(void *ctx, json_t *in, struct buf *out, struct buf *why)
{
    static const char *const keys[] = {"id", "a", "b", NULL};
    const struct compare_ctx *c = ctx;
    struct side *s = malloc(2 * sizeof *s);
    int r = ERR_NOMEM;
    if (s == NULL)
        goto out;
    if ((r = json_only_keys(in, keys, why)) != 0 || (r = check_id(in, false, why)) != 0 ||
        (r = read_side(c->norm, in, "a", &s[0], why)) != 0 ||
        (r = read_side(c->norm, in, "b", &s[1], why)) != 0)
        goto out;
    r = answer(in, &s[0], &s[1], c->threshold, c->reasons, out);
out:
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
    struct compare_ctx c = {.threshold = NAMES_DEFAULT_THRESHOLD, .reasons = true};
    int rc;
    if ((rc = parse_args(argc, argv, &c.threshold, &c.reasons)) >= 0)
        return rc;
    if (names_norm_new(&c.norm) != 0) {
        cli_error("compare", "cannot create the name normaliser (ICU)");
        return EXIT_FAIL;
    }
    rc = run_lines("compare", compare_line, &c);
    names_norm_free(c.norm);
    return rc;
}

/* ---- lintas match ---- */

static const char match_help[] =
    "usage: lintas match --db PATH [--threshold N] [--limit K]\n\n"
    "Reads query JSON lines on stdin: {\"id\", \"name\", \"birth_date\", \"nationality\",\n"
    "\"document_number\", \"phone\"} (only id and name required; a document_number or\n"
    "phone may stand in for the name) and prints one line per query, in input order:\n"
    "{\"id\", \"matches\": [{\"entry_id\", \"list\", \"name\", \"score\", \"reasons\"}, ...]},\n"
    "highest score first. \"id\" is a string or an integer, echoed as given.\n"
    "\"birth_date\" is YYYY, YYYY-MM or YYYY-MM-DD, \"nationality\" an ICAO 9303\n"
    "three-letter code; other fields are refused. A line may carry its own\n"
    "\"threshold\" and \"limit\", as the POST /api/v1/match body does.\n\n"
    "  --threshold N  0-100 (default 70); 0 returns the best K whatever their score\n"
    "  --limit K      1-100 (default 10)\n\n"
    "A line that is not a usable query prints {\"id\", \"error\": \"line N: ...\"} in\n"
    "its place and the next lines are still answered. Exit status: 0 when every\n"
    "line was answered, 1 when a line was not (or on I/O error), 2 usage error.\n";

struct match_ctx {
    struct watchlist *wl;
    int64_t threshold, limit;
};

/* The query fields of the POST /api/v1/match body, which a line shares. */
static const char *const match_keys[] = {"id", "name", "birth_date", "nationality",
                                         "document_number", "phone", "threshold", "limit",
                                         NULL};

static int match_line(void *ctx, json_t *in, struct buf *out, struct buf *why)
{
    const struct match_ctx *c = ctx;
    struct name_query q;
    int64_t threshold, limit;
    json_t *matches = NULL;
    int r = json_only_keys(in, match_keys, why);
    if (r == 0)
        r = check_id(in, true, why);
    if (r == 0)
        r = watchlist_query_from_json(in, &q, why);
    if (r == 0)
        r = json_get_int(in, "threshold", false, 0, 100, c->threshold, &threshold, why);
    if (r == 0)
        r = json_get_int(in, "limit", false, 1, MATCH_LIMIT_MAX, c->limit, &limit, why);
    if (r != 0)
        return r;
    q.threshold = (int)threshold;
    q.limit = (size_t)limit;
    q.today = (int32_t)(time_now_ms() / 86400000);
    q.explain = true;
    if ((r = watchlist_match(c->wl, &q, &matches, why)) != 0)
        return r;
    json_t *res = json_pack("{sOso}", "id", json_object_get(in, "id"), "matches", matches);
    r = res != NULL ? json_dump_buf(res, out) : ERR_NOMEM;
    json_decref(res);
    return r;
}

static int match_args(int argc, char **argv, const char **db, struct match_ctx *c)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"threshold", required_argument, NULL, 't'},
        {"limit", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': *db = optarg; break;
        case 't':
            if (text_parse_i64(optarg, 0, 100, &c->threshold) < 0) {
                cli_error("match", "--threshold: expected 0 to 100");
                return EXIT_USAGE;
            }
            break;
        case 'l':
            if (text_parse_i64(optarg, 1, MATCH_LIMIT_MAX, &c->limit) < 0) {
                cli_error("match", "--limit: expected 1 to %d", MATCH_LIMIT_MAX);
                return EXIT_USAGE;
            }
            break;
        case 'h': fputs(match_help, stdout); return -1;
        default: fputs(match_help, stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        cli_error("match", "unexpected argument '%s' (queries come on stdin)", argv[optind]);
        return EXIT_USAGE;
    }
    return 0;
}

int cmd_names_match(int argc, char **argv)
{
    const char *db = NULL;
    struct match_ctx c = {.threshold = NAMES_DEFAULT_THRESHOLD, .limit = NAMES_DEFAULT_LIMIT};
    int rc = match_args(argc, argv, &db, &c);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    struct svc svc;
    if ((rc = cli_open("match", cli_db(db), NULL, false, &svc)) != 0)
        return rc;
    struct buf why;
    buf_init(&why, 512);
    if (watchlist_open(svc.st, &svc.wl, &why) < 0) {
        cli_error("match", "%s", buf_cstr(&why));
        rc = EXIT_FAIL;
    } else {
        c.wl = svc.wl;
        rc = run_lines("match", match_line, &c);
    }
    buf_free(&why);
    cli_close(&svc);
    return rc;
}
