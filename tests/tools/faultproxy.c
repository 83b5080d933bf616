/* faultproxy: a small TCP proxy that injects network faults between two
 * lintas nodes on loopback, for the exchange tests. It listens on a
 * loopback port and forwards to a loopback target. In http mode (the
 * default) it reads whole HTTP/1.1 requests (Content-Length or chunked),
 * forwards each on its own upstream connection and relays the answer, and
 * per request may: drop the request, drop the answer (the target acted but
 * the client never hears), delay, duplicate, replay later, hold back until
 * a later request has passed (reorder), cut the request or the answer
 * mid-frame, or flip one body byte. In tcp mode it works per connection:
 * refuse, delay, or cut after some bytes. Decisions are a pure function of
 * --seed and the request number, so a run is repeatable; --at N:ACTION
 * forces one request's fate; a control file, re-read when it changes, can
 * change every setting and partition the link while a test runs. One line
 * per request goes to the log. Not linked into lintas; see --help. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HEAD_MAX (64u * 1024u)
#define MSG_MAX (80u * 1024u * 1024u)
#define AT_MAX 256
#define IO_TIMEOUT_S 30

enum action {
    A_PASS, A_DROP_REQUEST, A_DROP_RESPONSE, A_CUT_REQUEST, A_CUT_RESPONSE, A_DUPLICATE,
    A_REPLAY, A_HOLD, A_CORRUPT, A_DELAY, A_COUNT
};

static const char *const action_names[A_COUNT] = {
    "pass", "drop-request", "drop-response", "cut-request", "cut-response",
    "duplicate", "replay", "hold", "corrupt", "delay",
};

struct config {
    double p[A_COUNT];       /* probability of each action (A_PASS unused) */
    long delay_ms, replay_ms, hold_ms;
    bool partition;          /* refuse all traffic */
    size_t nat;
    unsigned long at_n[AT_MAX];
    int at_action[AT_MAX];
};

struct state {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct config base;      /* from the command line */
    struct config cur;       /* base + control file */
    const char *control;
    struct timespec control_mtime;
    off_t control_size;
    bool control_seen;
    uint64_t seed;
    unsigned long requests;  /* numbered from 1 */
    unsigned long forwarded; /* requests the target has answered so far */
    bool tcp_mode;
    struct sockaddr_in target;
    FILE *log;
};

static struct state st = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
static volatile sig_atomic_t stopping;

/* ---- Small helpers -------------------------------------------------------- */

static uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* The k-th random number of request n: depends on nothing else. */
static uint64_t rnd(unsigned long n, unsigned k)
{
    return mix(st.seed ^ mix((uint64_t)n * 1000003u + k));
}

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
    va_list ap;
    pthread_mutex_lock(&st.mu);
    va_start(ap, fmt);
    vfprintf(st.log, fmt, ap);
    va_end(ap);
    fflush(st.log);
    pthread_mutex_unlock(&st.mu);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static int parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_prob(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !(v >= 0.0 && v <= 1.0))
        return -1;
    *out = v;
    return 0;
}

static int action_parse(const char *s)
{
    for (int i = 0; i < A_COUNT; i++) {
        if (strcmp(action_names[i], s) == 0)
            return i;
    }
    return -1;
}

/* "127.0.0.1:8080" or "localhost:8080"; loopback only. */
static int parse_addr(const char *s, struct sockaddr_in *a)
{
    char host[64];
    const char *colon = strrchr(s, ':');
    long port;
    if (colon == NULL || (size_t)(colon - s) >= sizeof host ||
        parse_long(colon + 1, 0, 65535, &port) < 0)
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0)
        return inet_pton(AF_INET, "127.0.0.1", &a->sin_addr) == 1 ? 0 : -1;
    if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
        return -1;
    return (ntohl(a->sin_addr.s_addr) >> 24) == 127 ? 0 : -1;
}

/* ---- Configuration -------------------------------------------------------- */

/* Applies one setting (an option name without "--", and its value). */
static int config_set(struct config *c, const char *key, const char *val)
{
    int a = action_parse(key);
    long v;
    if (a > A_PASS)
        return parse_prob(val, &c->p[a]);
    if (strcmp(key, "delay-ms") == 0 || strcmp(key, "replay-ms") == 0 ||
        strcmp(key, "hold-ms") == 0) {
        if (parse_long(val, 0, 3600000, &v) < 0)
            return -1;
        *(key[0] == 'd' ? &c->delay_ms : key[0] == 'r' ? &c->replay_ms : &c->hold_ms) = v;
        return 0;
    }
    if (strcmp(key, "partition") == 0) {
        if (strcmp(val, "on") != 0 && strcmp(val, "off") != 0)
            return -1;
        c->partition = strcmp(val, "on") == 0;
        return 0;
    }
    if (strcmp(key, "at") == 0) {
        char num[32];
        const char *colon = strchr(val, ':');
        if (colon == NULL || (size_t)(colon - val) >= sizeof num || c->nat >= AT_MAX)
            return -1;
        memcpy(num, val, (size_t)(colon - val));
        num[colon - val] = '\0';
        int act = action_parse(colon + 1);
        if (parse_long(num, 1, 2000000000L, &v) < 0 || act < 0)
            return -1;
        c->at_n[c->nat] = (unsigned long)v;
        c->at_action[c->nat++] = act;
        return 0;
    }
    return -1;
}

/* Re-reads the control file when it changed; call with st.mu held. */
static void control_reload(void)
{
    struct stat sb;
    if (st.control == NULL || stat(st.control, &sb) < 0)
        return;
    if (st.control_seen && sb.st_mtim.tv_sec == st.control_mtime.tv_sec &&
        sb.st_mtim.tv_nsec == st.control_mtime.tv_nsec && sb.st_size == st.control_size)
        return;
    FILE *f = fopen(st.control, "r");
    if (f == NULL)
        return;
    struct config c = st.base;
    char line[512];
    unsigned lineno = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        lineno++;
        char *p = line, *key, *val;
        line[strcspn(line, "\r\n")] = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        key = p;
        p += strcspn(p, " \t");
        if (*p != '\0')
            *p++ = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        val = p;
        if (config_set(&c, key, val) < 0)
            fprintf(st.log, "faultproxy: %s:%u: ignored bad line\n", st.control, lineno);
    }
    fclose(f);
    st.cur = c;
    st.control_mtime = sb.st_mtim;
    st.control_size = sb.st_size;
    st.control_seen = true;
    fprintf(st.log, "faultproxy: control file %s loaded\n", st.control);
    fflush(st.log);
}

/* Numbers the next request (or connection) and picks its fate. */
static int decide(unsigned long *n_out, struct config *snap)
{
    pthread_mutex_lock(&st.mu);
    control_reload();
    unsigned long n = ++st.requests;
    *snap = st.cur;
    pthread_mutex_unlock(&st.mu);
    *n_out = n;
    if (snap->partition)
        return A_DROP_REQUEST;
    for (size_t i = snap->nat; i > 0; i--) {
        if (snap->at_n[i - 1] == n)
            return snap->at_action[i - 1];
    }
    double r = (double)(rnd(n, 0) >> 11) / 9007199254740992.0, acc = 0;
    for (int a = A_PASS + 1; a < A_COUNT; a++) {
        acc += snap->p[a];
        if (r < acc)
            return a;
    }
    return A_PASS;
}

/* ---- Sockets -------------------------------------------------------------- */

static void set_timeouts(int fd, int seconds)
{
    struct timeval tv = {.tv_sec = seconds};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static int connect_target(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    set_timeouts(fd, IO_TIMEOUT_S);
    if (connect(fd, (const struct sockaddr *)&st.target, sizeof st.target) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* A growable byte buffer for one connection. */
struct bytes {
    char *p;
    size_t len, cap;
};

static int bytes_read(int fd, struct bytes *b)
{
    if (b->cap - b->len < 65536) {
        size_t cap = b->cap ? b->cap * 2 : 131072;
        if (cap > MSG_MAX + 65536)
            return -1;
        char *q = realloc(b->p, cap);
        if (q == NULL)
            return -1;
        b->p = q;
        b->cap = cap;
    }
    ssize_t r;
    do {
        r = recv(fd, b->p + b->len, b->cap - b->len, 0);
    } while (r < 0 && errno == EINTR);
    if (r <= 0)
        return r == 0 ? 0 : -1;
    b->len += (size_t)r;
    return 1;
}

static void bytes_consume(struct bytes *b, size_t n)
{
    memmove(b->p, b->p + n, b->len - n);
    b->len -= n;
}

/* ---- HTTP framing --------------------------------------------------------- */

/* The value of header name in head[0..len), or NULL; *vlen gets its length. */
static const char *header(const char *head, size_t len, const char *name, size_t *vlen)
{
    size_t nl = strlen(name);
    const char *p = memchr(head, '\n', len), *end = head + len;
    while (p != NULL && p + 1 < end) {
        p++;
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL)
            break;
        if ((size_t)(eol - p) > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
            const char *v = p + nl + 1;
            while (v < eol && (*v == ' ' || *v == '\t'))
                v++;
            const char *ve = eol;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' '))
                ve--;
            *vlen = (size_t)(ve - v);
            return v;
        }
        p = eol;
    }
    return NULL;
}

static bool header_has(const char *head, size_t len, const char *name, const char *token)
{
    size_t vl, tl = strlen(token);
    const char *v = header(head, len, name, &vl);
    for (size_t i = 0; v != NULL && i + tl <= vl; i++) {
        if (strncasecmp(v + i, token, tl) == 0)
            return true;
    }
    return false;
}

/* Where a chunked body starting at off ends: 1 and *end, 0 need more, -1 bad. */
static int chunked_end(const char *p, size_t len, size_t off, size_t *end)
{
    for (;;) {
        const char *eol = memchr(p + off, '\n', len - off);
        if (eol == NULL)
            return len - off > 1024 ? -1 : 0;
        char *stop;
        unsigned long size = strtoul(p + off, &stop, 16);
        if (stop == p + off || size > MSG_MAX)
            return -1;
        off = (size_t)(eol - p) + 1;
        if (size == 0) { /* trailers, then an empty line */
            for (;;) {
                const char *e2 = memchr(p + off, '\n', len - off);
                if (e2 == NULL)
                    return 0;
                bool empty = e2 == p + off || (e2 == p + off + 1 && p[off] == '\r');
                off = (size_t)(e2 - p) + 1;
                if (empty) {
                    *end = off;
                    return 1;
                }
            }
        }
        if (len - off < size + 2)
            return 0;
        off += size + 2;
    }
}

/* Frames one HTTP message at the start of b: 1 and *total when complete, 0
 * need more, 2 a response whose body runs to the end of the connection, -1
 * malformed. *head_len gets the header length; *status the response code. */
static int http_frame(const struct bytes *b, bool response, size_t *total, size_t *head_len,
                      int *status)
{
    const char *p = b->p;
    size_t len = b->len;
    const char *hend = NULL;
    for (size_t i = 3; i < len && hend == NULL; i++) {
        if (p[i] == '\n' && p[i - 1] == '\r' && p[i - 2] == '\n' && p[i - 3] == '\r')
            hend = p + i + 1;
    }
    if (hend == NULL)
        return len > HEAD_MAX ? -1 : 0;
    size_t hl = (size_t)(hend - p), vl;
    *head_len = hl;
    *status = 0;
    if (response) {
        if (hl < 12 || strncmp(p, "HTTP/1.", 7) != 0)
            return -1;
        *status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
        if ((*status >= 100 && *status < 200) || *status == 204 || *status == 304) {
            *total = hl;
            return 1;
        }
    }
    if (header_has(p, hl, "Transfer-Encoding", "chunked"))
        return chunked_end(p, len, hl, total);
    const char *v = header(p, hl, "Content-Length", &vl);
    if (v != NULL) {
        char num[24];
        long cl;
        if (vl >= sizeof num)
            return -1;
        memcpy(num, v, vl);
        num[vl] = '\0';
        if (parse_long(num, 0, (long)MSG_MAX, &cl) < 0)
            return -1;
        if (len - hl < (size_t)cl)
            return 0;
        *total = hl + (size_t)cl;
        return 1;
    }
    *total = hl;
    return response ? 2 : 1;
}

/* Reads one whole message from fd into b (which may hold earlier bytes).
 * Returns its length (and *close_after when the connection ends with it),
 * 0 on a clean end of stream before any byte, -1 on error. */
static long read_message(int fd, struct bytes *b, bool response, bool *close_after,
                         bool *expect_sent)
{
    size_t total = 0, hl = 0;
    int status, fr;
    *close_after = false;
    for (;;) {
        fr = http_frame(b, response, &total, &hl, &status);
        if (fr == 1 && response && status >= 100 && status < 200 && status != 101) {
            bytes_consume(b, total); /* an interim answer: skip it */
            continue;
        }
        if (fr == 1 || fr < 0)
            break;
        if (!response && expect_sent != NULL && !*expect_sent && hl > 0 &&
            header_has(b->p, hl, "Expect", "100-continue")) {
            *expect_sent = true;
            if (write_all(fd, "HTTP/1.1 100 Continue\r\n\r\n", 25) < 0)
                return -1;
        }
        int r = bytes_read(fd, b);
        if (r < 0)
            return -1;
        if (r == 0) {
            if (fr == 2) {
                *close_after = true;
                return (long)b->len;
            }
            return b->len == 0 ? 0 : -1;
        }
    }
    if (fr < 0)
        return -1;
    *close_after = header_has(b->p, hl, "Connection", "close");
    return (long)total;
}

/* ---- One request ---------------------------------------------------------- */

/* Sends req to the target and reads its answer into resp (reset first). */
static int exchange(const char *req, size_t n, struct bytes *resp, size_t *resp_len)
{
    bool closed;
    int fd = connect_target();
    if (fd < 0)
        return -1;
    resp->len = 0;
    long got = -1;
    if (write_all(fd, req, n) == 0)
        got = read_message(fd, resp, true, &closed, NULL);
    close(fd);
    /* Counted once the target has answered, so a held request goes after it. */
    pthread_mutex_lock(&st.mu);
    st.forwarded++;
    pthread_cond_broadcast(&st.cv);
    pthread_mutex_unlock(&st.mu);
    if (got <= 0)
        return -1;
    *resp_len = (size_t)got;
    return 0;
}

struct replay_job {
    char *req;
    size_t n;
    long ms;
    unsigned long num;
};

static void *replay_thread(void *arg)
{
    struct replay_job *j = arg;
    struct bytes resp = {0};
    size_t rl;
    sleep_ms(j->ms);
    int rc = exchange(j->req, j->n, &resp, &rl);
    logf_("faultproxy: n=%lu replayed %s\n", j->num, rc == 0 ? "answered" : "failed");
    free(resp.p);
    free(j->req);
    free(j);
    return NULL;
}

static void start_replay(const char *req, size_t n, long ms, unsigned long num)
{
    struct replay_job *j = malloc(sizeof *j);
    pthread_t t;
    if (j == NULL || (j->req = malloc(n)) == NULL) {
        free(j);
        return;
    }
    memcpy(j->req, req, n);
    j->n = n;
    j->ms = ms;
    j->num = num;
    if (pthread_create(&t, NULL, replay_thread, j) != 0) {
        free(j->req);
        free(j);
        return;
    }
    pthread_detach(t);
}

/* Waits until another request has been answered by the target, or hold_ms passes. */
static void hold_back(long hold_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += hold_ms / 1000;
    until.tv_nsec += (hold_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&st.mu);
    unsigned long seen = st.forwarded;
    while (st.forwarded == seen && !stopping) {
        if (pthread_cond_timedwait(&st.cv, &st.mu, &until) != 0)
            break;
    }
    pthread_mutex_unlock(&st.mu);
}

/* Handles one framed request; returns false when the client connection must close. */
static bool handle_request(int cfd, char *req, size_t n, size_t head_len, struct bytes *resp)
{
    struct config c;
    unsigned long num;
    size_t rl = 0;
    int a = decide(&num, &c);
    uint64_t r1 = rnd(num, 1);
    bool keep = true;
    int rc = 0;
    switch (a) {
    case A_DROP_REQUEST: keep = false; break;
    case A_CUT_REQUEST: {
        int fd = connect_target();
        if (fd >= 0) {
            write_all(fd, req, n > 1 ? 1 + r1 % (n - 1) : 0);
            close(fd);
        }
        keep = false;
        break;
    }
    case A_DUPLICATE:
        rc = exchange(req, n, resp, &rl);
        if (rc == 0)
            rc = exchange(req, n, resp, &rl);
        break;
    case A_HOLD: hold_back(c.hold_ms); rc = exchange(req, n, resp, &rl); break;
    case A_DELAY: sleep_ms(c.delay_ms); rc = exchange(req, n, resp, &rl); break;
    case A_CORRUPT:
        if (n > head_len)
            req[head_len + r1 % (n - head_len)] ^= (char)(1 << (rnd(num, 2) % 8));
        rc = exchange(req, n, resp, &rl);
        break;
    default: rc = exchange(req, n, resp, &rl); break;
    }
    if (a == A_REPLAY && rc == 0)
        start_replay(req, n, c.replay_ms, num);
    if (keep && rc == 0) {
        if (a == A_DROP_RESPONSE) {
            keep = false;
        } else if (a == A_CUT_RESPONSE) {
            write_all(cfd, resp->p, rl > 1 ? 1 + r1 % (rl - 1) : 0);
            keep = false;
        } else {
            keep = write_all(cfd, resp->p, rl) == 0 &&
                   !header_has(resp->p, rl, "Connection", "close");
        }
    }
    logf_("faultproxy: n=%lu action=%s request_bytes=%zu answer_bytes=%zu%s\n", num,
          action_names[a], n, rl, rc < 0 ? " target_failed" : "");
    return keep && rc == 0;
}

static void serve_http(int cfd)
{
    struct bytes in = {0}, resp = {0};
    for (;;) {
        bool close_after, expect_sent = false;
        long n = read_message(cfd, &in, false, &close_after, &expect_sent);
        if (n <= 0)
            break;
        size_t hl = 0, total;
        int status;
        http_frame(&in, false, &total, &hl, &status);
        char *req = malloc((size_t)n);
        if (req == NULL)
            break;
        memcpy(req, in.p, (size_t)n);
        bytes_consume(&in, (size_t)n);
        bool keep = handle_request(cfd, req, (size_t)n, hl, &resp);
        free(req);
        if (!keep || close_after)
            break;
    }
    free(in.p);
    free(resp.p);
}

/* ---- tcp mode ------------------------------------------------------------- */

static void serve_tcp(int cfd)
{
    struct config c;
    unsigned long num;
    int a = decide(&num, &c);
    long cut = a == A_CUT_REQUEST || a == A_CUT_RESPONSE ? 1 + (long)(rnd(num, 1) % 4096) : -1;
    logf_("faultproxy: conn=%lu action=%s\n", num, action_names[a]);
    if (a == A_DROP_REQUEST)
        return;
    if (a == A_DELAY || a == A_HOLD)
        sleep_ms(a == A_DELAY ? c.delay_ms : c.hold_ms);
    int tfd = connect_target();
    if (tfd < 0)
        return;
    struct pollfd pf[2] = {{.fd = cfd, .events = POLLIN}, {.fd = tfd, .events = POLLIN}};
    char buf[16384];
    long moved = 0;
    while (!stopping && poll(pf, 2, 1000) >= 0) {
        for (int i = 0; i < 2; i++) {
            if (!(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t r = recv(pf[i].fd, buf, sizeof buf, 0);
            if (r <= 0)
                goto done;
            size_t w = (size_t)r;
            if (cut >= 0 && moved + r > cut)
                w = (size_t)(cut - moved);
            if (write_all(pf[1 - i].fd, buf, w) < 0 || (cut >= 0 && (moved += r) >= cut))
                goto done;
        }
    }
done:
    close(tfd);
}

static void *conn_thread(void *arg)
{
    int cfd = (int)(intptr_t)arg;
    set_timeouts(cfd, 2 * IO_TIMEOUT_S);
    if (st.tcp_mode)
        serve_tcp(cfd);
    else
        serve_http(cfd);
    close(cfd);
    return NULL;
}

/* ---- Main ----------------------------------------------------------------- */

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static void usage(FILE *f)
{
    fputs("usage: faultproxy --listen 127.0.0.1:PORT --target 127.0.0.1:PORT [options]\n"
          "  --seed N             decisions depend only on N and the request number (1)\n"
          "  --mode http|tcp      per HTTP request (default) or per connection\n"
          "  --drop-request P     the request never reaches the target; the client is cut\n"
          "  --drop-response P    the target handles it; the client is cut before the answer\n"
          "  --cut-request P      a random prefix reaches the target, then both are cut\n"
          "  --cut-response P     a random prefix of the answer reaches the client\n"
          "  --duplicate P        sent twice; the client gets the second answer\n"
          "  --replay P           sent again replay-ms later; that answer is discarded\n"
          "  --hold P             held until a later request was answered, or hold-ms\n"
          "  --corrupt P          one body byte gets one bit flipped\n"
          "  --delay P            held delay-ms before forwarding\n"
          "  --delay-ms MS --replay-ms MS --hold-ms MS   (200, 1000, 2000)\n"
          "  --at N:ACTION        request N gets ACTION (pass, drop-request, ...); repeatable\n"
          "  --control FILE       \"name value\" lines (the names above, \"at N:ACTION\",\n"
          "                       \"partition on|off\"), re-read whenever it changes\n"
          "  --log FILE           one line per request (default stderr)\n"
          "  --port-file FILE     write the listening port there once ready\n"
          "P is a probability from 0 to 1; one action per request, checked in the order\n"
          "listed. Only loopback addresses are accepted.\n",
          f);
}

static int parse_args(int argc, char **argv, struct sockaddr_in *listen_at, const char **portf)
{
    bool have_listen = false, have_target = false;
    st.base.delay_ms = 200;
    st.base.replay_ms = 1000;
    st.base.hold_ms = 2000;
    st.seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (strcmp(o, "--help") == 0) {
            usage(stdout);
            exit(0);
        }
        if (strncmp(o, "--", 2) != 0 || i + 1 >= argc)
            return -1;
        const char *v = argv[++i];
        long n;
        if (strcmp(o, "--listen") == 0)
            have_listen = parse_addr(v, listen_at) == 0;
        else if (strcmp(o, "--target") == 0)
            have_target = parse_addr(v, &st.target) == 0;
        else if (strcmp(o, "--seed") == 0 && parse_long(v, 0, 2147483647L, &n) == 0)
            st.seed = (uint64_t)n;
        else if (strcmp(o, "--mode") == 0 && (strcmp(v, "http") == 0 || strcmp(v, "tcp") == 0))
            st.tcp_mode = strcmp(v, "tcp") == 0;
        else if (strcmp(o, "--control") == 0)
            st.control = v;
        else if (strcmp(o, "--port-file") == 0)
            *portf = v;
        else if (strcmp(o, "--log") == 0) {
            if ((st.log = fopen(v, "a")) == NULL)
                return -1;
        } else if (config_set(&st.base, o + 2, v) < 0)
            return -1;
    }
    if (!have_listen || !have_target)
        return -1;
    if (st.log == NULL)
        st.log = stderr;
    st.cur = st.base;
    return 0;
}

static int open_listener(struct sockaddr_in *a)
{
    int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    socklen_t al = sizeof *a;
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (const struct sockaddr *)a, sizeof *a) < 0 || listen(fd, 128) < 0 ||
        getsockname(fd, (struct sockaddr *)a, &al) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv)
{
    struct sockaddr_in la;
    const char *portf = NULL;
    if (parse_args(argc, argv, &la, &portf) < 0) {
        usage(stderr);
        return 2;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    int lfd = open_listener(&la);
    if (lfd < 0) {
        fprintf(stderr, "faultproxy: cannot listen: %s\n", strerror(errno));
        return 1;
    }
    pthread_mutex_lock(&st.mu);
    control_reload();
    pthread_mutex_unlock(&st.mu);
    printf("faultproxy: listening on 127.0.0.1:%u -> port %u (%s mode, seed %lu)\n",
           ntohs(la.sin_port), ntohs(st.target.sin_port), st.tcp_mode ? "tcp" : "http",
           (unsigned long)st.seed);
    fflush(stdout);
    if (portf != NULL) {
        FILE *f = fopen(portf, "w");
        if (f == NULL || fprintf(f, "%u\n", ntohs(la.sin_port)) < 0 || fclose(f) != 0)
            return 1;
    }
    struct pollfd pf = {.fd = lfd, .events = POLLIN};
    while (!stopping) {
        if (poll(&pf, 1, 200) <= 0)
            continue;
        int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (cfd < 0)
            continue;
        pthread_t t;
        if (pthread_create(&t, NULL, conn_thread, (void *)(intptr_t)cfd) != 0) {
            close(cfd);
            continue;
        }
        pthread_detach(t);
    }
    close(lfd);
    return 0;
}
