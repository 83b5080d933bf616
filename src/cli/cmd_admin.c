/* cmd_admin: lintas offices, lintas audit verify and lintas backup. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "services/audit.h"
#include "services/refdata.h"
#include "util/buf.h"
#include "util/errors.h"

/* Parses the only option these commands take, --db. Returns 0, or an exit
 * status (EXIT_OK after --help). */
static int db_only(const char *cmd, const char *help, int argc, char **argv, const char **db)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    *db = NULL;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': *db = optarg; break;
        case 'h': fputs(help, stdout); return -1;
        default: fputs(help, stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        cli_error(cmd, "unexpected argument '%s'", argv[optind]);
        return EXIT_USAGE;
    }
    return 0;
}

static int print_post(void *ctx, const struct store_post *p)
{
    (void)ctx;
    cli_print_json(refdata_post_json(p));
    return 0;
}

int cmd_offices(int argc, char **argv)
{
    static const char help[] =
        "usage: lintas offices --db PATH\n\n"
        "Lists the immigration offices and checkpoints known to the database, one JSON line\n"
        "each: {\"code\", \"name\", \"kind\": \"office\"|\"airport\"|\"seaport\"|\"land\", ...};\n"
        "a checkpoint also names its \"office\", the immigration office responsible for it.\n";
    const char *db;
    int rc = db_only("offices", help, argc, argv, &db);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    struct svc svc;
    rc = cli_open("offices", cli_db(db), NULL, false, &svc);
    if (rc != 0)
        return rc;
    int r = store_post_list(svc.st, print_post, NULL);
    if (r < 0)
        cli_error("offices", "%s", store_errmsg(svc.st));
    cli_close(&svc);
    return r < 0 ? EXIT_FAIL : EXIT_OK;
}

int cmd_audit(int argc, char **argv)
{
    static const char help[] =
        "usage: lintas audit verify --db PATH\n\n"
        "Walks the hash-chained audit trail from the first record. Exit 0 and print the\n"
        "number of records checked when the chain is intact; exit 1 and name the first bad\n"
        "record (missing, altered, or not linked to the one before) otherwise.\n";
    if (argc < 2 || strcmp(argv[1], "verify") != 0) {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            fputs(help, stdout);
            return EXIT_OK;
        }
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    const char *db;
    int rc = db_only("audit", help, argc - 1, argv + 1, &db);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    struct svc svc;
    rc = cli_open("audit", cli_db(db), NULL, false, &svc);
    if (rc != 0)
        return rc;
    int64_t checked, bad;
    struct buf why;
    buf_init(&why, 512);
    int r = audit_verify(svc.st, &checked, &bad, &why);
    if (r == 0)
        printf("%" PRId64 " records checked; the audit chain is intact\n", checked);
    else
        cli_error("audit", "%s", why.len ? buf_cstr(&why) : err_str(r));
    buf_free(&why);
    cli_close(&svc);
    return r == 0 ? EXIT_OK : EXIT_FAIL;
}

int cmd_backup(int argc, char **argv)
{
    static const char help[] =
        "usage: lintas backup --db PATH --out FILE\n\n"
        "Writes a consistent copy of the database to FILE (which must not exist) while the\n"
        "server keeps running. Restore by stopping the server and putting FILE in place of\n"
        "the database file (remove any PATH-wal and PATH-shm files left beside it).\n";
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *out = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'o': out = optarg; break;
        case 'h': fputs(help, stdout); return EXIT_OK;
        default: fputs(help, stderr); return EXIT_USAGE;
        }
    }
    if (out == NULL || optind != argc) {
        cli_error("backup", "--out FILE is required");
        return EXIT_USAGE;
    }
    struct svc svc;
    int rc = cli_open("backup", cli_db(db), NULL, false, &svc);
    if (rc != 0)
        return rc;
    int r = store_backup(svc.st, out);
    if (r < 0)
        cli_error("backup", "%s: %s", out, store_errmsg(svc.st));
    else
        printf("backup written to %s\n", out);
    cli_close(&svc);
    return r < 0 ? EXIT_FAIL : EXIT_OK;
}
