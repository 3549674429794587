/*
 * chain_libevent: the chain workload of libevent's test/bench.c, written
 * against libevent 2's public API so that evbench can compare evchan with
 * it. It prints what `evbench chain` prints on stdout: one line per run with
 * its time in microseconds. evbench -impl libevent runs it and summarizes.
 *
 *   chain_libevent [-n pairs] [-a active] [-w writes] [-r runs] [-t]
 *
 * Mirrored from bench.c: the count/fired/writes counters and the loop
 *   do event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK); while (count != fired);
 * the spacing of the first bytes (n/a apart), and every event deleted and
 * added again before each run, followed by one non-blocking loop pass, all
 * outside the clock. As in evbench (cmd/evbench/chain.go says why), the
 * sockets are non-blocking, the clock starts before the first bytes are
 * written, and a read that finds nothing (EAGAIN; it cannot happen in this
 * one-threaded loop) forwards no byte and is reported on stderr.
 *
 * -t gives every event a 10 s timeout. For a persistent event libevent
 * re-applies it each time the event becomes active, which is what evchan's
 * rule R7 does; it never fires here.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/util.h>

static long count, writes, fired, spurious, timeouts;
static int *pipes; /* pair i: read end pipes[2i], write end pipes[2i+1] */
static int num_pipes = 100, num_active = 1, num_writes = 100;

static void read_cb(evutil_socket_t fd, short which, void *arg)
{
	intptr_t idx = (intptr_t)arg, widx = idx + 1;
	unsigned char ch;
	ssize_t n;

	if (which & EV_TIMEOUT) {
		timeouts++;
		return;
	}
	n = read(fd, &ch, sizeof(ch));
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			spurious++;
			return;
		}
		perror("read");
		exit(1);
	}
	count += n;
	if (writes) {
		if (widx >= num_pipes)
			widx -= num_pipes;
		if (write(pipes[2 * widx + 1], "e", 1) != 1) {
			perror("write");
			exit(1);
		}
		writes--;
		fired++;
	}
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static double run_once(struct event_base *base, struct event **events, const struct timeval *tv)
{
	int i, space;
	double start;

	for (i = 0; i < num_pipes; i++) {
		event_del(events[i]);
		event_add(events[i], tv);
	}
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);

	count = 0;
	writes = num_writes;
	fired = 0;
	space = num_pipes / num_active;
	start = now_us();
	for (i = 0; i < num_active; i++, fired++) {
		if (write(pipes[2 * (i * space) + 1], "e", 1) != 1) {
			perror("write");
			exit(1);
		}
	}
	do {
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	} while (count != fired);
	return now_us() - start;
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	struct event_base *base;
	struct event **events;
	struct timeval ten_seconds = {10, 0};
	int i, c, runs = 25, use_timeouts = 0;

	while ((c = getopt(argc, argv, "n:a:w:r:t")) != -1) {
		switch (c) {
		case 'n': num_pipes = atoi(optarg); break;
		case 'a': num_active = atoi(optarg); break;
		case 'w': num_writes = atoi(optarg); break;
		case 'r': runs = atoi(optarg); break;
		case 't': use_timeouts = 1; break;
		default:
			fprintf(stderr, "usage: %s [-n pairs] [-a active] [-w writes] [-r runs] [-t]\n", argv[0]);
			return 2;
		}
	}
	if (num_pipes < 1 || num_active < 1 || num_active > num_pipes || num_writes < 0 || runs < 1) {
		fprintf(stderr, "chain_libevent: need n >= 1, 1 <= a <= n, w >= 0, runs >= 1\n");
		return 2;
	}

	/* bench.c sets the limit to n*2+50; raise only the soft one, up to the
	 * hard one, so that no privilege is needed. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)num_pipes * 2 + 50) {
		rl.rlim_cur = (rlim_t)num_pipes * 2 + 50;
		if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
			rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			perror("setrlimit");
	}

	pipes = calloc(num_pipes * 2, sizeof(int));
	events = calloc(num_pipes, sizeof(struct event *));
	base = event_base_new();
	if (pipes == NULL || events == NULL || base == NULL) {
		fprintf(stderr, "chain_libevent: out of memory\n");
		return 1;
	}
	for (i = 0; i < num_pipes; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, &pipes[2 * i]) == -1) {
			perror("socketpair");
			return 1;
		}
		evutil_make_socket_nonblocking(pipes[2 * i]);
		evutil_make_socket_nonblocking(pipes[2 * i + 1]);
		events[i] = event_new(base, pipes[2 * i], EV_READ | EV_PERSIST, read_cb, (void *)(intptr_t)i);
		if (events[i] == NULL) {
			fprintf(stderr, "chain_libevent: event_new failed\n");
			return 1;
		}
	}

	for (i = 0; i < runs; i++)
		printf("%.1f\n", run_once(base, events, use_timeouts ? &ten_seconds : NULL));
	fflush(stdout);

	if (spurious || timeouts)
		fprintf(stderr, "chain_libevent: %ld reads found nothing, %ld timeouts fired\n", spurious, timeouts);
	fprintf(stderr, "chain_libevent: libevent %s, method %s\n", event_get_version(), event_base_get_method(base));
	for (i = 0; i < num_pipes; i++)
		event_free(events[i]);
	event_base_free(base);
	return timeouts ? 1 : 0;
}
