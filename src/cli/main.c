/* main: the lintas program — a table of subcommands and the help text.
 *
 * Each subcommand lives in a cmd_*.c file and returns the exit status:
 * 0 success, 1 failure, 2 usage error. */
#include <libxml/parser.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_names.h"

struct command {
    const char *name;
    cli_cmd_fn fn;
    const char *summary;
};

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
    {"init", cmd_init, "create or upgrade a database and load reference data"},
    {"serve", cmd_serve, "serve the HTTP API"},
    {"demo", cmd_demo, "create var/demo.db with demo accounts and serve it"},
    {"user", cmd_user, "add, list, disable, enable users; set passwords"},
    {"offices", cmd_offices, "list the offices and checkpoints (JSON lines)"},
    {"audit", cmd_audit, "verify the audit trail (audit verify)"},
    {"backup", cmd_backup, "write a consistent copy of the database while serving"},
    {"mrz", cmd_mrz, "read and check machine-readable zones from stdin (JSON lines)"},
    {"nik", cmd_nik, "read and check Indonesian NIKs (JSON lines)"},
    {"watchlist", cmd_watchlist, "import watchlist entries (csv, jsonl, ofac, un)"},
    {"match", cmd_names_match, "match names against the watchlists (JSON lines)"},
    {"compare", cmd_compare, "score name pairs with the matching model (JSON lines)"},
    {"screen", cmd_screen, "screen departing travellers in batch (JSON lines)"},
    {"manifest", cmd_manifest, "screen a PAXLST or JSON passenger manifest"},
    {"stats", cmd_stats, "counts for a period, by month, office, reason, ... (JSON or CSV)"},
    {"oversight", cmd_oversight, "disparities by sex, age and province; rule overrides"},
    {"demo-data", cmd_demo_data, "load the synthetic demo year into a database"},
    {"rules", cmd_rules, "check a screening ruleset file (errors with line and column)"},
    {"keygen", cmd_keygen, "make this node's exchange key (prints the public key line)"},
    {"agreement", cmd_agreement, "print an agreement template for a peer"},
    {"peer", cmd_peer, "add, list, remove partner nodes"},
    {"exchange", cmd_exchange, "send messages to partners; status; verify the exchange log"},
    {"help", cmd_help, "show this help, or a command's help (lintas help CMD)"},
    {NULL, NULL, NULL},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: lintas COMMAND [OPTIONS]\n\n"
               "lintas screens passport applications and departing travellers against\n"
               "trafficking indicators and watchlists, and exchanges signed messages with\n"
               "partner countries.\n\ncommands:\n");
    for (const struct command *c = commands; c->name != NULL; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f, "\n'lintas COMMAND --help' describes a command. Most commands take --db PATH\n"
               "(an SQLite file; LINTAS_DB is the default). Exit status: 0 success,\n"
               "1 failure, 2 usage error.\n");
}

static const struct command *find(const char *name)
{
    for (const struct command *c = commands; c->name != NULL; c++) {
        if (strcmp(c->name, name) == 0)
            return c;
    }
    return NULL;
}

static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        usage(stdout);
        return EXIT_OK;
    }
    const struct command *c = find(argv[1]);
    if (c == NULL || c->fn == cmd_help) {
        cli_error("help", "unknown command '%s'", argv[1]);
        return EXIT_USAGE;
    }
    char *args[] = {argv[1], (char *)"--help", NULL};
    return c->fn(2, args);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("lintas 0.1.0\n");
        return EXIT_OK;
    }
    /* libxml2 (UN list imports) must be initialised before threads start. */
    xmlInitParser();
    /* Request threads allocate and free the same sizes all day: keep freed
     * memory instead of returning it to the kernel on every request (glibc
     * would otherwise trim and unmap per-thread heaps continually). */
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    mallopt(M_MMAP_THRESHOLD, 16 * 1024 * 1024);
    const struct command *c = find(argv[1]);
    if (c == NULL) {
        cli_error(NULL, "unknown command '%s' (lintas --help lists them)", argv[1]);
        return EXIT_USAGE;
    }
    return c->fn(argc - 1, argv + 1);
}
