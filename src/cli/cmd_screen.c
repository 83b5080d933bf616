/* cmd_screen: lintas screen (departures in batch, JSON lines in and out)
 * and lintas manifest (a PAXLST or JSON manifest screened person by
 * person). Both record each screening as the API does. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "services/manifests.h"
#include "services/screening.h"
#include "services/watchlist.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/limits.h"
#include "util/text.h"

static const char screen_help[] =
    "usage: lintas screen --db PATH --checkpoint CODE\n\n"
    "Departure screening in batch: reads traveller JSON lines on stdin (the body of\n"
    "POST /api/v1/departures: {\"traveller\", \"trip\", \"sponsor\"}) and prints one decision\n"
    "line each, in order ({\"id\", \"recommendation\", \"score\", \"reasons\", \"matches\",\n"
    "\"ruleset_version\", ...}). Each screening is recorded and audited as the API does.\n"
    "A line that cannot be screened prints {\"line\", \"error\"} (every bad field, joined by\n"
    "\"; \") and the batch goes on; at the end one line on stderr counts them and the\n"
    "exit status is 1. A line's own \"checkpoint\" must be CODE. A CODE lintas does not\n"
    "know is a usage error (exit 2).\n";

static const char manifest_help[] =
    "usage: lintas manifest --db PATH [--checkpoint CODE] FILE\n\n"
    "Screens a PAXLST (UN/EDIFACT) or JSON manifest: one JSON line per person\n"
    "(\"role\": \"passenger\"|\"crew\") with its screening answer and its data problems,\n"
    "then {\"summary\": {...}} with counts per carrier of missing and invalid data.\n"
    "The checkpoint defaults to the flight's departure airport when it is a known\n"
    "checkpoint. Use - for stdin.\n";

static int open_all(const char *cmd, const char *db, struct svc *svc)
{
    int rc = cli_open(cmd, cli_db(db), NULL, false, svc);
    if (rc != 0)
        return rc;
    struct buf why;
    buf_init(&why, 512);
    if (watchlist_open(svc->st, &svc->wl, &why) < 0) {
        cli_error(cmd, "%s", buf_cstr(&why));
        rc = EXIT_FAIL;
        cli_close(svc);
    }
    buf_free(&why);
    return rc;
}

static int parse_opts(const char *cmd, const char *help, int argc, char **argv, const char **db,
                      const char **cp)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"checkpoint", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': *db = optarg; break;
        case 'c': *cp = optarg; break;
        case 'h': fputs(help, stdout); return -1;
        default: fputs(help, stderr); return EXIT_USAGE;
        }
    }
    return 0;
}

static int screen_line(struct svc *svc, const struct actor *who, const char *cp,
                       const char *line, size_t len, size_t lineno)
{
    struct buf why;
    json_t *in = NULL, *out = NULL;
    buf_init(&why, 1024);
    int r = len > LIMIT_LINE ? ERR_LIMIT : json_decode_object(line, len, &in, &why);
    if (r == ERR_LIMIT)
        buf_printf(&why, "line: longer than %u bytes", (unsigned)LIMIT_LINE);
    const char *own = r == 0 ? json_string_value(json_object_get(in, "checkpoint")) : NULL;
    if (r == 0 && own != NULL && own[0] != '\0' && strcmp(own, cp) != 0) {
        buf_printf(&why, "field 'checkpoint': '%.32s' differs from --checkpoint %s", own, cp);
        r = ERR_INVALID;
    }
    if (r == 0)
        r = screening_departure(svc, who, in, cp, &out, &why);
    text_one_line(&why); /* several bad fields: one line */
    if (r < 0)
        out = json_pack("{sI ss}", "line", (json_int_t)lineno, "error",
                        why.len ? buf_cstr(&why) : err_str(r));
    cli_print_json(out);
    json_decref(in);
    buf_free(&why);
    return r;
}

int cmd_screen(int argc, char **argv)
{
    const char *db = NULL, *cp = NULL;
    int rc = parse_opts("screen", screen_help, argc, argv, &db, &cp);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (cp == NULL || optind != argc) {
        cli_error("screen", "--checkpoint CODE is required (and travellers come on stdin)");
        return EXIT_USAGE;
    }
    struct svc svc;
    if ((rc = open_all("screen", db, &svc)) != 0)
        return rc;
    struct store_post post;
    int pr = store_post_get(svc.st, cp, &post);
    if (pr == ERR_NOTFOUND || (pr == 0 && strcmp(post.kind, "office") == 0)) {
        cli_error("screen", "--checkpoint '%s' is not a known checkpoint (lintas offices lists "
                            "them)",
                  cp);
        cli_close(&svc);
        return EXIT_USAGE;
    }
    struct actor who;
    svc_cli_actor(&who);
    char *line = NULL;
    size_t cap = 0, lineno = 0, bad = 0, first_bad = 0;
    for (ssize_t n; (n = getline(&line, &cap, stdin)) >= 0;) {
        size_t len = (size_t)n;
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue;
        if (screen_line(&svc, &who, cp, line, len, lineno) < 0 && bad++ == 0)
            first_bad = lineno;
    }
    free(line);
    fflush(stdout);
    cli_close(&svc);
    if (bad > 0) {
        cli_error("screen", "%zu line%s not screened (the first: line %zu); each has its error "
                            "on stdout",
                  bad, bad == 1 ? "" : "s", first_bad);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

int cmd_manifest(int argc, char **argv)
{
    const char *db = NULL, *cp = NULL;
    int rc = parse_opts("manifest", manifest_help, argc, argv, &db, &cp);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (optind + 1 != argc) {
        cli_error("manifest", "one manifest FILE is required");
        return EXIT_USAGE;
    }
    char *data;
    size_t len;
    const char *path = argv[optind];
    int fr = file_read_all(strcmp(path, "-") == 0 ? "/dev/stdin" : path, LIMIT_MANIFEST, &data,
                           &len);
    if (fr < 0) {
        if (fr == ERR_LIMIT)
            cli_error("manifest", "%s: larger than %u bytes, the most a manifest may be", path,
                      LIMIT_MANIFEST);
        else
            cli_error("manifest", "%s: cannot read the file: %s", path, strerror(errno));
        return EXIT_FAIL;
    }
    struct svc svc;
    if ((rc = open_all("manifest", db, &svc)) != 0) {
        free(data);
        return rc;
    }
    struct actor who;
    svc_cli_actor(&who);
    struct buf why, out;
    buf_init(&why, 1024);
    buf_init(&out, LIMIT_RESPONSE);
    int r = manifests_screen(&svc, &who, data, len, cp, MANIFEST_LINES, &out, &why);
    text_one_line(&why);
    if (r < 0) {
        cli_error("manifest", "%s: %s", path, why.len ? buf_cstr(&why) : err_str(r));
        rc = EXIT_FAIL;
    } else {
        fwrite(out.data, 1, out.len, stdout);
    }
    buf_free(&out);
    buf_free(&why);
    free(data);
    cli_close(&svc);
    return rc;
}
