/* h_documents: POST /api/v1/documents/parse — read an MRZ or a NIK (or
 * both, cross-checked) exactly as `lintas mrz` / `lintas nik` do. */
#include "http/handlers.h"
#include "http/http.h"
#include "services/documents.h"
#include "util/errors.h"
#include "util/timeutil.h"

void h_documents_parse(struct http_req *r)
{
    struct buf why;
    json_t *out = NULL;
    buf_init(&why, 512);
    int64_t today = time_now_ms() / 86400000;
    int rc = documents_parse_request(r->json, today, &out, &why);
    if (rc < 0)
        http_fail(r, rc, &why);
    else
        http_reply(r, 200, out);
    buf_free(&why);
}
