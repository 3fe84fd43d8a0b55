// SPDX-License-Identifier: GPL-2.0
/*
 * Building the frame: IPv4 (IPv6: ipv6.c) and layer 4 headers written field
 * by field from the request, checksums computed in software, link header
 * last.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/icmp.h>
#include <linux/uaccess.h>
#include <net/checksum.h>
#include <net/ip.h>
#include "pktcraft.h"

/*
 * RFC 1071 checksum of an IPv4 header of @ihl 32-bit words: ip_fast_csum()
 * for a real header's 5 or more, which it requires.
 */
VISIBLE_IF_KUNIT __sum16 pktcraft_ip_csum(const void *iph, unsigned int ihl)
{
	if (ihl >= 5)
		return ip_fast_csum(iph, ihl);
	return csum_fold(csum_partial(iph, ihl * 4, 0));
}
EXPORT_SYMBOL_IF_KUNIT(pktcraft_ip_csum);

/*
 * Checksum of @len bytes of layer 4 data with the RFC 793 pseudo-header:
 * the first @hlen bytes summed here (@hlen even), the rest's partial sum
 * given in @rest (pktcraft_build_data()'s, from skb->csum).
 */
VISIBLE_IF_KUNIT __sum16 pktcraft_l4_csum(__be32 saddr, __be32 daddr, u8 proto,
					  const void *l4, unsigned int len,
					  unsigned int hlen, __wsum rest)
{
	return csum_tcpudp_magic(saddr, daddr, len, proto,
				 pktcraft_l4_hdr_sum(l4, hlen, rest));
}
EXPORT_SYMBOL_IF_KUNIT(pktcraft_l4_csum);

static __always_inline void write_opts(u8 *dst, const u8 *opts, u8 optlen,
				       u16 room)
{
	if (!room)	/* most headers: no call for nothing */
		return;
	memcpy(dst, opts, optlen);
	memset(dst + optlen, 0, room - optlen);	/* EOL padding */
}

static void write_tcp(const struct pktcraft_req *req,
		      const struct pktcraft_layout *lay, struct tcphdr *th)
{
	u8 doff = req->tcp_doff;
	u16 fl = req->tcp_flags;

	if (!doff && !(req->flags & PKTCRAFT_F_L4_LEN))
		doff = lay->l4_hlen / 4;

	th->source = htons(req->sport);
	th->dest = htons(req->dport);
	th->seq = htonl(req->tcp_seq);
	th->ack_seq = htonl(req->tcp_ack);
	/* Byte 12: data offset, 3 reserved bits, NS; byte 13: CWR..FIN. */
	((u8 *)th)[12] = doff << 4 | req->tcp_res << 1 |
			 (fl & PKTCRAFT_TCP_NS) >> 8;
	((u8 *)th)[13] = fl & 0xff;
	th->window = htons(req->tcp_win);
	th->check = 0;
	th->urg_ptr = htons(req->tcp_urg);
	write_opts((u8 *)(th + 1), req->tcp_opts, req->tcp_optlen,
		   lay->l4_hlen - sizeof(*th));
}

static void write_udp(const struct pktcraft_req *req,
		      const struct pktcraft_layout *lay, struct udphdr *uh)
{
	u16 ulen = req->udp_len;

	if (!ulen && !(req->flags & PKTCRAFT_F_L4_LEN))
		ulen = lay->len - lay->ip_hlen;
	uh->source = htons(req->sport);
	uh->dest = htons(req->dport);
	uh->len = htons(ulen);
	uh->check = 0;
}

static void write_icmp(const struct pktcraft_req *req, struct icmphdr *ih)
{
	ih->type = req->icmp_type;
	ih->code = req->icmp_code;
	ih->checksum = 0;
	ih->un.echo.id = htons(req->icmp_id);
	ih->un.echo.sequence = htons(req->icmp_seq);
}

/* The layer 4 header at @l4, checksum 0: inlined into the IPv4 writer. */
static __always_inline void write_l4(const struct pktcraft_req *req,
				     const struct pktcraft_layout *lay,
				     void *l4)
{
	switch (req->l4) {
	case PKTCRAFT_L4_TCP:
		write_tcp(req, lay, l4);
		break;
	case PKTCRAFT_L4_UDP:
		write_udp(req, lay, l4);
		break;
	case PKTCRAFT_L4_ICMP:
		write_icmp(req, l4);
		break;
	}
}

/* write_l4() for the IPv6 writer (ipv6.c). */
void pktcraft_write_l4(const struct pktcraft_req *req,
		       const struct pktcraft_layout *lay, void *l4)
{
	write_l4(req, lay, l4);
}

/* Where the layer 4 header at @l4 keeps its checksum; NULL: none (raw). */
__sum16 *pktcraft_l4_check(const struct pktcraft_req *req, void *l4)
{
	switch (req->l4) {
	case PKTCRAFT_L4_TCP:
		return &((struct tcphdr *)l4)->check;
	case PKTCRAFT_L4_UDP:
		return &((struct udphdr *)l4)->check;
	case PKTCRAFT_L4_ICMP:
		return &((struct icmphdr *)l4)->checksum;
	default:
		return NULL;
	}
}

/**
 * pktcraft_write_headers - write the IPv4 and layer 4 headers
 * @req: validated request
 * @lay: its layout
 * @saddr: source address used when the request leaves it to the kernel
 * @l3: start of the IPv4 packet, @lay->len bytes, payload already in place
 *
 * Checksums are left 0 for pktcraft_write_csums(); the IP ID is left 0 when
 * the kernel is to choose it.
 */
VISIBLE_IF_KUNIT void pktcraft_write_headers(const struct pktcraft_req *req,
					     const struct pktcraft_layout *lay,
					     __be32 saddr, void *l3)
{
	struct iphdr *iph = l3;
	void *l4 = l3 + lay->ip_hlen;
	u16 tot_len = req->ip_tot_len;
	u8 ihl = req->ip_ihl;

	if (!ihl && !(req->flags & PKTCRAFT_F_IP_IHL))
		ihl = lay->ip_hlen / 4;
	if (!tot_len && !(req->flags & PKTCRAFT_F_IP_TOT_LEN))
		tot_len = lay->len;

	iph->version = req->ip_version ?: 4;
	iph->ihl = ihl;
	iph->tos = req->ip_tos;
	iph->tot_len = htons(tot_len);
	iph->id = htons(req->ip_id);
	iph->frag_off = htons(req->ip_frag);
	iph->ttl = req->ip_ttl;
	iph->protocol = lay->protocol;
	iph->check = 0;
	iph->saddr = pktcraft_req_own_saddr(req) ?
		     (__force __be32)req->ip_saddr : saddr;
	iph->daddr = (__force __be32)req->ip_daddr;
	write_opts((u8 *)(iph + 1), req->ip_opts, req->ip_optlen,
		   lay->ip_hlen - sizeof(*iph));

	write_l4(req, lay, l4);
}
EXPORT_SYMBOL_IF_KUNIT(pktcraft_write_headers);

/**
 * pktcraft_write_csums - fill the layer 4 and IPv4 checksums
 * @req: validated request
 * @lay: its layout
 * @l3: the packet written by pktcraft_write_headers()
 * @payload: the payload's partial sum (pktcraft_build_data()'s
 *           copy_payload()): csum_partial()'s modulo 0xffff, 0 only for
 *           zeros
 *
 * Forced values are stored as given. The pseudo-header uses the real layer 4
 * length, whatever the header fields claim. A computed UDP checksum of 0 is
 * sent as 0xffff (RFC 768).
 */
VISIBLE_IF_KUNIT void pktcraft_write_csums(const struct pktcraft_req *req,
					   const struct pktcraft_layout *lay,
					   void *l3, __wsum payload)
{
	struct iphdr *iph = l3;
	void *l4 = l3 + lay->ip_hlen;
	unsigned int l4_len = lay->len - lay->ip_hlen;
	__sum16 *check = pktcraft_l4_check(req, l4);

	if (check && req->flags & PKTCRAFT_F_L4_CSUM) {
		*check = (__force __sum16)htons(req->l4_csum);
	} else if (check && req->l4 == PKTCRAFT_L4_ICMP) {
		/*
		 * No pseudo-header: a message of zeros sums to +0 (checksum
		 * ffff) only if the payload's zeros summed to 0, not ~0.
		 */
		*check = csum_fold(pktcraft_l4_hdr_sum(l4, lay->l4_hlen,
						       payload));
	} else if (check) {
		*check = pktcraft_l4_csum(iph->saddr, iph->daddr, lay->protocol,
					  l4, l4_len, lay->l4_hlen, payload);
		if (req->l4 == PKTCRAFT_L4_UDP && !*check)
			*check = CSUM_MANGLED_0;
	}

	if (req->flags & PKTCRAFT_F_IP_CSUM)
		iph->check = (__force __sum16)htons(req->ip_csum);
	else
		iph->check = pktcraft_ip_csum(iph, lay->ip_hlen / 4);
}
EXPORT_SYMBOL_IF_KUNIT(pktcraft_write_csums);

void pktcraft_frag_init(struct pktcraft_frag *frag)
{
	mutex_init(&frag->lock);
	memset(&frag->cache, 0, sizeof(frag->cache));
}

/* The file is being released: nothing takes from the cache any more. */
void pktcraft_frag_drain(struct pktcraft_frag *frag)
{
	pktcraft_page_frag_cache_drain(&frag->cache);
	mutex_destroy(&frag->lock);
}

/*
 * An skb with @size bytes of data: a page fragment from @frag under
 * build_skb() when it fits in a page and no other request of the file is
 * taking one at this moment, else alloc_skb(). Either way the data is the
 * caller's memory cgroup's; the sk_buff itself, from build_skb(), is not
 * (GFP_ATOMIC, as for a burst's copies): the caller passes @frag only for
 * the initial namespace's admin. Its data is zeroed up to its end, the
 * tailroom past @size included, whether or not the allocator zeroes (boot
 * option init_on_alloc): pktcraft_build_finish() writes every byte it
 * sends, and no stale byte lies beyond them for a driver that pads by DMA
 * length.
 */
static struct sk_buff *build_alloc(struct pktcraft_frag *frag,
				   unsigned int size)
{
	unsigned int fragsz = SKB_DATA_ALIGN(size) +
			      SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	struct sk_buff *skb;
	void *data;

	if (frag && fragsz <= PAGE_SIZE && mutex_trylock(&frag->lock)) {
		data = page_frag_alloc(&frag->cache, fragsz, GFP_KERNEL_ACCOUNT);
		mutex_unlock(&frag->lock);
		if (data) {
			/*
			 * A recycled fragment holds earlier frames (and what the
			 * stack wrote over them): none of it may reach a driver
			 * that sends its tailroom or pads by DMA length.
			 */
			memset(data, 0, SKB_DATA_ALIGN(size));
			skb = build_skb(data, fragsz);
			if (skb)
				return skb;
			page_frag_free(data);
		}
	}
	/* The allocator zeroes it once, whether or not init_on_alloc did. */
	return alloc_skb(size, GFP_KERNEL_ACCOUNT | __GFP_ZERO);
}

/*
 * The longest payload copy_sum() takes, where the summing copy it replaced
 * stopped: at 512 bytes it still cost fewer instructions than that one,
 * which cost fewer than copy_from_user() and csum_partial() up to there;
 * above, those two (measured under -icount: docs/performance-history.md).
 */
#define PKTCRAFT_CSUM_COPY_MAX	512

/* @acc + @w in ones' complement: the carry out of bit 63 added back. */
static __always_inline u64 add_eac(u64 acc, u64 w)
{
	acc += w;
	return acc + (acc < w);
}

/*
 * copy_sum()'s step: one @type from its @from to its @to, added to its
 * acc, both pointers moved on; a fault jumps to its fault label (in a
 * user access section: no call).
 */
#define copy_sum_one(type) do {						\
	type __v;							\
									\
	unsafe_get_user(__v, (const type __user *)from, fault);	\
	put_unaligned(__v, (type *)to);					\
	acc = add_eac(acc, __v);					\
	from += sizeof(type);						\
	to += sizeof(type);						\
} while (0)

/*
 * Copies @len bytes (1 to PKTCRAFT_CSUM_COPY_MAX) from @from to @to and
 * sums them: a sum equal to csum_partial()'s modulo 0xffff, and 0 only for
 * zeros, as csum_partial()'s, which is all that its users (the pseudo-header
 * sums, csum_fold()) tell apart. A word at a time in one user access
 * section: what copy_from_user() adds for so few bytes (hardened
 * usercopy's object check, on Debian's kernels) and the iov_iter walk of
 * csum_and_copy_from_iter() (the kernel's only exported summing copy) cost
 * more than the bytes do. @to has room for them: pktcraft_build_size()
 * counts the payload (pktcraft_layout.len). Words are read unaligned, as
 * x86 allows. The 8, 4 and 2 byte pieces keep every 16-bit word of the
 * payload in its place modulo 0xffff, and a last odd byte is the first of
 * one. Not instrumented by KCSAN, whose unaligned stores are calls (none
 * may be made in the section).
 */
static __no_kcsan int copy_sum(void *to, const void __user *from, u32 len,
			       __wsum *sum)
{
	u64 acc = 0;
	u8 w1;

	might_fault();
	if (!user_access_begin(from, len))
		return -EFAULT;
	for (; len >= 4 * sizeof(u64); len -= 4 * sizeof(u64)) {
		copy_sum_one(u64);
		copy_sum_one(u64);
		copy_sum_one(u64);
		copy_sum_one(u64);
	}
	for (; len >= sizeof(u64); len -= sizeof(u64))
		copy_sum_one(u64);
	if (len & sizeof(u32))
		copy_sum_one(u32);
	if (len & sizeof(u16))
		copy_sum_one(u16);
	if (len & sizeof(u8)) {	/* a 16-bit word's first byte, zero after */
		unsafe_get_user(w1, (const u8 __user *)from, fault);
		*(u8 *)to = w1;
		acc = add_eac(acc, IS_ENABLED(CONFIG_CPU_BIG_ENDIAN) ?
			      (u64)w1 << 8 : w1);
	}
	user_access_end();
	/* 64 to 32 bits, still 0 only for zeros */
	acc = (acc & U32_MAX) + (acc >> 32);
	*sum = (__force __wsum)(u32)((acc & U32_MAX) + (acc >> 32));
	return 0;

fault:
	user_access_end();
	return -EFAULT;
}

#undef copy_sum_one

/* The payload of @req to @to, its csum_partial() sum to *@sum: 0, or -EFAULT. */
static int copy_payload(void *to, const struct pktcraft_req *req, __wsum *sum)
{
	const void __user *from = u64_to_user_ptr(req->payload);
	u32 len = req->payload_len;

	*sum = 0;
	if (!len)
		return 0;
	if (len <= PKTCRAFT_CSUM_COPY_MAX)
		return copy_sum(to, from, len, sum);
	if (copy_from_user(to, from, len))
		return -EFAULT;
	*sum = csum_partial(to, len, 0);
	return 0;
}

/**
 * pktcraft_build_data - the frame's packet with what comes from user memory
 * @req: validated request
 * @lay: its layout
 * @frag: the file's page fragments for the data (NULL: alloc_skb())
 * @skb: an empty skb with pktcraft_build_size() bytes of data to build in
 *       (the file's, pktcraft_single_take()), or NULL for a new one
 *
 * Copies the payload (its sum to skb->csum, for pktcraft_build_finish())
 * and the IPv6 extension headers' data; the headers are
 * pktcraft_build_finish()'s, once the device is known. Called before any
 * device is held: a read of user memory may wait for as long as the
 * memory's owner likes (a FUSE mapping, userfaultfd), and a device held
 * meanwhile could not be unregistered. The data is charged to the
 * caller's memory cgroup.
 *
 * Return: a linear skb (@skb if given), its network and transport headers
 * set, or an ERR_PTR (@skb freed): -ENOMEM, -EFAULT (payload or extension
 * data unreadable), -EMSGSIZE (IPv6 extension headers so long that the
 * transport header would lie beyond an sk_buff's 16-bit offsets).
 */
struct sk_buff *pktcraft_build_data(const struct pktcraft_req *req,
				    const struct pktcraft_layout *lay,
				    struct pktcraft_frag *frag,
				    struct sk_buff *skb)
{
	void *l3;

	if (PKTCRAFT_HEADROOM + lay->ip_hlen + lay->l4_hlen > U16_MAX) {
		consume_skb(skb);
		return ERR_PTR(-EMSGSIZE);
	}
	if (!skb)
		skb = build_alloc(frag, pktcraft_build_size(lay));
	if (!skb)
		return ERR_PTR(-ENOMEM);
	skb_reserve(skb, PKTCRAFT_HEADROOM);
	skb_reset_network_header(skb);
	/* pktcraft_build_size() made room; copy_payload() writes up to len */
	DEBUG_NET_WARN_ON_ONCE(skb_tailroom(skb) < lay->len);
	l3 = __skb_put(skb, lay->len);
	skb_set_transport_header(skb, lay->ip_hlen);
	/*
	 * skb->csum keeps the payload's sum until pktcraft_build_finish():
	 * CHECKSUM_NONE, so that nothing (pskb_expand_head()) takes it for
	 * CHECKSUM_PARTIAL's csum_start, which shares its place.
	 */
	skb->ip_summed = CHECKSUM_NONE;
	if (copy_payload(l3 + lay->ip_hlen + lay->l4_hlen, req, &skb->csum) ||
	    (lay->ipv6 && pktcraft_ip6_copy_ext(lay, l3))) {
		consume_skb(skb);	/* never sent: not a drop */
		return ERR_PTR(-EFAULT);
	}
	return skb;
}
EXPORT_SYMBOL_IF_KUNIT(pktcraft_build_data);

/*
 * dev_hard_header() for @skb's IP packet, eth_header()'s work done here for
 * the devices whose header_ops use it (dummy, veth, e1000 ...): the same
 * 14 bytes without the indirect call and skb_push()'s call, on every
 * single packet. @daddr is given (never NULL) and @type is IP's or
 * IPv6's, so eth_header() would copy it and write @type. The headroom is
 * LL_RESERVED_SPACE(), at least HH_DATA_MOD (16) bytes.
 */
static int link_header(struct sk_buff *skb, struct net_device *dev, u16 type,
		       const u8 *daddr, const u8 *saddr)
{
	struct ethhdr *eth;

	if (!dev->header_ops || dev->header_ops->create != eth_header)
		return dev_hard_header(skb, dev, type, daddr, saddr, skb->len);
	eth = __skb_push(skb, ETH_HLEN);
	eth->h_proto = htons(type);
	memcpy(eth->h_source, saddr ?: dev->dev_addr, ETH_ALEN);
	memcpy(eth->h_dest, daddr, ETH_ALEN);
	return ETH_HLEN;
}

/**
 * pktcraft_build_finish - complete pktcraft_build_data()'s frame for its device
 * @net: namespace of the opener, for the IP ID generator
 * @req: validated request
 * @lay: its layout
 * @eg: resolved egress, holding the device
 * @skb: from pktcraft_build_data(); the caller's on every path
 *
 * Widens the headroom and tailroom where the device needs more than
 * pktcraft_build_data() gave, then writes the IP and layer 4 headers and
 * their checksums (in software, with the payload's sum that
 * pktcraft_build_data() left in skb->csum) and the link header. The headroom
 * is zeroed before the device's header_ops write the link header, so that a
 * header_ops which leaves bytes of its header unwritten cannot put stale heap
 * on the wire or into BUILD's copy. Ethernet frames shorter than ETH_ZLEN are
 * padded with zeros. Devices without a link layer get the bare IP packet.
 * Touches no user memory.
 *
 * Return: 0, the skb ready for dev_queue_xmit(); -ENOMEM, -EINVAL (link
 * header refused) or -EMSGSIZE (IPv6 extension headers so long that the
 * transport header would lie beyond an sk_buff's 16-bit offsets, with the
 * device's headroom).
 */
int pktcraft_build_finish(struct net *net, const struct pktcraft_req *req,
			  const struct pktcraft_layout *lay,
			  const struct pktcraft_egress *eg, struct sk_buff *skb)
{
	struct net_device *dev = eg->dev;
	unsigned int hlen = LL_RESERVED_SPACE(dev);
	/* What the padding to ETH_ZLEN may take, and the device's own. */
	unsigned int tail = dev->needed_tailroom +
			    (lay->len < ETH_ZLEN ? ETH_ZLEN - lay->len : 0);
	const u8 *src_mac = is_zero_ether_addr(req->src_mac) ?
			    NULL : req->src_mac;
	__be16 proto = htons(lay->ipv6 ? ETH_P_IPV6 : ETH_P_IP);
	void *l3 = skb->data;
	int err;

	if (hlen + lay->ip_hlen + lay->l4_hlen > U16_MAX)
		return -EMSGSIZE;
	if (skb_headroom(skb) < hlen || skb_tailroom(skb) < tail) {
		unsigned int head = skb_headroom(skb), room = skb_tailroom(skb);

		err = pskb_expand_head(skb, hlen > head ? hlen - head : 0,
				       tail > room ? tail - room : 0,
				       GFP_KERNEL_ACCOUNT);
		if (err)
			return err;
		l3 = skb->data;
		/* New memory: zeroed, as build_alloc()'s fragments are. */
		memset(skb_tail_pointer(skb), 0, skb_tailroom(skb));
	}
	/* Most frames: the headroom pktcraft_build_data() gave, two stores. */
	if (likely(skb_headroom(skb) == PKTCRAFT_HEADROOM))
		memset(skb->head, 0, PKTCRAFT_HEADROOM);
	else
		memset(skb->head, 0, skb_headroom(skb));

	if (lay->ipv6) {
		pktcraft_ip6_write(req, lay, &eg->saddr6, l3, skb->csum);
	} else {
		pktcraft_write_headers(req, lay, eg->saddr, l3);
		if (!req->ip_id && !(req->flags & PKTCRAFT_F_IP_ID))
			__ip_select_ident(net, l3, 1);
		pktcraft_write_csums(req, lay, l3, skb->csum);
	}

	skb->protocol = proto;
	skb->dev = dev;
	skb->ip_summed = CHECKSUM_NONE;
	skb->csum = 0;		/* the payload's sum: used */
	if (eg->link == PKTCRAFT_LINK_ETH &&
	    link_header(skb, dev, ntohs(proto), eg->dst_mac, src_mac) < 0)
		return -EINVAL;
	skb_reset_mac_header(skb);
	/*
	 * Pad here rather than in the driver, so that a dry run shows the bytes
	 * the wire will carry.
	 */
	if (eg->link == PKTCRAFT_LINK_ETH && dev->type == ARPHRD_ETHER &&
	    skb->len < ETH_ZLEN)
		skb_put_zero(skb, ETH_ZLEN - skb->len);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pktcraft_build_finish);
