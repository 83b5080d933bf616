/* serve: settings and the run loop shared by lintas serve and lintas demo. */
#ifndef LINTAS_CLI_SERVE_H
#define LINTAS_CLI_SERVE_H

#include <stdbool.h>

#include "http/http.h"
#include "services/svc.h"

struct serve_settings {
    char db[1024];
    struct http_config http;
    struct svc_config svc;
    char tls_cert[1024], tls_key[1024], access_log[1024];
    char sync[16];
    unsigned grace_s;
    char node_id[72], keys_dir[1024]; /* exchange node identity; "" when not a node */
    int heartbeat_s;                  /* exchange heartbeat period; 0: 60 */
};

void serve_settings_defaults(struct serve_settings *s);
/* Parses serve options (and --config) into s. 0 on success, -1 after
 * --help, EXIT_USAGE on a bad option (already reported). */
int serve_parse(const char *cmd, int argc, char **argv, struct serve_settings *s);
bool serve_known_key(const char *key);
/* Opens the store, serves until SIGTERM/SIGINT, stops cleanly. ready, when
 * given, is called once the socket listens. Returns the exit status. */
int serve_run(const char *cmd, struct serve_settings *s, void (*ready)(unsigned port, void *),
              void *ctx);

#endif
