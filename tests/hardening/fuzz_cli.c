// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over the CLI's option parsing: libpktcraft's
 * pktcraft_parse_* (userspace/parse.c) and the CLI's burst option parsers
 * (userspace/cli-burst.c). Built with clang -fsanitize=fuzzer,address,
 * undefined by tests/hardening/fuzz-cli.
 *
 * Input: one selector byte, then the option argument (NUL-terminated
 * here). Besides the sanitizers, each parser's contract is checked on
 * success (results in range, lengths within their buffers) and on failure
 * (the error text is a terminated string inside its buffer).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "libpktcraft.h"
#include "cli.h"

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "contract broken: %s (line %d)\n", \
				#cond, __LINE__);			\
			abort();					\
		}							\
	} while (0)

static void err_ok(const char *err, size_t len)
{
	CHECK(memchr(err, '\0', len) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, err[160], small_err[8];
	uint8_t buf[PKTCRAFT_MAX_OPTLEN + 8], mac[6];
	uint64_t v, max;
	uint32_t a;
	uint16_t flags;
	size_t len;
	int rc;

	if (size < 1)
		return 0;
	s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	memset(err, 0x55, sizeof(err));
	memset(small_err, 0x55, sizeof(small_err));
	memset(buf, 0xa5, sizeof(buf));

	switch (data[0] % 12) {
	case 0:
		max = data[0] & 0x80 ? UINT64_MAX : 0xffff;
		if (!pktcraft_parse_uint(s, max, &v)) {
			char back[32];

			CHECK(v <= max);
			/* Decimal in, the same number out. */
			if (s[0] != '0' || !s[1] || (s[1] != 'x' && s[1] != 'X')) {
				snprintf(back, sizeof(back), "%llu", (unsigned long long)v);
				CHECK(strtoull(back, NULL, 10) == v);
			}
		}
		break;
	case 1:
		if (!pktcraft_parse_mac(s, mac))
			CHECK(strlen(s) >= 11);
		break;
	case 2:
		pktcraft_parse_ipv4(s, &a);
		break;
	case 3:
		len = 0;
		rc = pktcraft_parse_hex(s, buf, PKTCRAFT_MAX_OPTLEN, &len);
		if (!rc)
			CHECK(len <= PKTCRAFT_MAX_OPTLEN);
		CHECK(buf[PKTCRAFT_MAX_OPTLEN] == 0xa5);
		break;
	case 4:
		if (!pktcraft_parse_tcp_flags(s, &flags))
			CHECK(flags <= PKTCRAFT_TCP_FLAGS_ALL);
		break;
	case 5:
	case 6:
		len = 0;
		rc = (data[0] % 12 == 5 ? pktcraft_parse_tcp_opts : pktcraft_parse_ip_opts)
			(s, buf, &len, err, sizeof(err));
		if (!rc)
			CHECK(len <= PKTCRAFT_MAX_OPTLEN);
		else
			err_ok(err, sizeof(err));
		CHECK(buf[PKTCRAFT_MAX_OPTLEN] == 0xa5);
		break;
	case 7:
		/* A tiny error buffer: the text must be cut, not overflow. */
		len = 0;
		rc = pktcraft_parse_tcp_opts(s, buf, &len, small_err, sizeof(small_err));
		if (rc)
			err_ok(small_err, sizeof(small_err));
		break;
	case 8: {
		struct pktcraft_req req;
		int f;

		pktcraft_req_init(&req);
		req.l4 = data[0] & 0x40 ? PKTCRAFT_L4_UDP : PKTCRAFT_L4_TCP;
		rc = cli_parse_vary(&req, s, err, sizeof(err));
		if (rc) {
			err_ok(err, sizeof(err));
			break;
		}
		for (f = 0; f < PKTCRAFT_VARY_NR; f++) {
			const struct pktcraft_vary *vy = &req.vary[f];

			CHECK(vy->mode <= PKTCRAFT_VARY_RANDOM);
			if (vy->mode == PKTCRAFT_VARY_NONE)
				continue;
			CHECK(vy->min <= vy->max);
			CHECK(!vy->reserved[0] && !vy->reserved[1] && !vy->reserved[2]);
			CHECK(vy->mode == PKTCRAFT_VARY_INC ? vy->step >= 1 : vy->step == 0);
		}
		rc = cli_vary_start(&req, data[0] & 0x20 ? 0 : ~0u, err, sizeof(err));
		if (rc)
			err_ok(err, sizeof(err));
		break;
	}
	case 9:
		if (!cli_parse_rate(s, &v))
			CHECK(v >= 1 && v <= PKTCRAFT_MAX_GAP_NS);
		break;
	case 10:
		if (!cli_parse_interval(s, &v))
			CHECK(v >= 1 && v <= PKTCRAFT_MAX_GAP_NS);
		break;
	default: {
		/* The same string through every parser. */
		len = 0;
		pktcraft_parse_uint(s, UINT64_MAX, &v);
		pktcraft_parse_mac(s, mac);
		pktcraft_parse_ipv4(s, &a);
		pktcraft_parse_hex(s, buf, PKTCRAFT_MAX_OPTLEN, &len);
		pktcraft_parse_tcp_flags(s, &flags);
		len = 0;
		pktcraft_parse_ip_opts(s, buf, &len, err, sizeof(err));
		CHECK(len <= PKTCRAFT_MAX_OPTLEN);
		break;
	}
	}
	free(s);
	return 0;
}
