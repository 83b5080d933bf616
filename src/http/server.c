/* server: libmicrohttpd glue — request lifecycle, bounded bodies, routing,
 * authentication and authorisation, problem answers, the access log, and a
 * clean stop.
 *
 * Life of a request: on the first callback the route is resolved (404/405),
 * the declared Content-Length is checked against the route's limit (413
 * without reading the body) and the bearer token is checked (401/403). Body
 * chunks are appended to a bounded buffer. On the last callback the JSON
 * body is decoded (400 naming the problem) and the handler runs. A handler
 * that waits for a durable write defers its answer (http_defer): the
 * connection is suspended, its worker takes other requests, and the
 * committer's callback resumes it (http_resume); the answer is then made
 * and sent. The completion callback writes the access-log line and the
 * metrics. http_stop waits for suspended connections, which the committer
 * always resumes, before it stops the daemon. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/http.h"
#include "http/metrics.h"
#include "http/routes.h"
#include "services/accounts.h"
#include "util/config.h"
#include "util/errors.h"
#include "util/ids.h"
#include "util/json.h"
#include "util/limits.h"
#include "util/log.h"
#include "util/text.h"
#include "util/timeutil.h"

struct http_server {
    struct MHD_Daemon *d;
    struct svc *svc;
    struct http_config cfg;
    char *tls_cert_pem, *tls_key_pem;
    atomic_bool draining;
    unsigned port;
    pthread_mutex_t lock;   /* the deferred state of requests, nsuspended */
    pthread_cond_t resumed; /* nsuspended went down */
    size_t nsuspended;      /* connections suspended, not yet resumed */
};

struct req_ctx {
    struct http_req r; /* first: http_resume gets the context from it */
    struct http_server *srv;
    int64_t start_us;
    size_t limit;
    bool sent;
    bool too_large;
    size_t discarded;
    char allow[64];
    char path[LIMIT_URL + 1];
    /* a deferred answer (http_defer); ready and suspended change under
     * srv->lock, ready is atomic so that on_completed, which libmicrohttpd
     * may call with its own locks held, reads it without srv->lock */
    void (*finish)(struct http_req *r, void *arg);
    void *finish_arg;
    atomic_bool ready;
    bool suspended;
};

void http_config_defaults(struct http_config *c)
{
    memset(c, 0, sizeof *c);
    text_copy(c->host, sizeof c->host, "127.0.0.1");
    c->port = 8080;
    c->threads = 4;
    c->body_limit = LIMIT_BODY_DEFAULT;
    c->access_log_fd = 2;
    c->conn_timeout_s = 60;
}

int http_parse_listen(struct http_config *c, const char *s)
{
    const char *colon = strrchr(s, ':');
    if (colon == NULL || colon == s)
        return ERR_INVALID;
    size_t hl = (size_t)(colon - s);
    const char *h = s;
    if (s[0] == '[') {
        if (hl < 3 || s[hl - 1] != ']')
            return ERR_INVALID;
        h++;
        hl -= 2;
    }
    if (hl >= sizeof c->host)
        return ERR_INVALID;
    int64_t port;
    if (text_parse_i64(colon + 1, 0, 65535, &port) < 0)
        return ERR_INVALID;
    memcpy(c->host, h, hl);
    c->host[hl] = '\0';
    c->port = (unsigned)port;
    return 0;
}

/* ---- answers ---- */

void http_reply(struct http_req *r, int status, json_t *v)
{
    json_decref(r->reply);
    r->status = status;
    r->reply = v;
}

static const char *problem_slug(int status, const char **title)
{
    switch (status) {
    case 400: *title = "Bad request"; return "bad-request";
    case 401: *title = "Unauthorized"; return "unauthorized";
    case 403: *title = "Forbidden"; return "forbidden";
    case 404: *title = "Not found"; return "not-found";
    case 405: *title = "Method not allowed"; return "method-not-allowed";
    case 409: *title = "Conflict"; return "conflict";
    case 413: *title = "Payload too large"; return "payload-too-large";
    case 415: *title = "Unsupported media type"; return "unsupported-media-type";
    case 423: *title = "Locked"; return "locked";
    case 503: *title = "Service unavailable"; return "unavailable";
    default: *title = "Internal server error"; return "internal";
    }
}

/* The field a problem names ("field 'trip.destination': ..."), or NULL. */
static json_t *problem_field(const char *line)
{
    static const char pre[] = "field '";
    if (strncmp(line, pre, sizeof pre - 1) != 0)
        return NULL;
    const char *f = line + sizeof pre - 1, *end = strchr(f, '\'');
    return end != NULL && end > f ? json_stringn(f, (size_t)(end - f)) : NULL;
}

void http_problem(struct http_req *r, int status, const char *detail, ...)
{
    char text[2048];
    va_list ap;
    va_start(ap, detail);
    vsnprintf(text, sizeof text, detail, ap);
    va_end(ap);
    const char *title;
    const char *slug = problem_slug(status, &title);
    char type[96];
    snprintf(type, sizeof type, "urn:lintas:problem:%s", slug);
    /* detail may quote client text; keep the answer valid JSON. */
    struct buf safe;
    buf_init(&safe, sizeof text * 4);
    if (!text_utf8_valid(text, strlen(text))) {
        text_escape(&safe, text, strlen(text));
        snprintf(text, sizeof text, "%s", buf_cstr(&safe));
    }
    buf_free(&safe);
    /* Several problems come one per line: each is listed in errors (with
     * the field it names), and detail joins them with "; ". */
    json_t *errors = NULL;
    if (strchr(text, '\n') != NULL) {
        struct buf joined;
        json_t *last = NULL;
        buf_init(&joined, sizeof text * 2);
        errors = json_array();
        for (char *line = text, *nl; line != NULL; line = nl) {
            nl = strchr(line, '\n');
            if (nl != NULL)
                *nl++ = '\0';
            if (*line == '\0')
                continue;
            /* a line that names no field is about the last one named (a
             * ruleset's compile errors, line:column, under 'source') */
            json_t *e = json_pack("{ss}", "detail", line), *f = problem_field(line);
            if (f != NULL) {
                json_decref(last);
                last = json_incref(f);
                json_object_set_new(e, "field", f);
            } else if (last != NULL) {
                json_object_set(e, "field", last);
            }
            json_array_append_new(errors, e);
            buf_printf(&joined, "%s%s", joined.len ? "; " : "", line);
        }
        snprintf(text, sizeof text, "%s", buf_cstr(&joined));
        buf_free(&joined);
        json_decref(last);
    }
    json_t *p = json_pack("{ss ss si ss ss}", "type", type, "title", title, "status", status,
                          "detail", text, "request_id", r->request_id);
    if (errors != NULL)
        json_object_set_new(p, "errors", errors);
    http_reply(r, status, p);
    r->raw_type = "application/problem+json";
}

void http_fail(struct http_req *r, int err, const struct buf *why)
{
    const char *d = why && why->len ? buf_cstr(why) : err_str(err);
    r->result = err;
    switch (err) {
    case ERR_INVALID: http_problem(r, 400, "%s", d); break;
    case ERR_NOTFOUND: http_problem(r, 404, "%s", d); break;
    case ERR_EXISTS:
    case ERR_CONFLICT: http_problem(r, 409, "%s", d); break;
    case ERR_FORBIDDEN: http_problem(r, 403, "%s", d); break;
    case ERR_LIMIT: http_problem(r, 413, "%s", d); break;
    case ERR_BUSY: http_problem(r, 503, "the database is busy; try again"); break;
    default:
        log_msg(LOG_ERROR, "request %s: %s", r->request_id, err_str(err));
        http_problem(r, 500, "internal error (request %s)", r->request_id);
    }
}

const char *http_query(struct http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

int http_param_id(struct http_req *r, int i, int64_t *id)
{
    if (i >= HTTP_MAX_PARAMS || r->params[i] == NULL)
        return ERR_INVALID;
    return text_parse_i64(r->params[i], 1, INT64_MAX, id);
}

/* ---- sending ---- */

static enum MHD_Result send_answer(struct req_ctx *c)
{
    struct http_req *r = &c->r;
    const char *type = "application/json";
    char *body;
    size_t len;
    if (r->status == 0) {
        http_problem(r, 500, "no answer (request %s)", r->request_id);
    }
    if (r->reply != NULL) {
        struct buf b;
        buf_init(&b, LIMIT_RESPONSE);
        if (json_dump_buf(r->reply, &b) < 0 || buf_putc(&b, '\n') < 0) {
            buf_free(&b);
            http_problem(r, 500, "answer too large (request %s)", r->request_id);
            buf_init(&b, LIMIT_RESPONSE);
            json_dump_buf(r->reply, &b);
        }
        body = buf_steal(&b, &len);
        if (r->raw_type != NULL)
            type = r->raw_type;
    } else {
        body = buf_steal(&r->raw, &len);
        type = r->raw_type ? r->raw_type : "text/plain; charset=utf-8";
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (resp == NULL) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", type);
    MHD_add_response_header(resp, "X-Request-Id", r->request_id);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (r->status == 405)
        MHD_add_response_header(resp, "Allow", c->allow);
    if (r->status == 401)
        MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"lintas\"");
    if (atomic_load(&c->srv->draining) || c->too_large)
        MHD_add_response_header(resp, "Connection", "close");
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    c->sent = true;
    return ok;
}

/* ---- request lifecycle ---- */

static bool bearer_token(struct http_req *r)
{
    const char *h =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
        return false;
    return text_copy(r->token, sizeof r->token, h + 7);
}

/* Checks the token and the role; sets a 401/403 answer when refused. */
static void authorise(struct req_ctx *c)
{
    struct http_req *r = &c->r;
    if (r->route->flags & ROUTE_PUBLIC)
        return;
    if (!bearer_token(r)) {
        http_problem(r, 401, "a bearer token is required (POST /api/v1/sessions)");
        return;
    }
    int rc = accounts_authenticate(r->svc, r->token, &r->actor);
    if (rc == ERR_AUTH) {
        http_problem(r, 401, "the token is unknown, expired or revoked");
        return;
    }
    if (rc < 0) {
        http_fail(r, rc, NULL);
        return;
    }
    text_copy(r->actor.request_id, sizeof r->actor.request_id, r->request_id);
    r->authed = true;
    if ((r->route->roles & ROLE_BIT(r->actor.role)) == 0)
        http_problem(r, 403, "the role %s may not use %s %s", role_name(r->actor.role),
                     r->route->method, r->route->pattern);
}

/* Resolves the route and checks what can be checked before the body. */
static void begin_request(struct req_ctx *c, const char *url, const char *method)
{
    struct http_req *r = &c->r;
    if (strlen(url) > LIMIT_URL) {
        http_problem(r, 404, "path too long");
        return;
    }
    text_copy(c->path, sizeof c->path, url);
    r->path = c->path;
    enum route_match m = routes_find(method, url, &r->route, r->params, HTTP_MAX_PARAMS,
                                     r->param_buf, sizeof r->param_buf, c->allow,
                                     sizeof c->allow);
    if (m == ROUTE_NO_PATH) {
        http_problem(r, 404, "no such resource");
        return;
    }
    if (m == ROUTE_NO_METHOD) {
        http_problem(r, 405, "%s is not allowed here; allowed: %s", method, c->allow);
        return;
    }
    c->limit = r->route->body_limit;
    if (c->limit == LIMIT_BODY_DEFAULT)
        c->limit = c->srv->cfg.body_limit;
    const char *cl =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    int64_t n;
    if (cl != NULL && text_parse_i64(cl, 0, INT64_MAX, &n) == 0 && (uint64_t)n > c->limit) {
        c->too_large = true;
        http_problem(r, 413, "the body is larger than the limit of %zu bytes", c->limit);
        return;
    }
    const char *ct =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    r->content_type = ct ? ct : "";
    authorise(c);
}

static void run_handler(struct req_ctx *c)
{
    struct http_req *r = &c->r;
    if (r->route->flags & ROUTE_JSON_BODY) {
        /* The Content-Type is not trusted either way: the body must parse as a
         * JSON object, whatever a client declared (curl -d sends a form type). */
        struct buf why;
        buf_init(&why, 1024);
        int rc = json_decode_object(r->body.data ? r->body.data : "", r->body.len, &r->json,
                                    &why);
        if (rc < 0)
            http_problem(r, 400, "%s", buf_cstr(&why));
        buf_free(&why);
        if (rc < 0)
            return;
    }
    /* A request that may write tells the group committer so while it runs. */
    bool writes = strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0;
    if (writes)
        svc_write_expect(r->svc, 1);
    r->route->fn(r);
    if (writes)
        svc_write_expect(r->svc, -1);
}

void http_defer(struct http_req *r, void (*finish)(struct http_req *r, void *arg), void *arg)
{
    struct req_ctx *c = (struct req_ctx *)r;
    c->finish = finish;
    c->finish_arg = arg;
}

void http_resume(struct http_req *r)
{
    struct req_ctx *c = (struct req_ctx *)r;
    struct http_server *srv = c->srv;
    struct MHD_Connection *conn = r->conn;
    pthread_mutex_lock(&srv->lock);
    atomic_store(&c->ready, true);
    bool resume = c->suspended;
    pthread_mutex_unlock(&srv->lock);
    if (!resume)
        return; /* its worker has not suspended it and now will not */
    /* Suspended connections are never closed, so conn is still valid; c
     * may be freed by its worker from here on. */
    MHD_resume_connection(conn);
    pthread_mutex_lock(&srv->lock);
    srv->nsuspended--;
    pthread_cond_broadcast(&srv->resumed);
    pthread_mutex_unlock(&srv->lock);
}

/* After the handler: a deferred answer not ready yet suspends the
 * connection (true); otherwise the answer is made now. */
static bool suspend_if_waiting(struct req_ctx *c)
{
    if (c->finish == NULL)
        return false;
    struct http_server *srv = c->srv;
    pthread_mutex_lock(&srv->lock);
    bool wait = !atomic_load(&c->ready);
    if (wait) {
        c->suspended = true;
        srv->nsuspended++;
        MHD_suspend_connection(c->r.conn);
    }
    pthread_mutex_unlock(&srv->lock);
    return wait;
}

/* Makes the deferred answer (its work is done). */
static void finish_deferred(struct req_ctx *c)
{
    void (*finish)(struct http_req *, void *) = c->finish;
    c->finish = NULL;
    finish(&c->r, c->finish_arg);
}

static struct req_ctx *req_new(struct http_server *srv, struct MHD_Connection *conn,
                               const char *method)
{
    struct req_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->srv = srv;
    c->start_us = time_mono_us();
    c->r.svc = srv->svc;
    c->r.conn = conn;
    c->r.method = method;
    c->r.path = "";
    c->r.content_type = "";
    ids_random_hex(c->r.request_id, 16);
    buf_init(&c->r.body, LIMIT_BODY_MAX);
    buf_init(&c->r.raw, LIMIT_RESPONSE);
    return c;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    struct req_ctx *c = *con_cls;
    if (c == NULL) {
        c = req_new(cls, conn, method);
        if (c == NULL)
            return MHD_NO;
        *con_cls = c;
        begin_request(c, url, method);
        if (c->r.status != 0)
            return send_answer(c);
        return MHD_YES;
    }
    if (c->finish != NULL) {
        /* resumed: the deferred work is done */
        *upload_size = 0;
        finish_deferred(c);
        return send_answer(c);
    }
    if (c->sent) {
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (c->too_large) {
            /* A chunked body over the limit: libmicrohttpd cannot answer in
             * the middle of an upload, so the rest is discarded unread into
             * memory, up to a ceiling past which the connection is cut. */
            c->discarded += n;
            return c->discarded > LIMIT_BODY_MAX ? MHD_NO : MHD_YES;
        }
        if (c->r.body.len + n > c->limit) {
            c->too_large = true;
            c->discarded = c->r.body.len + n;
            buf_free(&c->r.body);
            return MHD_YES;
        }
        if (buf_append(&c->r.body, upload_data, n) < 0)
            return MHD_NO;
        return MHD_YES;
    }
    if (c->too_large)
        http_problem(&c->r, 413, "the body is larger than the limit of %zu bytes", c->limit);
    else
        run_handler(c);
    if (suspend_if_waiting(c))
        return MHD_YES;
    if (c->finish != NULL)
        finish_deferred(c);
    return send_answer(c);
}

static void access_log(struct req_ctx *c)
{
    struct http_req *r = &c->r;
    if (c->srv->cfg.access_log_fd < 0)
        return;
    char ts[32];
    time_format_iso(ts, time_now_ms());
    struct buf b;
    buf_init(&b, LIMIT_LOG_LINE);
    buf_printf(&b, "{\"ts\":\"%s\",\"type\":\"access\",\"request_id\":\"%s\",\"method\":\"", ts,
               r->request_id);
    text_escape(&b, r->method, strlen(r->method));
    buf_puts(&b, "\",\"path\":\"");
    text_escape(&b, r->path, strlen(r->path) > 256 ? 256 : strlen(r->path));
    buf_printf(&b, "\",\"route\":\"%s\",\"status\":%d,\"duration_us\":%lld,\"user\":\"%s\"}",
               r->route ? r->route->name : "-", r->status,
               (long long)(time_mono_us() - c->start_us), r->authed ? r->actor.username : "");
    log_json_to(c->srv->cfg.access_log_fd, b.data, b.len);
    buf_free(&b);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct req_ctx *c = *con_cls;
    if (c == NULL)
        return;
    if (c->finish != NULL) {
        /* The client went away after the resume, before the answer was
         * made: its work is done (only resumed connections are closed), so
         * its resources are freed; the answer is not sent. */
        if (!atomic_load(&c->ready)) {
            /* Cannot happen (http_stop waits for suspended connections);
             * the work still refers to c, so c is left allocated. */
            log_msg(LOG_ERROR, "request %s closed while its write is pending",
                    c->r.request_id);
            *con_cls = NULL;
            return;
        }
        finish_deferred(c);
    }
    size_t idx = c->r.route ? (size_t)(c->r.route - routes) : routes_count();
    metrics_observe(idx, c->r.status, time_mono_us() - c->start_us);
    if (c->r.result == ERR_DB || c->r.result == ERR_BUSY || c->r.result == ERR_CORRUPT)
        metrics_db_error();
    access_log(c);
    json_decref(c->r.json);
    json_decref(c->r.reply);
    buf_free(&c->r.body);
    buf_free(&c->r.raw);
    sodium_memzero(c->r.token, sizeof c->r.token);
    free(c);
    *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n > 0 && msg[n - 1] == '\n')
        msg[--n] = '\0';
    log_msg(LOG_WARN, "http: %s", msg);
}

static int load_tls(struct http_server *s, const struct http_config *c, struct buf *why)
{
    size_t n;
    if (c->tls_cert == NULL && c->tls_key == NULL)
        return 0;
    if (c->tls_cert == NULL || c->tls_key == NULL) {
        buf_puts(why, "--tls-cert and --tls-key go together");
        return ERR_USAGE;
    }
    if (file_read_all(c->tls_cert, 1024 * 1024, &s->tls_cert_pem, &n) < 0) {
        buf_printf(why, "%s: cannot read the TLS certificate", c->tls_cert);
        return ERR_IO;
    }
    if (file_read_all(c->tls_key, 1024 * 1024, &s->tls_key_pem, &n) < 0) {
        buf_printf(why, "%s: cannot read the TLS key", c->tls_key);
        return ERR_IO;
    }
    return 0;
}

static int make_addr(const struct http_config *c, struct sockaddr_storage *ss, bool *v6,
                     struct buf *why)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    const char *host = strcmp(c->host, "localhost") == 0 ? "127.0.0.1" : c->host;
    if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)c->port);
        *v6 = false;
        return 0;
    }
    if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)c->port);
        *v6 = true;
        return 0;
    }
    buf_printf(why, "listen address '%s' is not an IP address", c->host);
    return ERR_USAGE;
}

static void server_free(struct http_server *s)
{
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->resumed);
    if (s->tls_key_pem != NULL)
        sodium_memzero(s->tls_key_pem, strlen(s->tls_key_pem));
    free(s->tls_key_pem);
    free(s->tls_cert_pem);
    free(s);
}

int http_start(struct svc *svc, const struct http_config *c, struct http_server **out,
               struct buf *why)
{
    *out = NULL;
    struct http_server *s = calloc(1, sizeof *s);
    if (s == NULL)
        return ERR_NOMEM;
    s->svc = svc;
    s->cfg = *c;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->resumed, NULL);
    struct sockaddr_storage ss;
    bool v6;
    int r = load_tls(s, c, why);
    if (r == 0)
        r = make_addr(c, &ss, &v6, why);
    if (r < 0) {
        server_free(s);
        return r;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0) |
                     (s->tls_cert_pem ? MHD_USE_TLS : 0);
    struct MHD_OptionItem tls_opts[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls_cert_pem},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls_key_pem},
        {MHD_OPTION_END, 0, NULL},
    };
    struct MHD_OptionItem no_opts[] = {{MHD_OPTION_END, 0, NULL}};
    s->d = MHD_start_daemon(
        flags, (uint16_t)c->port, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER,
        mhd_log, NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(c->threads ? c->threads : 4),
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)c->conn_timeout_s, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024), MHD_OPTION_LISTEN_BACKLOG_SIZE,
        (unsigned)512, MHD_OPTION_ARRAY, s->tls_cert_pem ? tls_opts : no_opts, MHD_OPTION_END);
    if (s->d == NULL) {
        buf_printf(why, "cannot listen on %s:%u (in use, or TLS files invalid)", c->host,
                   c->port);
        server_free(s);
        return ERR_IO;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : c->port;
    *out = s;
    return 0;
}

unsigned http_port(const struct http_server *s)
{
    return s->port;
}

void http_stop(struct http_server *s, unsigned grace_s)
{
    if (s == NULL)
        return;
    atomic_store(&s->draining, true);
    MHD_socket fd = MHD_quiesce_daemon(s->d);
    int64_t deadline = time_mono_ms() + (int64_t)grace_s * 1000;
    while (time_mono_ms() < deadline) {
        const union MHD_DaemonInfo *info =
            MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (info == NULL || info->num_connections == 0)
            break;
        usleep(20 * 1000);
    }
    /* Stopping the daemon with suspended connections is not allowed; each
     * waits for a commit, which always ends (the committer stops later). */
    pthread_mutex_lock(&s->lock);
    while (s->nsuspended > 0)
        pthread_cond_wait(&s->resumed, &s->lock);
    pthread_mutex_unlock(&s->lock);
    MHD_stop_daemon(s->d);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    server_free(s);
}
