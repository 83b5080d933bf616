/* handlers: the route handlers, one group per file (h_*.c). Each is thin:
 * it reads the request, calls one service and renders the answer. */
#ifndef LINTAS_HTTP_HANDLERS_H
#define LINTAS_HTTP_HANDLERS_H

struct http_req;

/* h_system.c */
void h_healthz(struct http_req *r);
void h_metrics(struct http_req *r);
void h_offices(struct http_req *r);
void h_audit(struct http_req *r);

/* h_documents.c */
void h_documents_parse(struct http_req *r);

/* h_watchlist.c */
void h_wl_create(struct http_req *r);
void h_wl_get(struct http_req *r);
void h_wl_patch(struct http_req *r);
void h_wl_delete(struct http_req *r);
void h_wl_search(struct http_req *r);
void h_wl_import(struct http_req *r);
void h_match(struct http_req *r);

/* h_departures.c */
void h_departure_create(struct http_req *r);
void h_departure_outcome(struct http_req *r);
void h_departure_get(struct http_req *r);
void h_departure_queue(struct http_req *r);
void h_manifest(struct http_req *r);
void h_ruleset_upload(struct http_req *r);
void h_ruleset_list(struct http_req *r);
void h_ruleset_get(struct http_req *r);
void h_ruleset_activate(struct http_req *r);
void h_ruleset_backtest(struct http_req *r);

/* h_cases.c */
void h_case_create(struct http_req *r);
void h_case_list(struct http_req *r);
void h_case_get(struct http_req *r);
void h_case_patch(struct http_req *r);
void h_case_person(struct http_req *r);
void h_case_person_role(struct http_req *r);
void h_notifications(struct http_req *r);

/* h_passports.c */
void h_passport_create(struct http_req *r);
void h_passport_get(struct http_req *r);
void h_passport_queue(struct http_req *r);
void h_passport_review(struct http_req *r);
void h_passport_appeal(struct http_req *r);
void h_passport_appeal_decide(struct http_req *r);
void h_passport_settings_get(struct http_req *r);
void h_passport_settings_put(struct http_req *r);

/* h_stats.c */
void h_stats(struct http_req *r);
void h_oversight(struct http_req *r);

/* h_exchange.c */
void h_ex_inbound(struct http_req *r);
void h_ex_send(struct http_req *r);
void h_ex_list(struct http_req *r);
void h_ex_dead_letters(struct http_req *r);
void h_ex_queries(struct http_req *r);
void h_ex_answer(struct http_req *r);

/* h_accounts.c */
void h_session_create(struct http_req *r);
void h_session_get(struct http_req *r);
void h_session_delete(struct http_req *r);
void h_users_list(struct http_req *r);
void h_users_create(struct http_req *r);
void h_user_get(struct http_req *r);
void h_user_patch(struct http_req *r);

#endif
