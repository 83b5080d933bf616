/* cmd_stats: lintas stats (the reported figures for a period, JSON or CSV),
 * lintas oversight (disparities, rule overrides, late reviews) and lintas
 * demo-data (the synthetic demo year loaded into a database). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "services/demo_year.h"
#include "services/oversight.h"
#include "services/stats.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/limits.h"
#include "util/text.h"
#include "util/timeutil.h"

static const char stats_help[] =
    "usage: lintas stats --db PATH --from DATE --to DATE [--by DIMS] [--format json|csv]\n"
    "                    [--min-cell K]\n\n"
    "Counts for the period (dates inclusive; YYYY-MM-DD, or YYYY-MM and YYYY for whole\n"
    "months and years): screenings and recommendations, officers' outcomes, passport\n"
    "applications, postponements, releases, rejections, extensions, appeals, late reviews\n"
    "and missed review deadlines. --by breaks them down by any of month, office,\n"
    "checkpoint, destination, reason, sex, age_band, province (comma-separated).\n"
    "--min-cell K suppresses counts from 1 to K-1 (null in JSON, empty in CSV) for\n"
    "figures that leave the ministry. docs/statistics.md defines every figure.\n";

static const char oversight_help[] =
    "usage: lintas oversight --db PATH --from DATE --to DATE [--format json|csv]\n"
    "                        [--min-group N]\n\n"
    "Rates of passport postponement and of interception by sex, age band and province\n"
    "against the overall rate, with the ratio (flagged outside 0.8-1.25 for groups of at\n"
    "least N people, default 20); per-rule fire, follow and override counts (flagged when\n"
    "overridden in half or more of at least N decided cases); late reviews, missed\n"
    "deadlines and upheld appeals.\n";

static const char demo_data_help[] =
    "usage: lintas demo-data --db PATH [--seed N] [--end DATE] [--scale F]\n\n"
    "Loads the synthetic demo year into a database made by 'lintas init' (demo accounts\n"
    "are not created; 'lintas demo' does both): a year of departures at the real\n"
    "checkpoints with officers' outcomes, passport applications with postponements,\n"
    "reviews and appeals, watchlists and planted trafficking patterns. The same seed and\n"
    "end date give the same data. --end is the last day (default yesterday); --scale\n"
    "multiplies the volume (default 1: about 210,000 screenings, 52,000 applications).\n";

struct report_opts {
    const char *db, *from, *to, *by, *format, *min;
};

static int parse_report(const char *cmd, const char *help, bool stats, int argc, char **argv,
                        struct report_opts *o)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},     {"by", required_argument, NULL, 'b'},
        {"format", required_argument, NULL, 'F'}, {"min-cell", required_argument, NULL, 'm'},
        {"min-group", required_argument, NULL, 'g'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        bool wrong = (c == 'b' || c == 'm') ? !stats : c == 'g' ? stats : false;
        if (wrong) {
            cli_error(cmd, "this option is not one of %s's (see --help)", cmd);
            return EXIT_USAGE;
        }
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'f': o->from = optarg; break;
        case 't': o->to = optarg; break;
        case 'b': o->by = optarg; break;
        case 'F': o->format = optarg; break;
        case 'm':
        case 'g': o->min = optarg; break;
        case 'h': fputs(help, stdout); return -1;
        default: fputs(help, stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc || o->from == NULL || o->to == NULL) {
        cli_error(cmd, "--from DATE and --to DATE are required (see --help)");
        return EXIT_USAGE;
    }
    if (o->format != NULL && strcmp(o->format, "json") && strcmp(o->format, "csv")) {
        cli_error(cmd, "--format must be json or csv");
        return EXIT_USAGE;
    }
    return 0;
}

static int print_report(json_t *out, bool csv, int (*to_csv)(const json_t *, struct buf *))
{
    if (!csv) {
        cli_print_json(out);
        return 0;
    }
    struct buf b;
    buf_init(&b, LIMIT_RESPONSE);
    int r = to_csv(out, &b);
    if (r == 0)
        fwrite(b.data, 1, b.len, stdout);
    buf_free(&b);
    json_decref(out);
    return r;
}

int cmd_stats(int argc, char **argv)
{
    struct report_opts o = {0};
    int rc = parse_report("stats", stats_help, true, argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    struct stats_query q;
    struct buf why;
    buf_init(&why, 1024);
    if (stats_parse(o.from, o.to, o.by, o.min, &q, &why) < 0) {
        cli_error("stats", "%s", buf_cstr(&why));
        buf_free(&why);
        return EXIT_USAGE;
    }
    struct svc svc;
    if ((rc = cli_open("stats", cli_db(o.db), NULL, false, &svc)) != 0) {
        buf_free(&why);
        return rc;
    }
    struct actor who;
    svc_cli_actor(&who);
    json_t *out = NULL;
    int r = stats_report(&svc, &who, &q, &out, &why);
    if (r == 0)
        r = print_report(out, o.format && strcmp(o.format, "csv") == 0, stats_csv);
    if (r < 0)
        cli_error("stats", "%s", why.len ? buf_cstr(&why) : err_str(r));
    buf_free(&why);
    cli_close(&svc);
    return r < 0 ? EXIT_FAIL : EXIT_OK;
}

int cmd_oversight(int argc, char **argv)
{
    struct report_opts o = {0};
    int rc = parse_report("oversight", oversight_help, false, argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    struct oversight_query q;
    struct buf why;
    buf_init(&why, 1024);
    if (oversight_parse(o.from, o.to, o.min, &q, &why) < 0) {
        cli_error("oversight", "%s", buf_cstr(&why));
        buf_free(&why);
        return EXIT_USAGE;
    }
    struct svc svc;
    if ((rc = cli_open("oversight", cli_db(o.db), NULL, false, &svc)) != 0) {
        buf_free(&why);
        return rc;
    }
    struct actor who;
    svc_cli_actor(&who);
    json_t *out = NULL;
    int r = oversight_report(&svc, &who, &q, &out, &why);
    if (r == 0)
        r = print_report(out, o.format && strcmp(o.format, "csv") == 0, oversight_csv);
    if (r < 0)
        cli_error("oversight", "%s", why.len ? buf_cstr(&why) : err_str(r));
    buf_free(&why);
    cli_close(&svc);
    return r < 0 ? EXIT_FAIL : EXIT_OK;
}

static void progress(void *ctx, const char *what)
{
    (void)ctx;
    fprintf(stderr, "  %s\n", what);
}

static int parse_demo(int argc, char **argv, const char **db, struct demo_year_opts *d)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},  {"seed", required_argument, NULL, 's'},
        {"end", required_argument, NULL, 'e'}, {"scale", required_argument, NULL, 'x'},
        {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0},
    };
    int c;
    int64_t v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': *db = optarg; break;
        case 's':
            if (text_parse_i64(optarg, 0, INT64_MAX, &v) < 0) {
                cli_error("demo-data", "--seed: expected a whole number");
                return EXIT_USAGE;
            }
            d->seed = (uint64_t)v;
            break;
        case 'e':
            if (time_parse_date(optarg, &d->end_day) < 0) {
                cli_error("demo-data", "--end: expected a date YYYY-MM-DD");
                return EXIT_USAGE;
            }
            break;
        case 'x':
            if (text_parse_i64(optarg, 1, 100, &v) < 0) {
                cli_error("demo-data", "--scale: expected a percentage 1-100 of the full year");
                return EXIT_USAGE;
            }
            d->percent = (int)v;
            break;
        case 'h': fputs(demo_data_help, stdout); return -1;
        default: fputs(demo_data_help, stderr); return EXIT_USAGE;
        }
    }
    return optind == argc ? 0 : EXIT_USAGE;
}

int cmd_demo_data(int argc, char **argv)
{
    const char *db = NULL;
    struct demo_year_opts d;
    demo_year_defaults(&d);
    int rc = parse_demo(argc, argv, &db, &d);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    struct svc svc;
    if ((rc = cli_open("demo-data", cli_db(db), NULL, false, &svc)) != 0)
        return rc;
    struct actor who;
    svc_cli_actor(&who);
    struct demo_year_counts n;
    struct buf why;
    buf_init(&why, 1024);
    d.progress = progress;
    int r = demo_year_load(&svc, &who, &d, &n, &why);
    if (r < 0)
        cli_error("demo-data", "%s", why.len ? buf_cstr(&why) : err_str(r));
    else
        printf("{\"screenings\": %lld, \"applications\": %lld, \"postponements\": %lld, "
               "\"watchlist_entries\": %lld, \"patterns\": %lld}\n",
               (long long)n.screenings, (long long)n.applications, (long long)n.postponements,
               (long long)n.watchlist, (long long)n.patterns);
    buf_free(&why);
    cli_close(&svc);
    return r < 0 ? EXIT_FAIL : EXIT_OK;
}
