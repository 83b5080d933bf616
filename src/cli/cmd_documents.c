/* cmd_documents: `lintas mrz` and `lintas nik`, the command-line readers of
 * travel-document MRZs and Indonesian NIKs. They read bounded lines from
 * stdin (CRLF tolerated, NUL bytes kept and reported as bad characters),
 * hand each document to services/documents, and print one JSON line per
 * document. The exit status says whether all input was read and all output
 * written, not whether the documents were valid: "valid" in each line says
 * that. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "services/documents.h"
#include "util/errors.h"
#include "util/limits.h"
#include "util/timeutil.h"

#define DOC_MAX_LINES 64u /* lines kept for one MRZ document */
#define NIK_LINE_MAX 256u /* bytes kept of one NIK line */

static const char mrz_help[] =
    "usage: lintas mrz [--lenient] [--today YYYY-MM-DD]\n\n"
    "Reads MRZ text on stdin: each document is its lines, documents are separated by a\n"
    "blank line. Prints one JSON line per document: its format (TD1, TD2, TD3, MRVA, MRVB or\n"
    "UNKNOWN), the fields read at the ICAO 9303 positions, and every failure in \"errors\".\n\n"
    "  --lenient           accept known national deviations (BEL/PRT long-number check digit,\n"
    "                      no expiry date, sex X, the pre-2021 French identity card) and name\n"
    "                      each one applied in \"deviations\"\n"
    "  --today YYYY-MM-DD  the date two-digit years are resolved against (default: today, UTC)\n\n"
    "A document may have at most 4096 bytes. Exit status: 0 when all input was read and\n"
    "printed, whether or not the documents are valid; 1 on a read or write error; 2 on a\n"
    "usage error. See docs/documents.md.\n";

static const char nik_help[] =
    "usage: lintas nik [--today YYYY-MM-DD] [NIK...]\n\n"
    "Checks Indonesian NIKs given as arguments, or one per line on stdin when there are no\n"
    "arguments (blank lines are skipped). Prints one JSON line per NIK: province, regency,\n"
    "district, birth date and sex derived from it, and every failure in \"errors\".\n\n"
    "  --today YYYY-MM-DD  the date that resolves the century of the birth year (default:\n"
    "                      today, UTC)\n\n"
    "Exit status: 0 when every NIK was read and printed, valid or not; 1 on a read or write\n"
    "error; 2 on a usage error. See docs/documents.md.\n";

/* Prints v and a newline; steals the reference. EXIT_FAIL on a write error
 * or a NULL v (out of memory). */
static int print_line(const char *cmd, json_t *v)
{
    if (v == NULL) {
        cli_error(cmd, "%s", err_str(ERR_NOMEM));
        return EXIT_FAIL;
    }
    char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(v);
    if (s == NULL) {
        cli_error(cmd, "%s", err_str(ERR_NOMEM));
        return EXIT_FAIL;
    }
    bool ok = fputs(s, stdout) >= 0 && putchar('\n') != EOF;
    free(s);
    if (!ok) {
        cli_error(cmd, "writing the output failed");
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

/* Reads one line of at most cap bytes into buf (no terminator added; the
 * newline and a trailing CR are dropped). *len is the number kept; *cut is
 * set when the line was longer. Returns false at end of input with nothing
 * read. */
static bool read_line(FILE *in, char *buf, size_t cap, size_t *len, bool *cut)
{
    int ch;
    size_t n = 0;
    bool any = false;
    *cut = false;
    while ((ch = getc(in)) != EOF) {
        any = true;
        if (ch == '\n')
            break;
        if (n < cap)
            buf[n++] = (char)ch;
        else
            *cut = true;
    }
    if (n > 0 && buf[n - 1] == '\r' && !*cut)
        n--;
    *len = n;
    return any;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

/* One line naming the bad option (getopt's own message is turned off). */
static int bad_option(const char *cmd, int c, char **argv)
{
    const char *opt = optind > 0 ? argv[optind - 1] : "?";
    if (c == ':')
        cli_error(cmd, "option '%s' needs a value", opt);
    else if (optopt != 0 && strncmp(opt, "--", 2) != 0)
        cli_error(cmd, "unknown option '-%c'; see 'lintas %s --help'", optopt, cmd);
    else
        cli_error(cmd, "bad option '%s'; see 'lintas %s --help'", opt, cmd);
    return EXIT_USAGE;
}

static int parse_today(const char *cmd, const char *s, int64_t *today)
{
    if (time_parse_date(s, today) != 0) {
        cli_error(cmd, "--today: expected a date YYYY-MM-DD, got '%s'", s);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* One MRZ document being collected: its bytes and where each line starts. */
struct doc {
    char data[LIMIT_MRZ_INPUT];
    size_t used;
    size_t n;
    const char *line[DOC_MAX_LINES];
    size_t len[DOC_MAX_LINES];
    bool too_big;
};

static void doc_add(struct doc *d, const char *s, size_t len, bool cut)
{
    if (cut || d->too_big || d->n >= DOC_MAX_LINES || len > sizeof d->data - d->used) {
        d->too_big = true;
        return;
    }
    memcpy(d->data + d->used, s, len);
    d->line[d->n] = d->data + d->used;
    d->len[d->n++] = len;
    d->used += len;
}

/* Renders the collected document and empties it. */
static int doc_flush(struct doc *d, bool lenient, int64_t today)
{
    json_t *v = NULL;
    int rc = EXIT_OK;
    if (d->n == 0 && !d->too_big)
        return EXIT_OK;
    if (d->too_big) {
        /* Only the shape is reported: the document is not read. */
        if (documents_mrz(NULL, NULL, 0, lenient, today, &v) == 0) {
            json_t *e =
                json_pack("[{s:s, s:s, s:s}]", "field", "lines", "code", "length", "message",
                          "document longer than 4096 bytes or 64 lines; "
                          "not read");
            if (e == NULL || json_object_set_new(v, "errors", e) != 0) {
                json_decref(v);
                v = NULL;
            }
        }
    } else if (documents_mrz(d->line, d->len, d->n, lenient, today, &v) != 0) {
        v = NULL;
    }
    rc = print_line("mrz", v);
    d->n = 0;
    d->used = 0;
    d->too_big = false;
    return rc;
}

static int mrz_stream(FILE *in, bool lenient, int64_t today)
{
    static struct doc d; /* 4 KiB of lines: kept off the stack */
    char line[LIMIT_MRZ_INPUT];
    size_t len;
    bool cut;
    int rc = EXIT_OK;
    memset(&d, 0, sizeof d);
    while (rc == EXIT_OK && read_line(in, line, sizeof line, &len, &cut)) {
        if (!cut && blank(line, len))
            rc = doc_flush(&d, lenient, today);
        else
            doc_add(&d, line, len, cut);
    }
    if (rc == EXIT_OK)
        rc = doc_flush(&d, lenient, today);
    if (rc == EXIT_OK && ferror(in)) {
        cli_error("mrz", "reading stdin failed");
        rc = EXIT_FAIL;
    }
    if (fflush(stdout) != 0 && rc == EXIT_OK) {
        cli_error("mrz", "writing the output failed");
        rc = EXIT_FAIL;
    }
    return rc;
}

int cmd_mrz(int argc, char **argv)
{
    static const struct option opts[] = {
        {"lenient", no_argument, NULL, 'l'},
        {"today", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool lenient = false;
    int64_t today = time_now_ms() / 86400000;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            lenient = true;
            break;
        case 't':
            if (parse_today("mrz", optarg, &today) != EXIT_OK)
                return EXIT_USAGE;
            break;
        case 'h':
            fputs(mrz_help, stdout);
            return EXIT_OK;
        default:
            return bad_option("mrz", c, argv);
        }
    }
    if (optind != argc) {
        cli_error("mrz", "unexpected argument '%s' (MRZ lines are read from stdin)", argv[optind]);
        return EXIT_USAGE;
    }
    return mrz_stream(stdin, lenient, today);
}

static int nik_one(const char *s, size_t len, int64_t today)
{
    json_t *v = NULL;
    if (documents_nik(s, len, today, &v) != 0)
        v = NULL;
    return print_line("nik", v);
}

static int nik_stream(FILE *in, int64_t today)
{
    char line[NIK_LINE_MAX];
    size_t len;
    bool cut;
    int rc = EXIT_OK;
    while (rc == EXIT_OK && read_line(in, line, sizeof line, &len, &cut))
        if (len > 0 || cut)
            rc = nik_one(line, len, today);
    if (rc == EXIT_OK && ferror(in)) {
        cli_error("nik", "reading stdin failed");
        rc = EXIT_FAIL;
    }
    return rc;
}

int cmd_nik(int argc, char **argv)
{
    static const struct option opts[] = {
        {"today", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int64_t today = time_now_ms() / 86400000;
    int c, rc = EXIT_OK;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            if (parse_today("nik", optarg, &today) != EXIT_OK)
                return EXIT_USAGE;
            break;
        case 'h':
            fputs(nik_help, stdout);
            return EXIT_OK;
        default:
            return bad_option("nik", c, argv);
        }
    }
    if (optind == argc)
        rc = nik_stream(stdin, today);
    for (int i = optind; i < argc && rc == EXIT_OK; i++)
        rc = nik_one(argv[i], strlen(argv[i]), today);
    if (fflush(stdout) != 0 && rc == EXIT_OK) {
        cli_error("nik", "writing the output failed");
        rc = EXIT_FAIL;
    }
    return rc;
}
