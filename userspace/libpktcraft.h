/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libpktcraft: describe IPv4 and IPv6 packets and have /dev/pktcraft build
 * and send them. Every function returning int returns 0 (or a count) on success and
 * a negative errno on failure; pktcraft_strerror() explains it.
 */
#ifndef LIBPKTCRAFT_H
#define LIBPKTCRAFT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/pktcraft.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The version this header belongs to. In the source tree it comes from
 * module/version.h, the one place it is written; make install writes the
 * number itself into the installed copy of this header.
 */
#include "../module/version.h"
#define PKTCRAFT_LIB_VERSION PKTCRAFT_VERSION
#define PKTCRAFT_MAX_FRAME 65600

/* Device */
int pktcraft_open(void);		/* fd or -errno */
void pktcraft_close(int fd);

/*
 * The library's own version ("0.1.0"), which can differ from the
 * PKTCRAFT_LIB_VERSION a program was compiled with when the shared library
 * is newer. pktcraft_module_version() copies the loaded module's version
 * (/sys/module/pktcraft/version) into buf: 0, or -ENOENT when the module is
 * not loaded, -ENOSPC when buf is too small.
 */
const char *pktcraft_version(void);
int pktcraft_module_version(char *buf, size_t len);

/*
 * Requests: init zeroes everything, sets size (sizeof(struct pktcraft_req)
 * of this header: 376 bytes, version 4), TTL 64 and a TCP SYN with
 * window 65535 from port 54321 to port 80 (PKTCRAFT_DEFAULT_SPORT/DPORT);
 * the family is IPv4 until an IPv6 address or pktcraft_req_set_family()
 * makes it IPv6. The payload is pointed at, not copied: data must stay
 * valid until the request is sent or built (-EMSGSIZE above 65535 bytes).
 *
 * Older programs keep working: one built against an older header (a
 * smaller struct) gets the pktcraft_req_init of its time,
 * @LIBPKTCRAFT_0.1 (296 bytes, version 2) or @LIBPKTCRAFT_0.2 (360 bytes,
 * version 3), which writes that struct's bytes and size; every other
 * function reads and
 * writes only the req->size bytes of a request (IPv6 needs version 3:
 * -EINVAL on a smaller one).
 */
#define PKTCRAFT_DEFAULT_SPORT 54321
#define PKTCRAFT_DEFAULT_DPORT 80
void pktcraft_req_init(struct pktcraft_req *req);
int pktcraft_req_set_payload(struct pktcraft_req *req, const void *data,
			     size_t len);

/*
 * Builder helpers. A request may also be filled field by field (see
 * linux/pktcraft.h), keeping in mind that the fields the kernel fills
 * (ip_id, ip_saddr, ip_tot_len, ip_csum, ip_ihl, l4_csum, tcp_doff,
 * udp_len) must stay 0 unless their PKTCRAFT_F_* flag is set, and that the
 * fields of the other layer 4 kinds must be 0. Each helper returns 0 or
 * -errno and leaves the request unchanged when it fails.
 */
/*
 * An IPv4 address, or a host name resolved with getaddrinfo() (AF_INET, the
 * first answer, in the caller's network namespace). Strings of digits and
 * dots only are addresses and never looked up ("10.3.0" is -EINVAL). On
 * failure -EINVAL, and the reason in err (errlen bytes; err may be NULL).
 */
int pktcraft_resolve_ipv4(const char *name, uint32_t *be_addr, char *err,
			  size_t errlen);
/*
 * An address of either family, or a host name. family AF_INET or AF_INET6
 * asks for that one: a literal of the other family is -EINVAL, a name is
 * resolved with getaddrinfo() in it (the first answer). AF_UNSPEC (0)
 * takes a literal as what it is and resolves a name as IPv4. *family_out
 * gets AF_INET or AF_INET6; addr gets 4 bytes (network order, as
 * struct in_addr) or 16. On failure -EINVAL and the reason in err.
 */
int pktcraft_resolve(const char *name, int family, int *family_out,
		     uint8_t addr[16], char *err, size_t errlen);
/*
 * The destination: an IPv4 or IPv6 address, or a host name resolved in
 * the request's family (IPv4 unless pktcraft_req_set_family() made it
 * IPv6). An address of the other family switches the request to it
 * (pktcraft_req_set_family()) unless the request holds a source of its
 * current family: then -EAFNOSUPPORT (mixing families), request unchanged.
 */
int pktcraft_req_set_dst(struct pktcraft_req *req, const char *addr);
/*
 * The source, the same way (switching the family unless a destination of
 * the current family is held); also makes it literal (PKTCRAFT_F_IP_SADDR),
 * even 0.0.0.0 or ::.
 */
int pktcraft_req_set_src(struct pktcraft_req *req, const char *addr);
/*
 * AF_INET (or 0) or AF_INET6 (-EAFNOSUPPORT for others; -EINVAL for
 * AF_INET6 on a request smaller than version 3). Changing the family
 * clears the addresses and the fields the new family does not have (IPv4:
 * IHL, ID, fragment bits, checksum, options, their flags and variation;
 * IPv6: next header, flow label, extension headers) as well as the source
 * variation and a forced length, and swaps an ICMP echo request's type
 * (8 and 128). TTL/hop limit, TOS/traffic class and everything above
 * layer 3 are kept. The same family again changes nothing.
 */
int pktcraft_req_set_family(struct pktcraft_req *req, int family);
/* An IP ID used as given, even 0 (PKTCRAFT_F_IP_ID). */
void pktcraft_req_set_ip_id(struct pktcraft_req *req, uint16_t id);
/* "aa:bb:cc:dd:ee:ff"; the default (all zero) is the neighbour / device. */
int pktcraft_req_set_dst_mac(struct pktcraft_req *req, const char *mac);
int pktcraft_req_set_src_mac(struct pktcraft_req *req, const char *mac);
/*
 * "name (link type N kind, M-byte link addresses)" of an interface, for
 * messages: 0, or -ENODEV.
 */
int pktcraft_dev_describe(unsigned int ifindex, char *buf, size_t len);
/*
 * "PROG: WHAT failed: explanation (strerror)" on stderr, and for
 * EOPNOTSUPP a line naming the device's kind (req may be NULL).
 */
void pktcraft_perror(const char *prog, const char *what, int err,
		     const struct pktcraft_req *req);
/*
 * The open file's send buffer (bounds what its packets in flight may take):
 * set_bytes 0 only reads it; otherwise SO_SNDBUF semantics (doubled, capped
 * at net.core.wmem_max unless force, which needs CAP_NET_ADMIN). 0 or -errno.
 */
int pktcraft_sndbuf(int fd, uint32_t set_bytes, int force, uint32_t *bytes,
		    uint32_t *in_flight);
/* Egress interface by name: -ENODEV if none in this network namespace. */
int pktcraft_req_set_dev(struct pktcraft_req *req, const char *ifname);
/*
 * PKTCRAFT_L4_*. Changing the kind clears the fields of the others (the
 * TCP SYN and window of pktcraft_req_init() included) and gives the new
 * kind its defaults: TCP a SYN, window 65535 and the default ports; UDP
 * the default ports; ICMP an echo request (type 8; on IPv6 ICMPv6's, 128).
 * For PKTCRAFT_L4_RAW set ip_protocol yourself. The same kind again
 * changes nothing.
 */
int pktcraft_req_set_l4(struct pktcraft_req *req, int l4);
/*
 * As pktcraft --flags: letters ("SA", "FPU+N"), "." or "none", names
 * separated by commas as nping has them ("syn,ack", "all"), or a number.
 */
int pktcraft_req_set_tcp_flags(struct pktcraft_req *req, const char *flags);
/*
 * Replace the options with those of a spec, as pktcraft --tcp-opt / --ip-opt:
 * "mss=1460,sackok,ts=1:0,nop,wscale=7", "rr=3,nop". On -EINVAL the reason
 * is put into err (errlen bytes; err may be NULL).
 */
int pktcraft_req_set_tcp_opts(struct pktcraft_req *req, const char *spec,
			      char *err, size_t errlen);
int pktcraft_req_set_ip_opts(struct pktcraft_req *req, const char *spec,
			     char *err, size_t errlen);

/*
 * IPv6 extension headers (struct pktcraft_ext), kept with their bytes in a
 * list the library owns:
 *
 *	struct pktcraft_exts *x = pktcraft_exts_new();
 *	pktcraft_exts_add(x, "hbh=ra=0", err, sizeof(err));
 *	pktcraft_exts_add(x, "rt=0:2001:db8::1,2001:db8::2", err, sizeof(err));
 *	pktcraft_exts_add(x, "frag=7:0:m", err, sizeof(err));
 *	pktcraft_req_set_exts(&req, x);		(an IPv6 request)
 *	pktcraft_send(fd, &req);
 *	pktcraft_exts_free(x);			(after the last send)
 *
 * pktcraft_exts_add() takes a spec as pktcraft --ext does
 * (pktcraft_parse_ext()); pktcraft_exts_append() a struct filled by hand
 * and its data (len bytes, copied; e->data and e->len are ignored). Both
 * append, in order: -EINVAL for a bad spec (the reason in err), -E2BIG
 * beyond PKTCRAFT_MAX_EXT, -ENOMEM. pktcraft_req_set_exts() points the
 * request at the list (NULL: none): point it again after adding more, and
 * free the list only when no request that points at it will be sent; it
 * is -EAFNOSUPPORT on an IPv4 request (set the IPv6 destination first).
 * pktcraft_exts_count(): how many it holds.
 */
struct pktcraft_exts;
struct pktcraft_exts *pktcraft_exts_new(void);
void pktcraft_exts_free(struct pktcraft_exts *x);
int pktcraft_exts_add(struct pktcraft_exts *x, const char *spec, char *err,
		      size_t errlen);
int pktcraft_exts_append(struct pktcraft_exts *x, const struct pktcraft_ext *e,
			 const void *data, size_t len);
unsigned int pktcraft_exts_count(const struct pktcraft_exts *x);
int pktcraft_req_set_exts(struct pktcraft_req *req, const struct pktcraft_exts *x);

/*
 * hping3's --badcksum: builds the frame (nothing is sent), takes the layer
 * 4 checksum the kernel computed and makes it literal, XOR 0x5555 (so it
 * is wrong, as hping3 sends it). TCP, UDP and ICMP (ICMPv6); -EINVAL for
 * others.
 */
int pktcraft_req_set_bad_csum(int fd, struct pktcraft_req *req);

/*
 * Returns the number of packets sent (1) or -errno. SEND and BUILD alike:
 * a request whose only version 4 field is fates (hand-over times, for an
 * RTT) goes to a module older than version 4 without them, the fates
 * zeroed (xmit_ns 0: unknown); fate_ms and inject are refused there
 * (-E2BIG).
 */
int pktcraft_send(int fd, const struct pktcraft_req *req);
/*
 * A burst of req->count packets (see PKTCRAFT_IOC_SEND): the number the
 * device accepted, even when an error or a signal stopped the burst early,
 * or -errno when none was. With count > 1 the kernel also writes req->sent,
 * req->result_err (0 or the -errno that stopped it) and req->dropped.
 */
int pktcraft_send_burst(int fd, struct pktcraft_req *req);
/*
 * n independent requests (different destinations, kinds, devices; bursts
 * too) in as few ioctls as possible (PKTCRAFT_IOC_SEND_BATCH, at most
 * PKTCRAFT_MAX_BATCH a call), stride bytes apart from reqs: pass
 * sizeof(struct pktcraft_req) as the caller was compiled with, so that an
 * array laid out by an older or newer header is walked right. Each is
 * handled as pktcraft_send_burst() of it would be, and results[i] gets
 * what that would return: packets sent, or -errno; 0 means not tried.
 * flags: PKTCRAFT_BATCH_F_STOP ends the batch at the first failed request
 * (-errno, or a burst an error stopped after it sent some: its result_err).
 * Returns the number of requests handled (n, fewer after a stop or a
 * signal), or -errno, nothing sent, when the batch itself is refused
 * (-EINVAL for n == 0, a bad stride or flag; -EFAULT for results).
 */
int pktcraft_send_batch(int fd, const void *reqs, size_t stride, unsigned int n,
			int32_t *results, unsigned int flags);
/*
 * Per-packet variation of a field (PKTCRAFT_VARY_SPORT ...;
 * PKTCRAFT_VARY_FLOWLABEL is the IPv6 flow label, vary_flowlabel): mode
 * PKTCRAFT_VARY_NONE clears it, _INC counts from the request's value by step
 * (0 means 1) wrapping within [min, max], _RANDOM draws from [min, max].
 * Addresses are given in host byte order (ntohl; on IPv6 the source's low
 * 32 bits). The request's own value must lie in the range. -EINVAL for an
 * unknown field or mode, min > max, the flow label on a request smaller
 * than version 3.
 */
#define PKTCRAFT_VARY_FLOWLABEL	16
int pktcraft_req_set_vary(struct pktcraft_req *req, unsigned int field,
			  unsigned int mode, uint32_t min, uint32_t max,
			  uint32_t step);
/*
 * After a burst of n packets, the fields it counted (PKTCRAFT_VARY_INC) as
 * the next one would start: to split a long run into requests that go on
 * where the last one stopped. 0, or -EINVAL for a value outside its range.
 */
int pktcraft_req_vary_advance(struct pktcraft_req *req, uint64_t n);
/*
 * Counters of this open file and of the module: the struct's version 0
 * part (PKTCRAFT_STATS_SIZE_VER0 bytes) is zeroed, then filled; the rest
 * is not touched (pktcraft_get_drops() reads the drops by reason).
 */
int pktcraft_get_stats(int fd, struct pktcraft_stats *st);
/*
 * The tracked packets dropped, by the kernel's drop reason: up to n
 * entries into dc (n 0: dc may be NULL), in ascending order of reason.
 * Returns how many reasons have a count (more than n: the rest did not
 * fit), or -errno: -EOPNOTSUPP from a module older than the drop counts.
 */
int pktcraft_get_drops(int fd, struct pktcraft_drop_count *dc, unsigned int n);
/*
 * The name of counter i of struct pktcraft_counters ("packets", "bytes",
 * "drop_queue" ...), in its order; NULL after the last one.
 */
const char *pktcraft_counter_name(unsigned int i);
/*
 * Builds the frame into buf. On success and on -ENOSPC *frame_len is the
 * frame's length. With do_send the same frame is also transmitted.
 */
int pktcraft_build(int fd, const struct pktcraft_req *req, void *buf,
		   size_t buf_len, size_t *frame_len, int do_send);

/*
 * Injection points and fates (request version 4, LIBPKTCRAFT_0.3).
 * pktcraft_inject_name(): "queue", "driver", "ip", "rx" (NULL: unknown);
 * pktcraft_fate_name(): "untracked", "pending", "sent", "delivered",
 * "dropped" (NULL: unknown). The fates themselves are the kernel's: point
 * req->fates at req->count (or 1) struct pktcraft_fate and set fate_ms.
 */
const char *pktcraft_inject_name(unsigned int inject);
const char *pktcraft_fate_name(unsigned int fate);

/*
 * Replies (LIBPKTCRAFT_0.3): what answers the packets a request sent.
 *
 * A listener is a packet socket (AF_PACKET, SOCK_DGRAM: the network
 * layer of every device, whatever its link layer; CAP_NET_RAW) opened in
 * the caller's network namespace before the packets are sent, with a
 * TPACKET_V2 receive ring (each frame stamped where the packet tap saw
 * it, never when it is read) and a classic BPF filter (IPv4 and IPv6 only; frames
 * this host sends are skipped, except for --inject rx, whose replies are
 * the host's own). A frame is a reply when it answers one of the packets
 * registered with pktcraft_listen_sent():
 *  - TCP: from the destination's port to the source's (the 4-tuple
 *    reversed) with ack = seq + payload length (+1 for SYN, +1 for FIN);
 *    without ACK (a RST to a segment carrying one), seq = our ack;
 *  - UDP: the 4-tuple reversed;
 *  - ICMP echo (timestamp, information, address mask) and ICMPv6 echo:
 *    the reply type with our identifier and sequence number, from the
 *    destination (from anyone for a multicast or broadcast one);
 *  - ICMP and ICMPv6 errors (unreachable, time exceeded, parameter
 *    problem, redirect, source quench, packet too big) from anyone, whose
 *    quoted IP header (IPv6: through its extension headers) and first
 *    eight bytes of layer 4 are ours: addresses, protocol, ports and
 *    sequence number, or ICMP type, identifier and sequence number.
 * Addresses: the destination always; our source when the request gives
 * one (a source the kernel chooses is not checked). A field varied at
 * random in a burst matches any value of its range. Among the packets a
 * reply matches it goes to the first one not yet answered (else it is a
 * duplicate of the last one). Its round-trip time is the kernel's
 * receive timestamp minus the packet's xmit_ns (struct pktcraft_fate,
 * both CLOCK_REALTIME), never a time taken in user space: without fates
 * (an older module) rtt_ns is -1. A frame received before the packet
 * was handed over (rx_ns < xmit_ns) is not a reply.
 */
#define PKTCRAFT_REPLY_TCP		0	/* a TCP segment (SYN-ACK, RST ...) */
#define PKTCRAFT_REPLY_UDP		1	/* a UDP datagram */
#define PKTCRAFT_REPLY_ECHO		2	/* an ICMP/ICMPv6 echo (or timestamp ...) reply */
#define PKTCRAFT_REPLY_ICMP_ERROR	3	/* an ICMP/ICMPv6 error quoting the packet */

struct pktcraft_reply {
	uint32_t index;		/* the packet answered: 0 = the listener's first */
	uint8_t  kind;		/* PKTCRAFT_REPLY_* */
	uint8_t  family;	/* AF_INET, AF_INET6 */
	uint8_t  proto;		/* the reply's protocol: 6, 17, 1 or 58 */
	uint8_t  ttl;		/* TTL, or hop limit */
	uint8_t  tos;		/* TOS, or traffic class */
	uint8_t  dup;		/* 1: that packet had been answered before */
	uint8_t  pkt_type;	/* sll_pkttype: 0 PACKET_HOST, 4 PACKET_OUTGOING ... */
	uint8_t  icmp_type;	/* ICMP kinds: the reply's type and code */
	uint8_t  icmp_code;
	uint8_t  reserved;
	uint16_t ip_frag;	/* IPv4: DF, MF and offset, as on the wire */
	uint16_t ip_id;		/* IPv4 identification */
	uint16_t icmp_id;	/* echo: the reply's identifier and sequence; */
	uint16_t icmp_seq;	/*   errors: the quoted packet's */
	uint16_t sport;		/* TCP, UDP: the reply's ports; errors: the */
	uint16_t dport;		/*   quoted packet's (ours: our sport, dport) */
	uint16_t tcp_flags;	/* TCP: PKTCRAFT_TCP_* */
	uint16_t tcp_win;
	uint16_t reserved2;
	uint32_t len;		/* the reply's IP length, header included */
	uint32_t ifindex;	/* the device it was seen on */
	uint32_t tcp_seq;
	uint32_t tcp_ack;
	uint32_t flowlabel;	/* IPv6 */
	uint32_t icmp_info;	/* errors: ICMP bytes 4..7 (MTU, pointer, gateway) */
	uint8_t  src[16];	/* the reply's addresses; IPv4 in the first 4 */
	uint8_t  dst[16];
	int64_t  rtt_ns;	/* rx_ns - xmit_ns, or -1: the send time unknown */
	uint64_t rx_ns;		/* CLOCK_REALTIME: the kernel's receive timestamp */
	uint64_t xmit_ns;	/* the packet's hand-over (its fate), 0: unknown */
};

struct pktcraft_listener;
/*
 * Opens a listener for the replies to req's packets (req->inject decides
 * whether the host's own frames are looked at): 0 and *l, or -errno
 * (-EPERM without CAP_NET_RAW, -ENOMEM). Open it before sending.
 */
int pktcraft_listen(const struct pktcraft_req *req, struct pktcraft_listener **l);
/* Its socket, for poll(); readable when a frame (maybe a reply) waits. */
int pktcraft_listen_fd(const struct pktcraft_listener *l);
/*
 * Registers the n packets one SEND of req sent (n = req->count, or 1; a
 * burst's varied fields as the kernel varies them: pass req as it was
 * sent, before pktcraft_req_vary_advance()) and their fates (n of them,
 * for xmit_ns; NULL: none). They are numbered on from the packets
 * registered before. Returns the index of the first, or -errno (-EINVAL:
 * a request the matcher cannot read, -ENOMEM).
 */
long pktcraft_listen_sent(struct pktcraft_listener *l, const struct pktcraft_req *req,
			  unsigned int n, const struct pktcraft_fate *fates);
/*
 * The next reply, waiting at most timeout_ms (0: only what is queued;
 * negative: until one comes): 1 and *r, 0 when the time ran out, or
 * -errno (-EINTR for a signal). Frames that answer nothing are skipped.
 */
int pktcraft_listen_next(struct pktcraft_listener *l, struct pktcraft_reply *r,
			 int timeout_ms);
/* Registered packets, and those not yet answered. */
unsigned long pktcraft_listen_count(const struct pktcraft_listener *l,
				    unsigned long *unanswered);
/*
 * Frames the socket had to drop, its receive buffer full (a reply among
 * them would be missing): since the listener opened. Read the queued
 * frames often during a long burst to keep it 0.
 */
unsigned long pktcraft_listen_lost(struct pktcraft_listener *l);
void pktcraft_listen_close(struct pktcraft_listener *l);

/*
 * The matcher alone, for an IP packet pkt (no link header) seen at rx_ns:
 * 1 when it answers one of the n packets of req (n as for
 * pktcraft_listen_sent(); *r filled, index the first matching packet,
 * rtt_ns -1), 0 when it does not, -EINVAL for a request it cannot read.
 */
int pktcraft_reply_match(const struct pktcraft_req *req, unsigned int n,
			 const void *pkt, size_t len, struct pktcraft_reply *r);
/*
 * A reply as one line, as hping3 prints it ("len=44 ip=10.77.0.2 ttl=64
 * DF id=0 sport=7777 flags=SA seq=0 win=64240 rtt=0.4 ms"; seq is the
 * packet's index; errors "ICMP Port Unreachable from ip=... seq=0 ..."),
 * into buf like snprintf(); " DUP!" ends a duplicate.
 */
size_t pktcraft_reply_describe(const struct pktcraft_reply *r, char *buf, size_t len);

/*
 * Send and collect: opens a listener, sends req (a burst too), registers
 * its packets and collects the replies until wait_ms after the send
 * returned, or until every packet is answered. fates: req->count (or 1)
 * struct pktcraft_fate for the kernel to fill (NULL: the library's own;
 * req->fate_ms as the caller set it). Up to max replies go to replies,
 * *nreplies gets how many there were (may be more than max). Returns
 * what pktcraft_send_burst() returns (packets sent, or -errno; nothing is
 * collected then), or -errno of the listener. With a module older than
 * request version 4, rtt_ns is -1 (see pktcraft_send()).
 */
int pktcraft_sr(int fd, struct pktcraft_req *req, struct pktcraft_fate *fates,
		unsigned int wait_ms, struct pktcraft_reply *replies, unsigned int max,
		unsigned int *nreplies);

/* What an errno means for a pktcraft request. */
const char *pktcraft_strerror(int err);

/*
 * Malformation, judged once for every front end: what a request makes
 * malformed in its packet. Each item names the field as the decoders do
 * ("ip.ihl", "tcp.checksum") and why. on_wire: the bytes of that field are
 * wrong whatever else happens (a lying length, reserved bits, a bad option
 * list); 0 for a literal value that may or may not be right (a forced
 * checksum) or a note (an opaque payload posing as TCP). Returns how many
 * there are; at most max are written to out (out may be NULL).
 */
struct pktcraft_malformation {
	char field[24];
	char why[104];
	int on_wire;
};
int pktcraft_req_malformations(const struct pktcraft_req *req,
			       struct pktcraft_malformation *out, int max);

/*
 * The option table: every option of a request, once. The CLI's parser,
 * its --help and the man page check, and the Python binding's keywords
 * and validation are all made from it. Python keywords are the long names
 * with '_' for '-'.
 */
#define PKTCRAFT_OPT_T_NONE	0	/* no argument (a flag) */
#define PKTCRAFT_OPT_T_UINT	1	/* a number in [min, max], decimal or 0x hex */
#define PKTCRAFT_OPT_T_HEX	2	/* a number in hex, "10" = 0x10 (hping3's -o) */
#define PKTCRAFT_OPT_T_ADDR	3	/* an IPv4 or IPv6 address or a host name */
#define PKTCRAFT_OPT_T_MAC	4	/* aa:bb:cc:dd:ee:ff */
#define PKTCRAFT_OPT_T_IFNAME	5	/* an interface name */
#define PKTCRAFT_OPT_T_TCPFLAGS	6	/* see pktcraft_req_set_tcp_flags() */
#define PKTCRAFT_OPT_T_IPOPTS	7	/* see pktcraft_parse_ip_opts() */
#define PKTCRAFT_OPT_T_TCPOPTS	8	/* see pktcraft_parse_tcp_opts() */
#define PKTCRAFT_OPT_T_STRING	9	/* bytes as given */
#define PKTCRAFT_OPT_T_HEXBYTES	10	/* hex bytes, spaces and colons allowed */
#define PKTCRAFT_OPT_T_FILE	11	/* a file name, "-" for standard input */
#define PKTCRAFT_OPT_T_RATE	12	/* packets per second, may have a fraction */
#define PKTCRAFT_OPT_T_DURATION	13	/* seconds, uN (microseconds) or N with ns/us/ms/s */
#define PKTCRAFT_OPT_T_VARY	14	/* FIELD=inc:MIN-MAX[/STEP] | FIELD=rand:MIN-MAX */
#define PKTCRAFT_OPT_T_EXT	15	/* an IPv6 extension header, see pktcraft_parse_ext() */
#define PKTCRAFT_OPT_T_CHOICE	16	/* one word of arg ("queue|driver|ip|rx"): its index */

#define PKTCRAFT_OPT_L4_TCP	(1U << PKTCRAFT_L4_TCP)
#define PKTCRAFT_OPT_L4_UDP	(1U << PKTCRAFT_L4_UDP)
#define PKTCRAFT_OPT_L4_ICMP	(1U << PKTCRAFT_L4_ICMP)
#define PKTCRAFT_OPT_L4_RAW	(1U << PKTCRAFT_L4_RAW)
#define PKTCRAFT_OPT_L4_ANY	0xfU

#define PKTCRAFT_OPTF_MALFORMS	(1U << 0) /* can make the packet malformed */
#define PKTCRAFT_OPTF_REPEAT	(1U << 1) /* may be given more than once */
#define PKTCRAFT_OPTF_KIND	(1U << 2) /* selects the layer 4 kind */
#define PKTCRAFT_OPTF_IMPLIES	(1U << 3) /* selects its kind when none is given */
#define PKTCRAFT_OPTF_RANGE	(1U << 4) /* MIN-MAX: a burst counting through it */
#define PKTCRAFT_OPTF_BURST	(1U << 5) /* about bursts and pacing */
#define PKTCRAFT_OPTF_PAYLOAD	(1U << 6) /* the payload (one of them) */
#define PKTCRAFT_OPTF_FORCES	(1U << 7) /* makes a kernel-filled field literal */
#define PKTCRAFT_OPTF_HPING	(1U << 8) /* hping3's meaning, for its users */
#define PKTCRAFT_OPTF_DEVICE	(1U << 9) /* needs the open device (applied by the front end) */

struct pktcraft_opt {
	const char *name;	/* long option, "ttl" */
	const char *aliases;	/* other long names, space-separated, or NULL */
	const char *letters;	/* short letters (hping3's), or NULL */
	const char *arg;	/* the argument's name ("N"), NULL: takes none */
	const char *field;	/* the pktcraft_req field(s) it sets */
	uint64_t min, max;	/* numbers: the range */
	const char *units;	/* of the number, or NULL */
	unsigned int type;	/* PKTCRAFT_OPT_T_* */
	unsigned int l4;	/* PKTCRAFT_OPT_L4_*: the kinds it applies to */
	unsigned int flags;	/* PKTCRAFT_OPTF_* */
	int vary;		/* the PKTCRAFT_VARY_* its field varies as, or -1 */
	const char *section;	/* help section */
	const char *help;	/* what it does, lines separated by '\n' */
	int family;		/* 0: any; AF_INET or AF_INET6: that family only */
};

/* The rows in order: pass NULL for the first, NULL at the end. */
const struct pktcraft_opt *pktcraft_opt_next(const struct pktcraft_opt *prev);
/* By long name, alias, keyword ("frag_off") or letter ("t"); NULL if none. */
const struct pktcraft_opt *pktcraft_opt_find(const char *name);

/*
 * Option sets: options collected (as a command line or keywords give
 * them), then applied to a request at once, so their order does not
 * matter. PKTCRAFT_OPTSET_KEYWORDS: messages name options as keywords
 * ("ttl: ...") rather than as "--ttl: ...". PKTCRAFT_OPTSET_NO_STDIN: a
 * file option (--data-file) may not read the standard input ("-", or
 * /dev/stdin on a pipe), which holds the caller's own input (a batch's
 * requests). NULL when out of memory.
 */
#define PKTCRAFT_OPTSET_KEYWORDS (1U << 0)
#define PKTCRAFT_OPTSET_NO_STDIN (1U << 1)
struct pktcraft_optset;
struct pktcraft_optset *pktcraft_optset_new(unsigned int flags);
void pktcraft_optset_free(struct pktcraft_optset *s);
/*
 * Adds an option with its argument, checked on its own (value NULL for a
 * flag; "0" turns a flag off). An option given again replaces its earlier
 * value (--ttl 5 --ttl 6: 6), as on a command line; one flagged
 * PKTCRAFT_OPTF_REPEAT (--ext, --ip-opt, --tcp-opt, --vary) adds to its
 * earlier ones. -ENOENT for an unknown option, -EINVAL for a
 * bad argument; the reason, one line, in err.
 */
int pktcraft_optset_add(struct pktcraft_optset *s, const char *name,
			const char *value, char *err, size_t errlen);
/*
 * Applies the set to req: the layer 4 kind first (given, or implied, else
 * req's own), then every option; then checks that each applies to that
 * kind, starts varied fields that were not given at their minimum, and
 * builds the payload (kept in s: free s only after req was sent). A
 * request already holding options keeps those the set does not change.
 * 0, or -EINVAL and the reason in err; req is then left as it was.
 */
int pktcraft_optset_apply(struct pktcraft_optset *s, struct pktcraft_req *req,
			  char *err, size_t errlen);
/* Whether the set holds an option (by any of its names). */
int pktcraft_optset_has(const struct pktcraft_optset *s, const char *name);
/*
 * After apply: how many packets the options ask for (1 by default; 0 for
 * "until interrupted": --flood, or pacing without --count), which can be
 * more than one request carries (PKTCRAFT_MAX_COUNT; req->count is set only
 * when it fits), and the gap between packets in nanoseconds (req->gap_ns).
 */
uint64_t pktcraft_optset_count(const struct pktcraft_optset *s);

/*
 * Parsers shared by every front end. On failure they return -EINVAL (-E2BIG:
 * hex longer than max); the option parsers append to out at *len and put a
 * one-line reason into err (errlen bytes).
 */
int pktcraft_parse_uint(const char *s, uint64_t max, uint64_t *out);
int pktcraft_parse_mac(const char *s, uint8_t mac[6]);
int pktcraft_parse_ipv4(const char *s, uint32_t *be_addr);
int pktcraft_parse_ipv6(const char *s, uint8_t addr[16]);
int pktcraft_parse_hex(const char *s, uint8_t *out, size_t max, size_t *len);
int pktcraft_parse_tcp_flags(const char *s, uint16_t *flags);
int pktcraft_parse_tcp_opts(const char *spec, uint8_t *out, size_t *len,
			    char *err, size_t errlen);
int pktcraft_parse_ip_opts(const char *spec, uint8_t *out, size_t *len,
			   char *err, size_t errlen);
/*
 * An IPv6 extension header, as pktcraft --ext SPEC (see pktcraft(8)):
 * hbh[=TLVS], dst[=TLVS] (TLVS: pad1, padn=N, ra=N, jumbo=N, raw=HEX,
 * comma-separated), rt=TYPE[:ADDR,ADDR...], frag=ID:OFFSET, ext=NH:HEX,
 * each followed by modifiers: :nh=N (next header forced), :len=N (Hdr Ext
 * Len forced; Fragment: its reserved byte), :nopad (hbh, dst), :m
 * (frag: M flag), :left=N, :hdr=HEX (4 bytes), :raw=HEX (rt). Fills e
 * (zeroed first) and writes its body to data (at most max bytes; *len
 * its length, e->len too, e->data pointing at data when not empty).
 */
int pktcraft_parse_ext(const char *spec, struct pktcraft_ext *e, uint8_t *data,
		       size_t max, size_t *len, char *err, size_t errlen);

/*
 * The kernel/user boundary, shown (the CLI's --show-ioctl). Layouts come
 * from the UAPI header through the build: names from the header, offsets
 * and sizes from the compiler.
 *
 * pktcraft_show_ioctl(): from now on every ioctl the library makes prints,
 * on @f, its command number taken apart, each struct it carries field by
 * field (offset, size, name, value, bytes; holes and an unknown tail
 * included) and, after the call, its result and the fields the kernel
 * wrote back. NULL turns it off. Process-wide; a debugging aid.
 * pktcraft_ioc_describe(): a command number taken apart.
 * pktcraft_struct_describe(): struct @type ("pktcraft_req", "pktcraft_build",
 * "pktcraft_stats", "pktcraft_sndbuf", "pktcraft_batch", "pktcraft_ext") of
 * @len bytes at @p; with
 * @before, only the fields whose bytes differ from it. -EINVAL: no such
 * struct.
 * pktcraft_req_describe(): the SEND command and @req (req->size bytes, or
 * all of it if 0), into @buf like snprintf(): returns the length of the
 * whole text (no more than @len - 1 bytes and a NUL are written).
 */
void pktcraft_show_ioctl(FILE *f);
void pktcraft_ioc_describe(FILE *f, unsigned long cmd);
int pktcraft_struct_describe(FILE *f, const char *type, const void *p, size_t len,
			     const void *before);
size_t pktcraft_req_describe(const struct pktcraft_req *req, char *buf, size_t len);

/*
 * Decoding a frame (Ethernet, 802.1Q, or a bare IPv4 or IPv6 packet; IPv6
 * extension headers, TCP, UDP, ICMP, ICMPv6): annotated text (like tshark
 * -V -x, in short) or JSON.
 */
void pktcraft_dump_text(FILE *f, const uint8_t *frame, size_t len);
void pktcraft_dump_json(FILE *f, const uint8_t *frame, size_t len, int sent);
/*
 * The same, knowing the request the frame was built from: headers are
 * decoded with their real sizes (a forced IHL, data offset, length, next
 * header or Hdr Ext Len is shown and flagged as malformed, not followed)
 * and the option padding pktcraft added is labelled. Both flag what is malformed (text: "<-
 * MALFORMED: why" and a summary; JSON: the "malformed" list).
 */
void pktcraft_dump_text_req(FILE *f, const uint8_t *frame, size_t len,
			    const struct pktcraft_req *req);
void pktcraft_dump_json_req(FILE *f, const uint8_t *frame, size_t len, int sent,
			    const struct pktcraft_req *req);

/*
 * Appends a frame to a capture file, created if missing: classic pcap
 * (written by libpcap), or pcapng when the name ends in ".pcapng". 0, or
 * the -errno of what failed: opening (-ENOENT, -EACCES, -EISDIR ...),
 * writing or flushing (-ENOSPC, -EIO ...); -EINVAL for an existing file
 * that is not a capture in that format, or of the other link type: a file
 * holds Ethernet frames (LINKTYPE_ETHERNET) or bare IP packets
 * (LINKTYPE_RAW), as its first frame was.
 */
int pktcraft_pcap_append(const char *path, const uint8_t *frame, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* LIBPKTCRAFT_H */
