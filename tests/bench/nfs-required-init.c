/*
 * The "required" baseline of tests/bench/nfs-boot: required-init.c's steps
 * (required-switch.h) with an NFSv3 root whose address comes from DHCP, on
 * Debian's cloud kernel. Between the start and the switch it loads the
 * NIC's and the NFS client's modules in dependency order (the image holds
 * them as /m/NN.ko), brings eth0 up, runs one DHCP exchange (DISCOVER,
 * OFFER, REQUEST, ACK; each sent again every 100 ms until its answer
 * comes), gives eth0 the address and mounts 10.0.2.100:/srv/root read-only
 * on /sysroot (the kernel asks the server's rpcbind for the ports itself).
 * One step after another, no parsing of the command line, no checks of
 * the server, no messages: what is left is the kernel's and the network's
 * own work, which any init pays. Not for real use.
 */
#include "required-switch.h"

#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#define SERVER "10.0.2.100"

static unsigned char pkt[548], got[1024];

/* A BOOTREQUEST of DHCP type type; for a REQUEST, the address and server offered. */
static size_t build(int type, const unsigned char mac[6], const unsigned char *offer)
{
	unsigned char *o = pkt + 240;

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 1;
	pkt[1] = 1;
	pkt[2] = 6;
	memcpy(pkt + 4, "hoff", 4);	/* xid */
	pkt[10] = 0x80;			/* broadcast: no address yet */
	memcpy(pkt + 28, mac, 6);
	memcpy(pkt + 236, "\x63\x82\x53\x63", 4);
	*o++ = 53, *o++ = 1, *o++ = (unsigned char)type;
	if (offer) {
		*o++ = 50, *o++ = 4;
		memcpy(o, offer + 16, 4);	/* yiaddr */
		o += 4;
		*o++ = 54, *o++ = 4;
		memcpy(o, offer + 20, 4);	/* the server: slirp's siaddr is its id */
		o += 4;
	}
	*o++ = 255;
	return sizeof(pkt);
}

/* The next reply of DHCP type type to our xid within ms, or 0. */
static long receive(int fd, int type, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	long n;
	int i;

	while (poll(&p, 1, ms) > 0) {
		n = recv(fd, got, sizeof(got), 0);
		if (n < 243 || got[0] != 2 || memcmp(got + 4, "hoff", 4))
			continue;
		for (i = 240; i + 2 < n && got[i] != 255; i += got[i] ? 2 + got[i + 1] : 1)
			if (got[i] == 53 && got[i + 2] == type)
				return n;
	}
	return 0;
}

static void dhcp(const char *ifname, const unsigned char mac[6])
{
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(68) };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(67),
				  .sin_addr.s_addr = INADDR_BROADCAST };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), on = 1;

	setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on));
	setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname) + 1);
	bind(fd, (struct sockaddr *)&me, sizeof(me));
	do
		sendto(fd, pkt, build(1, mac, NULL), 0, (struct sockaddr *)&to, sizeof(to));
	while (!receive(fd, 2, 100));
	do
		sendto(fd, pkt, build(3, mac, got), 0, (struct sockaddr *)&to, sizeof(to));
	while (!receive(fd, 5, 100));
	close(fd);
}

static void set_addr(int fd, struct ifreq *ifr, unsigned long req, const unsigned char *a)
{
	struct sockaddr_in *sa = (struct sockaddr_in *)&ifr->ifr_addr;

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	memcpy(&sa->sin_addr, a, 4);
	ioctl(fd, req, ifr);
}

int main(int argc, char **argv, char **envp)
{
	static const unsigned char mask[4] = { 255, 255, 255, 0 };
	struct ifreq ifr;
	unsigned char mac[6];
	int i, s;

	(void)argc;
	required_start();
	for (i = 0; !required_module(i); i++)
		;
	/* virtio_net's probe registered eth0 before finit_module returned. */
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "eth0");
	ioctl(s, SIOCGIFHWADDR, &ifr);
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	ioctl(s, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	ioctl(s, SIOCSIFFLAGS, &ifr);
	dhcp("eth0", mac);
	set_addr(s, &ifr, SIOCSIFADDR, got + 16);
	set_addr(s, &ifr, SIOCSIFNETMASK, mask);
	close(s);
	mount(SERVER ":/srv/root", "/sysroot", "nfs", MS_RDONLY, "vers=3,proto=tcp,nolock,addr=" SERVER);
	required_switch(argv, envp);
}
