// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The kernel/user boundary, shown: an ioctl's command number taken apart and
 * the structs it carries, field by field, as they cross. The layout comes
 * from the UAPI header through the build (scripts/uapi-fields): names from
 * the header, offsets and sizes from the compiler.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "libpktcraft.h"
#include "internal.h"

#include "uapi_fields.h"

/* The most of a struct the describers copy. */
#define PKTC_PEEK_MAX	4096

/* The ioctls, by the names the header gives them, and what they carry. */
static const struct {
	unsigned long cmd;
	const char *name, *type;
} ioctls[] = {
	{ PKTCRAFT_IOC_SEND, "PKTCRAFT_IOC_SEND", "pktcraft_req" },
	{ PKTCRAFT_IOC_BUILD, "PKTCRAFT_IOC_BUILD", "pktcraft_build" },
	{ PKTCRAFT_IOC_GET_STATS, "PKTCRAFT_IOC_GET_STATS", "pktcraft_stats" },
	{ PKTCRAFT_IOC_SNDBUF, "PKTCRAFT_IOC_SNDBUF", "pktcraft_sndbuf" },
	{ PKTCRAFT_IOC_SEND_BATCH, "PKTCRAFT_IOC_SEND_BATCH", "pktcraft_batch" },
};

/* A batch's requests shown, at most (then how many more). */
#define PKTC_BATCH_SHOWN	4

/* Where pktc_ioctl() shows the ioctls; set once, before the threads. */
static FILE *observer;

/*
 * Copies @n bytes at a user pointer the way the kernel would read them:
 * 0, or -1 for memory that is not readable (where the ioctl would get
 * EFAULT), without faulting: write() to a pipe checks the source for us.
 */
static int peek(void *dst, const void *src, size_t n)
{
	int p[2], ok;

	if (!src || n > PKTC_PEEK_MAX || pipe2(p, O_CLOEXEC | O_NONBLOCK))
		return -1;
	ok = write(p[1], src, n) == (ssize_t)n && read(p[0], dst, n) == (ssize_t)n;
	close(p[0]);
	close(p[1]);
	return ok ? 0 : -1;
}

void pktcraft_show_ioctl(FILE *f)
{
	observer = f;
}

static const struct pktcraft_struct_fields *find_struct(const char *name)
{
	for (const struct pktcraft_struct_fields *s = pktcraft_structs; s->name; s++)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

void pktcraft_ioc_describe(FILE *f, unsigned long cmd)
{
	static const char *const dirs[] = {
		"_IOC_NONE", "_IOC_WRITE: the kernel reads the struct",
		"_IOC_READ: the kernel writes the struct",
		"_IOC_READ|_IOC_WRITE: the kernel reads the struct and writes into it",
	};
	const char *name = "an unknown command";

	for (size_t i = 0; i < sizeof(ioctls) / sizeof(ioctls[0]); i++)
		if (ioctls[i].cmd == cmd)
			name = ioctls[i].name;
	fprintf(f, "ioctl %s = 0x%08lx\n", name, cmd);
	fprintf(f, "  _IOC_DIR  %-5lu %s\n", (unsigned long)_IOC_DIR(cmd), dirs[_IOC_DIR(cmd) & 3]);
	fprintf(f, "  _IOC_TYPE 0x%-3lx PKTCRAFT_IOC_MAGIC%s\n", (unsigned long)_IOC_TYPE(cmd),
		_IOC_TYPE(cmd) == PKTCRAFT_IOC_MAGIC ? "" : " (not pktcraft's)");
	fprintf(f, "  _IOC_NR   %lu\n", (unsigned long)_IOC_NR(cmd));
	fprintf(f, "  _IOC_SIZE %-5lu the struct's version-0 size; the real size travels in its size field\n",
		(unsigned long)_IOC_SIZE(cmd));
}

static uint64_t get_uint(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	memcpy(&v, p, n < sizeof(v) ? n : sizeof(v));	/* little-endian hosts: the low bytes */
	return v;
}

static int64_t get_int(const uint8_t *p, size_t n)
{
	uint64_t v = get_uint(p, n);
	unsigned int bits = n * 8;

	if (bits < 64 && v >> (bits - 1))
		v |= ~0ULL << bits;
	return (int64_t)v;
}

static int all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Bit names of a flags field, by struct: "0x85 (IP_ID|IP_TOT_LEN|IP6_NEXTHDR)". */
static const char *const req_flags[] = {
	"IP_ID", "IP_SADDR", "IP_TOT_LEN", "IP_CSUM", "IP_IHL", "L4_CSUM", "L4_LEN",
	"IP6_NEXTHDR", NULL,
};
static const char *const ext_flags[] = { "NEXTHDR", "HDRLEN", "NOPAD", "MORE", NULL };
static const char *const ext_types[] = { "HBH", "DST", "RT", "FRAG", "RAW", NULL };

static void flag_names(char *out, size_t len, uint64_t v, const char *const *names)
{
	size_t n = snprintf(out, len, "0x%llx", (unsigned long long)v);
	const char *sep = " (";

	for (unsigned int i = 0; names[i] && n < len; i++)
		if (v & 1ULL << i) {
			n += snprintf(out + n, len - n, "%s%s", sep, names[i]);
			sep = "|";
		}
	if (v >> 8 && n < len)	/* bits without a name: the kernel says EINVAL */
		n += snprintf(out + n, len - n, "%sunknown", sep), sep = "|";
	if (*sep == '|' && n < len)
		snprintf(out + n, len - n, ")");
}

/* The value of member @name of struct @type, as text. */
static void value_of(char *out, size_t len, const char *type, const char *name,
		     const struct pktcraft_field *fl, const uint8_t *p)
{
	size_t nlen = strlen(name);
	int req = !strcmp(type, "pktcraft_req"), ext = !strcmp(type, "pktcraft_ext");

	if (fl->elem == 1 && fl->size == 6 && nlen > 4 && !strcmp(name + nlen - 4, "_mac")) {
		snprintf(out, len, "%02x:%02x:%02x:%02x:%02x:%02x", p[0], p[1], p[2], p[3], p[4], p[5]);
	} else if (req && fl->size == 16 && (!strcmp(name, "ip6_saddr") || !strcmp(name, "ip6_daddr"))) {
		inet_ntop(AF_INET6, p, out, len);
	} else if (fl->size != fl->elem) {
		snprintf(out, len, "%s", all_zero(p, fl->size) ? "(all 0)" : "(bytes)");
	} else if (fl->size == 4 && (!strcmp(name, "ip_saddr") || !strcmp(name, "ip_daddr"))) {
		char a[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, p, a, sizeof(a));
		snprintf(out, len, "%s (network order)", a);
	} else if (fl->kind == PKTCRAFT_FIELD_SIGNED) {
		snprintf(out, len, "%lld", (long long)get_int(p, fl->size));
	} else if (!strcmp(name, "payload") || !strcmp(name, "req") || !strcmp(name, "buf") ||
		   (req && !strcmp(name, "ext")) || (ext && !strcmp(name, "data"))) {
		snprintf(out, len, "0x%llx (user pointer)", (unsigned long long)get_uint(p, 8));
	} else if (req && !strcmp(name, "family")) {
		unsigned int v = p[0];

		snprintf(out, len, "%u (%s)", v, v == 0 ? "IPv4" : v == AF_INET ? "AF_INET: IPv4" :
			 v == AF_INET6 ? "AF_INET6: IPv6" : "unknown: EINVAL");
	} else if ((req || ext) && !strcmp(name, "flags") && get_uint(p, fl->size)) {
		flag_names(out, len, get_uint(p, fl->size), req ? req_flags : ext_flags);
	} else if (ext && !strcmp(name, "type")) {
		snprintf(out, len, "%u (%s)", p[0], p[0] <= PKTCRAFT_EXT_RAW ? ext_types[p[0]] :
			 "unknown");
	} else if (strstr(name, "flags") || strstr(name, "csum")) {
		snprintf(out, len, "0x%llx", (unsigned long long)get_uint(p, fl->size));
	} else {
		snprintf(out, len, "%llu", (unsigned long long)get_uint(p, fl->size));
	}
}

static void bytes_of(FILE *f, const uint8_t *p, size_t n)
{
	size_t shown = n > 16 ? 16 : n;

	if (n > 4 && all_zero(p, n)) {
		fprintf(f, "00 x %zu", n);
		return;
	}
	for (size_t i = 0; i < shown; i++)
		fprintf(f, "%s%02x", i ? " " : "", p[i]);
	if (shown < n)
		fprintf(f, " ... (%zu bytes)", n);
}

/* The name of the struct whose members @fields are. */
static const char *struct_name(const struct pktcraft_field *fields)
{
	for (const struct pktcraft_struct_fields *s = pktcraft_structs; s->name; s++)
		if (s->fields == fields)
			return s->name;
	return "";
}

/*
 * Each field of @fields at @base within @p (@len bytes known), or with
 * @before only those whose bytes differ from it. Returns how many lines.
 */
static int walk(FILE *f, const struct pktcraft_field *fields, const char *prefix,
		size_t base, const uint8_t *p, size_t len, const uint8_t *before)
{
	const char *type = struct_name(fields);
	char name[96], val[128];
	size_t end = base;
	int lines = 0;

	for (const struct pktcraft_field *fl = fields; fl->name; fl++) {
		size_t off = base + fl->offset;

		if (off > end && !before) {
			fprintf(f, "  %6zu %4zu %-22s %-28s ", end, off - end, "(hole)", "");
			bytes_of(f, p + end, off - end);
			fputc('\n', f);
		}
		end = off + fl->size;
		if (off + fl->size > len)
			break;
		if (fl->kind == PKTCRAFT_FIELD_STRUCT) {
			for (size_t i = 0; i < fl->size / fl->elem; i++) {
				if (fl->size == fl->elem)	/* one struct, not an array */
					snprintf(name, sizeof(name), "%s%s.", prefix, fl->name);
				else
					snprintf(name, sizeof(name), "%s%s[%zu].", prefix, fl->name, i);
				lines += walk(f, fl->sub, name, off + i * fl->elem, p, len, before);
			}
			continue;
		}
		if (before && !memcmp(p + off, before + off, fl->size))
			continue;
		snprintf(name, sizeof(name), "%s%s", prefix, fl->name);
		value_of(val, sizeof(val), type, fl->name, fl, p + off);
		/* two spaces at least between a long value and the bytes */
		fprintf(f, "  %6zu %4zu %-22s %-28s %s", off, fl->size, name, val,
			strlen(val) >= 28 ? " " : "");
		bytes_of(f, p + off, fl->size);
		fputc('\n', f);
		lines++;
	}
	return lines;
}

/* @len bytes of user memory at @uptr, the first of them shown. */
static void user_bytes(FILE *f, const char *what, uint32_t len, uint64_t uptr)
{
	uint8_t head[16];
	size_t n = len < sizeof(head) ? len : sizeof(head);

	fprintf(f, "  %s: %u bytes of user memory at 0x%llx, copied in by the kernel: ", what,
		len, (unsigned long long)uptr);
	if (peek(head, (const void *)(uintptr_t)uptr, n))
		fprintf(f, "not readable (the kernel will say EFAULT)");
	else
		bytes_of(f, head, n);
	if (n < len)
		fprintf(f, " ... (%u bytes)", len);
	fputc('\n', f);
}

/*
 * A request's extension headers (its ext pointer followed, as the kernel
 * copies them in): each struct pktcraft_ext field by field, then its data.
 */
static void show_exts(FILE *f, const void *p)
{
	uint8_t e[sizeof(struct pktcraft_ext)];
	uint16_t nr;
	uint64_t uptr;
	char name[16];

	/* @p need not be aligned: the fields are copied out. */
	memcpy(&nr, (const uint8_t *)p + offsetof(struct pktcraft_req, ext_nr), sizeof(nr));
	memcpy(&uptr, (const uint8_t *)p + offsetof(struct pktcraft_req, ext), sizeof(uptr));
	if (!nr)
		return;
	fprintf(f, "  ext: %u struct pktcraft_ext (%zu bytes each) of user memory at 0x%llx, copied in by the kernel%s\n",
		nr, sizeof(struct pktcraft_ext), (unsigned long long)uptr,
		nr > PKTCRAFT_MAX_EXT ? " (more than PKTCRAFT_MAX_EXT: the kernel says EINVAL)" : ":");
	for (unsigned int i = 0; i < nr && i < PKTCRAFT_MAX_EXT; i++) {
		const void *up = (const void *)(uintptr_t)(uptr + i * sizeof(e));
		uint32_t dlen;
		uint64_t dptr;

		if (peek(e, up, sizeof(e))) {
			fprintf(f, "  ext[%u] at 0x%llx: not readable (the kernel will say EFAULT)\n", i,
				(unsigned long long)(uintptr_t)up);
			return;
		}
		snprintf(name, sizeof(name), "ext[%u].", i);
		walk(f, pktcraft_ext_fields, name, 0, e, sizeof(e), NULL);
		memcpy(&dlen, e + offsetof(struct pktcraft_ext, len), sizeof(dlen));
		memcpy(&dptr, e + offsetof(struct pktcraft_ext, data), sizeof(dptr));
		if (dlen) {
			snprintf(name, sizeof(name), "ext[%u] data", i);
			user_bytes(f, name, dlen, dptr);
		}
	}
}

int pktcraft_struct_describe(FILE *f, const char *type, const void *p, size_t len,
			     const void *before)
{
	const struct pktcraft_struct_fields *s = find_struct(type);

	if (!s)
		return -EINVAL;
	if (!before)
		fprintf(f, "struct %s, %zu bytes%s:\n  %6s %4s %-22s %-28s %s\n", type, len,
			len == s->size ? "" : len < s->size ? " (an older, shorter version)" :
			" (longer than this library knows)", "offset", "size", "field", "value",
			"bytes");
	if (walk(f, s->fields, "", 0, p, len < s->size ? len : s->size, before) == 0 && before)
		fprintf(f, "  (nothing)\n");
	if (!before && !strcmp(type, "pktcraft_req") &&
	    len >= offsetof(struct pktcraft_req, payload) + sizeof(uint64_t)) {
		uint32_t plen;
		uint64_t uptr;

		/* @p need not be aligned: the fields are copied out. */
		memcpy(&plen, (const uint8_t *)p + offsetof(struct pktcraft_req, payload_len), sizeof(plen));
		memcpy(&uptr, (const uint8_t *)p + offsetof(struct pktcraft_req, payload), sizeof(uptr));

		if (plen)
			user_bytes(f, "payload", plen, uptr);
	}
	if (!before && !strcmp(type, "pktcraft_req") &&
	    len >= offsetof(struct pktcraft_req, ext) + sizeof(uint64_t))
		show_exts(f, p);
	if (len > s->size && !before) {
		fprintf(f, "  %6zu %4zu %-22s %-28s ", s->size, len - s->size, "(unknown tail)", "");
		bytes_of(f, (const uint8_t *)p + s->size, len - s->size);
		fputc('\n', f);
	}
	return 0;
}

size_t pktcraft_req_describe(const struct pktcraft_req *req, char *buf, size_t len)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f;

	if (buf && len)
		buf[0] = '\0';
	if (!req || !(f = open_memstream(&text, &n)))
		return 0;
	pktcraft_ioc_describe(f, PKTCRAFT_IOC_SEND);
	/* A larger declared size (a newer caller's) is more than @req holds here. */
	pktcraft_struct_describe(f, "pktcraft_req", req,
				 req->size && req->size < sizeof(*req) ? req->size : sizeof(*req), NULL);
	if (req->size > sizeof(*req))
		fprintf(f, "  (size declares %u bytes: %zu more than struct pktcraft_req has here)\n",
			req->size, req->size - sizeof(*req));
	fclose(f);
	if (buf && len)
		snprintf(buf, len, "%s", text ? text : "");
	free(text);
	return n;
}

/*
 * The counters: the __u64 members of struct pktcraft_counters before its
 * reserved tail, in order (the CLI and the Python binding name them here).
 */
const char *pktcraft_counter_name(unsigned int i)
{
	const struct pktcraft_field *fl = pktcraft_counters_fields;

	/* Counter i is the u64 at 8 * i (GET_STATS readers index them so). */
	for (unsigned int k = 0; fl->name && strcmp(fl->name, "reserved"); fl++, k++)
		if (k == i)
			return fl->size == 8 && fl->offset == 8 * k ? fl->name : NULL;
	return NULL;
}

/* The struct an ioctl carries, or NULL for a command of someone else's. */
static const char *carried(unsigned long cmd)
{
	for (size_t i = 0; i < sizeof(ioctls) / sizeof(ioctls[0]); i++)
		if (ioctls[i].cmd == cmd)
			return ioctls[i].type;
	return NULL;
}

/*
 * A copy of the struct at @arg as its size field declares it (every one
 * starts with __u32 size), at most PKTC_PEEK_MAX bytes; 0 if unreadable.
 */
static size_t snapshot(uint8_t *buf, const void *arg)
{
	uint32_t size;

	if (peek(&size, arg, sizeof(size)))
		return 0;
	if (size > PKTC_PEEK_MAX)
		size = PKTC_PEEK_MAX;
	if (size < sizeof(size) || peek(buf, arg, size))
		return 0;
	return size;
}

static void show_struct(FILE *out, const char *type, const uint8_t *copy, size_t len,
			const void *arg)
{
	if (len)
		pktcraft_struct_describe(out, type, copy, len, NULL);
	else
		fprintf(out, "struct %s at %p: not readable (the kernel will say EFAULT)\n",
			type, arg);
}

int pktc_ioctl(int fd, unsigned long cmd, void *arg)
{
	uint8_t *before, *after, *req;
	FILE *out = observer;
	const char *type;
	size_t len = 0;
	int rc, err;

	if (!out)
		return ioctl(fd, cmd, arg);
	before = malloc(3 * PKTC_PEEK_MAX);
	if (!before)
		return ioctl(fd, cmd, arg);
	after = before + PKTC_PEEK_MAX;
	req = after + PKTC_PEEK_MAX;
	flockfile(out);		/* each block of lines together, whatever the threads */
	type = carried(cmd);
	pktcraft_ioc_describe(out, cmd);
	if (type) {
		len = snapshot(before, arg);
		show_struct(out, type, before, len, arg);
	}
	if (cmd == PKTCRAFT_IOC_BUILD && len >= offsetof(struct pktcraft_build, buf)) {
		const void *r = (const void *)(uintptr_t)((const struct pktcraft_build *)before)->req;

		/* the request it points at */
		show_struct(out, "pktcraft_req", req, snapshot(req, r), r);
	}
	if (cmd == PKTCRAFT_IOC_SEND_BATCH && len >= offsetof(struct pktcraft_batch, nr) + 8) {
		const struct pktcraft_batch *b = (const void *)before;

		/* the requests it points at, stride bytes apart */
		for (uint32_t i = 0; i < b->nr && i < PKTC_BATCH_SHOWN; i++) {
			const void *r = (const void *)(uintptr_t)(b->reqs + (uint64_t)i * b->stride);

			fprintf(out, "request %u of %u:\n", i, b->nr);
			show_struct(out, "pktcraft_req", req, snapshot(req, r), r);
		}
		if (b->nr > PKTC_BATCH_SHOWN)
			fprintf(out, "(%u more requests)\n", b->nr - PKTC_BATCH_SHOWN);
	}
	funlockfile(out);	/* not held across a burst that may run for long */
	rc = ioctl(fd, cmd, arg);
	err = errno;
	flockfile(out);
	if (rc < 0)
		fprintf(out, "returned -1, errno %d (%s)\n", err, strerror(err));
	else
		fprintf(out, "returned %d\n", rc);
	if (len) {
		fprintf(out, "written back by the kernel (struct %s):\n", type);
		if (!peek(after, arg, len))
			pktcraft_struct_describe(out, type, after, len, before);
	}
	if (cmd == PKTCRAFT_IOC_SEND_BATCH && rc > 0 &&
	    len >= offsetof(struct pktcraft_batch, nr) + 8) {
		const struct pktcraft_batch *b = (const void *)before;
		int32_t res;

		fprintf(out, "results[]:");
		for (uint32_t i = 0; i < b->nr; i++) {
			if (peek(&res, (const void *)(uintptr_t)(b->results + i * sizeof(res)),
				 sizeof(res)))
				break;
			fprintf(out, " %d", res);
		}
		fprintf(out, "\n");
	}
	fflush(out);
	funlockfile(out);
	free(before);
	errno = err;
	return rc;
}
