/* cmd_user: lintas user add|list|disable|enable|passwd. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "services/accounts.h"
#include "util/buf.h"
#include "util/errors.h"

static const char user_help[] =
    "usage: lintas user add --db PATH --username U --role R [--office CODE]\n"
    "                       --password-file F [--display-name NAME]\n"
    "       lintas user list --db PATH\n"
    "       lintas user disable|enable --db PATH --username U\n"
    "       lintas user passwd --db PATH --username U --password-file F\n\n"
    "Roles: admin, passport_officer, checkpoint_officer, supervisor, analyst,\n"
    "focal_point, consular_officer. Officers and supervisors belong to an office or\n"
    "checkpoint (--office, a code from 'lintas offices'). Passwords are read from the\n"
    "first line of a file, never from the command line, and must be at least 12 bytes.\n"
    "'list' prints one JSON line per user. Every change is audited.\n";

struct user_args {
    const char *db, *username, *role, *office, *pwfile, *display;
};

static int parse(int argc, char **argv, struct user_args *a)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"username", required_argument, NULL, 'u'},
        {"role", required_argument, NULL, 'r'},
        {"office", required_argument, NULL, 'o'},
        {"password-file", required_argument, NULL, 'p'},
        {"display-name", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    memset(a, 0, sizeof *a);
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': a->db = optarg; break;
        case 'u': a->username = optarg; break;
        case 'r': a->role = optarg; break;
        case 'o': a->office = optarg; break;
        case 'p': a->pwfile = optarg; break;
        case 'n': a->display = optarg; break;
        case 'h': fputs(user_help, stdout); return 1;
        default: fputs(user_help, stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        cli_error("user", "unexpected argument '%s'", argv[optind]);
        return EXIT_USAGE;
    }
    return 0;
}

static int need(const char *v, const char *opt)
{
    if (v == NULL) {
        cli_error("user", "%s is required", opt);
        return EXIT_USAGE;
    }
    return 0;
}

static int print_user(void *ctx, const struct store_user *u)
{
    cli_print_json(accounts_user_json(u));
    return 0;
}

static int run(const char *sub, struct user_args *a, struct svc *svc)
{
    struct actor who;
    struct buf why;
    char pw[LIMIT_PASSWORD_MAX + 2] = "";
    int r = 0;
    svc_cli_actor(&who);
    buf_init(&why, 512);
    if (strcmp(sub, "add") == 0 || strcmp(sub, "passwd") == 0) {
        if (cli_read_secret("user", a->pwfile, pw, sizeof pw) != 0) {
            buf_free(&why);
            return EXIT_FAIL;
        }
    }
    if (strcmp(sub, "add") == 0) {
        struct user_new nu = {.username = a->username, .role = a->role, .office = a->office,
                              .password = pw, .display_name = a->display};
        int64_t id;
        r = accounts_add(svc, &who, &nu, &id, &why);
        if (r == 0)
            printf("user '%s' added (id %lld)\n", a->username, (long long)id);
    } else if (strcmp(sub, "passwd") == 0) {
        r = accounts_passwd(svc, &who, a->username, pw, &why);
        if (r == 0)
            printf("password of '%s' changed; their sessions were revoked\n", a->username);
    } else if (strcmp(sub, "list") == 0) {
        r = accounts_list(svc, &who, print_user, NULL);
    } else {
        bool dis = strcmp(sub, "disable") == 0;
        r = accounts_set_disabled(svc, &who, a->username, dis, &why);
        if (r == 0)
            printf("user '%s' %s\n", a->username, dis ? "disabled" : "enabled");
    }
    memset(pw, 0, sizeof pw);
    if (r < 0)
        cli_error("user", "%s", why.len ? buf_cstr(&why) : err_str(r));
    buf_free(&why);
    return r < 0 ? EXIT_FAIL : EXIT_OK;
}

int cmd_user(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(user_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const char *sub = argv[1];
    static const char *const subs[] = {"add", "list", "disable", "enable", "passwd", NULL};
    bool known = false;
    for (const char *const *s = subs; *s != NULL; s++)
        known = known || strcmp(*s, sub) == 0;
    if (!known) {
        cli_error("user", "unknown subcommand '%s' (add, list, disable, enable, passwd)", sub);
        return EXIT_USAGE;
    }
    struct user_args a;
    int rc = parse(argc - 1, argv + 1, &a);
    if (rc != 0)
        return rc == 1 ? EXIT_OK : rc;
    if (strcmp(sub, "list") != 0 && (rc = need(a.username, "--username")) != 0)
        return rc;
    if (strcmp(sub, "add") == 0 && (rc = need(a.role, "--role")) != 0)
        return rc;
    if ((strcmp(sub, "add") == 0 || strcmp(sub, "passwd") == 0) &&
        (rc = need(a.pwfile, "--password-file")) != 0)
        return rc;
    struct svc svc;
    rc = cli_open("user", cli_db(a.db), NULL, false, &svc);
    if (rc != 0)
        return rc;
    rc = run(sub, &a, &svc);
    cli_close(&svc);
    return rc;
}
