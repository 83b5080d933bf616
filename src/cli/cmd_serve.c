/* cmd_serve: lintas serve — the HTTP API daemon — and its settings from
 * options and an optional configuration file (options win). */
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "cli/serve.h"
#include "http/http.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/errors.h"
#include "util/log.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "services/exchange.h"
#include "services/watchlist.h"

static const char serve_help[] =
    "usage: lintas serve --db PATH [--listen HOST:PORT] [options]\n\n"
    "Serves the HTTP API (default 127.0.0.1:8080). Applies pending schema migrations\n"
    "first. Stops cleanly on SIGTERM or SIGINT: stops accepting, finishes requests in\n"
    "flight, closes the database, exits 0.\n\n"
    "options (each may also be set in the --config file as key = value, with '_' for '-'):\n"
    "  --config FILE           read settings from FILE\n"
    "  --db PATH               SQLite database file (or LINTAS_DB)\n"
    "  --listen HOST:PORT      address to listen on; port 0 picks a free port\n"
    "  --threads N             HTTP worker threads (default 4)\n"
    "  --body-limit BYTES      largest request body (default 1048576)\n"
    "  --tls-cert FILE         serve HTTPS with this PEM certificate ...\n"
    "  --tls-key FILE          ... and this PEM key\n"
    "  --access-log FILE       JSON-lines access log (default stderr; 'off' for none)\n"
    "  --synchronous MODE      full (default: a write that was answered survives power\n"
    "                          loss), extra, or normal (faster; may lose the last writes)\n"
    "  --session-ttl SECONDS   bearer token lifetime (default 43200)\n"
    "  --lockout-attempts N    failed logins before an account locks (default 5)\n"
    "  --lockout-minutes N     how long the lock lasts (default 15)\n"
    "  --grace-seconds N       how long to wait for requests in flight at stop (10)\n"
    "  --node-id ID            be the exchange node ID (with --keys): send and receive\n"
    "  --keys DIR              the node key directory written by lintas keygen\n"
    "  --heartbeat-seconds N   how often senders send signed log checkpoints (60)\n";

void serve_settings_defaults(struct serve_settings *s)
{
    memset(s, 0, sizeof *s);
    http_config_defaults(&s->http);
    svc_config_defaults(&s->svc);
    text_copy(s->sync, sizeof s->sync, "full");
    s->grace_s = 10;
}

static int num(const char *v, int64_t min, int64_t max, int64_t *out, struct buf *why)
{
    if (text_parse_i64(v, min, max, out) < 0) {
        buf_printf(why, "expected a whole number from %lld to %lld", (long long)min,
                   (long long)max);
        return ERR_INVALID;
    }
    return 0;
}

/* Applies one setting by its key (option name with '_' for '-'). */
static int apply(void *ctx, const char *key, const char *v, size_t line, struct buf *why)
{
    struct serve_settings *s = ctx;
    int64_t n = 0;
    int r = 0;
    if (strcmp(key, "db") == 0)
        text_copy(s->db, sizeof s->db, v);
    else if (strcmp(key, "listen") == 0) {
        if (http_parse_listen(&s->http, v) < 0) {
            buf_puts(why, "listen: expected HOST:PORT");
            r = ERR_INVALID;
        }
    } else if (strcmp(key, "threads") == 0 && (r = num(v, 1, 256, &n, why)) == 0)
        s->http.threads = (unsigned)n;
    else if (strcmp(key, "body_limit") == 0 && (r = num(v, 1024, LIMIT_BODY_MAX, &n, why)) == 0)
        s->http.body_limit = (size_t)n;
    else if (strcmp(key, "tls_cert") == 0)
        text_copy(s->tls_cert, sizeof s->tls_cert, v);
    else if (strcmp(key, "tls_key") == 0)
        text_copy(s->tls_key, sizeof s->tls_key, v);
    else if (strcmp(key, "access_log") == 0)
        text_copy(s->access_log, sizeof s->access_log, v);
    else if (strcmp(key, "synchronous") == 0) {
        if (strcasecmp(v, "full") && strcasecmp(v, "extra") && strcasecmp(v, "normal")) {
            buf_puts(why, "synchronous: expected full, extra or normal");
            r = ERR_INVALID;
        } else
            text_copy(s->sync, sizeof s->sync, v);
    } else if (strcmp(key, "session_ttl") == 0 && (r = num(v, 60, 30 * 86400, &n, why)) == 0)
        s->svc.session_ttl_s = n;
    else if (strcmp(key, "lockout_attempts") == 0 && (r = num(v, 1, 1000, &n, why)) == 0)
        s->svc.lockout_attempts = (int)n;
    else if (strcmp(key, "lockout_minutes") == 0 && (r = num(v, 1, 1440, &n, why)) == 0)
        s->svc.lockout_s = n * 60;
    else if (strcmp(key, "grace_seconds") == 0 && (r = num(v, 0, 600, &n, why)) == 0)
        s->grace_s = (unsigned)n;
    else if (strcmp(key, "node_id") == 0)
        text_copy(s->node_id, sizeof s->node_id, v);
    else if (strcmp(key, "keys") == 0)
        text_copy(s->keys_dir, sizeof s->keys_dir, v);
    else if (strcmp(key, "heartbeat_seconds") == 0 && (r = num(v, 1, 3600, &n, why)) == 0)
        s->heartbeat_s = (int)n;
    else if (r == 0 && !serve_known_key(key)) {
        buf_printf(why, "unknown setting '%s'", key);
        r = ERR_INVALID;
    }
    if (r < 0 && why->len == 0)
        buf_printf(why, "%s: bad value", key);
    return r;
}

bool serve_known_key(const char *key)
{
    static const char *const keys[] = {"db", "listen", "threads", "body_limit", "tls_cert",
                                       "tls_key", "access_log", "synchronous", "session_ttl",
                                       "lockout_attempts", "lockout_minutes", "grace_seconds",
                                       "node_id", "keys", "heartbeat_seconds", NULL};
    for (const char *const *k = keys; *k != NULL; k++) {
        if (strcmp(*k, key) == 0)
            return true;
    }
    return false;
}

int serve_parse(const char *cmd, int argc, char **argv, struct serve_settings *s)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'}, {"db", required_argument, NULL, 0},
        {"listen", required_argument, NULL, 0}, {"threads", required_argument, NULL, 0},
        {"body-limit", required_argument, NULL, 0}, {"tls-cert", required_argument, NULL, 0},
        {"tls-key", required_argument, NULL, 0}, {"access-log", required_argument, NULL, 0},
        {"synchronous", required_argument, NULL, 0},
        {"session-ttl", required_argument, NULL, 0},
        {"lockout-attempts", required_argument, NULL, 0},
        {"lockout-minutes", required_argument, NULL, 0},
        {"grace-seconds", required_argument, NULL, 0}, {"help", no_argument, NULL, 'h'},
        {"node-id", required_argument, NULL, 0}, {"keys", required_argument, NULL, 0},
        {"heartbeat-seconds", required_argument, NULL, 0},
        {NULL, 0, NULL, 0},
    };
    struct buf why;
    buf_init(&why, 1024);
    int c, idx, rc = 0;
    /* First pass: the config file, so that options given on the command line win. */
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, &idx)) != -1 && rc == 0) {
        if (c == 'h') {
            fputs(serve_help, stdout);
            rc = -1;
        } else if (c == '?') {
            fputs(serve_help, stderr);
            rc = EXIT_USAGE;
        } else if (c == 'c' && config_read(optarg, apply, s, &why) < 0) {
            cli_error(cmd, "%s", buf_cstr(&why));
            rc = EXIT_USAGE;
        }
    }
    optind = 1;
    while (rc == 0 && (c = getopt_long(argc, argv, "", opts, &idx)) != -1) {
        if (c != 0)
            continue;
        char key[32];
        text_copy(key, sizeof key, opts[idx].name);
        for (char *k = key; *k; k++)
            *k = *k == '-' ? '_' : *k;
        buf_reset(&why);
        if (apply(s, key, optarg, 0, &why) < 0) {
            cli_error(cmd, "--%s: %s", opts[idx].name, buf_cstr(&why));
            rc = EXIT_USAGE;
        }
    }
    if (rc == 0 && optind != argc) {
        cli_error(cmd, "unexpected argument '%s'", argv[optind]);
        rc = EXIT_USAGE;
    }
    buf_free(&why);
    return rc;
}

static int open_access_log(const char *cmd, struct serve_settings *s)
{
    if (s->access_log[0] == '\0') {
        s->http.access_log_fd = 2;
    } else if (strcmp(s->access_log, "off") == 0) {
        s->http.access_log_fd = -1;
    } else {
        int fd = open(s->access_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
        if (fd < 0) {
            cli_error(cmd, "%s: cannot open the access log", s->access_log);
            return EXIT_FAIL;
        }
        s->http.access_log_fd = fd;
    }
    return 0;
}

/* Makes the server an exchange node when --node-id or --keys is given. */
static int start_exchange(const char *cmd, const struct serve_settings *s, struct svc *svc)
{
    if (s->node_id[0] == '\0' && s->keys_dir[0] == '\0')
        return 0;
    if (s->node_id[0] == '\0' || s->keys_dir[0] == '\0') {
        cli_error(cmd, "--node-id and --keys go together");
        return EXIT_USAGE;
    }
    struct exchange_opts o = {.node_id = s->node_id, .keys_dir = s->keys_dir,
                              .heartbeat_s = s->heartbeat_s, .record = true,
                              .need_keys = true};
    struct buf why;
    buf_init(&why, 1024);
    int r = exchange_open(svc, &o, &why);
    if (r == 0)
        r = exchange_start(svc);
    if (r < 0)
        cli_error(cmd, "exchange: %s", why.len ? buf_cstr(&why) : err_str(r));
    else
        log_msg(LOG_INFO, "exchange node %s started", s->node_id);
    buf_free(&why);
    return r < 0 ? EXIT_USAGE : 0;
}

int serve_run(const char *cmd, struct serve_settings *s, void (*ready)(unsigned port, void *),
              void *ctx)
{
    struct svc svc;
    struct store_opts so = {.synchronous = s->sync};
    int rc = open_access_log(cmd, s);
    if (rc != 0)
        return rc;
    if ((s->tls_cert[0] != '\0') != (s->tls_key[0] != '\0')) {
        cli_error(cmd, "--tls-cert and --tls-key go together");
        return EXIT_USAGE;
    }
    rc = cli_open(cmd, cli_db(s->db[0] ? s->db : NULL), &so, true, &svc);
    if (rc != 0)
        return rc;
    svc.cfg = s->svc;
    struct buf wwhy;
    buf_init(&wwhy, 512);
    int64_t t0 = time_mono_ms();
    if (watchlist_open(svc.st, &svc.wl, &wwhy) < 0) {
        cli_error(cmd, "%s", buf_cstr(&wwhy));
        buf_free(&wwhy);
        store_close(svc.st);
        return EXIT_FAIL;
    }
    buf_free(&wwhy);
    if (watchlist_prune_changes(svc.st) < 0) /* the index holds everything: older rows can go */
        log_msg(LOG_WARN, "watchlist: the change log could not be pruned; the next start tries "
                          "again");
    int64_t wl_ms = time_mono_ms() - t0;
    svc.group = store_group_new(svc.st);
    if (start_exchange(cmd, s, &svc) != 0) {
        cli_close(&svc);
        return EXIT_USAGE;
    }

    s->http.tls_cert = s->tls_cert[0] ? s->tls_cert : NULL;
    s->http.tls_key = s->tls_key[0] ? s->tls_key : NULL;
    /* Block the stop signals in every thread; this one waits for them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct http_server *srv;
    struct buf why;
    buf_init(&why, 512);
    int r = http_start(&svc, &s->http, &srv, &why);
    if (r < 0) {
        cli_error(cmd, "%s", buf_cstr(&why));
        buf_free(&why);
        exchange_close(&svc);
        cli_close(&svc);
        return r == ERR_USAGE ? EXIT_USAGE : EXIT_FAIL;
    }
    buf_free(&why);
    const char *scheme = s->http.tls_cert ? "https" : "http";
    printf("lintas: serving on %s://%s:%u\n", scheme, s->http.host, http_port(srv));
    if (ready != NULL)
        ready(http_port(srv), ctx);
    fflush(stdout);
    log_msg(LOG_INFO, "serving on %s://%s:%u (database %s)", scheme, s->http.host,
            http_port(srv), cli_db(s->db[0] ? s->db : NULL));
    size_t wl_entries, wl_names;
    watchlist_size(svc.wl, &wl_entries, &wl_names);
    log_msg(LOG_INFO, "watchlist index: %zu entries, %zu names, built in %lld ms", wl_entries,
            wl_names, (long long)wl_ms);
    int sig = 0;
    sigwait(&set, &sig);
    log_msg(LOG_INFO, "signal %d: stopping; finishing requests in flight", sig);
    http_stop(srv, s->grace_s);
    exchange_close(&svc);
    cli_close(&svc);
    log_msg(LOG_INFO, "stopped");
    if (s->http.access_log_fd > 2)
        close(s->http.access_log_fd);
    return EXIT_OK;
}

int cmd_serve(int argc, char **argv)
{
    struct serve_settings s;
    serve_settings_defaults(&s);
    int rc = serve_parse("serve", argc, argv, &s);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    return serve_run("serve", &s, NULL, NULL);
}
