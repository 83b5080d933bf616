/* Fuzz harness: util/csv reader. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct csv c;
    csv_open(&c, (const char *)data, size, ',');
    size_t total = 0;
    while (csv_next(&c) == 1) {
        for (size_t i = 0; i < c.nfields; i++)
            total += strlen(csv_field(&c, i));
    }
    csv_close(&c);
    return total == (size_t)-1;
}
