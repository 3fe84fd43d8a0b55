// SPDX-License-Identifier: GPL-2.0
/*
 * Memory in flight: every open file owns a kernel-side raw socket in the
 * opener's namespace, used for its send buffer and as the sender of what
 * goes through the IP output (--inject ip). Each skb pktcraft
 * allocates (but those of a burst's ring, root's shared skb, a single
 * packet's handed straight to a driver that lets go of it at once, and a
 * burst's packet 0 until it is sent: burst.c) is charged to it
 * (skb_set_owner_w(), as AF_PACKET and raw sockets do) until the device
 * or a qdisc lets go of it, and its data comes from the caller's memory
 * cgroup (GFP_KERNEL_ACCOUNT). A send waits while the
 * buffer is full, like a blocking sendmsg().
 *
 * It is an IPv6 socket whenever the kernel has IPv6: both output paths take
 * it as their sender, as they take a dual-stack socket sending IPv4 (its
 * struct ipv6_pinfo extends struct inet_sock), where an IPv4 socket has no
 * ipv6_pinfo for the IPv6 output and its hooks to read (inet6_sk()). So an
 * injected packet of either family stays charged and is seen by the
 * cgroup's BPF egress programs (ip_finish_output(), ip6_finish_output()),
 * as a raw socket's; programs that read the socket's family see AF_INET6
 * for both. Without IPv6 (ipv6.disable=1) it is an IPv4 one, and IPv6
 * requests are refused before they get here (ipv6.c). When the opener may
 * not create an IPv6 raw socket (an LSM, a cgroup's sock_create program,
 * whatever errno they choose) but an IPv4 one, it is an IPv4 one too, and
 * IPv6 requests at the IP injection point are refused with that errno
 * (pktcraft_prepare()): not sent as nobody's. (An LSM that audits denials
 * logs one for each such open.)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/net.h>
#include <linux/file.h>
#include <linux/in.h>
#include <linux/ipv6.h>
#include <linux/sched/signal.h>
#include <linux/sockptr.h>
#include <linux/uaccess.h>
#include <net/sock.h>
#include "pktcraft.h"

/**
 * pktcraft_sock_create - the open file's socket
 * @pf: the file, its namespace already set
 *
 * A real (not kernel) socket, created with the opener's credentials: it
 * holds the namespace for as long as any of its skbs is in flight, LSMs see
 * it, and its send buffer starts at net.core.wmem_default. It is taken off
 * the raw socket table: it never receives. It has a file of its own (in
 * no file table, but counted in fs.file-max), with the opener's
 * credentials, as socket(2)'s has: what reads them through
 * sk->sk_socket->file (nft's meta skuid and skgid, iptables' -m owner,
 * the LOG target's --log-uid, nfnetlink_queue's and _log's uid and gid,
 * cls_flow's keys) saw none without one.
 *
 * Return: 0, the -errno of __sock_create() (the IPv4 one's after an IPv6
 * one was refused, for any reason but -ENOMEM or -ENFILE) or of
 * sock_alloc_file() (-ENFILE, -ENOMEM, or an LSM's refusal of the file).
 */
int pktcraft_sock_create(struct pktcraft_file *pf)
{
	struct socket *sock;
	struct file *file;
	struct sock *sk;
	int err = 0;

	if (ipv6_mod_enabled()) {
		err = __sock_create(pf->net, AF_INET6, SOCK_RAW, IPPROTO_RAW,
				    &sock, 0);
		/* Short of memory or files: the IPv4 one would be too. */
		if (err == -ENOMEM || err == -ENFILE)
			return err;
	}
	pf->sock6_err = err;
	if (!ipv6_mod_enabled() || err)
		err = __sock_create(pf->net, AF_INET, SOCK_RAW, IPPROTO_RAW,
				    &sock, 0);
	if (err)
		return err;
	sk = sock->sk;
	sk->sk_prot->unhash(sk);
	sk->sk_allocation = GFP_KERNEL_ACCOUNT;
	file = sock_alloc_file(sock, 0, NULL);	/* releases it on failure */
	if (IS_ERR(file))
		return PTR_ERR(file);
	pf->sock = sock;
	return 0;
}

/* The socket goes with its file's last reference (sock_close()). */
void pktcraft_sock_release(struct pktcraft_file *pf)
{
	fput(pf->sock->file);
	pf->sock = NULL;
}

/**
 * pktcraft_sock_wait - wait for room in the send buffer
 * @sk: the file's socket
 * @w: the device watch of the running send
 *
 * Sleeps while what is in flight fills the send buffer; sock_wfree() wakes
 * us as the device frees skbs, the device watch when the device goes away.
 * With room at once (a burst's every packet asks), no wait queue entry.
 *
 * Return: 0, -EINTR (signal) or the watch's event.
 */
int pktcraft_sock_wait(struct sock *sk, const struct pktcraft_watch *w)
{
	DEFINE_WAIT(wait);
	int err = 0;

	if (sk_wmem_alloc_get(sk) < READ_ONCE(sk->sk_sndbuf))
		return 0;
	while (sk_wmem_alloc_get(sk) >= READ_ONCE(sk->sk_sndbuf)) {
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
		if (sk_wmem_alloc_get(sk) < READ_ONCE(sk->sk_sndbuf))
			break;
		err = pktcraft_watch_event(w);
		if (err)
			break;
		if (signal_pending(current)) {
			err = -EINTR;
			break;
		}
		schedule();
	}
	finish_wait(sk_sleep(sk), &wait);
	return err;
}

/**
 * pktcraft_sock_room - wait for room before a request's first packet
 * @sk: the file's socket
 * @net: the opener's namespace
 * @dev: the request's egress device, held
 *
 * The request holds @dev from its egress lookup on. A wait that only a
 * free could end would keep @dev from being unregistered for as long as
 * the send buffer stays full (packets held by a netem slot on another
 * device: an hour), so the device is watched while we wait; registering
 * the watch costs a global lock, so only when there is no room.
 *
 * Return: 0, -EINTR, -ENETDOWN (set down) or -ENODEV (deleted or moved).
 */
int pktcraft_sock_room(struct sock *sk, struct net *net,
		       const struct net_device *dev)
{
	struct pktcraft_watch w __uninitialized;	/* watch_start() sets it all */
	int err;

	if (sk_wmem_alloc_get(sk) < READ_ONCE(sk->sk_sndbuf))
		return 0;
	err = pktcraft_watch_start(&w, net, dev);
	if (!err)
		err = pktcraft_sock_wait(sk, &w);
	err = pktcraft_watch_settle(&w, net, err);
	pktcraft_watch_stop(&w);
	return err;
}

/* Charges @skb to the send buffer; sock_wfree() gives it back. */
void pktcraft_sock_charge(struct sock *sk, struct sk_buff *skb)
{
	skb_set_owner_w(skb, sk);
}

/**
 * pktcraft_sock_sndbuf - PKTCRAFT_IOC_SNDBUF
 * @pf: the open file
 * @ubuf: user struct pktcraft_sndbuf
 * @may_set: the file was opened for writing
 *
 * Setting goes through sock_setsockopt(), so the caller gets exactly what
 * it may set for a socket of its own (SO_SNDBUF up to net.core.wmem_max,
 * SO_SNDBUFFORCE with CAP_NET_ADMIN); the skbs the file keeps between
 * bursts are held to the new size at once (pktcraft_ring_trim()).
 *
 * Return: 0, -EFAULT, -EINVAL (size, flags, reserved), -E2BIG (size above
 * a page or unknown non-zero tail), -EBADF (setting, on a file opened
 * read-only: its sends would be throttled by a reader), -EPERM (force
 * without CAP_NET_ADMIN).
 */
long pktcraft_sock_sndbuf(struct pktcraft_file *pf,
			  struct pktcraft_sndbuf __user *ubuf, bool may_set)
{
	struct sock *sk = pf->sock->sk;
	struct pktcraft_sndbuf b;
	u32 usize;
	int val, err;

	if (get_user(usize, &ubuf->size))
		return -EFAULT;
	if (usize < PKTCRAFT_SNDBUF_SIZE_VER0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	err = copy_struct_from_user(&b, sizeof(b), ubuf, usize);
	if (err)
		return err;
	if (b.flags & ~PKTCRAFT_SNDBUF_F_ALL || b.in_flight ||
	    (b.flags & PKTCRAFT_SNDBUF_F_FORCE &&
	     !(b.flags & PKTCRAFT_SNDBUF_F_SET)) ||
	    b.bytes > INT_MAX || (!(b.flags & PKTCRAFT_SNDBUF_F_SET) && b.bytes))
		return -EINVAL;
	if (b.flags & PKTCRAFT_SNDBUF_F_SET) {
		if (!may_set)
			return -EBADF;
		val = b.bytes;
		err = sock_setsockopt(pf->sock, SOL_SOCKET,
				      b.flags & PKTCRAFT_SNDBUF_F_FORCE ?
				      SO_SNDBUFFORCE : SO_SNDBUF,
				      KERNEL_SOCKPTR(&val), sizeof(val));
		if (err)
			return err;
		pktcraft_ring_trim(pf);
	}
	b.bytes = READ_ONCE(sk->sk_sndbuf);
	b.in_flight = sk_wmem_alloc_get(sk);
	if (put_user(b.bytes, &ubuf->bytes) ||
	    put_user(b.in_flight, &ubuf->in_flight))
		return -EFAULT;
	return 0;
}
