/* manifests: screening of whole flights from carriers' manifests
 * (UN/EDIFACT PAXLST or the JSON form; docs/manifests.md). Every person is
 * screened like a departure at the counter, in one transaction, so people
 * on the same booking or sponsor see each other as a group; data problems
 * are reported per person and counted per carrier. Thread-safe. */
#ifndef LINTAS_SERVICES_MANIFESTS_H
#define LINTAS_SERVICES_MANIFESTS_H

#include <stddef.h>

struct actor;
struct buf;
struct svc;

/* How the answer is written: one JSON document {"persons": [...],
 * "summary": {...}} on a line (the HTTP answer), or each person's line and
 * then {"summary": {...}}, one JSON object a line (lintas manifest). */
enum manifest_text { MANIFEST_DOCUMENT, MANIFEST_LINES };

/* Screens the manifest in data[0..len) and appends its answer, as how
 * says, to out. checkpoint may be NULL: then the officer's post, or the
 * flight's departure airport when it is a known checkpoint. Each person
 * line has the parsed fields, "problems", and the screening answer
 * ("recommendation", "score", "reasons", "matches", "ruleset_version",
 * "screening_id"), or "screening_error". ERR_INVALID (why says why) when
 * the input is not a manifest at all. */
int manifests_screen(struct svc *s, const struct actor *who, const char *data, size_t len,
                     const char *checkpoint, enum manifest_text how, struct buf *out,
                     struct buf *why);

/* How data is read: told by its first byte, or as the form declared. */
enum manifest_form { MANIFEST_ANY, MANIFEST_JSON, MANIFEST_PAXLST };

/* manifests_screen with the form given (the HTTP Content-Type). */
int manifests_screen_as(struct svc *s, const struct actor *who, const char *data, size_t len,
                        enum manifest_form form, const char *checkpoint, enum manifest_text how,
                        struct buf *out, struct buf *why);

#endif
