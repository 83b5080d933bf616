/* cmd_rules: lintas rules check|dump — an analyst's check of a ruleset
 * file before uploading it: compile errors and warnings with line and
 * column, or the compiled form. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/rules.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/errors.h"

static const char rules_help[] =
    "usage: lintas rules check [--kind departure|application] FILE\n"
    "       lintas rules dump [--kind departure|application] FILE\n\n"
    "check compiles a ruleset (docs/rules.md) and prints each error and warning as\n"
    "FILE:LINE:COLUMN: message, then the content hash that screenings will record as\n"
    "ruleset_version; exit 1 when it does not compile. dump prints the compiled form.\n"
    "--kind defaults to the ruleset's own 'schema' line, else departure.\n";

int cmd_rules(int argc, char **argv)
{
    static const struct option opts[] = {
        {"kind", required_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    if (argc < 2 || (strcmp(argv[1], "check") != 0 && strcmp(argv[1], "dump") != 0)) {
        bool help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
        fputs(rules_help, help ? stdout : stderr);
        return help ? EXIT_OK : EXIT_USAGE;
    }
    bool dump = strcmp(argv[1], "dump") == 0;
    const char *kind = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        switch (c) {
        case 'k': kind = optarg; break;
        case 'h': fputs(rules_help, stdout); return EXIT_OK;
        default: fputs(rules_help, stderr); return EXIT_USAGE;
        }
    }
    if (optind + 1 != argc - 1) {
        cli_error("rules", "one ruleset FILE is required");
        return EXIT_USAGE;
    }
    const char *path = argv[1 + optind];
    char *src;
    size_t len;
    int fr = file_read_all(path, RULES_MAX_SOURCE, &src, &len);
    if (fr < 0) {
        if (fr == ERR_LIMIT)
            cli_error("rules", "%s: larger than %u bytes, the most a ruleset may be", path,
                      RULES_MAX_SOURCE);
        else
            cli_error("rules", "%s: cannot read the file: %s", path, strerror(errno));
        return EXIT_FAIL;
    }
    if (kind == NULL)
        kind = strstr(src, "schema application") != NULL ? "application" : "departure";
    const struct rules_schema *schema = rules_schema_builtin(kind);
    if (schema == NULL) {
        free(src);
        cli_error("rules", "--kind: departure or application");
        return EXIT_USAGE;
    }
    struct rules *rs = NULL;
    struct rules_diags diags;
    int r = rules_compile(schema, src, len, &rs, &diags);
    for (size_t i = 0; i < diags.n; i++)
        printf("%s:%u:%u: %s: %s\n", path, diags.d[i].line, diags.d[i].col,
               diags.d[i].error ? "error" : "warning", diags.d[i].text);
    if (r == 0 && dump) {
        struct buf b;
        buf_init(&b, 4 * 1024 * 1024);
        rules_dump(rs, &b);
        fwrite(b.data, 1, b.len, stdout);
        buf_free(&b);
    } else if (r == 0) {
        printf("%s: %zu rules, %zu warnings; version %s\n", path, rules_count(rs),
               diags.nwarnings, rules_hash(rs));
    }
    rules_free(rs);
    free(src);
    return r == 0 ? EXIT_OK : EXIT_FAIL;
}
