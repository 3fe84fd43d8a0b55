/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels pktcraft builds against, in one place, in
 * the manner of WireGuard's compat.h: the rest of the module is written for
 * the newest kernel (Debian 12's 6.12), and each shim here gives an older
 * kernel what the module uses, keyed on LINUX_VERSION_CODE or on a macro the
 * preprocessor can test. Debian's headers carry the real stable sublevel:
 * ABI 6.1.0-47 is 6.1.170, 6.1.0-53 is 6.1.187, 6.1.0-57 is 6.1.192.
 *
 * tests/static/abi-matrix builds the module with -Werror against every
 * kernel headers ABI Debian 12 offers for amd64: linux-headers-6.1.0-N-amd64
 * (bookworm and bookworm-security) and linux-headers-6.12.N+deb12-amd64 with
 * its -rt and -cloud flavours. A difference goes here when one of them needs
 * it; none needs a shim today, because the module spells each of these
 * differences the way every one of those kernels accepts:
 *
 *  - IPTOS_RT_MASK is gone in 6.12: a route lookup's TOS is the dsfield
 *    masked with INET_DSCP_MASK (<net/inet_dscp.h>, 5.16 on), as 6.12's own
 *    ip_sock_rt_tos() does; a 6.1 lookup keeps IPTOS_RT_MASK's bits of it.
 *  - dev->reg_state is a bit-field up to 6.1.187 (ABIs 6.1.0-47 ... -53) and
 *    a u8 after: READ_ONCE() of it does not build there, so the module does
 *    not read it (a device is still registered in a namespace while
 *    dev_get_by_index_rcu() finds it there).
 *  - netdev_get_by_index() (a tracked lookup) is 6.5 on, sk_skb_reason_drop()
 *    6.11 on, and prandom_u32_max() is gone in 6.12: the module uses
 *    dev_get_by_index_rcu() + netdev_hold() and get_random_u32_below(),
 *    which every one of them has (6.1.0-47 included).
 */
#ifndef _PKTCRAFT_COMPAT_H
#define _PKTCRAFT_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "pktcraft requires Linux 6.1 or newer"
#endif

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/netdevice.h>

/* get_unaligned() and friends: <linux/unaligned.h> from 6.12 on. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#include <asm/unaligned.h>
#else
#include <linux/unaligned.h>
#endif

/*
 * page_frag_cache_drain(): 6.9 on; before, the callers open-code it (as
 * 6.1's own drivers do) with __page_frag_cache_drain().
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 9, 0)
static inline void pktcraft_page_frag_cache_drain(struct page_frag_cache *nc)
{
	if (nc->va)
		__page_frag_cache_drain(virt_to_head_page(nc->va),
					nc->pagecnt_bias);
	nc->va = NULL;
}
#else
#define pktcraft_page_frag_cache_drain page_frag_cache_drain
#endif

/*
 * The skb tracepoints' prototypes (fate.c), which a probe must match
 * exactly (kCFI checks the call): 6.3 gave consume_skb its caller
 * (dd1b527831a3), 6.11 gave kfree_skb the receiving socket (c53795d48ee8).
 */
struct sk_buff;
struct sock;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define PKTCRAFT_TP_KFREE_SKB_ARGS \
	void *data, struct sk_buff *skb, void *location, \
	enum skb_drop_reason reason, struct sock *rx_sk
#else
#define PKTCRAFT_TP_KFREE_SKB_ARGS \
	void *data, struct sk_buff *skb, void *location, \
	enum skb_drop_reason reason
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define PKTCRAFT_TP_CONSUME_SKB_ARGS \
	void *data, struct sk_buff *skb, void *location
#else
#define PKTCRAFT_TP_CONSUME_SKB_ARGS \
	void *data, struct sk_buff *skb
#endif

/*
 * Does @dev have an egress hook that dev_queue_xmit() runs before the
 * qdisc: netfilter's (nft netdev egress), or, unless @nf_only (what
 * dev_direct_xmit()'s callers run: inject.c), tc's (clsact's mini-Qdisc
 * before 6.6, tcx from 6.6 on)?
 */
static inline bool pktcraft_dev_egress_hooked(const struct net_device *dev,
					      bool nf_only)
{
	bool hooked = false;

#ifdef CONFIG_NETFILTER_EGRESS
	hooked |= !!rcu_access_pointer(dev->nf_hooks_egress);
#endif
	if (nf_only)
		return hooked;
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
#ifdef CONFIG_NET_CLS_ACT
	hooked |= !!rcu_access_pointer(dev->miniq_egress);
#endif
#elif defined(CONFIG_NET_XGRESS)
	hooked |= !!rcu_access_pointer(dev->tcx_egress);
#endif
	return hooked;
}

#endif /* _PKTCRAFT_COMPAT_H */
