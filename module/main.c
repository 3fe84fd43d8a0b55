// SPDX-License-Identifier: GPL-2.0
/*
 * pktcraft: /dev/pktcraft builds IPv4 and IPv6 packets described by userspace and
 * transmits them with dev_queue_xmit(), in the opener's network namespace.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/pagemap.h>
#include <linux/capability.h>
#include <linux/nsproxy.h>
#include <net/net_namespace.h>
#include "pktcraft.h"
#include "trace.h"

#include "version.h"	/* PKTCRAFT_VERSION, written once */

static_assert(sizeof(struct pktcraft_batch) == PKTCRAFT_BATCH_SIZE_VER0);

static int pktcraft_open(struct inode *inode, struct file *file)
{
	struct net *net = current->nsproxy->net_ns;
	struct pktcraft_file *pf;
	int err;

	/* The same guard as AF_PACKET: CAP_NET_RAW over the opener's netns. */
	if (!file_ns_capable(file, net->user_ns, CAP_NET_RAW))
		return -EPERM;

	pf = kzalloc(sizeof(*pf), GFP_KERNEL_ACCOUNT);
	if (!pf)
		return -ENOMEM;
	pf->net = get_net_track(net, &pf->ns_tracker, GFP_KERNEL);
	pf->uid = file->f_cred->fsuid;
	/* pktgen's shared skbs need what pktgen needs: see burst.c. */
	pf->may_share = file_ns_capable(file, &init_user_ns, CAP_NET_ADMIN);
	/* Injecting into the receive path is what pktgen's netif_receive is. */
	pf->may_rx = file_ns_capable(file, net->user_ns, CAP_NET_ADMIN);
	pktcraft_frag_init(&pf->frag);
	err = pktcraft_sock_create(pf);
	if (err)
		goto err_put;
	pktcraft_stats_open(&pf->ctrs, net);
	file->private_data = pf;
	/* Not seekable (lseek: ESPIPE): no .llseek, no_llseek is gone in 6.12. */
	return stream_open(inode, file);

err_put:
	pktcraft_frag_drain(&pf->frag);
	put_net_track(pf->net, &pf->ns_tracker);
	kfree(pf);
	return err;
}

static int pktcraft_release(struct inode *inode, struct file *file)
{
	struct pktcraft_file *pf = file->private_data;

	pktcraft_ring_free(pf->ring);
	consume_skb(pf->single);
	pktcraft_sock_release(pf);
	/* Frames still in flight hold their own references to the pages. */
	pktcraft_frag_drain(&pf->frag);
	put_net_track(pf->net, &pf->ns_tracker);
	kfree(pf);
	return 0;
}

/*
 * An extensible struct whose first __u32 is its size, as the ABI has them:
 * 0, -EFAULT, -EINVAL (below version 0 @ver0) or -E2BIG (above a page, or a
 * newer struct whose tail the kernel does not know is not zero).
 */
static int pktcraft_struct_from_user(void *dst, size_t ksize,
				     const void __user *src, u32 ver0)
{
	u32 usize;

	if (get_user(usize, (const u32 __user *)src))
		return -EFAULT;
	if (usize < ver0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	return copy_struct_from_user(dst, ksize, src, usize);
}

/*
 * Copy, check and build; on success @eg holds the device and the skb is
 * charged to the file's send buffer, unless it is a single packet going
 * straight to a driver that lets go of it at once (@eg->direct: burst.c's
 * pktcraft_direct_single()). @burst gets the burst part (NULL: the
 * request must be a single packet). @limit: the largest size the request
 * may declare (a batch's stride), else -EINVAL. A BUILD (no @burst) is
 * refused what a send would be: a dry run shows what would go. It is not
 * charged here: a dry run never waits for room in the send buffer, and
 * pktcraft_build() charges what it sends.
 *
 * Every access to user memory the request needs before its packets go
 * (the payload, extension data, the fates array and the burst's result
 * fields, each proved writable) comes before the device is taken: a page
 * fault may wait for as long as the memory's owner likes (a FUSE mapping,
 * userfaultfd), and a device held meanwhile could not be unregistered.
 * While the device is held only watched waits remain (pktcraft_watch,
 * and the neighbour's, which its deletion ends). A burst whose results
 * were zeroed and that fails here gets its errno in result_err.
 */
static noinline_for_stack struct sk_buff *
pktcraft_prepare(struct pktcraft_file *pf, unsigned int cmd,
		 struct pktcraft_req __user *ureq, u32 limit,
		 struct pktcraft_egress *eg, struct pktcraft_burst *burst)
{
	/*
	 * 376 bytes on the stack (no allocation per request), only until the
	 * skb is built: noinline_for_stack keeps it off the frames under
	 * pktcraft_burst_run(). Not zeroed first (CONFIG_INIT_STACK_ALL_ZERO):
	 * pktcraft_req_from_user() writes every byte before anything reads
	 * it, and pktcraft_req_check() every byte of the layout.
	 */
	struct pktcraft_req reqbuf __uninitialized, *req = &reqbuf;
	struct pktcraft_fates *fates = NULL;
	struct pktcraft_ext *ext = NULL;
	struct pktcraft_layout lay __uninitialized;
	struct sk_buff *skb = NULL;
	bool zeroed = false, single, recycled, charge = true;
	const char *stage;
	u32 declared = 0;
	int err;

	stage = "copy";
	err = pktcraft_req_from_user(req, ureq, limit, &declared);
	if (err)
		goto out_trace;
	ext = pktcraft_ext_from_user(req);
	if (IS_ERR(ext)) {
		err = PTR_ERR(ext);
		ext = NULL;
		goto out_trace;
	}
	stage = "check";
	err = pktcraft_req_check(req, ext, &lay);
	if (err)
		goto out_trace;
	err = pktcraft_burst_init(burst, req, &lay);
	if (err)
		goto out_trace;
	trace_pktcraft_request(cmd, declared, req);
	stage = "inject";
	err = -EPERM;
	if (req->inject == PKTCRAFT_INJECT_RX && !pf->may_rx)
		goto out_trace;
	/* Refused an IPv6 raw socket at open (sock.c): no IPv6 at IP. */
	err = pf->sock6_err;
	if (req->inject == PKTCRAFT_INJECT_IP && lay.ipv6 && err)
		goto out_trace;
	/* Fail before sending anything if the results cannot be written. */
	stage = "result";
	err = pktcraft_burst_report(burst, ureq);
	if (err)
		goto out_trace;
	zeroed = burst && burst->report;
	/* An IHL no IP_HDRINCL socket may send: host-wide, the admin's (request.c). */
	if (unlikely(req->flags & PKTCRAFT_F_IP_IHL) &&
	    !pktcraft_ip4_ihl_ok(req, &lay, pf->may_share)) {
		stage = "check";
		err = -EINVAL;
		goto out_trace;
	}
	stage = "fates";
	fates = pktcraft_fates_start(pf->net, req, pf->may_share);
	if (IS_ERR(fates)) {
		err = PTR_ERR(fates);
		fates = NULL;
		goto out_trace;
	}
	stage = "build";
	/* A single packet may reuse the file's last one (burst.c). */
	single = burst && burst->count == 1 && !burst->paced;
	if (single)
		skb = pktcraft_single_take(pf, pktcraft_build_size(&lay));
	recycled = skb;
	/*
	 * The page fragment cache only for the initial namespace's admin:
	 * build_skb() takes the sk_buff itself with GFP_ATOMIC, uncharged to
	 * the memory cgroup, which a container's requests must not do.
	 */
	skb = pktcraft_build_data(req, &lay, pf->may_share ? &pf->frag : NULL,
				  skb);
	if (IS_ERR(skb)) {
		err = PTR_ERR(skb);
		skb = NULL;
		goto out_trace;
	}
	stage = "egress";
	err = pktcraft_egress_get(pf, req, eg);
	if (err)
		goto out_trace;
	eg->ifindex = req->ifindex;
	eg->inject = req->inject;
	eg->fates = fates;
	eg->direct = false;
	pktcraft_fates_egress(fates, eg->dev);
	if (lay.len > eg->dev->mtu) {
		stage = "mtu";
		err = -EMSGSIZE;
		goto out_put;
	}
	/* Into a port's receive path: refused, not dropped (inject.c). */
	if (unlikely(req->inject == PKTCRAFT_INJECT_RX) &&
	    !pktcraft_rx_allowed(pf, eg->dev)) {
		stage = "inject";
		err = -EPERM;
		goto out_put;
	}
	/* A device that hands it to IP's output: that output's rules. */
	if (unlikely(req->flags & (PKTCRAFT_F_IP_IHL | PKTCRAFT_F_IP_TOT_LEN)) &&
	    !lay.ipv6 && pktcraft_dev_reenters_ip(eg->dev) &&
	    !pktcraft_ip4_lengths_sane(req, lay.len)) {
		stage = "check";
		err = -EINVAL;
		goto out_put;
	}
	stage = "build";
	err = pktcraft_build_finish(pf->net, req, &lay, eg, skb);
	if (err)
		goto out_put;
	/* Only a varied source cares whose source the checksum covers. */
	if (burst && burst->varied && lay.ipv6 &&
	    pktcraft_ip6_hao(&lay, skb_network_header(skb)))
		burst->src_csum = false;
	/* Straight to the driver, as a burst's ring (burst.c)? */
	eg->direct = single && pktcraft_direct_single(eg, skb, &charge);
	/* pktcraft_single_take(): an earlier frame's bytes are left */
	if (!eg->direct && recycled)
		memset(skb_tail_pointer(skb), 0, skb_tailroom(skb));
	if (charge && burst) {	/* BUILD: see above */
		stage = "sndbuf";
		err = pktcraft_sock_room(pf->sock->sk, pf->net, eg->dev);
		if (err)
			goto out_put;
		pktcraft_sock_charge(pf->sock->sk, skb);
	}
	if (unlikely(ext))	/* kfree(NULL) is still a call */
		kfree(ext);
	return skb;

out_put:
	if (skb)	/* freed after the put: no stale device for its tracepoint */
		skb->dev = NULL;
	pktcraft_egress_put(eg);
out_trace:
	consume_skb(skb);	/* never sent: not a drop */
	pktcraft_fates_finish(fates, &pf->ctrs);	/* none sent */
	kfree(ext);
	trace_pktcraft_refused(cmd, stage, err);
	if (zeroed) {
		burst->result_err = err;
		if (pktcraft_burst_report(burst, ureq))
			pr_debug("cannot write the burst result back\n");
	}
	return ERR_PTR(err);
}

/*
 * Hands @skb to the device (burst.c, counted); consumes it on every path.
 * Returns 1, -ENETDOWN (device not running), -ENODEV (gone from the
 * namespace), -ENOBUFS (NET_XMIT_DROP; CN counts as sent) or
 * dev_queue_xmit()'s -errno.
 */
static int pktcraft_xmit(struct pktcraft_file *pf, struct sk_buff *skb,
			 struct pktcraft_egress *eg)
{
	return pktcraft_burst_run(pf, NULL, skb, eg);
}

/*
 * One packet, or a burst of them (burst.c); @cmd: SEND or SEND_BATCH.
 * @stopped, if not NULL, gets what stopped a burst that sent some packets
 * (its result_err, 0 if nothing did); it is left alone for a request that
 * failed. Inlined in both callers: a single packet's ioctl is a call
 * shorter, and passes NULL for nothing.
 */
static __always_inline long pktcraft_send(struct pktcraft_file *pf,
					  unsigned int cmd,
					  struct pktcraft_req __user *ureq,
					  u32 limit, int *stopped)
{
	/*
	 * Written by pktcraft_prepare() before they are read (the egress by
	 * pktcraft_egress_get(), the burst by pktcraft_burst_init()), and not
	 * read at all when it fails: not zeroed first.
	 */
	struct pktcraft_burst burst __uninitialized;
	struct pktcraft_egress eg __uninitialized;
	struct sk_buff *skb;
	long rc;

	skb = pktcraft_prepare(pf, cmd, ureq, limit, &eg, &burst);
	if (IS_ERR(skb))
		return PTR_ERR(skb);
	rc = pktcraft_burst_run(pf, &burst, skb, &eg);
	/* The device first: the rest writes to user memory (pktcraft_prepare()). */
	pktcraft_egress_put(&eg);
	pktcraft_fates_finish(eg.fates, &pf->ctrs);
	/* Best effort: the packets are out whatever happens here. */
	if (pktcraft_burst_report(&burst, ureq))
		pr_debug("cannot write the burst result back\n");
	/* pktcraft_burst_run() sets result_err where it runs a burst */
	if (stopped)
		*stopped = burst.count > 1 || burst.paced ? burst.result_err : 0;
	return rc;
}

static int pktcraft_batch_check(const struct pktcraft_batch *b)
{
	if (b->flags & ~PKTCRAFT_BATCH_F_ALL)
		return -EINVAL;
	if (!b->nr || b->nr > PKTCRAFT_MAX_BATCH)
		return -EINVAL;
	if (b->stride < PKTCRAFT_REQ_SIZE_VER0 || b->stride > PKTCRAFT_MAX_STRIDE ||
	    !IS_ALIGNED(b->stride, 8))
		return -EINVAL;
	return 0;
}

/*
 * Requests one after the other, each exactly as its own SEND (counted as
 * such); results[] is cleared first, so that it is known to be writable
 * before anything is sent.
 */
static long pktcraft_send_batch(struct pktcraft_file *pf,
				struct pktcraft_batch __user *ubatch)
{
	struct pktcraft_req __user *ureq;
	s32 __user *results;
	struct pktcraft_batch b;
	long err, rc;
	u32 i;

	err = pktcraft_struct_from_user(&b, sizeof(b), ubatch,
					PKTCRAFT_BATCH_SIZE_VER0);
	if (!err)
		err = pktcraft_batch_check(&b);
	if (!err) {
		results = u64_to_user_ptr(b.results);
		if (clear_user(results, b.nr * sizeof(*results)))
			err = -EFAULT;
	}
	if (err) {
		trace_pktcraft_refused(PKTCRAFT_IOC_SEND_BATCH, "copy", err);
		return err;
	}

	for (i = 0; i < b.nr; i++) {
		int stopped = 0;

		if (i) {
			if (signal_pending(current))
				break;
			cond_resched();
		}
		ureq = u64_to_user_ptr(b.reqs + (u64)i * b.stride);
		rc = pktcraft_send(pf, PKTCRAFT_IOC_SEND_BATCH, ureq, b.stride,
				   &stopped);
		if (rc < 0)
			pktcraft_stats_err(&pf->ctrs, rc);
		/* Known writable; a concurrent munmap() loses only the result. */
		if (put_user((s32)rc, &results[i]))
			pr_debug("cannot write a batch result back\n");
		/* A burst cut short failed too, though it sent some. */
		if ((rc < 0 || stopped) && b.flags & PKTCRAFT_BATCH_F_STOP)
			return i + 1;
	}
	return i;
}

/* The longest frame BUILD returns: an IP packet and its link header. */
#define PKTCRAFT_FRAME_MAX	(U16_MAX + LL_MAX_HEADER)

/* A sent frame's buffer faulted in, and the frame built anew, at most so often. */
#define PKTCRAFT_BUILD_TRIES	3

/*
 * The frame's bytes for the caller; with PKTCRAFT_BUILD_F_SEND also sent,
 * only once they are written. No access to user memory may wait while the
 * device is held (pktcraft_prepare()): a dry run writes the frame once the
 * device is let go; a frame to be sent is written just before it goes,
 * without waiting for a page fault, and where that fails the device is let
 * go, the buffer faulted in (nothing written) and the frame built anew.
 * Not inlined in pktcraft_ioctl(), whose frame holds pktcraft_send()'s
 * burst and egress already: this one's egress and locals would make every
 * ioctl's frame larger still (432 bytes inlined, 368 not).
 */
static noinline_for_stack long pktcraft_build(struct pktcraft_file *pf,
					      struct pktcraft_build __user *ubuild)
{
	struct pktcraft_build b;
	struct pktcraft_egress eg;
	struct sk_buff *skb;
	void __user *ubuf;
	unsigned int tries = 0;
	u32 len;
	long err;

	err = pktcraft_struct_from_user(&b, sizeof(b), ubuild,
					PKTCRAFT_BUILD_SIZE_VER0);
	if (!err && b.flags & ~PKTCRAFT_BUILD_F_ALL)
		err = -EINVAL;
	if (err) {
		trace_pktcraft_refused(PKTCRAFT_IOC_BUILD, "copy", err);
		return err;
	}
	/* Written back whatever happens: writable, before the device. */
	if (put_user(0, &ubuild->frame_len)) {
		trace_pktcraft_refused(PKTCRAFT_IOC_BUILD, "result", -EFAULT);
		return -EFAULT;
	}
	ubuf = u64_to_user_ptr(b.buf);
	/*
	 * A frame to be sent is written while the device is held, where no
	 * fault may be waited for: its buffer mapped in first (nothing is
	 * written; as far as it is mapped: buf_len may say more).
	 */
	if (b.flags & PKTCRAFT_BUILD_F_SEND)
		fault_in_safe_writeable(ubuf, min_t(u64, b.buf_len,
						    PKTCRAFT_FRAME_MAX));
again:
	skb = pktcraft_prepare(pf, PKTCRAFT_IOC_BUILD, u64_to_user_ptr(b.req),
			       PAGE_SIZE, &eg, NULL);
	if (IS_ERR(skb))
		return PTR_ERR(skb);

	len = skb->len;
	if (len > b.buf_len) {
		err = -ENOSPC;
		trace_pktcraft_refused(PKTCRAFT_IOC_BUILD, "result", err);
	} else if (b.flags & PKTCRAFT_BUILD_F_SEND) {
		/* Room in the send buffer first, as a SEND waits for it. */
		err = pktcraft_sock_room(pf->sock->sk, pf->net, eg.dev);
		if (err || copy_to_user_nofault(ubuf, skb->data, len)) {
			skb->dev = NULL;
			pktcraft_egress_put(&eg);
			pktcraft_fates_finish(eg.fates, &pf->ctrs);
			consume_skb(skb);	/* not sent: not a drop */
			if (err) {
				trace_pktcraft_refused(PKTCRAFT_IOC_BUILD,
						       "sndbuf", err);
				return err;
			}
			if (++tries < PKTCRAFT_BUILD_TRIES &&
			    !fault_in_safe_writeable(ubuf, len))
				goto again;
			trace_pktcraft_refused(PKTCRAFT_IOC_BUILD, "result",
					       -EFAULT);
			return -EFAULT;
		}
		pktcraft_sock_charge(pf->sock->sk, skb);
		err = pktcraft_xmit(pf, skb, &eg);
		skb = NULL;
	}
	if (skb)	/* freed after the put: no stale device for its tracepoint */
		skb->dev = NULL;
	pktcraft_egress_put(&eg);
	pktcraft_fates_finish(eg.fates, &pf->ctrs);

	/* A dry run's frame, and the length; a sent frame's is written. */
	if (put_user(len, &ubuild->frame_len) ||
	    (skb && !err && copy_to_user(ubuf, skb->data, len))) {
		if (skb) {	/* nothing was sent: the caller's error */
			err = -EFAULT;
			trace_pktcraft_refused(PKTCRAFT_IOC_BUILD, "result", err);
		} else {
			pr_debug("cannot write the frame length back\n");
		}
	}
	consume_skb(skb);	/* a dry run, or refused: not a drop */
	return err;
}

static long pktcraft_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct pktcraft_file *pf = file->private_data;
	void __user *argp = (void __user *)arg;
	long rc;

	/*
	 * Sending is writing: an fd opened O_RDONLY may only read counters
	 * and the send buffer (setting it: pktcraft_sock_sndbuf()).
	 */
	if ((cmd == PKTCRAFT_IOC_SEND || cmd == PKTCRAFT_IOC_BUILD ||
	     cmd == PKTCRAFT_IOC_SEND_BATCH) && !(file->f_mode & FMODE_WRITE)) {
		trace_pktcraft_refused(cmd, "mode", -EBADF);
		return -EBADF;
	}

	switch (cmd) {
	case PKTCRAFT_IOC_SEND:
		rc = pktcraft_send(pf, cmd, argp, PAGE_SIZE, NULL);
		break;
	case PKTCRAFT_IOC_SEND_BATCH:
		rc = pktcraft_send_batch(pf, argp);
		break;
	case PKTCRAFT_IOC_BUILD:
		rc = pktcraft_build(pf, argp);
		break;
	case PKTCRAFT_IOC_GET_STATS:
		return pktcraft_stats_get(&pf->ctrs, argp, pf->may_share);
	case PKTCRAFT_IOC_SNDBUF:
		return pktcraft_sock_sndbuf(pf, argp,
					    file->f_mode & FMODE_WRITE);
	default:
		return -ENOTTY;
	}
	if (rc < 0)
		pktcraft_stats_err(&pf->ctrs, rc);
	return rc;
}

static const struct file_operations pktcraft_fops = {
	.owner		= THIS_MODULE,
	.open		= pktcraft_open,
	.release	= pktcraft_release,
	.unlocked_ioctl	= pktcraft_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice pktcraft_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "pktcraft",
	.fops	= &pktcraft_fops,
	.mode	= 0600,
	.groups	= pktcraft_stats_groups,	/* stats/ in sysfs */
};

static int __init pktcraft_init(void)
{
	int err;

	pktcraft_fate_init();
	err = pktcraft_stats_init();
	if (err) {
		pr_err("cannot register the per-namespace counters: %d\n", err);
		return err;
	}
	err = pktcraft_watch_init();
	if (err) {
		pr_err("cannot register the netdevice notifier: %d\n", err);
		goto err_stats;
	}
	err = misc_register(&pktcraft_misc);
	if (err) {
		pr_err("cannot register /dev/pktcraft: %d\n", err);
		goto err_watch;
	}
	pr_info("version " PKTCRAFT_VERSION " loaded\n");
	return 0;

err_watch:
	pktcraft_watch_exit();
err_stats:
	pktcraft_stats_exit();
	return err;
}

static void __exit pktcraft_exit(void)
{
	misc_deregister(&pktcraft_misc);
	pktcraft_watch_exit();
	pktcraft_stats_exit();
	pktcraft_fate_exit();
}

module_init(pktcraft_init);
module_exit(pktcraft_exit);

MODULE_DESCRIPTION("Build IPv4/TCP/UDP/ICMP packets in the kernel and send them from /dev/pktcraft");
MODULE_AUTHOR("The pktcraft developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(PKTCRAFT_VERSION);
