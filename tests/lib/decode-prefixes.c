// SPDX-License-Identifier: GPL-2.0
/*
 * The frame decoder on every truncation of real frames, under ASan and
 * UBSan (tests/unit/run builds it with clang): pktcraft_dump_text/_json,
 * without and with the request each frame was built from, on each prefix
 * of a TCP frame with IP and TCP options, a UDP datagram, an ICMP echo, a
 * non-first fragment, a frame with a lying IHL, and bare IPv4 (no link
 * header); and IPv6 (built by scapy): a chain of Hop-by-Hop, Destination
 * (Home Address), Routing and Fragment headers before UDP, a Segment
 * Routing header before ICMPv6, bare IPv6 TCP, a Destination Options header
 * whose Hdr Ext Len runs past the frame. Exits 0 and prints a PASS line
 * when nothing read out of bounds (a sanitizer report aborts it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "libpktcraft.h"

/* The IPv6 frames' requests: their extension headers (the data unread). */
static const uint8_t tlvs[24];
static const struct pktcraft_ext chain[] = {
	{ .type = PKTCRAFT_EXT_HBH, .len = 4, .data = (uintptr_t)tlvs },
	{ .type = PKTCRAFT_EXT_DST, .len = 22, .data = (uintptr_t)tlvs },
	{ .type = PKTCRAFT_EXT_RT, .segleft = 1, .len = 16, .data = (uintptr_t)tlvs },
	{ .type = PKTCRAFT_EXT_FRAG, .flags = PKTCRAFT_EXT_F_MORE, .frag_id = 1 },
};
static const struct pktcraft_ext srh[] = {
	{ .type = PKTCRAFT_EXT_RT, .rt_type = 4, .segleft = 1, .rt_data = { 1 }, .len = 32,
	  .data = (uintptr_t)tlvs },
};
static const struct pktcraft_ext dsto[] = {
	{ .type = PKTCRAFT_EXT_DST, .flags = PKTCRAFT_EXT_F_HDRLEN, .hdrlen = 5, .len = 6,
	  .data = (uintptr_t)tlvs },
};

static size_t unhex(const char *h, uint8_t *out)
{
	size_t n = 0;

	for (; h[0] && h[1]; h += 2)
		sscanf(h, "%2hhx", &out[n++]);
	return n;
}

int main(void)
{
	static const struct {
		const char *hex;
		int l4;
		uint8_t ipopt, tcpopt;
		const struct pktcraft_ext *ext;	/* IPv6 */
		int ext_nr, v6;
	} frames[] = {
		/* TCP, RR option (8 bytes), MSS + wscale options, "ABC" */
		{ "525400000001525400123456080047000037303900004006000000000a0100020a030002"
		  "0707040000000000" "d431005000000000000000007002ffff00000000020405b4010303070000"
		  "414243", PKTCRAFT_L4_TCP, 7, 7 },
		{ "525400000001525400123456080045000021000100004011000000000a0100020a030002"
		  "d43100350000000071756572790000000000", PKTCRAFT_L4_UDP, 0, 0 },
		{ "52540000000152540012345608004500001c00030000400166d70a0100020a0300020800f7f7"
		  "00070001000000000000000000000000000000000000", PKTCRAFT_L4_ICMP, 0, 0 },
		{ "5254000000015254001234560800450000260001200500061234" "0a0100020a030002"
		  "6d6964646c65", PKTCRAFT_L4_TCP, 0, 0 },
		{ "52540000000152540012345608004f000028000100004006000000000a0100020a030002"
		  "d4310050000000000000000050020000000000000000", PKTCRAFT_L4_TCP, 0, 0 },
		{ "450000200001000040fd00000a0100020a030002" "0102030405060708090a0b0c",
		  PKTCRAFT_L4_RAW, 0, 0 },
		{ "52540000000152540012345686dd60000000004d004020010db800010000000000000000000220"
		  "010db80003000000000000000000023c000502000001002b0201020000c91020010db80000000000"
		  "000000000000092c0200010000000020010db80000000000000000000000071100000100000001d4"
		  "310035000d80037175657279", PKTCRAFT_L4_UDP, 0, 0, chain, 4, 1 },
		{ "52540000000152540012345686dd6000000000302b4020010db800010000000000000000000220"
		  "010db80003000000000000000000023a0404010100000020010db800030000000000000000000220"
		  "010db80000000000000000000000088000243b00070001", PKTCRAFT_L4_ICMP, 0, 0, srh, 1, 1 },
		{ "60000000001b064020010db800010000000000000000000220010db800030000000000000000000"
		  "2d4310050000000000000000060022000c3e50000020405b4414243", PKTCRAFT_L4_TCP, 0, 4,
		  NULL, 0, 1 },
		{ "52540000000152540012345686dd6000000000123c4020010db800010000000000000000000220"
		  "010db80003000000000000000000021105010400000000d4310050000a57657879",
		  PKTCRAFT_L4_UDP, 0, 0, dsto, 1, 1 },
	};
	FILE *null = fopen("/dev/null", "w");
	uint8_t buf[256];
	size_t total = 0;

	for (size_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
		size_t len = unhex(frames[i].hex, buf);
		struct pktcraft_req req;

		pktcraft_req_init(&req);
		pktcraft_req_set_l4(&req, frames[i].l4);
		req.ip_protocol = frames[i].l4 == PKTCRAFT_L4_RAW ? 253 : 0;
		req.ip_optlen = frames[i].ipopt;
		req.tcp_optlen = frames[i].tcpopt;
		if (frames[i].v6) {
			req.family = AF_INET6;
			req.ext_nr = frames[i].ext_nr;
			req.ext = (uintptr_t)frames[i].ext;
		}
		for (size_t n = 0; n <= len; n++) {
			/* The prefix in a buffer of its own size: ASan sees any overread. */
			uint8_t *p = malloc(n ? n : 1);

			memcpy(p, buf, n);
			req.payload_len = n > 60 ? n - 60 : 0;
			if (frames[i].v6)	/* all but the last 5 bytes: payload */
				req.payload_len = n > 60 ? 5 : 0;
			pktcraft_dump_text(null, p, n);
			pktcraft_dump_json(null, p, n, 0);
			pktcraft_dump_text_req(null, p, n, &req);
			pktcraft_dump_json_req(null, p, n, 1, &req);
			free(p);
			total++;
		}
	}
	printf("PASS: decoder: %zu truncations of %zu frames (IPv4 and IPv6) decoded (text, JSON, with and without the request), no read out of bounds\n",
	       total, sizeof(frames) / sizeof(frames[0]));
	return 0;
}
