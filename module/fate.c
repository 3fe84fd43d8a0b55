// SPDX-License-Identifier: GPL-2.0
/*
 * Fates: what became of each packet of a request, from the kernel's own
 * consume_skb and kfree_skb tracepoints (as drop_monitor reads them).
 *
 * A tracked packet is a slot in a global hash table keyed by its sk_buff,
 * entered just before the packet is handed to its injection point. A probe
 * that sees one of our sk_buffs freed claims the slot: consumed (sent by a
 * driver, or delivered after a receive path) or dropped, with the kernel's
 * reason and the dropping function. The sk_buff's address alone is not
 * proof: a struct freed where the kernel has no tracepoint may come back
 * as someone else's packet, so each one also carries a random cookie in
 * skb->hash (a software layer 4 hash, which the stack keeps).
 *
 * The probes are registered only while some request tracks fates. Those on
 * the frees never dereference anything of the skb but its own fields and
 * its route's device pointer (fate_route_dev()): skb->dev may be stale by
 * the time a socket frees a packet it held, so the devices are kept as
 * addresses and named afterwards, from the devices that still exist, in
 * process context. Those on a receive and on dev_queue_xmit() read the
 * device their caller holds.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/tracepoint.h>
#include <linux/user_namespace.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <net/dropreason.h>
#include <net/dst.h>
#include <net/net_namespace.h>
#include "pktcraft.h"

#define FATE_HASH_BITS	14
/*
 * Every free of an sk_buff with a software hash walks one chain while the
 * probes are registered: the slots tracked at once, all requests together,
 * are capped (-EBUSY beyond), and an address has at most one slot
 * (fate_unhash_dead()), which keeps the chains short (16 on average).
 */
#define FATE_MAX_TRACKED	BIT(18)
/*
 * The table's shares, so that one container cannot keep the others, or the
 * host, from tracking: a request from a network namespace that another user
 * namespace than the initial one owns counts against its container, the
 * user namespace right below the initial one that owner descends from
 * (nested namespaces count against the same). Each container tracks at most
 * one request's worth at once, and containers together at most all but one
 * request's worth, which the initial namespace's openers always have. Caps,
 * not reservations: a namespace the initial user namespace owns (a rootful
 * container's) is the host's, and a user who may open the node can make
 * user namespaces enough to hold the containers' part.
 */
#define FATE_MAX_CONTAINER	PKTCRAFT_MAX_FATES
#define FATE_MAX_CONTAINERS	(FATE_MAX_TRACKED - PKTCRAFT_MAX_FATES)
#define FATE_SHARE_BITS		6
/* The probes stay registered this long after the last request used them. */
#define FATE_LINGER		(10 * HZ)
/*
 * Devices unregistered (deleted, or moved to another namespace), by the
 * hash of their address: the number of the last unregistration in each
 * bucket, so that a report can tell whether the device a packet ended on
 * may have gone since it was handed over (fate_gone()). A collision only
 * hides more.
 */
#define FATE_GONE_BITS		13

struct fate_slot {
	struct hlist_node node;		/* in fate_hash while tracked */
	const struct sk_buff *skb;
	struct pktcraft_fates *owner;
	u32 cookie;
	u8 fate;			/* PKTCRAFT_FATE_* */
	u8 flags;			/* PKTCRAFT_FATE_F_* */
	u32 reason;
	const struct net_device *dev;	/* an address, never dereferenced */
	const struct net_device *route_dev;	/* fate_route_dev()'s, the same */
	u64 xmit_ns, end_ns;
	u32 gone_seq;			/* fate_gone_seq when it was handed over */
	char where[32];
	/* The last device whose receive path saw it (netif_receive_skb). */
	char rx_name[IFNAMSIZ];
	int rx_ifindex;
	bool rx_other_ns;
	/*
	 * Since it was last received, it was queued on a device of another
	 * namespace, or that receive was another namespace's
	 * (fate_probe_queue(), fate_probe_receive()): whatever became of it
	 * afterwards may be that namespace's, even where it ends back in the
	 * opener's view (received, then forwarded out through a macvlan
	 * whose lower is the host's).
	 */
	bool left_ns;
};

/* What a container tracks (FATE_MAX_CONTAINER), while it tracks any. */
struct fate_share {
	struct hlist_node node;		/* in fate_shares */
	/* The container's user namespace: its requests' namespaces hold it. */
	const struct user_namespace *ns;
	u32 tracked;
};

struct pktcraft_fates {
	struct net *net;		/* the opener's */
	struct fate_share *share;	/* its container's, or NULL */
	struct pktcraft_fate __user *ufates;	/* or NULL */
	u32 count;			/* slots */
	u32 used;			/* slots handed over, from 0 */
	u32 ms;				/* 0: hand-over times only */
	bool see_all;			/* may learn what other namespaces did */
	/* The egress device as it was held (pktcraft_fates_egress()) */
	const struct net_device *egress;	/* an address, never dereferenced */
	int egress_ifindex;
	/* Slots still in fate_hash, plus one held until the burst is over. */
	atomic_t pending;
	struct completion done;		/* pending reached 0 */
	struct fate_slot slot[];
};

static DEFINE_HASHTABLE(fate_hash, FATE_HASH_BITS);
/* fate_hash writers; raw: the probes run with preemption off, also on RT */
static DEFINE_RAW_SPINLOCK(fate_lock);
static DEFINE_HASHTABLE(fate_shares, FATE_SHARE_BITS);
static DEFINE_MUTEX(fate_share_mutex);	/* fate_shares and these two: */
static u32 fate_tracked;		/* slots reserved, all requests */
static u32 fate_tracked_containers;	/* those of containers' requests */
static DEFINE_MUTEX(fate_mutex);	/* fate_users, fate_registered */
static unsigned int fate_users;
static bool fate_registered;
static struct tracepoint *tp_kfree_skb, *tp_consume_skb, *tp_receive;
static struct tracepoint *tp_queue;
static atomic_t fate_gone_seq;		/* unregistrations since the load */
static u32 fate_gone_last[1 << FATE_GONE_BITS];	/* by hash_ptr() */

#define FATE_REASON_NAME(r) \
	[SKB_DROP_REASON_##r] = #r,
static const char * const fate_reason_names[] = {
	DEFINE_DROP_REASON(FATE_REASON_NAME, FATE_REASON_NAME)
};

/* The list ends with MAX itself (FNe), which is no reason. */
static_assert(ARRAY_SIZE(fate_reason_names) <= SKB_DROP_REASON_MAX + 1);

/* A drop reason's name; NULL for NOT_DROPPED_YET, MAX and unused numbers. */
static const char *fate_reason_name(u32 reason)
{
	if (reason > SKB_NOT_DROPPED_YET && reason < SKB_DROP_REASON_MAX &&
	    reason < ARRAY_SIZE(fate_reason_names))
		return fate_reason_names[reason];
	return NULL;
}

/**
 * pktcraft_drop_name - the name of a drop counter slot (struct pktcraft_ctrs)
 * @slot: 0 .. PKTCRAFT_DROP_SLOTS - 1
 *
 * Return: the kernel's name of the reason, "OTHER_NS", "OTHER", or NULL for
 * a number the running kernel does not use.
 */
const char *pktcraft_drop_name(u32 slot)
{
	if (slot == PKTCRAFT_DROP_OTHER_NS)
		return "OTHER_NS";
	if (slot == SKB_DROP_REASON_MAX)
		return "OTHER";
	return fate_reason_name(slot);
}

/* Our tracked slot for @skb, or NULL; in the probes' RCU section. */
static struct fate_slot *fate_find(const struct sk_buff *skb)
{
	struct fate_slot *s;

	/* Our cookies are software layer 4 hashes: anything else is not ours. */
	if (!skb->sw_hash)
		return NULL;
	hash_for_each_possible_rcu(fate_hash, s, node, (unsigned long)skb)
		if (s->skb == skb && s->cookie == skb->hash)
			return s;
	return NULL;
}

/*
 * A packet entering a receive path: skb->dev is the receiving device, alive
 * for the whole of it (TCP clears skb->dev later, before a socket gets it).
 */
static void fate_probe_receive(void *data, struct sk_buff *skb)
{
	struct fate_slot *s = fate_find(skb);

	if (!s)
		return;
	strscpy(s->rx_name, skb->dev->name, sizeof(s->rx_name));
	WRITE_ONCE(s->rx_ifindex, skb->dev->ifindex);
	s->rx_other_ns = !net_eq(dev_net(skb->dev), s->owner->net);
	/* Back in the opener's namespace, its verdicts are its own again. */
	WRITE_ONCE(s->left_ns, s->rx_other_ns);
}

/*
 * A packet handed to dev_queue_xmit(): skb->dev is the device it is
 * queued on, held by the caller. Nothing else is written: a packet sent
 * keeps its fate from the free.
 */
static void fate_probe_queue(void *data, struct sk_buff *skb)
{
	struct fate_slot *s = fate_find(skb);

	if (s && !net_eq(dev_net(skb->dev), s->owner->net))
		WRITE_ONCE(s->left_ns, true);
}

/*
 * The device of the route a packet was on when it ended, an address: the
 * namespace whose stack had it then, where skb->dev may still be a device
 * that handed it on. A tunnel made in one namespace and moved into another
 * sends its outer packet through the first one's output (netfilter, the
 * route, the qdisc) with skb->dev still the tunnel; WireGuard's with
 * skb->dev NULL. Read from _skb_refdst, not skb_dst(), whose lockdep check
 * for a noref route knows nothing of the probe's own RCU section; the
 * route is held by the skb, or by the RCU section a noref one lives in,
 * until after the free's tracepoint. A metadata route has no device. A
 * received packet that a sockmap program redirected holds a socket there
 * (_sk_redir, whose memory stays a socket's for the probe's RCU section):
 * its first word names no device of the opener's, and the drop is hidden.
 */
static const struct net_device *fate_route_dev(const struct sk_buff *skb)
{
	const struct dst_entry *dst;

	dst = (const struct dst_entry *)(skb->_skb_refdst & SKB_DST_PTRMASK);
	return dst ? READ_ONCE(dst->dev) : NULL;
}

/* Called from the probes, for every sk_buff the kernel frees. */
static void fate_end(struct sk_buff *skb, bool drop, u32 reason,
		     void *location)
{
	struct fate_slot *s = fate_find(skb);

	if (s) {
		/*
		 * Received: fate_probe_receive() saw it. Not skb_iif, which
		 * nft's fwd also sets at egress, and ifb sets without a receive.
		 */
		bool rx = READ_ONCE(s->rx_ifindex);
		unsigned long flags;

		raw_spin_lock_irqsave(&fate_lock, flags);
		if (hlist_unhashed(&s->node)) {		/* timed out meanwhile */
			raw_spin_unlock_irqrestore(&fate_lock, flags);
			return;
		}
		hash_del_rcu(&s->node);
		raw_spin_unlock_irqrestore(&fate_lock, flags);

		s->end_ns = ktime_get_real_ns();
		s->dev = skb->dev;
		s->route_dev = fate_route_dev(skb);
		if (drop) {
			s->fate = PKTCRAFT_FATE_DROPPED;
			s->reason = reason;
			if (location) {
				snprintf(s->where, sizeof(s->where), "%ps",
					 location);
				/* No symbol: say nothing rather than an address. */
				if (!strncmp(s->where, "0x", 2))
					s->where[0] = '\0';
			}
		} else {
			s->fate = rx ? PKTCRAFT_FATE_DELIVERED :
				       PKTCRAFT_FATE_SENT;
		}
		if (rx)
			s->flags |= PKTCRAFT_FATE_F_RX;
		/*
		 * The waiter reads the slot after an RCU grace period. complete()
		 * takes a raw lock: fine with preemption off, on RT too.
		 */
		if (atomic_dec_and_test(&s->owner->pending))
			complete(&s->owner->done);
	}
}

static void fate_probe_kfree_skb(PKTCRAFT_TP_KFREE_SKB_ARGS)
{
	fate_end(skb, true, reason, location);
}

static void fate_probe_consume_skb(PKTCRAFT_TP_CONSUME_SKB_ARGS)
{
	fate_end(skb, false, 0, NULL);
}

static void fate_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "kfree_skb"))
		tp_kfree_skb = tp;
	else if (!strcmp(tp->name, "consume_skb"))
		tp_consume_skb = tp;
	else if (!strcmp(tp->name, "netif_receive_skb"))
		tp_receive = tp;
	else if (!strcmp(tp->name, "net_dev_queue"))
		tp_queue = tp;
}

static void fate_unregister(void)
{
	tracepoint_probe_unregister(tp_queue, fate_probe_queue, NULL);
	tracepoint_probe_unregister(tp_receive, fate_probe_receive, NULL);
	tracepoint_probe_unregister(tp_consume_skb, fate_probe_consume_skb,
				    NULL);
	tracepoint_probe_unregister(tp_kfree_skb, fate_probe_kfree_skb, NULL);
	fate_registered = false;
}

static void fate_linger_end(struct work_struct *work)
{
	mutex_lock(&fate_mutex);
	if (!fate_users && fate_registered)
		fate_unregister();
	mutex_unlock(&fate_mutex);
}

static DECLARE_DELAYED_WORK(fate_linger, fate_linger_end);

/*
 * The first tracking request registers the probes; they stay registered
 * for FATE_LINGER after the last one, so that a loop of requests does not
 * patch the kernel's text (static keys) twice per request.
 */
static int fate_get(void)
{
	int err = 0;

	mutex_lock(&fate_mutex);
	if (fate_registered)
		goto out;
	err = tracepoint_probe_register(tp_kfree_skb, fate_probe_kfree_skb,
					NULL);
	if (err)
		goto err;
	err = tracepoint_probe_register(tp_consume_skb, fate_probe_consume_skb,
					NULL);
	if (err)
		goto err_kfree;
	err = tracepoint_probe_register(tp_receive, fate_probe_receive, NULL);
	if (err)
		goto err_consume;
	err = tracepoint_probe_register(tp_queue, fate_probe_queue, NULL);
	if (err)
		goto err_receive;
	fate_registered = true;
out:
	fate_users++;
	mutex_unlock(&fate_mutex);
	return 0;

err_receive:
	tracepoint_probe_unregister(tp_receive, fate_probe_receive, NULL);
err_consume:
	tracepoint_probe_unregister(tp_consume_skb, fate_probe_consume_skb,
				    NULL);
err_kfree:
	tracepoint_probe_unregister(tp_kfree_skb, fate_probe_kfree_skb, NULL);
err:
	mutex_unlock(&fate_mutex);
	return err;
}

static void fate_put(void)
{
	mutex_lock(&fate_mutex);
	if (!--fate_users)
		mod_delayed_work(system_wq, &fate_linger, FATE_LINGER);
	mutex_unlock(&fate_mutex);
}

/* The container @net belongs to (see FATE_MAX_CONTAINER), or NULL. */
static const struct user_namespace *fate_container(const struct net *net)
{
	const struct user_namespace *ns = net->user_ns;

	if (ns == &init_user_ns)
		return NULL;
	while (ns->parent != &init_user_ns)
		ns = ns->parent;
	return ns;
}

/*
 * Reserves @count slots of the table and of @net's container's share, which
 * it puts in @share (NULL: the initial namespace's). 0, -ENOMEM or -EBUSY.
 */
static int fate_reserve(const struct net *net, u32 count,
			struct fate_share **share)
{
	const struct user_namespace *ns = fate_container(net);
	struct fate_share *s, *new = NULL;
	int err = -EBUSY;

	if (ns) {
		new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
		if (!new)
			return -ENOMEM;
	}
	mutex_lock(&fate_share_mutex);
	if (fate_tracked + count > FATE_MAX_TRACKED)
		goto out;
	*share = NULL;
	if (ns) {
		hash_for_each_possible(fate_shares, s, node, (unsigned long)ns)
			if (s->ns == ns)
				break;
		if (fate_tracked_containers + count > FATE_MAX_CONTAINERS ||
		    (s ? s->tracked : 0) + count > FATE_MAX_CONTAINER)
			goto out;
		if (!s) {
			s = new;
			new = NULL;
			s->ns = ns;
			hash_add(fate_shares, &s->node, (unsigned long)ns);
		}
		s->tracked += count;
		fate_tracked_containers += count;
		*share = s;
	}
	fate_tracked += count;
	err = 0;
out:
	mutex_unlock(&fate_share_mutex);
	kfree(new);
	return err;
}

static void fate_unreserve(u32 count, struct fate_share *s)
{
	mutex_lock(&fate_share_mutex);
	fate_tracked -= count;
	if (s) {
		fate_tracked_containers -= count;
		s->tracked -= count;
		if (!s->tracked) {
			hash_del(&s->node);
			kfree(s);
		}
	}
	mutex_unlock(&fate_share_mutex);
}

/**
 * __pktcraft_fates_start - prepare a request's fates
 * @net: the opener's namespace
 * @req: the checked request (fate_ms, fates, count), asking for one or
 *   both (pktcraft_fates_start() in pktcraft.h: NULL at once for neither)
 * @see_all: the opener may learn where packets ended in other namespaces
 *           (CAP_NET_ADMIN in the initial user namespace)
 *
 * Clears the caller's array first, so that it is known to be writable
 * before anything is sent.
 *
 * Return: the tracking state, or an ERR_PTR: -EINVAL (count above
 * PKTCRAFT_MAX_FATES), -EFAULT (the array is not writable), -ENOMEM,
 * -EOPNOTSUPP (the kernel lacks the skb tracepoints), -EBUSY (the table,
 * or the opener's container's share of it, is full), or what registering a
 * probe failed with.
 */
struct pktcraft_fates *__pktcraft_fates_start(struct net *net,
					      const struct pktcraft_req *req,
					      bool see_all)
{
	u32 count = max_t(u32, req->count, 1);
	struct fate_share *share = NULL;
	struct pktcraft_fates *f;
	void __user *ufates = u64_to_user_ptr(req->fates);
	int err;

	if (count > PKTCRAFT_MAX_FATES)
		return ERR_PTR(-EINVAL);
	if (ufates && clear_user(ufates, count * sizeof(struct pktcraft_fate)))
		return ERR_PTR(-EFAULT);
	if (req->fate_ms &&
	    (!tp_kfree_skb || !tp_consume_skb || !tp_receive || !tp_queue))
		return ERR_PTR(-EOPNOTSUPP);
	if (req->fate_ms) {
		err = fate_reserve(net, count, &share);
		if (err)
			return ERR_PTR(err);
	}
	f = kvzalloc(struct_size(f, slot, count), GFP_KERNEL_ACCOUNT);
	if (!f) {
		err = -ENOMEM;
		goto err_reserved;
	}
	f->net = net;
	f->share = share;
	f->ufates = ufates;
	f->count = count;
	f->ms = req->fate_ms;
	f->see_all = see_all;
	atomic_set(&f->pending, 1);
	init_completion(&f->done);
	if (f->ms) {
		err = fate_get();
		if (err)
			goto err_free;
	}
	return f;

err_free:
	kvfree(f);
err_reserved:
	if (req->fate_ms)
		fate_unreserve(count, share);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_IF_KUNIT(__pktcraft_fates_start);

/*
 * The slot still hashed at @skb's address, unhashed, or NULL; under
 * fate_lock. @skb is about to be handed over, so the sk_buff that slot
 * tracked is gone: the kernel freed it without a tracepoint
 * (__kfree_skb(): TCP's pure ACKs, GRO's merged packets) and the slab gave
 * its address to @skb. Its fate stays PENDING. Without this, a burst of
 * such packets, each at the last one's address, would leave one chain as
 * long as the burst for every free at that address to walk.
 */
static struct fate_slot *fate_unhash_dead(const struct sk_buff *skb)
{
	struct fate_slot *s;

	hash_for_each_possible(fate_hash, s, node, (unsigned long)skb) {
		if (s->skb == skb) {
			hash_del_rcu(&s->node);
			return s;
		}
	}
	return NULL;
}

#if IS_ENABLED(CONFIG_KUNIT)
/* How many slots are hashed at @skb's address: at most 1. */
u32 pktcraft_fate_hashed(const struct sk_buff *skb)
{
	struct fate_slot *s;
	unsigned long flags;
	u32 n = 0;

	raw_spin_lock_irqsave(&fate_lock, flags);
	hash_for_each_possible(fate_hash, s, node, (unsigned long)skb)
		n += s->skb == skb;
	raw_spin_unlock_irqrestore(&fate_lock, flags);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(pktcraft_fate_hashed);
#endif

/**
 * pktcraft_fates_xmit - packet @i is about to be handed over
 * @f: the request's fates, or NULL
 * @i: its index in the burst
 * @skb: it; from here on the probes may end it
 */
void pktcraft_fates_xmit(struct pktcraft_fates *f, u32 i, struct sk_buff *skb)
{
	struct fate_slot *s, *dead;
	unsigned long flags;

	if (!f || i >= f->count)
		return;
	s = &f->slot[i];
	s->xmit_ns = ktime_get_real_ns();
	s->gone_seq = atomic_read(&fate_gone_seq);
	f->used = max(f->used, i + 1);
	if (!f->ms)
		return;
	s->skb = skb;
	s->owner = f;
	s->cookie = get_random_u32() | 1;
	s->fate = PKTCRAFT_FATE_PENDING;
	__skb_set_sw_hash(skb, s->cookie, true);
	atomic_inc(&f->pending);
	/*
	 * As in fate_end(): the dead slot's owner, which may be another
	 * request, frees it only after a grace period once it is unhashed.
	 */
	rcu_read_lock();
	raw_spin_lock_irqsave(&fate_lock, flags);
	dead = fate_unhash_dead(skb);
	hash_add_rcu(fate_hash, &s->node, (unsigned long)skb);
	raw_spin_unlock_irqrestore(&fate_lock, flags);
	if (dead && atomic_dec_and_test(&dead->owner->pending))
		complete(&dead->owner->done);
	rcu_read_unlock();
}
EXPORT_SYMBOL_IF_KUNIT(pktcraft_fates_xmit);

/**
 * pktcraft_fate_dev_gone - a device is being unregistered
 * @dev: the device (the netdevice notifier's NETDEV_UNREGISTER, under RTNL)
 *
 * Before its memory can be freed, and so before its address can be
 * another device's: a report that finds a device of the opener's at a
 * slot's address, or none, must not take that for where the packet
 * ended if the address was unregistered since. A container can delete
 * its veth, and so the host's peer whose XDP program dropped its packet,
 * or make devices until one sits at the peer's old address. Writers are
 * serialised by RTNL.
 */
void pktcraft_fate_dev_gone(const struct net_device *dev)
{
	WRITE_ONCE(fate_gone_last[hash_ptr(dev, FATE_GONE_BITS)],
		   atomic_inc_return(&fate_gone_seq));
}
EXPORT_SYMBOL_IF_KUNIT(pktcraft_fate_dev_gone);

/*
 * May a device at @addr have been unregistered since slot @s's packet was
 * handed over (so that a device at that address now, or none, says
 * nothing of where it ended)? After a lookup that found a device there: a
 * device listed then was registered after any earlier one at that address
 * went. A slot 2^30 unregistrations old (the numbers wrap) says yes.
 */
static bool fate_gone(const struct fate_slot *s, const struct net_device *addr)
{
	smp_rmb();	/* the lookup's list, then the numbers */
	if ((u32)atomic_read(&fate_gone_seq) - s->gone_seq >= BIT(30))
		return true;
	return (s32)(READ_ONCE(fate_gone_last[hash_ptr(addr, FATE_GONE_BITS)]) -
		     s->gone_seq) > 0;
}

/* The device a packet ended on, named once per burst while it exists. */
struct fate_dev {
	const struct net_device *addr;	/* as the slot recorded it */
	bool found;
	int ifindex;
	char name[IFNAMSIZ];
};

/* fate_fill()'s lookups, kept from one slot to the next. */
struct fate_devs {
	struct fate_dev dev, route;
};

/*
 * Compares addresses with the devices of the opener's namespace that exist
 * now, and reads only a device found that way: the recorded address may
 * belong to a device freed since.
 */
static void fate_dev_lookup(struct fate_dev *d, struct net *mine)
{
	struct net_device *dev;

	d->found = false;
	rcu_read_lock();
	for_each_netdev_rcu(mine, dev) {
		if (dev != d->addr)
			continue;
		d->found = true;
		d->ifindex = dev->ifindex;
		strscpy(d->name, dev->name, sizeof(d->name));
		break;
	}
	rcu_read_unlock();
}

/*
 * Is @addr a device of @f's namespace? Looked up unless @d's last was it
 * (whether it was there since a packet's hand-over: fate_gone()).
 */
static bool fate_dev_ours(const struct pktcraft_fates *f,
			  const struct net_device *addr, struct fate_dev *d)
{
	if (addr != d->addr) {
		d->addr = addr;
		fate_dev_lookup(d, f->net);
		/*
		 * The egress device was let go before the wait: a device
		 * registered since at its address has another ifindex (they
		 * are never reused in a namespace).
		 */
		if (d->found && d->addr == f->egress &&
		    d->ifindex != f->egress_ifindex)
			d->found = false;
	}
	return d->found;
}

/*
 * The caller's view of slot @s (a device of its own namespace by name, no
 * one else's; @c: the last lookups of its device, its route's, and of its
 * device among the other namespaces').
 * A drop that ended in another namespace (received there, or on a device,
 * or a route through one, the opener's namespace does not have, or no
 * longer has, or whose device may have been unregistered since; or
 * with neither device nor route, which cannot be placed),
 * or after it was queued on or received by another namespace's device
 * (left_ns), is PKTCRAFT_FATE_F_OTHER_NS; its verdict is shown only to
 * @f's see_all.
 *
 * Return: true if the verdict was hidden.
 */
static bool fate_fill(const struct pktcraft_fates *f, const struct fate_slot *s,
		      struct fate_devs *c, struct pktcraft_fate *out)
{
	bool other_ns = false;
	const char *name;

	memset(out, 0, sizeof(*out));
	out->fate = s->fate;
	out->flags = s->flags;
	out->xmit_ns = s->xmit_ns;
	out->end_ns = s->end_ns;
	if (s->rx_ifindex) {	/* received: the device that received it */
		/*
		 * Not the device it ended on: once received, skb->dev may be
		 * something else (UDP's dev_scratch, a fragment queue's
		 * rbnode), never to be shown. A drop is the opener's only
		 * where that address is a device of its own, there since the
		 * hand-over, or no device at all (TCP's NULL): else it may
		 * have ended in another namespace without a receive there,
		 * forwarded into a veth whose peer's XDP dropped it, or out of
		 * a macvlan whose lower's egress hook did, before
		 * fate_probe_queue() saw it, that namespace perhaps already
		 * off the list of namespaces, being dismantled. A drop at a
		 * socket after UDP's dev_scratch is hidden too: the safe side.
		 */
		other_ns = s->rx_other_ns ||
			   (s->route_dev &&
			    (!fate_dev_ours(f, s->route_dev, &c->route) ||
			     fate_gone(s, s->route_dev))) ||
			   (s->fate == PKTCRAFT_FATE_DROPPED && s->dev &&
			    (!fate_dev_ours(f, s->dev, &c->dev) ||
			     fate_gone(s, s->dev)));
		if (!s->rx_other_ns || f->see_all) {
			out->ifindex = s->rx_ifindex;
			strscpy(out->dev, s->rx_name, sizeof(out->dev));
		}
	} else if (s->dev || s->route_dev) {
		/*
		 * The device it ended on, if it is ours, and its route's
		 * (fate_route_dev()), which must be ours too.
		 */
		other_ns = (s->dev && (!fate_dev_ours(f, s->dev, &c->dev) ||
				       fate_gone(s, s->dev))) ||
			   (s->route_dev &&
			    (!fate_dev_ours(f, s->route_dev, &c->route) ||
			     fate_gone(s, s->route_dev)));
		if (!other_ns && s->dev) {
			out->ifindex = c->dev.ifindex;
			strscpy(out->dev, c->dev.name, sizeof(out->dev));
		}
	} else if (s->fate == PKTCRAFT_FATE_DROPPED) {
		other_ns = true;	/* nowhere known: not the opener's to see */
	}
	other_ns |= READ_ONCE(s->left_ns);
	if (other_ns)
		out->flags |= PKTCRAFT_FATE_F_OTHER_NS;
	if (s->fate != PKTCRAFT_FATE_DROPPED)
		return false;
	if (other_ns && !f->see_all)
		return true;
	out->reason = s->reason;
	name = fate_reason_name(s->reason);
	if (name)
		strscpy(out->reason_name, name, sizeof(out->reason_name));
	else
		snprintf(out->reason_name, sizeof(out->reason_name),
			 "REASON_%#x", s->reason);
	strscpy(out->where, s->where, sizeof(out->where));
	return false;
}

/* Counts slot @s's fate; a drop by reason, in the file's column as @hidden. */
static void fate_count(struct pktcraft_ctrs *ctrs, const struct fate_slot *s,
		       bool hidden)
{
	static const int idx[] = {
		[PKTCRAFT_FATE_PENDING] = PKTCRAFT_C_FATE_PENDING,
		[PKTCRAFT_FATE_SENT] = PKTCRAFT_C_FATE_SENT,
		[PKTCRAFT_FATE_DELIVERED] = PKTCRAFT_C_FATE_DELIVERED,
		[PKTCRAFT_FATE_DROPPED] = PKTCRAFT_C_FATE_DROPPED,
	};
	u32 slot;

	if (s->fate == PKTCRAFT_FATE_UNTRACKED)
		return;
	pktcraft_stats_inc(ctrs, idx[s->fate]);
	if (s->fate != PKTCRAFT_FATE_DROPPED)
		return;
	slot = fate_reason_name(s->reason) ? s->reason : SKB_DROP_REASON_MAX;
	pktcraft_stats_drop(ctrs, hidden ? PKTCRAFT_DROP_OTHER_NS : slot, slot);
}

/*
 * Unhashes the slots still pending after the wait, FATE_UNHASH_BATCH at a
 * time: fate_lock is taken with interrupts off, and a request may hold
 * 65536 slots.
 */
#define FATE_UNHASH_BATCH	64

static void fate_unhash_rest(struct pktcraft_fates *f)
{
	unsigned long flags;
	u32 i, j, end;

	for (i = 0; i < f->used; i = end) {
		end = min_t(u32, i + FATE_UNHASH_BATCH, f->used);
		raw_spin_lock_irqsave(&fate_lock, flags);
		for (j = i; j < end; j++)
			if (f->slot[j].skb && !hlist_unhashed(&f->slot[j].node))
				hash_del_rcu(&f->slot[j].node);
		raw_spin_unlock_irqrestore(&fate_lock, flags);
		cond_resched();
	}
}

/**
 * __pktcraft_fates_finish - wait for the fates, report them, free @f
 * @f: from pktcraft_fates_start(), not NULL (pktcraft_fates_finish() in
 *   pktcraft.h: nothing for NULL, so that these locals are zeroed by
 *   CONFIG_INIT_STACK_ALL_ZERO only for a request that tracks fates)
 * @ctrs: the file's counters
 *
 * Waits until every packet handed over has ended, at most fate_ms (a
 * signal ends the wait early: the rest stay pending), then writes the
 * caller's array. Packets never handed over read fate UNTRACKED, xmit_ns 0.
 */
noinline void __pktcraft_fates_finish(struct pktcraft_fates *f,
				      struct pktcraft_ctrs *ctrs)
{
	struct pktcraft_fate __user *ufates;
	struct fate_devs devs = {};
	struct pktcraft_fate out;
	u32 i;

	ufates = f->ufates;
	if (f->ms) {
		/* The burst is over: drop the hold, then wait for the rest. */
		if (!atomic_dec_and_test(&f->pending))
			wait_for_completion_interruptible_timeout(&f->done,
								  msecs_to_jiffies(f->ms));
		if (atomic_read(&f->pending))	/* else every slot is unhashed */
			fate_unhash_rest(f);
		/* No probe is still looking at, or writing, a slot. */
		if (f->used)
			synchronize_rcu();
		fate_put();
		fate_unreserve(f->count, f->share);
	}
	for (i = 0; i < f->used; i++) {
		/* up to 65536 slots, each maybe a walk of the opener's devices */
		cond_resched();
		fate_count(ctrs, &f->slot[i], fate_fill(f, &f->slot[i], &devs, &out));
		/* Cleared before the send; a concurrent munmap() loses it. */
		if (ufates && copy_to_user(&ufates[i], &out, sizeof(out)))
			ufates = NULL;
	}
	kvfree(f);
}
EXPORT_SYMBOL_IF_KUNIT(__pktcraft_fates_finish);

/**
 * __pktcraft_fates_egress - note the device the request holds
 * @f: from pktcraft_fates_start(), not NULL (pktcraft_fates_egress() in
 *   pktcraft.h: nothing for NULL)
 * @dev: the egress device, held
 *
 * pktcraft_fates_finish() runs once the device is let go, when its address
 * may be another device's: its ifindex tells them apart.
 */
void __pktcraft_fates_egress(struct pktcraft_fates *f,
			     const struct net_device *dev)
{
	f->egress = dev;
	f->egress_ifindex = dev->ifindex;
}

/* Finds the tracepoints; a kernel without them refuses fate requests. */
void pktcraft_fate_init(void)
{
	for_each_kernel_tracepoint(fate_find_tp, NULL);
	if (!tp_kfree_skb || !tp_consume_skb || !tp_receive || !tp_queue)
		pr_warn("no kfree_skb, consume_skb, netif_receive_skb or net_dev_queue tracepoint: fates unavailable\n");
}

/* No request is running (the files hold the module): the probes go. */
void pktcraft_fate_exit(void)
{
	cancel_delayed_work_sync(&fate_linger);
	if (fate_registered)
		fate_unregister();
	tracepoint_synchronize_unregister();
}
