// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing the egress device, the link-layer destination and the source
 * address, for IPv4 and IPv6, always inside the network namespace of the
 * opener.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/sched/signal.h>
#include <net/addrconf.h>
#include <net/arp.h>
#include <net/inet_dscp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ndisc.h>
#include <net/route.h>
#include <net/neighbour.h>
#include "pktcraft.h"
#include "trace.h"

/* Sleep between looks at a neighbour being resolved. */
#define PKTCRAFT_NEIGH_POLL_MS	10

static int hold_dev(struct net *net, int ifindex, struct pktcraft_egress *eg)
{
	struct net_device *dev;

	/*
	 * A device is freed after a grace period, which (RCU's flavours are
	 * one since 4.20) waits for a section with preemption off as for
	 * rcu_read_lock()'s. Under PREEMPT_RCU (Debian's PREEMPT_DYNAMIC)
	 * rcu_read_lock() and rcu_read_unlock() are two calls, on every
	 * single packet; rcu_read_lock_sched() an increment, and its unlock
	 * a decrement and a branch. So in txq_noqueue() (burst.c). Not for
	 * PREEMPT_RT with NET_DEV_REFCNT_TRACKER, whose netdev_hold() takes
	 * a sleeping lock; no Debian kernel has both.
	 */
	rcu_read_lock_sched();
	dev = dev_get_by_index_rcu(net, ifindex);
	if (dev)
		netdev_hold(dev, &eg->dev_tracker, GFP_ATOMIC);
	rcu_read_unlock_sched();
	if (!dev)
		return -ENODEV;
	eg->dev = dev;
	return 0;
}

/*
 * The link layers pktcraft builds: Ethernet (6-byte addresses, the device's
 * own header_ops write the header: plain Ethernet, VLAN, macvlan, ...) and
 * none at all (no header_ops->create: tun, ipip, sit, wireguard, gre/ip6gre
 * with a remote end).
 * Any other link header (InfiniBand, gre/ip6gre without a remote end, whose
 * header_ops take 4- or 16-byte addresses) is refused with -EOPNOTSUPP.
 */
static int link_kind(const struct net_device *dev, enum pktcraft_link *link)
{
	/*
	 * As AF_PACKET's dev_has_header(): ipip, sit, wireguard and tun have
	 * header_ops (ip_tunnel_header_ops: .parse_protocol) but no .create.
	 */
	if (!dev->header_ops || !dev->header_ops->create) {
		*link = PKTCRAFT_LINK_NONE;
		return 0;
	}
	if ((dev->type == ARPHRD_ETHER || dev->type == ARPHRD_LOOPBACK) &&
	    dev->addr_len == ETH_ALEN) {
		*link = PKTCRAFT_LINK_ETH;
		return 0;
	}
	return -EOPNOTSUPP;
}

/**
 * pktcraft_dev_reenters_ip - may @dev hand what it is given to IP's output?
 * @dev: an egress device
 *
 * A VRF (l3mdev: vrf_process_v4_outbound()), an ipvlan or ipvtap (L3
 * modes: ipvlan_process_v4_outbound()), an xfrm or vti interface
 * (dst_output() through xfrm): their transmit sends the packet on through
 * the stack's output, route lookup, netfilter and xfrm included, which
 * trusts an IPv4 header's lengths as PKTCRAFT_INJECT_IP does
 * (pktcraft_ip4_lengths_sane(): xfrm4_transport_output() pulls the IHL's
 * bytes). ipvlan's L2 mode would not, but its mode is private to it. So
 * may a device that passes packets to others chosen after this check: a
 * bond's or team's port or an Open vSwitch datapath (an xfrm interface can
 * be one), or an egress hook (nft's fwd, tc's redirect to a VRF).
 */
bool pktcraft_dev_reenters_ip(const struct net_device *dev)
{
	static const char * const kinds[] = {
		"ipvlan", "ipvtap", "xfrm", "vti", "vti6",
	};
	const char *kind;
	unsigned int i;

	if (netif_is_l3_master(dev) || netif_is_bond_master(dev) ||
	    netif_is_team_master(dev) || netif_is_ovs_master(dev) ||
	    pktcraft_dev_egress_hooked(dev, false))
		return true;
	kind = dev->rtnl_link_ops ? dev->rtnl_link_ops->kind : NULL;
	for (i = 0; kind && i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(kind, kinds[i]))
			return true;
	return false;
}

/*
 * The request's source address, where routing may take it into account:
 * ip_route_output_key() refuses a non-unicast source and wants a local one
 * for multicast and broadcast destinations without an output device.
 */
static __be32 flow_saddr(const struct pktcraft_req *req)
{
	__be32 saddr = (__force __be32)req->ip_saddr;
	__be32 daddr = (__force __be32)req->ip_daddr;

	if (ipv4_is_multicast(saddr) || ipv4_is_lbcast(saddr) ||
	    ipv4_is_zeronet(saddr))
		return 0;
	if (!req->ifindex && (ipv4_is_multicast(daddr) ||
			      ipv4_is_lbcast(daddr)))
		return 0;
	return saddr;
}

static u8 flow_proto(const struct pktcraft_req *req)
{
	switch (req->l4) {
	case PKTCRAFT_L4_TCP:
		return IPPROTO_TCP;
	case PKTCRAFT_L4_UDP:
		return IPPROTO_UDP;
	case PKTCRAFT_L4_ICMP:
		return req->family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	default:
		return req->ip_protocol;
	}
}

/*
 * Longest we wait for a neighbour: what it probes after the first
 * neigh_event_send() (a new entry starts its count at ucast_probes, so the
 * multicast and application probes are what is left), plus a second.
 */
static unsigned long neigh_budget(const struct neighbour *neigh)
{
	struct neigh_parms *p = neigh->parms;
	unsigned long probes = NEIGH_VAR(p, APP_PROBES) +
			       NEIGH_VAR(p, MCAST_PROBES);

	return min_t(unsigned long, probes * NEIGH_VAR(p, RETRANS_TIME),
		     30 * HZ) + HZ;
}

/*
 * Does @dev have a link-local IPv6 address to solicit from? The neighbour
 * timer's solicitations come from one (ipv6_get_lladdr()) unless a queued
 * packet gives its own source, and a resolution started without a packet,
 * as ours is, sends none at all from a device without one.
 */
static bool dev_has_lladdr(struct net_device *dev)
{
	const struct inet6_ifaddr *ifp;
	struct inet6_dev *idev;
	bool found = false;

	rcu_read_lock();
	idev = __in6_dev_get(dev);
	if (idev) {
		read_lock_bh(&idev->lock);
		list_for_each_entry(ifp, &idev->addr_list, if_list) {
			if (ifp->scope == IFA_LINK &&
			    !(ifp->flags & (IFA_F_TENTATIVE | IFA_F_OPTIMISTIC))) {
				found = true;
				break;
			}
		}
		read_unlock_bh(&idev->lock);
	}
	rcu_read_unlock();
	return found;
}

/*
 * A solicitation from @saddr, as the neighbour timer sends one for a
 * queued packet with that source: ndisc_solicit() only reads the IPv6
 * header of the packet it is given (and falls back to a link-local source
 * if @saddr is not one of ours). Only while @dev is up in @net, checked in
 * the RCU section it is sent in (resolve_neigh()).
 */
static void solicit_from(struct neighbour *neigh, const struct in6_addr *saddr,
			 struct net *net, const struct net_device *dev)
{
	struct sk_buff *skb;

	if (!neigh->ops->solicit)
		return;
	skb = alloc_skb(sizeof(struct ipv6hdr), GFP_KERNEL);
	if (!skb)
		return;
	skb_reset_network_header(skb);
	skb_put_zero(skb, sizeof(struct ipv6hdr));
	ipv6_hdr(skb)->saddr = *saddr;
	rcu_read_lock();
	if (!pktcraft_dev_check_rcu(net, dev))
		neigh->ops->solicit(neigh, skb);	/* GFP_ATOMIC */
	rcu_read_unlock();
	consume_skb(skb);
}

/*
 * Wait for @neigh, which neigh_event_send() is probing, to become valid:
 * interruptibly, at most its probe budget, watching the state (calling
 * neigh_event_send() again would restart a FAILED entry). With @ns_saddr
 * (IPv6, a device without a link-local address), we also solicit from it
 * every retransmission interval, as the stack would from the packet it
 * queued. The device is watched meanwhile: set down, deleted or moved, it
 * takes its neighbour entries with it, and the wait ends at once with the
 * device's errno (as a burst's would), not the neighbour's.
 */
static int neigh_wait(struct neighbour *neigh, struct net *net,
		      struct net_device *dev, const struct in6_addr *ns_saddr)
{
	unsigned long poll = msecs_to_jiffies(PKTCRAFT_NEIGH_POLL_MS);
	unsigned long deadline = jiffies + neigh_budget(neigh);
	unsigned long next_ns = jiffies;
	struct pktcraft_watch w;
	int err;
	u8 state;

	err = pktcraft_watch_start(&w, net, dev);
	while (!err) {
		/* the device's event first: it comes before the flush */
		err = READ_ONCE(w.event);
		if (err)
			break;
		state = READ_ONCE(neigh->nud_state);
		if (state & NUD_VALID)
			break;
		if (!(state & NUD_INCOMPLETE) || time_after(jiffies, deadline)) {
			err = -EHOSTDOWN;
			break;
		}
		if (ns_saddr && time_after_eq(jiffies, next_ns)) {
			solicit_from(neigh, ns_saddr, net, dev);
			next_ns = jiffies + NEIGH_VAR(neigh->parms, RETRANS_TIME);
		}
		schedule_timeout_interruptible(poll);
		if (signal_pending(current))
			err = -EINTR;
	}
	pktcraft_watch_stop(&w);
	if (err == -ENETDOWN)	/* or deleted, or moved? */
		err = pktcraft_dev_settle(net, dev) == -ENODEV ? -ENODEV : err;
	return err;
}

/*
 * Link address of @key (an IPv4 or IPv6 next hop) in @tbl. An unknown
 * neighbour is resolved the way the kernel's own stack does it: one
 * neigh_event_send() starts the probes (ARP requests, neighbour
 * solicitations); then, with @wait_net (the opener's namespace), we wait
 * for the answer (neigh_wait()); without, an unresolved neighbour is
 * -EHOSTDOWN at once. *@nud: the entry's state when we stopped looking.
 *
 * The entry is made, and its probes started, only while @dev is up in
 * @wait_net, checked in the same RCU section (as pktcraft_egress_refresh(),
 * whose caller holds one, does without @wait_net): a move to another
 * namespace flushes the device's entries, unlists it and waits for readers
 * before it is in the other one, so that no entry is made there, nor a
 * probe sent, for the opener. Nothing in that section sleeps: entries are
 * allocated GFP_ATOMIC, and probes sent as from the neighbour timer.
 */
static int resolve_neigh(struct neigh_table *tbl, struct net_device *dev,
			 const void *key, u8 *mac, u8 *nud,
			 struct net *wait_net, const struct in6_addr *ns_saddr)
{
	struct neighbour *neigh = NULL;
	bool probing = false;
	int err;

	rcu_read_lock();	/* nested in pktcraft_egress_refresh()'s */
	err = wait_net ? pktcraft_dev_check_rcu(wait_net, dev) : 0;
	if (!err) {
		neigh = __neigh_lookup(tbl, key, dev, 1);
		probing = !IS_ERR_OR_NULL(neigh) &&
			  neigh_event_send(neigh, NULL);
	}
	rcu_read_unlock();
	if (err)
		return err;
	if (IS_ERR_OR_NULL(neigh)) {
		err = neigh ? PTR_ERR(neigh) : -ENOBUFS;
		/* no entry for a device being deleted: -EINVAL, say why */
		if (wait_net)
			err = pktcraft_dev_check(wait_net, dev) ?: err;
		return err;
	}
	if (probing)
		err = wait_net ? neigh_wait(neigh, wait_net, dev, ns_saddr) :
				 -EHOSTDOWN;
	*nud = READ_ONCE(neigh->nud_state);
	if (!err)
		neigh_ha_snapshot(mac, neigh, dev);
	neigh_release(neigh);
	return err;
}

/*
 * Link address of the IPv4 @nexthop: loopback, broadcast and multicast are
 * mapped (*@nud NUD_NOARP), anything else resolved through ARP.
 */
static int resolve_mac(struct net_device *dev, __be32 nexthop, u8 *mac,
		       u8 *nud, struct net *wait_net)
{
	*nud = NUD_NOARP;
	if (dev->flags & IFF_LOOPBACK) {
		eth_zero_addr(mac);
		return 0;
	}
	if (ipv4_is_lbcast(nexthop)) {
		memcpy(mac, dev->broadcast, dev->addr_len);
		return 0;
	}
	if (ipv4_is_multicast(nexthop)) {
		ip_eth_mc_map(nexthop, mac);	/* link_kind(): Ethernet */
		return 0;
	}
	return resolve_neigh(&arp_tbl, dev, &nexthop, mac, nud, wait_net, NULL);
}

/*
 * The same for the IPv6 @nexthop: multicast to 33:33:xx, else NDISC, which
 * solicits from @saddr (when not ::) on a device without a link-local
 * address.
 */
static int resolve_mac6(struct net_device *dev, const struct in6_addr *nexthop,
			u8 *mac, u8 *nud, struct net *wait_net,
			const struct in6_addr *saddr)
{
	*nud = NUD_NOARP;
	if (dev->flags & IFF_LOOPBACK) {
		eth_zero_addr(mac);
		return 0;
	}
	if (ipv6_addr_is_multicast(nexthop)) {
		ipv6_eth_mc_map(nexthop, mac);	/* link_kind(): Ethernet */
		return 0;
	}
	if (!wait_net || ipv6_addr_any(saddr) || dev_has_lladdr(dev))
		saddr = NULL;
	return resolve_neigh(&nd_tbl, dev, nexthop, mac, nud, wait_net, saddr);
}

/* The device given by ifindex: held, up, with a link layer we can build. */
static __always_inline int given_dev(struct net *net, int ifindex,
				     struct pktcraft_egress *eg)
{
	int err = hold_dev(net, ifindex, eg);

	if (err)
		return err;
	if (!(eg->dev->flags & IFF_UP))
		return -ENETDOWN;
	return link_kind(eg->dev, &eg->link);
}

/*
 * The link destination: given, or resolved for the next hop (which stays
 * in @eg only then, for pktcraft_egress_refresh()).
 */
static __always_inline int link_dest(struct net *net,
				     const struct pktcraft_req *req,
				     struct pktcraft_egress *eg)
{
	bool need_mac = is_zero_ether_addr(req->dst_mac);
	int err;

	/* An IP injection's link header is the neighbour layer's. */
	if (req->inject == PKTCRAFT_INJECT_IP)
		eg->link = PKTCRAFT_LINK_NONE;
	/* A received packet is for this host unless it says otherwise. */
	if (req->inject == PKTCRAFT_INJECT_RX && need_mac &&
	    eg->link == PKTCRAFT_LINK_ETH) {
		eg->nexthop = 0;
		eg->nexthop6 = in6addr_any;
		memcpy(eg->dst_mac, eg->dev->dev_addr, ETH_ALEN);
		return 0;
	}
	if (eg->link == PKTCRAFT_LINK_NONE || !need_mac) {
		eg->nexthop = 0;
		eg->nexthop6 = in6addr_any;
	}
	if (eg->link == PKTCRAFT_LINK_NONE)
		return need_mac && is_zero_ether_addr(req->src_mac) ? 0 : -EINVAL;
	if (!need_mac) {
		memcpy(eg->dst_mac, req->dst_mac, ETH_ALEN);
		return 0;
	}
	if (eg->ipv6)
		err = resolve_mac6(eg->dev, &eg->nexthop6, eg->dst_mac,
				   &eg->nud, net,
				   ipv6_addr_any(&eg->saddr6) ?
				   (const struct in6_addr *)req->ip6_saddr :
				   &eg->saddr6);
	else
		err = resolve_mac(eg->dev, eg->nexthop, eg->dst_mac, &eg->nud,
				  net);
	if (!err)
		eg->resolved = true;
	return err;
}

/*
 * The request's IPv6 source, where routing may take it into account: a
 * unicast one; the kernel picks for ::, multicast and a link-local one on
 * a lookup without an output device.
 */
static struct in6_addr flow_saddr6(const struct pktcraft_req *req)
{
	const struct in6_addr *saddr = (const struct in6_addr *)req->ip6_saddr;
	int type = ipv6_addr_type(saddr);

	if (type & (IPV6_ADDR_ANY | IPV6_ADDR_MULTICAST) ||
	    (!req->ifindex && type & IPV6_ADDR_LINKLOCAL))
		return in6addr_any;
	return *saddr;
}

/*
 * The IPv6 route for @req, as the opener: with an ifindex, restricted to
 * that device (RT6_LOOKUP_F_IFACE, as a socket bound to it), and a device
 * without a route to the destination takes it as on link (as IPv4's
 * lookup does with an output device). Sets the device if not given, the
 * next hop and, when @pick_src, the source: the route's preferred source,
 * else ipv6_dev_get_saddr()'s choice for its device, as a socket's
 * ip6_route_get_saddr().
 */
static int route6(const struct pktcraft_file *pf, const struct pktcraft_req *req,
		  struct pktcraft_egress *eg, bool pick_src)
{
	const struct in6_addr *daddr = (const struct in6_addr *)req->ip6_daddr;
	struct fib6_info *from;
	struct dst_entry *dst;
	struct flowi6 fl6;
	int err;

	memset(&fl6, 0, sizeof(fl6));
	fl6.flowi6_oif = req->ifindex;
	fl6.flowi6_proto = flow_proto(req);
	fl6.flowi6_uid = pf->uid;
	fl6.daddr = *daddr;
	fl6.saddr = flow_saddr6(req);
	fl6.flowlabel = ip6_make_flowinfo(req->ip_tos, htonl(req->ip6_flowlabel));
	fl6.fl6_sport = htons(req->sport);
	fl6.fl6_dport = htons(req->dport);
	dst = ip6_route_output_flags(pf->net, NULL, &fl6,
				     req->ifindex ? RT6_LOOKUP_F_IFACE : 0);
	err = dst->error;
	if (err) {
		dst_release(dst);
		if (err == -ENETUNREACH && eg->dev)
			return 0;	/* on link: the caller picks the source */
		/* a "throw" route's -EAGAIN means no route here */
		return err == -EAGAIN ? -ENETUNREACH : err;
	}
	if (!eg->dev) {
		eg->dev = dst->dev;
		netdev_hold(eg->dev, &eg->dev_tracker, GFP_KERNEL);
		err = link_kind(eg->dev, &eg->link);
	}
	if (!err && dst->dev == eg->dev)
		eg->nexthop6 = *rt6_nexthop((struct rt6_info *)dst, daddr);
	if (!err && pick_src) {
		rcu_read_lock();
		from = rcu_dereference(((struct rt6_info *)dst)->from);
		err = ip6_route_get_saddr(pf->net, from, daddr, 0, 0,
					  &eg->saddr6) ? -EADDRNOTAVAIL : 1;
		rcu_read_unlock();
	}
	dst_release(dst);
	return err;
}

/*
 * IPv6: as pktcraft_egress_get(), with ip6_route_output_flags() and the
 * neighbour discovery table; a link-local or link-scope multicast
 * destination needs the interface (-EINVAL without one, as a socket
 * without a scope id). A source left to the kernel is the route's (see
 * route6()), or ipv6_dev_get_saddr()'s choice for a device given without a
 * lookup (-EADDRNOTAVAIL if it has none that fits).
 */
static int egress_get6(const struct pktcraft_file *pf,
		       const struct pktcraft_req *req,
		       struct pktcraft_egress *eg)
{
	const struct in6_addr *daddr = (const struct in6_addr *)req->ip6_daddr;
	bool need_mac = is_zero_ether_addr(req->dst_mac);
	bool pick_src = ipv6_addr_any((const struct in6_addr *)req->ip6_saddr) &&
			!(req->flags & PKTCRAFT_F_IP_SADDR);
	int err = 0;

	eg->ipv6 = true;
	eg->nexthop6 = *daddr;
	if (!req->ifindex &&
	    __ipv6_addr_needs_scope_id(ipv6_addr_type(daddr)))
		return -EINVAL;
	if (req->ifindex) {
		err = given_dev(pf->net, req->ifindex, eg);
		if (err)
			return err;
	}
	if (!req->ifindex || (need_mac && eg->link == PKTCRAFT_LINK_ETH)) {
		err = route6(pf, req, eg, pick_src);
		if (err < 0)
			return err;
	}
	if (pick_src && err != 1 &&	/* 1: the route gave it */
	    ipv6_dev_get_saddr(pf->net, eg->dev, daddr, 0, &eg->saddr6))
		return -EADDRNOTAVAIL;
	return link_dest(pf->net, req, eg);
}

/**
 * pktcraft_egress_get - resolve where a request leaves
 * @pf: the open file: its namespace and the opener's uid
 * @req: validated request
 * @eg: result; holds a device reference on success
 *
 * With an ifindex the device is used as given, otherwise the route to the
 * destination picks it. The route is looked up as the opener (uid), for
 * the request's source address (spoofed ones too: IPv4's FLOWI_FLAG_ANYSRC;
 * an IPv6 lookup does not check the source), TOS or traffic class and flow
 * label, protocol and ports, so policy routing applies; no mark, no xfrm, no
 * lwtunnel (as with AF_PACKET). A destination MAC is used as given,
 * otherwise the route's next hop is resolved through the neighbour table
 * (ARP, or neighbour discovery for IPv6: egress_get6()).
 *
 * Return: 0, -ENODEV (no such ifindex in this namespace), -ENETDOWN (that
 * device is down), -EOPNOTSUPP (a link layer pktcraft cannot build),
 * -EINVAL (link addresses given for a device without a link layer; an
 * IPv6 link-local destination without an ifindex), a route lookup error
 * (-ENETUNREACH, -EHOSTUNREACH, -EACCES for a prohibit route, -EINVAL for
 * a blackhole), -EADDRNOTAVAIL (IPv6: no source
 * address to choose), -EHOSTDOWN (the neighbour did not answer), -EINTR
 * (signal while resolving); -ENETDOWN or -ENODEV if the device was set
 * down, or deleted or moved, while the neighbour was being resolved.
 */
int pktcraft_egress_get(const struct pktcraft_file *pf,
			const struct pktcraft_req *req,
			struct pktcraft_egress *eg)
{
	__be32 daddr = (__force __be32)req->ip_daddr;
	bool need_mac = is_zero_ether_addr(req->dst_mac);
	int err;

	memset(eg, 0, sizeof(*eg));
	if (req->family == AF_INET6) {
		err = egress_get6(pf, req, eg);
		if (err)
			goto err_put;
		goto out;
	}
	eg->nexthop = daddr;
	if (req->ifindex) {
		err = given_dev(pf->net, req->ifindex, eg);
		if (err)
			goto err_put;
		/* The kernel's pick only where the request leaves it open. */
		eg->saddr = pktcraft_req_own_saddr(req) ?
			    (__force __be32)req->ip_saddr :
			    inet_select_addr(eg->dev, daddr, RT_SCOPE_UNIVERSE);
	}

	if (!req->ifindex || (need_mac && eg->link == PKTCRAFT_LINK_ETH)) {
		/* Here, not above: zeroed on entry only when a route is needed. */
		struct flowi4 fl4;
		struct rtable *rt;

		flowi4_init_output(&fl4, req->ifindex, 0,
				   req->ip_tos & INET_DSCP_MASK,
				   RT_SCOPE_UNIVERSE, flow_proto(req),
				   FLOWI_FLAG_ANYSRC, daddr, flow_saddr(req),
				   htons(req->dport), htons(req->sport),
				   pf->uid);
		rt = ip_route_output_key(pf->net, &fl4);
		if (IS_ERR(rt)) {
			err = PTR_ERR(rt);
			goto err_put;
		}
		if (!eg->dev) {
			eg->dev = rt->dst.dev;
			netdev_hold(eg->dev, &eg->dev_tracker, GFP_KERNEL);
			eg->saddr = fl4.saddr;
			err = link_kind(eg->dev, &eg->link);
			if (err) {
				ip_rt_put(rt);
				goto err_put;
			}
		}
		if (rt->dst.dev == eg->dev)
			eg->nexthop = rt_nexthop(rt, daddr);
		ip_rt_put(rt);
	}
	err = link_dest(pf->net, req, eg);
	if (err)
		goto err_put;
out:
	if (eg->ipv6)
		trace_pktcraft_egress6(eg->dev, req->ifindex,
				       eg->link == PKTCRAFT_LINK_ETH, eg->nud,
				       &eg->saddr6, &eg->nexthop6, eg->dst_mac);
	else
		trace_pktcraft_egress(eg->dev, req->ifindex,
				      eg->link == PKTCRAFT_LINK_ETH, eg->nud,
				      eg->saddr, eg->nexthop, eg->dst_mac);
	return 0;

err_put:
	pktcraft_egress_put(eg);
	return err;
}

/**
 * pktcraft_egress_refresh - look at a resolved neighbour again
 * @eg: the egress of a running burst
 * @net: the opener's namespace
 *
 * Keeps the neighbour entry in use (probing it when stale, as traffic from
 * the stack would) and picks up a new link address. Only while the device
 * is up in @net, checked in the same RCU section: a move to another
 * namespace unlists the device and waits for readers (synchronize_net())
 * before the device is in the other one, so that no entry is made there,
 * nor a probe sent, for the opener. Nothing in it sleeps without @wait_net.
 *
 * Return: 1 if @eg->dst_mac changed, 0 if not (also when the neighbour is
 * being re-resolved: the old address is used meanwhile, and when the
 * device is not usable: the burst's next check says why).
 */
int pktcraft_egress_refresh(struct pktcraft_egress *eg, struct net *net)
{
	u8 mac[MAX_ADDR_LEN], nud;
	int err;

	if (!eg->resolved)
		return 0;
	rcu_read_lock();
	err = pktcraft_dev_check_rcu(net, eg->dev);
	if (!err && eg->ipv6)
		err = resolve_mac6(eg->dev, &eg->nexthop6, mac, &nud, NULL,
				   &in6addr_any);
	else if (!err)
		err = resolve_mac(eg->dev, eg->nexthop, mac, &nud, NULL);
	rcu_read_unlock();
	if (err)
		return 0;
	if (!memcmp(mac, eg->dst_mac, ETH_ALEN))
		return 0;
	memcpy(eg->dst_mac, mac, ETH_ALEN);
	return 1;
}
