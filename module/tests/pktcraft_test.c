// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for pktcraft: checksums, header layout, the "0 means the
 * kernel fills it" rules, request validation, the extensible request copy,
 * the complete frame on the loopback device and the fates' hash table.
 *
 * Every case calls the module's own functions, exported to the
 * EXPORTED_FOR_KUNIT_TESTING namespace when the kernel has KUnit. Expected
 * checksums come from rfc1071_sum() below, a plain loop over big-endian
 * 16-bit words, never from the kernel's csum_partial().
 *
 * The suites run from the notifier of the insmod that loads this module:
 * suite_init borrows the address space of that insmod to map a page of
 * user memory, and the cases (kthreads) attach to it with kthread_use_mm()
 * to call pktcraft_req_from_user() and pktcraft_build_data() on real user
 * pointers. Cases needing it are skipped when there is no such process.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/uaccess.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#include "../pktcraft.h"
#include "../trace.h"

/* Host order; the wire bytes are c0 00 02 01, c6 33 64 07, cb 00 71 05. */
#define SADDR		0xc0000201	/* 192.0.2.1 */
#define DADDR		0xc6336407	/* 198.51.100.7 */
#define FALLBACK	0xcb007105	/* 203.0.113.5, the egress source */

#define IPH		20		/* IPv4 header without options */
#define TCPH		20
#define UDPH		8
#define ICMPH		8

/* The request as this kernel knows it (version 1 or later). */
#define KSIZE		sizeof(struct pktcraft_req)

static const u8 test_dst_mac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const u8 test_src_mac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

/* ------------------------------------------------------------- helpers */

/* RFC 1071: one's complement sum of big-endian words, odd byte padded. */
static u16 rfc1071_sum(const u8 *p, size_t len)
{
	u64 sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (u16)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (u16)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static u16 rfc1071_csum(const u8 *p, size_t len)
{
	return ~rfc1071_sum(p, len) & 0xffff;
}

/*
 * Checksum of layer 4 data behind the RFC 793 / RFC 768 pseudo-header,
 * laid out byte by byte: source, destination, zero, protocol, length.
 */
static u16 oracle_l4(struct kunit *test, const u8 saddr[4], const u8 daddr[4],
		     u8 proto, const u8 *l4, size_t len)
{
	u8 *buf = kunit_kzalloc(test, 12 + len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, saddr, 4);
	memcpy(buf + 4, daddr, 4);
	buf[8] = 0;
	buf[9] = proto;
	buf[10] = len >> 8;
	buf[11] = len & 0xff;
	memcpy(buf + 12, l4, len);
	return rfc1071_csum(buf, 12 + len);
}

/* The same, with the addresses taken from the IPv4 header at @l3. */
static u16 oracle_l4_pkt(struct kunit *test, const u8 *l3, unsigned int ihl,
			 u8 proto, size_t len)
{
	return oracle_l4(test, l3 + 12, l3 + 16, proto, l3 + ihl, len);
}

/* A __sum16 as the two bytes it puts on the wire. */
static u16 wire16(__sum16 sum)
{
	const u8 *p = (const u8 *)&sum;

	return p[0] << 8 | p[1];
}

static u16 get16(const u8 *p)
{
	return p[0] << 8 | p[1];
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u32 net_addr(u32 host)
{
	return (__force u32)htonl(host);
}

static const char *l4_name(u8 l4)
{
	switch (l4) {
	case PKTCRAFT_L4_TCP:
		return "tcp";
	case PKTCRAFT_L4_UDP:
		return "udp";
	case PKTCRAFT_L4_ICMP:
		return "icmp";
	case PKTCRAFT_L4_RAW:
		return "raw";
	}
	return "?";
}

/* A valid minimal request of kind @l4, in kunit-managed memory. */
static struct pktcraft_req *new_req(struct kunit *test, u8 l4)
{
	struct pktcraft_req *req = kunit_kzalloc(test, sizeof(*req),
						 GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, req);
	req->size = sizeof(*req);
	req->l4 = l4;
	req->ip_ttl = 64;
	req->ip_saddr = net_addr(SADDR);
	req->ip_daddr = net_addr(DADDR);
	switch (l4) {
	case PKTCRAFT_L4_TCP:
		req->sport = 40000;
		req->dport = 80;
		req->tcp_flags = PKTCRAFT_TCP_SYN;
		req->tcp_win = 1024;
		break;
	case PKTCRAFT_L4_UDP:
		req->sport = 40000;
		req->dport = 53;
		break;
	case PKTCRAFT_L4_ICMP:
		req->icmp_type = ICMP_ECHO;
		break;
	case PKTCRAFT_L4_RAW:
		req->ip_protocol = 253;	/* RFC 3692 experimentation */
		break;
	}
	return req;
}

/*
 * Payload for the kernel-buffer builds: @req->payload only has to be
 * non-NULL for pktcraft_req_check(); build() copies the bytes itself, as
 * pktcraft_build_data() would, and the writers never touch the payload.
 */
static void set_payload(struct pktcraft_req *req, const u8 *data, u32 len)
{
	req->payload = (u64)(uintptr_t)data;
	req->payload_len = len;
}

/*
 * Check, lay out and write @req into a zeroed kernel buffer with the real
 * pktcraft_write_headers() and pktcraft_write_csums(); the source left to
 * the kernel is FALLBACK.
 */
static u8 *build(struct kunit *test, const struct pktcraft_req *req,
		 struct pktcraft_layout *lay)
{
	u8 *l3;
	int err;

	err = pktcraft_req_check(req, NULL, lay);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "pktcraft_req_check refused it");
	l3 = kunit_kzalloc(test, lay->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, l3);
	if (req->payload_len)
		memcpy(l3 + lay->ip_hlen + lay->l4_hlen,
		       (const void *)(uintptr_t)req->payload,
		       req->payload_len);
	pktcraft_write_headers(req, lay, htonl(FALLBACK), l3);
	pktcraft_write_csums(req, lay, l3,
			     csum_partial(l3 + lay->ip_hlen + lay->l4_hlen,
					  req->payload_len, 0));
	return l3;
}

static int check_req(const struct pktcraft_req *req)
{
	struct pktcraft_layout lay;

	return pktcraft_req_check(req, NULL, &lay);
}

static void expect_ip_csum_ok(struct kunit *test, const u8 *l3)
{
	unsigned int ihl = (l3[0] & 0xf) * 4;

	KUNIT_EXPECT_EQ_MSG(test, rfc1071_csum(l3, ihl), 0,
			    "IPv4 checksum %04x is wrong", get16(l3 + 10));
}

/* Layer 4 checksum valid, against the oracle with the real length. */
static void expect_l4_csum_ok(struct kunit *test, const u8 *l3,
			      const struct pktcraft_layout *lay, u8 l4)
{
	unsigned int len = lay->len - lay->ip_hlen;
	const u8 *p = l3 + lay->ip_hlen;

	if (l4 == PKTCRAFT_L4_ICMP)
		KUNIT_EXPECT_EQ_MSG(test, rfc1071_csum(p, len), 0,
				    "ICMP checksum %04x is wrong",
				    get16(p + 2));
	else if (l4 == PKTCRAFT_L4_TCP || l4 == PKTCRAFT_L4_UDP)
		KUNIT_EXPECT_EQ_MSG(test, oracle_l4_pkt(test, l3, lay->ip_hlen,
							lay->protocol, len),
				    0, "%s checksum %04x is wrong", l4_name(l4),
				    get16(p + (l4 == PKTCRAFT_L4_TCP ? 16 : 6)));
}

/* Offset of the layer 4 checksum field. */
static unsigned int l4_csum_off(u8 l4)
{
	return l4 == PKTCRAFT_L4_TCP ? 16 : l4 == PKTCRAFT_L4_UDP ? 6 : 2;
}

/* ----------------------------------------------------- checksum suite */

static const u8 rfc1071_bytes[8] = {
	0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7
};

/* RFC 1071 section 3: the sum is ddf2, so the checksum is 220d. */
static void csum_rfc1071_example(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, rfc1071_sum(rfc1071_bytes, 8), 0xddf2);
	KUNIT_EXPECT_EQ(test, rfc1071_csum(rfc1071_bytes, 8), 0x220d);
	KUNIT_EXPECT_EQ(test, wire16(pktcraft_ip_csum(rfc1071_bytes, 2)),
			0x220d);
}

static const u8 classic_iph[IPH] = {
	0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
	0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7
};

/* pktcraft_l4_csum() summing every byte itself (no separate payload sum). */
static __sum16 l4_csum_whole(__be32 saddr, __be32 daddr, u8 proto,
			     const void *l4, unsigned int len)
{
	return pktcraft_l4_csum(saddr, daddr, proto, l4, len, len, 0);
}

/* The classic 192.168.0.1 -> 192.168.0.199 UDP header: checksum b861. */
static void csum_ipv4_classic_header(struct kunit *test)
{
	u8 h[IPH];

	memcpy(h, classic_iph, IPH);
	KUNIT_EXPECT_EQ(test, wire16(pktcraft_ip_csum(h, 5)), 0xb861);
	KUNIT_EXPECT_EQ(test, rfc1071_csum(h, IPH), 0xb861);
	/* With the checksum in place the header verifies to 0. */
	h[10] = 0xb8;
	h[11] = 0x61;
	KUNIT_EXPECT_EQ(test, wire16(pktcraft_ip_csum(h, 5)), 0);
}

static void csum_all_zero(struct kunit *test)
{
	u8 *z = kunit_kzalloc(test, 60, GFP_KERNEL);
	static const u8 zero_ip[4];

	KUNIT_ASSERT_NOT_NULL(test, z);
	KUNIT_EXPECT_EQ(test, wire16(pktcraft_ip_csum(z, 5)), 0xffff);
	KUNIT_EXPECT_EQ(test, wire16(pktcraft_ip_csum(z, 15)), 0xffff);
	/* Zero data, zero addresses: only protocol and length count. */
	KUNIT_EXPECT_EQ(test, wire16(l4_csum_whole(0, 0, IPPROTO_UDP, z,
						   8)),
			(u16)~(IPPROTO_UDP + 8));
	KUNIT_EXPECT_EQ(test, wire16(l4_csum_whole(0, 0, IPPROTO_UDP, z,
						   8)),
			oracle_l4(test, zero_ip, zero_ip, IPPROTO_UDP, z, 8));
}

/* All ones: every word is 0xffff ("-0"), the checksum is 0x0000. */
static void csum_all_ones(struct kunit *test)
{
	u8 *f = kunit_kmalloc(test, 60, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	memset(f, 0xff, 60);
	KUNIT_EXPECT_EQ(test, wire16(pktcraft_ip_csum(f, 5)), 0x0000);
	KUNIT_EXPECT_EQ(test, wire16(pktcraft_ip_csum(f, 15)), 0x0000);
	KUNIT_EXPECT_EQ(test, rfc1071_csum(f, 60), 0x0000);
}

/*
 * 31 words of ffff and one of 0001: 0x1effe2, folded once 0x10000, twice
 * 0x0001, so the checksum is fffe; a single fold would give ffff.
 */
static void csum_carry_folding(struct kunit *test)
{
	u8 *b = kunit_kmalloc(test, 4096, GFP_KERNEL);
	static const u8 a[4] = { 0xff, 0xff, 0xff, 0xff };
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	memset(b, 0xff, 64);
	b[62] = 0x00;
	b[63] = 0x01;
	KUNIT_EXPECT_EQ(test, rfc1071_csum(b, 64), 0xfffe);
	KUNIT_EXPECT_EQ(test, wire16(pktcraft_ip_csum(b, 16)), 0xfffe);

	/* Thousands of carries, through the layer 4 path. */
	for (i = 0; i < 4096; i += 2) {
		b[i] = 0xff;
		b[i + 1] = i & 2 ? 0xfe : 0xff;
	}
	KUNIT_EXPECT_EQ(test, wire16(l4_csum_whole(htonl(0xffffffff),
						   htonl(0xffffffff), 0xff,
						   b, 4096)),
			oracle_l4(test, a, a, 0xff, b, 4096));
}

/* Odd lengths: the last byte is the high half of a zero-padded word. */
static void csum_odd_length(struct kunit *test)
{
	static const u8 s[4] = { 0xc0, 0x00, 0x02, 0x01 };
	static const u8 d[4] = { 0xc6, 0x33, 0x64, 0x07 };
	static const u8 data[5] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
	u16 sum;

	/*
	 * By hand: c000 + 0201 + c633 + 6407 + 0011 + 0005 + 1234 + 5678 +
	 * 9a00 = 0x2eefd -> 0xeeff, checksum 1100.
	 */
	sum = wire16(l4_csum_whole(htonl(SADDR), htonl(DADDR), IPPROTO_UDP,
				   data, 5));
	KUNIT_EXPECT_EQ(test, sum, 0x1100);
	KUNIT_EXPECT_EQ(test, sum, oracle_l4(test, s, d, IPPROTO_UDP, data, 5));
	/* One byte only. */
	KUNIT_EXPECT_EQ(test, wire16(l4_csum_whole(htonl(SADDR),
						   htonl(DADDR), IPPROTO_UDP,
						   data + 4, 1)),
			oracle_l4(test, s, d, IPPROTO_UDP, data + 4, 1));
}

struct csum_vec {
	unsigned int len;
	unsigned int align;	/* offset of the data from an aligned address */
	u8 pattern;		/* 0 zero, 1 ff, 2 counter, 3 LCG */
};

static const struct csum_vec csum_vecs[] = {
	{ 1, 0, 2 }, { 2, 0, 3 }, { 3, 1, 3 }, { 7, 3, 3 }, { 8, 0, 1 },
	{ 9, 1, 2 }, { 63, 0, 1 }, { 64, 2, 3 }, { 255, 1, 3 },
	{ 1499, 0, 3 }, { 1500, 1, 1 }, { 1480, 2, 0 }, { 9000, 3, 3 },
	{ 65515, 0, 1 }, { 65515, 1, 3 },
};

static void csum_vec_desc(const struct csum_vec *v, char *desc)
{
	static const char * const pat[] = { "zero", "ff", "counter", "lcg" };

	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "len %u, align %u, %s", v->len,
		 v->align, pat[v->pattern]);
}

KUNIT_ARRAY_PARAM(csum_vec, csum_vecs, csum_vec_desc);

/* pktcraft_l4_csum() against the oracle, lengths up to the IPv4 limit. */
static void csum_l4_vs_oracle(struct kunit *test)
{
	const struct csum_vec *v = test->param_value;
	static const u8 s[4] = { 0x0a, 0x01, 0x00, 0x02 };
	static const u8 d[4] = { 0xff, 0xff, 0xff, 0xfe };
	u8 *buf = kunit_kmalloc(test, v->len + 4, GFP_KERNEL);
	static const u16 hlens[] = { 6, 8, 20, 60 };
	u8 *p;
	u32 x = 12345;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	p = buf + v->align;
	for (i = 0; i < v->len; i++) {
		x = x * 1103515245 + 12345;
		p[i] = v->pattern == 0 ? 0 : v->pattern == 1 ? 0xff :
		       v->pattern == 2 ? i : x >> 16;
	}
	KUNIT_EXPECT_EQ(test, wire16(l4_csum_whole(htonl(0x0a010002),
						   htonl(0xfffffffe),
						   IPPROTO_TCP, p, v->len)),
			oracle_l4(test, s, d, IPPROTO_TCP, p, v->len));
	/*
	 * As pktcraft_build_finish() calls it: a header summed there (by
	 * 32-bit words when a multiple of 4, as UDP's, ICMP's and TCP's are,
	 * else by csum_partial()), the rest's sum given, as
	 * pktcraft_build_data() takes it while copying (the same bytes, at an
	 * even offset).
	 */
	for (i = 0; i < ARRAY_SIZE(hlens) && hlens[i] <= v->len; i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    wire16(pktcraft_l4_csum(htonl(0x0a010002),
							    htonl(0xfffffffe),
							    IPPROTO_TCP, p, v->len,
							    hlens[i],
							    csum_partial(p + hlens[i],
									 v->len - hlens[i],
									 0))),
				    oracle_l4(test, s, d, IPPROTO_TCP, p, v->len),
				    "header of %u", hlens[i]);
}

/* A TCP segment with options and payload: explicit pseudo-header. */
static void csum_tcp_pseudo_header(struct kunit *test)
{
	static const u8 s[4] = { 0xc0, 0x00, 0x02, 0x01 };
	static const u8 d[4] = { 0xc6, 0x33, 0x64, 0x07 };
	static const u8 seg[27] = {
		0x9c, 0x40, 0x00, 0x50,	/* ports 40000 -> 80 */
		0x01, 0x02, 0x03, 0x04,	/* seq */
		0x00, 0x00, 0x00, 0x00,	/* ack */
		0x60, 0x02, 0x04, 0x00,	/* doff 6, SYN, window 1024 */
		0x00, 0x00, 0x00, 0x00,	/* checksum, urgent */
		0x02, 0x04, 0x05, 0xb4,	/* MSS 1460 */
		'a', 'b', 'c',
	};
	u16 got = wire16(l4_csum_whole(htonl(SADDR), htonl(DADDR),
				       IPPROTO_TCP, seg, sizeof(seg)));

	KUNIT_EXPECT_EQ(test, got,
			oracle_l4(test, s, d, IPPROTO_TCP, seg, sizeof(seg)));
	/* The protocol number is part of the sum. */
	KUNIT_EXPECT_NE(test, got,
			wire16(l4_csum_whole(htonl(SADDR), htonl(DADDR),
					     IPPROTO_UDP, seg,
					     sizeof(seg))));
}

static void csum_udp_pseudo_header(struct kunit *test)
{
	static const u8 s[4] = { 0x0a, 0x01, 0x00, 0x02 };
	static const u8 d[4] = { 0x08, 0x08, 0x08, 0x08 };
	static const u8 dgram[12] = {
		0xd4, 0x31, 0x00, 0x35,	/* ports 54321 -> 53 */
		0x00, 0x0c, 0x00, 0x00,	/* length 12, checksum 0 */
		0xde, 0xad, 0xbe, 0xef,
	};
	u16 got = wire16(l4_csum_whole(htonl(0x0a010002), htonl(0x08080808),
				       IPPROTO_UDP, dgram, sizeof(dgram)));

	KUNIT_EXPECT_EQ(test, got, oracle_l4(test, s, d, IPPROTO_UDP, dgram,
					     sizeof(dgram)));
	/* The addresses are part of the sum. */
	KUNIT_EXPECT_NE(test, got,
			wire16(l4_csum_whole(htonl(0x08080808),
					     htonl(0x0a010003), IPPROTO_UDP,
					     dgram, sizeof(dgram))));
}

/*
 * Make the layer 4 sum of a 6-byte payload exactly ffff by choosing its
 * last word, so that the computed checksum is 0000.
 */
static struct pktcraft_req *zero_sum_req(struct kunit *test, u8 l4, u8 *pl)
{
	struct pktcraft_req *req = new_req(test, l4);
	struct pktcraft_layout lay;
	u16 s, w;
	u8 *l3;

	pl[0] = 0x12;
	pl[1] = 0x34;
	pl[2] = 0x56;
	pl[3] = 0x78;
	pl[4] = 0;
	pl[5] = 0;
	set_payload(req, pl, 6);
	/* The sum with a zero checksum field and a zero last word. */
	l3 = build(test, req, &lay);
	l3[lay.ip_hlen + l4_csum_off(l4)] = 0;
	l3[lay.ip_hlen + l4_csum_off(l4) + 1] = 0;
	s = ~oracle_l4_pkt(test, l3, lay.ip_hlen, lay.protocol,
			   lay.len - lay.ip_hlen) & 0xffff;
	w = 0xffff - s;		/* s + w = ffff, no carry */
	pl[4] = w >> 8;
	pl[5] = w & 0xff;
	return req;
}

/* RFC 768: a computed UDP checksum of 0000 is sent as ffff. */
static void csum_udp_zero_sent_as_ffff(struct kunit *test)
{
	u8 *pl = kunit_kzalloc(test, 6, GFP_KERNEL);
	struct pktcraft_req *req;
	struct pktcraft_layout lay;
	u8 *l3;

	KUNIT_ASSERT_NOT_NULL(test, pl);
	req = zero_sum_req(test, PKTCRAFT_L4_UDP, pl);
	l3 = build(test, req, &lay);
	/* pktcraft_write_csums() sent it as ffff... */
	KUNIT_EXPECT_EQ(test, get16(l3 + IPH + 6), 0xffff);
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_UDP);
	expect_ip_csum_ok(test, l3);
	/* ...because pktcraft_l4_csum() gives 0000 for these bytes. */
	l3[IPH + 6] = 0;
	l3[IPH + 7] = 0;
	KUNIT_EXPECT_EQ(test, wire16(l4_csum_whole(htonl(SADDR),
						   htonl(DADDR),
						   IPPROTO_UDP, l3 + IPH,
						   UDPH + 6)), 0x0000);
}

/* TCP has no such rule: 0000 is sent as it is. */
static void csum_tcp_zero_stays_zero(struct kunit *test)
{
	u8 *pl = kunit_kzalloc(test, 6, GFP_KERNEL);
	struct pktcraft_req *req;
	struct pktcraft_layout lay;
	u8 *l3;

	KUNIT_ASSERT_NOT_NULL(test, pl);
	req = zero_sum_req(test, PKTCRAFT_L4_TCP, pl);
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + IPH + 16), 0x0000);
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_TCP);
}

/* ICMP sums its own bytes only, no pseudo-header. */
static void csum_icmp_no_pseudo_header(struct kunit *test)
{
	static const u8 pl[7] = { 'p', 'k', 't', 'c', 'r', 'f', 't' };
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_ICMP);
	struct pktcraft_layout lay;
	u8 *l3;
	u8 icmp[ICMPH + 7];

	req->icmp_id = 0x1234;
	req->icmp_seq = 7;
	set_payload(req, pl, sizeof(pl));
	l3 = build(test, req, &lay);
	memcpy(icmp, l3 + IPH, sizeof(icmp));
	KUNIT_EXPECT_EQ(test, rfc1071_csum(icmp, sizeof(icmp)), 0);
	icmp[2] = 0;
	icmp[3] = 0;
	KUNIT_EXPECT_EQ(test, get16(l3 + IPH + 2),
			rfc1071_csum(icmp, sizeof(icmp)));
}

/* The IPv4 checksum covers the options, and nothing after the header. */
static void csum_ip_options_covered(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->ip_optlen = 8;
	memcpy(req->ip_opts, "\x94\x04\x00\x00\x01\x01\x01\x00", 8);
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, lay.ip_hlen, 28);
	KUNIT_EXPECT_EQ(test, rfc1071_csum(l3, 28), 0);
	KUNIT_EXPECT_NE(test, rfc1071_csum(l3, 20), 0);
	/* Changing the UDP header does not change the IPv4 checksum. */
	l3[10] = 0;
	l3[11] = 0;
	l3[28] ^= 0xff;
	KUNIT_EXPECT_EQ(test, wire16(pktcraft_ip_csum(l3, 7)),
			rfc1071_csum(l3, 28));
}

/* A forced, lying UDP length does not change the pseudo-header length. */
static void csum_pseudo_uses_real_length(struct kunit *test)
{
	static const u8 pl[4] = { 1, 2, 3, 4 };
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->flags = PKTCRAFT_F_L4_LEN;
	req->udp_len = 100;
	set_payload(req, pl, sizeof(pl));
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + IPH + 4), 100);
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_UDP);
}

static struct kunit_case pktcraft_csum_cases[] = {
	KUNIT_CASE(csum_rfc1071_example),
	KUNIT_CASE(csum_ipv4_classic_header),
	KUNIT_CASE(csum_all_zero),
	KUNIT_CASE(csum_all_ones),
	KUNIT_CASE(csum_carry_folding),
	KUNIT_CASE(csum_odd_length),
	KUNIT_CASE_PARAM(csum_l4_vs_oracle, csum_vec_gen_params),
	KUNIT_CASE(csum_tcp_pseudo_header),
	KUNIT_CASE(csum_udp_pseudo_header),
	KUNIT_CASE(csum_udp_zero_sent_as_ffff),
	KUNIT_CASE(csum_tcp_zero_stays_zero),
	KUNIT_CASE(csum_icmp_no_pseudo_header),
	KUNIT_CASE(csum_ip_options_covered),
	KUNIT_CASE(csum_pseudo_uses_real_length),
	{}
};

static struct kunit_suite pktcraft_csum_suite = {
	.name = "pktcraft_csum",
	.test_cases = pktcraft_csum_cases,
};

/* ------------------------------------------------------ header suite */

static void hdr_ipv4_fields(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->ip_tos = 0xb8;
	req->ip_id = 0xbeef;
	req->ip_frag = PKTCRAFT_IP_DF | PKTCRAFT_IP_MF | 0x0123;
	req->ip_ttl = 0x7e;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, l3[0], 0x45);		/* version 4, IHL 5 */
	KUNIT_EXPECT_EQ(test, l3[1], 0xb8);		/* TOS */
	KUNIT_EXPECT_EQ(test, get16(l3 + 2), 40);	/* total length */
	KUNIT_EXPECT_EQ(test, l3[4], 0xbe);		/* ID */
	KUNIT_EXPECT_EQ(test, l3[5], 0xef);
	KUNIT_EXPECT_EQ(test, l3[6], 0x61);		/* DF|MF, offset 0x123 */
	KUNIT_EXPECT_EQ(test, l3[7], 0x23);
	KUNIT_EXPECT_EQ(test, l3[8], 0x7e);		/* TTL */
	KUNIT_EXPECT_EQ(test, l3[9], IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, get32(l3 + 12), SADDR);
	KUNIT_EXPECT_EQ(test, get32(l3 + 16), DADDR);
	expect_ip_csum_ok(test, l3);
}

/* The classic header of csum_ipv4_classic_header, built from a request. */
static void hdr_classic_header_built(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	u8 *pl = kunit_kzalloc(test, 0x73 - IPH - UDPH, GFP_KERNEL);
	struct pktcraft_layout lay;
	u8 *l3;

	KUNIT_ASSERT_NOT_NULL(test, pl);
	req->ip_frag = PKTCRAFT_IP_DF;
	req->ip_saddr = net_addr(0xc0a80001);
	req->ip_daddr = net_addr(0xc0a800c7);
	req->ip_tot_len = 0x73;
	set_payload(req, pl, 0x73 - IPH - UDPH);
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + 10), 0xb861);
	l3[10] = 0;
	l3[11] = 0;
	KUNIT_EXPECT_EQ(test, memcmp(l3, classic_iph, IPH), 0);
}

static const u16 frag_vals[] = {
	0, PKTCRAFT_IP_DF, PKTCRAFT_IP_MF, PKTCRAFT_IP_RF,
	PKTCRAFT_IP_MF | 0x0001, PKTCRAFT_IP_OFFMASK,
	PKTCRAFT_IP_DF | PKTCRAFT_IP_OFFMASK, 0xffff,
};

static void u16_desc(const u16 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "0x%04x", *v);
}

KUNIT_ARRAY_PARAM(frag, frag_vals, u16_desc);

static void hdr_ip_frag(struct kunit *test)
{
	const u16 *frag = test->param_value;
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->ip_frag = *frag;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, l3[6], *frag >> 8);
	KUNIT_EXPECT_EQ(test, l3[7], *frag & 0xff);
	KUNIT_EXPECT_EQ(test, l3[6] & 0x80, !!(*frag & PKTCRAFT_IP_RF) << 7);
	KUNIT_EXPECT_EQ(test, l3[6] & 0x40, !!(*frag & PKTCRAFT_IP_DF) << 6);
	KUNIT_EXPECT_EQ(test, l3[6] & 0x20, !!(*frag & PKTCRAFT_IP_MF) << 5);
	expect_ip_csum_ok(test, l3);
}

static void hdr_tcp_fields(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_layout lay;
	u8 *l3, *th;

	req->sport = 0x1234;
	req->dport = 0xabcd;
	req->tcp_seq = 0x01020304;
	req->tcp_ack = 0xf0e0d0c0;
	req->tcp_flags = PKTCRAFT_TCP_SYN | PKTCRAFT_TCP_ACK;
	req->tcp_win = 0xfedc;
	req->tcp_urg = 0x0102;
	l3 = build(test, req, &lay);
	th = l3 + IPH;
	KUNIT_EXPECT_EQ(test, lay.l4_hlen, TCPH);
	KUNIT_EXPECT_EQ(test, get16(th), 0x1234);
	KUNIT_EXPECT_EQ(test, get16(th + 2), 0xabcd);
	KUNIT_EXPECT_EQ(test, get32(th + 4), 0x01020304);
	KUNIT_EXPECT_EQ(test, get32(th + 8), 0xf0e0d0c0);
	KUNIT_EXPECT_EQ(test, th[12], 0x50);		/* doff 5, res 0, NS 0 */
	KUNIT_EXPECT_EQ(test, th[13], 0x12);		/* ACK|SYN */
	KUNIT_EXPECT_EQ(test, get16(th + 14), 0xfedc);
	KUNIT_EXPECT_EQ(test, get16(th + 18), 0x0102);
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_TCP);
	expect_ip_csum_ok(test, l3);
}

static const u8 tcp_res_vals[] = { 0, 1, 2, 3, 4, 5, 6, 7 };

static void u8_desc(const u8 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u", *v);
}

KUNIT_ARRAY_PARAM(tcp_res, tcp_res_vals, u8_desc);

/* Byte 12: data offset (4 bits), reserved (3 bits), NS (1 bit). */
static void hdr_tcp_res_bits(struct kunit *test)
{
	const u8 *res = test->param_value;
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->tcp_res = *res;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, l3[IPH + 12], 0x50 | *res << 1);
	req->tcp_flags |= PKTCRAFT_TCP_NS;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, l3[IPH + 12], 0x50 | *res << 1 | 1);
	KUNIT_EXPECT_EQ(test, l3[IPH + 13], PKTCRAFT_TCP_SYN);
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_TCP);
}

static const u16 tcp_flag_vals[] = {
	PKTCRAFT_TCP_FIN, PKTCRAFT_TCP_SYN, PKTCRAFT_TCP_RST, PKTCRAFT_TCP_PSH,
	PKTCRAFT_TCP_ACK, PKTCRAFT_TCP_URG, PKTCRAFT_TCP_ECE, PKTCRAFT_TCP_CWR,
	PKTCRAFT_TCP_NS, PKTCRAFT_TCP_FLAGS_ALL, 0,
};

KUNIT_ARRAY_PARAM(tcp_flag, tcp_flag_vals, u16_desc);

/* Byte 13 holds CWR..FIN (RFC 9293 order), NS is bit 0 of byte 12. */
static void hdr_tcp_flag_bits(struct kunit *test)
{
	const u16 *fl = test->param_value;
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->tcp_flags = *fl;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, l3[IPH + 13], *fl & 0xff);
	KUNIT_EXPECT_EQ(test, l3[IPH + 12], 0x50 | (*fl & PKTCRAFT_TCP_NS ? 1 : 0));
	KUNIT_EXPECT_EQ(test, !!(l3[IPH + 13] & 0x01),
			!!(*fl & PKTCRAFT_TCP_FIN));
	KUNIT_EXPECT_EQ(test, !!(l3[IPH + 13] & 0x02),
			!!(*fl & PKTCRAFT_TCP_SYN));
	KUNIT_EXPECT_EQ(test, !!(l3[IPH + 13] & 0x10),
			!!(*fl & PKTCRAFT_TCP_ACK));
	KUNIT_EXPECT_EQ(test, !!(l3[IPH + 13] & 0x80),
			!!(*fl & PKTCRAFT_TCP_CWR));
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_TCP);
}

static void hdr_udp_fields(struct kunit *test)
{
	static const u8 pl[3] = { 0xaa, 0xbb, 0xcc };
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->sport = 0xfedc;
	req->dport = 0x0035;
	set_payload(req, pl, sizeof(pl));
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, lay.l4_hlen, UDPH);
	KUNIT_EXPECT_EQ(test, lay.len, IPH + UDPH + 3);
	KUNIT_EXPECT_EQ(test, l3[9], IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, get16(l3 + IPH), 0xfedc);
	KUNIT_EXPECT_EQ(test, get16(l3 + IPH + 2), 0x0035);
	KUNIT_EXPECT_EQ(test, get16(l3 + IPH + 4), UDPH + 3);
	KUNIT_EXPECT_NE(test, get16(l3 + IPH + 6), 0);
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_UDP);
	expect_ip_csum_ok(test, l3);
}

static void hdr_icmp_fields(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_ICMP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->icmp_type = ICMP_DEST_UNREACH;
	req->icmp_code = ICMP_PORT_UNREACH;
	req->icmp_id = 0xa1b2;
	req->icmp_seq = 0xc3d4;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, lay.len, IPH + ICMPH);
	KUNIT_EXPECT_EQ(test, l3[9], IPPROTO_ICMP);
	KUNIT_EXPECT_EQ(test, l3[IPH], ICMP_DEST_UNREACH);
	KUNIT_EXPECT_EQ(test, l3[IPH + 1], ICMP_PORT_UNREACH);
	KUNIT_EXPECT_EQ(test, get16(l3 + IPH + 4), 0xa1b2);
	KUNIT_EXPECT_EQ(test, get16(l3 + IPH + 6), 0xc3d4);
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_ICMP);
	expect_ip_csum_ok(test, l3);
}

/* Options copied, then zero (EOL) up to the next 32-bit word. */
static void hdr_ip_options_padded(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	u8 *l3;

	memset(req->ip_opts, 0xaa, sizeof(req->ip_opts));
	req->ip_opts[0] = 0x01;		/* NOP */
	req->ip_opts[1] = 0x94;		/* router alert... */
	req->ip_opts[2] = 0x04;
	req->ip_opts[3] = 0x00;
	req->ip_opts[4] = 0x00;
	req->ip_optlen = 5;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, lay.ip_hlen, 28);
	KUNIT_EXPECT_EQ(test, l3[0], 0x47);
	KUNIT_EXPECT_EQ(test, get16(l3 + 2), 28 + UDPH);
	KUNIT_EXPECT_EQ(test, memcmp(l3 + IPH, req->ip_opts, 5), 0);
	KUNIT_EXPECT_EQ(test, l3[25], 0);
	KUNIT_EXPECT_EQ(test, l3[26], 0);
	KUNIT_EXPECT_EQ(test, l3[27], 0);
	/* The UDP header follows the padded options. */
	KUNIT_EXPECT_EQ(test, get16(l3 + 28), 40000);
	expect_ip_csum_ok(test, l3);
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_UDP);
}

static void hdr_tcp_options_padded(struct kunit *test)
{
	static const u8 opts[7] = { 0x02, 0x04, 0x05, 0xb4, 0x01, 0x03, 0x03 };
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_layout lay;
	u8 *l3, *th;

	memset(req->tcp_opts, 0x55, sizeof(req->tcp_opts));
	memcpy(req->tcp_opts, opts, sizeof(opts));
	req->tcp_optlen = sizeof(opts);
	l3 = build(test, req, &lay);
	th = l3 + IPH;
	KUNIT_EXPECT_EQ(test, lay.l4_hlen, 28);
	KUNIT_EXPECT_EQ(test, th[12] >> 4, 7);
	KUNIT_EXPECT_EQ(test, memcmp(th + TCPH, opts, sizeof(opts)), 0);
	KUNIT_EXPECT_EQ(test, th[27], 0);
	KUNIT_EXPECT_EQ(test, get16(l3 + 2), IPH + 28);
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_TCP);
}

/* 40 option bytes each: IHL 15 and data offset 15. */
static void hdr_max_options(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_layout lay;
	unsigned int i;
	u8 *l3;

	for (i = 0; i < PKTCRAFT_MAX_OPTLEN; i++) {
		req->ip_opts[i] = 0x01;
		req->tcp_opts[i] = 0x01;
	}
	req->ip_optlen = PKTCRAFT_MAX_OPTLEN;
	req->tcp_optlen = PKTCRAFT_MAX_OPTLEN;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, l3[0], 0x4f);
	KUNIT_EXPECT_EQ(test, l3[60 + 12] >> 4, 15);
	KUNIT_EXPECT_EQ(test, lay.len, 120);
	KUNIT_EXPECT_EQ(test, get16(l3 + 2), 120);
	KUNIT_EXPECT_EQ(test, l3[59], 0x01);
	KUNIT_EXPECT_EQ(test, l3[119], 0x01);
	expect_ip_csum_ok(test, l3);
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_TCP);
}

/* L4_RAW: the protocol as given, the payload right after the header. */
static void hdr_raw_protocol(struct kunit *test)
{
	static const u8 pl[4] = { 0xde, 0xad, 0xbe, 0xef };
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_RAW);
	struct pktcraft_layout lay;
	u8 *l3;

	set_payload(req, pl, sizeof(pl));
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, lay.l4_hlen, 0);
	KUNIT_EXPECT_EQ(test, lay.len, IPH + 4);
	KUNIT_EXPECT_EQ(test, l3[9], 253);
	KUNIT_EXPECT_EQ(test, memcmp(l3 + IPH, pl, 4), 0);
	expect_ip_csum_ok(test, l3);

	/* Protocol 0 is a literal too for raw. */
	req->ip_protocol = 0;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, l3[9], 0);
	KUNIT_EXPECT_EQ(test, memcmp(l3 + IPH, pl, 4), 0);
}

/* The writers leave the payload bytes alone. */
static void hdr_payload_kept(struct kunit *test)
{
	u8 *pl = kunit_kmalloc(test, 300, GFP_KERNEL);
	struct pktcraft_req *req;
	struct pktcraft_layout lay;
	unsigned int i;
	u8 *l3;

	KUNIT_ASSERT_NOT_NULL(test, pl);
	for (i = 0; i < 300; i++)
		pl[i] = i * 7;
	req = new_req(test, PKTCRAFT_L4_TCP);
	req->tcp_optlen = 3;
	set_payload(req, pl, 300);
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, memcmp(l3 + IPH + 24, pl, 300), 0);
	KUNIT_EXPECT_EQ(test, get16(l3 + 2), IPH + 24 + 300);
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_TCP);
}

/*
 * A tracepoint record's device name (trace.h): the name and zeros after it,
 * whatever dev->name holds past its NUL (a rename leaves an older name's
 * bytes there), for a NUL in either word and at either end of one.
 */
static void trace_ifname_zero_past_nul(struct kunit *test)
{
	static const char * const names[] = {
		"", "a", "eth0", "dummy01", "dummy012", "abcdefghijklmno",
	};
	/* has_zero()'s false positives come from bytes like 0x01 and 0x80 */
	static const u8 stale[] = { 'x', 0x01, 0x80, 0xff };
	struct net_device *dev = kunit_kzalloc(test, sizeof(*dev), GFP_KERNEL);
	char out[IFNAMSIZ], want[IFNAMSIZ];
	unsigned int i, j;

	KUNIT_ASSERT_NOT_NULL(test, dev);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		size_t len = strlen(names[i]);

		for (j = 0; j < ARRAY_SIZE(stale); j++) {
			/* an older name's bytes */
			memset(dev->name, stale[j], IFNAMSIZ);
			memcpy(dev->name, names[i], len + 1);
			memset(out, 0xa5, sizeof(out));
			pktcraft_trace_ifname(out, dev);
			memset(want, 0, sizeof(want));
			memcpy(want, names[i], len);
			KUNIT_EXPECT_EQ_MSG(test, memcmp(out, want, IFNAMSIZ), 0,
					    "name \"%s\" (%zu bytes) over 0x%02x",
					    names[i], len, stale[j]);
		}
	}
}

static struct kunit_case pktcraft_hdr_cases[] = {
	KUNIT_CASE(hdr_ipv4_fields),
	KUNIT_CASE(hdr_classic_header_built),
	KUNIT_CASE_PARAM(hdr_ip_frag, frag_gen_params),
	KUNIT_CASE(hdr_tcp_fields),
	KUNIT_CASE_PARAM(hdr_tcp_res_bits, tcp_res_gen_params),
	KUNIT_CASE_PARAM(hdr_tcp_flag_bits, tcp_flag_gen_params),
	KUNIT_CASE(hdr_udp_fields),
	KUNIT_CASE(hdr_icmp_fields),
	KUNIT_CASE(hdr_ip_options_padded),
	KUNIT_CASE(hdr_tcp_options_padded),
	KUNIT_CASE(hdr_max_options),
	KUNIT_CASE(hdr_raw_protocol),
	KUNIT_CASE(hdr_payload_kept),
	KUNIT_CASE(trace_ifname_zero_past_nul),
	{}
};

static struct kunit_suite pktcraft_hdr_suite = {
	.name = "pktcraft_headers",
	.test_cases = pktcraft_hdr_cases,
};

/* ----------------------------------------- "0 means the kernel fills" */

static void fill_tot_len(struct kunit *test)
{
	static const u8 pl[11];
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	u8 *l3;

	set_payload(req, pl, sizeof(pl));
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + 2), IPH + UDPH + 11);
	/* The same value given explicitly is accepted and kept. */
	req->ip_tot_len = IPH + UDPH + 11;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + 2), IPH + UDPH + 11);
}

static void fill_saddr_fallback(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->ip_saddr = 0;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get32(l3 + 12), FALLBACK);
	/* The checksums are computed over the filled address. */
	expect_ip_csum_ok(test, l3);
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_TCP);
}

static void fill_saddr_given(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_layout lay;
	u8 *l3;

	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get32(l3 + 12), SADDR);
	req->flags = PKTCRAFT_F_IP_SADDR;	/* no difference when != 0 */
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get32(l3 + 12), SADDR);
}

static void fill_version(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	u8 *l3;

	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, l3[0] >> 4, 4);
	req->ip_version = 6;		/* any 1..15 is literal */
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, l3[0], 0x65);
	expect_ip_csum_ok(test, l3);
	req->ip_version = 15;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, l3[0], 0xf5);
}

static void fill_ihl_doff_from_options(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->ip_optlen = 12;
	req->tcp_optlen = 9;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, l3[0] & 0xf, 8);
	KUNIT_EXPECT_EQ(test, l3[32 + 12] >> 4, 8);
	/* Equal values given explicitly are accepted. */
	req->ip_ihl = 8;
	req->tcp_doff = 8;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, l3[0] & 0xf, 8);
	KUNIT_EXPECT_EQ(test, l3[32 + 12] >> 4, 8);
}

static void fill_udp_len(struct kunit *test)
{
	static const u8 pl[100];
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	u8 *l3;

	set_payload(req, pl, sizeof(pl));
	req->ip_optlen = 4;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + 24 + 4), UDPH + 100);
	req->udp_len = UDPH + 100;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + 24 + 4), UDPH + 100);
}

/* The writers never choose an ID: 0 is left for pktcraft_build_finish(). */
static void fill_ip_id_left_zero(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	u8 *l3;

	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + 4), 0);
	req->ip_id = 1;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + 4), 1);
}

static void lit_saddr_zero(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->ip_saddr = 0;
	req->flags = PKTCRAFT_F_IP_SADDR;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get32(l3 + 12), 0);
	expect_ip_csum_ok(test, l3);
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_UDP);
}

static void lit_tot_len(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->flags = PKTCRAFT_F_IP_TOT_LEN;
	req->ip_tot_len = 1000;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, lay.len, 40);
	KUNIT_EXPECT_EQ(test, get16(l3 + 2), 1000);
	expect_ip_csum_ok(test, l3);
	req->ip_tot_len = 0;		/* literal 0 */
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + 2), 0);
	req->ip_tot_len = 0xffff;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + 2), 0xffff);
	expect_ip_csum_ok(test, l3);
}

static void lit_ihl(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->flags = PKTCRAFT_F_IP_IHL;
	req->ip_ihl = 15;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, lay.ip_hlen, IPH);	/* the real size */
	KUNIT_EXPECT_EQ(test, l3[0], 0x4f);
	/* The checksum covers the real header, not what IHL claims. */
	KUNIT_EXPECT_EQ(test, rfc1071_csum(l3, IPH), 0);
	req->ip_ihl = 0;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, l3[0], 0x40);
	req->ip_ihl = 3;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, l3[0], 0x43);
	KUNIT_EXPECT_EQ(test, rfc1071_csum(l3, IPH), 0);
}

static void lit_tcp_doff(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->flags = PKTCRAFT_F_L4_LEN;
	req->tcp_doff = 0;		/* literal 0 */
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, l3[IPH + 12], 0x00);
	KUNIT_EXPECT_EQ(test, lay.l4_hlen, TCPH);
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_TCP);
	req->tcp_doff = 15;
	req->tcp_res = 7;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, l3[IPH + 12], 0xfe);
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_TCP);
}

static void lit_udp_len(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->flags = PKTCRAFT_F_L4_LEN;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + IPH + 4), 0);	/* literal 0 */
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_UDP);
	req->udp_len = 0xfff0;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + IPH + 4), 0xfff0);
	KUNIT_EXPECT_EQ(test, get16(l3 + 2), IPH + UDPH);
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_UDP);
}

static const u16 ip_csum_vals[] = { 0x0000, 0x0001, 0xdead, 0xffff };

KUNIT_ARRAY_PARAM(ip_csum, ip_csum_vals, u16_desc);

/* A forced IPv4 checksum is stored as given; the L4 one stays right. */
static void force_ip_csum(struct kunit *test)
{
	const u16 *v = test->param_value;
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->flags = PKTCRAFT_F_IP_CSUM;
	req->ip_csum = *v;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + 10), *v);
	expect_l4_csum_ok(test, l3, &lay, PKTCRAFT_L4_TCP);
}

/* The right checksum plus one, forced: still stored, and wrong. */
static void force_ip_csum_off_by_one(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	u16 good;
	u8 *l3;

	l3 = build(test, req, &lay);
	good = get16(l3 + 10);
	req->flags = PKTCRAFT_F_IP_CSUM;
	req->ip_csum = good + 1;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + 10), (u16)(good + 1));
	KUNIT_EXPECT_NE(test, rfc1071_csum(l3, IPH), 0);
}

static const u8 l4_kinds[] = {
	PKTCRAFT_L4_TCP, PKTCRAFT_L4_UDP, PKTCRAFT_L4_ICMP,
};

static void l4_desc(const u8 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", l4_name(*v));
}

KUNIT_ARRAY_PARAM(l4_kind, l4_kinds, l4_desc);

/* A forced layer 4 checksum is stored as given; the IPv4 one stays right. */
static void force_l4_csum(struct kunit *test)
{
	const u8 *l4 = test->param_value;
	struct pktcraft_req *req = new_req(test, *l4);
	struct pktcraft_layout lay;
	unsigned int off = l4_csum_off(*l4);
	u16 good;
	u8 *l3;

	l3 = build(test, req, &lay);
	good = get16(l3 + IPH + off);
	req->flags = PKTCRAFT_F_L4_CSUM;
	req->l4_csum = good ^ 0x0100;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + IPH + off), good ^ 0x0100);
	expect_ip_csum_ok(test, l3);
	req->l4_csum = 0x1234;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + IPH + off), 0x1234);
}

/* A forced UDP checksum of 0 means "no checksum": not turned into ffff. */
static void force_udp_csum_zero(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->flags = PKTCRAFT_F_L4_CSUM;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + IPH + 6), 0);
	expect_ip_csum_ok(test, l3);
}

static void force_both_csums(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_ICMP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->flags = PKTCRAFT_F_IP_CSUM | PKTCRAFT_F_L4_CSUM;
	req->ip_csum = 0xabcd;
	req->l4_csum = 0xef01;
	l3 = build(test, req, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + 10), 0xabcd);
	KUNIT_EXPECT_EQ(test, get16(l3 + IPH + 2), 0xef01);
}

static struct kunit_case pktcraft_fill_cases[] = {
	KUNIT_CASE(fill_tot_len),
	KUNIT_CASE(fill_saddr_fallback),
	KUNIT_CASE(fill_saddr_given),
	KUNIT_CASE(fill_version),
	KUNIT_CASE(fill_ihl_doff_from_options),
	KUNIT_CASE(fill_udp_len),
	KUNIT_CASE(fill_ip_id_left_zero),
	KUNIT_CASE(lit_saddr_zero),
	KUNIT_CASE(lit_tot_len),
	KUNIT_CASE(lit_ihl),
	KUNIT_CASE(lit_tcp_doff),
	KUNIT_CASE(lit_udp_len),
	KUNIT_CASE_PARAM(force_ip_csum, ip_csum_gen_params),
	KUNIT_CASE(force_ip_csum_off_by_one),
	KUNIT_CASE_PARAM(force_l4_csum, l4_kind_gen_params),
	KUNIT_CASE(force_udp_csum_zero),
	KUNIT_CASE(force_both_csums),
	{}
};

static struct kunit_suite pktcraft_fill_suite = {
	.name = "pktcraft_fill",
	.test_cases = pktcraft_fill_cases,
};

/* -------------------------------------------------- validation suite */

static const u8 all_kinds[] = {
	PKTCRAFT_L4_TCP, PKTCRAFT_L4_UDP, PKTCRAFT_L4_ICMP, PKTCRAFT_L4_RAW,
};

KUNIT_ARRAY_PARAM(all_kind, all_kinds, l4_desc);

static void check_minimal_valid(struct kunit *test)
{
	static const u16 hlen[] = { TCPH, UDPH, ICMPH, 0 };
	static const u8 proto[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP, 253 };
	const u8 *l4 = test->param_value;
	struct pktcraft_req *req = new_req(test, *l4);
	struct pktcraft_layout lay;

	memset(&lay, 0xcc, sizeof(lay));
	KUNIT_ASSERT_EQ(test, pktcraft_req_check(req, NULL, &lay), 0);
	KUNIT_EXPECT_EQ(test, lay.ip_hlen, IPH);
	KUNIT_EXPECT_EQ(test, lay.l4_hlen, hlen[*l4]);
	KUNIT_EXPECT_EQ(test, lay.len, IPH + hlen[*l4]);
	KUNIT_EXPECT_EQ(test, lay.protocol, proto[*l4]);
}

static const u8 flag_bits[] = {
	7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
	25, 26, 27, 28, 29, 30, 31,
};

static void bit_desc(const u8 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "bit %u", *v);
}

KUNIT_ARRAY_PARAM(flag_bit, flag_bits, bit_desc);

static void check_unknown_flag_bit(struct kunit *test)
{
	const u8 *bit = test->param_value;
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);

	req->flags = 1U << *bit;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->flags |= PKTCRAFT_F_IP_ID;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
}

static void check_all_flags_valid(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);

	req->flags = PKTCRAFT_F_ALL & ~PKTCRAFT_F_IP6_NEXTHDR;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);
	req->flags = PKTCRAFT_F_ALL;		/* IPv6's next header */
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	KUNIT_EXPECT_EQ(test, PKTCRAFT_F_ALL, 0xffU);
}

static void check_reserved0(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);

	req->reserved0 = 1;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->reserved0 = 0x80;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
}

static void check_reserved1(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);

	req->reserved1 = 1;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
}

static void check_reserved2(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_ICMP);

	req->reserved2 = 1;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->reserved2 = 0x80000000;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
}

static void check_ihl_below_5(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	u8 ihl;

	for (ihl = 1; ihl < 5; ihl++) {
		req->ip_ihl = ihl;
		KUNIT_EXPECT_EQ_MSG(test, check_req(req), -EINVAL, "ihl %u",
				    ihl);
	}
}

static void check_ihl_above_15(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);

	req->ip_ihl = 16;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->ip_ihl = 255;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	/* Not even forced. */
	req->flags = PKTCRAFT_F_IP_IHL;
	req->ip_ihl = 16;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
}

static void check_doff_below_5(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	u8 doff;

	for (doff = 1; doff < 5; doff++) {
		req->tcp_doff = doff;
		KUNIT_EXPECT_EQ_MSG(test, check_req(req), -EINVAL, "doff %u",
				    doff);
	}
}

static void check_doff_above_15(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);

	req->tcp_doff = 16;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->flags = PKTCRAFT_F_L4_LEN;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
}

static void check_ip_optlen_over_40(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);

	req->ip_optlen = PKTCRAFT_MAX_OPTLEN + 1;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->ip_optlen = 255;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->ip_optlen = PKTCRAFT_MAX_OPTLEN;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);
}

static void check_tcp_optlen_over_40(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);

	req->tcp_optlen = PKTCRAFT_MAX_OPTLEN + 1;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->tcp_optlen = 255;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->tcp_optlen = PKTCRAFT_MAX_OPTLEN;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);
}

static void check_tot_len_mismatch(struct kunit *test)
{
	static const u8 pl[10];
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);

	set_payload(req, pl, sizeof(pl));
	req->ip_optlen = 1;			/* real length 24 + 20 + 10 */
	req->ip_tot_len = 54;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);
	req->ip_tot_len = 50;			/* options forgotten */
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->ip_tot_len = 44;			/* payload forgotten */
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->ip_tot_len = 55;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
}

/*
 * Into the IP stack (PKTCRAFT_INJECT_IP), a forced IPv4 IHL must lie within
 * 5 words and the packet, a forced total length be the packet's (as
 * raw_send_hdrinc() holds IP_HDRINCL to); below the stack
 * pktcraft_req_check() lets both lie, and pktcraft_prepare() then refuses
 * such an IHL unless the admin allowed it (pktcraft_ip4_ihl_ok()).
 */
static void check_inject_ip_lengths(struct kunit *test)
{
	static const u8 pl[9];
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	u8 ihl;

	set_payload(req, pl, sizeof(pl));	/* 20 + 8 + 9 = 37 bytes */
	req->flags = PKTCRAFT_F_IP_IHL;
	for (ihl = 0; ihl <= 15; ihl++) {
		req->ip_ihl = ihl;
		req->inject = PKTCRAFT_INJECT_QUEUE;
		KUNIT_EXPECT_EQ_MSG(test, check_req(req), 0, "queue, ihl %u", ihl);
		req->inject = PKTCRAFT_INJECT_IP;
		KUNIT_EXPECT_EQ_MSG(test, check_req(req),
				    ihl >= 5 && ihl * 4 <= 37 ? 0 : -EINVAL,
				    "ip, ihl %u", ihl);
	}
	req->flags = PKTCRAFT_F_IP_TOT_LEN;
	req->ip_ihl = 0;
	req->ip_tot_len = 37;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);
	req->ip_tot_len = 36;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->ip_tot_len = 0;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->inject = PKTCRAFT_INJECT_DRIVER;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);
	/* IPv6's payload length is left as IP_HDRINCL leaves it. */
}

/*
 * Sent anywhere, a forced IHL below 5 or past the packet is refused as an
 * IP_HDRINCL socket's (pktcraft_ip4_ihl_ok()), for the admin too while
 * the module parameter ip4_ihl_lies is off (its default); IPv6 and an IHL
 * not forced are not its business.
 */
static void check_ihl_rule(struct kunit *test)
{
	static const u8 pl[9];
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	u8 ihl;

	set_payload(req, pl, sizeof(pl));	/* 20 + 8 + 9 = 37 bytes */
	req->flags = PKTCRAFT_F_IP_IHL;
	for (ihl = 0; ihl <= 15; ihl++) {
		bool ok = ihl >= 5 && ihl * 4 <= 37;

		req->ip_ihl = ihl;
		KUNIT_ASSERT_EQ(test, pktcraft_req_check(req, NULL, &lay), 0);
		KUNIT_EXPECT_EQ(test, lay.len, 37U);
		KUNIT_EXPECT_EQ_MSG(test, pktcraft_ip4_ihl_ok(req, &lay, false),
				    ok, "a container, ihl %u", ihl);
		KUNIT_EXPECT_EQ_MSG(test, pktcraft_ip4_ihl_ok(req, &lay, true),
				    ok, "the admin, ip4_ihl_lies off, ihl %u", ihl);
	}
	req->flags = 0;
	req->ip_ihl = 0;
	KUNIT_ASSERT_EQ(test, pktcraft_req_check(req, NULL, &lay), 0);
	KUNIT_EXPECT_TRUE(test, pktcraft_ip4_ihl_ok(req, &lay, false));
	lay.ipv6 = true;
	req->flags = PKTCRAFT_F_IP_IHL;
	req->ip_ihl = 15;
	KUNIT_EXPECT_TRUE(test, pktcraft_ip4_ihl_ok(req, &lay, false));
}

static void check_ihl_mismatch(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);

	req->ip_optlen = 4;
	req->ip_ihl = 5;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->ip_ihl = 7;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->ip_ihl = 6;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);
	req->ip_optlen = 0;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
}

static void check_doff_mismatch(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);

	req->tcp_optlen = 5;		/* 8 bytes padded: doff 7 */
	req->tcp_doff = 6;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->tcp_doff = 7;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);
	req->tcp_optlen = 0;
	req->tcp_doff = 6;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
}

static void check_udp_len_mismatch(struct kunit *test)
{
	static const u8 pl[4];
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);

	set_payload(req, pl, sizeof(pl));
	req->udp_len = UDPH + 4;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);
	req->udp_len = UDPH;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->udp_len = IPH + UDPH + 4;	/* the IPv4 length instead */
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
}

static void check_tcp_flags_bit9(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);

	req->tcp_flags = 0x200;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->tcp_flags = 0xffff;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->tcp_flags = PKTCRAFT_TCP_FLAGS_ALL;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);
}

static void check_tcp_res_8(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);

	req->tcp_res = 8;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->tcp_res = 7;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);
}

static void check_ip_version_16(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);

	req->ip_version = 16;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->ip_version = 15;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);
}

static void check_unknown_l4(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);

	req->sport = 0;
	req->dport = 0;
	req->l4 = PKTCRAFT_L4_RAW + 1;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->l4 = 255;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
}

static void check_protocol_mismatch(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);

	req->ip_protocol = IPPROTO_UDP;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->ip_protocol = IPPROTO_TCP;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);

	req = new_req(test, PKTCRAFT_L4_UDP);
	req->ip_protocol = IPPROTO_TCP;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->ip_protocol = IPPROTO_UDP;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);

	req = new_req(test, PKTCRAFT_L4_ICMP);
	req->ip_protocol = IPPROTO_ICMPV6;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->ip_protocol = IPPROTO_ICMP;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);
}

/* A field of one layer 4 kind set in a request of another kind. */
struct foreign_field {
	const char *name;
	u8 l4;
	u16 off;
	u8 size;
};

#define FOREIGN(kind, field) {						\
	.name = #field " in " #kind,					\
	.l4 = PKTCRAFT_L4_##kind,					\
	.off = offsetof(struct pktcraft_req, field),			\
	.size = sizeof_field(struct pktcraft_req, field),		\
}

static const struct foreign_field foreign_fields[] = {
	FOREIGN(UDP, tcp_seq), FOREIGN(UDP, tcp_ack), FOREIGN(UDP, tcp_flags),
	FOREIGN(UDP, tcp_win), FOREIGN(UDP, tcp_urg), FOREIGN(UDP, tcp_doff),
	FOREIGN(UDP, tcp_res), FOREIGN(UDP, tcp_optlen),
	FOREIGN(ICMP, tcp_seq), FOREIGN(ICMP, tcp_ack),
	FOREIGN(ICMP, tcp_flags), FOREIGN(ICMP, tcp_win),
	FOREIGN(ICMP, tcp_urg), FOREIGN(ICMP, tcp_doff),
	FOREIGN(ICMP, tcp_res), FOREIGN(ICMP, tcp_optlen),
	FOREIGN(RAW, tcp_seq), FOREIGN(RAW, tcp_flags), FOREIGN(RAW, tcp_doff),
	FOREIGN(RAW, tcp_optlen),
	FOREIGN(TCP, udp_len), FOREIGN(ICMP, udp_len), FOREIGN(RAW, udp_len),
	FOREIGN(TCP, icmp_type), FOREIGN(TCP, icmp_code),
	FOREIGN(TCP, icmp_id), FOREIGN(TCP, icmp_seq),
	FOREIGN(UDP, icmp_type), FOREIGN(UDP, icmp_code),
	FOREIGN(UDP, icmp_id), FOREIGN(UDP, icmp_seq),
	FOREIGN(RAW, icmp_type), FOREIGN(RAW, icmp_seq),
	FOREIGN(ICMP, sport), FOREIGN(ICMP, dport),
	FOREIGN(RAW, sport), FOREIGN(RAW, dport),
};

static void foreign_desc(const struct foreign_field *f, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", f->name);
}

KUNIT_ARRAY_PARAM(foreign, foreign_fields, foreign_desc);

static void check_foreign_field(struct kunit *test)
{
	const struct foreign_field *f = test->param_value;
	struct pktcraft_req *req = new_req(test, f->l4);
	u8 *field = (u8 *)req + f->off;

	KUNIT_ASSERT_EQ(test, check_req(req), 0);
	switch (f->size) {
	case 1:
		*field = 1;
		break;
	case 2:
		*(u16 *)field = 1;
		break;
	case 4:
		*(u32 *)field = 1;
		break;
	}
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
}

static void check_ports_with_icmp(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_ICMP);

	req->sport = 1;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->sport = 0;
	req->dport = 0xffff;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->dport = 0;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);
}

/* Layer 4 length/checksum flags need a layer 4 header that has them. */
static void check_l4_flags_kind(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_ICMP);

	req->flags = PKTCRAFT_F_L4_LEN;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->flags = PKTCRAFT_F_L4_CSUM;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);

	req = new_req(test, PKTCRAFT_L4_RAW);
	req->flags = PKTCRAFT_F_L4_LEN;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->flags = PKTCRAFT_F_L4_CSUM;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->flags = PKTCRAFT_F_IP_CSUM | PKTCRAFT_F_IP_ID;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);
}

static void check_ip_csum_without_flag(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);

	req->ip_csum = 0x1234;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->flags = PKTCRAFT_F_L4_CSUM;	/* the wrong one */
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->flags = PKTCRAFT_F_IP_CSUM;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);
}

static void check_l4_csum_without_flag(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);

	req->l4_csum = 0x1234;
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->flags = PKTCRAFT_F_IP_CSUM;	/* the wrong one */
	KUNIT_EXPECT_EQ(test, check_req(req), -EINVAL);
	req->flags = PKTCRAFT_F_L4_CSUM;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);
}

static void check_payload_null(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);

	req->payload_len = 1;
	KUNIT_EXPECT_EQ(test, check_req(req), -EFAULT);
	/* A pointer without a length is fine: nothing is read. */
	req->payload_len = 0;
	req->payload = 0x1000;
	KUNIT_EXPECT_EQ(test, check_req(req), 0);
}

static void check_payload_oversize(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);

	req->payload = 0x1000;
	req->payload_len = 0xffff - IPH - TCPH + 1;
	KUNIT_EXPECT_EQ(test, check_req(req), -EMSGSIZE);
	req->payload_len = 0x10000;
	KUNIT_EXPECT_EQ(test, check_req(req), -EMSGSIZE);
	req->payload_len = 0xffffffff;
	KUNIT_EXPECT_EQ(test, check_req(req), -EMSGSIZE);
	/* Options count too. */
	req->payload_len = 0xffff - IPH - TCPH;
	req->ip_optlen = 1;
	KUNIT_EXPECT_EQ(test, check_req(req), -EMSGSIZE);
}

static void check_payload_max(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_layout lay;

	req->payload = 0x1000;
	req->payload_len = 0xffff - IPH - TCPH;
	KUNIT_EXPECT_EQ(test, pktcraft_req_check(req, NULL, &lay), 0);
	KUNIT_EXPECT_EQ(test, lay.len, 0xffff);
	req->ip_tot_len = 0xffff;
	KUNIT_EXPECT_EQ(test, pktcraft_req_check(req, NULL, &lay), 0);
}

/* Lies are accepted when their flag says so. */
static void check_forced_accepted(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_layout lay;

	req->flags = PKTCRAFT_F_ALL & ~PKTCRAFT_F_IP6_NEXTHDR;
	req->ip_tot_len = 7;
	req->ip_ihl = 1;
	req->tcp_doff = 2;
	req->ip_csum = 0xbad;
	req->l4_csum = 0xbad;
	req->ip_saddr = 0;
	KUNIT_EXPECT_EQ(test, pktcraft_req_check(req, NULL, &lay), 0);
	KUNIT_EXPECT_EQ(test, lay.len, IPH + TCPH);

	req = new_req(test, PKTCRAFT_L4_UDP);
	req->flags = PKTCRAFT_F_L4_LEN | PKTCRAFT_F_IP_TOT_LEN;
	req->udp_len = 3;
	req->ip_tot_len = 0xffff;
	KUNIT_EXPECT_EQ(test, pktcraft_req_check(req, NULL, &lay), 0);
	KUNIT_EXPECT_EQ(test, lay.len, IPH + UDPH);
}

/*
 * pktcraft_all_zero(), which the checks use for their ranges of fields: for
 * every length up to 72 at every alignment, true for zeros whatever lies
 * around them, false for one set bit anywhere inside.
 */
static void check_all_zero_every_byte(struct kunit *test)
{
	u8 buf[96];
	size_t n, off, k;

	for (n = 0; n <= 72; n++) {
		for (off = 0; off < 8; off++) {
			memset(buf, 0xff, sizeof(buf));
			memset(buf + off, 0, n);
			KUNIT_EXPECT_TRUE_MSG(test,
					      pktcraft_all_zero(buf + off, n),
					      "n %zu at offset %zu", n, off);
			for (k = 0; k < n; k++) {
				bool zero;

				buf[off + k] = 0x80 >> (k % 8);
				zero = pktcraft_all_zero(buf + off, n);
				KUNIT_EXPECT_FALSE_MSG(test, zero,
						       "n %zu at offset %zu, byte %zu set",
						       n, off, k);
				buf[off + k] = 0;
			}
		}
	}
}

static struct kunit_case pktcraft_check_cases[] = {
	KUNIT_CASE_PARAM(check_minimal_valid, all_kind_gen_params),
	KUNIT_CASE_PARAM(check_unknown_flag_bit, flag_bit_gen_params),
	KUNIT_CASE(check_all_flags_valid),
	KUNIT_CASE(check_reserved0),
	KUNIT_CASE(check_reserved1),
	KUNIT_CASE(check_reserved2),
	KUNIT_CASE(check_ihl_below_5),
	KUNIT_CASE(check_ihl_above_15),
	KUNIT_CASE(check_doff_below_5),
	KUNIT_CASE(check_doff_above_15),
	KUNIT_CASE(check_ip_optlen_over_40),
	KUNIT_CASE(check_tcp_optlen_over_40),
	KUNIT_CASE(check_tot_len_mismatch),
	KUNIT_CASE(check_inject_ip_lengths),
	KUNIT_CASE(check_ihl_rule),
	KUNIT_CASE(check_ihl_mismatch),
	KUNIT_CASE(check_doff_mismatch),
	KUNIT_CASE(check_udp_len_mismatch),
	KUNIT_CASE(check_tcp_flags_bit9),
	KUNIT_CASE(check_tcp_res_8),
	KUNIT_CASE(check_ip_version_16),
	KUNIT_CASE(check_unknown_l4),
	KUNIT_CASE(check_protocol_mismatch),
	KUNIT_CASE_PARAM(check_foreign_field, foreign_gen_params),
	KUNIT_CASE(check_ports_with_icmp),
	KUNIT_CASE(check_l4_flags_kind),
	KUNIT_CASE(check_ip_csum_without_flag),
	KUNIT_CASE(check_l4_csum_without_flag),
	KUNIT_CASE(check_payload_null),
	KUNIT_CASE(check_payload_oversize),
	KUNIT_CASE(check_payload_max),
	KUNIT_CASE(check_forced_accepted),
	KUNIT_CASE(check_all_zero_every_byte),
	{}
};

static struct kunit_suite pktcraft_check_suite = {
	.name = "pktcraft_check",
	.test_cases = pktcraft_check_cases,
};

/* ------------------------------------------------ borrowed user memory */

/*
 * One page of user memory in the address space of the insmod that loads
 * this module, followed by an unmapped page (a hole that faults).
 */
static struct {
	struct mm_struct *mm;
	unsigned long addr;
} test_user;

static int user_suite_init(struct kunit_suite *suite)
{
	unsigned long addr;

	if (test_user.mm || !current->mm || current->flags & PF_KTHREAD)
		return 0;
	addr = vm_mmap(NULL, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(addr))
		return addr;
	if (vm_munmap(addr + PAGE_SIZE, PAGE_SIZE)) {
		vm_munmap(addr, 2 * PAGE_SIZE);
		return -ENOMEM;
	}
	mmget(current->mm);
	test_user.mm = current->mm;
	test_user.addr = addr;
	return 0;
}

static void user_suite_exit(struct kunit_suite *suite)
{
	if (!test_user.mm)
		return;
	if (current->mm == test_user.mm)
		vm_munmap(test_user.addr, PAGE_SIZE);
	mmput(test_user.mm);
	test_user.mm = NULL;
}

/*
 * Attach the case's kthread to the borrowed address space and return the
 * page, zeroed. No KUNIT_ASSERT until user_detach(): an aborted case must
 * not exit with the mm attached. The extra mm_users reference keeps even
 * that balanced.
 */
static u8 __user *user_attach(struct kunit *test)
{
	u8 __user *page;

	if (!test_user.mm)
		kunit_skip(test, "no user address space to borrow");
	mmget(test_user.mm);
	kthread_use_mm(test_user.mm);
	page = (u8 __user *)test_user.addr;
	KUNIT_EXPECT_EQ(test, clear_user(page, PAGE_SIZE), 0);
	return page;
}

static void user_detach(void)
{
	kthread_unuse_mm(test_user.mm);
	mmput(test_user.mm);
}

/* ------------------------------------------------ request copy suite */

struct size_case {
	u32 usize;
	int err;
};

static const struct size_case size_cases[] = {
	{ 0, -EINVAL }, { 4, -EINVAL }, { PKTCRAFT_REQ_SIZE_VER0 - 1, -EINVAL },
	{ PKTCRAFT_REQ_SIZE_VER0, 0 }, { PKTCRAFT_REQ_SIZE_VER0 + 1, 0 },
	{ PKTCRAFT_REQ_SIZE_VER1, 0 }, { PKTCRAFT_REQ_SIZE_VER1 + 1, 0 },
	{ PAGE_SIZE, 0 }, { PAGE_SIZE + 1, -E2BIG }, { 0x80000000, -E2BIG },
	{ U32_MAX, -E2BIG },
};

static void size_desc(const struct size_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "size %u", c->usize);
}

KUNIT_ARRAY_PARAM(size, size_cases, size_desc);

static void size_check(struct kunit *test)
{
	const struct size_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, pktcraft_req_size_check(c->usize), c->err);
}

/* Write @len bytes of @src at @off in the page, return the user address. */
static void __user *user_put(struct kunit *test, u8 __user *page,
			     unsigned int off, const void *src, size_t len)
{
	KUNIT_EXPECT_EQ(test, copy_to_user(page + off, src, len), 0);
	return page + off;
}

static void user_put_size(struct kunit *test, void __user *ureq, u32 usize)
{
	KUNIT_EXPECT_EQ(test, put_user(usize, (u32 __user *)ureq), 0);
}

static void from_user_too_small(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_req *out = new_req(test, PKTCRAFT_L4_TCP);
	void __user *ureq;
	u8 __user *page;
	int err0, err79;

	page = user_attach(test);
	ureq = user_put(test, page, 0, req, sizeof(*req));
	user_put_size(test, ureq, 0);
	err0 = pktcraft_req_from_user(out, ureq, PAGE_SIZE, NULL);
	user_put_size(test, ureq, PKTCRAFT_REQ_SIZE_VER0 - 1);
	err79 = pktcraft_req_from_user(out, ureq, PAGE_SIZE, NULL);
	user_detach();
	KUNIT_EXPECT_EQ(test, err0, -EINVAL);
	KUNIT_EXPECT_EQ(test, err79, -EINVAL);
}

static void from_user_over_page(struct kunit *test)
{
	struct pktcraft_req *out = new_req(test, PKTCRAFT_L4_TCP);
	u8 __user *page;
	int err1, err2;

	page = user_attach(test);
	user_put_size(test, page, PAGE_SIZE + 1);
	err1 = pktcraft_req_from_user(out, (void __user *)page, PAGE_SIZE, NULL);
	user_put_size(test, page, U32_MAX);
	err2 = pktcraft_req_from_user(out, (void __user *)page, PAGE_SIZE, NULL);
	user_detach();
	KUNIT_EXPECT_EQ(test, err1, -E2BIG);
	KUNIT_EXPECT_EQ(test, err2, -E2BIG);
}

/* A newer struct: unknown bytes must be zero, wherever they are. */
static void from_user_tail_nonzero(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_req *out = new_req(test, PKTCRAFT_L4_TCP);
	static const u8 one = 1;
	void __user *ureq;
	u8 __user *page;
	int first, last, whole;

	req->size = KSIZE + 24;
	page = user_attach(test);
	ureq = user_put(test, page, 0, req, sizeof(*req));
	user_put(test, page, KSIZE, &one, 1);
	first = pktcraft_req_from_user(out, ureq, PAGE_SIZE, NULL);
	KUNIT_EXPECT_EQ(test, clear_user(page + KSIZE, 1), 0);
	user_put(test, page, KSIZE + 23, &one, 1);
	last = pktcraft_req_from_user(out, ureq, PAGE_SIZE, NULL);
	/* A whole page, only its last byte set. */
	KUNIT_EXPECT_EQ(test, clear_user(page + KSIZE + 23, 1),
			0);
	user_put_size(test, ureq, PAGE_SIZE);
	user_put(test, page, PAGE_SIZE - 1, &one, 1);
	whole = pktcraft_req_from_user(out, ureq, PAGE_SIZE, NULL);
	user_detach();
	KUNIT_EXPECT_EQ(test, first, -E2BIG);
	KUNIT_EXPECT_EQ(test, last, -E2BIG);
	KUNIT_EXPECT_EQ(test, whole, -E2BIG);
}

static void from_user_tail_zero(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_req *out = kunit_kmalloc(test, sizeof(*out),
						 GFP_KERNEL);
	u32 declared = 0, declared_page = 0;
	void __user *ureq;
	u8 __user *page;
	int err, err_page, err_limit;

	KUNIT_ASSERT_NOT_NULL(test, out);
	req->size = KSIZE + 100;
	req->udp_len = UDPH;
	page = user_attach(test);
	ureq = user_put(test, page, 0, req, sizeof(*req));
	err = pktcraft_req_from_user(out, ureq, PAGE_SIZE, &declared);
	user_put_size(test, ureq, PAGE_SIZE);
	err_page = pktcraft_req_from_user(out, ureq, PAGE_SIZE, &declared_page);
	/* A batch's stride limits it: refused before a byte past it is read. */
	err_limit = pktcraft_req_from_user(out, ureq, KSIZE, NULL);
	user_detach();
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, err_page, 0);
	KUNIT_EXPECT_EQ(test, err_limit, -EINVAL);
	/* What the caller declared, uncapped (pktcraft:request's size). */
	KUNIT_EXPECT_EQ(test, declared, KSIZE + 100);
	KUNIT_EXPECT_EQ(test, declared_page, PAGE_SIZE);
	/* The kernel's copy says what the kernel knows. */
	KUNIT_EXPECT_EQ(test, out->size, KSIZE);
	req->size = KSIZE;
	KUNIT_EXPECT_EQ(test, memcmp(out, req, sizeof(*req)), 0);
	KUNIT_EXPECT_EQ(test, check_req(out), 0);
}

/*
 * An older struct of @usize bytes: what it has is copied, the newer fields
 * read as 0 whatever follows it in user memory, and the kernel's copy keeps
 * the caller's size.
 */
static void expect_older_copied(struct kunit *test, struct pktcraft_req *req,
				u32 usize)
{
	struct pktcraft_req *out = kunit_kmalloc(test, sizeof(*out),
						 GFP_KERNEL);
	u8 *junk = kunit_kmalloc(test, KSIZE, GFP_KERNEL);
	void __user *ureq;
	u8 __user *page;
	unsigned int i, nonzero = 0;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_NOT_NULL(test, junk);
	KUNIT_ASSERT_LE(test, usize, KSIZE);
	memset(junk, 0xaa, KSIZE);
	memset(out, 0x55, sizeof(*out));
	req->size = usize;
	page = user_attach(test);
	ureq = user_put(test, page, 0, req, usize);
	user_put(test, page, usize, junk, KSIZE - usize);
	err = pktcraft_req_from_user(out, ureq, PAGE_SIZE, NULL);
	user_detach();
	KUNIT_ASSERT_EQ(test, err, 0);
	/* What the caller owns, for the write-back of a burst's results. */
	KUNIT_EXPECT_EQ(test, out->size, usize);
	KUNIT_EXPECT_EQ(test, memcmp((u8 *)out + 4, (u8 *)req + 4, usize - 4),
			0);
	for (i = usize; i < sizeof(*out); i++)
		nonzero += ((u8 *)out)[i] != 0;
	KUNIT_EXPECT_EQ_MSG(test, nonzero, 0, "newer fields not zeroed");
	KUNIT_EXPECT_EQ(test, check_req(out), 0);
}

/* Version 0 (80 bytes): l4 and everything after it read as 0 (TCP). */
static void from_user_ver0(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);

	req->tcp_seq = 0x11223344;
	expect_older_copied(test, req, PKTCRAFT_REQ_SIZE_VER0);
}

/* Version 1 (176 bytes), the same for what came after it. */
static void from_user_ver1(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);

	req->ip_optlen = 4;
	memset(req->ip_opts, 0x01, 4);
	expect_older_copied(test, req, PKTCRAFT_REQ_SIZE_VER1);
}

/* The kernel's own size: copied as it is. */
static void from_user_exact(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_ICMP);
	struct pktcraft_req *out = kunit_kzalloc(test, sizeof(*out),
						 GFP_KERNEL);
	void __user *ureq;
	u8 __user *page;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, out);
	req->icmp_id = 0x4242;
	req->ip_optlen = 3;
	memset(req->ip_opts, 0x01, 3);
	page = user_attach(test);
	/* At an odd address, the struct's alignment is not required. */
	ureq = user_put(test, page, 1001, req, sizeof(*req));
	err = pktcraft_req_from_user(out, ureq, PAGE_SIZE, NULL);
	user_detach();
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, memcmp(out, req, sizeof(*req)), 0);
}

static void from_user_fault(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_req *out = new_req(test, PKTCRAFT_L4_TCP);
	void __user *ureq;
	u8 __user *page;
	int hole, cross, tail;

	page = user_attach(test);
	/* The size itself is unreadable. */
	hole = pktcraft_req_from_user(out, (void __user *)(page + PAGE_SIZE), PAGE_SIZE, NULL);
	/* The size is readable, the struct runs into the hole. */
	ureq = user_put(test, page, PAGE_SIZE - 8, req, 8);
	cross = pktcraft_req_from_user(out, ureq, PAGE_SIZE, NULL);
	/* A newer struct whose unknown tail runs into the hole. */
	req->size = KSIZE + 64;
	ureq = user_put(test, page, PAGE_SIZE - KSIZE - 4,
			req, sizeof(*req));
	tail = pktcraft_req_from_user(out, ureq, PAGE_SIZE, NULL);
	user_detach();
	KUNIT_EXPECT_EQ(test, hole, -EFAULT);
	KUNIT_EXPECT_EQ(test, cross, -EFAULT);
	KUNIT_EXPECT_EQ(test, tail, -EFAULT);
}

static struct kunit_case pktcraft_user_cases[] = {
	KUNIT_CASE_PARAM(size_check, size_gen_params),
	KUNIT_CASE(from_user_too_small),
	KUNIT_CASE(from_user_over_page),
	KUNIT_CASE(from_user_tail_nonzero),
	KUNIT_CASE(from_user_tail_zero),
	KUNIT_CASE(from_user_ver0),
	KUNIT_CASE(from_user_ver1),
	KUNIT_CASE(from_user_exact),
	KUNIT_CASE(from_user_fault),
	{}
};

static struct kunit_suite pktcraft_user_suite = {
	.name = "pktcraft_user",
	.suite_init = user_suite_init,
	.suite_exit = user_suite_exit,
	.test_cases = pktcraft_user_cases,
};

/* ------------------------------------------ complete frames on lo */

/*
 * pktcraft_build_data() and pktcraft_build_finish() through the loopback
 * device of init_net, as pktcraft_prepare() calls them: the user memory
 * first, the device after.
 */
static struct sk_buff *build_lo_link(const struct pktcraft_req *req,
				     const struct pktcraft_layout *lay,
				     enum pktcraft_link link)
{
	struct pktcraft_egress eg = { .link = link };
	struct sk_buff *skb;
	int err;

	skb = pktcraft_build_data(req, lay, NULL, NULL);
	if (IS_ERR(skb))
		return skb;
	eg.dev = init_net.loopback_dev;
	netdev_hold(eg.dev, &eg.dev_tracker, GFP_KERNEL);
	memcpy(eg.dst_mac, test_dst_mac, ETH_ALEN);
	eg.saddr = htonl(FALLBACK);
	err = pktcraft_build_finish(&init_net, req, lay, &eg, skb);
	netdev_put(eg.dev, &eg.dev_tracker);
	if (err) {
		consume_skb(skb);	/* never sent: not a drop */
		return ERR_PTR(err);
	}
	return skb;
}

static struct sk_buff *build_lo(const struct pktcraft_req *req,
				const struct pktcraft_layout *lay)
{
	return build_lo_link(req, lay, PKTCRAFT_LINK_ETH);
}

/* Everything a frame must be; EXPECTs only, the caller frees the skb. */
static void expect_frame(struct kunit *test, struct sk_buff *skb,
			 const struct pktcraft_req *req,
			 const struct pktcraft_layout *lay)
{
	struct net_device *lo = init_net.loopback_dev;
	const u8 *l3 = skb->data + ETH_HLEN;
	const struct iphdr *iph;

	KUNIT_EXPECT_FALSE(test, skb_is_nonlinear(skb));
	KUNIT_EXPECT_EQ(test, skb->len, ETH_HLEN + lay->len);
	KUNIT_EXPECT_EQ(test, ntohs(skb->protocol), ETH_P_IP);
	KUNIT_EXPECT_PTR_EQ(test, skb->dev, lo);
	KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_NONE);
	KUNIT_EXPECT_PTR_EQ(test, skb_mac_header(skb), skb->data);
	KUNIT_EXPECT_EQ(test, skb_network_offset(skb), ETH_HLEN);
	KUNIT_EXPECT_EQ(test, skb_transport_offset(skb),
			ETH_HLEN + lay->ip_hlen);

	/* Ethernet: destination, source, type 0800. */
	KUNIT_EXPECT_EQ(test, memcmp(skb->data, test_dst_mac, ETH_ALEN), 0);
	if (is_zero_ether_addr(req->src_mac))
		KUNIT_EXPECT_EQ(test, memcmp(skb->data + ETH_ALEN, lo->dev_addr,
					     ETH_ALEN), 0);
	else
		KUNIT_EXPECT_EQ(test, memcmp(skb->data + ETH_ALEN, req->src_mac,
					     ETH_ALEN), 0);
	KUNIT_EXPECT_EQ(test, get16(skb->data + 12), ETH_P_IP);

	/* The checksums, with the kernel's helpers and with the oracle. */
	iph = ip_hdr(skb);
	KUNIT_EXPECT_PTR_EQ(test, (const u8 *)iph, l3);
	KUNIT_EXPECT_EQ(test, iph->ihl * 4, lay->ip_hlen);
	KUNIT_EXPECT_EQ(test, ntohs(iph->tot_len), lay->len);
	KUNIT_EXPECT_EQ(test, wire16(ip_fast_csum(iph, iph->ihl)), 0);
	expect_ip_csum_ok(test, l3);
	if (req->l4 == PKTCRAFT_L4_TCP || req->l4 == PKTCRAFT_L4_UDP) {
		unsigned int len = lay->len - lay->ip_hlen;
		__wsum sum = skb_checksum(skb, skb_transport_offset(skb), len,
					  0);

		KUNIT_EXPECT_EQ(test,
				wire16(csum_tcpudp_magic(iph->saddr, iph->daddr,
							 len, iph->protocol,
							 sum)), 0);
	}
	expect_l4_csum_ok(test, l3, lay, req->l4);
}

static void skb_tcp_loopback(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_layout lay;
	struct sk_buff *skb;

	req->tcp_optlen = 4;
	memcpy(req->tcp_opts, "\x02\x04\x05\xb4", 4);
	req->ip_saddr = 0;
	KUNIT_ASSERT_EQ(test, pktcraft_req_check(req, NULL, &lay), 0);
	skb = build_lo(req, &lay);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	expect_frame(test, skb, req, &lay);
	KUNIT_EXPECT_EQ(test, skb->len, ETH_HLEN + IPH + TCPH + 4);
	KUNIT_EXPECT_EQ(test, get32(skb->data + ETH_HLEN + 12), FALLBACK);
	KUNIT_EXPECT_EQ(test, skb->data[ETH_HLEN + IPH + 12], 0x60);
	kfree_skb(skb);
}

static void skb_icmp_loopback(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_ICMP);
	struct pktcraft_layout lay;
	struct sk_buff *skb;

	req->icmp_id = 77;
	req->icmp_seq = 1;
	KUNIT_ASSERT_EQ(test, pktcraft_req_check(req, NULL, &lay), 0);
	skb = build_lo(req, &lay);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	expect_frame(test, skb, req, &lay);
	KUNIT_EXPECT_EQ(test, skb->data[ETH_HLEN + 9], IPPROTO_ICMP);
	KUNIT_EXPECT_EQ(test, get16(skb->data + ETH_HLEN + IPH + 4), 77);
	kfree_skb(skb);
}

/*
 * The payload comes from user memory: summed while copied up to
 * PKTCRAFT_CSUM_COPY_MAX (512) bytes, copied and then summed above
 * (copy_payload()), each side of it and for each checksummed kind.
 */
struct upl_case {
	u8 l4;
	u16 len;
	u16 off;	/* in the page: the source's alignment */
	bool zero;	/* zeros, and for ICMP an all-zero header: a sum of 0 */
};

static const struct upl_case upl_cases[] = {
	{ PKTCRAFT_L4_UDP, 1, 0 }, { PKTCRAFT_L4_UDP, 22, 3 },
	{ PKTCRAFT_L4_UDP, 333, 3 }, { PKTCRAFT_L4_UDP, 511, 1 },
	{ PKTCRAFT_L4_UDP, 512, 0 }, { PKTCRAFT_L4_UDP, 513, 5 },
	{ PKTCRAFT_L4_UDP, 1472, 7 }, { PKTCRAFT_L4_UDP, 4000, 2 },
	{ PKTCRAFT_L4_TCP, 7, 1 }, { PKTCRAFT_L4_TCP, 512, 6 },
	{ PKTCRAFT_L4_TCP, 1460, 0 },
	{ PKTCRAFT_L4_ICMP, 57, 1 }, { PKTCRAFT_L4_ICMP, 1000, 3 },
	/*
	 * An ICMP echo reply of zeros, id 0, sequence 0: nothing but the
	 * checksum is not 0, and no pseudo-header, so the payload's sum must be
	 * +0 (csum_partial()'s), not the -0 a summing copy seeded with ~0 gives.
	 */
	{ PKTCRAFT_L4_ICMP, 1, 0, true }, { PKTCRAFT_L4_ICMP, 64, 2, true },
	{ PKTCRAFT_L4_ICMP, 512, 0, true }, { PKTCRAFT_L4_ICMP, 513, 1, true },
	{ PKTCRAFT_L4_UDP, 64, 0, true },
	/*
	 * Payloads that end where the page does, before the hole: not one
	 * byte may be read past them (it would fault).
	 */
	{ PKTCRAFT_L4_UDP, 1, PAGE_SIZE - 1 }, { PKTCRAFT_L4_UDP, 7, PAGE_SIZE - 7 },
	{ PKTCRAFT_L4_UDP, 57, PAGE_SIZE - 57 },
	{ PKTCRAFT_L4_TCP, 511, PAGE_SIZE - 511 },
};

static void upl_desc(const struct upl_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s, %u %sbytes at +%u",
		 c->l4 == PKTCRAFT_L4_UDP ? "udp" :
		 c->l4 == PKTCRAFT_L4_TCP ? "tcp" : "icmp", c->len,
		 c->zero ? "zero " : "", c->off);
}

KUNIT_ARRAY_PARAM(upl, upl_cases, upl_desc);

static void skb_payload_from_user(struct kunit *test)
{
	const struct upl_case *c = test->param_value;
	struct pktcraft_req *req = new_req(test, c->l4);
	u8 *pl = kunit_kmalloc(test, c->len, GFP_KERNEL);
	struct pktcraft_layout lay;
	struct sk_buff *skb;
	u8 __user *page;
	u32 x = c->len;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, pl);
	for (i = 0; i < c->len; i++) {
		x = x * 1103515245 + 12345;
		pl[i] = c->zero ? 0 : x >> 16;
	}
	if (c->zero && c->l4 == PKTCRAFT_L4_ICMP)
		req->icmp_type = ICMP_ECHOREPLY;	/* 0, as code, id, seq */
	req->payload_len = c->len;
	req->payload = 1;	/* set below, checked now */
	KUNIT_ASSERT_EQ(test, pktcraft_req_check(req, NULL, &lay), 0);
	page = user_attach(test);
	req->payload = (u64)(uintptr_t)user_put(test, page, c->off, pl, c->len);
	skb = build_lo(req, &lay);
	user_detach();
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	expect_frame(test, skb, req, &lay);
	KUNIT_EXPECT_EQ(test, skb->len, ETH_HLEN + lay.len);
	KUNIT_EXPECT_EQ(test, memcmp(skb->data + ETH_HLEN + IPH + lay.l4_hlen,
				     pl, c->len), 0);
	/* The payload's sum, left there by pktcraft_build_data(): used. */
	KUNIT_EXPECT_EQ(test, (__force u32)skb->csum, 0);
	if (c->l4 == PKTCRAFT_L4_UDP)
		KUNIT_EXPECT_EQ(test, get16(skb->data + ETH_HLEN + IPH + 4),
				UDPH + c->len);
	kfree_skb(skb);
}

/*
 * An unreadable payload, summed while copied (64 bytes) or copied then
 * summed (600): -EFAULT, and nothing leaks (kmemleak).
 */
static void skb_payload_fault(struct kunit *test)
{
	static const u16 lens[] = { 64, 600 };
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	struct sk_buff *skb;
	u8 __user *page;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		req->payload_len = lens[i];
		req->payload = 1;
		KUNIT_ASSERT_EQ(test, pktcraft_req_check(req, NULL, &lay), 0);
		page = user_attach(test);
		req->payload = (u64)(uintptr_t)(page + PAGE_SIZE - 32);
		skb = build_lo(req, &lay);
		user_detach();
		KUNIT_EXPECT_EQ_MSG(test, PTR_ERR_OR_ZERO(skb), -EFAULT,
				    "%u bytes", lens[i]);
		if (!IS_ERR_OR_NULL(skb))
			kfree_skb(skb);
	}
}

/* ID 0 left to the kernel: __ip_select_ident() fills it. */
static void skb_ip_id_filled(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	struct sk_buff *skb;
	u16 id = 0;
	int i;

	KUNIT_ASSERT_EQ(test, pktcraft_req_check(req, NULL, &lay), 0);
	for (i = 0; i < 8 && !id; i++) {	/* 0 is a legal pick too */
		skb = build_lo(req, &lay);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
		id = get16(skb->data + ETH_HLEN + 4);
		expect_frame(test, skb, req, &lay);
		kfree_skb(skb);
	}
	KUNIT_EXPECT_NE(test, id, 0);
}

static void skb_ip_id_literal_zero(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	struct sk_buff *skb;
	int i;

	req->flags = PKTCRAFT_F_IP_ID;
	KUNIT_ASSERT_EQ(test, pktcraft_req_check(req, NULL, &lay), 0);
	for (i = 0; i < 4; i++) {
		skb = build_lo(req, &lay);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
		KUNIT_EXPECT_EQ(test, get16(skb->data + ETH_HLEN + 4), 0);
		expect_frame(test, skb, req, &lay);
		kfree_skb(skb);
	}
}

static void skb_ip_id_given(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_TCP);
	struct pktcraft_layout lay;
	struct sk_buff *skb;

	req->ip_id = 0x1234;
	KUNIT_ASSERT_EQ(test, pktcraft_req_check(req, NULL, &lay), 0);
	skb = build_lo(req, &lay);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, get16(skb->data + ETH_HLEN + 4), 0x1234);
	expect_frame(test, skb, req, &lay);
	kfree_skb(skb);
}

/* A given source MAC is used instead of the device's. */
static void skb_link_header(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_RAW);
	struct pktcraft_layout lay;
	struct sk_buff *skb;

	memcpy(req->src_mac, test_src_mac, ETH_ALEN);
	KUNIT_ASSERT_EQ(test, pktcraft_req_check(req, NULL, &lay), 0);
	skb = build_lo(req, &lay);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	expect_frame(test, skb, req, &lay);
	KUNIT_EXPECT_EQ(test, memcmp(skb->data + ETH_ALEN, test_src_mac,
				     ETH_ALEN), 0);
	KUNIT_EXPECT_EQ(test, skb->len, ETH_HLEN + IPH);
	kfree_skb(skb);
}

/*
 * Nothing in front of the frame but zeros: whatever a device's header_ops
 * leave unwritten in the headroom cannot be stale heap.
 */
static void skb_headroom_zeroed(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	struct sk_buff *skb;

	KUNIT_ASSERT_EQ(test, pktcraft_req_check(req, NULL, &lay), 0);
	skb = build_lo(req, &lay);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	KUNIT_EXPECT_GT(test, skb_headroom(skb), 0U);
	KUNIT_EXPECT_NULL(test, memchr_inv(skb->head, 0, skb_headroom(skb)));
	kfree_skb(skb);
}

/* A device without a link layer gets the bare IPv4 packet. */
static void skb_no_link_header(struct kunit *test)
{
	struct pktcraft_req *req = new_req(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	struct sk_buff *skb;

	KUNIT_ASSERT_EQ(test, pktcraft_req_check(req, NULL, &lay), 0);
	skb = build_lo_link(req, &lay, PKTCRAFT_LINK_NONE);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, skb->len, (unsigned int)lay.len);
	KUNIT_EXPECT_EQ(test, skb_network_offset(skb), 0);
	KUNIT_EXPECT_PTR_EQ(test, skb_mac_header(skb), skb->data);
	KUNIT_EXPECT_EQ(test, skb->data[0], 0x45);
	KUNIT_EXPECT_EQ(test, wire16(ip_fast_csum(skb->data, 5)), 0);
	kfree_skb(skb);
}

static struct kunit_case pktcraft_skb_cases[] = {
	KUNIT_CASE(skb_headroom_zeroed),
	KUNIT_CASE(skb_no_link_header),
	KUNIT_CASE(skb_tcp_loopback),
	KUNIT_CASE(skb_icmp_loopback),
	KUNIT_CASE_PARAM(skb_payload_from_user, upl_gen_params),
	KUNIT_CASE(skb_payload_fault),
	KUNIT_CASE(skb_ip_id_filled),
	KUNIT_CASE(skb_ip_id_literal_zero),
	KUNIT_CASE(skb_ip_id_given),
	KUNIT_CASE(skb_link_header),
	{}
};

static struct kunit_suite pktcraft_skb_suite = {
	.name = "pktcraft_skb",
	.suite_init = user_suite_init,
	.suite_exit = user_suite_exit,
	.test_cases = pktcraft_skb_cases,
};

/* ------------------------------------------------------------------ IPv6 */

#define IP6H		40

/* 2001:db8::1 -> 2001:db8::7; the kernel's choice would be 2001:db8::5. */
static const u8 ip6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
static const u8 ip6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x07 };
static const u8 ip6_fallback[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x05 };
/* Routing segments: 2001:db8::a0, ::a1, ::a2. */
static const u8 ip6_segs[48] = {
	0x20, 0x01, 0x0d, 0xb8, [15] = 0xa0,
	0x20, 0x01, 0x0d, 0xb8, [31] = 0xa1,
	0x20, 0x01, 0x0d, 0xb8, [47] = 0xa2,
};

static struct pktcraft_req *req6(struct kunit *test, u8 l4)
{
	struct pktcraft_req *req = kunit_kzalloc(test, KSIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, req);
	req->size = KSIZE;
	req->family = AF_INET6;
	req->l4 = l4;
	req->ip_ttl = 64;
	memcpy(req->ip6_saddr, ip6_src, 16);
	memcpy(req->ip6_daddr, ip6_dst, 16);
	if (l4 == PKTCRAFT_L4_TCP || l4 == PKTCRAFT_L4_UDP) {
		req->sport = 40000;
		req->dport = 80;
	}
	if (l4 == PKTCRAFT_L4_TCP) {
		req->tcp_flags = PKTCRAFT_TCP_SYN;
		req->tcp_win = 64240;
		req->tcp_seq = 1;
	}
	if (l4 == PKTCRAFT_L4_ICMP)
		req->icmp_type = 128;	/* echo request */
	return req;
}

/*
 * The oracle for IPv6: RFC 8200 8.1's pseudo-header (source, destination,
 * upper-layer length as 32 bits, 3 zero bytes, next header) laid out byte
 * by byte, then the layer 4 data.
 */
static u16 oracle_l4_6(struct kunit *test, const u8 *saddr, const u8 *daddr,
		       u8 proto, const u8 *l4, size_t len)
{
	u8 *buf = kunit_kzalloc(test, 40 + len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, saddr, 16);
	memcpy(buf + 16, daddr, 16);
	buf[32] = len >> 24;
	buf[33] = len >> 16;
	buf[34] = len >> 8;
	buf[35] = len;
	buf[39] = proto;
	memcpy(buf + 40, l4, len);
	return rfc1071_csum(buf, 40 + len);
}

/*
 * Check, lay out and write an IPv6 @req with extension headers @ext (the
 * data of each copied in place here, at @data_off[i], as
 * pktcraft_ip6_copy_ext() would from userspace).
 */
static u8 *build6(struct kunit *test, const struct pktcraft_req *req,
		  const struct pktcraft_ext *ext, const u32 *data_off,
		  struct pktcraft_layout *lay)
{
	unsigned int i;
	int err;
	u8 *l3;

	err = pktcraft_req_check(req, ext, lay);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "pktcraft_req_check refused it");
	l3 = kunit_kzalloc(test, lay->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, l3);
	for (i = 0; i < req->ext_nr; i++)
		memcpy(l3 + data_off[i], (const void *)(uintptr_t)ext[i].data,
		       ext[i].len);
	if (req->payload_len)
		memcpy(l3 + lay->ip_hlen + lay->l4_hlen,
		       (const void *)(uintptr_t)req->payload,
		       req->payload_len);
	pktcraft_ip6_write(req, lay, (const struct in6_addr *)ip6_fallback, l3,
			   csum_partial(l3 + lay->ip_hlen + lay->l4_hlen,
					req->payload_len, 0));
	return l3;
}

static void ext_data(struct pktcraft_ext *e, const void *data, u32 len)
{
	e->data = (u64)(uintptr_t)data;
	e->len = len;
}

/* The fixed header: version, class, label, lengths, chain, addresses. */
static void ip6_header_fields(struct kunit *test)
{
	struct pktcraft_req *req = req6(test, PKTCRAFT_L4_TCP);
	struct pktcraft_layout lay;
	u8 *l3;

	req->ip_tos = 0xb8;
	req->ip6_flowlabel = 0xabcde;
	req->ip_ttl = 7;
	l3 = build6(test, req, NULL, NULL, &lay);
	KUNIT_EXPECT_EQ(test, lay.len, IP6H + TCPH);
	KUNIT_EXPECT_EQ(test, get32(l3), 6U << 28 | 0xb8U << 20 | 0xabcde);
	KUNIT_EXPECT_EQ(test, get16(l3 + 4), TCPH);
	KUNIT_EXPECT_EQ(test, l3[6], IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, l3[7], 7);
	KUNIT_EXPECT_EQ(test, memcmp(l3 + 8, ip6_src, 16), 0);
	KUNIT_EXPECT_EQ(test, memcmp(l3 + 24, ip6_dst, 16), 0);
	KUNIT_EXPECT_EQ(test, oracle_l4_6(test, ip6_src, ip6_dst, IPPROTO_TCP,
					  l3 + IP6H, TCPH), 0);
}

/* :: as source is the kernel's choice, unless made literal. */
static void ip6_source_filled(struct kunit *test)
{
	struct pktcraft_req *req = req6(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	u8 *l3;

	memset(req->ip6_saddr, 0, 16);
	l3 = build6(test, req, NULL, NULL, &lay);
	KUNIT_EXPECT_EQ(test, memcmp(l3 + 8, ip6_fallback, 16), 0);
	KUNIT_EXPECT_EQ(test, oracle_l4_6(test, ip6_fallback, ip6_dst,
					  IPPROTO_UDP, l3 + IP6H, UDPH), 0);
	req->flags |= PKTCRAFT_F_IP_SADDR;
	l3 = build6(test, req, NULL, NULL, &lay);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(l3 + 8, 0, 16));
}

/* ICMPv6: next header 58, checksum over the pseudo-header (unlike ICMP). */
static void ip6_icmpv6(struct kunit *test)
{
	struct pktcraft_req *req = req6(test, PKTCRAFT_L4_ICMP);
	static const u8 body[] = "ping6";
	struct pktcraft_layout lay;
	u8 *l3;

	req->icmp_id = 0x1234;
	req->icmp_seq = 9;
	req->payload = (u64)(uintptr_t)body;
	req->payload_len = sizeof(body);
	l3 = build6(test, req, NULL, NULL, &lay);
	KUNIT_EXPECT_EQ(test, l3[6], IPPROTO_ICMPV6);
	KUNIT_EXPECT_EQ(test, l3[IP6H], 128);
	KUNIT_EXPECT_EQ(test, get16(l3 + IP6H + 4), 0x1234);
	KUNIT_EXPECT_EQ(test, oracle_l4_6(test, ip6_src, ip6_dst,
					  IPPROTO_ICMPV6, l3 + IP6H,
					  ICMPH + sizeof(body)), 0);
}

/* A computed UDP checksum of 0 goes out as ffff; a forced 0 stays 0. */
static void ip6_udp_zero_csum(struct kunit *test)
{
	struct pktcraft_req *req = req6(test, PKTCRAFT_L4_UDP);
	struct pktcraft_layout lay;
	u8 *body = kunit_kzalloc(test, 2, GFP_KERNEL);
	u16 c;
	u8 *l3;

	KUNIT_ASSERT_NOT_NULL(test, body);
	req->payload = (u64)(uintptr_t)body;
	req->payload_len = 2;
	l3 = build6(test, req, NULL, NULL, &lay);
	/* A payload word equal to the checksum makes the sum all ones. */
	c = get16(l3 + IP6H + 6);
	body[0] = c >> 8;
	body[1] = c;
	l3 = build6(test, req, NULL, NULL, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + IP6H + 6), 0xffff);
	req->flags |= PKTCRAFT_F_L4_CSUM;
	l3 = build6(test, req, NULL, NULL, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + IP6H + 6), 0);
}

/*
 * Hop-by-Hop (Router Alert: 4 bytes, PadN 2), Destination Options (a 5-byte
 * TLV: Pad1), Routing type 0 with three segments left, Fragment, TCP: every
 * next header chained, every Hdr Ext Len computed, the padding written,
 * and the checksum taken to the last segment.
 */
static void ip6_ext_chain(struct kunit *test)
{
	static const u8 ra[] = { IPV6_TLV_ROUTERALERT, 2, 0, 0 };
	static const u8 tlv5[] = { 0x1e, 3, 0xaa, 0xbb, 0xcc };
	struct pktcraft_req *req = req6(test, PKTCRAFT_L4_TCP);
	struct pktcraft_ext *ext = kunit_kcalloc(test, 4, sizeof(*ext),
						 GFP_KERNEL);
	/* HBH at 40 (8), DST at 48 (8), RT at 56 (56), FRAG at 112 (8). */
	static const u32 data_off[] = { 42, 50, 64, 0 };
	struct pktcraft_layout lay;
	u8 *l3;

	KUNIT_ASSERT_NOT_NULL(test, ext);
	ext[0].type = PKTCRAFT_EXT_HBH;
	ext_data(&ext[0], ra, sizeof(ra));
	ext[1].type = PKTCRAFT_EXT_DST;
	ext_data(&ext[1], tlv5, sizeof(tlv5));
	ext[2].type = PKTCRAFT_EXT_RT;
	ext[2].segleft = 3;
	ext_data(&ext[2], ip6_segs, sizeof(ip6_segs));
	ext[3].type = PKTCRAFT_EXT_FRAG;
	ext[3].frag_off = 0x123;
	ext[3].frag_id = 0xdeadbeef;
	ext[3].flags = PKTCRAFT_EXT_F_MORE;
	req->ext_nr = 4;
	req->ext = (u64)(uintptr_t)ext;

	l3 = build6(test, req, ext, data_off, &lay);
	KUNIT_EXPECT_EQ(test, lay.ip_hlen, 120);
	KUNIT_EXPECT_EQ(test, get16(l3 + 4), 80 + TCPH);
	KUNIT_EXPECT_EQ(test, l3[6], NEXTHDR_HOP);
	/* HBH: nh DST, len 0, RA, PadN of 2 */
	KUNIT_EXPECT_EQ(test, l3[40], NEXTHDR_DEST);
	KUNIT_EXPECT_EQ(test, l3[41], 0);
	KUNIT_EXPECT_EQ(test, memcmp(l3 + 42, ra, 4), 0);
	KUNIT_EXPECT_EQ(test, l3[46], IPV6_TLV_PADN);
	KUNIT_EXPECT_EQ(test, l3[47], 0);
	/* DST: nh RT, len 0, the TLV, Pad1 */
	KUNIT_EXPECT_EQ(test, l3[48], NEXTHDR_ROUTING);
	KUNIT_EXPECT_EQ(test, l3[49], 0);
	KUNIT_EXPECT_EQ(test, l3[55], IPV6_TLV_PAD1);
	/* RT: nh FRAG, len 6, type 0, segments left 3, reserved 0 */
	KUNIT_EXPECT_EQ(test, l3[56], NEXTHDR_FRAGMENT);
	KUNIT_EXPECT_EQ(test, l3[57], 6);
	KUNIT_EXPECT_EQ(test, l3[58], 0);
	KUNIT_EXPECT_EQ(test, l3[59], 3);
	KUNIT_EXPECT_EQ(test, get32(l3 + 60), 0);
	/* FRAG: nh TCP, reserved 0, offset and M, identification */
	KUNIT_EXPECT_EQ(test, l3[112], IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, l3[113], 0);
	KUNIT_EXPECT_EQ(test, get16(l3 + 114), 0x123 << 3 | 1);
	KUNIT_EXPECT_EQ(test, get32(l3 + 116), 0xdeadbeef);
	/* the final destination, not the header's */
	KUNIT_EXPECT_EQ(test, oracle_l4_6(test, ip6_src, ip6_segs + 32,
					  IPPROTO_TCP, l3 + 120, TCPH), 0);

	/* Segment Routing's list is reversed: its first entry is final. */
	ext[2].rt_type = IPV6_SRCRT_TYPE_4;
	l3 = build6(test, req, ext, data_off, &lay);
	KUNIT_EXPECT_EQ(test, oracle_l4_6(test, ip6_src, ip6_segs,
					  IPPROTO_TCP, l3 + 120, TCPH), 0);
	/* No segments left: the header's destination is final. */
	ext[2].segleft = 0;
	l3 = build6(test, req, ext, data_off, &lay);
	KUNIT_EXPECT_EQ(test, oracle_l4_6(test, ip6_src, ip6_dst,
					  IPPROTO_TCP, l3 + 120, TCPH), 0);
}

/* Forced next headers and Hdr Ext Len, and no padding, are written as given. */
static void ip6_ext_forced(struct kunit *test)
{
	static const u8 tlv6[] = { 0x1e, 4, 1, 2, 3, 4 };
	static const u8 body[] = { 1, 2, 3, 4, 5, 6 };
	struct pktcraft_req *req = req6(test, PKTCRAFT_L4_RAW);
	struct pktcraft_ext *ext = kunit_kcalloc(test, 2, sizeof(*ext),
						 GFP_KERNEL);
	static const u32 data_off[] = { 42, 50 };
	struct pktcraft_layout lay;
	u8 *l3;

	KUNIT_ASSERT_NOT_NULL(test, ext);
	req->ip_protocol = IPPROTO_NONE;
	req->flags |= PKTCRAFT_F_IP6_NEXTHDR;
	req->ip6_nexthdr = 99;
	ext[0].type = PKTCRAFT_EXT_DST;
	ext[0].flags = PKTCRAFT_EXT_F_NOPAD | PKTCRAFT_EXT_F_HDRLEN;
	ext[0].hdrlen = 5;
	ext_data(&ext[0], tlv6, sizeof(tlv6));
	ext[1].type = PKTCRAFT_EXT_RAW;
	ext[1].proto = 253;
	ext[1].flags = PKTCRAFT_EXT_F_NEXTHDR;
	ext[1].nexthdr = 17;
	ext_data(&ext[1], body, sizeof(body));
	req->ext_nr = 2;
	req->ext = (u64)(uintptr_t)ext;

	l3 = build6(test, req, ext, data_off, &lay);
	KUNIT_EXPECT_EQ(test, lay.len, 56);
	KUNIT_EXPECT_EQ(test, l3[6], 99);
	KUNIT_EXPECT_EQ(test, l3[40], 253);	/* chained to the RAW one */
	KUNIT_EXPECT_EQ(test, l3[41], 5);
	KUNIT_EXPECT_EQ(test, memcmp(l3 + 42, tlv6, 6), 0);
	KUNIT_EXPECT_EQ(test, l3[48], 17);
	KUNIT_EXPECT_EQ(test, l3[49], 0);
	KUNIT_EXPECT_EQ(test, memcmp(l3 + 50, body, 6), 0);
}

/*
 * The pseudo-header's other sources: a Home Address option in Destination
 * Options is the source a Mobile IPv6 receiver checks with; a Segment
 * Routing header with a TLV after its list still has Segment List[0] final.
 */
static void ip6_pseudo_header_sources(struct kunit *test)
{
	struct pktcraft_req *req = req6(test, PKTCRAFT_L4_UDP);
	struct pktcraft_ext *ext = kunit_kcalloc(test, 2, sizeof(*ext),
						 GFP_KERNEL);
	u8 *hao = kunit_kzalloc(test, 18, GFP_KERNEL);
	u8 *srh = kunit_kzalloc(test, 40, GFP_KERNEL);
	/* DST at 40 (2 + 18 + PadN 4 = 24), RT at 64 (8 + 40): UDP at 112 */
	static const u32 data_off[] = { 42, 72 };
	struct pktcraft_layout lay;
	u8 *l3;

	KUNIT_ASSERT_NOT_NULL(test, ext);
	KUNIT_ASSERT_NOT_NULL(test, hao);
	KUNIT_ASSERT_NOT_NULL(test, srh);
	hao[0] = IPV6_TLV_HAO;
	hao[1] = 16;
	memcpy(hao + 2, ip6_fallback, 16);
	memcpy(srh, ip6_segs, 32);
	srh[32] = 4;		/* a PadN TLV of 8 after the list */
	srh[33] = 6;
	ext[0].type = PKTCRAFT_EXT_DST;
	ext_data(&ext[0], hao, 18);
	ext[1].type = PKTCRAFT_EXT_RT;
	ext[1].rt_type = IPV6_SRCRT_TYPE_4;
	ext[1].segleft = 1;
	ext_data(&ext[1], srh, 40);
	req->ext_nr = 2;
	req->ext = (u64)(uintptr_t)ext;

	l3 = build6(test, req, ext, data_off, &lay);
	KUNIT_ASSERT_EQ(test, lay.ip_hlen, 112);
	KUNIT_EXPECT_EQ(test, l3[60], IPV6_TLV_PADN);
	KUNIT_EXPECT_EQ(test, oracle_l4_6(test, ip6_fallback, ip6_segs,
					  IPPROTO_UDP, l3 + 112, UDPH), 0);
	/* No Home Address option (an unknown TLV instead): the header's source. */
	hao[0] = 0x1e;
	l3 = build6(test, req, ext, data_off, &lay);
	KUNIT_EXPECT_EQ(test, oracle_l4_6(test, ip6_src, ip6_segs,
					  IPPROTO_UDP, l3 + 112, UDPH), 0);
}

/* AH's Payload Len counts 4-octet units, minus 2 (RFC 4302 2.2). */
static void ip6_ah_length(struct kunit *test)
{
	struct pktcraft_req *req = req6(test, PKTCRAFT_L4_ICMP);
	struct pktcraft_ext *ext = kunit_kzalloc(test, sizeof(*ext), GFP_KERNEL);
	static const u8 body[22] = { [3] = 1 };	/* reserved, SPI 1, ... */
	static const u32 data_off[] = { 42 };
	struct pktcraft_layout lay;
	u8 *l3;

	KUNIT_ASSERT_NOT_NULL(test, ext);
	ext->type = PKTCRAFT_EXT_RAW;
	ext->proto = NEXTHDR_AUTH;
	ext_data(ext, body, sizeof(body));
	req->ext_nr = 1;
	req->ext = (u64)(uintptr_t)ext;
	l3 = build6(test, req, ext, data_off, &lay);
	KUNIT_EXPECT_EQ(test, l3[6], NEXTHDR_AUTH);
	KUNIT_EXPECT_EQ(test, l3[40], IPPROTO_ICMPV6);
	KUNIT_EXPECT_EQ(test, l3[41], 24 / 4 - 2);
}

static int check6(struct pktcraft_req *req, const struct pktcraft_ext *ext)
{
	struct pktcraft_layout lay;

	return pktcraft_req_check(req, ext, &lay);
}

/* Malformed IPv6 requests and extension headers: refused, with which errno. */
static void ip6_refusals(struct kunit *test)
{
	struct pktcraft_req *req = req6(test, PKTCRAFT_L4_UDP);
	struct pktcraft_ext *e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	static const u8 five[5];

	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, check6(req, NULL), 0);
	req->ip_id = 1;				/* an IPv4 field */
	KUNIT_EXPECT_EQ(test, check6(req, NULL), -EINVAL);
	req->ip_id = 0;
	req->flags = PKTCRAFT_F_IP_CSUM;
	KUNIT_EXPECT_EQ(test, check6(req, NULL), -EINVAL);
	req->flags = 0;
	req->ip6_flowlabel = 0x100000;		/* 21 bits */
	KUNIT_EXPECT_EQ(test, check6(req, NULL), -EINVAL);
	req->ip6_flowlabel = 0xfffff;
	KUNIT_EXPECT_EQ(test, check6(req, NULL), 0);
	req->ip6_nexthdr = 6;			/* without its flag */
	KUNIT_EXPECT_EQ(test, check6(req, NULL), -EINVAL);
	req->ip6_nexthdr = 0;
	req->family = 3;
	KUNIT_EXPECT_EQ(test, check6(req, NULL), -EINVAL);
	req->family = AF_INET6;
	req->ext_nr = PKTCRAFT_MAX_EXT + 1;
	req->ext = (u64)(uintptr_t)e;
	KUNIT_EXPECT_EQ(test, check6(req, e), -EINVAL);
	req->ext_nr = 1;
	req->ext = 0;
	KUNIT_EXPECT_EQ(test, check6(req, NULL), -EFAULT);
	req->ext = (u64)(uintptr_t)e;

	e->type = PKTCRAFT_EXT_RAW + 1;
	KUNIT_EXPECT_EQ(test, check6(req, e), -EINVAL);
	e->type = PKTCRAFT_EXT_FRAG;
	KUNIT_EXPECT_EQ(test, check6(req, e), 0);
	e->flags = PKTCRAFT_EXT_F_NOPAD;
	KUNIT_EXPECT_EQ(test, check6(req, e), -EINVAL);
	e->flags = 0;
	e->frag_off = 0x2000;
	KUNIT_EXPECT_EQ(test, check6(req, e), -EINVAL);
	e->frag_off = 0;
	ext_data(e, five, 5);			/* a fragment has no data */
	KUNIT_EXPECT_EQ(test, check6(req, e), -EINVAL);
	e->type = PKTCRAFT_EXT_RAW;		/* 2 + 5: not a multiple of 8 */
	KUNIT_EXPECT_EQ(test, check6(req, e), -EINVAL);
	e->flags = PKTCRAFT_EXT_F_HDRLEN;	/* unless the length is forced */
	KUNIT_EXPECT_EQ(test, check6(req, e), 0);
	e->flags = 0;
	e->proto = NEXTHDR_ESP;			/* ESP: a payload, not this */
	KUNIT_EXPECT_EQ(test, check6(req, e), -EINVAL);
	e->proto = 0;
	e->type = PKTCRAFT_EXT_HBH;		/* padded to 8 */
	KUNIT_EXPECT_EQ(test, check6(req, e), 0);
	e->hdrlen = 1;				/* without its flag */
	KUNIT_EXPECT_EQ(test, check6(req, e), -EINVAL);
	e->hdrlen = 0;
	e->segleft = 1;				/* a Routing field */
	KUNIT_EXPECT_EQ(test, check6(req, e), -EINVAL);
	e->segleft = 0;
	e->data = 0;
	KUNIT_EXPECT_EQ(test, check6(req, e), -EFAULT);
	ext_data(e, five, PKTCRAFT_MAX_EXT_LEN);	/* over 2048 padded */
	KUNIT_EXPECT_EQ(test, check6(req, e), -EINVAL);

	/* ... and an IPv4 request with an IPv6 field. */
	req = req6(test, PKTCRAFT_L4_UDP);
	req->family = 0;
	memset(req->ip6_saddr, 0, 16);
	KUNIT_EXPECT_EQ(test, check6(req, NULL), -EINVAL);
	memset(req->ip6_daddr, 0, 16);
	KUNIT_EXPECT_EQ(test, check6(req, NULL), 0);
	req->vary_flowlabel.mode = PKTCRAFT_VARY_INC;
	KUNIT_EXPECT_EQ(test, check6(req, NULL), -EINVAL);
}

/* The payload length: filled, forced to lie, or refused when it cannot say. */
static void ip6_payload_length(struct kunit *test)
{
	struct pktcraft_req *req = req6(test, PKTCRAFT_L4_RAW);
	struct pktcraft_layout lay;
	u8 *l3;

	req->ip_tot_len = 5;
	KUNIT_EXPECT_EQ(test, check6(req, NULL), -EINVAL);
	req->flags = PKTCRAFT_F_IP_TOT_LEN;
	l3 = build6(test, req, NULL, NULL, &lay);
	KUNIT_EXPECT_EQ(test, get16(l3 + 4), 5);
	req->flags = 0;
	req->ip_tot_len = 0;
	req->payload = 1;
	req->payload_len = 0xffff;		/* 65535 after the header: fits */
	KUNIT_EXPECT_EQ(test, check6(req, NULL), 0);
	req->l4 = PKTCRAFT_L4_UDP;		/* 8 more: does not */
	KUNIT_EXPECT_EQ(test, check6(req, NULL), -EMSGSIZE);
}

static struct kunit_case pktcraft_ipv6_cases[] = {
	KUNIT_CASE(ip6_header_fields),
	KUNIT_CASE(ip6_source_filled),
	KUNIT_CASE(ip6_icmpv6),
	KUNIT_CASE(ip6_udp_zero_csum),
	KUNIT_CASE(ip6_ext_chain),
	KUNIT_CASE(ip6_ext_forced),
	KUNIT_CASE(ip6_pseudo_header_sources),
	KUNIT_CASE(ip6_ah_length),
	KUNIT_CASE(ip6_refusals),
	KUNIT_CASE(ip6_payload_length),
	{}
};

static struct kunit_suite pktcraft_ipv6_suite = {
	.name = "pktcraft_ipv6",
	.test_cases = pktcraft_ipv6_cases,
};

/*
 * Through pktcraft_build_data(), from user memory: the extension header's
 * data and the payload each land where they belong (not where a 16-bit
 * transport offset says), the frame is Ethernet type 86dd, the checksum
 * right; skb offsets as the stack expects them.
 */
static void ip6_skb_from_user(struct kunit *test)
{
	static const u8 ra[] = { IPV6_TLV_ROUTERALERT, 2, 0, 0 };
	struct pktcraft_req *req = req6(test, PKTCRAFT_L4_UDP);
	struct pktcraft_ext *ext = kunit_kzalloc(test, sizeof(*ext), GFP_KERNEL);
	u8 *pl = kunit_kmalloc(test, 77, GFP_KERNEL);
	struct pktcraft_layout lay;
	struct sk_buff *skb;
	u8 __user *page;
	const u8 *l3;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, ext);
	KUNIT_ASSERT_NOT_NULL(test, pl);
	for (i = 0; i < 77; i++)
		pl[i] = 0x5a ^ i;
	ext->type = PKTCRAFT_EXT_HBH;
	ext->len = sizeof(ra);
	ext->data = 1;
	req->ext_nr = 1;
	req->ext = (u64)(uintptr_t)ext;
	req->payload_len = 77;
	req->payload = 1;
	KUNIT_ASSERT_EQ(test, pktcraft_req_check(req, ext, &lay), 0);
	page = user_attach(test);
	ext->data = (u64)(uintptr_t)user_put(test, page, 5, ra, sizeof(ra));
	req->payload = (u64)(uintptr_t)user_put(test, page, 100, pl, 77);
	skb = build_lo(req, &lay);
	user_detach();
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	l3 = skb->data + ETH_HLEN;
	KUNIT_EXPECT_EQ(test, skb->len, ETH_HLEN + IP6H + 8 + UDPH + 77);
	KUNIT_EXPECT_EQ(test, ntohs(skb->protocol), ETH_P_IPV6);
	KUNIT_EXPECT_EQ(test, get16(skb->data + 12), ETH_P_IPV6);
	KUNIT_EXPECT_EQ(test, skb_network_offset(skb), ETH_HLEN);
	KUNIT_EXPECT_EQ(test, skb_transport_offset(skb), ETH_HLEN + IP6H + 8);
	KUNIT_EXPECT_EQ(test, memcmp(l3 + IP6H + 2, ra, sizeof(ra)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(l3 + IP6H + 8 + UDPH, pl, 77), 0);
	KUNIT_EXPECT_EQ(test, oracle_l4_6(test, ip6_src, ip6_dst, IPPROTO_UDP,
					  l3 + IP6H + 8, UDPH + 77), 0);
	kfree_skb(skb);
}

/*
 * Extension headers that would put the transport header beyond the 16-bit
 * offsets of an sk_buff (with the device's headroom): -EMSGSIZE, nothing
 * built, though the request itself is well formed.
 */
static void ip6_skb_offsets_16bit(struct kunit *test)
{
	struct pktcraft_req *req = req6(test, PKTCRAFT_L4_RAW);
	struct pktcraft_ext *ext = kunit_kcalloc(test, PKTCRAFT_MAX_EXT,
						 sizeof(*ext), GFP_KERNEL);
	struct pktcraft_layout lay;
	struct sk_buff *skb;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, ext);
	for (i = 0; i < PKTCRAFT_MAX_EXT; i++) {
		ext[i].type = PKTCRAFT_EXT_RAW;
		ext[i].proto = 253;
		ext[i].data = 1;	/* never read: refused before the copy */
		ext[i].len = i + 1 < PKTCRAFT_MAX_EXT ? 2046 : 1990;
	}
	req->ip_protocol = IPPROTO_NONE;
	req->ext_nr = PKTCRAFT_MAX_EXT;
	req->ext = (u64)(uintptr_t)ext;
	KUNIT_ASSERT_EQ(test, pktcraft_req_check(req, ext, &lay), 0);
	KUNIT_EXPECT_EQ(test, lay.ip_hlen, 65520);
	skb = build_lo(req, &lay);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(skb), -EMSGSIZE);
	if (!IS_ERR(skb))
		kfree_skb(skb);
}

static struct kunit_case pktcraft_ipv6_skb_cases[] = {
	KUNIT_CASE(ip6_skb_from_user),
	KUNIT_CASE(ip6_skb_offsets_16bit),
	{}
};

static struct kunit_suite pktcraft_ipv6_skb_suite = {
	.name = "pktcraft_ipv6_skb",
	.suite_init = user_suite_init,
	.suite_exit = user_suite_exit,
	.test_cases = pktcraft_ipv6_skb_cases,
};

/* ----------------------------------------------------------------- fates */

/*
 * The kernel frees some packets without a tracepoint (__kfree_skb(): a pure
 * ACK to an established TCP socket, a packet GRO merged), and the slab gives
 * the next sk_buff allocated on that CPU the same address: a burst's next
 * packet, most likely. Each such packet must take the place of the slot at
 * its address, not join its hash chain: else a burst of 65536 of them leaves
 * one chain of 65536 slots, which every free at that address walks with
 * preemption off until fate_ms runs out. One sk_buff stands for all of
 * them here; pktcraft_fate_hashed() only compares addresses.
 */
static void fate_xmit_all(struct pktcraft_fates *f, u32 from, u32 to,
			  struct sk_buff *skb)
{
	u32 i;

	rcu_read_lock_bh();	/* as pktcraft_inject() calls it */
	for (i = from; i < to; i++)
		pktcraft_fates_xmit(f, i, skb);
	rcu_read_unlock_bh();
}

static void fate_one_slot_per_address(struct kunit *test)
{
	struct pktcraft_req req = { .count = 3, .fate_ms = 5000 };
	struct pktcraft_ctrs *ctrs = kunit_kzalloc(test, sizeof(*ctrs), GFP_KERNEL);
	struct pktcraft_fates *f;
	struct sk_buff *skb;

	KUNIT_ASSERT_NOT_NULL(test, ctrs);
	skb = alloc_skb(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	pktcraft_stats_open(ctrs, &init_net);
	f = pktcraft_fates_start(&init_net, &req, true);
	if (IS_ERR_OR_NULL(f))
		kfree_skb(skb);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f);
	/* Packets 0 and 1 freed unseen, each next one at their address. */
	fate_xmit_all(f, 0, 3, skb);
	KUNIT_EXPECT_EQ(test, pktcraft_fate_hashed(skb), 1);
	consume_skb(skb);	/* packet 2, with a tracepoint */
	KUNIT_EXPECT_EQ(test, pktcraft_fate_hashed(skb), 0);
	pktcraft_fates_finish(f, ctrs);
	KUNIT_EXPECT_EQ(test, atomic64_read(&ctrs->v[PKTCRAFT_C_FATE_PENDING]), 2);
	KUNIT_EXPECT_EQ(test, atomic64_read(&ctrs->v[PKTCRAFT_C_FATE_SENT]), 1);
}

/* The same when the slot at that address is another request's. */
static void fate_one_slot_per_address_two_requests(struct kunit *test)
{
	struct pktcraft_req req = { .count = 1, .fate_ms = 5000 };
	struct pktcraft_ctrs *ca = kunit_kzalloc(test, sizeof(*ca), GFP_KERNEL);
	struct pktcraft_ctrs *cb = kunit_kzalloc(test, sizeof(*cb), GFP_KERNEL);
	struct pktcraft_fates *fa, *fb;
	struct sk_buff *skb;

	KUNIT_ASSERT_TRUE(test, ca && cb);
	skb = alloc_skb(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	pktcraft_stats_open(ca, &init_net);
	pktcraft_stats_open(cb, &init_net);
	fa = pktcraft_fates_start(&init_net, &req, true);
	fb = IS_ERR_OR_NULL(fa) ? NULL : pktcraft_fates_start(&init_net, &req, true);
	if (IS_ERR_OR_NULL(fb)) {
		kfree_skb(skb);
		if (!IS_ERR_OR_NULL(fa))
			pktcraft_fates_finish(fa, ca);
	}
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fb);
	fate_xmit_all(fa, 0, 1, skb);
	fate_xmit_all(fb, 0, 1, skb);	/* fa's packet freed unseen */
	KUNIT_EXPECT_EQ(test, pktcraft_fate_hashed(skb), 1);
	consume_skb(skb);
	pktcraft_fates_finish(fb, cb);
	pktcraft_fates_finish(fa, ca);
	KUNIT_EXPECT_EQ(test, atomic64_read(&cb->v[PKTCRAFT_C_FATE_SENT]), 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&ca->v[PKTCRAFT_C_FATE_PENDING]), 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&ca->v[PKTCRAFT_C_FATE_SENT]), 0);
}

enum fate_gone_when { GONE_NEVER, GONE_BEFORE, GONE_AFTER };

/*
 * One packet dropped on @dev (sent: freed there; @rx: received on it, an
 * EtherType nothing handles: UNHANDLED_PROTO), through a request that may
 * not see other namespaces' verdicts; @dev said to be unregistered before
 * the packet was handed over, or after (before the report), or not. The
 * file's drops by reason: @ctrs.
 */
static void fate_drop_on(struct kunit *test, struct net_device *dev, bool rx,
			 enum fate_gone_when gone, struct pktcraft_ctrs *ctrs)
{
	struct pktcraft_req req = { .count = 1, .fate_ms = 5000 };
	struct pktcraft_fates *f;
	struct sk_buff *skb;

	skb = alloc_skb(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_zero(skb, 46);
	pktcraft_stats_open(ctrs, &init_net);
	f = pktcraft_fates_start(&init_net, &req, false);
	if (IS_ERR_OR_NULL(f))
		kfree_skb(skb);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f);
	if (gone == GONE_BEFORE)
		pktcraft_fate_dev_gone(dev);
	fate_xmit_all(f, 0, 1, skb);
	skb->dev = dev;
	if (gone == GONE_AFTER)
		pktcraft_fate_dev_gone(dev);
	if (rx) {
		skb->protocol = htons(ETH_P_802_EX1);
		skb_reset_mac_header(skb);
		skb_reset_network_header(skb);
		local_bh_disable();
		netif_receive_skb(skb);
		local_bh_enable();
	} else {
		kfree_skb(skb);
	}
	pktcraft_fates_finish(f, ctrs);
}

/*
 * A packet dropped on a device of the opener's namespace shows its reason;
 * one dropped on a device whose address was unregistered after the packet
 * was handed over does not, sent or received: a container can delete its
 * veth, and with it the host's peer that dropped its packet, or make a
 * device at that address since. One unregistered before is not the device
 * it ended on: shown. The loopback device stands for an address
 * unregistered and taken again (nothing is unregistered: only the report
 * is told so).
 */
static void fate_dev_gone_hidden(struct kunit *test)
{
	struct pktcraft_ctrs *c;
	int rx, i;

	for (rx = 0; rx < 2; rx++) {
		for (i = GONE_NEVER; i <= GONE_AFTER; i++) {
			c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, c);
			fate_drop_on(test, init_net.loopback_dev, rx, i, c);
			KUNIT_EXPECT_EQ_MSG(test, atomic64_read(&c->v[PKTCRAFT_C_FATE_DROPPED]), 1,
					    "rx %d, gone %d", rx, i);
			KUNIT_EXPECT_EQ_MSG(test, atomic64_read(&c->drops[PKTCRAFT_DROP_OTHER_NS]),
					    i == GONE_AFTER, "rx %d, gone %d: hidden", rx, i);
		}
	}
}

static struct kunit_case pktcraft_fate_cases[] = {
	KUNIT_CASE(fate_one_slot_per_address),
	KUNIT_CASE(fate_one_slot_per_address_two_requests),
	KUNIT_CASE(fate_dev_gone_hidden),
	{}
};

static struct kunit_suite pktcraft_fate_suite = {
	.name = "pktcraft_fate",
	.test_cases = pktcraft_fate_cases,
};

kunit_test_suites(&pktcraft_csum_suite, &pktcraft_hdr_suite,
		  &pktcraft_fill_suite, &pktcraft_check_suite,
		  &pktcraft_user_suite, &pktcraft_skb_suite,
		  &pktcraft_ipv6_suite, &pktcraft_ipv6_skb_suite,
		  &pktcraft_fate_suite);

MODULE_DESCRIPTION("KUnit tests for pktcraft");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
