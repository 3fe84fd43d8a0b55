// SPDX-License-Identifier: GPL-2.0
/*
 * Refusal cases, run in the guest: every bad request must fail with its
 * documented errno and leave the egress device's tx counter unmoved. The
 * host additionally checks that the capture holds only the frames this
 * program reports as sent ("SENT n" on stdout); they all have TCP source
 * port 4242.
 *
 * Usage: refusals IFNAME DOWN_IFNAME
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <linux/pktcraft.h>
#include "../lib/ctest.h"

static int failures, sent;
static const char *ifname;

static void verdict(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	failures += ctest_vverdict(ok, "refusal", "", "", name, fmt, ap);
	va_end(ap);
}

/*
 * @dev's tx_packets once @n packets sent since @before are counted. A
 * driver counts a packet when its transmission completes (e1000: in the
 * tx-clean interrupt), which under TCG on a busy host can lag the ioctl by
 * far more than a fixed sleep: wait for the count (up to 5 s), then until
 * two reads 20 ms apart agree, so that any excess shows. A send's late completion can then never land in the
 * next case's window.
 */
static unsigned long long tx_settled(const char *dev, unsigned long long before,
				     unsigned long long n)
{
	unsigned long long now, prev;

	for (int i = 0; i < 250 && tx_packets(dev) - before < n; i++)
		usleep(20000);
	/* ... and until it holds still (other traffic may have counted too). */
	now = tx_packets(dev);
	for (int i = 0; i < 250; i++) {
		prev = now;
		usleep(20000);
		now = tx_packets(dev);
		if (now == prev)
			break;
	}
	return now;
}

/* Issues cmd with arg, expects -1/want_errno and no tx on dev. */
static void expect(int fd, const char *name, unsigned long cmd, void *arg,
		   int want, const char *dev)
{
	unsigned long long before = tx_packets(dev), after;
	int rc, err;

	errno = 0;
	rc = ioctl(fd, cmd, arg);
	err = rc < 0 ? errno : 0;
	after = tx_settled(dev, before, rc > 0 ? (unsigned long long)rc : 0);
	if (rc >= 0 && want == 0) {
		sent += rc;
		verdict(after - before == (unsigned long long)rc, name,
			"returned %d but tx_packets moved by %llu", rc,
			after - before);
		return;
	}
	verdict(rc < 0 && err == want && after == before, name,
		"got %s (rc %d), want %s; tx_packets moved by %llu",
		ename(err), rc, ename(want), after - before);
}

static void base_req(struct pktcraft_req *r)
{
	static const char payload[] = "refusal";

	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->ifindex = if_nametoindex(ifname);
	memcpy(r->dst_mac, "\x02\x00\x00\x00\x00\x99", 6);
	r->ip_ttl = 64;
	r->ip_daddr = inet_addr("10.3.0.2");
	r->sport = 4242;
	r->dport = 4243;
	r->tcp_flags = PKTCRAFT_TCP_SYN;
	r->tcp_win = 1000;
	r->payload = (unsigned long)payload;
	r->payload_len = sizeof(payload) - 1;
}

static unsigned int be16_at(const unsigned char *p)
{
	return p[0] << 8 | p[1];
}

/*
 * Old binaries: a version 0 (80-byte) request is a TCP packet, and a version
 * 1 (176-byte) one knows no bursts, whatever lies in memory past their size
 * (here 0xa5 garbage that would select UDP, options, a burst...). The frame
 * is built (nothing sent) and checked byte by byte where it matters, then
 * sent once.
 */
static void old_sizes(int fd)
{
	static const char payload[] = "refusal";
	unsigned char f[256];
	struct pktcraft_build b;
	struct pktcraft_req r;
	const unsigned char *ip = f + 14, *l4 = f + 34;
	int rc;

	base_req(&r);
	memset((char *)&r + PKTCRAFT_REQ_SIZE_VER0, 0xa5,
	       sizeof(r) - PKTCRAFT_REQ_SIZE_VER0);
	r.size = PKTCRAFT_REQ_SIZE_VER0;
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.req = (unsigned long)&r;
	b.buf = (unsigned long)f;
	b.buf_len = sizeof(f);
	memset(f, 0, sizeof(f));
	rc = ioctl(fd, PKTCRAFT_IOC_BUILD, &b);
	verdict(rc == 0 && b.frame_len == 14 + 20 + 20 + 7 &&
		be16_at(f + 12) == 0x0800 && ip[0] == 0x45 &&
		be16_at(ip + 2) == 47 && ip[8] == 64 && ip[9] == 6 &&
		be16_at(l4) == 4242 && be16_at(l4 + 2) == 4243 &&
		l4[12] == 0x50 && l4[13] == PKTCRAFT_TCP_SYN &&
		be16_at(l4 + 14) == 1000 && !memcmp(l4 + 20, payload, 7),
		"version 0 request with garbage past 80 bytes builds the TCP SYN it describes",
		"rc %d (errno %d), frame_len %u, bytes 14..: %02x %02x .. proto %u doff %02x flags %02x",
		rc, rc < 0 ? errno : 0, b.frame_len, ip[0], ip[1], ip[9], l4[12], l4[13]);
	expect(fd, "version 0 request with garbage past 80 bytes is sent",
	       PKTCRAFT_IOC_SEND, &r, 0, ifname);

	/* Version 1: TCP with options, the burst tail (version 2) garbage. */
	base_req(&r);
	memset((char *)&r + PKTCRAFT_REQ_SIZE_VER1, 0xa5,
	       sizeof(r) - PKTCRAFT_REQ_SIZE_VER1);
	r.size = PKTCRAFT_REQ_SIZE_VER1;
	r.tcp_optlen = 4;
	memcpy(r.tcp_opts, "\x02\x04\x05\xb4", 4);
	memset(f, 0, sizeof(f));
	b.frame_len = 0;
	rc = ioctl(fd, PKTCRAFT_IOC_BUILD, &b);
	verdict(rc == 0 && b.frame_len == 14 + 20 + 24 + 7 && ip[9] == 6 &&
		be16_at(ip + 2) == 51 && l4[12] == 0x60 &&
		!memcmp(l4 + 20, "\x02\x04\x05\xb4", 4) &&
		!memcmp(l4 + 24, payload, 7),
		"version 1 request with garbage past 176 bytes builds its TCP SYN with MSS",
		"rc %d (errno %d), frame_len %u, doff %02x", rc, rc < 0 ? errno : 0,
		b.frame_len, l4[12]);
	expect(fd, "version 1 request with garbage past 176 bytes is sent once",
	       PKTCRAFT_IOC_SEND, &r, 0, ifname);
}

int main(int argc, char **argv)
{
	/* Room for a request "from the future" with a tail beyond ours. */
	static union {
		struct pktcraft_req req;
		unsigned char bytes[8192];
	} big;
	struct pktcraft_req r;
	struct pktcraft_build b;
	unsigned char frame[2048];
	char name[96];
	int fd, bit;

	if (argc != 3) {
		fprintf(stderr, "usage: %s IFNAME DOWN_IFNAME\n", argv[0]);
		return 2;
	}
	ifname = argv[1];
	/* A missing device reads ~0: every "tx unmoved" below would hold. */
	if (tx_packets(ifname) == ~0ULL || tx_packets(argv[2]) == ~0ULL)
		return 2;
	fd = open(PKTCRAFT_DEVICE, O_RDWR);
	if (fd < 0) {
		perror(PKTCRAFT_DEVICE);
		return 2;
	}

	/* The baseline must work, or every refusal below proves nothing. */
	base_req(&r);
	expect(fd, "baseline request is sent", PKTCRAFT_IOC_SEND, &r, 0, ifname);

	for (bit = 0; bit < 32; bit++) {
		if ((1U << bit) & PKTCRAFT_F_ALL)
			continue;
		base_req(&r);
		r.flags = 1U << bit;
		snprintf(name, sizeof(name), "unknown flag bit %d -> EINVAL", bit);
		expect(fd, name, PKTCRAFT_IOC_SEND, &r, EINVAL, ifname);
	}
	base_req(&r);
	r.reserved0 = 1;
	expect(fd, "reserved0 != 0 -> EINVAL", PKTCRAFT_IOC_SEND, &r, EINVAL, ifname);
	base_req(&r);
	r.reserved1 = 0x80;
	expect(fd, "reserved1 != 0 -> EINVAL", PKTCRAFT_IOC_SEND, &r, EINVAL, ifname);
	base_req(&r);
	r.reserved2 = 0x10000;
	expect(fd, "reserved2 != 0 -> EINVAL", PKTCRAFT_IOC_SEND, &r, EINVAL, ifname);

	base_req(&r);
	r.size = 0;
	expect(fd, "size 0 -> EINVAL", PKTCRAFT_IOC_SEND, &r, EINVAL, ifname);
	base_req(&r);
	r.size = PKTCRAFT_REQ_SIZE_VER0 - 1;
	expect(fd, "size below version 0 -> EINVAL", PKTCRAFT_IOC_SEND, &r, EINVAL, ifname);
	base_req(&big.req);
	big.req.size = 8192;
	expect(fd, "size above a page -> E2BIG", PKTCRAFT_IOC_SEND, &big, E2BIG, ifname);
	/* Far beyond any struct version the module may know. */
	base_req(&big.req);
	big.req.size = 4096;
	big.bytes[4000] = 1;
	expect(fd, "newer struct with non-zero unknown tail -> E2BIG",
	       PKTCRAFT_IOC_SEND, &big, E2BIG, ifname);
	base_req(&big.req);
	big.req.size = 4096;
	big.bytes[4000] = 0;
	expect(fd, "newer struct with zero tail is accepted", PKTCRAFT_IOC_SEND,
	       &big, 0, ifname);
	base_req(&r);
	r.size = PKTCRAFT_REQ_SIZE_VER0;
	expect(fd, "version 0 (old binary) request is accepted", PKTCRAFT_IOC_SEND,
	       &r, 0, ifname);
	old_sizes(fd);

	base_req(&r);
	r.ifindex = 99999;
	expect(fd, "unknown ifindex -> ENODEV", PKTCRAFT_IOC_SEND, &r, ENODEV, ifname);
	base_req(&r);
	r.ifindex = if_nametoindex(argv[2]);
	expect(fd, "device down -> ENETDOWN", PKTCRAFT_IOC_SEND, &r, ENETDOWN, argv[2]);

	{
		static char huge[1500];

		base_req(&r);
		r.payload = (unsigned long)huge;
		r.payload_len = 1500 - 40 + 1;
		expect(fd, "payload one byte over the MTU -> EMSGSIZE",
		       PKTCRAFT_IOC_SEND, &r, EMSGSIZE, ifname);
		r.payload_len = 1500 - 40;
		expect(fd, "payload exactly at the MTU is sent", PKTCRAFT_IOC_SEND,
		       &r, 0, ifname);
	}

	base_req(&r);
	r.ip_csum = 0x1234;
	expect(fd, "ip_csum without PKTCRAFT_F_IP_CSUM -> EINVAL",
	       PKTCRAFT_IOC_SEND, &r, EINVAL, ifname);
	base_req(&r);
	r.l4_csum = 0x1234;
	expect(fd, "l4_csum without PKTCRAFT_F_L4_CSUM -> EINVAL",
	       PKTCRAFT_IOC_SEND, &r, EINVAL, ifname);
	base_req(&r);
	r.tcp_flags = 0x200;
	expect(fd, "TCP flag bit 9 -> EINVAL", PKTCRAFT_IOC_SEND, &r, EINVAL, ifname);
	base_req(&r);
	r.tcp_res = 8;
	expect(fd, "TCP reserved value 8 -> EINVAL", PKTCRAFT_IOC_SEND, &r, EINVAL, ifname);
	base_req(&r);
	r.ip_ihl = 4;
	expect(fd, "IHL 4 -> EINVAL", PKTCRAFT_IOC_SEND, &r, EINVAL, ifname);
	base_req(&r);
	r.tcp_doff = 4;
	expect(fd, "data offset 4 -> EINVAL", PKTCRAFT_IOC_SEND, &r, EINVAL, ifname);
	base_req(&r);
	r.ip_tot_len = 41;
	expect(fd, "total length disagreeing without force -> EINVAL",
	       PKTCRAFT_IOC_SEND, &r, EINVAL, ifname);
	base_req(&r);
	r.payload = 0;
	expect(fd, "payload length with NULL pointer -> EFAULT", PKTCRAFT_IOC_SEND,
	       &r, EFAULT, ifname);
	base_req(&r);
	r.payload = 0x10;
	expect(fd, "unmapped payload pointer -> EFAULT", PKTCRAFT_IOC_SEND, &r,
	       EFAULT, ifname);
	expect(fd, "NULL request pointer -> EFAULT", PKTCRAFT_IOC_SEND, NULL,
	       EFAULT, ifname);

	base_req(&r);
	expect(fd, "unknown ioctl number -> ENOTTY",
	       _IOC(_IOC_WRITE, PKTCRAFT_IOC_MAGIC, 99, PKTCRAFT_REQ_SIZE_VER0),
	       &r, ENOTTY, ifname);
	expect(fd, "SEND with a different size encoding -> ENOTTY",
	       _IOC(_IOC_WRITE, PKTCRAFT_IOC_MAGIC, 1, sizeof(r)), &r, ENOTTY,
	       ifname);
	expect(fd, "foreign ioctl (TCGETS) -> ENOTTY", 0x5401, &r, ENOTTY, ifname);

	base_req(&r);
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.req = (unsigned long)&r;
	b.buf = (unsigned long)frame;
	b.buf_len = 10;
	expect(fd, "BUILD into a too small buffer -> ENOSPC", PKTCRAFT_IOC_BUILD,
	       &b, ENOSPC, ifname);
	verdict(b.frame_len == 14 + 40 + 7, "ENOSPC reports the needed size",
		"frame_len %u", b.frame_len);
	b.buf_len = sizeof(frame);
	b.frame_len = 0;
	expect(fd, "BUILD with room sends nothing", PKTCRAFT_IOC_BUILD, &b, 0,
	       ifname);
	b.flags = 2;
	b.frame_len = 0;
	expect(fd, "BUILD unknown flag -> EINVAL", PKTCRAFT_IOC_BUILD, &b, EINVAL,
	       ifname);

	close(fd);
	printf("SENT %d\n", sent);
	return failures ? 1 : 0;
}
