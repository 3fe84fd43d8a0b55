// SPDX-License-Identifier: GPL-2.0
/*
 * IPv6: checking an IPv6 request and its extension headers, and writing the
 * IPv6 header, the extension headers (next headers chained, options padded)
 * and the layer 4 checksum over the IPv6 pseudo-header.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ipv6.h>
#include <linux/in6.h>
#include <linux/uaccess.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include "pktcraft.h"

#define IP6_HLEN	sizeof(struct ipv6hdr)

/* The flags each extension header type takes. */
static const u8 ext_flags[] = {
	[PKTCRAFT_EXT_HBH] = PKTCRAFT_EXT_F_NEXTHDR | PKTCRAFT_EXT_F_HDRLEN |
			     PKTCRAFT_EXT_F_NOPAD,
	[PKTCRAFT_EXT_DST] = PKTCRAFT_EXT_F_NEXTHDR | PKTCRAFT_EXT_F_HDRLEN |
			     PKTCRAFT_EXT_F_NOPAD,
	[PKTCRAFT_EXT_RT] = PKTCRAFT_EXT_F_NEXTHDR | PKTCRAFT_EXT_F_HDRLEN,
	[PKTCRAFT_EXT_FRAG] = PKTCRAFT_EXT_F_NEXTHDR | PKTCRAFT_EXT_F_HDRLEN |
			      PKTCRAFT_EXT_F_MORE,
	[PKTCRAFT_EXT_RAW] = PKTCRAFT_EXT_F_NEXTHDR | PKTCRAFT_EXT_F_HDRLEN,
};

/* The protocol number that announces @e in the header before it. */
static u8 ext_proto(const struct pktcraft_ext *e)
{
	switch (e->type) {
	case PKTCRAFT_EXT_HBH:
		return NEXTHDR_HOP;
	case PKTCRAFT_EXT_DST:
		return NEXTHDR_DEST;
	case PKTCRAFT_EXT_RT:
		return NEXTHDR_ROUTING;
	case PKTCRAFT_EXT_FRAG:
		return NEXTHDR_FRAGMENT;
	default:
		return e->proto;
	}
}

/* Where its data starts in the header. */
static u32 ext_data_off(const struct pktcraft_ext *e)
{
	return e->type == PKTCRAFT_EXT_RT ? 8 : 2;
}

/* Pad1/PadN bytes an options header gets after its TLVs. */
static u32 ext_pad(const struct pktcraft_ext *e)
{
	if ((e->type != PKTCRAFT_EXT_HBH && e->type != PKTCRAFT_EXT_DST) ||
	    e->flags & PKTCRAFT_EXT_F_NOPAD)
		return 0;
	return -(2 + e->len) & 7;
}

/* Its length on the wire (a checked header: no overflow). */
static u32 ext_size(const struct pktcraft_ext *e)
{
	if (e->type == PKTCRAFT_EXT_FRAG)
		return 8;
	return ext_data_off(e) + e->len + ext_pad(e);
}

/*
 * One extension header: *@size its length. Fields that do not belong to
 * its type are 0; without a forced Hdr Ext Len the length is a multiple of
 * 8 octets.
 */
static int ext_check(const struct pktcraft_ext *e, u32 *size)
{
	bool rt = e->type == PKTCRAFT_EXT_RT;
	bool frag = e->type == PKTCRAFT_EXT_FRAG;

	if (e->type >= ARRAY_SIZE(ext_flags) || e->flags & ~ext_flags[e->type])
		return -EINVAL;
	if (e->reserved || e->reserved2)
		return -EINVAL;
	if ((!(e->flags & PKTCRAFT_EXT_F_NEXTHDR) && e->nexthdr) ||
	    (!(e->flags & PKTCRAFT_EXT_F_HDRLEN) && e->hdrlen))
		return -EINVAL;
	if (e->type != PKTCRAFT_EXT_RAW && e->proto)
		return -EINVAL;
	/* ESP has no next header or length there: it is a payload (l4 RAW). */
	if (e->type == PKTCRAFT_EXT_RAW && e->proto == NEXTHDR_ESP)
		return -EINVAL;
	if (!rt && (e->rt_type || e->segleft || memchr_inv(e->rt_data, 0, sizeof(e->rt_data))))
		return -EINVAL;
	if (!frag && (e->frag_off || e->frag_id))
		return -EINVAL;
	if (frag && (e->frag_off > 0x1fff || e->len || e->data))
		return -EINVAL;
	if (e->len > PKTCRAFT_MAX_EXT_LEN)
		return -EINVAL;
	if (e->len && !e->data)
		return -EFAULT;
	*size = ext_size(e);
	if (*size > PKTCRAFT_MAX_EXT_LEN)
		return -EINVAL;
	if (!(e->flags & PKTCRAFT_EXT_F_HDRLEN) && *size % 8)
		return -EINVAL;
	/* AH's length counts 4-octet units less 2 (write_ext()): a byte's */
	if (!(e->flags & PKTCRAFT_EXT_F_HDRLEN) && e->type == PKTCRAFT_EXT_RAW &&
	    e->proto == NEXTHDR_AUTH && *size / 4 - 2 > U8_MAX)
		return -EINVAL;
	return 0;
}

/*
 * The pseudo-header's destination (RFC 8200 8.1): with a Routing header
 * that has segments left, the final one; the last such header counts. Its
 * addresses are its data: the final one is the last of them (whole 16-byte
 * addresses only), or for Segment Routing (type 4, RFC 8754: the list is
 * in reverse order, TLVs may follow it) Segment List[0], the first.
 */
static void final_dest(const struct pktcraft_ext *e, u32 off, u32 *final)
{
	if (e->type != PKTCRAFT_EXT_RT || !e->segleft ||
	    e->len < sizeof(struct in6_addr))
		return;
	if (e->rt_type == IPV6_SRCRT_TYPE_4)
		*final = off + ext_data_off(e);
	else if (!(e->len % sizeof(struct in6_addr)))
		*final = off + ext_data_off(e) + e->len - sizeof(struct in6_addr);
}

/* IPv4-only fields of a request left 0 on IPv6. */
static bool ip4_fields_zero(const struct pktcraft_req *req)
{
	return !(req->ip_ihl | req->ip_id | req->ip_frag | req->ip_csum |
		 req->ip_saddr | req->ip_daddr | req->ip_optlen) &&
	       !(req->flags & (PKTCRAFT_F_IP_ID | PKTCRAFT_F_IP_CSUM |
			       PKTCRAFT_F_IP_IHL));
}

/**
 * pktcraft_ip6_check - the IPv6 part of pktcraft_req_check()
 * @req: an IPv6 request
 * @ext: the copy of its extension headers, or NULL
 * @lay: gets ip_hlen (IPv6 header and extension headers), final_off, the
 *       extension headers and ipv6
 *
 * Return: 0, -EAFNOSUPPORT (IPv6 is disabled in this kernel: booted with
 * ipv6.disable=1), -EINVAL (an IPv4 field set, flow label over 20 bits,
 * next header given without its flag, too many or malformed extension
 * headers) or -EFAULT (extension headers without a pointer), -EMSGSIZE
 * (more than an IPv6 payload length can say).
 */
int pktcraft_ip6_check(const struct pktcraft_req *req,
		       const struct pktcraft_ext *ext,
		       struct pktcraft_layout *lay)
{
	u32 off = IP6_HLEN, size;
	u32 final = offsetof(struct ipv6hdr, daddr);
	unsigned int i;
	int err;

	/* ipv6.disable=1: no routing tables, no neighbour discovery table. */
	if (!ipv6_mod_enabled())
		return -EAFNOSUPPORT;
	if (!ip4_fields_zero(req))
		return -EINVAL;
	if (req->ip6_flowlabel > 0xfffff ||
	    (!(req->flags & PKTCRAFT_F_IP6_NEXTHDR) && req->ip6_nexthdr))
		return -EINVAL;
	if (req->ext_nr > PKTCRAFT_MAX_EXT || (!req->ext_nr && req->ext))
		return -EINVAL;
	if (req->ext_nr && !req->ext)
		return -EFAULT;
	if (req->ext_nr && !ext)	/* pktcraft_ext_from_user() said why */
		return -EFAULT;

	for (i = 0; i < req->ext_nr; i++) {
		err = ext_check(&ext[i], &size);
		if (err)
			return err;
		final_dest(&ext[i], off, &final);
		off += size;
		if (off - IP6_HLEN > 0xffff)
			return -EMSGSIZE;
	}
	lay->ipv6 = true;
	lay->ip_hlen = off;
	lay->final_off = final;
	lay->ext_nr = req->ext_nr;
	lay->ext = req->ext_nr ? ext : NULL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pktcraft_ip6_check);

/**
 * pktcraft_ip6_copy_ext - copy the extension headers' data into the packet
 * @lay: layout of a checked IPv6 request
 * @l3: the packet
 *
 * Return: 0 or -EFAULT.
 */
int pktcraft_ip6_copy_ext(const struct pktcraft_layout *lay, void *l3)
{
	u32 off = IP6_HLEN;
	unsigned int i;

	for (i = 0; i < lay->ext_nr; i++) {
		const struct pktcraft_ext *e = &lay->ext[i];

		if (copy_from_user(l3 + off + ext_data_off(e),
				   u64_to_user_ptr(e->data), e->len))
			return -EFAULT;
		off += ext_size(e);
	}
	return 0;
}

/*
 * The pseudo-header's source: the IPv6 header's, or the Home Address of a
 * Home Address option (RFC 6275 6.3: type 0xc9, 16 bytes) in a Destination
 * Options header before the layer 4 header, which a Mobile IPv6 receiver
 * swaps in before it checks the checksum (the last one counts). The TLVs
 * are the caller's: walked as they are, stopping at one that overruns.
 */
static const struct in6_addr *pseudo_saddr(const struct pktcraft_layout *lay,
					   const u8 *l3)
{
	const struct in6_addr *saddr = &((const struct ipv6hdr *)l3)->saddr;
	u32 off = IP6_HLEN, i, t;

	for (i = 0; i < lay->ext_nr; off += ext_size(&lay->ext[i]), i++) {
		const struct pktcraft_ext *e = &lay->ext[i];
		const u8 *tlv = l3 + off + 2;

		if (e->type != PKTCRAFT_EXT_DST)
			continue;
		for (t = 0; t < e->len; ) {
			if (tlv[t] == IPV6_TLV_PAD1) {
				t++;
				continue;
			}
			if (t + 2 > e->len || t + 2 + tlv[t + 1] > e->len)
				break;
			if (tlv[t] == IPV6_TLV_HAO &&
			    tlv[t + 1] == sizeof(struct in6_addr))
				saddr = (const struct in6_addr *)&tlv[t + 2];
			t += 2 + tlv[t + 1];
		}
	}
	return saddr;
}

/**
 * pktcraft_ip6_hao - does a Home Address option stand in for the source?
 * @lay: layout of a checked IPv6 request
 * @l3: the packet as pktcraft_ip6_write() wrote it
 *
 * Then the pseudo-header's source is not the IPv6 header's, and a burst
 * that varies the header's source leaves the layer 4 checksum alone.
 */
bool pktcraft_ip6_hao(const struct pktcraft_layout *lay, const void *l3)
{
	return pseudo_saddr(lay, l3) != &((const struct ipv6hdr *)l3)->saddr;
}

/* The fixed part of one extension header, around its data; @nh: what follows. */
static void write_ext(const struct pktcraft_ext *e, u8 *h, u8 nh)
{
	u32 size = ext_size(e), pad = ext_pad(e);
	u8 *p;

	h[0] = e->flags & PKTCRAFT_EXT_F_NEXTHDR ? e->nexthdr : nh;
	if (e->flags & PKTCRAFT_EXT_F_HDRLEN)
		h[1] = e->hdrlen;
	else if (e->type == PKTCRAFT_EXT_FRAG)
		h[1] = 0;
	else if (e->type == PKTCRAFT_EXT_RAW && e->proto == NEXTHDR_AUTH)
		h[1] = size / 4 - 2;	/* AH: 4-octet units, minus 2 (RFC 4302) */
	else
		h[1] = size / 8 - 1;

	switch (e->type) {
	case PKTCRAFT_EXT_HBH:
	case PKTCRAFT_EXT_DST:
		p = h + 2 + e->len;
		if (pad == 1) {
			*p = IPV6_TLV_PAD1;
		} else if (pad) {
			p[0] = IPV6_TLV_PADN;
			p[1] = pad - 2;
			memset(p + 2, 0, pad - 2);
		}
		break;
	case PKTCRAFT_EXT_RT:
		h[2] = e->rt_type;
		h[3] = e->segleft;
		memcpy(h + 4, e->rt_data, sizeof(e->rt_data));
		break;
	case PKTCRAFT_EXT_FRAG:
		put_unaligned_be16(e->frag_off << 3 |
				   ((e->flags & PKTCRAFT_EXT_F_MORE) ? IP6_MF : 0),
				   h + 2);
		put_unaligned_be32(e->frag_id, h + 4);
		break;
	}
}

/**
 * pktcraft_ip6_write - write the IPv6 and layer 4 headers and checksum
 * @req: validated IPv6 request
 * @lay: its layout
 * @saddr: source used when the request leaves it ::
 * @l3: the packet, @lay->len bytes, the extension headers' data and the
 *      payload in place
 * @payload: the payload's partial sum (pktcraft_build_data()'s
 *           copy_payload()): csum_partial()'s modulo 0xffff, 0 only for
 *           zeros
 *
 * The layer 4 checksum covers the pseudo-header with the final destination
 * (and a Home Address option's source) and the real layer 4 length; a
 * forced one is stored as given; a computed UDP checksum of 0 is sent as
 * 0xffff (RFC 8200 8.1).
 */
void pktcraft_ip6_write(const struct pktcraft_req *req,
			const struct pktcraft_layout *lay,
			const struct in6_addr *saddr, void *l3, __wsum payload)
{
	struct ipv6hdr *ip6h = l3;
	u32 l4_len = lay->len - lay->ip_hlen;
	u16 plen = req->ip_tot_len;
	u32 off = IP6_HLEN;
	__sum16 *check;
	unsigned int i;

	if (!plen && !(req->flags & PKTCRAFT_F_IP_TOT_LEN))
		plen = lay->len - IP6_HLEN;
	put_unaligned_be32((u32)(req->ip_version ?: 6) << 28 |
			   (u32)req->ip_tos << 20 | req->ip6_flowlabel, l3);
	ip6h->payload_len = htons(plen);
	if (req->flags & PKTCRAFT_F_IP6_NEXTHDR)
		ip6h->nexthdr = req->ip6_nexthdr;
	else
		ip6h->nexthdr = lay->ext_nr ? ext_proto(&lay->ext[0]) :
					      lay->protocol;
	ip6h->hop_limit = req->ip_ttl;
	if (!ipv6_addr_any((const struct in6_addr *)req->ip6_saddr) ||
	    req->flags & PKTCRAFT_F_IP_SADDR)
		memcpy(&ip6h->saddr, req->ip6_saddr, sizeof(ip6h->saddr));
	else
		ip6h->saddr = *saddr;
	memcpy(&ip6h->daddr, req->ip6_daddr, sizeof(ip6h->daddr));

	for (i = 0; i < lay->ext_nr; i++) {
		const struct pktcraft_ext *e = &lay->ext[i];

		write_ext(e, l3 + off, i + 1 < lay->ext_nr ?
				       ext_proto(&lay->ext[i + 1]) :
				       lay->protocol);
		off += ext_size(e);
	}

	pktcraft_write_l4(req, lay, l3 + lay->ip_hlen);
	check = pktcraft_l4_check(req, l3 + lay->ip_hlen);
	if (!check)
		return;
	if (req->flags & PKTCRAFT_F_L4_CSUM) {
		*check = (__force __sum16)htons(req->l4_csum);
		return;
	}
	*check = csum_ipv6_magic(pseudo_saddr(lay, l3), l3 + lay->final_off,
				 l4_len, lay->protocol,
				 pktcraft_l4_hdr_sum(l3 + lay->ip_hlen,
						     lay->l4_hlen, payload));
	if (req->l4 == PKTCRAFT_L4_UDP && !*check)
		*check = CSUM_MANGLED_0;
}
EXPORT_SYMBOL_IF_KUNIT(pktcraft_ip6_write);
