/* Fuzz harness: domain/mrz and its JSON rendering. The input is split into
 * lines at '\n' (NUL and every other byte kept) and read strictly and
 * leniently, then rendered; the first input byte also picks "today" so that
 * century resolution is exercised across years. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "domain/mrz.h"
#include "services/documents.h"

#define MAX_LINES 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *lines[MAX_LINES];
    size_t lens[MAX_LINES], n = 0, start = 0;
    int64_t today = 20000 + (size > 0 ? (int64_t)data[0] * 97 : 0);
    for (size_t i = 0; i <= size && n < MAX_LINES; i++) {
        if (i == size || data[i] == '\n') {
            lines[n] = (const char *)data + start;
            lens[n++] = i - start;
            start = i + 1;
        }
    }
    for (int lenient = 0; lenient < 2; lenient++) {
        struct mrz_options opt = {.lenient = lenient, .today = today};
        struct mrz_result r;
        if (mrz_parse(lines, lens, n, &opt, &r) != 0)
            abort();
        if (r.valid != (r.n_errors == 0))
            abort();
        json_t *v = documents_mrz_json(&r);
        char *s = v ? json_dumps(v, JSON_COMPACT) : NULL;
        if (v != NULL && s == NULL)
            abort(); /* rendered text must be valid UTF-8 */
        free(s);
        json_decref(v);
    }
    return 0;
}
