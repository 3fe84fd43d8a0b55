/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pktcraft: describe an IPv4 or IPv6 packet, let the kernel build and send it.
 *
 * ABI rules:
 *  - Every request starts with __u32 size = sizeof() as the caller knows it.
 *    The kernel reads it with copy_struct_from_user(): an older (smaller)
 *    struct gets the newer fields as zero, a newer (larger) one is accepted
 *    only if the bytes the kernel does not know are zero (else -E2BIG).
 *    GET_STATS, whose struct the kernel writes, is the exception: any size
 *    from version 0 up to a page, the bytes it does not know zeroed.
 *  - Fields are host byte order, except the IPv4 addresses, which are in
 *    network byte order exactly as struct in_addr / inet_aton() give them.
 *  - Unknown flag bits and non-zero reserved fields are rejected (-EINVAL).
 *  - User pointers are carried as __u64.
 *  - The ioctl numbers encode the size of the first version of each
 *    struct and never change; the real size is the size field.
 */
#ifndef _UAPI_LINUX_PKTCRAFT_H
#define _UAPI_LINUX_PKTCRAFT_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define PKTCRAFT_DEVICE		"/dev/pktcraft"
/* Free in Documentation/userspace-api/ioctl/ioctl-number.rst (6.1 .. 6.18). */
#define PKTCRAFT_IOC_MAGIC	0xBE

/* "0 means the kernel fills it" can be switched off field by field. */
#define PKTCRAFT_F_IP_ID	(1U << 0) /* ip_id is literal, even 0 */
#define PKTCRAFT_F_IP_SADDR	(1U << 1) /* ip_saddr is literal, even 0.0.0.0 */
#define PKTCRAFT_F_IP_TOT_LEN	(1U << 2) /* ip_tot_len is literal (may lie) */
#define PKTCRAFT_F_IP_CSUM	(1U << 3) /* ip_csum is literal (may be wrong) */
#define PKTCRAFT_F_IP_IHL	(1U << 4) /* ip_ihl is literal (may lie) */
#define PKTCRAFT_F_L4_CSUM	(1U << 5) /* l4_csum is literal (may be wrong) */
#define PKTCRAFT_F_L4_LEN	(1U << 6) /* tcp_doff / udp_len literal (may lie) */
#define PKTCRAFT_F_IP6_NEXTHDR	(1U << 7) /* ip6_nexthdr is literal (may lie) */
#define PKTCRAFT_F_ALL		((1U << 8) - 1)

/* Layer 4 kinds (pktcraft_req.l4). */
#define PKTCRAFT_L4_TCP		0
#define PKTCRAFT_L4_UDP		1
#define PKTCRAFT_L4_ICMP	2
#define PKTCRAFT_L4_RAW		3 /* opaque payload, ip_protocol literal */
/* On IPv6 PKTCRAFT_L4_ICMP is ICMPv6 (next header 58). */

/*
 * IPv6 (request version 3, family AF_INET6). The IPv4 fields that have an
 * IPv6 counterpart carry it: ip_version (0: 6), ip_tos is the traffic
 * class, ip_ttl the hop limit, ip_tot_len the payload length (0: filled;
 * literal with PKTCRAFT_F_IP_TOT_LEN), ip_protocol the layer 4 protocol
 * number (for PKTCRAFT_L4_RAW). The IPv4-only ones (ip_ihl, ip_id,
 * ip_frag, ip_csum, ip_saddr, ip_daddr, ip_optlen and PKTCRAFT_F_IP_ID,
 * _IP_CSUM, _IP_IHL) must be 0, as must the IPv6 fields on IPv4.
 *
 * Extension headers follow the IPv6 header in the order given. Each one's
 * next header is the number of what follows it (the next extension
 * header, else the layer 4 protocol) unless PKTCRAFT_EXT_F_NEXTHDR; the
 * IPv6 header's is the first one's unless PKTCRAFT_F_IP6_NEXTHDR.
 */
#define PKTCRAFT_MAX_EXT	32
#define PKTCRAFT_MAX_EXT_LEN	2048	/* one header, as Hdr Ext Len allows */

/* pktcraft_ext.type */
#define PKTCRAFT_EXT_HBH	0 /* Hop-by-Hop Options (0): data = TLVs */
#define PKTCRAFT_EXT_DST	1 /* Destination Options (60): data = TLVs */
#define PKTCRAFT_EXT_RT		2 /* Routing (43): data = the segments */
#define PKTCRAFT_EXT_FRAG	3 /* Fragment (44): no data */
#define PKTCRAFT_EXT_RAW	4 /* number proto: data = body after byte 2 */

/* pktcraft_ext.flags */
#define PKTCRAFT_EXT_F_NEXTHDR	(1U << 0) /* nexthdr is literal (may lie) */
#define PKTCRAFT_EXT_F_HDRLEN	(1U << 1) /* hdrlen is literal (may lie);
					   * Fragment: its reserved byte
					   */
#define PKTCRAFT_EXT_F_NOPAD	(1U << 2) /* HBH, DST: no Pad1/PadN added */
#define PKTCRAFT_EXT_F_MORE	(1U << 3) /* Fragment: the M flag */
#define PKTCRAFT_EXT_F_ALL	((1U << 4) - 1)

/*
 * One extension header. The kernel writes byte 0 (next header) and byte 1
 * (Hdr Ext Len, in 8-octet units not counting the first 8; for AH, a RAW
 * of proto 51, in 4-octet units less 2), then:
 *  - HBH, DST: the TLVs at data, then Pad1 or PadN up to a multiple of 8
 *    octets (none with PKTCRAFT_EXT_F_NOPAD);
 *  - RT: rt_type, segleft, the 4 bytes rt_data as given (reserved, or
 *    Segment Routing's last entry, flags and tag), then data (normally
 *    16-byte addresses);
 *  - FRAG: 0 (or hdrlen with PKTCRAFT_EXT_F_HDRLEN), frag_off << 3 with
 *    the M flag, frag_id; no data;
 *  - RAW: data as the rest of the header.
 * Without PKTCRAFT_EXT_F_HDRLEN the header's length must be a multiple of
 * 8 octets (padding included), an AH's at most 1024; at most
 * PKTCRAFT_MAX_EXT_LEN in any case. Fields that do not apply to the type
 * must be 0.
 */
struct pktcraft_ext {
	__u8  type;		/* PKTCRAFT_EXT_* */
	__u8  flags;		/* PKTCRAFT_EXT_F_* */
	__u8  nexthdr;		/* with PKTCRAFT_EXT_F_NEXTHDR, else 0 */
	__u8  hdrlen;		/* with PKTCRAFT_EXT_F_HDRLEN, else 0 */
	__u8  proto;		/* RAW: its number (0..255 but 50, ESP), else 0 */
	__u8  rt_type;		/* RT: routing type (0 allowed) */
	__u8  segleft;		/* RT: segments left */
	__u8  reserved;		/* must be 0 */
	__u16 frag_off;		/* FRAG: offset in 8-octet units, 0..8191 */
	__u16 reserved2;	/* must be 0 */
	__u32 frag_id;		/* FRAG: identification */
	__u8  rt_data[4];	/* RT: bytes 4..7, as on the wire */
	__u32 len;		/* bytes at data */
	__u64 data;		/* user pointer */
};

#define PKTCRAFT_EXT_SIZE	32

/* TCP flags (pktcraft_req.tcp_flags): bit 8 is NS (RFC 3540) / AE (AccECN). */
#define PKTCRAFT_TCP_FIN	0x001
#define PKTCRAFT_TCP_SYN	0x002
#define PKTCRAFT_TCP_RST	0x004
#define PKTCRAFT_TCP_PSH	0x008
#define PKTCRAFT_TCP_ACK	0x010
#define PKTCRAFT_TCP_URG	0x020
#define PKTCRAFT_TCP_ECE	0x040
#define PKTCRAFT_TCP_CWR	0x080
#define PKTCRAFT_TCP_NS		0x100
#define PKTCRAFT_TCP_FLAGS_ALL	0x1ff

/* IPv4 fragment field (pktcraft_req.ip_frag), as on the wire. */
#define PKTCRAFT_IP_RF		0x8000
#define PKTCRAFT_IP_DF		0x4000
#define PKTCRAFT_IP_MF		0x2000
#define PKTCRAFT_IP_OFFMASK	0x1fff

#define PKTCRAFT_MAX_OPTLEN	40

/*
 * Bursts (request version 2). Packet 0 is built from the request as usual;
 * packet i > 0 is packet 0 with the varied fields changed and the checksums
 * the kernel computes updated incrementally (forced checksums stay literal).
 *
 * Pacing: with gap_ns, packet i leaves no earlier than start + i * gap_ns
 * (start = start_ns on CLOCK_MONOTONIC, or the time of the call when 0;
 * start_ns may lie at most PKTCRAFT_MAX_GAP_NS ahead). Absolute deadlines:
 * a late packet does not shift the ones after it.
 */
#define PKTCRAFT_MAX_COUNT	(1U << 20)
#define PKTCRAFT_MAX_GAP_NS	10000000000ULL	/* 10 s */

/* pktcraft_req.burst_flags */
/* Never share one skb: every packet is a copy through dev_queue_xmit. */
#define PKTCRAFT_BURST_F_COPY	(1U << 0)
#define PKTCRAFT_BURST_F_ALL	((1U << 1) - 1)

/* Index into pktcraft_req.vary[]: the fields that can vary per packet. */
#define PKTCRAFT_VARY_SPORT	0	/* TCP/UDP source port, max 0xffff */
#define PKTCRAFT_VARY_DPORT	1	/* TCP/UDP destination port, max 0xffff */
#define PKTCRAFT_VARY_TCP_SEQ	2	/* TCP sequence number */
#define PKTCRAFT_VARY_IP_ID	3	/* IPv4 ID, max 0xffff; literal, even 0 */
#define PKTCRAFT_VARY_IP_SADDR	4	/* IPv4 source, IPv6 source's low 32 bits;
					 * min/max in host order
					 */
#define PKTCRAFT_VARY_NR	5
/* IPv6 flow label (max 0xfffff): pktcraft_req.vary_flowlabel */

/* pktcraft_vary.mode */
#define PKTCRAFT_VARY_NONE	0	/* the field keeps its value; rest 0 */
#define PKTCRAFT_VARY_INC	1	/* v = min + (v - min + step) % (max - min + 1) */
#define PKTCRAFT_VARY_RANDOM	2	/* uniform in [min, max], packet 0 too */

/*
 * How one field varies across a burst. The request's own value of the field
 * must lie in [min, max] (for the source address: ntohl(ip_saddr)); INC
 * starts from it. INC needs step >= 1 (taken modulo the range).
 */
struct pktcraft_vary {
	__u8  mode;		/* PKTCRAFT_VARY_* */
	__u8  reserved[3];	/* must be 0 */
	__u32 step;		/* INC: added per packet */
	__u32 min;		/* host byte order, also for addresses */
	__u32 max;
};

/*
 * Injection points (request version 4, pktcraft_req.inject): where the
 * built packet enters the kernel's paths.
 *  QUEUE:  dev_queue_xmit() on the egress device: traffic control, packet
 *          taps, then the driver. The default.
 *  DRIVER: the driver's start_xmit under its tx lock, on the queue the
 *          device picks, as AF_PACKET's PACKET_QDISC_BYPASS: no qdisc, and
 *          packet taps (tcpdump) on the sending host do not see it.
 *  IP:     as a locally generated packet, like a raw socket's IP_HDRINCL:
 *          a route lookup (restricted to ifindex when given), netfilter
 *          OUTPUT and POSTROUTING, the route's output and its neighbour,
 *          which writes the link header: dst_mac and src_mac must be 0.
 *          The IP and layer 4 headers are still exactly pktcraft's, but an
 *          IPv4 header may not force the lengths that output trusts, as
 *          raw_send_hdrinc() does not let IP_HDRINCL: a forced ip_ihl
 *          below 5 or past the packet's end, or a forced ip_tot_len other
 *          than the packet's length, is -EINVAL.
 *  RX:     as if received on the device (ifindex, else the route's):
 *          netfilter PREROUTING and INPUT, the local stack and its
 *          sockets. Needs CAP_NET_ADMIN over the opener's namespace (-EPERM
 *          otherwise); into a device whose frames another one takes over
 *          (a bridge, bond or macvlan port, a VLAN's lower device), in the
 *          initial user namespace. The Ethernet destination defaults to the device's own
 *          address (a packet for this host), the source too; devices without
 *          a link layer receive the bare IP packet. The checksums are
 *          verified by the stack (CHECKSUM_NONE).
 * "Sent" is per point: accepted by the qdisc or driver (QUEUE, DRIVER), by
 * netfilter and the route's output (IP), by the receive path (RX:
 * NET_RX_SUCCESS).
 */
#define PKTCRAFT_INJECT_QUEUE	0
#define PKTCRAFT_INJECT_DRIVER	1
#define PKTCRAFT_INJECT_IP	2
#define PKTCRAFT_INJECT_RX	3
#define PKTCRAFT_INJECT_MAX	PKTCRAFT_INJECT_RX

/*
 * Fates (request version 4). With fate_ms, SEND follows each packet's
 * sk_buff to its end (the kernel's consume_skb and kfree_skb tracepoints),
 * and waits after the last packet at most fate_ms for those still in
 * flight. With fates, it writes one struct pktcraft_fate per packet there
 * (also with fate_ms 0: the hand-over times only, fate UNTRACKED), before
 * it returns. Either needs count <= PKTCRAFT_MAX_FATES, and neither takes
 * pktgen's shared-skb path. Counted in the counters' fate_* fields.
 *
 * A packet is matched by its sk_buff and a 32-bit cookie in skb->hash (set
 * as a software layer 4 hash): a device that clears or recomputes the
 * hash, or copies the packet into a new sk_buff (netem's corruption, a
 * tunnel that cannot expand in place), leaves it PENDING; a copy's end is
 * not followed.
 */
#define PKTCRAFT_MAX_FATE_MS	10000
#define PKTCRAFT_MAX_FATES	65536

/* pktcraft_fate.fate */
#define PKTCRAFT_FATE_UNTRACKED	0 /* fate_ms was 0: xmit_ns only */
#define PKTCRAFT_FATE_PENDING	1 /* not freed within fate_ms: queued, held
				   * by a socket, or freed where the kernel
				   * has no tracepoint
				   */
#define PKTCRAFT_FATE_SENT	2 /* consumed without being received: the
				   * driver took it (dev: the last device)
				   */
#define PKTCRAFT_FATE_DELIVERED	3 /* received on dev, then consumed by the
				   * stack (a socket, ICMP, a reply)
				   */
#define PKTCRAFT_FATE_DROPPED	4 /* freed as a drop: reason, where */

/* pktcraft_fate.flags */
#define PKTCRAFT_FATE_F_RX	(1U << 0) /* it went through a receive path */
#define PKTCRAFT_FATE_F_OTHER_NS (1U << 1) /* it ended in another namespace:
					    * received there, or on a device
					    * the opener's namespace does not
					    * (or no longer) have
					    */

struct pktcraft_fate {
	__u8  fate;		/* PKTCRAFT_FATE_* */
	__u8  flags;		/* PKTCRAFT_FATE_F_* */
	__u16 reserved;		/* 0 */
	__u32 reason;		/* DROPPED: the running kernel's enum
				 * skb_drop_reason (its numbers differ between
				 * kernels: reason_name is the stable one)
				 */
	__u32 ifindex;		/* dev's, in dev's namespace; 0: none */
	__u32 reserved2;	/* 0 */
	__u64 xmit_ns;		/* CLOCK_REALTIME when handed to the injection
				 * point (the clock of SO_TIMESTAMPNS); 0: never
				 */
	__u64 end_ns;		/* CLOCK_REALTIME of its end; 0 if none seen */
	__u8  reason_name[32];	/* DROPPED: "TCP_CSUM", ... (NUL-terminated) */
	__u8  where[32];	/* DROPPED: the function that dropped it */
	__u8  dev[16];		/* the device it was on at its end */
};

#define PKTCRAFT_FATE_SIZE	112

struct pktcraft_req {
	__u32 size;		/* sizeof(struct pktcraft_req) */
	__u32 flags;		/* PKTCRAFT_F_* */

	/* Egress: 0 / all-zero MAC = route and neighbour lookup. */
	__u32 ifindex;
	__u8  dst_mac[6];
	__u8  src_mac[6];	/* all-zero: the device's own address */

	/* IPv4 header */
	__u8  ip_version;	/* 0: 4 */
	__u8  ip_ihl;		/* 0: 5 + options; else 5..15 and the real
				 * length, or with PKTCRAFT_F_IP_IHL 5..15
				 * within the packet, as an IP_HDRINCL
				 * socket's (0..15 only as the initial
				 * namespace's admin, and only with the
				 * module parameter ip4_ihl_lies; never
				 * with PKTCRAFT_INJECT_IP or on a device
				 * that hands it to IP's output; a BUILD
				 * that sends nothing as one that does)
				 */
	__u8  ip_tos;
	__u8  ip_ttl;		/* literal */
	__u8  ip_protocol;	/* 0: from l4; literal for PKTCRAFT_L4_RAW */
	__u8  tcp_doff;		/* 0: 5 + options; else 5..15 and the real
				 * length, or 0..15 with PKTCRAFT_F_L4_LEN
				 */
	__u8  tcp_res;		/* the 3 reserved bits, 0..7 */
	__u8  reserved0;
	__u16 ip_tot_len;	/* 0: filled */
	__u16 ip_id;		/* 0: filled */
	__u16 ip_frag;		/* RF|DF|MF|offset, as on the wire */
	__u16 ip_csum;		/* 0: computed; see PKTCRAFT_F_IP_CSUM */
	__u32 ip_saddr;		/* network order; 0: filled */
	__u32 ip_daddr;		/* network order */

	/* TCP header (ports are shared with UDP) */
	__u16 sport;
	__u16 dport;
	__u32 tcp_seq;
	__u32 tcp_ack;
	__u16 tcp_flags;	/* PKTCRAFT_TCP_* */
	__u16 tcp_win;
	__u16 l4_csum;		/* 0: computed; see PKTCRAFT_F_L4_CSUM */
	__u16 tcp_urg;

	/* Payload after the layer 4 header */
	__u32 payload_len;
	__u64 payload;		/* user pointer */

	/* --- end of version 0 (80 bytes) --- */
	__u8  l4;		/* PKTCRAFT_L4_* */
	__u8  ip_optlen;	/* bytes used in ip_opts, padded with EOL */
	__u8  tcp_optlen;	/* bytes used in tcp_opts, padded with EOL */
	__u8  icmp_type;
	__u8  icmp_code;
	__u8  reserved1;
	__u16 udp_len;		/* 0: filled */
	__u16 icmp_id;
	__u16 icmp_seq;
	__u32 reserved2;
	__u8  ip_opts[PKTCRAFT_MAX_OPTLEN];
	__u8  tcp_opts[PKTCRAFT_MAX_OPTLEN];
	/* --- end of version 1 (176 bytes) --- */

	/* Bursts: one SEND sends count packets (see PKTCRAFT_IOC_SEND). */
	__u32 count;		/* 0 or 1: one packet; at most PKTCRAFT_MAX_COUNT */
	__u32 burst_flags;	/* PKTCRAFT_BURST_F_* */
	__u64 gap_ns;		/* pacing: 0 = none, else at most PKTCRAFT_MAX_GAP_NS */
	__u64 start_ns;		/* CLOCK_MONOTONIC time of packet 0; 0 = now */
	struct pktcraft_vary vary[PKTCRAFT_VARY_NR];	/* PKTCRAFT_VARY_SPORT.. */
	/*
	 * Written back by SEND when count > 1 and size covers them (>= 296);
	 * ignored on input.
	 */
	__u32 sent;		/* out: packets the qdisc or driver accepted */
	__s32 result_err;	/* out: 0, or -errno that stopped the burst */
	__u32 dropped;		/* out: packets the qdisc or driver refused */
	__u32 reserved3;	/* must be 0 */
	/* --- end of version 2 (296 bytes) --- */

	/* IPv6: see above */
	__u8  family;		/* 0 or AF_INET: IPv4; AF_INET6: IPv6 */
	__u8  ip6_nexthdr;	/* with PKTCRAFT_F_IP6_NEXTHDR, else 0 */
	__u16 ext_nr;		/* extension headers at ext, <= PKTCRAFT_MAX_EXT */
	__u32 ip6_flowlabel;	/* 20 bits */
	__u8  ip6_saddr[16];	/* :: = chosen by the kernel, unless
				 * PKTCRAFT_F_IP_SADDR
				 */
	__u8  ip6_daddr[16];
	__u64 ext;		/* user pointer to ext_nr struct pktcraft_ext */
	struct pktcraft_vary vary_flowlabel;	/* bursts: the flow label */
	/* --- end of version 3 (360 bytes) --- */

	/* Injection point and fate: see below */
	__u8  inject;		/* PKTCRAFT_INJECT_* */
	__u8  reserved4[3];	/* must be 0 */
	__u32 fate_ms;		/* 0: no tracking; else at most PKTCRAFT_MAX_FATE_MS */
	__u64 fates;		/* user pointer to count struct pktcraft_fate
				 * (out), or 0
				 */
	/* --- end of version 4 (376 bytes) --- */
};

#define PKTCRAFT_REQ_SIZE_VER0	80
#define PKTCRAFT_REQ_SIZE_VER1	176
#define PKTCRAFT_REQ_SIZE_VER2	296
#define PKTCRAFT_REQ_SIZE_VER3	360
#define PKTCRAFT_REQ_SIZE_VER4	376

/* pktcraft_build.flags */
#define PKTCRAFT_BUILD_F_SEND	(1U << 0) /* also transmit the copied frame */
#define PKTCRAFT_BUILD_F_ALL	((1U << 1) - 1)

/*
 * Dry run: build the frame (link layer included) into a user buffer; with
 * PKTCRAFT_BUILD_F_SEND the very same frame is then transmitted.
 */
struct pktcraft_build {
	__u32 size;		/* sizeof(struct pktcraft_build) */
	__u32 flags;		/* PKTCRAFT_BUILD_F_* */
	__u64 req;		/* user pointer to struct pktcraft_req */
	__u64 buf;		/* user pointer to the frame buffer */
	__u32 buf_len;		/* its size */
	__u32 frame_len;	/* out: frame length, also on -ENOSPC; input ignored */
};

#define PKTCRAFT_BUILD_SIZE_VER0 32

/*
 * SEND and BUILD need a file opened for writing (else -EBADF).
 *
 * "Sent" means accepted by the qdisc or the driver: dev_queue_xmit()
 * returned NET_XMIT_SUCCESS or NET_XMIT_CN, as the kernel's own sockets
 * count it. A packet a qdisc accepted and discarded later (qdisc reset or
 * deleted) is in that qdisc's drop counters, not in ours; one that raced
 * with the device going down met the noop qdisc, which drops it and
 * counts nothing (the kfree_skb tracepoint shows it, QDISC_DROP).
 *
 * Returns the number of packets sent when at least one was, even if an
 * error, a device event or a signal stopped the burst later (then
 * result_err says why), or -errno when none was: -EINTR for a signal,
 * -ENOBUFS when every packet was dropped. With count > 1, sent, result_err
 * and dropped are written back when size covers them (-EFAULT, nothing
 * sent, if they cannot be).
 *
 * Every packet is a separate sk_buff through dev_queue_xmit() (qdisc and
 * packet taps see it), a private copy of packet 0 with the varied fields
 * rewritten (never a clone: IP's output may rewrite a header in place,
 * 2026-12-04). On a device whose
 * driver is known to handle it (dummy, e1000) and without an egress hook
 * (nft, tc), a burst goes straight to the driver as pktgen does: without
 * PKTCRAFT_BURST_F_COPY, through a ring of 64 skbs, each rewritten once
 * the driver has let go of it and shown to the taps, only when the queue
 * has no qdisc (noqueue) or inject is PKTCRAFT_INJECT_DRIVER, for every
 * opener; identical packets of an opener with CAP_NET_ADMIN in the initial
 * user namespace as one shared skb, bypassing the qdisc and the taps. A
 * hook (or, for the ring, a qdisc) that appears during the burst sends the
 * rest, from the next batch of at most 32, through dev_queue_xmit() (with
 * PKTCRAFT_INJECT_DRIVER, where only netfilter's hook counts, through
 * dev_direct_xmit()).
 *
 * Memory: every skb but the ring's is charged to a send buffer of the open
 * file (net.core.wmem_default, like a socket's SO_SNDBUF), and to the
 * caller's memory cgroup; when the buffer is full a burst sleeps,
 * interruptibly, until the device frees some. The ring's (64 a burst, plus
 * what the driver and taps still hold, as pktgen's; the file keeps at most
 * its send buffer's worth between bursts) are charged to the memory cgroup
 * only.
 *
 * Device events end a burst, or a request's wait for room before its
 * first packet, at once: down -ENETDOWN, deleted or moved to another
 * namespace -ENODEV.
 */
#define PKTCRAFT_IOC_SEND \
	_IOC(_IOC_READ | _IOC_WRITE, PKTCRAFT_IOC_MAGIC, 1, \
	     PKTCRAFT_REQ_SIZE_VER0)
/*
 * Returns 0 (1 with PKTCRAFT_BUILD_F_SEND: packets sent) and fills the buffer
 * and frame_len, or -errno; nothing is sent when the buffer is too small.
 */
#define PKTCRAFT_IOC_BUILD \
	_IOC(_IOC_READ | _IOC_WRITE, PKTCRAFT_IOC_MAGIC, 2, \
	     PKTCRAFT_BUILD_SIZE_VER0)

/*
 * Counters, per open file and module-wide (since load). Packets and bytes
 * (link header included) are those the device accepted. Drops are packets
 * not sent, by reason; errors count failed requests (and bursts stopped by
 * an error) by errno. Counters the kernel does not know read 0.
 */
struct pktcraft_counters {
	__u64 packets;
	__u64 bytes;
	__u64 drop_queue;	/* NET_XMIT_DROP: the qdisc or device queue */
	__u64 drop_down;	/* device down or going away */
	__u64 drop_nomem;	/* building or copying a packet failed */
	__u64 drop_xmit;	/* any other transmit error */
	__u64 err_inval;	/* EINVAL, E2BIG: validation */
	__u64 err_fault;	/* EFAULT */
	__u64 err_nodev;	/* ENODEV */
	__u64 err_msgsize;	/* EMSGSIZE */
	__u64 err_netdown;	/* ENETDOWN */
	__u64 err_unreach;	/* EHOSTUNREACH, ENETUNREACH, EHOSTDOWN */
	__u64 err_nomem;	/* ENOMEM */
	__u64 err_intr;		/* EINTR: stopped by a signal */
	__u64 err_other;	/* any other errno (ENOBUFS, ENOSPC, ...) */
	/* Fates of tracked packets (fate_ms), see PKTCRAFT_FATE_*. */
	__u64 fate_sent;
	__u64 fate_delivered;
	__u64 fate_dropped;	/* by reason: pktcraft_stats.drops, sysfs drop_reasons */
	__u64 fate_pending;
	__u64 reserved[13];	/* future counters; read 0 */
};

/*
 * Dropped tracked packets of one kernel drop reason (GET_STATS version 1).
 * The numbers are the running kernel's enum skb_drop_reason, which differ
 * between kernels: name is the stable one.
 */
#define PKTCRAFT_DROP_OTHER_NS	0	  /* dropped in another namespace, the
					   * reason not shown to this caller
					   */
#define PKTCRAFT_DROP_OTHER	0xffffffffU /* a reason the module has no name for */

struct pktcraft_drop_count {
	__u32 reason;		/* enum skb_drop_reason, or PKTCRAFT_DROP_* */
	__u32 reserved;		/* 0 */
	__u64 file;		/* this open file's packets */
	__u64 module;		/* every file's; 0 unless the caller has
				 * CAP_NET_ADMIN in the initial namespace
				 */
	__u8  name[32];		/* "NO_SOCKET", "OTHER_NS", "OTHER" (NUL-terminated) */
};

#define PKTCRAFT_DROP_COUNT_SIZE_VER0 56

/* pktcraft_stats.flags */
#define PKTCRAFT_STATS_F_DROPS	(1U << 0) /* read drops, nr_drops, drop_size
					   * (version 1; a module without
					   * them: EINVAL)
					   */
#define PKTCRAFT_STATS_F_ALL	((1U << 1) - 1)

struct pktcraft_stats {
	/* in: sizeof as the caller knows it; out: the bytes filled, a whole
	 * version (the rest, up to size, is zeroed)
	 */
	__u32 size;
	__u32 flags;		/* PKTCRAFT_STATS_F_* */
	struct pktcraft_counters file;	/* this open file */
	/* every file since the module loaded; without CAP_NET_ADMIN in the
	 * initial user namespace, every file of the opener's network namespace
	 */
	struct pktcraft_counters module;

	/* Version 1: fate_dropped by reason, the reasons with a count (in
	 * the file's or the module's column as the caller sees them) in
	 * ascending order of reason. Read only with PKTCRAFT_STATS_F_DROPS
	 * (else ignored, and drops and drop_size read back 0).
	 */
	__u64 drops;		/* in: user array of struct pktcraft_drop_count,
				 * or 0 to learn nr_drops only
				 */
	__u32 nr_drops;		/* in: the array's entries (0 without one); out:
				 * the reasons there are; min(in, out) written
				 */
	__u32 drop_size;	/* in: the array's stride (0 without one), from
				 * PKTCRAFT_DROP_COUNT_SIZE_VER0 to
				 * PKTCRAFT_MAX_STRIDE, a multiple of 8; bytes
				 * of an entry beyond the kernel's are zeroed
				 */
};

#define PKTCRAFT_STATS_SIZE_VER0 520
#define PKTCRAFT_STATS_SIZE_VER1 536

/* Returns 0 and fills the struct, or -errno. */
#define PKTCRAFT_IOC_GET_STATS \
	_IOC(_IOC_READ | _IOC_WRITE, PKTCRAFT_IOC_MAGIC, 3, \
	     PKTCRAFT_STATS_SIZE_VER0)

/* pktcraft_sndbuf.flags */
#define PKTCRAFT_SNDBUF_F_SET	(1U << 0) /* set bytes (else only read) */
#define PKTCRAFT_SNDBUF_F_FORCE	(1U << 1) /* beyond net.core.wmem_max, with
					   * _F_SET: SO_SNDBUFFORCE, which needs
					   * CAP_NET_ADMIN in the initial user
					   * namespace, checked at this ioctl
					   * (else -EPERM)
					   */
#define PKTCRAFT_SNDBUF_F_ALL	((1U << 2) - 1)

/*
 * The open file's send buffer: what its skbs in flight may take, as a
 * socket's SO_SNDBUF (which it is: the value is set with SO_SNDBUF, or
 * SO_SNDBUFFORCE with PKTCRAFT_SNDBUF_F_FORCE, so the kernel doubles it
 * and caps it at net.core.wmem_max unless forced). Default:
 * net.core.wmem_default.
 */
struct pktcraft_sndbuf {
	__u32 size;		/* sizeof(struct pktcraft_sndbuf) */
	__u32 flags;		/* PKTCRAFT_SNDBUF_F_* */
	__u32 bytes;		/* in: wanted (with _F_SET, up to INT_MAX),
				 * else 0; out: the buffer
				 */
	__u32 in_flight;	/* in: 0 (else -EINVAL); out: bytes charged now */
};

#define PKTCRAFT_SNDBUF_SIZE_VER0 16

/* Returns 0 and fills bytes and in_flight, or -errno. */
#define PKTCRAFT_IOC_SNDBUF \
	_IOC(_IOC_READ | _IOC_WRITE, PKTCRAFT_IOC_MAGIC, 4, \
	     PKTCRAFT_SNDBUF_SIZE_VER0)

/* pktcraft_batch.flags */
/* Stop at the first request that fails: -errno, or a burst cut short. */
#define PKTCRAFT_BATCH_F_STOP	(1U << 0)
#define PKTCRAFT_BATCH_F_ALL	((1U << 1) - 1)

#define PKTCRAFT_MAX_BATCH	1024
#define PKTCRAFT_MAX_STRIDE	4096

/*
 * Many independent requests in one call: nr struct pktcraft_req, stride
 * bytes apart from reqs (each with its own size, at most stride, and any
 * version: a burst too). Each is handled exactly as one SEND of it; its
 * result, what that SEND would have returned (packets sent, or -errno),
 * goes to results[i].
 */
struct pktcraft_batch {
	__u32 size;		/* sizeof(struct pktcraft_batch) */
	__u32 flags;		/* PKTCRAFT_BATCH_F_* */
	__u64 reqs;		/* user pointer to the first request */
	__u64 results;		/* user pointer to nr __s32 (out) */
	__u32 nr;		/* 1 .. PKTCRAFT_MAX_BATCH */
	__u32 stride;		/* multiple of 8, PKTCRAFT_REQ_SIZE_VER0 .. PKTCRAFT_MAX_STRIDE */
};

#define PKTCRAFT_BATCH_SIZE_VER0 32

/*
 * Needs a file opened for writing (else -EBADF). Returns the number of
 * requests handled, from the first: nr, fewer when PKTCRAFT_BATCH_F_STOP
 * stopped at a failed one (counted: its result -errno, or a burst an error
 * stopped after it sent some, its result_err set) or a signal arrived between two
 * (results[] of the rest read 0: not tried); or -errno, nothing sent, when
 * the batch itself is malformed (-EINVAL, -E2BIG) or results[] cannot be
 * written (-EFAULT). A failed request does not fail the call.
 */
#define PKTCRAFT_IOC_SEND_BATCH \
	_IOC(_IOC_READ | _IOC_WRITE, PKTCRAFT_IOC_MAGIC, 5, \
	     PKTCRAFT_BATCH_SIZE_VER0)

#endif /* _UAPI_LINUX_PKTCRAFT_H */
