/* cmd_init: lintas init — create or upgrade a database, load reference
 * data, and create the first administrator. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "services/accounts.h"
#include "services/refdata.h"
#include "services/rulesets.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/ids.h"

static const char init_help[] =
    "usage: lintas init --db PATH [--admin-password-file F] [--admin-username NAME]\n\n"
    "Creates the database when absent, applies any schema migrations it lacks (each in its\n"
    "own transaction; existing data is kept), and loads the reference data compiled into\n"
    "lintas: ICAO country codes, NIK province codes, immigration offices and checkpoints.\n"
    "Idempotent: run it again after an upgrade.\n\n"
    "The first run creates the administrator account (default name 'admin'). Its\n"
    "password is read from the first line of F, or generated and printed once.\n";

/* Creates the admin account when no user of that name exists. */
static int ensure_admin(struct svc *svc, const char *name, const char *pwfile)
{
    struct store_user u;
    if (store_user_get_by_name(svc->st, name, &u) == 0) {
        printf("administrator '%s' already exists; left unchanged\n", name);
        return EXIT_OK;
    }
    char pw[LIMIT_PASSWORD_MAX + 2];
    bool generated = pwfile == NULL;
    if (generated)
        ids_random_hex(pw, 12);
    else if (cli_read_secret("init", pwfile, pw, sizeof pw) != 0)
        return EXIT_FAIL;
    struct actor who;
    svc_cli_actor(&who);
    struct user_new nu = {.username = name, .role = "admin", .password = pw,
                          .display_name = "Administrator"};
    struct buf why;
    buf_init(&why, 512);
    int64_t id;
    int r = accounts_add(svc, &who, &nu, &id, &why);
    if (r < 0)
        cli_error("init", "creating '%s': %s", name, why.len ? buf_cstr(&why) : err_str(r));
    else if (generated)
        printf("administrator '%s' created with password: %s\n"
               "(shown once; change it with 'lintas user passwd')\n",
               name, pw);
    else
        printf("administrator '%s' created\n", name);
    memset(pw, 0, sizeof pw);
    buf_free(&why);
    return r < 0 ? EXIT_FAIL : EXIT_OK;
}

int cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"admin-password-file", required_argument, NULL, 'p'},
        {"admin-username", required_argument, NULL, 'u'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *pwfile = NULL, *admin = "admin";
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'p': pwfile = optarg; break;
        case 'u': admin = optarg; break;
        case 'h': fputs(init_help, stdout); return EXIT_OK;
        default: fputs(init_help, stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        cli_error("init", "unexpected argument '%s'", argv[optind]);
        return EXIT_USAGE;
    }
    struct svc svc;
    int rc = cli_open("init", cli_db(db), NULL, true, &svc);
    if (rc != 0)
        return rc;
    struct buf why;
    buf_init(&why, 512);
    int r = refdata_load(svc.st, &why);
    if (r == 0)
        r = rulesets_install_defaults(svc.st, &why);
    if (r < 0) {
        cli_error("init", "loading reference data: %s", why.len ? buf_cstr(&why) : err_str(r));
        rc = EXIT_FAIL;
    } else {
        int v = 0;
        store_schema_version(svc.st, &v);
        printf("database %s ready (schema version %d)\n", cli_db(db), v);
        rc = ensure_admin(&svc, admin, pwfile);
    }
    buf_free(&why);
    cli_close(&svc);
    return rc;
}
