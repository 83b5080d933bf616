/* cmd_exchange: the commands of an exchange node — lintas keygen (the
 * node key), lintas agreement template, lintas peer add|list|remove, and
 * lintas exchange send|status|verify. The secret key is only ever read
 * from the keys directory; it is never printed, logged or stored in the
 * database. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "domain/policy.h"
#include "services/exchange.h"
#include "services/tls_identity.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/ids.h"
#include "util/limits.h"
#include "util/text.h"

/* Options shared by these commands; each takes the ones it needs. */
struct xopts {
    const char *db, *out, *peer, *node_id, *url, *public_key, *agreement, *tls_pin, *to, *type,
        *keys, *reply_to, *id;
    int64_t lifetime_s;
    int first_arg; /* index of the first argument that is not an option */
};

/* Parses options from argv[start]. 0, -1 after --help, or EXIT_USAGE. */
static int parse(const char *cmd, const char *help, int argc, char **argv, int start,
                 struct xopts *o)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'}, {"out", required_argument, NULL, 'o'},
        {"peer", required_argument, NULL, 'p'}, {"node-id", required_argument, NULL, 'n'},
        {"url", required_argument, NULL, 'u'}, {"public-key", required_argument, NULL, 'k'},
        {"agreement", required_argument, NULL, 'a'}, {"tls-pin", required_argument, NULL, 't'},
        {"to", required_argument, NULL, 'T'}, {"type", required_argument, NULL, 'y'},
        {"keys", required_argument, NULL, 'K'}, {"reply-to", required_argument, NULL, 'r'},
        {"expires-in", required_argument, NULL, 'e'}, {"id", required_argument, NULL, 'i'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
    };
    const char **dst[128] = {0};
    dst['d'] = &o->db, dst['o'] = &o->out, dst['p'] = &o->peer, dst['n'] = &o->node_id;
    dst['u'] = &o->url, dst['k'] = &o->public_key, dst['a'] = &o->agreement;
    dst['t'] = &o->tls_pin, dst['T'] = &o->to, dst['y'] = &o->type, dst['K'] = &o->keys;
    dst['r'] = &o->reply_to, dst['i'] = &o->id;
    int c;
    optind = start;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(help, stdout);
            return -1;
        }
        if (c == 'e' && text_parse_i64(optarg, 1, 10LL * 365 * 86400, &o->lifetime_s) == 0)
            continue;
        if (c > 0 && c < 128 && dst[c] != NULL) {
            *dst[c] = optarg;
            continue;
        }
        if (c == 'e')
            cli_error(cmd, "--expires-in: expected seconds");
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    o->first_arg = optind;
    return 0;
}

static int need(const char *cmd, const char *what, const char *v)
{
    if (v != NULL && *v != '\0')
        return 0;
    cli_error(cmd, "%s is required", what);
    return EXIT_USAGE;
}

/* Reads a whole file (or stdin for NULL or "-") into b. */
static int slurp(const char *path, struct buf *b)
{
    FILE *f = path == NULL || strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL)
        return ERR_IO;
    char chunk[65536];
    size_t n;
    int r = 0;
    while (r == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        r = buf_append(b, chunk, n);
    if (r == 0 && ferror(f))
        r = ERR_IO;
    if (f != stdin)
        fclose(f);
    return r;
}

/* ---- lintas keygen ---- */

int cmd_keygen(int argc, char **argv)
{
    static const char help[] =
        "usage: lintas keygen --out DIR\n\n"
        "Makes this node's Ed25519 key: DIR/node.key (the secret, mode 0600) and\n"
        "DIR/node.pub. Prints the public key line and the key id; give the line to the\n"
        "partner for 'lintas peer add --public-key'. Refuses to overwrite a key.\n"
        "Also makes the node's TLS identity: DIR/tls.key (0600), DIR/tls.crt (self-signed)\n"
        "and DIR/tls.pin; serve with --tls-cert DIR/tls.crt --tls-key DIR/tls.key and\n"
        "give the pin to the partner for 'lintas peer add --tls-pin'.\n";
    struct xopts o = {0};
    int rc = parse("keygen", help, argc, argv, 1, &o);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    if ((rc = need("keygen", "--out DIR", o.out)) != 0)
        return rc;
    if (ids_init() < 0)
        return EXIT_FAIL;
    struct buf pub, why;
    buf_init(&pub, 256);
    buf_init(&why, 1024);
    int r = exchange_keygen(o.out, &pub, &why);
    struct buf pin;
    buf_init(&pin, 128);
    if (r == 0)
        r = tls_identity_make(o.out, "lintas-node", &pin, &why);
    if (r == 0) {
        printf("%s\n", buf_cstr(&pub));
        fprintf(stderr, "lintas keygen: TLS identity in %s/tls.crt and tls.key; its pin for the "
                        "partner's 'peer add --tls-pin' is %s (also in %s/tls.pin)\n",
                o.out, buf_cstr(&pin), o.out);
    } else {
        cli_error("keygen", "%s", buf_cstr(&why));
    }
    buf_free(&pin);
    buf_free(&pub);
    buf_free(&why);
    return r == 0 ? EXIT_OK : EXIT_FAIL;
}

/* ---- lintas agreement template ---- */

int cmd_agreement(int argc, char **argv)
{
    static const char help[] =
        "usage: lintas agreement template --peer ID [--node-id SELF] [--db PATH] [--id TEXT]\n\n"
        "Prints an agreement between this node (SELF, or the node id recorded in the\n"
        "database by lintas serve) and the peer that allows every field of every message\n"
        "type in both directions, with a fresh hash key. Edit it down to what the\n"
        "memorandum allows, then install the same file on both nodes (peer add).\n";
    struct xopts o = {0};
    if (argc < 2 || strcmp(argv[1], "template") != 0) {
        bool h = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
        fputs(help, h ? stdout : stderr);
        return h ? EXIT_OK : EXIT_USAGE;
    }
    int rc = parse("agreement", help, argc, argv, 2, &o);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    if ((rc = need("agreement", "--peer ID", o.peer)) != 0)
        return rc;
    char self[72] = "", id[200];
    if (o.node_id != NULL) {
        text_copy(self, sizeof self, o.node_id);
    } else if (cli_db(o.db) != NULL) {
        struct svc svc;
        if (cli_open("agreement", cli_db(o.db), NULL, true, &svc) != 0)
            return EXIT_FAIL;
        store_ex_node_get(svc.st, "node_id", self, sizeof self);
        cli_close(&svc);
    }
    if ((rc = need("agreement", "--node-id SELF (or a --db of a node)", self)) != 0)
        return rc;
    snprintf(id, sizeof id, "%s", o.id ? o.id : "");
    if (o.id == NULL)
        snprintf(id, sizeof id, "%.60s-%.60s agreement", self, o.peer);
    unsigned char key[POLICY_HASH_KEY_LEN];
    ids_init();
    ids_random(key, sizeof key);
    struct buf out;
    buf_init(&out, POLICY_MAX_FILE);
    int r = policy_template(self, o.peer, id, key, &out);
    if (r == 0)
        fwrite(out.data, 1, out.len, stdout);
    else
        cli_error("agreement", "bad node id or agreement id (%s)", err_str(r));
    buf_free(&out);
    return r == 0 ? EXIT_OK : EXIT_FAIL;
}

/* ---- lintas peer ---- */

static int open_node(const char *cmd, const struct xopts *o, bool need_keys, struct svc *svc)
{
    int rc = cli_open(cmd, cli_db(o->db), NULL, true, svc);
    if (rc != 0)
        return rc;
    struct exchange_opts eo = {.node_id = o->node_id, .keys_dir = o->keys,
                               .need_keys = need_keys};
    struct buf why;
    buf_init(&why, 1024);
    int r = exchange_open(svc, &eo, &why);
    if (r < 0) {
        cli_error(cmd, "%s", why.len ? buf_cstr(&why) : err_str(r));
        cli_close(svc);
    }
    buf_free(&why);
    return r == ERR_USAGE ? EXIT_USAGE : r < 0 ? EXIT_FAIL : 0;
}

static void close_node(struct svc *svc)
{
    exchange_close(svc);
    cli_close(svc);
}

static int peer_add(const struct xopts *o)
{
    int rc = need("peer", "--node-id ID", o->node_id);
    rc = rc ? rc : need("peer", "--url URL", o->url);
    rc = rc ? rc : need("peer", "--public-key KEY", o->public_key);
    rc = rc ? rc : need("peer", "--agreement FILE", o->agreement);
    if (rc != 0)
        return rc;
    struct buf text, why;
    buf_init(&text, POLICY_MAX_FILE + 1);
    buf_init(&why, 1024);
    if (slurp(o->agreement, &text) < 0) {
        cli_error("peer", "%s: cannot read (or larger than 256 KiB)", o->agreement);
        buf_free(&text);
        return EXIT_FAIL;
    }
    struct svc svc;
    struct xopts self = *o;
    self.node_id = NULL; /* --node-id names the peer here */
    rc = open_node("peer", &self, false, &svc);
    if (rc == 0) {
        struct actor who;
        svc_cli_actor(&who);
        struct exchange_peer_in p = {.node_id = o->node_id, .url = o->url,
                                     .public_key = o->public_key, .tls_pin = o->tls_pin,
                                     .agreement = buf_cstr(&text), .agreement_len = text.len};
        int r = exchange_peer_add(&svc, &who, &p, &why);
        if (r < 0)
            cli_error("peer", "%s", why.len ? buf_cstr(&why) : err_str(r));
        rc = r < 0 ? EXIT_FAIL : EXIT_OK;
        close_node(&svc);
    }
    buf_free(&text);
    buf_free(&why);
    return rc;
}

int cmd_peer(int argc, char **argv)
{
    static const char help[] =
        "usage: lintas peer add --db PATH --node-id ID --url URL --public-key KEY\n"
        "                       --agreement FILE [--tls-pin sha256//BASE64]\n"
        "       lintas peer list --db PATH\n"
        "       lintas peer remove --db PATH --node-id ID\n\n"
        "Manages the partner nodes this node exchanges with. URL is the partner's lintas\n"
        "server (its inbound endpoint is URL/api/v1/exchange/inbound); KEY is the line its\n"
        "'lintas keygen' printed; FILE is the agreement both sides installed. --tls-pin\n"
        "pins the partner's TLS public key for https URLs.\n";
    struct xopts o = {0};
    const char *sub = argc >= 2 ? argv[1] : "";
    if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "remove")) {
        bool h = strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0;
        fputs(help, h ? stdout : stderr);
        return h ? EXIT_OK : EXIT_USAGE;
    }
    int rc = parse("peer", help, argc, argv, 2, &o);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (strcmp(sub, "add") == 0)
        return peer_add(&o);
    if (strcmp(sub, "remove") == 0 && (rc = need("peer", "--node-id ID", o.node_id)) != 0)
        return rc;
    struct svc svc;
    struct xopts self = o;
    self.node_id = NULL;
    if ((rc = open_node("peer", &self, false, &svc)) != 0)
        return rc;
    struct buf why;
    buf_init(&why, 512);
    struct actor who;
    svc_cli_actor(&who);
    json_t *list = NULL;
    int r = strcmp(sub, "list") == 0 ? exchange_peer_list(&svc, &list)
                                     : exchange_peer_remove(&svc, &who, o.node_id, &why);
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p) cli_print_json(json_incref(p));
    json_decref(list);
    if (r < 0)
        cli_error("peer", "%s", why.len ? buf_cstr(&why) : err_str(r));
    buf_free(&why);
    close_node(&svc);
    return r < 0 ? EXIT_FAIL : EXIT_OK;
}

/* ---- lintas exchange ---- */

static int ex_send(int argc, char **argv, const struct xopts *o)
{
    int rc = need("exchange", "--to ID", o->to);
    rc = rc ? rc : need("exchange", "--type TYPE", o->type);
    if (rc != 0)
        return rc;
    struct buf payload, why;
    buf_init(&payload, LIMIT_MESSAGE);
    buf_init(&why, 1024);
    const char *file = o->first_arg < argc ? argv[o->first_arg] : NULL;
    if (slurp(file, &payload) < 0) {
        cli_error("exchange", "%s: cannot read the payload", file ? file : "stdin");
        buf_free(&payload);
        return EXIT_FAIL;
    }
    struct svc svc;
    if ((rc = open_node("exchange", o, true, &svc)) == 0) {
        struct actor who;
        char id[33];
        svc_cli_actor(&who);
        struct exchange_msg_in m = {.to = o->to, .type = o->type, .payload = buf_cstr(&payload),
                                    .len = payload.len, .reply_to = o->reply_to,
                                    .lifetime_s = o->lifetime_s};
        int r = exchange_submit(&svc, &who, &m, id, &why);
        if (r == 0)
            printf("%s\n", id);
        else
            cli_error("exchange", "%s", why.len ? buf_cstr(&why) : err_str(r));
        rc = r == 0 ? EXIT_OK : EXIT_FAIL;
        close_node(&svc);
    }
    buf_free(&payload);
    buf_free(&why);
    return rc;
}

static int ex_status(const struct xopts *o)
{
    struct svc svc;
    int rc = open_node("exchange", o, false, &svc);
    if (rc != 0)
        return rc;
    json_t *arr = json_array();
    int r = exchange_list(&svc, NULL, NULL, arr);
    size_t i;
    json_t *m;
    json_array_foreach(arr, i, m) cli_print_json(json_incref(m));
    json_decref(arr);
    if (r < 0)
        cli_error("exchange", "%s", err_str(r));
    close_node(&svc);
    return r < 0 ? EXIT_FAIL : EXIT_OK;
}

static int ex_verify(const struct xopts *o)
{
    struct svc svc;
    int rc = open_node("exchange", o, false, &svc);
    if (rc != 0)
        return rc;
    struct buf report, why;
    buf_init(&report, 1024);
    buf_init(&why, 1024);
    int r = exchange_verify(&svc, &report, &why);
    if (r == 0)
        printf("%s\n", buf_cstr(&report));
    else
        cli_error("exchange", "verify: %s", buf_cstr(&why));
    buf_free(&report);
    buf_free(&why);
    close_node(&svc);
    return r == 0 ? EXIT_OK : EXIT_FAIL;
}

int cmd_exchange(int argc, char **argv)
{
    static const char help[] =
        "usage: lintas exchange send --db PATH --to ID --type TYPE [--reply-to MSGID]\n"
        "                            [--expires-in SECONDS] [FILE]\n"
        "       lintas exchange status --db PATH\n"
        "       lintas exchange verify --db PATH\n\n"
        "send: the payload (a JSON object) from FILE or stdin is filtered by the agreement,\n"
        "signed and queued; the message id is printed once it is durably queued. The\n"
        "serving node delivers it. Types: alert.person, alert.document, alert.organization,\n"
        "alert.update, alert.withdraw, query, answer, referral, case.update, bulletin, stats.\n"
        "status: one JSON line per message {\"id\", \"direction\", \"peer\", \"type\", \"state\"}.\n"
        "verify: checks the exchange log chain, checkpoints, receipts and stored envelopes;\n"
        "exit 1 naming the first bad entry.\n"
        "--node-id and --keys override the identity recorded by lintas serve.\n";
    struct xopts o = {0};
    const char *sub = argc >= 2 ? argv[1] : "";
    if (strcmp(sub, "send") && strcmp(sub, "status") && strcmp(sub, "verify")) {
        bool h = strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0;
        fputs(help, h ? stdout : stderr);
        return h ? EXIT_OK : EXIT_USAGE;
    }
    int rc = parse("exchange", help, argc, argv, 2, &o);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (strcmp(sub, "send") == 0)
        return ex_send(argc, argv, &o);
    if (o.first_arg < argc) {
        cli_error("exchange", "unexpected argument '%s'", argv[o.first_arg]);
        return EXIT_USAGE;
    }
    return strcmp(sub, "status") == 0 ? ex_status(&o) : ex_verify(&o);
}
