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
    "         (known by their names in any letter case, else by their rows of 12, 5\n"
    "         and 6 fields)\n"
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
    if (!watchlist_import_format_known(format)) {
        cli_error("watchlist", "--format: unknown format '%s' (csv, jsonl, ofac, un)", format);
        return EXIT_USAGE;
    }
    struct svc svc;
    int rc = cli_open("watchlist", cli_db(db), NULL, false, &svc);
    if (rc != 0)
        return rc;
    /* no index here: the import writes the store (and its change log), and
     * a server on the same database catches up before its next match */
    rc = import_files(&svc, format, list, argv + 1 + optind, nfiles);
    cli_close(&svc);
    return rc;
}
