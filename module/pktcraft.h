/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTCRAFT_H
#define _PKTCRAFT_H

#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <net/checksum.h>
#include <kunit/visibility.h>
#include "compat/compat.h"
#include "uapi/linux/pktcraft.h"

/* stats.c: counters, in the order of struct pktcraft_counters. */
enum pktcraft_ctr {
	PKTCRAFT_C_PACKETS, PKTCRAFT_C_BYTES, PKTCRAFT_C_DROP_QUEUE,
	PKTCRAFT_C_DROP_DOWN, PKTCRAFT_C_DROP_NOMEM, PKTCRAFT_C_DROP_XMIT,
	PKTCRAFT_C_ERR_INVAL, PKTCRAFT_C_ERR_FAULT, PKTCRAFT_C_ERR_NODEV,
	PKTCRAFT_C_ERR_MSGSIZE, PKTCRAFT_C_ERR_NETDOWN, PKTCRAFT_C_ERR_UNREACH,
	PKTCRAFT_C_ERR_NOMEM, PKTCRAFT_C_ERR_INTR, PKTCRAFT_C_ERR_OTHER,
	PKTCRAFT_C_FATE_SENT, PKTCRAFT_C_FATE_DELIVERED, PKTCRAFT_C_FATE_DROPPED,
	PKTCRAFT_C_FATE_PENDING,
	PKTCRAFT_C_NR
};

/*
 * Dropped tracked packets by reason: slot r for enum skb_drop_reason r,
 * PKTCRAFT_DROP_OTHER_NS (0, never a drop reason) for a verdict the file
 * may not see, SKB_DROP_REASON_MAX for a reason without a name.
 */
#define PKTCRAFT_DROP_SLOTS	(SKB_DROP_REASON_MAX + 1)

/* A namespace's counters, and the module's, per CPU (stats.c). */
struct pktcraft_pcpu_ctrs {
	u64 v[PKTCRAFT_C_NR];
};

struct pktcraft_ctrs {		/* an open file's (stats.c) */
	atomic64_t v[PKTCRAFT_C_NR];
	atomic64_t drops[PKTCRAFT_DROP_SLOTS];
	/* Its namespace's, which the file holds. */
	struct pktcraft_pcpu_ctrs __percpu *ns;
};

struct pktcraft_tally {		/* local to a burst, flushed now and then */
	u64 v[PKTCRAFT_C_NR];		/* since the burst started */
	u64 flushed[PKTCRAFT_C_NR];	/* of which already in the counters */
};

/* Sizes derived from a validated request. */
struct pktcraft_layout {
	u32 ip_hlen;		/* real IPv4 header length, options padded; or
				 * IPv6 header and extension headers
				 */
	u16 l4_hlen;		/* real layer 4 header length, options padded */
	u32 len;		/* real IP packet length, headers included */
	u8 protocol;		/* layer 4 protocol number */
	bool ipv6;
	/* IPv6: offset in the packet of the pseudo-header's destination */
	u32 final_off;
	u16 ext_nr;
	const struct pktcraft_ext *ext;	/* IPv6: the kernel's copy, or NULL */
};

/*
 * Where a file's frames get their data (build.c): page fragments, as
 * netdev_alloc_skb() takes them, but from pages charged to the caller's
 * memory cgroup. The lock is only tried: a request that finds it taken
 * falls back to alloc_skb().
 */
struct pktcraft_frag {
	struct mutex lock;		/* taken only around page_frag_alloc() */
	struct page_frag_cache cache;
};

/* One open /dev/pktcraft (main.c). */
struct pktcraft_file {
	struct net *net;		/* the opener's, for every lookup */
	netns_tracker ns_tracker;
	struct socket *sock;		/* charges what is in flight (sock.c) */
	/* Why sock is an IPv4 one though the kernel has IPv6 (0: it is not) */
	int sock6_err;
	kuid_t uid;			/* the opener's fsuid, for routing */
	bool may_share;			/* CAP_NET_ADMIN in init_user_ns */
	bool may_rx;			/* CAP_NET_ADMIN over net's owner */
	struct pktcraft_frag frag;	/* build.c */
	struct pktcraft_ctrs ctrs;	/* stats.c */
	struct pktcraft_ring *ring;	/* kept between bursts: burst.c */
	struct sk_buff *single;		/* kept for the next single (burst.c) */
};

/* How the frame starts on the egress device. */
enum pktcraft_link {
	PKTCRAFT_LINK_ETH,	/* Ethernet header from the device's header_ops */
	PKTCRAFT_LINK_NONE,	/* no link header: the bare IPv4 packet */
};

/* Where a packet leaves: a held device, the link destination, a source. */
struct pktcraft_egress {
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	enum pktcraft_link link;
	bool resolved;		/* dst_mac came from the neighbour table */
	u8 nud;			/* its NUD_* state then (NUD_NOARP: mapped) */
	bool ipv6;
	__be32 nexthop;		/* what dst_mac was resolved for */
	u8 dst_mac[MAX_ADDR_LEN];
	__be32 saddr;		/* source used when the request leaves it 0 */
	struct in6_addr nexthop6, saddr6;	/* the same, IPv6 */
	/* Set by pktcraft_prepare() after the lookup: */
	int ifindex;		/* the request's (0: routed) */
	u8 inject;		/* PKTCRAFT_INJECT_* */
	bool direct;		/* a single packet straight to the driver */
	struct pktcraft_fates *fates;	/* fate.c, or NULL */
};

/*
 * A send that is using a device (devwatch.c): the netdevice notifier sets
 * @event and wakes @task when the device goes down, is unregistered or
 * leaves the namespace.
 */
struct pktcraft_watch {
	struct hlist_node node;
	const struct net_device *dev;
	struct task_struct *task;
	int event;		/* 0, -ENETDOWN or -ENODEV */
};

/* request.c */
int pktcraft_req_from_user(struct pktcraft_req *req,
			   const struct pktcraft_req __user *ureq, u32 limit,
			   u32 *declared);
struct pktcraft_ext *__pktcraft_ext_from_user(const struct pktcraft_req *req);

/* Most requests have no extension headers: no call for them. */
static inline struct pktcraft_ext *
pktcraft_ext_from_user(const struct pktcraft_req *req)
{
	return req->ext_nr ? __pktcraft_ext_from_user(req) : NULL;
}

int pktcraft_req_check(const struct pktcraft_req *req,
		       const struct pktcraft_ext *ext,
		       struct pktcraft_layout *lay);
bool pktcraft_ip4_lengths_sane(const struct pktcraft_req *req, u32 len);
bool pktcraft_ip4_ihl_ok(const struct pktcraft_req *req,
			 const struct pktcraft_layout *lay, bool admin);

/* ipv6.c */
int pktcraft_ip6_check(const struct pktcraft_req *req,
		       const struct pktcraft_ext *ext,
		       struct pktcraft_layout *lay);
int pktcraft_ip6_copy_ext(const struct pktcraft_layout *lay, void *l3);
void pktcraft_ip6_write(const struct pktcraft_req *req,
			const struct pktcraft_layout *lay,
			const struct in6_addr *saddr, void *l3, __wsum payload);
bool pktcraft_ip6_hao(const struct pktcraft_layout *lay, const void *l3);

/* egress.c */
int pktcraft_egress_get(const struct pktcraft_file *pf,
			const struct pktcraft_req *req,
			struct pktcraft_egress *eg);
int pktcraft_egress_refresh(struct pktcraft_egress *eg, struct net *net);
bool pktcraft_dev_reenters_ip(const struct net_device *dev);

/* Lets go of pktcraft_egress_get()'s device, if it holds one. */
static inline void pktcraft_egress_put(struct pktcraft_egress *eg)
{
	if (eg->dev)
		netdev_put(eg->dev, &eg->dev_tracker);
	eg->dev = NULL;
}

/* inject.c */
u16 pktcraft_pick_queue(struct sk_buff *skb);

/*
 * What pktcraft_pick_queue() left in @skb, and the flow hash XPS may have
 * computed for it (get_xps_queue()), cleared as alloc_skb() leaves them.
 */
static inline void pktcraft_pick_forget(struct sk_buff *skb)
{
#ifdef CONFIG_XPS
	skb->sender_cpu = 0;
#endif
	skb_set_queue_mapping(skb, 0);
	skb_clear_hash(skb);
}

bool pktcraft_rx_allowed(const struct pktcraft_file *pf,
			 const struct net_device *dev);
int pktcraft_inject(struct pktcraft_file *pf, const struct pktcraft_egress *eg,
		    u32 i, struct sk_buff *skb);

/* fate.c */
struct pktcraft_fates;
struct pktcraft_ctrs;
struct pktcraft_fates *__pktcraft_fates_start(struct net *net,
					      const struct pktcraft_req *req,
					      bool see_all);

/* Most requests track no fates: no call for them. */
static inline struct pktcraft_fates *
pktcraft_fates_start(struct net *net, const struct pktcraft_req *req,
		     bool see_all)
{
	if (!req->fate_ms && !req->fates)
		return NULL;
	return __pktcraft_fates_start(net, req, see_all);
}

void pktcraft_fates_xmit(struct pktcraft_fates *f, u32 i, struct sk_buff *skb);
void __pktcraft_fates_egress(struct pktcraft_fates *f,
			     const struct net_device *dev);
noinline void __pktcraft_fates_finish(struct pktcraft_fates *f,
				      struct pktcraft_ctrs *ctrs);

/* @f from pktcraft_fates_start(): NULL, nothing to do, for most. */
static inline void pktcraft_fates_egress(struct pktcraft_fates *f,
					 const struct net_device *dev)
{
	if (f)
		__pktcraft_fates_egress(f, dev);
}

static inline void pktcraft_fates_finish(struct pktcraft_fates *f,
					 struct pktcraft_ctrs *ctrs)
{
	if (f)
		__pktcraft_fates_finish(f, ctrs);
}

const char *pktcraft_drop_name(u32 slot);
void pktcraft_fate_dev_gone(const struct net_device *dev);
void pktcraft_fate_init(void);
void pktcraft_fate_exit(void);

/*
 * Is [@p, @p + @n) all zero? memchr_inv() for a request's fixed ranges,
 * inlined and a word at a time, four a turn: with @n a constant it is a
 * few ORs, where memchr_inv() walks its bytes to an alignment first (7 %
 * of a single packet's instructions went there). From 8 bytes on, a tail
 * of 1 to 7 is the last word read again from its end rather than byte by
 * byte (the 63 bytes of IPv6 fields ended in 7 byte turns).
 */
static __always_inline bool pktcraft_all_zero(const void *p, size_t n)
{
	const u8 *b = p;
	u64 acc = 0;
	size_t i;

	for (i = 0; i + 4 * sizeof(u64) <= n; i += 4 * sizeof(u64))
		acc |= get_unaligned((const u64 *)(b + i)) |
		       get_unaligned((const u64 *)(b + i + sizeof(u64))) |
		       get_unaligned((const u64 *)(b + i + 2 * sizeof(u64))) |
		       get_unaligned((const u64 *)(b + i + 3 * sizeof(u64)));
	for (; i + sizeof(u64) <= n; i += sizeof(u64))
		acc |= get_unaligned((const u64 *)(b + i));
	if (i < n && n >= sizeof(u64)) {
		/* the last word, overlapping the ones read */
		acc |= get_unaligned((const u64 *)(b + n - sizeof(u64)));
	} else {
		for (; i < n; i++)
			acc |= b[i];
	}
	return !acc;
}

/* Does an IPv4 request give its source (PKTCRAFT_F_IP_SADDR: even 0)? */
static inline bool pktcraft_req_own_saddr(const struct pktcraft_req *req)
{
	return req->ip_saddr || req->flags & PKTCRAFT_F_IP_SADDR;
}

/* devwatch.c */
int pktcraft_dev_check(struct net *net, const struct net_device *dev);

/*
 * pktcraft_dev_check() for a caller already in an RCU read-side section
 * (RCU-bh, burst.c's xmit_allowed()).
 */
static inline int pktcraft_dev_check_rcu(struct net *net,
					 const struct net_device *dev)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_any_held(),
			 "pktcraft_dev_check_rcu() outside RCU");
	/* a move rewrites ifindex once the device is unlisted: either fails */
	if (dev_get_by_index_rcu(net, READ_ONCE(dev->ifindex)) != dev)
		return -ENODEV;
	return netif_running(dev) ? 0 : -ENETDOWN;
}

int pktcraft_watch_start(struct pktcraft_watch *w, struct net *net,
			 const struct net_device *dev);
void pktcraft_watch_stop(struct pktcraft_watch *w);
int pktcraft_dev_settle(struct net *net, const struct net_device *dev);
int pktcraft_watch_settle(struct pktcraft_watch *w, struct net *net, int err);
int pktcraft_watch_init(void);
void pktcraft_watch_exit(void);

static inline int pktcraft_watch_event(const struct pktcraft_watch *w)
{
	return READ_ONCE(w->event);
}

/* sock.c */
int pktcraft_sock_create(struct pktcraft_file *pf);
void pktcraft_sock_release(struct pktcraft_file *pf);
int pktcraft_sock_wait(struct sock *sk, const struct pktcraft_watch *w);
int pktcraft_sock_room(struct sock *sk, struct net *net,
		       const struct net_device *dev);
void pktcraft_sock_charge(struct sock *sk, struct sk_buff *skb);
long pktcraft_sock_sndbuf(struct pktcraft_file *pf,
			  struct pktcraft_sndbuf __user *ubuf, bool may_set);

/* build.c */

/**
 * pktcraft_l4_hdr_sum - csum_partial() of a layer 4 header, @sum added
 * @l4: the header
 * @hlen: its length; a multiple of 4 (8 for UDP and ICMP, 20 to 60 for TCP)
 *        is summed here a 32-bit word at a time, without csum_partial()'s
 *        call and set-up, anything else by csum_partial()
 * @sum: the partial sum of what follows it (the payload's)
 *
 * Return: a partial sum that folds to what csum_partial(@l4, @hlen, @sum)
 * folds to.
 */
static inline __wsum pktcraft_l4_hdr_sum(const void *l4, unsigned int hlen,
					 __wsum sum)
{
	unsigned int i;

	if (hlen % 4)
		return csum_partial(l4, hlen, sum);
	for (i = 0; i < hlen; i += 4)
		sum = csum_add(sum, (__force __wsum)
			       get_unaligned((const u32 *)(l4 + i)));
	return sum;
}

void pktcraft_write_l4(const struct pktcraft_req *req,
		       const struct pktcraft_layout *lay, void *l4);
__sum16 *pktcraft_l4_check(const struct pktcraft_req *req, void *l4);

/*
 * The headroom a frame gets before its device is known: an Ethernet
 * device's, LL_RESERVED_SPACE() of a 14-byte header with no
 * needed_headroom. pktcraft_build_finish() widens it for a device that
 * needs more.
 */
#define PKTCRAFT_HEADROOM	((ETH_HLEN & ~(HH_DATA_MOD - 1)) + HH_DATA_MOD)

/* The data an skb needs for pktcraft_build_data(): headroom, frame, padding. */
static inline unsigned int
pktcraft_build_size(const struct pktcraft_layout *lay)
{
	/* Room to pad a short Ethernet frame to ETH_ZLEN ourselves. */
	return PKTCRAFT_HEADROOM + max_t(unsigned int, lay->len, ETH_ZLEN);
}

struct sk_buff *pktcraft_build_data(const struct pktcraft_req *req,
				    const struct pktcraft_layout *lay,
				    struct pktcraft_frag *frag,
				    struct sk_buff *skb);
int pktcraft_build_finish(struct net *net, const struct pktcraft_req *req,
			  const struct pktcraft_layout *lay,
			  const struct pktcraft_egress *eg, struct sk_buff *skb);
void pktcraft_frag_init(struct pktcraft_frag *frag);
void pktcraft_frag_drain(struct pktcraft_frag *frag);

extern const struct attribute_group *pktcraft_stats_groups[];
DECLARE_PER_CPU(struct pktcraft_pcpu_ctrs, pktcraft_module_ctrs);
int pktcraft_stats_init(void);
void pktcraft_stats_exit(void);
void pktcraft_stats_open(struct pktcraft_ctrs *file, struct net *net);
void pktcraft_stats_flush(struct pktcraft_ctrs *file, struct pktcraft_tally *t);
void pktcraft_stats_err(struct pktcraft_ctrs *file, int err);

/* A packet (or more) accepted by the device, outside a burst's tally. */
static inline void pktcraft_stats_sent(struct pktcraft_ctrs *file, u64 packets,
				       u64 bytes)
{
	atomic64_add(packets, &file->v[PKTCRAFT_C_PACKETS]);
	atomic64_add(bytes, &file->v[PKTCRAFT_C_BYTES]);
	this_cpu_add(file->ns->v[PKTCRAFT_C_PACKETS], packets);
	this_cpu_add(file->ns->v[PKTCRAFT_C_BYTES], bytes);
	this_cpu_add(pktcraft_module_ctrs.v[PKTCRAFT_C_PACKETS], packets);
	this_cpu_add(pktcraft_module_ctrs.v[PKTCRAFT_C_BYTES], bytes);
}

void pktcraft_stats_inc(struct pktcraft_ctrs *file, int idx);
void pktcraft_stats_drop(struct pktcraft_ctrs *file, u32 file_slot,
			 u32 module_slot);
long pktcraft_stats_get(struct pktcraft_ctrs *file,
			struct pktcraft_stats __user *ustats, bool see_all);

/* burst.c */
/* The variations: the UAPI's vary[] and then the IPv6 flow label. */
#define PKTCRAFT_VARY_FLOWLABEL	PKTCRAFT_VARY_NR
#define PKTCRAFT_VARY_ALL	(PKTCRAFT_VARY_NR + 1)

struct pktcraft_vstate {
	u8 mode;		/* PKTCRAFT_VARY_* */
	u32 min, step, cur;	/* step already reduced modulo span */
	u32 tmpl;		/* the value in packet 0 */
	u64 span;		/* max - min + 1 */
};

struct pktcraft_burst {
	u32 count;		/* >= 1 */
	u32 flags;		/* PKTCRAFT_BURST_F_* */
	u64 gap_ns, start_ns;
	bool varied;		/* some field varies */
	bool paced;		/* gap_ns or start_ns given */
	bool ip_csum;		/* IPv4 checksum computed (not forced) */
	bool ipv6;
	bool l4_csum;		/* TCP/UDP/ICMPv6 checksum computed (not forced) */
	bool src_csum;		/* the header's source is in that checksum */
	bool udp;
	bool report;		/* sent/result_err/dropped within the caller's size */
	/* What the burst did, for pktcraft_burst_report() (@report only) */
	u32 sent, dropped;
	s32 result_err;
	u32 ip_hlen;
	u16 check_off;		/* of that checksum in its header */
	u8 nvaried;		/* fields that vary: v[vidx[0 .. nvaried - 1]] */
	u8 vidx[PKTCRAFT_VARY_ALL];
	struct pktcraft_vstate v[PKTCRAFT_VARY_ALL];
};

int __pktcraft_burst_init(struct pktcraft_burst *b, struct pktcraft_req *req,
			  const struct pktcraft_layout *lay);

/**
 * pktcraft_burst_init - check the burst part of a request
 * @b: filled for pktcraft_burst_run(); NULL when only a single, unpaced,
 *     unvaried packet is acceptable (BUILD)
 * @req: request already checked by pktcraft_req_check()
 * @lay: its layout
 *
 * The common case, a version 0/1 request or one packet, sets no burst
 * field: a single packet, without a call. Any other goes to
 * __pktcraft_burst_init() (burst.c).
 *
 * Return: 0 or -EINVAL, as __pktcraft_burst_init().
 */
static __always_inline int pktcraft_burst_init(struct pktcraft_burst *b,
					       struct pktcraft_req *req,
					       const struct pktcraft_layout *lay)
{
	if (!req->reserved3 &&
	    pktcraft_all_zero(&req->count, offsetof(struct pktcraft_req, sent) -
				       offsetof(struct pktcraft_req, count)) &&
	    pktcraft_all_zero(&req->vary_flowlabel,
			      sizeof(req->vary_flowlabel))) {
		if (b) {	/* all that pktcraft_burst_run() reads for it */
			b->count = 1;
			b->report = false;
			b->flags = 0;
			b->gap_ns = 0;
			b->start_ns = 0;
			b->varied = false;
			b->nvaried = 0;
			b->paced = false;
		}
		return 0;
	}
	return __pktcraft_burst_init(b, req, lay);
}

long pktcraft_burst_run(struct pktcraft_file *pf, struct pktcraft_burst *b,
			struct sk_buff *skb, struct pktcraft_egress *eg);
int __pktcraft_burst_report(const struct pktcraft_burst *b,
			    struct pktcraft_req __user *ureq);

/* Most sends report nothing back: no call for them (single packets). */
static inline int pktcraft_burst_report(const struct pktcraft_burst *b,
					struct pktcraft_req __user *ureq)
{
	return b && b->report ? __pktcraft_burst_report(b, ureq) : 0;
}

void pktcraft_ring_free(struct pktcraft_ring *r);
void pktcraft_ring_trim(struct pktcraft_file *pf);

/*
 * Nobody but its keeper (the ring, the file) holds @skb: the driver has let
 * go of it (the count read as skb_unref() reads it) and no tap's clone
 * still shares its data. The driver's last accesses come before our writes
 * to it: the release of its refcount decrement, our control dependency and
 * the barrier.
 */
static inline bool pktcraft_skb_idle(const struct sk_buff *skb)
{
	if (refcount_read(&skb->users) != 1 || skb_cloned(skb))
		return false;
	smp_acquire__after_ctrl_dep();
	return true;
}

/**
 * pktcraft_single_take - the file's kept skb for a single packet
 * @pf: the open file
 * @size: the data it needs (pktcraft_build_size())
 *
 * Only the driver path kept it (single_keep(): idle, never charged, never
 * through a qdisc, netfilter or tc; nobody else has it since), where what
 * changes in an sk_buff is what the builder writes again (offsets,
 * protocol, device, ip_summed: pktcraft_build_data() and _finish()), the
 * queue pick (cleared when it was kept) and a tap's clone's mark (cleared
 * here): what the builder reads before writing is as alloc_skb() leaves
 * it. Its tailroom keeps an earlier frame of the file: the caller zeroes
 * it before the skb goes anywhere but straight to a driver
 * pktcraft_direct_single() allows. Inline: one exchange, no call.
 *
 * Return: the skb, or NULL for a new one (none kept, or one too small,
 * which is let go of here).
 */
static __always_inline struct sk_buff *
pktcraft_single_take(struct pktcraft_file *pf, unsigned int size)
{
	struct sk_buff *skb = xchg(&pf->single, NULL);

	if (!skb)
		return NULL;
	DEBUG_NET_WARN_ON_ONCE(!pktcraft_skb_idle(skb));
	if (unlikely(skb_end_offset(skb) < size)) {
		consume_skb(skb);
		return NULL;
	}
	skb->data = skb->head;
	skb_reset_tail_pointer(skb);
	skb->len = 0;
	skb->mac_header = (typeof(skb->mac_header))~0U;
	skb->cloned = 0;	/* idle: the data is ours alone */
	return skb;
}

bool pktcraft_direct_single(const struct pktcraft_egress *eg,
			    struct sk_buff *skb, bool *charge);

#if IS_ENABLED(CONFIG_KUNIT)
int pktcraft_req_size_check(u32 usize);
__sum16 pktcraft_ip_csum(const void *iph, unsigned int ihl);
__sum16 pktcraft_l4_csum(__be32 saddr, __be32 daddr, u8 proto,
			 const void *l4, unsigned int len, unsigned int hlen,
			 __wsum rest);
void pktcraft_write_headers(const struct pktcraft_req *req,
			    const struct pktcraft_layout *lay,
			    __be32 saddr, void *l3);
void pktcraft_write_csums(const struct pktcraft_req *req,
			  const struct pktcraft_layout *lay, void *l3,
			  __wsum payload);
u32 pktcraft_fate_hashed(const struct sk_buff *skb);
#endif

#endif /* _PKTCRAFT_H */
