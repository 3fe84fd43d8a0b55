// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over libpktcraft's userspace input handling: the
 * parsers (pktcraft_parse_*), every option of the option table through an
 * option set (add, apply) as the CLI and the Python binding use it, and
 * the frame decoder (pktcraft_dump_text/_json, with and without the
 * request) on arbitrary bytes. Built with clang -fsanitize=fuzzer,address,
 * undefined by tests/hardening/fuzz-cli.
 *
 * Input: one selector byte, then the argument or the frame. Besides the
 * sanitizers, each parser's contract is checked on success (results in
 * range, lengths within their buffers) and on failure (the error text is a
 * terminated string inside its buffer).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "libpktcraft.h"

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "contract broken: %s (line %d)\n", \
				#cond, __LINE__);			\
			abort();					\
		}							\
	} while (0)

static FILE *devnull;

static void err_ok(const char *err, size_t len)
{
	CHECK(memchr(err, '\0', len) != NULL);
}

/* Options that would touch the world: files, name lookups, interfaces. */
static int safe_option(const struct pktcraft_opt *o)
{
	return o->type != PKTCRAFT_OPT_T_FILE && o->type != PKTCRAFT_OPT_T_ADDR &&
	       o->type != PKTCRAFT_OPT_T_IFNAME;
}

/*
 * The decoder on the bytes as a frame; with a request too, when the bytes
 * are long enough to make one (its payload the tail of the bytes).
 */
static void decode(const uint8_t *data, size_t size, int with_req)
{
	uint8_t *frame = malloc(size ? size : 1);
	struct pktcraft_req req;

	memcpy(frame, data, size);
	if (!with_req) {
		pktcraft_dump_text(devnull, frame, size);
		pktcraft_dump_json(devnull, frame, size, size & 1);
	} else if (size >= sizeof(req)) {
		struct pktcraft_ext *ext = NULL;
		size_t n, left = size - sizeof(req);

		memcpy(&req, frame, sizeof(req));
		req.payload = 0;
		req.payload_len %= 2000;
		/*
		 * IPv6: the extension headers are read in this process, from
		 * the end of the bytes (their data pointers unread: NULL).
		 */
		req.ext_nr %= PKTCRAFT_MAX_EXT + 1;
		n = req.ext_nr * sizeof(*ext);
		if (n > left || !(ext = malloc(n ? n : 1))) {
			req.ext_nr = 0;
			n = 0;
		}
		if (n)
			memcpy(ext, frame + size - n, n);
		for (unsigned int i = 0; i < req.ext_nr; i++)
			ext[i].data = 0;
		req.ext = req.ext_nr ? (uintptr_t)ext : (req.ext & 1);
		pktcraft_req_malformations(&req, NULL, 0);
		pktcraft_dump_text_req(devnull, frame + sizeof(req), left - n, &req);
		pktcraft_dump_json_req(devnull, frame + sizeof(req), left - n, 0, &req);
		free(ext);
	}
	free(frame);
}

/* Two options from the table (by byte), their arguments split at '\n'. */
static void options(const uint8_t *sel, const char *s)
{
	const struct pktcraft_opt *o[2] = { NULL, NULL }, *p;
	struct pktcraft_optset *set = pktcraft_optset_new(sel[0] & 1);
	struct pktcraft_req req;
	char err[160], *copy = strdup(s), *nl, *arg[2];
	size_t n = 0;

	for (p = pktcraft_opt_next(NULL); p; p = pktcraft_opt_next(p))
		n++;
	for (int k = 0; k < 2; k++) {
		size_t want = sel[k] % n;

		for (p = pktcraft_opt_next(NULL); want--; p = pktcraft_opt_next(p))
			;
		o[k] = p;
	}
	arg[0] = copy;
	nl = strchr(copy, '\n');
	if (nl)
		*nl++ = '\0';
	arg[1] = nl ? nl : copy;
	pktcraft_req_init(&req);
	for (int k = 0; k < 2; k++) {
		int rc;

		if (!safe_option(o[k]))
			continue;
		memset(err, 0x55, sizeof(err));
		rc = pktcraft_optset_add(set, o[k]->name, o[k]->arg ? arg[k] : NULL, err,
					 sizeof(err));
		if (rc)
			err_ok(err, sizeof(err));
	}
	memset(err, 0x55, sizeof(err));
	if (pktcraft_optset_apply(set, &req, err, sizeof(err))) {
		err_ok(err, sizeof(err));
	} else {
		CHECK(req.ip_optlen <= PKTCRAFT_MAX_OPTLEN);
		CHECK(req.tcp_optlen <= PKTCRAFT_MAX_OPTLEN);
		CHECK(req.tcp_flags <= PKTCRAFT_TCP_FLAGS_ALL);
		CHECK(req.l4 <= PKTCRAFT_L4_RAW);
		CHECK(req.payload_len <= 0xffff);
		for (int f = 0; f < PKTCRAFT_VARY_NR; f++) {
			const struct pktcraft_vary *vy = &req.vary[f];

			CHECK(vy->mode <= PKTCRAFT_VARY_RANDOM);
			if (vy->mode == PKTCRAFT_VARY_NONE)
				continue;
			CHECK(vy->min <= vy->max);
			CHECK(!vy->reserved[0] && !vy->reserved[1] && !vy->reserved[2]);
			CHECK(vy->mode == PKTCRAFT_VARY_INC ? vy->step >= 1 : vy->step == 0);
		}
		CHECK(pktcraft_req_vary_advance(&req, sel[0]) == 0);
		pktcraft_req_malformations(&req, NULL, 0);
	}
	pktcraft_optset_free(set);
	free(copy);
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
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	/* 0xf0..0xff: the decoder on the rest as a frame (0xf8..: with a request). */
	if (data[0] >= 0xf0) {
		decode(data + 1, size - 1, data[0] >= 0xf8);
		return 0;
	}
	s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	memset(err, 0x55, sizeof(err));
	memset(small_err, 0x55, sizeof(small_err));
	memset(buf, 0xa5, sizeof(buf));

	switch (data[0] % 10) {
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
		rc = (data[0] % 10 == 5 ? pktcraft_parse_tcp_opts : pktcraft_parse_ip_opts)
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
	case 8:
		/* Two options of the table: selector bytes, then the arguments. */
		if (size >= 3) {
			s[size - 1] = '\0';
			options(data + 1, s + 2);
		}
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
