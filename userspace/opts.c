// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libpktcraft: the option table, and option sets applied to requests.
 *
 * Every option of a request is one row below: its names (pktcraft's own,
 * hping3's and nping's), the argument, the request field it sets with its
 * range and units, the layer 4 kinds it applies to, whether it can make the
 * packet malformed, and its help line. The CLI builds its getopt arrays and
 * --help from the rows, tests/cli checks the man page against them, and
 * the Python binding takes its keywords and validation from them. Adding
 * an option is a row (plus, for a plain number, nothing else).
 *
 * An option set collects options, each argument checked on its own, then
 * applies them at once: the layer 4 kind first, so that the order in which
 * options are given never matters, then the rest, then the checks that need
 * all of them (which kind each applies to, where varied fields start).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include "libpktcraft.h"
#include "internal.h"

/* What applying a row does. */
enum op {
	OP_STORE,	/* a number into the field (masked, shifted), + force */
	OP_BITS,	/* a flag: OR bits into the field ("0": clear them) */
	OP_TCPFLAG,	/* one TCP flag (hping3 -S ...): OR-ed after --flags */
	OP_KIND,	/* the layer 4 kind (bits); with an argument, ip_protocol */
	OP_DEV,		/* interface name */
	OP_ADDR,	/* dst (bits 0) or src (bits 1) */
	OP_MAC,
	OP_FLAGS,	/* --flags */
	OP_IPOPTS,
	OP_TCPOPTS,
	OP_DATA,	/* payload content: --data, --data-hex, --data-file */
	OP_DATALEN,	/* --data-length */
	OP_COUNT,
	OP_GAP,		/* pacing: the argument, or bits ns for a flag */
	OP_FLOOD,
	OP_VARY,
	OP_RANDSRC,
	OP_DEVICE,	/* applied by the front end with the open device */
	OP_FAMILY,	/* -4 / -6: bits AF_INET or AF_INET6 */
	OP_EXT,		/* an IPv6 extension header */
	OP_FATE,	/* --fate: fate_ms, unless --fate-wait gives it */
};

struct row {
	struct pktcraft_opt o;
	unsigned char op;
	unsigned short off;	/* offsetof(struct pktcraft_req, field) */
	unsigned char size;	/* sizeof the field */
	unsigned char shift;	/* OP_STORE: the field holds value >> shift */
	uint32_t bits;		/* OP_BITS/TCPFLAG/KIND/ADDR/GAP, OP_STORE: mask */
	uint32_t force;		/* PKTCRAFT_F_* made literal */
	const char *alt;	/* a one-family row: what the other family has instead */
};

#define FIELD(m) .off = offsetof(struct pktcraft_req, m), \
	.size = sizeof(((struct pktcraft_req *)0)->m)

#define ANY PKTCRAFT_OPT_L4_ANY
#define TCP PKTCRAFT_OPT_L4_TCP
#define UDP PKTCRAFT_OPT_L4_UDP
#define ICMP PKTCRAFT_OPT_L4_ICMP
#define RAW PKTCRAFT_OPT_L4_RAW
#define PORTS (TCP | UDP)
#define CSUMS (TCP | UDP | ICMP)
#define NV (-1)
#define V4 AF_INET
#define V6 AF_INET6

#define MALF PKTCRAFT_OPTF_MALFORMS
#define REP PKTCRAFT_OPTF_REPEAT
#define KIND PKTCRAFT_OPTF_KIND
#define IMPL PKTCRAFT_OPTF_IMPLIES
#define RANGE PKTCRAFT_OPTF_RANGE
#define BURST PKTCRAFT_OPTF_BURST
#define PAYL PKTCRAFT_OPTF_PAYLOAD
#define FORCE PKTCRAFT_OPTF_FORCES
#define HPING PKTCRAFT_OPTF_HPING
#define DEV PKTCRAFT_OPTF_DEVICE

#define T_NONE PKTCRAFT_OPT_T_NONE
#define T_UINT PKTCRAFT_OPT_T_UINT

static const char S_EGRESS[] = "Egress (default: route lookup in your network namespace, the neighbour's MAC)";
static const char S_ADDR[] = "Addresses (IPv6 when one is an IPv6 address, or with -6)";
static const char S_IP[] = "IPv4";
static const char S_IP6[] = "IPv6";
static const char S_L4[] = "Layer 4 (default TCP)";
static const char S_TCP[] = "TCP";
static const char S_UDP[] = "UDP";
static const char S_ICMP[] = "ICMP";
static const char S_DATA[] = "Payload (one of --data, --data-hex, --data-file; --data-length sizes it)";
static const char S_FATE[] = "Injection point and the packets' fate";
static const char S_BURST[] = "Bursts and pacing (one ioctl sends up to 1048576 packets; more are split)";

static const struct row rows[] = {
	/* ------------------------------------------------------- egress */
	{ .o = { .name = "dev", .aliases = "interface", .letters = "I", .arg = "IF",
		 .field = "ifindex", .type = PKTCRAFT_OPT_T_IFNAME, .l4 = ANY, .vary = NV,
		 .section = S_EGRESS, .help = "send on interface IF" },
	  .op = OP_DEV, FIELD(ifindex) },
	{ .o = { .name = "ifindex", .arg = "N", .field = "ifindex", .max = INT32_MAX,
		 .type = T_UINT, .l4 = ANY, .vary = NV, .section = S_EGRESS,
		 .help = "send on the interface with index N" },
	  .op = OP_STORE, FIELD(ifindex) },
	{ .o = { .name = "dst-mac", .aliases = "dest-mac", .arg = "MAC", .field = "dst_mac",
		 .type = PKTCRAFT_OPT_T_MAC, .l4 = ANY, .vary = NV, .section = S_EGRESS,
		 .help = "destination MAC (default: the resolved neighbour's)" },
	  .op = OP_MAC, FIELD(dst_mac) },
	{ .o = { .name = "src-mac", .aliases = "source-mac", .arg = "MAC", .field = "src_mac",
		 .type = PKTCRAFT_OPT_T_MAC, .l4 = ANY, .vary = NV, .section = S_EGRESS,
		 .help = "source MAC (default: the device's own)" },
	  .op = OP_MAC, FIELD(src_mac) },

	{ .o = { .name = "inject", .arg = "queue|driver|ip|rx", .field = "inject",
		 .max = PKTCRAFT_INJECT_MAX, .type = PKTCRAFT_OPT_T_CHOICE, .l4 = ANY, .vary = NV,
		 .section = S_FATE,
		 .help = "where the packet enters the kernel: queue (the default:\n"
			 "dev_queue_xmit, qdisc and taps), driver (the driver's transmit,\n"
			 "no qdisc, no taps), ip (as a local packet: route, netfilter OUTPUT,\n"
			 "neighbour; no --dst-mac/--src-mac), rx (as if received on the\n"
			 "device: PREROUTING, INPUT, local sockets; needs CAP_NET_ADMIN)" },
	  .op = OP_STORE, FIELD(inject) },
	{ .o = { .name = "fate", .field = "fate_ms", .type = T_NONE, .l4 = ANY, .vary = NV,
		 .section = S_FATE,
		 .help = "report each packet's end in the kernel: sent by a device,\n"
			 "delivered (consumed by the stack) or dropped, with the kernel's drop\n"
			 "reason and function; waits up to 1000 ms for it (--fate-wait)" },
	  .op = OP_FATE, .bits = 1000 },
	{ .o = { .name = "fate-wait", .arg = "MS", .field = "fate_ms", .min = 1,
		 .max = PKTCRAFT_MAX_FATE_MS, .units = "milliseconds", .type = T_UINT, .l4 = ANY,
		 .vary = NV, .section = S_FATE,
		 .help = "--fate, waiting up to MS milliseconds after the last packet" },
	  .op = OP_STORE, FIELD(fate_ms) },

	/* --------------------------------------------------------- IPv4 */
	{ .o = { .name = "dst", .aliases = "dest-ip", .arg = "A", .field = "ip_daddr, ip6_daddr",
		 .type = PKTCRAFT_OPT_T_ADDR, .l4 = ANY, .vary = NV, .section = S_ADDR,
		 .help = "destination: an IPv4 or IPv6 address, or a host name (required; or\n"
			 "the last argument); an IPv6 address makes the packet IPv6" },
	  .op = OP_ADDR, .bits = 0 },
	{ .o = { .name = "src", .aliases = "source-ip spoof", .letters = "a", .arg = "A",
		 .field = "ip_saddr, ip6_saddr", .type = PKTCRAFT_OPT_T_ADDR, .l4 = ANY,
		 .flags = RANGE | FORCE, .vary = PKTCRAFT_VARY_IP_SADDR, .section = S_ADDR,
		 .help = "source address or host name, literal even if 0.0.0.0 or :: (default:\n"
			 "the kernel's choice); A-B: a burst counting through the range (IPv6:\n"
			 "A and B differ only in their low 32 bits)" },
	  .op = OP_ADDR, .bits = 1, .force = PKTCRAFT_F_IP_SADDR },
	{ .o = { .name = "rand-source", .field = "vary", .type = T_NONE, .l4 = ANY,
		 .flags = BURST | HPING, .vary = NV, .section = S_ADDR,
		 .help = "a random source address per packet (--vary src=rand:0.0.0.0-255.255.255.255);\n"
			 "on IPv6 the low 32 bits of --src, which it needs" },
	  .op = OP_RANDSRC },
	{ .o = { .name = "ipv4", .letters = "4", .field = "family", .type = T_NONE, .l4 = ANY,
		 .vary = NV, .section = S_ADDR,
		 .help = "IPv4 (the default): host names are resolved as IPv4, an IPv6 address\n"
			 "is refused" },
	  .op = OP_FAMILY, .bits = AF_INET },
	{ .o = { .name = "ipv6", .letters = "6", .field = "family", .type = T_NONE, .l4 = ANY,
		 .vary = NV, .section = S_ADDR,
		 .help = "IPv6: host names are resolved as IPv6 (an IPv6 address needs no -6)" },
	  .op = OP_FAMILY, .bits = AF_INET6 },
	{ .o = { .name = "tos", .arg = "N", .field = "ip_tos", .max = 0xff, .type = T_UINT,
		 .l4 = ANY, .vary = NV, .section = S_IP,
		 .help = "type of service byte (DSCP/ECN), default 0 (on IPv6 the traffic class)" },
	  .op = OP_STORE, FIELD(ip_tos) },
	{ .o = { .name = "tos-hex", .letters = "o", .arg = "HEX", .field = "ip_tos", .max = 0xff,
		 .type = PKTCRAFT_OPT_T_HEX, .l4 = ANY, .flags = HPING, .vary = NV, .section = S_IP,
		 .help = "the same in hexadecimal, as hping3's -o (10 is 0x10)" },
	  .op = OP_STORE, FIELD(ip_tos) },
	{ .o = { .name = "ttl", .letters = "t", .arg = "N", .field = "ip_ttl", .max = 0xff,
		 .type = T_UINT, .l4 = ANY, .vary = NV, .section = S_IP,
		 .help = "time to live, default 64 (on IPv6 the hop limit)" },
	  .op = OP_STORE, FIELD(ip_ttl) },
	{ .o = { .name = "id", .letters = "N", .arg = "N", .field = "ip_id", .max = 0xffff,
		 .type = T_UINT, .l4 = ANY, .flags = RANGE | FORCE, .vary = PKTCRAFT_VARY_IP_ID,
		 .section = S_IP, .family = V4,
		 .help = "identification (default: the kernel's choice; 0 is literal)" },
	  .op = OP_STORE, FIELD(ip_id), .force = PKTCRAFT_F_IP_ID,
	  .alt = "IPv6 has an identification in a Fragment header: --ext frag=ID:OFFSET" },
	{ .o = { .name = "df", .aliases = "dontfrag", .letters = "y", .field = "ip_frag",
		 .type = T_NONE, .l4 = ANY, .vary = NV, .section = S_IP, .family = V4,
		 .help = "set Don't Fragment" },
	  .op = OP_BITS, FIELD(ip_frag), .bits = PKTCRAFT_IP_DF,
	  .alt = "IPv6 has no DF bit: routers never fragment it" },
	{ .o = { .name = "mf", .aliases = "morefrag", .letters = "xf", .field = "ip_frag",
		 .type = T_NONE, .l4 = ANY, .vary = NV, .section = S_IP, .family = V4,
		 .help = "set More Fragments (-f too: hping3 splits the packet, pktcraft sends one)" },
	  .op = OP_BITS, FIELD(ip_frag), .bits = PKTCRAFT_IP_MF,
	  .alt = "a Fragment header's M flag: --ext frag=ID:OFFSET:m" },
	{ .o = { .name = "rf", .aliases = "evil", .field = "ip_frag", .type = T_NONE, .l4 = ANY,
		 .flags = MALF, .vary = NV, .section = S_IP, .family = V4,
		 .help = "set the reserved (evil) bit (malformed)" },
	  .op = OP_BITS, FIELD(ip_frag), .bits = PKTCRAFT_IP_RF,
	  .alt = "a Fragment header's reserved byte: --ext frag=ID:OFFSET:len=N" },
	{ .o = { .name = "frag-off", .arg = "N", .field = "ip_frag", .max = PKTCRAFT_IP_OFFMASK,
		 .units = "8-byte units", .type = T_UINT, .l4 = ANY, .vary = NV, .section = S_IP,
		 .family = V4, .help = "fragment offset in 8-byte units" },
	  .op = OP_STORE, FIELD(ip_frag), .bits = PKTCRAFT_IP_OFFMASK,
	  .alt = "a Fragment header: --ext frag=ID:OFFSET" },
	{ .o = { .name = "fragoff", .letters = "g", .arg = "BYTES", .field = "ip_frag",
		 .max = PKTCRAFT_IP_OFFMASK * 8, .units = "bytes, a multiple of 8", .type = T_UINT,
		 .l4 = ANY, .flags = HPING, .vary = NV, .section = S_IP, .family = V4,
		 .help = "fragment offset in bytes, a multiple of 8 (hping3's -g)" },
	  .op = OP_STORE, FIELD(ip_frag), .bits = PKTCRAFT_IP_OFFMASK, .shift = 3,
	  .alt = "a Fragment header: --ext frag=ID:OFFSET (OFFSET in 8-byte units)" },
	{ .o = { .name = "ip-len", .arg = "N", .field = "ip_tot_len", .max = 0xffff,
		 .units = "bytes", .type = T_UINT, .l4 = ANY, .flags = MALF | FORCE, .vary = NV,
		 .section = S_IP, .family = V4, .help = "force the total length (malformed if wrong)" },
	  .op = OP_STORE, FIELD(ip_tot_len), .force = PKTCRAFT_F_IP_TOT_LEN,
	  .alt = "IPv6 has a payload length: --plen" },
	{ .o = { .name = "ihl", .arg = "N", .field = "ip_ihl", .max = 15,
		 .units = "32-bit words", .type = T_UINT, .l4 = ANY, .flags = MALF | FORCE,
		 .vary = NV, .section = S_IP, .family = V4,
		 .help = "force the header length in 32-bit words (malformed if wrong)" },
	  .op = OP_STORE, FIELD(ip_ihl), .force = PKTCRAFT_F_IP_IHL,
	  .alt = "IPv6's header is 40 bytes, with no length field; an extension header's: --ext ...:len=N" },
	{ .o = { .name = "ip-version", .arg = "N", .field = "ip_version", .max = 15,
		 .type = T_UINT, .l4 = ANY, .flags = MALF, .vary = NV, .section = S_IP,
		 .help = "force the version field (default 4, or 6; malformed if not)" },
	  .op = OP_STORE, FIELD(ip_version) },
	{ .o = { .name = "ip-csum", .arg = "N", .field = "ip_csum", .max = 0xffff,
		 .type = T_UINT, .l4 = ANY, .flags = MALF | FORCE, .vary = NV, .section = S_IP,
		 .family = V4, .help = "force the header checksum (malformed if wrong)" },
	  .op = OP_STORE, FIELD(ip_csum), .force = PKTCRAFT_F_IP_CSUM,
	  .alt = "IPv6's header has no checksum" },
	{ .o = { .name = "ip-opt", .aliases = "ip-opts", .arg = "SPEC", .field = "ip_opts",
		 .max = PKTCRAFT_MAX_OPTLEN, .units = "bytes", .type = PKTCRAFT_OPT_T_IPOPTS,
		 .l4 = ANY, .flags = MALF | REP, .vary = NV, .section = S_IP, .family = V4,
		 .help = "IPv4 options: rr[=SLOTS],ts[=SLOTS],nop,eol,raw=HEX\n"
			 "(padded with EOL bytes to a 32-bit boundary)" },
	  .op = OP_IPOPTS,
	  .alt = "options go in extension headers: --ext hbh=TLVS or --ext dst=TLVS" },

	/* --------------------------------------------------------- IPv6 */
	{ .o = { .name = "tclass", .aliases = "traffic-class", .arg = "N", .field = "ip_tos",
		 .max = 0xff, .type = T_UINT, .l4 = ANY, .vary = NV, .section = S_IP6,
		 .help = "traffic class (DSCP/ECN), default 0 (on IPv4 the TOS, as --tos)" },
	  .op = OP_STORE, FIELD(ip_tos) },
	{ .o = { .name = "flow-label", .aliases = "flowlabel", .arg = "N", .field = "ip6_flowlabel",
		 .max = 0xfffff, .type = T_UINT, .l4 = ANY, .flags = RANGE,
		 .vary = PKTCRAFT_VARY_FLOWLABEL, .section = S_IP6, .family = V6,
		 .help = "flow label, 20 bits (default 0); MIN-MAX: a burst counting\n"
			 "through it; rand or rand:MIN-MAX: a random one per packet" },
	  .op = OP_STORE, FIELD(ip6_flowlabel),
	  .alt = "IPv4 has no flow label" },
	{ .o = { .name = "hop-limit", .aliases = "hlim", .arg = "N", .field = "ip_ttl", .max = 0xff,
		 .type = T_UINT, .l4 = ANY, .vary = NV, .section = S_IP6,
		 .help = "hop limit, default 64 (--ttl, -t set it too; on IPv4 the TTL)" },
	  .op = OP_STORE, FIELD(ip_ttl) },
	{ .o = { .name = "plen", .aliases = "payload-length", .arg = "N", .field = "ip_tot_len",
		 .max = 0xffff, .units = "bytes", .type = T_UINT, .l4 = ANY, .flags = MALF | FORCE,
		 .vary = NV, .section = S_IP6, .family = V6,
		 .help = "force the payload length (malformed if wrong; default: what follows\n"
			 "the IPv6 header)" },
	  .op = OP_STORE, FIELD(ip_tot_len), .force = PKTCRAFT_F_IP_TOT_LEN,
	  .alt = "IPv4 has a total length: --ip-len" },
	{ .o = { .name = "next-header", .aliases = "nxt", .arg = "N", .field = "ip6_nexthdr",
		 .max = 0xff, .type = T_UINT, .l4 = ANY, .flags = MALF | FORCE, .vary = NV,
		 .section = S_IP6, .family = V6,
		 .help = "force the IPv6 header's next header (default: the first extension\n"
			 "header's number, else the layer 4 protocol; malformed if wrong)" },
	  .op = OP_STORE, FIELD(ip6_nexthdr), .force = PKTCRAFT_F_IP6_NEXTHDR,
	  .alt = "IPv4's protocol field: --proto with an opaque payload" },
	{ .o = { .name = "ext", .aliases = "ext-header", .arg = "SPEC", .field = "ext, ext_nr",
		 .max = PKTCRAFT_MAX_EXT, .units = "headers", .type = PKTCRAFT_OPT_T_EXT, .l4 = ANY,
		 .flags = MALF | REP, .vary = NV, .section = S_IP6, .family = V6,
		 .help = "an extension header, repeatable, in order: hbh[=TLVS], dst[=TLVS]\n"
			 "(TLVS: pad1,padn=N,ra=N,jumbo=N,raw=HEX), rt=TYPE:ADDR,ADDR...[:left=N],\n"
			 "frag=ID:OFFSET[:m], ext=NH:HEX; suffixes :nh=N, :len=N force next\n"
			 "header and Hdr Ext Len, :nopad leaves hbh and dst unpadded (pktcraft(8))" },
	  .op = OP_EXT,
	  .alt = "IPv4 options: --ip-opt" },

	/* ---------------------------------------------------- layer 4 */
	{ .o = { .name = "tcp", .field = "l4", .type = T_NONE, .l4 = ANY, .flags = KIND,
		 .vary = NV, .section = S_L4, .help = "TCP (the default)" },
	  .op = OP_KIND, .bits = PKTCRAFT_L4_TCP },
	{ .o = { .name = "udp", .letters = "2", .field = "l4", .type = T_NONE, .l4 = ANY,
		 .flags = KIND, .vary = NV, .section = S_L4, .help = "UDP instead of TCP" },
	  .op = OP_KIND, .bits = PKTCRAFT_L4_UDP },
	{ .o = { .name = "icmp", .letters = "1", .field = "l4", .type = T_NONE, .l4 = ANY,
		 .flags = KIND, .vary = NV, .section = S_L4,
		 .help = "ICMP instead of TCP (an echo request by default); ICMPv6 on IPv6" },
	  .op = OP_KIND, .bits = PKTCRAFT_L4_ICMP },
	{ .o = { .name = "rawip", .letters = "0", .field = "l4", .type = T_NONE, .l4 = ANY,
		 .flags = KIND | HPING, .vary = NV, .section = S_L4,
		 .help = "opaque layer 4, IP protocol 6 unless --proto gives one (hping3's -0)" },
	  .op = OP_KIND, .bits = PKTCRAFT_L4_RAW },
	{ .o = { .name = "proto", .aliases = "ipproto", .letters = "H", .arg = "N",
		 .field = "l4, ip_protocol", .max = 0xff, .type = T_UINT, .l4 = ANY,
		 .flags = KIND | MALF, .vary = NV, .section = S_L4,
		 .help = "opaque layer 4: IP protocol N (IPv6: next header N after the\n"
			 "extension headers), the payload sent as is" },
	  .op = OP_KIND, .bits = PKTCRAFT_L4_RAW, FIELD(ip_protocol) },
	{ .o = { .name = "sport", .aliases = "source-port baseport", .letters = "s", .arg = "N",
		 .field = "sport", .max = 0xffff, .type = T_UINT, .l4 = PORTS, .flags = RANGE,
		 .vary = PKTCRAFT_VARY_SPORT, .section = S_L4,
		 .help = "source port (default 54321); MIN-MAX: a burst counting through it" },
	  .op = OP_STORE, FIELD(sport) },
	{ .o = { .name = "dport", .aliases = "dest-port destport", .letters = "p", .arg = "N",
		 .field = "dport", .max = 0xffff, .type = T_UINT, .l4 = PORTS, .flags = RANGE,
		 .vary = PKTCRAFT_VARY_DPORT, .section = S_L4,
		 .help = "destination port (default 80); MIN-MAX: a burst counting through\n"
			 "it (--count defaults to its size); ++N: from N, one up per packet" },
	  .op = OP_STORE, FIELD(dport) },
	{ .o = { .name = "l4-csum", .aliases = "tcp-csum", .arg = "N", .field = "l4_csum",
		 .max = 0xffff, .type = T_UINT, .l4 = CSUMS, .flags = MALF | FORCE, .vary = NV,
		 .section = S_L4, .help = "force the TCP, UDP or ICMP checksum (malformed if wrong)" },
	  .op = OP_STORE, FIELD(l4_csum), .force = PKTCRAFT_F_L4_CSUM },
	{ .o = { .name = "badcksum", .aliases = "badsum", .letters = "b", .field = "l4_csum",
		 .type = T_NONE, .l4 = CSUMS, .flags = MALF | FORCE | HPING | DEV, .vary = NV,
		 .section = S_L4,
		 .help = "a wrong TCP/UDP/ICMP checksum: the right one XOR 0x5555 (hping3's -b)" },
	  .op = OP_DEVICE },

	/* ---------------------------------------------------------- TCP */
	{ .o = { .name = "seq", .aliases = "setseq", .letters = "M", .arg = "N", .field = "tcp_seq",
		 .max = UINT32_MAX, .type = T_UINT, .l4 = TCP, .flags = RANGE,
		 .vary = PKTCRAFT_VARY_TCP_SEQ, .section = S_TCP,
		 .help = "sequence number (default 0)" },
	  .op = OP_STORE, FIELD(tcp_seq) },
	{ .o = { .name = "ack", .aliases = "setack", .letters = "L", .arg = "N", .field = "tcp_ack",
		 .max = UINT32_MAX, .type = T_UINT, .l4 = TCP, .vary = NV, .section = S_TCP,
		 .help = "acknowledgment number (default 0)" },
	  .op = OP_STORE, FIELD(tcp_ack) },
	{ .o = { .name = "flags", .arg = "F", .field = "tcp_flags", .max = PKTCRAFT_TCP_FLAGS_ALL,
		 .type = PKTCRAFT_OPT_T_TCPFLAGS, .l4 = TCP, .vary = NV, .section = S_TCP,
		 .help = "flags: letters S A F R P U E C, '+N' adds NS/AE, '.' none, names\n"
			 "as nping (syn,ack; all; none) or a number 0..0x1ff (default S)" },
	  .op = OP_FLAGS },
	{ .o = { .name = "flag-syn", .aliases = "syn", .letters = "S", .field = "tcp_flags",
		 .type = T_NONE, .l4 = TCP, .flags = HPING, .vary = NV, .section = S_TCP,
		 .help = "SYN; the flag letters (-S -A -F -R -P -U -X -Y) add up,\n"
			 "from no flags, as in hping3" },
	  .op = OP_TCPFLAG, .bits = PKTCRAFT_TCP_SYN },
	{ .o = { .name = "flag-ack", .letters = "A", .field = "tcp_flags", .type = T_NONE, .l4 = TCP,
		 .flags = HPING, .vary = NV, .section = S_TCP, .help = "ACK" },
	  .op = OP_TCPFLAG, .bits = PKTCRAFT_TCP_ACK },
	{ .o = { .name = "flag-fin", .aliases = "fin", .letters = "F", .field = "tcp_flags",
		 .type = T_NONE, .l4 = TCP, .flags = HPING, .vary = NV, .section = S_TCP,
		 .help = "FIN" },
	  .op = OP_TCPFLAG, .bits = PKTCRAFT_TCP_FIN },
	{ .o = { .name = "flag-rst", .aliases = "rst", .letters = "R", .field = "tcp_flags",
		 .type = T_NONE, .l4 = TCP, .flags = HPING, .vary = NV, .section = S_TCP,
		 .help = "RST" },
	  .op = OP_TCPFLAG, .bits = PKTCRAFT_TCP_RST },
	{ .o = { .name = "flag-psh", .aliases = "push", .letters = "P", .field = "tcp_flags",
		 .type = T_NONE, .l4 = TCP, .flags = HPING, .vary = NV, .section = S_TCP,
		 .help = "PSH" },
	  .op = OP_TCPFLAG, .bits = PKTCRAFT_TCP_PSH },
	{ .o = { .name = "flag-urg", .letters = "U", .field = "tcp_flags", .type = T_NONE, .l4 = TCP,
		 .flags = HPING, .vary = NV, .section = S_TCP, .help = "URG" },
	  .op = OP_TCPFLAG, .bits = PKTCRAFT_TCP_URG },
	{ .o = { .name = "flag-ece", .aliases = "xmas", .letters = "X", .field = "tcp_flags",
		 .type = T_NONE, .l4 = TCP, .flags = HPING, .vary = NV, .section = S_TCP,
		 .help = "ECE (0x40, hping3's X)" },
	  .op = OP_TCPFLAG, .bits = PKTCRAFT_TCP_ECE },
	{ .o = { .name = "flag-cwr", .aliases = "ymas", .letters = "Y", .field = "tcp_flags",
		 .type = T_NONE, .l4 = TCP, .flags = HPING, .vary = NV, .section = S_TCP,
		 .help = "CWR (0x80, hping3's Y)" },
	  .op = OP_TCPFLAG, .bits = PKTCRAFT_TCP_CWR },
	{ .o = { .name = "win", .letters = "w", .arg = "N", .field = "tcp_win", .max = 0xffff,
		 .type = T_UINT, .l4 = TCP, .vary = NV, .section = S_TCP,
		 .help = "window (default 65535)" },
	  .op = OP_STORE, FIELD(tcp_win) },
	{ .o = { .name = "urg", .arg = "N", .field = "tcp_urg", .max = 0xffff, .type = T_UINT,
		 .l4 = TCP, .vary = NV, .section = S_TCP, .help = "urgent pointer (default 0)" },
	  .op = OP_STORE, FIELD(tcp_urg) },
	{ .o = { .name = "tcp-res", .arg = "N", .field = "tcp_res", .max = 7, .type = T_UINT,
		 .l4 = TCP, .flags = MALF, .vary = NV, .section = S_TCP,
		 .help = "the reserved bits, 0..7 (malformed if not 0)" },
	  .op = OP_STORE, FIELD(tcp_res) },
	{ .o = { .name = "doff", .aliases = "tcpoff", .letters = "O", .arg = "N", .field = "tcp_doff",
		 .max = 15, .units = "32-bit words", .type = T_UINT, .l4 = TCP,
		 .flags = MALF | FORCE, .vary = NV, .section = S_TCP,
		 .help = "force the data offset in 32-bit words (malformed if wrong)" },
	  .op = OP_STORE, FIELD(tcp_doff), .force = PKTCRAFT_F_L4_LEN },
	{ .o = { .name = "tcp-opt", .aliases = "tcp-opts", .arg = "SPEC", .field = "tcp_opts",
		 .max = PKTCRAFT_MAX_OPTLEN, .units = "bytes", .type = PKTCRAFT_OPT_T_TCPOPTS,
		 .l4 = TCP, .flags = MALF | REP, .vary = NV, .section = S_TCP,
		 .help = "options: mss=N,wscale=N,sackok,ts=VAL:ECR,sack=L-R[:L-R...],\n"
			 "nop,eol,raw=HEX (padded with EOL)" },
	  .op = OP_TCPOPTS },

	/* ---------------------------------------------------- UDP, ICMP */
	{ .o = { .name = "udp-len", .arg = "N", .field = "udp_len", .max = 0xffff, .units = "bytes",
		 .type = T_UINT, .l4 = UDP, .flags = MALF | FORCE, .vary = NV, .section = S_UDP,
		 .help = "force the UDP length (malformed if wrong)" },
	  .op = OP_STORE, FIELD(udp_len), .force = PKTCRAFT_F_L4_LEN },
	{ .o = { .name = "icmp-type", .aliases = "icmptype", .letters = "C", .arg = "N",
		 .field = "icmp_type", .max = 0xff, .type = T_UINT, .l4 = ICMP, .flags = IMPL,
		 .vary = NV, .section = S_ICMP,
		 .help = "type (default 8, echo request; ICMPv6: 128); implies --icmp, as in\n"
			 "hping3" },
	  .op = OP_STORE, FIELD(icmp_type) },
	{ .o = { .name = "icmp-code", .aliases = "icmpcode", .letters = "K", .arg = "N",
		 .field = "icmp_code", .max = 0xff, .type = T_UINT, .l4 = ICMP, .flags = IMPL,
		 .vary = NV, .section = S_ICMP, .help = "code (default 0); implies --icmp" },
	  .op = OP_STORE, FIELD(icmp_code) },
	{ .o = { .name = "icmp-id", .arg = "N", .field = "icmp_id", .max = 0xffff, .type = T_UINT,
		 .l4 = ICMP, .vary = NV, .section = S_ICMP, .help = "identifier (default 0)" },
	  .op = OP_STORE, FIELD(icmp_id) },
	{ .o = { .name = "icmp-seq", .arg = "N", .field = "icmp_seq", .max = 0xffff, .type = T_UINT,
		 .l4 = ICMP, .vary = NV, .section = S_ICMP, .help = "sequence number (default 0)" },
	  .op = OP_STORE, FIELD(icmp_seq) },

	/* ------------------------------------------------------ payload */
	{ .o = { .name = "data", .aliases = "data-string", .arg = "STR", .field = "payload",
		 .max = 0xffff, .type = PKTCRAFT_OPT_T_STRING, .l4 = ANY, .flags = PAYL, .vary = NV,
		 .section = S_DATA, .help = "the bytes of STR" },
	  .op = OP_DATA },
	{ .o = { .name = "data-hex", .arg = "HEX", .field = "payload", .max = 0xffff,
		 .type = PKTCRAFT_OPT_T_HEXBYTES, .l4 = ANY, .flags = PAYL, .vary = NV,
		 .section = S_DATA, .help = "hex bytes (spaces and colons allowed)" },
	  .op = OP_DATA },
	{ .o = { .name = "data-file", .aliases = "file", .letters = "E", .arg = "F",
		 .field = "payload", .max = 0xffff, .type = PKTCRAFT_OPT_T_FILE, .l4 = ANY,
		 .flags = PAYL, .vary = NV, .section = S_DATA,
		 .help = "the contents of file F, '-' for standard input: at most\n"
			 "65535 bytes, or the first N of a longer one with --data-length N" },
	  .op = OP_DATA },
	{ .o = { .name = "data-length", .letters = "d", .arg = "N", .field = "payload_len",
		 .max = 0xffff, .units = "bytes", .type = T_UINT, .l4 = ANY, .vary = NV,
		 .section = S_DATA,
		 .help = "N bytes: the payload cut or padded with zeros to N; alone,\n"
			 "N 'X' bytes (hping3's -d filler)" },
	  .op = OP_DATALEN },

	/* ------------------------------------------------------- bursts */
	{ .o = { .name = "count", .letters = "c", .arg = "N", .field = "count", .max = INT64_MAX,
		 .units = "packets", .type = T_UINT, .l4 = ANY, .flags = BURST, .vary = NV,
		 .section = S_BURST,
		 .help = "send N packets (default 1; 0, or pacing without --count: until\n"
			 "interrupted)" },
	  .op = OP_COUNT },
	{ .o = { .name = "rate", .arg = "PPS", .field = "gap_ns", .type = PKTCRAFT_OPT_T_RATE,
		 .l4 = ANY, .flags = BURST, .vary = NV, .section = S_BURST,
		 .help = "pace at PPS packets per second (in the kernel, absolute deadlines;\n"
			 "may have a fraction, >= 0.1)" },
	  .op = OP_GAP },
	{ .o = { .name = "interval", .aliases = "delay", .letters = "i", .arg = "T", .field = "gap_ns",
		 .max = PKTCRAFT_MAX_GAP_NS, .units = "seconds", .type = PKTCRAFT_OPT_T_DURATION,
		 .l4 = ANY, .flags = BURST, .vary = NV, .section = S_BURST,
		 .help = "one packet every T seconds (at most 10): uN is N microseconds\n"
			 "(hping3), or a number with ns, us, ms or s" },
	  .op = OP_GAP },
	{ .o = { .name = "fast", .field = "gap_ns", .type = T_NONE, .l4 = ANY,
		 .flags = BURST | HPING, .vary = NV, .section = S_BURST,
		 .help = "10 packets a second (--interval 100ms), as hping3" },
	  .op = OP_GAP, .bits = 100000000 },
	{ .o = { .name = "faster", .field = "gap_ns", .type = T_NONE, .l4 = ANY,
		 .flags = BURST | HPING, .vary = NV, .section = S_BURST,
		 .help = "one packet a microsecond (--interval u1), as hping3" },
	  .op = OP_GAP, .bits = 1000 },
	{ .o = { .name = "flood", .field = "count, gap_ns", .type = T_NONE, .l4 = ANY,
		 .flags = BURST | HPING, .vary = NV, .section = S_BURST,
		 .help = "as fast as possible, until interrupted unless --count" },
	  .op = OP_FLOOD },
	{ .o = { .name = "vary", .arg = "F=inc:MIN-MAX[/STEP]|F=rand:MIN-MAX", .field = "vary",
		 .type = PKTCRAFT_OPT_T_VARY, .l4 = ANY, .flags = BURST | REP, .vary = NV,
		 .section = S_BURST,
		 .help = "vary field F per packet: inc counts by STEP (default 1) from its\n"
			 "given value (default MIN), wrapping within MIN-MAX; rand draws\n"
			 "uniformly from MIN-MAX. F: sport, dport, seq, id, src (src takes\n"
			 "addresses; IPv6 ones differ only in their low 32 bits), flow-label;\n"
			 "repeatable" },
	  .op = OP_VARY },
	{ .o = { .name = "copy", .field = "burst_flags", .type = T_NONE, .l4 = ANY,
		 .flags = BURST, .vary = NV, .section = S_BURST,
		 .help = "never share one skb between identical packets" },
	  .op = OP_BITS, FIELD(burst_flags), .bits = PKTCRAFT_BURST_F_COPY },
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

static const struct row *row_of(const struct pktcraft_opt *o)
{
	return (const struct row *)((const char *)o - offsetof(struct row, o));
}

const struct pktcraft_opt *pktcraft_opt_next(const struct pktcraft_opt *prev)
{
	const struct row *r = prev ? row_of(prev) + 1 : rows;

	return r < rows + NROWS ? &r->o : NULL;
}

/* name among the space-separated words of list */
static int in_list(const char *list, const char *name, size_t n)
{
	while (list && *list) {
		size_t w = strcspn(list, " ");

		if (w == n && !strncmp(list, name, n))
			return 1;
		list += w + (list[w] == ' ');
	}
	return 0;
}

const struct pktcraft_opt *pktcraft_opt_find(const char *name)
{
	char norm[40];
	size_t n, i;

	if (!name)
		return NULL;
	while (*name == '-')
		name++;
	n = strlen(name);
	if (!n || n >= sizeof(norm))
		return NULL;
	for (i = 0; i <= n; i++)	/* keywords: frag_off is frag-off */
		norm[i] = name[i] == '_' ? '-' : name[i];
	for (i = 0; i < NROWS; i++) {
		const struct pktcraft_opt *o = &rows[i].o;

		if (!strcmp(o->name, norm) || in_list(o->aliases, norm, n) ||
		    (n == 1 && o->letters && strchr(o->letters, norm[0])))
			return o;
	}
	return NULL;
}

/* ------------------------------------------------------------ option sets */

struct entry {
	const struct row *r;
	char *value;			/* as given (NULL: a flag) */
	uint64_t v;			/* numbers, gaps (ns), flags (1/0) */
	uint32_t lo, hi, step;		/* a range, ++N, or a --vary spec */
	int vary_field, vary_mode;	/* --vary; ranges: mode INC */
	int ranged;			/* 1: MIN-MAX, 2: ++N (from v), 3: rand[:MIN-MAX] */
	uint8_t *bytes;			/* payload content, options, an ext header's body */
	size_t nbytes;
	int more;			/* a file: past its first 65535 bytes */
	int fam;			/* addresses: AF_INET, AF_INET6, 0 a host name */
	uint8_t a6[16];			/* an IPv6 address; a range's first 12 bytes */
	struct pktcraft_ext ext;	/* --ext (its body in bytes) */
};

struct pktcraft_optset {
	unsigned int flags;
	struct entry *e;
	size_t n, cap;
	uint8_t *payload;		/* what the request points at */
	struct pktcraft_ext *ext;	/* the extension headers it points at */
	uint64_t count;
	int count_set;
};

struct pktcraft_optset *pktcraft_optset_new(unsigned int flags)
{
	struct pktcraft_optset *s = calloc(1, sizeof(*s));

	if (s) {
		s->flags = flags;
		s->count = 1;
	}
	return s;
}

void pktcraft_optset_free(struct pktcraft_optset *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->e[i].value);
		free(s->e[i].bytes);
	}
	free(s->e);
	free(s->payload);
	free(s->ext);
	free(s);
}

/* "--ttl" on a command line, "ttl" (with '_') as a keyword. */
static const char *oname(const struct pktcraft_optset *s, const struct row *r,
			 char *buf, size_t len)
{
	size_t i;

	if (!(s->flags & PKTCRAFT_OPTSET_KEYWORDS)) {
		snprintf(buf, len, "--%s", r->o.name);
		return buf;
	}
	snprintf(buf, len, "%s", r->o.name);
	for (i = 0; buf[i]; i++)
		if (buf[i] == '-')
			buf[i] = '_';
	return buf;
}

static int fail(const struct pktcraft_optset *s, const struct row *r, char *err,
		size_t errlen, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail(const struct pktcraft_optset *s, const struct row *r, char *err,
		size_t errlen, const char *fmt, ...)
{
	char name[48];
	va_list ap;
	int n = 0;

	if (!err || !errlen)
		return -EINVAL;
	if (r)
		n = snprintf(err, errlen, "%s: ", oname(s, r, name, sizeof(name)));
	if (n < 0 || (size_t)n >= errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* "--udp, --icmp" on a command line, "udp, icmp" for keywords. */
static const char *names(const struct pktcraft_optset *s, const char *list,
			 char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	while (*list && n < len) {
		size_t w = strcspn(list, " ");

		n += snprintf(buf + n, len - n, "%s%s%.*s", n ? ", " : "",
			      s->flags & PKTCRAFT_OPTSET_KEYWORDS ? "" : "--", (int)w, list);
		list += w + (list[w] == ' ');
	}
	return buf;
}

/* The fields a burst varies: vary[] and the flow label. */
static const int vary_fields[] = {
	PKTCRAFT_VARY_SPORT, PKTCRAFT_VARY_DPORT, PKTCRAFT_VARY_TCP_SEQ, PKTCRAFT_VARY_IP_ID,
	PKTCRAFT_VARY_IP_SADDR, PKTCRAFT_VARY_FLOWLABEL,
};
#define NVARY (sizeof(vary_fields) / sizeof(vary_fields[0]))

static const struct row *vary_row(int field)
{
	for (size_t i = 0; i < NROWS; i++)
		if (rows[i].o.vary == field)
			return &rows[i];
	return NULL;
}

/*
 * A value of a varying field: a number in its range, or an address (host
 * order; IPv6: its low 32 bits, the rest in a6, *fam the family).
 */
static int vary_value(const struct row *r, const char *s, uint32_t *v, int *fam,
		      uint8_t a6[16])
{
	uint64_t n;
	uint32_t be;

	if (r->o.type == PKTCRAFT_OPT_T_ADDR) {
		if (!pktcraft_parse_ipv4(s, &be)) {
			*fam = AF_INET;
			*v = ntohl(be);
			return 0;
		}
		if (pktcraft_parse_ipv6(s, a6))
			return -EINVAL;
		*fam = AF_INET6;
		memcpy(&be, a6 + 12, 4);
		*v = ntohl(be);
		return 0;
	}
	if (pktcraft_parse_uint(s, r->o.max, &n))
		return -EINVAL;
	*v = n;
	return 0;
}

/*
 * MIN-MAX of a varying row (both parsed as its values), in e->lo/hi; two
 * addresses of one family, IPv6 ones equal but for their low 32 bits
 * (e->fam, e->a6 the first).
 */
static int parse_range(const struct row *r, const char *s, struct entry *e)
{
	char buf[128], *dash;
	uint8_t hi6[16];
	int fam_hi = 0;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	dash = strchr(buf, '-');
	if (!dash)
		return -EINVAL;
	*dash = '\0';
	if (vary_value(r, buf, &e->lo, &e->fam, e->a6) ||
	    vary_value(r, dash + 1, &e->hi, &fam_hi, hi6) || e->lo > e->hi ||
	    e->fam != fam_hi || (e->fam == AF_INET6 && memcmp(e->a6, hi6, 12)))
		return -EINVAL;
	return 0;
}

/* --vary FIELD=inc:MIN-MAX[/STEP] | FIELD=rand:MIN-MAX */
static int parse_vary(const struct pktcraft_optset *s, const struct row *self,
		      const char *arg, struct entry *e, char *err, size_t errlen)
{
	char buf[128], names[64] = "", *eq, *colon, *slash;
	const struct row *r = NULL;
	uint64_t step = 1;
	size_t n = 0;

	for (size_t i = 0; i < NVARY; i++)
		if (vary_row(vary_fields[i]))
			n += snprintf(names + n, sizeof(names) - n, "%s%s", n ? ", " : "",
				      vary_row(vary_fields[i])->o.name);
	if (strlen(arg) >= sizeof(buf))
		goto bad;
	strcpy(buf, arg);
	eq = strchr(buf, '=');
	colon = eq ? strchr(eq, ':') : NULL;
	if (!colon)
		goto bad;
	*eq = *colon = '\0';
	for (size_t i = 0; i < NVARY; i++)
		if (vary_row(vary_fields[i]) && !strcmp(buf, vary_row(vary_fields[i])->o.name)) {
			r = vary_row(vary_fields[i]);
			e->vary_field = vary_fields[i];
		}
	if (!r)
		return fail(s, self, err, errlen, "unknown field '%s' (%s)", buf, names);
	if (!strcmp(eq + 1, "inc"))
		e->vary_mode = PKTCRAFT_VARY_INC;
	else if (!strcmp(eq + 1, "rand") || !strcmp(eq + 1, "random"))
		e->vary_mode = PKTCRAFT_VARY_RANDOM;
	else
		goto bad;
	slash = strchr(colon + 1, '/');
	if (slash) {
		*slash = '\0';
		if (e->vary_mode != PKTCRAFT_VARY_INC ||
		    pktcraft_parse_uint(slash + 1, UINT32_MAX, &step) || !step)
			return fail(s, self, err, errlen,
				    "the step (/STEP) is a number 1..%u, for inc only",
				    UINT32_MAX);
	}
	if (parse_range(r, colon + 1, e))
		return fail(s, self, err, errlen, "%s: MIN-MAX must be %s with MIN <= MAX",
			    r->o.name, r->o.type == PKTCRAFT_OPT_T_ADDR ?
			    "two IPv4 addresses, or two IPv6 ones equal but for their low 32 bits," :
			    "numbers in the field's range");
	e->step = e->vary_mode == PKTCRAFT_VARY_INC ? step : 0;
	return 0;
bad:
	return fail(s, self, err, errlen,
		    "'%s' is not FIELD=inc:MIN-MAX[/STEP] or FIELD=rand:MIN-MAX", arg);
}

static int parse_rate(const char *arg, uint64_t *gap_ns)
{
	char *end;
	double pps;

	errno = 0;
	pps = strtod(arg, &end);
	if (errno || end == arg || *end || !(pps >= 0.1) || pps > 1e9)
		return -EINVAL;
	*gap_ns = (uint64_t)(1e9 / pps + 0.5);
	return 0;
}

/* Seconds; uN microseconds (hping3); or N with ns, us, ms, s. 0..10 s. */
static int parse_duration(const char *arg, uint64_t *gap_ns)
{
	static const struct { const char *unit; double ns; } units[] = {
		{ "", 1e9 }, { "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
	};
	double v, scale = 0;
	const char *p = arg;
	char *end;

	if (*p == 'u') {		/* hping3: -i u10000 */
		scale = 1e3;
		p++;
	}
	if (!(*p >= '0' && *p <= '9') && *p != '.')
		return -EINVAL;
	errno = 0;
	v = strtod(p, &end);
	if (errno || end == p || !(v >= 0))
		return -EINVAL;
	for (size_t i = 0; !scale && i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].unit))
			scale = units[i].ns;
	if (!scale || (arg[0] == 'u' && *end))
		return -EINVAL;
	v *= scale;
	if (v > (double)PKTCRAFT_MAX_GAP_NS || (v > 0 && v < 0.5))
		return -EINVAL;
	*gap_ns = (uint64_t)(v + 0.5);
	return 0;
}

static int parse_hexnum(const char *s, uint64_t max, uint64_t *v)
{
	char buf[24];

	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
		s += 2;
	if (strlen(s) > 16)
		return -EINVAL;
	snprintf(buf, sizeof(buf), "0x%s", s);
	return pktcraft_parse_uint(buf, max, v);
}

/*
 * Is @path the standard input that PKTCRAFT_OPTSET_NO_STDIN forbids? "-",
 * or a name of the same pipe or FIFO (/dev/stdin), whose bytes a read here
 * would take from the caller; a regular file opened again has an offset of
 * its own. Looked at before it is opened: opening a FIFO whose writer is
 * gone would wait for another.
 */
static int is_stdin(const char *path)
{
	struct stat a, b;

	return !strcmp(path, "-") ||
	       (!stat(path, &a) && !fstat(STDIN_FILENO, &b) && !S_ISREG(a.st_mode) &&
		a.st_dev == b.st_dev && a.st_ino == b.st_ino);
}

/*
 * The file's first 65535 bytes into *@out; *@more set when it holds more
 * (refused at apply unless --data-length takes fewer: -E /dev/urandom -d N).
 */
static int read_file(const char *path, unsigned int flags, uint8_t **out, size_t *len,
		     int *more, char *why, size_t whylen)
{
	uint8_t *buf;
	size_t n;
	FILE *f;

	if (flags & PKTCRAFT_OPTSET_NO_STDIN && is_stdin(path)) {
		snprintf(why, whylen, "'%s' is the standard input, which holds the requests", path);
		return -EINVAL;
	}
	f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		snprintf(why, whylen, "cannot open '%s': %s", path, strerror(errno));
		return -errno;
	}
	buf = malloc(65536 + 1);
	if (!buf) {
		if (f != stdin)
			fclose(f);
		return -ENOMEM;
	}
	n = fread(buf, 1, 65536 + 1, f);
	if (ferror(f)) {
		snprintf(why, whylen, "cannot read '%s': %s", path, strerror(errno));
		if (f != stdin)
			fclose(f);
		free(buf);
		return -EIO;
	}
	if (f != stdin)
		fclose(f);
	*more = n > 65535;
	*out = buf;
	*len = *more ? 65535 : n;
	return 0;
}

/* Checks the argument of one option into e. */
static int check_arg(const struct pktcraft_optset *s, const struct row *r,
		     const char *a, struct entry *e, char *err, size_t errlen)
{
	const struct pktcraft_opt *o = &r->o;
	char why[240] = "";
	uint8_t mac[6];
	uint32_t be;
	size_t n;
	int rc;

	switch (o->type) {
	case PKTCRAFT_OPT_T_NONE:
		if (a && strcmp(a, "0") && strcmp(a, "1"))
			return fail(s, r, err, errlen, "takes no argument (or 0/1), not '%s'", a);
		e->v = !a || !strcmp(a, "1");
		return 0;
	case PKTCRAFT_OPT_T_UINT:
		if (o->flags & RANGE && !strncmp(a, "++", 2)) {
			if (pktcraft_parse_uint(a + 2, o->max, &e->v))
				return fail(s, r, err, errlen, "'%s': ++N needs a number N in 0..%llu",
					    a, (unsigned long long)o->max);
			e->ranged = 2;
			return 0;
		}
		if (o->flags & RANGE && !strncmp(a, "rand", 4) && (!a[4] || a[4] == ':')) {
			e->lo = o->min;
			e->hi = o->max;
			if (a[4] && parse_range(r, a + 5, e))
				return fail(s, r, err, errlen,
					    "'%s': rand:MIN-MAX needs MIN <= MAX in 0..%llu", a,
					    (unsigned long long)o->max);
			e->ranged = 3;
			return 0;
		}
		if (o->flags & RANGE && a[0] == '+')
			return fail(s, r, err, errlen,
				    "'%s': +N (one up per reply) needs replies to pace the count, which pktcraft does not do; ++N counts per packet",
				    a);
		if (o->flags & RANGE && strchr(a, '-')) {
			if (parse_range(r, a, e))
				return fail(s, r, err, errlen,
					    "'%s' is not MIN-MAX with MIN <= MAX in 0..%llu", a,
					    (unsigned long long)o->max);
			e->ranged = 1;
			return 0;
		}
		if (pktcraft_parse_uint(a, o->max, &e->v))
			return fail(s, r, err, errlen,
				    "'%s' is not a number in %llu..%llu (decimal or 0x hex)",
				    a, (unsigned long long)o->min, (unsigned long long)o->max);
		if (e->v < o->min || (r->shift && e->v & ((1u << r->shift) - 1)))
			return fail(s, r, err, errlen, "'%s' is not %s in %llu..%llu", a,
				    r->shift ? "a multiple of 8" : "a number",
				    (unsigned long long)o->min, (unsigned long long)o->max);
		return 0;
	case PKTCRAFT_OPT_T_HEX:
		if (parse_hexnum(a, o->max, &e->v))
			return fail(s, r, err, errlen, "'%s' is not hexadecimal in 0..%llx", a,
				    (unsigned long long)o->max);
		return 0;
	case PKTCRAFT_OPT_T_ADDR:
		if (o->flags & RANGE && strchr(a, '-') && !parse_range(r, a, e)) {
			e->ranged = 1;
			return 0;
		}
		if (strchr(a, ':')) {	/* IPv6 (a name has no colon) */
			if (o->flags & RANGE && strchr(a, '-'))
				return fail(s, r, err, errlen,
					    "'%s' is not A-B: two IPv6 addresses equal but for their low 32 bits, A <= B",
					    a);
			if (pktcraft_parse_ipv6(a, e->a6))
				return fail(s, r, err, errlen, "'%s' is not an IPv6 address", a);
			e->fam = AF_INET6;
			return 0;
		}
		if (!pktcraft_parse_ipv4(a, &be)) {
			e->v = be;
			e->fam = AF_INET;
			return 0;
		}
		/* A host name: looked up when the family is known (apply). */
		n = strspn(a, "0123456789.");
		if (!a[n] || strlen(a) > 253)
			return fail(s, r, err, errlen, "'%s' is not an IPv4 address", a);
		return 0;
	case PKTCRAFT_OPT_T_MAC:
		if (pktcraft_parse_mac(a, mac))
			return fail(s, r, err, errlen, "'%s' is not a MAC (aa:bb:cc:dd:ee:ff)", a);
		return 0;
	case PKTCRAFT_OPT_T_IFNAME: {
		struct pktcraft_req tmp;

		rc = pktcraft_req_set_dev(&tmp, a);
		if (rc)
			return fail(s, r, err, errlen, "no interface '%s' in this network namespace (%s)",
				    a, strerror(-rc));
		e->v = tmp.ifindex;
		return 0;
	}
	case PKTCRAFT_OPT_T_TCPFLAGS: {
		uint16_t f;

		if (pktcraft_parse_tcp_flags(a, &f))
			return fail(s, r, err, errlen,
				    "'%s' is not S,A,F,R,P,U,E,C letters (+N), names (syn,ack), or a number 0..0x1ff",
				    a);
		e->v = f;
		return 0;
	}
	case PKTCRAFT_OPT_T_IPOPTS:
	case PKTCRAFT_OPT_T_TCPOPTS:
		e->bytes = calloc(1, PKTCRAFT_MAX_OPTLEN);
		if (!e->bytes)
			return -ENOMEM;
		n = 0;
		rc = (o->type == PKTCRAFT_OPT_T_IPOPTS ? pktcraft_parse_ip_opts :
		      pktcraft_parse_tcp_opts)(a, e->bytes, &n, why, sizeof(why));
		if (rc)
			return fail(s, r, err, errlen, "%s", rc == -ENOMEM ? "out of memory" : why);
		e->nbytes = n;
		return 0;
	case PKTCRAFT_OPT_T_STRING:
		n = strlen(a);
		if (n > 0xffff)
			return fail(s, r, err, errlen, "longer than 65535 bytes");
		e->bytes = malloc(n + 1);
		if (!e->bytes)
			return -ENOMEM;
		memcpy(e->bytes, a, n + 1);
		e->nbytes = n;
		return 0;
	case PKTCRAFT_OPT_T_HEXBYTES:
		e->bytes = malloc(65536);
		if (!e->bytes)
			return -ENOMEM;
		if (pktcraft_parse_hex(a, e->bytes, 65535, &e->nbytes))
			return fail(s, r, err, errlen, "not hex bytes (at most 65535)");
		return 0;
	case PKTCRAFT_OPT_T_FILE:
		rc = read_file(a, s->flags, &e->bytes, &e->nbytes, &e->more, why, sizeof(why));
		if (rc)
			return fail(s, r, err, errlen, "%s", rc == -ENOMEM ? "out of memory" : why);
		return 0;
	case PKTCRAFT_OPT_T_RATE:
		if (parse_rate(a, &e->v))
			return fail(s, r, err, errlen, "'%s' is not a rate in 0.1..1e9 packets/s", a);
		return 0;
	case PKTCRAFT_OPT_T_DURATION:
		if (parse_duration(a, &e->v))
			return fail(s, r, err, errlen,
				    "'%s' is not a duration: seconds, uN microseconds, or a number with ns/us/ms/s (at most 10 s)",
				    a);
		return 0;
	case PKTCRAFT_OPT_T_CHOICE: {
		const char *c = o->arg;

		for (e->v = 0; *c; e->v++) {
			size_t w = strcspn(c, "|");

			if (w == strlen(a) && !strncmp(c, a, w))
				return 0;
			c += w + (c[w] == '|');
		}
		return fail(s, r, err, errlen, "'%s' is not one of %s", a, o->arg);
	}
	case PKTCRAFT_OPT_T_VARY:
		return parse_vary(s, r, a, e, err, errlen);
	case PKTCRAFT_OPT_T_EXT:
		e->bytes = malloc(PKTCRAFT_MAX_EXT_LEN);
		if (!e->bytes)
			return -ENOMEM;
		rc = pktcraft_parse_ext(a, &e->ext, e->bytes, PKTCRAFT_MAX_EXT_LEN, &e->nbytes,
					why, sizeof(why));
		if (rc)
			/* A long header's hex would leave no room for why. */
			return rc == -ENOMEM ? rc : fail(s, r, err, errlen, "'%.40s%s': %s", a,
							 strlen(a) > 40 ? "..." : "", why);
		return 0;
	}
	return fail(s, r, err, errlen, "cannot be set");
}

int pktcraft_optset_add(struct pktcraft_optset *s, const char *name,
			const char *value, char *err, size_t errlen)
{
	const struct pktcraft_opt *o = pktcraft_opt_find(name);
	struct entry e = { .vary_field = -1 };
	const struct row *r;
	int rc;

	if (!o) {
		if (err && errlen)
			snprintf(err, errlen, "unknown option '%s'", name ? name : "(null)");
		return -ENOENT;
	}
	r = row_of(o);
	if (o->arg && !value)
		return fail(s, r, err, errlen, "needs an argument (%s)", o->arg);
	e.r = r;
	rc = check_arg(s, r, value, &e, err, errlen);
	if (!rc && value && !(e.value = strdup(value)))
		rc = -ENOMEM;
	if (!rc && s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct entry *ne = realloc(s->e, cap * sizeof(*ne));

		if (!ne)
			rc = -ENOMEM;
		else {
			s->e = ne;
			s->cap = cap;
		}
	}
	if (rc) {
		if (rc == -ENOMEM && err && errlen)
			snprintf(err, errlen, "out of memory");
		free(e.value);
		free(e.bytes);
		return rc;
	}
	s->e[s->n++] = e;
	return 0;
}

int pktcraft_optset_has(const struct pktcraft_optset *s, const char *name)
{
	const struct pktcraft_opt *o = pktcraft_opt_find(name);

	for (size_t i = 0; o && i < s->n; i++)
		if (&s->e[i].r->o == o && s->e[i].v)
			return 1;
	return 0;
}

uint64_t pktcraft_optset_count(const struct pktcraft_optset *s)
{
	return s->count;
}

/* A flag (T_NONE) given as "0" is not given at all, except where it clears. */
static int given(const struct entry *e)
{
	return e->r->o.type != PKTCRAFT_OPT_T_NONE || e->v || e->r->op == OP_BITS;
}

static void store(struct pktcraft_req *req, const struct row *r, uint64_t v)
{
	uint8_t *p = (uint8_t *)req + r->off;
	uint64_t old = 0, mask = r->bits;

	v >>= r->shift;
	switch (r->size) {
	case 1: old = *p; break;
	case 2: old = *(uint16_t *)p; break;
	case 4: old = *(uint32_t *)p; break;
	}
	if (mask)
		v = (old & ~mask) | (v & mask);
	switch (r->size) {
	case 1: *p = v; break;
	case 2: *(uint16_t *)p = v; break;
	case 4: *(uint32_t *)p = v; break;
	}
	req->flags |= r->force;
}

/* The variation of field f (NULL: the request is too old for it). */
static struct pktcraft_vary *vary_of(struct pktcraft_req *r, int f)
{
	if (f == PKTCRAFT_VARY_FLOWLABEL)
		return r->size >= PKTCRAFT_REQ_SIZE_VER3 ? &r->vary_flowlabel : NULL;
	return &r->vary[f];
}

static uint32_t field_value(const struct pktcraft_req *r, int f)
{
	uint32_t be;

	switch (f) {
	case PKTCRAFT_VARY_SPORT: return r->sport;
	case PKTCRAFT_VARY_DPORT: return r->dport;
	case PKTCRAFT_VARY_TCP_SEQ: return r->tcp_seq;
	case PKTCRAFT_VARY_IP_ID: return r->ip_id;
	case PKTCRAFT_VARY_FLOWLABEL: return r->ip6_flowlabel;
	default:
		if (pktc_family(r) != AF_INET6)
			return ntohl(r->ip_saddr);
		memcpy(&be, r->ip6_saddr + 12, 4);	/* the low 32 bits */
		return ntohl(be);
	}
}

static void set_field(struct pktcraft_req *r, int f, uint32_t v)
{
	uint32_t be = htonl(v);

	switch (f) {
	case PKTCRAFT_VARY_SPORT: r->sport = v; break;
	case PKTCRAFT_VARY_DPORT: r->dport = v; break;
	case PKTCRAFT_VARY_TCP_SEQ: r->tcp_seq = v; break;
	case PKTCRAFT_VARY_FLOWLABEL: r->ip6_flowlabel = v; break;
	case PKTCRAFT_VARY_IP_ID:
		r->ip_id = v;
		r->flags |= PKTCRAFT_F_IP_ID;
		break;
	default:
		if (pktc_family(r) == AF_INET6)
			memcpy(r->ip6_saddr + 12, &be, 4);
		else
			r->ip_saddr = be;
		r->flags |= PKTCRAFT_F_IP_SADDR;
		break;
	}
}

int pktcraft_req_vary_advance(struct pktcraft_req *req, uint64_t n)
{
	for (size_t i = 0; i < NVARY; i++) {
		int f = vary_fields[i];
		const struct pktcraft_vary *v = vary_of(req, f);
		uint64_t span, off;
		uint32_t cur;

		if (!v || v->mode != PKTCRAFT_VARY_INC)
			continue;
		span = (uint64_t)v->max - v->min + 1;
		cur = field_value(req, f);
		if (cur < v->min || cur > v->max || !v->step)
			return -EINVAL;
		off = (uint64_t)(cur - v->min) + (n % span) * (v->step % span) % span;
		set_field(req, f, v->min + (uint32_t)(off % span));
	}
	return 0;
}

static int is_zero_mac(const uint8_t *m)
{
	return !(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]);
}

static const char *kind_name(int l4)
{
	static const char *const names[] = { "TCP", "UDP", "ICMP", "opaque (--proto)" };

	return l4 >= 0 && l4 <= PKTCRAFT_L4_RAW ? names[l4] : "?";
}

/* The kinds an option mask allows, for messages: "TCP or UDP". */
static const char *kinds(unsigned int mask, char *buf, size_t len)
{
	size_t n = 0;
	int k, c = 0;

	buf[0] = '\0';
	for (k = 0; k <= PKTCRAFT_L4_RAW; k++)
		if (mask & (1u << k))
			c++;
	for (k = 0; k <= PKTCRAFT_L4_RAW; k++)
		if (mask & (1u << k) && n < len) {
			c--;
			n += snprintf(buf + n, len - n, "%s%s", kind_name(k),
				      c > 1 ? ", " : c == 1 ? " or " : "");
		}
	return buf;
}

static const char *fam_name(int fam)
{
	return fam == AF_INET6 ? "IPv6" : "IPv4";
}

/* An address of the packet's family: the low 32 bits v (host order) in req's source. */
static const char *addr_text(const struct pktcraft_req *req, int fam, uint32_t v, char *buf,
			     size_t len)
{
	uint8_t a[16];
	uint32_t be = htonl(v);

	if (fam == AF_INET6) {
		memcpy(a, req->ip6_saddr, 12);
		memcpy(a + 12, &be, 4);
		return inet_ntop(AF_INET6, a, buf, len);
	}
	return inet_ntop(AF_INET, &be, buf, len);
}

/*
 * The packet's family: -4/-6, else the addresses' own, else the request's;
 * one family for all. Switches req to it, and looks host names up in it.
 */
static int apply_family(struct pktcraft_optset *s, struct pktcraft_req *req, int *family,
			char *err, size_t errlen)
{
	const struct row *forced = NULL;
	const struct entry *by = NULL;
	int fam, given_dst = 0, given_src = 0, rc;
	char k1[48], k2[48], why[240];
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct entry *e = &s->e[i];

		if (!given(e))
			continue;
		if (e->r->op == OP_FAMILY) {
			if (forced && forced != e->r)
				return fail(s, NULL, err, errlen, "%s and %s: one family per packet",
					    oname(s, forced, k1, sizeof(k1)),
					    oname(s, e->r, k2, sizeof(k2)));
			forced = e->r;
		}
		if (e->r->op == OP_ADDR)
			*(e->r->bits ? &given_src : &given_dst) = 1;
		if (e->r->op == OP_RANDSRC || (e->r->op == OP_VARY && e->vary_field == PKTCRAFT_VARY_IP_SADDR))
			given_src = 1;
	}
	for (i = 0; i < s->n; i++) {
		const struct entry *e = &s->e[i];

		if (!given(e) || !e->fam ||
		    (e->r->op != OP_ADDR && !(e->r->op == OP_VARY && e->vary_field == PKTCRAFT_VARY_IP_SADDR)))
			continue;
		if (forced && e->fam != (int)forced->bits)
			return fail(s, e->r, err, errlen, "'%s' is an %s address, and %s asks for %s",
				    e->value, fam_name(e->fam), oname(s, forced, k1, sizeof(k1)),
				    fam_name(forced->bits));
		if (by && e->fam != by->fam)
			return fail(s, e->r, err, errlen, "'%s' is %s and %s '%s' is %s: one family per packet",
				    e->value, fam_name(e->fam), oname(s, by->r, k1, sizeof(k1)),
				    by->value, fam_name(by->fam));
		by = e;
	}
	fam = forced ? (int)forced->bits : by ? by->fam : pktc_family(req);
	if (fam != pktc_family(req)) {
		/* An address the request keeps would be of the other family. */
		if ((pktc_holds(req, 1) && !given_dst) || (pktc_holds(req, 0) && !given_src))
			return fail(s, by ? by->r : forced, err, errlen,
				    "%s, but the request's %s is %s: give its %s too (one family per packet)",
				    fam_name(fam), given_dst ? "source" : "destination",
				    fam_name(pktc_family(req)), given_dst ? "source" : "destination");
		rc = pktcraft_req_set_family(req, fam);
		if (rc)
			return fail(s, by ? by->r : forced, err, errlen,
				    "IPv6 needs a request of version 3 (%d bytes); this one is %u bytes",
				    PKTCRAFT_REQ_SIZE_VER3, req->size);
	}
	/* Host names, in that family. */
	for (i = 0; i < s->n; i++) {
		struct entry *e = &s->e[i];
		uint8_t a[16];
		int got;

		if (!given(e) || e->r->op != OP_ADDR || e->fam || e->ranged)
			continue;
		if (pktcraft_resolve(e->value, fam, &got, a, why, sizeof(why)))
			return fail(s, e->r, err, errlen, "%s", why);
		e->fam = got;
		if (got == AF_INET6)
			memcpy(e->a6, a, 16);
		else {
			uint32_t be;

			memcpy(&be, a, 4);
			e->v = be;
		}
	}
	*family = fam;
	return 0;
}

static int apply(struct pktcraft_optset *s, struct pktcraft_req *req, char *err,
		 size_t errlen)
{
	const struct row *kind_row = NULL, *gap_row = NULL, *data_row = NULL;
	const struct entry *count_e = NULL, *len_e = NULL, *src6 = NULL;
	unsigned int given_mask = 0, vary_set = 0, opts_seen = 0, next = 0;
	int kind = -1, implied = -1, flags_from_zero = 0, has_proto = 0, fam = 0, has_src = 0;
	int fate = 0;
	uint64_t gap = 0, span = 0;
	char k1[48], k2[48], list[96];
	size_t i;
	int rc = 0;

	/* Which kind, and what conflicts, before anything changes. */
	for (i = 0; i < s->n; i++) {
		const struct entry *e = &s->e[i];
		const struct row *r = e->r;

		if (!given(e))
			continue;
		if (r->o.flags & KIND) {
			if (kind >= 0 && kind != (int)r->bits)
				return fail(s, NULL, err, errlen, "%s and %s: only one layer 4 kind (%s)",
					    oname(s, kind_row, k1, sizeof(k1)), oname(s, r, k2, sizeof(k2)),
					    names(s, "tcp udp icmp rawip proto", list, sizeof(list)));
			kind = r->bits;
			kind_row = r;
			has_proto |= r->o.arg != NULL;
		} else if (r->o.flags & IMPL) {
			implied = __builtin_ctz(r->o.l4);
		}
		if (r->op == OP_GAP || r->op == OP_FLOOD) {
			if (gap_row && gap_row != r)
				return fail(s, NULL, err, errlen, "%s and %s: only one of %s",
					    oname(s, gap_row, k1, sizeof(k1)), oname(s, r, k2, sizeof(k2)),
					    names(s, "rate interval fast faster flood", list, sizeof(list)));
			gap_row = r;
		}
		if (r->op == OP_DATA) {
			if (data_row && data_row != r)
				return fail(s, NULL, err, errlen, "%s and %s: only one of %s",
					    oname(s, data_row, k1, sizeof(k1)), oname(s, r, k2, sizeof(k2)),
					    names(s, "data data-hex data-file", list, sizeof(list)));
			data_row = r;
		}
	}
	if (kind < 0)
		kind = implied >= 0 ? implied : req->l4;
	if (kind > PKTCRAFT_L4_RAW)
		return fail(s, NULL, err, errlen, "the request's layer 4 kind %d is unknown", kind);
	rc = apply_family(s, req, &fam, err, errlen);
	if (rc)
		return rc;

	/* Every option must apply to that kind and that family. */
	for (i = 0; i < s->n; i++) {
		const struct entry *e = &s->e[i];
		const struct row *r = e->r->op == OP_VARY ? vary_row(e->vary_field) : e->r;
		unsigned int l4 = r->o.l4;

		if (!given(e))
			continue;
		if (!(l4 & (1u << kind)))
			return fail(s, e->r, err, errlen, "%s%sapplies to %s; this packet is %s",
				    e->r->op == OP_VARY ? e->value : "", e->r->op == OP_VARY ? " " : "",
				    kinds(l4, k1, sizeof(k1)), kind_name(kind));
		if (r->o.family && r->o.family != fam)
			return fail(s, e->r, err, errlen, "%s%sapplies to %s; this packet is %s (%s)%s",
				    e->r->op == OP_VARY ? e->value : "", e->r->op == OP_VARY ? " " : "",
				    fam_name(r->o.family), fam_name(fam), r->alt,
				    fam == AF_INET ? "; an IPv6 destination, or -6 with a host name, makes it IPv6" : "");
		if (e->r->op == OP_ADDR && e->r->bits)
			has_src = 1;
	}
	if (fam == AF_INET6 && pktcraft_optset_has(s, "rand-source") && !has_src && !pktc_holds(req, 0))
		return fail(s, row_of(pktcraft_opt_find("rand-source")), err, errlen,
			    "on IPv6 it draws the source's low 32 bits; --src gives the other 96 (e.g. --src 2001:db8::)");
	rc = pktcraft_req_set_l4(req, kind);
	if (rc)
		return fail(s, NULL, err, errlen, "cannot set layer 4 kind %d", kind);

	/* Then the options, in the order given: the last one wins. */
	for (i = 0; i < s->n; i++) {
		struct entry *e = &s->e[i];
		const struct row *r = e->r;
		uint8_t *p = (uint8_t *)req + r->off;

		if (!given(e))
			continue;
		if (r->o.vary >= 0 && !e->ranged)
			given_mask |= 1u << r->o.vary;
		switch (r->op) {
		case OP_STORE:
			if (e->ranged && vary_set & (1u << r->o.vary))
				return fail(s, r, err, errlen, "%s is already varied (a range or --vary)",
					    r->o.name);
			if (e->ranged == 1) {
				rc = pktcraft_req_set_vary(req, r->o.vary, PKTCRAFT_VARY_INC,
							   e->lo, e->hi, 1);
				set_field(req, r->o.vary, e->lo);
				if (e->hi - e->lo + 1ULL > span)
					span = e->hi - e->lo + 1ULL;
				vary_set |= 1u << r->o.vary;
				break;
			}
			if (e->ranged == 2) {	/* ++N: from N over the whole range */
				rc = pktcraft_req_set_vary(req, r->o.vary, PKTCRAFT_VARY_INC,
							   r->o.min, r->o.max, 1);
				set_field(req, r->o.vary, e->v);
				vary_set |= 1u << r->o.vary;
				break;
			}
			if (e->ranged == 3) {	/* rand[:MIN-MAX] */
				rc = pktcraft_req_set_vary(req, r->o.vary, PKTCRAFT_VARY_RANDOM,
							   e->lo, e->hi, 0);
				set_field(req, r->o.vary, e->lo);
				vary_set |= 1u << r->o.vary;
				break;
			}
			store(req, r, e->v);
			break;
		case OP_BITS:	/* the bits are the mask: set or cleared */
			store(req, r, e->v ? r->bits : 0);
			break;
		case OP_TCPFLAG:
		case OP_FLAGS:
			flags_from_zero = 1;
			break;
		case OP_KIND:
			if (r->o.arg)		/* --proto N */
				req->ip_protocol = e->v;
			else if (r->bits == PKTCRAFT_L4_RAW && !has_proto)
				req->ip_protocol = 6;	/* hping3's raw IP default */
			break;
		case OP_DEV:
			req->ifindex = e->v;
			break;
		case OP_ADDR:
			if (e->ranged && vary_set & (1u << PKTCRAFT_VARY_IP_SADDR))
				return fail(s, r, err, errlen, "src is already varied");
			if (e->ranged) {
				if (fam == AF_INET6)
					memcpy(req->ip6_saddr, e->a6, 12);
				pktcraft_req_set_vary(req, PKTCRAFT_VARY_IP_SADDR, PKTCRAFT_VARY_INC,
						      e->lo, e->hi, 1);
				set_field(req, PKTCRAFT_VARY_IP_SADDR, e->lo);
				if (e->hi - e->lo + 1ULL > span)
					span = e->hi - e->lo + 1ULL;
				vary_set |= 1u << PKTCRAFT_VARY_IP_SADDR;
			} else if (r->bits) {
				if (fam == AF_INET6)
					memcpy(req->ip6_saddr, e->a6, 16);
				else
					req->ip_saddr = e->v;
				req->flags |= r->force;
			} else if (fam == AF_INET6) {
				memcpy(req->ip6_daddr, e->a6, 16);
			} else {
				req->ip_daddr = e->v;
			}
			break;
		case OP_FAMILY:
			break;
		case OP_EXT:
			next++;
			break;
		case OP_MAC:
			pktcraft_parse_mac(e->value, p);
			break;
		case OP_IPOPTS:
		case OP_TCPOPTS: {
			uint8_t *opts = r->op == OP_IPOPTS ? req->ip_opts : req->tcp_opts;
			uint8_t *optlen = r->op == OP_IPOPTS ? &req->ip_optlen : &req->tcp_optlen;

			/* The first replaces the list, repeated ones add to it. */
			if (!(opts_seen & (1u << r->op))) {
				memset(opts, 0, PKTCRAFT_MAX_OPTLEN);
				*optlen = 0;
				opts_seen |= 1u << r->op;
			}
			if (*optlen + e->nbytes > PKTCRAFT_MAX_OPTLEN)
				return fail(s, r, err, errlen, "options exceed %d bytes",
					    PKTCRAFT_MAX_OPTLEN);
			memcpy(opts + *optlen, e->bytes, e->nbytes);
			*optlen += e->nbytes;
			break;
		}
		case OP_DATA:
		case OP_DATALEN:
			if (r->op == OP_DATALEN)
				len_e = e;
			break;
		case OP_COUNT:
			count_e = e;
			break;
		case OP_GAP:
			gap = r->o.arg ? e->v : r->bits;
			break;
		case OP_FLOOD:
			gap = 0;
			break;
		case OP_VARY:
			if (vary_set & (1u << e->vary_field))
				return fail(s, r, err, errlen, "%s is already varied (a range or --vary)",
					    vary_row(e->vary_field)->o.name);
			rc = pktcraft_req_set_vary(req, e->vary_field, e->vary_mode, e->lo,
						   e->hi, e->step);
			vary_set |= 1u << e->vary_field;
			if (e->vary_field == PKTCRAFT_VARY_IP_SADDR && e->fam == AF_INET6)
				src6 = e;
			break;
		case OP_RANDSRC:
			if (vary_set & (1u << PKTCRAFT_VARY_IP_SADDR))
				return fail(s, r, err, errlen, "src is already varied");
			rc = pktcraft_req_set_vary(req, PKTCRAFT_VARY_IP_SADDR,
						   PKTCRAFT_VARY_RANDOM, 0, UINT32_MAX, 0);
			vary_set |= 1u << PKTCRAFT_VARY_IP_SADDR;
			break;
		case OP_DEVICE:
			break;
		case OP_FATE:
			fate = 1;
			break;
		}
		if (r->off >= PKTCRAFT_REQ_SIZE_VER3 && req->size < r->off + r->size)
			return fail(s, r, err, errlen, "needs a request of version 4 (%d bytes); this one is %u bytes",
				    PKTCRAFT_REQ_SIZE_VER4, req->size);
		if (rc)
			return fail(s, r, err, errlen, "cannot be applied (%s)", strerror(-rc));
	}

	/* --fate waits its default unless --fate-wait says how long. */
	if (fate) {
		if (req->size < PKTCRAFT_REQ_SIZE_VER4)
			return fail(s, row_of(pktcraft_opt_find("fate")), err, errlen,
				    "needs a request of version 4 (%d bytes); this one is %u bytes",
				    PKTCRAFT_REQ_SIZE_VER4, req->size);
		if (!req->fate_ms)
			req->fate_ms = row_of(pktcraft_opt_find("fate"))->bits;
	}
	/* The IP layer writes the link header: no MAC of ours (EINVAL). */
	if (req->size >= PKTCRAFT_REQ_SIZE_VER4 && req->inject == PKTCRAFT_INJECT_IP &&
	    (!is_zero_mac(req->dst_mac) || !is_zero_mac(req->src_mac)))
		return fail(s, row_of(pktcraft_opt_find("inject")), err, errlen,
			    "ip: the route's neighbour writes the link header; --dst-mac and --src-mac cannot be given");

	/* TCP flags: --flags, then the letters added to it, from no flags. */
	if (flags_from_zero) {
		req->tcp_flags = 0;
		for (i = 0; i < s->n; i++)
			if (s->e[i].r->op == OP_FLAGS)
				req->tcp_flags = s->e[i].v;
		for (i = 0; i < s->n; i++)
			if (s->e[i].r->op == OP_TCPFLAG && s->e[i].v)
				req->tcp_flags |= s->e[i].r->bits;
	}

	/*
	 * Fields varied by this set start at their given value (which must
	 * lie in the range), where a range (MIN-MAX, ++N) put them, or at
	 * their minimum.
	 */
	/* An IPv6 source range of --vary: its upper 96 bits are the source's. */
	if (src6) {
		if (!has_src && !pktc_holds(req, 0))
			memcpy(req->ip6_saddr, src6->a6, 12);
		else if (memcmp(req->ip6_saddr, src6->a6, 12))
			return fail(s, src6->r, err, errlen,
				    "%s: the range and the source differ above the low 32 bits",
				    src6->value);
	}
	for (size_t k = 0; k < NVARY; k++) {
		int f = vary_fields[k];
		const struct pktcraft_vary *v = vary_of(req, f);
		const struct row *r = vary_row(f);
		uint32_t cur = field_value(req, f);
		int from_range = 0;

		if (!v || !v->mode || !(vary_set & (1u << f)))
			continue;
		for (i = 0; i < s->n; i++)
			if (s->e[i].r == r && s->e[i].ranged)
				from_range = 1;
		if (!(given_mask & (1u << f))) {
			if (!from_range)
				set_field(req, f, v->min);
			continue;
		}
		if (cur < v->min || cur > v->max) {
			if (r->o.type == PKTCRAFT_OPT_T_ADDR) {
				char sa[48], slo[48], shi[48];

				addr_text(req, fam, cur, sa, sizeof(sa));
				addr_text(req, fam, v->min, slo, sizeof(slo));
				addr_text(req, fam, v->max, shi, sizeof(shi));
				return fail(s, NULL, err, errlen,
					    "--vary %s: the given start value %s is outside %s-%s",
					    r->o.name, sa, slo, shi);
			}
			return fail(s, NULL, err, errlen,
				    "--vary %s: the given start value %u is outside %u-%u",
				    r->o.name, cur, v->min, v->max);
		}
		set_field(req, f, cur);	/* makes an ID or source literal */
	}

	/*
	 * The payload: content, then cut or padded with zeros to
	 * --data-length. Without content, the request's own payload, if it
	 * has one (a length set on a request that holds bytes keeps them),
	 * else hping3's 'X's.
	 */
	if (data_row || len_e) {
		const uint8_t *from = NULL;
		const struct entry *c = NULL;
		size_t n, have = 0;
		uint8_t *buf;

		for (i = 0; i < s->n; i++)
			if (s->e[i].r->op == OP_DATA)
				c = &s->e[i];
		if (c && c->more && !len_e)
			return fail(s, c->r, err, errlen,
				    "'%s' is larger than 65535 bytes (--data-length N sends its first N)",
				    c->value);
		if (c) {
			from = c->bytes;
			have = c->nbytes;
		} else if (req->payload && req->payload_len) {
			from = (const uint8_t *)(uintptr_t)req->payload;
			have = req->payload_len;
		}
		n = len_e ? len_e->v : c->nbytes;
		buf = malloc(n ? n : 1);	/* before the old one is freed: it may be from */
		if (!buf)
			return fail(s, NULL, err, errlen, "out of memory");
		if (from) {
			memcpy(buf, from, have < n ? have : n);
			if (have < n)
				memset(buf + have, 0, n - have);
		} else {
			memset(buf, 'X', n);
		}
		free(s->payload);
		s->payload = buf;
		pktcraft_req_set_payload(req, s->payload, n);
	}

	/* The extension headers: the set's replace the request's. */
	if (next) {
		size_t k = 0;

		if (next > PKTCRAFT_MAX_EXT)
			return fail(s, row_of(pktcraft_opt_find("ext")), err, errlen,
				    "%u extension headers, at most %d", next, PKTCRAFT_MAX_EXT);
		free(s->ext);
		s->ext = calloc(next, sizeof(*s->ext));
		if (!s->ext)
			return fail(s, NULL, err, errlen, "out of memory");
		for (i = 0; i < s->n; i++)
			if (s->e[i].r->op == OP_EXT) {
				s->ext[k] = s->e[i].ext;
				s->ext[k].data = s->e[i].nbytes ? (uintptr_t)s->e[i].bytes : 0;
				k++;
			}
		req->ext = (uintptr_t)s->ext;
		req->ext_nr = next;
	}

	/* How many packets, how paced. */
	s->count_set = count_e || span || gap_row;
	if (count_e)
		s->count = count_e->v;
	else if (span)
		s->count = span;
	else if (gap_row)
		s->count = 0;	/* paced, or a flood: until interrupted */
	else
		s->count = 1;
	if (gap_row)
		req->gap_ns = gap;
	if (s->count_set)
		req->count = s->count >= 1 && s->count <= PKTCRAFT_MAX_COUNT ? s->count : 0;
	return 0;
}

/* On a copy: a set that fails leaves the request as it was. */
int pktcraft_optset_apply(struct pktcraft_optset *s, struct pktcraft_req *req,
			  char *err, size_t errlen)
{
	struct pktcraft_req work;
	size_t n = req->size < sizeof(work) ? req->size : sizeof(work);
	int rc;

	pktc_req_copy(&work, req);	/* only the bytes of the caller's version */
	rc = apply(s, &work, err, errlen);
	if (!rc)
		memcpy(req, &work, n < PKTCRAFT_REQ_SIZE_VER0 ? PKTCRAFT_REQ_SIZE_VER0 : n);
	return rc;
}
