// SPDX-License-Identifier: GPL-2.0
/*
 * Device events during a send. A burst, or a request waiting for its
 * neighbour or for room in the send buffer before its first packet,
 * registers the device it holds; the netdevice notifier marks the watch and
 * wakes its task when the device goes down, is unregistered or is moved to
 * another namespace, so a sleeping send (neighbour, pacing gap, full send
 * buffer) ends at once instead of at its next packet or free, and the
 * device is never used outside the opener's namespace.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include "pktcraft.h"

/*
 * Hashed by device, so that an event walks its own device's watches, not
 * every send of every namespace: a container with many sleeping sends
 * (paced bursts, full send buffers) would otherwise make each device
 * event anywhere pay for all of them, under this lock and RTNL.
 */
static DEFINE_HASHTABLE(pktcraft_watches, 8);
static DEFINE_SPINLOCK(pktcraft_watch_lock);

/**
 * pktcraft_dev_check - is @dev still usable from @net?
 * @net: the opener's namespace
 * @dev: a held device
 *
 * Return: 0, -ENODEV (unregistered, or no longer in @net) or -ENETDOWN.
 */
int pktcraft_dev_check(struct net *net, const struct net_device *dev)
{
	int err;

	rcu_read_lock();
	err = pktcraft_dev_check_rcu(net, dev);
	rcu_read_unlock();
	return err;
}

/**
 * pktcraft_watch_start - watch @dev for the current task
 * @w: on the caller's stack until pktcraft_watch_stop()
 * @net: the opener's namespace
 * @dev: the held egress device
 *
 * Registers first and checks the device afterwards, so that no event can
 * fall between the two.
 *
 * Return: 0, or the state that already forbids sending (see
 * pktcraft_dev_check()); the watch is registered either way.
 */
int pktcraft_watch_start(struct pktcraft_watch *w, struct net *net,
			 const struct net_device *dev)
{
	w->dev = dev;
	w->task = current;
	w->event = 0;
	spin_lock(&pktcraft_watch_lock);
	hash_add(pktcraft_watches, &w->node, (unsigned long)dev);
	spin_unlock(&pktcraft_watch_lock);
	return pktcraft_dev_check(net, dev);
}

void pktcraft_watch_stop(struct pktcraft_watch *w)
{
	spin_lock(&pktcraft_watch_lock);
	hash_del(&w->node);
	spin_unlock(&pktcraft_watch_lock);
}

/**
 * pktcraft_dev_settle - what became of a device seen going down
 * @net: the opener's namespace
 * @dev: a held device
 *
 * Deleting a running device or moving it to another namespace closes it
 * first, in the same RTNL section that then unlists it: once we get RTNL,
 * the device is either still in @net (only set down, or up again) or gone.
 *
 * Return: as pktcraft_dev_check().
 */
int pktcraft_dev_settle(struct net *net, const struct net_device *dev)
{
	rtnl_lock();
	rtnl_unlock();
	return pktcraft_dev_check(net, dev);
}

/**
 * pktcraft_watch_settle - the errno a burst ended by a device event reports
 * @w: the burst's watch
 * @net: the opener's namespace
 * @err: what ended the burst
 *
 * Return: -ENODEV for a device deleted or moved, else @err.
 */
int pktcraft_watch_settle(struct pktcraft_watch *w, struct net *net, int err)
{
	if (err != -ENETDOWN || READ_ONCE(w->event) != -ENETDOWN)
		return err;
	return pktcraft_dev_settle(net, w->dev) == -ENODEV ? -ENODEV : err;
}

static int pktcraft_netdev_event(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct pktcraft_watch *w;
	int err;

	switch (event) {
	case NETDEV_GOING_DOWN:
	case NETDEV_DOWN:
		err = -ENETDOWN;
		break;
	case NETDEV_UNREGISTER:
		pktcraft_fate_dev_gone(dev);
		err = -ENODEV;
		break;
	default:
		return NOTIFY_DONE;
	}

	spin_lock(&pktcraft_watch_lock);
	hash_for_each_possible(pktcraft_watches, w, node, (unsigned long)dev) {
		if (w->dev != dev)
			continue;
		/*
		 * The first event wins; pktcraft_watch_settle() tells a
		 * deletion or a move (which close the device first) from a
		 * plain down.
		 */
		if (!READ_ONCE(w->event))
			WRITE_ONCE(w->event, err);
		wake_up_process(w->task);
	}
	spin_unlock(&pktcraft_watch_lock);
	return NOTIFY_DONE;
}

static struct notifier_block pktcraft_netdev_nb = {
	.notifier_call = pktcraft_netdev_event,
};

int pktcraft_watch_init(void)
{
	return register_netdevice_notifier(&pktcraft_netdev_nb);
}

void pktcraft_watch_exit(void)
{
	unregister_netdevice_notifier(&pktcraft_netdev_nb);
}
