/* cmd_watchlist: lintas watchlist import, and lintas match (watchlist
 * matching in batch, JSON lines in and out). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "domain/name_index.h"
#include "services/watchlist.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/text.h"
#include "util/timeutil.h"

#define MAX_IMPORT_FILE (512u * 1024u * 1024u)
#define MAX_IMPORT_FILES 16

static const char import_help[] =
    "usage: lintas watchlist import --db PATH --format FMT [--list NAME] FILE...\n\n"
    "Imports watchlist entries in one transaction: a file with a bad row imports nothing,\n"
    "and the error names the file, line and field. Re-importing the same source ids\n"
    "updates those entries, never duplicates them. Prints the counts.\n\n"
    "formats:\n"
    "  csv    header row required, columns in any order (see docs/matching.md)\n"
    "  jsonl  one JSON object per line with the same fields\n"
    "  ofac   the OFAC SDN CSV set: sdn.csv, plus alt.csv and add.csv when given\n"
    "  un     the UN Security Council consolidated list (XML)\n"
    "--list names the list (default: OFAC, UN, or local).\n";

static int import_files(struct svc *svc, const char *format, const char *list, char **paths,
                        int n)
{
    struct watchlist_file files[MAX_IMPORT_FILES];
    char *data[MAX_IMPORT_FILES] = {0};
    int rc = EXIT_OK;
    for (int i = 0; i < n; i++) {
        size_t len;
        if (file_read_all(paths[i], MAX_IMPORT_FILE, &data[i], &len) < 0) {
            cli_error("watchlist", "%s: cannot read the file", paths[i]);
            rc = EXIT_FAIL;
            goto out;
        }
        files[i] = (struct watchlist_file){paths[i], data[i], len};
    }
    struct actor who;
    svc_cli_actor(&who);
    struct watchlist_import_counts counts;
    struct buf why;
    buf_init(&why, 1024);
    int r = watchlist_import(svc, &who, format, list, files, (size_t)n, &counts, &why);
    if (r < 0) {
        cli_error("watchlist", "%s; nothing was imported",
                  why.len ? buf_cstr(&why) : err_str(r));
        rc = EXIT_FAIL;
    } else {
        printf("{\"created\":%zu,\"updated\":%zu}\n", counts.created, counts.updated);
    }
    buf_free(&why);
out:
    for (int i = 0; i < n; i++)
        free(data[i]);
    return rc;
}

int cmd_watchlist(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"list", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    if (argc < 2 || strcmp(argv[1], "import") != 0) {
        bool help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
        fputs(import_help, help ? stdout : stderr);
        return help ? EXIT_OK : EXIT_USAGE;
    }
    const char *db = NULL, *format = NULL, *list = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'f': format = optarg; break;
        case 'l': list = optarg; break;
        case 'h': fputs(import_help, stdout); return EXIT_OK;
        default: fputs(import_help, stderr); return EXIT_USAGE;
        }
    }
    int nfiles = argc - 1 - optind;
    if (format == NULL || nfiles < 1 || nfiles > MAX_IMPORT_FILES) {
        cli_error("watchlist", "--format and 1 to %d files are required", MAX_IMPORT_FILES);
        return EXIT_USAGE;
    }
    struct svc svc;
    int rc = cli_open("watchlist", cli_db(db), NULL, false, &svc);
    if (rc != 0)
        return rc;
    struct buf why;
    buf_init(&why, 512);
    if (watchlist_open(svc.st, &svc.wl, &why) < 0) {
        cli_error("watchlist", "%s", buf_cstr(&why));
        rc = EXIT_FAIL;
    } else {
        rc = import_files(&svc, format, list, argv + 1 + optind, nfiles);
    }
    buf_free(&why);
    cli_close(&svc);
    return rc;
}

static const char match_help[] =
    "usage: lintas match --db PATH [--threshold N] [--limit K]\n\n"
    "Reads query JSON lines on stdin: {\"id\", \"name\", \"birth_date\", \"nationality\",\n"
    "\"document_number\"} (only id and name required) and prints one line per query, in\n"
    "input order: {\"id\", \"matches\": [{\"entry_id\", \"list\", \"name\", \"score\",\n"
    "\"reasons\"}, ...]}, highest score first. Defaults: threshold 70, limit 10.\n"
    "--threshold 0 returns the best K candidates whatever their score. A line that is\n"
    "not a usable query prints {\"id\", \"error\"} and the exit status is 1.\n";

/* Answers one query line into out; returns 0, or ERR_INVALID after writing
 * an error object. */
static int match_line(struct watchlist *wl, const char *line, size_t len, int threshold,
                      size_t limit, struct buf *out)
{
    struct buf why;
    json_t *in = NULL, *matches = NULL, *res;
    struct name_query q;
    buf_init(&why, 512);
    int r = json_decode_object(line, len, &in, &why);
    if (r == 0)
        r = watchlist_query_from_json(in, &q, &why);
    if (r == 0) {
        q.threshold = threshold;
        q.limit = limit;
        q.today = (int32_t)(time_now_ms() / 86400000);
        q.explain = true;
        r = watchlist_match(wl, &q, &matches, &why);
    }
    json_t *id = in ? json_object_get(in, "id") : NULL;
    if (r == 0)
        res = json_pack("{sOso}", "id", id ? id : json_null(), "matches", matches);
    else
        res = json_pack("{sOss}", "id", id ? id : json_null(), "error",
                        why.len ? buf_cstr(&why) : err_str(r));
    json_dump_buf(res, out);
    json_decref(res);
    json_decref(in);
    buf_free(&why);
    return r;
}

static int match_args(int argc, char **argv, const char **db, int *threshold, size_t *limit)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"threshold", required_argument, NULL, 't'},
        {"limit", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    int64_t v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': *db = optarg; break;
        case 't':
            if (text_parse_i64(optarg, 0, 100, &v) < 0) {
                cli_error("match", "--threshold: expected 0 to 100");
                return EXIT_USAGE;
            }
            *threshold = (int)v;
            break;
        case 'l':
            if (text_parse_i64(optarg, 1, 1000, &v) < 0) {
                cli_error("match", "--limit: expected 1 to 1000");
                return EXIT_USAGE;
            }
            *limit = (size_t)v;
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

int cmd_match(int argc, char **argv)
{
    const char *db = NULL;
    int threshold = NAMES_DEFAULT_THRESHOLD;
    size_t limit = NAMES_DEFAULT_LIMIT;
    int rc = match_args(argc, argv, &db, &threshold, &limit);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    struct svc svc;
    rc = cli_open("match", cli_db(db), NULL, false, &svc);
    if (rc != 0)
        return rc;
    struct buf why, out;
    buf_init(&why, 512);
    buf_init(&out, LIMIT_RESPONSE);
    if (watchlist_open(svc.st, &svc.wl, &why) < 0) {
        cli_error("match", "%s", buf_cstr(&why));
        rc = EXIT_FAIL;
    }
    char *line = NULL;
    size_t cap = 0;
    for (ssize_t n; rc == 0 && (n = getline(&line, &cap, stdin)) >= 0;) {
        size_t len = (size_t)n;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue;
        buf_reset(&out);
        int r = len > LIMIT_LINE ? ERR_LIMIT : match_line(svc.wl, line, len, threshold, limit,
                                                          &out);
        if (r == ERR_LIMIT && len > LIMIT_LINE)
            buf_puts(&out, "{\"id\":null,\"error\":\"line too long\"}");
        buf_putc(&out, '\n');
        fwrite(out.data, 1, out.len, stdout);
        if (r < 0)
            rc = EXIT_FAIL;
    }
    free(line);
    buf_free(&out);
    buf_free(&why);
    cli_close(&svc);
    return rc;
}
