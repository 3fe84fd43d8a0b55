// SPDX-License-Identifier: GPL-2.0
/*
 * Bursts: one SEND, count packets. Packet 0 is the builder's frame; every
 * other one is a private copy of it, with the varied fields rewritten and
 * the computed checksums updated incrementally (RFC 1624): never the same
 * sk_buff in flight twice, since stacked devices and qdiscs link skbs into
 * lists, and never a clone, whose header a transmit may rewrite in place
 * (burst_each()). On a driver known
 * to cope (direct_driver()) a burst goes straight to the driver as pktgen
 * does: through a ring of private skbs, each rewritten (or, identical, sent
 * again) only once the driver has let go of it, for every opener; identical
 * packets as one shared skb only for an opener with CAP_NET_ADMIN in the
 * initial user namespace; single packets the ring's way, in an skb the
 * file keeps for the next one.
 * Every skb but the ring's, root's shared one, a single packet's on a
 * driver that lets go of it at once and packet 0 until it is sent is
 * charged to the file's send buffer (sock.c); a device event ends the
 * burst (devwatch.c). Optional pacing against absolute CLOCK_MONOTONIC
 * deadlines.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/hrtimer.h>
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <net/checksum.h>
#include <net/sch_generic.h>
#include <net/sock.h>
#include "pktcraft.h"
#include "trace.h"

/* Counters are flushed to the file and module totals this often. */
#define PKTCRAFT_FLUSH_EVERY	256
/* Packets handed to the driver under one tx lock, at most. */
#define PKTCRAFT_SHARE_BATCH	32
/* The same, identical packets to a driver that lets go at once (c->reuse). */
#define PKTCRAFT_REUSE_BATCH	1024
/* Varied packets straight to the driver: skbs in the ring (a power of 2). */
#define PKTCRAFT_RING_SLOTS	64
/* Ring slots filled ahead of the driver, at most (ring_fill()). */
#define PKTCRAFT_FILL_AHEAD	PKTCRAFT_SHARE_BATCH
/* xmit_direct(): not a netdev_tx_t, no prepared slot left (@reuse). */
#define XMIT_NO_SLOT	0x41
/* xmit_direct(): not a netdev_tx_t, the burst leaves the driver path. */
#define XMIT_SWITCH	0x40
/* burst_direct(): the same, the rest to burst_requeue(). */
#define BURST_SWITCH	1
/* A driver queue stopped for this long ends a shared burst (-ENOBUFS). */
#define PKTCRAFT_BUSY_NS	(1000 * NSEC_PER_MSEC)
/* A long burst looks at its resolved neighbour this often. */
#define PKTCRAFT_NEIGH_REFRESH_NS	NSEC_PER_SEC

static const u32 vary_limit[PKTCRAFT_VARY_ALL] = {
	[PKTCRAFT_VARY_SPORT] = 0xffff,
	[PKTCRAFT_VARY_DPORT] = 0xffff,
	[PKTCRAFT_VARY_TCP_SEQ] = U32_MAX,
	[PKTCRAFT_VARY_IP_ID] = 0xffff,
	[PKTCRAFT_VARY_IP_SADDR] = U32_MAX,
	[PKTCRAFT_VARY_FLOWLABEL] = 0xfffff,
};

/* The source address's varied part: IPv4's, or IPv6's low 32 bits. */
static __be32 *req_saddr(struct pktcraft_req *req)
{
	if (req->family == AF_INET6)
		return (__be32 *)&req->ip6_saddr[12];
	return (__force __be32 *)&req->ip_saddr;
}

static u32 req_value(struct pktcraft_req *req, int f)
{
	switch (f) {
	case PKTCRAFT_VARY_SPORT:
		return req->sport;
	case PKTCRAFT_VARY_DPORT:
		return req->dport;
	case PKTCRAFT_VARY_TCP_SEQ:
		return req->tcp_seq;
	case PKTCRAFT_VARY_IP_ID:
		return req->ip_id;
	case PKTCRAFT_VARY_FLOWLABEL:
		return req->ip6_flowlabel;
	default:
		return ntohl(*req_saddr(req));
	}
}

/* Packet 0 gets @v; a varied ID or source is literal, even 0. */
static void set_req_value(struct pktcraft_req *req, int f, u32 v)
{
	switch (f) {
	case PKTCRAFT_VARY_SPORT:
		req->sport = v;
		break;
	case PKTCRAFT_VARY_DPORT:
		req->dport = v;
		break;
	case PKTCRAFT_VARY_TCP_SEQ:
		req->tcp_seq = v;
		break;
	case PKTCRAFT_VARY_IP_ID:
		req->ip_id = v;
		req->flags |= PKTCRAFT_F_IP_ID;
		break;
	case PKTCRAFT_VARY_FLOWLABEL:
		req->ip6_flowlabel = v;
		break;
	default:
		*req_saddr(req) = htonl(v);
		req->flags |= PKTCRAFT_F_IP_SADDR;
		break;
	}
}

static bool vary_applies(const struct pktcraft_req *req, int f)
{
	switch (f) {
	case PKTCRAFT_VARY_SPORT:
	case PKTCRAFT_VARY_DPORT:
		return req->l4 == PKTCRAFT_L4_TCP || req->l4 == PKTCRAFT_L4_UDP;
	case PKTCRAFT_VARY_TCP_SEQ:
		return req->l4 == PKTCRAFT_L4_TCP;
	case PKTCRAFT_VARY_IP_ID:
		return req->family != AF_INET6;
	case PKTCRAFT_VARY_FLOWLABEL:
		return req->family == AF_INET6;
	default:
		return true;
	}
}

/* How field @f varies: the UAPI's vary[], then vary_flowlabel. */
static const struct pktcraft_vary *req_vary(const struct pktcraft_req *req,
					    int f)
{
	return f < PKTCRAFT_VARY_NR ? &req->vary[f] : &req->vary_flowlabel;
}

static u32 vary_random(const struct pktcraft_vstate *v)
{
	if (v->span > U32_MAX)
		return get_random_u32();
	return v->min + get_random_u32_below((u32)v->span);
}

static void vary_next(struct pktcraft_vstate *v)
{
	u64 off;

	if (v->mode == PKTCRAFT_VARY_RANDOM) {
		v->cur = vary_random(v);
		return;
	}
	off = (u64)(v->cur - v->min) + v->step;
	if (off >= v->span)
		off -= v->span;
	v->cur = v->min + (u32)off;
}

/* Every varied field to its next packet's value. */
static void vary_all(struct pktcraft_burst *b)
{
	int k;

	for (k = 0; k < b->nvaried; k++)
		vary_next(&b->v[b->vidx[k]]);
}

/**
 * __pktcraft_burst_init - check the burst part of a request that has one
 * @b: filled for pktcraft_burst_run(); NULL when only a single, unpaced,
 *     unvaried packet is acceptable (BUILD)
 * @req: request already checked by pktcraft_req_check(), with a burst field
 *       set (pktcraft_burst_init() in pktcraft.h: no call without one); the
 *       varied fields are set to packet 0's values (random ones drawn here)
 * @lay: its layout
 *
 * Return: 0 or -EINVAL (unknown flag, reserved field, count, gap or start
 * out of range, a variation that does not apply to the layer 4 kind, an
 * empty or too wide range, the request's value outside it, INC without a
 * step, parameters given with mode NONE).
 */
int __pktcraft_burst_init(struct pktcraft_burst *b, struct pktcraft_req *req,
			  const struct pktcraft_layout *lay)
{
	struct pktcraft_burst single __uninitialized;	/* memset below */
	bool only_one = !b, icmp6;
	int f;

	if (only_one)
		b = &single;
	memset(b, 0, sizeof(*b));
	if (req->burst_flags & ~PKTCRAFT_BURST_F_ALL || req->reserved3)
		return -EINVAL;
	if (req->count > PKTCRAFT_MAX_COUNT || req->gap_ns > PKTCRAFT_MAX_GAP_NS)
		return -EINVAL;
	if (req->start_ns &&
	    req->start_ns > ktime_get_ns() + PKTCRAFT_MAX_GAP_NS)
		return -EINVAL;

	for (f = 0; f < PKTCRAFT_VARY_ALL; f++) {
		const struct pktcraft_vary *vy = req_vary(req, f);
		struct pktcraft_vstate *v = &b->v[f];
		u32 cur = req_value(req, f);

		if (vy->reserved[0] | vy->reserved[1] | vy->reserved[2])
			return -EINVAL;
		if (vy->mode == PKTCRAFT_VARY_NONE) {
			if (vy->step | vy->min | vy->max)
				return -EINVAL;
			continue;
		}
		if (vy->mode != PKTCRAFT_VARY_INC &&
		    vy->mode != PKTCRAFT_VARY_RANDOM)
			return -EINVAL;
		if (!vary_applies(req, f) || vy->min > vy->max ||
		    vy->max > vary_limit[f] || cur < vy->min || cur > vy->max)
			return -EINVAL;
		if (vy->mode == PKTCRAFT_VARY_INC ? !vy->step : !!vy->step)
			return -EINVAL;

		v->mode = vy->mode;
		v->min = vy->min;
		v->span = (u64)vy->max - vy->min + 1;
		v->step = (u32)(vy->step % v->span);
		v->cur = cur;
		if (v->mode == PKTCRAFT_VARY_RANDOM)
			v->cur = vary_random(v);
		v->tmpl = v->cur;
		set_req_value(req, f, v->cur);
		b->vidx[b->nvaried++] = f;
		b->varied = true;
	}

	b->count = req->count ?: 1;
	/* Never write past what the caller said it owns. */
	b->report = b->count > 1 && req->size >= PKTCRAFT_REQ_SIZE_VER2;
	b->flags = req->burst_flags;
	b->gap_ns = req->gap_ns;
	b->start_ns = req->start_ns;
	b->paced = b->gap_ns || b->start_ns;
	if (only_one && (b->count > 1 || b->flags || b->gap_ns || b->start_ns ||
			 b->varied))
		return -EINVAL;

	b->ip_hlen = lay->ip_hlen;
	b->ipv6 = lay->ipv6;
	b->src_csum = true;	/* pktcraft_prepare(): not behind a Home Address */
	b->ip_csum = !lay->ipv6 && !(req->flags & PKTCRAFT_F_IP_CSUM);
	b->udp = req->l4 == PKTCRAFT_L4_UDP;
	/* ICMPv6's checksum covers the pseudo-header (the source), ICMP's not. */
	icmp6 = lay->ipv6 && req->l4 == PKTCRAFT_L4_ICMP;
	b->l4_csum = (req->l4 == PKTCRAFT_L4_TCP || b->udp || icmp6) &&
		     !(req->flags & PKTCRAFT_F_L4_CSUM);
	if (b->udp)
		b->check_off = offsetof(struct udphdr, check);
	else if (icmp6)
		b->check_off = offsetof(struct icmphdr, checksum);
	else
		b->check_off = offsetof(struct tcphdr, check);
	return 0;
}

/*
 * Rewrites the varied fields of a copy of packet 0 to their current values.
 * Its checksums are updated as inet_proto_csum_replace4() updates those of
 * a CHECKSUM_NONE skb (copy_meta()), the 16-bit fields zero-extended as
 * inet_proto_csum_replace2() has them: the same bits, without the call.
 */
static void burst_patch(const struct pktcraft_burst *b, struct sk_buff *skb)
{
	struct iphdr *iph = ip_hdr(skb);
	void *l4 = (void *)iph + b->ip_hlen;
	__sum16 *check = b->l4_csum ? l4 + b->check_off : NULL;
	__be32 *saddr = b->ipv6 ? &ipv6_hdr(skb)->saddr.s6_addr32[3] :
				  &iph->saddr;
	int k, f;

	for (k = 0; k < b->nvaried; k++) {
		const struct pktcraft_vstate *v;
		__be16 o16, n16, *p16;
		__be32 o32, n32, *p32;

		f = b->vidx[k];
		v = &b->v[f];
		if (v->cur == v->tmpl)
			continue;
		o16 = htons(v->tmpl);
		n16 = htons(v->cur);
		o32 = htonl(v->tmpl);
		n32 = htonl(v->cur);
		switch (f) {
		case PKTCRAFT_VARY_SPORT:
		case PKTCRAFT_VARY_DPORT:
			p16 = l4 + (f == PKTCRAFT_VARY_SPORT ? 0 : 2);
			*p16 = n16;
			if (check)
				csum_replace4(check, (__force __be32)o16,
					      (__force __be32)n16);
			break;
		case PKTCRAFT_VARY_TCP_SEQ:
			p32 = l4 + offsetof(struct tcphdr, seq);
			*p32 = n32;
			if (check)
				csum_replace4(check, o32, n32);
			break;
		case PKTCRAFT_VARY_IP_ID:
			iph->id = n16;
			if (b->ip_csum)
				csum_replace2(&iph->check, o16, n16);
			break;
		case PKTCRAFT_VARY_IP_SADDR:
			*saddr = n32;
			if (b->ip_csum)
				csum_replace4(&iph->check, o32, n32);
			if (check && b->src_csum)	/* the pseudo-header */
				csum_replace4(check, o32, n32);
			break;
		case PKTCRAFT_VARY_FLOWLABEL:	/* in no checksum */
			p32 = (__be32 *)iph;
			*p32 = htonl((ntohl(*p32) & ~0xfffffU) | v->cur);
			break;
		}
	}
	/* RFC 768: a computed 0 is sent as all ones, 0 meaning "none". */
	if (check && b->udp && !*check)
		*check = CSUM_MANGLED_0;
}

/*
 * Private skbs straight to the driver (burst_direct()). A file keeps one
 * ring between its bursts (ring_park()).
 */
struct pktcraft_ring {
	struct sk_buff *slot[PKTCRAFT_RING_SLOTS];
};

/* What a running burst needs besides its parameters. */
struct burst_ctx {
	struct pktcraft_burst *b;
	struct pktcraft_file *pf;
	struct pktcraft_egress *eg;
	struct pktcraft_watch watch;
	struct pktcraft_tally t;
	struct page_frag_cache frag;	/* the copies' data, this burst's own */
	struct pktcraft_ring *ring;	/* burst_direct()'s, BURST_RING */
	/*
	 * Identical bursts: the ring slots this burst wrote packet 0 into
	 * since packet 0 last changed (ring_fill()). Not cleared for the
	 * slots burst_requeue() empties: the ring is not filled again after.
	 */
	u64 same;
	u32 tapped;		/* packets before this one were shown to the taps */
	u32 resume, ready;	/* BURST_SWITCH: see burst_requeue() */
	u16 queue0;		/* packet 0's queue mapping before direct_path() */
	bool reuse;		/* identical, the driver lets go at once */
	struct sock *sk;
	u64 start;		/* CLOCK_MONOTONIC ns of packet 0 */
	u64 next_refresh;	/* of the resolved neighbour */
};

static_assert(sizeof_field(struct burst_ctx, same) * BITS_PER_BYTE >=
	      PKTCRAFT_RING_SLOTS);
/* The slots filled ahead never wrap onto one another (burst_requeue()). */
static_assert(PKTCRAFT_FILL_AHEAD <= PKTCRAFT_RING_SLOTS);

/* Packet 0's link header, offsets, protocol, device and queue, on a copy. */
static void copy_meta(struct sk_buff *skb, const struct sk_buff *t)
{
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, skb_network_offset(t));
	skb_set_transport_header(skb, skb_transport_offset(t));
	skb->protocol = t->protocol;
	skb->dev = t->dev;
	skb_copy_queue_mapping(skb, t);
	skb->ip_summed = CHECKSUM_NONE;
}

/*
 * The burst's page fragments for its copies' data, where their sk_buffs may
 * come from build_skb() (GFP_ATOMIC, not charged to the memory cgroup): for
 * CAP_NET_ADMIN in the initial user namespace only, as a single packet's
 * (pktcraft_build_data()). NULL: alloc_skb(), all of it charged.
 */
static struct page_frag_cache *burst_frag(struct burst_ctx *c)
{
	return c->pf->may_share ? &c->frag : NULL;
}

/*
 * A copy's memory: charged to the caller's memory cgroup, and never worth
 * an OOM killer. A burst that runs out (its cgroup's memory.max, say) ends
 * with -ENOMEM, its copies counted as drop_nomem; without
 * __GFP_RETRY_MAYFAIL the cgroup's OOM killer took the caller instead,
 * or, run out globally, someone else.
 */
#define BURST_COPY_GFP	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/*
 * A private copy of packet 0: same headroom, link header and offsets. With
 * @frag (the burst's own page fragment cache) and at most a page, the data
 * comes from it, as __netdev_alloc_skb() does but charged to the caller's
 * memory cgroup (BURST_COPY_GFP), and the sk_buff from build_skb()
 * (GFP_ATOMIC, not charged); else both from alloc_skb(), charged to the
 * memory cgroup. The caller charges the skb to the send buffer, or keeps
 * it in the ring.
 */
static struct sk_buff *burst_copy(struct page_frag_cache *frag,
				  const struct sk_buff *t)
{
	unsigned int size = skb_headroom(t) + t->len + t->dev->needed_tailroom;
	unsigned int fragsz = SKB_DATA_ALIGN(size) +
			      SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	struct sk_buff *skb = NULL;
	void *data;

	if (frag && fragsz <= PAGE_SIZE) {
		data = page_frag_alloc(frag, fragsz, BURST_COPY_GFP);
		if (data) {
			skb = build_skb(data, fragsz);
			if (!skb)
				page_frag_free(data);
		}
	}
	if (!skb)
		skb = alloc_skb(size, BURST_COPY_GFP | __GFP_ZERO);
	if (!skb)
		return NULL;
	skb_reserve(skb, skb_headroom(t));
	skb_put_data(skb, t->data, t->len);
	/*
	 * No uninitialised byte a driver might send, as build_alloc(): a
	 * recycled fragment holds earlier frames; the allocator zeroed
	 * alloc_skb()'s. With init_on_alloc (Debian's default) it zeroes it
	 * anyway and this costs nothing; without, it zeroes the sk_buff and
	 * the whole buffer (a memset of the tailroom alone would do), a cost
	 * taken for the default's sake.
	 */
	if (skb->head_frag)
		memset(skb_tail_pointer(skb), 0, skb_tailroom(skb));
	copy_meta(skb, t);
	return skb;
}

/*
 * May @dev still be used? Called in the RCU-bh section that then hands the
 * skb over, so that a move to another namespace cannot fall between the
 * check and the hand-over: the move unlists the device and then waits in
 * synchronize_net() before it switches the namespace (and before anyone
 * can bring it up there).
 *
 * A burst reads its watch (@w), which the netdevice notifier sets when the
 * move closes the device, before it unlists it: a section that could still
 * overlap the device's life in the other namespace began after that
 * synchronize_net() started, and so sees the event. One load per packet.
 * Single packets, without a watch, look the device up in @net.
 *
 * Return: 0, or the -ENETDOWN / -ENODEV that forbids sending.
 */
static int xmit_allowed(struct net *net, const struct pktcraft_watch *w,
			const struct net_device *dev)
{
	return w ? pktcraft_watch_event(w) : pktcraft_dev_check_rcu(net, dev);
}

/*
 * Hands packet @i over at the injection point (inject.c) if
 * xmit_allowed(); consumes @skb either way.
 */
static int xmit_checked(struct pktcraft_file *pf,
			const struct pktcraft_watch *w,
			const struct pktcraft_egress *eg, u32 i,
			struct sk_buff *skb)
{
	int rc;

	rcu_read_lock_bh();
	rc = xmit_allowed(pf->net, w, skb->dev);
	if (rc)
		consume_skb(skb);	/* never handed to the device */
	else
		rc = pktcraft_inject(pf, eg, i, skb);
	rcu_read_unlock_bh();
	return rc;
}

/*
 * Through the qdisc; consumes @skb. 1: sent (NET_XMIT_SUCCESS or CN, as
 * the kernel's sockets count it), 0: dropped by the queue (the burst goes
 * on), < 0: an error that ends the burst.
 */
static int xmit_queued(struct burst_ctx *c, struct sk_buff *skb, u32 i,
		       unsigned int len)
{
	const struct net_device *dev = skb->dev;	/* held by the egress */
	int rc = xmit_checked(c->pf, &c->watch, c->eg, i, skb);
	struct pktcraft_tally *t = &c->t;

	trace_pktcraft_xmit(dev, i, len, false, rc);

	if (rc == NET_XMIT_SUCCESS || rc == NET_XMIT_CN) {
		t->v[PKTCRAFT_C_PACKETS]++;
		t->v[PKTCRAFT_C_BYTES] += len;
		return 1;
	}
	if (rc == NET_XMIT_DROP) {
		t->v[PKTCRAFT_C_DROP_QUEUE]++;
		return 0;
	}
	if (rc == -ENETDOWN || rc == -ENODEV) {
		t->v[PKTCRAFT_C_DROP_DOWN]++;
		return rc;
	}
	t->v[PKTCRAFT_C_DROP_XMIT]++;
	return rc < 0 ? rc : -ENOBUFS;
}

/*
 * One skb @n times straight to the driver, as packets @first on, every
 * reference at once, xmit_more on all but the last with @more: pktgen's
 * burst. The tx lock is held. The driver either lets go of the skb before
 * ndo_start_xmit() returns (DIRECT_FREES), and nobody else holds it now,
 * or may be handed the same skb again while it holds it (root's shared
 * skb: IFF_TX_SKB_SHARING, and direct_driver()). *@used: the hand-overs
 * the driver took, *@sent: how many of them it sent. The queue's
 * trans_start (the TX watchdog's) is set once, after the last one sent,
 * not after each as netdev_start_xmit() does. Returns as xmit_direct()
 * does; NETDEV_TX_OK also when the queue stopped first (*@used < @n, which
 * xmit_direct() reports as NETDEV_TX_BUSY).
 */
static __always_inline int xmit_same(struct sk_buff *skb,
				     struct net_device *dev,
				     struct netdev_queue *txq, u32 first,
				     unsigned int n, bool more,
				     unsigned int *used, unsigned int *sent)
{
	/* netdev_start_xmit()'s, read once a batch */
	const struct net_device_ops *ops = dev->netdev_ops;
	u32 i = first, end = first + n;
	int rc = NETDEV_TX_OK;

	refcount_add(n, &skb->users);
	while (i != end && !netif_xmit_frozen_or_drv_stopped(txq)) {
		rc = __netdev_start_xmit(ops, skb, dev, more && i + 1 != end);
		trace_pktcraft_xmit(dev, i, skb->len, true, rc);
		if (rc == NETDEV_TX_BUSY)
			break;
		i++;
		if (rc != NETDEV_TX_OK && rc != NET_XMIT_CN)
			break;
		rc = NETDEV_TX_OK;
	}
	*used = i - first;
	/* The last one taken was not sent when the loop ended on it. */
	*sent = *used - (rc != NETDEV_TX_OK && rc != NETDEV_TX_BUSY);
	if (*sent)
		txq_trans_update(txq);
	if (i != end)	/* the caller's own reference keeps it above zero */
		WARN_ON(refcount_sub_and_test(end - i, &skb->users));
	return rc;
}

/*
 * Packets @first to @first + @n - 1 straight to the driver, like pktgen's
 * start_xmit mode with its burst: one tx lock, xmit_more on all but the
 * last (on none with @reuse: dummy reads none). Packet k is
 * @skbs[k & @mask]: with @shared (and @mask 0) one skb sent again and
 * again (root's identical packets, xmit_same()), else private skbs (the
 * ring's, or a single packet's). With @reuse (identical packets through
 * the ring, to a driver that lets go of each skb in ndo_start_xmit()), the
 * skb just sent goes again: when no tap is open, slot @first & @mask,
 * prepared, @n times as one shared skb (xmit_same(): nothing but the
 * driver, which lets go of it at once, could take a reference to it
 * meanwhile); with a tap, at most PKTCRAFT_SHARE_BATCH packets, each again
 * when nobody but the ring holds it any more (pktcraft_skb_idle(): the
 * condition a slot is rewritten under, too; a tap's clone shares its data),
 * else the next of the @avail slots from @first on that ring_fill()
 * prepared, and with none left the call ends (XMIT_NO_SLOT). Packet k goes
 * in slot k or an earlier one: the slots from the first packet not sent on
 * are still prepared and unused. The packet taps see private skbs first, as
 * dev_hard_start_xmit() shows them, once (*@tapped: the first packet still
 * to be shown them, moved past those sent while none was open; not shown
 * again when the driver was busy), though whether there is a tap is looked
 * at once a call, not once a packet. Each hand-over takes a reference for
 * the driver (xmit_same(): all at once). *@sent: how many the driver
 * accepted.
 * Returns NETDEV_TX_OK when all were; NETDEV_TX_BUSY when the queue is (or
 * became) stopped, or is parked on noop_qdisc while a qdisc is grafted or
 * the device reactivated, the rest to be retried; NET_XMIT_DROP or other:
 * the driver consumed the next one without sending it (NET_XMIT_CN counts
 * as sent, as in xmit_queued()); -ENODEV or -ENETDOWN: the device left the
 * namespace or went down (xmit_allowed() with @net and @w, in the same
 * RCU-bh section as the hand-over, as in xmit_checked()), nothing sent;
 * XMIT_SWITCH: an egress hook appeared since the path was chosen (only
 * netfilter's with @nf_only, as for PKTCRAFT_INJECT_DRIVER, whose own path
 * runs no other), or a qdisc on @txq when @need_noqueue (what
 * direct_ok() looked at), nothing sent. Inlined with @mask, @shared and
 * @reuse constants, so that the shared skb's loop stays as short as
 * pktgen's.
 */
static __always_inline int xmit_direct(struct net *net,
				       const struct pktcraft_watch *w,
				       struct sk_buff *const *skbs, u32 mask,
				       bool shared, bool reuse,
				       struct net_device *dev,
				       struct netdev_queue *txq, u32 first,
				       unsigned int n, unsigned int avail,
				       unsigned int *sent, u32 *tapped,
				       bool nf_only, bool need_noqueue)
{
	unsigned int used = 0;	/* skbs the driver took */
	unsigned int k = 0;	/* slots from @first on taken */
	typeof(noop_qdisc) *q;	/* the queue's qdisc, read once */
	struct sk_buff *skb = NULL;
	bool nit;		/* taps to show the private skbs to */
	u32 tap;		/* *@tapped, kept in a register */
	int rc;

	*sent = 0;
	rcu_read_lock_bh();
	rc = xmit_allowed(net, w, dev);
	if (rc)
		goto out;
	q = rcu_dereference_bh(txq->qdisc);
	rc = NETDEV_TX_BUSY;
	if (q == &noop_qdisc)	/* dev_deactivate(): for a moment */
		goto out;
	if (pktcraft_dev_egress_hooked(dev, nf_only) ||
	    (need_noqueue && q->enqueue)) {
		rc = XMIT_SWITCH;
		goto out;
	}
	HARD_TX_LOCK(dev, txq, smp_processor_id());
	if (shared) {
		rc = xmit_same(skbs[0], dev, txq, first, n, true, &used, sent);
		goto unlock;
	}
	/* Once a call: a tap opened meanwhile sees the next call's packets. */
	nit = dev_nit_active(dev);
	tap = *tapped;
	if (reuse && !nit) {	/* avail >= 1: burst_direct() */
		rc = xmit_same(skbs[first & mask], dev, txq, first, n, false,
			       &used, sent);
		*tapped = max(tap, first + used);
		goto unlock;
	}
	/* A clone for every tap, every packet: a short batch with BH off. */
	n = min_t(unsigned int, n, PKTCRAFT_SHARE_BATCH);
	/*
	 * At the stack's XOFF too (BQL), as dev_queue_xmit() on a queue
	 * without a qdisc stops, whose place this takes; so does the driver
	 * path's burst (PKTCRAFT_INJECT_DRIVER), where AF_PACKET's and
	 * pktgen's stop at the driver's only: it waits for the driver's
	 * completions (busy_backoff()) rather than fill its ring past the
	 * limit. One mask for both: a chosen one costs 2 instructions a
	 * packet.
	 */
	while (used < n && !netif_xmit_frozen_or_stopped(txq)) {
		if (!reuse) {
			skb = skbs[(first + used) & mask];
		} else if (!used || !pktcraft_skb_idle(skb)) {
			if (k == avail) {
				rc = XMIT_NO_SLOT;
				break;
			}
			skb = skbs[(first + k++) & mask];
		}
		skb_get(skb);
		if (first + used == tap) {
			if (nit)
				dev_queue_xmit_nit(skb, dev);
			tap++;
		}
		/*
		 * With @reuse, whether another packet follows is known only
		 * once the driver let go of this one: no xmit_more.
		 */
		rc = netdev_start_xmit(skb, dev, txq, !reuse && used + 1 < n);
		trace_pktcraft_xmit(dev, first + used, skb->len, true, rc);
		if (rc == NETDEV_TX_BUSY) {
			/* Not taken: our own reference keeps it above zero. */
			refcount_dec(&skb->users);
			break;
		}
		used++;
		if (rc != NETDEV_TX_OK && rc != NET_XMIT_CN)
			break;
		rc = NETDEV_TX_OK;
		(*sent)++;
	}
	*tapped = tap;
unlock:
	if (used < n && rc == NETDEV_TX_OK)
		rc = NETDEV_TX_BUSY;
	HARD_TX_UNLOCK(dev, txq);
out:
	rcu_read_unlock_bh();
	return rc;
}

/*
 * Sleeps until @deadline (CLOCK_MONOTONIC ns); -EINTR on a signal, the
 * watch's event when the device goes away meanwhile.
 */
static int pace_until(u64 deadline, u64 gap_ns,
		      const struct pktcraft_watch *w)
{
	u64 slack = min_t(u64, gap_ns / 16, 50 * NSEC_PER_USEC);
	int err;

	while (ktime_get_ns() < deadline) {
		ktime_t exp = ns_to_ktime(deadline);

		if (signal_pending(current))
			return -EINTR;
		set_current_state(TASK_INTERRUPTIBLE);
		err = pktcraft_watch_event(w);
		if (err) {
			__set_current_state(TASK_RUNNING);
			return err;
		}
		schedule_hrtimeout_range_clock(&exp, slack, HRTIMER_MODE_ABS,
					       CLOCK_MONOTONIC);
	}
	return 0;
}

/*
 * Packet 0 replaced by a private copy, charged to the send buffer as it was
 * (the old one may still be shared with clones or the driver). False: no
 * memory, packet 0 unchanged.
 */
static bool tmpl_renew(struct burst_ctx *c, struct sk_buff **tmpl)
{
	struct sk_buff *n = burst_copy(burst_frag(c), *tmpl);

	if (!n)
		return false;
	if ((*tmpl)->sk)
		pktcraft_sock_charge(c->sk, n);
	consume_skb(*tmpl);
	*tmpl = n;
	return true;
}

/*
 * Waits for room in the send buffer for one more skb; a device event that
 * ends the wait counts as a drop. Returns 0, -EINTR or the event.
 */
static int burst_room(struct burst_ctx *c)
{
	int rc = pktcraft_sock_wait(c->sk, &c->watch);

	if (rc && rc != -EINTR)
		c->t.v[PKTCRAFT_C_DROP_DOWN]++;
	return rc;
}

/* The MTU may shrink while a burst runs: stop rather than send oversize. */
static bool over_mtu(const struct sk_buff *skb)
{
	return skb->len - skb_network_offset(skb) > READ_ONCE(skb->dev->mtu);
}

/*
 * Before packet @i: pacing, device events, MTU, and now and then the
 * neighbour (a new link address goes into a new packet 0: the old one may
 * still be shared with clones in flight). Returns 0 or the -errno that
 * ends the burst.
 */
static int burst_step(struct burst_ctx *c, u32 i, struct sk_buff **tmpl)
{
	struct pktcraft_burst *b = c->b;
	u64 now;
	int err;

	if (b->paced) {
		err = pace_until(c->start + i * b->gap_ns, b->gap_ns, &c->watch);
		if (err) {	/* an event: a drop, as burst_room()'s wait counts */
			if (err != -EINTR)
				c->t.v[PKTCRAFT_C_DROP_DOWN]++;
			return err;
		}
	}
	err = pktcraft_watch_event(&c->watch);
	if (err) {
		c->t.v[PKTCRAFT_C_DROP_DOWN]++;
		return err;
	}
	if (over_mtu(*tmpl))
		return -EMSGSIZE;
	if (!c->eg->resolved)
		return 0;
	now = ktime_get_ns();
	if (now < c->next_refresh)
		return 0;
	c->next_refresh = now + PKTCRAFT_NEIGH_REFRESH_NS;
	if (!pktcraft_egress_refresh(c->eg, c->pf->net))
		return 0;
	if (tmpl_renew(c, tmpl)) {
		memcpy(skb_mac_header(*tmpl), c->eg->dst_mac, ETH_ALEN);
		c->same = 0;
	} else {	/* the old address, and the new one seen at the next look */
		memcpy(c->eg->dst_mac, skb_mac_header(*tmpl), ETH_ALEN);
	}
	return 0;
}

/*
 * Backs off while the driver is busy, since *@since (0: since now); once
 * for longer than PKTCRAFT_BUSY_NS, counts a queue drop and returns
 * -ENOBUFS.
 */
static int busy_backoff(struct pktcraft_tally *t, u64 *since)
{
	u64 now = ktime_get_ns();

	if (!*since) {
		*since = now;
	} else if (now - *since > PKTCRAFT_BUSY_NS) {
		t->v[PKTCRAFT_C_DROP_QUEUE]++;
		return -ENOBUFS;
	}
	if (!need_resched())
		usleep_range(20, 50);
	cond_resched();
	return 0;
}

/*
 * Waits while only the driver still holds @skb (e1000 lets go of it at TX
 * completion), so that a burst has at most PKTCRAFT_RING_SLOTS of the
 * ring's skbs in flight, besides those a tap's clone shares (ring_fill()
 * replaces them, leaving the old skb to the driver and the tap). Returns
 * 0, -EINTR, the watch's event, or -ENOBUFS (busy_backoff()).
 */
static int ring_wait(struct burst_ctx *c, const struct sk_buff *skb)
{
	u64 since = 0;
	int err;

	while (refcount_read(&skb->users) != 1 && !skb_cloned(skb)) {
		if (signal_pending(current))
			return -EINTR;
		err = pktcraft_watch_event(&c->watch);
		if (err) {
			c->t.v[PKTCRAFT_C_DROP_DOWN]++;
			return err;
		}
		err = busy_backoff(&c->t, &since);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Packet @p into its slot of the ring: packet 0's bytes, then the varied
 * fields, if any. A slot the driver still holds is waited for (ring_wait());
 * it is rewritten when pktcraft_skb_idle() and of the same size, the same
 * headroom and enough tailroom as packet 0 (a slot kept from an earlier
 * burst may have been built for another packet or device). Identical
 * packets leave a slot as it is when this burst wrote packet 0 into it,
 * packet 0 has not changed since (c->same) and it is idle: the drivers of
 * the ring (direct_driver()) write nothing, data or metadata, into the
 * linear CHECKSUM_NONE skbs of ETH_ZLEN or more (direct_ok()) that they
 * send, and whoever holds a clone must not write to the data it shares,
 * so nothing but this burst wrote to it since (its length is compared all
 * the same). Otherwise, as when a tap's clone still shares it, it gets a
 * new copy and the old skb is left to whoever holds it. The ring's skbs
 * are not charged to the send buffer (a wait for room could only be for
 * them), as pktgen's are not; their data
 * is charged to the caller's memory cgroup, and so are their sk_buffs
 * unless the caller has CAP_NET_ADMIN in the initial user namespace
 * (burst_frag()). Returns 0 or -errno.
 */
static int ring_fill(struct burst_ctx *c, const struct sk_buff *t, u32 p)
{
	u32 s = p & (PKTCRAFT_RING_SLOTS - 1);
	struct sk_buff **slot = &c->ring->slot[s];
	struct pktcraft_burst *b = c->b;
	struct sk_buff *skb = *slot;
	int err;

	if (!b->varied && (c->same & BIT_ULL(s)) && skb &&
	    pktcraft_skb_idle(skb) && skb->len == t->len)
		return 0;	/* still packet 0's: see above */
	if (skb) {
		err = ring_wait(c, skb);
		if (err)
			return err;
	}
	if (skb && pktcraft_skb_idle(skb) && skb->len == t->len &&
	    skb_headroom(skb) == skb_headroom(t) &&
	    skb_tailroom(skb) >= t->dev->needed_tailroom) {
		memcpy(skb->data, t->data, t->len);
		copy_meta(skb, t);
	} else {
		skb = burst_copy(burst_frag(c), t);
		if (!skb) {
			c->t.v[PKTCRAFT_C_DROP_NOMEM]++;
			return -ENOMEM;
		}
		consume_skb(*slot);
		*slot = skb;
	}
	if (!b->varied) {
		c->same |= BIT_ULL(s);
		return 0;
	}
	if (p)
		vary_all(b);
	burst_patch(b, skb);
	return 0;
}

/**
 * pktcraft_ring_free - free a ring and let go of its skbs
 * @r: a ring, or NULL
 *
 * An skb the driver or a tap still holds is freed when they let go of it.
 */
void pktcraft_ring_free(struct pktcraft_ring *r)
{
	int s;

	if (!r)
		return;
	for (s = 0; s < PKTCRAFT_RING_SLOTS; s++)
		consume_skb(r->slot[s]);
	kfree(r);
}

/*
 * The truesize of the skb a file keeps for its next single packet
 * (single_keep()): that of a head of up to a page (SKB_TRUESIZE() of its
 * data, as alloc_skb() and build_skb() set it), and no more than the
 * smallest send buffer (which caps it below a page where pages are larger
 * than 4 KiB).
 */
#define PKTCRAFT_SINGLE_KEEP						\
	min_t(unsigned int, SKB_TRUESIZE(SKB_WITH_OVERHEAD(PAGE_SIZE)),	\
	      SOCK_MIN_SNDBUF)

/*
 * What a file's parked ring may keep (truesize): without CAP_NET_ADMIN in
 * the initial user namespace the send buffer's worth, the bound a file's
 * copies in flight have, less what the file may keep for a single packet.
 */
static unsigned int ring_room(const struct pktcraft_file *pf)
{
	unsigned int sndbuf;

	if (pf->may_share)
		return UINT_MAX;
	sndbuf = READ_ONCE(pf->sock->sk->sk_sndbuf);
	return sndbuf > PKTCRAFT_SINGLE_KEEP ?
	       sndbuf - PKTCRAFT_SINGLE_KEEP : 0;
}

/*
 * Keeps the ring for the file's next burst (one ring a file: of two parked
 * together, one is freed), with the skbs nobody else holds whose data fits
 * in a page, up to ring_room(): their device forgotten, since it may be
 * gone by then (ring_fill() sets it again). The others are freed, or left
 * to their holders.
 *
 * A send buffer made smaller while this ran (pktcraft_ring_trim(), whose
 * exchange then found no ring parked) is read again after the ring is
 * parked, and applied: its store comes before the trim's exchange, our
 * exchange before the read, both fully ordered, so that either the trim
 * finds the ring or the read finds the new size.
 */
static void ring_park(struct pktcraft_file *pf, struct pktcraft_ring *r)
{
	unsigned int kept, room;
	struct sk_buff **slot;
	int s;

	while (r) {
		room = ring_room(pf);
		kept = 0;
		for (s = 0; s < PKTCRAFT_RING_SLOTS; s++) {
			slot = &r->slot[s];
			if (!*slot)
				continue;
			if (pktcraft_skb_idle(*slot) && !skb_pfmemalloc(*slot) &&
			    skb_end_offset(*slot) <= SKB_WITH_OVERHEAD(PAGE_SIZE) &&
			    (*slot)->truesize <= room - kept) {
				kept += (*slot)->truesize;
				(*slot)->dev = NULL;
				pktcraft_pick_forget(*slot);
			} else {
				consume_skb(*slot);
				*slot = NULL;
			}
		}
		if (cmpxchg(&pf->ring, NULL, r)) {
			pktcraft_ring_free(r);
			return;
		}
		if (likely(ring_room(pf) >= room))
			return;
		r = xchg(&pf->ring, NULL);
	}
}

/**
 * pktcraft_ring_trim - hold the file's parked ring to its send buffer now
 * @pf: the open file, whose send buffer was just set
 *
 * ring_park() kept what the send buffer allowed then; a smaller one set
 * since applies at once rather than at the file's next burst. A ring a
 * burst has taken is parked under the new bound when the burst ends (as
 * is one being parked: ring_park()).
 *
 * Context: process context, no lock held; frees skbs.
 */
void pktcraft_ring_trim(struct pktcraft_file *pf)
{
	ring_park(pf, xchg(&pf->ring, NULL));
}

/*
 * A single packet's skb, once straight to the driver: kept for the file's
 * next one (pktcraft_single_take()) when nobody else holds it and it is
 * within PKTCRAFT_SINGLE_KEEP, replacing what the file kept; else freed.
 * Its device is forgotten, as ring_park()'s are: it may be gone by then.
 * Kept apart from the ring (a single's skb is never a slot's): one
 * exchange. Once kept, nobody else can take a reference to it.
 */
static void single_keep(struct pktcraft_file *pf, struct sk_buff *skb)
{
	struct sk_buff *old;

	if (skb->sk || !pktcraft_skb_idle(skb) || skb_pfmemalloc(skb) ||
	    skb->truesize > PKTCRAFT_SINGLE_KEEP) {
		consume_skb(skb);
		return;
	}
	skb->dev = NULL;
	pktcraft_pick_forget(skb);	/* for the next take */
	old = xchg(&pf->single, skb);
	if (unlikely(old))	/* usually NULL: the take emptied it */
		consume_skb(old);
}

/*
 * Straight to the driver (direct_path()): through the ring (@ring), filled
 * a batch ahead of what the driver has taken, or as one shared skb.
 * Identical packets to a driver that lets go of each skb at once (dummy:
 * c->reuse) are sent in longer batches; through the ring, one prepared
 * skb a batch while no tap is open, else each skb again while nobody else
 * holds it (xmit_direct()'s @reuse), so that a burst fills one slot a
 * batch; once a call finds no slot to go on with (a tap keeps clones), the
 * next calls have slots filled ahead, as elsewhere.
 * Returns 0 or -errno; BURST_SWITCH when a filter or qdisc appeared
 * meanwhile (xmit_direct()), the first packet not sent in c->resume and
 * the ring filled up to c->ready.
 */
static int burst_direct(struct burst_ctx *c, struct sk_buff **tmpl, bool ring)
{
	struct pktcraft_burst *b = c->b;
	struct net_device *dev = (*tmpl)->dev;
	struct netdev_queue *txq = skb_get_tx_queue(dev, *tmpl);
	unsigned int len = (*tmpl)->len, n, sent, unflushed = 0;
	u32 mask = ring ? PKTCRAFT_RING_SLOTS - 1 : 0;
	bool nf_only = c->eg->inject == PKTCRAFT_INJECT_DRIVER;
	bool need_noqueue = ring && !nf_only;
	bool reuse = mask && c->reuse;
	u32 batch = c->reuse ? PKTCRAFT_REUSE_BATCH : PKTCRAFT_SHARE_BATCH;
	/*
	 * Slots to fill before a call: with @reuse one, until a call finds no
	 * slot to go on with; else a batch.
	 */
	u32 fill = reuse ? 1 : PKTCRAFT_FILL_AHEAD;
	struct pktcraft_tally *t = &c->t;
	struct sk_buff **skbs = tmpl;
	u64 busy_since = 0;
	u32 i = 0, ready = 0;	/* ring slots filled for packets i to ready - 1 */
	int rc;

	if (mask) {
		c->ring = xchg(&c->pf->ring, NULL) ?:
			  kzalloc(sizeof(*c->ring), GFP_KERNEL_ACCOUNT);
		if (!c->ring) {
			t->v[PKTCRAFT_C_DROP_NOMEM]++;
			return -ENOMEM;
		}
		skbs = c->ring->slot;
	}
	while (i < b->count) {
		if ((i || busy_since) && signal_pending(current))
			return -EINTR;
		rc = burst_step(c, i, tmpl);
		if (rc)
			return rc;
		if (!netif_carrier_ok(dev)) {
			t->v[PKTCRAFT_C_DROP_DOWN]++;
			return -ENETDOWN;
		}
		n = b->paced ? 1 : min_t(u32, b->count - i, batch);
		/*
		 * @reuse sends more packets than it takes slots; identical
		 * slots filled ahead before a new packet 0 (burst_step()) are
		 * filled again.
		 */
		ready = mask && !b->varied && !c->same ? i : max(ready, i);
		for (; mask && ready < i + min(n, fill); ready++) {
			rc = ring_fill(c, *tmpl, ready);
			if (rc)
				return rc;
		}
		if (reuse)
			rc = xmit_direct(NULL, &c->watch, skbs,
					 PKTCRAFT_RING_SLOTS - 1, false, true, dev,
					 txq, i, n, ready - i, &sent, &c->tapped,
					 nf_only, need_noqueue);
		else if (mask)
			rc = xmit_direct(NULL, &c->watch, skbs,
					 PKTCRAFT_RING_SLOTS - 1, false, false, dev,
					 txq, i, n, n, &sent, &c->tapped, nf_only,
					 need_noqueue);
		else
			rc = xmit_direct(NULL, &c->watch, skbs, 0, true, false,
					 dev, txq, i, n, n, &sent, NULL, nf_only,
					 false);
		if (rc == -ENODEV || rc == -ENETDOWN) {
			t->v[PKTCRAFT_C_DROP_DOWN]++;
			return rc;
		}
		if (rc == XMIT_SWITCH) {
			c->resume = i;
			c->ready = ready;
			return BURST_SWITCH;
		}
		if (rc == XMIT_NO_SLOT) {	/* a tap keeps clones */
			fill = PKTCRAFT_FILL_AHEAD;
			rc = NETDEV_TX_OK;
		}
		i += sent;
		unflushed += sent;
		t->v[PKTCRAFT_C_PACKETS] += sent;
		t->v[PKTCRAFT_C_BYTES] += (u64)sent * len;
		if (rc == NETDEV_TX_BUSY && !sent) {
			rc = busy_backoff(t, &busy_since);
			if (rc)
				return rc;
			continue;
		}
		busy_since = 0;
		if (rc == NET_XMIT_DROP) {
			t->v[PKTCRAFT_C_DROP_QUEUE]++;	/* consumed, not sent */
			i++;
		} else if (rc != NETDEV_TX_OK && rc != NETDEV_TX_BUSY) {
			t->v[PKTCRAFT_C_DROP_XMIT]++;
			return -EIO;
		}
		if (unflushed >= PKTCRAFT_FLUSH_EVERY) {
			pktcraft_stats_flush(&c->pf->ctrs, t);
			unflushed = 0;
		}
		cond_resched();
	}
	return 0;
}

/*
 * Every packet its own skb through the injection point: a private copy of
 * packet 0, with the varied fields patched. Each is charged to the send
 * buffer first, waiting for room.
 * Packet 0 itself goes last, and is not charged while it is only their
 * template: held and charged for the whole burst, it would keep what is in
 * flight from ever falling below half the buffer, where sock_wfree() wakes
 * a waiter, and a packet 0 of half the buffer or more would leave the
 * burst waiting for good. It waits for room like the others.
 * Never clones, not even of identical packets: IP's output takes a
 * packet's headers for its own (xfrm4_transport_output() moves the IP
 * header 16 bytes down within the data, in place when the headroom
 * suffices, as a veth's raised by a bridge's vxlan port makes it), as no
 * socket hands it anything but a private header, and a packet sent on any
 * device may reach it (a VRF's transmit, a tc redirect to one, on this
 * device or a veth's peer): the next clone would go with what the last
 * one's output left there, an Ethernet header overwritten, an IHL taken
 * from the destination address (tests/e2e/xfrm-inject).
 * Returns 0 or -errno.
 */
static int burst_each(struct burst_ctx *c, struct sk_buff **tmpl, u32 from)
{
	struct pktcraft_burst *b = c->b;
	unsigned int len = (*tmpl)->len;
	struct pktcraft_tally *t = &c->t;
	struct sk_buff *skb;
	u32 i;
	int rc;

	skb_orphan(*tmpl);	/* charged when it is sent, last */
	for (i = from; i < b->count; i++) {
		if (i) {
			if (!(i % PKTCRAFT_FLUSH_EVERY))
				pktcraft_stats_flush(&c->pf->ctrs, t);
			cond_resched();
			if (signal_pending(current))
				return -EINTR;
			vary_all(b);
		}
		rc = burst_step(c, i, tmpl);
		if (rc)
			return rc;
		if (i == b->count - 1) {	/* the last one is packet 0 itself */
			if (!(*tmpl)->sk) {
				rc = burst_room(c);
				if (rc)
					return rc;
				pktcraft_sock_charge(c->sk, *tmpl);
			}
			skb = *tmpl;
			*tmpl = NULL;
		} else {
			rc = burst_room(c);
			if (rc)
				return rc;
			skb = burst_copy(burst_frag(c), *tmpl);
			if (!skb) {
				t->v[PKTCRAFT_C_DROP_NOMEM]++;
				return -ENOMEM;
			}
			pktcraft_sock_charge(c->sk, skb);
		}
		if (b->varied)
			burst_patch(b, skb);
		rc = xmit_queued(c, skb, i, len);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/*
 * A filter or qdisc appeared while a burst went straight to the driver
 * (burst_direct()'s BURST_SWITCH): it applies from the first packet not
 * handed over. Packet 0's skb, which the driver may still hold when it was
 * the shared one, is replaced by a private copy (no shared skb on the
 * qdisc path), charged when it is sent (burst_each()); the ring's packets
 * already written (c->resume to c->ready - 1, their varied fields set)
 * leave it for the qdisc path, charged to the send buffer like copies;
 * burst_each() sends the rest. All of them get back the queue mapping
 * packet 0 had, which dev_queue_xmit() would read as a recorded receive
 * queue. Returns 0 or -errno.
 */
static int burst_requeue(struct burst_ctx *c, struct sk_buff **tmpl)
{
	unsigned int len = (*tmpl)->len;
	struct sk_buff **slot, *skb;
	u32 p;
	int rc;

	if (skb_shared(*tmpl) && !tmpl_renew(c, tmpl)) {
		c->t.v[PKTCRAFT_C_DROP_NOMEM]++;
		return -ENOMEM;
	}
	skb_orphan(*tmpl);	/* the template, until it is sent (burst_each()) */
	skb_set_queue_mapping(*tmpl, c->queue0);
	for (p = c->resume; p < c->ready; p++) {
		rc = burst_room(c);
		if (rc)
			return rc;
		slot = &c->ring->slot[p & (PKTCRAFT_RING_SLOTS - 1)];
		skb = *slot;
		*slot = NULL;
		pktcraft_pick_forget(skb);	/* XPS's hash may be another flow's */
		skb_set_queue_mapping(skb, c->queue0);
		pktcraft_sock_charge(c->sk, skb);
		rc = xmit_queued(c, skb, p, len);
		if (rc < 0)
			return rc;
	}
	return burst_each(c, tmpl, c->ready);
}

/*
 * A single packet not sent, @rc being why (the kernel's NET_XMIT_DROP, a
 * driver's NETDEV_TX_BUSY, another status or -errno): counts it with the
 * drop counter that says why and returns the errno the ioctl fails with.
 */
static long xmit_one_dropped(struct pktcraft_file *pf, int rc)
{
	int idx;

	if (rc == -ENETDOWN || rc == -ENODEV) {
		idx = PKTCRAFT_C_DROP_DOWN;
	} else if (rc == NET_XMIT_DROP || rc == NETDEV_TX_BUSY) {
		rc = -ENOBUFS;
		idx = PKTCRAFT_C_DROP_QUEUE;
	} else {
		rc = rc < 0 ? rc : -ENOBUFS;
		idx = PKTCRAFT_C_DROP_XMIT;
	}
	pktcraft_stats_inc(&pf->ctrs, idx);
	return rc;
}

/* One packet through the injection point, without a burst's bookkeeping. */
static long xmit_one_queued(struct pktcraft_file *pf, struct sk_buff *skb,
			    const struct pktcraft_egress *eg)
{
	const struct net_device *dev = skb->dev;	/* held by the egress */
	unsigned int len = skb->len;
	int rc;

	rc = xmit_checked(pf, NULL, eg, 0, skb);
	trace_pktcraft_xmit(dev, 0, len, false, rc);
	if (rc == NET_XMIT_SUCCESS || rc == NET_XMIT_CN) {
		pktcraft_stats_sent(&pf->ctrs, 1, len);
		return 1;
	}
	return xmit_one_dropped(pf, rc);
}

/*
 * One packet straight to the driver (pktcraft_direct_single() allowed it),
 * as the ring's are sent, and then kept for the file's next one
 * (single_keep()). Where it was not handed over for any reason but the
 * device being down or gone (a filter or qdisc appeared since it was
 * allowed, the queue is stopped or parked on noop_qdisc for a graft, or
 * with PKTCRAFT_INJECT_DRIVER the carrier is off), the injection point's
 * own path takes it after all (xmit_one_queued(): the kernel's handling,
 * errno and counters), charged to the send buffer if it was not, without a
 * wait for room (one packet over the bound at most), its tailroom zeroed
 * (pktcraft_single_take()). A driver that refuses it busy is a queue drop,
 * as for PKTCRAFT_INJECT_DRIVER.
 */
static long xmit_one_direct(struct pktcraft_file *pf, struct sk_buff *skb,
			    const struct pktcraft_egress *eg)
{
	struct net_device *dev = skb->dev;	/* held by the egress */
	bool nf_only = eg->inject == PKTCRAFT_INJECT_DRIVER;
	unsigned int len = skb->len, sent = 0;
	u32 tapped = 0;
	int rc;

	if (nf_only && !netif_carrier_ok(dev)) {	/* __dev_direct_xmit()'s */
		rc = XMIT_SWITCH;
	} else {
		rc = xmit_direct(pf->net, NULL, &skb, 0, false, false, dev,
				 skb_get_tx_queue(dev, skb), 0, 1, 1, &sent,
				 &tapped, nf_only, !nf_only);
	}
	if (!tapped && rc != -ENETDOWN && rc != -ENODEV) {
		skb_set_queue_mapping(skb, 0);
		memset(skb_tail_pointer(skb), 0, skb_tailroom(skb));
		if (!skb->sk)
			pktcraft_sock_charge(pf->sock->sk, skb);
		return xmit_one_queued(pf, skb, eg);
	}
	if (!tapped)	/* never handed over: xmit_direct() traced nothing */
		trace_pktcraft_xmit(dev, 0, len, true, rc);
	single_keep(pf, skb);
	if (sent) {
		pktcraft_stats_sent(&pf->ctrs, 1, len);
		return 1;
	}
	return xmit_one_dropped(pf, rc);
}

/* One packet, unpaced: the common case, without a burst's bookkeeping. */
static long xmit_one(struct pktcraft_file *pf, struct sk_buff *skb,
		     const struct pktcraft_egress *eg)
{
	if (eg->direct)
		return xmit_one_direct(pf, skb, eg);
	return xmit_one_queued(pf, skb, eg);
}

/* Has @txq no qdisc (noqueue), as now? */
static bool txq_noqueue(struct netdev_queue *txq)
{
	bool noqueue;

	/* qdiscs are freed after a grace period: as egress.c's hold_dev() */
	rcu_read_lock_sched();
	noqueue = !rcu_dereference_sched(txq->qdisc)->enqueue;
	rcu_read_unlock_sched();
	return noqueue;
}

/* Which drivers a packet may be handed to directly (direct_driver()). */
enum direct_kind {
	DIRECT_NONE,	/* not this one */
	DIRECT_FREES,	/* it lets go of the skb in ndo_start_xmit() (dummy) */
	DIRECT_HOLDS,	/* it holds the skb until TX completion (e1000) */
};

/*
 * Straight to the driver as pktgen sends (burst_direct()) only on drivers
 * that neither queue nor forward the skb they are given, so that no list
 * ever links the same skb twice (the shared skb), and that let go of it
 * before a slot of the ring is rewritten. ether_setup() sets
 * IFF_TX_SKB_SHARING on every Ethernet-like device, stacked ones included,
 * so the flag alone proves nothing.
 */
static enum direct_kind direct_driver(const struct net_device *dev)
{
	const struct device *parent = dev->dev.parent;
	const char *kind;

	if (!(dev->priv_flags & IFF_TX_SKB_SHARING))
		return DIRECT_NONE;
	if (dev->rtnl_link_ops) {
		/*
		 * strcmp(kind, "dummy") without the call and its loop, on
		 * every single packet: byte by byte, so that a shorter kind
		 * is never read past its NUL.
		 */
		kind = dev->rtnl_link_ops->kind;
		return kind[0] == 'd' && kind[1] == 'u' && kind[2] == 'm' &&
		       kind[3] == 'm' && kind[4] == 'y' && !kind[5] ?
		       DIRECT_FREES : DIRECT_NONE;
	}
	return parent && parent->driver &&
	       !strcmp(parent->driver->name, "e1000") ?
	       DIRECT_HOLDS : DIRECT_NONE;
}

enum burst_path {
	BURST_EACH,	/* burst_each(): an skb each through dev_queue_xmit() */
	BURST_RING,	/* burst_direct() through the ring */
	BURST_SHARED,	/* burst_direct() with one shared skb */
};

/*
 * Straight to the driver (burst_direct(), xmit_one_direct())? Only on a
 * driver direct_driver() allows, without an egress hook (nft netdev egress,
 * tc clsact/tcx: dev_queue_xmit() runs them first, and the driver path
 * must not slip past a filter; for PKTCRAFT_INJECT_DRIVER, whose own path
 * runs netfilter's only, that one), as seen now and again before each
 * call of xmit_direct() (a batch of up to PKTCRAFT_SHARE_BATCH packets,
 * PKTCRAFT_REUSE_BATCH identical ones to dummy); without fates to
 * track (fate.c follows the queue's path); then on the queue AF_PACKET's
 * driver path would pick (XPS, ndo_select_queue()).
 *
 * Identical packets as one shared skb (@shared: for an opener with
 * CAP_NET_ADMIN in the initial user namespace, pktgen's own requirement)
 * past any qdisc as pktgen's are. Every other packet, the ring's and a
 * single one, only where no qdisc would hold it either: the request asked
 * for the driver (PKTCRAFT_INJECT_DRIVER, which any opener may, as
 * AF_PACKET's PACKET_QDISC_BYPASS) or the queue has no qdisc (noqueue, as
 * dummy's, where dev_queue_xmit() itself goes straight to the driver). A
 * qdisc someone configured (netem, tbf) gets them.
 *
 * Returns the driver's kind with @skb's queue mapping set to the queue
 * picked; DIRECT_NONE with it unchanged: its copies through
 * dev_queue_xmit() would read one for a recorded receive queue
 * (skb_tx_hash()), and the pick records one.
 */
static __always_inline enum direct_kind
direct_ok(const struct pktcraft_egress *eg, struct sk_buff *skb, bool shared)
{
	bool nf_only = eg->inject == PKTCRAFT_INJECT_DRIVER;
	bool need_noqueue = !shared && !nf_only;
	u16 queue0 = skb_get_queue_mapping(skb), queue;
	struct net_device *dev = eg->dev;
	enum direct_kind kind;
	bool one;

	if (eg->fates || eg->inject > PKTCRAFT_INJECT_DRIVER ||
	    skb->len < ETH_ZLEN)
		return DIRECT_NONE;
	/*
	 * What refuses most devices first, where it is cheap: a qdisc on a
	 * device whose one queue needs no pick (pfifo_fast by default).
	 */
	one = READ_ONCE(dev->real_num_tx_queues) == 1 &&
	      !dev->netdev_ops->ndo_select_queue;
	if (need_noqueue && one && !txq_noqueue(netdev_get_tx_queue(dev, 0)))
		return DIRECT_NONE;
	kind = direct_driver(dev);
	if (kind == DIRECT_NONE || pktcraft_dev_egress_hooked(dev, nf_only))
		return DIRECT_NONE;
	/*
	 * dummy and e1000: no ndo_select_queue() to run with BH off; one queue
	 * as seen above: what pktcraft_pick_queue() would say, without it.
	 */
	queue = one ? 0 : pktcraft_pick_queue(skb);
	skb_set_queue_mapping(skb, queue0);
	if (need_noqueue && !one &&
	    !txq_noqueue(netdev_get_tx_queue(dev, queue)))
		return DIRECT_NONE;
	skb_set_queue_mapping(skb, queue);
	return kind;
}

/**
 * pktcraft_direct_single - may a single packet go straight to the driver?
 * @eg: its egress
 * @skb: the packet, built; its queue mapping set when it may
 * @charge: set when it must still be charged to the send buffer
 *
 * As a burst's varied packets may (direct_ok()); then xmit_one_direct()
 * sends it. A driver that lets go of it at once (dummy) leaves it to be
 * kept for the file's next one, uncharged, as the ring's are; one that
 * holds it until TX completion (e1000) may hold any number of them, and so
 * they are charged, as AF_PACKET's PACKET_QDISC_BYPASS packets are.
 */
bool pktcraft_direct_single(const struct pktcraft_egress *eg,
			    struct sk_buff *skb, bool *charge)
{
	enum direct_kind kind = direct_ok(eg, skb, false);

	*charge = kind != DIRECT_FREES;
	return kind != DIRECT_NONE;
}

/* How a burst goes (direct_ok()); packet 0's queue mapping saved first. */
static enum burst_path direct_path(struct burst_ctx *c, struct sk_buff *skb)
{
	const struct pktcraft_burst *b = c->b;
	bool shared = !b->varied && c->pf->may_share;
	enum direct_kind kind;

	if (b->count < 2 || b->flags & PKTCRAFT_BURST_F_COPY)
		return BURST_EACH;
	c->queue0 = skb_get_queue_mapping(skb);
	kind = direct_ok(c->eg, skb, shared);
	if (kind == DIRECT_NONE)
		return BURST_EACH;
	c->reuse = !b->varied && kind == DIRECT_FREES;
	if (!shared)
		return BURST_RING;
	/*
	 * Not charged to the send buffer, as pktgen's is not: one skb, and
	 * with an owner the driver's skb_tx_timestamp() goes on to look for
	 * a PHY timestamper at every packet (13 instructions a packet on
	 * dummy, of 92).
	 */
	skb_orphan(skb);
	return BURST_SHARED;
}

/**
 * pktcraft_burst_run - send a burst
 * @pf: the open file: namespace, send buffer, counters
 * @b: from pktcraft_burst_init(), or NULL for exactly one packet
 * @skb: packet 0, consumed
 * @eg: the egress, holding the device
 *
 * What pktcraft_burst_report() writes back is kept in @b. Touches no user
 * memory.
 *
 * Return: packets sent if any, else -errno (-ENOBUFS when every packet was
 * dropped).
 */
long pktcraft_burst_run(struct pktcraft_file *pf, struct pktcraft_burst *b,
			struct sk_buff *skb, struct pktcraft_egress *eg)
{
	enum burst_path path;
	struct burst_ctx *c;
	u32 sent, dropped;
	int err;

	if (!b || (b->count == 1 && !b->paced))
		return xmit_one(pf, skb, eg);
	c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
	if (!c) {
		consume_skb(skb);
		trace_pktcraft_refused(PKTCRAFT_IOC_SEND, "build", -ENOMEM);
		return -ENOMEM;
	}
	c->b = b;
	c->pf = pf;
	c->eg = eg;
	c->sk = pf->sock->sk;
	c->start = b->start_ns || !b->paced ? b->start_ns : ktime_get_ns();
	c->next_refresh = ktime_get_ns() + PKTCRAFT_NEIGH_REFRESH_NS;

	err = pktcraft_watch_start(&c->watch, pf->net, eg->dev);
	if (err) {
		c->t.v[PKTCRAFT_C_DROP_DOWN]++;
	} else {
		path = direct_path(c, skb);
		if (path == BURST_EACH)
			err = burst_each(c, &skb, 0);
		else
			err = burst_direct(c, &skb, path == BURST_RING);
		if (err == BURST_SWITCH)	/* a filter or qdisc appeared */
			err = burst_requeue(c, &skb);
	}
	err = pktcraft_watch_settle(&c->watch, pf->net, err);
	pktcraft_watch_stop(&c->watch);
	consume_skb(skb);	/* NULL when the last packet went */
	ring_park(pf, c->ring);
	/* Skbs in flight hold their own references to the pages. */
	pktcraft_page_frag_cache_drain(&c->frag);

	sent = c->t.v[PKTCRAFT_C_PACKETS];
	dropped = c->t.v[PKTCRAFT_C_DROP_QUEUE] + c->t.v[PKTCRAFT_C_DROP_DOWN] +
		  c->t.v[PKTCRAFT_C_DROP_NOMEM] + c->t.v[PKTCRAFT_C_DROP_XMIT];
	pktcraft_stats_flush(&pf->ctrs, &c->t);
	kfree(c);
	trace_pktcraft_burst_end(eg->dev, b->count, sent, dropped, err);
	b->sent = sent;
	b->result_err = err;
	b->dropped = dropped;
	if (sent) {
		if (err)	/* a failed request counts once, here */
			pktcraft_stats_err(&pf->ctrs, err);
		return sent;
	}
	return err ?: -ENOBUFS;
}

/**
 * __pktcraft_burst_report - write a burst's sent, result_err and dropped back
 * @b: from pktcraft_burst_init() (before the burst: all zero), with
 *   @b->report: a burst whose request has room for them
 *   (pktcraft_burst_report() in pktcraft.h: 0 at once for any other, or
 *   for NULL)
 * @ureq: the request they go to
 *
 * Never while a device is held (pktcraft_prepare()).
 *
 * Return: 0 or -EFAULT.
 */
int __pktcraft_burst_report(const struct pktcraft_burst *b,
			    struct pktcraft_req __user *ureq)
{
	if (put_user(b->sent, &ureq->sent) ||
	    put_user(b->result_err, &ureq->result_err) ||
	    put_user(b->dropped, &ureq->dropped))
		return -EFAULT;
	return 0;
}
