/*
 * serve_guard: an absolute deadline for every connection of the receiver
 * (private to serve.c).  MHD's own timeout is an inactivity timeout: a
 * client sending one header byte a second never trips it, and a few
 * hundred such clients hold every connection slot.  The guard notes each
 * connection at accept and a thread cuts (shutdown(2), MHD then closes it)
 * any connection whose headers are not complete header_s seconds after
 * accept or after its previous request, or whose request is not complete
 * total_s seconds after that same start.
 */
#ifndef SYNC_SERVE_GUARD_H
#define SYNC_SERVE_GUARD_H

#include <microhttpd.h>

struct serve_guard;

/* Start the watchdog thread; 0 or SYNC_ENOMEM. */
int serve_guard_start(unsigned header_s, unsigned total_s, struct serve_guard **out);
/* Stop the thread and free the guard (after MHD_stop_daemon). */
void serve_guard_stop(struct serve_guard *g);
/* MHD_OPTION_NOTIFY_CONNECTION callback; cls is the guard. */
void serve_guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
			enum MHD_ConnectionNotificationCode toe);
/* The headers of c's current request are complete (body phase). */
void serve_guard_headers_done(struct serve_guard *g, struct MHD_Connection *c);
/* c's request is over: the next request's deadlines start now. */
void serve_guard_request_done(struct serve_guard *g, struct MHD_Connection *c);
/* Connections cut by the guard so far. */
unsigned long serve_guard_cuts(struct serve_guard *g);

#endif
