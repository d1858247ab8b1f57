/*
 * serve_guard.c: absolute per-connection deadlines for the receiver (see
 * serve_guard.h).  Live connections are a list under one mutex; the
 * connection's fd is shut down only while the mutex is held and the
 * connection is still listed, and MHD reports CLOSED (which unlists it)
 * before it closes the fd, so the guard never touches a reused fd.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "sync/serve_guard.h"
#include "sync/sync_int.h"

struct live {
	struct live *prev, *next;
	int fd;
	int in_body; /* headers of the current request are complete */
	int cut;     /* shut down already */
	struct timespec start; /* accept, or the end of the previous request */
};

struct serve_guard {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t th;
	int stop;
	unsigned header_s, total_s;
	struct live head; /* list sentinel */
	unsigned long cuts;
};

static void now_mono(struct timespec *t)
{
	clock_gettime(CLOCK_MONOTONIC, t);
}

static double since(const struct timespec *a, const struct timespec *now)
{
	return (double)(now->tv_sec - a->tv_sec) + (double)(now->tv_nsec - a->tv_nsec) / 1e9;
}

static void sweep(struct serve_guard *g)
{
	struct timespec now;
	now_mono(&now);
	for (struct live *l = g->head.next; l != &g->head; l = l->next) {
		double age = since(&l->start, &now);
		if (l->cut || (age <= g->total_s && (l->in_body || age <= g->header_s)))
			continue;
		shutdown(l->fd, SHUT_RDWR);
		l->cut = 1;
		g->cuts++;
	}
}

static void *watch(void *arg)
{
	struct serve_guard *g = arg;
	pthread_mutex_lock(&g->mu);
	while (!g->stop) {
		struct timespec t;
		clock_gettime(CLOCK_REALTIME, &t);
		t.tv_nsec += 250000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		int rc = pthread_cond_timedwait(&g->cv, &g->mu, &t);
		if (rc == ETIMEDOUT || rc == 0)
			sweep(g);
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

int serve_guard_start(unsigned header_s, unsigned total_s, struct serve_guard **out)
{
	struct serve_guard *g = calloc(1, sizeof *g);
	if (!g)
		return SYNC_ENOMEM;
	g->header_s = header_s;
	g->total_s = total_s;
	g->head.next = g->head.prev = &g->head;
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->cv, NULL);
	if (pthread_create(&g->th, NULL, watch, g) != 0) {
		pthread_cond_destroy(&g->cv);
		pthread_mutex_destroy(&g->mu);
		free(g);
		return SYNC_ENOMEM;
	}
	*out = g;
	return 0;
}

void serve_guard_stop(struct serve_guard *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->mu);
	g->stop = 1;
	pthread_cond_signal(&g->cv);
	pthread_mutex_unlock(&g->mu);
	pthread_join(g->th, NULL);
	/* MHD_stop_daemon reported every connection CLOSED: the list is empty. */
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
	free(g);
}

void serve_guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
			enum MHD_ConnectionNotificationCode toe)
{
	struct serve_guard *g = cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct live *l = ci ? calloc(1, sizeof *l) : NULL;
		if (!l) {
			/* Unguarded would be a slot an attacker keeps: cut it now. */
			if (ci)
				shutdown(ci->connect_fd, SHUT_RDWR);
			*socket_context = NULL;
			return;
		}
		l->fd = ci->connect_fd;
		now_mono(&l->start);
		pthread_mutex_lock(&g->mu);
		l->next = g->head.next;
		l->prev = &g->head;
		g->head.next->prev = l;
		g->head.next = l;
		pthread_mutex_unlock(&g->mu);
		*socket_context = l;
		return;
	}
	struct live *l = *socket_context;
	if (!l)
		return;
	pthread_mutex_lock(&g->mu);
	l->prev->next = l->next;
	l->next->prev = l->prev;
	pthread_mutex_unlock(&g->mu);
	free(l);
	*socket_context = NULL;
}

static struct live *live_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

void serve_guard_headers_done(struct serve_guard *g, struct MHD_Connection *c)
{
	struct live *l = live_of(c);
	if (!l)
		return;
	pthread_mutex_lock(&g->mu);
	l->in_body = 1;
	pthread_mutex_unlock(&g->mu);
}

void serve_guard_request_done(struct serve_guard *g, struct MHD_Connection *c)
{
	struct live *l = live_of(c);
	if (!l)
		return;
	pthread_mutex_lock(&g->mu);
	l->in_body = 0;
	now_mono(&l->start);
	pthread_mutex_unlock(&g->mu);
}

unsigned long serve_guard_cuts(struct serve_guard *g)
{
	pthread_mutex_lock(&g->mu);
	unsigned long n = g->cuts;
	pthread_mutex_unlock(&g->mu);
	return n;
}
