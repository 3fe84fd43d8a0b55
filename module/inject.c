// SPDX-License-Identifier: GPL-2.0
/*
 * Injection points: where a built packet enters the kernel's paths
 * (PKTCRAFT_INJECT_*). The queue (dev_queue_xmit()) is the default; the
 * driver path is AF_PACKET's PACKET_QDISC_BYPASS (packet_direct_xmit()),
 * the IP path raw_send_hdrinc()'s and rawv6_send_hdrinc()'s, the receive
 * path pktgen's netif_receive mode.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/netfilter_netdev.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include "pktcraft.h"

/*
 * The tx queue, as packet_pick_tx_queue() picks it; a device with one queue
 * and no ndo_select_queue() has no other to pick (netdev_core_pick_tx()).
 */
u16 pktcraft_pick_queue(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	const struct net_device_ops *ops = dev->netdev_ops;
	int cpu = raw_smp_processor_id();
	u16 queue;

	if (READ_ONCE(dev->real_num_tx_queues) == 1 && !ops->ndo_select_queue)
		return 0;
#ifdef CONFIG_XPS
	skb->sender_cpu = cpu + 1;
#endif
	skb_record_rx_queue(skb, cpu % dev->real_num_tx_queues);
	if (ops->ndo_select_queue) {
		queue = ops->ndo_select_queue(dev, skb, NULL);
		queue = netdev_cap_txqueue(dev, queue);
	} else {
		queue = netdev_pick_tx(dev, skb, NULL);
	}
	return queue;
}

/*
 * Straight to the driver; NETDEV_TX_BUSY is a drop, as for AF_PACKET, which
 * also runs the device's netfilter egress hook first (nft netdev egress).
 * A packet a rule takes (NF_STOLEN: nft's fwd) is sent, as
 * dev_queue_xmit() has it; AF_PACKET calls it a drop.
 */
static int inject_driver(struct pktcraft_fates *f, u32 i, struct sk_buff *skb)
{
	u16 queue;
	int rc;

	pktcraft_fates_xmit(f, i, skb);
#ifdef CONFIG_NETFILTER_EGRESS
	if (nf_hook_egress_active()) {
		skb = nf_hook_egress(skb, &rc, skb->dev);
		if (!skb)	/* dropped (NET_XMIT_DROP) or taken (SUCCESS) */
			return rc;
	}
#endif
	queue = pktcraft_pick_queue(skb);
	skb_set_queue_mapping(skb, queue);
	rc = dev_direct_xmit(skb, queue);	/* frees it when not complete */
	return rc == NETDEV_TX_BUSY ? NET_XMIT_DROP : rc;
}

/*
 * An IPv6 packet's upper-layer protocol: past the extension headers (AH
 * too), for a non-first fragment the one its fragment header names, as
 * xfrm's decode_session6() reads it (ipv6_skip_exthdr() stops at that
 * header); IPPROTO_RAW where the chain ends (NEXTHDR_NONE) or runs past
 * the packet.
 */
static u8 inject_proto6(const struct sk_buff *skb)
{
	u8 proto = ipv6_hdr(skb)->nexthdr, buf;
	const u8 *next;
	__be16 frag_off;
	int off;

	off = ipv6_skip_exthdr(skb, skb_network_offset(skb) +
			       sizeof(struct ipv6hdr), &proto, &frag_off);
	if (off < 0)
		return IPPROTO_RAW;
	if (proto != NEXTHDR_FRAGMENT)
		return proto;
	next = skb_header_pointer(skb, off, sizeof(buf), &buf);
	return next ? *next : IPPROTO_RAW;
}

/*
 * The route for an IP injection: to the packet's destination, through
 * @ifindex if given, as the opener, with the IPsec policy lookup a socket's
 * packets get; the source is not checked (it is the packet's, spoofed or
 * not, as for IP_HDRINCL). The key has the packet's protocol (IPv6's past
 * its extension headers: inject_proto6()), or where it has none
 * IPPROTO_RAW, an IP_HDRINCL socket's: without one, ip_route_output_flow()
 * skips the IPsec lookup, and a policy for one protocol is missed, so the
 * packet would leave in the clear past the opener's own policy. No ports
 * or ICMP type, as an IP_HDRINCL socket's key has none: a policy that
 * names them is missed.
 */
static struct dst_entry *inject_route(struct net *net, struct sock *sk,
				      kuid_t uid, int ifindex,
				      struct sk_buff *skb)
{
	const struct iphdr *iph;
	struct flowi4 fl4;
	struct rtable *rt;

	if (skb->protocol == htons(ETH_P_IPV6)) {
		struct flowi6 fl6 = {
			.flowi6_oif = ifindex,
			.daddr = ipv6_hdr(skb)->daddr,
			.flowi6_proto = inject_proto6(skb),
			.flowi6_uid = uid,
		};

		return ip6_dst_lookup_flow(net, sk, &fl6, NULL);
	}
	iph = ip_hdr(skb);
	flowi4_init_output(&fl4, ifindex, 0, iph->tos & INET_DSCP_MASK,
			   RT_SCOPE_UNIVERSE, iph->protocol ?: IPPROTO_RAW,
			   FLOWI_FLAG_ANYSRC,
			   iph->daddr, 0, 0, 0, uid);
	rt = ip_route_output_flow(net, &fl4, sk);
	if (IS_ERR(rt))
		return ERR_CAST(rt);
	return &rt->dst;
}

/*
 * As a locally generated packet: LOCAL_OUT, then the route's output
 * (POSTROUTING, the neighbour). Not through ip_local_out(), which would
 * rewrite the total length and the header checksum.
 */
static int inject_ip(struct pktcraft_file *pf, const struct pktcraft_egress *eg,
		     struct pktcraft_fates *f, u32 i, struct sk_buff *skb)
{
	bool ipv6 = skb->protocol == htons(ETH_P_IPV6);
	struct dst_entry *dst;
	int rc;

	/*
	 * Never with the IPv4 socket of an opener refused an IPv6 one (sock.c):
	 * pktcraft_prepare() refused the request, as it must, for the route
	 * lookup and the output would read its ipv6_pinfo (inet6_sk(): NULL).
	 */
	if (WARN_ON_ONCE(ipv6 && pf->sock->sk->sk_family != AF_INET6)) {
		kfree_skb(skb);
		return -EAFNOSUPPORT;
	}
	dst = inject_route(pf->net, skb->sk, pf->uid, eg->ifindex, skb);
	if (IS_ERR(dst)) {
		kfree_skb(skb);
		return PTR_ERR(dst);
	}
	if (skb->len > dst_mtu(dst)) {
		dst_release(dst);
		kfree_skb(skb);
		return -EMSGSIZE;
	}
	skb_dst_set(skb, dst);
	skb->dev = dst->dev;
	skb->priority = READ_ONCE(pf->sock->sk->sk_priority);
	pktcraft_fates_xmit(f, i, skb);
	rc = NF_HOOK(ipv6 ? NFPROTO_IPV6 : NFPROTO_IPV4, NF_INET_LOCAL_OUT,
		     pf->net, skb->sk, skb, NULL, dst->dev, dst_output);
	/* A filter's or a queue's drop is a drop, as on the queue path. */
	if (rc == -EPERM || rc == NET_XMIT_DROP)
		return NET_XMIT_DROP;
	return rc < 0 ? rc : NET_XMIT_SUCCESS;
}

/**
 * pktcraft_rx_allowed - may @pf's opener inject into @dev's receive path?
 * @pf: the open file
 * @dev: the device the packet is to be received on
 *
 * A device whose frames another one takes over (a bridge, bond or macvlan
 * port, a VLAN's lower) may feed devices of a namespace the opener does
 * not own: that takes CAP_NET_ADMIN in the initial one. pktcraft_prepare()
 * asks before anything is sent; inject_rx() again for each packet, as a
 * device may become a port meanwhile.
 */
bool pktcraft_rx_allowed(const struct pktcraft_file *pf,
			 const struct net_device *dev)
{
	return pf->may_share || (!rcu_access_pointer(dev->rx_handler) &&
				 list_empty(&dev->adj_list.upper));
}

/*
 * As received on the device. The skb stops being ours first: the receive
 * path looks sockets up from skb->sk (early demux, TPROXY), and owns what
 * it queues.
 */
static int inject_rx(const struct pktcraft_file *pf,
		     const struct pktcraft_egress *eg, u32 i, struct sk_buff *skb)
{
	/*
	 * A port since pktcraft_prepare() looked: not handed over, counted as
	 * drop_xmit (burst.c), not a kfree_skb drop.
	 */
	if (!pktcraft_rx_allowed(pf, skb->dev)) {
		consume_skb(skb);
		return -EPERM;
	}
	skb_orphan(skb);
	if (eg->link == PKTCRAFT_LINK_ETH)
		skb->protocol = eth_type_trans(skb, skb->dev);
	else		/* a device without a link layer: the bare packet */
		skb->pkt_type = PACKET_HOST;
	skb->ip_summed = CHECKSUM_NONE;	/* the stack verifies them */
	pktcraft_fates_xmit(eg->fates, i, skb);
	return netif_receive_skb(skb) == NET_RX_SUCCESS ? NET_XMIT_SUCCESS :
							  NET_XMIT_DROP;
}

/**
 * pktcraft_inject - hand packet @i over at the request's injection point
 * @pf: the open file
 * @eg: the egress: device, injection point, fates
 * @i: the packet's index in its burst
 * @skb: the packet, link header first (none for PKTCRAFT_INJECT_IP);
 *       consumed on every path
 *
 * Called with BH disabled, in the RCU section that checked the device.
 *
 * Return: NET_XMIT_SUCCESS or NET_XMIT_CN (sent), NET_XMIT_DROP (refused
 * by the qdisc, the driver, netfilter or the receive path), or -errno
 * (the route lookup's, -EMSGSIZE above the route's MTU, the queue's).
 */
int pktcraft_inject(struct pktcraft_file *pf, const struct pktcraft_egress *eg,
		    u32 i, struct sk_buff *skb)
{
	switch (eg->inject) {
	case PKTCRAFT_INJECT_DRIVER:
		return inject_driver(eg->fates, i, skb);
	case PKTCRAFT_INJECT_IP:
		return inject_ip(pf, eg, eg->fates, i, skb);
	case PKTCRAFT_INJECT_RX:
		return inject_rx(pf, eg, i, skb);
	default:
		pktcraft_fates_xmit(eg->fates, i, skb);
		return dev_queue_xmit(skb);
	}
}
