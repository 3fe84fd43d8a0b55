// SPDX-License-Identifier: GPL-2.0
/*
 * Copying a request from userspace and checking it before anything is built.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/uaccess.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/icmp.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/socket.h>
#include <linux/slab.h>
#include <linux/etherdevice.h>
#include <linux/moduleparam.h>
#include "pktcraft.h"

static_assert(sizeof(struct pktcraft_req) == PKTCRAFT_REQ_SIZE_VER4);
static_assert(offsetof(struct pktcraft_req, inject) == PKTCRAFT_REQ_SIZE_VER3);
static_assert(offsetof(struct pktcraft_req, family) == PKTCRAFT_REQ_SIZE_VER2);
static_assert(offsetof(struct pktcraft_req, count) == PKTCRAFT_REQ_SIZE_VER1);
static_assert(offsetof(struct pktcraft_req, l4) == PKTCRAFT_REQ_SIZE_VER0);
static_assert(sizeof(struct pktcraft_sndbuf) == PKTCRAFT_SNDBUF_SIZE_VER0);
static_assert(sizeof(struct pktcraft_ext) == PKTCRAFT_EXT_SIZE);
static_assert(sizeof(struct pktcraft_fate) == PKTCRAFT_FATE_SIZE);

/**
 * pktcraft_req_size_check - check the size a caller gives for its request
 * @usize: the size field, as read from userspace
 *
 * Return: 0, -EINVAL (below version 0) or -E2BIG (above a page).
 */
VISIBLE_IF_KUNIT int pktcraft_req_size_check(u32 usize)
{
	if (usize < PKTCRAFT_REQ_SIZE_VER0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pktcraft_req_size_check);

/**
 * pktcraft_req_from_user - copy an extensible request
 * @req: kernel copy, fully initialised on success; its size is what the
 *       caller declared, capped at what the kernel knows: the bytes of the
 *       caller's struct the kernel may write back
 * @ureq: user pointer
 * @limit: the most the size may be, checked before anything is copied (a
 *         batch's stride: the next request starts there), else PAGE_SIZE
 * @declared: if not NULL, gets the size the caller declared (uncapped)
 *
 * Return: 0, -EFAULT, -EINVAL (size below version 0, or above @limit but
 * not above a page) or -E2BIG (size above a page, or a newer struct whose
 * unknown tail is not zero).
 */
int pktcraft_req_from_user(struct pktcraft_req *req,
			   const struct pktcraft_req __user *ureq, u32 limit,
			   u32 *declared)
{
	u32 usize;
	int err;

	if (get_user(usize, &ureq->size))
		return -EFAULT;
	if (declared)
		*declared = usize;
	err = pktcraft_req_size_check(usize);
	if (!err && usize > limit)
		err = -EINVAL;
	if (err)
		return err;
	/*
	 * The caller's struct is ours (the common case): what
	 * copy_struct_from_user() does for it, with a constant size, whose
	 * bounds the compiler checks instead of hardened usercopy at run time.
	 */
	if (usize == sizeof(*req))
		err = copy_from_user(req, ureq, sizeof(*req)) ? -EFAULT : 0;
	else
		err = copy_struct_from_user(req, sizeof(*req), ureq, usize);
	if (err)
		return err;
	req->size = min_t(u32, usize, sizeof(*req));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pktcraft_req_from_user);

/**
 * __pktcraft_ext_from_user - copy an IPv6 request's extension headers
 * @req: the request, as copied, with @req->ext_nr not 0
 *   (pktcraft_ext_from_user() in pktcraft.h: NULL at once without)
 *
 * Return: NULL when there is nothing to copy (a request that
 * pktcraft_req_check() refuses for its extension headers anyway), the
 * kernel copy (kfree() it), or an ERR_PTR: -EFAULT, -ENOMEM.
 */
struct pktcraft_ext *__pktcraft_ext_from_user(const struct pktcraft_req *req)
{
	struct pktcraft_ext *ext;
	size_t size;

	if (!req->ext || req->family != AF_INET6 ||
	    req->ext_nr > PKTCRAFT_MAX_EXT)
		return NULL;
	size = req->ext_nr * sizeof(*ext);
	ext = kmalloc(size, GFP_KERNEL_ACCOUNT);
	if (!ext)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(ext, u64_to_user_ptr(req->ext), size)) {
		kfree(ext);
		return ERR_PTR(-EFAULT);
	}
	return ext;
}

static bool optlen_ok(u8 optlen, u8 fixed_hlen, u8 given_words, bool force,
		      u16 *hlen)
{
	*hlen = fixed_hlen + ALIGN(optlen, 4);
	if (optlen > PKTCRAFT_MAX_OPTLEN || given_words > 15)
		return false;
	if (!given_words || force)
		return true;
	return given_words * 4 == *hlen;
}

/* Fields of one layer 4 kind must be zero when another kind is sent. */
static bool tcp_fields_zero(const struct pktcraft_req *req)
{
	return !(req->tcp_seq | req->tcp_ack | req->tcp_flags | req->tcp_win |
		 req->tcp_urg | req->tcp_doff | req->tcp_res | req->tcp_optlen);
}

static bool udp_fields_zero(const struct pktcraft_req *req)
{
	return !req->udp_len;
}

static bool icmp_fields_zero(const struct pktcraft_req *req)
{
	return !(req->icmp_type | req->icmp_code | req->icmp_id |
		 req->icmp_seq);
}

/* An IPv4 request leaves every IPv6 field 0 (family: 0 or AF_INET). */
static bool ip6_fields_zero(const struct pktcraft_req *req)
{
	return !(req->flags & PKTCRAFT_F_IP6_NEXTHDR) &&
	       pktcraft_all_zero(&req->ip6_nexthdr,
				 offsetof(struct pktcraft_req, inject) -
				 offsetof(struct pktcraft_req, ip6_nexthdr));
}

/* An IPv4 IHL an IP_HDRINCL socket may send: 5 words at least, within @len. */
static bool ip4_ihl_fits(const struct pktcraft_req *req, u32 len)
{
	return req->ip_ihl >= 5 && req->ip_ihl * 4 <= len;
}

/*
 * An IPv4 packet injected into the stack's output (PKTCRAFT_INJECT_IP:
 * LOCAL_OUT, xfrm, fragmentation, the neighbour) must say what
 * raw_send_hdrinc() lets an IP_HDRINCL socket's say, as that output trusts
 * it: a header of 5 words at least and no longer than the packet (@len),
 * whose total length is the packet's. xfrm4_transport_output() pulls the
 * IHL's bytes, so a longer one would wrap skb->len. So must one sent
 * through a device whose transmit hands it back to that output
 * (pktcraft_dev_reenters_ip(): pktcraft_prepare() asks). On every other
 * device the total length stays free, and so does the IHL within the
 * packet (pktcraft_ip4_ihl_ok(): past it, or below 5, only as the admin
 * allows).
 */
bool pktcraft_ip4_lengths_sane(const struct pktcraft_req *req, u32 len)
{
	if (req->flags & PKTCRAFT_F_IP_IHL && !ip4_ihl_fits(req, len))
		return false;
	return !(req->flags & PKTCRAFT_F_IP_TOT_LEN) || req->ip_tot_len == len;
}

/*
 * An IPv4 IHL below 5 or past the packet's end can come back to IP's
 * output in this host before ip_rcv() has checked it, by a path no look at
 * the egress device sees and that may be made after the look: a veth's
 * peer, lo, a bridge or macvlan delivers it, and an ingress hook there
 * (tc's redirect, nft's fwd) passes it to a VRF, whose output's
 * xfrm4_transport_output() pulls the IHL's bytes and wraps skb->len (from
 * a container, through a veth whose peer redirected to a VRF with an ESP
 * transport SA, an IHL of 15 crashed 6.1; so did an AF_PACKET frame: the
 * hole is upstream). The sender cannot know: a container's veth peer is
 * the container's. So no opener gets such an IHL sent by default, as no
 * IP_HDRINCL socket does (raw_send_hdrinc()); the initial namespace's
 * admin may ask for it host-wide, taking that risk.
 */
static bool ip4_ihl_lies;
module_param(ip4_ihl_lies, bool, 0644);
MODULE_PARM_DESC(ip4_ihl_lies,
		 "let CAP_NET_ADMIN in the initial user namespace send an IPv4 IHL below 5 or past the packet's end (a path back into IP's output with an xfrm transport SA can crash the kernel)");

/**
 * pktcraft_ip4_ihl_ok - may this request's IPv4 IHL be sent?
 * @req: the request
 * @lay: its layout (pktcraft_req_check())
 * @admin: the opener has CAP_NET_ADMIN in the initial user namespace
 *
 * Only one an IP_HDRINCL socket could send (5 words at least, no longer
 * than the packet), unless @admin and ip4_ihl_lies say otherwise. Where
 * the device hands the packet to IP's output, pktcraft_ip4_lengths_sane()
 * holds for every opener too.
 */
bool pktcraft_ip4_ihl_ok(const struct pktcraft_req *req,
			 const struct pktcraft_layout *lay, bool admin)
{
	if (lay->ipv6 || !(req->flags & PKTCRAFT_F_IP_IHL))
		return true;
	if (ip4_ihl_fits(req, lay->len))
		return true;
	return admin && READ_ONCE(ip4_ihl_lies);
}
EXPORT_SYMBOL_IF_KUNIT(pktcraft_ip4_ihl_ok);

/* IPv4 header fields and options: *ip_hlen. */
static int ip4_check(const struct pktcraft_req *req, u32 *ip_hlen)
{
	u16 hlen;

	if (req->family != 0 && req->family != AF_INET)
		return -EINVAL;
	if (!ip6_fields_zero(req))
		return -EINVAL;
	if (!(req->flags & PKTCRAFT_F_IP_CSUM) && req->ip_csum)
		return -EINVAL;
	if (!optlen_ok(req->ip_optlen, sizeof(struct iphdr), req->ip_ihl,
		       req->flags & PKTCRAFT_F_IP_IHL, &hlen))
		return -EINVAL;
	*ip_hlen = hlen;
	return 0;
}

/**
 * pktcraft_req_check - validate a request and compute its layout
 * @req: the request
 * @ext: IPv6: the copy of its extension headers (pktcraft_ext_from_user()),
 *       NULL when it has none or they could not be copied
 * @lay: filled with the real sizes
 *
 * Every field the kernel fills must be 0 unless its PKTCRAFT_F_* flag makes
 * it literal; every length the caller gives must match the real one unless
 * forced, and an IPv4 injection into the IP stack may not force the header
 * and total lengths past what its output trusts
 * (pktcraft_ip4_lengths_sane()).
 * Nothing here depends on the egress device.
 *
 * Return: 0, -EINVAL for a malformed request, -EMSGSIZE when the packet
 * cannot be expressed in an IPv4 total length or an IPv6 payload length,
 * -EFAULT for a payload (or extension header) length with a NULL pointer.
 */
int pktcraft_req_check(const struct pktcraft_req *req,
		       const struct pktcraft_ext *ext,
		       struct pktcraft_layout *lay)
{
	bool tcp_zero = tcp_fields_zero(req);
	bool udp_zero = udp_fields_zero(req);
	bool icmp_zero = icmp_fields_zero(req);
	bool ipv6 = req->family == AF_INET6;
	u32 ip_hlen, len, hdr_len;
	u16 l4_hlen;
	u8 proto;
	int err;

	if (req->flags & ~PKTCRAFT_F_ALL)
		return -EINVAL;
	if (req->reserved0 || req->reserved1 || req->reserved2)
		return -EINVAL;
	if (req->ip_version > 15 || req->tcp_res > 7 ||
	    req->tcp_flags & ~PKTCRAFT_TCP_FLAGS_ALL)
		return -EINVAL;
	if (!(req->flags & PKTCRAFT_F_L4_CSUM) && req->l4_csum)
		return -EINVAL;
	if (req->inject > PKTCRAFT_INJECT_MAX || req->reserved4[0] ||
	    req->reserved4[1] || req->reserved4[2] ||
	    req->fate_ms > PKTCRAFT_MAX_FATE_MS)
		return -EINVAL;
	/* The neighbour layer writes the link header of an IP injection. */
	if (req->inject == PKTCRAFT_INJECT_IP &&
	    !(is_zero_ether_addr(req->dst_mac) &&
	      is_zero_ether_addr(req->src_mac)))
		return -EINVAL;
	memset(lay, 0, sizeof(*lay));
	err = ipv6 ? pktcraft_ip6_check(req, ext, lay) : ip4_check(req, &lay->ip_hlen);
	if (err)
		return err;
	ip_hlen = lay->ip_hlen;

	switch (req->l4) {
	case PKTCRAFT_L4_TCP:
		proto = IPPROTO_TCP;
		if (!udp_zero || !icmp_zero)
			return -EINVAL;
		if (!optlen_ok(req->tcp_optlen, sizeof(struct tcphdr),
			       req->tcp_doff, req->flags & PKTCRAFT_F_L4_LEN,
			       &l4_hlen))
			return -EINVAL;
		break;
	case PKTCRAFT_L4_UDP:
		proto = IPPROTO_UDP;
		l4_hlen = sizeof(struct udphdr);
		if (!tcp_zero || !icmp_zero)
			return -EINVAL;
		break;
	case PKTCRAFT_L4_ICMP:
		proto = ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
		l4_hlen = sizeof(struct icmphdr);
		if (!tcp_zero || !udp_zero || req->sport || req->dport)
			return -EINVAL;
		break;
	case PKTCRAFT_L4_RAW:
		proto = req->ip_protocol;
		l4_hlen = 0;
		if (!tcp_zero || !udp_zero || !icmp_zero || req->sport ||
		    req->dport || req->flags & PKTCRAFT_F_L4_CSUM ||
		    req->flags & PKTCRAFT_F_L4_LEN)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (req->ip_protocol && req->ip_protocol != proto)
		return -EINVAL;
	if (req->l4 != PKTCRAFT_L4_TCP && req->l4 != PKTCRAFT_L4_UDP &&
	    req->flags & PKTCRAFT_F_L4_LEN)
		return -EINVAL;

	if (req->payload_len && !req->payload)
		return -EFAULT;
	if (req->payload_len > 0xffff)
		return -EMSGSIZE;
	len = ip_hlen + l4_hlen + req->payload_len;
	/* What the IPv4 total length or the IPv6 payload length says. */
	hdr_len = ipv6 ? len - sizeof(struct ipv6hdr) : len;
	if (hdr_len > 0xffff)
		return -EMSGSIZE;
	if (!(req->flags & PKTCRAFT_F_IP_TOT_LEN) && req->ip_tot_len &&
	    req->ip_tot_len != hdr_len)
		return -EINVAL;
	if (req->l4 == PKTCRAFT_L4_UDP && !(req->flags & PKTCRAFT_F_L4_LEN) &&
	    req->udp_len && req->udp_len != len - ip_hlen)
		return -EINVAL;
	if (!ipv6 && req->inject == PKTCRAFT_INJECT_IP &&
	    !pktcraft_ip4_lengths_sane(req, len))
		return -EINVAL;

	lay->l4_hlen = l4_hlen;
	lay->len = len;
	lay->protocol = proto;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pktcraft_req_check);
