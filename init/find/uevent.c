#include "find/uevent.h"
#include "base/log.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NETLINK_KOBJECT_UEVENT 15
#define UEVENT_GROUP_KERNEL 1
#define POLL_FALLBACK_MS 20

/* <linux/netlink.h> is not in musl's headers; this is its ABI. */
struct nl_addr {
	unsigned short family;
	unsigned short pad;
	uint32_t pid;
	uint32_t groups;
};

bool uevents_listen(struct uevents *u)
{
	struct nl_addr a = { .family = AF_NETLINK, .groups = UEVENT_GROUP_KERNEL };

	if (u->tried)
		return false;
	u->tried = true;
	u->fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_KOBJECT_UEVENT);
	if (u->fd < 0) {
		debug("no uevent socket (%s): polling for devices instead", errtext(errno));
		return true;
	}
	if (bind(u->fd, (struct sockaddr *)&a, sizeof(a))) {
		debug("cannot bind the uevent socket (%s): polling instead", errtext(errno));
		close(u->fd);
		u->fd = -1;
	}
	return true;
}

static void hand_on(struct uevents *u, const char *msg, size_t n)
{
	if (u->handler)
		u->handler(u->ctx, msg, n);
}

int uevents_drain(struct uevents *u)
{
	const char *subsystem;
	char buf[4096];
	int change = 0;
	ssize_t n;

	if (u->fd < 0)
		return 0;
	for (;;) {
		n = recv(u->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			hand_on(u, NULL, 0);
			change |= UEVENT_LOST | UEVENT_BLOCK;
			continue;
		}
		if (n < 0)
			return change;
		/* A disk, a partition, or a disc put in a drive (change). */
		subsystem = uevent_value(buf, (size_t)n, "SUBSYSTEM=");
		if (subsystem && !strcmp(subsystem, "block"))
			change |= UEVENT_BLOCK;
		/* A virtio device added or bound: a host directory's tag may be there. */
		if (subsystem && !strcmp(subsystem, "virtio"))
			change |= UEVENT_VIRTIO;
		if (subsystem && !strcmp(subsystem, "net"))
			change |= UEVENT_NET;
		if (n > 0)
			hand_on(u, buf, (size_t)n);
	}
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int uevents_wait(struct uevents *u, long ms, int wake)
{
	struct pollfd pfd = { .fd = u->fd, .events = POLLIN };
	long end, due;
	int seen;

	if (u->tick) {
		due = u->tick(u->ctx);
		if (due >= 0 && due < ms)
			ms = due;
	}
	end = log_ms() + ms;
	if (u->fd < 0) {
		sleep_ms(ms < POLL_FALLBACK_MS ? ms : POLL_FALLBACK_MS);
		return 0;
	}
	while (ms > 0 && poll(&pfd, 1, (int)ms) > 0) {
		seen = uevents_drain(u);
		if (wake == UEVENT_ANY || seen & wake)
			return seen;
		ms = end - log_ms();
	}
	return 0;
}

const char *uevent_value(const char *msg, size_t n, const char *key)
{
	const char *end = msg + n, *p, *nul;
	size_t k = strlen(key);

	nul = n ? memchr(msg, '\0', n) : NULL;
	if (!nul || !memchr(msg, '@', (size_t)(nul - msg)))
		return NULL;
	for (p = nul + 1; p < end; p = nul + 1) {
		nul = memchr(p, '\0', (size_t)(end - p));
		if (!nul)
			return NULL;	/* cut off by the buffer */
		if (!strncmp(p, key, k))
			return p + k;
	}
	return NULL;
}

bool uevent_modalias(const char *msg, size_t n, size_t *pos, const char **alias, size_t *len)
{
	const char *p;
	size_t i = *pos, fl;

	if (n < 4 || memcmp(msg, "add@", 4))
		return false;
	for (; i < n; i += fl + 1) {
		p = msg + i;
		fl = strnlen(p, n - i);
		if (fl >= 9 && !memcmp(p, "MODALIAS=", 9)) {
			*alias = p + 9;
			*len = fl - 9;
			*pos = i + fl + 1;
			return true;
		}
	}
	*pos = n;
	return false;
}
