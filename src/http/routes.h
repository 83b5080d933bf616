/* routes: the table of every HTTP route lintas serves — method, path
 * pattern with {id} captures, handler, roles allowed and body limit — and
 * the lookup that the server does for each request. */
#ifndef LINTAS_HTTP_ROUTES_H
#define LINTAS_HTTP_ROUTES_H

/* Longest {id} path segment, in bytes: a watchlist source id (WL_MAX_ID). */
#define ROUTE_MAX_SEGMENT 128u

#include <stddef.h>

struct http_req;

typedef void (*route_fn)(struct http_req *r);

enum route_flags {
    ROUTE_PUBLIC = 1 << 0,    /* no token needed */
    ROUTE_JSON_BODY = 1 << 1, /* the body must be one JSON object */
    ROUTE_RAW_BODY = 1 << 2,  /* the handler reads the raw body itself */
};

struct route {
    const char *method;
    const char *pattern;  /* "/api/v1/users/{id}" */
    route_fn fn;
    unsigned roles;       /* ROLE_BIT() set; ignored for public routes */
    size_t body_limit;    /* 0: no body allowed beyond the server default */
    unsigned flags;
    const char *name;     /* stable label for metrics and logs */
};

/* The table, ending with an entry whose method is NULL. */
extern const struct route routes[];
size_t routes_count(void);

enum route_match { ROUTE_FOUND, ROUTE_NO_PATH, ROUTE_NO_METHOD };

/* Finds the route for method and path. On ROUTE_FOUND, *out is set and the
 * {id} captures are written NUL-terminated into pbuf (size pn) with
 * pointers in params. On ROUTE_NO_METHOD, allow gets the allowed methods
 * ("GET, POST"). */
enum route_match routes_find(const char *method, const char *path, const struct route **out,
                             const char **params, size_t max_params, char *pbuf, size_t pn,
                             char *allow, size_t allow_n);

#endif
