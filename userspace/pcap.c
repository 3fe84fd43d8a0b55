// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libpktcraft: appending frames to a capture file. Classic pcap is written
 * by libpcap, the ecosystem's writer; a name ending in ".pcapng" gets
 * pcapng, which libpcap reads but does not write, so its three block kinds
 * are written here. Every failure comes back as its errno: opening,
 * writing, the final flush and close.
 *
 * The link type is the frame's: Ethernet (LINKTYPE_ETHERNET, 1) when it
 * carries an IPv4 or IPv6 Ethertype at bytes 12-13, as the decoder reads
 * it; else a bare IPv4 or IPv6 packet, from a device without a link layer,
 * is LINKTYPE_RAW (101), which holds both families. A file keeps the link
 * type it was created with: a frame of the other kind is refused (-EINVAL).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <pcap/pcap.h>
#include "libpktcraft.h"

/*
 * tests/static/cli32 links the 32-bit CLI against a libpcap stand-in that
 * lacks these two; there the flush check is skipped (its pcap_dump_open()
 * fails anyway). Every real libpcap has them.
 */
#pragma weak pcap_dump_flush
#pragma weak pcap_dump_file

#define LINKTYPE_ETHERNET	1
#define LINKTYPE_RAW		101

/* The frame's link type, by the decoder's rule (dump.c's walk()). */
static int link_type(const uint8_t *frame, size_t len)
{
	unsigned int type = len >= 14 ? frame[12] << 8 | frame[13] : 0;

	if (type == 0x0800 || type == 0x86dd || !len)
		return LINKTYPE_ETHERNET;
	return frame[0] >> 4 == 4 || frame[0] >> 4 == 6 ? LINKTYPE_RAW : LINKTYPE_ETHERNET;
}

/* The file must be writable: open(2) tells why not, with its errno. */
static int probe(const char *path, int *exists)
{
	struct stat st;
	int fd;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		int err = -errno;

		close(fd);
		return err;
	}
	*exists = S_ISREG(st.st_mode) && st.st_size > 0;
	close(fd);
	return 0;
}

static int pcap_classic(const char *path, int exists, const uint8_t *frame,
			size_t len, int linktype)
{
	struct pcap_pkthdr h = { .caplen = len, .len = len };
	pcap_dumper_t *d;
	pcap_t *p;
	int err = 0;

	p = pcap_open_dead(linktype == LINKTYPE_RAW ? DLT_RAW : DLT_EN10MB, 65535);
	if (!p)
		return -ENOMEM;
	errno = 0;
	d = exists ? pcap_dump_open_append(p, path) : pcap_dump_open(p, path);
	if (!d) {
		/*
		 * The probe opened it: what is left is a file of another kind,
		 * or of another link type.
		 */
		err = errno && errno != ENOENT ? -errno : -EINVAL;
		pcap_close(p);
		return err;
	}
	gettimeofday(&h.ts, NULL);
	pcap_dump((u_char *)d, &h, frame);
	if (pcap_dump_flush && pcap_dump_flush(d))
		err = errno ? -errno : -EIO;
	if (!err && pcap_dump_file && ferror(pcap_dump_file(d)))
		err = -EIO;
	if (!err && pcap_dump_file && fsync(fileno(pcap_dump_file(d))) &&
	    errno != EINVAL && errno != EROFS)
		err = -errno;
	pcap_dump_close(d);
	pcap_close(p);
	return err;
}

/* pcapng: Section Header, Interface Description (its link type), Enhanced Packet. */
static int put32(uint8_t *b, size_t off, uint32_t v)
{
	memcpy(b + off, &v, 4);	/* the writer's byte order, as SHB says */
	return 4;
}

static int put16x2(uint8_t *b, size_t off, uint16_t a, uint16_t c)
{
	memcpy(b + off, &a, 2);
	memcpy(b + off + 2, &c, 2);
	return 4;
}

static int write_all(int fd, const uint8_t *b, size_t n)
{
	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (w == 0)
			return -EIO;
		b += w;
		n -= w;
	}
	return 0;
}

static int pcapng(const char *path, int exists, const uint8_t *frame, size_t len,
		  int linktype)
{
	uint8_t head[28 + 20], b[32 + 65536 + 4];
	size_t n = 0, pad = (4 - len % 4) % 4;
	struct timeval tv;
	uint64_t us;
	int fd, err;

	if (len > 65535)
		return -EMSGSIZE;
	fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (exists) {
		/*
		 * Appending: it must be pcapng in our byte order, its first
		 * interface (the one its packets name) of the frame's link type.
		 */
		uint8_t magic[12], idb[10];
		uint32_t type, shb_len, bom, idb_type;
		uint16_t idb_link;

		if (pread(fd, magic, sizeof(magic), 0) != (ssize_t)sizeof(magic)) {
			close(fd);
			return -EINVAL;
		}
		memcpy(&type, magic, 4);
		memcpy(&shb_len, magic + 4, 4);
		memcpy(&bom, magic + 8, 4);
		if (type != 0x0A0D0D0A || bom != 0x1A2B3C4D || shb_len < 28 ||
		    pread(fd, idb, sizeof(idb), shb_len) != (ssize_t)sizeof(idb)) {
			close(fd);
			return -EINVAL;
		}
		memcpy(&idb_type, idb, 4);
		memcpy(&idb_link, idb + 8, 2);
		if (idb_type != 1 || idb_link != linktype) {
			close(fd);
			return -EINVAL;
		}
	} else {
		/* SHB: type, length 28, byte-order magic, version 1.0, section length unknown. */
		n += put32(head, n, 0x0A0D0D0A);
		n += put32(head, n, 28);
		n += put32(head, n, 0x1A2B3C4D);
		n += put16x2(head, n, 1, 0);		/* version 1.0 */
		n += put32(head, n, 0xffffffff);
		n += put32(head, n, 0xffffffff);
		n += put32(head, n, 28);
		/* IDB: the link type, snaplen 65535; microseconds (the default). */
		n += put32(head, n, 1);
		n += put32(head, n, 20);
		n += put16x2(head, n, linktype, 0);
		n += put32(head, n, 65535);
		n += put32(head, n, 20);
		err = write_all(fd, head, n);
		if (err) {
			close(fd);
			return err;
		}
	}
	gettimeofday(&tv, NULL);
	us = (uint64_t)tv.tv_sec * 1000000 + tv.tv_usec;
	n = 0;
	n += put32(b, n, 6);				/* EPB */
	n += put32(b, n, 32 + len + pad);
	n += put32(b, n, 0);				/* interface 0 */
	n += put32(b, n, us >> 32);
	n += put32(b, n, (uint32_t)us);
	n += put32(b, n, len);
	n += put32(b, n, len);
	memcpy(b + n, frame, len);
	memset(b + n + len, 0, pad);
	n += len + pad;
	n += put32(b, n, 32 + len + pad);
	err = write_all(fd, b, n);
	if (!err && fsync(fd) && errno != EINVAL && errno != EROFS)
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

int pktcraft_pcap_append(const char *path, const uint8_t *frame, size_t len)
{
	size_t n = strlen(path);
	int exists = 0, err;

	err = probe(path, &exists);
	if (err)
		return err;
	if (n > 7 && !strcmp(path + n - 7, ".pcapng"))
		return pcapng(path, exists, frame, len, link_type(frame, len));
	return pcap_classic(path, exists, frame, len, link_type(frame, len));
}
