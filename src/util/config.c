/* config: key = value files, and whole-file reading. */
#include "util/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/errors.h"
#include "util/limits.h"

int file_read_all(const char *path, size_t max, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return ERR_IO;
    struct buf b;
    buf_init(&b, max);
    char chunk[65536];
    size_t n;
    int r = 0;
    while (r == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        r = buf_append(&b, chunk, n);
    if (r == 0 && ferror(f))
        r = ERR_IO;
    fclose(f);
    if (r < 0) {
        buf_free(&b);
        return r;
    }
    *out = buf_steal(&b, len);
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static int config_line(char *line, size_t lineno, const char *path, config_fn fn, void *ctx,
                       struct buf *why)
{
    char *s = trim(line);
    if (*s == '\0' || *s == '#')
        return 0;
    char *eq = strchr(s, '=');
    if (eq == NULL) {
        buf_printf(why, "%s:%zu: expected 'key = value'", path, lineno);
        return ERR_INVALID;
    }
    *eq = '\0';
    char *key = trim(s), *val = trim(eq + 1);
    for (char *k = key; *k; k++) {
        if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_')) {
            buf_printf(why, "%s:%zu: bad key", path, lineno);
            return ERR_INVALID;
        }
    }
    size_t vl = strlen(val);
    if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
        val[vl - 1] = '\0';
        val++;
    }
    struct buf inner;
    buf_init(&inner, 512);
    int r = fn(ctx, key, val, lineno, &inner);
    if (r < 0)
        buf_printf(why, "%s:%zu: %s", path, lineno, buf_cstr(&inner));
    buf_free(&inner);
    return r;
}

int config_read(const char *path, config_fn fn, void *ctx, struct buf *why)
{
    char *data;
    size_t len;
    int r = file_read_all(path, LIMIT_CONFIG_FILE, &data, &len);
    if (r < 0) {
        buf_printf(why, "%s: %s", path, r == ERR_LIMIT ? "file too large" : strerror(errno));
        return r;
    }
    if (strlen(data) != len) {
        buf_printf(why, "%s: contains a NUL byte", path);
        free(data);
        return ERR_INVALID;
    }
    size_t lineno = 0;
    char *save = data;
    r = 0;
    while (r == 0 && save != NULL) {
        char *line = save;
        char *nl = strchr(save, '\n');
        if (nl != NULL) {
            *nl = '\0';
            save = nl + 1;
        } else {
            save = NULL;
        }
        lineno++;
        r = config_line(line, lineno, path, fn, ctx, why);
    }
    free(data);
    return r;
}
