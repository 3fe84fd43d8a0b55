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

/* stats.c: counters, in the order of struct pktcraft_counters. */
enum pktcraft_ctr {
	PKTCRAFT_C_PACKETS, PKTCRAFT_C_BYTES, PKTCRAFT_C_DROP_QUEUE,
	PKTCRAFT_C_DROP_DOWN, PKTCRAFT_C_DROP_NOMEM, PKTCRAFT_C_DROP_XMIT,
	PKTCRAFT_C_ERR_INVAL, PKTCRAFT_C_ERR_FAULT, PKTCRAFT_C_ERR_NODEV,
	PKTCRAFT_C_ERR_MSGSIZE, PKTCRAFT_C_ERR_NETDOWN, PKTCRAFT_C_ERR_UNREACH,
	PKTCRAFT_C_ERR_NOMEM, PKTCRAFT_C_ERR_INTR, PKTCRAFT_C_ERR_OTHER,
	PKTCRAFT_C_NR
};

struct pktcraft_ctrs {		/* per open file, and one module-wide */
	atomic64_t v[PKTCRAFT_C_NR];
};

struct pktcraft_tally {		/* local to a burst, flushed now and then */
	u64 v[PKTCRAFT_C_NR];		/* since the burst started */
	u64 flushed[PKTCRAFT_C_NR];	/* of which already in the counters */
};

extern const struct attribute_group *pktcraft_stats_groups[];
void pktcraft_stats_flush(struct pktcraft_ctrs *file, struct pktcraft_tally *t);
void pktcraft_stats_err(struct pktcraft_ctrs *file, int err);
void pktcraft_stats_sent(struct pktcraft_ctrs *file, u64 packets, u64 bytes);
void pktcraft_stats_inc(struct pktcraft_ctrs *file, int idx);
long pktcraft_stats_get(struct pktcraft_ctrs *file,
			struct pktcraft_stats __user *ustats);

/* burst.c */
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
	bool l4_csum;		/* TCP/UDP checksum computed (not forced) */
	bool udp;
	u16 ip_hlen;
	u16 check_off;		/* of the TCP/UDP checksum in its header */
	struct pktcraft_vstate v[PKTCRAFT_VARY_NR];
};

int pktcraft_burst_init(struct pktcraft_burst *b, struct pktcraft_req *req,
			const struct pktcraft_layout *lay);
long pktcraft_burst_run(struct pktcraft_burst *b, struct sk_buff *skb,
			const struct pktcraft_egress *eg,
			struct pktcraft_ctrs *ctrs,
			struct pktcraft_req __user *ureq);

#if IS_ENABLED(CONFIG_KUNIT)
int pktcraft_req_size_check(u32 usize);
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
