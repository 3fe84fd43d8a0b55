// SPDX-License-Identifier: GPL-2.0
/*
 * tests/lib/harness.c: a test harness as a user of the installed libpktcraft
 * would write it (compiled against the installed headers with the flags of
 * `pkg-config --cflags --libs pktcraft`). Run in the guest, it sends one TCP
 * packet, dry-runs a UDP one and checks a refusal; it prints PASS:/FAIL:
 * lines for what it can see itself and "HARNESS key=value" lines that the
 * host checks against the capture.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpktcraft.h>

static int failed;

static void check(int ok, const char *what, const char *detail)
{
	printf("%s: lib harness: %s%s%s\n", ok ? "PASS" : "FAIL", what,
	       ok || !detail ? "" : ": ", ok || !detail ? "" : detail);
	failed |= !ok;
}

static void hex(const char *key, const uint8_t *p, size_t n)
{
	printf("HARNESS %s=", key);
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

int main(void)
{
	static uint8_t frame[PKTCRAFT_MAX_FRAME];
	static const char msg[] = "sent by the C harness";
	static const char dgram[] = "dry run only";
	struct pktcraft_req req, udp, bad;
	char err[160] = "", ver[64] = "";
	size_t len = 0;
	int fd, rc;

	check(!strcmp(pktcraft_version(), PKTCRAFT_LIB_VERSION),
	      "pktcraft_version() matches the header", pktcraft_version());
	rc = pktcraft_module_version(ver, sizeof(ver));
	check(rc == 0 && *ver, "pktcraft_module_version() reads the loaded module's", pktcraft_strerror(rc));
	printf("HARNESS lib_version=%s module_version=%s\n", pktcraft_version(), ver);

	fd = pktcraft_open();
	check(fd >= 0, "pktcraft_open()", pktcraft_strerror(fd));
	if (fd < 0)
		return 1;

	/* The packet that goes out: every helper of the builder API. */
	pktcraft_req_init(&req);
	rc = pktcraft_req_set_dst(&req, "10.3.0.2");
	rc = rc ?: pktcraft_req_set_src(&req, "10.1.0.2");
	rc = rc ?: pktcraft_req_set_dev(&req, "eth0");
	rc = rc ?: pktcraft_req_set_dst_mac(&req, "52:54:00:00:00:01");
	rc = rc ?: pktcraft_req_set_tcp_flags(&req, "SA");
	rc = rc ?: pktcraft_req_set_tcp_opts(&req, "mss=1460,sackok,ts=7:9,nop,wscale=7",
					     err, sizeof(err));
	rc = rc ?: pktcraft_req_set_ip_opts(&req, "rr=2", err, sizeof(err));
	rc = rc ?: pktcraft_req_set_payload(&req, msg, strlen(msg));
	pktcraft_req_set_ip_id(&req, 4242);
	req.sport = 40001;
	req.dport = 8080;
	req.tcp_seq = 1000001;
	req.tcp_ack = 2000002;
	req.tcp_win = 1234;
	req.ip_ttl = 33;
	req.ip_tos = 0x10;
	req.ip_frag = PKTCRAFT_IP_DF;
	check(rc == 0, "builder helpers fill the TCP request", err);
	rc = pktcraft_send(fd, &req);
	check(rc == 1, "pktcraft_send() sent 1 packet", pktcraft_strerror(rc));
	printf("HARNESS sent=%d\n", rc == 1);

	/* Dry run: a UDP datagram, built and not sent. */
	pktcraft_req_init(&udp);
	rc = pktcraft_req_set_l4(&udp, PKTCRAFT_L4_UDP);
	rc = rc ?: pktcraft_req_set_dst(&udp, "10.3.0.3");
	rc = rc ?: pktcraft_req_set_payload(&udp, dgram, strlen(dgram));
	udp.sport = 5353;
	udp.dport = 53;
	check(rc == 0 && udp.tcp_flags == 0 && udp.tcp_win == 0,
	      "pktcraft_req_set_l4(UDP) clears the TCP defaults", NULL);
	/* 54 bytes, padded to the Ethernet minimum of 60 by the module. */
	rc = pktcraft_build(fd, &udp, frame, 10, &len, 0);
	check(rc == -ENOSPC && len == 60,
	      "pktcraft_build() into a small buffer: -ENOSPC and the size needed",
	      pktcraft_strerror(rc));
	rc = pktcraft_build(fd, &udp, frame, sizeof(frame), &len, 0);
	check(rc == 0 && len == 60,
	      "pktcraft_build() dry run returns the frame", pktcraft_strerror(rc));
	check(len == 60 && frame[12] == 0x08 && frame[13] == 0x00 && frame[14 + 9] == 17 &&
	      frame[34] == 5353 >> 8 && frame[35] == (5353 & 0xff) &&
	      frame[36] == 0 && frame[37] == 53 &&
	      frame[16] == 0 && frame[17] == 20 + 8 + strlen(dgram) &&
	      !memcmp(frame + 42, dgram, strlen(dgram)),
	      "the built frame is IPv4/UDP 5353 -> 53 with the payload (zero-padded to 60)", NULL);
	hex("built", frame, len);

	/* Refusals: errno and explanation. */
	bad = req;
	bad.reserved0 = 1;
	rc = pktcraft_send(fd, &bad);
	check(rc == -EINVAL && strstr(pktcraft_strerror(rc), "invalid request"),
	      "a non-zero reserved field is refused with -EINVAL and explained",
	      pktcraft_strerror(rc));
	/* A 'prohibit' route's EACCES is the route's, not the open's (docs/abi.md). */
	if (system("ip route replace prohibit 10.66.2.0/24") == 0) {
		pktcraft_req_init(&bad);
		rc = pktcraft_req_set_dst(&bad, "10.66.2.1");
		rc = rc ?: pktcraft_send(fd, &bad);
		check(rc == -EACCES && strstr(pktcraft_strerror(rc), "'prohibit' route"),
		      "a send into a 'prohibit' route gives -EACCES, explained as the route",
		      pktcraft_strerror(rc));
		if (system("ip route del prohibit 10.66.2.0/24"))
			check(0, "remove the 'prohibit' route", NULL);
	} else {
		check(0, "set up a 'prohibit' route (ip route replace)", NULL);
	}
	rc = pktcraft_req_set_tcp_opts(&bad, "mss=99999", err, sizeof(err));
	check(rc == -EINVAL && strstr(err, "mss"), "a bad TCP option spec gives -EINVAL and a reason", err);
	rc = pktcraft_req_set_dst(&bad, "10.3.0");
	check(rc == -EINVAL, "a bad address gives -EINVAL", NULL);

	pktcraft_close(fd);
	return failed;
}
