// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile input, run in the guest as root: a table of bad requests for
 * SEND, BUILD, SEND_BATCH and GET_STATS, one case per field, flag bit, reserved word,
 * size value and pointer kind. Every case must fail with its documented
 * errno, leave the egress device's tx counter and the module's packet
 * counter unmoved, and count one error in the right errno bucket of
 * GET_STATS. Every request carries IP ID = case number and TCP source port
 * PORT_HOSTILE: the cases that must be sent are listed in "WIRE hostile
 * id=N" lines and the host checks that the capture holds exactly those.
 *
 * Usage: hostile IFNAME DOWN_IFNAME [PORT LABEL]  (IFNAME: eth0, DOWN_IFNAME:
 * a dummy that is down; PORT and LABEL for a second run, e.g. the 32-bit
 * build "hostile32" through compat_ioctl, port 4348). Routes the guest script sets up: unreachable 10.66.1.0/24,
 * prohibit 10.66.2.0/24, blackhole 10.66.3.0/24.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <sys/mman.h>
#include "common.h"

#define RQ_OFF(f) offsetof(struct pktcraft_req, f)
#define RQ_SZ(f) sizeof(((struct pktcraft_req *)0)->f)
#define P(f, v) { RQ_OFF(f), RQ_SZ(f), (uint64_t)(v) }
#define BASE_LEN (20 + 20 + 9)	/* base_req(): TCP, "hardening" */

static int fd;
static const char *ifname, *downname;
static unsigned int ifindex, down_ifindex;
static int case_no = 1;
static uint16_t port = PORT_HOSTILE;
static long page;
static unsigned char *unmapped, *guard, *rdonly;
static int wire_ids[4096], nwire;

/* Bucket of struct pktcraft_counters an errno is counted in (-1: none). */
static int err_bucket(int e)
{
	switch (e) {
	case EINVAL: case E2BIG: return offsetof(struct pktcraft_counters, err_inval) / 8;
	case EFAULT: return offsetof(struct pktcraft_counters, err_fault) / 8;
	case ENODEV: return offsetof(struct pktcraft_counters, err_nodev) / 8;
	case EMSGSIZE: return offsetof(struct pktcraft_counters, err_msgsize) / 8;
	case ENETDOWN: return offsetof(struct pktcraft_counters, err_netdown) / 8;
	case EHOSTUNREACH: case ENETUNREACH:
		return offsetof(struct pktcraft_counters, err_unreach) / 8;
	case ENOMEM: return offsetof(struct pktcraft_counters, err_nomem) / 8;
	case EINTR: return offsetof(struct pktcraft_counters, err_intr) / 8;
	default: return offsetof(struct pktcraft_counters, err_other) / 8;
	}
}

/*
 * Issues one ioctl. want == 0: must return want_rc and put want_rc frames
 * on eth0; else it must fail with want and send nothing. counted: the
 * module counts the failure (SEND/BUILD, not GET_STATS or ENOTTY).
 */
static void expect(const char *name, unsigned long cmd, void *arg, int want,
		   int want_rc, int id)
{
	struct pktcraft_stats s0, s1;
	unsigned long long t0, t1, d0, d1;
	int rc, err, have_stats, counted, b;
	char why[256] = "";

	have_stats = stats_get(fd, &s0) == 0;
	t0 = tx_packets(ifname);
	d0 = tx_packets(downname);
	errno = 0;
	rc = ioctl(fd, cmd, arg);
	err = rc < 0 ? errno : 0;
	if (want == 0) {
		t1 = tx_wait(ifname, t0 + want_rc, 10000);	/* e1000 counts at reclaim */
		usleep(10000);
		t1 = tx_packets(ifname);
	} else {
		usleep(10000);
		t1 = tx_packets(ifname);
	}
	d1 = tx_packets(downname);
	if (have_stats && stats_get(fd, &s1))
		have_stats = 0;

	if (want == 0) {
		if (rc != want_rc)
			snprintf(why, sizeof(why), "returned %d (%s), want %d",
				 rc, ename(err), want_rc);
		else if (t1 - t0 != (unsigned long long)want_rc)
			snprintf(why, sizeof(why), "%s tx_packets moved by %llu, want %d",
				 ifname, t1 - t0, want_rc);
		else if (have_stats && s1.file.packets - s0.file.packets !=
			 (unsigned long long)want_rc)
			snprintf(why, sizeof(why), "module packets counter moved by %llu",
				 (unsigned long long)(s1.file.packets - s0.file.packets));
		for (b = 0; b < rc && nwire < 4096; b++)
			wire_ids[nwire++] = id;
		verdict(!*why, name, "%s", why);
		return;
	}
	counted = (cmd == PKTCRAFT_IOC_SEND || cmd == PKTCRAFT_IOC_BUILD ||
		   cmd == PKTCRAFT_IOC_SEND_BATCH) && want != ENOTTY;
	if (rc >= 0 || err != want)
		snprintf(why, sizeof(why), "got %s (rc %d), want %s", ename(err),
			 rc, ename(want));
	else if (t1 != t0 || d1 != d0)
		snprintf(why, sizeof(why), "tx_packets moved: %s by %llu, %s by %llu",
			 ifname, t1 - t0, downname, d1 - d0);
	else if (have_stats && s1.file.packets != s0.file.packets)
		snprintf(why, sizeof(why), "module packets counter moved by %llu",
			 (unsigned long long)(s1.file.packets - s0.file.packets));
	else if (have_stats && counted) {
		__u64 *a = (__u64 *)&s0.file, *c = (__u64 *)&s1.file;
		int i = err_bucket(want);

		if (c[i] - a[i] != 1)
			snprintf(why, sizeof(why),
				 "GET_STATS error bucket %d moved by %llu, want 1",
				 i, (unsigned long long)(c[i] - a[i]));
	} else if (have_stats && !counted &&
		   memcmp(&s0.file, &s1.file, sizeof(s0.file)))
		snprintf(why, sizeof(why), "a counter moved although this errno is not counted");
	verdict(!*why, name, "%s", why);
	if (rc > 0)	/* sent by mistake: the host must see it too */
		for (b = 0; b < rc && nwire < 4096; b++)
			wire_ids[nwire++] = id;
}

/* base_req() with this case's ID, literal. */
static int next_req(struct pktcraft_req *r, uint8_t l4)
{
	int id = case_no++;

	base_req(r, ifindex, port);
	r->flags = PKTCRAFT_F_IP_ID;
	r->ip_id = id;
	r->l4 = l4;
	if (l4 != PKTCRAFT_L4_TCP) {
		r->tcp_flags = 0;
		r->tcp_win = 0;
	}
	if (l4 == PKTCRAFT_L4_ICMP || l4 == PKTCRAFT_L4_RAW) {
		r->sport = 0;
		r->dport = 0;
	}
	if (l4 == PKTCRAFT_L4_ICMP)
		r->icmp_type = 8;
	if (l4 == PKTCRAFT_L4_RAW)
		r->ip_protocol = 253;	/* RFC 3692 experimental */
	return id;
}

/* v into the @size bytes at p (host order). */
static void put(unsigned char *p, size_t size, uint64_t v)
{
	switch (size) {
	case 1: *p = v; break;
	case 2: { uint16_t x = v; memcpy(p, &x, 2); break; }
	case 4: { uint32_t x = v; memcpy(p, &x, 4); break; }
	case 8: memcpy(p, &v, 8); break;
	}
}

static void patch(struct pktcraft_req *r, size_t off, size_t size, uint64_t v)
{
	if (off == RQ_OFF(flags)) {	/* flags: added to the base's */
		r->flags |= (uint32_t)v;
		return;
	}
	put((unsigned char *)r + off, size, v);
}

struct rcase {
	const char *name;
	uint8_t l4;
	int want;
	struct { size_t off, size; uint64_t val; } p[4];
};

/* One entry per field value; up to 4 patches on the base request. */
static const struct rcase req_cases[] = {
	{ "size 0", 0, EINVAL, { P(size, 0) } },
	{ "size 1", 0, EINVAL, { P(size, 1) } },
	{ "size 4", 0, EINVAL, { P(size, 4) } },
	{ "size 79 (version 0 - 1)", 0, EINVAL, { P(size, 79) } },
	{ "size 4097 (page + 1)", 0, E2BIG, { P(size, 4097) } },
	{ "size 0x80000000", 0, E2BIG, { P(size, 0x80000000u) } },
	{ "size 0xffffffff", 0, E2BIG, { P(size, 0xffffffffu) } },
	{ "ifindex 0x7fffffff", 0, ENODEV, { P(ifindex, 0x7fffffff) } },
	{ "ifindex 0xffffffff (-1)", 0, ENODEV, { P(ifindex, 0xffffffffu) } },
	{ "ifindex 99999", 0, ENODEV, { P(ifindex, 99999) } },
	{ "ip_version 16", 0, EINVAL, { P(ip_version, 16) } },
	{ "ip_version 255", 0, EINVAL, { P(ip_version, 255) } },
	{ "ip_ihl 1", 0, EINVAL, { P(ip_ihl, 1) } },
	{ "ip_ihl 4", 0, EINVAL, { P(ip_ihl, 4) } },
	{ "ip_ihl 6 without options or force", 0, EINVAL, { P(ip_ihl, 6) } },
	{ "ip_ihl 16", 0, EINVAL, { P(ip_ihl, 16) } },
	{ "ip_ihl 255", 0, EINVAL, { P(ip_ihl, 255) } },
	{ "ip_ihl 16 even with PKTCRAFT_F_IP_IHL", 0, EINVAL,
	  { P(ip_ihl, 16), P(flags, PKTCRAFT_F_IP_IHL) } },
	{ "ip_protocol 17 with l4 TCP", 0, EINVAL, { P(ip_protocol, 17) } },
	{ "ip_protocol 255 with l4 TCP", 0, EINVAL, { P(ip_protocol, 255) } },
	{ "tcp_doff 4", 0, EINVAL, { P(tcp_doff, 4) } },
	{ "tcp_doff 6 without options or force", 0, EINVAL, { P(tcp_doff, 6) } },
	{ "tcp_doff 16", 0, EINVAL, { P(tcp_doff, 16) } },
	{ "tcp_doff 255 with PKTCRAFT_F_L4_LEN", 0, EINVAL,
	  { P(tcp_doff, 255), P(flags, PKTCRAFT_F_L4_LEN) } },
	{ "tcp_res 8", 0, EINVAL, { P(tcp_res, 8) } },
	{ "tcp_res 255", 0, EINVAL, { P(tcp_res, 255) } },
	{ "reserved0 1", 0, EINVAL, { P(reserved0, 1) } },
	{ "reserved0 0x80", 0, EINVAL, { P(reserved0, 0x80) } },
	{ "ip_tot_len 1", 0, EINVAL, { P(ip_tot_len, 1) } },
	{ "ip_tot_len real - 1", 0, EINVAL, { P(ip_tot_len, BASE_LEN - 1) } },
	{ "ip_tot_len real + 1", 0, EINVAL, { P(ip_tot_len, BASE_LEN + 1) } },
	{ "ip_tot_len 0xffff", 0, EINVAL, { P(ip_tot_len, 0xffff) } },
	{ "ip_csum without its flag", 0, EINVAL, { P(ip_csum, 1) } },
	{ "ip_csum 0xffff without its flag", 0, EINVAL, { P(ip_csum, 0xffff) } },
	{ "tcp_flags bit 9", 0, EINVAL, { P(tcp_flags, 0x200) } },
	{ "tcp_flags bit 15", 0, EINVAL, { P(tcp_flags, 0x8000) } },
	{ "tcp_flags 0xffff", 0, EINVAL, { P(tcp_flags, 0xffff) } },
	{ "l4_csum without its flag", 0, EINVAL, { P(l4_csum, 1) } },
	{ "payload_len 0xffffffff", 0, EMSGSIZE, { P(payload_len, 0xffffffffu) } },
	{ "payload_len 0x80000000", 0, EMSGSIZE, { P(payload_len, 0x80000000u) } },
	{ "payload_len 0x10000", 0, EMSGSIZE, { P(payload_len, 0x10000) } },
	{ "payload_len 65496 (IPv4 total 65536)", 0, EMSGSIZE,
	  { P(payload_len, 65535 - 40 + 1) } },
	{ "payload_len 0xffffffff with a NULL pointer", 0, EFAULT,
	  { P(payload_len, 0xffffffffu), P(payload, 0) } },
	{ "l4 4", 0, EINVAL, { P(l4, 4) } },
	{ "l4 127", 0, EINVAL, { P(l4, 127) } },
	{ "l4 255", 0, EINVAL, { P(l4, 255) } },
	{ "ip_optlen 41", 0, EINVAL, { P(ip_optlen, 41) } },
	{ "ip_optlen 255", 0, EINVAL, { P(ip_optlen, 255) } },
	{ "tcp_optlen 41", 0, EINVAL, { P(tcp_optlen, 41) } },
	{ "tcp_optlen 255", 0, EINVAL, { P(tcp_optlen, 255) } },
	{ "icmp_type with l4 TCP", 0, EINVAL, { P(icmp_type, 8) } },
	{ "icmp_code with l4 TCP", 0, EINVAL, { P(icmp_code, 1) } },
	{ "icmp_id with l4 TCP", 0, EINVAL, { P(icmp_id, 1) } },
	{ "icmp_seq with l4 TCP", 0, EINVAL, { P(icmp_seq, 1) } },
	{ "udp_len with l4 TCP", 0, EINVAL, { P(udp_len, 29) } },
	{ "reserved1 1", 0, EINVAL, { P(reserved1, 1) } },
	{ "reserved2 byte 0", 0, EINVAL, { P(reserved2, 0x1) } },
	{ "reserved2 byte 3", 0, EINVAL, { P(reserved2, 0x80000000u) } },
	{ "reserved3 1", 0, EINVAL, { P(reserved3, 1) } },
	{ "reserved3 0x80000000", 0, EINVAL, { P(reserved3, 0x80000000u) } },
	/* UDP */
	{ "UDP: udp_len real - 1", PKTCRAFT_L4_UDP, EINVAL, { P(udp_len, 8 + 9 - 1) } },
	{ "UDP: udp_len 0xffff", PKTCRAFT_L4_UDP, EINVAL, { P(udp_len, 0xffff) } },
	{ "UDP: tcp_seq set", PKTCRAFT_L4_UDP, EINVAL, { P(tcp_seq, 1) } },
	{ "UDP: tcp_ack set", PKTCRAFT_L4_UDP, EINVAL, { P(tcp_ack, 1) } },
	{ "UDP: tcp_flags set", PKTCRAFT_L4_UDP, EINVAL, { P(tcp_flags, 2) } },
	{ "UDP: tcp_win set", PKTCRAFT_L4_UDP, EINVAL, { P(tcp_win, 2) } },
	{ "UDP: tcp_urg set", PKTCRAFT_L4_UDP, EINVAL, { P(tcp_urg, 2) } },
	{ "UDP: tcp_doff set", PKTCRAFT_L4_UDP, EINVAL, { P(tcp_doff, 5) } },
	{ "UDP: tcp_res set", PKTCRAFT_L4_UDP, EINVAL, { P(tcp_res, 1) } },
	{ "UDP: tcp_optlen set", PKTCRAFT_L4_UDP, EINVAL, { P(tcp_optlen, 4) } },
	{ "UDP: icmp_type set", PKTCRAFT_L4_UDP, EINVAL, { P(icmp_type, 8) } },
	{ "UDP: ip_protocol 6", PKTCRAFT_L4_UDP, EINVAL, { P(ip_protocol, 6) } },
	/* ICMP */
	{ "ICMP: sport set", PKTCRAFT_L4_ICMP, EINVAL, { P(sport, 1) } },
	{ "ICMP: dport set", PKTCRAFT_L4_ICMP, EINVAL, { P(dport, 1) } },
	{ "ICMP: udp_len set", PKTCRAFT_L4_ICMP, EINVAL, { P(udp_len, 8) } },
	{ "ICMP: tcp_seq set", PKTCRAFT_L4_ICMP, EINVAL, { P(tcp_seq, 1) } },
	{ "ICMP: PKTCRAFT_F_L4_LEN", PKTCRAFT_L4_ICMP, EINVAL,
	  { P(flags, PKTCRAFT_F_L4_LEN) } },
	/* RAW */
	{ "RAW: sport set", PKTCRAFT_L4_RAW, EINVAL, { P(sport, 1) } },
	{ "RAW: icmp_type set", PKTCRAFT_L4_RAW, EINVAL, { P(icmp_type, 1) } },
	{ "RAW: PKTCRAFT_F_L4_CSUM", PKTCRAFT_L4_RAW, EINVAL,
	  { P(flags, PKTCRAFT_F_L4_CSUM) } },
	{ "RAW: PKTCRAFT_F_L4_LEN", PKTCRAFT_L4_RAW, EINVAL,
	  { P(flags, PKTCRAFT_F_L4_LEN) } },
	/* Bursts */
	{ "count PKTCRAFT_MAX_COUNT + 1", 0, EINVAL, { P(count, PKTCRAFT_MAX_COUNT + 1) } },
	{ "count 0xffffffff", 0, EINVAL, { P(count, 0xffffffffu) } },
	{ "burst_flags bit 1", 0, EINVAL, { P(burst_flags, 2) } },
	{ "burst_flags bit 31", 0, EINVAL, { P(burst_flags, 0x80000000u) } },
	{ "gap_ns PKTCRAFT_MAX_GAP_NS + 1", 0, EINVAL,
	  { P(gap_ns, PKTCRAFT_MAX_GAP_NS + 1), P(count, 2) } },
	{ "gap_ns 2^64 - 1", 0, EINVAL, { P(gap_ns, ~0ULL), P(count, 2) } },
	{ "start_ns 2^64 - 1", 0, EINVAL, { P(start_ns, ~0ULL), P(count, 2) } },
	{ "vary mode 3", 0, EINVAL, { P(vary[0].mode, 3) } },
	{ "vary mode 255", 0, EINVAL, { P(vary[4].mode, 255) } },
	{ "vary reserved[0]", 0, EINVAL, { P(vary[0].reserved[0], 1) } },
	{ "vary reserved[2]", 0, EINVAL, { P(vary[3].reserved[2], 1) } },
	{ "vary NONE with step", 0, EINVAL, { P(vary[1].step, 1) } },
	{ "vary NONE with max", 0, EINVAL, { P(vary[2].max, 1) } },
	{ "vary INC without step", 0, EINVAL,
	  { P(vary[0].mode, PKTCRAFT_VARY_INC), P(vary[0].min, 0), P(vary[0].max, 0xffff) } },
	{ "vary RANDOM with step", 0, EINVAL,
	  { P(vary[0].mode, PKTCRAFT_VARY_RANDOM), P(vary[0].step, 1), P(vary[0].max, 0xffff) } },
	{ "vary min > max", 0, EINVAL,
	  { P(vary[0].mode, PKTCRAFT_VARY_RANDOM), P(vary[0].min, 9), P(vary[0].max, 8) } },
	{ "vary sport max 0x10000", 0, EINVAL,
	  { P(vary[0].mode, PKTCRAFT_VARY_RANDOM), P(vary[0].max, 0x10000) } },
	{ "vary range not holding the request's value", 0, EINVAL,
	  { P(vary[0].mode, PKTCRAFT_VARY_INC), P(vary[0].step, 1), P(vary[0].min, 1), P(vary[0].max, 2) } },
	{ "UDP: vary tcp_seq", PKTCRAFT_L4_UDP, EINVAL,
	  { P(vary[PKTCRAFT_VARY_TCP_SEQ].mode, PKTCRAFT_VARY_RANDOM), P(vary[PKTCRAFT_VARY_TCP_SEQ].max, 5) } },
	{ "ICMP: vary sport", PKTCRAFT_L4_ICMP, EINVAL,
	  { P(vary[PKTCRAFT_VARY_SPORT].mode, PKTCRAFT_VARY_RANDOM), P(vary[PKTCRAFT_VARY_SPORT].max, 5) } },
	/* Version 3: IPv6 fields on this IPv4 request, or IPv4 ones on IPv6 */
	{ "family 3", 0, EINVAL, { P(family, 3) } },
	{ "family 255", 0, EINVAL, { P(family, 255) } },
	{ "family AF_INET6 with IPv4 addresses", 0, EINVAL, { P(family, 10) } },
	{ "IPv4: ip6_nexthdr set", 0, EINVAL, { P(ip6_nexthdr, 6) } },
	{ "IPv4: ip6_nexthdr with PKTCRAFT_F_IP6_NEXTHDR", 0, EINVAL,
	  { P(ip6_nexthdr, 6), P(flags, PKTCRAFT_F_IP6_NEXTHDR) } },
	{ "IPv4: ext_nr 1", 0, EINVAL, { P(ext_nr, 1) } },
	{ "IPv4: ext_nr 0xffff", 0, EINVAL, { P(ext_nr, 0xffff) } },
	{ "IPv4: ext pointer", 0, EINVAL, { P(ext, 8) } },
	{ "IPv4: ip6_flowlabel 1", 0, EINVAL, { P(ip6_flowlabel, 1) } },
	{ "IPv4: ip6_saddr byte 0", 0, EINVAL, { P(ip6_saddr[0], 0x20) } },
	{ "IPv4: ip6_daddr byte 15", 0, EINVAL, { P(ip6_daddr[15], 1) } },
	{ "IPv4: vary_flowlabel mode INC", 0, EINVAL,
	  { P(vary_flowlabel.mode, PKTCRAFT_VARY_INC), P(vary_flowlabel.step, 1), P(vary_flowlabel.max, 5), P(count, 2) } },
	{ "IPv4: vary_flowlabel reserved", 0, EINVAL, { P(vary_flowlabel.reserved[1], 1) } },
	/* Accepted: to prove the table's base request is fine field by field. */
	{ "accepted: out-fields sent/result_err/dropped are ignored on input", 0, 0,
	  { P(sent, 7), P(result_err, -5), P(dropped, 9) } },
	{ "accepted: option bytes beyond ip_optlen are ignored", 0, 0,
	  { P(ip_opts[39], 0xff), P(tcp_opts[0], 0xff) } },
	{ "accepted: every IPv4 flag bit at once (all literal)", 0, 0,
	  { P(flags, PKTCRAFT_F_ALL & ~PKTCRAFT_F_IP6_NEXTHDR), P(ip_ihl, 5), P(tcp_doff, 5), P(ip_tot_len, BASE_LEN) } },
	{ "accepted: ip_protocol equal to the l4 kind's", 0, 0, { P(ip_protocol, 6) } },
	{ "accepted: count 1", 0, 0, { P(count, 1) } },
};

static void run_req_table(void)
{
	unsigned int i, j;

	for (i = 0; i < sizeof(req_cases) / sizeof(req_cases[0]); i++) {
		const struct rcase *c = &req_cases[i];
		struct pktcraft_req r;
		char name[160];
		int id = next_req(&r, c->l4);

		for (j = 0; j < 4 && c->p[j].size; j++)
			patch(&r, c->p[j].off, c->p[j].size, c->p[j].val);
		snprintf(name, sizeof(name), "SEND %s -> %s", c->name, ename(c->want));
		expect(name, PKTCRAFT_IOC_SEND, &r, c->want, 1, id);
	}
}

static void run_flag_bits(void)
{
	struct pktcraft_req r;
	struct pktcraft_build b;
	unsigned char frame[2048];
	char name[96];
	int bit, id;

	for (bit = 0; bit < 32; bit++) {
		if ((1U << bit) & PKTCRAFT_F_ALL)
			continue;
		id = next_req(&r, 0);
		r.flags |= 1U << bit;
		snprintf(name, sizeof(name), "SEND flags bit %d -> EINVAL", bit);
		expect(name, PKTCRAFT_IOC_SEND, &r, EINVAL, 0, id);
	}
	for (bit = 0; bit < 32; bit++) {
		if ((1U << bit) & PKTCRAFT_BURST_F_ALL)
			continue;
		id = next_req(&r, 0);
		r.burst_flags = 1U << bit;
		r.count = 2;
		snprintf(name, sizeof(name), "SEND burst_flags bit %d -> EINVAL", bit);
		expect(name, PKTCRAFT_IOC_SEND, &r, EINVAL, 0, id);
	}
	for (bit = 0; bit < 32; bit++) {
		if ((1U << bit) & PKTCRAFT_BUILD_F_ALL)
			continue;
		id = next_req(&r, 0);
		memset(&b, 0, sizeof(b));
		b.size = sizeof(b);
		b.flags = 1U << bit;
		b.req = (uintptr_t)&r;
		b.buf = (uintptr_t)frame;
		b.buf_len = sizeof(frame);
		snprintf(name, sizeof(name), "BUILD flags bit %d -> EINVAL", bit);
		expect(name, PKTCRAFT_IOC_BUILD, &b, EINVAL, 0, id);
	}
}

/* A request of another size: the tail beyond ours is zero or not. */
static void run_sizes(void)
{
	unsigned char *big = guard - 8192;	/* 2 pages before the guard */
	struct pktcraft_req *r = (struct pktcraft_req *)big;
	static const unsigned int tails[] = {
		sizeof(*r), sizeof(*r) + 1, sizeof(*r) + 4, 1000, 4095
	};
	char name[128];
	unsigned int i, sz;
	int id;

	for (i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		memset(big, 0, 8192);
		id = next_req(r, 0);
		r->size = 4096;
		big[tails[i]] = 0x5a;
		snprintf(name, sizeof(name),
			 "SEND size 4096 with byte %u of the unknown tail set -> E2BIG",
			 tails[i]);
		expect(name, PKTCRAFT_IOC_SEND, r, E2BIG, 0, id);
	}
	memset(big, 0, 8192);
	id = next_req(r, 0);
	r->size = 4096;
	expect("SEND size 4096 with a zero tail is accepted", PKTCRAFT_IOC_SEND,
	       r, 0, 1, id);
	/* Sizes inside the known struct: a shorter struct's missing fields
	 * read 0, whatever bytes follow in memory. */
	for (sz = PKTCRAFT_REQ_SIZE_VER0; sz <= sizeof(*r); sz += 27) {
		memset(big, 0xee, 8192);
		id = next_req(r, 0);
		memset(big + sz, 0xee, sizeof(*r) - sz);	/* junk past size */
		r->size = sz;
		snprintf(name, sizeof(name),
			 "SEND size %u, junk after it is not read: accepted", sz);
		expect(name, PKTCRAFT_IOC_SEND, r, 0, 1, id);
	}
	/* A request ending exactly at the guard page, then one byte over. */
	r = (struct pktcraft_req *)(guard - sizeof(*r));
	id = next_req(r, 0);
	expect("SEND request ending at an unmapped page: accepted",
	       PKTCRAFT_IOC_SEND, r, 0, 1, id);
	{
		struct pktcraft_req tmp;

		id = next_req(&tmp, 0);
		r = (struct pktcraft_req *)(guard - sizeof(*r) + 1);
		memcpy(r, &tmp, sizeof(tmp) - 1);	/* the last byte is unmapped */
	}
	expect("SEND request crossing into an unmapped page -> EFAULT",
	       PKTCRAFT_IOC_SEND, r, EFAULT, 0, id);
	r = (struct pktcraft_req *)(guard - 4);
	*(uint32_t *)r = sizeof(struct pktcraft_req);
	expect("SEND request whose size field is the last mapped word -> EFAULT",
	       PKTCRAFT_IOC_SEND, r, EFAULT, 0, case_no++);
	r = (struct pktcraft_req *)(guard - 2);
	expect("SEND request whose size field crosses into an unmapped page -> EFAULT",
	       PKTCRAFT_IOC_SEND, r, EFAULT, 0, case_no++);
}

struct badptr {
	const char *name;
	uint64_t addr;
};

static struct badptr bad[8];
static int nbad;

static void make_bad_ptrs(void)
{
	bad[nbad++] = (struct badptr){ "NULL", 0 };
	bad[nbad++] = (struct badptr){ "0x10", 0x10 };
	bad[nbad++] = (struct badptr){ "unmapped", (uintptr_t)unmapped };
	bad[nbad++] = (struct badptr){ "kernel 0xffffffff81000000", KERNEL_ADDR };
	bad[nbad++] = (struct badptr){ "non-canonical 0x800000000000", NONCANON_ADDR };
	bad[nbad++] = (struct badptr){ "0xffffffffffffffff", ~0ULL };
	bad[nbad++] = (struct badptr){ "PROT_NONE page", (uintptr_t)guard };
}

static void run_pointers(void)
{
	static unsigned char frame[2048], odd_frame[2049];
	static unsigned char odd_req[sizeof(struct pktcraft_req) + 1];
	static char odd_payload[16];
	struct pktcraft_req r, *ro;
	struct pktcraft_build b, *rob;
	struct pktcraft_stats *ros;
	char name[160];
	int i, id;

	for (i = 0; i < nbad; i++) {
		snprintf(name, sizeof(name), "SEND request pointer %s -> EFAULT", bad[i].name);
		expect(name, PKTCRAFT_IOC_SEND, (void *)(uintptr_t)bad[i].addr, EFAULT, 0,
		       case_no++);
		id = next_req(&r, 0);
		r.payload = bad[i].addr;
		snprintf(name, sizeof(name), "SEND payload pointer %s -> EFAULT", bad[i].name);
		expect(name, PKTCRAFT_IOC_SEND, &r, EFAULT, 0, id);

		snprintf(name, sizeof(name), "BUILD argument pointer %s -> EFAULT", bad[i].name);
		expect(name, PKTCRAFT_IOC_BUILD, (void *)(uintptr_t)bad[i].addr, EFAULT, 0,
		       case_no++);
		id = next_req(&r, 0);
		memset(&b, 0, sizeof(b));
		b.size = sizeof(b);
		b.req = bad[i].addr;
		b.buf = (uintptr_t)frame;
		b.buf_len = sizeof(frame);
		snprintf(name, sizeof(name), "BUILD req pointer %s -> EFAULT", bad[i].name);
		expect(name, PKTCRAFT_IOC_BUILD, &b, EFAULT, 0, id);
		b.req = (uintptr_t)&r;
		b.buf = bad[i].addr;
		snprintf(name, sizeof(name), "BUILD buf pointer %s -> EFAULT", bad[i].name);
		expect(name, PKTCRAFT_IOC_BUILD, &b, EFAULT, 0, id);
		b.frame_len = 0;
		b.flags = PKTCRAFT_BUILD_F_SEND;
		snprintf(name, sizeof(name),
			 "BUILD|SEND buf pointer %s -> EFAULT, nothing sent", bad[i].name);
		expect(name, PKTCRAFT_IOC_BUILD, &b, EFAULT, 0, id);

		snprintf(name, sizeof(name), "GET_STATS pointer %s -> EFAULT", bad[i].name);
		expect(name, PKTCRAFT_IOC_GET_STATS, (void *)(uintptr_t)bad[i].addr,
		       EFAULT, 0, case_no++);
	}

	/* Misaligned but valid pointers are fine. */
	ro = (struct pktcraft_req *)(odd_req + 1);
	id = next_req(&r, 0);
	memcpy(odd_payload + 1, "hardening", 9);
	r.payload = (uintptr_t)(odd_payload + 1);
	memcpy(ro, &r, sizeof(r));
	expect("SEND misaligned request and payload pointers: accepted",
	       PKTCRAFT_IOC_SEND, ro, 0, 1, id);
	id = next_req(&r, 0);
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.req = (uintptr_t)ro;
	memcpy(ro, &r, sizeof(r));
	b.buf = (uintptr_t)(odd_frame + 1);
	b.buf_len = 2048;
	expect("BUILD misaligned req and buf pointers: accepted",
	       PKTCRAFT_IOC_BUILD, &b, 0, 0, id);

	/* Payload ending at / crossing into the PROT_NONE page. */
	id = next_req(&r, 0);
	memcpy(guard - 9, "hardening", 9);
	r.payload = (uintptr_t)(guard - 9);
	expect("SEND payload ending at an unmapped page: accepted",
	       PKTCRAFT_IOC_SEND, &r, 0, 1, id);
	id = next_req(&r, 0);
	r.payload = (uintptr_t)(guard - 8);
	expect("SEND payload crossing into an unmapped page -> EFAULT",
	       PKTCRAFT_IOC_SEND, &r, EFAULT, 0, id);
	id = next_req(&r, 0);
	r.payload = (uintptr_t)(guard - 9);
	r.payload_len = 1400;
	expect("SEND payload_len far beyond the mapped bytes -> EFAULT",
	       PKTCRAFT_IOC_SEND, &r, EFAULT, 0, id);

	/* Read-only memory: fine to read from, not to write results into. */
	ro = (struct pktcraft_req *)rdonly;
	expect("SEND request in read-only memory: accepted", PKTCRAFT_IOC_SEND,
	       ro, 0, 1, ro->ip_id);
	ro = (struct pktcraft_req *)(rdonly + 1024);
	expect("SEND burst (count 2) in read-only memory -> EFAULT before sending",
	       PKTCRAFT_IOC_SEND, ro, EFAULT, 0, ro->ip_id);
	rob = (struct pktcraft_build *)(rdonly + 2048);
	expect("BUILD struct in read-only memory (frame_len unwritable) -> EFAULT",
	       PKTCRAFT_IOC_BUILD, rob, EFAULT, 0, case_no++);
	rob = (struct pktcraft_build *)(rdonly + 2048 + 64);
	expect("BUILD|SEND struct in read-only memory -> EFAULT, nothing sent",
	       PKTCRAFT_IOC_BUILD, rob, EFAULT, 0, case_no++);
	id = next_req(&r, 0);
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.req = (uintptr_t)&r;
	b.buf = (uintptr_t)(rdonly + 3072);
	b.buf_len = 1024;
	b.flags = PKTCRAFT_BUILD_F_SEND;
	expect("BUILD|SEND into a read-only buffer -> EFAULT, nothing sent",
	       PKTCRAFT_IOC_BUILD, &b, EFAULT, 0, id);
	ros = (struct pktcraft_stats *)(rdonly + 3072);
	expect("GET_STATS into read-only memory -> EFAULT", PKTCRAFT_IOC_GET_STATS,
	       ros, EFAULT, 0, case_no++);
	ros = (struct pktcraft_stats *)(guard - 100);
	ros->size = sizeof(*ros);
	ros->flags = 0;
	expect("GET_STATS struct crossing into an unmapped page -> EFAULT",
	       PKTCRAFT_IOC_GET_STATS, ros, EFAULT, 0, case_no++);
}

/* Bad size fields of a struct whose version 0 is 32 bytes (BUILD, SEND_BATCH). */
static const struct {
	const char *name;
	uint32_t size;
	int want;
} sizes[] = {
	{ "0", 0, EINVAL }, { "4", 4, EINVAL }, { "31", 31, EINVAL },
	{ "4097", 4097, E2BIG }, { "0xffffffff", 0xffffffffu, E2BIG },
};

static void run_build(void)
{
	static unsigned char frame[2048];
	static union {
		struct pktcraft_build b;
		unsigned char bytes[8192];
	} big;
	struct pktcraft_req r;
	struct pktcraft_build b;
	char name[128];
	unsigned int i;
	int id;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		id = next_req(&r, 0);
		memset(&big, 0, sizeof(big));
		big.b.size = sizes[i].size;
		big.b.req = (uintptr_t)&r;
		big.b.buf = (uintptr_t)frame;
		big.b.buf_len = sizeof(frame);
		snprintf(name, sizeof(name), "BUILD size %s -> %s", sizes[i].name,
			 ename(sizes[i].want));
		expect(name, PKTCRAFT_IOC_BUILD, &big, sizes[i].want, 0, id);
	}
	id = next_req(&r, 0);
	memset(&big, 0, sizeof(big));
	big.b.size = 4096;
	big.b.req = (uintptr_t)&r;
	big.b.buf = (uintptr_t)frame;
	big.b.buf_len = sizeof(frame);
	big.bytes[40] = 1;
	expect("BUILD size 4096 with a non-zero unknown tail -> E2BIG",
	       PKTCRAFT_IOC_BUILD, &big, E2BIG, 0, id);
	big.bytes[40] = 0;
	big.b.flags = PKTCRAFT_BUILD_F_SEND;
	expect("BUILD|SEND size 4096 with a zero tail: sent", PKTCRAFT_IOC_BUILD,
	       &big, 0, 1, id);

#define BUILD_CASE(label, setup, want, rc)				\
	do {								\
		id = next_req(&r, 0);					\
		memset(&b, 0, sizeof(b));				\
		b.size = sizeof(b);					\
		b.req = (uintptr_t)&r;					\
		b.buf = (uintptr_t)frame;				\
		b.buf_len = sizeof(frame);				\
		setup;							\
		expect("BUILD " label, PKTCRAFT_IOC_BUILD, &b, want, rc, id); \
	} while (0)

	/* frame_len is an output: a reused struct still carries the last one. */
	BUILD_CASE("frame_len 1 on input (ignored): accepted", b.frame_len = 1, 0, 0);
	BUILD_CASE("frame_len 0xffffffff on input (ignored): accepted", b.frame_len = ~0u, 0, 0);
	BUILD_CASE("buf_len 0 -> ENOSPC", b.buf_len = 0, ENOSPC, 0);
	BUILD_CASE("buf_len frame - 1 -> ENOSPC", b.buf_len = 14 + BASE_LEN - 1, ENOSPC, 0);
	BUILD_CASE("|SEND buf_len frame - 1 -> ENOSPC, nothing sent",
		   (b.buf_len = 14 + BASE_LEN - 1, b.flags = PKTCRAFT_BUILD_F_SEND),
		   ENOSPC, 0);
	BUILD_CASE("buf_len 0xffffffff with a real 2 KiB buffer: accepted",
		   b.buf_len = ~0u, 0, 0);
	BUILD_CASE("NULL buf with buf_len 0 -> ENOSPC", (b.buf = 0, b.buf_len = 0), ENOSPC, 0);
	BUILD_CASE("request with a bad flag -> EINVAL", r.flags |= 1U << 20, EINVAL, 0);
	BUILD_CASE("request with count 2 (bursts are SEND only) -> EINVAL", r.count = 2,
		   EINVAL, 0);
	BUILD_CASE("request with gap_ns -> EINVAL", r.gap_ns = 1000, EINVAL, 0);
	BUILD_CASE("request with start_ns -> EINVAL", r.start_ns = 1, EINVAL, 0);
	BUILD_CASE("request with a varied field -> EINVAL",
		   (r.vary[0].mode = PKTCRAFT_VARY_RANDOM, r.vary[0].max = 0xffff), EINVAL, 0);
	BUILD_CASE("request with burst_flags COPY -> EINVAL",
		   r.burst_flags = PKTCRAFT_BURST_F_COPY, EINVAL, 0);
	BUILD_CASE("request with count 1: accepted", r.count = 1, 0, 0);
	BUILD_CASE("request of size 0 -> EINVAL", r.size = 0, EINVAL, 0);
	BUILD_CASE("request with payload_len 0xffffffff -> EMSGSIZE",
		   r.payload_len = 0xffffffffu, EMSGSIZE, 0);
	BUILD_CASE("|SEND with room: sent", b.flags = PKTCRAFT_BUILD_F_SEND, 0, 1);
	BUILD_CASE("|SEND on a down device -> ENETDOWN",
		   (b.flags = PKTCRAFT_BUILD_F_SEND, r.ifindex = down_ifindex), ENETDOWN, 0);
	BUILD_CASE("on a down device -> ENETDOWN", r.ifindex = down_ifindex, ENETDOWN, 0);
}

/*
 * GET_STATS and SNDBUF: the struct zeroed up to 8 KiB, size = its own,
 * then up to two patches (offset, width, value) of a field or a raw byte.
 */
struct scase {
	const char *name;
	unsigned long cmd;
	size_t size;
	int want;
	struct { size_t off, size; uint64_t val; } p[3];
};

#define SF(type, f, v) { offsetof(type, f), sizeof(((type *)0)->f), (uint64_t)(v) }
#define STATS(name, want, ...) \
	{ "GET_STATS " name, PKTCRAFT_IOC_GET_STATS, sizeof(struct pktcraft_stats), want, { __VA_ARGS__ } }
#define SNDBUF(name, want, ...) \
	{ "SNDBUF " name, PKTCRAFT_IOC_SNDBUF, sizeof(struct pktcraft_sndbuf), want, { __VA_ARGS__ } }
#define ST(f, v) SF(struct pktcraft_stats, f, v)
#define SB(f, v) SF(struct pktcraft_sndbuf, f, v)

static const struct scase struct_cases[] = {
	STATS("size 0 -> EINVAL", EINVAL, ST(size, 0)),
	STATS("size 519 -> EINVAL", EINVAL, ST(size, PKTCRAFT_STATS_SIZE_VER0 - 1)),
	STATS("size 4097 -> E2BIG", E2BIG, ST(size, 4097)),
	STATS("size 0xffffffff -> E2BIG", E2BIG, ST(size, ~0u)),
	STATS("unknown flag -> EINVAL", EINVAL, ST(flags, PKTCRAFT_STATS_F_ALL + 1)),
	STATS("flags 0x80000000 -> EINVAL", EINVAL, ST(flags, 0x80000000u)),
	STATS("F_DROPS with version 0's size -> EINVAL", EINVAL,
	      ST(size, PKTCRAFT_STATS_SIZE_VER0), ST(flags, PKTCRAFT_STATS_F_DROPS)),
	STATS("F_DROPS: nr_drops without an array -> EINVAL", EINVAL,
	      ST(flags, PKTCRAFT_STATS_F_DROPS), ST(nr_drops, 1)),
	STATS("F_DROPS: drop_size without an array -> EINVAL", EINVAL,
	      ST(flags, PKTCRAFT_STATS_F_DROPS), ST(drop_size, PKTCRAFT_DROP_COUNT_SIZE_VER0)),
	STATS("F_DROPS: drop_size 48 (below version 0) -> EINVAL", EINVAL,
	      ST(flags, PKTCRAFT_STATS_F_DROPS), ST(drops, 0x10000), ST(drop_size, 48)),
	STATS("F_DROPS: drop_size 60 (not a multiple of 8) -> EINVAL", EINVAL,
	      ST(flags, PKTCRAFT_STATS_F_DROPS), ST(drops, 0x10000), ST(drop_size, 60)),
	STATS("F_DROPS: drop_size above PKTCRAFT_MAX_STRIDE -> EINVAL", EINVAL,
	      ST(flags, PKTCRAFT_STATS_F_DROPS), ST(drops, 0x10000), ST(drop_size, PKTCRAFT_MAX_STRIDE + 8)),
	STATS("F_DROPS: drop_size 0 with an array -> EINVAL", EINVAL,
	      ST(flags, PKTCRAFT_STATS_F_DROPS), ST(drops, 0x10000)),
	SNDBUF("size 0 -> EINVAL", EINVAL, SB(size, 0)),
	SNDBUF("size 15 -> EINVAL", EINVAL, SB(size, PKTCRAFT_SNDBUF_SIZE_VER0 - 1)),
	SNDBUF("size 4097 -> E2BIG", E2BIG, SB(size, 4097)),
	SNDBUF("size 20 with a non-zero unknown tail -> E2BIG", E2BIG, SB(size, 20), { 19, 1, 1 }),
	SNDBUF("unknown flag -> EINVAL", EINVAL, SB(flags, PKTCRAFT_SNDBUF_F_ALL + 1)),
	SNDBUF("FORCE without SET -> EINVAL", EINVAL, SB(flags, PKTCRAFT_SNDBUF_F_FORCE)),
	SNDBUF("in_flight not 0 on input -> EINVAL", EINVAL, SB(in_flight, 1)),
	SNDBUF("bytes without SET -> EINVAL", EINVAL, SB(bytes, 4096)),
	SNDBUF("bytes above INT_MAX -> EINVAL", EINVAL,
	       SB(flags, PKTCRAFT_SNDBUF_F_SET), SB(bytes, 0x80000000u)),
};
_Static_assert(offsetof(struct pktcraft_stats, size) == 0 &&
	       offsetof(struct pktcraft_sndbuf, size) == 0, "size comes first");

static void run_struct_cases(void)
{
	static unsigned char buf[8192] __attribute__((aligned(8)));
	size_t i, j;

	for (i = 0; i < sizeof(struct_cases) / sizeof(struct_cases[0]); i++) {
		const struct scase *c = &struct_cases[i];

		memset(buf, 0, sizeof(buf));
		put(buf, 4, c->size);
		for (j = 0; j < 3 && c->p[j].size; j++)
			put(buf + c->p[j].off, c->p[j].size, c->p[j].val);
		expect(c->name, c->cmd, buf, c->want, 0, case_no++);
	}
}

static void run_stats(void)
{
	static union {
		struct pktcraft_stats s;
		unsigned char bytes[8192];
	} big;
	unsigned int i;
	int rc, ok;

	/* A newer caller's larger struct: the tail is zeroed, size = filled. */
	memset(&big, 0xa5, sizeof(big));
	big.s.size = 4096;
	big.s.flags = 0;	/* version 1's fields (0xa5...) are not read */
	rc = ioctl(fd, PKTCRAFT_IOC_GET_STATS, &big);
	ok = rc == 0 && big.s.size == sizeof(big.s) && !big.s.drops && !big.s.drop_size;
	for (i = sizeof(big.s); ok && i < 4096; i++)
		ok = big.bytes[i] == 0;
	ok = ok && big.bytes[4096] == 0xa5;
	for (i = 0; ok && i < sizeof(big.s.file.reserved) / sizeof(big.s.file.reserved[0]); i++)
		ok = big.s.file.reserved[i] == 0 && big.s.module.reserved[i] == 0;
	verdict(ok, "GET_STATS size 4096: size set to the bytes filled, the tail and reserved counters zeroed, nothing beyond size written; without F_DROPS version 1's input ignored",
		"rc %d size %u", rc, big.s.size);
}

static unsigned int proc_uint(const char *path, unsigned int dflt)
{
	FILE *f = fopen(path, "r");
	unsigned int v;

	if (!f || fscanf(f, "%u", &v) != 1)
		v = dflt;
	if (f)
		fclose(f);
	return v;
}

static int sndbuf_set(struct pktcraft_sndbuf *b, unsigned int flags, unsigned int bytes)
{
	memset(b, 0, sizeof(*b));
	b->size = sizeof(*b);
	b->flags = flags;
	b->bytes = bytes;
	return ioctl(fd, PKTCRAFT_IOC_SNDBUF, b);
}

/* PKTCRAFT_IOC_SNDBUF: the per-file send buffer, SO_SNDBUF semantics (the
 * refusals are in struct_cases).
 */
static void run_sndbuf(void)
{
	struct pktcraft_sndbuf b;
	int rc, wmem_max = (int)proc_uint("/proc/sys/net/core/wmem_max", 0), want;

	expect("SNDBUF NULL pointer -> EFAULT", PKTCRAFT_IOC_SNDBUF, NULL, EFAULT, 0,
	       case_no++);
	/* As SO_SNDBUF: doubled, capped at wmem_max (then doubled). */
	rc = sndbuf_set(&b, PKTCRAFT_SNDBUF_F_SET, 100000);
	want = 2 * (100000 < wmem_max ? 100000 : wmem_max);
	verdict(rc == 0 && (int)b.bytes == want && b.size == sizeof(b),
		"SNDBUF set 100000: the buffer is what SO_SNDBUF gives (doubled, capped at net.core.wmem_max)",
		"rc %d %s bytes %u want %d", rc, ename(errno), b.bytes, want);
	rc = sndbuf_set(&b, PKTCRAFT_SNDBUF_F_SET | PKTCRAFT_SNDBUF_F_FORCE, 4 * wmem_max);
	verdict(rc == 0 && (int)b.bytes == 8 * wmem_max,
		"SNDBUF forced beyond net.core.wmem_max (root: CAP_NET_ADMIN)",
		"rc %d %s bytes %u want %d", rc, ename(errno), b.bytes, 8 * wmem_max);
	/* Back to the default for the rest of the run. */
	rc = sndbuf_set(&b, PKTCRAFT_SNDBUF_F_SET,
			proc_uint("/proc/sys/net/core/wmem_default", 212992) / 2);
	verdict(rc == 0 && b.in_flight < b.bytes,
		"SNDBUF read back: in_flight below the buffer when idle",
		"rc %d in_flight %u bytes %u", rc, b.in_flight, b.bytes);
}

/* Other ioctl numbers: the magic with every other nr, our nrs with other
 * directions and sizes, and foreign commands. All ENOTTY, nothing sent. */
static void run_cmds(void)
{
	static unsigned char arg[16384];
	struct pktcraft_req *r = (struct pktcraft_req *)arg;
	unsigned long long t0 = tx_packets(ifname), t1;
	static const unsigned int dirs[] = { _IOC_NONE, _IOC_READ, _IOC_WRITE,
					     _IOC_READ | _IOC_WRITE };
	static const unsigned int sizes[] = { 0, 8, 16, 80, 176, 296, 520, 0x3fff };
	unsigned int nr, d, s, n = 0, bad = 0;
	unsigned long cmd;
	char first[64] = "";
	int rc;

	next_req(r, 0);
	for (nr = 0; nr < 256; nr++)
		for (d = 0; d < 4; d++)
			for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
				cmd = _IOC(dirs[d], PKTCRAFT_IOC_MAGIC, nr, sizes[s]);
				if (cmd == PKTCRAFT_IOC_SEND || cmd == PKTCRAFT_IOC_BUILD ||
				    cmd == PKTCRAFT_IOC_GET_STATS ||
				    cmd == PKTCRAFT_IOC_SNDBUF)
					continue;
				n++;
				rc = ioctl(fd, cmd, arg);
				if (rc >= 0 || errno != ENOTTY) {
					if (!bad++)
						snprintf(first, sizeof(first), "0x%lx: rc %d %s",
							 cmd, rc, ename(errno));
				}
			}
	static const unsigned long foreign[] = { 0x5401 /* TCGETS */, FIONREAD,
						 FIONBIO, FIOCLEX, 0, ~0UL, 0xffffffffUL };
	for (s = 0; s < sizeof(foreign) / sizeof(foreign[0]); s++) {
		if (foreign[s] == FIONBIO || foreign[s] == FIOCLEX)
			continue;	/* handled by the VFS, not the driver */
		n++;
		rc = ioctl(fd, foreign[s], arg);
		if ((rc >= 0 || errno != ENOTTY) && !bad++)
			snprintf(first, sizeof(first), "0x%lx: rc %d %s", foreign[s], rc,
				 ename(errno));
	}
	usleep(20000);
	t1 = tx_packets(ifname);
	{
		char name[128];

		snprintf(name, sizeof(name),
			 "%u other ioctl numbers (every nr, direction, size of magic 0x%x; foreign) -> ENOTTY, nothing sent",
			 n, PKTCRAFT_IOC_MAGIC);
		verdict(!bad && t1 == t0, name, "%u wrong, first %s; tx moved by %llu",
			bad, first, t1 - t0);
	}
}

static void run_egress(void)
{
	static const struct {
		const char *name;
		uint32_t flag;
		uint16_t val;
	} ip_lies[] = {
		{ "--inject ip: forced IHL 15, past the packet's end -> EINVAL",
		  PKTCRAFT_F_IP_IHL, 15 },
		{ "--inject ip: forced IHL 13 (52 bytes), 3 past the end -> EINVAL",
		  PKTCRAFT_F_IP_IHL, 13 },
		{ "--inject ip: forced IHL 4 -> EINVAL", PKTCRAFT_F_IP_IHL, 4 },
		{ "--inject ip: forced IHL 0 -> EINVAL", PKTCRAFT_F_IP_IHL, 0 },
		{ "--inject ip: forced total length real + 1 -> EINVAL",
		  PKTCRAFT_F_IP_TOT_LEN, BASE_LEN + 1 },
		{ "--inject ip: forced total length 0xffff -> EINVAL",
		  PKTCRAFT_F_IP_TOT_LEN, 0xffff },
		{ "--inject ip: forced total length 0 -> EINVAL",
		  PKTCRAFT_F_IP_TOT_LEN, 0 },
	};
	struct pktcraft_req r;
	static char huge[1500];
	unsigned int i;
	int id;

	id = next_req(&r, 0);
	r.ifindex = down_ifindex;
	expect("SEND on a device that is down -> ENETDOWN", PKTCRAFT_IOC_SEND, &r,
	       ENETDOWN, 0, id);
	id = next_req(&r, 0);
	r.payload = (uintptr_t)huge;
	r.payload_len = 1500 - 40 + 1;
	expect("SEND one byte over the MTU -> EMSGSIZE", PKTCRAFT_IOC_SEND, &r,
	       EMSGSIZE, 0, id);
	id = next_req(&r, 0);
	r.payload = (uintptr_t)huge;
	r.payload_len = 1500 - 40;
	expect("SEND exactly at the MTU: accepted", PKTCRAFT_IOC_SEND, &r, 0, 1, id);
	id = next_req(&r, 0);
	r.payload = (uintptr_t)huge;
	r.payload_len = 1500 - 80 + 1;
	r.ip_optlen = 40;
	expect("SEND with 40 option bytes, one byte over the MTU -> EMSGSIZE",
	       PKTCRAFT_IOC_SEND, &r, EMSGSIZE, 0, id);

	/* Route lookups (no ifindex): error routes set up by the guest. */
	id = next_req(&r, 0);
	r.ifindex = 0;
	r.ip_daddr = inet_addr("10.66.1.1");
	expect("SEND routed into an 'unreachable' route -> EHOSTUNREACH",
	       PKTCRAFT_IOC_SEND, &r, EHOSTUNREACH, 0, id);
	id = next_req(&r, 0);
	r.ifindex = 0;
	r.ip_daddr = inet_addr("10.66.2.1");
	expect("SEND routed into a 'prohibit' route -> EACCES",
	       PKTCRAFT_IOC_SEND, &r, EACCES, 0, id);
	id = next_req(&r, 0);
	r.ifindex = 0;
	r.ip_daddr = inet_addr("10.66.3.1");
	expect("SEND routed into a 'blackhole' route -> EINVAL",
	       PKTCRAFT_IOC_SEND, &r, EINVAL, 0, id);
	id = next_req(&r, 0);
	r.ifindex = ifindex;
	r.ip_daddr = inet_addr("10.66.1.1");
	expect("SEND with ifindex and dst_mac ignores the 'unreachable' route: accepted",
	       PKTCRAFT_IOC_SEND, &r, 0, 1, id);

	/*
	 * Into the IP stack's output (--inject ip), which trusts an IPv4
	 * header's lengths as raw_send_hdrinc() leaves them: a forced IHL
	 * below 5 or past the packet's end, or a forced total length other
	 * than the packet's, is refused (the queue path sends the total length
	 * always, the IHL with the ip4_ihl_lies module parameter: cases.py).
	 * With xfrm transport mode, an IHL of 15 on this 49-byte packet made
	 * xfrm4_transport_output() pull 60 bytes and wrap skb->len.
	 */
	for (i = 0; i < sizeof(ip_lies) / sizeof(ip_lies[0]); i++) {
		id = next_req(&r, 0);
		memset(r.dst_mac, 0, 6);
		r.inject = PKTCRAFT_INJECT_IP;
		r.flags |= ip_lies[i].flag;
		if (ip_lies[i].flag == PKTCRAFT_F_IP_IHL)
			r.ip_ihl = ip_lies[i].val;
		else
			r.ip_tot_len = ip_lies[i].val;
		expect(ip_lies[i].name, PKTCRAFT_IOC_SEND, &r, EINVAL, 0, id);
	}
	/* Forced, and true: sent (the default route's static neighbour). */
	id = next_req(&r, 0);
	memset(r.dst_mac, 0, 6);
	r.inject = PKTCRAFT_INJECT_IP;
	r.flags |= PKTCRAFT_F_IP_IHL | PKTCRAFT_F_IP_TOT_LEN;
	r.ip_ihl = 5;
	r.ip_tot_len = BASE_LEN;
	expect("--inject ip: forced IHL 5 and total length 49, both the packet's: accepted",
	       PKTCRAFT_IOC_SEND, &r, 0, 1, id);
}

/*
 * IPv6 (request version 3): malformed requests and extension headers, and
 * bad pointers to them, are refused before anything is built or sent.
 * Nothing here may reach the wire (rc 0 cases are not used: the wire check
 * knows IPv4 IDs only).
 */
static void ip6_req(struct pktcraft_req *r, uint8_t l4)
{
	next_req(r, l4);
	r->flags = 0;
	r->ip_id = 0;
	r->ip_daddr = 0;
	r->ip_saddr = 0;
	r->family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::2", r->ip6_daddr);
	inet_pton(AF_INET6, "2001:db8::1", r->ip6_saddr);
	if (l4 == PKTCRAFT_L4_ICMP)
		r->icmp_type = 128;
}

static void run_ipv6(void)
{
	struct pktcraft_ext *e = (struct pktcraft_ext *)(guard - 2 * sizeof(*e));
	static struct pktcraft_ext many[PKTCRAFT_MAX_EXT + 1];
	static unsigned char tlv[PKTCRAFT_MAX_EXT_LEN];
	struct pktcraft_req r;
	char name[160];
	int i;

	ip6_req(&r, 0);
	r.ip_id = 1;
	expect("IPv6: ip_id set -> EINVAL", PKTCRAFT_IOC_SEND, &r, EINVAL, 0, case_no++);
	ip6_req(&r, 0);
	r.flags = PKTCRAFT_F_IP_CSUM;
	expect("IPv6: PKTCRAFT_F_IP_CSUM -> EINVAL", PKTCRAFT_IOC_SEND, &r, EINVAL, 0, case_no++);
	ip6_req(&r, 0);
	r.ip_frag = 0x4000;
	expect("IPv6: ip_frag (DF) set -> EINVAL", PKTCRAFT_IOC_SEND, &r, EINVAL, 0, case_no++);
	ip6_req(&r, 0);
	r.ip_optlen = 4;
	expect("IPv6: ip_optlen set -> EINVAL", PKTCRAFT_IOC_SEND, &r, EINVAL, 0, case_no++);
	ip6_req(&r, 0);
	r.ip6_flowlabel = 0x100000;
	expect("IPv6: flow label of 21 bits -> EINVAL", PKTCRAFT_IOC_SEND, &r, EINVAL, 0, case_no++);
	ip6_req(&r, 0);
	r.ip6_nexthdr = 17;
	expect("IPv6: ip6_nexthdr without PKTCRAFT_F_IP6_NEXTHDR -> EINVAL",
	       PKTCRAFT_IOC_SEND, &r, EINVAL, 0, case_no++);
	ip6_req(&r, 0);
	r.ip_tot_len = 19;
	expect("IPv6: payload length real - 1 without its flag -> EINVAL",
	       PKTCRAFT_IOC_SEND, &r, EINVAL, 0, case_no++);
	ip6_req(&r, PKTCRAFT_L4_UDP);
	r.payload = (uintptr_t)tlv;
	r.payload_len = 0xffff - 8 + 1;
	expect("IPv6: UDP payload making the payload length 65536 -> EMSGSIZE",
	       PKTCRAFT_IOC_SEND, &r, EMSGSIZE, 0, case_no++);
	ip6_req(&r, 0);
	r.count = 2;
	r.vary[PKTCRAFT_VARY_IP_ID].mode = PKTCRAFT_VARY_RANDOM;
	r.vary[PKTCRAFT_VARY_IP_ID].max = 5;
	expect("IPv6: a burst varying the IPv4 ID -> EINVAL", PKTCRAFT_IOC_SEND, &r, EINVAL, 0,
	       case_no++);
	ip6_req(&r, 0);
	r.count = 2;
	r.vary_flowlabel.mode = PKTCRAFT_VARY_RANDOM;
	r.vary_flowlabel.max = 0x100000;
	expect("IPv6: a burst varying the flow label up to 2^20 -> EINVAL", PKTCRAFT_IOC_SEND,
	       &r, EINVAL, 0, case_no++);
	ip6_req(&r, PKTCRAFT_L4_UDP);
	r.payload = (uintptr_t)tlv;
	r.payload_len = 1500 - 40 - 8 + 1;
	expect("IPv6: one byte over the MTU (IPv6 header included) -> EMSGSIZE",
	       PKTCRAFT_IOC_SEND, &r, EMSGSIZE, 0, case_no++);
	ip6_req(&r, PKTCRAFT_L4_UDP);
	r.payload = (uintptr_t)tlv;
	r.payload_len = 1500 - 40 - 8 - 16 + 1;
	memset(many, 0, sizeof(many));
	many[0].type = PKTCRAFT_EXT_FRAG;
	many[1].type = PKTCRAFT_EXT_DST;
	many[1].len = 6;
	many[1].data = (uintptr_t)tlv;
	r.ext_nr = 2;
	r.ext = (uintptr_t)many;
	expect("IPv6: one byte over the MTU with 16 bytes of extension headers -> EMSGSIZE",
	       PKTCRAFT_IOC_SEND, &r, EMSGSIZE, 0, case_no++);
	ip6_req(&r, 0);
	r.ifindex = 0;
	memset(r.dst_mac, 0, 6);
	inet_pton(AF_INET6, "fe80::2", r.ip6_daddr);
	expect("IPv6: link-local destination without an interface -> EINVAL",
	       PKTCRAFT_IOC_SEND, &r, EINVAL, 0, case_no++);

	/* The extension header array */
	ip6_req(&r, 0);
	r.ext_nr = 1;
	expect("IPv6: ext_nr 1 with a NULL ext pointer -> EFAULT", PKTCRAFT_IOC_SEND, &r,
	       EFAULT, 0, case_no++);
	for (i = 0; i < nbad; i++) {
		if (!bad[i].addr)
			continue;
		ip6_req(&r, 0);
		r.ext_nr = 1;
		r.ext = bad[i].addr;
		snprintf(name, sizeof(name), "IPv6: ext pointer %s -> EFAULT", bad[i].name);
		expect(name, PKTCRAFT_IOC_SEND, &r, EFAULT, 0, case_no++);
	}
	ip6_req(&r, 0);
	memset(e, 0, 2 * sizeof(*e));
	e[1].type = PKTCRAFT_EXT_FRAG;
	r.ext = (uintptr_t)e;
	r.ext_nr = 3;
	expect("IPv6: ext array crossing into an unmapped page -> EFAULT", PKTCRAFT_IOC_SEND,
	       &r, EFAULT, 0, case_no++);
	ip6_req(&r, 0);
	r.ext_nr = PKTCRAFT_MAX_EXT + 1;
	r.ext = (uintptr_t)many;
	expect("IPv6: ext_nr PKTCRAFT_MAX_EXT + 1 -> EINVAL", PKTCRAFT_IOC_SEND, &r, EINVAL, 0,
	       case_no++);
	r.ext_nr = 0;
	expect("IPv6: ext pointer with ext_nr 0 -> EINVAL", PKTCRAFT_IOC_SEND, &r, EINVAL, 0,
	       case_no++);
	/* 32 padded options headers of 2048 bytes: 65536, one over. */
	for (i = 0; i < PKTCRAFT_MAX_EXT; i++) {
		memset(&many[i], 0, sizeof(many[i]));
		many[i].type = PKTCRAFT_EXT_DST;
		many[i].data = (uintptr_t)tlv;
		many[i].len = PKTCRAFT_MAX_EXT_LEN - 2;
	}
	r.ext_nr = PKTCRAFT_MAX_EXT;
	r.l4 = PKTCRAFT_L4_RAW;
	r.ip_protocol = 59;
	r.tcp_flags = r.tcp_win = r.sport = r.dport = 0;
	expect("IPv6: 32 extension headers of 2048 bytes (payload length 65536) -> EMSGSIZE",
	       PKTCRAFT_IOC_SEND, &r, EMSGSIZE, 0, case_no++);

	static const struct {
		const char *name;
		struct pktcraft_ext e;
		int want;
	} ecases[] = {
		{ "type 5", { .type = 5 }, EINVAL },
		{ "type 255", { .type = 255 }, EINVAL },
		{ "flags bit 4", { .type = PKTCRAFT_EXT_HBH, .flags = 1 << 4 }, EINVAL },
		{ "reserved", { .type = PKTCRAFT_EXT_HBH, .reserved = 1 }, EINVAL },
		{ "reserved2", { .type = PKTCRAFT_EXT_HBH, .reserved2 = 1 }, EINVAL },
		{ "nexthdr without its flag", { .type = PKTCRAFT_EXT_HBH, .nexthdr = 6 }, EINVAL },
		{ "hdrlen without its flag", { .type = PKTCRAFT_EXT_DST, .hdrlen = 1 }, EINVAL },
		{ "HBH with proto", { .type = PKTCRAFT_EXT_HBH, .proto = 6 }, EINVAL },
		{ "HBH with segleft", { .type = PKTCRAFT_EXT_HBH, .segleft = 1 }, EINVAL },
		{ "HBH with frag_id", { .type = PKTCRAFT_EXT_HBH, .frag_id = 1 }, EINVAL },
		{ "HBH with PKTCRAFT_EXT_F_MORE", { .type = PKTCRAFT_EXT_HBH,
		  .flags = PKTCRAFT_EXT_F_MORE }, EINVAL },
		{ "HBH with 2047 TLV bytes (over 2048 padded)", { .type = PKTCRAFT_EXT_HBH,
		  .len = 2047, .data = 1 }, EINVAL },
		{ "DST with 5 TLV bytes and NOPAD (7 bytes)", { .type = PKTCRAFT_EXT_DST,
		  .flags = PKTCRAFT_EXT_F_NOPAD, .len = 5, .data = 1 }, EINVAL },
		{ "DST with a length and a NULL data pointer", { .type = PKTCRAFT_EXT_DST,
		  .len = 6 }, EFAULT },
		{ "RT with 12 data bytes (not a multiple of 8)", { .type = PKTCRAFT_EXT_RT,
		  .len = 12, .data = 1 }, EINVAL },
		{ "RT with PKTCRAFT_EXT_F_NOPAD", { .type = PKTCRAFT_EXT_RT,
		  .flags = PKTCRAFT_EXT_F_NOPAD }, EINVAL },
		{ "RT with frag_off", { .type = PKTCRAFT_EXT_RT, .frag_off = 1 }, EINVAL },
		{ "FRAG with data", { .type = PKTCRAFT_EXT_FRAG, .len = 8, .data = 1 }, EINVAL },
		{ "FRAG offset 8192", { .type = PKTCRAFT_EXT_FRAG, .frag_off = 8192 }, EINVAL },
		{ "FRAG with rt_data", { .type = PKTCRAFT_EXT_FRAG, .rt_data = { 1 } }, EINVAL },
		{ "RAW with 5 body bytes (7: not a multiple of 8)", { .type = PKTCRAFT_EXT_RAW,
		  .len = 5, .data = 1 }, EINVAL },
		{ "RAW with rt_type", { .type = PKTCRAFT_EXT_RAW, .rt_type = 1, .len = 6,
		  .data = 1 }, EINVAL },
		{ "AH (RAW, proto 51) of 1032 bytes (its 4-octet length, less 2, is 256)",
		  { .type = PKTCRAFT_EXT_RAW, .proto = 51, .len = 1030, .data = 1 }, EINVAL },
	};
	static struct pktcraft_ext one;

	for (i = 0; i < (int)(sizeof(ecases) / sizeof(ecases[0])); i++) {
		ip6_req(&r, 0);
		one = ecases[i].e;
		if (one.data)
			one.data = (uintptr_t)tlv;
		r.ext_nr = 1;
		r.ext = (uintptr_t)&one;
		snprintf(name, sizeof(name), "IPv6: extension header %s -> %s", ecases[i].name,
			 ename(ecases[i].want));
		expect(name, PKTCRAFT_IOC_SEND, &r, ecases[i].want, 0, case_no++);
	}
	/* Data the kernel copies only when it builds: a bad one, nothing sent. */
	for (i = 0; i < nbad; i++) {
		if (!bad[i].addr)
			continue;
		ip6_req(&r, 0);
		memset(&one, 0, sizeof(one));
		one.type = PKTCRAFT_EXT_HBH;
		one.len = 4;
		one.data = bad[i].addr;
		r.ext_nr = 1;
		r.ext = (uintptr_t)&one;
		snprintf(name, sizeof(name), "IPv6: extension header data pointer %s -> EFAULT",
			 bad[i].name);
		expect(name, PKTCRAFT_IOC_SEND, &r, EFAULT, 0, case_no++);
	}
	ip6_req(&r, 0);
	memset(&one, 0, sizeof(one));
	one.type = PKTCRAFT_EXT_HBH;
	one.len = 6;
	one.data = (uintptr_t)(guard - 5);
	r.ext_nr = 1;
	r.ext = (uintptr_t)&one;
	expect("IPv6: extension header data crossing into an unmapped page -> EFAULT",
	       PKTCRAFT_IOC_SEND, &r, EFAULT, 0, case_no++);
}

/* The device is ioctl-only: the other file operations fail cleanly. */
static void run_fileops(void)
{
	unsigned long long t0 = tx_packets(ifname);
	char buf[64] = "x";
	off_t off;
	ssize_t n;
	void *m;

	errno = 0;
	off = lseek(fd, 0, SEEK_SET);
	verdict(off < 0 && errno == ESPIPE, "lseek -> ESPIPE (stream_open)", "%lld %s",
		(long long)off, ename(errno));
	errno = 0;
	n = read(fd, buf, sizeof(buf));
	verdict(n < 0 && errno == EINVAL, "read -> EINVAL", "%zd %s", n, ename(errno));
	errno = 0;
	n = write(fd, buf, sizeof(buf));
	verdict(n < 0 && errno == EINVAL, "write -> EINVAL", "%zd %s", n, ename(errno));
	errno = 0;
	m = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
	verdict(m == MAP_FAILED && errno == ENODEV, "mmap -> ENODEV", "%s", ename(errno));
	usleep(10000);
	verdict(tx_packets(ifname) == t0, "read/write/lseek/mmap sent nothing", "tx +%llu",
		tx_packets(ifname) - t0);
}

static void *map_page(void)
{
	void *p = mmap(NULL, page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	memset(p, 0, page);
	return p;
}

/*
 * A batch the kernel accepts: it must return want_rc, write want_res[] to
 * results[] (the rest of nr stays 0), put exactly the frames of the
 * requests whose result is 1 on the wire and count one error per failed
 * request in that request's errno bucket.
 */
static void batch_expect(const char *name, struct pktcraft_batch *b,
			 const int *ids, int want_rc, const int32_t *want_res)
{
	int32_t *res = (int32_t *)(uintptr_t)b->results;
	struct pktcraft_stats s0, s1;
	unsigned long long t0, t1;
	int rc, err, frames = 0, errs[32] = { 0 };
	char why[256] = "";
	uint32_t i;

	for (i = 0; i < b->nr; i++) {
		res[i] = 0x5a5a5a5a;	/* must be overwritten or cleared */
		frames += want_res[i] == 1;
		if (want_res[i] < 0)
			errs[err_bucket(-want_res[i])]++;
	}
	stats_get(fd, &s0);
	t0 = tx_packets(ifname);
	errno = 0;
	rc = ioctl(fd, PKTCRAFT_IOC_SEND_BATCH, b);
	err = rc < 0 ? errno : 0;
	t1 = tx_wait(ifname, t0 + frames, 10000);
	usleep(10000);
	t1 = tx_packets(ifname);
	stats_get(fd, &s1);
	if (rc != want_rc)
		snprintf(why, sizeof(why), "returned %d (%s), want %d", rc, ename(err), want_rc);
	for (i = 0; !*why && i < b->nr; i++)
		if (res[i] != want_res[i])
			snprintf(why, sizeof(why), "results[%u] = %d (%s), want %d (%s)", i,
				 res[i], res[i] < 0 ? ename(-res[i]) : "-", want_res[i],
				 want_res[i] < 0 ? ename(-want_res[i]) : "-");
	if (!*why && t1 - t0 != (unsigned long long)frames)
		snprintf(why, sizeof(why), "%s tx_packets moved by %llu, want %d", ifname,
			 t1 - t0, frames);
	if (!*why && s1.file.packets - s0.file.packets != (unsigned long long)frames)
		snprintf(why, sizeof(why), "module packets counter moved by %llu, want %d",
			 (unsigned long long)(s1.file.packets - s0.file.packets), frames);
	for (i = 0; !*why && i < 32; i++) {
		__u64 d = ((__u64 *)&s1.file)[i] - ((__u64 *)&s0.file)[i];

		if (i >= offsetof(struct pktcraft_counters, err_inval) / 8 && d != (__u64)errs[i])
			snprintf(why, sizeof(why), "GET_STATS error bucket %u moved by %llu, want %d",
				 i, (unsigned long long)d, errs[i]);
	}
	verdict(!*why, name, "%s", why);
	for (i = 0; i < b->nr && nwire < 4096; i++)
		if (res[i] == 1)
			wire_ids[nwire++] = ids[i];
}

/* PKTCRAFT_IOC_SEND_BATCH: the batch's own fields, then its requests. */
static void run_batch(void)
{
	static struct pktcraft_req r[4];
	static union {
		struct pktcraft_batch b;
		unsigned char bytes[8192];
	} big;
	static int32_t res[PKTCRAFT_MAX_BATCH + 1];
	unsigned char raw_body[2] = { port >> 8, port & 0xff };
	struct pktcraft_batch b;
	int ids[4], id, bit, k;
	char name[160];
	unsigned int i;

#define BATCH_INIT(n)							\
	do {								\
		for (k = 0; k < 4; k++)	/* TCP UDP ICMP raw */	\
			ids[k] = next_req(&r[k], k);			\
		r[2].icmp_id = port;	/* how the host knows them */	\
		r[3].payload = (uintptr_t)raw_body;			\
		r[3].payload_len = sizeof(raw_body);			\
		id = ids[0];						\
		memset(&b, 0, sizeof(b));				\
		b.size = sizeof(b);					\
		b.reqs = (uintptr_t)r;					\
		b.results = (uintptr_t)res;				\
		b.nr = (n);						\
		b.stride = sizeof(r[0]);				\
	} while (0)
#define BATCH_CASE(label, setup, want)					\
	do {								\
		BATCH_INIT(2);						\
		setup;							\
		expect("SEND_BATCH " label, PKTCRAFT_IOC_SEND_BATCH, &b, want, 0, id); \
	} while (0)

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		BATCH_INIT(2);
		memset(&big, 0, sizeof(big));
		big.b = b;
		big.b.size = sizes[i].size;
		snprintf(name, sizeof(name), "SEND_BATCH size %s -> %s, nothing sent",
			 sizes[i].name, ename(sizes[i].want));
		expect(name, PKTCRAFT_IOC_SEND_BATCH, &big, sizes[i].want, 0, id);
	}
	BATCH_INIT(2);
	memset(&big, 0, sizeof(big));
	big.b = b;
	big.b.size = 4096;
	big.bytes[40] = 1;
	expect("SEND_BATCH size 4096 with a non-zero unknown tail -> E2BIG, nothing sent",
	       PKTCRAFT_IOC_SEND_BATCH, &big, E2BIG, 0, id);
	for (bit = 1; bit < 32; bit++) {
		snprintf(name, sizeof(name), "SEND_BATCH flags bit %d -> EINVAL, nothing sent", bit);
		BATCH_INIT(2);
		b.flags = 1U << bit;
		expect(name, PKTCRAFT_IOC_SEND_BATCH, &b, EINVAL, 0, id);
	}
	BATCH_CASE("nr 0 -> EINVAL", b.nr = 0, EINVAL);
	BATCH_CASE("nr PKTCRAFT_MAX_BATCH + 1 -> EINVAL, nothing sent",
		   b.nr = PKTCRAFT_MAX_BATCH + 1, EINVAL);
	BATCH_CASE("nr 0xffffffff -> EINVAL, nothing sent", b.nr = 0xffffffffu, EINVAL);
	BATCH_CASE("stride 0 -> EINVAL, nothing sent", b.stride = 0, EINVAL);
	BATCH_CASE("stride 72 (below version 0) -> EINVAL, nothing sent", b.stride = 72, EINVAL);
	BATCH_CASE("stride 300 (not a multiple of 8) -> EINVAL, nothing sent", b.stride = 300,
		   EINVAL);
	BATCH_CASE("stride 4104 (above PKTCRAFT_MAX_STRIDE) -> EINVAL, nothing sent", b.stride = 4104,
		   EINVAL);
	for (i = 0; i < (unsigned int)nbad; i++) {
		snprintf(name, sizeof(name), "SEND_BATCH results pointer %s -> EFAULT, nothing sent",
			 bad[i].name);
		BATCH_INIT(2);
		b.results = bad[i].addr;
		expect(name, PKTCRAFT_IOC_SEND_BATCH, &b, EFAULT, 0, id);
		snprintf(name, sizeof(name), "SEND_BATCH argument pointer %s -> EFAULT, nothing sent",
			 bad[i].name);
		expect(name, PKTCRAFT_IOC_SEND_BATCH, (void *)(uintptr_t)bad[i].addr, EFAULT, 0, id);
	}
	BATCH_CASE("results in read-only memory -> EFAULT, nothing sent",
		   b.results = (uintptr_t)(rdonly + 3500), EFAULT);
	BATCH_CASE("results crossing into an unmapped page -> EFAULT, nothing sent",
		   b.results = (uintptr_t)(guard - 4), EFAULT);

	{
		static const int32_t all3[] = { 1, 1, 1 }, mid[] = { 1, -EINVAL, 1 },
			stop[] = { 1, -EINVAL, 0 }, fault[] = { -EFAULT, -EFAULT },
			kinds[] = { 1, 1, 1, 1 }, big_size[] = { 1, -EINVAL },
			over_stride[] = { -EINVAL, 1 };

		BATCH_INIT(3);
		batch_expect("SEND_BATCH of TCP, UDP and ICMP requests: 3 handled, results 1 1 1, 3 frames",
			     &b, ids, 3, all3);
		BATCH_INIT(3);
		r[1].flags |= 1U << 20;
		batch_expect("SEND_BATCH whose 2nd request is malformed: 3 handled, results 1 -EINVAL 1, the others sent",
			     &b, ids, 3, mid);
		BATCH_INIT(3);
		b.flags = PKTCRAFT_BATCH_F_STOP;
		r[1].flags |= 1U << 20;
		batch_expect("SEND_BATCH with F_STOP: stops at the malformed 2nd: 2 handled, results 1 -EINVAL 0",
			     &b, ids, 2, stop);
		BATCH_INIT(2);
		b.reqs = (uintptr_t)unmapped;
		batch_expect("SEND_BATCH whose requests are unmapped: 2 handled, each -EFAULT, nothing sent",
			     &b, ids, 2, fault);
		BATCH_INIT(4);
		r[0].size = PKTCRAFT_REQ_SIZE_VER0;	/* versions mixed */
		r[2].size = PKTCRAFT_REQ_SIZE_VER1;
		batch_expect("SEND_BATCH of 4 kinds (TCP v0, UDP, ICMP v1, raw): 4 handled, all sent",
			     &b, ids, 4, kinds);
		BATCH_INIT(2);
		b.stride = PKTCRAFT_REQ_SIZE_VER1;	/* r[1] starts mid-r[0] */
		memmove((unsigned char *)r + PKTCRAFT_REQ_SIZE_VER1, &r[1], sizeof(r[1]));
		r[0].size = PKTCRAFT_REQ_SIZE_VER1;
		batch_expect("SEND_BATCH stride 176 (version 1) and a 2nd request declaring 296: results 1 -EINVAL",
			     &b, ids, 2, big_size);
		BATCH_INIT(2);
		r[0].size = 2 * sizeof(r[0]);	/* would reach into r[1] */
		batch_expect("SEND_BATCH whose 1st request declares twice the stride: -EINVAL before reading the 2nd's bytes, the 2nd sent",
			     &b, ids, 2, over_stride);
	}
#undef BATCH_CASE
#undef BATCH_INIT
}

int main(int argc, char **argv)
{
	struct pktcraft_req *ro;
	struct pktcraft_build *rob;
	unsigned char *area;
	unsigned long long t0, t1;
	static unsigned char frame[2048];
	int i;

	if (argc != 3 && argc != 5) {
		fprintf(stderr, "usage: %s IFNAME DOWN_IFNAME [PORT LABEL]\n", argv[0]);
		return 2;
	}
	group = "hostile";
	if (argc == 5) {
		port = atoi(argv[3]);
		group = argv[4];
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	ifname = argv[1];
	downname = argv[2];
	ifindex = if_nametoindex(ifname);
	down_ifindex = if_nametoindex(downname);
	page = sysconf(_SC_PAGESIZE);
	if (!ifindex || !down_ifindex) {
		fprintf(stderr, "no %s or %s\n", ifname, downname);
		return 2;
	}

	/* 3 RW pages then a PROT_NONE one (the "guard"); a hole; RO page. */
	area = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return 2;
	memset(area, 0, 3 * page);
	guard = area + 3 * page;
	mprotect(guard, page, PROT_NONE);
	/* Far from anything mapped; mincore() proves it is a hole. */
	unmapped = (unsigned char *)(uintptr_t)(sizeof(void *) == 8 ?
						0x200000000000ULL : 0x70000000UL);
	{
		unsigned char vec;

		if (mincore(unmapped, page, &vec) == 0 || errno != ENOMEM) {
			fprintf(stderr, "%p is mapped\n", (void *)unmapped);
			return 2;
		}
	}
	rdonly = map_page();

	fd = open(PKTCRAFT_DEVICE, O_RDWR);
	if (fd < 0) {
		perror(PKTCRAFT_DEVICE);
		return 2;
	}

	/* Read-only area: a request, a burst request, two BUILD structs. */
	ro = (struct pktcraft_req *)rdonly;
	next_req(ro, 0);
	ro = (struct pktcraft_req *)(rdonly + 1024);
	next_req(ro, 0);
	ro->count = 2;
	rob = (struct pktcraft_build *)(rdonly + 2048);
	rob->size = sizeof(*rob);
	rob->req = (uintptr_t)rdonly;
	rob->buf = (uintptr_t)frame;
	rob->buf_len = sizeof(frame);
	rob = (struct pktcraft_build *)(rdonly + 2048 + 64);
	*rob = *(struct pktcraft_build *)(rdonly + 2048);
	rob->flags = PKTCRAFT_BUILD_F_SEND;
	((struct pktcraft_stats *)(rdonly + 3072))->size = sizeof(struct pktcraft_stats);
	mprotect(rdonly, page, PROT_READ);
	make_bad_ptrs();

	t0 = tx_packets(ifname);
	{
		struct pktcraft_req r;
		int id = next_req(&r, 0);

		expect("baseline request is sent (the cases below change one thing)",
		       PKTCRAFT_IOC_SEND, &r, 0, 1, id);
	}
	run_req_table();
	run_flag_bits();
	run_sizes();
	run_pointers();
	run_build();
	run_struct_cases();
	run_stats();
	run_sndbuf();
	run_batch();
	run_egress();
	run_ipv6();
	run_cmds();
	run_fileops();

	t1 = tx_wait(ifname, t0 + nwire, 10000);
	verdict(t1 - t0 == (unsigned long long)nwire,
		"eth0 tx_packets moved by exactly the accepted cases",
		"moved by %llu, accepted %d", t1 - t0, nwire);
	close(fd);
	for (i = 0; i < nwire; i++)
		printf("WIRE %s id=%d\n", group, wire_ids[i]);
	printf("HOSTILE %s cases=%d failed=%d\n", group, case_no - 1, failures);
	return failures ? 1 : 0;
}
