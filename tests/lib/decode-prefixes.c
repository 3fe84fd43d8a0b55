// SPDX-License-Identifier: GPL-2.0
/*
 * The frame decoder on every truncation of real frames, under ASan and
 * UBSan (tests/unit/run builds it with clang): pktcraft_dump_text/_json,
 * without and with the request each frame was built from, on each prefix
 * of a TCP frame with IP and TCP options, a UDP datagram, an ICMP echo, a
 * non-first fragment, a frame with a lying IHL, and bare IPv4 (no link
 * header). Exits 0 and prints a PASS line when nothing read out of bounds
 * (a sanitizer report aborts it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "libpktcraft.h"

static size_t unhex(const char *h, uint8_t *out)
{
	size_t n = 0;

	for (; h[0] && h[1]; h += 2)
		sscanf(h, "%2hhx", &out[n++]);
	return n;
}

int main(void)
{
	static const struct { const char *hex; int l4; uint8_t ipopt, tcpopt; } frames[] = {
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
		for (size_t n = 0; n <= len; n++) {
			/* The prefix in a buffer of its own size: ASan sees any overread. */
			uint8_t *p = malloc(n ? n : 1);

			memcpy(p, buf, n);
			req.payload_len = n > 60 ? n - 60 : 0;
			pktcraft_dump_text(null, p, n);
			pktcraft_dump_json(null, p, n, 0);
			pktcraft_dump_text_req(null, p, n, &req);
			pktcraft_dump_json_req(null, p, n, 1, &req);
			free(p);
			total++;
		}
	}
	printf("PASS: decoder: %zu truncations of 6 frames decoded (text, JSON, with and without the request), no read out of bounds\n",
	       total);
	return 0;
}
