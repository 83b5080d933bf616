/* http: the HTTP API server of lintas (libmicrohttpd, internal epoll thread
 * pool) and the request object that route handlers see.
 *
 * A handler receives a struct http_req whose body is read and bounded,
 * whose JSON body (for JSON routes) is decoded, and whose actor is
 * authenticated and authorised for the route. It sets a status and a JSON
 * answer with http_reply() or a problem with http_problem(). Handlers stay
 * thin: parse, call one service, render. */
#ifndef LINTAS_HTTP_HTTP_H
#define LINTAS_HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "services/svc.h"
#include "util/buf.h"

struct MHD_Connection;
struct http_server;
struct route;

#define HTTP_MAX_PARAMS 4

struct http_req {
    struct svc *svc;
    struct MHD_Connection *conn;
    const struct route *route;
    const char *method;
    const char *path;
    const char *params[HTTP_MAX_PARAMS]; /* {id} captures, in order */
    char param_buf[HTTP_MAX_PARAMS * 130]; /* the {id} captures (ROUTE_MAX_SEGMENT each) */
    const char *content_type;            /* "" when absent */
    struct buf body;                     /* raw request body */
    json_t *json;                        /* decoded body of JSON routes */
    struct actor actor;                  /* valid when authed */
    bool authed;
    char token[72];                      /* bearer token of the request */
    char request_id[40];
    /* answer */
    int status;
    json_t *reply;                       /* owned; NULL for a raw body */
    struct buf raw;                      /* raw answer when reply is NULL */
    const char *raw_type;
    int result;                          /* ERR_* from the service, for metrics */
};

struct http_config {
    char host[64];
    unsigned port;          /* 0: any free port (see http_port) */
    unsigned threads;       /* worker threads; 0: 4 */
    size_t body_limit;      /* default LIMIT_BODY_DEFAULT */
    const char *tls_cert;   /* PEM file paths; both or neither */
    const char *tls_key;
    int access_log_fd;      /* -1: no access log */
    unsigned conn_timeout_s;
};

void http_config_defaults(struct http_config *c);
/* Parses "HOST:PORT" (or "[v6]:PORT") into c. ERR_INVALID otherwise. */
int http_parse_listen(struct http_config *c, const char *s);

/* Starts serving; returns once the socket listens. svc is borrowed. */
int http_start(struct svc *svc, const struct http_config *c, struct http_server **out,
               struct buf *why);
/* The port actually bound. */
unsigned http_port(const struct http_server *s);
/* Stops accepting, lets requests in flight finish (up to grace_s seconds),
 * then stops the workers and frees s. */
void http_stop(struct http_server *s, unsigned grace_s);

/* A handler whose answer waits for work done on another thread (a durable
 * write by the group committer) calls http_defer with the function that
 * will set the answer, and returns: the connection is then suspended so
 * that its worker serves other requests. http_resume(r), called once from
 * any thread (possibly before http_defer), says the work is done; finish
 * (r, arg) then runs on a worker and the answer is sent. finish also runs,
 * to free arg, when the client went away meanwhile. */
void http_defer(struct http_req *r, void (*finish)(struct http_req *r, void *arg), void *arg);
void http_resume(struct http_req *r);

/* Sets the answer: status and a JSON value (reference taken). */
void http_reply(struct http_req *r, int status, json_t *v);
/* Sets an application/problem+json answer (RFC 9457). detail is printf-style. */
void http_problem(struct http_req *r, int status, const char *detail, ...)
    __attribute__((format(printf, 3, 4)));
/* Maps a service error code to a problem answer, with detail from why when
 * given (400 invalid, 404 not found, 409 conflict/exists, 403, 503 busy,
 * 500 otherwise). */
void http_fail(struct http_req *r, int err, const struct buf *why);
/* A query-string argument or NULL. */
const char *http_query(struct http_req *r, const char *name);
/* Parses params[i] as a positive integer id; ERR_INVALID otherwise. */
int http_param_id(struct http_req *r, int i, int64_t *id);

#endif
