/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktcraft's tracepoints: the path of one ioctl through the module, in the
 * order they fire.
 *
 *   pktcraft:request    a SEND or BUILD request, as the kernel accepted it
 *   pktcraft:refused    ... or where it was refused, and with which errno
 *   pktcraft:egress     the device, how it was found, the neighbour, the
 *                       source the kernel chose (pktcraft:egress6: IPv6)
 *   pktcraft:xmit       each packet handed to the device, and the result
 *   pktcraft:burst_end  a burst's totals (requests with count > 1, or paced):
 *                       sent, dropped and result_err as written back to the
 *                       request (result_err: what stopped it, 0 if none)
 *
 * Fields are named after the struct pktcraft_req members they show. Each
 * event is a static key: nothing is computed or copied while it is off.
 * Watch them with perf trace -e 'pktcraft:*', trace-cmd or bpftrace, or
 * through tracefs (events/pktcraft/).
 *
 * Strings are fixed arrays, not __string(): __assign_str() changed its
 * arguments in 6.10, and these names are short.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pktcraft

#if !defined(_PKTCRAFT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PKTCRAFT_TRACE_H

#include <linux/errno.h>
#include <linux/if_ether.h>
#include <linux/in6.h>
#include <linux/netdevice.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <net/neighbour.h>
#include <asm/word-at-a-time.h>
#include "uapi/linux/pktcraft.h"

/* trace.h is read several times (TRACE_HEADER_MULTI_READ); these once. */
#ifndef _PKTCRAFT_TRACE_HELPERS
#define _PKTCRAFT_TRACE_HELPERS

/* The ioctl's name and where a request was refused, NUL included. */
#define PKTCRAFT_STAGE_LEN	8

#define pktcraft_show_l4(l4)					\
	__print_symbolic(l4,					\
			 { PKTCRAFT_L4_TCP, "TCP" },		\
			 { PKTCRAFT_L4_UDP, "UDP" },		\
			 { PKTCRAFT_L4_ICMP, "ICMP" },		\
			 { PKTCRAFT_L4_RAW, "RAW" })

/* One state at a time; 0: the link address was given, not looked up. */
#define pktcraft_show_nud(nud)					\
	__print_symbolic(nud,					\
			 { 0, "none" },				\
			 { NUD_INCOMPLETE, "INCOMPLETE" },	\
			 { NUD_REACHABLE, "REACHABLE" },	\
			 { NUD_STALE, "STALE" },		\
			 { NUD_DELAY, "DELAY" },		\
			 { NUD_PROBE, "PROBE" },		\
			 { NUD_FAILED, "FAILED" },		\
			 { NUD_NOARP, "NOARP" },		\
			 { NUD_PERMANENT, "PERMANENT" })

/* The errnos the module returns (docs/abi.md), by name. */
#define pktcraft_show_errno(err)				\
	__print_symbolic(-(err),				\
			 { 0, "OK" },				\
			 { EPERM, "EPERM" },			\
			 { EINTR, "EINTR" },			\
			 { EBADF, "EBADF" },			\
			 { ENOMEM, "ENOMEM" },			\
			 { EACCES, "EACCES" },			\
			 { EFAULT, "EFAULT" },			\
			 { ENODEV, "ENODEV" },			\
			 { EINVAL, "EINVAL" },			\
			 { ENOSPC, "ENOSPC" },			\
			 { E2BIG, "E2BIG" },			\
			 { EMSGSIZE, "EMSGSIZE" },		\
			 { EOPNOTSUPP, "EOPNOTSUPP" },		\
			 { ENETDOWN, "ENETDOWN" },		\
			 { ENETUNREACH, "ENETUNREACH" },	\
			 { ENOBUFS, "ENOBUFS" },		\
			 { EHOSTDOWN, "EHOSTDOWN" },		\
			 { EHOSTUNREACH, "EHOSTUNREACH" },	\
			 { ENOKEY, "ENOKEY" },			\
			 { EDESTADDRREQ, "EDESTADDRREQ" },	\
			 { EADDRNOTAVAIL, "EADDRNOTAVAIL" },	\
			 { EIO, "EIO" })

/*
 * A record's fields, holes and tail padding included, zeroed before they
 * are filled (@from: the first field's offset, after the common header):
 * no stale byte reaches a raw reader (trace_pipe_raw, perf, BPF).
 */
static inline void pktcraft_zero_from(void *entry, size_t size, size_t from)
{
	memset((u8 *)entry + from, 0, size - from);
}

/*
 * @dev's name into a record's IFNAMSIZ array, zero past its NUL, as
 * strscpy() leaves it in a zeroed record (a rename leaves an older name's
 * bytes past the NUL in dev->name): a word at a time, the word with the
 * first zero byte masked there and the words after it zeroed. FORTIFY's
 * strscpy() measures the name with strnlen() first: about 100 instructions
 * a record (pktcraft_xmit's: one a packet).
 */
static __always_inline void pktcraft_trace_ifname(char *to,
						  const struct net_device *dev)
{
	const struct word_at_a_time c = WORD_AT_A_TIME_CONSTANTS;
	unsigned long w[IFNAMSIZ / sizeof(long)], bits;
	unsigned int i;

	BUILD_BUG_ON(sizeof(w) != IFNAMSIZ || sizeof(dev->name) != IFNAMSIZ);
	memcpy(w, dev->name, sizeof(w));
	for (i = 0; i < ARRAY_SIZE(w); i++) {
		if (has_zero(w[i], &bits, &c)) {
			bits = prep_zero_mask(w[i], bits, &c);
			w[i] &= zero_bytemask(create_zero_mask(bits));
			while (++i < ARRAY_SIZE(w))
				w[i] = 0;
		}
	}
	memcpy(to, w, sizeof(w));
}

/* The ioctl's name: the command number taken apart lives in userspace. */
static inline const char *pktcraft_trace_ioctl(unsigned int cmd)
{
	switch (cmd) {
	case PKTCRAFT_IOC_SEND:		return "SEND";
	case PKTCRAFT_IOC_BUILD:	return "BUILD";
	case PKTCRAFT_IOC_GET_STATS:	return "STATS";
	case PKTCRAFT_IOC_SNDBUF:	return "SNDBUF";
	case PKTCRAFT_IOC_SEND_BATCH:	return "SEND_BATCH";
	default:			return "?";
	}
}
#endif /* _PKTCRAFT_TRACE_HELPERS */

TRACE_EVENT(pktcraft_request,

	TP_PROTO(unsigned int cmd, u32 declared, const struct pktcraft_req *req),

	TP_ARGS(cmd, declared, req),

	TP_STRUCT__entry(
		__array(char,	ioctl,	PKTCRAFT_STAGE_LEN)
		__field(u32,	size)
		__field(u32,	flags)
		__field(u8,	l4)
		__field(u8,	ip_ttl)
		__array(u8,	ip_saddr, 4)
		__array(u8,	ip_daddr, 4)
		__field(u16,	sport)
		__field(u16,	dport)
		__field(u32,	ifindex)
		__field(u32,	payload_len)
		__field(u32,	count)
		__field(u32,	burst_flags)
		__field(u64,	gap_ns)
		__field(u8,	family)
		__array(u8,	ip6_saddr, 16)
		__array(u8,	ip6_daddr, 16)
	),

	TP_fast_assign(
		pktcraft_zero_from(__entry, sizeof(*__entry),
				   offsetof(typeof(*__entry), ioctl));
		strscpy(__entry->ioctl, pktcraft_trace_ioctl(cmd),
			PKTCRAFT_STAGE_LEN);
		__entry->size = declared;
		__entry->family = req->family;
		memcpy(__entry->ip6_saddr, req->ip6_saddr, 16);
		memcpy(__entry->ip6_daddr, req->ip6_daddr, 16);
		__entry->flags = req->flags;
		__entry->l4 = req->l4;
		__entry->ip_ttl = req->ip_ttl;
		memcpy(__entry->ip_saddr, &req->ip_saddr, 4);
		memcpy(__entry->ip_daddr, &req->ip_daddr, 4);
		__entry->sport = req->sport;
		__entry->dport = req->dport;
		__entry->ifindex = req->ifindex;
		__entry->payload_len = req->payload_len;
		__entry->count = req->count;
		__entry->burst_flags = req->burst_flags;
		__entry->gap_ns = req->gap_ns;
	),

	TP_printk("ioctl=%s size=%u l4=%s ip_saddr=%pI4 ip_daddr=%pI4 sport=%u dport=%u ip_ttl=%u ifindex=%u payload_len=%u count=%u flags=0x%x burst_flags=0x%x gap_ns=%llu family=%u ip6_saddr=%pI6c ip6_daddr=%pI6c",
		  __entry->ioctl, __entry->size, pktcraft_show_l4(__entry->l4),
		  __entry->ip_saddr, __entry->ip_daddr, __entry->sport,
		  __entry->dport, __entry->ip_ttl, __entry->ifindex,
		  __entry->payload_len, __entry->count, __entry->flags,
		  __entry->burst_flags, __entry->gap_ns, __entry->family,
		  __entry->ip6_saddr, __entry->ip6_daddr)
);

TRACE_EVENT(pktcraft_refused,

	TP_PROTO(unsigned int cmd, const char *stage, int err),

	TP_ARGS(cmd, stage, err),

	TP_STRUCT__entry(
		__array(char,	ioctl,	PKTCRAFT_STAGE_LEN)
		__array(char,	stage,	PKTCRAFT_STAGE_LEN)
		__field(int,	err)
	),

	TP_fast_assign(
		pktcraft_zero_from(__entry, sizeof(*__entry),
				   offsetof(typeof(*__entry), ioctl));
		strscpy(__entry->ioctl, pktcraft_trace_ioctl(cmd),
			PKTCRAFT_STAGE_LEN);
		strscpy(__entry->stage, stage, PKTCRAFT_STAGE_LEN);
		__entry->err = err;
	),

	TP_printk("ioctl=%s stage=%s err=%d (%s)",
		  __entry->ioctl, __entry->stage, __entry->err,
		  pktcraft_show_errno(__entry->err))
);

TRACE_EVENT(pktcraft_egress,

	TP_PROTO(const struct net_device *dev, bool by_ifindex, bool link_eth,
		 u8 nud, __be32 saddr, __be32 nexthop, const u8 *dst_mac),

	TP_ARGS(dev, by_ifindex, link_eth, nud, saddr, nexthop, dst_mac),

	TP_STRUCT__entry(
		__array(char,	dev,	IFNAMSIZ)
		__field(int,	ifindex)
		__field(bool,	by_ifindex)
		__field(bool,	link_eth)
		__field(u8,	nud)
		__array(u8,	saddr,	4)
		__array(u8,	nexthop, 4)
		__array(u8,	dst_mac, ETH_ALEN)
	),

	TP_fast_assign(
		pktcraft_zero_from(__entry, sizeof(*__entry),
				   offsetof(typeof(*__entry), dev));
		pktcraft_trace_ifname(__entry->dev, dev);
		__entry->ifindex = dev->ifindex;
		__entry->by_ifindex = by_ifindex;
		__entry->link_eth = link_eth;
		__entry->nud = nud;
		memcpy(__entry->saddr, &saddr, 4);
		memcpy(__entry->nexthop, &nexthop, 4);
		memcpy(__entry->dst_mac, dst_mac, ETH_ALEN);
	),

	TP_printk("dev=%s ifindex=%d via=%s link=%s saddr=%pI4 nexthop=%pI4 nud=%s dst_mac=%pM",
		  __entry->dev, __entry->ifindex,
		  __entry->by_ifindex ? "ifindex" : "route",
		  __entry->link_eth ? "ether" : "none", __entry->saddr,
		  __entry->nexthop, pktcraft_show_nud(__entry->nud),
		  __entry->dst_mac)
);

TRACE_EVENT(pktcraft_egress6,

	TP_PROTO(const struct net_device *dev, bool by_ifindex, bool link_eth,
		 u8 nud, const struct in6_addr *saddr,
		 const struct in6_addr *nexthop, const u8 *dst_mac),

	TP_ARGS(dev, by_ifindex, link_eth, nud, saddr, nexthop, dst_mac),

	TP_STRUCT__entry(
		__array(char,	dev,	IFNAMSIZ)
		__field(int,	ifindex)
		__field(bool,	by_ifindex)
		__field(bool,	link_eth)
		__field(u8,	nud)
		__array(u8,	saddr,	16)
		__array(u8,	nexthop, 16)
		__array(u8,	dst_mac, ETH_ALEN)
	),

	TP_fast_assign(
		pktcraft_zero_from(__entry, sizeof(*__entry),
				   offsetof(typeof(*__entry), dev));
		pktcraft_trace_ifname(__entry->dev, dev);
		__entry->ifindex = dev->ifindex;
		__entry->by_ifindex = by_ifindex;
		__entry->link_eth = link_eth;
		__entry->nud = nud;
		memcpy(__entry->saddr, saddr, 16);
		memcpy(__entry->nexthop, nexthop, 16);
		memcpy(__entry->dst_mac, dst_mac, ETH_ALEN);
	),

	TP_printk("dev=%s ifindex=%d via=%s link=%s saddr=%pI6c nexthop=%pI6c nud=%s dst_mac=%pM",
		  __entry->dev, __entry->ifindex,
		  __entry->by_ifindex ? "ifindex" : "route",
		  __entry->link_eth ? "ether" : "none", __entry->saddr,
		  __entry->nexthop, pktcraft_show_nud(__entry->nud),
		  __entry->dst_mac)
);

TRACE_EVENT(pktcraft_xmit,

	TP_PROTO(const struct net_device *dev, u32 index, unsigned int len,
		 bool shared, int rc),

	TP_ARGS(dev, index, len, shared, rc),

	TP_STRUCT__entry(
		__array(char,	dev,	IFNAMSIZ)
		__field(u32,	index)
		__field(u32,	len)
		__field(bool,	shared)
		__field(int,	rc)
	),

	TP_fast_assign(
		pktcraft_zero_from(__entry, sizeof(*__entry),
				   offsetof(typeof(*__entry), dev));
		pktcraft_trace_ifname(__entry->dev, dev);
		__entry->index = index;
		__entry->len = len;
		__entry->shared = shared;
		__entry->rc = rc;
	),

	/*
	 * rc: the injection point's (dev_queue_xmit()'s by default), or
	 * netdev_start_xmit()'s straight to the driver (burst.c: "driver")
	 */
	TP_printk("dev=%s index=%u len=%u path=%s rc=%d",
		  __entry->dev, __entry->index, __entry->len,
		  __entry->shared ? "driver" : "qdisc", __entry->rc)
);

TRACE_EVENT(pktcraft_burst_end,

	TP_PROTO(const struct net_device *dev, u32 count, u32 sent, u32 dropped,
		 int result_err),

	TP_ARGS(dev, count, sent, dropped, result_err),

	TP_STRUCT__entry(
		__array(char,	dev,	IFNAMSIZ)
		__field(u32,	count)
		__field(u32,	sent)
		__field(u32,	dropped)
		__field(int,	result_err)
	),

	TP_fast_assign(
		pktcraft_zero_from(__entry, sizeof(*__entry),
				   offsetof(typeof(*__entry), dev));
		pktcraft_trace_ifname(__entry->dev, dev);
		__entry->count = count;
		__entry->sent = sent;
		__entry->dropped = dropped;
		__entry->result_err = result_err;
	),

	TP_printk("dev=%s count=%u sent=%u dropped=%u result_err=%d (%s)",
		  __entry->dev, __entry->count, __entry->sent,
		  __entry->dropped, __entry->result_err,
		  pktcraft_show_errno(__entry->result_err))
);

#endif /* _PKTCRAFT_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
