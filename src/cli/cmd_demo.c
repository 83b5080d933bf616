/* cmd_demo: lintas demo — a ready-to-try server. Creates var/demo.db when
 * absent, with one demo account for each role (random passwords, kept in
 * var/demo-credentials.txt with mode 0600), then serves it and prints the
 * URL and the credentials. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "cli/serve.h"
#include "services/accounts.h"
#include "services/demo_year.h"
#include "services/refdata.h"
#include "services/rulesets.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/errors.h"
#include "util/ids.h"
#include "util/timeutil.h"

static const char demo_help[] =
    "usage: lintas demo [--db PATH] [--listen HOST:PORT] [serve options]\n\n"
    "Creates the demo database (default var/demo.db) when it does not exist: reference\n"
    "data and one account per role, each with a random password written to\n"
    "var/demo-credentials.txt (mode 0600). Then serves it like 'lintas serve' and prints\n"
    "the URL and the demo credentials. Delete var/ to start again from scratch.\n";

static const struct {
    const char *username, *role, *office, *display;
} demo_users[] = {
    {"admin", "admin", NULL, "Demo Administrator"},
    {"passport", "passport_officer", "KANIM-JKS", "Demo Passport Officer (Jakarta Selatan)"},
    {"checkpoint", "checkpoint_officer", "CGK", "Demo Checkpoint Officer (Soekarno-Hatta)"},
    {"supervisor", "supervisor", "CGK", "Demo Supervisor (Soekarno-Hatta)"},
    {"supervisor-jks", "supervisor", "KANIM-JKS", "Demo Supervisor (Jakarta Selatan office)"},
    {"analyst", "analyst", NULL, "Demo Analyst"},
    {"focal", "focal_point", NULL, "Demo Focal Point"},
    {"consular", "consular_officer", "KBRI-PNH", "Demo Consular Officer (Phnom Penh)"},
};
#define N_DEMO (sizeof demo_users / sizeof demo_users[0])

static const char creds_path[] = "var/demo-credentials.txt";

static void demo_progress(void *ctx, const char *what)
{
    (void)ctx;
    printf("  %s\n", what);
    fflush(stdout);
}

/* The synthetic demo year (services/demo_year.h): departures, passport
 * applications and their reviews, watchlists, planted patterns. */
static int load_demo_year(struct svc *svc, const struct actor *who, struct buf *why)
{
    struct demo_year_opts o;
    struct demo_year_counts n;
    demo_year_defaults(&o);
    o.progress = demo_progress;
    int64_t t0 = time_mono_ms();
    int r = demo_year_load(svc, who, &o, &n, why);
    if (r == 0)
        printf("demo year loaded in %.1f s: %lld screenings, %lld passport applications "
               "(%lld postponed), %lld planted patterns\n",
               (double)(time_mono_ms() - t0) / 1000.0, (long long)n.screenings,
               (long long)n.applications, (long long)n.postponements, (long long)n.patterns);
    return r;
}

static int create_demo(const char *db)
{
    struct svc svc;
    int rc = cli_open("demo", db, NULL, true, &svc);
    if (rc != 0)
        return rc;
    struct buf why, creds;
    buf_init(&why, 512);
    buf_init(&creds, 8192);
    int r = refdata_load(svc.st, &why);
    if (r == 0)
        r = rulesets_install_defaults(svc.st, &why);
    struct actor who;
    svc_cli_actor(&who);
    for (size_t i = 0; i < N_DEMO && r == 0; i++) {
        char pw[33];
        ids_random_hex(pw, 8);
        struct user_new nu = {.username = demo_users[i].username, .role = demo_users[i].role,
                              .office = demo_users[i].office, .password = pw,
                              .display_name = demo_users[i].display};
        int64_t id;
        r = accounts_add(&svc, &who, &nu, &id, &why);
        buf_printf(&creds, "%-15s %-20s %s\n", demo_users[i].username, demo_users[i].role, pw);
    }
    if (r == 0)
        r = load_demo_year(&svc, &who, &why);
    if (r == 0) {
        int fd = open(creds_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0 || write(fd, creds.data, creds.len) != (ssize_t)creds.len)
            r = ERR_IO;
        if (fd >= 0)
            close(fd);
    }
    if (r < 0)
        cli_error("demo", "creating the demo database: %s",
                  why.len ? buf_cstr(&why) : err_str(r));
    buf_free(&why);
    buf_free(&creds);
    cli_close(&svc);
    return r < 0 ? EXIT_FAIL : EXIT_OK;
}

static void print_ready(unsigned port, void *ctx)
{
    struct serve_settings *s = ctx;
    char *data = NULL;
    size_t len;
    printf("\nlintas demo is running: open http://%s:%u/healthz\n", s->http.host, port);
    printf("log in with POST /api/v1/sessions {\"username\", \"password\"}, e.g.\n"
           "  curl -s -X POST http://%s:%u/api/v1/sessions -d "
           "'{\"username\":\"admin\",\"password\":\"...\"}'\n\n",
           s->http.host, port);
    if (file_read_all(creds_path, 65536, &data, &len) == 0) {
        printf("demo accounts (username, role, password) from %s:\n%s\n", creds_path, data);
        free(data);
    }
    printf("stop with Ctrl-C\n");
}

int cmd_demo(int argc, char **argv)
{
    struct serve_settings s;
    serve_settings_defaults(&s);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(demo_help, stdout);
            return EXIT_OK;
        }
    }
    int rc = serve_parse("demo", argc, argv, &s);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (s.db[0] == '\0')
        snprintf(s.db, sizeof s.db, "var/demo.db");
    if (mkdir("var", 0750) < 0 && errno != EEXIST) {
        cli_error("demo", "cannot create var/: %s", strerror(errno));
        return EXIT_FAIL;
    }
    if (access(s.db, F_OK) != 0) {
        printf("creating the demo database %s ...\n", s.db);
        rc = create_demo(s.db);
        if (rc != 0) {
            unlink(s.db);
            return rc;
        }
    }
    return serve_run("demo", &s, print_ready, &s);
}
