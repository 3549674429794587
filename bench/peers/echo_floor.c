/*
 * echo_floor: the floor of the echo benchmark (bench/servers.sh), a TCP echo
 * server with as little as an event loop can do: one thread per CPU, each
 * with its own SO_REUSEPORT listener on the same port (the kernel spreads
 * new connections over them) and its own level-triggered epoll instance,
 * reading into a per-thread 64 KiB buffer and writing back what it read.
 * A connection costs nothing here beyond its descriptor and its epoll
 * registration; only a short write (the peer's receive window full)
 * allocates: the rest is kept for the connection, reading pauses
 * (EPOLLOUT instead of EPOLLIN) until it is written, then resumes.
 *
 *   echo_floor [-addr 127.0.0.1:PORT] [-loops N]    (N 0: one per online CPU)
 *
 * Prints "ready" once every thread listens; exits 0 on SIGTERM or SIGINT.
 * Built by bench/peers/build-echo.sh.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_SIZE (64 * 1024)
#define MAX_EVENTS 256

/* What a short write left, per descriptor (descriptors are unique in the
 * process, so one table serves every thread); NULL for nearly all. */
struct pending {
	size_t off, len;
	char data[];
};
static struct pending **pend;
static int pend_size;

struct loop {
	int lfd, ep;
	char buf[BUF_SIZE];
};

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int listener(const struct sockaddr_in *sa)
{
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0)
		die("setsockopt");
	if (bind(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0)
		die("bind");
	if (listen(fd, 4096) < 0)
		die("listen");
	return fd;
}

static void ctl(int ep, int op, int fd, unsigned events)
{
	struct epoll_event ev = {.events = events, .data.fd = fd};

	if (epoll_ctl(ep, op, fd, &ev) < 0)
		die("epoll_ctl");
}

static void drop(int fd)
{
	free(pend[fd]);
	pend[fd] = NULL;
	close(fd); /* leaves the epoll set with its last descriptor */
}

static void accept_all(struct loop *l)
{
	int one = 1;

	for (;;) {
		int fd = accept4(l->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return; /* EAGAIN; EMFILE: the next wake-up tries again */
		}
		if (fd >= pend_size) {
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)); /* as Go's net does */
		ctl(l->ep, EPOLL_CTL_ADD, fd, EPOLLIN);
	}
}

/* Writes p[0..n) to fd; keeps what does not fit and waits for EPOLLOUT. */
static void echo_out(struct loop *l, int fd, const char *p, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = send(fd, p + done, n - done, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				drop(fd);
				return;
			}
			break;
		}
		done += (size_t)w;
	}
	if (done == n)
		return;
	struct pending *pd = malloc(sizeof(*pd) + (n - done));
	if (!pd)
		die("malloc");
	pd->off = 0;
	pd->len = n - done;
	memcpy(pd->data, p + done, n - done);
	pend[fd] = pd;
	ctl(l->ep, EPOLL_CTL_MOD, fd, EPOLLOUT);
}

static void flush(struct loop *l, int fd)
{
	struct pending *pd = pend[fd];

	while (pd->off < pd->len) {
		ssize_t w = send(fd, pd->data + pd->off, pd->len - pd->off, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			drop(fd);
			return;
		}
		pd->off += (size_t)w;
	}
	free(pd);
	pend[fd] = NULL;
	ctl(l->ep, EPOLL_CTL_MOD, fd, EPOLLIN);
}

static void *run(void *arg)
{
	struct loop *l = arg;
	struct epoll_event evs[MAX_EVENTS];

	for (;;) {
		int n = epoll_wait(l->ep, evs, MAX_EVENTS, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait");
		}
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == l->lfd) {
				accept_all(l);
			} else if (pend[fd]) {
				flush(l, fd);
			} else {
				ssize_t r = read(fd, l->buf, BUF_SIZE);

				if (r > 0)
					echo_out(l, fd, l->buf, (size_t)r);
				else if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
					drop(fd);
			}
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *addr = "127.0.0.1:9000";
	long loops = 0;
	struct sockaddr_in sa = {.sin_family = AF_INET};
	struct rlimit rl;
	sigset_t sigs;
	int sig;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-addr") && i + 1 < argc)
			addr = argv[++i];
		else if (!strcmp(argv[i], "-loops") && i + 1 < argc)
			loops = strtol(argv[++i], NULL, 10);
		else {
			fprintf(stderr, "usage: %s [-addr 127.0.0.1:PORT] [-loops N]\n", argv[0]);
			return 2;
		}
	}
	if (loops <= 0)
		loops = sysconf(_SC_NPROCESSORS_ONLN);
	if (loops <= 0)
		loops = 1;

	char host[64];
	const char *colon = strrchr(addr, ':');
	if (!colon || (size_t)(colon - addr) >= sizeof(host)) {
		fprintf(stderr, "-addr %s: want host:port\n", addr);
		return 2;
	}
	memcpy(host, addr, (size_t)(colon - addr));
	host[colon - addr] = 0;
	sa.sin_port = htons((unsigned short)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "-addr %s: want an IPv4 address\n", addr);
		return 2;
	}

	/* Raise the descriptor limit to the hard one; size the table by it. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	pend_size = rl.rlim_cur > (1 << 24) ? (1 << 24) : (int)rl.rlim_cur;
	pend = calloc((size_t)pend_size, sizeof(*pend));
	if (!pend)
		die("calloc");

	/* Signals go to sigwait below, not to the loops. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	for (long i = 0; i < loops; i++) {
		struct loop *l = calloc(1, sizeof(*l));
		pthread_t t;

		if (!l)
			die("calloc");
		l->lfd = listener(&sa);
		l->ep = epoll_create1(EPOLL_CLOEXEC);
		if (l->ep < 0)
			die("epoll_create1");
		ctl(l->ep, EPOLL_CTL_ADD, l->lfd, EPOLLIN);
		if (pthread_create(&t, NULL, run, l) != 0)
			die("pthread_create");
	}
	printf("ready\n");
	fflush(stdout);
	sigwait(&sigs, &sig);
	return 0;
}
