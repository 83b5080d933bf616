/* Fuzz harness: util/json bounded decoding of request bodies. */
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct buf why;
    buf_init(&why, 4096);
    json_t *v = NULL;
    if (json_decode_object((const char *)data, size, &v, &why) == 0) {
        const char *s;
        json_get_str(v, "name", false, 256, &s, &why);
        json_decref(v);
    }
    buf_free(&why);
    return 0;
}
