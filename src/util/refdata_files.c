/* refdata_files: lookup in the generated table of embedded files. */
#include "util/refdata_files.h"

#include <string.h>

const struct refdata_file *refdata_file_find(const char *name)
{
    for (const struct refdata_file *f = refdata_files; f->name != NULL; f++) {
        if (strcmp(f->name, name) == 0)
            return f;
    }
    return NULL;
}
