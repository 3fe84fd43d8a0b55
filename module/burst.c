// SPDX-License-Identifier: GPL-2.0
/*
 * Bursts: one SEND, count packets. Packet 0 is the builder's frame; every
 * other one is a copy of it with the varied fields rewritten and the
 * computed checksums updated incrementally (RFC 1624), or, for identical
 * packets on a device that allows it, the very same skb sent again the way
 * pktgen does. Optional pacing against absolute CLOCK_MONOTONIC deadlines.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/hrtimer.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <net/checksum.h>
#include "pktcraft.h"

/* Counters are flushed to the file and module totals this often. */
#define PKTCRAFT_FLUSH_EVERY	256
/* Identical packets handed to the driver under one tx lock, at most. */
#define PKTCRAFT_SHARE_BATCH	32
/* A driver queue stopped for this long ends a shared burst (-ENOBUFS). */
#define PKTCRAFT_BUSY_NS	(1000 * NSEC_PER_MSEC)

static const u32 vary_limit[PKTCRAFT_VARY_NR] = {
	[PKTCRAFT_VARY_SPORT] = 0xffff,
	[PKTCRAFT_VARY_DPORT] = 0xffff,
	[PKTCRAFT_VARY_TCP_SEQ] = U32_MAX,
	[PKTCRAFT_VARY_IP_ID] = 0xffff,
	[PKTCRAFT_VARY_IP_SADDR] = U32_MAX,
};

static u32 req_value(const struct pktcraft_req *req, int f)
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
	default:
		return ntohl((__force __be32)req->ip_saddr);
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
	default:
		req->ip_saddr = (__force __u32)htonl(v);
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
	default:
		return true;
	}
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

/**
 * pktcraft_burst_init - check the burst part of a request
 * @b: filled for pktcraft_burst_run(); NULL when only a single, unpaced,
 *     unvaried packet is acceptable (BUILD)
 * @req: request already checked by pktcraft_req_check(); the varied fields
 *       are set to packet 0's values (random ones drawn here)
 * @lay: its layout
 *
 * Return: 0 or -EINVAL (unknown flag, reserved field, count, gap or start
 * out of range, a variation that does not apply to the layer 4 kind, an
 * empty or too wide range, the request's value outside it, INC without a
 * step, parameters given with mode NONE).
 */
int pktcraft_burst_init(struct pktcraft_burst *b, struct pktcraft_req *req,
			const struct pktcraft_layout *lay)
{
	struct pktcraft_burst single;
	bool only_one = !b;
	int f;

	/* The common case, a version 0/1 request or one packet: nothing set. */
	if (!req->reserved3 &&
	    !memchr_inv(&req->count, 0, offsetof(struct pktcraft_req, sent) -
					offsetof(struct pktcraft_req, count))) {
		if (b) {	/* all that pktcraft_burst_run() reads for it */
			b->count = 1;
			b->flags = 0;
			b->gap_ns = 0;
			b->start_ns = 0;
			b->varied = false;
			b->paced = false;
		}
		return 0;
	}
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

	for (f = 0; f < PKTCRAFT_VARY_NR; f++) {
		const struct pktcraft_vary *vy = &req->vary[f];
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
		b->varied = true;
	}

	b->count = req->count ?: 1;
	b->flags = req->burst_flags;
	b->gap_ns = req->gap_ns;
	b->start_ns = req->start_ns;
	b->paced = b->gap_ns || b->start_ns;
	if (only_one && (b->count > 1 || b->flags || b->gap_ns || b->start_ns ||
			 b->varied))
		return -EINVAL;

	b->ip_hlen = lay->ip_hlen;
	b->ip_csum = !(req->flags & PKTCRAFT_F_IP_CSUM);
	b->udp = req->l4 == PKTCRAFT_L4_UDP;
	b->l4_csum = (req->l4 == PKTCRAFT_L4_TCP || b->udp) &&
		     !(req->flags & PKTCRAFT_F_L4_CSUM);
	b->check_off = b->udp ? offsetof(struct udphdr, check) :
				offsetof(struct tcphdr, check);
	return 0;
}

/* Rewrites the varied fields of a copy of packet 0 to their current values. */
static void burst_patch(const struct pktcraft_burst *b, struct sk_buff *skb)
{
	struct iphdr *iph = ip_hdr(skb);
	void *l4 = (void *)iph + b->ip_hlen;
	__sum16 *check = b->l4_csum ? l4 + b->check_off : NULL;
	int f;

	for (f = 0; f < PKTCRAFT_VARY_NR; f++) {
		const struct pktcraft_vstate *v = &b->v[f];
		__be16 o16 = htons(v->tmpl), n16 = htons(v->cur);
		__be32 o32 = htonl(v->tmpl), n32 = htonl(v->cur);
		__be16 *p16;
		__be32 *p32;

		if (!v->mode || v->cur == v->tmpl)
			continue;
		switch (f) {
		case PKTCRAFT_VARY_SPORT:
		case PKTCRAFT_VARY_DPORT:
			p16 = l4 + (f == PKTCRAFT_VARY_SPORT ? 0 : 2);
			*p16 = n16;
			if (check)
				inet_proto_csum_replace2(check, skb, o16, n16,
							 false);
			break;
		case PKTCRAFT_VARY_TCP_SEQ:
			p32 = l4 + offsetof(struct tcphdr, seq);
			*p32 = n32;
			if (check)
				inet_proto_csum_replace4(check, skb, o32, n32,
							 false);
			break;
		case PKTCRAFT_VARY_IP_ID:
			iph->id = n16;
			if (b->ip_csum)
				csum_replace2(&iph->check, o16, n16);
			break;
		case PKTCRAFT_VARY_IP_SADDR:
			iph->saddr = n32;
			if (b->ip_csum)
				csum_replace4(&iph->check, o32, n32);
			if (check)	/* the pseudo-header */
				inet_proto_csum_replace4(check, skb, o32, n32,
							 true);
			break;
		}
	}
	/* RFC 768: a computed 0 is sent as all ones, 0 meaning "none". */
	if (check && b->udp && !*check)
		*check = CSUM_MANGLED_0;
}

/*
 * A private copy of packet 0: same headroom, link header and offsets. The
 * data comes from the per-CPU page fragment cache (build_skb(), as
 * __netdev_alloc_skb() does for larger buffers), cheaper than kmalloc; a
 * plain alloc_skb() when that fails.
 */
static struct sk_buff *burst_copy(const struct sk_buff *t)
{
	unsigned int size = skb_headroom(t) + t->len + t->dev->needed_tailroom;
	unsigned int fragsz = SKB_DATA_ALIGN(size) +
			      SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	struct sk_buff *skb = NULL;
	void *data;

	if (fragsz <= PAGE_SIZE) {
		data = netdev_alloc_frag(fragsz);
		if (data) {
			skb = build_skb(data, fragsz);
			if (!skb)
				skb_free_frag(data);
		}
	}
	if (!skb)
		skb = alloc_skb(size, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, skb_headroom(t));
	skb_put_data(skb, t->data, t->len);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, skb_network_offset(t));
	skb_set_transport_header(skb, skb_transport_offset(t));
	skb->protocol = t->protocol;
	skb->dev = t->dev;
	skb->ip_summed = CHECKSUM_NONE;
	return skb;
}

/*
 * Through the qdisc; consumes @skb. 1: accepted, 0: dropped by the queue
 * (the burst goes on), < 0: an error that ends the burst.
 */
static int xmit_queued(struct sk_buff *skb, unsigned int len,
		       struct pktcraft_tally *t)
{
	int rc = dev_queue_xmit(skb);

	if (rc == NET_XMIT_SUCCESS || rc == NET_XMIT_CN) {
		t->v[PKTCRAFT_C_PACKETS]++;
		t->v[PKTCRAFT_C_BYTES] += len;
		return 1;
	}
	if (rc == NET_XMIT_DROP) {
		t->v[PKTCRAFT_C_DROP_QUEUE]++;
		return 0;
	}
	if (rc == -ENETDOWN) {
		t->v[PKTCRAFT_C_DROP_DOWN]++;
		return rc;
	}
	t->v[PKTCRAFT_C_DROP_XMIT]++;
	return rc < 0 ? rc : -ENOBUFS;
}

/*
 * The same skb @n times more, straight to the driver like pktgen's
 * start_xmit mode (with its burst: one tx lock, xmit_more on all but the
 * last). *@sent: how many the driver accepted. Returns NETDEV_TX_OK when all
 * were; NETDEV_TX_BUSY when the queue is (or became) stopped, the rest to be
 * retried; NET_XMIT_DROP/CN/other: the driver consumed the next one without
 * sending it.
 */
static int xmit_shared(struct sk_buff *skb, struct net_device *dev,
		       struct netdev_queue *txq, unsigned int n,
		       unsigned int *sent)
{
	unsigned int used = 0;	/* references the driver took */
	int rc = NETDEV_TX_BUSY;

	*sent = 0;
	local_bh_disable();
	HARD_TX_LOCK(dev, txq, smp_processor_id());
	if (!netif_xmit_frozen_or_drv_stopped(txq)) {
		refcount_add(n, &skb->users);
		do {
			rc = netdev_start_xmit(skb, dev, txq, used + 1 < n);
			if (rc == NETDEV_TX_BUSY)
				break;
			used++;
			if (rc != NETDEV_TX_OK)
				break;
			(*sent)++;
		} while (used < n && !netif_xmit_frozen_or_drv_stopped(txq));
		if (used < n) {
			/* Our own reference keeps it above zero. */
			WARN_ON(refcount_sub_and_test(n - used, &skb->users));
			if (rc == NETDEV_TX_OK)
				rc = NETDEV_TX_BUSY;
		}
	}
	HARD_TX_UNLOCK(dev, txq);
	local_bh_enable();
	return rc;
}

/* Sleeps until @deadline (CLOCK_MONOTONIC ns); -EINTR on a signal. */
static int pace_until(u64 deadline, u64 gap_ns)
{
	u64 slack = min_t(u64, gap_ns / 16, 50 * NSEC_PER_USEC);

	while (ktime_get_ns() < deadline) {
		ktime_t exp = ns_to_ktime(deadline);

		if (signal_pending(current))
			return -EINTR;
		set_current_state(TASK_INTERRUPTIBLE);
		schedule_hrtimeout_range_clock(&exp, slack, HRTIMER_MODE_ABS,
					       CLOCK_MONOTONIC);
	}
	return 0;
}

static bool dev_gone(const struct net_device *dev)
{
	return !netif_running(dev) ||
	       READ_ONCE(dev->reg_state) != NETREG_REGISTERED;
}

/* The MTU may shrink while a burst runs: stop rather than send oversize. */
static bool over_mtu(const struct sk_buff *skb)
{
	return skb->len - skb_network_offset(skb) > READ_ONCE(skb->dev->mtu);
}

/* Identical packets through one shared skb; returns 0 or -errno. */
static int burst_shared(struct pktcraft_burst *b, struct sk_buff *skb,
			u64 start, struct pktcraft_ctrs *ctrs,
			struct pktcraft_tally *t)
{
	struct net_device *dev = skb->dev;
	struct netdev_queue *txq = skb_get_tx_queue(dev, skb);
	unsigned int len = skb->len, n, sent, unflushed = 0;
	u64 busy_since = 0;
	u32 i = 0;
	int rc;

	while (i < b->count) {
		if ((i || busy_since) && signal_pending(current))
			return -EINTR;
		if (b->paced) {
			rc = pace_until(start + i * b->gap_ns, b->gap_ns);
			if (rc)
				return rc;
		}
		if (dev_gone(dev) || !netif_carrier_ok(dev)) {
			t->v[PKTCRAFT_C_DROP_DOWN]++;
			return -ENETDOWN;
		}
		if (over_mtu(skb))
			return -EMSGSIZE;
		n = b->paced ? 1 : min_t(u32, b->count - i, PKTCRAFT_SHARE_BATCH);
		rc = xmit_shared(skb, dev, txq, n, &sent);
		i += sent;
		unflushed += sent;
		t->v[PKTCRAFT_C_PACKETS] += sent;
		t->v[PKTCRAFT_C_BYTES] += (u64)sent * len;
		if (rc == NETDEV_TX_BUSY && !sent) {
			u64 now = ktime_get_ns();

			if (!busy_since) {
				busy_since = now;
			} else if (now - busy_since > PKTCRAFT_BUSY_NS) {
				t->v[PKTCRAFT_C_DROP_QUEUE]++;
				return -ENOBUFS;
			}
			if (!need_resched())
				usleep_range(20, 50);
			cond_resched();
			continue;
		}
		busy_since = 0;
		if (rc == NET_XMIT_DROP || rc == NET_XMIT_CN) {
			t->v[PKTCRAFT_C_DROP_QUEUE]++;	/* consumed, not sent */
			i++;
		} else if (rc != NETDEV_TX_OK && rc != NETDEV_TX_BUSY) {
			t->v[PKTCRAFT_C_DROP_XMIT]++;
			return -EIO;
		}
		if (unflushed >= PKTCRAFT_FLUSH_EVERY) {
			pktcraft_stats_flush(ctrs, t);
			unflushed = 0;
		}
		cond_resched();
	}
	return 0;
}

/* Every packet a fresh skb through dev_queue_xmit(); returns 0 or -errno. */
static int burst_copies(struct pktcraft_burst *b, struct sk_buff **tmpl,
			u64 start, struct pktcraft_ctrs *ctrs,
			struct pktcraft_tally *t)
{
	struct net_device *dev = (*tmpl)->dev;
	unsigned int len = (*tmpl)->len;
	struct sk_buff *skb;
	u32 i;
	int f, rc;

	for (i = 0; i < b->count; i++) {
		if (i) {
			if (!(i % PKTCRAFT_FLUSH_EVERY))
				pktcraft_stats_flush(ctrs, t);
			cond_resched();
			if (signal_pending(current))
				return -EINTR;
			for (f = 0; f < PKTCRAFT_VARY_NR; f++)
				if (b->v[f].mode)
					vary_next(&b->v[f]);
		}
		if (b->paced) {
			rc = pace_until(start + i * b->gap_ns, b->gap_ns);
			if (rc)
				return rc;
		}
		if (dev_gone(dev)) {
			t->v[PKTCRAFT_C_DROP_DOWN]++;
			return -ENETDOWN;
		}
		if (over_mtu(*tmpl))
			return -EMSGSIZE;
		if (i == b->count - 1) {	/* the last one is packet 0 itself */
			skb = *tmpl;
			*tmpl = NULL;
		} else {
			skb = burst_copy(*tmpl);
			if (!skb) {
				t->v[PKTCRAFT_C_DROP_NOMEM]++;
				return -ENOMEM;
			}
		}
		if (b->varied)
			burst_patch(b, skb);
		rc = xmit_queued(skb, len, t);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* One packet, unpaced: the common case, without a burst's bookkeeping. */
static long xmit_one(struct sk_buff *skb, struct pktcraft_ctrs *ctrs)
{
	unsigned int len = skb->len;
	int rc, idx;

	if (dev_gone(skb->dev)) {
		kfree_skb(skb);
		rc = -ENETDOWN;
		idx = PKTCRAFT_C_DROP_DOWN;
	} else {
		rc = dev_queue_xmit(skb);
		if (rc == NET_XMIT_SUCCESS || rc == NET_XMIT_CN) {
			pktcraft_stats_sent(ctrs, 1, len);
			return 1;
		}
		if (rc == NET_XMIT_DROP) {
			rc = -ENOBUFS;
			idx = PKTCRAFT_C_DROP_QUEUE;
		} else if (rc == -ENETDOWN) {
			idx = PKTCRAFT_C_DROP_DOWN;
		} else {
			rc = rc < 0 ? rc : -ENOBUFS;
			idx = PKTCRAFT_C_DROP_XMIT;
		}
	}
	pktcraft_stats_inc(ctrs, idx);
	return rc;
}

/**
 * pktcraft_burst_run - send a burst
 * @b: from pktcraft_burst_init(), or NULL for exactly one packet
 * @skb: packet 0, consumed
 * @eg: the egress, holding the device
 * @ctrs: the open file's counters
 * @ureq: where sent/result_err/dropped go when count > 1
 *
 * Return: packets the device accepted if any, else -errno (-ENOBUFS when
 * every packet was dropped).
 */
long pktcraft_burst_run(struct pktcraft_burst *b, struct sk_buff *skb,
			const struct pktcraft_egress *eg,
			struct pktcraft_ctrs *ctrs,
			struct pktcraft_req __user *ureq)
{
	struct net_device *dev = eg->dev;
	struct pktcraft_tally t;
	bool report, share;
	u32 sent, dropped;
	u64 start;
	int err;

	if (!b || (b->count == 1 && !b->paced))
		return xmit_one(skb, ctrs);
	memset(&t, 0, sizeof(t));
	report = b->count > 1 && ureq;
	/* Fail before sending anything if the results cannot be written. */
	if (report && (put_user(0, &ureq->sent) ||
		       put_user(0, &ureq->result_err) ||
		       put_user(0, &ureq->dropped))) {
		kfree_skb(skb);
		return -EFAULT;
	}
	share = b->count > 1 && !b->varied && !(b->flags & PKTCRAFT_BURST_F_COPY) &&
		dev->priv_flags & IFF_TX_SKB_SHARING && skb->len >= ETH_ZLEN;
	start = b->start_ns || !b->paced ? b->start_ns : ktime_get_ns();

	if (share) {
		err = burst_shared(b, skb, start, ctrs, &t);
		consume_skb(skb);
	} else {
		err = burst_copies(b, &skb, start, ctrs, &t);
		kfree_skb(skb);		/* NULL when the last packet went */
	}

	sent = t.v[PKTCRAFT_C_PACKETS];
	dropped = t.v[PKTCRAFT_C_DROP_QUEUE] + t.v[PKTCRAFT_C_DROP_DOWN] +
		  t.v[PKTCRAFT_C_DROP_NOMEM] + t.v[PKTCRAFT_C_DROP_XMIT];
	pktcraft_stats_flush(ctrs, &t);
	if (report) {
		/* Best effort: the packets are out whatever happens here. */
		if (put_user(sent, &ureq->sent) ||
		    put_user(err, &ureq->result_err) ||
		    put_user(dropped, &ureq->dropped))
			pr_debug("cannot write the burst result back\n");
	}
	if (sent) {
		if (err)	/* a failed request counts once, here */
			pktcraft_stats_err(ctrs, err);
		return sent;
	}
	return err ?: -ENOBUFS;
}
