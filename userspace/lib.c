// SPDX-License-Identifier: LGPL-2.1-or-later
/* libpktcraft: the device, requests and errors. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "libpktcraft.h"

_Static_assert(sizeof(struct pktcraft_req) == PKTCRAFT_REQ_SIZE_VER1,
	       "struct pktcraft_req has holes or changed size");
_Static_assert(sizeof(struct pktcraft_build) == PKTCRAFT_BUILD_SIZE_VER0,
	       "struct pktcraft_build has holes or changed size");

int pktcraft_open(void)
{
	int fd = open(PKTCRAFT_DEVICE, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

void pktcraft_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

void pktcraft_req_init(struct pktcraft_req *req)
{
	memset(req, 0, sizeof(*req));
	req->size = sizeof(*req);
	req->ip_ttl = 64;
	req->tcp_flags = PKTCRAFT_TCP_SYN;
	req->tcp_win = 65535;
}

int pktcraft_req_set_payload(struct pktcraft_req *req, const void *data,
			     size_t len)
{
	if (len > 0xffff)
		return -EMSGSIZE;
	req->payload = (uintptr_t)data;
	req->payload_len = len;
	return 0;
}

int pktcraft_send(int fd, const struct pktcraft_req *req)
{
	int rc = ioctl(fd, PKTCRAFT_IOC_SEND, req);

	return rc < 0 ? -errno : rc;
}

int pktcraft_build(int fd, const struct pktcraft_req *req, void *buf,
		   size_t buf_len, size_t *frame_len, int do_send)
{
	struct pktcraft_build b = {
		.size = sizeof(b),
		.flags = do_send ? PKTCRAFT_BUILD_F_SEND : 0,
		.req = (uintptr_t)req,
		.buf = (uintptr_t)buf,
		.buf_len = buf_len > UINT32_MAX ? UINT32_MAX : (uint32_t)buf_len,
	};
	int rc = ioctl(fd, PKTCRAFT_IOC_BUILD, &b);

	if (rc < 0)
		rc = -errno;
	if ((rc >= 0 || rc == -ENOSPC) && frame_len)
		*frame_len = b.frame_len;
	return rc;
}

const char *pktcraft_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case 0:
		return "success";
	case ENOENT:
		return "/dev/pktcraft does not exist: load the module (insmod module/pktcraft.ko)";
	case EACCES:
		return "permission denied opening /dev/pktcraft (mode 0600: run as root or see the udev rule in the README)";
	case EPERM:
		return "CAP_NET_RAW is required in the user namespace owning your network namespace";
	case EINVAL:
		return "invalid request: a field is out of range, a reserved field or unknown flag is set, or a length disagrees with the real size without being forced";
	case E2BIG:
		return "request larger than this kernel module knows, with non-zero unknown fields (newer ABI than the module)";
	case EFAULT:
		return "bad user pointer (payload, request or buffer)";
	case EMSGSIZE:
		return "packet larger than the egress device MTU (or than 65535 bytes)";
	case ENODEV:
		return "no such interface in this network namespace";
	case ENETDOWN:
		return "egress interface is down";
	case ENETUNREACH:
		return "no route to the destination network";
	case EHOSTUNREACH:
		return "destination link address unknown: neighbour resolution was triggered; retry, or give --dst-mac";
	case ENOSPC:
		return "buffer too small for the built frame";
	case ENOBUFS:
		return "the device or its queue dropped the packet (no buffer space)";
	case ENOMEM:
		return "out of memory";
	case ENOTTY:
		return "ioctl not supported by this module (module and CLI out of step?)";
	case EINTR:
		return "interrupted by a signal";
	default:
		return strerror(err < 0 ? -err : err);
	}
}
