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
#include <linux/in.h>
#include "pktcraft.h"

static_assert(sizeof(struct pktcraft_req) == PKTCRAFT_REQ_SIZE_VER2);
static_assert(offsetof(struct pktcraft_req, count) == PKTCRAFT_REQ_SIZE_VER1);
static_assert(offsetof(struct pktcraft_req, l4) == PKTCRAFT_REQ_SIZE_VER0);
static_assert(sizeof(struct pktcraft_sndbuf) == PKTCRAFT_SNDBUF_SIZE_VER0);

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
	err = copy_struct_from_user(req, sizeof(*req), ureq, usize);
	if (err)
		return err;
	req->size = min_t(u32, usize, sizeof(*req));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pktcraft_req_from_user);

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

/**
 * pktcraft_req_check - validate a request and compute its layout
 * @req: the request
 * @lay: filled with the real sizes
 *
 * Every field the kernel fills must be 0 unless its PKTCRAFT_F_* flag makes
 * it literal; every length the caller gives must match the real one unless
 * forced. Nothing here depends on the egress device.
 *
 * Return: 0, -EINVAL for a malformed request, -EMSGSIZE when the packet
 * cannot be expressed in an IPv4 total length, -EFAULT for a payload length
 * with a NULL payload pointer.
 */
int pktcraft_req_check(const struct pktcraft_req *req,
		       struct pktcraft_layout *lay)
{
	bool tcp_zero = tcp_fields_zero(req);
	bool udp_zero = udp_fields_zero(req);
	bool icmp_zero = icmp_fields_zero(req);
	u16 ip_hlen, l4_hlen;
	u8 proto;
	u32 len;

	if (req->flags & ~PKTCRAFT_F_ALL)
		return -EINVAL;
	if (req->reserved0 || req->reserved1 || req->reserved2)
		return -EINVAL;
	if (req->ip_version > 15 || req->tcp_res > 7 ||
	    req->tcp_flags & ~PKTCRAFT_TCP_FLAGS_ALL)
		return -EINVAL;
	if (!(req->flags & PKTCRAFT_F_IP_CSUM) && req->ip_csum)
		return -EINVAL;
	if (!(req->flags & PKTCRAFT_F_L4_CSUM) && req->l4_csum)
		return -EINVAL;
	if (!optlen_ok(req->ip_optlen, sizeof(struct iphdr), req->ip_ihl,
		       req->flags & PKTCRAFT_F_IP_IHL, &ip_hlen))
		return -EINVAL;

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
		proto = IPPROTO_ICMP;
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
	len = (u32)ip_hlen + l4_hlen + req->payload_len;
	if (req->payload_len > 0xffff || len > 0xffff)
		return -EMSGSIZE;
	if (!(req->flags & PKTCRAFT_F_IP_TOT_LEN) && req->ip_tot_len &&
	    req->ip_tot_len != len)
		return -EINVAL;
	if (req->l4 == PKTCRAFT_L4_UDP && !(req->flags & PKTCRAFT_F_L4_LEN) &&
	    req->udp_len && req->udp_len != len - ip_hlen)
		return -EINVAL;

	lay->ip_hlen = ip_hlen;
	lay->l4_hlen = l4_hlen;
	lay->len = len;
	lay->protocol = proto;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pktcraft_req_check);
