/* h_exchange: the exchange routes. The inbound endpoint takes a batch of
 * envelopes from a peer; it carries no bearer token, since each envelope is
 * authenticated by its signature, and answers with a batch of signed
 * receipts. The focal point's routes compose and send messages, list the
 * outbox and inbox with their states, the queries awaiting an answer (with
 * their deadline) and the dead letters. */
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "http/http.h"
#include "services/exchange.h"
#include "util/errors.h"
#include "util/json.h"

void h_ex_inbound(struct http_req *r)
{
    int status = 503;
    if (r->svc->ex == NULL) {
        http_problem(r, 503, "this server is not an exchange node (serve --node-id --keys)");
        return;
    }
    exchange_receive(r->svc, (const unsigned char *)(r->body.data ? r->body.data : ""),
                     r->body.len, &r->raw, &status);
    if (status == 200) {
        r->status = 200;
        r->raw_type = "application/x-lintas-batch";
    } else if (status == 400) {
        http_problem(r, 400, "not a lintas batch frame");
    } else {
        http_problem(r, 503, "cannot decide now: send again later");
    }
}

static int send_msg(struct http_req *r, const char *to, const char *type, json_t *payload,
                    const char *reply_to, json_t **out, struct buf *why)
{
    char id[33];
    char *text = json_dumps(payload, JSON_COMPACT);
    if (text == NULL)
        return ERR_NOMEM;
    struct exchange_msg_in m = {.to = to, .type = type, .payload = text, .len = strlen(text),
                                .reply_to = reply_to};
    int rc = exchange_submit(r->svc, &r->actor, &m, id, why);
    free(text);
    if (rc == 0)
        *out = json_pack("{ss ss ss ss}", "id", id, "to", to, "type", type, "state", "queued");
    return rc;
}

void h_ex_send(struct http_req *r)
{
    static const char *const allowed[] = {"to", "type", "payload", "reply_to", NULL};
    struct buf why;
    const char *to = NULL, *type = NULL, *reply = NULL;
    json_t *out = NULL, *payload = json_object_get(r->json, "payload");
    buf_init(&why, 1024);
    int rc = json_only_keys(r->json, allowed, &why);
    if (rc == 0)
        rc = json_get_str(r->json, "to", true, 64, &to, &why);
    if (rc == 0)
        rc = json_get_str(r->json, "type", true, 32, &type, &why);
    if (rc == 0)
        rc = json_get_str(r->json, "reply_to", false, 32, &reply, &why);
    if (rc == 0 && !json_is_object(payload)) {
        buf_puts(&why, "field 'payload': must be a JSON object");
        rc = ERR_INVALID;
    }
    if (rc == 0)
        rc = send_msg(r, to, type, payload, reply, &out, &why);
    if (rc < 0)
        http_fail(r, rc, &why);
    else
        http_reply(r, 202, out);
    buf_free(&why);
}

static void list_reply(struct http_req *r, const char *key, json_t *arr, int rc)
{
    if (rc == 0)
        rc = exchange_audit(r->svc, &r->actor, "exchange.list", key);
    if (rc < 0) {
        json_decref(arr);
        http_fail(r, rc, NULL);
        return;
    }
    http_reply(r, 200, json_pack("{so}", key, arr));
}

void h_ex_list(struct http_req *r)
{
    const char *dir = http_query(r, "direction"), *state = http_query(r, "state");
    if (dir != NULL && strcmp(dir, "in") != 0 && strcmp(dir, "out") != 0) {
        http_problem(r, 400, "direction: expected in or out");
        return;
    }
    json_t *arr = json_array();
    list_reply(r, "messages", arr, exchange_list(r->svc, dir, state, arr));
}

void h_ex_dead_letters(struct http_req *r)
{
    json_t *arr = json_array();
    list_reply(r, "dead_letters", arr, exchange_list(r->svc, "out", "expired", arr));
}

void h_ex_queries(struct http_req *r)
{
    const char *open = http_query(r, "open");
    json_t *arr = json_array();
    list_reply(r, "queries", arr,
               exchange_queries(r->svc, open != NULL && strcmp(open, "0") != 0, arr));
}

void h_ex_answer(struct http_req *r)
{
    struct buf why;
    char peer[65];
    json_t *out = NULL;
    buf_init(&why, 1024);
    const char *qid = r->params[0];
    int rc = exchange_query_sender(r->svc, qid, peer);
    if (rc == ERR_NOTFOUND)
        buf_puts(&why, "no such query");
    if (rc == 0)
        rc = send_msg(r, peer, "answer", r->json, qid, &out, &why);
    if (rc < 0)
        http_fail(r, rc, &why);
    else
        http_reply(r, 202, out);
    buf_free(&why);
}
