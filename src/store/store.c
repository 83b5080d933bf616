/* store: opening, per-thread connections, transactions and migrations.
 *
 * Each thread that touches a store gets its own driver connection, kept in a
 * pthread key; a destructor closes it when the thread ends, and store_close
 * closes whatever is left. */
#include "store/store.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/log.h"
#include "util/text.h"
#include "util/timeutil.h"

struct conn_node {
    struct store_conn conn;
    struct store *st;
    struct conn_node *next;
};

struct store {
    const struct db_ops *ops;
    char *url;
    struct store_opts opts;
    char sync[16];
    pthread_key_t key;
    pthread_mutex_t lock; /* guards conns */
    struct conn_node *conns;
};

static void conn_unlink(struct store *st, struct conn_node *n)
{
    pthread_mutex_lock(&st->lock);
    for (struct conn_node **pp = &st->conns; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == n) {
            *pp = n->next;
            break;
        }
    }
    pthread_mutex_unlock(&st->lock);
}

static void conn_destroy(void *p)
{
    struct conn_node *n = p;
    conn_unlink(n->st, n);
    n->conn.ops->close(n->conn.db);
    free(n);
}

static int conn_new(struct store *st, struct conn_node **out, struct buf *why)
{
    struct conn_node *n = calloc(1, sizeof *n);
    if (n == NULL)
        return ERR_NOMEM;
    n->st = st;
    n->conn.ops = st->ops;
    int r = st->ops->open(st->url, &st->opts, &n->conn.db, why);
    if (r < 0) {
        free(n);
        return r;
    }
    pthread_mutex_lock(&st->lock);
    n->next = st->conns;
    st->conns = n;
    pthread_mutex_unlock(&st->lock);
    pthread_setspecific(st->key, n);
    *out = n;
    return 0;
}

struct store_conn *store_conn(struct store *st)
{
    struct conn_node *n = pthread_getspecific(st->key);
    if (n != NULL)
        return &n->conn;
    struct buf why;
    buf_init(&why, 512);
    int r = conn_new(st, &n, &why);
    if (r < 0)
        log_msg(LOG_ERROR, "store: cannot open a connection: %s", buf_cstr(&why));
    buf_free(&why);
    return r < 0 ? NULL : &n->conn;
}

int store_open(const char *url, const struct store_opts *opts, struct store **out,
               struct buf *why)
{
    *out = NULL;
    if (url == NULL || *url == '\0') {
        buf_puts(why, "no database given (use --db PATH or set LINTAS_DB)");
        return ERR_USAGE;
    }
    if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
        buf_puts(why, "the PostgreSQL backend is not part of this build yet");
        return ERR_INVALID;
    }
    struct store *st = calloc(1, sizeof *st);
    if (st == NULL)
        return ERR_NOMEM;
    st->ops = &db_sqlite_ops;
    st->url = strdup(url);
    text_copy(st->sync, sizeof st->sync,
              opts && opts->synchronous ? opts->synchronous : "full");
    st->opts.synchronous = st->sync;
    st->opts.busy_timeout_ms = opts && opts->busy_timeout_ms > 0 ? opts->busy_timeout_ms : 10000;
    pthread_mutex_init(&st->lock, NULL);
    if (st->url == NULL || pthread_key_create(&st->key, conn_destroy) != 0) {
        free(st->url);
        free(st);
        return ERR_NOMEM;
    }
    struct conn_node *n;
    int r = conn_new(st, &n, why);
    if (r < 0) {
        pthread_key_delete(st->key);
        free(st->url);
        free(st);
        return r;
    }
    *out = st;
    return 0;
}

void store_close(struct store *st)
{
    if (st == NULL)
        return;
    pthread_setspecific(st->key, NULL);
    pthread_key_delete(st->key);
    while (st->conns != NULL) {
        struct conn_node *n = st->conns;
        st->conns = n->next;
        n->conn.ops->close(n->conn.db);
        free(n);
    }
    pthread_mutex_destroy(&st->lock);
    free(st->url);
    free(st);
}

const char *store_backend(const struct store *st)
{
    return st->ops->name;
}

int store_begin(struct store *st, bool write)
{
    struct store_conn *c = store_conn(st);
    if (c == NULL)
        return ERR_DB;
    if (c->in_txn)
        return ERR_INTERNAL;
    int r = c->ops->begin(c->db, write);
    if (r == 0)
        c->in_txn = true;
    return r;
}

int store_commit(struct store *st)
{
    struct store_conn *c = store_conn(st);
    if (c == NULL || !c->in_txn)
        return ERR_INTERNAL;
    int r = c->ops->commit(c->db);
    if (r < 0) {
        c->ops->rollback(c->db);
    }
    c->in_txn = false;
    return r;
}

void store_rollback(struct store *st)
{
    struct store_conn *c = store_conn(st);
    if (c == NULL || !c->in_txn)
        return;
    c->ops->rollback(c->db);
    c->in_txn = false;
}

const char *store_errmsg(struct store *st)
{
    struct store_conn *c = store_conn(st);
    return c ? c->ops->errmsg(c->db) : "no connection";
}

int store_integrity(struct store *st, struct buf *out)
{
    struct store_conn *c = store_conn(st);
    return c ? c->ops->integrity(c->db, out) : ERR_DB;
}

int store_backup(struct store *st, const char *path)
{
    struct store_conn *c = store_conn(st);
    return c ? c->ops->backup(c->db, path) : ERR_DB;
}

/* ---- helpers for the entity files ---- */

int sq_prepare(struct store *st, const char *sql, struct store_conn **c, struct db_stmt **s)
{
    *c = store_conn(st);
    if (*c == NULL)
        return ERR_DB;
    return (*c)->ops->prepare((*c)->db, sql, s);
}

int sq_text(struct store_conn *c, struct db_stmt *s, int idx, const char *v)
{
    if (v == NULL)
        return c->ops->bind_null(s, idx);
    return c->ops->bind_text(s, idx, v, strlen(v));
}

void sq_copy(struct store_conn *c, struct db_stmt *s, int col, char *dst, size_t n)
{
    size_t len;
    const char *t = c->ops->col_text(s, col, &len);
    if (len >= n)
        len = n - 1;
    memcpy(dst, t, len);
    dst[len] = '\0';
}

int sq_done(struct store_conn *c, struct db_stmt *s)
{
    int r = c->ops->step(s);
    c->ops->reset(s);
    return r < 0 ? r : 0;
}

int sq_exists(struct store *st, const char *sql, bool *any)
{
    struct store_conn *c;
    struct db_stmt *s;
    *any = false;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    r = c->ops->step(s);
    *any = r == 1 && c->ops->col_int(s, 0) != 0;
    c->ops->reset(s);
    return r < 0 ? r : 0;
}

int sq_done_one(struct store_conn *c, struct db_stmt *s)
{
    int r = sq_done(c, s);
    if (r == 0 && c->ops->changes(c->db) == 0)
        r = ERR_NOTFOUND;
    return r;
}

int sq_insert_id(struct store_conn *c, struct db_stmt *s, int64_t *id)
{
    int r = c->ops->step(s);
    c->ops->reset(s);
    if (r < 0)
        return r;
    if (r != 0)
        return ERR_DB;
    *id = c->ops->last_id(c->db);
    return 0;
}

int sq_returning_id(struct store_conn *c, struct db_stmt *s, int64_t *id)
{
    int r = c->ops->step(s);
    if (r == 1)
        *id = c->ops->col_int(s, 0);
    c->ops->reset(s);
    return r < 0 ? r : r == 1 ? 0 : ERR_DB;
}

/* ---- migrations ---- */

static const char mig_table_sql[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at INTEGER NOT NULL)";

int store_schema_version(struct store *st, int *version)
{
    *version = 0;
    struct store_conn *c = store_conn(st);
    if (c == NULL)
        return ERR_DB;
    int r = c->ops->exec(c->db, mig_table_sql);
    if (r < 0)
        return r;
    struct db_stmt *s;
    r = c->ops->prepare(c->db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &s);
    if (r < 0)
        return r;
    r = c->ops->step(s);
    if (r == 1)
        *version = (int)c->ops->col_int(s, 0);
    c->ops->reset(s);
    return r < 0 ? r : 0;
}

int store_schema_latest(const struct store *st)
{
    size_t n;
    const struct db_migration *m = st->ops->migrations(&n);
    return n ? m[n - 1].version : 0;
}

static int apply_one(struct store *st, struct store_conn *c, const struct db_migration *m,
                     struct buf *why)
{
    int r = store_begin(st, true);
    if (r < 0)
        goto fail;
    /* Re-read inside the write transaction: another process may have won. */
    int v;
    r = store_schema_version(st, &v);
    if (r < 0 || v >= m->version) {
        store_rollback(st);
        return r < 0 ? r : 1;
    }
    r = c->ops->exec(c->db, m->sql);
    if (r < 0)
        goto fail;
    struct db_stmt *s;
    r = c->ops->prepare(c->db,
                        "INSERT INTO schema_migrations(version, name, applied_at) VALUES(?,?,?)",
                        &s);
    if (r < 0)
        goto fail;
    c->ops->bind_int(s, 1, m->version);
    sq_text(c, s, 2, m->name);
    c->ops->bind_int(s, 3, time_now_ms());
    r = sq_done(c, s);
    if (r < 0)
        goto fail;
    r = store_commit(st);
    if (r < 0)
        goto fail;
    return 0;
fail:
    buf_printf(why, "migration %d (%s): %s", m->version, m->name, c->ops->errmsg(c->db));
    store_rollback(st);
    return r < 0 ? r : ERR_DB;
}

int store_migrate(struct store *st, int *applied, struct buf *why)
{
    *applied = 0;
    struct store_conn *c = store_conn(st);
    if (c == NULL)
        return ERR_DB;
    int v;
    int r = store_schema_version(st, &v);
    if (r < 0) {
        buf_printf(why, "reading the schema version: %s", c->ops->errmsg(c->db));
        return r;
    }
    if (v > store_schema_latest(st)) {
        buf_printf(why, "the database has schema version %d, newer than this lintas (%d)", v,
                   store_schema_latest(st));
        return ERR_CONFLICT;
    }
    size_t n;
    const struct db_migration *all = st->ops->migrations(&n);
    for (size_t i = 0; i < n; i++) {
        const struct db_migration *m = &all[i];
        if (m->version <= v)
            continue;
        r = apply_one(st, c, m, why);
        if (r < 0)
            return r;
        if (r == 0)
            (*applied)++;
    }
    return 0;
}
