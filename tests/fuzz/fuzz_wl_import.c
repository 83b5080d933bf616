/* Fuzz harness: domain/watchlist CSV and JSON-lines import, the OFAC remarks
 * and CSV parser, and the UN XML parser, on the same bytes. */
#include <stddef.h>
#include <stdint.h>

#include "domain/watchlist.h"
#include "domain/wl_ofac.h"
#include "domain/wl_un.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sink(void *ctx, struct wl_entry *e)
{
    const char *field;
    (void)ctx;
    return wl_entry_validate(e, &field) == 0 ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct wl_error err;
    (void)wl_parse_csv(s, size, "f.csv", NULL, NULL, sink, NULL, &err);
    (void)wl_parse_jsonl(s, size, "f.jsonl", NULL, NULL, sink, NULL, &err);
    (void)wl_parse_ofac(s, size, s, size, s, size, NULL, sink, NULL, &err);
    if (size < 65536)
        (void)wl_parse_un(s, size, "f.xml", NULL, sink, NULL, &err);
    return 0;
}
