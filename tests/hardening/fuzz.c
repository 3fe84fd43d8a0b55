// SPDX-License-Identifier: GPL-2.0
/*
 * In-guest ioctl fuzzer for /dev/pktcraft, run as root, with a topology
 * that keeps changing under it (syzkaller-style).
 *
 * Everything happens in two network namespaces of its own (ns1: lo, the
 * dummies fz0/fz1 and the tunnel transport fzt, plus the topology; ns2: lo
 * and whatever the topology moves there), so nothing can reach eth0 or the
 * capture.
 *
 * Workers (two processes; one fd shared, fds of their own: one opened
 * without CAP_NET_ADMIN, so dummy's identical bursts take the ring rather
 * than the shared skb (the copy path: behind a qdisc), one opened in
 * ns2, fds reopened O_RDONLY/O_WRONLY/O_RDWR) take valid requests of every
 * layer 4 kind and send them as they are or mutated: fields set to
 * interesting or random values, flag bits flipped, sizes, lengths and
 * option bytes changed, pointers replaced by NULL, unmapped, kernel,
 * non-canonical, misaligned, read-only, page-crossing or aliasing ones,
 * bursts (identical, varied, copies) with counts, gaps and start times.
 * They call SEND, BUILD, GET_STATS, SNDBUF, random ioctl numbers, and
 * close/reopen fds. Egress: the ifindex of a topology device, read fresh
 * (the names from /proc/self/net/dev every 150 ms, then SIOCGIFINDEX right
 * before the call, so deletions and moves race with the ioctl), fz0, a
 * stale index, a random one, or 0 (routed). An interval timer interrupts
 * bursts and neighbour waits (EINTR paths); now and then a long paced
 * burst runs with it held off, and the topology aims half its downs,
 * deletions, moves and qdisc changes at the device such a burst is on
 * (the report gives how long after the event the burst ended).
 *
 * The topology process keeps creating, reconfiguring and deleting devices
 * of every kind in kinds[] (one table: the `ip link add` arguments each
 * needs): up/down, MTU, txqueuelen, MAC, carrier, qdiscs (pfifo_fast,
 * fq_codel, pfifo, noqueue, netem delay/loss/duplicate/corrupt/reorder/
 * rate), addresses, neighbours, routes, enslaving to bridge/bond/vrf,
 * macsec SAs, wireguard peers, tun/tap readers attached and detached, and
 * moves to ns2 and back. Link, address, neighbour, route and qdisc changes
 * go through rtnetlink directly (the result is exact, and no name lookup:
 * iproute2 resolving a name that is gone makes the kernel exec modprobe for
 * "netdev-NAME", seconds under TCG); creations (the table) and macsec SAs
 * through one long-lived `ip -force -batch -` (an exec costs ~0.5 s under
 * TCG), once the names they use are known to exist. A failed operation is
 * normal (the device vanished), never a test failure. Kinds the kernel
 * cannot create are reported once, at the start, and skipped.
 *
 * Every result must be success or an errno docs/abi.md documents (EBADF
 * only for SEND/BUILD and SNDBUF's set on an O_RDONLY fd, EPERM only for
 * SNDBUF, a device's own transmit errno only for SEND and BUILD|SEND: wireguard's ENOKEY,
 * EDESTADDRREQ, EPROTONOSUPPORT; EOPNOTSUPP never for a kind whose link
 * layer pktcraft builds); kernel reports (KASAN, lockdep, WARN,
 * kmemleak...) are caught by the harness. A result is judged by what the
 * kernel read (struct view): the egress ifindex and BUILD's flags at the
 * pointer it got, read before the call, and the device under that index
 * in the fd's own namespace, not by what the worker aimed at.
 * The last lines: "FUZZ ioctls=N seconds=S ... topo_ops=N ...", the
 * topology and per-device-kind tables and the PASS/FAIL verdicts.
 *
 * `fuzz --cases` makes calls the workers make now and then on purpose
 * (BUILD|SEND whose buffer is its own struct, an ifindex mutated or
 * replaced, an ns2 fd) and checks how they are judged (cases()).
 *
 * Usage: fuzz SECONDS [SEED] | fuzz --cases
 */
#define _GNU_SOURCE
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <net/if_arp.h>
#include <linux/capability.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include "common.h"

#define NWORKERS 2
#define RQ(f) { offsetof(struct pktcraft_req, f), sizeof(((struct pktcraft_req *)0)->f) }

/*
 * Device kinds the topology builds. Names are TAG + a unique number (+ "p"
 * for a veth peer): a name is never reused, so iproute2's name cache in
 * the long-lived batch process is never stale, and the workers tell the
 * kind from the name. In args: @L a lower device, @N a number 1..4000
 * (the device's own), @R 2..250, @D the name, @P the veth peer's name.
 */
#define KF_ETHER	0x01	/* Ethernet-like: a lower, a slave, neighbours */
#define KF_LOWER	0x02	/* needs "link @L" */
#define KF_MASTER	0x04	/* bridge, bond, vrf */
#define KF_TUNTAP	0x08	/* args is the whole ip command */
#define KF_PEER		0x10	/* veth */
#define KF_MACSEC_SA	0x20	/* give it a tx SA */
#define KF_WG		0x40	/* wireguard: sometimes a peer (wg set) */
#define KF_ODDLINK	0x80	/* a link layer pktcraft may refuse (EOPNOTSUPP) */

static const struct kind {
	const char *tag, *name;
	unsigned int flags;
	const char *const args[8];
} kinds[] = {
	{ "dm", "dummy", KF_ETHER, { "type dummy" } },
	{ "ve", "veth", KF_ETHER | KF_PEER, { "type veth peer name @P" } },
	{ "mv", "macvlan", KF_ETHER | KF_LOWER, {
		"link @L type macvlan mode private", "link @L type macvlan mode vepa",
		"link @L type macvlan mode bridge", "link @L type macvlan mode passthru",
		"link @L type macvlan mode source" } },
	{ "iv", "ipvlan", KF_ETHER | KF_LOWER, {
		"link @L type ipvlan mode l2", "link @L type ipvlan mode l3",
		"link @L type ipvlan mode l3s", "link @L type ipvlan mode l2 vepa" } },
	{ "vl", "vlan", KF_ETHER | KF_LOWER, {
		"link @L type vlan id @N", "link @L type vlan protocol 802.1ad id @N",
		"link @L type vlan id @N reorder_hdr off" } },
	{ "br", "bridge", KF_ETHER | KF_MASTER, {
		"type bridge", "type bridge vlan_filtering 1", "type bridge mcast_snooping 0",
		"type bridge forward_delay 0" } },
	{ "bo", "bond", KF_ETHER | KF_MASTER | KF_ODDLINK, {	/* takes its first slave's type */
		"type bond mode balance-rr", "type bond mode active-backup miimon 10",
		"type bond mode balance-xor", "type bond mode broadcast", "type bond mode 802.3ad",
		"type bond mode balance-tlb", "type bond mode balance-alb" } },
	{ "mo", "macsec-protect-off", KF_ETHER | KF_LOWER, {
		"link @L type macsec port @N protect off",
		"link @L type macsec port @N protect off send_sci off" } },
	{ "ms", "macsec-protect-on", KF_ETHER | KF_LOWER | KF_MACSEC_SA, {
		"link @L type macsec port @N encrypt on",
		"link @L type macsec port @N protect on encrypt off",
		"link @L type macsec port @N encrypt on send_sci off end_station on" } },
	{ "vr", "vrf", KF_ETHER | KF_MASTER, { "type vrf table 1@N" } },
	{ "gr", "gre-remote", 0, {
		"type gre local 10.99.0.1 remote 10.99.0.@R",
		"type gre remote 10.99.0.@R key @N",
		"type gre local 10.99.0.1 remote 10.99.0.@R okey @N oseq ocsum",
		"type gre remote 10.99.0.@R ttl 1 tos 0x10 nopmtudisc" } },
	{ "gn", "gre-no-remote", KF_ODDLINK, {
		"type gre local 10.99.0.1 key @N", "type gre local 10.99.0.@R",
		"type gre local 10.99.0.1 okey @N oseq ocsum" } },
	{ "gt", "gretap", KF_ETHER, {
		"type gretap local 10.99.0.1 remote 10.99.0.@R",
		"type gretap remote 10.99.0.@R key @N csum",
		"type gretap local 10.99.0.1 remote 10.99.0.@R okey @N oseq ocsum" } },
	{ "xr", "ip6gre-remote", 0, {
		"type ip6gre local fd00::1 remote fd00::@R",
		"type ip6gre remote fd00::@R key @N",
		"type ip6gre local fd00::1 remote fd00::@R okey @N oseq ocsum" } },
	{ "xn", "ip6gre-no-remote", KF_ODDLINK, {
		"type ip6gre local fd00::1 key @N", "type ip6gre local fd00::@R",
		"type ip6gre local fd00::1 okey @N oseq ocsum" } },
	{ "ii", "ipip", 0, {
		"type ipip local 10.99.0.1 remote 10.99.0.@R", "type ipip remote 10.99.0.@R ttl 3" } },
	{ "si", "sit", 0, {
		"type sit local 10.99.0.1 remote 10.99.0.@R", "type sit remote 10.99.0.@R ttl 3" } },
	{ "vx", "vxlan", KF_ETHER, {
		"type vxlan id @N dstport 4789 remote 10.99.0.@R",
		"type vxlan id @N dstport 4789 local 10.99.0.1 group 239.1.1.@R dev fzt",
		"type vxlan id @N dstport 4789 remote 10.99.0.@R nolearning udpcsum" } },
	{ "ge", "geneve", KF_ETHER, {
		"type geneve id @N remote 10.99.0.@R",
		"type geneve id @N remote 10.99.0.@R udpcsum" } },
	{ "tu", "tun", KF_TUNTAP, { "tuntap add dev @D mode tun" } },
	{ "ta", "tap", KF_ETHER | KF_TUNTAP, { "tuntap add dev @D mode tap" } },
	{ "wg", "wireguard", KF_WG, { "type wireguard" } },
	{ "ib", "ifb", KF_ETHER, { "type ifb" } },
};
#define NKINDS ((int)(sizeof(kinds) / sizeof(kinds[0])))
/* Per-kind statistics rows: the kinds, then these. */
#define CAT_BASE	NKINDS		/* lo, fz0, fz1, fzt */
#define CAT_OTHER	(NKINDS + 1)	/* the kernel's own (gre0, sit0, ...) */
#define CAT_NONE	(NKINDS + 2)	/* routed (0), stale or random ifindex */
#define NCATS		(NKINDS + 3)

/* Topology operations, counted by kind. */
enum { OP_CREATE, OP_DELETE, OP_UPDOWN, OP_MTU, OP_TXQLEN, OP_MAC, OP_CARRIER, OP_QDISC,
       OP_ADDR, OP_MASTER, OP_MOVE, OP_BASE, OP_MACSEC, OP_WG, OP_TUN, NOPS };
static const char *const op_names[NOPS] = {
	"create", "delete", "updown", "mtu", "txqlen", "mac", "carrier", "qdisc",
	"addr", "master", "netns", "base", "macsec", "wg", "tun",
};

#define NSAMPLES 24

struct stats_shm {
	unsigned long long ioctls, ok, packets, errs[160], bad;
	unsigned long long by_cmd[5], ns_cmd[5], ns_pick, ns_view, ns_loop;
	char first_bad[200];
	struct {
		int cmd, cat, err;
		unsigned long long n;
	} bads[8];
	/* per device kind (CAT_*) */
	struct {
		unsigned long long ioctls, ok, packets, errs[160];
	} cat[NCATS];
	unsigned long long refreshes, fresh_lookups, vanished;
	unsigned long long relabel[3];	/* see relabelled() */
	char relabel_first[3][200];
	unsigned long long long_bursts, long_ns, long_over_ns, long_cut[160], long_refused[160];
	unsigned long long cut_lag_max_ns, cut_lag_n, cut_lag_sum_ns;
	/* the topology's last link events (down, delete, move), for the lag */
	struct {
		char name[IF_NAMESIZE];
		uint64_t t_ns;
	} events[64];
	unsigned int nevents;
	char busy[NWORKERS][IF_NAMESIZE];	/* the device of a running long burst */
	/* topology (written by its process only) */
	unsigned long long op_issued[NOPS], op_nl_ok[NOPS], op_nl_fail[NOPS];
	unsigned long long created[NKINDS], qdiscs[16];
	unsigned long long nl_ok, nl_fail, ip_lines, ip_failed, execs;
	unsigned long long respawns, hung, reconciles, adopted, max_devices, tun_reads, aimed;
	unsigned long long ns_nl, ns_co, ns_reconcile, ns_sleep, ns_sh, ns_refresh;
	struct {
		char msg[96];
		unsigned long long n;
	} samples[NSAMPLES];
	unsigned long long samples_other;
};

static struct stats_shm *shm;
static unsigned long long rng;
static long page;
static unsigned char *area, *guard, *rdonly;
static double deadline;
static int ns1fd = -1, ns2fd = -1;
static unsigned char kind_ok[NKINDS];

static const struct { unsigned short off, size; } fields[] = {
	RQ(size), RQ(flags), RQ(ifindex), RQ(dst_mac), RQ(src_mac), RQ(ip_version),
	RQ(ip_ihl), RQ(ip_tos), RQ(ip_ttl), RQ(ip_protocol), RQ(tcp_doff), RQ(tcp_res),
	RQ(reserved0), RQ(ip_tot_len), RQ(ip_id), RQ(ip_frag), RQ(ip_csum), RQ(ip_saddr),
	RQ(ip_daddr), RQ(sport), RQ(dport), RQ(tcp_seq), RQ(tcp_ack), RQ(tcp_flags),
	RQ(tcp_win), RQ(l4_csum), RQ(tcp_urg), RQ(payload_len), RQ(payload), RQ(l4),
	RQ(ip_optlen), RQ(tcp_optlen), RQ(icmp_type), RQ(icmp_code), RQ(reserved1),
	RQ(udp_len), RQ(icmp_id), RQ(icmp_seq), RQ(reserved2), RQ(ip_opts), RQ(tcp_opts),
	RQ(count), RQ(burst_flags), RQ(gap_ns), RQ(start_ns), RQ(vary[0]), RQ(vary[1]),
	RQ(vary[2]), RQ(vary[3]), RQ(vary[4]), RQ(sent), RQ(result_err), RQ(dropped),
	RQ(reserved3),
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static const uint64_t interesting[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 15, 16, 20, 31, 32, 40, 41, 60, 63, 64, 79, 80, 127,
	128, 175, 176, 255, 256, 295, 296, 297, 511, 512, 1000, 1399, 1460, 1500, 1501,
	4095, 4096, 4097, 0x7fff, 0x8000, 0xfffe, 0xffff, 0x10000, 0x100000, 0x100001,
	0x7fffffff, 0x80000000ULL, 0xfffffffeULL, 0xffffffffULL, 0x100000000ULL,
	10000000000ULL, 10000000001ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
	~0ULL,
};
#define NINTERESTING (sizeof(interesting) / sizeof(interesting[0]))

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static unsigned int below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

static uint64_t any_value(void)
{
	switch (below(4)) {
	case 0: return interesting[below(NINTERESTING)];
	case 1: return rnd();
	case 2: return below(64);
	default: return interesting[below(NINTERESTING)] + below(3) - 1;
	}
}

/* A pointer: mostly fine, often not. */
static uint64_t any_pointer(void *good, size_t good_len, void *self)
{
	switch (below(14)) {
	case 0: return 0;
	case 1: return 0x10;
	case 2: return 0x200000000000ULL;		/* unmapped */
	case 3: return KERNEL_ADDR;
	case 4: return NONCANON_ADDR;
	case 5: return ~0ULL - below(4096);
	case 6: return (uintptr_t)guard - below(512);	/* crosses the guard */
	case 7: return (uintptr_t)rdonly + below(page);
	case 8: return (uintptr_t)self;			/* aliasing */
	case 9: return (uintptr_t)good + 1 + below(3);	/* misaligned */
	case 10: return (uintptr_t)guard;		/* PROT_NONE */
	default: return (uintptr_t)good + (good_len > 64 ? below(16) : 0);
	}
}

static void template(struct pktcraft_req *r, unsigned char *payload, unsigned int ifindex)
{
	static const unsigned char ipopt[] = { 0x07, 0x07, 0x04, 0, 0, 0, 0, 0x01 };
	static const unsigned char tcpopt[] = { 0x02, 0x04, 0x05, 0xb4, 0x01, 0x03, 0x03, 0x07 };

	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->ifindex = below(3) ? ifindex : 0;
	if (below(2))
		memcpy(r->dst_mac, "\x02\x00\x00\x00\x00\x01", 6);
	r->ip_ttl = 64;
	r->ip_daddr = below(2) ? inet_addr("10.50.0.2") : inet_addr("192.0.2.1");
	r->l4 = below(4);
	switch (r->l4) {
	case PKTCRAFT_L4_TCP:
		r->sport = 1000;
		r->dport = 2000;
		r->tcp_flags = PKTCRAFT_TCP_SYN;
		r->tcp_win = 512;
		if (below(2)) {
			memcpy(r->tcp_opts, tcpopt, sizeof(tcpopt));
			r->tcp_optlen = sizeof(tcpopt);
		}
		break;
	case PKTCRAFT_L4_UDP:
		r->sport = 1000;
		r->dport = 53;
		break;
	case PKTCRAFT_L4_ICMP:
		r->icmp_type = 8;
		r->icmp_id = 1;
		break;
	default:
		r->ip_protocol = 253;
		break;
	}
	if (below(3) == 0) {
		memcpy(r->ip_opts, ipopt, sizeof(ipopt));
		r->ip_optlen = sizeof(ipopt);
	}
	r->payload = (uintptr_t)payload;
	r->payload_len = below(4) ? below(200) : below(9000);
	if (below(4) == 0) {
		r->count = 1 + below(below(4) ? 16 : 3000);
		if (below(3) == 0)
			r->gap_ns = below(200000);
		if (below(2))
			r->burst_flags = PKTCRAFT_BURST_F_COPY;
		if (below(2)) {
			int f = below(PKTCRAFT_VARY_NR);

			r->vary[f].mode = 1 + below(2);
			r->vary[f].max = f == PKTCRAFT_VARY_TCP_SEQ || f == PKTCRAFT_VARY_IP_SADDR ?
					 0xffffffff : 0xffff;
			if (r->vary[f].mode == PKTCRAFT_VARY_INC)
				r->vary[f].step = 1 + below(1000);
			if (f == PKTCRAFT_VARY_IP_ID)
				r->flags |= PKTCRAFT_F_IP_ID;
		}
	}
}

static void set_field(struct pktcraft_req *r, unsigned int i, uint64_t v)
{
	unsigned char *p = (unsigned char *)r + fields[i].off;
	unsigned int n = fields[i].size;

	if (n > 8) {	/* arrays, vary: random bytes in it */
		unsigned int k, m = 1 + below(8);

		for (k = 0; k < m; k++)
			p[below(n)] = rnd();
		return;
	}
	memcpy(p, &v, n);	/* little endian: the low bytes */
}

static void mutate(struct pktcraft_req *r, unsigned char *payload)
{
	unsigned int k, m = below(4) ? 1 + below(3) : below(8);

	for (k = 0; k < m; k++) {
		switch (below(10)) {
		case 0:
			r->flags ^= 1U << below(below(4) ? 7 : 32);
			break;
		case 1:
			r->payload = any_pointer(payload, 9000, r);
			break;
		case 2:
			r->payload_len = any_value();
			break;
		case 3:
			r->size = below(2) ? interesting[below(NINTERESTING)] : 80 + below(300);
			break;
		case 4:
			r->ip_optlen = below(48);
			r->ip_opts[below(40)] = rnd();
			break;
		case 5:
			r->tcp_optlen = below(48);
			r->tcp_opts[below(40)] = rnd();
			break;
		case 6:
			r->l4 = below(6);
			break;
		case 7:
			((unsigned char *)r)[below(sizeof(*r))] ^= 1U << below(8);
			break;
		default:
			set_field(r, below(NFIELDS), any_value());
			break;
		}
	}
	/* Keep the fuzzer moving: huge paced bursts are cut by the timer. */
	if (r->count > 4096 && r->gap_ns > 100000 && below(4))
		r->count = 4096;
}

/* Commands, as record() and by_cmd[] count them. */
enum { CMD_SEND, CMD_BUILD, CMD_STATS, CMD_OTHER, CMD_SNDBUF };

/*
 * docs/abi.md's errno table, per command where it says so. @sends: SEND, or
 * BUILD with PKTCRAFT_BUILD_F_SEND: the egress device's own transmit errno
 * is passed through, which for the kinds here means wireguard's.
 */
static int documented(int cmd, int e, int rdonly_fd, int sends)
{
	switch (e) {
	case ENOKEY: case EDESTADDRREQ: case EPROTONOSUPPORT:	/* wg_xmit() */
		return sends;
	case EINVAL: case E2BIG: case EFAULT: case ENODEV: case ENETDOWN:
	case ENETUNREACH: case EHOSTUNREACH: case EHOSTDOWN: case EACCES: case EMSGSIZE:
	case ENOSPC: case ENOBUFS: case ENOMEM: case ENOTTY: case EINTR: case EOPNOTSUPP:
		return 1;
	case EBADF:	/* SEND, BUILD, SNDBUF's set on a file opened read-only */
		return rdonly_fd && (cmd == CMD_SEND || cmd == CMD_BUILD ||
				     cmd == CMD_SNDBUF);
	case EPERM:	/* SNDBUF: force without CAP_NET_ADMIN */
		return cmd == CMD_SNDBUF;
	default:
		return 0;
	}
}

static void bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void bad(const char *fmt, ...)
{
	va_list ap;

	if (__atomic_add_fetch(&shm->bad, 1, __ATOMIC_RELAXED) == 1) {
		va_start(ap, fmt);
		vsnprintf(shm->first_bad, sizeof(shm->first_bad), fmt, ap);
		va_end(ap);
	}
}

static uint64_t t_ioctl_start;

static const char *cat_name(int cat);

/* Undocumented results, by command, device kind and errno. */
static void bad_combo(int cmd, int cat, int err)
{
	int i;

	for (i = 0; i < 8; i++) {
		if (!shm->bads[i].n) {
			shm->bads[i].cmd = cmd;
			shm->bads[i].cat = cat;
			shm->bads[i].err = err;
		}
		if (shm->bads[i].cmd == cmd && shm->bads[i].cat == cat && shm->bads[i].err == err) {
			__atomic_add_fetch(&shm->bads[i].n, 1, __ATOMIC_RELAXED);
			return;
		}
	}
}

/*
 * What the kernel acts on in a SEND or BUILD. A worker's own structs say
 * otherwise too often to label a result by them: mutate() rewrites the
 * ifindex pick_egress() aimed at, pointers are shifted or alias other
 * structs, and the kernel writes the frame over a BUILD struct whose buffer
 * is the struct itself (its flags then read as the frame's bytes). So the
 * view is read before the call from the very pointer the kernel gets, the
 * way it reads it (peek()); and the device under the request's ifindex is
 * looked up in the fd's own namespace (ns1 or ns2), before and after the
 * call: the kernel's egress lookup saw one of the two (a third would have
 * had to take that index and give it up again during the call).
 */
struct view {
	unsigned int ifindex;	/* the request's egress; 0: routed, or refused before */
	int sends;		/* SEND, or BUILD with PKTCRAFT_BUILD_F_SEND */
	int ns2;		/* the fd was opened in ns2 */
	int cat[2];		/* CAT_* of the device under ifindex, before and after */
	char name[2][IF_NAMESIZE];
};

/* Could a device of @cat have a link layer pktcraft does not build? */
static int odd_link(int cat)
{
	return cat == CAT_OTHER || (cat < NKINDS && kinds[cat].flags & KF_ODDLINK);
}

/* @v: SEND and BUILD (NULL for the others). */
static void record(int cmd, const struct view *v, long rc, int err, int rdonly_fd,
		   const char *what)
{
	int cat = v ? v->cat[0] : -1, sends = v && v->sends;

	__atomic_add_fetch(&shm->ioctls, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&shm->by_cmd[cmd], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&shm->ns_cmd[cmd], now_ns() - t_ioctl_start, __ATOMIC_RELAXED);
	if (cat >= 0)
		__atomic_add_fetch(&shm->cat[cat].ioctls, 1, __ATOMIC_RELAXED);
	if (rc >= 0) {
		__atomic_add_fetch(&shm->ok, 1, __ATOMIC_RELAXED);
		if (cat >= 0)
			__atomic_add_fetch(&shm->cat[cat].ok, 1, __ATOMIC_RELAXED);
		if (rdonly_fd && (cmd == CMD_SEND || cmd == CMD_BUILD)) {
			bad("%s on an O_RDONLY fd succeeded (rc %ld), docs/abi.md: EBADF", what, rc);
			bad_combo(cmd, cat, 0);
		}
		return;
	}
	if (err > 0 && err < 160) {
		__atomic_add_fetch(&shm->errs[err], 1, __ATOMIC_RELAXED);
		if (cat >= 0)
			__atomic_add_fetch(&shm->cat[cat].errs[err], 1, __ATOMIC_RELAXED);
	}
	/*
	 * EOPNOTSUPP is for link layers pktcraft does not build: never for an
	 * Ethernet device or one without a link header, nor for an ifindex no
	 * device had.
	 */
	if (err == EOPNOTSUPP && v && v->ifindex && !odd_link(v->cat[0]) &&
	    !odd_link(v->cat[1])) {
		bad("%s on %s -> EOPNOTSUPP, but pktcraft builds its link layer (ifindex %u in %s: %s before the call, %s after)",
		    what, cat_name(cat), v->ifindex, v->ns2 ? "ns2" : "ns1",
		    v->name[0][0] ? v->name[0] : "none", v->name[1][0] ? v->name[1] : "none");
		bad_combo(cmd, cat, err);
	} else if (cmd != CMD_OTHER && !documented(cmd, err, rdonly_fd, sends)) {
		bad("%s on %s%s -> %s", what, cat >= 0 ? cat_name(cat) : "-",
		    rdonly_fd ? " (O_RDONLY fd)" : "", ename(err));
		bad_combo(cmd, cat, err);
	}
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* ---------------------------------------------------------------- rtnetlink */

struct link {
	int index;
	unsigned short type;
	unsigned int flags;
	char name[IF_NAMESIZE];
};

static unsigned int nl_seq;

static int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* recv() of one netlink datagram, again on EINTR: its length, or -errno. */
static ssize_t nl_recv(int fd, void *buf, size_t size)
{
	ssize_t len;

	do
		len = recv(fd, buf, size, 0);
	while (len < 0 && errno == EINTR);
	return len < 0 ? -errno : len;
}

/* Every link of the socket's namespace; -1 on error. */
static int nl_links(int fd, struct link *out, int max)
{
	static char buf[65536];
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
		struct rtattr rta;
		__u32 mask;
	} req;
	unsigned int seq = ++nl_seq;
	int n = 0;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_GETLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nh.nlmsg_seq = seq;
	req.ifi.ifi_family = AF_UNSPEC;
	req.rta.rta_type = IFLA_EXT_MASK;
	req.rta.rta_len = RTA_LENGTH(sizeof(__u32));
#ifdef RTEXT_FILTER_SKIP_STATS
	req.mask = RTEXT_FILTER_SKIP_STATS;
#endif
	if (send(fd, &req, sizeof(req), 0) < 0)
		return -1;
	for (;;) {
		ssize_t len = nl_recv(fd, buf, sizeof(buf));
		struct nlmsghdr *nh;

		if (len < 0)
			return -1;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)len); nh = NLMSG_NEXT(nh, len)) {
			struct ifinfomsg *ifi = NLMSG_DATA(nh);
			struct rtattr *rta;
			int alen;

			if (nh->nlmsg_seq != seq)
				continue;
			if (nh->nlmsg_type == NLMSG_DONE)
				return n;
			if (nh->nlmsg_type == NLMSG_ERROR)
				return -1;
			if (nh->nlmsg_type != RTM_NEWLINK || n >= max)
				continue;
			out[n].index = ifi->ifi_index;
			out[n].type = ifi->ifi_type;
			out[n].flags = ifi->ifi_flags;
			out[n].name[0] = 0;
			alen = IFLA_PAYLOAD(nh);
			for (rta = IFLA_RTA(ifi); RTA_OK(rta, alen); rta = RTA_NEXT(rta, alen))
				if (rta->rta_type == IFLA_IFNAME)
					snprintf(out[n].name, sizeof(out[n].name), "%.15s",
						 (char *)RTA_DATA(rta));
			n++;
		}
	}
}

/* One request: a header, a family header, attributes. */
struct nlmsg {
	struct nlmsghdr nh;
	char data[1024];
};

static void *nl_start(struct nlmsg *m, unsigned short type, unsigned short flags, size_t hdrlen)
{
	memset(m, 0, sizeof(*m));
	m->nh.nlmsg_len = NLMSG_LENGTH(hdrlen);
	m->nh.nlmsg_type = type;
	m->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	return NLMSG_DATA(&m->nh);
}

static struct rtattr *nl_put(struct nlmsg *m, unsigned short type, const void *data, size_t len)
{
	struct rtattr *rta = (struct rtattr *)((char *)m + NLMSG_ALIGN(m->nh.nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	m->nh.nlmsg_len = NLMSG_ALIGN(m->nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
	return rta;
}

static void nl_u32(struct nlmsg *m, unsigned short type, __u32 v)
{
	nl_put(m, type, &v, sizeof(v));
}

/* Closes a nested attribute opened with nl_put(m, type, NULL or a header, len). */
static void nl_end(struct nlmsg *m, struct rtattr *nest)
{
	nest->rta_len = (char *)m + m->nh.nlmsg_len - (char *)nest;
}

/* A link request addressed by name (RTM_SETLINK / RTM_DELLINK take IFLA_IFNAME). */
static struct ifinfomsg *nl_link(struct nlmsg *m, unsigned short type, const char *name)
{
	struct ifinfomsg *ifi = nl_start(m, type, 0, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	nl_put(m, IFLA_IFNAME, name, strlen(name) + 1);
	return ifi;
}

/* Sends @m, returns 0 or -errno from the kernel's answer. */
static int nl_do(int fd, struct nlmsg *m)
{
	char buf[8192];
	unsigned int seq = ++nl_seq;

	m->nh.nlmsg_seq = seq;
	if (send(fd, m, m->nh.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		ssize_t len = nl_recv(fd, buf, sizeof(buf));
		struct nlmsghdr *nh;

		if (len < 0)
			return len;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)len); nh = NLMSG_NEXT(nh, len)) {
			if (nh->nlmsg_seq != seq || nh->nlmsg_type != NLMSG_ERROR)
				continue;
			return ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
		}
	}
}

/* The kind (CAT_*) of a device name, and its number. */
static int name_kind(const char *name, unsigned int *num)
{
	int k;

	*num = 0;
	if (!strcmp(name, "lo") || !strcmp(name, "fz0") || !strcmp(name, "fz1") ||
	    !strcmp(name, "fzt"))
		return CAT_BASE;
	for (k = 0; k < NKINDS; k++) {
		const char *p = name + 2;
		char *end;

		if (strncmp(name, kinds[k].tag, 2) || *p < '0' || *p > '9')
			continue;
		*num = strtoul(p, &end, 10);
		if (!*end || !strcmp(end, "p"))
			return k;
	}
	return CAT_OTHER;
}

static const char *cat_name(int cat)
{
	return cat < 0 ? "-" : cat < NKINDS ? kinds[cat].name : cat == CAT_BASE ? "base(lo,fz0,fz1,fzt)" :
	       cat == CAT_OTHER ? "kernel's(gre0,sit0..)" : "routed/stale/random";
}

/* The /24 each topology device gets: 10.60.S.1 (10.60.S.2 its neighbour). */
static unsigned int subnet(unsigned int num)
{
	return num % 200 + 1;
}

/*
 * if_nametoindex() on a socket kept open (SIOCGIFINDEX: no RTNL). Without
 * CAP_NET_ADMIN/CAP_SYS_MODULE when the name may not exist (dev_load()).
 */
static int name_index(const char *name)
{
	static int sk = -1;
	struct ifreq ifr;

	if (sk < 0)
		sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	return ioctl(sk, SIOCGIFINDEX, &ifr) ? 0 : ifr.ifr_ifindex;
}

/* ------------------------------------------------------------------ labels */

/* A pipe for peek(), sockets of ns1 and ns2 for SIOCGIFNAME (no RTNL): open_view(). */
static int peek_pipe[2] = { -1, -1 }, ifsk[2] = { -1, -1 };

/*
 * Reads @len (< PIPE_BUF) bytes at @addr as the kernel's copy_from_user()
 * does: through write() into a pipe, which copies from the same address
 * with the same checks (an unmapped, PROT_NONE, kernel or non-canonical
 * address is EFAULT). process_vm_readv() would do, but the debug kernel
 * has no CONFIG_CROSS_MEMORY_ATTACH. 0, or -1 if not all are readable.
 */
static int peek(uint64_t addr, void *buf, size_t len)
{
	ssize_t n = write(peek_pipe[1], (const void *)(uintptr_t)addr, len);

	if (n < 0 && errno != EFAULT) {
		fprintf(stderr, "fuzz: peek: write to a pipe: %s\n", strerror(errno));
		_exit(3);
	}
	if (n > 0 && read(peek_pipe[0], buf, n) != n) {
		fprintf(stderr, "fuzz: peek: read from the pipe: %s\n", strerror(errno));
		_exit(3);
	}
	return n == (ssize_t)len ? 0 : -1;
}

/* Each process its own (workers after the fork). */
static int open_view(void)
{
	if (pipe2(peek_pipe, O_CLOEXEC | O_NONBLOCK))
		return -1;
	ifsk[0] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (setns(ns2fd, CLONE_NEWNET))
		return -1;
	ifsk[1] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (setns(ns1fd, CLONE_NEWNET))
		return -1;
	return ifsk[0] < 0 || ifsk[1] < 0 ? -1 : 0;
}

/* The kind (CAT_*) of the device under @ifindex in ns1 or ns2; CAT_NONE if none. */
static int index_cat(int ns2, unsigned int ifindex, char name[IF_NAMESIZE])
{
	struct ifreq ifr;
	unsigned int num;

	name[0] = 0;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_ifindex = ifindex;
	if (!ifindex || ioctl(ifsk[ns2], SIOCGIFNAME, &ifr))
		return CAT_NONE;
	snprintf(name, IF_NAMESIZE, "%.15s", ifr.ifr_name);
	return name_kind(name, &num);
}

/* The egress ifindex of the request at @req as the kernel reads it (0: none). */
static unsigned int req_ifindex(uint64_t req)
{
	uint32_t size, ifindex;

	if (peek(req, &size, sizeof(size)) || size < PKTCRAFT_REQ_SIZE_VER0 ||
	    peek(req + offsetof(struct pktcraft_req, ifindex), &ifindex, sizeof(ifindex)))
		return 0;
	return ifindex;
}

/* Before a SEND (@cmd CMD_SEND) or BUILD with argument @arg: see struct view. */
static void view_before(struct view *v, int cmd, const void *arg, int ns2)
{
	uint64_t a = (uintptr_t)arg;
	struct pktcraft_build b;

	memset(v, 0, sizeof(*v));
	v->ns2 = ns2;
	if (cmd == CMD_SEND) {
		v->sends = 1;
		v->ifindex = req_ifindex(a);
	} else if (!peek(a, &b.size, sizeof(b.size)) && b.size >= PKTCRAFT_BUILD_SIZE_VER0 &&
		   !peek(a, &b, sizeof(b))) {
		v->sends = !!(b.flags & PKTCRAFT_BUILD_F_SEND);
		v->ifindex = req_ifindex(b.req);
	}
	v->cat[0] = index_cat(ns2, v->ifindex, v->name[0]);
}

static void view_after(struct view *v)
{
	v->cat[1] = index_cat(v->ns2, v->ifindex, v->name[1]);
}

/* A SEND or BUILD (@cmd) on @fd, @v its view; errno in *@err. */
static long labelled_ioctl(int fd, int cmd, void *arg, int ns2, struct view *v, int *err)
{
	uint64_t t0 = now_ns(), t1;
	long rc;

	view_before(v, cmd, arg, ns2);
	t_ioctl_start = now_ns();
	errno = 0;
	rc = ioctl(fd, cmd == CMD_SEND ? PKTCRAFT_IOC_SEND : PKTCRAFT_IOC_BUILD, arg);
	*err = errno;
	t1 = now_ns();
	view_after(v);
	__atomic_add_fetch(&shm->ns_view, t_ioctl_start - t0 + now_ns() - t1, __ATOMIC_RELAXED);
	return rc;
}

/*
 * For the report: results the fuzzer's earlier labels called undocumented
 * (the kind pick_egress() aimed at, @picked under @picked_index, an ns2 fd
 * exempted; BUILD's flags read back after the call, @old_sends), which the
 * view shows documented (record() judges them).
 */
static void relabelled(const struct view *v, int picked, unsigned int picked_index, int err,
		       int old_sends, const char *what)
{
	int i = -1;

	if (err == EOPNOTSUPP && picked >= 0 && picked < NKINDS && !v->ns2 &&
	    !(kinds[picked].flags & KF_ODDLINK))
		i = v->ifindex == picked_index ? 1 : 0;
	else if ((err == ENOKEY || err == EDESTADDRREQ || err == EPROTONOSUPPORT) && !old_sends)
		i = 2;
	if (i >= 0 && __atomic_add_fetch(&shm->relabel[i], 1, __ATOMIC_RELAXED) == 1)
		snprintf(shm->relabel_first[i], sizeof(shm->relabel_first[i]),
			 "%s -> %s, aimed at %s ifindex %u; the kernel read ifindex %u (%s: %s before, %s after)%s",
			 what, ename(err), cat_name(picked), picked_index, v->ifindex,
			 v->ns2 ? "ns2" : "ns1", v->name[0][0] ? v->name[0] : "none",
			 v->name[1][0] ? v->name[1] : "none",
			 v->sends ? ", _F_SEND" : "");
}

/* ------------------------------------------------------------------ workers */

struct target {
	struct link l;
	int cat;
	unsigned int num;
};

static struct target targets[256];
static int ntargets;
static double targets_at, refresh_every = 0.15;
static unsigned int stale[32];

/*
 * The device list, from /proc/self/net/dev: the workers' namespace, and no
 * RTNL (a netlink dump waits behind every topology change: seconds under
 * TCG). Indexes of names seen before are kept (names are never reused),
 * new ones looked up once; the link type follows from the kind.
 */
static void refresh_targets(void)
{
	static struct target old[256];
	char line[512];
	int i, n = 0, nold = ntargets;
	FILE *f = fopen("/proc/self/net/dev", "re");

	if (!f)
		return;
	memcpy(old, targets, sizeof(old[0]) * nold);
	for (i = 0; i < nold && i < 4; i++)	/* remember some indexes: they go stale */
		stale[below(32)] = old[below(nold)].l.index;
	while (fgets(line, sizeof(line), f) && n < 256) {
		char *name = line, *colon = strchr(line, ':');
		struct target *t = &targets[n];
		int k;

		if (!colon)
			continue;
		*colon = 0;
		while (*name == ' ')
			name++;
		snprintf(t->l.name, sizeof(t->l.name), "%.15s", name);
		k = t->cat = name_kind(t->l.name, &t->num);
		t->l.index = 0;
		for (i = 0; i < nold && !t->l.index && k < NKINDS; i++)	/* fz1 is made anew */
			if (!strcmp(old[i].l.name, t->l.name))
				t->l.index = old[i].l.index;
		if (!t->l.index)
			t->l.index = name_index(t->l.name);
		if (!t->l.index)
			continue;
		t->l.type = k < NKINDS ? (kinds[k].flags & KF_ETHER ? ARPHRD_ETHER : ARPHRD_NONE) :
			    k == CAT_BASE ? (strcmp(t->l.name, "lo") ? ARPHRD_ETHER : ARPHRD_LOOPBACK) :
			    ARPHRD_NONE;
		n++;
	}
	fclose(f);
	ntargets = n;
	targets_at = now_s();
	__atomic_add_fetch(&shm->refreshes, 1, __ATOMIC_RELAXED);
}

/*
 * Where the next request goes: @t the device (NULL: none in particular),
 * returns the ifindex and sets *cat.
 */
static unsigned int pick_egress(const struct target **t, int *cat)
{
	unsigned int r = below(100), idx;
	const struct target *x;

	*t = NULL;
	*cat = CAT_NONE;
	if (now_s() - targets_at > refresh_every) {
		uint64_t t0 = now_ns(), spent;

		refresh_targets();
		spent = now_ns() - t0;
		__atomic_add_fetch(&shm->ns_refresh, spent, __ATOMIC_RELAXED);
		/* Every 150 ms, or less often when reading the list is slow (debug
		 * kernel: ~0.1 s): at most a tenth of the time. */
		refresh_every = spent * 10 / 1e9 > 0.15 ? spent * 10 / 1e9 : 0.15;
	}
	if (r < 12 || !ntargets) {
		*cat = CAT_BASE;
		return name_index("fz0");
	}
	if (r < 17)
		return stale[below(32)];
	if (r < 20)
		return 1 + below(300);
	if (r < 30)
		return 0;	/* routed */
	/* Prefer the topology's devices over lo, fz* and the kernel's own. */
	x = &targets[below(ntargets)];
	for (r = 0; r < 3 && x->cat >= NKINDS; r++)
		x = &targets[below(ntargets)];
	*t = x;
	*cat = x->cat;
	idx = x->l.index;
	if (below(4)) {	/* fresh: the device may be gone (or moved) by now */
		unsigned int now = name_index(x->l.name);

		__atomic_add_fetch(&shm->fresh_lookups, 1, __ATOMIC_RELAXED);
		if (now)
			idx = now;
		else
			__atomic_add_fetch(&shm->vanished, 1, __ATOMIC_RELAXED);
	}
	return idx;
}

/*
 * Makes @r a request that can really leave through @t (or through the
 * routes, @ifindex 0): link addresses only where there is a link layer,
 * destinations with a neighbour entry (10.60.0.2 and 10.60.S.2 on every
 * Ethernet device) or a route, bursts identical, varied or copied.
 */
static void aim(struct pktcraft_req *r, const struct target *t, unsigned int ifindex, int build)
{
	int ether = !t || t->l.type == ARPHRD_ETHER;
	const struct target *any = ntargets ? &targets[below(ntargets)] : NULL;
	unsigned int s = subnet(t ? t->num : any ? any->num : 0);
	char a[32];

	memset(r->src_mac, 0, 6);
	if (ether && ifindex && below(2))
		memcpy(r->dst_mac, "\x02\x00\x00\x00\x00\x02", 6);
	else if (!ether && below(12))
		memset(r->dst_mac, 0, 6);
	switch (below(12)) {
	case 0: case 1: case 2: case 3: snprintf(a, sizeof(a), "10.60.0.2"); break;
	case 4: case 5: case 6: snprintf(a, sizeof(a), "10.60.%u.2", s); break;
	case 7: snprintf(a, sizeof(a), "10.70.%u.9", s); break;	/* via 10.60.S.2 */
	case 8: snprintf(a, sizeof(a), "10.99.0.%u", 2 + below(3)); break;	/* tunnel ends */
	case 9: snprintf(a, sizeof(a), below(2) ? "224.0.0.1" : "255.255.255.255"); break;
	case 10: snprintf(a, sizeof(a), "10.60.%u.255", s); break;
	default: snprintf(a, sizeof(a), "192.0.2.%u", below(256)); break;
	}
	r->ip_daddr = inet_addr(a);
	r->payload_len = below(4) ? below(200) : below(1400);
	r->count = 0;
	r->burst_flags = 0;
	r->gap_ns = 0;
	memset(r->vary, 0, sizeof(r->vary));
	r->flags &= ~PKTCRAFT_F_IP_ID;
	if (build || below(5) < 3)
		return;
	r->count = 2 + below(below(4) ? 30 : 2000);
	if (below(8) == 0)
		r->gap_ns = 1000 + below(5000000);
	switch (below(10)) {
	case 0: case 1: case 2: case 3: case 4:
		break;	/* identical: copies (or the shared skb on fz0) */
	case 5: case 6:
		r->burst_flags = PKTCRAFT_BURST_F_COPY;
		break;
	default:
		if ((r->l4 == PKTCRAFT_L4_TCP || r->l4 == PKTCRAFT_L4_UDP) && below(2)) {
			r->vary[PKTCRAFT_VARY_SPORT].mode = 1 + below(2);
			r->vary[PKTCRAFT_VARY_SPORT].max = 0xffff;
			if (r->vary[PKTCRAFT_VARY_SPORT].mode == PKTCRAFT_VARY_INC)
				r->vary[PKTCRAFT_VARY_SPORT].step = 1 + below(100);
		} else {
			r->vary[PKTCRAFT_VARY_IP_ID].mode = PKTCRAFT_VARY_INC;
			r->vary[PKTCRAFT_VARY_IP_ID].max = 0xffff;
			r->vary[PKTCRAFT_VARY_IP_ID].step = 1;
			r->flags |= PKTCRAFT_F_IP_ID;
		}
		break;
	}
}

/* CAP_NET_ADMIN in the effective set, on or off (it stays permitted). */
/*
 * A burst on @name was ended by a device event: how long after the
 * topology's last down/delete/move of that device (as it sent the request)?
 */
static void cut_lag(const char *name, uint64_t end)
{
	unsigned int i, n = __atomic_load_n(&shm->nevents, __ATOMIC_ACQUIRE);
	uint64_t best = 0;

	for (i = 0; i < 64 && i < n; i++) {
		unsigned int k = (n - 1 - i) % 64;

		if (!strcmp(shm->events[k].name, name) && shm->events[k].t_ns < end) {
			best = shm->events[k].t_ns;
			break;
		}
	}
	if (!best)
		return;
	__atomic_add_fetch(&shm->cut_lag_n, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&shm->cut_lag_sum_ns, end - best, __ATOMIC_RELAXED);
	if (end - best > shm->cut_lag_max_ns)
		shm->cut_lag_max_ns = end - best;
}

/*
 * Workers run without CAP_SYS_MODULE and, but for opening fds (pktgen's
 * shared skb is for openers with CAP_NET_ADMIN) and some SNDBUF calls,
 * without CAP_NET_ADMIN: if_nametoindex() of a vanished device otherwise
 * makes the kernel run modprobe for "netdev-NAME" and "NAME" (dev_load()),
 * an exec that takes seconds under TCG.
 */
static void worker_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return;
	d[0].effective &= ~(1U << CAP_SYS_MODULE | 1U << CAP_NET_ADMIN);
	d[0].permitted &= ~(1U << CAP_SYS_MODULE);
	syscall(SYS_capset, &h, d);
}

/* How a worker's fd is opened: plainly, without CAP_NET_ADMIN, in ns2. */
enum { FL_PLAIN, FL_NOADMIN, FL_NS2 };

static int open_dev(int flavor, int mode)
{
	int fd;

	if (flavor != FL_NOADMIN)
		set_net_admin(1);
	if (flavor == FL_NS2 && setns(ns2fd, CLONE_NEWNET))
		return -1;
	fd = open(PKTCRAFT_DEVICE, mode);
	if (flavor == FL_NS2 && setns(ns1fd, CLONE_NEWNET)) {
		fprintf(stderr, "fuzz: setns back to ns1: %s\n", strerror(errno));
		_exit(3);
	}
	set_net_admin(0);
	return fd;
}

#define NFDS 4

static void worker(int id, int shared_fd, unsigned long long seed)
{
	static unsigned char payload[70000], frame[70000];
	static union {
		struct pktcraft_stats s;
		unsigned char b[8192];
	} st;
	static const int flavors[NFDS] = { FL_PLAIN, FL_PLAIN, FL_NOADMIN, FL_NS2 };
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
	int fds[NFDS], rdonly_fd[NFDS] = { 0 }, i;

	rng = seed ^ (0x9e3779b97f4a7c15ULL * (id + 1));
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: bursts see EINTR */
	setitimer(ITIMER_REAL, &it, NULL);
	memset(payload, 'z', sizeof(payload));
	worker_caps();
	if (open_view()) {
		fprintf(stderr, "fuzz: a pipe, sockets in ns1 and ns2: %s\n", strerror(errno));
		_exit(3);
	}
	/* The topology's netlink calls are CPU-bound under TCG: give it room. */
	if (nice(5) == -1)
		perror("nice");
	fds[0] = shared_fd;
	for (i = 1; i < NFDS; i++)
		fds[i] = open_dev(id == 1 ? flavors[i] : i == 3 ? FL_NS2 : FL_PLAIN, O_RDWR);
	refresh_targets();

	while (now_s() < deadline) {
		struct pktcraft_req *r = (struct pktcraft_req *)(area + below(64));
		struct pktcraft_build *b = (struct pktcraft_build *)(area + 1024 + below(16));
		int slot = below(10) ? below(NFDS - 1) : NFDS - 1;	/* ns2 fd: 1 in 10 */
		int fd = fds[slot], kind = below(100), err, cat = -1, valid = 0;
		const struct target *t = NULL;
		struct view v;
		uint64_t t_start, t_ioctl;
		unsigned int ifindex = 0;
		unsigned long cmd;
		void *arg;
		long rc;

		/* Reopen, any mode (read-only ones soon again: they only get EBADF). */
		if (slot && (fd < 0 || below(rdonly_fd[slot] ? 40 : 400) == 0)) {
			static const int modes[] = { O_RDWR, O_RDWR, O_RDWR, O_RDWR, O_RDWR, O_RDWR,
						     O_RDWR, O_RDWR, O_WRONLY, O_RDONLY };
			int m = modes[below(10)];

			if (fd >= 0)
				close(fd);
			fds[slot] = open_dev(id == 1 ? flavors[slot] : slot == 3 ? FL_NS2 : FL_PLAIN,
					     m);
			rdonly_fd[slot] = m == O_RDONLY;
			continue;
		}
		if (fd < 0)
			continue;
		t_start = now_ns();
		if (kind < 80) {
			ifindex = pick_egress(&t, &cat);
			template(r, payload, ifindex);
			r->ifindex = ifindex;
			valid = below(100) < 45;
			if (valid || below(2))
				aim(r, t, ifindex, kind >= 45);
			if (!valid)
				mutate(r, payload);
		}
		t_ioctl = t_ioctl_start = now_ns();
		__atomic_add_fetch(&shm->ns_pick, t_ioctl - t_start, __ATOMIC_RELAXED);
		errno = 0;
		if (kind < 45) {
			/*
			 * Now and then a long paced burst on a topology device, the
			 * 20 ms timer held off (a single alarm 3 s after its plan
			 * instead: a full send buffer behind netem can stretch it to
			 * minutes): it runs into the topology's deletions, downs,
			 * moves and qdisc changes (which must end it at once: a burst
			 * holding the device makes `ip link del` wait, and the kernel
			 * report "unregister_netdevice: waiting").
			 */
			int lng = t && valid && below(25) == 0;

			arg = below(30) ? (void *)r : (void *)(uintptr_t)any_pointer(r, sizeof(*r), r);
			if (lng) {
				r->count = 50 + below(450);
				r->gap_ns = 1000000 + below(9000000);
				if ((uint64_t)r->count * r->gap_ns > 3000000000ULL)
					r->count = 3000000000ULL / r->gap_ns;
				memset(r->vary, 0, sizeof(r->vary));
				r->burst_flags = below(3) ? 0 : PKTCRAFT_BURST_F_COPY;
				arg = r;
				it.it_interval.tv_usec = 0;
				it.it_value.tv_sec = 3 + (uint64_t)r->count * r->gap_ns / 1000000000;
				it.it_value.tv_usec = 0;
				setitimer(ITIMER_REAL, &it, NULL);
				memcpy(shm->busy[id], t->l.name, IF_NAMESIZE);
			}
			rc = labelled_ioctl(fd, CMD_SEND, arg, slot == NFDS - 1, &v, &err);
			if (lng) {
				uint64_t took = now_ns() - t_ioctl_start, plan = (uint64_t)r->count * r->gap_ns;

				it.it_interval.tv_usec = it.it_value.tv_usec = 20000;
				it.it_value.tv_sec = 0;
				setitimer(ITIMER_REAL, &it, NULL);
				shm->busy[id][0] = 0;
				__atomic_add_fetch(&shm->long_bursts, 1, __ATOMIC_RELAXED);
				__atomic_add_fetch(&shm->long_ns, took, __ATOMIC_RELAXED);
				if (rc > 0 && r->result_err < 0 && -r->result_err < 160) {
					__atomic_add_fetch(&shm->long_cut[-r->result_err], 1,
							   __ATOMIC_RELAXED);
					if (r->result_err == -ENETDOWN || r->result_err == -ENODEV)
						cut_lag(t->l.name, now_ns());
				}
				if (rc < 0 && err > 0 && err < 160)
					__atomic_add_fetch(&shm->long_refused[err], 1, __ATOMIC_RELAXED);
				if (took > plan && took - plan > shm->long_over_ns)
					shm->long_over_ns = took - plan;	/* racy max: a report */
			}
			if (rc >= 0) {
				__atomic_add_fetch(&shm->packets, rc, __ATOMIC_RELAXED);
				__atomic_add_fetch(&shm->cat[v.cat[0]].packets, rc, __ATOMIC_RELAXED);
			}
			relabelled(&v, cat, ifindex, err, 1, "SEND");
			record(CMD_SEND, &v, rc, err, rdonly_fd[slot], "SEND");
		} else if (kind < 80) {
			memset(b, 0, sizeof(*b));
			b->size = below(10) ? sizeof(*b) : any_value();
			b->flags = below(8) ? below(2) : any_value();
			b->req = below(10) ? (uintptr_t)r : any_pointer(r, sizeof(*r), b);
			b->buf = below(6) ? (uintptr_t)frame : any_pointer(frame, sizeof(frame), b);
			b->buf_len = below(6) ? sizeof(frame) : any_value();
			if (below(20) == 0)
				b->frame_len = any_value();	/* input ignored */
			arg = below(40) ? (void *)b : (void *)(uintptr_t)any_pointer(b, sizeof(*b), b);
			rc = labelled_ioctl(fd, CMD_BUILD, arg, slot == NFDS - 1, &v, &err);
			if (rc > 0) {
				__atomic_add_fetch(&shm->packets, rc, __ATOMIC_RELAXED);
				__atomic_add_fetch(&shm->cat[v.cat[0]].packets, rc, __ATOMIC_RELAXED);
			}
			relabelled(&v, cat, ifindex, err,
				   arg == (void *)b && b->flags & PKTCRAFT_BUILD_F_SEND, "BUILD");
			record(CMD_BUILD, &v, rc, err, rdonly_fd[slot], "BUILD");
		} else if (kind < 88) {
			memset(&st, 0, sizeof(st));
			st.s.size = below(4) ? sizeof(st.s) : any_value();
			st.s.flags = below(8) ? 0 : any_value();
			arg = below(8) ? (void *)&st : (void *)(uintptr_t)any_pointer(&st, sizeof(st), &st);
			rc = ioctl(fd, PKTCRAFT_IOC_GET_STATS, arg);
			err = errno;
			record(CMD_STATS, NULL, rc, err, 0, "GET_STATS");
		} else if (kind < 92) {
#ifdef PKTCRAFT_IOC_SNDBUF
			static const uint64_t sizes[] = { 0, 1, 2048, 4608, 10000, 65536, 212992,
							  1 << 20, 4 << 20 };
			struct pktcraft_sndbuf *sb = (struct pktcraft_sndbuf *)(area + 2048 + below(8));

			memset(sb, 0, sizeof(*sb));
			sb->size = below(10) ? sizeof(*sb) : any_value();
			if (below(2)) {
				sb->flags = PKTCRAFT_SNDBUF_F_SET | (below(4) ? 0 : PKTCRAFT_SNDBUF_F_FORCE);
				sb->bytes = sizes[below(sizeof(sizes) / sizeof(sizes[0]))];
			}
			if (below(10) == 0)
				sb->flags = any_value();
			if (below(20) == 0)
				sb->in_flight = any_value();
			arg = below(20) ? (void *)sb : (void *)(uintptr_t)any_pointer(sb, sizeof(*sb), sb);
			i = below(2);	/* FORCE needs CAP_NET_ADMIN now, else EPERM */
			if (i)
				set_net_admin(1);
			rc = ioctl(fd, PKTCRAFT_IOC_SNDBUF, arg);
			err = errno;
			if (i)
				set_net_admin(0);
			record(CMD_SNDBUF, NULL, rc, err, rdonly_fd[slot], "SNDBUF");
#endif
		} else {
			if (below(2))
				cmd = _IOC(below(4), PKTCRAFT_IOC_MAGIC, below(8), below(0x4000));
			else
				cmd = (unsigned int)rnd();
			/* Our numbers mean real work: counted above. */
			if (cmd == PKTCRAFT_IOC_SEND || cmd == PKTCRAFT_IOC_BUILD ||
#ifdef PKTCRAFT_IOC_SNDBUF
			    cmd == PKTCRAFT_IOC_SNDBUF ||
#endif
			    cmd == PKTCRAFT_IOC_GET_STATS)
				continue;
			/* VFS-level commands act on the file, not the driver. */
			if (cmd == 2 /* FIGETBSZ */ || _IOC_TYPE(cmd) == 'T' || _IOC_TYPE(cmd) == 'X' ||
			    _IOC_TYPE(cmd) == 'f' || _IOC_TYPE(cmd) == 0x94 ||
			    (cmd >> 8 & 0xff) == 0x54 || (cmd >> 8 & 0xff) == 0x58)
				continue;
			arg = (void *)(uintptr_t)any_pointer(r, sizeof(*r), r);
			rc = ioctl(fd, cmd, arg);
			err = errno;
			record(CMD_OTHER, NULL, rc, err, 0, "other");
			if (rc >= 0 || err != ENOTTY)
				bad("ioctl 0x%lx -> rc %ld %s", cmd, rc, ename(err));
		}
	}
}

/* ---------------------------------------------------------------- topology */

/* A long-lived `ip -force -batch -` or `tc -force -batch -`. */
struct coproc {
	const char *const *argv;
	pid_t pid;
	int in, err;
	unsigned long long *lines, *failed;
	char ebuf[2048];
	size_t elen;
};

/* The kernel's complaints, digits folded, counted (the report shows the top ones). */
static void sample(const char *line)
{
	char m[96];
	size_t i, o = 0;

	for (i = 0; line[i] && o < sizeof(m) - 1; i++) {
		if (line[i] >= '0' && line[i] <= '9') {
			if (!o || m[o - 1] != '#')
				m[o++] = '#';
			continue;
		}
		m[o++] = line[i];
	}
	m[o] = 0;
	for (i = 0; i < NSAMPLES; i++) {
		if (!shm->samples[i].n) {
			snprintf(shm->samples[i].msg, sizeof(shm->samples[i].msg), "%s", m);
			shm->samples[i].n = 1;
			return;
		}
		if (!strcmp(shm->samples[i].msg, m)) {
			shm->samples[i].n++;
			return;
		}
	}
	shm->samples_other++;
}

static int co_start(struct coproc *c)
{
	int in[2], err[2], null;

	if (pipe2(in, O_CLOEXEC))
		return -1;
	if (pipe2(err, O_CLOEXEC)) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	c->pid = fork();
	if (c->pid == 0) {
		null = open("/dev/null", O_WRONLY);
		dup2(in[0], 0);
		dup2(null, 1);
		dup2(err[1], 2);
		execvp(c->argv[0], (char *const *)c->argv);
		_exit(127);
	}
	close(in[0]);
	close(err[1]);
	c->in = in[1];
	c->err = err[0];
	c->elen = 0;
	fcntl(c->in, F_SETPIPE_SZ, 4096);	/* the batch stays close behind us */
	fcntl(c->in, F_SETFL, O_NONBLOCK);
	fcntl(c->err, F_SETFL, O_NONBLOCK);
	return c->pid > 0 ? 0 : -1;
}

/* Reads what the helper said; returns 0 at EOF (it exited). */
static int co_drain(struct coproc *c)
{
	for (;;) {
		ssize_t n = read(c->err, c->ebuf + c->elen, sizeof(c->ebuf) - 1 - c->elen);
		char *p, *nl;

		if (n == 0)
			return 0;
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 1 : 0;
		c->elen += n;
		c->ebuf[c->elen] = 0;
		p = c->ebuf;
		while ((nl = strchr(p, '\n'))) {
			*nl = 0;
			if (!strncmp(p, "Command failed", 14))
				(*c->failed)++;
			else if (*p)
				sample(p);
			p = nl + 1;
		}
		c->elen -= p - c->ebuf;
		memmove(c->ebuf, p, c->elen);
		if (c->elen >= sizeof(c->ebuf) - 1)	/* a line that long: drop it */
			c->elen = 0;
	}
}

static void co_reap(struct coproc *c, double patience)
{
	double until = now_s() + patience;
	int st;

	close(c->in);
	while (now_s() < until) {
		co_drain(c);
		if (waitpid(c->pid, &st, WNOHANG) == c->pid) {
			close(c->err);
			return;
		}
		usleep(20000);
	}
	/* An ip/tc that does not come back is stuck in the kernel: a finding. */
	shm->hung++;
	fprintf(stderr, "fuzz: %s (pid %d) did not finish within %.0f s\n", c->argv[0], c->pid,
		patience);
	kill(c->pid, SIGKILL);
	waitpid(c->pid, &st, 0);
	close(c->err);
}

static void co_send(struct coproc *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void co_send(struct coproc *c, const char *fmt, ...)
{
	char line[600];
	va_list ap;
	int n, tries;
	uint64_t t;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(line) - 1)
		return;
	line[n++] = '\n';
	t = now_ns();
	for (tries = 0; tries < 2; tries++) {
		while (now_s() < deadline + 10) {
			struct pollfd p[2] = { { c->in, POLLOUT, 0 }, { c->err, POLLIN, 0 } };
			ssize_t w;

			poll(p, 2, 500);
			if (p[1].revents && !co_drain(c))
				break;	/* EOF on stderr: it exited */
			if (p[0].revents & POLLERR)
				break;
			if (!(p[0].revents & POLLOUT))
				continue;
			w = write(c->in, line, n);	/* n < PIPE_BUF: all or nothing */
			if (w == n) {
				(*c->lines)++;
				shm->ns_co += now_ns() - t;
				return;
			}
			if (w < 0 && errno != EAGAIN && errno != EINTR)
				break;
		}
		/* It died (iproute2 exits on some bad arguments): start another. */
		co_reap(c, 2);
		shm->hung -= shm->hung > 0;	/* a dead one is not a hang */
		shm->respawns++;
		if (co_start(c))
			return;
	}
}

struct slot {
	int kind, ns, tunfd;	/* ns: 0 free, 1, 2 */
	int seen;		/* confirmed to exist (reconcile, or made here) */
	int index;		/* as last seen (0: unknown) */
	unsigned int num;
	double born;
	char name[IF_NAMESIZE];
};

#define NSLOTS 28

static struct slot slots[NSLOTS];
static struct coproc ipc;
static int nl1 = -1, nl2 = -1, fz0_index;
static unsigned int counter;
static int tun_ok = 1;

static const char *const ip_argv[] = { "ip", "-force", "-batch", "-", NULL };

/* Expands the @ placeholders of kinds[].args. */
static void expand(char *out, size_t len, const char *fmt, const struct slot *s, const char *lower)
{
	size_t o = 0;
	const char *p;

	for (p = fmt; *p && o + 24 < len; p++) {
		if (*p != '@' || !p[1]) {
			out[o++] = *p;
			continue;
		}
		switch (*++p) {
		case 'L': o += snprintf(out + o, len - o, "%s", lower); break;
		case 'N': o += snprintf(out + o, len - o, "%u", 1 + s->num % 4000); break;
		case 'R': o += snprintf(out + o, len - o, "%u", 2 + below(249)); break;
		case 'D': o += snprintf(out + o, len - o, "%s", s->name); break;
		case 'P': o += snprintf(out + o, len - o, "%sp", s->name); break;
		default: out[o++] = '@'; out[o++] = *p; break;
		}
		if (o >= len)
			o = len - 1;
	}
	out[o] = 0;
}

#define KF_SEEN 0x1000	/* pick_slot(): only devices known to exist */

static struct slot *pick_slot(int ns, unsigned int need, unsigned int avoid)
{
	int i, n = 0, cand[NSLOTS];

	for (i = 0; i < NSLOTS; i++)
		if (slots[i].ns && (!ns || slots[i].ns == ns) &&
		    (!(need & KF_SEEN) || (slots[i].seen && slots[i].index)) &&
		    (kinds[slots[i].kind].flags & need & ~KF_SEEN) == (need & ~KF_SEEN) &&
		    !(kinds[slots[i].kind].flags & avoid))
			cand[n++] = i;
	return n ? &slots[cand[below(n)]] : NULL;
}

/*
 * Half the time, the device a worker's long burst is running on (if it is
 * one of ours in @ns): downs, deletions, moves and qdisc changes aimed at
 * a burst in flight.
 */
static struct slot *pick_busy(int ns)
{
	char name[IF_NAMESIZE];
	int i, w = below(NWORKERS);

	if (below(2))
		return pick_slot(ns, 0, 0);
	memcpy(name, (const char *)shm->busy[w], IF_NAMESIZE);
	name[IF_NAMESIZE - 1] = 0;
	for (i = 0; i < NSLOTS && name[0]; i++)
		if (slots[i].ns && (!ns || slots[i].ns == ns) && !strcmp(slots[i].name, name)) {
			shm->aimed++;
			return &slots[i];
		}
	return pick_slot(ns, 0, 0);
}

static int live_slots(void)
{
	int i, n = 0;

	for (i = 0; i < NSLOTS; i++)
		n += slots[i].ns != 0;
	return n;
}

static void slot_free(struct slot *s)
{
	if (s->tunfd >= 0)
		close(s->tunfd);
	s->tunfd = -1;
	s->ns = 0;
}

/* A netlink operation, counted under @op. */
static int nl_op(int op, int fd, struct nlmsg *m)
{
	uint64_t t = now_ns();
	int rc = nl_do(fd, m);

	shm->ns_nl += now_ns() - t;
	if (rc) {
		shm->nl_fail++;
		shm->op_nl_fail[op]++;
	} else {
		shm->nl_ok++;
		shm->op_nl_ok[op]++;
	}
	return rc;
}

static int nl_fd(const struct slot *s)
{
	return s->ns == 2 ? nl2 : nl1;
}

/* Remembers a down, delete or move of @name (for the workers' lag figure). */
static void event(const char *name)
{
	unsigned int n = shm->nevents;

	snprintf(shm->events[n % 64].name, IF_NAMESIZE, "%s", name);
	shm->events[n % 64].t_ns = now_ns();
	__atomic_store_n(&shm->nevents, n + 1, __ATOMIC_RELEASE);
}

static int link_up(int op, int fd, const char *name, int up)
{
	struct nlmsg m;
	struct ifinfomsg *ifi = nl_link(&m, RTM_SETLINK, name);

	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	if (!up)
		event(name);
	return nl_op(op, fd, &m);
}

/* A dummy, made and brought up by netlink. */
static int nl_create_dummy(int op, const char *name)
{
	struct nlmsg m;
	struct ifinfomsg *ifi = nl_link(&m, RTM_NEWLINK, name);
	struct rtattr *li;

	m.nh.nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = IFF_UP;
	li = nl_put(&m, IFLA_LINKINFO, NULL, 0);
	nl_put(&m, IFLA_INFO_KIND, "dummy", 6);
	nl_end(&m, li);
	return nl_op(op, nl1, &m);
}

/*
 * An IPv4 entry of a device: an address (RTM_NEWADDR, RTM_DELADDR; with
 * @prefix) or a permanent neighbour (RTM_NEWNEIGH with @mac, RTM_DELNEIGH).
 */
static int ip4_entry(int op, unsigned short type, int index, const char *addr, int prefix,
		     const char *mac)
{
	int is_addr = type == RTM_NEWADDR || type == RTM_DELADDR;
	unsigned short create = type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL :
				type == RTM_NEWNEIGH ? NLM_F_CREATE | NLM_F_REPLACE : 0;
	struct nlmsg m;
	void *hdr = nl_start(&m, type, create,
			     is_addr ? sizeof(struct ifaddrmsg) : sizeof(struct ndmsg));
	in_addr_t a = inet_addr(addr);

	if (is_addr) {
		struct ifaddrmsg *ifa = hdr;

		ifa->ifa_family = AF_INET;
		ifa->ifa_prefixlen = prefix;
		ifa->ifa_index = index;
		nl_put(&m, IFA_LOCAL, &a, 4);
		nl_put(&m, IFA_ADDRESS, &a, 4);
	} else {
		struct ndmsg *nd = hdr;

		nd->ndm_family = AF_INET;
		nd->ndm_ifindex = index;
		nd->ndm_state = NUD_PERMANENT;
		nl_put(&m, NDA_DST, &a, 4);
		if (mac)
			nl_put(&m, NDA_LLADDR, mac, 6);
	}
	return nl_op(op, nl1, &m);
}

static int addr4(int op, int index, const char *addr, int prefix, int del)
{
	return ip4_entry(op, del ? RTM_DELADDR : RTM_NEWADDR, index, addr, prefix, NULL);
}

/* A permanent neighbour (or its deletion). */
static int neigh4(int op, int index, const char *addr, const char *mac, int del)
{
	return ip4_entry(op, del ? RTM_DELNEIGH : RTM_NEWNEIGH, index, addr, 0, del ? NULL : mac);
}

static int route4(int op, int index, const char *dst, int prefix, const char *via)
{
	struct nlmsg m;
	struct rtmsg *rt = nl_start(&m, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, sizeof(*rt));
	in_addr_t d = inet_addr(dst), g = inet_addr(via);

	rt->rtm_family = AF_INET;
	rt->rtm_dst_len = prefix;
	rt->rtm_table = RT_TABLE_MAIN;
	rt->rtm_protocol = RTPROT_STATIC;
	rt->rtm_scope = RT_SCOPE_UNIVERSE;
	rt->rtm_type = RTN_UNICAST;
	if (prefix)
		nl_put(&m, RTA_DST, &d, 4);
	nl_put(&m, RTA_GATEWAY, &g, 4);
	nl_u32(&m, RTA_OIF, index);
	return nl_op(op, nl1, &m);
}

/* Addresses, neighbours and a route that make a device a usable egress. */
static void dress(const struct slot *s)
{
	unsigned int sn = subnet(s->num);
	char a[32], b[32];

	snprintf(a, sizeof(a), "10.60.%u.1", sn);
	if (below(5))
		addr4(OP_ADDR, s->index, a, 24, 0);
	if (kinds[s->kind].flags & KF_PEER) {
		char peer[IF_NAMESIZE + 2];

		snprintf(peer, sizeof(peer), "%sp", s->name);
		link_up(OP_UPDOWN, nl1, peer, 1);
		return;	/* the peer answers ARP itself (when it has 10.60.S.2) */
	}
	if (!(kinds[s->kind].flags & KF_ETHER))
		return;
	snprintf(b, sizeof(b), "10.60.%u.2", sn);
	neigh4(OP_ADDR, s->index, "10.60.0.2", "\x02\x00\x00\x00\x00\x02", 0);
	neigh4(OP_ADDR, s->index, b, "\x02\x00\x00\x00\x00\x03", 0);
	if (below(3) == 0) {
		snprintf(a, sizeof(a), "10.70.%u.0", sn);
		route4(OP_ADDR, s->index, a, 24, b);
	}
}

/* Root qdiscs: what tc would send for "qdisc add|replace|change dev X root ..." and "del". */
enum { Q_PFIFO_FAST, Q_FQ_CODEL, Q_FQ_CODEL_SMALL, Q_NOQUEUE, Q_PFIFO, Q_NETEM_DELAY,
       Q_NETEM_DELAY_LOSS, Q_NETEM_LOSS, Q_NETEM_DUP, Q_NETEM_CORRUPT, Q_NETEM_REORDER,
       Q_NETEM_RATE, Q_NETEM_SMALL, Q_NETEM_LOSS_ALL, NQDISCS };
static const char *const qdisc_names[NQDISCS] = {
	"pfifo_fast", "fq_codel", "fq_codel-limit64-flows8-noecn", "noqueue", "pfifo-limit8",
	"netem-delay", "netem-delay-jitter-loss", "netem-loss", "netem-duplicate30%",
	"netem-corrupt10%", "netem-delay5ms-reorder50%", "netem-rate2mbit", "netem-delay-limit16",
	"netem-loss100%",
};

static int qdisc_op(int index)
{
	static const unsigned short verbs[] = { NLM_F_CREATE | NLM_F_EXCL, NLM_F_CREATE | NLM_F_REPLACE,
						NLM_F_CREATE | NLM_F_REPLACE, 0 /* change */ };
	int q = below(NQDISCS), del = below(5) == 0;
	struct nlmsg m;
	struct tcmsg *tc = nl_start(&m, del ? RTM_DELQDISC : RTM_NEWQDISC, del ? 0 : verbs[below(4)],
				    sizeof(*tc));
	struct tc_netem_qopt ne = { .limit = 1000 };
	__s64 lat = 0;
	struct rtattr *opt;

	shm->op_issued[OP_QDISC]++;
	tc->tcm_family = AF_UNSPEC;
	tc->tcm_ifindex = index;
	tc->tcm_parent = TC_H_ROOT;
	if (del)
		return nl_op(OP_QDISC, nl1, &m);
	shm->qdiscs[q]++;
	if (q <= Q_PFIFO) {
		static const char *const k[] = { "pfifo_fast", "fq_codel", "fq_codel", "noqueue", "pfifo" };

		nl_put(&m, TCA_KIND, k[q], strlen(k[q]) + 1);
		if (q == Q_FQ_CODEL_SMALL) {
			opt = nl_put(&m, TCA_OPTIONS, NULL, 0);
			nl_u32(&m, TCA_FQ_CODEL_LIMIT, 64);
			nl_u32(&m, TCA_FQ_CODEL_FLOWS, 8);
			nl_u32(&m, TCA_FQ_CODEL_ECN, 0);
			nl_end(&m, opt);
		} else if (q == Q_PFIFO) {
			struct tc_fifo_qopt fo = { .limit = 8 };

			nl_put(&m, TCA_OPTIONS, &fo, sizeof(fo));
		}
		return nl_op(OP_QDISC, nl1, &m);
	}
	nl_put(&m, TCA_KIND, "netem", 6);
	switch (q) {
	case Q_NETEM_DELAY: lat = (1 + below(below(4) ? 20 : 300)) * 1000000LL; break;
	case Q_NETEM_DELAY_LOSS:
		lat = (1 + below(50)) * 1000000LL;
		ne.jitter = 2000000 >> 6;	/* psched ticks: 64 ns */
		ne.loss = (1 + below(60)) * (UINT32_MAX / 100);
		break;
	case Q_NETEM_LOSS: ne.loss = (1 + below(60)) * (UINT32_MAX / 100); break;
	case Q_NETEM_DUP: ne.duplicate = 30 * (UINT32_MAX / 100); break;
	case Q_NETEM_REORDER: lat = 5000000; ne.gap = 1; break;
	case Q_NETEM_SMALL: lat = (1 + below(20)) * 1000000LL; ne.limit = 16; break;
	case Q_NETEM_LOSS_ALL: ne.loss = UINT32_MAX; break;
	default: break;
	}
	opt = nl_put(&m, TCA_OPTIONS, &ne, sizeof(ne));
	if (lat)
		nl_put(&m, TCA_NETEM_LATENCY64, &lat, sizeof(lat));
	if (q == Q_NETEM_CORRUPT) {
		struct tc_netem_corrupt c = { .probability = 10 * (UINT32_MAX / 100) };

		nl_put(&m, TCA_NETEM_CORRUPT, &c, sizeof(c));
	} else if (q == Q_NETEM_REORDER) {
		struct tc_netem_reorder r = { .probability = 50 * (UINT32_MAX / 100),
					      .correlation = 50 * (UINT32_MAX / 100) };

		nl_put(&m, TCA_NETEM_REORDER, &r, sizeof(r));
	} else if (q == Q_NETEM_RATE) {
		struct tc_netem_rate r = { .rate = 250000 };	/* bytes/s: 2 mbit */

		nl_put(&m, TCA_NETEM_RATE, &r, sizeof(r));
	}
	nl_end(&m, opt);
	return nl_op(OP_QDISC, nl1, &m);
}

/* A tun/tap with a reader (this process): a private one lives as long as the fd. */
static int tun_attach(const char *name, int tap)
{
	struct ifreq ifr;
	int fd;

	if (!tun_ok)
		return -1;
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		tun_ok = 0;
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_flags = (tap ? IFF_TAP : IFF_TUN) | IFF_NO_PI;
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		shm->op_nl_fail[OP_TUN]++;
		close(fd);
		return -1;
	}
	shm->op_nl_ok[OP_TUN]++;
	return fd;
}

/*
 * A new device, once it is known to exist: up, addresses, neighbours, SA,
 * peer, qdisc. (iproute2 looking up a name that does not exist makes the
 * kernel run modprobe for "netdev-NAME": an exec, seconds under TCG. So
 * names go to `ip` only when they exist.)
 */
static void first_seen(struct slot *s)
{
	const struct kind *k = &kinds[s->kind];

	s->seen = 1;
	if (s->ns != 1 || !s->index)
		return;
	if (k->flags & KF_MACSEC_SA && below(5))
		co_send(&ipc, "macsec add %s tx sa 0 pn 1 on key 01 %016llx%016llx", s->name,
			(unsigned long long)rnd(), (unsigned long long)rnd());
	if (k->flags & KF_WG && below(4) == 0) {	/* an exec: ~9 s on the debug kernel */
		uint64_t t = now_ns();

		shm->execs++;
		shm->op_issued[OP_WG]++;
		sh("wg set %s private-key /tmp/fuzz-wg.key listen-port %u peer "
		   "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg= endpoint 10.99.0.%u:51820 "
		   "allowed-ips 0.0.0.0/0 >/dev/null 2>&1", s->name, 20000 + s->num % 20000,
		   2 + below(3));
		shm->ns_sh += now_ns() - t;
	}
	if (below(5))
		link_up(OP_UPDOWN, nl1, s->name, 1);
	dress(s);
	if (below(3) == 0)
		qdisc_op(s->index);
}

static void op_create(void)
{
	struct slot *s = NULL, *lo;
	const struct kind *k;
	char args[300];
	int i, kind, tries;
	const char *lower = "fz1";

	for (i = 0; i < NSLOTS && !s; i++)
		if (!slots[i].ns)
			s = &slots[i];
	if (!s)
		return;
	for (tries = 0; tries < 50; tries++) {
		kind = below(NKINDS);
		if (kind_ok[kind])
			break;
	}
	if (!kind_ok[kind])
		return;
	k = &kinds[kind];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->num = ++counter;
	s->tunfd = -1;
	s->born = now_s();
	snprintf(s->name, sizeof(s->name), "%s%u", k->tag, s->num);
	/* A lower: one of ours that exists (a fresh dummy half the time: macvlan,
	 * ipvlan and macsec do not share a lower), fz0 or fz1. */
	if ((lo = pick_slot(1, KF_ETHER | KF_SEEN, 0)) && below(2))
		lower = lo->name;
	else if (below(3) == 0)
		lower = "fz0";
	for (i = 0; i < 8 && k->args[i]; i++)
		;
	expand(args, sizeof(args), k->args[below(i)], s, lower);
	shm->op_issued[OP_CREATE]++;
	shm->created[kind]++;
	s->ns = 1;
	if (k->flags & KF_TUNTAP && below(2)) {
		s->tunfd = tun_attach(s->name, k->flags & KF_ETHER);
		if (s->tunfd < 0) {
			s->ns = 0;
			return;
		}
		s->index = name_index(s->name);
		first_seen(s);
	} else if (k->flags & KF_TUNTAP) {
		co_send(&ipc, "%s", args);
	} else {
		co_send(&ipc, "link add %s %s", s->name, args);
	}
}

static void op_delete(void)
{
	struct slot *s = pick_busy(0);
	struct nlmsg m;

	if (!s)
		return;
	shm->op_issued[OP_DELETE]++;
	if (s->tunfd >= 0 && below(2)) {
		slot_free(s);	/* closing the fd deletes a private tun */
		return;
	}
	nl_link(&m, RTM_DELLINK, s->name);
	event(s->name);
	nl_op(OP_DELETE, nl_fd(s), &m);
	slot_free(s);
}

static void op_link(int op)
{
	static const unsigned int mtus[] = { 68, 576, 1280, 1400, 1500, 1500, 9000, 65535 };
	struct slot *s = pick_busy(0);
	char name[IF_NAMESIZE + 2];
	struct nlmsg m;
	int fd;

	if (!s)
		return;
	snprintf(name, sizeof(name), "%s", s->name);
	fd = nl_fd(s);
	if (kinds[s->kind].flags & KF_PEER && below(4) == 0 && s->ns == 1)
		snprintf(name, sizeof(name), "%sp", s->name);
	shm->op_issued[op]++;
	switch (op) {
	case OP_UPDOWN:
		if (!link_up(op, fd, name, below(4) != 0) && s->ns == 1 && s->seen && s->index &&
		    below(2))
			dress(s);	/* down flushed the neighbours */
		return;
	case OP_MTU:
		nl_link(&m, RTM_SETLINK, name);
		nl_u32(&m, IFLA_MTU, below(4) ? mtus[below(8)] : 68 + below(9000));
		break;
	case OP_TXQLEN:
		nl_link(&m, RTM_SETLINK, name);
		nl_u32(&m, IFLA_TXQLEN, (unsigned int[]){ 0, 1, 2, 100, 1000 }[below(5)]);
		break;
	case OP_MAC: {
		unsigned char mac[6] = { 0x02, 0, 0, 0, 0, 0 };

		mac[3] = below(256);
		mac[4] = below(256);
		mac[5] = below(256);
		nl_link(&m, RTM_SETLINK, name);
		nl_put(&m, IFLA_ADDRESS, mac, 6);
		break;
	}
	case OP_CARRIER: {
		unsigned char on = below(2);

		nl_link(&m, RTM_SETLINK, name);
		nl_put(&m, IFLA_CARRIER, &on, 1);
		break;
	}
	default:
		return;
	}
	nl_op(op, fd, &m);
}

static void op_master(void)
{
	struct slot *mst = pick_slot(1, KF_MASTER | KF_SEEN, 0), *s = pick_slot(1, 0, 0);
	struct nlmsg m;
	unsigned int idx = 0;

	if (!s)
		return;
	shm->op_issued[OP_MASTER]++;
	if (mst && mst != s && below(4))
		idx = mst->index;	/* stale if it went: the kernel says so */
	if (idx && below(3) == 0)
		link_up(OP_MASTER, nl1, s->name, 0);	/* bonds want their slaves down */
	nl_link(&m, RTM_SETLINK, s->name);
	nl_u32(&m, IFLA_MASTER, idx);
	nl_op(OP_MASTER, nl1, &m);
	if (below(2))
		link_up(OP_MASTER, nl1, s->name, 1);
}

static void op_move(void)
{
	struct slot *s = below(3) ? pick_busy(1) : pick_slot(2, 0, 0);
	struct nlmsg m;
	char peer[IF_NAMESIZE + 2];

	if (!s)
		s = pick_slot(0, 0, 0);
	if (!s)
		return;
	shm->op_issued[OP_MOVE]++;
	if (kinds[s->kind].flags & KF_PEER && below(4) == 0) {
		/* One veth end alone: the pair spans both namespaces. */
		int back = below(2);

		snprintf(peer, sizeof(peer), "%sp", s->name);
		nl_link(&m, RTM_SETLINK, peer);
		nl_u32(&m, IFLA_NET_NS_FD, back ? ns1fd : ns2fd);
		nl_op(OP_MOVE, back ? nl2 : nl1, &m);
		return;
	}
	nl_link(&m, RTM_SETLINK, s->name);
	nl_u32(&m, IFLA_NET_NS_FD, s->ns == 1 ? ns2fd : ns1fd);
	if (s->ns == 1)
		event(s->name);
	if (nl_op(OP_MOVE, nl_fd(s), &m))
		return;
	s->ns = s->ns == 1 ? 2 : 1;
	if (s->ns == 2 && below(2)) {
		link_up(OP_MOVE, nl2, s->name, 1);
	} else if (s->ns == 1) {
		if (below(5))
			link_up(OP_MOVE, nl1, s->name, 1);
		if (s->seen && s->index)	/* usually back under its old index */
			dress(s);
	}
}

/* What the fuzzer always did: fz0 and fz1 flapping, fz1 deleted and made again. */
static void op_base(void)
{
	struct nlmsg m;

	shm->op_issued[OP_BASE]++;
	switch (below(6)) {
	case 0:
		link_up(OP_BASE, nl1, "fz1", 0);
		link_up(OP_BASE, nl1, "fz1", 1);
		break;
	case 1:
		nl_link(&m, RTM_SETLINK, "fz0");
		nl_u32(&m, IFLA_MTU, below(2) ? 1500 : 68 + below(9000));
		nl_op(OP_BASE, nl1, &m);
		break;
	case 2:
		nl_link(&m, RTM_DELLINK, "fz1");
		nl_op(OP_BASE, nl1, &m);
		nl_create_dummy(OP_BASE, "fz1");
		break;
	case 3:
		link_up(OP_BASE, nl1, "fz0", 0);
		link_up(OP_BASE, nl1, "fz0", 1);
		route4(OP_BASE, fz0_index, "0.0.0.0", 0, "10.50.0.2");
		neigh4(OP_BASE, fz0_index, "10.50.0.2", "\x02\x00\x00\x00\x00\x01", 0);
		break;
	case 4:
		qdisc_op(fz0_index);
		break;
	default:
		neigh4(OP_BASE, fz0_index, "10.50.0.2", NULL, 1);
		break;
	}
}

static void op_misc(void)
{
	struct slot *s;
	char a[32];

	switch (below(3)) {
	case 0:	/* macsec SAs come and go */
		s = pick_slot(1, KF_MACSEC_SA | KF_SEEN, 0);
		if (!s)
			return;
		shm->op_issued[OP_MACSEC]++;
		if (below(2))
			co_send(&ipc, "macsec set %s tx sa 0 %s", s->name, below(2) ? "off" : "on");
		else if (below(2))
			co_send(&ipc, "macsec del %s tx sa 0", s->name);
		else
			co_send(&ipc, "macsec add %s tx sa 0 pn 1 on key 01 %016llx%016llx", s->name,
				(unsigned long long)rnd(), (unsigned long long)rnd());
		return;
	case 1:	/* a reader for a persistent tun/tap, or none */
		s = pick_slot(1, KF_TUNTAP | KF_SEEN, 0);
		if (!s)
			return;
		shm->op_issued[OP_TUN]++;
		if (s->tunfd >= 0) {
			close(s->tunfd);	/* a persistent one stays, a private one goes */
			s->tunfd = -1;
		} else {
			s->tunfd = tun_attach(s->name, kinds[s->kind].flags & KF_ETHER);
		}
		return;
	default:	/* addresses, neighbours, routes */
		s = pick_slot(1, KF_SEEN, 0);
		if (!s)
			return;
		shm->op_issued[OP_ADDR]++;
		snprintf(a, sizeof(a), "10.60.%u.1", subnet(s->num));
		switch (below(4)) {
		case 0: addr4(OP_ADDR, s->index, a, 24, 1); break;
		case 1: neigh4(OP_ADDR, s->index, "10.60.0.2", NULL, 1); break;
		default: dress(s); break;
		}
	}
}

/* Readers of the tun/tap devices: drop what they queued. */
static void drain_tuns(void)
{
	static char buf[65536];
	int i, j;

	for (i = 0; i < NSLOTS; i++) {
		if (!slots[i].ns || slots[i].tunfd < 0)
			continue;
		for (j = 0; j < 16; j++) {
			ssize_t n = read(slots[i].tunfd, buf, sizeof(buf));

			if (n > 0) {
				shm->tun_reads++;
				continue;
			}
			if (n < 0 && errno != EAGAIN && errno != EINTR) {
				close(slots[i].tunfd);	/* device gone (EBADFD) */
				slots[i].tunfd = -1;
			}
			break;
		}
	}
}

/*
 * Brings slots[] in line with what exists: `ip` runs behind us and any
 * operation may have failed. Devices of ours nobody tracks are adopted, or
 * deleted when there is no room.
 */
static void reconcile(void)
{
	static struct link l1[256], l2[256];
	int n1 = nl_links(nl1, l1, 256), n2 = nl_links(nl2, l2, 256), i, j, live = 0;
	double now = now_s();

	if (n1 < 0 || n2 < 0)
		return;
	shm->reconciles++;
	for (i = 0; i < NSLOTS; i++) {
		struct link *l = NULL;

		if (!slots[i].ns)
			continue;
		for (j = 0; j < n1 && !l; j++)
			if (!strcmp(l1[j].name, slots[i].name)) {
				l = &l1[j];
				slots[i].ns = 1;
			}
		for (j = 0; j < n2 && !l; j++)
			if (!strcmp(l2[j].name, slots[i].name)) {
				l = &l2[j];
				slots[i].ns = 2;
			}
		if (l) {
			slots[i].index = l->index;
			if (!slots[i].seen)
				first_seen(&slots[i]);
		} else if (now - slots[i].born > 3 && slots[i].tunfd < 0) {
			slot_free(&slots[i]);
		}
	}
	for (j = 0; j < n1 + n2; j++) {
		struct link *l = j < n1 ? &l1[j] : &l2[j - n1];
		unsigned int num;
		int k = name_kind(l->name, &num), free_slot = -1, known = 0;

		if (k >= NKINDS || l->name[strlen(l->name) - 1] == 'p')
			continue;
		live++;
		for (i = 0; i < NSLOTS; i++) {
			if (slots[i].ns && !strcmp(slots[i].name, l->name))
				known = 1;
			else if (!slots[i].ns && free_slot < 0)
				free_slot = i;
		}
		if (known)
			continue;
		if (free_slot >= 0) {
			struct slot *s = &slots[free_slot];

			memset(s, 0, sizeof(*s));
			s->kind = k;
			s->num = num;
			s->tunfd = -1;
			s->ns = j < n1 ? 1 : 2;
			s->index = l->index;
			s->born = now;
			s->seen = 1;
			snprintf(s->name, sizeof(s->name), "%s", l->name);
			shm->adopted++;
		} else {
			struct nlmsg m;

			nl_link(&m, RTM_DELLINK, l->name);
			nl_op(OP_DELETE, j < n1 ? nl1 : nl2, &m);
		}
	}
	if ((unsigned long long)live > shm->max_devices)
		shm->max_devices = live;
}

static void topology(unsigned long long seed)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	double next_reconcile = 0;
	int i;

	rng = seed * 7 + 3;
	signal(SIGPIPE, SIG_IGN);
	/* No CAP_SYS_MODULE for us and `ip`: see first_seen(). */
	prctl(PR_CAPBSET_DROP, CAP_SYS_MODULE, 0, 0, 0);
	if (!syscall(SYS_capget, &h, d)) {
		d[0].effective &= ~(1U << CAP_SYS_MODULE);
		d[0].permitted &= ~(1U << CAP_SYS_MODULE);
		syscall(SYS_capset, &h, d);
	}
	for (i = 0; i < NSLOTS; i++)
		slots[i].tunfd = -1;
	nl1 = nl_open();
	if (setns(ns2fd, CLONE_NEWNET) == 0) {
		nl2 = nl_open();
		if (setns(ns1fd, CLONE_NEWNET))
			_exit(3);
	}
	fz0_index = name_index("fz0");
	ipc.argv = ip_argv;
	ipc.lines = &shm->ip_lines;
	ipc.failed = &shm->ip_failed;
	if (nl1 < 0 || nl2 < 0 || co_start(&ipc)) {
		fprintf(stderr, "fuzz: topology setup failed: %s\n", strerror(errno));
		_exit(3);
	}
	while (now_s() < deadline) {
		int live = live_slots(), w = below(100);

		if (now_s() >= next_reconcile) {
			uint64_t t = now_ns();

			reconcile();
			shm->ns_reconcile += now_ns() - t;
			next_reconcile = now_s() + 2;
		}
		drain_tuns();
		co_drain(&ipc);
		if (w < (live < NSLOTS / 2 ? 30 : 12))
			op_create();
		else if (w < 40)
			op_delete();
		else if (w < 52)
			op_link(OP_UPDOWN);
		else if (w < 57)
			op_link(OP_MTU);
		else if (w < 59)
			op_link(OP_TXQLEN);
		else if (w < 61)
			op_link(OP_MAC);
		else if (w < 62)
			op_link(OP_CARRIER);
		else if (w < 74) {
			struct slot *s = pick_busy(1);

			if (s && s->seen && s->index)
				qdisc_op(s->index);
		} else if (w < 80)
			op_master();
		else if (w < 88)
			op_move();
		else if (w < 93)
			op_base();
		else
			op_misc();
		{
			uint64_t t = now_ns();

			usleep(1000 + below(10000));
			shm->ns_sleep += now_ns() - t;
		}
	}
	for (i = 0; i < NSLOTS; i++)
		if (slots[i].tunfd >= 0)
			close(slots[i].tunfd);
	co_reap(&ipc, 60);
	_exit(0);
}

/* ------------------------------------------------------------------- setup */

/*
 * Tries one creation of each kind (one `ip -batch`: the line numbers of
 * "Command failed" name the kinds); those the kernel refuses are reported
 * and skipped.
 */
static void probe_kinds(void)
{
	static char err[16384];
	const char *bf = "/tmp/fuzz-probe.batch", *ef = "/tmp/fuzz-probe.err";
	char msg[NKINDS][160], last[160] = "";
	FILE *f = fopen(bf, "w");
	int k, lines = 0, kline[NKINDS];
	size_t n;
	char *p, *nl;

	if (!f)
		return;
	for (k = 0; k < NKINDS; k++) {
		struct slot s = { .num = 100 + k };
		char args[300], lower[16];

		/* A lower of its own: macvlan, ipvlan and macsec exclude each other. */
		snprintf(lower, sizeof(lower), "pl%d", k);
		if (kinds[k].flags & KF_LOWER) {
			fprintf(f, "link add %s type dummy\n", lower);
			lines++;
		}
		snprintf(s.name, sizeof(s.name), "pb%d", k);
		expand(args, sizeof(args), kinds[k].args[0], &s, lower);
		if (kinds[k].flags & KF_TUNTAP)
			fprintf(f, "%s\n", args);
		else
			fprintf(f, "link add %s %s\n", s.name, args);
		kline[k] = ++lines;
		kind_ok[k] = 1;
		msg[k][0] = 0;
	}
	for (k = 0; k < NKINDS; k++) {
		fprintf(f, "link del dev pb%d\n", k);
		if (kinds[k].flags & KF_LOWER)
			fprintf(f, "link del dev pl%d\n", k);
	}
	fclose(f);
	sh("ip -force -batch %s >/dev/null 2>%s", bf, ef);
	f = fopen(ef, "r");
	n = f ? fread(err, 1, sizeof(err) - 1, f) : 0;
	if (f)
		fclose(f);
	err[n] = 0;
	for (p = err; (nl = strchr(p, '\n')); p = nl + 1) {
		*nl = 0;
		if (!strncmp(p, "Command failed", 14)) {
			char *c = strrchr(p, ':');
			int line = c ? atoi(c + 1) : 0;

			for (k = 0; k < NKINDS; k++)
				if (kline[k] == line) {
					kind_ok[k] = 0;
					snprintf(msg[k], sizeof(msg[0]), "%s", last);
				}
			last[0] = 0;
		} else if (!last[0]) {
			snprintf(last, sizeof(last), "%.150s", p);
		}
	}
	for (k = 0; k < NKINDS; k++)
		if (!kind_ok[k])
			info("device kind %s cannot be created on this kernel, skipped: %s",
			     kinds[k].name, msg[k][0] ? msg[k] : "?");
	unlink(bf);
	unlink(ef);
}

static int setup_namespaces(void)
{
	static const char ipv6off[] =
		"{ [ ! -d /proc/sys/net/ipv6 ] || { echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6; "
		"echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6; }; }";
	FILE *f;

	if (unshare(CLONE_NEWNET)) {
		perror("unshare(CLONE_NEWNET)");
		return -1;
	}
	if (sh("%s && ip link set lo up && ip link add fz0 type dummy && ip link add fz1 type dummy && "
	       "ip link add fzt type dummy && "
	       "ip link set fz0 up && ip link set fz1 up && ip link set fzt up && "
	       "ip addr add 10.50.0.1/24 dev fz0 && ip addr add 10.99.0.1/24 dev fzt && "
	       "ip route add default via 10.50.0.2 dev fz0 && "
	       "ip neigh replace 10.50.0.2 lladdr 02:00:00:00:00:01 dev fz0 nud permanent && "
	       "ip neigh replace 10.99.0.2 lladdr 02:00:00:00:00:09 dev fzt nud permanent",
	       ipv6off)) {
		fprintf(stderr, "namespace setup failed\n");
		return -1;
	}
	ns1fd = open("/proc/self/ns/net", O_RDONLY);
	if (ns1fd < 0 || unshare(CLONE_NEWNET)) {
		perror("ns2");
		return -1;
	}
	sh("%s; ip link set lo up", ipv6off);
	ns2fd = open("/proc/self/ns/net", O_RDONLY);
	if (ns2fd < 0 || setns(ns1fd, CLONE_NEWNET)) {
		perror("ns2");
		return -1;
	}
	/* tun/tap: the node, if the guest's devtmpfs has none (stock: tun is a module). */
	mkdir("/dev/net", 0755);
	if (access("/dev/net/tun", F_OK))
		mknod("/dev/net/tun", S_IFCHR | 0666, makedev(10, 200));
	f = fopen("/tmp/fuzz-wg.key", "w");	/* wg(8)'s example key */
	if (f) {
		fputs("yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n", f);
		fclose(f);
	}
	return 0;
}

static void report(double secs, unsigned long long seed)
{
	unsigned long long ops = 0;
	int i, k;

	for (i = 0; i < NOPS; i++)
		ops += shm->op_issued[i];
	printf("FUZZ ioctls=%llu seconds=%.1f ioctls_per_s=%.0f ok=%llu packets=%llu send=%llu build=%llu stats=%llu other=%llu sndbuf=%llu topo_ops=%llu topo_failed=%llu seed=%llu\n",
	       shm->ioctls, secs, shm->ioctls / secs, shm->ok, shm->packets, shm->by_cmd[CMD_SEND],
	       shm->by_cmd[CMD_BUILD], shm->by_cmd[CMD_STATS], shm->by_cmd[CMD_OTHER],
	       shm->by_cmd[CMD_SNDBUF], ops, shm->nl_fail + shm->ip_failed, seed);
	printf("FUZZ errnos:");
	for (i = 1; i < 160; i++)
		if (shm->errs[i])
			printf(" %s=%llu", ename(i), shm->errs[i]);
	printf("\n");
	printf("FUZZ topology: ops=%llu;", ops);
	for (i = 0; i < NOPS; i++)
		if (shm->op_issued[i])
			printf(" %s=%llu", op_names[i], shm->op_issued[i]);
	printf("; netlink %llu ok %llu failed, ip batch %llu lines %llu failed, execs %llu, ip restarts %llu, reconciles %llu, adopted %llu, most devices at once %llu, tun reads %llu, aimed at a running long burst %llu\n",
	       shm->nl_ok, shm->nl_fail, shm->ip_lines, shm->ip_failed, shm->execs, shm->respawns, shm->reconciles, shm->adopted, shm->max_devices,
	       shm->tun_reads, shm->aimed);
	printf("FUZZ qdiscs set:");
	for (k = 0; k < NQDISCS; k++)
		printf(" %s=%llu", qdisc_names[k], shm->qdiscs[k]);
	printf("\n");
	printf("FUZZ created:");
	for (k = 0; k < NKINDS; k++)
		printf(" %s=%llu", kinds[k].name, shm->created[k]);
	printf("\n");
	printf("FUZZ time (s, both workers): picking egress %.1f, labelling %.1f, SEND %.1f, BUILD %.1f, GET_STATS %.1f, other %.1f, SNDBUF %.1f\n",
	       shm->ns_pick / 1e9, shm->ns_view / 1e9, shm->ns_cmd[0] / 1e9, shm->ns_cmd[1] / 1e9, shm->ns_cmd[2] / 1e9,
	       shm->ns_cmd[3] / 1e9, shm->ns_cmd[4] / 1e9);
	printf("FUZZ time (s, topology): netlink %.1f, writing to ip %.1f, wg %.1f, reconcile %.1f, sleeping %.1f; workers refreshing the device list %.1f\n",
	       shm->ns_nl / 1e9, shm->ns_co / 1e9, shm->ns_sh / 1e9, shm->ns_reconcile / 1e9,
	       shm->ns_sleep / 1e9, shm->ns_refresh / 1e9);
	printf("FUZZ long paced bursts (timer held off): %llu, %.1f s in all, at most %.2f s past their plan; cut short by:",
	       shm->long_bursts, shm->long_ns / 1e9, shm->long_over_ns / 1e9);
	for (i = 1; i < 160; i++)
		if (shm->long_cut[i])
			printf(" %s=%llu", ename(i), shm->long_cut[i]);
	printf("; refused:");
	for (i = 1; i < 160; i++)
		if (shm->long_refused[i])
			printf(" %s=%llu", ename(i), shm->long_refused[i]);
	printf("; a device event to the end of the burst it cut: %llu seen, mean %.0f ms, max %.0f ms\n",
	       shm->cut_lag_n, shm->cut_lag_n ? shm->cut_lag_sum_ns / 1e6 / shm->cut_lag_n : 0.0,
	       shm->cut_lag_max_ns / 1e6);
	printf("FUZZ targets: %llu device list refreshes, %llu fresh lookups, %llu of them vanished\n",
	       shm->refreshes, shm->fresh_lookups, shm->vanished);
	printf("FUZZ relabelled (undocumented by the old labels, judged by what the kernel read): EOPNOTSUPP for a picked Ethernet/no-header kind: %llu on another ifindex (mutated, shifted pointer), %llu on the picked one (another device); a transmit errno of a BUILD whose flags its frame overwrote: %llu\n",
	       shm->relabel[0], shm->relabel[1], shm->relabel[2]);
	for (i = 0; i < 3; i++)
		if (shm->relabel[i])
			printf("FUZZ relabelled, the first: %s\n", shm->relabel_first[i]);
	for (k = 0; k < NCATS; k++) {
		const char *name = cat_name(k);
		unsigned long long e[160];
		int shown = 0;

		memcpy(e, shm->cat[k].errs, sizeof(e));
		printf("FUZZ kind %-22s ioctls=%-7llu ok=%-7llu packets=%-8llu", name, shm->cat[k].ioctls,
		       shm->cat[k].ok, shm->cat[k].packets);
		while (shown++ < 6) {	/* the six commonest errnos */
			int best = 0;

			for (i = 1; i < 160; i++)
				if (e[i] > e[best])
					best = i;
			if (!best || !e[best])
				break;
			printf(" %s=%llu", ename(best), e[best]);
			e[best] = 0;
		}
		printf("\n");
	}
	for (i = 0; i < 8 && shm->bads[i].n; i++)
		printf("FUZZ undocumented: %s on %s -> %s: %llu times\n",
		       (const char *[]){ "SEND", "BUILD", "GET_STATS", "other", "SNDBUF" }[shm->bads[i].cmd],
		       cat_name(shm->bads[i].cat), ename(shm->bads[i].err), shm->bads[i].n);
	for (i = 0; i < NSAMPLES && shm->samples[i].n; i++)
		info("topology: %llux %s", shm->samples[i].n, shm->samples[i].msg);
	if (shm->samples_other)
		info("topology: %llu other messages", shm->samples_other);
}

/* ------------------------------------------------------------------- cases */

/*
 * `fuzz --cases`: calls the workers make now and then, made on purpose on
 * devices set up for them, each labelled (labelled_ioctl()) and judged
 * (record()) as a worker's: a documented result must count as one, and an
 * undocumented one (fed to record() as if the kernel had returned it) as a
 * finding.
 */
static long case_call(int fd, int cmd, void *arg, int ns2, int *err)
{
	struct view v;
	long rc = labelled_ioctl(fd, cmd, arg, ns2, &v, err);

	record(cmd, &v, rc, *err, 0, cmd == CMD_SEND ? "SEND" : "BUILD");
	return rc;
}

/* record() of a result the kernel did not give: @cmd on @arg said -@err. */
static void case_fake(int cmd, void *arg, int err)
{
	struct view v;

	view_before(&v, cmd, arg, 0);
	view_after(&v);
	record(cmd, &v, -1, err, 0, cmd == CMD_SEND ? "SEND" : "BUILD");
}

/* The index the workers' device list holds for @name (pick_egress()'s cached one). */
static unsigned int cached_index(const char *name)
{
	int i;

	refresh_targets();
	for (i = 0; i < ntargets; i++)
		if (!strcmp(targets[i].l.name, name))
			return targets[i].l.index;
	return 0;
}

/* A UDP request to 10.60.0.2 through @ifindex, no link addresses. */
static void case_req(struct pktcraft_req *r, unsigned int ifindex)
{
	static unsigned char payload[32];

	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->ifindex = ifindex;
	r->ip_ttl = 64;
	r->ip_daddr = inet_addr("10.60.0.2");
	r->l4 = PKTCRAFT_L4_UDP;
	r->sport = 1000;
	r->dport = 53;
	r->payload = (uintptr_t)payload;
	r->payload_len = sizeof(payload);
}

static void case_build_req(struct pktcraft_build *b, struct pktcraft_req *r, unsigned int flags,
			   void *buf)
{
	memset(b, 0, sizeof(*b));
	b->size = sizeof(*b);
	b->flags = flags;
	b->req = (uintptr_t)r;
	b->buf = (uintptr_t)buf;
	b->buf_len = 1024;
}

/* @want findings (0 or 1) since @bad0; then forgets them. */
static void case_verdict(const char *name, unsigned long long bad0, int want, long rc, int err)
{
	unsigned long long n = shm->bad - bad0;

	verdict(n == (unsigned long long)want, name, "rc %ld %s, %llu finding(s)%s%s", rc,
		rc < 0 ? ename(err) : "", n, n ? ": " : "", n ? shm->first_bad : "");
	shm->bad = bad0;
	shm->first_bad[0] = 0;
	memset(shm->bads, 0, sizeof(shm->bads));
}

static int cases(void)
{
	struct pktcraft_req *r = (struct pktcraft_req *)area;
	struct pktcraft_build *b = (struct pktcraft_build *)(area + 1024);
	unsigned int wg, ve, gn, idx;
	int fd, fd2, err;
	unsigned long long bad0;
	long rc;

	group = "fuzz-cases";
	if (sh("ip link add wg9001 type wireguard && ip link set wg9001 up && "
	       "ip link add ve9002 type veth peer name ve9002p && ip link set ve9002 up && "
	       "ip link set ve9002p up && "
	       "ip link add gn9003 type gre local 10.99.0.1 key 3 && ip link set gn9003 up && "
	       "ip link add ve9004 index 9004 type veth peer name ve9004p && "
	       "ip link set ve9004 up && ip link set ve9004p up") || open_view()) {
		fprintf(stderr, "cases: setup failed\n");
		return 2;
	}
	wg = name_index("wg9001");
	ve = name_index("ve9002");
	gn = name_index("gn9003");
	fd = open(PKTCRAFT_DEVICE, O_RDWR);
	if (fd < 0 || !wg || !ve || !gn) {
		perror(PKTCRAFT_DEVICE);
		return 2;
	}

	/* A BUILD without _F_SEND never transmits: no wireguard errno. */
	case_req(r, wg);
	case_build_req(b, r, 0, area + 2048);
	bad0 = shm->bad;
	rc = case_call(fd, CMD_BUILD, b, 0, &err);
	case_verdict("BUILD on wireguard (no peer) without _F_SEND: 0, nothing sent", bad0, 0, rc, err);
	verdict(rc == 0, "BUILD on wireguard (no peer) without _F_SEND returns 0", "rc %ld %s", rc,
		ename(err));

	/*
	 * BUILD|SEND whose buffer is its own struct (any_pointer()'s aliasing
	 * case): the frame lands on b->flags (IP ID 0x0200: they read 2 after
	 * the call). The kernel was asked to send, and wireguard refused.
	 */
	case_req(r, wg);
	r->flags |= PKTCRAFT_F_IP_ID;
	r->ip_id = 0x0200;
	case_build_req(b, r, PKTCRAFT_BUILD_F_SEND, b);
	bad0 = shm->bad;
	rc = case_call(fd, CMD_BUILD, b, 0, &err);
	case_verdict("BUILD|SEND on wireguard (no peer), buffer = its own struct: ENOKEY, documented",
		     bad0, 0, rc, err);
	verdict(rc < 0 && err == ENOKEY && !(b->flags & PKTCRAFT_BUILD_F_SEND),
		"BUILD|SEND, buffer = its own struct: ENOKEY, and the frame cleared _F_SEND in it",
		"rc %ld %s, flags now 0x%x", rc, ename(err), b->flags);

	/* A SEND aimed at a veth whose ifindex mutate() replaced (a gre without remote's). */
	case_req(r, gn);
	bad0 = shm->bad;
	rc = case_call(fd, CMD_SEND, r, 0, &err);
	case_verdict("SEND aimed at a veth, ifindex mutated to a gre without remote's: EOPNOTSUPP, documented",
		     bad0, 0, rc, err);

	/* The device behind a cached index replaced: a gre without remote under the veth's index. */
	idx = cached_index("ve9004");
	sh("ip link del ve9004 && ip link add gn9005 index 9004 type gre local 10.99.0.1 key 5 && "
	   "ip link set gn9005 up");
	case_req(r, idx);
	bad0 = shm->bad;
	rc = case_call(fd, CMD_SEND, r, 0, &err);
	case_verdict("SEND to a veth's cached index, a gre without remote's now: EOPNOTSUPP, documented",
		     bad0, 0, rc, err);

	/* An fd of ns2, where the ns1 veth's index is a gre without remote. */
	if (setns(ns2fd, CLONE_NEWNET))
		return 2;
	sh("ip link add gn9006 index %u type gre local 10.99.0.1 key 6 && ip link set gn9006 up", ve);
	fd2 = open(PKTCRAFT_DEVICE, O_RDWR);
	if (setns(ns1fd, CLONE_NEWNET) || fd2 < 0)
		return 2;
	case_req(r, ve);
	bad0 = shm->bad;
	rc = case_call(fd2, CMD_SEND, r, 1, &err);
	case_verdict("SEND on an ns2 fd, an ns1 veth's index, a gre without remote's in ns2: EOPNOTSUPP, documented",
		     bad0, 0, rc, err);
	/* ... and the same index on an ns1 fd: the veth. */
	memcpy(r->dst_mac, "\x02\x00\x00\x00\x00\x02", 6);
	rc = case_call(fd, CMD_SEND, r, 0, &err);
	case_verdict("SEND on an ns1 fd, the veth's index: no finding", bad0, 0, rc, err);
	verdict(rc == 1, "SEND on an ns1 fd, the veth's index: sent", "rc %ld %s", rc, ename(err));
	close(fd2);

	/* The check still bites: results the kernel must never give. */
	case_req(r, ve);
	bad0 = shm->bad;
	case_fake(CMD_SEND, r, EOPNOTSUPP);
	case_verdict("a finding: EOPNOTSUPP for a SEND through a veth", bad0, 1, -1, EOPNOTSUPP);
	case_req(r, 9999);
	bad0 = shm->bad;
	case_fake(CMD_SEND, r, EOPNOTSUPP);
	case_verdict("a finding: EOPNOTSUPP for a SEND through an ifindex no device has", bad0, 1, -1,
		     EOPNOTSUPP);
	case_req(r, ve);
	r->size = PKTCRAFT_REQ_SIZE_VER0 + 4;	/* shifted by 4: what the kernel reads there */
	memmove((char *)r + 4, r, PKTCRAFT_REQ_SIZE_VER0);
	bad0 = shm->bad;
	case_fake(CMD_SEND, (char *)r + 4, EOPNOTSUPP);
	case_verdict("a finding: EOPNOTSUPP for a SEND through a veth, request at a shifted pointer",
		     bad0, 1, -1, EOPNOTSUPP);
	case_req(r, wg);
	case_build_req(b, r, 0, area + 2048);
	bad0 = shm->bad;
	case_fake(CMD_BUILD, b, ENOKEY);
	case_verdict("a finding: wireguard's ENOKEY for a BUILD without _F_SEND", bad0, 1, -1, ENOKEY);
	case_build_req(b, r, PKTCRAFT_BUILD_F_SEND, area + 2048);
	bad0 = shm->bad;
	case_fake(CMD_BUILD, b, ENOKEY);
	case_verdict("no finding: wireguard's ENOKEY for a BUILD with _F_SEND", bad0, 0, -1, ENOKEY);
	close(fd);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long long seed;
	double secs, t0;
	pid_t pids[NWORKERS + 1];
	int i, st, shared_fd, fd, rc, crashed = 0;
	struct pktcraft_req r;

	if (argc < 2) {
		fprintf(stderr, "usage: %s SECONDS [SEED] | --cases\n", argv[0]);
		return 2;
	}
	group = "fuzz";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "--cases"))
		secs = 0;
	else
		secs = atof(argv[1]);
	seed = argc > 2 ? strtoull(argv[2], NULL, 0) : (unsigned long long)time(NULL);
	page = sysconf(_SC_PAGESIZE);
	printf("INFO: hardening: fuzz: seed %llu, %.0f s\n", seed, secs);

	if (setup_namespaces())
		return 2;
	/*
	 * Root's IHL lies (below 5, past the packet) through the build, ring
	 * and shared-skb paths, as before they became the admin's choice;
	 * the workers without CAP_NET_ADMIN in the initial user namespace are
	 * refused them whatever it says.
	 */
	if (proc_write("/sys/module/pktcraft/parameters/ip4_ihl_lies", "1"))
		printf("INFO: hardening: fuzz: ip4_ihl_lies: %s\n", strerror(errno));
	probe_kinds();
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	area = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED || area == MAP_FAILED)
		return 2;
	guard = area + 3 * page;
	mprotect(guard, page, PROT_NONE);
	rdonly = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!strcmp(argv[1], "--cases"))
		return cases();
	shared_fd = open(PKTCRAFT_DEVICE, O_RDWR);
	if (shared_fd < 0) {
		perror(PKTCRAFT_DEVICE);
		return 2;
	}

	t0 = now_s();
	deadline = t0 + secs;
	fflush(stdout);
	for (i = 0; i <= NWORKERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			if (i == NWORKERS) {
				topology(seed);
			} else {
				/* Each worker its own copy of the request area. */
				unsigned char *priv = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
							   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

				if (i > 0 && priv != MAP_FAILED)
					area = priv;	/* worker 0 keeps the guard layout */
				worker(i, shared_fd, seed);
			}
			_exit(0);
		}
	}
	for (i = 0; i <= NWORKERS; i++) {
		if (waitpid(pids[i], &st, 0) != pids[i] || !WIFEXITED(st) || WEXITSTATUS(st))
			crashed++;
	}
	t0 = now_s() - t0;

	/* The module still works after all that. */
	sh("tc qdisc del dev fz0 root 2>/dev/null; ip link set fz0 mtu 1500 up");
	fd = open(PKTCRAFT_DEVICE, O_RDWR);
	base_req(&r, if_nametoindex("fz0"), 1);
	rc = fd >= 0 ? ioctl(fd, PKTCRAFT_IOC_SEND, &r) : -1;
	if (fd >= 0)
		close(fd);
	close(shared_fd);

	report(t0, seed);
	verdict(!crashed, "workers and the topology process exited normally", "%d did not", crashed);
	verdict(!shm->hung, "the ip batch helper finished (no netlink call stuck in the kernel)",
		"%llu did not", shm->hung);
	verdict(!shm->bad,
		"every result was success or a documented errno (ENOTTY for unknown ioctls, EBADF only on O_RDONLY fds)",
		"%llu bad, first: %s", shm->bad, shm->first_bad);
	verdict(rc == 1, "the module still sends after the fuzzing", "rc %d %s", rc,
		ename(errno));
	{
		char name[160];
		unsigned long long ops = 0;

		for (i = 0; i < NOPS; i++)
			ops += shm->op_issued[i];
		snprintf(name, sizeof(name), "%llu ioctls and %llu topology operations in %.0f s",
			 shm->ioctls, ops, t0);
		verdict(shm->ioctls > 0 && ops > 0, name, "none");
	}
	return failures ? 1 : 0;
}
