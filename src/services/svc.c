/* svc: the one write path shared by the services (group commit in the
 * server, a plain transaction in commands). */
#include "services/svc.h"
#include "store/store.h"

int svc_write(struct svc *s, store_write_fn fn, void *ctx)
{
    if (s->group != NULL)
        return store_group_write(s->group, fn, ctx);
    int r = store_begin(s->st, true);
    if (r < 0)
        return r;
    r = fn(s->st, ctx);
    if (r == 0)
        r = store_commit(s->st);
    if (r < 0)
        store_rollback(s->st);
    return r;
}

int svc_write_async(struct svc *s, store_write_fn fn, void *ctx, store_done_fn done, void *arg)
{
    if (s->group != NULL)
        return store_group_submit(s->group, fn, ctx, done, arg);
    done(arg, svc_write(s, fn, ctx));
    return 0;
}

void svc_write_expect(struct svc *s, int delta)
{
    if (s->group != NULL)
        store_group_expect(s->group, delta);
}
