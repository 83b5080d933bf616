/* policy_int: the parsed agreement, shared by policy.c (parsing, template)
 * and policy_apply.c (egress and ingress). Not part of the public API. */
#ifndef LINTAS_DOMAIN_POLICY_INT_H
#define LINTAS_DOMAIN_POLICY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/envelope.h"
#include "domain/msgtypes.h"
#include "domain/policy.h"

/* The rules for one type in one direction. */
struct policy_rules {
    bool allowed;
    struct policy_terms terms;
    unsigned char xf[MSGTYPES_MAX_FIELDS]; /* enum policy_transform per field index */
};

struct policy {
    char id[POLICY_ID_MAX + 1];
    char party[2][ENVELOPE_NODE_MAX + 1];
    unsigned char hash[ENVELOPE_HASH_LEN];
    unsigned char hash_key[POLICY_HASH_KEY_LEN]; /* secret */
    size_t ntypes;
    struct policy_rules *rules; /* [direction * ntypes + type index]; direction 0: party 0 -> 1 */
};

/* 0 for party 0 -> party 1, 1 for the reverse, -1 when from/to are not that. */
int policy_direction(const struct policy *p, const char *from, const char *to);

/* The rules of type t in direction dir. */
const struct policy_rules *policy_rules_of(const struct policy *p, int dir,
                                           const struct msgtypes_type *t);

#endif
