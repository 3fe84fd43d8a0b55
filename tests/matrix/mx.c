// SPDX-License-Identifier: GPL-2.0
/*
 * tests/matrix/mx: the in-guest half of the device matrix (tests/matrix/run
 * boots the guest and relays what this prints).
 *
 *   mx [--kinds K,K..] [--qdiscs Q,Q..] [--ns init,userns] [--phases P,P..]
 *      [--burst N] [--verbose 1|2]
 *
 * One table of device kinds (kinds[] below, the syzkaller way: each row the
 * `ip link add` arguments it needs, what link layer pktcraft must build for
 * it and how its transmissions are counted) is instantiated in a network
 * namespace, with a second "peer" namespace behind veth pairs (real UDP
 * sockets listening there, a WireGuard peer, the tunnels' remote ends).
 * Then, in that namespace, for every kind and every qdisc of --qdiscs:
 *
 *   BUILD        the frame's layout (link header from the device's own
 *                header_ops, padding, addresses), the CLI's --dry-run gives
 *                the same bytes, nothing sent; refused kinds: EOPNOTSUPP;
 *                bare (headerless) kinds: a MAC address is EINVAL
 *   single       one SEND: the capture on the device (AF_PACKET) and the
 *                tun/tap reader see exactly BUILD's bytes; pktcraft's sent
 *                = its GET_STATS = the device's counter = the qdisc's
 *   identical    a burst of N identical packets, the same judges (only the
 *                spec's fast path - init-namespace root on dummy/e1000 - may
 *                bypass the qdisc and the taps, and then for all N)
 *   varied       a burst of N with the source port counting up: every frame
 *                is BUILD's with that port and the UDP checksum recomputed
 *
 * then the memory phase (netem delay 100s: bounded by the qdisc's limit and
 * charged to the sender's memory cgroup; netem slot 1h, which keeps the
 * skbs charged to the sender: the burst blocks at the send buffer, SIGINT
 * ends it; the device deleted while blocked) and the device events phase
 * (set down / deleted / moved to the peer namespace in the middle of a 10 s
 * pacing gap: the burst, asleep once in the gap, is woken by the event and
 * ends with its partial count and -ENETDOWN / -ENODEV; how soon after the
 * kernel was done with the event is reported). All of it runs
 * once as root of the initial namespaces and once as root of a user+network
 * namespace that uid 65534 created (e1000's eth0 is moved into it).
 *
 * Every check prints one line, "PASS: matrix: <kind>/<qdisc>/<ns>: <what>"
 * or "FAIL: ...: <why>"; "INFO: matrix: ..." lines carry figures.
 * The ioctl numbers and structs come from module/uapi/linux/pktcraft.h.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/gen_stats.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include "../lib/ctest.h"
#include <sys/wait.h>
#include <linux/pktcraft.h>

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif
#ifndef IFLA_NET_NS_FD
#define IFLA_NET_NS_FD 28
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MS 1000000ULL

/* ------------------------------------------------------------ the table */

enum framing { ETHER, BARE, REFUSED };
enum ctr { C_TX, C_RX, C_PEER, C_TXDROP };

#define K_EXIST	0x01	/* exists (eth0, lo): never created, deleted or cloned */
#define K_TUN	0x02	/* made by mx with TUNSETIFF, IFF_TUN: read back */
#define K_TAP	0x04	/* same, IFF_TAP */
#define K_FAST	0x08	/* on the spec's fast-path allow-list (dummy, e1000) */
#define K_NOMOVE 0x10	/* NETIF_F_NETNS_LOCAL: the kernel refuses to move it */
#define K_LISTEN 0x20	/* a UDP socket in the peer namespace receives it */
#define K_WG	0x40	/* WireGuard: configured with wg(8), peer in the peer ns */
#define K_ONE	0x80	/* one instance only: no event twins */
#define K_E1000	0x100
#define K_NOPAD	0x2000	/* ARPHRD_LOOPBACK: Ethernet header, no 60-byte minimum
			 * (pktcraft pads ARPHRD_ETHER frames only, as drivers do)
			 */
#define K_INITSA 0x400	/* .setup needs CAP_NET_ADMIN in the initial namespace
			 * (macsec's genetlink is GENL_ADMIN_PERM): in a user
			 * namespace it is skipped, and without a TX SA macsec
			 * drops every frame (counted as tx_dropped) */
#define K_REWRITE 0x800	/* vrf: its output path writes the routed Ethernet
			 * header into the very skb its taps cloned (shared
			 * data), so the capture is compared from the IPv4
			 * header on */
#define K_CLI	0x1000	/* the CLI's --dry-run in the user namespace too (one kind per
			 * framing: each exec of the CLI costs seconds under KASAN) */
#define K_NO6	0x4000	/* does not carry IPv6 as configured here (ipip: IPv4 and
			 * MPLS only; wireguard: no IPv6 allowed-ips; vrf: no
			 * IPv6 route in its table): the IPv6 sends are skipped */
#define K_REALQ	0x200	/* a NIC's TX ring: noqueue does not apply (a full ring
			 * makes dev_queue_xmit() fail with -ENETDOWN, "Virtual
			 * device asks to queue packet!") */

#define GROUP 77	/* every device mx makes: deleted at once (one RCU barrier) */
#define DMAC "02:00:00:00:00:02"
#define SRC "10.200.1.1"
#define DST "10.99.0.2"
#define DPORT 7000
#define SPORT 5555
#define SRC6 "2001:db8:200::1"
#define DST6 "2001:db8:99::2"
#define PAYLOAD "MX!\n"
#define PAYLOAD_HEX "4d58210a"

/*
 * One row per device kind. Instance n (0 = the main one, 1 = the one deleted
 * mid-burst, 2 = the one moved mid-burst) is named after .name with its
 * second letter 'x' replaced by "xdm"[n]. In the ip(8) lines, {name} is the
 * instance's name, {n} its number and {P} the PID holding the peer
 * namespace. .infra runs once, .setup/.peer per instance (in this / the
 * peer namespace), .setup0/.peer0 for instance 0 only.
 */
struct kind {
	const char *label;
	const char *name;
	const char *add;	/* ip link add {name} <add> */
	const char *infra;
	const char *setup;
	const char *peer;
	const char *setup0;
	const char *peer0;
	enum framing frame;
	int hlen;		/* link header bytes before the IPv4 header */
	enum ctr ctr;		/* which counter counts its transmissions */
	unsigned flags;
	const char *src, *dst, *dmac;
	const char *refused_word;	/* REFUSED: the CLI's message names it */
	int vid;		/* hlen 18: the 802.1Q VID of instance 0 */
};

static const struct kind kinds[] = {
	{ .label = "dummy", .name = "mxdummy", .add = "type dummy",
	  .frame = ETHER, .hlen = 14, .flags = K_FAST | K_CLI },
	{ .label = "veth", .name = "mxveth",
	  .add = "address 02:00:00:00:01:{n}1 type veth peer name {name}p "
		 "address 02:00:00:00:01:{n}2 netns {P}",
	  .peer = "link set {name}p up",
	  .peer0 = "addr add 10.200.1.2/24 dev {name}p",
	  .frame = ETHER, .hlen = 14, .flags = K_LISTEN,
	  .dst = "10.200.1.2", .dmac = "02:00:00:00:01:02" },
	{ .label = "e1000", .name = "eth0", .frame = ETHER, .hlen = 14,
	  .flags = K_EXIST | K_FAST | K_ONE | K_E1000 | K_REALQ,
	  .dmac = "52:54:00:00:00:01" },
	{ .label = "loopback", .name = "lo", .frame = ETHER, .hlen = 14,
	  .flags = K_EXIST | K_ONE | K_NOMOVE | K_NOPAD },
	{ .label = "macvlan", .name = "mxmacvlan", .add = "link mxlmacvlan type macvlan",
	  .infra = "link add mxlmacvlan group 77 type dummy\nlink set mxlmacvlan up",
	  .frame = ETHER, .hlen = 14 },
	{ .label = "ipvlan", .name = "mxipvlan", .add = "link mxlipvlan type ipvlan mode l2",
	  .infra = "link add mxlipvlan group 77 type dummy\nlink set mxlipvlan up",
	  .frame = ETHER, .hlen = 14 },
	/* reorder_hdr on (the default): a plain Ethernet header, the tag is
	 * added on the way to the lower device */
	{ .label = "vlan", .name = "mxvlan", .add = "link mxlvlan type vlan id 10{n}",
	  .infra = "link add mxlvlan group 77 type dummy\nlink set mxlvlan up",
	  .frame = ETHER, .hlen = 14 },
	/* reorder_hdr off: the vlan's header_ops write the 802.1Q header */
	{ .label = "vlan-reorder-off", .name = "mxvlanro",
	  .add = "link mxlvlan type vlan id 20{n} reorder_hdr off",
	  .frame = ETHER, .hlen = 18, .vid = 200, .flags = K_CLI },
	{ .label = "bridge", .name = "mxbridge", .add = "type bridge stp_state 0",
	  .setup = "link add {name}l group 77 type dummy\nlink set {name}l master {name}\n"
		   "link set {name}l up",
	  .frame = ETHER, .hlen = 14, .flags = K_NOMOVE },
	{ .label = "bond", .name = "mxbond", .add = "type bond mode balance-rr",
	  .setup = "link add {name}l group 77 type dummy\nlink set {name}l master {name}",
	  .frame = ETHER, .hlen = 14, .flags = K_NOMOVE },
	{ .label = "macsec-protect-off", .name = "mxmsecoff",
	  .add = "link mxlmsecoff type macsec port 1{n} protect off",
	  .infra = "link add mxlmsecoff group 77 type dummy\nlink set mxlmsecoff up",
	  .frame = ETHER, .hlen = 14 },
	{ .label = "macsec", .name = "mxmacsec", .add = "link mxlmacsec type macsec port 1{n}",
	  .infra = "link add mxlmacsec group 77 type dummy\nlink set mxlmacsec up",
	  .setup = "macsec add {name} tx sa 0 pn 1 on key 01 000102030405060708090a0b0c0d0e0f",
	  .frame = ETHER, .hlen = 14, .flags = K_INITSA },
	{ .label = "vrf", .name = "mxvrf", .add = "type vrf table 10{n}",
	  .setup = "link add {name}l group 77 type dummy\nlink set {name}l master {name}\n"
		   "link set {name}l up\nroute add 10.99.0.0/16 dev {name}l table 10{n}",
	  .frame = ETHER, .hlen = 14, .flags = K_NOMOVE | K_REWRITE | K_NO6 },
	{ .label = "gre", .name = "mxgre",
	  .add = "type gre local 192.168.250.1 remote 192.168.250.1{n}",
	  .frame = BARE },
	{ .label = "gre-noremote", .name = "mxgrenr", .add = "type gre local 192.168.250.1",
	  .frame = REFUSED, .flags = K_ONE, .refused_word = "gre" },
	{ .label = "gretap", .name = "mxgretap",
	  .add = "type gretap local 192.168.250.1 remote 192.168.250.1{n}",
	  .frame = ETHER, .hlen = 14 },
	{ .label = "ip6gre", .name = "mxip6gre",
	  .add = "type ip6gre local fd00::1 remote fd00::1{n}",
	  .frame = BARE },
	{ .label = "ip6gre-noremote", .name = "mxip6grenr", .add = "type ip6gre local fd00::1",
	  .frame = REFUSED, .flags = K_ONE, .refused_word = "ip6gre" },
	{ .label = "ipip", .name = "mxipip",
	  .add = "type ipip local 192.168.250.1 remote 192.168.250.1{n}",
	  .frame = BARE, .flags = K_NO6 },
	{ .label = "sit", .name = "mxsit",
	  .add = "type sit mode any local 192.168.250.1 remote 192.168.250.1{n}",
	  .frame = BARE },
	{ .label = "vxlan", .name = "mxvxlan",
	  .add = "type vxlan id 4{n} local 192.168.250.1 remote 192.168.250.1{n} dstport 4789",
	  .frame = ETHER, .hlen = 14 },
	{ .label = "geneve", .name = "mxgeneve", .add = "type geneve id 4{n} remote 192.168.250.1{n}",
	  .frame = ETHER, .hlen = 14 },
	{ .label = "tun", .name = "mxtun", .frame = BARE, .flags = K_TUN | K_CLI },
	{ .label = "tap", .name = "mxtap", .frame = ETHER, .hlen = 14, .flags = K_TAP },
	{ .label = "wireguard", .name = "mxwg", .add = "type wireguard",
	  .setup0 = "addr add 10.201.1.1/24 dev {name}",
	  .frame = BARE, .ctr = C_PEER, .flags = K_WG | K_LISTEN | K_NO6,
	  .src = "10.201.1.1", .dst = "10.201.1.2" },
	{ .label = "ifb", .name = "mxifb", .add = "type ifb",
	  .frame = ETHER, .hlen = 14, .ctr = C_RX },
};
#define NKINDS ARRAY_SIZE(kinds)

/* The underlay: a veth pair into the peer namespace, 192.168.250.0/24 and
 * fd00::/64, the tunnels' remote ends .10-.12 / ::10-::12 behind it. */
static const char infra_this[] =
	"link add mxul0 group 77 address 02:00:00:00:fa:01 type veth peer name mxul1 "
	"address 02:00:00:00:fa:02 netns {P}\n";
static const char infra_this2[] =
	"link set mxul0 up\n"
	"addr add 192.168.250.1/24 dev mxul0\n"
	"addr add fd00::1/64 dev mxul0 nodad\n"
	"neigh replace 192.168.250.10 lladdr 02:00:00:00:fa:02 nud permanent dev mxul0\n"
	"neigh replace 192.168.250.11 lladdr 02:00:00:00:fa:02 nud permanent dev mxul0\n"
	"neigh replace 192.168.250.12 lladdr 02:00:00:00:fa:02 nud permanent dev mxul0\n"
	"neigh replace fd00::10 lladdr 02:00:00:00:fa:02 nud permanent dev mxul0\n"
	"neigh replace fd00::11 lladdr 02:00:00:00:fa:02 nud permanent dev mxul0\n"
	"neigh replace fd00::12 lladdr 02:00:00:00:fa:02 nud permanent dev mxul0\n";
static const char infra_peer[] =
	"link set lo up\n"
	"link set mxul1 up\n"
	"addr add 192.168.250.10/24 dev mxul1\n"
	"addr add fd00::10/64 dev mxul1 nodad\n"
	"neigh replace 192.168.250.1 lladdr 02:00:00:00:fa:01 nud permanent dev mxul1\n"
	"link add mxwgp type wireguard\n"
	"addr add 10.201.1.2/24 dev mxwgp\n"
	"link set mxwgp up\n";

/* WireGuard test keys (generated once for this test; not secret). */
#define WG_A_PRIV "KFD/NBU/vPV0z99yqkLokugnfexJrdi9BHvuGphmDUg="
#define WG_A_PUB "mvmParYFRoJOI5BKiDxVdYS8knhZoFTmbs8vObHU8Ro="
#define WG_B_PRIV "yAzsbo1+7cVbyckcLn/cfLNNDSp6AcovQe4eiZbw5lQ="
#define WG_B_PUB "xjOjm0mp/Oba/16cqPG5HWPJmErYclOAnlekqgZUFi0="

struct qdisc_def {
	const char *name;	/* in verdict lines */
	const char *tc;		/* tc qdisc replace dev X root <tc> */
};
static const struct qdisc_def qdiscs[] = {
	{ "noqueue", "noqueue" },
	{ "pfifo_fast", "pfifo_fast" },
	{ "fq_codel", "fq_codel" },
	{ "netem", "netem delay 1ms" },
};

/* ---------------------------------------------------------- run state */

struct inst {
	const struct kind *k;
	int n;
	char name[IFNAMSIZ];
	int ifindex;
	unsigned char mac[6], dmac[6];
	int tunfd;		/* K_TUN/K_TAP: the attached queue */
	int cap;		/* AF_PACKET socket bound to it (instance 0) */
	int bql;		/* K_REALQ: its tx-0 BQL inflight file (bql_inflight()) */
	int ok;			/* exists and is up */
	pid_t cli_pid;		/* its CLI --dry-run, running */
	int cli_fd;		/* the CLI's output */
	uint16_t build_id;	/* the IPv4 ID of op_build()'s frames */
};

struct ns {
	const char *label;	/* "init" or "userns" */
	int userns;
	int self_ns, peer_ns;	/* netns fds */
	pid_t holder;		/* holds the peer namespace */
	int nl, peer_nl;	/* rtnetlink sockets in each */
	int mon;		/* RTNLGRP_LINK listener in this namespace */
	int listen_veth, listen_wg;	/* UDP sockets in the peer namespace */
	int wgp_tap;		/* AF_PACKET on mxwgp, in the peer namespace */
	long long wg_delivered;	/* packets it saw mxwgp deliver so far */
	int wgp_ifindex;	/* mxwgp, in the peer namespace */
	/* The peer's rx counters at the last read, and data packets so far. */
	struct inst inst[NKINDS][3];
	const char *qdisc;	/* the current phase's, for labels */
};

static struct {
	unsigned kinds_mask[2];	/* bit per kind; default all */
	int qmask;
	int do_init, do_userns;
	int do_ops, do_memory, do_events;
	unsigned burst;
	const char *cli;
	char tmp[64];
} opt;

static int passed, failed;
static int wedged;	/* a device event never finished: stop using rtnetlink */
static uint16_t next_id = 1000;

/* --------------------------------------------------------------- utils */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* What a SEND/BUILD returned: "-EINVAL", or "3 packets". */
static const char *rcs(int rc)
{
	static char buf[4][32];
	static int i;

	if (rc < 0)
		return ename(rc);
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%d packet%s", rc, rc == 1 ? "" : "s");
	return buf[i];
}

static int write_file(const char *path, const char *s)
{
	int f = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	/* Our own files (keys) are created; proc/sys/cgroup files never. */
	if (f < 0 && errno == ENOENT && !strncmp(path, "/tmp/", 5))
		f = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (f < 0)
		return -1;
	n = write(f, s, strlen(s));
	close(f);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static long read_long(const char *path, long dflt)
{
	char buf[64];
	int f = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (f < 0)
		return dflt;
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	if (n <= 0)
		return dflt;
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

static void parse_mac(const char *s, unsigned char *m)
{
	unsigned v[6] = { 0 };

	sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]);
	for (int i = 0; i < 6; i++)
		m[i] = v[i];
}

static const char *mac_str(const unsigned char *m)
{
	static char buf[4][18];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf[i];
}

/* Appends printf output to a bounded string. */
static void sappend(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void sappend(char *buf, size_t len, const char *fmt, ...)
{
	size_t l = strlen(buf);
	va_list ap;

	if (l + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + l, len - l, fmt, ap);
	va_end(ap);
}

/*
 * A verdict: what the check is (also on PASS), and why it failed. Every
 * need() that does not hold adds its reason.
 */
struct chk {
	char why[1536];
	int bad;
};

static void need(struct chk *c, int cond, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void need(struct chk *c, int cond, const char *fmt, ...)
{
	va_list ap;
	size_t l;

	if (cond)
		return;
	c->bad = 1;
	l = strlen(c->why);
	if (l && l + 3 < sizeof(c->why))
		strcat(c->why, "; ");
	l = strlen(c->why);
	va_start(ap, fmt);
	vsnprintf(c->why + l, sizeof(c->why) - l, fmt, ap);
	va_end(ap);
}

static void report(const struct chk *c, const char *who, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void report(const struct chk *c, const char *who, const char *fmt, ...)
{
	va_list ap;

	printf("%s: matrix: %s: ", c->bad ? "FAIL" : "PASS", who);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (c->bad)
		printf(": %s", c->why);
	printf("\n");
	fflush(stdout);
	if (c->bad)
		failed++;
	else
		passed++;
}

static void info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void info(const char *fmt, ...)
{
	va_list ap;

	printf("INFO: matrix: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* "<kind>/<qdisc>/<ns>" */
static const char *who(const struct ns *ns, const struct inst *d, const char *q)
{
	static char buf[4][96];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s/%s", d->k->label, q ? q : ns->qdisc, ns->label);
	return buf[i];
}

/*
 * Runs argv (optionally in network namespace @nsfd, with @input on stdin),
 * stdout+stderr into @out. Returns the exit status, 128+N for a signal.
 */
static int run(int nsfd, const char *input, char *out, size_t outlen, char *const argv[])
{
	int in[2], o[2], st;
	pid_t pid;
	size_t got = 0;

	if (pipe2(in, O_CLOEXEC) || pipe2(o, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		sigset_t all;

		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		if (nsfd >= 0 && setns(nsfd, CLONE_NEWNET)) {
			perror("setns");
			_exit(126);
		}
		dup2(in[0], 0);
		dup2(o[1], 1);
		dup2(o[1], 2);
		execvp(argv[0], argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(o[1]);
	if (input) {
		size_t l = strlen(input), w = 0;

		while (w < l) {
			ssize_t n = write(in[1], input + w, l - w);

			if (n <= 0)
				break;
			w += n;
		}
	}
	close(in[1]);
	for (;;) {
		char tmp[4096];
		ssize_t n = read(o[0], tmp, sizeof(tmp));

		if (n <= 0)
			break;
		if (out && got + 1 < outlen) {
			size_t c = (size_t)n < outlen - 1 - got ? (size_t)n : outlen - 1 - got;

			memcpy(out + got, tmp, c);
			got += c;
		}
	}
	if (out && outlen)
		out[got] = 0;
	close(o[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ip -force -batch - with @text in @nsfd; the error lines into @err. */
static int verbose;	/* --verbose 1: show every batch and its output */

static int ip_batch(int nsfd, const char *text, char *err, size_t errlen)
{
	char *const argv[] = { "ip", "-force", "-batch", "-", NULL };
	int rc = run(nsfd, text, err, errlen, argv);

	if (verbose)
		printf("--- ip -batch (netns %d) -> %d\n%s--- output:\n%s\n", nsfd, rc, text, err);
	return rc;
}

static int tc_batch(int nsfd, const char *text, char *err, size_t errlen)
{
	char *const argv[] = { "tc", "-force", "-batch", "-", NULL };

	return run(nsfd, text, err, errlen, argv);
}

/* Expands {name}, {n} and {P} of a kind's ip(8) lines into @out. */
static void expand(char *out, size_t len, const char *tmpl, const char *name, int n, pid_t peer)
{
	size_t o = strlen(out);

	for (const char *p = tmpl; p && *p && o + 32 < len; p++) {
		if (!strncmp(p, "{name}", 6)) {
			o += snprintf(out + o, len - o, "%s", name);
			p += 5;
		} else if (!strncmp(p, "{n}", 3)) {
			o += snprintf(out + o, len - o, "%d", n);
			p += 2;
		} else if (!strncmp(p, "{P}", 3)) {
			o += snprintf(out + o, len - o, "%d", (int)peer);
			p += 2;
		} else {
			out[o++] = *p;
			out[o] = 0;
		}
	}
	if (o && out[o - 1] != '\n' && o + 1 < len) {
		out[o++] = '\n';
		out[o] = 0;
	}
}

/* Runs @fn in network namespace @nsfd on this thread, then comes back. */
static int in_netns(int nsfd, int selffd, int (*fn)(void *), void *arg)
{
	int rc;

	if (setns(nsfd, CLONE_NEWNET))
		return -errno;
	rc = fn(arg);
	if (setns(selffd, CLONE_NEWNET)) {
		perror("setns back");
		exit(2);
	}
	return rc;
}

/* ------------------------------------------------------------ netlink */

static int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int nl_open_cb(void *arg)
{
	*(int *)arg = nl_open();
	return 0;
}

struct nlbuf {
	struct nlmsghdr n;
	char body[1024];
};

static void addattr(struct nlmsghdr *n, int type, const void *data, int len)
{
	struct rtattr *rta = (struct rtattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

typedef void (*nl_cb)(struct nlmsghdr *, void *);

/* Sends @n, feeds every answer to @cb; 0, or -errno from the kernel. */
static int nl_call(int fd, struct nlmsghdr *n, nl_cb cb, void *arg)
{
	static unsigned seq;
	static char buf[65536];
	int dump = n->nlmsg_flags & NLM_F_DUMP;

	n->nlmsg_seq = ++seq;
	n->nlmsg_flags |= NLM_F_REQUEST | (dump ? 0 : NLM_F_ACK);
	if (send(fd, n, n->nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != n->nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error;
			}
			if (cb)
				cb(h, arg);
		}
	}
}

struct linkinfo {
	int found;
	int ifindex;
	unsigned flags;
	unsigned char mac[32];
	int maclen;
	struct rtnl_link_stats64 st;
};

static void link_cb(struct nlmsghdr *h, void *arg)
{
	struct linkinfo *li = arg;
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	int len = h->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi));
	struct rtattr *rta;

	if (h->nlmsg_type != RTM_NEWLINK)
		return;
	li->found = 1;
	li->ifindex = ifi->ifi_index;
	li->flags = ifi->ifi_flags;
	for (rta = IFLA_RTA(ifi); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == IFLA_ADDRESS && RTA_PAYLOAD(rta) <= sizeof(li->mac)) {
			li->maclen = RTA_PAYLOAD(rta);
			memcpy(li->mac, RTA_DATA(rta), li->maclen);
		} else if (rta->rta_type == IFLA_STATS64 && RTA_PAYLOAD(rta) >= sizeof(li->st)) {
			memcpy(&li->st, RTA_DATA(rta), sizeof(li->st));
		}
	}
}

/* The device by index (or by name when @ifindex is 0). */
static int link_get(int nl, int ifindex, const char *name, struct linkinfo *li)
{
	struct nlbuf r = { 0 };
	struct ifinfomsg *ifi = NLMSG_DATA(&r.n);

	memset(li, 0, sizeof(*li));
	r.n.nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	r.n.nlmsg_type = RTM_GETLINK;
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (!ifindex && name)
		addattr(&r.n, IFLA_IFNAME, name, strlen(name) + 1);
	return nl_call(nl, &r.n, link_cb, li);
}

static int link_newlink(int nl, int ifindex, unsigned change, unsigned flags, int nsfd, pid_t nspid)
{
	struct nlbuf r = { 0 };
	struct ifinfomsg *ifi = NLMSG_DATA(&r.n);

	r.n.nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	r.n.nlmsg_type = RTM_NEWLINK;
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_change = change;
	ifi->ifi_flags = flags;
	if (nsfd >= 0) {
		uint32_t v = nsfd;

		addattr(&r.n, IFLA_NET_NS_FD, &v, sizeof(v));
	}
	if (nspid > 0) {
		uint32_t v = nspid;

		addattr(&r.n, IFLA_NET_NS_PID, &v, sizeof(v));
	}
	return nl_call(nl, &r.n, NULL, NULL);
}

static int link_set_up(int nl, int ifindex, int up)
{
	return link_newlink(nl, ifindex, IFF_UP, up ? IFF_UP : 0, -1, 0);
}

static int link_del(int nl, int ifindex)
{
	struct nlbuf r = { 0 };
	struct ifinfomsg *ifi = NLMSG_DATA(&r.n);

	r.n.nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	r.n.nlmsg_type = RTM_DELLINK;
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nl_call(nl, &r.n, NULL, NULL);
}

struct qstats {
	int found;
	char kind[32];
	uint64_t bytes;
	uint32_t packets, qlen, backlog, drops;
	int ifindex;
};

static void qdisc_cb(struct nlmsghdr *h, void *arg)
{
	struct qstats *q = arg;
	struct tcmsg *t = NLMSG_DATA(h);
	int len = h->nlmsg_len - NLMSG_LENGTH(sizeof(*t));
	struct rtattr *rta;

	if (h->nlmsg_type != RTM_NEWQDISC || t->tcm_ifindex != q->ifindex ||
	    t->tcm_parent != TC_H_ROOT)
		return;
	q->found = 1;
	for (rta = (struct rtattr *)((char *)t + NLMSG_ALIGN(sizeof(*t))); RTA_OK(rta, len);
	     rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == TCA_KIND) {
			snprintf(q->kind, sizeof(q->kind), "%s", (char *)RTA_DATA(rta));
		} else if (rta->rta_type == TCA_STATS2) {
			int l2 = RTA_PAYLOAD(rta);
			struct rtattr *s;

			for (s = RTA_DATA(rta); RTA_OK(s, l2); s = RTA_NEXT(s, l2)) {
				if (s->rta_type == TCA_STATS_BASIC &&
				    RTA_PAYLOAD(s) >= sizeof(struct gnet_stats_basic)) {
					struct gnet_stats_basic b;

					memcpy(&b, RTA_DATA(s), sizeof(b));
					q->bytes = b.bytes;
					q->packets = b.packets;
				} else if (s->rta_type == TCA_STATS_QUEUE &&
					   RTA_PAYLOAD(s) >= sizeof(struct gnet_stats_queue)) {
					struct gnet_stats_queue sq;

					memcpy(&sq, RTA_DATA(s), sizeof(sq));
					q->qlen = sq.qlen;
					q->backlog = sq.backlog;
					q->drops = sq.drops;
				}
			}
		}
	}
}

/* The root qdisc of @ifindex and its counters (as tc -s qdisc shows them). */
static int qdisc_get(int nl, int ifindex, struct qstats *q)
{
	struct nlbuf r = { 0 };
	struct tcmsg *t = NLMSG_DATA(&r.n);

	memset(q, 0, sizeof(*q));
	q->ifindex = ifindex;
	r.n.nlmsg_len = NLMSG_LENGTH(sizeof(*t));
	r.n.nlmsg_type = RTM_GETQDISC;
	r.n.nlmsg_flags = NLM_F_DUMP;
	t->tcm_family = AF_UNSPEC;
	t->tcm_ifindex = ifindex;
	return nl_call(nl, &r.n, qdisc_cb, q);
}

static const char *qdisc_kind(struct ns *ns, const struct inst *d)
{
	static char buf[4][32];
	static int i;
	struct qstats q;

	i = (i + 1) % 4;
	if (qdisc_get(ns->nl, d->ifindex, &q) || !q.found)
		snprintf(buf[i], sizeof(buf[i]), "noqueue");
	else
		snprintf(buf[i], sizeof(buf[i]), "%s", q.kind);
	return buf[i];
}

/* ------------------------------------------------- counters and frames */

static enum ctr ctr_of(const struct ns *ns, const struct inst *d)
{
	if ((d->k->flags & K_INITSA) && ns->userns)
		return C_TXDROP;
	return d->k->ctr;
}

/* The device's tx_bytes as ctr_read() last read them with its tx_packets
 * (C_TX), for a FAIL line. */
static unsigned long long ctr_bytes;

/* The counter that counts @d's transmissions (see enum ctr), or -1. */
static long long ctr_read(struct ns *ns, const struct inst *d)
{
	struct linkinfo li;
	enum ctr c = ctr_of(ns, d);

	if (c == C_PEER && d->n == 0) {
		/*
		 * The peer's rx counters count keepalives and handshake
		 * messages too, which their sizes cannot always tell apart
		 * (3 responses leave the bytes modulo 32 of 1 initiation: a
		 * rekey once read 32 packets as 30). What mxwgp delivers to
		 * the peer's stack is only data: count it with a tap there.
		 */
		struct sockaddr_ll sll;
		socklen_t sl = sizeof(sll);
		char buf[2048];

		if (ns->wgp_tap < 0)
			return -1;
		while (recvfrom(ns->wgp_tap, buf, sizeof(buf), 0, (struct sockaddr *)&sll, &sl) >= 0) {
			if (sll.sll_pkttype != PACKET_OUTGOING)
				ns->wg_delivered++;
			sl = sizeof(sll);
		}
		return ns->wg_delivered;
	}
	if (link_get(ns->nl, d->ifindex, NULL, &li) || !li.found)
		return -1;
	switch (c) {
	case C_RX:
		return li.st.rx_packets;
	case C_TXDROP:
		return li.st.tx_dropped;
	default:
		ctr_bytes = li.st.tx_bytes;
		return li.st.tx_packets;
	}
}

/* The wireguard peer's raw rx counters (for FAIL lines). */
static void peer_raw(struct ns *ns, unsigned long long *pk, unsigned long long *by)
{
	struct linkinfo li;

	*pk = *by = 0;
	if (!link_get(ns->peer_nl, ns->wgp_ifindex, NULL, &li) && li.found) {
		*pk = li.st.rx_packets;
		*by = li.st.rx_bytes;
	}
}

static const char *ctr_name(const struct ns *ns, const struct inst *d)
{
	switch (ctr_of(ns, d)) {
	case C_RX:
		return "device rx (ifb counts what it is given as rx)";
	case C_PEER:
		return "packets the peer delivered (a tap on mxwgp; wireguard counts no tx)";
	case C_TXDROP:
		return "device tx_dropped (no TX SA: macsec's genetlink needs CAP_NET_ADMIN in the "
		       "initial namespace)";
	default:
		return "device tx";
	}
}

/* Polls until the counter reached base + want (or @ms passed). */
static long long ctr_wait(struct ns *ns, const struct inst *d, long long base, long long want,
			  unsigned ms)
{
	uint64_t end = now_ns() + ms * MS;
	long long v;

	for (;;) {
		v = ctr_read(ns, d);
		if (v < 0 || v - base >= want)
			return v;
		if (now_ns() > end) {
			if (verbose)
				printf("  ctr_wait %s: timeout: +%lld, want %lld\n", d->name, v - base, want);
			return v;
		}
		sleep_ms(2);
	}
}

/* Polls until the root qdisc is empty and has passed or dropped @want. */
static void qdisc_wait(struct ns *ns, const struct inst *d, const struct qstats *base,
		       unsigned want, struct qstats *q, unsigned ms)
{
	uint64_t end = now_ns() + ms * MS;

	for (;;) {
		if (qdisc_get(ns->nl, d->ifindex, q) || !q->found)
			return;
		if ((q->packets - base->packets) + (q->drops - base->drops) >= want && !q->qlen)
			return;
		if (now_ns() > end) {
			if (verbose)
				printf("  qdisc_wait %s: timeout: packets +%u drops +%u qlen %u, want %u\n",
				       d->name, q->packets - base->packets, q->drops - base->drops,
				       q->qlen, want);
			return;
		}
		sleep_ms(2);
	}
}

#define MAXF 2048
struct frame {
	int len;
	unsigned char b[MAXF];
};

/*
 * The ID of a frame as @d frames it: the IPv4 ID, or for IPv6 the low 16
 * bits of the flow label (mkreq6() puts it there); -1 if it is not ours.
 */
static int frame_id(const struct inst *d, const unsigned char *b, int len)
{
	int h = d->k->hlen;

	if (len >= h + 48 && (b[h] >> 4) == 6 && b[h + 6] == IPPROTO_UDP)
		return b[h + 2] << 8 | b[h + 3];
	if (len < h + 28 || (b[h] >> 4) != 4 || b[h + 9] != IPPROTO_UDP)
		return -1;
	return b[h + 4] << 8 | b[h + 5];
}

/* The outgoing frames a drain_noted() took last, for a FAIL line: how
 * many, and the latest's first 64 bytes (a frame handed to a NIC before a
 * count was read may complete, and be counted, after it). */
static int drained_out;
static char drained_last[2 * 64 + 1];

static const char *hex(const unsigned char *b, int len);

/* Empties @fd's queue; with @note (@fd a packet socket), notes the
 * outgoing frames it takes in drained_out and drained_last. */
static void drain_sock(int fd, int note)
{
	unsigned char buf[MAXF];
	struct sockaddr_ll sll;
	socklen_t sl = sizeof(sll);
	ssize_t n;

	if (note) {
		drained_out = 0;
		snprintf(drained_last, sizeof(drained_last), "none");
	}
	if (fd < 0)
		return;
	while ((n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, note ? (struct sockaddr *)&sll : NULL,
			     note ? &sl : NULL)) >= 0 || errno == EINTR) {
		if (note && n >= 0 && sll.sll_pkttype == PACKET_OUTGOING) {
			drained_out++;
			snprintf(drained_last, sizeof(drained_last), "%s", hex(buf, n < 64 ? n : 64));
		}
		sl = sizeof(sll);
	}
}

static void drain(int fd)
{
	drain_sock(fd, 0);
}

static void drain_noted(int fd)
{
	drain_sock(fd, 1);
}

/*
 * A NIC counts tx when a frame's transmission completes (e1000:
 * e1000_clean_tx_irq(), from its NAPI poll), not when it is handed over. A
 * frame handed over before an exact count starts and completed after it
 * (its vCPU late on a busy host) is counted in it, through a path the count
 * cannot see if it skipped the qdisc and the taps (the driver injection
 * point, the shared skb's fast path). So a count starts, and ends, once BQL
 * shows no byte in flight and the counter has stood still for 5 ms:
 * e1000 takes a frame off BQL (netdev_completed_queue()) a little before it
 * adds it to tx_packets, so 0 in flight alone does not make the count final.
 * This narrows the window to a vCPU stopped for over 5 ms between the two;
 * it does not close it. The file is opened at first use, in the instance's
 * namespace, and kept.
 */
static long bql_inflight(struct inst *d)
{
	char path[128], buf[32];
	ssize_t n;

	if (!(d->k->flags & K_REALQ))
		return -1;
	if (d->bql < 0) {
		snprintf(path, sizeof(path), "/sys/class/net/%s/queues/tx-0/byte_queue_limits/inflight",
			 d->name);
		d->bql = open(path, O_RDONLY | O_CLOEXEC);
		if (d->bql < 0) {
			info("%s: %s: %s: counts start without waiting for its TX ring", d->name, path,
			     strerror(errno));
			return -1;
		}
	}
	n = pread(d->bql, buf, sizeof(buf) - 1, 0);
	if (n <= 0) {
		close(d->bql);
		d->bql = -1;
		return -1;
	}
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

/*
 * Until @d's TX ring is idle (above), at most @ms; returns the bytes in
 * flight it found first. Says so when it found any, or gave up.
 */
static long bql_settle(struct ns *ns, struct inst *d, const char *when, unsigned ms)
{
	uint64_t t = now_ns(), end = t + ms * MS;
	long first = bql_inflight(d), v = first;
	long long c, c0 = -2;

	if (first < 0)
		return first;
	for (;;) {
		c = ctr_read(ns, d);
		if (v == 0 && c == c0)
			break;
		if (now_ns() > end) {
			info("%s: %s: the TX ring not idle after %u ms (%ld bytes in flight)",
			     who(ns, d, NULL), when, ms, v);
			return first;
		}
		c0 = v == 0 ? c : -2;
		sleep_ms(v == 0 ? 5 : 1);
		v = bql_inflight(d);
	}
	if (first > 0)
		info("%s: %s: %ld bytes were in flight; waited %.1f ms", who(ns, d, NULL), when, first,
		     (now_ns() - t) / 1e6);
	return first;
}

static void drain_tun(int fd)
{
	char buf[MAXF];

	if (fd < 0)
		return;
	while (read(fd, buf, sizeof(buf)) >= 0 || errno == EINTR)
		;
}

/*
 * Frames with IPv4 ID @id from an AF_PACKET socket (outgoing only) or a
 * tun/tap queue (@tun): until @want arrived and nothing more came for a
 * few ms, or @ms passed. Returns how many (at most @max kept in @fr).
 */
/*
 * Our frames (id) from a tap or tun fd, into fr; *foreign (if given) counts
 * the other outgoing frames the tap saw meanwhile (the host's own traffic).
 */
/* The latest frame collect_all() counted as foreign, for the report: its
 * headers and what an ICMP error quotes (the packet that caused it). */
static char foreign_last[2 * 64 + 1];

static int collect_all(int fd, int tun, const struct inst *d, int id, struct frame *fr, int max,
		       int want, unsigned ms, int *foreign)
{
	uint64_t end = now_ns() + ms * MS;
	int got = 0;

	if (fd < 0)
		return 0;
	for (;;) {
		unsigned char buf[MAXF];
		struct sockaddr_ll sll;
		socklen_t sl = sizeof(sll);
		ssize_t n;
		struct pollfd p = { fd, POLLIN, 0 };
		int wait_ms;

		if (tun)
			n = read(fd, buf, sizeof(buf));
		else
			n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&sll, &sl);
		if (n >= 0) {
			if (verbose > 1)
				printf("  %s %s type %d: %s\n", d->name, tun ? "read" : "captured",
				       tun ? -1 : sll.sll_pkttype, hex(buf, n));
			if (!tun && sll.sll_pkttype != PACKET_OUTGOING)
				continue;
			if (frame_id(d, buf, n) != id) {
				if (foreign && !tun) {
					++*foreign;
					snprintf(foreign_last, sizeof(foreign_last), "%s",
						 hex(buf, n < 64 ? n : 64));
				}
				continue;
			}
			if (got < max) {
				fr[got].len = n;
				memcpy(fr[got].b, buf, n);
			}
			got++;
			continue;
		}
		if (errno == EINTR)
			continue;
		/* Nothing queued: wait for more, briefly once all came. */
		if (now_ns() > end)
			return got;
		wait_ms = got >= want ? 5 : 10;
		if (!poll(&p, 1, wait_ms) && got >= want)
			return got;
	}
}

static int collect(int fd, int tun, const struct inst *d, int id, struct frame *fr, int max,
		   int want, unsigned ms)
{
	return collect_all(fd, tun, d, id, fr, max, want, ms, NULL);
}

/* UDP datagrams waiting on a listener (all carry PAYLOAD). */
static int listen_count(int fd, int want, unsigned ms)
{
	uint64_t end = now_ns() + ms * MS;
	int got = 0;

	for (;;) {
		char buf[MAXF];
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		struct pollfd p = { fd, POLLIN, 0 };

		if (n >= 0) {
			if (n == 4 && !memcmp(buf, PAYLOAD, 4))
				got++;
			continue;
		}
		if (now_ns() > end)
			return got;
		if (!poll(&p, 1, got >= want ? 5 : 10) && got >= want)
			return got;
	}
}

/* IPv4 header length, or 40 for IPv6 (no extension headers here). */
static int ip_hlen(const unsigned char *ip)
{
	return (ip[0] >> 4) == 6 ? 40 : (ip[0] & 15) * 4;
}

/*
 * The UDP checksum of the datagram in @ip as RFC 768 (IPv4) or RFC 8200
 * (IPv6: the 40-byte pseudo-header) wants it sent.
 */
static uint16_t udp_csum(const unsigned char *ip, int avail)
{
	int v6 = (ip[0] >> 4) == 6, ihl = ip_hlen(ip);
	const unsigned char *u = ip + ihl;
	int ulen = u[4] << 8 | u[5];
	uint32_t s = 0;
	unsigned char tmp[MAXF];
	uint16_t c;

	if (ulen < 8 || ihl + ulen > avail)
		return 0xdead;
	s = ct_sum16(ip + (v6 ? 8 : 12), v6 ? 32 : 8, s);
	s += IPPROTO_UDP + ulen;
	memcpy(tmp, u, ulen);
	tmp[6] = tmp[7] = 0;
	s = ct_sum16(tmp, ulen, s);
	c = ~s;
	return c ? c : 0xffff;
}

/* @f with the source port @sport and its UDP checksum recomputed. */
static void patch_sport(const struct inst *d, unsigned char *f, int len, uint16_t sport)
{
	int h = d->k->hlen, ihl = ip_hlen(f + h);
	unsigned char *u = f + h + ihl;
	uint16_t c;

	u[0] = sport >> 8;
	u[1] = sport;
	c = udp_csum(f + h, len - h);
	u[6] = c >> 8;
	u[7] = c;
}

static int first_diff(const unsigned char *a, const unsigned char *b, int len)
{
	for (int i = 0; i < len; i++)
		if (a[i] != b[i])
			return i;
	return -1;
}

/* The first 64 bytes as hex, for FAIL lines. */
static const char *hex(const unsigned char *b, int len)
{
	static char buf[4][132];
	static int i;
	int n = len < 64 ? len : 64;

	i = (i + 1) % 4;
	buf[i][0] = 0;
	for (int j = 0; j < n; j++)
		sprintf(buf[i] + 2 * j, "%02x", b[j]);
	if (len > 64)
		strcat(buf[i], "..");
	return buf[i];
}

/* --------------------------------------------------------- requests */

static void mkreq(struct pktcraft_req *r, const struct inst *d, uint16_t id, unsigned count)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->ifindex = d->ifindex;
	if (d->k->frame == ETHER)
		memcpy(r->dst_mac, d->dmac, 6);
	r->ip_ttl = 64;
	r->ip_id = id;
	inet_pton(AF_INET, d->k->src ? d->k->src : SRC, &r->ip_saddr);
	inet_pton(AF_INET, d->k->dst ? d->k->dst : DST, &r->ip_daddr);
	r->sport = SPORT;
	r->dport = DPORT;
	r->l4 = PKTCRAFT_L4_UDP;
	r->payload = (uintptr_t)PAYLOAD;
	r->payload_len = 4;
	r->count = count;
}

/* The same datagram over IPv6; the ID goes into the flow label. */
static void mkreq6(struct pktcraft_req *r, const struct inst *d, uint16_t id, unsigned count)
{
	mkreq(r, d, 0, count);
	r->ip_saddr = 0;
	r->ip_daddr = 0;
	r->family = AF_INET6;
	r->ip6_flowlabel = id;
	inet_pton(AF_INET6, SRC6, r->ip6_saddr);
	inet_pton(AF_INET6, DST6, r->ip6_daddr);
}

static void vary_sport(struct pktcraft_req *r, unsigned n)
{
	r->vary[PKTCRAFT_VARY_SPORT].mode = PKTCRAFT_VARY_INC;
	r->vary[PKTCRAFT_VARY_SPORT].step = 1;
	r->vary[PKTCRAFT_VARY_SPORT].min = SPORT;
	r->vary[PKTCRAFT_VARY_SPORT].max = SPORT + n - 1;
}

/* BUILD: 0 and the frame, or -errno. */
static int do_build(int fd, const struct pktcraft_req *req, struct frame *f)
{
	struct pktcraft_req r = *req;
	struct pktcraft_build b;

	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.req = (uintptr_t)&r;
	b.buf = (uintptr_t)f->b;
	b.buf_len = sizeof(f->b);
	f->len = 0;
	if (ioctl(fd, PKTCRAFT_IOC_BUILD, &b))
		return -errno;
	f->len = b.frame_len;
	return 0;
}

/* SEND: what the ioctl returned (packets), or -errno. */
static int do_send(int fd, struct pktcraft_req *r)
{
	int rc = ioctl(fd, PKTCRAFT_IOC_SEND, r);

	return rc < 0 ? -errno : rc;
}

static long long file_packets(int fd)
{
	struct pktcraft_stats st;

	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	if (ioctl(fd, PKTCRAFT_IOC_GET_STATS, &st))
		return -1;
	return st.file.packets;
}

/* This file's tracked drops by reason (GET_STATS version 1). */
struct drops {
	int err;			/* errno of GET_STATS, or 0 */
	unsigned int n;
	struct pktcraft_drop_count dc[256];
};

static void drops_get(int fd, struct drops *d)
{
	struct pktcraft_stats st;

	memset(d, 0, sizeof(*d));
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	st.flags = PKTCRAFT_STATS_F_DROPS;
	st.drops = (uintptr_t)d->dc;
	st.nr_drops = 256;
	st.drop_size = sizeof(d->dc[0]);
	if (ioctl(fd, PKTCRAFT_IOC_GET_STATS, &st))
		d->err = errno;
	else if (st.size != PKTCRAFT_STATS_SIZE_VER1)
		d->err = EPROTO;
	d->n = st.nr_drops < 256 ? st.nr_drops : 256;
}

/* The file's count under @name ("" for all of them together). */
static unsigned long long drops_file(const struct drops *d, const char *name)
{
	unsigned long long n = 0;

	for (unsigned int i = 0; i < d->n; i++)
		if (!*name || !strncmp((const char *)d->dc[i].name, name, sizeof(d->dc[i].name)))
			n += d->dc[i].file;
	return n;
}

static int drops_module_shown(const struct drops *d)
{
	for (unsigned int i = 0; i < d->n; i++)
		if (d->dc[i].module)
			return 1;
	return 0;
}

/* ------------------------------------------------------ the operations */

static int g_fd = -1;	/* this namespace's /dev/pktcraft, O_RDWR */
static struct frame frames[256], tunframes[256];

/* The link header and IPv4/UDP layout @f must have for @d and @r. */
static void judge_layout(struct chk *c, const struct inst *d, const struct pktcraft_req *r,
			 const struct frame *f)
{
	int h = d->k->hlen, iplen = 20 + 8 + 4;
	int want = d->k->frame != ETHER ? iplen :
		   d->k->flags & K_NOPAD || h + iplen >= 60 ? h + iplen : 60;
	const unsigned char *ip = f->b + h;

	need(c, f->len == want, "frame %d bytes, want %d (%s)", f->len, want, hex(f->b, f->len));
	if (f->len < h + iplen)
		return;
	if (d->k->frame == ETHER) {
		need(c, !memcmp(f->b, d->dmac, 6), "destination MAC %s, want %s", mac_str(f->b),
		     mac_str(d->dmac));
		need(c, !memcmp(f->b + 6, d->mac, 6), "source MAC %s, want the device's %s",
		     mac_str(f->b + 6), mac_str(d->mac));
		if (h == 18) {
			need(c, f->b[12] == 0x81 && f->b[13] == 0 && ((f->b[14] << 8 | f->b[15]) & 0xfff) ==
				 d->k->vid + d->n && f->b[16] == 8 && f->b[17] == 0,
			     "802.1Q header %02x%02x %02x%02x %02x%02x, want 8100 VID %d 0800",
			     f->b[12], f->b[13], f->b[14], f->b[15], f->b[16], f->b[17], d->k->vid + d->n);
		} else {
			need(c, f->b[12] == 8 && f->b[13] == 0, "ethertype %02x%02x, want 0800",
			     f->b[12], f->b[13]);
		}
	}
	need(c, ip[0] == 0x45 && (ip[2] << 8 | ip[3]) == iplen && ip[8] == 64 && ip[9] == 17 &&
		     (ip[4] << 8 | ip[5]) == r->ip_id && !memcmp(ip + 12, &r->ip_saddr, 4) &&
		     !memcmp(ip + 16, &r->ip_daddr, 4),
	     "IPv4 header %02x.. len %d ttl %d proto %d id %d", ip[0], ip[2] << 8 | ip[3], ip[8],
	     ip[9], ip[4] << 8 | ip[5]);
	need(c, ct_sum16(ip, 20, 0) == 0xffff, "IPv4 header checksum wrong");
	need(c, (ip[20] << 8 | ip[21]) == r->sport && (ip[22] << 8 | ip[23]) == r->dport &&
		     (ip[24] << 8 | ip[25]) == 12 && !memcmp(ip + 28, PAYLOAD, 4),
	     "UDP header/payload wrong");
	need(c, (ip[26] << 8 | ip[27]) == udp_csum(ip, f->len - h), "UDP checksum %04x, want %04x",
	     ip[26] << 8 | ip[27], udp_csum(ip, f->len - h));
	for (int i = h + iplen; i < f->len; i++)
		if (f->b[i]) {
			need(c, 0, "padding byte at %d is %02x, not 0", i, f->b[i]);
			break;
		}
}

/*
 * The CLI's dry run for @d (pktcraft send --dry-run --write FILE), started
 * for every device at once: each exec of the CLI costs about a second under
 * TCG (dynamic linking), so they overlap.
 */
static void cli_dry_start(struct ns *ns, struct inst *d)
{
	char pcap[128], idb[16], mac[18];
	const char *argv[40];
	int a = 0, o[2];

	d->cli_pid = -1;
	snprintf(pcap, sizeof(pcap), "%s/cli-%s-%s.pcap", opt.tmp, ns->label, d->name);
	unlink(pcap);
	snprintf(idb, sizeof(idb), "%u", d->build_id);
	argv[a++] = opt.cli;
	argv[a++] = "send";
	argv[a++] = "--no-replies";
	argv[a++] = "--dev";
	argv[a++] = d->name;
	if (d->k->frame == ETHER) {
		snprintf(mac, sizeof(mac), "%s", mac_str(d->dmac));
		argv[a++] = "--dst-mac";
		argv[a++] = mac;
	}
	argv[a++] = "--src";
	argv[a++] = d->k->src ? d->k->src : SRC;
	argv[a++] = "--dst";
	argv[a++] = d->k->dst ? d->k->dst : DST;
	argv[a++] = "--udp";
	argv[a++] = "--sport";
	argv[a++] = "5555";
	argv[a++] = "--dport";
	argv[a++] = "7000";
	argv[a++] = "--id";
	argv[a++] = idb;
	argv[a++] = "--ttl";
	argv[a++] = "64";
	argv[a++] = "--data-hex";
	argv[a++] = PAYLOAD_HEX;
	argv[a++] = "--dry-run";
	argv[a++] = "-q";
	argv[a++] = "--write";
	argv[a++] = pcap;
	argv[a] = NULL;
	if (pipe2(o, O_CLOEXEC))
		return;
	fflush(stdout);
	d->cli_pid = fork();
	if (!d->cli_pid) {
		dup2(o[1], 1);
		dup2(o[1], 2);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(o[1]);
	d->cli_fd = o[0];
}

/* Its frame (from the pcap): 0, or the CLI's exit status. */
static int cli_dry_finish(struct ns *ns, struct inst *d, struct frame *f, char *out, size_t outlen)
{
	char pcap[128], pb[8192];
	int fd, st, rc;
	size_t got = 0;
	ssize_t n;

	f->len = 0;
	out[0] = 0;
	if (d->cli_pid <= 0)
		return 254;
	for (;;) {
		char tmp[4096];
		size_t c;

		n = read(d->cli_fd, tmp, sizeof(tmp));
		if (n <= 0)
			break;
		c = (size_t)n < outlen - 1 - got ? (size_t)n : outlen - 1 - got;
		memcpy(out + got, tmp, c);
		got += c;
	}
	out[got] = 0;
	close(d->cli_fd);
	waitpid(d->cli_pid, &st, 0);
	d->cli_pid = -1;
	rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if (rc)
		return rc;
	snprintf(pcap, sizeof(pcap), "%s/cli-%s-%s.pcap", opt.tmp, ns->label, d->name);
	fd = open(pcap, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 255;
	n = read(fd, pb, sizeof(pb));
	close(fd);
	/* One record after the 24-byte global header. */
	if (n >= 40) {
		uint32_t incl;

		memcpy(&incl, pb + 24 + 8, 4);
		if (incl <= MAXF && 40 + incl <= (size_t)n) {
			f->len = incl;
			memcpy(f->b, pb + 40, incl);
		}
	}
	return 0;
}

/*
 * First qdisc phase only: BUILD's frame, the CLI's dry run, nothing sent;
 * for a headerless device a MAC address is EINVAL.
 */
static void op_build(struct ns *ns, struct inst *d)
{
	struct pktcraft_req r;
	struct frame f, cf;
	struct chk c = { "", 0 };
	long long t0, p0, t1;
	uint16_t id = d->build_id;
	char out[2048];
	int rc, got, cli;

	bql_settle(ns, d, "BUILD", 2000);
	t0 = ctr_read(ns, d);
	p0 = file_packets(g_fd);
	drain(d->cap);
	mkreq(&r, d, id, 1);
	rc = do_build(g_fd, &r, &f);
	need(&c, rc == 0, "BUILD: %s", ename(rc));
	if (!rc)
		judge_layout(&c, d, &r, &f);
	cli = d->cli_pid != 0;
	rc = cli ? cli_dry_finish(ns, d, &cf, out, sizeof(out)) : 0;
	need(&c, rc == 0, "pktcraft send --dry-run exited %d: %.300s", rc, out);
	if (cli && !rc && f.len)
		need(&c, cf.len == f.len && !memcmp(cf.b, f.b, f.len),
		     "the CLI's --dry-run frame (%d bytes) differs from BUILD's (%d) at byte %d: %s vs %s",
		     cf.len, f.len, cf.len == f.len ? first_diff(cf.b, f.b, f.len) : -1,
		     hex(cf.b, cf.len), hex(f.b, f.len));
	got = collect(d->cap, 0, d, id, frames, 1, 0, 30);
	t1 = ctr_read(ns, d);
	need(&c, got == 0, "%d frames captured: a dry run sent something", got);
	need(&c, t1 == t0, "%s moved by %lld", ctr_name(ns, d), t1 - t0);
	need(&c, file_packets(g_fd) == p0, "GET_STATS packets moved");
	report(&c, who(ns, d, NULL), "BUILD%s: the frame %s (%d bytes), nothing sent",
	       cli ? " and the CLI's --dry-run" : "",
	       d->k->frame == ETHER ? (d->k->hlen == 18 ? "is 802.1Q-tagged Ethernet from the vlan's "
				       "header_ops, padded to 60" : d->k->flags & K_NOPAD ?
				       "is Ethernet from the device's header_ops, not padded (loopback)" :
				       "is Ethernet from the device's header_ops, padded to 60")
				    : "is the bare IPv4 packet", f.len);

	if (d->k->frame == BARE) {
		struct chk m = { "", 0 };
		long long b0 = ctr_read(ns, d);

		mkreq(&r, d, next_id++, 1);
		parse_mac(DMAC, r.dst_mac);
		rc = do_send(g_fd, &r);
		need(&m, rc == -EINVAL, "SEND with a destination MAC: %s, want -EINVAL", rcs(rc));
		mkreq(&r, d, next_id++, 1);
		parse_mac(DMAC, r.src_mac);
		rc = do_send(g_fd, &r);
		need(&m, rc == -EINVAL, "SEND with a source MAC: %s, want -EINVAL", rcs(rc));
		mkreq(&r, d, next_id++, 1);
		parse_mac(DMAC, r.dst_mac);
		rc = do_build(g_fd, &r, &f);
		need(&m, rc == -EINVAL, "BUILD with a destination MAC: %s, want -EINVAL", ename(rc));
		sleep_ms(5);
		need(&m, ctr_read(ns, d) == b0, "%s moved", ctr_name(ns, d));
		report(&m, who(ns, d, NULL), "no link header: a destination or source MAC is EINVAL, "
		       "nothing sent");
	}
}

/* A kind pktcraft cannot frame: EOPNOTSUPP everywhere; the CLI names it. */
static void op_refused(struct ns *ns, struct inst *d)
{
	struct pktcraft_req r;
	struct frame f;
	struct chk c = { "", 0 };
	long long t0 = ctr_read(ns, d), p0 = file_packets(g_fd);
	char out[2048], lower[2048];
	char *const argv[] = { (char *)opt.cli, "send", "--no-replies", "--dev", d->name, "--src", SRC, "--dst", DST,
			       "--udp", NULL };
	int rc;

	mkreq(&r, d, next_id++, 1);
	rc = do_build(g_fd, &r, &f);
	need(&c, rc == -EOPNOTSUPP, "BUILD: %s, want -EOPNOTSUPP", ename(rc));
	rc = do_send(g_fd, &r);
	need(&c, rc == -EOPNOTSUPP, "SEND: %s, want -EOPNOTSUPP", rcs(rc));
	mkreq(&r, d, next_id++, 8);
	rc = do_send(g_fd, &r);
	need(&c, rc == -EOPNOTSUPP, "SEND of a burst of 8: %s, want -EOPNOTSUPP", rcs(rc));
	sleep_ms(5);
	need(&c, ctr_read(ns, d) == t0, "device tx moved by %lld", ctr_read(ns, d) - t0);
	need(&c, file_packets(g_fd) == p0, "GET_STATS packets moved");
	report(&c, who(ns, d, NULL), "link layer pktcraft cannot build: BUILD, SEND and a burst are "
	       "EOPNOTSUPP, nothing sent");

	memset(&c, 0, sizeof(c));
	rc = run(-1, NULL, out, sizeof(out), argv);
	for (size_t i = 0; i <= strlen(out); i++)
		lower[i] = tolower((unsigned char)out[i]);
	need(&c, rc == 1, "exit status %d, want 1", rc);
	need(&c, strstr(out, d->name) && strstr(lower, d->k->refused_word),
	     "the message does not name the device %s and its kind (\"%s\"): %.400s", d->name,
	     d->k->refused_word, out);
	report(&c, who(ns, d, NULL), "the CLI's refusal names the device and its kind (%s)",
	       d->k->refused_word);
}

/*
 * The IPv6 frame BUILD made for @d: Ethertype 0x86dd (after the 802.1Q tag
 * on a vlan with reorder_hdr off) or a bare packet of version 6, next
 * header UDP, the payload length and the UDP checksum right.
 */
static void judge_layout6(struct chk *c, const struct inst *d, const struct frame *f)
{
	int h = d->k->hlen;
	const unsigned char *ip = f->b + h;

	if (f->len < h + 40 + 8 + 4) {
		need(c, 0, "IPv6 BUILD frame of %d bytes", f->len);
		return;
	}
	if (d->k->frame == ETHER)
		need(c, f->b[h - 2] == 0x86 && f->b[h - 1] == 0xdd, "Ethertype %02x%02x, want 86dd",
		     f->b[h - 2], f->b[h - 1]);
	need(c, ip[0] >> 4 == 6 && ip[6] == IPPROTO_UDP && (ip[4] << 8 | ip[5]) == 12,
	     "IPv6 header %s", hex(ip, 40));
	need(c, (ip[46] << 8 | ip[47]) == udp_csum(ip, f->len - h), "UDP checksum %02x%02x, want %04x",
	     ip[46], ip[47], udp_csum(ip, f->len - h));
}

enum op { SINGLE, IDENT, VARIED };

static void op_send(struct ns *ns, struct inst *d, enum op op, int v6)
{
	const char *q = ns->qdisc;
	int has_q = strcmp(q, "noqueue") != 0;
	unsigned n = op == SINGLE ? 1 : opt.burst;
	int fast_ok = op == IDENT && (d->k->flags & K_FAST) && !ns->userns;
	int listener = !(d->k->flags & K_LISTEN) || v6 ? -1 :
		       (d->k->flags & K_WG) ? ns->listen_wg : ns->listen_veth;
	struct pktcraft_req r, b;
	struct frame base;
	struct qstats q0, q1;
	struct chk c = { "", 0 };
	long long t0, t1, p0, p1;
	unsigned long long b0, b1;
	long inflight0, inflight1;
	char txinfo[320] = "";
	uint16_t id = next_id++;
	int rc, got, tgot = 0, lgot = 0, fast = 0, foreign = 0;
	unsigned qd = 0;
	char what[512] = "";
	uint64_t op_t0 = now_ns();
	unsigned long long rp0 = 0, rb0 = 0, rp1, rb1;

	memset(&q1, 0, sizeof(q1));
	(v6 ? mkreq6 : mkreq)(&b, d, id, 1);
	rc = do_build(g_fd, &b, &base);
	if (rc) {
		need(&c, 0, "BUILD for the expected frame: %s", ename(rc));
		goto out;
	}
	if (v6)
		judge_layout6(&c, d, &base);
	(v6 ? mkreq6 : mkreq)(&r, d, id, n);
	if (op == VARIED)
		vary_sport(&r, n);
	drain_noted(d->cap);
	drain_tun(d->tunfd);
	if (listener >= 0)
		drain(listener);
	inflight0 = bql_settle(ns, d, "before the count", 2000);
	qdisc_get(ns->nl, d->ifindex, &q0);
	t0 = ctr_read(ns, d);
	b0 = ctr_bytes;
	inflight1 = bql_inflight(d);
	p0 = file_packets(g_fd);
	if (ctr_of(ns, d) == C_PEER)
		peer_raw(ns, &rp0, &rb0);

	rc = do_send(g_fd, &r);

	/* tun/tap count tx when the reader takes the frame: read first. */
	if (d->tunfd >= 0)
		tgot = collect(d->tunfd, 1, d, id, tunframes, ARRAY_SIZE(tunframes), n, 1000);
	t1 = ctr_wait(ns, d, t0, rc > 0 ? rc : (int)n, ctr_of(ns, d) == C_PEER ? 8000 : 3000);
	if (has_q)
		qdisc_wait(ns, d, &q0, rc > 0 ? (unsigned)rc : n, &q1,
			   fast_ok ? 60 : 3000);
	/* The fast path leaves the qdisc's counters alone and no frame for
	 * the taps: then only a short look for frames. */
	got = collect_all(d->cap, 0, d, id, frames, ARRAY_SIZE(frames), n,
			  fast_ok && (!has_q || q1.packets == q0.packets) ? 50 : 1000, &foreign);
	if (listener >= 0)
		lgot = listen_count(listener, n, ctr_of(ns, d) == C_PEER ? 3000 : 1000);
	bql_settle(ns, d, "at the count's end", 2000);
	t1 = ctr_read(ns, d);
	b1 = ctr_bytes;
	p1 = file_packets(g_fd);
	if (has_q) {
		qdisc_get(ns->nl, d->ifindex, &q1);
		qd = q1.packets - q0.packets;
		/*
		 * Whatever the qdisc passed goes to the tap next (a frame
		 * the qdisc dequeued while the driver's queue was stopped
		 * gets there once it wakes): the short look above may have
		 * ended first. Look again until the tap has seen as many
		 * frames as the qdisc passed, ours or the host's own.
		 */
		for (uint64_t end = now_ns() + 2000 * MS;
		     d->cap >= 0 && qd > (unsigned)(got + foreign) && now_ns() < end;) {
			int kept = got < (int)ARRAY_SIZE(frames) ? got : (int)ARRAY_SIZE(frames);

			got += collect_all(d->cap, 0, d, id, frames + kept,
					   (int)ARRAY_SIZE(frames) - kept, 1, 20, &foreign);
		}
	}

	need(&c, rc == (int)n, "SEND returned %s, want %u", rcs(rc), n);
	if (n > 1)
		need(&c, r.sent == n && r.result_err == 0 && r.dropped == 0,
		     "written back: sent %u result_err %s dropped %u", r.sent, ename(r.result_err),
		     r.dropped);
	need(&c, p1 - p0 == n, "GET_STATS packets +%lld", p1 - p0);
	/*
	 * A device's tx also counts the host's own frames (a real NIC's: see
	 * the qdisc below). The tap sees each of them: the qdisc, read after
	 * the counter, passed every frame the counter had counted, and the
	 * tap was read until it had seen as many as the qdisc passed.
	 */
	if (ctr_of(ns, d) == C_TX)
		snprintf(txinfo, sizeof(txinfo), "; tx_bytes +%llu, our frames %u x %d bytes; before "
			 "the count the tap had %d outgoing frames, the latest %s; BQL: %ld bytes in "
			 "flight before the settle, %ld at the count", b1 - b0, n, base.len,
			 drained_out, drained_last, inflight0, inflight1);
	need(&c, t1 - t0 >= n && t1 - t0 <= n + (ctr_of(ns, d) == C_TX ? foreign : 0),
	     "%s +%lld (%d other frames on the tap%s)", ctr_name(ns, d), t1 - t0, foreign, txinfo);
	if (t1 - t0 != n && ctr_of(ns, d) == C_PEER) {
		peer_raw(ns, &rp1, &rb1);
		sappend(c.why, sizeof(c.why), " (rx_packets +%llu, rx_bytes +%llu)", rp1 - rp0, rb1 - rb0);
	}
	/*
	 * The fast path bypasses qdisc and taps, and only for all N: then
	 * whatever passed the qdisc was the host's own.
	 */
	if (fast_ok && got == 0 && (!has_q || qd <= (unsigned)foreign))
		fast = 1;
	if (has_q) {
		/*
		 * The qdisc is the device's, not ours: a frame of the host's
		 * own (a real NIC's) may pass it meanwhile, which the tap then
		 * saw too. Every extra one must be such a frame.
		 */
		if (qd > (fast ? 0 : n))
			info("%s: %u other frame(s) passed the qdisc meanwhile, %d seen on the tap "
			     "(the last: %s)", who(ns, d, NULL), qd - (fast ? 0 : n), foreign,
			     foreign ? foreign_last : "none");
		need(&c, qd >= (fast ? 0 : n) && qd <= (fast ? 0 : n) + (unsigned int)foreign,
		     "qdisc %s passed %u, want %u (drops +%u, qlen %u; %d other frames on the tap)",
		     q1.kind, qd, fast ? 0 : n, q1.drops - q0.drops, q1.qlen, foreign);
		need(&c, q1.drops == q0.drops, "qdisc dropped %u", q1.drops - q0.drops);
	}
	need(&c, got == (int)(fast ? 0 : n), "%d frames captured on the device, want %u", got,
	     fast ? 0 : n);
	for (int i = 0; i < got && i < (int)ARRAY_SIZE(frames); i++) {
		struct frame e = base;

		if (op == VARIED)
			patch_sport(d, e.b, e.len, SPORT + i);
		if (d->k->flags & K_REWRITE)	/* the link header is the vrf's routed one */
			memcpy(e.b, frames[i].b, frames[i].len < d->k->hlen ? frames[i].len : d->k->hlen);
		if (frames[i].len != e.len || memcmp(frames[i].b, e.b, e.len)) {
			need(&c, 0, "captured frame %d (%d bytes) differs from %s (%d bytes) at byte %d: "
			     "captured %s, want %s", i, frames[i].len,
			     op == VARIED ? "BUILD's with its port" : "BUILD's", e.len,
			     frames[i].len == e.len ? first_diff(frames[i].b, e.b, e.len) : -1,
			     hex(frames[i].b, frames[i].len), hex(e.b, e.len));
			break;
		}
	}
	if (d->tunfd >= 0) {
		need(&c, tgot == (int)n, "the %s reader got %d frames, want %u", d->k->label, tgot, n);
		for (int i = 0; i < tgot && i < (int)ARRAY_SIZE(tunframes); i++) {
			struct frame e = base;

			if (op == VARIED)
				patch_sport(d, e.b, e.len, SPORT + i);
			if (tunframes[i].len != e.len || memcmp(tunframes[i].b, e.b, e.len)) {
				need(&c, 0, "frame %d read from %s differs from BUILD's at byte %d", i,
				     d->name, tunframes[i].len == e.len ?
				     first_diff(tunframes[i].b, e.b, e.len) : -1);
				break;
			}
		}
	}
	if (listener >= 0)
		need(&c, lgot == (int)n, "the UDP socket in the peer namespace received %d, want %u",
		     lgot, n);

out:
	if (op == SINGLE)
		snprintf(what, sizeof(what), "%ssingle send:", v6 ? "IPv6 " : "");
	else if (v6)
		snprintf(what, sizeof(what), "IPv6 %s burst x%u:", op == IDENT ? "identical" :
			 "varied (sport+1)", n);
	else
		snprintf(what, sizeof(what), "%s burst x%u:", op == IDENT ? "identical" : "varied (sport+1)",
			 n);
	sappend(what, sizeof(what), " %u sent = GET_STATS = %s", n,
		(const char *[]){ "device tx", "device rx", "peer delivered", "device tx_dropped (no SA)" }
		[ctr_of(ns, d)]);
	if (has_q)
		sappend(what, sizeof(what), " = qdisc%s", fast ? " bypassed (fast path)" : "");
	sappend(what, sizeof(what), fast ? ", taps bypassed" : " = captured");
	if (d->tunfd >= 0)
		sappend(what, sizeof(what), " = read from %s", d->k->label);
	if (listener >= 0)
		sappend(what, sizeof(what), " = received by the peer's socket");
	sappend(what, sizeof(what), "; frames == BUILD's%s%s (%d bytes)",
		op == VARIED ? " with each port and UDP checksum" : "",
		v6 ? " (Ethertype or version 6, UDP checksum over the IPv6 pseudo-header)" :
		d->k->flags & K_REWRITE ? " from the IPv4 header on (the vrf rewrites the tapped "
		"skb's link header)" : "", base.len);
	report(&c, who(ns, d, NULL), "%s", what);
	if (verbose)
		printf("  op took %.1f ms\n", (now_ns() - op_t0) / 1e6);
}

/*
 * Every injection point with fates (issue 16), one packet each: the SEND
 * must work on every kind, in both namespaces (an unprivileged user
 * namespace's root may inject into its own devices' receive path), report
 * a fate for the packet, and DRIVER must leave the device's own qdisc alone
 * while QUEUE passes it (@first..@last: the points to try). The exact fate
 * depends on the kind (a peer's
 * socket, a neighbour nobody answers, a tun reader): tests/fate/fate.py
 * checks the fates themselves against the stack.
 */
/* net.ipv6.conf.@dev.disable_ipv6 in this namespace is 1. */
static int ipv6_off(const char *dev)
{
	char path[128], v = '0';
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", dev);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;	/* no IPv6 on it at all */
	if (read(fd, &v, 1) != 1)
		v = '0';
	close(fd);
	return v == '1';
}

static void op_inject(struct ns *ns, struct inst *d, int v6, int first, int last)
{
	static const char *const names[] = { "queue", "driver", "ip", "rx" };
	static const char *const fates[] = { "untracked", "pending", "sent", "delivered",
					     "dropped" };
	int has_q = strcmp(ns->qdisc, "noqueue") != 0;
	char what[1024] = "";
	struct chk c = { "", 0 };

	for (int inj = first; inj <= last; inj++) {
		static struct drops dr0, dr1;
		struct pktcraft_fate f;
		struct pktcraft_req r;
		struct qstats q0, q1;
		const char *rname;
		int rc, qd, hidden;

		(v6 ? mkreq6 : mkreq)(&r, d, next_id++, 1);
		r.inject = inj;
		r.fate_ms = 500;
		memset(&f, 0xa5, sizeof(f));	/* every byte must be written */
		r.fates = (uintptr_t)&f;
		/* IP: the neighbour's link header; RX: for this host (its MAC). */
		if (inj >= PKTCRAFT_INJECT_IP)
			memset(r.dst_mac, 0, sizeof(r.dst_mac));
		memset(&q0, 0, sizeof(q0));
		memset(&q1, 0, sizeof(q1));
		if (has_q)
			qdisc_get(ns->nl, d->ifindex, &q0);
		drops_get(g_fd, &dr0);
		rc = do_send(g_fd, &r);
		drops_get(g_fd, &dr1);
		if (has_q)
			qdisc_get(ns->nl, d->ifindex, &q1);
		qd = q1.packets - q0.packets;
		drain(d->cap);
		drain_tun(d->tunfd);
		/*
		 * rx: a datagram for another host may be refused at once; IPv6
		 * over IP: a device with IPv6 disabled (the guest's default) has
		 * no IPv6 route: the lookup's ENETUNREACH, nothing sent.
		 */
		need(&c, rc == 1 || (inj == PKTCRAFT_INJECT_RX && rc == -ENOBUFS) ||
		     (v6 && inj == PKTCRAFT_INJECT_IP && rc == -ENETUNREACH && ipv6_off(d->name)),
		     "%s: SEND returned %s", names[inj], rcs(rc));
		if (rc == -ENETUNREACH) {	/* refused before the fates */
			sappend(what, sizeof(what), "%s%s refused (no IPv6 route)",
				inj > first ? ", " : "", names[inj]);
			continue;
		}
		need(&c, f.fate >= PKTCRAFT_FATE_PENDING && f.fate <= PKTCRAFT_FATE_DROPPED &&
		     f.xmit_ns && !f.reserved && !f.reserved2 &&
		     memchr(f.reason_name, 0, sizeof(f.reason_name)) &&
		     memchr(f.where, 0, sizeof(f.where)) && memchr(f.dev, 0, sizeof(f.dev)) &&
		     (f.fate == PKTCRAFT_FATE_DROPPED ||
		      !f.reason_name[0]) &&
		     (f.reason_name[0] || f.fate != PKTCRAFT_FATE_DROPPED ||
		      (ns->userns && (f.flags & PKTCRAFT_FATE_F_OTHER_NS))),
		     "%s: fate %u xmit_ns %llu reason '%.32s'", names[inj], f.fate,
		     (unsigned long long)f.xmit_ns, f.reason_name);
		/* Another namespace's devices and verdicts: init's admin only. */
		if ((f.flags & PKTCRAFT_FATE_F_OTHER_NS) && ns->userns)
			need(&c, !f.dev[0] && !f.reason_name[0] && !f.where[0] && !f.ifindex,
			     "%s: another namespace's end shown to a user namespace: '%.16s' '%.32s'",
			     names[inj], f.dev, f.reason_name);
		/*
		 * GET_STATS by reason: the file's column as its fates array
		 * shows it (OTHER_NS for a hidden verdict, OTHER for a number
		 * without a name), the module's only for init's admin.
		 */
		hidden = (f.flags & PKTCRAFT_FATE_F_OTHER_NS) && ns->userns;
		rname = hidden ? "OTHER_NS" :
			!strncmp((const char *)f.reason_name, "REASON_", 7) ? "OTHER" :
			(const char *)f.reason_name;
		need(&c, !dr0.err && !dr1.err, "%s: GET_STATS with drops: %s", names[inj],
		     strerror(dr0.err ? dr0.err : dr1.err));
		need(&c, drops_file(&dr1, "") - drops_file(&dr0, "") ==
		     (f.fate == PKTCRAFT_FATE_DROPPED) &&
		     (f.fate != PKTCRAFT_FATE_DROPPED ||
		      drops_file(&dr1, rname) - drops_file(&dr0, rname) == 1),
		     "%s: GET_STATS drops by reason: %s +%llu of +%llu", names[inj], rname,
		     drops_file(&dr1, rname) - drops_file(&dr0, rname),
		     drops_file(&dr1, "") - drops_file(&dr0, ""));
		if (ns->userns)
			need(&c, !drops_module_shown(&dr1),
			     "%s: the module's drops by reason shown to a user namespace", names[inj]);
		else if (f.fate == PKTCRAFT_FATE_DROPPED)
			need(&c, drops_module_shown(&dr1),
			     "%s: the module's drops by reason hidden from init's admin", names[inj]);
		if (has_q && inj == PKTCRAFT_INJECT_DRIVER)
			need(&c, qd == 0, "driver: the qdisc passed %d", qd);
		if (has_q && inj == PKTCRAFT_INJECT_QUEUE && rc == 1 && !(d->k->flags & K_REALQ))
			need(&c, qd == 1, "queue: the qdisc passed %d, want 1", qd);
		sappend(what, sizeof(what), "%s%s %s%s%s", inj > first ? ", " : "", names[inj],
			f.fate <= PKTCRAFT_FATE_DROPPED ? fates[f.fate] : "?",
			f.reason_name[0] && f.fate == PKTCRAFT_FATE_DROPPED ? " " : "",
			f.fate == PKTCRAFT_FATE_DROPPED ? (char *)f.reason_name : "");
	}
	report(&c, who(ns, d, NULL), "%sinjection points with fates: %s%s", v6 ? "IPv6 " : "",
	       what, has_q && first <= PKTCRAFT_INJECT_DRIVER ? " (driver skips the qdisc)" : "");
}

/* This file's counters (GET_STATS): 0, or -errno with @ctrs zeroed. */
static int file_ctrs(int fd, struct pktcraft_counters *ctrs)
{
	struct pktcraft_stats st;

	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	if (ioctl(fd, PKTCRAFT_IOC_GET_STATS, &st)) {
		memset(ctrs, 0, sizeof(*ctrs));
		return -errno;
	}
	*ctrs = st.file;
	return 0;
}

/*
 * RX into macvlan's lower device, whose frames the macvlan takes over (it
 * could be in another namespace): CAP_NET_ADMIN in the initial user
 * namespace only; a user namespace's root gets EPERM, for a single packet,
 * a BUILD dry run and a burst, before anything is sent: no drop counted, a
 * burst's result 0 sent and 0 dropped.
 */
static void op_inject_lower(struct ns *ns, struct inst *d)
{
	struct pktcraft_counters c0 = { 0 }, c1 = { 0 };
	static struct frame f;
	struct chk c = { "", 0 };
	struct pktcraft_req r;
	int rc, brc = 0, drc = 0, ec;

	mkreq(&r, d, next_id++, 1);
	memset(r.dst_mac, 0, sizeof(r.dst_mac));
	r.ifindex = if_nametoindex("mxlmacvlan");
	r.inject = PKTCRAFT_INJECT_RX;
	need(&c, r.ifindex, "no mxlmacvlan");
	ec = file_ctrs(g_fd, &c0);
	rc = do_send(g_fd, &r);
	if (ns->userns) {
		drc = do_build(g_fd, &r, &f);	/* a dry run: what the send would be */
		r.count = 4;
		r.sent = r.dropped = 7;		/* written back: 0 and 0 */
		brc = do_send(g_fd, &r);
	}
	ec = ec ?: file_ctrs(g_fd, &c1);
	need(&c, !ec, "GET_STATS: %s", strerror(-ec));
	if (ns->userns) {
		need(&c, rc == -EPERM, "SEND returned %s, want -EPERM", rcs(rc));
		need(&c, drc == -EPERM, "a BUILD dry run returned %s, want -EPERM", rcs(drc));
		need(&c, brc == -EPERM && !r.sent && !r.dropped && r.result_err == -EPERM,
		     "a burst of 4: SEND returned %s, sent %u, dropped %u, result_err %d, want -EPERM, 0, 0, -EPERM",
		     rcs(brc), r.sent, r.dropped, r.result_err);
		need(&c, c1.drop_xmit == c0.drop_xmit && c1.drop_queue == c0.drop_queue &&
		     c1.packets == c0.packets,
		     "the file counted drop_xmit +%llu, drop_queue +%llu, packets +%llu, want +0 (refused, not dropped)",
		     (unsigned long long)(c1.drop_xmit - c0.drop_xmit),
		     (unsigned long long)(c1.drop_queue - c0.drop_queue),
		     (unsigned long long)(c1.packets - c0.packets));
	} else {
		need(&c, rc == 1 || rc == -ENOBUFS, "SEND returned %s", rcs(rc));
	}
	report(&c, who(ns, d, NULL), "rx into the macvlan's lower device: %s",
	       ns->userns ? "EPERM, a single packet, a dry run and a burst, nothing counted as dropped (needs CAP_NET_ADMIN in the initial namespace)" :
	       "allowed (CAP_NET_ADMIN in the initial namespace)");
}

/* ----------------------------------------------------------- set up */

static int selected(size_t k)
{
	return opt.kinds_mask[k / 32] & (1U << (k % 32));
}

static int tun_open(const char *name, int tap)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_flags = (tap ? IFF_TAP : IFF_TUN) | IFF_NO_PI;
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int cap_open(int ifindex)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = ifindex };
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	int sz = 8 << 20;

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		close(fd);
		return -1;
	}
	return fd;
}

struct listen_arg {
	const char *addr;
	int fd;
};

struct tap_arg {
	int ifindex;
	int fd;
};

static int tap_cb(void *arg)
{
	struct tap_arg *a = arg;

	a->fd = cap_open(a->ifindex);
	return a->fd < 0 ? -1 : 0;
}

static int listen_cb(void *arg)
{
	struct listen_arg *a = arg;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(DPORT) };
	int sz = 4 << 20;

	inet_pton(AF_INET, a->addr, &sin.sin_addr);
	a->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (a->fd < 0)
		return -1;
	if (setsockopt(a->fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(a->fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(a->fd, (struct sockaddr *)&sin, sizeof(sin))) {
		close(a->fd);
		a->fd = -1;
		return -1;
	}
	return 0;
}

static int sysctl_ipv6_cb(void *arg)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", (char *)arg);
	return write_file(path, "0");
}

/* A process holding the peer namespace (dies with us). */
static int holder_start(struct ns *ns)
{
	int p[2];
	char c, path[64];

	if (pipe2(p, O_CLOEXEC))
		return -1;
	fflush(stdout);
	ns->holder = fork();
	if (ns->holder < 0)
		return -1;
	if (!ns->holder) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (unshare(CLONE_NEWNET) || ns_ipv6_off())
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		return -1;
	close(p[0]);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)ns->holder);
	ns->peer_ns = open(path, O_RDONLY | O_CLOEXEC);
	return ns->peer_ns < 0 ? -1 : 0;
}

static void inst_name(const struct kind *k, int n, char *out)
{
	snprintf(out, IFNAMSIZ, "%s", k->name);
	if (!(k->flags & K_EXIST) && n)
		out[1] = "xdm"[n];
}

static int wg_set(struct ns *ns, struct inst *d, char *err, size_t errlen)
{
	char ep[64], key[96];
	char *const argv[] = { "wg", "set", d->name, "private-key", key, "listen-port", "0", "peer",
			       WG_B_PUB, "endpoint", ep, "allowed-ips", "0.0.0.0/0", NULL };

	snprintf(key, sizeof(key), "%s/wg-a.key", opt.tmp);
	snprintf(ep, sizeof(ep), "192.168.250.1%d:51820", d->n);
	return run(-1, NULL, err, errlen, argv);
}

/* Creates instances @n0..@n1 of every selected kind (0: the main ones). */
static int create(struct ns *ns, int n0, int n1, char *err, size_t errlen)
{
	static char a[32768], b[32768], p[16384];
	char e[8192];
	int rc = 0;

	a[0] = b[0] = p[0] = 0;
	if (n0 == 0) {
		expand(a, sizeof(a), infra_this, "", 0, ns->holder);
		for (size_t k = 0; k < NKINDS; k++)
			if (selected(k))
				expand(a, sizeof(a), kinds[k].infra, "", 0, ns->holder);
	}
	for (size_t k = 0; k < NKINDS; k++) {
		const struct kind *K = &kinds[k];

		if (!selected(k))
			continue;
		for (int n = n0; n <= n1; n++) {
			struct inst *d = &ns->inst[k][n];
			char line[512];

			if (n && ((K->flags & (K_ONE | K_EXIST)) || K->frame == REFUSED))
				continue;
			memset(d, 0, sizeof(*d));
			d->k = K;
			d->n = n;
			d->tunfd = d->cap = d->bql = -1;
			inst_name(K, n, d->name);
			if (K->flags & (K_TUN | K_TAP)) {
				d->tunfd = tun_open(d->name, K->flags & K_TAP);
				if (d->tunfd < 0)
					sappend(err, errlen, "TUNSETIFF %s: %s\n", d->name, strerror(errno));
			}
			if (K->add) {
				snprintf(line, sizeof(line), "link add %s group %d ", d->name, GROUP);
				expand(a, sizeof(a), line, d->name, n, ns->holder);
				/* expand() ended the line: join the arguments to it */
				a[strlen(a) - 1] = 0;
				expand(a, sizeof(a), K->add, d->name, n, ns->holder);
			}
			if (!(ns->userns && (K->flags & K_INITSA)))
				expand(b, sizeof(b), K->setup, d->name, n, ns->holder);
			if (!n)
				expand(b, sizeof(b), K->setup0, d->name, n, ns->holder);
			if (K->flags & (K_TUN | K_TAP)) {
				snprintf(line, sizeof(line), "link set %s group %d", d->name, GROUP);
				expand(b, sizeof(b), line, d->name, n, ns->holder);
			}
			if (strcmp(d->name, "lo")) {
				snprintf(line, sizeof(line), "link set %s txqueuelen 1000", d->name);
				expand(b, sizeof(b), line, d->name, n, ns->holder);
			}
			snprintf(line, sizeof(line), "link set %s up", d->name);
			expand(b, sizeof(b), line, d->name, n, ns->holder);
			expand(p, sizeof(p), K->peer, d->name, n, ns->holder);
			if (!n)
				expand(p, sizeof(p), K->peer0, d->name, n, ns->holder);
		}
	}
	e[0] = 0;
	if (ip_batch(-1, a, e, sizeof(e)))
		rc = 1, sappend(err, errlen, "ip -batch (create): %s", e);
	if (n0 == 0) {
		if (write_file("/proc/sys/net/ipv6/conf/mxul0/disable_ipv6", "0") ||
		    in_netns(ns->peer_ns, ns->self_ns, sysctl_ipv6_cb, "mxul1"))
			rc = 1, sappend(err, errlen, "enabling IPv6 on the underlay failed\n");
		expand(b, sizeof(b), infra_this2, "", 0, ns->holder);
		expand(p, sizeof(p), infra_peer, "", 0, ns->holder);
	}
	e[0] = 0;
	if (ip_batch(-1, b, e, sizeof(e)))
		rc = 1, sappend(err, errlen, "ip -batch (set up): %s", e);
	e[0] = 0;
	if (ip_batch(ns->peer_ns, p, e, sizeof(e)))
		rc = 1, sappend(err, errlen, "ip -batch (peer namespace): %s", e);

	for (size_t k = 0; k < NKINDS; k++) {
		if (!selected(k))
			continue;
		for (int n = n0; n <= n1; n++) {
			struct inst *d = &ns->inst[k][n];
			struct linkinfo li;

			if (!d->k)
				continue;
			if ((d->k->flags & K_WG) && wg_set(ns, d, e, sizeof(e)))
				rc = 1, sappend(err, errlen, "wg set %s: %s", d->name, e);
			d->ifindex = if_nametoindex(d->name);
			if (!d->ifindex || link_get(ns->nl, d->ifindex, NULL, &li) || !li.found) {
				sappend(err, errlen, "%s (%s) missing\n", d->name, d->k->label);
				rc = 1;
				continue;
			}
			if (li.maclen == 6)
				memcpy(d->mac, li.mac, 6);
			parse_mac(d->k->dmac ? d->k->dmac : DMAC, d->dmac);
			d->ok = !!(li.flags & IFF_UP);
			if (!d->ok)
				rc = 1, sappend(err, errlen, "%s (%s) is not up\n", d->name, d->k->label);
		}
	}
	return rc;
}

/* eth0 after a move: up, and its carrier (the qdisc drops without it). */
static int wait_carrier(struct ns *ns, int ifindex, unsigned ms)
{
	uint64_t end = now_ns() + ms * MS;
	struct linkinfo li;

	for (;;) {
		if (!link_get(ns->nl, ifindex, NULL, &li) && (li.flags & IFF_LOWER_UP))
			return 0;
		if (now_ns() > end)
			return -1;
		sleep_ms(20);
	}
}

static int setup(struct ns *ns)
{
	char err[16384] = "", path[128];
	struct chk c = { "", 0 };
	int rc, nkinds = 0, hs = 0;
	uint64_t t = now_ns();

	ns->self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ns->nl = nl_open();
	{
		struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
		int sz = 4 << 20;

		ns->mon = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
		if (setsockopt(ns->mon, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
			setsockopt(ns->mon, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
		bind(ns->mon, (struct sockaddr *)&sa, sizeof(sa));
	}
	if (holder_start(ns)) {
		need(&c, 0, "no peer namespace: %s", strerror(errno));
		report(&c, ns->label, "setup: the peer namespace");
		return -1;
	}
	in_netns(ns->peer_ns, ns->self_ns, nl_open_cb, &ns->peer_nl);
	snprintf(path, sizeof(path), "%s/wg-a.key", opt.tmp);
	write_file(path, WG_A_PRIV "\n");
	snprintf(path, sizeof(path), "%s/wg-b.key", opt.tmp);
	write_file(path, WG_B_PRIV "\n");

	rc = create(ns, 0, 0, err, sizeof(err));

	/* The WireGuard peer, and a handshake before anything is counted. */
	{
		char key[96], e[2048];
		char *const argv[] = { "wg", "set", "mxwgp", "private-key", key, "listen-port", "51820",
				       "peer", WG_A_PUB, "allowed-ips", "0.0.0.0/0", NULL };

		snprintf(key, sizeof(key), "%s/wg-b.key", opt.tmp);
		if (run(ns->peer_ns, NULL, e, sizeof(e), argv))
			rc = 1, sappend(err, sizeof(err), "wg set mxwgp: %s", e);
	}
	{
		struct linkinfo li;

		ns->wgp_ifindex = !link_get(ns->peer_nl, 0, "mxwgp", &li) && li.found ? li.ifindex : 0;
	}
	if (ns->wgp_ifindex) {	/* what the peer delivers: the judge (ctr_read()) */
		struct tap_arg ta = { ns->wgp_ifindex, -1 };

		in_netns(ns->peer_ns, ns->self_ns, tap_cb, &ta);
		ns->wgp_tap = ta.fd;
		if (ns->wgp_tap < 0)
			rc = 1, sappend(err, sizeof(err), "AF_PACKET on mxwgp: %s\n", strerror(errno));
	}
	{
		struct listen_arg la = { "10.200.1.2", -1 }, lw = { "10.201.1.2", -1 };

		in_netns(ns->peer_ns, ns->self_ns, listen_cb, &la);
		in_netns(ns->peer_ns, ns->self_ns, listen_cb, &lw);
		ns->listen_veth = la.fd;
		ns->listen_wg = lw.fd;
	}
	for (size_t k = 0; k < NKINDS; k++) {
		struct inst *d = &ns->inst[k][0];

		if (!selected(k) || !d->ok)
			continue;
		nkinds++;
		if (d->k->flags & K_E1000 && wait_carrier(ns, d->ifindex, 10000))
			rc = 1, sappend(err, sizeof(err), "eth0 has no carrier\n");
		/*
		 * IP injection resolves DST on eth0 where no route leads
		 * elsewhere (the container's): nobody on the hub answers, and
		 * the ARP retries would pass eth0's qdisc during later cases.
		 */
		if (d->k->flags & K_E1000 &&
		    ip_batch(-1, "neigh replace " DST " lladdr 52:54:00:00:00:01 nud permanent "
			     "dev eth0\n", err + strlen(err), sizeof(err) - strlen(err)))
			rc = 1;
		if (d->k->frame != REFUSED)
			d->cap = cap_open(d->ifindex);
		if (d->k->frame != REFUSED && d->cap < 0)
			rc = 1, sappend(err, sizeof(err), "AF_PACKET on %s: %s\n", d->name, strerror(errno));
		if ((d->k->flags & K_WG) && ns->wgp_ifindex) {
			/* A datagram through the tunnel makes the handshake; the
			 * peer's socket takes it, so nothing comes back. */
			struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(DPORT) };
			int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
			long long r0 = ctr_read(ns, d);

			inet_pton(AF_INET, "10.201.1.2", &to.sin_addr);
			sendto(s, "hs", 2, 0, (struct sockaddr *)&to, sizeof(to));
			close(s);
			hs = ctr_wait(ns, d, r0, 1, 15000) - r0 >= 1;
			if (!hs)
				rc = 1, sappend(err, sizeof(err), "no WireGuard handshake with the peer\n");
			drain(ns->listen_wg);
		}
	}
	need(&c, !rc, "%s", err);
	report(&c, ns->label, "setup: %d device kinds created and up, peer namespace, listeners%s",
	       nkinds, hs ? ", WireGuard handshake done" : "");
	info("%s: setup took %.1f s", ns->label, (now_ns() - t) / 1e9);
	for (size_t k = 0; k < NKINDS; k++)
		if (selected(k) && !ns->inst[k][0].ok) {
			struct chk m = { "", 0 };

			need(&m, 0, "the device could not be made (see setup)");
			ns->inst[k][0].k = &kinds[k];
			report(&m, who(ns, &ns->inst[k][0], "-"), "device exists");
		}
	return 0;
}

static void teardown(struct ns *ns)
{
	char e[4096];
	uint64_t t = now_ns();

	/* One unregister_netdevice_many(): deleting them one by one costs an
	 * RCU barrier each, most of a second under TCG. */
	if (!wedged)
		ip_batch(-1, "link delete group 77\n", e, sizeof(e));
	for (size_t k = 0; k < NKINDS; k++) {
		for (int n = 0; n < 3; n++) {
			struct inst *d = &ns->inst[k][n];

			if (d->cap >= 0 && d->k)
				close(d->cap);
			if (d->tunfd >= 0 && d->k)
				close(d->tunfd);
			if (d->bql >= 0 && d->k)
				close(d->bql);
			d->cap = d->tunfd = d->bql = -1;
		}
	}
	if (!ns->userns) {
		char *const argv[] = { "tc", "-force", "-batch", "-", NULL };

		/* eth0 back to guest-init's pfifo (tests/vm/README.md), not the default */
		run(-1, "qdisc del dev lo root\nqdisc replace dev eth0 root pfifo limit 100000\n", e,
		    sizeof(e), argv);
	}
	if (ns->listen_veth >= 0)
		close(ns->listen_veth);
	if (ns->listen_wg >= 0)
		close(ns->listen_wg);
	if (ns->wgp_tap >= 0)
		close(ns->wgp_tap);
	if (ns->holder > 0) {
		kill(ns->holder, SIGKILL);
		waitpid(ns->holder, NULL, 0);
	}
	close(ns->peer_nl);
	close(ns->peer_ns);
	close(ns->mon);
	info("%s: teardown took %.1f s", ns->label, (now_ns() - t) / 1e9);
}

/* ------------------------------------------------------ qdisc phases */

static void phase_qdisc(struct ns *ns, const struct qdisc_def *qd, int first)
{
	char batch[8192] = "", e[4096] = "";
	uint64_t t = now_ns();

	for (size_t k = 0; k < NKINDS; k++) {
		struct inst *d = &ns->inst[k][0];

		if (selected(k) && d->ok && d->k->frame != REFUSED &&
		    !(!strcmp(qd->name, "noqueue") && (d->k->flags & K_REALQ)))
			sappend(batch, sizeof(batch), "qdisc replace dev %s root %s\n", d->name, qd->tc);
	}
	if (tc_batch(-1, batch, e, sizeof(e)))
		info("%s: tc -batch for %s: %s", ns->label, qd->name, e);
	for (size_t k = 0; first && k < NKINDS; k++) {
		struct inst *d = &ns->inst[k][0];

		if (selected(k) && d->ok && d->k->frame != REFUSED) {
			d->build_id = next_id++;
			d->cli_pid = 0;
			if (!ns->userns || (d->k->flags & K_CLI))
				cli_dry_start(ns, d);
		}
	}
	for (size_t k = 0; k < NKINDS; k++) {
		struct inst *d = &ns->inst[k][0];
		const char *have;

		if (!selected(k) || !d->ok)
			continue;
		have = qdisc_kind(ns, d);
		ns->qdisc = have;
		if (d->k->frame == REFUSED) {
			if (first)
				op_refused(ns, d);
			continue;
		}
		if (!strcmp(qd->name, "noqueue") && (d->k->flags & K_REALQ)) {
			if (first)
				op_build(ns, d);
			info("%s: %s: noqueue does not apply to a NIC's TX ring (a full ring makes "
			     "dev_queue_xmit() fail: \"Virtual device asks to queue packet!\")",
			     ns->label, d->k->label);
			continue;
		}
		if (strcmp(have, qd->name)) {
			struct chk c = { "", 0 };

			need(&c, 0, "the root qdisc is %s: %s", have, e);
			report(&c, who(ns, d, qd->name), "qdisc attached");
			continue;
		}
		if (first)
			op_build(ns, d);
		op_send(ns, d, SINGLE, 0);
		op_send(ns, d, IDENT, 0);
		op_send(ns, d, VARIED, 0);
		if (d->k->flags & K_NO6) {
			if (first)
				info("%s: %s: no IPv6 sends (the device, as set up here, does not "
				     "carry IPv6)", ns->label, d->k->label);
			continue;
		}
		op_send(ns, d, SINGLE, 1);
		op_send(ns, d, VARIED, 1);
	}
	/* One qdisc phase with a real qdisc is enough for the injection points. */
	for (size_t k = 0; !strcmp(qd->name, "pfifo_fast") && k < NKINDS; k++) {
		struct inst *d = &ns->inst[k][0];

		if (!selected(k) || !d->ok || d->k->frame == REFUSED ||
		    strcmp(qdisc_kind(ns, d), qd->name))
			continue;
		/*
		 * WireGuard holds packets until its handshake: they would reach
		 * the peer during a later phase's exact count.
		 */
		if (d->k->flags & K_WG) {
			info("%s: %s: injection points not tried (packets staged for the "
			     "handshake arrive during later counts)", ns->label, d->k->label);
			continue;
		}
		ns->qdisc = qd->name;
		/*
		 * The qdisc checks first: IP's neighbour resolution and what
		 * the stack answers an RX packet may go through it later.
		 */
		for (int pass = 0; pass < 2; pass++) {
			int first = pass ? PKTCRAFT_INJECT_IP : PKTCRAFT_INJECT_QUEUE;
			int last = pass ? PKTCRAFT_INJECT_RX : PKTCRAFT_INJECT_DRIVER;

			op_inject(ns, d, 0, first, last);
			if (!(d->k->flags & K_NO6))
				op_inject(ns, d, 1, first, last);
		}
		if (!strcmp(d->k->label, "macvlan"))
			op_inject_lower(ns, d);
	}
	info("%s: qdisc phase %s took %.1f s", ns->label, qd->name, (now_ns() - t) / 1e9);
}

/*
 * A device event (set down, delete, move to @nsfd) from a child process, so
 * that a request the kernel never finishes (unregister_netdevice() waiting
 * for a reference someone leaked) is reported instead of hanging the run.
 * @t0/@t1: CLOCK_MONOTONIC around the request; @tn: when the kernel
 * announced the device down or gone (the first RTM_NEWLINK without IFF_UP or
 * RTM_DELLINK for it on @mon, a RTNLGRP_LINK listener), 0 if none came: the
 * moment the event happened, without the time the request spent waiting for
 * the RTNL lock or in synchronize_net() first; @tr: when an RTNL request made
 * right after the announcement was answered, i.e. when the event's work under
 * the RTNL lock was over (0 if none). Returns 0, -errno, or
 * -ETIMEDOUT (still blocked after @ms: the namespace is wedged).
 */
enum ev { EV_DOWN, EV_DEL, EV_MOVE };

static int gone_note(int mon, int ifindex)
{
	static char buf[65536];
	ssize_t len;
	int seen = 0;

	while ((len = recv(mon, buf, sizeof(buf), MSG_DONTWAIT)) > 0 || (len < 0 && errno == ENOBUFS)) {
		struct nlmsghdr *h;

		if (len < 0)
			continue;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len); h = NLMSG_NEXT(h, len)) {
			struct ifinfomsg *ifi = NLMSG_DATA(h);

			if ((h->nlmsg_type == RTM_DELLINK ||
			     (h->nlmsg_type == RTM_NEWLINK && !(ifi->ifi_flags & IFF_UP))) &&
			    ifi->ifi_index == ifindex)
				seen = 1;
		}
	}
	return seen;
}

static int dev_event(struct ns *ns, enum ev ev, int ifindex, uint64_t *t0, uint64_t *t1,
		     uint64_t *tn, uint64_t *tr, unsigned ms)
{
	struct shared { uint64_t t0, t1; int err; } *sh;
	uint64_t end = now_ns() + ms * MS;
	pid_t pid;
	int st, rc = -ETIMEDOUT, nsfd = ns->peer_ns;

	*tn = *tr = 0;
	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return -errno;
	memset(sh, 0, sizeof(*sh));
	gone_note(ns->mon, 0);	/* drain */
	fflush(stdout);
	pid = fork();
	if (!pid) {
		int nl = nl_open();

		sh->t0 = now_ns();
		switch (ev) {
		case EV_DOWN:
			sh->err = link_set_up(nl, ifindex, 0);
			break;
		case EV_DEL:
			sh->err = link_del(nl, ifindex);
			break;
		case EV_MOVE:
			sh->err = link_newlink(nl, ifindex, 0, 0, nsfd, 0);
			break;
		}
		sh->t1 = now_ns();
		_exit(0);
	}
	while (pid > 0 && now_ns() < end) {
		struct pollfd p = { ns->mon, POLLIN, 0 };

		if (!*tn && poll(&p, 1, 1) > 0 && gone_note(ns->mon, ifindex)) {
			struct linkinfo li;

			*tn = now_ns();
			/* RTM_GETLINK takes the RTNL lock: its answer comes once
			 * the event's own work under the lock is over. */
			link_get(ns->nl, 1, NULL, &li);
			*tr = now_ns();
		}
		if (waitpid(pid, &st, WNOHANG) == pid) {
			rc = sh->err;
			break;
		}
		if (*tn)
			usleep(200);
	}
	if (!*tn && gone_note(ns->mon, ifindex))
		*tn = *tr = now_ns();
	*t0 = sh->t0;
	*t1 = sh->t1 ? sh->t1 : now_ns();
	if (rc == -ETIMEDOUT) {
		wedged = 1;
		printf("INFO: matrix: a device event (rtnetlink) is still blocked after %u ms: the "
		       "kernel waits for a device reference (see \"unregister_netdevice: waiting for\" "
		       "in the kernel log); no more rtnetlink from here on\n", ms);
	}
	munmap(sh, 4096);
	return rc;
}

/* ------------------------------------------------------- memory phase */

static long json_num(const char *s, const char *key)
{
	char k[64];
	const char *p;

	snprintf(k, sizeof(k), "\"%s\": ", key);
	p = strstr(s, k);
	return p ? strtol(p + strlen(k), NULL, 10) : -1;
}

static const char *g_cgroup;	/* run_cli_burst() puts the CLI there */

/*
 * pktcraft send ... --count N --json, then SIGINT once the burst runs (the
 * qdisc of @d sees packets) and either @run_ms passed or (@run_ms 0) the
 * queue stopped growing: what `timeout -s INT` does, but from the moment the
 * burst runs (an exec of the CLI alone takes seconds under KASAN and TCG).
 * SIGKILL 20 s after SIGINT if it is still there. Returns the exit status
 * (WIFEXITED only; -1 if a signal killed it), its output, how long it ran
 * and how long it took to exit after SIGINT.
 */
static int run_cli_burst(struct ns *ns, const struct inst *d, unsigned run_ms, unsigned count,
			 int vary, const char *payload_file, char *out, size_t outlen, double *took,
			 double *int_ms)
{
	char cnt[16], mac[18], procs[128];
	const char *argv[48];
	int a = 0, rc, o[2], st, running = 0, stable = 0, exited = 0;
	uint64_t t0, t_run = 0, t_int, end;
	unsigned last = ~0U, base;
	pid_t pid;
	size_t got = 0;

	snprintf(cnt, sizeof(cnt), "%u", count);
	snprintf(mac, sizeof(mac), "%s", mac_str(d->dmac));
	argv[a++] = opt.cli;
	argv[a++] = "send";
	argv[a++] = "--no-replies";
	argv[a++] = "--dev";
	argv[a++] = d->name;
	argv[a++] = "--dst-mac";
	argv[a++] = mac;
	argv[a++] = "--src";
	argv[a++] = SRC;
	argv[a++] = "--dst";
	argv[a++] = d->k->dst ? d->k->dst : DST;
	argv[a++] = "--udp";
	argv[a++] = "--sport";
	argv[a++] = "5555";
	argv[a++] = "--dport";
	argv[a++] = "7000";
	if (payload_file) {
		argv[a++] = "--data-file";
		argv[a++] = payload_file;
	} else {
		argv[a++] = "--data-hex";
		argv[a++] = PAYLOAD_HEX;
	}
	argv[a++] = "--count";
	argv[a++] = cnt;
	if (vary) {
		argv[a++] = "--vary";
		argv[a++] = "sport=inc:1024-65535";
	}
	argv[a++] = "--json";
	argv[a] = NULL;

	if (pipe2(o, O_CLOEXEC))
		return -1;
	fcntl(o[0], F_SETFL, O_NONBLOCK);
	{
		struct qstats q;

		base = !qdisc_get(ns->nl, d->ifindex, &q) && q.found ? q.packets + q.drops : 0;
	}
	fflush(stdout);
	t0 = now_ns();
	pid = fork();
	if (!pid) {
		sigset_t all;

		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		if (g_cgroup) {
			snprintf(procs, sizeof(procs), "%s/cgroup.procs", g_cgroup);
			if (write_file(procs, "0"))
				fprintf(stderr, "cannot join %s: %s\n", g_cgroup, strerror(errno));
		}
		dup2(o[1], 1);
		dup2(o[1], 2);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(o[1]);
	/* Running: the qdisc moved. Then run_ms, or until the queue is still. */
	end = now_ns() + 60000 * MS;
	while (now_ns() < end) {
		struct qstats q;

		if (waitpid(pid, &st, WNOHANG) == pid) {
			exited = 1;
			break;
		}
		sleep_ms(20);
		if (qdisc_get(ns->nl, d->ifindex, &q) || !q.found)
			continue;
		if (!running && (q.qlen || q.drops + q.packets != base)) {
			running = 1;
			t_run = now_ns();
		}
		if (!running)
			continue;
		if (run_ms && now_ns() - t_run >= run_ms * MS)
			break;
		if (!run_ms) {
			stable = q.qlen == last ? stable + 1 : 0;
			last = q.qlen;
			if (stable >= 25 || now_ns() - t_run > 10000 * MS)
				break;
		}
	}
	t_int = now_ns();
	if (!exited) {
		kill(pid, SIGINT);
		end = now_ns() + 20000 * MS;
		while (now_ns() < end && waitpid(pid, &st, WNOHANG) != pid)
			sleep_ms(5);
		if (now_ns() >= end) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
		}
	}
	*int_ms = exited ? -1 : (now_ns() - t_int) / 1e6;
	for (;;) {
		char tmp[4096];
		ssize_t n = read(o[0], tmp, sizeof(tmp));

		if (n <= 0)
			break;
		if (got + 1 < outlen) {
			size_t c = (size_t)n < outlen - 1 - got ? (size_t)n : outlen - 1 - got;

			memcpy(out + got, tmp, c);
			got += c;
		}
	}
	out[got] = 0;
	close(o[0]);
	*took = (now_ns() - t0) / 1e9;
	rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return rc;
}

static char tc_err[1024];	/* tc_cmd()'s output */

static int tc_cmd(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int tc_cmd(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	strcat(line, "\n");
	return tc_batch(-1, line, tc_err, sizeof(tc_err));
}

/* skbs the send buffer can hold at most: each costs >= SKB_TRUESIZE(1). */
static long sndbuf_bound(void)
{
	long wmem = read_long("/proc/sys/net/core/wmem_default", 212992);

	return wmem / 576 + 2;
}

struct burst_thread {
	int fd;
	struct pktcraft_req req;
	int rc;
	uint64_t t_call, t_ret;
	volatile int done;
	pthread_t th;
	struct sleeper sl;	/* begun just before the SEND */
};

/*
 * How long after the kernel was done with a device event the woken bursts
 * ended. A figure, not a check: the guest's clock runs on under TCG while
 * the host does not run it, so on a loaded host a wake-up can take longer
 * than any bound that is tight enough to say anything. The checks are that
 * the burst slept once and came back before its timer could have woken it.
 */
static double ev_lat[4 * 3 * NKINDS];
static int ev_nlat;

static void ev_lat_add(double ms)
{
	if (ev_nlat < (int)ARRAY_SIZE(ev_lat))
		ev_lat[ev_nlat++] = ms;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void ev_lat_report(const char *label)
{
	int over = 0;

	if (!ev_nlat)
		return;
	qsort(ev_lat, ev_nlat, sizeof(ev_lat[0]), cmp_double);
	for (int i = 0; i < ev_nlat; i++)
		over += ev_lat[i] > 100.0;
	info("%s: device events: %d bursts ended after the kernel was done with the event: median "
	     "%.1f ms, 90th percentile %.1f ms, max %.1f ms; %d over 100 ms", label, ev_nlat,
	     ev_lat[ev_nlat / 2], ev_lat[ev_nlat * 9 / 10], ev_lat[ev_nlat - 1], over);
	ev_nlat = 0;
}

static void *burst_main(void *arg)
{
	struct burst_thread *b = arg;
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	sleeper_begin(&b->sl);
	b->t_call = now_ns();
	b->rc = do_send(b->fd, &b->req);
	b->t_ret = now_ns();
	__atomic_store_n(&b->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static int wait_done(struct burst_thread *b, unsigned ms)
{
	uint64_t end = now_ns() + ms * MS;

	while (!__atomic_load_n(&b->done, __ATOMIC_ACQUIRE)) {
		if (now_ns() > end)
			return -1;
		usleep(200);
	}
	return 0;
}

/*
 * netem delay 100s (tc's longest is ~200 s): netem orphans what it delays (skb_orphan_partial), so
 * the queue is bounded by its limit, not by the send buffer: the burst goes
 * on with drops until SIGINT. The skbs stay charged to the sender's memory
 * cgroup (init namespace: a cgroup of its own) until the qdisc goes.
 */
static void mem_netem_delay(struct ns *ns, struct inst *d)
{
	struct chk c = { "", 0 }, m = { "", 0 };
	struct qstats q0, q1;
	char out[8192], cg[] = "/sys/fs/cgroup/mx-matrix", pf[128], big[1401];
	long sent, dropped;
	long long cur1 = -1, cur2 = -1;
	double took, int_ms;
	int rc, memcg = 0;

	if (tc_cmd("qdisc replace dev %s root netem delay 100s limit 1000", d->name)) {
		need(&c, 0, "tc qdisc replace ... netem delay 100s limit 1000 failed: %s", tc_err);
		report(&c, who(ns, d, "netem"), "netem delay 100s");
		return;
	}
	if (!ns->userns) {
		if (access("/sys/fs/cgroup/cgroup.controllers", F_OK))
			mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL);
		write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
		mkdir(cg, 0755);
		memcg = !access("/sys/fs/cgroup/mx-matrix/memory.current", F_OK);
		if (memcg)
			g_cgroup = cg;
		else
			info("%s: no memory cgroup (cgroup2 with +memory): the charge is not checked",
			     ns->label);
	}
	qdisc_get(ns->nl, d->ifindex, &q0);
	/* 1400-byte payloads: each queued packet's data is well above what
	 * the memory cgroup's per-CPU charge batching can hide. */
	snprintf(pf, sizeof(pf), "%s/payload1400", opt.tmp);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	write_file(pf, big);
	rc = run_cli_burst(ns, d, 2000, 1000000, 1, pf, out, sizeof(out), &took, &int_ms);
	g_cgroup = NULL;
	qdisc_get(ns->nl, d->ifindex, &q1);
	sent = json_num(out, "sent");
	dropped = json_num(out, "dropped");
	need(&c, rc == 130, "exit status %d (130: SIGINT ended it; -1: killed by a signal (SIGINT "
	     "before its handler, or the SIGKILL 20 s later); 0: not stopped): %.300s", rc, out);
	need(&c, strstr(out, "\"interrupted\": true") != NULL, "not reported as interrupted");
	need(&c, sent > 0 && sent + (dropped > 0 ? dropped : 0) < 1000000,
	     "sent %ld dropped %ld of 1000000",
	     sent, dropped);
	need(&c, q1.qlen == (unsigned long)sent && q1.qlen <= 1000,
	     "netem holds %u packets, pktcraft sent %ld (limit 1000)", q1.qlen, sent);
	need(&c, (long)(q1.drops - q0.drops) == dropped, "netem dropped %u, pktcraft says %ld",
	     q1.drops - q0.drops, dropped);
	info("%s: %s: netem delay 100s: CLI ran %.2f s, exited %.1f ms after SIGINT; sent %ld, "
	     "dropped %ld, netem qlen %u backlog %u", ns->label, d->k->label, took, int_ms, sent,
	     dropped, q1.qlen, q1.backlog);
	report(&c, who(ns, d, "netem"), "netem delay 100s limit 1000, pktcraft send --count 1000000 "
	       "--vary sport (1400-byte payloads), SIGINT after 2 s: the queue stays within the limit (excess counted as "
	       "dropped), SIGINT ends the burst with its partial count");
	if (memcg) {
		cur1 = read_long("/sys/fs/cgroup/mx-matrix/memory.current", -1);
	}
	tc_cmd("qdisc del dev %s root", d->name);
	if (memcg) {
		sleep_ms(200);
		cur2 = read_long("/sys/fs/cgroup/mx-matrix/memory.current", -1);
		need(&m, sent > 0 && cur1 - cur2 >= sent * 1400,
		     "memory.current %lld -> %lld after the qdisc was deleted: %lld bytes for %ld "
		     "queued packets (want at least their 1400-byte payloads)", cur1, cur2,
		     cur1 - cur2, sent);
		info("%s: memcg: memory.current %lld with the queue, %lld after tc qdisc del", ns->label,
		     cur1, cur2);
		report(&m, who(ns, d, "netem"), "the queued packets were charged to the sender's memory "
		       "cgroup (at least their payloads), and released when the qdisc was deleted");
		rmdir(cg);
	}
}

/*
 * netem slot 1h: nothing leaves, and nothing is orphaned, so every queued
 * skb stays charged to the file's send buffer: the burst must block at about
 * wmem_default bytes of skbs, and SIGINT end it with the partial count.
 */
static void mem_netem_slot(struct ns *ns, struct inst *d)
{
	struct chk c = { "", 0 };
	struct qstats q1;
	char out[8192];
	long sent, dropped, bound = sndbuf_bound();
	double took, int_ms;
	int rc;

	if (tc_cmd("qdisc replace dev %s root netem slot 3600s 3600s limit 100000", d->name)) {
		need(&c, 0, "tc qdisc replace ... netem slot 3600s 3600s limit 100000 failed: %s",
		     tc_err);
		report(&c, who(ns, d, "netem"), "netem slot 1h");
		return;
	}
	rc = run_cli_burst(ns, d, 0, 1000000, 0, NULL, out, sizeof(out), &took, &int_ms);
	qdisc_get(ns->nl, d->ifindex, &q1);
	sent = json_num(out, "sent");
	dropped = json_num(out, "dropped");
	need(&c, rc == 130, "exit status %d (130: SIGINT ended it; -1: killed by a signal (SIGINT "
	     "before its handler, or the SIGKILL 20 s later); 0: not stopped): %.300s", rc, out);
	need(&c, strstr(out, "\"interrupted\": true") != NULL, "not reported as interrupted");
	need(&c, sent > 0 && sent < 1000000 && dropped == 0, "sent %ld dropped %ld of 1000000", sent,
	     dropped);
	need(&c, q1.qlen == (unsigned long)sent, "netem holds %u packets, pktcraft sent %ld", q1.qlen,
	     sent);
	need(&c, q1.qlen <= bound, "%u packets queued: more than the send buffer can hold (%ld = "
	     "wmem_default / 576 + 2)", q1.qlen, bound);
	info("%s: %s: netem slot 1h: CLI ran %.2f s, exited %.1f ms after SIGINT; sent %ld, netem "
	     "qlen %u backlog %u bytes (bound %ld)", ns->label, d->k->label, took, int_ms, sent,
	     q1.qlen, q1.backlog, bound);
	report(&c, who(ns, d, "netem"), "netem slot 1h (skbs stay charged), pktcraft send --count "
	       "1000000: the burst blocks at the send buffer; SIGINT once the queue stopped growing "
	       "ends it with its partial count");
	tc_cmd("qdisc del dev %s root", d->name);
}

/*
 * A burst blocked at the send buffer (mxhold, netem slot 1h: every packet
 * held and charged) and its device deleted; and before that a second
 * burst on the same file, on mxmem (a plain dummy), blocked at the buffer
 * the first one filled, and mxmem deleted. Deleting mxhold frees what its
 * netem holds, and the frees wake the first burst too; deleting mxmem frees
 * nothing of the file's, so only the device's notifier can wake the second.
 */
static void mem_blocked_delete(struct ns *ns)
{
	struct chk c = { "", 0 }, c2 = { "", 0 };
	struct inst d = { .k = &kinds[0], .name = "mxhold", .tunfd = -1, .cap = -1, .bql = -1 };
	struct inst d2 = { .k = &kinds[0], .name = "mxmem", .tunfd = -1, .cap = -1, .bql = -1 };
	struct burst_thread b = { .fd = -1 }, b2 = { .fd = -1 };
	struct qstats q;
	char e[2048];
	unsigned last = 0, stable = 0;
	uint64_t t0, t1, tn, tr, ref, end;
	uint64_t u0 = 0, u1 = 0, un = 0, ur = 0, uref = 0;
	long bound = sndbuf_bound(), sleeps2 = -1;
	int nlerr, nlerr2 = -1;

	if (ip_batch(-1, "link add mxhold group 77 type dummy\nlink set mxhold up\n"
		     "link add mxmem group 77 type dummy\nlink set mxmem up\n", e, sizeof(e)) ||
	    tc_cmd("qdisc replace dev mxhold root netem slot 3600s 3600s limit 100000")) {
		need(&c, 0, "could not make mxhold with netem slot and mxmem: %s %s", e, tc_err);
		report(&c, who(ns, &d, "netem"), "device deleted while blocked at the send buffer");
		return;
	}
	d.ifindex = if_nametoindex("mxhold");
	d2.ifindex = if_nametoindex("mxmem");
	parse_mac(DMAC, d.dmac);
	parse_mac(DMAC, d2.dmac);
	b.fd = open(PKTCRAFT_DEVICE, O_RDWR | O_CLOEXEC);
	mkreq(&b.req, &d, next_id++, 100000);
	vary_sport(&b.req, 65535 - SPORT + 1);
	pthread_create(&b.th, NULL, burst_main, &b);
	/* Blocked: the queue stopped growing for 300 ms while the burst
	 * slept (at most 30 s: only a burst that never blocks waits that long). */
	end = now_ns() + 30000 * MS;
	while (now_ns() < end && !b.done) {
		sleep_ms(50);
		qdisc_get(ns->nl, d.ifindex, &q);
		/* asleep (a starved thread looks blocked too) and not queueing */
		if (q.qlen && q.qlen == last && sleeper_sleeps(&b.sl) >= 1) {
			if (++stable >= 6)
				break;
		} else {
			stable = 0;
		}
		last = q.qlen;
	}

	/* The second burst: copies (the ring is not charged), same file. */
	b2.fd = b.fd;
	mkreq(&b2.req, &d2, next_id++, 100000);
	vary_sport(&b2.req, 65535 - SPORT + 1);
	b2.req.burst_flags |= PKTCRAFT_BURST_F_COPY;
	pthread_create(&b2.th, NULL, burst_main, &b2);
	sleeper_wait(&b2.sl, 0, 5000, 200);
	if (!b2.done) {
		sleeps2 = sleeper_sleeps(&b2.sl);
		nlerr2 = dev_event(ns, EV_DEL, d2.ifindex, &u0, &u1, &un, &ur, 15000);
		uref = un ? (ur > un ? ur : un) : u1;
	}
	wait_done(&b2, 20000);	/* only the notifier can end it: only a failing run waits */
	need(&c2, nlerr2 == 0, "RTM_DELLINK of mxmem: %s", ename(nlerr2));
	need(&c2, sleeps2 == 1, "the second burst slept %ld times before the deletion (want once: "
	     "blocked, until the device's notifier wakes it)", sleeps2);
	need(&c2, b2.done, "the second burst still runs 20 s after its device was deleted");
	if (b2.done)
		need(&c2, b2.rc == -ENODEV || (b2.rc >= 0 && b2.rc < 100000 &&
					       b2.req.result_err == -ENODEV),
		     "returned %s, sent %u, result_err %s: want -ENODEV", rcs(b2.rc), b2.req.sent,
		     ename(b2.req.result_err));
	if (b2.done && uref)
		ev_lat_add((int64_t)(b2.t_ret - uref) / 1e6);
	report(&c2, who(ns, &d2, "noqueue"), "a second burst on the same file, blocked at the send "
	       "buffer the first filled, its own device deleted (nothing of the file's freed: only "
	       "the notifier can wake it): asleep once, it ends with -ENODEV (%.1f ms after the "
	       "kernel was done)", b2.done && uref ? (int64_t)(b2.t_ret - uref) / 1e6 : -1.0);
	if (b2.done)
		pthread_join(b2.th, NULL);
	else
		pthread_detach(b2.th);

	nlerr = dev_event(ns, EV_DEL, d.ifindex, &t0, &t1, &tn, &tr, 15000);
	/* netem holds every packet for an hour: only the deletion (its reset
	 * frees them) ends it, and a long wait costs only a failing run */
	wait_done(&b, 20000);
	ref = tn ? (tr > tn ? tr : tn) : t1;
	need(&c, stable >= 6, "the burst did not block (queue %u after %s)", last,
	     b.done ? "the burst ended" : "30 s");
	need(&c, last <= bound, "%u packets queued, more than the send buffer holds (%ld)", last, bound);
	need(&c, nlerr == 0, "RTM_DELLINK: %s", ename(nlerr));
	need(&c, b.done, "the burst still runs 20 s after the device was deleted");
	if (b.done) {
		need(&c, b.rc > 0 && b.req.sent == (unsigned)b.rc && b.rc < 100000,
		     "returned %s, sent %u", rcs(b.rc), b.req.sent);
		need(&c, b.req.result_err == -ENODEV, "result_err %s, want -ENODEV",
		     ename(b.req.result_err));
		ev_lat_add((int64_t)(b.t_ret - ref) / 1e6);
	}
	report(&c, who(ns, &d, "netem"), "blocked at the send buffer (netem slot 1h, %u queued), "
	       "device deleted: the burst ends with its partial count and -ENODEV (%.1f ms after "
	       "the kernel was done%s; %.1f ms after its announcement, %.1f ms after the request, "
	       "which took %.1f ms)", last,
	       b.done ? (int64_t)(b.t_ret - ref) / 1e6 : -1.0,
	       tn ? "" : " (no announcement seen: after the request returned)",
	       b.done && tn ? (int64_t)(b.t_ret - tn) / 1e6 : -1.0,
	       b.done ? (int64_t)(b.t_ret - t0) / 1e6 : -1.0, (t1 - t0) / 1e6);
	if (b.done) {
		pthread_join(b.th, NULL);
		if (b2.done)
			close(b.fd);
	} else {
		pthread_detach(b.th);
	}
}

static void phase_memory(struct ns *ns)
{
	uint64_t t = now_ns();

	if (selected(0) && ns->inst[0][0].ok)
		mem_netem_delay(ns, &ns->inst[0][0]);
	if (selected(1) && ns->inst[1][0].ok)
		mem_netem_slot(ns, &ns->inst[1][0]);
	mem_blocked_delete(ns);
	info("%s: memory phase took %.1f s", ns->label, (now_ns() - t) / 1e9);
}

/* ------------------------------------------------------- device events */

static const char *const ev_what[] = { "set down", "deleted", "moved to another namespace" };
static const int ev_err[] = { ENETDOWN, ENODEV, ENODEV };

struct evcase {
	struct inst *d;
	enum ev ev;
	char q[32];
	struct burst_thread b;
	uint64_t t0, t1, tn, tr;
	int nlerr, started;
	long sleeps;		/* the burst's sleeps before the event */
	uint64_t asleep_ns;	/* how long it had been asleep then */
	int after_up;		/* EV_DOWN: a single send once up again */
};

#define GAP_NS 10000000000ULL	/* PKTCRAFT_MAX_GAP_NS: the longest pacing gap */

static void ev_start(struct evcase *e)
{
	e->b.fd = open(PKTCRAFT_DEVICE, O_RDWR | O_CLOEXEC);
	mkreq(&e->b.req, e->d, next_id++, 1000);
	e->b.req.gap_ns = GAP_NS;
	e->b.done = 0;
	e->started = !pthread_create(&e->b.th, NULL, burst_main, &e->b);
}

static void ev_fire(struct ns *ns, struct evcase *e)
{
	if (wedged) {
		e->nlerr = -ETIMEDOUT;
		return;
	}
	e->sleeps = sleeper_sleeps(&e->b.sl);
	e->nlerr = dev_event(ns, e->ev, e->d->ifindex, &e->t0, &e->t1, &e->tn, &e->tr, 15000);
	wait_done(&e->b, 2000);
}

static void ev_judge(struct ns *ns, struct evcase *e)
{
	struct chk c = { "", 0 };
	struct burst_thread *b = &e->b;
	int want = ev_err[e->ev];
	uint64_t ref = e->tn ? (e->tr > e->tn ? e->tr : e->tn) : e->t1;
	char figs[200] = "never ended";
	double ms;

	/* A burst the event did not end runs on to its next packet (10 s):
	 * give it that long, then leave it (the process's exit ends it). */
	if (e->started && !wait_done(b, 12000))
		pthread_join(b->th, NULL);
	else if (e->started)
		pthread_detach(b->th);
	ms = (int64_t)(b->t_ret - ref) / 1e6;
	if (b->done)
		snprintf(figs, sizeof(figs), "slept %ld before it; %.1f ms after the kernel was "
			 "done%s; %.1f ms after its announcement, %.1f ms after the request, which took "
			 "%.1f ms", e->sleeps, ms,
			 e->tn ? "" : " (no announcement seen: after the request returned)",
			 e->tn ? (int64_t)(b->t_ret - e->tn) / 1e6 : -1.0,
			 (int64_t)(b->t_ret - e->t0) / 1e6, (e->t1 - e->t0) / 1e6);
	need(&c, e->started && b->fd >= 0, "could not start the burst");
	need(&c, e->nlerr == 0, "the rtnetlink request failed: %s", ename(e->nlerr));
	need(&c, b->done, "the burst was still running 12 s after the event (nothing ended it)");
	if (b->done) {
		need(&c, b->rc == 1 && b->req.sent == 1,
		     "returned %s, sent %u: want the partial count 1 (packet 0 before the gap)",
		     rcs(b->rc), b->req.sent);
		need(&c, b->req.result_err == -want, "result_err %s, want -%s",
		     ename(b->req.result_err), ename(want));
		/* the packet the event stopped, as when it comes between two */
		need(&c, b->req.dropped == 1, "dropped %u, want 1 (the packet due after the gap)",
		     b->req.dropped);
		/* An hrtimer never fires early: back before the next packet
		 * was due, something woke it, and only the event could. */
		need(&c, b->t_ret < b->t_call + GAP_NS,
		     "returned %.1f s after its SEND began: it slept on to its next packet",
		     (int64_t)(b->t_ret - b->t_call) / 1e9);
		ev_lat_add(ms);
	}
	need(&c, e->sleeps == 1, "the burst slept %ld times in the %.1f s before the event: it sleeps "
	     "once, until its timer or the device's notifier wakes it; more is polling", e->sleeps,
	     e->asleep_ns / 1e9);
	if (e->ev == EV_DOWN)
		need(&c, e->after_up == 1, "set up again, a single send: %s", rcs(e->after_up));
	report(&c, who(ns, e->d, e->q), "%s %.1f s into a 10 s pacing gap: the burst, asleep once, "
	       "is woken and ends with its partial count and -%s (%s)%s", ev_what[e->ev],
	       e->asleep_ns / 1e9, ename(want), figs, e->ev == EV_DOWN ? "; up again it sends" : "");
	if (b->fd >= 0 && b->done)
		close(b->fd);
}

/*
 * Until the burst has slept in its first gap for @ms (not a fixed time from
 * its start: on a starved vCPU packet 0 can leave later than any; at most
 * 5 s for the first sleep: a burst that never sleeps fails in ev_judge()).
 * A module that polled the device every P ms would by then have woken
 * @ms / P times more.
 */
static void ev_wait_asleep(struct evcase *e, unsigned int ms)
{
	e->asleep_ns = (uint64_t)(sleeper_wait(&e->b.sl, 0, 5000, ms) * MS);
}

/*
 * One case after another: each burst starts once the previous case is
 * judged, so its event comes 0.2 s into its 10 s gap however long the
 * previous one took (an e1000 waiting for its carrier, a slow event). The
 * first case of a namespace waits 6 s instead: one sleep in 6 s rules out
 * any polling period under 6 s, which 0.2 s alone would not (the device's
 * event leaves 4 s before the next packet).
 */
static void ev_run(struct ns *ns, struct evcase *cs, int n)
{
	for (int i = 0; i < n && !wedged; i++) {
		struct evcase *e = &cs[i];

		snprintf(e->q, sizeof(e->q), "%s", qdisc_kind(ns, e->d));
		ev_start(e);
		ev_wait_asleep(e, i ? 200 : 6000);
		ev_fire(ns, e);
		if (e->ev == EV_DOWN && !wedged) {
			/* Up again, and one packet. */
			struct pktcraft_req r;

			link_set_up(ns->nl, e->d->ifindex, 1);
			if (e->d->k->flags & K_E1000)
				wait_carrier(ns, e->d->ifindex, 10000);
			else if (e->d->k->flags & K_LISTEN)
				sleep_ms(50);
			mkreq(&r, e->d, next_id++, 1);
			e->after_up = do_send(g_fd, &r);
		}
		ev_judge(ns, e);
	}
}

/* e1000: eth0 moved mid-burst; in the initial namespace moved back after. */
static void ev_e1000_move(struct ns *ns, struct inst *d)
{
	struct evcase e = { .d = d, .ev = EV_MOVE };
	char err[2048];

	snprintf(e.q, sizeof(e.q), "%s", qdisc_kind(ns, d));
	ev_start(&e);
	ev_wait_asleep(&e, 200);
	ev_fire(ns, &e);
	ev_judge(ns, &e);
	if (!ns->userns) {
		struct linkinfo li;
		int rc = -1;

		if (!link_get(ns->peer_nl, 0, "eth0", &li) && li.found)
			rc = link_newlink(ns->peer_nl, li.ifindex, 0, 0, ns->self_ns, 0);
		d->ifindex = if_nametoindex("eth0");
		if (rc || !d->ifindex ||
		    ip_batch(-1, "link set eth0 up\naddr add 10.1.0.2/24 dev eth0\n"
			     "neigh replace 10.1.0.1 lladdr 52:54:00:00:00:01 nud permanent dev eth0\n"
			     "route replace default via 10.1.0.1 dev eth0\n", err, sizeof(err)) ||
		    wait_carrier(ns, d->ifindex, 10000))
			info("%s: eth0 could not be moved back and set up: %s", ns->label, ename(rc));
	}
}

static void phase_events(struct ns *ns)
{
	static struct evcase cs[3 * NKINDS];
	char err[16384] = "";
	struct chk c = { "", 0 };
	struct inst *e1000 = NULL;
	int n = 0;
	uint64_t t = now_ns();

	/* The twins: instance 1 gets deleted, instance 2 moved. */
	need(&c, !create(ns, 1, 2, err, sizeof(err)), "%s", err);
	report(&c, ns->label, "events: the devices to delete and move (instances 1 and 2 of each kind)");
	memset(cs, 0, sizeof(cs));
	for (size_t k = 0; k < NKINDS; k++) {
		const struct kind *K = &kinds[k];

		if (!selected(k) || K->frame == REFUSED)
			continue;
		if (ns->inst[k][0].ok)
			cs[n++] = (struct evcase){ .d = &ns->inst[k][0], .ev = EV_DOWN };
		if (K->flags & K_E1000)
			e1000 = &ns->inst[k][0];
		if ((K->flags & (K_ONE | K_EXIST)))
			continue;
		if (ns->inst[k][1].ok)
			cs[n++] = (struct evcase){ .d = &ns->inst[k][1], .ev = EV_DEL };
		if (!(K->flags & K_NOMOVE) && ns->inst[k][2].ok)
			cs[n++] = (struct evcase){ .d = &ns->inst[k][2], .ev = EV_MOVE };
	}
	for (size_t k = 0; k < NKINDS; k++)
		if (selected(k) && (kinds[k].flags & K_NOMOVE) && kinds[k].frame != REFUSED)
			info("%s: %s: not moved: the kernel keeps it in its namespace "
			     "(NETIF_F_NETNS_LOCAL)", ns->label, kinds[k].label);
	/* Groups whose events all fall well inside the first 10 s gap. */
	ev_run(ns, cs, n);
	if (e1000 && e1000->ok && !wedged)
		ev_e1000_move(ns, e1000);
	if (wedged) {
		struct chk w = { "", 0 };

		need(&w, 0, "a device event never finished (the kernel waits for a device reference); "
		     "the remaining cases and the teardown were skipped");
		report(&w, ns->label, "events: every rtnetlink request returns");
	}
	ev_lat_report(ns->label);
	info("%s: events phase took %.1f s", ns->label, (now_ns() - t) / 1e9);
}

/* ---------------------------------------------------------- namespaces */

static void ns_run(struct ns *ns)
{
	uint64_t t = now_ns();

	ns->listen_veth = ns->listen_wg = ns->wgp_tap = -1;
	ns->qdisc = "-";
	if (setup(ns))
		return;
	g_fd = open(PKTCRAFT_DEVICE, O_RDWR | O_CLOEXEC);
	if (g_fd < 0) {
		struct chk c = { "", 0 };

		need(&c, 0, "open %s: %s", PKTCRAFT_DEVICE, strerror(errno));
		report(&c, ns->label, "open /dev/pktcraft");
		teardown(ns);
		return;
	}
	if (opt.do_ops) {
		int first = 1;

		for (size_t q = 0; q < ARRAY_SIZE(qdiscs); q++) {
			if (!(opt.qmask & (1 << q)))
				continue;
			phase_qdisc(ns, &qdiscs[q], first);
			first = 0;
		}
	}
	if (opt.do_memory)
		phase_memory(ns);
	if (opt.do_events && !wedged)
		phase_events(ns);
	close(g_fd);
	g_fd = -1;
	teardown(ns);
	info("%s: namespace done in %.1f s", ns->label, (now_ns() - t) / 1e9);
}

/*
 * The guest runs everything chrooted into the host's root, and the kernel
 * refuses new user namespaces to chrooted processes: as root, step out to
 * the real root (the initramfs, with the host's root at /newroot), drop to
 * uid 65534, create the namespaces and chroot back in (enter_userns() of
 * tests/lib/ctest.h). Nothing pktcraft does depends on it.
 */
/*
 * The CLI where uid 65534 can run it: the tree may sit under a directory
 * only root may enter (a fresh machine's /root/project: exec failed with
 * EACCES there). The CLI links libpktcraft statically; the copy is all.
 */
static const char *cli_for_everyone(const char *cli)
{
	static const char path[] = "/tmp/mx-cli/pktcraft";
	char buf[65536];
	int in, out = -1, ok = 0;
	ssize_t n;

	mkdir("/tmp/mx-cli", 0755);
	in = open(cli, O_RDONLY | O_CLOEXEC);
	if (in >= 0)
		out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (out >= 0) {
		ok = 1;
		while ((n = read(in, buf, sizeof(buf))) > 0)
			ok &= write(out, buf, n) == n;
		ok &= n == 0 && !fchmod(out, 0755);
	}
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out))
		ok = 0;
	if (!ok) {
		printf("FAIL: matrix: userns: copying the CLI to %s for uid 65534: %s\n", path,
		       strerror(errno));
		return cli;
	}
	return path;
}

static void userns_run(void)
{
	int ready[2], go[2], st, rc;
	char c = 0;
	pid_t pid;
	struct chk k = { "", 0 };
	uint64_t t;
	int nl = nl_open();
	int eth0 = if_nametoindex("eth0");

	opt.cli = cli_for_everyone(opt.cli);
	/* The container's root is uid 65534 outside: the node must let it in
	 * (the module's own check is CAP_NET_RAW over the namespace). */
	chmod(PKTCRAFT_DEVICE, 0666);
	chmod("/dev/net/tun", 0666);
	if (pipe2(ready, O_CLOEXEC) || pipe2(go, O_CLOEXEC))
		return;
	fflush(stdout);
	pid = fork();
	if (!pid) {
		static struct ns uns;

		close(ready[0]);
		close(go[1]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		c = enter_userns(CLONE_NEWNET, 1) ? 'f' : 'r';
		if (c == 'f')
			printf("FAIL: matrix: userns: unshare(CLONE_NEWUSER|CLONE_NEWNET) as uid 65534: %s\n",
			       strerror(errno));
		if (write(ready[1], &c, 1) != 1 || c == 'f')
			_exit(1);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		/* Our own sysfs (the CLI reads device types there), as a container
		 * has. No IPv6 chatter on the test devices. */
		if (mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
			info("userns: mounting sysfs: %s", strerror(errno));
		if (ns_ipv6_off()) {
			printf("FAIL: matrix: userns: IPv6 off in its namespace: %s\n",
			       strerror(errno));
			fflush(stdout);
			_exit(1);
		}
		snprintf(opt.tmp, sizeof(opt.tmp), "/tmp/mx-userns");
		mkdir(opt.tmp, 0700);
		uns.label = "userns";
		uns.userns = 1;
		ns_run(&uns);
		fflush(stdout);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	if (read(ready[0], &c, 1) != 1 || c != 'r') {
		waitpid(pid, NULL, 0);
		failed++;
		return;
	}
	/* eth0 (e1000) into the container's namespace. */
	rc = eth0 ? link_newlink(nl, eth0, 0, 0, -1, pid) : -ENODEV;
	need(&k, rc == 0, "RTM_NEWLINK IFLA_NET_NS_PID: %s", ename(rc));
	report(&k, "userns", "setup: uid 65534 made a user+network namespace; eth0 moved into it");
	if (write(go[1], "g", 1) != 1)
		return;
	waitpid(pid, &st, 0);
	/* The namespaces die with the container: eth0 comes home. */
	memset(&k, 0, sizeof(k));
	t = now_ns();
	while (!if_nametoindex("eth0") && now_ns() - t < 30000 * MS)
		sleep_ms(50);
	need(&k, if_nametoindex("eth0") != 0, "eth0 did not come back within 30 s");
	need(&k, WIFEXITED(st) && WEXITSTATUS(st) == 0, "the container process ended with status %d", st);
	report(&k, "userns", "teardown: the namespaces went away, eth0 is back in the initial namespace "
	       "(%.1f s)", (now_ns() - t) / 1e9);
	close(nl);
}

/* --------------------------------------------------------------- main */

static void usage(void)
{
	fprintf(stderr, "usage: mx [--kinds K,..] [--qdiscs Q,..] [--ns init,userns] "
		"[--phases ops,memory,events] [--burst N] [--verbose 1|2]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *top = getenv("PKTCRAFT_TOP");
	static char cli[512];
	uint64_t t = now_ns();

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	opt.kinds_mask[0] = opt.kinds_mask[1] = ~0U;
	opt.qmask = ~0;
	opt.do_init = opt.do_userns = 1;
	opt.do_ops = opt.do_memory = opt.do_events = 1;
	opt.burst = 32;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char buf[512], *tok, *save;

		if (!v)
			usage();
		i++;
		snprintf(buf, sizeof(buf), "%s", v);
		if (!strcmp(a, "--kinds")) {
			opt.kinds_mask[0] = opt.kinds_mask[1] = 0;
			for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				size_t k;

				for (k = 0; k < NKINDS && strcmp(kinds[k].label, tok); k++)
					;
				if (k == NKINDS) {
					fprintf(stderr, "mx: unknown kind %s\n", tok);
					usage();
				}
				opt.kinds_mask[k / 32] |= 1U << (k % 32);
			}
		} else if (!strcmp(a, "--qdiscs")) {
			opt.qmask = 0;
			for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				size_t q;

				for (q = 0; q < ARRAY_SIZE(qdiscs) && strcmp(qdiscs[q].name, tok); q++)
					;
				if (q == ARRAY_SIZE(qdiscs))
					usage();
				opt.qmask |= 1 << q;
			}
		} else if (!strcmp(a, "--ns")) {
			opt.do_init = !!strstr(v, "init");
			opt.do_userns = !!strstr(v, "userns");
		} else if (!strcmp(a, "--phases")) {
			opt.do_ops = !!strstr(v, "ops");
			opt.do_memory = !!strstr(v, "memory");
			opt.do_events = !!strstr(v, "events");
		} else if (!strcmp(a, "--verbose")) {
			verbose = atoi(v);
		} else if (!strcmp(a, "--burst")) {
			opt.burst = atoi(v);
			if (opt.burst < 2 || opt.burst > 200)
				usage();
		} else {
			usage();
		}
	}
	snprintf(cli, sizeof(cli), "%s/userspace/pktcraft", top ? top : ".");
	opt.cli = cli;

	/* The stock kernel has tun as a module (the debug kernel: built in). */
	if (access("/dev/net/tun", F_OK)) {
		char *const mp[] = { "modprobe", "tun", NULL };
		char e[512];

		run(-1, NULL, e, sizeof(e), mp);
	}
	if (opt.do_init) {
		static struct ns ins;

		snprintf(opt.tmp, sizeof(opt.tmp), "/tmp/mx-init");
		mkdir(opt.tmp, 0700);
		ins.label = "init";
		ns_run(&ins);
	}
	if (opt.do_userns)
		userns_run();
	info("guest part done in %.1f s", (now_ns() - t) / 1e9);
	printf("MATRIX-GUEST-DONE\n");
	return 0;
}
