/* Fuzz harness: domain/nik, its JSON rendering, and the parse request body
 * (services/documents) with the input as a NIK string and as a JSON body. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "domain/nik.h"
#include "services/documents.h"
#include "util/buf.h"
#include "util/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t today = 20000 + (size > 0 ? (int64_t)data[size - 1] * 131 : 0);
    struct nik_result r;
    if (nik_parse((const char *)data, size, today, &r) != 0)
        abort();
    if (r.valid && (size != NIK_LEN || !r.birth_valid || r.province == NULL))
        abort();
    json_t *v = documents_nik_json(&r);
    char *s = v ? json_dumps(v, JSON_COMPACT) : NULL;
    if (v != NULL && s == NULL)
        abort();
    free(s);
    json_decref(v);

    struct buf why;
    buf_init(&why, 4096);
    json_t *body = NULL, *out = NULL;
    if (json_decode_object((const char *)data, size, &body, &why) == 0) {
        int rc = documents_parse_request(body, today, &out, &why);
        if ((rc == 0) != (out != NULL))
            abort();
        json_decref(out);
        json_decref(body);
    }
    buf_free(&why);
    return 0;
}
