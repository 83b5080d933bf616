/* common: shared helpers of the commands. */
#include "cli/common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "services/refdata.h"
#include "services/rulesets.h"
#include "services/watchlist.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/errors.h"
#include "util/ids.h"
#include "util/json.h"
#include "util/text.h"

void cli_error(const char *cmd, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct buf b;
    buf_init(&b, sizeof msg * 4);
    text_escape(&b, msg, strlen(msg)); /* one line, control characters escaped */
    if (cmd == NULL || *cmd == '\0')
        fprintf(stderr, "lintas: %s\n", buf_cstr(&b));
    else
        fprintf(stderr, "lintas %s: %s\n", cmd, buf_cstr(&b));
    buf_free(&b);
}

const char *cli_db(const char *opt)
{
    if (opt != NULL && *opt != '\0')
        return opt;
    const char *env = getenv("LINTAS_DB");
    return env != NULL && *env != '\0' ? env : NULL;
}

/* True when db names an SQLite file that does not exist. Opening it would
 * create an empty file, which only init and demo may do. */
static bool db_file_missing(const char *db)
{
    if (strncmp(db, "postgres://", 11) == 0 || strncmp(db, "postgresql://", 13) == 0)
        return false;
    const char *path = strncmp(db, "sqlite:", 7) == 0 ? db + 7 : db;
    if (*path == '\0' || strcmp(path, ":memory:") == 0)
        return false;
    struct stat st;
    return stat(path, &st) != 0 && errno == ENOENT;
}

int cli_open(const char *cmd, const char *db, const struct store_opts *opts, bool migrate,
             struct svc *svc)
{
    memset(svc, 0, sizeof *svc);
    svc_config_defaults(&svc->cfg);
    if (ids_init() < 0) {
        cli_error(cmd, "cannot initialise the random number source");
        return EXIT_FAIL;
    }
    if (db == NULL) {
        cli_error(cmd, "no database given: use --db PATH or set LINTAS_DB");
        return EXIT_USAGE;
    }
    bool may_create = strcmp(cmd, "init") == 0 || strcmp(cmd, "demo") == 0;
    /* init loads the reference data itself, and so does demo when it makes
     * its database; demo serving the one it made earlier does not */
    bool loads_refdata = strcmp(cmd, "init") == 0 || (may_create && db_file_missing(db));
    if (!may_create && db_file_missing(db)) {
        cli_error(cmd, "%s: no such database; create it with 'lintas init --db %s'", db, db);
        return EXIT_FAIL;
    }
    struct buf why;
    buf_init(&why, 1024);
    int r = store_open(db, opts, &svc->st, &why);
    if (r == 0 && migrate) {
        int applied;
        r = store_migrate(svc->st, &applied, &why);
        /* a schema that changed may hold reference data of its own (the
         * office of each checkpoint): this build's is loaded with it, so an
         * upgrade needs no 'lintas init', and loaded again at the next
         * start if it did not get in after the migration (a crash between
         * the two commits) */
        bool offices = true;
        if (r == 0 && applied == 0 && !loads_refdata)
            r = store_posts_have_offices(svc->st, &offices);
        if (r == 0 && !loads_refdata && (applied > 0 || !offices))
            r = refdata_load(svc->st, &why);
    } else if (r == 0) {
        int v;
        r = store_schema_version(svc->st, &v);
        if (r == 0 && v < store_schema_latest(svc->st)) {
            buf_printf(&why, "%s: database schema is version %d, run 'lintas init' first", db,
                       v);
            r = ERR_CONFLICT;
        }
    }
    if (r == 0)
        r = rulesets_new(&svc->rs);
    if (r < 0) {
        cli_error(cmd, "%s", why.len ? buf_cstr(&why) : err_str(r));
        store_close(svc->st);
        svc->st = NULL;
    }
    buf_free(&why);
    return r == ERR_USAGE ? EXIT_USAGE : r < 0 ? EXIT_FAIL : 0;
}

void cli_close(struct svc *svc)
{
    store_group_free(svc->group);
    svc->group = NULL;
    watchlist_close(svc->wl);
    svc->wl = NULL;
    rulesets_free(svc->rs);
    svc->rs = NULL;
    store_close(svc->st);
    svc->st = NULL;
}

int cli_read_secret(const char *cmd, const char *path, char *out, size_t n)
{
    char *data;
    size_t len;
    if (file_read_all(path, n - 1, &data, &len) < 0) {
        cli_error(cmd, "%s: cannot read the password file", path);
        return EXIT_FAIL;
    }
    size_t l = strcspn(data, "\r\n");
    memcpy(out, data, l);
    out[l] = '\0';
    memset(data, 0, len);
    free(data);
    return 0;
}

void cli_print_json(json_t *v)
{
    struct buf b;
    buf_init(&b, LIMIT_RESPONSE);
    if (v != NULL && json_dump_buf(v, &b) == 0) {
        buf_putc(&b, '\n');
        fwrite(b.data, 1, b.len, stdout);
    }
    buf_free(&b);
    json_decref(v);
}
