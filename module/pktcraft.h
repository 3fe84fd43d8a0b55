/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTCRAFT_H
#define _PKTCRAFT_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <kunit/visibility.h>
#include "uapi/linux/pktcraft.h"

/* Sizes derived from a validated request. */
struct pktcraft_layout {
	u16 ip_hlen;		/* real IPv4 header length, options padded */
	u16 l4_hlen;		/* real layer 4 header length, options padded */
	u16 len;		/* real IPv4 packet length */
	u8 protocol;		/* IPv4 protocol number */
};

/* Where a packet leaves: a held device, the link destination, a source. */
struct pktcraft_egress {
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	u8 dst_mac[ETH_ALEN];
	__be32 saddr;		/* source used when the request leaves it 0 */
};

/* request.c */
int pktcraft_req_from_user(struct pktcraft_req *req,
			   const struct pktcraft_req __user *ureq);
int pktcraft_req_check(const struct pktcraft_req *req,
		       struct pktcraft_layout *lay);

/* egress.c */
int pktcraft_egress_get(struct net *net, const struct pktcraft_req *req,
			struct pktcraft_egress *eg);
void pktcraft_egress_put(struct pktcraft_egress *eg);

/* build.c */
struct sk_buff *pktcraft_build_skb(struct net *net,
				   const struct pktcraft_req *req,
				   const struct pktcraft_layout *lay,
				   const struct pktcraft_egress *eg);

#if IS_ENABLED(CONFIG_KUNIT)
__sum16 pktcraft_ip_csum(const void *iph, unsigned int ihl);
__sum16 pktcraft_l4_csum(__be32 saddr, __be32 daddr, u8 proto,
			 const void *l4, unsigned int len);
void pktcraft_write_headers(const struct pktcraft_req *req,
			    const struct pktcraft_layout *lay,
			    __be32 saddr, void *l3);
void pktcraft_write_csums(const struct pktcraft_req *req,
			  const struct pktcraft_layout *lay, void *l3);
#endif

#endif /* _PKTCRAFT_H */
