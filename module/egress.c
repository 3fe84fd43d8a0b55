// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing the egress device, the link-layer destination and the source
 * address, always inside the network namespace of the opener.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/inetdevice.h>
#include <net/arp.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/neighbour.h>
#include "pktcraft.h"

static int hold_dev(struct net *net, int ifindex, struct pktcraft_egress *eg)
{
	struct net_device *dev;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, ifindex);
	if (dev)
		netdev_hold(dev, &eg->dev_tracker, GFP_ATOMIC);
	rcu_read_unlock();
	if (!dev)
		return -ENODEV;
	eg->dev = dev;
	return 0;
}

/* Link address of @nexthop; starts resolution if it is not known yet. */
static int resolve_mac(struct net_device *dev, __be32 nexthop, u8 *mac)
{
	struct neighbour *neigh;
	int err = 0;

	if (!dev->header_ops || dev->flags & IFF_LOOPBACK) {
		eth_zero_addr(mac);
		return 0;
	}
	if (ipv4_is_lbcast(nexthop)) {
		memcpy(mac, dev->broadcast, ETH_ALEN);
		return 0;
	}
	if (ipv4_is_multicast(nexthop)) {
		ip_eth_mc_map(nexthop, mac);
		return 0;
	}

	neigh = __neigh_lookup(&arp_tbl, &nexthop, dev, 1);
	if (IS_ERR_OR_NULL(neigh))
		return neigh ? PTR_ERR(neigh) : -ENOBUFS;
	if (neigh_event_send(neigh, NULL))
		err = -EHOSTUNREACH;	/* resolution started or failed */
	else
		neigh_ha_snapshot(mac, neigh, dev);
	neigh_release(neigh);
	return err;
}

/**
 * pktcraft_egress_get - resolve where a request leaves
 * @net: the opener's namespace
 * @req: validated request
 * @eg: result; holds a device reference on success
 *
 * With an ifindex the device is used as given, otherwise the route to the
 * destination picks it. A destination MAC is used as given, otherwise the
 * route's next hop is resolved through the neighbour table.
 *
 * Return: 0, -ENODEV (no such ifindex in this namespace), -ENETDOWN (that
 * device is down), a route lookup
 * error (-ENETUNREACH, -EHOSTUNREACH, -EINVAL), -EHOSTUNREACH (neighbour
 * not resolved; resolution has been triggered).
 */
int pktcraft_egress_get(struct net *net, const struct pktcraft_req *req,
			struct pktcraft_egress *eg)
{
	__be32 daddr = (__force __be32)req->ip_daddr;
	bool need_mac = is_zero_ether_addr(req->dst_mac);
	struct flowi4 fl4 = {
		.daddr = daddr,
		.flowi4_oif = req->ifindex,
	};
	__be32 nexthop = daddr;
	struct rtable *rt;
	int err;

	memset(eg, 0, sizeof(*eg));
	if (req->ifindex) {
		err = hold_dev(net, req->ifindex, eg);
		if (err)
			return err;
		if (!(eg->dev->flags & IFF_UP)) {
			err = -ENETDOWN;
			goto err_put;
		}
		eg->saddr = inet_select_addr(eg->dev, daddr, RT_SCOPE_UNIVERSE);
	}

	if (!req->ifindex || need_mac) {
		rt = ip_route_output_key(net, &fl4);
		if (IS_ERR(rt)) {
			err = PTR_ERR(rt);
			goto err_put;
		}
		if (!eg->dev) {
			eg->dev = rt->dst.dev;
			netdev_hold(eg->dev, &eg->dev_tracker, GFP_KERNEL);
			eg->saddr = fl4.saddr;
		}
		if (rt->dst.dev == eg->dev)
			nexthop = rt_nexthop(rt, daddr);
		ip_rt_put(rt);
	}

	if (need_mac) {
		err = resolve_mac(eg->dev, nexthop, eg->dst_mac);
		if (err)
			goto err_put;
	} else {
		memcpy(eg->dst_mac, req->dst_mac, ETH_ALEN);
	}
	return 0;

err_put:
	pktcraft_egress_put(eg);
	return err;
}

void pktcraft_egress_put(struct pktcraft_egress *eg)
{
	if (eg->dev)
		netdev_put(eg->dev, &eg->dev_tracker);
	eg->dev = NULL;
}
